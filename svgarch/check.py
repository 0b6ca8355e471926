"""Layout quality, measured on a scene (DESIGN §6).

A diagram is clean when no edge passes through a block other than its ends,
no two blocks overlap, no label overlaps a block, another label, a note or
an edge it does not belong to, every label touches its own edge, no note
lies on a block or an edge, no edge, block or label covers a group's
label, no two group frames overlap unless one holds the other, no block
lies in a frame of a group it is not in (where membership is known: a
description's groups, not an SVG's), every edge ends on its blocks' drawn outlines and every text line
fits inside its shape. Edge crossings are counted too, but only reported:
some structures need them. Shapes are measured as drawn (svgarch/shapes/).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from svgarch.geometry import Box, Point, segment_hits_box, segments_cross
from svgarch.outline import box_distance, overlap_depth, signed_distance
from svgarch.quality.nearby import Grid, box_bounds, meeting_pairs, segment_bounds
from svgarch.scene import Pill, Scene, SceneBlock, SceneEdge, SceneFan, SceneNote
from svgarch.shapes import FRAME, Shape, scene_shape

TOLERANCE = 1.0  # px a line may graze a box edge (anti-aliasing, rounding)
END_TOLERANCE = 1.5  # px an edge's end may lie off its block's outline
# A label may stand off its edge by half its own height (beside an edge, labels keep 5 px):
# its centre is then within one label height of an edge running along it.
LABEL_REACH = 0.5


@dataclass
class Report:
    blocks: int = 0
    edges: int = 0
    labels: int = 0
    edge_block: list[str] = field(default_factory=list)
    block_overlaps: list[str] = field(default_factory=list)
    label_overlaps: list[str] = field(default_factory=list)
    detached_labels: list[str] = field(default_factory=list)
    note_overlaps: list[str] = field(default_factory=list)
    group_labels: list[str] = field(default_factory=list)
    frame_overlaps: list[str] = field(default_factory=list)
    strangers: list[str] = field(default_factory=list)
    loose_ends: list[str] = field(default_factory=list)
    text_overflow: list[str] = field(default_factory=list)
    crossings: list[str] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[str], bool]]:
        """Each measured defect kind: its name, its findings, and whether any makes the diagram unclean."""
        return [
            ("edge-block intersections", self.edge_block, True),
            ("block overlaps", self.block_overlaps, True),
            ("label overlaps", self.label_overlaps, True),
            ("labels off their edge", self.detached_labels, True),
            ("note overlaps", self.note_overlaps, True),
            ("group labels covered", self.group_labels, True),
            ("frame overlaps", self.frame_overlaps, True),
            ("blocks in another group's frame", self.strangers, True),
            ("edge ends off outlines", self.loose_ends, True),
            ("text overflow", self.text_overflow, True),
            ("edge crossings", self.crossings, False),
        ]

    @property
    def clean(self) -> bool:
        return not any(items for _, items, fails in self.sections() if fails)

    def lines(self) -> list[str]:
        out = [f"{self.blocks} blocks, {self.edges} edges, {self.labels} labels"]
        for name, items, _ in self.sections():
            out.append(f"  {name}: {len(items)}")
            out.extend(f"    {item}" for item in items[:20])
            if len(items) > 20:
                out.append(f"    … and {len(items) - 20} more")
        return out


def _edge_name(e: SceneEdge) -> str:
    return f"edge {e.source}→{e.target}"


def _note_name(note: SceneNote) -> str:
    return f"note '{note.lines[0].text if note.lines else ''}'"


def _segments(e: SceneEdge) -> list[tuple[Point, Point]]:
    pts = e.path.points()
    segments = list(itertools.pairwise(pts))
    for h in e.heads:  # the head's tip belongs to the edge's reach, from the path's end nearer to it
        near = min(pts[0], pts[-1], key=lambda p: (p - h[0]).length())
        segments.append((near, h[0]))
    return segments


def _corners(box: Box) -> tuple[Point, ...]:
    return (Point(box.x, box.y), Point(box.right, box.y), Point(box.right, box.bottom), Point(box.x, box.bottom))


class _Reach:
    """Segments with their boxes, so that a box far from all of them is passed over without a costly test."""

    def __init__(self, segments: Iterable[tuple[Point, Point]]) -> None:
        self.segments = [(p, q, *segment_bounds(p, q)) for p, q in segments]
        self.box = (
            min((s[2] for s in self.segments), default=math.inf),
            min((s[3] for s in self.segments), default=math.inf),
            max((s[4] for s in self.segments), default=-math.inf),
            max((s[5] for s in self.segments), default=-math.inf),
        )  # no segments: a box nothing meets

    def hits(self, box: Box) -> bool:
        """Whether a segment passes through the open interior of ``box`` (as segment_hits_box)."""
        x0, y0, x1, y1 = box.x, box.y, box.right, box.bottom
        if self.box[0] > x1 or self.box[2] < x0 or self.box[1] > y1 or self.box[3] < y0:
            return False
        return any(
            sx0 <= x1 and sx1 >= x0 and sy0 <= y1 and sy1 >= y0 and segment_hits_box(p, q, box)
            for p, q, sx0, sy0, sx1, sy1 in self.segments
        )


class _Shapes:
    """Blocks and group frames as drawn, by id (an edge may end on either)."""

    def __init__(self, scene: Scene) -> None:
        self.outlines: dict[str, tuple[Point, ...]] = {g.id: FRAME.outline(g.box) for g in scene.groups}
        self.names: dict[str, str] = {g.id: f"group {g.id}'s frame" for g in scene.groups}
        self.boxes: dict[str, Box] = {}
        self.shapes: dict[str, Shape] = {}
        for b in scene.blocks:
            shape = self.shapes[b.id] = scene_shape(b)
            self.outlines[b.id] = shape.outline(b.box)
            self.names[b.id] = f"block {b.id}'s {b.shape}"
            self.boxes[b.id] = shape.drawn_box(b.box)

    def covers(self, block: SceneBlock, box: Box) -> bool:
        """Whether ``box`` reaches more than the tolerance into the block's drawn shape."""
        if not self.boxes[block.id].inflate(-TOLERANCE).intersects(box):
            return False
        return overlap_depth(self.outlines[block.id], _corners(box)) > TOLERANCE


class _Index:
    """What lies near what: blocks by their drawn boxes, edges by each of their segments (heads too), labels;
    a finding is looked for only among what a grid finds near (each list in its findings' order)."""

    def __init__(self, scene: Scene, shapes: _Shapes, edges: list[SceneEdge]) -> None:
        self.lines = [_Reach(itertools.pairwise(e.path.points())) for e in edges]  # each edge's line
        self.reach = [_Reach(_segments(e)) for e in edges]  # its line and its heads
        self.blocks, self.edges, self.labels = Grid(), Grid(), Grid()
        for k, b in enumerate(scene.blocks):
            self.blocks.add(k, box_bounds(shapes.boxes[b.id]))
        for k, r in enumerate(self.reach):
            for segment in r.segments:
                self.edges.add(k, segment[2:])
        self.owned = _owned_labels(scene)
        for k, (pill, _, _) in enumerate(self.owned):
            self.labels.add(k, box_bounds(pill.box))


class Membership:
    """Which groups hold which: each group's enclosing groups, and every block inside it (its own and
    those of the groups nested in it). A scene read back from an SVG does not know it; a description does."""

    def __init__(self, groups: Iterable[tuple[str, str | None, Iterable[str]]]) -> None:
        """``groups``: each group's id, the id of the group it is nested in (None: none), its own blocks."""
        parent: dict[str, str | None] = {}
        own: dict[str, set[str]] = {}
        for gid, up, blocks in groups:
            parent[gid] = up
            own.setdefault(gid, set()).update(blocks)
        self.ancestors: dict[str, set[str]] = {}
        self.blocks: dict[str, set[str]] = {gid: set() for gid in parent}
        for gid in parent:
            line, up = set(), parent[gid]
            while up is not None and up not in line and up != gid:  # a cycle the spec let through stops here
                line.add(up)
                up = parent.get(up)
            self.ancestors[gid] = line
            for holder in (gid, *line):
                self.blocks.setdefault(holder, set()).update(own[gid])

    def related(self, a: str, b: str) -> bool:
        """Whether one of the two groups is nested (at any depth) in the other."""
        return a in self.ancestors.get(b, ()) or b in self.ancestors.get(a, ())


class _Grouped(Protocol):
    """A description's block or group: its id and the group it names as its own (model.Block, model.Group)."""

    @property
    def id(self) -> str: ...
    @property
    def group(self) -> str | None: ...


class _Group(_Grouped, Protocol):
    @property
    def blocks(self) -> tuple[str, ...]: ...


class _Described(Protocol):
    @property
    def blocks(self) -> Sequence[_Grouped]: ...
    @property
    def groups(self) -> Sequence[_Group]: ...


def membership_of(model: _Described) -> Membership:
    """The groups of a description (model.DiagramModel): a group holds its ``blocks``, the blocks that
    name it as their ``group``, and the groups nested in it."""
    own: dict[str, list[str]] = {g.id: list(g.blocks) for g in model.groups}
    for b in model.blocks:
        if b.group is not None and b.group in own:
            own[b.group].append(b.id)
    return Membership((g.id, g.group, own[g.id]) for g in model.groups)


def check_scene(scene: Scene, membership: Membership | None = None) -> Report:
    edges = scene.all_edges()
    report = Report(blocks=len(scene.blocks), edges=len(edges))
    shapes = _Shapes(scene)
    segs = {id(e): e.path.points() for e in edges}
    index = _Index(scene, shapes, edges)
    _edges_through_blocks(scene.blocks, shapes, edges, index, report)
    _block_overlaps(scene.blocks, shapes, report)
    _labels(scene, shapes, edges, segs, index, report)
    _notes(scene, shapes, edges, index, report)
    _group_labels(scene, shapes, edges, index, report)
    _frames(scene, membership, report)
    if membership is not None:
        _strangers(scene, shapes, membership, index, report)
    _ends(edges, shapes, segs, report)
    _text_fits(scene.blocks, shapes, report)
    _crossings(edges, segs, report)
    return report


def _edges_through_blocks(
    blocks: tuple[SceneBlock, ...],
    shapes: _Shapes,
    edges: list[SceneEdge],
    index: _Index,
    report: Report,
) -> None:
    for k, e in enumerate(edges):
        line = index.lines[k]
        if not line.segments:
            continue
        near = sorted({m for segment in line.segments for m in index.blocks.near(segment[2:])})
        for b in (blocks[m] for m in near):
            if b.id in (e.source, e.target):
                continue
            box = shapes.boxes[b.id].inflate(-TOLERANCE)
            if line.hits(box):
                report.edge_block.append(f"{_edge_name(e)} passes through block {b.id}")


def _block_overlaps(blocks: tuple[SceneBlock, ...], shapes: _Shapes, report: Report) -> None:
    """Pairs of blocks whose drawn shapes overlap by more than the tolerance (a sweep along x)."""
    order = sorted(blocks, key=lambda b: shapes.boxes[b.id].x)
    rank = {b.id: k for k, b in enumerate(blocks)}  # findings name blocks in description order
    for i, a in enumerate(order):
        abox = shapes.boxes[a.id].inflate(-TOLERANCE)
        for b in order[i + 1 :]:
            bbox = shapes.boxes[b.id]
            if bbox.x >= abox.right:
                break
            if abox.intersects(bbox) and overlap_depth(shapes.outlines[a.id], shapes.outlines[b.id]) > TOLERANCE:
                first, second = sorted((a.id, b.id), key=rank.__getitem__)
                report.block_overlaps.append(f"block {first} overlaps block {second}")


def _owned_labels(scene: Scene) -> list[tuple[Pill, list[SceneEdge], str]]:
    """Every label with the edges it belongs to (all of a fan's for the fan's label) and its name."""
    owned: list[tuple[Pill, list[SceneEdge], str]] = []
    for item in scene.edges:
        if isinstance(item, SceneFan):
            if item.label:
                owned.append((item.label, list(item.edges), f"label '{_text(item.label)}'"))
            owned.extend((e.label, [e], f"label '{_text(e.label)}'") for e in item.edges if e.label)
        elif item.label:
            owned.append((item.label, [item], f"label '{_text(item.label)}'"))
    return owned


def _labels(
    scene: Scene, shapes: _Shapes, edges: list[SceneEdge], segs: dict[int, list[Point]], index: _Index, report: Report
) -> None:
    owned = index.owned
    report.labels = len(owned)
    for i, (pill, own, name) in enumerate(owned):
        box = pill.box.inflate(-TOLERANCE)
        near = box_bounds(box)
        for b in (scene.blocks[m] for m in index.blocks.near(near)):
            if box.intersects(shapes.boxes[b.id]):
                report.label_overlaps.append(f"{name} overlaps block {b.id}")
        for other, _, other_name in (owned[m] for m in index.labels.near(near) if m > i):
            if box.intersects(other.box):
                report.label_overlaps.append(f"{name} overlaps {other_name}")
        for note in scene.notes:
            if box.intersects(note.box):
                report.label_overlaps.append(f"{name} overlaps {_note_name(note)}")
        for m in index.edges.near(near):
            e = edges[m]
            if any(e is o for o in own):
                continue
            if index.reach[m].hits(box):
                report.label_overlaps.append(f"{name} overlaps {_edge_name(e)}")
        gap, nearest = min(((box_distance(pill.box, segs[id(e)]), k) for k, e in enumerate(own)), default=(0.0, 0))
        if gap > LABEL_REACH * pill.box.h:
            report.detached_labels.append(f"{name} is {gap:.1f} px from its {_edge_name(own[nearest])}")


def _text(pill: Pill) -> str:
    return " ".join(line.text for line in pill.lines)


def _notes(scene: Scene, shapes: _Shapes, edges: list[SceneEdge], index: _Index, report: Report) -> None:
    """Notes are text without a background: each of their lines must keep off blocks and edges."""
    for note in scene.notes:
        name = _note_name(note)
        boxes = [line.box for line in note.lines] or [note.box]
        for b in (scene.blocks[m] for m in sorted({m for box in boxes for m in index.blocks.near(box_bounds(box))})):
            if any(shapes.covers(b, box) for box in boxes):
                report.note_overlaps.append(f"{name} overlaps block {b.id}")
        inner = [box.inflate(-TOLERANCE) for box in boxes]
        for m in sorted({m for box in inner for m in index.edges.near(box_bounds(box))}):
            if any(index.reach[m].hits(box) for box in inner):
                report.note_overlaps.append(f"{name} overlaps {_edge_name(edges[m])}")


def _group_labels(scene: Scene, shapes: _Shapes, edges: list[SceneEdge], index: _Index, report: Report) -> None:
    """A group's frame may be crossed by edges; its label, the frame's title, may not be covered."""
    for g in scene.groups:
        if g.label is None:
            continue
        name = f"group {g.id}'s label '{g.label.text}'"
        box = g.label.box.inflate(-TOLERANCE)
        near = box_bounds(g.label.box)
        for m in index.edges.near(near):
            if index.reach[m].hits(box):
                report.group_labels.append(f"{_edge_name(edges[m])} crosses {name}")
        for b in (scene.blocks[m] for m in index.blocks.near(near)):
            if shapes.covers(b, g.label.box):
                report.group_labels.append(f"block {b.id} overlaps {name}")
        for pill, _, pill_name in (index.owned[m] for m in index.labels.near(near)):
            if box.intersects(pill.box):
                report.group_labels.append(f"{pill_name} overlaps {name}")


def _frames(scene: Scene, membership: Membership | None, report: Report) -> None:
    """Two group frames may not overlap, one frame's label hidden under the other, unless one group is nested
    in the other. Without membership (an SVG), frames overlap when neither holds the other whole."""
    groups = sorted(scene.groups, key=lambda g: g.box.x)  # a sweep along x
    rank = {g.id: k for k, g in enumerate(scene.groups)}
    for i, a in enumerate(groups):
        inner = a.box.inflate(-TOLERANCE)
        for b in groups[i + 1 :]:
            if b.box.x >= inner.right:
                break
            if not inner.intersects(b.box):
                continue
            if membership is not None and a.id in membership.blocks and b.id in membership.blocks:
                if membership.related(a.id, b.id):
                    continue
            elif _holds(a.box, b.box) or _holds(b.box, a.box):
                continue
            first, second = sorted((a, b), key=lambda g: rank[g.id])
            report.frame_overlaps.append(f"group {first.id}'s frame overlaps group {second.id}'s frame")


def _holds(outer: Box, inner: Box) -> bool:
    """Whether ``inner`` lies within ``outer`` (within the tolerance)."""
    return (
        inner.x >= outer.x - TOLERANCE
        and inner.y >= outer.y - TOLERANCE
        and inner.right <= outer.right + TOLERANCE
        and inner.bottom <= outer.bottom + TOLERANCE
    )


def _strangers(scene: Scene, shapes: _Shapes, membership: Membership, index: _Index, report: Report) -> None:
    """A block drawn in (or partly in) the frame of a group it is not in reads as that group's member."""
    for g in scene.groups:
        members = membership.blocks.get(g.id)
        if members is None:
            continue
        for b in (scene.blocks[m] for m in index.blocks.near(box_bounds(g.box))):
            if b.id not in members and shapes.covers(b, g.box):
                report.strangers.append(f"block {b.id} lies in group {g.id}'s frame but is not in the group")


def _ends(edges: list[SceneEdge], shapes: _Shapes, segs: dict[int, list[Point]], report: Report) -> None:
    """Each end of an edge — its head's tip, or its line's end where it has no head — lies on its block's outline."""
    for e in edges:
        pts = segs[id(e)]
        ends = {"starts": ("line", pts[0], e.source), "ends": ("line", pts[-1], e.target)}
        for h in e.heads:
            # the line stops under its head, by the notch (a loop's two ends lie close together)
            notch = h[2] if len(h) == 4 else h[0]
            at = "ends" if (notch - pts[-1]).length() <= (notch - pts[0]).length() else "starts"
            ends[at] = ("head", h[0], ends[at][2])
        for which, (part, p, owner) in ends.items():
            if owner not in shapes.outlines:
                continue
            d = signed_distance(p, shapes.outlines[owner])
            if abs(d) > END_TOLERANCE:
                where = "inside" if d < 0 else "outside"
                report.loose_ends.append(
                    f"{_edge_name(e)}: its {part} {which} {abs(d):.1f} px {where} {shapes.names[owner]}"
                )


def _text_fits(blocks: tuple[SceneBlock, ...], shapes: _Shapes, report: Report) -> None:
    for b in blocks:
        for line in b.lines:
            if not shapes.shapes[b.id].holds(line.box, b.box, TOLERANCE):
                report.text_overflow.append(f"block {b.id}: text '{line.text}' does not fit its {b.shape}")


def _crossings(edges: list[SceneEdge], segs: dict[int, list[Point]], report: Report) -> None:
    """Crossings between edges, counted per pair of segments; only segments whose boxes meet are compared."""
    per_pair: dict[tuple[int, int], int] = defaultdict(int)
    lines = [(i, p, q) for i, e in enumerate(edges) for p, q in itertools.pairwise(segs[id(e)])]
    for k, m in meeting_pairs([segment_bounds(p, q) for _, p, q in lines]):
        (i, p, q), (j, r, s) = lines[k], lines[m]
        if i != j and segments_cross(p, q, r, s):
            per_pair[(min(i, j), max(i, j))] += 1
    for (i, j), n in sorted(per_pair.items()):
        a, b = edges[i], edges[j]
        report.crossings.append(f"{_edge_name(a)} crosses {_edge_name(b)}" + (f" ×{n}" if n > 1 else ""))


__all__ = ["Membership", "Report", "check_scene", "membership_of"]
