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
import math
from collections.abc import Callable, Sequence

from svgarch.geometry import Box, Point, segment_hits_box, turning
from svgarch.layout.nearness import Lines
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
    turn less in all."""
    there = {n: Box.around(p.x, p.y, labels[n].w, labels[n].h) for n, p in moved.items() if p is not None}
    mine = (*_measured(lined_up), _through(lined_up, labels | there))
    theirs = (*_measured(plain), _through(plain, labels))
    if any(a > b + 1e-6 for a, b in zip(mine, theirs, strict=True)):
        return False
    return sum(turning(r.points) for r in lined_up) < sum(turning(r.points) for r in plain) - GAIN


def _through(routed: Sequence[RoutedEdge], labels: dict[int, Box]) -> int:
    """How many times a route runs through a label kept on another edge."""
    return sum(
        1
        for r in routed
        for n, box in labels.items()
        if n != r.drawn.number and any(segment_hits_box(a, b, box) for a, b in itertools.pairwise(r.points))
    )


def _measured(routed: Sequence[RoutedEdge]) -> tuple[float, ...]:
    """The routes' crossings, crossings of edges sharing a block, length on and beside other edges (each
    counted from both sides)."""
    ends = {r.drawn.number: (r.drawn.source, r.drawn.target) for r in routed}
    lines = Lines({r.drawn.number: r.points for r in routed}, ends)
    total = [0.0, 0.0, 0.0, 0.0]
    for r in routed:
        for i, value in enumerate(lines.measures(r.drawn.number, r.points)):
            total[i] += value
    return tuple(total)


def missed(routed: list[RoutedEdge], moved: dict[int, Point | None]) -> list[RoutedEdge]:
    """``routed`` as it is; in ``moved``, None for a label whose edge, as finally drawn (a later pass may
    route it otherwise), does not pass its new centre: it is placed along the edge as drawn instead."""
    for n, centre in moved.items():
        if centre is not None and min(_distance(centre, a, b) for a, b in itertools.pairwise(routed[n].points)) > NEAR:
            moved[n] = None
    return routed


def _distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b.x - a.x, b.y - a.y
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2))
    return math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy)


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
