"""Fans of taut routes: which arm takes which port, and the arms that must go back to their gates.

Edges pulled taut (``direct``) no longer run through the slots automatic
layout ordered for them, so two arms of a fan (edges sharing an end) may
cross, and two unrelated edges may come to run on one line. Here the ports
of each side are given out again in the order the taut arms need, and any
taut edge that still crosses an arm of its fan, where its gates' way would
not, or runs on an unrelated edge, goes back to its gates.

Pre: every drawn edge routed; ``guided`` the ones drawn taut. Post: no taut
arm crosses an arm of its fan farther than SHARED_END from their common end
unless its gates' way does too, and none runs on an edge with no end in
common for 40 px.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from svgarch.geometry import Box, Point, points_box, segments_cross
from svgarch.layout.types import DrawnEdge, RoutedEdge

SHARED_END = 12.0  # px round a shared end where two arms may meet
SAMPLE = 2.0  # px between the samples that find two edges running on one line
RUN = 40.0  # px two unrelated edges may not share
FAN_TRIES = 6  # arms on one side whose every order of ports is tried


def fan_ports(
    drawn: Sequence[DrawnEdge],
    ports: dict[tuple[int, int], Point],
    sides: dict[int, tuple[str, str]],
    guided: Sequence[int],
    line_of: Callable[[int, Point, Point], list[Point]],
) -> dict[tuple[int, int], Point]:
    """The ports of guided edges that share a side of a block given out again: of every order of the
    side's ports among its arms (up to FAN_TRIES arms), the one whose taut arms (``line_of``) cross least."""
    ends: dict[tuple[str, str, int], list[int]] = {}
    for n in guided:
        d = drawn[n]
        fs, ts = sides[n]
        ends.setdefault((d.source, fs, 0), []).append(n)
        ends.setdefault((d.target, ts, 1), []).append(n)
    out = dict(ports)
    cache: dict[tuple[int, Point, Point], list[Point]] = {}

    def tangles(arms: list[int], places: list[Point], end: int, order: tuple[int, ...]) -> int:
        """Crossings between the arms when arm ``i`` takes port ``places[order[i]]`` at its ``end``."""
        lines = []
        for n, k in zip(arms, order, strict=True):
            start, stop = (places[k], out[(n, 1)]) if end == 0 else (out[(n, 0)], places[k])
            if (n, start, stop) not in cache:
                cache[(n, start, stop)] = line_of(n, start, stop)
            lines.append(cache[(n, start, stop)])
        return _tangles(lines)

    for (_, _, end), arms in sorted(ends.items(), key=lambda item: (item[0][2], item[0][:2])):
        if not 1 < len(arms) <= FAN_TRIES:
            continue
        places = [out[(n, end)] for n in arms]
        trials = {order: tangles(arms, places, end, order) for order in itertools.permutations(range(len(arms)))}
        best = min(trials, key=lambda order: (trials[order], order))
        for n, k in zip(arms, best, strict=True):
            out[(n, end)] = places[k]
    return out


def _tangles(lines: Sequence[Sequence[Point]]) -> int:
    """Crossings between polylines (the arms of a fan from their ports)."""
    return sum(_crossings(u, v) for u, v in itertools.combinations(lines, 2))


def _crossings(u: Sequence[Point], v: Sequence[Point], skip: Point | None = None) -> int:
    """Crossings of two polylines, but for those of ``u``'s segments wholly within SHARED_END of ``skip``."""
    if not points_box(list(u)).intersects(points_box(list(v))):
        return 0
    count = 0
    for a, b in itertools.pairwise(u):
        if skip is not None and (a - skip).length() < SHARED_END and (b - skip).length() < SHARED_END:
            continue
        ab = Box(min(a.x, b.x), min(a.y, b.y), abs(a.x - b.x), abs(a.y - b.y))
        for c, e in itertools.pairwise(v):
            if max(c.x, e.x) < ab.x or min(c.x, e.x) > ab.right or max(c.y, e.y) < ab.y or min(c.y, e.y) > ab.bottom:
                continue
            count += segments_cross(a, b, c, e)
    return count


def untangle(
    drawn: Sequence[DrawnEdge],
    routed: dict[int, RoutedEdge],
    guided: Sequence[int],
    fallback: Callable[[int], RoutedEdge],
) -> None:
    """Guided edges drawn taut go back to their gates (``fallback``) where they cross an arm of their
    fan (an edge sharing an end) and the gates' way does not, or run on an edge with no end in common
    for RUN px: both ways a reader loses the line. A few rounds, as each change may settle another."""
    kept: dict[int, RoutedEdge] = {}

    def old(n: int) -> tuple[Point, ...]:
        if n not in kept:
            kept[n] = fallback(n)
        return kept[n].points

    by_end: dict[str, list[int]] = {}
    for n in sorted(routed):
        by_end.setdefault(drawn[n].source, []).append(n)
        if drawn[n].target != drawn[n].source:
            by_end.setdefault(drawn[n].target, []).append(n)

    def cross(u: Sequence[Point], v: Sequence[Point], block: str, e: DrawnEdge) -> bool:
        return _crossings(u, v, u[0] if e.source == block else u[-1]) > 0

    back: set[int] = set()  # gone back to their gates
    for _ in range(3):
        taut = set(guided) - back
        bad: set[int] = set()
        for n in sorted(taut):
            for block in (drawn[n].source, drawn[n].target):
                for m in by_end[block]:
                    if m == n or not cross(routed[n].points, routed[m].points, block, drawn[n]):
                        continue
                    if not cross(old(n), routed[m].points, block, drawn[n]):
                        bad.add(n)
                    elif m in taut and not cross(old(m), routed[n].points, block, drawn[m]):
                        bad.add(m)
                    elif m in taut and not cross(old(n), old(m), block, drawn[n]):
                        bad |= {n, m}
        bad |= _coinciding(drawn, routed, taut - bad)
        if not bad:
            return
        for n in sorted(bad):
            old(n)
            routed[n] = kept[n]
        back |= bad


def _coinciding(drawn: Sequence[DrawnEdge], routed: dict[int, RoutedEdge], taut: set[int]) -> set[int]:
    """The taut edges that run on an edge with no end in common for RUN px (samples in one 2 px cell)."""
    cells: dict[tuple[int, int], set[int]] = {}
    samples: dict[int, list[tuple[int, int]]] = {}
    for n in sorted(routed):
        keys = [(round(p.x / SAMPLE), round(p.y / SAMPLE)) for p in _samples(routed[n].points)]
        samples[n] = keys
        for key in keys:
            cells.setdefault(key, set()).add(n)
    out: set[int] = set()
    for n in sorted(taut):
        ends = {drawn[n].source, drawn[n].target}
        shared: dict[int, int] = {}
        for key in samples[n]:
            for m in cells.get(key, ()):
                if m != n and not ends & {drawn[m].source, drawn[m].target}:
                    shared[m] = shared.get(m, 0) + 1
        if any(count * SAMPLE >= RUN for count in shared.values()):
            out.add(n)
    return out


def _samples(points: Sequence[Point]) -> list[Point]:
    """Points about SAMPLE px apart along a polyline."""
    out = [points[0]]
    for a, b in itertools.pairwise(points):
        steps = int((b - a).length() / SAMPLE)
        out.extend(a + (b - a).scale(i / max(steps, 1)) for i in range(1, steps + 1))
    return out
