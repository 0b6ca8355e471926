"""svgarch.spec: loading TOML, JSON and YAML descriptions and validating them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import svgarch
from svgarch.errors import Problem, SpecError
from svgarch.model import Block, DiagramModel, Edge, Group, LegendEntry, Note, RowLabel
from svgarch.spec import load_model, model_from_raw, read_description
from svgarch.spec.lines import json_lines, line_of, toml_lines, yaml_lines
from svgarch.spec.validate import build_model, suggest

SAMPLE_TOML = """\
title = "Service"
description = "Two blocks"
direction = "LR"

[legend]
io = "Input/output"
skip = "Skip"

[[block]]
id = "api"
title = "API"
subtitle = "FastAPI\\nport 80"
kind = "io"
row = 0
col = 0

[[block]]
id = "db"
shape = "cylinder"
row = 1
col = 0
colspan = 2
width = 120.5

[[edge]]
from = "api"
to = ["db"]
label = "SQL"
bend = -0.25
to_side = "top"

[[edge]]
from = ["api", "db"]
to = "api"
kind = "skip"
arrow = "both"
route = "orthogonal"

[[note]]
text = "γ / β"
row = 2
col = 1

[[row_label]]
row = 0
label = "front"

[[group]]
id = "all"
label = "Everything"
blocks = ["api", "db"]
"""


def sample_data() -> dict[str, object]:
    """SAMPLE_TOML as plain data, for writing the same description as JSON/YAML."""
    import tomllib

    return tomllib.loads(SAMPLE_TOML)


def content(model: DiagramModel) -> dict[str, object]:
    """Every field of a model but the file it came from."""
    names = getattr(model, "_fields", None) or [f.name for f in dataclasses.fields(model)]  # type: ignore[arg-type]
    return {name: getattr(model, name) for name in names if name != "source"}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(SpecError) as info:
        load_model(path)
    return list(info.value.problems)


def messages(path: Path) -> list[str]:
    """Problems as the CLI prints them, with the folder stripped."""
    return [str(p).replace(str(path.parent) + "/", "") for p in problems_of(path)]


# --- one schema, three syntaxes ----------------------------------------------


def test_toml_description_builds_the_expected_model(tmp_path: Path) -> None:
    model = load_model(write(tmp_path, "s.toml", SAMPLE_TOML))
    assert model.title == "Service" and model.direction == "LR" and model.theme == "dark"
    assert model.blocks == (
        Block("api", "API", "FastAPI\nport 80", "io", row=0, col=0),
        Block("db", shape="cylinder", row=1, col=0, colspan=2, width=120.5),
    )
    assert model.edges == (
        Edge(("api",), ("db",), label="SQL", bend=-0.25, to_side="top"),
        Edge(("api", "db"), ("api",), kind="skip", arrow="both", route="orthogonal"),
    )
    assert model.edges[1].is_fan and not model.edges[0].is_fan
    assert model.notes == (Note("γ / β", row=2, col=1),)
    assert model.row_labels == (RowLabel(0, "front"),)
    assert model.groups == (Group("all", "Everything", ("api", "db")),)
    assert model.legend == (LegendEntry("io", "Input/output"), LegendEntry("skip", "Skip"))  # file order
    assert model.source.endswith("s.toml")


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml"])
def test_json_and_yaml_mean_exactly_what_toml_means(tmp_path: Path, suffix: str) -> None:
    data = sample_data()
    text = json.dumps(data, indent=2) if suffix == ".json" else yaml.safe_dump(data, allow_unicode=True)
    other = load_model(write(tmp_path, "s" + suffix, text))
    assert content(other) == content(load_model(write(tmp_path, "s.toml", SAMPLE_TOML)))


def test_the_python_api_builds_the_same_model_as_a_file(tmp_path: Path) -> None:
    d = svgarch.Diagram("Service", description="Two blocks", direction="LR")
    d.legend("io", "Input/output").legend("skip", "Skip")
    d.block("api", "API", subtitle="FastAPI\nport 80", kind="io", row=0, col=0)
    d.block("db", shape="cylinder", row=1, col=0, colspan=2, width=120.5)
    d.edge("api", ["db"], label="SQL", bend=-0.25, to_side="top")
    d.edge(["api", "db"], "api", kind="skip", arrow="both", route="orthogonal")
    d.note("γ / β", row=2, col=1)
    d.row_label(0, "front")
    d.group("all", "Everything", ["api", "db"])
    assert content(d.model) == content(load_model(write(tmp_path, "s.toml", SAMPLE_TOML)))


def test_a_single_block_table_counts_as_a_list_of_one(tmp_path: Path) -> None:
    model = load_model(write(tmp_path, "s.toml", '[block]\nid = "a"\n'))
    assert model.blocks == (Block("a"),)


def test_whole_floats_are_accepted_for_integer_keys() -> None:
    model = build_model({"block": [{"id": "a", "row": 2.0, "col": 0}]}, "<t>", lambda key: None)
    assert model.blocks[0].row == 2 and isinstance(model.blocks[0].row, int)


def test_a_utf8_bom_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE_TOML.encode())
    assert load_model(path).title == "Service"


def test_theme_and_css_paths_are_relative_to_the_description(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    for name in ("mine.css", "a.css", "b.css"):  # named files must exist: they are checked on load
        write(sub, name, ".svgarch { --sa-bg: #ffffff; }\n")
    model = load_model(write(sub, "s.toml", 'theme = "mine.css"\ncss = ["a.css", "b.css"]\n[[block]]\nid = "a"\n'))
    assert model.theme == str(sub / "mine.css")
    assert model.css == (str(sub / "a.css"), str(sub / "b.css"))
    bundled = load_model(write(sub, "t.toml", 'theme = "light"\n[[block]]\nid = "a"\n'))
    assert bundled.theme == "light"


def test_read_description_returns_raw_data_and_a_line_finder(tmp_path: Path) -> None:
    raw, where = read_description(write(tmp_path, "s.toml", SAMPLE_TOML))
    assert isinstance(raw, dict) and raw["title"] == "Service"
    assert where("edge[1].kind") == 35
    assert where("edge[1].nonexistent") == 32  # the enclosing table
    assert where("nothing") is None


# --- problem messages ----------------------------------------------------------


def test_problem_text_is_file_line_key_message() -> None:
    problem = Problem("d.toml", 41, "edge[3].to", "unknown block 'enc2'")
    assert str(problem) == "d.toml:41: edge[3].to: unknown block 'enc2'"
    assert str(Problem("d.toml", None, "", "no such file")) == "d.toml: no such file"
    assert str(Problem("d.toml", 3, "", "invalid TOML")) == "d.toml:3: invalid TOML"


BAD = {
    ".toml": """\
title = "x"
colour = "red"

[[block]]
id = "enc0"
titel = "Encoder"

[[block]]
id = "enc1"

[[edge]]
from = "enc0"
to = "enc2"
route = "curvy"
""",
    ".json": """\
{
  "title": "x",
  "colour": "red",
  "block": [
    {"id": "enc0",
     "titel": "Encoder"},
    {"id": "enc1"}
  ],
  "edge": [
    {"from": "enc0",
     "to": "enc2",
     "route": "curvy"}
  ]
}
""",
    ".yaml": """\
title: x
colour: red
block:
  - id: enc0
    titel: Encoder
  - id: enc1
edge:
  - from: enc0
    to: enc2
    route: curvy
""",
}
BAD_LINES = {".toml": (2, 6, 13, 14), ".json": (3, 6, 11, 12), ".yaml": (2, 5, 9, 10)}


@pytest.mark.parametrize("suffix", list(BAD))
def test_every_problem_is_reported_at_once_with_its_line(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path, "bad" + suffix, BAD[suffix])
    colour, titel, to, route = BAD_LINES[suffix]
    name = path.name
    assert sorted(messages(path)) == sorted(
        [
            f"{name}:{colour}: colour: unknown key 'colour'",
            f"{name}:{titel}: block[0].titel: unknown key 'titel' (did you mean 'title'?)",
            f"{name}:{to}: edge[0].to: unknown block 'enc2' (did you mean 'enc1'?)",
            f"{name}:{route}: edge[0].route: 'curvy' is not one of auto, straight, curved, orthogonal"
            " (did you mean 'curved'?)",
        ]
    )


def test_the_same_error_gets_the_same_message_in_every_syntax(tmp_path: Path) -> None:
    texts = {s: [m.split(":", 2)[2] for m in messages(write(tmp_path, "bad" + s, BAD[s]))] for s in BAD}
    assert texts[".toml"] == texts[".json"] == texts[".yaml"]


def test_lines_count_entries_of_interleaved_sections(tmp_path: Path) -> None:
    text = """\
[[block]]
id = "a"
[[edge]]
from = "a"
to = "a"
[[block]]
id = "b"
[[edge]]
from = "b"
to = "c"
"""
    (problem,) = problems_of(write(tmp_path, "s.toml", text))
    assert (problem.line, problem.key) == (10, "edge[1].to")
    assert problem.message.startswith("unknown block 'c'")


def test_lines_skip_multiline_strings(tmp_path: Path) -> None:
    text = 'title = """\n[[edge]]\nfoo = 1\n"""\ncolor = "x"\n[[block]]\nid = "a"\n'
    (problem,) = problems_of(write(tmp_path, "s.toml", text))
    assert (problem.line, problem.key) == (5, "color")


def test_inline_tables_point_at_their_array(tmp_path: Path) -> None:
    (problem,) = problems_of(write(tmp_path, "s.toml", '\nblock = [{id = "a"}, {id = "b", titel = "x"}]\n'))
    assert (problem.line, problem.key) == (2, "block[1].titel")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"1"', "must be a number, not a string"),
        ("1.5", "must be a whole number, not 1.5"),
        ("-1", "must be at least 0, not -1"),
        ("true", "must be a number, not a boolean"),
        ("[1]", "must be a number, not a list"),
        ("2000000", "2e+06 is out of range (at most 100000 in size)"),
    ],
)
def test_typed_keys_are_checked(tmp_path: Path, value: str, message: str) -> None:
    (problem,) = problems_of(write(tmp_path, "s.toml", f'[[block]]\nid = "a"\nlevel = {value}\n'))
    assert (problem.line, problem.key, problem.message) == (3, "block[0].level", message)


def test_non_finite_numbers_are_refused(tmp_path: Path) -> None:
    (problem,) = problems_of(write(tmp_path, "s.toml", '[[block]]\nid = "a"\nwidth = inf\n'))
    assert problem.key == "block[0].width" and problem.message == "must be a finite number, not inf"


def test_structural_problems(tmp_path: Path) -> None:
    text = """\
[[block]]
id = "a"
row = 0
col = 0
kind = "not an ident"
[[block]]
id = "a"
[[block]]
id = "b"
row = 0
col = 0
[[block]]
id = "c"
row = 1
[[edge]]
from = "a"
[[edge]]
from = []
to = "a"
[[group]]
id = "g"
blocks = ["a", "bb"]
group = "gg"
[legend]
"a b" = "x"
"""
    got = {(p.key, p.message) for p in problems_of(write(tmp_path, "s.toml", text))}
    assert got == {
        ("block[0].kind", "kind 'not an ident' is not a CSS identifier (letters, digits, '-', '_')"),
        ("block[1].id", "duplicate block id 'a' (first at block[0])"),
        ("block[2].row", "block 'b': grid cell (row 0, col 0) is already taken by block 'a'"),
        ("block[3]", "give both 'row' and 'col' (or neither)"),
        ("edge[0]", "missing required key 'to'"),
        ("edge[1].from", "must name at least one block"),
        ("group[0].blocks", "unknown block 'bb' (did you mean 'b'?)"),
        ("group[0].group", "unknown group 'gg' (did you mean 'g'?)"),
        ("legend.a b", "kind 'a b' is not a CSS identifier (letters, digits, '-', '_')"),
    }


def test_a_top_level_that_is_not_a_table(tmp_path: Path) -> None:
    (problem,) = problems_of(write(tmp_path, "s.json", "[1, 2]"))
    assert problem.message == "the description must be a table/object at the top level"


def test_api_load_of_a_file_that_is_not_a_table(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        svgarch.load(write(tmp_path, "s.json", "[1, 2]")).model  # noqa: B018
    assert [p.message for p in info.value.problems] == ["the description must be a table/object at the top level"]


def test_type_names_in_messages_are_grammatical() -> None:
    with pytest.raises(SpecError) as info:
        build_model({"title": 3, "legend": {"k": 2.5}}, "<t>", lambda key: None)
    for problem in info.value.problems:
        assert " a int" not in problem.message and " a float" not in problem.message, problem.message


# --- unreadable files ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "line", "start"),
    [
        ("s.toml", b'title = "x\n', 1, "invalid TOML: "),
        ("s.toml", b'title = "x"\n\n[[block]]\nid = \n', 4, "invalid TOML: "),
        ("s.json", b'{\n "title": "x",\n "block": [\n  {"id": "a",}\n ]\n}\n', 4, "invalid JSON: "),
        ("s.yaml", b"title: x\nblock:\n  - id: a\n   bad: [\n", 4, "invalid YAML: "),
        ("s.toml", b'title = "x"\ntitle2 = "\xff"\n', 2, "is not UTF-8 text"),
    ],
)
def test_syntax_errors_carry_their_line(tmp_path: Path, name: str, data: bytes, line: int, start: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    (problem,) = problems_of(path)
    assert problem.line == line and problem.message.startswith(start)
    assert str(problem).startswith(f"{path}:{line}: ")
    assert "(at line" not in problem.message  # the line moved to the front


def test_an_inline_array_added_to_by_a_table_says_so_in_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text('edge = [{ from = "a", to = "b" }]\n\n[[block]]\nid = "a"\n\n[[edge]]\nfrom = "a"\nto = "a"\n',
                    encoding="utf-8")
    (problem,) = problems_of(path)
    assert problem.line == 6
    assert problem.message == ("invalid TOML: 'edge' was written whole at line 1 (an inline array or table), "
                               "so it cannot be added to here: write it one way (column 7)")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.toml", "no such file"),
        ("empty.toml", "is empty"),
        ("s.txt", "unknown description suffix '.txt' (use .toml, .json, .yaml or .yml)"),
        ("folder.toml", "is a directory, not a description file"),
    ],
)
def test_files_that_cannot_be_read(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "empty.toml").write_text("  \n")
    (tmp_path / "s.txt").write_text("title = 'x'")
    (tmp_path / "folder.toml").mkdir()
    (problem,) = problems_of(tmp_path / name)
    assert (problem.line, problem.key, problem.message) == (None, "", message)


# --- helpers ---------------------------------------------------------------------


def test_suggest_only_offers_close_matches() -> None:
    assert suggest("enc2", ["enc0", "enc1", "dec0"]) in (" (did you mean 'enc0'?)", " (did you mean 'enc1'?)")
    assert suggest("titel", ["title", "subtitle"]) == " (did you mean 'title'?)"
    assert suggest("zzz", ["title", "subtitle"]) == ""


def test_line_of_falls_back_to_the_enclosing_path() -> None:
    lines = {"edge": 3, "edge[1]": 7, "edge[1].to": 9}
    assert line_of(lines, "edge[1].to") == 9
    assert line_of(lines, "edge[1].kind") == 7
    assert line_of(lines, "edge[5].kind") == 3
    assert line_of(lines, "legend.x") is None


def test_line_maps_of_the_three_syntaxes_agree() -> None:
    data = sample_data()
    maps = [
        toml_lines(SAMPLE_TOML),
        json_lines(json.dumps(data, indent=2)),
        yaml_lines(yaml.safe_dump(data, allow_unicode=True, sort_keys=False)),
    ]
    for m in maps:  # every map names the same key paths (values differ with layout)
        for key in ("title", "legend.skip", "block[1].shape", "edge[1].kind", "group[0].blocks"):
            assert key in m, (key, sorted(m))


def test_model_from_raw_validates_plain_data() -> None:
    model = model_from_raw({"block": [{"id": "a"}], "theme": "light"}, "<api>", lambda key: None, Path("."))
    assert content(model) == content(DiagramModel(theme="light", blocks=(Block("a"),)))
    with pytest.raises(SpecError) as info:
        model_from_raw({"block": [{"id": 3}]}, "<api>", lambda key: None, Path("."))
    assert str(info.value).startswith("<api>: block[0].id: must be a string")


# --- edges to and from groups ----------------------------------------------------


def _model(raw: dict[str, object]) -> DiagramModel:
    return model_from_raw(raw, "<t>", lambda key: None, Path("."))


def _problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(SpecError) as info:
        _model(raw)
    return [f"{p.key}: {p.message}" for p in info.value.problems]


POOL: dict[str, object] = {
    "block": [{"id": "lb"}, {"id": "w1", "group": "pool"}, {"id": "w2"}, {"id": "db"}],
    "group": [{"id": "pool", "label": "workers", "blocks": ["w2"], "group": "site"}, {"id": "site"}],
}


def test_an_edge_may_name_a_group_at_either_end_and_in_a_fan() -> None:
    edges = [{"from": "lb", "to": "pool"}, {"from": "pool", "to": ["db", "lb"]}, {"from": "site", "to": "db"}]
    model = _model({**POOL, "edge": edges})
    assert [(e.sources, e.targets) for e in model.edges] == [
        (("lb",), ("pool",)),
        (("pool",), ("db", "lb")),
        (("site",), ("db",)),
    ]


@pytest.mark.parametrize(
    ("edge", "problem"),
    [
        ({"from": "pool", "to": "w1"}, "edge[0].to: block 'w1' is inside group 'pool'"),
        ({"from": "w2", "to": "pool"}, "edge[0].from: block 'w2' is inside group 'pool'"),
        ({"from": "site", "to": "w1"}, "edge[0].to: block 'w1' is inside group 'site'"),  # however deep
        ({"from": "site", "to": "pool"}, "edge[0].to: group 'pool' is inside group 'site'"),
        ({"from": "pool", "to": "pool"}, "edge[0].to: an edge from group 'pool' to itself"),
        ({"from": "lb", "to": "pol"}, "edge[0].to: unknown block or group 'pol' (did you mean 'pool'?)"),
    ],
)
def test_an_edge_between_a_group_and_what_it_holds_is_refused(edge: dict[str, object], problem: str) -> None:
    (got,) = _problems({**POOL, "edge": [edge]})
    assert got.startswith(problem)


def test_an_edge_to_a_group_without_blocks_is_refused() -> None:
    raw = {"block": [{"id": "a"}], "group": [{"id": "empty"}, {"id": "shell", "group": "empty"}]}
    assert _problems({**raw, "edge": [{"from": "a", "to": "shell"}]}) == [
        "edge[0].to: group 'shell' holds no blocks: it has no frame to draw the edge to"
    ]


def test_a_group_may_not_share_a_block_id() -> None:
    raw = {"block": [{"id": "db"}, {"id": "replica", "group": "db"}], "group": [{"id": "db"}]}
    assert _problems(raw) == ["group[0].id: 'db' is already a block id (block[0]); give the group a name of its own"]


def test_without_groups_an_unknown_end_is_an_unknown_block() -> None:
    assert _problems({"block": [{"id": "a"}], "edge": [{"from": "a", "to": "b"}]}) == ["edge[0].to: unknown block 'b'"]
