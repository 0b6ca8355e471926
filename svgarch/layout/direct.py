"""Direct routes: an edge's polyline pulled taut among the obstacles.

Automatic layout reserves a place for each edge in every layer band it
crosses (its gates). Drawn through them one by one, with an S-curve in each
gap, a long edge bends twice per band. Pulled taut, like a string threaded
through the same gates, it keeps only the corners an obstacle forces, and
runs straight (diagonal where its ends are offset) everywhere else: the
fewest bends its ends need, and the shortest way the layout left free.

Pre: a polyline from an edge's start port to its end port whose segments
enter no obstacle but (perhaps) the edge's own ends. Post: a sub-polyline
(its first and last points, every fixed point, and some corners between)
whose segments enter no obstacle that the original's segments avoided.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from svgarch.geometry import Box, Point, segment_hits_box

CELL = 96.0  # px, the index's cell
LEAST_COS = 0.2  # the first and last legs leave and arrive within about 78° of their side's normal (cos 78° ≈ 0.2)


class Obstacles:
    """Boxes, each with an owner key (a block id, or "" for furniture), in a grid of cells."""

    def __init__(self, boxes: Sequence[tuple[str, Box]]) -> None:
        self.cells: dict[tuple[int, int], list[tuple[str, Box]]] = {}
        self.huge: list[tuple[str, Box]] = []
        self.items = list(boxes)
        for item in self.items:
            box = item[1]
            i0, i1 = math.floor(box.x / CELL), math.floor(box.right / CELL)
            j0, j1 = math.floor(box.y / CELL), math.floor(box.bottom / CELL)
            if (i1 - i0 + 1) * (j1 - j0 + 1) > 4096:  # a huge box: scanned every time
                self.huge.append(item)
                continue
            for i in range(i0, i1 + 1):
                for j in range(j0, j1 + 1):
                    self.cells.setdefault((i, j), []).append(item)

    def blocked(self, a: Point, b: Point, skip: frozenset[str]) -> bool:
        """Whether segment ``a``-``b`` enters a box whose owner is not in ``skip``."""
        ax, ay, bx, by = a.x, a.y, b.x, b.y
        for key, box in self._near(a, b):
            if key in skip:
                continue
            x0, y0, w, h = box
            x1, y1 = x0 + w, y0 + h  # as segment_hits_box takes the box's right and bottom
            # both ends on or beyond one side: segment_hits_box is false (its clipping leaves an empty span)
            if (ax <= x0 and bx <= x0) or (ax >= x1 and bx >= x1) or (ay <= y0 and by <= y0) or (ay >= y1 and by >= y1):
                continue
            if segment_hits_box(a, b, box):
                return True
        return False

    def hit(self, points: Sequence[Point], skip: frozenset[str]) -> set[Box]:
        """The boxes (owners not in ``skip``) a polyline enters."""
        out: set[Box] = set()
        floor = math.floor
        huge = [item for item in self.huge if item[0] not in skip]
        within: dict[tuple[int, int], list[tuple[str, Box]]] = {}  # a cell's boxes (and the huge ones), skip aside
        for a, b in itertools.pairwise(points):
            ax, ay, bx, by = a.x, a.y, b.x, b.y
            cell = (floor(ax / CELL), floor(ay / CELL))
            if cell == (floor(bx / CELL), floor(by / CELL)):  # a short segment (most): its cell's, kept
                near = within.get(cell)
                if near is None:
                    near = within[cell] = huge + [item for item in self.cells.get(cell, ()) if item[0] not in skip]
            else:
                near = [item for item in self._near(a, b) if item[0] not in skip]
            for _, box in near:  # (in the order _near gives them: the set is filled in the same order)
                x0, y0, w, h = box
                x1, y1 = x0 + w, y0 + h  # as segment_hits_box takes the box's right and bottom
                # both ends on or beyond one side: segment_hits_box is false (its clipping leaves an empty span)
                if (
                    (ax <= x0 and bx <= x0)
                    or (ax >= x1 and bx >= x1)
                    or (ay <= y0 and by <= y0)
                    or (ay >= y1 and by >= y1)
                ):
                    continue
                if segment_hits_box(a, b, box):
                    out.add(box)
        return out

    def _near(self, a: Point, b: Point) -> list[tuple[str, Box]]:
        i0, i1 = sorted((math.floor(a.x / CELL), math.floor(b.x / CELL)))
        j0, j1 = sorted((math.floor(a.y / CELL), math.floor(b.y / CELL)))
        if i0 == i1 and j0 == j1:  # one cell (most segments): its boxes, each filed there once
            return [*self.huge, *self.cells.get((i0, j0), ())]
        out = list(self.huge)
        if (i1 - i0 + 1) * (j1 - j0 + 1) > 4096:
            return out + [item for items in self.cells.values() for item in items]
        seen: set[int] = set()
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                for item in self.cells.get((i, j), ()):
                    if id(item) not in seen:
                        seen.add(id(item))
                        out.append(item)
        return out


def taut(
    points: Sequence[Point],
    obstacles: Obstacles,
    skip: frozenset[str],
    out_normal: Point,
    in_normal: Point,
    fixed: frozenset[int] = frozenset(),
) -> list[Point]:
    """``points`` pulled taut: from each kept point, the farthest later point a straight line reaches
    without entering an obstacle (not passing a fixed point). The first leg leaves along ``out_normal``,
    the last arrives along ``in_normal`` (pointing into the target), each within about 78°, or the original
    points next to the ends stay."""
    pts = list(points)
    n = len(pts)
    if n <= 2:
        return pts
    out = [pts[0]]
    i = 0
    while i < n - 1:
        limit = min([k for k in fixed if k > i] + [n - 1])
        j = limit
        while j > i + 1 and not _clear(pts, i, j, n, obstacles, skip, out_normal, in_normal):
            j -= 1
        out.append(pts[j])
        i = j
    return _drop_straight(out)


def with_lead(
    line: Sequence[Point], end: int, normal: Point, lead: float, obstacles: Obstacles, skip: frozenset[str]
) -> list[Point] | None:
    """``line`` (pulled taut) with its leg at ``end`` (0 its start, 1 its end) straight along ``normal`` (out
    of its first block, into its last) for ``lead`` px, the leg before it running to there: an arm that
    came in aslant to a side beside others comes in square, under their turns. None where that leg is
    shorter than twice ``lead``, already square, or the new legs enter an obstacle."""
    pts = list(line) if end == 1 else list(line)[::-1]
    if len(pts) < 2:
        return None
    b, a = pts[-1], pts[-2]
    d = b - a
    into = normal if end == 1 else normal.scale(-1)  # the way the last leg of ``pts`` runs, square
    if d.length() < 2 * lead or d.x * into.x + d.y * into.y > 0.999 * d.length():
        return None
    s = Point(b.x - into.x * lead, b.y - into.y * lead)
    if obstacles.blocked(a, s, skip) or obstacles.blocked(s, b, skip):
        return None
    out = [*pts[:-1], s, b]
    return out if end == 1 else out[::-1]


def squared(
    line: Sequence[Point],
    out_normal: Point,
    in_normal: Point,
    lead: float,
    obstacles: Obstacles,
    skip: frozenset[str],
) -> list[Point]:
    """``line`` (pulled taut) with a straight lead of ``lead`` px out of its first side and into its last
    (``with_lead``) where it would leave or arrive flatter than about 78° from the side's normal but for a
    stub shorter than STUB px: a gate just short of a port passes the angle ``taut`` asks of the last leg,
    and the arrow head, square to the side, then sticks out of a line come in almost along it."""
    out = list(line)
    for end, normal in ((0, out_normal), (1, in_normal)):
        pts = out if end == 1 else out[::-1]
        if len(pts) < 3:
            continue
        tip, k = pts[-1], len(pts) - 2
        while k > 0 and (pts[k] - tip).length() < STUB:
            k -= 1
        if k == len(pts) - 2:
            continue  # no stub: ``taut`` has kept the angle
        leg, into = tip - pts[k], normal if end == 1 else normal.scale(-1)
        if leg.x * into.x + leg.y * into.y >= LEAST_COS * leg.length():
            continue
        kept = [*pts[: k + 1], tip]
        way = with_lead(kept if end == 1 else kept[::-1], end, normal, lead, obstacles, skip)
        if way is not None:
            out = way
    return out


STUB = 12.0  # px: a leg this short next to an end does not make the line leave (arrive) square


def _clear(
    pts: list[Point], i: int, j: int, n: int, obstacles: Obstacles, skip: frozenset[str], out_n: Point, in_n: Point
) -> bool:
    a, b = pts[i], pts[j]
    d = b - a
    length = d.length()
    if length < 1e-6:
        return True
    leaving = (a - pts[0]).length() < 1e-6  # (the points may repeat an end)
    arriving = (b - pts[-1]).length() < 1e-6
    if leaving and (d.x * out_n.x + d.y * out_n.y) < LEAST_COS * length:
        return False
    if arriving and (d.x * in_n.x + d.y * in_n.y) < LEAST_COS * length:
        return False
    return not obstacles.blocked(a, b, skip)


def _drop_straight(points: list[Point]) -> list[Point]:
    """Without repeated points and the middle points of straight runs."""
    out: list[Point] = []
    for p in points:
        if out and (p - out[-1]).length() < 1e-6:
            continue
        while len(out) >= 2:
            a, b = out[-2], out[-1]
            if abs((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)) > 1e-6 * max(1.0, (p - a).length()):
                break
            if (b.x - a.x) * (p.x - b.x) + (b.y - a.y) * (p.y - b.y) < 0:  # doubling back: keep the corner
                break
            out.pop()
        out.append(p)
    return out


def length(points: Sequence[Point]) -> float:
    return sum((b - a).length() for a, b in itertools.pairwise(points))


def hits(points: Sequence[Point], boxes: Sequence[Box]) -> bool:
    """Whether a polyline enters the interior of any of ``boxes``."""
    return any(segment_hits_box(a, b, box) for a, b in itertools.pairwise(points) for box in boxes)
