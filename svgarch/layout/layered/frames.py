"""Phase 4, with clusters — whole frames swapped past each other across all the layers they share.

The sweeps (``order``) keep sibling clusters in the order they have in the
layer just placed, and ``units.transpose`` swaps two sibling clusters only
where they share no other layer: so two frames that span several layers
together keep the order the first layer they met in gave them, whatever it
costs in the others. Here two sibling clusters that stand next to each other
(only nodes of their parent between them) in every layer they share trade
places in all those layers at once, where that removes crossings over all
the gaps around them (dot gets the same move from its cluster skeletons,
whose heavy edges make a frame move as one). What lies between them stays
between them.

Pre: an order whose clusters are contiguous between their borders, sibling
clusters in one order in all the layers they share.
Post: the same, with no more crossings; ``pos`` kept in step. Deterministic.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from .clusters import Nesting
from .graph import RIGHT, LayerGraph

__all__ = ["swap"]

_ROUNDS = 8  # passes over the pairs at most (each pass that swaps nothing ends them)


def swap(
    graph: LayerGraph,
    nest: Nesting,
    layers: list[list[int]],
    pos: list[int],
    gap_crossings: Callable[[Sequence[int], Sequence[int], Sequence[Sequence[int]]], int],
) -> bool:
    """Swap neighbouring sibling clusters in ``layers`` (and ``pos``) while that removes crossings
    (``gap_crossings(upper, pos, down)``: those between a layer and the next); whether any were swapped."""
    down = graph.down
    counts = [gap_crossings(layers[g], pos, down) for g in range(len(layers) - 1)]
    changed = False
    right = {(graph.group[v], graph.layer[v]): v for v in range(graph.count) if graph.side[v] == RIGHT}
    parent = {cluster: path[-2] if len(path) > 1 else -1 for cluster, path in nest.path.items()}
    for _ in range(_ROUNDS):
        swapped = False
        for first, second in _pairs(layers, nest, pos, parent):
            (low, high), (other_low, other_high) = nest.span[first], nest.span[second]
            shared = range(max(low, other_low), min(high, other_high) + 1)
            spans = []
            for layer in shared:
                lo, hi = pos[nest.left[(first, layer)]], pos[right[(first, layer)]]
                other_lo, other_hi = pos[nest.left[(second, layer)]], pos[right[(second, layer)]]
                if other_lo < lo:  # the order of a pair may have turned since it was listed
                    lo, hi, other_lo, other_hi = other_lo, other_hi, lo, hi
                between = layers[layer][hi + 1 : other_lo]
                if any(graph.group[v] != parent[first] for v in between):
                    break  # another cluster between them: it would have to jump one of them
                spans.append((layer, lo, hi, other_lo, other_hi))
            else:
                gaps = sorted({g for layer in shared for g in (layer - 1, layer) if 0 <= g < len(layers) - 1})
                before = sum(counts[g] for g in gaps)
                saved = [(layer, layers[layer][:]) for layer in shared]
                for layer, lo, hi, other_lo, other_hi in spans:
                    row = layers[layer]
                    row[lo : other_hi + 1] = row[other_lo : other_hi + 1] + row[hi + 1 : other_lo] + row[lo : hi + 1]
                    for slot in range(lo, other_hi + 1):
                        pos[row[slot]] = slot
                after = {g: gap_crossings(layers[g], pos, down) for g in gaps}
                if sum(after.values()) < before:
                    for g, count in after.items():
                        counts[g] = count
                    swapped = changed = True
                    continue
                for layer, row in saved:
                    layers[layer][:] = row
                    for slot, v in enumerate(row):
                        pos[v] = slot
        if not swapped:
            break
    return changed


def _pairs(
    layers: Sequence[Sequence[int]], nest: Nesting, pos: Sequence[int], parent: dict[int, int]
) -> list[tuple[int, int]]:
    """Sibling clusters sharing two layers or more that stand next to each other (as units of their parent)
    in some layer, each pair once, in the order first met from the top left."""
    out: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for _, present in sorted(nest.lefts.items()):
        by_parent: dict[int, list[tuple[int, int]]] = {}
        for cluster, border in present.items():
            by_parent.setdefault(parent[cluster], []).append((pos[border], cluster))
        for siblings in by_parent.values():
            siblings.sort()
            for (_, a), (_, b) in itertools.pairwise(siblings):
                key = (min(a, b), max(a, b))
                if key in seen:
                    continue
                low = max(nest.span[a][0], nest.span[b][0])
                high = min(nest.span[a][1], nest.span[b][1])
                if high > low:
                    seen.add(key)
                    out.append((a, b))
    return out
