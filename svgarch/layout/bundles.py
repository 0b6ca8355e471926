"""Traceable bundles: arms of one fan that run as rails share one line, other rails move apart.

Two edges 1.5–7 px apart for 40 px or more (rails) read as one cable, and no
line in it can be traced. Where the two are arms of one fan (edges with one
source, or one target), the arms that run close to the fan's leader (the arm
the others run closest to) take the leader's line for the stretch they share
(a trunk), all together where that leaves fewer rails, else each on its own.
An arm heading for the trunk goes on straight to meet it (its own bend moved
there), else it eases on; it leaves likewise. Each keeps its first and last
KEEP px, so its ports and arrow heads stay where they were. Rails that are not
arms of one fan (or arms no trunk took) are pushed PUSH px apart: the straight
piece shifted with its corners, else eased off and back, else by slants.

A change is kept only when the edges moved then run as rails beside fewer
edges, and each runs on no more edges, crosses no more, enters no more blocks,
turns no more (TURN) unless it stays well under the diagram's p90 turning
(LOW of it), and keeps its way near its label, if it has one.

Pre: every drawn edge routed. Post: the same edges, some redrawn between
their own ends; ports, heads and labels unchanged.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

from svgarch.geometry import Box, Point, cubic_point, segments_cross
from svgarch.layout import paths
from svgarch.layout.direct import Obstacles
from svgarch.layout.polylines import (
    CELL,
    Line,
    Nearby,
    angle,
    at,
    cells_of,
    cumulative,
    distance_to,
    foot,
    grown,
    meets,
    nearest,
    part,
    project,
    rounded_at,
    sample_xy,
    simple,
    turning,
)
from svgarch.layout.types import DrawnEdge, RoutedEdge
from svgarch.scene import Cubic, ScenePath
from svgarch.scene import Line as SceneLine

NEAR, FAR = 1.5, 7.0  # px: two edges this far apart run as rails (nearer: on one line)
RUN = 40.0  # px two edges must run that close to count
STEP = 2.0  # px between the samples taken along an edge
LABEL = 12.0  # px round a label's box within which its edge keeps its way
KEEP = 16.0  # px at each end an edge keeps as it was (its port, its head, the split of its fan)
JOIN = 12.0  # px from the leader within which an arm's stretch joins the trunk
REACH = 120.0  # px an arm heading for its trunk may go on straight to meet it
BLEND = 24.0, 64.0  # px along the way (at least, at most) over which an arm eases onto a trunk: 6 × how far
SLANT = 12.0, 32.0  # px along the way (at least, at most) over which an edge moves across: 4 × how far
PUSH = 9.0  # px between two edges pushed apart
TURN = 0.02  # quarter turns an edge may gain by a change anyway (rounding)
LOW = 0.8  # an edge may gain more while it turns at most this share of the diagram's p90 turning


def bundle(
    drawn: Sequence[DrawnEdge],
    routed: dict[int, RoutedEdge],
    solid: Obstacles,
    labels: Mapping[int, Box] | None = None,
) -> None:
    """Redraw the edges of ``routed`` whose rails a trunk or a push removes; an edge carrying a label the
    layout reserved on it (``labels``: its box) may change only away from that box."""
    labels = labels or {}
    lines = {n: simple(_whole(r)) for n, r in sorted(routed.items()) if r.drawn.source != r.drawn.target}
    movable = {n for n in lines if drawn[n].edge.route == "auto" and not drawn[n].edge.bend}
    work = _Work(drawn, lines, solid, labels)
    fans: dict[tuple[str, int], list[int]] = {}
    for n in lines:
        fans.setdefault((drawn[n].source, 0), []).append(n)
        fans.setdefault((drawn[n].target, 1), []).append(n)
    for _ in range(2):  # twice if a push was made: it can leave a fan's arms free to share a trunk
        railed = {n: rails for n in sorted(work.lines) if (rails := work.runs(n, work.lines[n])[0])}
        for key in sorted(fans):
            if len(fans[key]) > 1 and any(n in railed for n in fans[key]):
                _trunks(work, fans[key], key[1], movable)
        taken = work.taken
        _push_apart(work, movable, sorted(railed))
        if work.taken == taken:
            break
    for n in sorted(work.changed | work.trunk):
        routed[n] = _redrawn(routed[n], work.lines[n])


def _whole(r: RoutedEdge) -> Line:
    """The edge's line from end to end (under its heads too), its curves finely flattened."""
    line = [r.path.start]
    for seg in r.path.segments:
        if isinstance(seg, Cubic):  # about every 4 px: finer points would carry the SVG's rounding as wobble
            p0, reach = line[-1], math.dist(line[-1], seg.c1) + math.dist(seg.c1, seg.c2) + math.dist(seg.c2, seg.end)
            steps = min(max(math.ceil(reach / 4), 4), 128)
            line += [cubic_point(p0, seg.c1, seg.c2, seg.end, i / steps) for i in range(1, steps + 1)]
        else:
            line.append(seg.end)
    arrow = r.drawn.edge.arrow
    if arrow in ("end", "both"):
        line.append(r.points[-1])
    if arrow in ("start", "both"):
        line.insert(0, r.points[0])
    return line


# a line's samples every STEP px (x, y), its length and its box (x0, y0, x1, y1)
Sampled = tuple[list[tuple[float, float]], float, tuple[float, float, float, float]]


def _sampled(line: Line) -> Sampled:
    xs, ys = [p.x for p in line], [p.y for p in line]
    return sample_xy(line, STEP), cumulative(line)[-1], (min(xs), min(ys), max(xs), max(ys))


# a segment of edge n filed by cell: n, its ends, its box grown by FAR (x0, y0, x1, y1), its start, run and
# squared length (x, y, dx, dy, dx² + dy²)
_Filed = tuple[int, Point, Point, float, float, float, float, float, float, float, float, float]


def _filed(n: int, a: Point, b: Point) -> _Filed:
    dx, dy = b.x - a.x, b.y - a.y
    return (n, a, b, *grown(a, b, FAR), a.x, a.y, dx, dy, dx * dx + dy * dy)


def _count(best: dict[int, list[int]], m: int, k: int, d: float) -> None:
    """Sample ``k`` of a line, ``d`` px from edge ``m``, counted in ``m``'s runs (see ``_Work.runs``)."""
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


class _Work:
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
        self.cells: dict[tuple[int, int], list[_Filed]] = {}
        self._samples: dict[int, tuple[Line, Sampled]] = {}  # each edge's line, its samples and its length
        self._nearby: dict[tuple[int, float], tuple[Line, Nearby]] = {}  # each edge's line and its Nearby by reach
        self._by_cell: dict[int, tuple[Line, list[tuple[tuple[int, int], int, int, float, float, float, float]]]] = {}
        # the lines as they stand, by number: a change taken gets a new one, a change undone its old one back
        self.state = self._states = 0
        self._runs: dict[int, tuple[int, tuple[set[int], set[int]]]] = {}  # runs and crossings, by edge
        self._crossings: dict[int, tuple[int, tuple[int, int]]] = {}  # with the state they were found in
        for n, line in lines.items():
            self._file(n, line)
        turns = sorted(turning(line) for line in lines.values())  # p90 by nearest rank, as the measure takes it
        self.turn_low = LOW * turns[max(math.ceil(0.9 * len(turns)) - 1, 0)] if turns else 0.0

    def _file(self, n: int, line: Line) -> None:
        for a, b in itertools.pairwise(line):
            item = _filed(n, a, b)
            for cell in cells_of(a, b, FAR):
                self.cells.setdefault(cell, []).append(item)

    def _unfile(self, n: int, line: Line) -> None:
        for a, b in itertools.pairwise(line):
            item = _filed(n, a, b)
            for cell in cells_of(a, b, FAR):
                self.cells[cell].remove(item)

    def samples(self, n: int, line: Line) -> Sampled:
        """``line``'s samples every STEP px and its length, kept while it is edge ``n``'s line."""
        kept = self._samples.get(n)
        if kept is None or kept[0] is not line:
            kept = self._samples[n] = (line, _sampled(line))
        return kept[1]

    def by_cell(self, n: int, line: Line) -> list[tuple[tuple[int, int], int, int, float, float, float, float]]:
        """``line``'s samples (edge ``n``'s) in runs within one grid cell: the cell, the first sample and the one
        after the last, and the box of the run (x0, y0, x1, y1); kept while it is edge ``n``'s line."""
        kept = self._by_cell.get(n)
        if kept is not None and kept[0] is line:
            return kept[1]
        out = []
        points, floor = self.samples(n, line)[0], math.floor
        k = 0
        while k < len(points):
            x0, y0 = x1, y1 = points[k]
            cell = (floor(x0 / CELL), floor(y0 / CELL))
            j = k + 1
            while j < len(points):
                x, y = points[j]
                if (floor(x / CELL), floor(y / CELL)) != cell:
                    break
                if x < x0:
                    x0 = x
                elif x > x1:
                    x1 = x
                if y < y0:
                    y0 = y
                elif y > y1:
                    y1 = y
                j += 1
            out.append((cell, k, j, x0, y0, x1, y1))
            k = j
        self._by_cell[n] = (line, out)
        return out

    def nearby(self, n: int, reach: float) -> Nearby:
        """Edge ``n``'s line filed for ``reach``, kept while it is its line."""
        line = self.lines[n]
        kept = self._nearby.get((n, reach))
        if kept is None or kept[0] is not line:
            kept = self._nearby[(n, reach)] = (line, Nearby(line, reach))
        return kept[1]

    def ends(self, n: int) -> set[str]:
        return {self.drawn[n].source, self.drawn[n].target}

    def runs(self, n: int, line: Line) -> tuple[set[int], set[int]]:
        """The edges ``line`` (for edge ``n``) runs beside as rails, and those with no end in common it runs on."""
        if line is not self.lines[n]:
            return self._find_runs(n, line)
        kept = self._runs.get(n)
        if kept is None or kept[0] != self.state:
            kept = self._runs[n] = (self.state, self._find_runs(n, line))
        return kept[1]

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
                for m, d in nearest.items():
                    _count(best, m, k, d)
        rails = {m for m, run in best.items() if (run[2] - 1) * STEP >= RUN}
        touch = {m for m, run in best.items() if (run[4] - 1) * STEP >= RUN and not self.ends(n) & self.ends(m)}
        return rails, touch

    def crossings(self, n: int, line: Line) -> tuple[int, int]:
        """How often ``line`` (for edge ``n``) crosses other edges, and how often those with an end in common."""
        if line is not self.lines[n]:
            return self._find_crossings(n, line)
        kept = self._crossings.get(n)
        if kept is None or kept[0] != self.state:
            kept = self._crossings[n] = (self.state, self._find_crossings(n, line))
        return kept[1]

    def _find_crossings(self, n: int, line: Line) -> tuple[int, int]:
        seen: set[tuple[int, _Filed]] = set()
        count = arms = 0
        for i, (a, b) in enumerate(itertools.pairwise(line)):
            for cell in cells_of(a, b, 0.0):
                for item in self.cells.get(cell, ()):
                    if item[0] == n or (i, item) in seen:
                        continue
                    seen.add((i, item))
                    if segments_cross(a, b, item[1], item[2]):
                        count += 1
                        arms += bool(self.ends(n) & self.ends(item[0]))
        return count, arms

    def hits(self, n: int, line: Line) -> int:
        return len(self.solid.hit(line, frozenset(self.ends(n))))

    def offer(self, plans: dict[int, Line]) -> bool:
        """Take the ``plans`` (edge → its new line) together if those edges then run as rails beside fewer
        edges, and each runs on no more, crosses no more, enters no more blocks, and turns hardly more (TURN) or
        still well under the diagram's p90 turning (LOW of it), so that measure does not grow."""
        olds = {n: self.lines[n] for n in plans}
        if not all(self.fits(n, line) for n, line in plans.items()):
            return False
        before = {n: (self.runs(n, olds[n]), self.crossings(n, olds[n])) for n in sorted(plans)}
        state = self.state
        self._take(plans)
        after = {n: (self.runs(n, plans[n]), self.crossings(n, plans[n])) for n in sorted(plans)}
        fewer = sum(len(after[n][0][0]) for n in plans) < sum(len(before[n][0][0]) for n in plans)
        no_worse = all(
            after[n][0][1] <= before[n][0][1] and all(x <= y for x, y in zip(after[n][1], before[n][1], strict=True))
            for n in plans
        )
        if fewer and no_worse:
            self.changed |= set(plans)
            self.taken += 1
            return True
        self._take(olds)
        self.state = state  # the same lines again (filed in another order, which no measure here depends on)
        return False

    def fits(self, n: int, line: Line) -> bool:
        """Whether ``line`` keeps edge ``n``'s ends, enters no more blocks and turns hardly more."""
        old = self.lines[n]
        if len(line) < 2 or not _same_ends(old, line) or self.hits(n, line) > self.hits(n, old):
            return False
        if n in self.labels and not _same_by(old, line, self.labels[n].inflate(LABEL)):
            return False
        return turning(line) <= max(turning(old) + TURN, self.turn_low)

    def _take(self, lines: dict[int, Line]) -> None:
        self._states += 1
        self.state = self._states
        for n in sorted(lines):
            self._unfile(n, self.lines[n])
            self.lines[n] = lines[n]
            self._file(n, lines[n])


def _trunks(work: _Work, arms: list[int], role: int, movable: set[int]) -> None:
    """The arms of one fan (``role`` 0: they share their source; 1: their target) that run close to its
    leader take the leader's line where they run close: all of them together if that leaves fewer rails,
    else each that does on its own."""

    def oriented(n: int) -> Line:  # from the shared end outward
        return work.lines[n] if role == 0 else work.lines[n][::-1]

    close: dict[tuple[int, int], tuple[float, float]] = {}
    sampled = {a: work.samples(a, work.lines[a]) if role == 0 else _sampled(oriented(a)) for a in arms}
    for a, b in itertools.permutations(arms, 2):
        if _apart(sampled[a][2], sampled[b][2]) > JOIN + 1.0:
            continue  # their boxes lie farther apart than JOIN: no stretch of one runs that close to the other
        stretch = _stretch(sampled[a], work.nearby(b, JOIN), JOIN, box=sampled[b][2])
        if stretch is not None:
            close[(a, b)] = stretch
    if not close:
        return
    # the leader: the arm others run closest to, longest; ties to the first drawn
    leader = max(arms, key=lambda b: (sum(t1 - t0 for (_, m), (t0, t1) in close.items() if m == b), -b))
    plans: dict[int, Line] = {}
    for a in sorted(arms):
        if a == leader or a not in movable or a in work.leaders or (a, leader) not in close:
            continue
        line = _on_trunk(oriented(a), oriented(leader), close[(a, leader)])
        if line is not None and work.fits(a, line if role == 0 else line[::-1]):
            plans[a] = line if role == 0 else line[::-1]
    if len(plans) > 1 and work.offer(plans):
        taken = sorted(plans)
    else:
        taken = [n for n in sorted(plans) if work.offer({n: plans[n]})]
    if taken:
        work.trunk |= {leader, *taken}
        work.leaders.add(leader)


def _on_trunk(arm: Line, lead: Line, stretch: tuple[float, float]) -> Line | None:
    """``arm`` (from the fan's shared end outward) on ``lead``'s line along ``stretch``: joining it where
    the arm's own corner can be moved onto it (no new bends), else eased onto it; leaving it likewise."""
    cum, lead_cum = cumulative(arm), cumulative(lead)
    t0, t1 = stretch
    if _side(lead, at(arm, cum, t0)) * _side(lead, at(arm, cum, t1)) < 0:
        return None  # it joins on one side and leaves on the other: it would cross the leader in the trunk
    before, s0, corner0 = _join(arm, cum, t0, lead, lead_cum)
    after, s1, corner1 = _join(arm[::-1], _reversed(cum), cum[-1] - t1, lead[::-1], _reversed(lead_cum))
    s1 = min(lead_cum[-1] - s1, lead_cum[-1] - KEEP)
    if s1 - s0 < RUN / 2:
        return None
    shared = part(lead, lead_cum, s0, s1)[1:-1]
    line = before + shared + after[::-1]
    joined, left = len(before) - 1, len(before) + len(shared)
    for k in ([left] if corner1 else []) + ([joined] if corner0 else []):
        line = rounded_at(line, k)  # a moved corner rounded (the last first, so indices hold)
    return line


def _reversed(cum: list[float]) -> list[float]:
    """The lengths along a line, taken from its other end."""
    return [cum[-1] - c for c in cum[::-1]]


def _join(arm: Line, cum: list[float], t: float, lead: Line, lead_cum: list[float]) -> tuple[Line, float, bool]:
    """How ``arm`` reaches ``lead`` near ``t`` px along it: the arm up to and with its point on the lead,
    how far along the lead that point lies, and whether that point is a corner (to round).

    Where the arm near ``t`` heads for the lead, it goes on straight till it meets it (REACH px at most):
    its own corner (or bend) onto the lead moved there, no new bend."""
    for i in range(1, len(arm)):
        if cum[i] < t - JOIN:
            continue
        if cum[i - 1] > t + 3 * JOIN:
            break
        a, b = arm[i - 1], arm[i]
        if math.dist(a, b) < 2.0:
            continue
        nearest_seg = min(itertools.pairwise(lead), key=lambda cd: foot(b, cd[0], cd[1])[0])
        if angle(a, b, *nearest_seg) < 3.0:
            continue
        meet = meets(a, b, lead, b)
        if meet is not None and math.dist(meet, b) <= REACH and cumulative([*arm[:i], meet])[-1] >= KEEP:
            return [*arm[:i], _toward(meet, a)], project(lead, lead_cum, meet), True
    # else a blend: the arm eased onto the lead over BLEND px (a smoothstep), no corner, and on a bend
    # that turns one way no turning added
    reach = min(max(BLEND[0], 6 * distance_to(lead, at(arm, cum, t))), BLEND[1])
    steps = math.ceil(reach / STEP)
    eased = []
    for k in range(1, steps + 1):
        u = k / steps
        p = at(arm, cum, t + u * reach)
        eased.append(p + (nearest(lead, p) - p).scale(u * u * (3 - 2 * u)))
    on = eased[-1]
    eased[-1] = _toward(on, at(arm, cum, t + reach))
    return [*part(arm, cum, 0.0, t), *eased], project(lead, lead_cum, on), False


def _slant(across: float) -> float:
    """How far along an edge moving ``across`` px sideways takes (about 14°, within SLANT)."""
    return min(max(4 * across, SLANT[0]), SLANT[1])


HAIR = 0.3  # px off the trunk where an arm joins or leaves it, on its own side: it touches, never crosses


def _toward(p: Point, q: Point) -> Point:
    """``p`` moved HAIR px toward ``q``."""
    d = q - p
    return p if d.length() < HAIR else p + d.unit().scale(HAIR)


def _side(lead: Line, p: Point) -> int:
    """Which side of ``lead`` ``p`` lies on: 1 left, -1 right, 0 on it (within HAIR)."""
    best, sign = math.inf, 0
    for a, b in itertools.pairwise(lead):
        d, _ = foot(p, a, b)
        if d < best:
            cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
            best, sign = d, (0 if d < HAIR else (1 if cross > 0 else -1))
    return sign


def _same_by(old: Line, new: Line, box: Box) -> bool:
    """Whether ``new`` runs as ``old`` wherever either comes within ``box`` (an edge's label stays on it)."""
    x0, y0, x1, y1 = box.x, box.y, box.right, box.bottom
    near = [(x, y) for x, y in sample_xy(old, STEP) + sample_xy(new, STEP) if x0 < x < x1 and y0 < y < y1]
    if not near:
        return True
    on_old, on_new = Nearby(old, 0.5), Nearby(new, 0.5)
    return all(on_old.distance_xy(x, y) < 0.5 and on_new.distance_xy(x, y) < 0.5 for x, y in near)


def _same_ends(old: Line, new: Line) -> bool:
    """Whether ``new`` runs as ``old`` for KEEP px from either end (its ports and heads stay as drawn)."""
    for a, b in ((old, new), (old[::-1], new[::-1])):
        ca, cb = cumulative(a), cumulative(b)
        if any(math.dist(at(a, ca, t), at(b, cb, t)) > 0.5 for t in (0.0, KEEP / 4, KEEP / 2, KEEP * 3 / 4, KEEP)):
            return False
    return True


def _push_apart(work: _Work, movable: set[int], railed: list[int]) -> None:
    """Each pair of edges still running as rails: one moved PUSH px off the other along the stretch they
    share (the later drawn first), where that leaves it beside fewer edges. ``railed``: the edges that
    ran as rails when the round began."""
    for n in railed:
        rails, _ = work.runs(n, work.lines[n])
        for m in sorted(rails):
            if m not in rails:
                continue  # an earlier push settled it
            for mover, other in ((max(n, m), min(n, m)), (min(n, m), max(n, m))):
                if mover not in movable or mover in work.trunk:
                    continue
                sampled = work.samples(mover, work.lines[mover])
                near, box = work.nearby(other, FAR + 0.5), work.samples(other, work.lines[other])[2]
                stretch = _stretch(sampled, near, FAR + 0.5, lo=NEAR / 2, box=box)
                if stretch is not None and (_shift(work, mover, other, stretch) or _push(work, mover, other, stretch)):
                    rails, _ = work.runs(n, work.lines[n])  # a push may settle later pairs too
                    break


def _shift(work: _Work, n: int, m: int, stretch: tuple[float, float]) -> bool:
    """Edge ``n`` moved off edge ``m`` by shifting the straight piece of ``n`` that runs longest beside it
    square to itself, to PUSH px from ``m``, the pieces either side lengthened or shortened along their own
    lines to meet it: its corners move, none is added, and it turns as much as before."""
    line, other = work.lines[n], work.lines[m]
    cum = cumulative(line)
    t0, t1 = stretch
    i = max(range(1, len(line) - 2), key=lambda k: min(cum[k + 1], t1) - max(cum[k], t0), default=0)
    if i == 0 or min(cum[i + 1], t1) - max(cum[i], t0) < RUN / 2:
        return False
    a, b = line[i], line[i + 1]
    middle = Point((a.x + b.x) / 2, (a.y + b.y) / 2)
    away = middle - nearest(other, middle)
    along = (b - a).unit()
    normal = Point(-along.y, along.x)
    if normal.x * away.x + normal.y * away.y < 0:
        normal = normal.scale(-1.0)
    shift = normal.scale(PUSH - away.length())
    moved = [a + shift - along.scale(8 * PUSH), b + shift + along.scale(8 * PUSH)]
    j, k = i, i + 1  # the pieces either side that meet it at a corner, past any rounding's short chords
    while j > 0 and angle(line[j - 1], line[j], a, b) < 20.0:
        j -= 1
    while k < len(line) - 1 and angle(line[k], line[k + 1], a, b) < 20.0:
        k += 1
    if j == 0 or k == len(line) - 1:
        return False
    start, end = meets(line[j - 1], line[j], moved, a + shift), meets(line[k + 1], line[k], moved, b + shift)
    if start is None or end is None or max(math.dist(start, line[j]), math.dist(end, line[k])) > 6 * PUSH:
        return False
    shifted = [*line[:j], start, end, *line[k + 1 :]]
    for corner in (j + 1, j):
        shifted = rounded_at(shifted, corner)  # the moved corners rounded (the later first)
    return work.offer({n: simple(shifted)})


def _push(work: _Work, n: int, m: int, stretch: tuple[float, float]) -> bool:
    """Edge ``n`` moved off edge ``m`` where it runs beside it: that stretch shifted as a whole, square to
    ``m`` at its middle, to PUSH px from it, eased off and back (else joined to the rest by slants)."""
    line, other = work.lines[n], work.lines[m]
    cum = cumulative(line)
    t0, t1 = stretch
    middle = at(line, cum, (t0 + t1) / 2)
    away = middle - nearest(other, middle)
    if away.length() < 1e-6:
        return False
    shift = away.unit().scale(PUSH - away.length())
    reach = min(max(8 * shift.length(), BLEND[0]), 2 * BLEND[1], t0, cum[-1] - t1)
    if reach >= BLEND[0]:  # first eased off and back over a long way: on a bend that turns one way, no turning added
        steps = math.ceil(reach / STEP)
        ease = [u * u * (3 - 2 * u) for u in (k / steps for k in range(steps + 1))]
        eased = [
            *part(line, cum, 0.0, t0 - reach),
            *(at(line, cum, t0 - reach + reach * k / steps) + shift.scale(w) for k, w in enumerate(ease)),
            *(p + shift for p in part(line, cum, t0, t1)[1:-1]),
            *(at(line, cum, t1 + reach * k / steps) + shift.scale(1 - w) for k, w in enumerate(ease)),
            *part(line, cum, t1 + reach, cum[-1]),
        ]
        if work.offer({n: simple(eased)}):
            return True
    out = [p + shift for p in part(line, cum, t0, t1)]
    start, end = max(t0 - _slant(shift.length()), 0.0), min(t1 + _slant(shift.length()), cum[-1])
    before = part(line, cum, 0.0, start)
    moved = before + out + part(line, cum, end, cum[-1])
    for k in (len(before) + len(out), len(before) + len(out) - 1, len(before), len(before) - 1):
        moved = rounded_at(moved, k)  # the slants' corners rounded (from the last, so indices hold)
    return work.offer({n: simple(moved)})


def _apart(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """How far apart two boxes (x0, y0, x1, y1) lie along x or y, whichever is farther (<= 0: they overlap)."""
    return max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])


def _stretch(
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
    for k, (x, y) in enumerate(points):
        t = k * STEP
        if t < KEEP:
            continue
        if t > total - KEEP:
            break
        if x0 < x < x1 and y0 < y < y1 and within(x, y, lo, reach):
            start = t if start is None else start
            if best is None or t - start > best[1] - best[0]:
                best = (start, t)
        else:
            start = None
    return best if best is not None and best[1] - best[0] >= RUN else None


def _redrawn(r: RoutedEdge, line: Line) -> RoutedEdge:
    """The edge along ``line`` as it is (its corners rounded already), trimmed under its heads as it was."""
    path = ScenePath(line[0], tuple(SceneLine(p) for p in line[1:]))
    points = tuple(path.points(8))
    arrow = r.drawn.edge.arrow
    heads = list(r.heads)
    if arrow in ("end", "both") and heads:
        path = paths.trim_end(path, _head_length(heads.pop(0)) * 0.7)
    if arrow in ("start", "both") and heads:
        path = paths.reverse(paths.trim_end(paths.reverse(path), _head_length(heads.pop(0)) * 0.7))
    return r._replace(path=path, points=points)


def _head_length(head: Sequence[Point]) -> float:
    """A head polygon's length: from its tip to the middle of its base (see ``paths.head``)."""
    tip, left, _, right = head
    return math.dist(tip, Point((left.x + right.x) / 2, (left.y + right.y) / 2))
