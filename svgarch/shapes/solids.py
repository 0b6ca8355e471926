"""Solids drawn in a simple oblique view: a ``cylinder`` (a store) and a ``box3d`` (a tensor block as
PlotNeuralNet draws it: a front face with top and side faces reaching back ``depth`` px up and right)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from svgarch.geometry import Box, Point, points_box
from svgarch.shapes.base import (
    CssRule,
    PathCommand,
    PolygonShape,
    Primitive,
    Shape,
    Size,
    arc_points,
    holds_in_box,
    polygon_path,
    replace,
    side_terms,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar


def cylinder_cap(width: float) -> float:
    """Height of a cylinder's elliptic cap (half of it: the ellipse's ry) for a given width."""
    return min(12.0, width * 0.08)


class Cylinder(Shape):
    """A body with an elliptic cap on top and an elliptic bottom; the cap is drawn again over the body."""

    name: ClassVar[str] = "cylinder"
    doc: ClassVar[str] = "a drum with an elliptic cap (a store, a database)"

    def size(self, text_w: float, text_h: float, pad_x: float, pad_y: float, min_w: float, min_h: float) -> Size:
        w = max(text_w + 2 * pad_x, min_w)
        return w, max(text_h + 2 * pad_y + 2 * cylinder_cap(w), min_h)

    def text_offset(self, box: Box) -> Point:
        return Point(0.0, cylinder_cap(box.w) / 2)  # centred in the body below the cap

    def holds(self, text: Box, box: Box, margin: float) -> bool:
        return holds_in_box(text, box, margin)

    def outline(self, box: Box) -> tuple[Point, ...]:
        c = cylinder_cap(box.w)
        bottom = arc_points(Point(box.cx, box.bottom - c), box.w / 2, c, 0, 2)  # right, down round to left
        top = arc_points(Point(box.cx, box.y + c), box.w / 2, c, 2, 4)  # left, up round to right
        return bottom + top

    def inset(self, p: Point, side: str, box: Box) -> float:
        s = side_terms(p, side, box)
        cap = cylinder_cap(box.w)
        if s.vertical:
            return cap * (1 - math.sqrt(max(0.0, 1 - s.t * s.t)))  # the outer halves of the caps
        # a side port level with a cap (close to a corner) ends on the cap's curve
        beyond = max(box.y + cap - p.y, p.y - (box.bottom - cap), 0.0)
        return box.w / 2 * (1 - math.sqrt(max(0.0, 1 - (beyond / cap) ** 2))) if cap > 0 else 0.0

    def primitives(self, box: Box) -> tuple[Primitive, ...]:
        c = cylinder_cap(box.w)
        rx = box.w / 2
        body: tuple[PathCommand, ...] = (
            ("M", (box.x, box.y + c)),
            ("A", (rx, c, 0, 0, 1, box.right, box.y + c)),
            ("V", (box.bottom - c,)),
            ("A", (rx, c, 0, 0, 1, box.x, box.bottom - c)),
            ("Z", ()),
        )
        cap: tuple[PathCommand, ...] = (("M", (box.x, box.y + c)), ("A", (rx, c, 0, 0, 0, box.right, box.y + c)))
        return Primitive("path", "sa-shape", path=body), Primitive("path", "sa-shape sa-cap", path=cap)

    def read(self, drawn: Sequence[Primitive]) -> tuple[Shape, Box] | None:
        first = drawn[0]
        arcs = [args for c, args in first.path if c == "A"]
        if first.tag != "path" or not arcs:
            return None
        body = points_box(first.ends())  # the arcs' ends lie where the caps meet the sides
        cap = arcs[0][1]
        return self, Box(body.x, body.y - cap, body.w, body.h + 2 * cap)


DEPTH = 12.0  # a 3-D box's default depth, px
FACE_EDGES = (("stroke", "var(--sa-block-stroke)"), ("stroke-width", "1px"), ("stroke-linejoin", "round"))


class Box3D(PolygonShape):
    """The block's box holds the whole solid: the front face at its bottom left, the top face above it and the
    side face right of it, each ``depth`` deep (at most half the box)."""

    name: ClassVar[str] = "box3d"
    doc: ClassVar[str] = "a 3-D box (a tensor block) whose top and side faces reach `depth` px back"
    corners: ClassVar[int] = 6
    # The faces are drawn over the block's own fill: a translucent black shades them in any kind's colour.
    css: ClassVar[tuple[CssRule, ...]] = tuple(
        (face, (("fill", "#000000"), ("fill-opacity", shade), *FACE_EDGES))
        for face, shade in ((".sa-shape-top", "0.18"), (".sa-shape-side", "0.36"))
    )
    depth: float = DEPTH

    def _d(self, box: Box) -> float:
        return min(self.depth, box.w / 2, box.h / 2)

    def size(self, text_w: float, text_h: float, pad_x: float, pad_y: float, min_w: float, min_h: float) -> Size:
        return max(text_w + 2 * pad_x + self.depth, min_w), max(text_h + 2 * pad_y + self.depth, min_h)

    def front(self, box: Box) -> Box:
        d = self._d(box)
        return Box(box.x, box.y + d, box.w - d, box.h - d)

    def text_offset(self, box: Box) -> Point:
        d = self._d(box)
        return Point(-d / 2, d / 2)  # centred on the front face

    def holds(self, text: Box, box: Box, margin: float) -> bool:
        return holds_in_box(text, self.front(box), margin)

    def vertices(self, box: Box) -> tuple[Point, ...]:
        d = self._d(box)
        x0, y0, x1, y1 = box.x, box.y, box.right, box.bottom
        return (
            Point(x0, y0 + d),
            Point(x0 + d, y0),
            Point(x1, y0),
            Point(x1, y1 - d),
            Point(x1 - d, y1),
            Point(x0, y1),
        )

    def primitives(self, box: Box) -> tuple[Primitive, ...]:
        d = self._d(box)
        x0, y0, x1, y1 = box.x, box.y, box.right, box.bottom
        top = (Point(x0, y0 + d), Point(x0 + d, y0), Point(x1, y0), Point(x1 - d, y0 + d))
        side = (Point(x1 - d, y0 + d), Point(x1, y0), Point(x1, y1 - d), Point(x1 - d, y1))
        return (
            Primitive("path", "sa-shape", path=polygon_path(self.vertices(box))),
            Primitive("path", "sa-shape-top", path=polygon_path(top)),
            Primitive("path", "sa-shape-side", path=polygon_path(side)),
        )

    def read(self, drawn: Sequence[Primitive]) -> tuple[Shape, Box] | None:
        if len(drawn) != 3 or drawn[1].cls != "sa-shape-top":
            return None
        outline = drawn[0].ends()
        box = points_box(outline)
        return replace(self, depth=outline[0].y - box.y), box
