"""Phase 5, second step — straighter edges and tighter frames, by network simplex.

Brandes–Köpf (``position``) places fast and balanced, but it aligns each node
with one median neighbour and compacts each of its four layouts to one side:
a chain of blocks of unequal width zig-zags by the difference of their
widths, a frame's members drift apart (one aligned with a block above the
frame, one with a block below), and what no alignment holds sits wherever
the balance left it. Gansner et al. (1993, §4.2, dot's ``position.c``) state
the aim exactly: the least total of ``weight x |x_u - x_v|`` over the links,
under the separations of neighbours in a layer, solved by network simplex on
an auxiliary graph where every link becomes a node with two edges to its
ends. Here a link weighs 1 between two blocks, 2 between a block and a
long edge's dummy and 8 between two dummies (long edges run straight, as in
dot), and 4 along a chain (a block with one link up joined to one with one
link down), so chains line up first. A frame's two borders are one variable
each, joined by an edge of weight ``_FRAME`` per layer it spans: a frame
narrows to its members while it costs no link a straight run.

Starting from the Brandes–Köpf layout rounded onto whole units (so the
balance it found stays wherever the total is flat), network simplex only
moves what lowers the total. Big graphs get fewer pivots (``_PIVOT_WORK``): most of
the gain on them comes from the tight tree alone.

Pre: a LayerGraph, its layers' order, and ``position.run``'s x for it.
Post: x with the same order, every separation met, both borders of a
cluster side on one line, the leftmost box edge at 0; the weighted total
link length no larger than before (in whole units).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from .graph import LEFT, LayerGraph
from .position import Gaps, separation
from .simplex import network_simplex

__all__ = ["run"]

_MOST_NODES = 20_000  # larger layer graphs keep Brandes–Köpf's x
_PIVOT_WORK = 60_000  # pivots x nodes: a pivot renumbers up to the whole tree (the corpus needs < 70, gets > 100)
_FRAME = 1  # weight of a frame's breadth, per layer it spans
_DUMMY_DUMMY, _BLOCK_DUMMY, _BLOCK_BLOCK, _CHAIN = 8, 1, 1, 4


def run(graph: LayerGraph, layers: Sequence[Sequence[int]], gaps: Gaps, x: Sequence[float]) -> list[float]:
    """Centre x of every node of ``graph``: ``x`` (Brandes–Köpf's) with every link as short as it can be."""
    count = graph.count
    if count < 2 or count > _MOST_NODES:
        return list(x)
    variable, variables = _variables(graph)
    tails: list[int] = []
    heads: list[int] = []
    minlens: list[int] = []
    weights: list[int] = []

    def constrain(tail: int, head: int, minlen: int, weight: int) -> None:
        tails.append(tail)
        heads.append(head)
        minlens.append(minlen)
        weights.append(weight)

    for row in layers:  # separations: left neighbour before right, in whole units
        for left, right in itertools.pairwise(row):
            constrain(variable[left], variable[right], math.ceil(separation(graph, gaps, left, right) - 1e-6), 0)
    spans: dict[int, int] = {}
    for v in range(count):
        if graph.side[v]:
            spans[graph.group[v]] = spans.get(graph.group[v], 0) + 1
    total = variables
    for cluster, layers_spanned in sorted(spans.items()):  # a frame's breadth costs: it narrows round its members
        left, right = _border_variables(graph, cluster, variable)
        if left >= 0 and right >= 0:
            constrain(left, right, 0, _FRAME * layers_spanned // 2)
    ends: list[tuple[int, int]] = []
    real_ends = _real_ends(graph)
    for v in range(count):  # every link |x_v - x_w| as a node below both ends
        if graph.side[v]:
            continue
        for w in graph.down[v]:
            weight = _weight(graph, v, w, real_ends)
            constrain(total, variable[v], 0, weight)
            constrain(total, variable[w], 0, weight)
            ends.append((variable[v], variable[w]))
            total += 1
    start = _feasible(tails, heads, minlens, [round(value) for value in _start(x, variable, variables)])
    if start is None:
        return list(x)
    rank = start + [0] * (total - variables)
    for node, (a, b) in enumerate(ends, start=variables):  # a link node at the lesser x of its ends: tight
        rank[node] = min(rank[a], rank[b])
    network_simplex(total, tails, heads, minlens, rank, max_pivots=_PIVOT_WORK // total, weights=weights)
    result = [float(rank[variable[v]]) for v in range(count)]
    _centre(graph, layers, gaps, result, real_ends)
    low = min(value - graph.reach(v)[0] for v, value in enumerate(result))
    return [value - low for value in result]


def _weight(graph: LayerGraph, v: int, w: int, ends: Sequence[tuple[int, int]] = ()) -> int:
    """How much a link's run across counts: dot's 1 / 2 / 8 (here 1 for a block and a dummy, so that
    a merge stays between its inputs), and a link of a chain of blocks 4: the block above has one
    link down, the block below one link up, directly or through the dummies of one long edge
    (``ends``: every node's real ends above and below, see ``_real_ends``)."""
    real = graph.real_count
    if v >= real and w >= real:
        return _DUMMY_DUMMY
    top = ends[v][0] if ends and v >= real else v
    bottom = ends[w][1] if ends and w >= real else w
    if top < real and bottom < real and len(graph.down[top]) == 1 and len(graph.up[bottom]) == 1:
        return _CHAIN
    return _BLOCK_DUMMY if v >= real or w >= real else _BLOCK_BLOCK


def _real_ends(graph: LayerGraph) -> list[tuple[int, int]]:
    """Per node: for a dummy, the real nodes its long edge joins above and below (-1 if none); for
    any other node, itself twice."""
    real = graph.real_count
    ends = [(v, v) for v in range(graph.count)]
    for v in range(real, graph.count):
        if graph.side[v]:
            continue
        top = bottom = v
        while real <= top and graph.up[top] and not graph.side[top]:
            top = graph.up[top][0]
        while real <= bottom and graph.down[bottom] and not graph.side[bottom]:
            bottom = graph.down[bottom][0]
        ends[v] = (top if top < real else -1, bottom if bottom < real else -1)
    return ends


def _variables(graph: LayerGraph) -> tuple[list[int], int]:
    """One variable per node, but one per side of a cluster for all its border nodes."""
    variable = [-1] * graph.count
    border: dict[tuple[int, int], int] = {}
    next_variable = 0
    for v in range(graph.count):
        if graph.side[v]:
            key = (graph.group[v], graph.side[v])
            if key not in border:
                border[key] = next_variable
                next_variable += 1
            variable[v] = border[key]
        else:
            variable[v] = next_variable
            next_variable += 1
    return variable, next_variable


def _border_variables(graph: LayerGraph, cluster: int, variable: Sequence[int]) -> tuple[int, int]:
    """The variables of a cluster's left and right border (-1: it has none)."""
    left = right = -1
    for v in range(graph.count):
        if graph.side[v] and graph.group[v] == cluster:
            if graph.side[v] == LEFT:
                left = variable[v]
            else:
                right = variable[v]
    return left, right


def _start(x: Sequence[float], variable: Sequence[int], variables: int) -> list[float]:
    """Each variable's x in the Brandes–Köpf layout (a border side's: its first node's)."""
    start = [0.0] * variables
    seen = [False] * variables
    for v, value in enumerate(x):
        if not seen[variable[v]]:
            seen[variable[v]] = True
            start[variable[v]] = value
    return start


def _feasible(tails: Sequence[int], heads: Sequence[int], minlens: Sequence[int], start: list[int]) -> list[int] | None:
    """``start`` pushed right, in topological order, until every separation holds (link edges
    aside); None if the separations form a cycle."""
    variables = len(start)
    successors: list[list[int]] = [[] for _ in range(variables)]
    pending = [0] * variables
    for e, (t, h) in enumerate(zip(tails, heads, strict=True)):
        if t < variables and h < variables:
            successors[t].append(e)
            pending[h] += 1
    ready = [v for v in range(variables) if pending[v] == 0]
    done = 0
    rank = list(start)
    while ready:
        v = ready.pop()
        done += 1
        for e in successors[v]:
            h = heads[e]
            rank[h] = max(rank[h], rank[v] + minlens[e])
            pending[h] -= 1
            if pending[h] == 0:
                ready.append(h)
    return rank if done == variables else None


def _centre(
    graph: LayerGraph, layers: Sequence[Sequence[int]], gaps: Gaps, x: list[float], ends: Sequence[tuple[int, int]]
) -> None:
    """Every node that its links pull equally both ways (a parent over two children, a merge under
    two inputs) moved to the middle of where it costs least, as far as its neighbours allow.

    Network simplex leaves such a node at an end of that range (its tree edges are tight); the
    middle reads as the balance Brandes–Köpf meant. Only links of the moved node change, and not
    for the worse, so the total stays as low.
    """
    # per layer, its nodes with two links or more: (node, its neighbours left and right (-1: none), the
    # separations from them, its links up and down with their weights), found once for both passes
    movable: list[list[tuple[int, int, int, float, float, list[tuple[int, int]], list[tuple[int, int]]]]] = []
    for row in layers:
        found = []
        for index, v in enumerate(row):
            if graph.side[v] or len(graph.up[v]) + len(graph.down[v]) < 2:
                continue
            left = row[index - 1] if index else -1
            right = row[index + 1] if index + 1 < len(row) else -1
            found.append((
                v,
                left,
                right,
                separation(graph, gaps, left, v) if left >= 0 else 0.0,
                separation(graph, gaps, v, right) if right >= 0 else 0.0,
                [(w, _weight(graph, w, v, ends)) for w in graph.up[v]],
                [(w, _weight(graph, v, w, ends)) for w in graph.down[v]],
            ))  # fmt: skip
        movable.append(found)
    for found in itertools.chain(movable, reversed(movable)):
        for v, left, right, before, after, ups, downs in found:
            pulls = [(x[w], weight, -1) for w, weight in ups]
            pulls += [(x[w], weight, 1) for w, weight in downs]
            pulls.sort()
            lo = x[left] + before if left >= 0 else -math.inf
            hi = x[right] - after if right >= 0 else math.inf
            low, high = _cheapest(pulls)
            if low == high:
                continue
            target = min(max((low + high) / 2, lo), hi)
            if _cost(pulls, target) <= _cost(pulls, x[v]) + 1e-9:
                x[v] = target


def _cheapest(pulls: Sequence[tuple[float, int, int]]) -> tuple[float, float]:
    """The range of x where the total of ``weight x |x - at|`` over sorted ``pulls`` is least, if
    links on one side (up or down) bound it; else a point, so that a node between a link up and a
    link down keeps one of them straight rather than bending both."""
    total = sum(weight for _, weight, _ in pulls)
    running = 0
    for k, (at, weight, side) in enumerate(pulls):
        running += weight
        if 2 * running == total:
            return (at, pulls[k + 1][0]) if pulls[k + 1][2] == side else (at, at)
        if 2 * running > total:
            return at, at
    return pulls[-1][0], pulls[-1][0]


def _cost(pulls: Sequence[tuple[float, int, int]], at: float) -> float:
    return sum(weight * abs(at - where) for where, weight, _ in pulls)
