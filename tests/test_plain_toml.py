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
_ESCAPES = ["\\n", "\\u00e9", '\\"']
_CHARS = st.sampled_from(
    [*'ab "\\#=[]{}\t\r\n,.-+_\'0123456789e\x00\x7f\x1f\u00a0\u00e9\u2192', "true", "false", '""', *_ESCAPES]
)
_TEXTS = st.lists(_CHARS, max_size=8).map("".join)
_SCALARS = st.one_of(
    _TEXTS.map(lambda s: f'"{s}"'),
    _TEXTS.map(lambda s: f"'{s}'"),
    _TEXTS.map(lambda s: f'"""{s}"""'),
    _TEXTS.map(lambda s: f"'''{s}'''"),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["true", "false", "[]", '["a", "b"]', '["a",]', '[ "x" , ]', "[,]", "007", "-0", "1.", ".5", "+1"]),
    st.sampled_from(["{}", "{ }", "{a = 1,}", "{a = 1 # c\n}", "{a.b = 1}", "[1 2]", "1979-05-27", "inf", "0x10"]),
    _TEXTS,
)
_GAPS = st.sampled_from(["", " ", "\n", " # note\n  ", "\t", "\n\n", "#\x01\n"])  # between an array's items
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.tuples(st.lists(st.tuples(_GAPS, inner, _GAPS), max_size=4), st.sampled_from(["", ",", " , "]), _GAPS).map(
            lambda t: "[" + ",".join(a + v + b for a, v, b in t[0]) + t[1] + t[2] + "]"
        ),
        st.lists(st.tuples(_KEYS, st.sampled_from(["=", " = "]), inner), max_size=4).map(
            lambda pairs: "{ " + ", ".join("".join(p) for p in pairs) + " }"
        ),
    ),
    max_leaves=8,
)
_LINES = st.one_of(
    st.tuples(
        _KEYS, st.sampled_from([" = ", "=", " =\t", " = "]), _VALUES, st.sampled_from(["", " # note", "\t#\u00e9"])
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
        'a = "tab\\t, \\"quoted\\" \\\\ and\\nbroken"\nb = \'C:\\\\x\'\n',
        'edge = [\n  { from = "a", to = "b", bend = -0.28 },  # one\n\n  { from = "b", to = ["a", "c"] },\n]\n'
        "note = [{ text = 'x', row = 4 }]\nempty = {}\n",
        'subtitle = """\nfirst line\nsecond line"""\n' "more = '''one\ntwo'''\n",
        "deep = [[[1, 2], [3]], [[4]]]\nt = { a = [\n  1,\n  2\n], b = { c = true } }\n",
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
        'a = "\\u00e9"\n',  # an escape of a code point
        'a = """x\\\n  y"""\n',  # a line-ending backslash
        'a = """say "hi\""""\n',  # a quote in a multi-line string
        "a = '''it's'''\n",
        "a = 1e5\n",
        "a = {b = 1,}\n",  # a trailing comma in an inline table
        "a = {b = 1,\n c = 2}\n",  # an inline table over two lines
        "a = {b = 1, b = 2}\n",
        "a = {b = 1}\n[a]\n",  # an inline table extended
        "a = [{b = 1}]\n[[a]]\n",  # an array of inline tables extended
        "a = [1,\n2\n",  # an array never closed
        "[[block]\n",
        "[legend\n",
        "a = " + "[" * 40 + "]" * 40 + "\n",  # nested deeper than this reader goes
        "a = 1979-05-27\n",
        "a = 1_000\n",
        "a.b = 1\n",
        'a = "x"\rb = 1\n',  # a lone CR
        "[[block]]\r",  # a CR at the end
        "a = " + "7" * 5000 + "\n",  # past int()'s digits
    ],
)
def test_anything_else_is_left_to_tomllib(text: str) -> None:
    assert parse(text) is None


# What this reader reads: strings (with the simple escapes, literal, multi-line), numbers, booleans, arrays over
# lines with comments and a trailing comma, inline tables; never a key twice.
_PLAIN_TEXTS = st.lists(st.sampled_from([*"ab #=[]{},.-_'é→", "\\n", '\\"', "\\\\", "\\t"]), max_size=6).map("".join)
_PLAIN_SCALARS = st.one_of(
    _PLAIN_TEXTS.map(lambda s: f'"{s}"'),
    _PLAIN_TEXTS.map(lambda s: "'" + s.replace("'", "") + "'"),
    _PLAIN_TEXTS.map(lambda s: '"""\n' + s.replace("\\", "").replace('"', "") + '\nb"""'),
    st.integers(-(10**17), 10**17).map(str),
    st.floats(-1e6, 1e6).map(lambda f: f"{f:.3f}"),
    st.booleans().map(lambda b: str(b).lower()),
)
_ARRAY_GAPS = st.sampled_from([" ", "\n  ", " # c\n"])


def _array(items: list[str], trailing: str, gap: str) -> str:
    return "[" + gap + f",{gap}".join(items) + (trailing if items else "") + gap + "]"


def _inline_table(pairs: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k} = {v}" for k, v in pairs.items()) + "}"


_PLAIN_VALUES = st.recursive(
    _PLAIN_SCALARS,
    lambda inner: st.one_of(
        st.builds(_array, st.lists(inner, max_size=4), st.sampled_from(["", ","]), _ARRAY_GAPS),
        st.dictionaries(_KEYS, inner, max_size=3).map(_inline_table),
    ),
    max_leaves=6,
)
_TABLE_KEYS = st.sampled_from(["id", "title", "to", "x", "a-b", "1", "true"])
_PLAIN_TABLES = st.dictionaries(_TABLE_KEYS, _PLAIN_VALUES, max_size=4).map(
    lambda d: "".join(f"{k} = {v}  # note\n" for k, v in d.items())
)


@settings(max_examples=300, deadline=None)
@given(_PLAIN_TABLES, st.lists(_PLAIN_TABLES, max_size=3))
def test_plain_descriptions_are_read_here_and_as_tomllib_reads_them(top: str, blocks: list[str]) -> None:
    text = top + "".join(f"\n[[block]]\n{b}" for b in blocks) + "\n[legend]\n" + top
    assert parse(text) is not None
    assert repr(parse(text)) == repr(tomllib.loads(text))
