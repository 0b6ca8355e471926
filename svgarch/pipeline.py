"""The whole flow, one stage per line: load → measure → layout → scene → SVG → PNG/PDF."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence

from svgarch.annotate import annotate
from svgarch.errors import RenderError
from svgarch.files import check_target, output_format, write_all
from svgarch.fonts import FontBook
from svgarch.icons import is_file_reference, load_icon
from svgarch.layout import layout
from svgarch.measure import measure, missing_glyphs
from svgarch.model import DiagramModel
from svgarch.render.svg import to_svg
from svgarch.scene import Scene
from svgarch.theme import Theme, load_theme

TYPE_CHECKING = False
if TYPE_CHECKING:
    from svgarch.files import StrPath


def __getattr__(name: str) -> object:
    """``MAX_DPI``, ``MIN_DPI`` and ``dpi_problem``, part of the flow's API, from the PNG writer when asked
    for (an SVG render does not import it)."""
    if name in ("MAX_DPI", "MIN_DPI", "dpi_problem"):
        from svgarch.render import raster

        return getattr(raster, name)
    raise AttributeError(f"module 'svgarch.pipeline' has no attribute {name!r}")


def with_overrides(model: DiagramModel, theme: str | None = None, css: tuple[str, ...] = ()) -> DiagramModel:
    """The model with a command line's theme and extra CSS applied."""
    if theme is not None:
        model = model._replace(theme=theme)
    return model._replace(css=model.css + css) if css else model


def build_scene(model: DiagramModel, fonts: FontBook | None = None) -> tuple[Scene, Theme]:
    """The model laid out as a scene, and the theme that styles it (``fonts``: a book to share between
    renders, as a batch does; by default a new one)."""
    theme = load_theme(model.theme, model.css)
    measured = measure(model, theme, fonts)
    if measured.missing:
        warn_missing(model, measured.missing)
    return annotate(layout(model, measured, diagram_id(model, theme)), model), theme


def warn_missing(model: DiagramModel, missing: frozenset[str]) -> None:
    """A MissingGlyphWarning for each text with characters no installed font has: ``FILE:LINE: key: ...``."""
    import warnings

    from svgarch.errors import MissingGlyphWarning

    where = _line_finder(model.source)
    for key, chars in missing_glyphs(model, missing):
        line = where(key)
        place = f"{model.source}:{line}" if line else model.source
        names = ", ".join(f"U+{ord(ch):04X} '{ch}'" for ch in chars)
        warnings.warn(
            MissingGlyphWarning(f"{place}: {key}: no installed font has {names} (drawn as an empty box)"),
            stacklevel=2,
        )


def _line_finder(source: str) -> Callable[[str], int | None]:
    """Where a key is in the description file ``source`` (read again: only when there is something to say)."""
    from pathlib import Path

    from svgarch.spec.load import SYNTAXES, read_description

    path = Path(source)
    if path.suffix.lower() not in SYNTAXES or not path.is_file():
        return lambda key: None
    try:
        return read_description(path)[1]
    except Exception:  # the file changed since it was loaded: no line then, the warning still goes out
        return lambda key: None


def diagram_id(model: DiagramModel, theme: Theme) -> str:
    """The user's id, or a short hash of the content that shapes the output.

    Content is the description and the styles it resolves to, not where
    either lives: the same file rendered from another folder keeps its id
    (and so its bytes), and different CSS gives a different id.
    """
    if model.id:
        return model.id
    blocks = model.blocks
    if any(is_file_reference(b.icon) for b in blocks if b.icon):  # an icon file by what it draws, not its path
        blocks = tuple(b._replace(icon=repr(load_icon(b.icon))) if b.icon else b for b in blocks)
    content = (
        model._replace(source="", theme="", css=(), blocks=blocks),
        theme.variables,
        theme.rules,
        theme.media_variables,
    )
    data = repr(content).encode("utf-8")
    return f"sa-{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def render_svg(
    model: DiagramModel, *, embed_font: bool = False, notes: list[str] | None = None, book: FontBook | None = None
) -> str:
    """The SVG; ``embed_font`` puts subsets of its fonts inside (``notes`` gets what that added)."""
    scene, theme = build_scene(model, book)
    if not embed_font:
        return to_svg(scene, theme)
    from svgarch.render.fonts_embed import embed_fonts

    fonts = embed_fonts(scene, theme, book)
    svg = to_svg(scene, theme, fonts)
    if notes is not None:
        added = len(svg.encode("utf-8")) - len(to_svg(scene, theme).encode("utf-8"))
        notes.append(f"{fonts.summary()}; the SVG grows by {added / 1024:.1f} KiB ({added} bytes)")
    return svg


def encode(svg: str, fmt: str, dpi: float, model: DiagramModel | None = None) -> bytes:
    """The SVG as bytes of ``fmt`` (svg, png, pdf, or html: a page around it, which needs the model)."""
    if fmt == "svg":
        return svg.encode("utf-8")
    from svgarch.render.raster import dpi_problem  # here: an SVG render imports no PNG writer

    if fmt in ("png", "pdf") and (problem := dpi_problem(dpi)):
        raise RenderError(f"dpi {problem}")
    if fmt == "html":
        from svgarch.page import html_page

        assert model is not None, "an HTML page needs the model (for its light and dark palettes)"
        return html_page(svg, model).encode("utf-8")
    from svgarch.render.raster import to_pdf, to_png

    return to_png(svg, dpi) if fmt == "png" else to_pdf(svg, dpi)


def render_files(
    model: DiagramModel,
    outputs: Sequence[StrPath],
    dpi: float,
    *,
    embed_font: bool = False,
    notes: list[str] | None = None,
    before_write: Callable[[], None] | None = None,
) -> str:
    """Render once, encode every output, then write them all atomically; the SVG text is returned.

    ``before_write`` is called when everything is encoded, just before the first file is written
    (the CLI's time limit stops there)."""
    for path in outputs:
        check_target(path)
    svg = render_svg(model, embed_font=embed_font, notes=notes)
    formats = [(path, output_format(path)) for path in outputs]
    encoded = [(p, encode(svg, fmt, dpi, model) if fmt == "html" else encode(svg, fmt, dpi)) for p, fmt in formats]
    if before_write is not None:
        before_write()
    write_all(encoded)
    return svg
