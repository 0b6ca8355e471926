"""Edges running as rails, measured for ``bundles``: the edges' lines as they stand, their segments filed
by grid cell (``Work``), which edges each runs beside as rails (NEAR–FAR px apart for RUN px or more) or
on (nearer), how often it crosses the others, and whether a change to one is kept (``Work.offer``); the
longest stretch of one line near another (``stretch``).

Each line's samples (every STEP px), its length and its box are kept while it stands, and so are the
runs and crossings found for it, while the grid cells they read hold the same segments (each cell counts
its changes; a change undone brings the old counts back). A change to one edge is measured without filing
it: its own segments are never read for it. Everything here measures as it always did, to the bit:
filters only skip what cannot come near.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

from svgarch.geometry import Box, Point, segments_cross, turning
from svgarch.layout.direct import Obstacles
from svgarch.layout.polylines import CELL, CellRun, Line, Nearby, at, cell_runs, cells_of, cumulative, grown, sample_xy
from svgarch.layout.types import DrawnEdge

NEAR, FAR = 1.5, 7.0  # px: two edges this far apart run as rails (nearer: on one line)
RUN = 40.0  # px two edges must run that close to count
STEP = 2.0  # px between the samples taken along an edge
LABEL = 12.0  # px round a label's box within which its edge keeps its way
KEEP = 16.0  # px at each end an edge keeps as it was (its port, its head, the split of its fan)
TURN = 0.02  # quarter turns an edge may gain by a change anyway (rounding)
LOW = 0.8  # an edge may gain more while it turns at most this share of the diagram's p90 turning


# a line's samples every STEP px (x, y), its length and its box (x0, y0, x1, y1)
Sampled = tuple[list[tuple[float, float]], float, tuple[float, float, float, float]]


def sampled(line: Line) -> Sampled:
    """``line``'s samples every STEP px, its length and its box; kept for the same line (by value: a picture
    is routed twice or more, most of its lines the same each time), read and never changed by those that take
    them, and forgotten, all of them, past KEPT lines."""
    key = tuple(line)
    kept = _sampled.get(key)
    if kept is None:
        if len(_sampled) >= KEPT:
            _sampled.clear()
        xs, ys = [p.x for p in line], [p.y for p in line]
        kept = _sampled[key] = (sample_xy(line, STEP), cumulative(line)[-1], (min(xs), min(ys), max(xs), max(ys)))
    return kept


# a run of a line's samples within one grid cell: the cell, the first sample and the one after the last, their box

# an edge's measures: the edges it runs beside as rails and on, and its crossings (all, and of its fan's arms)
Measures = tuple[tuple[set[int], set[int]], tuple[int, int]]

# a segment of edge n filed by cell: n, its ends, its box grown by FAR (x0, y0, x1, y1), its start, run and
# squared length (x, y, dx, dy, dx² + dy²)
Filed = tuple[int, Point, Point, float, float, float, float, float, float, float, float, float]


# kept between the Works of one picture's routings (most lines are the same each time), by value: read, never
# changed, by those that take them; forgotten, all of them, past KEPT lines
KEPT = 512
_sampled: dict[tuple[Point, ...], Sampled] = {}
_by_cell: dict[int, tuple[list[tuple[float, float]], list[CellRun]]] = {}  # by samples (their id), as kept above
_nearby: dict[tuple[tuple[Point, ...], float], Nearby] = {}  # lines filed for a reach, by value (never changed)


def filed(n: int, a: Point, b: Point) -> Filed:
    dx, dy = b.x - a.x, b.y - a.y
    return (n, a, b, *grown(a, b, FAR), a.x, a.y, dx, dy, dx * dx + dy * dy)


class Work:
    """The edges' lines as they stand, indexed by grid cell, and the edges changed."""

    def __init__(
        self, drawn: Sequence[DrawnEdge], lines: dict[int, Line], solid: Obstacles, labels: Mapping[int, Box]
    ) -> None:
        self.drawn = drawn
        self.labels = labels
        self.lines = lines
        self.solid = solid
        self.changed: set[int] = set()
        self.taken = 0  # changes taken so far
        self.trunk: set[int] = set()  # the leaders and arms of trunks: drawn as the polylines they share
        self.leaders: set[int] = set()  # edges other edges share a trunk with: they keep their way
        # segments by cell, each with its box grown by FAR (farther, it cannot run beside a point), then its
        # start, run and squared length as ``segment_distance`` takes them
        self.cells: dict[tuple[int, int], list[Filed]] = {}
        # by edge and line (its own, or one offered): the line's samples, length and box, and its runs by cell
        self._samples: dict[tuple[int, int], tuple[Line, Sampled]] = {}
        self._by_cell: dict[tuple[int, int], tuple[Line, list[CellRun]]] = {}
        self._nearby: dict[tuple[int, float], tuple[Line, Nearby]] = {}  # each edge's line and its Nearby by reach
        self.changes: dict[tuple[int, int], int] = {}  # how often each cell's segments changed
        # runs and crossings by edge and line, with the change counts of the cells they read
        self._runs: dict[tuple[int, int], tuple[Line, list[int], tuple[set[int], set[int]]]] = {}
        self._crossings: dict[tuple[int, int], tuple[Line, list[int], tuple[int, int]]] = {}
        self._crossing_cells: dict[tuple[int, int], tuple[Line, list[tuple[int, int]]]] = {}  # the cells they read
        # by edge, its line, the one offered and the turning it may gain
        self._fits: dict[tuple[int, int, int, float], tuple[Line, Line, bool]] = {}
        self._measures: dict[int, tuple[Line, tuple[int, float]]] = {}  # blocks entered and turning, by line
        for n, line in lines.items():
            self._file(n, line)
        turns = sorted(turning(line) for line in lines.values())  # p90 by nearest rank, as the measure takes it
        self.turn_low = LOW * turns[max(math.ceil(0.9 * len(turns)) - 1, 0)] if turns else 0.0

    def _file(self, n: int, line: Line) -> None:
        changes = self.changes
        for a, b in itertools.pairwise(line):
            item = filed(n, a, b)
            for cell in cells_of(a, b, FAR):
                self.cells.setdefault(cell, []).append(item)
                changes[cell] = changes.get(cell, 0) + 1

    def _unfile(self, n: int, line: Line) -> None:
        changes = self.changes
        for a, b in itertools.pairwise(line):
            item = filed(n, a, b)
            for cell in cells_of(a, b, FAR):
                self.cells[cell].remove(item)
                changes[cell] += 1

    def samples(self, n: int, line: Line) -> Sampled:
        """``line``'s samples every STEP px and its length, kept for edge ``n`` (its line, or one offered)."""
        kept = self._samples.get((n, id(line)))
        if kept is None or kept[0] is not line:
            kept = self._samples[(n, id(line))] = (line, sampled(line))
        return kept[1]

    def by_cell(self, n: int, line: Line) -> list[CellRun]:
        """``line``'s samples (edge ``n``'s) in runs within one grid cell: the cell, the first sample and the one
        after the last, and the box of the run (x0, y0, x1, y1); kept for edge ``n`` (its line, or one offered)."""
        kept = self._by_cell.get((n, id(line)))
        if kept is not None and kept[0] is line:
            return kept[1]
        points = self.samples(n, line)[0]
        known = _by_cell.get(id(points))  # the same samples' runs, found for another Work
        if known is not None and known[0] is points:
            self._by_cell[(n, id(line))] = (line, known[1])
            return known[1]
        out = cell_runs(points, CELL)
        self._by_cell[(n, id(line))] = (line, out)
        if len(_by_cell) >= KEPT:
            _by_cell.clear()
        _by_cell[id(points)] = (points, out)
        return out

    def nearby(self, n: int, reach: float) -> Nearby:
        """Edge ``n``'s line filed for ``reach``, kept while it is its line."""
        line = self.lines[n]
        kept = self._nearby.get((n, reach))
        if kept is None or kept[0] is not line:
            key = (tuple(line), reach)
            near = _nearby.get(key)  # (the same line filed for another Work of the picture)
            if near is None:
                if len(_nearby) >= KEPT:
                    _nearby.clear()
                near = _nearby[key] = Nearby(line, reach)
            kept = self._nearby[(n, reach)] = (line, near)
        return kept[1]

    def ends(self, n: int) -> set[str]:
        return {self.drawn[n].source, self.drawn[n].target}

    def runs(self, n: int, line: Line) -> tuple[set[int], set[int]]:
        """The edges ``line`` (for edge ``n``) runs beside as rails, and those with no end in common it runs on."""
        changes = self.changes
        counts = [changes.get(cell, 0) for cell, *_ in self.by_cell(n, line)]
        kept = self._runs.get((n, id(line)))
        if kept is None or kept[0] is not line or kept[1] != counts:
            kept = self._runs[(n, id(line))] = (line, counts, self._find_runs(n, line))
        return kept[2]

    def _find_runs(self, n: int, line: Line) -> tuple[set[int], set[int]]:
        # edge → [the last sample near it, rail run, best rail, touch run, best touch]; a run lasts while the
        # edge is near (within its segments' grown boxes) at every sample
        best: dict[int, list[int]] = {}
        cells, hypot, inf = self.cells, math.hypot, math.inf
        points = self.samples(n, line)[0]
        for cell, k0, k1, gx0, gy0, gx1, gy1 in self.by_cell(n, line):
            items = cells.get(cell)
            if items:  # the other edges' segments whose boxes reach this cell's samples
                items = [i for i in items if i[0] != n and i[3] <= gx1 and gx0 <= i[5] and i[4] <= gy1 and gy0 <= i[6]]
            if not items:
                continue
            for k in range(k0, k1):
                x, y = points[k]
                nearest: dict[int, float] = {}
                for m, _, _, x0, y0, x1, y1, ax, ay, dx, dy, length2 in items:
                    if x0 <= x <= x1 and y0 <= y <= y1:
                        if length2 == 0:  # segment_distance, inline
                            u = 0.0
                        else:
                            u = ((x - ax) * dx + (y - ay) * dy) / length2
                            u = 0.0 if u <= 0.0 else (1.0 if u >= 1.0 else u)
                        d = hypot(x - ax - u * dx, y - ay - u * dy)
                        if d < nearest.get(m, inf):
                            nearest[m] = d
                for m, d in nearest.items():  # sample k, d px from edge m, counted in m's runs
                    run = best.get(m)
                    if run is None:
                        run = best[m] = [k, 0, 0, 0, 0]
                    elif run[0] != k - 1:
                        run[1] = run[3] = 0
                    run[0] = k
                    if NEAR <= d <= FAR:
                        run[1] += 1
                        if run[1] > run[2]:
                            run[2] = run[1]
                    else:
                        run[1] = 0
                    if d < NEAR:
                        run[3] += 1
                        if run[3] > run[4]:
                            run[4] = run[3]
                    else:
                        run[3] = 0
        rails = {m for m, run in best.items() if (run[2] - 1) * STEP >= RUN}
        touch = {m for m, run in best.items() if (run[4] - 1) * STEP >= RUN and not self.ends(n) & self.ends(m)}
        return rails, touch

    def crossings(self, n: int, line: Line) -> tuple[int, int]:
        """How often ``line`` (for edge ``n``) crosses other edges, and how often those with an end in common."""
        key = (n, id(line))
        cells = self._crossing_cells.get(key)
        if cells is None or cells[0] is not line:
            read = {cell for a, b in itertools.pairwise(line) for cell in cells_of(a, b, 0.0)}
            cells = self._crossing_cells[key] = (line, sorted(read))
        changes = self.changes
        counts = [changes.get(cell, 0) for cell in cells[1]]
        kept = self._crossings.get(key)
        if kept is None or kept[0] is not line or kept[1] != counts:
            kept = self._crossings[key] = (line, counts, self._find_crossings(n, line))
        return kept[2]

    def _find_crossings(self, n: int, line: Line) -> tuple[int, int]:
        seen: set[tuple[int, Filed]] = set()
        count = arms = 0
        for i, (a, b) in enumerate(itertools.pairwise(line)):
            lx0, lx1 = min(a.x, b.x), max(a.x, b.x)
            ly0, ly1 = min(a.y, b.y), max(a.y, b.y)
            for cell in cells_of(a, b, 0.0):
                for item in self.cells.get(cell, ()):  # (one that does not cross is passed by however often met)
                    if item[0] == n or item[3] > lx1 or item[5] < lx0 or item[4] > ly1 or item[6] < ly0:
                        continue  # (a segment lies FAR px inside its grown box: off it, it crosses nothing)
                    if not segments_cross(a, b, item[1], item[2]) or (i, item) in seen:
                        continue
                    seen.add((i, item))
                    count += 1
                    arms += bool(self.ends(n) & self.ends(item[0]))
        return count, arms

    def hits(self, n: int, line: Line) -> int:
        """How many blocks ``line`` (for edge ``n``) enters (kept while it is ``n``'s line)."""
        if line is not self.lines[n]:
            return len(self.solid.hit(line, frozenset(self.ends(n))))
        return self._measured(n, line)[0]

    def _measured(self, n: int, line: Line) -> tuple[int, float]:
        """How many blocks edge ``n``'s line (``line``) enters and its turning, kept while it is its line."""
        kept = self._measures.get(n)
        if kept is None or kept[0] is not line:
            kept = self._measures[n] = (line, (len(self.solid.hit(line, frozenset(self.ends(n)))), turning(line)))
        return kept[1]

    def offer(self, plans: dict[int, Line], slack: float = 0.0) -> bool:
        """Take the ``plans`` (edge → its new line) together if those edges then run as rails beside fewer
        edges, and each runs on no more, crosses no more, enters no more blocks, and turns hardly more (TURN, or
        ``slack``) or still well under the diagram's p90 turning (LOW of it), so that measure does not grow."""
        olds = {n: self.lines[n] for n in plans}
        if not all(self.fits(n, line, slack) for n, line in plans.items()):
            return False
        before = {n: (self.runs(n, olds[n]), self.crossings(n, olds[n])) for n in sorted(plans)}
        if len(plans) == 1:  # one edge's measures never read its own segments: measured as the others stand
            if self._better(plans, before):
                self._take(plans)
                return True
            return False
        changes = dict(self.changes)
        self._take(plans)
        if self._better(plans, before):
            return True
        self._take(olds)
        self.changes = changes  # the same segments again (filed in another order, which no measure depends on)
        return False

    def _better(self, plans: dict[int, Line], before: dict[int, Measures]) -> bool:
        """Whether the ``plans`` (measured with the other plans' lines filed) leave their edges beside fewer
        edges as rails, each on no edge it was not on and crossing no more than ``before``; if so, they count
        as changed. (Fewer rails first: most plans fail there, before their crossings are counted.)"""
        runs = {n: self.runs(n, plans[n]) for n in sorted(plans)}
        if sum(len(runs[n][0]) for n in plans) >= sum(len(before[n][0][0]) for n in plans):
            return False
        if not all(runs[n][1] <= before[n][0][1] for n in plans):  # on none it did not run on
            return False
        for n in sorted(plans):
            if any(x > y for x, y in zip(self.crossings(n, plans[n]), before[n][1], strict=True)):
                return False
        self.changed |= set(plans)
        self.taken += 1
        return True

    def fits(self, n: int, line: Line, slack: float = 0.0) -> bool:
        """Whether ``line`` keeps edge ``n``'s ends, enters no more blocks and turns hardly more (TURN, or
        ``slack`` quarter turns more; kept while both lines stand)."""
        old = self.lines[n]
        kept = self._fits.get((n, id(old), id(line), slack))
        if kept is None or kept[0] is not old or kept[1] is not line:
            kept = self._fits[(n, id(old), id(line), slack)] = (old, line, self._fitting(n, old, line, slack))
        return kept[2]

    def _fitting(self, n: int, old: Line, line: Line, slack: float) -> bool:
        if len(line) < 2 or not same_ends(old, line):  # (the cheap tests first: all must hold)
            return False
        if turning(line) > max(self._measured(n, old)[1] + max(TURN, slack), self.turn_low):
            return False
        if self.hits(n, line) > self.hits(n, old):
            return False
        return n not in self.labels or same_by(old, line, self.labels[n].inflate(LABEL))

    def _take(self, lines: dict[int, Line]) -> None:
        for n in sorted(lines):
            self._unfile(n, self.lines[n])
            self.lines[n] = lines[n]
            self._file(n, lines[n])


def same_by(old: Line, new: Line, box: Box) -> bool:
    """Whether ``new`` runs as ``old`` wherever either comes within ``box`` (an edge's label stays on it)."""
    x0, y0, x1, y1 = box.x, box.y, box.right, box.bottom
    near = [(x, y) for x, y in sample_xy(old, STEP) + sample_xy(new, STEP) if x0 < x < x1 and y0 < y < y1]
    if not near:
        return True
    on_old, on_new = Nearby(old, 0.5, (x0, y0, x1, y1)), Nearby(new, 0.5, (x0, y0, x1, y1))
    return all(on_old.distance_xy(x, y) < 0.5 and on_new.distance_xy(x, y) < 0.5 for x, y in near)


def same_ends(old: Line, new: Line) -> bool:
    """Whether ``new`` runs as ``old`` for KEEP px from either end (its ports and heads stay as drawn)."""
    for a, b in ((old, new), (old[::-1], new[::-1])):
        ca, cb = cumulative(a), cumulative(b)
        if any(math.dist(at(a, ca, t), at(b, cb, t)) > 0.5 for t in (0.0, KEEP / 4, KEEP / 2, KEEP * 3 / 4, KEEP)):
            return False
    return True


def apart(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """How far apart two boxes (x0, y0, x1, y1) lie along x or y, whichever is farther (<= 0: they overlap)."""
    return max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])


def stretch(
    line: Sampled, near: Nearby, reach: float, lo: float = 0.0, box: tuple[float, float, float, float] | None = None
) -> tuple[float, float] | None:
    """The longest stretch of a line (``line``: its samples and length; the stretch as lengths along it,
    KEEP from either end) that stays between ``lo`` and ``reach`` px of another line (``near``, filed for
    that reach at least; ``box``: its points' box, if known), if RUN px or longer."""
    points, total, _ = line
    best: tuple[float, float] | None = None
    start: float | None = None
    within = near.within
    far = reach + 1.0  # past the other line's box by this much, a sample is farther than reach from it
    x0, y0, x1, y1 = (
        (box[0] - far, box[1] - far, box[2] + far, box[3] + far) if box else (-math.inf, -math.inf, math.inf, math.inf)
    )
    last = total - KEEP
    for k, (x, y) in enumerate(points):
        t = k * STEP
        if t < KEEP:
            continue
        if t > last:
            break
        if start is None and last - t < (RUN if best is None else max(best[1] - best[0], RUN)):
            break  # a stretch begun here could be neither RUN px long nor longer than the best
        if x0 < x < x1 and y0 < y < y1 and within(x, y, lo, reach):
            start = t if start is None else start
            if best is None or t - start > best[1] - best[0]:
                best = (start, t)
        else:
            start = None
    return best if best is not None and best[1] - best[0] >= RUN else None
