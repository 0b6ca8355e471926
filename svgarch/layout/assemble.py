"""Scene assembly, the last phase of layout: what was placed, framed, routed and labelled, as a Scene.

Blocks get their text lines, edges their pills (a fan's label once, on the
fan), the legend goes to the first free corner, the title above everything,
and the whole drawing moves into the margin.

Pre: every block placed, every edge routed and every label given a pill.
Post: a ``Scene`` whose content starts ``spacing.margin`` from its top-left
corner; nothing is moved relative to anything else but the legend and title.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from svgarch.geometry import Box, Point, bounding_box, new
from svgarch.icons import is_file_reference, load_icon
from svgarch.layout import furniture
from svgarch.layout.labels import by_description_edge
from svgarch.layout.spatial import BoxIndex, SegmentIndex
from svgarch.layout.types import Arranged, RoutedEdge
from svgarch.measure import IconRoom, Measured, TextStack, place_content
from svgarch.model import Block, DiagramModel
from svgarch.scene import (
    Pill,
    Scene,
    SceneBlock,
    SceneEdge,
    SceneFan,
    SceneIcon,
    shift_heads,
    shift_icon,
    shift_lines,
    shift_path,
    shift_pill,
    shifted,
)
from svgarch.shapes import Shape


def assemble(
    model: DiagramModel,
    measured: Measured,
    arranged: Arranged,
    pill_of: dict[int, Pill],
    edge_index: SegmentIndex,
    diagram_id: str,
) -> Scene:
    """The scene; ``pill_of`` holds each labelled description edge's pill, ``edge_index`` the routes."""
    spacing = measured.spacing
    placement, groups, row_labels, routed = arranged
    boxes = placement.boxes
    notes = tuple(placement.notes)
    pills = list(pill_of.values())

    block_boxes = [boxes[b.id] for b in model.blocks]  # where each block's scene block is drawn, before the move
    solid_boxes = block_boxes + [n.box for n in notes] + [p.box for p in pills] + [g.box for g in groups]
    extent = solid_boxes + _routes_corners(routed)
    content = bounding_box(extent)

    legend = None
    if model.legend:
        solid = BoxIndex()
        for box in solid_boxes:  # edges are checked apart, through their segments
            solid.add(box)
        size = furniture.legend_size(measured.legend)
        spot = furniture.legend_spot(size[:2], content, solid, edge_index, spacing.gap_row / 2)
        line_kinds = {e.kind for e in model.edges} - {b.kind for b in model.blocks}
        legend = furniture.build_legend(model, measured, spot, line_kinds)
        extent.append(legend.box)
    extent += [rl.line.box for rl in row_labels]
    content = bounding_box(extent)
    title = furniture.place_title(measured.title, content, spacing.gap_row * 0.5)
    extent += [line.box for line in title]
    everything = bounding_box(extent)
    margin = spacing.margin
    dx, dy = margin - everything.x, margin - everything.y
    # blocks and edges made where they are drawn (the same values as made, then moved)
    blocks = tuple(
        _scene_block(b, box, placement.texts[b.id], measured.shapes[b.id], measured.blocks[b.id].icon, dx, dy)
        for b, box in zip(model.blocks, block_boxes, strict=True)
    )
    edges = _scene_edges(model, routed, pill_of, dx, dy)

    return Scene(
        id=diagram_id,
        width=round(everything.w + 2 * margin, 2),
        height=round(everything.h + 2 * margin, 2),
        title=_moved(title, dx, dy),
        description=model.description,
        blocks=blocks,
        edges=edges,
        groups=_moved(tuple(groups), dx, dy),
        notes=_moved(notes, dx, dy),
        row_labels=_moved(tuple(row_labels), dx, dy),
        legend=_moved(legend, dx, dy),
        block_kinds=_ordered(b.kind for b in model.blocks),
        edge_kinds=_ordered(e.kind for e in model.edges),
    )


def _routes_corners(routed: list[RoutedEdge]) -> list[Box]:
    """Two empty boxes at the corners of the box round every route's points: to ``bounding_box`` the same
    as each route's ``points_box`` (its least x and y, and its x + w and y + h as that computes them), in two
    boxes instead of thousands."""
    if not routed:
        return []
    lefts, tops, rights, bottoms = [], [], [], []
    for r in routed:
        xs, ys = zip(*r.points, strict=True)
        x0, y0 = min(xs), min(ys)
        lefts.append(x0)
        tops.append(y0)
        rights.append(x0 + (max(xs) - x0))
        bottoms.append(y0 + (max(ys) - y0))
    return [new(Box, (min(lefts), min(tops), 0.0, 0.0)), new(Box, (max(rights), max(bottoms), 0.0, 0.0))]


TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")


def _moved(value: T, dx: float, dy: float) -> T:
    return shifted(value, dx, dy)  # type: ignore[return-value]  # keeps its type (not typing.cast: no typing import)


def _ordered(kinds: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for k in kinds:
        if k and k not in out:
            out.append(k)
    return tuple(out)


def _scene_block(
    b: Block, box: Box, text: TextStack, shape: Shape, room: IconRoom | None, dx: float, dy: float
) -> SceneBlock:
    """The scene block of ``b`` drawn in ``box``, then moved by (dx, dy)."""
    offset = shape.text_offset(box)  # a cylinder's text sits in its body, a 3-D box's on its front face
    icon = None
    if room is None:
        lines = text.place(box.cx + offset.x, box.cy - text.height / 2 + offset.y)
    else:
        if room.position == "only":  # drawn without an outline: centred in the box
            offset = Point(0.0, 0.0)
        lines, icon_box = place_content(text, room, Point(box.cx + offset.x, box.cy + offset.y))
        # a file by its own name: the folder it was found in is nobody's business
        name = os.path.basename(b.icon) if is_file_reference(b.icon) else b.icon
        icon = SceneIcon(icon_box, name, load_icon(b.icon), room.position == "only")
    # from the measured lines: the characters drawn, without inline markup (the same as the texts without any)
    title, subtitle = ("\n".join(ln.text for ln in text.lines if ln.role == r)
                       for r in ("block-title", "block-subtitle"))  # fmt: skip
    tooltip = _tooltip(title, subtitle)
    moved_icon = icon and shift_icon(icon, dx, dy)
    moved = (b.id, b.kind, b.shape, box.moved(dx, dy), shift_lines(lines, dx, dy), tooltip, shape.corner(box),
             shape.depth, moved_icon, "")  # fmt: skip
    return new(SceneBlock, moved)  # thousands: without Record's __new__ (every field given)


def _drawn_text(pill: Pill) -> str:
    """A label's characters as drawn (without inline markup), its lines joined as the author wrote them."""
    return "\n".join(ln.text for ln in pill.lines)


def _tooltip(title: str, subtitle: str) -> str:
    return f"{title} — {subtitle}" if subtitle else title


def _scene_edges(
    model: DiagramModel, routed: list[RoutedEdge], pill_of: dict[int, Pill], dx: float, dy: float
) -> tuple[SceneEdge | SceneFan, ...]:
    """The scene edges (a fan's as one), moved by (dx, dy)."""
    out: list[SceneEdge | SceneFan] = []
    by_model = by_description_edge(routed)
    for mi, edge in enumerate(model.edges):
        label = pill_of.get(mi)
        moved_label = None if label is None else shift_pill(label, dx, dy)
        members = [
            _scene_edge(r, edge.kind, None if edge.is_fan else moved_label, _tooltip_of(r, label), dx, dy)
            for r in by_model.get(mi, [])
        ]
        if edge.is_fan:
            out.append(SceneFan(edge.kind, tuple(members), moved_label))
        else:
            out.extend(members)
    return tuple(out)


def _scene_edge(r: RoutedEdge, kind: str, label: Pill | None, tooltip: str, dx: float, dy: float) -> SceneEdge:
    """``r`` as a scene edge (``label`` moved already), moved by (dx, dy)."""
    path, heads = shift_path(r.path, dx, dy), shift_heads(r.heads, dx, dy)
    edge = (r.drawn.source, r.drawn.target, kind, path, heads, label, tooltip, "")
    return new(SceneEdge, edge)  # thousands: without Record's __new__ (every field given)


def _tooltip_of(r: RoutedEdge, label: Pill | None) -> str:
    return f"{r.drawn.source} → {r.drawn.target}" + (f": {_drawn_text(label)}" if label else "")
