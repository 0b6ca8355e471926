"""Round shapes: ``circle`` and ``ellipse``, drawn about their box's centre."""

from __future__ import annotations

import math
from collections.abc import Sequence

from svgarch.geometry import Box, Point, points_box
from svgarch.shapes.base import Primitive, Shape, Size, arc_points, side_terms

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar


class Ellipse(Shape):
    name: ClassVar[str] = "ellipse"
    doc: ClassVar[str] = "an ellipse round the text"
    stretches: ClassVar[bool] = False
    port_reach: ClassVar[float] = 0.85  # ends converge on the round outline (up to ±58° from the side's middle)

    def size(self, text_w: float, text_h: float, pad_x: float, pad_y: float, min_w: float, min_h: float) -> Size:
        # the text's corners on an ellipse √2 times the padded text
        return max((text_w + pad_x) * math.sqrt(2), min_w), max((text_h + pad_y) * math.sqrt(2), min_h)

    def holds(self, text: Box, box: Box, margin: float) -> bool:
        drawn = self.drawn_box(box)
        cx, cy, rx, ry = drawn.cx, drawn.cy, drawn.w / 2, drawn.h / 2
        corners = (Point(text.x, text.y), Point(text.right, text.y), Point(text.right, text.bottom))
        return all(
            ((p.x - cx) / rx) ** 2 + ((p.y - cy) / ry) ** 2 <= 1 + 1e-6 for p in (*corners, Point(text.x, text.bottom))
        )

    def outline(self, box: Box) -> tuple[Point, ...]:
        return arc_points(Point(box.cx, box.cy), box.w / 2, box.h / 2, 0, 4)

    def inset(self, p: Point, side: str, box: Box) -> float:
        s = side_terms(p, side, box)
        return s.half_along * (1 - math.sqrt(max(0.0, 1 - s.t * s.t)))

    def ports_need(self, spread: float, inset: float, w: float, h: float, vertical: bool) -> float:
        return spread * 1.4 + 2 * inset  # ports toward the ends sit on slopes

    def loop_room(self, side: str, w: float, h: float, inset: float, span: float) -> float:
        return (h if side in ("left", "right") else w) / 2  # near the middle, where it is nearly square to the side

    def primitives(self, box: Box) -> tuple[Primitive, ...]:
        return (
            Primitive("ellipse", "sa-shape", (("cx", box.cx), ("cy", box.cy), ("rx", box.w / 2), ("ry", box.h / 2))),
        )

    def read(self, drawn: Sequence[Primitive]) -> tuple[Shape, Box] | None:
        first = drawn[0]
        if first.tag != "ellipse":
            return None
        cx, cy, rx, ry = (first.attr(k) for k in ("cx", "cy", "rx", "ry"))
        return self, Box(cx - rx, cy - ry, 2 * rx, 2 * ry)


class Circle(Ellipse):
    """A circle of radius ``w / 2`` about the box's centre (its box is square unless an author forced it not)."""

    name: ClassVar[str] = "circle"
    doc: ClassVar[str] = "a circle round the text"

    def size(self, text_w: float, text_h: float, pad_x: float, pad_y: float, min_w: float, min_h: float) -> Size:
        d = max(math.hypot(text_w, text_h) + pad_y * 2, 2 * pad_y + text_h, min_w, min_h)
        return d, d

    def outline(self, box: Box) -> tuple[Point, ...]:
        return arc_points(Point(box.cx, box.cy), box.w / 2, box.w / 2, 0, 4)

    def drawn_box(self, box: Box) -> Box:
        return points_box(self.outline(box))

    def widened(self, w: float, h: float, need: float, vertical: bool) -> Size:
        return need, need  # it stays round

    def primitives(self, box: Box) -> tuple[Primitive, ...]:
        return (Primitive("circle", "sa-shape", (("cx", box.cx), ("cy", box.cy), ("r", box.w / 2))),)

    def read(self, drawn: Sequence[Primitive]) -> tuple[Shape, Box] | None:
        first = drawn[0]
        if first.tag != "circle":
            return None
        cx, cy, r = (first.attr(k) for k in ("cx", "cy", "r"))
        return self, Box(cx - r, cy - r, 2 * r, 2 * r)
