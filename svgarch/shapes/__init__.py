"""Block shapes, one record each: everything svgarch knows about a shape lives in its record.

A record (frozen, ``svgarch.shapes.base.Shape``) answers from
the block's box: the size its text needs, where the text goes, its outline
(for ``svgarch check`` and for ports), where an edge meets it, the SVG
elements that draw it and how to read them back, and any CSS its extra
elements need. ``SHAPES`` is the one list of shape names: the description
format, its JSON Schema and its documentation read it.

To add a shape: write its record in the family module it belongs to (or a
new one), add it to ``SHAPES`` below, and name it in README.md and
docs/format.md. Nothing else changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from svgarch.geometry import Box
from svgarch.scene import SceneBlock
from svgarch.shapes.base import NORMALS, CssRule, PathCommand, Primitive, Shape, replace
from svgarch.shapes.polygons import Diamond, Hexagon, Parallelogram
from svgarch.shapes.rects import Document, Pill, Rect, Rounded
from svgarch.shapes.round import Circle, Ellipse
from svgarch.shapes.solids import DEPTH, Box3D, Cylinder, cylinder_cap

SHAPES: dict[str, Shape] = {
    s.name: s
    for s in (
        Rounded(),
        Rect(),
        Pill(),
        Circle(),
        Ellipse(),
        Cylinder(),
        Diamond(),
        Hexagon(),
        Parallelogram(),
        Document(),
        Box3D(),
    )
}
DEFAULT = SHAPES["rounded"]
FRAME = Rounded(radius=10.0)  # a group's frame: not a block shape, but drawn and checked like one


def shape_of(name: str, depth: float | None = None, radius: float | None = None) -> Shape:
    """The record that draws a block of shape ``name`` (``depth``: a solid's, when given; 0 or None: its own;
    ``radius``: a rounded rect's corners, the theme's ``--sa-radius`` in layout, when given)."""
    shape = SHAPES[name]
    if depth and shape.depth:
        shape = replace(shape, depth=depth)
    return shape if radius is None else shape.with_corners(radius)


def scene_shape(block: SceneBlock) -> Shape:
    """The record that drew a scene's block: its depth and its corners' radius are the scene's."""
    return shape_of(block.shape, block.depth, block.radius)


def css_rules(names: Iterable[str]) -> list[CssRule]:
    """The rules the shapes ``names`` need beyond the theme's, once each, in a fixed order."""
    used = set(names)
    return [rule for name, shape in SHAPES.items() if name in used for rule in shape.css]


def read_shape(drawn: Sequence[Primitive]) -> tuple[Shape, Box]:
    """The shape and block box whose SVG elements are ``drawn`` (the inverse of ``Shape.primitives``)."""
    for shape in SHAPES.values():
        found = shape.read(drawn)
        if found is not None:
            return found
    raise ValueError(f"no shape draws <{drawn[0].tag} class='{drawn[0].cls}'>")


__all__ = [
    "DEFAULT",
    "DEPTH",
    "FRAME",
    "NORMALS",
    "SHAPES",
    "PathCommand",
    "Primitive",
    "Shape",
    "css_rules",
    "cylinder_cap",
    "read_shape",
    "scene_shape",
    "shape_of",
]
