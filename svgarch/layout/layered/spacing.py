"""Phase 5, along the flow — how far apart the layers are.

A layer is as deep as its thickest node; the gap after it is the rank gap
plus room for the frames that end there or start at the next layer
(``frame_gaps``), and then no wider than its edges need: the least gap where
they all run straight, more the wider they step across (``gap``), so that a
fan's outer edges curve down instead of running flat along the next layer.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["frame_gaps", "gap", "layer_centres"]

STEEPNESS = 0.15  # extra gap per unit of the widest step an edge makes across the gap


def gap(rank_gap: float, least_gap: float, step: float) -> float:
    """The gap below a layer whose edges step ``step`` across: no wider than
    its edges need, ``least_gap`` where they all run straight, wider for wide
    steps, so a fan's outer edges curve down instead of running flat along
    the tops of the next layer (up to twice the rank gap)."""
    return min(2 * rank_gap, least_gap + STEEPNESS * step)


def frame_gaps(
    ranks: Sequence[int],
    group: Sequence[int],
    enclosing: Sequence[int],
    room: tuple[float, float],
    rank_gap: float,
) -> list[float]:
    """The gap after every layer: ``rank_gap``, and ``room`` for each cluster that ends or starts there."""
    count = max(ranks, default=-1) + 1
    gaps = [rank_gap] * count
    if not any(room) or not enclosing:
        return gaps
    span: dict[int, tuple[int, int]] = {}
    for r, cluster in zip(ranks, group, strict=True):
        while cluster >= 0:
            low, high = span.get(cluster, (r, r))
            span[cluster] = (min(low, r), max(high, r))
            cluster = enclosing[cluster]
    before, after = room
    for first, last in span.values():
        if first > 0:
            gaps[first - 1] += before
        gaps[last] += after
    return gaps


def layer_centres(
    ranks: Sequence[int], thickness: Sequence[float], gaps: Sequence[float]
) -> tuple[list[float], list[float]]:
    """Centre line and depth of every layer: the thickest node of a layer sets its depth; ``gaps[r]``
    lies after layer ``r``."""
    depth = [0.0] * (max(ranks, default=-1) + 1)
    for r, t in zip(ranks, thickness, strict=True):
        depth[r] = max(depth[r], t)
    centres: list[float] = []
    top = 0.0
    for d, gap in zip(depth, gaps, strict=True):
        centres.append(top + d / 2)
        top += d + gap
    return centres, depth
