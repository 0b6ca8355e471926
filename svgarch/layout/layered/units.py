"""Phase 4, with clusters or flat edges — a layer as a tree of units.

A layer's order is a tree: a cluster holds its members and its nested
clusters between its two border nodes; a chain holds nodes joined by flat
edges in path order; the layer holds the rest (Sander 1996, "Graph Layout
for Applications in Compiler Construction"; dagre's ``sortSubgraph``).

``arrange`` sorts the children of every unit by the mean of their keys.
Sibling clusters that also lie in the reference layer (the one just placed)
keep their order there: where the keys contradict it they are pooled, as in
Forster (2004), "A Fast and Simple Heuristic for Constrained Two-Level
Crossing Reduction". ``transpose`` swaps neighbouring sibling units, or
turns a chain round, where that removes crossings (dot's ``transpose`` one
level up); two sibling clusters swap only when they share no other layer.
So every unit stays contiguous, and sibling clusters keep one order in all
the layers they share.

A cluster's leading nodes (captions) stay first inside it, in every order.

Pre: a layer of a LayerGraph with its border nodes, in which every cluster
is contiguous between its borders (any order will do for ``arrange``).
Post: the same nodes, every cluster contiguous between its borders and
starting with its leading nodes, every chain contiguous in path order (or
reversed), sibling clusters present in the reference layer in their order
there. Deterministic.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence

from .clusters import Nesting
from .graph import LEFT, RIGHT, LayerGraph

__all__ = ["Forest", "Still", "arrange"]

_SMALL_PRODUCT = 64  # up to this many pairs of neighbour positions, count crossings pair by pair
# a pass of swaps that changed nothing: its layer, ``explore``, and the orders of the layer and those around it
Still = tuple[int, bool, tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]]
_NONE: Mapping[int, int] = {}  # the left borders of a layer without clusters (or of no layer)


class _Unit:
    """A cluster or a chain within one layer: its children (slots or units) and borders."""

    __slots__ = ("chain", "children", "cluster", "lead", "leaf", "left", "near", "right")

    def __init__(self, cluster: int, chain: int = -1) -> None:
        self.cluster = cluster  # -1 for the layer itself and for chains
        self.chain = chain  # index of the flat-edge chain, or -1
        self.children: list[int | _Unit] = []
        self.lead: list[int] = []  # slots kept first, whatever the keys (captions); never swapped
        self.left = self.right = -1  # slots of the border nodes
        self.leaf = True  # whether its children are all slots (or nodes), none a unit: ``_tree`` keeps it
        # for ``Forest.transpose``: the slots of its children's neighbours above and below, in any order
        self.near: list[list[int]] = [[], []]


def _tree(layer: Sequence[int], graph: LayerGraph, nest: Nesting) -> _Unit:
    """The units of ``layer``, each in the order of its first slot; chains in path order as they lie."""
    top = _Unit(-1)
    clusters: dict[int, _Unit] = {}
    chains: dict[int, _Unit] = {}
    path, group, sides, leading, chain_of = nest.path, graph.group, graph.side, nest.leading, nest.chain_of
    owner, owners = top, -2  # the unit of the last node's group, and that group (-2: none yet)
    for slot, v in enumerate(layer):
        if group[v] != owners:  # a run of one group's nodes has one owner
            owners = group[v]
            owner = top
            for cluster in path.get(owners, ()):
                unit = clusters.get(cluster)
                if unit is None:
                    unit = clusters[cluster] = _Unit(cluster)
                    owner.children.append(unit)
                    owner.leaf = False
                owner = unit
        side = sides[v]
        if side == LEFT:
            owner.left = slot
        elif side == RIGHT:
            owner.right = slot
        elif v in leading:
            owner.lead.append(slot)
        elif v in chain_of:
            index = chain_of[v]
            chain = chains.get(index)
            if chain is None:
                chain = chains[index] = _Unit(-1, index)
                owner.children.append(chain)
                owner.leaf = False
            chain.children.append(slot)
        else:
            owner.children.append(slot)
    for chain in chains.values():
        slot_of = {layer[slot]: slot for slot in _members(chain)}
        slots = [slot_of[v] for v in nest.chains[chain.chain]]
        chain.children = [slot for slot in (slots if slots[0] < slots[-1] else reversed(slots))]
    return top


def _members(chain: _Unit) -> list[int]:
    return [slot for slot in chain.children if isinstance(slot, int)]


def _slots(unit: _Unit) -> list[int]:
    """The slots (or nodes) of ``unit`` in its order: left border, leading, children, right border."""
    out: list[int] = []
    _lay_out(unit, out)
    return out


def _lay_out(unit: _Unit, out: list[int]) -> None:
    if unit.left >= 0:
        out.append(unit.left)
    out += unit.lead
    if unit.leaf:
        out += unit.children  # type: ignore[arg-type]  # slots (or nodes) only
    else:
        for child in unit.children:
            if isinstance(child, int):
                out.append(child)
            else:
                _lay_out(child, out)
    if unit.right >= 0:
        out.append(unit.right)


def arrange(
    layer: Sequence[int],
    keys: Sequence[float],
    graph: LayerGraph,
    nest: Nesting,
    reference: int,
    pos: Sequence[int],
    tie: int,
) -> tuple[list[int], _Unit]:
    """``layer`` re-sorted as a tree of units by ``keys``, one per slot, and that tree, its leaves nodes
    (as a ``Forest`` keeps it).

    A unit's key is the mean of its slots' keys (measured: weighting them by
    their links to the fixed layer, as dagre does, gave no fewer crossings);
    a chain turns round when its keys fall along it. Sibling clusters
    present in layer ``reference`` (-1: none) keep the order of their left
    borders there.
    """
    top = _tree(layer, graph, nest)
    _settle(top, keys, nest.lefts.get(reference, _NONE), pos, tie)
    # Its units' children lie in the new order, chains as they lie: the tree ``_tree`` builds from the result.
    return [layer[slot] for slot in _slots(top)], _by_node(top, layer)


def _settle(
    unit: _Unit, keys: Sequence[float], lefts: Mapping[int, int], pos: Sequence[int], tie: int
) -> tuple[float, int, bool]:
    """Sort the children of ``unit`` and of its units: (sum of its slots' keys, how many, whether any moved).
    ``lefts``: the left border node of every cluster present in the reference layer."""
    children = unit.children
    if unit.leaf:  # the common case: slots only, sorted by key as below
        slots: list[int] = children  # type: ignore[assignment]  # a leaf's children are slots
        total = 0.0
        for slot in slots:
            total += keys[slot]
        if len(slots) < 2:
            return total, len(slots), False
        settled = sorted(reversed(slots) if tie < 0 else slots, key=keys.__getitem__)
        if settled == slots:
            return total, len(slots), False
        unit.children = settled  # type: ignore[assignment]
        return total, len(slots), True
    moved = False
    # children that are clusters present in the reference layer: (slot of its left border there, index, weight)
    constrained: list[tuple[int, int, int]] = []
    total, count = 0.0, 0
    child_keys: list[float] = []
    for index, child in enumerate(children):
        if isinstance(child, int):
            part = keys[child]
            total += part
            count += 1
            child_keys.append(part)
            continue
        if child.chain >= 0:
            slots = _members(child)
            middle = (len(slots) - 1) / 2
            if sum((i - middle) * keys[slot] for i, slot in enumerate(slots)) < 0:
                child.children.reverse()
                moved = True
            part, size = sum(keys[slot] for slot in slots), len(slots)
        else:
            inside = child.children
            if not inside:  # nothing to sort, nothing to sum
                part, size = 0.0, 0
            elif len(inside) == 1 and isinstance(inside[0], int):  # one node: nothing to sort (as _settle sums it)
                part, size = 0.0 + keys[inside[0]], 1
            elif child.leaf:  # slots only: sorted here as _settle would
                leaves: list[int] = inside  # type: ignore[assignment]
                part, size = 0.0, len(leaves)
                for slot in leaves:
                    part += keys[slot]
                settled = sorted(reversed(leaves) if tie < 0 else leaves, key=keys.__getitem__)
                if settled != leaves:
                    child.children = settled  # type: ignore[assignment]
                    moved = True
            else:
                part, size, inner = _settle(child, keys, lefts, pos, tie)
                moved = moved or inner
            if not size:  # a cluster with nothing in this layer but its borders
                ends = [child.left, child.right] if child.left >= 0 and child.right >= 0 else _slots(child)
                part = (keys[ends[0]] + keys[ends[-1]]) / 2
            border = lefts.get(child.cluster, -1)
            if border >= 0:
                constrained.append((pos[border], index, max(size, 1)))
        if size:
            total += part
            count += size
            child_keys.append(part / size)
        else:
            child_keys.append(part)
    if len(children) < 2:
        return total, count, moved
    if len(constrained) < 2:  # by key, ties by the order as it stands (from the right when ``tie`` < 0)
        indices = range(len(children) - 1, -1, -1) if tie < 0 else range(len(children))
        order = sorted(indices, key=child_keys.__getitem__)
    else:
        order = _tied(child_keys, constrained, tie)
    if order != list(range(len(children))):
        unit.children = [children[i] for i in order]
        moved = True
    return total, count, moved


def _tied(child_keys: Sequence[float], constrained: list[tuple[int, int, int]], tie: int) -> list[int]:
    """The children's order where some are ``constrained`` to the order of their borders in the reference layer
    (their keys pooled to follow it), and go first among equal keys."""
    constrained.sort()  # in the order of the reference layer (no two borders share a slot)
    if len(constrained) == len(child_keys):  # all of them: their pooled keys rise, so that order it is
        return [i for _, i, _ in constrained]
    pooled = _pool([child_keys[i] for _, i, _ in constrained], [weight for _, _, weight in constrained])
    # (key, constrained first, order, child)
    entries = [(key, 0, rank, entry[1]) for rank, (entry, key) in enumerate(zip(constrained, pooled, strict=True))]
    taken = {i for _, i, _ in constrained}
    entries += [(child_keys[i], 1, tie * i, i) for i in range(len(child_keys)) if i not in taken]
    entries.sort()
    return [entry[3] for entry in entries]


def _pool(keys: list[float], weights: list[int]) -> list[float]:
    """Non-decreasing keys closest to ``keys`` (weighted least squares: pool adjacent violators)."""
    blocks: list[tuple[float, int, int]] = []  # (sum of weighted keys, weight, members)
    for key, weight in zip(keys, weights, strict=True):
        total, mass, members = key * weight, weight, 1
        while blocks and blocks[-1][0] * mass > total * blocks[-1][1]:
            previous = blocks.pop()
            total, mass, members = total + previous[0], mass + previous[1], members + previous[2]
        blocks.append((total, mass, members))
    pooled = [total / mass for total, mass, members in blocks for _ in range(members)]
    return list(itertools.accumulate(pooled, max))  # rounding must not undo the order


class Forest:
    """Every layer's tree of units, its leaves nodes (not slots), kept in step with the layers' order.

    A tree is built once, by ``_tree``, and then changed only by ``sort`` and
    ``transpose``, which lay its layer out from it: so it is always the tree
    ``_tree`` would build from the layer as it stands (a unit's children in
    the order of their first slot, chains as they lie), and the searches need
    not rebuild it at every step. What a pass of swaps depends on (its layer
    and the two around it) is remembered when the pass changes nothing, so
    that it is not made again on the same orders (by any forest of the graph
    given the same ``still``).
    """

    def __init__(
        self,
        layers: Sequence[Sequence[int]],
        graph: LayerGraph,
        nest: Nesting,
        tops: list[_Unit] | None = None,
        still: set[Still] | None = None,
    ) -> None:
        """The forest of ``layers``; ``tops``: their trees as ``arrange`` gave them, if it did; ``still``: the
        passes of swaps found to change nothing, shared with other forests of the graph."""
        self.graph = graph
        self.nest = nest
        self.tops = [_by_node(_tree(layer, graph, nest), layer) for layer in layers] if tops is None else tops
        self.ups: list[Sequence[int]] = [()] * graph.count  # per node: its neighbours' slots above
        self.downs: list[Sequence[int]] = [()] * graph.count  # and below
        self.above: list[tuple[int, ...] | None] = [None] * len(layers)  # per layer: the order above for ``ups``
        self.below: list[tuple[int, ...] | None] = [None] * len(layers)  # and below, for ``downs``
        self.still: set[Still] = set() if still is None else still

    def sort(
        self, layer: list[int], index: int, keys: Sequence[float], reference: int, pos: Sequence[int], tie: int
    ) -> bool:
        """``arrange`` of layer ``index`` (``layer``, ``keys`` by node), in place: whether it changed."""
        top = self.tops[index]
        if not _settle(top, keys, self.nest.lefts.get(reference, _NONE), pos, tie)[2]:
            return False
        layer[:] = _slots(top)
        return True

    def transpose(self, layers: list[list[int]], rank: int, pos: list[int], explore: bool) -> tuple[int, bool]:
        """One left-to-right pass of swaps over every unit of layer ``rank``: (crossings removed, changed).

        With ``explore``, swaps that keep the count equal are made too.
        """
        layer = layers[rank]
        above = layers[rank - 1] if rank > 0 else []
        below = layers[rank + 1] if rank < len(layers) - 1 else []
        # The same pass on the same orders changes nothing again; nor does one without ``explore`` where
        # one with it (which swaps wherever the other would, and more) changed nothing.
        orders = (tuple(layer), tuple(above), tuple(below))
        if (rank, True, orders) in self.still or (not explore and (rank, False, orders) in self.still):
            return 0, False
        ups, downs = self.ups, self.downs
        top = self.tops[rank]
        if self.above[rank] != orders[1]:  # the slots above moved: take them again
            _take_slots(top, layer, self.graph.up, pos, ups, 0)
            self.above[rank] = orders[1]
        if self.below[rank] != orders[2]:
            _take_slots(top, layer, self.graph.down, pos, downs, 1)
            self.below[rank] = orders[2]
        gain, changed = _swap(top, self.nest, ups, downs, explore)
        if changed:
            layer[:] = _slots(top)
            for slot, node in enumerate(layer):
                pos[node] = slot
        else:
            self.still.add((rank, explore, orders))
        return gain, changed


def _by_node(unit: _Unit, layer: Sequence[int]) -> _Unit:
    """``unit`` and its units with the nodes of ``layer`` in place of its slots."""
    children = unit.children
    for index, child in enumerate(children):
        children[index] = layer[child] if isinstance(child, int) else _by_node(child, layer)
    if unit.lead:
        unit.lead = [layer[slot] for slot in unit.lead]
    unit.left = layer[unit.left] if unit.left >= 0 else -1
    unit.right = layer[unit.right] if unit.right >= 0 else -1
    return unit


def _take_slots(
    top: _Unit,
    layer: list[int],
    links: Sequence[Sequence[int]],
    pos: list[int],
    per_node: list[Sequence[int]],
    side: int,
) -> None:
    """Each node of ``layer``'s neighbours' slots on one side (``links``: up or down), into ``per_node``,
    and each unit's gathering of them (``near[side]``)."""
    for v in layer:
        around = links[v]
        count = len(around)
        per_node[v] = [pos[around[0]]] if count == 1 else [pos[n] for n in around] if count else ()
    for child in top.children:  # the layer's own gathering is never asked for
        if not isinstance(child, int):
            _gather(child, per_node, side)


def _gather(unit: _Unit, per_node: Sequence[Sequence[int]], side: int) -> list[int]:
    """Its children's neighbours' slots (``per_node``), kept as ``near[side]`` of ``unit`` and its units."""
    out: list[int] = []
    for child in unit.children:
        out += per_node[child] if isinstance(child, int) else _gather(child, per_node, side)
    unit.near[side] = out
    return out


def _swap(
    unit: _Unit, nest: Nesting, ups: Sequence[Sequence[int]], downs: Sequence[Sequence[int]], explore: bool
) -> tuple[int, bool]:
    """Swap within ``unit`` and its units: (gain, changed). A unit's neighbours are its ``near`` slots
    (any order will do: only their count on either side of another's matters)."""
    gain, changed = 0, False
    children = unit.children
    above: list[Sequence[int]] = []
    below: list[Sequence[int]] = []
    for child in children:
        if isinstance(child, int):
            above.append(ups[child])
            below.append(downs[child])
            continue
        if child.chain >= 0:
            members = _members(child)
            kept = swapped = 0
            for i, first in enumerate(members):
                for second in members[i + 1 :]:
                    for side in (ups, downs):
                        more, less = _pairs(side[first], side[second])
                        kept, swapped = kept + more, swapped + less
            if swapped < kept or (explore and kept and swapped == kept):
                child.children.reverse()
                gain, changed = gain + kept - swapped, True
        elif len(child.children) > 1 or (child.children and not isinstance(child.children[0], int)):
            inner_gain, inner_changed = _swap(child, nest, ups, downs, explore)
            gain, changed = gain + inner_gain, changed or inner_changed
        above.append(child.near[0])
        below.append(child.near[1])
    for index in range(len(children) - 1):
        left, right = children[index], children[index + 1]
        if isinstance(left, _Unit) and isinstance(right, _Unit) and left.cluster >= 0 and right.cluster >= 0:
            span, other = nest.span.get(left.cluster), nest.span.get(right.cluster)
            if span is None or other is None or max(span[0], other[0]) < min(span[1], other[1]):
                continue  # they share another layer, where their order must stay the same
        kept = swapped = 0
        lefts, rights = above[index], above[index + 1]
        if len(lefts) == 1 and len(rights) == 1:  # the common case: one link each
            if lefts[0] > rights[0]:
                kept = 1
            elif lefts[0] < rights[0]:
                swapped = 1
        elif lefts and rights:
            kept, swapped = _pairs(lefts, rights)
        lefts, rights = below[index], below[index + 1]
        if len(lefts) == 1 and len(rights) == 1:
            if lefts[0] > rights[0]:
                kept += 1
            elif lefts[0] < rights[0]:
                swapped += 1
        elif lefts and rights:
            more, less = _pairs(lefts, rights)
            kept, swapped = kept + more, swapped + less
        if swapped < kept or (explore and kept and swapped == kept):
            children[index], children[index + 1] = right, left
            above[index], above[index + 1] = above[index + 1], above[index]
            below[index], below[index + 1] = below[index + 1], below[index]
            gain, changed = gain + kept - swapped, True
    return gain, changed


def _pairs(lefts: Sequence[int], rights: Sequence[int]) -> tuple[int, int]:
    """Pairs (a, b) of ``lefts`` × ``rights`` with a > b (crossings as they are) and a < b (once swapped)."""
    if len(lefts) * len(rights) <= _SMALL_PRODUCT:
        more = less = 0
        for a in lefts:
            for b in rights:
                if a > b:
                    more += 1
                elif a < b:
                    less += 1
        return more, less
    ordered = sorted(rights)
    more = sum(bisect_left(ordered, a) for a in lefts)
    less = sum(len(ordered) - bisect_right(ordered, a) for a in lefts)
    return more, less
