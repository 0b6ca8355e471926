"""svgarch.layout.orthogonal: A* routes around obstacles, axis-aligned, few bends."""

from __future__ import annotations

import copy
import heapq
import itertools
import math
import random

import pytest

from svgarch.geometry import Box, Point
from svgarch.layout.orthogonal import (
    BEND_COST,
    CROSS_COST,
    EDGE_LINE_COST,
    REUSE_COST,
    Channels,
    PlainRoutes,
    RouteMemory,
    Router,
    crosses_any,
)

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


def test_an_end_inside_a_block_is_answered_without_searching() -> None:
    """No move leads into an end inside a block: the router says so at once, where a search would take
    every state it can reach, window after wider window."""
    block = Box(150, -50, 100, 100)
    router = Router([block], BOUNDS)
    assert router.route(Point(0, 0), RIGHT, Point(200, 0), RIGHT) is None
    assert router.expanded == 0 and not router.gave_up


def test_routers_among_the_same_obstacles_share_plain_routes() -> None:
    """The plain route reads no earlier routes: a router sharing ``plains`` with one that searched it
    does not search it again, and finds the same route; other obstacles are not confused with them."""
    field = [Box(60 + 120 * i, -150 + 100 * j, 40, 40) for i in range(4) for j in range(4)]
    start, end = Point(0, -100), Point(560, 180)
    plains: dict[tuple[object, ...], PlainRoutes] = {}
    first, second = Router(field, BOUNDS, plains=plains), Router(field, BOUNDS, plains=plains)
    route = assert_valid(first.route(start, RIGHT, end, DOWN), start, end, field)
    assert second.route(start, RIGHT, end, DOWN) == route
    assert second.expanded < first.expanded
    wall = [Box(250, -200, 40, 600)]
    other = Router(wall, BOUNDS, plains=plains)
    assert_valid(other.route(start, RIGHT, end, DOWN), start, end, wall)


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


def test_route_memory_prices_like_its_segments_one_by_one() -> None:
    rng = random.Random(7)
    memory = RouteMemory()
    segments: list[tuple[Point, Point]] = []
    for _ in range(60):
        a = Point(rng.choice(range(0, 200, 10)), rng.choice(range(0, 200, 10)))
        b = (
            Point(a.x, rng.choice(range(0, 200, 10)))
            if rng.random() < 0.5
            else Point(rng.choice(range(0, 200, 10)), a.y)
        )
        memory.add([a, b])
        segments.append((a, b))
    for _ in range(300):
        a = Point(rng.choice(range(-5, 205, 5)), rng.choice(range(-5, 205, 5)))
        b = (
            Point(a.x, rng.choice(range(-5, 205, 5)))
            if rng.random() < 0.5
            else Point(rng.choice(range(-5, 205, 5)), a.y)
        )
        assert memory.penalty(a.x, a.y, b.x, b.y) == pytest.approx(naive_penalty(segments, a, b))


def naive_penalty(segments: list[tuple[Point, Point]], a: Point, b: Point) -> float:
    """What a move costs: its overlap with earlier segments on its line, and the earlier segments it crosses."""
    horizontal = a.y == b.y
    lo, hi = sorted((a.x, b.x) if horizontal else (a.y, b.y))
    at = a.y if horizontal else a.x
    cost = 0.0
    for p, q in segments:
        if (p.y == q.y) == horizontal and (p.y if horizontal else p.x) == at:  # along
            s0, s1 = sorted((p.x, q.x) if horizontal else (p.y, q.y))
            cost += max(0.0, min(hi, s1) - max(lo, s0)) * REUSE_COST
        elif (p.x == q.x) == horizontal and p != q:  # across
            k = p.x if horizontal else p.y
            s0, s1 = sorted((p.y, q.y) if horizontal else (p.x, q.x))
            if lo < k < hi and s0 < at < s1:
                cost += CROSS_COST
    return cost


def whole_grid_cost(router: Router, start: Point, start_dir: int, end: Point, end_dir: int) -> float:
    """The cheapest route's cost by Dijkstra over the whole channel grid: what the router's windows must find."""
    obstacles = router.obstacles
    b = router.bounds
    columns = Channels.of([o.x for o in obstacles], [o.right for o in obstacles], b.x, b.right)
    rows = Channels.of([o.y for o in obstacles], [o.bottom for o in obstacles], b.y, b.bottom)
    xs = sorted({*columns.coords, start.x, end.x})
    ys = sorted({*rows.coords, start.y, end.y})
    hugs_x = columns.hugging - {start.x, end.x}
    hugs_y = rows.hugging - {start.y, end.y}
    goal = (xs.index(end.x), ys.index(end.y))
    first = (xs.index(start.x), ys.index(start.y), start_dir)
    best = {first: 0.0}
    heap = [(0.0, first)]
    while heap:
        g, (i, j, d) = heapq.heappop(heap)
        if g > best[(i, j, d)]:
            continue
        if (i, j) == goal and d != (end_dir + 2) % 4:
            return g
        for nd, (dx, dy) in enumerate(((1, 0), (0, 1), (-1, 0), (0, -1))):
            ni, nj = i + dx, j + dy
            if nd == (d + 2) % 4 or not (0 <= ni < len(xs) and 0 <= nj < len(ys)):
                continue
            a, c = Point(xs[i], ys[j]), Point(xs[ni], ys[nj])
            middle = Point((a.x + c.x) / 2, (a.y + c.y) / 2)
            if any(o.contains(middle) for o in obstacles):
                continue
            hug = a.y in hugs_y if dy == 0 else a.x in hugs_x
            cost = g + (abs(c.x - a.x) + abs(c.y - a.y)) * (1 + (EDGE_LINE_COST if hug else 0))
            cost += (BEND_COST if nd != d else 0) + router.memory.penalty(a.x, a.y, c.x, c.y)
            cost += BEND_COST if (ni, nj) == goal and nd != end_dir else 0
            if cost < best.get((ni, nj, nd), math.inf):
                best[(ni, nj, nd)] = cost
                heapq.heappush(heap, (cost, (ni, nj, nd)))
    return math.inf


def route_cost(obstacles: list[Box], memory: RouteMemory, route: list[Point], start_dir: int, end_dir: int) -> float:
    """A route's cost as the router counts it, with the earlier routes of ``memory``."""
    hugging_x = {o.x for o in obstacles} | {o.right for o in obstacles}
    hugging_y = {o.y for o in obstacles} | {o.bottom for o in obstacles}
    start, end = route[0], route[-1]
    cost, d = 0.0, start_dir
    for a, b in itertools.pairwise(route):
        nd = direction(a, b)
        hug = a.y in hugging_y - {start.y, end.y} if a.y == b.y else a.x in hugging_x - {start.x, end.x}
        cost += (abs(b.x - a.x) + abs(b.y - a.y)) * (1 + (EDGE_LINE_COST if hug else 0))
        cost += (BEND_COST if nd != d else 0) + memory.penalty(a.x, a.y, b.x, b.y)
        d = nd
    return cost + (BEND_COST if d != end_dir else 0)


@pytest.mark.slow
def test_windowed_searches_find_the_whole_grids_cheapest_routes() -> None:
    rng = random.Random(3)
    field = [
        Box(x + rng.randrange(30), y + rng.randrange(30), 40, 30)
        for x in range(0, 400, 100)
        for y in range(0, 400, 100)
    ]
    router = Router(field, BOUNDS, most_nodes=10**9)  # never settling for a corridor's route
    for _ in range(16):
        a, c = rng.sample(field, 2)
        start, end = Point(a.cx, a.bottom + 10), Point(c.cx, c.y - 10)
        want = whole_grid_cost(router, start, DOWN, end, DOWN)
        memory = copy.deepcopy(router.memory)
        route = assert_valid(router.route(start, DOWN, end, DOWN), start, end, field)
        assert route_cost(field, memory, route, DOWN, DOWN) == pytest.approx(want)


def grid_of_blocks(rows: int, cols: int) -> list[Box]:
    """Blocks as a grid layout places them (inflated by a margin, as the router gets them)."""
    return [Box(c * 160, r * 80, 120, 40).inflate(8) for r in range(rows) for c in range(cols)]


@pytest.mark.slow
def test_a_big_grid_with_tree_edges_routes_with_bounded_work() -> None:
    blocks = grid_of_blocks(20, 10)
    bounds = Box(-100, -100, 10 * 160 + 200, 20 * 80 + 200)
    router = Router(blocks, bounds)
    for child in range(1, len(blocks)):
        a, b = blocks[(child - 1) // 2], blocks[child]
        if a.y == b.y:  # same row: right side to left side
            start, start_dir, end, end_dir = Point(a.right + 4, a.cy), RIGHT, Point(b.x - 4, b.cy), RIGHT
        else:  # bottom to top
            start, start_dir, end, end_dir = Point(a.cx, a.bottom + 4), DOWN, Point(b.cx, b.y - 4), DOWN
        assert_valid(router.route(start, start_dir, end, end_dir), start, end, blocks)
    # about 900 states an edge (the whole grid has about 14,000); a search that floods the grid would take far more
    assert router.expanded < 1500 * len(blocks)


@pytest.mark.slow
def test_routes_settled_in_a_corridor_avoid_every_block_too() -> None:
    blocks = grid_of_blocks(12, 8)
    bounds = Box(-100, -100, 8 * 160 + 200, 12 * 80 + 200)
    rng = random.Random(5)
    eager, settling = Router(blocks, bounds, most_nodes=10**9), Router(blocks, bounds, most_nodes=0)
    for _ in range(60):
        a, b = rng.sample(blocks, 2)
        start, end = Point(a.cx, a.bottom + 4), Point(b.cx, b.y - 4)
        for router in (eager, settling):
            assert_valid(router.route(start, DOWN, end, DOWN), start, end, blocks)
    assert settling.expanded < eager.expanded


def test_a_limited_search_gives_up_instead_of_searching_on() -> None:
    """A rescue way is worth a bounded effort: past ``limit`` states the router answers None (and says
    it gave up), where without a limit it finds the way round a wall."""
    wall = [Box(200, -400, 20, 900)]
    start, end = Point(0, 0), Point(400, 0)
    router = Router(wall, BOUNDS)
    assert router.route(start, RIGHT, end, RIGHT) is not None and not router.gave_up
    assert router.route(start, RIGHT, end, RIGHT, limit=3) is None and router.gave_up
    assert router.route(start, RIGHT, end, RIGHT) is not None and not router.gave_up  # the next route is free
