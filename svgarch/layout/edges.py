"""Edge routing: pick sides and ports, shape each path, add arrow heads.

Edges of an automatic layout run through the gaps its engine kept for them
(their guides): in a big diagram pulled taut (``direct``), their fans'
ports reordered and untangled (``fans``), and those crossing more edges than
another of their ways (their gates' last) taking it (``uncross``); others are routed by search
(``orthogonal``), drawn straight, or as arcs; a searched edge whose way turns
back round a corner of its own block is searched again from the side it turns
to (``corners``). Last, arms of one fan that run as rails share one line
(``bundles``), and other rails move apart.

Pre: every block has a box. Post: every drawn edge (one per source/target
pair) has a path that enters no block but its own two ends, and heads as
polygons; the path is trimmed so the line ends under its head.
"""

from __future__ import annotations

from collections.abc import Sequence

from svgarch.geometry import Box, Point, bounding_box, new, turning
from svgarch.layout import across, corners, direct, fans, lined, paths
from svgarch.layout import loops as self_loops
from svgarch.layout.gates import side_way, through_gates
from svgarch.layout.groups import label_strips
from svgarch.layout.merges import fork_outputs, merge_inputs, shorter_inputs
from svgarch.layout.orthogonal import PlainRoutes, Router, crosses_any
from svgarch.layout.ports import (
    INWARD,
    OUTWARD,
    PortRequest,
    across_toward,
    align_columns,
    arc_sides,
    auto_sides,
    clear_of_labels,
    desired_position,
    follow_moved,
    spread,
)
from svgarch.layout.types import DrawnEdge, EdgeStyle, Guide, Loop, RoutedEdge, follows_guide
from svgarch.scene import Line, ScenePath
from svgarch.shapes import DEFAULT, NORMALS, Shape

TYPE_CHECKING = False
if TYPE_CHECKING:
    from svgarch.layout.shortcut import Searches


def route_edges(
    drawn: Sequence[DrawnEdge],
    boxes: dict[str, Box],
    extra_obstacles: Sequence[Box],
    style: EdgeStyle,
    head_scale: dict[str, float],
    guides: dict[int, Guide],
    bands: dict[str, tuple[float, float]],
    frames: dict[str, Box],
    shapes: dict[str, Shape],
    loops: dict[int, Loop],
    reserved: dict[int, Box] | None = None,
    moved: dict[int, Point | None] | None = None,
    known: Searches | None = None,
) -> list[RoutedEdge]:
    """Route every drawn edge; edges of an automatic layout follow their guides.

    ``boxes`` are the blocks (obstacles to every edge but their own);
    ``frames`` are group frames, which edges may end on and may cross;
    ``loops`` shape the edges from a block to itself; ``reserved`` are the label
    boxes kept on edges (by drawn edge), which other edges avoid: automatic layout's, and the labels of
    straight edges that an earlier routing ran through (``layout`` routes again, keeping them). Given
    ``moved``, labels beside their taut edge's line move onto it (``lined``); their new centres go there.
    A searched edge whose way turns back round a corner of its own block is routed again from the side
    it turns round to (``corners``), kept if that is shorter.
    """
    reserved = dict(reserved or {})
    args = (drawn, boxes, extra_obstacles, style, head_scale, guides, bands, frames, shapes, loops, reserved, moved)
    plains: dict[tuple[object, ...], PlainRoutes] = {}  # both rounds route among the same obstacles
    known = {} if known is None else known  # shortest ways searched, shared by the rounds (``shortcut.Searches``)
    routed, sides, searched = _route_once(*args, {}, plains, known)
    lead = style.margin + 2 + style.head_length * 0.7
    turned = corners.round_corners(routed, sides, searched, {**frames, **boxes}, lead + 2 * style.margin)
    if not turned:
        return routed if moved is None else lined.missed(routed, moved)
    again, _, _ = _route_once(*args, turned, plains, known)
    before = sum(corners.length(routed[n].points) for n in turned)
    after = sum(corners.length(again[n].points) for n in turned)
    routed = again if after < before else routed
    return routed if moved is None else lined.missed(routed, moved)


def _route_once(
    drawn: Sequence[DrawnEdge],
    boxes: dict[str, Box],
    extra_obstacles: Sequence[Box],
    style: EdgeStyle,
    head_scale: dict[str, float],
    guides: dict[int, Guide],
    bands: dict[str, tuple[float, float]],
    frames: dict[str, Box],
    shapes: dict[str, Shape],
    loops: dict[int, Loop],
    reserved: dict[int, Box],
    moved: dict[int, Point | None] | None,
    chosen: dict[int, tuple[str, str]],
    plains: dict[tuple[object, ...], PlainRoutes],
    known: Searches,
) -> tuple[list[RoutedEdge], dict[int, tuple[str, str]], set[int]]:
    """``route_edges`` once, searched edges in ``chosen`` from the sides given there; the routes (by drawn
    edge), the sides each was routed from, and which edges were searched (not guided, loops or arcs).
    ``plains``: the routers' plain routes, shared (``orthogonal.Router``)."""
    blocks = boxes
    boxes = {**frames, **blocks}
    # a group end's band is its frame's extent along the flow: the edge runs straight up to the frame
    bands = {**{k: (f.y, f.bottom) if style.flow_vertical else (f.x, f.right) for k, f in frames.items()}, **bands}
    guides = {n: g for n, g in guides.items() if follows_guide(drawn[n].edge)}
    guides = align_columns(drawn, guides, blocks, style, loops)
    sides: dict[int, tuple[str, str]] = {}
    requests: list[PortRequest] = []
    for d in drawn:
        if d.number in loops:
            continue
        a, b = boxes[d.source], boxes[d.target]
        if d.number in guides:
            sides[d.number] = guides[d.number].sides
        else:
            fs, ts = auto_sides(a, b, style.flow_vertical)
            if d.edge.bend and d.edge.route in ("auto", "curved"):
                fs, ts = arc_sides(a, b, d.edge.bend, d.edge.from_side, d.edge.to_side, (fs, ts))
            if reserved and not d.edge.bend:  # not in through a label automatic layout kept in front of a side
                labels = [box for n, box in sorted(reserved.items()) if n != d.number]
                lead_in = 2 * style.margin + 2 + style.head_length * 0.7  # a searched edge's, and its margin
                fs, ts = clear_of_labels(a, b, (fs, ts), labels, lead_in)
            fs = fs if d.edge.from_side == "auto" else d.edge.from_side
            ts = ts if d.edge.to_side == "auto" else d.edge.to_side
            sides[d.number] = chosen.get(d.number, (fs, ts))
    strips = label_strips(frames, extra_obstacles)  # where frames' labels may go
    beside = merge_inputs(drawn, sides, guides, bands, blocks, shapes, style, strips)
    used = frozenset(
        end for n, (fs, ts) in sides.items() for end in ((drawn[n].source, fs), (drawn[n].target, beside.get(n, ts)))
    )
    leaving = fork_outputs(drawn, sides, guides, bands, blocks, shapes, style, used)
    taut_routes = _taut(blocks, drawn)
    flanked = {**leaving, **beside}
    turned = across.turned_across(drawn, guides, flanked, blocks, extra_obstacles, reserved, loops, style, taut_routes)
    for n, pair in turned.items():
        guides[n] = guides[n]._replace(sides=pair, search=True)
        sides[n] = pair
    # turned to the sides that face each other across the flow: drawn straight between them (where clear)
    facing = {n for n, (fs, ts) in turned.items() if (fs in ("top", "bottom")) == (ts in ("top", "bottom"))}
    for d in drawn:
        if d.number in loops:
            continue
        a, b = boxes[d.source], boxes[d.target]
        if d.number in beside:  # a side input of a merge node: square into the middle of its side
            sides[d.number] = (sides[d.number][0], beside[d.number])
        if d.number in leaving:  # a side output of a merge node: square out of the middle of its side
            sides[d.number] = (leaving[d.number], sides[d.number][1])
        fs, ts = sides[d.number]
        want_a, want_b = desired_position(a, fs, b, ts), desired_position(b, ts, a, fs)
        toward_a, toward_b = _toward(fs, b), _toward(ts, a)
        if d.number in turned:  # an L (or line) out of (into) a side across the flow: nested, not crossing
            toward_a, toward_b = across_toward(fs, a, b), across_toward(ts, b, a)
        gated = d.number in guides and bool(guides[d.number].gates)
        if gated:  # aim at the first and last gate
            gates = guides[d.number].gates
            toward_a = want_a = _coordinate(gates[0][0], fs)
            toward_b = want_b = _coordinate(gates[-1][1], ts)
        if d.number in leaving:
            toward_a = want_a = a.cy if fs in ("left", "right") else a.cx
        if d.number in beside:
            toward_b = want_b = b.cy if ts in ("left", "right") else b.cx
        if d.number in guides:  # a group end: above (beside) the member the engine attached it to;
            anchor_a, anchor_b = guides[d.number].ends  # edges sharing it order by where they go
            if anchor_a is not None:
                want_a, toward_a = _coordinate(anchor_a, fs), _toward(fs, b)
            if anchor_b is not None:
                want_b, toward_b = _coordinate(anchor_b, ts), _toward(ts, a)
        requests.append(new(PortRequest, ((d.number, 0), d.source, fs, want_a, toward_a, not gated)))
        requests.append(new(PortRequest, ((d.number, 1), d.target, ts, want_b, toward_b, not gated)))
    loops = _loops_beside(loops, drawn, sides, boxes, shapes, style.flow_vertical)
    taken = {(drawn[n].source, fs) for n, (fs, _) in sides.items()} | {
        (drawn[n].target, ts) for n, (_, ts) in sides.items()
    } if loops else set()  # (the sides edges use: only loops ask)
    for n, loop in loops.items():
        sides[n] = (loop.side, loop.side)
        first, last = self_loops.ports(boxes[drawn[n].source], loop, aside=(drawn[n].source, loop.side) in taken)
        requests.append(PortRequest((n, 0), drawn[n].source, loop.side, _coordinate(first, loop.side)))
        requests.append(PortRequest((n, 1), drawn[n].source, loop.side, _coordinate(last, loop.side)))
    reach = {k: s.port_reach for k, s in shapes.items() if s.port_reach and k in blocks}
    ports = spread(requests, boxes, style.port_spacing, style.port_inset, reach)

    inflated: dict[str, Box] = {}  # the blocks grown by the margin routes keep off them: made when first asked

    def grown() -> dict[str, Box]:
        if not inflated:
            inflated.update((k, b.inflate(style.margin)) for k, b in blocks.items())
        return inflated

    tops = sorted(frames.values(), key=lambda f: (f.y, f.x)) if style.flow_vertical else []
    if taut_routes and moved is not None:  # labels kept beside their straight edge's line move onto it
        on_lines = [
            n for n in sorted(reserved)
            if n in guides and not guides[n].search and n not in flanked and n not in loops
        ]  # fmt: skip
        near = direct.Obstacles(
            [(k, b) for k, b in sorted(grown().items())]
            + [("", o.inflate(style.margin / 2)) for o in extra_obstacles]
            + [(f"label:{n}", b) for n, b in sorted(reserved.items())]
        )

        def pulled_with(n: int, kept: dict[int, Box]) -> list[Point]:
            d, (fs, ts) = drawn[n], sides[n]
            runs = through_gates(ports[(n, 0)], ports[(n, 1)], guides[n], bands[d.source], bands[d.target], fs, tops)
            return _pulled(d, [p for run in runs for p in run], fs, ts, near, kept)

        solids = [*grown().values(), *extra_obstacles]
        before = dict(reserved)  # where the labels were: an end aims at its label's old place
        moved.update(lined.line_up(on_lines, pulled_with, reserved, solids, list(frames.values()), style.flow_vertical))
        aims = _facing_moved(moved, before, guides, sides, ports, style.flow_vertical) if moved else {}
        lined_ports = follow_moved(ports, requests, boxes, aims, style.port_spacing, style.port_inset, reach)

        def turns(n: int, ends: dict[tuple[int, int], Point]) -> float:
            d, (fs, ts) = drawn[n], sides[n]
            runs = through_gates(ends[(n, 0)], ends[(n, 1)], guides[n], bands[d.source], bands[d.target], fs, tops)
            return turning(_pulled(d, [p for run in runs for p in run], fs, ts, near, reserved, True))

        for key in sorted(aims):  # kept where the edge then turns less (its line beyond the label may bend)
            tried = {**ports, key: lined_ports[key]}
            if lined_ports[key] != ports[key] and turns(key[0], tried) < turns(key[0], ports) - 0.01:
                ports = tried
    searching_with: list[tuple[list[Box], Box, Router]] = []  # the obstacles, their bounds, the router: once asked

    def routing() -> tuple[list[Box], Box, Router]:
        """The obstacles searches avoid, the box they search in, and the router: made when first needed (on a
        large diagram every edge follows its gates, and nothing searches)."""
        if not searching_with:
            obstacles = sorted(grown().values(), key=lambda b: (b.x, b.y)) + [
                o.inflate(style.margin / 2) for o in (*extra_obstacles, *(reserved[n] for n in sorted(reserved)))
            ]
            bounds = bounding_box(obstacles).inflate(style.margin * 4)
            searching_with.append((obstacles, bounds, Router(obstacles, bounds, plains=plains)))
        return searching_with[0]

    def the_router() -> Router:
        return routing()[2]

    def order(d: DrawnEdge) -> tuple[int, float, int]:
        p, q = ports[(d.number, 0)], ports[(d.number, 1)]
        aligned = abs(p.x - q.x) < 1 or abs(p.y - q.y) < 1
        return (0 if aligned or d.edge.bend else 1, abs(p.x - q.x) + abs(p.y - q.y), d.number)

    routed: dict[int, RoutedEdge] = {}
    into: dict[tuple[str, str], list[int]] = {}  # the arms coming into each side
    for n, (_, ts) in sorted(sides.items()):
        into.setdefault((drawn[n].target, ts), []).append(n)
    stub = style.head_length + 4  # the straight end of a steep S among several into one side
    stubs = {n: stub for arms in into.values() if len(arms) > 1 for n in arms if drawn[n].edge.arrow in ("end", "both")}
    searching = len(guides) < len(drawn)
    # what taut routes keep clear of, and what a rounded path may not touch at all (indexed only when there
    # are taut routes: the other edges never ask)
    clear, solid = direct.Obstacles([]), direct.Obstacles([])
    if taut_routes:
        clear = direct.Obstacles(
            [(k, b) for k, b in sorted(grown().items())]
            + [("", o.inflate(style.margin / 2)) for o in extra_obstacles]
            + [(f"label:{n}", b) for n, b in sorted(reserved.items())]
        )
        solid = direct.Obstacles(
            [(k, b) for k, b in sorted(blocks.items())]
            + [("", o) for o in extra_obstacles]
            + [(f"label:{n}", b) for n, b in sorted(reserved.items())]
        )
    spread_ports = ports
    pull = _Pulls(clear, frozenset(n for n, p in (moved or {}).items() if p is not None))
    # a guide to search (wrap's rows) is not pulled taut, nor a side input that enters a merge node square
    taut = sorted(n for n, g in guides.items() if not g.search and n not in beside and n not in leaving)
    ways: dict[int, list[Point]] = {}  # guided edges that take the router's way instead of their gates'
    if taut_routes:
        for n in taut:
            if n not in reserved:
                ends = ports[(n, 0)], ports[(n, 1)]
                way = _shorter(drawn[n], *ends, sides[n], guides[n], bands, tops, the_router(), pull, style)
                if way is not None:
                    ways[n] = way

        def line_of(n: int, start: Point, end: Point) -> list[Point]:
            """Edge ``n`` pulled taut between these ports."""
            d, (fs, ts) = drawn[n], sides[n]
            if n in ways:
                return pull(d, [start, *ways[n][1:-1], end], fs, ts, reserved)
            runs = through_gates(start, end, guides[n], bands[d.source], bands[d.target], fs, tops)
            line = pull(d, [p for run in runs for p in run], fs, ts, reserved)
            if n in reserved or direct.length(line) <= DETOUR * max((end - start).length(), 1.0):
                return line
            # from this port the gates' way goes round (a label in the way): the fan is ordered by
            # the way the edge would take from here, else it keeps a port it cannot use
            way = _shorter(d, start, end, sides[n], guides[n], bands, tops, the_router(), pull, style)
            return line if way is None else pull(d, way, fs, ts, reserved)

        ports = fans.fan_ports(drawn, ports, sides, taut, line_of)
        for n in taut:  # a port given out again may have lost the straight way its first place had
            if n not in reserved and n not in ways:
                ends = ports[(n, 0)], ports[(n, 1)]
                way = _shorter(drawn[n], *ends, sides[n], guides[n], bands, tops, the_router(), pull, style)
                if way is not None:
                    ways[n] = way
    def searched(d: DrawnEdge, start: Point, end: Point, by: Router | None = None) -> ScenePath:
        """The router's way for an edge with no gates to follow (or whose guide asks for a search)."""
        fs, ts = sides[d.number]
        return _shape(d, start, fs, end, ts, boxes, _foreign(d, grown()), by or the_router(), style)

    def researched(pair: tuple[int, int], ends: dict[tuple[int, int], Point]) -> tuple[RoutedEdge, RoutedEdge]:
        """Two searched edges searched again between other ports, as if they had not been drawn: the
        router's memory of every other edge, not of their own old ways (which would push them aside)."""
        obstacles, bounds, _ = routing()
        again = Router(obstacles, bounds, plains=plains)
        for k in sorted(routed):
            if k not in pair:
                again.memory.add(list(routed[k].points))
        out = []
        for n in pair:
            d = drawn[n]
            fs, ts = sides[n]
            start, end = ends[(n, 0)], ends[(n, 1)]
            path = searched(d, start, end, again)
            path = _onto_outlines(path, start, fs, end, ts, boxes[d.source], boxes[d.target], d, shapes)
            scale = head_scale.get(d.edge.kind, 1.0)
            out.append(_with_heads(d, path, style.head_length * scale, style.head_width * scale))
            again.memory.add(list(out[-1].points))
        return out[0], out[1]

    # S-curves kept (pulled taut, the gates' way is only a fallback): arms beside a steep one stub as it does
    gated_runs: dict[int, tuple[str, list[tuple[Point, Point]]]] = {}  # runs _steeps made, by edge (with its side)
    steeps = {} if taut_routes else _steeps(into, stubs, guides, ports, drawn, bands, tops, gated_runs)
    for d in sorted(drawn, key=order):
        fs, ts = sides[d.number]
        start, end = ports[(d.number, 0)], ports[(d.number, 1)]
        spots: tuple[Point, ...] = ()
        if d.number in loops:  # begins and ends on the outline itself
            loop = loops[d.number]
            path = self_loops.loop_path(start, end, boxes[d.source], shapes.get(d.source, DEFAULT), loop)
            spots = self_loops.label_centres(start, end, loop)
            if searching:
                the_router().memory.add(path.points(4))
        elif (d.number in beside or d.number in leaving) and not guides[d.number].search:  # square in (out of)
            path = side_way(  # a merge node's side
                start, end, guides[d.number], bands[d.source], bands[d.target], guides[d.number].sides[0], tops,
                d.number in leaving, d.number in beside,
            )  # fmt: skip
        elif d.number in guides and not guides[d.number].search:
            known_runs = gated_runs.get(d.number)  # from the same ports
            if known_runs is not None and known_runs[0] == fs:
                runs = known_runs[1]
            else:
                runs = through_gates(start, end, guides[d.number], bands[d.source], bands[d.target], fs, tops)
            path = paths.gated(runs, NORMALS[fs], stubs.get(d.number, 0.0), steeps.get(d.number, 0.0))
            if taut_routes:
                points = [start, *ways[d.number][1:-1], end] if d.number in ways else [p for run in runs for p in run]
                path = _direct(d, points, fs, ts, pull, solid, reserved, style) or path
            if searching:  # later searches steer clear of it
                the_router().memory.add(path.points(4))
        elif d.number in facing and not crosses_any([start, end], _foreign(d, grown())):
            path = paths.straight(start, end)
            if searching:
                the_router().memory.add([start, end])
        else:
            facing.discard(d.number)
            path = searched(d, start, end)
        if d.number not in loops:
            path = _onto_outlines(path, start, fs, end, ts, boxes[d.source], boxes[d.target], d, shapes)
        scale = head_scale.get(d.edge.kind, 1.0)
        routed[d.number] = _with_heads(d, path, style.head_length * scale, style.head_width * scale, spots)

    searches = [
        d.number
        for d in drawn
        if d.number not in loops and d.number not in facing and (d.number not in guides or guides[d.number].search)
    ]
    # (with no searched edge there is nothing to swap: the ports as they are, in a dict of their own as ever)
    ports = fans.swap_crossing(drawn, routed, searches, ports, sides, researched, blocks) if searches else dict(ports)

    def remade(n: int, points: list[Point]) -> RoutedEdge:
        """Edge ``n`` drawn along ``points`` (a way made of parts of searched ways), its corners rounded."""
        d, (fs, ts), scale = drawn[n], sides[n], head_scale.get(drawn[n].edge.kind, 1.0)
        path = paths.rounded(points, style.radius)
        path = _onto_outlines(path, points[0], fs, points[-1], ts, boxes[d.source], boxes[d.target], d, shapes)
        return _with_heads(d, path, style.head_length * scale, style.head_width * scale)

    ports = fans.trade_arms(drawn, routed, searches, ports, sides, remade)

    def fallbacks(n: int) -> list[RoutedEdge]:
        """Other ways for a guided edge, from the ports as spread for its gates: pulled taut (if that
        differs from how it is drawn), then through its gates, as it was drawn before taut routes."""
        d = drawn[n]
        fs, ts = sides[n]
        start, end = spread_ports[(n, 0)], spread_ports[(n, 1)]
        runs = through_gates(start, end, guides[n], bands[d.source], bands[d.target], fs, tops)
        scale = head_scale.get(d.edge.kind, 1.0)
        out = []
        if (start, end) != (ports[(n, 0)], ports[(n, 1)]):
            points = [start, *ways[n][1:-1], end] if n in ways else [p for run in runs for p in run]
            path = _direct(d, points, fs, ts, pull, solid, reserved, style)
            if path is not None:
                path = _onto_outlines(path, start, fs, end, ts, boxes[d.source], boxes[d.target], d, shapes)
                out.append(_with_heads(d, path, style.head_length * scale, style.head_width * scale))
        a, b = ports[(n, 0)], ports[(n, 1)]
        way = ways.get(n)
        round_about = direct.length([p for run in runs for p in run]) > DETOUR * max((b - a).length(), 1.0)
        if way is None and n not in reserved and round_about:  # the router's way before the gates' way round
            way = _found(a, b, fs, ts, the_router(), style)
        if way is not None:  # the router's way as it found it: on tracks apart from the edges before it
            path = paths.rounded([a, *way[1:-1], b], style.radius)
            skip = frozenset({d.source, d.target, f"label:{n}"})
            if solid.hit(path.points(8), skip) <= solid.hit([p for run in runs for p in run], skip):
                path = _onto_outlines(path, a, fs, b, ts, boxes[d.source], boxes[d.target], d, shapes)
                out.append(_with_heads(d, path, style.head_length * scale, style.head_width * scale))
        path = paths.gated(runs, NORMALS[fs], stubs.get(n, 0.0), steeps.get(n, 0.0))
        path = _onto_outlines(path, start, fs, end, ts, boxes[d.source], boxes[d.target], d, shapes)
        return [*out, _with_heads(d, path, style.head_length * scale, style.head_width * scale)]

    tracks: dict[tuple[int, int], float] = {}  # (edge, run) -> where its move between bands runs

    def aside(n: int) -> RoutedEdge | None:
        """The gates' way from the ports as drawn, each move between bands square, on a track of its own
        in the gap (two fans' S-curves through one gap meet in its middle and run there as one line)."""
        if not tracks:
            tracks.update(fans.tracks({m: _moves(m) for m in taut}, style.flow_vertical))
        d = drawn[n]
        fs, ts = sides[n]
        a, b = spread_ports[(n, 0)], spread_ports[(n, 1)]  # as spread for its gates
        runs = through_gates(a, b, guides[n], bands[d.source], bands[d.target], fs, tops)
        points = [runs[0][0]]
        for i, (p, q) in enumerate(runs):
            if i and (n, i) in tracks:
                t = tracks[(n, i)]
                cur = points[-1]
                if style.flow_vertical:
                    points += [Point(cur.x, t), Point(p.x, t)]
                else:
                    points += [Point(t, cur.y), Point(t, p.y)]
            points += [p, q]
        path = paths.rounded(fans.without_repeats(points), style.radius / 2)
        if solid.hit(path.points(8), frozenset({d.source, d.target, f"label:{n}"})):
            return None
        path = _onto_outlines(path, a, fs, b, ts, boxes[d.source], boxes[d.target], d, shapes)
        scale = head_scale.get(d.edge.kind, 1.0)
        return _with_heads(d, path, style.head_length * scale, style.head_width * scale)

    def _moves(m: int) -> list[tuple[Point, Point]]:
        d = drawn[m]
        a, b = spread_ports[(m, 0)], spread_ports[(m, 1)]
        runs = through_gates(a, b, guides[m], bands[d.source], bands[d.target], sides[m][0], tops)
        return [(runs[i - 1][1], runs[i][0]) for i in range(1, len(runs))]

    def lead(n: int, end: int) -> RoutedEdge | None:
        """Edge ``n`` pulled taut between its ports, its leg at ``end`` straight along its side's normal."""
        d, (fs, ts) = drawn[n], sides[n]
        a, b = ports[(n, 0)], ports[(n, 1)]
        runs = through_gates(a, b, guides[n], bands[d.source], bands[d.target], fs, tops)
        points = [a, *ways[n][1:-1], b] if n in ways else [p for run in runs for p in run]
        skip = frozenset({d.source, d.target, f"label:{n}"})
        normal = NORMALS[fs] if end == 0 else NORMALS[ts].scale(-1)
        line = direct.with_lead(_pulled(d, points, fs, ts, clear, reserved), end, normal, LEAD_IN, clear, skip)
        if line is None:
            return None
        path = paths.rounded(line, style.radius)
        if solid.hit(path.points(8), skip) - solid.hit(points, skip):
            return None
        path = _onto_outlines(path, a, fs, b, ts, boxes[d.source], boxes[d.target], d, shapes)
        scale = head_scale.get(d.edge.kind, 1.0)
        return _with_heads(d, path, style.head_length * scale, style.head_width * scale)

    if taut_routes:
        # imported here: a picture too small for taut routes never loads them (with rails and polylines, about
        # 0.8 ms of a short render's start)
        from svgarch.layout import bundles, shortcut, uncross

        fans.untangle(drawn, routed, taut, fallbacks, aside, lead)
        uncross.uncross(drawn, routed, taut, fallbacks)

        def its_ports(n: int) -> tuple[Point, Point, Point, Point]:  # the ports its route uses, as its sides face
            line, (fs, ts) = routed[n].points, sides[n]
            a = min((ports[(n, 0)], spread_ports[(n, 0)]), key=lambda p: min((p - q).length() for q in line[:2]))
            b = min((ports[(n, 1)], spread_ports[(n, 1)]), key=lambda p: min((p - q).length() for q in line[-2:]))
            return a, NORMALS[fs], b, NORMALS[ts].scale(-1)

        def finish(n: int, points: list[Point]) -> RoutedEdge:
            d, (fs, ts), scale = drawn[n], sides[n], head_scale.get(drawn[n].edge.kind, 1.0)
            path = paths.rounded(points, style.radius)
            path = _onto_outlines(path, points[0], fs, points[-1], ts, boxes[d.source], boxes[d.target], d, shapes)
            return _with_heads(d, path, style.head_length * scale, style.head_width * scale)

        # a fan's one label goes where its arms split (``labels.fork_spots``), not in the room layout kept on
        # its first arm: no arm need pass that room, and the fan's arms may cross it
        arms: dict[int, list[int]] = {}
        for d in drawn:
            arms.setdefault(d.model_index, []).append(d.number)
        fan = {n: arms[drawn[n].model_index] for n in sides if len(arms[drawn[n].model_index]) > 1}
        owners = {
            n: frozenset({drawn[n].source, drawn[n].target, *(f"label:{m}" for m in fan.get(n, [n]))}) for n in sides
        }
        # guided edges pulled taut, and the router's (not a guide to search: wrap's rows keep their tracks)
        bent = [n for n in sorted(sides) if n not in loops and (n not in guides or not guides[n].search)]
        labelled = {n: Point(b.cx, b.cy) for n, b in reserved.items() if n not in fan}
        outlines = list(frames.values())
        shortcut.straighten(
            bent, routed, its_ports, owners.__getitem__, clear, solid, outlines, finish, labelled, strips, known
        )

        def found(n: int) -> RoutedEdge | None:
            way = _found(ports[(n, 0)], ports[(n, 1)], *sides[n], the_router(), style)
            return None if way is None else finish(n, way)

        shorter_inputs(sorted(n for n in beside if n not in reserved and n not in loops), routed, found, solid)
        bundles.bundle(drawn, routed, solid, reserved)  # fans' rails into trunks, others apart
    elif len(taut) <= fans.ASIDE_UPTO:  # S-curves kept: those that meet an unrelated one in a gap's middle move
        solid = direct.Obstacles(  # onto tracks apart (more of them than that are left as drawn); a way aside
            [(k, b) for k, b in sorted(blocks.items())]  # may not touch a block or a label
            + [("", o) for o in extra_obstacles]
            + [(f"label:{n}", b) for n, b in sorted(reserved.items())]
        )
        fans.set_apart(drawn, routed, taut, aside)

        def plainer(n: int) -> RoutedEdge | None:
            """Edge ``n``'s S-curves through its gates but those alone in a band with no block (a point)."""
            d, (fs, ts), guide = drawn[n], sides[n], guides[n]
            kept = tuple((p, q) for p, q in guide.gates if p != q)
            if n in reserved or len(kept) == len(guide.gates):
                return None
            a, b = ports[(n, 0)], ports[(n, 1)]
            runs = through_gates(a, b, guide._replace(gates=kept), bands[d.source], bands[d.target], fs, tops)
            path = paths.gated(runs, NORMALS[fs], stubs.get(n, 0.0), steeps.get(n, 0.0))
            if solid.hit(path.points(8), frozenset({d.source, d.target, f"label:{n}"})):
                return None
            path = _onto_outlines(path, a, fs, b, ts, boxes[d.source], boxes[d.target], d, shapes)
            scale = head_scale.get(d.edge.kind, 1.0)
            return _with_heads(d, path, style.head_length * scale, style.head_width * scale)

        fans.over_heads(drawn, routed, taut, plainer)
    unguided = {d.number for d in drawn if d.number not in loops and d.number not in guides and not d.edge.bend}
    return [routed[d.number] for d in drawn], sides, unguided


DETOUR = 1.3  # a guided route longer than this × its ends' distance tries a way of its own
FAR = 1.5  # ... and takes the router's way if at all shorter, when longer than this
TAUT_FROM = 20  # blocks from which guided edges are pulled taut (smaller pictures keep their S-curves)
RESCUE_STATES = 60_000  # a rescue search gives up past this many states (a way round is then kept)
LEG = 2.0  # px: a stub this short at a port is no leg (the one after it is run on to the outline)
LEAD_IN = 24.0  # px a taut arm crossing its fan's others at an end runs square into (out of) its side there
TAUT_UPTO = 300  # drawn edges up to which they are (untangling more would cost more than the layout)




def _steeps(
    into: dict[tuple[str, str], list[int]],
    stubs: dict[int, float],
    guides: dict[int, Guide],
    ports: dict[tuple[int, int], Point],
    drawn: Sequence[DrawnEdge],
    bands: dict[str, tuple[float, float]],
    tops: Sequence[Box],
    made: dict[int, tuple[str, list[tuple[Point, Point]]]],
) -> dict[int, float]:
    """The guided arms into a side (of several, with stubs) beside a steep one (``paths.gated``): their
    last S-curves take a stub as it does, however shallow (a steepness of any S), so that a stubbed arm's
    S and its neighbour's, which would end level with its head, do not cross. Each arm's runs through its
    gates go into ``made``, with the side they leave by (drawing the arm needs them again)."""
    out: dict[int, float] = {}
    for arms in into.values():
        gated = [n for n in arms if n in stubs and n in guides and not guides[n].search]
        if len(gated) < 2:
            continue
        steep = False
        for n in gated:
            d = drawn[n]
            side = guides[n].sides[0]
            runs = through_gates(ports[(n, 0)], ports[(n, 1)], guides[n], bands[d.source], bands[d.target], side, tops)
            made[n] = (side, runs)
            if len(runs) < 2:
                continue
            cur, (a, _) = runs[-2][1], runs[-1]
            flow = NORMALS[guides[n].sides[0]]
            dx, dy = a.x - cur.x, a.y - cur.y
            along, across = abs(dx * flow.x + dy * flow.y), abs(dx * flow.y - dy * flow.x)
            steep = steep or across > paths.STEEP * along
        if steep:
            out.update((n, 1e-9) for n in gated)
    return out


def _taut(blocks: dict[str, Box], drawn: Sequence[DrawnEdge]) -> bool:
    """Whether guided edges are pulled taut (a big picture, but not too big)."""
    return pulled_taut(len(blocks), len(drawn))


def pulled_taut(blocks: int, drawn: int) -> bool:
    """Whether a picture of so many blocks and drawn edges has its guided edges pulled taut (else they
    keep their S-curves between the layers)."""
    return blocks >= TAUT_FROM and drawn <= TAUT_UPTO


def _loops_beside(
    loops: dict[int, Loop],
    drawn: Sequence[DrawnEdge],
    sides: dict[int, tuple[str, str]],
    boxes: dict[str, Box],
    shapes: dict[str, Shape],
    flow_vertical: bool,
) -> dict[int, Loop]:
    """The loops again, now that the blocks are placed: off the sides other edges use."""
    if not loops:
        return {}
    busy: dict[str, set[str]] = {}
    for n, (fs, ts) in sides.items():
        busy.setdefault(drawn[n].source, set()).add(fs)
        busy.setdefault(drawn[n].target, set()).add(ts)
    return self_loops.plan_loops(
        [(n, drawn[n].source, self_loops.chosen_side(drawn[n].edge.from_side, drawn[n].edge.to_side)) for n in loops],
        {k: (box.w, box.h) for k, box in boxes.items()},
        shapes,
        {n: loop.label for n, loop in loops.items()},
        flow_vertical,
        busy,
    )


def _direct(
    d: DrawnEdge,
    points: list[Point],
    fs: str,
    ts: str,
    pull: _Pulls,
    solid: direct.Obstacles,
    reserved: dict[int, Box],
    style: EdgeStyle,
) -> ScenePath | None:
    """The guided edge pulled taut through its gates (``direct``), its corners rounded; through the centre
    of its own reserved label, if it has one. None when the rounded path would touch a block or furniture."""
    skip = frozenset({d.source, d.target, f"label:{d.number}"})
    pulled = pull(d, points, fs, ts, reserved)
    path = paths.rounded(pulled, style.radius)
    # what it touches, its gates' way touched too (a frame's label over the gates, moved off later)
    if not solid.hit(path.points(8), skip) <= solid.hit(points, skip):
        return None
    return path


class _Pulls:
    """Guided edges' points pulled taut among the obstacles ``clear`` (``_pulled``), each way pulled once."""

    def __init__(self, clear: direct.Obstacles, lined_up: frozenset[int] = frozenset()) -> None:
        self.clear = clear
        self.lined_up = lined_up  # edges whose label ``lined`` moved onto their line
        self._found: dict[tuple[int, tuple[Point, ...], str, str, Box | None], list[Point]] = {}

    def __call__(self, d: DrawnEdge, points: list[Point], fs: str, ts: str, reserved: dict[int, Box]) -> list[Point]:
        """``_pulled`` (its own label, if ``reserved`` keeps one, is all it reads of them)."""
        key = (d.number, tuple(points), fs, ts, reserved.get(d.number))
        if key not in self._found:
            self._found[key] = _pulled(d, points, fs, ts, self.clear, reserved, d.number in self.lined_up)
        return list(self._found[key])


def _pulled(
    d: DrawnEdge,
    points: list[Point],
    fs: str,
    ts: str,
    clear: direct.Obstacles,
    reserved: dict[int, Box],
    lined_up: bool = False,
) -> list[Point]:
    """The guided edge's points pulled taut, through the centre of its own reserved label if it has one
    on its way (``lined_up``: moved onto its line pulled taut, where it lies along the flow)."""
    points = list(points)
    fixed: frozenset[int] = frozenset()
    own = reserved.get(d.number)
    if own is not None:
        centre = Point(own.cx, own.cy)
        flow = NORMALS[fs]
        along = [p.x * flow.x + p.y * flow.y for p in points]
        at = centre.x * flow.x + centre.y * flow.y
        spot = next((i for i in range(1, len(points)) if _on_segment(centre, points[i - 1], points[i])), None)
        if spot is None and lined_up:
            spot = next((i for i in range(1, len(points)) if along[i - 1] < at < along[i]), None)
        if spot is not None:
            points.insert(spot, centre)
            fixed = frozenset({spot})
    skip = frozenset({d.source, d.target, f"label:{d.number}"})
    line = direct.taut(points, clear, skip, NORMALS[fs], NORMALS[ts].scale(-1), fixed)
    return direct.squared(line, NORMALS[fs], NORMALS[ts].scale(-1), LEAD_IN, clear, skip)


def _shorter(
    d: DrawnEdge,
    start: Point,
    end: Point,
    sides: tuple[str, str],
    guide: Guide,
    bands: dict[str, tuple[float, float]],
    tops: Sequence[Box],
    router: Router,
    pull: _Pulls,
    style: EdgeStyle,
) -> list[Point] | None:
    """For a guided edge whose gates go round (the room its layers kept lies over a frame, or beyond
    the picture), the router's way, when pulled taut that is clearly shorter; else None."""
    fs, ts = sides
    runs = through_gates(start, end, guide, bands[d.source], bands[d.target], fs, tops)
    kept = direct.length(pull(d, [p for run in runs for p in run], fs, ts, {}))
    straight = max((end - start).length(), 1.0)
    if kept <= DETOUR * straight:
        return None
    way = _found(start, end, fs, ts, router, style)
    if way is None:
        return None
    # clearly shorter; or shorter at all, where the gates' way is a detour a reader sees (FAR)
    enough = kept if kept > FAR * straight else 0.85 * kept
    return None if direct.length(pull(d, way, fs, ts, {})) >= enough else way


def _found(start: Point, end: Point, fs: str, ts: str, router: Router, style: EdgeStyle) -> list[Point] | None:
    """The router's way between two ports, ends included; None if it finds none."""
    lead = style.margin + 2 + style.head_length * 0.7
    a, b = start + NORMALS[fs].scale(lead), end + NORMALS[ts].scale(lead)
    found = router.route(a, OUTWARD[fs], b, INWARD[ts], limit=RESCUE_STATES)
    return None if found is None else [start, *found, end]


def _on_segment(p: Point, a: Point, b: Point) -> bool:
    d, e = b - a, p - a
    span = d.length()
    if span < 1e-6 or abs(d.x * e.y - d.y * e.x) > 0.5 * span:
        return False
    t = (d.x * e.x + d.y * e.y) / (span * span)
    return 0.0 <= t <= 1.0


def _onto_outlines(
    path: ScenePath,
    start: Point,
    fs: str,
    end: Point,
    ts: str,
    a: Box,
    b: Box,
    d: DrawnEdge,
    shapes: dict[str, Shape],
) -> ScenePath:
    """Extend a path whose ports lie on bounding boxes to the shapes' outlines
    (circles, ellipses, diamonds, pills and cylinders sit inside their box): along its end legs where
    they reach the outline so (``Shape.along_onto``), else square to the side."""
    source, target = shapes.get(d.source, DEFAULT), shapes.get(d.target, DEFAULT)
    if source.inset(start, fs, a) == 0.0 and target.inset(end, ts, b) == 0.0:
        return path  # both ports on the outline already (most ends on the straight of a box's side)
    first = source.on_outline(start, fs, a)
    last = target.on_outline(end, ts, b)
    segments, joint = path.segments, path.start
    if segments and (first - start).length() > 0.01:  # the first leg run on to the outline, if it can
        rest, at = segments, path.start  # past a stub shorter than LEG at the port: the leg it leads into
        while len(rest) > 1 and (rest[0].end - start).length() < LEG:
            at, rest = rest[0].end, rest[1:]
        leg = ScenePath(at, rest[:1])
        along = source.along_onto(start, fs, a, paths.end_direction(paths.reverse(leg)))
        if along is not None:  # the stub goes: the leg runs straight on to the outline
            first, segments, joint = along, rest, at
    if (first - start).length() > 0.01:
        path = ScenePath(first, (Line(joint), *segments))
    if (last - end).length() > 0.01:
        path = ScenePath(path.start, (*path.segments, Line(last)))
    return path


def _facing_moved(
    moved: dict[int, Point | None],
    before: dict[int, Box],
    guides: dict[int, Guide],
    sides: dict[int, tuple[str, str]],
    ports: dict[tuple[int, int], Point],
    flow_vertical: bool,
) -> dict[tuple[int, int], float]:
    """The ends (edge, 0 or 1) whose first (last) gate is a label that moved onto the edge's line, and
    where along their side the line from the other end through the label's new centre meets it: the end
    still aims at where the label was, and would jog to it."""
    aims: dict[tuple[int, int], float] = {}
    for n, centre in sorted(moved.items()):
        if centre is None or n not in guides or not guides[n].gates:
            continue
        old = before[n]
        was, at = (old.cx, old.cy) if flow_vertical else (old.cy, old.cx)
        for end, gate in ((0, guides[n].gates[0]), (1, guides[n].gates[-1])):
            side = sides[n][end]
            if (side in ("top", "bottom")) != flow_vertical:
                continue
            a, b = gate
            ga, gb, gl = (a.x, a.y, b.y) if flow_vertical else (a.y, a.x, b.x)
            if abs(ga - was) > 0.5 or not min(gb, gl) - 1e-6 <= at <= max(gb, gl) + 1e-6:
                continue
            far, own = ports[(n, 1 - end)], ports[(n, end)]
            f_across, f_along = (far.x, far.y) if flow_vertical else (far.y, far.x)
            c_across, c_along = (centre.x, centre.y) if flow_vertical else (centre.y, centre.x)
            o_across, o_along = (own.x, own.y) if flow_vertical else (own.y, own.x)
            if abs(c_along - f_along) < 1.0 or (o_along - c_along) * (c_along - f_along) <= 0:
                continue  # the label not between the ends along the flow
            to = c_across + (c_across - f_across) * (o_along - c_along) / (c_along - f_along)
            if abs(to - o_across) > 0.5:
                aims[(n, end)] = to
    return aims


def _coordinate(p: Point, side: str) -> float:
    """``p``'s coordinate along a side (x for top and bottom, y for left and right)."""
    return p.x if side in ("top", "bottom") else p.y


def _toward(side: str, other: Box) -> float:
    return other.cx if side in ("top", "bottom") else other.cy


def _shape(
    d: DrawnEdge,
    start: Point,
    fs: str,
    end: Point,
    ts: str,
    boxes: dict[str, Box],
    foreign: list[Box],
    router: Router,
    style: EdgeStyle,
) -> ScenePath:
    route, bend = d.edge.route, d.edge.bend
    simple: ScenePath | None = None
    if bend and route in ("auto", "curved"):
        simple = paths.arc(start, end, bend)
    elif route == "straight" or (route == "auto" and _facing(start, fs, end, ts)):
        simple = paths.straight(start, end)
    if simple is not None and not crosses_any(simple.points(), foreign):
        router.memory.add(simple.points(4))
        return simple
    lead = style.margin + 2 + style.head_length * 0.7  # the last leg stays straight under its head
    a = start + NORMALS[fs].scale(lead)
    b = end + NORMALS[ts].scale(lead)
    own = [boxes[d.source].inflate(style.margin), boxes[d.target].inflate(style.margin)]
    found = router.route(a, OUTWARD[fs], b, INWARD[ts])
    if found is None:  # boxed in: let it graze its own ends and any label over its lead-ins (never another block)
        covering = [o for o in router.obstacles if (o.contains(a) or o.contains(b)) and o not in foreign]
        found = router.route(a, OUTWARD[fs], b, INWARD[ts], ignore=own + covering)
    if found is None:  # a lead-in in a neighbour's margin (a block close beside that side): lead out shorter
        a, b = start + NORMALS[fs].scale(style.margin / 2), end + NORMALS[ts].scale(style.margin / 2)
        found = router.route(a, OUTWARD[fs], b, INWARD[ts], ignore=own)
    points = [start] + (found or [a, b]) + [end]
    if route == "curved":
        curve = paths.smooth(points)
        if not crosses_any(curve.points(), foreign):
            return curve
    return paths.rounded(points, style.radius)


def _foreign(d: DrawnEdge, inflated: dict[str, Box]) -> list[Box]:
    """The grown blocks an edge's way must miss: all but its own ends."""
    return [inflated[k] for k in sorted(inflated) if k not in (d.source, d.target)]


def _facing(start: Point, fs: str, end: Point, ts: str) -> bool:
    """Whether a straight line from ``start`` to ``end`` is axis-aligned and
    leaves and arrives through its sides (not along a border)."""
    d = end - start
    if min(abs(d.x), abs(d.y)) >= 0.5 or d.length() < 1e-6:
        return False
    out, into = NORMALS[fs], NORMALS[ts].scale(-1)
    return d.x * out.x + d.y * out.y > 0 and d.x * into.x + d.y * into.y > 0


def _with_heads(
    d: DrawnEdge, path: ScenePath, length: float, width: float, label_spots: tuple[Point, ...] = ()
) -> RoutedEdge:
    points = tuple(path.points(8))
    heads: list[tuple[Point, ...]] = []
    arrow = d.edge.arrow
    if arrow in ("end", "both"):
        trimmed = paths.trim_end(path, length * 0.7)
        heads.append(paths.head(path.end, paths.head_direction(path, trimmed), length, width))
        path = trimmed
    if arrow in ("start", "both"):
        back = paths.reverse(path)
        trimmed = paths.trim_end(back, length * 0.7)
        heads.append(paths.head(back.end, paths.head_direction(back, trimmed), length, width))
        path = paths.reverse(trimmed)
    return new(RoutedEdge, (d, path, tuple(heads), points, label_spots))  # thousands: without Record's __new__
