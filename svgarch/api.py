"""The Python API: build a diagram with a few calls, or load a file.

d = Diagram("My service")
d.block("api", "API", subtitle="FastAPI", kind="io", row=0, col=0)
d.block("db", "Postgres", shape="cylinder", row=1, col=0)
d.edge("api", "db", label="SQL")
d.save("service.svg")
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from svgarch import pipeline
from svgarch.model import DiagramModel
from svgarch.render.raster import DEFAULT_DPI
from svgarch.spec import model_from_raw, parse_description, read_description


class Diagram:
    """A diagram under construction. Calls use the description format's keys."""

    def __init__(self, title: str = "", **settings: Any) -> None:
        self._raw: dict[str, Any] = {"title": title, **settings} if title else dict(settings)
        self._source = "<api>"
        self._base = Path(".")
        self._where: Any = lambda key: None

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
        return d

    def _add(self, section: str, entry: dict[str, Any]) -> Diagram:
        self._raw.setdefault(section, []).append({k: v for k, v in entry.items() if v is not None})
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
        return self

    @property
    def model(self) -> DiagramModel:
        """The validated model (raises SpecError listing every problem)."""
        return model_from_raw(self._raw, self._source, self._where, self._base)

    def to_svg(self, *, theme: str | None = None, css: Sequence[str] = (), embed_font: bool = False) -> str:
        """The SVG text: a file, and a snippet to inline in HTML or Markdown (no XML declaration)."""
        return pipeline.render_svg(pipeline.with_overrides(self.model, theme, tuple(css)), embed_font=embed_font)

    def to_html(self, *, theme: str | None = None, css: Sequence[str] = (), embed_font: bool = False) -> str:
        """A standalone page with the diagram inline and a light/dark switch."""
        model = pipeline.with_overrides(self.model, theme, tuple(css))
        return pipeline.encode(pipeline.render_svg(model, embed_font=embed_font), "html", DEFAULT_DPI, model).decode()

    def _repr_svg_(self) -> str:
        """Jupyter shows the diagram inline (its ids and CSS are scoped, so several share a notebook)."""
        return self.to_svg()

    def _repr_png_(self) -> bytes:
        """Where a front end shows no SVG: a PNG at 96 dpi, one pixel per CSS pixel."""
        return self.to_png(dpi=96)

    def to_png(self, *, dpi: float = DEFAULT_DPI, theme: str | None = None) -> bytes:
        return pipeline.encode(self.to_svg(theme=theme), "png", dpi)

    def to_pdf(self, *, theme: str | None = None) -> bytes:
        return pipeline.encode(self.to_svg(theme=theme), "pdf", DEFAULT_DPI)

    def save(
        self,
        *paths: str | Path,
        dpi: float = DEFAULT_DPI,
        theme: str | None = None,
        css: Sequence[str] = (),
        embed_font: bool = False,
    ) -> None:
        """Write SVG, PNG, PDF or HTML files, the format chosen by each suffix."""
        model = pipeline.with_overrides(self.model, theme, tuple(css))
        pipeline.render_files(model, [Path(p) for p in paths], dpi, embed_font=embed_font)


def _ids(value: str | Sequence[str]) -> str | list[str]:
    return value if isinstance(value, str) else list(value)


def load(path: str | Path) -> Diagram:
    """Load a description file (TOML, JSON or YAML)."""
    return Diagram.load(path)


def loads(text: str, syntax: str = "toml", source: str = "<string>", base: str | Path = ".") -> Diagram:
    """Load description text (``syntax``: toml, json or yaml); errors name ``source`` and the line."""
    return Diagram.loads(text, syntax, source, base)
