"""Spatial indexes: what lies near a box, or on a line, without looking at everything.

- ``BoxIndex`` and ``SegmentIndex``: uniform grids of square cells (a
  spatial hash) holding boxes, or polyline segments by owner. An item whose
  box would take more than ``MOST_CELLS`` cells is kept on a list every
  query scans instead, and a query box that large scans every item: a
  diagram a million pixels wide allocates no more cells than one of normal
  size (a bounded index, not ~10^8 cells for one huge block).
- ``LineIndex``: axis-parallel segments filed by the line they lie on
  (horizontal ones by y, vertical ones by x), each line's segments indexed
  for length-along and crossings queries. The router prices moves with it.

Pre: finite coordinates. Post: queries answer exactly as a scan of every
item would (the indexes only skip items that cannot meet the query).
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator, Sequence

from svgarch.geometry import Box, Point, segment_hits_box

MOST_CELLS = 4096  # cells one item (or query) may take; beyond, it goes on the list scanned every time


def _cells(box: Box, cell: float) -> Iterator[tuple[int, int]] | None:
    """The cells ``box`` takes, or None when they are more than ``MOST_CELLS``."""
    i0, i1 = math.floor(box.x / cell), math.floor(box.right / cell)
    j0, j1 = math.floor(box.y / cell), math.floor(box.bottom / cell)
    if (i1 - i0 + 1) * (j1 - j0 + 1) > MOST_CELLS:
        return None
    return ((i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1))


class SegmentIndex:
    """Polyline segments by owner, in a grid of cells.

    Polylines are indexed on the first query, so a layout that never asks
    (every label reserved by the layered engine, no legend) pays nothing.
    """

    def __init__(self, cell: float = 64.0) -> None:
        self.cell = cell
        self.pending: list[tuple[int, Sequence[Point]]] = []
        self.buckets: dict[tuple[int, int], list[tuple[int, Point, Point]]] = {}
        self.huge: list[tuple[int, Point, Point]] = []  # segments too long for cells
        self.every: list[tuple[int, Point, Point]] = []

    def add(self, owner: int, points: Sequence[Point]) -> None:
        self.pending.append((owner, points))

    def _index(self) -> None:
        size, floor, buckets = self.cell, math.floor, self.buckets
        for owner, points in self.pending:
            for a, b in itertools.pairwise(points):
                item = (owner, a, b)
                self.every.append(item)
                # ``_cells`` of the segment's box, inline (the same arithmetic: its right is x + w)
                ax, ay, bx, by = a.x, a.y, b.x, b.y
                x, y = (ax if ax <= bx else bx), (ay if ay <= by else by)
                i0, i1 = floor(x / size), floor((x + abs(ax - bx)) / size)
                j0, j1 = floor(y / size), floor((y + abs(ay - by)) / size)
                if (i1 - i0 + 1) * (j1 - j0 + 1) > MOST_CELLS:
                    self.huge.append(item)
                    continue
                for i in range(i0, i1 + 1):
                    for j in range(j0, j1 + 1):
                        bucket = buckets.get((i, j))
                        if bucket is None:
                            buckets[(i, j)] = [item]
                        else:
                            bucket.append(item)
        self.pending.clear()

    def owners_hitting(self, box: Box) -> set[int]:
        """The owners of the segments that meet ``box``."""
        if self.pending:
            self._index()
        cells = _cells(box, self.cell)
        near: Iterator[tuple[int, Point, Point]]
        if cells is None:
            near = iter(self.every)
        else:
            near = itertools.chain(itertools.chain.from_iterable(self.buckets.get(k, ()) for k in cells), self.huge)
        hit: set[int] = set()
        x0, y0, w, h = box
        x1, y1 = x0 + w, y0 + h  # as segment_hits_box takes the box's right and bottom
        for owner, a, b in near:
            if owner in hit:
                continue
            (ax, ay), (bx, by) = a, b
            # both ends on or beyond one side: no part of the segment in the open interior, which
            # segment_hits_box finds too (its clipping leaves an empty span), so it is not asked
            if (ax <= x0 and bx <= x0) or (ax >= x1 and bx >= x1) or (ay <= y0 and by <= y0) or (ay >= y1 and by >= y1):
                continue
            if segment_hits_box(a, b, box):
                hit.add(owner)
        return hit

    def nearest(self, p: Point, reach: float, skip: frozenset[int]) -> float:
        """The distance from ``p`` to the nearest segment of an owner not in ``skip``, if less than
        ``reach``; else ``reach``."""
        if self.pending:
            self._index()
        cells = _cells(Box(p.x - reach, p.y - reach, 2 * reach, 2 * reach), self.cell)
        near = self.every if cells is None else itertools.chain.from_iterable(self.buckets.get(k, ()) for k in cells)
        best = reach
        for owner, a, b in itertools.chain(near, self.huge if cells is not None else ()):
            if owner not in skip:
                best = min(best, _distance(p, a, b))
        return best


def _distance(p: Point, a: Point, b: Point) -> float:
    """From ``p`` to the segment a–b."""
    dx, dy = b.x - a.x, b.y - a.y
    span = dx * dx + dy * dy
    t = 0.0 if span == 0 else min(max(((p.x - a.x) * dx + (p.y - a.y) * dy) / span, 0.0), 1.0)
    return math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy)


class BoxIndex:
    """Boxes in a grid of cells."""

    def __init__(self, cell: float = 96.0) -> None:
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[Box]] = {}
        self.huge: list[Box] = []  # boxes too large for cells
        self.every: list[Box] = []

    def add(self, box: Box) -> None:
        self.every.append(box)
        cells = _cells(box, self.cell)
        if cells is None:
            self.huge.append(box)
            return
        for key in cells:
            self.buckets.setdefault(key, []).append(box)

    def count_hits(self, box: Box) -> int:
        """How many boxes (each counted once) overlap ``box``."""
        cells = _cells(box, self.cell)
        near: Iterator[Box]
        if cells is None:
            near = iter(self.every)
        else:
            near = itertools.chain(itertools.chain.from_iterable(self.buckets.get(k, ()) for k in cells), self.huge)
        seen: set[int] = set()
        for b in near:
            if id(b) not in seen and b.intersects(box):
                seen.add(id(b))
        return len(seen)


class Line:
    """The segments on one line, and once indexed: how many lie over each
    piece between their ends (``cuts``, ``depth``), and their starts and
    ends, sorted."""

    def __init__(self) -> None:
        self.segments: list[tuple[float, float]] = []

    def index(self) -> None:
        self.cuts = sorted({c for s in self.segments for c in s})
        change = dict.fromkeys(self.cuts, 0)
        for s0, s1 in self.segments:
            change[s0] += 1
            change[s1] -= 1
        self.depth = list(itertools.accumulate(change[c] for c in self.cuts[:-1]))
        spans = [s for s in self.segments if s[0] < s[1]]
        self.starts, self.ends = sorted(s[0] for s in spans), sorted(s[1] for s in spans)

    def overlap(self, lo: float, hi: float) -> float:
        """The length of segments over ``lo``..``hi``, each counted."""
        cuts, depth = self.cuts, self.depth
        total = 0.0
        for k in range(max(0, bisect_right(cuts, lo) - 1), min(len(depth), bisect_left(cuts, hi))):
            if depth[k]:
                total += (min(hi, cuts[k + 1]) - max(lo, cuts[k])) * depth[k]
        return total

    def through(self, at: float) -> int:
        """How many segments pass ``at`` (not just start or end there)."""
        return bisect_left(self.starts, at) - bisect_right(self.ends, at)


class LineIndex:
    """Axis-parallel segments by line: horizontal ones by y (``rows``), vertical ones by x
    (``columns``), coordinates rounded to 1/1000 px; ``ys`` and ``xs`` are the keys, sorted."""

    def __init__(self) -> None:
        self.rows: dict[float, Line] = {}
        self.columns: dict[float, Line] = {}
        self.ys: list[float] = []
        self.xs: list[float] = []

    def add(self, points: Sequence[Point]) -> None:
        """The polyline's axis-parallel segments (slanted ones are not filed)."""
        touched: set[Line] = set()
        for a, b in itertools.pairwise(points):
            if abs(a.y - b.y) < 1e-6:
                touched.add(_put(self.rows, self.ys, a.y, a.x, b.x))
            elif abs(a.x - b.x) < 1e-6:
                touched.add(_put(self.columns, self.xs, a.x, a.y, b.y))
        for line in touched:
            line.index()


def _put(lines: dict[float, Line], keys: list[float], at: float, p: float, q: float) -> Line:
    at = round(at, 3)
    if at not in lines:
        insort(keys, at)
        lines[at] = Line()
    lines[at].segments.append((min(p, q), max(p, q)))
    return lines[at]


def lines_between(keys: list[float], lines: dict[float, Line], p: float, q: float) -> list[Line]:
    """The lines strictly between ``p`` and ``q``."""
    return [lines[k] for k in keys[bisect_right(keys, min(p, q)) : bisect_left(keys, max(p, q))]]
