"""svgarch.layout.paths: path shapes, arrow heads, trimming under a head."""

from __future__ import annotations

import itertools
import math

import pytest

from svgarch.geometry import Box, Point, cubic_point
from svgarch.layout import paths
from svgarch.scene import Cubic, Line, ScenePath


def close(p: Point, q: Point, tol: float = 1e-6) -> bool:
    return abs(p.x - q.x) <= tol and abs(p.y - q.y) <= tol


def quad_point(p0: Point, c: Point, p1: Point, t: float) -> Point:
    u = 1 - t
    return Point(u * u * p0.x + 2 * u * t * c.x + t * t * p1.x, u * u * p0.y + 2 * u * t * c.y + t * t * p1.y)


def matplotlib_arc3_control(a: Point, b: Point, rad: float) -> Point:
    """The quadratic control point of matplotlib's ``arc3,rad=rad``, computed
    as matplotlib does it (y up), for points given y down."""
    x1, y1, x2, y2 = a.x, -a.y, b.x, -b.y  # to y up
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    dx, dy = x2 - x1, y2 - y1
    return Point(cx + rad * dy, -(cy - rad * dx))  # matplotlib's formula, then back to y down


# --- straight and arc -------------------------------------------------------------


def test_straight_is_one_line() -> None:
    p = paths.straight(Point(1, 2), Point(3, 4))
    assert p == ScenePath(Point(1, 2), (Line(Point(3, 4)),))
    assert p.end == Point(3, 4)


@pytest.mark.parametrize(
    ("a", "b", "rad"),
    [
        (Point(0, 0), Point(100, 0), 0.3),
        (Point(10, 20), Point(200, 140), -0.28),
        (Point(300, 50), Point(40, 260), 0.5),
        (Point(0, 0), Point(0, 100), 0.1),
    ],
)
def test_arc_matches_matplotlib_arc3(a: Point, b: Point, rad: float) -> None:
    path = paths.arc(a, b, rad)
    assert path.start == a and path.end == b
    (seg,) = path.segments
    assert isinstance(seg, Cubic)
    ctrl = matplotlib_arc3_control(a, b, rad)
    # a quadratic written exactly as a cubic: controls 2/3 of the way to ctrl
    assert close(seg.c1, a + (ctrl - a).scale(2 / 3))
    assert close(seg.c2, b + (ctrl - b).scale(2 / 3))
    for i in range(11):
        t = i / 10
        assert close(cubic_point(a, seg.c1, seg.c2, b, t), quad_point(a, ctrl, b, t))


def test_arc_bows_to_the_side_matplotlib_draws_it() -> None:
    # left to right with rad > 0: matplotlib bows below the chord on screen (y down: larger y)
    path = paths.arc(Point(0, 0), Point(100, 0), 0.3)
    apex = path.points()[8]
    assert apex.y == pytest.approx(15.0)  # half of rad * chord for a quadratic
    assert paths.arc(Point(0, 0), Point(100, 0), -0.3).points()[8].y == pytest.approx(-15.0)


def test_arc_with_no_bend_is_the_chord() -> None:
    path = paths.arc(Point(0, 0), Point(90, 30), 0.0)
    for p in path.points():
        assert p.y == pytest.approx(p.x / 3)


# --- rounded and smooth polylines ---------------------------------------------------


L_SHAPE = [Point(0, 0), Point(0, 100), Point(80, 100)]


def test_rounded_keeps_the_ends_and_rounds_each_corner() -> None:
    path = paths.rounded(L_SHAPE, 10)
    assert path.start == L_SHAPE[0] and path.end == L_SHAPE[-1]
    kinds = [type(s).__name__ for s in path.segments]
    assert kinds == ["Line", "Cubic", "Line"]
    line_in, corner, _ = path.segments
    assert line_in.end == Point(0, 90)  # the corner starts one radius before the bend
    assert corner.end == Point(10, 100)
    # the rounded corner stays inside the L's bounding box and off the sharp corner
    pts = path.points()
    assert all(0 <= p.x <= 80 and 0 <= p.y <= 100 for p in pts)
    assert min((p - Point(0, 100)).length() for p in pts) > 2


def test_rounded_radius_shrinks_on_short_legs() -> None:
    path = paths.rounded([Point(0, 0), Point(0, 8), Point(50, 8)], 10)
    line_in, corner, line_out = path.segments
    assert line_in == Line(Point(0, 4)) and corner.end == Point(4, 8) and line_out == Line(Point(50, 8))


def test_rounded_drops_duplicate_and_collinear_points() -> None:
    path = paths.rounded([Point(0, 0), Point(0, 0), Point(0, 50), Point(0, 100)], 10)
    assert path == ScenePath(Point(0, 0), (Line(Point(0, 100)),))


def test_smooth_keeps_the_ends_and_stays_in_the_corridor() -> None:
    pts = [Point(0, 0), Point(0, 100), Point(100, 100), Point(100, 200)]
    path = paths.smooth(pts)
    assert path.start == pts[0] and path.end == pts[-1]
    assert all(isinstance(s, Cubic) for s in path.segments)
    assert all(0 <= p.x <= 100 and 0 <= p.y <= 200 for p in path.points())
    assert paths.smooth(pts[:2]) == paths.straight(pts[0], pts[1])


# --- direction, reversal, trimming ---------------------------------------------------


def test_end_direction_follows_the_last_segment() -> None:
    assert paths.end_direction(paths.straight(Point(0, 0), Point(0, 10))) == Point(0, 1)
    curve = ScenePath(Point(0, 0), (Cubic(Point(0, 50), Point(50, 100), Point(100, 100)),))
    assert paths.end_direction(curve) == Point(1, 0)
    flat_end = ScenePath(Point(0, 0), (Cubic(Point(0, 50), Point(100, 100), Point(100, 100)),))
    direction = paths.end_direction(flat_end)  # c2 == end: fall back to c1
    assert close(direction, (Point(100, 100) - Point(0, 50)).unit())


def test_reverse_runs_the_same_path_backwards() -> None:
    path = paths.rounded([Point(0, 0), Point(0, 100), Point(80, 100), Point(80, 200)], 12)
    back = paths.reverse(path)
    assert back.start == path.end and back.end == path.start
    fwd, bwd = path.points(), back.points()
    assert all(close(p, q) for p, q in zip(fwd, reversed(bwd), strict=True))
    assert paths.reverse(back) == path


def test_trim_end_shortens_a_line_by_the_distance() -> None:
    path = paths.straight(Point(0, 0), Point(30, 40))
    trimmed = paths.trim_end(path, 10)
    assert close(trimmed.end, Point(24, 32))
    assert (path.end - trimmed.end).length() == pytest.approx(10)


def test_trim_end_shortens_a_curve_by_the_distance() -> None:
    path = paths.arc(Point(0, 0), Point(200, 0), 0.3)
    trimmed = paths.trim_end(path, 7.7)
    assert (path.end - trimmed.end).length() == pytest.approx(7.7, abs=1e-6)
    # what is left lies on the original curve
    (orig,) = path.segments
    (seg,) = trimmed.segments
    assert isinstance(orig, Cubic) and isinstance(seg, Cubic)
    on_curve = [cubic_point(path.start, orig.c1, orig.c2, orig.end, i / 400) for i in range(401)]
    for i in range(9):
        p = cubic_point(trimmed.start, seg.c1, seg.c2, seg.end, i / 8)
        assert min((p - q).length() for q in on_curve) < 0.5


def test_trim_end_keeps_the_earlier_segments() -> None:
    path = paths.rounded(L_SHAPE, 10)
    trimmed = paths.trim_end(path, 5)
    assert trimmed.segments[:-1] == path.segments[:-1]
    assert close(trimmed.end, Point(75, 100))


def test_trim_end_reaches_back_past_a_short_last_segment() -> None:
    path = paths.rounded([Point(0, 0), Point(0, 100), Point(14, 100)], 12)  # last leg: 14 - 7 = 7 long
    trimmed = paths.trim_end(path, 7.7)
    assert (path.end - trimmed.end).length() == pytest.approx(7.7, abs=0.2)


# --- arrow heads ------------------------------------------------------------------------


@pytest.mark.parametrize("direction", [Point(1, 0), Point(0, -3), Point(-2, 2), Point(3, 4)])
def test_head_polygon_has_its_tip_at_the_end_pointing_along_the_direction(direction: Point) -> None:
    tip = Point(50, 60)
    length, width = 11.0, 9.0
    poly = paths.head(tip, direction, length, width)
    assert len(poly) == 4 and poly[0] == tip
    _, left, notch, right = poly
    d = direction.unit()
    base_mid = Point((left.x + right.x) / 2, (left.y + right.y) / 2)
    assert close(base_mid, tip - d.scale(length))  # the base is one length behind the tip
    assert (left - right).length() == pytest.approx(width)
    assert (left - right).x * d.x + (left - right).y * d.y == pytest.approx(0, abs=1e-9)  # base ⟂ direction
    assert close(notch, tip - d.scale(length * 0.75))  # the notch is on the axis, short of the base
    area = 0.5 * sum(p.x * q.y - q.x * p.y for p, q in zip(poly, poly[1:] + poly[:1], strict=True))
    assert abs(area) == pytest.approx(0.5 * width * length * 0.75)


# --- polyline helpers ----------------------------------------------------------------------


def test_length_point_at_and_angle() -> None:
    pts = [Point(0, 0), Point(0, 30), Point(40, 30)]
    assert paths.length_of(pts) == 70
    mid, tangent = paths.point_at(pts, 0.5)
    assert mid == Point(5, 30) and tangent == Point(1, 0)
    start, tangent0 = paths.point_at(pts, -1)
    assert start == Point(0, 0) and tangent0 == Point(0, 1)
    end, _ = paths.point_at(pts, 2)
    assert end == Point(40, 30)
    assert paths.angle_between(Point(1, 0), Point(0, 1)) == pytest.approx(90)
    assert paths.angle_between(Point(0, 1), Point(1, 0)) == pytest.approx(-90)
    assert math.isclose(paths.angle_between(Point(1, 0), Point(1, 0)), 0)


def test_a_rounded_route_stays_in_its_bounding_box() -> None:
    pts = [Point(0, 0), Point(0, 60), Point(60, 60), Point(60, 120)]
    box = Box(0, 0, 60, 120)
    for p in paths.rounded(pts, 20).points():
        assert box.x <= p.x <= box.right and box.y <= p.y <= box.bottom


def test_a_steep_last_s_curve_with_a_stub_runs_straight_into_its_end() -> None:
    # held-out data_mesh: two arms into one side, each a tall S; the lower one's line ran through the upper's
    # head, as an S that climbs 365 px over 54 px still climbs in the last few px (its head sits level)
    flow = Point(1, 0)
    runs = [(Point(0, 0), Point(10, 0)), (Point(64, 365), Point(64, 365))]
    plain = paths.gated(runs, flow)
    assert isinstance(plain.segments[-1], Cubic)
    stubbed = paths.gated(runs, flow, 15.0)
    last, before = stubbed.segments[-1], stubbed.segments[-2]
    assert isinstance(last, Line) and last.end == Point(64, 365)
    assert before.end == Point(49, 365)  # the S ends level, 15 px before the end
    gentle = [(Point(0, 0), Point(10, 0)), (Point(64, 100), Point(64, 100))]
    assert paths.gated(gentle, flow, 15.0) == paths.gated(gentle, flow)  # only a steep S gets one


def test_as_drawn_keeps_the_samples_of_small_curves_and_flattens_long_ones_finely() -> None:
    corner = ScenePath(Point(0, 0), (Line(Point(0, 40)), Cubic(Point(0, 45), Point(5, 50), Point(10, 50))))
    samples = corner.points(paths.PER_CURVE)
    assert paths.as_drawn(corner, samples) is samples
    # a tall S-curve: its 8 samples' chords stray several px from it, the fine line stays within TOLERANCE
    s_curve = ScenePath(Point(0, 0), (Cubic(Point(30, 0), Point(30, 460), Point(60, 460)),))
    coarse = s_curve.points(paths.PER_CURVE)
    tip = Point(70, 460)  # the untrimmed line ran on under a head
    fine = paths.as_drawn(s_curve, [*coarse, tip])
    assert fine[0] == Point(0, 0) and fine[-1] == tip and len(fine) > len(coarse) + 1
    curve = [cubic_point(Point(0, 0), Point(30, 0), Point(30, 460), Point(60, 460), i / 400) for i in range(401)]

    def off(line: list[Point], p: Point) -> float:
        return min(_segment_distance(p, a, b) for a, b in itertools.pairwise(line))

    assert max(off(list(coarse), p) for p in curve) > 1.5
    assert max(off(list(fine), p) for p in curve) <= paths.TOLERANCE + 1e-6


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b.x - a.x, b.y - a.y
    n = dx * dx + dy * dy
    t = 0.0 if n == 0 else max(0.0, min(1.0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / n))
    return math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy)


def test_a_head_after_a_bend_and_a_short_stub_lies_along_the_line_it_ends() -> None:
    """A diagonal leg, a bend, then a stub shorter than the part under the head (an edge run on to a
    circle's outline): the head points from where the trimmed line ends to the tip, so the line runs
    into its middle, not into one of its barbs; a last leg longer than that keeps the head along it."""
    length = 11.0
    bent = ScenePath(Point(0, 0), (Line(Point(40, 40)), Line(Point(40, 44))))
    trimmed = paths.trim_end(bent, length * 0.7)
    direction = paths.head_direction(bent, trimmed)
    along = bent.end - trimmed.end
    assert abs(direction.x * along.y - direction.y * along.x) < 1e-9 and direction.x * along.x > 0
    assert direction != paths.end_direction(bent)  # the stub's own direction, straight down, would not do
    straight = ScenePath(Point(0, 0), (Line(Point(40, 40)), Line(Point(40, 80))))
    assert paths.head_direction(straight, paths.trim_end(straight, length * 0.7)) == paths.end_direction(straight)


@pytest.mark.parametrize(
    ("along", "across"),
    [
        (16.5, 32.0),  # fourth/iot_ota: health's and rollback's arms into one side, ports 18 px apart
        (43.8, 137.7),  # fourth/ride_hailing: four arms into the event bus, ports 16-17 px apart
    ],
)
def test_a_head_on_an_s_curve_still_climbing_under_it_points_from_where_the_line_ends(
    along: float, across: float
) -> None:
    # not steep (no stub), but so short for its climb that where the line is cut under its head it is
    # still 4-9 px off its last leg's axis: a head along that axis had the line come in through its side,
    # past its back corner, and the ruler saw it cross the neighbouring arm's line there
    length = 11.0
    runs = [(Point(0, 0), Point(10, 0)), (Point(10 + along, across), Point(10 + along, across))]
    path = paths.gated(runs, Point(1, 0))
    trimmed = paths.trim_end(path, length * 0.7)
    direction = paths.head_direction(path, trimmed)
    chord = path.end - trimmed.end
    assert abs(direction.x * chord.y - direction.y * chord.x) < 1.5 and direction.x * chord.x > 0  # on its axis
    assert direction.x >= math.cos(paths.MOST_TILT) - 1e-9  # still into the block's side, not along it
    gentle = [(Point(0, 0), Point(10, 0)), (Point(110, 20), Point(110, 20))]  # a line ending on its axis
    level = paths.gated(gentle, Point(1, 0))
    assert paths.head_direction(level, paths.trim_end(level, length * 0.7)) == paths.end_direction(level)
