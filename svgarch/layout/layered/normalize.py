"""Phase 3 — split long edges into chains of dummy nodes.

As in Gansner et al. (1993), §3 ("virtual nodes"): an edge spanning k > 1
layers becomes a chain of k - 1 dummies, one per layer crossed, so that the
ordering and positioning phases see a proper layered graph. A dummy joins
the innermost cluster that holds both ends of its edge, or (``within``), in a
layer that a cluster around one end still spans, the innermost such cluster: an edge
out of a frame runs inside it to the frame's far side and leaves there,
facing its other end, instead of being pushed out round the frame in every
layer the frame spans (dot keeps such virtual nodes out of both clusters,
which sends them over or under a tall frame).

Pre: ``layer[target] >= layer[source]`` for every oriented edge; flat edges
(equal layers) and ``None`` (self-loops) get no chain; ``parent`` gives
every cluster index its enclosing one (or -1) without loops.
Post (``run``): every link of the LayerGraph joins consecutive layers;
flat edges are listed in ``flat``. ``undo`` reads the dummies' positions
back as each edge's bends.
"""

from __future__ import annotations

from collections.abc import Sequence

from .graph import LayerGraph, Point

__all__ = ["homes", "run", "undo"]


def run(
    layer: Sequence[int],
    breadth: Sequence[float],
    group: Sequence[int],
    edges: Sequence[tuple[int, int] | None],
    parent: Sequence[int] = (),
    within: bool = False,
) -> LayerGraph:
    """The proper layered graph of one component; ``within``: dummies stay inside the frames round
    their edge's ends while those frames span their layers (else they join the clusters' common one)."""
    real_count = len(layer)
    graph = LayerGraph(
        real_count=real_count,
        layer=list(layer),
        breadth=list(breadth),
        group=list(group),
        up=[[] for _ in range(real_count)],
        down=[[] for _ in range(real_count)],
        chains=[],
        parent=list(parent),
    )
    spans = _spans(layer, group, parent)
    for edge in edges:
        chain: list[int] = []
        graph.chains.append(chain)
        if edge is None:
            continue
        source, target = edge
        span = layer[target] - layer[source]
        if span < 1:
            if source != target:
                graph.flat.append((source, target))  # the router draws it; the ordering keeps its ends together
            continue
        shared = _common_cluster(group[source], group[target], parent)
        upper = source
        for step in range(1, span):
            dummy = graph.count
            at = layer[source] + step
            graph.layer.append(at)
            graph.breadth.append(0.0)
            graph.group.append(_within(at, group[source], group[target], shared, spans, parent) if within else shared)
            graph.up.append([upper])
            graph.down.append([])
            graph.down[upper].append(dummy)
            chain.append(dummy)
            upper = dummy
        graph.down[upper].append(target)
        graph.up[target].append(upper)
    graph.side = [0] * graph.count
    return graph


def homes(
    group: Sequence[int], ranks: Sequence[int], links: Sequence[tuple[int, int]], free: set[int], parent: Sequence[int]
) -> list[int]:
    """Every node's cluster, where a ``free`` node between two others (an edge's label node) joins the
    cluster a dummy of its edge would join in its layer."""
    out = list(group)
    joined: dict[int, list[int]] = {v: [] for v in sorted(free)}
    for s, t in links:
        if s in joined and t >= 0:
            joined[s].append(t)
        if t in joined and s >= 0:
            joined[t].append(s)
    spans = _spans(ranks, group, parent)
    for v, ends in joined.items():
        if len(ends) != 2 or ranks[ends[0]] == ranks[ends[1]]:
            continue
        low, high = sorted(ends, key=lambda w: ranks[w])
        if ranks[low] < ranks[v] < ranks[high]:
            out[v] = _within(ranks[v], group[low], group[high], group[v], spans, parent)
    return out


def _spans(layer: Sequence[int], group: Sequence[int], parent: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Every cluster's first and last layer, from its nodes and its nested clusters' nodes (as
    ``clusters.run`` finds them)."""
    spans: dict[int, tuple[int, int]] = {}
    for v, at in enumerate(layer):
        cluster = group[v]
        while cluster >= 0:
            low, high = spans.get(cluster, (at, at))
            spans[cluster] = (min(low, at), max(high, at))
            cluster = parent[cluster] if cluster < len(parent) else -1
    return spans


def _within(
    at: int, first: int, second: int, shared: int, spans: dict[int, tuple[int, int]], parent: Sequence[int]
) -> int:
    """The cluster of an edge's dummy in layer ``at``: the innermost cluster round the source (else round
    the target) below ``shared`` whose layers reach ``at``; ``shared`` when none does."""
    for end in (first, second):
        cluster = end
        while cluster >= 0 and cluster != shared:
            low, high = spans[cluster]
            if low <= at <= high:
                return cluster
            cluster = parent[cluster] if cluster < len(parent) else -1
    return shared


def _common_cluster(first: int, second: int, parent: Sequence[int]) -> int:
    """The innermost cluster holding both clusters (-1: none)."""
    if first == second:
        return first
    enclosing = set()
    while first >= 0:
        enclosing.add(first)
        first = parent[first] if first < len(parent) else -1
    while second >= 0 and second not in enclosing:
        second = parent[second] if second < len(parent) else -1
    return second


def undo(graph: LayerGraph, x: Sequence[float], layer_y: Sequence[float]) -> list[tuple[Point, ...]]:
    """Per edge, its dummies' positions top to bottom (layout orientation)."""
    return [tuple((x[d], layer_y[graph.layer[d]]) for d in chain) for chain in graph.chains]
