"""Sides across the flow: a guided edge of a big picture between neighbouring layers whose other end lies
mostly across the flow is drawn as an L out of (into) the side facing its other end, not as an S through the
layer gap, where that L is clear (``ports.across_sides`` gives the sides); or, better, as a straight line
between the two sides that face each other across the flow (``ports.facing_sides``), where that line is
clear, no steeper than a taut edge's legs, and no other edge ends on those sides.

Pre: blocks placed, guides' flow sides known. Post: the edges to search with other sides, by drawn edge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from svgarch.geometry import Box, Point
from svgarch.layout import direct
from svgarch.layout.ports import across_sides, facing_sides
from svgarch.layout.types import DrawnEdge, EdgeStyle, Guide, Loop


def turned_across(
    drawn: Sequence[DrawnEdge],
    guides: dict[int, Guide],
    beside: dict[int, str],
    blocks: dict[str, Box],
    extra_obstacles: Sequence[Box],
    reserved: dict[int, Box],
    loops: dict[int, Loop],
    style: EdgeStyle,
    taut: bool,
) -> dict[int, tuple[str, str]]:
    """Guided edges of a big picture between neighbouring layers whose other end lies mostly across the
    flow, with the sides of an L instead (``ports.across_sides``): searched, not drawn as an S through the
    layer gap. Not one that pulled taut runs straight anyway (``_straight``), nor an edge with a label (it
    sits on the S), nor a merge node's side input, nor a group end; nor an L an S from the same side would
    cross (``_outer``)."""
    lead = style.margin + 2 + style.head_length * 0.7
    inflated = {k: b.inflate(style.margin) for k, b in blocks.items()}
    furniture = [o.inflate(style.margin / 2) for o in (*extra_obstacles, *(reserved[n] for n in sorted(reserved)))]
    if not taut:
        return {}  # a small picture keeps its S-curves, which read as intended there
    clear = direct.Obstacles([(k, b) for k, b in sorted(inflated.items())] + [("", o) for o in furniture])
    out: dict[int, tuple[str, str]] = {}
    lines: dict[int, tuple[str, str]] = {}
    for n in sorted(guides):
        guide, d = guides[n], drawn[n]
        if guide.search or n in beside or n in reserved or n in loops or d.edge.label:
            continue
        if d.source not in blocks or d.target not in blocks or d.source == d.target:
            continue
        if not _neighbours(blocks[d.source], blocks[d.target], blocks, style.flow_vertical):
            continue  # through a layer between: its gates keep it clear of that layer's blocks
        others = [b for k, b in sorted(inflated.items()) if k not in (d.source, d.target)] + furniture
        pair = across_sides(blocks[d.source], blocks[d.target], guide.sides, lead, others)
        skip = frozenset({d.source, d.target})
        if _straight(blocks[d.source], blocks[d.target], guide.sides, style.port_inset, clear, skip):
            continue  # pulled taut, it runs straight as it is
        facing = facing_sides(blocks[d.source], blocks[d.target], guide.sides)
        if facing is not None and _straight(blocks[d.source], blocks[d.target], facing, style.port_inset, clear, skip):
            lines[n] = facing  # straight between the sides that face each other: no bend at all
        if pair is not None:
            out[n] = pair
    _alone(lines, out, drawn, guides)
    # an L from a block is crossed by an S from that side to a block farther across: both keep their S
    changed = True
    while changed:
        changed = False
        for n in sorted(out):
            turned = {end for end in (0, 1) if out[n][end] != guides[n].sides[end]}
            if any(_outer(drawn[n], turned, drawn[m], guides[m].sides, blocks) for m in sorted(guides) if m not in out):
                del out[n]
                changed = True
    return out


def _alone(
    lines: dict[int, tuple[str, str]],
    out: dict[int, tuple[str, str]],
    drawn: Sequence[DrawnEdge],
    guides: dict[int, Guide],
) -> None:
    """``out`` given the sides of a straight line (``lines``) where no other guided edge ends on either
    of those sides (as ``out`` turns it, or on its flow side): lines and Ls sharing a side would cross."""
    used: dict[tuple[str, str], int] = {}
    for n in sorted(guides):
        fs, ts = lines.get(n, out.get(n, guides[n].sides))
        for key in ((drawn[n].source, fs), (drawn[n].target, ts)):
            used[key] = used.get(key, 0) + 1
    for n, (fs, ts) in sorted(lines.items()):
        if used[(drawn[n].source, fs)] == 1 and used[(drawn[n].target, ts)] == 1:
            out[n] = (fs, ts)


def _outer(d: DrawnEdge, turned: set[int], other: DrawnEdge, sides: tuple[str, str], blocks: dict[str, Box]) -> bool:
    """Whether ``other`` (kept on its flow sides) shares a block and its flow side with an end of ``d`` that
    ``turned`` off that side (0 start, 1 end) and runs farther across the flow the same way from it, so that
    ``d``'s L would cross it."""
    if other.number == d.number or other.source not in blocks or other.target not in blocks:
        return False
    across_x = sides[0] in ("left", "right")  # the flow runs along x: across is y
    for own, far in ((d.source, d.target), (d.target, d.source)):
        if own not in (other.source, other.target) or (0 if own == d.source else 1) not in turned:
            continue
        far_other = other.target if other.source == own else other.source
        if (own == d.source) != (own == other.source):
            continue  # one leaves and one enters ``own``: different sides
        c, f, g = (blocks[own].cy, blocks[far].cy, blocks[far_other].cy) if across_x else (
            blocks[own].cx, blocks[far].cx, blocks[far_other].cx)
        if (f - c) * (g - c) > 0 and abs(g - c) > abs(f - c):
            return True
    return False


STEEP = math.sqrt(1 - direct.LEAST_COS**2) / direct.LEAST_COS  # the steepest first or last leg a taut edge takes


def _straight(
    a: Box, b: Box, sides: tuple[str, str], inset: float, clear: direct.Obstacles, skip: frozenset[str]
) -> bool:
    """Whether a straight line between ``a``'s and ``b``'s flow sides, from the ports nearest each other,
    leaves and arrives no steeper than a taut edge may (``STEEP``) and enters no obstacle."""
    fs, ts = sides

    def port(box: Box, side: str, toward: Box) -> Point:
        if side in ("left", "right"):
            lo, hi = box.y + min(inset, box.h / 4), box.bottom - min(inset, box.h / 4)
            return Point(box.x if side == "left" else box.right, min(max(toward.cy, lo), hi))
        lo, hi = box.x + min(inset, box.w / 4), box.right - min(inset, box.w / 4)
        return Point(min(max(toward.cx, lo), hi), box.y if side == "top" else box.bottom)

    p, q = port(a, fs, b), port(b, ts, a)
    along, across = (abs(q.x - p.x), abs(q.y - p.y)) if fs in ("left", "right") else (abs(q.y - p.y), abs(q.x - p.x))
    return across <= STEEP * along and not clear.blocked(p, q, skip)


def _neighbours(a: Box, b: Box, blocks: dict[str, Box], flow_vertical: bool) -> bool:
    """Whether no block's middle lies in the gap between ``a`` and ``b`` along the flow (neighbouring layers)."""
    if flow_vertical:
        lo, hi = min(a.bottom, b.bottom), max(a.y, b.y)
        return not any(lo < box.cy < hi for box in blocks.values())
    lo, hi = min(a.right, b.right), max(a.x, b.x)
    return not any(lo < box.cx < hi for box in blocks.values())
