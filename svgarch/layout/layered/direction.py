"""Phase 0 and 6 — work top to bottom whatever the requested direction.

As dot's ``rankdir`` and dagre's coordinate-system step: the phases always
lay out top to bottom; ``run`` gives each node its extent along a layer
(breadth) and across it (thickness), and ``undo`` maps a top-to-bottom point
back. For LR and RL a node's thickness is its width.

Pre (``undo``): a point of a top-to-bottom layout whose bounding box is
``(0, 0) .. (breadth_extent, rank_extent)``.
Post: the same point in the requested direction, within the swapped box.
"""

from __future__ import annotations

from collections.abc import Sequence

from .graph import LayeredNode, Point

__all__ = ["DIRECTIONS", "run", "undo"]

DIRECTIONS = ("TB", "BT", "LR", "RL")


def run(nodes: Sequence[LayeredNode], direction: str) -> tuple[list[float], list[float]]:
    """(breadth, thickness) of every node for a top-to-bottom layout."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    widths = [float(node.width) for node in nodes]
    heights = [float(node.height) for node in nodes]
    return (widths, heights) if direction in ("TB", "BT") else (heights, widths)


def undo(point: Point, rank_extent: float, direction: str) -> Point:
    """Map a top-to-bottom point (x along the layer, y down the layers)."""
    along, down = point
    if direction == "TB":
        return (along, down)
    if direction == "BT":
        return (along, rank_extent - down)
    if direction == "LR":
        return (down, along)
    return (rank_extent - down, along)
