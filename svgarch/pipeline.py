"""The whole flow, one stage per line: model → theme → measure → layout → SVG → PNG/PDF."""

from __future__ import annotations

from pathlib import Path

from svgarch.files import check_target, output_format, write_all
from svgarch.fonts import FontBook
from svgarch.layout import layout
from svgarch.measure import Measurer
from svgarch.model import DiagramModel
from svgarch.render.svg import to_svg
from svgarch.scene import Scene
from svgarch.theme import Theme, load_theme


def with_overrides(model: DiagramModel, theme: str | None = None, css: tuple[str, ...] = ()) -> DiagramModel:
    """The model with a command line's theme and extra CSS applied."""
    if theme is not None:
        model = model._replace(theme=theme)
    return model._replace(css=model.css + css) if css else model


def build_scene(model: DiagramModel) -> tuple[Scene, Theme]:
    theme = load_theme(model.theme, model.css)
    measurer = Measurer(theme, FontBook())
    return layout(model, measurer), theme


def render_svg(model: DiagramModel) -> str:
    scene, theme = build_scene(model)
    return to_svg(scene, theme)


def encode(svg: str, fmt: str, dpi: float) -> bytes:
    """The SVG as bytes of ``fmt`` (svg, png or pdf)."""
    if fmt == "svg":
        return svg.encode("utf-8")
    from svgarch.render.raster import to_pdf, to_png

    return to_png(svg, dpi) if fmt == "png" else to_pdf(svg, dpi)


def render_files(model: DiagramModel, outputs: list[Path], dpi: float) -> None:
    """Render once, encode every output, then write them all atomically."""
    for path in outputs:
        check_target(path)
    svg = render_svg(model)
    write_all([(path, encode(svg, output_format(path), dpi)) for path in outputs])
