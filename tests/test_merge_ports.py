"""Straight edges by ports, side inputs of merge nodes, operator glyphs scaled to their circle."""

from __future__ import annotations

from pathlib import Path

import pytest

from svgarch.check import check_scene
from svgarch.geometry import Box, Point
from svgarch.layout.merges import Arrival, side_inputs
from svgarch.layout.ports import PortRequest, align_columns, spread
from svgarch.layout.types import DrawnEdge, EdgeStyle, Guide
from svgarch.measure import Measurer, block_size, block_text, is_operator
from svgarch.model import Block, Edge
from svgarch.pipeline import build_scene, render_svg
from svgarch.read_svg import read_scene
from svgarch.scene import Scene, SceneEdge
from svgarch.spec import model_from_raw, read_description

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_an_end_that_can_run_straight_holds_its_place_while_its_neighbour_moves() -> None:
    boxes = {"a": Box(0, 0, 120, 40), "b": Box(0, 100, 100, 40), "c": Box(60, 100, 100, 40)}
    requests = [
        PortRequest((0, 0), "a", "bottom", 50.0, direct=False),  # lines up with its other end (its gates' column)
        PortRequest((0, 1), "b", "top", 50.0, direct=False),
        PortRequest((1, 0), "a", "bottom", 58.0, direct=False),  # will bend anyway
        PortRequest((1, 1), "c", "top", 90.0, direct=False),
    ]
    ports = spread(requests, boxes, 18, 14)
    assert ports[(0, 0)].x == pytest.approx(ports[(0, 1)].x, abs=0.05)  # straight, not an S-jog
    assert ports[(1, 0)].x - ports[(0, 0)].x == pytest.approx(18)  # the other end made the room


def test_an_end_that_can_run_straight_may_come_nearer_the_corner() -> None:
    boxes = {"a": Box(0, 0, 100, 40), "b": Box(-50, 100, 80, 40)}
    requests = [PortRequest((0, 0), "a", "bottom", 8.0, direct=False), PortRequest((0, 1), "b", "top", 8.0, False)]
    ports = spread(requests, boxes, 18, 14)
    assert ports[(0, 0)].x == ports[(0, 1)].x == 8.0  # 8 px in: past the 14 px inset a bend needs


def test_merge_node_keeps_the_main_input_on_top_and_takes_the_farthest_on_each_flank_by_its_side() -> None:
    boxes = {"m": Box(30, 100, 40, 40)}
    arrivals = [
        Arrival(0, "m", "top", 50.0, span=0),  # from the layer before, in line: the main input
        Arrival(1, "m", "top", -40.0, span=3),  # a skip from far left
        Arrival(2, "m", "top", 10.0, span=2),  # nearer on the left: stays beside the main one
        Arrival(3, "m", "top", 130.0, span=1),
    ]
    assert side_inputs(arrivals, boxes, lambda a, flank: True) == {1: "left", 3: "right"}
    blocked = side_inputs(arrivals, boxes, lambda a, flank: a.number != 1)
    assert blocked == {3: "right"}  # the farthest cannot get there: the next one out, round to the
    # flank, would cross its way in beside the main input


def test_a_skip_input_stays_beside_the_main_input_where_that_comes_from_farther_out() -> None:
    # a label node's edge (the main input, from the layer before) comes from farther left than a skip's
    # last gate: the skip round to the left flank would cross it (bench_batch's small diagrams, d007)
    boxes = {"m": Box(30, 100, 40, 40)}
    arrivals = [Arrival(0, "m", "top", -60.0, span=1), Arrival(1, "m", "top", -20.0, span=5)]
    assert side_inputs(arrivals, boxes, lambda a, flank: True) == {}


def test_the_main_input_is_the_one_from_the_nearest_layer_even_when_a_skip_is_more_in_line() -> None:
    boxes = {"m": Box(30, 100, 40, 40)}
    arrivals = [Arrival(0, "m", "top", 0.0, span=1), Arrival(1, "m", "top", 101.0, span=7)]
    assert side_inputs(arrivals, boxes, lambda a, flank: True) == {1: "right"}


def test_a_node_with_one_input_keeps_it_on_top() -> None:
    assert side_inputs([Arrival(0, "m", "top", -200.0, span=4)], {"m": Box(0, 0, 40, 40)}, lambda a, f: True) == {}


def _example_scene(name: str) -> Scene:
    path = EXAMPLES / f"{name}.toml"
    raw, where = read_description(path)
    return build_scene(model_from_raw(raw, str(path), where, path.parent))[0]


def test_resnets_identity_shortcut_enters_the_add_node_by_its_side_square() -> None:
    scene = _example_scene("resnet")
    add = next(b for b in scene.blocks if b.id == "add")
    edges = [e for e in scene.edges if isinstance(e, SceneEdge)]
    shortcut = next(e for e in edges if e.source == "x" and e.target == "add")
    main = next(e for e in edges if e.source == "conv3" and e.target == "add")
    tip = shortcut.heads[0][0]
    assert tip.y == pytest.approx(add.box.cy, abs=0.5) and tip.x >= add.box.cx  # on the right, level with the middle
    assert main.heads[0][0].y < add.box.cy - add.box.h / 4  # the main input stays on top
    assert check_scene(scene).clean


def test_a_residual_leaves_its_round_fork_square_by_the_flank_beside_the_main_output() -> None:
    """The fresh set's ViT: the residual out of the first ⊕ leaves by the side facing its column (no S-jog
    beside the main output below), turns once down, and comes into the second ⊕ by its side."""
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "fresh" / "vit.toml"
    raw, where = read_description(path)
    scene, _ = build_scene(model_from_raw(raw, str(path), where, path.parent))
    add1 = next(b for b in scene.blocks if b.id == "add1")
    edges = [e for e in scene.edges if isinstance(e, SceneEdge)]
    residual = next(e for e in edges if e.source == "add1" and e.target == "add2")
    start = residual.path.start
    assert start.y == pytest.approx(add1.box.cy, abs=1.0)  # out of the flank, level with the middle
    assert check_scene(scene).clean


@pytest.mark.parametrize(("title", "shape", "subtitle", "operator"), [
    ("⊕", "circle", "", True), ("Σ", "circle", "", True), ("||", "ellipse", "", True), ("×", "circle", "", True),
    ("concat", "circle", "", False), ("⊕", "rounded", "", False), ("⊕", "circle", "add", False),
    ("x", "circle", "", False),
])  # fmt: skip
def test_operator_nodes_are_round_blocks_titled_with_one_or_two_symbols(
    title: str, shape: str, subtitle: str, operator: bool
) -> None:
    assert is_operator(Block("b", title=title, shape=shape, subtitle=subtitle)) is operator


def test_an_operator_glyph_is_drawn_at_twice_the_title_size_in_a_circle_about_as_small(measurer: Measurer) -> None:
    _, title_size = measurer.metrics("block-title")
    plus = Block("p", title="⊕", shape="circle")
    (line,) = block_text(plus, measurer).lines
    assert line.size == 2 * title_size and line.runs is not None and line.runs[0].size == 2 * title_size
    word = block_size(Block("w", title="ab", shape="circle"), measurer)
    assert block_size(plus, measurer).width < word.width * 1.5  # the circle does not balloon


def test_an_operator_glyph_reads_back_from_the_svg_with_its_size_and_fits(tmp_path: Path) -> None:
    path = EXAMPLES / "resnet.toml"
    raw, where = read_description(path)
    svg = render_svg(model_from_raw(raw, str(path), where, path.parent))
    assert 'font-size="26">⊕</tspan>' in svg
    out = tmp_path / "resnet.svg"
    out.write_text(svg, encoding="utf-8")
    back = read_scene(out)
    (line,) = next(b for b in back.blocks if b.id == "add").lines
    assert line.box.h > 26  # measured at the glyph's size, not the title's 13 px
    report = check_scene(back)
    assert report.clean and not report.text_overflow


STYLE = EdgeStyle(margin=8, radius=12, head_length=11, head_width=9, port_spacing=18, port_inset=18, flow_vertical=True)


def _column_case(column: float, others: dict[str, Box] | None = None, label: str = "") -> dict[int, Guide]:
    """An edge from ``a`` down to ``b`` (overlapping over x 60–100) through two bands at x = ``column``."""
    blocks = {"a": Box(0, 0, 100, 40), "b": Box(60, 200, 100, 40), **(others or {})}
    gates = ((Point(column, 60), Point(column, 100)), (Point(column, 120), Point(column, 160)))
    drawn = [DrawnEdge(0, 0, "a", "b", Edge(("a",), ("b",), label=label))]
    return align_columns(drawn, {0: Guide(gates, ("bottom", "top"))}, blocks, STYLE)


def test_a_column_of_gates_just_beside_both_ends_moves_onto_their_shared_stretch() -> None:
    moved = _column_case(55.0)[0]
    assert {p.x for gate in moved.gates for p in gate} == {69.0}  # 60 + half the inset: both ends can sit there


def test_a_column_stays_where_a_block_or_a_label_or_the_distance_forbids_the_move() -> None:
    assert _column_case(55.0, {"c": Box(62, 70, 30, 20)})[0].gates[0][0].x == 55.0  # a block in the way
    assert _column_case(55.0, label="x")[0].gates[0][0].x == 55.0  # its label sits on its column
    assert _column_case(20.0)[0].gates[0][0].x == 20.0  # 49 px: further than two port spacings
