"""CSS read as tokens, checked, and written back from those tokens only.

tinycss2 decodes escapes (``\\3c `` is ``<``), so text it hands back cannot
be pasted into an SVG ``<style>``: a declaration name or a selector could
close the CDATA section. Here every selector, declaration name, value and
``@media`` condition is rebuilt token by token, each token checked against
what its place allows, and written in a canonical form that needs no escape:

- identifiers (names, classes, keywords, units) are plain ASCII
  (``-?[A-Za-z_][A-Za-z0-9_-]*`` or ``--[A-Za-z0-9_-]+``);
- strings hold letters, digits, spaces and ``_ . + -`` only;
- numbers are finite and at most ``MAX_NUMBER`` in size;
- punctuation is limited to what the place needs (no ``{ } ; < @ \\``
  anywhere);
- the canonical text must read back as the very same tokens.

So the written text holds no character that XML or a browser's HTML parser
treats specially, and a selector list splits on its commas at bracket depth
zero exactly as its tokens do (strings hold no commas or brackets). The same
functions check a theme read from the cache: its text must be canonical.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from svgarch.errors import ThemeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import tinycss2.ast

_NAME_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
_NAME_CHARS = _NAME_START + "0123456789-"
# read only when a theme is parsed (not in the cache): compiled then, by re's own cache
_NAME = r"[A-Za-z0-9_-]+"
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_STRING_PUNCTUATION = frozenset(" _.+-")
MAX_NUMBER = 1e7  # px, degrees, colour channels...: nothing a diagram needs is larger
MAX_TOKENS = 2000  # in one value, selector or condition

# Functions a value may call: none of them can fetch anything or run code
# (url(), image-set(), cross-fade(), element(), expression(), ... can).
SAFE_FUNCTIONS = frozenset(
    {
        *("var", "calc", "min", "max", "clamp", "rgb", "rgba", "hsl", "hsla"),
        *("translate", "translatex", "translatey", "scale", "scalex", "scaley", "rotate", "skewx", "skewy", "matrix"),
        *("blur", "brightness", "contrast", "drop-shadow", "grayscale", "hue-rotate", "invert", "opacity"),
        *("saturate", "sepia", "cubic-bezier", "steps"),
    }
)
# Pseudo-classes that take an argument: a selector list, an An+B formula, or a keyword.
_SELECTOR_FUNCTIONS = frozenset({"is", "where", "not", "has"})
_NTH_FUNCTIONS = frozenset({"nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type"})
_KEYWORD_FUNCTIONS = frozenset({"lang", "dir"})

# Punctuation each place may hold (tinycss2 gives each as a "literal" token).
_LITERALS = {
    "value": frozenset({",", "/", "+", "-", "*"}),
    "selector": frozenset({".", ">", "+", "~", "*", ",", ":"}),
    "attribute": frozenset({"=", "~=", "|=", "^=", "$=", "*="}),
    "nth": frozenset({"+", "-"}),
    "keyword": frozenset({","}),
    "media": frozenset({","}),
    "feature": frozenset({":", "/", ">", "="}),
}


def shown(text: str) -> str:
    """``text`` as a message may print it: short, one line, escapes visible."""
    cut = text if len(text) <= 60 else text[:57] + "..."
    return cut.encode("ascii", "backslashreplace").decode("ascii").replace("\n", "\\n").replace("\r", "\\r")


def is_ident(text: str) -> bool:
    """A plain identifier, ``-?[A-Za-z_][A-Za-z0-9_-]*``, or a custom property's name (``strip`` leaves
    nothing of a text made only of its characters)."""
    if is_custom_property(text):
        return True
    body = text.removeprefix("-")
    return body[:1] != "" and body[0] in _NAME_START and not body.strip(_NAME_CHARS)


def is_custom_property(text: str) -> bool:
    """``--[A-Za-z0-9_-]+``."""
    return len(text) > 2 and text.startswith("--") and not text[2:].strip(_NAME_CHARS)


def tokens(text: str) -> list[tinycss2.ast.Node]:
    import tinycss2

    return list(tinycss2.parse_component_value_list(text, skip_comments=True))


def check_property_name(name: str, where: str) -> str:
    """A declaration's name, refused unless it is written the same with no escape."""
    if not (is_custom_property(name) or (is_ident(name) and not name.startswith("--"))):
        raise ThemeError(
            f"{where}: '{shown(name)}' is not a CSS property name svgarch writes (ASCII letters, digits, '-', '_')"
        )
    return name if name.startswith("--") else name.lower()


def value_text(nodes: Sequence[tinycss2.ast.Node], where: str) -> str:
    """A declaration's value, checked and written back canonically."""
    return _canonical(nodes, "value", where, "value")


def selector_text(nodes: Sequence[tinycss2.ast.Node], where: str) -> str:
    """A rule's selector list, checked and written back canonically."""
    text = _canonical(nodes, "selector", where, "selector")
    if not text or any(not part for part in split_selectors(text)):
        raise ThemeError(f"{where}: empty selector")
    return text


def media_text(nodes: Sequence[tinycss2.ast.Node], where: str) -> str:
    """An ``@media`` condition, checked and written back canonically."""
    return _canonical(nodes, "media", where, "@media condition")


# Texts plainly canonical, told without tokenizing (a cached theme is read without importing tinycss2 when
# all its texts are such): plain identifiers, hashes, short numbers with a unit, safe strings and var()s,
# separated by one space or a comma; selectors of classes, types and pseudo-classes. Each is a subset of
# what the tokens check accepts, which tests/test_theme_fast.py checks on every bundled theme and on
# generated texts. At most MAX_TOKENS characters, so at most MAX_TOKENS tokens.
_ID = r"-{0,2}[A-Za-z_][\w-]*"  # a subset of IDENT (\w is ASCII here)
_NUMBER_UNIT = rf"[0-9]{{1,7}}(?:\.[0-9]{{1,7}})?(?:%|(?![eE][+-]?[0-9]){_ID})?"  # 1e9 is a number, not 1 e9
_ATOM = rf'(?:#[\w-]+|{_NUMBER_UNIT}|{_ID}|"[\w .+-]*"|var\(--[\w-]+\))'
_COMPOUND = rf"(?=[\w*.:-])(?:[A-Za-z_][\w-]*|\*)?(?:[.:]{_ID})*"
# each written once (a pattern's compile time grows with its length: these take 0.3 ms, not 1.2)
PLAIN = {
    "value": re.compile(rf"(?:{_ATOM}(?:(?:, |,| )(?=[^ ,])|\Z))+", re.ASCII),
    "selector": re.compile(rf"(?:{_COMPOUND}(?:(?:, |,| > | )(?=[^ ,>])|\Z))+", re.ASCII),
}


def is_canonical(text: str, place: str) -> bool:
    """Whether ``text`` (a cached value, selector or condition) is what checking its tokens writes back."""
    plain = PLAIN.get(place)
    if plain is not None and len(text) <= MAX_TOKENS and plain.fullmatch(text):
        return True
    return canonical_by_tokens(text, place)


def canonical_by_tokens(text: str, place: str) -> bool:
    """``is_canonical`` the long way: the text tokenized, checked and written back (tinycss2)."""
    try:
        if place == "name":
            return check_property_name(text, "cache") == text
        again = {"value": value_text, "selector": selector_text, "media": media_text}[place](tokens(text), "cache")
    except ThemeError:
        return False
    return again == text


def split_selectors(selector: str) -> list[str]:
    """The selectors of a canonical selector list (commas inside ``:is()`` or ``[]`` stay)."""
    if "(" not in selector and "[" not in selector:
        return [part.strip() for part in selector.split(",")]
    # Split at every comma, then join pieces back while a bracket is open: the depth at a comma is what
    # the pieces before it open less what they close, counted in C (long pointer rules make thousands of
    # selectors at N = 1,000, each with a dozen brackets and commas inside ``:is()``).
    parts: list[str] = []
    pending: list[str] = []
    depth = 0
    for piece in selector.split(","):
        pending.append(piece)
        depth += piece.count("(") + piece.count("[") - piece.count(")") - piece.count("]")
        if depth == 0:
            parts.append(",".join(pending).strip())
            pending = []
    if pending:
        parts.append(",".join(pending).strip())
    return parts


def _canonical(nodes: Sequence[tinycss2.ast.Node], place: str, where: str, what: str) -> str:
    out: list[str] = []
    count = _write(_tidy(nodes, top=True), place, where, what, out)
    if count > MAX_TOKENS:
        raise ThemeError(f"{where}: a {what} of more than {MAX_TOKENS} tokens")
    text = "".join(out)
    # the written text must read back as the same tokens, or a browser would see something else
    if _key(_tidy(tokens(text), top=True)) != _key(_tidy(nodes, top=True)):
        raise ThemeError(f"{where}: this {what} cannot be written back as it was read: '{shown(text)}'")
    return text


def _tidy(nodes: Iterable[tinycss2.ast.Node], top: bool = False) -> list[tinycss2.ast.Node]:
    """No comments, one whitespace token for a run, none at the ends of the top level."""
    out: list[tinycss2.ast.Node] = []
    for node in nodes:
        if node.type == "comment":
            continue
        if node.type == "whitespace" and out and out[-1].type == "whitespace":
            continue
        out.append(node)
    if top:
        while out and out[0].type == "whitespace":
            out.pop(0)
        while out and out[-1].type == "whitespace":
            out.pop()
    return out


def _key(nodes: Sequence[tinycss2.ast.Node]) -> list[object]:
    """What a token sequence means, for comparing two of them."""
    out: list[object] = []
    for node in nodes:
        kind = node.type
        if kind == "whitespace":
            out.append(kind)
        elif kind in ("number", "percentage", "dimension"):
            out.append((kind, node.representation, getattr(node, "unit", "")))
        elif kind == "function":
            out.append((kind, node.name, _key(_tidy(node.arguments))))
        elif kind in ("() block", "[] block", "{} block"):
            out.append((kind, _key(_tidy(node.content))))
        else:
            out.append((kind, getattr(node, "value", None)))
    return out


def _refuse(where: str, what: str, node: tinycss2.ast.Node) -> ThemeError:
    import tinycss2

    if node.type == "error":
        return ThemeError(f"{where}: invalid CSS in a {what}: {node.message}")
    text = tinycss2.serialize([node])
    return ThemeError(f"{where}: '{shown(text)}' is not allowed in a {what} in svgarch CSS")


def _write(nodes: Sequence[tinycss2.ast.Node], place: str, where: str, what: str, out: list[str]) -> int:
    """Append the canonical text of ``nodes`` (already tidied) to ``out``; the number of tokens written."""
    count = 0
    for node in nodes:
        count += 1
        kind = node.type
        if kind == "whitespace":
            out.append(" ")
        elif kind == "ident":
            _plain_ident(node.value, where)
            out.append(node.value)
        elif kind == "literal" and node.value in _LITERALS[place]:
            out.append(node.value)
        elif kind == "hash" and place in ("value", "selector") and re.fullmatch(_NAME, node.value):
            out.append("#" + node.value)
        elif kind == "string" and place in ("value", "attribute"):
            _safe_string(node.value, where)
            out.append(f'"{node.value}"')
        elif kind in ("number", "percentage", "dimension") and place in ("value", "nth", "feature"):
            out.append(_number(node, where))
        elif kind == "function":
            count += _function(node, place, where, what, out)
        elif kind == "() block" and place in ("value", "media", "feature"):
            out.append("(")
            count += _write(_tidy(node.content), "value" if place == "value" else "feature", where, what, out)
            out.append(")")
        elif kind == "[] block" and place == "selector":
            out.append("[")
            count += _write(_tidy(node.content), "attribute", where, what, out)
            out.append("]")
        else:
            raise _refuse(where, what, node)
    return count


def _function(node: tinycss2.ast.Node, place: str, where: str, what: str, out: list[str]) -> int:
    name = node.lower_name
    _plain_ident(node.name, where)
    if place == "value" and name in SAFE_FUNCTIONS:
        inner = "value"
    elif place == "selector" and name in _SELECTOR_FUNCTIONS:
        inner = "selector"
    elif place == "selector" and name in _NTH_FUNCTIONS:
        inner = "nth"
    elif place == "selector" and name in _KEYWORD_FUNCTIONS:
        inner = "keyword"
    else:
        allowed = "var, calc, min, max, clamp, rgb, hsl, transforms and filters" if place == "value" else "none"
        raise ThemeError(f"{where}: '{shown(name)}(' is not allowed in svgarch CSS (functions: {allowed})")
    out.append(node.name + "(")
    count = _write(_tidy(node.arguments), inner, where, what, out)
    out.append(")")
    return count


def _plain_ident(value: str, where: str) -> None:
    if not is_ident(value):
        raise ThemeError(f"{where}: '{shown(value)}' is not a plain CSS identifier (ASCII letters, digits, '-', '_')")


def _safe_string(value: str, where: str) -> None:
    for ch in value:
        if not ch.isalnum() and ch not in _STRING_PUNCTUATION:  # no quote, backslash, bracket, comma or '<'
            raise ThemeError(
                f"{where}: '{shown(ch)}' is not allowed in a CSS string in svgarch CSS"
                " (letters, digits, spaces and _ . + - only)"
            )


def _number(node: tinycss2.ast.Node, where: str) -> str:
    value, text = float(node.value), str(node.representation)
    if not re.fullmatch(_NUMBER, text) or not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise ThemeError(f"{where}: the number '{shown(node.representation)}' is out of range (at most {MAX_NUMBER:g})")
    if node.type == "percentage":
        return text + "%"
    if node.type == "dimension":
        _plain_ident(node.unit, where)  # a unit that would merge with its number fails the read-back check
        return text + str(node.unit)
    return text
