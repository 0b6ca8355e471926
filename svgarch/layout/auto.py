"""Automatic placement of the blocks the author did not place.

Runs the layered engine (``svgarch.layout.layered``) and turns its result
into block centres plus a *guide* per edge: the layer bands the edge must
cross and where (its dummy nodes), so the edge can be drawn through the
space the engine reserved for it, with no search.

Pre: blocks with measured sizes, none of them with a grid cell or x/y.
Post: a centre for each, a guide for each drawn edge between two of them
that spans at least one layer boundary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from svgarch.geometry import Point
from svgarch.layout.edges import DrawnEdge, Guide
from svgarch.layout.layered import LayeredEdge, LayeredNode, layered_layout
from svgarch.measure import BlockSize
from svgarch.model import Block

FORWARD_SIDES = {"TB": ("bottom", "top"), "BT": ("top", "bottom"), "LR": ("right", "left"), "RL": ("left", "right")}


class AutoLayout(NamedTuple):
    centres: dict[str, tuple[float, float]]
    guides: dict[int, Guide]  # by drawn edge number
    bands: dict[str, tuple[float, float]]  # each block's layer band along the flow axis


def auto_layout(
    blocks: Sequence[Block],
    sizes: dict[str, BlockSize],
    drawn: Sequence[DrawnEdge],
    groups: dict[str, str],
    direction: str,
    rank_gap: float,
    node_gap: float,
) -> AutoLayout:
    ids = {b.id for b in blocks}
    nodes = [LayeredNode(b.id, sizes[b.id].width, sizes[b.id].height, b.level, groups.get(b.id)) for b in blocks]
    inner = [d for d in drawn if d.source in ids and d.target in ids]
    result = layered_layout(
        nodes,
        [LayeredEdge(d.source, d.target) for d in inner],
        direction=direction,
        rank_gap=rank_gap,
        node_gap=node_gap,
    )
    vertical = direction in ("TB", "BT")

    def along(x: float, y: float) -> float:
        return y if vertical else x

    band_of_rank: dict[int, tuple[float, float]] = {}
    for b in blocks:
        cx, cy = result.centres[b.id]
        half = (sizes[b.id].height if vertical else sizes[b.id].width) / 2
        r = result.ranks[b.id]
        lo, hi = band_of_rank.get(r, (along(cx, cy), along(cx, cy)))
        band_of_rank[r] = (min(lo, along(cx, cy) - half), max(hi, along(cx, cy) + half))
    bands = {b.id: band_of_rank[result.ranks[b.id]] for b in blocks}

    guides: dict[int, Guide] = {}
    forward_sides = FORWARD_SIDES[direction]
    for d, bends in zip(inner, result.bends, strict=True):
        r0, r1 = result.ranks[d.source], result.ranks[d.target]
        if r0 == r1 or d.source == d.target:
            continue
        step = 1 if r1 > r0 else -1
        gates = []
        for i, (x, y) in enumerate(bends):
            lo, hi = band_of_rank.get(r0 + step * (i + 1), (along(x, y), along(x, y)))
            entry, exit_ = (hi, lo) if travels_back(direction, step) else (lo, hi)
            gates.append((_at(x, y, entry, vertical), _at(x, y, exit_, vertical)))
        sides = forward_sides if step > 0 else (forward_sides[1], forward_sides[0])
        guides[d.number] = Guide(tuple(gates), sides)
    return AutoLayout(result.centres, guides, bands)


def travels_back(direction: str, step: int) -> bool:
    """Whether an edge going ``step`` ranks on runs toward smaller coordinates."""
    grows = direction in ("TB", "LR")
    return (step > 0) != grows


def _at(x: float, y: float, flow_coordinate: float, vertical: bool) -> Point:
    return Point(x, flow_coordinate) if vertical else Point(flow_coordinate, y)


def moved_right(auto: AutoLayout, dx: float, direction: str) -> AutoLayout:
    """The same layout ``dx`` further right (to clear the author's placed blocks)."""
    vertical = direction in ("TB", "BT")
    guides = {
        n: g._replace(gates=tuple((Point(a.x + dx, a.y), Point(b.x + dx, b.y)) for a, b in g.gates))
        for n, g in auto.guides.items()
    }
    bands = auto.bands if vertical else {k: (lo + dx, hi + dx) for k, (lo, hi) in auto.bands.items()}
    return AutoLayout({k: (x + dx, y) for k, (x, y) in auto.centres.items()}, guides, bands)
