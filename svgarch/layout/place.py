"""Block placement: grid cells, absolute positions, or automatic layers.

What the author placed (grid cells, x/y; blocks and notes) is placed first
and stays put; the automatic blocks are laid out on their own and set
beside it, across the flow, so the two parts never overlap.

Pre: a validated model. Post: a box for every block, the text stack each
block holds, notes as scene notes, and the vertical band of each grid row;
no automatic block (or its group frame, or reserved label) overlaps
anything the author placed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from svgarch.geometry import Box, Point, bounding_box, points_box
from svgarch.layout.edges import DrawnEdge, Guide
from svgarch.layout.grid import Grid, GridItem, place_grid
from svgarch.layout.groups import PAD, blocks_within, common_group, group_frames, membership
from svgarch.layout.labels import LABEL_PAD_X, LABEL_PAD_Y
from svgarch.layout.loops import Loop, chosen_side, loop_box, plan_loops, room_beside
from svgarch.measure import BlockSize, Measured, Spacing, TextStack
from svgarch.model import Block, DiagramModel
from svgarch.scene import SceneNote

if TYPE_CHECKING:
    from svgarch.layout.auto import AutoLayout

LABEL_CLEARANCE = 26.0  # room around a label in a gap, besides the head


class Placement(NamedTuple):
    """Where blocks and notes went; for automatic layout, the edges' guides too."""

    boxes: dict[str, Box]
    texts: dict[str, TextStack]
    notes: tuple[SceneNote, ...]
    row_bands: dict[int, tuple[float, float]]
    guides: dict[int, Guide]
    bands: dict[str, tuple[float, float]]
    label_spots: dict[int, Point]
    held: dict[str, list[Box]]  # per group: reserved labels and bends of automatic edges inside it, and loops
    loops: dict[int, Loop]  # by drawn edge number, for edges from a block to itself
    captions: dict[str, tuple[float, float]]  # group -> x span automatic layout kept for its label


def automatic_groups(model: DiagramModel) -> frozenset[str]:
    """Groups whose blocks all go to automatic layout (which can keep room for their labels)."""
    placed = {b.id for b in model.blocks if _has_position(b)}
    within = blocks_within(membership(model))
    return frozenset(g for g, inside in within.items() if inside and not placed.intersection(inside))


def _room_for_ports(
    unplaced: Sequence[Block],
    sizes: dict[str, BlockSize],
    drawn: Sequence[DrawnEdge],
    direction: str,
    spacing: Spacing,
) -> dict[str, BlockSize]:
    """Automatic blocks widened across the flow so the edges that leave (or
    enter) one side get their ports ``spacing.port_spread`` apart, clear of its
    corners: without it five arrows into a small block merge into a sawtooth."""
    ends: dict[str, list[int]] = {b.id: [0, 0] for b in unplaced}
    for d in drawn:
        if d.source != d.target:
            if d.source in ends:
                ends[d.source][1] += 1
            if d.target in ends:
                ends[d.target][0] += 1
    vertical = direction in ("TB", "BT")
    spread, inset = spacing.port_spread, spacing.port_inset
    wider: dict[str, BlockSize] = {}
    for b in unplaced:
        most = max(ends[b.id])
        size = sizes[b.id]
        breadth = size.width if vertical else size.height
        need = (most - 1) * spread + 2 * inset
        if b.shape == "pill" and vertical:
            need += size.height  # clear of the round ends too
        elif b.shape in ("circle", "ellipse", "diamond"):
            need = (most - 1) * spread * 1.4 + 2 * inset  # ports toward the ends sit on slopes
        if most > 1 and need > breadth:
            if b.shape == "circle":
                wider[b.id] = size._replace(width=need, height=need)
            elif vertical:
                wider[b.id] = size._replace(width=need)
            else:
                wider[b.id] = size._replace(height=need)
    return wider


def _has_position(b: Block) -> bool:
    return (b.row is not None and b.col is not None) or (b.x is not None and b.y is not None)


def place_blocks(
    model: DiagramModel, measured: Measured, drawn: Sequence[DrawnEdge], captions: frozenset[str] = frozenset()
) -> Placement:
    """Boxes for blocks and notes; automatic layout keeps room at the top left of the ``captions``
    groups' frames for their labels, where no edge runs."""
    spacing = measured.spacing
    sizes = dict(measured.blocks)
    note_text = dict(enumerate(measured.notes))
    boxes, grid = _place_authors(model, measured, sizes, note_text)
    unplaced = [b for b in model.blocks if not _has_position(b)]
    sizes.update(_room_for_ports(unplaced, sizes, drawn, model.direction, spacing))
    label_sizes = _label_sizes(drawn, measured)
    loops = plan_loops(
        [(d.number, d.source, chosen_side(d.edge.from_side, d.edge.to_side)) for d in drawn if d.source == d.target],
        {b.id: (sizes[b.id].width, sizes[b.id].height) for b in model.blocks},
        {b.id: b.shape for b in model.blocks},
        label_sizes,
        model.direction in ("TB", "BT"),
    )
    auto = _auto(model, unplaced, sizes, drawn, measured, boxes, label_sizes, loops, captions)
    held: dict[str, list[Box]] = {}
    if auto is not None:
        held = _held_by_groups(model, drawn, auto.guides, auto.labels, measured)
        for b in unplaced:
            boxes[f"b:{b.id}"] = Box.around(*auto.centres[b.id], sizes[b.id].width, sizes[b.id].height)
    beside = {n: loop_box(boxes[f"b:{drawn[n].source}"], loop) for n, loop in loops.items()}
    members = membership(model).of_block
    for number, around in beside.items():
        if drawn[number].source in members:
            held.setdefault(members[drawn[number].source], []).append(around)

    # notes the author did not place go under everything, one per line, from its left edge
    below = max((bx.bottom for bx in [*boxes.values(), *beside.values()]), default=0.0)
    below += spacing.gap_row / 2
    left = min((bx.x for bx in boxes.values()), default=0.0)
    notes = []
    for i, n in enumerate(model.notes):
        box = boxes.get(f"n:{i}")
        if box is None:
            box = Box(left, below, note_text[i].width, note_text[i].height)
            below = box.bottom + 8
        notes.append(SceneNote(n.kind, box, note_text[i].place(box.cx, box.y)))
    return Placement(
        boxes={b.id: boxes[f"b:{b.id}"] for b in model.blocks},
        texts={b.id: sizes[b.id].text for b in model.blocks},
        notes=tuple(notes),
        guides=auto.guides if auto else {},
        bands=auto.bands if auto else {},
        label_spots=auto.labels if auto else {},
        held=held,
        loops=loops,
        captions=auto.captions if auto else {},
        row_bands={r: grid.row_band(r) for r in range(len(grid.row_y))},
    )


def _place_authors(
    model: DiagramModel, measured: Measured, sizes: dict[str, BlockSize], note_text: dict[int, TextStack]
) -> tuple[dict[str, Box], Grid]:
    """Boxes of what the author placed (grid cells and x/y, blocks ``b:id`` and notes ``n:index``)."""
    items = [
        GridItem(
            f"b:{b.id}",
            sizes[b.id].width,
            sizes[b.id].height,
            b.row,
            b.col,
            b.rowspan,
            b.colspan,
            b.x,
            b.y,
            stretch=b.width == 0 and b.shape in ("rounded", "rect", "pill", "cylinder"),
        )
        for b in model.blocks
        if _has_position(b)
    ]
    for i, n in enumerate(model.notes):
        stack = note_text[i]
        items.append(GridItem(f"n:{i}", stack.width, stack.height, n.row, n.col, 1, n.colspan, n.x, n.y, stretch=False))

    col_gap, row_gap = measured.spacing.gap_col, measured.spacing.gap_row
    n_cols = max((b.col + b.colspan for b in model.blocks if b.col is not None), default=0)
    n_rows = max((b.row + b.rowspan for b in model.blocks if b.row is not None), default=0)
    n_cols = max([n_cols] + [n.col + n.colspan for n in model.notes if n.col is not None])
    n_rows = max([n_rows] + [n.row + 1 for n in model.notes if n.row is not None])
    col_gaps = [col_gap] * n_cols
    row_gaps = [row_gap] * n_rows
    _widen_gaps_for_labels(model, measured, col_gaps, row_gaps)
    _widen_gaps_for_groups(model, measured, col_gaps, row_gaps)
    return place_grid(items, col_gaps, row_gaps)


def _held_by_groups(
    model: DiagramModel,
    drawn: Sequence[DrawnEdge],
    guides: dict[int, Guide],
    label_spots: dict[int, Point],
    measured: Measured,
) -> dict[str, list[Box]]:
    """Reserved labels and bends of edges that run inside a group."""
    if not model.groups:
        return {}
    members = membership(model)
    held: dict[str, list[Box]] = {}
    for d in drawn:
        group = common_group(members, d.source, d.target)
        if group is None:
            continue
        guide = guides.get(d.number)
        if guide is not None:
            held.setdefault(group, []).extend(points_box(gate) for gate in guide.gates)
        spot = label_spots.get(d.number)
        if spot is not None:
            text = measured.labels[d.model_index]
            w, h = text.width + 2 * LABEL_PAD_X, text.height + 2 * LABEL_PAD_Y
            held.setdefault(group, []).append(Box.around(spot.x, spot.y, w, h))
    return held


def _widen_gaps_for_groups(
    model: DiagramModel, measured: Measured, col_gaps: list[float], row_gaps: list[float]
) -> None:
    """Make room around each group's cells for its frame and label."""
    strip = measured.group_strip
    for span in _group_cells(model, every=False).values():
        for gaps, index, room in (
            (row_gaps, span.row - 1, PAD + strip),
            (row_gaps, span.row + span.rowspan - 1, PAD),
            (col_gaps, span.col - 1, PAD),
            (col_gaps, span.col + span.colspan - 1, PAD),
        ):
            if 0 <= index < len(gaps) - 1:
                gaps[index] += room


class Cells(NamedTuple):
    """Grid cells a block or a group's frame takes."""

    row: int
    col: int
    rowspan: int
    colspan: int


def _block_cells(model: DiagramModel) -> dict[str, Cells]:
    return {
        b.id: Cells(b.row, b.col, b.rowspan, b.colspan) for b in model.blocks if b.row is not None and b.col is not None
    }


def _group_cells(model: DiagramModel, *, every: bool) -> dict[str, Cells]:
    """The cells around each group's grid blocks; with ``every``, only of groups whose blocks are all on the grid."""
    within = blocks_within(membership(model))
    cells = _block_cells(model)
    out: dict[str, Cells] = {}
    for g in model.groups:
        inside = within.get(g.id, [])
        held = [cells[b] for b in inside if b in cells]
        if not held or (every and len(held) < len(inside)):
            continue
        row, col = min(c.row for c in held), min(c.col for c in held)
        rows = max(c.row + c.rowspan for c in held) - row
        cols = max(c.col + c.colspan for c in held) - col
        out[g.id] = Cells(row, col, rows, cols)
    return out


def _widen_gaps_for_labels(
    model: DiagramModel, measured: Measured, col_gaps: list[float], row_gaps: list[float]
) -> None:
    """Make a gap crossed by a labelled edge between neighbours wide enough for its label."""
    head = measured.spacing.head_length
    cells = _block_cells(model) | _group_cells(model, every=True)  # a group end: the cells its frame holds
    for i, e in enumerate(model.edges):
        if not e.label:
            continue
        stack = measured.labels[i]
        for s in e.sources:
            for t in e.targets:
                a, b = cells.get(s), cells.get(t)
                if a is None or b is None:
                    continue
                cols_meet = a.col < b.col + b.colspan and b.col < a.col + a.colspan
                rows_meet = a.row < b.row + b.rowspan and b.row < a.row + a.rowspan
                if cols_meet and not rows_meet:
                    gap = min(a.row + a.rowspan, b.row + b.rowspan) - 1
                    if 0 <= gap < len(row_gaps) and max(a.row, b.row) == gap + 1:
                        row_gaps[gap] = max(row_gaps[gap], stack.height + head + LABEL_CLEARANCE)
                elif rows_meet and not cols_meet:
                    gap = min(a.col + a.colspan, b.col + b.colspan) - 1
                    if 0 <= gap < len(col_gaps) and max(a.col, b.col) == gap + 1:
                        col_gaps[gap] = max(col_gaps[gap], stack.width + head + LABEL_CLEARANCE)


def _auto(
    model: DiagramModel,
    unplaced: list[Block],
    sizes: dict[str, BlockSize],
    drawn: Sequence[DrawnEdge],
    measured: Measured,
    authors: dict[str, Box],
    label_sizes: dict[int, tuple[float, float]],
    loops: dict[int, Loop],
    caption_groups: frozenset[str],
) -> AutoLayout | None:
    """Centres and edge guides for the blocks the author did not place (if any),
    laid beside ``authors`` (the boxes of what the author placed)."""
    if not unplaced:
        return None
    from svgarch.layout.auto import auto_layout  # the engine loads only when used

    spacing = measured.spacing
    groups = membership(model)
    members = groups.of_block
    captions = {  # a frame as wide as its label holds it with PAD either side
        g.id: (measured.groups[g.id].width + 2 * PAD, 0.0)
        for g in model.groups
        # across the layers (LR, RL) a label only deepens its rank, so every frame's is kept from the start
        if g.label and (g.id in caption_groups or model.direction in ("LR", "RL"))
    }
    auto = auto_layout(
        unplaced,
        sizes,
        drawn,
        members,
        model.direction,
        rank_gap=spacing.gap_row,
        frame_room=_frame_room(model.direction, measured.group_strip) if model.groups else (0.0, 0.0),
        node_gap=max(spacing.gap_col / 2, _flat_label_room(model, unplaced, measured)),
        label_sizes=label_sizes,
        parent=groups.parent,
        # frames keep PAD round their blocks; across the layers (LR, RL) their label strip too
        group_gap=PAD + (0.0 if model.direction in ("TB", "BT") else measured.group_strip),
        loop_room=room_beside(((drawn[n].source, loop) for n, loop in loops.items()), model.direction in ("TB", "BT")),
        framed=automatic_groups(model),
        captions=captions,
    )
    if not authors:
        return auto
    return _beside(model, measured, auto, sizes, drawn, authors, label_sizes, loops)


def _beside(
    model: DiagramModel,
    measured: Measured,
    auto: AutoLayout,
    sizes: dict[str, BlockSize],
    drawn: Sequence[DrawnEdge],
    authors: dict[str, Box],
    label_sizes: dict[int, tuple[float, float]],
    loops: dict[int, Loop],
) -> AutoLayout:
    """The automatic part moved clear of the author's part, across the flow
    (right of it for TB and BT, below it for LR and RL, so both parts run
    side by side), a grid gap apart (wider if a labelled edge crosses it),
    tops aligned (TB, BT) or left edges aligned (LR, RL); group frames and
    reserved labels and bends count on both sides."""
    from svgarch.layout.auto import moved

    placed = {key[2:]: box for key, box in authors.items() if key.startswith("b:")}
    mine = {b: Box.around(*c, sizes[b].width, sizes[b].height) for b, c in auto.centres.items()}
    reserved = [Box.around(p.x, p.y, *label_sizes[n]) for n, p in auto.labels.items()]
    reserved += [points_box(pair) for g in auto.guides.values() for pair in g.gates]
    reserved += [loop_box(mine[drawn[n].source], loop) for n, loop in loops.items() if drawn[n].source in mine]
    held = _held_by_groups(model, drawn, auto.guides, auto.labels, measured)
    theirs = _with_frames(model, measured, placed, list(authors.values()), {})
    ours = _with_frames(model, measured, mine, list(mine.values()) + reserved, held)
    vertical = model.direction in ("TB", "BT")
    gap = measured.spacing.gap_col if vertical else measured.spacing.gap_row
    head = measured.spacing.head_length
    for d in drawn:  # a labelled edge between the parts may need the gap for its label, as in the grid
        if d.edge.label and (d.source in mine) != (d.target in mine):
            text = measured.labels[d.model_index]
            gap = max(gap, (text.width if vertical else text.height) + head + LABEL_CLEARANCE)
    if vertical:
        return moved(auto, theirs.right + gap - ours.x, theirs.y - ours.y, model.direction)
    return moved(auto, theirs.x - ours.x, theirs.bottom + gap - ours.y, model.direction)


def _with_frames(
    model: DiagramModel, measured: Measured, blocks: dict[str, Box], boxes: list[Box], held: dict[str, list[Box]]
) -> Box:
    """The box around ``boxes`` and the frames of the groups of ``blocks``."""
    frames = group_frames(model, blocks, measured, held) if model.groups else []
    return bounding_box(boxes + [f.box for f in frames])


def _label_sizes(drawn: Sequence[DrawnEdge], measured: Measured) -> dict[int, tuple[float, float]]:
    """The pill of every label, by the drawn edge that carries it: the first of its description edge."""
    label_sizes: dict[int, tuple[float, float]] = {}
    seen: set[int] = set()
    for d in drawn:
        if d.edge.label and d.model_index not in seen:
            text = measured.labels[d.model_index]
            label_sizes[d.number] = (text.width + 2 * LABEL_PAD_X, text.height + 2 * LABEL_PAD_Y)
        seen.add(d.model_index)
    return label_sizes


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
