"""The grid that finds boxes near each other (svgarch.quality.nearby), and measures that use it, against
trying every pair: the grid may offer more, never less."""

from __future__ import annotations

import itertools
import math
import random

from svgarch.geometry import Box, Point
from svgarch.quality import Drawing, DrawnEdge, measure
from svgarch.quality.nearby import CELL, Bounds, Grid, box_bounds, meet, meeting_pairs


def _boxes(rng: random.Random, n: int) -> list[Bounds]:
    out: list[Bounds] = []
    for k in range(n):
        x, y = rng.uniform(-300, 1500), rng.uniform(-300, 1500)
        w, h = (rng.uniform(0, 30), rng.uniform(0, 30)) if k % 10 else (rng.uniform(0, 2000), rng.uniform(0, 900))
        if k % 7 == 0:
            w = 0.0  # a vertical segment's box; touching boxes share a cell
        out.append((x, y, x + w, y + h))
    out.append((0.0, 0.0, CELL, CELL))  # boxes that only touch, on a cell's border
    out.append((CELL, CELL, 2 * CELL, 2 * CELL))
    return out


def test_a_grid_offers_every_box_that_meets_the_query() -> None:
    rng = random.Random(3)
    boxes = _boxes(rng, 400)
    grid = Grid()
    for k, b in enumerate(boxes):
        grid.add(k, b)
    for query in [*_boxes(rng, 200), (-1e4, -1e4, 1e4, 1e4)]:
        offered = grid.near(query)
        assert offered == sorted(set(offered))
        assert {k for k, b in enumerate(boxes) if meet(b, query)} <= set(offered)
    assert len(grid.near((10.0, 10.0, 12.0, 12.0))) < len(boxes) // 4  # and not everything


def test_a_box_inflated_past_nothing_is_queried_over_its_whole_span() -> None:
    inverted = Box(100, 100, 2, 2).inflate(-3)  # x 103 … right 99
    assert box_bounds(inverted) == (99, 99, 103, 103)


def test_meeting_pairs_are_every_pair_that_meets_once() -> None:
    boxes = _boxes(random.Random(5), 300)
    pairs = list(meeting_pairs(boxes))
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {(k, m) for k, m in itertools.combinations(range(len(boxes)), 2) if meet(boxes[k], boxes[m])}


def test_close_heads_and_ambiguous_labels_match_every_pair() -> None:
    rng = random.Random(11)
    edges = []
    for k in range(120):
        a = Point(rng.uniform(0, 600), rng.uniform(0, 600))
        b = Point(a.x + rng.uniform(-80, 80), a.y + rng.uniform(-80, 80))
        label = Box.around((a.x + b.x) / 2 + rng.uniform(-20, 20), (a.y + b.y) / 2, 30, 14) if k % 3 else None
        edges.append(DrawnEdge(f"s{k}", f"t{k}", (a, b), b, label))
    q = measure(Drawing((), tuple(edges), (), 12.0))
    close = [
        f"heads of {e.source}→{e.target} and {f.source}→{f.target} are {math.dist(e.end, f.end):.1f} px apart"
        for e, f in itertools.combinations(edges, 2)
        if math.dist(e.end, f.end) < 10
    ]
    assert q.close_heads == close and close
    ambiguous = 0
    for e in edges:
        if e.label is not None:
            c = Point(e.label.cx, e.label.cy)
            mine = _distance(c, e)
            foreign = min(_distance(c, f) for f in edges if f is not e)
            ambiguous += mine > 30 or foreign < mine - 0.5
    assert len(q.ambiguous_labels) == ambiguous > 0


def _distance(p: Point, e: DrawnEdge) -> float:
    (a, b) = e.points
    dx, dy = b.x - a.x, b.y - a.y
    n = dx * dx + dy * dy
    t = 0.0 if n == 0 else max(0.0, min(1.0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / n))
    return math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy)
