"""Twins (blocks of one layer reaching the same blocks the same way) in description order, crossings kept."""

from __future__ import annotations

import itertools
import random

from svgarch.layout.layered import LayeredEdge, LayeredNode, layered_layout, normalize, order, twins
from svgarch.layout.layered.graph import LayerGraph


def test_ranks_fed_alike_read_left_to_right_though_their_edges_run_through_dummies() -> None:
    ranks = [f"rank{i}" for i in range(4)]
    nodes = [LayeredNode(name, 80.0, 30.0) for name in ["launcher", *ranks, "reduce", "meet", "store", "log"]]
    edges = [LayeredEdge("launcher", r) for r in ranks]
    edges += [LayeredEdge(r, end, minlen=2) for r in ranks for end in ("reduce", "meet")]
    edges += [LayeredEdge("rank0", "store"), LayeredEdge("store", "log"), LayeredEdge("rank0", "log", minlen=2)]
    result = layered_layout(nodes, edges)
    assert sorted(ranks, key=lambda r: result.centres[r][0])[1:] == ranks[1:]


def _random_graph(seed: int) -> LayerGraph:
    rng = random.Random(seed)
    n = rng.randrange(6, 30)
    layer = [rng.randrange(4) for _ in range(n)]
    hubs = [v for v in range(n) if rng.random() < 0.3] or [0]
    edges: list[tuple[int, int] | None] = []
    for v in range(n):  # many blocks share their ends: twins are common
        for hub in rng.sample(hubs, min(len(hubs), rng.randrange(1, 3))):
            if layer[hub] != layer[v]:
                edges.append((v, hub) if layer[v] < layer[hub] else (hub, v))
    return normalize.run(layer, [40.0] * n, [-1] * n, edges)


def test_twins_keep_every_crossing_and_every_other_slot() -> None:
    moved = 0
    for seed in range(60):
        graph = _random_graph(seed)
        layers = [layer[:] for layer in order._least_crossings(graph, 24)]
        before = [layer[:] for layer in layers]
        count = order.total_crossings(layers, order._positions(graph.count, layers), graph.down)
        twins.run(graph, layers)
        after = order.total_crossings(layers, order._positions(graph.count, layers), graph.down)
        assert after == count
        assert [sorted(layer) for layer in layers] == [sorted(layer) for layer in before]
        moved += layers != before
        for layer in layers:  # blocks alike (same ends, same spans) ascend along the layer
            for left, right in itertools.pairwise(layer):
                if left < graph.real_count and right < graph.real_count and _alike(graph, left, right):
                    assert left < right
    assert moved  # the property was put to the test


def _alike(graph: LayerGraph, a: int, b: int) -> bool:
    def ends(v: int) -> list[tuple[int, int, int]]:
        out = []
        for direction, links in enumerate((graph.up, graph.down)):
            for w in links[v]:
                steps = 0
                while w >= graph.real_count:
                    w, steps = links[w][0], steps + 1
                out.append((direction, w, steps))
        return sorted(out)

    return ends(a) == ends(b)
