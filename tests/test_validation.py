"""Descriptions that fail well: every mistake gets its exact message, exit 2, no traceback.

The corpus in tests/broken/ holds one file per mistake; ``NAME.expected``
holds what ``svgarch render NAME`` must print, ``NAME.args`` extra arguments.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import svgarch
from svgarch.cli import main
from svgarch.errors import SpecError
from svgarch.spec import load_model, model_from_raw
from svgarch.spec.schema import MAX_BLOCKS, MAX_EDGES, MAX_ENTRIES, MAX_FILE_BYTES

BROKEN = Path(__file__).resolve().parent / "broken"
CASES = sorted(p.name.removesuffix(".expected") for p in BROKEN.glob("*.expected"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", CASES)
def test_each_broken_description_gets_its_message(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(BROKEN)  # messages name the file as given: relative to the corpus
    args_file = BROKEN / f"{name}.args"
    args = args_file.read_text().split() if args_file.exists() else ["-o", str(tmp_path / "out.svg")]
    before = sorted(p.name for p in BROKEN.rglob("*"))
    code, out, err = run(capsys, "render", name, *args)
    assert (code, out) == (2, ""), err
    assert "Traceback" not in err
    assert err == (BROKEN / f"{name}.expected").read_text(encoding="utf-8")
    assert sorted(p.name for p in BROKEN.rglob("*")) == before  # nothing written, nothing left behind
    assert list(tmp_path.iterdir()) == []


def test_the_corpus_has_an_expectation_for_every_file() -> None:
    described = {p.name for p in BROKEN.iterdir() if p.suffix not in (".expected", ".args") and p.name != "css"}
    assert described | {"does_not_exist.toml"} == set(CASES)


def test_every_message_names_the_file_and_a_line_or_key() -> None:
    for name in CASES:
        for line in (BROKEN / f"{name}.expected").read_text(encoding="utf-8").splitlines():
            assert line.startswith("svgarch: "), (name, line)


# --- limits ------------------------------------------------------------------------------


def messages(raw: object) -> list[str]:
    with pytest.raises(SpecError) as info:
        model_from_raw(raw, "d.json", lambda key: None, Path("."))
    return [f"{p.key}: {p.message}" for p in info.value.problems]


def test_too_many_blocks() -> None:
    raw = {"block": [{"id": f"b{i}"} for i in range(MAX_BLOCKS + 1)]}
    assert messages(raw) == [f"block: {MAX_BLOCKS + 1} entries; the limit is {MAX_BLOCKS}"]


def test_a_fan_counts_one_edge_per_pair() -> None:
    ids = [f"b{i}" for i in range(150)]
    raw = {"block": [{"id": i} for i in ids], "edge": [{"from": ids, "to": ids[:134]}]}
    drawn = 150 * 134
    assert drawn > MAX_EDGES
    assert messages(raw) == [
        f"edge: {drawn} edges drawn (a list in 'from' or 'to' draws one per pair); the limit is {MAX_EDGES}"
    ]


@pytest.mark.parametrize("section", ["note", "row_label", "group"])
def test_too_many_entries(section: str) -> None:
    raw = {"block": [{"id": "a"}], section: [{} for _ in range(MAX_ENTRIES + 1)]}
    assert messages(raw) == [f"{section}: {MAX_ENTRIES + 1} entries; the limit is {MAX_ENTRIES}"]


def test_too_many_legend_entries() -> None:
    raw = {"block": [{"id": "a"}], "legend": {f"k{i}": "x" for i in range(MAX_ENTRIES + 1)}}
    assert messages(raw) == [f"legend: {MAX_ENTRIES + 1} entries; the limit is {MAX_ENTRIES}"]


def test_a_file_over_the_size_limit_is_not_read_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.json"
    big.write_text('{"title": "' + "x" * MAX_FILE_BYTES + '"}')
    code, _, err = run(capsys, "render", str(big))
    assert code == 2
    assert err == f"svgarch: {big}: is larger than {MAX_FILE_BYTES} bytes, the limit for a description\n"


def test_a_long_list_in_to_is_refused_before_it_is_expanded() -> None:
    ids = [f"b{i}" for i in range(10)]
    raw = {"block": [{"id": i} for i in ids], "edge": [{"from": ids, "to": ids * 300}] * 10}
    assert messages(raw)[-1].startswith("edge: 300000 edges drawn")


def test_a_flood_of_mistakes_is_cut_short() -> None:
    blocks = [{"id": f"block{i}"} for i in range(MAX_BLOCKS)]
    raw = {"block": blocks, "edge": [{"from": f"blokc{i}", "to": f"blcok{i}"} for i in range(MAX_BLOCKS)]}
    got = messages(raw)
    assert len(got) == 101 and got[-1] == f": and {2 * MAX_BLOCKS - 100} more problems"
    assert got[0] == "edge[0].from: unknown block 'blokc0' (did you mean 'block0'?)"
    assert got[99] == "edge[49].to: unknown block 'blcok49'"  # suggestions for the first twenty only


def test_5000_blocks_validate(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    blocks = [{"id": f"b{i}", "title": f"block {i}", "row": i // 71, "col": i % 71} for i in range(MAX_BLOCKS)]
    edges = [{"from": f"b{i}", "to": f"b{i + 1}"} for i in range(MAX_BLOCKS - 1)]
    path.write_text(json.dumps({"block": blocks, "edge": edges}))
    model = load_model(path)
    assert len(model.blocks) == MAX_BLOCKS and len(model.edges) == MAX_BLOCKS - 1


# --- outputs -----------------------------------------------------------------------------


def test_an_output_folder_that_cannot_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    spec = tmp_path / "d.toml"
    spec.write_text('[[block]]\nid = "a"\n')
    locked = tmp_path / "locked"
    locked.mkdir()
    real = os.access
    monkeypatch.setattr("svgarch.files.os.access", lambda p, mode: False if Path(p) == locked else real(p, mode))
    code, _, err = run(capsys, "render", str(spec), "-o", str(locked / "d.svg"))
    assert (code, err) == (2, f"svgarch: {locked / 'd.svg'}: output folder {locked} is not writable\n")


def test_a_png_too_large_for_memory_is_refused_before_it_is_drawn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "d.toml"
    spec.write_text('[[block]]\nid = "a"\nx = 0\ny = 0\n[[block]]\nid = "b"\nx = 90000\ny = 0\n')
    code, _, err = run(capsys, "render", str(spec), "-o", str(tmp_path / "d.png"))
    assert code == 2
    assert err.startswith("svgarch: the PNG would be ") and "lower the dpi to " in err
    assert list(tmp_path.iterdir()) == [spec]


# --- what is allowed ----------------------------------------------------------------------


def test_a_row_label_marks_a_row_of_the_grid() -> None:
    grid = [{"id": "a", "row": 0, "col": 0}, {"id": "b", "row": 1, "col": 0, "rowspan": 2}, {"id": "c"}]
    notes = [{"text": "n", "row": 4, "col": 0}]
    fine = [{"row": r, "label": f"r{r}"} for r in (0, 2, 3, 4)]  # row 3 is empty, between two
    model = model_from_raw({"block": grid, "note": notes, "row_label": fine}, "d.json", lambda k: None, Path("."))
    assert [rl.row for rl in model.row_labels] == [0, 2, 3, 4]
    past = {"block": grid, "row_label": [{"row": 3, "label": "x"}]}
    assert messages(past) == [
        "row_label[0].row: row 3 is not a grid row (the grid's rows are 0 to 2); a row label marks a grid row"
    ]
    none = {"block": [{"id": "c"}, {"id": "d", "x": 10, "y": 10}], "row_label": [{"row": 0, "label": "x"}]}
    assert messages(none) == [
        "row_label[0].row: row 0 is not a grid row (no block or note has a 'row'); a row label marks a grid row"
    ]
    with pytest.raises(SpecError, match="row 0 is not a grid row"):  # the Python API checks the same
        svgarch.Diagram().block("c").row_label(0, "lost").to_svg()


def test_a_self_loop_is_drawn(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    d = svgarch.Diagram("Loop").block("a", row=0, col=0).block("b", row=0, col=1)
    d.edge("a", "a", label="retry").edge("a", "b")
    root = ET.fromstring(d.to_svg())
    loops = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-from") == g.get("data-to") == "a"]
    assert len(loops) == 1
    assert d.to_png().startswith(b"\x89PNG")


def test_control_characters_in_a_file_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text('title = "bell\\u0007 here"\n[[block]]\nid = "a\\u001b"\ntitle = "tab\\tand\\nbreak"\n')
    model = load_model(path)
    assert (model.title, model.blocks[0].id, model.blocks[0].title) == ("bell here", "a", "tab\tand\nbreak")


def test_lone_surrogates_from_json_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"title": "half \\ud800 a pair", "block": [{"id": "a"}]}')
    assert load_model(path).title == "half  a pair"
    assert "half  a pair" in svgarch.load(path).to_svg()


def test_yaml_keeps_dates_as_text_and_allows_merge_keys(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("title: 2024-13-45\nblock:\n  - &io {id: a, kind: io}\n  - {<<: *io, id: b}\n")
    model = load_model(path)
    assert model.title == "2024-13-45"
    assert [(b.id, b.kind) for b in model.blocks] == [("a", "io"), ("b", "io")]


def test_a_schema_key_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"$schema": "./svgarch.schema.json", "block": [{"id": "a"}]}')
    assert load_model(path).blocks[0].id == "a"


def test_lines_of_inline_toml_tables(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(
        'edge = [\n  { from = "a", to = "b" },  # [x]\n\n  { from = "a", label = "]", to = "c" },\n]\n'
        '[[block]]\nid = "a"\n[[block]]\nid = "b"\n'
    )
    with pytest.raises(SpecError) as info:
        load_model(path)
    assert [(p.line, p.key) for p in info.value.problems] == [(4, "edge[1].to")]


def test_a_bug_is_one_line_with_its_place_not_a_traceback(
    spec_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from svgarch import pipeline

    def broken(*_args: object, **_kwargs: object) -> None:
        return 1 // 0  # type: ignore[return-value]

    monkeypatch.setattr(pipeline, "build_scene", broken)
    code, out, err = run(capsys, "render", str(spec_file))
    assert (code, out) == (70, "")
    assert err.startswith("svgarch: internal error at test_validation.py:") and err.count("\n") == 1
    assert "ZeroDivisionError: integer division or modulo by zero" in err and "Traceback" not in err
    monkeypatch.setenv("SVGARCH_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["render", str(spec_file)])


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "d.toml"
    path.write_text('[[block]]\nid = "a"\nrow = 0\ncol = 0\n')
    return path
