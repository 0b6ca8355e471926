"""The command line: ``svgarch render SPEC [-o OUT]...``.

Every error svgarch expects ends as one line per problem on stderr and exit
status 2; no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from svgarch.errors import SpecError, SvgarchError

EXIT_BAD_INPUT = 2


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
    c = sub.add_parser("check", help="measure layout quality; exit 1 on any defect")
    c.add_argument("specs", nargs="+", metavar="SPEC_OR_SVG", help="description files, or SVGs svgarch wrote")
    c.add_argument("--theme", help="a bundled theme name or a .css file")
    sub.add_parser("themes", help="list the bundled themes")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "themes":
            from svgarch.theme import available_themes

            print("\n".join(available_themes()))
            return 0
        if args.command == "check":
            return _check(args)
        return _render(args)
    except SpecError as exc:
        for problem in exc.problems:
            print(f"svgarch: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SvgarchError as exc:
        print(f"svgarch: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("svgarch: interrupted; no file was changed", file=sys.stderr)
        return 130


def _render(args: argparse.Namespace) -> int:
    from svgarch import pipeline
    from svgarch.spec import load_model

    if not (args.dpi > 0 and args.dpi <= 2400):
        raise SvgarchError(f"--dpi must be between 0 and 2400, not {args.dpi:g}")
    spec = Path(args.spec)
    model = load_model(spec)
    model = pipeline.with_overrides(model, args.theme, tuple(args.css))
    outputs = [Path(o) for o in args.output] or [spec.with_suffix(".svg")]
    pipeline.render_files(model, outputs, args.dpi)
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
        print(f"{spec}: {lines[0]}")
        print("\n".join(lines[1:]))
        print("  clean" if report.clean else "  NOT CLEAN")
        status = status or (0 if report.clean else 1)
    return status


if __name__ == "__main__":
    sys.exit(main())
