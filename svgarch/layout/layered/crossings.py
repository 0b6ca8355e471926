"""Count edge crossings between consecutive layers.

Follows Barth, Jünger, Mutzel (2004), "Simple and Efficient Bilayer Cross
Counting": sort the links of a layer pair by (upper position, lower
position); the crossings are then the inversions of the lower positions,
counted with an accumulator tree in O(E log V).

Pre: every counted link joins two consecutive layers.
Post: nothing is changed; links that share an endpoint never count as a crossing.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Sequence

__all__ = ["bilayer_crossings", "count_crossings", "drawn_cost", "inversions"]


def inversions(lower: Sequence[int], size: int) -> int:
    """Pairs i < j with ``lower[i] > lower[j]``; every value lies in ``range(size)``.

    ``lower`` lists the lower positions of a layer pair's links, sorted by
    (upper position, lower position): its inversions are the crossings.
    """
    first = 1
    while first < size:
        first *= 2
    tree = [0] * (2 * first - 1)
    first -= 1
    crossings = 0
    for position in lower:
        index = position + first
        tree[index] += 1
        while index > 0:
            if index % 2:
                crossings += tree[index + 1]
            index = (index - 1) // 2
            tree[index] += 1
    return crossings


def bilayer_crossings(links: Iterable[tuple[int, int]]) -> int:
    """Crossings among links given as (upper position, lower position) pairs."""
    ordered = sorted(links)
    if not ordered:
        return 0
    lower = [south for _, south in ordered]
    return inversions(lower, max(lower) + 1)


def count_crossings(
    layers: Sequence[Sequence[Hashable]],
    edges: Iterable[tuple[Hashable, Hashable]],
) -> int:
    """Crossings of ``edges`` drawn between the ordered ``layers``.

    Every edge must join two consecutive layers (in either direction);
    raises ValueError otherwise.
    """
    where: dict[Hashable, tuple[int, int]] = {}
    for layer_index, layer in enumerate(layers):
        for position, node in enumerate(layer):
            where[node] = (layer_index, position)
    per_gap: list[list[tuple[int, int]]] = [[] for _ in range(max(len(layers) - 1, 0))]
    for source, target in edges:
        if source not in where or target not in where:
            raise ValueError(f"edge {source!r} -> {target!r} names a node in no layer")
        (layer_a, pos_a), (layer_b, pos_b) = where[source], where[target]
        if layer_b == layer_a + 1:
            per_gap[layer_a].append((pos_a, pos_b))
        elif layer_a == layer_b + 1:
            per_gap[layer_b].append((pos_b, pos_a))
        else:
            raise ValueError(f"edge {source!r} -> {target!r} does not join consecutive layers")
    return sum(bilayer_crossings(links) for links in per_gap)


def drawn_cost(
    links: Sequence[tuple[int, int]],
    ranks: Sequence[int],
    centres: Sequence[tuple[float, float]],
    bends: Sequence[Sequence[tuple[float, float]]],
) -> tuple[int, float]:
    """A placed layout's crossings and its edges' total length, each edge drawn as straight runs from
    its upper end through its bends (one per layer between, top to bottom) to its lower end; links
    with an end that is no node, or both ends in one layer, are left out."""
    per_gap: dict[int, list[tuple[float, float]]] = {}
    length = 0.0
    for (s, t), points in zip(links, bends, strict=True):
        if s < 0 or t < 0 or ranks[s] == ranks[t]:
            continue
        upper, lower = (s, t) if ranks[s] < ranks[t] else (t, s)
        line = [centres[upper], *points, centres[lower]]
        for k, (p, q) in enumerate(itertools.pairwise(line)):
            length += math.dist(p, q)
            per_gap.setdefault(ranks[upper] + k, []).append((p[0], q[0]))
    crossings = 0
    for gap in sorted(per_gap):
        runs = per_gap[gap]
        spots = {x: i for i, x in enumerate(sorted({b for _, b in runs}))}
        crossings += inversions([spots[b] for _, b in sorted(runs)], len(spots))
    return crossings, length
