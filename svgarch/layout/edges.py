"""Edge routing: pick sides and ports, shape each path, add arrow heads.

Pre: every block has a box. Post: every drawn edge (one per source/target
pair) has a path that enters no block but its own two ends, and heads as
polygons; the path is trimmed so the line ends under its head.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from svgarch.geometry import Box, Point, bounding_box
from svgarch.layout import paths
from svgarch.layout.orthogonal import Router, crosses_any
from svgarch.layout.ports import (
    INWARD,
    NORMALS,
    OUTWARD,
    PortRequest,
    arc_sides,
    auto_sides,
    desired_position,
    spread,
)
from svgarch.model import Edge
from svgarch.scene import Cubic, ScenePath


class DrawnEdge(NamedTuple):
    """One arrow: a (source, target) pair of a description edge."""

    number: int  # position among all drawn edges
    model_index: int
    source: str
    target: str
    edge: Edge


class RoutedEdge(NamedTuple):
    drawn: DrawnEdge
    path: ScenePath  # trimmed under its heads
    heads: tuple[tuple[Point, ...], ...]
    points: tuple[Point, ...]  # the whole path, flattened, for labels and checks


class EdgeStyle(NamedTuple):
    margin: float  # clearance kept around blocks
    radius: float  # corner radius of orthogonal routes
    head_length: float
    head_width: float
    port_spacing: float
    flow_vertical: bool


def expand(edges: Sequence[Edge]) -> list[DrawnEdge]:
    out: list[DrawnEdge] = []
    for mi, e in enumerate(edges):
        for s in e.sources:
            for t in e.targets:
                out.append(DrawnEdge(len(out), mi, s, t, e))
    return out


def route_edges(
    drawn: Sequence[DrawnEdge],
    boxes: dict[str, Box],
    extra_obstacles: Sequence[Box],
    style: EdgeStyle,
    head_scale: dict[str, float],
) -> list[RoutedEdge]:
    sides: dict[int, tuple[str, str]] = {}
    requests: list[PortRequest] = []
    for d in drawn:
        a, b = boxes[d.source], boxes[d.target]
        if d.source == d.target:
            sides[d.number] = ("right", "right")
        else:
            fs, ts = auto_sides(a, b, style.flow_vertical)
            if d.edge.bend and d.edge.route in ("auto", "curved"):
                fs, ts = arc_sides(a, b, d.edge.bend, d.edge.from_side, d.edge.to_side, (fs, ts))
            fs = fs if d.edge.from_side == "auto" else d.edge.from_side
            ts = ts if d.edge.to_side == "auto" else d.edge.to_side
            sides[d.number] = (fs, ts)
        fs, ts = sides[d.number]
        requests.append(PortRequest((d.number, 0), d.source, fs, desired_position(a, fs, b, ts), _toward(fs, b)))
        requests.append(PortRequest((d.number, 1), d.target, ts, desired_position(b, ts, a, fs), _toward(ts, a)))
    ports = spread(requests, boxes, style.port_spacing, style.radius + 6)

    inflated = {k: b.inflate(style.margin) for k, b in boxes.items()}
    obstacles = sorted(inflated.values(), key=lambda b: (b.x, b.y)) + [
        o.inflate(style.margin / 2) for o in extra_obstacles
    ]
    bounds = bounding_box(obstacles).inflate(style.margin * 4)
    router = Router(obstacles, bounds)

    def order(d: DrawnEdge) -> tuple[int, float, int]:
        p, q = ports[(d.number, 0)], ports[(d.number, 1)]
        aligned = abs(p.x - q.x) < 1 or abs(p.y - q.y) < 1
        return (0 if aligned or d.edge.bend else 1, abs(p.x - q.x) + abs(p.y - q.y), d.number)

    routed: dict[int, RoutedEdge] = {}
    for d in sorted(drawn, key=order):
        fs, ts = sides[d.number]
        start, end = ports[(d.number, 0)], ports[(d.number, 1)]
        foreign = [inflated[k] for k in sorted(inflated) if k not in (d.source, d.target)]
        path = _shape(d, start, fs, end, ts, boxes, foreign, router, style)
        scale = head_scale.get(d.edge.kind, 1.0)
        routed[d.number] = _with_heads(d, path, style.head_length * scale, style.head_width * scale)
    return [routed[d.number] for d in drawn]


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
    if d.source == d.target:
        return _loop(start, end, fs, style)
    route, bend = d.edge.route, d.edge.bend
    simple: ScenePath | None = None
    if bend and route in ("auto", "curved"):
        simple = paths.arc(start, end, bend)
    elif route == "straight" or (route == "auto" and _facing(start, fs, end, ts)):
        simple = paths.straight(start, end)
    if simple is not None and not crosses_any(simple.points(), foreign):
        router.memory.add(simple.points(4))
        return simple
    lead = style.margin + 2
    a = start + NORMALS[fs].scale(lead)
    b = end + NORMALS[ts].scale(lead)
    own = [boxes[d.source].inflate(style.margin), boxes[d.target].inflate(style.margin)]
    found = router.route(a, OUTWARD[fs], b, INWARD[ts])
    if found is None:  # boxed in: allow the route to graze its own ends
        found = router.route(a, OUTWARD[fs], b, INWARD[ts], ignore=own)
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


def _loop(start: Point, end: Point, side: str, style: EdgeStyle) -> ScenePath:
    """A self-loop out of one side of a block and back, between its two ports."""
    out = NORMALS[side]
    reach = style.margin * 2.5 + (end - start).length() / 2
    return ScenePath(start, (Cubic(start + out.scale(reach), end + out.scale(reach), end),))


def _with_heads(d: DrawnEdge, path: ScenePath, length: float, width: float) -> RoutedEdge:
    points = tuple(path.points())
    heads: list[tuple[Point, ...]] = []
    arrow = d.edge.arrow
    if arrow in ("end", "both"):
        heads.append(paths.head(path.end, paths.end_direction(path), length, width))
        path = paths.trim_end(path, length * 0.7)
    if arrow in ("start", "both"):
        back = paths.reverse(path)
        heads.append(paths.head(back.end, paths.end_direction(back), length, width))
        path = paths.reverse(paths.trim_end(back, length * 0.7))
    return RoutedEdge(d, path, tuple(heads), points)
