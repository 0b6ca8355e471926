"""Shortcuts: a guided edge whose drawn route turns much or goes round, searched again as the shortest
line round the obstacles, and kept only where that is plainly better.

The gates an automatic layout keeps for an edge, pulled taut (``direct``), still bend where the gates
step sideways, and a side input of a merge node comes down its column and turns in square (``merges``).
Here such an edge (turning at least ``TURNS`` quarter turns, or longer than ``DETOUR`` × its ends'
distance) is searched again on a visibility graph: its two ports and the corners of every obstacle
(blocks grown by the routing margin, frames' labels, reserved edge labels) near the straight line
between them, with A* for the shortest way. The first leg leaves within about 78° of its side's normal,
the last arrives within 60°. The new way replaces the old one only if it turns clearly less (or is
clearly shorter) and costs nothing else: it touches no block, label or furniture the old one did not,
crosses no more edges and no more frame borders, and runs beside no other edge for longer. Where the
tightest way runs beside another edge, a way a little farther out from the corners is tried.

Pre: every edge routed (``RoutedEdge``s), the obstacles indexed. Post: some guided edges re-routed
between the same ports; every rule above holds for each replacement.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Sequence

from svgarch.geometry import Box, Point, segments_cross
from svgarch.layout import direct
from svgarch.layout.types import RoutedEdge

TURNS = 1.2  # quarter turns from which a route is searched again
DETOUR = 1.3  # ... or drawn length over its ends' distance
BETTER_TURNS = 0.3  # a new way turns at least this much less (quarter turns) ...
LONGER = 1.05  # ... and is at most this much longer; or
SHORTER = 0.9  # it is at most this long, and turns no more
LEAVE_COS = 0.2  # the first leg within about 78° of its side's normal
ARRIVE_COS = 0.5  # the last leg within 60° of its side's normal
OFFSETS = (1.0, 9.0)  # px beyond an obstacle's corner its node lies at: the tightest way, then one farther out
NODES = 400  # corners in one search at most (a bigger search keeps the old way)
STEP = 4.0  # px between samples when comparing nearness to other edges
NEAR = 7.0  # px: a sample this near another edge runs beside it
TOUCH = 1.5  # px: ... this near, on it
RUN = 40.0  # px: a stretch beside another edge this long counts
CELL = 48.0
FAN = 8  # edges on one side of a block straightened together at most
LEAD = 16.0  # px: a node this far out from each port along its side's normal


def turning(points: Sequence[Point]) -> float:
    """The total turning along a polyline, in quarter turns (as ``svgarch.quality`` counts it)."""
    total = 0.0
    heading: float | None = None
    for a, b in itertools.pairwise(points):
        if abs(b.x - a.x) + abs(b.y - a.y) < 1e-6:
            continue
        h = math.atan2(b.y - a.y, b.x - a.x)
        if heading is not None:
            total += abs((h - heading + math.pi) % (2 * math.pi) - math.pi)
        heading = h
    return total / (math.pi / 2)


def shortest(
    start: Point,
    out_normal: Point,
    end: Point,
    in_normal: Point,
    obstacles: direct.Obstacles,
    skip: frozenset[str],
    bound: float,
    offset: float,
) -> list[Point] | None:
    """The shortest polyline from ``start`` to ``end`` round the obstacles (owners in ``skip`` aside), no
    longer than ``bound``, through corners ``offset`` px out from the obstacles; None if there is none.
    The first leg leaves along ``out_normal``, the last arrives along ``in_normal`` (into the target)."""
    corners: list[Point] = []
    for key, box in obstacles.items:
        if key in skip:
            continue
        for x, sx in ((box.x, -1.0), (box.right, 1.0)):
            for y, sy in ((box.y, -1.0), (box.bottom, 1.0)):
                p = Point(x + sx * offset, y + sy * offset)
                if _dist(p, start) + _dist(p, end) <= bound and not obstacles.blocked(p, p, skip):
                    corners.append(p)
    if len(corners) > NODES:
        return None
    for p in (start + out_normal.scale(LEAD), end - in_normal.scale(LEAD)):  # the ports' own stubs
        if not obstacles.blocked(p, p, skip):
            corners.append(p)
    nodes = [start, end, *sorted(set(corners))]
    rest = [_dist(p, end) for p in nodes]
    best = [math.inf] * len(nodes)
    best[0] = 0.0
    came = [-1] * len(nodes)
    done = [False] * len(nodes)
    heap = [(rest[0], 0)]
    while heap:
        _, u = heapq.heappop(heap)
        if done[u]:
            continue
        done[u] = True
        if u == 1:
            out = [end]
            while u != 0:
                u = came[u]
                out.append(nodes[u])
            return out[::-1]
        p = nodes[u]
        for v in range(1, len(nodes)):
            if done[v]:
                continue
            q = nodes[v]
            step = _dist(p, q)
            g = best[u] + step
            if g >= best[v] or g + rest[v] > bound or step < 1e-6:
                continue
            d = q - p
            if u == 0 and d.x * out_normal.x + d.y * out_normal.y < LEAVE_COS * step:
                continue
            if v == 1 and d.x * in_normal.x + d.y * in_normal.y < ARRIVE_COS * step:
                continue
            if obstacles.blocked(p, q, skip):
                continue
            best[v], came[v] = g, u
            heapq.heappush(heap, (g + rest[v], v))
    return None


class Lines:
    """The drawn edges' polylines in a grid of cells: how near a new line runs to them, and how often it
    crosses them."""

    def __init__(self, lines: dict[int, Sequence[Point]], ends: dict[int, tuple[str, str]]) -> None:
        self.lines = dict(lines)
        self.ends = ends  # each edge's source and target
        self.cells: dict[tuple[int, int], list[tuple[int, Point, Point]]] = {}
        for n in sorted(self.lines):
            self._add(n)

    def _add(self, n: int) -> None:
        for a, b in itertools.pairwise(self.lines[n]):
            for cell in _cells(a, b, NEAR):
                self.cells.setdefault(cell, []).append((n, a, b))

    def replace(self, n: int, points: Sequence[Point]) -> None:
        for key in list(self.cells):
            kept = [item for item in self.cells[key] if item[0] != n]
            if kept:
                self.cells[key] = kept
            else:
                del self.cells[key]
        self.lines[n] = points
        self._add(n)

    def beside(self, n: int, points: Sequence[Point]) -> tuple[float, float]:
        """How long ``points`` run on another edge (within ``TOUCH`` px) and beside one (within ``NEAR`` px),
        each summed over the other edges it runs so for at least ``RUN`` px (by its longest stretch)."""
        runs: dict[int, list[int]] = {}  # other edge -> [current near run, longest, current touch run, longest]
        for p in _samples(points):
            near: dict[int, float] = {}
            for m, a, b in self.cells.get((math.floor(p.x / CELL), math.floor(p.y / CELL)), ()):
                if m != n:
                    d = _segment_distance(p, a, b)
                    if d <= NEAR and d < near.get(m, math.inf):
                        near[m] = d
            for m, run in runs.items():
                if m not in near:
                    run[0] = run[2] = 0
            for m, d in near.items():
                run = runs.setdefault(m, [0, 0, 0, 0])
                run[0] += 1
                run[2] = run[2] + 1 if d < TOUCH else 0
                run[1], run[3] = max(run[1], run[0]), max(run[3], run[2])
        ordered = [r for _, r in sorted(runs.items())]
        touch = sum((r[3] - 1) * STEP for r in ordered if (r[3] - 1) * STEP >= RUN)
        return touch, sum((r[1] - 1) * STEP for r in ordered if (r[1] - 1) * STEP >= RUN)

    def crossings(self, n: int, points: Sequence[Point]) -> tuple[int, int]:
        """How often ``points`` cross other edges: all of them, and those sharing a block with edge ``n``
        (arms of one fan)."""
        seen: set[tuple[int, Point, Point, Point, Point]] = set()
        for a, b in itertools.pairwise(points):
            for cell in _cells(a, b, 0.0):
                for m, c, d in self.cells.get(cell, ()):
                    if m != n and (m, a, b, c, d) not in seen and segments_cross(a, b, c, d):
                        seen.add((m, a, b, c, d))
        mine = set(self.ends.get(n, ()))
        return len(seen), sum(1 for m, *_ in seen if mine & set(self.ends.get(m, ())))


def straighten(
    candidates: Sequence[int],
    routed: dict[int, RoutedEdge],
    ports: Callable[[int], tuple[Point, Point, Point, Point]],
    owners: Callable[[int], frozenset[str]],
    clear: direct.Obstacles,
    solid: direct.Obstacles,
    frames: Sequence[Box],
    finish: Callable[[int, list[Point]], RoutedEdge],
) -> None:
    """Replace, in ``routed``, the routes of ``candidates`` that turn or go round much by their shortest
    way round the obstacles (``shortest``), where that is plainly better (see the module's text).

    ``ports(n)`` gives edge ``n``'s start, its side's outward normal, its end and the end side's inward
    normal; ``owners(n)`` the obstacle owners it may touch (its own blocks and label); ``finish(n, points)``
    draws a polyline as the edge (corners rounded, onto its blocks' outlines, arrow heads)."""
    lines = Lines(
        {n: r.points for n, r in routed.items()}, {n: (r.drawn.source, r.drawn.target) for n, r in routed.items()}
    )
    worst = []
    for n in candidates:
        points = routed[n].points
        straight = _dist(points[0], points[-1])
        turns = turning(points)
        if straight > 1 and (turns >= TURNS or direct.length(points) >= DETOUR * straight):
            worst.append((-turns, n))
    proposals: dict[int, list[RoutedEdge]] = {}
    for _, n in sorted(worst):
        found = _proposals(n, routed[n], ports(n), owners(n), clear, solid, finish)
        if found:
            proposals[n] = found

    def tried(group: list[int], news: list[RoutedEdge]) -> bool:
        """Whether the edges of ``group`` took these routes: each touches no more frame borders than it did,
        and together they cross no more edges (nor fan arms), and run on or beside no other edge longer."""
        olds = [routed[n].points for n in group]
        if any(_borders(new.points, frames) > _borders(old, frames) for old, new in zip(olds, news, strict=True)):
            return False
        before = _costs(lines, group, olds)
        for n, new in zip(group, news, strict=True):
            lines.replace(n, new.points)
        if all(a <= b for a, b in zip(_costs(lines, group, [new.points for new in news]), before, strict=True)):
            for n, new in zip(group, news, strict=True):
                routed[n] = new
            return True
        for n, old in zip(group, olds, strict=True):
            lines.replace(n, old)
        return False

    given = {n: ports(n) for n in candidates}
    sides: dict[tuple[str, float, float], list[int]] = {}  # (block, its side's outward normal) -> edges ending there
    for n in candidates:
        _, out_normal, _, in_normal = given[n]
        d = routed[n].drawn
        if d.source != d.target:
            sides.setdefault((d.source, out_normal.x, out_normal.y), []).append(n)
            sides.setdefault((d.target, -in_normal.x, -in_normal.y), []).append(n)

    def in_order(key: tuple[str, float, float], group: list[int]) -> list[RoutedEdge] | None:
        """The shortest ways of the edges with an end on one side of a block, their ports there handed out
        again in the order of their other ends (ports spread for ways round need not suit straight ones);
        None unless each way is no worse than its edge's route and together they turn clearly less."""
        at_start = {n: routed[n].drawn.source == key[0] for n in group}
        across = key[1] != 0  # a left or right side: its ports by y

        def along(p: Point) -> float:
            return p.y if across else p.x

        shared = sorted((given[n][0] if at_start[n] else given[n][2] for n in group), key=along)
        order = sorted(group, key=lambda n: (along(given[n][2] if at_start[n] else given[n][0]), n))
        news: dict[int, RoutedEdge] = {}
        for n, port in zip(order, shared, strict=True):
            start, out_normal, end, in_normal = given[n]
            moved = (port, out_normal, end, in_normal) if at_start[n] else (start, out_normal, port, in_normal)
            found = _proposals(n, routed[n], moved, owners(n), clear, solid, finish, plainly=False)
            if not found:
                return None
            news[n] = found[0]
        gain = sum(turning(routed[n].points) - turning(news[n].points) for n in group)
        return [news[n] for n in group] if gain >= BETTER_TURNS else None

    # the arms of a fan that go round are straightened together (one alone would cross the others)
    done: set[int] = set()
    for key, arms in sorted(sides.items()):
        group = [n for n in arms if n not in done]
        if len(group) < 2 or len(group) > FAN or not any(n in proposals for n in group):
            continue
        bent = [n for n in group if n in proposals]
        options = [in_order(key, group), [proposals[n][0] for n in bent] if len(bent) >= 2 else None]
        for members, news in zip((group, bent), options, strict=True):
            if news is not None and tried(members, news):
                done.update(members)
                break
    for _, n in sorted(worst):
        if n in proposals and n not in done:
            for new in proposals[n]:
                if tried([n], [new]):
                    break


def _proposals(
    n: int,
    now: RoutedEdge,
    ports: tuple[Point, Point, Point, Point],
    skip: frozenset[str],
    clear: direct.Obstacles,
    solid: direct.Obstacles,
    finish: Callable[[int, list[Point]], RoutedEdge],
    plainly: bool = True,
) -> list[RoutedEdge]:
    """Edge ``n``'s shortest ways (tightest first) that are plainly better than its route ``now`` (or, not
    ``plainly``, no worse) and touch no block, label or furniture it does not."""
    old = now.points
    start, out_normal, end, in_normal = ports
    old_length, old_turns = direct.length(old), turning(old)
    old_hits = solid.hit(old, skip)
    out = []
    for offset in OFFSETS:
        way = shortest(start, out_normal, end, in_normal, clear, skip, old_length * LONGER, offset)
        if way is None:
            continue
        new = finish(n, way)
        points = new.points
        new_length, new_turns = direct.length(points), turning(points)
        better = (new_turns <= old_turns - BETTER_TURNS and new_length <= old_length * LONGER) or (
            new_length <= old_length * SHORTER and new_turns <= old_turns + 0.05
        )
        if not plainly:
            better = new_turns <= old_turns + 0.05 and new_length <= old_length * LONGER
        if better and solid.hit(points, skip) <= old_hits:
            out.append(new)
    return out


def _costs(lines: Lines, group: list[int], ways: Sequence[Sequence[Point]]) -> tuple[float, ...]:
    """What a group's ways cost: crossings, crossings of fan arms, length on and beside other edges."""
    total = [0.0, 0.0, 0.0, 0.0]
    for n, way in zip(group, ways, strict=True):
        for i, value in enumerate((*lines.crossings(n, way), *lines.beside(n, way))):
            total[i] += value
    return tuple(total)


def _borders(points: Sequence[Point], frames: Sequence[Box]) -> int:
    """How often a polyline crosses the border of a frame (sampled every ``STEP`` px)."""
    samples = _samples(points)
    total = 0
    for f in frames:
        inside = [f.x < p.x < f.right and f.y < p.y < f.bottom for p in samples]
        total += sum(1 for a, b in itertools.pairwise(inside) if a != b)
    return total


def _samples(points: Sequence[Point]) -> list[Point]:
    out = [points[0]]
    carry = 0.0
    for a, b in itertools.pairwise(points):
        length = _dist(a, b)
        t = STEP - carry
        while t <= length:
            out.append(Point(a.x + (b.x - a.x) * t / length, a.y + (b.y - a.y) * t / length))
            t += STEP
        carry = length - (t - STEP)
    return out


def _cells(a: Point, b: Point, grow: float) -> list[tuple[int, int]]:
    x0, x1 = math.floor((min(a.x, b.x) - grow) / CELL), math.floor((max(a.x, b.x) + grow) / CELL)
    y0, y1 = math.floor((min(a.y, b.y) - grow) / CELL), math.floor((max(a.y, b.y) + grow) / CELL)
    if (x1 - x0 + 1) * (y1 - y0 + 1) > 4096:
        return [(x0, y0), (x1, y1)]
    return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b.x - a.x, b.y - a.y
    n = dx * dx + dy * dy
    t = 0.0 if n == 0 else max(0.0, min(1.0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / n))
    return math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy)


def _dist(a: Point, b: Point) -> float:
    return math.hypot(b.x - a.x, b.y - a.y)
