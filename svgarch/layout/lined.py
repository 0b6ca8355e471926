"""Labels lined up on their edges: a guided edge of a big picture is pulled taut through the centre of the
label box automatic layout kept for it (its label node). That node sits where the layers' positions left
it, often beside the straight line between the edge's ends: the taut line bends there, twice for a label
off to one side. Where the line pulled taut without the label turns clearly less, the label box moves
across the flow onto that line, at the same place along the flow, if it lands on no block, furniture or
other label and inside the same frames; the edge then runs straight through it, and the label is drawn
there.

Pre: ports spread, the edges' ways through their gates known. Post: ``reserved`` with the moved boxes;
their new centres, by drawn edge (``missed``: None where the edge as finally drawn does not pass there).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from svgarch.geometry import Box, Point, segment_hits_box, turning
from svgarch.layout import nearness
from svgarch.layout.nearness import Lines, segment_distance
from svgarch.layout.types import RoutedEdge

GAIN = 0.25  # quarter turns: a line without the label's place turns at least this much less
NEAR = 2.0  # px: a drawn edge this near its label's centre passes it
ROOM = 2.0  # px a moved label keeps from blocks (grown by the routing margin), furniture and other labels


def line_up(
    candidates: Sequence[int],
    way: Callable[[int, dict[int, Box]], list[Point]],
    reserved: dict[int, Box],
    solid: Sequence[Box],
    frames: Sequence[Box],
    flow_vertical: bool,
) -> dict[int, Point | None]:
    """Move, in ``reserved``, the label boxes of ``candidates`` onto their edge's line pulled taut without
    them (``way(n, reserved)``: edge ``n`` pulled taut among those label boxes) where that turns clearly
    less; the moved boxes' new centres. ``solid``: blocks grown by the routing margin, and furniture."""
    moved: dict[int, Point | None] = {}
    for n in candidates:
        box = reserved[n]
        others = {k: b for k, b in reserved.items() if k != n}
        free, kept = way(n, others), way(n, reserved)
        if turning(free) > turning(kept) - GAIN:
            continue
        centre = _at(free, box.cy if flow_vertical else box.cx, flow_vertical)
        if centre is None:
            continue
        new = Box.around(centre.x, centre.y, box.w, box.h)
        grown = new.inflate(ROOM)
        if any(grown.intersects(b) for b in solid) or any(grown.intersects(b) for b in others.values()):
            continue
        if any(_inside(new, f) != _inside(box, f) for f in frames):
            continue  # across a frame's border, or into or out of a frame
        reserved[n] = new
        moved[n] = centre
    return moved


def better(
    lined_up: Sequence[RoutedEdge], plain: Sequence[RoutedEdge], labels: dict[int, Box], moved: dict[int, Point | None]
) -> bool:
    """Whether the routes with labels lined up cross no more edges, nor edges sharing a block, run on or
    beside other edges no longer (``nearness.Lines``' measures), run through no more labels kept on other
    edges (``labels``, by drawn edge, where they were; ``moved``: where some went) than the plain ones, and
    turn less in all.

    Every measure is a sum over pairs of edges (a route and another route, or a route and another edge's
    label) of whole numbers (crossings, and lengths in whole ``nearness.STEP``s): the pairs that are the same
    both ways (neither route changed, nor the label moved) add the same to both sides, so only the others
    are measured, and ``a > b + 1e-6`` of the totals is their difference being above 0."""
    there = {n: Box.around(p.x, p.y, labels[n].w, labels[n].h) for n, p in moved.items() if p is not None}
    changed = [i for i, (a, b) in enumerate(zip(lined_up, plain, strict=True)) if a.points != b.points]
    if any(d > 0 for d in _measured_difference(lined_up, plain, changed)):
        return False
    if _through_difference(lined_up, plain, changed, labels, there) > 0:
        return False
    return sum(turning(r.points) for r in lined_up) < sum(turning(r.points) for r in plain) - GAIN


def _through_difference(
    mine: Sequence[RoutedEdge],
    theirs: Sequence[RoutedEdge],
    changed: Sequence[int],
    labels: dict[int, Box],
    there: dict[int, Box],
) -> int:
    """``_through(mine, labels | there) - _through(theirs, labels)``, from the pairs of a route and a label
    that differ: a changed route's with every label, an unchanged route's with the moved labels."""
    now = labels | there
    differ = set(changed)
    total = 0
    for i, (r, s) in enumerate(zip(mine, theirs, strict=True)):
        keys = labels if i in differ else there
        for n in keys:
            if n != r.drawn.number:
                total += _hits(r.points, now[n]) - _hits(s.points, labels[n])
    return total


def _hits(points: Sequence[Point], box: Box) -> int:
    """1 if the polyline runs through the label box, else 0 (as ``_through`` counts it)."""
    return 1 if any(segment_hits_box(a, b, box) for a, b in itertools.pairwise(points)) else 0


def _measured_difference(
    mine: Sequence[RoutedEdge], theirs: Sequence[RoutedEdge], changed: Sequence[int]
) -> tuple[float, ...]:
    """``_measured(mine)`` less ``_measured(theirs)``, the routes differing only in ``changed`` (by index):
    each measure sums, over every ordered pair of routes, what one's line measures against the other's
    (``Lines.measures`` looks at each other edge alone), in whole numbers, so the pairs of two unchanged
    routes cancel. A pair farther apart than ``nearness.NEAR`` adds nothing (no crossing, nothing beside)."""
    ends = {r.drawn.number: (r.drawn.source, r.drawn.target) for r in mine}
    differ = set(changed)
    total = [0.0, 0.0, 0.0, 0.0]
    if not changed:
        return tuple(total)
    reach = [_extent(r.points, nearness.NEAR + 1) for routes in (mine, theirs) for r in (routes[i] for i in changed)]
    same: dict[int, Sequence[Point]] = {}  # the unchanged routes near enough a changed one (either way) to count
    for i, r in enumerate(mine):
        if i not in differ:
            x0, y0, x1, y1 = _extent(r.points, 0.0)
            if any(x0 <= b[2] and b[0] <= x1 and y0 <= b[3] and b[1] <= y1 for b in reach):
                same[r.drawn.number] = r.points
    kept = Lines(same, ends)
    for side, routes in ((1, mine), (-1, theirs)):
        ours: dict[int, Sequence[Point]] = {routes[i].drawn.number: routes[i].points for i in changed}
        alone = Lines(ours, ends)
        for n, points in ours.items():  # a changed route against every other: the unchanged, and the changed
            for i, value in enumerate(kept.measures(n, points)):
                total[i] += side * value
            for i, value in enumerate(alone.measures(n, points)):
                total[i] += side * value
        for n, points in same.items():  # an unchanged route against the changed ones
            for i, value in enumerate(alone.measures(n, points)):
                total[i] += side * value
    return tuple(total)


def _extent(points: Sequence[Point], grow: float) -> tuple[float, float, float, float]:
    xs, ys = [p.x for p in points], [p.y for p in points]
    return min(xs) - grow, min(ys) - grow, max(xs) + grow, max(ys) + grow


def missed(routed: list[RoutedEdge], moved: dict[int, Point | None]) -> list[RoutedEdge]:
    """``routed`` as it is; in ``moved``, None for a label whose edge, as finally drawn (a later pass may
    route it otherwise), does not pass its new centre: it is placed along the edge as drawn instead."""
    for n, centre in moved.items():
        if centre is None:
            continue
        if min(segment_distance(centre, a, b) for a, b in itertools.pairwise(routed[n].points)) > NEAR:
            moved[n] = None
    return routed


def _at(line: Sequence[Point], along: float, flow_vertical: bool) -> Point | None:
    """The first point of ``line`` at ``along`` (y where the flow runs down, x where it runs across)."""
    for a, b in itertools.pairwise(line):
        lo, hi = (a.y, b.y) if flow_vertical else (a.x, b.x)
        if min(lo, hi) <= along <= max(lo, hi) and hi != lo:
            t = (along - lo) / (hi - lo)
            return Point(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y))
    return None


def _inside(box: Box, frame: Box) -> bool | None:
    """True inside ``frame``, False outside it, None across its border."""
    if box.x >= frame.x and box.right <= frame.right and box.y >= frame.y and box.bottom <= frame.bottom:
        return True
    if box.right <= frame.x or box.x >= frame.right or box.bottom <= frame.y or box.y >= frame.bottom:
        return False
    return None
