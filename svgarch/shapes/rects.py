"""Rectangles: with round corners (``rounded``), square ones (``rect``), round ends (``pill``), and the
flowchart's ``document`` (a wavy bottom edge)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from svgarch.geometry import Box, Point, new
from svgarch.shapes.base import (
    PathCommand,
    Primitive,
    Shape,
    Size,
    arc_points,
    holds_in_box,
    replace,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar


class Rounded(Shape):
    """A rect with corners of ``rx = ry = radius``, each clamped to half the side as SVG does."""

    name: ClassVar[str] = "rounded"
    doc: ClassVar[str] = "a box with round corners (the default)"
    FIELDS: ClassVar[tuple[str, ...]] = ("depth", "radius")
    radius: float = 8.0  # base.css's --sa-radius; layout gives the theme's, a scene block its own (shape_of)

    def corner(self, box: Box) -> float:
        return self.radius

    def with_corners(self, radius: float) -> Shape:
        return self if radius == self.radius else replace(self, radius=radius)

    def holds(self, text: Box, box: Box, margin: float) -> bool:
        return holds_in_box(text, box, margin)  # the text's padding keeps it off the corners

    def outline(self, box: Box) -> tuple[Point, ...]:
        return rounded_rect(box, self.corner(box))

    def inset(self, p: Point, side: str, box: Box) -> float:
        # an elliptic corner of radii rx, ry, clamped to half the sides as SVG does (side_terms' arithmetic
        # without its record: every end of every edge comes here)
        vertical = side in ("top", "bottom")
        across, half_across = (p.x - box.cx, box.w / 2) if vertical else (p.y - box.cy, box.h / 2)
        radius = self.corner(box)
        rx, ry = min(radius, box.w / 2), min(radius, box.h / 2)
        r_across, r_along = (rx, ry) if vertical else (ry, rx)
        into_corner = abs(across) - (half_across - r_across)
        if into_corner > 0 and r_across > 0:
            return r_along * (1 - math.sqrt(max(0.0, 1 - min(into_corner / r_across, 1.0) ** 2)))
        return 0.0

    def primitives(self, box: Box) -> tuple[Primitive, ...]:
        attrs = (("x", box.x), ("y", box.y), ("width", box.w), ("height", box.h))
        radius = self.corner(box)
        # every field given (no path): without Record's __new__ (every block of the most common shape)
        return (new(Primitive, ("rect", "sa-shape", attrs + ((("rx", radius),) if radius else ()), ())),)

    def read(self, drawn: Sequence[Primitive]) -> tuple[Shape, Box] | None:
        first = drawn[0]
        if first.tag != "rect":
            return None
        box = Box(first.attr("x"), first.attr("y"), first.attr("width"), first.attr("height"))
        rx = first.attr("rx")
        return (self.with_corners(rx), box) if self._reads(rx, box) else None

    def _reads(self, rx: float, box: Box) -> bool:
        return rx != 0 and abs(rx - box.h / 2) >= 0.01


class Rect(Rounded):
    name: ClassVar[str] = "rect"
    doc: ClassVar[str] = "a box with square corners"
    radius: float = 0.0

    def corner(self, box: Box) -> float:
        return 0.0  # square whatever radius it is given

    def inset(self, p: Point, side: str, box: Box) -> float:
        return 0.0

    def _reads(self, rx: float, box: Box) -> bool:
        return rx == 0


class Pill(Rounded):
    name: ClassVar[str] = "pill"
    doc: ClassVar[str] = "round ends, as wide as it is tall at least"

    def corner(self, box: Box) -> float:
        return box.h / 2

    def size(self, text_w: float, text_h: float, pad_x: float, pad_y: float, min_w: float, min_h: float) -> Size:
        # round ends of radius h / 2 (SVG clamps a larger radius into an ellipse)
        h = max(text_h + 2 * pad_y, min_h)
        return max(text_w + 2 * pad_x + h / 2, min_w, h), h

    def ports_need(self, spread: float, inset: float, w: float, h: float, vertical: bool) -> float:
        return spread + 2 * inset + h if vertical else spread + 2 * inset  # clear of the round ends too

    def loop_room(self, side: str, w: float, h: float, inset: float, span: float) -> float:
        if side in ("top", "bottom"):
            return max(w - h, min(span, w / 2))  # the flat part
        return super().loop_room(side, w, h, inset, span)

    def _reads(self, rx: float, box: Box) -> bool:
        return rx != 0 and abs(rx - box.h / 2) < 0.01


WAVE = 0.08  # a document's wave: its depth either side of the mean bottom line, as a share of the height ...
WAVE_MAX = 6.0  # ... and at most this many px
# The wave is one cubic whose control points are a third of the width apart, so y is a cubic of x:
# y = b0 + 3 k t (1 - t) (2 t - 1), t = (right - x) / w, whose extremes are ±k / (2 √3).
_WAVE_K = 2 * math.sqrt(3)
_WAVE_STEPS = 32


class Document(Shape):
    """The flowchart's document: a rect whose bottom edge is one wave, low at the left, high at the right."""

    name: ClassVar[str] = "document"
    doc: ClassVar[str] = "a page with a wavy bottom edge (flowchart: a document)"

    @staticmethod
    def wave(h: float) -> float:
        return min(h * WAVE, WAVE_MAX)

    def size(self, text_w: float, text_h: float, pad_x: float, pad_y: float, min_w: float, min_h: float) -> Size:
        body = text_h + 2 * pad_y  # the text's room above the wave's highest point, 2 × wave
        h = min(body / (1 - 2 * WAVE), body + 2 * WAVE_MAX)
        return max(text_w + 2 * pad_x, min_w), max(h, min_h)

    def text_offset(self, box: Box) -> Point:
        return Point(0.0, -self.wave(box.h))

    def holds(self, text: Box, box: Box, margin: float) -> bool:
        return holds_in_box(text, Box(box.x, box.y, box.w, box.h - 2 * self.wave(box.h)), margin)

    def _bottom(self, box: Box) -> tuple[Point, Point, Point, Point]:
        """The wave's cubic, from the right end to the left."""
        a = self.wave(box.h)
        b0, k = box.bottom - a, _WAVE_K * a
        return (
            Point(box.right, b0),
            Point(box.right - box.w / 3, b0 - k),
            Point(box.right - 2 * box.w / 3, b0 + k),
            Point(box.x, b0),
        )

    def outline(self, box: Box) -> tuple[Point, ...]:
        p0 = self._bottom(box)[0]
        a = self.wave(box.h)
        wave = []
        for i in range(_WAVE_STEPS + 1):
            t = i / _WAVE_STEPS
            wave.append(Point(p0.x - box.w * t, p0.y + 3 * _WAVE_K * a * t * (1 - t) * (2 * t - 1)))
        return (Point(box.x, box.y), Point(box.right, box.y), *wave)

    def primitives(self, box: Box) -> tuple[Primitive, ...]:
        p0, c1, c2, p3 = self._bottom(box)
        path: tuple[PathCommand, ...] = (
            ("M", (box.x, box.y)),
            ("L", (box.right, box.y)),
            ("L", tuple(p0)),
            ("C", (*c1, *c2, *p3)),
            ("Z", ()),
        )
        return (Primitive("path", "sa-shape", path=path),)

    def read(self, drawn: Sequence[Primitive]) -> tuple[Shape, Box] | None:
        first = drawn[0]
        if first.tag != "path" or [c for c, _ in first.path] != ["M", "L", "L", "C", "Z"]:
            return None
        top_left, top_right, p0 = first.ends()[:3]
        a = (p0.y - first.path[3][1][1]) / _WAVE_K  # the first control point lies k = 2 √3 a above the mean line
        return self, Box(top_left.x, top_left.y, top_right.x - top_left.x, p0.y + a - top_left.y)

    def loop_room(self, side: str, w: float, h: float, inset: float, span: float) -> float:
        return w / 2 if side == "bottom" else super().loop_room(side, w, h, inset, span)


def rounded_rect(box: Box, radius: float) -> tuple[Point, ...]:
    """A rect with corners of ``rx = ry = radius``, each clamped to half the side as SVG does."""
    rx, ry = min(radius, box.w / 2), min(radius, box.h / 2)
    if rx <= 0 or ry <= 0:
        return (Point(box.x, box.y), Point(box.right, box.y), Point(box.right, box.bottom), Point(box.x, box.bottom))
    corners = (
        (Point(box.right - rx, box.bottom - ry), 0),
        (Point(box.x + rx, box.bottom - ry), 1),
        (Point(box.x + rx, box.y + ry), 2),
        (Point(box.right - rx, box.y + ry), 3),
    )
    return tuple(p for centre, q in corners for p in arc_points(centre, rx, ry, q, q + 1))


__all__ = ["Document", "Pill", "Rect", "Rounded", "rounded_rect"]
