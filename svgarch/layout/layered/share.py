"""Phase 2b — helper nodes that share a layer instead of taking one of their own.

A free node (``LayeredNode.ordered`` False: an edge's label node) with one
link in and one out may sit on any rank its two links allow. Network simplex
leaves it wherever its links are shortest, which for a long edge (a loop back
over many layers) is often next to one end, alone in a layer: that layer then
costs its label's depth and two gaps for nothing. Such a node, alone in its
rank at one end of a long span, moves to a rank of its span that other free
nodes already hold (the one it deepens least, then the nearest), inside the
ranks its cluster already spans and among the same frames of other clusters.

Pre: every node ranked, links oriented down the ranks. Post: the same ranks,
but fewer layers that hold one free node alone; every link still spans at
least its ``minlen``.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["share_layers"]

LEAST_SPAN = 4  # ranks between the ends of an edge whose label may move: a short edge's stays where it is


def share_layers(
    links: Sequence[tuple[int, int]],
    minlens: Sequence[int],
    free: Sequence[bool],
    fixed: Sequence[int | None],
    thickness: Sequence[float],
    group: Sequence[int],
    enclosing: Sequence[int],
    ranks: list[int],
) -> None:
    """Move every free node alone in its rank to a rank of its span that other free nodes hold (``ranks``
    changed in place; ``links`` oriented source to target, ``links[i]`` at least ``minlens[i]`` ranks)."""
    count = len(free)
    into: list[list[int]] = [[] for _ in range(count)]
    out: list[list[int]] = [[] for _ in range(count)]
    for e, (s, t) in enumerate(links):
        if s < count and t < count and s != t:
            out[s].append(e)
            into[t].append(e)
    spans = _cluster_spans(group, enclosing, ranks, count)
    holders: dict[int, list[int]] = {}
    for v in range(count):
        holders.setdefault(ranks[v], []).append(v)
    for v in range(count):
        if not free[v] or fixed[v] is not None or len(into[v]) != 1 or len(out[v]) != 1:
            continue
        (e_in,), (e_out,) = into[v], out[v]
        ends = (ranks[links[e_in][0]] + minlens[e_in], ranks[links[e_out][1]] - minlens[e_out])
        if holders[ranks[v]] != [v] or ranks[v] not in ends or ends[1] - ends[0] < LEAST_SPAN:
            continue
        first, last = _span(v, group, enclosing, ranks, count)
        low = max(first, ranks[links[e_in][0]] + minlens[e_in])
        high = min(last, ranks[links[e_out][1]] - minlens[e_out])
        around = _around(group[v], enclosing)
        frames = _frames_at(ranks[v], spans, around)
        best: tuple[float, float, int] | None = None
        for r in range(low, high + 1):
            others = holders.get(r, [])
            if (
                r == ranks[v]
                or not others
                or not all(free[w] for w in others)
                or _frames_at(r, spans, around) != frames
            ):
                continue
            deeper = max(0.0, thickness[v] - max(thickness[w] for w in others))
            key = (deeper, abs(r - ranks[v]), r)
            if best is None or key < best:
                best = key
        if best is None or best[0] >= thickness[v]:
            continue
        holders[ranks[v]].remove(v)
        ranks[v] = best[2]
        holders[best[2]].append(v)


def _span(v: int, group: Sequence[int], enclosing: Sequence[int], ranks: Sequence[int], count: int) -> tuple[int, int]:
    """The ranks the cluster of ``v`` spans without it (any rank for a node outside clusters)."""
    home = group[v]
    if home < 0:
        return (0, max(ranks[:count], default=0))
    low, high = None, None
    for w in range(count):
        if w == v:
            continue
        cluster = group[w]
        while cluster >= 0 and cluster != home:
            cluster = enclosing[cluster]
        if cluster == home:
            low = ranks[w] if low is None else min(low, ranks[w])
            high = ranks[w] if high is None else max(high, ranks[w])
    if low is None or high is None:
        return (ranks[v], ranks[v])
    return (low, high)


def _cluster_spans(
    group: Sequence[int], enclosing: Sequence[int], ranks: Sequence[int], count: int
) -> dict[int, tuple[int, int]]:
    """The first and last rank of every cluster's nodes (nested clusters' too)."""
    spans: dict[int, tuple[int, int]] = {}
    for v in range(count):
        cluster = group[v]
        while cluster >= 0:
            low, high = spans.get(cluster, (ranks[v], ranks[v]))
            spans[cluster] = (min(low, ranks[v]), max(high, ranks[v]))
            cluster = enclosing[cluster]
    return spans


def _around(cluster: int, enclosing: Sequence[int]) -> set[int]:
    """``cluster`` and the clusters enclosing it."""
    out: set[int] = set()
    while cluster >= 0:
        out.add(cluster)
        cluster = enclosing[cluster]
    return out


def _frames_at(r: int, spans: dict[int, tuple[int, int]], around: set[int]) -> frozenset[int]:
    """The clusters other than ``around`` whose frames cross rank ``r``: a node there keeps out of them."""
    return frozenset(c for c, (low, high) in spans.items() if low <= r <= high and c not in around)
