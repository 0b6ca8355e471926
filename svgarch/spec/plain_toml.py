"""The TOML descriptions are written in, read without tomllib: faster, and without its import.

tomllib, pure Python, takes 5 ms to import (with datetime, string and its
regular expressions: a tenth of a small render) and about 110 ms to read a
description of 1,000 blocks and 1,500 edges (this reader about 55).
Descriptions use a small part of TOML: ``[[block]]`` and ``[legend]``
headers; ``key = value`` with a bare key and a value that is a string
(basic, with the escapes ``\\n \\t \\" \\\\ \\b \\f \\r``; literal; or multi-line,
without escapes or quotes in it), a number written plainly (``12``,
``-0.28``), ``true`` or ``false``, an array of values (over several lines
if need be, with comments and a trailing comma) or an inline table of
them; blank lines and comments. ``parse`` reads exactly those, with string
methods, and gives what tomllib gives; on anything else (a ``\\u`` escape,
a dotted or quoted key, a date, ``1e5``, ``0x10``, ``1_000``, a control
character, ...) or on anything TOML forbids (a key given twice, a table
defined twice, an inline table over several lines or with a trailing
comma) it gives ``None``, and the caller asks tomllib, which reads it or
says exactly what is wrong. tests/test_plain_toml.py checks both agree on
generated files.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_BARE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"  # what a bare key is made of
_SPACE = " \t"
_SCALAR = "0123456789.-truefals"  # what numbers and booleans are written with
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_MAX_DIGITS = 18  # longer numbers: tomllib says what is wrong
_MAX_DEPTH = 32  # arrays and tables nested deeper: tomllib's concern
# ``key = "text"`` and nothing after it, the text without quote or backslash: what ``_Reader.pair`` reads so
# (the text printable, which the caller checks), in one match
_KEY_STRING = re.compile(r'([A-Za-z0-9_-]+)[ \t]*=[ \t]*"([^"\\]*)"[ \t]*').fullmatch


class _NotPlain(Exception):
    """The text holds something this reader leaves to tomllib."""


def parse(text: str) -> dict[str, Any] | None:
    """``text`` read as tomllib reads it, or ``None`` when it is not plain TOML (see the module's doc)."""
    if "\r" in text:  # CR LF ends a line as LF does; a CR alone is for tomllib to refuse
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    try:
        return _Reader(text.split("\n")).document()
    except _NotPlain:
        return None


class _Reader:
    """Reads the lines of a plain TOML text one after another (a value may run over several)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.next_row = 0  # the line to read after the current one

    def document(self) -> dict[str, Any]:
        root: dict[str, Any] = {}
        table = root
        arrays: set[str] = set()  # the top-level keys made by [[name]]: only those may take another entry
        lines = self.lines
        while self.next_row < len(lines):
            line = lines[self.next_row].lstrip(_SPACE)
            self.next_row += 1
            if not line or line[0] == "#":
                _end_of_line(line)
            elif line.startswith("[["):
                name = _header(line[2:], "]]")
                if name not in root:
                    root[name] = []
                    arrays.add(name)
                elif name not in arrays:
                    raise _NotPlain
                table = {}
                root[name].append(table)
            elif line[0] == "[":
                name = _header(line[1:], "]")
                if name in root:
                    raise _NotPlain
                table = root[name] = {}
            else:
                simple = _KEY_STRING(line)  # most lines: a key and a one-line string, nothing after it
                if simple is not None and simple[2].isprintable():
                    key, value = simple[1], simple[2]
                else:
                    key, value, rest = self.pair(line)
                    if rest:
                        _end_of_line(rest)
                if key in table:
                    raise _NotPlain
                table[key] = value
        return root

    def pair(self, text: str, depth: int = 0) -> tuple[str, object, str]:
        """``key = value`` at the start of ``text``: the key, the value and what follows it."""
        key, equals, rest = text.partition("=")
        key = key.rstrip(_SPACE)
        if not equals or not _bare(key):
            raise _NotPlain
        value, rest = self.value(rest.lstrip(_SPACE), depth)
        return key, value, rest

    def value(self, text: str, depth: int) -> tuple[object, str]:
        """The value at the start of ``text``, and what follows it."""
        first = text[:1]
        if first == '"':
            if text.startswith('"""'):
                return self.multiline_string(text[3:], '"""')
            close = text.find('"', 1)
            string = text[1:close]
            if close < 0 or "\\" in string:
                return _escaped_string(text[1:])
            # TOML refuses a control character but the tab in a string; others are refused here too, to be safe
            if not string.isprintable():
                raise _NotPlain
            return string, text[close + 1 :]
        if first == "'":  # a literal string: no escapes
            if text.startswith("'''"):
                return self.multiline_string(text[3:], "'''")
            close = text.find("'", 1)
            if close < 0 or not text[1:close].isprintable():
                raise _NotPlain
            return text[1:close], text[close + 1 :]
        if first == "[" or first == "{":
            if depth == _MAX_DEPTH:
                raise _NotPlain
            return self.array(text[1:], depth + 1) if first == "[" else self.inline_table(text[1:], depth + 1)
        # a number or boolean: what follows it is checked by the caller
        rest = text.lstrip(_SCALAR)
        return _scalar(text[: len(text) - len(rest)]), rest

    def multiline_string(self, text: str, quotes: str) -> tuple[str, str]:
        """A multi-line string's text, after its opening ``quotes`` (three " or three '), and what follows
        its closing ones."""
        if not text:  # a line end right after the opening quotes is not part of the string
            text = self.next_line()
        parts: list[str] = []
        while (close := text.find(quotes)) < 0:
            parts.append(text)
            text = self.next_line()
        parts.append(text[:close])
        string = "\n".join(parts)
        # no quote of its kind (TOML allows one or two, also just before the closing ones), no escape in a
        # basic one, no control character but the line ends: tomllib reads the rest
        if quotes[0] in string or (quotes == '"""' and "\\" in string):
            raise _NotPlain
        if not string.replace("\n", " ").isprintable():
            raise _NotPlain
        return string, text[close + 3 :]

    def array(self, text: str, depth: int) -> tuple[list[object], str]:
        """An array's items, after its ``[``, and what follows its ``]``."""
        items: list[object] = []
        text = self.gap(text)
        while not text.startswith("]"):
            item, text = self.value(text, depth)
            items.append(item)
            text = self.gap(text)
            if text.startswith(","):
                text = self.gap(text[1:])
            elif not text.startswith("]"):
                raise _NotPlain
        return items, text[1:]

    def inline_table(self, text: str, depth: int) -> tuple[dict[str, object], str]:
        """An inline table's keys, after its ``{``, and what follows its ``}``: all on one line, no trailing
        comma (a value in it, an array, may run over lines)."""
        table: dict[str, object] = {}
        text = text.lstrip(_SPACE)
        if text.startswith("}"):
            return table, text[1:]
        while True:
            key, value, text = self.pair(text, depth)
            if key in table:
                raise _NotPlain
            table[key] = value
            text = text.lstrip(_SPACE)
            if text.startswith("}"):
                return table, text[1:]
            if not text.startswith(","):
                raise _NotPlain
            text = text[1:].lstrip(_SPACE)

    def gap(self, text: str) -> str:
        """``text`` past the spaces, comments and line ends between an array's items (reading on)."""
        while True:
            text = text.lstrip(_SPACE)
            if text and text[0] != "#":
                return text
            _end_of_line(text)
            text = self.next_line()

    def next_line(self) -> str:
        """The next line of a value that runs over several; refused at the end of the text."""
        if self.next_row == len(self.lines):
            raise _NotPlain
        self.next_row += 1
        return self.lines[self.next_row - 1]


def _escaped_string(text: str) -> tuple[str, str]:
    """A one-line string with escapes, after its opening quote, and what follows its closing quote."""
    pieces: list[str] = []
    start = 0
    while True:
        close = text.find('"', start)
        if close < 0:
            raise _NotPlain
        escape = text.find("\\", start, close)
        if escape < 0:
            break
        pieces.append(text[start:escape])
        code = text[escape + 1 : escape + 2]
        if code not in _ESCAPES:
            raise _NotPlain  # \u and \U: tomllib reads those
        pieces.append(_ESCAPES[code])
        start = escape + 2
    pieces.append(text[start:close])
    # TOML refuses a control character but the tab in a string; others are refused here too, to be safe
    if not text[:close].isprintable():
        raise _NotPlain
    return "".join(pieces), text[close + 1 :]


def _bare(key: str) -> bool:
    """Whether ``key`` is a bare key (``strip`` leaves nothing of a text made only of its characters)."""
    return key != "" and not key.strip(_BARE)


def _header(text: str, close: str) -> str:
    """The bare name of a ``[name]`` or ``[[name]]`` line (``text`` after its opening), nothing after it."""
    name, closed, rest = text.partition(close)
    if not closed or not _bare(name):
        raise _NotPlain
    _end_of_line(rest)
    return name


def _end_of_line(rest: str) -> None:
    """Refuse ``rest`` unless it is spaces and perhaps a comment."""
    comment = rest.lstrip(_SPACE)
    # TOML allows a tab but no other control character in a comment; others are refused here too, to be safe
    if comment and (comment[0] != "#" or not comment.replace("\t", " ").isprintable()):
        raise _NotPlain


def _scalar(token: str) -> object:
    """A number or boolean written plainly (``12``, ``-0.28``, ``true``), else refused."""
    if token == "true":
        return True
    if token == "false":
        return False
    whole, point, fraction = token.removeprefix("-").partition(".")
    if not _digits(whole) or (whole[0] == "0" and len(whole) > 1):
        raise _NotPlain
    if not point:
        return int(token)
    if not _digits(fraction):
        raise _NotPlain
    return float(token)


def _digits(text: str) -> bool:
    return 0 < len(text) <= _MAX_DIGITS and text.isascii() and text.isdigit()
