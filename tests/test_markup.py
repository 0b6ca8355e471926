"""svgarch.render.markup writes exactly what ElementTree writes (``Element.tostring``, as svgwrite's did)."""

from __future__ import annotations

from pathlib import Path

import pytest

import svgarch
from svgarch.pipeline import build_scene
from svgarch.render.fonts_embed import embed_fonts
from svgarch.render.markup import Element, markup
from svgarch.render.svg import drawing

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.toml"))
TRICKY = "a <b> & \"c\" 'd' \t tab ]]> end"


def tricky() -> svgarch.Diagram:
    d = svgarch.Diagram("Title " + TRICKY, description="About\n" + TRICKY, theme="print")
    d.block("in", "Input " + TRICKY, subtitle="sub\nline two", kind="io", row=0, col=0)
    d.block("x", "", kind="encoder", row=1, col=0, shape="cylinder")
    d.block("y", "Ω", row=1, col=1, shape="diamond")
    d.edge("in", ["x", "y"], label="edge\n" + TRICKY, kind="skip")
    d.note("a note & more", row=2, col=0)
    d.row_label(0, "<row>")
    d.legend("io", "I/O & more").legend("skip", "Skip")
    return d


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.stem)
def test_same_text_as_elementtree_on_every_example(spec: Path) -> None:
    scene, theme = build_scene(svgarch.load(spec).model)
    dwg = drawing(scene, theme)
    expected = dwg.tostring()
    assert markup(dwg) == expected


def test_same_text_as_elementtree_on_tricky_text_and_embedded_fonts() -> None:
    scene, theme = build_scene(tricky().model)
    for fonts in (None, embed_fonts(scene, theme)):
        dwg = drawing(scene, theme, fonts)
        expected = dwg.tostring()
        assert markup(dwg) == expected
        assert '&lt;b&gt; &amp; "c"' in expected and "]]&gt; end" in expected  # the text escapes were exercised


def test_same_text_as_elementtree_for_attributes_numbers_and_nesting() -> None:
    dwg = Element("svg", {"width": 10, "height": 20.5})
    group = dwg.add(Element("g", {"class": "a&b", "data-note": '<"x">\r\n\tend', "data-empty": "", "data-none": None}))
    text = group.add(Element("text", {"x": 1.25, "y": 2}, "outer & <inner>"))
    text.add(Element("tspan", {"dx": "1 2"}, "span"))
    group.add(Element("text", None, ""))
    group.add(Element("path", {"d": "M 0 0 L 1.5 2"}))
    style = group.add(Element("style", {"type": "text/css"}))
    style.content = "x > y { fill: red }"
    group.add(Element("title", None, "tooltip & <more>"))
    expected = dwg.tostring()
    assert markup(dwg) == expected
    assert "&quot;x&quot;&gt;&#13;&#10;&#09;end" in expected and "data-empty" not in expected
    assert "<![CDATA[x > y { fill: red }]]>" in expected and "<text />" in expected


def test_one_element_a_line_and_nothing_else_changes() -> None:
    import xml.etree.ElementTree as ET

    scene, theme = build_scene(tricky().model)
    dwg = drawing(scene, theme, embed_fonts(scene, theme))
    flat, lined = markup(dwg), markup(dwg, lines=True)
    assert lined.replace(">\n<", "><") == flat  # only line breaks between elements were added
    assert "\n\n" not in lined
    text_content = {"text", "tspan", "title", "desc", "style"}
    lines = lined.split("\n")
    assert len(lines) > 40 and all(line.startswith("<") or not line.strip().startswith("<") for line in lines)
    ns = "{http://www.w3.org/2000/svg}"
    for a, b in zip(ET.fromstring(flat).iter(), ET.fromstring(lined).iter(), strict=True):
        assert a.tag == b.tag and a.attrib == b.attrib
        if a.tag.removeprefix(ns) in text_content:
            assert "".join(a.itertext()) == "".join(b.itertext()), "a line break inside a text element"
        else:
            assert (a.text or "") == "" and (b.text or "") in ("", "\n")  # only between elements
