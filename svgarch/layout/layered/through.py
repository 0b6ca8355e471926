"""Phase 4, shortcut — order without the layers that edges only pass through.

A layer whose every node has one link up and one link down (dummies, and
the label nodes a caller puts half-way along its edges) adds nothing to the
ordering problem: given the orders of the layers around it, sorting it by
where its chains come from and go to gives exactly the crossings of the
chains drawn straight across it, which is the least it can have (as
Eiglsperger, Siebenhaller, Kaufmann 2005, "An Efficient Implementation of
Sugiyama's Algorithm for Layered Graph Drawing", treat long edges as
segments). So ``contract`` drops such layers, joining the links across
them, the ordering runs on the smaller graph, and ``expand`` sorts the
dropped layers back in.

Pre: a LayerGraph whose links join consecutive layers.
Post (``contract``): a LayerGraph of the other layers, links joined across
the dropped ones; its crossings for any order equal those of the whole
graph with the dropped layers sorted by ``expand``; its label nodes still
``free``, so that ties between them break by the blocks their edges reach,
as in the whole graph (not by their own late place in the input).
"""

from __future__ import annotations

from collections.abc import Sequence

from .graph import LayerGraph

__all__ = ["contract", "expand", "passing_layers"]


def passing_layers(graph: LayerGraph) -> list[bool]:
    """Per layer: whether only chains pass through it (never the top or bottom layer)."""
    passing = [0 < index < graph.layer_count - 1 for index in range(graph.layer_count)]
    on_flat = {v for edge in graph.flat for v in edge}
    for v in range(graph.count):
        if len(graph.up[v]) != 1 or len(graph.down[v]) != 1 or graph.group[v] >= 0 or graph.side[v] or v in on_flat:
            passing[graph.layer[v]] = False
    return passing


def contract(graph: LayerGraph, passing: Sequence[bool]) -> tuple[LayerGraph, list[int]]:
    """The graph without the passing layers, and the node of ``graph`` behind each of its nodes."""
    renumbered: list[int] = []
    count = 0
    for flag in passing:
        renumbered.append(-1 if flag else count)
        count += not flag
    kept = [v for v in range(graph.count) if not passing[graph.layer[v]]]
    local = {v: i for i, v in enumerate(kept)}

    def across(v: int, links: list[list[int]]) -> int:
        while passing[graph.layer[v]]:
            v = links[v][0]
        return local[v]

    return (
        LayerGraph(
            real_count=sum(1 for v in kept if v < graph.real_count),
            layer=[renumbered[graph.layer[v]] for v in kept],
            breadth=[graph.breadth[v] for v in kept],
            group=[graph.group[v] for v in kept],
            up=[[across(w, graph.up) for w in graph.up[v]] for v in kept],
            down=[[across(w, graph.down) for w in graph.down[v]] for v in kept],
            chains=[],
            parent=list(graph.parent),
            side=[graph.side[v] for v in kept],
            flat=[(local[s], local[t]) for s, t in graph.flat],
            leading={local[v] for v in graph.leading},  # in a layer with a cluster: never passing
            free={local[v] for v in graph.free if v in local},
        ),
        kept,
    )


def expand(
    graph: LayerGraph, passing: Sequence[bool], kept: Sequence[int], ordered: Sequence[Sequence[int]]
) -> list[list[int]]:
    """Layers of ``graph``: those of ``ordered`` (contracted) and the passing ones sorted by their chains' ends."""
    layers: list[list[int]] = [[] for _ in range(graph.layer_count)]
    for v in range(graph.count):
        if passing[graph.layer[v]]:
            layers[graph.layer[v]].append(v)
    pos = [0] * graph.count
    remaining = iter(ordered)
    for index in range(graph.layer_count):
        if not passing[index]:
            layers[index] = [kept[v] for v in next(remaining)]
            for slot, v in enumerate(layers[index]):
                pos[v] = slot
    for index in range(graph.layer_count):
        if passing[index]:
            ends: list[tuple[int, int, int]] = []
            for v in layers[index]:
                top = bottom = v
                while passing[graph.layer[top]]:
                    top = graph.up[top][0]
                while passing[graph.layer[bottom]]:
                    bottom = graph.down[bottom][0]
                ends.append((pos[top], pos[bottom], v))
            layers[index] = [v for _, _, v in sorted(ends)]
    return layers
