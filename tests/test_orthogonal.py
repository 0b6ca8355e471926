"""svgarch.layout.orthogonal: A* routes around obstacles, axis-aligned, few bends."""

from __future__ import annotations

import itertools

import pytest

from svgarch.geometry import Box, Point
from svgarch.layout.orthogonal import CROSS_COST, REUSE_COST, RouteMemory, Router, crosses_any

RIGHT, DOWN, LEFT, UP = 0, 1, 2, 3
BOUNDS = Box(-200, -200, 800, 800)


def corners(points: list[Point]) -> list[Point]:
    """The route without repeated or collinear middle points."""
    out: list[Point] = []
    for p in points:
        if out and p == out[-1]:
            continue
        if len(out) >= 2:
            a, b = out[-2], out[-1]
            if (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) == 0:
                out[-1] = p
                continue
        out.append(p)
    return out


def bends(points: list[Point]) -> int:
    return len(corners(points)) - 2


def turns(route: list[Point], start_dir: int, end_dir: int) -> int:
    """Bends as the router counts them: corners, plus leaving or arriving off the asked direction."""
    cs = corners(route)
    return bends(route) + (direction(cs[0], cs[1]) != start_dir) + (direction(cs[-2], cs[-1]) != end_dir)


def direction(a: Point, b: Point) -> int:
    if b.x > a.x:
        return RIGHT
    if b.x < a.x:
        return LEFT
    return DOWN if b.y > a.y else UP


def assert_valid(route: list[Point] | None, start: Point, end: Point, obstacles: list[Box]) -> list[Point]:
    assert route is not None
    assert route[0] == start and route[-1] == end
    for a, b in itertools.pairwise(route):
        assert a.x == b.x or a.y == b.y, f"diagonal step {a} -> {b}"
    assert not crosses_any(route, obstacles)
    return route


def test_an_open_straight_route_has_no_bend() -> None:
    start, end = Point(0, 0), Point(300, 0)
    route = assert_valid(Router([], BOUNDS).route(start, RIGHT, end, RIGHT), start, end, [])
    assert corners(route) == [start, end]


def test_an_l_route_has_one_bend() -> None:
    start, end = Point(0, 0), Point(200, 150)
    route = assert_valid(Router([], BOUNDS).route(start, DOWN, end, RIGHT), start, end, [])
    assert corners(route) == [start, Point(0, 150), end]


def test_a_route_goes_around_an_obstacle_with_the_fewest_bends() -> None:
    wall = Box(100, -50, 40, 100)
    start, end = Point(0, 0), Point(300, 0)
    route = assert_valid(Router([wall], BOUNDS).route(start, RIGHT, end, RIGHT), start, end, [wall])
    assert bends(route) == 4 and turns(route, RIGHT, RIGHT) == 4  # over (or under) the wall and back
    cs = corners(route)
    assert all(p.y in (0, -50, 50) for p in cs)  # hugs the wall rather than wandering off


def test_routes_leave_and_arrive_in_the_asked_directions() -> None:
    block = Box(100, 100, 100, 60)
    start, end = Point(150, 80), Point(300, 0)
    route = assert_valid(Router([block], BOUNDS).route(start, UP, end, RIGHT), start, end, [block])
    assert corners(route) == [start, Point(150, 0), end]
    start, end = Point(250, 130), Point(320, 250)
    route = assert_valid(Router([block], BOUNDS).route(start, RIGHT, end, DOWN), start, end, [block])
    assert corners(route) == [start, Point(320, 130), end]


def test_routes_weave_through_a_field_of_obstacles() -> None:
    field = [Box(x, y, 40, 40) for x in range(0, 400, 80) for y in range(0, 400, 80)]
    start, end = Point(-40, 20), Point(440, 340)
    route = assert_valid(Router(field, BOUNDS).route(start, DOWN, end, RIGHT), start, end, field)
    # down a free column, right along a free row, down the last column, right to the end
    # (or: arrive from above and count the turn onto the end direction)
    assert turns(route, DOWN, RIGHT) == 3


def test_ignored_obstacles_do_not_block() -> None:
    wall = Box(100, -50, 40, 100)
    start, end = Point(0, 0), Point(300, 0)
    route = Router([wall], BOUNDS).route(start, RIGHT, end, RIGHT, ignore=[wall])
    assert route is not None and corners(route) == [start, end]


def test_an_enclosed_end_has_no_route() -> None:
    ring = [Box(100, 100, 200, 20), Box(100, 280, 200, 20), Box(100, 100, 20, 200), Box(280, 100, 20, 200)]
    assert Router(ring, BOUNDS).route(Point(0, 0), RIGHT, Point(200, 200), DOWN) is None


def test_later_routes_avoid_the_lines_of_earlier_ones() -> None:
    wall = Box(100, -50, 40, 100)
    router = Router([wall], BOUNDS)
    a, b, c, d = Point(0, -10), Point(300, -10), Point(0, 10), Point(300, 10)
    first = assert_valid(router.route(a, RIGHT, b, RIGHT), a, b, [wall])
    second = assert_valid(router.route(c, RIGHT, d, RIGHT), c, d, [wall])
    shared = set(itertools.pairwise(corners(first))) & set(itertools.pairwise(corners(second)))
    assert not shared
    ys_first = {p.y for p in corners(first)} - {-10}
    ys_second = {p.y for p in corners(second)} - {10}
    assert ys_first != ys_second  # the detours take different tracks


def test_route_memory_prices_reuse_and_crossings() -> None:
    memory = RouteMemory()
    memory.add([Point(0, 0), Point(100, 0), Point(100, 100)])
    assert memory.penalty(20, 0, 60, 0) == pytest.approx(40 * REUSE_COST)  # along the earlier line
    assert memory.penalty(50, -20, 50, 20) == pytest.approx(CROSS_COST)  # across it
    assert memory.penalty(0, 50, 200, 50) == pytest.approx(CROSS_COST)  # across its vertical leg
    assert memory.penalty(0, 300, 50, 300) == 0  # far away


def test_crosses_any() -> None:
    box = Box(0, 0, 10, 10)
    assert crosses_any([Point(-5, 5), Point(15, 5)], [box])
    assert not crosses_any([Point(-5, 0), Point(15, 0)], [box])  # along the border
    assert not crosses_any([Point(-5, 5)], [box])
    assert crosses_any([Point(-5, -5), Point(-5, 5), Point(5, 5)], [Box(100, 100, 1, 1), box])
