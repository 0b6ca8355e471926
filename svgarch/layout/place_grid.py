"""The author's part of placement: grid cells and absolute x/y, for blocks and notes.

Grid gaps are the theme's, widened where a labelled edge crosses between
neighbours (room for its label) and round a group's cells (room for its
frame and label); then ``grid.place_grid`` sizes rows and columns.

Pre: measured sizes for every block and note. Post: a box for every block
(key ``b:<id>``) and note (``n:<index>``) the author placed, in the grid's
frame (origin at the top-left cell), and the grid's rows and columns.
"""

from __future__ import annotations

from svgarch.geometry import Box
from svgarch.layout.grid import Grid, GridItem, place_grid
from svgarch.layout.groups import PAD
from svgarch.layout.types import GroupTree
from svgarch.measure import BlockSize, Measured, TextStack
from svgarch.model import Block, DiagramModel
from svgarch.record import Record

LABEL_CLEARANCE = 26.0  # room round an edge label in a gap between blocks, besides the arrow head


def place_authors(
    model: DiagramModel,
    measured: Measured,
    tree: GroupTree,
    sizes: dict[str, BlockSize],
    note_text: dict[int, TextStack],
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
            stretch=b.width == 0 and measured.shapes[b.id].stretches,
        )
        for b in model.blocks
        if has_position(b)
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
    _widen_gaps_for_labels(model, measured, tree, col_gaps, row_gaps)
    _widen_gaps_for_groups(model, measured, tree, col_gaps, row_gaps)
    return place_grid(items, col_gaps, row_gaps)


def _widen_gaps_for_groups(
    model: DiagramModel, measured: Measured, tree: GroupTree, col_gaps: list[float], row_gaps: list[float]
) -> None:
    """Make room around each group's cells for its frame and label."""
    strip = measured.group_strip
    for span in _group_cells(model, tree, every=False).values():
        for gaps, index, room in (
            (row_gaps, span.row - 1, PAD + strip),
            (row_gaps, span.row + span.rowspan - 1, PAD),
            (col_gaps, span.col - 1, PAD),
            (col_gaps, span.col + span.colspan - 1, PAD),
        ):
            if 0 <= index < len(gaps) - 1:
                gaps[index] += room


class Cells(Record):
    """Grid cells a block or a group's frame takes."""

    row: int
    col: int
    rowspan: int
    colspan: int


def _block_cells(model: DiagramModel) -> dict[str, Cells]:
    return {
        b.id: Cells(b.row, b.col, b.rowspan, b.colspan) for b in model.blocks if b.row is not None and b.col is not None
    }


def _group_cells(model: DiagramModel, tree: GroupTree, *, every: bool) -> dict[str, Cells]:
    """The cells around each group's grid blocks; with ``every``, only of groups whose blocks are all on the grid."""
    within = tree.within
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
    model: DiagramModel, measured: Measured, tree: GroupTree, col_gaps: list[float], row_gaps: list[float]
) -> None:
    """Make a gap crossed by a labelled edge between neighbours wide enough for its label."""
    head = measured.spacing.head_length
    cells = _block_cells(model) | _group_cells(model, tree, every=True)  # a group end: the cells its frame holds
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


def has_position(b: Block) -> bool:
    """Whether the author placed ``b``: a grid cell or an x/y."""
    return (b.row is not None and b.col is not None) or (b.x is not None and b.y is not None)
