"""Themes: CSS files parsed into variables and rules (tinycss2).

A theme is ``styles/base.css`` (the shared rules and geometry variables),
then the theme file (palette), then the user's CSS files, in that order;
later declarations win. Layout reads geometry and fonts from the result, the
SVG writer emits its rules scoped to one diagram.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from svgarch.cache import cache_dir, read_json, write_json
from svgarch.errors import ThemeError
from svgarch.fonts import FontFace

if TYPE_CHECKING:
    import tinycss2.ast

_ROOT_SELECTORS = (".svgarch", ":root")
MAX_CSS_BYTES = 256 * 1024


class Rule(NamedTuple):
    """One style rule: a selector list and its declarations, in source order."""

    selector: str
    declarations: tuple[tuple[str, str], ...]
    media: str = ""  # the @media condition wrapping it, if any
    origin: str = "base"  # "base" and "theme" rules come before kind rules, "css" after


class Theme(NamedTuple):
    name: str
    variables: dict[str, str]
    rules: tuple[Rule, ...]
    # variables set inside ``@media`` (e.g. the auto theme's dark palette), per condition, in source order;
    # only browsers see them, so they never change the plain values or the layout
    media_variables: tuple[tuple[str, dict[str, str]], ...] = ()

    def variant(self, condition: str) -> Theme:
        """The theme as a browser matching ``@media <condition>`` sees it."""
        extra = {k: v for cond, variables in self.media_variables if cond == condition for k, v in variables.items()}
        return self._replace(variables={**self.variables, **extra}, media_variables=())

    def resolve(self, value: str, _depth: int = 0) -> str:
        """``value`` with every ``var()`` replaced by its plain value; a
        fallback is only looked at when its variable is not defined."""
        if _depth > 16:
            raise ThemeError(f"theme {self.name}: variables refer to each other in a loop")
        out, pos = [], 0
        while (start := value.find("var(", pos)) >= 0:
            close = matching_paren(value, start + 3)
            name, comma, fallback = value[start + 4 : close].partition(",")
            name = name.strip()
            if name in self.variables:
                out.append(value[pos:start] + self.resolve(self.variables[name], _depth + 1))
            elif comma:
                out.append(value[pos:start] + self.resolve(fallback.strip(), _depth + 1))
            else:
                raise ThemeError(f"theme {self.name}: variable {name} is not defined")
            pos = close + 1
        out.append(value[pos:])
        return "".join(out).strip()

    def has(self, name: str) -> bool:
        return name in self.variables

    def length(self, name: str) -> float:
        """A geometry variable in px (``12px`` or ``12``)."""
        text = self.resolve(f"var({name})")
        try:
            return float(text.removesuffix("px"))
        except ValueError:
            raise ThemeError(f"theme {self.name}: {name} must be a length in px, not '{text}'") from None

    def font(self, role: str) -> tuple[FontFace, float]:
        """The face and size of text role ``role`` (rule ``.sa-<role>``), as measured."""
        props: dict[str, str] = {}
        wanted = {f".sa-{role}", f"text.sa-{role}"}
        wanted |= {f"{root} {w}" for root in (".svgarch", ":root") for w in tuple(wanted)}
        for rule in self.rules:
            if rule.media:
                continue
            if wanted & {s.strip() for s in rule.selector.split(",")}:
                props.update((p, v.removesuffix(" !important")) for p, v in rule.declarations)
        family = self.resolve(props.get("font-family", "var(--sa-font-sans)"))
        first = family.split(",")[0].strip().strip("\"'")
        size_text = self.resolve(props.get("font-size", "12px"))
        try:
            size = float(size_text.removesuffix("px"))
        except ValueError:
            raise ThemeError(f"theme {self.name}: .sa-{role} font-size must be in px, not '{size_text}'") from None
        weight = self.resolve(props.get("font-weight", "normal"))
        style = self.resolve(props.get("font-style", "normal"))
        bold = weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)
        italic = style in ("italic", "oblique")
        return FontFace(first, "bold" if bold else "normal", "italic" if italic else "normal"), size


def matching_paren(text: str, open_at: int) -> int:
    """Index of the ``)`` closing the ``(`` at ``open_at``."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ThemeError(f"unbalanced parentheses in CSS value '{text}'")


def styles_dir() -> Path:
    """The bundled themes: inside the wheel, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "styles", here.parent / "styles"):
        if (candidate / "base.css").is_file():
            return candidate
    raise ThemeError("the bundled styles/ folder is missing from this installation")


def available_themes() -> list[str]:
    return sorted(p.stem for p in styles_dir().glob("*.css") if p.stem != "base")


def load_theme(theme: str, css: Sequence[str] = ()) -> Theme:
    """Load base.css, the theme (a bundled name or a .css path), then user CSS files."""
    folder = styles_dir()
    sources = [(folder / "base.css", "base")]
    if theme.endswith(".css") or "/" in theme or "\\" in theme:
        sources.append((Path(theme), "theme"))
        name = Path(theme).stem
    elif theme in available_themes():
        sources.append((folder / f"{theme}.css", "theme"))
        name = theme
    else:
        raise ThemeError(f"unknown theme '{theme}' (available: {', '.join(available_themes())})")
    sources.extend((Path(c), "css") for c in css)
    texts = [(path, role, _read_css(path, role)) for path, role in sources]
    # parsing CSS costs a tenth of a render: a theme is cached under a hash of
    # every text it is made of (bundled files too, which themes @import)
    bundle = sorted((p.name, p.read_text(encoding="utf-8")) for p in folder.glob("*.css"))
    key = json.dumps([name, [(str(p), r, t) for p, r, t in texts], bundle], ensure_ascii=False).encode()
    entry = f"theme-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.json"
    folder_cache = cache_dir()
    cached = _theme_from_json(read_json(folder_cache, entry))
    if cached is not None and _still_safe(cached):
        return cached
    variables: dict[str, str] = {}
    rules: list[Rule] = []
    media_variables: dict[str, dict[str, str]] = {}
    for path, role, text in texts:
        bundled = folder if path.parent == folder else None  # only bundled themes may @import (each other)
        _parse(text, str(path), variables, rules, "", role, media_variables, bundled)
    parsed = Theme(name, variables, tuple(rules), tuple(media_variables.items()))
    write_json(folder_cache, entry, {"version": _CACHE_VERSION, "theme": parsed})
    return parsed


# 2: values may call only _SAFE_FUNCTIONS; entries written under looser checks are parsed again
_CACHE_VERSION = 2


def _still_safe(theme: Theme) -> bool:
    """A cache entry is emitted into every SVG: check it as if parsed (the folder may be shared)."""
    texts = [*theme.variables.values(), *(v for _, vs in theme.media_variables for v in vs.values())]
    texts += [t for r in theme.rules for t in (r.selector, r.media, *(v for _, v in r.declarations))]
    try:
        for text in texts:
            _check_safe(text, "cache")
    except ThemeError:
        return False
    return True


def _theme_from_json(raw: object) -> Theme | None:
    """A theme from its cache entry (NamedTuples were stored as lists)."""
    if not isinstance(raw, dict) or raw.get("version") != _CACHE_VERSION:
        return None
    try:
        name, variables, rules, media = raw["theme"]
        return Theme(
            name,
            dict(variables),
            tuple(Rule(sel, tuple((p, v) for p, v in decls), m, o) for sel, decls, m, o in rules),
            tuple((cond, dict(vs)) for cond, vs in media),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _read_css(path: Path, role: str) -> str:
    what = "theme file" if role == "theme" else "CSS file"
    try:
        if path.is_dir():
            raise ThemeError(f"{path}: is a directory, not a {what}")
        if path.exists() and not path.is_file():  # a pipe or a device could block or never end
            raise ThemeError(f"{path}: is not a regular file")
        with path.open("rb") as fh:
            data = fh.read(MAX_CSS_BYTES + 1)
    except FileNotFoundError:
        raise ThemeError(f"{path}: no such {what}") from None
    except OSError as exc:
        raise ThemeError(f"{path}: cannot read {what}: {exc.strerror}") from None
    if len(data) > MAX_CSS_BYTES:
        raise ThemeError(f"{path}: more than {MAX_CSS_BYTES} bytes; the limit for a {what} is {MAX_CSS_BYTES}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ThemeError(f"{path}: is not UTF-8 text") from None


def _parse(
    text: str | list[tinycss2.ast.Node],
    origin: str,
    variables: dict[str, str],
    rules: list[Rule],
    media: str,
    role: str,
    media_variables: dict[str, dict[str, str]],
    bundled: Path | None = None,
) -> None:
    import tinycss2  # only when a theme is not in the cache

    for node in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        line = getattr(node, "source_line", 0)
        where = f"{origin}:{line}"
        if node.type == "error":
            raise ThemeError(f"{where}: invalid CSS: {node.message}")
        if node.type == "at-rule":
            keyword = node.lower_at_keyword
            if keyword == "media" and node.content is not None and not media:
                condition = tinycss2.serialize(node.prelude).strip()
                _check_safe(condition, where)
                _check_functions(node.prelude, where)
                # the block's own tokens, not its text: they keep their lines in the file
                _parse(node.content, origin, variables, rules, condition, role, media_variables)
                continue
            if keyword == "import" and bundled is not None and node.content is None and not media:
                imported, condition = _bundled_import(node.prelude, bundled, where)
                _parse(_read_css(imported, role), str(imported), variables, rules, condition, role, media_variables)
                continue
            raise ThemeError(f"{where}: @{keyword} is not allowed in svgarch CSS")
        selector = " ".join(tinycss2.serialize(node.prelude).split())
        _check_safe(selector, where)
        declarations: list[tuple[str, str]] = []
        for decl in tinycss2.parse_declaration_list(node.content, skip_comments=True, skip_whitespace=True):
            if decl.type == "error":
                raise ThemeError(f"{where}: invalid CSS declaration: {decl.message}")
            if decl.type != "declaration":
                continue
            value = " ".join(tinycss2.serialize(decl.value).split())
            _check_safe(value, f"{origin}:{decl.source_line}")
            _check_functions(decl.value, f"{origin}:{decl.source_line}")
            name = decl.name if decl.name.startswith("--") else decl.lower_name
            if name.startswith("--") and selector in _ROOT_SELECTORS:
                (media_variables.setdefault(media, {}) if media else variables)[name] = value
            else:
                declarations.append((name, value + (" !important" if decl.important else "")))
        if declarations:
            rules.append(Rule(selector, tuple(declarations), media, role))


def _bundled_import(prelude: list[tinycss2.ast.Node], folder: Path, where: str) -> tuple[Path, str]:
    """``@import "light.css" (prefers-color-scheme: dark);`` between bundled themes: the file and its condition."""
    import tinycss2

    tokens = [t for t in prelude if t.type not in ("whitespace", "comment")]
    if not tokens or tokens[0].type != "string" or "/" in tokens[0].value or "\\" in tokens[0].value:
        raise ThemeError(f"{where}: a bundled theme imports another by its file name only")
    condition = tinycss2.serialize(prelude[prelude.index(tokens[0]) + 1 :]).strip()
    _check_safe(condition, where)
    return folder / tokens[0].value, condition


def _check_safe(text: str, where: str) -> None:
    lowered = text.lower()
    for bad in ("url(", "<", "]]>", "expression(", "javascript:", "\\"):
        if bad in lowered:
            raise ThemeError(f"{where}: '{bad}' is not allowed in svgarch CSS (no external or markup content)")


# Functions a value may call: none of them can fetch anything or run code
# (url(), image-set(), cross-fade(), element(), expression(), ... can).
_SAFE_FUNCTIONS = frozenset(
    {
        *("var", "calc", "min", "max", "clamp", "rgb", "rgba", "hsl", "hsla"),
        *("translate", "translatex", "translatey", "scale", "scalex", "scaley", "rotate", "skewx", "skewy", "matrix"),
        *("blur", "brightness", "contrast", "drop-shadow", "grayscale", "hue-rotate", "invert", "opacity"),
        *("saturate", "sepia", "cubic-bezier", "steps"),
    }
)


def _check_functions(nodes: list[tinycss2.ast.Node], where: str) -> None:
    for node in nodes:
        if node.type == "function":
            if node.lower_name not in _SAFE_FUNCTIONS:
                raise ThemeError(
                    f"{where}: '{node.lower_name}(' is not allowed in svgarch CSS"
                    " (functions: var, calc, min, max, clamp, rgb, hsl, transforms and filters)"
                )
            _check_functions(node.arguments, where)
        elif node.type in ("() block", "[] block", "{} block"):
            _check_functions(node.content, where)
        elif node.type in ("url", "at-keyword"):
            raise ThemeError(f"{where}: '{tinycss2.serialize([node])}' is not allowed in svgarch CSS")
