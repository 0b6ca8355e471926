"""A cached theme read without tinycss2: the plain-text recognisers (css_tokens.PLAIN) accept only texts
the token check accepts, hex colours are what tinycss2 reads, and a bundled theme from the cache imports
no tinycss2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svgarch import css_tokens
from svgarch.css_tokens import PLAIN, canonical_by_tokens, is_canonical
from svgarch.theme import _parse, available_themes, styles_dir
from svgarch.theme_checks import ParsedRule, check_colour, is_hex_colour

ROOT = Path(__file__).resolve().parent.parent


def _bundled_rules() -> list[ParsedRule]:
    parsed: list[ParsedRule] = []
    folder = styles_dir()
    for path in sorted(folder.glob("*.css")):
        _parse(path.read_text(encoding="utf-8"), str(path), parsed, "", "theme", str(folder))
    return parsed


def test_every_bundled_text_is_told_alike() -> None:
    rules = _bundled_rules()
    values = {d.value for r in rules for d in r.declarations}
    selectors = {r.selector for r in rules}
    assert len(values) > 100 and len(selectors) > 20
    plain = 0
    for place, texts in (("value", values), ("selector", selectors)):
        for text in texts:
            assert canonical_by_tokens(text, place), text  # a parse's output is canonical
            plain += bool(PLAIN[place].fullmatch(text))
    assert plain > 0.9 * (len(values) + len(selectors))  # the fast path is the common one


PIECES = [
    *("a", "sa-x", "-x", "--v", "_y", "e", "E", "em", "px", "e5", "e-3", "u", "var", "root", "text"),
    *("0", "1", "12", "9999999", "99999999", "1.5", ".5", "00"),
    *("#", "#fff", "#-1", ".", ":", "::", ",", ", ", " ", "  ", " > ", ">", "*", "%", "-", "+", "/"),
    *('"', '"a b"', '"a,b"', "(", ")", "var(--x)", "var(", "[", "]", "\\", "<", ";", "{", "é", "\t", "\n"),
]


EDGES = [
    *("9999999e5", "1e9", "1e-9", "5E+9", "99999999", "1.5e9px", "e5", "1e5", "0e0", "1--x", "1-5", ".5px"),
    *("a,,b", "a ,b", "a  b", " a", "a ", "#", "#é", '"a"b', '"a" b', "var(--x", "var(--x) )", "-", "--", "u+1f"),
]
SELECTOR_EDGES = [
    *(".a", "a.b", "a>b", "a > b", "a  b", ".a,", ",.a", "a, .b", "*.x", ":root", "::x", ".--x", ".1", ".-5"),
]
CASES = [*((t, "value") for t in EDGES), *((t, "selector") for t in SELECTOR_EDGES)]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join), st.sampled_from(["value", "selector"]))
def test_what_the_fast_path_accepts_the_tokens_accept(text: str, place: str) -> None:
    if PLAIN[place].fullmatch(text):
        assert canonical_by_tokens(text, place), (place, text)


@pytest.mark.parametrize(("text", "place"), CASES)
def test_edge_texts_are_told_alike(text: str, place: str) -> None:
    """Where a shortcut would go wrong: exponents (1e9 is past MAX_NUMBER), units, doubled spaces, commas."""
    assert is_canonical(text, place) == canonical_by_tokens(text, place)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789abcdefABCDEFgx#", min_size=1, max_size=10))
def test_a_hex_colour_told_fast_is_one_tinycss2_reads(text: str) -> None:
    import tinycss2.color3

    if is_hex_colour(text):
        assert tinycss2.color3.parse_color(text) is not None
        check_colour(text, "x")


def test_long_plain_texts_are_checked_by_their_tokens() -> None:
    text = " ".join(["a"] * (css_tokens.MAX_TOKENS // 2 + 1))
    assert PLAIN["value"].fullmatch(text) and not is_canonical(text, "value")


@pytest.mark.parametrize("theme", [t for t in available_themes() if t != "auto"])
def test_a_cached_bundled_theme_imports_no_tinycss2(theme: str, tmp_path: Path) -> None:
    code = (
        "import sys; from svgarch.theme import load_theme; load_theme(sys.argv[1]);"
        " print('tinycss2' in sys.modules)"
    )
    env_cache = {"SVGARCH_CACHE_DIR": str(tmp_path)}
    import os

    env = {**os.environ, **env_cache}
    first = subprocess.run([sys.executable, "-c", code, theme], env=env, capture_output=True, text=True, cwd=ROOT)
    again = subprocess.run([sys.executable, "-c", code, theme], env=env, capture_output=True, text=True, cwd=ROOT)
    assert (first.stdout.split(), again.stdout.split()) == (["True"], ["False"]), (first.stderr, again.stderr)
