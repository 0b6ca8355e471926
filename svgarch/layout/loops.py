"""Self-loops: the side of its block each loop takes, its size, its path and its label's place.

A loop leaves a side the flow does not use (right, then left, for TB and
BT; top, then bottom, for LR and RL; a side other edges already use comes
last) and comes back to it clockwise, along an ellipse. A block's first
loop takes the first free side, its second the next, later ones nest
round the earlier ones and their labels. A loop's label sits just outside
its apex, touching it. Sizes depend only on the block's and the labels'
sizes, so the automatic layout reserves the room beside a block before
placing it, as dot widens a node for its loops.

Pre: a (width, height) for every block, a pill size for every labelled loop.
Post: a ``Loop`` for every drawn edge from a block to itself; ``room_beside``
says how far the loops and their labels stand out of each block.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from svgarch.geometry import Box, Point
from svgarch.layout.types import Loop, Room
from svgarch.scene import Cubic, Line, ScenePath, Segment
from svgarch.shapes import DEFAULT, NORMALS, Shape

CLOCKWISE = {"right": Point(0, 1), "bottom": Point(-1, 0), "left": Point(0, -1), "top": Point(1, 0)}
SPAN = 24.0  # least distance between a loop's two ports
DEPTH = 24.0  # least distance from the side to a loop's apex
INSET = 14.0  # ports keep this far from a side's ends (its rounded corners)
NESTED_INSET = 6.0  # ... or this far, for a loop round another, which must be wider
NEST = 10.0  # a nested loop's ports lie this much further out, on each side, than the loop inside it
GAP = 6.0  # between a nested loop and the label inside it (more than a label keeps from other edges)
STEP = 2.0  # px between the sizes tried for a nested loop


def loop_sides(flow_vertical: bool, busy: Iterable[str] = ()) -> list[str]:
    """The sides a block's loops take in turn: the two the flow does not use first, free ones first."""
    preferred = ["right", "left", "bottom", "top"] if flow_vertical else ["top", "bottom", "right", "left"]
    taken = set(busy)
    return sorted(preferred, key=lambda side: (side in taken, preferred.index(side)))[:2]


def chosen_side(from_side: str, to_side: str) -> str:
    """The side the author chose for a loop (at either end), or "auto"."""
    return from_side if from_side != "auto" else to_side


def plan_loops(
    loops: Sequence[tuple[int, str, str]],
    sizes: dict[str, tuple[float, float]],
    shapes: dict[str, Shape],
    labels: dict[int, tuple[float, float]],
    flow_vertical: bool,
    busy: dict[str, set[str]] | None = None,
) -> dict[int, Loop]:
    """A ``Loop`` for each ``(drawn number, block, side)``, in order, on its side unless that is
    ``"auto"``: sides alternate, later loops nest. ``busy`` names the sides of a block other edges use."""
    out: dict[int, Loop] = {}
    on_side: dict[tuple[str, str], Loop] = {}  # the outermost loop so far on a block's side
    count: dict[str, int] = {}
    for number, block, side in loops:
        if side == "auto":
            index = count.get(block, 0)
            count[block] = index + 1
            side = loop_sides(flow_vertical, (busy or {}).get(block, ()))[index % 2]
        loop = Loop(side, 0.0, 0.0, labels.get(number, (0.0, 0.0)))
        inner = on_side.get((block, side))
        w, h = sizes[block]
        room = shapes.get(block, DEFAULT).loop_room(side, w, h, INSET if inner is None else NESTED_INSET, SPAN)
        if inner is None:
            span = min(room, max(SPAN, loop.along))
            loop = loop._replace(span=span, depth=max(DEPTH, span / 2), bulge=span / 2)
        else:
            span = min(room, inner.span + 2 * NEST)
            offset, depth, bulge = _around(inner, span / 2)
            loop = loop._replace(span=span, depth=depth, offset=offset, bulge=bulge)
        out[number] = on_side[(block, side)] = loop
    return out


def _around(inner: Loop, half_span: float) -> tuple[float, float, float]:
    """(offset, depth, bulge) of the smallest ellipse through ports ``half_span`` either side of
    the middle that holds ``inner`` and its label, ``GAP`` clear."""
    local = _local_points(inner)
    near, far = inner.depth, inner.depth + inner.across
    label = inner.along / 2
    # the loop inside a little clear, the label by GAP; near the side their ports keep the two loops apart
    points = [(x, abs(y) + GAP / 2) for x, y in local if x >= 2 * GAP]
    points += [(near, label + GAP), (far + GAP, label + GAP)]
    widest = max(y for _, y in points)
    best: tuple[float, float, float] | None = None
    bulge = half_span
    while (best is None or bulge < _size(best)) and bulge < half_span + 4 * widest:
        if bulge > widest:
            if bulge <= half_span + 1e-9:  # a half ellipse: square to the side at its ports
                a = max(x / math.sqrt(1 - (y / bulge) ** 2) for x, y in points)
                best = min(best or (0.0, math.inf, bulge), (0.0, a, bulge), key=_size)
            else:
                squeeze = math.sqrt(1 - (half_span / bulge) ** 2)  # offset / half-axis, from the ports
                offset = STEP
                while offset < far + 4 * bulge:
                    a = offset / squeeze
                    if all(((x - offset) / a) ** 2 + (y / bulge) ** 2 <= 1 for x, y in points):
                        candidate = (offset, offset + a, bulge)
                        best = min(best or candidate, candidate, key=_size)
                        break
                    offset += STEP
        bulge += STEP
    return best or (0.0, far + GAP, half_span)  # never: a wide enough ellipse always holds them


def _size(candidate: tuple[float, float, float]) -> float:
    """How big a nested loop looks: its depth plus its width."""
    return candidate[1] + candidate[2]


def _local_points(loop: Loop, steps: int = 16) -> list[tuple[float, float]]:
    """Points along ``loop`` as (distance out of the side, distance along it from its middle)."""
    a = loop.depth - loop.offset
    t0, t1 = _angles(loop.offset, a, loop.span / 2, loop.bulge)
    out = []
    for i in range(steps + 1):
        t = t0 + (t1 - t0) * i / steps
        out.append((loop.offset + a * math.cos(t), loop.bulge * math.sin(t)))
    return out


def _angles(offset: float, a: float, half_span: float, bulge: float) -> tuple[float, float]:
    """Parameters of the two ports on the ellipse: out at the first, back at the second."""
    if offset <= 1e-9 or bulge <= half_span + 1e-9:
        return -math.pi / 2, math.pi / 2
    back = math.atan2(half_span / bulge, -offset / a)
    return -back, back


def room_beside(plans: Iterable[tuple[str, Loop]], flow_vertical: bool) -> dict[str, Room]:
    """Per block with loops, the room they take (sides along the layer, labels across it)."""
    before_side, after_side = ("left", "right") if flow_vertical else ("top", "bottom")
    out: dict[str, Room] = {}
    for block, loop in plans:
        before, after, thickness = out.get(block, Room(0.0, 0.0, 0.0))
        if loop.side == before_side:
            before = max(before, loop.reach)
        elif loop.side == after_side:
            after = max(after, loop.reach)
        else:  # a side the author chose across the flow: in the gap between layers
            continue
        out[block] = Room(before, after, max(thickness, loop.along, 2 * loop.bulge))
    return out


def loop_box(box: Box, loop: Loop) -> Box:
    """Where the loop and its label lie beside ``box`` (as planned: before its ports are spread)."""
    out = NORMALS[loop.side]
    first, last = ports(box, loop)
    centre = Point((first.x + last.x) / 2, (first.y + last.y) / 2) + out.scale(loop.reach / 2)
    wide = max(loop.along, loop.span, 2 * loop.bulge)
    return Box.around(centre.x, centre.y, loop.reach if out.x else wide, wide if out.x else loop.reach)


def ports(box: Box, loop: Loop, aside: bool = False) -> tuple[Point, Point]:
    """Where the loop would leave and come back: around the middle of its side, clockwise; ``aside``
    (other edges end on that side too): both at the side's clockwise end, so that spreading the
    ports keeps the loop's two together there and leaves the others the rest."""
    middle = {
        "top": Point(box.cx, box.y),
        "bottom": Point(box.cx, box.bottom),
        "left": Point(box.x, box.cy),
        "right": Point(box.right, box.cy),
    }[loop.side]
    turn = CLOCKWISE[loop.side].scale(loop.span / 2)
    if aside:
        corner = middle + CLOCKWISE[loop.side].scale((box.h if loop.side in ("left", "right") else box.w) / 2)
        return corner - CLOCKWISE[loop.side].scale(0.01), corner
    return middle - turn, middle + turn


def loop_path(start: Point, end: Point, box: Box, shape: Shape, loop: Loop) -> ScenePath:
    """The loop from ``start`` round its apex to ``end`` (ports on ``loop.side`` of ``box``),
    begun and ended on the shape's outline."""
    out = NORMALS[loop.side]
    first, last = shape.on_outline(start, loop.side, box), shape.on_outline(end, loop.side, box)
    apex = Point((start.x + end.x) / 2, (start.y + end.y) / 2) + out.scale(loop.depth)
    half = (end - start).length() / 2
    if loop.offset <= 1e-9 or half >= loop.bulge - 1e-6:  # a half ellipse from outline to outline
        centre = Point((first.x + last.x) / 2, (first.y + last.y) / 2)
        a, b = (apex - centre).length(), (last - first).length() / 2
        along = (last - first).unit() if b > 1e-9 else CLOCKWISE[loop.side]
        return ScenePath(first, tuple(_arc(centre, out, along, a, b, -math.pi / 2, math.pi / 2)))
    middle = Point((start.x + end.x) / 2, (start.y + end.y) / 2)
    along = (end - start).unit() if half > 1e-9 else CLOCKWISE[loop.side]
    # the ports as spread may lie nearer than planned: the same depth and bulge, through them
    squeeze = math.sqrt(1 - (half / loop.bulge) ** 2)
    a = loop.depth / (1 + squeeze)
    t0, t1 = _angles(a * squeeze, a, half, loop.bulge)
    centre = middle + out.scale(a * squeeze)
    segments: list[Segment] = [] if (first - start).length() < 0.01 else [Line(start)]
    segments += _arc(centre, out, along, a, loop.bulge, t0, t1)
    if (last - end).length() >= 0.01:
        segments.append(Line(last))
    return ScenePath(first, tuple(segments))


def _arc(centre: Point, u: Point, v: Point, a: float, b: float, t0: float, t1: float) -> list[Segment]:
    """The arc of the ellipse ``centre + a cos t u + b sin t v`` from ``t0`` to ``t1``, as cubics."""
    pieces = max(1, math.ceil((t1 - t0) / (math.pi / 2) - 1e-9))
    step = (t1 - t0) / pieces
    k = 4 / 3 * math.tan(step / 4)

    def at(t: float) -> tuple[Point, Point]:
        point = centre + u.scale(a * math.cos(t)) + v.scale(b * math.sin(t))
        return point, u.scale(-a * math.sin(t)) + v.scale(b * math.cos(t))

    out: list[Segment] = []
    p, dp = at(t0)
    for i in range(1, pieces + 1):
        q, dq = at(t0 + step * i)
        out.append(Cubic(p + dp.scale(k), q - dq.scale(k), q))
        p, dp = q, dq
    return out


def label_centres(start: Point, end: Point, loop: Loop) -> tuple[Point, ...]:
    """Centres for the loop's label: just outside the apex, touching it; then, should something
    else be there, further out (never on the loop, which it would hide)."""
    out = NORMALS[loop.side]
    apex = Point((start.x + end.x) / 2, (start.y + end.y) / 2) + out.scale(loop.depth)
    return tuple(apex + out.scale(loop.across / 2 + away) for away in (0.0, 6.0, 12.0, 24.0))


__all__ = [
    "Loop",
    "Room",
    "chosen_side",
    "label_centres",
    "loop_box",
    "loop_path",
    "loop_sides",
    "plan_loops",
    "ports",
    "room_beside",
]
