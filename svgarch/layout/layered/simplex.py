"""Network simplex: shorten the edges of a feasible layering.

Gansner, Koutsofios, North, Vo (1993), §2.3, with the incremental updates of
dot's ``ns.c``: a tight spanning tree is grown from the given ranks (here
with two heaps, so that joining a tight component costs O(log E) per edge);
then, while some tree edge has a negative cut value, it leaves the tree and
the non-tree edge of least slack across the cut enters. Only the moved
subtree is re-ranked, only the tree path between the entering edge's ends
gets new cut values, and the low/lim numbering is redone below their lowest
common ancestor, skipping untouched subtrees. The search for the entering
edge walks the smaller side of the cut.

Pre: ``rank`` satisfies ``rank[h] - rank[t] >= minlen`` for every edge
(minimum lengths may be 0 or negative); a graph that is not connected is
left as it is.
Post: ``rank`` still satisfies every constraint; the total edge length is
minimal unless ``max_pivots`` stopped the pivots early.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from itertools import chain

__all__ = ["network_simplex"]

_SEARCH_SIZE = 30  # negative cut values compared per leaving-edge search, as dot


def network_simplex(
    node_count: int,
    tails: Sequence[int],
    heads: Sequence[int],
    minlens: Sequence[int],
    rank: list[int],
    *,
    max_pivots: int,
    weights: Sequence[int] | None = None,
) -> int:
    """Improve ``rank`` in place (least total length, each edge's times its weight, default 1);
    returns the number of pivots made."""
    if node_count < 2 or not tails:
        return 0
    outgoing: list[list[int]] = [[] for _ in range(node_count)]
    incoming: list[list[int]] = [[] for _ in range(node_count)]
    for e, (t, h) in enumerate(zip(tails, heads, strict=True)):
        outgoing[t].append(e)
        incoming[h].append(e)
    in_tree = _tight_tree(node_count, tails, heads, minlens, rank, outgoing, incoming)
    if in_tree is None:
        return 0
    tree = _Tree(node_count, tails, heads, minlens, rank, outgoing, incoming, in_tree, weights)
    return tree.optimise(max_pivots)


def _tight_tree(
    node_count: int,
    tails: Sequence[int],
    heads: Sequence[int],
    minlens: Sequence[int],
    rank: list[int],
    outgoing: list[list[int]],
    incoming: list[list[int]],
) -> list[bool] | None:
    """Grow a spanning tree of tight edges, shifting the tree onto the nearest node.

    Tree nodes store ``rank - shift`` while the tree grows, so shifting the
    whole tree is one addition; heaps keyed independently of the shift give
    the least-slack edge leaving the tree.
    """
    in_tree_node = [False] * node_count
    tree_edge = [False] * len(tails)
    shift = 0
    leaving_down: list[tuple[int, int]] = []  # tree → outside, slack = key - shift
    leaving_up: list[tuple[int, int]] = []  # outside → tree, slack = key + shift
    size = 0

    def join(start: int) -> None:
        nonlocal size
        in_tree_node[start] = True
        rank[start] -= shift
        size += 1
        stack = [start]
        while stack:
            v = stack.pop()
            for e in outgoing[v]:
                w = heads[e]
                if in_tree_node[w]:
                    continue
                if rank[w] - rank[v] - shift == minlens[e]:
                    in_tree_node[w] = True
                    tree_edge[e] = True
                    rank[w] -= shift
                    size += 1
                    stack.append(w)
                else:
                    heapq.heappush(leaving_down, (rank[w] - rank[v] - minlens[e], e))
            for e in incoming[v]:
                w = tails[e]
                if in_tree_node[w]:
                    continue
                if rank[v] + shift - rank[w] == minlens[e]:
                    in_tree_node[w] = True
                    tree_edge[e] = True
                    rank[w] -= shift
                    size += 1
                    stack.append(w)
                else:
                    heapq.heappush(leaving_up, (rank[v] - rank[w] - minlens[e], e))

    join(0)
    while size < node_count:
        while leaving_down and in_tree_node[heads[leaving_down[0][1]]]:
            heapq.heappop(leaving_down)
        while leaving_up and in_tree_node[tails[leaving_up[0][1]]]:
            heapq.heappop(leaving_up)
        down = leaving_down[0][0] - shift if leaving_down else None
        up = leaving_up[0][0] + shift if leaving_up else None
        if down is None and up is None:
            return None  # not connected
        if up is None or (down is not None and down <= up):
            assert down is not None
            _, e = heapq.heappop(leaving_down)
            shift += down
            tree_edge[e] = True
            join(heads[e])
        else:
            _, e = heapq.heappop(leaving_up)
            shift -= up
            tree_edge[e] = True
            join(tails[e])
    for v in range(node_count):
        rank[v] += shift
    return tree_edge


class _Tree:
    """A feasible spanning tree with cut values and a low/lim numbering."""

    def __init__(
        self,
        node_count: int,
        tails: Sequence[int],
        heads: Sequence[int],
        minlens: Sequence[int],
        rank: list[int],
        outgoing: list[list[int]],
        incoming: list[list[int]],
        tree_edge: list[bool],
        weights: Sequence[int] | None = None,
    ) -> None:
        self.tails, self.heads, self.minlens, self.rank = tails, heads, minlens, rank
        self.weights = [1] * len(tails) if weights is None else weights
        self.outgoing, self.incoming = outgoing, incoming
        self.tree_edge = tree_edge
        self.edges = [e for e, inside in enumerate(tree_edge) if inside]  # slots keep their index
        self.slot = {e: i for i, e in enumerate(self.edges)}
        self.adjacent: list[list[int]] = [[] for _ in range(node_count)]
        for e in self.edges:
            self.adjacent[tails[e]].append(e)
            self.adjacent[heads[e]].append(e)
        self.parent_edge = [-1] * node_count
        self.low = [0] * node_count
        self.lim = [0] * node_count
        self.by_lim = [0] * (node_count + 1)
        self.cut = [0] * len(tails)
        self.cursor = 0
        self._number(0, -1, 1)
        for child in self.by_lim[1:node_count]:  # in postorder, the root (last) aside
            self._cut_value(child)

    def _other(self, e: int, v: int) -> int:
        return self.heads[e] if self.tails[e] == v else self.tails[e]

    def _number(self, root: int, parent_edge: int, first: int, changed: Sequence[int] = ()) -> None:
        """low/lim in postorder for the subtree of ``root`` (``by_lim``: the nodes by lim number).

        A child subtree keeps its numbers, unvisited, when it hangs from the
        same edge, starts at the same number and holds none of the
        ``changed`` old lim numbers (as dot's incremental ``dfs_range``).
        """
        # the lists looked up once (a renumbering walks thousands of tree nodes on a large graph)
        parent, low_of, lim_of, by_lim = self.parent_edge, self.low, self.lim, self.by_lim
        adjacent, tails, heads = self.adjacent, self.tails, self.heads
        parent[root] = parent_edge
        low_of[root] = first
        stack = [(root, iter(adjacent[root]))]  # each node with its tree edges yet to walk
        counter = first
        while stack:
            v, around = stack[-1]
            for e in around:
                if e == parent[v]:
                    continue
                w = heads[e] if tails[e] == v else tails[e]  # as _other
                if parent[w] == e and low_of[w] == counter:
                    low, lim = counter, lim_of[w]
                    for number in changed:  # (a loop, not any(): this runs once per tree node kept)
                        if low <= number <= lim:
                            break
                    else:
                        counter = lim + 1
                        continue
                parent[w] = e
                low_of[w] = counter
                stack.append((w, iter(adjacent[w])))
                break
            else:
                stack.pop()
                lim_of[v] = counter
                by_lim[counter] = v
                counter += 1

    def _cut_value(self, child: int) -> None:
        parent_edge = self.parent_edge[child]
        child_is_tail = self.tails[parent_edge] == child
        weights = self.weights
        value = weights[parent_edge]
        for edges, is_out in ((self.outgoing[child], True), (self.incoming[child], False)):
            for e in edges:
                if e == parent_edge:
                    continue
                towards_head = is_out == child_is_tail
                value += weights[e] if towards_head else -weights[e]
                if self.tree_edge[e]:
                    value += -self.cut[e] if towards_head else self.cut[e]
        self.cut[parent_edge] = value

    def optimise(self, max_pivots: int) -> int:
        pivots = 0
        while pivots < max_pivots:
            leaving = self._leaving_edge()
            if leaving < 0:
                break
            entering = self._entering_edge(leaving)
            if entering < 0:
                break
            self._exchange(leaving, entering)
            pivots += 1
        return pivots

    def _leaving_edge(self) -> int:
        """A tree edge of negative cut value, the least of the next few (dot's ``leave_edge``)."""
        found, found_cut, seen = -1, 0, 0
        edges, cut, cursor = self.edges, self.cut, self.cursor
        count = len(edges)
        for step, e in enumerate(chain(edges[cursor:], edges[:cursor])):  # from the cursor round
            value = cut[e]
            if value < 0:
                if found < 0 or value < found_cut:
                    found, found_cut = e, value
                seen += 1
                if seen >= _SEARCH_SIZE:
                    self.cursor = (cursor + step) % count
                    return found
        return found

    def _entering_edge(self, leaving: int) -> int:
        """The least-slack edge from the head side of ``leaving`` to its tail side."""
        tails, heads, lim_of, by_lim = self.tails, self.heads, self.lim, self.by_lim
        tail, head = tails[leaving], heads[leaving]
        below = tail if lim_of[tail] < lim_of[head] else head
        low, lim = self.low[below], lim_of[below]
        # Crossing edges run out of the subtree when it holds the head, into it otherwise.
        out_of_subtree = below == head
        inside = range(low, lim + 1)
        walk_inside = 2 * len(inside) <= len(by_lim)
        numbers = inside if walk_inside else chain(range(1, low), range(lim + 1, len(by_lim)))
        best, best_slack = -1, 0
        rank, minlens, tree_edge = self.rank, self.minlens, self.tree_edge
        use_out = out_of_subtree == walk_inside
        links, far = (self.outgoing, heads) if use_out else (self.incoming, tails)
        for number in numbers:
            for e in links[by_lim[number]]:
                if (low <= lim_of[far[e]] <= lim) == walk_inside or tree_edge[e]:
                    continue
                slack = rank[heads[e]] - rank[tails[e]] - minlens[e]
                if best < 0 or slack < best_slack:
                    best, best_slack = e, slack
                    if slack == 0:
                        return best
        return best

    def _exchange(self, leaving: int, entering: int) -> None:
        tails, heads, rank = self.tails, self.heads, self.rank
        slack = rank[heads[entering]] - rank[tails[entering]] - self.minlens[entering]
        tail, head = tails[leaving], heads[leaving]
        changed = [self.lim[v] for v in (tail, head, tails[entering], heads[entering])]
        if slack:
            below, delta = (tail, slack) if self.lim[tail] < self.lim[head] else (head, -slack)
            for number in range(self.low[below], self.lim[below] + 1):
                rank[self.by_lim[number]] -= delta
        cut = self.cut[leaving]
        lca = self._update_path(tails[entering], heads[entering], cut, True)
        self._update_path(heads[entering], tails[entering], cut, False)
        self.cut[entering] = -cut
        self.cut[leaving] = 0
        self.tree_edge[leaving] = False
        self.tree_edge[entering] = True
        self.adjacent[tail].remove(leaving)
        self.adjacent[head].remove(leaving)
        self.adjacent[tails[entering]].append(entering)
        self.adjacent[heads[entering]].append(entering)
        index = self.slot.pop(leaving)
        self.edges[index] = entering
        self.slot[entering] = index
        self._number(lca, self.parent_edge[lca], self.low[lca], changed)

    def _update_path(self, v: int, w: int, cut: int, forward: bool) -> int:
        """Adjust cut values from ``v`` up to the common ancestor with ``w`` (dot's ``treeupdate``)."""
        while not (self.low[v] <= self.lim[w] <= self.lim[v]):
            e = self.parent_edge[v]
            if (v == self.tails[e]) == forward:
                self.cut[e] += cut
            else:
                self.cut[e] -= cut
            v = self._other(e, v)
        return v
