"""Input problems end as exit 2 and one line each (SpecError from the API), never exit 70 or a hang:
numbers no float holds, escapes past Unicode, nesting, canvases past the limits, bad option values,
files that are not regular or not svgarch's SVGs, a time limit on every command that lays out."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import svgarch
from svgarch.cli import main
from svgarch.errors import SpecError
from svgarch.spec.schema import MAX_CANVAS_AREA, MAX_CANVAS_SIDE, MAX_COORD, MAX_GROUP_DEPTH

ROOT = Path(__file__).resolve().parent.parent
HUGE = "9" * 400  # 35 of the 36 crashes a fuzzer found were a number like this


def one_line(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the CLI; expect exit 2 and exactly one 'svgarch: ...' line on stderr, and return it."""
    code = main(list(argv))
    _, err = capsys.readouterr()
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("svgarch: ")
    return lines[0]


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["x", "width", "height", "level", "row", "colspan"])
@pytest.mark.parametrize("syntax", ["toml", "json", "yaml"])
def test_a_400_digit_integer_is_out_of_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, syntax: str
) -> None:
    extra = {"x": "y", "row": "col"}.get(key)
    values = {key: HUGE, **({extra: "1"} if extra else {})}
    if syntax == "toml":
        text = '[[block]]\nid = "a"\n' + "".join(f"{k} = {v}\n" for k, v in values.items())
    elif syntax == "json":
        text = '{"block": [{"id": "a", ' + ", ".join(f'"{k}": {v}' for k, v in values.items()) + "}]}"
    else:
        text = "block:\n- id: a\n" + "".join(f"  {k}: {v}\n" for k, v in values.items())
    spec = tmp_path / f"d.{syntax}"
    spec.write_text(text)
    line = one_line(capsys, "render", str(spec))
    where = f"{spec}:1:" if syntax == "json" else f"{spec}:3:"
    assert line == f"svgarch: {where} block[0].{key}: a 400-digit number is out of range (at most 100000 in size)"
    with pytest.raises(SpecError, match="400-digit number is out of range"):
        _ = svgarch.load(spec).model
    assert not spec.with_suffix(".svg").exists()


def test_the_api_refuses_numbers_no_float_holds() -> None:
    for value in (10**400, -(10**5000), float("inf"), float("nan"), 1e308, MAX_COORD + 1):
        with pytest.raises(SpecError) as info:
            _ = svgarch.Diagram().block("a", width=value).model
        (problem,) = info.value.problems
        assert problem.key == "block[0].width"


def test_a_yaml_escape_past_unicode_names_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "d.yaml"
    spec.write_text('block:\n- id: a\n  title: "\\Uffffffffffff"\n')
    assert one_line(capsys, "render", str(spec)) == (
        f"svgarch: {spec}:3: invalid YAML: escape '\\Uffffffff' is past U+10FFFF"
    )
    with pytest.raises(SpecError):
        svgarch.load(spec)


# --- nesting ---------------------------------------------------------------------------------


def nested(depth: int) -> str:
    text = f'[[block]]\nid = "a"\ngroup = "g{depth - 1}"\n[[block]]\nid = "b"\n[[edge]]\nfrom = "a"\nto = "b"\n'
    for i in range(depth):
        text += f'[[group]]\nid = "g{i}"\nlabel = "G{i}"\n' + (f'group = "g{i - 1}"\n' if i else "")
    return text


def test_groups_nested_past_the_limit_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "d.toml"
    spec.write_text(nested(1000))  # a RecursionError once
    line = one_line(capsys, "render", str(spec))
    limit = MAX_GROUP_DEPTH
    assert line.endswith(f"group[{limit}].group: groups nest more than {limit} deep here, the limit")


def test_groups_nested_to_the_limit_are_drawn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "d.toml"
    spec.write_text(nested(MAX_GROUP_DEPTH))
    assert main(["render", str(spec)]) == 0, capsys.readouterr().err
    assert spec.with_suffix(".svg").read_text().count('class="sa-group"') == MAX_GROUP_DEPTH


# --- the canvas ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("blocks", "key", "message"),
    [
        (
            [{"width": 60_000, "height": 60_000}],
            "block[0].width",
            "the blocks' widths × heights add up to more than 1e9 px², the limit",
        ),
        (
            [{"x": -60_000, "y": 0}, {"x": 60_000, "y": 0}],
            "block[1].x",
            f"what is placed at x spans 120000 px; the limit is {MAX_CANVAS_SIDE}",
        ),
        (
            [{"row": 0, "col": 0, "height": 70_000}, {"row": 5, "col": 0, "height": 40_000}],
            "block[0].height",
            f"the grid's rows add up to 110000 px or more; the limit is {MAX_CANVAS_SIDE}",
        ),
    ],
)
def test_a_canvas_past_the_limits_is_refused(blocks: list[dict[str, Any]], key: str, message: str) -> None:
    d = svgarch.Diagram()
    for i, keys in enumerate(blocks):
        d.block(f"b{i}", **keys)
    with pytest.raises(SpecError) as info:
        _ = d.model
    assert [(p.key, p.message) for p in info.value.problems] == [(key, message)]
    assert MAX_CANVAS_AREA == 10**9


def test_the_largest_block_allowed_is_drawn_in_bounded_memory() -> None:
    import tracemalloc

    d = svgarch.Diagram().block("a", width=100_000, height=10_000).block("b").edge("a", "b", label="x")
    tracemalloc.start()
    try:
        svg = d.to_svg()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert 'width="100000"' in svg or "100000" in svg
    assert peak < 200 * 1024 * 1024, peak


# --- options ---------------------------------------------------------------------------------


def test_timeout_zero_means_never(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "d.toml"
    spec.write_text('[[block]]\nid = "a"\n')
    assert main(["render", str(spec), "--timeout", "0"]) == 0
    assert main(["check", str(spec), "--timeout", "0"]) == 0
    capsys.readouterr()


# --- time limits -----------------------------------------------------------------------------


def endless(*_args: Any, **_kwargs: Any) -> Any:
    while True:  # a layout that would take hours, and that swallows what it can
        with contextlib.suppress(Exception):  # the point: the time limit is no Exception
            time.sleep(0.01)


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX timers")
@pytest.mark.parametrize("command", ["render", "check", "gallery"])
def test_every_command_that_lays_out_has_a_time_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    from svgarch import pipeline

    spec = tmp_path / "d.toml"
    spec.write_text('[[block]]\nid = "a"\n')
    monkeypatch.setattr(pipeline, "build_scene", endless)
    monkeypatch.setattr(pipeline, "render_svg", endless)
    if command == "gallery":
        import svgarch.cli

        monkeypatch.setattr(svgarch.cli, "_gallery", lambda *_: endless())
    start = time.monotonic()
    line = one_line(capsys, command, str(spec), "--timeout", "0.3")
    assert time.monotonic() - start < 5
    assert line == "svgarch: gave up after 0.3 s (--timeout); no file was changed"
    assert list(tmp_path.iterdir()) == [spec]
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)


# --- check reads only what it should -------------------------------------------------------


@pytest.fixture(scope="module")
def good_svg(tmp_path_factory: pytest.TempPathFactory) -> str:
    d = svgarch.Diagram("t").block("a", row=0, col=0).block("b", row=1, col=0).edge("a", "b", label="l")
    return d.to_svg()


def test_check_refuses_what_is_not_a_regular_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.svg"
    os.mkfifo(fifo)  # reading it would wait for ever
    assert one_line(capsys, "check", str(fifo)) == f"svgarch: {fifo}: is not a regular file"
    folder = tmp_path / "folder.svg"
    folder.mkdir()
    assert one_line(capsys, "check", str(folder)) == f"svgarch: {folder}: is a directory, not an SVG"
    assert one_line(capsys, "check", "/dev/zero").startswith("svgarch: /dev/zero: unknown description suffix")
    big = tmp_path / "big.svg"
    with big.open("wb") as fh:  # 2 GB, sparse: nothing is read
        fh.truncate(2 * 1024**3)
    assert one_line(capsys, "check", str(big)) == f"svgarch: {big}: is larger than 16777216 bytes, the limit for an SVG"


def in_shape(svg: str, attribute: str, prefix: str) -> str:
    """``svg`` with ``prefix`` put before the value of ``attribute`` of the first block's shape."""
    return re.sub(rf'(class="sa-shape"[^>]*? {attribute}=")', rf"\g<1>{prefix}", svg, count=1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s[: len(s) // 2], "cannot read SVG: "),
        (
            lambda s: (
                '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
                + s.replace("<title>t</title>", "<title>&b;</title>")
            ),
            "(it has a DOCTYPE or entities; refused)",
        ),
        (lambda s: in_shape(s, "x", "abc"), "x 'abc28' is not a number"),
        (lambda s: in_shape(s, "width", "9" * 400), "is out of range"),
        (lambda s: s.replace('class="sa-shape"', 'class="x"', 1), "has no sa-shape"),
        (lambda s: s.replace('class="sa-line"', 'class="x"', 1), "has no sa-line"),
        (lambda s: s.replace(' d="M', ' d="Q 1 2 3 4', 1), "path command 'Q' is not one svgarch writes"),
        (lambda s: re.sub(r'(class="sa-line" d=")[^"]*', r"\g<1>M 5", s, count=1), "path data 'M 5' ends early"),
        (lambda s: s.replace('viewBox="', 'viewBox="1 ', 1), "its viewBox is not four numbers"),
        (lambda s: s.replace('class="svgarch"', 'class="other"', 1), "no <svg class='svgarch'> root"),
        (lambda s: re.sub(r"(sa-block-title \{[^}]*font-size: )[0-9.]+", r"\g<1>nan", s), "font-size nan is out of"),
    ],
)
def test_check_on_a_malformed_svg_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], good_svg: str, change: Any, message: str
) -> None:
    path = tmp_path / "d.svg"
    path.write_text(good_svg)
    assert main(["check", str(path)]) == 0
    capsys.readouterr()
    path.write_text(change(good_svg))
    line = one_line(capsys, "check", str(path))
    assert line.startswith(f"svgarch: {path}: ") and message in line


def test_check_refuses_an_svg_in_another_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.svg"
    path.write_bytes('<?xml version="1.0" encoding="UTF-16"?><svg class="svgarch"/>'.encode("utf-16"))
    assert "not UTF-8 text" in one_line(capsys, "check", str(path))


def test_a_billion_laughs_is_refused_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entities = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = tmp_path / "lol.svg"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE svg [{entities}]><svg class="svgarch">&l9;</svg>')
    start = time.monotonic()
    assert "DOCTYPE" in one_line(capsys, "check", str(path))
    assert time.monotonic() - start < 2


# --- messages --------------------------------------------------------------------------------


def test_a_file_name_with_a_line_break_prints_as_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "two\nlines.toml"
    spec.write_text('[[block]]\nid = "a"\ntitel = "x"\n')
    line = one_line(capsys, "render", str(spec))
    assert repr(str(spec)) in line and "\\n" in line
    missing = tmp_path / "esc\x1b[31mape.svg"
    assert repr(str(missing)) in one_line(capsys, "check", str(missing))


def test_a_reader_that_goes_away_is_no_error(tmp_path: Path) -> None:
    """``svgarch check … | head``: no "Broken pipe", no traceback."""
    specs = [str(p) for p in sorted((ROOT / "examples").glob("*.toml"))[:3]]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "svgarch", "check", *specs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # the reader is gone before the first line
    _, err = proc.communicate(timeout=120)
    assert err == b""
    assert proc.returncode == 141  # 128 + SIGPIPE, as a shell reports a command a closed pipe stopped


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="RLIMIT_DATA as Linux counts it")
def test_the_command_stops_at_its_memory_limit(tmp_path: Path) -> None:
    """Edges across 9,999 ranks (each a chain of dummy nodes in the layered engine) are within the
    description's limits, yet would take gigabytes: the console command ends in MemoryError, exit 2."""
    spec = tmp_path / "ranks.toml"
    blocks = "".join(f'[[block]]\nid = "a{i}"\nlevel = 0\n[[block]]\nid = "b{i}"\nlevel = 9999\n' for i in range(30))
    edges = "".join(f'[[edge]]\nfrom = "a{i}"\nto = "b{j}"\n' for i in range(30) for j in range(30))
    spec.write_text(blocks + edges)
    env = {**os.environ, "SVGARCH_MEMORY_MB": "300"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "svgarch", "render", str(spec)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "svgarch: out of memory: the diagram needs more than the limit of 300 MB (SVGARCH_MEMORY_MB sets another)\n"
    )
    assert list(tmp_path.iterdir()) == [spec]
