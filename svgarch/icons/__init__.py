"""Icons on blocks: a bundled set by name, or the author's own SVG or PNG file.

``icon = "database"`` names a bundled icon (``svgarch icons`` lists them);
``icon = "art/db.svg"`` reads an SVG file through the sanitiser
(:mod:`svgarch.icons.sanitize`); ``icon = "art/db.png"`` embeds a PNG as a
data URI after checking it is one (signature, header, chunks) and small
(``MAX_PNG_BYTES``, ``MAX_PNG_SIDE``). A description's icon files must lie in
its own folder, as its CSS files must.
"""

from __future__ import annotations

import functools
import os
import stat
import struct
import zlib

from svgarch.errors import quoted
from svgarch.files import path_text
from svgarch.icons.bundled import ICONS, icon_source
from svgarch.icons.types import Icon, IconError, IconPart, RasterIcon, VectorIcon
from svgarch.model import ICON_POSITIONS as POSITIONS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from svgarch.files import StrPath

__all__ = ["POSITIONS", "Icon", "IconError", "IconPart", "RasterIcon", "VectorIcon", "icon_names", "load_icon"]

MAX_PNG_BYTES = 256 * 1024
MAX_PNG_SIDE = 2048  # px: a small file may still unpack to a huge image in every renderer
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_SVG_BYTES = 64 * 1024  # the sanitiser checks the same limit


def icon_names() -> list[str]:
    """The bundled icons' names, sorted."""
    return sorted(ICONS)


def is_file_reference(ref: str) -> bool:
    """Whether ``icon = ref`` names a file (by its suffix or a folder in it) rather than a bundled icon."""
    return ref.lower().endswith((".svg", ".png")) or "/" in ref or "\\" in ref or "." in ref


def load_icon(ref: str) -> Icon:
    """The icon ``ref`` names: a bundled name, or a path to an SVG or PNG file; :class:`IconError` otherwise."""
    if not is_file_reference(ref):
        if ref not in ICONS:
            raise IconError(f"unknown icon '{ref}'{_suggest(ref)}; `svgarch icons` lists them")
        return _bundled(ref)
    suffix = ref.lower().rsplit(".", 1)[-1] if "." in os.path.basename(ref) else ""
    if suffix not in ("svg", "png"):
        raise IconError(f"{quoted(ref)} is not an .svg or .png file")
    try:
        info = os.stat(ref)
    except OSError:
        raise IconError(f"no such icon file: {quoted(ref)}") from None
    if not stat.S_ISREG(info.st_mode):  # a pipe or a device could block or never end
        raise IconError(f"{quoted(ref)} is not a regular file")
    return _file(os.path.realpath(ref), info.st_size, info.st_mtime_ns, suffix, quoted(ref))


@functools.cache
def _bundled(name: str) -> VectorIcon:
    from svgarch.icons.sanitize import sanitize_svg

    return sanitize_svg(icon_source(name).encode(), f"bundled icon '{name}'")


@functools.lru_cache(maxsize=256)
def _file(real: str, size: int, mtime: int, suffix: str, name: str) -> Icon:
    """An icon file, read once per version (size and time are part of the key, so an edited file is read again)."""
    from svgarch.icons.sanitize import sanitize_svg

    limit = MAX_SVG_BYTES if suffix == "svg" else MAX_PNG_BYTES
    if size > limit:
        raise IconError(f"{name}: is larger than {limit // 1024} KiB, the limit for an {suffix.upper()} icon")
    try:
        with open(real, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise IconError(f"{name}: cannot be read: {exc.strerror}") from None
    if len(data) > limit:
        raise IconError(f"{name}: is larger than {limit // 1024} KiB, the limit for an {suffix.upper()} icon")
    return sanitize_svg(data, name) if suffix == "svg" else read_png(data, name)


def read_png(data: bytes, name: str) -> RasterIcon:
    """A PNG checked chunk by chunk (signature, header first, lengths and CRCs, an end) as a data URI."""
    if not data.startswith(PNG_SIGNATURE):
        raise IconError(f"{name}: is not a PNG file (its first bytes are not a PNG signature)")
    at, chunks, width, height = len(PNG_SIGNATURE), 0, 0, 0
    while True:
        if at + 12 > len(data):
            raise IconError(f"{name}: is a broken PNG (it ends inside a chunk, before IEND)")
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        if len(body) != length or at + 12 + length > len(data):
            raise IconError(f"{name}: is a broken PNG (a chunk runs past the end)")
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise IconError(f"{name}: is a broken PNG (a chunk's checksum is wrong)")
        if chunks == 0:
            if kind != b"IHDR" or length != 13:
                raise IconError(f"{name}: is a broken PNG (it does not start with its header)")
            width, height = struct.unpack(">II", body[:8])
            if not (0 < width <= MAX_PNG_SIDE and 0 < height <= MAX_PNG_SIDE):
                raise IconError(f"{name}: is {width} × {height} px; an icon may be at most {MAX_PNG_SIDE} px a side")
        chunks += 1
        at += 12 + length
        if kind == b"IEND":
            break
    import base64  # here: only a diagram with a raster icon needs it

    return RasterIcon(width, height, "data:image/png;base64," + base64.b64encode(data[:at]).decode("ascii"))


def _suggest(word: str) -> str:
    import difflib

    close = difflib.get_close_matches(word, icon_names(), n=3, cutoff=0.6) if len(word) <= 100 else []
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def icon_path(ref: str, base: StrPath) -> str:
    """``ref`` as a path relative to the description's folder ``base`` (a bundled name stays as it is)."""
    return path_text(os.path.join(base, ref)) if is_file_reference(ref) else ref
