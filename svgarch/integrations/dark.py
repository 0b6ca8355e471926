"""Diagrams that follow a docs site's own dark-mode switch.

A site such as Material for MkDocs switches its palette by an attribute
(``<body data-md-color-scheme="slate">``), not by ``prefers-color-scheme``.
Given that selector, the diagram is drawn with its light palette and its
stylesheet gets one more browser-only rule,
``@media screen { :where(<selector> #<id>) { --sa-…: <dark value>; … } }``,
which declares the dark palette's custom properties while the site is dark.
Every colour the SVG paints in a browser is a ``var(--sa-…, <plain>)`` chain
(``svgarch.render.css``), so the whole diagram switches with the site and
only with it (the OS preference no longer switches it behind the site's
back). ``:where()`` keeps the rule's specificity at zero, so a page's own
``.svgarch { --sa-… }`` overrides still win, as they do without a selector.

The light and dark palettes are the auto theme's (light.css, and dark.css
on top) for the auto and light themes; any other theme switches to its own
``prefers-color-scheme: dark`` variant if it has one (and then also keeps
following the OS preference), and does not switch if it has none.
"""

from __future__ import annotations

import re

from svgarch.model import DiagramModel
from svgarch.theme import Theme, load_theme

DARK = "(prefers-color-scheme: dark)"
_PAIRED = ("auto", "light")
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")
_IDENT = r"-?[A-Za-z_][A-Za-z0-9_-]*"
# one compound selector: an optional element name, then classes and attribute tests
_ATTRIBUTE = rf"\[\s*{_IDENT}\s*(?:[~|^$*]?=\s*(?:{_IDENT}|\"[A-Za-z0-9_ .:/-]*\"|'[A-Za-z0-9_ .:/-]*'))?\s*\]"
_COMPOUND = rf"(?:{_IDENT}|\*)?(?:\.{_IDENT}|{_ATTRIBUTE})+|{_IDENT}"
_SELECTOR = re.compile(rf"\s*(?:{_COMPOUND})(?:\s+(?:{_COMPOUND}))*\s*")


class SelectorError(ValueError):
    """A dark selector that is not a simple class or attribute selector."""


def check_selector(selector: str) -> str:
    """``selector`` when it is a plain class or attribute selector (``[data-md-color-scheme="slate"]``,
    ``html.dark``, ``body[data-theme=dark]``), else SelectorError: the text goes into every SVG's
    stylesheet, so nothing that could close a rule, a block or the element may reach it."""
    import tinycss2

    if len(selector) > 200 or not _SELECTOR.fullmatch(selector):
        raise SelectorError(
            f"dark selector '{selector[:80]}' is not a simple class or attribute selector "
            '(such as [data-md-color-scheme="slate"] or html.dark)'
        )
    # the same text read by a CSS tokenizer: only names, classes, attribute blocks and spaces
    allowed = {"ident", "whitespace", "literal", "[] block"}
    for token in tinycss2.parse_component_value_list(selector):
        if token.type not in allowed or (token.type == "literal" and token.value not in (".", "*")):
            raise SelectorError(f"dark selector '{selector[:80]}': '{tinycss2.serialize([token])}' is not allowed")
    return " ".join(selector.split())


def light_and_dark(model: DiagramModel) -> tuple[DiagramModel, dict[str, str]]:
    """The model to draw (with its light palette) and the dark palette's variables (empty: no switch)."""
    if model.theme in _PAIRED:
        base = model._replace(theme="light")
        dark = load_theme("auto", model.css).variant(DARK)
    else:
        base = model
        theme = load_theme(model.theme, model.css)
        if not any(condition == DARK for condition, _ in theme.media_variables):
            return model, {}
        dark = theme.variant(DARK)
    return base, _switched(load_theme(base.theme, base.css), dark)


def _switched(light: Theme, dark: Theme) -> dict[str, str]:
    """The dark values to declare: every colour (a chain stops at the first variable it finds declared,
    so all of them must be), and whatever else differs from the light palette (dashes, widths)."""
    out = {}
    for name in sorted(dark.variables):
        value = dark.resolve(f"var({name})")
        before = light.resolve(f"var({name})") if light.has(name) else None
        if _COLOUR.fullmatch(value) or value != before:
            out[name] = value
    return out


def dark_rule(diagram_id: str, selector: str, variables: dict[str, str], auto_selector: str = "") -> str:
    """The browser-only rules that switch diagram ``diagram_id`` to ``variables`` under ``selector``, and
    under ``auto_selector`` where the reader's system prefers dark (a site's "follow the system" state, such
    as Furo's ``body[data-theme="auto"]``)."""
    decls = "; ".join(f"{name}: {value}" for name, value in variables.items())
    rules = []
    if selector:
        rules.append(f"@media screen {{ :where({check_selector(selector)} #{diagram_id}) {{ {decls} }} }}")
    if auto_selector:
        rules.append(f"@media screen and {DARK} {{ :where({check_selector(auto_selector)} #{diagram_id}) "
                     f"{{ {decls} }} }}")
    return "\n".join(rules)


def add_dark_rule(svg: str, selector: str, variables: dict[str, str], auto_selector: str = "") -> str:
    """``svg`` (svgarch's SVG text) with the dark rules at the end of its stylesheet."""
    if not variables or not (selector or auto_selector):
        return svg
    found = re.search(r'<svg\b[^>]*\bid="([A-Za-z0-9_-]+)"', svg)
    end = svg.find("]]></style>")
    if found is None or end < 0:
        raise ValueError("not an SVG written by svgarch (no root id or no stylesheet)")
    return svg[:end] + "\n" + dark_rule(found.group(1), selector, variables, auto_selector) + "\n" + svg[end:]
