"""Whole frames trade places across all the layers they share (``frames.swap``)."""

from __future__ import annotations

from svgarch.layout.layered import clusters, frames, normalize, order
from svgarch.layout.layered.graph import LEFT, RIGHT, LayerGraph

# x and y on top; frame 0 (a1 over a2) and frame 1 (b1 over b2) below them
RANKS = [0, 0, 1, 2, 1, 2]  # x, y, a1, a2, b1, b2
GROUPS = [-1, -1, 0, 0, 1, 1]
INSIDE = [(2, 3), (4, 5)]  # a1 -> a2, b1 -> b2


def _graph(edges: list[tuple[int, int]]) -> LayerGraph:
    graph = normalize.run(RANKS, [60.0] * len(RANKS), GROUPS, [*edges, *INSIDE], [-1, -1])
    clusters.run(graph)
    return graph


def _framed(graph: LayerGraph, layer: int, first: int, second: int, inside: tuple[int, int]) -> list[int]:
    """Layer ``layer``: frame ``first`` round ``inside[0]``, then frame ``second`` round ``inside[1]``."""

    def border(cluster: int, side: int) -> int:
        key = (cluster, layer, side)
        return next(v for v in range(graph.count) if (graph.group[v], graph.layer[v], graph.side[v]) == key)

    one, other = [border(first, LEFT), inside[0], border(first, RIGHT)], [border(second, LEFT), inside[1]]
    return [*one, *other, border(second, RIGHT)]


def test_two_frames_spanning_two_layers_trade_places_where_that_removes_a_crossing() -> None:
    graph = _graph([(0, 4), (1, 2)])  # x feeds frame 1, y frame 0
    layers = [[0, 1], _framed(graph, 1, 0, 1, (2, 4)), _framed(graph, 2, 0, 1, (3, 5))]
    pos = order._positions(graph.count, layers)
    assert order.total_crossings(layers, pos, graph.down) == 1
    assert frames.swap(graph, clusters.nesting(graph), layers, pos, order._gap_crossings)
    assert order.total_crossings(layers, pos, graph.down) == 0
    # frame 1 first now, each whole, in both layers
    assert layers == [[0, 1], _framed(graph, 1, 1, 0, (4, 2)), _framed(graph, 2, 1, 0, (5, 3))]
    assert all(pos[v] == slot for layer in layers for slot, v in enumerate(layer))


def test_frames_that_cross_nothing_stay_where_they_are() -> None:
    graph = _graph([(0, 2), (1, 4)])  # x feeds frame 0, y frame 1
    layers = [[0, 1], _framed(graph, 1, 0, 1, (2, 4)), _framed(graph, 2, 0, 1, (3, 5))]
    before = [layer[:] for layer in layers]
    pos = order._positions(graph.count, layers)
    assert not frames.swap(graph, clusters.nesting(graph), layers, pos, order._gap_crossings)
    assert layers == before
