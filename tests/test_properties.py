"""Generated descriptions, valid and broken, in all three syntaxes.

Every one ends in a well-formed, inert SVG that cairosvg renders, or in a
SpecError: never in another exception. Valid ones must render. The runs are
derandomized (the same examples every time) and sized for CI: about 2,200
examples in about a minute on two cores.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import svgarch
from svgarch import inline
from svgarch.errors import SpecError
from svgarch.model import ARROWS, DIRECTIONS, ROUTES, SIDES
from svgarch.render.raster import to_png
from svgarch.shapes import SHAPES
from svgarch.spec.names import clean_text
from svgarch.theme import available_themes
from tests.test_hostile import HOSTILE, assert_safe

VALID_EXAMPLES = 1000
BROKEN_EXAMPLES = 1200
CI = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SYNTAXES = ("toml", "json", "yaml")
KINDS = ("io", "encoder", "decoder", "skip", "film", "x-1", "_k", "A9")
CELLS = [(r, c) for r in range(4) for c in range(4)]

text = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=24),
    st.sampled_from(HOSTILE),
    st.from_regex(r"[A-Za-z][A-Za-z0-9 ]{0,15}", fullmatch=True),
).filter(lambda t: inline.check(clean_text(t)) is None)  # a valid description's texts hold valid markup
name = st.one_of(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True), text)
some_text = st.one_of(  # where an empty text is refused
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=24),
    st.sampled_from(HOSTILE),
).filter(lambda t: clean_text(t) != "" and inline.check(clean_text(t)) is None)


def usable(block_id: str) -> bool:
    return bool(clean_text(block_id).strip())


@st.composite
def placements(draw: st.DrawFn, free: list[tuple[int, int]], auto: bool = True) -> dict[str, Any]:
    """A grid cell (taken from ``free``), an absolute centre, or nothing."""
    mode = draw(st.sampled_from(["grid", "abs", "auto"] if auto else ["grid", "abs"]))
    if mode == "grid" and free:
        row, col = free.pop(draw(st.integers(0, len(free) - 1)))
        out: dict[str, Any] = {"row": row, "col": col}
        if (row, col + 1) in free and draw(st.booleans()):
            free.remove((row, col + 1))
            out["colspan"] = 2
        return out
    if mode == "auto":
        return {}
    coord = st.one_of(st.integers(-400, 400), st.floats(-400, 400, allow_nan=False))
    return {"x": draw(coord), "y": draw(coord)}


def maybe(draw: st.DrawFn, out: dict[str, Any], key: str, strategy: st.SearchStrategy[Any]) -> None:
    if draw(st.booleans()):
        out[key] = draw(strategy)


@st.composite
def descriptions(draw: st.DrawFn) -> dict[str, Any]:
    """A valid description: every reference resolves, no cell is taken twice."""
    ids = draw(st.lists(name.filter(usable), min_size=1, max_size=6, unique_by=lambda s: clean_text(s)))
    free = list(CELLS)
    blocks = []
    strategy: st.SearchStrategy[Any]
    for block_id in ids:
        b: dict[str, Any] = {"id": block_id, **draw(placements(free))}
        for key, strategy in (
            ("title", text),
            ("subtitle", text),
            ("kind", st.sampled_from(KINDS)),
            ("shape", st.sampled_from(sorted(SHAPES))),
            ("width", st.integers(0, 240)),
            ("height", st.floats(0, 120)),
        ):
            maybe(draw, b, key, strategy)
        if "row" not in b and "x" not in b:
            maybe(draw, b, "level", st.integers(0, 4))
        blocks.append(b)
    ends = st.one_of(st.sampled_from(ids), st.lists(st.sampled_from(ids), min_size=1, max_size=3))
    edges = []
    for _ in range(draw(st.integers(0, 7))):
        e: dict[str, Any] = {"from": draw(ends), "to": draw(ends)}
        for key, strategy in (
            ("kind", st.sampled_from(KINDS)),
            ("label", text),
            ("route", st.sampled_from(ROUTES)),
            ("bend", st.floats(-1, 1)),
            ("from_side", st.sampled_from(SIDES)),
            ("to_side", st.sampled_from(SIDES)),
            ("arrow", st.sampled_from(ARROWS)),
        ):
            maybe(draw, e, key, strategy)
        edges.append(e)
    raw: dict[str, Any] = {"block": blocks}
    if edges:
        raw["edge"] = edges
    for key, strategy in (
        ("title", text),
        ("description", text),
        ("theme", st.sampled_from(available_themes())),
        ("direction", st.sampled_from(DIRECTIONS)),
        ("id", st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)),
        ("legend", st.dictionaries(st.sampled_from(KINDS), some_text, max_size=3)),
    ):
        maybe(draw, raw, key, strategy)
    notes = [{"text": draw(some_text), **draw(placements(free))} for _ in range(draw(st.integers(0, 2)))]
    if notes:
        raw["note"] = notes
    grid_rows = max((e["row"] + e.get("rowspan", 1) for e in blocks + notes if "row" in e), default=0)
    rows = draw(st.lists(st.integers(0, grid_rows - 1), max_size=3, unique=True)) if grid_rows else []
    if rows:  # a row label must mark a row of the grid
        raw["row_label"] = [{"row": r, "label": draw(some_text)} for r in rows]
    if len(ids) > 1 and draw(st.booleans()):
        members = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
        taken = {clean_text(i) for i in ids}
        group = next(g for g in ("g", "g1", "g2", "g3", "g4", "g5", "g6") if g not in taken)  # not a block id
        raw["group"] = [{"id": group, "label": draw(text), "blocks": members}]
        outside = [i for i in ids if i not in members]
        if bool(outside) and draw(st.booleans()):  # an edge to or from the group's frame
            pair = [draw(st.sampled_from(outside)), group][:: draw(st.sampled_from((1, -1)))]
            raw.setdefault("edge", []).append({"from": pair[0], "to": pair[1]})
    return raw


# --- mistakes -------------------------------------------------------------------------------

ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**7), 10**7),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@st.composite
def mistakes(draw: st.DrawFn, raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` with one to three things wrong (some of which happen to be right)."""
    raw = json.loads(json.dumps(raw))  # a deep copy
    for _ in range(draw(st.integers(1, 3))):
        tables = {
            s: [e for e in v if isinstance(e, dict)]
            for s in ("block", "edge", "note", "row_label", "group")
            if isinstance(v := raw.get(s), list)
        }
        entries = draw(st.sampled_from([v for v in tables.values() if v] or [[raw]]))
        entry = entries[draw(st.integers(0, len(entries) - 1))]
        how = draw(st.integers(0, 9))
        if how == 0:  # an unknown key, maybe a typo
            entry[draw(st.sampled_from(["titel", "subtitel", "lable", "colour", "frm", "", "$x"]))] = draw(ODD_VALUES)
        elif how == 1 and entry:  # a key goes
            del entry[draw(st.sampled_from(sorted(entry)))]
        elif how == 2 and entry:  # a value of the wrong type or out of range
            entry[draw(st.sampled_from(sorted(entry)))] = draw(ODD_VALUES)
        elif how == 3 and tables.get("edge"):  # an edge to a block that is not there
            tables["edge"][0][draw(st.sampled_from(["from", "to"]))] = draw(st.sampled_from(["nope", "", "a b"]))
        elif how == 4 and tables.get("block"):  # a second block with the same id, or in the same cell
            raw["block"].append(dict(tables["block"][0]))
        elif how == 5:  # a kind that is not a name, or is svgarch's own (which is fine)
            entry["kind"] = draw(st.one_of(text, st.sampled_from(["head", "text", "label", "margin", "palette-0"])))
        elif how == 6:  # half a position
            entry[draw(st.sampled_from(["row", "col", "x", "y"]))] = draw(st.integers(-2, 3))
        elif how == 7:  # a theme or CSS that is not there
            raw[draw(st.sampled_from(["theme", "css"]))] = draw(st.sampled_from(["drak", "nope.css", "/etc/passwd"]))
        elif how == 8:  # a section of the wrong shape
            raw[draw(st.sampled_from(["block", "edge", "legend", "note"]))] = draw(ODD_VALUES)
        else:  # the top-level id
            raw["id"] = draw(text)
    return raw


# --- the three syntaxes ---------------------------------------------------------------------


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    return json.dumps(v)


def toml_text(raw: dict[str, Any], tables: bool) -> str | None:
    """TOML for ``raw``: arrays of tables as ``[[name]]`` when ``tables``, else inline; None if TOML cannot say it."""
    if any(v is None for v in _leaves(raw)):
        return None  # TOML has no null
    head, tail = [], []
    for k, v in raw.items():
        key = json.dumps(k, ensure_ascii=False)
        if tables and isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            for entry in v:
                tail.append(f"\n[[{key}]]")
                tail += [f"{json.dumps(ek, ensure_ascii=False)} = {toml_value(ev)}" for ek, ev in entry.items()]
        else:
            head.append(f"{key} = {toml_value(v)}")
    return "\n".join(head + tail) + "\n"


def _leaves(v: Any) -> list[Any]:
    if isinstance(v, dict):
        return [x for item in v.values() for x in _leaves(item)]
    if isinstance(v, list):
        return [x for item in v for x in _leaves(item)]
    return [v]


def serialize(raw: dict[str, Any], syntax: str, tables: bool) -> bytes | None:
    if syntax == "json":
        return json.dumps(raw, ensure_ascii=False).encode("utf-8", "surrogatepass")
    if syntax == "yaml":
        return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")
    text = toml_text(raw, tables)
    return None if text is None else text.encode("utf-8", "surrogatepass")


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """The file's bytes cut short, with a byte changed, or with garbage put in."""
    how = draw(st.integers(0, 3))
    at = draw(st.integers(0, len(data)))
    if how == 0:
        return data[:at]
    if how == 1 and data:
        at = min(at, len(data) - 1)
        return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    if how == 2:
        return (
            data[:at]
            + draw(st.sampled_from([b"\xff\xfe", b"]]", b"{", b'"', b"\n[[block]]\n", b"\t", b"\x00"]))
            + data[at:]
        )
    return data


# --- the property ---------------------------------------------------------------------------


def outcome(folder: Path, data: bytes, syntax: str) -> str:
    """'svg' (checked, and drawn by cairosvg) or 'refused' (a SpecError); anything else fails the test."""
    path = folder / f"d.{syntax}"
    path.write_bytes(data)
    try:
        svg = svgarch.load(path).to_svg()
    except SpecError as exc:
        assert exc.problems and all(str(p).startswith(str(path)) for p in exc.problems)
        assert all("\n" not in str(p) for p in exc.problems)
        return "refused"
    assert_safe(svg)
    root = ET.fromstring(svg)
    assert root.get("viewBox")
    assert to_png(svg, dpi=8).startswith(b"\x89PNG")  # cairosvg parses and draws all of it
    return "svg"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::svgarch.MissingGlyphWarning")  # any code point: some no font has
@settings(CI, max_examples=VALID_EXAMPLES)
@given(raw=descriptions(), syntax=st.sampled_from(SYNTAXES), tables=st.booleans())
def test_a_valid_description_renders(folder: Path, raw: dict[str, Any], syntax: str, tables: bool) -> None:
    data = serialize(raw, syntax, tables)
    assert data is not None
    assert outcome(folder, data, syntax) == "svg", raw


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::svgarch.MissingGlyphWarning")
@settings(CI, max_examples=BROKEN_EXAMPLES)
@given(data=st.data(), syntax=st.sampled_from(SYNTAXES), tables=st.booleans())
def test_a_broken_description_is_refused_or_renders(
    folder: Path, data: st.DataObject, syntax: str, tables: bool
) -> None:
    raw = data.draw(descriptions())
    if data.draw(st.booleans()):
        raw = data.draw(mistakes(raw))
    content = serialize(raw, syntax, tables)
    if content is None:
        content = serialize(raw, "json", tables)
        assert content is not None
        syntax = "json"
    if data.draw(st.integers(0, 2)) == 0:
        content = data.draw(damaged(content))
    event(outcome(folder, content, syntax))  # --hypothesis-show-statistics shows the share of each
