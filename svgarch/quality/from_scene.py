"""A :class:`Drawing` from an svgarch scene (laid out, or read back from an SVG)."""

from __future__ import annotations

from collections.abc import Collection

from svgarch.geometry import Box
from svgarch.quality.drawing import Drawing, DrawnEdge, Frame, Node, with_tips
from svgarch.scene import Scene, SceneEdge, SceneFan
from svgarch.shapes import scene_shape


def drawing_from_scene(scene: Scene, title_size: float, flow: str = "", pinned: Collection[str] = ()) -> Drawing:
    """The scene's blocks (as drawn), edges from arrow tip to arrow tip, group frames; ``pinned``
    names the blocks the author placed (grid cells, x/y)."""
    nodes = tuple(
        Node(b.id, scene_shape(b).drawn_box(b.box), i, b.id in pinned) for i, b in enumerate(scene.blocks)
    )
    edges: list[DrawnEdge] = []
    for index, item in enumerate(scene.edges):
        if isinstance(item, SceneFan):
            label = item.label.box if item.label is not None else None
            edges.extend(_edge(e, label, index) for e in item.edges)
        else:
            edges.append(_edge(item, item.label.box if item.label is not None else None, None))
    frames = tuple(Frame(g.id, g.box) for g in scene.groups)
    return Drawing(nodes, tuple(edges), frames, title_size, flow)


def _edge(edge: SceneEdge, label: Box | None, fan: int | None) -> DrawnEdge:
    """The edge's line, lengthened to the tip of each arrow head it has."""
    points, tip = with_tips(edge.path.points(), edge.heads)
    return DrawnEdge(edge.source, edge.target, points, tip, label, fan)
