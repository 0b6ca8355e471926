"""Where a key path sits in the source text, for error messages.

Only computed when a problem is reported, so a valid file pays nothing, and
only on text its parser has already accepted. Key paths look like
``edge[3].to``, ``block[0]`` or ``legend.skip``.
"""

from __future__ import annotations

import contextlib
import re

from svgarch.record import Record


class Duplicate(Record):
    key: str  # key path of the second occurrence
    line: int
    first: int  # line of the first occurrence


def line_of(lines: dict[str, int], key: str) -> int | None:
    """The line of ``key`` or of its nearest enclosing path."""
    while key:
        if key in lines:
            return lines[key]
        cut = max(key.rfind("."), key.rfind("["))
        if cut <= 0:
            return None
        key = key[:cut]
    return None


# --- TOML ----------------------------------------------------------------------------------

_SCALAR = re.compile(r"[^,\]}\n#]*")


class _TomlScanner:
    """Walks TOML text: tables, keys, and the entries of arrays and inline tables."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.out: dict[str, int] = {}
        self.defined: dict[str, int] = {}  # paths given a value or declared as a [table]
        self.duplicates: list[Duplicate] = []

    def run(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        prefix = ""
        while self._skip(newlines=True):
            if self.text.startswith("[[", self.pos):
                name = self._header(2)
                prefix = f"{name}[{counts.get(name, 0)}]"
                counts[name] = counts.get(name, 0) + 1
                self.out.setdefault(name, self.line)
                self.out.setdefault(prefix, self.line)
            elif self.text.startswith("[", self.pos):
                prefix = self._header(1)
                self._define(prefix)
            else:
                key = self._key()
                path = f"{prefix}.{key}" if prefix else key
                self._define(path)
                self._value(path)
        return self.out

    def _define(self, path: str) -> None:
        if path in self.defined:
            self.duplicates.append(Duplicate(path, self.line, self.defined[path]))
        self.defined.setdefault(path, self.line)
        self.out.setdefault(path, self.line)

    def _advance(self, end: int) -> None:
        self.line += self.text.count("\n", self.pos, end)
        self.pos = end

    def _skip(self, newlines: bool) -> bool:
        """Skip blanks and comments; False at the end of the text."""
        text = self.text
        while self.pos < len(text):
            c = text[self.pos]
            if c in " \t\r" or (newlines and c == "\n"):
                self._advance(self.pos + 1)
            elif c == "#":
                end = text.find("\n", self.pos)
                self._advance(len(text) if end < 0 else end)
            else:
                return True
        return False

    def _header(self, brackets: int) -> str:
        end = self.text.index("]" * brackets, self.pos)
        name = self._dotted(self.text[self.pos + brackets : end])
        self._advance(end + brackets)
        return name

    @staticmethod
    def _dotted(raw: str) -> str:
        return ".".join(part.strip().strip("\"'") for part in raw.split("."))

    def _key(self) -> str:
        end = self.text.index("=", self.pos)
        key = self._dotted(self.text[self.pos : end])
        self._advance(end + 1)
        return key

    def _value(self, path: str) -> None:
        self._skip(newlines=False)
        text = self.text
        if text.startswith(('"""', "'''"), self.pos):
            quote = text[self.pos : self.pos + 3]
            self._string(quote, escapes=quote == '"""')
        elif text.startswith(('"', "'"), self.pos):
            self._string(text[self.pos], escapes=text[self.pos] == '"')
        elif text.startswith("[", self.pos):
            self._items(path, "]", keyed=False)
        elif text.startswith("{", self.pos):
            self._items(path, "}", keyed=True)
        else:  # a number, boolean or date: up to the next delimiter
            m = _SCALAR.match(text, self.pos)
            self._advance(max(m.end(), self.pos + 1) if m else self.pos + 1)

    def _string(self, quote: str, escapes: bool) -> None:
        i = self.pos + len(quote)
        while i < len(self.text):
            if escapes and self.text[i] == "\\":
                i += 2
            elif self.text.startswith(quote, i):
                while self.text.startswith(quote[0], i + len(quote)):  # """a"""" ends one later
                    i += 1
                self._advance(i + len(quote))
                return
            else:
                i += 1
        self._advance(len(self.text))

    def _items(self, path: str, close: str, keyed: bool) -> None:
        self._advance(self.pos + 1)
        index = 0
        while self._skip(newlines=True):
            c = self.text[self.pos]
            if c == close:
                self._advance(self.pos + 1)
                return
            if c == ",":
                self._advance(self.pos + 1)
                index += 1
                continue
            if keyed:
                sub = f"{path}.{self._key()}"
                self._define(sub)
            else:
                sub = f"{path}[{index}]"
                self.out.setdefault(sub, self.line)
            self._value(sub)


def _toml_scan(text: str) -> _TomlScanner:
    scanner = _TomlScanner(text)
    with contextlib.suppress(ValueError, RecursionError):  # unexpected text: what was found so far
        scanner.run()
    return scanner


def toml_lines(text: str) -> dict[str, int]:
    """Map key paths to 1-based lines in TOML text."""
    return _toml_scan(text).out


def toml_duplicates(text: str) -> list[Duplicate]:
    """Keys given twice in one table (tomllib refuses them, without saying which)."""
    return _toml_scan(text).duplicates


# --- YAML ----------------------------------------------------------------------------------


def _yaml_walk(text: str) -> tuple[dict[str, int], list[Duplicate]]:
    import yaml

    out: dict[str, int] = {}
    duplicates: list[Duplicate] = []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError):
        return out, duplicates

    walked: set[int] = set()

    def walk(node: yaml.Node, path: str) -> None:
        if path:
            out.setdefault(path, node.start_mark.line + 1)
        if id(node) in walked:  # an alias: its node was walked already (and a billion laughs stay few)
            return
        walked.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                sub = f"{path}.{key}" if path else key
                line = key_node.start_mark.line + 1
                if key in seen and key_node.tag != "tag:yaml.org,2002:merge":
                    duplicates.append(Duplicate(sub, line, seen[key]))
                seen.setdefault(key, line)
                out.setdefault(sub, line)
                walk(value_node, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{path}[{i}]")

    if root is not None:
        with contextlib.suppress(RecursionError):  # what was found so far
            walk(root, "")
    return out, duplicates


def yaml_lines(text: str) -> dict[str, int]:
    """Map key paths to lines using the YAML node tree's marks."""
    return _yaml_walk(text)[0]


def yaml_duplicates(text: str) -> list[Duplicate]:
    """Keys given twice in one mapping."""
    return _yaml_walk(text)[1]


# --- JSON ----------------------------------------------------------------------------------

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)


class _Frame:
    """An object or array being read: its path, and its keys or item count so far."""

    def __init__(self, path: str, is_array: bool) -> None:
        self.path = path
        self.is_array = is_array
        self.index = 0
        self.key = ""
        self.keys: dict[str, int] = {}

    def child(self) -> str:
        if self.is_array:
            return f"{self.path}[{self.index}]"
        return f"{self.path}.{self.key}" if self.path else self.key


def _json_walk(text: str) -> tuple[dict[str, int], list[Duplicate]]:
    import json

    out: dict[str, int] = {}
    duplicates: list[Duplicate] = []
    stack: list[_Frame] = []
    line = 1
    pos = 0
    expect_key = False
    for m in _JSON_TOKEN.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        tok = m.group()
        if tok in "{[":
            path = stack[-1].child() if stack else ""
            if path:
                out.setdefault(path, line)
            stack.append(_Frame(path, tok == "["))
            expect_key = tok == "{"
        elif tok in "}]":
            if stack:
                stack.pop()
            expect_key = False
        elif tok == ",":
            if stack and stack[-1].is_array:
                stack[-1].index += 1
            expect_key = bool(stack) and not stack[-1].is_array
        elif tok == ":":
            expect_key = False
        elif expect_key and stack and tok.startswith('"'):
            frame = stack[-1]
            frame.key = str(json.loads(tok))
            sub = frame.child()
            if frame.key in frame.keys:
                duplicates.append(Duplicate(sub, line, frame.keys[frame.key]))
            frame.keys.setdefault(frame.key, line)
            out.setdefault(sub, line)
    return out, duplicates


def json_lines(text: str) -> dict[str, int]:
    """Map key paths to lines with a small scan over JSON tokens."""
    return _json_walk(text)[0]


def json_duplicates(text: str) -> list[Duplicate]:
    """Keys given twice in one object."""
    return _json_walk(text)[1]
