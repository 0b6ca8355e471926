"""fontconfig's answers remembered on disk, so that a render does not start fontconfig.

Starting libfontconfig (loading it through ctypes, reading its
configuration and its caches of every font folder) costs a short render
about 7 ms of its 50. Its answer to "which file draws this family, weight
and style" changes only when its configuration or the fonts change, so the
answers are kept in one cache entry together with a **stamp of
fontconfig's state**: the environment variables it reads, and the size and
modification time of every configuration file and folder it read, every
font folder it scans (fontconfig lists their sub-folders too), and its own
cache folders. A font installed, removed or updated changes a
folder's time; a configuration edited changes a file's. Any difference
is a miss: fontconfig is asked again and the entry rewritten.

The entry is untrusted (svgarch.cache): believed only when it is strict,
small JSON of the right shape, its stamp is the state now, and every answer
names a regular font file inside the standard font folders (or "",
fontconfig found nothing). Anything else is a miss, which only costs time.
"""

from __future__ import annotations

import functools
import os
import stat
import zlib
from collections.abc import Callable

from svgarch import font_lookup
from svgarch.cache import read_json, write_json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from svgarch.files import StrPath

ENTRY = "fontconfig.json"
VERSION = 1
MAX_ANSWERS = 256  # faces remembered (a render asks for four or so)
MAX_WATCHED = 4096  # files and folders whose times make the stamp; past it nothing is remembered
MAX_FAMILIES = 64
MAX_TEXT = 4096  # characters of a path or family name
_ENV = (
    "FONTCONFIG_FILE",
    "FONTCONFIG_PATH",
    "FONTCONFIG_SYSROOT",
    "FC_LANG",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_DATA_DIRS",
    "XDG_CACHE_HOME",
)
Answer = tuple[str, list[str]]


class FontconfigMemo:
    """fontconfig's answers for one cache folder; ``ask`` asks fontconfig itself (None without it)."""

    def __init__(self, folder: StrPath | None, ask: Callable[[font_lookup.Wanted], Answer | None]) -> None:
        self._folder = folder
        self._ask = ask
        self._answers: dict[str, Answer] | None = None  # read lazily: None until then
        self._watched: list[str] = []

    def match(self, wanted: font_lookup.Wanted) -> Answer | None:
        key = _key(wanted)
        if self._answers is None:
            self._answers = self._read()
        known = self._answers.get(key)
        if known is not None:
            return known
        stamp = state_stamp(self._watched) if self._folder is not None else ""  # before asking: a race is a miss
        answer = self._ask(wanted)
        if answer is None or self._folder is None:
            return answer
        watched = fontconfig_paths()
        if watched is None:
            return answer  # fc-match's answer: no way to learn what it read, so nothing is remembered
        if sorted(watched) != sorted(self._watched):
            self._answers, stamp = {}, state_stamp(watched)
        self._watched = watched
        if len(self._answers) < MAX_ANSWERS and _plausible(answer):
            self._answers[key] = answer
            entry = {"version": VERSION, "watched": watched, "stamp": stamp, "answers": self._answers}
            write_json(self._folder, ENTRY, entry)
        return answer

    def _read(self) -> dict[str, Answer]:
        raw = read_json(self._folder, ENTRY)
        if not isinstance(raw, dict) or raw.get("version") != VERSION:
            return {}
        watched, stamp, answers = raw.get("watched"), raw.get("stamp"), raw.get("answers")
        if not isinstance(watched, list) or len(watched) > MAX_WATCHED or not isinstance(answers, dict):
            return {}
        if not all(isinstance(p, str) and 0 < len(p) <= MAX_TEXT and os.path.isabs(p) for p in watched):
            return {}
        if len(answers) > MAX_ANSWERS or not isinstance(stamp, str) or stamp != state_stamp(watched):
            return {}
        out: dict[str, Answer] = {}
        for key, value in answers.items():
            if not (isinstance(value, list) and len(value) == 2):
                return {}
            path, families = value
            if not (isinstance(path, str) and isinstance(families, list)):
                return {}
            answer = (path, families)
            if not _plausible(answer):
                return {}
            out[key] = answer
        self._watched = watched
        return out


def _key(wanted: font_lookup.Wanted) -> str:
    return f"{wanted.family}\0{int(wanted.bold)}{int(wanted.italic)}"


def _plausible(answer: Answer) -> bool:
    """An answer as fontconfig gives one: families as text, and "" or a regular font file that is, links
    resolved, inside the standard font folders (a crafted entry can name no file outside them; an answer
    from a folder of fontconfig's own configuration is simply not remembered)."""
    path, families = answer
    if len(families) > MAX_FAMILIES or not all(isinstance(f, str) and len(f) <= MAX_TEXT for f in families):
        return False
    if not path:
        return True
    if len(path) > MAX_TEXT or not os.path.isabs(path) or "\0" in path:
        return False
    if not path.lower().endswith((*font_lookup.FONT_SUFFIXES, ".pfb", ".pfa", ".pcf", ".pcf.gz", ".woff", ".woff2")):
        return False
    try:
        real = os.path.realpath(path)
        if not stat.S_ISREG(os.stat(real).st_mode):
            return False
    except (OSError, ValueError):
        return False
    return any(real.startswith(folder) for folder in _font_folders())


@functools.cache
def _font_folders() -> tuple[str, ...]:
    """The standard font folders, links resolved, each ending in a separator."""
    return tuple(os.path.join(os.path.realpath(f), "") for f in font_lookup.standard_font_dirs())


def state_stamp(watched: list[str]) -> str:
    """fontconfig's state: the variables it reads, and each watched path's type, size and time, as one
    checksum. fontconfig lists every font folder with its sub-folders, so a font added anywhere changes
    the time of a folder watched (and a new sub-folder its parent's)."""
    if len(watched) > MAX_WATCHED:
        return "too many"  # never equal to a stamp written: nothing is believed
    parts = [f"{name}={os.environ.get(name, '')}" for name in _ENV]
    for path in watched:
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            parts.append(f"{path}:-")
            continue
        parts.append(f"{path}:{info.st_mode >> 12}:{info.st_size}:{info.st_mtime_ns}")
    data = "\n".join(parts).encode("utf-8", "surrogateescape")
    return f"{len(parts)}-{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


_LISTS = ("FcConfigGetConfigFiles", "FcConfigGetConfigDirs", "FcConfigGetFontDirs", "FcConfigGetCacheDirs")


def fontconfig_paths() -> list[str] | None:
    """The configuration files and folders fontconfig read, its font folders and its cache folders (as
    the library lists them), or None without the library."""
    fc = font_lookup._fontconfig_library()
    if fc is None:
        return None
    import ctypes

    paths: set[str] = set()
    try:
        for getter in _LISTS:
            function = getattr(fc, getter)
            function.restype, function.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
            strings = function(None)
            if not strings:
                continue
            fc.FcStrListNext.restype, fc.FcStrListNext.argtypes = ctypes.c_char_p, [ctypes.c_void_p]
            fc.FcStrListDone.restype, fc.FcStrListDone.argtypes = None, [ctypes.c_void_p]
            try:
                while (item := fc.FcStrListNext(strings)) is not None:
                    paths.add(os.fsdecode(item))
            finally:
                fc.FcStrListDone(strings)
    except AttributeError:  # an old fontconfig without these
        return None
    paths.add(os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf")
    paths.update(font_lookup.standard_font_dirs())
    return sorted(p for p in paths if os.path.isabs(p))
