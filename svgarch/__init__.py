"""svgarch: architecture diagrams as code, drawn as clean, themable SVG.

    description (TOML/JSON/YAML or Diagram calls) → model → measure → layout
    → scene → SVG (svgarch.render) → PNG/PDF (cairosvg)

See ``svgarch.pipeline`` for the flow in ten lines.
"""

from svgarch.errors import (
    FontError,
    MissingGlyphWarning,
    Problem,
    RenderError,
    SpecError,
    SvgarchError,
    ThemeError,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from svgarch.api import Diagram, from_onnx, load, loads
del TYPE_CHECKING  # not one of the package's names

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
_API = ("Diagram", "from_onnx", "load", "loads")


def __getattr__(name: str) -> "Any":  # a string: this module does not import typing
    """The API's names, imported on first use: the command line (which imports this package first)
    needs only the part of svgarch its command runs."""
    if name in _API:
        from svgarch import api

        return getattr(api, name)
    raise AttributeError(f"module 'svgarch' has no attribute {name!r}")
