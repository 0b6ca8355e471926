"""Edge routing: pick sides and ports, shape each path, add arrow heads.

Pre: every block has a box. Post: every drawn edge (one per source/target
pair) has a path that enters no block but its own two ends, and heads as
polygons; the path is trimmed so the line ends under its head.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from svgarch.geometry import Box, Point, bounding_box, segments_cross
from svgarch.layout import direct, paths
from svgarch.layout import loops as self_loops
from svgarch.layout.orthogonal import Router, crosses_any
from svgarch.layout.ports import (
    INWARD,
    OUTWARD,
    PortRequest,
    arc_sides,
    auto_sides,
    desired_position,
    spread,
)
from svgarch.layout.types import DrawnEdge, EdgeStyle, Guide, Loop, RoutedEdge, follows_guide
from svgarch.scene import Line, ScenePath
from svgarch.shapes import DEFAULT, NORMALS, Shape


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
) -> list[RoutedEdge]:
    """Route every drawn edge; edges of an automatic layout follow their guides.

    ``boxes`` are the blocks (obstacles to every edge but their own);
    ``frames`` are group frames, which edges may end on and may cross;
    ``loops`` shape the edges from a block to itself; ``reserved`` are the label
    boxes automatic layout kept on edges (by drawn edge), which other edges avoid.
    """
    blocks = boxes
    boxes = {**frames, **blocks}
    # a group end's band is its frame's extent along the flow: the edge runs straight up to the frame
    bands = {**{k: (f.y, f.bottom) if style.flow_vertical else (f.x, f.right) for k, f in frames.items()}, **bands}
    guides = {n: g for n, g in guides.items() if follows_guide(drawn[n].edge)}
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
            fs = fs if d.edge.from_side == "auto" else d.edge.from_side
            ts = ts if d.edge.to_side == "auto" else d.edge.to_side
            sides[d.number] = (fs, ts)
        fs, ts = sides[d.number]
        want_a, want_b = desired_position(a, fs, b, ts), desired_position(b, ts, a, fs)
        toward_a, toward_b = _toward(fs, b), _toward(ts, a)
        gated = d.number in guides and bool(guides[d.number].gates)
        if gated:  # aim at the first and last gate
            gates = guides[d.number].gates
            toward_a = want_a = _coordinate(gates[0][0], fs)
            toward_b = want_b = _coordinate(gates[-1][1], ts)
        if d.number in guides:  # a group end: above (beside) the member the engine attached it to;
            anchor_a, anchor_b = guides[d.number].ends  # edges sharing it order by where they go
            if anchor_a is not None:
                want_a, toward_a = _coordinate(anchor_a, fs), _toward(fs, b)
            if anchor_b is not None:
                want_b, toward_b = _coordinate(anchor_b, ts), _toward(ts, a)
        requests.append(PortRequest((d.number, 0), d.source, fs, want_a, toward_a, not gated))
        requests.append(PortRequest((d.number, 1), d.target, ts, want_b, toward_b, not gated))
    loops = _loops_beside(loops, drawn, sides, boxes, shapes, style.flow_vertical)
    taken = {(drawn[n].source, fs) for n, (fs, _) in sides.items()} | {
        (drawn[n].target, ts) for n, (_, ts) in sides.items()
    }
    for n, loop in loops.items():
        sides[n] = (loop.side, loop.side)
        first, last = self_loops.ports(boxes[drawn[n].source], loop, aside=(drawn[n].source, loop.side) in taken)
        requests.append(PortRequest((n, 0), drawn[n].source, loop.side, _coordinate(first, loop.side)))
        requests.append(PortRequest((n, 1), drawn[n].source, loop.side, _coordinate(last, loop.side)))
    reach = {k: s.port_reach for k, s in shapes.items() if s.port_reach and k in blocks}
    ports = spread(requests, boxes, style.port_spacing, style.port_inset, reach)

    inflated = {k: b.inflate(style.margin) for k, b in blocks.items()}
    reserved = reserved or {}
    taut_routes = len(blocks) >= TAUT_FROM
    obstacles = sorted(inflated.values(), key=lambda b: (b.x, b.y)) + [
        o.inflate(style.margin / 2) for o in (*extra_obstacles, *(reserved[n] for n in sorted(reserved)))
    ]
    bounds = bounding_box(obstacles).inflate(style.margin * 4)
    router = Router(obstacles, bounds)

    def order(d: DrawnEdge) -> tuple[int, float, int]:
        p, q = ports[(d.number, 0)], ports[(d.number, 1)]
        aligned = abs(p.x - q.x) < 1 or abs(p.y - q.y) < 1
        return (0 if aligned or d.edge.bend else 1, abs(p.x - q.x) + abs(p.y - q.y), d.number)

    routed: dict[int, RoutedEdge] = {}
    searching = len(guides) < len(drawn)
    tops = sorted(frames.values(), key=lambda f: (f.y, f.x)) if style.flow_vertical else []
    clear = direct.Obstacles(
        [(k, b) for k, b in sorted(inflated.items())]
        + [("", o.inflate(style.margin / 2)) for o in extra_obstacles]
        + [(f"label:{n}", b) for n, b in sorted(reserved.items())]
    )
    solid = direct.Obstacles(  # what a rounded path may not touch at all
        [(k, b) for k, b in sorted(blocks.items())]
        + [("", o) for o in extra_obstacles]
        + [(f"label:{n}", b) for n, b in sorted(reserved.items())]
    )
    spread_ports = ports
    ways: dict[int, list[Point]] = {}  # guided edges that take the router's way instead of their gates'
    if taut_routes:
        for n in sorted(guides):
            if n not in reserved:
                ends = ports[(n, 0)], ports[(n, 1)]
                way = _shorter(drawn[n], *ends, sides[n], guides[n], bands, tops, router, clear, style)
                if way is not None:
                    ways[n] = way
        ports = _fanned(drawn, ports, sides, guides, bands, tops, clear, reserved, ways)
    for d in sorted(drawn, key=order):
        fs, ts = sides[d.number]
        start, end = ports[(d.number, 0)], ports[(d.number, 1)]
        spots: tuple[Point, ...] = ()
        if d.number in loops:  # begins and ends on the outline itself
            loop = loops[d.number]
            path = self_loops.loop_path(start, end, boxes[d.source], shapes.get(d.source, DEFAULT), loop)
            spots = self_loops.label_centres(start, end, loop)
            if searching:
                router.memory.add(path.points(4))
        elif d.number in guides:
            runs = _runs(start, end, guides[d.number], bands[d.source], bands[d.target], fs, tops)
            points = [start, *ways[d.number][1:-1], end] if d.number in ways else [p for run in runs for p in run]
            path = paths.gated(runs, NORMALS[fs])
            if taut_routes:
                path = _direct(d, points, fs, ts, clear, solid, reserved, style) or path
            if searching:  # later searches steer clear of it
                router.memory.add(path.points(4))
        else:
            foreign = [inflated[k] for k in sorted(inflated) if k not in (d.source, d.target)]
            path = _shape(d, start, fs, end, ts, boxes, foreign, router, style)
        if d.number not in loops:
            path = _onto_outlines(path, start, fs, end, ts, boxes[d.source], boxes[d.target], d, shapes)
        scale = head_scale.get(d.edge.kind, 1.0)
        routed[d.number] = _with_heads(d, path, style.head_length * scale, style.head_width * scale, spots)

    def fallback(n: int) -> RoutedEdge:
        """The guided edge through its gates, from the ports as spread for them: how it was drawn before."""
        d = drawn[n]
        fs, ts = sides[n]
        start, end = spread_ports[(n, 0)], spread_ports[(n, 1)]
        runs = _runs(start, end, guides[n], bands[d.source], bands[d.target], fs, tops)
        path = paths.gated(runs, NORMALS[fs])
        path = _onto_outlines(path, start, fs, end, ts, boxes[d.source], boxes[d.target], d, shapes)
        scale = head_scale.get(d.edge.kind, 1.0)
        return _with_heads(d, path, style.head_length * scale, style.head_width * scale)

    if taut_routes:
        _untangle(drawn, routed, sorted(guides), fallback)
    return [routed[d.number] for d in drawn]


DETOUR = 1.3  # a guided route longer than this × its ends' distance tries a way of its own
TAUT_FROM = 20  # blocks from which guided edges are pulled taut (smaller pictures keep their S-curves)
SHARED_END = 12.0  # px round a shared end where two arms may meet
SAMPLE = 2.0  # px between the samples that find two edges running on one line


def _untangle(
    drawn: Sequence[DrawnEdge], routed: dict[int, RoutedEdge], guided: list[int], fallback: Callable[[int], RoutedEdge]
) -> None:
    """Guided edges drawn taut go back to their gates (``fallback``) where they cross an arm of their
    fan (an edge sharing an end) and the gates' way does not, or run on an edge with no end in common
    for 40 px: both ways a reader loses the line. A few rounds, as each change may settle another."""
    kept: dict[int, RoutedEdge] = {}

    def old(n: int) -> tuple[Point, ...]:
        if n not in kept:
            kept[n] = fallback(n)
        return kept[n].points

    by_end: dict[str, list[int]] = {}
    for n in sorted(routed):
        by_end.setdefault(drawn[n].source, []).append(n)
        if drawn[n].target != drawn[n].source:
            by_end.setdefault(drawn[n].target, []).append(n)
    back: set[int] = set()  # reverted
    for _ in range(3):
        taut = set(guided) - back
        bad: set[int] = set()
        for n in sorted(taut):
            for block in (drawn[n].source, drawn[n].target):
                for m in by_end[block]:
                    if m == n or not _cross_away(routed[n].points, routed[m].points, block, drawn[n], drawn[m]):
                        continue
                    if not _cross_away(old(n), routed[m].points, block, drawn[n], drawn[m]):
                        bad.add(n)
                    elif m in taut and not _cross_away(old(m), routed[n].points, block, drawn[m], drawn[n]):
                        bad.add(m)
                    elif m in taut and not _cross_away(old(n), old(m), block, drawn[n], drawn[m]):
                        bad |= {n, m}
        bad |= _coinciding(drawn, routed, taut - bad)
        if not bad:
            return
        for n in sorted(bad):
            old(n)
            routed[n] = kept[n]
        back |= bad


def _coinciding(drawn: Sequence[DrawnEdge], routed: dict[int, RoutedEdge], taut: set[int]) -> set[int]:
    """The taut edges that run on an edge with no end in common for 40 px (on one line, 2 px cells)."""
    cells: dict[tuple[int, int], set[int]] = {}
    samples: dict[int, list[tuple[int, int]]] = {}
    for n in sorted(routed):
        keys = [(round(p.x / SAMPLE), round(p.y / SAMPLE)) for p in _samples(routed[n].points)]
        samples[n] = keys
        for key in keys:
            cells.setdefault(key, set()).add(n)
    out: set[int] = set()
    for n in sorted(taut):
        ends = {drawn[n].source, drawn[n].target}
        shared: dict[int, int] = {}
        for key in samples[n]:
            for m in cells.get(key, ()):
                if m != n and not ends & {drawn[m].source, drawn[m].target}:
                    shared[m] = shared.get(m, 0) + 1
        if any(count * SAMPLE >= 40 for count in shared.values()):
            out.add(n)
    return out


def _cross_away(u: Sequence[Point], v: Sequence[Point], block: str, e: DrawnEdge, f: DrawnEdge) -> bool:
    """Whether two arms sharing ``block`` cross farther than SHARED_END from where they meet it."""
    here = u[0] if e.source == block else u[-1]
    for a, b in itertools.pairwise(u):
        if (a - here).length() < SHARED_END and (b - here).length() < SHARED_END:
            continue
        for c, d in itertools.pairwise(v):
            if segments_cross(a, b, c, d):
                return True
    return False


def _samples(points: Sequence[Point]) -> list[Point]:
    out = [points[0]]
    for a, b in itertools.pairwise(points):
        steps = int((b - a).length() / SAMPLE)
        out.extend(a + (b - a).scale(i / max(steps, 1)) for i in range(1, steps + 1))
    return out


def _loops_beside(
    loops: dict[int, Loop],
    drawn: Sequence[DrawnEdge],
    sides: dict[int, tuple[str, str]],
    boxes: dict[str, Box],
    shapes: dict[str, Shape],
    flow_vertical: bool,
) -> dict[int, Loop]:
    """The loops again, now that the blocks are placed: off the sides other edges use."""
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


def _runs(
    start: Point,
    end: Point,
    guide: Guide,
    source_band: tuple[float, float],
    target_band: tuple[float, float],
    side: str,
    frames: Sequence[Box] = (),
) -> list[tuple[Point, Point]]:
    """The edge's runs through its guide's gates: out of its own layer band, through
    each band it crosses at its reserved place, into its target's band.

    ``frames`` (group frames, when layers are rows) keep their top strip,
    where their label is, clear of the S-curves between bands: a curve that
    would sweep across a frame's top makes its move above it, and runs
    straight through the strip."""
    flow = NORMALS[side]
    vertical = flow.x == 0
    back = flow.x + flow.y < 0

    def at(p: Point, coordinate: float) -> Point:
        return Point(p.x, coordinate) if vertical else Point(coordinate, p.y)

    leave = source_band[0] if back else source_band[1]
    arrive = target_band[1] if back else target_band[0]
    runs = [(start, at(start, leave)), *guide.gates, (at(end, arrive), end)]
    if frames and vertical:
        runs = _above_frame_tops(runs, frames)
    return runs


def _direct(
    d: DrawnEdge,
    points: list[Point],
    fs: str,
    ts: str,
    clear: direct.Obstacles,
    solid: direct.Obstacles,
    reserved: dict[int, Box],
    style: EdgeStyle,
) -> ScenePath | None:
    """The guided edge pulled taut through its gates (``direct``), its corners rounded; through the centre
    of its own reserved label, if it has one. None when the rounded path would touch a block or furniture."""
    skip = frozenset({d.source, d.target, f"label:{d.number}"})
    pulled = _pulled(d, points, fs, ts, clear, reserved)
    path = paths.rounded(pulled, style.radius)
    flat = path.points(8)
    if any(solid.blocked(a, b, skip) for a, b in itertools.pairwise(flat)):
        return None
    return path


def _pulled(
    d: DrawnEdge, points: list[Point], fs: str, ts: str, clear: direct.Obstacles, reserved: dict[int, Box]
) -> list[Point]:
    """The guided edge's points pulled taut, through the centre of its own reserved label if it has one."""
    points = list(points)
    fixed: frozenset[int] = frozenset()
    own = reserved.get(d.number)
    if own is not None:
        centre = Point(own.cx, own.cy)
        for i in range(1, len(points)):
            a, b = points[i - 1], points[i]
            if _on_segment(centre, a, b):
                points.insert(i, centre)
                fixed = frozenset({i})
                break
    skip = frozenset({d.source, d.target, f"label:{d.number}"})
    return direct.taut(points, clear, skip, NORMALS[fs], NORMALS[ts].scale(-1), fixed)


def _fanned(
    drawn: Sequence[DrawnEdge],
    ports: dict[tuple[int, int], Point],
    sides: dict[int, tuple[str, str]],
    guides: dict[int, Guide],
    bands: dict[str, tuple[float, float]],
    tops: Sequence[Box],
    clear: direct.Obstacles,
    reserved: dict[int, Box],
    ways: dict[int, list[Point]],
) -> dict[tuple[int, int], Point]:
    """Ports of guided edges that share a side of a block, now that their edges run taut: each
    takes the port on the side its first (last) leg heads to, so arms of a fan part without crossing."""
    ends: dict[tuple[str, str, int], list[int]] = {}
    for n in sorted(guides):
        d = drawn[n]
        fs, ts = sides[n]
        ends.setdefault((d.source, fs, 0), []).append(n)
        ends.setdefault((d.target, ts, 1), []).append(n)
    out = dict(ports)
    cache: dict[tuple[int, Point, Point], list[Point]] = {}

    def pulled(n: int, start: Point, end: Point) -> list[Point]:
        if (n, start, end) not in cache:
            d = drawn[n]
            fs, ts = sides[n]
            runs = _runs(start, end, guides[n], bands[d.source], bands[d.target], fs, tops)
            points = [start, *ways[n][1:-1], end] if n in ways else [p for run in runs for p in run]
            cache[(n, start, end)] = _pulled(d, points, fs, ts, clear, reserved)
        return cache[(n, start, end)]

    def tangles(arms: list[int], places: list[Point], end: int, order: tuple[int, ...]) -> int:
        """Crossings between the arms when arm ``i`` takes port ``places[order[i]]`` at its ``end``."""
        lines = [
            pulled(n, places[k], out[(n, 1)]) if end == 0 else pulled(n, out[(n, 0)], places[k])
            for n, k in zip(arms, order, strict=True)
        ]
        return _tangles(lines)

    for (_, _, end), arms in sorted(ends.items(), key=lambda item: (item[0][2], item[0][:2])):
        if not 1 < len(arms) <= FAN_TRIES:
            continue
        places = [out[(n, end)] for n in arms]

        trials = {order: tangles(arms, places, end, order) for order in itertools.permutations(range(len(arms)))}
        best = min(trials, key=lambda order: (trials[order], order))
        for n, k in zip(arms, best, strict=True):
            out[(n, end)] = places[k]
    return out


FAN_TRIES = 6  # arms on one side whose every order of ports is tried


def _tangles(lines: Sequence[Sequence[Point]]) -> int:
    """Crossings between polylines (the arms of a fan from their ports)."""
    count = 0
    for u, v in itertools.combinations(lines, 2):
        for a, b in itertools.pairwise(u):
            for c, e in itertools.pairwise(v):
                count += segments_cross(a, b, c, e)
    return count




def _shorter(
    d: DrawnEdge,
    start: Point,
    end: Point,
    sides: tuple[str, str],
    guide: Guide,
    bands: dict[str, tuple[float, float]],
    tops: Sequence[Box],
    router: Router,
    clear: direct.Obstacles,
    style: EdgeStyle,
) -> list[Point] | None:
    """For a guided edge whose gates go round (the room its layers kept lies over a frame, or beyond
    the picture), the router's way, when pulled taut that is clearly shorter; else None."""
    fs, ts = sides
    runs = _runs(start, end, guide, bands[d.source], bands[d.target], fs, tops)
    kept = direct.length(_pulled(d, [p for run in runs for p in run], fs, ts, clear, {}))
    if kept <= DETOUR * max((end - start).length(), 1.0):
        return None
    lead = style.margin + 2 + style.head_length * 0.7
    a, b = start + NORMALS[fs].scale(lead), end + NORMALS[ts].scale(lead)
    found = router.route(a, OUTWARD[fs], b, INWARD[ts])
    if found is None:
        return None
    way = [start, *found, end]
    if direct.length(_pulled(d, way, fs, ts, clear, {})) > 0.85 * kept:
        return None
    return way


def _on_segment(p: Point, a: Point, b: Point) -> bool:
    d, e = b - a, p - a
    span = d.length()
    if span < 1e-6 or abs(d.x * e.y - d.y * e.x) > 0.5 * span:
        return False
    t = (d.x * e.x + d.y * e.y) / (span * span)
    return 0.0 <= t <= 1.0


LANE = 12.0  # least height an S-curve keeps for its move between two bands
CLEAR = 4.0  # how far above a frame's top the move ends


def _above_frame_tops(runs: list[tuple[Point, Point]], frames: Sequence[Box]) -> list[tuple[Point, Point]]:
    """Runs (vertical, top to bottom or bottom to top) whose joining S-curves end above the top of
    every frame that lies between the two runs and under the curve's sweep: the lower run is
    lengthened up to there. A curve with too little room left keeps the whole gap."""
    out = list(runs)
    for i in range(len(out) - 1):
        p, q = out[i][1], out[i + 1][0]
        if abs(p.x - q.x) < 0.5:
            continue
        upper, lower = min(p.y, q.y), max(p.y, q.y)
        left, right = min(p.x, q.x), max(p.x, q.x)
        tops = [f.y for f in frames if upper < f.y < lower and f.x < right and left < f.right]
        if not tops:
            continue
        lane = min(tops) - CLEAR
        if lane - upper < LANE:
            continue
        if q.y > p.y:  # downward: the next run starts higher
            out[i + 1] = (Point(q.x, lane), out[i + 1][1])
        else:  # upward: this run goes on higher
            out[i] = (out[i][0], Point(p.x, lane))
    return out


def _onto_outlines(
    path: ScenePath, start: Point, fs: str, end: Point, ts: str, a: Box, b: Box, d: DrawnEdge,
    shapes: dict[str, Shape],
) -> ScenePath:
    """Extend a path whose ports lie on bounding boxes to the shapes' outlines
    (circles, ellipses, diamonds, pills and cylinders sit inside their box)."""
    first = shapes.get(d.source, DEFAULT).on_outline(start, fs, a)
    last = shapes.get(d.target, DEFAULT).on_outline(end, ts, b)
    segments = path.segments
    if (first - start).length() > 0.01:
        path = ScenePath(first, (Line(path.start), *segments))
    if (last - end).length() > 0.01:
        path = ScenePath(path.start, (*path.segments, Line(last)))
    return path


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
    points = [start] + (found or [a, b]) + [end]
    if route == "curved":
        curve = paths.smooth(points)
        if not crosses_any(curve.points(), foreign):
            return curve
    return paths.rounded(points, style.radius)


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
        heads.append(paths.head(path.end, paths.end_direction(path), length, width))
        path = paths.trim_end(path, length * 0.7)
    if arrow in ("start", "both"):
        back = paths.reverse(path)
        heads.append(paths.head(back.end, paths.end_direction(back), length, width))
        path = paths.reverse(paths.trim_end(back, length * 0.7))
    return RoutedEdge(d, path, tuple(heads), points, label_spots)
