"""Right-to-left text in the order it is seen, the same in every renderer.

cairosvg draws a text's characters left to right in the order they are
stored, with no bidirectional algorithm and no Arabic shaping (cairo's toy
text API), while browsers and rsvg apply both. So svgarch stores the order
the reader sees and tells browsers not to reorder it (``unicode-bidi:
bidi-override``, written by the SVG writer where a line's drawn order is not
its logical order):

- ``shaped`` gives Arabic letters their joining forms (initial, medial,
  final, isolated, and the lam-alef ligatures) as the Unicode presentation
  form characters, which every renderer draws as they stand (the
  ``arabic-reshaper`` package; only lam-alef ligatures are kept, as fonts
  have them);
- ``visual`` reorders a line's pieces by the Unicode bidirectional
  algorithm (the ``python-bidi`` package's implementation of UAX #9, rules
  W1 to L4, with mirrored brackets), keeping each character with its piece
  (its face and font) so measuring sees exactly what is drawn.

Both are imported only for a text that has right-to-left characters.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from types import ModuleType

from svgarch.errors import RenderError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

_RTL = frozenset({"R", "AL", "RLE", "RLO", "RLI"})  # Hebrew, Arabic letters, marks that ask for right to left
_LAM_ALEF = "ARABIC LIGATURE LAM WITH ALEF"


_FIRST_RTL = "\u0590"  # Hebrew: no character before it is written right to left


def has_rtl(text: str) -> bool:
    """True when ``text`` holds a strong right-to-left character or a mark asking for right to left (the only
    case that reorders)."""
    if text.isascii() or max(text) < _FIRST_RTL:  # most texts, told in C
        return False
    return any(ch >= _FIRST_RTL and unicodedata.bidirectional(ch) in _RTL for ch in text)


def _arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u08ff"


def shaped(text: str) -> str:
    """``text`` with Arabic letters in their joining forms (logical order kept); other text as it is."""
    if text.isascii() or not any(_arabic(ch) for ch in text):
        return text
    return str(_reshaper().reshape(text))


@functools.cache
def _reshaper() -> Any:
    arabic_reshaper = _library("arabic_reshaper", "arabic-reshaper")
    default_config = _library("arabic_reshaper.reshaper_config", "arabic-reshaper").default_config

    # fonts have the lam-alef ligatures; the word ligatures (U+FDF2 for a whole word...) few have
    config = {key: key.startswith(_LAM_ALEF) for key in default_config if key.startswith("ARABIC LIGATURE")}
    return arabic_reshaper.ArabicReshaper({**config, "delete_harakat": False, "support_ligatures": True})


def visual(pieces: Sequence[tuple[str, T]]) -> list[tuple[str, T]]:
    """``pieces`` (texts in logical order, each with its tag) in the order they are seen, left to right.

    A piece that crosses a change of direction is cut there; neighbours with the same tag are joined.
    """
    text = "".join(t for t, _ in pieces)
    if not has_rtl(text):
        return list(pieces)
    uba = _library("bidi.algorithm", "python-bidi")

    # an unassigned code point has no bidi class in unicodedata, which the algorithm does not take: it reads
    # a stand-in of the class UAX #9 gives it by default (left to right, or right to left in those blocks)
    known = "".join(ch if unicodedata.bidirectional(ch) else _default_class(ch) for ch in text)
    storage = uba.get_empty_storage()
    base = uba.get_base_level(known)
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    uba.get_embedding_levels(known, storage, False, False)
    tags = [tag for t, tag in pieces for _ in t]
    for i, ch in enumerate(storage["chars"]):  # each character keeps its place, to find its tag after reordering
        ch["index"] = i
    try:
        uba.explicit_embed_and_overrides(storage, False)
        uba.resolve_weak_types(storage, False)
        uba.resolve_neutral_types(storage, False)
        uba.resolve_implicit_levels(storage, False)
        uba.reorder_resolved_levels(storage, False)
        uba.apply_mirroring(storage, False)
    except AssertionError:  # a sequence the implementation does not expect: drawn as written, not lost
        return list(pieces)
    out: list[tuple[str, T]] = []
    for ch in storage["chars"]:
        i = ch["index"]
        drawn = text[i] if known[i] != text[i] else ch["ch"]  # a stand-in draws its own character
        tag = tags[i]
        if out and out[-1][1] == tag:
            out[-1] = (out[-1][0] + drawn, tag)
        else:
            out.append((drawn, tag))
    return out


_AL_DEFAULT = ((0x0600, 0x07BF), (0x0860, 0x08FF), (0xFB50, 0xFDCF), (0xFDF0, 0xFDFF), (0xFE70, 0xFEFF),
               (0x1EC70, 0x1EFFF))  # fmt: skip
_R_DEFAULT = ((0x0590, 0x08FF), (0xFB1D, 0xFB4F), (0x10800, 0x10FFF), (0x1E800, 0x1EFFF))


def _default_class(ch: str) -> str:
    """A stand-in with the bidi class UAX #9 gives unassigned ``ch``: AL, R, or else L."""
    cp = ord(ch)
    if any(low <= cp <= high for low, high in _AL_DEFAULT):
        return "\u0627"  # ARABIC LETTER ALEF: AL
    if any(low <= cp <= high for low, high in _R_DEFAULT):
        return "\u05d0"  # HEBREW LETTER ALEF: R
    return "a"


def _library(name: str, package: str) -> ModuleType:
    """A library right-to-left text needs, imported when a text has some; one line, not a traceback,
    when an environment was set up without it (both are svgarch's dependencies)."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise RenderError(f"right-to-left text needs the {package} package, which is not installed: {exc}") from None
