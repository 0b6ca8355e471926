"""Fans of taut routes: which arm takes which port, and the arms that must go back to their gates.

Edges pulled taut (``direct``) no longer run through the slots automatic
layout ordered for them, so two arms of a fan (edges sharing an end) may
cross, and two unrelated edges may come to run on one line. Here the ports
of each side are given out again in the order the taut arms need, and any
taut edge that still crosses an arm of its fan, where its gates' way would
not, or runs on an unrelated edge, goes back to its gates. Gates' ways that
still run on an unrelated edge (S-curves of two fans through one gap meet in
its middle) are drawn square, each move between bands on a track of its own.
Arms found by the router that cross swap ports and are searched again (an arm
that ran straight takes its far port along, so it still runs straight). A
taut arm that still crosses an arm of its fan at an end comes in (goes out)
square there, under the others' turns, where that crosses fewer.

Pre: every drawn edge routed; ``guided`` the ones drawn taut. Post: no taut
arm crosses an arm of its fan farther than SHARED_END from their common end
unless its gates' way does too, and none runs on an edge with no end in
common for 40 px.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence

from svgarch.geometry import Box, Point, points_box, segments_cross
from svgarch.layout.polylines import kept_for
from svgarch.layout.types import DrawnEdge, RoutedEdge
from svgarch.scene import Line

SHARED_END = 12.0  # px round a shared end where two arms may meet
_FACING = {("bottom", "top"), ("top", "bottom"), ("right", "left"), ("left", "right")}
NEAR = 1.5  # px: two edges nearer than this run on one line
RUN = 40.0  # px two unrelated edges may not share
SLACK = 0.8  # S-curves set apart share less than this × RUN: their lines as drawn here (16 points to a
# curve) run a little shorter side by side than the quality ruler finds them
FAN_TRIES = 8  # arms on one side whose ports are given out again (more are left as spread)


def fan_ports(
    drawn: Sequence[DrawnEdge],
    ports: dict[tuple[int, int], Point],
    sides: dict[int, tuple[str, str]],
    guided: Sequence[int],
    line_of: Callable[[int, Point, Point], list[Point]],
) -> dict[tuple[int, int], Point]:
    """The ports of guided edges that share a side of a block given out again: two arms swap ports while
    that makes their taut lines (``line_of``) cross less. On a side with more than FAN_TRIES arms the
    arms first take the ports in the order of where their lines head, and only neighbours swap."""
    ends: dict[tuple[str, str, int], list[int]] = {}
    for n in guided:
        d = drawn[n]
        fs, ts = sides[n]
        ends.setdefault((d.source, fs, 0), []).append(n)
        ends.setdefault((d.target, ts, 1), []).append(n)
    out = dict(ports)
    cache: dict[tuple[int, Point, Point], list[Point]] = {}

    def line(n: int, place: Point, end: int) -> list[Point]:
        """Arm ``n``'s taut line with its port at ``end`` at ``place``."""
        start, stop = (place, out[(n, 1)]) if end == 0 else (out[(n, 0)], place)
        if (n, start, stop) not in cache:
            cache[(n, start, stop)] = line_of(n, start, stop)
        return cache[(n, start, stop)]

    pairs_crossed: dict[tuple[int, int], tuple[list[Point], list[Point], int]] = {}

    def crossings(u: list[Point], v: list[Point]) -> int:
        """``_crossings(u, v)``, kept for the two lines (each order tried meets most pairs again)."""
        kept = pairs_crossed.get((id(u), id(v)))
        if kept is None or kept[0] is not u or kept[1] is not v:
            kept = pairs_crossed[(id(u), id(v))] = (u, v, _crossings(u, v))
        return kept[2]

    def tangles(arms: list[int], places: list[Point], end: int, order: tuple[int, ...]) -> int:
        """Crossings between the arms' lines when arm ``i`` takes port ``places[order[i]]`` at its ``end``."""
        lines = [line(n, places[k], end) for n, k in zip(arms, order, strict=True)]
        return sum(crossings(u, v) for u, v in itertools.combinations(lines, 2))

    for (_, side, end), arms in sorted(ends.items(), key=lambda item: (item[0][2], item[0][:2])):
        if len(arms) < 2:
            continue
        places = [out[(n, end)] for n in arms]
        best = tuple(range(len(arms)))
        least = tangles(arms, places, end, best)
        big = len(arms) > FAN_TRIES
        slots = sorted(range(len(arms)), key=lambda k: (_along(places[k], side), k))
        # which may swap: any two arms, or on a big fan the arms on two neighbouring ports
        pairs = list(itertools.pairwise(slots) if big else itertools.combinations(range(len(arms)), 2))
        if big and least > 0:  # first the ports in the order of where the arms head
            heads = [_heading(line(n, places[k], end), end, side) for n, k in zip(arms, best, strict=True)]
            order = [0] * len(arms)
            for i, k in zip(sorted(range(len(arms)), key=lambda i: (heads[i], i)), slots, strict=True):
                order[i] = k
            count = tangles(arms, places, end, tuple(order))
            if count < least:
                best, least = tuple(order), count
        better = least > 0
        while better:  # swap two arms' ports while that untangles them
            better = False
            for a, b in pairs:
                order = list(best)
                i, j = (order.index(a), order.index(b)) if big else (a, b)
                order[i], order[j] = order[j], order[i]
                count = tangles(arms, places, end, tuple(order))
                if count < least:
                    best, least, better = tuple(order), count, count > 0
        for n, k in zip(arms, best, strict=True):
            out[(n, end)] = places[k]
    return out


def _along(p: Point, side: str) -> float:
    """Where a port lies along its side: x on the top and bottom, y on the left and right."""
    return p.x if side in ("top", "bottom") else p.y


def _heading(line: Sequence[Point], end: int, side: str) -> float:
    """Where an arm's line (its port at its ``end``, on ``side``) heads: the angle of its far end seen from
    the port, from the side's normal, signed along the side (as the ports are ordered)."""
    port, far = (line[0], line[-1]) if end == 0 else (line[-1], line[0])
    d = far - port
    normal = {"top": Point(0, -1), "bottom": Point(0, 1), "left": Point(-1, 0), "right": Point(1, 0)}[side]
    tangent = Point(1, 0) if side in ("top", "bottom") else Point(0, 1)
    return math.atan2(d.x * tangent.x + d.y * tangent.y, d.x * normal.x + d.y * normal.y)


def swap_crossing(
    drawn: Sequence[DrawnEdge],
    routed: dict[int, RoutedEdge],
    searched: Sequence[int],
    ports: dict[tuple[int, int], Point],
    sides: dict[int, tuple[str, str]],
    again: Callable[[tuple[int, int], dict[tuple[int, int], Point]], tuple[RoutedEdge, RoutedEdge]],
    boxes: dict[str, Box] | None = None,
) -> dict[tuple[int, int], Point]:
    """Two searched arms of a fan (sharing a side of a block) that cross away from it swap their ports
    there and are searched again (``again``, between the ports given), where that leaves them crossing
    less: the router takes the ports as given, and ports spread by where the other ends lie tie when
    those ends line up. An arm that ran straight between its ports keeps running straight where it
    can (``_follow``): its far port moves as far as its near one did, if it is alone on that side of
    its block (in ``boxes``) and stays on it, so the swap leaves no S-bend."""
    out = dict(ports)
    ends: dict[tuple[str, str, int], list[int]] = {}
    for n in searched:
        d = drawn[n]
        if d.source == d.target:
            continue
        ends.setdefault((d.source, sides[n][0], 0), []).append(n)
        ends.setdefault((d.target, sides[n][1], 1), []).append(n)

    by_block: dict[str, list[int]] = {}
    for k in sorted(routed):
        for block in {drawn[k].source, drawn[k].target}:
            by_block.setdefault(block, []).append(k)

    met: dict[tuple[int, int], tuple[Sequence[Point], Sequence[Point], int]] = {}  # by pair, while both stand

    def meetings(a: int, b: int) -> int:
        """``_meetings`` of edges ``a`` and ``b`` as routed now (kept for the pair's two lines)."""
        u, v = routed[a].points, routed[b].points
        kept = met.get((a, b))
        if kept is None or kept[0] is not u or kept[1] is not v:
            kept = met[(a, b)] = (u, v, _meetings(drawn[a], u, drawn[b], v))
        return kept[2]

    def knots(n: int) -> int:
        """Crossings of edge ``n`` with the edges it shares an end with, away from that end."""
        count = 0
        for block in {drawn[n].source, drawn[n].target}:
            for k in by_block[block]:
                if k != n:
                    count += meetings(min(n, k), max(n, k))
        return count

    failed: set[tuple[int, int, tuple[Point, ...], tuple[Point, ...]]] = set()

    def untwist(n: int, m: int, end: int) -> bool:
        """Arms ``n`` and ``m`` crossing searched again: their ports at ``end`` swapped, then their
        ports kept but ``m`` searched first (the one searched first takes the nearer channel, so the
        other order nests them the other way), until one untwists them. The way that leaves the pair
        crossing least is taken, if fewer than before and their crossings with other arms no more."""
        nonlocal out
        pair = meetings(n, m)  # (n < m: the pairs come in order)
        tried = (n, m, routed[n].points, routed[m].points)
        if not pair or tried in failed:
            return False
        here = knots(n) + knots(m)
        before = routed[n], routed[m]
        swapped = dict(out)
        swapped[(n, end)], swapped[(m, end)] = out[(m, end)], out[(n, end)]
        for k in (n, m):
            if boxes is not None:
                _follow(k, end, out[(k, end)], drawn, sides, swapped, boxes)
        best: tuple[int, int, dict[tuple[int, int], Point], RoutedEdge, RoutedEdge] | None = None
        for ends_at, first in ((swapped, n), (out, m)):
            second = m if first == n else n
            way = dict(zip((first, second), again((first, second), ends_at), strict=True))
            routed[n], routed[m] = way[n], way[m]
            now = meetings(n, m)
            others = knots(n) + knots(m)
            if now < pair and others <= here and (best is None or (now, others) < best[:2]):
                best = now, others, ends_at, way[n], way[m]
            routed[n], routed[m] = before
            if best is not None and best[0] == 0:  # untwisted: no other order can do better
                break
        if best is None:
            failed.add(tried)  # not searched again in the next round unless either arm has moved
            return False
        out = best[2]
        routed[n], routed[m] = best[3], best[4]
        return True

    for (_, _, end), arms in sorted(ends.items(), key=lambda item: (item[0][2], item[0][:2])):
        for _ in range(len(arms)):  # again while a swap helped: untwisting two may twist a third
            swaps = [untwist(n, m, end) for n, m in itertools.combinations(sorted(arms), 2)]
            if not any(swaps):
                break
    return out


def trade_arms(
    drawn: Sequence[DrawnEdge],
    routed: dict[int, RoutedEdge],
    searched: Sequence[int],
    ports: dict[tuple[int, int], Point],
    sides: dict[int, tuple[str, str]],
    remade: Callable[[int, list[Point]], RoutedEdge],
) -> dict[tuple[int, int], Point]:
    """Searched arms of a fan (sharing a side of a block) that still cross: at the crossing nearest their
    shared side, the two trade the parts of their ways from that side to the crossing (and so their ports
    there). Both ways stay ways the router found clear; the two now meet there instead of crossing, and
    arms taking one corridor run on as a trunk that splits where each turns off. Done while that leaves
    the fan's arms crossing less and their crossings with the other edges at their blocks no more.
    ``remade`` draws an arm along new points. Returned: the ports, as the arms now use them."""
    out = dict(ports)
    ends: dict[tuple[str, str, int], list[int]] = {}
    for n in searched:
        d = drawn[n]
        if d.source != d.target:
            ends.setdefault((d.source, sides[n][0], 0), []).append(n)
            ends.setdefault((d.target, sides[n][1], 1), []).append(n)
    by_block: dict[str, list[int]] = {}
    for k in sorted(routed):
        for block in {drawn[k].source, drawn[k].target}:
            by_block.setdefault(block, []).append(k)

    def met(a: int, b: int) -> int:
        a, b = min(a, b), max(a, b)
        return _meetings(drawn[a], routed[a].points, drawn[b], routed[b].points)

    def tangles(arms: Sequence[int]) -> tuple[int, int]:
        """Crossings among ``arms``, and theirs with the other edges sharing a block with one of them."""
        near = {k for n in arms for block in (drawn[n].source, drawn[n].target) for k in by_block[block]} - set(arms)
        return (
            sum(met(a, b) for a, b in itertools.combinations(arms, 2)),
            sum(met(n, k) for n in arms for k in sorted(near)),
        )

    for (_, _, end), arms in sorted(ends.items(), key=lambda item: (item[0][2], item[0][:2])):
        if len(arms) < 2:
            continue
        arms = sorted(arms)
        was = tangles(arms)
        failed: set[tuple[int, int]] = set()
        for _ in range(len(arms) ** 2):
            if not was[0]:
                break
            found = _first_crossing(arms, routed, end, failed)
            if found is None:
                break
            a, b, u, v = found
            before = routed[a], routed[b]
            routed[a], routed[b] = remade(a, u), remade(b, v)
            now = tangles(arms)
            if now[0] < was[0] and now[1] <= was[1]:
                was = now
                out[(a, end)], out[(b, end)] = out[(b, end)], out[(a, end)]
                failed.clear()
            else:
                routed[a], routed[b] = before
                failed.add((a, b))
    return out


def corners(r: RoutedEdge) -> list[Point]:
    """The polyline a routed edge's path was rounded from: each curve's corner where the lines it joins
    meet; its ends where the edge ends (under any head)."""
    path = r.path
    out = [r.points[0]]
    after_line = False
    for seg in path.segments:
        if isinstance(seg, Line):
            out.append(seg.end)
            after_line = True
            continue
        corner = _meet(out[-1], seg.c1, seg.c2, seg.end)
        if after_line and len(out) > 1:
            out[-1] = corner
        else:
            out.append(corner)
        out.append(seg.end)
        after_line = False
    out[-1] = r.points[-1]
    kept = [out[0]]
    for i in range(1, len(out) - 1):  # collinear and repeated points dropped
        a, b = out[i] - kept[-1], out[i + 1] - out[i]
        if a.length() > 1e-6 and abs(a.x * b.y - a.y * b.x) > 1e-6 * max(a.length() * b.length(), 1e-9):
            kept.append(out[i])
    return [*kept, out[-1]]


def _first_crossing(
    arms: Sequence[int], routed: dict[int, RoutedEdge], end: int, failed: set[tuple[int, int]]
) -> tuple[int, int, list[Point], list[Point]] | None:
    """Two arms (not a ``failed`` pair) crossing farther than SHARED_END from their shared end (0 start,
    1 end) and their ways with the parts from that end to the first such crossing traded; None if none."""
    best: tuple[float, int, int, list[Point], list[Point]] | None = None
    for a, b in itertools.combinations(arms, 2):
        if (a, b) in failed or not _meetings(routed[a].drawn, routed[a].points, routed[b].drawn, routed[b].points):
            continue
        u, v = corners(routed[a]), corners(routed[b])
        if end == 1:
            u, v = u[::-1], v[::-1]
        shared = (u[0], v[0])
        run = 0.0
        box = points_box(v)
        for i, (p, q) in enumerate(itertools.pairwise(u)):
            hit = None
            if not points_box([p, q]).intersects(box):
                run += (q - p).length()
                continue
            for j, (c, e) in enumerate(itertools.pairwise(v)):
                if segments_cross(p, q, c, e):
                    at = _meet(p, q, c, e)
                    along = (at - p).length()
                    if all((at - s).length() > SHARED_END for s in shared) and (hit is None or along < hit[0]):
                        hit = (along, j, at)
            if hit is not None:
                along, j, at = hit
                if best is None or run + along < best[0]:
                    uu = [*v[: j + 1], at, *u[i + 1 :]]
                    vv = [*u[: i + 1], at, *v[j + 1 :]]
                    if end == 1:
                        uu, vv = uu[::-1], vv[::-1]
                    best = (run + along, a, b, uu, vv)
                break
            run += (q - p).length()
    return None if best is None else best[1:]


def _follow(
    k: int,
    end: int,
    was: Point,
    drawn: Sequence[DrawnEdge],
    sides: dict[int, tuple[str, str]],
    out: dict[tuple[int, int], Point],
    boxes: dict[str, Box],
) -> None:
    """Move arm ``k``'s far port as far as its port at ``end`` moved from ``was``, if the arm ran straight
    between the two (level across its sides), its far end is alone on its side and stays on it."""
    far = 1 - end
    near, other = out[(k, end)], out[(k, far)]
    block = drawn[k].target if far == 1 else drawn[k].source
    side = sides[k][far]
    across_x = side in ("top", "bottom")
    if (sides[k][end], side) not in _FACING or block not in boxes:
        return
    if abs((was.x - other.x) if across_x else (was.y - other.y)) > 0.5:
        return
    for j, e in out:
        if (j, e) != (k, far) and j in sides and sides[j][e] == side and (drawn[j].source, drawn[j].target)[e] == block:
            return
    box = boxes[block]
    moved = Point(near.x, other.y) if across_x else Point(other.x, near.y)
    lo, hi = (box.x, box.x + box.w) if across_x else (box.y, box.y + box.h)
    at = moved.x if across_x else moved.y
    if lo + SHARED_END <= at <= hi - SHARED_END:
        out[(k, far)] = moved


def _meetings(e: DrawnEdge, u: Sequence[Point], f: DrawnEdge, v: Sequence[Point]) -> int:
    """Where two edges sharing an end cross farther than SHARED_END from the ends they share, as
    ``e`` (the one drawn first) meets it: a crossing at ``f``'s very tip, beside ``e``'s, still counts."""
    shared = [u[0]] if e.source == f.source else []
    shared += [u[-1]] if e.target == f.target else []
    if not points_box(list(u)).intersects(points_box(list(v))):
        return 0
    runs, extents = _extents(v)
    count = 0
    for a, b in itertools.pairwise(u):
        x0, x1, y0, y1 = min(a.x, b.x), max(a.x, b.x), min(a.y, b.y), max(a.y, b.y)
        for (hx, lx, hy, ly), run in zip(extents, runs, strict=True):
            if hx < x0 or lx > x1 or hy < y0 or ly > y1:
                continue
            for hx, lx, hy, ly, c, d in run:  # a segment whose box is off a-b's is not tested
                if hx < x0 or lx > x1 or hy < y0 or ly > y1:
                    continue
                if segments_cross(a, b, c, d):
                    at = _meet(a, b, c, d)
                    count += all((at - s).length() > SHARED_END for s in shared)
    return count


Extent = tuple[float, float, float, float]  # a box: max x, min x, max y, min y
_Run = tuple[float, float, float, float, Point, Point]  # a segment's box (as Extent) and its ends


def _extents(v: Sequence[Point]) -> tuple[list[list[_Run]], list[Extent]]:
    """A polyline's segments with their boxes, in runs of CHUNK, and the runs' boxes: a run wholly off a
    segment's box has no segment to test."""
    segments = []
    for c, e in itertools.pairwise(v):
        (cx, cy), (ex, ey) = c, e  # max and min as comparisons: what the builtins give, the first of equals
        segments.append(((cx if cx >= ex else ex), (cx if cx <= ex else ex), (cy if cy >= ey else ey),
                         (cy if cy <= ey else ey), c, e))  # fmt: skip
    runs = [segments[i : i + CHUNK] for i in range(0, len(segments), CHUNK)]
    extents = [
        (max(r[0] for r in run), min(r[1] for r in run), max(r[2] for r in run), min(r[3] for r in run)) for run in runs
    ]
    return runs, extents


def _meet(a: Point, b: Point, c: Point, d: Point) -> Point:
    """Where lines a-b and c-d meet (a, if they are parallel)."""
    r, s = b - a, d - c
    den = r.x * s.y - r.y * s.x
    if abs(den) < 1e-12:
        return a
    t = ((c.x - a.x) * s.y - (c.y - a.y) * s.x) / den
    return Point(a.x + r.x * t, a.y + r.y * t)


def _crossings(u: Sequence[Point], v: Sequence[Point], skip: Point | None = None) -> int:
    """Crossings of two polylines, but for those of ``u``'s segments wholly within SHARED_END of ``skip``."""
    if not _box(u).intersects(_box(v)):
        return 0
    runs, extents = _extents_of(v)  # ``v``'s segments, by runs
    count = 0
    for a, b in itertools.pairwise(u):
        if skip is not None and (a - skip).length() < SHARED_END and (b - skip).length() < SHARED_END:
            continue
        ax, ay, bx, by = a.x, a.y, b.x, b.y
        x0, y0 = (ax if ax <= bx else bx), (ay if ay <= by else by)  # min, as a comparison
        x1, y1 = x0 + abs(ax - bx), y0 + abs(ay - by)  # as its Box's right and bottom
        for (hx, lx, hy, ly), run in zip(extents, runs, strict=True):
            if hx < x0 or lx > x1 or hy < y0 or ly > y1:
                continue
            for hx, lx, hy, ly, c, e in run:
                if hx < x0 or lx > x1 or hy < y0 or ly > y1:
                    continue
                count += segments_cross(a, b, c, e)
    return count


CHUNK = 8  # segments of a polyline whose joint extent is tested first

# each line's box and its segments by runs (``_extents``), kept for the line (by its id, the line kept with
# them: the callers ask again of the same lines; a line is never changed once drawn); past KEPT, forgotten
KEPT = 1024
_BOXES: dict[int, tuple[object, Box]] = {}
_EXTENTS: dict[int, tuple[object, tuple[list[list[_Run]], list[Extent]]]] = {}


def _box(line: Sequence[Point]) -> Box:
    return kept_for(_BOXES, line, lambda: points_box(list(line)), KEPT)


def _extents_of(line: Sequence[Point]) -> tuple[list[list[_Run]], list[Extent]]:
    return kept_for(_EXTENTS, line, lambda: _extents(line), KEPT)


ASIDE_UPTO = 150  # guided edges up to which stuck ones are set aside on tracks of their own (each round
# re-measures every pair of edges: on a 300-edge graph it took seconds)


def untangle(
    drawn: Sequence[DrawnEdge],
    routed: dict[int, RoutedEdge],
    guided: Sequence[int],
    fallbacks: Callable[[int], list[RoutedEdge]],
    aside: Callable[[int], RoutedEdge | None] | None = None,
    lead: Callable[[int, int], RoutedEdge | None] | None = None,
) -> None:
    """Guided edges drawn taut take their next way (``fallbacks``, the last through their gates) where
    they cross an arm of their fan (an edge sharing an end) and the gates' way does not, or run on an
    edge with no end in common for RUN px: both ways a reader loses the line. A few rounds, as each
    change may settle another. A taut edge still crossing an arm of its fan then comes in square at
    that end (``lead``: its taut way with a straight lead at end 0 or 1), if that crosses fewer arms and
    runs on no unrelated edge. An edge still running on an unrelated one then takes its way ``aside``
    (the router's, on a track of its own) if that runs on none and crosses no arm of its fan."""
    ways: dict[int, list[RoutedEdge]] = {}
    taken: dict[int, int] = {}  # how many of its fallbacks an edge has gone through
    flat: dict[int, tuple[RoutedEdge, list[Point]]] = {}  # each way's line as drawn, by the way's id

    def line(r: RoutedEdge) -> list[Point]:
        kept = flat.get(id(r))
        if kept is None or kept[0] is not r:
            kept = flat[id(r)] = (r, as_drawn(r))
        return kept[1]

    def old(n: int) -> list[Point]:
        """The gates' way."""
        if n not in ways:
            ways[n] = fallbacks(n)
        return line(ways[n][-1])

    by_end: dict[str, list[int]] = {}
    for n in sorted(routed):
        by_end.setdefault(drawn[n].source, []).append(n)
        if drawn[n].target != drawn[n].source:
            by_end.setdefault(drawn[n].target, []).append(n)

    crossed: dict[tuple[int, int, Point], tuple[Sequence[Point], Sequence[Point], bool]] = {}

    def cross(u: Sequence[Point], v: Sequence[Point], block: str, e: DrawnEdge) -> bool:
        """Whether ``u`` crosses ``v`` away from its end at ``block``; kept for the two lines (each rounds
        asks again of the lines that did not change)."""
        skip = u[0] if e.source == block else u[-1]
        kept = crossed.get((id(u), id(v), skip))
        if kept is None or kept[0] is not u or kept[1] is not v:
            kept = crossed[(id(u), id(v), skip)] = (u, v, _crossings(u, v, skip) > 0)
        return kept[2]

    def tangled(n: int, points: Sequence[Point]) -> bool:
        """Whether ``points`` for edge ``n`` would cross an arm of its fan."""
        return any(
            m != n and cross(points, line(routed[m]), block, drawn[n])
            for block in (drawn[n].source, drawn[n].target)
            for m in by_end[block]
        )

    index = _Segments()
    for n in sorted(routed):
        index.add(n, routed[n])
    back: set[int] = set()  # gone back to their gates
    near: set[int] = set(guided)  # the edges a change may have tangled (at first, all)
    beside: set[int] = set(guided)  # the edges a change may have made run on another
    for _ in range(4):
        taut = set(guided) - back
        bad: set[int] = set()
        for n in sorted(taut & near):
            for block in (drawn[n].source, drawn[n].target):
                for m in by_end[block]:
                    if m == n or not cross(line(routed[n]), line(routed[m]), block, drawn[n]):
                        continue
                    if not cross(old(n), line(routed[m]), block, drawn[n]):
                        bad.add(n)
                    elif m in taut and not cross(old(m), line(routed[n]), block, drawn[m]):
                        bad.add(m)
                    elif m in taut and not cross(old(n), old(m), block, drawn[n]):
                        bad |= {n, m}
        bad |= _coinciding(drawn, routed, (taut & beside) - bad, index)
        if not bad:
            break
        areas = [points_box(list(routed[n].points)) for n in sorted(bad)]
        for n in sorted(bad):
            old(n)
            level = taken.get(n, 0)
            while level < len(ways[n]) - 1 and tangled(n, line(ways[n][level])):
                level += 1  # the next way that crosses none of its fan's arms as they are now
            taken[n] = level + 1
            index.remove(n)
            routed[n] = ways[n][level]
            index.add(n, routed[n])
            if taken[n] >= len(ways[n]):
                back.add(n)
            areas.append(points_box(list(routed[n].points)))
        near = bad | {m for n in bad for block in (drawn[n].source, drawn[n].target) for m in by_end[block]}
        boxes = {m: points_box(list(routed[m].points)) for m in taut}  # (each once, not once for every area)
        beside = bad | {m for m in taut if any(area.intersects(boxes[m]) for area in areas)}
    if lead is not None:
        for n in sorted(set(guided) - back):
            _lead_in(drawn, routed, n, lead, index, by_end, cross, line)
    if aside is not None and len(guided) <= ASIDE_UPTO:
        fine = _Segments(drawn_lines=True)  # the lines as drawn: S-curves that meet in a gap's middle show
        for n in sorted(routed):
            fine.add(n, routed[n])
        _set_aside(drawn, routed, guided, aside, fine, lambda n, r: tangled(n, line(r)))


def set_apart(
    drawn: Sequence[DrawnEdge],
    routed: dict[int, RoutedEdge],
    guided: Sequence[int],
    aside: Callable[[int], RoutedEdge | None],
) -> None:
    """In a picture whose guided edges keep their S-curves (not pulled taut, so not ``untangle``d): those
    that run on an unrelated edge (two fans' S-curves through one gap meeting in its middle) take their
    ways ``aside`` as ``untangle`` sets them (``_set_aside``), where that leaves fewer such edges and no
    more arms crossing. Where none runs on another, nothing moves."""
    if len(guided) > ASIDE_UPTO:
        return
    index = _Segments(drawn_lines=True, run=RUN * SLACK)
    for n in sorted(routed):
        index.add(n, routed[n])
    if not _coinciding(drawn, routed, set(guided), index):
        return
    by_end: dict[str, list[int]] = {}
    for n in sorted(routed):
        by_end.setdefault(drawn[n].source, []).append(n)
        if drawn[n].target != drawn[n].source:
            by_end.setdefault(drawn[n].target, []).append(n)

    lines: dict[int, tuple[RoutedEdge, list[Point]]] = {}  # by the route's id (kept, so the id stays its own)
    crossed: dict[tuple[int, int, bool], tuple[RoutedEdge, RoutedEdge, bool]] = {}  # likewise, by a pair's ids

    def line_of(r: RoutedEdge) -> list[Point]:
        known = lines.get(id(r))
        if known is None:
            known = lines[id(r)] = (r, as_drawn(r))
        return known[1]

    def crosses(r: RoutedEdge, arm: RoutedEdge, at_source: bool) -> bool:
        known = crossed.get((id(r), id(arm), at_source))
        if known is None:
            line = line_of(r)
            knot = _crossings(line, line_of(arm), line[0] if at_source else line[-1]) > 0
            known = crossed[(id(r), id(arm), at_source)] = (r, arm, knot)
        return known[2]

    def tangled(n: int, r: RoutedEdge) -> bool:
        """Whether way ``r`` for edge ``n`` crosses an arm of its fan, away from the end they share."""
        d = drawn[n]
        return any(
            m != n and crosses(r, routed[m], d.source == block) for block in (d.source, d.target) for m in by_end[block]
        )

    _set_aside(drawn, routed, guided, aside, index, tangled)


def over_heads(
    drawn: Sequence[DrawnEdge],
    routed: dict[int, RoutedEdge],
    guided: Sequence[int],
    plainer: Callable[[int], RoutedEdge | None],
) -> None:
    """In a picture whose guided edges keep their S-curves: an arm that crosses an arm of its fan as the
    quality ruler reads them (each line run on to the head's point farthest from its end, which for a
    head turned off a shallow last S-curve is a corner of its base) takes its ``plainer`` way (through
    fewer gates), where that crosses its fan's arms less and no more edges in all. A gate alone in a
    band with no block lies just short of the next layer: the last S from it into a block far across is
    shallow, and the arm to a farther block runs over its neighbour's head there."""
    if len(guided) > ASIDE_UPTO:
        return
    by_end: dict[str, list[int]] = {}
    for n in sorted(routed):
        by_end.setdefault(drawn[n].source, []).append(n)
        if drawn[n].target != drawn[n].source:
            by_end.setdefault(drawn[n].target, []).append(n)

    lines: dict[int, list[Point]] = {}  # drawn lines as the ruler reads them, made when first asked

    def ruled(m: int) -> list[Point]:
        if m not in lines:
            lines[m] = _ruled(routed[m])
        return lines[m]

    boxes: dict[int, Box] = {}

    def box(m: int) -> Box:
        """Route ``m``'s points and heads, grown a little (a curve at 16 points bulges past its 8): an arm
        whose box misses a line's cannot cross it, and need not be flattened again."""
        if m not in boxes:
            r = routed[m]
            boxes[m] = points_box([*r.points, *(p for head in r.heads for p in head)]).inflate(2.0)
        return boxes[m]

    def knots(n: int, line: list[Point]) -> int:
        """Crossings of ``line`` for edge ``n`` with its fan's arms, away from the end they share."""
        d, around = drawn[n], points_box(line)
        count = 0
        arms = {m for block in (d.source, d.target) for m in by_end[block] if m != n}
        for m in sorted(m for m in arms if box(m).intersects(around)):
            shared = line[0] if d.source in (drawn[m].source, drawn[m].target) else line[-1]
            count += _crossings(line, ruled(m), shared)
        return count

    def crossed(n: int, line: list[Point]) -> int:
        return sum(_crossings(line, ruled(m)) for m in sorted(routed) if m != n)

    for n in sorted(guided):
        knotted = knots(n, ruled(n))
        if not knotted:
            continue
        way = plainer(n)
        if way is None:
            continue
        line = _ruled(way)
        if knots(n, line) < knotted and crossed(n, line) <= crossed(n, ruled(n)):
            routed[n], lines[n] = way, line
            boxes.pop(n, None)


def _ruled(r: RoutedEdge) -> list[Point]:
    """The route's line as the quality ruler reads it (``svgarch.quality.drawing.with_tips``): its curves at
    16 points, run on at each head to the head's point farthest from the line's end it sits at."""
    line = r.path.points(16)
    start, end = line[0], line[-1]
    for head in r.heads:
        if not head:
            continue
        near_end = min((p - end).length() for p in head) <= min((p - start).length() for p in head)
        at = end if near_end else start
        tip = max(head, key=lambda p: (p - at).length())
        line = [*line, tip] if near_end else [tip, *line]
    return line


def _lead_in(
    drawn: Sequence[DrawnEdge],
    routed: dict[int, RoutedEdge],
    n: int,
    lead: Callable[[int, int], RoutedEdge | None],
    index: _Segments,
    by_end: dict[str, list[int]],
    cross: Callable[[Sequence[Point], Sequence[Point], str, DrawnEdge], bool],
    line: Callable[[RoutedEdge], list[Point]],
) -> None:
    """Edge ``n``, where it crosses an arm of its fan at an end, takes its way ``lead`` in square at that
    end if that crosses fewer of the arms and runs on no unrelated edge."""
    d = drawn[n]

    def knots(points: Sequence[Point]) -> int:
        return sum(cross(points, line(routed[m]), b, d) for b in (d.source, d.target) for m in by_end[b] if m != n)

    for end, block in enumerate((d.source, d.target)):
        if not any(m != n and cross(line(routed[n]), line(routed[m]), block, d) for m in by_end[block]):
            continue
        way = lead(n, end)
        if way is None or knots(line(way)) >= knots(line(routed[n])):
            continue
        before = routed[n]
        _put(index, routed, n, way)
        if _coinciding(drawn, routed, {n}, index):
            _put(index, routed, n, before)


def _set_aside(
    drawn: Sequence[DrawnEdge],
    routed: dict[int, RoutedEdge],
    guided: Sequence[int],
    aside: Callable[[int], RoutedEdge | None],
    index: _Segments,
    tangled: Callable[[int, RoutedEdge], bool],
) -> None:
    """Edges that still run on an unrelated edge (two fans' S-curves through one gap, say) take their
    ways ``aside`` together with their fans' other guided arms, where that leaves fewer such edges and
    no more arms crossing: all of them at once, else each one's fans alone."""
    stuck = _coinciding(drawn, routed, set(guided), index)
    if not stuck:
        return

    def fans_of(edges: set[int]) -> list[int]:
        ends = {e for n in edges for e in (drawn[n].source, drawn[n].target)}
        return sorted(n for n in guided if drawn[n].source in ends or drawn[n].target in ends)

    ways: dict[int, RoutedEdge | None] = {}
    for group in [fans_of(stuck), *(fans_of({n}) for n in sorted(stuck))]:
        stuck = _coinciding(drawn, routed, set(guided), index)
        if not stuck:
            return
        for n in group:
            if n not in ways:
                ways[n] = aside(n)
        moved = [n for n in group if ways[n] is not None and ways[n] != routed[n]]
        before = {n: routed[n] for n in moved}
        knotted = {n for n in group if tangled(n, routed[n])}
        better = functools.partial(_better, drawn, routed, guided, index, tangled, len(stuck), group, len(knotted))
        for n in moved:
            way = ways[n]
            assert way is not None
            _put(index, routed, n, way)
        if better():
            _give_back(drawn, routed, guided, index, tangled, group, before)
            continue
        for n in moved:  # arms their ways aside tangle keep their own, if that is enough
            if n not in knotted and tangled(n, routed[n]):
                _put(index, routed, n, before[n])
        if better():
            _give_back(drawn, routed, guided, index, tangled, group, before)
            continue
        for n in moved:  # no better: as they were
            _put(index, routed, n, before[n])


def _give_back(
    drawn: Sequence[DrawnEdge],
    routed: dict[int, RoutedEdge],
    guided: Sequence[int],
    index: _Segments,
    tangled: Callable[[int, RoutedEdge], bool],
    group: Sequence[int],
    before: dict[int, RoutedEdge],
) -> None:
    """Edges of ``group`` set aside take back their ways from ``before``, one at a time, where that leaves
    no more edges running on unrelated ones and no more of the group's arms crossing: an arm moved only to
    make room turns as it did (a way aside is square, and turns more than a taut one)."""

    def state() -> tuple[int, int]:
        return len(_coinciding(drawn, routed, set(guided), index)), sum(tangled(n, routed[n]) for n in group)

    now = state()
    for n in sorted(before):
        if routed[n] is before[n]:
            continue
        aside = routed[n]
        _put(index, routed, n, before[n])
        after = state()
        if after[0] <= now[0] and after[1] <= now[1]:
            now = after
        else:
            _put(index, routed, n, aside)


def _better(
    drawn: Sequence[DrawnEdge],
    routed: dict[int, RoutedEdge],
    guided: Sequence[int],
    index: _Segments,
    tangled: Callable[[int, RoutedEdge], bool],
    stuck: int,
    group: Sequence[int],
    knots: int,
) -> bool:
    """Whether fewer than ``stuck`` edges now run on an unrelated one, with no more than ``knots`` of
    ``group`` crossing an arm of their fans."""
    return len(_coinciding(drawn, routed, set(guided), index)) < stuck and (
        sum(tangled(n, routed[n]) for n in group) <= knots
    )


def as_drawn(r: RoutedEdge) -> list[Point]:
    """The route's line as the drawing flattens it (its curves at 16 points, to its heads' tips, as the
    quality ruler reads it): its ``points`` (8 to a curve) miss a curve that bulges a pixel over an arm's
    line beside its port, and such a touch reads as two crossings."""
    line = r.path.points(16)
    if r.points and r.points[-1] != line[-1]:
        line.append(r.points[-1])
    if r.points and r.points[0] != line[0]:
        line.insert(0, r.points[0])
    return line


def _put(index: _Segments, routed: dict[int, RoutedEdge], n: int, way: RoutedEdge) -> None:
    index.remove(n)
    routed[n] = way
    index.add(n, way)


def tracks(moves: dict[int, list[tuple[Point, Point]]], vertical: bool) -> dict[tuple[int, int], float]:
    """Tracks for the moves between bands (those off straight), spread evenly across each gap: moves toward lower
    coordinates first, those ending nearer the start of the axis nearer the gap's start, so that the
    arms of a fan, which end in the order of their ports, do not cross."""
    gaps: dict[tuple[float, float], list[tuple[int, float, int, int]]] = {}
    for m, pairs in moves.items():
        for i, (p, q) in enumerate(pairs):
            lo, hi = (p.y, q.y) if vertical else (p.x, q.x)
            off = (q.x - p.x) if vertical else (q.y - p.y)
            end = q.x if vertical else q.y
            if hi - lo < 1 or abs(off) < 1:
                continue
            key = (round(lo, 1), round(hi, 1))
            gaps.setdefault(key, []).append((0 if off < 0 else 1, end if off < 0 else -end, m, i + 1))
    out: dict[tuple[int, int], float] = {}
    for (lo, hi), items in gaps.items():
        items.sort()
        step = (hi - lo) / (len(items) + 1)
        for j, (_, _, m, i) in enumerate(items):
            out[(m, i)] = lo + step * (j + 1)
    return out


def without_repeats(points: list[Point]) -> list[Point]:
    out: list[Point] = []
    for p in points:
        if not out or (p - out[-1]).length() > 1e-6:
            out.append(p)
    return out


_Segment = tuple[Point, Point, float, float, float, float]  # a, b, and its box (x0, y0, x1, y1)
_Key = tuple[int, int, int]  # a segment's direction (in ANGLE steps) and grid cell


class _Segments:
    """Every edge's line, and, once asked for an edge, its segments by direction (ANGLE steps) and grid cell
    (CELL px), to find how far it runs along a segment: only its segments of about that direction, in the
    cells the segment crosses, are looked at."""

    CELL = 64.0
    ANGLE = math.pi / 60  # 3°: segments within NEAR px of each other for RUN px differ by less
    STEPS = round(math.pi / ANGLE)

    def __init__(self, drawn_lines: bool = False, run: float = 0.0) -> None:
        self.drawn_lines = drawn_lines
        self.run = run or RUN  # the length two unrelated edges may not share (``_coinciding``)
        self.routes: dict[int, RoutedEdge] = {}  # each filed edge's route
        self.lines: dict[int, list[_Segment]] = {}  # ... and its line's segments
        self.own: dict[int, dict[_Key, list[tuple[int, Point, Point]]]] = {}  # its segments by key, once asked
        self._chunks: dict[int, tuple[float, list[tuple[float, float, float, float]]]] = {}  # (``chunks``)
        self.log: list[int] = []  # the edges in the order they were filed or taken out
        self.boxes: dict[int, tuple[float, float, float, float]] = {}  # each filed edge's line's box
        # per edge: its route, its segments, their ``near_keys`` (by segment, once asked), what it shares with
        # each edge (``_coinciding``), as of the log's length
        self.known: dict[int, tuple[RoutedEdge, list[_Segment], dict[int, list[_Key]], dict[int, float], int]] = {}

    def _keys(self, a: Point, b: Point, turns: Sequence[int] = (0,)) -> list[_Key]:
        """The segment's keys, its direction turned by each of ``turns`` ANGLE steps in turn."""
        c, steps = self.CELL, self.STEPS
        heading = round((math.atan2(b.y - a.y, b.x - a.x) % math.pi) / self.ANGLE)
        i0, i1 = math.floor(a.x / c), math.floor(b.x / c)
        j0, j1 = math.floor(a.y / c), math.floor(b.y / c)
        if i0 == i1 and j0 == j1:  # (most segments: one cell)
            return [((heading + turn) % steps, i0, j0) for turn in turns]
        i0, i1 = (i0, i1) if i0 <= i1 else (i1, i0)
        j0, j1 = (j0, j1) if j0 <= j1 else (j1, j0)
        if (i1 - i0 + 1) * (j1 - j0 + 1) > 4096:  # a huge segment: its ends' cells
            cells = [(i0, j0), (i1, j1)]
        else:
            cells = [(i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]
        return [((heading + turn) % steps, i, j) for turn in turns for i, j in cells]

    def segments(self, r: RoutedEdge) -> list[_Segment]:
        """The route's line as this index files it (its points, 8 to a curve, or ``as_drawn``, 16), by segment:
        its ends and its box."""
        points = as_drawn(r) if self.drawn_lines else r.points
        out: list[_Segment] = []
        for a, b in itertools.pairwise(points):
            (ax, ay), (bx, by) = a, b  # min and max as comparisons: what the builtins give, the first of equals
            out.append((a, b, (ax if ax <= bx else bx), (ay if ay <= by else by),
                        (ax if ax >= bx else bx), (ay if ay >= by else by)))  # fmt: skip
        return out

    def add(self, n: int, r: RoutedEdge) -> None:
        line = self.lines[n] = self.segments(r)
        self.routes[n] = r
        self._chunks.pop(n, None)
        if line:
            xs, ys = [s[0].x for s in line] + [line[-1][1].x], [s[0].y for s in line] + [line[-1][1].y]
            self.boxes[n] = (min(xs), min(ys), max(xs), max(ys))
        self.log.append(n)

    def remove(self, n: int) -> None:
        self.routes.pop(n, None)
        self._chunks.pop(n, None)
        self.lines.pop(n, None)
        self.own.pop(n, None)
        self.boxes.pop(n, None)
        self.log.append(n)

    def chunks(self, m: int, grow: float) -> list[tuple[float, float, float, float]]:
        """The boxes of edge ``m``'s segments in runs of CHUNK, grown by ``grow`` (x0, y0, x1, y1)."""
        kept = self._chunks.get(m)
        if kept is None or kept[0] != grow:
            line = self.lines[m]
            boxes = []
            for k in range(0, len(line), CHUNK):
                run = line[k : k + CHUNK]
                boxes.append((min(s[2] for s in run) - grow, min(s[3] for s in run) - grow,
                              max(s[4] for s in run) + grow, max(s[5] for s in run) + grow))  # fmt: skip
            kept = self._chunks[m] = (grow, boxes)
        return kept[1]

    def filed(self, m: int) -> dict[_Key, list[tuple[int, Point, Point]]]:
        """Edge ``m``'s segments by key (each in every key it has, in the order of its line)."""
        own = self.own.get(m)
        if own is None:
            own = self.own[m] = {}
            for a, b, _, _, _, _ in self.lines[m]:
                item = (m, a, b)
                for key in self._keys(a, b):
                    own.setdefault(key, []).append(item)
        return own

    def near_keys(self, a: Point, b: Point) -> list[_Key]:
        """The keys ``along_one`` looks in for ``a``-``b``."""
        return self._keys(a, b, (-1, 0, 1))

    def along_one(self, a: Point, b: Point, m: int, keys: list[_Key]) -> float | None:
        """The length of edge ``m``'s segments that run on ``a``-``b`` (parallel, < NEAR px off), None where
        none does; ``keys`` are ``near_keys(a, b)``. (Summed in the order of the keys, each segment once.)"""
        d = b - a
        length = d.length()
        if length < 1e-6:
            return None
        cells = self.filed(m)
        ux, uy = d.x / length, d.y / length
        ax, ay = a.x, a.y
        total: float | None = None
        seen: set[int] = set()
        # (min and max below as comparisons, each giving what the builtin gives, the first of equals)
        for key in keys:
            for item in cells.get(key, ()):
                if id(item) in seen:
                    continue
                seen.add(id(item))
                _, c, e = item
                oc = (c.x - ax) * uy - (c.y - ay) * ux  # signed distances off the line a-b
                oe = (e.x - ax) * uy - (e.y - ay) * ux
                # the part of c-e nearer the line than NEAR, as parameters (lo to hi)
                if abs(oe - oc) < 1e-9:
                    if abs(oc) >= NEAR:
                        continue
                    lo, hi = 0.0, 1.0
                else:
                    u0, u1 = (-NEAR - oc) / (oe - oc), (NEAR - oc) / (oe - oc)
                    if u1 < u0:
                        u0, u1 = u1, u0
                    lo, hi = (0.0 if u0 < 0.0 else u0), (1.0 if u1 > 1.0 else u1)
                    if hi <= lo:
                        continue
                tc = (c.x - ax) * ux + (c.y - ay) * uy
                te = (e.x - ax) * ux + (e.y - ay) * uy
                t0, t1 = tc + (te - tc) * lo, tc + (te - tc) * hi
                if t1 < t0:
                    t0, t1 = t1, t0
                overlap = (length if length < t1 else t1) - (0.0 if t0 < 0.0 else t0)
                if overlap > 0:
                    total = overlap if total is None else total + overlap
        return total


def _coinciding(
    drawn: Sequence[DrawnEdge], routed: dict[int, RoutedEdge], taut: set[int], index: _Segments
) -> set[int]:
    """The taut edges that run on an edge with no end in common for RUN px (their lines as ``index``
    files them)."""
    return {n for n in sorted(taut) if any(length >= index.run for length in _shared(drawn, routed, n, index).values())}


def _shared(drawn: Sequence[DrawnEdge], routed: dict[int, RoutedEdge], n: int, index: _Segments) -> dict[int, float]:
    """How far edge ``n`` runs on each edge with no end in common, as ``index`` files them: kept from the
    last time asked while ``n``'s route stays, and worked out again only for the edges filed since."""
    r = routed[n]
    ends = {drawn[n].source, drawn[n].target}
    known = index.known.get(n)
    if known is None or known[0] is not r:
        line = index.lines[n] if index.routes.get(n) is r else index.segments(r)
        keys: dict[int, list[_Key]] = {}
        shared: dict[int, float] = {}
        new = set(index.lines)
    else:
        _, line, keys, shared, since = known
        new = set(index.log[since:])
    if line:
        xs, ys = [s[0].x for s in line] + [line[-1][1].x], [s[0].y for s in line] + [line[-1][1].y]
        lx0, ly0, lx1, ly1 = min(xs), min(ys), max(xs), max(ys)
    # a segment of m runs on a-b only within NEAR of it: m's box, grown by more than that, meets a-b's
    far = 2 * NEAR + 1.0
    for m in new - {n}:
        shared.pop(m, None)
        if not line or m not in index.lines or ends & {drawn[m].source, drawn[m].target}:
            continue
        x0, y0, x1, y1 = index.boxes.get(m, (0.0, 0.0, 0.0, 0.0))
        x0, y0, x1, y1 = x0 - far, y0 - far, x1 + far, y1 + far
        if lx1 < x0 or lx0 > x1 or ly1 < y0 or ly0 > y1:
            continue
        chunks = index.chunks(m, far)
        own: dict[_Key, list[tuple[int, Point, Point]]] | None = None
        total: float | None = None
        for i, (a, b, lx, ly, hx, hy) in enumerate(line):
            if hx < x0 or lx > x1 or hy < y0 or ly > y1:
                continue
            for cx0, cy0, cx1, cy1 in chunks:  # (off every run of m's segments, grown: none of them is near)
                if not (hx < cx0 or lx > cx1 or hy < cy0 or ly > cy1):
                    break
            else:
                continue
            if own is None:
                own = index.filed(m)
            near = keys.get(i)
            if near is None:
                near = keys[i] = index.near_keys(a, b)
            if not any(key in own for key in near):  # (most: no segment of m in a-b's direction and cells)
                continue
            part = index.along_one(a, b, m, near)
            if part is not None:
                total = (0.0 if total is None else total) + part
        if total is not None:
            shared[m] = total
    index.known[n] = (r, line, keys, shared, len(index.log))
    return shared

