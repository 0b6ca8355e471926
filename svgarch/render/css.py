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

from svgarch.css_tokens import split_selectors
from svgarch.errors import ThemeError
from svgarch.render.icons import icon_rules
from svgarch.render.kinds import kind_rules, plain
from svgarch.render.pointer import pointer_rules
from svgarch.scene import Scene, TextLine, scene_text
from svgarch.shapes import css_rules
from svgarch.theme import Rule, Theme, browser_value

MAX_STYLESHEET = 4 * 1024 * 1024  # characters, without embedded fonts: a theme's rules times its values

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
    """Every selector of a (canonical) list, made to match inside one diagram only.

    The list is split on its own commas only: those inside ``:is(.a, .b)`` or ``[x]`` stay, as
    canonical text holds brackets and commas as tokens, never inside a string."""
    out = []
    for part in split_selectors(selector):
        if part in (".svgarch", ":root"):
            out.append(f"#{diagram_id}")
        elif part.startswith((".svgarch ", ":root ")):
            out.append(f"#{diagram_id} {part.split(' ', 1)[1]}")
        else:
            out.append(f"#{diagram_id} {part}")
    return ", ".join(out)


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
        *(_run_rules(sid) if any(line.runs for line in scene_text(scene)) else ()),
    ]


def _run_rules(sid: str) -> list[str]:
    """Inline markup's <tspan>s take their line's face unless their own attributes say otherwise.

    The reset above pins every element's font-weight and font-style, tspans too, and a CSS
    rule beats a presentation attribute: these give the attributes back (only when a line has runs,
    so a diagram without markup keeps its bytes).
    """
    return [
        f"#{sid} tspan {{ font-weight: inherit; font-style: inherit }}",
        f'#{sid} tspan[font-weight="bold"] {{ font-weight: bold }}',
        f'#{sid} tspan[font-weight="normal"] {{ font-weight: normal }}',
        f'#{sid} tspan[font-style="italic"] {{ font-style: italic }}',
        f'#{sid} tspan[font-style="normal"] {{ font-style: normal }}',
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


VISUAL_ORDER = "sa-visual-order"  # the class of a line stored in the order seen (right to left: svgarch.textorder)


def in_visual_order(line: TextLine) -> bool:
    """True when ``line``'s runs hold its characters in the order seen (or in Arabic joining forms), not as
    written: cairosvg draws them as stored, browsers must be told not to reorder them."""
    return line.runs is not None and "".join(run.text for run in line.runs) != line.text


def stylesheet(scene: Scene, theme: Theme, font_faces: str = "", fonts: Mapping[str, str] | None = None) -> str:
    """The diagram's CSS. ``font_faces`` (``@font-face`` rules) and ``fonts`` (family → embedded alias)
    come from ``svgarch.render.fonts_embed`` when the fonts are embedded."""
    aliases = fonts or {}

    def ordered_rules(t: Theme) -> list[Rule]:
        own = [r for r in t.rules if r.origin != "css"]
        generated = kind_rules(scene, t) + shape_rules + icon_rules(scene, t)
        return own + generated + [r for r in t.rules if r.origin == "css"]

    # the rules of the shapes' own extra elements (a 3-D box's faces), for shapes the scene draws
    shape_rules = [Rule(sel, decls, "", "shape") for sel, decls in css_rules(b.shape for b in scene.blocks)]

    ordered = ordered_rules(theme)
    lines = [font_faces] if font_faces else []
    for rule in ordered:
        if rule.media:
            continue
        values = [plain(v) if rule.origin == "kind" else theme.resolve(v) for _, v in rule.declarations]
        decls = "; ".join(f"{p}: {v}" for (p, _), v in zip(rule.declarations, values, strict=True))
        lines.append(f"{scope(rule.selector, scene.id)} {{ {decls} }}")
    if any(in_visual_order(line) for line in scene_text(scene)):
        # SVG 2 made unicode-bidi a property only (Chromium ignores the attribute); cairosvg skips both
        lines.append(f"{scope('.' + VISUAL_ORDER, scene.id)} {{ direction: ltr; unicode-bidi: bidi-override }}")
    screen = _browser_rules(ordered, theme, scene.id, aliases)
    pointer, motion = pointer_rules(scene, theme)
    lines.append("@media screen {")
    lines.extend(f"  {r}" for r in reset_rules(scene))
    lines.extend(f"  {sel} {{ {decls} }}" for sel, decls in screen)
    lines.extend(f"  {r}" for r in pointer)  # after the theme's: what is dimmed and lit wins over them
    lines.append("}")
    if motion:
        lines.append("@media screen and (prefers-reduced-motion: no-preference) {")
        lines.extend(f"  {r}" for r in motion)
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
    sheet = "\n".join(lines[1:] if font_faces else lines)
    if len(sheet) > MAX_STYLESHEET:
        raise ThemeError(f"theme {theme.name}: the diagram's stylesheet would be {len(sheet)} characters"
                         f" (at most {MAX_STYLESHEET}); the CSS repeats too much")
    check_stylesheet(sheet, scene.id)
    check_font_faces(font_faces)
    return "\n".join(lines)


class UnsafeStylesheet(RuntimeError):
    """The assembled stylesheet breaks a rule no input may break: a bug in svgarch, so never written out."""


_FONT_FACE = (  # compiled when fonts are embedded (re's own cache keeps it)
    r'@font-face \{ font-family: "[A-Za-z0-9_-]+ [^"\\<>&{}();@\x00-\x1f]+"; font-weight: (?:normal|bold); '
    r'font-style: (?:normal|italic); src: url\(data:font/woff2;base64,[A-Za-z0-9+/=]*\) format\("woff2"\) \}'
)
_NEVER = ("<", "]]>", "\\", "@import", "expression", "javascript:", "'", "/*", "\x00")


def check_font_faces(font_faces: str) -> None:
    """The embedded fonts' rules are exactly the form fonts_embed writes."""
    for line in font_faces.splitlines():
        if not re.fullmatch(_FONT_FACE, line):
            raise UnsafeStylesheet(f"an @font-face rule is not in the form svgarch writes: {line[:120]!r}")


def check_stylesheet(sheet: str, sid: str) -> None:
    """The last line of defence: whatever the theme held, the sheet breaks out of nothing.

    No character or word that ends a CDATA section or a ``<style>`` element, loads anything or runs
    anything; every rule, inside ``@media`` too, scoped under ``#<sid>``; the only ``url()`` one of the
    diagram's own patterns. With no backslash, comment or ``'`` and every ``"`` string plain, CSS has
    nothing left that hides a brace or a comma, so a scan of the text sees the rules as a browser does
    (tests/test_css_fuzz.py checks the same with tinycss2 on every fuzzed case)."""
    lowered = sheet.lower()
    for bad in _NEVER:
        if bad in lowered:
            raise UnsafeStylesheet(f"the stylesheet holds {bad!r}")
    if not sheet.isascii() and any(not (c.isprintable() or c == "\n") for c in sheet):
        raise UnsafeStylesheet("the stylesheet holds a character that is not printable")
    if sheet.count('"') % 2 or not _PLAIN_STRINGS.fullmatch(sheet):
        raise UnsafeStylesheet("the stylesheet holds a string that is not plain")
    bare = _STRING.sub('""', sheet)
    own = rf"url\(#{re.escape(sid)}-pattern-[A-Za-z0-9_-]+\)"  # compiled only for a sheet with a url(
    for match in re.finditer(r"url\(", bare, flags=re.IGNORECASE) if "url(" in lowered else ():
        if not re.compile(own).match(bare, match.start()):
            raise UnsafeStylesheet(f"the stylesheet refers to {bare[match.start() : match.start() + 80]!r}")
    scoped = re.compile(rf"#{re.escape(sid)}(?:[ .:\[>+~].*)?").fullmatch
    state = "top"  # top -> (media -> ) rule -> back
    pieces = _BRACES.split(bare)  # the text before each brace, the brace, ..., the text after the last
    # preludes found scoped: with their strings emptied most repeat (the pointer's two per block), and the check
    # is a function of the text
    passed: set[str] = set()
    for before, brace in zip(pieces[0:-1:2], pieces[1::2], strict=True):
        text = before.strip()
        if brace == "{" and state == "top" and text.startswith("@media "):
            _balanced(text.removeprefix("@media "))
            state = "media"
        elif brace == "{" and state in ("top", "media"):
            if text not in passed:
                for part in (text,) if _ONE_SELECTOR.fullmatch(text) else _selectors(text):
                    if not scoped(part):
                        raise UnsafeStylesheet(f"the rule for {part[:80]!r} is not scoped under #{sid}")
                passed.add(text)
            state = "rule" if state == "top" else "media rule"
        elif brace == "}" and state in ("rule", "media rule"):
            if "(" in text or ")" in text or "[" in text or "]" in text or "@" in text:  # else nothing to pair
                _balanced(text)  # declarations
            state = "top" if state == "rule" else "media"
        elif brace == "}" and state == "media" and not text:
            state = "top"
        else:
            raise UnsafeStylesheet(f"a brace where none may be, after {text[:80]!r}")
    if state != "top" or pieces[-1].strip():
        raise UnsafeStylesheet("the stylesheet's braces do not pair, or text follows the last rule")


_STRING = re.compile(r'"[^"]*"')
_BRACES = re.compile(r"([{}])")
_BRACKETS = re.compile(r"[()\[\]]")
# The whole sheet when every "..." in it (quotes paired from the left, as _STRING finds them) holds only
# [\w .+-]: one scan instead of a match per string (pointer rules hold thousands at N = 1,000).
_PLAIN_STRINGS = re.compile(r'(?:[^"]*"[\w .+-]*")*[^"]*')


def _nested(depth: int) -> str:
    """A pattern for a bracket group nested at most ``depth`` round brackets deep (square ones hold none)."""
    square = r"\[[^()\[\]@]*+\]"
    inner = square if depth == 1 else f"{square}|{_nested(depth - 1)}"
    return rf"\((?:[^()\[\]@]++|{inner})*+\)"


# one selector: no comma, no @, outside brackets that pair and nest (the pointer's are three deep)
_ONE_SELECTOR = re.compile(rf"(?:[^()\[\],@]++|\[[^()\[\]@]*+\]|{_nested(3)})*+")


def _selectors(text: str) -> list[str]:
    """The selectors of a rule's prelude, after ``_balanced`` passed it (``split_selectors``).

    Most preludes (all of the pointer's thousands) are one selector whose commas lie inside brackets
    that pair and nest: those pass both checks as they are (one match); any other takes the long way."""
    if _ONE_SELECTOR.fullmatch(text):
        return [text]
    _balanced(text)
    return split_selectors(text)


def _balanced(text: str) -> None:
    """No bracket of a prelude or a block's declarations left open (a ``{`` inside would not end it)."""
    depth = 0
    if "(" in text or ")" in text or "[" in text or "]" in text:  # most declarations hold none
        for bracket in _BRACKETS.findall(text):
            depth += 1 if bracket in "([" else -1
            if depth < 0:
                break
    if depth or "@" in text:
        raise UnsafeStylesheet(f"brackets do not pair, or an at-keyword, in {text[:80]!r}")
