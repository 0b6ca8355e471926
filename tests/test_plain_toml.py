"""The plain-TOML reader gives what tomllib gives, or None: on generated files and on the edge cases."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svgarch.spec.plain_toml import parse

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def _tomllib(text: str) -> object:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "error"


def _agrees(text: str) -> bool:
    plain = parse(text)
    return plain is None or (type(plain) is dict and plain == _tomllib(text) and repr(plain) == repr(_tomllib(text)))


_KEYS = st.sampled_from(["id", "title", "from", "to", "block", "edge", "legend", "x", "a-b", "1", "true", "k_2"])
_CHARS = st.sampled_from([*'ab "\\#=[]\t\r,.-+_0123456789e\x00\x7f\x1f\u00e9\u2192', "true", "false", '""'])
_TEXTS = st.lists(_CHARS, max_size=8).map("".join)
_VALUES = st.one_of(
    _TEXTS.map(lambda s: f'"{s}"'),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["true", "false", "[]", '["a", "b"]', '["a",]', '[ "x" , ]', "[,]", "007", "-0", "1.", ".5", "+1"]),
    _TEXTS,
)
_LINES = st.one_of(
    st.tuples(
        _KEYS, st.sampled_from([" = ", "=", " =\t", " = "]), _VALUES, st.sampled_from(["", " # note", "\t#é"])
    ).map("".join),
    _KEYS.map(lambda k: f"[[{k}]]"),
    _KEYS.map(lambda k: f"[{k}]"),
    st.sampled_from(["", "  ", "# comment", "#\x01", "[ block ]", "[[block]] # x", "a.b = 1", '"q" = 1', "x = {}"]),
    _TEXTS,
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_LINES, max_size=12), st.sampled_from(["\n", "\r\n", "\r"]))
def test_it_reads_what_tomllib_reads(lines: list[str], newline: str) -> None:
    assert _agrees(newline.join(lines))


@pytest.mark.parametrize(
    "text",
    [
        'title = "t"\n[[block]]\nid = "a"\ntitle = "svc 1"\n[[block]]\nid = "b"\n'
        '[[edge]]\nfrom = "a"\nto = ["b", "a"]\n',
        '[legend]\ndb = "Databases"\n[[block]]\nid = "a"\nx = -12.5\nrow = 0\ninteractive = false\n',
        "# only a comment\n\n  \t\nwrap = 3  # trailing\r\n",
    ],
)
def test_plain_descriptions_are_read_here(text: str) -> None:
    assert parse(text) == tomllib.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        "a = 1\na = 2\n",  # a key twice
        "[legend]\n[legend]\n",  # a table twice
        "[block]\n[[block]]\n",  # a table, then an array of them
        "block = 1\n[[block]]\n",  # a value, then an array of tables
        'a = "tab\\t"\n',  # an escape
        "a = 1e5\n",
        "a = {b = 1}\n",
        "a.b = 1\n",
        'a = "x"\rb = 1\n',  # a lone CR
        "[[block]]\r",  # a CR at the end
        "a = " + "7" * 5000 + "\n",  # past int()'s digits
    ],
)
def test_anything_else_is_left_to_tomllib(text: str) -> None:
    assert parse(text) is None
