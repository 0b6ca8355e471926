"""The diagram's stylesheet: a pure function of the theme, the scene and the
diagram id.

Rules come in a fixed order — theme rules, generated kind rules, the user's
rules — each selector scoped under ``#<id>``. They are emitted in layers:

1. with every ``var()`` resolved to a plain value, which cairosvg, rsvg and
   resvg read (they ignore custom properties and skip every ``@media``);
2. inside ``@media screen``, which only browsers read: first a reset that
   pins every property a page's element rules (``svg``, ``text``, ``rect``,
   ``path``…) could reach the diagram with, then each value that names a
   variable again as ``var(--x, <plain value>)``, so a page restyles the
   diagram by setting ``--sa-*`` on ``.svgarch`` or on the diagram's id. The
   custom properties are never declared in the SVG, so a page's always win;
3. inside the theme's own ``@media`` conditions (the auto theme's
   ``prefers-color-scheme: dark``), the values that differ there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from svgarch.errors import ThemeError
from svgarch.render.kinds import kind_rules, plain
from svgarch.scene import Scene
from svgarch.theme import Rule, Theme, matching_paren

_VAR_NAME = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)\s*(,)?")

# Inherited and painting properties a docs page's element rules commonly set (``text { letter-spacing }``,
# ``path { stroke-width }``, ``* { transition }``…), pinned to their initial values for every element of the
# diagram; the theme's class rules are more specific and set the ones the diagram uses. Kerning and
# ligatures are off because cairo draws (and svgarch measures) text without them.
RESET = (
    ("stroke", "none"),
    ("stroke-width", "1px"),
    ("stroke-dasharray", "none"),
    ("stroke-dashoffset", "0"),
    ("stroke-linecap", "butt"),
    ("stroke-linejoin", "miter"),
    ("stroke-miterlimit", "4"),
    ("stroke-opacity", "1"),
    ("fill-opacity", "1"),
    ("opacity", "1"),
    ("paint-order", "normal"),
    ("vector-effect", "none"),
    ("marker", "none"),
    ("filter", "none"),
    ("clip-path", "none"),
    ("mask", "none"),
    ("mix-blend-mode", "normal"),
    ("transform", "none"),
    ("visibility", "visible"),
    ("font-style", "normal"),
    ("font-weight", "normal"),
    ("font-variant", "normal"),
    ("font-stretch", "normal"),
    ("font-kerning", "none"),
    ("font-variant-ligatures", "none"),
    ("font-feature-settings", "normal"),
    ("font-variation-settings", "normal"),
    ("font-size-adjust", "none"),
    ("letter-spacing", "normal"),
    ("word-spacing", "normal"),
    ("text-transform", "none"),
    ("text-decoration", "none"),
    ("text-shadow", "none"),
    ("text-rendering", "auto"),
    ("white-space", "normal"),
    ("direction", "ltr"),
    ("unicode-bidi", "normal"),
    ("writing-mode", "horizontal-tb"),
    ("dominant-baseline", "auto"),
    ("alignment-baseline", "auto"),
    ("baseline-shift", "baseline"),
    ("shape-rendering", "auto"),
    ("transition", "none"),
    ("animation", "none"),
)

# The root box: the diagram keeps its own size (and shrinks with its aspect ratio in a narrower column),
# whatever a page says about ``svg`` elements.
ROOT_BOX = (
    ("height", "auto"),
    ("max-width", "100%"),
    ("min-width", "0"),
    ("max-height", "none"),
    ("min-height", "0"),
    ("overflow", "hidden"),
    ("box-sizing", "content-box"),
    ("padding", "0"),
    ("border", "0 none"),
    ("border-radius", "0"),
    ("outline", "none"),
    ("box-shadow", "none"),
    ("background", "none"),
)


def scope(selector: str, diagram_id: str) -> str:
    """Every selector of a list, made to match inside one diagram only."""
    out = []
    for part in selector.split(","):
        part = part.strip()
        if part in (".svgarch", ":root"):
            out.append(f"#{diagram_id}")
        elif part.startswith((".svgarch ", ":root ")):
            out.append(f"#{diagram_id} {part.split(' ', 1)[1]}")
        else:
            out.append(f"#{diagram_id} {part}")
    return ", ".join(out)


def browser_value(value: str, theme: Theme, depth: int = 0) -> str:
    """``value`` with every ``var(--x)`` given its theme value as fallback."""
    if depth > 16:
        raise ThemeError(f"theme {theme.name}: variables refer to each other in a loop")
    out, pos = [], 0
    while (m := _VAR_NAME.search(value, pos)) is not None:
        name, has_fallback = m.group(1), m.group(2)
        close = matching_paren(value, m.start() + 3)
        inner_fallback = value[m.end() : close].strip() if has_fallback else None
        if name in theme.variables:
            fb = browser_value(theme.variables[name], theme, depth + 1)
        elif inner_fallback is not None:
            fb = browser_value(inner_fallback, theme, depth + 1)
        else:
            raise ThemeError(f"theme {theme.name}: variable {name} is not defined")
        out.append(value[pos : m.start()] + f"var({name}, {fb})")
        pos = close + 1
    out.append(value[pos:])
    return "".join(out)


CANVAS_STEP = 24  # px


def canvas(scene: Scene) -> tuple[int, int]:
    """The canvas: the scene grown right and down to whole multiples of ``CANVAS_STEP`` px.

    Such a canvas is a whole number of pixels at 96, 180 and 192 dpi, so
    cairosvg (which rounds a fraction down), rsvg, resvg and a browser's
    screenshot (which round up) all agree on the image size; scene
    coordinates stay image coordinates.
    """
    width = math.ceil(scene.width / CANVAS_STEP - 1e-6) * CANVAS_STEP
    height = math.ceil(scene.height / CANVAS_STEP - 1e-6) * CANVAS_STEP
    return width, height


def reset_rules(scene: Scene) -> list[str]:
    """The browser-only rules that keep a page's element rules out of the diagram."""
    sid = scene.id
    root = "; ".join(f"{p}: {v}" for p, v in (("width", f"{canvas(scene)[0]}px"), *ROOT_BOX))
    inherited = "; ".join(f"{p}: {v}" for p, v in RESET)
    return [
        f"#{sid} {{ {root} }}",
        f"#{sid}, #{sid} * {{ {inherited} }}",
        f"#{sid} * {{ display: inline }}",
        f"#{sid} text {{ text-anchor: start }}",
        f'#{sid} text[text-anchor="middle"] {{ text-anchor: middle }}',
        f'#{sid} text[text-anchor="end"] {{ text-anchor: end }}',
    ]


def _browser_rules(ordered: list[Rule], theme: Theme, sid: str, fonts: Mapping[str, str]) -> list[tuple[str, str]]:
    """(scoped selector, declarations) of every rule's var()-bearing values, for browsers."""
    out = []
    for rule in ordered:
        if rule.media:
            continue
        decls = []
        for p, v in rule.declarations:
            if rule.origin == "kind":
                value = v if "var(" in v else ""
            elif "var(" in v:
                value = browser_value(v, theme)
            else:
                value = v if p == "font-family" and fonts else ""
            if value and p == "font-family":
                value = _with_embedded(value, theme.resolve(v), fonts)
            if value:
                decls.append(f"{p}: {value}")
        if decls:
            out.append((scope(rule.selector, sid), "; ".join(decls)))
    return out


def _with_embedded(value: str, resolved: str, fonts: Mapping[str, str]) -> str:
    """A font-family value with the embedded subset of its first family put first (browsers only)."""
    first = resolved.split(",")[0].strip().strip("\"'")
    alias = fonts.get(first)
    if alias is None or resolved not in value:
        return value
    return value.replace(resolved, f'"{alias}", {resolved}', 1)


def stylesheet(scene: Scene, theme: Theme, font_faces: str = "", fonts: Mapping[str, str] | None = None) -> str:
    """The diagram's CSS. ``font_faces`` (``@font-face`` rules) and ``fonts`` (family → embedded alias)
    come from ``svgarch.render.fonts_embed`` when the fonts are embedded."""
    aliases = fonts or {}

    def ordered_rules(t: Theme) -> list[Rule]:
        own = [r for r in t.rules if r.origin != "css"]
        return own + kind_rules(scene, t) + [r for r in t.rules if r.origin == "css"]

    ordered = ordered_rules(theme)
    lines = [font_faces] if font_faces else []
    for rule in ordered:
        if rule.media:
            continue
        values = [plain(v) if rule.origin == "kind" else theme.resolve(v) for _, v in rule.declarations]
        decls = "; ".join(f"{p}: {v}" for (p, _), v in zip(rule.declarations, values, strict=True))
        lines.append(f"{scope(rule.selector, scene.id)} {{ {decls} }}")
    screen = _browser_rules(ordered, theme, scene.id, aliases)
    lines.append("@media screen {")
    lines.extend(f"  {r}" for r in reset_rules(scene))
    lines.extend(f"  {sel} {{ {decls} }}" for sel, decls in screen)
    lines.append("}")
    for condition, _ in theme.media_variables:
        changed = [r for r in _browser_rules(ordered_rules(theme.variant(condition)), theme.variant(condition),
                                             scene.id, aliases) if r not in screen]
        if changed:
            lines.append(f"@media {condition} {{")
            lines.extend(f"  {sel} {{ {decls} }}" for sel, decls in changed)
            lines.append("}")
    for rule in ordered:
        if rule.media:
            t = theme.variant(rule.media)
            decls = "; ".join(f"{p}: {browser_value(v, t)}" for p, v in rule.declarations)
            lines.append(f"@media {rule.media} {{ {scope(rule.selector, scene.id)} {{ {decls} }} }}")
    return "\n".join(lines)
