"""Sides again for searched edges that turn back round a corner of their own block.

A searched edge leaves and enters by the sides ``ports.auto_sides`` picks from where its two blocks
stand. Where what lies between them (blocks, labels kept in a gap, row labels) leaves no way through,
the router's way may leave that side and turn at once round the block's corner, away from the other
end, to run down the block's far side. From the side it turns round to, the same way is shorter by a
lead-out and the run under the block, and reads as meant rather than as a wrong turn. ``round_corners``
names those ends and the sides they turn round to; ``edges.route_edges`` routes again from them and
keeps the new ways when they are shorter.

Pre: routed edges (their points as drawn, from port to port) and the sides they were routed from.
Post: for each edge with such an end, the pair of sides to route it from instead.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from svgarch.geometry import Box, Point
from svgarch.layout.types import RoutedEdge


def round_corners(
    routed: Sequence[RoutedEdge],
    sides: dict[int, tuple[str, str]],
    searched: set[int],
    boxes: dict[str, Box],
    reach: float,
) -> dict[int, tuple[str, str]]:
    """The searched edges (by drawn edge) with an end whose way turns round its block's corner, away
    from the other end, within ``reach`` of the side it leaves (enters); and the sides to take instead.
    An end the author gave a side keeps it."""
    out = {}
    for r in routed:
        d, n = r.drawn, r.drawn.number
        if n not in searched or d.source == d.target or len(r.points) < 3:
            continue
        a, b = boxes[d.source], boxes[d.target]
        fs, ts = sides[n]
        new_fs = _turned(r.points, a, fs, b, reach) if d.edge.from_side == "auto" else None
        new_ts = _turned(r.points[::-1], b, ts, a, reach) if d.edge.to_side == "auto" else None
        if new_fs or new_ts:
            out[n] = (new_fs or fs, new_ts or ts)
    return out


def _turned(points: Sequence[Point], box: Box, side: str, other: Box, reach: float) -> str | None:
    """The side of ``box`` round whose corner the way ``points`` (from a port on ``side``) turns before it
    is ``reach`` out from ``side``, where ``other`` lies the other way across; None if it turns no corner."""
    for p in points:
        out = {"top": box.y - p.y, "bottom": p.y - box.bottom, "left": box.x - p.x, "right": p.x - box.right}[side]
        if out > reach:
            return None
        if side in ("top", "bottom"):
            if p.x < box.x:
                return "left" if other.cx > box.cx else None
            if p.x > box.right:
                return "right" if other.cx < box.cx else None
        else:
            if p.y < box.y:
                return "top" if other.cy > box.cy else None
            if p.y > box.bottom:
                return "bottom" if other.cy < box.cy else None
    return None


def length(points: Sequence[Point]) -> float:
    return sum((q - p).length() for p, q in itertools.pairwise(points))
