"""The command line: ``svgarch render SPEC [-o OUT]...``.

Every error svgarch expects ends as one line per problem on stderr and exit
status 2; no traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import signal
import sys
import threading
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from svgarch.errors import SpecError, SvgarchError, quoted

EXIT_BAD_INPUT = 2
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE
DEFAULT_TIMEOUT = 60.0  # seconds; a layout that takes longer is refused, not waited for
MAX_TIMEOUT = 86_400.0  # a day: past it, give 0 (never)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="svgarch", description="Architecture diagrams as code → SVG, PNG, PDF.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render", help="render a description to SVG/PNG/PDF")
    r.add_argument("spec", help="description file (.toml, .json, .yaml)")
    r.add_argument(
        "-o",
        "--output",
        action="append",
        default=[],
        metavar="OUT",
        help="output file; the suffix picks the format (repeatable; default: SPEC with .svg)",
    )
    r.add_argument("--theme", help="a bundled theme name or a .css file")
    r.add_argument("--css", action="append", default=[], metavar="FILE", help="extra CSS applied after the theme")
    r.add_argument("--dpi", type=float, default=180.0, help="PNG/PDF resolution (default 180)")
    _add_timeout(r)
    r.add_argument(
        "--inline",
        action="store_true",
        help="print the SVG as a snippet to paste into HTML or Markdown (no XML declaration) on stdout",
    )
    r.add_argument(
        "--embed-font",
        action="store_true",
        help="embed subsets of the measured fonts (WOFF2 @font-face) so browsers without them fit the text",
    )
    g = sub.add_parser("gallery", help="render a description in every bundled theme, side by side")
    g.add_argument("spec", help="description file (.toml, .json, .yaml)")
    g.add_argument("-o", "--output", action="append", default=[], metavar="OUT", help="output file (.png or .svg)")
    g.add_argument("--themes", help="comma-separated themes (default: every bundled theme)")
    g.add_argument("--dpi", type=float, default=90.0, help="PNG resolution (default 90)")
    _add_timeout(g)
    c = sub.add_parser("check", help="measure layout quality; exit 1 on any defect")
    c.add_argument("specs", nargs="+", metavar="SPEC_OR_SVG", help="description files, or SVGs svgarch wrote")
    c.add_argument("--theme", help="a bundled theme name or a .css file")
    _add_timeout(c)
    sub.add_parser("themes", help="list the bundled themes")
    sub.add_parser("schema", help="print the JSON Schema of the description format (for editors)")
    return p


def _add_timeout(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up (writing nothing) after this long (default {DEFAULT_TIMEOUT:g}; 0: never)",
    )


def _check_options(args: argparse.Namespace) -> None:
    """Option values argparse lets through: a float may be nan, inf or 1e300."""
    timeout = getattr(args, "timeout", 0.0)
    if not (math.isfinite(timeout) and 0 <= timeout <= MAX_TIMEOUT):
        raise SvgarchError(f"--timeout must be a number of seconds from 0 (never) to {MAX_TIMEOUT:g}, not {timeout:g}")
    if hasattr(args, "dpi"):
        from svgarch.pipeline import dpi_problem

        if problem := dpi_problem(args.dpi):
            raise SvgarchError(f"--dpi {problem}")


def main(argv: Sequence[str] | None = None) -> int:
    interrupts: list[BaseException] = []
    previous = sys.unraisablehook
    sys.unraisablehook = _keep_interrupts(interrupts, previous)
    try:
        code = _main(argv)
    except KeyboardInterrupt:  # before the command began (reading its arguments)
        print("svgarch: interrupted; no file was changed", file=sys.stderr)
        code = 130
    finally:
        sys.unraisablehook = previous
    if interrupts and code != 130:  # a Ctrl-C that could not be raised: the render went on, or failed of it
        done = "every output was written" if code == 0 else "no file was changed"
        print(f"svgarch: interrupted; {done}", file=sys.stderr)
        return 130
    return code


def _keep_interrupts(interrupts: list[BaseException], previous: Callable[[Any], object]) -> Callable[[Any], None]:
    """A Ctrl-C that lands in a C callback (cairo writing a PDF, a cffi
    finalizer) cannot be raised: Python prints it as "Exception ignored" with
    a traceback. Keep it quiet, and say afterwards that it happened. So too
    a MemoryError in a finalizer: the one raised in the render says it."""

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            interrupts.append(unraisable.exc_value)
        elif not isinstance(unraisable.exc_value, MemoryError):
            previous(unraisable)

    return hook


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        _check_options(args)
        if args.command == "themes":
            from svgarch.theme import available_themes

            print("\n".join(available_themes()))
            return 0
        if args.command == "schema":
            from svgarch.spec.jsonschema import json_schema_text

            sys.stdout.write(json_schema_text())
            return 0
        with Deadline(args.timeout) as deadline:
            if args.command == "check":
                return _check(args)
            if args.command == "gallery":
                return _gallery(args, deadline)
            return _render(args, deadline)
    except TimeUp:
        print(f"svgarch: gave up after {args.timeout:g} s (--timeout); no file was changed", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SpecError as exc:
        for problem in exc.problems:
            print(f"svgarch: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SvgarchError as exc:
        print(f"svgarch: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as exc:  # nothing is written before the last step, which finishes first
        print(f"svgarch: interrupted; {str(exc) or 'no file was changed'}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of stdout went away (``svgarch check … | head``): stop quietly
        return _stdout_gone()
    except OSError as exc:  # the machine, not the description: a full disk, a read-only folder
        where = f"{quoted(exc.filename)}: " if exc.filename else ""
        print(f"svgarch: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except MemoryError:
        limit = f"the limit of {_memory_cap[0]} MB (SVGARCH_MEMORY_MB sets another)" if _memory_cap else "this machine"
        print(f"svgarch: out of memory: the diagram needs more than {limit}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug: one line that says where, not a traceback (SVGARCH_DEBUG=1 for that)
        if os.environ.get("SVGARCH_DEBUG"):
            raise
        import traceback

        frame = traceback.extract_tb(exc.__traceback__)[-1]
        text = " ".join(str(exc).split())[:200]
        print(
            f"svgarch: internal error at {Path(frame.filename).name}:{frame.lineno}: {type(exc).__name__}: {text}"
            " (a bug in svgarch: please report it; SVGARCH_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL_ERROR


def _stdout_gone() -> int:
    """Point stdout at /dev/null, so that Python's flush at exit does not fail again (with a message),
    and return 128 + SIGPIPE, what a shell reports for a command a closed pipe stopped."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # a stdout with no file (a test's capture)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return 128 + 13


def _render(args: argparse.Namespace, deadline: Deadline) -> int:
    from svgarch import pipeline
    from svgarch.spec import load_model

    spec = Path(args.spec)
    model = load_model(spec)
    model = pipeline.with_overrides(model, args.theme, tuple(args.css))
    outputs = [Path(o) for o in args.output] or ([] if args.inline else [spec.with_suffix(".svg")])
    notes: list[str] = []
    svg = pipeline.render_files(
        model, outputs, args.dpi, embed_font=args.embed_font, notes=notes, before_write=deadline.writing
    )
    for note in notes:
        print(f"svgarch: {note}", file=sys.stderr)
    if args.inline:
        sys.stdout.write(svg)
    return 0


class TimeUp(BaseException):
    """The time limit passed. A BaseException, so no ``except Exception`` on the way can swallow it."""


class Deadline:
    """One time limit for a command (a description from someone else can ask for a layout that takes
    hours): SIGALRM raises :class:`TimeUp` in the main thread until :meth:`writing` says the outputs are
    being written; from then on the command finishes, so nothing is ever half written. The alarm repeats
    every quarter second after the deadline, in case C code or a cleanup swallowed one.

    Without SIGALRM (Windows, or a thread other than the main one) there is no limit.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = bool(seconds) and hasattr(signal, "setitimer")
        self.armed = self.armed and threading.current_thread() is threading.main_thread()
        self.previous: Any = None
        self.writing_now = False

    def __enter__(self) -> Deadline:
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds, 0.25)
        return self

    def writing(self) -> None:
        """The outputs are about to be written: the limit no longer applies."""
        self.writing_now = True  # first: an alarm already on its way now returns quietly
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _expire(self, _signum: int, _frame: types.FrameType | None) -> None:
        if not self.writing_now:
            raise TimeUp

    def __exit__(self, *_exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


def _gallery(args: argparse.Namespace, deadline: Deadline) -> int:
    from svgarch import pipeline
    from svgarch.files import check_target, output_format, write_all
    from svgarch.render.gallery import gallery_svg
    from svgarch.spec import load_model
    from svgarch.theme import available_themes

    spec = Path(args.spec)
    themes = args.themes.split(",") if args.themes else available_themes()
    outputs = [Path(o) for o in args.output] or [spec.with_name(f"{spec.stem}.gallery.png")]
    for path in outputs:
        check_target(path)
        if output_format(path) not in ("png", "svg"):
            raise SvgarchError(f"{quoted(path)}: a gallery is written as .png or .svg")
    svg = gallery_svg(load_model(spec), themes)
    encoded = [(path, pipeline.encode(svg, output_format(path), args.dpi)) for path in outputs]
    deadline.writing()
    write_all(encoded)
    return 0


def _check(args: argparse.Namespace) -> int:
    from svgarch import pipeline
    from svgarch.check import check_scene
    from svgarch.spec import load_model

    status = 0
    for spec in args.specs:
        if spec.lower().endswith(".svg"):
            from svgarch.read_svg import read_scene

            scene = read_scene(Path(spec))
        else:
            scene, _ = pipeline.build_scene(pipeline.with_overrides(load_model(spec), args.theme))
        report = check_scene(scene)
        lines = report.lines()
        print(f"{quoted(spec)}: {lines[0]}")
        print("\n".join(lines[1:]))
        print("  clean" if report.clean else "  NOT CLEAN")
        status = status or (0 if report.clean else 1)
    return status


def run() -> int:
    """The console command: ``main`` in a process that ends when it returns.

    Everything loaded so far lives until exit, so it is frozen out of the
    garbage collector's sweeps (a tenth of a small render otherwise). What
    a render builds is tuples and lists without cycles, freed by reference
    counting, so the collector's sweeps are made rare too: at 1,000 blocks
    they took 15 % of the time and at 3,000 a quarter, and peak memory is
    the same with them (measured). They still run every 200,000 allocations,
    a net should something build cycles.
    """
    import gc

    gc.freeze()
    gc.set_threshold(200_000, 100, 100)
    limit_memory()
    code = main()
    try:  # here, not at exit, where a reader that went away would make Python print "Broken pipe"
        sys.stdout.flush()
    except BrokenPipeError:
        return _stdout_gone()
    return code


MEMORY_LIMIT_MB = 1024  # heap of one command; a PNG at its size limit takes 300 MB, 5,000 grid blocks 140 MB
_memory_cap: list[int] = []  # the cap in MB set by limit_memory, for the message


def limit_memory() -> None:
    """Cap the heap of this process (RLIMIT_DATA), so that a description that would need more
    (thousands of long edges across thousands of ranks) ends in MemoryError, reported as exit 2,
    instead of taking the machine's memory or being killed. ``SVGARCH_MEMORY_MB`` sets another
    cap (0: none). Only the console command does this: it changes the whole process."""
    try:
        import resource
    except ImportError:  # Windows
        return
    try:
        megabytes = int(os.environ.get("SVGARCH_MEMORY_MB", MEMORY_LIMIT_MB))
    except ValueError:
        megabytes = MEMORY_LIMIT_MB
    if megabytes <= 0:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft == resource.RLIM_INFINITY or soft > cap:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
            _memory_cap[:] = [cap // (1024 * 1024)]


if __name__ == "__main__":
    sys.exit(run())
