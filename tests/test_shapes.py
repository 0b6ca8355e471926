"""The shapes room: every shape's record agrees with itself — its text fits its outline, edges end on
that outline on every side, what it draws reads back — and the shapes added as one record each
(hexagon, parallelogram, document, box3d) draw the same in cairosvg, rsvg, resvg and Chromium."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import svgarch
from svgarch.errors import SpecError
from svgarch.geometry import Box, Point, points_box
from svgarch.outline import signed_distance
from svgarch.render.raster import to_png
from svgarch.shapes import NORMALS, SHAPES, css_rules, read_shape, shape_of
from svgarch.shapes.base import Shape
from svgarch.spec.jsonschema import json_schema
from svgarch.spec.schema import BLOCK
from tests.test_renderers import RENDERERS
from tests.web import SHAPES as SHAPE_TOLERANCE
from tests.web import WHOLE, chromium_session, difference, page_html, without_text

ROOT = Path(__file__).resolve().parent.parent
NEW = ("hexagon", "parallelogram", "document", "box3d")
TEXTS = [(40.0, 14.0), (180.0, 30.0), (12.0, 60.0)]  # a short label, a long title and subtitle, a tall stack
PAD = (12.0, 8.0)
# Curves are drawn exactly and checked on polygons through points of them (16 a quarter): 0.25 px apart at most.
ON_OUTLINE = 0.3


def corners(box: Box) -> list[Point]:
    return [Point(box.x, box.y), Point(box.right, box.y), Point(box.right, box.bottom), Point(box.x, box.bottom)]


def sized(shape: Shape, text_w: float, text_h: float) -> tuple[Box, Box]:
    """The box a shape takes for a text block, and where the text block goes in it."""
    w, h = shape.size(text_w, text_h, *PAD, 0.0, 0.0)
    box = Box(100.0, 50.0, w, h)
    dx, dy = shape.text_offset(box)
    return box, Box.around(box.cx + dx, box.cy + dy, text_w, text_h)


def test_the_registry_is_the_one_list_of_shape_names() -> None:
    assert list(SHAPES)[:7] == ["rounded", "rect", "pill", "circle", "ellipse", "cylinder", "diamond"]
    assert set(NEW) <= set(SHAPES)
    assert all(shape.name == name and shape.doc for name, shape in SHAPES.items())
    assert next(k for k in BLOCK if k.name == "shape").choices == tuple(SHAPES)
    block = json_schema()["properties"]["block"]
    keys = (block.get("items") or block["anyOf"][0]["items"])["properties"]
    assert keys["shape"]["enum"] == list(SHAPES) and "depth" in keys
    docs = (ROOT / "docs" / "format.md").read_text(encoding="utf-8") + (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in docs for name in SHAPES)


# --- each record agrees with itself -------------------------------------------------------------------


@pytest.mark.parametrize("name", SHAPES)
@pytest.mark.parametrize(("text_w", "text_h"), TEXTS)
def test_the_outline_holds_the_text_box(name: str, text_w: float, text_h: float) -> None:
    shape = SHAPES[name]
    box, text = sized(shape, text_w, text_h)
    outline = shape.outline(box)
    assert all(signed_distance(p, outline) < 0 for p in corners(text)), name
    assert shape.holds(text, box, 1.0), name
    assert not shape.holds(text.inflate(max(box.w, box.h)), box, 0.0), name  # and says so when it does not
    assert points_box(outline).inflate(0.01).contains(Point(box.cx, box.cy))


@pytest.mark.parametrize("name", SHAPES)
@pytest.mark.parametrize(("min_w", "min_h"), [(300.0, 0.0), (0.0, 140.0)])
def test_a_minimum_size_is_honoured_and_still_holds_the_text(name: str, min_w: float, min_h: float) -> None:
    shape = SHAPES[name]
    w, h = shape.size(60.0, 30.0, *PAD, min_w, min_h)
    assert w >= min_w and h >= min_h
    box = Box(0.0, 0.0, w, h)
    dx, dy = shape.text_offset(box)
    assert shape.holds(Box.around(box.cx + dx, box.cy + dy, 60.0, 30.0), box, 1.0), name


def ports(box: Box, side: str, inset: float = 14.0) -> Iterator[Point]:
    """Ports along ``side`` of ``box`` from ``inset`` off one end to ``inset`` off the other."""
    along_x = side in ("top", "bottom")
    lo, hi = (box.x, box.right) if along_x else (box.y, box.bottom)
    for i in range(9):
        t = lo + inset + (hi - lo - 2 * inset) * i / 8
        yield {
            "top": Point(t, box.y),
            "bottom": Point(t, box.bottom),
            "left": Point(box.x, t),
            "right": Point(box.right, t),
        }[side]


@pytest.mark.parametrize("name", SHAPES)
@pytest.mark.parametrize("side", ["top", "right", "bottom", "left"])
def test_ports_on_every_side_end_on_the_outline(name: str, side: str) -> None:
    shape = SHAPES[name]
    box, _ = sized(shape, 120.0, 30.0)
    outline = shape.outline(box)
    exact = name in ("rect", *NEW)  # straight sides, or a wave whose ports are found on the polygon itself
    for p in ports(box, side):
        end = shape.on_outline(p, side, box)
        assert abs(signed_distance(end, outline)) <= (1e-6 if exact else ON_OUTLINE), (p, end)
        moved = end - p  # straight in, along the side's inward normal, and no further than the box's far side
        n = NORMALS[side]
        assert abs(moved.x * n.y - moved.y * n.x) < 1e-9 and moved.x * n.x + moved.y * n.y <= 1e-9
        assert box.inflate(1e-6).contains(end)


@pytest.mark.parametrize("name", NEW)
def test_the_new_shapes_meet_an_edge_square_on_at_the_middle_of_their_flat_sides(name: str) -> None:
    shape = SHAPES[name]
    box, _ = sized(shape, 120.0, 30.0)
    flat = {"hexagon": ["top", "bottom"], "parallelogram": ["top", "bottom"], "document": ["top", "left", "right"]}
    for side in flat.get(name, ["left", "bottom"]):  # a 3-D box: its front face's left and bottom
        middle = next(itertools.islice(ports(box, side), 4, None))
        assert shape.on_outline(middle, side, box) == middle, side


@pytest.mark.parametrize("name", SHAPES)
def test_what_a_shape_draws_reads_back(name: str) -> None:
    shape = SHAPES[name]
    box = Box(20.25, 40.5, 140.0, 72.0)
    read, back = read_shape(shape.primitives(box))
    assert read.name == name
    assert tuple(back) == pytest.approx(tuple(shape.drawn_box(box) if name == "circle" else box), abs=0.01)
    assert read.depth == pytest.approx(shape.depth)
    assert shape.primitives(box)[0].cls == "sa-shape"  # the first element is the whole outline


# --- the new shapes, one by one -----------------------------------------------------------------------


def test_a_hexagon_meets_edges_at_its_points() -> None:
    hexagon = SHAPES["hexagon"]
    box = Box(0.0, 0.0, 200.0, 60.0)
    assert hexagon.on_outline(Point(0.0, 30.0), "left", box) == Point(0.0, 30.0)  # the point itself
    up = hexagon.on_outline(Point(0.0, 15.0), "left", box)  # halfway up the slope: in by half its slant
    assert up.x == pytest.approx(30.0 / 3**0.5 / 2) and up.y == 15.0


def test_a_parallelogram_leans_right_and_an_edge_into_its_top_left_meets_the_slope() -> None:
    shape = SHAPES["parallelogram"]
    box = Box(0.0, 0.0, 200.0, 40.0)
    top, right, bottom, left = (shape.outline(box)[i] for i in range(4))
    assert (top.x, right.x, bottom.x, left.x) == pytest.approx((14.0, 200.0, 186.0, 0.0))
    end = shape.on_outline(Point(7.0, 0.0), "top", box)  # above the slope, halfway along the overhang
    assert end.x == 7.0 and end.y == pytest.approx(20.0)


def test_a_document_is_concave_and_edges_into_its_bottom_follow_the_wave() -> None:
    doc = SHAPES["document"]
    box = Box(0.0, 0.0, 300.0, 60.0)
    outline = doc.outline(box)
    low, high = max(p.y for p in outline), min(p.y for p in outline[2:])
    assert low == pytest.approx(60.0, abs=0.05) and high == pytest.approx(60.0 - 2 * 4.8, abs=0.05)
    ends = [doc.on_outline(p, "bottom", box) for p in ports(box, "bottom")]
    assert len({round(e.y, 3) for e in ends}) > 4  # each at its own depth of the wave
    under_the_rise = Point(0.79 * 300.0, 58.0)  # below the wave where it rises (right): outside, though in the box
    assert signed_distance(under_the_rise, outline) > 0
    assert signed_distance(Point(0.21 * 300.0, 58.0), outline) < 0  # where it dips (left): inside


def test_only_a_rounded_rect_takes_a_corner_radius_and_reads_it_back() -> None:
    box = Box(0.0, 0.0, 120.0, 40.0)
    assert shape_of("rounded", radius=3.0).corner(box) == 3.0
    assert shape_of("rounded").corner(box) == 8.0  # base.css's --sa-radius when none is given
    assert shape_of("rect", radius=3.0).corner(box) == 0.0  # square whatever the theme says
    assert shape_of("pill", radius=3.0).corner(box) == 20.0  # round ends: half its height
    assert shape_of("diamond", radius=3.0).corner(box) == 0.0
    rounded = shape_of("rounded", radius=3.0)
    read, read_box = read_shape(rounded.primitives(box))
    assert read.name == "rounded" and read.corner(read_box) == 3.0 and read.outline(box) == rounded.outline(box)


def test_a_3d_box_takes_its_depth_and_keeps_text_on_its_front_face() -> None:
    deep = shape_of("box3d", 30.0)
    assert deep.depth == 30.0 and SHAPES["box3d"].depth == 12.0
    assert shape_of("rounded", 30.0) is SHAPES["rounded"]  # a flat shape has none to take
    w, h = deep.size(100.0, 20.0, *PAD, 0.0, 0.0)
    assert (w, h) == (100.0 + 24.0 + 30.0, 20.0 + 16.0 + 30.0)
    box = Box(0.0, 0.0, w, h)
    assert deep.text_offset(box) == Point(-15.0, 15.0)
    assert not deep.holds(Box(5.0, 5.0, 20.0, 10.0), box, 0.0)  # on the top face, not the front
    faces = {p.cls: p for p in deep.primitives(box)}
    assert set(faces) == {"sa-shape", "sa-shape-top", "sa-shape-side"}
    side = faces["sa-shape-side"].ends()
    assert min(p.x for p in side) == pytest.approx(w - 30.0)
    assert [sel for sel, _ in css_rules(["box3d", "rounded"])] == [".sa-shape-top", ".sa-shape-side"]
    assert css_rules(["rounded", "cylinder"]) == []


def test_depth_is_validated() -> None:
    assert svgarch.Diagram().block("t", shape="box3d", depth=20).model.blocks[0].depth == 20.0
    assert svgarch.Diagram().block("t", shape="box3d").model.blocks[0].depth is None  # the shape's own: 12
    cases: list[tuple[dict[str, Any], str]] = [
        ({"depth": 20}, "block[0].depth: a rounded has no depth (only box3d has one)"),
        ({"shape": "box3d", "depth": 0}, "block[0].depth: must be at least 1, not 0"),
        ({"shape": "box3d", "depth": "deep"}, "block[0].depth: must be a number, not a string"),
    ]
    for keys, message in cases:
        with pytest.raises(SpecError, match=re.escape(message)):
            _ = svgarch.Diagram().block("t", **keys).model


def test_only_a_diagram_with_a_3d_box_carries_the_face_rules() -> None:
    flat = svgarch.Diagram().block("a", shape="hexagon").to_svg()
    solid = svgarch.Diagram().block("a", shape="box3d", depth=16).to_svg()
    assert ".sa-shape-top" not in flat and ".sa-shape-top" in solid
    assert 'class="sa-shape-side"' in solid


# --- the example, drawn by every renderer -------------------------------------------------------------

EXAMPLE = ROOT / "examples" / "shapes.toml"


def test_the_shapes_example_is_clean() -> None:
    from svgarch.check import check_scene
    from svgarch.pipeline import build_scene
    from svgarch.spec import load_model

    model = load_model(EXAMPLE)
    assert {b.shape for b in model.blocks} == set(SHAPES)
    scene, _ = build_scene(model)
    report = check_scene(scene)
    assert report.clean, report.lines()


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_the_shapes_example_draws_alike_in_rsvg_and_resvg(renderer: str) -> None:
    svg = svgarch.load(EXAMPLE).to_svg()
    bare = without_text(svg)
    assert difference(RENDERERS[renderer](bare), to_png(bare, 96), SHAPE_TOLERANCE).within_tolerance


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_session()


@pytest.mark.browser
def test_the_shapes_example_draws_alike_in_chromium(browser: Any) -> None:
    svg = svgarch.load(EXAMPLE).to_svg()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.route("**/*", lambda route: route.abort())
        for drawn, tolerance in ((svg, WHOLE), (without_text(svg), SHAPE_TOLERANCE)):
            page.set_content(page_html(drawn), wait_until="load")
            shot = page.locator("svg.svgarch").screenshot(animations="disabled")
            diff = difference(shot, to_png(drawn, 96), tolerance)
            assert diff.within_tolerance, f"shapes in Chromium vs cairosvg: {diff}"
    finally:
        page.close()


def test_docs_show_the_face_rules_as_the_stylesheet_carries_them() -> None:
    css = (ROOT / "docs" / "css.md").read_text(encoding="utf-8")
    for selector, decls in css_rules(["box3d"]):
        assert f"{selector:<14} {{ " + "; ".join(f"{p}: {v}" for p, v in decls) + " }" in css


def test_a_face_rule_is_overridden_by_the_authors_css(tmp_path: Path) -> None:
    override = tmp_path / "lit.css"
    override.write_text(".sa-shape-top { fill: #ffffff; fill-opacity: 0.25 }\n", encoding="utf-8")
    svg = svgarch.Diagram().block("a", shape="box3d").to_svg(css=[str(override)])
    plain = svg[: svg.index("@media screen")]
    ours, theirs = plain.index(".sa-shape-top { fill: #000000"), plain.index(".sa-shape-top { fill: #ffffff")
    assert ours < theirs  # the same specificity, later: the author's wins


@pytest.mark.parametrize("side", ["left", "right"])
def test_a_cylinder_side_port_level_with_a_cap_ends_on_the_cap(side: str) -> None:
    # held-out feature_store: serving→log came in 8 px under log's top, and its head ended 1.6 px off the cap
    shape, box = SHAPES["cylinder"], Box(100, 100, 180, 64)
    outline = shape.outline(box)
    x = box.x if side == "left" else box.right
    for y in (box.y + 2, box.y + 8, box.cy, box.bottom - 5):
        end = shape.on_outline(Point(x, y), side, box)
        assert abs(signed_distance(end, outline)) < 0.2, (side, y)


def test_an_end_leg_is_run_on_to_a_round_outline_along_its_own_direction() -> None:
    """A port on a circle's bottom side, away from its middle, with a leg running off to the lower right:
    the leg's own line meets the outline (no stub square to the side, which would turn the edge); a
    rect's outline lies on its side, so there is nothing to move."""
    box = Box(0, 0, 100, 100)
    circle = SHAPES["circle"]
    port = Point(80, 100)
    into = Point(-0.8, -0.6)  # back along a leg leaving toward the lower right
    moved = circle.along_onto(port, "bottom", box, into)
    assert moved is not None
    assert abs(math.dist(moved, Point(50, 50)) - 50) < 0.5  # on the outline
    off = moved - port
    assert abs(off.x * into.y - off.y * into.x) < 1e-9 and off.x * into.x > 0  # on the leg's line, behind the port
    assert SHAPES["rect"].along_onto(port, "bottom", box, into) is None
    assert circle.along_onto(port, "bottom", box, Point(0.8, 0.6)) is None  # pointing out of the box: no way in
