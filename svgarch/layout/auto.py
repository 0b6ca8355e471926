"""Automatic placement of the blocks the author did not place.

Runs the layered engine (``svgarch.layout.layered``) and turns its result
into block centres plus a *guide* per edge: the layer bands the edge must
cross and where (its dummy nodes), so the edge can be drawn through the
space the engine reserved for it, with no search.

Pre: blocks with measured sizes, none of them with a grid cell or x/y.
Post: a centre for each, a guide for each drawn edge between two of them
that spans at least one layer boundary.
"""

from __future__ import annotations

from collections.abc import Sequence

from svgarch.geometry import Point, new
from svgarch.layout.layered import LayeredEdge, LayeredNode, acyclic, layered_layout
from svgarch.layout.types import AutoLayout, DrawnEdge, Guide, Room, follows_guide
from svgarch.measure import BlockSize
from svgarch.model import Block

FORWARD_SIDES = {"TB": ("bottom", "top"), "BT": ("top", "bottom"), "LR": ("right", "left"), "RL": ("left", "right")}


# the sides an edge from one row of a wrapped layout to the next uses (rows go below for LR and RL,
# columns to the right for TB and BT), and one back to an earlier row
WRAP_SIDES = {
    "TB": (("right", "left"), ("left", "right")),
    "BT": (("right", "left"), ("left", "right")),
    "LR": (("bottom", "top"), ("top", "bottom")),
    "RL": (("bottom", "top"), ("top", "bottom")),
}

LABEL_NODE = "\0label:"  # prefix of the ids of label nodes (block ids hold no control characters)
GRID_NODE = "\0grid:"  # prefix of the stand-ins for the author's rows (columns) along the flow


def auto_layout(
    blocks: Sequence[Block],
    sizes: dict[str, BlockSize],
    drawn: Sequence[DrawnEdge],
    groups: dict[str, str],
    direction: str,
    rank_gap: float,
    node_gap: float,
    label_sizes: dict[int, tuple[float, float]],
    parent: dict[str, str] | None = None,
    group_gap: float | tuple[float, float] = 0.0,
    loop_room: dict[str, Room] | None = None,
    framed: frozenset[str] = frozenset(),
    captions: dict[str, tuple[float, float]] | None = None,
    frame_room: tuple[float, float] = (0.0, 0.0),
    least_gap: float | None = None,
    edge_gap: float | None = None,
    wrap: int = 0,
    grid_ends: Sequence[tuple[str, int, bool]] = (),
    curved: bool = False,
) -> AutoLayout:
    """Lay out ``blocks``; an edge carrying a label of ``label_sizes`` gets a
    node of that size half-way (as Graphviz dot does), so its label has room
    reserved on the edge itself and needs no search. ``groups`` (block id →
    innermost group) and ``parent`` (group id → enclosing group) make
    clusters whose frames, ``group_gap`` around their blocks, never overlap;
    ``frame_room`` (before, after) widens the gaps where frames start and end.
    ``loop_room`` keeps space beside a block for its self-loops and their labels.
    An edge may end on a group of ``framed`` (groups whose blocks are all
    among ``blocks``): the engine keeps the place where it meets the frame,
    and its guide says where (``Guide.ends``). ``captions`` (group → label
    size) keeps room for those groups' labels at their frames' top left.
    ``edge_gap`` keeps a long edge that far from its neighbours in a layer
    (default half ``node_gap``). ``least_gap`` is the gap between layers (or a label's layer and the
    next) whose edges all run straight. ``curved``: the edges keep their S-curves between the layers
    (not pulled taut), so a gap a frame's border lies in is deep enough for those of fans.
    ``wrap`` > 0 folds the layers into rows of that many
    (levels); an edge between two rows gets no guide (it is routed round, by search).
    ``grid_ends`` (block, step of the author's grid along the flow, whether the grid end is the
    source) are the edges between ``blocks`` and the grid: each step of the grid they join gets a
    node of no size fixed on its rank, joined as those edges join the grid (the stand-ins are not
    drawn): a block fed by the grid's seventh row ranks past the seventh rank, one feeding its first
    row before the first, so the automatic part keeps the grid's order along the flow (a QC step
    fed late in the grid comes after one fed early)."""
    ids = {b.id for b in blocks}
    level: dict[str, int | None] = {b.id: b.level for b in blocks}
    inner = [d for d in drawn if (d.source in ids or d.source in framed) and (d.target in ids or d.target in framed)]
    carried = {
        d.number: label_sizes[d.number]
        for d in inner
        if d.number in label_sizes
        and d.source != d.target
        and follows_guide(d.edge)
        and not (level.get(d.source) is not None and level.get(d.source) == level.get(d.target))
    }
    ends = {d.number: (d.source, d.target) for d in inner}
    turned = _turned(blocks, inner, carried, groups)

    def home(end: str) -> str | None:
        """The innermost group around a block or a group end."""
        return groups.get(end) if end in ids else (parent or {}).get(end)

    # Label nodes take the odd ranks between levels, so every other edge spans two ranks too (as in dot).
    scale = 2 if carried else 1
    nodes = [
        _block_node(b.id, sizes[b.id], None if b.level is None else b.level * scale, groups.get(b.id)) for b in blocks
    ] + [
        LayeredNode(
            f"{LABEL_NODE}{n}",
            w,
            h,
            group=_common_group(parent or {}, home(ends[n][0]), home(ends[n][1])),
            ordered=False,
        )
        for n, (w, h) in carried.items()
    ]
    loop_room = {k: r for k, r in (loop_room or {}).items() if k in ids}
    nodes = [_beside_loops(node, loop_room[node.id], direction) if node.id in loop_room else node for node in nodes]
    parts: list[tuple[int, str, str]] = []  # (drawn number, from, to) as given to the engine
    for d in inner:
        if d.number in carried:
            # a back edge goes in turned round, so its label node stays between its ends
            first, last = (d.target, d.source) if d.number in turned else (d.source, d.target)
            parts += [(d.number, first, f"{LABEL_NODE}{d.number}"), (d.number, f"{LABEL_NODE}{d.number}", last)]
        else:
            parts.append((d.number, d.source, d.target))
    label_ends = {f"{LABEL_NODE}{n}" for n in carried}
    links = [new(LayeredEdge, (a, b, 1 if a in label_ends or b in label_ends else scale)) for _, a, b in parts]
    if grid_ends and not wrap and all(b.level is None for b in blocks):
        for k in sorted({k for _, k, _ in grid_ends}):
            nodes.append(LayeredNode(f"{GRID_NODE}{k}", 0.0, 0.0, k * scale, ordered=False))
        links += [
            LayeredEdge(f"{GRID_NODE}{k}", b, scale) if grid_first else LayeredEdge(b, f"{GRID_NODE}{k}", scale)
            for b, k, grid_first in grid_ends
        ]
    result = layered_layout(
        nodes,
        links,
        direction=direction,
        rank_gap=rank_gap / scale,
        node_gap=node_gap,
        edge_gap=edge_gap,
        group_gap=group_gap,
        parent=parent,
        captions=captions,
        frame_room=frame_room,
        least_gap=least_gap,
        curved=curved,
        wrap_every=wrap * scale,
        # an edge between two rows may carry its label into the gap between them
        wrap_gap=rank_gap + max((w if direction in ("TB", "BT") else h for w, h in carried.values()), default=0.0),
    )
    vertical = direction in ("TB", "BT")
    extent = {b.id: (sizes[b.id].height if vertical else sizes[b.id].width) / 2 for b in blocks}
    extent.update({f"{LABEL_NODE}{n}": (h if vertical else w) / 2 for n, (w, h) in carried.items()})
    extent.update({node.id: (node.height if vertical else node.width) / 2 for node in nodes if node.id in loop_room})

    def along(x: float, y: float) -> float:
        return y if vertical else x

    band_of_rank: dict[int, tuple[float, float]] = {}
    for node, half in extent.items():
        c = along(*result.centres[node])
        r = result.ranks[node]
        lo, hi = band_of_rank.get(r, (c, c))
        band_of_rank[r] = (min(lo, c - half), max(hi, c + half))
    if not vertical:  # a caption along the layers deepens its rank: edges cross that band's whole depth
        for group, (lo, hi) in result.captions.items():
            ranks = [result.ranks[b.id] for b in blocks if group in _around(groups.get(b.id), parent or {})]
            r = min(ranks) if direction == "LR" else max(ranks)
            low, high = band_of_rank[r]
            band_of_rank[r] = (min(low, lo), max(high, hi))
    bands = {b.id: band_of_rank[result.ranks[b.id]] for b in blocks}

    def gate(x: float, y: float, r: int, step: int) -> tuple[Point, Point]:
        """Where an edge at (x, y) enters and leaves the band of rank ``r`` (the whole band, so
        a bend or label beside a deeper block does not S-curve into that block's corner)."""
        lo, hi = band_of_rank.get(r, (along(x, y), along(x, y)))
        entry, exit_ = (hi, lo) if travels_back(direction, step) else (lo, hi)
        return _at(x, y, entry, vertical), _at(x, y, exit_, vertical)

    def rank_of(part: int, end: int) -> int | None:
        """The rank of an end of a part: its node's, or where the engine anchored a group end (None: nowhere)."""
        name = parts[part][1 + end]
        if name in result.ranks:
            return result.ranks[name]
        anchor = result.ends.get((part, end))
        return None if anchor is None else anchor[1]

    def gates_of(r0: int, r1: int, bends: tuple[tuple[float, float], ...]) -> tuple[int, list[tuple[Point, Point]]]:
        step = 1 if r1 > r0 else -1
        return step, [gate(x, y, r0 + step * (i + 1), step) for i, (x, y) in enumerate(bends)]

    guides: dict[int, Guide] = {}
    labels: dict[int, Point] = {}
    forward = FORWARD_SIDES[direction]
    by_edge: dict[int, list[int]] = {}
    for i, (n, _, _) in enumerate(parts):
        by_edge.setdefault(n, []).append(i)
    for d in inner:
        spans = [(rank_of(i, 0), rank_of(i, 1), result.bends[i]) for i in by_edge[d.number]]
        pieces = [(r0, r1, bends) for r0, r1, bends in spans if r0 is not None and r1 is not None]
        if len(pieces) < len(spans) or any(r0 == r1 for r0, r1, _ in pieces) or d.source == d.target:
            continue  # a flat or looping edge, or a group end sharing ranks with its other end: routed by search
        if result.wrap and any(r0 // result.wrap != r1 // result.wrap for r0, r1, _ in pieces):
            # from one row of a wrapped layout to another: out of the row's side facing the other row,
            # searched round the blocks through the gap between the rows, into the facing side
            start, finish = pieces[0][0], pieces[-1][1]
            if d.number in turned:  # laid out from target to source
                start, finish = finish, start
            onward = start // result.wrap < finish // result.wrap
            guides[d.number] = Guide((), WRAP_SIDES[direction][0 if onward else 1], search=True)
            continue
        steps_gates = [gates_of(r0, r1, bends) for r0, r1, bends in pieces]
        steps = {step for step, _ in steps_gates}
        if len(steps) > 1:
            continue  # the label node ended up outside its edge's span: route by search
        step = steps.pop()
        gates = list(steps_gates[0][1])
        if d.number in carried:
            label = f"{LABEL_NODE}{d.number}"
            x, y = result.centres[label]
            gates.append(gate(x, y, result.ranks[label], step))
            gates += steps_gates[1][1]
            labels[d.number] = Point(x, y)
        sides = forward if step > 0 else (forward[1], forward[0])
        opening, closing = by_edge[d.number][0], by_edge[d.number][-1]
        anchored = (result.ends.get((opening, 0)), result.ends.get((closing, 1)))
        where = tuple(None if a is None else Point(*a[0]) for a in anchored)
        if d.number in turned:  # laid out from target to source: travel it the other way
            gates = [(exit_, entry) for entry, exit_ in reversed(gates)]
            sides = (sides[1], sides[0])
            where = (where[1], where[0])
        guides[d.number] = new(Guide, (tuple(gates), sides, (where[0], where[1]), False))  # search: the default
    return AutoLayout({b.id: result.centres[b.id] for b in blocks}, guides, bands, labels, dict(result.captions))


def _block_node(block: str, size: BlockSize, rank: int | None, group: str | None) -> LayeredNode:
    """A block's node: its size, fixed rank and group, no room kept and its place in the author's order.
    Every field given: without Record's __new__ (a node per block)."""
    return new(LayeredNode, (block, size.width, size.height, rank, group, (0.0, 0.0), True))


def _beside_loops(node: LayeredNode, room: Room, direction: str) -> LayeredNode:
    """``node`` keeping room along its layer for its loops, and as thick as their labels across it."""
    if direction in ("TB", "BT"):
        return node._replace(height=max(node.height, room.thickness), room=room[:2])
    return node._replace(width=max(node.width, room.thickness), room=room[:2])


def _turned(
    blocks: Sequence[Block], inner: Sequence[DrawnEdge], carried: dict[int, tuple[float, float]], groups: dict[str, str]
) -> set[int]:
    """The labelled edges that close a cycle: the engine's cycle breaking on the blocks' graph, told which
    edges are labelled (the loops a reader sees; the engine itself then gets them turned)."""
    if not carried:
        return set()
    index = {b.id: i for i, b in enumerate(blocks)}
    plain = [d for d in inner if d.source in index and d.target in index]  # the engine turns group edges whole
    numbers: dict[str, int] = {}
    innermost = [numbers.setdefault(groups[b.id], len(numbers)) if b.id in groups else -1 for b in blocks]
    links = [(index[d.source], index[d.target]) for d in plain]
    labelled = [d.number in carried for d in plain]
    flags = acyclic.run(len(blocks), links, [b.level for b in blocks], innermost, labelled)
    return {d.number for d, flag in zip(plain, flags, strict=True) if flag and d.number in carried}


def _around(group: str | None, parent: dict[str, str]) -> list[str]:
    """``group`` and the groups enclosing it."""
    out: list[str] = []
    while group is not None and group not in out:
        out.append(group)
        group = parent.get(group)
    return out


def _common_group(parent: dict[str, str], source: str | None, target: str | None) -> str | None:
    """The innermost group holding both groups (an end's innermost group): a label node belongs there."""
    enclosing: list[str] = []
    group = source
    while group is not None and group not in enclosing:
        enclosing.append(group)
        group = parent.get(group)
    group = target
    seen: set[str] = set()
    while group is not None and group not in enclosing and group not in seen:
        seen.add(group)
        group = parent.get(group)
    return group if group in enclosing else None


def travels_back(direction: str, step: int) -> bool:
    """Whether an edge going ``step`` ranks on runs toward smaller coordinates."""
    grows = direction in ("TB", "LR")
    return (step > 0) != grows


def _at(x: float, y: float, flow_coordinate: float, vertical: bool) -> Point:
    return new(Point, (x, flow_coordinate)) if vertical else new(Point, (flow_coordinate, y))


def moved(auto: AutoLayout, dx: float, dy: float, direction: str) -> AutoLayout:
    """The same layout moved by (``dx``, ``dy``) (to clear the author's placed blocks)."""
    along = dy if direction in ("TB", "BT") else dx
    guides = {
        n: g._replace(
            gates=tuple((Point(a.x + dx, a.y + dy), Point(b.x + dx, b.y + dy)) for a, b in g.gates),
            ends=(_moved_point(g.ends[0], dx, dy), _moved_point(g.ends[1], dx, dy)),
        )
        for n, g in auto.guides.items()
    }
    bands = {k: (lo + along, hi + along) for k, (lo, hi) in auto.bands.items()}
    labels = {n: Point(p.x + dx, p.y + dy) for n, p in auto.labels.items()}
    captions = {k: (lo + dx, hi + dx) for k, (lo, hi) in auto.captions.items()}
    centres = {k: (x + dx, y + dy) for k, (x, y) in auto.centres.items()}
    return AutoLayout(centres, guides, bands, labels, captions)


def _moved_point(p: Point | None, dx: float, dy: float) -> Point | None:
    return None if p is None else Point(p.x + dx, p.y + dy)
