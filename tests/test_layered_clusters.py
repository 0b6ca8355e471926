"""Clusters (nested groups), flat edges and pass-through layers in the layered layout."""

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
from hypothesis import given, settings
from hypothesis import strategies as st

from svgarch.layout.layered import (
    LayeredEdge,
    LayeredNode,
    LayeredResult,
    count_crossings,
    layered_layout,
    normalize,
    order,
    through,
)

EPS = 1e-6
Box = tuple[float, float, int, int]  # left, right, first rank, last rank


def enclosing(group: str | None, parent: dict[str, str]) -> list[str]:
    """``group`` and the groups around it, innermost first."""
    out: list[str] = []
    while group is not None:
        out.append(group)
        group = parent.get(group)
    return out


def frames(nodes: Sequence[LayeredNode], result: LayeredResult, parent: dict[str, str], pad: float) -> dict[str, Box]:
    """Each group's frame as ``groups.py`` draws it along the layers: its blocks and its
    subgroups' frames, ``pad`` around; and the ranks it spans."""
    held: dict[str, list[Box]] = {}
    for n in nodes:
        if n.group is not None:
            x, r = result.centres[n.id][0], result.ranks[n.id]
            held.setdefault(n.group, []).append((x - n.width / 2, x + n.width / 2, r, r))
    groups = set(held) | {g for n in nodes for g in enclosing(n.group, parent)}
    boxes: dict[str, Box] = {}
    for group in sorted(groups, key=lambda g: -len(enclosing(g, parent))):
        inside = held.get(group, []) + [boxes[c] for c, p in parent.items() if p == group and c in boxes]
        if inside:
            boxes[group] = (
                min(b[0] for b in inside) - pad,
                max(b[1] for b in inside) + pad,
                min(b[2] for b in inside),
                max(b[3] for b in inside),
            )
    return boxes


def cluster_faults(
    nodes: Sequence[LayeredNode], result: LayeredResult, parent: dict[str, str], pad: float
) -> list[tuple[str, str, str]]:
    """Foreign nodes inside a frame, and overlapping frames of groups not nested in one another."""
    boxes = frames(nodes, result, parent, pad)
    faults = []
    for group, (left, right, first, last) in boxes.items():
        for node in nodes:
            x = result.centres[node.id][0]
            inside = first <= result.ranks[node.id] <= last and x + node.width / 2 > left + EPS
            if inside and x - node.width / 2 < right - EPS and group not in enclosing(node.group, parent):
                faults.append(("foreign", group, node.id))
    for one, other in itertools.combinations(boxes, 2):
        if one in enclosing(other, parent) or other in enclosing(one, parent):
            continue
        a, b = boxes[one], boxes[other]
        if a[0] < b[1] - EPS and b[0] < a[1] - EPS and a[2] <= b[3] and b[2] <= a[3]:
            faults.append(("overlap", one, other))
    return faults


def random_clustered(
    seed: int, count: int = 30, groups: int = 6, fixed: bool = False
) -> tuple[list[LayeredNode], list[LayeredEdge], dict[str, str]]:
    rng = random.Random(seed)
    names = [f"g{i}" for i in range(groups)]
    parent = {name: names[rng.randrange(i)] for i, name in enumerate(names) if i and rng.random() < 0.5}
    nodes = [
        LayeredNode(
            f"n{i}",
            rng.randrange(20, 120),
            30,
            rank=rng.randrange(5) if fixed and rng.random() < 0.5 else None,
            group=rng.choice([None, *names]),
        )
        for i in range(count)
    ]
    edges = [LayeredEdge(f"n{rng.randrange(count)}", f"n{rng.randrange(count)}") for _ in range(3 * count // 2)]
    return nodes, edges, parent


def region_groups(nodes: Sequence[LayeredNode], edges: Sequence[LayeredEdge], seed: int) -> list[LayeredNode]:
    """Groups grown as connected regions of the graph, as the groups of a real diagram are."""
    rng = random.Random(seed)
    around: dict[str, list[str]] = {n.id: [] for n in nodes}
    for edge in edges:
        around[edge.source].append(edge.target)
        around[edge.target].append(edge.source)
    owner: dict[str, str] = {}
    for g in range(len(nodes) // 8):
        frontier, room = [rng.choice(list(around))], rng.randrange(2, 8)
        while frontier and room:
            v = frontier.pop(0)
            if v not in owner:
                owner[v], room = f"g{g}", room - 1
                frontier += around[v]
    return [LayeredNode(n.id, n.width, n.height, n.rank, owner.get(n.id)) for n in nodes]


# ----------------------------------------------------------------------------- clusters


@pytest.mark.parametrize("fixed", [False, True])
def test_frames_hold_only_their_own_and_never_overlap(fixed: bool) -> None:
    for seed in range(60):
        nodes, edges, parent = random_clustered(seed, fixed=fixed)
        result = layered_layout(nodes, edges, parent=parent, node_gap=20, group_gap=12)
        assert cluster_faults(nodes, result, parent, 12) == [], seed


def test_nested_clusters_keep_together_inside_their_parent() -> None:
    # Two subgroups with members on every side of the parent's own members, and an outsider.
    nodes = [LayeredNode(n, 40, 20, group={"a": "x", "b": "y", "c": "top", "d": "x"}.get(n)) for n in "abcdr"]
    edges = [LayeredEdge("r", n) for n in "abcd"] + [LayeredEdge("a", "b"), LayeredEdge("c", "d")]
    parent = {"x": "top", "y": "top"}
    result = layered_layout(nodes, edges, parent=parent, node_gap=10, group_gap=8)
    assert cluster_faults(nodes, result, parent, 8) == []
    boxes = frames(nodes, result, parent, 8)
    assert boxes["top"][0] + 8 <= min(boxes["x"][0], boxes["y"][0]) + EPS


def test_a_cluster_spanning_a_layer_it_has_no_member_in_keeps_that_layer_clear() -> None:
    # a (rank 0) and c (rank 2) make g span rank 1, where only b and the outsider x lie.
    nodes = [LayeredNode(n, 40, 20, group="g" if n in "ac" else None) for n in "abcx"]
    edges = [LayeredEdge(*pair) for pair in ("ab", "bc", "ax", "xc")]
    result = layered_layout(nodes, edges, node_gap=10, group_gap=5)
    assert result.ranks["b"] == result.ranks["x"] == 1
    assert cluster_faults(nodes, result, {}, 5) == []


def test_group_gap_is_added_at_every_boundary_crossed() -> None:
    nodes = [LayeredNode("r", 40, 20), LayeredNode("a", 40, 20, group="inner"), LayeredNode("b", 40, 20)]
    edges = [LayeredEdge("r", "a"), LayeredEdge("r", "b")]
    result = layered_layout(nodes, edges, node_gap=10, group_gap=30, parent={"inner": "outer"})
    assert abs(result.centres["a"][0] - result.centres["b"][0]) == pytest.approx(40 + 2 * 30 + 10)


def test_sibling_clusters_keep_node_gap_between_their_frames() -> None:
    nodes = [LayeredNode("r", 40, 20), LayeredNode("a", 40, 20, group="x"), LayeredNode("b", 40, 20, group="y")]
    edges = [LayeredEdge("r", "a"), LayeredEdge("r", "b")]
    result = layered_layout(nodes, edges, node_gap=10, group_gap=30)
    assert abs(result.centres["a"][0] - result.centres["b"][0]) == pytest.approx(40 + 2 * 30 + 10)


def test_groups_nested_in_a_loop_raise() -> None:
    with pytest.raises(ValueError, match="loop"):
        layered_layout([LayeredNode("a", 10, 10, group="x")], [], parent={"x": "y", "y": "x"})


def test_components_sharing_an_outer_cluster_are_placed_as_one() -> None:
    nodes = [LayeredNode("a", 40, 20, group="x"), LayeredNode("b", 40, 20, group="y"), LayeredNode("c", 40, 20)]
    result = layered_layout(nodes, [], parent={"x": "top", "y": "top"}, node_gap=10, group_gap=4)
    assert cluster_faults(nodes, result, {"x": "top", "y": "top"}, 4) == []


def test_clusters_cost_few_crossings() -> None:
    plain = clustered = 0
    for seed in range(12):
        rng = random.Random(seed)
        count = rng.randrange(20, 50)
        nodes = [LayeredNode(f"n{i}", rng.randrange(30, 100), 30) for i in range(count)]
        edges = [LayeredEdge(f"n{rng.randrange(count)}", f"n{rng.randrange(count)}") for _ in range(3 * count // 2)]
        grouped = region_groups(nodes, edges, seed)
        plain += crossings(edges, layered_layout(nodes, edges))
        clustered += crossings(edges, layered_layout(grouped, edges, group_gap=10))
    assert clustered <= 1.4 * plain + 10, (clustered, plain)


def crossings(edges: Sequence[LayeredEdge], result: LayeredResult) -> int:
    """Crossings of the drawing: each edge a polyline through its bends, counted between layers."""
    spots: dict[int, list[tuple[float, str]]] = {}
    for node, r in result.ranks.items():
        spots.setdefault(r, []).append((result.centres[node][0], node))
    links: list[tuple[str, str]] = []
    for index, (edge, bends) in enumerate(zip(edges, result.bends, strict=True)):
        first, last = result.ranks[edge.source], result.ranks[edge.target]
        if first == last:
            continue
        step = 1 if last > first else -1
        names = [edge.source]
        for k, (x, _) in enumerate(bends):
            names.append(f"{index}:{k}")
            spots.setdefault(first + step * (k + 1), []).append((x, names[-1]))
        links += itertools.pairwise([*names, edge.target])
    layers = [[name for _, name in sorted(spots.get(r, []))] for r in range(max(spots, default=-1) + 1)]
    return count_crossings(layers, links)


def test_clustered_output_does_not_depend_on_the_hash_seed() -> None:
    script = (
        "import json, random\n"
        "from svgarch.layout.layered import LayeredEdge, LayeredNode, layered_layout\n"
        "rng = random.Random(4)\n"
        "nodes = [LayeredNode(f'n{i}', 30 + i % 7, 20, group=rng.choice([None, 'x', 'y', 'z'])) for i in range(50)]\n"
        "edges = [LayeredEdge(f'n{rng.randrange(50)}', f'n{rng.randrange(50)}') for _ in range(90)]\n"
        "r = layered_layout(nodes, edges, parent={'y': 'x'}, group_gap=8)\n"
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


# ----------------------------------------------------------------------------- flat edges


def neighbours_in_layer(result: LayeredResult, source: str, target: str) -> bool:
    """No node and no bend lies between the two ends of a flat edge."""
    (xa, y), (xb, _) = result.centres[source], result.centres[target]
    low, high = sorted((xa, xb))
    nodes = [n for n, (x, yn) in result.centres.items() if yn == y and low < x < high]
    bends = [p for ps in result.bends for p in ps if p[1] == y and low < p[0] < high]
    return not nodes and not bends


def test_a_path_of_flat_edges_lies_in_a_row() -> None:
    nodes = [LayeredNode(n, 40, 20, rank=1) for n in "abcd"] + [LayeredNode(n, 40, 20, rank=0) for n in "pq"]
    edges = [LayeredEdge(*pair) for pair in ("pa", "qb", "pc", "qd", "ac", "cb", "bd")]
    result = layered_layout(nodes, edges)
    for edge in edges[4:]:
        assert neighbours_in_layer(result, edge.source, edge.target), edge


def test_flat_edges_make_neighbours_where_they_form_paths() -> None:
    for seed in range(30):
        rng = random.Random(seed)
        nodes = [LayeredNode(f"n{i}", rng.randrange(30, 90), 30, rank=i % 4) for i in range(24)]
        pairs = [(rng.randrange(24), rng.randrange(24)) for _ in range(30)]
        edges = [LayeredEdge(f"n{s}", f"n{t}") for s, t in pairs if s % 4 != t % 4]  # none flat
        flat = [LayeredEdge(f"n{4 * k + r}", f"n{4 * k + 4 + r}") for r in range(4) for k in range(0, 4, 2)]
        result = layered_layout(nodes, edges + flat)
        for edge in flat:
            assert neighbours_in_layer(result, edge.source, edge.target), (seed, edge)


def test_flat_edges_inside_a_cluster_stay_together() -> None:
    nodes = [LayeredNode(n, 40, 20, rank=0, group="g" if n in "abc" else None) for n in "abcxy"]
    edges = [LayeredEdge("a", "c"), LayeredEdge("c", "b"), LayeredEdge("x", "y")]
    result = layered_layout(nodes, edges, group_gap=6)
    assert all(neighbours_in_layer(result, e.source, e.target) for e in edges)
    assert cluster_faults(nodes, result, {}, 6) == []


# ----------------------------------------------------------------------------- pass-through layers


def test_dropping_pass_through_layers_keeps_the_crossings() -> None:
    rng = random.Random(17)
    for _ in range(40):
        count = rng.randrange(4, 25)
        layer = [2 * rng.randrange(4) for _ in range(count)]
        pairs = [(rng.randrange(count), rng.randrange(count)) for _ in range(2 * count)]
        edges: list[tuple[int, int] | None] = [(s, t) for s, t in pairs if layer[s] < layer[t]]
        graph = normalize.run(layer, [10.0] * count, [-1] * count, edges)
        passing = through.passing_layers(graph)
        smaller, kept = through.contract(graph, passing)
        small_layers = order.initial_order(smaller)
        rng.shuffle(small_layers[0])
        full = through.expand(graph, passing, kept, small_layers)
        links = [(u, w) for u in range(graph.count) for w in graph.down[u]]
        small_links = [(u, w) for u in range(smaller.count) for w in smaller.down[u]]
        assert count_crossings(full, links) == count_crossings(small_layers, small_links)
        assert sorted(itertools.chain(*full)) == list(range(graph.count))


Clustered = tuple[list[LayeredNode], list[LayeredEdge], dict[str, str]]


@st.composite
def clustered_graphs(draw: st.DrawFn) -> Clustered:
    names = ["a", "b", "c", "d"]
    parent = {name: names[draw(st.integers(0, i - 1))] for i, name in enumerate(names) if i and draw(st.booleans())}
    count = draw(st.integers(1, 14))
    nodes = [
        LayeredNode(
            f"v{i}",
            draw(st.integers(1, 120)),
            draw(st.integers(1, 60)),
            rank=draw(st.one_of(st.none(), st.none(), st.integers(0, 4))),
            group=draw(st.sampled_from([None, *names])),
        )
        for i in range(count)
    ]
    pairs = draw(st.lists(st.tuples(st.integers(0, 13), st.integers(0, 13)), max_size=30))
    return nodes, [LayeredEdge(f"v{s % count}", f"v{t % count}") for s, t in pairs], parent


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(clustered_graphs(), st.sampled_from([0.0, 7.0]))
def test_cluster_frames_property(graph: Clustered, pad: float) -> None:
    nodes, edges, parent = graph
    result = layered_layout(nodes, edges, parent=parent, group_gap=pad, node_gap=10)
    assert cluster_faults(nodes, result, parent, pad) == []


# ----------------------------------------------------------------------------- edges that end on a cluster


def pool(direction: str = "TB", **kw: object) -> tuple[list[LayeredNode], LayeredResult]:
    """lb → [pool: w1 w2, with w1 → w3 below] → db, the pool named as the edges' end."""
    nodes = [
        LayeredNode("lb", 100, 40),
        LayeredNode("w1", 80, 40, group="pool"),
        LayeredNode("w2", 80, 40, group="pool"),
        LayeredNode("w3", 80, 40, group="pool"),
        LayeredNode("db", 60, 40),
    ]
    edges = [LayeredEdge("lb", "pool"), LayeredEdge("pool", "db"), LayeredEdge("w1", "w3")]
    return nodes, layered_layout(nodes, edges, direction=direction, node_gap=20, group_gap=10, **kw)  # type: ignore[arg-type]


def test_an_edge_into_a_cluster_ranks_the_whole_cluster_below_its_source() -> None:
    _, result = pool()
    r = result.ranks
    assert r["lb"] < min(r["w1"], r["w2"], r["w3"]) and max(r["w1"], r["w2"], r["w3"]) < r["db"]
    assert (r["lb"], r["w1"], r["w2"], r["w3"], r["db"]) == (0, 1, 1, 2, 3)  # the pool is as near as it can be


@pytest.mark.parametrize("direction", ["TB", "BT", "LR", "RL"])
def test_a_cluster_end_stands_on_the_clusters_rank_facing_the_other_end(direction: str) -> None:
    _, result = pool(direction)
    (into, into_rank), (out, out_rank) = result.ends[(0, 1)], result.ends[(1, 0)]
    assert into_rank == 1 and out_rank == 2  # the pool's first rank for the way in, its last for the way out
    assert into == result.centres["w1"]  # the middle member of rank 1 (w1, w2) in input order: the lower one
    assert out == result.centres["w3"]
    # edges to neighbouring ranks run straight: the source sits in line with where the edge meets the cluster
    across = 0 if direction in ("TB", "BT") else 1
    assert result.centres["lb"][across] == pytest.approx(into[across])
    assert result.centres["db"][across] == pytest.approx(out[across])


def test_an_edge_between_two_clusters_and_a_long_one_get_bends() -> None:
    nodes = [LayeredNode("a", 40, 20, group="x"), LayeredNode("b", 40, 20, group="y"), LayeredNode("c", 40, 20)]
    nodes.append(LayeredNode("d", 40, 20, group="y"))
    edges = [LayeredEdge("x", "y"), LayeredEdge("c", "a"), LayeredEdge("c", "y"), LayeredEdge("b", "d")]
    result = layered_layout(nodes, edges, node_gap=10, group_gap=5)
    assert result.ranks["a"] < result.ranks["b"]
    assert result.ends[(0, 0)][1] == result.ranks["a"] and result.ends[(0, 1)][1] == result.ranks["b"]
    assert len(result.bends[2]) == result.ranks["b"] - result.ranks["c"] - 1  # c → y passes rank 1 as a dummy
    assert cluster_faults(nodes, result, {}, 5) == []


def test_a_cluster_end_that_shares_ranks_with_its_other_end_is_left_out() -> None:
    # b, pinned beside the cluster's ranks 0 to 2, has no layered route to it: the caller routes that edge
    nodes = [LayeredNode("a1", 40, 20, 0, "g"), LayeredNode("a2", 40, 20, 2, "g"), LayeredNode("b", 40, 20, 1)]
    edges = [LayeredEdge("a1", "a2"), LayeredEdge("g", "b"), LayeredEdge("b", "g")]
    result = layered_layout(nodes, edges, node_gap=10, group_gap=5)
    assert result.ends == {} and result.bends[1:] == ((), ())
    assert cluster_faults(nodes, result, {}, 5) == []


def test_both_ways_between_a_cluster_and_a_node_one_is_turned_round() -> None:
    nodes = [LayeredNode("a1", 40, 20, group="g"), LayeredNode("a2", 40, 20, group="g"), LayeredNode("b", 40, 20)]
    edges = [LayeredEdge("a1", "a2"), LayeredEdge("g", "b"), LayeredEdge("b", "g")]
    result = layered_layout(nodes, edges, node_gap=10, group_gap=5)
    assert result.ranks == {"a1": 0, "a2": 1, "b": 2}
    assert result.ends[(1, 0)][1] == result.ends[(2, 1)][1] == 1  # both meet the cluster's last rank, facing b


def test_a_cycle_through_a_cluster_turns_its_edge_round_whole() -> None:
    # pool → monitor → autoscaler → pool: breaking the cycle must not scatter the pool over the ranks
    nodes = [LayeredNode(f"w{i}", 60, 20, group="pool") for i in range(3)]
    nodes += [LayeredNode("monitor", 60, 20), LayeredNode("autoscaler", 60, 20)]
    edges = [LayeredEdge("pool", "monitor"), LayeredEdge("monitor", "autoscaler"), LayeredEdge("autoscaler", "pool")]
    result = layered_layout(nodes, edges, node_gap=10, group_gap=5)
    assert len({result.ranks[f"w{i}"] for i in range(3)}) == 1
    assert len(result.ends) == 2  # both cluster ends got a layered route, one of them upward


def test_an_unknown_end_still_raises() -> None:
    with pytest.raises(ValueError, match="unknown node 'nowhere'"):
        layered_layout([LayeredNode("a", 10, 10, group="g")], [LayeredEdge("a", "nowhere")])


@pytest.mark.slow
def test_random_cluster_ends_keep_frames_whole() -> None:
    for seed in range(40):
        nodes, edges, parent = random_clustered(seed)
        rng = random.Random(seed)
        named = sorted({n.group for n in nodes if n.group})
        for _ in range(6):
            group = rng.choice(named)
            outside = [n.id for n in nodes if group not in enclosing(n.group, parent)]
            if outside:
                pair = (group, rng.choice(outside))
                edges.append(LayeredEdge(*(pair if rng.random() < 0.5 else pair[::-1])))
        result = layered_layout(nodes, edges, parent=parent, node_gap=20, group_gap=12)
        assert cluster_faults(nodes, result, parent, 12) == [], seed
        for (index, end), (point, rank) in result.ends.items():
            name = (edges[index].source, edges[index].target)[end]
            member = [n for n in nodes if name in enclosing(n.group, parent) and result.centres[n.id] == point]
            assert member and result.ranks[member[0].id] == rank, seed


# ----------------------------------------------------------------------------- captions


@pytest.mark.parametrize("direction", ["TB", "BT"])
def test_a_caption_keeps_its_width_free_first_in_the_clusters_top_rank(direction: str) -> None:
    nodes, result = pool(direction, captions={"pool": (150.0, 0.0)})
    lo, hi = result.captions["pool"]
    assert hi - lo == pytest.approx(150)
    top = 1 if direction == "TB" else 2  # the rank drawn at the cluster's top
    row = [n for n in nodes if result.ranks[n.id] == top and n.group == "pool"]
    for n in row:  # the caption comes first: every member of that rank lies right of it, node_gap apart
        assert result.centres[n.id][0] - n.width / 2 >= hi + 20 - EPS
    for points in result.bends:  # no edge passes through it
        assert all(not lo <= x <= hi for x, _ in points)


def test_a_caption_over_a_nested_one_shares_its_room() -> None:
    # a -> [outer: [inner: b -> c] d]: both frames start at b's rank, labels stacked in their strips
    nodes = [
        LayeredNode("a", 40, 20),
        LayeredNode("b", 40, 20, group="inner"),
        LayeredNode("c", 40, 20, group="inner"),
        LayeredNode("d", 40, 20, group="outer"),
    ]
    edges = [LayeredEdge("a", "b"), LayeredEdge("b", "c"), LayeredEdge("a", "d")]
    parent = {"inner": "outer"}
    result = layered_layout(
        nodes, edges, parent=parent, node_gap=20, group_gap=12, captions={"outer": (150.0, 0.0), "inner": (90.0, 0.0)}
    )
    assert result.captions["outer"] == result.captions["inner"]  # one room, as wide as the wider label
    lo, hi = result.captions["inner"]
    assert hi - lo == pytest.approx(150)
    left_of_b = result.centres["b"][0] - 20 - lo  # the inner frame's members start right after that one room
    assert 150 + 20 - EPS <= left_of_b <= 150 + 20 + EPS
    assert cluster_faults(nodes, result, parent, 12) == []


@pytest.mark.parametrize("direction", ["LR", "RL"])
def test_a_caption_across_the_layers_runs_over_its_clusters_ranks(direction: str) -> None:
    plain = pool(direction)[1]
    _, fits = pool(direction, captions={"pool": (150.0, 0.0)})
    assert fits.width == pytest.approx(plain.width)  # the pool's two ranks, 80 deep each and a gap, hold 150
    _, long = pool(direction, captions={"pool": (400.0, 0.0)})
    assert long.width > plain.width  # they do not hold 400: the caption's rank grew
    lo, _ = long.captions["pool"]  # the caption's rank is the pool's leftmost (rank 1 in LR, 2 in RL)
    right = max(long.centres[w][0] for w in ("w1", "w2", "w3")) + 40
    assert right - lo >= 400 - EPS  # from there the label runs on over the pool's next rank


# ----------------------------------------------------------------------------- room for frames between the layers


def test_frame_room_widens_only_the_gaps_where_frames_start_and_end() -> None:
    # a → [outer: b → [inner: c]] → d, one node per layer, 20 high
    nodes = [
        LayeredNode("a", 40, 20),
        LayeredNode("b", 40, 20, group="outer"),
        LayeredNode("c", 40, 20, group="inner"),
        LayeredNode("d", 40, 20),
    ]
    edges = [LayeredEdge("a", "b"), LayeredEdge("b", "c"), LayeredEdge("c", "d")]
    parent = {"inner": "outer"}
    plain = layered_layout(nodes, edges, parent=parent, rank_gap=30, least_gap=30)  # straight edges: 30 apart
    roomy = layered_layout(nodes, edges, parent=parent, rank_gap=30, least_gap=30, frame_room=(7.0, 3.0))

    def gaps(result: LayeredResult) -> list[float]:
        ys = [result.centres[n][1] for n in "abcd"]
        return [round(low - high, 6) for high, low in itertools.pairwise(ys)]

    assert gaps(plain) == [50, 50, 50]  # 20 deep layers, 30 apart
    assert gaps(roomy) == [50 + 7, 50 + 7, 50 + 3 + 3]  # outer starts; inner starts; both end


def test_frame_room_turns_with_the_layers() -> None:
    nodes = [LayeredNode("a", 40, 20), LayeredNode("b", 40, 20, group="g"), LayeredNode("c", 40, 20)]
    edges = [LayeredEdge("a", "b"), LayeredEdge("b", "c")]
    result = layered_layout(nodes, edges, direction="BT", rank_gap=30, least_gap=30, frame_room=(7.0, 3.0))
    ys = {n: result.centres[n][1] for n in "abc"}
    assert ys["a"] - ys["b"] == 50 + 7 and ys["b"] - ys["c"] == 50 + 3  # before and after in flow order


def test_a_pool_an_edge_reaches_through_its_group_keeps_input_order() -> None:
    """Unlinked workers of a group an edge enters are drawn 1, 2, 3 (examples/worker_pool.toml), not 2, 1, 3."""
    nodes = [LayeredNode("queue", 40, 20), *(LayeredNode(f"w{i}", 40, 20, group="pool") for i in (1, 2, 3))]
    result = layered_layout(nodes, [LayeredEdge("queue", "pool")], node_gap=10, group_gap=5)
    across = [result.centres[f"w{i}"][0] for i in (1, 2, 3)]
    assert across == sorted(across), across
    assert across[0] < result.centres["queue"][0] < across[2]  # the edge meets the middle worker


def test_a_member_stays_near_its_cluster_when_its_edge_gains_less_than_the_span() -> None:
    # a -> b -> c -> d -> e; x -> e alone would sit just above e, four layers below a, its cluster mate
    nodes = [LayeredNode(n, 40, 20, group="g" if n in "ax" else None) for n in "abcdex"]
    edges = [LayeredEdge(s, t) for s, t in ("ab", "bc", "cd", "de", "xe")]
    assert layered_layout(nodes, edges).ranks["x"] == 0
    alone = [LayeredNode(n, 40, 20) for n in "abcdex"]
    assert layered_layout(alone, edges).ranks["x"] == 3


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_a_cluster_keeps_its_group_gap_before_and_after_its_contents_apart(direction: str) -> None:
    # r feeds x, a (in g) and y, side by side in the next layer: g's border keeps 30 before a (where an
    # LR frame's label strip is, above its blocks) and only 10 after it
    nodes = [LayeredNode(n, 40, 40, group="g" if n == "a" else None) for n in "rxay"]
    edges = [LayeredEdge("r", t) for t in "xay"]
    result = layered_layout(nodes, edges, direction=direction, node_gap=10, group_gap=(30.0, 10.0))
    across = 0 if direction == "TB" else 1
    x, a, y = (result.centres[n][across] for n in "xay")
    assert (a - x - 40, y - a - 40) == (10 + 30, 10 + 10)


def test_an_edge_out_of_a_tall_frame_runs_inside_it_to_its_far_side() -> None:
    """An edge from a block nested in a frame to a block past the frame's last layer keeps its bends
    inside the frame while the frame spans their layers (dot's rule put them outside, round the frame)."""
    nodes = [
        LayeredNode("a", 40, 20, rank=0, group="inner"),
        *(LayeredNode(f"c{i}", 40, 20, group="outer") for i in range(4)),
        LayeredNode("b", 40, 20, rank=4),
    ]
    edges = [LayeredEdge("c0", "c1"), LayeredEdge("c1", "c2"), LayeredEdge("c2", "c3"), LayeredEdge("a", "b")]
    result = layered_layout(nodes, edges, parent={"inner": "outer"}, group_gap=10.0)
    assert [result.ranks[k] for k in ("a", "c3", "b")] == [0, 3, 4]
    left, right, _, _ = frames(nodes, result, {"inner": "outer"}, 10.0)["outer"]
    bends = result.bends[3]
    assert len(bends) == 3
    assert all(left < x < right for x, _ in bends)


def test_a_label_node_joins_the_frame_its_edge_still_runs_in() -> None:
    """``normalize.homes``: a free node between two others takes the innermost cluster round either end
    whose layers reach its own, else its own; other nodes keep theirs."""
    # clusters: 0 (outer) holds 1 (inner); node 0 in 1 at rank 0, node 1 in 0 at rank 4, node 2 outside
    # at rank 6, node 3 a label node at rank 2 (edge 0 -> 2), node 4 one at rank 5 (edge 1 -> 2)
    group = [1, 0, -1, -1, -1]
    ranks = [0, 4, 6, 2, 5]
    links = [(0, 3), (3, 2), (1, 4), (4, 2)]
    assert normalize.homes(group, ranks, links, {3, 4}, [-1, 0]) == [1, 0, -1, 0, -1]
