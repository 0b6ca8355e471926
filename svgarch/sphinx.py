"""Sphinx extension: the ``svgarch`` directive.

    # conf.py
    extensions = ["svgarch.sphinx"]
    svgarch_theme = "auto"                  # optional, like the settings below
    svgarch_dark_selector = 'body[data-theme="dark"]'   # Furo's dark mode, and its
    svgarch_auto_selector = 'body[data-theme="auto"]'   # "follow the system" mode

    .. svgarch:: diagrams/service.toml
       :alt: The service and its database
       :caption: How a request flows
       :width: 80%

    .. svgarch::
       :syntax: yaml

       block:
         - {id: api, title: API}

HTML builders get the SVG inline; LaTeX (PDF) builders get a PDF file
drawn from the same SVG; the text builder gets the alt text. A broken
diagram is a warning located at the ``.rst`` file and line (and an error
box in the page), or, with ``svgarch_on_error = "fail"``, stops the build.
Settings: ``svgarch_theme``, ``svgarch_css``, ``svgarch_embed_font``,
``svgarch_dark_selector``, ``svgarch_auto_selector``, ``svgarch_cache_dir`` (default ``.cache/svgarch``
beside conf.py; empty: no cache) and ``svgarch_on_error``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxTranslator

from svgarch.integrations.dark import SelectorError, check_selector
from svgarch.integrations.render import DiagramFailure, DiagramText, DocOptions, DocRenderer, Rendered, tally

logger = logging.getLogger(__name__)
_LENGTH = re.compile(r"\d+(?:\.\d+)?(?:px|%|em|rem|in|cm|mm|pt)?")
_LOCATED = re.compile(r"(?P<where>.+?:\d+): (?P<message>.*)", re.S)


class svgarch_diagram(nodes.General, nodes.Element):
    """A drawn diagram: ``svg``, ``key`` (its content key), ``alt`` and ``width``."""


def _length(argument: str | None) -> str:
    value = (argument or "").strip()
    if not _LENGTH.fullmatch(value):
        raise ValueError(f"'{value}' is not a length (e.g. 80%, 600px, 12cm)")
    return value


def _syntax(argument: str | None) -> str:
    return str(directives.choice(argument or "", ("toml", "yaml", "json")))


class SvgarchDirective(SphinxDirective):
    """``.. svgarch:: path/to/diagram.toml``, or the description as the directive's content."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {  # noqa: RUF012 - docutils reads it from the class
        "theme": directives.unchanged_required,
        "alt": directives.unchanged,
        "caption": directives.unchanged,
        "width": _length,
        "syntax": _syntax,
    }

    def run(self) -> list[nodes.Node]:
        docfile = str(self.env.doc2path(self.env.docname))
        try:
            renderer = _renderer(self.env.app, self.options.get("theme"))
            drawn, cached = renderer.rendered, renderer.cached
            rendered = renderer.render(self._diagram(renderer, docfile), self.options.get("alt", ""))
            _count(self.env, renderer.rendered - drawn, renderer.cached - cached)
        except DiagramFailure as exc:
            return self._failure(list(exc.lines))
        node = svgarch_diagram(svg=rendered.svg, key=rendered.key, alt=self.options.get("alt", ""),
                               width=self.options.get("width", ""))
        self.set_source_info(node)
        caption = self.options.get("caption")
        if not caption:
            return [node]
        text, messages = self.state.inline_text(caption, self.lineno)
        figure = nodes.figure("", node, nodes.caption(caption, "", *text))
        self.set_source_info(figure)
        return [figure, *messages]

    def _diagram(self, renderer: DocRenderer, docfile: str) -> DiagramText:
        if self.arguments:
            if self.content:
                raise DiagramFailure([f"{docfile}:{self.lineno}: give a description file or a description, not both"])
            relative, absolute = self.env.relfn2path(self.arguments[0])
            self.env.note_dependency(relative)
            return renderer.read_file(Path(absolute), f"{docfile}:{self.lineno}")
        if not self.content:
            raise DiagramFailure([f"{docfile}:{self.lineno}: the svgarch directive needs a description file or "
                                  "a description as its content"])
        text = "\n".join(self.content)
        # content_offset: the 0-based line of the content's first line in the file
        return DiagramText(text, self.options.get("syntax", "toml"), docfile, Path(docfile).parent,
                           self.content_offset + 1)

    def _failure(self, lines: list[str]) -> list[nodes.Node]:
        if self.config.svgarch_on_error == "fail":
            raise SphinxError("svgarch: a diagram cannot be drawn:\n" + "\n".join(lines))
        for line in lines:
            found = _LOCATED.fullmatch(line)
            if found:
                logger.warning(found.group("message"), location=found.group("where"), type="svgarch")
            else:
                logger.warning(line, location=(self.env.docname, self.lineno), type="svgarch")
        # the page names files from the project's source folder: a published page need not say where it was built
        text = "\n".join(lines).replace(str(self.env.srcdir).rstrip(os.sep) + os.sep, "")
        box = nodes.error("", nodes.paragraph("", "svgarch: this diagram cannot be drawn"),
                          nodes.literal_block(text, text, language="text"))
        self.set_source_info(box)
        return [box]


def _renderer(app: Sphinx, theme: str | None) -> DocRenderer:
    """One renderer per theme for the whole build (kept on the application, not in a global)."""
    renderers: dict[str | None, DocRenderer] = app.__dict__.setdefault("_svgarch_renderers", {})
    config = app.config
    confdir = Path(app.confdir)
    wanted = theme if theme is not None else config.svgarch_theme
    if wanted and (wanted.endswith(".css") or "/" in wanted):
        wanted = str(confdir / wanted)
    if wanted not in renderers:
        css = tuple(str(confdir / c) for c in config.svgarch_css)
        cache = confdir / config.svgarch_cache_dir if config.svgarch_cache_dir else None
        selectors = []
        for name in ("svgarch_dark_selector", "svgarch_auto_selector"):
            try:
                selectors.append(check_selector(config[name]) if config[name] else "")
            except SelectorError as exc:
                raise SphinxError(f"{name}: {exc}") from None
        options = DocOptions(wanted or None, css, bool(config.svgarch_embed_font), *selectors)
        renderers[wanted] = DocRenderer(options, cache)
    return renderers[wanted]


def _with_width(svg: str, width: str) -> str:
    return svg.replace("<svg ", f'<svg style="width: {width}; height: auto" ', 1) if width else svg


def visit_html(self: SphinxTranslator, node: svgarch_diagram) -> None:
    self.body.append(f'<div class="svgarch-diagram">{_with_width(node["svg"], node["width"])}</div>\n')  # type: ignore[attr-defined]
    raise nodes.SkipNode


def visit_latex(self: SphinxTranslator, node: svgarch_diagram) -> None:
    name = f"svgarch-{node['key']}.pdf"
    target = Path(self.builder.outdir) / name
    if not target.exists():
        target.write_bytes(_pdf(self.builder.app, Rendered(node["svg"], node["key"])))
    width = node["width"]
    if width.endswith("%"):
        size = f"width={float(width[:-1]) / 100:.4g}\\linewidth"
    elif width:
        size = f"width={self.latex_image_length(width)}"  # type: ignore[attr-defined]
    else:
        size = ""  # its own size (1 px = 1/96 in, text as large as the page's); Sphinx shrinks a larger one to fit
    graphic = f"\\sphinxincludegraphics{f'[{size}]' if size else ''}{{{name}}}"
    inside_figure = isinstance(node.parent, nodes.figure)
    body = graphic if inside_figure else f"\n\\begin{{center}}{graphic}\\end{{center}}\n"
    self.body.append(body)  # type: ignore[attr-defined]
    raise nodes.SkipNode


def visit_text(self: SphinxTranslator, node: svgarch_diagram) -> None:
    self.add_text(f"[diagram: {node['alt']}]" if node["alt"] else "[diagram]")  # type: ignore[attr-defined]
    raise nodes.SkipNode


def skip(self: SphinxTranslator, node: svgarch_diagram) -> None:
    raise nodes.SkipNode


def _pdf(app: Sphinx, rendered: Rendered) -> bytes:
    """The diagram as PDF (cached beside its SVG under the same content key)."""
    from svgarch import pipeline
    from svgarch.render.raster import DEFAULT_DPI

    renderers: dict[str | None, DocRenderer] = app.__dict__.get("_svgarch_renderers", {})
    cache = next((r.cache for r in renderers.values() if r.cache is not None), None)
    if cache is not None:
        try:
            return (cache / f"{rendered.key}.pdf").read_bytes()
        except OSError:
            pass
    pdf = pipeline.encode(rendered.svg, "pdf", DEFAULT_DPI)
    if cache is not None:
        try:
            cache.mkdir(parents=True, exist_ok=True)
            (cache / f"{rendered.key}.pdf").write_bytes(pdf)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return pdf


# What this build drew and read back, per page, kept on the environment: a parallel build reads pages in
# other processes, whose environments Sphinx merges back (env-merge-info), while their renderers stay there.


def _count(env: Any, drawn: int, cached: int) -> None:
    counts: dict[str, list[int]] = env.__dict__.setdefault("svgarch_counts", {})
    page = counts.setdefault(env.docname, [0, 0])
    page[0] += drawn
    page[1] += cached


def _start_counting(app: Sphinx, env: Any, docnames: list[str]) -> None:
    env.svgarch_counts = {}


def _merge_counts(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    theirs: dict[str, list[int]] = other.__dict__.get("svgarch_counts", {})
    ours: dict[str, list[int]] = env.__dict__.setdefault("svgarch_counts", {})
    ours.update((name, theirs[name]) for name in docnames if name in theirs)


def _report(app: Sphinx, exception: Exception | None) -> None:
    counts: dict[str, list[int]] = app.env.__dict__.get("svgarch_counts", {}) if app.env is not None else {}
    drawn, cached = sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())
    if drawn or cached:
        logger.info(f"svgarch: {tally(drawn, cached)}")


def setup(app: Sphinx) -> dict[str, Any]:
    from svgarch import __version__

    app.add_config_value("svgarch_theme", None, "env", types=(str, type(None)))
    app.add_config_value("svgarch_css", [], "env", types=(list, tuple))
    app.add_config_value("svgarch_embed_font", False, "env", types=(bool,))
    app.add_config_value("svgarch_dark_selector", "", "env", types=(str,))
    app.add_config_value("svgarch_auto_selector", "", "env", types=(str,))
    app.add_config_value("svgarch_cache_dir", ".cache/svgarch", "", types=(str,))
    app.add_config_value("svgarch_on_error", "show", "", types=(str,))
    app.add_node(
        svgarch_diagram,
        html=(visit_html, None),
        latex=(visit_latex, None),
        text=(visit_text, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
    app.add_directive("svgarch", SvgarchDirective)
    app.connect("env-before-read-docs", _start_counting)
    app.connect("env-merge-info", _merge_counts)
    app.connect("build-finished", _report)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
