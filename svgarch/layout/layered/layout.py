"""The layered layout as a flat list of phases (see the package docstring).

``layered_layout`` runs them in order, each under its name in
``svgarch.layout.timing`` (``layered.rank``, ``layered.order``, …), so
``SVGARCH_TIMING=1`` or ``timing.collect()`` shows where the time goes.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping, Sequence

from svgarch.record import Record

from ..timing import phase, report
from . import (
    acyclic,
    arms,
    clusters,
    compound,
    crossings,
    normalize,
    order,
    pack,
    position,
    rank,
    share,
    spacing,
    spread,
    straighten,
    wrap,
)
from . import direction as axes
from .graph import LayeredEdge, LayeredNode, LayeredResult, LayerGraph, Point

__all__ = ["layered_layout"]


class _Component(Record):
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
    group_gap: float | tuple[float, float] = 0.0,
    parent: Mapping[str, str] | None = None,
    captions: Mapping[str, tuple[float, float]] | None = None,
    frame_room: tuple[float, float] = (0.0, 0.0),
    least_gap: float | None = None,
    curved: bool = False,
    wrap_every: int = 0,
    wrap_gap: float | None = None,
) -> LayeredResult:
    """Place ``nodes`` in layers so that ``edges`` point along ``direction``.

    A node's ``group`` is a cluster; ``parent`` maps a cluster to the one
    enclosing it. The box of a cluster's nodes (its nested clusters' too)
    over the layers it spans holds no other node and does not overlap the
    box of a cluster it is not nested in or around. An edge may name a
    cluster at either end (``compound``: it is ranked as if it joined the
    cluster's entry or exit nodes, and laid out as an edge to a member in
    the cluster's rank that faces its other end; ``LayeredResult.ends``
    says which rank and where).
    ``captions`` gives clusters a label of (width, height) in the drawing's
    own orientation, for which room is kept at the cluster's top-left
    (``LayeredResult.captions``).

    ``edge_gap`` (default ``node_gap / 2``) separates a long edge from its
    neighbours in a layer; ``group_gap`` is added at every cluster boundary
    between two neighbours (a cluster's box is that far from its contents); a pair
    (before, after) keeps the first along the layer before a cluster's contents (where
    an LR frame's label is) and the second after them.
    Layers are ``least_gap`` apart (default ``rank_gap / 2``) where every edge between them
    runs straight, more for edges that step across, from ``rank_gap`` at a step of twice
    it up to twice ``rank_gap``.
    ``frame_room`` (before, after) is added to the gap before a cluster's
    first layer and after its last, once per cluster that starts or ends
    there (room for frames and their labels across the layers); with ``curved`` (the edges keep their
    S-curves) such a gap is deep enough for the steps of fans' arms through it (``spacing.widen_for_fans``).
    Disconnected components sit side by side, ``node_gap`` apart, sharing
    the layers. ``wrap_every`` > 0 folds the layout into rows of that many layers
    (``wrap``), ``wrap_gap`` apart (default ``rank_gap``). Raises ValueError for a duplicate node id, an edge naming an
    unknown node or cluster, an unknown direction, or clusters nested in a loop.
    """
    with report():
        with phase("layered.clusters"):
            group, enclosing, cluster_of = _clusters(nodes, parent or {})
            links = _edge_indices(nodes, edges, cluster_of)
        with phase("layered.direction"):
            breadth, thickness = axes.run(nodes, direction)
        with phase("layered.rank"):  # phases 1-2: acyclic, rank; edges to clusters
            ranking, bundles = compound.ranking_links(links, group, enclosing)
            minlens = [edge.minlen for edge in edges]
            minlens += [minlens[bundles[e]] for e in range(len(minlens), len(ranking))]  # a bundle's links: its edge's
            fixed: list[int | None] = [node.rank for node in nodes]
            spans = compound.span_links(group, enclosing)  # keep every cluster's ranks few: frames fit
            flipped, ranks = _rank(
                ranking + spans.links,
                fixed + [None] * spans.nodes,
                minlens + [0] * len(spans.links),
                bundles + [-1] * len(spans.links) if bundles else [],
                [1] * len(ranking) + spans.weights,
                group + [-1] * spans.nodes,
            )
            flipped, ranks = flipped[: len(ranking)], ranks[: len(nodes)]
            share.share_layers(
                [(t, s) if turn else (s, t) for (s, t), turn in zip(ranking, flipped, strict=True)],
                minlens,
                [not node.ordered for node in nodes],
                fixed,
                thickness,
                group,
                enclosing,
                ranks,
            )
            anchors = compound.anchor(links, flipped[: len(links)], ranks, group, enclosing)
            if len(nodes) >= spread.LEAST_NODES:
                pack.spread_loners(nodes, anchors.links, ranks, breadth, node_gap)
        with phase("layered.captions"):
            room = [node.room for node in nodes]
            lead, depths = _captions(captions or {}, cluster_of, ranks, group, enclosing, breadth, thickness, direction)
            room += [(0.0, 0.0)] * (len(ranks) - len(room))  # caption nodes keep no room beside them
            least = rank_gap / 2 if least_gap is None else min(least_gap, rank_gap)
            labels = [(r, t, cluster_of[name]) for name, (r, t) in depths.items()]
            layers = _Layers(ranks, thickness, frame_room, rank_gap, least, labels, curved)
        before, after = group_gap if isinstance(group_gap, tuple) else (group_gap, group_gap)
        gaps = position.Gaps(node_gap, node_gap / 2 if edge_gap is None else edge_gap, before, after)
        free = {v for v, node in enumerate(nodes) if not node.ordered}
        ways = [(group, False)]  # dot's rule, then edges kept inside the frames round their ends
        if enclosing:
            ways.append((normalize.homes(group, ranks, anchors.links, free, enclosing), True))
        orders: dict[Hashable, list[list[int]]] = {}  # a component the second way leaves alone is ordered once
        placings = [
            _place(
                anchors.links, anchors.flipped, ranks, homes, enclosing, breadth, room, layers, gaps,
                lead.values(), free, within, orders,
            )
            for homes, within in ways
        ]  # fmt: skip
        # the way inside frames is kept where it crosses no more and is shorter (one way alone: nothing to weigh)
        costs = [crossings.drawn_cost(anchors.links, ranks, c, b) for c, b, _, _ in placings] if len(ways) > 1 else []
        better = len(costs) > 1 and costs[1][0] <= costs[0][0] and costs[1][1] < costs[0][1]
        centres, bends, layer_y, depth = placings[1] if better else placings[0]
        if wrap_every > 0:
            reach = [(b / 2 + r[0], b / 2 + r[1]) for b, r in zip(breadth, room, strict=True)]
            between = rank_gap if wrap_gap is None else wrap_gap
            wrap.fold(wrap_every, ranks, centres, bends, layer_y, depth, reach, between)
        with phase("layered.undo"):  # phase 6: turn to the direction asked
            rooms = {name: _node_room(v, centres, breadth) for name, v in lead.items()}
            for name, (r, _) in depths.items():  # the whole depth of the rank
                rooms[name] = ((0.0, layer_y[r] - depth[r] / 2), (0.0, layer_y[r] + depth[r] / 2))
            return _result(
                nodes,
                ranks,
                centres,
                acyclic.undo(bends, anchors.flipped),
                breadth,
                room,
                thickness,
                direction,
                anchors.ends,
                rooms,
                wrap_every if wrap_every > 0 and len(layer_y) > wrap_every else 0,
            )


def _captions(
    captions: Mapping[str, tuple[float, float]],
    cluster_of: Mapping[str, int],
    ranks: list[int],
    group: list[int],
    enclosing: Sequence[int],
    breadth: list[float],
    thickness: list[float],
    direction: str,
) -> tuple[dict[str, int], dict[str, tuple[int, float]]]:
    """Caption nodes appended (cluster -> node), and the depths a caption asks of its rank instead
    (cluster -> (rank, depth)), for the clusters of ``captions`` that hold a node."""
    across = direction in ("TB", "BT")
    last = direction in ("BT", "RL")  # the layout's last rank is drawn at the top (left)
    lead: dict[str, int] = {}
    depths: dict[str, tuple[int, float]] = {}
    shared: dict[str, str] = {}  # a cluster whose label lies above a nested one's: that one's
    if across:
        captions, shared = compound.shared_captions(captions, cluster_of, ranks, group, enclosing, last)
    for name in sorted(captions):
        if name not in cluster_of:
            continue
        width, height = captions[name]
        room, depth = (width, height) if across else (height, width)
        rank = compound.caption_rank(cluster_of[name], ranks, group, enclosing, last)
        if room > 0:
            lead[name] = len(ranks)
            ranks.append(rank)
            group.append(cluster_of[name])
            breadth.append(room)
            thickness.append(depth)
        else:
            depths[name] = (rank, depth)
    lead |= {name: lead[host] for name, host in shared.items()}  # one room for both labels
    return lead, depths


def _node_room(node: int, centres: Sequence[Point], breadth: Sequence[float]) -> tuple[Point, Point]:
    """Two points on a caption node's centre line, its breadth apart."""
    x, y = centres[node]
    return (x - breadth[node] / 2, y), (x + breadth[node] / 2, y)


def _rank(
    links: Sequence[tuple[int, int]],
    fixed: Sequence[int | None],
    minlens: Sequence[int],
    bundles: Sequence[int] = (),
    weights: Sequence[int] = (),
    innermost: Sequence[int] = (),
) -> tuple[list[bool], list[int]]:
    """Phases 1-2 per connected component: which edges are reversed, and every node's rank
    (link i spanning at least ``minlens[i]`` layers).

    ``bundles`` marks the links that stand for an edge to a cluster (the index of the link they
    follow, or -1): they are turned round with it (``_one_way``).
    """
    turned = [False] * len(links)
    if bundles:
        links, turned = _one_way(links, fixed, bundles, innermost)
    flipped = [False] * len(links)
    ranks = [0] * len(fixed)
    anchored = [False] * len(fixed)  # in a component with fixed ranks
    for component in _components(len(fixed), links):
        local = {node: i for i, node in enumerate(component.nodes)}
        local_links = [(local[links[e][0]], local[links[e][1]]) for e in component.edges]
        local_fixed = [fixed[node] for node in component.nodes]
        local_clusters = [innermost[node] for node in component.nodes] if innermost else None
        flags = acyclic.run(len(local_fixed), local_links, local_fixed, local_clusters)
        oriented = [(t, s) if flip else (s, t) for (s, t), flip in zip(local_links, flags, strict=True)]
        kept = [i for i, (s, t) in enumerate(oriented) if s != t and (local_fixed[s] is None or local_fixed[t] is None)]
        constraints = [oriented[i] for i in kept]
        lengths = [minlens[component.edges[i]] for i in kept]
        local_weights = [weights[component.edges[i]] for i in kept] if weights else None
        local_ranks = rank.run(len(local_fixed), constraints, local_fixed, minlens=lengths, weights=local_weights)
        has_fixed = any(value is not None for value in local_fixed)
        low = 0 if has_fixed else min(local_ranks)
        for node, value in zip(component.nodes, local_ranks, strict=True):
            ranks[node] = value - low
            anchored[node] = has_fixed
        for e, flip in zip(component.edges, flags, strict=True):
            flipped[e] = flip != turned[e]
    # Fixed ranks stay as given unless a node must sit above rank 0.
    lowest = min((r for r, a in zip(ranks, anchored, strict=True) if a), default=0)
    if lowest < 0:
        ranks = [r - lowest if a else r for r, a in zip(ranks, anchored, strict=True)]
    return flipped, ranks


def _one_way(
    links: Sequence[tuple[int, int]],
    fixed: Sequence[int | None],
    bundles: Sequence[int],
    innermost: Sequence[int] = (),
) -> tuple[list[tuple[int, int]], list[bool]]:
    """Links oriented so that each bundle points one way, and which were turned round.

    Cycles are broken among the links outside bundles first (among them, the one each bundle
    follows); a bundled link is then turned as the link it follows. Should cycles remain, they
    are broken again, and a bundled link that would have to turn does not rank (a loop): a
    subset of an acyclic set of links is acyclic.
    """
    turned = [False] * len(links)
    main = [e for e in range(len(links)) if bundles[e] < 0]
    for component in _components(len(fixed), [links[e] for e in main]):
        local = {node: i for i, node in enumerate(component.nodes)}
        chosen = [main[e] for e in component.edges]
        flags = acyclic.run(
            len(local),
            [(local[links[e][0]], local[links[e][1]]) for e in chosen],
            [fixed[node] for node in component.nodes],
            [innermost[node] for node in component.nodes] if innermost else None,
        )
        for e, flip in zip(chosen, flags, strict=True):
            turned[e] = flip
    for e, owner in enumerate(bundles):
        if owner >= 0:
            turned[e] = turned[owner]
    oriented = [(t, s) if turn else (s, t) for (s, t), turn in zip(links, turned, strict=True)]
    for component in _components(len(fixed), oriented):
        local = {node: i for i, node in enumerate(component.nodes)}
        local_links = [(local[oriented[e][0]], local[oriented[e][1]]) for e in component.edges]
        flags = acyclic.run(len(local), local_links, [fixed[node] for node in component.nodes])
        for e, flip in zip(component.edges, flags, strict=True):
            if flip and bundles[e] >= 0:
                oriented[e] = (oriented[e][0], oriented[e][0])
            elif flip:
                oriented[e] = (oriented[e][1], oriented[e][0])
                turned[e] = not turned[e]
    return oriented, turned


def _clusters(nodes: Sequence[LayeredNode], parent: Mapping[str, str]) -> tuple[list[int], list[int], dict[str, int]]:
    """Every node's cluster index (-1: none), every cluster's enclosing one, numbered as first met, and
    the clusters' indices by name."""
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
    return group, enclosing, index


class _Layers(Record):
    """What spaces the layers: every (rank, thickness) that asks for depth, and the gap after each layer."""

    ranks: list[int]
    thickness: list[float]
    frame_room: tuple[float, float]  # (before, after) a cluster's layers, where its border runs
    rank_gap: float
    least_gap: float
    # (rank, depth, cluster): a label along the layers (LR, RL) at a cluster's first rank (last, drawn
    # first, for RL), as deep as its text; the cluster's ranks from there must be that deep together
    captions: list[tuple[int, float, int]]
    curved: bool = False  # edges keep their S-curves: a gap a frame's border lies in needs depth for fans'


def _place(
    links: Sequence[tuple[int, int]],
    flipped: Sequence[bool],
    ranks: Sequence[int],
    group: Sequence[int],
    enclosing: Sequence[int],
    breadth: Sequence[float],
    room: Sequence[tuple[float, float]],
    layers: _Layers,
    gaps: position.Gaps,
    leading: Iterable[int] = (),
    free: frozenset[int] | set[int] = frozenset(),
    within: bool = False,
    orders: dict[Hashable, list[list[int]]] | None = None,
) -> tuple[list[Point], list[tuple[Point, ...]], list[float], list[float]]:
    """Phases 3-5, component by component from left to right: centres, bends in layout order, and
    every layer's centre line and depth.

    Components that share an outermost cluster are placed as one, so that its box holds only its own.
    The ``leading`` nodes (captions) are kept first in their cluster; the ``free`` ones have no place
    in the input order; ``within``: edges' dummies stay in the frames round their ends (``normalize``).
    ``orders`` keeps the order of every component by its ``order.inputs``, for the next placing.
    Layers are spaced once every x is known: a gap grows with the widest step its edges make (``spacing.gap``).
    """
    leading = set(leading)
    outermost = list(range(len(enclosing)))
    for cluster in range(len(enclosing)):
        while enclosing[outermost[cluster]] >= 0:
            outermost[cluster] = enclosing[outermost[cluster]]
    first_of_cluster: dict[int, int] = {}
    ties = [(first_of_cluster.setdefault(outermost[g], v), v) for v, g in enumerate(group) if g >= 0]
    placed: list[tuple[_Component, LayerGraph, list[float], int]] = []
    layer_count = max(ranks, default=-1) + 1
    reach = [0.0] * layer_count  # per layer: the widest step an arm of a fan makes to the next
    through = [0.0] * layer_count  # ... counting arms through a layer of their own (spacing.widen_for_fans)
    offset = 0.0
    # A large drawing's components are packed: each as far left as the layers it spans allow, so small
    # ones fill the room beside a big one's narrow layers instead of widening the picture (skyline[r]:
    # where layer r is free from). Small drawings keep their components side by side, as dot does.
    packed = len(group) >= spread.LEAST_NODES
    skyline = [0.0] * layer_count
    for component in _components(len(group), links, ties):
        members = component.nodes
        top = min(ranks[v] for v in members)
        local = {node: i for i, node in enumerate(members)}
        oriented: list[tuple[int, int] | None] = []
        for e in component.edges:
            source, target = reversed(links[e]) if flipped[e] else links[e]
            oriented.append(None if source == target else (local[source], local[target]))
        with phase("layered.normalize"):
            graph = normalize.run(
                [ranks[v] - top for v in members],
                [breadth[v] for v in members],
                [group[v] for v in members],
                oriented,
                enclosing,
                within,
            )
            graph.room = {i: room[v] for i, v in enumerate(members) if room[v] != (0.0, 0.0)}
            graph.leading = {local[v] for v in leading if v in local}
            graph.free = {local[v] for v in free if v in local}
        with phase("layered.clusters"):
            clusters.run(graph)
        with phase("layered.order"):
            layer_order = _order(graph, {} if orders is None else orders)
            arms.run(graph, layer_order)
        with phase("layered.position"):
            balanced = position.run(graph, layer_order, gaps)
            ribbon = spread.too_wide(graph, layer_order, balanced, gaps)
            if ribbon:  # a large graph whose edges are not local: place it as dot would
                across = spread.run(graph, layer_order, gaps)
            else:
                across = straighten.run(graph, layer_order, gaps, balanced)
            if packed:
                offset = max(skyline[top + r] for r in range(graph.layer_count))
            x = [offset + value for value in across]
        # In such a graph nearly every gap has a wide step: spaced for it, the picture would be twice as
        # tall for edges that cannot run steep anyway, so its gaps stay at the rank gap, as dot's.
        longest = (layers.rank_gap - layers.least_gap) / spacing.STEEPNESS if ribbon else float("inf")
        spacing.widen_for_fans(reach, top, graph.layer, graph.up, graph.down, x, longest, graph.real_count, through)
        placed.append((component, graph, x, top))
        boxes = itertools.chain(range(graph.real_count), (v for v in range(graph.count) if graph.side[v]))
        offset = max(x[v] + graph.reach(v)[1] for v in boxes) + gaps.node
        if packed:
            pack.raise_skyline(skyline, graph, x, top, gaps.node)
    with phase("layered.position"):
        full = [False] * len(reach)  # layers with a node of some depth (not only edges passing)
        for r, t in zip(layers.ranks, layers.thickness, strict=True):
            full[r] = full[r] or t > 0
        least = [  # an arrow's room is kept once across a layer that edges only pass through
            layers.least_gap if full[r] and (r + 1 == len(full) or full[r + 1]) else layers.least_gap / 2
            for r in range(len(reach))
        ]
        rank_gap = layers.rank_gap
        x_of = [0.0] * len(group)
        for component, _, x, _ in placed:
            for i, node in enumerate(component.nodes):
                x_of[node] = x[i]
        extents = spacing.cluster_extents(x_of, group, enclosing, breadth, room, gaps.group)
        frame_gaps = spacing.frame_gaps(ranks, group, enclosing, layers.frame_room, rank_gap, extents)
        # where edges keep their S-curves, a gap a frame's border (in TB its caption strip) lies in keeps a
        # fan's steps clear of it, those of arms through a label's layer before it too: elsewhere (or pulled
        # taut) such a step may run shallow
        if layers.curved:
            reach = [max(r, t) if f > rank_gap else r for r, t, f in zip(reach, through, frame_gaps, strict=True)]
        wide = [spacing.gap(rank_gap, low, step) - rank_gap for low, step in zip(least, reach, strict=True)]
        between = [gap + extra for gap, extra in zip(frame_gaps, wide, strict=True)]
        layer_y, depth = spacing.layer_centres(layers.ranks, layers.thickness, between)
        deeper = _caption_depths(layers, group, enclosing, layer_y, depth)
        if deeper:
            ranks_of, thick = layers.ranks + [r for r, _ in deeper], layers.thickness + [t for _, t in deeper]
            layer_y, depth = spacing.layer_centres(ranks_of, thick, between)
    centres: list[Point] = [(0.0, 0.0)] * len(group)
    bends: list[tuple[Point, ...]] = [()] * len(links)
    with phase("layered.normalize"):  # undone: dummy nodes become bends
        for component, graph, x, top in placed:
            for i, node in enumerate(component.nodes):
                centres[node] = (x[i], layer_y[ranks[node]])
            for e, points in zip(component.edges, normalize.undo(graph, x, layer_y[top:]), strict=True):
                bends[e] = points
    return centres, bends, layer_y, depth


def _caption_depths(
    layers: _Layers, group: Sequence[int], enclosing: Sequence[int], layer_y: Sequence[float], depth: Sequence[float]
) -> list[tuple[int, float]]:
    """The (rank, depth) a caption along the layers asks of its rank: only what its cluster's ranks from
    there, all together, lack of the caption's depth (a label runs on over the frame's next ranks)."""
    out: list[tuple[int, float]] = []
    for r, wanted, cluster in layers.captions:
        inside = [v for v in range(len(group)) if compound.holds(cluster, group[v], enclosing)]
        if not inside:
            continue
        if r <= min(layers.ranks[v] for v in inside):  # the label runs on down the ranks
            start, end = layer_y[r] - depth[r] / 2, layer_y[r] + depth[r] / 2
            reach = max(end, *(layer_y[layers.ranks[v]] + layers.thickness[v] / 2 for v in inside)) - start
        else:  # up the ranks, from the last
            start, end = layer_y[r] - depth[r] / 2, layer_y[r] + depth[r] / 2
            reach = end - min(start, *(layer_y[layers.ranks[v]] - layers.thickness[v] / 2 for v in inside))
        if wanted > reach:
            out.append((r, depth[r] + wanted - reach))
    return out


def _order(graph: LayerGraph, orders: dict[Hashable, list[list[int]]]) -> list[list[int]]:
    """``order.run`` of ``graph``, or a copy of the order of a graph with the same inputs in ``orders``."""
    key = order.inputs(graph)
    if key not in orders:
        orders[key] = order.run(graph)
    return [layer[:] for layer in orders[key]]


def _result(
    nodes: Sequence[LayeredNode],
    ranks: Sequence[int],
    centres: Sequence[Point],
    bends: Sequence[tuple[Point, ...]],
    breadth: Sequence[float],
    room: Sequence[tuple[float, float]],
    thickness: Sequence[float],
    direction: str,
    ends: Mapping[tuple[int, int], int],
    rooms: Mapping[str, tuple[Point, Point]],
    wrapped: int = 0,
) -> LayeredResult:
    """Phase 6: move the box corner to (0, 0) and turn to ``direction``.

    Every node counts for the box, anchors and captions too; the result names the input nodes,
    and gives where the anchors are (``ends``) and the x span of each caption's room (``rooms``).
    """
    boxes = list(zip(centres, breadth, room, strict=True))
    lefts = [c[0] - b / 2 - r[0] for c, b, r in boxes] + [p[0] for ps in bends for p in ps]
    rights = [c[0] + b / 2 + r[1] for c, b, r in boxes] + [p[0] for ps in bends for p in ps]
    tops = [c[1] - t / 2 for c, t in zip(centres, thickness, strict=True)] + [p[1] for ps in bends for p in ps]
    bottoms = [c[1] + t / 2 for c, t in zip(centres, thickness, strict=True)] + [p[1] for ps in bends for p in ps]
    left, top = min(lefts, default=0.0), min(tops, default=0.0)
    along, down = max(rights, default=0.0) - left, max(bottoms, default=0.0) - top

    def turn(point: Point) -> Point:
        return axes.undo((point[0] - left, point[1] - top), down, direction)

    def span(one: Point, other: Point) -> tuple[float, float]:
        xs = (turn(one)[0], turn(other)[0])
        return min(xs), max(xs)

    width, height = (along, down) if direction in ("TB", "BT") else (down, along)
    count = len(nodes)
    return LayeredResult(
        centres={node.id: turn(c) for node, c in zip(nodes, centres[:count], strict=True)},
        bends=tuple(tuple(turn(p) for p in points) for points in bends),
        ranks={node.id: r for node, r in zip(nodes, ranks[:count], strict=True)},
        width=width,
        height=height,
        ends={key: (turn(centres[v]), ranks[v]) for key, v in ends.items()},
        captions={name: span(*room) for name, room in rooms.items()},
        wrap=wrapped,
    )


def _edge_indices(
    nodes: Sequence[LayeredNode], edges: Sequence[LayeredEdge], clusters: Mapping[str, int]
) -> list[tuple[int, int]]:
    """Each edge's ends: a node index, or ``compound.cluster_end`` of a cluster (a node's id wins a clash)."""
    index: dict[str, int] = {}
    for i, node in enumerate(nodes):
        if node.id in index:
            raise ValueError(f"duplicate node id {node.id!r}")
        index[node.id] = i
    links: list[tuple[int, int]] = []
    for edge in edges:
        ends = []
        for end in (edge.source, edge.target):
            if end in index:
                ends.append(index[end])
            elif end in clusters:
                ends.append(compound.cluster_end(clusters[end]))
            else:
                raise ValueError(f"edge {edge.source!r} -> {edge.target!r} names unknown node {end!r}")
        links.append((ends[0], ends[1]))
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
