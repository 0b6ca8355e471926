"""Phase 4, after crossing reduction — two long arms of one fan that cross are nested again.

Two edges sharing an end (arms of a fan) that both pass through layers as
chains of dummies may swap sides far from their common end: crossing
reduction weighs that crossing like any other, and a sweep that settles
the arms' order near their far ends need not carry it back to the shared
end. Exchanging the two chains' dummies in every layer between the shared
end and the layer where their order flips leaves each arm on the other's
track there, so they no longer cross; it is kept only where the whole
drawing then crosses less (the crossings with other edges may move).

Pre: layers from crossing reduction. Post: the same nodes per layer; no
more crossings than before; each cluster's members and borders where they
were (only two dummies of one cluster, neither a border, ever trade
places). Deterministic.
"""

from __future__ import annotations

import itertools

from .graph import LayerGraph
from .order import total_crossings

MANY_BLOCKS = 400  # real nodes from which the pass is skipped (generated graphs: each trial counts all)
FAN_ARMS = 12  # arms of one end beyond which the fan is left as crossing reduction ordered it


def run(graph: LayerGraph, layers: list[list[int]]) -> None:
    """Nest the crossing arms of each fan in ``layers`` (in place) where that lowers the crossings."""
    if graph.real_count >= MANY_BLOCKS:
        return
    ends: dict[tuple[int, int], list[list[int]]] = {}  # (end node, 0 above / 1 below) -> arms from it
    for chain in graph.chains:
        if not chain or len(graph.up[chain[0]]) != 1 or len(graph.down[chain[-1]]) != 1:
            continue
        top, bottom = graph.up[chain[0]][0], graph.down[chain[-1]][0]
        ends.setdefault((top, 0), []).append([*chain, bottom])
        ends.setdefault((bottom, 1), []).append([*chain[::-1], top])
    pos = _positions(graph.count, layers)
    crossings = -1
    for _, arms in sorted(ends.items()):
        if len(arms) > FAN_ARMS:
            continue
        for a, b in itertools.combinations(arms, 2):
            for _ in range(min(len(a), len(b))):  # each flip nested moves the next one out
                flip = _flip(a, b, pos)
                if flip is None or not all(_swappable(graph, a[k], b[k]) for k in range(flip)):
                    break
                if crossings < 0:
                    crossings = total_crossings(layers, pos, graph.down)
                _swap(graph, layers, pos, a, b, flip)
                now = total_crossings(layers, pos, graph.down)
                if now >= crossings:
                    _swap(graph, layers, pos, a, b, flip)
                    break
                crossings = now


def _flip(a: list[int], b: list[int], pos: list[int]) -> int | None:
    """The first step from the shared end where arms ``a`` and ``b`` (nodes from it, layer by layer) change
    sides, while both still pass through dummies up to it."""
    first = pos[a[0]] < pos[b[0]]
    for k in range(1, min(len(a), len(b))):
        if (pos[a[k]] < pos[b[k]]) != first:
            return k
    return None


def _swappable(graph: LayerGraph, u: int, v: int) -> bool:
    """Whether nodes ``u`` and ``v`` (one layer) may trade places: two dummies of one cluster."""
    dummy = u >= graph.real_count and v >= graph.real_count and not graph.side[u] and not graph.side[v]
    return dummy and u not in graph.free and v not in graph.free and graph.group[u] == graph.group[v]


def _swap(graph: LayerGraph, layers: list[list[int]], pos: list[int], a: list[int], b: list[int], upto: int) -> None:
    """Arms ``a`` and ``b`` trade places in the layers of their first ``upto`` nodes."""
    for k in range(upto):
        u, v = a[k], b[k]
        row = layers[graph.layer[u]]
        row[pos[u]], row[pos[v]] = v, u
        pos[u], pos[v] = pos[v], pos[u]


def _positions(count: int, layers: list[list[int]]) -> list[int]:
    pos = [0] * count
    for layer in layers:
        for index, node in enumerate(layer):
            pos[node] = index
    return pos
