"""``-o page.html``: a standalone page with the diagram inline, a light/dark switch, and zoom and pan
for a diagram wider than the page (a toolbar, Ctrl+wheel, + and − keys, drag or arrow keys to pan).

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
.zoom {{ display: flex; gap: 0.4rem; align-items: center; margin: 0 0 0.6rem; }}
.zoom[hidden] {{ display: none; }}
.zoom button {{ font: inherit; min-width: 2.2rem; padding: 0.1rem 0.6rem; border: 1px solid #94a3b8;
  border-radius: 6px; background: transparent; color: inherit; cursor: pointer; }}
.zoom output {{ min-width: 3.5rem; text-align: right; font-variant-numeric: tabular-nums; }}
.viewport {{ max-width: 100%; overflow: auto; overscroll-behavior: contain; }}
.viewport.zoomed {{ max-height: calc(100vh - 7rem); cursor: grab; }}
.viewport.panning {{ cursor: grabbing; user-select: none; }}
.viewport:focus-visible {{ outline: 2px solid #2563eb; outline-offset: 2px; }}
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
<div class="zoom" role="group" aria-label="Zoom" hidden>
<button type="button" data-zoom="out" aria-label="Zoom out">−</button>
<output aria-live="polite">100%</output>
<button type="button" data-zoom="in" aria-label="Zoom in">+</button>
<button type="button" data-zoom="fit">Fit</button>
<button type="button" data-zoom="actual">100%</button>
</div>
<figure class="viewport" tabindex="0" aria-label="Diagram: drag or use the arrow keys to pan, + and − to zoom">
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
(() => {{
  // Zoom and pan for a diagram wider than the page: the diagram keeps its own width (zoom = 1), the
  // viewport scrolls (pan), and "Fit" gives it back to the page's column. Links still work: a drag
  // that moved swallows the click that ends it, a plain click goes through.
  const view = document.querySelector(".viewport");
  const svg = view && view.querySelector("svg.svgarch");
  const bar = document.querySelector(".zoom");
  if (!svg || !bar || !svg.viewBox.baseVal) return;
  const natural = svg.viewBox.baseVal.width;
  const shown = bar.querySelector("output");
  const steps = [0.25, 0.33, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3, 4];
  let scale = 0;  // 0: fit the column
  const fitScale = () => Math.min(1, view.clientWidth / natural);
  const current = () => scale || fitScale();
  const apply = (next, cx, cy) => {{
    const old = current();
    const x = (view.scrollLeft + cx) / old, y = (view.scrollTop + cy) / old;
    scale = next;
    if (scale) {{
      svg.style.width = natural * scale + "px";
      svg.style.maxWidth = "none";
    }} else {{
      svg.style.width = "";
      svg.style.maxWidth = "";
    }}
    view.classList.toggle("zoomed", scale > 0 && natural * scale > view.clientWidth);
    view.scrollLeft = x * current() - cx;
    view.scrollTop = y * current() - cy;
    shown.textContent = Math.round(current() * 100) + "%";
  }};
  const step = (up, cx = view.clientWidth / 2, cy = view.clientHeight / 2) => {{
    const now = current();
    const next = up ? steps.find((s) => s > now + 1e-3) : [...steps].reverse().find((s) => s < now - 1e-3);
    if (next) apply(next, cx, cy);
  }};
  bar.addEventListener("click", (event) => {{
    const what = event.target.closest("button") && event.target.closest("button").dataset.zoom;
    if (what === "in" || what === "out") step(what === "in");
    if (what === "fit") apply(0, 0, 0);
    if (what === "actual") apply(1, view.clientWidth / 2, view.clientHeight / 2);
  }});
  view.addEventListener("wheel", (event) => {{
    if (!event.ctrlKey && !event.metaKey) return;  // a plain wheel scrolls; with Ctrl it zooms here
    event.preventDefault();
    const r = view.getBoundingClientRect();
    step(event.deltaY < 0, event.clientX - r.left, event.clientY - r.top);
  }}, {{passive: false}});
  view.addEventListener("keydown", (event) => {{
    if (event.key === "+" || event.key === "=") step(true);
    else if (event.key === "-" || event.key === "_") step(false);
    else if (event.key === "0") apply(0, 0, 0);
    else return;
    event.preventDefault();
  }});
  let drag = null;
  view.addEventListener("pointerdown", (event) => {{
    if (event.button !== 0 || !view.classList.contains("zoomed")) return;
    drag = {{x: event.clientX, y: event.clientY, left: view.scrollLeft, top: view.scrollTop, moved: false,
             id: event.pointerId}};
  }});
  view.addEventListener("pointermove", (event) => {{
    if (!drag) return;
    const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) {{ drag.moved = true; view.classList.add("panning"); view.setPointerCapture(drag.id); }}
    view.scrollLeft = drag.left - dx;
    view.scrollTop = drag.top - dy;
  }});
  view.addEventListener("dragstart", (event) => {{ if (view.classList.contains("zoomed")) event.preventDefault(); }});
  const end = () => {{ if (drag) view.classList.remove("panning"); }};
  view.addEventListener("pointerup", end);
  view.addEventListener("pointercancel", () => {{ end(); drag = null; }});
  view.addEventListener("click", (event) => {{
    if (drag && drag.moved) {{ event.preventDefault(); event.stopPropagation(); }}
    drag = null;
  }}, true);
  const wide = () => {{
    bar.hidden = natural <= view.clientWidth + 1;
    if (bar.hidden && scale) apply(0, 0, 0);
    else apply(scale, 0, 0);
  }};
  window.addEventListener("resize", wide);
  wide();
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
