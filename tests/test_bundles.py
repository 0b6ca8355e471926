"""Traceable bundles: arms of one fan running as rails share one trunk; other rails move apart."""

from __future__ import annotations

from svgarch.geometry import Box, Point, turning
from svgarch.layout import bundles, paths
from svgarch.layout.direct import Obstacles
from svgarch.layout.polylines import cumulative, distance_to
from svgarch.layout.types import DrawnEdge, RoutedEdge
from svgarch.model import Edge
from svgarch.quality.drawing import DrawnEdge as Measured
from svgarch.quality.measures import RAIL_FAR, Quality, _proximity, _SegmentHash
from svgarch.scene import Cubic, Line, ScenePath

HEAD = 10.0


def _routed(n: int, source: str, target: str, points: list[Point]) -> RoutedEdge:
    d = DrawnEdge(n, n, source, target, Edge((source,), (target,)))
    path = paths.rounded(points, 8.0)
    head = paths.head(path.end, paths.end_direction(path), HEAD, 8.0)
    return RoutedEdge(d, paths.trim_end(path, HEAD * 0.7), (head,), tuple(path.points(8)))


def _rails(routed: dict[int, RoutedEdge]) -> Quality:
    edges = [Measured(r.drawn.source, r.drawn.target, r.points, r.points[-1], None) for r in routed.values()]
    q = Quality()
    _proximity(edges, _SegmentHash(edges), q)
    return q


def _fan_in() -> dict[int, RoutedEdge]:
    """Two sources on the left, one target below right: two arms falling 5 px apart for 300 px."""
    routed = {}
    for k in range(2):
        x = 200.0 + 5 * k
        start, port = Point(0.0, 40.0 * k), Point(240.0, 400.0 + 8 * k)
        routed[k] = _routed(k, f"s{k}", "t", [start, Point(x, 40.0 * k), Point(x, port.y), port])
    return routed


def test_arms_of_one_fan_running_as_rails_no_longer_do() -> None:
    routed = _fan_in()
    assert len(_rails(routed).rails) == 1
    drawn = [r.drawn for r in routed.values()]
    bundles.bundle(drawn, routed, Obstacles([]))
    q = _rails(routed)
    assert q.rails == [] and q.coincident == []
    for k, r in routed.items():  # each keeps its own ports and head
        assert r.points[0] == Point(0.0, 40.0 * k) and r.points[-1] == Point(240.0, 400.0 + 8 * k)
        assert r.heads == _fan_in()[k].heads


def test_rails_of_unrelated_edges_are_pushed_apart() -> None:
    routed = {
        0: _routed(0, "a", "b", [Point(0.0, 0.0), Point(0.0, 400.0)]),
        1: _routed(
            1,
            "c",
            "d",
            [
                Point(40.0, 0.0),
                Point(40.0, 60.0),
                Point(4.0, 100.0),
                Point(4.0, 300.0),
                Point(40.0, 340.0),
                Point(40.0, 400.0),
            ],
        ),
    }
    assert len(_rails(routed).rails) == 1
    bundles.bundle([r.drawn for r in routed.values()], routed, Obstacles([]))
    assert _rails(routed).rails == []
    assert min(distance_to([Point(0.0, 0.0), Point(0.0, 400.0)], p) for p in routed[1].points) > RAIL_FAR


def test_a_push_into_a_block_is_refused() -> None:
    routed = {
        0: _routed(0, "a", "b", [Point(0.0, 0.0), Point(0.0, 400.0)]),
        1: _routed(
            1,
            "c",
            "d",
            [
                Point(40.0, 0.0),
                Point(40.0, 60.0),
                Point(4.0, 100.0),
                Point(4.0, 300.0),
                Point(40.0, 340.0),
                Point(40.0, 400.0),
            ],
        ),
    }
    before = dict(routed)
    wall = Obstacles([("x", Box(6.0, 120.0, 20.0, 160.0)), ("y", Box(-24.0, 120.0, 20.0, 160.0))])
    bundles.bundle([r.drawn for r in routed.values()], routed, wall)
    assert routed == before


def _three_in() -> dict[int, RoutedEdge]:
    """Three sources on the left, one target below right: three arms falling 5 px apart for 300 px."""
    routed = {}
    for k in range(3):
        x = 200.0 + 5 * k
        start, port = Point(0.0, 40.0 * k), Point(240.0, 400.0 + 8 * k)
        routed[k] = _routed(k, f"s{k}", "t", [start, Point(x, 40.0 * k), Point(x, port.y), port])
    return routed


def test_three_arms_5_px_apart_share_one_trunk_and_turn_no_more() -> None:
    routed = _three_in()
    assert len(_rails(routed).rails) == 2  # the outer two are 10 px apart
    bundles.bundle([r.drawn for r in routed.values()], routed, Obstacles([]))
    q = _rails(routed)
    assert q.rails == [] and q.coincident == []
    for k, r in routed.items():
        assert turning(list(r.points)) <= turning(list(_three_in()[k].points)) + bundles.TURN


def test_a_labelled_edge_moves_only_away_from_its_label() -> None:
    def pair() -> dict[int, RoutedEdge]:
        return {
            0: _routed(0, "a", "b", [Point(0.0, 0.0), Point(0.0, 400.0)]),
            1: _routed(
                1,
                "c",
                "d",
                [
                    Point(40.0, 0.0),
                    Point(40.0, 60.0),
                    Point(4.0, 100.0),
                    Point(4.0, 300.0),
                    Point(40.0, 340.0),
                    Point(40.0, 400.0),
                ],
            ),
        }

    label = Box(30.0, 10.0, 20.0, 12.0)  # on edge 1's first leg, far from where it runs beside edge 0
    routed = pair()
    bundles.bundle([r.drawn for r in routed.values()], routed, Obstacles([]), {1: label})
    assert _rails(routed).rails == []
    before = pair()[1].points
    assert [p for p in routed[1].points if label.inflate(4).contains(p)] == [
        p for p in before if label.inflate(4).contains(p)
    ]
    routed = pair()
    on_the_rails = Box(0.0, 180.0, 12.0, 40.0)  # its label where it runs beside edge 0: it keeps its way
    bundles.bundle([r.drawn for r in routed.values()], routed, Obstacles([]), {1: on_the_rails})
    assert routed[1] == pair()[1]


def _curved_out() -> dict[int, RoutedEdge]:
    """Four arms from ports 15 px apart on one block, each curving up steeply to its own target (72 px
    apart): side by side, 3–5 px apart, for hundreds of px, as a spline router draws a fan to a column."""
    routed = {}
    for k in range(4):
        y0, y1 = 700.0 + 15 * k, 40.0 + 72 * k
        curve = Cubic(Point(30.0, y0), Point(10.0, y1), Point(80.0, y1))
        path = ScenePath(Point(0.0, y0), (Line(Point(5.0, y0)), curve, Line(Point(300.0, y1))))
        d = DrawnEdge(k, k, "b", f"t{k}", Edge(("b",), (f"t{k}",)))
        head = paths.head(path.end, paths.end_direction(path), HEAD, 8.0)
        routed[k] = RoutedEdge(d, paths.trim_end(path, HEAD * 0.7), (head,), tuple(path.points(8)))
    return routed


def test_curved_arms_share_a_trunk_though_easing_onto_it_turns_them_a_little_more() -> None:
    routed = _curved_out()
    assert len(_rails(routed).rails) == 6  # every pair
    bundles.bundle([r.drawn for r in routed.values()], routed, Obstacles([]))
    assert len(_rails(routed).rails) <= 3
    gained = [turning(list(r.points)) - turning(list(_curved_out()[k].points)) for k, r in routed.items()]
    assert max(gained) > bundles.TURN  # the arms eased onto the trunk turn more than a push may add
    assert max(gained) <= bundles.TRUNK_TURN


def test_an_arm_eased_onto_a_trunk_keeps_a_hair_off_it_till_it_meets_it() -> None:
    """An arm 5 px beside its trunk eases onto it: every eased point stays HAIR px off the trunk (or
    farther), so two arms eased off one trunk touch it, and so each other, at their last points only,
    not where the drawing's rounding would read a touch as two crossings."""
    lead = [Point(0.0, 0.0), Point(0.0, 400.0)]
    arm = [Point(5.0, 0.0), Point(5.0, 400.0)]
    line, _, corner = bundles._join(arm, cumulative(arm), 100.0, lead, cumulative(lead))
    eased = [p for p in line if p.y > 100.0]
    assert not corner and len(eased) > 3
    assert all(distance_to(lead, p) >= bundles.HAIR - 1e-9 for p in eased)
    assert abs(distance_to(lead, eased[-1]) - bundles.HAIR) < 1e-9
