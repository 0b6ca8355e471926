"""Python-Markdown extension: ```` ```svgarch ```` fences and ``![alt](diagram.toml)`` images drawn at build time.

    import markdown
    html = markdown.markdown(text, extensions=["svgarch.markdown"],
                             extension_configs={"svgarch.markdown": {"theme": "auto"}})

A fence holds a description (TOML; ```` ```svgarch syntax=yaml ```` or
``syntax=json`` for the others; ``alt="…"`` names the picture); an image
whose address ends in ``.toml``, ``.yaml``, ``.yml`` or ``.json`` is a
description file, relative to ``base_dir``. Both become the SVG inline (or,
with ``output: file``, an ``<img>`` of an SVG file written to ``file_dir``).
A broken diagram shows an error box naming the Markdown file and line
(``on_error: show``) or stops the build (``on_error: fail``).

As a ``pymdownx.superfences`` custom fence (for fences inside its blocks)::

    custom_fences = [{"name": "svgarch", "class": "svgarch",
                      "format": svgarch.markdown.fence_format,
                      "validator": svgarch.markdown.fence_validator}]
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

from svgarch.integrations.render import DiagramFailure, DiagramText, DocOptions, DocRenderer, error_box

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")
_OPTION = re.compile(r"""([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
IMAGE_PATTERN = (
    r"!\[(?P<alt>[^\]\n]*)\]\(\s*<?(?P<path>(?![A-Za-z][A-Za-z0-9+.-]*:)[^\s<>()]+\.(?:toml|ya?ml|json))>?"
    r"""(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)"""
)
SYNTAXES = ("toml", "yaml", "json")


class PageContext(NamedTuple):
    """The page being converted: its name in messages, its folder, and where file outputs go."""

    source: str  # e.g. docs/index.md
    base: Path  # description files and their theme and CSS paths are relative to this folder
    line_offset: int = 0  # lines before the text Markdown sees (an MkDocs page's front matter)
    file_dir: Path = Path(".")  # output: file writes <key>.svg here ...
    file_url: str = ""  # ... and links it as <file_url><key>.svg


class FenceOptions(NamedTuple):
    syntax: str = "toml"
    alt: str = ""


def parse_fence_options(info: str) -> FenceOptions:
    """``syntax=yaml alt="Two services"`` → FenceOptions; ValueError names what is wrong."""
    found = {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in _OPTION.finditer(info)}
    rest = _OPTION.sub("", info)
    if rest.strip():
        raise ValueError(f"fence options must be key=value, not '{rest.strip()[:60]}'")
    unknown = sorted(set(found) - {"syntax", "alt"})
    if unknown:
        raise ValueError(f"unknown fence option '{unknown[0]}' (use syntax= and alt=)")
    syntax = found.get("syntax", "toml").lower()
    if syntax not in SYNTAXES:
        raise ValueError(f"fence option syntax='{syntax[:20]}': use toml, yaml or json")
    return FenceOptions(syntax, found.get("alt", ""))


class SvgarchExtension(Extension):
    """The ``svgarch.markdown`` extension (see the module's docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "theme": ["", "theme for every diagram (default: each description's own)"],
            "css": [[], "CSS files applied after the theme"],
            "embed_font": [False, "embed font subsets in each SVG"],
            "dark_selector": ["", 'the site\'s dark-mode selector, e.g. [data-md-color-scheme="slate"]'],
            "auto_selector": ["", 'where the site follows the system\'s setting, e.g. body[data-theme="auto"]'],
            "on_error": ["show", "show: an error box in the page; fail: stop the build"],
            "output": ["inline", "inline: the SVG in the page; file: an <img> of an SVG file"],
            "file_dir": [".", "where output: file writes the SVG files"],
            "file_url": ["", "the address prefix of those files in the page"],
            "base_dir": [".", "the folder description files and fences' theme/CSS paths are relative to"],
            "source": ["<markdown>", "the page's name in error messages"],
            "cache_dir": ["", "a folder caching rendered diagrams across builds (default: none)"],
        }
        super().__init__(**kwargs)
        self.renderer: DocRenderer | None = None  # set by the MkDocs plugin: one renderer, one cache per build
        self.page: PageContext | None = None  # set by the MkDocs plugin before each page
        self.fail: Callable[[list[str]], Exception] = DiagramFailure  # what on_error: fail raises
        self.warn: Callable[[list[str]], None] = _log  # what on_error: show reports; the MkDocs plugin: its log
        self.source_lines: list[str] = []

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # after whitespace is normalised (30), before fenced code and superfences (25) see the fences
        md.preprocessors.register(FencePreprocessor(md, self), "svgarch_fence", 26)
        # before images (150), after code spans (190), so `![x](a.toml)` in code stays code
        md.inlinePatterns.register(ImageProcessor(IMAGE_PATTERN, md, self), "svgarch_image", 155)

    def get_renderer(self) -> DocRenderer:
        if self.renderer is None:
            css = self.getConfig("css")
            options = DocOptions(
                theme=self.getConfig("theme") or None,
                css=tuple(str(c) for c in ([css] if isinstance(css, str) else css)),
                embed_font=bool(self.getConfig("embed_font")),
                dark_selector=str(self.getConfig("dark_selector")),
                auto_selector=str(self.getConfig("auto_selector")),
            )
            cache = self.getConfig("cache_dir")
            self.renderer = DocRenderer(options, Path(cache) if cache else None)
        return self.renderer

    def context(self) -> PageContext:
        if self.page is not None:
            return self.page
        return PageContext(str(self.getConfig("source")), Path(self.getConfig("base_dir")), 0,
                           Path(self.getConfig("file_dir")), str(self.getConfig("file_url")))

    def draw(self, diagram: DiagramText, alt: str) -> str:
        """The HTML for one diagram: inline SVG, an <img> of a file, or the error box."""
        try:
            rendered = self.get_renderer().render(diagram, alt)
        except DiagramFailure as exc:
            return self.failure(list(exc.lines))
        if self.getConfig("output") != "file":
            return rendered.svg
        page = self.context()
        page.file_dir.mkdir(parents=True, exist_ok=True)
        target = page.file_dir / f"svgarch-{rendered.key}.svg"
        if not target.exists():
            target.write_text(rendered.svg, encoding="utf-8")
        return f'<img class="svgarch-image" src="{html.escape(page.file_url)}{target.name}" alt="{html.escape(alt)}">'

    def failure(self, lines: list[str]) -> str:
        if self.getConfig("on_error") == "fail":
            raise self.fail(lines)
        self.warn(lines)
        return error_box(lines)


def _log(lines: list[str]) -> None:
    """A diagram shown as an error box is also a warning on Python's log (else a build that only uses the
    superfences fence would draw it without a word)."""
    for line in lines:
        logging.getLogger("svgarch.markdown").warning("svgarch: %s", line)


class FencePreprocessor(Preprocessor):
    """Replaces each ```` ```svgarch ```` fence by its drawing; other fences are left whole, even when
    they show a svgarch fence inside (a longer fence, as in ````` ````markdown `````)."""

    def __init__(self, md: Markdown, ext: SvgarchExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        self.ext.source_lines = list(lines)
        out: list[str] = []
        i = 0
        while i < len(lines):
            opened = _OPEN.match(lines[i])
            if opened is None:
                out.append(lines[i])
                i += 1
                continue
            close = _closing(lines, i + 1, opened.group("fence"))
            info = opened.group("info").strip()
            language, _, options = info.partition(" ")
            if language.lower() != "svgarch" or close is None:
                out.extend(lines[i : (close if close is not None else i) + 1])
                i = (close if close is not None else i) + 1
                continue
            indent = opened.group("indent")
            body = [line[len(indent) :] if line.startswith(indent) else line.lstrip() for line in lines[i + 1 : close]]
            markup = self._draw("\n".join(body), options, i + 1)
            out.extend(["", indent + self.md.htmlStash.store(markup), ""])
            i = close + 1
        return out

    def _draw(self, text: str, info: str, fence_line: int) -> str:
        page = self.ext.context()
        line = fence_line + page.line_offset
        try:
            options = parse_fence_options(info)
        except ValueError as exc:
            return self.ext.failure([f"{page.source}:{line}: {exc}"])
        diagram = DiagramText(text, options.syntax, page.source, page.base, line + 1)
        return f'<div class="svgarch-diagram">{self.ext.draw(diagram, options.alt)}</div>'


def _closing(lines: list[str], start: int, fence: str) -> int | None:
    """The line closing a fence opened by ``fence`` (at least as long, of the same character)."""
    close = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    for j in range(start, len(lines)):
        if close.match(lines[j]):
            return j
    return None


class ImageProcessor(InlineProcessor):
    """``![alt](diagram.toml)``: the description file drawn in place of the image."""

    def __init__(self, pattern: str, md: Markdown, ext: SvgarchExtension) -> None:
        super().__init__(pattern, md)
        self.ext = ext

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | str, int, int]:  # type: ignore[override]
        page = self.ext.context()
        needle = f"]({m.group('path')}"
        found = next((n for n, line in enumerate(self.ext.source_lines, 1) if needle in line), 0)
        origin = f"{page.source}:{found + page.line_offset}" if found else page.source
        alt = m.group("alt")
        try:
            # named as the page is (relative to the project in MkDocs), not by the absolute path it is read from
            shown = posixpath.normpath(posixpath.join(posixpath.dirname(page.source), m.group("path")))
            diagram = self.ext.get_renderer().read_file(page.base / m.group("path"), origin, shown)
            markup = self.ext.draw(diagram, alt)
        except DiagramFailure as exc:
            markup = self.ext.failure(list(exc.lines))
        return self.md.htmlStash.store(markup), m.start(0), m.end(0)


def makeExtension(**kwargs: Any) -> SvgarchExtension:
    return SvgarchExtension(**kwargs)


# --------------------------------------------------------------------------- pymdownx.superfences


def fence_validator(language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, str],
                    md: Markdown) -> bool:
    """Takes ``syntax`` and ``alt``; any other option is kept to be reported as an error by ``fence_format``."""
    for key, value in inputs.items():
        options[key] = value
    return True


def fence_format(source: str, language: str, class_name: str, options: dict[str, Any], md: Markdown,
                 **kwargs: Any) -> str:
    """The superfences formatter: the fence drawn with the ``svgarch.markdown`` extension's settings
    when it is loaded too, else with the defaults."""
    ext = next((e for e in md.registeredExtensions if isinstance(e, SvgarchExtension)), None)
    if ext is None:
        ext = SvgarchExtension()
    page = ext.context()
    first = source.split("\n", 1)[0]
    lines = getattr(md, "lines", [])
    found = next((n for n, line in enumerate(lines, 1) if first and line.strip() == first.strip()), 1)
    info = " ".join(f'{k}="{v}"' for k, v in options.items())
    try:
        fence = parse_fence_options(info)
    except ValueError as exc:
        return ext.failure([f"{page.source}:{found - 1 + page.line_offset}: {exc}"])
    diagram = DiagramText(source, fence.syntax, page.source, page.base, found + page.line_offset)
    return f'<div class="svgarch-diagram">{ext.draw(diagram, fence.alt)}</div>'
