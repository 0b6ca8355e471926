"""Read a description file (TOML, JSON or YAML) into a DiagramModel."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from svgarch.errors import Problem, SpecError
from svgarch.model import DiagramModel
from svgarch.spec.lines import json_lines, line_of, toml_lines, yaml_lines
from svgarch.spec.validate import build_model

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

MAX_FILE_BYTES = 4 * 1024 * 1024
SYNTAXES = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}


LineFinder = Callable[[str], "int | None"]


def read_description(path: str | Path) -> tuple[object, LineFinder]:
    """The parsed file (plain dicts and lists) and a key-path → line finder."""
    path = Path(path)
    text = _read(path)
    syntax = SYNTAXES[path.suffix.lower()]
    raw = _parse(text, syntax, str(path))
    lines: dict[str, int] | None = None

    def where(key: str) -> int | None:
        nonlocal lines
        if lines is None:
            lines = {"toml": toml_lines, "json": json_lines, "yaml": yaml_lines}[syntax](text)
        return line_of(lines, key)

    return raw, where


def load_model(path: str | Path) -> DiagramModel:
    """Load and validate one description file; raise SpecError on any problem."""
    raw, where = read_description(path)
    return model_from_raw(raw, str(path), where, Path(path).parent)


def model_from_raw(raw: object, source: str, where: LineFinder, base: Path) -> DiagramModel:
    """Validate parsed data; theme and CSS paths are taken relative to ``base``."""
    return resolve_paths(build_model(raw, source, where), base)


def _fail(name: str, message: str, line: int | None = None, key: str = "") -> SpecError:
    return SpecError([Problem(name, line, key, message)])


def _read(path: Path) -> str:
    name = str(path)
    if path.suffix.lower() not in SYNTAXES:
        raise _fail(name, f"unknown description suffix '{path.suffix}' (use .toml, .json, .yaml or .yml)")
    if path.is_dir():
        raise _fail(name, "is a directory, not a description file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(name, f"is {size} bytes; the limit is {MAX_FILE_BYTES}")
        data = path.read_bytes()
    except FileNotFoundError:
        raise _fail(name, "no such file") from None
    except OSError as exc:
        raise _fail(name, f"cannot be read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(name, f"is not UTF-8 text (byte {exc.start})", line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise _fail(name, "is empty")
    return text


def _parse(text: str, syntax: str, name: str) -> object:
    if syntax == "toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            return _syntax_error(name, str(exc))
    if syntax == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise _fail(name, f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
        except RecursionError:
            raise _fail(name, "invalid JSON: nested too deeply") from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "syntax error"
        raise _fail(name, f"invalid YAML: {problem}", line) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise _fail(name, f"invalid YAML: {exc}") from None


def _syntax_error(name: str, message: str) -> NoReturn:
    # tomllib says "... (at line 3, column 7)"; move the line to the front.
    line = None
    if "(at line " in message:
        head, _, tail = message.rpartition(" (at line ")
        number = tail.split(",")[0]
        if number.isdigit():
            line = int(number)
            column = tail.split("column ")[-1].rstrip(")")
            message = f"{head} (column {column})"
    raise _fail(name, f"invalid TOML: {message}", line)


def resolve_paths(model: DiagramModel, base: Path) -> DiagramModel:
    """Make the theme and CSS paths the description names relative to ``base``."""
    theme = model.theme
    if theme.endswith(".css") or "/" in theme:
        theme = str(base / theme)
    css = tuple(str(base / c) for c in model.css)
    return model._replace(theme=theme, css=css)
