"""svgarch: architecture diagrams as code, drawn as clean, themable SVG.

    description (TOML/JSON/YAML or Diagram calls) → model → measure → layout
    → scene → SVG (svgwrite) → PNG/PDF (cairosvg)

See ``svgarch.pipeline`` for the flow in ten lines.
"""

from svgarch.api import Diagram, from_onnx, load, loads
from svgarch.errors import (
    FontError,
    MissingGlyphWarning,
    Problem,
    RenderError,
    SpecError,
    SvgarchError,
    ThemeError,
)

__all__ = [
    "Diagram",
    "FontError",
    "MissingGlyphWarning",
    "Problem",
    "RenderError",
    "SpecError",
    "SvgarchError",
    "ThemeError",
    "from_onnx",
    "load",
    "loads",
]
__version__ = "0.1.0"
