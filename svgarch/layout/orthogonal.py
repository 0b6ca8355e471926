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
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from svgarch.geometry import Box, Point, segment_hits_box

BEND_COST = 36.0
REUSE_COST = 3.0  # per unit length run along an earlier edge's line
CROSS_COST = 18.0  # per earlier edge crossed
EDGE_LINE_COST = 0.12  # extra per unit length on a line hugging an obstacle

# Directions: 0 right, 1 down, 2 left, 3 up.
_STEPS = ((1, 0), (0, 1), (-1, 0), (0, -1))


@dataclass
class RouteMemory:
    """Segments of edges already routed: horizontal ones by y, vertical by x."""

    horizontal: dict[float, list[tuple[float, float]]] = field(default_factory=dict)
    vertical: dict[float, list[tuple[float, float]]] = field(default_factory=dict)

    def add(self, points: Sequence[Point]) -> None:
        for a, b in itertools.pairwise(points):
            if abs(a.y - b.y) < 1e-6:
                self.horizontal.setdefault(round(a.y, 3), []).append((min(a.x, b.x), max(a.x, b.x)))
            elif abs(a.x - b.x) < 1e-6:
                self.vertical.setdefault(round(a.x, 3), []).append((min(a.y, b.y), max(a.y, b.y)))

    def penalty(self, a: Point, b: Point) -> float:
        cost = 0.0
        if abs(a.y - b.y) < 1e-6:
            lo, hi = min(a.x, b.x), max(a.x, b.x)
            for s0, s1 in self.horizontal.get(round(a.y, 3), ()):
                cost += max(0.0, min(hi, s1) - max(lo, s0)) * REUSE_COST
            for x, spans in self.vertical.items():
                if lo < x < hi:
                    cost += sum(CROSS_COST for s0, s1 in spans if s0 < a.y < s1)
        else:
            lo, hi = min(a.y, b.y), max(a.y, b.y)
            for s0, s1 in self.vertical.get(round(a.x, 3), ()):
                cost += max(0.0, min(hi, s1) - max(lo, s0)) * REUSE_COST
            for y, spans in self.horizontal.items():
                if lo < y < hi:
                    cost += sum(CROSS_COST for s0, s1 in spans if s0 < a.x < s1)
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
            coords.update(a + (b - a) * f for f in (0.25, 0.5, 0.75))
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
        def blocked(x: float, y: float) -> bool:
            return any(o.x < x < o.right and o.y < y < o.bottom for o in obstacles)

        si, sj = bisect_left(xs, start.x), bisect_left(ys, start.y)
        ei, ej = bisect_left(xs, end.x), bisect_left(ys, end.y)
        goal = (ei, ej)
        # state: (i, j, direction)
        best: dict[tuple[int, int, int], float] = {(si, sj, start_dir): 0.0}
        came: dict[tuple[int, int, int], tuple[int, int, int]] = {}
        heap = [(self._h(xs[si], ys[sj], end), 0.0, (si, sj, start_dir))]
        memo_block: dict[tuple[int, int], bool] = {}
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
                if not (0 <= ni < len(xs) and 0 <= nj < len(ys)):
                    continue
                key = (ni, nj)
                if key not in memo_block:
                    memo_block[key] = blocked(xs[ni], ys[nj])
                mx, my = (xs[i] + xs[ni]) / 2, (ys[j] + ys[nj]) / 2
                if memo_block[key] or blocked(mx, my):
                    continue
                a, b = Point(xs[i], ys[j]), Point(xs[ni], ys[nj])
                step = abs(b.x - a.x) + abs(b.y - a.y)
                hug = (dx == 0 and xs[i] in hug_x) or (dy == 0 and ys[j] in hug_y)
                cost = g + step * (1 + (EDGE_LINE_COST if hug else 0.0))
                cost += BEND_COST if nd != d else 0.0
                cost += self.memory.penalty(a, b)
                if (ni, nj) == goal and nd != end_dir:
                    cost += BEND_COST
                nstate = (ni, nj, nd)
                if cost < best.get(nstate, float("inf")):
                    best[nstate] = cost
                    came[nstate] = state
                    heapq.heappush(heap, (cost + self._h(b.x, b.y, end), cost, nstate))
        return None

    @staticmethod
    def _h(x: float, y: float, end: Point) -> float:
        return abs(x - end.x) + abs(y - end.y)

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


def crosses_any(points: Sequence[Point], boxes: Sequence[Box]) -> bool:
    """Whether a polyline enters the interior of any box."""
    return any(segment_hits_box(a, b, box) for a, b in itertools.pairwise(points) for box in boxes)
