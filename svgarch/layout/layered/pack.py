"""Packing a large drawing (``spread.LEAST_NODES`` blocks or more): blocks without edges, rank or group
spread over the layers with most room, and a skyline of where each layer is free, so small components
fill the room beside a big one's narrow layers instead of widening the picture."""

from __future__ import annotations

from collections.abc import Sequence

from .graph import LayeredNode, LayerGraph


def spread_loners(
    nodes: Sequence[LayeredNode],
    links: Sequence[tuple[int, int]],
    ranks: list[int],
    breadth: Sequence[float],
    gap: float,
) -> None:
    """Give every block without edges, rank or group the layer with the most room left, in input order.

    Ranking puts them all in the top layer, side by side: in a large drawing a row wider than the rest.
    """
    touched = {v for link in links for v in link}
    alone = {v for v, n in enumerate(nodes) if v not in touched and n.rank is None and n.group is None}
    if not alone:
        return
    load = [0.0] * (max(ranks[: len(nodes)], default=0) + 1)
    for v in range(len(nodes)):
        if v not in alone:
            load[ranks[v]] += breadth[v] + gap
    for v in sorted(alone):
        ranks[v] = min(range(len(load)), key=lambda r: (load[r], r))
        load[ranks[v]] += breadth[v] + gap


def raise_skyline(skyline: list[float], graph: LayerGraph, x: Sequence[float], top: int, gap: float) -> None:
    """Mark the room a placed component takes in each of its layers: up to its right edge there, dummies
    included; a component with clusters over its whole height (a frame is one box across its layers)."""
    right = [-float("inf")] * graph.layer_count
    for v in range(graph.count):
        right[graph.layer[v]] = max(right[graph.layer[v]], x[v] + graph.reach(v)[1])
    if any(graph.side):
        right = [max(right)] * graph.layer_count
    for r, edge in enumerate(right):
        skyline[top + r] = max(skyline[top + r], edge + gap)
