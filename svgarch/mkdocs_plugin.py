"""MkDocs plugin ``svgarch``: fences and ``![alt](diagram.toml)`` images drawn at build time, cached.

    plugins:
      - search
      - svgarch:
          theme: auto
          dark_selector: '[data-md-color-scheme="slate"]'

Options: ``theme``, ``css`` (files, relative to mkdocs.yml), ``embed_font``,
``output`` (inline or file), ``cache`` and ``cache_dir`` (default
``.cache/svgarch`` beside mkdocs.yml), ``on_error`` (show or fail),
``dark_selector`` and ``auto_selector``. A diagram is read back from the cache when nothing its
picture depends on changed (``svgarch.integrations.render``), across pages
and across builds; the log says how many were drawn and how many read back.
``mkdocs serve`` watches the description files the pages refer to (and the
CSS files), so saving one rebuilds the pages that show it.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from svgarch.integrations.dark import SelectorError, check_selector
from svgarch.integrations.render import DocOptions, DocRenderer, tally
from svgarch.markdown import IMAGE_PATTERN, PageContext, SvgarchExtension

log = get_plugin_logger("svgarch")
FILES_FOLDER = "assets/svgarch"  # output: file puts the SVGs here, under site_dir


class SvgarchConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs is untyped here
    theme = c.Optional(c.Type(str))
    css = c.ListOfItems(c.Type(str), default=[])
    embed_font = c.Type(bool, default=False)
    output = c.Choice(("inline", "file"), default="inline")
    cache = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=".cache/svgarch")
    on_error = c.Choice(("show", "fail"), default="show")
    dark_selector = c.Type(str, default="")
    auto_selector = c.Type(str, default="")


class SvgarchPlugin(BasePlugin[SvgarchConfig]):  # type: ignore[no-untyped-call]
    """Draws the site's diagrams through one renderer and one cache per build."""

    def __init__(self) -> None:
        self.renderer: DocRenderer | None = None
        self.extension: SvgarchExtension | None = None
        self.project = Path(".")
        self.watched: set[str] = set()
        self.server: Any = None  # mkdocs serve's live-reload server, once it runs
        self.served: set[str] = set()  # the paths it watches for this plugin

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that ``mkdocs serve`` keeps this plugin across its rebuilds (MkDocs' rule): a page's
        rebuild may name a description file no earlier build did, which must then be watched too."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.project = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        css = tuple(str(self.project / p) for p in self.config.css)
        for path in css:
            if not path.endswith(".css") or not Path(path).is_file():
                raise PluginError(f"svgarch: css: no such CSS file: {path}")
        theme = self.config.theme
        if theme is not None and (theme.endswith(".css") or "/" in theme):
            theme = str(self.project / theme)
            if not Path(theme).is_file():
                raise PluginError(f"svgarch: theme: no such theme file: {theme}")
        elif theme is not None:
            from svgarch.theme import available_themes

            if theme not in available_themes():
                raise PluginError(f"svgarch: theme: unknown theme '{theme}' (available: "
                                  f"{', '.join(available_themes())})")
        selectors = []
        for name in ("dark_selector", "auto_selector"):
            try:
                selectors.append(check_selector(self.config[name]) if self.config[name] else "")
            except SelectorError as exc:
                raise PluginError(f"svgarch: {name}: {exc}") from None
        cache = self.project / self.config.cache_dir if self.config.cache else None
        self.renderer = DocRenderer(DocOptions(theme, css, self.config.embed_font, *selectors), cache)
        self.extension = SvgarchExtension(on_error=self.config.on_error, output=self.config.output)
        self.extension.renderer = self.renderer
        self.extension.fail = lambda lines: PluginError("svgarch: a diagram cannot be drawn:\n" + "\n".join(lines))
        self.extension.warn = _warn
        config.markdown_extensions.append(self.extension)  # type: ignore[arg-type]  # MkDocs takes instances too
        self.watched = set(css) | ({theme} if theme and theme.endswith(".css") else set())
        return config

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.extension is not None
        source = Path(page.file.abs_src_path or page.file.src_path)
        dest_dir = posixpath.dirname(page.file.dest_uri) or "."
        self.extension.page = PageContext(
            source=_shown(source, self.project),
            base=source.parent,
            line_offset=_front_matter_lines(source, markdown),
            file_dir=Path(config.site_dir) / FILES_FOLDER,
            file_url=posixpath.relpath(FILES_FOLDER, dest_dir) + "/",
        )
        for m in re.finditer(IMAGE_PATTERN, markdown):
            path = str((source.parent / m.group("path")).resolve())
            self.watched.add(path)
            self._watch(path)  # a rebuild under mkdocs serve may name a file no earlier build did
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.extension is not None:
            self.extension.page = None
        return html

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.renderer is not None and (self.renderer.rendered or self.renderer.cached):
            log.info(tally(self.renderer.rendered, self.renderer.cached))

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        # the docs folder is watched already; descriptions outside it, and the CSS files, are not
        self.server = server
        for path in sorted(self.watched):
            self._watch(path)
        return server

    def _watch(self, path: str) -> None:
        """Rebuild when ``path`` is saved (under ``mkdocs serve``; once each: the server counts watches)."""
        if self.server is not None and Path(path).exists() and path not in self.served:
            self.served.add(path)
            self.server.watch(path)


def _warn(lines: list[str]) -> None:
    """A diagram shown as an error box is also a warning in the build's log (so ``--strict`` fails)."""
    for line in lines:
        log.warning(line)


def _shown(path: Path, project: Path) -> str:
    """A page's name in messages: relative to the folder of mkdocs.yml when inside it."""
    try:
        return os.path.relpath(path, project) if path.is_absolute() else str(path)
    except ValueError:  # another drive
        return str(path)


def _front_matter_lines(source: Path, markdown: str) -> int:
    """How many lines of the page file come before the text Markdown sees (its YAML front matter)."""
    try:
        raw = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 0
    return raw[: len(raw) - len(markdown)].count("\n") if markdown and raw.endswith(markdown) else 0
