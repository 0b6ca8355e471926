"""Taut routes: svgarch.layout.direct (pulling a polyline taut), svgarch.layout.fans (ports and
untangling), and what they do to a big automatic diagram."""

from __future__ import annotations

import itertools
from pathlib import Path

from svgarch.geometry import Box, Point, segment_hits_box, segments_cross
from svgarch.layout import direct, fans
from svgarch.layout.types import DrawnEdge, RoutedEdge
from svgarch.model import Edge
from svgarch.pipeline import build_scene
from svgarch.quality import drawing_from_scene, measure
from svgarch.spec import model_from_raw, read_description

DOWN, UP = Point(0.0, 1.0), Point(0.0, -1.0)
CORPUS = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus"


def zigzag() -> list[Point]:
    """A guided edge's points as its gates give them: down, across a gap, down, across, down."""
    return [Point(0, 0), Point(0, 40), Point(60, 80), Point(60, 120), Point(120, 160), Point(120, 200)]


def test_a_free_zigzag_is_pulled_into_one_straight_line() -> None:
    pulled = direct.taut(zigzag(), direct.Obstacles([]), frozenset(), DOWN, DOWN)
    assert pulled == [Point(0, 0), Point(120, 200)]


def test_an_obstacle_keeps_the_corner_that_goes_round_it_and_nothing_enters_it() -> None:
    block = Box(70, 100, 30, 20)  # right of the middle gate, across the straight line
    points = zigzag()
    assert not any(segment_hits_box(a, b, block) for a, b in itertools.pairwise(points))
    pulled = direct.taut(points, direct.Obstacles([("b", block)]), frozenset(), DOWN, DOWN)
    assert pulled[0] == points[0] and pulled[-1] == points[-1]
    assert 2 < len(pulled) < len(points)
    assert not any(segment_hits_box(a, b, block) for a, b in itertools.pairwise(pulled))
    # an obstacle the edge may cross (its own end) is skipped
    assert direct.taut(points, direct.Obstacles([("b", block)]), frozenset({"b"}), DOWN, DOWN) == [
        points[0],
        points[-1],
    ]


def test_a_fixed_point_stays_on_the_line() -> None:
    pulled = direct.taut(zigzag(), direct.Obstacles([]), frozenset(), DOWN, DOWN, fixed=frozenset({3}))
    assert pulled == [Point(0, 0), Point(60, 120), Point(120, 200)]


def test_the_end_legs_leave_and_arrive_within_sixty_degrees_of_their_sides() -> None:
    flat = [Point(0, 0), Point(0, 10), Point(200, 20), Point(200, 30)]  # ends offset far across a thin gap
    pulled = direct.taut(flat, direct.Obstacles([]), frozenset(), DOWN, DOWN)
    for (a, b), normal in ((pulled[:2], DOWN), (pulled[-2:], DOWN)):
        d = b - a
        assert d.x * normal.x + d.y * normal.y >= direct.LEAST_COS * d.length() - 1e-9
    assert pulled[1] == Point(0, 10) and pulled[-2] == Point(200, 20)


def drawn(n: int, source: str, target: str) -> DrawnEdge:
    return DrawnEdge(n, n, source, target, Edge(sources=(source,), targets=(target,)))


def routed(d: DrawnEdge, points: list[Point]) -> RoutedEdge:
    from svgarch.layout import paths

    path = paths.rounded(points, 0.0)
    return RoutedEdge(d, path, (), tuple(path.points(8)))


def test_fan_ports_swap_so_the_arms_do_not_cross() -> None:
    edges = [drawn(0, "a", "x"), drawn(1, "a", "y")]
    ports = {(0, 0): Point(0, 0), (0, 1): Point(100, 100), (1, 0): Point(10, 0), (1, 1): Point(-50, 200)}
    sides = {0: ("bottom", "top"), 1: ("bottom", "top")}

    def line_of(n: int, start: Point, end: Point) -> list[Point]:
        return [start, end]

    before = [[ports[(n, 0)], ports[(n, 1)]] for n in (0, 1)]
    assert segments_cross(*before[0], *before[1])
    out = fans.fan_ports(edges, ports, sides, [0, 1], line_of)
    assert {out[(0, 0)], out[(1, 0)]} == {Point(0, 0), Point(10, 0)}
    assert not segments_cross(out[(0, 0)], out[(0, 1)], out[(1, 0)], out[(1, 1)])


def test_fan_ports_untwist_a_fan_of_more_arms_than_pairs_are_tried_for() -> None:
    arms = fans.FAN_TRIES + 4
    edges = [drawn(n, "a", f"t{n}") for n in range(arms)]
    ports: dict[tuple[int, int], Point] = {}
    for n in range(arms):  # port n at x = 10 n on a's bottom, its target the other way round
        ports[(n, 0)] = Point(10.0 * n, 0)
        ports[(n, 1)] = Point(-100.0 * n, 300)
    sides = {n: ("bottom", "top") for n in range(arms)}

    def line_of(n: int, start: Point, end: Point) -> list[Point]:
        return [start, end]

    out = fans.fan_ports(edges, ports, sides, list(range(arms)), line_of)
    assert sorted(out[(n, 0)] for n in range(arms)) == sorted(ports[(n, 0)] for n in range(arms))
    lines = [(out[(n, 0)], out[(n, 1)]) for n in range(arms)]
    assert not any(segments_cross(*u, *v) for u, v in itertools.combinations(lines, 2))


def test_untangle_sends_back_a_taut_arm_that_crosses_its_fan_or_runs_on_a_stranger() -> None:
    edges = [drawn(0, "a", "x"), drawn(1, "a", "y"), drawn(2, "p", "q")]
    lines = {
        0: [Point(0, 0), Point(100, 200)],  # crosses arm 1 far from a
        1: [Point(40, 0), Point(-90, 200)],
        2: [Point(300, 0), Point(300, 200)],
    }
    kept = {0: [Point(40, 0), Point(100, 200)], 1: [Point(0, 0), Point(-90, 200)]}  # from the ports as spread
    kept[2] = [Point(300, 0), Point(300, 200)]
    state = {n: routed(edges[n], pts) for n, pts in lines.items()}
    fans.untangle(edges, state, [0, 1], lambda n: [routed(edges[n], kept[n])])
    a, b = state[0].points, state[1].points
    assert not any(segments_cross(p, q, r, s) for p, q in itertools.pairwise(a) for r, s in itertools.pairwise(b))
    # an edge with no end in common running on a taut one for 40 px or more sends the taut one back
    edges.append(drawn(3, "m", "n"))
    state = {
        0: routed(edges[0], [Point(0, 0), Point(0, 200)]),
        3: routed(edges[3], [Point(0.5, 50), Point(0.5, 150)]),
    }
    fans.untangle(edges, state, [0], lambda n: [routed(edges[n], [Point(0, 0), Point(-30, 100), Point(0, 200)])])
    assert state[0].points[1] == Point(-30, 100)


def test_untangle_brings_a_taut_arm_crossing_its_fan_at_an_end_in_square() -> None:
    edges = [drawn(0, "a", "x"), drawn(1, "b", "x")]
    aslant = [Point(0, 60), Point(100, 100)]  # its gates' way too: going back does not help
    state = {0: routed(edges[0], aslant), 1: routed(edges[1], [Point(50, 0), Point(50, 90), Point(100, 90)])}
    square = routed(edges[0], [Point(0, 60), Point(40, 100), Point(100, 100)])  # under arm 1's turn
    asked: list[tuple[int, int]] = []

    def lead(n: int, end: int) -> RoutedEdge:
        asked.append((n, end))
        return square

    fans.untangle(edges, state, [0], lambda n: [routed(edges[n], aslant)], None, lead)
    assert asked == [(0, 1)]
    assert state[0].points == square.points


def test_with_lead_ends_a_slanting_line_square_into_its_side() -> None:
    line = [Point(0, 0), Point(100, 100)]  # into the top of a block at (100, 100)
    led = direct.with_lead(line, 1, DOWN, 24.0, direct.Obstacles([]), frozenset())
    assert led == [Point(0, 0), Point(100, 76), Point(100, 100)]
    out = direct.with_lead(line[::-1], 0, UP, 24.0, direct.Obstacles([]), frozenset())
    assert out == [Point(100, 100), Point(100, 76), Point(0, 0)]  # out of the top of a block, square
    assert direct.with_lead([Point(100, 0), Point(100, 100)], 1, DOWN, 24.0, direct.Obstacles([]), frozenset()) is None


def test_a_big_diagram_runs_direct_and_stays_clean() -> None:
    """The microservices corpus diagram: an edge to a block up and to the right no longer climbs over
    the namespace frames, and pulling taut keeps every collision check and fan clean."""
    path = CORPUS / "microservices.toml"
    raw, where = read_description(path)
    model = model_from_raw(raw, str(path), where, path.parent)
    scene, _ = build_scene(model)
    quality = measure(drawing_from_scene(scene, 13.0))
    assert not quality.coincident and not quality.ambiguous_labels
    assert max(quality.detour) <= 1.6
    assert sorted(quality.turning)[int(0.9 * len(quality.turning))] < 3.0  # was 3.47 with S-curves per band


def test_a_flat_approach_behind_a_short_stub_comes_in_square() -> None:
    # the last gate lies 1 px short of the port: ``taut`` keeps the angle on that stub only, and the
    # line before it runs in almost along the top side; ``squared`` gives it a straight lead instead
    port = Point(0, 100)
    line = [Point(400, 40), Point(0, 99), port]
    squared = direct.squared(line, DOWN, DOWN, 24.0, direct.Obstacles([]), frozenset())
    assert squared[-1] == port and squared[-2] == Point(0, 76)
    assert squared[0] == line[0] and len(squared) == 3
    # a line that arrives steeply keeps its way; so does one with no stub (``taut`` kept its angle)
    steep = [Point(40, 0), Point(1, 99), port]
    assert direct.squared(steep, DOWN, DOWN, 24.0, direct.Obstacles([]), frozenset()) == steep
    plain = [Point(400, 40), port]
    assert direct.squared(plain, DOWN, DOWN, 24.0, direct.Obstacles([]), frozenset()) == plain
    # the lead's corner may not enter an obstacle
    block = Box(-10, 70, 20, 10)
    assert direct.squared(line, DOWN, DOWN, 24.0, direct.Obstacles([("b", block)]), frozenset()) == line


def test_the_corpus_diagrams_the_smaller_padding_tangled_stay_clean() -> None:
    """iot (a line slanting across a long S-curve ran on it for 60 px), ml_platform (two arms coming in
    flat, one across the other's square head) and detector (a side input down a column far out, 1.61×)."""
    for name in ("iot", "ml_platform", "detector"):
        path = CORPUS / f"{name}.toml"
        raw, where = read_description(path)
        scene, _ = build_scene(model_from_raw(raw, str(path), where, path.parent))
        quality = measure(drawing_from_scene(scene, 13.0))
        assert not quality.coincident and not quality.fan_crossings, name
        assert max(quality.detour) <= 1.6, name
