"""Finding boxes near each other without trying every pair: a grid of square cells.

``svgarch check`` tests an edge against a block, a label against an edge, a
segment against a segment; trying every pair took minutes on a few thousand
segments. Each box is filed under the cells it touches (closed intervals, so
boxes that only touch share a cell); one that would fill very many cells (a
long diagonal) is kept aside and offered to every query instead.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence

from svgarch.geometry import Box, Point

Bounds = tuple[float, float, float, float]  # x0, y0, x1, y1 (x0 ≤ x1, y0 ≤ y1)

CELL = 48.0  # px, the side of a cell: about a block's height, a few label heights
MANY_CELLS = 256  # a box over more cells than this is offered to every query instead


def segment_bounds(p: Point, q: Point) -> Bounds:
    return min(p.x, q.x), min(p.y, q.y), max(p.x, q.x), max(p.y, q.y)


def box_bounds(box: Box) -> Bounds:
    """A box's bounds (of a box of negative size, one inflated inwards past nothing, too)."""
    return min(box.x, box.right), min(box.y, box.bottom), max(box.x, box.right), max(box.y, box.bottom)


def meet(a: Bounds, b: Bounds) -> bool:
    """Whether two closed boxes share a point."""
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _span(b: Bounds) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = (math.floor(v / CELL) for v in b)
    return x0, y0, x1, y1


def _many(span: tuple[int, int, int, int]) -> bool:
    return (span[2] - span[0] + 1) * (span[3] - span[1] + 1) > MANY_CELLS


class Grid:
    """Items (numbers, in the order a caller wants its findings) by the cells their boxes touch; an item
    may be filed under several boxes (an edge under each of its segments)."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.everywhere: set[int] = set()
        self.items: set[int] = set()

    def add(self, item: int, bounds: Bounds) -> None:
        self.items.add(item)
        span = _span(bounds)
        if _many(span):
            self.everywhere.add(item)
            return
        for cx in range(span[0], span[2] + 1):
            for cy in range(span[1], span[3] + 1):
                self.cells[(cx, cy)].append(item)

    def near(self, bounds: Bounds) -> list[int]:
        """Every item filed under a cell ``bounds`` touches (and every one kept aside), in order: all
        those whose boxes meet ``bounds``, and maybe some that do not."""
        span = _span(bounds)
        if _many(span):
            return sorted(self.items)
        found = set(self.everywhere)
        for cx in range(span[0], span[2] + 1):
            for cy in range(span[1], span[3] + 1):
                found.update(self.cells.get((cx, cy), ()))
        return sorted(found)


def meeting_pairs(boxes: Sequence[Bounds]) -> Iterator[tuple[int, int]]:
    """Each pair of indices (k < m) whose boxes meet, once: a pair is met in the one cell that holds the
    top-left corner of where its two boxes meet."""
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    big: list[int] = []
    for k, b in enumerate(boxes):
        span = _span(b)
        if _many(span):
            big.append(k)
            continue
        for cx in range(span[0], span[2] + 1):
            for cy in range(span[1], span[3] + 1):
                cells[(cx, cy)].append(k)
    for (cx, cy), held in cells.items():
        for x, k in enumerate(held):
            a = boxes[k]
            for m in held[x + 1 :]:
                b = boxes[m]
                if (math.floor(max(a[0], b[0]) / CELL), math.floor(max(a[1], b[1]) / CELL)) == (cx, cy) and meet(a, b):
                    yield (k, m)
    alone = set(big)
    small = [k for k in range(len(boxes)) if k not in alone]
    for x, k in enumerate(big):
        for m in (*big[x + 1 :], *small):
            if meet(boxes[k], boxes[m]):
                yield (min(k, m), max(k, m))
