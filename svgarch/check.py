"""Layout quality, measured on a scene (DESIGN §6).

A diagram is clean when no edge passes through a block other than its ends,
no label overlaps a block, another label, a note or an edge it does not
belong to, and every text line fits inside its shape. Edge crossings are
counted too, but only reported: some structures need them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from svgarch.geometry import Box, Point, points_box, segment_hits_box, segments_cross
from svgarch.scene import Pill, Scene, SceneBlock, SceneEdge, SceneFan

TOLERANCE = 1.0  # px a line may graze a box edge (anti-aliasing, rounding)


@dataclass
class Report:
    blocks: int = 0
    edges: int = 0
    labels: int = 0
    edge_block: list[str] = field(default_factory=list)
    label_overlaps: list[str] = field(default_factory=list)
    text_overflow: list[str] = field(default_factory=list)
    crossings: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.edge_block or self.label_overlaps or self.text_overflow)

    def lines(self) -> list[str]:
        out = [f"{self.blocks} blocks, {self.edges} edges, {self.labels} labels"]
        for name, items in (
            ("edge-block intersections", self.edge_block),
            ("label overlaps", self.label_overlaps),
            ("text overflow", self.text_overflow),
            ("edge crossings", self.crossings),
        ):
            out.append(f"  {name}: {len(items)}")
            out.extend(f"    {item}" for item in items[:20])
            if len(items) > 20:
                out.append(f"    … and {len(items) - 20} more")
        return out


def _edge_name(e: SceneEdge) -> str:
    return f"edge {e.source}→{e.target}"


def _segments(e: SceneEdge) -> list[tuple[Point, Point]]:
    pts = e.path.points()
    segments = list(itertools.pairwise(pts))
    for h in e.heads:  # the head's tip belongs to the edge's reach, from the path's end nearer to it
        near = min(pts[0], pts[-1], key=lambda p: (p - h[0]).length())
        segments.append((near, h[0]))
    return segments


def check_scene(scene: Scene) -> Report:
    edges = scene.all_edges()
    report = Report(blocks=len(scene.blocks), edges=len(edges))
    segs = {id(e): e.path.points() for e in edges}
    _edges_through_blocks(scene.blocks, edges, segs, report)
    _labels(scene, report)
    _text_fits(scene.blocks, report)
    _crossings(edges, segs, report)
    return report


def _edges_through_blocks(
    blocks: tuple[SceneBlock, ...], edges: list[SceneEdge], segs: dict[int, list[Point]], report: Report
) -> None:
    for e in edges:
        pts = segs[id(e)]
        for b in blocks:
            if b.id in (e.source, e.target):
                continue
            box = b.box.inflate(-TOLERANCE)
            if any(segment_hits_box(p, q, box) for p, q in itertools.pairwise(pts)):
                report.edge_block.append(f"{_edge_name(e)} passes through block {b.id}")


def _labels(scene: Scene, report: Report) -> None:
    owned: list[tuple[Pill, list[SceneEdge], str]] = []
    for item in scene.edges:
        if isinstance(item, SceneFan):
            if item.label:
                owned.append((item.label, list(item.edges), f"label '{_text(item.label)}'"))
            owned.extend((e.label, [e], f"label '{_text(e.label)}'") for e in item.edges if e.label)
        elif item.label:
            owned.append((item.label, [item], f"label '{_text(item.label)}'"))
    report.labels = len(owned)
    edges = scene.all_edges()
    for i, (pill, own, name) in enumerate(owned):
        box = pill.box.inflate(-TOLERANCE)
        for b in scene.blocks:
            if box.intersects(b.box):
                report.label_overlaps.append(f"{name} overlaps block {b.id}")
        for other, _, other_name in owned[i + 1 :]:
            if box.intersects(other.box):
                report.label_overlaps.append(f"{name} overlaps {other_name}")
        for note in scene.notes:
            if box.intersects(note.box):
                report.label_overlaps.append(f"{name} overlaps note '{note.lines[0].text if note.lines else ''}'")
        for e in edges:
            if any(e is o for o in own):
                continue
            if any(segment_hits_box(p, q, box) for p, q in _segments(e)):
                report.label_overlaps.append(f"{name} overlaps {_edge_name(e)}")


def _text(pill: Pill) -> str:
    return " ".join(line.text for line in pill.lines)


def _text_fits(blocks: tuple[SceneBlock, ...], report: Report) -> None:
    for b in blocks:
        for line in b.lines:
            if not _inside(line.box, b):
                report.text_overflow.append(f"block {b.id}: text '{line.text}' does not fit its {b.shape}")


def _inside(text: Box, block: SceneBlock) -> bool:
    """Whether every corner of ``text`` lies inside the block's outline."""
    box = block.box
    corners = [
        Point(text.x, text.y),
        Point(text.right, text.y),
        Point(text.x, text.bottom),
        Point(text.right, text.bottom),
    ]
    cx, cy, rx, ry = box.cx, box.cy, box.w / 2, box.h / 2
    for p in corners:
        dx, dy = abs(p.x - cx), abs(p.y - cy)
        if block.shape in ("circle", "ellipse"):
            if (dx / rx) ** 2 + (dy / ry) ** 2 > 1 + 1e-6:
                return False
        elif block.shape == "diamond":
            if dx / rx + dy / ry > 1 + 1e-6:
                return False
        elif dx > rx - TOLERANCE or dy > ry - TOLERANCE:
            return False
    return True


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
