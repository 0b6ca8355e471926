"""A seeded description fuzzer: whatever a description holds, svgarch answers with a well-formed, safe
SVG (exit 0) or one line per problem (exit 2) — never exit 70, a traceback or a hang.

Each case is derived from its number alone (``random.Random(case)``), so a failure names a case that
can be run again on its own. ``SVGARCH_FUZZ_CASES=N`` runs N cases of each kind (``make fuzz``: 5,000).
"""

from __future__ import annotations

import copy
import json
import math
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import svgarch
from svgarch.cli import main
from svgarch.errors import SvgarchError
from svgarch.spec.schema import SECTIONS, TOP
from tests.test_hostile import assert_safe

ROOT = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("SVGARCH_FUZZ_CASES", "200"))
CASE_SECONDS = 20.0  # a case that takes longer is a hang: --timeout (10 s) should have stopped it

GRID: dict[str, Any] = {
    "title": "Fuzz",
    "block": [
        {"id": "a", "title": "A", "row": 0, "col": 0, "kind": "encoder", "group": "g"},
        {"id": "b", "subtitle": "sub", "row": 1, "col": 0, "shape": "cylinder"},
        {"id": "c", "row": 1, "col": 1, "width": 80, "height": 40},
    ],
    "edge": [
        {"from": "a", "to": "b", "label": "l", "kind": "skip"},
        {"from": "b", "to": ["a", "c"], "route": "orthogonal"},
    ],
    "group": [{"id": "g", "label": "G"}],
    "note": [{"text": "n", "row": 2, "col": 0}],
    "row_label": [{"row": 0, "label": "r0"}],
    "legend": {"encoder": "Enc"},
}
AUTO: dict[str, Any] = {
    "title": "Auto",
    "direction": "LR",
    "block": [{"id": "a"}, {"id": "b", "level": 2}, {"id": "c", "shape": "diamond"}, {"id": "d", "x": 10, "y": 10}],
    "edge": [
        {"from": "a", "to": "b", "bend": 0.3},
        {"from": "a", "to": "c", "arrow": "both"},
        {"from": "c", "to": "a"},
    ],
}

NUMBERS: list[Any] = [
    10**400,
    -(10**400),
    2**63,
    1e308,
    -1e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    5e-324,
    0,
    -0.0,
    0.5,
    -1,
    99_999,
    100_000,
    100_001,
    9_999,
    10_000,
]
STRINGS: list[str] = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31mred",
    "\u202eevil\u202c",
    "\ufeff",
    "\ufffe\uffff",
    "\U0010ffff",
    "\ud800x\udfff",
    "e\u0301" * 300,
    "😀👩‍👩‍👧" * 200,
    "W" * 2000,
    "x" * 2001,
    "<script>alert(1)</script>",
    "]]></style><script>alert(1)</script>",
    '" onload="alert(1)',
    "&amp; &#0; &lt;",
    "a\nb\r\nc\rd",
    "\\",
    "${x} %s {{y}}",
    "javascript:alert(1)",
    "url(https://example.invalid/x)",
    "a/b.css",
    "dark",
    "encoder",
    "head",
    "TB",
    "orthogonal",
    "--x",
    "1x",
]
ODD_TYPES: list[Any] = [None, True, False, [], {}, [1, 2], {"a": 1}, 3, 2.5, "s", [[[]]], [None], {"": ""}]


def nested(depth: int, rng: random.Random) -> Any:
    value: Any = rng.choice(["x", 1, None])
    for _ in range(depth):
        value = [value] if rng.random() < 0.5 else {"k": value}
    return value


def a_value(rng: random.Random) -> Any:
    pool = rng.choice([NUMBERS, STRINGS, ODD_TYPES, "nested", "list"])
    if pool == "nested":
        return nested(rng.choice([5, 50, 200, 400]), rng)  # deeper: the text damage below
    if pool == "list":
        return [rng.choice(STRINGS) for _ in range(rng.choice([1, 3, 50]))]
    return copy.deepcopy(rng.choice(pool))


def entries(raw: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """Every table of the description with the section it is in ("" for the top level)."""
    out: list[tuple[dict[str, Any], str]] = [(raw, "")]
    for name in SECTIONS:
        section = raw.get(name, [])
        out += [(e, name) for e in (section if isinstance(section, list) else []) if isinstance(e, dict)]
    return out


def section_list(raw: dict[str, Any], name: str) -> list[Any]:
    """The list of a section, made one again if an earlier change made it something else."""
    if not isinstance(raw.get(name), list) or not raw[name] or not isinstance(raw[name][0], dict):
        raw[name] = [{"id": "a"}, {"id": "b"}] if name == "block" else [{"from": "a", "to": "b"}]
    value: list[Any] = raw[name]
    return value


def mutate(raw: dict[str, Any], rng: random.Random) -> None:
    """One change of the kind a hostile or careless author makes."""
    how = rng.randrange(10)
    table, section = rng.choice(entries(raw))
    keys = [k.name for k in (SECTIONS[section] if section else TOP)]
    if how == 0:  # a number no float holds, or none at all, at any key
        table[rng.choice(keys)] = rng.choice(NUMBERS)
    elif how == 1:  # odd text at any key
        table[rng.choice(keys)] = rng.choice(STRINGS)
    elif how == 2:  # any value at any key, of any type
        table[rng.choice(keys)] = a_value(rng)
    elif how == 3:  # a key no one knows, or a section made something else
        if rng.random() < 0.5:
            table[rng.choice([*STRINGS[:12], "titel", "block", "x y"])] = a_value(rng)
        else:
            raw[rng.choice([*SECTIONS, "legend"])] = a_value(rng)
    elif how == 4:  # groups nested deep
        depth = rng.choice([2, 63, 64, 65, 200, 1000])
        raw["group"] = [{"id": f"n{i}", **({"group": f"n{i - 1}"} if i else {})} for i in range(depth)]
        section_list(raw, "block")[0]["group"] = f"n{depth - 1}"
    elif how == 5:  # a required key gone, or an id twice
        if rng.random() < 0.5 and table is not raw and table:
            del table[rng.choice(list(table))]
        else:
            section_list(raw, "block").append(copy.deepcopy(section_list(raw, "block")[0]))
    elif how == 6:  # sizes and places at the limits
        blocks = [b for b in section_list(raw, "block") if isinstance(b, dict)]
        for block in rng.sample(blocks, k=min(2, len(blocks))):
            block.update({rng.choice(["width", "height", "x", "y"]): rng.choice([99_999, 100_000, 60_000, 10**6])})
            if "x" in block or "y" in block:
                block.pop("row", None), block.pop("col", None)
                block.setdefault("x", 0), block.setdefault("y", 0)
    elif how == 7:  # many entries: past the limits, or many small ones
        count = rng.choice([30, 1001, 5001])
        raw[rng.choice(["block", "note", "group", "row_label"])] = [{"id": f"m{i}", "text": "t"} for i in range(count)]
    elif how == 8:  # a legend of odd kinds
        raw["legend"] = {rng.choice(STRINGS): rng.choice([*STRINGS, *ODD_TYPES]) for _ in range(3)}
    else:  # an edge to every kind of end
        section_list(raw, "edge").append({"from": a_value(rng), "to": rng.choice(["a", ["a", "b"], "g", "zz"])})


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, str):
        return json.dumps(value)  # TOML basic strings escape as JSON does (a lone surrogate fails to parse)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items()) + "}"
    if value is None:
        return '""'  # TOML has no null
    return repr(value)


def toml_text(raw: dict[str, Any]) -> str:
    lines: list[str] = []
    for key, value in raw.items():
        if key in SECTIONS and isinstance(value, list) and all(isinstance(e, dict) for e in value):
            for e in value:  # as [[block]] tables, the way people write them
                lines.append(f"[[{key}]]")
                lines += [f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in e.items()]
        else:
            lines.insert(0, f"{json.dumps(str(key))} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


DEEP_JSON = '{"title": "x", "legend": ' + "[" * 3000 + "]" * 3000 + "}"  # JSON is YAML too


def serialise(raw: dict[str, Any], syntax: str, rng: random.Random) -> bytes:
    if syntax == "json":
        try:
            text = json.dumps(raw, ensure_ascii=rng.random() < 0.5)
        except RecursionError:  # too deep for the writer here: as deep again, as text
            text = DEEP_JSON
    elif syntax == "toml":
        try:
            text = toml_text(raw)
        except RecursionError:  # too deep for the writer here: as deep again, as text
            text = 'title = "x"\nlegend = ' + "[" * 3000 + "]" * 3000 + "\n"
    else:
        try:
            text = yaml.safe_dump(raw, allow_unicode=rng.random() < 0.5, width=rng.choice([80, 10_000]))
        except (RecursionError, yaml.YAMLError):  # deep nesting is too much for the YAML writer
            text = DEEP_JSON
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.25:  # damage the text itself
        at = rng.randrange(len(data) + 1)
        damage = rng.choice(
            [
                b"",  # cut here
                b"\x00",
                b"\xff\xfe",
                b'"\\Uffffffffffff"',
                b'"\\ud800"',
                b"\\",
                b"[[block]]\n",
                b"{" * 2000,
                b"&a [*a, *a, *a]",
                b"!!python/object/apply:os.system ['true']",
                ("9" * 5000).encode(),
            ]
        )
        data = data[:at] + damage + (b"" if damage == b"" else data[at:])
    return data


def case(number: int) -> tuple[str, bytes]:
    rng = random.Random(number)
    raw = copy.deepcopy(rng.choice([GRID, AUTO]))
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        mutate(raw, rng)
    syntax = rng.choice(["toml", "json", "yaml"])
    return syntax, serialise(raw, syntax, rng)


def assert_answer(code: int, out: str, err: str, svg: Path) -> None:
    """Exit 0 and a safe SVG, or exit 2 and one line per problem; nothing else."""
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 0:
        assert err == "", err
        text = svg.read_text(encoding="utf-8")
        assert "<script" not in text.lower()
        assert_safe(text)
        return
    lines = err.splitlines()
    assert lines and all(line.startswith("svgarch: ") and len(line) < 2000 for line in lines), err
    assert not svg.exists()


@pytest.mark.parametrize("number", range(CASES))
def test_a_fuzzed_description_is_drawn_or_refused(
    number: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    syntax, data = case(number)
    spec = tmp_path / f"d.{syntax}"
    spec.write_bytes(data)
    svg = tmp_path / "out.svg"
    start = time.monotonic()
    code = main(["render", str(spec), "-o", str(svg), "--timeout", "10"])
    assert time.monotonic() - start < CASE_SECONDS
    out, err = capsys.readouterr()
    assert_answer(code, out, err, svg)
    if code == 2 and number % 3 == 0 and len(data) < 20_000 and "--timeout" not in err:  # the API refuses it too
        with pytest.raises(SvgarchError):
            svgarch.load(spec).to_svg()
    if code == 0 and number % 4 == 0:  # and check reads back every SVG svgarch writes (0: clean, 1: defects)
        for target in (spec, svg):
            checked = main(["check", str(target), "--timeout", "10"])
            _, err = capsys.readouterr()
            assert checked in (0, 1), err


# --- svgarch check on fuzzed SVGs ------------------------------------------------------------


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("drawn")
    spec = folder / "d.json"
    spec.write_text(json.dumps(GRID))
    assert main(["render", str(spec), "-o", str(folder / "d.svg")]) == 0
    return (folder / "d.svg").read_text(encoding="utf-8")


BAD_NUMBERS = ["nan", "inf", "1e999", "9" * 400, "x", ""]
BAD_PATHS = ["", "M", "M 1", "Z", "C 1 2", "M 1 2 Q 3 4 5 6"]
_SVG_DAMAGE: list[Callable[[str, random.Random], str]] = [
    lambda s, r: s[: r.randrange(len(s))],
    lambda s, r: re.sub(r'="-?[0-9.]+"', lambda m: f'="{r.choice(BAD_NUMBERS)}"', s, count=3),
    lambda s, r: re.sub(r" d=\"[^\"]*\"", f' d="{r.choice(BAD_PATHS)}"', s, count=2),
    lambda s, r: s.replace('class="sa-', 'class="xx-', r.randrange(1, 4)),
    lambda s, r: re.sub(r"<(rect|path|text)\b[^>]*/?>", "", s, count=r.randrange(1, 4)),
    lambda s, r: s.replace("<svg", '<!DOCTYPE svg [<!ENTITY a "b">]><svg', 1),
    lambda s, r: s.replace("font-size: ", f"font-size: {r.choice(['nan', '1e999', '-5', '0', 'x'])}", 2),
    lambda s, r: s.replace('viewBox="', f'viewBox="{r.choice(["", "1 ", "x "])}', 1),
    lambda s, r: s.replace("</g>", "</g></g>", 1),
    lambda s, r: s.replace("<text", "<text><text", 1),
]


@pytest.mark.parametrize("number", range(max(10, CASES // 4)))
def test_check_on_a_fuzzed_svg_answers_in_one_line(
    number: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], drawn: str
) -> None:
    rng = random.Random(number)
    svg = drawn
    for _ in range(rng.choice([1, 1, 2])):
        svg = rng.choice(_SVG_DAMAGE)(svg, rng)
    path = tmp_path / "d.svg"
    path.write_text(svg, encoding="utf-8")
    start = time.monotonic()
    code = main(["check", str(path), "--timeout", "10"])
    assert time.monotonic() - start < CASE_SECONDS
    _, err = capsys.readouterr()
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        assert len(err.splitlines()) == 1 and err.startswith(f"svgarch: {path}: "), err


# --- the real command ------------------------------------------------------------------------


def test_fuzzed_descriptions_through_the_installed_command(tmp_path: Path) -> None:
    """A few cases as a user runs them: a process of its own, its exit status, its stderr."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    for number in range(5):
        syntax, data = case(number)
        spec = tmp_path / f"d{number}.{syntax}"
        spec.write_bytes(data)
        svg = tmp_path / f"d{number}.svg"
        done = subprocess.run(
            [sys.executable, "-m", "svgarch", "render", str(spec), "-o", str(svg), "--timeout", "10"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert_answer(done.returncode, done.stdout, done.stderr, svg)
