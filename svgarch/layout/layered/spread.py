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
least ``LEAST_NODES`` nodes, whose Brandes–Köpf drawing is more than
``_RIBBON`` times its widest layer. Small diagrams keep Brandes–Köpf's
straight chains.

Pre: a LayerGraph without border nodes and an order of its layers (phase 4).
Post: centre x per node, every layer's order kept and its separations met;
the leftmost box edge at 0. Deterministic.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from operator import mul

from .graph import LayerGraph
from .position import Gaps

__all__ = ["LEAST_NODES", "run", "too_wide"]

LEAST_NODES = 150  # real nodes; below, Brandes–Köpf's straightness matters more than its width
_RIBBON = 1.6  # a drawing this many times its widest layer is a ribbon
_SWEEPS = 4  # one-sided sweeps (down, up, ...), then as many two-sided
_WEIGHTS = (1.0, 2.0, 8.0)
_CENTRE = 0.5  # weight of a pull towards x = 0, so layers do not drift sideways
_LOOSE = 1e-3  # weight of a node nothing pulls: it stays where it is unless pushed


def too_wide(graph: LayerGraph, layers: Sequence[Sequence[int]], x: Sequence[float], gaps: Gaps) -> bool:
    """Whether ``x`` (from Brandes–Köpf) spreads ``graph`` into a ribbon this pass should redo."""
    if graph.real_count < LEAST_NODES or any(graph.side) or not x:
        return False
    widest = max(_packed_width(graph, layer, gaps) for layer in layers)
    low = min(value - graph.reach(v)[0] for v, value in enumerate(x))
    high = max(value + graph.reach(v)[1] for v, value in enumerate(x))
    return high - low > _RIBBON * widest


def run(graph: LayerGraph, layers: Sequence[Sequence[int]], gaps: Gaps) -> list[float]:
    """Centre x of every node of ``graph`` (which has no border nodes)."""
    real = graph.real_count
    offsets = []  # per layer, the least distance from its first node to each of its nodes
    x = [0.0] * graph.count
    for layer in layers:  # every layer packed, centred on 0
        at = [0.0]
        for a, b in itertools.pairwise(layer):
            at.append(at[-1] + _separation(graph, gaps, a, b))
        offsets.append(at)
        for v, offset in zip(layer, at, strict=True):
            x[v] = offset - at[-1] / 2
    up = [_Pull(graph.up[v], v, real) for v in range(graph.count)]
    down = [_Pull(graph.down[v], v, real) for v in range(graph.count)]
    both = [_Pull(graph.up[v] + graph.down[v], v, real) for v in range(graph.count)]
    order = list(range(len(layers)))
    for sweep in range(2 * _SWEEPS):
        downward = sweep % 2 == 0
        indices = order if downward else order[::-1]
        pulls = both if sweep >= _SWEEPS else up if downward else down
        for index in indices:
            _settle(layers[index], offsets[index], pulls, x)
    low = min((value - graph.reach(v)[0] for v, value in enumerate(x)), default=0.0)
    return [value - low for value in x]


class _Pull:
    """What pulls a node across its layer: its neighbours on one side (or both), with their weights."""

    __slots__ = ("neighbours", "total", "weights")

    def __init__(self, neighbours: Sequence[int], v: int, real: int) -> None:
        self.neighbours = list(neighbours)
        self.weights = [_WEIGHTS[(v >= real) + (w >= real)] for w in neighbours]
        self.total = sum(self.weights) + _CENTRE if neighbours else _LOOSE


def _settle(layer: Sequence[int], offsets: Sequence[float], pulls: Sequence[_Pull], x: list[float]) -> None:
    """Move the nodes of ``layer`` as near their neighbours' weighted mean as the separations allow.

    With ``offsets[i]`` the least distance from the first node to node ``i``,
    ``y[i] = x[i] - offsets[i]`` must not decrease along the layer: the least
    squares fit is an isotonic regression, pooled from the left.
    """
    masses: list[float] = []  # per pool: total weight, weighted sum of y, node count
    sums: list[float] = []
    sizes: list[int] = []
    at = x.__getitem__
    for v, offset in zip(layer, offsets, strict=True):
        pull = pulls[v]
        mass = pull.total
        if pull.neighbours:  # the weighted mean of the neighbours, a little towards 0 (keeps layers centred)
            # each x[n] * w, summed in order: in C (sweeps of thousands of nodes)
            total = sum(map(mul, map(at, pull.neighbours), pull.weights)) - mass * offset
        else:  # nothing pulls it: it stays, unless pushed
            total = mass * (x[v] - offset)
        size = 1
        while masses and sums[-1] * mass >= total * masses[-1]:
            mass += masses.pop()
            total += sums.pop()
            size += sizes.pop()
        masses.append(mass)
        sums.append(total)
        sizes.append(size)
    i = 0
    for mass, total, size in zip(masses, sums, sizes, strict=True):
        level = total / mass
        for v in layer[i : i + size]:
            x[v] = level + offsets[i]
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
