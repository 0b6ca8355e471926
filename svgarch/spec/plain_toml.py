"""The plain TOML most descriptions are written in, read several times faster than tomllib reads it.

tomllib, pure Python, spends about 50 ms on a description of 1,000 blocks
and 1,500 edges. Such a file is a few kinds of line only: ``[[block]]``,
``[legend]``, ``key = "text"``, a number, ``true``/``false``, a one-line list
of strings, blank lines and comments. ``parse`` reads exactly those, one
regular expression a line, and gives what tomllib gives; on any other line
(an escape, a dotted or quoted key, an inline table, a multi-line string,
a date, ``1e5``, ``0x10``, ...) or on anything TOML forbids (a key given
twice, a table defined twice) it gives ``None``, and the caller asks
tomllib, which reads it or says exactly what is wrong. tests/test_plain_toml.py
checks both agree on generated files.
"""

from __future__ import annotations

import re
from typing import Any

_STRING = r'"[^"\\\x00-\x1f\x7f]*"'  # a basic string without escapes (TOML refuses control characters in one)
_LINE = re.compile(
    r"[ \t]*(?:"
    r"(?P<key>[A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"
    rf"(?P<string>{_STRING})"
    r"|(?P<float>-?(?:0|[1-9][0-9]{0,17})\.[0-9]{1,17})"  # long numbers: tomllib says what is wrong
    r"|(?P<int>-?(?:0|[1-9][0-9]{0,17}))"
    r"|(?P<bool>true|false)"
    rf"|(?P<list>\[[ \t]*(?:{_STRING}[ \t]*,[ \t]*)*(?:{_STRING}[ \t]*)?\])"
    r")"
    r"|\[\[(?P<array>[A-Za-z0-9_-]+)\]\]"
    r"|\[(?P<table>[A-Za-z0-9_-]+)\]"
    r")?[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?"
)
_ITEM = re.compile(r'"([^"]*)"')


def parse(text: str) -> dict[str, Any] | None:
    """``text`` read as tomllib reads it, or ``None`` when it is not plain TOML (see the module's doc)."""
    root: dict[str, Any] = {}
    table = root
    arrays: set[str] = set()  # the top-level keys made by [[name]]: only those may take another entry
    if "\r" in text:  # CR LF ends a line as LF does; a CR alone is for tomllib to refuse
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    match_line = _LINE.fullmatch
    for line in text.split("\n"):
        m = match_line(line)
        if m is None:
            return None
        key = m["key"]
        if key is not None:
            if key in table:
                return None
            if (value := m["string"]) is not None:
                table[key] = value[1:-1]
            elif (value := m["int"]) is not None:
                table[key] = int(value)
            elif (value := m["float"]) is not None:
                table[key] = float(value)
            elif (value := m["bool"]) is not None:
                table[key] = value == "true"
            else:
                table[key] = _ITEM.findall(m["list"])
        elif (name := m["array"]) is not None:
            if name not in root:
                root[name] = []
                arrays.add(name)
            elif name not in arrays:
                return None
            table = {}
            root[name].append(table)
        elif (name := m["table"]) is not None:
            if name in root:
                return None
            table = root[name] = {}
    return root
