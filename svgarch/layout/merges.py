"""Merge nodes (⊕, a circle, a small block): the main input enters by the side facing the flow,
a residual or skip input by the node's flank, square into the middle of that side.

Pre: sides chosen for every edge, guides of the automatic layout. Post: the edges that
enter by a flank, and (``side_entry``) the tail of such an edge's path: down its column
to the node's middle, a quarter bend, in square.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from svgarch.geometry import Box, Point
from svgarch.layout import direct
from svgarch.layout.nearness import Lines
from svgarch.layout.ports import OPPOSITE, segment_enters, side_middle
from svgarch.layout.types import DrawnEdge, EdgeStyle, Guide, RoutedEdge
from svgarch.record import Record
from svgarch.scene import Cubic, Line, ScenePath
from svgarch.shapes import NORMALS, Shape

MERGE_SIDE = 4.0  # a block whose side across the flow is at most this many port spacings is a merge node
ROUND = ("circle", "ellipse")  # merge nodes by shape (a diamond's converging ends crowd its points: not one)
ACROSS = {"top": ("left", "right"), "bottom": ("left", "right"), "left": ("top", "bottom"), "right": ("top", "bottom")}


class Arrival(Record):
    """An edge end arriving at a block by the side facing the flow."""

    number: int  # drawn edge index
    target: str
    side: str
    coming: float  # where it comes from, along that side: its last gate's column, or its source's centre
    span: int = 0  # the layers it crosses on its way (its gates): 0 from the layer just before


def is_merge(box: Box, round_shape: bool, side: str, spacing: float) -> bool:
    """Whether a block is a merge node (a circle or ellipse: ``round_shape``; or a small block),
    whose inputs may come in by its sides."""
    return round_shape or (box.w if side in ("top", "bottom") else box.h) <= MERGE_SIDE * spacing


def side_inputs(
    arrivals: list[Arrival], boxes: dict[str, Box], fits: Callable[[Arrival, str], bool]
) -> dict[int, str]:
    """Sides for the inputs of merge nodes that arrive together on the side facing the flow.

    The main input stays there: the one from the nearest layer (an edge crossing no layers,
    not a skip), of those the one coming most nearly in line with the node, the first
    described on a tie.
    Of the rest, the one from farthest out on each flank enters by that flank's side (a
    residual or skip input beside the main arrow), if ``fits`` says its way there is clear
    and it comes from farther out than the main input: an input nearer in, or one with a
    farther one staying beside the main arrow, would cross those coming from beyond it on
    its way round to the flank. Any others stay beside the main input."""
    by_side: dict[tuple[str, str], list[Arrival]] = {}
    for a in arrivals:
        by_side.setdefault((a.target, a.side), []).append(a)
    out: dict[int, str] = {}
    for (target, side), group in sorted(by_side.items()):
        if len(group) < 2:
            continue
        box = boxes[target]
        centre = box.cx if side in ("top", "bottom") else box.cy
        main = min(group, key=lambda a: (a.span, abs(a.coming - centre), a.number))
        low, high = ACROSS[side]
        for flank, sign in ((low, -1.0), (high, 1.0)):
            out_there = sorted(
                (a for a in group if a is not main and (a.coming - centre) * sign > 0),
                key=lambda a: (-abs(a.coming - centre), a.number),
            )
            beyond = (main.coming - centre) * sign  # the main input's way in, on this flank's side
            if out_there and (out_there[0].coming - centre) * sign > beyond and fits(out_there[0], flank):
                out[out_there[0].number] = flank
    return out


def _along_guides(
    d: DrawnEdge,
    sides: dict[int, tuple[str, str]],
    guides: dict[int, Guide],
    blocks: dict[str, Box],
    style: EdgeStyle,
) -> bool:
    """Whether edge ``d`` follows its automatic layout's guides along the flow between two blocks: no
    sides, route or bend asked, leaving and entering by opposite sides across the layers. (A searched
    route (grid, pinned, flat) or a group end keeps the sides chosen for it.)"""
    if d.number not in guides or d.target not in blocks or d.source not in blocks or d.source == d.target:
        return False
    fs, ts = sides[d.number]
    e = d.edge
    if e.to_side != "auto" or e.from_side != "auto" or e.bend or e.route not in ("auto", "curved"):
        return False
    return ts == OPPOSITE[fs] and (ts in ("top", "bottom")) == style.flow_vertical


class _Foreign:
    """The blocks grown by a margin, but an edge's own two ends: what its way must miss. Grown when first
    asked (most diagrams have no merge node to try, and a large one a thousand blocks to grow)."""

    def __init__(self, blocks: dict[str, Box], margin: float) -> None:
        self.blocks, self.margin = blocks, margin
        self.grown: dict[str, Box] = {}

    def __call__(self, source: str, target: str) -> list[Box]:
        if not self.grown:
            self.grown = {k: b.inflate(self.margin) for k, b in self.blocks.items()}
        return [b for k, b in self.grown.items() if k not in (source, target)]


def merge_inputs(
    drawn: Sequence[DrawnEdge],
    sides: dict[int, tuple[str, str]],
    guides: dict[int, Guide],
    bands: dict[str, tuple[float, float]],
    blocks: dict[str, Box],
    shapes: dict[str, Shape],
    style: EdgeStyle,
    strips: Sequence[tuple[Box, float]] = (),
) -> dict[int, str]:
    """The side inputs of merge nodes (``side_inputs``), by edge: the side each enters by.

    Only edges of an automatic layout that follow its guides (no sides, route or bend asked)
    and arrive along the flow qualify. Such an edge comes down the column of its last gate
    (or of its source's port) to the node's middle, then in square: that way must miss
    every other block, leave a frame's label room beside it in the label's strip (``strips``, with
    the room each label needs: ``groups.label_strips``; a node alone in a frame as narrow as its
    label would take the edge in through the label), and leave room for a bend and the arrow head."""
    foreign = _Foreign(blocks, style.margin)
    arrivals: list[Arrival] = []
    for d in drawn:
        if not _along_guides(d, sides, guides, blocks, style):
            continue
        fs, ts = sides[d.number]
        box, shape = blocks[d.target], shapes.get(d.target)
        if not is_merge(box, shape is not None and shape.name in ROUND, ts, style.port_spacing):
            continue
        span = len(guides[d.number].gates) if d.number in guides else 0
        arrivals.append(Arrival(d.number, d.target, ts, _column(d, fs, guides, blocks, style), span))
    need = style.head_length + 10  # a bend of about that radius, then the head square to the side

    def fits(a: Arrival, flank: str) -> bool:
        d, box = drawn[a.number], blocks[a.target]
        along_x = a.side in ("top", "bottom")
        edge_at = side_middle(box, flank)
        sign = 1.0 if flank in ("right", "bottom") else -1.0
        columns = [a.coming]
        if not guides[a.number].gates:  # its column is its source's port, wherever on that side it lands
            source = blocks[d.source]
            low, high = (source.x, source.right) if along_x else (source.y, source.bottom)
            inset = min(style.port_inset / 2, (high - low) / 4)
            columns = [low + inset, high - inset]
        if any((c - (edge_at.x if along_x else edge_at.y)) * sign < need for c in columns):
            return False  # not out beside the node far enough to turn in square and show a head
        lo, hi = bands.get(d.target, (box.y, box.bottom) if along_x else (box.x, box.right))
        arrive = hi if NORMALS[a.side].x + NORMALS[a.side].y > 0 else lo  # the band's edge it comes in by
        others = foreign(d.source, d.target)
        for c in columns:
            top = Point(c, arrive) if along_x else Point(arrive, c)
            corner = Point(c, edge_at.y) if along_x else Point(edge_at.x, c)
            if _enters_any(top, corner, others) or _enters_any(corner, edge_at, others):
                return False
            if any(_crowds(p, q, strip, room) for strip, room in strips for p, q in ((top, corner), (corner, edge_at))):
                return False
        return True

    return side_inputs(arrivals, blocks, fits)


def fork_outputs(
    drawn: Sequence[DrawnEdge],
    sides: dict[int, tuple[str, str]],
    guides: dict[int, Guide],
    bands: dict[str, tuple[float, float]],
    blocks: dict[str, Box],
    shapes: dict[str, Shape],
    style: EdgeStyle,
    used: frozenset[tuple[str, str]] = frozenset(),
) -> dict[int, str]:
    """The side outputs of round merge nodes that fork (``side_inputs`` the other way round), by edge: the
    side each leaves by.

    The edges qualify as for ``merge_inputs``, but by their source (a circle or ellipse: a small block's
    outputs keep to the side facing the flow, where a big picture pulls them taut), and only with gates (a
    layer crossed): the main output stays on the side facing the flow; a residual or skip output farther
    out leaves square out of the middle of the node's flank, turns into the column of its first gate and
    goes down it. That way must miss every other block, and leave room for the bend; and no other edge ends
    on that flank (``used``: (block, side) pairs), nor a side input comes in there."""
    foreign = _Foreign(blocks, style.margin)
    departures: list[Arrival] = []
    for d in drawn:
        if not _along_guides(d, sides, guides, blocks, style):
            continue
        fs = sides[d.number][0]
        shape = shapes.get(d.source)
        if shape is None or shape.name not in ROUND:  # a small block's outputs all leave along the flow
            continue
        gates = guides[d.number].gates
        if gates:
            first = gates[0][0].x if fs in ("top", "bottom") else gates[0][0].y
            departures.append(Arrival(d.number, d.source, fs, first, len(gates)))
        else:  # the nearest layer: the main output, if any (it stays)
            departures.append(Arrival(d.number, d.source, fs, _column(d, fs, guides, blocks, style), 0))
    need = BEND + 2

    def fits(a: Arrival, flank: str) -> bool:
        d, box = drawn[a.number], blocks[a.target]
        if not guides[a.number].gates or (d.source, flank) in used:
            return False
        along_x = a.side in ("top", "bottom")
        edge_at = side_middle(box, flank)
        sign = 1.0 if flank in ("right", "bottom") else -1.0
        if (a.coming - (edge_at.x if along_x else edge_at.y)) * sign < need:
            return False  # not out beside the node far enough to turn
        lo, hi = bands.get(d.source, (box.y, box.bottom) if along_x else (box.x, box.right))
        leave = hi if NORMALS[a.side].x + NORMALS[a.side].y > 0 else lo  # the band's edge it leaves by
        corner = Point(a.coming, edge_at.y) if along_x else Point(edge_at.x, a.coming)
        out = Point(a.coming, leave) if along_x else Point(leave, a.coming)
        others = foreign(d.source, d.target)
        return not any(segment_enters(p, q, b) for p, q in ((edge_at, corner), (corner, out)) for b in others)

    return side_inputs(departures, blocks, fits)


def side_exit(start: Point, corner: Point, path: ScenePath, flow: Point) -> ScenePath:
    """``path`` (starting at ``corner`` with a straight run along ``flow``) led from ``start``, on the side
    of a merge node: square out of it to ``corner``, round a quarter bend there into ``flow``."""
    across = corner - start
    length = across.length()
    first = path.segments[0] if path.segments else None
    if length < 1e-6 or not isinstance(first, Line):
        return ScenePath(start, (Line(corner), *path.segments))
    turn = across.scale(1 / length)
    run = (first.end - corner).length()
    radius = min(BEND, length / 2, max(0.0, run - 1))
    before, after = corner - turn.scale(radius), corner + flow.scale(radius)
    segments: list[Line | Cubic] = [Line(before)]
    if radius > 0:
        segments.append(Cubic(before + turn.scale(radius * KAPPA), after - flow.scale(radius * KAPPA), after))
    return ScenePath(start, (*segments, *path.segments))


def _crowds(p: Point, q: Point, strip: Box, room: float) -> bool:
    """Whether the straight way ``p``-``q`` (square: level or upright) crosses a label's ``strip`` and leaves
    less than ``room`` beside it there, on either side."""
    if not _enters_any(p, q, [strip]):
        return False
    return max(min(p.x, q.x) - strip.x, strip.right - max(p.x, q.x)) < room


def _enters_any(p: Point, q: Point, boxes: list[Box]) -> bool:
    """``any(segment_enters(p, q, b) for b in boxes)``, its arithmetic inline (a block's thousand neighbours)."""
    x0, x1, y0, y1 = min(p.x, q.x), max(p.x, q.x), min(p.y, q.y), max(p.y, q.y)
    return any(x0 < x + w and x < x1 and y0 < y + h and y < y1 for x, y, w, h in boxes)


FAR = 1.5  # a side input drawn longer than this × its ends' distance makes a detour a reader sees


def shorter_inputs(
    inputs: Sequence[int],
    routed: dict[int, RoutedEdge],
    found: Callable[[int], RoutedEdge | None],
    solid: direct.Obstacles,
) -> None:
    """Side inputs drawn as a detour, longer than FAR × their ends' distance (their column kept far out,
    round frames or other inputs' columns, and no taut line cutting across for them), take the router's
    way between their ports (``found``) where that is shorter, enters no block, label or furniture the
    old way did not, and crosses no more edges, nor arms of their fans."""
    lines: Lines | None = None
    for n in inputs:
        d, old = routed[n].drawn, routed[n].points
        if direct.length(old) <= FAR * max(math.dist(old[0], old[-1]), 1.0):
            continue
        new = found(n)
        if new is None or direct.length(new.points) >= direct.length(old):
            continue
        skip = frozenset({d.source, d.target, f"label:{n}"})
        if solid.hit(new.points, skip) - solid.hit(old, skip):
            continue
        if lines is None:
            ends = {k: (r.drawn.source, r.drawn.target) for k, r in routed.items()}
            lines = Lines({k: r.points for k, r in routed.items()}, ends)
        if any(a > b for a, b in zip(lines.crossings(n, new.points), lines.crossings(n, old), strict=True)):
            continue
        routed[n] = new
        lines.replace(n, new.points)


def _column(d: DrawnEdge, fs: str, guides: dict[int, Guide], blocks: dict[str, Box], style: EdgeStyle) -> float:
    """Where an edge comes from across the flow: its last gate, else (about) its source's port."""
    along_x = fs in ("top", "bottom")
    guide = guides.get(d.number)
    if guide is not None and guide.gates:
        last = guide.gates[-1][1]
        return last.x if along_x else last.y
    a, b = blocks[d.source], blocks[d.target]
    lo, hi = (a.x, a.right) if along_x else (a.y, a.bottom)
    inset = min(style.port_inset, (hi - lo) / 4)
    return min(max(b.cx if along_x else b.cy, lo + inset), hi - inset)


def side_entry(path: ScenePath, top: Point, corner: Point, end: Point, flow: Point) -> ScenePath:
    """``path`` carried on down its column from ``top`` to ``corner`` (level with ``end``), round a
    quarter bend there and square into ``end`` on the side of a merge node."""
    across = end - corner
    length = across.length()
    if length < 1e-6:
        return ScenePath(path.start, (*path.segments, Line(end)))
    turn = across.scale(1 / length)
    radius = min(BEND, length / 2, max(0.0, abs((corner - top).x + (corner - top).y) - 1))
    before, after = corner - flow.scale(radius), corner + turn.scale(radius)
    segments = [*path.segments]
    if (top - path.end).length() > 1e-6:
        half = abs((top - path.end).x * flow.x + (top - path.end).y * flow.y) / 2
        segments.append(Cubic(path.end + flow.scale(half), top - flow.scale(half), top))
    segments.append(Line(before))
    if radius > 0:
        segments.append(Cubic(before + flow.scale(radius * KAPPA), after - turn.scale(radius * KAPPA), after))
    segments.append(Line(end))
    return ScenePath(path.start, tuple(segments))


BEND = 12.0  # px, the radius of a side input's bend into its node
KAPPA = 0.5523  # a cubic's control distance for a quarter circle, of its radius
