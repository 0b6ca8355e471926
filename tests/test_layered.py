"""Invariants of the layered (Sugiyama) layout on tiny hand-built graphs."""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from svgarch.layout.layered import (
    LayeredEdge,
    LayeredNode,
    LayeredResult,
    acyclic,
    bilayer_crossings,
    count_crossings,
    layered_layout,
    normalize,
    order,
    rank,
    spacing,
)
from svgarch.layout.layered.crossings import inversions

EPS = 1e-6


def nodes_of(spec: str, width: float = 80.0, height: float = 40.0) -> list[LayeredNode]:
    return [LayeredNode(name, width, height) for name in spec.split()]


def edges_of(spec: str) -> list[LayeredEdge]:
    """``"a>b b>c"`` → edges a→b, b→c."""
    return [LayeredEdge(*pair.partition(">")[::2]) for pair in spec.split()]


def layers_of(result: LayeredResult, direction: str = "TB") -> list[list[str]]:
    """Node ids per final rank, ordered along the layer."""
    along = 0 if direction in ("TB", "BT") else 1
    layers: list[list[str]] = [[] for _ in range(max(result.ranks.values(), default=-1) + 1)]
    for node, r in result.ranks.items():
        layers[r].append(node)
    return [sorted(layer, key=lambda n: result.centres[n][along]) for layer in layers]


def assert_no_overlap(nodes: Sequence[LayeredNode], result: LayeredResult, node_gap: float) -> None:
    size = {n.id: (n.width, n.height) for n in nodes}
    for layer in layers_of(result):
        for left, right in itertools.pairwise(layer):
            room = result.centres[right][0] - result.centres[left][0]
            assert room >= (size[left][0] + size[right][0]) / 2 + node_gap - EPS, (left, right)


# ----------------------------------------------------------------------------- edge cases


def test_empty_graph() -> None:
    result = layered_layout([], [])
    assert result == LayeredResult(centres={}, bends=(), ranks={}, width=0.0, height=0.0, ends={}, captions={})


def test_single_node_sits_at_the_origin() -> None:
    result = layered_layout([LayeredNode("a", 100, 30)], [])
    assert result.centres == {"a": (50.0, 15.0)}
    assert result.ranks == {"a": 0}
    assert (result.width, result.height) == (100.0, 30.0)


def test_unknown_node_in_an_edge_raises() -> None:
    with pytest.raises(ValueError, match="unknown node 'x'"):
        layered_layout(nodes_of("a b"), edges_of("a>x"))


def test_duplicate_node_id_raises() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        layered_layout(nodes_of("a a"), [])


def test_unknown_direction_raises() -> None:
    with pytest.raises(ValueError, match="direction"):
        layered_layout(nodes_of("a"), [], direction="up")


def test_self_loop_is_ignored_and_gets_no_bends() -> None:
    result = layered_layout(nodes_of("a b"), edges_of("a>a a>b"))
    assert result.bends == ((), ())
    assert result.ranks == {"a": 0, "b": 1}


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_the_engine_keeps_a_nodes_room_free(direction: str) -> None:
    nodes = [LayeredNode("a", 80, 40), LayeredNode("b", 80, 40, room=(0.0, 100.0)), LayeredNode("c", 80, 40)]
    result = layered_layout(nodes, [LayeredEdge("a", "b"), LayeredEdge("a", "c")], direction=direction, node_gap=20)
    along, half = (0, 40) if direction == "TB" else (1, 20)  # along the layer: x, or y for LR
    b, c = result.centres["b"][along], result.centres["c"][along]
    a = result.centres["a"][along]
    assert c - b >= half + 100 + 20 + half - 1e-6 or b - c >= 2 * half + 20 - 1e-6
    assert min(b, c) - half >= -1e-6  # the box starts at 0 ...
    extent = result.width if direction == "TB" else result.height
    assert max(b + half + 100, c + half) <= extent + 1e-6  # ... and holds the room
    assert min(b, c) <= a <= max(b, c)


def test_multi_edges_get_separate_parallel_bends() -> None:
    result = layered_layout(nodes_of("a b c"), edges_of("a>b b>c a>c a>c"))
    first, second = result.bends[2], result.bends[3]
    assert len(first) == len(second) == 1
    assert first[0][1] == second[0][1] == result.centres["b"][1]
    assert len({first[0][0], second[0][0], result.centres["b"][0]}) == 3


def test_disconnected_components_sit_side_by_side() -> None:
    nodes = nodes_of("a b c d e")
    result = layered_layout(nodes, edges_of("a>b c>d c>e"), node_gap=40)
    first = [result.centres[n][0] for n in "ab"]
    second = [result.centres[n][0] for n in "cde"]
    assert max(first) + 40 + 40 <= min(second) - 40 + EPS  # half widths plus the gap
    assert result.ranks == {"a": 0, "b": 1, "c": 0, "d": 1, "e": 1}
    assert result.centres["a"][1] == result.centres["c"][1]


def test_bounding_box_starts_at_origin_and_holds_everything() -> None:
    nodes = [LayeredNode("a", 50, 20), LayeredNode("b", 200, 80), LayeredNode("c", 30, 30), LayeredNode("d", 60, 60)]
    result = layered_layout(nodes, edges_of("a>b a>c b>d c>d a>d"))
    boxes = [(result.centres[n.id], n.width, n.height) for n in nodes]
    lefts = [c[0] - w / 2 for c, w, _ in boxes] + [p[0] for ps in result.bends for p in ps]
    tops = [c[1] - h / 2 for c, _, h in boxes] + [p[1] for ps in result.bends for p in ps]
    rights = [c[0] + w / 2 for c, w, _ in boxes] + [p[0] for ps in result.bends for p in ps]
    bottoms = [c[1] + h / 2 for c, _, h in boxes] + [p[1] for ps in result.bends for p in ps]
    assert min(lefts) == pytest.approx(0) and min(tops) == pytest.approx(0)
    assert max(rights) == pytest.approx(result.width) and max(bottoms) == pytest.approx(result.height)


# ----------------------------------------------------------------------------- ranks


def test_edges_point_down_in_a_dag() -> None:
    edges = edges_of("a>b a>c b>d c>d d>e a>e b>e")
    result = layered_layout(nodes_of("a b c d e"), edges)
    for edge in edges:
        assert result.ranks[edge.source] < result.ranks[edge.target]


def test_cycles_are_broken_and_reversed_edges_keep_their_direction() -> None:
    edges = edges_of("a>b b>c c>d d>a c>a")
    result = layered_layout(nodes_of("a b c d"), edges)
    assert result.ranks == {"a": 0, "b": 1, "c": 2, "d": 3}
    # d→a runs up through two dummies: its bends go from d's side to a's.
    back = result.bends[3]
    assert [p[1] for p in back] == sorted((p[1] for p in back), reverse=True)
    assert result.centres["a"][1] < back[-1][1] < back[0][1] < result.centres["d"][1]


def test_a_cycle_turns_the_edge_back_into_the_node_listed_first() -> None:
    # crm, erp -> ingest -> sync -> crm: the loop returns to crm, which the author lists first
    nodes = nodes_of("crm erp ingest sync")
    result = layered_layout(nodes, edges_of("crm>ingest erp>ingest ingest>sync sync>crm"))
    assert result.ranks["crm"] == result.ranks["erp"] == 0


def test_a_cycle_turns_the_feedback_into_a_cluster_not_the_clusters_own_edge() -> None:
    # input -> trainer -> monitor -> retrain -> orchestrator -> trainer, with orchestrator and trainer
    # in one cluster: the search alone turns orchestrator -> trainer (trainer is met first)
    edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 1)]
    fixed: list[int | None] = [None] * 5
    assert acyclic.run(5, edges, fixed) == [False, False, False, False, True]
    assert acyclic.run(5, edges, fixed, [-1, 0, -1, -1, 0]) == [False, False, False, True, False]


def test_a_cycle_turns_the_feedback_back_into_a_cluster_not_a_members_edge_out() -> None:
    # split -> a, b (a cluster); a, b -> check -> b: the search meets check through a, goes on to b
    # and turns b -> check, which would put b a layer below a; the feedback check -> b turns instead
    edges = [(0, 1), (0, 2), (1, 3), (2, 3), (3, 2)]
    fixed: list[int | None] = [None] * 4
    assert acyclic.run(4, edges, fixed) == [False, False, False, True, False]
    assert acyclic.run(4, edges, fixed, [-1, 0, 0, -1]) == [False, False, False, False, True]


def test_a_labelled_loop_inside_a_cluster_stays_turned() -> None:
    # repo -> campaign -> broker -> agent -> health -> report -> gate -> campaign, "next ring" labelled;
    # campaign, broker, report, gate in one cluster: the author's loop turns, not the way out of it
    edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 1)]
    fixed: list[int | None] = [None] * 7
    clusters = [-1, 0, 0, 1, 1, 0, 0]
    assert not acyclic.run(7, edges, fixed, clusters)[6]
    labelled = [False] * 6 + [True]
    assert acyclic.run(7, edges, fixed, clusters, labelled) == [False] * 6 + [True]


def test_a_labelled_loop_inside_a_cluster_turns_for_a_labelled_feedback_into_it() -> None:
    # p -> score -> diversity -> ab -> weights -> score, ab -> weights ("winning weights") and
    # weights -> score labelled, score and weights in one cluster: the feedback into it turns
    edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 1)]
    fixed: list[int | None] = [None] * 5
    labelled = [False, False, False, True, True]
    assert acyclic.run(5, edges, fixed, [-1, 0, -1, 1, 0], labelled) == [False, False, False, True, False]


def test_the_search_meets_a_clusters_members_before_it_leaves_the_cluster() -> None:
    # apps -> cache; cache -> stream (listed first), cache -> router; policy -> router -> gpu -> guard
    # -> stream -> evals -> policy ("win rates" labelled); cache, router, policy in one cluster: the
    # search went out to the stream first and turned guard -> stream; the feedback into the cluster
    # turns instead when the labels are known (choosing the loops to draw turned)
    edges = [(0, 1), (1, 6), (1, 2), (3, 2), (2, 4), (4, 5), (5, 6), (6, 7), (7, 3)]
    fixed: list[int | None] = [None] * 8
    clusters = [-1, 0, 0, 0, -1, -1, -1, 2]
    assert acyclic.run(8, edges, fixed, clusters)[6]
    labelled = [False] * 8 + [True]
    assert acyclic.run(8, edges, fixed, clusters, labelled) == [False] * 8 + [True]


def test_a_cycle_turns_the_labelled_edge_back_into_a_member_not_the_members_edge_out() -> None:
    # request, floor (a cluster) -> fanout -> logs -> train -> floor ("new floors" labelled): the search
    # met the cluster at request and reached floor from train; the edge back into floor turns
    edges = [(0, 2), (1, 2), (2, 3), (3, 4), (4, 1)]
    fixed: list[int | None] = [None] * 5
    clusters = [0, 0, 1, 2, 2]
    assert acyclic.run(5, edges, fixed, clusters) == [False, True, False, False, False]
    labelled = [False, True, False, False, True]
    assert acyclic.run(5, edges, fixed, clusters, labelled) == [False, False, False, False, True]


def test_after_cycle_breaking_every_edge_points_down() -> None:
    rng = random.Random(7)
    for _ in range(30):
        count = rng.randrange(2, 12)
        edges = [(rng.randrange(count), rng.randrange(count)) for _ in range(rng.randrange(1, 25))]
        fixed: list[int | None] = [None] * count
        for clusters in (None, [rng.choice([-1, 0, 1]) for _ in range(count)]):
            flags = acyclic.run(count, edges, fixed, clusters)
            oriented = [(t, s) if f else (s, t) for (s, t), f in zip(edges, flags, strict=True)]
            ranks = rank.run(count, [(s, t) for s, t in oriented if s != t], fixed)
            assert all(ranks[t] > ranks[s] for s, t in oriented if s != t)


def test_longest_path_is_tightened() -> None:
    # A source that only feeds the bottom node sinks next to it.
    result = layered_layout(nodes_of("a b c d s"), edges_of("a>b b>c c>d s>d"))
    assert result.ranks["s"] == 2
    assert result.bends[3] == ()


def test_minimum_lengths_hold_and_the_rest_stays_tight() -> None:
    # a→b must span two layers; c joins a and b and sits in the layer between.
    edges = [LayeredEdge("a", "b", minlen=2), LayeredEdge("a", "c"), LayeredEdge("c", "b"), LayeredEdge("b", "d")]
    result = layered_layout(nodes_of("a b c d"), edges)
    assert [result.ranks[n] for n in "abcd"] == [0, 2, 1, 3]
    assert len(result.bends[0]) == 1  # a dummy in the skipped layer
    # and above a fixed descendant: room is left for the long edge
    nodes = [*nodes_of("x"), LayeredNode("y", 60, 30, rank=5)]
    result = layered_layout(nodes, [LayeredEdge("x", "y", minlen=3)])
    assert result.ranks["y"] - result.ranks["x"] == 3


def test_fixed_ranks_are_honoured_and_shared() -> None:
    nodes = [
        LayeredNode("a", 60, 30, rank=0),
        LayeredNode("b", 60, 30),
        LayeredNode("c", 60, 30, rank=3),
        LayeredNode("d", 60, 30, rank=3),
        LayeredNode("e", 60, 30),
    ]
    result = layered_layout(nodes, edges_of("a>b b>c e>d"))
    assert result.ranks["a"] == 0 and result.ranks["c"] == result.ranks["d"] == 3
    assert 0 < result.ranks["b"] < 3 and result.ranks["e"] < 3
    assert result.centres["c"][1] == result.centres["d"][1]


def test_edges_against_fixed_ranks_become_reversed_or_flat() -> None:
    nodes = [
        LayeredNode("top", 60, 30, rank=0),
        LayeredNode("low", 60, 30, rank=2),
        LayeredNode("peer", 60, 30, rank=2),
        LayeredNode("free", 60, 30),
    ]
    edges = edges_of("low>top low>peer top>free free>top")
    result = layered_layout(nodes, edges)
    assert (result.ranks["top"], result.ranks["low"], result.ranks["peer"]) == (0, 2, 2)
    assert len(result.bends[0]) == 1  # upward edge across one layer, drawn low → top
    assert result.bends[0][0][1] < result.centres["low"][1]
    assert result.bends[1] == ()  # flat edge within rank 2
    assert result.ranks["free"] == 1


def test_sandwiched_free_nodes_fall_back_to_flat_edges() -> None:
    nodes = [LayeredNode("a", 60, 30, rank=0), LayeredNode("b", 60, 30, rank=1)]
    nodes += nodes_of("x y")
    result = layered_layout(nodes, edges_of("a>x x>y y>b"))
    assert (result.ranks["a"], result.ranks["b"]) == (0, 1)
    assert all(0 <= result.ranks[n] <= 1 for n in "xy")
    assert result.bends == ((), (), ())


def test_free_nodes_above_the_lowest_fixed_rank_shift_everything() -> None:
    nodes = [LayeredNode("a", 60, 30, rank=0), LayeredNode("b", 60, 30, rank=1), *nodes_of("up")]
    result = layered_layout(nodes, edges_of("up>a a>b"))
    assert result.ranks == {"a": 1, "b": 2, "up": 0}


def test_fixed_chain_is_never_reversed() -> None:
    # A free path b → x → a would put b above a; the fixed ranks win.
    fixed: list[int | None] = [0, 1, None]
    flags = acyclic.run(3, [(1, 2), (2, 0), (0, 1)], fixed)
    assert flags[2] is False and True in flags[:2]


# ----------------------------------------------------------------------------- order and position


def test_nodes_in_a_layer_never_overlap() -> None:
    rng = random.Random(3)
    nodes = [LayeredNode(f"n{i}", rng.randrange(20, 200), rng.randrange(20, 90)) for i in range(40)]
    edges = [LayeredEdge(f"n{rng.randrange(40)}", f"n{rng.randrange(40)}") for _ in range(70)]
    result = layered_layout(nodes, edges, node_gap=25)
    assert_no_overlap(nodes, result, 25)


def test_long_edge_bends_are_straight_in_a_chain() -> None:
    result = layered_layout(nodes_of("a b c d e"), edges_of("a>b b>c c>d d>e a>e"))
    bends = result.bends[4]
    assert len(bends) == 3
    assert max(p[0] for p in bends) - min(p[0] for p in bends) < EPS
    assert [p[1] for p in bends] == [result.centres[n][1] for n in "bcd"]


def test_a_node_is_centred_over_its_two_children() -> None:
    result = layered_layout(nodes_of("a b c"), edges_of("a>b a>c"))
    assert result.centres["a"][0] == pytest.approx((result.centres["b"][0] + result.centres["c"][0]) / 2)


def test_layers_are_spaced_by_their_tallest_node() -> None:
    nodes = [LayeredNode("a", 50, 20), LayeredNode("b", 50, 100), LayeredNode("c", 50, 10), LayeredNode("d", 50, 30)]
    result = layered_layout(nodes, edges_of("a>b a>c b>d c>d"), rank_gap=60, node_gap=40)
    gap = 60 / 2 + spacing.STEEPNESS * (50 + 40) / 2  # the least gap, and a share of the edges' step across
    assert result.centres["b"][1] == result.centres["c"][1] == pytest.approx(20 + gap + 50)
    assert result.centres["d"][1] == pytest.approx(20 + gap + 100 + gap + 15)


def test_frames_side_by_side_share_a_gap_and_nested_ones_stack() -> None:
    # clusters 0 and 1 end after layer 0 side by side; cluster 2 starts at layer 1 under cluster 0
    ranks, group, enclosing = [0, 0, 1], [0, 1, 2], [-1, -1, -1]
    apart = [(0.0, 100.0), (200.0, 300.0), (0.0, 100.0)]
    assert spacing.frame_gaps(ranks, group, enclosing, (20.0, 10.0), 60.0, apart) == [60 + 10 + 20, 60 + 10]
    assert spacing.frame_gaps(ranks, group, enclosing, (20.0, 10.0), 60.0) == [60 + 10 + 10 + 20, 60 + 10]
    beside = [(0.0, 100.0), (200.0, 300.0), (150.0, 180.0)]  # under neither: a border alone at any x
    assert spacing.frame_gaps(ranks, group, enclosing, (20.0, 10.0), 60.0, beside) == [60 + 20, 60 + 10]


def test_a_gap_whose_edges_run_straight_is_the_least_gap() -> None:
    result = layered_layout(nodes_of("a b"), edges_of("a>b"), rank_gap=60, least_gap=24)
    assert result.centres["b"][1] - result.centres["a"][1] == pytest.approx(40 + 24)


def test_only_a_fans_arms_widen_a_gap() -> None:
    # layer 0: a, b; layer 1: c, d, e. a>c steps 100 alone; b>d and b>e are a fan stepping 30 and 60
    layer, up, down = [0, 0, 1, 1, 1], [[], [], [0], [1], [1]], [[2], [3, 4], [], [], []]
    x = [0.0, 200.0, 100.0, 170.0, 260.0]
    reach = [0.0, 0.0, 0.0]
    spacing.widen_for_fans(reach, 1, layer, up, down, x, float("inf"))
    assert reach == [0.0, 60.0, 0.0]
    capped = [0.0, 0.0, 0.0]
    spacing.widen_for_fans(capped, 1, layer, up, down, x, 40.0)  # no step counts for more than longest
    assert capped == [0.0, 40.0, 0.0]
    into = [[], [], [0, 1], [], []]  # a>c and b>c: a fan into c
    fan_in = [0.0, 0.0, 0.0]
    spacing.widen_for_fans(fan_in, 0, layer, into, [[2], [2], [], [], []], x, float("inf"))
    assert fan_in == [100.0, 0.0, 0.0]


def test_crossings_never_exceed_the_initial_order() -> None:
    rng = random.Random(11)
    for _ in range(25):
        count = rng.randrange(4, 30)
        layer = [rng.randrange(5) for _ in range(count)]
        edges: list[tuple[int, int] | None] = []
        for _ in range(rng.randrange(count, 3 * count)):
            s, t = rng.randrange(count), rng.randrange(count)
            if layer[s] < layer[t]:
                edges.append((s, t))
        graph = normalize.run(layer, [10.0] * count, [-1] * count, edges)
        links = [(u, w) for u in range(graph.count) for w in graph.down[u]]
        before = count_crossings(order.initial_order(graph), links)
        after = count_crossings(order.run(graph), links)
        assert after <= before


def test_a_graph_of_many_blocks_gets_a_capped_search(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    count = order._MANY_BLOCKS
    layer = [v % 20 for v in range(count)]
    edges: list[tuple[int, int] | None] = [(v - 20, v) for v in range(20, count)]
    edges += [(s, s + 20 + rng.randrange(20)) for s in rng.sample(range(count - 40), count // 2)]
    graph = normalize.run(layer, [10.0] * count, [-1] * count, edges)
    sweeps: list[bool] = []
    transpose = order._transpose

    def counted(*args: object) -> None:
        sweeps.append(True)
        transpose(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(order, "_transpose", counted)
    links = [(u, w) for u in range(graph.count) for w in graph.down[u]]
    after = count_crossings(order.run(graph), links)
    assert 0 < len(sweeps) <= order._MANY_SWEEPS
    assert after < count_crossings(order.initial_order(graph), links)


def test_the_ordering_removes_an_avoidable_crossing() -> None:
    result = layered_layout(nodes_of("a b c d"), edges_of("a>d b>c"))
    layers = layers_of(result)
    assert count_crossings(layers, [("a", "d"), ("b", "c")]) == 0


def test_group_members_are_contiguous_in_every_layer() -> None:
    rng = random.Random(5)
    for trial in range(10):
        nodes = [LayeredNode(f"n{i}", 40, 20, group=rng.choice([None, "g1", "g2", "g3"])) for i in range(30)]
        edges = [LayeredEdge(f"n{rng.randrange(30)}", f"n{rng.randrange(30)}") for _ in range(50)]
        result = layered_layout(nodes, edges)
        group = {n.id: n.group for n in nodes}
        for layer in layers_of(result):
            seen: list[str | None] = []
            for node in layer:
                if seen and seen[-1] == group[node]:
                    continue
                assert group[node] is None or group[node] not in seen, (trial, layer)
                seen.append(group[node])


def test_group_gap_separates_groups() -> None:
    nodes = [LayeredNode("r", 40, 20), LayeredNode("a", 40, 20, group="g"), LayeredNode("b", 40, 20)]
    result = layered_layout(nodes, edges_of("r>a r>b"), node_gap=10, group_gap=30)
    assert abs(result.centres["a"][0] - result.centres["b"][0]) == pytest.approx(40 + 10 + 30)


# ----------------------------------------------------------------------------- direction


def test_directions_turn_the_top_to_bottom_layout() -> None:
    nodes = nodes_of("a b c d", 40, 40)
    edges = edges_of("a>b a>c b>d c>d a>d")
    tb = layered_layout(nodes, edges)

    def turned(direction: str, x: float, y: float) -> tuple[float, float]:
        return {"BT": (x, tb.height - y), "LR": (y, x), "RL": (tb.height - y, x)}[direction]

    for direction in ("BT", "LR", "RL"):
        other = layered_layout(nodes, edges, direction=direction)
        assert other.ranks == tb.ranks
        for node, (x, y) in tb.centres.items():
            assert other.centres[node] == pytest.approx(turned(direction, x, y))
        for mine, theirs in zip(tb.bends, other.bends, strict=True):
            assert [c for p in mine for c in turned(direction, *p)] == pytest.approx([c for p in theirs for c in p])


def test_left_to_right_layers_are_as_thick_as_the_widest_node() -> None:
    nodes = [LayeredNode("a", 120, 20), LayeredNode("b", 40, 80)]
    result = layered_layout(nodes, edges_of("a>b"), direction="LR", rank_gap=50, least_gap=50)
    assert result.centres["a"] == (60.0, 40.0)
    assert result.centres["b"] == (120 + 50 + 20, 40.0)
    assert (result.width, result.height) == (210.0, 80.0)


# ----------------------------------------------------------------------------- determinism


def test_same_input_gives_the_same_output() -> None:
    rng = random.Random(2)
    nodes = [LayeredNode(f"n{i}", rng.randrange(20, 90), 30, group=rng.choice([None, "g"])) for i in range(60)]
    edges = [LayeredEdge(f"n{rng.randrange(60)}", f"n{rng.randrange(60)}") for _ in range(100)]
    assert layered_layout(nodes, edges) == layered_layout(nodes, edges)


def test_output_does_not_depend_on_the_hash_seed() -> None:
    script = (
        "import json, random\n"
        "from svgarch.layout.layered import LayeredEdge, LayeredNode, layered_layout\n"
        "rng = random.Random(4)\n"
        "nodes = [LayeredNode(f'n{i}', 30 + i % 7, 20, group=rng.choice([None, 'x', 'y'])) for i in range(50)]\n"
        "edges = [LayeredEdge(f'n{rng.randrange(50)}', f'n{rng.randrange(50)}') for _ in range(90)]\n"
        "r = layered_layout(nodes, edges)\n"
        "print(json.dumps([r.centres, r.bends, r.ranks, r.width, r.height]))\n"
    )
    root = Path(__file__).resolve().parents[1]
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
    json.loads(outputs.pop())


# ----------------------------------------------------------------------------- crossings


def test_count_crossings_on_tiny_drawings() -> None:
    layers = [["a", "b"], ["c", "d"]]
    assert count_crossings(layers, [("a", "d"), ("b", "c")]) == 1
    assert count_crossings(layers, [("a", "c"), ("b", "d")]) == 0
    assert count_crossings(layers, [("a", "c"), ("a", "d"), ("b", "c")]) == 1
    assert count_crossings(layers, [("d", "a"), ("c", "b")]) == 1  # direction does not matter
    with pytest.raises(ValueError):
        count_crossings([["a"], ["b"], ["c"]], [("a", "c")])


def test_bilayer_crossings_match_brute_force() -> None:
    rng = random.Random(9)
    for _ in range(200):
        links = [(rng.randrange(6), rng.randrange(6)) for _ in range(rng.randrange(0, 15))]
        brute = sum(
            1 for i, (a, b) in enumerate(links) for c, d in links[i + 1 :] if (a < c and b > d) or (a > c and b < d)
        )
        assert bilayer_crossings(links) == brute


def test_fast_total_matches_the_accumulator_tree() -> None:
    rng = random.Random(13)
    for _ in range(50):
        sizes = [rng.randrange(1, 9) for _ in range(4)]
        layers = [list(range(sum(sizes[:i]), sum(sizes[: i + 1]))) for i in range(4)]
        down: list[list[int]] = [[] for _ in range(sum(sizes))]
        links = []
        for upper, lower in itertools.pairwise(layers):
            for _ in range(rng.randrange(0, 12)):
                u, w = rng.choice(upper), rng.choice(lower)
                down[u].append(w)
                links.append((u, w))
        pos = [0] * len(down)
        for layer in layers:
            for i, node in enumerate(layer):
                pos[node] = i
        assert order.total_crossings(layers, pos, down) == count_crossings(layers, links)
    assert inversions([2, 1, 0], 3) == 3


def test_ranking_weighs_each_edge_by_its_weight() -> None:
    # a -> b -> c -> d; a -> x -> d: x settles next to the end of its heavier edge
    edges = [(0, 1), (1, 2), (2, 3), (0, 4), (4, 3)]
    fixed: list[int | None] = [None] * 5
    assert rank.run(5, edges, fixed, weights=[1, 1, 1, 3, 1])[4] == 1
    assert rank.run(5, edges, fixed, weights=[1, 1, 1, 1, 3])[4] == 2


def test_a_node_with_one_edge_in_and_one_out_sits_next_to_its_source() -> None:
    # c -> f -> g costs the same with f on rank 1 or 2; ranking leaves f beside g (where network
    # simplex's tree put it) unless balanced: it goes up next to c, as a service next to its caller
    groups = {"a": "h", "b": "h", "c": "g", "d": "g", "e": None, "f": "h", "g": "g"}
    nodes = [LayeredNode(v, 40, 20, group=groups[v]) for v in "abcdefg"]
    edges = [LayeredEdge(s, t) for s, t in ("ab", "ae", "cd", "cf", "de", "eg", "fg")]
    ranks = layered_layout(nodes, edges).ranks
    assert (ranks["c"], ranks["f"], ranks["g"]) == (0, 1, 3)
