"""Measures of a drawing's quality beyond "nothing collides" (DESIGN §6).

Each is computed on the drawn geometry of a :class:`Drawing`, so the same
ruler reads svgarch's SVGs and Graphviz's:

- area per text: the blocks' bounding box ÷ the block title's font size²;
- frame fill: the area of the blocks inside a frame ÷ the frame's area;
- rails: two edges 1.5–7 px apart for 40 px or more;
- coincident runs: two edges with no end in common less than 1.5 px apart for 40 px or more;
- turning: the turns along an edge, in quarter turns; detour: its drawn
  length ÷ the straight distance between its ends;
- ambiguous labels: a label nearer another edge than its own, or more than 30 px from its own;
- heads too close: two arrow tips less than 10 px apart;
- fan arms crossing: two edges with an end in common (or of one fan) that cross, away from that end;
- order inversions: two blocks of one rank drawn against the description's
  order with no neighbours (blocks, or groups an edge ends at) drawn that way to justify it;
  a block outside a frame is judged against all the frame's blocks of its rank, as the frame is drawn as one;
- crossings: points where two edges cross.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from svgarch.geometry import Box, Point, points_box, segments_cross, turning
from svgarch.quality.drawing import Drawing, DrawnEdge
from svgarch.quality.nearby import Bounds, Grid, segment_bounds

RAIL_NEAR, RAIL_FAR = 1.5, 7.0  # px
RUN = 40.0  # px two edges must stay that close to count
STEP = 2.0  # px between samples along an edge
LABEL_FAR = 30.0  # px
HEADS_NEAR = 10.0  # px
SHARED_END = 12.0  # px round a shared end where fan arms may touch
_CELL = 32.0  # px, the spatial hash's cell


@dataclass
class Quality:
    """The measures of one drawing; lists hold one line per finding."""

    blocks: int = 0
    edges: int = 0
    area_per_text: float = 0.0
    frame_fill: list[float] = field(default_factory=list)
    rails: list[str] = field(default_factory=list)
    coincident: list[str] = field(default_factory=list)
    turning: list[float] = field(default_factory=list)
    detour: list[float] = field(default_factory=list)
    ambiguous_labels: list[str] = field(default_factory=list)
    close_heads: list[str] = field(default_factory=list)
    fan_crossings: list[str] = field(default_factory=list)
    order_inversions: list[str] = field(default_factory=list)
    crossings: int = 0
    worst_detours: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        """Every measure as one number (for tables, JSON and benchmarks)."""
        return {
            "blocks": self.blocks,
            "edges": self.edges,
            "area_per_text": round(self.area_per_text, 1),
            "frame_fill_median": round(median(self.frame_fill), 3) if self.frame_fill else 1.0,
            "frame_fill_min": round(min(self.frame_fill), 3) if self.frame_fill else 1.0,
            "rails": len(self.rails),
            "coincident_runs": len(self.coincident),
            "turning_p90": round(quantile(self.turning, 0.9), 2),
            "turning_max": round(max(self.turning, default=0.0), 2),
            "detour_p90": round(quantile(self.detour, 0.9), 3),
            "detour_max": round(max(self.detour, default=1.0), 3),
            "ambiguous_labels": len(self.ambiguous_labels),
            "close_heads": len(self.close_heads),
            "fan_crossings": len(self.fan_crossings),
            "order_inversions": len(self.order_inversions),
            "crossings": self.crossings,
        }

    @property
    def failures(self) -> list[tuple[str, list[str]]]:
        """The measures that make a diagram unclean: lines no reader can trace or tell apart."""
        return [
            ("coincident runs", self.coincident),
            ("ambiguous labels", self.ambiguous_labels),
            ("fan arms crossing", self.fan_crossings),
        ]

    def lines(self) -> list[str]:
        f = self.figures()
        out = [
            f"  area per text: {f['area_per_text']:g} (blocks' bounding box ÷ title font size²)",
            f"  frame fill: median {f['frame_fill_median']:g}, min {f['frame_fill_min']:g}"
            f" ({len(self.frame_fill)} frames)",
            f"  turning per edge: p90 {f['turning_p90']:g}, max {f['turning_max']:g} quarter turns",
            f"  detour per edge: p90 {f['detour_p90']:g}, max {f['detour_max']:g}",
        ]
        out.extend(f"    {line}" for line in self.worst_detours[:3])
        for name, items in (
            ("rails", self.rails),
            ("coincident runs", self.coincident),
            ("ambiguous labels", self.ambiguous_labels),
            ("arrow heads closer than 10 px", self.close_heads),
            ("fan arms crossing", self.fan_crossings),
            ("declared-order inversions", self.order_inversions),
        ):
            out.append(f"  {name}: {len(items)}")
            out.extend(f"    {item}" for item in items[:10])
            if len(items) > 10:
                out.append(f"    … and {len(items) - 10} more")
        return out


def median(values: Sequence[float]) -> float:
    return quantile(values, 0.5)


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile by the nearest-rank method (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def measure(drawing: Drawing) -> Quality:
    q = Quality(blocks=len(drawing.nodes), edges=len(drawing.edges))
    q.area_per_text = _area_per_text(drawing)
    q.frame_fill = _frame_fill(drawing)
    index = _SegmentHash(drawing.edges)
    _proximity(drawing.edges, index, q)
    for e in drawing.edges:
        q.turning.append(turning(e.points))
    _detours(drawing.edges, q)
    _labels(drawing.edges, q)
    _heads(drawing.edges, q)
    _crossings(drawing.edges, index, q)
    _order(drawing, q)
    return q


def name(e: DrawnEdge) -> str:
    return f"{e.source}→{e.target}"


def _area_per_text(d: Drawing) -> float:
    if not d.nodes or d.title_size <= 0:
        return 0.0
    box = points_box([p for n in d.nodes for p in (Point(n.box.x, n.box.y), Point(n.box.right, n.box.bottom))])
    return box.w * box.h / d.title_size**2


def _frame_fill(d: Drawing) -> list[float]:
    out = []
    for frame in d.frames:
        area = frame.box.w * frame.box.h
        inside = [n.box for n in d.nodes if _contains(frame.box, Point(n.box.cx, n.box.cy))]
        if area > 0 and inside:
            out.append(sum(b.w * b.h for b in inside) / area)
    return out


def _contains(box: Box, p: Point) -> bool:
    return box.x <= p.x <= box.right and box.y <= p.y <= box.bottom


class _SegmentHash:
    """Every edge's segments, by the cells of a grid their boxes (grown by RAIL_FAR) touch."""

    def __init__(self, edges: Sequence[DrawnEdge]) -> None:
        # each entry: the edge, the segment, the segment's box grown by RAIL_FAR
        self.cells: dict[tuple[int, int], list[tuple[int, Point, Point, Bounds]]] = defaultdict(list)
        for i, e in enumerate(edges):
            for a, b in zip(e.points, e.points[1:], strict=False):
                x0, y0, x1, y1 = segment_bounds(a, b)
                grown = (x0 - RAIL_FAR, y0 - RAIL_FAR, x1 + RAIL_FAR, y1 + RAIL_FAR)
                for cell in _cells(a, b, RAIL_FAR):
                    self.cells[cell].append((i, a, b, grown))

    def near(self, p: Point) -> list[tuple[int, Point, Point, Bounds]]:
        return self.cells.get((math.floor(p.x / _CELL), math.floor(p.y / _CELL)), [])


def _cells(a: Point, b: Point, grow: float) -> Iterator[tuple[int, int]]:
    x0, x1 = math.floor((min(a.x, b.x) - grow) / _CELL), math.floor((max(a.x, b.x) + grow) / _CELL)
    y0, y1 = math.floor((min(a.y, b.y) - grow) / _CELL), math.floor((max(a.y, b.y) + grow) / _CELL)
    if (x1 - x0 + 1) * (y1 - y0 + 1) > 4096:  # a diagonal across a huge drawing: its ends' cells are enough
        yield x0, y0
        yield x1, y1
        return
    for cx in range(x0, x1 + 1):
        for cy in range(y0, y1 + 1):
            yield cx, cy


def samples(points: Sequence[Point], step: float = STEP) -> list[Point]:
    """Points every ``step`` px along a polyline, its start first."""
    out = [points[0]]
    carry = 0.0
    for a, b in itertools.pairwise(points):
        length = math.dist(a, b)
        t = step - carry
        while t <= length:
            out.append(Point(a.x + (b.x - a.x) * t / length, a.y + (b.y - a.y) * t / length))
            t += step
        carry = length - (t - step)
    return out


def segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b.x - a.x, b.y - a.y
    n = dx * dx + dy * dy
    t = 0.0 if n == 0 else max(0.0, min(1.0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / n))
    return math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy)


def _proximity(edges: Sequence[DrawnEdge], index: _SegmentHash, q: Quality) -> None:
    """Rails and coincident runs: for each pair, the longest stretch of one edge at that distance from the other."""
    for i, e in enumerate(edges):
        runs: dict[int, list[int]] = {}  # other edge → [current rail run, best rail, current touch run, best touch]
        for p in samples(e.points):
            nearest: dict[int, float] = {}
            for j, a, b, (x0, y0, x1, y1) in index.near(p):
                # a segment farther than a rail's reach ends a run just as no segment does: skip it by its box
                if j > i and x0 <= p.x <= x1 and y0 <= p.y <= y1:
                    d = segment_distance(p, a, b)
                    if d < nearest.get(j, math.inf):
                        nearest[j] = d
            for j, run in runs.items():
                if j not in nearest:
                    run[0] = run[2] = 0
            for j, d in nearest.items():
                run = runs.setdefault(j, [0, 0, 0, 0])
                run[0] = run[0] + 1 if RAIL_NEAR <= d <= RAIL_FAR else 0
                run[2] = run[2] + 1 if d < RAIL_NEAR else 0
                run[1], run[3] = max(run[1], run[0]), max(run[3], run[2])
        for j, (_, rail, _, touch) in sorted(runs.items()):
            other = edges[j]
            if (rail - 1) * STEP >= RUN:
                q.rails.append(f"edge {name(e)} runs beside edge {name(other)} for {(rail - 1) * STEP:.0f} px")
            shared = {e.source, e.target} & {other.source, other.target}
            if (touch - 1) * STEP >= RUN and not shared:
                q.coincident.append(f"edge {name(e)} runs on edge {name(other)} for {(touch - 1) * STEP:.0f} px")


def _length(points: Sequence[Point]) -> float:
    return sum(math.dist(a, b) for a, b in itertools.pairwise(points))


def _detours(edges: Sequence[DrawnEdge], q: Quality) -> None:
    worst: list[tuple[float, str]] = []
    for e in edges:
        straight = math.dist(e.points[0], e.points[-1])
        if e.source == e.target or straight < 1:
            continue  # a loop has no straight way to compare with
        ratio = _length(e.points) / straight
        q.detour.append(ratio)
        worst.append((ratio, f"edge {name(e)}: {ratio:.2f}× its straight distance"))
    q.worst_detours = [text for _, text in sorted(worst, key=lambda t: -t[0])[:3]]


def _polyline_distance(p: Point, points: Sequence[Point]) -> float:
    return min((segment_distance(p, a, b) for a, b in itertools.pairwise(points)), default=math.inf)


def _labels(edges: Sequence[DrawnEdge], q: Quality) -> None:
    owners: dict[Box, list[DrawnEdge]] = defaultdict(list)
    for e in edges:
        if e.label is not None:
            owners[e.label].append(e)
    grid = Grid()  # only an edge within `reach` of a label can be nearer it than its own
    for k, e in enumerate(edges):
        for a, b in itertools.pairwise(e.points):
            grid.add(k, segment_bounds(a, b))
    for label, own in owners.items():
        centre = Point(label.cx, label.cy)
        mine = min(_polyline_distance(centre, e.points) for e in own)
        reach = min(mine, LABEL_FAR)
        near = (edges[k] for k in grid.near((centre.x - reach, centre.y - reach, centre.x + reach, centre.y + reach)))
        foreign = min(
            (_polyline_distance(centre, e.points) for e in near if not any(e is o for o in own)),
            default=math.inf,
        )
        if mine > LABEL_FAR:
            q.ambiguous_labels.append(f"label of {name(own[0])} is {mine:.0f} px from its edge")
        elif foreign < mine - 0.5:
            q.ambiguous_labels.append(
                f"label of {name(own[0])} is {foreign:.0f} px from another edge, {mine:.0f} px from its own"
            )


def _heads(edges: Sequence[DrawnEdge], q: Quality) -> None:
    tips = [(e, e.tip) for e in edges if e.tip is not None]
    along = sorted(range(len(tips)), key=lambda k: tips[k][1].x)
    close: list[tuple[int, int]] = []
    for x, i in enumerate(along):  # a sweep along x: only tips less than HEADS_NEAR apart across
        ti = tips[i][1]
        for j in along[x + 1 :]:
            tj = tips[j][1]
            if tj.x - ti.x >= HEADS_NEAR:
                break
            if math.dist(ti, tj) < HEADS_NEAR:
                close.append((min(i, j), max(i, j)))
    for i, j in sorted(close):  # in the edges' order
        (a, ta), (b, tb) = tips[i], tips[j]
        q.close_heads.append(f"heads of {name(a)} and {name(b)} are {math.dist(ta, tb):.1f} px apart")


def _crossings(edges: Sequence[DrawnEdge], index: _SegmentHash, q: Quality) -> None:
    """Crossings between edges, counted once per pair of segments. Fan arms are edges with an end in
    common; where they meet at that end their lines may touch, so crossings that near it are not theirs."""
    seen: set[tuple[int, int, Point, Point, Point, Point]] = set()
    per_pair: dict[tuple[int, int], list[Point]] = defaultdict(list)
    for cell in index.cells.values():
        for x, (i, a, b, _) in enumerate(cell):
            for j, c, d, _ in cell[x + 1 :]:
                if i == j:
                    continue
                key = (i, j, a, b, c, d) if i < j else (j, i, c, d, a, b)
                if key in seen or not segments_cross(a, b, c, d):
                    continue
                seen.add(key)
                per_pair[(min(i, j), max(i, j))].append(_meet(a, b, c, d))
    q.crossings = sum(len(points) for points in per_pair.values())
    for (i, j), points in sorted(per_pair.items()):
        e, f = edges[i], edges[j]
        shared = [p for p, _ in _shared_ends(e, f)]
        if not shared and not (e.fan is not None and e.fan == f.fan):
            continue
        n = sum(1 for p in points if all(math.dist(p, s) > SHARED_END for s in shared))
        if n:
            q.fan_crossings.append(f"edges {name(e)} and {name(f)} cross" + (f" ×{n}" if n > 1 else ""))


def _shared_ends(e: DrawnEdge, f: DrawnEdge) -> list[tuple[Point, str]]:
    """Where two edges meet at a block they share: (the point, the block)."""
    out = []
    if e.source == f.source:
        out.append((e.points[0], e.source))
    if e.target == f.target:
        out.append((e.points[-1], e.target))
    return out


def _meet(a: Point, b: Point, c: Point, d: Point) -> Point:
    """Where two crossing segments meet."""
    rx, ry, sx, sy = b.x - a.x, b.y - a.y, d.x - c.x, d.y - c.y
    t = ((c.x - a.x) * sy - (c.y - a.y) * sx) / (rx * sy - ry * sx)
    return Point(a.x + t * rx, a.y + t * ry)


def _order(d: Drawing, q: Quality) -> None:
    """Blocks of one rank (one line across the flow) drawn against the description's order, unjustified."""
    along, across = ("cy", "cx") if d.flow_axis() == "y" else ("cx", "cy")
    nodes = sorted(d.nodes, key=lambda n: getattr(n.box, along))
    pos = {n.id: getattr(n.box, across) for n in d.nodes}
    # An edge to a group justifies an order as an edge to a block does (Graphviz draws one to a
    # block inside the cluster): the group stands where its frame's middle is.
    ends = {**{f.id: getattr(f.box, across) for f in d.frames}, **pos}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for e in d.edges:
        if e.source != e.target and e.source in ends and e.target in ends:
            neighbours[e.source].add(e.target)
            neighbours[e.target].add(e.source)
    for f in d.frames:  # and its members are reached through it (a frame drawn round a block holds it)
        for n in d.nodes:
            if n.id not in neighbours[f.id] and _inside(n.box, f.box):
                neighbours[n.id] |= neighbours[f.id]
    centre = {n.id: getattr(n.box, along) for n in d.nodes}
    ranks: list[list[str]] = []
    last = -math.inf
    for n in nodes:
        c = getattr(n.box, along)
        if c - last > 2.0:
            ranks.append([])
        ranks[-1].append(n.id)
        last = c
    order = {n.id: n.order for n in d.nodes}
    pinned = {n.id for n in d.nodes if n.pinned}
    holders = {n.id: frozenset(i for i, f in enumerate(d.frames) if _inside(n.box, f.box)) for n in d.nodes}
    area = [f.box.w * f.box.h for f in d.frames]
    judged: dict[tuple[tuple[str, ...], tuple[str, ...]], bool] = {}
    lines = [sum(centre[v] for v in rank) / len(rank) for rank in ranks]
    for index, rank in enumerate(ranks):
        near = (
            (lines[index - 1] + lines[index]) / 2 if index > 0 else None,
            (lines[index] + lines[index + 1]) / 2 if index + 1 < len(lines) else None,
        )
        for a in rank:
            for b in rank:
                if a in pinned or b in pinned or order[a] >= order[b] or pos[a] <= pos[b] + 1:
                    continue
                # a frame is drawn as one: a block outside it stands before or after all its blocks, so
                # what justifies it against one of them justifies it against every one
                mine, theirs = _unit(a, b, rank, holders, area), _unit(b, a, rank, holders, area)
                if (mine, theirs) not in judged:
                    pairs = [(u, v) for u in mine for v in theirs]
                    judged[mine, theirs] = any(_justified(u, v, neighbours, ends) for u, v in pairs) or any(
                        _routes_justify(u, v, d, along, near) for u, v in pairs
                    )
                if not judged[mine, theirs]:
                    q.order_inversions.append(f"block {b} is drawn before block {a}, which the description puts first")


def _unit(
    a: str, b: str, rank: Sequence[str], holders: dict[str, frozenset[int]], area: Sequence[float]
) -> tuple[str, ...]:
    """What ``b`` is drawn against when it is drawn against ``a``: ``a`` alone, or, when frames hold ``a``
    and not ``b``, the blocks of ``rank`` in the outermost of them."""
    own = holders[a] - holders[b]
    if not own:
        return (a,)
    outer = max(own, key=area.__getitem__)
    return tuple(x for x in rank if outer in holders[x])


def _inside(box: Box, frame: Box) -> bool:
    return (
        frame.x <= box.x + 1
        and frame.y <= box.y + 1
        and box.x + box.w <= frame.x + frame.w + 1
        and box.y + box.h <= frame.y + frame.h + 1
    )


def _routes_justify(a: str, b: str, d: Drawing, along: str, near: tuple[float | None, float | None]) -> bool:
    """Whether the edges as drawn explain drawing ``b`` before ``a``: on the line half-way to the next rank
    (``near``: before and after the rank along the flow), an edge of ``b`` runs before an edge of ``a``
    towards another block. So an edge that comes round, or passes the next rank on its way further, counts
    where it runs, not only where it ends."""
    axis = "x" if along == "cy" else "y"  # across the flow: x when the flow runs down
    for line in near:
        if line is None:
            continue
        mine = _places(a, b, d, axis, line)
        theirs = _places(b, a, d, axis, line)
        if any(v < u - 1 for far_u, u in mine for far_v, v in theirs if far_u != far_v):
            return True
    return False


def _places(a: str, b: str, d: Drawing, axis: str, line: float) -> list[tuple[str, float]]:
    """Per edge of ``a`` to another block than ``b``: its other end and where it first meets ``line``."""
    out = []
    for e in d.edges:
        if e.source == e.target or b in (e.source, e.target) or a not in (e.source, e.target):
            continue
        points = e.points if e.source == a else e.points[::-1]
        for p, q in itertools.pairwise(points):
            s, t = (p.y, q.y) if axis == "x" else (p.x, q.x)
            if s != t and min(s, t) <= line <= max(s, t):
                u, v = getattr(p, axis), getattr(q, axis)
                out.append((e.target if e.source == a else e.source, u + (line - s) / (t - s) * (v - u)))
                break
    return out


def _justified(a: str, b: str, neighbours: dict[str, set[str]], pos: dict[str, float]) -> bool:
    """Whether the edges explain drawing ``b`` before ``a``: a neighbour of ``b`` drawn before one of ``a``."""
    for u in neighbours[a] - {a, b}:
        for v in neighbours[b] - {a, b}:
            if u != v and pos[v] < pos[u] - 1:
                return True
    return False
