"""Quality measures on hand-built drawings, on svgarch's examples and on Graphviz's own SVG."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from svgarch.geometry import Box, Point, turning
from svgarch.quality import Drawing, DrawnEdge, Frame, Node, measure, quantile, svg_drawing
from svgarch.quality.measures import samples

GOLDEN = Path(__file__).parent / "golden"


def node(id: str, x: float, y: float, order: int = 0, w: float = 40, h: float = 20) -> Node:
    return Node(id, Box(x - w / 2, y - h / 2, w, h), order)


def line(*xy: float) -> tuple[Point, ...]:
    return tuple(Point(x, y) for x, y in zip(xy[::2], xy[1::2], strict=True))


def edge(source: str, target: str, *xy: float, label: Box | None = None, fan: int | None = None) -> DrawnEdge:
    points = line(*xy)
    return DrawnEdge(source, target, points, points[-1], label, fan)


def drawing(nodes: list[Node], edges: list[DrawnEdge], frames: tuple[Frame, ...] = (), flow: str = "") -> Drawing:
    return Drawing(tuple(nodes), tuple(edges), frames, 10.0, flow)


def test_samples_are_evenly_spaced_along_a_polyline() -> None:
    pts = samples(line(0, 0, 10, 0, 10, 10), step=2.0)
    assert pts[0] == Point(0, 0)
    assert len(pts) == 11
    assert pts[5] == pytest.approx(Point(10, 0))


def test_turning_counts_quarter_turns() -> None:
    assert turning(line(0, 0, 100, 0)) == pytest.approx(0)
    assert turning(line(0, 0, 100, 0, 100, 100)) == pytest.approx(1)
    assert turning(line(0, 0, 0, -50, 100, -50, 100, 0)) == pytest.approx(2)  # a U-turn over the top


def test_area_per_text_is_the_blocks_box_over_the_title_size_squared() -> None:
    q = measure(drawing([node("a", 20, 10), node("b", 120, 110)], []))
    assert q.area_per_text == pytest.approx(140 * 120 / 100)


def test_frame_fill_counts_the_blocks_inside() -> None:
    frame = Frame("g", Box(0, 0, 100, 100))
    q = measure(drawing([node("a", 50, 50), node("far", 500, 500)], [], (frame,)))
    assert q.frame_fill == [pytest.approx(40 * 20 / 100 / 100)]


def test_two_edges_4px_apart_for_100px_are_a_rail_and_20px_is_not() -> None:
    nodes = [node(n, 0, 0) for n in "abcd"]
    rail = measure(drawing(nodes, [edge("a", "b", 0, 0, 100, 0), edge("c", "d", 0, 4, 100, 4)]))
    assert len(rail.rails) == 1 and not rail.coincident
    short = measure(drawing(nodes, [edge("a", "b", 0, 0, 100, 0), edge("c", "d", 70, 4, 100, 4)]))
    assert not short.rails
    apart = measure(drawing(nodes, [edge("a", "b", 0, 0, 100, 0), edge("c", "d", 0, 20, 100, 20)]))
    assert not apart.rails


def test_coincident_runs_need_edges_with_no_end_in_common() -> None:
    nodes = [node(n, 0, 0) for n in "abcd"]
    unrelated = measure(drawing(nodes, [edge("a", "b", 0, 0, 100, 0), edge("c", "d", 0, 0.5, 100, 0.5)]))
    assert len(unrelated.coincident) == 1
    assert unrelated.failures[0][1] == unrelated.coincident
    trunk = measure(drawing(nodes, [edge("a", "b", 0, 0, 100, 0), edge("a", "d", 0, 0.5, 100, 0.5)]))
    assert not trunk.coincident  # one source's edges running together: a trunk


def test_detour_is_drawn_length_over_straight_distance() -> None:
    q = measure(drawing([node("a", 0, 0), node("b", 100, 0)], [edge("a", "b", 0, 0, 0, -50, 100, -50, 100, 0)]))
    assert q.detour == [pytest.approx(2.0)]
    assert quantile(q.detour, 0.9) == pytest.approx(2.0)


def test_a_label_nearer_a_foreign_edge_is_ambiguous() -> None:
    nodes = [node(n, 0, 0) for n in "abcd"]
    label = Box(45, 15, 10, 6)  # centre (50, 18): 18 px from its edge, 2 px from the other
    q = measure(drawing(nodes, [edge("a", "b", 0, 0, 100, 0, label=label), edge("c", "d", 0, 20, 100, 20)]))
    assert len(q.ambiguous_labels) == 1
    near = Box(45, -3, 10, 6)
    ok = measure(drawing(nodes, [edge("a", "b", 0, 0, 100, 0, label=near), edge("c", "d", 0, 20, 100, 20)]))
    assert not ok.ambiguous_labels
    far = Box(45, 37, 10, 6)
    lost = measure(drawing(nodes, [edge("a", "b", 0, 0, 100, 0, label=far)]))
    assert "40 px from its edge" in lost.ambiguous_labels[0]


def test_heads_closer_than_10px() -> None:
    nodes = [node(n, 0, 0) for n in "abc"]
    q = measure(drawing(nodes, [edge("a", "c", 0, 0, 100, 0), edge("b", "c", 0, 50, 100, 6)]))
    assert len(q.close_heads) == 1


def test_edges_with_a_common_end_that_cross_are_fan_arms_crossing() -> None:
    nodes = [node("s", 50, 0), node("x", 0, 100), node("y", 100, 100)]
    crossing = [edge("s", "x", 40, 0, 100, 100), edge("s", "y", 60, 0, 0, 100)]
    q = measure(drawing(nodes, crossing))
    assert q.crossings == 1 and len(q.fan_crossings) == 1
    apart = [edge("s", "x", 40, 0, 0, 100), edge("s", "y", 60, 0, 100, 100)]
    assert not measure(drawing(nodes, apart)).fan_crossings


def test_order_inversions_unless_the_edges_justify_them() -> None:
    # b is declared after a but drawn left of it in one rank, with nothing to say why
    nodes = [node("a", 200, 0, order=0), node("b", 0, 0, order=1), node("top", 100, -100, order=2)]
    edges = [edge("top", "a", 100, -90, 200, -10), edge("top", "b", 100, -90, 0, -10)]
    q = measure(drawing(nodes, edges, flow="TB"))
    assert q.order_inversions == ["block b is drawn before block a, which the description puts first"]
    # now their parents are drawn the other way round: the order follows them
    nodes = [*nodes[:2], node("p", 300, -100, order=2), node("r", -100, -100, order=3)]
    justified = [edge("p", "a", 300, -90, 200, -10), edge("r", "b", -100, -90, 0, -10)]
    assert not measure(drawing(nodes, justified, flow="TB")).order_inversions


def test_an_edge_to_a_group_justifies_an_order_as_an_edge_to_a_block_does() -> None:
    # "late" is declared after the group's members but drawn left of them: its edge goes to a
    # block drawn left of the one the group's edge goes to, so the order follows the edges
    nodes = [
        node("m1", 200, 0, order=0),
        node("m2", 260, 0, order=1),
        node("late", 0, 0, order=2),
        node("left", 0, -100, order=3),
        node("right", 230, -100, order=4),
    ]
    frames = (Frame("g", Box(170, -20, 120, 40)),)
    edges = [edge("right", "g", 230, -90, 230, -20), edge("left", "late", 0, -90, 0, -10)]
    assert not measure(drawing(nodes, edges, frames, flow="TB")).order_inversions
    # without the frame's edge nothing explains it
    q = measure(drawing(nodes, edges[1:], frames, flow="TB"))
    assert len(q.order_inversions) == 2


def test_a_block_justified_before_one_member_of_a_frame_is_justified_before_all() -> None:
    # "late" (declared last) is drawn left of a frame holding m1 and m2: its edge goes to a block drawn
    # left of m1's, so it stands before m1, and a frame is drawn as one, so before m2 too, although m2's
    # only neighbour is drawn straight above late's (game_server's reports, replays and match results)
    nodes = [
        node("m1", 200, 0, order=0),
        node("m2", 260, 0, order=1),
        node("late", 0, 0, order=2),
        node("top", 0, -100, order=3),
        node("down", 0, 100, order=4),
        node("under", 200, 100, order=5),
    ]
    edges = [
        edge("top", "m2", 0, -90, 260, -10),
        edge("late", "down", 0, 10, 0, 90),
        edge("m1", "under", 200, 10, 200, 90),
    ]
    frames = (Frame("g", Box(170, -20, 120, 40)),)
    assert not measure(drawing(nodes, edges, frames, flow="TB")).order_inversions
    # unframed, late could stand between them: against m2 nothing explains it
    q = measure(drawing(nodes, edges, flow="TB"))
    assert q.order_inversions == ["block late is drawn before block m2, which the description puts first"]


def test_an_edge_that_passes_the_next_rank_justifies_an_order_by_where_it_runs() -> None:
    # a (declared first) feeds n1 and, past it, n2 straight under n1; b feeds n1 only. Drawn after b,
    # a's edge to n2 runs right of n1: drawn first, it would cross b's edge. Its ends alone say nothing.
    nodes = [
        node("a", 200, 0, order=0),
        node("b", 0, 0, order=1),
        node("n1", 0, 100, order=2),
        node("n2", 0, 200, order=3),
    ]
    common = [edge("b", "n1", 0, 10, 0, 90), edge("a", "n1", 190, 10, 15, 90)]
    past = edge("a", "n2", 200, 10, 200, 150, 10, 190)
    assert not measure(drawing(nodes, [*common, past], flow="TB")).order_inversions
    # the same edge coming round on the other side explains nothing
    round_left = edge("a", "n2", 190, 10, -100, 50, -100, 150, -10, 190)
    assert len(measure(drawing(nodes, [*common, round_left], flow="TB")).order_inversions) == 1


def test_pinned_blocks_are_not_out_of_order() -> None:
    nodes = [node("a", 200, 0, order=0)._replace(pinned=True), node("b", 0, 0, order=1)]
    assert not measure(drawing(nodes, [], flow="TB")).order_inversions


@pytest.mark.parametrize("name", sorted(p.stem for p in GOLDEN.glob("*.svg")))
def test_every_example_has_no_failing_measure(name: str) -> None:
    path = GOLDEN / f"{name}.svg"
    q = measure(svg_drawing(path, path.read_text(encoding="utf-8")))
    assert q.blocks > 0
    assert all(not items for _, items in q.failures), q.lines()


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is installed by make test")
def test_graphviz_svg_is_read_with_the_same_ruler(tmp_path: Path) -> None:
    dot = """digraph G { rankdir=TB; node [shape=box, fontsize=10];
      subgraph cluster_svc { label="svc"; api; worker; }
      api -> worker [label="jobs"]; api -> db; worker -> db; db -> db; }"""
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True).stdout
    path = tmp_path / "g.svg"
    path.write_text(svg, encoding="utf-8")
    d = svg_drawing(path, svg)
    assert [n.id for n in d.nodes] == ["api", "worker", "db"]
    assert [f.id for f in d.frames] == ["svc"]
    assert d.title_size == pytest.approx(10 * 96 / 72)
    assert {(e.source, e.target) for e in d.edges} == {("api", "worker"), ("api", "db"), ("worker", "db"), ("db", "db")}
    by_id = {n.id: n.box for n in d.nodes}
    for e in d.edges:  # every tip lands on its target's box, in px
        assert e.tip is not None
        box = by_id[e.target].inflate(2)
        assert box.x <= e.tip.x <= box.right and box.y <= e.tip.y <= box.bottom
    labelled = next(e for e in d.edges if e.label is not None)
    assert (labelled.source, labelled.target) == ("api", "worker")
    q = measure(d)
    assert q.frame_fill and 0 < q.frame_fill[0] < 1
    assert not q.ambiguous_labels


@pytest.mark.parametrize(
    ("folder", "least"), [("corpus", 15), ("heldout", 10), ("fresh", 8), ("fourth", 10), ("fifth", 12)]
)
def test_the_corpus_dot_files_are_the_descriptions_graphs(folder: str, least: int) -> None:
    # every set's twins are made by the corpus's converter (held-out's to_dot.py calls it too)
    import importlib.util

    benchmarks = Path(__file__).parent.parent / "benchmarks"
    path = benchmarks / "corpus" / "to_dot.py"
    spec = importlib.util.spec_from_file_location("corpus_to_dot", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert len(list((benchmarks / folder).glob("*.toml"))) >= least
    assert module.main([str(benchmarks / folder), "--check"]) == 0


def test_check_prints_the_measures_and_fails_on_lines_nobody_can_trace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from svgarch.cli import main

    examples = Path(__file__).parent.parent / "examples"
    assert main(["check", str(examples / "worker_pool.toml")]) == 0
    out = capsys.readouterr().out
    assert "area per text:" in out and "declared-order inversions: " in out and out.rstrip().endswith("clean")
    # two unrelated edges drawn on one line: a coincident run makes the diagram unclean
    spec = tmp_path / "d.toml"
    spec.write_text(
        """
block = [{ id = "a", x = 100, y = 100 }, { id = "b", x = 500, y = 100 },
         { id = "c", x = 100, y = 140 }, { id = "d", x = 500, y = 140 }]
edge = [{ from = "a", to = "b" }, { from = "c", to = "d", from_side = "top", to_side = "top" },
        { from = "a", to = "b", from_side = "bottom", to_side = "bottom" }]
""",
        encoding="utf-8",
    )
    assert main(["check", "--json", str(spec)]) in (0, 1)
    import json

    result = json.loads(capsys.readouterr().out)[0]
    assert set(result) == {"file", "clean", "collisions", "measures", "findings"}
    assert result["clean"] == (not result["findings"]["coincident_runs"] and not any(result["collisions"].values()))


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is installed by make test")
def test_check_reads_a_graphviz_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from svgarch.cli import main

    svg = subprocess.run(
        ["dot", "-Tsvg"], input="digraph { a -> b; a -> c; }", capture_output=True, text=True, check=True
    ).stdout
    path = tmp_path / "g.svg"
    path.write_text(svg, encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "3 blocks, 2 edges (Graphviz)" in out and "rails: 0" in out


def test_check_refuses_what_is_not_a_regular_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    from svgarch.cli import main

    fifo = tmp_path / "pipe.svg"
    os.mkfifo(fifo)
    assert main(["check", str(fifo)]) == 2
    assert "not a regular file" in capsys.readouterr().err
