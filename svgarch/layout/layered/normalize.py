"""Phase 3 — split long edges into chains of dummy nodes.

As in Gansner et al. (1993), §3 ("virtual nodes"): an edge spanning k > 1
layers becomes a chain of k - 1 dummies, one per layer crossed, so that the
ordering and positioning phases see a proper layered graph. A dummy joins
the innermost cluster that holds both ends of its edge (as dot keeps the
virtual nodes of an edge between two clusters out of both).

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

__all__ = ["run", "undo"]


def run(
    layer: Sequence[int],
    breadth: Sequence[float],
    group: Sequence[int],
    edges: Sequence[tuple[int, int] | None],
    parent: Sequence[int] = (),
) -> LayerGraph:
    """The proper layered graph of one component."""
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
            graph.layer.append(layer[source] + step)
            graph.breadth.append(0.0)
            graph.group.append(shared)
            graph.up.append([upper])
            graph.down.append([])
            graph.down[upper].append(dummy)
            chain.append(dummy)
            upper = dummy
        graph.down[upper].append(target)
        graph.up[target].append(upper)
    graph.side = [0] * graph.count
    return graph


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
