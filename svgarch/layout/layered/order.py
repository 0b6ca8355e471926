"""Phase 4 — order the nodes within each layer to reduce edge crossings.

Follows dot's ``mincross`` (Gansner, Koutsofios, North, Vo 1993, §3): an
initial order from a search of the graph, then alternating downward and
upward sweeps that re-sort each layer against the layer just placed, each
followed by adjacent transpositions while they remove crossings (with
dot's alternation of tie-breaking and of plateau-walking "reverse"
passes); the best order seen is kept. Three measured departures make it
both better and cheap enough for CPython:

* the sort key is the barycenter (Sugiyama, Tagawa, Toda 1981) damped
  towards the node's current slot, ``a * barycenter + (1 - a) * slot``
  (a = 1 for the first two sweeps, then 0.5), so a sweep perturbs the
  transposed order instead of undoing it (about 10 % fewer crossings on
  random DAGs); nodes without neighbours on the fixed side keep their slot;
* equal barycenters (the children of one parent, a cluster's members
  fed alike) sort by the input order, a dummy or label node as the real
  nodes its edge reaches, and against it every other two sweeps (dot's
  alternation of ties): a nudge far below any difference of barycenters;
* plateau-walking transposition rounds stop once a round gains less than
  a tenth of the first round (their long tail costs much and gains little);
* graphs of up to ``_SMALL`` layout nodes race three starting orders for
  ``_HEAT`` sweeps and continue with the best (a start that reaches no
  crossing ends the race at once; a heat that comes to an order an earlier
  one had at the same point of the same sweep takes that one's outcome
  instead of sweeping on: on the batch descriptions the later heats nearly
  always meet the first within their first sweep); larger ones sweep from
  one start and give up after ``_LARGE_PATIENCE`` sweeps without a better
  order (at N = 1000 random DAGs, 45 % less time for 3 % more crossings),
  but with clusters (a hand-drawn picture: generated graphs have none) the
  other two starts race too, and the fewest crossings win (ride_hailing's
  order: 50 -> 26 crossings, from the depth-first start);
  any search stops when an order comes back at the same phase of the
  sweeps, and sorts and passes of transpositions that changed nothing are
  not made again on the same orders by any search of the graph;
* graphs of ``_MANY_BLOCKS`` real nodes or more (generated graphs: no
  hand-drawn diagram comes near) sweep from one start, as large ones do,
  for at most ``_MANY_SWEEPS`` sweeps with a tighter plateau stop
  (``_MANY_PLATEAU_STOP``): the sweeps after the sixth gain a few percent
  and cost as much as the first six (random DAGs, three seeds each:
  N = 1000, order 85-106 -> 46-53 ms CPU for 3-8 % more crossings, still
  9-18 % fewer than dot's; N = 3000, 374-423 -> 187-220 ms for 4 % more,
  24-28 % fewer than dot's; N = 500, -1 % to +4 %, fewer than dot's; area
  within 1 %);
* graphs of ``_BIG`` layout nodes or more (dummies included) are tidied
  in one pass and their twins left as the sweeps put them: neither changes
  a crossing count (random DAGs, ordering CPU measured alternately: N = 1000,
  five seeds, 21-27 % less; N = 3000, two seeds, 25 % less; drawn
  crossings the same within 0.3 %);
* layers that edges only pass through (dummies, label nodes half-way) are
  left out and sorted back in afterwards (``through``): the same crossings,
  and at N = 1000 with a label node per edge 40 % less time.

Clusters and flat edges (``units``): a layer is a tree of units; a cluster
moves as one unit in every layer, its members sorted inside it, in the
order its siblings have in the layer just placed; nodes joined by flat
edges move as a chain. Transpositions swap neighbouring sibling units.
Last, two sibling clusters that stand side by side trade places in all the
layers they share where that removes crossings (``frames``), and the sweeps
go on from there.

Pre: a LayerGraph whose links join consecutive layers, with its border
nodes (phase 3b).
Post: one list per layer holding all its nodes; every cluster contiguous
between its borders and in one order with its siblings in all layers they
share; every flat-edge chain contiguous; no more crossings than the
initial order. Deterministic.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from collections.abc import Hashable, Sequence

from svgarch.record import Record

from . import frames, through, tidy, twins, units
from .clusters import Nesting, nesting
from .graph import LayerGraph
from .units import _Unit

__all__ = ["initial_order", "inputs", "run", "total_crossings"]

_SWEEPS = 24
_PATIENCE = 8  # sweeps without a strictly better order before giving up
_DAMPING = 0.5
_PLATEAU_STOP = 0.1
_SMALL = 500  # layout nodes (dummies included) up to which three starts race
_LARGE_PATIENCE = 3  # above: each sweep costs much, the best order is within a few percent after ten
_MANY_BLOCKS = 400  # real nodes (blocks, label nodes) from which the effort is capped; drawn by hand: < 100
_MANY_SWEEPS = 6  # the cap: this many sweeps at most
_MANY_PLATEAU_STOP = 0.25  # and plateau walks stop once a round gains less than a quarter of the first
# Layout nodes (dummies included) from which the order is only lightly tidied: ``tidy`` makes one pass instead
# of up to ``tidy._PASSES`` and ``twins`` is skipped. Generated graphs only: no example, corpus, held-out or
# batch description comes above 733 (random DAGs: N = 300 has about 350, N = 1000 about 1,180). At N = 1000
# the later passes and the twins, which change no crossing count, cost about a third of the ordering.
_BIG = 900
_BREADTH_FIRST: dict[str, bool] = {}
_FROM_BOTTOM = {"from_bottom": True}
_DEPTH_FIRST = {"depth_first": True}
_FRAME_ROUNDS = 4  # frames swapped, then swept again, at most this many times
_HEAT = 4  # sweeps each start gets in the race
_NUDGE = 1e-7  # the largest tie-breaking offset of a sort key (barycenters differ by far more)


def run(graph: LayerGraph, *, sweeps: int = _SWEEPS) -> list[list[int]]:
    """Layers of ``graph`` as ordered lists of its nodes, fewest crossings first, then the input order
    wherever it costs no crossing (``twins``, then ``tidy``). It reads only what ``inputs`` lists."""
    layers = _least_crossings(graph, sweeps)
    if graph.count >= _BIG:
        tidy.run(graph, layers, passes=1)
        return layers
    twins.run(graph, layers)
    tidy.run(graph, layers)
    return layers


def inputs(graph: LayerGraph) -> Hashable:
    """All that ``run`` reads of ``graph``: graphs with equal inputs get the same order."""
    return (
        graph.real_count,
        tuple(graph.layer),
        tuple(graph.group),
        tuple(map(tuple, graph.up)),
        tuple(map(tuple, graph.down)),
        tuple(graph.parent),
        tuple(graph.side),
        tuple(graph.flat),
        frozenset(graph.leading),
        frozenset(graph.free),
    )


def _least_crossings(graph: LayerGraph, sweeps: int) -> list[list[int]]:
    """Layers of ``graph`` as ordered lists of its nodes, by crossing reduction alone.

    Small graphs race three starting orders (breadth-first from the top and
    from the bottom, depth-first from the top) for a few sweeps, and the
    best goes on; large ones start from the first only. Layers that edges
    only pass through are ordered last, by where their edges run.
    """
    passing = through.passing_layers(graph)
    if any(passing):
        smaller, kept = through.contract(graph, passing)
        layers = through.expand(graph, passing, kept, _least_crossings(smaller, sweeps))
        start = initial_order(graph)  # the search began elsewhere: keep the promise of the post-condition
        mine, theirs = (total_crossings(ls, _positions(graph.count, ls), graph.down) for ls in (layers, start))
        return start if theirs < mine else layers
    nest = nesting(graph)
    ground = _Ground(graph, nest, *_with_borders(graph, nest), _nudges(graph), set(), set())
    if graph.real_count >= _MANY_BLOCKS:
        capped = min(sweeps, _MANY_SWEEPS)
        return _search(ground, initial_order(graph, nest=nest), 0, capped, _LARGE_PATIENCE, _MANY_PLATEAU_STOP)[0]
    if graph.count > _SMALL:
        found = _search(ground, initial_order(graph, nest=nest), 0, sweeps, _LARGE_PATIENCE)
        if not nest.trivial:  # a hand-drawn picture with frames: the race's other starts too, where they do better
            raced = _race(ground, (_FROM_BOTTOM, _DEPTH_FIRST), sweeps, _LARGE_PATIENCE)
            found = raced if raced[1] < found[1] else found
        return _frames_swapped(ground, *found, _LARGE_PATIENCE)
    return _frames_swapped(ground, *_race(ground, (_BREADTH_FIRST, _FROM_BOTTOM, _DEPTH_FIRST), sweeps, _PATIENCE))


def _race(
    ground: _Ground, starts: Sequence[dict[str, bool]], sweeps: int, patience: int
) -> tuple[list[list[int]], int]:
    """The ``starts`` race for ``_HEAT`` sweeps each and the leader sweeps on (``sweeps`` in all): the best
    order seen, and its crossings."""
    graph, nest = ground.graph, ground.nest
    heats: list[tuple[list[list[int]], int]] = []
    reached: _Reached = {}
    for how in starts:
        start, trees = _initial_order(graph, nest, **how)
        heats.append(_search(ground, start, 0, _HEAT, patience, reached=reached, trees=trees))
        if heats[-1][1] == 0:  # no start can do better: the race and the sweeps after it are decided
            return heats[-1]
    leader, crossings = min(heats, key=lambda heat: heat[1])
    final, final_crossings = _search(ground, [layer[:] for layer in leader], _HEAT, sweeps, patience)
    return (final, final_crossings) if final_crossings < crossings else (leader, crossings)


def _frames_swapped(
    ground: _Ground, layers: list[list[int]], crossings: int, patience: int = _PATIENCE
) -> list[list[int]]:
    """``layers`` (with ``crossings``) after whole frames are swapped past each other where that removes
    crossings (``frames.swap``), each time followed by sweeps from there; the best order seen."""
    graph, nest = ground.graph, ground.nest
    if nest.trivial or not nest.span or crossings == 0:
        return layers
    for _ in range(_FRAME_ROUNDS):
        trial = [layer[:] for layer in layers]
        pos = _positions(graph.count, trial)
        if not frames.swap(graph, nest, trial, pos, _gap_crossings):
            break
        swept, swept_crossings = _search(ground, trial, 2, _SWEEPS, patience)
        if swept_crossings >= crossings:
            break
        layers, crossings = swept, swept_crossings
    return layers


# Per state a heat reached (the order at the start of a sweep, or once the sweep has sorted its layers): the
# fewest crossings it counted from there on, and the first order that had them. A heat that reaches the same
# state would go on exactly as that one did: the sweeps are a function of the order and the sweep's number,
# and a heat stops only at its last sweep (``_HEAT`` sweeps are fewer than ``_PATIENCE`` and than a cycle,
# which takes more than four).
_Order = tuple[tuple[int, ...], ...]  # layers, frozen
_State = tuple[int, bool, _Order]  # a sweep's number, whether its layers are sorted yet, the order
_Reached = dict[_State, tuple[int, _Order]]


class _Ground(Record):
    """What every search of one graph shares: its nesting, links up and down for keys, tie-breaking nudges,
    and the sorts and passes of transpositions found to change nothing."""

    graph: LayerGraph
    nest: Nesting
    above: list[list[int]]
    below: list[list[int]]
    nudge: list[float]
    # (layer, fixed layer, sweep's phase (ties to the right, undamped), the layer's order and the fixed one's)
    # of each sort of a layer that left it as it was: a sort is a function of these, so it would leave it again
    settled: set[tuple[int, int, bool, bool, tuple[int, ...], tuple[int, ...]]]
    still: set[units.Still]  # the passes of transpositions found to change nothing (``units.Forest``)


def _search(
    ground: _Ground,
    layers: list[list[int]],
    first: int,
    last: int,
    patience: int = _PATIENCE,
    plateau_stop: float = _PLATEAU_STOP,
    reached: _Reached | None = None,
    trees: list[_Unit] | None = None,
) -> tuple[list[list[int]], int]:
    """Sweeps ``first .. last - 1`` with transpositions from ``layers``: the best order seen and its crossings
    (giving up after ``patience`` sweeps without a better one).

    With ``reached`` (a race's heats only), a search that comes to an order an earlier one had at the same
    sweep takes that one's outcome from there instead of sweeping again, and adds its own orders. ``trees``:
    the layers' trees of units, if ``initial_order`` made them."""
    graph, nest, above, below, nudge, settled, still = ground
    pos = _positions(graph.count, layers)
    forest = None if nest.trivial else units.Forest(layers, graph, nest, trees, still)
    keys = [0.0] * graph.count  # per node: its sort key in the sweep's current layer
    best = [layer[:] for layer in layers]
    counted: list[tuple[list[int], list[int], int] | None] = [None] * len(layers)
    best_crossings = _crossings(layers, pos, graph.down, counted)
    stale = 0
    # A sweep is a function of the order it starts from and of its number modulo 4 (from sweep 2 on, when
    # the damping is fixed): once an order comes back at the same phase, the sweeps go round a cycle whose
    # every order has been counted, and nothing better can come.
    seen: set[tuple[int, _Order]] = set()
    trail: list[tuple[_State, int | None]] = []  # the states this search reached, with their crossings if counted
    crossings = best_crossings
    for sweep in range(first, last + 1):
        if reached is not None:
            state = (sweep, False, tuple(map(tuple, layers)))
            if state in reached:
                return _join(reached, trail, state, best, best_crossings)
            trail.append((state, crossings))
        if best_crossings == 0 or sweep == last:
            break
        if sweep >= 2:
            phase = (sweep % 4, tuple(map(tuple, layers)))
            if phase in seen:
                break
            seen.add(phase)
        reverse = sweep % 4 >= 2  # ties break the other way every two sweeps, as in dot
        damping = 1.0 if sweep < 2 else _DAMPING
        downward = sweep % 2 == 0
        neighbours = above if downward else below
        for index in range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1):
            fixed = index - 1 if downward else index + 1
            layer = layers[index]
            sort = (index, fixed, reverse, sweep < 2, tuple(layer), tuple(layers[fixed]))
            if sort in settled:
                continue
            _keys(layer, len(layers[fixed]), neighbours, pos, damping, nudge, reverse, keys)
            if not _sort_layer(layers, index, keys, forest, fixed, pos, reverse):
                settled.add(sort)
        if reached is not None:
            state = (sweep, True, tuple(map(tuple, layers)))
            if state in reached:
                return _join(reached, trail, state, best, best_crossings)
            trail.append((state, None))
        _transpose(layers, forest, graph, pos, not reverse, plateau_stop)
        crossings = _crossings(layers, pos, graph.down, counted)
        if crossings < best_crossings:
            best = [layer[:] for layer in layers]
            best_crossings = crossings
            stale = 0
        else:
            stale += 1
            if stale >= patience:
                break
    if reached is not None:
        _remember(reached, trail, crossings, tuple(map(tuple, layers)))
    return best, best_crossings


def _join(
    reached: _Reached,
    trail: Sequence[tuple[_State, int | None]],
    state: _State,
    best: list[list[int]],
    best_crossings: int,
) -> tuple[list[list[int]], int]:
    """The outcome of a search that came to ``state`` of ``reached`` (its best order so far ``best``), and
    its ``trail`` remembered."""
    fewest, order = reached[state]
    _remember(reached, trail, fewest, order)
    return (list(map(list, order)), fewest) if fewest < best_crossings else (best, best_crossings)


def _remember(
    reached: _Reached,
    trail: Sequence[tuple[_State, int | None]],
    fewest: int,
    order: _Order,
) -> None:
    """Into ``reached``, per state of ``trail`` (earliest first), the fewest crossings from there on and the
    first order that had them, given those after the trail's end (``fewest``, ``order``)."""
    for state, crossings in reversed(trail):
        if crossings is not None and crossings <= fewest:
            fewest, order = crossings, state[2]
        reached[state] = (fewest, order)


def initial_order(
    graph: LayerGraph, *, from_bottom: bool = False, depth_first: bool = False, nest: Nesting | None = None
) -> list[list[int]]:
    """Nodes in the order a search over all links meets them (dot's ``build_ranks``).

    Breadth-first by default, starting from the leftmost node of the top
    layer (or of the bottom layer); clusters and chains are then gathered
    (``nest``: the graph's, when the caller has it).
    """
    return _initial_order(graph, nesting(graph) if nest is None else nest, from_bottom, depth_first)[0]


def _initial_order(
    graph: LayerGraph, nest: Nesting, from_bottom: bool = False, depth_first: bool = False
) -> tuple[list[list[int]], list[_Unit] | None]:
    """``initial_order``, and the layers' trees of units for a ``units.Forest`` (None without clusters or chains)."""
    layers: list[list[int]] = [[] for _ in range(graph.layer_count)]
    seen = [False] * graph.count
    # by layer, from the top (or the bottom), and within a layer by number (the sort is stable either way)
    for start in sorted(range(graph.count), key=graph.layer.__getitem__, reverse=from_bottom):
        if seen[start]:
            continue
        seen[start] = True
        frontier = deque([start])
        while frontier:
            node = frontier.pop() if depth_first else frontier.popleft()
            layers[graph.layer[node]].append(node)
            around = graph.up[node] + graph.down[node] if from_bottom else graph.down[node] + graph.up[node]
            for neighbour in reversed(around) if depth_first else around:
                if not seen[neighbour]:
                    seen[neighbour] = True
                    frontier.append(neighbour)
    if nest.trivial:
        return layers, None
    # gather clusters and chains, in one order of sibling clusters from the top down
    for layer in layers:
        _input_order_when_free(layer, graph)
    pos = [0] * graph.count
    trees: list[_Unit] = []
    for index, layer in enumerate(layers):
        keys = [float(slot) for slot in range(len(layer))]
        layer[:], tree = units.arrange(layer, keys, graph, nest, index - 1, pos, 1)
        trees.append(tree)
        for slot, node in enumerate(layer):
            pos[node] = slot
    return layers, trees


def _input_order_when_free(layer: list[int], graph: LayerGraph) -> None:
    """A cluster's blocks in this layer in input order, where at most one of them has links.

    The search meets a linked block first and the unlinked ones (a pool of
    workers an edge to the group reaches through its middle block) later;
    their order then changes no crossing, so input order decides, as in
    dot's ``install_cluster``, and the middle block is drawn in the middle.
    """
    members: dict[int, list[int]] = {}
    for slot, v in enumerate(layer):
        if v < graph.real_count and graph.group[v] >= 0 and v not in graph.leading:  # captions stay first
            members.setdefault(graph.group[v], []).append(slot)
    for slots in members.values():
        nodes = [layer[slot] for slot in slots]
        if sum(1 for v in nodes if graph.up[v] or graph.down[v]) <= 1:
            for slot, v in zip(slots, sorted(nodes), strict=True):
                layer[slot] = v


def total_crossings(layers: Sequence[Sequence[int]], pos: Sequence[int], down: Sequence[Sequence[int]]) -> int:
    """Crossings of the whole drawing for the current positions."""
    return sum(_gap_crossings(upper, pos, down) for upper in layers[:-1])


def _crossings(
    layers: Sequence[list[int]],
    pos: Sequence[int],
    down: Sequence[Sequence[int]],
    counted: list[tuple[list[int], list[int], int] | None],
) -> int:
    """``total_crossings``, counting again only between layers whose order is not the one in ``counted``
    (per gap: the two orders last counted and their crossings), which it updates."""
    total = 0
    for index in range(len(layers) - 1):
        upper, lower = layers[index], layers[index + 1]
        known = counted[index]
        if known is not None and known[0] == upper and known[1] == lower:
            total += known[2]
            continue
        count = _gap_crossings(upper, pos, down)
        counted[index] = (upper[:], lower[:], count)
        total += count
    return total


def _gap_crossings(upper: Sequence[int], pos: Sequence[int], down: Sequence[Sequence[int]]) -> int:
    """Crossings between the layer ``upper`` and the next.

    Counts the same inversions as ``crossings.inversions`` (Barth, Jünger,
    Mutzel) but with ``bisect`` on a sorted list, whose search and insertion
    run in C: measured four times faster in CPython for layers of tens to
    hundreds of links, although the insertion is linear in the worst case.
    """
    total = 0
    seen: list[int] = []
    for node in upper:
        below = down[node]
        if len(below) == 1:  # the common case, without a list of one
            target = pos[below[0]]
            slot = bisect_right(seen, target)
            total += len(seen) - slot
            seen.insert(slot, target)
            continue
        if not below:
            continue
        for target in sorted([pos[w] for w in below]):
            slot = bisect_right(seen, target)
            total += len(seen) - slot
            seen.insert(slot, target)
    return total


def _nudges(graph: LayerGraph) -> list[float]:
    """Per node, a sort-key offset far below any difference of barycenters, rising with the input order,
    so that nodes of equal barycenter sort as the author listed them.

    A dummy or free node (a label node) counts as the real nodes its edge leads to, below and above.
    """
    free = graph.free

    def passing(v: int) -> bool:
        return (v >= graph.real_count or v in free) and not graph.side[v]

    def end(v: int, links: Sequence[Sequence[int]]) -> int:
        while passing(v) and len(links[v]) == 1:
            v = links[v][0]
        return graph.count if passing(v) or graph.side[v] else v

    places = [(end(v, graph.down), end(v, graph.up)) for v in range(graph.count)]
    ranked = sorted(range(graph.count), key=lambda v: places[v])
    step = _NUDGE / (graph.count + 1)
    nudge = [0.0] * graph.count
    for place, v in enumerate(ranked):
        nudge[v] = place * step
    return nudge


def _positions(count: int, layers: Sequence[Sequence[int]]) -> list[int]:
    pos = [0] * count
    for layer in layers:
        for index, node in enumerate(layer):
            pos[node] = index
    return pos


def _with_borders(graph: LayerGraph, nest: Nesting) -> tuple[list[list[int]], list[list[int]]]:
    """Links up and down, and for keys only, each border node's link to its cluster's border in the next layer.

    So a cluster with nothing but its borders in a layer keeps to where it lies in the layer just placed.
    """
    up, down = list(graph.up), list(graph.down)
    if nest.span:
        border = {(graph.group[v], graph.side[v], graph.layer[v]): v for v in range(graph.count) if graph.side[v]}
        for (cluster, side, layer), v in border.items():
            lower = border.get((cluster, side, layer + 1), -1)
            if lower >= 0:
                down[v], up[lower] = [lower], [v]
    return up, down


def _keys(
    layer: Sequence[int],
    fixed_size: int,
    neighbours: Sequence[Sequence[int]],
    pos: Sequence[int],
    damping: float,
    nudge: Sequence[float],
    reverse: bool,
    keys: list[float],
) -> None:
    """Into ``keys``, per node of ``layer``: its damped barycenter against the fixed layer, scaled to this
    layer's slots, nudged by ``nudge`` (away from it when ``reverse``: dot's alternation of ties, around
    the input order)."""
    scale = damping * len(layer) / fixed_size if fixed_size else 0.0
    keep = 1.0 - damping
    sign = -1.0 if reverse else 1.0
    for slot, node in enumerate(layer):
        around = neighbours[node]
        if not around:
            keys[node] = float(slot) + sign * nudge[node]
        elif len(around) == 1:
            keys[node] = scale * pos[around[0]] + keep * slot + sign * nudge[node]
        else:
            keys[node] = scale * sum([pos[n] for n in around]) / len(around) + keep * slot + sign * nudge[node]


def _sort_layer(
    layers: list[list[int]],
    index: int,
    keys: Sequence[float],
    forest: units.Forest | None,
    fixed: int,
    pos: list[int],
    reverse: bool,
) -> bool:
    """Re-sort layer ``index`` by ``keys`` (per node); ties break to the left, or to the right when ``reverse``.
    Whether its order changed."""
    layer = layers[index]
    if forest is None:  # a stable sort, from the right when ties break to the right
        order = sorted(reversed(layer) if reverse else layer, key=keys.__getitem__)
        if order == layer:
            return False
        layer[:] = order
    elif not forest.sort(layer, index, keys, fixed, pos, -1 if reverse else 1):
        return False
    for slot, node in enumerate(layer):
        pos[node] = slot
    return True


def _transpose(
    layers: list[list[int]],
    forest: units.Forest | None,
    graph: LayerGraph,
    pos: list[int],
    explore: bool,
    plateau_stop: float,
) -> None:
    """Swap neighbours in a layer while that removes crossings (dot's ``transpose``).

    With ``explore``, swaps that keep the count equal are made too, so the
    search walks plateaus; it stops when a round gains little. With
    clusters or flat edges (a ``forest``), the neighbours swapped are units (``units``).
    """
    up, down = graph.up, graph.down
    last = len(layers) - 1
    candidate = [True] * len(layers)
    nothing: list[int] = []
    # per layer, its nodes' neighbour positions above and below, kept while the layer they point into stands
    # still (a pass swaps a layer's own lists along with its nodes): most rounds change few layers
    ups_of: list[list[list[int]] | None] = [None] * len(layers)
    downs_of: list[list[list[int]] | None] = [None] * len(layers)
    first_gain = -1
    improved = True
    while improved:
        improved = False
        gain = 0
        for rank, layer in enumerate(layers):
            if not candidate[rank]:
                continue
            candidate[rank] = False
            count = len(layer)
            if count < 2:
                continue
            if forest is None:
                # Neighbour positions, swapped along with their nodes; the other layers stand still meanwhile.
                ups, downs = ups_of[rank], downs_of[rank]
                if ups is None:
                    ups = ups_of[rank] = [[pos[n] for n in up[v]] for v in layer] if rank > 0 else [nothing] * count
                if downs is None:
                    downs = downs_of[rank] = (
                        [[pos[n] for n in down[v]] for v in layer] if rank < last else [nothing] * count
                    )
                layer_gain, changed = _swap_nodes(layer, pos, ups, downs, explore)
            else:
                layer_gain, changed = forest.transpose(layers, rank, pos, explore)
            gain += layer_gain
            if changed:
                candidate[rank] = True
                if rank > 0:
                    candidate[rank - 1] = True
                    downs_of[rank - 1] = None
                if rank < last:
                    candidate[rank + 1] = True
                    ups_of[rank + 1] = None
        if gain > 0:
            improved = True
            if first_gain < 0:
                first_gain = gain
            elif explore and gain <= first_gain * plateau_stop:
                break


def _swap_nodes(
    layer: list[int], pos: list[int], ups: list[list[int]], downs: list[list[int]], explore: bool
) -> tuple[int, bool]:
    """One left-to-right pass of swaps over ``layer``: (crossings removed, changed)."""
    gain = 0
    changed = False
    for index in range(len(layer) - 1):
        kept = swapped = 0
        for a in ups[index]:
            for b in ups[index + 1]:
                if a > b:
                    kept += 1
                elif a < b:
                    swapped += 1
        for a in downs[index]:
            for b in downs[index + 1]:
                if a > b:
                    kept += 1
                elif a < b:
                    swapped += 1
        if swapped < kept or (explore and kept and swapped == kept):
            left, right = layer[index], layer[index + 1]
            layer[index], layer[index + 1] = right, left
            pos[right], pos[left] = index, index + 1
            ups[index], ups[index + 1] = ups[index + 1], ups[index]
            downs[index], downs[index + 1] = downs[index + 1], downs[index]
            gain += kept - swapped
            changed = True
    return gain, changed
