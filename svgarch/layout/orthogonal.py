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


def _lines(
    lows: list[float], highs: list[float], extra: Sequence[float], lo: float, hi: float
) -> tuple[list[float], set[float]]:
    """Candidate coordinates on one axis, and those that hug an obstacle."""
    hugging = set(lows) | set(highs)
    coords = set(hugging) | set(extra) | {lo, hi}
    edges = sorted(hugging | {lo, hi})
    for a, b in itertools.pairwise(edges):
        if b - a > 4:
            coords.add((a + b) / 2)
    return sorted(coords), hugging - set(extra)


class Router:
    """Routes many edges among the same obstacles, remembering earlier routes."""

    def __init__(self, obstacles: Sequence[Box], bounds: Box) -> None:
        self.obstacles = list(obstacles)
        self.bounds = bounds
        self.memory = RouteMemory()

    def route(
        self, start: Point, start_dir: int, end: Point, end_dir: int, ignore: Sequence[Box] = ()
    ) -> list[Point] | None:
        """Points from ``start`` (leaving along ``start_dir``) to ``end``
        (arriving along ``end_dir``), avoiding every obstacle not in ``ignore``."""
        obstacles = [o for o in self.obstacles if o not in ignore]
        b = self.bounds
        xs, hug_x = _lines([o.x for o in obstacles], [o.right for o in obstacles], (start.x, end.x), b.x, b.right)
        ys, hug_y = _lines([o.y for o in obstacles], [o.bottom for o in obstacles], (start.y, end.y), b.y, b.bottom)
        path = self._search(xs, ys, hug_x, hug_y, obstacles, start, start_dir, end, end_dir)
        if path is not None:
            self.memory.add(path)
        return path

    def _search(
        self,
        xs: list[float],
        ys: list[float],
        hug_x: set[float],
        hug_y: set[float],
        obstacles: list[Box],
        start: Point,
        start_dir: int,
        end: Point,
        end_dir: int,
    ) -> list[Point] | None:
        walls = _walls(xs, ys, obstacles)
        si, sj = bisect_left(xs, start.x), bisect_left(ys, start.y)
        goal = (bisect_left(xs, end.x), bisect_left(ys, end.y))
        # state: (i, j, direction of travel)
        best: dict[tuple[int, int, int], float] = {(si, sj, start_dir): 0.0}
        came: dict[tuple[int, int, int], tuple[int, int, int]] = {}
        heap = [(_estimate(xs[si], ys[sj], start_dir, end), 0.0, (si, sj, start_dir))]
        nx, ny = len(xs), len(ys)
        while heap:
            _, g, state = heapq.heappop(heap)
            if g > best.get(state, float("inf")):
                continue
            i, j, d = state
            if (i, j) == goal and d != (end_dir + 2) % 4:
                return self._unwind(came, state, xs, ys)
            for nd, (dx, dy) in enumerate(_STEPS):
                if nd == (d + 2) % 4:
                    continue
                ni, nj = i + dx, j + dy
                if not (0 <= ni < nx and 0 <= nj < ny) or (ni, nj, nd) in walls:
                    continue
                ax, ay, bx, by = xs[i], ys[j], xs[ni], ys[nj]
                step = abs(bx - ax) + abs(by - ay)
                hug = (dx == 0 and ax in hug_x) or (dy == 0 and ay in hug_y)
                cost = g + step * (1 + (EDGE_LINE_COST if hug else 0.0))
                cost += BEND_COST if nd != d else 0.0
                cost += self.memory.penalty(ax, ay, bx, by)
                if (ni, nj) == goal and nd != end_dir:
                    cost += BEND_COST
                nstate = (ni, nj, nd)
                if cost < best.get(nstate, float("inf")):
                    best[nstate] = cost
                    came[nstate] = state
                    heapq.heappush(heap, (cost + _estimate(bx, by, nd, end), cost, nstate))
        return None

    @staticmethod
    def _unwind(
        came: dict[tuple[int, int, int], tuple[int, int, int]],
        state: tuple[int, int, int],
        xs: list[float],
        ys: list[float],
    ) -> list[Point]:
        pts = [Point(xs[state[0]], ys[state[1]])]
        while state in came:
            state = came[state]
            pts.append(Point(xs[state[0]], ys[state[1]]))
        pts.reverse()
        return pts


def _estimate(x: float, y: float, d: int, end: Point) -> float:
    """A lower bound of the cost to ``end``: distance plus the bends that
    travelling in direction ``d`` makes unavoidable."""
    dx, dy = end.x - x, end.y - y
    along, across = (dx, dy) if d % 2 == 0 else (dy, dx)
    ahead = (along if d in (0, 1) else -along) >= -1e-9
    straight_on = abs(across) < 1e-9
    bends = 2 if not ahead else 0 if straight_on else 1
    return abs(dx) + abs(dy) + bends * BEND_COST


def _walls(xs: list[float], ys: list[float], obstacles: list[Box]) -> set[tuple[int, int, int]]:
    """Moves that would enter an obstacle, as (to_i, to_j, direction).

    Obstacle sides are grid lines, so a move between neighbouring lines is
    either wholly inside an obstacle or wholly outside it.
    """
    walls: set[tuple[int, int, int]] = set()
    for o in obstacles:
        i0, i1 = bisect_left(xs, o.x), bisect_left(xs, o.right)
        j0, j1 = bisect_left(ys, o.y), bisect_left(ys, o.bottom)
        for j in range(j0 + 1, j1):
            walls.update((i, j, 0) for i in range(i0 + 1, i1 + 1))  # moving right
            walls.update((i, j, 2) for i in range(i0, i1))  # moving left
        for i in range(i0 + 1, i1):
            walls.update((i, j, 1) for j in range(j0 + 1, j1 + 1))  # moving down
            walls.update((i, j, 3) for j in range(j0, j1))  # moving up
    return walls


def crosses_any(points: Sequence[Point], boxes: Sequence[Box]) -> bool:
    """Whether a polyline enters the interior of any box."""
    return any(segment_hits_box(a, b, box) for a, b in itertools.pairwise(points) for box in boxes)
