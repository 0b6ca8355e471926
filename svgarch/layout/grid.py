"""Grid placement: rows and columns sized from their content.

Pre: every item has a measured size and either a cell (row, col, spans) or
an absolute centre. Post: every item has a box; grid and absolute items share
one coordinate frame whose grid origin is (0, 0).

A block in one column is stretched to its column's width so a column lines
up (as the seed draws it); a block spanning columns keeps its own width,
centred under them. Heights stay natural, centred in their row.
"""

from __future__ import annotations

from collections.abc import Sequence

from svgarch.geometry import Box
from svgarch.record import Record


class GridItem(Record):
    key: str
    width: float
    height: float
    row: int | None = None
    col: int | None = None
    rowspan: int = 1
    colspan: int = 1
    x: float | None = None  # absolute centre
    y: float | None = None
    stretch: bool = True  # fill the column's width when it spans one column


class Grid(Record):
    """Where rows and columns ended up: their start and size."""

    col_x: tuple[float, ...]
    col_w: tuple[float, ...]
    row_y: tuple[float, ...]
    row_h: tuple[float, ...]

    def row_band(self, row: int) -> tuple[float, float]:
        """Top and bottom of a row (an empty band past the last row)."""
        if 0 <= row < len(self.row_y):
            return self.row_y[row], self.row_y[row] + self.row_h[row]
        last = self.row_y[-1] + self.row_h[-1] if self.row_y else 0.0
        return last, last

    def cell_box(self, row: int, col: int, rowspan: int = 1, colspan: int = 1) -> Box:
        x0 = self.col_x[col]
        x1 = self.col_x[col + colspan - 1] + self.col_w[col + colspan - 1]
        y0 = self.row_y[row]
        y1 = self.row_y[row + rowspan - 1] + self.row_h[row + rowspan - 1]
        return Box(x0, y0, x1 - x0, y1 - y0)


def _sizes(spans: list[tuple[int, int, float]], count: int, gaps: Sequence[float]) -> list[float]:
    """Track sizes: single spans first, then widen evenly for multi-spans."""
    size = [0.0] * count
    for start, span, need in spans:
        if span == 1:
            size[start] = max(size[start], need)
    for start, span, need in sorted(spans, key=lambda s: s[1]):
        if span > 1:
            have = sum(size[start : start + span]) + sum(gaps[start : start + span - 1])
            if need > have:
                extra = (need - have) / span
                for i in range(start, start + span):
                    size[i] += extra
    return size


def place_grid(
    items: Sequence[GridItem], col_gaps: Sequence[float], row_gaps: Sequence[float]
) -> tuple[dict[str, Box], Grid]:
    """Boxes for every item; ``col_gaps[i]`` is the gap after column i."""
    cells = [it for it in items if it.row is not None and it.col is not None]
    n_cols = max((it.col + it.colspan for it in cells if it.col is not None), default=0)
    n_rows = max((it.row + it.rowspan for it in cells if it.row is not None), default=0)
    col_gaps = list(col_gaps) + [0.0] * max(0, n_cols - len(col_gaps))
    row_gaps = list(row_gaps) + [0.0] * max(0, n_rows - len(row_gaps))
    col_w = _sizes([(it.col, it.colspan, it.width) for it in cells if it.col is not None], n_cols, col_gaps)
    row_h = _sizes([(it.row, it.rowspan, it.height) for it in cells if it.row is not None], n_rows, row_gaps)
    col_x, row_y = _starts(col_w, col_gaps), _starts(row_h, row_gaps)
    grid = Grid(tuple(col_x), tuple(col_w), tuple(row_y), tuple(row_h))
    boxes: dict[str, Box] = {}
    for it in items:
        if it.row is not None and it.col is not None:
            cell = grid.cell_box(it.row, it.col, it.rowspan, it.colspan)
            w = cell.w if it.stretch and it.colspan == 1 else it.width
            boxes[it.key] = Box.around(cell.cx, cell.cy, w, it.height)
        elif it.x is not None and it.y is not None:
            boxes[it.key] = Box.around(it.x, it.y, it.width, it.height)
    return boxes, grid


def _starts(sizes: list[float], gaps: list[float]) -> list[float]:
    out, pos = [], 0.0
    for i, s in enumerate(sizes):
        out.append(pos)
        pos += s + gaps[i]
    return out
