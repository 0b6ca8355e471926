"""Block shapes as they are drawn, as convex polygons, for ``svgarch check``.

The SVG writer draws a shape from its block's box (render/svg.py): a circle
of radius ``w / 2`` about the box's centre, a rect with ``rx`` 8 (rounded) or
``h / 2`` (pill), an ellipse, a diamond, a cylinder's silhouette. These
polygons follow the same rules, so a check measures what a reader sees — a
circle whose box is not square is drawn bigger or smaller than the box.
Every shape is convex, which the distance and overlap functions rely on.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from svgarch.geometry import Box, Point, points_box
from svgarch.measure import cylinder_cap

ARC_STEPS = 16  # polygon vertices per quarter of an ellipse (error < 0.25 px up to r = 200)
FRAME_RADIUS = 10.0  # the SVG writer's rx of a group frame


def outline(shape: str, box: Box, radius: float = 0.0) -> tuple[Point, ...]:
    """The drawn outline of a ``shape`` block in ``box`` (shape ``"group"``: a group's frame),
    clockwise on screen, first vertex not repeated; ``radius``: a rect's, rounded rect's or pill's
    corners (``SceneBlock.radius``)."""
    x0, y0, x1, y1, cx, cy = box.x, box.y, box.right, box.bottom, box.cx, box.cy
    if shape == "circle":
        return _arc(Point(cx, cy), box.w / 2, box.w / 2, 0, 4)
    if shape == "ellipse":
        return _arc(Point(cx, cy), box.w / 2, box.h / 2, 0, 4)
    if shape == "diamond":
        return (Point(cx, y0), Point(x1, cy), Point(cx, y1), Point(x0, cy))
    if shape == "cylinder":
        c = cylinder_cap(box.w)
        bottom = _arc(Point(cx, y1 - c), box.w / 2, c, 0, 2)  # right, down round to left
        top = _arc(Point(cx, y0 + c), box.w / 2, c, 2, 4)  # left, up round to right
        return bottom + top
    return rounded_rect(box, FRAME_RADIUS if shape == "group" else radius)


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
    return tuple(p for centre, q in corners for p in _arc(centre, rx, ry, q, q + 1))


def _arc(centre: Point, rx: float, ry: float, q0: int, q1: int) -> tuple[Point, ...]:
    """Points of an ellipse from quarter ``q0`` to ``q1`` (0 = +x, turning toward +y: clockwise on screen);
    both ends included unless it is the whole ellipse."""
    n = (q1 - q0) * ARC_STEPS
    last = n if q1 - q0 == 4 else n + 1
    return tuple(
        Point(centre.x + rx * math.cos(a), centre.y + ry * math.sin(a))
        for a in (math.pi / 2 * (q0 + i / ARC_STEPS) for i in range(last))
    )


def drawn_box(shape: str, box: Box) -> Box:
    """The box a shape is drawn in (a circle's differs from its block's box when that is not square)."""
    return points_box(outline(shape, box)) if shape == "circle" else box


def signed_distance(p: Point, polygon: Sequence[Point]) -> float:
    """Distance from ``p`` to a convex polygon's outline: negative inside, positive outside."""
    nearest = min(_segment_distance(p, a, b) for a, b in _sides(polygon))
    return -nearest if _inside(p, polygon) else nearest


def overlap_depth(a: Sequence[Point], b: Sequence[Point]) -> float:
    """How far two convex polygons interpenetrate (separating axes); 0 or less when they are apart."""
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
    """Whether ``p`` lies inside a convex polygon (either winding)."""
    signs = {(b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) > 0 for a, b in _sides(polygon) if a != b}
    return len(signs) == 1


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
