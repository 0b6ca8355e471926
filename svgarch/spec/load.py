"""Read a description file (TOML, JSON or YAML) into a DiagramModel.

The three syntaxes mean the same: each is read into plain dicts and lists,
which :mod:`svgarch.spec.validate` checks. Where a syntax is looser than
TOML (duplicate keys in JSON and YAML) it is held to TOML's rule.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable

from svgarch.errors import Problem, SpecError, quoted, show
from svgarch.files import FileTooLarge, NotRegularFile, outside_folder, parent_text, path_text, read_regular
from svgarch.model import DiagramModel
from svgarch.spec.plain_toml import parse as parse_plain_toml
from svgarch.spec.schema import MAX_FILE_BYTES
from svgarch.spec.validate import build_model

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, NoReturn

    from svgarch.spec.lines import Duplicate

SYNTAXES = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}
MAX_CSS_FILES = 16

LineFinder = Callable[[str], "int | None"]


def read_description(path: str | Path) -> tuple[object, LineFinder]:
    """The parsed file (plain dicts and lists) and a key-path → line finder."""
    name = path_text(path)  # as pathlib writes it: the model's source, in every message
    return parse_description(_read(name), SYNTAXES[_suffix(name).lower()], name)


def parse_description(text: str, syntax: str, name: str) -> tuple[object, LineFinder]:
    """Description text (``syntax``: toml, json or yaml) parsed as if read from a file called ``name``."""
    if syntax not in ("toml", "json", "yaml"):
        raise _fail(name, f"unknown syntax '{show(syntax)}' (use toml, json or yaml)")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise _fail(name, f"is larger than {MAX_FILE_BYTES} bytes, the limit for a description")
    text = text.removeprefix("\ufeff")
    raw = _parse(text, syntax, name) if text.strip() else None
    if raw is None or raw == {}:
        raise _fail(name, "is empty")
    lines: dict[str, int] | None = None

    def where(key: str) -> int | None:
        from svgarch.spec import lines as scan  # only when something is wrong

        nonlocal lines
        if lines is None:
            lines = {"toml": scan.toml_lines, "json": scan.json_lines, "yaml": scan.yaml_lines}[syntax](text)
        return scan.line_of(lines, key)

    return raw, where


def load_model(path: str | Path) -> DiagramModel:
    """Load and validate one description file (or an ONNX model, imported with defaults); raise SpecError
    on any problem."""
    if str(path).lower().endswith(".onnx"):
        from svgarch.onnx_import import import_model

        return model_from_raw(import_model(path), str(path), lambda key: None, parent_text(path))
    raw, where = read_description(path)
    return model_from_raw(raw, str(path), where, parent_text(path))


def model_from_text(
    text: str, syntax: str = "toml", source: str = "<string>", base: str | Path | None = None
) -> DiagramModel:
    """Load and validate a description given as text; theme and CSS paths are taken relative to ``base``
    (the working folder by default)."""
    raw, where = parse_description(text, syntax, source)
    return model_from_raw(raw, source, where, base if base is not None else ".")


def model_from_raw(raw: object, source: str, where: LineFinder, base: str | Path) -> DiagramModel:
    """Validate parsed data; theme and CSS paths are taken relative to ``base``."""
    model = alone_icons_as_rects(resolve_paths(build_model(raw, source, where), base))
    # a description's files stay in its folder; a diagram built in Python names files as the command line does
    confine = base if source != "<api>" else None
    problems = style_problems(model, source, where, confine) + icon_problems(model, source, where, confine)
    if problems:
        raise SpecError(problems)
    return model


def _fail(name: str, message: str, line: int | None = None, key: str = "") -> SpecError:
    return SpecError([Problem(name, line, key, message)])


def _read(path: str) -> str:
    name = path
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise _fail(name, "no such file") from None
    except OSError as exc:
        raise _fail(name, f"cannot be read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _fail(name, "is a directory, not a description file")
    if _suffix(path).lower() not in SYNTAXES:
        raise _fail(name, f"unknown description suffix '{show(_suffix(path))}' (use .toml, .json, .yaml or .yml)")
    if not stat.S_ISREG(info.st_mode):  # a pipe or a device could block or never end
        raise _fail(name, "is not a regular file")
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except NotRegularFile:  # it changed since the look above
        raise _fail(name, "is not a regular file") from None
    except FileTooLarge:
        raise _fail(name, f"is larger than {MAX_FILE_BYTES} bytes, the limit for a description") from None
    except OSError as exc:
        raise _fail(name, f"cannot be read: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _fail(name, f"is larger than {MAX_FILE_BYTES} bytes, the limit for a description")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        utf16 = " (it looks like UTF-16: save it as UTF-8)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise _fail(name, f"is not UTF-8 text (byte {exc.start}){utf16}", line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise _fail(name, "is empty")
    return text


def _parse(text: str, syntax: str, name: str) -> object:
    if syntax == "toml":
        plain = parse_plain_toml(text)  # most descriptions: several times faster; else tomllib reads it
        if plain is not None:
            return plain
        if sys.version_info >= (3, 11):  # imported here: plain descriptions never need it (~5 ms of start-up)
            import tomllib
        else:  # pragma: no cover - Python 3.10
            import tomli as tomllib
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            _toml_error(name, str(exc), text)
        except (ValueError, OverflowError, RecursionError) as exc:  # a 5,000-digit number; arrays nested deep
            raise _fail(name, f"invalid TOML: {_short(exc)}") from None
    if syntax == "json":
        return _parse_json(text, name)
    return _parse_yaml(text, name)


def _short(exc: BaseException) -> str:
    """A parser's message, on one line."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return " ".join(str(exc).split(";")[0].split())[:300]


class _DuplicateKey(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _DuplicateKey
    return out


def _parse_json(text: str, name: str) -> object:
    import json  # here: most descriptions are TOML

    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise _fail(name, f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    except _DuplicateKey:
        from svgarch.spec.lines import json_duplicates

        raise _duplicates(name, json_duplicates(text)) from None
    except (ValueError, OverflowError, RecursionError) as exc:
        raise _fail(name, f"invalid JSON: {_short(exc)}") from None


def _parse_yaml(text: str, name: str) -> object:
    import yaml

    from svgarch.spec.yaml_loader import DescriptionLoader, DuplicateKeyError

    try:
        return yaml.load(text, Loader=DescriptionLoader)
    except DuplicateKeyError:
        from svgarch.spec.lines import yaml_duplicates

        raise _duplicates(name, yaml_duplicates(text)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "syntax error"
        raise _fail(name, f"invalid YAML: {show(problem) if len(problem) > 200 else problem}", line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. NUL
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise _fail(name, f"invalid YAML: character U+{code:04X} is not allowed", line) from None
    except (ValueError, OverflowError) as exc:  # PyYAML decodes "\\Uffffffff" with chr() and lets it fail
        found = next((m for m in re.finditer(_YAML_ESCAPE, text) if int(m.group(1), 16) > sys.maxunicode), None)
        if found is not None:
            line = text.count("\n", 0, found.start()) + 1
            raise _fail(name, f"invalid YAML: escape '{found.group()}' is past U+10FFFF", line) from None
        raise _fail(name, f"invalid YAML: {_short(exc)}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise _fail(name, f"invalid YAML: {_short(exc)}") from None


_YAML_ESCAPE = r"\\U([0-9a-fA-F]{8})"  # YAML's longest escape (compiled only for a YAML error)


def _duplicates(name: str, found: list[Duplicate]) -> SpecError:
    # TOML refuses a key given twice; the other syntaxes are held to the same rule
    return SpecError([Problem(name, d.line, show(d.key), f"given twice (first at line {d.first})") for d in found])


_TOML_DUPLICATE = ("Cannot overwrite a value", "Cannot declare", "Duplicate inline table key")


def _toml_error(name: str, message: str, text: str) -> NoReturn:
    # tomllib says "... (at line 3, column 7)"; move the line to the front.
    line = None
    if "(at line " in message:
        head, _, tail = message.rpartition(" (at line ")
        number = tail.split(",")[0]
        if number.isdigit():
            line = int(number)
            column = tail.split("column ")[-1].rstrip(")")
            message = f"{head} (column {column})"
    if message.startswith(_TOML_FROZEN):
        message = _frozen(message, text)
    if message.startswith(_TOML_DUPLICATE):  # tomllib does not say which key: the scan of the text does
        from svgarch.spec.lines import toml_duplicates

        found = [d for d in toml_duplicates(text) if d.line == line]
        if found:
            raise _duplicates(name, found[:1])
    raise _fail(name, f"invalid TOML: {message}", line)


_TOML_FROZEN = "Cannot mutate immutable namespace "


def _frozen(message: str, text: str) -> str:
    """tomllib's word for a table or array written whole (``edge = [...]``, ``a = {...}``) and then added
    to (``[[edge]]``, ``[a.b]``), said in the description's terms."""
    found = re.match(r"Cannot mutate immutable namespace \((.*?),?\)(.*)", message, re.S)
    if found is None:
        return message
    key = ".".join(part.strip().strip("'\"") for part in found.group(1).split(","))
    first = re.search(rf"^[ \t]*{re.escape(key.split('.')[0])}[ \t]*=", text, re.M)
    where = f" at line {text.count(chr(10), 0, first.start()) + 1}" if first else ""
    return (f"'{key}' was written whole{where} (an inline array or table), so it cannot be added to here: "
            f"write it one way{found.group(2)}")


def _suffix(name: str) -> str:
    """``Path(name).suffix``, of a name ``path_text`` wrote."""
    last = os.path.basename(name)
    dot = last.rfind(".")
    return last[dot:] if 0 < dot < len(last) - 1 else ""


def _is_path(theme: str) -> bool:
    return theme.endswith(".css") or "/" in theme or "\\" in theme


def resolve_paths(model: DiagramModel, base: str | Path) -> DiagramModel:
    """Make the theme and CSS paths the description names relative to ``base``."""
    theme = model.theme
    if _is_path(theme):
        theme = path_text(os.path.join(base, theme))
    css = tuple(path_text(os.path.join(base, c)) for c in model.css)
    if any(b.icon for b in model.blocks):
        from svgarch.icons import icon_path

        blocks = tuple(b._replace(icon=icon_path(b.icon, base)) if b.icon else b for b in model.blocks)
        model = model._replace(blocks=blocks)
    return model._replace(theme=theme, css=css)


def style_problems(
    model: DiagramModel, source: str, where: LineFinder, base: str | Path | None = None
) -> list[Problem]:
    """An unknown theme, and theme or CSS files that are missing or not CSS files.

    Checked here, where the description's file and line are known; what is
    inside the CSS files is checked when the theme is loaded, with their own
    file and line. With ``base``, files must resolve into that folder or the
    bundled themes.
    """
    from svgarch.theme import available_themes

    problems = []

    def report(key: str, message: str) -> None:
        problems.append(Problem(source, where(key), key, message))

    if not _is_path(model.theme):
        themes = available_themes()
        if model.theme not in themes:
            from svgarch.spec.validate import suggest

            hint = suggest(model.theme, themes)
            report("theme", f"unknown theme '{show(model.theme)}'{hint} (available: {', '.join(themes)})")
    else:
        _check_css_file(model.theme, "theme", "theme file", report, base)
    if len(model.css) > MAX_CSS_FILES:
        report("css", f"{len(model.css)} CSS files; the limit is {MAX_CSS_FILES}")
        return problems
    for css in model.css:
        _check_css_file(css, "css", "CSS file", report, base)
    return problems


def _check_css_file(
    path: str, key: str, what: str, report: Callable[[str, str], None], base: str | Path | None
) -> None:
    """Only regular ``.css`` files: a description must not make svgarch read anything else."""
    if not path.lower().endswith(".css"):
        report(key, f"'{show(path)}' is not a .css file")
        return
    if base is not None:  # before stat: whether a file outside exists is none of a description's business
        from svgarch.theme import styles_dir

        outside = outside_folder(path, base, [styles_dir()])
        if outside:
            report(key, outside)
            return
    try:
        info = os.stat(path)
    except OSError:
        report(key, f"no such {what}: {quoted(path)}")
        return
    if not stat.S_ISREG(info.st_mode):
        report(key, f"{quoted(path)} is not a regular file")


def alone_icons_as_rects(model: DiagramModel) -> DiagramModel:
    """A block drawn as its icon alone has no outline: its box, where edges end, is a plain rectangle."""
    if not any(b.icon and b.icon_position == "only" and b.shape != "rect" for b in model.blocks):
        return model
    alone = [b.icon and b.icon_position == "only" for b in model.blocks]
    blocks = tuple(b._replace(shape="rect", depth=None) if a else b for b, a in zip(model.blocks, alone, strict=True))
    return model._replace(blocks=blocks)


def icon_problems(model: DiagramModel, source: str, where: LineFinder, base: str | Path | None) -> list[Problem]:
    """Unknown icon names, and icon files that are outside ``base`` (when given), missing or refused."""
    if not any(b.icon for b in model.blocks):
        return []
    from svgarch.icons import IconError, is_file_reference, load_icon

    problems = []
    for i, block in enumerate(model.blocks):
        if not block.icon:
            continue
        key = f"block[{i}].icon"
        confined = base is not None and is_file_reference(block.icon)
        outside = outside_folder(block.icon, base, hint="") if confined and base is not None else None
        if outside:
            problems.append(Problem(source, where(key), key, outside))
            continue
        try:
            load_icon(block.icon)
        except IconError as exc:
            problems.append(Problem(source, where(key), key, str(exc)))
    return problems
