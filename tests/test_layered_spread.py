"""The ribbon fallback of phase 5 (``spread``): large non-local graphs stay near their widest layer."""

from __future__ import annotations

import itertools
import math
import random

from svgarch.layout.layered import LayeredEdge, LayeredNode, layered_layout, normalize, order, position, spread
from svgarch.layout.layered.graph import LayerGraph

GAPS = position.Gaps(node=40.0, edge=20.0, group=0.0)


def random_dag(n: int, seed: int) -> tuple[list[LayeredNode], list[LayeredEdge]]:
    """About √n layers, 1.5 n edges between random blocks of nearby layers: not local at all."""
    rng = random.Random(seed)
    count = round(math.sqrt(n))
    layer = [v % count if v < count else rng.randrange(count) for v in range(n)]
    members = [[v for v in range(n) if layer[v] == r] for r in range(count)]
    pairs = {(rng.choice(members[layer[v] - 1]), v) for v in range(n) if layer[v] > 0}
    while len(pairs) < 1.5 * n:
        span = 1 if rng.random() < 0.8 else rng.choice((2, 3))
        upper = rng.randrange(count - span)
        pairs.add((rng.choice(members[upper]), rng.choice(members[upper + span])))
    nodes = [LayeredNode(f"n{v}", 90.0, 30.0) for v in range(n)]
    return nodes, [LayeredEdge(f"n{s}", f"n{t}") for s, t in sorted(pairs)]


def graph_and_order(n: int, seed: int) -> tuple[LayerGraph, list[list[int]]]:
    nodes, edges = random_dag(n, seed)
    index = {node.id: i for i, node in enumerate(nodes)}
    links = [(index[e.source], index[e.target]) for e in edges]
    ranks = [0] * n
    for _ in range(n):  # longest path from the sources: every edge points down
        for s, t in links:
            ranks[t] = max(ranks[t], ranks[s] + 1)
    graph = normalize.run(ranks, [node.width for node in nodes], [-1] * n, links, [])
    return graph, order.run(graph)


def width(graph: LayerGraph, x: list[float]) -> float:
    return max(x[v] + graph.reach(v)[1] for v in range(graph.count)) - min(
        x[v] - graph.reach(v)[0] for v in range(graph.count)
    )


def widest_layer(graph: LayerGraph, layers: list[list[int]]) -> float:
    return max(spread._packed_width(graph, layer, GAPS) for layer in layers)


def test_brandes_koepf_spreads_a_random_dag_into_a_ribbon_and_spread_does_not() -> None:
    graph, layers = graph_and_order(400, 3)
    bk = position.run(graph, layers, GAPS)
    assert spread.too_wide(graph, layers, bk, GAPS)
    x = spread.run(graph, layers, GAPS)
    assert width(graph, x) < 1.5 * widest_layer(graph, layers) < width(graph, bk)


def test_spread_keeps_every_layer_in_order_and_apart() -> None:
    graph, layers = graph_and_order(300, 5)
    x = spread.run(graph, layers, GAPS)
    assert min(x[v] - graph.reach(v)[0] for v in range(graph.count)) == 0.0
    for layer in layers:
        for left, right in itertools.pairwise(layer):
            assert x[right] - x[left] >= spread._separation(graph, GAPS, left, right) - 1e-6


def test_small_or_local_graphs_keep_brandes_koepf() -> None:
    graph, layers = graph_and_order(60, 1)  # too few blocks to matter
    assert not spread.too_wide(graph, layers, position.run(graph, layers, GAPS), GAPS)
    chain = [LayeredNode(f"c{i}", 90.0, 30.0) for i in range(200)]  # long but local: a ladder of chains
    links = [LayeredEdge(f"c{i}", f"c{i + 2}") for i in range(198)]
    result = layered_layout(chain, links)
    assert result.width < 2 * (2 * 90.0 + 40.0)


def test_a_ribbon_is_laid_out_narrow_and_its_gaps_stay_at_the_rank_gap() -> None:
    nodes, edges = random_dag(400, 7)
    result = layered_layout(nodes, edges, rank_gap=60.0, node_gap=40.0)
    per_layer: dict[int, int] = {}
    for r in result.ranks.values():
        per_layer[r] = per_layer.get(r, 0) + 1
    widest = max(per_layer.values()) * (90.0 + 40.0)
    assert result.width < 2.5 * widest  # Brandes–Köpf alone drew it several times wider
    layers = max(result.ranks.values()) + 1
    assert result.height <= layers * 30.0 + (layers - 1) * 60.0 + 1e-6


def test_a_large_drawing_packs_its_small_components_beside_the_narrow_layers() -> None:
    nodes, edges = random_dag(400, 7)
    alone = [LayeredNode(f"alone{i}", 90.0, 30.0) for i in range(12)]  # components of one block each
    result = layered_layout([*nodes, *alone], edges, rank_gap=60.0, node_gap=40.0)
    without = layered_layout(nodes, edges, rank_gap=60.0, node_gap=40.0)
    assert result.width <= without.width + 1e-6
    rows: dict[float, list[float]] = {}
    for x, y in result.centres.values():
        rows.setdefault(y, []).append(x)
    for xs in rows.values():  # every block 90 wide: centres at least 90 + 40 apart in a layer
        assert all(b - a >= 130.0 - 1e-6 for a, b in itertools.pairwise(sorted(xs)))
