"""The format's other faces: the JSON Schema, docs/format.md, and kind names.

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
from svgarch.kind_names import kind_variable
from svgarch.shapes import SHAPES
from svgarch.spec import read_description
from svgarch.spec.formatdoc import key_tables
from svgarch.spec.jsonschema import json_schema
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
        "zero_wrap.toml",
        "wrap_not_a_number.json",
        "negative_row.toml",
        "negative_width.json",
        "zero_colspan.toml",
        "number_out_of_range.toml",
        "bend_out_of_range.toml",
        "grid_too_large.toml",
        "kind_not_an_identifier.toml",
        "kind_starts_with_digit.json",
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


# --- kind names ----------------------------------------------------------------------------

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


def test_kinds_have_a_class_namespace_of_their_own(drawn_classes: set[str]) -> None:
    kinds = {c for c in drawn_classes if c.startswith("sa-k-")}
    assert kinds == {f"sa-k-{k}" for k in (*KINDS, "encoder")}
    own = drawn_classes - kinds
    assert {
        "sa-block",
        "sa-edge",
        "sa-fan",
        "sa-label",
        "sa-shape",
        "sa-line",
        "sa-head",
        "sa-note",
        "sa-cap",
        "sa-shape-top",
    } <= own
    assert all(c == "svgarch" or c.startswith("sa-") for c in own)


def base_css() -> str:
    return (ROOT / "styles" / "base.css").read_text(encoding="utf-8")


def test_no_stylesheet_styles_the_kinds_namespace() -> None:
    for sheet in (ROOT / "styles").glob("*.css"):
        styled = set(re.findall(r"\.sa-([A-Za-z0-9_-]+)", re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.S)))
        assert not {c for c in styled if c.startswith("k-")}, sheet.name


def test_no_kind_can_read_a_setting() -> None:
    # the variables a kind k reads: --sa-k and --sa-k-<suffix>, as the stylesheet asks for them
    suffixes: set[str] = set()
    for theme in svgarch.theme.available_themes():
        sheet = ET.fromstring(everything_diagram(theme)).find(f"{NS}style")
        assert sheet is not None and sheet.text
        suffixes |= {m for k in KINDS for m in re.findall(rf"--sa-{k}((?:-[a-z]+)*)\b", sheet.text)}
    assert {"", "-dash", "-width"} <= suffixes
    sheets = [sheet.read_text(encoding="utf-8") for sheet in (ROOT / "styles").glob("*.css")]
    declared = {s for text in sheets for s in re.findall(r"--sa-([A-Za-z0-9_-]+)\s*:", text)}
    seed_kinds = ("encoder", "bottleneck", "decoder", "mlp", "io", "film", "skip")  # the themes' named kinds
    settings = {s for s in declared if not s.startswith(seed_kinds)}
    assert {"bg", "text", "margin", "head-width", "palette-0", "palette-3-ink"} <= settings
    for setting in settings:
        for suffix in suffixes:
            if setting.endswith(suffix) and setting != suffix:
                kind = setting[: len(setting) - len(suffix)] if suffix else setting
                for name in (kind, kind.upper()):
                    assert kind_variable(name) == f"--sa-k-{name}", f"kind '{name}' would read --sa-{setting}"


# svgarch's own class and setting names, as kinds on blocks, edges and notes at once
OWN_NAMES = [
    ("head", "label", "text"),
    ("line", "shape", "title"),
    ("block", "edge", "note"),
    ("legend-item", "pill", "margin"),
    ("palette-0", "k-zqedge", "Group"),
]


@pytest.mark.parametrize("names", OWN_NAMES, ids="-".join)
def test_svgarch_s_own_names_are_kinds_like_any_other(names: tuple[str, str, str]) -> None:
    def diagram(kinds: tuple[str, ...]) -> svgarch.Diagram:
        d = svgarch.Diagram("Kinds")
        for i, kind in enumerate(kinds):
            d.block(f"b{i}", f"Block {i}", kind=kind, row=0, col=i)
            d.edge(f"b{i}", f"b{(i + 1) % 3}", kind=kind, label=f"to {i}")
            d.note(f"note {i}", kind=kind, row=1, col=i)
        d.edge("b0", "b2", label="plain")
        for kind in kinds:
            d.legend(kind, "legend text")
        return d

    own = diagram(names)
    svg = own.to_svg()
    for kind in names:
        assert f'data-kind="{kind}"' in svg
    # every element looks as it does with names svgarch never uses: no rule of either side reaches the other
    assert own.to_png(dpi=48) == diagram(KINDS).to_png(dpi=48)


def test_a_kind_named_like_a_setting_reads_its_own_variables(tmp_path: Path) -> None:
    css = tmp_path / "k.css"
    css.write_text(".svgarch { --sa-k-text: #123456; --sa-k-head-width: 4px; --sa-text: #fedcba; }\n")
    d = svgarch.Diagram("Kinds", css=str(css))
    d.block("a", "A", kind="text", row=0, col=0).block("b", "B", row=0, col=1).edge("a", "b", kind="head")
    sheet = d.to_svg()
    assert re.search(r"\.sa-block\.sa-k-text > \.sa-shape, [^{]*\{ fill: var\(--sa-k-text, #123456\) \}", sheet)
    assert re.search(r"\.sa-title \{[^}]*fill: #fedcba", sheet)  # --sa-text is still the diagram's text colour
    assert "stroke-width: var(--sa-k-head-width, var(--sa-edge-width, 4px))" in sheet


def test_a_kind_is_refused_only_when_it_is_no_css_identifier() -> None:
    with pytest.raises(svgarch.SpecError, match="not a CSS identifier"):
        svgarch.Diagram().block("a", kind="a b").model  # noqa: B018
    svgarch.Diagram().block("a", kind="TEXT").model  # noqa: B018
