"""Links, tooltips and the ``interactive`` switch: from the model onto the laid-out scene.

Layout decides where things are; this step adds what a reader can click and
what a pointer shows, which changes no geometry. It runs after layout and
before the SVG writer (``svgarch.pipeline.build_scene``).

Pre: ``scene`` is ``layout(model)``: blocks in model order, edges in model
order (a fan per description edge whose ends are lists), groups and notes in
model order. Post: the same scene with each element's ``link`` and
``tooltip`` set from the model, and ``interactive`` from the model.
"""

from __future__ import annotations

from svgarch.model import Block, DiagramModel, Edge, Group, Note
from svgarch.scene import Scene, SceneEdge, SceneFan


def annotate(scene: Scene, model: DiagramModel) -> Scene:
    """``scene`` with the model's links, tooltips and interactivity."""
    if not _has_any(model):
        return scene if model.interactive else scene._replace(interactive=False)
    by_id = {b.id: b for b in model.blocks}
    blocks = tuple(
        sb._replace(link=b.link, tooltip=b.tooltip or sb.tooltip) if (b := by_id.get(sb.id)) else sb
        for sb in scene.blocks
    )
    groups_by_id = {g.id: g for g in model.groups}
    groups = tuple(
        sg._replace(link=g.link, tooltip=g.tooltip) if (g := groups_by_id.get(sg.id)) else sg for sg in scene.groups
    )
    notes = scene.notes
    if len(notes) == len(model.notes):  # layout draws every note, in order
        notes = tuple(sn._replace(link=n.link, tooltip=n.tooltip) for sn, n in zip(notes, model.notes, strict=True))
    return scene._replace(
        blocks=blocks,
        groups=groups,
        notes=notes,
        edges=_edges(scene.edges, model.edges),
        interactive=model.interactive,
    )


def _has_any(model: DiagramModel) -> bool:
    records: list[Block | Edge | Group | Note] = [*model.blocks, *model.edges, *model.groups, *model.notes]
    return any(r.link or r.tooltip for r in records)


def _edges(drawn: tuple[SceneEdge | SceneFan, ...], edges: tuple[Edge, ...]) -> tuple[SceneEdge | SceneFan, ...]:
    """The drawn edges with their description edge's link and tooltip, matched in order by their ends."""
    out = list(drawn)
    at = 0
    for edge in edges:
        if at >= len(out):
            break
        item = out[at]
        if edge.is_fan != isinstance(item, SceneFan) or not _same_ends(item, edge):
            continue  # an edge layout did not draw: the next drawn one belongs to a later edge
        if isinstance(item, SceneFan):
            members = tuple(_with(e, edge) for e in item.edges)
            out[at] = item._replace(edges=members, link=edge.link)
        else:
            out[at] = _with(item, edge)._replace(link=edge.link)
        at += 1
    return tuple(out)


def _same_ends(item: SceneEdge | SceneFan, edge: Edge) -> bool:
    members = item.edges if isinstance(item, SceneFan) else (item,)
    return all(e.source in edge.sources and e.target in edge.targets for e in members)


def _with(drawn: SceneEdge, edge: Edge) -> SceneEdge:
    return drawn._replace(tooltip=edge.tooltip) if edge.tooltip else drawn
