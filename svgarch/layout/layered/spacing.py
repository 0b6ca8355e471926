"""Phase 5, along the flow — how far apart the layers are.

A layer is as deep as its thickest node; the gap after it is the rank gap
plus room for the frames that end there or start at the next layer
(``frame_gaps``), and then no wider than its edges need: the least gap where
they all run straight, more the wider a fan's arms step across (``gap``,
``widen_for_fans``), so that a fan's outer edges curve down instead of running
flat along the next layer; an edge alone at both ends needs no such depth.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["cluster_extents", "frame_gaps", "gap", "layer_centres", "widen_for_fans"]

STEEPNESS = 0.12  # extra gap per unit of the widest step an arm of a fan makes across the gap


def gap(rank_gap: float, least_gap: float, step: float) -> float:
    """The gap below a layer whose edges step ``step`` across: no wider than
    its edges need, ``least_gap`` where they all run straight, wider for wide
    steps, so a fan's outer edges curve down instead of running flat along
    the tops of the next layer (up to twice the rank gap)."""
    return min(2 * rank_gap, least_gap + STEEPNESS * step)


def widen_for_fans(
    reach: list[float],
    top: int,
    layer: Sequence[int],
    up: Sequence[Sequence[int]],
    down: Sequence[Sequence[int]],
    x: Sequence[float],
    longest: float,
    real: int | None = None,
    through: list[float] | None = None,
) -> None:
    """Raise ``reach[top + r]`` to the widest step (at most ``longest``) an arm of a fan makes across
    the gap below layer ``r``: an edge out of a node with several edges down, or into one with several
    up. An edge alone at both its ends may step across a shallow gap as one slanted line; only a fan's
    arms, side by side, need the depth to curve down apart instead of running flat along the next layer.
    ``through`` (with ``real``, where dummies start) gets the same for a fan's arms through layers of
    their own (a label's): a long edge's ends are its chain's, whose dummies have one link up and one
    down, so an arm straight below its node in a label's layer makes its step in the gap after it."""
    dummies = range(len(down) if real is None else real, len(down))
    source = list(range(len(down)))  # the real node a chain of dummies comes from, by node
    for v in sorted(dummies, key=lambda n: layer[n]):
        source[v] = source[up[v][0]] if len(up[v]) == 1 else v
    target = list(range(len(down)))  # ... and goes to
    for w in sorted(dummies, key=lambda n: -layer[n]):
        target[w] = target[down[w][0]] if len(down[w]) == 1 else w
    for v, below in enumerate(down):
        for w in below:
            step, r = min(longest, abs(x[w] - x[v])), top + layer[v]
            if len(below) > 1 or len(up[w]) > 1:
                reach[r] = max(reach[r], step)
            if through is not None and (len(down[source[v]]) > 1 or len(up[target[w]]) > 1):
                through[r] = max(through[r], step)


def frame_gaps(
    ranks: Sequence[int],
    group: Sequence[int],
    enclosing: Sequence[int],
    room: tuple[float, float],
    rank_gap: float,
    across: Sequence[tuple[float, float]] | None = None,
) -> list[float]:
    """The gap after every layer: ``rank_gap``, and ``room`` for each cluster that ends or starts there.

    With ``across`` (every cluster's extent along the layers) only the borders that lie over one
    another take room one after the other: frames side by side share the gap, so a gap is as deep
    as its deepest stack of borders, not the sum of all borders that cross it."""
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
    borders: list[list[tuple[float, int]]] = [[] for _ in range(count)]  # per gap: (room, cluster)
    for cluster, (first, last) in span.items():
        if first > 0:
            borders[first - 1].append((before, cluster))
        borders[last].append((after, cluster))
    for r, crossing in enumerate(borders):
        gaps[r] += _deepest_stack(crossing, across)
    return gaps


def _deepest_stack(borders: Sequence[tuple[float, int]], across: Sequence[tuple[float, float]] | None) -> float:
    """The most room that borders lying over one another along the layers take (all of it without extents)."""
    if across is None:
        return sum(room for room, _ in borders)
    deepest = 0.0
    for _, cluster in borders:
        at = across[cluster][0]  # the stack over the left end of one border is as deep as any
        deepest = max(
            deepest, sum(room for room, c in borders if across[c][0] <= at < across[c][1] or c == cluster)
        )
    return deepest


def cluster_extents(
    x: Sequence[float],
    group: Sequence[int],
    enclosing: Sequence[int],
    breadth: Sequence[float],
    room: Sequence[tuple[float, float]],
    group_gap: float,
) -> list[tuple[float, float]]:
    """Every cluster's extent along the layers: its members' boxes (and the room beside them), and
    ``group_gap`` round them for every level of nesting inside it, as its frame will be drawn."""
    extent = [(float("inf"), float("-inf"))] * len(enclosing)
    nested = [0] * len(enclosing)  # levels of clusters inside a cluster
    for cluster in range(len(enclosing)):
        inner, level = enclosing[cluster], 1
        while inner >= 0:
            nested[inner] = max(nested[inner], level)
            inner, level = enclosing[inner], level + 1
    for v, cluster in enumerate(group):
        left = x[v] - breadth[v] / 2 - (room[v][0] if v < len(room) else 0.0)
        right = x[v] + breadth[v] / 2 + (room[v][1] if v < len(room) else 0.0)
        while cluster >= 0:
            low, high = extent[cluster]
            extent[cluster] = (min(low, left), max(high, right))
            cluster = enclosing[cluster]
    return [
        (low - (n + 1) * group_gap, high + (n + 1) * group_gap)
        for (low, high), n in zip(extent, nested, strict=True)
    ]


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
