"""Phase 4, last step — the description's order wherever crossings allow it.

Crossing reduction (``order``) leaves many orders with the fewest crossings it
found, and picks one by its own search: two children of one parent, a
cluster's members without edges among themselves, or a node with no
neighbours in the next layers, come out in whatever order the sweeps left.
A reader expects the order the author wrote (step 1 left of step 2, a
group's members as listed), so this pass moves every node, chain and
one-layer cluster left past those the description puts after it, one insertion sort
per unit of each layer (``units``), as far as that adds no crossing: the
change in crossings of a move is exact (only pairs involving the moved unit
change), so the total never grows. Nodes the caller marks ``free`` (label
nodes), dummies and borders have no place in the description: units may
pass them on their way, never for their own sake. A cluster spanning
several layers stays where crossing reduction put it.

Pre: an order from phase 4 (every cluster contiguous between its borders,
sibling clusters in one order in all the layers they share).
Post: the same, with no more crossings; in every unit of every layer, no
unit that the description puts first can move left of a later one it
follows without adding a crossing (within ``_REACH`` places). Deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence

from .clusters import Nesting, nesting
from .graph import LayerGraph
from .units import _members, _pairs, _slots, _tree, _Unit

__all__ = ["run"]

_PASSES = 4  # sweeps down and up the layers; each only removes inversions, most settle in one
_REACH = 48  # places a unit looks to its left: bounds the pass at O(width x reach) per layer


def run(graph: LayerGraph, layers: list[list[int]], passes: int = _PASSES) -> None:
    """Reorder ``layers`` in place toward the description's order, adding no crossing, in at most ``passes``
    sweeps over the layers."""
    keys: list[int | None] = [None] * graph.count
    for v in range(graph.real_count):
        if v not in graph.free:
            keys[v] = v
    nest = nesting(graph)
    first: dict[int, int] = {}  # cluster -> its first member in the description, over all its layers
    for v in range(graph.real_count):
        if keys[v] is not None:
            for cluster in nest.path.get(graph.group[v], ()):
                first.setdefault(cluster, v)
    pos = [0] * graph.count
    for layer in layers:
        for slot, v in enumerate(layer):
            pos[v] = slot
    # per layer: tidied without a move, and neither it nor a layer next to it moved since (a layer's tidying is a
    # function of its order and theirs, so it would move nothing again)
    quiet = [False] * len(layers)
    for sweep in range(passes):
        moved = False
        indices = range(len(layers)) if sweep % 2 == 0 else range(len(layers) - 1, -1, -1)
        for index in indices:
            if quiet[index]:
                continue
            if not _tidy_layer(layers, index, graph, nest, pos, keys, first):
                quiet[index] = True
                continue
            moved = True
            if index > 0:
                quiet[index - 1] = False
            if index < len(layers) - 1:
                quiet[index + 1] = False
        if not moved:
            break


def _tidy_layer(
    layers: list[list[int]],
    index: int,
    graph: LayerGraph,
    nest: Nesting,
    pos: list[int],
    keys: Sequence[int | None],
    first: dict[int, int],
) -> bool:
    """Tidy one layer: whether anything moved."""
    layer = layers[index]
    if len(layer) < 2:
        return False
    top = _tree(layer, graph, nest)
    ups = [[pos[n] for n in graph.up[v]] for v in layer]
    downs = [[pos[n] for n in graph.down[v]] for v in layer]
    slot_keys = [keys[v] for v in layer]
    if not _tidy_unit(top, _Context(nest, ups, downs, slot_keys, first)):
        return False
    layer[:] = [layer[slot] for slot in _slots(top)]
    for slot, v in enumerate(layer):
        pos[v] = slot
    return True


class _Context:
    """What every unit of one layer needs: its slots' neighbour positions and description keys."""

    __slots__ = ("downs", "first", "keys", "nest", "ups")

    def __init__(
        self,
        nest: Nesting,
        ups: list[list[int]],
        downs: list[list[int]],
        keys: list[int | None],
        first: dict[int, int],
    ) -> None:
        self.nest, self.ups, self.downs, self.keys, self.first = nest, ups, downs, keys, first


def _tidy_unit(unit: _Unit, c: _Context) -> bool:
    """Insertion sort of ``unit``'s children by description key, each move adding no crossing."""
    changed = False
    keys: list[int | None] = []
    above: list[list[int]] = []
    below: list[list[int]] = []
    for child in unit.children:
        if isinstance(child, int):
            keys.append(c.keys[child])
            above.append(c.ups[child])
            below.append(c.downs[child])
            continue
        if child.chain < 0:
            changed = _tidy_unit(child, c) or changed
            keys.append(c.first.get(child.cluster))
            slots = _slots(child)
        else:
            slots = _members(child)
            known = [k for k in (c.keys[s] for s in slots) if k is not None]
            keys.append(min(known) if known else None)
        above.append([p for s in slots for p in c.ups[s]])
        below.append([p for s in slots for p in c.downs[s]])
    children = unit.children
    for i in range(1, len(children)):
        key = keys[i]
        if key is None:
            continue
        delta, best = 0, i
        moving = children[i]
        for j in range(i - 1, max(-1, i - 1 - _REACH), -1):
            other, passed = keys[j], children[j]
            if (other is not None and other < key) or (
                not (type(passed) is int and type(moving) is int) and _bound(passed, moving, c.nest)
            ):  # two nodes are never bound
                break
            more, less = _pairs(above[j], above[i])
            delta += less - more
            more, less = _pairs(below[j], below[i])
            delta += less - more
            if other is not None and delta <= 0:
                best = j
        if best < i:
            children.insert(best, children.pop(i))
            keys.insert(best, keys.pop(i))
            above.insert(best, above.pop(i))
            below.insert(best, below.pop(i))
            changed = True
    return changed


def _bound(left: int | _Unit, right: int | _Unit, nest: Nesting) -> bool:
    """Whether either is a cluster spanning several layers: it stays where crossing reduction put it.

    Moving it in one layer would pull its frame across the others (measured: a frame moved past
    unframed blocks made their edges run round it, for no crossing saved)."""
    for unit in (left, right):
        if isinstance(unit, _Unit) and unit.cluster >= 0:
            span = nest.span.get(unit.cluster)
            if span is None or span[0] < span[1]:
                return True
    return False
