"""Nearness: the drawn edges' polylines in a grid of cells, to ask how long a new line runs on or beside
them, how often it crosses them, and what a leg of a search pays for the edges it crosses (``shortcut``).

Pre: polylines in px, by drawn edge number, with each edge's two blocks. Post: answers about a new
polyline against all of them but its own edge's (the same questions ``svgarch.quality`` asks of a drawing).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from svgarch.geometry import Point, new, segments_cross
from svgarch.layout.polylines import CellRun, cell_runs, kept_for

STEP = 4.0  # px between samples when comparing nearness to other edges
NEAR = 7.0  # px: a sample this near another edge runs beside it
TOUCH = 1.5  # px: ... this near, on it
RUN = 40.0  # px: a stretch beside another edge this long counts
CELL = 48.0  # px, the cells of the lines as drawn
COARSE = 96.0  # px, the cells of the simplified lines a search's tolls look up
CROSS = 150.0  # px a way's search counts for each edge it crosses
HAIR = 1e-6  # px a segment's box is grown by beyond NEAR, for rounding: past it, a point is surely farther

# a segment of edge n filed by cell: n, its ends, its box grown by NEAR + HAIR (x0, y0, x1, y1), its start,
# run and squared length (x, y, dx, dy, dx² + dy²)
Segment = tuple[int, Point, Point, float, float, float, float, float, float, float, float, float]
# a simplified segment of edge n filed by cell: n, its ends, its start and run (x, y, dx, dy)
Coarse = tuple[int, Point, Point, float, float, float, float]
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    Item = TypeVar("Item", Segment, Coarse)
# a line's crossings (all, and of edges sharing a block with its own) and its length on and beside other edges
Measures = tuple[int, int, float, float]
EPS = 1e-9  # as ``segments_cross`` takes it
# where a line goes in the grids: its segments and simplified segments, each with its cell, and the two sets of cells
Cell = tuple[int, int]
Filing = tuple[list[tuple[Cell, Segment]], list[tuple[Cell, Coarse]], set[Cell], set[Cell]]
# a run of a line's samples within one cell: the cell, the first sample and the one after the last, their box


class Lines:
    """The drawn edges' polylines in a grid of cells: how near a new line runs to them, and how often it
    crosses them."""

    def __init__(self, lines: dict[int, Sequence[Point]], ends: dict[int, tuple[str, str]]) -> None:
        self.lines = dict(lines)
        self.ends = ends  # each edge's source and target
        # segments by cell: edge, ends, box grown by NEAR (and a hair: farther, no sample runs beside it), then
        # its start, run and squared length as ``segment_distance`` takes them
        self.cells: dict[tuple[int, int], list[Segment]] = {}
        self.coarse: dict[tuple[int, int], list[Coarse]] = {}  # simplified lines, big cells
        self.changes: dict[tuple[int, int], int] = {}  # how often each cell's segments changed
        self._filed: dict[int, tuple[set[tuple[int, int]], set[tuple[int, int]]]] = {}  # each edge's cells, coarse
        self._filings: dict[tuple[int, int], tuple[Sequence[Point], Filing]] = {}  # by edge and line (its id)
        self._samples: dict[int, tuple[Sequence[Point], list[Point]]] = {}  # by line (its id): the line, its samples
        # by edge and line: the line, the cells its measures read, their change counts, and the measures
        self._measures: dict[tuple[int, int], tuple[Sequence[Point], list[tuple[int, int]], list[int], Measures]] = {}
        self.version = 0  # lines replaced so far
        # a leg's toll (by edge, leg and the edges set aside), with the version
        self._tolls: dict[tuple[int, Point, Point, frozenset[int]], tuple[int, float]] = {}
        for n in sorted(self.lines):
            self._add(n)

    def _add(self, n: int) -> None:
        line = self.lines[n]
        kept = self._filings.get((n, id(line)))
        if kept is None or kept[0] is not line:  # (a line put back, as a change not taken is, is filed as before)
            kept = self._filings[(n, id(line))] = (line, _filed(n, line))
        segments, simplified, fine, coarse_cells = kept[1]
        cells, coarse, changes = self.cells, self.coarse, self.changes
        for cell, item in segments:
            cells.setdefault(cell, []).append(item)
        for cell in fine:
            changes[cell] = changes.get(cell, 0) + 1
        for cell, piece in simplified:
            coarse.setdefault(cell, []).append(piece)
        self._filed[n] = fine, coarse_cells

    def replace(self, n: int, points: Sequence[Point]) -> None:
        fine, coarse = self._filed.pop(n)
        _drop(self.cells, n, fine)
        _drop(self.coarse, n, coarse)
        for cell in fine:
            self.changes[cell] += 1
        self.version += 1
        self.lines[n] = points
        self._add(n)

    def along(self, points: Sequence[Point]) -> list[Point]:
        """``samples(points)``, kept for the line."""
        kept = self._samples.get(id(points))
        if kept is None or kept[0] is not points:
            kept = self._samples[id(points)] = (points, _sampled(points))
        return kept[1]

    def measures(self, n: int, points: Sequence[Point]) -> Measures:
        """``crossings(n, points)`` and ``beside(n, points)``, kept while the cells they read hold the same
        segments (the line's own edge's are never read: it need not be filed as ``points``)."""
        key = (n, id(points))
        kept = self._measures.get(key)
        fresh = kept is None or kept[0] is not points
        if kept is None or fresh:
            read = {cell for a, b in itertools.pairwise(points) for cell in _cells(a, b, 0.0)}
            read |= {(math.floor(p.x / CELL), math.floor(p.y / CELL)) for p in self.along(points)}
            cells = sorted(read)
        else:
            cells = kept[1]
        counts = [self.changes.get(cell, 0) for cell in cells]
        if kept is None or fresh or counts != kept[2]:
            kept = self._measures[key] = (points, cells, counts, (*self.crossings(n, points), *self.beside(n, points)))
        return kept[3]

    def beside(self, n: int, points: Sequence[Point]) -> tuple[float, float]:
        """How long ``points`` run on another edge (within ``TOUCH`` px) and beside one (within ``NEAR`` px),
        each summed over the other edges it runs so for at least ``RUN`` px (by its longest stretch)."""
        runs: dict[int, list[int]] = {}  # other edge -> [current near run, longest, current touch run, longest]
        cells, hypot, inf = self.cells, math.hypot, math.inf
        others: dict[tuple[int, int], list[Segment]] = {}  # each cell's segments of other edges
        samples = self.along(points)
        last: dict[int, float] = {}  # the edges near the sample before
        for cell, k0, k1, gx0, gy0, gx1, gy1 in self._by_cell(points):
            items = others.get(cell)
            if items is None:
                items = others[cell] = [item for item in cells.get(cell, ()) if item[0] != n]
            if items:  # those whose grown boxes reach this stretch's samples (off them, no sample is near)
                items = [i for i in items if i[3] <= gx1 and gx0 <= i[5] and i[4] <= gy1 and gy0 <= i[6]]
            if not items:  # near none: every run ends at each of these samples
                for m in last:
                    runs[m][0] = runs[m][2] = 0
                last = {}
                continue
            for k in range(k0, k1):
                x, y = samples[k]
                near: dict[int, float] = {}
                for m, _, _, x0, y0, x1, y1, ax, ay, dx, dy, length2 in items:
                    if x0 <= x <= x1 and y0 <= y <= y1:  # outside the grown box: farther than NEAR
                        # segment_distance(p, a, b), inline: the same arithmetic, so the same value to the bit
                        # (t clamped to [0, 1] as max(0.0, min(1.0, t)) does, without the calls)
                        t = 0.0 if length2 == 0 else ((x - ax) * dx + (y - ay) * dy) / length2
                        t = t if 0.0 < t < 1.0 else (0.0 if t <= 0.0 else 1.0)
                        d = hypot(x - ax - t * dx, y - ay - t * dy)
                        if d <= NEAR and d < near.get(m, inf):
                            near[m] = d
                for m in last:  # (a run not near the sample before ended there already)
                    if m not in near:
                        runs[m][0] = runs[m][2] = 0
                for m, d in near.items():
                    run = runs[m] if m in runs else runs.setdefault(m, [0, 0, 0, 0])
                    run[0] += 1
                    run[2] = run[2] + 1 if d < TOUCH else 0
                    if run[0] > run[1]:
                        run[1] = run[0]
                    if run[2] > run[3]:
                        run[3] = run[2]
                last = near
        ordered = [r for _, r in sorted(runs.items())]
        touch = sum((r[3] - 1) * STEP for r in ordered if (r[3] - 1) * STEP >= RUN)
        return touch, sum((r[1] - 1) * STEP for r in ordered if (r[1] - 1) * STEP >= RUN)

    def _by_cell(self, points: Sequence[Point]) -> list[CellRun]:
        """The line's samples (``along``) in runs within one cell (``cell_runs``), kept for the samples."""
        samples = self.along(points)
        return kept_for(_cell_runs, samples, lambda: cell_runs(samples, CELL), KEPT)

    def toll(self, n: int, aside: frozenset[int] = frozenset()) -> Callable[[Point, Point], float]:
        """What a leg of edge ``n`` costs for the other edges it crosses (``CROSS`` px each, twice that for
        an edge sharing one of its blocks), those in ``aside`` (about to move with it) left out."""
        mine = set(self.ends.get(n, ()))
        tolls = self._tolls
        each: dict[int, float] = {}  # what crossing edge m costs, by m

        def price(m: int) -> float:
            known = each.get(m)
            if known is None:
                known = each[m] = CROSS * (2 if mine & set(self.ends.get(m, ())) else 1)
            return known

        def cost(a: Point, b: Point) -> float:
            kept = tolls.get((n, a, b, aside))
            if kept is not None and kept[0] == self.version:
                return kept[1]
            ax, ay, bx, by = a.x, a.y, b.x, b.y
            floor = math.floor
            # (min and max as comparisons: what the builtins give, the first of equals)
            x0 = floor(((ax if ax <= bx else bx) - HAIR) / COARSE)
            x1 = floor(((ax if ax >= bx else bx) + HAIR) / COARSE)
            y0 = floor(((ay if ay <= by else by) - HAIR) / COARSE)
            y1 = floor(((ay if ay >= by else by) + HAIR) / COARSE)
            if x0 == x1 and y0 == y1:  # within one cell (by more than a hair): every sample below lies in it
                cells = {(x0, y0)}
            else:
                length = _dist(a, b)
                steps = max(1, math.ceil(length / (COARSE / 4)))
                dx, dy = (bx - ax) / steps, (by - ay) / steps
                cells = {(floor((ax + dx * i) / COARSE), floor((ay + dy * i) / COARSE)) for i in range(steps)}
                cells.add((floor(bx / COARSE), floor(by / COARSE)))
            seen: set[Coarse] = set()
            rx, ry = bx - ax, by - ay
            for cell in cells:  # (in any order: what is seen, and so the sum of whole px, is the same)
                for item in self.coarse.get(cell, ()):
                    m, _, end, cx, cy, ex, ey = item
                    if m == n or m in aside:
                        continue
                    # ``segments_cross(a, b, c, d)`` inline, the same arithmetic: a and b on either side of
                    # c-d's line, then c and d on either side of a-b's
                    d1, d2 = ex * (ay - cy) - ey * (ax - cx), ex * (by - cy) - ey * (bx - cx)
                    if not ((d1 > EPS and d2 < -EPS) or (d1 < -EPS and d2 > EPS)):
                        continue
                    d3, d4 = rx * (cy - ay) - ry * (cx - ax), rx * (end.y - ay) - ry * (end.x - ax)
                    if (d3 > EPS and d4 < -EPS) or (d3 < -EPS and d4 > EPS):
                        seen.add(item)
            value = sum(price(item[0]) for item in seen)  # (whole px: the same sum in any order)
            tolls[(n, a, b, aside)] = (self.version, value)
            return value

        return cost

    def crossings(self, n: int, points: Sequence[Point]) -> tuple[int, int]:
        """How often ``points`` cross other edges: all of them, and those sharing a block with edge ``n``
        (arms of one fan)."""
        seen: set[tuple[int, Point, Point, Point, Point]] = set()
        cells = self.cells
        for i, (a, b) in enumerate(itertools.pairwise(points)):
            (ax, ay), (bx, by) = a, b
            lx0, lx1 = (ax if ax <= bx else bx), (ax if ax >= bx else bx)  # min and max, without the calls
            ly0, ly1 = (ay if ay <= by else by), (ay if ay >= by else by)
            for cell in _cells(a, b, 0.0):
                for item in cells.get(cell, ()):
                    if item[0] == n or item[3] > lx1 or item[5] < lx0 or item[4] > ly1 or item[6] < ly0:
                        continue  # (a segment lies NEAR px inside its grown box: off it, it crosses nothing)
                    m, c, d = item[0], item[1], item[2]
                    if segments_cross(a, b, c, d):
                        seen.add((m, a, b, c, d))
                    elif a in (c, d) and i > 0:  # two lines through one point: do they cross there?
                        touch = (m, a, a, a, a)
                        if touch not in seen and _through(points[i - 1], b, self.lines[m], a):
                            seen.add(touch)
        mine = set(self.ends.get(n, ()))
        return len(seen), sum(1 for m, *_ in seen if mine & set(self.ends.get(m, ())))


# what lines gave, for the next Lines with the same line (a picture is routed twice or more, most of its lines
# the same each time): read, never changed, by those that take them; forgotten, all of them, past KEPT lines
KEPT = 512  # (a picture of about 80 edges keeps about 150 lines, 40 000 samples)
_filings: dict[tuple[int, tuple[Point, ...]], Filing] = {}
_samples: dict[tuple[Point, ...], list[Point]] = {}
_cell_runs: dict[int, tuple[object, list[CellRun]]] = {}  # by samples (their id), as ``_sampled`` keeps them


def _filed(n: int, line: Sequence[Point]) -> Filing:
    """``_filing(n, line)``, kept for the same line (by value) of the same edge."""
    key = (n, tuple(line))
    kept = _filings.get(key)
    if kept is None:
        if len(_filings) >= KEPT:
            _filings.clear()
        kept = _filings[key] = _filing(n, line)
    return kept


def _sampled(points: Sequence[Point]) -> list[Point]:
    """``samples(points)``, kept for the same line (by value)."""
    key = tuple(points)
    kept = _samples.get(key)
    if kept is None:
        if len(_samples) >= KEPT:
            _samples.clear()
        kept = _samples[key] = samples(points)
    return kept


def _filing(n: int, line: Sequence[Point]) -> Filing:
    """Where edge ``n``'s line goes in the grids: its segments by cell, its simplified ones by coarse cell (each
    in the order they are filed), and the two sets of cells."""
    segments: list[tuple[tuple[int, int], Segment]] = []
    simplified: list[tuple[tuple[int, int], Coarse]] = []
    fine: set[tuple[int, int]] = set()
    coarse_cells: set[tuple[int, int]] = set()
    grow = NEAR + HAIR
    for a, b in itertools.pairwise(line):
        ax, ay, bx, by = a.x, a.y, b.x, b.y
        dx, dy = bx - ax, by - ay
        box = (
            (ax if ax <= bx else bx) - grow,  # min and max, without the calls
            (ay if ay <= by else by) - grow,
            (ax if ax >= bx else bx) + grow,
            (ay if ay >= by else by) + grow,
        )
        item: Segment = (n, a, b, *box, ax, ay, dx, dy, dx * dx + dy * dy)
        for cell in _cells(a, b, NEAR):
            segments.append((cell, item))
            fine.add(cell)
    for a, b in itertools.pairwise(_simplified(line)):
        piece: Coarse = (n, a, b, a.x, a.y, b.x - a.x, b.y - a.y)
        for cell in _cells(a, b, 0.0, COARSE):
            simplified.append((cell, piece))
            coarse_cells.add(cell)
    return segments, simplified, fine, coarse_cells


def _through(before: Point, after: Point, other: Sequence[Point], at: Point) -> bool:
    """Whether a line through ``at`` (from ``before``, on to ``after``) crosses ``other``, which has a corner
    there too: the other's ways in and out of that point lie on either side of the line's. (Two rounded
    S-curves that swap tracks in one gap can meet in one point: no segment crosses another properly.)"""
    k = next((k for k in range(1, len(other) - 1) if other[k] == at), None)
    if k is None:
        return False  # (an end of the other: it stops there)
    turn = [math.atan2(p.y - at.y, p.x - at.x) for p in (before, after, other[k - 1], other[k + 1])]

    def between(t: float) -> bool | None:  # whether t lies on the way round from the line's in to its out
        lo, hi = (turn[1] - turn[0]) % math.tau, (t - turn[0]) % math.tau
        if hi < EPS or abs(hi - lo) < EPS:
            return None  # on the line: a touch, not a crossing
        return hi < lo

    sides = between(turn[2]), between(turn[3])
    return None not in sides and sides[0] != sides[1]


def _drop(cells: dict[tuple[int, int], list[Item]], n: int, filed: set[tuple[int, int]]) -> None:
    """Edge ``n``'s segments out of a grid of cells (``filed``: the cells that hold them; a cell left empty goes)."""
    for key in sorted(filed):
        kept = [item for item in cells[key] if item[0] != n]
        if kept:
            cells[key] = kept
        else:
            del cells[key]


def samples(points: Sequence[Point]) -> list[Point]:
    """Points every ``STEP`` px along a polyline, its start first."""
    out = [points[0]]
    carry = 0.0
    for a, b in itertools.pairwise(points):
        length = _dist(a, b)
        t = STEP - carry
        while t <= length:
            out.append(new(Point, (a.x + (b.x - a.x) * t / length, a.y + (b.y - a.y) * t / length)))
            t += STEP
        carry = length - (t - STEP)
    return out


def _simplified(points: Sequence[Point], tolerance: float = 1.5) -> list[Point]:
    """A polyline with the points dropped that lie within ``tolerance`` px of the line kept (Douglas-Peucker)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        far, at = 0.0, -1
        for k in range(i + 1, j):
            d = segment_distance(points[k], points[i], points[j])
            if d > far:
                far, at = d, k
        if far > tolerance:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _cells(a: Point, b: Point, grow: float, size: float = CELL) -> list[tuple[int, int]]:
    ax, ay, bx, by = a.x, a.y, b.x, b.y
    # (min and max as the builtins take them, without the calls: the first of equals)
    x0 = math.floor(((ax if ax <= bx else bx) - grow) / size)
    x1 = math.floor(((ax if ax >= bx else bx) + grow) / size)
    y0 = math.floor(((ay if ay <= by else by) - grow) / size)
    y1 = math.floor(((ay if ay >= by else by) + grow) / size)
    if (x1 - x0 + 1) * (y1 - y0 + 1) > 4096:
        return [(x0, y0), (x1, y1)]
    return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]


def segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b.x - a.x, b.y - a.y
    n = dx * dx + dy * dy
    t = 0.0 if n == 0 else ((p.x - a.x) * dx + (p.y - a.y) * dy) / n
    t = t if 0.0 < t < 1.0 else (0.0 if t <= 0.0 else 1.0)  # max(0.0, min(1.0, t)), without the calls
    return math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy)


def _dist(a: Point, b: Point) -> float:
    return math.hypot(b.x - a.x, b.y - a.y)
