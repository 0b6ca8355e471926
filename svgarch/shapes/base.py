"""What every block shape knows, and the defaults most shapes share.

A shape is drawn from its block's box (the box layout places, edge to edge
of what is drawn) and answers, from that box alone: how big a box its text
needs, where the text goes, its outline as a polygon (for ``svgarch check``
and for ports), how far in from a side of the box that outline lies (where
an edge ends), the SVG elements that draw it, and how to read those back.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from svgarch.geometry import Box, Point, new, points_box
from svgarch.outline import signed_distance
from svgarch.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar, TypeVar

ARC_STEPS = 16  # polygon vertices per quarter of an ellipse (error < 0.25 px up to r = 200)
ALONG_REACH = 12.0  # px beyond the square way an edge's end leg may run on inside the box to reach the outline

# Outward unit normals of a box's sides; ports and routes share them.
NORMALS = {"right": Point(1, 0), "bottom": Point(0, 1), "left": Point(-1, 0), "top": Point(0, -1)}
_CENTRE = Point(0.0, 0.0)  # the text offset of most shapes (an immutable value: one for all)

PathCommand = tuple[
    str, tuple[float, ...]
]  # an absolute SVG path command and its numbers: ("A", (rx, ry, 0, 0, 1, x, y))
Size = tuple[float, float]  # width, height
CssRule = tuple[str, tuple[tuple[str, str], ...]]  # a selector and its declarations


class Primitive(Record):
    """One SVG element of a drawn shape, as numbers: the renderer writes it, the SVG reader reads it back."""

    tag: str  # "rect", "circle", "ellipse" or "path"
    cls: str  # its class attribute: "sa-shape" (with more classes) or "sa-shape-<part>", so a reader finds it
    attrs: tuple[tuple[str, float], ...] = ()  # geometric attributes (not for a path)
    path: tuple[PathCommand, ...] = ()  # a path's commands

    def ends(self) -> list[Point]:
        """The end point of each command of a path (``Z`` repeats none)."""
        out: list[Point] = []
        cur = Point(0.0, 0.0)
        for cmd, args in self.path:
            if cmd == "H":
                cur = Point(args[0], cur.y)
            elif cmd == "V":
                cur = Point(cur.x, args[0])
            elif args:
                cur = Point(args[-2], args[-1])
            else:
                continue
            out.append(cur)
        return out

    def attr(self, name: str) -> float:
        return dict(self.attrs).get(name, 0.0)


def polygon_path(points: Sequence[Point]) -> tuple[PathCommand, ...]:
    """A closed path through ``points``."""
    first, *rest = points
    return (("M", tuple(first)), *(("L", tuple(p)) for p in rest), ("Z", ()))


def arc_points(centre: Point, rx: float, ry: float, q0: int, q1: int, steps: int = ARC_STEPS) -> tuple[Point, ...]:
    """Points of an ellipse from quarter ``q0`` to ``q1`` (0 = +x, turning toward +y: clockwise on screen);
    both ends included unless it is the whole ellipse."""
    n = (q1 - q0) * steps
    last = n if q1 - q0 == 4 else n + 1
    return tuple(
        Point(centre.x + rx * math.cos(a), centre.y + ry * math.sin(a))
        for a in (math.pi / 2 * (q0 + i / steps) for i in range(last))
    )


class Shape:
    """A block's outline. Subclasses are one shape each; the instance in ``SHAPES`` holds the defaults.

    Every method takes the block's box: the one layout placed, whose edges
    touch what is drawn (a circle in a box that is not square is the one
    exception: it is drawn about the box's centre, ``w / 2`` round).

    A shape is a frozen record of its ``FIELDS`` (keyword arguments, defaults on the class), equal and
    hashed by them, changed only by ``replace``: what ``@dataclass(frozen=True)`` gave it, without
    importing ``dataclasses`` (and ``inspect``) and generating code for 12 classes on every start.
    """

    FIELDS: ClassVar[tuple[str, ...]] = ("depth",)  # a subclass with fields of its own names them all

    name: ClassVar[str] = ""
    doc: ClassVar[str] = ""  # one line for the format's documentation
    stretches: ClassVar[bool] = True  # a grid may widen it to fill its cells (its top and bottom are flat)
    css: ClassVar[tuple[CssRule, ...]] = ()  # rules the stylesheet carries when a block of this shape is drawn
    depth: float = 0.0  # how far a solid's faces reach back (a 3-D box); 0 for a flat shape
    # A small round or pointed shape is sized by its text, not by its edges: several ends on one side
    # converge toward its middle over this share of the side (each half of it), a head's width apart,
    # instead of the shape growing to spread them --sa-port-spread apart. 0: the shape grows.
    port_reach: ClassVar[float] = 0.0

    def __init__(self, **values: float) -> None:
        for key, value in values.items():
            if key not in self.FIELDS:
                raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {key!r}")
            object.__setattr__(self, key, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")  # frozen: ``replace`` makes a changed copy

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def values(self) -> tuple[float, ...]:
        """The fields' values, in ``FIELDS`` order."""
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Shape)
        return self.values() == other.values()

    def __hash__(self) -> int:
        return hash(self.values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"{type(self).__qualname__}({fields})"

    # --- size and text -------------------------------------------------------------------------------------

    def size(self, text_w: float, text_h: float, pad_x: float, pad_y: float, min_w: float, min_h: float) -> Size:
        """(width, height) of the box that holds a ``text_w`` × ``text_h`` text block ``pad_x``/``pad_y`` clear
        of the outline, at least ``min_w`` × ``min_h``."""
        return max(text_w + 2 * pad_x, min_w), max(text_h + 2 * pad_y, min_h)

    def text_offset(self, box: Box) -> Point:
        """Where the text block's centre lies, from the box's centre."""
        return _CENTRE

    def holds(self, text: Box, box: Box, margin: float) -> bool:
        """Whether every corner of ``text`` lies inside the outline (at least ``margin`` inside)."""
        outline = self.outline(box)
        corners = (Point(text.x, text.y), Point(text.right, text.y), Point(text.right, text.bottom))
        return all(signed_distance(p, outline) <= -margin for p in (*corners, Point(text.x, text.bottom)))

    # --- outline and edge ends -----------------------------------------------------------------------------

    def outline(self, box: Box) -> tuple[Point, ...]:
        """The drawn outline as a polygon, clockwise on screen, its first vertex not repeated."""
        raise NotImplementedError

    def corner(self, box: Box) -> float:
        """The radius of a rect's corners as drawn (``SceneBlock.radius``): 0 for a shape without such corners."""
        return 0.0

    def with_corners(self, radius: float) -> Shape:
        """This shape with rounded corners of ``radius`` where it has such corners (a rounded rect)."""
        return self

    def drawn_box(self, box: Box) -> Box:
        """The box the outline fills (a circle's differs from its block's box when that is not square)."""
        return box

    def inset(self, p: Point, side: str, box: Box) -> float:
        """How far in from ``side`` of ``box`` the outline lies where a port ``p`` on that side enters:
        the first crossing of the outline by the ray from ``p`` into the box."""
        n = NORMALS[side]
        return max(min(_ray_hits(p, Point(-n.x, -n.y), self.outline(box)), default=0.0), 0.0)

    def on_outline(self, p: Point, side: str, box: Box) -> Point:
        """Port ``p`` (on ``side`` of the box) moved inward onto the outline: where an edge ends."""
        inset = self.inset(p, side, box)
        n = NORMALS[side]
        return new(Point, (p.x - n.x * inset, p.y - n.y * inset))

    def along_onto(self, p: Point, side: str, box: Box, direction: Point) -> Point | None:
        """Port ``p`` moved onto the outline along ``direction`` (a unit vector into the box: the way the
        edge's leg at that port runs), so the leg reaches the outline straight rather than by a stub
        square to the side; None where the outline lies on the side there (nothing to move), or where
        the ray meets it no nearer than ALONG_REACH px beyond the square way's reach."""
        inset = self.inset(p, side, box)
        n = NORMALS[side]
        if inset <= 1e-6 or direction.x * -n.x + direction.y * -n.y <= 0:
            return None
        reach = min((t for t in _ray_hits(p, direction, self.outline(box)) if t > 1e-9), default=None)
        if reach is None or reach > inset + ALONG_REACH:
            return None
        return Point(p.x + direction.x * reach, p.y + direction.y * reach)

    # --- room for ports and loops (layout) -----------------------------------------------------------------

    def ports_need(self, spread: float, inset: float, w: float, h: float, vertical: bool) -> float:
        """The breadth across the flow a side needs for ports ``spread`` apart end to end, ``inset`` from its ends
        (``vertical``: the flow runs top to bottom, so ports sit on the top and bottom sides)."""
        return spread + 2 * inset

    def widened(self, w: float, h: float, need: float, vertical: bool) -> Size:
        """The size grown to ``need`` across the flow."""
        return (need, h) if vertical else (w, need)

    def loop_room(self, side: str, w: float, h: float, inset: float, span: float) -> float:
        """How much of a side a self-loop's ports may spread over, ``inset`` from its corners (``span``: what a
        loop would like)."""
        length = h if side in ("left", "right") else w
        return length - 2 * min(inset, length / 4)

    # --- drawing -------------------------------------------------------------------------------------------

    def primitives(self, box: Box) -> tuple[Primitive, ...]:
        """The SVG elements that draw the shape: the first (class ``sa-shape``) is its whole outline."""
        raise NotImplementedError

    def read(self, drawn: Sequence[Primitive]) -> tuple[Shape, Box] | None:
        """This shape and its block's box, if ``drawn`` are the elements this shape draws; else None."""
        raise NotImplementedError


class PolygonShape(Shape):
    """A shape whose outline is a polygon drawn as one closed path."""

    corners: ClassVar[int] = 0  # how many vertices the drawn path has

    def vertices(self, box: Box) -> tuple[Point, ...]:
        raise NotImplementedError

    def outline(self, box: Box) -> tuple[Point, ...]:
        return self.vertices(box)

    def primitives(self, box: Box) -> tuple[Primitive, ...]:
        return (Primitive("path", "sa-shape", path=polygon_path(self.vertices(box))),)

    def read(self, drawn: Sequence[Primitive]) -> tuple[Shape, Box] | None:
        first = drawn[0]
        if len(drawn) != 1 or first.tag != "path" or {c for c, _ in first.path} != {"M", "L", "Z"}:
            return None
        points = first.ends()
        if len(points) != self.corners:
            return None
        box = points_box(points)
        return (self, box) if _close(self.vertices(box), points) else None


def _close(a: Sequence[Point], b: Sequence[Point], tolerance: float = 0.02) -> bool:
    """Whether two point lists agree within the rounding of the written SVG."""
    if len(a) != len(b):
        return False
    return all(abs(p.x - q.x) <= tolerance and abs(p.y - q.y) <= tolerance for p, q in zip(a, b, strict=True))


def _ray_hits(origin: Point, direction: Point, polygon: Sequence[Point]) -> list[float]:
    """Distances along a unit ray at which it crosses the polygon's sides."""
    hits = []
    for i in range(len(polygon)):
        a, b = polygon[i - 1], polygon[i]
        e = b - a
        denom = direction.x * e.y - direction.y * e.x
        if abs(denom) < 1e-12:
            continue
        w = a - origin
        t = (w.x * e.y - w.y * e.x) / denom  # along the ray
        s = (w.x * direction.y - w.y * direction.x) / denom  # along the side
        if t >= -1e-9 and -1e-9 <= s <= 1 + 1e-9:
            hits.append(t)
    return hits


class SideTerms(Record):
    """A port on a side of a box, measured from the box's centre."""

    vertical: bool  # on the top or bottom side
    across: float  # signed offset along the side from its middle
    half_along: float  # the box's half depth seen from this side
    half_across: float  # half the side's length
    t: float  # |across| / half_across, at most 1


def side_terms(p: Point, side: str, box: Box) -> SideTerms:
    vertical = side in ("top", "bottom")
    across = p.x - box.cx if vertical else p.y - box.cy
    half_along = box.h / 2 if vertical else box.w / 2
    half_across = box.w / 2 if vertical else box.h / 2
    t = min(abs(across) / half_across, 1.0) if half_across else 0.0
    return SideTerms(vertical, across, half_along, half_across, t)


def holds_in_box(text: Box, box: Box, margin: float) -> bool:
    """Whether ``text`` lies inside ``box`` at least ``margin`` clear of its sides (a shape whose text area is
    its box, round corners or caps aside)."""
    cx, cy, rx, ry = box.cx, box.cy, box.w / 2, box.h / 2
    for p in (
        Point(text.x, text.y),
        Point(text.right, text.y),
        Point(text.right, text.bottom),
        Point(text.x, text.bottom),
    ):
        if abs(p.x - cx) > rx - margin or abs(p.y - cy) > ry - margin:
            return False
    return True


if TYPE_CHECKING:
    ShapeT = TypeVar("ShapeT", bound=Shape)


def replace(shape: ShapeT, **changes: float) -> ShapeT:
    """A copy of ``shape`` with ``changes`` to its fields (as ``dataclasses.replace``)."""
    return type(shape)(**{**dict(zip(shape.FIELDS, shape.values(), strict=True)), **changes})
