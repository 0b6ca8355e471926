"""Phase 3 — split long edges into chains of dummy nodes.

As in Gansner et al. (1993), §3 ("virtual nodes"): an edge spanning k > 1
layers becomes a chain of k - 1 dummies, one per layer crossed, so that the
ordering and positioning phases see a proper layered graph. A dummy joins
its edge's cluster when both ends belong to the same cluster.

Pre: ``layer[target] >= layer[source]`` for every oriented edge; flat edges
(equal layers) and ``None`` (self-loops) get no chain.
Post (``run``): every link of the LayerGraph joins consecutive layers.
``undo`` reads the dummies' positions back as each edge's bends.
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
    )
    for edge in edges:
        chain: list[int] = []
        graph.chains.append(chain)
        if edge is None:
            continue
        source, target = edge
        span = layer[target] - layer[source]
        if span < 1:
            continue  # flat: the router draws it
        shared = group[source] if group[source] == group[target] else -1
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
    return graph


def undo(graph: LayerGraph, x: Sequence[float], layer_y: Sequence[float]) -> list[tuple[Point, ...]]:
    """Per edge, its dummies' positions top to bottom (layout orientation)."""
    return [tuple((x[d], layer_y[graph.layer[d]]) for d in chain) for chain in graph.chains]
