"""What a theme's values must be, and the checked form a parsed theme is cached in.

A theme is parsed into ``ParsedRule`` records whose selectors, names, values
and conditions are canonical text rebuilt from tokens (``svgarch.css_tokens``).
Those records are what the cache stores; read back, every field is checked
for shape and type and every text must again be what its tokens write back,
so a cached theme passes the same checks as a fresh one (and any problem is a
cache miss). The values are then checked by meaning: colours with tinycss2's
colour parser, geometry as finite px within a sane range.
"""

from __future__ import annotations

import math
import re

from svgarch.css_tokens import is_canonical, shown
from svgarch.errors import ThemeError
from svgarch.record import Record

# 3: records of canonical token text with their lines, re-checked on every read
CACHE_VERSION = 3
_ROLES = frozenset({"base", "theme", "css"})
_MAX_WHERE = 4096  # characters of a file name in "file:line"
_MAX_CACHED = 100_000  # rules, or declarations in one rule


class ParsedDeclaration(Record):
    where: str  # file:line
    name: str  # a checked property name
    value: str  # canonical value text
    important: bool


class ParsedRule(Record):
    """One rule as read, before variables are told from declarations."""

    where: str
    role: str  # base, theme or css
    media: str  # canonical @media condition, or ""
    selector: str  # canonical selector list
    declarations: tuple[ParsedDeclaration, ...]


def cache_entry(name: str, rules: list[ParsedRule]) -> dict[str, object]:
    return {"version": CACHE_VERSION, "name": name, "rules": rules}


def rules_from_cache(raw: object, name: str) -> list[ParsedRule] | None:
    """The records of a cache entry, or None unless every field has the shape, type and text a parse gives."""
    if not isinstance(raw, dict) or raw.get("version") != CACHE_VERSION or raw.get("name") != name:
        return None
    rules = raw.get("rules")
    if not isinstance(rules, list) or len(rules) > _MAX_CACHED:
        return None
    out = []
    for item in rules:
        rule = _rule(item)
        if rule is None:
            return None
        out.append(rule)
    return out


def _rule(item: object) -> ParsedRule | None:
    if not isinstance(item, list) or len(item) != 5:
        return None
    where, role, media, selector, declarations = item
    if not (_is_where(where) and role in _ROLES and isinstance(media, str) and isinstance(selector, str)):
        return None
    if media and not is_canonical(media, "media"):
        return None
    if not is_canonical(selector, "selector"):
        return None
    if not isinstance(declarations, list) or len(declarations) > _MAX_CACHED:
        return None
    decls = []
    for d in declarations:
        if not isinstance(d, list) or len(d) != 4:
            return None
        at, prop, value, important = d
        if not (_is_where(at) and isinstance(prop, str) and isinstance(value, str) and isinstance(important, bool)):
            return None
        if not (is_canonical(prop, "name") and is_canonical(value, "value")):
            return None
        decls.append(ParsedDeclaration(at, prop, value, important))
    assert isinstance(where, str) and isinstance(role, str)  # for mypy: checked above
    return ParsedRule(where, role, media, selector, tuple(decls))


def _is_where(value: object) -> bool:
    """``file:line``: a file name of at most _MAX_WHERE characters, none a control character, and a line
    number of at most nine digits (after the last colon: a file name may hold colons)."""
    if not isinstance(value, str):
        return False
    name, colon, line = value.rpartition(":")
    if not (colon and 0 < len(name) <= _MAX_WHERE and _digits(line, 9)):
        return False
    return name.isprintable() or not any(ch < " " or ch == "\x7f" for ch in name)


def _digits(text: str, most: int) -> bool:
    """Whether ``text`` is 1 to ``most`` ASCII digits."""
    return 0 < len(text) <= most and text.isascii() and text.isdigit()


# --- values by meaning ----------------------------------------------------------------------------

FONT_SIZE = (1.0, 1000.0)  # px
# Geometry variables the layout reads, and the range each may take (px). Beyond these a diagram is
# absurd at best; a non-finite value would crash the layout.
GEOMETRY: dict[str, tuple[float, float]] = {
    "--sa-margin": (0.0, 5000.0),
    "--sa-pad-x": (0.0, 2000.0),
    "--sa-pad-y": (0.0, 2000.0),
    "--sa-line-gap": (0.0, 2000.0),
    "--sa-gap-col": (0.0, 10000.0),
    "--sa-gap-row": (0.0, 10000.0),
    "--sa-radius": (0.0, 2000.0),
    "--sa-edge-width": (0.01, 200.0),  # edge kinds' widths are divided by it
    "--sa-head-length": (0.0, 1000.0),
    "--sa-head-width": (0.0, 1000.0),
    "--sa-hatch-width": (0.0, 200.0),
    "--sa-port-spread": (0.0, 1000.0),
    "--sa-label-wrap": (0.0, 10000.0),  # 0: edge labels never wrap
    "--sa-operator-scale": (0.5, 10.0),  # an operator glyph's size, of the block title's (a ratio, not px)
}
_ANY_LENGTH = (-100_000.0, 100_000.0)
# what a plain number is written with: among these characters, float() reads exactly
# [+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)? (no "inf", "nan", "_" or spaces)
_NUMBER_CHARS = "0123456789+-.eE"
# Properties whose value is a paint or a colour.
COLOUR_PROPERTIES = frozenset({"fill", "stroke", "color", "stop-color", "flood-color", "lighting-color"})
_NOT_COLOURS = frozenset({"none", "context-fill", "context-stroke", "inherit", "initial", "unset", "currentcolor"})
_NOT_COLOUR_SUFFIXES = ("-size", "-width", "-dash", "-pattern")
# variables holding an opacity from 0 to 1 (a plain number: it is written into the stylesheet as it is)
OPACITIES = frozenset({"--sa-fade"})
OPACITY = r"(?:0|1|0?\.\d+|1\.0+)"
_HEX_DIGITS = "0123456789ABCDEFabcdef"


def geometry_range(name: str) -> tuple[float, float]:
    if name in GEOMETRY:
        return GEOMETRY[name]
    if name.startswith("--sa-") and name.endswith("-size"):
        return FONT_SIZE
    if name.startswith("--sa-") and name.endswith("-width"):
        return GEOMETRY["--sa-edge-width"]
    return _ANY_LENGTH


def is_geometry(name: str) -> bool:
    return name in GEOMETRY or (name.startswith("--sa-") and name.endswith(("-size", "-width")))


def is_colour_variable(name: str) -> bool:
    """``--sa-bg``, ``--sa-<kind>``, ``--sa-<kind>-ink``, ``--sa-palette-3-label``...: every ``--sa-``
    variable but the geometry, the fonts and the dash, width, pattern and size of a kind."""
    return (
        name.startswith("--sa-")
        and name not in GEOMETRY
        and not name.startswith("--sa-font-")
        and not name.endswith(_NOT_COLOUR_SUFFIXES)
        and name not in OPACITIES
    )


def check_opacity(text: str, what: str) -> None:
    """An opacity: a number from 0 to 1 (``0.25``, ``.4``, ``1``); ``what`` starts the message."""
    if not re.fullmatch(OPACITY, text):
        raise ThemeError(f"{what} must be an opacity from 0 to 1, not '{shown(text)}'")


def px_number(text: str, what: str, low: float, high: float) -> float:
    """``12px`` or ``12`` as a float within [low, high]; ``what`` starts the message."""
    number = text.removesuffix("px")
    try:
        if not number or number.strip(_NUMBER_CHARS):
            raise ValueError
        value = float(number)
    except ValueError:
        raise ThemeError(f"{what} must be a length in px, not '{shown(text)}'") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ThemeError(f"{what} must be between {low:g}px and {high:g}px, not '{shown(text)}'")
    return value


def is_hex_colour(text: str) -> bool:
    """``#rgb`` or ``#rrggbb``: what tinycss2's colour parser reads, too."""
    return len(text) in (4, 7) and text[0] == "#" and not text[1:].strip(_HEX_DIGITS)


def check_colour(text: str, what: str) -> None:
    """A colour tinycss2 reads (``#rgb``, ``#rrggbb``, a name, ``rgb()``...), or a paint keyword."""
    if text.lower() in _NOT_COLOURS or is_hex_colour(text):  # a hex colour: no need for tinycss2
        return
    import tinycss2.color3

    if tinycss2.color3.parse_color(text) is None:
        raise ThemeError(f"{what}: '{shown(text)}' is not a colour (#rrggbb, a colour name, rgb() or none)")
