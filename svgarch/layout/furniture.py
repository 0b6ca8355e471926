"""The diagram's furniture: title, row labels and the legend.

Row labels are placed before routing (edges avoid them), the legend and the
title after (they go where the drawing leaves room).

Pre: measured texts; the content's box (and for the legend, what it must
not cover). Post: scene pieces that overlap no block; the title above the
content, wrapped to its width (``TITLE_MIN_WIDTH`` at least).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from svgarch.geometry import Box, Point
from svgarch.layout.spatial import BoxIndex, SegmentIndex
from svgarch.measure import Measured, TextStack, Title
from svgarch.model import DiagramModel
from svgarch.scene import LegendItem, SceneLegend, SceneRowLabel, TextLine

TICK = 12.0
SAMPLE_W = 28.0
SAMPLE_H = 12.0


ROW_GAP = 14.0  # px from a row label's tick to the content
LANE = 18.0  # px more, when an edge is to run down between the row labels and the content
TITLE_MIN_WIDTH = 480.0  # a title wraps to the drawing's width, but never narrower than this


def place_title(title: Title, content: Box, gap: float) -> tuple[TextLine, ...]:
    """The title centred above ``content``: its own line breaks kept, and lines wider
    than the drawing (or ``TITLE_MIN_WIDTH``) wrapped at spaces, so a long title
    does not widen the picture around it."""
    if not title.lines and not title.marked:
        return ()
    stack = title.wrap(max(content.w, TITLE_MIN_WIDTH))
    return stack.place(content.cx, content.y - gap - stack.height)


def place_row_labels(
    model: DiagramModel, measured: Measured, bands: dict[int, tuple[float, float]], left: float, lane: bool
) -> list[SceneRowLabel]:
    """Labels right-aligned before a tick, the tick ending ``ROW_GAP`` left of the content (``left``), and
    ``LANE`` more with ``lane``."""
    out = []
    tick_end = left - ROW_GAP - (LANE if lane else 0.0)
    for rl, stack in zip(model.row_labels, measured.row_labels, strict=True):
        if rl.row not in bands:
            continue
        top, bottom = bands[rl.row]
        cy = (top + bottom) / 2
        lines = stack.place(tick_end - TICK - 8, cy - stack.height / 2, anchor="end")
        out.append(SceneRowLabel(lines[0], (Point(tick_end - TICK, cy), Point(tick_end, cy))))
    return out


def legend_size(texts: tuple[TextStack, ...]) -> tuple[float, float, float]:
    """Width, height and row pitch of the legend box."""
    pitch = max([SAMPLE_H + 7] + [t.height + 5 for t in texts])
    width = 12 + SAMPLE_W + 9 + max((t.width for t in texts), default=0.0) + 14
    return width, 10 + pitch * len(texts) + 6, pitch


def build_legend(model: DiagramModel, measured: Measured, at: Point, line_kinds: set[str]) -> SceneLegend:
    """The legend with its top-left corner at ``at``: patches for block kinds,
    line samples for edge-only kinds, in the description's order."""
    width, height, pitch = legend_size(measured.legend)
    items = []
    y = at.y + 10
    for e, stack in zip(model.legend, measured.legend, strict=True):
        cy = y + pitch / 2
        sample = Box(at.x + 12, cy - SAMPLE_H / 2, SAMPLE_W, SAMPLE_H)
        if e.kind in line_kinds:
            sample = Box(at.x + 12, cy, SAMPLE_W, 0.0)
        lines = stack.place(at.x + 12 + SAMPLE_W + 9, cy - stack.height / 2, anchor="start")
        items.append(LegendItem(e.kind, "line" if e.kind in line_kinds else "patch", sample, lines[0]))
        y += pitch
    return SceneLegend(Box(at.x, at.y, width, height), tuple(items))


def legend_spot(size: tuple[float, float], content: Box, solid: BoxIndex, edges: SegmentIndex, gap: float) -> Point:
    """Top-left corner for the legend: inside the bottom-right corner when
    free, else beside or below the content."""
    w, h = size
    candidates: Sequence[Point] = (
        Point(content.right - w, content.bottom - h),
        Point(content.x, content.bottom - h),
        Point(content.right - w, content.y),
        Point(content.right + gap, content.bottom - h),
        Point(content.right - w, content.bottom + gap),
    )
    for p in candidates:
        box = Box(p.x, p.y, w, h).inflate(10)
        if not solid.count_hits(box) and not edges.owners_hitting(box):
            return p
    return candidates[-1]


def row_label_box(rl: SceneRowLabel) -> Box:
    """What a row label covers: its text and its tick."""
    return rl.line.box.union(Box(rl.tick[0].x, rl.tick[0].y - 1, rl.tick[1].x - rl.tick[0].x, 2))


def passed_behind(row_labels: Sequence[SceneRowLabel], routes: Sequence[Sequence[Point]]) -> bool:
    """Whether a route runs across the height of a row label behind it (left of it), the way round the row
    labels that stand in front of the content."""
    for rl in row_labels:
        box = row_label_box(rl)
        for points in routes:
            for p, q in itertools.pairwise(points):
                if max(p.x, q.x) < box.x and min(p.y, q.y) <= box.cy <= max(p.y, q.y):
                    return True
    return False
