"""``-o page.html``: a standalone page with the diagram inline and a light/dark switch.

The switch uses nothing but the diagram's public override API: it sets the
``--sa-*`` variables of the light or the dark palette on ``.svgarch`` (page
rules, which always beat the theme inside the SVG), or sets none and lets
the diagram follow ``prefers-color-scheme`` (the auto theme). The two
palettes are the auto theme's — light.css and dark.css, with the user's CSS
on top — for the dark, light and auto themes; any other theme offers its own
palette and its own ``prefers-color-scheme: dark`` variant, if it has one.
"""

from __future__ import annotations

import html
import re

from svgarch.model import DiagramModel
from svgarch.theme import load_theme

DARK = "(prefers-color-scheme: dark)"
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")
_NAME = re.compile(r"--sa-[A-Za-z0-9_-]+")  # what the page writes: svgarch's own variables, plain ASCII
_PAIRED = ("dark", "light", "auto")

_PAGE = """<!doctype html>
<html lang="en" data-scheme="{scheme}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="svgarch">
<title>{title}</title>
<style>
html {{ color-scheme: light dark; }}
body {{ margin: 0; padding: 1.5rem; font: 15px/1.5 system-ui, sans-serif; background: #f8fafc; color: #0f172a; }}
header {{ display: flex; flex-wrap: wrap; gap: 1rem; align-items: baseline; justify-content: space-between; }}
h1 {{ font-size: 1.25rem; margin: 0 0 1rem; }}
.scheme button {{ font: inherit; padding: 0.2rem 0.8rem; border: 1px solid #94a3b8; border-radius: 999px;
  background: transparent; color: inherit; cursor: pointer; }}
.scheme button[aria-pressed="true"] {{ background: #0f172a; color: #f8fafc; }}
figure {{ margin: 0; }}
html[data-scheme="dark"] body {{ background: #020617; color: #e2e8f0; }}
html[data-scheme="dark"] .scheme button[aria-pressed="true"] {{ background: #e2e8f0; color: #020617; }}
@media (prefers-color-scheme: dark) {{
  html[data-scheme="auto"] body {{ background: #020617; color: #e2e8f0; }}
  html[data-scheme="auto"] .scheme button[aria-pressed="true"] {{ background: #e2e8f0; color: #020617; }}
}}
{palettes}
</style>
</head>
<body>
<header>
<h1>{title}</h1>
<div class="scheme" role="group" aria-label="Colour scheme">
<button type="button" data-scheme="auto">Auto</button>
<button type="button" data-scheme="light">Light</button>
<button type="button" data-scheme="dark">Dark</button>
</div>
</header>
<main>
<figure>
{svg}</figure>
</main>
<script>
(() => {{
  const root = document.documentElement;
  const buttons = document.querySelectorAll(".scheme button");
  const show = () => buttons.forEach((b) =>
    b.setAttribute("aria-pressed", String(b.dataset.scheme === root.dataset.scheme)));
  buttons.forEach((b) => b.addEventListener("click", () => {{ root.dataset.scheme = b.dataset.scheme; show(); }}));
  show();
}})();
</script>
</body>
</html>
"""


def palettes(model: DiagramModel) -> tuple[dict[str, str], dict[str, str]]:
    """The colour variables of the light and the dark palette the switch sets."""
    theme = load_theme("auto" if model.theme in _PAIRED else model.theme, model.css)
    light = {k: theme.resolve(v) for k, v in theme.variables.items()}
    dark_theme = theme.variant(DARK)
    dark = {k: dark_theme.resolve(v) for k, v in dark_theme.variables.items()}
    return _colours(light), _colours(dark)


def _colours(variables: dict[str, str]) -> dict[str, str]:
    # names and values are matched whole against plain ASCII forms: nothing else reaches the page's <style>
    return {k: v for k, v in sorted(variables.items()) if _NAME.fullmatch(k) and _COLOUR.fullmatch(v)}


def _rule(scheme: str, variables: dict[str, str]) -> str:
    decls = "\n".join(f"  {k}: {v};" for k, v in variables.items())
    return f'html[data-scheme="{scheme}"] .svgarch {{\n{decls}\n}}'


def html_page(svg: str, model: DiagramModel) -> str:
    """The page: ``svg`` (svgarch's SVG text) inline, with the switch."""
    light, dark = palettes(model)
    scheme = model.theme if model.theme in ("dark", "light") else "auto"
    title = model.title.replace("\n", " ") if model.title else "Diagram"
    return _PAGE.format(
        scheme=scheme,
        title=html.escape(title),
        palettes=_rule("light", light) + "\n" + _rule("dark", dark),
        svg=svg,
    )
