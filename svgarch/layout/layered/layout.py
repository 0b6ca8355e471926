"""The layered layout as a flat list of phases (see the package docstring)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import acyclic, clusters, normalize, order, position, rank
from . import direction as axes
from .graph import LayeredEdge, LayeredNode, LayeredResult, LayerGraph, Point

__all__ = ["layered_layout"]

_STEEPNESS = 0.1  # extra gap per unit of an edge's step across beyond twice the gap


@dataclass(frozen=True)
class _Component:
    """A connected component: its nodes and its edges, by input index, ascending."""

    nodes: list[int]
    edges: list[int]


def layered_layout(
    nodes: Sequence[LayeredNode],
    edges: Sequence[LayeredEdge],
    *,
    direction: str = "TB",
    rank_gap: float = 60.0,
    node_gap: float = 40.0,
    edge_gap: float | None = None,
    group_gap: float = 0.0,
    parent: Mapping[str, str] | None = None,
) -> LayeredResult:
    """Place ``nodes`` in layers so that ``edges`` point along ``direction``.

    A node's ``group`` is a cluster; ``parent`` maps a cluster to the one
    enclosing it. The box of a cluster's nodes (its nested clusters' too)
    over the layers it spans holds no other node and does not overlap the
    box of a cluster it is not nested in or around.

    ``edge_gap`` (default ``node_gap / 2``) separates a long edge from its
    neighbours in a layer; ``group_gap`` is added at every cluster boundary
    between two neighbours (a cluster's box is that far from its contents).
    Disconnected components sit side by side, ``node_gap`` apart, sharing
    the layers. Raises ValueError for a duplicate node id, an edge naming an
    unknown node, an unknown direction, or clusters nested in a loop.
    """
    links = _edge_indices(nodes, edges)
    group, enclosing = _clusters(nodes, parent or {})
    breadth, thickness = axes.run(nodes, direction)
    flipped, ranks = _rank(links, [node.rank for node in nodes], [edge.minlen for edge in edges])
    gaps = position.Gaps(node=node_gap, edge=node_gap / 2 if edge_gap is None else edge_gap, group=group_gap)
    room = [node.room for node in nodes]
    centres, bends = _place(links, flipped, ranks, group, enclosing, breadth, room, thickness, rank_gap, gaps)
    return _result(nodes, ranks, centres, acyclic.undo(bends, flipped), breadth, room, thickness, direction)


def _rank(
    links: Sequence[tuple[int, int]], fixed: Sequence[int | None], minlens: Sequence[int]
) -> tuple[list[bool], list[int]]:
    """Phases 1-2 per connected component: which edges are reversed, and every node's rank."""
    flipped = [False] * len(links)
    ranks = [0] * len(fixed)
    anchored = [False] * len(fixed)  # in a component with fixed ranks
    for component in _components(len(fixed), links):
        local = {node: i for i, node in enumerate(component.nodes)}
        local_links = [(local[links[e][0]], local[links[e][1]]) for e in component.edges]
        local_fixed = [fixed[node] for node in component.nodes]
        flags = acyclic.run(len(local_fixed), local_links, local_fixed)
        oriented = [(t, s) if flip else (s, t) for (s, t), flip in zip(local_links, flags, strict=True)]
        kept = [i for i, (s, t) in enumerate(oriented) if s != t and (local_fixed[s] is None or local_fixed[t] is None)]
        constraints = [oriented[i] for i in kept]
        lengths = [minlens[component.edges[i]] for i in kept]
        local_ranks = rank.run(len(local_fixed), constraints, local_fixed, minlens=lengths)
        has_fixed = any(value is not None for value in local_fixed)
        low = 0 if has_fixed else min(local_ranks)
        for node, value in zip(component.nodes, local_ranks, strict=True):
            ranks[node] = value - low
            anchored[node] = has_fixed
        for e, flip in zip(component.edges, flags, strict=True):
            flipped[e] = flip
    # Fixed ranks stay as given unless a node must sit above rank 0.
    lowest = min((r for r, a in zip(ranks, anchored, strict=True) if a), default=0)
    if lowest < 0:
        ranks = [r - lowest if a else r for r, a in zip(ranks, anchored, strict=True)]
    return flipped, ranks


def _clusters(nodes: Sequence[LayeredNode], parent: Mapping[str, str]) -> tuple[list[int], list[int]]:
    """Every node's cluster index (-1: none), and every cluster's enclosing one, numbered as first met."""
    index: dict[str, int] = {}
    enclosing: list[int] = []

    def number(name: str, inner: tuple[str, ...] = ()) -> int:
        if name in inner:
            raise ValueError(f"groups nested in a loop: {' in '.join((*inner, name))}")
        if name not in index:
            outer = number(parent[name], (*inner, name)) if name in parent else -1
            index[name] = len(enclosing)
            enclosing.append(outer)
        return index[name]

    group = [-1 if node.group is None else number(node.group) for node in nodes]
    return group, enclosing


def _place(
    links: Sequence[tuple[int, int]],
    flipped: Sequence[bool],
    ranks: Sequence[int],
    group: Sequence[int],
    enclosing: Sequence[int],
    breadth: Sequence[float],
    room: Sequence[tuple[float, float]],
    thickness: Sequence[float],
    rank_gap: float,
    gaps: position.Gaps,
) -> tuple[list[Point], list[tuple[Point, ...]]]:
    """Phases 3-5, component by component from left to right: centres, and bends in layout order.

    Components that share an outermost cluster are placed as one, so that its box holds only its own.
    Layers are spaced once every x is known (``_layer_centres``).
    """
    outermost = list(range(len(enclosing)))
    for cluster in range(len(enclosing)):
        while enclosing[outermost[cluster]] >= 0:
            outermost[cluster] = enclosing[outermost[cluster]]
    first_of_cluster: dict[int, int] = {}
    ties = [(first_of_cluster.setdefault(outermost[g], v), v) for v, g in enumerate(group) if g >= 0]
    placed: list[tuple[_Component, LayerGraph, list[float], int]] = []
    reach = [0.0] * (max(ranks, default=-1) + 1)  # per layer: the widest step an edge makes to the next
    offset = 0.0
    for component in _components(len(group), links, ties):
        members = component.nodes
        top = min(ranks[v] for v in members)
        local = {node: i for i, node in enumerate(members)}
        oriented: list[tuple[int, int] | None] = []
        for e in component.edges:
            source, target = reversed(links[e]) if flipped[e] else links[e]
            oriented.append(None if source == target else (local[source], local[target]))
        graph = normalize.run(
            [ranks[v] - top for v in members],
            [breadth[v] for v in members],
            [group[v] for v in members],
            oriented,
            enclosing,
        )
        graph.room = {i: room[v] for i, v in enumerate(members) if room[v] != (0.0, 0.0)}
        clusters.run(graph)
        x = [offset + value for value in position.run(graph, order.run(graph), gaps)]
        for v in range(graph.count):
            for w in graph.down[v]:
                layer = top + graph.layer[v]
                reach[layer] = max(reach[layer], abs(x[w] - x[v]))
        placed.append((component, graph, x, top))
        boxes = itertools.chain(range(graph.real_count), (v for v in range(graph.count) if graph.side[v]))
        offset = max(x[v] + graph.reach(v)[1] for v in boxes) + gaps.node
    layer_y = _layer_centres(ranks, thickness, [_gap(rank_gap, step) for step in reach])
    centres: list[Point] = [(0.0, 0.0)] * len(group)
    bends: list[tuple[Point, ...]] = [()] * len(links)
    for component, graph, x, top in placed:
        for i, node in enumerate(component.nodes):
            centres[node] = (x[i], layer_y[ranks[node]])
        for e, points in zip(component.edges, normalize.undo(graph, x, layer_y[top:]), strict=True):
            bends[e] = points
    return centres, bends


def _gap(rank_gap: float, step: float) -> float:
    """The gap below a layer whose edges step ``step`` across: wider for
    wide steps, so a fan's outer edges curve down instead of running flat
    along the tops of the next layer (up to twice the gap)."""
    return min(2 * rank_gap, rank_gap + _STEEPNESS * max(0.0, step - 2 * rank_gap))


def _result(
    nodes: Sequence[LayeredNode],
    ranks: Sequence[int],
    centres: Sequence[Point],
    bends: Sequence[tuple[Point, ...]],
    breadth: Sequence[float],
    room: Sequence[tuple[float, float]],
    thickness: Sequence[float],
    direction: str,
) -> LayeredResult:
    """Phase 6: move the box corner to (0, 0) and turn to ``direction``."""
    boxes = list(zip(centres, breadth, room, strict=True))
    lefts = [c[0] - b / 2 - r[0] for c, b, r in boxes] + [p[0] for ps in bends for p in ps]
    rights = [c[0] + b / 2 + r[1] for c, b, r in boxes] + [p[0] for ps in bends for p in ps]
    tops = [c[1] - t / 2 for c, t in zip(centres, thickness, strict=True)] + [p[1] for ps in bends for p in ps]
    bottoms = [c[1] + t / 2 for c, t in zip(centres, thickness, strict=True)] + [p[1] for ps in bends for p in ps]
    left, top = min(lefts, default=0.0), min(tops, default=0.0)
    along, down = max(rights, default=0.0) - left, max(bottoms, default=0.0) - top

    def turn(point: Point) -> Point:
        return axes.undo((point[0] - left, point[1] - top), down, direction)

    width, height = (along, down) if direction in ("TB", "BT") else (down, along)
    return LayeredResult(
        centres={node.id: turn(c) for node, c in zip(nodes, centres, strict=True)},
        bends=tuple(tuple(turn(p) for p in points) for points in bends),
        ranks={node.id: r for node, r in zip(nodes, ranks, strict=True)},
        width=width,
        height=height,
    )


def _edge_indices(nodes: Sequence[LayeredNode], edges: Sequence[LayeredEdge]) -> list[tuple[int, int]]:
    index: dict[str, int] = {}
    for i, node in enumerate(nodes):
        if node.id in index:
            raise ValueError(f"duplicate node id {node.id!r}")
        index[node.id] = i
    links: list[tuple[int, int]] = []
    for edge in edges:
        for end in (edge.source, edge.target):
            if end not in index:
                raise ValueError(f"edge {edge.source!r} -> {edge.target!r} names unknown node {end!r}")
        links.append((index[edge.source], index[edge.target]))
    return links


def _components(
    node_count: int, links: Sequence[tuple[int, int]], ties: Sequence[tuple[int, int]] = ()
) -> list[_Component]:
    """Components connected by ``links`` and ``ties``, ordered by their first node.

    Each holds the links among its nodes; ties only join components.
    """
    parent = list(range(node_count))

    def find(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for s, t in itertools.chain(links, ties):
        a, b = find(s), find(t)
        if a != b:
            parent[max(a, b)] = min(a, b)
    slot: dict[int, int] = {}
    result: list[_Component] = []
    for v in range(node_count):
        key = find(v)
        if key not in slot:
            slot[key] = len(result)
            result.append(_Component([], []))
        result[slot[key]].nodes.append(v)
    for e, (s, _) in enumerate(links):
        result[slot[find(s)]].edges.append(e)
    return result


def _layer_centres(ranks: Sequence[int], thickness: Sequence[float], gap: Sequence[float]) -> list[float]:
    """Centre line of every layer: the thickest node of a layer sets its depth, ``gap[i]`` follows layer i."""
    depth = [0.0] * (max(ranks, default=-1) + 1)
    for r, t in zip(ranks, thickness, strict=True):
        depth[r] = max(depth[r], t)
    centres: list[float] = []
    top = 0.0
    for d, below in zip(depth, gap, strict=True):
        centres.append(top + d / 2)
        top += d + below
    return centres
