"""A seeded generator of hostile stylesheets, and what every output made with one must be.

Shared by tests/test_css_fuzz.py (many cases through the renderer) and
tests/test_css_browser.py (a sample opened in Chromium). Each case is a
stylesheet built from fragments an attacker would try — escaped declaration
names, braces and semicolons in selectors, comments, strings, forbidden
functions, at-rules, var() chains — then mutated (fragments inserted, slices
dropped or repeated). Same seed, same cases.
"""

from __future__ import annotations

import os
import random
import re
import xml.etree.ElementTree as ET

import tinycss2

SVG_NS = "{http://www.w3.org/2000/svg}"
DEFAULT_CASES = 300


def case_count(default: int = DEFAULT_CASES) -> int:
    """``SVGARCH_FUZZ_CASES`` cases (``make fuzz`` sets thousands), else ``default``."""
    raw = os.environ.get("SVGARCH_FUZZ_CASES", "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else default


def escaped(text: str, rng: random.Random) -> str:
    """``text`` with some characters written as CSS hex escapes (``<`` as ``\\3c ``)."""
    out = []
    for ch in text:
        if rng.random() < 0.5 or not (ch.isalnum() or ch in "-_"):
            out.append(f"\\{ord(ch):x}" + (" " if rng.random() < 0.7 else ""))
        else:
            out.append(ch)
    return "".join(out)


PAYLOADS = [
    "]]><script>alert(1)</script><![CDATA[",
    "</style><script>alert(1)</script>",
    "<image href='http://127.0.0.1:9/x'/>",
    "url(http://127.0.0.1:9/x)",
    "@import 'http://127.0.0.1:9/x.css';",
    "} * { fill: red } .x {",
    "expression(alert(1))",
    "javascript:alert(1)",
    ";fill:red",
    "--x",
    "fill",
    "a\x00b",
    "\x01",
    "\U0010ffff",
    "\ufffe",
]
NAMES = ["fill", "stroke", "color", "font-size", "stroke-width", "--sa-bg", "--sa-encoder", "--sa-gap-col",
         "--sa-title-size", "--v1", "--sa-palette-2", "-webkit-x", "--"]
SELECTORS = [
    ".sa-shape", ".svgarch", ":root", ".svgarch .sa-title", ":is(.a, .b)", ":where(.x,.y) > .z",
    ":not(.a,.b) .sa-line", '[data-kind="x"]', "#foo", "*", "a > b + c ~ d", ":nth-child(2n+1)",
    ".sa-block.sa-encoder > text", "svg", "body", "html", ".a:hover", "[x~=y]",
    "::before", "a|b", "@x", ".a{", "}", ".a;", "<b>", ":url(x)", "[x=']]>']",
]
_BENIGN_SELECTORS = 18  # the first ones: what a benign case picks from
VALUES = [
    "red", "#123456", "none", "var(--sa-bg)", "var(--nope, #abcdef)", "calc(1px + 2px)", "rgb(1, 2, 3)",
    "12px", "1.5px", "5 4", "bold", "translate(1px, 2px)", "var(--sa-bg) var(--sa-bg)", "'DejaVu Sans'",
    "#12345", "notacolour", "var(--v1)", "1e308px", "inf", "nan", "-5px", "0",
    '"a;b}"', "url(http://127.0.0.1:9/x)", "u\\72l(http://127.0.0.1:9/y)", "image-set('a.png' 1x)",
    "element(#x)", "expression(alert(1))", "\\3c script\\3e", "attr(title)", "env(x)", "{", "}", "!important",
]
_COLOURS = ["red", "#123456", "none", "var(--sa-bg)", "rgb(1, 2, 3)", "var(--nope, #abcdef)", "#abc", "transparent"]
BENIGN_DECLARATIONS: list[tuple[str, list[str]]] = [
    ("fill", _COLOURS),
    ("stroke", _COLOURS),
    ("--sa-bg", _COLOURS),
    ("--sa-encoder", _COLOURS),
    ("stroke-width", ["1.5px", "calc(1px + 2px)", "var(--sa-edge-width)", "max(1px, 2px)"]),
    ("stroke-dasharray", ["5 4", "none"]),
    ("font-weight", ["bold", "700"]),
    ("transform", ["translate(1px, 2px)", "rotate(3deg)"]),
    ("font-family", ["'DejaVu Sans', sans-serif", "var(--sa-font-mono)"]),
    ("--sa-gap-col", ["12px", "0", "100px"]),
    ("--sa-title-size", ["14px", "22px"]),
    ("--my-thing", ["var(--sa-bg) var(--sa-bg)", "anything 1 2", "var(--my-other, 3)"]),
]
AT_RULES = [
    "@media screen { .sa-title { fill: #ff0000; } }",
    "@media (prefers-color-scheme: dark) { .svgarch { --sa-bg: #000000; } }",
    "@import 'x.css';",
    "@import url(http://127.0.0.1:9/x.css);",
    "@font-face { font-family: x; src: url(http://127.0.0.1:9/f.woff); }",
    "@media url(x) { .a { fill: red; } }",
    "@charset 'utf-8';",
    "@namespace x url(http://www.w3.org/2000/svg);",
    "@media print { @media screen { .a { fill: red; } } }",
    "@keyframes k { from { fill: red } }",
    "@supports (display: grid) { .a { fill: red } }",
]
NOISE = ["/*", "*/", "/* } */", "{", "}", ";", ":", "\\", '"', "'", "<!--", "-->", "<", "]]>", "@", ",", "(", ")",
         "\n", "\\7d ", "\\3b ", "\\2c ", "\\0 ", "\\110000 "]


def _name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(NAMES)
    if roll < 0.8:
        return escaped(rng.choice(["--", "-", ""]) + rng.choice(PAYLOADS + NAMES), rng)
    return escaped(rng.choice(NAMES), rng)


def _selector(rng: random.Random, benign: bool) -> str:
    if benign:
        return rng.choice([", ", " ", " > "]).join(
            rng.choice(SELECTORS[:_BENIGN_SELECTORS]) for _ in range(rng.randint(1, 3))
        )
    parts = [rng.choice(SELECTORS) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        parts.insert(rng.randrange(len(parts) + 1), escaped(rng.choice(PAYLOADS), rng))
    if rng.random() < 0.2:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(NOISE))
    return rng.choice([", ", " ", " > ", ","]).join(parts)


def _value(rng: random.Random) -> str:
    parts = [rng.choice(VALUES) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.2:
        parts.append(escaped(rng.choice(PAYLOADS), rng))
    if rng.random() < 0.15:
        parts.append(f'"{rng.choice(PAYLOADS)}"')
    return " ".join(parts)


def _declaration(rng: random.Random, benign: bool) -> str:
    if not benign:
        return f"{_name(rng)}: {_value(rng)}"
    name, values = rng.choice(BENIGN_DECLARATIONS)
    shown = escaped(name, rng) if rng.random() < 0.3 else name  # escapes that decode to a plain name are fine
    return f"{shown}: {rng.choice(values)}" + (" !important" if rng.random() < 0.1 else "")


def _rule(rng: random.Random, benign: bool = False) -> str:
    decls = "; ".join(_declaration(rng, benign) for _ in range(rng.randint(1, 4)))
    return f"{_selector(rng, benign)} {{ {decls} }}"


def _var_chain(rng: random.Random) -> str:
    """``--v0 … --vn``, each using the one before once or more (a bomb when it doubles)."""
    n = rng.randint(2, 40)
    fan = rng.randint(1, 3)
    lines = [".svgarch {", f"  --v0: {rng.choice(['1px', '#123456', 'red', 'var(--v0)'])};"]
    lines += [f"  --v{i}: {' '.join([f'var(--v{i - 1})'] * fan)};" for i in range(1, n)]
    lines.append(f"  --sa-encoder: var(--v{n - 1});" if rng.random() < 0.3 else "}")
    if not lines[-1].endswith("}"):
        lines.append("}")
    lines.append(f".sa-title {{ stroke-dasharray: var(--v{rng.randrange(n)}); }}")
    return "\n".join(lines)


def _mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(0, 3)):
        at = rng.randrange(len(text) + 1)
        roll = rng.random()
        if roll < 0.5:
            text = text[:at] + rng.choice(NOISE + PAYLOADS) + text[at:]
        elif roll < 0.75:
            text = text[:at] + text[at + rng.randint(1, 8) :]
        else:
            text = text[:at] + text[max(0, at - 10) : at] + text[at:]
    return text


def stylesheet(seed: int) -> str:
    """Hostile stylesheet number ``seed``."""
    rng = random.Random(seed)
    benign = rng.random() < 0.4  # a case made only of what svgarch should draw (then perhaps mutated)
    pieces = []
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if benign or roll < 0.6:
            pieces.append(_rule(rng, benign))
        elif roll < 0.8:
            pieces.append(rng.choice(AT_RULES))
        else:
            pieces.append(_var_chain(rng))
    text = "\n".join(pieces)
    if rng.random() < 0.2:
        text = "/* " + text + " */ " + _rule(rng, benign) if rng.random() < 0.5 else text.replace(" ", " /**/ ", 3)
    return _mutate(text, rng) if rng.random() < (0.3 if benign else 0.6) else text


def assert_safe_svg(svg: str) -> ET.Element:
    """Well-formed XML whose stylesheet loads nothing, runs nothing and styles only this diagram."""
    root = ET.fromstring(svg)
    diagram_id = root.get("id")
    assert diagram_id
    for el in root.iter():
        assert el.tag.removeprefix(SVG_NS) != "script", "a script element"
        for name in el.attrib:
            assert not name.rsplit("}", 1)[-1].lower().startswith("on"), name
    styles = list(root.iter(f"{SVG_NS}style"))
    assert len(styles) == 1 and styles[0].text
    css = styles[0].text
    lowered = css.lower()
    for bad in ("<", "]]>", "@import", "expression", "javascript:"):
        assert bad not in lowered, bad
    # the only url() is one of the diagram's own patterns (and, with embedded fonts, their data: urls)
    for target in re.findall(r"url\(([^)]*)\)", css, flags=re.I):
        assert target.startswith((f"#{diagram_id}-pattern-", "data:font/woff2;base64,")), target
    assert_scoped(css, diagram_id)
    return root


def assert_scoped(css: str, diagram_id: str) -> None:
    """Read by a real CSS parser, every rule (inside @media too) is scoped under ``#<id>``."""

    def check(nodes: list[tinycss2.ast.Node], nested: bool) -> None:
        for node in nodes:
            if node.type == "qualified-rule":
                part: list[tinycss2.ast.Node] = []
                for token in [*node.prelude, None]:  # split the selector list on its own top-level commas
                    if token is None or (token.type == "literal" and token.value == ","):
                        text = tinycss2.serialize(part).strip()
                        assert re.match(rf"#{re.escape(diagram_id)}(?![A-Za-z0-9_-])", text), text
                        part = []
                    else:
                        part.append(token)
                for token in node.content:
                    assert token.type not in ("{} block", "at-keyword", "error"), token
            elif node.type == "at-rule" and node.lower_at_keyword == "media" and not nested:
                check(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True), True)
            else:
                assert node.type == "at-rule" and node.lower_at_keyword == "font-face", node

    check(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), False)
