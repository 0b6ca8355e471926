"""Which font file draws a family, weight and style.

Three places are asked, in this order:

1. the user's own font files and folders (``font_files`` from the caller,
   then ``$SVGARCH_FONT_PATH``, entries separated by ``os.pathsep``);
2. fontconfig, the way cairo asks it (so text is measured on the very file
   cairo renders with): its library in-process when it loads, else the
   ``fc-match`` program;
3. without fontconfig, a search of the standard font folders, matching the
   family, weight and style the font's own tables declare (fontTools).

Searching reads each font file's names once; what it read is cached, keyed
by a path the search itself found (the cache never names a file to open).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator, Mapping, Sequence

from svgarch.files import path_text
from svgarch.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
MAX_FONT_FILES = 10_000  # files looked at in one search: a folder of millions must not hang a render
MAX_DEPTH = 8  # folder levels below a font folder
MAX_NAME = 256  # characters of a family name kept
ENV = "SVGARCH_FONT_PATH"
INDEX_ENTRY = "font-index.json"
INDEX_VERSION = 1


class Wanted(Record):
    family: str
    bold: bool
    italic: bool

    def describe(self) -> str:
        style = " ".join(s for s, on in (("bold", self.bold), ("italic", self.italic)) if on) or "regular"
        return f"'{self.family}' ({style})"


class FaceInfo(Record):
    """What a font file says it is (name, OS/2 and head tables)."""

    families: tuple[str, ...]  # casefolded: name IDs 1, 16 and 21
    weight: int  # usWeightClass, 1..1000
    width: int  # usWidthClass, 1..9 (5 is normal)
    italic: bool


# --- where to look ---------------------------------------------------------------------------


def standard_font_folders() -> list[Path]:
    """The folders fonts are installed in on this kind of system (existing or not)."""
    from pathlib import Path  # a render from a warm cache does not import it

    home = Path.home()
    if sys.platform == "darwin":
        return [home / "Library/Fonts", *(Path(f"/{d}Library/Fonts") for d in ("", "System/", "Network/"))]
    if os.name == "nt":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = os.environ.get("LOCALAPPDATA")
        return [windir / "Fonts", *([Path(local) / "Microsoft/Windows/Fonts"] if local else [])]
    return [Path(folder) for folder in standard_font_dirs()]


def standard_font_dirs() -> list[str]:
    """``standard_font_folders()`` as pathlib writes them: what a render from a warm cache asks for (the
    fontconfig memo's check of a remembered answer), without pathlib's import (4 ms)."""
    if sys.platform == "darwin" or os.name == "nt":
        return [str(folder) for folder in standard_font_folders()]
    home = os.path.expanduser("~")
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.join(home, ".local/share")
    data_dirs = [d for d in (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":") if d]
    folders = [os.path.join(data_home, "fonts"), os.path.join(home, ".fonts")]
    folders += [*(os.path.join(d, "fonts") for d in data_dirs), "/usr/share/fonts", "/usr/local/share/fonts"]
    return list(dict.fromkeys(path_text(folder) for folder in folders))


def user_font_paths(font_files: Sequence[str] = ()) -> list[Path]:
    """Font files and folders the user named: ``font_files`` (a ``--font-file``), then $SVGARCH_FONT_PATH."""
    named = [p for p in (*font_files, *os.environ.get(ENV, "").split(os.pathsep)) if p]
    if not named:
        return []
    from pathlib import Path  # only for names given

    return [Path(p).expanduser() for p in named]


def font_file_problem(path: str) -> str | None:
    """Why ``path`` (given as a font file or folder) cannot be used, or None: for checking an option early."""
    from pathlib import Path  # a render from a warm cache does not import it

    target = Path(path).expanduser()
    if target.is_dir():
        return None
    if not target.is_file():
        return "no such font file or folder"
    if target.suffix.lower() not in FONT_SUFFIXES:
        return f"not a font file (expected {', '.join(FONT_SUFFIXES)})"
    return None if read_face(str(target)) else "not a font file fontTools can read"


def font_files_in(places: Sequence[Path]) -> Iterator[str]:
    """Font files under ``places`` (files or folders), each once, at most MAX_FONT_FILES, in a stable order."""
    seen: set[tuple[int, int]] = set()
    count = 0
    for place in places:
        for path in _walk(place, seen, 0):
            count += 1
            if count > MAX_FONT_FILES:
                return
            yield path


def _walk(place: Path, seen: set[tuple[int, int]], depth: int) -> Iterator[str]:
    try:
        info = place.stat()
    except (OSError, ValueError):
        return
    if (info.st_dev, info.st_ino) in seen:  # a link loop, or a folder named twice
        return
    seen.add((info.st_dev, info.st_ino))
    if not place.is_dir():
        if place.is_file() and place.suffix.lower() in FONT_SUFFIXES:
            yield str(place)
        return
    if depth > MAX_DEPTH:
        return
    try:
        names = sorted(os.listdir(place))
    except OSError:
        return
    for name in names:
        if not name.startswith("."):
            yield from _walk(place / name, seen, depth + 1)


# --- fontconfig ------------------------------------------------------------------------------


def fontconfig_match(wanted: Wanted) -> tuple[str, list[str]] | None:
    """The file fontconfig picks for ``wanted`` and that file's families; None without fontconfig."""
    found = _library_match(wanted)
    return found if found is not None else _fc_match(wanted)


_FC_WEIGHT = {False: 80, True: 200}  # FC_WEIGHT_REGULAR, FC_WEIGHT_BOLD
_FC_SLANT_ITALIC = 100


def _library_match(wanted: Wanted) -> tuple[str, list[str]] | None:
    """Ask libfontconfig in-process (a few ms, where starting fc-match costs ~12 ms a face)."""
    fc = _fontconfig_library()
    if fc is None:
        return None
    import ctypes

    pattern = fc.FcPatternCreate()
    if not pattern:
        return None
    match = None
    try:
        fc.FcPatternAddString(pattern, b"family", wanted.family.encode("utf-8"))
        fc.FcPatternAddInteger(pattern, b"weight", _FC_WEIGHT[wanted.bold])
        if wanted.italic:
            fc.FcPatternAddInteger(pattern, b"slant", _FC_SLANT_ITALIC)
        fc.FcConfigSubstitute(None, pattern, 0)  # None: the current configuration, the one cairo uses
        fc.FcDefaultSubstitute(pattern)
        result = ctypes.c_int()
        match = fc.FcFontMatch(None, pattern, ctypes.byref(result))
        if not match:
            return None
        return _get_string(fc, match, b"file", 0) or "", _families(fc, match)
    finally:
        fc.FcPatternDestroy(pattern)
        if match:
            fc.FcPatternDestroy(match)


def _get_string(fc: Any, pattern: int, name: bytes, n: int) -> str | None:
    import ctypes

    value = ctypes.c_char_p()
    if fc.FcPatternGetString(pattern, name, n, ctypes.byref(value)) != 0 or value.value is None:
        return None
    return os.fsdecode(value.value) if name == b"file" else value.value.decode("utf-8", "replace")


def _families(fc: Any, pattern: int) -> list[str]:
    families = []
    for n in range(64):
        family = _get_string(fc, pattern, b"family", n)
        if family is None:
            break
        families.append(family)
    return families


_LIBRARY_NAMES = (
    "libfontconfig.so.1",
    "libfontconfig.1.dylib",
    "/opt/homebrew/lib/libfontconfig.1.dylib",
    "/usr/local/lib/libfontconfig.1.dylib",
    "libfontconfig-1.dll",
)


@functools.cache  # a shared library loads once per process anyway
def _fontconfig_library() -> Any:
    """libfontconfig through ctypes, typed; None when it does not load."""
    import ctypes

    for name in _LIBRARY_NAMES:
        try:
            fc = ctypes.CDLL(name)
            break
        except OSError:
            continue
    else:
        return None
    p, s, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    try:
        for func, restype, argtypes in (
            ("FcInit", i, []),
            ("FcPatternCreate", p, []),
            ("FcPatternDestroy", None, [p]),
            ("FcPatternAddString", i, [p, s, s]),
            ("FcPatternAddInteger", i, [p, s, i]),
            ("FcConfigSubstitute", i, [p, p, i]),
            ("FcDefaultSubstitute", None, [p]),
            ("FcFontMatch", p, [p, p, ctypes.POINTER(i)]),
            ("FcPatternGetString", i, [p, s, i, ctypes.POINTER(s)]),
        ):
            getattr(fc, func).restype = restype
            getattr(fc, func).argtypes = argtypes
    except AttributeError:  # not the library we know
        return None
    return fc if fc.FcInit() else None


def _fc_match(wanted: Wanted) -> tuple[str, list[str]] | None:
    """Ask the fc-match program; None when it is not installed."""
    import shutil
    import subprocess

    from svgarch.errors import FontError

    exe = shutil.which("fc-match")
    if exe is None:
        return None
    # fontconfig's name syntax: '\', '-', ':' and ',' in a family are escaped
    family = "".join("\\" + c if c in "\\-:," else c for c in wanted.family)
    query = f"{family}:weight={'bold' if wanted.bold else 'regular'}" + (":slant=italic" if wanted.italic else "")
    try:
        done = subprocess.run(
            [exe, "--format=%{file}\t%{family}", query], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FontError(f"cannot find font {wanted.describe()}: fc-match failed: {exc}") from None
    path, _, families = done.stdout.partition("\t")
    if done.returncode != 0:
        return "", []
    return path, [f.strip() for f in families.split(",")]


# --- fontTools search ------------------------------------------------------------------------


def search(
    wanted: Wanted, places: Sequence[Path], index: dict[str, FaceInfo], known: Mapping[str, object]
) -> str | None:
    """The best file for ``wanted`` among the fonts under ``places``, or None.

    ``index`` gathers what each file found says it is (path → FaceInfo);
    ``known`` is the cache's word for files found before (checked before it
    is believed, and only for files the search found).
    """
    family = wanted.family.casefold()
    best: tuple[tuple[int, int, int, int, str], str] | None = None
    for path in font_files_in(places):
        info = index.get(path)
        if info is None:
            info = index[path] = _cached_face(known.get(path), path) or read_face(path) or _NOT_A_FONT
        if family not in info.families:
            continue
        target = 700 if wanted.bold else 400
        lean = -info.weight if wanted.bold else info.weight  # ties: heavier for bold, lighter for regular
        score = (int(info.italic != wanted.italic), abs(info.width - 5), abs(info.weight - target), lean, path)
        if best is None or score < best[0]:
            best = (score, path)
    return None if best is None else best[1]


_NOT_A_FONT = FaceInfo((), 400, 5, False)


def read_face(path: str) -> FaceInfo | None:
    """What the font file says it is (its first face), or None when fontTools cannot read it."""
    from fontTools.ttLib import TTFont

    try:
        with open(path, "rb") as fh, TTFont(fh, lazy=True, fontNumber=0) as font:
            names = font["name"]
            families = []
            for name_id in (1, 16, 21):
                text = names.getDebugName(name_id)
                if text:
                    families.append(text[:MAX_NAME].casefold())
            os2 = font.get("OS/2")
            mac_style = font["head"].macStyle
            weight = os2.usWeightClass if os2 else (700 if mac_style & 1 else 400)
            width = os2.usWidthClass if os2 else 5
            italic = bool(os2.fsSelection & 0x201) if os2 else bool(mac_style & 2)
            face = FaceInfo(tuple(dict.fromkeys(families)), weight, width, italic)
    except Exception:  # fontTools raises many types for a broken file; it is then not a font we can use
        return None
    return face if face_problem(face) is None else None


def face_problem(face: FaceInfo) -> str | None:
    if not 1 <= face.weight <= 1000 or not 1 <= face.width <= 9:
        return "weight or width out of range"
    return None


def _cached_face(raw: object, stamp_path: str) -> FaceInfo | None:
    """A cached FaceInfo if the entry is well formed and the file has not changed since."""
    if not isinstance(raw, dict) or raw.get("stamp") != file_stamp(stamp_path):
        return None
    families, weight, width, italic = raw.get("families"), raw.get("weight"), raw.get("width"), raw.get("italic")
    if not isinstance(families, list) or len(families) > 3:
        return None
    if not all(isinstance(f, str) and len(f) <= MAX_NAME for f in families):
        return None
    if type(weight) is not int or type(width) is not int or type(italic) is not bool:
        return None
    face = FaceInfo(tuple(families), weight, width, italic)
    return face if face_problem(face) is None else None


def index_entry(index: Mapping[str, FaceInfo]) -> dict[str, object]:
    """The index as a cache entry (path → what the file says, with its stamp)."""
    faces = {
        path: {"stamp": file_stamp(path), **info._asdict(), "families": list(info.families)}
        for path, info in index.items()
    }
    return {"version": INDEX_VERSION, "faces": faces}


def known_faces(raw: object) -> Mapping[str, object]:
    """The cache entry's faces (each checked again when its path is found), or nothing."""
    if isinstance(raw, dict) and raw.get("version") == INDEX_VERSION and isinstance(raw.get("faces"), dict):
        faces = raw["faces"]
        assert isinstance(faces, dict)
        return faces
    return {}


def file_stamp(path: str) -> str:
    """Size and modification time: a cache entry about a file holds while they are the same."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"
