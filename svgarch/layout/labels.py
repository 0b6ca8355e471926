"""Edge label placement: candidates along each edge, the cheapest chosen.

A label may cover its own edge (the pill sits on the line) but should touch
no block, no other label, no note and no other edge. Each label tries
positions along its edge, on the line and beside it; the first with the
lowest cost wins, and later labels avoid it.

Pre: edges routed; labels measured. Post: one pill per labelled description
edge (a fan's once), at the centre automatic layout reserved for it if any and
nothing else touches it there, else at the cheapest spot along its edge.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence

from svgarch.geometry import Box, Point
from svgarch.layout.paths import length_of, point_at
from svgarch.layout.spatial import BoxIndex, SegmentIndex
from svgarch.layout.types import RoutedEdge
from svgarch.measure import LABEL_PAD_X, LABEL_PAD_Y, Measured, TextStack
from svgarch.model import DiagramModel
from svgarch.record import Record
from svgarch.scene import Pill

BLOCK_COST = 1000.0
LABEL_COST = 1000.0
EDGE_COST = 300.0
EDGE_MARGIN = 5.0  # clearance between a label and a foreign edge (stroke included)
AMBIGUOUS_COST = 200.0  # a label whose centre is nearer a foreign edge than its own, or far from its own
OWN_NEAR = 28.0  # px from its own edge a label's centre stays within (the ruler's limit is 30)
SLIDE = 4.0  # px steps a label meeting something on every spot slides by, off its spot
SLID_COST = 12.0  # a slid label's cost before what it meets: after every spot that meets nothing
FRACTIONS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82)


class LabelRequest(Record):
    """A label for the edges ``owners`` (one, or all of a fan), drawn along ``paths``."""

    owners: tuple[int, ...]
    paths: tuple[tuple[Point, ...], ...]
    text: TextStack
    at: Point | None = None  # a centre the layout reserved for this label
    near: tuple[Point, ...] = ()  # centres to try first, before the spots along the paths (by a loop's apex)


def place_labels(
    requests: Sequence[LabelRequest],
    blocks: Sequence[Box],
    obstacles: Sequence[Box],
    edges: SegmentIndex,
) -> list[Pill]:
    """A pill for every request, in order; each avoids what came before."""
    if not requests:  # (a big unlabelled graph: no index of its thousand blocks to build)
        return []
    solid = BoxIndex()
    for b in blocks:
        solid.add(b.inflate(3))
    for o in obstacles:
        solid.add(o.inflate(2))
    placed = BoxIndex()
    out: list[Pill] = []
    for req in requests:
        w = req.text.width + 2 * LABEL_PAD_X
        h = req.text.height + 2 * LABEL_PAD_Y
        best: tuple[float, Box] | None = None
        # the reserved centre first, while nothing runs through it (another edge may pass its room), then a
        # loop's spots, then along the paths
        first = ((req.at,) if req.at is not None else ()) + req.near
        candidates = _candidates(req, w, h)
        if first:
            candidates = itertools.chain(((p, Point(0.0, 0.0), Point(0.0, 0.0)) for p in first), candidates)
        for rank, (centre, _tangent, off) in enumerate(candidates):
            box = Box.around(centre.x + off.x, centre.y + off.y, w, h)
            cost = rank * 0.5 + (6.0 if off.x or off.y else 0.0)
            cost += BLOCK_COST * solid.count_hits(box) + LABEL_COST * placed.count_hits(box.inflate(2))
            foreign = edges.owners_hitting(box.inflate(EDGE_MARGIN)) - set(req.owners)
            cost += EDGE_COST * len(foreign)
            if rank >= len(first) and _ambiguous(Point(box.cx, box.cy), req, edges):  # a loop's spots are beside it
                cost += AMBIGUOUS_COST
            if best is None or cost < best[0]:
                best = (cost, box)
            if cost < 50:
                break
        assert best is not None
        # every spot meets something: slide those on the line (a straight edge's label stays: the layout
        # routes the others round it instead)
        if not _straight(req) and _meets(best[1], req, solid, placed, edges):
            spots = [*first, *(centre for centre, _, off in _candidates(req, w, h) if not (off.x or off.y))]
            for box in _slid(spots, w, h):
                cost = SLID_COST + BLOCK_COST * solid.count_hits(box) + LABEL_COST * placed.count_hits(box.inflate(2))
                cost += EDGE_COST * len(edges.owners_hitting(box.inflate(EDGE_MARGIN)) - set(req.owners))
                if cost < best[0] and not _ambiguous(Point(box.cx, box.cy), req, edges):
                    best = (cost, box)
        box = best[1]
        placed.add(box)
        lines = req.text.place(box.cx, box.y + LABEL_PAD_Y)
        out.append(Pill(box, lines))
    return out


def _straight(req: LabelRequest) -> bool:
    """Whether the label is one edge's, drawn as one straight line across or along."""
    if len(req.paths) != 1:
        return False
    xs, ys = [p.x for p in req.paths[0]], [p.y for p in req.paths[0]]
    return max(xs) - min(xs) < 0.5 or max(ys) - min(ys) < 0.5


def _meets(box: Box, req: LabelRequest, solid: BoxIndex, placed: BoxIndex, edges: SegmentIndex) -> bool:
    """Whether a pill here overlaps a block, a label or another edge (not only comes within a margin)."""
    return bool(solid.count_hits(box) or placed.count_hits(box) or edges.owners_hitting(box) - set(req.owners))


def _slid(spots: Sequence[Point], w: float, h: float) -> Iterable[Box]:
    """Boxes ``w`` × ``h`` round each spot slid SLIDE px at a time across and along, up to half their
    width (their height), nearest first: the pill still on its line, its end clear of a line beside it."""
    steps = [(dx, 0.0) for dx in _offsets(w / 2)] + [(0.0, dy) for dy in _offsets(h)]
    steps.sort(key=lambda d: abs(d[0]) + abs(d[1]))
    for dx, dy in steps:
        for p in spots:
            yield Box.around(p.x + dx, p.y + dy, w, h)


def _offsets(reach: float) -> list[float]:
    out = []
    k = 1
    while k * SLIDE <= reach:
        out += [k * SLIDE, -k * SLIDE]
        k += 1
    return out


def _ambiguous(centre: Point, req: LabelRequest, edges: SegmentIndex) -> bool:
    """Whether a label centred here reads as another edge's: nearer a foreign edge than its own, or
    further than ``OWN_NEAR`` from its own."""
    mine = min((_polyline_distance(centre, path) for path in req.paths), default=0.0)
    if mine > OWN_NEAR:
        return True
    return edges.nearest(centre, mine, frozenset(req.owners)) < mine - 0.5


def _polyline_distance(p: Point, points: Sequence[Point]) -> float:
    return min((_segment_distance(p, a, b) for a, b in itertools.pairwise(points)), default=math.inf)


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b.x - a.x, b.y - a.y
    span = dx * dx + dy * dy
    t = 0.0 if span == 0 else min(max(((p.x - a.x) * dx + (p.y - a.y) * dy) / span, 0.0), 1.0)
    return math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy)


def _candidates(req: LabelRequest, w: float, h: float) -> Iterable[tuple[Point, Point, Point]]:
    for f in FRACTIONS:
        for path in req.paths:
            centre, tangent = point_at(path, f)
            normal = Point(-tangent.y, tangent.x)
            # half the pill's extent along the normal, plus a gap
            reach = abs(normal.x) * w / 2 + abs(normal.y) * h / 2 + 5
            yield centre, tangent, Point(0.0, 0.0)
            yield centre, tangent, normal.scale(reach)
            yield centre, tangent, normal.scale(-reach)
            if reach > OWN_NEAR:  # a wide label beside its edge: as far out as still reads as this edge's
                yield centre, tangent, normal.scale(OWN_NEAR)
                yield centre, tangent, normal.scale(-OWN_NEAR)


def by_description_edge(routed: list[RoutedEdge]) -> dict[int, list[RoutedEdge]]:
    """Drawn edges grouped by the description edge they come from (a fan has several)."""
    by_model: dict[int, list[RoutedEdge]] = {}
    for r in routed:
        by_model.setdefault(r.drawn.model_index, []).append(r)
    return by_model


def label_requests(
    model: DiagramModel, routed: list[RoutedEdge], measured: Measured, spots: dict[int, Point]
) -> tuple[list[LabelRequest], list[int]]:
    """One request per labelled description edge; fans share one label."""
    by_model = by_description_edge(routed)
    requests, owners = [], []
    for mi, edge in enumerate(model.edges):
        if not edge.label or mi not in by_model:
            continue
        members = by_model[mi]
        text = measured.labels[mi]
        at = spots.get(members[0].drawn.number)
        near = members[0].label_spots
        fork = fork_spots(members, text)
        reach = text.height + 2 * LABEL_PAD_Y  # (a pill centred this near its edge is no farther than half its height)
        if at is not None and min(_polyline_distance(at, r.points) for r in members) > reach:
            at = None  # the room layout kept, which no arm passes near now (a fan's arms need not go through it)
        if fork:  # a fan's label goes where its arms split, before the room layout kept on its first arm
            near, at = fork + ((at,) if at is not None else ()) + near, None
        owned = tuple(r.drawn.number for r in members)
        requests.append(LabelRequest(owned, tuple(r.points for r in members), text, at, near))
        owners.append(mi)
    return requests, owners


FORK_STEP = 8.0  # px between the centres tried along a fan's middle arm
FORK_TRIES = 6
PAIR_CLOSE = 40.0  # px: the middle two arms of a fan this close carry its label between them (20 px from each)
HEAD_ROOM = 12.0  # a fan-in's label keeps this much further from its target, clear of the converging heads


def fork_spots(members: Sequence[RoutedEdge], text: TextStack) -> tuple[Point, ...]:
    """Centres for a fan's one label where its arms split: on the middle arm (in order along the block all
    arms share), just clear of that block and then a little further out, so the label reads as the whole
    fan's rather than one arm's. None for a single edge, or arms that share no end."""
    if len(members) < 2:
        return ()
    if len({r.drawn.source for r in members}) == 1:
        arms, room = [r.points for r in members], 4.0
    elif len({r.drawn.target for r in members}) == 1:
        arms, room = [tuple(reversed(r.points)) for r in members], 4.0 + HEAD_ROOM
    else:
        return ()
    arms = sorted((a for a in arms if len(a) > 1), key=lambda a: (a[0].x, a[0].y))
    if not arms:
        return ()
    # the middle arm; with an even count the middle two, whose midpoint is between them while they run close
    middle = arms[len(arms) // 2 - 1 : len(arms) // 2 + 1] if len(arms) % 2 == 0 else arms[len(arms) // 2 :][:1]
    arm = middle[-1]
    total = length_of(arm)
    _, tangent = point_at(arm, 0.0)
    w, h = text.width + 2 * LABEL_PAD_X, text.height + 2 * LABEL_PAD_Y
    clear = abs(tangent.x) * w / 2 + abs(tangent.y) * h / 2 + room  # the pill's near edge clear of the block
    out = []
    for step in range(FORK_TRIES):
        along = clear + step * FORK_STEP
        if total <= 0 or along > total * 0.6:
            break
        here = point_at(arm, along / total)[0]
        other = middle[0]
        there = point_at(other, min(along / max(length_of(other), 1e-9), 1.0))[0]
        if len(middle) == 1:
            out.append(here)
        elif (there - here).length() <= PAIR_CLOSE:  # else the two split at once: no spot is more the fan's
            out.append(Point((here.x + there.x) / 2, (here.y + there.y) / 2))
    return tuple(out)
