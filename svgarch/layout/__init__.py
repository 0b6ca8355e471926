"""Layout: from a measured model to a Scene.

place blocks (grid / absolute / layered) → frame groups → route edges
→ free group labels (or lay out again keeping room for them) → place edge
labels → furniture (row labels, notes, legend, title) → shift into the margin
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterable
from typing import TypeVar, cast

from svgarch.geometry import Box, Point, bounding_box, points_box, segment_hits_box
from svgarch.kind_names import kind_variable
from svgarch.layout import furniture
from svgarch.layout.edges import DrawnEdge, EdgeStyle, RoutedEdge, expand, route_edges
from svgarch.layout.groups import PAD, blocks_within, free_labels, group_frames, membership
from svgarch.layout.labels import BoxIndex, LabelRequest, SegmentIndex, place_labels
from svgarch.layout.place import Placement, automatic_groups, place_blocks
from svgarch.layout.ports import PORT_SPACING, corner_radius, port_inset
from svgarch.measure import Measurer, TextStack
from svgarch.model import Block, DiagramModel
from svgarch.scene import (
    Pill,
    Scene,
    SceneBlock,
    SceneEdge,
    SceneFan,
    SceneGroup,
    SceneRowLabel,
    shifted,
)
from svgarch.shapes import shape_of
from svgarch.theme import Theme


def diagram_id(model: DiagramModel, theme: Theme) -> str:
    """The user's id, or a short hash of the content that shapes the output.

    Content is the description and the styles it resolves to, not where
    either lives: the same file rendered from another folder keeps its id
    (and so its bytes), and different CSS gives a different id.
    """
    if model.id:
        return model.id
    content = (model._replace(source="", theme="", css=()), theme.variables, theme.rules, theme.media_variables)
    data = repr(content).encode("utf-8")
    return f"sa-{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


ATTEMPTS = 3  # layouts tried at most, each keeping room for the labels edges crossed in the one before


def layout(model: DiagramModel, measurer: Measurer) -> Scene:
    theme = measurer.theme
    drawn = expand(model.edges)
    style = EdgeStyle(
        margin=12.0,
        radius=corner_radius(theme),
        head_length=theme.length("--sa-head-length"),
        head_width=theme.length("--sa-head-width"),
        port_spacing=PORT_SPACING,
        port_inset=port_inset(theme),
        flow_vertical=model.direction in ("TB", "BT"),
    )
    # A group's label moves along its frame's top to where no edge runs. Where there is no such place,
    # the frame grows sideways to hold it beside the edges, if that takes in no other block or frame;
    # else automatic layout runs again keeping room for it at the frame's top left (a caption).
    automatic = automatic_groups(model)
    captions: frozenset[str] = frozenset()
    grown: dict[str, tuple[float, float]] = {}
    for _ in range(ATTEMPTS):
        placement, groups, row_labels, routed = _arranged(model, measurer, drawn, style, captions, grown)
        groups, crossed = free_labels(groups, (r.points for r in routed))
        grow = _growable(model, placement.boxes, groups, {g: s for g, s in crossed.items() if g not in grown}, routed)
        more = (crossed.keys() - grow.keys()) & automatic - captions
        if not more and not grow:
            break
        captions |= more
        grown = {g: s for g, s in grown.items() if g not in more} | grow
    boxes = placement.boxes
    note_boxes = [n.box for n in placement.notes] + [g.label.box for g in groups if g.label]
    note_boxes += [_row_label_box(rl) for rl in row_labels]

    index = SegmentIndex()
    for r in routed:
        index.add(r.drawn.number, r.points)
    requests, owners = _label_requests(model, routed, measurer, placement.label_spots)
    pills = place_labels(requests, list(boxes.values()), note_boxes, index)
    pill_of = dict(zip(owners, pills, strict=True))

    blocks = tuple(_scene_block(b, boxes[b.id], placement.texts[b.id]) for b in model.blocks)
    edges = _scene_edges(model, routed, pill_of)
    notes = tuple(placement.notes)

    solid_boxes = [b.box for b in blocks] + [n.box for n in notes] + [p.box for p in pills] + [g.box for g in groups]
    extent = solid_boxes + [points_box(r.points) for r in routed]
    content = bounding_box(extent)

    legend = None
    if model.legend:
        solid = BoxIndex()
        for box in solid_boxes:  # edges are checked apart, through their segments
            solid.add(box)
        size = furniture.legend_size(model, measurer)
        spot = furniture.legend_spot(size[:2], content, solid, index, theme.length("--sa-gap-row") / 2)
        line_kinds = {e.kind for e in model.edges} - {b.kind for b in model.blocks}
        legend = furniture.build_legend(model, measurer, spot, line_kinds)
        extent.append(legend.box)
    extent += [rl.line.box for rl in row_labels]
    content = bounding_box(extent)
    title = furniture.place_title(model.title, measurer, content, theme.length("--sa-gap-row") * 0.5)
    extent += [line.box for line in title]
    everything = bounding_box(extent)
    margin = theme.length("--sa-margin")
    dx, dy = margin - everything.x, margin - everything.y

    return Scene(
        id=diagram_id(model, theme),
        width=round(everything.w + 2 * margin, 2),
        height=round(everything.h + 2 * margin, 2),
        title=_moved(title, dx, dy),
        description=model.description,
        blocks=_moved(blocks, dx, dy),
        edges=_moved(edges, dx, dy),
        groups=_moved(tuple(groups), dx, dy),
        notes=_moved(notes, dx, dy),
        row_labels=_moved(tuple(row_labels), dx, dy),
        legend=_moved(legend, dx, dy),
        block_kinds=_ordered(b.kind for b in model.blocks),
        edge_kinds=_ordered(e.kind for e in model.edges),
    )


T = TypeVar("T")


def _moved(value: T, dx: float, dy: float) -> T:
    return cast(T, shifted(value, dx, dy))


def _ordered(kinds: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for k in kinds:
        if k and k not in out:
            out.append(k)
    return tuple(out)


def _arranged(
    model: DiagramModel,
    measurer: Measurer,
    drawn: list[DrawnEdge],
    style: EdgeStyle,
    captions: frozenset[str],
    grown: dict[str, tuple[float, float]],
) -> tuple[Placement, list[SceneGroup], list[SceneRowLabel], list[RoutedEdge]]:
    """Blocks placed, group frames drawn round them, row labels set in the margin, edges routed.

    Automatic layout keeps room for the labels of the ``captions`` groups; the frames of ``grown``
    groups reach out to hold their label where it is given."""
    placement = place_blocks(model, measurer, drawn, captions)
    boxes = placement.boxes
    groups = group_frames(model, boxes, measurer, placement.held, {**placement.captions, **grown})
    # row labels sit left of the blocks (and frames) before routing, so edges and labels avoid them
    left = bounding_box(list(boxes.values()) + [g.box for g in groups] + [n.box for n in placement.notes]).x
    row_labels = furniture.place_row_labels(model, measurer, placement.row_bands, left)
    note_boxes = [n.box for n in placement.notes] + [g.label.box for g in groups if g.label]
    note_boxes += [_row_label_box(rl) for rl in row_labels]
    routed = route_edges(
        drawn,
        boxes,
        note_boxes,
        style,
        _head_scales(model, measurer),
        placement.guides,
        placement.bands,
        {g.id: g.box for g in groups},
        {b.id: shape_of(b.shape, b.depth) for b in model.blocks},
        placement.loops,
    )
    return placement, groups, row_labels, routed


def _growable(
    model: DiagramModel,
    boxes: dict[str, Box],
    groups: list[SceneGroup],
    spans: dict[str, list[tuple[float, float]]],
    routed: list[RoutedEdge],
) -> dict[str, tuple[float, float]]:
    """For each group of ``spans``, the first span whose frame, grown to hold the label there, comes no
    nearer than ``PAD`` to a block it does not hold, a frame it is not nested in or around, or an edge
    not its own (the frame does not take edges in or run along them)."""
    if not spans:
        return {}
    members = membership(model)
    within = blocks_within(members)
    out = {}
    for g in groups:
        if g.id not in spans or g.label is None:
            continue
        inside = set(within.get(g.id, ()))
        related = set(_around(g.id, members.parent)) | {h.id for h in groups if g.id in _around(h.id, members.parent)}
        others = [box for name, box in boxes.items() if name not in inside]
        others += [h.box for h in groups if h.id not in related]
        lines = [r.points for r in routed if g.id not in (r.drawn.source, r.drawn.target)]
        # its own edges too, outside the frame: growing over the way they leave it would swallow them
        inner = g.box.inflate(1.0)
        own = [r.points for r in routed if g.id in (r.drawn.source, r.drawn.target)]
        lines += [tuple(p for p in points if not inner.contains(p)) for points in own]
        for lo, hi in spans[g.id]:
            frame = g.box.union(Box(lo - PAD, g.box.y, hi - lo + 2 * PAD, g.box.h))
            added = Box(frame.x, frame.y, g.box.x - frame.x, frame.h) if frame.x < g.box.x else Box(
                g.box.right, frame.y, frame.right - g.box.right, frame.h
            )
            clear = frame.inflate(PAD)
            if any(clear.intersects(box) for box in others) or any(
                segment_hits_box(a, b, added.inflate(PAD)) for line in lines for a, b in itertools.pairwise(line)
            ):
                continue
            out[g.id] = (lo, hi)
            break
    return out


def _around(group: str, parent: dict[str, str]) -> list[str]:
    """``group`` and the groups enclosing it."""
    out: list[str] = []
    up: str | None = group
    while up is not None and up not in out:
        out.append(up)
        up = parent.get(up)
    return out


def _row_label_box(rl: SceneRowLabel) -> Box:
    return rl.line.box.union(Box(rl.tick[0].x, rl.tick[0].y - 1, rl.tick[1].x - rl.tick[0].x, 2))


def _scene_block(b: Block, box: Box, text: TextStack) -> SceneBlock:
    shape = shape_of(b.shape, b.depth)
    offset = shape.text_offset(box)  # a cylinder's text sits in its body, a 3-D box's on its front face
    lines = text.place(box.cx + offset.x, box.cy - text.height / 2 + offset.y)
    return SceneBlock(b.id, b.kind, b.shape, box, lines, _tooltip(b.title or b.id, b.subtitle), shape.depth)


def _tooltip(title: str, subtitle: str) -> str:
    return f"{title} — {subtitle}" if subtitle else title


def _head_scales(model: DiagramModel, measurer: Measurer) -> dict[str, float]:
    theme = measurer.theme
    base = theme.length("--sa-edge-width")
    return {
        e.kind: theme.length(f"{kind_variable(e.kind)}-width") / base
        for e in model.edges
        if e.kind and theme.has(f"{kind_variable(e.kind)}-width")
    }


def _by_description_edge(routed: list[RoutedEdge]) -> dict[int, list[RoutedEdge]]:
    """Drawn edges grouped by the description edge they come from (a fan has several)."""
    by_model: dict[int, list[RoutedEdge]] = {}
    for r in routed:
        by_model.setdefault(r.drawn.model_index, []).append(r)
    return by_model


def _label_requests(
    model: DiagramModel, routed: list[RoutedEdge], measurer: Measurer, spots: dict[int, Point]
) -> tuple[list[LabelRequest], list[int]]:
    """One request per labelled description edge; fans share one label."""
    by_model = _by_description_edge(routed)
    requests, owners = [], []
    for mi, edge in enumerate(model.edges):
        if not edge.label or mi not in by_model:
            continue
        members = by_model[mi]
        requests.append(
            LabelRequest(
                tuple(r.drawn.number for r in members),
                tuple(r.points for r in members),
                measurer.stack((edge.label, "label-text")),
                spots.get(members[0].drawn.number),
                members[0].label_spots,
            )
        )
        owners.append(mi)
    return requests, owners


def _scene_edges(
    model: DiagramModel, routed: list[RoutedEdge], pill_of: dict[int, Pill]
) -> tuple[SceneEdge | SceneFan, ...]:
    out: list[SceneEdge | SceneFan] = []
    by_model = _by_description_edge(routed)
    for mi, edge in enumerate(model.edges):
        label = pill_of.get(mi)
        members = [
            SceneEdge(
                r.drawn.source,
                r.drawn.target,
                edge.kind,
                r.path,
                r.heads,
                None if edge.is_fan else label,
                f"{r.drawn.source} → {r.drawn.target}" + (f": {edge.label}" if edge.label else ""),
            )
            for r in by_model.get(mi, [])
        ]
        if edge.is_fan:
            out.append(SceneFan(edge.kind, tuple(members), label))
        else:
            out.extend(members)
    return tuple(out)


__all__ = ["Placement", "diagram_id", "layout"]
