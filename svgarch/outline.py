"""Distances and overlaps of drawn outlines, as polygons, for ``svgarch check`` and ports.

The outlines themselves come from the shapes (``svgarch.shapes``). Most are
convex; a document's wavy bottom is not: inside tests work for any simple
polygon, and overlaps are measured between the polygons' extents along
their sides' normals, which for a concave one is its convex hull's, or
nearly (a little more overlap is reported, never less).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from svgarch.geometry import Box, Point


def signed_distance(p: Point, polygon: Sequence[Point]) -> float:
    """Distance from ``p`` to a polygon's outline: negative inside, positive outside."""
    nearest = min(_segment_distance(p, a, b) for a, b in _sides(polygon))
    return -nearest if _inside(p, polygon) else nearest


def overlap_depth(a: Sequence[Point], b: Sequence[Point]) -> float:
    """How far two polygons interpenetrate (separating axes: exact for convex ones); 0 or less when apart."""
    depth = math.inf
    for poly in (a, b):
        for p, q in _sides(poly):
            axis = Point(q.y - p.y, p.x - q.x).unit()
            if axis == Point(0.0, 0.0):
                continue
            pa = [v.x * axis.x + v.y * axis.y for v in a]
            pb = [v.x * axis.x + v.y * axis.y for v in b]
            depth = min(depth, min(max(pa), max(pb)) - max(min(pa), min(pb)))
            if depth <= 0:
                return depth
    return depth


def _sides(polygon: Sequence[Point]) -> list[tuple[Point, Point]]:
    return [(polygon[i - 1], polygon[i]) for i in range(len(polygon))]


def _inside(p: Point, polygon: Sequence[Point]) -> bool:
    """Whether ``p`` lies inside a simple polygon (either winding): the ray to its right crosses an odd number
    of sides."""
    inside = False
    for a, b in _sides(polygon):
        if (a.y > p.y) != (b.y > p.y) and p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y):
            inside = not inside
    return inside


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    d = b - a
    n = d.x * d.x + d.y * d.y
    t = 0.0 if n == 0 else max(0.0, min(1.0, ((p.x - a.x) * d.x + (p.y - a.y) * d.y) / n))
    return math.hypot(p.x - a.x - t * d.x, p.y - a.y - t * d.y)


def box_distance(box: Box, points: Sequence[Point]) -> float:
    """Distance from ``box`` to a polyline (0 when it touches or crosses the box)."""
    corners = (Point(box.x, box.y), Point(box.right, box.y), Point(box.right, box.bottom), Point(box.x, box.bottom))
    best = math.inf
    for a, b in itertools.pairwise(points):
        if _segment_meets_box(a, b, box):
            return 0.0
        best = min(best, _point_box_distance(a, box), _point_box_distance(b, box))
        best = min(best, *(_segment_distance(c, a, b) for c in corners))
    if len(points) == 1:
        best = _point_box_distance(points[0], box)
    return best


def _point_box_distance(p: Point, box: Box) -> float:
    return math.hypot(max(box.x - p.x, 0.0, p.x - box.right), max(box.y - p.y, 0.0, p.y - box.bottom))


def _segment_meets_box(a: Point, b: Point, box: Box) -> bool:
    """Whether segment a-b touches the closed box (Liang–Barsky)."""
    t0, t1 = 0.0, 1.0
    d = b - a
    for p, q in ((-d.x, a.x - box.x), (d.x, box.right - a.x), (-d.y, a.y - box.y), (d.y, box.bottom - a.y)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True
