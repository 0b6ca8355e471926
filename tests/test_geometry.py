"""svgarch.geometry: points, boxes and the pure functions on them."""

from __future__ import annotations

import math

import pytest

from svgarch.geometry import (
    Box,
    Point,
    bounding_box,
    cubic_point,
    cubic_split,
    segment_hits_box,
    segments_cross,
)

BOX = Box(10.0, 20.0, 30.0, 40.0)  # x 10..40, y 20..60


def test_point_arithmetic() -> None:
    assert Point(1, 2) + Point(3, 5) == Point(4, 7)
    assert Point(1, 2) - Point(3, 5) == Point(-2, -3)
    assert Point(1, -2).scale(3) == Point(3, -6)
    assert Point(3, 4).length() == 5
    assert Point(3, 4).unit() == Point(0.6, 0.8)


def test_unit_of_zero_vector_is_zero_not_an_error() -> None:
    assert Point(0, 0).unit() == Point(0.0, 0.0)


def test_values_are_immutable() -> None:
    with pytest.raises(AttributeError):
        BOX.x = 0  # type: ignore[misc]


def test_box_edges_and_centre() -> None:
    assert (BOX.right, BOX.bottom) == (40, 60)
    assert BOX.centre == Point(25, 40)
    assert Box.around(25, 40, 30, 40) == BOX


def test_inflate_and_move() -> None:
    assert BOX.inflate(5) == Box(5, 15, 40, 50)
    assert BOX.inflate(5).inflate(-5) == BOX
    assert BOX.moved(1, -2) == Box(11, 18, 30, 40)


def test_intersects_is_strict_so_touching_boxes_do_not_overlap() -> None:
    assert BOX.intersects(Box(39, 59, 10, 10))
    assert not BOX.intersects(Box(40, 20, 10, 10))  # shares the right edge
    assert not BOX.intersects(Box(10, 60, 30, 10))  # shares the bottom edge
    assert BOX.intersects(Box(0, 0, 100, 100)) and Box(0, 0, 100, 100).intersects(BOX)


def test_contains_is_the_open_interior() -> None:
    assert BOX.contains(Point(25, 40))
    assert not BOX.contains(Point(10, 40))
    assert not BOX.contains(Point(25, 60))


def test_union_and_bounding_box() -> None:
    other = Box(50, 0, 10, 10)
    assert BOX.union(other) == Box(10, 0, 50, 60)
    assert bounding_box([BOX, other, Box(20, 30, 1, 1)]) == Box(10, 0, 50, 60)
    assert bounding_box([BOX]) == BOX
    assert bounding_box([]) == Box(0, 0, 0, 0)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (Point(0, 40), Point(100, 40)),  # straight through
        (Point(25, 0), Point(25, 100)),
        (Point(0, 0), Point(50, 80)),  # diagonal through
        (Point(20, 30), Point(30, 50)),  # wholly inside
        (Point(25, 40), Point(100, 40)),  # starts inside
    ],
)
def test_segment_through_interior_hits(a: Point, b: Point) -> None:
    assert segment_hits_box(a, b, BOX)
    assert segment_hits_box(b, a, BOX)  # direction does not matter


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (Point(0, 20), Point(100, 20)),  # along the top edge
        (Point(40, 0), Point(40, 100)),  # along the right edge
        (Point(0, 0), Point(0, 100)),  # beside
        (Point(0, 40), Point(10, 40)),  # ends on the left edge
        (Point(0, 0), Point(5, 80)),  # diagonal that passes by
        (Point(45, 0), Point(45, 0)),  # a point outside
    ],
)
def test_segment_on_border_or_outside_misses(a: Point, b: Point) -> None:
    assert not segment_hits_box(a, b, BOX)
    assert not segment_hits_box(b, a, BOX)


def test_segments_cross_only_when_they_properly_cross() -> None:
    assert segments_cross(Point(0, 0), Point(10, 10), Point(0, 10), Point(10, 0))
    assert not segments_cross(Point(0, 0), Point(10, 10), Point(10, 10), Point(20, 0))  # shared end
    assert not segments_cross(Point(0, 0), Point(10, 0), Point(5, 0), Point(15, 0))  # collinear overlap
    assert not segments_cross(Point(0, 0), Point(10, 0), Point(5, 1), Point(5, 10))  # T that stops short
    assert not segments_cross(Point(0, 0), Point(10, 0), Point(5, 0), Point(5, 10))  # T that touches


def test_cubic_point_ends_and_a_straight_cubic() -> None:
    p0, p1, p2, p3 = Point(0, 0), Point(1, 2), Point(3, 2), Point(4, 0)
    assert cubic_point(p0, p1, p2, p3, 0) == p0
    assert cubic_point(p0, p1, p2, p3, 1) == p3
    mid = cubic_point(p0, p1, p2, p3, 0.5)
    assert mid == Point(2, 1.5)  # (p0 + 3 p1 + 3 p2 + p3) / 8
    line = cubic_point(Point(0, 0), Point(1, 0), Point(2, 0), Point(3, 0), 0.3)
    assert line.y == 0 and line.x == pytest.approx(0.9)


def test_cubic_split_halves_trace_the_same_curve() -> None:
    p = (Point(0, 0), Point(10, 30), Point(40, -10), Point(50, 20))
    t = 0.3
    first, second = cubic_split(*p, t)
    assert first[0] == p[0] and second[3] == p[3]
    assert first[3] == second[0]
    split_at = cubic_point(*p, t)
    assert math.isclose(first[3].x, split_at.x) and math.isclose(first[3].y, split_at.y)
    for u in (0.0, 0.25, 0.5, 0.75, 1.0):
        a, b = cubic_point(*first, u), cubic_point(*p, t * u)
        assert a.x == pytest.approx(b.x) and a.y == pytest.approx(b.y)
        c, d = cubic_point(*second, u), cubic_point(*p, t + (1 - t) * u)
        assert c.x == pytest.approx(d.x) and c.y == pytest.approx(d.y)
