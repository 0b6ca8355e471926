"""Phase 5, fallback — x coordinates for large graphs that Brandes–Köpf spreads into a ribbon.

Brandes–Köpf (``position``) aligns every node with a median neighbour into
vertical blocks and packs the blocks. On a large graph whose edges are not
local (a random DAG, a big mesh), a block links many layers, the packing's
constraints zig-zag from layer to layer through the blocks, and the drawing
grows to many times its widest layer: measured 8× at N = 1000 (45,000 px for
a widest layer of 5,700 px), where dot, which solves a network simplex
instead, stays near its widest layer.

This pass places such graphs the way a force-free "priority" layout does,
in its least-squares form: sweeps down and up the layers, each moving every
node of a layer as near as the layer's separations allow to the weighted
mean of its neighbours' x in the layer just placed (an isotonic regression,
solved exactly by pool-adjacent-violators in linear time), then sweeps
towards both neighbouring layers. Long edges weigh more (dot's ω: 1, 2, 8
for real–real, real–dummy and dummy–dummy links), so they run straight.
A layer never gets wider than its nodes and gaps need, so the drawing stays
near its widest layer.

``too_wide`` says when to use it: a graph without cluster borders, of at
least ``_LEAST_NODES`` nodes, whose Brandes–Köpf drawing is more than
``_RIBBON`` times its widest layer. Small diagrams keep Brandes–Köpf's
straight chains.

Pre: a LayerGraph without border nodes and an order of its layers (phase 4).
Post: centre x per node, every layer's order kept and its separations met;
the leftmost box edge at 0. Deterministic.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .graph import LayerGraph
from .position import Gaps

__all__ = ["run", "too_wide"]

_LEAST_NODES = 150  # real nodes; below, Brandes–Köpf's straightness matters more than its width
_RIBBON = 1.6  # a drawing this many times its widest layer is a ribbon
_SWEEPS = 8  # one-sided sweeps (down, up, ...), then as many two-sided
_WEIGHTS = (1.0, 2.0, 8.0)
_CENTRE = 0.5


def too_wide(graph: LayerGraph, layers: Sequence[Sequence[int]], x: Sequence[float], gaps: Gaps) -> bool:
    """Whether ``x`` (from Brandes–Köpf) spreads ``graph`` into a ribbon this pass should redo."""
    if graph.real_count < _LEAST_NODES or any(graph.side) or not x:
        return False
    widest = max(_packed_width(graph, layer, gaps) for layer in layers)
    low = min(value - graph.reach(v)[0] for v, value in enumerate(x))
    high = max(value + graph.reach(v)[1] for v, value in enumerate(x))
    return high - low > _RIBBON * widest


def run(graph: LayerGraph, layers: Sequence[Sequence[int]], gaps: Gaps) -> list[float]:
    """Centre x of every node of ``graph`` (which has no border nodes)."""
    real = graph.real_count
    seps = [[_separation(graph, gaps, a, b) for a, b in itertools.pairwise(layer)] for layer in layers]
    x = [0.0] * graph.count
    for layer, gap in zip(layers, seps, strict=True):  # every layer packed, centred on 0
        at = 0.0
        for index, v in enumerate(layer):
            x[v] = at
            if index < len(gap):
                at += gap[index]
        for v in layer:
            x[v] -= at / 2
    up = [[(w, _WEIGHTS[(v >= real) + (w >= real)]) for w in graph.up[v]] for v in range(graph.count)]
    down = [[(w, _WEIGHTS[(v >= real) + (w >= real)]) for w in graph.down[v]] for v in range(graph.count)]
    both = [up[v] + down[v] for v in range(graph.count)]
    order = list(range(len(layers)))
    for sweep in range(2 * _SWEEPS):
        downward = sweep % 2 == 0
        indices = order if downward else order[::-1]
        links = both if sweep >= _SWEEPS else up if downward else down
        for index in indices:
            _settle(layers[index], seps[index], links, x)
    low = min((value - graph.reach(v)[0] for v, value in enumerate(x)), default=0.0)
    return [value - low for value in x]


def _settle(
    layer: Sequence[int], seps: Sequence[float], links: Sequence[Sequence[tuple[int, float]]], x: list[float]
) -> None:
    """Move the nodes of ``layer`` as near their neighbours' weighted mean as the separations allow.

    With ``offset[i]`` the least distance from the first node to node ``i``,
    ``y[i] = x[i] - offset[i]`` must not decrease along the layer: the least
    squares fit is an isotonic regression, pooled from the left.
    """
    if not layer:
        return
    offsets = [0.0]
    for gap in seps:
        offsets.append(offsets[-1] + gap)
    pools: list[list[float]] = []  # [total weight, weighted sum of targets, node count]
    for i, v in enumerate(layer):
        around = links[v]
        if around:
            weight = sum(w for _, w in around)
            target = sum(x[n] * w for n, w in around) / (weight + _CENTRE)
            weight += _CENTRE
        else:
            weight, target = 1e-3, x[v]  # nothing pulls it: it stays, unless pushed
        pool = [weight, weight * (target - offsets[i]), 1.0]
        while pools and pools[-1][1] / pools[-1][0] >= pool[1] / pool[0]:
            last = pools.pop()
            pool = [last[0] + pool[0], last[1] + pool[1], last[2] + pool[2]]
        pools.append(pool)
    i = 0
    for weight, total, size in pools:
        level = total / weight
        for _ in range(int(size)):
            x[layer[i]] = level + offsets[i]
            i += 1


def _separation(graph: LayerGraph, gaps: Gaps, left: int, right: int) -> float:
    """Least distance between the centres of neighbours ``left`` and ``right`` (no borders)."""
    real = graph.real_count
    gap = gaps.node if left < real and right < real else gaps.edge
    if graph.group[left] != graph.group[right]:
        gap += gaps.group
    return graph.reach(left)[1] + graph.reach(right)[0] + gap


def _packed_width(graph: LayerGraph, layer: Sequence[int], gaps: Gaps) -> float:
    if not layer:
        return 0.0
    inner = sum(_separation(graph, gaps, a, b) for a, b in itertools.pairwise(layer))
    return inner + graph.reach(layer[0])[0] + graph.reach(layer[-1])[1]
