"""Block placement: grid cells, absolute positions, or automatic layers.

Pre: a validated model. Post: a box for every block, the text stack each
block holds, notes as scene notes, and the vertical band of each grid row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from svgarch.geometry import Box, Point
from svgarch.layout.edges import DrawnEdge, Guide
from svgarch.layout.grid import GridItem, place_grid
from svgarch.layout.groups import PAD, blocks_within, label_strip, membership
from svgarch.layout.labels import LABEL_PAD_X, LABEL_PAD_Y
from svgarch.measure import BlockSize, Measurer, TextStack, block_size
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
    captions: dict[str, tuple[float, float]]  # group -> x span automatic layout kept for its label


def automatic_groups(model: DiagramModel) -> frozenset[str]:
    """Groups whose blocks all go to automatic layout (which can keep room for their labels)."""
    placed = {b.id for b in model.blocks if _has_position(b)}
    within = blocks_within(membership(model))
    return frozenset(g for g, inside in within.items() if inside and not placed.intersection(inside))


def _has_position(b: Block) -> bool:
    return (b.row is not None and b.col is not None) or (b.x is not None and b.y is not None)


def place_blocks(
    model: DiagramModel, measurer: Measurer, drawn: Sequence[DrawnEdge], captions: frozenset[str] = frozenset()
) -> Placement:
    """Boxes for blocks and notes; automatic layout keeps room at the top left of the ``captions``
    groups' frames for their labels, where no edge runs."""
    theme = measurer.theme
    sizes = {b.id: block_size(b, measurer) for b in model.blocks}
    items = []
    unplaced = [b for b in model.blocks if not _has_position(b)]
    auto = _auto(model, unplaced, sizes, drawn, measurer, captions)
    for b in model.blocks:
        s = sizes[b.id]
        x, y = auto.centres.get(b.id, (b.x, b.y)) if auto else (b.x, b.y)
        items.append(
            GridItem(
                f"b:{b.id}",
                s.width,
                s.height,
                b.row,
                b.col,
                b.rowspan,
                b.colspan,
                x,
                y,
                stretch=b.width == 0 and b.shape in ("rounded", "rect", "pill", "cylinder"),
            )
        )
    note_text = {i: measurer.stack((n.text, "note")) for i, n in enumerate(model.notes)}
    for i, n in enumerate(model.notes):
        stack = note_text[i]
        items.append(GridItem(f"n:{i}", stack.width, stack.height, n.row, n.col, 1, n.colspan, n.x, n.y, stretch=False))

    col_gap, row_gap = theme.length("--sa-gap-col"), theme.length("--sa-gap-row")
    n_cols = max((b.col + b.colspan for b in model.blocks if b.col is not None), default=0)
    n_rows = max((b.row + b.rowspan for b in model.blocks if b.row is not None), default=0)
    n_cols = max([n_cols] + [n.col + n.colspan for n in model.notes if n.col is not None])
    n_rows = max([n_rows] + [n.row + 1 for n in model.notes if n.row is not None])
    col_gaps = [col_gap] * n_cols
    row_gaps = [row_gap] * n_rows
    _widen_gaps_for_labels(model, measurer, col_gaps, row_gaps)
    _widen_gaps_for_groups(model, measurer, col_gaps, row_gaps)
    boxes, grid = place_grid(items, col_gaps, row_gaps)

    # notes the author did not place go under everything, one per line
    below = max((bx.bottom for bx in boxes.values()), default=0.0) + row_gap / 2
    notes = []
    for i, n in enumerate(model.notes):
        box = boxes.get(f"n:{i}")
        if box is None:
            box = Box(0.0, below, note_text[i].width, note_text[i].height)
            below = box.bottom + 8
        notes.append(SceneNote(n.kind, box, note_text[i].place(box.cx, box.y)))
    return Placement(
        boxes={b.id: boxes[f"b:{b.id}"] for b in model.blocks},
        texts={b.id: sizes[b.id].text for b in model.blocks},
        notes=tuple(notes),
        guides=auto.guides if auto else {},
        bands=auto.bands if auto else {},
        label_spots=auto.labels if auto else {},
        captions=auto.captions if auto else {},
        row_bands={r: grid.row_band(r) for r in range(len(grid.row_y))},
    )


def _widen_gaps_for_groups(
    model: DiagramModel, measurer: Measurer, col_gaps: list[float], row_gaps: list[float]
) -> None:
    """Make room around each group's cells for its frame and label."""
    strip = label_strip(measurer)
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
    model: DiagramModel, measurer: Measurer, col_gaps: list[float], row_gaps: list[float]
) -> None:
    """Make a gap crossed by a labelled edge between neighbours wide enough for its label."""
    head = measurer.theme.length("--sa-head-length")
    cells = _block_cells(model) | _group_cells(model, every=True)  # a group end: the cells its frame holds
    for e in model.edges:
        if not e.label:
            continue
        stack = measurer.stack((e.label, "label-text"))
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
    measurer: Measurer,
    caption_groups: frozenset[str],
) -> AutoLayout | None:
    """Centres and edge guides for the blocks the author did not place (if any)."""
    if not unplaced:
        return None
    from svgarch.layout.auto import auto_layout, moved_right  # the engine loads only when used

    theme = measurer.theme
    groups = membership(model)
    members = groups.of_block
    framed = automatic_groups(model)
    captions = {
        g.id: (measurer.stack((g.label, "group-label")).width, 0.0)
        for g in model.groups
        if g.id in caption_groups and g.label
    }
    label_sizes: dict[int, tuple[float, float]] = {}
    seen: set[int] = set()
    for d in drawn:  # the first drawn edge of a description edge carries its label
        if d.edge.label and d.model_index not in seen:
            text = measurer.stack((d.edge.label, "label-text"))
            label_sizes[d.number] = (text.width + 2 * LABEL_PAD_X, text.height + 2 * LABEL_PAD_Y)
        seen.add(d.model_index)
    auto = auto_layout(
        unplaced,
        sizes,
        drawn,
        members,
        model.direction,
        rank_gap=theme.length("--sa-gap-row"),
        frame_room=_frame_room(model.direction, label_strip(measurer)) if model.groups else (0.0, 0.0),
        node_gap=max(theme.length("--sa-gap-col") / 2, _flat_label_room(model, unplaced, measurer)),
        label_sizes=label_sizes,
        parent=groups.parent,
        # frames keep PAD round their blocks; across the layers (LR, RL) their label strip too
        group_gap=PAD + (0.0 if model.direction in ("TB", "BT") else label_strip(measurer)),
        framed=framed,
        captions=captions,
    )
    placed = [b for b in model.blocks if _has_position(b)]
    if not placed:
        return auto
    # keep automatic blocks clear of the author's ones: put them to the right
    offset = max((b.x or 0.0) + sizes[b.id].width for b in placed) + theme.length("--sa-gap-col")
    return moved_right(auto, offset, model.direction)


def _frame_room(direction: str, strip: float) -> tuple[float, float]:
    """Room a frame takes between the layers (before its first, after its last, in flow order): ``PAD``,
    and across layers that are rows, its label strip on top."""
    top, bottom = PAD + strip, PAD
    return {"TB": (top, bottom), "BT": (bottom, top)}.get(direction, (PAD, PAD))


def _flat_label_room(model: DiagramModel, unplaced: list[Block], measurer: Measurer) -> float:
    """Room between neighbours in a layer for the labels of edges between
    blocks of one level (they run inside the layer; the engine has one gap
    for all neighbours)."""
    level = {b.id: b.level for b in unplaced if b.level is not None}
    vertical = model.direction in ("TB", "BT")
    room = 0.0
    for e in model.edges:
        if e.label and any(s in level and level[s] == level.get(t) for s in e.sources for t in e.targets):
            text = measurer.stack((e.label, "label-text"))
            room = max(room, (text.width if vertical else text.height) + LABEL_CLEARANCE)
    return room + measurer.theme.length("--sa-head-length") if room else 0.0
