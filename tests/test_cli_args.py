"""The command line's shortcut for ``render SPEC [-o OUT]`` reads exactly what argparse reads.

Thousands of word lists built from words that matter to argparse (options, their prefixes, '-', '--',
empty words, look-alike values) are read both ways: wherever the shortcut answers, argparse reads the same
options without an error; everywhere else the words go to argparse. Then whole runs with and without the
shortcut give the same exit status, messages and files.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import itertools
from pathlib import Path

import pytest

from svgarch import cli_args
from svgarch.cli import main

POOL = ("render", "a.toml", "-o", "x.svg", "-", "--", "", "-x", "--output", "-ox.svg", "--dpi", "-5", "=", "@f")


@functools.cache
def _parser(command: str | None) -> argparse.ArgumentParser:
    return cli_args.parser(command)


def _argparse(words: list[str]) -> dict[str, object] | None:
    """argparse's options for ``words``, or None when it refuses them (or prints help)."""
    command = words[0] if words and words[0] in cli_args.COMMANDS else None
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            return vars(_parser(command).parse_args(words))
        except SystemExit:
            return None


def test_the_shortcut_reads_what_argparse_reads() -> None:
    taken = 0
    for size in range(5):
        for words in itertools.product(POOL, repeat=size):
            fast = cli_args.plain_render(list(words))
            if fast is None:
                continue
            taken += 1
            assert vars(fast) == _argparse(list(words)), words
    plain = sum(1 for word in POOL if word and not word.startswith("-"))
    assert taken == plain + plain * plain  # render SPEC, and render SPEC -o OUT, for the plain words of the pool


@pytest.mark.parametrize(
    "words",
    [
        ["render", "a.toml", "-o", "x.svg"],
        ["render", "a.toml"],
        ["render", "a b.toml", "-o", "out dir/x y.svg"],
        ["render", "a=b.toml", "-o", "@x.svg"],
        ["render", "ä.toml", "-o", "x.png"],
    ],
)
def test_plain_words_take_the_shortcut(words: list[str]) -> None:
    fast = cli_args.plain_render(words)
    assert fast is not None and vars(fast) == _argparse(words)


@pytest.mark.parametrize(
    "words",
    [
        ["render", "-", "-o", "x.svg"],
        ["render", "a.toml", "-o", "-"],
        ["render", "a.toml", "--output", "x.svg"],
        ["render", "a.toml", "-ox.svg"],
        ["render", "a.toml", "b.toml"],
        ["render", "-o", "x.svg", "a.toml"],
        ["render", "", "-o", "x.svg"],
        ["render", "--help"],
        ["gallery", "a.toml"],
        ["render"],
        [],
    ],
)
def test_other_words_go_to_argparse(words: list[str]) -> None:
    assert cli_args.plain_render(words) is None


SPEC = """title = "T"
[[block]]
id = "a"
title = "A"
row = 0
col = 0
"""


@pytest.mark.parametrize(
    "case",
    ["good", "good, no -o", "missing spec", "no output folder", "broken spec", "png", "unknown suffix", "folder"],
)
def test_a_run_is_the_same_with_and_without_the_shortcut(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    results = []
    for shortcut in (True, False):
        folder = tmp_path / str(shortcut)
        folder.mkdir()
        (folder / "d.toml").write_text(SPEC)
        (folder / "bad.toml").write_text('title = "T"\n[[block]]\nid = 3\n')
        (folder / "sub").mkdir()
        words = {
            "good": ["render", "d.toml", "-o", "d.svg"],
            "good, no -o": ["render", "d.toml"],
            "missing spec": ["render", "nope.toml", "-o", "d.svg"],
            "no output folder": ["render", "d.toml", "-o", "nowhere/d.svg"],
            "broken spec": ["render", "bad.toml", "-o", "d.svg"],
            "png": ["render", "d.toml", "-o", "d.png"],
            "unknown suffix": ["render", "d.toml", "-o", "d.gif"],
            "folder": ["render", "sub", "-o", "d.svg"],
        }[case]
        monkeypatch.chdir(folder)
        if not shortcut:
            monkeypatch.setattr(cli_args, "plain_render", lambda words: None)
        code = main(words)
        out, err = capsys.readouterr()
        files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
        results.append((code, out, err, files))
    assert results[0] == results[1]
