"""svgarch.render.svg: the SVG document, a public contract that users' CSS targets."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import tinycss2

import svgarch
from svgarch.errors import SpecError
from svgarch.geometry import Box
from svgarch.pipeline import build_scene
from svgarch.read_svg import _shape_box
from svgarch.render.svg import n, path_data, polygon_data, to_svg
from svgarch.scene import Cubic, Line, ScenePath
from svgarch.shapes import SHAPES, cylinder_cap

NS = "{http://www.w3.org/2000/svg}"
TRICKY = 'a <b> & "c"'


def diagram(**settings: object) -> svgarch.Diagram:
    d = svgarch.Diagram("Title " + TRICKY, description="About " + TRICKY, **settings)
    d.block("in", "Input " + TRICKY, subtitle="sub\nline two", kind="io", row=0, col=0)
    d.block("x&y", "Middle", kind="encoder", row=1, col=0)
    d.block("l", "Left", row=2, col=0).block("r", "Right", row=2, col=1)
    d.edge("in", "x&y", label="edge " + TRICKY)
    d.edge("x&y", ["l", "r"], kind="skip", label="fan label")
    d.note("a note", row=3, col=0)
    d.row_label(0, "row zero")
    d.legend("io", "I/O").legend("skip", "Skip")
    return d


@pytest.fixture(scope="module")
def svg() -> str:
    return diagram().to_svg()


@pytest.fixture(scope="module")
def root(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def tag(el: ET.Element) -> str:
    return el.tag.removeprefix(NS)


def classes(el: ET.Element) -> list[str]:
    return el.get("class", "").split()


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [el for el in root.iter(f"{NS}g") if cls in classes(el)]


def test_the_root_element(root: ET.Element) -> None:
    assert tag(root) == "svg"
    assert root.get("class") == "svgarch" and root.get("role") == "img"
    sid = root.get("id")
    assert sid and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", sid)
    labelled = root.get("aria-labelledby", "").split()
    assert labelled == [f"{sid}-title", f"{sid}-desc"]
    by_id = {el.get("id", ""): el for el in root.iter() if el.get("id")}
    assert tag(by_id[f"{sid}-title"]) == "title" and by_id[f"{sid}-title"].text == "Title " + TRICKY
    assert tag(by_id[f"{sid}-desc"]) == "desc" and by_id[f"{sid}-desc"].text == "About " + TRICKY
    assert all(i == sid or i.startswith(f"{sid}-") for i in by_id)  # every id carries the diagram's


def test_physical_size_in_inches_matches_the_view_box(root: ET.Element) -> None:
    x0, y0, w, h = (float(v) for v in root.get("viewBox", "").split())
    assert (x0, y0) == (0, 0) and w > 0 and h > 0
    width, height = root.get("width", ""), root.get("height", "")
    assert width.endswith("in") and height.endswith("in")
    assert float(width[:-2]) * 96 == pytest.approx(w, abs=0.01)
    assert float(height[:-2]) * 96 == pytest.approx(h, abs=0.01)


def test_a_background_covers_the_view_box(root: ET.Element) -> None:
    (bg,) = [el for el in root.iter(f"{NS}rect") if "sa-background" in classes(el)]
    _, _, w, h = root.get("viewBox", "").split()
    assert (bg.get("x"), bg.get("y"), bg.get("width"), bg.get("height")) == ("0", "0", w, h)


def test_blocks_carry_their_id_and_kind(root: ET.Element) -> None:
    blocks = {g.get("data-block"): g for g in groups(root, "sa-block")}
    assert set(blocks) == {"in", "x&y", "l", "r"}
    assert classes(blocks["in"]) == ["sa-block", "sa-k-io"]
    assert blocks["in"].get("data-kind") == "io" and blocks["l"].get("data-kind") is None
    assert classes(blocks["l"]) == ["sa-block"]
    texts = [t.text for t in blocks["in"].iter(f"{NS}text")]
    assert texts == ["Input " + TRICKY, "sub", "line two"]
    assert [classes(t) for t in blocks["in"].iter(f"{NS}text")] == [
        ["sa-block-title"],
        ["sa-block-subtitle"],
        ["sa-block-subtitle"],
    ]
    assert len([el for el in blocks["in"] if "sa-shape" in classes(el)]) == 1


def test_edges_carry_their_ends_and_hold_their_label(root: ET.Element) -> None:
    edges = groups(root, "sa-edge")
    assert sorted((e.get("data-from"), e.get("data-to")) for e in edges) == [
        ("in", "x&y"),
        ("x&y", "l"),
        ("x&y", "r"),
    ]
    (plain,) = [e for e in edges if e.get("data-to") == "x&y"]
    kids = [classes(el) for el in plain]
    assert ["sa-line"] in kids and ["sa-head"] in kids
    (label,) = [el for el in plain if classes(el) == ["sa-label"]]
    assert [t.text for t in label.iter(f"{NS}text")] == ["edge " + TRICKY]


def test_a_fan_is_one_group_with_its_label_drawn_once(root: ET.Element) -> None:
    (fan,) = groups(root, "sa-fan")
    assert classes(fan) == ["sa-fan", "sa-k-skip"] and fan.get("data-kind") == "skip"
    members = [el for el in fan if "sa-edge" in classes(el)]
    assert [(m.get("data-from"), m.get("data-to")) for m in members] == [("x&y", "l"), ("x&y", "r")]
    assert all(classes(m) == ["sa-edge", "sa-k-skip"] and m.get("data-kind") == "skip" for m in members)
    labels = [el for el in fan.iter(f"{NS}g") if "sa-label" in classes(el)]
    assert len(labels) == 1 and labels[0] in list(fan)  # a direct child of the fan, not of a member
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts.count("fan label") == 1


def test_furniture_has_its_own_classes(root: ET.Element) -> None:
    found = {c for el in root.iter() for c in classes(el)}
    assert {"sa-title", "sa-notes", "sa-note", "sa-row-labels", "sa-row-label-text", "sa-tick", "sa-legend"} <= found
    items = groups(root, "sa-legend-item")
    assert [classes(i) for i in items] == [["sa-legend-item", "sa-k-io"], ["sa-legend-item", "sa-k-skip"]]
    assert [i.get("data-kind") for i in items] == ["io", "skip"]


def test_every_class_is_prefixed(root: ET.Element) -> None:
    for el in root.iter():
        for c in classes(el):
            assert c == "svgarch" or c.startswith("sa-"), c


def test_text_is_escaped_and_round_trips(svg: str, root: ET.Element) -> None:
    assert "Title a &lt;b&gt; &amp;" in svg
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Title " + TRICKY in texts and "edge " + TRICKY in texts
    tooltips = [t.text for t in root.iter(f"{NS}title")]
    assert "in → x&y: edge " + TRICKY in tooltips


def test_nothing_a_renderer_or_a_page_would_reject(svg: str, root: ET.Element) -> None:
    assert "<!DOCTYPE" not in svg and "<!ENTITY" not in svg
    names = {tag(el) for el in root.iter()}
    assert not names & {"script", "foreignObject", "image", "use", "a"}
    assert "marker" not in names  # heads are polygons
    assert "href" not in svg
    assert "<style" in svg


def test_control_characters_are_dropped() -> None:
    svg = svgarch.Diagram("bell\x07 and\x1b escape").block("a", "nul\x00").to_svg()
    root = ET.fromstring(svg)
    assert [t.text for t in root.iter(f"{NS}text")][:2] == ["bell and escape", "nul"]


def test_same_input_gives_the_same_bytes() -> None:
    first = diagram().to_svg()
    assert diagram().to_svg() == first
    assert diagram().to_svg() == first


def test_the_id_is_the_users_or_a_hash_of_the_content(root: ET.Element) -> None:
    assert ET.fromstring(diagram(id="mine").to_svg()).get("id") == "mine"
    other = svgarch.Diagram("Another").block("a").to_svg()
    assert ET.fromstring(other).get("id") != root.get("id")


def test_two_diagrams_do_not_style_each_other() -> None:
    a = svgarch.Diagram("A").block("a").to_svg()
    b = svgarch.Diagram("B").block("b").to_svg()
    id_a, id_b = ET.fromstring(a).get("id"), ET.fromstring(b).get("id")
    assert id_a != id_b
    style_a = ET.fromstring(a).find(f"{NS}style")
    assert style_a is not None and style_a.text is not None
    for line in style_a.text.splitlines():
        line = line.strip()
        if line.startswith("#"):
            assert line.startswith(f"#{id_a}") and f"#{id_b}" not in line


def test_the_same_description_gives_the_same_bytes_wherever_it_lives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = '[[block]]\nid = "a"\n[[block]]\nid = "b"\n[[edge]]\nfrom = "a"\nto = "b"\n'
    for sub in ("one", "two"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "d.toml").write_text(text)
    here = svgarch.load(tmp_path / "one" / "d.toml").to_svg()
    assert svgarch.load(tmp_path / "two" / "d.toml").to_svg() == here
    monkeypatch.chdir(tmp_path / "one")
    assert svgarch.load("d.toml").to_svg() == here
    assert svgarch.load("./d.toml").to_svg() == here


def test_diagrams_with_different_css_files_get_different_ids(tmp_path: Path) -> None:
    ids = []
    for sub, bg in (("one", "#111111"), ("two", "#eeeeee")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "theme.css").write_text(f".svgarch {{ --sa-bg: {bg}; }}")
        (tmp_path / sub / "d.toml").write_text('css = "theme.css"\n[[block]]\nid = "a"\n')
        ids.append(ET.fromstring(svgarch.load(tmp_path / sub / "d.toml").to_svg()).get("id"))
    assert ids[0] != ids[1]


@pytest.mark.parametrize("bad_id", ["a]]>b", "my diagram", "1abc"])
def test_an_id_that_is_not_a_css_identifier_is_refused_or_escaped(bad_id: str) -> None:
    try:
        svg = svgarch.Diagram(id=bad_id).block("a").to_svg()
    except SpecError:
        return  # refused: fine
    root = ET.fromstring(svg)  # escaped: the document must parse ...
    assert root.get("id") == bad_id
    style = root.find(f"{NS}style")
    assert style is not None and style.text
    for rule in tinycss2.parse_stylesheet(style.text, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        first = next(t for t in rule.prelude if t.type != "whitespace")
        # ... and every selector must start with a valid #id that names the root
        assert first.type == "hash" and first.is_identifier and first.value == bad_id


def test_a_group_is_drawn_as_a_labelled_frame_around_its_blocks() -> None:
    d = svgarch.Diagram().block("a", row=0, col=0).block("b", row=0, col=1).block("c", row=1, col=0)
    d.group("enc", "Encoder", ["a", "b"])
    root = ET.fromstring(d.to_svg())
    (group,) = [g for g in root.iter(f"{NS}g") if "sa-group" in classes(g)]
    assert group.get("data-group") == "enc"
    assert "Encoder" in [t.text for t in group.iter(f"{NS}text")]


def test_path_and_polygon_data() -> None:
    from svgarch.geometry import Point

    path = ScenePath(Point(0, 0.5), (Line(Point(10, 0)), Cubic(Point(1.234, 2), Point(3, 4), Point(-0.001, 6))))
    assert path_data(path) == "M0,0.5 L10,0 C1.23,2 3,4 0,6"
    assert polygon_data((Point(0, 0), Point(1, 0), Point(0, 1))) == "M0,0 L1,0 L0,1 Z"
    assert [n(v) for v in (1.0, 1.005, -0.004, 12.3456, 100)] == ["1", "1", "0", "12.35", "100"]


def test_to_svg_reads_only_the_scene() -> None:
    scene, theme = build_scene(diagram().model)
    assert to_svg(scene, theme) == diagram().to_svg()


@pytest.mark.parametrize("placed", [{}, {"row": 0, "col": 1}])
def test_every_shape_is_drawn_edge_to_edge_in_its_box(placed: dict[str, int]) -> None:
    d = svgarch.Diagram(direction="LR")
    d.block("start", None, **({"row": 0, "col": 0} if placed else {}))
    last = "start"
    for i, shape in enumerate(SHAPES):
        for j, minimum in enumerate(({"width": 170}, {"height": 170}, {"width": 120, "height": 70})):
            name = f"{shape}{j}"
            cell = {"row": placed["row"] + j, "col": placed["col"] + i} if placed else {}
            d.block(name, shape.title(), shape=shape, **minimum, **cell)
            d.edge(last, name)
            last = name
    scene, theme = build_scene(d.model)
    drawn = {g.get("data-block"): g for g in ET.fromstring(to_svg(scene, theme)).iter(f"{NS}g")}
    for block in scene.blocks:
        outline = next(el for el in drawn[block.id] if "sa-shape" in classes(el))
        box = _shape_box(outline)
        if block.shape == "cylinder":  # the path's ends lie where the caps' arcs meet the sides
            cap = cylinder_cap(block.box.w)
            assert re.search(rf"A{n(block.box.w / 2)},{n(cap)} ", outline.get("d", "")), block.id
            box = Box(box.x, box.y - cap, box.w, box.h + 2 * cap)
        near = 0.1 if block.shape == "document" else 0.01  # the wave's lowest point lies between the path's samples
        assert tuple(box) == pytest.approx(tuple(block.box), abs=near), block.id
        if block.shape == "pill":  # SVG clamps a radius over half the width: the ends would not be round
            assert float(outline.get("rx", "0")) <= block.box.w / 2 + 0.01, block.id


def test_clean_drops_what_xml_forbids_and_keeps_the_rest() -> None:
    """``clean`` tells most texts by their printability alone; whatever the path, it drops exactly the
    characters of its pattern (controls but tab and line breaks, lone surrogates, U+FFFE and U+FFFF)."""
    import random

    from svgarch.render.svg import _CONTROL, clean

    forbidden = re.compile(_CONTROL)
    rng = random.Random(7)
    pool = [chr(c) for c in (*range(0x250), 0xA0, 0x200B, 0x2028, 0xD800, 0xDFFF, 0xFFFD, 0xFFFE, 0xFFFF, 0x1F600)]
    for _ in range(5000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 6)))
        assert clean(text) == forbidden.sub("", text), repr(text)
    assert clean("a\tb\nc\rd\x00e\x7f\ud800f\uffff") == "a\tb\nc\rdef"
