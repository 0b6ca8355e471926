"""Orthogonal edge routing by A* over a sparse grid of free channels.

Follows the orthogonal-connector idea of Wybrow, Marriott and Stuckey
(2009, "Orthogonal connector routing"): candidate lines run along obstacle
boundaries (already inflated by a margin) and through gaps between them, at
a few "tracks" per gap so parallel edges can keep apart; A* then finds the
path with the least length plus bend cost. Edges routed earlier make their
lines and crossings more expensive for later edges.

A search looks only at the part of the grid that can hold the cheapest
route (see ``Router``), so its work follows the edge, not the diagram.

Pre: obstacles are inflated boxes; start and end lie outside all of them.
Post: a list of axis-aligned points from start to end (or None).
"""

from __future__ import annotations

import heapq
import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from svgarch.geometry import Box, Point, bounding_box, points_box, segment_hits_box
from svgarch.layout.spatial import Line, LineIndex, lines_between
from svgarch.record import Record

BEND_COST = 36.0
REUSE_COST = 3.0  # per unit length run along an earlier edge's line
CROSS_COST = 18.0  # per earlier edge crossed
EDGE_LINE_COST = 0.12  # extra per unit length on a line hugging an obstacle

# Directions: 0 right, 1 down, 2 left, 3 up.
_STEPS = ((1, 0), (0, 1), (-1, 0), (0, -1))


class RouteMemory(LineIndex):
    """Segments of edges already routed, by line (``spatial.LineIndex``): pricing
    a move looks at the few pieces it spans, not at every segment."""

    def penalty(self, ax: float, ay: float, bx: float, by: float) -> float:
        """Cost of a move for running along or across earlier edges."""
        if ay == by:
            return _price(self.rows.get(round(ay, 3)), lines_between(self.xs, self.columns, ax, bx), ay, ax, bx)
        return _price(self.columns.get(round(ax, 3)), lines_between(self.ys, self.rows, ay, by), ax, ay, by)


class StepPrices:
    """What ``RouteMemory.penalty`` reads for the moves between neighbouring
    lines of one grid, looked up once: the move from ``(xs[i], ys[j])`` right
    to ``xs[i + 1]`` runs along ``rows[j]`` and crosses ``columns_between[i]``;
    the move down to ``ys[j + 1]`` runs along ``columns[i]`` and crosses
    ``rows_between[j]`` (``_price``)."""

    def __init__(self, memory: RouteMemory, xs: list[float], ys: list[float]) -> None:
        self.rows = [memory.rows.get(round(y, 3)) for y in ys]
        self.columns = [memory.columns.get(round(x, 3)) for x in xs]
        self.columns_between = [lines_between(memory.xs, memory.columns, a, b) for a, b in itertools.pairwise(xs)]
        self.rows_between = [lines_between(memory.ys, memory.rows, a, b) for a, b in itertools.pairwise(ys)]


def _price(along: Line | None, across: list[Line], at: float, p: float, q: float) -> float:
    """A move from ``p`` to ``q`` on the line at ``at``: the length it runs
    along ``along``'s segments, and the segments of ``across`` it crosses."""
    cost = 0.0 if along is None else along.overlap(min(p, q), max(p, q)) * REUSE_COST
    for crossed in across:
        cost += crossed.through(at) * CROSS_COST
    return cost


class Channels(Record):
    """The candidate lines of one axis: every coordinate, sorted, and those
    that run along an obstacle's side."""

    coords: list[float]
    hugging: frozenset[float]

    @staticmethod
    def of(lows: Sequence[float], highs: Sequence[float], lo: float, hi: float) -> Channels:
        """Obstacle sides, the bounds, and the middle of every gap wider than 4."""
        hugging = frozenset(lows) | frozenset(highs)
        edges = sorted(hugging | {lo, hi})
        middles = {(a + b) / 2 for a, b in itertools.pairwise(edges) if b - a > 4}
        return Channels(sorted(hugging | {lo, hi} | middles), hugging)

    def window(self, lo: float, hi: float, extra: Sequence[float]) -> tuple[list[float], list[bool], bool]:
        """The lines from the last one at or below ``lo`` to the first at or
        above ``hi``, plus ``extra``; whether each hugs an obstacle (an extra
        line never does); and whether that is every line."""
        coords = self.coords
        first = max(0, bisect_right(coords, lo) - 1)
        last = min(len(coords) - 1, bisect_left(coords, hi))
        lines = sorted(set(coords[first : last + 1]).union(extra))
        hugs = [c in self.hugging and c not in extra for c in lines]
        return lines, hugs, first == 0 and last == len(coords) - 1


class Obstacles(Record):
    """The obstacles, their channel lines, and the obstacles sorted by top
    (to find those near a box without looking at every one)."""

    columns: Channels
    rows: Channels
    by_top: list[Box]
    tops: list[float]
    tallest: float

    @staticmethod
    def of(boxes: Sequence[Box], bounds: Box) -> Obstacles:
        by_top = sorted(boxes, key=lambda b: (b.y, b.x))
        return Obstacles(
            Channels.of([o.x for o in boxes], [o.right for o in boxes], bounds.x, bounds.right),
            Channels.of([o.y for o in boxes], [o.bottom for o in boxes], bounds.y, bounds.bottom),
            by_top,
            [b.y for b in by_top],
            max((b.h for b in by_top), default=0.0),
        )

    def meeting(self, area: Box) -> list[Box]:
        """The obstacles that meet ``area`` (touching counts)."""
        lo, hi = bisect_left(self.tops, area.y - self.tallest), bisect_right(self.tops, area.bottom)
        return [b for b in self.by_top[lo:hi] if b.x <= area.right and area.x <= b.right and area.y <= b.bottom]


class Ends(Record):
    """Where a route starts and ends, and the directions it leaves and arrives in."""

    start: Point
    start_dir: int
    end: Point
    end_dir: int


class Window(Record):
    """The grid lines of one search, and whether each hugs an obstacle."""

    xs: list[float]
    ys: list[float]
    hug_x: list[bool]
    hug_y: list[bool]
    whole: bool  # every line there is

    @property
    def nodes(self) -> int:
        return len(self.xs) * len(self.ys)


class Grid(Record):
    """A window ready for A*. Node ``i * len(ys) + j`` is ``(xs[i], ys[j])``;
    ``exits[node]`` has bit ``1 << d`` when a move in direction ``d`` stays on
    the grid and out of every obstacle; the search enters only nodes whose
    ``inside`` is 1."""

    window: Window
    exits: bytearray
    inside: bytearray


class Found(Record):
    """A search's path and its cost."""

    path: list[Point]  # every grid node on the way
    cost: float


PlainRoutes = dict[tuple[Ends, tuple[Box, ...], int], tuple[Found | None, bool]]  # by ends, ignored, limit


class Router:
    """Routes many edges among the same obstacles, remembering earlier routes.

    An edge's route is the cheapest path on the channel grid, and it lies
    near the two ends: a path that leaves their bounding box grown by ``r``
    is longer than their distance plus ``2 r``. So any route of cost ``c``
    bounds the window that holds the cheapest (``r = (c - distance) / 2``),
    and A* in that window finds what it would find on the whole grid.

    The first route known is the plain one (the shortest with fewest bends,
    earlier edges ignored; A* finds it quickly, in a window grown by
    ``reach`` and widened until it holds one). If the window its cost bounds
    has more than ``most_nodes`` nodes, the cheapest route within
    ``corridor`` of the plain one is known next. If even that one's window
    is too big, which happens when many earlier edges make every way dear,
    the corridor's route is the edge's: the best near its plain route.

    A plain route reads nothing of the earlier routes, so it is searched once for its ends (and what is
    ignored, and the limit) among these obstacles: in ``plains``, which routers among the same obstacles
    may share (an edge is routed again between the same ports, and a rescue way is asked again).
    """

    def __init__(
        self,
        obstacles: Sequence[Box],
        bounds: Box,
        *,
        reach: float = 4 * BEND_COST,
        corridor: float = 6 * BEND_COST,
        most_nodes: int = 4000,
        plains: dict[tuple[object, ...], PlainRoutes] | None = None,
    ) -> None:
        self.obstacles = list(obstacles)
        self.bounds = bounds
        self.memory = RouteMemory()
        self.reach, self.corridor, self.most_nodes = reach, corridor, most_nodes
        self.expanded = 0  # search states taken off the queue, over all routes: the work done
        self.limit, self.gave_up = 0, False  # the states one search may take in this route (0: any), and if it ran out
        self._all = Obstacles.of(self.obstacles, bounds)
        shared = {} if plains is None else plains
        self._plains = shared.setdefault((tuple(self.obstacles), bounds, reach), {})

    def route(
        self, start: Point, start_dir: int, end: Point, end_dir: int, ignore: Sequence[Box] = (), limit: int = 0
    ) -> list[Point] | None:
        """Points from ``start`` (leaving along ``start_dir``) to ``end``
        (arriving along ``end_dir``), avoiding every obstacle not in ``ignore``; with a ``limit``, None
        once a search has taken that many states (a way that is only worth a bounded effort)."""
        self.limit, self.gave_up = limit, False
        obstacles = self._all
        if ignore:
            obstacles = Obstacles.of([o for o in self.obstacles if o not in ignore], self.bounds)
        ends = Ends(start, start_dir, end, end_dir)
        around = points_box([start, end])
        asked = (ends, tuple(ignore), limit)
        if asked not in self._plains:
            self._plains[asked] = self._plain(obstacles, ends, around)
        found, self.gave_up = self._plains[asked]
        plain = None if found is None else Found(list(found.path), found.cost)
        if plain is None:
            return None
        penalties = sum(self.memory.penalty(a.x, a.y, b.x, b.y) for a, b in itertools.pairwise(plain.path))
        known = Found(plain.path, plain.cost + penalties)
        distance = around.w + around.h
        window = _window(obstacles, ends, around.inflate((known.cost - distance) / 2))
        if window.nodes > self.most_nodes:
            legs = [points_box(leg).inflate(self.corridor) for leg in itertools.pairwise(_corners(plain.path))]
            corridor = _grid(_window(obstacles, ends, bounding_box(legs)), obstacles, legs)
            known = self._search(corridor, ends, priced=True, deep_first=True) or known
            window = _window(obstacles, ends, around.inflate((known.cost - distance) / 2))
        if window.nodes <= self.most_nodes:
            known = self._search(_grid(window, obstacles), ends, priced=True) or known
        self.memory.add(known.path)
        return known.path

    def _plain(self, obstacles: Obstacles, ends: Ends, around: Box) -> tuple[Found | None, bool]:
        """The plain route (earlier edges ignored), in a window grown by ``reach`` and widened until it
        holds one; and whether its search gave up."""
        reach = self.reach
        while True:
            window = _window(obstacles, ends, around.inflate(reach))
            plain = self._search(_grid(window, obstacles), ends, priced=False, deep_first=True)
            if plain is not None or window.whole or self.gave_up:
                return plain, self.gave_up
            reach *= 4

    def _search(self, grid: Grid, ends: Ends, priced: bool, deep_first: bool = False) -> Found | None:
        """A* on ``grid``: the cheapest path from start to end, counting the
        earlier edges' penalties if ``priced``.

        A state is ``node * 4 + direction``. Between equal estimates, the
        one with the lower cost so far goes first (the state further along
        if ``deep_first``: fewer states for the same cost), then the lower
        state, as ``(i, j, direction)`` orders them.
        """
        xs, ys, hug_x, hug_y, _ = grid.window
        exits, inside = grid.exits, grid.inside
        start, start_dir, end, end_dir = ends
        nx, ny = len(xs), len(ys)
        node_steps = (ny, 1, -ny, -1)  # node index change of a move in each direction
        goal = bisect_left(xs, end.x) * ny + bisect_left(ys, end.y)
        wrong_way = (end_dir + 2) % 4  # arriving so would double back at the end
        # the estimate by lookups: distances to the end along each axis, and on which side of each line it lies
        far_x, far_y = [abs(end.x - x) for x in xs], [abs(end.y - y) for y in ys]
        side_x, side_y = [_side(end.x - x) * 12 for x in xs], [_side(end.y - y) * 4 for y in ys]  # * 4 directions
        turns = [_fewest_turns(sx, sy, d, end_dir) * BEND_COST for sx in _SIGNS for sy in _SIGNS for d in range(4)]
        prices = StepPrices(self.memory, xs if priced else [], ys if priced else [])  # (unpriced: never read)
        rows, columns, rows_between, columns_between = (
            prices.rows, prices.columns, prices.rows_between, prices.columns_between
        )
        penalties = [-1.0] * (nx * ny * 2)  # each step's price once known, by node * 2 + axis of its low end
        along_side = 1 + EDGE_LINE_COST
        # a step's length between neighbouring lines, and the factor of the line it runs on (moving left
        # or up, the length from the lower line is the same float as abs() of the difference the other way)
        gaps_x = [b - a for a, b in itertools.pairwise(xs)]
        gaps_y = [b - a for a, b in itertools.pairwise(ys)]
        factors_x = [along_side if hug else 1 for hug in hug_x]
        factors_y = [along_side if hug else 1 for hug in hug_y]
        infinity = float("inf")
        first = (bisect_left(xs, start.x) * ny + bisect_left(ys, start.y)) * 4 + start_dir
        if not exits[goal] and goal != first // 4:  # no move leads into the end (moves are open both ways)
            return None  # (searching would take every state it can reach to find none)
        best = [infinity] * (nx * ny * 4)
        best[first] = 0.0
        came: dict[int, int] = {}
        i, j = divmod(first // 4, ny)
        tie = -1.0 if deep_first else 1.0  # the heap holds cost * tie
        heap = [(far_x[i] + far_y[j] + turns[side_x[i] + side_y[j] + start_dir], 0.0, first)]
        push, pop, limit = heapq.heappush, heapq.heappop, self.limit
        expanded = 0
        while heap:
            _, g, state = pop(heap)
            g *= tie
            if g > best[state]:
                continue
            expanded += 1
            if expanded == limit:
                self.expanded += expanded
                self.gave_up = True
                return None
            node, d = divmod(state, 4)
            if node == goal and d != wrong_way:
                self.expanded += expanded
                return Found(_unwind(came, state, xs, ys), g)
            i, j = divmod(node, ny)
            for nd in _MOVES[exits[node] * 4 + d]:
                next_node = node + node_steps[nd]
                if not inside[next_node]:
                    continue
                if nd == 0:  # the step's low end: (i, j) moving right or down, the neighbour moving back
                    ni, nj, key = i + 1, j, node * 2
                    cost = g + gaps_x[i] * factors_y[j]
                elif nd == 2:
                    ni, nj, key = i - 1, j, next_node * 2
                    cost = g + gaps_x[ni] * factors_y[j]
                elif nd == 1:
                    ni, nj, key = i, j + 1, node * 2 + 1
                    cost = g + gaps_y[j] * factors_x[i]
                else:
                    ni, nj, key = i, j - 1, next_node * 2 + 1
                    cost = g + gaps_y[nj] * factors_x[i]
                if nd != d:
                    cost += BEND_COST
                if priced:
                    penalty = penalties[key]
                    if penalty < 0:  # as StepPrices tells: down (right) from the step's low end
                        if key & 1:
                            lj = j if nd == 1 else nj
                            penalty = _price(columns[i], rows_between[lj], xs[i], ys[lj], ys[lj + 1])
                        else:
                            li = i if nd == 0 else ni
                            penalty = _price(rows[j], columns_between[li], ys[j], xs[li], xs[li + 1])
                        penalties[key] = penalty
                    cost += penalty
                if next_node == goal and nd != end_dir:
                    cost += BEND_COST
                next_state = next_node * 4 + nd
                if cost < best[next_state]:
                    best[next_state] = cost
                    came[next_state] = state
                    h = far_x[ni] + far_y[nj] + turns[side_x[ni] + side_y[nj] + nd]
                    push(heap, (cost + h, cost * tie, next_state))
        self.expanded += expanded
        return None


# The directions a search may take next, by exits * 4 + heading: the open ones, never back.
_MOVES = tuple(
    tuple(nd for nd in range(4) if free >> nd & 1 and nd != (d + 2) % 4) for free in range(16) for d in range(4)
)
_SIGNS = (0.0, 1.0, -1.0)  # in _side's order


def _side(delta: float) -> int:
    """Where the end lies from a line, as an index into _SIGNS."""
    return 0 if abs(delta) < 1e-9 else 1 if delta > 0 else 2


def _window(obstacles: Obstacles, ends: Ends, area: Box) -> Window:
    """The grid lines that cover ``area``, and the lines through the ends."""
    start, end = ends.start, ends.end
    xs, hug_x, all_x = obstacles.columns.window(area.x, area.right, (start.x, end.x))
    ys, hug_y, all_y = obstacles.rows.window(area.y, area.bottom, (start.y, end.y))
    return Window(xs, ys, hug_x, hug_y, all_x and all_y)


def _grid(window: Window, obstacles: Obstacles, corridor: Sequence[Box] = ()) -> Grid:
    """The window's moves; with a ``corridor``, a search enters only the nodes in its boxes."""
    xs, ys = window.xs, window.ys
    nx, ny = len(xs), len(ys)
    # a move an obstacle blocks touches it; a move between two nodes of the corridor touches its boxes
    areas = corridor or [Box(xs[0], ys[0], xs[-1] - xs[0], ys[-1] - ys[0])]
    near = sorted({o for area in areas for o in obstacles.meeting(area)})
    if corridor:
        inside = bytearray(nx * ny)
        for b in corridor:  # the path's legs grown: they hold its ends
            j0, j1 = bisect_left(ys, b.y), bisect_right(ys, b.bottom)
            for i in range(bisect_left(xs, b.x), bisect_right(xs, b.right)):
                inside[i * ny + j0 : i * ny + j1] = b"\x01" * (j1 - j0)
    else:
        inside = bytearray(b"\x01") * (nx * ny)
    return Grid(window, _exits(xs, ys, near), inside)


def _exits(xs: list[float], ys: list[float], obstacles: list[Box]) -> bytearray:
    """For each node ``i * len(ys) + j``, the directions (bit ``1 << d``) in
    which a move stays on the grid and out of every obstacle.

    Obstacle sides are grid lines (or lie beyond the grid), so a move between
    neighbouring lines is either wholly inside an obstacle or wholly outside it.
    """
    nx, ny = len(xs), len(ys)
    exits = bytearray([0b1111]) * (nx * ny)
    right, down, left, up = _CLOSING
    exits[:ny] = exits[:ny].translate(left)  # the first column
    exits[(nx - 1) * ny :] = exits[(nx - 1) * ny :].translate(right)  # the last
    exits[::ny] = exits[::ny].translate(up)  # the first row
    exits[ny - 1 :: ny] = exits[ny - 1 :: ny].translate(down)  # the last
    for o in obstacles:
        i0, i1 = bisect_left(xs, o.x), bisect_right(xs, o.right) - 1  # lines on or within its sides
        j0, j1 = bisect_left(ys, o.y), bisect_right(ys, o.bottom) - 1
        if i1 < i0 or j1 < j0:  # beyond the grid
            continue
        for j in range(bisect_right(ys, o.y), bisect_left(ys, o.bottom)):  # rows strictly within
            run = slice(i0 * ny + j, i1 * ny + j, ny)  # moving right, into it or through it
            exits[run] = exits[run].translate(right)
            run = slice((i0 + 1) * ny + j, (i1 + 1) * ny + j, ny)  # and back
            exits[run] = exits[run].translate(left)
        for i in range(bisect_right(xs, o.x), bisect_left(xs, o.right)):  # columns strictly within
            exits[i * ny + j0 : i * ny + j1] = exits[i * ny + j0 : i * ny + j1].translate(down)
            exits[i * ny + j0 + 1 : i * ny + j1 + 1] = exits[i * ny + j0 + 1 : i * ny + j1 + 1].translate(up)
    return exits


# For each direction, a table for bytes.translate that clears its bit.
_CLOSING = tuple(bytes(b & ~(1 << d) for b in range(256)) for d in range(4))


def _unwind(came: dict[int, int], state: int, xs: list[float], ys: list[float]) -> list[Point]:
    ny = len(ys)
    nodes = [state // 4]
    while state in came:
        state = came[state]
        nodes.append(state // 4)
    return [Point(xs[n // ny], ys[n % ny]) for n in reversed(nodes)]


def _corners(points: list[Point]) -> list[Point]:
    """A grid path's ends and the points where it turns."""
    turning = (b for a, b, c in zip(points, points[1:], points[2:], strict=False) if (a.x == b.x) != (b.x == c.x))
    return [points[0], *turning, points[-1]]


def _fewest_turns(dx: float, dy: float, d: int, e: int) -> int:
    """Turns from heading ``d`` to a point ``(dx, dy)`` away, arriving heading
    ``e``, as the search counts them: arriving across ``e`` is one more turn,
    arriving against it is not arriving. (Exact in open space.)

    In the frame where ``d`` points ahead, ``ahead`` and ``aside`` are the
    end's offsets along and across ``d``.
    """
    sx, sy = _STEPS[d]
    ahead, aside = dx * sx + dy * sy, dy * sx - dx * sy
    if abs(ahead) < 1e-9:
        ahead = 0.0
    if abs(aside) < 1e-9:
        if ahead == 0:  # there already: fine, unless heading against ``e``
            return 4 if e == (d + 2) % 4 else 0
        if e == d:  # straight on, or round behind and back
            return 0 if ahead > 0 else 4
        if e == (d + 2) % 4:  # past it, off the line and back onto it
            return 4
        return 1 if ahead > 0 else 3  # straight in and a turn, or off the line, back and in
    if e == d:  # across to its line then on, or round behind
        return 2 if ahead >= 0 else 4
    if e == (d + 2) % 4:  # past it, across and back
        return 2
    ex, ey = _STEPS[e]
    if ex * dx + ey * dy > 0:  # toward its side: one turn onto its line, if not already past it
        return 1 if ahead >= 0 else 3
    return 3  # away from its side: beyond it and back


def crosses_any(points: Sequence[Point], boxes: Sequence[Box]) -> bool:
    """Whether a polyline enters the interior of any box."""
    return any(segment_hits_box(a, b, box) for a, b in itertools.pairwise(points) for box in boxes)
