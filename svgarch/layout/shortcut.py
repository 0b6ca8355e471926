"""Shortcuts: an edge whose drawn route turns much or goes round, searched again as the shortest line
round the obstacles, and kept only where that is plainly better.

The gates an automatic layout keeps for an edge, pulled taut (``direct``), still bend where the gates
step sideways, a side input of a merge node comes down its column and turns in square (``merges``),
and the router's ways (edges among blocks the author placed, or between them and the automatic part)
go square round corners. Here such an edge (turning at least ``TURNS`` quarter turns, or longer than
``DETOUR`` × its ends' distance) is searched again on a visibility graph: its two ports and the
corners of every obstacle (blocks grown by the routing margin, frames' labels, reserved edge labels)
near the straight line between them, with A* for the shortest way (an edge with a label kept on it:
to the label's centre and on). The first leg leaves within about 78° of its side's normal, the last
arrives so too. Each edge the way crosses counts as ``nearness.CROSS`` px of length, so the search
goes round other edges where it can.
The new way replaces the old one only if it turns clearly less (or is clearly shorter) and costs
nothing else: it touches no block, label or furniture the old one did not, crosses no more edges and
no more frame borders, and runs beside no other edge for longer. Where the tightest way is refused, a
way a little farther out from the corners is tried. The arms of a fan (the edges with an end on one
side of a block, up to ``FAN`` of them) are tried together too, their ports there handed out again in
the order of their other ends: one arm alone would cross the others' old ways; where those ways still
go round each other's old routes, they are searched again as if the fan's other arms were gone.

Pre: every edge routed (``RoutedEdge``s), the obstacles indexed. Post: some guided edges re-routed
(between the same ports, or a fan's ports among its arms); every rule above holds for each change.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from svgarch.geometry import Box, Point, segment_hits_box, segments_cross, turning
from svgarch.layout import direct, paths
from svgarch.layout.nearness import Lines, segment_distance
from svgarch.layout.types import RoutedEdge

TURNS = 0.6  # quarter turns from which a route is searched again
DETOUR = 1.3  # ... or drawn length over its ends' distance
BETTER_TURNS = 0.3  # a new way turns at least this much less (quarter turns) ...
LONGER = 1.05  # ... and is at most this much longer; or
SHORTER = 0.9  # it is at most this long, and turns no more
LEAVE_COS = 0.2  # the first leg within about 78° of its side's normal
ARRIVE_COS = 0.2  # the last leg within about 78° of its side's normal too
OFFSETS = (1.0, 9.0)  # px beyond an obstacle's corner its node lies at: the tightest way, then one farther out
CHECKS = 800  # legs one search checks at most
NODES = 400  # corners in one search at most (a bigger search keeps the old way)
FAN = 8  # edges on one side of a block straightened together at most
STRAIGHT = 0.1  # quarter turns: a route turning less is left as it is beside its fan's new ways
FREE = Point(0.0, 0.0)  # no side to leave or arrive by (a label's centre on the way)
LEAD = 16.0  # px: a node this far out from each port along its side's normal
APART = 8.0  # px between two arms of a fan round one corner
HAIR = 1e-6  # px of rounding allowed for where a test that cannot pass is skipped

# ``shortest``'s searches, kept between the routings of one picture (``layout`` routes it twice or more, among
# mostly the same obstacles and edges), by their ends and normals (as written: -0.0 is not 0.0), bound, offset
# and the obstacles near enough to count (in their order): the way found, and each toll asked for with what it
# cost, in the order asked. A search with the same key whose tolls all cost the same again takes the same
# steps in A*, to the same way (``shortest`` asks those tolls again, in that order, before it takes the way).
Paid = list[tuple[Point, Point, float]]  # the tolls a search asked for, in order, with what each cost
Searches = dict[tuple[str, float, float, tuple[Box, ...]], tuple[tuple[Point, ...] | None, Paid]]


def shortest(
    start: Point,
    out_normal: Point,
    end: Point,
    in_normal: Point,
    obstacles: direct.Obstacles,
    skip: frozenset[str],
    bound: float,
    offset: float,
    toll: Callable[[Point, Point], float] | None = None,
    kept: Searches | None = None,
) -> list[Point] | None:
    """The shortest polyline from ``start`` to ``end`` round the obstacles (owners in ``skip`` aside), no
    longer than ``bound``, through corners ``offset`` px out from the obstacles; None if there is none.
    The first leg leaves along ``out_normal``, the last arrives along ``in_normal`` (into the target).
    ``toll(a, b)``, if given, is added to a leg's length as its cost (what crossing other edges costs).
    ``kept``: searches made before (``Searches``), one of them taken again where it is the same search."""
    # every way no longer than ``bound`` lies in the ellipse with foci ``start`` and ``end``, within
    # its half minor axis of the line between them: only obstacles that near can be in its way
    straight = _dist(start, end)
    reach = math.sqrt(max(bound * bound - straight * straight, 0.0)) / 2 + 2 * offset
    # (a box farther along x or y than reach, and a hair for rounding, from the line's box is surely farther)
    x0, x1, y0, y1 = min(start.x, end.x), max(start.x, end.x), min(start.y, end.y), max(start.y, end.y)
    gap = reach + HAIR
    near = [
        box
        for key, box in obstacles.items
        if key not in skip
        and box.x - x1 <= gap
        and x0 - box.right <= gap
        and box.y - y1 <= gap
        and y0 - box.bottom <= gap
        and _near_line(box, start, end) <= reach
    ]
    if kept is None:
        return _search(start, out_normal, end, in_normal, near, bound, offset, toll)
    key = (repr((start, out_normal, end, in_normal)), bound, offset, tuple(near))  # (repr: -0.0 is not 0.0)
    known = kept.get(key)
    if known is not None and (toll is None or all(toll(a, b) == value for a, b, value in known[1])):
        return None if known[0] is None else list(known[0])
    paid: Paid = []
    pay = toll
    if toll is not None:
        charge = toll

        def pay(a: Point, b: Point) -> float:
            value = charge(a, b)
            paid.append((a, b, value))
            return value

    way = _search(start, out_normal, end, in_normal, near, bound, offset, pay)
    kept[key] = (None if way is None else tuple(way), paid)
    return way


def _search(
    start: Point,
    out_normal: Point,
    end: Point,
    in_normal: Point,
    near: list[Box],
    bound: float,
    offset: float,
    toll: Callable[[Point, Point], float] | None,
) -> list[Point] | None:
    """``shortest`` among the obstacles ``near`` its straight line."""
    # by their left sides: past the segment's right end, none further on can be in its way
    sides = sorted(((box.x, box.y, box.right, box.bottom, box) for box in near), key=lambda side: side[0])

    def blocked(a: Point, b: Point) -> bool:
        (ax, ay), (bx, by) = a, b  # min and max as comparisons: what the builtins give, the first of equals
        x0, x1 = (ax if ax <= bx else bx), (ax if ax >= bx else bx)
        y0, y1 = (ay if ay <= by else by), (ay if ay >= by else by)
        for left, top, right, bottom, box in sides:
            if left > x1:
                break
            if x0 < right and y0 < bottom and top <= y1 and segment_hits_box(a, b, box):
                return True
        return False

    def inside(p: Point) -> bool:
        """``blocked(p, p)``: whether ``p`` lies in a box's open interior (segment_hits_box's test for a point)."""
        x, y = p
        for left, top, right, bottom, _ in sides:
            if left > x:
                break
            if left < x < right and top < y < bottom:
                return True
        return False

    inward: dict[Point, Point] = {}  # corner -> the way into its box (a shortest way turns round it that way)
    for box in near:
        for x, sx in ((box.x, -1.0), (box.right, 1.0)):
            for y, sy in ((box.y, -1.0), (box.bottom, 1.0)):
                p = Point(x + sx * offset, y + sy * offset)
                if _dist(p, start) + _dist(p, end) <= bound and not inside(p):
                    inward[p] = Point(0.0, 0.0) if p in inward else Point(-sx, -sy)
    if len(inward) > NODES:
        return None
    for p in (start + out_normal.scale(LEAD), end - in_normal.scale(LEAD)):  # the ports' own stubs
        if p not in (start, end) and not inside(p):
            inward[p] = Point(0.0, 0.0)
    nodes = [start, end, *sorted(inward)]
    turns = [Point(0.0, 0.0), Point(0.0, 0.0), *(inward[p] for p in sorted(inward))]
    rest = [_dist(p, end) for p in nodes]
    count, hypot = len(nodes), math.hypot
    xs, ys = [p.x for p in nodes], [p.y for p in nodes]
    leave, ox, oy = out_normal != FREE, out_normal.x, out_normal.y
    arrive, nx, ny = in_normal != FREE, in_normal.x, in_normal.y
    # lazy A*: a leg is checked (obstacles, then tolls) only when the way through it comes up best
    done = [False] * len(nodes)
    came = [-1] * len(nodes)
    far = [0.0] * len(nodes)  # the length (tolls aside) of the way found to each node
    # (estimate, cost so far, its length, node, from, checked)
    heap: list[tuple[float, float, float, int, int, bool]] = [(rest[0], 0.0, 0.0, 0, -1, True)]
    push, pop = heapq.heappush, heapq.heappop
    checks = 0
    while heap:
        _, g, length, v, u, checked = pop(heap)
        if done[v]:
            continue
        if not checked:
            checks += 1
            if checks > CHECKS:
                return None  # a way this hard to find would hardly be plainly better
            p, q = nodes[u], nodes[v]
            if blocked(p, q):
                continue
            extra = 0.0 if toll is None else toll(p, q)
            if extra > 0:
                push(heap, (g + extra + rest[v], g + extra, length, v, u, True))
                continue
        done[v], came[v], far[v] = True, u, length
        if v == 1:
            out = [end]
            while v != 0:
                v = came[v]
                out.append(nodes[v])
            return out[::-1]
        # the legs on, in plain floats (the same arithmetic as with points, so the same values to the bit)
        px, py = xs[v], ys[v]
        wx, wy = turns[v]
        taut = (wx != 0 or wy != 0) and u >= 0
        if taut:  # a way on from a corner turns round its box (or runs straight on): else a shortcut is shorter
            ix, iy = px - xs[u], py - ys[u]
            side = ix * wy - iy * wx
            back = max(hypot(xs[u] - px, ys[u] - py), 1.0)
        for w in range(1, count):
            if done[w]:
                continue
            dx, dy = xs[w] - px, ys[w] - py
            step = hypot(dx, dy)
            if length + step + rest[w] > bound or step < 1e-6:
                continue
            if taut:
                bend = ix * dy - iy * dx
                if bend * side < 0 and abs(bend) > 1e-6 * step * back:
                    continue
            if v == 0 and leave and dx * ox + dy * oy < LEAVE_COS * step:
                continue
            if w == 1 and arrive and dx * nx + dy * ny < ARRIVE_COS * step:
                continue
            cost = g + step
            push(heap, (cost + rest[w], cost, length + step, w, v, False))
    return None


def straighten(
    candidates: Sequence[int],
    routed: dict[int, RoutedEdge],
    ports: Callable[[int], tuple[Point, Point, Point, Point]],
    owners: Callable[[int], frozenset[str]],
    clear: direct.Obstacles,
    solid: direct.Obstacles,
    frames: Sequence[Box],
    finish: Callable[[int, list[Point]], RoutedEdge],
    through: dict[int, Point] | None = None,
    strips: Sequence[tuple[Box, float]] = (),
    kept: Searches | None = None,
) -> None:
    """Replace, in ``routed``, the routes of ``candidates`` that turn or go round much by their shortest
    way round the obstacles (``shortest``), where that is plainly better (see the module's text).

    ``ports(n)`` gives edge ``n``'s start, its side's outward normal, its end and the end side's inward
    normal; ``owners(n)`` the obstacle owners it may touch (its own blocks and label); ``finish(n, points)``
    draws a polyline as the edge (corners rounded, onto its blocks' outlines, arrow heads); ``through``
    the point each edge with a label kept on it must pass (the label's centre); ``strips`` the frames' top
    strips, where their labels go: a new way takes no place in a strip its route left free (a label that
    finds no free place there makes the whole layout run again); ``kept``: searches made before, for ``shortest``."""
    through = through or {}
    drawn = {n: paths.as_drawn(r.path, r.points) for n, r in routed.items()}  # long curves finely: as measured
    lines = Lines(dict(drawn), {n: (r.drawn.source, r.drawn.target) for n, r in routed.items()})
    worst = []
    for n in candidates:
        points = routed[n].points
        straight = _dist(points[0], points[-1])
        turns = turning(points)
        if straight > 1 and (turns >= TURNS or direct.length(points) >= DETOUR * straight):
            worst.append((-turns, n))
    proposals: dict[int, list[RoutedEdge]] = {}
    for _, n in sorted(worst):
        toll, via = lines.toll(n), through.get(n)
        found = _proposals(
            n, routed[n], ports(n), owners(n), clear, solid, finish, toll, OFFSETS, first=True, via=via, kept=kept
        )
        if found:
            proposals[n] = found

    def tried(group: list[int], news: list[RoutedEdge]) -> bool:
        """Whether the edges of ``group`` took these routes: each touches no more frame borders than it did,
        and together they cross no more edges (nor fan arms), and run on or beside no other edge longer."""
        olds = [drawn[n] for n in group]
        if any(borders(new.points) > borders(old) for old, new in zip(olds, news, strict=True)):
            return False
        if strips:
            taken = {m: c for m, c in places.items() if m not in group}
            after = set().union(*taken.values(), *(entered(new.points) for new in news))
            if any(had and not _has_room(i, after, strips) for i, had in enumerate(room)):  # a label's place lost
                return False
        before = _costs(lines, group, olds)
        ways = [paths.as_drawn(new.path, new.points) for new in news]
        changes = dict(lines.changes) if len(group) > 1 else {}
        if len(group) > 1:  # (one edge's measures never read its own segments: it is measured as the others stand)
            for n, way in zip(group, ways, strict=True):
                lines.replace(n, way)
        if all(a <= b for a, b in zip(_costs(lines, group, ways), before, strict=True)):
            for n, new, way in zip(group, news, ways, strict=True):
                if len(group) == 1:
                    lines.replace(n, way)
                routed[n], drawn[n] = new, way
                if strips:
                    places[n] = entered(new.points)
            return True
        if len(group) > 1:
            for n, old in zip(group, olds, strict=True):
                lines.replace(n, old)
            lines.changes = changes  # the same segments again (filed in another order, which no measure depends on)
        return False

    kept_borders: dict[int, tuple[Sequence[Point], int]] = {}
    kept_places: dict[int, tuple[Sequence[Point], set[tuple[int, int]]]] = {}

    def borders(points: Sequence[Point]) -> int:
        """``_borders`` of the line, kept for it (and for its samples, between routings)."""
        kept = kept_borders.get(id(points))
        if kept is None or kept[0] is not points:
            kept = kept_borders[id(points)] = (points, _read(_BORDERS, lines.along(points), tuple(frames), _borders))
        return kept[1]

    def entered(points: Sequence[Point]) -> set[tuple[int, int]]:
        """``_entered`` for the line, kept for it (and for its samples, between routings)."""
        kept = kept_places.get(id(points))
        if kept is None or kept[0] is not points:
            kept = kept_places[id(points)] = (points, _read(_ENTERED, lines.along(points), tuple(boxes), _entered))
        return kept[1]

    boxes = [box for box, _ in strips]
    places = {n: entered(r.points) for n, r in routed.items()} if strips else {}
    everywhere = set().union(*places.values())
    room = [_has_room(i, everywhere, strips) for i in range(len(strips))]

    given = {n: ports(n) for n in candidates}
    sides: dict[tuple[str, float, float], list[int]] = {}  # (block, its side's outward normal) -> edges ending there
    for n in candidates:
        _, out_normal, _, in_normal = given[n]
        d = routed[n].drawn
        if d.source != d.target:
            sides.setdefault((d.source, out_normal.x, out_normal.y), []).append(n)
            sides.setdefault((d.target, -in_normal.x, -in_normal.y), []).append(n)

    def at_ports(
        group: list[int],
        ports_of: Iterable[tuple[int, Point]],
        own: dict[int, Point],
        at_start: dict[int, bool],
        aside: frozenset[int],
        proposed: bool,
        apart: bool = False,
    ) -> list[RoutedEdge] | None:
        """The ways of ``group``'s edges, each ending on the side at the port ``ports_of`` hands it: one
        keeping its own port keeps its way as proposed (with ``proposed``) or its route if straight; the
        others are searched, the edges in ``aside`` left out of the tolls. ``apart``: an arm whose tightest
        way turns at a corner an arm before it took goes round it farther out (two arms through one point
        may cross there). None unless every way is found and together they turn clearly less than the
        routes."""
        news: dict[int, RoutedEdge] = {}
        taken: set[Point] | None = set() if apart else None
        for n, port in ports_of:
            if port == own[n]:
                if proposed and n in proposals:
                    news[n] = proposals[n][0]
                    continue
                if turning(routed[n].points) < STRAIGHT:
                    news[n] = routed[n]
                    continue
            start, out_normal, end, in_normal = given[n]
            moved = (port, out_normal, end, in_normal) if at_start[n] else (start, out_normal, port, in_normal)
            toll, via = lines.toll(n, aside), through.get(n)
            found = _proposals(
                n, routed[n], moved, owners(n), clear, solid, finish, toll, OFFSETS, False, True, via, taken, kept
            )
            if not found:
                return None
            news[n] = found[0]
        gain = sum(turning(routed[n].points) - turning(news[n].points) for n in group)
        return [news[n] for n in group] if gain >= BETTER_TURNS else None

    def in_order(key: tuple[str, float, float], group: list[int]) -> list[RoutedEdge] | None:
        """The shortest ways of the edges with an end on one side of a block, their ports there handed out
        again in the order of their other ends (ports spread for ways round need not suit straight ones);
        None unless each way is no worse than its edge's route and together they turn clearly less."""
        at_start = {n: routed[n].drawn.source == key[0] for n in group}
        across = key[1] != 0  # a left or right side: its ports by y

        def along(p: Point) -> float:
            return p.y if across else p.x

        shared = sorted((given[n][0] if at_start[n] else given[n][2] for n in group), key=along)
        order = sorted(group, key=lambda n: (along(given[n][2] if at_start[n] else given[n][0]), n))
        own = {n: given[n][0] if at_start[n] else given[n][2] for n in group}
        if all(
            own[n] == port and (n in proposals or turning(routed[n].points) < STRAIGHT)
            for n, port in zip(order, shared, strict=True)
        ):
            return None  # nothing but the ways proposed already
        return at_ports(group, zip(order, shared, strict=True), own, at_start, frozenset(), True)

    def together(key: tuple[str, float, float], group: list[int], apart: bool = False) -> list[RoutedEdge] | None:
        """As ``in_order``, but each way searched as if the group's other arms were gone (they move too: a
        way steered round their old routes is no way for the fan), the ports handed out in the order of
        the other ends' directions seen from the side (``_untwisted``); None unless each way is no worse
        than its edge's route and together they turn clearly less."""
        at_start = {n: routed[n].drawn.source == key[0] for n in group}
        across = key[1] != 0  # a left or right side: its ports by y
        own = {n: given[n][0] if at_start[n] else given[n][2] for n in group}
        far = {n: given[n][2] if at_start[n] else given[n][0] for n in group}
        shared = sorted(own.values(), key=lambda p: (p.y, p.x) if across else (p.x, p.y))
        middle = Point(sum(p.x for p in shared) / len(shared), sum(p.y for p in shared) / len(shared))

        def heading(n: int) -> float:
            """The other end's angle from the side's outward normal, signed along the side, seen from its middle."""
            d = far[n] - middle
            return math.atan2(d.y if across else d.x, d.x * key[1] + d.y * key[2])

        order = _untwisted(sorted(group, key=lambda n: (heading(n), n)), shared, far)
        return at_ports(group, zip(order, shared, strict=True), own, at_start, frozenset(group), False, apart)

    # the arms of a fan that go round are straightened together (one alone would cross the others; or
    # found no better way from the port it has, given out for the way round)
    going = {n for _, n in worst}
    done: set[int] = set()
    refused: list[tuple[tuple[str, float, float], list[int]]] = []
    for key, arms in sorted(sides.items()):
        group = [n for n in arms if n not in done]
        if len(group) < 2 or len(group) > FAN or not any(n in going for n in group):
            continue
        bent = [n for n in group if n in proposals]
        if len(bent) >= 2 and tried(bent, [proposals[n][0] for n in bent]):
            done.update(bent)
            continue
        news = in_order(key, group)
        if news is not None and tried(group, news):
            done.update(group)
            continue
        news = together(key, group)
        if news is not None and tried(group, news):
            done.update(group)
        elif news is not None:
            refused.append((key, group))
    for _, n in sorted(worst):
        if n in proposals and n not in done and not tried([n], proposals[n][:1]):
            # its tightest way runs on or beside another edge, or crosses more: one farther out
            farther = _proposals(
                n,
                routed[n],
                ports(n),
                owners(n),
                clear,
                solid,
                finish,
                lines.toll(n),
                OFFSETS[1:],
                via=through.get(n),
                kept=kept,
            )
            if any(tried([n], [new]) for new in farther if new.points != proposals[n][0].points):
                done.add(n)
        elif n in proposals and n not in done:
            done.add(n)
    # fans still refused whose arms stayed as they were: the arms apart round the corners they share
    for key, group in refused:
        if not any(n in done for n in group):
            spread = together(key, group, apart=True)
            if spread is not None and tried(group, spread):
                done.update(group)


def _untwisted(order: list[int], ports: list[Point], far: dict[int, Point]) -> list[int]:
    """``order`` with neighbours swapped while that makes fewer of the straight lines from each edge's
    other end (``far``) to the port it takes (``ports``, in turn) cross: seen from the side's middle, two
    ends almost in line with it may go either way round, and the ports' spread decides."""

    def crossed(order: list[int]) -> int:
        lines = [(far[n], port) for n, port in zip(order, ports, strict=True)]
        return sum(segments_cross(a, b, c, d) for (a, b), (c, d) in itertools.combinations(lines, 2))

    least = crossed(order)
    better = least > 0
    while better:
        better = False
        for i in range(len(order) - 1):
            swapped = [*order[:i], order[i + 1], order[i], *order[i + 2 :]]
            count = crossed(swapped)
            if count < least:
                order, least, better = swapped, count, count > 0
    return order


def _proposals(
    n: int,
    now: RoutedEdge,
    ports: tuple[Point, Point, Point, Point],
    skip: frozenset[str],
    clear: direct.Obstacles,
    solid: direct.Obstacles,
    finish: Callable[[int, list[Point]], RoutedEdge],
    toll: Callable[[Point, Point], float],
    offsets: Sequence[float],
    plainly: bool = True,
    first: bool = False,
    via: Point | None = None,
    taken: set[Point] | None = None,
    kept: Searches | None = None,
) -> list[RoutedEdge]:
    """Edge ``n``'s shortest ways (tightest first) that are plainly better than its route ``now`` (or, not
    ``plainly``, no worse) and touch no block, label or furniture it does not; through ``via`` (the
    centre of the label kept for it), if given. With ``taken``, a way turning at one of those corners is
    passed over for one farther out, and the corners of the way kept are added to it."""
    old = now.points
    start, out_normal, end, in_normal = ports
    old_length, old_turns = direct.length(old), turning(old)
    old_hits = solid.hit(old, skip)
    out = []
    offsets = list(offsets)
    for offset in offsets:
        bound = old_length * LONGER
        if via is None:
            way = shortest(start, out_normal, end, in_normal, clear, skip, bound, offset, toll, kept)
        else:
            way = shortest(start, out_normal, via, FREE, clear, skip, bound - _dist(via, end), offset, toll, kept)
            if way is not None:
                rest = shortest(via, FREE, end, in_normal, clear, skip, bound - direct.length(way), offset, toll, kept)
                way = None if rest is None else [*way, *rest[1:]]
        if way is None:
            break  # none this near the obstacles: none farther out either
        if taken is not None and any(p in taken for p in way[1:-1]):
            if offset == offsets[-1] and offset < OFFSETS[-1] + 2 * APART:
                offsets.append(offset + APART)  # (a corner taken farthest out: one farther still)
            continue
        new = finish(n, way)
        points = new.points
        new_length, new_turns = direct.length(points), turning(points)
        better = (new_turns <= old_turns - BETTER_TURNS and new_length <= old_length * LONGER) or (
            new_length <= old_length * SHORTER and new_turns <= old_turns + 0.05
        )
        if not plainly:
            better = new_turns <= old_turns + 0.05 and new_length <= old_length * LONGER
        if better and solid.hit(points, skip) <= old_hits:
            out.append(new)
            if taken is not None:
                taken.update(way[1:-1])
            if first:
                break
    return out


def _costs(lines: Lines, group: list[int], ways: Sequence[Sequence[Point]]) -> tuple[float, ...]:
    """What a group's ways cost: crossings, crossings of fan arms, length on and beside other edges."""
    total = [0.0, 0.0, 0.0, 0.0]
    for n, way in zip(group, ways, strict=True):
        for i, value in enumerate(lines.measures(n, way)):
            total[i] += value
    return tuple(total)


# what ``_borders`` and ``_entered`` gave for a line's samples (by their id: ``nearness.Lines.along`` keeps
# the same samples for the same line between the routings of a picture) among the same boxes; forgotten, all
# of them, past KEPT lines
KEPT = 512
_BORDERS: dict[int, tuple[Sequence[Point], tuple[Box, ...], int]] = {}
_ENTERED: dict[int, tuple[Sequence[Point], tuple[Box, ...], set[tuple[int, int]]]] = {}
Answer = TypeVar("Answer")


def _read(
    kept: dict[int, tuple[Sequence[Point], tuple[Box, ...], Answer]],
    along: Sequence[Point],
    boxes: tuple[Box, ...],
    find: Callable[[Sequence[Point], Sequence[Box]], Answer],
) -> Answer:
    """``find(along, boxes)``, kept in ``kept`` for the samples and boxes (read, never changed, by those that
    take it)."""
    known = kept.get(id(along))
    if known is None or known[0] is not along or known[1] != boxes:
        if len(kept) >= KEPT:
            kept.clear()
        known = kept[id(along)] = (along, boxes, find(along, boxes))
    return known[2]


def _borders(along: Sequence[Point], frames: Sequence[Box]) -> int:
    """How often a polyline (``along``: its samples every ``nearness.STEP`` px) crosses the border of a frame."""
    x0, y0, x1, y1 = _extent(along)
    total = 0
    for f in frames:
        if x1 <= f.x or x0 >= f.right or y1 <= f.y or y0 >= f.bottom:
            continue  # every sample outside
        if f.x < x0 and x1 < f.right and f.y < y0 and y1 < f.bottom:
            continue  # every sample inside
        inside = [f.x < p.x < f.right and f.y < p.y < f.bottom for p in along]
        total += sum(1 for a, b in itertools.pairwise(inside) if a != b)
    return total


STRIP_CELL = 2.0  # px of a frame's label strip counted as one place a way takes there


def _entered(along: Sequence[Point], boxes: Sequence[Box]) -> set[tuple[int, int]]:
    """The places (box index, ``STRIP_CELL`` px column) a polyline (``along``: its samples every
    ``nearness.STEP`` px) takes in the boxes."""
    if not boxes:
        return set()
    x0, y0, x1, y1 = _extent(along)
    return {
        (i, int(p.x // STRIP_CELL))
        for i, b in enumerate(boxes)
        if not (x1 <= b.x or x0 >= b.right or y1 <= b.y or y0 >= b.bottom)  # else every sample outside
        for p in along
        if b.x < p.x < b.right and b.y < p.y < b.bottom
    }


def _extent(along: Sequence[Point]) -> tuple[float, float, float, float]:
    """The samples' box: x0, y0, x1, y1."""
    xs, ys = [p.x for p in along], [p.y for p in along]
    return min(xs), min(ys), max(xs), max(ys)


def _has_room(i: int, taken: set[tuple[int, int]], strips: Sequence[tuple[Box, float]]) -> bool:
    """Whether strip ``i`` has a run of free ``STRIP_CELL`` columns as wide as its label needs."""
    box, need = strips[i]
    first, last = math.ceil(box.x / STRIP_CELL), math.floor(box.right / STRIP_CELL) - 1
    run = 0
    for cell in range(first, last + 1):
        run = 0 if (i, cell) in taken else run + 1
        if run * STRIP_CELL >= need:
            return True
    return False


_DISTANCES: dict[tuple[Box, Point, Point], float] = {}  # ``_box_distance`` by its arguments, past KEPT × 8 forgotten


def _near_line(box: Box, a: Point, b: Point) -> float:
    """``_box_distance``, kept (a picture's routings ask it again of the same obstacles and ports)."""
    key = (box, a, b)
    known = _DISTANCES.get(key)
    if known is None:
        if len(_DISTANCES) >= KEPT * 8:
            _DISTANCES.clear()
        known = _DISTANCES[key] = _box_distance(box, a, b)
    return known


def _box_distance(box: Box, a: Point, b: Point) -> float:
    """The distance between a box and the segment ``a``-``b``."""
    if segment_hits_box(a, b, box) or (box.x <= a.x <= box.right and box.y <= a.y <= box.bottom):
        return 0.0
    corners = (Point(box.x, box.y), Point(box.right, box.y), Point(box.x, box.bottom), Point(box.right, box.bottom))
    inside = [
        math.hypot(max(box.x - p.x, 0.0, p.x - box.right), max(box.y - p.y, 0.0, p.y - box.bottom)) for p in (a, b)
    ]
    return min(*inside, *(segment_distance(c, a, b) for c in corners))


def _dist(a: Point, b: Point) -> float:
    return math.hypot(b.x - a.x, b.y - a.y)
