"""Small immutable geometric values and pure functions on them.

Coordinates are SVG user units (1/96 in), y grows downward.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from svgarch.record import Record

# ``new(Point, (x, y))`` is ``Point(x, y)`` without the NamedTuple's own __new__, a Python function: half
# the time, for the records made by the hundred thousand on a large diagram (the same values either way).
new = tuple.__new__


class Point(Record):
    x: float
    y: float

    def __add__(self, other: Point) -> Point:  # type: ignore[override]  # vector sum, not tuple concatenation
        return new(Point, (self.x + other.x, self.y + other.y))

    def __sub__(self, other: Point) -> Point:
        return new(Point, (self.x - other.x, self.y - other.y))

    def scale(self, k: float) -> Point:
        return new(Point, (self.x * k, self.y * k))

    def length(self) -> float:
        return math.hypot(self.x, self.y)

    def unit(self) -> Point:
        n = self.length()
        return Point(0.0, 0.0) if n == 0 else new(Point, (self.x / n, self.y / n))


class Box(Record):
    """An axis-aligned rectangle given by its top-left corner and size."""

    x: float
    y: float
    w: float
    h: float

    @staticmethod
    def around(cx: float, cy: float, w: float, h: float) -> Box:
        return new(Box, (cx - w / 2, cy - h / 2, w, h))

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def centre(self) -> Point:
        return Point(self.cx, self.cy)

    def inflate(self, d: float) -> Box:
        return new(Box, (self.x - d, self.y - d, self.w + 2 * d, self.h + 2 * d))

    def moved(self, dx: float, dy: float) -> Box:
        return new(Box, (self.x + dx, self.y + dy, self.w, self.h))

    def intersects(self, other: Box) -> bool:
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom

    def contains(self, p: Point) -> bool:
        return self.x < p.x < self.right and self.y < p.y < self.bottom

    def union(self, other: Box) -> Box:
        x0, y0 = min(self.x, other.x), min(self.y, other.y)
        x1, y1 = max(self.right, other.right), max(self.bottom, other.bottom)
        return Box(x0, y0, x1 - x0, y1 - y0)


def bounding_box(boxes: list[Box]) -> Box:
    """The smallest box holding all of ``boxes`` (a zero box for none)."""
    if not boxes:
        return Box(0.0, 0.0, 0.0, 0.0)
    x0, y0 = min(b.x for b in boxes), min(b.y for b in boxes)
    x1, y1 = max(b.x + b.w for b in boxes), max(b.y + b.h for b in boxes)
    return Box(x0, y0, x1 - x0, y1 - y0)


def points_box(points: Sequence[Point]) -> Box:
    """The smallest box holding all of ``points`` (at least one)."""
    xs, ys = zip(*points, strict=True)  # in C: every edge's points on a large diagram
    x0, y0 = min(xs), min(ys)
    return new(Box, (x0, y0, max(xs) - x0, max(ys) - y0))


def segment_hits_box(a: Point, b: Point, box: Box) -> bool:
    """Whether segment a-b passes through the open interior of ``box`` (Liang–Barsky)."""
    ax, ay = a
    bx, by, bw, bh = box
    dx, dy = b[0] - ax, b[1] - ay
    t0, t1 = 0.0, 1.0
    # the four sides in turn (left, right, top, bottom), each clipping t0 or t1: the same arithmetic as a loop
    for p, q in ((-dx, ax - bx), (dx, bx + bw - ax), (-dy, ay - by), (dy, by + bh - ay)):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            if t > t0:
                t0 = t
        elif t < t1:
            t1 = t
        if t0 >= t1:
            return False
    return t1 - t0 > 1e-9


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Whether segments a-b and c-d properly cross (touching ends do not count)."""
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = a, b, c, d
    eps = 1e-9
    # orient(c, d, a) and orient(c, d, b): a and b on either side of c-d's line ...
    d1 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx)
    d2 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx)
    if not ((d1 > eps and d2 < -eps) or (d1 < -eps and d2 > eps)):
        return False
    # ... and orient(a, b, c) and orient(a, b, d): c and d on either side of a-b's
    d3 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
    d4 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax)
    return (d3 > eps and d4 < -eps) or (d3 < -eps and d4 > eps)


def cubic_point(p0: Point, p1: Point, p2: Point, p3: Point, t: float) -> Point:
    u = 1 - t
    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return Point(
        a * p0.x + b * p1.x + c * p2.x + d * p3.x,
        a * p0.y + b * p1.y + c * p2.y + d * p3.y,
    )


def cubic_split(
    p0: Point, p1: Point, p2: Point, p3: Point, t: float
) -> tuple[tuple[Point, Point, Point, Point], tuple[Point, Point, Point, Point]]:
    """De Casteljau split of a cubic at ``t``."""
    # in plain floats, each point a + (b - a) * t of the two before it (one split per arrow head)
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p0, p1, p2, p3
    qx0, qy0 = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
    qx1, qy1 = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
    qx2, qy2 = x2 + (x3 - x2) * t, y2 + (y3 - y2) * t
    rx0, ry0 = qx0 + (qx1 - qx0) * t, qy0 + (qy1 - qy0) * t
    rx1, ry1 = qx1 + (qx2 - qx1) * t, qy1 + (qy2 - qy1) * t
    s = new(Point, (rx0 + (rx1 - rx0) * t, ry0 + (ry1 - ry0) * t))
    q0, r0, r1, q2 = new(Point, (qx0, qy0)), new(Point, (rx0, ry0)), new(Point, (rx1, ry1)), new(Point, (qx2, qy2))
    return (p0, q0, r0, s), (s, r1, q2, p3)


def turning(points: Sequence[Point]) -> float:
    """The total turning along a polyline, in quarter turns (a right angle is 1, a U-turn 2): what
    ``svgarch.quality`` measures, and what the layout's last passes keep low."""
    total = 0.0
    heading: float | None = None
    for a, b in itertools.pairwise(points):
        if math.dist(a, b) < 1e-6:
            continue
        h = math.atan2(b.y - a.y, b.x - a.x)
        if heading is not None:
            total += abs((h - heading + math.pi) % (2 * math.pi) - math.pi)
        heading = h
    return total / (math.pi / 2)
