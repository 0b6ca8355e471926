"""svgarch.layout.grid: rows and columns sized from their content."""

from __future__ import annotations

import itertools

import pytest

from svgarch.geometry import Box
from svgarch.layout.grid import Grid, GridItem, place_grid


def cell(key: str, w: float, h: float, row: int, col: int, **kw: object) -> GridItem:
    return GridItem(key, w, h, row, col, **kw)  # type: ignore[arg-type]


def test_columns_take_their_widest_item_and_rows_their_tallest() -> None:
    items = [cell("a", 100, 30, 0, 0), cell("b", 60, 50, 0, 1), cell("c", 80, 20, 1, 0)]
    boxes, grid = place_grid(items, [10, 10], [20, 20])
    assert grid.col_w == (100, 60) and grid.row_h == (50, 20)
    assert grid.col_x == (0, 110) and grid.row_y == (0, 70)
    assert boxes["a"] == Box(0, 10, 100, 30)  # centred in a 50-high row
    assert boxes["c"] == Box(0, 70, 100, 20)  # stretched to its column


def test_items_do_not_overlap_and_keep_the_gaps() -> None:
    items = [cell(f"{r}{c}", 40 + 13 * c, 20 + 7 * r, r, c) for r in range(3) for c in range(3)]
    boxes, grid = place_grid(items, [15, 15, 15], [25, 25, 25])
    for a, b in itertools.combinations(boxes.values(), 2):
        assert not a.intersects(b)
    for c in range(2):
        assert grid.col_x[c + 1] - (grid.col_x[c] + grid.col_w[c]) == 15
    for r in range(2):
        assert grid.row_y[r + 1] - (grid.row_y[r] + grid.row_h[r]) == 25


def test_per_gap_sizes_are_respected() -> None:
    items = [cell("a", 10, 10, 0, 0), cell("b", 10, 10, 0, 1), cell("c", 10, 10, 0, 2)]
    boxes, _ = place_grid(items, [5, 50], [0])
    assert boxes["b"].x - boxes["a"].right == 5
    assert boxes["c"].x - boxes["b"].right == 50


def test_unstretched_items_keep_their_width_centred() -> None:
    items = [cell("wide", 200, 10, 0, 0), cell("narrow", 50, 10, 1, 0, stretch=False)]
    boxes, _ = place_grid(items, [0], [10])
    assert boxes["narrow"].w == 50
    assert boxes["narrow"].cx == boxes["wide"].cx


def test_a_spanning_item_widens_its_columns_only_as_needed() -> None:
    items = [cell("a", 50, 10, 0, 0), cell("b", 50, 10, 0, 1), cell("span", 300, 10, 1, 0, colspan=2)]
    boxes, grid = place_grid(items, [20, 20], [10, 10])
    assert sum(grid.col_w) + 20 == pytest.approx(300)
    assert grid.col_w[0] == pytest.approx(grid.col_w[1])  # widened evenly
    assert boxes["span"].w == 300  # keeps its own width ...
    assert boxes["span"].cx == pytest.approx((boxes["a"].x + boxes["b"].right) / 2)  # ... centred under both
    small = [cell("a", 50, 10, 0, 0), cell("b", 50, 10, 0, 1), cell("span", 60, 10, 1, 0, colspan=2)]
    _, grid = place_grid(small, [20, 20], [10, 10])
    assert grid.col_w == (50, 50)  # already wide enough


def test_a_rowspan_item_is_centred_over_its_rows() -> None:
    items = [cell("a", 10, 30, 0, 0), cell("b", 10, 30, 1, 0), cell("tall", 10, 20, 0, 1, rowspan=2)]
    boxes, _ = place_grid(items, [10, 10], [10, 10])
    assert boxes["tall"].cy == pytest.approx((boxes["a"].y + boxes["b"].bottom) / 2)


def test_absolute_items_sit_at_their_centre() -> None:
    boxes, grid = place_grid([GridItem("free", 40, 20, x=100, y=-50)], [], [])
    assert boxes["free"] == Box(80, -60, 40, 20)
    assert grid == Grid((), (), (), ())


def test_items_without_a_place_get_no_box() -> None:
    boxes, _ = place_grid([GridItem("lost", 40, 20), cell("a", 10, 10, 0, 0)], [0], [0])
    assert set(boxes) == {"a"}


def test_empty_rows_and_columns_collapse_to_their_gap() -> None:
    boxes, grid = place_grid([cell("a", 10, 10, 0, 0), cell("b", 10, 10, 2, 2)], [5, 5, 5], [7, 7, 7])
    assert grid.col_w[1] == 0 and grid.row_h[1] == 0
    assert boxes["b"].x == 10 + 5 + 0 + 5


def test_row_band() -> None:
    _, grid = place_grid([cell("a", 10, 30, 0, 0), cell("b", 10, 40, 1, 0)], [0], [10, 10])
    assert grid.row_band(0) == (0, 30)
    assert grid.row_band(1) == (40, 80)
    assert grid.row_band(5) == (80, 80)  # past the last row: an empty band
    assert Grid((), (), (), ()).row_band(0) == (0.0, 0.0)


def test_cell_box_covers_spans() -> None:
    _, grid = place_grid([cell("a", 10, 10, 0, 0), cell("b", 20, 30, 1, 1)], [5, 5], [7, 7])
    assert grid.cell_box(0, 0, 2, 2) == Box(0, 0, 35, 47)


def test_missing_gaps_count_as_zero() -> None:
    boxes, _ = place_grid([cell("a", 10, 10, 0, 0), cell("b", 10, 10, 0, 1)], [], [])
    assert boxes["b"].x == boxes["a"].right
