"""Phase 2 — assign every node a layer (rank).

Minimises the total edge length as dot does (Gansner, Koutsofios, North,
Vo 1993, §2), in three steps that each keep the ranking feasible:

1. a longest-path layering (their ``init_rank``);
2. a cheap tightening: each free node moves to the end of its feasible
   interval that shortens its edges (more incoming than outgoing edges:
   up; more outgoing: down), until no move helps;
3. network simplex (``simplex.py``): growing the tight spanning tree alone
   shifts whole subgraphs and comes within a few percent of the optimum;
   pivots then reach it. A pivot may renumber the whole tree, so their
   number is capped at ``_PIVOT_WORK / nodes``: optimal for diagrams of a few
   hundred nodes, near-optimal and linear-time beyond;
4. balancing: a node with one edge in and one out (by weight) costs the
   same anywhere between its two neighbours, and goes next to its source.

Fixed ranks are hard: fixed nodes keep exactly their rank, and a free node
stays between its fixed ancestors and fixed descendants. When the fixed
ranks leave too little room for a path of free nodes, some of its edges
become flat (both ends on one layer) instead of pointing up.

Pre: the edges given are oriented by phase 1 (acyclic together with the
fixed-rank chain) and exclude self-loops and edges between two fixed nodes.
Post: ``rank[target] >= rank[source]`` for every edge given, with equality
only where fixed ranks forced it; fixed nodes carry their rank.
Ranks may be negative; the caller normalises them.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Sequence

from .simplex import network_simplex

__all__ = ["run"]

_INF = 1 << 60
# A pivot may renumber the whole tree, so small components get an optimal
# ranking and large ones a bounded number of pivots after the tight tree.
_PIVOT_WORK = 20_000


def run(
    node_count: int,
    edges: Sequence[tuple[int, int]],
    fixed: Sequence[int | None],
    *,
    minlens: Sequence[int] | None = None,
    max_pivots: int | None = None,
    weights: Sequence[int] | None = None,
) -> list[int]:
    """Ranks for nodes ``0 .. node_count - 1`` of one connected component;
    edge i spans at least ``minlens[i]`` layers (default 1) unless fixed ranks forbid it, and
    counts ``weights[i]`` times (default 1) in the total length that network simplex minimises."""
    lengths = [1] * len(edges) if minlens is None else list(minlens)
    rank = _longest_path(node_count, edges, fixed, lengths)
    _tighten(node_count, edges, fixed, rank, lengths)
    budget = _PIVOT_WORK // (node_count + 1) if max_pivots is None else max_pivots
    weights = [1] * len(edges) if weights is None else weights
    _simplex(node_count, edges, fixed, rank, budget, lengths, weights)
    _balance(node_count, edges, fixed, rank, lengths, weights)
    return rank


def _balance(
    node_count: int,
    edges: Sequence[tuple[int, int]],
    fixed: Sequence[int | None],
    rank: list[int],
    lengths: Sequence[int],
    weights: Sequence[int],
) -> None:
    """A free node with one edge in and one out (by weight; links of weight 0 only bound it) costs
    the same anywhere between its two neighbours: it moves up to the first rank its incoming links
    allow, next to its source. Simplex leaves it wherever its tree put it, e.g. a service beside the
    store it writes, far from the gateway that calls it, so the edge from the gateway runs round
    the service's whole frame. (dot balances such nodes to the emptiest rank; tried here, that
    moves nodes with many edges too and widens diagrams.) In input order; moving up keeps the
    ranking feasible, since a source only ever moves up."""
    weight_in = [0] * node_count
    weight_out = [0] * node_count
    incoming: list[list[tuple[int, int]]] = [[] for _ in range(node_count)]  # (neighbour, min length)
    for (s, t), w, length in zip(edges, weights, lengths, strict=True):
        weight_out[s] += w
        weight_in[t] += w
        incoming[t].append((s, min(length, rank[t] - rank[s])))  # flat edges forced by fixed ranks stay allowed
    for v in range(node_count):
        if fixed[v] is None and weight_in[v] == weight_out[v] == 1:
            rank[v] = min(rank[v], max(rank[u] + length for u, length in incoming[v]))


def _simplex(
    node_count: int,
    edges: Sequence[tuple[int, int]],
    fixed: Sequence[int | None],
    rank: list[int],
    max_pivots: int,
    lengths: Sequence[int],
    weights: Sequence[int],
) -> None:
    """Network simplex with all fixed nodes merged into one anchor vertex.

    A fixed node of rank f sits at ``anchor + f``, so its edges keep their
    constraint with the minimum length shifted by f; edges that the fixed
    ranks forced flat keep minimum length 0.
    """
    free = [v for v in range(node_count) if fixed[v] is None]
    anchor = len(free)
    vertex = [anchor] * node_count
    for index, v in enumerate(free):
        vertex[v] = index
    offset = [f if f is not None else 0 for f in fixed]
    tails = [vertex[s] for s, _ in edges]
    heads = [vertex[t] for _, t in edges]
    minlens = [
        min(length, rank[t] - rank[s]) + offset[s] - offset[t] for (s, t), length in zip(edges, lengths, strict=True)
    ]
    anchored = anchor < node_count
    relative = [rank[v] for v in free]
    if anchored:
        relative.append(0)  # every fixed node v has rank[v] - offset[v] == 0
    network_simplex(len(relative), tails, heads, minlens, relative, max_pivots=max_pivots, weights=weights)
    base = relative[anchor] if anchored else 0
    improved = [relative[vertex[v]] - base + offset[v] for v in range(node_count)]
    # Cut short, the tree's shifts need not have paid off: keep the shorter ranking.
    before = sum(w * (rank[t] - rank[s]) for (s, t), w in zip(edges, weights, strict=True))
    if sum(w * (improved[t] - improved[s]) for (s, t), w in zip(edges, weights, strict=True)) <= before:
        rank[:] = improved


def _longest_path(
    node_count: int, edges: Sequence[tuple[int, int]], fixed: Sequence[int | None], lengths: Sequence[int]
) -> list[int]:
    rep = list(range(node_count))
    head_of_rank: dict[int, int] = {}
    for node in range(node_count):
        value = fixed[node]
        if value is not None:
            rep[node] = head_of_rank.setdefault(value, node)
    successors: list[list[int]] = [[] for _ in range(node_count)]
    predecessors: list[list[int]] = [[] for _ in range(node_count)]
    after: list[list[tuple[int, int]]] = [[] for _ in range(node_count)]  # (successor, min length)
    before: list[list[tuple[int, int]]] = [[] for _ in range(node_count)]
    for (source, target), length in zip(edges, lengths, strict=True):
        successors[rep[source]].append(rep[target])
        predecessors[rep[target]].append(rep[source])
        after[rep[source]].append((rep[target], length))
        before[rep[target]].append((rep[source], length))
    heads = [head_of_rank[value] for value in sorted(head_of_rank)]
    for upper, lower in itertools.pairwise(heads):  # orders the fixed ranks for the topological sort
        successors[upper].append(lower)
        predecessors[lower].append(upper)

    order = _topological_order(node_count, rep, successors, predecessors)
    # below: the lowest fixed rank reachable downward; room: how high a node
    # may sit and still leave each edge its layers above its fixed descendants.
    below = [_INF] * node_count
    room = [_INF] * node_count
    for vertex in reversed(order):
        value = fixed[vertex]
        if value is not None:
            below[vertex] = room[vertex] = value
            continue
        for successor, length in after[vertex]:
            below[vertex] = min(below[vertex], below[successor])
            if room[successor] < _INF:
                room[vertex] = min(room[vertex], room[successor] - length)
    rank = [0] * node_count
    for vertex in order:
        value = fixed[vertex]
        if value is not None:
            rank[vertex] = value
        elif before[vertex]:
            rank[vertex] = min(max(rank[p] + length for p, length in before[vertex]), below[vertex])
        elif room[vertex] < _INF:
            rank[vertex] = room[vertex]
        else:
            rank[vertex] = 0
    for node in range(node_count):
        value = fixed[node]
        rank[node] = value if value is not None else rank[rep[node]]
    return rank


def _topological_order(
    node_count: int, rep: list[int], successors: list[list[int]], predecessors: list[list[int]]
) -> list[int]:
    waiting = [len(predecessors[v]) for v in range(node_count)]
    ready = deque(v for v in range(node_count) if rep[v] == v and waiting[v] == 0)
    order: list[int] = []
    while ready:
        vertex = ready.popleft()
        order.append(vertex)
        for successor in successors[vertex]:
            waiting[successor] -= 1
            if waiting[successor] == 0:
                ready.append(successor)
    if len(order) != sum(1 for v in range(node_count) if rep[v] == v):
        raise ValueError("rank: the edges still contain a cycle")  # phase 1 guarantees otherwise
    return order


def _tighten(
    node_count: int,
    edges: Sequence[tuple[int, int]],
    fixed: Sequence[int | None],
    rank: list[int],
    lengths: Sequence[int],
) -> None:
    incoming: list[list[tuple[int, int]]] = [[] for _ in range(node_count)]  # (neighbour, min length)
    outgoing: list[list[tuple[int, int]]] = [[] for _ in range(node_count)]
    for (source, target), minlen in zip(edges, lengths, strict=True):
        length = min(minlen, rank[target] - rank[source])  # flat edges forced by fixed ranks stay allowed
        incoming[target].append((source, length))
        outgoing[source].append((target, length))
    movable = [v for v in range(node_count) if fixed[v] is None and len(incoming[v]) != len(outgoing[v])]
    queued = [False] * node_count
    work = deque(movable)
    for vertex in movable:
        queued[vertex] = True
    budget = 20 * (node_count + len(edges))
    while work and budget > 0:
        budget -= 1
        vertex = work.popleft()
        queued[vertex] = False
        if len(incoming[vertex]) == len(outgoing[vertex]):
            continue  # any rank in its interval costs the same
        if len(incoming[vertex]) > len(outgoing[vertex]):
            target = max(rank[u] + length for u, length in incoming[vertex])
        else:
            target = min(rank[w] - length for w, length in outgoing[vertex])
        if target == rank[vertex]:
            continue
        rank[vertex] = target
        for neighbour, _ in incoming[vertex] + outgoing[vertex]:
            if not queued[neighbour] and fixed[neighbour] is None:
                queued[neighbour] = True
                work.append(neighbour)
