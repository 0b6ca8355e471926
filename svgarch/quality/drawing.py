"""A drawing as the quality measures see it: boxes, polylines and label boxes.

Both svgarch's scenes and Graphviz's SVGs are turned into a :class:`Drawing`,
so every measure is taken with the same ruler on both. Coordinates are px as
a browser shows them (Graphviz's points are converted: 1 pt = 4/3 px).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from svgarch.geometry import Box, Point


class Node(NamedTuple):
    """A block: its id, its drawn box, its place in the description's order, and whether its
    author placed it (then its order is not the layout's to choose)."""

    id: str
    box: Box
    order: int
    pinned: bool = False


class DrawnEdge(NamedTuple):
    """One drawn edge: its ends' ids, its line as a polyline, where its head's tip is."""

    source: str
    target: str
    points: tuple[Point, ...]
    tip: Point | None  # the arrow head's tip (None: no head at the target)
    label: Box | None
    fan: int | None = None  # the description edge it was drawn for, when that edge fans out or in

    @property
    def end(self) -> Point:
        return self.tip if self.tip is not None else self.points[-1]


class Frame(NamedTuple):
    """A group's (a Graphviz cluster's) frame."""

    id: str
    box: Box


class Drawing(NamedTuple):
    nodes: tuple[Node, ...]
    edges: tuple[DrawnEdge, ...]
    frames: tuple[Frame, ...]
    title_size: float  # the block title's font size, px
    flow: str = ""  # the layout's direction (TB, BT, LR, RL) when known; else found from the edges

    def flow_axis(self) -> str:
        """``"y"`` when edges mostly run up or down (TB, BT), ``"x"`` when across (LR, RL)."""
        if self.flow:
            return "y" if self.flow in ("TB", "BT") else "x"
        by_id = {n.id: n.box for n in self.nodes}
        down = across = 0  # edges whose ends lie more apart up and down, or across
        for e in self.edges:
            a, b = by_id.get(e.source), by_id.get(e.target)
            if a is not None and b is not None and e.source != e.target:
                if abs(a.cy - b.cy) >= abs(a.cx - b.cx):
                    down += 1
                else:
                    across += 1
        return "y" if down >= across else "x"


def with_tips(points: Sequence[Point], heads: Iterable[Sequence[Point]]) -> tuple[tuple[Point, ...], Point | None]:
    """An edge's line lengthened to the tip of each arrow head (a head's point farthest from the line's
    end it sits at), and the tip at the line's end, if it has a head there."""
    line = list(points)
    start, end = line[0], line[-1]
    tip_end: Point | None = None
    for head in heads:
        if not head:
            continue
        near_end = min(math.dist(p, end) for p in head) <= min(math.dist(p, start) for p in head)
        tip = max(head, key=lambda p: math.dist(p, end if near_end else start))
        if near_end:
            tip_end = tip
            line = [*line, tip]
        else:
            line = [tip, *line]
    return tuple(line), tip_end
