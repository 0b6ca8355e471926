"""The command line's words read into options: argparse's parser, and a shortcut for the commonest call.

``svgarch render SPEC -o OUT`` is most of what a docs build runs, hundreds of
times: for it alone the words are read without argparse (whose import, with
gettext and locale, and whose parser cost a short render 3 ms). The shortcut
takes only words whose meaning is beyond doubt and gives the very options
argparse gives (tests/test_cli_args.py compares both on thousands of word
lists); anything else, every mistake and ``--help`` included, goes to argparse.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

DEFAULT_TIMEOUT = 60.0  # seconds; a layout that takes longer is refused, not waited for
RENDER_DPI = 180.0  # --dpi's default for render and icons
GALLERY_DPI = 90.0  # and for gallery
COMMANDS = ("render", "gallery", "check", "import", "watch", "themes", "icons", "schema")


def parse_words(words: Sequence[str]) -> argparse.Namespace:
    """The options ``words`` (the arguments after ``svgarch``) give; argparse's error exit on a mistake."""
    fast = plain_render(words)
    if fast is not None:
        return fast
    command = words[0] if words and words[0] in COMMANDS else None  # else: --help, --version, a mistake
    return parser(command).parse_args(words)


def plain_render(words: Sequence[str]) -> argparse.Namespace | None:
    """The options of ``render SPEC`` or ``render SPEC -o OUT`` read without argparse, or None for any
    other words. SPEC and OUT must not be empty nor start with '-' (argparse could read them as options)."""
    if len(words) not in (2, 4) or words[0] != "render" or (len(words) == 4 and words[2] != "-o"):
        return None
    values = words[1::2]
    if not all(value and not value.startswith("-") for value in values):
        return None
    from types import SimpleNamespace

    options = SimpleNamespace(
        command="render",
        spec=[words[1]],
        output=[words[3]] if len(words) == 4 else [],
        out_dir=None,
        format=[],
        syntax=None,
        jobs=0,
        force=False,
        quiet=False,
        theme=None,
        css=[],
        dpi=RENDER_DPI,
        timeout=DEFAULT_TIMEOUT,
        inline=False,
        embed_font=False,
        id=None,
        verbose=False,
    )
    return options  # type: ignore[return-value]  # the same attributes as argparse's Namespace


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``command``, only that subcommand's (what a run of it needs:
    building all nine subparsers costs more than the rest of parsing)."""
    import argparse
    from pathlib import Path

    from svgarch import __version__

    p = argparse.ArgumentParser(
        prog="svgarch", description="Architecture diagrams as code → SVG, PNG, PDF.", formatter_class=_formatter()
    )
    p.add_argument("--version", action="version", version=f"svgarch {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, **keys: Any) -> argparse.ArgumentParser:
        return sub.add_parser(name, formatter_class=_formatter(), **keys)

    if command in (None, "render"):
        r = add("render", help="render descriptions to SVG/PNG/PDF/HTML")
        r.add_argument(
            "spec",
            nargs="+",
            metavar="SPEC",
            help="description files (.toml, .json, .yaml), globs, folders (every description inside), or - for stdin",
        )
        r.add_argument(
            "-o",
            "--output",
            action="append",
            default=[],
            metavar="OUT",
            help="output file of one description; the suffix picks the format; - for stdout (repeatable;"
            " default: SPEC with .svg)",
        )
        r.add_argument(
            "--out-dir", type=Path, metavar="DIR", help="write each description's outputs here (mirroring folders)"
        )
        r.add_argument(
            "--format",
            type=_formats,
            default=[],
            metavar="FMT[,FMT]",
            help="formats to write per description with --out-dir or beside it (svg, png, pdf, html; default svg)",
        )
        r.add_argument("--syntax", choices=("toml", "yaml", "json"), help="of a description on stdin (default toml)")
        r.add_argument(
            "-j",
            "--jobs",
            type=int,
            default=0,
            metavar="N",
            help="render N at a time (default: one per core, and one more to draw while another writes)",
        )
        r.add_argument("--force", action="store_true", help="render every output, even those that are up to date")
        r.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")
        r.add_argument("--theme", help="a bundled theme name or a .css file")
        r.add_argument("--css", action="append", default=[], metavar="FILE", help="extra CSS applied after the theme")
        r.add_argument("--dpi", type=float, default=RENDER_DPI, help=f"PNG/PDF resolution (default {RENDER_DPI:g})")
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
        r.add_argument(
            "--id",
            metavar="NAME",
            help="the root element's id (as id = in the description): give each copy of a diagram inlined twice"
            " on one page its own",
        )
        r.add_argument("-v", "--verbose", action="store_true", help="say more on stderr (what --embed-font added)")
    if command in (None, "gallery"):
        g = add("gallery", help="render a description in every bundled theme, side by side")
        g.add_argument("spec", help="description file (.toml, .json, .yaml)")
        g.add_argument("-o", "--output", action="append", default=[], metavar="OUT", help="output file (.png or .svg)")
        g.add_argument("--themes", help="comma-separated themes (default: every bundled theme)")
        g.add_argument("--dpi", type=float, default=GALLERY_DPI, help=f"PNG resolution (default {GALLERY_DPI:g})")
        _add_timeout(g)
    if command in (None, "check"):
        c = add("check", help="measure layout quality; exit 1 on any defect")
        c.add_argument(
            "specs", nargs="+", metavar="SPEC_OR_SVG", help="description files, or SVGs svgarch or Graphviz wrote"
        )
        c.add_argument("--theme", help="a bundled theme name or a .css file")
        c.add_argument("--json", action="store_true", help="print the findings and measures as JSON")
        _add_timeout(c)
    if command in (None, "import"):
        i = add("import", help="import an ONNX model as a description to edit (.toml, .yaml, .json)")
        i.add_argument("model", help="the model (.onnx)")
        i.add_argument(
            "-o", "--output", required=True, metavar="OUT", help="the description to write; - for stdout (TOML)"
        )
        i.add_argument("--depth", type=int, default=1, help="a block per module this many levels down (default 1)")
        i.add_argument("--expand", action="append", default=[], metavar="NAME", help="open module NAME one level more")
        i.add_argument("--collapse", action="append", default=[], metavar="NAME", help="keep module NAME as one block")
        i.add_argument(
            "--labels", choices=("none", "shape", "channels"), default="none", help="what edges are labelled with"
        )
        i.add_argument("--style", choices=("plain", "boxes"), default="plain", help="boxes: convolutions as 3-D boxes")
        i.add_argument("--direction", choices=("TB", "BT", "LR", "RL"), default="TB")
        i.add_argument("--title", default="", help="the diagram's title (default: the model's name)")
    if command in (None, "watch"):
        w = add("watch", help="re-render on save and show a live preview on 127.0.0.1")
        w.add_argument("specs", nargs="+", metavar="SPEC", help="description files, globs or folders")
        w.add_argument("--theme", help="a bundled theme name or a .css file")
        w.add_argument("--css", action="append", default=[], metavar="FILE", help="extra CSS applied after the theme")
        w.add_argument("--port", type=int, default=0, help="the port on 127.0.0.1 (default: a free one)")
    if command in (None, "themes"):
        add("themes", help="list the bundled themes, each with what it is for")
    if command in (None, "icons"):
        ic = add("icons", help="list the bundled icons, or draw them all with their names (-o sheet.png)")
        ic.add_argument(
            "-o", "--output", action="append", default=[], metavar="OUT", help="the sheet (.svg, .png, .pdf)"
        )
        ic.add_argument("--theme", default="dark", help="a bundled theme name or a .css file (default dark)")
        ic.add_argument("--dpi", type=float, default=RENDER_DPI, help=f"PNG resolution (default {RENDER_DPI:g})")
    if command in (None, "schema"):
        add("schema", help="print the JSON Schema of the description format (for editors)")
    return p


@functools.cache
def _columns() -> int:
    """What ``shutil.get_terminal_size().columns`` answers: $COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def _add_timeout(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up (writing nothing) after this long (default {DEFAULT_TIMEOUT:g}; 0: never)",
    )


@functools.cache
def _formatter() -> Any:
    """argparse's help formatter, the terminal's width read as argparse reads it (through
    ``shutil.get_terminal_size``) but without importing shutil, which brings bz2 and lzma: argparse makes
    a formatter for every option it adds, so a render would import them only to check its options."""
    import argparse

    class Formatter(argparse.HelpFormatter):
        def __init__(
            self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
        ) -> None:
            super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)

    return Formatter


def _formats(text: str) -> list[str]:
    return [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
