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
turns no more (TURN; an arm taken onto a trunk TRUNK_TURN, for easing on and
off it) unless it stays well under the diagram's p90 turning (LOW of it), and
keeps its way near its label, if it has one.

Pre: every drawn edge routed. Post: the same edges, some redrawn between
their own ends; ports, heads and labels unchanged.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

from svgarch.geometry import Box, Point, cubic_point
from svgarch.layout import paths, rails
from svgarch.layout.direct import Obstacles
from svgarch.layout.polylines import (
    Line,
    angle,
    at,
    cumulative,
    distance_to,
    foot,
    meets,
    nearest,
    part,
    project,
    rounded_at,
    simple,
)
from svgarch.layout.rails import FAR, KEEP, NEAR, RUN, STEP
from svgarch.layout.rails import TURN as TURN  # what a change may add to an edge's turning (the tests read it here)
from svgarch.layout.types import DrawnEdge, RoutedEdge
from svgarch.scene import Cubic, ScenePath
from svgarch.scene import Line as SceneLine

JOIN = 12.0  # px from the leader within which an arm's stretch joins the trunk
REACH = 120.0  # px an arm heading for its trunk may go on straight to meet it
BLEND = 24.0, 64.0  # px along the way (at least, at most) over which an arm eases onto a trunk: 6 × how far
SLANT = 12.0, 32.0  # px along the way (at least, at most) over which an edge moves across: 4 × how far
PUSH = 9.0  # px between two edges pushed apart
TRUNK_TURN = 1.0  # quarter turns an arm may gain joining its fan's trunk: easing on and off a curved one bends it


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
    work = rails.Work(drawn, lines, solid, labels)
    fans: dict[tuple[str, int], list[int]] = {}
    for n in lines:
        fans.setdefault((drawn[n].source, 0), []).append(n)
        fans.setdefault((drawn[n].target, 1), []).append(n)
    moves: dict[tuple[int, int], Moves] = {}  # the ways one edge may move off another, by pair
    nears: Nears = {}  # how far a fan's arms run close to each other, by pair
    joins: Joins = {}  # a fan's arm on its leader's line, by pair
    for _ in range(2):  # twice if a push was made: it can leave a fan's arms free to share a trunk
        railed = {n: beside for n in sorted(work.lines) if (beside := work.runs(n, work.lines[n])[0])}
        for key in sorted(fans):
            if len(fans[key]) > 1 and any(n in railed for n in fans[key]):
                _trunks(work, fans[key], key[1], movable, nears, joins)
        taken = work.taken
        _push_apart(work, movable, sorted(railed), moves)
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


# by pair of arms and role: the two lines, and how far the one runs close to the other (None: nowhere); or
# the first on the other's line as it runs (``_on_trunk``; None: it cannot join it)
Nears = dict[tuple[int, int, int], tuple[Line, Line, tuple[float, float] | None]]
Joins = dict[tuple[int, int, int], tuple[Line, Line, Line | None]]


def _trunks(
    work: rails.Work, arms: list[int], role: int, movable: set[int], nears: Nears, joins: Joins
) -> None:
    """The arms of one fan (``role`` 0: they share their source; 1: their target) that run close to its
    leader take the leader's line where they run close: all of them together if that leaves fewer rails,
    else each that does on its own. ``nears`` and ``joins`` keep what each pair gave while both lines stand."""

    def oriented(n: int) -> Line:  # from the shared end outward
        return work.lines[n] if role == 0 else work.lines[n][::-1]

    sampled: dict[int, rails.Sampled] = {}

    def samples(a: int) -> rails.Sampled:
        if a not in sampled:
            sampled[a] = work.samples(a, work.lines[a]) if role == 0 else rails.sampled(oriented(a))
        return sampled[a]

    close: dict[tuple[int, int], tuple[float, float]] = {}
    for a, b in itertools.permutations(arms, 2):
        kept = nears.get((a, b, role))
        if kept is None or kept[0] is not work.lines[a] or kept[1] is not work.lines[b]:
            stretch = None
            # (their boxes farther apart than JOIN: no stretch of one runs that close to the other)
            if rails.apart(samples(a)[2], samples(b)[2]) <= JOIN + 1.0:
                stretch = rails.stretch(samples(a), work.nearby(b, JOIN), JOIN, box=samples(b)[2])
            kept = nears[(a, b, role)] = (work.lines[a], work.lines[b], stretch)
        if kept[2] is not None:
            close[(a, b)] = kept[2]
    if not close:
        return
    # the leader: the arm others run closest to, longest; ties to the first drawn
    leader = max(arms, key=lambda b: (sum(t1 - t0 for (_, m), (t0, t1) in close.items() if m == b), -b))
    plans: dict[int, Line] = {}
    for a in sorted(arms):
        if a == leader or a not in movable or a in work.leaders or (a, leader) not in close:
            continue
        joined = joins.get((a, leader, role))
        if joined is None or joined[0] is not work.lines[a] or joined[1] is not work.lines[leader]:
            line = _on_trunk(oriented(a), oriented(leader), close[(a, leader)])
            line = line if role == 0 or line is None else line[::-1]
            joined = joins[(a, leader, role)] = (work.lines[a], work.lines[leader], line)
        if joined[2] is not None and work.fits(a, joined[2], TRUNK_TURN):
            plans[a] = joined[2]
    if len(plans) > 1 and work.offer(plans, TRUNK_TURN):
        taken = sorted(plans)
    else:
        taken = [n for n in sorted(plans) if work.offer({n: plans[n]}, TRUNK_TURN)]
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
    if s1 - s0 < RUN / 2 or _side(lead, before[-1]) * _side(lead, after[-1]) < 0:
        return None  # (or it joins HAIR px off one side and leaves off the other: it crosses the leader)
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
    # that turns one way no turning added; its points nearer it than HAIR left out (but the last, HAIR off
    # it): two arms eased off one trunk touch it, and so each other, only there, not where rounding crosses them
    reach = min(max(BLEND[0], 6 * distance_to(lead, at(arm, cum, t))), BLEND[1])
    steps = math.ceil(reach / STEP)
    eased = []
    for k in range(1, steps + 1):
        u = k / steps
        p = at(arm, cum, t + u * reach)
        on, w = nearest(lead, p), u * u * (3 - 2 * u)
        if k == steps or (p - on).length() * (1 - w) >= HAIR:
            eased.append(p + (on - p).scale(w))
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


def _push_apart(work: rails.Work, movable: set[int], railed: list[int], moves: dict[tuple[int, int], Moves]) -> None:
    """Each pair of edges still running as rails: one moved PUSH px off the other along the stretch they
    share (the later drawn first), where that leaves it beside fewer edges. ``railed``: the edges that
    ran as rails when the round began; ``moves``: each pair's ways, kept while both lines stand."""
    for n in railed:
        beside, _ = work.runs(n, work.lines[n])
        for m in sorted(beside):
            if m not in beside:
                continue  # an earlier push settled it
            for mover, other in ((max(n, m), min(n, m)), (min(n, m), max(n, m))):
                if mover not in movable or mover in work.trunk:
                    continue
                if any(work.offer({mover: line}) for line in _moves(work, mover, other, moves)):
                    beside, _ = work.runs(n, work.lines[n])  # a push may settle later pairs too
                    break


# the ways offered to move an edge off another (in order), with the two lines they were made from
Moves = tuple[Line, Line, list[Line]]


def _moves(work: rails.Work, n: int, m: int, kept: dict[tuple[int, int], Moves]) -> list[Line]:
    """The ways edge ``n`` may move off edge ``m`` along the stretch it runs beside it, in the order they are
    offered: shifted (``_shift``), eased off and back, by slants (``_push``); kept while both lines stand."""
    line, other = work.lines[n], work.lines[m]
    found = kept.get((n, m))
    if found is not None and found[0] is line and found[1] is other:
        return found[2]
    near, box = work.nearby(m, FAR + 0.5), work.samples(m, other)[2]
    stretch = rails.stretch(work.samples(n, line), near, FAR + 0.5, lo=NEAR / 2, box=box)
    ways = [] if stretch is None else [w for w in (_shift(line, other, stretch), *_push(line, other, stretch)) if w]
    kept[(n, m)] = (line, other, ways)
    return ways


def _shift(line: Line, other: Line, stretch: tuple[float, float]) -> Line | None:
    """``line`` moved off ``other`` by shifting its straight piece that runs longest beside it square to
    itself, to PUSH px from ``other``, the pieces either side lengthened or shortened along their own lines
    to meet it: its corners move, none is added, and it turns as much as before (None: no such piece)."""
    cum = cumulative(line)
    t0, t1 = stretch
    i = max(range(1, len(line) - 2), key=lambda k: min(cum[k + 1], t1) - max(cum[k], t0), default=0)
    if i == 0 or min(cum[i + 1], t1) - max(cum[i], t0) < RUN / 2:
        return None
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
        return None
    start, end = meets(line[j - 1], line[j], moved, a + shift), meets(line[k + 1], line[k], moved, b + shift)
    if start is None or end is None or max(math.dist(start, line[j]), math.dist(end, line[k])) > 6 * PUSH:
        return None
    shifted = [*line[:j], start, end, *line[k + 1 :]]
    for corner in (j + 1, j):
        shifted = rounded_at(shifted, corner)  # the moved corners rounded (the later first)
    return simple(shifted)


def _push(line: Line, other: Line, stretch: tuple[float, float]) -> list[Line]:
    """``line`` moved off ``other`` where it runs beside it: that stretch shifted as a whole, square to
    ``other`` at its middle, to PUSH px from it, eased off and back (if there is room), then joined to the
    rest by slants."""
    cum = cumulative(line)
    t0, t1 = stretch
    middle = at(line, cum, (t0 + t1) / 2)
    away = middle - nearest(other, middle)
    if away.length() < 1e-6:
        return []
    shift = away.unit().scale(PUSH - away.length())
    ways = []
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
        ways.append(simple(eased))
    out = [p + shift for p in part(line, cum, t0, t1)]
    start, end = max(t0 - _slant(shift.length()), 0.0), min(t1 + _slant(shift.length()), cum[-1])
    before = part(line, cum, 0.0, start)
    moved = before + out + part(line, cum, end, cum[-1])
    for k in (len(before) + len(out), len(before) + len(out) - 1, len(before), len(before) - 1):
        moved = rounded_at(moved, k)  # the slants' corners rounded (from the last, so indices hold)
    return [*ways, simple(moved)]


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
