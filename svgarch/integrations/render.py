"""Diagrams for documentation builds: render, cache by content, report errors by page and line.

One :class:`DocRenderer` serves a whole build (every page of an MkDocs site,
every document of a Sphinx project). A diagram's content key covers what
its picture depends on — the description text and syntax, the theme and
CSS texts (bundled or the user's), the identity of the font files that
measure it, svgarch's version and the output options — and names its entry
in an on-disk cache folder, so a second build, or a second page with the
same diagram, reads the SVG back and lays nothing out.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
from pathlib import Path
from typing import NamedTuple

from svgarch.errors import SpecError, SvgarchError, ThemeError
from svgarch.integrations.dark import add_dark_rule, check_selector, light_and_dark
from svgarch.model import DiagramModel

SYNTAX_OF_SUFFIX = {".toml": "toml", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}
_ROLE = re.compile(r"(?:(?:\.svgarch|:root) )?(?:text)?\.sa-([a-z0-9-]+)")


class DocOptions(NamedTuple):
    """How a build draws its diagrams (a description's own theme and CSS apply when these are unset)."""

    theme: str | None = None
    css: tuple[str, ...] = ()
    embed_font: bool = False
    dark_selector: str = ""  # e.g. [data-md-color-scheme="slate"]: the diagrams follow the site's switch
    auto_selector: str = ""  # e.g. body[data-theme="auto"]: where the site follows the system's dark setting


class DiagramText(NamedTuple):
    """One description to draw, and where it stands for messages."""

    text: str
    syntax: str  # toml, yaml or json
    source: str  # the name messages give: the description file, or the page a fence is in
    base: Path  # the folder its theme and CSS paths are relative to
    first_line: int = 1  # the line of ``source`` that holds the description's line 1
    origin: str = ""  # where a page refers to a description file ("docs/index.md:7"), for messages


class DiagramFailure(SvgarchError):
    """A diagram of a page cannot be drawn; each line is ``FILE:LINE: message``."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = tuple(lines)
        super().__init__("\n".join(self.lines))


class Rendered(NamedTuple):
    svg: str
    key: str  # the content key: the same key, the same bytes


class DocRenderer:
    """Renders descriptions for one build; counts what it drew and what it read back from the cache."""

    def __init__(self, options: DocOptions, cache: Path | None) -> None:
        for selector in (options.dark_selector, options.auto_selector):
            if selector:
                check_selector(selector)
        self.options = options
        self.cache = cache
        self.rendered = 0
        self.cached = 0
        # what a diagram's look depends on besides its text, per (theme, CSS files): read once a build
        self._styles: dict[tuple[str, tuple[str, ...]], str] = {}

    def read_file(self, path: Path, origin: str, shown: str = "") -> DiagramText:
        """A description file a page refers to (``![alt](diagram.toml)``); ``shown`` is its name in
        messages (the path itself by default)."""
        name = shown or str(path)
        syntax = SYNTAX_OF_SUFFIX.get(path.suffix.lower())
        if syntax is None:
            raise DiagramFailure([f"{origin}: {name}: not a description (.toml, .yaml, .yml or .json)"])
        try:
            data = path.read_bytes() if path.is_file() else None
        except OSError as exc:
            raise DiagramFailure([f"{origin}: {name}: cannot be read: {exc.strerror}"]) from None
        if data is None:
            raise DiagramFailure([f"{origin}: {name}: no such file"])
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise DiagramFailure([f"{origin}: {name}: is not UTF-8 text"]) from None
        return DiagramText(text, syntax, name, path.parent, 1, origin)

    def render(self, diagram: DiagramText, alt: str = "") -> Rendered:
        """The SVG (from the cache when its key is there); DiagramFailure names the page and line."""
        try:
            model = self._model(diagram)
            key = self.key(diagram, model, alt)
            hit = self._read(key)
            if hit is not None:
                self.cached += 1
                return Rendered(hit, key)
            svg = self._draw(model, alt)
        except SpecError as exc:
            raise DiagramFailure([_located(diagram, p.line, str(p)) for p in exc.problems]) from None
        except (SvgarchError, ValueError) as exc:
            raise DiagramFailure([_located(diagram, None, str(exc))]) from None
        self.rendered += 1
        self._write(key, svg)
        return Rendered(svg, key)

    def _model(self, diagram: DiagramText) -> DiagramModel:
        from svgarch import pipeline
        from svgarch.spec import model_from_raw, parse_description

        raw, where = parse_description(diagram.text, diagram.syntax, diagram.source)
        model = model_from_raw(raw, diagram.source, where, diagram.base)
        following = self.options.dark_selector or self.options.auto_selector
        if following and self.options.theme is None and isinstance(raw, dict) and "theme" not in raw:
            model = model._replace(theme="auto")  # a site that switches: a description naming no theme switches too
        return pipeline.with_overrides(model, self.options.theme, self.options.css)

    def _draw(self, model: DiagramModel, alt: str) -> str:
        from svgarch import pipeline

        variables: dict[str, str] = {}
        if self.options.dark_selector or self.options.auto_selector:
            model, variables = light_and_dark(model)
        svg = pipeline.render_svg(model, embed_font=self.options.embed_font)
        svg = add_dark_rule(svg, self.options.dark_selector, variables, self.options.auto_selector)
        return with_alt(svg, alt) if alt else svg

    def key(self, diagram: DiagramText, model: DiagramModel, alt: str) -> str:
        """The content key of a diagram as this build draws it."""
        styles = self._styles.get((model.theme, model.css))
        if styles is None:
            styles = self._styles[model.theme, model.css] = _styles_key(model)
        parts = [styles, diagram.text, diagram.syntax, list(self.options), alt, _fallback_identity(model)]
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]

    def _read(self, key: str) -> str | None:
        if self.cache is None:
            return None
        try:
            return (self.cache / f"{key}.svg").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def _write(self, key: str, svg: str) -> None:
        if self.cache is None:
            return
        import tempfile

        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.cache, prefix=".tmp-", suffix=".svg")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(svg)
            os.replace(tmp, self.cache / f"{key}.svg")
        except OSError:
            pass  # a cache that cannot be written only costs time


def _styles_key(model: DiagramModel) -> str:
    """svgarch's version, the theme and CSS texts (bundled and the user's) and the font files, as one digest."""
    from svgarch import __version__
    from svgarch.theme import load_theme, styles_dir

    bundled = sorted((p.name, p.read_text(encoding="utf-8")) for p in styles_dir().glob("*.css"))
    own = [_text_of(p) for p in (model.theme, *model.css) if p.endswith(".css")]
    fonts = font_identity(load_theme(model.theme, model.css))
    parts = [__version__, model.theme, own, bundled, fonts]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def _fallback_identity(model: DiagramModel) -> list[str]:
    """The font files that draw what the theme's fonts lack (svgarch.fallback), with size and mtime; nothing
    is looked up for a diagram whose texts are all ASCII."""
    from svgarch.measure import drawn_texts

    texts = [text for _, text in drawn_texts(model)]
    if all(text.isascii() for text in texts):
        return []
    from svgarch.fallback import fallback_files
    from svgarch.fonts import FontBook
    from svgarch.theme import load_theme

    theme = load_theme(model.theme, model.css)
    faces = set()
    for role in ("title", "block-title", "block-subtitle", "label-text", "note", "group-label", "legend-text"):
        with contextlib.suppress(SvgarchError):
            faces.add(theme.font(role)[0])
    out = []
    with contextlib.suppress(SvgarchError):
        for path in fallback_files(texts, sorted(faces), FontBook()):
            try:
                st = os.stat(path)
                out.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
            except OSError:
                out.append(path)
    return out


def _text_of(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""  # validation has already refused a missing file; an unreadable one fails the render


def font_identity(theme: object) -> list[str]:
    """Which font files measure and draw the theme's text roles: path, size and mtime of each."""
    from svgarch.fonts import FontBook
    from svgarch.theme import Theme

    assert isinstance(theme, Theme)
    roles = {
        m.group(1)
        for rule in theme.rules
        if not rule.media
        for part in rule.selector.split(",")
        if (m := _ROLE.fullmatch(part.strip()))
    }
    faces = set()
    for role in roles:
        try:
            faces.add(theme.font(role)[0])
        except ThemeError:  # a rule of a class that is no text role (its size in em, say): nothing measures it
            continue
    book = FontBook()
    out = []
    for face in sorted(faces):
        path = book.find(face)
        try:
            st = os.stat(path)
            out.append(f"{'/'.join(face)}={path}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            out.append(f"{'/'.join(face)}={path}")
    return out


def with_alt(svg: str, alt: str) -> str:
    """The SVG named by ``alt``: its ``<title>`` (its accessible name) and an ``aria-label``."""
    text = html.escape(" ".join(alt.split()), quote=False)
    svg = re.sub(r"(<title\b[^>]*>).*?(</title>)", lambda m: m.group(1) + text + m.group(2), svg, count=1, flags=re.S)
    return svg.replace(" role=\"img\"", f' role="img" aria-label="{html.escape(" ".join(alt.split()))}"', 1)


def _located(diagram: DiagramText, line: int | None, message: str) -> str:
    """A message at the page's line: a fence's lines are the page's; a file's keep its own name."""
    if diagram.origin:
        return f"{diagram.origin}: {message}"
    prefix = f"{diagram.source}:{line}: " if line is not None else f"{diagram.source}: "
    page_line = diagram.first_line + line - 1 if line is not None else diagram.first_line - 1
    if message.startswith(prefix):
        message = message[len(prefix) :]
    return f"{diagram.source}:{page_line}: {message}"


def tally(drawn: int, cached: int) -> str:
    """What a build's log says of its diagrams: ``3 diagrams drawn, 9 read from the cache``."""
    return f"{drawn} diagram{'' if drawn == 1 else 's'} drawn, {cached} read from the cache"


def error_box(lines: list[str] | tuple[str, ...]) -> str:
    """A visible error in place of the diagram (inline styles: the page need not load any CSS). Its
    text keeps the page's colour over a translucent red, so it reads on a light page and a dark one."""
    items = "\n".join(html.escape(line) for line in lines)
    return (
        '<div class="svgarch-error" role="alert" style="border: 2px solid #dc2626; '
        'background: rgba(220, 38, 38, 0.12); color: inherit; padding: 0.5em 1em; margin: 1em 0; border-radius: 4px;">'
        '<p style="margin: 0 0 0.4em; font-weight: bold;">svgarch: this diagram cannot be drawn</p>'
        f'<pre style="margin: 0; white-space: pre-wrap; background: none; color: inherit;">{items}</pre></div>'
    )
