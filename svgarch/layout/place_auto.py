"""The automatic part of placement: what the layered engine needs to know of the model.

Blocks the author did not place go to ``auto.auto_layout`` (the layered
engine) with the room their ports, loops, edge labels and group frames ask
for: a block with many ends on one side is widened across the flow, a
labelled edge inside a layer widens the gap between neighbours, frames keep
``PAD`` and their label strip.

Pre: measured sizes; the author's part placed or not (it is set beside later,
by ``place``). Post: an ``AutoLayout`` of the ``unplaced`` blocks, in its own
frame.
"""

from __future__ import annotations

from collections.abc import Sequence

from svgarch.layout.groups import PAD
from svgarch.layout.loops import room_beside
from svgarch.layout.place_grid import LABEL_CLEARANCE, has_position
from svgarch.layout.timing import phase
from svgarch.layout.types import AutoLayout, DrawnEdge, GroupTree, Loop
from svgarch.measure import BlockSize, Measured, Spacing
from svgarch.model import Block, DiagramModel
from svgarch.shapes import Shape


def automatic_groups(model: DiagramModel, tree: GroupTree) -> frozenset[str]:
    """Groups whose blocks all go to automatic layout (which can keep room for their labels)."""
    placed = {b.id for b in model.blocks if has_position(b)}
    return frozenset(g for g, inside in tree.within.items() if inside and not placed.intersection(inside))


def room_for_ports(
    unplaced: Sequence[Block],
    sizes: dict[str, BlockSize],
    drawn: Sequence[DrawnEdge],
    direction: str,
    spacing: Spacing,
    shapes: dict[str, Shape],
) -> dict[str, BlockSize]:
    """Automatic blocks widened across the flow so the edges that leave (or
    enter) one side get their ports apart, clear of its corners (as far as each
    block's shape needs): without it five arrows into a small block merge into
    a sawtooth. Up to three ends are kept ``spacing.port_spread`` apart; more
    only ``heads_apart`` each, so a box with nine ends does not grow 200 px tall.
    A shape with a ``port_reach`` (circle, ellipse, diamond) keeps the size of
    its text unless even ends converging a head apart over that share of the
    side need more: a Σ with nine inputs stays near the size of a ⊕."""
    ends: dict[str, list[int]] = {b.id: [0, 0] for b in unplaced}
    for d in drawn:
        if d.source != d.target:
            if d.source in ends:
                ends[d.source][1] += 1
            if d.target in ends:
                ends[d.target][0] += 1
    vertical = direction in ("TB", "BT")
    spread, inset, least = spacing.port_spread, spacing.port_inset, heads_apart(spacing)
    wider: dict[str, BlockSize] = {}
    for b in unplaced:
        most = max(ends[b.id])
        size = sizes[b.id]
        breadth = size.width if vertical else size.height
        shape = shapes[b.id]
        if shape.port_reach:  # ends converging on a round outline fan apart as they arrive: a head's width and 2 px
            need = (most - 1) * min(least, max(spacing.head_width + 2, 11.0)) / shape.port_reach
        else:
            gaps = (min(most, 3) - 1) * spread + max(most - 3, 0) * least
            need = shape.ports_need(gaps, inset, size.width, size.height, vertical)
        if most > 1 and need > breadth:
            width, height = shape.widened(size.width, size.height, need, vertical)
            wider[b.id] = size._replace(width=width, height=height)
    return wider


def heads_apart(spacing: Spacing) -> float:
    """The least distance between neighbouring ends of a crowded side: arrow heads that far apart stay
    distinct (a head's width and a gap; ``svgarch check`` calls heads nearer than 10 px close)."""
    return min(spacing.port_spread, max(spacing.head_width + 5, 12.0))


def place_automatic(
    model: DiagramModel,
    tree: GroupTree,
    unplaced: list[Block],
    sizes: dict[str, BlockSize],
    drawn: Sequence[DrawnEdge],
    measured: Measured,
    label_sizes: dict[int, tuple[float, float]],
    loops: dict[int, Loop],
    caption_groups: frozenset[str],
    grid_ends: Sequence[tuple[str, int, bool]] = (),
) -> AutoLayout:
    """Centres and edge guides for the blocks the author did not place (``unplaced``); automatic
    layout keeps room at the top left of the ``caption_groups``' frames for their labels, and ranks
    the ends of ``grid_ends`` level with the author's grid (``auto.auto_layout``)."""
    with phase("layout.engine import"):  # the engine loads only when used
        from svgarch.layout.auto import auto_layout
        from svgarch.layout.edges import pulled_taut

    spacing = measured.spacing
    members = tree.of_block
    captions = {  # a frame as wide as its label holds it with PAD either side
        g.id: (measured.groups[g.id].width + 2 * PAD, 0.0)
        for g in model.groups
        # across the layers (LR, RL) a label only deepens its rank, so every frame's is kept from the start
        if g.label and (g.id in caption_groups or model.direction in ("LR", "RL"))
    }
    searched = _searched(model, unplaced, drawn)
    return auto_layout(
        unplaced,
        sizes,
        drawn,
        members,
        model.direction,
        rank_gap=spacing.gap_row,
        frame_room=_frame_room(model.direction, measured.group_strip) if model.groups else (0.0, 0.0),
        # neighbours in a layer 18 px apart, unless an edge routed by search must pass between them
        node_gap=max(spacing.gap_col / (2 if searched else 4), _flat_label_room(model, unplaced, measured)),
        # a long edge keeps clear of the blocks it passes: a straight or author route between its
        # ends, or a curve's bulge, must not touch them
        edge_gap=spacing.gap_col / 4,
        label_sizes=label_sizes,
        parent=tree.parent,
        # frames keep PAD round their blocks; across the layers (LR, RL) their label strip too, above them
        group_gap=PAD if model.direction in ("TB", "BT") else (PAD + measured.group_strip, PAD),
        loop_room=room_beside(((drawn[n].source, loop) for n, loop in loops.items()), model.direction in ("TB", "BT")),
        framed=automatic_groups(model, tree),
        captions=captions,
        least_gap=spacing.gap_row if searched else 2 * spacing.head_length,
        wrap=model.wrap,
        grid_ends=grid_ends,
        curved=not pulled_taut(len(model.blocks), len(drawn)),
    )


def label_sizes(drawn: Sequence[DrawnEdge], measured: Measured) -> dict[int, tuple[float, float]]:
    """The pill of every label, by the drawn edge that carries it: the first of its description edge."""
    label_sizes: dict[int, tuple[float, float]] = {}
    seen: set[int] = set()
    for d in drawn:
        if d.edge.label and d.model_index not in seen:
            label_sizes[d.number] = measured.pills[d.model_index]
        seen.add(d.model_index)
    return label_sizes


def _searched(model: DiagramModel, unplaced: list[Block], drawn: Sequence[DrawnEdge]) -> bool:
    """Whether an edge is routed by search and may have to pass between two layers or two neighbours
    of a layer to reach its end: one that joins the automatic part to a block the author placed, one
    between blocks of one level (it runs along the layer, round the blocks between its ends), one
    with its own route, bend or sides. Then the gaps keep their full room (the layers the row gap, as
    they would the least gap, and neighbours half the column gap)."""
    automatic = {b.id for b in unplaced}
    placed = {b.id for b in model.blocks} - automatic
    level = {b.id: b.level for b in unplaced}

    def searched(d: DrawnEdge) -> bool:
        if (d.source in automatic) != (d.target in automatic) and (d.source in placed or d.target in placed):
            return True
        same_level = d.source != d.target and level.get(d.source) is not None
        e = d.edge
        own = e.route != "auto" or bool(e.bend) or e.from_side != "auto" or e.to_side != "auto"
        return (same_level and level.get(d.source) == level.get(d.target)) or own

    return any(searched(d) for d in drawn)


def _frame_room(direction: str, strip: float) -> tuple[float, float]:
    """Room a frame takes between the layers (before its first, after its last, in flow order): ``PAD``,
    and across layers that are rows, its label strip on top."""
    top, bottom = PAD + strip, PAD
    return {"TB": (top, bottom), "BT": (bottom, top)}.get(direction, (PAD, PAD))


def _flat_label_room(model: DiagramModel, unplaced: list[Block], measured: Measured) -> float:
    """Room between neighbours in a layer for the labels of edges between
    blocks of one level (they run inside the layer; the engine has one gap
    for all neighbours)."""
    level = {b.id: b.level for b in unplaced if b.level is not None}
    vertical = model.direction in ("TB", "BT")
    room = 0.0
    for i, e in enumerate(model.edges):
        if e.label and any(s in level and level[s] == level.get(t) for s in e.sources for t in e.targets):
            text = measured.labels[i]
            room = max(room, (text.width if vertical else text.height) + LABEL_CLEARANCE)
    return room + measured.spacing.head_length if room else 0.0
