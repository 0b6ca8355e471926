"""Orthogonal edge routing by A* over a sparse grid of free channels.

Follows the orthogonal-connector idea of Wybrow, Marriott and Stuckey
(2009, "Orthogonal connector routing"): candidate lines run along obstacle
boundaries (already inflated by a margin) and through gaps between them, at
a few "tracks" per gap so parallel edges can keep apart; A* then finds the
path with the least length plus bend cost. Edges routed earlier make their
lines and crossings more expensive for later edges.

Pre: obstacles are inflated boxes; start and end lie outside all of them.
Post: a list of axis-aligned points from start to end (or None).
"""

from __future__ import annotations

import heapq
import itertools
from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence
from typing import NamedTuple

from svgarch.geometry import Box, Point, segment_hits_box

BEND_COST = 36.0
REUSE_COST = 3.0  # per unit length run along an earlier edge's line
CROSS_COST = 18.0  # per earlier edge crossed
EDGE_LINE_COST = 0.12  # extra per unit length on a line hugging an obstacle

# Directions: 0 right, 1 down, 2 left, 3 up.
_STEPS = ((1, 0), (0, 1), (-1, 0), (0, -1))


class RouteMemory:
    """Segments of edges already routed: horizontal ones by y, vertical by x."""

    def __init__(self) -> None:
        self.horizontal: dict[float, list[tuple[float, float]]] = {}
        self.vertical: dict[float, list[tuple[float, float]]] = {}
        self._ys: list[float] = []  # sorted keys, for range queries
        self._xs: list[float] = []

    def add(self, points: Sequence[Point]) -> None:
        for a, b in itertools.pairwise(points):
            if abs(a.y - b.y) < 1e-6:
                self._put(self.horizontal, self._ys, a.y, a.x, b.x)
            elif abs(a.x - b.x) < 1e-6:
                self._put(self.vertical, self._xs, a.x, a.y, b.y)

    @staticmethod
    def _put(lines: dict[float, list[tuple[float, float]]], keys: list[float], at: float, p: float, q: float) -> None:
        at = round(at, 3)
        if at not in lines:
            insort(keys, at)
        lines.setdefault(at, []).append((min(p, q), max(p, q)))

    def penalty(self, ax: float, ay: float, bx: float, by: float) -> float:
        """Cost of a move for running along or across earlier edges."""
        if ay == by:
            return self._cost(self.horizontal, self.vertical, self._xs, ay, ax, bx)
        return self._cost(self.vertical, self.horizontal, self._ys, ax, ay, by)

    @staticmethod
    def _cost(
        along: dict[float, list[tuple[float, float]]],
        across: dict[float, list[tuple[float, float]]],
        across_keys: list[float],
        at: float,
        p: float,
        q: float,
    ) -> float:
        lo, hi = min(p, q), max(p, q)
        cost = 0.0
        for s0, s1 in along.get(round(at, 3), ()):
            cost += max(0.0, min(hi, s1) - max(lo, s0)) * REUSE_COST
        for k in across_keys[bisect_right(across_keys, lo) : bisect_left(across_keys, hi)]:
            cost += sum(CROSS_COST for s0, s1 in across[k] if s0 < at < s1)
        return cost


class Channels(NamedTuple):
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


class Router:
    """Routes many edges among the same obstacles, remembering earlier routes.

    Each search runs on the part of the channel grid near its two ends: the
    box around them grown by ``reach`` on every side. A route found there
    that costs no more than its ends' distance plus twice the reach is the
    route a search of the whole grid would find (any path leaving the window
    is longer than that); a dearer one is searched again in the window that
    its cost makes sure of, and when nothing is found the window widens.
    """

    def __init__(self, obstacles: Sequence[Box], bounds: Box, reach: float = 4 * BEND_COST) -> None:
        self.obstacles = list(obstacles)
        self.bounds = bounds
        self.memory = RouteMemory()
        self.reach = reach
        self.expanded = 0  # search states taken off the queue, over all routes: the work done
        self._channels: dict[tuple[Box, ...], tuple[Channels, Channels]] = {}

    def route(
        self, start: Point, start_dir: int, end: Point, end_dir: int, ignore: Sequence[Box] = ()
    ) -> list[Point] | None:
        """Points from ``start`` (leaving along ``start_dir``) to ``end``
        (arriving along ``end_dir``), avoiding every obstacle not in ``ignore``."""
        obstacles = [o for o in self.obstacles if o not in ignore]
        columns, rows = self._grid(tuple(ignore), obstacles)
        distance = abs(end.x - start.x) + abs(end.y - start.y)
        reach = self.reach
        while True:
            x0, x1 = min(start.x, end.x) - reach, max(start.x, end.x) + reach
            y0, y1 = min(start.y, end.y) - reach, max(start.y, end.y) + reach
            xs, hug_x, all_x = columns.window(x0, x1, (start.x, end.x))
            ys, hug_y, all_y = rows.window(y0, y1, (start.y, end.y))
            inside = [o for o in obstacles if o.x < xs[-1] and xs[0] < o.right and o.y < ys[-1] and ys[0] < o.bottom]
            found = self._search(xs, ys, hug_x, hug_y, inside, start, start_dir, end, end_dir)
            whole = all_x and all_y
            if found is None:
                if whole:
                    return None
                reach *= 4
                continue
            path, cost = found
            if whole or cost <= distance + 2 * reach:
                self.memory.add(path)
                return path
            reach = (cost - distance) / 2  # the window in which no cheaper route can hide

    def _grid(self, ignore: tuple[Box, ...], obstacles: list[Box]) -> tuple[Channels, Channels]:
        """The channel lines of the obstacles, built once per set of ignored ones."""
        if ignore not in self._channels:
            b = self.bounds
            columns = Channels.of([o.x for o in obstacles], [o.right for o in obstacles], b.x, b.right)
            rows = Channels.of([o.y for o in obstacles], [o.bottom for o in obstacles], b.y, b.bottom)
            self._channels[ignore] = (columns, rows)
        return self._channels[ignore]

    def _search(
        self,
        xs: list[float],
        ys: list[float],
        hug_x: list[bool],
        hug_y: list[bool],
        obstacles: list[Box],
        start: Point,
        start_dir: int,
        end: Point,
        end_dir: int,
    ) -> tuple[list[Point], float] | None:
        """A* over the grid of ``xs`` × ``ys``; the cheapest path and its cost.

        A state is ``(i * len(ys) + j) * 4 + direction``: its order is that of
        ``(i, j, direction)``, which breaks ties between equal costs.
        """
        ny = len(ys)
        exits = _exits(xs, ys, obstacles)
        node_steps = (ny, 1, -ny, -1)  # node index change of a move in each direction
        goal = bisect_left(xs, end.x) * ny + bisect_left(ys, end.y)
        wrong_way = (end_dir + 2) % 4  # arriving so would double back at the end
        first = (bisect_left(xs, start.x) * ny + bisect_left(ys, start.y)) * 4 + start_dir
        best = {first: 0.0}
        came: dict[int, int] = {}
        penalties: dict[tuple[int, int], float] = {}  # by (node, axis): the memory's price of each grid step
        penalty = self.memory.penalty
        along_side = 1 + EDGE_LINE_COST
        heap = [(_estimate(xs[first // 4 // ny], ys[first // 4 % ny], start_dir, end, end_dir), 0.0, first)]
        infinity = float("inf")
        while heap:
            _, g, state = heapq.heappop(heap)
            if g > best[state]:
                continue
            self.expanded += 1
            node, d = divmod(state, 4)
            if node == goal and d != wrong_way:
                return self._unwind(came, state, xs, ys), g
            i, j = divmod(node, ny)
            ax, ay = xs[i], ys[j]
            free = exits[node]
            for nd in range(4):
                if not free >> nd & 1 or nd == (d + 2) % 4:
                    continue
                next_node = node + node_steps[nd]
                ni, nj = divmod(next_node, ny)
                bx, by = xs[ni], ys[nj]
                horizontal = nd % 2 == 0
                hug = hug_y[j] if horizontal else hug_x[i]
                cost = g + (abs(bx - ax) + abs(by - ay)) * (along_side if hug else 1)
                cost += BEND_COST if nd != d else 0.0
                key = (min(node, next_node), nd % 2)
                if key not in penalties:
                    penalties[key] = penalty(ax, ay, bx, by)
                cost += penalties[key]
                if next_node == goal and nd != end_dir:
                    cost += BEND_COST
                next_state = next_node * 4 + nd
                if cost < best.get(next_state, infinity):
                    best[next_state] = cost
                    came[next_state] = state
                    heapq.heappush(heap, (cost + _estimate(bx, by, nd, end, end_dir), cost, next_state))
        return None

    @staticmethod
    def _unwind(came: dict[int, int], state: int, xs: list[float], ys: list[float]) -> list[Point]:
        ny = len(ys)
        pts = [Point(xs[state // 4 // ny], ys[state // 4 % ny])]
        while state in came:
            state = came[state]
            pts.append(Point(xs[state // 4 // ny], ys[state // 4 % ny]))
        pts.reverse()
        return pts


def _estimate(x: float, y: float, d: int, end: Point, end_dir: int) -> float:
    """A lower bound of the cost to ``end``: distance plus BEND_COST for each
    turn any route from here, heading ``d``, needs to arrive heading ``end_dir``."""
    dx, dy = end.x - x, end.y - y
    return abs(dx) + abs(dy) + _fewest_turns(dx, dy, d, end_dir) * BEND_COST


def _fewest_turns(dx: float, dy: float, d: int, e: int) -> int:
    """Turns from heading ``d`` to a point ``(dx, dy)`` away, arriving heading
    ``e``, as the search counts them: arriving across ``e`` is one more turn,
    arriving against it is not arriving.

    In the frame where ``d`` points ahead: ``ahead`` and ``aside`` are the
    end's offsets along and across ``d``; ``e`` is ahead (the same as ``d``),
    back, toward the end's side or away from it.
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


def _exits(xs: list[float], ys: list[float], obstacles: list[Box]) -> bytearray:
    """For each node ``i * len(ys) + j``, the directions (bit ``1 << d``) in
    which a move stays on the grid and out of every obstacle.

    Obstacle sides are grid lines (or lie beyond the grid), so a move between
    neighbouring lines is either wholly inside an obstacle or wholly outside it.
    """
    nx, ny = len(xs), len(ys)
    exits = bytearray([0b1111]) * (nx * ny)
    for j in range(ny):
        exits[j] &= ~0b0100  # no left from the first column
        exits[(nx - 1) * ny + j] &= ~0b0001  # no right from the last
    for i in range(nx):
        exits[i * ny] &= ~0b1000  # no up from the first row
        exits[i * ny + ny - 1] &= ~0b0010  # no down from the last
    for o in obstacles:
        i0, i1 = bisect_left(xs, o.x), bisect_right(xs, o.right) - 1  # lines on or within its sides
        j0, j1 = bisect_left(ys, o.y), bisect_right(ys, o.bottom) - 1
        inner_rows = range(bisect_right(ys, o.y), bisect_left(ys, o.bottom))  # strictly within
        inner_cols = range(bisect_right(xs, o.x), bisect_left(xs, o.right))
        for j in inner_rows:
            for i in range(i0, i1):
                exits[i * ny + j] &= ~0b0001  # right, into it or through it
                exits[(i + 1) * ny + j] &= ~0b0100  # and back
        for i in inner_cols:
            for j in range(j0, j1):
                exits[i * ny + j] &= ~0b0010  # down
                exits[i * ny + j + 1] &= ~0b1000  # and up
    return exits


def crosses_any(points: Sequence[Point], boxes: Sequence[Box]) -> bool:
    """Whether a polyline enters the interior of any box."""
    return any(segment_hits_box(a, b, box) for a, b in itertools.pairwise(points) for box in boxes)
