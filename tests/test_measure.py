"""svgarch.measure: text stacks and block sizes, measured before layout."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

from svgarch.fonts import FontBook
from svgarch.geometry import Box, Point
from svgarch.measure import (
    LABEL_PAD_X,
    LABEL_PAD_Y,
    LINE_HEIGHT,
    Measurer,
    block_size,
    block_text,
    label_stack,
    measure,
    spacing_of,
)
from svgarch.model import Block, DiagramModel, Edge, Group, LegendEntry, Note, RowLabel
from svgarch.outline import signed_distance
from svgarch.shapes import SHAPES, cylinder_cap
from svgarch.theme import Theme, load_theme


def test_a_line_is_measured_with_its_role_font(measurer: Measurer) -> None:
    title = measurer.line("enc0", "block-title")
    subtitle = measurer.line("enc0", "block-subtitle")
    assert (title.size, subtitle.size) == (13.0, 11.0)
    assert title.width > subtitle.width > 0  # bold mono 13 px is wider than sans 11 px
    assert title.ascent > 0 and title.descent > 0
    assert measurer.line("", "block-title").width == 0


def test_width_grows_with_text(measurer: Measurer) -> None:
    short, long = measurer.line("ab", "note"), measurer.line("abab", "note")
    assert long.width == pytest.approx(2 * short.width)


def test_stack_splits_lines_and_skips_empty_parts(measurer: Measurer) -> None:
    stack = measurer.stack(("Title", "block-title"), ("", "block-subtitle"), ("one\ntwo", "note"))
    assert [(ln.text, ln.role) for ln in stack.lines] == [("Title", "block-title"), ("one", "note"), ("two", "note")]
    assert stack.width == max(ln.width for ln in stack.lines)


def test_stack_height_adds_the_gap_only_where_the_role_changes(measurer: Measurer) -> None:
    gap = measurer.gap
    assert gap > 0
    stack = measurer.stack(("a\nb", "block-title"), ("c", "block-subtitle"))
    assert stack.height == pytest.approx(2 * 13 * LINE_HEIGHT + 11 * LINE_HEIGHT + gap)
    assert measurer.stack().height == 0 and measurer.stack().width == 0


@pytest.mark.parametrize("anchor", ["start", "middle", "end"])
def test_place_stacks_lines_downward_inside_the_stack(measurer: Measurer, anchor: str) -> None:
    stack = measurer.stack(("Title line", "block-title"), ("sub one\nsub two", "block-subtitle"))
    lines = stack.place(100.0, 50.0, anchor)  # type: ignore[arg-type]
    assert [ln.text for ln in lines] == ["Title line", "sub one", "sub two"]
    baselines = [ln.y for ln in lines]
    assert baselines == sorted(baselines)
    for ln, measured in zip(lines, stack.lines, strict=True):
        assert ln.x == 100.0 and ln.anchor == anchor and ln.role == measured.role
        assert ln.box.w == pytest.approx(measured.width)
        assert ln.box.y >= 50.0 - 1e-9 and ln.box.bottom <= 50.0 + stack.height + 1e-9
        left = {"start": 100.0, "middle": 100.0 - measured.width / 2, "end": 100.0 - measured.width}[anchor]
        assert ln.box.x == pytest.approx(left)
    for above, below in itertools.pairwise(lines):
        assert above.box.bottom <= below.box.y + 1e-9  # no two lines overlap


def test_a_single_line_is_centred_in_its_pitch(measurer: Measurer) -> None:
    stack = measurer.stack(("x", "note"))
    (line,) = stack.place(0.0, 0.0)
    above, below = line.box.y, stack.height - line.box.bottom
    assert above == pytest.approx(below)


def test_label_falls_back_to_the_id(measurer: Measurer) -> None:
    assert [ln.text for ln in block_text(Block("enc0"), measurer).lines] == ["enc0"]
    assert [ln.text for ln in block_text(Block("enc0", "Encoder", "4 ch"), measurer).lines] == ["Encoder", "4 ch"]


def _corners_inside(shape: str, box: Box, text: Box) -> bool:
    """Inside the drawn outline (a polygon through points of its curves), and where the shape keeps its text
    (below a cylinder's cap, on a 3-D box's front face, above a document's wave)."""
    outline = SHAPES[shape].outline(box)
    corners = [Point(x, y) for x in (text.x, text.right) for y in (text.y, text.bottom)]
    return all(signed_distance(p, outline) <= 0 for p in corners) and SHAPES[shape].holds(text, box, 0.0)


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_holds_its_text(measurer: Measurer, shape: str) -> None:
    block = Block("b", "A rather long title", "and a subtitle\nover two lines", shape=shape)
    size = block_size(block, measurer)
    box = Box.around(0, 0, size.width, size.height)
    text = Box.around(0, 0, size.text.width, size.text.height)
    text = text.moved(*SHAPES[shape].text_offset(box))  # below a cylinder's cap, on a 3-D box's front, …
    assert _corners_inside(shape, box, text)
    pad_x, pad_y = measurer.theme.length("--sa-pad-x"), measurer.theme.length("--sa-pad-y")
    if shape in ("rounded", "rect"):
        assert size.width == pytest.approx(size.text.width + 2 * pad_x)
        assert size.height == pytest.approx(size.text.height + 2 * pad_y)


def test_shapes_relate_as_drawn(measurer: Measurer) -> None:
    sizes = {s: block_size(Block("b", "Some title", shape=s), measurer) for s in SHAPES}
    rounded = sizes["rounded"]
    assert sizes["pill"].width == pytest.approx(rounded.width + rounded.height / 2)
    assert sizes["circle"].width == sizes["circle"].height
    assert sizes["cylinder"].height == pytest.approx(rounded.height + 2 * cylinder_cap(rounded.width))
    assert sizes["diamond"].width > rounded.width and sizes["diamond"].height > rounded.height


def test_width_and_height_are_minimums(measurer: Measurer) -> None:
    natural = block_size(Block("b"), measurer)
    bigger = block_size(Block("b", width=500, height=90), measurer)
    assert (bigger.width, bigger.height) == (500, 90)
    smaller = block_size(Block("b", width=1, height=1), measurer)
    assert (smaller.width, smaller.height) == (natural.width, natural.height)


def test_cylinder_cap_is_bounded() -> None:
    assert cylinder_cap(50) == pytest.approx(4.0)
    assert cylinder_cap(1000) == 12.0
    assert math.isclose(cylinder_cap(0), 0.0)


@pytest.mark.parametrize("minimum", [{"width": 160}, {"height": 160}, {"width": 90, "height": 160}])
def test_a_circle_with_a_minimum_stays_square_at_the_larger_one(measurer: Measurer, minimum: dict[str, float]) -> None:
    size = block_size(Block("c", shape="circle", **minimum), measurer)  # type: ignore[arg-type]
    assert size.width == size.height == 160


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("minimum", [{"width": 400}, {"height": 160}, {"width": 300, "height": 200}])
def test_every_shape_with_a_minimum_still_holds_its_text(
    measurer: Measurer, shape: str, minimum: dict[str, float]
) -> None:
    size = block_size(Block("b", "A title", "a subtitle", shape=shape, **minimum), measurer)  # type: ignore[arg-type]
    assert size.width >= minimum.get("width", 0) and size.height >= minimum.get("height", 0)
    box = Box.around(0, 0, size.width, size.height)
    text = Box.around(0, 0, size.text.width, size.text.height)
    text = text.moved(*SHAPES[shape].text_offset(box))
    if shape == "cylinder":
        assert size.height - 2 * cylinder_cap(size.width) >= size.text.height  # the body below the cap holds it
    assert _corners_inside(shape, box, text)


def test_a_tall_pill_is_at_least_as_wide_as_it_is_tall(measurer: Measurer) -> None:
    size = block_size(Block("p", shape="pill", height=160), measurer)
    assert size.width >= size.height == 160  # else SVG would clamp its corner radius into an ellipse


def test_measure_sizes_everything_layout_places(dark: Theme) -> None:
    model = DiagramModel(
        title="A title",
        blocks=(Block("a", "Alpha"), Block("b")),
        edges=(Edge(("a",), ("b",), label="x → y"), Edge(("b",), ("a",))),
        notes=(Note("a note"),),
        row_labels=(RowLabel(0, "full res"),),
        groups=(Group("g", "Group", ("a",)), Group("h")),
        legend=(LegendEntry("k", "Kind"),),
    )
    measurer = Measurer(dark, FontBook())
    measured = measure(model, dark, FontBook())
    assert measured.blocks == {b.id: block_size(b, measurer) for b in model.blocks}
    radius = dark.length("--sa-radius")
    assert {b: s.corner(Box(0, 0, 100, 40)) for b, s in measured.shapes.items()} == {"a": radius, "b": radius}
    assert measured.labels == {0: measurer.stack(("x → y", "label-text"))}  # only labelled edges
    label = measured.labels[0]
    assert measured.pills == {0: (label.width + 2 * LABEL_PAD_X, label.height + 2 * LABEL_PAD_Y)}
    assert measured.notes == (measurer.stack(("a note", "note")),)
    assert measured.row_labels == (measurer.stack(("full res", "row-label-text")),)
    assert measured.groups == {"g": measurer.stack(("Group", "group-label"))}  # only labelled groups
    assert measured.legend == (measurer.stack(("Kind", "legend-text")),)
    assert measured.group_strip > measured.groups["g"].height


def test_spacing_is_the_themes_geometry_in_px(dark: Theme) -> None:
    spacing = spacing_of(dark)
    for name, value in spacing._asdict().items():
        assert value == dark.length(f"--sa-{name.replace('_', '-')}".replace("corner-radius", "radius"))
    assert spacing.route_radius == spacing.corner_radius * 1.5


@pytest.mark.parametrize("width", [0.0, 60.0, 120.0, 250.0, 1000.0])
def test_a_wrapped_title_measures_as_its_lines_do(measurer: Measurer, width: float) -> None:
    text = "Encoder and decoder with FiLM conditioning — skip connections\nsecond line"
    stack = measure(DiagramModel(title=text), measurer.theme, FontBook()).title.wrap(width)
    lines = [line.text for line in stack.lines]
    assert " ".join(lines).replace("second", "\nsecond").replace(" \n", "\n") == text
    for line in stack.lines:
        assert line == measurer.line(line.text, "title")
        assert line.width <= width or " " not in line.text.strip()  # only a single word may be wider
    for first, second in itertools.pairwise(stack.lines):  # greedy: the next word did not fit
        if second.text != "second line" and second.text.split(" ")[0]:
            joined = measurer.line(f"{first.text} {second.text.split(' ')[0]}", "title")
            assert joined.width > width


def test_an_empty_title_has_no_lines(dark: Theme) -> None:
    assert measure(DiagramModel(), dark, FontBook()).title.wrap(500.0).lines == ()


LONG_LABEL = "gradients of the loss with respect to every parameter, averaged over the replicas"


def test_a_long_label_wraps_to_the_theme_width_in_balanced_lines(dark: Theme, tmp_path: Path) -> None:
    measurer = Measurer(dark, FontBook())
    one = measurer.line(LONG_LABEL, "label-text").width
    stack = label_stack(LONG_LABEL, measurer, 200.0)
    assert one > 400 and 2 <= len(stack.lines) <= 3
    assert all(ln.width <= 200.0 for ln in stack.lines)
    assert " ".join(ln.text for ln in stack.lines) == LONG_LABEL  # broken at spaces, nothing lost
    widths = [ln.width for ln in stack.lines]
    assert max(widths) - min(widths) < 0.5 * max(widths)  # balanced, not one full line and a stub
    # the pill is measured from the wrapped stack; 0 turns wrapping off, a short label is left whole
    css = tmp_path / "wide.css"
    css.write_text(".svgarch { --sa-label-wrap: 0px; }", encoding="utf-8")
    model = DiagramModel(blocks=(Block("a"), Block("b")), edges=(Edge(("a",), ("b",), label=LONG_LABEL),))
    wrapped, whole = measure(model, dark, FontBook()), measure(model, load_theme("dark", [str(css)]), FontBook())
    assert wrapped.labels[0] == stack and wrapped.pills[0][0] == pytest.approx(max(widths) + 2 * LABEL_PAD_X)
    assert len(whole.labels[0].lines) == 1 and whole.pills[0][0] == pytest.approx(one + 2 * LABEL_PAD_X)
    assert label_stack("x → y", measurer, 200.0) == measurer.stack(("x → y", "label-text"))
