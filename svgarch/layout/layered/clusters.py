"""Phase 3b — clusters become compound nodes with borders; flat edges become chains.

Follows Sander (1996), "Layout of Compound Directed Graphs", as dagre does
with its border nodes: every cluster gets a left and a right border node in
each layer from its first to its last rank, so that the ordering (phase 4,
``units``) can keep it one run between its borders in every layer it
spans, even where it has no member, and the positioning (phase 5) can draw
each border as one vertical line.

Flat edges (both ends in one layer) form chains: paths picked greedily in
input order among nodes of one innermost cluster, each edge's ends
consecutive; the ordering moves a chain as one unit, so those ends stay
neighbours.

Pre (``run``): a LayerGraph from phase 3 whose ``parent`` has no loops.
Post: border nodes added (``side`` LEFT or RIGHT, ``group`` their cluster,
no links). ``nesting`` describes clusters and chains for the ordering.
Deterministic.
"""

from __future__ import annotations

import itertools

from svgarch.record import Record

from .graph import LEFT, RIGHT, LayerGraph

__all__ = ["Nesting", "nesting", "run"]


def run(graph: LayerGraph) -> None:
    """Add the border nodes of every cluster that holds a node of ``graph``."""
    span: dict[int, tuple[int, int]] = {}
    for v in range(graph.real_count):
        layer = graph.layer[v]
        cluster = graph.group[v]
        while cluster >= 0:
            low, high = span.get(cluster, (layer, layer))
            span[cluster] = (min(low, layer), max(high, layer))
            cluster = _enclosing(graph, cluster)
    for cluster in sorted(span):
        low, high = span[cluster]
        for side in (LEFT, RIGHT):
            for layer in range(low, high + 1):
                graph.layer.append(layer)
                graph.breadth.append(0.0)
                graph.group.append(cluster)
                graph.up.append([])
                graph.down.append([])
                graph.side.append(side)


class Nesting(Record):
    """What ``arrange`` needs to know about a LayerGraph's clusters and flat edges."""

    path: dict[int, tuple[int, ...]]  # cluster -> enclosing clusters, outermost first, and itself
    left: dict[tuple[int, int], int]  # (cluster, layer) -> its left border node
    lefts: dict[int, dict[int, int]]  # layer -> cluster -> its left border node, for the clusters present there
    span: dict[int, tuple[int, int]]  # cluster -> its first and last layer
    chain_of: dict[int, int]  # node -> index of its flat-edge chain
    chains: list[list[int]]  # flat-edge chains, each in path order
    leading: frozenset[int] = frozenset()  # nodes kept first in their cluster, in every order

    @property
    def trivial(self) -> bool:
        return not self.path and not self.chains


def nesting(graph: LayerGraph) -> Nesting:
    """The clusters and flat-edge chains of ``graph``."""
    path: dict[int, tuple[int, ...]] = {}
    for cluster in sorted(set(graph.group) - {-1}):
        chain = [cluster]
        while (outer := _enclosing(graph, chain[-1])) >= 0:
            chain.append(outer)
        path[cluster] = tuple(reversed(chain))
    left = {(graph.group[v], graph.layer[v]): v for v in range(graph.count) if graph.side[v] == LEFT}
    lefts: dict[int, dict[int, int]] = {}
    span: dict[int, tuple[int, int]] = {}
    for (cluster, layer), v in left.items():
        lefts.setdefault(layer, {})[cluster] = v
        low, high = span.get(cluster, (layer, layer))
        span[cluster] = (min(low, layer), max(high, layer))
    chains = _flat_chains(graph)
    chain_of = {v: index for index, chain in enumerate(chains) for v in chain}
    return Nesting(path, left, lefts, span, chain_of, chains, frozenset(graph.leading))


def _enclosing(graph: LayerGraph, cluster: int) -> int:
    return graph.parent[cluster] if cluster < len(graph.parent) else -1


def _flat_chains(graph: LayerGraph) -> list[list[int]]:
    """Vertex-disjoint paths of flat edges, taken greedily in input order."""
    degree: dict[int, int] = {}
    joined: dict[int, list[int]] = {}
    root: dict[int, int] = {}

    def find(v: int) -> int:
        while root.get(v, v) != v:
            v = root[v]
        return v

    for source, target in graph.flat:
        if graph.group[source] != graph.group[target] or graph.side[source] or graph.side[target]:
            continue
        if degree.get(source, 0) == 2 or degree.get(target, 0) == 2 or find(source) == find(target):
            continue
        root[find(target)] = find(source)
        for a, b in ((source, target), (target, source)):
            degree[a] = degree.get(a, 0) + 1
            joined.setdefault(a, []).append(b)
    forward = set(graph.flat)
    chains: list[list[int]] = []
    seen: set[int] = set()
    for start in sorted(v for v, d in degree.items() if d == 1):
        if start in seen:
            continue
        chain = [start]
        while True:
            seen.add(chain[-1])
            following = [w for w in joined[chain[-1]] if w not in seen]
            if not following:
                break
            chain.append(following[0])
        pointing_right = sum(1 for a, b in itertools.pairwise(chain) if (a, b) in forward)
        chains.append(chain if 2 * pointing_right >= len(chain) - 1 else chain[::-1])
    return chains
