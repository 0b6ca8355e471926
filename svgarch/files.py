"""Writing outputs without ever losing what was on disk.

Every output is first rendered in memory, then written to a temporary file
in its target folder, then renamed into place: a failed render leaves the
old file byte-identical and no partial file behind.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import stat
import threading
from collections.abc import Sequence
from pathlib import Path

from svgarch.errors import RenderError

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".html": "html"}


def output_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise RenderError(f"{path}: unknown output suffix '{path.suffix}' (use {', '.join(FORMATS)})")
    return fmt


def check_target(path: Path) -> None:
    """Fail early, before rendering, if ``path`` cannot be written."""
    if path.is_dir():
        raise RenderError(f"{path}: is a directory, not an output file")
    output_format(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RenderError(f"{path}: output folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise RenderError(f"{path}: output folder {folder} is not writable")


def write_all(outputs: Sequence[tuple[Path, bytes]]) -> None:
    """Write every output atomically; all are staged before any is renamed.

    Ctrl-C, SIGTERM and SIGHUP are held back while this runs (in the main
    thread, where Python handles them, on POSIX): they act when it is done,
    so an interrupt never leaves some outputs new and others old. An
    interrupt that waited is raised as ``KeyboardInterrupt("every output was
    written")``.
    """
    if not _can_hold_signals():
        _write_all(outputs)
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        _write_all(outputs)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a held interrupt is raised here, chained
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # runs the handlers of held signals
    except KeyboardInterrupt:
        raise KeyboardInterrupt("every output was written") from None


_HELD = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}


def _can_hold_signals() -> bool:
    return hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()


def _write_all(outputs: Sequence[tuple[Path, bytes]]) -> None:
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in outputs:
            staged.append((_stage(path, data), path))
    except BaseException:
        for tmp, _ in staged:
            _remove(tmp)
        raise
    done: list[Path] = []
    for i, (tmp, path) in enumerate(staged):
        try:
            os.replace(tmp, path)
            done.append(path)
        except BaseException as exc:
            for rest, _ in staged[i:]:
                _remove(rest)
            if not isinstance(exc, OSError):
                raise
            updated = ", ".join(map(str, done)) or "none"
            raise RenderError(f"{path}: cannot write ({exc.strerror}); updated: {updated}") from None


_serial = itertools.count()


def _stage(path: Path, data: bytes) -> str:
    """Write ``data`` to a new hidden file beside ``path``; return its name."""
    folder = path.parent if str(path.parent) else Path(".")
    while True:
        tmp = str(folder / f".{path.name}.{os.getpid()}.{next(_serial)}.tmp")
        try:  # O_EXCL: never reuse a file; mode 0o666 minus the umask, like any new file
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise RenderError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        if hasattr(os, "fchmod"):  # replacing a file keeps its permissions (not on Windows before 3.13)
            with contextlib.suppress(OSError):
                os.fchmod(fd, stat.S_IMODE(os.stat(path).st_mode))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except OSError as exc:  # a full disk: say which output
        _remove(tmp)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
