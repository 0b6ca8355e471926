"""Shortcuts: svgarch.layout.shortcut (a guided edge that turns or goes round much, searched again as the
shortest line round the blocks), and what it does to big automatic diagrams."""

from __future__ import annotations

import itertools
from pathlib import Path

from svgarch.geometry import Box, Point, segment_hits_box, turning
from svgarch.layout import direct, nearness, paths, shortcut
from svgarch.layout.types import DrawnEdge, RoutedEdge
from svgarch.model import Edge
from svgarch.pipeline import build_scene
from svgarch.quality import drawing_from_scene, measure
from svgarch.quality.measures import quantile
from svgarch.spec import model_from_raw, read_description

DOWN, RIGHT = Point(0.0, 1.0), Point(1.0, 0.0)
CORPUS = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus"


def test_turning_counts_quarter_turns() -> None:
    assert turning([Point(0, 0), Point(10, 0), Point(20, 0)]) == 0
    assert abs(turning([Point(0, 0), Point(10, 0), Point(10, 10)]) - 1) < 1e-9
    assert abs(turning([Point(0, 0), Point(10, 0), Point(10, 10), Point(20, 10)]) - 2) < 1e-9


def test_the_shortest_way_goes_round_a_block_by_its_corners_and_enters_none() -> None:
    block = Box(40, -30, 20, 50)  # across the straight line, its bottom nearer than its top
    obstacles = direct.Obstacles([("b", block)])
    start, end = Point(0, 0), Point(100, 0)
    way = shortcut.shortest(start, RIGHT, end, RIGHT, obstacles, frozenset(), 200.0, 1.0)
    assert way is not None and way[0] == start and way[-1] == end
    assert not any(segment_hits_box(a, b, block) for a, b in itertools.pairwise(way))
    assert min(p.y for p in way) >= 0 and max(p.y for p in way) > block.bottom  # round its nearer bottom
    # no way within the bound: none; an obstacle it may cross is no obstacle
    assert shortcut.shortest(start, RIGHT, end, RIGHT, obstacles, frozenset(), 101.0, 1.0) is None
    assert shortcut.shortest(start, RIGHT, end, RIGHT, obstacles, frozenset({"b"}), 101.0, 1.0) == [start, end]


def test_the_end_legs_keep_near_their_sides_normals() -> None:
    start, end = Point(0, 0), Point(300, 40)  # far across, a little down: straight would graze both sides
    way = shortcut.shortest(start, DOWN, end, DOWN, direct.Obstacles([]), frozenset(), 500.0, 1.0)
    assert way is not None
    first, last = way[1] - way[0], way[-1] - way[-2]
    assert first.y >= shortcut.LEAVE_COS * first.length() - 1e-9
    assert last.y >= shortcut.ARRIVE_COS * last.length() - 1e-9


def test_a_toll_steers_the_way_off_a_crossing() -> None:
    block = Box(40, -20, 20, 60)  # the way goes over its nearer top, or under its bottom
    obstacles = direct.Obstacles([("b", block)])
    lines = nearness.Lines({1: [Point(50, -200), Point(50, -10)]}, {1: ("p", "q"), 0: ("s", "t")})  # over it
    start, end = Point(0, 0), Point(100, 0)
    free = shortcut.shortest(start, RIGHT, end, RIGHT, obstacles, frozenset(), 300.0, 1.0)
    tolled = shortcut.shortest(start, RIGHT, end, RIGHT, obstacles, frozenset(), 300.0, 1.0, lines.toll(0))
    assert free is not None and tolled is not None
    assert min(p.y for p in free) < block.y and lines.crossings(0, free) == (1, 0)
    assert max(p.y for p in tolled) > block.bottom and lines.crossings(0, tolled) == (0, 0)


def test_lines_measure_running_beside_and_crossing() -> None:
    lines = nearness.Lines({1: [Point(0, 0), Point(200, 0)]}, {0: ("a", "b"), 1: ("a", "c")})
    assert lines.beside(0, [Point(0, 5), Point(200, 5)])[1] >= 150  # 5 px off for 200 px: beside
    assert lines.beside(0, [Point(0, 1), Point(200, 1)])[0] >= 150  # 1 px off: on it
    assert lines.beside(0, [Point(0, 20), Point(200, 20)]) == (0, 0)
    assert lines.crossings(0, [Point(100, -50), Point(100, 50)]) == (1, 1)  # a fan's arms: they share a


def drawn(n: int, source: str, target: str) -> DrawnEdge:
    return DrawnEdge(n, n, source, target, Edge(sources=(source,), targets=(target,)))


def as_routed(d: DrawnEdge, points: list[Point]) -> RoutedEdge:
    path = paths.rounded(points, 0.0)
    return RoutedEdge(d, path, (), tuple(path.points(8)))


def test_straighten_replaces_a_way_round_but_not_one_that_would_cross_more() -> None:
    a, b, wall = Box(0, 0, 40, 20), Box(200, 200, 40, 20), Box(100, 60, 40, 60)
    boxes = {"a": a, "b": b, "w": wall}
    clear = direct.Obstacles([(k, box.inflate(4)) for k, box in sorted(boxes.items())])
    solid = direct.Obstacles(sorted(boxes.items()))
    start, end = Point(20, 20), Point(220, 200)
    round_about = [start, Point(20, 300), Point(400, 300), Point(400, 150), Point(220, 150), end]
    routed = {0: as_routed(drawn(0, "a", "b"), round_about)}

    def straighten(routed: dict[int, RoutedEdge]) -> None:
        shortcut.straighten(
            [0],
            routed,
            lambda n: (start, DOWN, end, DOWN),
            lambda n: frozenset({"a", "b"}),
            clear,
            solid,
            [],
            lambda n, points: as_routed(routed[n].drawn, points),
        )

    straighten(routed)
    new = list(routed[0].points)
    assert new[0] == start and new[-1] == end
    assert turning(new) < turning(round_about) - 1
    assert direct.length(new) < direct.length(round_about)
    assert not solid.hit(new, frozenset({"a", "b"}))

    # a fence of edges between the ends that the way round goes past: the shortcut would cross them
    fence = {
        m: as_routed(drawn(m, f"f{m}", f"g{m}"), [Point(-100, 40 + 8 * m), Point(600, 40 + 8 * m)]) for m in (1, 2)
    }
    past = [start, Point(-150, 20), Point(-150, 320), Point(220, 320), end]  # round the fence's end
    routed = {0: as_routed(drawn(0, "a", "b"), past), **fence}
    kept = routed[0].points
    straighten(routed)
    assert routed[0].points == kept


def test_a_fan_of_six_arms_on_one_side_is_straightened_together() -> None:
    """Six arms leave one side and go round in nested lanes (down, across, down); an outer arm's straight
    line alone would cross its neighbours' lanes, so only the fan taken together comes out straight (a fan
    of more than four arms on a side used to be left to its arms one by one)."""
    arms = 6
    source = Box(0, 0, 120, 20)
    ports = [Point(10 + 20 * i, 20) for i in range(arms)]
    ends = [Point(-300 + 120 * i, 900) for i in range(arms)]  # far: each straight line alone is a proposal
    boxes = {"s": source, **{f"t{i}": Box(end.x - 20, end.y, 40, 20) for i, end in enumerate(ends)}}
    clear = direct.Obstacles([(k, box.inflate(4)) for k, box in sorted(boxes.items())])
    solid = direct.Obstacles(sorted(boxes.items()))
    half = arms // 2  # the arms going left take lanes from the top down, the ones going right from the bottom up
    lanes = [40 + 20 * (i if i < half else arms - 1 - i) for i in range(arms)]
    wide = [end.x + (-200 if i < half else 200) for i, end in enumerate(ends)]  # round the far side of its end
    ways = [
        [port, Point(port.x, lane), Point(x, lane), Point(x, 860), Point(end.x, 860), end]
        for port, lane, x, end in zip(ports, lanes, wide, ends, strict=True)
    ]
    routed = {i: as_routed(drawn(i, "s", f"t{i}"), way) for i, way in enumerate(ways)}
    assert all(turning(r.points) > 3.9 for r in routed.values())
    shortcut.straighten(
        list(range(arms)),
        routed,
        lambda n: (ports[n], DOWN, ends[n], DOWN),
        lambda n: frozenset({"s", f"t{n}"}),
        clear,
        solid,
        [],
        lambda n, points: as_routed(routed[n].drawn, points),
    )
    assert all(turning(r.points) < 0.1 for r in routed.values())


def test_big_diagrams_turn_less_with_shortcuts_and_nothing_collides() -> None:
    """The corpus's detector: residual inputs into its concat circles came down beside the column and
    turned in square (2.4 quarter turns); now a shortest line round the blocks."""
    path = CORPUS / "detector.toml"
    raw, where = read_description(path)
    model = model_from_raw(raw, str(path), where, path.parent)
    scene, _ = build_scene(model)
    quality = measure(drawing_from_scene(scene, 13.0))
    assert quantile(quality.turning, 0.9) < 1.6
    assert quality.coincident == [] and quality.fan_crossings == []


def test_a_shortcut_leaves_a_frames_label_its_place() -> None:
    """The same way round a block, once with a frame whose top strip it would cross: there the label needs
    the whole strip (the layout would run again), so the way round is kept; with a narrow label it is not."""
    a, b, wall = Box(0, 0, 40, 20), Box(200, 200, 40, 20), Box(100, 60, 40, 60)
    boxes = {"a": a, "b": b, "w": wall}
    clear = direct.Obstacles([(k, box.inflate(4)) for k, box in sorted(boxes.items())])
    solid = direct.Obstacles(sorted(boxes.items()))
    start, end = Point(20, 20), Point(220, 200)
    round_about = [start, Point(20, 300), Point(400, 300), Point(400, 150), Point(220, 150), end]
    strip = Box(40, 130, 300, 14)  # any shortest way from a to b crosses it, the way round does not

    def straightened(need: float) -> list[Point]:
        routed = {0: as_routed(drawn(0, "a", "b"), round_about)}
        shortcut.straighten(
            [0],
            routed,
            lambda n: (start, DOWN, end, DOWN),
            lambda n: frozenset({"a", "b"}),
            clear,
            solid,
            [],
            lambda n, points: as_routed(routed[n].drawn, points),
            strips=[(strip, need)],
        )
        return list(routed[0].points)

    assert straightened(290.0) == list(as_routed(drawn(0, "a", "b"), round_about).points)
    assert turning(straightened(60.0)) < turning(round_about) - 1


def test_network_mesh_keeps_its_frames_labels_with_shortcuts() -> None:
    """The corpus's network mesh: a shortcut into Prometheus took the last place of the 'observability'
    frame's label, so the layout ran again and the control plane's fan came out in rails (p90 1.19)."""
    path = CORPUS / "network_mesh.toml"
    raw, where = read_description(path)
    model = model_from_raw(raw, str(path), where, path.parent)
    scene, _ = build_scene(model)
    quality = measure(drawing_from_scene(scene, 13.0))
    assert quantile(quality.turning, 0.9) < 1.0
    assert quality.coincident == [] and len(quality.rails) <= 1


def test_an_edge_the_router_searched_is_straightened_too() -> None:
    """The corpus's training_job: grad clipping, a satellite placed on the grid beside the loss, fed the
    optimizer by a searched S into its side (3 quarter turns); shortcuts took only edges that followed
    guides, now any, and it runs straight."""
    path = CORPUS / "training_job.toml"
    raw, where = read_description(path)
    scene, _ = build_scene(model_from_raw(raw, str(path), where, path.parent))
    [edge] = [e for e in drawing_from_scene(scene, 13.0).edges if (e.source, e.target) == ("grad", "optim")]
    assert turning(edge.points) < 0.5
