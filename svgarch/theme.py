"""Themes: CSS files parsed into variables and rules (tinycss2).

A theme is ``styles/base.css`` (the shared rules and geometry variables),
then the theme file (palette), then the user's CSS files, in that order;
later declarations win. Layout reads geometry and fonts from the result, the
SVG writer emits its rules scoped to one diagram.
"""

from __future__ import annotations

import functools
import os
import zlib
from collections.abc import Sequence

from svgarch.cache import cache_dir, decode, read_entry, write_json
from svgarch.css_tokens import (
    SAFE_FUNCTIONS,
    check_property_name,
    media_text,
    selector_text,
    shown,
    split_selectors,
    value_text,
)
from svgarch.errors import ThemeError
from svgarch.files import FileTooLarge, NotRegularFile, read_regular
from svgarch.fonts import FontFace
from svgarch.record import Record
from svgarch.theme_checks import (
    COLOUR_PROPERTIES,
    FONT_SIZE,
    OPACITIES,
    ParsedDeclaration,
    ParsedRule,
    cache_entry,
    check_colour,
    check_opacity,
    geometry_range,
    is_colour_variable,
    is_geometry,
    px_number,
    rules_from_cache,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    import tinycss2.ast

_ROOT_SELECTORS = (".svgarch", ":root")
MAX_CSS_BYTES = 256 * 1024


class Rule(Record):
    """One style rule: a selector list and its declarations, in source order."""

    selector: str
    declarations: tuple[tuple[str, str], ...]
    media: str = ""  # the @media condition wrapping it, if any
    origin: str = "base"  # "base" and "theme" rules come before kind rules, "css" after


class Theme(Record):
    name: str
    variables: dict[str, str]
    rules: tuple[Rule, ...]
    # variables set inside ``@media`` (e.g. the auto theme's dark palette), per condition, in source order;
    # only browsers see them, so they never change the plain values or the layout
    media_variables: tuple[tuple[str, dict[str, str]], ...] = ()
    # where each variable was last set ("file:line"), for messages
    origins: tuple[tuple[str, str], ...] = ()

    def variant(self, condition: str) -> Theme:
        """The theme as a browser matching ``@media <condition>`` sees it."""
        extra = {k: v for cond, variables in self.media_variables if cond == condition for k, v in variables.items()}
        return self._replace(variables={**self.variables, **extra}, media_variables=())

    def where(self, name: str) -> str:
        """``file:line`` of variable ``name``, or ``theme <name>`` when it was not read from a file."""
        for variable, where in reversed(self.origins):
            if variable == name:
                return where
        return f"theme {self.name}"

    def resolve(self, value: str) -> str:
        """``value`` with every ``var()`` replaced by its plain value; a fallback is only looked at when
        its variable is not defined. Bounded: at most ``MAX_VAR_DEPTH`` var()s deep and ``MAX_VALUE``
        characters long, each variable expanded once (chained var()s otherwise grow exponentially)."""
        key = (id(self.variables), value)
        known = _RESOLVED.get(key)
        if known is not None and known[0] is self.variables:
            return known[1]
        text = _Expander(self, browser=False).expand(value, 0, f"theme {self.name}")
        if len(_RESOLVED) >= _MOST_RESOLVED:
            _RESOLVED.clear()
        _RESOLVED[key] = (self.variables, text)
        return text

    def has(self, name: str) -> bool:
        return name in self.variables

    def length(self, name: str) -> float:
        """A geometry variable in px (``12px`` or ``12``), within its sane range."""
        low, high = geometry_range(name)
        return px_number(self.resolve(f"var({name})"), f"{self.where(name)}: {name}", low, high)

    def font(self, role: str) -> tuple[FontFace, float]:
        """The face and size of text role ``role`` (rule ``.sa-<role>``), as measured; kept for the theme's
        rules and variables (every render asks for each role, and a batch's renders share their theme)."""
        key = (id(self.rules), id(self.variables), role)
        known = _FONTS.get(key)
        if known is not None and known[0] is self.rules and known[1] is self.variables:
            return known[2]
        found = self._font(role)
        if len(_FONTS) >= _MOST_FONTS:
            _FONTS.clear()
        _FONTS[key] = (self.rules, self.variables, found)
        return found

    def _font(self, role: str) -> tuple[FontFace, float]:
        props: dict[str, str] = {}
        wanted = {f".sa-{role}", f"text.sa-{role}"}
        wanted |= {f"{root} {w}" for root in (".svgarch", ":root") for w in tuple(wanted)}
        for rule in self.rules:
            if rule.media:
                continue
            if wanted & set(split_selectors(rule.selector)):
                props.update((p, v.removesuffix(" !important")) for p, v in rule.declarations)
        family = self.resolve(props.get("font-family", "var(--sa-font-sans)"))
        first = family.split(",")[0].strip().strip("\"'")
        size = px_number(self.resolve(props.get("font-size", "12px")), f"theme {self.name}: .sa-{role} font-size",
                         *FONT_SIZE)
        weight = self.resolve(props.get("font-weight", "normal"))
        style = self.resolve(props.get("font-style", "normal"))
        bold = weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)
        italic = style in ("italic", "oblique")
        return FontFace(first, "bold" if bold else "normal", "italic" if italic else "normal"), size


# Values resolved so far, by the variables they were resolved with (the dict itself, held here so that no
# other dict takes its id while the entry lives) and the value: a render asks the same few hundred times
# (every kind, shape and text role; a tenth of a small diagram's render). A value depends on nothing else;
# one that fails is never kept, so it fails again with its message.
_RESOLVED: dict[tuple[int, str], tuple[dict[str, str], str]] = {}
_MOST_RESOLVED = 4096
# Text roles' faces and sizes found so far, by the rules and variables they were found with (held here, as
# above, so that no other tuple or dict takes their ids while the entry lives). One that fails is never kept.
_FONTS: dict[tuple[int, int, str], tuple[tuple[Rule, ...], dict[str, str], tuple[FontFace, float]]] = {}
_MOST_FONTS = 1024


class UndefinedVariable(ThemeError):
    """A var() names a variable the theme does not set (and gives no fallback)."""


MAX_VAR_DEPTH = 16
MAX_VALUE = 4096  # characters of one value with its var()s replaced
_GROWS = f"a value grows past {MAX_VALUE} characters as its var()s are replaced"


class _Expander:
    """Replaces the var()s of values, each variable once per call (a memo), within the bounds."""

    def __init__(self, theme: Theme, browser: bool) -> None:
        self.theme = theme
        self.browser = browser  # keep ``var(--x, <plain value>)`` for browsers instead of the plain value
        self.done: dict[str, str] = {}

    def expand(self, value: str, depth: int, origin: str) -> str:
        """``value`` expanded; ``origin`` is the variable it is the value of, or what it is (for messages)."""
        if depth > MAX_VAR_DEPTH:
            raise ThemeError(f"{self.where(origin)}: variables refer to each other in a loop (or nest too deep)")
        out, pos, size = [], 0, 0
        while (start := value.find("var(", pos)) >= 0:
            close = matching_paren(value, start + 3)
            name, comma, fallback = value[start + 4 : close].partition(",")
            name = name.strip()
            if name in self.theme.variables:
                if name not in self.done:
                    self.done[name] = self.expand(self.theme.variables[name], depth + 1, name)
                inner = self.done[name]
            elif comma:
                inner = self.expand(fallback.strip(), depth + 1, origin)
            else:
                raise UndefinedVariable(f"{self.where(origin)}: variable {name} is not defined")
            piece = value[pos:start] + (f"var({name}, {inner})" if self.browser else inner)
            out.append(piece)
            size += len(piece)
            if size > MAX_VALUE:
                raise ThemeError(f"{self.where(origin)}: {_GROWS}")
            pos = close + 1
        out.append(value[pos:])
        text = "".join(out)
        if len(text) > MAX_VALUE:
            raise ThemeError(f"{self.where(origin)}: {_GROWS}")
        return text if self.browser else text.strip()

    def where(self, origin: str) -> str:
        return self.theme.where(origin) if origin.startswith("--") else origin


def browser_value(value: str, theme: Theme) -> str:
    """``value`` with every ``var(--x)`` given its theme value as fallback (same bounds as ``resolve``)."""
    return _Expander(theme, browser=True).expand(value, 0, f"theme {theme.name}")


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
    raise ThemeError(f"unbalanced parentheses in CSS value '{shown(text)}'")


def styles_dir() -> Path:
    """The bundled themes: inside the wheel, or at the top of a source checkout."""
    from pathlib import Path

    return Path(_styles_folder())


def _styles_folder() -> str:
    """``styles_dir()`` as a string (a render does not import pathlib: 4 ms)."""
    here = _package_folder()
    for candidate in (os.path.join(here, "styles"), os.path.join(os.path.dirname(here), "styles")):
        if os.path.isfile(os.path.join(candidate, "base.css")):
            return candidate
    raise ThemeError("the bundled styles/ folder is missing from this installation")


@functools.cache
def _package_folder() -> str:
    """This package's folder, links resolved (once: a render asks for the styles four times)."""
    return os.path.dirname(os.path.realpath(__file__))


def available_themes() -> list[str]:
    stems = (name[:-4] if len(name) > 4 else name for name in bundled_names(_styles_folder()))  # as Path.stem
    return sorted(stem for stem in stems if stem != "base")


def bundled_names(folder: str | Path) -> list[str]:
    """The names of the ``*.css`` files of ``folder``, as ``folder.glob("*.css")`` finds them (in no set
    order), without glob's pattern and selectors nor a Path each (a render asks twice)."""
    return [name for name in os.listdir(folder) if os.path.normcase(name).endswith(".css")]


def load_theme(theme: str, css: Sequence[str] = ()) -> Theme:
    """Load base.css, the theme (a bundled name or a .css path), then user CSS files."""
    folder = _styles_folder()
    sources = [(os.path.join(folder, "base.css"), "base")]
    if theme.endswith(".css") or "/" in theme or "\\" in theme:
        from pathlib import Path  # a file named by the user: written as pathlib writes it (the cache key holds it)

        sources.append((str(Path(theme)), "theme"))
        name = Path(theme).stem
    elif theme in available_themes():
        sources.append((os.path.join(folder, f"{theme}.css"), "theme"))
        name = theme
    else:
        raise ThemeError(f"unknown theme '{theme}' (available: {', '.join(available_themes())})")
    if css:
        from pathlib import Path

        sources.extend((str(Path(c)), "css") for c in css)
    texts = [(path, role, _read_css(path, role)) for path, role in sources]
    # parsing CSS costs a tenth of a render: a theme is cached under a hash of
    # every text it is made of (bundled files too, which themes @import)
    bundle = sorted((file, _bundled_text(os.path.join(folder, file))) for file in bundled_names(folder))
    key = _cache_key(name, texts, bundle)
    entry = f"theme-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.json"
    folder_cache = cache_dir()
    raw = read_entry(folder_cache, entry) if folder_cache is not None else _NO_CACHE
    known = _built.get((key, raw)) if raw is not None else None
    if known is not None:
        return known
    cached = rules_from_cache(decode(raw or None), name)
    if cached is not None:
        try:  # the very checks a fresh parse ends with; any problem is a miss
            return _remember(key, raw, build_theme(name, cached))
        except ThemeError:
            pass
    parsed: list[ParsedRule] = []
    for path, role, text in texts:
        bundled = folder if os.path.dirname(path) == folder else None  # only bundled themes may @import (each other)
        _parse(text, path, parsed, "", role, bundled)
    built = build_theme(name, parsed)
    written = write_json(folder_cache, entry, cache_entry(name, parsed))
    return _remember(key, written if folder_cache is not None else _NO_CACHE, built)


def _bundled_text(path: str) -> str:
    with open(path, "rb") as fh:  # bytes, then text: a third faster than read_text
        return fh.read().decode("utf-8")


def _cache_key(name: str, texts: list[tuple[str, str, str]], bundle: list[tuple[str, str]]) -> bytes:
    """The theme's name, each source's path, role and text, and every bundled file's name and text, each
    field after its length (so no two different lists give one key; JSON took ten times as long)."""
    fields = [name, str(len(texts)), *(f for source in texts for f in source), *(f for file in bundle for f in file)]
    return "".join(f"{len(f)}:{f}" for f in fields).encode()


# Themes built in this process, by the texts they are made of and the bytes of the cache entry they were
# checked from (or written as): the same texts and the same entry give the same theme, so a memo hit skips
# only work whose answer is known. An entry changed in any way (another process, a crafted file) is a new
# key, read and checked again as in a fresh process. Bounded: a long-lived process (watch, a docs server)
# keeps the latest few.
_built: dict[tuple[bytes, bytes | None], Theme] = {}
_NO_CACHE = b""  # the key's second half when there is no cache folder at all
_MAX_BUILT = 32


def _remember(key: bytes, raw: bytes | None, theme: Theme) -> Theme:
    if raw is not None:
        if len(_built) >= _MAX_BUILT:
            del _built[next(iter(_built))]
        _built[(key, raw)] = theme
    return theme


def build_theme(name: str, parsed: list[ParsedRule]) -> Theme:
    """The theme of checked records (fresh or cached): variables told from rules, values checked by meaning."""
    variables: dict[str, str] = {}
    media_variables: dict[str, dict[str, str]] = {}
    origins: dict[str, str] = {}
    # variables no user CSS sets: a partial theme (or base.css) may leave what they use unset until a render
    theme_only: set[str] = set()
    rules: list[Rule] = []
    places: list[tuple[Rule, tuple[ParsedDeclaration, ...]]] = []
    for read in parsed:
        kept = []
        for decl in read.declarations:
            if decl.name.startswith("--") and read.selector in _ROOT_SELECTORS:
                (media_variables.setdefault(read.media, {}) if read.media else variables)[decl.name] = decl.value
                origins[decl.name] = decl.where
                (theme_only.discard if read.role == "css" else theme_only.add)(decl.name)
            else:
                kept.append(decl)
        if kept:
            values = tuple((d.name, d.value + (" !important" if d.important else "")) for d in kept)
            rules.append(Rule(read.selector, values, read.media, read.role))
            places.append((rules[-1], tuple(kept)))
    theme = Theme(name, variables, tuple(rules), tuple(media_variables.items()), tuple(origins.items()))
    for view in (theme, *(theme.variant(condition) for condition in media_variables)):
        _check_variables(view, theme_only)
    for rule, decls in places:
        view = theme.variant(rule.media) if rule.media else theme
        for (prop, value), decl in zip(rule.declarations, decls, strict=True):
            _check_declaration(view, prop, value.removesuffix(" !important"), decl.where, rule.origin != "css")
    return theme


def _check_variables(theme: Theme, theme_only: set[str]) -> None:
    """Every variable within the bounds, geometry in range, colours colours. A partial theme is fine
    until a render needs what it leaves unset; what the user's CSS sets must resolve now."""
    for name in theme.variables:
        try:
            if is_geometry(name):
                theme.length(name)
            elif name in OPACITIES:
                check_opacity(theme.resolve(f"var({name})"), f"{theme.where(name)}: {name}")
            elif is_colour_variable(name):
                check_colour(theme.resolve(f"var({name})"), f"{theme.where(name)}: {name}")
            else:
                theme.resolve(f"var({name})")  # within the bounds
        except UndefinedVariable:
            if name not in theme_only:
                raise


def _check_declaration(theme: Theme, prop: str, value: str, where: str, lenient: bool) -> None:
    plain = _resolved(theme, value, where, lenient)
    if plain is None:
        return
    if prop in COLOUR_PROPERTIES:
        check_colour(plain, f"{where}: {prop}")
    elif prop == "font-size" and (plain.endswith("px") or plain[-1:].isdigit()):
        px_number(plain, f"{where}: font-size", *FONT_SIZE)


def _resolved(theme: Theme, value: str, where: str, lenient: bool) -> str | None:
    """``value`` resolved (None when a theme's own value names a variable it leaves unset); problems
    say ``where``."""
    try:
        return theme.resolve(value)
    except ThemeError as exc:
        if lenient and isinstance(exc, UndefinedVariable):
            return None
        message = str(exc).removeprefix(f"theme {theme.name}: ")
        raise ThemeError(message if message.startswith(where) else f"{where}: {message}") from None


def _read_css(path: str, role: str) -> str:
    what = "theme file" if role == "theme" else "CSS file"
    too_large = f"{path}: more than {MAX_CSS_BYTES} bytes; the limit for a {what} is {MAX_CSS_BYTES}"
    try:  # through the descriptor, non-blocking: a pipe or a device swapped in cannot make the read wait
        data = read_regular(path, MAX_CSS_BYTES)
    except (NotRegularFile, IsADirectoryError):
        problem = f"is a directory, not a {what}" if os.path.isdir(path) else "is not a regular file"
        raise ThemeError(f"{path}: {problem}") from None
    except FileTooLarge:
        raise ThemeError(too_large) from None
    except FileNotFoundError:
        raise ThemeError(f"{path}: no such {what}") from None
    except OSError as exc:
        raise ThemeError(f"{path}: cannot read {what}: {exc.strerror}") from None
    if len(data) > MAX_CSS_BYTES:  # it grew while read
        raise ThemeError(too_large)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ThemeError(f"{path}: is not UTF-8 text") from None


def _parse(
    text: str | list[tinycss2.ast.Node],
    origin: str,
    parsed: list[ParsedRule],
    media: str,
    role: str,
    bundled: str | None = None,
) -> None:
    """Append the rules of ``text`` to ``parsed``, every part checked and rebuilt from its tokens."""
    import tinycss2  # only when a theme is not in the cache

    for node in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        line = getattr(node, "source_line", 0)
        where = f"{origin}:{line}"
        if node.type == "error":
            raise ThemeError(f"{where}: invalid CSS: {node.message}")
        if node.type == "at-rule":
            keyword = node.lower_at_keyword
            if keyword == "media" and node.content is not None and not media:
                _check_safe(tinycss2.serialize(node.prelude), where)
                _check_functions(node.prelude, where)
                condition = media_text(node.prelude, where)
                # the block's own tokens, not its text: they keep their lines in the file
                _parse(node.content, origin, parsed, condition, role)
                continue
            if keyword == "import" and bundled is not None and node.content is None and not media:
                imported, condition = _bundled_import(node.prelude, bundled, where)
                _parse(_read_css(imported, role), imported, parsed, condition, role)
                continue
            raise ThemeError(f"{where}: @{shown(keyword)} is not allowed in svgarch CSS")
        _check_safe(tinycss2.serialize(node.prelude), where)
        selector = selector_text(node.prelude, where)
        declarations: list[ParsedDeclaration] = []
        for decl in tinycss2.parse_declaration_list(node.content, skip_comments=True, skip_whitespace=True):
            at = f"{origin}:{decl.source_line}"
            if decl.type == "error":
                raise ThemeError(f"{at}: invalid CSS declaration: {decl.message}")
            if decl.type != "declaration":
                raise ThemeError(f"{at}: only declarations are allowed inside a rule in svgarch CSS")
            _check_safe(decl.name, at)  # the messages users know for '<', ']]>', url( ...
            name = check_property_name(decl.name, at)
            _check_safe(tinycss2.serialize(decl.value), at)
            _check_functions(decl.value, at)
            declarations.append(ParsedDeclaration(at, name, value_text(decl.value, at), decl.important))
        parsed.append(ParsedRule(where, role, media, selector, tuple(declarations)))


def _bundled_import(prelude: list[tinycss2.ast.Node], folder: str, where: str) -> tuple[str, str]:
    """``@import "light.css" (prefers-color-scheme: dark);`` between bundled themes: the file and its condition."""
    tokens = [t for t in prelude if t.type not in ("whitespace", "comment")]
    if not tokens or tokens[0].type != "string" or "/" in tokens[0].value or "\\" in tokens[0].value:
        raise ThemeError(f"{where}: a bundled theme imports another by its file name only")
    condition = media_text(prelude[prelude.index(tokens[0]) + 1 :], where)
    return os.path.join(folder, tokens[0].value), condition


def _check_safe(text: str, where: str) -> None:
    lowered = text.lower()
    for bad in ("url(", "<", "]]>", "expression(", "javascript:", "\\"):
        if bad in lowered:
            raise ThemeError(f"{where}: '{bad}' is not allowed in svgarch CSS (no external or markup content)")


def _check_functions(nodes: list[tinycss2.ast.Node], where: str) -> None:
    import tinycss2

    for node in nodes:
        if node.type == "function":
            if node.lower_name not in SAFE_FUNCTIONS:
                raise ThemeError(
                    f"{where}: '{shown(node.lower_name)}(' is not allowed in svgarch CSS"
                    " (functions: var, calc, min, max, clamp, rgb, hsl, transforms and filters)"
                )
            _check_functions(node.arguments, where)
        elif node.type in ("() block", "[] block", "{} block"):
            _check_functions(node.content, where)
        elif node.type in ("url", "at-keyword"):
            raise ThemeError(f"{where}: '{shown(tinycss2.serialize([node]))}' is not allowed in svgarch CSS")
