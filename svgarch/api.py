"""The Python API: build a diagram with a few calls, or load a file.

d = Diagram("My service")
d.block("api", "API", subtitle="FastAPI", kind="io", row=0, col=0)
d.block("db", "Postgres", shape="cylinder", row=1, col=0)
d.edge("api", "db", label="SQL")
d.save("service.svg")
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from svgarch import pipeline
from svgarch.errors import Problem, SpecError, SvgarchError
from svgarch.model import DiagramModel
from svgarch.render.raster import DEFAULT_DPI
from svgarch.render.svg import to_svg
from svgarch.spec import model_from_raw, parse_description, read_description

CssFiles = str | Path | Sequence[str | Path]
MAX_DPI = 2400.0  # as the command line's --dpi
NOTEBOOK_DPI = 96.0  # a notebook's PNG: one pixel per CSS pixel
_ENTRY = re.compile(r"[a-z_]+\[\d+\]|legend\.[^.]+")


class Diagram:
    """A diagram under construction. Calls use the description format's keys.

    The output methods take the command line's options: ``theme=``, ``css=``
    (a file or a list of files), ``dpi=`` (PNG and PDF) and ``embed_font=``.
    """

    # Numbers each notebook display in this process: a display's ids get its number, so one diagram
    # shown twice on a page (two cells, or the same cell run again) repeats no id.
    _displays = itertools.count(1)

    def __init__(self, title: str = "", **settings: Any) -> None:
        self._raw: dict[str, Any] = {"title": title, **settings} if title else dict(settings)
        self._source = "<api>"
        self._base = Path(".")
        self._where: Any = lambda key: None
        here = _call_site()
        self._calls: dict[str, tuple[str, int]] = {key: here for key in self._raw}  # key path → caller's line

    @classmethod
    def load(cls, path: str | Path) -> Diagram:
        """A diagram from a TOML, JSON or YAML description."""
        raw, where = read_description(path)
        return cls._from_raw(raw, where, str(path), Path(path).parent)

    @classmethod
    def loads(cls, text: str, syntax: str = "toml", source: str = "<string>", base: str | Path = ".") -> Diagram:
        """A diagram from description text; messages name ``source``, theme and CSS paths are taken from ``base``."""
        raw, where = parse_description(text, syntax, source)
        return cls._from_raw(raw, where, source, Path(base))

    @classmethod
    def _from_raw(cls, raw: object, where: Any, source: str, base: Path) -> Diagram:
        if not isinstance(raw, dict):  # validation names the file and says what is wrong
            model_from_raw(raw, source, where, base)
            raise AssertionError("a description that is not a table is always refused")
        d = cls()
        d._raw = dict(raw)
        d._source, d._base, d._where = source, base, where
        d._calls = {}
        return d

    def _add(self, section: str, entry: dict[str, Any]) -> Diagram:
        entries = self._raw.setdefault(section, [])
        self._calls[f"{section}[{len(entries)}]"] = _call_site()
        entries.append({k: v for k, v in entry.items() if v is not None})
        return self

    def block(self, id: str, title: str | None = None, **keys: Any) -> Diagram:
        return self._add("block", {"id": id, "title": title, **keys})

    def edge(self, source: str | Sequence[str], target: str | Sequence[str], **keys: Any) -> Diagram:
        ends = {"from": _ids(source), "to": _ids(target)}
        return self._add("edge", {**ends, **keys})

    def note(self, text: str, **keys: Any) -> Diagram:
        return self._add("note", {"text": text, **keys})

    def row_label(self, row: int, label: str) -> Diagram:
        return self._add("row_label", {"row": row, "label": label})

    def group(self, id: str, label: str = "", blocks: Sequence[str] = (), **keys: Any) -> Diagram:
        return self._add("group", {"id": id, "label": label, "blocks": list(blocks), **keys})

    def legend(self, kind: str, text: str) -> Diagram:
        self._raw.setdefault("legend", {})[kind] = text
        self._calls[f"legend.{kind}"] = _call_site()
        return self

    @property
    def model(self) -> DiagramModel:
        """The validated model (raises SpecError listing every problem, each at the caller's line)."""
        try:
            return model_from_raw(self._raw, self._source, self._where, self._base)
        except SpecError as exc:
            raise SpecError([self._located(p) for p in exc.problems]) from None

    def _located(self, problem: Problem) -> Problem:
        """``problem`` at the line of the call that added its entry (a loaded file's keep their line)."""
        entry = _ENTRY.match(problem.key)
        key = entry.group(0) if entry else problem.key.split(".", 1)[0].split("[", 1)[0]
        site = self._calls.get(key)
        return problem if site is None else problem._replace(file=site[0], line=site[1])

    def _svg(self, theme: str | None, css: CssFiles, embed_font: bool, display: str = "") -> str:
        model = pipeline.with_overrides(self.model, theme, _css_files(css))
        if not display:
            return pipeline.render_svg(model, embed_font=embed_font)
        scene, styles = pipeline.build_scene(model)
        scene = scene._replace(id=f"{scene.id}-{display}")  # every id in the SVG starts with the scene's
        if not embed_font:
            return to_svg(scene, styles)
        from svgarch.render.fonts_embed import embed_fonts

        return to_svg(scene, styles, embed_fonts(scene, styles))

    def to_svg(self, *, theme: str | None = None, css: CssFiles = (), embed_font: bool = False) -> str:
        """The SVG text: a file, and a snippet to inline in HTML or Markdown (no XML declaration)."""
        return self._svg(theme, css, embed_font)

    def to_html(self, *, theme: str | None = None, css: CssFiles = (), embed_font: bool = False) -> str:
        """A standalone page with the diagram inline and a light/dark switch."""
        model = pipeline.with_overrides(self.model, theme, _css_files(css))
        return pipeline.encode(pipeline.render_svg(model, embed_font=embed_font), "html", DEFAULT_DPI, model).decode()

    def to_png(
        self, *, dpi: float = DEFAULT_DPI, theme: str | None = None, css: CssFiles = (), embed_font: bool = False
    ) -> bytes:
        """The PNG (``dpi`` pixels an inch, written into the file)."""
        return pipeline.encode(self._svg(theme, css, embed_font), "png", _checked_dpi(dpi))

    def to_pdf(
        self, *, dpi: float = DEFAULT_DPI, theme: str | None = None, css: CssFiles = (), embed_font: bool = False
    ) -> bytes:
        """The PDF (titled with the diagram's title, dated ``SOURCE_DATE_EPOCH`` or a fixed date)."""
        return pipeline.encode(self._svg(theme, css, embed_font), "pdf", _checked_dpi(dpi))

    def save(
        self,
        *paths: str | Path,
        dpi: float = DEFAULT_DPI,
        theme: str | None = None,
        css: CssFiles = (),
        embed_font: bool = False,
    ) -> None:
        """Write SVG, PNG, PDF or HTML files, the format chosen by each suffix."""
        model = pipeline.with_overrides(self.model, theme, _css_files(css))
        pipeline.render_files(model, [Path(p) for p in paths], _checked_dpi(dpi), embed_font=embed_font)

    def _repr_mimebundle_(
        self, include: Sequence[str] | None = None, exclude: Sequence[str] | None = None
    ) -> dict[str, str | bytes]:
        """What Jupyter shows: the SVG, laid out once per display; a PNG (96 dpi) only when the front end
        asks for one (``include`` names it, or ``exclude`` refuses SVG)."""
        refused = set(exclude or ())
        svg = "image/svg+xml" not in refused and (not include or "image/svg+xml" in include)
        png = "image/png" not in refused and ("image/png" in (include or ()) or "image/svg+xml" in refused)
        if not (svg or png):
            return {}
        text = self._svg(None, (), False, display=f"d{next(Diagram._displays)}")
        bundle: dict[str, str | bytes] = {"image/svg+xml": text} if svg else {}
        if png:
            bundle["image/png"] = pipeline.encode(text, "png", NOTEBOOK_DPI)
        return bundle


def _call_site() -> tuple[str, int]:
    """The file and line of the user's call (the first frame outside this module)."""
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
    return frame.f_code.co_filename, frame.f_lineno


def _css_files(css: CssFiles) -> tuple[str, ...]:
    """One file or several, as the command line's repeated ``--css``."""
    return (str(css),) if isinstance(css, str | Path) else tuple(str(c) for c in css)


def _checked_dpi(dpi: float) -> float:
    if not 0 < dpi <= MAX_DPI:
        raise SvgarchError(f"dpi must be greater than 0 and at most {MAX_DPI:g}, not {dpi:g}")
    return dpi


def _ids(value: str | Sequence[str]) -> str | list[str]:
    return value if isinstance(value, str) else list(value)


def load(path: str | Path) -> Diagram:
    """Load a description file (TOML, JSON or YAML), or import an ONNX model (``.onnx``) with defaults."""
    if str(path).lower().endswith(".onnx"):
        return from_onnx(path)
    return Diagram.load(path)


def from_onnx(
    model: Any,
    depth: int = 1,
    *,
    expand: Sequence[str] = (),
    collapse: Sequence[str] = (),
    labels: str = "none",
    style: str = "plain",
    direction: str = "TB",
    title: str = "",
) -> Diagram:
    """A diagram of an ONNX model (a path or an ``onnx.ModelProto``): a block per module ``depth`` levels
    down, parent modules as groups, the tensors between them as edges (needs ``pip install 'svgarch[onnx]'``)."""
    from svgarch.onnx_import import Options, import_model

    if labels not in ("none", "shape", "channels"):
        raise SvgarchError(f"labels must be none, shape or channels, not {labels!r}")
    if style not in ("plain", "boxes"):
        raise SvgarchError(f"style must be plain or boxes, not {style!r}")
    options = Options(
        depth=depth, expand=tuple(expand), collapse=tuple(collapse), labels=labels, style=style, direction=direction
    )
    raw = import_model(model, options, title)
    d = Diagram()
    d._raw = raw
    if isinstance(model, str | Path):
        d._source, d._base = str(model), Path(model).parent
    return d


def loads(text: str, syntax: str = "toml", source: str = "<string>", base: str | Path = ".") -> Diagram:
    """Load description text (``syntax``: toml, json or yaml); errors name ``source`` and the line."""
    return Diagram.loads(text, syntax, source, base)
