"""Phase 2b — what clusters add once ranks are known: edge anchors and captions.

Edges that end on a cluster, as Graphviz's ``lhead`` / ``ltail`` and a D2
edge to a container (Sander 1996, "Layout of Compound Directed Graphs",
treats them as edges to the compound node itself):

* for ranking (``ranking_links``), an edge into a cluster pulls on each of
  its entry nodes (members, nested ones too, that no edge from another
  member enters; all members if none), an edge out of it on each exit node,
  so the whole cluster lands below (or above) the other end, as a block
  would;
* once ranked (``anchor``), the edge is attached, as dot attaches an
  ``lhead`` edge to the node it names, to a member on the cluster's rank
  that faces the other end (its first rank when that end lies above it,
  its last when below; the middle one of that rank's members, in input
  order): ordering and positioning treat it as an edge to that member,
  and the drawing stops it on the cluster's border. An end whose other end
  lies within the cluster's ranks gets no member: its edge is left out of
  the layout.

Captions reserve the room of a cluster's label (``captions``): in its rank
nearest the drawing's top-left corner, a node of the label's breadth that
the ordering keeps first in its cluster, so no edge crosses that rank
within the label's span (TB and BT, where the label sits across the layers
above that rank); or, with no breadth, only a depth that rank must reach
(LR and RL, where the label lies along that rank, beside what it holds).
A cluster whose caption rank is also that of a captioned cluster nested in
it shares that one's node (``shared_captions``): its label lies in its own
strip straight above the nested one's, so one room, as wide as the wider
label, keeps both clear; two nodes side by side would push the nested
frame right of the outer label, a label's width of empty frame.

Ends are encoded as ints: a node index, or ``-1 - cluster`` for a cluster.

Pre: ranks for every node; clusters nested without loops.
Post (``anchor``): every edge a pair of nodes, a cluster end's node in the
cluster's first or last rank; edges left out as a self-loop on one of their
nodes. Deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from svgarch.record import Record

__all__ = ["Anchors", "Spans", "anchor", "caption_rank", "cluster_end", "holds", "ranking_links", "span_links"]


def cluster_end(cluster: int) -> int:
    """The end that names ``cluster``."""
    return -1 - cluster


def holds(cluster: int, group: int, enclosing: Sequence[int]) -> bool:
    """Whether ``cluster`` holds a node of innermost cluster ``group``, however deep."""
    while group >= 0:
        if group == cluster:
            return True
        group = enclosing[group]
    return False


def _members(group: Sequence[int], enclosing: Sequence[int]) -> dict[int, list[int]]:
    """Every cluster's nodes, nested ones included."""
    out: dict[int, list[int]] = {}
    for v, cluster in enumerate(group):
        while cluster >= 0:
            out.setdefault(cluster, []).append(v)
            cluster = enclosing[cluster]
    return out


def ranking_links(
    links: Sequence[tuple[int, int]], group: Sequence[int], enclosing: Sequence[int]
) -> tuple[list[tuple[int, int]], list[int]]:
    """Links between nodes only, for ranking: one per edge, in order (a cluster edge as its first link
    to or from the cluster's members, or as a loop, which ranking ignores), then the rest of the links
    that stand for cluster edges; and per link, -1, or for those, the index of the edge's first link
    (a bundle, turned round, if at all, with it)."""
    if all(s >= 0 and t >= 0 for s, t in links):
        return list(links), []
    members = _members(group, enclosing)
    plain = [(s, t) for s, t in links if s >= 0 and t >= 0]
    entered: set[tuple[int, int]] = set()  # (cluster, node): some edge from another member enters node
    left: set[tuple[int, int]] = set()
    for s, t in plain:
        cluster = group[s]
        while cluster >= 0:
            if holds(cluster, group[t], enclosing):
                entered.add((cluster, t))
                left.add((cluster, s))
            cluster = enclosing[cluster]

    def side(end: int, into: bool) -> list[int]:
        if end >= 0:
            return [end]
        cluster = -1 - end
        inner = members.get(cluster, [])
        free = [v for v in inner if (cluster, v) not in (entered if into else left)]
        return free or inner

    placeholders: list[tuple[int, int]] = []
    extra: list[tuple[int, int]] = []
    owner: list[int] = []
    for index, (s, t) in enumerate(links):
        if s >= 0 and t >= 0:
            placeholders.append((s, t))
            continue
        sources, targets = side(s, into=False), side(t, into=True)
        pairs = [(a, b) for a in sources for b in targets if a != b]
        if not pairs or _inside(s, t, group, enclosing) or _inside(t, s, group, enclosing):
            some = (sources or targets or [0])[0]
            placeholders.append((some, some))  # a cluster and what it holds: nothing to rank
            continue
        placeholders.append(pairs[0])
        extra += pairs[1:]
        owner += [index] * (len(pairs) - 1)
    return placeholders + extra, [-1] * len(placeholders) + owner


def _inside(end: int, other: int, group: Sequence[int], enclosing: Sequence[int]) -> bool:
    """Whether ``other`` lies inside cluster end ``end`` (or is it)."""
    if end >= 0:
        return False
    cluster = -1 - end
    inner = group[other] if other >= 0 else enclosing[-1 - other]
    return other == end or holds(cluster, inner, enclosing)


_SPAN_WEIGHT = 3  # what a layer of a cluster's span costs, in layers of edge length


class Spans(Record):
    """Links that make ranking count every cluster's span: ``nodes`` extra nodes after the given ones,
    and each link's weight."""

    links: list[tuple[int, int]]
    weights: list[int]
    nodes: int


def span_links(group: Sequence[int], enclosing: Sequence[int]) -> Spans:
    """For every cluster, a top and a bottom node, links of weight 0 (minimum length 0) from the top
    to each member and from each member to the bottom, and one from the top to the bottom.

    Ranking minimises the links' weighted total length, and the last adds the cluster's span (its
    last rank less its first) ``_SPAN_WEIGHT`` times: a member is drawn far from the others only
    when its own edges gain more than that, as dot ranks a cluster as one before the graph (Sander
    1996 keeps a compound node's ranks together likewise). So a frame holds few empty layers.
    """
    members = _members(group, enclosing)
    base = len(group)
    links: list[tuple[int, int]] = []
    weights: list[int] = []
    count = 0
    for cluster in sorted(members):
        inside = members[cluster]
        if len(inside) < 2:
            continue
        top, bottom = base + count, base + count + 1
        count += 2
        links += [(top, v) for v in inside] + [(v, bottom) for v in inside] + [(top, bottom)]
        weights += [0] * (2 * len(inside)) + [_SPAN_WEIGHT]
    return Spans(links, weights, count)


class Anchors(Record):
    """Every edge as a pair of nodes, and which node stands for each cluster end."""

    links: list[tuple[int, int]]
    flipped: list[bool]  # per edge: whether the layout draws it upward
    ends: dict[tuple[int, int], int]  # (edge, 0 source / 1 target) -> the member standing for the cluster


def anchor(
    links: Sequence[tuple[int, int]],
    flipped: Sequence[bool],
    ranks: Sequence[int],
    group: Sequence[int],
    enclosing: Sequence[int],
) -> Anchors:
    """Attach every cluster end to a member on the cluster's rank facing the other end."""
    if all(s >= 0 and t >= 0 for s, t in links):
        return Anchors(list(links), list(flipped), {})
    members = _members(group, enclosing)
    span = {c: (min(ranks[v] for v in vs), max(ranks[v] for v in vs)) for c, vs in members.items()}
    out = Anchors([], [], {})
    for index, (s, t) in enumerate(links):
        if s >= 0 and t >= 0:
            out.links.append((s, t))
            out.flipped.append(flipped[index])
            continue
        some = s if s >= 0 else t if t >= 0 else 0
        if (s < 0 and -1 - s not in span) or (t < 0 and -1 - t not in span) or _inside(s, t, group, enclosing):
            out.links.append((some, some))  # left out, like a loop
            out.flipped.append(False)
            continue
        lo_s, hi_s = (ranks[s], ranks[s]) if s >= 0 else span[-1 - s]
        lo_t, hi_t = (ranks[t], ranks[t]) if t >= 0 else span[-1 - t]
        if hi_s < lo_t:  # downward: leave from the source's last rank, arrive on the target's first
            at_s, at_t = hi_s, lo_t
        elif hi_t < lo_s:
            at_s, at_t = lo_s, hi_t
        else:  # the ends share ranks: no layered route
            out.links.append((some, some))
            out.flipped.append(False)
            continue
        pair = []
        for end, (side, at) in enumerate(((s, at_s), (t, at_t))):
            if side >= 0:
                pair.append(side)
                continue
            facing = [v for v in members[-1 - side] if ranks[v] == at]
            node = facing[(len(facing) - 1) // 2]  # the middle one, in input order
            out.ends[(index, end)] = node
            pair.append(node)
        out.links.append((pair[0], pair[1]))
        out.flipped.append(at_s > at_t)
    return out


def caption_rank(cluster: int, ranks: Sequence[int], group: Sequence[int], enclosing: Sequence[int], last: bool) -> int:
    """The first (or ``last``) rank holding a node of ``cluster``."""
    inside = [ranks[v] for v in range(len(group)) if holds(cluster, group[v], enclosing)]
    return max(inside) if last else min(inside)


def shared_captions(
    captions: Mapping[str, tuple[float, float]],
    cluster_of: Mapping[str, int],
    ranks: Sequence[int],
    group: Sequence[int],
    enclosing: Sequence[int],
    last: bool,
) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
    """The captions that keep a node of their own (each as wide as any it hosts), and the clusters
    that share a nested one's (cluster -> host): a captioned cluster whose caption rank is also a
    captioned cluster's nested in it, the first such host in description order."""
    known = sorted((cluster_of[name], name) for name in captions if name in cluster_of)
    rank_of = {name: caption_rank(c, ranks, group, enclosing, last) for c, name in known}

    def depth(cluster: int) -> int:
        level = 0
        while enclosing[cluster] >= 0:
            cluster, level = enclosing[cluster], level + 1
        return level

    host: dict[str, str] = {}
    for c, name in sorted(known, key=lambda item: -depth(item[0])):  # innermost first: hosts are final
        inner = [m for d, m in known if m != name and m not in host and d != c and holds(c, d, enclosing)]
        same = [m for m in inner if rank_of[m] == rank_of[name]]
        if same:
            host[name] = same[0]
    kept = {name: size for name, size in captions.items() if name not in host}
    for name, to in host.items():
        width, height = kept[to]
        kept[to] = (max(width, captions[name][0]), max(height, captions[name][1]))
    return kept, host
