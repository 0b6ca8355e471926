"""Phase 5 — x coordinates within the layers.

Follows Brandes and Köpf (2001), "Fast and Simple Horizontal Coordinate
Assignment": four layouts (vertical alignment to the upper or lower median
neighbour, compacted to the left or right) are aligned to the narrowest one
and balanced by taking, per node, the mean of the two middle candidates.
Class shifts are settled in reverse topological order of the classes, which
avoids the flaw in the original compaction reported by Brandes, Walter and
Zink (2020, "Erratum: Fast and Simple Horizontal Coordinate Assignment"). Inner segments
(dummy to dummy) win type-1 conflicts, so long edges run straight.
Separation respects node breadths: neighbours ``u, v`` in a layer keep
``(breadth[u] + breadth[v]) / 2 + gap`` between centres, where ``gap`` is
``node_gap`` between two real nodes and ``edge_gap`` when a dummy is involved,
plus the room a node keeps on that side (``LayerGraph.room``).
Clusters, as in dagre: each border of a cluster (phase 3b) is one block,
aligned whatever the conflicts (links that cross it are marked instead), so
it is one vertical line; a border keeps ``group_gap`` from what it holds
(the right border ``group_after`` if given) and the usual gap from what lies outside, and two sibling clusters'
borders keep ``node_gap``.

Pre: a LayerGraph and an order of each of its layers (phase 4) in which
every cluster is contiguous between its borders, sibling clusters in one
order in all layers they share.
Post: centre x per node, the layers' order kept and separations met; the
border nodes of a side of a cluster share one x; the leftmost box edge is
at 0.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections import deque
from collections.abc import Sequence

from svgarch.record import Record

from .graph import LEFT, RIGHT, LayerGraph

__all__ = ["Gaps", "run", "separation"]


class Gaps(Record):
    """Free space between neighbours in a layer."""

    node: float  # between two real nodes
    edge: float  # when at least one is a dummy
    group: float  # added across a cluster boundary
    group_after: float | None = None  # between what a cluster holds and its right border (None: ``group``)


def run(graph: LayerGraph, layers: Sequence[Sequence[int]], gaps: Gaps) -> list[float]:
    """Centre x of every node of ``graph``."""
    if graph.count == 0:
        return []
    marked = _type1_conflicts(graph, layers)
    up, down = list(graph.up), list(graph.down)
    if any(graph.side):
        marked |= _border_crossings(graph, layers)
        below: dict[tuple[int, int, int], int] = {}
        for v in range(graph.count):
            if graph.side[v]:
                below[(graph.group[v], graph.side[v], graph.layer[v])] = v
        for v in range(graph.count):
            lower = below.get((graph.group[v], graph.side[v], graph.layer[v] + 1), -1)
            if graph.side[v] and lower >= 0:
                down[v], up[lower] = [lower], [v]
    # the least distance from each node to the next in its layer, once (each of the four layouts needs it twice)
    after = [0.0] * graph.count
    for row in layers:
        for left, right in itertools.pairwise(row):
            after[left] = separation(graph, gaps, left, right)
    candidates: list[list[float]] = []
    for from_top in (True, False):
        rows = list(layers) if from_top else list(reversed(layers))
        above = up if from_top else down
        for from_left in (True, False):
            ordered = [list(row) if from_left else list(reversed(row)) for row in rows]
            x = _one_layout(graph, ordered, above, marked, from_top, after, mirrored=not from_left)
            candidates.append(x if from_left else [-value for value in x])
    return _balance(graph, candidates)


def separation(graph: LayerGraph, gaps: Gaps, left: int, right: int) -> float:
    """Least distance between the centres of neighbours ``left`` and ``right``."""
    real = graph.real_count
    side_left, side_right = graph.side[left], graph.side[right]
    if not side_left and not side_right:
        gap = gaps.node if left < real and right < real else gaps.edge
        if graph.group[left] != graph.group[right]:  # clusters without border nodes
            gap += gaps.group
        return graph.reach(left)[1] + graph.reach(right)[0] + gap
    if side_left == RIGHT and side_right == LEFT:
        return gaps.node  # two sibling clusters
    if side_left == LEFT and side_right == RIGHT:
        return 0.0  # a cluster with nothing in this layer
    if side_left == LEFT:  # the border and what it holds
        return graph.reach(right)[0] + gaps.group
    if side_right == RIGHT:
        return graph.reach(left)[1] + (gaps.group if gaps.group_after is None else gaps.group_after)
    outside = right if side_left else left  # a node next to a cluster it is not in
    facing = graph.reach(right)[0] if side_left else graph.reach(left)[1]
    return facing + (gaps.node if outside < real else gaps.edge)


def _border_crossings(graph: LayerGraph, layers: Sequence[Sequence[int]]) -> set[int]:
    """Links (keyed as in ``_type1_conflicts``) that cross a border line between their layers."""
    count = graph.count
    pos = [0] * count
    for row in layers:
        for index, node in enumerate(row):
            pos[node] = index
    marked: set[int] = set()
    for upper, lower in itertools.pairwise(layers):
        shared = {(graph.group[v], graph.side[v]) for v in upper if graph.side[v]}
        shared &= {(graph.group[v], graph.side[v]) for v in lower if graph.side[v]}
        if not shared:
            continue
        above = [pos[v] for v in upper if graph.side[v] and (graph.group[v], graph.side[v]) in shared]
        below = [pos[v] for v in lower if graph.side[v] and (graph.group[v], graph.side[v]) in shared]
        for node in lower:
            for higher in graph.up[node]:
                if bisect_left(above, pos[higher]) != bisect_left(below, pos[node]):
                    marked.add(higher * count + node)
    return marked


def _type1_conflicts(graph: LayerGraph, layers: Sequence[Sequence[int]]) -> set[int]:
    """Links (keyed ``upper * count + lower``) that cross an inner segment (BK alg. 1)."""
    count, real = graph.count, graph.real_count
    pos = [0] * count
    for row in layers:
        for index, node in enumerate(row):
            pos[node] = index
    marked: set[int] = set()
    for upper, lower in itertools.pairwise(layers):
        left_bound = 0
        scanned = 0
        for index, node in enumerate(lower):
            inner = node >= real and not graph.side[node] and graph.up[node][0] >= real
            if index != len(lower) - 1 and not inner:
                continue
            right_bound = pos[graph.up[node][0]] if inner else len(upper) - 1
            for between in lower[scanned : index + 1]:
                for above in graph.up[between]:
                    if between >= real and above >= real:
                        continue  # inner segments are never marked
                    if pos[above] < left_bound or pos[above] > right_bound:
                        marked.add(above * count + between)
            scanned = index + 1
            left_bound = right_bound
    return marked


def _one_layout(
    graph: LayerGraph,
    rows: Sequence[Sequence[int]],
    above: Sequence[Sequence[int]],
    marked: set[int],
    from_top: bool,
    after: Sequence[float],
    *,
    mirrored: bool,
) -> list[float]:
    """One of the four BK layouts, in the coordinates of its own sweep (``mirrored``: right to left;
    ``after``: each node's separation from the next in its layer, left to right)."""
    count = graph.count
    pos = [0] * count
    pred = [-1] * count
    for row in rows:
        for index, node in enumerate(row):
            pos[node] = index
            pred[node] = row[index - 1] if index else -1

    # Vertical alignment (BK alg. 2): each node joins a median neighbour above.
    root = list(range(count))
    align = list(range(count))
    for row in rows[1:]:
        reach = -1
        for node in row:
            around = above[node]
            if not around:
                continue
            if len(around) > 1:
                around = sorted(around, key=pos.__getitem__)
            size = len(around)
            for median in (size // 2,) if size % 2 else ((size - 1) // 2, size // 2):  # one median, or two
                if align[node] != node:
                    break
                upper = around[median]
                key = upper * count + node if from_top else node * count + upper
                if key not in marked and reach < pos[upper]:
                    align[upper] = node
                    root[node] = root[upper]
                    align[node] = root[node]
                    reach = pos[upper]

    # Horizontal compaction (BK alg. 3) of blocks within classes.
    x = [0.0] * count
    placed = [False] * count
    sink = list(range(count))
    touching: list[tuple[int, int, float]] = []  # (left block, right block, gap) across classes
    for row in rows:
        for start in row:
            if root[start] != start or placed[start]:
                continue
            placed[start] = True
            stack = [[start, start]]  # (block root, member being examined)
            while stack:
                frame = stack[-1]
                block, member = frame
                left = pred[member]
                if left >= 0:
                    left_block = root[left]
                    if not placed[left_block]:
                        placed[left_block] = True
                        stack.append([left_block, left_block])
                        continue
                    gap = after[member] if mirrored else after[left]  # from the node first in the layer
                    if sink[block] == block:
                        sink[block] = sink[left_block]
                    if sink[block] != sink[left_block]:
                        touching.append((left_block, block, gap))
                    else:
                        x[block] = max(x[block], x[left_block] + gap)
                following = align[member]
                if following == block:
                    stack.pop()
                else:
                    frame[1] = following
    # A block's x is final only once its whole block is examined, so bounds come last.
    links = [
        (sink[left_block], sink[right_block], x[right_block] - x[left_block] - gap)
        for left_block, right_block, gap in touching
    ]
    shift = _class_shifts(count, sink, links)
    result = [x[root[v]] + shift[sink[root[v]]] for v in range(count)]
    _enforce_separation(rows, result, after, mirrored)
    return result


def _class_shifts(count: int, sink: list[int], links: list[tuple[int, int, float]]) -> list[float]:
    """Shift every class as far right as its right-hand classes allow (Erratum, alg. 3).

    A link ``(a, b, bound)`` requires ``shift[a] <= shift[b] + bound``. Classes
    with nothing on their right stay put; the others follow in reverse
    topological order, so every bound uses a final shift.
    """
    pending = [0] * count
    leftward: list[list[tuple[int, float]]] = [[] for _ in range(count)]
    for left_class, right_class, bound in links:
        pending[left_class] += 1
        leftward[right_class].append((left_class, bound))
    shift = [float("inf")] * count
    ready = deque(v for v in range(count) if sink[v] == v and pending[v] == 0)
    for v in ready:
        shift[v] = 0.0
    while ready:
        right_class = ready.popleft()
        for left_class, bound in leftward[right_class]:
            shift[left_class] = min(shift[left_class], shift[right_class] + bound)
            pending[left_class] -= 1
            if pending[left_class] == 0:
                ready.append(left_class)
    for v in range(count):
        if shift[v] == float("inf"):
            shift[v] = 0.0  # a class caught in a cycle; separation is enforced afterwards
    return shift


def _enforce_separation(rows: Sequence[Sequence[int]], x: list[float], after: Sequence[float], mirrored: bool) -> None:
    for row in rows:
        for left, right in itertools.pairwise(row):
            least = x[left] + (after[right] if mirrored else after[left])
            if x[right] < least - 1e-9:
                x[right] = least


def _balance(graph: LayerGraph, candidates: list[list[float]]) -> list[float]:
    """Align the four layouts to the narrowest, then average the two middle values."""
    reach = [graph.reach(v) for v in range(graph.count)]
    lows = [min(x - before for x, (before, _) in zip(layout, reach, strict=True)) for layout in candidates]
    highs = [max(x + after for x, (_, after) in zip(layout, reach, strict=True)) for layout in candidates]
    narrowest = min(range(4), key=lambda k: (highs[k] - lows[k], k))
    moved: list[list[float]] = []
    for k, layout in enumerate(candidates):
        from_left = k % 2 == 0
        offset = lows[narrowest] - lows[k] if from_left else highs[narrowest] - highs[k]
        moved.append([value + offset for value in layout])
    result = []
    for values in zip(*moved, strict=True):
        ordered = sorted(values)
        result.append((ordered[1] + ordered[2]) / 2)
    low = min(x - before for x, (before, _) in zip(result, reach, strict=True))
    return [x - low for x in result]
