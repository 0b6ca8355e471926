"""The diagram's stylesheet: a pure function of the theme, the scene's kinds
and the diagram id.

Rules come in a fixed order — theme rules, generated kind rules, the user's
rules — each selector scoped under ``#<id>``. They are emitted twice:

1. with every ``var()`` resolved to a plain value, which cairosvg, rsvg and
   resvg read (they ignore custom properties);
2. inside ``@media screen``, with ``var(--x, <resolved>)``, which only
   browsers read: a page can then restyle the diagram by setting ``--sa-*``
   on ``.svgarch`` or on the diagram's id. The custom properties are never
   declared in the SVG, so a page's declaration always wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from svgarch.errors import ThemeError
from svgarch.scene import Scene
from svgarch.theme import Rule, Theme

PALETTE_SIZE = 8
_VAR_NAME = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)\s*(,)?")


def kind_rules(block_kinds: Sequence[str], edge_kinds: Sequence[str], note_kinds: Sequence[str]) -> list[Rule]:
    """Colour, dash and width rules for each kind the diagram uses.

    A kind ``k`` takes ``--sa-k`` when the theme (or the page) defines it,
    else the next palette colour in order of first use.
    """
    rules: list[Rule] = []
    palette: dict[str, str] = {}

    def colour(kind: str) -> str:
        if kind not in palette:
            palette[kind] = f"var(--sa-palette-{len(palette) % PALETTE_SIZE})"
        return f"var(--sa-{kind}, {palette[kind]})"

    for k in block_kinds:
        rules.append(
            Rule(
                f".sa-block.sa-{k} > .sa-shape, .sa-legend-item.sa-{k} > .sa-legend-patch",
                (("fill", colour(k)),),
                origin="kind",
            )
        )
    for k in edge_kinds:
        c = colour(k)
        rules.append(
            Rule(
                f".sa-edge.sa-{k} > .sa-line, .sa-legend-item.sa-{k} > .sa-legend-line",
                (
                    ("stroke", c),
                    ("stroke-dasharray", f"var(--sa-{k}-dash, none)"),
                    ("stroke-width", f"var(--sa-{k}-width, var(--sa-edge-width))"),
                ),
                origin="kind",
            )
        )
        rules.append(Rule(f".sa-edge.sa-{k} > .sa-head", (("fill", c),), origin="kind"))
        rules.append(
            Rule(
                f".sa-edge.sa-{k} .sa-label-text, .sa-fan.sa-{k} > .sa-label > .sa-label-text",
                (("fill", c),),
                origin="kind",
            )
        )
    for k in note_kinds:
        rules.append(Rule(f".sa-note.sa-{k}", (("fill", colour(k)),), origin="kind"))
    return rules


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


def _browser_value(value: str, theme: Theme, depth: int = 0) -> str:
    """``value`` with every ``var(--x)`` given its theme value as fallback."""
    if depth > 16:
        raise ThemeError(f"theme {theme.name}: variables refer to each other in a loop")
    out, pos = [], 0
    while (m := _VAR_NAME.search(value, pos)) is not None:
        name, has_fallback = m.group(1), m.group(2)
        close = _matching_paren(value, m.start() + 3)
        inner_fallback = value[m.end() : close].strip() if has_fallback else None
        if name in theme.variables:
            fb = _browser_value(theme.variables[name], theme, depth + 1)
        elif inner_fallback is not None:
            fb = _browser_value(inner_fallback, theme, depth + 1)
        else:
            raise ThemeError(f"theme {theme.name}: variable {name} is not defined")
        out.append(value[pos : m.start()] + f"var({name}, {fb})")
        pos = close + 1
    out.append(value[pos:])
    return "".join(out)


def _matching_paren(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ThemeError(f"unbalanced parentheses in CSS value '{text}'")


def stylesheet(scene: Scene, theme: Theme) -> str:
    note_kinds = [n.kind for n in scene.notes if n.kind]
    legend_kinds = [i.kind for i in scene.legend.items] if scene.legend else []
    block_kinds = list(scene.block_kinds) + [
        k for k in legend_kinds if k not in scene.block_kinds and k not in scene.edge_kinds
    ]
    generated = kind_rules(block_kinds, scene.edge_kinds, list(dict.fromkeys(note_kinds)))
    ordered = [r for r in theme.rules if r.origin != "css"] + generated + [r for r in theme.rules if r.origin == "css"]
    plain, screen, media = [], [], []
    for rule in ordered:
        sel = scope(rule.selector, scene.id)
        if rule.media:
            decls = "; ".join(f"{p}: {_browser_value(v, theme)}" for p, v in rule.declarations)
            media.append(f"@media {rule.media} {{ {sel} {{ {decls} }} }}")
            continue
        resolved = "; ".join(f"{p}: {theme.resolve(v)}" for p, v in rule.declarations)
        plain.append(f"{sel} {{ {resolved} }}")
        dynamic = [(p, v) for p, v in rule.declarations if "var(" in v]
        if dynamic:
            screen.append(f"  {sel} {{ {'; '.join(f'{p}: {_browser_value(v, theme)}' for p, v in dynamic)} }}")
    parts = [*plain, "@media screen {", *screen, "}", *media]
    return "\n".join(parts)
