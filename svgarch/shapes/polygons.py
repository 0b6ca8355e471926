"""Shapes with straight sides: ``diamond`` (a decision), ``hexagon`` (preparation) and ``parallelogram``
(input/output), each one closed path."""

from __future__ import annotations

import math

from svgarch.geometry import Box, Point
from svgarch.shapes.base import PolygonShape, Size, side_terms

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar


class Diamond(PolygonShape):
    name: ClassVar[str] = "diamond"
    doc: ClassVar[str] = "a rhombus touching the middle of each side of its box (flowchart: a decision)"
    stretches: ClassVar[bool] = False
    corners: ClassVar[int] = 4
    port_reach: ClassVar[float] = 0.85  # ends converge toward the points

    def size(self, text_w: float, text_h: float, pad_x: float, pad_y: float, min_w: float, min_h: float) -> Size:
        # the text's corners on the slopes: twice the padded text each way
        return max(2 * text_w + 2 * pad_x, min_w), max(2 * text_h + 2 * pad_y, min_h)

    def vertices(self, box: Box) -> tuple[Point, ...]:
        return (Point(box.cx, box.y), Point(box.right, box.cy), Point(box.cx, box.bottom), Point(box.x, box.cy))

    def holds(self, text: Box, box: Box, margin: float) -> bool:
        cx, cy, rx, ry = box.cx, box.cy, box.w / 2, box.h / 2
        corners = (Point(text.x, text.y), Point(text.right, text.y), Point(text.right, text.bottom))
        return all(abs(p.x - cx) / rx + abs(p.y - cy) / ry <= 1 + 1e-6 for p in (*corners, Point(text.x, text.bottom)))

    def inset(self, p: Point, side: str, box: Box) -> float:
        s = side_terms(p, side, box)
        return s.half_along * s.t

    def ports_need(self, spread: float, inset: float, w: float, h: float, vertical: bool) -> float:
        return spread * 1.4 + 2 * inset  # ports toward the ends sit on slopes

    def loop_room(self, side: str, w: float, h: float, inset: float, span: float) -> float:
        return (h if side in ("left", "right") else w) / 2  # near the point, where the edge is most nearly square


HEXAGON_SLANT = 1 / (
    2 * math.sqrt(3)
)  # a point's depth per unit of height: the sides meet at 120°, as a regular hexagon


class Hexagon(PolygonShape):
    """Flat top and bottom, a point at the middle of the left and right sides."""

    name: ClassVar[str] = "hexagon"
    doc: ClassVar[str] = "flat top and bottom, pointed left and right ends (flowchart: preparation)"
    corners: ClassVar[int] = 6

    @staticmethod
    def slant(w: float, h: float) -> float:
        return min(h * HEXAGON_SLANT, w / 4)

    def size(self, text_w: float, text_h: float, pad_x: float, pad_y: float, min_w: float, min_h: float) -> Size:
        h = max(text_h + 2 * pad_y, min_h)
        # at the text's top and bottom lines each slope has come in by slant × text_h / h
        return max(text_w + 2 * pad_x + 2 * HEXAGON_SLANT * text_h, min_w), h

    def vertices(self, box: Box) -> tuple[Point, ...]:
        s = self.slant(box.w, box.h)
        x0, x1, y0, y1 = box.x, box.right, box.y, box.bottom
        return (
            Point(x0 + s, y0),
            Point(x1 - s, y0),
            Point(x1, box.cy),
            Point(x1 - s, y1),
            Point(x0 + s, y1),
            Point(x0, box.cy),
        )

    def ports_need(self, spread: float, inset: float, w: float, h: float, vertical: bool) -> float:
        if vertical:  # on the flat top and bottom, clear of the slopes
            return spread + 2 * inset + 2 * h * HEXAGON_SLANT
        return spread * 1.4 + 2 * inset  # on the pointed ends: toward the ends they sit on slopes

    def loop_room(self, side: str, w: float, h: float, inset: float, span: float) -> float:
        if side in ("top", "bottom"):
            flat = w - 2 * self.slant(w, h)
            return flat - 2 * min(inset, flat / 4)
        return h / 2


PARALLELOGRAM_SLANT = 0.35  # how far the top is shifted right of the bottom, as a share of the height


class Parallelogram(PolygonShape):
    """Its top shifted right of its bottom: sides leaning right."""

    name: ClassVar[str] = "parallelogram"
    doc: ClassVar[str] = "sides leaning to the right (flowchart: input / output)"
    corners: ClassVar[int] = 4

    @staticmethod
    def slant(w: float, h: float) -> float:
        return min(h * PARALLELOGRAM_SLANT, w / 4)

    def size(self, text_w: float, text_h: float, pad_x: float, pad_y: float, min_w: float, min_h: float) -> Size:
        h = max(text_h + 2 * pad_y, min_h)
        # at the text's top line the left side is slant × (h + text_h) / 2h in; the right side likewise below
        return max(text_w + 2 * pad_x + PARALLELOGRAM_SLANT * (h + text_h), min_w), h

    def vertices(self, box: Box) -> tuple[Point, ...]:
        s = self.slant(box.w, box.h)
        return (
            Point(box.x + s, box.y),
            Point(box.right, box.y),
            Point(box.right - s, box.bottom),
            Point(box.x, box.bottom),
        )

    def ports_need(self, spread: float, inset: float, w: float, h: float, vertical: bool) -> float:
        return spread + 2 * inset + (2 * h * PARALLELOGRAM_SLANT if vertical else 0.0)  # clear of the slanted ends

    def loop_room(self, side: str, w: float, h: float, inset: float, span: float) -> float:
        if side in ("top", "bottom"):
            flat = w - 2 * self.slant(w, h)  # the middle of the side: over the flat part either way
            return flat - 2 * min(inset, flat / 4)
        return h / 2
