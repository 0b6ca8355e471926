"""Phase 5's second step: network simplex straightens what Brandes–Köpf left bent, and keeps its rules."""

from __future__ import annotations

import itertools
import random

import pytest

from svgarch.layout.layered import (
    LayeredEdge,
    LayeredNode,
    LayeredResult,
    layered_layout,
    normalize,
    order,
    position,
    straighten,
)
from svgarch.layout.layered.graph import LayerGraph


def _bk_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(straighten, "run", lambda graph, layers, gaps, x: list(x))


def _residual() -> tuple[list[LayeredNode], list[LayeredEdge]]:
    """A residual block: a main path of blocks of unequal widths, and a skip edge from its input to the ⊕."""
    widths = {"x": 170, "c1": 220, "c2": 220, "c3": 230, "add": 70, "relu": 150, "out": 180}
    nodes = [LayeredNode(name, width, 40) for name, width in widths.items()]
    edges = [LayeredEdge(s, t) for s, t in itertools.pairwise(widths)] + [LayeredEdge("x", "add")]
    return nodes, edges


MAIN = ("c1", "c2", "c3", "add", "relu", "out")


def test_the_main_path_of_a_residual_block_runs_on_one_line() -> None:
    result = layered_layout(*_residual(), node_gap=18)
    xs = [result.centres[name][0] for name in MAIN]
    assert max(xs) - min(xs) == pytest.approx(0)
    # the input sits over its two children, between the path and the skip edge
    assert result.centres["x"][0] > xs[0]


def test_the_main_path_stays_straight_when_every_edge_spans_two_layers() -> None:
    """As on a diagram with edge labels (label nodes take the odd ranks): the chain's links run
    through dummies and still count as a chain."""
    nodes, edges = _residual()
    longer = [LayeredEdge(e.source, e.target, 2) for e in edges]
    result = layered_layout(nodes, longer, node_gap=18)
    xs = [result.centres[name][0] for name in MAIN]
    assert max(xs) - min(xs) == pytest.approx(0)


def test_brandes_koepf_alone_jogs_that_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test above can fail: without the step, the path jogs where the skip edge joins it."""
    _bk_only(monkeypatch)
    result = layered_layout(*_residual(), node_gap=18)
    xs = [result.centres[name][0] for name in MAIN]
    assert max(xs) - min(xs) > 20


def test_a_frame_is_no_wider_than_brandes_koepf_made_it(monkeypatch: pytest.MonkeyPatch) -> None:
    nodes = [LayeredNode(n, 80, 30, group="g" if n in ("p", "q") else None) for n in "abcpqxyz"]
    edges = [LayeredEdge(s, t) for s, t in ("ab", "bc", "ap", "pq", "qz", "xy", "yz", "cz", "xq")]
    straight = layered_layout(nodes, edges, node_gap=18, group_gap=10)
    _bk_only(monkeypatch)
    balanced = layered_layout(nodes, edges, node_gap=18, group_gap=10)

    def frame(result: LayeredResult) -> float:
        xs = [result.centres[n][0] for n in "pq"]
        return max(xs) - min(xs)

    assert frame(straight) <= frame(balanced) + 1e-6


def _weighted_length(graph: LayerGraph, x: list[float]) -> float:
    ends = straighten._real_ends(graph)
    return sum(
        straighten._weight(graph, v, w, ends) * abs(x[v] - x[w])
        for v in range(graph.count)
        if not graph.side[v]
        for w in graph.down[v]
    )


@pytest.mark.parametrize("seed", range(12))
def test_random_graphs_keep_order_and_separation_and_get_no_longer(seed: int) -> None:
    rnd = random.Random(seed)
    count = rnd.randint(4, 40)
    ranks = [rnd.randrange(max(2, count // 4)) for _ in range(count)]
    links = [(s, t) for s in range(count) for t in range(count) if ranks[s] < ranks[t] and rnd.random() < 0.08]
    graph = normalize.run(ranks, [rnd.uniform(10, 150) for _ in range(count)], [-1] * count, links, [])
    layers = order.run(graph)
    gaps = position.Gaps(node=18, edge=9, group=0)
    balanced = position.run(graph, layers, gaps)
    x = straighten.run(graph, layers, gaps, balanced)
    for row in layers:
        for left, right in itertools.pairwise(row):
            assert x[right] - x[left] >= position.separation(graph, gaps, left, right) - 1e-6
    assert min(x[v] - graph.reach(v)[0] for v in range(graph.count)) == pytest.approx(0)
    # whole units cost at most half a unit per link end
    ends = straighten._real_ends(graph)
    slack = sum(straighten._weight(graph, v, w, ends) for v in range(graph.count) for w in graph.down[v])
    assert _weighted_length(graph, x) <= _weighted_length(graph, balanced) + slack
