"""Layout quality, measured on a scene (DESIGN §6).

A diagram is clean when no edge passes through a block other than its ends,
no two blocks overlap, no label overlaps a block, another label, a note or
an edge it does not belong to, every label touches its own edge, no note
lies on a block or an edge, no edge, block or label covers a group's
label, every edge ends on its blocks' drawn outlines and every text line
fits inside its shape. Edge crossings are counted too, but only reported:
some structures need them. Shapes are measured as drawn (svgarch/shapes/).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from svgarch.geometry import Box, Point, points_box, segment_hits_box, segments_cross
from svgarch.outline import box_distance, overlap_depth, signed_distance
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


def check_scene(scene: Scene) -> Report:
    edges = scene.all_edges()
    report = Report(blocks=len(scene.blocks), edges=len(edges))
    shapes = _Shapes(scene)
    segs = {id(e): e.path.points() for e in edges}
    _edges_through_blocks(scene.blocks, shapes, edges, segs, report)
    _block_overlaps(scene.blocks, shapes, report)
    _labels(scene, shapes, segs, report)
    _notes(scene, shapes, edges, report)
    _group_labels(scene, shapes, edges, report)
    _ends(edges, shapes, segs, report)
    _text_fits(scene.blocks, shapes, report)
    _crossings(edges, segs, report)
    return report


def _edges_through_blocks(
    blocks: tuple[SceneBlock, ...],
    shapes: _Shapes,
    edges: list[SceneEdge],
    segs: dict[int, list[Point]],
    report: Report,
) -> None:
    for e in edges:
        pts = segs[id(e)]
        for b in blocks:
            if b.id in (e.source, e.target):
                continue
            box = shapes.boxes[b.id].inflate(-TOLERANCE)
            if any(segment_hits_box(p, q, box) for p, q in itertools.pairwise(pts)):
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


def _labels(scene: Scene, shapes: _Shapes, segs: dict[int, list[Point]], report: Report) -> None:
    owned = _owned_labels(scene)
    report.labels = len(owned)
    edges = scene.all_edges()
    for i, (pill, own, name) in enumerate(owned):
        box = pill.box.inflate(-TOLERANCE)
        for b in scene.blocks:
            if box.intersects(shapes.boxes[b.id]):
                report.label_overlaps.append(f"{name} overlaps block {b.id}")
        for other, _, other_name in owned[i + 1 :]:
            if box.intersects(other.box):
                report.label_overlaps.append(f"{name} overlaps {other_name}")
        for note in scene.notes:
            if box.intersects(note.box):
                report.label_overlaps.append(f"{name} overlaps {_note_name(note)}")
        for e in edges:
            if any(e is o for o in own):
                continue
            if any(segment_hits_box(p, q, box) for p, q in _segments(e)):
                report.label_overlaps.append(f"{name} overlaps {_edge_name(e)}")
        gap, nearest = min(((box_distance(pill.box, segs[id(e)]), k) for k, e in enumerate(own)), default=(0.0, 0))
        if gap > LABEL_REACH * pill.box.h:
            report.detached_labels.append(f"{name} is {gap:.1f} px from its {_edge_name(own[nearest])}")


def _text(pill: Pill) -> str:
    return " ".join(line.text for line in pill.lines)


def _notes(scene: Scene, shapes: _Shapes, edges: list[SceneEdge], report: Report) -> None:
    """Notes are text without a background: each of their lines must keep off blocks and edges."""
    for note in scene.notes:
        name = _note_name(note)
        boxes = [line.box for line in note.lines] or [note.box]
        for b in scene.blocks:
            if any(shapes.covers(b, box) for box in boxes):
                report.note_overlaps.append(f"{name} overlaps block {b.id}")
        for e in edges:
            if any(segment_hits_box(p, q, box.inflate(-TOLERANCE)) for p, q in _segments(e) for box in boxes):
                report.note_overlaps.append(f"{name} overlaps {_edge_name(e)}")


def _group_labels(scene: Scene, shapes: _Shapes, edges: list[SceneEdge], report: Report) -> None:
    """A group's frame may be crossed by edges; its label, the frame's title, may not be covered."""
    pills = [(pill.box, name) for pill, _, name in _owned_labels(scene)]
    for g in scene.groups:
        if g.label is None:
            continue
        name = f"group {g.id}'s label '{g.label.text}'"
        box = g.label.box.inflate(-TOLERANCE)
        for e in edges:
            if any(segment_hits_box(p, q, box) for p, q in _segments(e)):
                report.group_labels.append(f"{_edge_name(e)} crosses {name}")
        for b in scene.blocks:
            if shapes.covers(b, g.label.box):
                report.group_labels.append(f"block {b.id} overlaps {name}")
        for pill, pill_name in pills:
            if box.intersects(pill):
                report.group_labels.append(f"{pill_name} overlaps {name}")


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
    boxes = [(e, points_box(segs[id(e)]).inflate(1)) for e in edges]
    for i, (a, abox) in enumerate(boxes):
        for b, bbox in boxes[i + 1 :]:
            if not abox.intersects(bbox):
                continue
            pa, pb = segs[id(a)], segs[id(b)]
            n = sum(
                1 for p, q in itertools.pairwise(pa) for r, s in itertools.pairwise(pb) if segments_cross(p, q, r, s)
            )
            if n:
                report.crossings.append(f"{_edge_name(a)} crosses {_edge_name(b)}" + (f" ×{n}" if n > 1 else ""))


__all__ = ["Report", "check_scene"]
