"""A small on-disk cache of JSON files (parsed themes, fontconfig's answers) and packed font metrics.

The cache is untrusted input: its folder may be shared, or written by
someone else. So an entry is read only when it is a regular file (never
through a symlink, never a pipe or a device) of at most ``MAX_ENTRY_BYTES``,
holding strict JSON (no ``NaN``/``Infinity``); anything else reads as a
miss. Callers check what an
entry says (shape, types, ranges) before they believe it, and a wrong entry
is a miss too: it only ever costs time.

Entries are written privately (mode 0600, in a folder made 0700 when we
create it) and atomically: to a hidden temporary file named with our pid,
flushed to disk, then renamed into place. A cache that cannot be read or
written is simply not used. ``$SVGARCH_CACHE_DIR`` picks the folder
(default ``$XDG_CACHE_HOME/svgarch``, else ``~/.cache/svgarch``).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from svgarch.files import StrPath

MAX_ENTRY_BYTES = 4 * 1024 * 1024  # the largest real entry (a CJK font's metrics) is ~1 MiB
TEMP_PREFIX = ".tmp-"
_TEMP = r"\.tmp-(?P<pid>[0-9]{1,10})-[0-9a-f]{8}\.(json|bin)"  # what write_entry stages (compiled on a miss)


def cache_dir() -> str | None:
    """Where entries are cached, or None when no folder is writable."""
    root = os.environ.get("SVGARCH_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    base = root or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "svgarch") if not os.environ.get("SVGARCH_CACHE_DIR") else base
    try:
        if not os.path.isdir(folder):
            os.makedirs(folder, mode=0o700, exist_ok=True)  # private: only the leaf is ours to decide
    except (OSError, ValueError):
        return None
    return folder if os.access(folder, os.W_OK) else None


def read_json(folder: StrPath | None, name: str) -> object:
    """The entry ``name``, or None when it is missing, unreadable or not strict, small JSON."""
    return decode(read_entry(folder, name))


def read_entry(folder: StrPath | None, name: str) -> bytes | None:
    """The bytes of entry ``name`` (a small regular file), or None. A caller that memoises what it makes
    of an entry keys the memo by these bytes, so an entry changed in any way is read and checked again."""
    return None if folder is None else _read_small_file(os.path.join(folder, name))


def decode(raw: bytes | None) -> object:
    """An entry's bytes as strict JSON, or None when they are not."""
    if raw is None:
        return None
    try:  # deep nesting raises RecursionError from json's C scanner, cleanly
        text = raw.decode("utf-8")
        if _scan is None:  # another Python
            import json

            return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        value, end = _scan(text, 0)
    except (ValueError, RecursionError, StopIteration):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    return value if end == len(text) else None  # what write_json writes: no space around the value


def write_json(folder: StrPath | None, name: str, data: Mapping[str, object]) -> bytes | None:
    """Write the entry ``name`` atomically and privately, and return its bytes; failures are ignored
    (None)."""
    if folder is None:
        return None
    import json  # only on a miss

    try:
        text = json.dumps(dict(data), allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return None  # not JSON: a caller's mistake must not break a render for the sake of a cache
    return write_entry(folder, name, text.encode("utf-8"))


def write_entry(folder: StrPath | None, name: str, raw: bytes) -> bytes | None:
    """Write the bytes of entry ``name`` atomically and privately, and return them; failures are ignored
    (None)."""
    if folder is None or len(raw) > MAX_ENTRY_BYTES:
        return None  # it would read as a miss anyway
    from svgarch import files  # only on a cache miss

    files.remove_stale_temps(folder, _TEMP)
    tmp = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}{os.path.splitext(name)[1]}")
    try:
        # O_EXCL|O_NOFOLLOW: never write through a file or link someone put there; 0600: ours only
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return None  # a cache that cannot be written only costs time
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())  # a crash after the rename must not leave an empty entry
        os.replace(tmp, os.path.join(folder, name))
    except OSError:
        files.remove_quietly(tmp)
        return None
    return raw


def _read_small_file(path: str) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of at most MAX_ENTRY_BYTES, else None."""
    # O_NONBLOCK: opening a FIFO planted under an entry's name must not wait for a writer
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(MAX_ENTRY_BYTES + 1)  # the file may grow after fstat
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= MAX_ENTRY_BYTES else None


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if value - value != 0:  # 1e999 reads as inf; inf - inf is nan
        raise ValueError(f"{text[:20]} is not a finite number")
    return value


class _StrictJson:
    """What json's C scanner asks of a decoder: strict JSON whose numbers are finite, no NaN or Infinity."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_int = int
    parse_float = staticmethod(_finite_float)
    parse_constant = staticmethod(_refuse_constant)


try:  # json's own C scanner, read without importing json (its decoder compiles patterns: 1.5 ms a render)
    from _json import make_scanner

    _scan: Callable[[str, int], tuple[object, int]] | None = make_scanner(_StrictJson())  # type: ignore[arg-type]
except ImportError:  # another Python: decode imports json
    _scan = None
