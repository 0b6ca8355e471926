"""Taut routes that cross more than the order kept for them: back to a way that crosses fewer.

The ordering phase of automatic layout puts every edge in a slot of each
layer it crosses (its gates) so that few edges cross. Pulled taut
(``direct``), an edge leaves its gates wherever no block is in the way: a
long edge then runs as one diagonal across the slots other edges hold, and
crosses them where the order had them side by side. Here every guided edge
drawn taut that crosses other edges tries its other ways (``fallbacks``: the
last through its gates), and takes the first that crosses fewer edges and
costs nothing else: no more crossings of its own fan's arms, no longer on
another edge, beside none (a way beside another draws rails the later phases
may not part), and no detour (at most ``LONGEST`` × its ends' distance
long, or no longer than it was). A few rounds, the edges crossing most first, as each
change may let another through.

Pre: every edge routed; ``fallbacks(n)`` gives a guided edge's other ways, its gates' way last.
Post: each change crosses fewer edges and no more arms, runs on other edges no longer and beside none, and
goes round no farther than ``LONGEST`` allows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from svgarch.geometry import Point
from svgarch.layout import direct
from svgarch.layout.fans import as_drawn
from svgarch.layout.nearness import Lines
from svgarch.layout.types import DrawnEdge, RoutedEdge

ROUNDS = 3  # passes over the crossing edges at most (a pass that changes nothing ends them)
LONGEST = 1.4  # × its ends' distance: a way no longer than this, or than the route it replaces, may be taken


def uncross(
    drawn: Sequence[DrawnEdge],
    routed: dict[int, RoutedEdge],
    guided: Sequence[int],
    fallbacks: Callable[[int], list[RoutedEdge]],
) -> None:
    """Replace, in ``routed``, the routes of ``guided`` edges by one of their ``fallbacks`` where that crosses
    fewer edges at no other cost (see the module's text)."""
    lines = Lines({n: as_drawn(r) for n, r in routed.items()}, {n: (drawn[n].source, drawn[n].target) for n in routed})
    ways: dict[int, list[tuple[RoutedEdge, list[Point]]]] = {}
    for _ in range(ROUNDS):
        crossing = []
        for n in guided:
            count = lines.crossings(n, lines.lines[n])[0]
            if count:
                crossing.append((-count, n))
        changed = False
        for _, n in sorted(crossing):
            line_now = lines.lines[n]
            now = lines.crossings(n, line_now)  # all, and of them its fan's arms
            if n not in ways:
                ways[n] = [(way, as_drawn(way)) for way in fallbacks(n)]
            longest = max(direct.length(line_now), LONGEST * math.dist(line_now[0], line_now[-1]))
            for way, line in ways[n]:
                then = lines.crossings(n, line)
                if then[0] >= now[0] or then[1] > now[1] or direct.length(line) > longest:
                    continue
                on, beside = lines.beside(n, line)  # (measured only now: the costliest question)
                if on <= lines.beside(n, line_now)[0] and beside == 0:
                    routed[n] = way
                    lines.replace(n, line)
                    changed = True
                    break
        if not changed:
            break
