"""The format's other faces: the JSON Schema, docs/format.md, and the reserved kind names.

Each is made from (or checked against) the same tables svgarch validates
with, so none of them can drift from what ``svgarch render`` accepts.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

import svgarch
from svgarch.cli import main
from svgarch.shapes import SHAPES
from svgarch.spec import read_description
from svgarch.spec.formatdoc import key_tables
from svgarch.spec.jsonschema import json_schema
from svgarch.spec.names import RESERVED_KINDS
from svgarch.spec.schema import SECTIONS, TOP

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "broken"


def schema_errors(value: Any, schema: dict[str, Any], path: str = "") -> list[str]:
    """A small validator for the JSON Schema keywords svgarch's schema uses."""
    errors: list[str] = []
    kind = schema.get("type")
    checks = {
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str),
        "integer": isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer(),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
    }
    if kind is not None and not checks[kind]:
        return [f"{path}: not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: not in enum")
    if "not" in schema and not schema_errors(value, schema["not"], path):
        errors.append(f"{path}: matches 'not'")
    if "anyOf" in schema and all(schema_errors(value, s, path) for s in schema["anyOf"]):
        errors.append(f"{path}: matches none of anyOf")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{path}: pattern")
        if len(value) > schema.get("maxLength", len(value)):
            errors.append(f"{path}: too long")
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and not schema.get("minimum", value) <= value <= schema.get("maximum", value):
        errors.append(f"{path}: out of range")
    if isinstance(value, list):
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
            errors.append(f"{path}: item count")
        for i, item in enumerate(value):
            errors += schema_errors(item, schema.get("items", {}), f"{path}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        errors += [f"{path}.{k}: required" for k in schema.get("required", []) if k not in value]
        if len(value) > schema.get("maxProperties", len(value)):
            errors.append(f"{path}: too many properties")
        for k, v in value.items():
            if "propertyNames" in schema:
                errors += schema_errors(k, schema["propertyNames"], f"{path}.{k} (name)")
            if k in props:
                errors += schema_errors(v, props[k], f"{path}.{k}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}.{k}: not allowed")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += schema_errors(v, schema["additionalProperties"], f"{path}.{k}")
    return errors


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json_schema()


def test_svgarch_schema_prints_it(capsys: pytest.CaptureFixture[str], schema: dict[str, Any]) -> None:
    assert main(["schema"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and json.loads(out) == schema


def test_the_schema_names_every_key(schema: dict[str, Any]) -> None:
    props = schema["properties"]
    assert {k.name for k in TOP} | set(SECTIONS) | {"legend"} == set(props)
    for name, keys in SECTIONS.items():
        entry = props[name]["anyOf"][1]
        assert set(entry["properties"]) == {k.name for k in keys}
        assert entry["required"] == [k.name for k in keys if k.required]


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.*")), ids=lambda p: p.name)
def test_every_example_satisfies_the_schema(example: Path, schema: dict[str, Any]) -> None:
    raw, _ = read_description(example)
    assert schema_errors(raw, schema) == []


@pytest.mark.parametrize(
    "name",
    [
        "unknown_top_key.toml",
        "unknown_block_key.toml",
        "unknown_edge_key.yaml",
        "string_expected.toml",
        "yaml_boolean_title.yaml",
        "number_expected.json",
        "whole_number_expected.toml",
        "list_expected.yaml",
        "bad_choice.toml",
        "bad_direction.json",
        "negative_row.toml",
        "negative_width.json",
        "zero_colspan.toml",
        "number_out_of_range.toml",
        "bend_out_of_range.toml",
        "grid_too_large.toml",
        "kind_not_an_identifier.toml",
        "kind_starts_with_digit.json",
        "kind_reserved.toml",
        "kind_reserved_setting.toml",
        "legend_kind_reserved.toml",
        "legend_kind_not_identifier.json",
        "id_not_an_identifier.toml",
        "id_cdata_end.json",
        "label_too_long.toml",
        "missing_block_id.toml",
        "missing_edge_to.json",
        "missing_note_text.yaml",
        "empty_edge_list.toml",
        "section_not_a_list.toml",
        "legend_not_a_table.toml",
    ],
)
def test_the_schema_refuses_what_svgarch_refuses_key_by_key(name: str, schema: dict[str, Any]) -> None:
    raw, _ = read_description(BROKEN / name)
    assert schema_errors(raw, schema) != []


# --- docs/format.md -------------------------------------------------------------------------


def test_the_format_doc_holds_the_current_key_tables() -> None:
    doc = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    assert key_tables() in doc, "docs/format.md is stale: paste in the output of `python -m svgarch.spec.formatdoc`"


# --- reserved kinds -------------------------------------------------------------------------

NS = "{http://www.w3.org/2000/svg}"
KINDS = ("zqblock", "zqedge", "zqnote")


def everything_diagram(theme: str) -> str:
    """A diagram with every element the SVG writer draws: shapes, fans, loops, groups, notes, legend."""
    d = svgarch.Diagram("Every element", description="all of them", theme=theme)
    for i, shape in enumerate(SHAPES):
        d.block(f"b{i}", f"Block {i}", subtitle="sub", shape=shape, kind=KINDS[0], row=i // 4, col=i % 4, group="g")
    d.group("g", "Group")
    d.edge("b0", ["b1", "b2"], kind=KINDS[1], label="fan")
    d.edge("b3", "b3", label="loop")
    d.edge("b4", "b5", kind="encoder", label="plain")
    d.note("a note", kind=KINDS[2], row=3, col=0)
    d.row_label(0, "row zero")
    d.legend(KINDS[0], "Blocks").legend(KINDS[1], "Edges").legend("encoder", "Encoder")
    return d.to_svg()


@pytest.fixture(scope="module")
def drawn_classes() -> set[str]:
    classes: set[str] = set()
    for theme in svgarch.theme.available_themes():
        for el in ET.fromstring(everything_diagram(theme)).iter():
            classes.update((el.get("class") or "").split())
    return classes


def test_every_class_svgarch_draws_is_a_reserved_kind(drawn_classes: set[str]) -> None:
    own = {c.removeprefix("sa-") for c in drawn_classes if c.startswith("sa-")} - {*KINDS, "encoder"}
    drawn = {"block", "edge", "fan", "label", "shape", "line", "head", "pill", "note", "legend", "cap", "shape-top"}
    assert drawn <= own
    assert own - RESERVED_KINDS == set(), "add these to RESERVED_KINDS in svgarch/spec/names.py"


def base_css() -> str:
    return (ROOT / "styles" / "base.css").read_text(encoding="utf-8")


def test_every_class_base_css_styles_is_a_reserved_kind() -> None:
    styled = set(re.findall(r"\.sa-([A-Za-z0-9_-]+)", re.sub(r"/\*.*?\*/", "", base_css(), flags=re.S)))
    assert styled - RESERVED_KINDS == set(), "add these to RESERVED_KINDS in svgarch/spec/names.py"


def test_no_kind_can_read_a_base_css_setting() -> None:
    # the variables a kind k reads: --sa-k and --sa-k-<suffix>, as the stylesheet asks for them
    suffixes: set[str] = set()
    for theme in svgarch.theme.available_themes():
        sheet = ET.fromstring(everything_diagram(theme)).find(f"{NS}style")
        assert sheet is not None and sheet.text
        suffixes |= {m for k in KINDS for m in re.findall(rf"--sa-{k}((?:-[a-z]+)*)\b", sheet.text)}
    assert {"", "-dash", "-width"} <= suffixes
    settings = set(re.findall(r"--sa-([A-Za-z0-9_-]+)\s*:", base_css()))
    for setting in settings:
        for suffix in suffixes:
            if setting.endswith(suffix) and setting != suffix:
                kind = setting[: len(setting) - len(suffix)] if suffix else setting
                assert kind.lower() in RESERVED_KINDS, f"kind '{kind}' would read --sa-{setting}: reserve it"


@pytest.mark.parametrize("kind", sorted(RESERVED_KINDS))
def test_a_reserved_kind_is_refused_in_any_case(kind: str) -> None:
    with pytest.raises(svgarch.SpecError, match="is reserved"):
        svgarch.Diagram().block("a", kind=kind.upper()).model  # noqa: B018
