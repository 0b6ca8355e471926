"""svgarch.layout.layered.arms: two long arms of one fan that change sides are nested again."""

from __future__ import annotations

from svgarch.layout.layered import arms
from svgarch.layout.layered.graph import LayerGraph
from svgarch.layout.layered.order import total_crossings


def _fan() -> LayerGraph:
    # node 0 on top feeds nodes 1 and 2 three layers down, through dummies 3, 5 (to 1) and 4, 6 (to 2)
    return LayerGraph(
        real_count=3,
        layer=[0, 3, 3, 1, 1, 2, 2],
        breadth=[40.0, 40.0, 40.0, 0.0, 0.0, 0.0, 0.0],
        group=[-1] * 7,
        up=[[], [5], [6], [0], [0], [3], [4]],
        down=[[3, 4], [], [], [5], [6], [1], [2]],
        chains=[[3, 5], [4, 6]],
        side=[0] * 7,
    )


def _crossings(graph: LayerGraph, layers: list[list[int]]) -> int:
    pos = [0] * graph.count
    for layer in layers:
        for index, node in enumerate(layer):
            pos[node] = index
    return total_crossings(layers, pos, graph.down)


def test_arms_that_change_sides_twice_end_up_nested() -> None:
    graph = _fan()
    layers = [[0], [3, 4], [6, 5], [1, 2]]  # the arms cross below layer 1 and again below layer 2
    assert _crossings(graph, layers) == 2
    arms.run(graph, layers)
    assert layers == [[0], [3, 4], [5, 6], [1, 2]]
    assert _crossings(graph, layers) == 0


def test_arms_in_order_and_dummies_of_two_clusters_stay_as_they_are() -> None:
    graph = _fan()
    layers = [[0], [3, 4], [5, 6], [1, 2]]
    arms.run(graph, layers)
    assert layers == [[0], [3, 4], [5, 6], [1, 2]]
    graph.group = [-1, -1, -1, 0, 1, 0, 1]  # each arm's dummies in a cluster of their own: no trade
    layers = [[0], [3, 4], [6, 5], [1, 2]]
    arms.run(graph, layers)
    assert layers == [[0], [3, 4], [6, 5], [1, 2]]
