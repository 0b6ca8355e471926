"""Writing outputs without ever losing what was on disk, and the file rules around it.

Every output is first rendered in memory, then written to a temporary file
in its target folder, flushed to disk, then renamed into place (and the
folder flushed): a failed render leaves the old file byte-identical and no
partial file behind. A temporary file is named ``.<output>.<pid>.<n>.tmp``,
so a later run can tell that the process which made it is dead (killed
between its writes and its renames) and remove it.

An output that is a symlink is replaced by the new file: svgarch never writes
through a link, so a link planted where an output goes cannot redirect the
write onto another file. A replaced regular file keeps its permissions, less
world-write and the set-id bits; anything else gets the umask's default.

A description may name theme and CSS files only inside its own folder or
among the bundled themes (``outside_folder``); the command line and the
Python API may name any file. File names in messages go through
``errors.quoted``, so a name with a line break still prints on one line.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import stat
import time
from collections.abc import Iterable, Sequence

from svgarch.errors import RenderError, quoted
from svgarch.startup import on_main_thread

TYPE_CHECKING = False
if TYPE_CHECKING:
    import signal

    StrPath = str | os.PathLike[str]  # a file name: pathlib's import is left to the code that uses it (4 ms)
else:
    try:  # as svgarch.deadline: the C module's masks hold ints, the same signals
        import _signal as signal
    except ImportError:  # another Python
        import signal

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".html": "html"}


# a temporary output: .<name>.<pid>.<serial>.tmp, only for the suffixes svgarch writes
_OUTPUT_TEMP = r"(?i)\..+\.(?:svg|png|pdf|html)\.(?P<pid>[0-9]{1,10})\.[0-9]{1,20}\.tmp"
STALE_AFTER = 60.0  # seconds: a live writer renames its temporary files within moments


def outside_folder(
    path: str,
    folder: StrPath,
    also: Sequence[StrPath] = (),
    hint: str = " (name it with --theme or --css on the command line to use it)",
) -> str | None:
    """Why a description may not read ``path``, or None when it resolves (through links) into ``folder`` or ``also``.

    A description comes from anyone; the files it names must not lead svgarch
    out of its folder (``css = "x.css"`` linked to a file of the user's).
    """
    from pathlib import Path  # only for a description that names files

    real = Path(os.path.realpath(path))
    for root in (folder, *also):
        if real.is_relative_to(os.path.realpath(root or ".")):
            return None
    where = quoted(os.path.realpath(folder or "."))
    return f"{quoted(path)} resolves to {quoted(real)}, outside the description's folder {where}{hint}"


def path_text(path: StrPath) -> str:
    """``str(Path(path))``: the name as pathlib writes it (no empty or "." parts), without importing
    pathlib where a render need not (4 ms of a 60 ms process). Elsewhere than on POSIX, pathlib's own."""
    text = os.fspath(path)
    if os.name != "posix":
        from pathlib import Path

        return str(Path(text))
    root = ""
    if text.startswith("/"):  # POSIX keeps two leading slashes (their meaning is the system's), not three
        rest = text.lstrip("/")
        root, text = ("//" if len(text) - len(rest) == 2 else "/"), rest
    return root + "/".join(part for part in text.split("/") if part and part != ".") or "."


def parent_text(path: StrPath) -> str:
    """``str(Path(path).parent)``, as ``path_text`` writes it."""
    return path_text(os.path.dirname(path_text(path)))


def with_suffix(name: str, suffix: str) -> str:
    """``str(Path(name).with_suffix(suffix))`` for a name ``path_text`` wrote."""
    return name[: len(name) - len(_suffix(name))] + suffix


def output_format(path: StrPath) -> str:
    suffix = _suffix(os.fspath(path))
    fmt = FORMATS.get(suffix.lower())
    if fmt is None:
        raise RenderError(f"{quoted(path)}: unknown output suffix {suffix!r} (use {', '.join(FORMATS)})")
    return fmt


def _suffix(path: str) -> str:
    """What ``Path(path).suffix`` is: the last name's ending from its last dot, unless that dot begins it."""
    name = os.path.basename(path.rstrip(os.sep) if path.strip(os.sep) else path)
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def check_target(path: StrPath) -> None:
    """Fail early, before rendering, if ``path`` cannot be written."""
    if os.path.isdir(path):
        raise RenderError(f"{quoted(path)}: is a directory, not an output file")
    output_format(path)
    folder = _folder(path)
    if not os.path.isdir(folder):
        raise RenderError(f"{quoted(path)}: output folder {quoted(folder)} does not exist")
    if not os.access(folder, os.W_OK):
        raise RenderError(f"{quoted(path)}: output folder {quoted(folder)} is not writable")


def write_all(outputs: Sequence[tuple[StrPath, bytes]], *, sync_folders: bool = True) -> None:
    """Write every output atomically; all are staged before any is renamed.

    Each output is flushed to disk before its rename (so it is whole or old after a crash), then its
    folder is flushed so the renames last; a batch passes ``sync_folders=False`` and flushes each
    folder once, after its last output (``sync_folders``), instead of once per description.

    Ctrl-C, SIGTERM and SIGHUP are held back while this runs (in the main
    thread, where Python handles them, on POSIX): they act when it is done,
    so an interrupt never leaves some outputs new and others old. An
    interrupt that waited is raised as ``KeyboardInterrupt("every output was
    written")``.
    """
    if not _can_hold_signals():
        _write_all(outputs, sync_folders)
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        _write_all(outputs, sync_folders)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a held interrupt is raised here, chained
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # runs the handlers of held signals
    except KeyboardInterrupt:
        raise KeyboardInterrupt("every output was written") from None


_HELD = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}


def _can_hold_signals() -> bool:
    return hasattr(signal, "pthread_sigmask") and on_main_thread()


def _write_all(outputs: Sequence[tuple[StrPath, bytes]], sync: bool) -> None:
    folders = list(dict.fromkeys(_folder(path) for path, _ in outputs))
    for folder in folders:
        remove_stale_temps(folder, _OUTPUT_TEMP)
    staged: list[tuple[str, StrPath]] = []
    try:
        for path, data in outputs:
            staged.append((_stage(path, data), path))
    except BaseException:
        for tmp, _ in staged:
            remove_quietly(tmp)
        raise
    done: list[StrPath] = []
    for i, (tmp, path) in enumerate(staged):
        try:
            os.replace(tmp, path)
            done.append(path)
        except BaseException as exc:
            for rest, _ in staged[i:]:
                remove_quietly(rest)
            if not isinstance(exc, OSError):
                raise
            updated = ", ".join(map(quoted, done)) or "none"
            raise RenderError(f"{quoted(path)}: cannot write ({exc.strerror}); updated: {updated}") from None
    if sync:
        sync_folders(folders)


def sync_folders(folders: Iterable[StrPath]) -> None:
    """Flush each folder's entries once (the renames of outputs written with ``sync_folders=False``)."""
    for folder in dict.fromkeys(folders):
        _sync_folder(folder)


_serial = itertools.count()


def _folder(path: StrPath) -> str:
    """The folder ``path`` is in (``Path(path).parent``, with "." for a bare name)."""
    name = os.fspath(path)
    head = os.path.dirname(name.rstrip(os.sep)) if name.strip(os.sep) else name
    return head or "."


def _stage(path: StrPath, data: bytes) -> str:
    """Write ``data`` to a new hidden file beside ``path``, flushed to disk; return its name."""
    while True:
        name = os.path.basename(os.fspath(path).rstrip(os.sep))
        tmp = os.path.join(_folder(path), f".{name}.{os.getpid()}.{next(_serial)}.tmp")
        try:  # O_EXCL: never reuse a file; mode 0o666 minus the umask, like any new file
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise RenderError(f"{quoted(path)}: cannot write ({exc.strerror})") from None
    try:
        mode = _kept_mode(path)
        if mode is not None and hasattr(os, "fchmod"):  # not on Windows before 3.13
            with contextlib.suppress(OSError):
                os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())  # on disk before the rename makes it the output
    except OSError as exc:  # a full disk: say which output
        remove_quietly(tmp)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        remove_quietly(tmp)
        raise
    return tmp


def _kept_mode(path: StrPath) -> int | None:
    """The permissions a replaced output keeps: a regular file's, never world-writable or set-id; else None."""
    try:
        info = os.lstat(path)  # a symlink's target is not the file being replaced
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return stat.S_IMODE(info.st_mode) & 0o775


def _sync_folder(folder: StrPath) -> None:
    """Flush a folder's entries, so the renames survive a crash (POSIX; elsewhere a no-op)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the files themselves are on disk
    finally:
        os.close(fd)


def remove_stale_temps(folder: StrPath, pattern: str) -> None:
    """Remove the hidden temporary files ``pattern`` matches (its group ``pid`` the writer's) left by dead
    processes.

    A process killed between writing and renaming (SIGKILL, a power cut)
    leaves its hidden temporary files. One is removed only when its writer
    is not running and it has not changed for STALE_AFTER seconds (a pid
    can be reused, or belong to another machine sharing the folder). The
    pattern is compiled only when the folder holds a hidden file (re's
    cache keeps it).
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        found = re.fullmatch(pattern, entry.name) if entry.name.startswith(".") else None
        if found is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_AFTER and not _alive(int(found["pid"])):
            remove_quietly(entry.path)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (on this machine); unknown counts as alive."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # os.kill would terminate it on Windows; age alone is not enough to be sure
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # EPERM: someone else's process
    return True


def remove_quietly(path: StrPath) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


class NotRegularFile(Exception):
    """A FIFO, a device, a socket or a directory where a file was expected."""


class FileTooLarge(Exception):
    """A file larger than its limit."""


def read_regular(path: StrPath, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the regular file ``path`` (more than ``limit``: it grew while read).

    The file is opened non-blocking and looked at through its descriptor, so a FIFO or a device cannot
    make the read wait, even one swapped in after a look at the path; NotRegularFile says it is one,
    FileTooLarge that it is larger than ``limit``.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(str(path))
        if info.st_size > limit:  # a 2 GB file is not read to learn that
            raise FileTooLarge(str(path))
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
