"""Phase 5, last step — a long flow wrapped into rows (``wrap = N``).

A chain of thirty layers drawn left to right is a ribbon thirty blocks long
and one high: unreadable on a page. Asked to wrap every ``N`` layers, the
layout folds like text: layers ``0 .. N-1`` are the first row, ``N .. 2N-1``
the next, each row starting again where the first starts along the flow
and set below the one before it, a ``gap`` apart (for ``TB``: columns, each
right of the one before). Every row keeps the flow's direction, so arrows
in all rows point the same way and the diagram reads row by row, as a page.

Layers, orders and x are those of the unwrapped layout: a row is the same
slice of the same picture, moved. An edge between two rows keeps no
reserved route (its bends belong to two rows); the caller routes it round
the blocks through the gap between the rows (``LayeredResult.wrap``).

Pre: centres and bends of a top-to-bottom layout, every node's rank, and
each layer's centre line and depth.
Post: the same, rows moved so that no row's box (nodes, with their room,
and the bends in it) overlaps another's: row k lies past row k-1 across
the flow, its first layer level with layer 0.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence

from .graph import Point

__all__ = ["fold"]


def fold(
    every: int,
    ranks: Sequence[int],
    centres: list[Point],
    bends: list[tuple[Point, ...]],
    layer_y: list[float],
    depth: Sequence[float],
    reach: Sequence[tuple[float, float]],
    gap: float,
) -> None:
    """Wrap the layout in place every ``every`` layers (``reach``: how far each node takes up its layer
    before and after its centre); nothing moves when it has no more layers than that."""
    count = len(layer_y)
    if every < 1 or count <= every:
        return
    rows = (count - 1) // every + 1
    starts = [layer_y[k * every] - depth[k * every] / 2 for k in range(rows)]  # each row's first layer's top

    def row_at(y: float) -> int:
        return max(0, bisect_right(starts, y + 1e-6) - 1)

    low = [math.inf] * rows
    high = [-math.inf] * rows
    for node, (x, _) in enumerate(centres):
        row = ranks[node] // every
        low[row] = min(low[row], x - reach[node][0])
        high[row] = max(high[row], x + reach[node][1])
    for points in bends:
        for x, y in points:
            row = row_at(y)
            low[row], high[row] = min(low[row], x), max(high[row], x)
    across = [0.0] * rows
    edge = high[0]
    for row in range(1, rows):
        if math.isinf(low[row]):
            continue
        across[row] = edge + gap - low[row]
        edge = high[row] + across[row]
    back = [start - starts[0] for start in starts]
    for node, (x, y) in enumerate(centres):
        row = ranks[node] // every
        centres[node] = (x + across[row], y - back[row])
    for e, points in enumerate(bends):
        bends[e] = tuple((x + across[row_at(y)], y - back[row_at(y)]) for x, y in points)
    for r in range(count):
        layer_y[r] -= back[r // every]
