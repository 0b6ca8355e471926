"""Quality measures of a drawn diagram, read the same way from svgarch's and Graphviz's SVGs.

    scene or SVG ─► Drawing (drawing.py; from_scene.py, graphviz.py) ─► Quality (measures.py)

``svgarch check`` prints them after its collision checks; ``benchmarks/bench_quality.py``
prints them for svgarch and dot side by side.
"""

from __future__ import annotations

import re
from pathlib import Path

from svgarch.errors import SvgarchError
from svgarch.quality.drawing import Drawing, DrawnEdge, Frame, Node
from svgarch.quality.from_scene import drawing_from_scene
from svgarch.quality.graphviz import drawing_from_graphviz, is_graphviz
from svgarch.quality.measures import Quality, measure, median, quantile

_TITLE_SIZE = re.compile(r"\.sa-block-title\s*\{[^}]*?font-size:\s*([0-9.]+)px")


def title_size_of_svg(text: str) -> float:
    """The block title's font size named by an svgarch SVG's plain rules (12 px if none)."""
    m = _TITLE_SIZE.search(text)
    return float(m.group(1)) if m else 12.0


def svg_drawing(path: Path, text: str) -> Drawing:
    """The drawing of an SVG file svgarch or Graphviz wrote."""
    if is_graphviz(text):
        return drawing_from_graphviz(text, str(path))
    from svgarch.read_svg import read_scene

    scene = read_scene(path)
    if not scene.blocks and not scene.edges:
        raise SvgarchError(f"{path}: neither an svgarch nor a Graphviz drawing")
    return drawing_from_scene(scene, title_size_of_svg(text))


__all__ = [
    "Drawing",
    "DrawnEdge",
    "Frame",
    "Node",
    "Quality",
    "drawing_from_graphviz",
    "drawing_from_scene",
    "measure",
    "median",
    "quantile",
    "svg_drawing",
    "title_size_of_svg",
]
