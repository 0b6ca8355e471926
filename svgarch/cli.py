"""The command line: ``svgarch render SPEC [-o OUT]...``.

Every error svgarch expects ends as one line per problem on stderr and exit
status 2; no traceback.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Callable, Sequence

from svgarch.cli_args import DEFAULT_TIMEOUT, GALLERY_DPI, RENDER_DPI, parse_words
from svgarch.deadline import Deadline, TimeUp
from svgarch.errors import SpecError, SvgarchError, quoted

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from pathlib import Path
    from typing import Any

__all__ = ["DEFAULT_TIMEOUT", "EXIT_BAD_INPUT", "GALLERY_DPI", "RENDER_DPI", "main", "run"]

EXIT_BAD_INPUT = 2
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE
MAX_TIMEOUT = 86_400.0  # a day: past it, give 0 (never)


def _check_options(args: argparse.Namespace) -> None:
    """Option values argparse lets through: a float may be nan, inf or 1e300."""
    timeout = getattr(args, "timeout", 0.0)
    if not (math.isfinite(timeout) and 0 <= timeout <= MAX_TIMEOUT):
        raise SvgarchError(f"--timeout must be a number of seconds from 0 (never) to {MAX_TIMEOUT:g}, not {timeout:g}")
    if getattr(args, "dpi", RENDER_DPI) not in (RENDER_DPI, GALLERY_DPI):  # the defaults are sound (a test says so):
        from svgarch.render.raster import dpi_problem  # an SVG render need not import the PNG writer

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
    words = sys.argv[1:] if argv is None else list(argv)
    args = parse_words(words)
    try:
        _check_options(args)
        if args.command == "themes":
            return _themes()
        if args.command == "icons":
            return _icons(args)
        if args.command == "schema":
            from svgarch.spec.jsonschema import json_schema_text

            sys.stdout.write(json_schema_text())
            return 0
        if args.command == "import":
            return _import(args)
        if args.command == "watch":
            from svgarch.watch import watch_command

            return watch_command(args.specs, args.theme, args.css, args.port)
        if args.command == "render" and _is_batch(args):
            return _render_batch(args)  # the time limit is each description's, in the process drawing it
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
            f"svgarch: internal error at {os.path.basename(frame.filename)}:{frame.lineno}:"
            f" {type(exc).__name__}: {text}"
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


def _is_batch(args: argparse.Namespace) -> bool:
    one = not (args.out_dir or args.format or len(args.spec) != 1 or "-" in (*args.spec, *args.output))
    if one and os.path.isfile(args.spec[0]):  # one existing file: what batch.is_batch answers False for
        return False
    from svgarch import batch

    return batch.is_batch(args.spec, args.out_dir, args.format) or batch.STDIN in (*args.spec, *args.output)


def _render_batch(args: argparse.Namespace) -> int:
    from svgarch import batch

    if args.id is not None:
        raise SvgarchError("--id names one diagram: render one description with it")
    if args.jobs < 0:
        raise SvgarchError(f"--jobs must be 0 (one per core, and one more) or more, not {args.jobs}")
    options = batch.Options(args.theme, tuple(args.css), args.dpi, args.embed_font, args.syntax, args.timeout)
    return batch.render_command(
        args.spec,
        args.output,
        args.out_dir,
        args.format,
        options,
        workers=args.jobs,
        force=args.force,
        quiet=args.quiet,
        inline=args.inline,
    )


def _render(args: argparse.Namespace, deadline: Deadline) -> int:
    import warnings

    from svgarch import pipeline
    from svgarch.errors import MissingGlyphWarning
    from svgarch.files import path_text, with_suffix
    from svgarch.spec import load_model

    spec = path_text(args.spec[0])  # names as pathlib writes them, without its import (4 ms)
    model = load_model(spec)
    model = pipeline.with_overrides(model, args.theme, tuple(args.css))
    if args.id is not None:
        from svgarch.spec.names import id_problem

        if problem := id_problem(args.id):
            raise SvgarchError(f"--id: {problem}")
        model = model._replace(id=args.id)
    outputs = [path_text(o) for o in args.output] or ([] if args.inline else [with_suffix(spec, ".svg")])
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:  # one line each on stderr, not Python's two
        warnings.simplefilter("always", MissingGlyphWarning)
        svg = pipeline.render_files(
            model, outputs, args.dpi, embed_font=args.embed_font, notes=notes, before_write=deadline.writing
        )
    for warning in caught:
        if issubclass(warning.category, MissingGlyphWarning):
            print(f"svgarch: warning: {warning.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    for note in notes if args.verbose else ():
        print(f"svgarch: {note}", file=sys.stderr)
    if args.inline:
        sys.stdout.write(svg)
    return 0


def _themes() -> int:
    """Each bundled theme and what it is for: the first sentence of the comment its file opens with."""
    from svgarch.theme import available_themes, styles_dir

    names = available_themes()
    width = max(map(len, names))
    for name in names:
        print(f"{name:{width}}  {theme_purpose((styles_dir() / f'{name}.css').read_text(encoding='utf-8'), name)}")
    return 0


def theme_purpose(css: str, name: str) -> str:
    """The first sentence of the comment opening a theme's ``css``, less its leading ``name:``."""
    import re

    import tinycss2

    first = next(iter(tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True)), None)
    if first is None or first.type != "comment":
        return ""
    text = " ".join(line.strip().lstrip("*").strip() for line in first.value.splitlines()).strip()
    text = text.removeprefix(f"{name}:").strip()
    end = re.search(r"\.(\s|$)", text)
    return text[: end.start() + 1] if end else text


def _gallery(args: argparse.Namespace, deadline: Deadline) -> int:
    from pathlib import Path

    from svgarch import pipeline
    from svgarch.files import check_target, output_format, write_all
    from svgarch.gallery import gallery_svg
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


def _icons(args: argparse.Namespace) -> int:
    from pathlib import Path

    from svgarch.icons import icon_names

    if not args.output:
        print("\n".join(icon_names()))
        return 0
    from svgarch import pipeline
    from svgarch.files import check_target, output_format, write_all
    from svgarch.icons.sheet import icon_sheet

    outputs = [Path(o) for o in args.output]
    for path in outputs:
        check_target(path)
        if output_format(path) == "html":
            raise SvgarchError(f"{path}: the icon sheet is written as .svg, .png or .pdf")
    model = pipeline.with_overrides(icon_sheet(), args.theme)
    svg = pipeline.render_svg(model)
    write_all([(path, pipeline.encode(svg, output_format(path), args.dpi)) for path in outputs])
    return 0


def _import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from svgarch.files import write_all
    from svgarch.onnx_import import Options, description_text, import_model
    from svgarch.spec import model_from_raw

    out = args.output
    suffix = Path(out).suffix.lower()
    syntax = {".toml": "toml", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}.get(
        suffix, "toml" if out == "-" else ""
    )
    if not syntax:
        raise SvgarchError(f"{out}: a description is written as .toml, .yaml, .yml or .json")
    options = Options(
        depth=args.depth,
        expand=tuple(args.expand),
        collapse=tuple(args.collapse),
        labels=args.labels,
        style=args.style,
        direction=args.direction,
    )
    raw = import_model(args.model, options, args.title)
    model_from_raw(raw, args.model, lambda key: None, Path(args.model).parent)  # what we write must load
    text = description_text(raw, syntax)
    if out == "-":
        sys.stdout.write(text)
    else:
        write_all([(Path(out), text.encode("utf-8"))])
        print(f"svgarch: {args.model} → {out}: {len(raw['block'])} blocks, {len(raw['edge'])} edges", file=sys.stderr)
    return 0


def _check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from svgarch import pipeline
    from svgarch.check import check_scene, membership_of
    from svgarch.quality import drawing_from_scene, measure, svg_drawing
    from svgarch.quality.graphviz import is_graphviz
    from svgarch.spec import load_model

    status = 0
    results = []
    for spec in args.specs:
        report = None
        if spec.lower().endswith(".svg"):
            text = _svg_text(Path(spec))
            if not is_graphviz(text):
                from svgarch.read_svg import read_scene

                report = check_scene(read_scene(Path(spec)))
            drawing = svg_drawing(Path(spec), text)
        else:
            model = pipeline.with_overrides(load_model(spec), args.theme)
            scene, theme = pipeline.build_scene(model)
            report = check_scene(scene, membership_of(model))
            pinned = {b.id for b in model.blocks if b.row is not None or b.x is not None}
            drawing = drawing_from_scene(scene, theme.font("block-title")[1], model.direction, pinned)
        quality = measure(drawing)
        clean = (report is None or report.clean) and not any(items for _, items in quality.failures)
        status = status or (0 if clean else 1)
        if args.json:
            results.append(_check_json(spec, report, quality, clean))
            continue
        lines = report.lines() if report is not None else [f"{quality.blocks} blocks, {quality.edges} edges (Graphviz)"]
        print(f"{quoted(spec)}: {lines[0]}")
        print("\n".join(lines[1:]))
        print("\n".join(quality.lines()))
        print("  clean" if clean else "  NOT CLEAN")
    if args.json:
        import json

        print(json.dumps(results, indent=1, ensure_ascii=False))
    return status


def _svg_text(path: Path) -> str:
    """An SVG to check, read as read_svg reads one: a regular file of a bounded size, UTF-8."""
    from svgarch.read_svg import MAX_SVG_BYTES, read_limited

    try:
        return read_limited(path, MAX_SVG_BYTES, "an SVG").decode("utf-8")
    except UnicodeDecodeError:
        raise SvgarchError(f"{quoted(path)}: is not UTF-8 text") from None


def _check_json(spec: str, report: Any, quality: Any, clean: bool) -> dict[str, object]:
    """One file's findings for ``check --json``: collision lists (svgarch only), figures, quality findings."""
    out: dict[str, object] = {"file": spec, "clean": clean}
    if report is not None:
        out["collisions"] = {name: items for name, items, _ in report.sections()}
    out["measures"] = quality.figures()
    out["findings"] = {
        "rails": quality.rails,
        "coincident_runs": quality.coincident,
        "ambiguous_labels": quality.ambiguous_labels,
        "close_heads": quality.close_heads,
        "fan_crossings": quality.fan_crossings,
        "order_inversions": quality.order_inversions,
        "worst_detours": quality.worst_detours,
    }
    return out


def run() -> int:
    """The console command: ``main`` in a process that ends when it returns (so svgarch.startup may tune it)."""
    from svgarch.startup import end_now, tune_gc

    tune_gc()
    limit_memory()
    code = main()
    try:  # here, not at exit, where a reader that went away would make Python print "Broken pipe"
        sys.stdout.flush()
    except BrokenPipeError:
        code = _stdout_gone()
    end_now(code)  # when nothing is left to do at exit; else Python's own exit follows
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
