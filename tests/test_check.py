"""svgarch.check: each defect found on a tiny scene built by hand, and left alone when absent.

Scenes are drawn here, not laid out, so these tests hold whatever the
layout does; the examples are checked at the end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from svgarch.check import Report, check_scene, membership_of
from svgarch.cli import main
from svgarch.geometry import Box, Point
from svgarch.layout.paths import head
from svgarch.pipeline import build_scene
from svgarch.read_svg import read_scene
from svgarch.render.svg import to_svg
from svgarch.scene import Line, Pill, Scene, SceneBlock, SceneEdge, SceneFan, SceneGroup, SceneNote, ScenePath, TextLine
from svgarch.shapes import SHAPES
from svgarch.spec import load_model
from svgarch.theme import Theme

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def block(id: str, box: Box, shape: str = "rounded") -> SceneBlock:
    return SceneBlock(id, "", shape, box, (), "", SHAPES[shape].corner(box))  # base.css's radius


def text(s: str, box: Box, role: str = "note") -> TextLine:
    return TextLine(s, box.x, box.bottom - 3, role, "start", box)


def pill(s: str, centre: Point, w: float = 40.0, h: float = 18.0) -> Pill:
    box = Box.around(centre.x, centre.y, w, h)
    return Pill(box, (text(s, box.inflate(-3), "label-text"),))


def edge(
    source: str, target: str, *points: Point, arrow: str = "end", label: Pill | None = None
) -> SceneEdge:
    """An edge through ``points`` whose head tip is the last point (the first for ``arrow="start"``)."""
    pts = list(points)
    heads = []
    if arrow == "end":
        heads.append(head(pts[-1], pts[-1] - pts[-2], 9.0, 8.0))
        pts[-1] = pts[-1] - (pts[-1] - pts[-2]).unit().scale(6.3)
    elif arrow == "start":
        heads.append(head(pts[0], pts[0] - pts[1], 9.0, 8.0))
        pts[0] = pts[0] - (pts[0] - pts[1]).unit().scale(6.3)
    path = ScenePath(pts[0], tuple(Line(p) for p in pts[1:]))
    return SceneEdge(source, target, "", path, tuple(heads), label, "")


def scene(
    blocks: list[SceneBlock],
    edges: list[SceneEdge | SceneFan] | None = None,
    groups: list[SceneGroup] | None = None,
    notes: list[SceneNote] | None = None,
) -> Scene:
    return Scene(
        "t", 600.0, 400.0, (), "", tuple(blocks), tuple(edges or ()), tuple(groups or ()), tuple(notes or ()),
        (), None, (), (),
    )


def note(s: str, box: Box) -> SceneNote:
    return SceneNote("", box, (text(s, box),))


def findings(report: Report) -> dict[str, list[str]]:
    """The non-empty sections of a report."""
    return {name: items for name, items, _ in report.sections() if items}


A = Box(100, 40, 80, 40)  # a above b, 60 px apart
B = Box(100, 140, 80, 40)


def a_to_b(**kw: object) -> SceneEdge:
    return edge("a", "b", Point(140, 80), Point(140, 140), **kw)  # type: ignore[arg-type]


def test_a_clean_scene_has_no_findings() -> None:
    group = SceneGroup("g", Box(80, 0, 200, 200), text("G", Box(90, 3, 10, 14), "group-label"))
    s = scene(
        [block("a", A), block("b", B)],
        [a_to_b(label=pill("x", Point(140, 110)))],
        [group],
        [note("far away", Box(300, 300, 80, 14))],
    )
    report = check_scene(s)
    assert report.clean and findings(report) == {}, report.lines()
    assert report.lines()[0] == "2 blocks, 1 edges, 1 labels"


def test_crossings_alone_leave_a_diagram_clean() -> None:
    c, d = Box(20, 100, 40, 20), Box(240, 100, 40, 20)
    crossing = edge("c", "d", Point(60, 110), Point(240, 110))
    report = check_scene(scene([block("a", A), block("b", B), block("c", c), block("d", d)], [a_to_b(), crossing]))
    assert findings(report) == {"edge crossings": ["edge a→b crosses edge c→d"]} and report.clean


# --- block overlaps ---------------------------------------------------------------------------


def test_overlapping_blocks() -> None:
    report = check_scene(scene([block("a", A), block("b", A.moved(60, 20))]))
    assert findings(report) == {"block overlaps": ["block a overlaps block b"]}
    assert not report.clean


def test_blocks_that_touch_do_not_overlap() -> None:
    assert check_scene(scene([block("a", A), block("b", A.moved(80, 0)), block("c", A.moved(0, 40.5))])).clean


def test_a_circle_drawn_bigger_than_its_box_overlaps_its_neighbour() -> None:
    # A circle 160 px wide in a 60 px high box is drawn 160 px high (the SVG's r is half the width).
    wide = Box(100, 100, 160, 60)
    below = Box(140, 200, 80, 40)
    report = check_scene(scene([block("c", wide, "circle"), block("b", below)]))
    assert findings(report) == {"block overlaps": ["block c overlaps block b"]}


def test_curved_shapes_whose_boxes_meet_only_at_corners_do_not_overlap() -> None:
    a, b = Box(100, 100, 60, 60), Box(155, 155, 60, 60)  # boxes overlap by 5 × 5 px, circles are far apart
    for shape in ("circle", "ellipse", "diamond", "pill"):
        assert check_scene(scene([block("a", a, shape), block("b", b, shape)])).clean, shape


# --- notes ------------------------------------------------------------------------------------


def test_a_note_over_a_block() -> None:
    report = check_scene(scene([block("a", A)], notes=[note("hello", Box(150, 60, 80, 14))]))
    assert findings(report) == {"note overlaps": ["note 'hello' overlaps block a"]}
    assert not report.clean


def test_a_note_on_an_edge() -> None:
    report = check_scene(scene([block("a", A), block("b", B)], [a_to_b()], notes=[note("hi", Box(120, 100, 60, 14))]))
    assert findings(report) == {"note overlaps": ["note 'hi' overlaps edge a→b"]}


def test_a_note_in_the_corner_of_a_circles_box_is_clear_of_the_circle() -> None:
    circle = Box(100, 100, 80, 80)
    assert check_scene(scene([block("c", circle, "circle")], notes=[note("n", Box(102, 102, 10, 10))])).clean


def test_each_line_of_a_note_is_measured() -> None:
    # The note's box covers the corner between its two lines; the block there touches neither line.
    lines = (text("first", Box(100, 0, 40, 14)), text("second line is long", Box(100, 18, 140, 14)))
    two_lines = SceneNote("", Box(100, 0, 140, 32), lines)
    assert check_scene(scene([block("a", Box(160, 0, 80, 14))], notes=[two_lines])).clean
    assert check_scene(scene([block("a", Box(160, 20, 80, 14))], notes=[two_lines])).note_overlaps == [
        "note 'first' overlaps block a"
    ]


# --- group labels -----------------------------------------------------------------------------


GROUP = SceneGroup("g", Box(60, 110, 200, 100), text("namespace: core", Box(70, 113, 100, 14), "group-label"))


def test_an_edge_through_a_group_label() -> None:
    report = check_scene(scene([block("a", A), block("b", B)], [a_to_b()], [GROUP]))
    assert findings(report) == {"group labels covered": ["edge a→b crosses group g's label 'namespace: core'"]}
    assert not report.clean


def test_an_edge_may_cross_a_group_frame_beside_its_label() -> None:
    frame = GROUP._replace(label=text("core", Box(200, 113, 40, 14), "group-label"))
    assert check_scene(scene([block("a", A), block("b", B)], [a_to_b()], [frame])).clean


def test_a_block_or_a_label_over_a_group_label() -> None:
    lonely = [block("a", Box(150, 100, 40, 20))]
    report = check_scene(scene(lonely, [], [GROUP]))
    assert findings(report) == {"group labels covered": ["block a overlaps group g's label 'namespace: core'"]}
    labelled = edge("a", "b", Point(20, 300), Point(300, 300), label=pill("x", Point(100, 120)))
    ends = [block("a", Box(0, 290, 20, 20)), block("b", Box(300, 290, 20, 20))]
    report = check_scene(scene(ends, [labelled], [GROUP]))
    assert findings(report)["group labels covered"] == ["label 'x' overlaps group g's label 'namespace: core'"]


# --- edge ends on outlines --------------------------------------------------------------------


def target(shape: str) -> Box:
    return Box(110, 140, 60, 60) if shape == "circle" else Box(100, 140, 80, 60)


@pytest.mark.parametrize("shape", SHAPES)
def test_a_head_on_the_outline_of_every_shape(shape: str) -> None:
    b = target(shape)
    top = Point(b.cx, b.y)  # on every outline: the top of a cylinder's cap, a diamond's top corner, …
    s = scene([block("a", A), block("b", b, shape)], [edge("a", "b", Point(140, 80), top)])
    assert check_scene(s).clean, check_scene(s).lines()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("offset", "where"), [(-5.0, "outside"), (5.0, "inside")])
def test_a_head_short_of_or_into_every_shape(shape: str, offset: float, where: str) -> None:
    b = target(shape)
    tip = Point(b.cx, b.y + offset)
    report = check_scene(scene([block("a", A), block("b", b, shape)], [edge("a", "b", Point(140, 80), tip)]))
    # 5 px below a diamond's top corner is 4 px from its sides (slope 3/4)
    d = 4.0 if (shape, where) == ("diamond", "inside") else 5.0
    assert report.loose_ends == [f"edge a→b: its head ends {d:.1f} px {where} block b's {shape}"]
    assert list(findings(report)) == ["edge ends off outlines"]
    assert not report.clean


def test_a_head_within_tolerance_of_the_outline() -> None:
    tip = Point(140, 141.4)
    assert check_scene(scene([block("a", A), block("b", B)], [edge("a", "b", Point(140, 80), tip)])).clean


def test_a_head_in_the_rounded_end_of_a_pill() -> None:
    # A port 18 px from the end of a 60 px high pill, placed on its box: the head stops short of the curve.
    concat = Box(100, 140, 220, 60)
    tip = Point(concat.x + 18, concat.y)
    report = check_scene(scene([block("a", A), block("c", concat, "pill")], [edge("a", "c", Point(118, 80), tip)]))
    assert report.loose_ends == ["edge a→c: its head ends 2.3 px outside block c's pill"]


def test_heads_on_a_circle_drawn_smaller_than_its_box() -> None:
    # A circle 160 px high in a 60 px wide box is drawn 60 px across: ends on its box stop in empty space.
    tall = Box(110, 140, 60, 160)
    into = edge("a", "c", Point(140, 80), Point(140, 140))
    out = edge("c", "b", Point(140, 300), Point(140, 360))
    blocks = [block("a", A), block("c", tall, "circle"), block("b", Box(100, 360, 80, 40))]
    report = check_scene(scene(blocks, [into, out]))
    assert report.loose_ends == [
        "edge a→c: its head ends 50.0 px outside block c's circle",
        "edge c→b: its line starts 50.0 px outside block c's circle",
    ]


def test_a_head_at_the_start_and_an_end_on_a_group_frame() -> None:
    frame = SceneGroup("g", Box(80, 130, 120, 80), None)
    back = edge("g", "a", Point(140, 130), Point(140, 80), arrow="start")
    assert check_scene(scene([block("a", A)], [back], [frame])).clean
    short = edge("g", "a", Point(140, 126), Point(140, 80), arrow="start")
    assert check_scene(scene([block("a", A)], [short], [frame])).loose_ends == [
        "edge g→a: its head starts 4.0 px outside group g's frame"
    ]
    loose = edge("g", "a", Point(140, 130), Point(140, 85), arrow="start")
    assert check_scene(scene([block("a", A)], [loose], [frame])).loose_ends == [
        "edge g→a: its line ends 5.0 px outside block a's rounded"
    ]


# --- labels off their edge --------------------------------------------------------------------


@pytest.mark.parametrize("dx", [0.0, 25.0, 29.0])  # on the line, beside it (5 px off), 9 px off
def test_a_label_on_or_beside_its_edge(dx: float) -> None:
    assert check_scene(scene([block("a", A), block("b", B)], [a_to_b(label=pill("x", Point(140 + dx, 110)))])).clean


def test_a_label_away_from_its_edge() -> None:
    report = check_scene(scene([block("a", A), block("b", B)], [a_to_b(label=pill("far", Point(180, 110)))]))
    assert findings(report) == {"labels off their edge": ["label 'far' is 20.0 px from its edge a→b"]}
    assert not report.clean


def test_a_fan_label_near_any_of_its_edges() -> None:
    c = Box(220, 140, 80, 40)
    to_b = edge("a", "b", Point(140, 80), Point(140, 140))
    to_c = edge("a", "c", Point(160, 80), Point(260, 140))
    near_c = SceneFan("", (to_b, to_c), pill("fan", Point(230, 105)))
    assert check_scene(scene([block("a", A), block("b", B), block("c", c)], [near_c])).clean
    far = near_c._replace(label=pill("fan", Point(240, 80)))
    assert check_scene(scene([block("a", A), block("b", B), block("c", c)], [far])).detached_labels == [
        "label 'fan' is 23.2 px from its edge a→c"
    ]


# --- the same findings from the SVG, and the command's output ---------------------------------


def test_shapes_and_groups_read_back_from_the_svg(dark: Theme, tmp_path: Path) -> None:
    blocks = [block(shape, Box(20 + 90 * i, 40, 80, 60), shape) for i, shape in enumerate(SHAPES)]
    svg = tmp_path / "shapes.svg"
    svg.write_text(to_svg(scene(blocks, groups=[GROUP]), dark), encoding="utf-8")
    back = read_scene(svg)
    assert [(b.id, b.shape) for b in back.blocks] == [(b.id, b.shape) for b in blocks]
    for b, read in zip(blocks, back.blocks, strict=True):  # as drawn: a cylinder's caps included, a circle round
        assert tuple(read.box) == pytest.approx(tuple(SHAPES[b.shape].drawn_box(b.box)), abs=0.01), b.shape
    assert [(g.id, g.box, g.label.text if g.label else None) for g in back.groups] == [
        ("g", GROUP.box, "namespace: core")
    ]


def test_the_command_names_every_new_defect(dark: Theme, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wide = Box(100, 200, 160, 60)  # a circle drawn 160 px high: it overlaps b below it, a→c's head stops inside it
    s = scene(
        [block("a", A), block("c", wide, "circle"), block("b", Box(140, 300, 80, 40))],
        [edge("a", "c", Point(140, 80), Point(140, 200), label=pill("far", Point(190, 140)))],
        [GROUP._replace(box=Box(60, 117, 240, 240), label=text("group", Box(120, 120, 40, 14), "group-label"))],
        [note("note", Box(110, 50, 30, 14))],
    )
    svg = tmp_path / "bad.svg"
    svg.write_text(to_svg(s, dark), encoding="utf-8")
    assert main(["check", str(svg)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{svg}: 3 blocks, 1 edges, 1 labels"
    measures = next(i for i, line in enumerate(out) if line.startswith("  area per text"))
    collisions, quality = out[:measures], out[measures:]  # the quality measures follow the collisions
    assert [line for line in collisions if line.startswith("    ")] == [
        "    block c overlaps block b",
        "    label 'far' is 30.0 px from its edge a→c",
        "    note 'note' overlaps block a",
        "    edge a→c crosses group g's label 'group'",
        "    edge a→c: its head ends 29.9 px inside block c's circle",
    ]
    assert "    label of a→c is 50 px from its edge" in quality  # the far label is ambiguous too
    assert out[-1] == "  NOT CLEAN"


def test_blocks_placed_on_each_other_fail_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "stacked.toml"
    spec.write_text('block = [ { id = "a", x = 100, y = 100 }, { id = "b", x = 130, y = 100 } ]\n')
    assert main(["check", str(spec)]) == 1
    out = capsys.readouterr().out
    assert "  block overlaps: 1\n    block a overlaps block b\n" in out


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_is_clean(spec: Path) -> None:
    model = load_model(str(spec))
    report = check_scene(build_scene(model)[0], membership_of(model))  # as the command checks a description
    assert report.clean, "\n".join(report.lines())


def test_a_start_head_joins_the_start_of_its_line() -> None:
    """An edge with heads at both ends reaches its start head's tip from its start, not from its end."""
    bent = ScenePath(Point(0, 0), (Line(Point(100, 0)), Line(Point(100, 100))))
    both = SceneEdge("a", "b", "", bent, ((Point(-8, 0), Point(0, -3), Point(0, 3)),), None, "a → b")
    other = SceneEdge("c", "d", "", ScenePath(Point(30, 50), (Line(Point(70, 50)),)), (), None, "c → d")
    other = other._replace(label=Pill(Box(35, 41, 30, 18), ()))  # on its own line, inside the bend of a → b
    scene = Scene("sa-t", 300, 300, (), "", (), (both, other), (), (), (), None, (), ())
    assert [o for o in check_scene(scene).label_overlaps if "a→b" in o] == []


def test_a_tight_loops_head_belongs_to_its_end() -> None:
    """A loop's two ends lie close together: its head is told apart by where the line stops under it."""
    tip = Point(A.right, A.cy + 3)  # the end port, 6 px below the start port
    loop = edge("a", "a", Point(A.right, A.cy - 3), Point(A.right + 20, A.cy - 3), Point(A.right + 20, A.cy + 3), tip)
    assert check_scene(scene([block("a", A, "rect")], [loop])).loose_ends == []
