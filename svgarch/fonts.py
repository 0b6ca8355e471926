"""Font files and their metrics.

``font_lookup`` finds the file that draws a family, weight and style (the
user's own font files first, then fontconfig, the way cairo finds it, then
a search of the standard font folders); this module reads its advance widths
with fontTools. The widths are cached on disk (packed: a magic, ints and two
arrays), keyed by the file's path, size and mtime, so a render normally
parses no font and does not import fontTools. The cache is untrusted: an entry is believed only when every
field has the right type and a plausible range, and it never names the file
to open (the path always comes from the lookup).
"""

from __future__ import annotations

import os
import struct
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence

from svgarch import font_lookup
from svgarch.cache import cache_dir, read_entry, read_json, write_entry, write_json
from svgarch.errors import FontError, quoted
from svgarch.fontconfig_memo import FontconfigMemo
from svgarch.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

CACHE_VERSION = 4  # 3: entries name their path (checked, never used) and are range-checked; 4: packed
MAX_UNITS_PER_EM = 16384  # the OpenType limit (head.unitsPerEm is 16..16384)
MAX_CODEPOINT = 0x10FFFF
MAX_ADVANCE_EMS = 16  # DejaVu's widest glyph is 2 em; the widest known (U+FDFD in Arabic fonts) ~5 em
MAX_HEIGHT_EMS = 8  # ascender and descender: DejaVu's are 0.93 and 0.24 em


class FontFace(Record):
    family: str
    weight: str = "normal"  # "normal" | "bold"
    style: str = "normal"  # "normal" | "italic"


class FontMetrics(Record):
    """Advance widths of one font file, in font units."""

    path: str
    units_per_em: int
    ascender: int
    descender: int  # negative, as in the font
    advances: Mapping[int, int]  # a dict, or Advances (from the cache)
    missing_advance: int

    def width(self, text: str, size: float) -> float:
        """Advance width of ``text`` at ``size`` px (no kerning, as cairo draws it)."""
        adv = self.advances
        miss = self.missing_advance
        return sum(adv.get(ord(ch), miss) for ch in text) * size / self.units_per_em

    def ascent(self, size: float) -> float:
        return self.ascender * size / self.units_per_em

    def descent(self, size: float) -> float:
        return -self.descender * size / self.units_per_em

    def has_glyph(self, ch: str) -> bool:
        return ord(ch) in self.advances


_UNASKED = -1  # not looked up yet (an advance is never negative: metrics_from_json checks)
_PRINTABLE_ASCII = array("i" if array("i").itemsize == 4 else "l", range(0x20, 0x7F))


class Advances(Mapping[int, int]):
    """A cached font's advances by code point, each looked up (bisection in the packed entry's sorted
    arrays) when first asked for: a render asks for a few dozen of a font's thousands, and a dict of them all
    cost 0.6 ms a font, four fonts a render. Printable ASCII, which every render asks for, is remembered at
    once when the entry lists all of it in a row. An entry whose code points are out of order (a crafted
    one) answers as those two lookups find: advances in range either way, as any lying entry's are."""

    __slots__ = ("_asked", "_points", "_widths")

    def __init__(self, points: array[int], widths: array[int]) -> None:
        self._points = points
        self._widths = widths
        self._asked: dict[int, int | None] = {}  # what each code point asked for came to (None: not in the font)
        start = bisect_left(points, 0x20)
        if points[start : start + len(_PRINTABLE_ASCII)] == _PRINTABLE_ASCII:  # every render asks for them all
            self._asked.update(zip(_PRINTABLE_ASCII, widths[start : start + len(_PRINTABLE_ASCII)], strict=True))

    def _look_up(self, point: int) -> int | None:
        i = bisect_left(self._points, point)
        found = self._widths[i] if i < len(self._points) and self._points[i] == point else None
        self._asked[point] = found
        return found

    def get(self, key: int, default: int | None = None) -> int | None:  # type: ignore[override]
        found = self._asked.get(key, _UNASKED)
        if found == _UNASKED:
            found = self._look_up(key)
        return default if found is None else found

    def __getitem__(self, key: int) -> int:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        found = self._asked.get(key, _UNASKED)  # type: ignore[call-overload]  # any key; only ints are in
        if found == _UNASKED:
            found = self._look_up(key) if type(key) is int else None
        return found is not None

    def __len__(self) -> int:
        return len(self._points)

    def __iter__(self) -> Iterator[int]:
        return iter(self._points)


class FontBook:
    """Finds and measures fonts; one per render (no global state).

    ``font_files``: font files or folders searched before anything else (a
    ``--font-file``); ``$SVGARCH_FONT_PATH`` adds more.
    """

    def __init__(self, font_files: Sequence[str] = ()) -> None:
        self._folder = cache_dir()
        self._metrics: dict[FontFace, FontMetrics] = {}
        self._found: dict[FontFace, str] = {}
        self._user = font_lookup.user_font_paths(font_files)
        self._index: dict[str, font_lookup.FaceInfo] = {}
        self._known: Mapping[str, object] | None = None
        self._fontconfig = FontconfigMemo(self._folder, lambda wanted: font_lookup.fontconfig_match(wanted))

    def metrics(self, face: FontFace) -> FontMetrics:
        found = self._metrics.get(face)
        if found is None:
            found = self._metrics[face] = self._load(self.find(face))
        return found

    def find(self, face: FontFace) -> str:
        """The font file that draws ``face``: the user's, else the one fontconfig (and so cairo) picks."""
        found = self._found.get(face)
        if found is None:
            found = self._found[face] = self._lookup(face)
        return found

    def _lookup(self, face: FontFace) -> str:
        wanted = font_lookup.Wanted(face.family, face.weight == "bold", face.style == "italic")
        if "\0" in face.family or not face.family.strip():
            raise FontError(f"cannot find font {wanted.describe()}: not a family name")
        if self._user:
            path = self._search(wanted, self._user)
            if path is not None:
                return path
        answer = self._fontconfig.match(wanted)
        if answer is not None:
            path, families = answer
            if not path:
                raise FontError(f"cannot find font {wanted.describe()} (fontconfig found nothing){self._looked()}")
            if face.family.casefold() not in [f.casefold() for f in families]:
                used = quoted(os.path.basename(path))
                raise FontError(
                    f"font '{face.family}' is not installed (fontconfig would use {used} instead){self._looked()}"
                )
            return path
        folders = font_lookup.standard_font_folders()
        path = self._search(wanted, folders)
        if path is None:
            places = ", ".join(quoted(p) for p in [*self._user, *folders] if p.exists()) or "none exists"
            raise FontError(
                f"cannot find font {wanted.describe()}: fontconfig is not installed, and no font file in"
                f" {places} names that family (set {font_lookup.ENV} to the font's file or folder)"
            )
        return path

    def _looked(self) -> str:
        if not self._user:
            return ""
        return f"; not in {font_lookup.ENV} either ({', '.join(quoted(p) for p in self._user)})"

    def _search(self, wanted: font_lookup.Wanted, places: Sequence[Path]) -> str | None:
        if self._known is None:
            self._known = font_lookup.known_faces(self._read_json(font_lookup.INDEX_ENTRY))
        before = len(self._index)
        found = font_lookup.search(wanted, places, self._index, self._known)
        if len(self._index) > before:
            fresh = any(path not in self._known for path in self._index)
            if fresh:
                write_json(self._folder, font_lookup.INDEX_ENTRY, font_lookup.index_entry(self._index))
        return found

    def _load(self, path: str) -> FontMetrics:
        stamp = font_lookup.file_stamp(path)
        name = f"metrics-{zlib.crc32(path.encode('utf-8', 'surrogateescape')):08x}.bin"
        entry = read_entry(self._folder, name)
        known = _checked.get((path, stamp, entry)) if entry is not None else None
        if known is not None:
            return known
        raw = unpack_metrics(entry)
        if raw is not None and raw.get("stamp") == stamp and raw.get("path") == path:
            cached = metrics_from_json(path, raw)
            if cached is not None:
                return _remember(path, stamp, entry, cached)
        data = _read_font(path)
        fresh = metrics_from_json(path, data)
        if fresh is None:
            raise FontError(f"font file {quoted(path)} has implausible metrics (units per em, heights or advances)")
        packed = pack_metrics({**data, "stamp": stamp, "path": path})
        return _remember(path, stamp, write_entry(self._folder, name, packed) if packed else None, fresh)

    def _read_json(self, name: str) -> object:
        return read_json(self._folder, name)

    def _write_json(self, name: str, data: Mapping[str, object]) -> bytes | None:
        return write_json(self._folder, name, data)


# Metrics checked in this process, by font file, its stamp and the exact bytes of the cache entry they were
# read from (or written as): the same three give the same metrics, so a hit skips only decoding and checking
# bytes already checked. Any change to the entry (a crafted one, another process's) is a new key, checked
# again. Bounded for long-lived processes.
_checked: dict[tuple[str, str, bytes], FontMetrics] = {}
_MAX_CHECKED = 64


def _remember(path: str, stamp: str, entry: bytes | None, metrics: FontMetrics) -> FontMetrics:
    if entry is not None:
        if len(_checked) >= _MAX_CHECKED:
            del _checked[next(iter(_checked))]
        _checked[(path, stamp, entry)] = metrics
    return metrics


def _read_font(path: str) -> dict[str, object]:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with open(path, "rb") as fh, TTFont(fh, lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() or {}
            hmtx = font["hmtx"].metrics
            hhea = font["hhea"]
            points = sorted(cp for cp, name in cmap.items() if name in hmtx)
            return {
                "version": CACHE_VERSION,
                "units_per_em": font["head"].unitsPerEm,
                "ascender": hhea.ascent,
                "descender": hhea.descent,
                "missing_advance": hmtx[font.getGlyphOrder()[0]][0],
                "codepoints": points,
                "advances": [hmtx[cmap[cp]][0] for cp in points],
            }
    except (OSError, TTLibError, KeyError, AssertionError, ValueError, IndexError, TypeError) as exc:
        raise FontError(f"cannot read font file {quoted(path)}: {exc}") from None


def metrics_from_json(path: str, raw: Mapping[str, object]) -> FontMetrics | None:
    """Metrics from a cache entry or a font just read, or None unless every field is plausible."""
    if raw.get("version") != CACHE_VERSION:
        return None
    fields = ("units_per_em", "ascender", "descender", "missing_advance")
    upem, ascender, descender, missing = (raw.get(k) for k in fields)
    points, advances = raw.get("codepoints"), raw.get("advances")
    if not _int_in(upem, 16, MAX_UNITS_PER_EM):
        return None
    assert isinstance(upem, int)
    # in ems, as a font can plausibly have them: a glyph 16 em wide or a line 8 em tall would
    # make every box huge (a lying entry must not be a memory bomb)
    widest, tallest = MAX_ADVANCE_EMS * upem, MAX_HEIGHT_EMS * upem
    if not (_int_in(ascender, -tallest, tallest) and _int_in(descender, -tallest, tallest)):
        return None
    if not isinstance(points, list | array) or not isinstance(advances, list | array) or len(points) != len(advances):
        return None
    if len(points) > MAX_CODEPOINT + 1 or not _int_in(missing, 0, widest):
        return None
    if not (_ints_in(advances, 0, widest) and _ints_in(points, 0, MAX_CODEPOINT)):
        return None
    assert isinstance(ascender, int) and isinstance(descender, int)
    assert isinstance(missing, int)
    if isinstance(points, array) and isinstance(advances, array):
        return FontMetrics(path, upem, ascender, descender, Advances(points, advances), missing)
    return FontMetrics(path, upem, ascender, descender, dict(zip(points, advances, strict=True)), missing)


def _int_in(value: object, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def _ints_in(values: list[object] | array[int], low: int, high: int) -> bool:
    """Every value an int (not a bool) from ``low`` to ``high``; map, min and max keep it fast (a font has
    thousands; a packed entry's are ints by their type code)."""
    if not values:
        return True
    if isinstance(values, array):
        return _packed_ints_in(values, low, high)
    if set(map(type, values)) != {int}:
        return False
    numbers: list[int] = values  # type: ignore[assignment]  # every one is an int, checked just above
    return low <= min(numbers) and max(numbers) <= high


def _packed_ints_in(values: array[int], low: int, high: int) -> bool:
    """``_ints_in`` for 32-bit ints read from a packed entry, from 0: told by their bytes where that is
    plain (every top byte 0 is 0 <= v < 2**24; every third byte below ``high``'s is v <= high; below
    2**16, so too every second byte below ``high``'s: advances, whose bound is 16 em), which spares the
    loops over thousands of ints that make min and max."""
    if low != 0 or values.itemsize != 4 or sys.byteorder != "little" or high >= 1 << 24:
        return low <= min(values) and max(values) <= high
    data = values.tobytes()
    if data[3::4].count(0) != len(values):
        return False  # negative, or 2**24 or more: beyond every range here
    third = data[2::4]
    if not third.translate(None, bytes(range(high >> 16))):
        return True  # every value below (high >> 16) << 16
    if high < 1 << 16 and third.count(0) == len(values) and not data[1::4].translate(None, bytes(range(high >> 8))):
        return True  # every value below (high >> 8) << 8
    return max(values) <= high


# A packed entry: the magic, then version, units per em, ascender, descender, missing advance, the number
# of code points and the lengths of the path and stamp (little-endian 32-bit ints), then the path (UTF-8),
# the stamp (ASCII), the code points and the advances (32-bit ints each). Read with array's C loops, it
# costs a fifth of the JSON it replaces.
MAGIC = b"svgarch metrics\n"
_HEADER = struct.Struct("<16s8i")
_INTS = "i" if array("i").itemsize == 4 else "l"


def pack_metrics(data: Mapping[str, object]) -> bytes | None:
    """A font's metrics (as ``_read_font`` gives them, with ``stamp`` and ``path``) as a packed entry; None
    when they do not fit it (a caller's mistake must not break a render for the sake of a cache)."""
    fields = ("version", "units_per_em", "ascender", "descender", "missing_advance")
    numbers = [n for n in (data.get(k) for k in fields) if type(n) is int]
    codepoints, widths = data.get("codepoints"), data.get("advances")
    if len(numbers) != len(fields) or not isinstance(codepoints, list) or not isinstance(widths, list):
        return None
    try:
        path = str(data["path"]).encode("utf-8", "surrogateescape")
        stamp = str(data["stamp"]).encode("ascii")
        points: array[int] = array(_INTS, codepoints)
        advances: array[int] = array(_INTS, widths)
        if len(points) != len(advances):
            return None
        head: bytes = _HEADER.pack(MAGIC, *numbers, len(points), len(path), len(stamp))
    except (KeyError, TypeError, ValueError, OverflowError, struct.error, UnicodeError):
        return None
    if sys.byteorder != "little":
        points.byteswap()
        advances.byteswap()
    return head + path + stamp + points.tobytes() + advances.tobytes()


def unpack_metrics(raw: bytes | None) -> dict[str, object] | None:
    """A packed entry's fields (arrays of code points and advances), or None unless its layout is exact;
    the values are checked by ``metrics_from_json`` as a fresh read's are."""
    if raw is None or len(raw) < _HEADER.size:
        return None
    magic, version, upem, ascender, descender, missing, count, path_size, stamp_size = _HEADER.unpack_from(raw)
    if magic != MAGIC or min(count, path_size, stamp_size) < 0:
        return None
    start = _HEADER.size + path_size + stamp_size
    if len(raw) != start + 8 * count:
        return None
    try:
        path = raw[_HEADER.size : _HEADER.size + path_size].decode("utf-8", "surrogateescape")
        stamp = raw[_HEADER.size + path_size : start].decode("ascii")
    except UnicodeError:
        return None
    points, advances = array(_INTS), array(_INTS)
    points.frombytes(raw[start : start + 4 * count])
    advances.frombytes(raw[start + 4 * count :])
    if sys.byteorder != "little":
        points.byteswap()
        advances.byteswap()
    return {
        "version": version,
        "units_per_em": upem,
        "ascender": ascender,
        "descender": descender,
        "missing_advance": missing,
        "codepoints": points,
        "advances": advances,
        "stamp": stamp,
        "path": path,
    }
