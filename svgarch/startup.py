"""Start-up tricks: how a short ``svgarch render`` process avoids paying for code it never runs.

A render is a short process (a docs build runs hundreds), so import and
garbage-collector costs are a large part of it. Every trick svgarch plays
to cut them lives here, each with what it saves, measured with
``benchmarks/bench_startup.py`` (the console command in fresh processes,
with and without the trick, alternated run by run; median of 21 runs on a
2-core machine at a load of about 4). CPU time (user + system, with the
programs a run starts) is the steadier figure; wall time is what a user
waits.

=================  ========================================  ================  ================
trick              ``svgarch render examples/cnn_v3.toml``   CPU with/without  wall with/without
=================  ========================================  ================  ================
import_cairosvg    ``-o x.png``                              370 / 390 ms      644 / 747 ms
tune_gc            ``-o x.svg``                              84 / 92 ms        169 / 183 ms
end_now            ``-o x.svg``                              69 / 75 ms        128 / 134 ms
=================  ========================================  ================  ================

On bigger diagrams ``tune_gc`` saves a few percent of CPU time: an
automatic layout of 1,000 blocks (a tree; median of 11) takes 291 ms with
it, 308 ms without; a grid of 1,024 blocks and 1,984 edges (median of 7,
at a load of 12) 1,970 and 2,040 ms.

Other start-up savings live where they apply: records are
svgarch.record's, not typing.NamedTuple's; ``render SPEC -o OUT`` is read
without argparse (svgarch.cli_args); a render imports neither the batch
module nor the PNG writer; fontconfig's answers (svgarch.fontconfig_memo),
font metrics (packed, svgarch.fonts) and bundled themes (told without
tinycss2, svgarch.css_tokens.PLAIN) come from the cache; the command line
builds only the parser of the command it runs and never imports shutil
(svgarch.cli_args), the API names load on first use (svgarch/__init__), a
batch imports its process pool only when it forks one (svgarch.batch),
and the SVG is built from svgarch's own small element class
(svgarch.render.markup) instead of svgwrite, whose 28 modules took
10 ms to import. Descriptions are read without tomllib, whose import
(with datetime, string and its patterns) took 5 ms, by a reader of the
part of TOML they use (svgarch.spec.plain_toml). No pattern is compiled
that a plain render does not search with, and a check a string method
makes exactly is made so (right-to-left text is told by ``max`` and a
loop past U+0590, svgarch.textorder: its pattern's Unicode ranges took
0.7 ms to compile; names, a cached theme's numbers, colours and file
names: svgarch.spec.names, svgarch.theme_checks, svgarch.css_tokens); the
other patterns are compiled on first use (the control characters of
svgarch.render.svg.clean and svgarch.spec.names.clean_text, a millisecond
for their Unicode range, only for a text that is not printable; the
stale temporary files' only for a folder with a hidden file; the
embedded fonts' form and the theme parser's own when they are used). No
annotation is a string that typing compiles (the first ``compile()`` of
a process builds Python's AST classes: 1.9 ms, svgarch.render.markup),
and ``threading`` is imported by nobody (``on_main_thread``: 0.6 ms). Nor
are ``typing`` (names used only in annotations are imported under
``TYPE_CHECKING = False``, and no ``typing.cast`` runs), ``pathlib`` with
``urllib.parse`` and ``ipaddress`` (a render's paths are strings written as
pathlib writes them, svgarch.files.path_text; commands, user theme files
and font searches import it), ``json`` (cache entries are read by json's
C scanner, svgarch.cache) and ``signal`` (its C module ``_signal``, without
the enum wrappers: svgarch.deadline, svgarch.files): together 11 ms of CPU
of a 67 ms CNN v3 render (56 ms after; valgrind's count 273.7M → 235.7M
instructions). A
cached font's advances are looked up as they are asked for, not made
into a dict of thousands (svgarch.fonts.Advances: 3 ms of a CNN v3
render); and the bundled themes are listed without glob and keyed without
JSON (svgarch.theme).

Nothing here changes what is drawn: only what is imported, when the
collector runs, and how the process ends. This module is in the shared bottom room of
docs/architecture.md: it imports nothing from svgarch.
"""

from __future__ import annotations

import sys
import types

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def import_cairosvg() -> Any:
    """Import cairosvg (and its parser and surface), skipping cairocffi's library search.

    cairocffi asks ``ctypes.util.find_library`` for three names, which runs
    ldconfig, gcc and ld as subprocesses before it falls back to opening
    ``libcairo.so.2`` (or the macOS/Windows names) by name anyway; a
    stand-in answering "not found" goes straight there (20 ms of CPU
    time, the programs' included, and 102 ms of wall time, of a CNN v3 PNG
    render). Raises ImportError
    or OSError when cairosvg or the cairo library is missing.
    """
    if "cairosvg" not in sys.modules:
        import ctypes.util

        real = ctypes.util.find_library
        ctypes.util.find_library = _not_found
        try:
            import cairosvg.parser
            import cairosvg.surface  # noqa: F401  (used through the package)
        finally:
            ctypes.util.find_library = real
    module: types.ModuleType = sys.modules["cairosvg"]
    return module


def _not_found(name: str) -> None:
    return None


def end_now(code: int) -> None:
    """End the process with ``code`` at once, when Python's own exit would only free memory.

    At exit Python clears every module and frees every object one by one: 5
    ms of CPU time of a 75 ms render, for memory the system takes back
    anyway. So when nothing else is left to do at exit, no ``atexit``
    function registered (a pool, coverage, a test runner register some) and
    no thread but this one running, the standard streams are flushed and the
    process ends through ``os._exit``. Otherwise this returns and Python
    exits as usual. Every output file is written, flushed, synced and
    closed before (svgarch.files). Only the console command calls this.
    """
    import atexit
    import os

    registered = getattr(atexit, "_ncallbacks", None)  # CPython's count of atexit functions
    if registered is None or registered() or _other_threads():
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # a stream gone or closed: let Python's exit deal with it
        return
    os._exit(code)


def _other_threads() -> bool:
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1


def on_main_thread() -> bool:
    """Whether this thread is the main one, as ``threading`` tells it, without importing threading when
    nothing did (signal handlers and masks are the main thread's: svgarch.deadline and svgarch.files ask).

    Imported now, threading would take the thread importing it for the main one, so it is not asked
    then (importing it cost 0.6 ms of every render); without it, this is the main thread when no thread
    was ever started (``_thread._count``: those started by ``_thread`` itself, and so by ``threading``).
    """
    threading = sys.modules.get("threading")
    if threading is None:
        import _thread

        return _thread._count() == 0
    return threading.current_thread() is threading.main_thread()


def tune_gc() -> None:
    """Make the garbage collector's sweeps rare, for a process that ends when its render does.

    Everything loaded so far lives until exit, so it is frozen out of the
    collector's sweeps. What a render builds is tuples and lists without
    cycles, freed by reference counting, so the sweeps are made rare too;
    they still run every 200,000 allocations, a net should something build
    cycles. Measured (CPU time, with / without): a CNN v3 render 84 / 92 ms,
    an automatic layout of 1,000 blocks (a tree) 291 / 308 ms, a grid of
    1,024 blocks 1,970 / 2,040 ms. Only the console command calls this: a
    library must not retune its host's collector.
    """
    import gc

    gc.freeze()
    gc.set_threshold(200_000, 100, 100)
