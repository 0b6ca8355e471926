"""A font for each character the theme's font lacks, chosen through fontconfig.

cairosvg draws a text with the first family of its ``font-family`` and
nothing else (no glyph fallback, DESIGN.md §4), so a Japanese word in a
theme set in DejaVu would be drawn as empty boxes. Measuring splits such a
text into pieces: what the role's font has stays in it; every other
character gets the first font fontconfig's sorted list for the role's face
(family, weight, style) names that has it, the way Pango and browsers fall
back. Each piece is then measured with its own font and drawn with a
``font-family`` naming that font first, so cairosvg and every other renderer
draw it with the very file that measured it.

Cheap for the usual text: a text the role's font covers never asks
fontconfig (its cmap is in the cached metrics). The sorted list is asked for
once per face and process, and each character's answer is remembered; the
choice depends only on the character, the face and the installed fonts, so
the same input gives the same bytes. Without fontconfig there is no fallback:
the characters are reported as missing.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable

from svgarch import font_lookup
from svgarch.errors import MissingGlyphWarning, SvgarchError
from svgarch.fonts import FontBook, FontFace, FontMetrics
from svgarch.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_TRIED = 8  # fonts tried for one character (each may be a first read of a font file)
_WEIGHT = {"normal": 80, "bold": 200}  # FC_WEIGHT_REGULAR, FC_WEIGHT_BOLD
_SLANT_ITALIC = 100
# characters drawn with their neighbour's font, whatever fonts have them: joiners, variation selectors,
# combining marks' usual companions (a font that lacks U+FE0F draws nothing for it anyway)
_STICKY = frozenset("\u200c\u200d\ufe0e\ufe0f\u20e3")
__all__ = ["Fallbacks", "MissingGlyphWarning", "Piece", "candidates", "covers", "fallback_files"]


class Piece(Record):
    text: str
    face: FontFace | None  # the fallback face that draws it; None: the role's own font


def covers(metrics: FontMetrics, text: str) -> bool:
    """True when ``metrics``' font has every character of ``text`` (a tab counts as had: SVG draws it as a
    space)."""
    has = metrics.advances.__contains__
    return all(map(has, map(ord, text))) or all(has(ord(ch)) or ch == "\t" for ch in text)


class Fallbacks:
    """Picks and remembers fallback faces through one FontBook (so a user's fonts are measured the same)."""

    def __init__(self, fonts: FontBook) -> None:
        self._fonts = fonts
        self._chosen: dict[tuple[FontFace, str], FontFace | None] = {}
        self.missing: set[str] = set()  # characters no installed font has

    def split(self, text: str, face: FontFace, metrics: FontMetrics) -> list[Piece]:
        """``text`` as pieces in order, each drawn by one font (``metrics`` are ``face``'s)."""
        if covers(metrics, text):
            return [Piece(text, None)]
        pieces: list[Piece] = []
        advances = metrics.advances
        for ch in text:
            if ch in _STICKY and pieces:  # a joiner or variation selector goes with the character before it
                chosen = pieces[-1].face
            elif ord(ch) in advances or ch == "\t":  # spaces too: an emoji font's space is an emoji wide
                chosen = None
            else:
                chosen = self.face_for(ch, face)
                if chosen is None:
                    self.missing.add(ch)
            if pieces and pieces[-1].face == chosen:
                pieces[-1] = Piece(pieces[-1].text + ch, chosen)
            else:
                pieces.append(Piece(ch, chosen))
        return pieces

    def face_for(self, ch: str, face: FontFace) -> FontFace | None:
        """The face that draws ``ch`` in place of ``face``, or None when no installed font has it."""
        key = (face, ch)
        if key in self._chosen:
            return self._chosen[key]
        found = None
        for family in candidates(ord(ch), face.family, face.weight == "bold", face.style == "italic"):
            fallback = FontFace(family, face.weight, face.style)
            try:  # measured on the file cairo picks for that family, weight and style: it must have ``ch``
                if self._fonts.metrics(fallback).has_glyph(ch):
                    found = fallback
                    break
            except SvgarchError:  # a family fontconfig lists but cannot give back, or an unreadable file
                continue
        self._chosen[key] = found
        return found


def fallback_files(texts: Iterable[str], faces: Iterable[FontFace], book: FontBook) -> list[str]:
    """The font files that would draw the characters of ``texts`` that ``faces`` lack, sorted: part of a
    cache key (batch, docs), so installing or removing a fallback font redraws. Nothing is asked of
    fontconfig when the faces cover the texts."""
    from svgarch.textorder import shaped

    wanted = set().union(*(set(text) | set(shaped(text)) for text in texts))  # Arabic: the forms drawn too
    if not wanted:
        return []
    fallbacks = Fallbacks(book)
    files = set()
    for face in faces:
        metrics = book.metrics(face)
        for ch in sorted(ch for ch in wanted if not covers(metrics, ch)):
            found = fallbacks.face_for(ch, face)
            if found is not None:
                files.add(book.find(found))
    return sorted(files)


def candidates(cp: int, family: str, bold: bool, italic: bool) -> list[str]:
    """Families fontconfig would fall back to for code point ``cp`` after ``family``, best first."""
    fonts = _sorted_fonts(family, bold, italic)
    if fonts is None:
        return _fc_match(cp, family, bold, italic)
    fc = font_lookup._fontconfig_library()
    out: list[str] = []
    for name, charset in fonts:
        if name.casefold() != family.casefold() and name not in out and fc.FcCharSetHasChar(charset, cp):
            out.append(name)
            if len(out) >= MAX_TRIED:
                break
    return out


@functools.cache  # one sorted list per face and process: fontconfig's answer for the installed fonts
def _sorted_fonts(family: str, bold: bool, italic: bool) -> tuple[tuple[str, int], ...] | None:
    """(family, charset) of the fonts fontconfig sorts for the face, trimmed to those adding coverage;
    None without the fontconfig library. The font set is kept for the process: its charsets live in it."""
    fc = _library()
    if fc is None:
        return None
    import ctypes

    pattern = fc.FcPatternCreate()
    if not pattern:
        return None
    try:
        fc.FcPatternAddString(pattern, b"family", family.encode("utf-8"))
        fc.FcPatternAddInteger(pattern, b"weight", _WEIGHT["bold" if bold else "normal"])
        if italic:
            fc.FcPatternAddInteger(pattern, b"slant", _SLANT_ITALIC)
        fc.FcConfigSubstitute(None, pattern, 0)
        fc.FcDefaultSubstitute(pattern)
        result = ctypes.c_int()
        found = fc.FcFontSort(None, pattern, 1, None, ctypes.byref(result))
    finally:
        fc.FcPatternDestroy(pattern)
    if not found:
        return ()
    out = []
    fontset = found.contents
    for i in range(fontset.nfont):
        font = fontset.fonts[i]
        charset = ctypes.c_void_p()
        name = ctypes.c_char_p()
        if fc.FcPatternGetCharSet(font, b"charset", 0, ctypes.byref(charset)) != 0 or not charset.value:
            continue
        if fc.FcPatternGetString(font, b"family", 0, ctypes.byref(name)) != 0 or not name.value:
            continue
        out.append((name.value.decode("utf-8", "replace"), charset.value))
    return tuple(out)


@functools.cache
def _library() -> Any:
    """libfontconfig (font_lookup's) with the few more functions fallback needs, or None."""
    fc = font_lookup._fontconfig_library()
    if fc is None:
        return None
    import ctypes

    class FontSet(ctypes.Structure):
        _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(ctypes.c_void_p))]

    p, s, i, u = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint32
    try:
        for func, restype, argtypes in (
            ("FcFontSort", ctypes.POINTER(FontSet), [p, p, i, p, ctypes.POINTER(i)]),
            ("FcPatternGetCharSet", i, [p, s, i, ctypes.POINTER(p)]),
            ("FcCharSetHasChar", i, [p, u]),
        ):
            getattr(fc, func).restype = restype
            getattr(fc, func).argtypes = argtypes
    except AttributeError:  # not the library we know
        return None
    return fc


def _fc_match(cp: int, family: str, bold: bool, italic: bool) -> list[str]:
    """The fc-match program's best family for ``cp`` (when the library does not load), or nothing."""
    import shutil
    import subprocess

    exe = shutil.which("fc-match")
    if exe is None:
        return []
    escaped = "".join("\\" + c if c in "\\-:," else c for c in family)
    query = f"{escaped}:weight={'bold' if bold else 'regular'}:charset={cp:x}" + (":slant=italic" if italic else "")
    try:
        done = subprocess.run(
            [exe, "--format=%{family[0]}", query], capture_output=True, text=True, timeout=20, check=False,
            env={**os.environ, "LC_ALL": "C"},
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    name = done.stdout.strip()
    return [name] if done.returncode == 0 and name and name.casefold() != family.casefold() else []
