"""Edge label placement: candidates along each edge, the cheapest chosen.

A label may cover its own edge (the pill sits on the line) but should touch
no block, no other label, no note and no other edge. Each label tries
positions along its edge, on the line and beside it; the first with the
lowest cost wins, and later labels avoid it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from svgarch.geometry import Box, Point, segment_hits_box
from svgarch.layout.paths import point_at
from svgarch.measure import TextStack
from svgarch.scene import Pill

BLOCK_COST = 1000.0
LABEL_COST = 1000.0
EDGE_COST = 300.0
LABEL_PAD_X = 5.0  # space between a label's text and its pill
LABEL_PAD_Y = 2.5
EDGE_MARGIN = 5.0  # clearance between a label and a foreign edge (stroke included)
FRACTIONS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82)


class SegmentIndex:
    """A uniform-grid spatial hash of polyline segments, keyed by owner.

    Polylines are indexed on the first query, so a layout that never asks
    (every label reserved by the layered engine, no legend) pays nothing.
    """

    def __init__(self, cell: float = 64.0) -> None:
        self.cell = cell
        self.pending: list[tuple[int, Sequence[Point]]] = []
        self.buckets: dict[tuple[int, int], list[tuple[int, Point, Point]]] = {}

    def add(self, owner: int, points: Sequence[Point]) -> None:
        self.pending.append((owner, points))

    def _index(self) -> None:
        for owner, points in self.pending:
            for a, b in itertools.pairwise(points):
                for key in self._cells(Box(min(a.x, b.x), min(a.y, b.y), abs(a.x - b.x), abs(a.y - b.y))):
                    self.buckets.setdefault(key, []).append((owner, a, b))
        self.pending.clear()

    def _cells(self, box: Box) -> Iterable[tuple[int, int]]:
        c = self.cell
        for i in range(math.floor(box.x / c), math.floor(box.right / c) + 1):
            for j in range(math.floor(box.y / c), math.floor(box.bottom / c) + 1):
                yield i, j

    def owners_hitting(self, box: Box) -> set[int]:
        if self.pending:
            self._index()
        hit: set[int] = set()
        for key in self._cells(box):
            for owner, a, b in self.buckets.get(key, ()):
                if owner not in hit and segment_hits_box(a, b, box):
                    hit.add(owner)
        return hit


class BoxIndex:
    """A uniform-grid spatial hash of boxes."""

    def __init__(self, cell: float = 96.0) -> None:
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[Box]] = {}

    def add(self, box: Box) -> None:
        c = self.cell
        for i in range(math.floor(box.x / c), math.floor(box.right / c) + 1):
            for j in range(math.floor(box.y / c), math.floor(box.bottom / c) + 1):
                self.buckets.setdefault((i, j), []).append(box)

    def count_hits(self, box: Box) -> int:
        c = self.cell
        seen: set[int] = set()
        for i in range(math.floor(box.x / c), math.floor(box.right / c) + 1):
            for j in range(math.floor(box.y / c), math.floor(box.bottom / c) + 1):
                for b in self.buckets.get((i, j), ()):
                    if id(b) not in seen and b.intersects(box):
                        seen.add(id(b))
        return len(seen)


class LabelRequest(NamedTuple):
    """A label for the edges ``owners`` (one, or all of a fan), drawn along ``paths``."""

    owners: tuple[int, ...]
    paths: tuple[tuple[Point, ...], ...]
    text: TextStack
    at: Point | None = None  # a centre the layout reserved for this label
    near: tuple[Point, ...] = ()  # centres to try first, before the spots along the paths (by a loop's apex)


def place_labels(
    requests: Sequence[LabelRequest],
    blocks: Sequence[Box],
    obstacles: Sequence[Box],
    edges: SegmentIndex,
) -> list[Pill]:
    """A pill for every request, in order; each avoids what came before."""
    solid = BoxIndex()
    for b in blocks:
        solid.add(b.inflate(3))
    for o in obstacles:
        solid.add(o.inflate(2))
    placed = BoxIndex()
    out: list[Pill] = []
    for req in requests:
        w = req.text.width + 2 * LABEL_PAD_X
        h = req.text.height + 2 * LABEL_PAD_Y
        if req.at is not None:
            box = Box.around(req.at.x, req.at.y, w, h)
            placed.add(box)
            out.append(Pill(box, req.text.place(box.cx, box.y + LABEL_PAD_Y)))
            continue
        best: tuple[float, Box] | None = None
        candidates = _candidates(req, w, h)
        if req.near:
            candidates = itertools.chain(((p, Point(0.0, 0.0), Point(0.0, 0.0)) for p in req.near), candidates)
        for rank, (centre, _tangent, off) in enumerate(candidates):
            box = Box.around(centre.x + off.x, centre.y + off.y, w, h)
            cost = rank * 0.5 + (6.0 if off.x or off.y else 0.0)
            cost += BLOCK_COST * solid.count_hits(box) + LABEL_COST * placed.count_hits(box.inflate(2))
            foreign = edges.owners_hitting(box.inflate(EDGE_MARGIN)) - set(req.owners)
            cost += EDGE_COST * len(foreign)
            if best is None or cost < best[0]:
                best = (cost, box)
            if cost < 50:
                break
        assert best is not None
        box = best[1]
        placed.add(box)
        lines = req.text.place(box.cx, box.y + LABEL_PAD_Y)
        out.append(Pill(box, lines))
    return out


def _candidates(req: LabelRequest, w: float, h: float) -> Iterable[tuple[Point, Point, Point]]:
    for f in FRACTIONS:
        for path in req.paths:
            centre, tangent = point_at(path, f)
            normal = Point(-tangent.y, tangent.x)
            # half the pill's extent along the normal, plus a gap
            reach = abs(normal.x) * w / 2 + abs(normal.y) * h / 2 + 5
            yield centre, tangent, Point(0.0, 0.0)
            yield centre, tangent, normal.scale(reach)
            yield centre, tangent, normal.scale(-reach)
