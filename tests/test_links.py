"""Links and tooltips: which links a description may hold, how they are drawn, and where they survive.

The browser's side (hover, focus, the ``<a>`` in a page) is in tests/test_pointer_browser.py.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import svgarch
from svgarch.cli import main as svgarch_main
from svgarch.errors import SpecError
from svgarch.render.css import check_stylesheet
from svgarch.render.raster import to_pdf, to_png
from svgarch.spec.jsonschema import json_schema
from svgarch.spec.links import link_problem

ROOT = Path(__file__).resolve().parent.parent
NS = "{http://www.w3.org/2000/svg}"

GOOD = [
    "https://example.com/",
    "http://example.com/a/b?c=d&e=f#g",
    "HTTPS://EXAMPLE.COM/",  # a scheme's case does not matter
    "https://例え.jp/パス",
    "https://example.com/a%20b",
    "https://example.com/?next=javascript:void(0)",  # a query may say anything: the scheme is https
    "mailto:team@example.com?subject=Diagram",
    "docs/service.html",
    "./docs/service.html",
    "../README.md#links",
    "/absolute/path",
    "#section-2",
    "?tab=2",
]

HOSTILE = {
    "javascript:alert(1)": "'javascript:' links are refused",
    "JaVaScRiPt:alert(1)": "'javascript:' links are refused",
    "vbscript:msgbox(1)": "'vbscript:' links are refused",
    "data:text/html;base64,PHNjcmlwdD4=": "'data:' links are refused",
    "file:///etc/passwd": "'file:' links are refused",
    "ftp://example.com/": "'ftp:' links are refused",
    "blob:https://example.com/x": "'blob:' links are refused",
    " javascript:alert(1)": "holds a space",
    "javascript:alert(1) ": "holds a space",
    "java\tscript:alert(1)": "holds U+0009",
    "java\nscript:alert(1)": "holds U+000A",
    "java\x00script:alert(1)": "holds U+0000",
    "\u202ejavascript:alert(1)": "holds U+202E",
    "java\u200bscript:alert(1)": "holds U+200B",
    "\ufeffjavascript:alert(1)": "holds U+FEFF",
    "https://example.com/\u00a0": "holds U+00A0",
    "java&#115;cript:alert(1)": "decodes to 'javascript:alert(1)'",
    "&#x6A;avascript:alert(1)": "decodes to 'javascript:alert(1)'",
    "&Tab;javascript:alert(1)": "decodes to",
    "%6Aavascript:alert(1)": "decodes to 'javascript:alert(1)'",
    "%256Aavascript:alert(1)": "decodes to 'javascript:alert(1)'",  # encoded twice
    "javascript%3Aalert(1)": "decodes to 'javascript:alert(1)'",
    "javascript\uff1aalert(1)": "decodes to 'javascript:alert(1)'",  # a full-width colon
    "java%09script:alert(1)": "'javascript:' links are refused",  # decoded, the tab dropped as browsers do
    "//evil.example/": "leaves its scheme to the page",
    "/\\evil.example/": "holds '\\'",
    "https://trusted.example@evil.example/": "hides the link's real host",
    "https:evil.example": "needs a host",
    "https://": "needs a host",
    "mailto:": "needs an address",
    'https://example.com/"onmouseover="alert(1)': "holds '\"'",
    "https://example.com/<script>": "holds '<'",
    "": "must not be empty",
    "https://example.com/" + "a" * 2000: "the limit is 2000",
}


@pytest.mark.parametrize("link", GOOD)
def test_good_links_are_taken(link: str) -> None:
    assert link_problem(link) is None
    d = svgarch.Diagram().block("a", link=link)
    assert d.model.blocks[0].link == link


@pytest.mark.parametrize(("link", "message"), sorted(HOSTILE.items()))
def test_hostile_links_are_refused_with_a_reason(link: str, message: str) -> None:
    problem = link_problem(link)
    assert problem is not None and message in problem, problem


@pytest.mark.parametrize("section", ["block", "edge", "group", "note"])
def test_a_refused_link_is_reported_at_its_file_line_and_key(
    section: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = {
        "block": 'link = "javascript:alert(1)"',
        "edge": 'from = "a"\nto = "b"\nlink = "javascript:alert(1)"',
        "group": 'id = "g"\nblocks = ["a"]\nlink = "javascript:alert(1)"',
        "note": 'text = "n"\nlink = "javascript:alert(1)"',
    }
    blocks = '[[block]]\nid = "a"\n\n[[block]]\nid = "b"\n'
    if section == "block":
        blocks = '[[block]]\nid = "a"\n' + entries["block"] + '\n\n[[block]]\nid = "b"\n'
    text = blocks if section == "block" else f"{blocks}\n[[{section}]]\n{entries[section]}\n"
    spec = tmp_path / "d.toml"
    spec.write_text(text, encoding="utf-8")
    line = text.splitlines().index('link = "javascript:alert(1)"') + 1
    assert svgarch_main(["render", str(spec), "-o", str(tmp_path / "d.svg")]) == 2
    err = capsys.readouterr().err
    assert f"{spec}:{line}: {section}[0].link: 'javascript:' links are refused" in err, err
    assert "Traceback" not in err and not (tmp_path / "d.svg").exists()


def test_link_and_interactive_must_have_their_types() -> None:
    with pytest.raises(SpecError) as info:
        svgarch.Diagram(interactive="no").block("a", link=3).model  # noqa: B018
    text = str(info.value)
    assert "interactive: must be true or false, not a string" in text
    assert "block[0].link: must be a string, not a number" in text


def test_the_json_schema_knows_the_new_keys() -> None:
    schema = json_schema()
    assert schema["properties"]["interactive"]["type"] == "boolean"
    block = schema["properties"]["block"]["anyOf"][1]["properties"]
    assert block["link"]["type"] == "string" and block["tooltip"]["type"] == "string"


def _linked_diagram() -> svgarch.Diagram:
    d = svgarch.Diagram("Links", id="links")
    d.block("a", "A", subtitle="sub", link="https://example.com/a", tooltip="Service A")
    d.block("b", "B", link="#b").block("c", "C")
    d.edge("a", "b", link="./ab.html", tooltip="a calls b")
    d.edge("a", ["b", "c"], label="fan", link="mailto:team@example.com")
    d.group("g", "G", ["c"], link="https://example.com/g", tooltip="the group")
    d.note("plain note").note("linked note", link="https://example.com/n", tooltip="note tip")
    return d


def test_links_wrap_the_elements_g_and_tooltips_replace_the_automatic_title() -> None:
    root = ET.fromstring(_linked_diagram().to_svg())
    links = {a.get("href"): a for a in root.iter(f"{NS}a")}
    assert set(links) == {
        "https://example.com/a",
        "#b",
        "./ab.html",
        "mailto:team@example.com",
        "https://example.com/g",
        "https://example.com/n",
    }
    for a in links.values():
        assert a.get("rel") == "noopener" and a.get("tabindex") == "0"
        assert a.get("target") is None and not any("xlink" in k for k in a.attrib)
        assert len(a) == 1  # exactly the element it links
    child = {href: a[0] for href, a in links.items()}
    assert child["https://example.com/a"].get("data-block") == "a"
    assert child["https://example.com/a"][0].text == "Service A"  # the author's tooltip, not "A — sub"
    assert child["#b"][0].text == "B"  # the automatic one where none is given
    assert child["./ab.html"].get("class") == "sa-edge" and child["./ab.html"][0].text == "a calls b"
    assert child["mailto:team@example.com"].get("class") == "sa-fan"
    assert child["https://example.com/g"].get("data-group") == "g"
    assert child["https://example.com/g"][0].text == "the group"
    note = child["https://example.com/n"]
    assert note.get("class") == "sa-note-item" and note[0].text == "note tip" and note[1].text == "linked note"
    plain = [t for t in root.iter(f"{NS}text") if t.text == "plain note"]
    assert plain and all(t.get("class") == "sa-note" for t in plain)
    unlinked = [g for g in root.iter(f"{NS}g") if g.get("data-block") == "c"]
    assert unlinked and not any(g is unlinked[0] for a in links.values() for g in a)


def test_a_tooltip_alone_makes_no_link() -> None:
    svg = svgarch.Diagram().block("a", tooltip="just a tip").note("n", tooltip="note tip").to_svg()
    assert "<a " not in svg and "<title>just a tip</title>" in svg and "<title>note tip</title>" in svg


def test_pdf_keeps_web_links_as_uri_annotations_and_leaves_fragments_out() -> None:
    pdf = to_pdf(_linked_diagram().to_svg())
    uris = re.findall(rb"/URI \(([^)]*)\)", pdf)
    assert sorted(uris) == sorted(
        [b"https://example.com/a", b"./ab.html", b"mailto:team@example.com", b"https://example.com/g",
         b"https://example.com/n"]
    )
    width, height = (float(v) for v in re.search(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", pdf).groups())  # type: ignore[union-attr]
    for rect in re.findall(rb"/Rect \[ ([-\d. ]+) \]", pdf):
        x0, y0, x1, y1 = (float(v) for v in rect.split())
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height  # each link covers its element, on the page


def test_links_and_tooltips_change_no_pixel_of_the_png() -> None:
    linked = svgarch.load(ROOT / "examples" / "service_map.toml")
    plain = svgarch.load(ROOT / "examples" / "service_map.toml")
    for section in ("block", "edge", "group", "note"):
        for entry in plain._raw.get(section, []):
            entry.pop("link", None)
            entry.pop("tooltip", None)
    assert "<a " in linked.to_svg() and "<a " not in plain.to_svg()
    assert linked.to_png(dpi=96) == plain.to_png(dpi=96)


@pytest.mark.parametrize("example", ["cnn_v3", "webservice"])
def test_the_hover_rules_change_no_pixel_of_the_png(example: str) -> None:
    on = svgarch.load(ROOT / "examples" / f"{example}.toml")
    off = svgarch.load(ROOT / "examples" / f"{example}.toml")
    off._raw["interactive"] = False
    svg_on, svg_off = on.to_svg(), off.to_svg()
    assert ":hover" in svg_on and ":hover" not in svg_off
    assert to_png(svg_on, 96) == to_png(svg_off, 96)


HOSTILE_IDS = [
    'x"] , #evil { fill: red } [a="',
    "a'b",
    "a\\b",
    "</style><script>alert(1)</script>",
    "]]>",
    "a{b}c",
    "x/*y*/",
    "@import url(x)",
    "π-ρ",  # plain in CSS: written into the selector as it is
    "with space",
]


@pytest.mark.parametrize("block_id", HOSTILE_IDS)
def test_a_block_id_never_breaks_out_of_the_hover_rules(block_id: str) -> None:
    d = svgarch.Diagram(id="d").block(block_id, link="https://example.com/").block("b").block("c")
    d.edge(block_id, "b").edge("b", "c").edge(["c", "b"], block_id, label="fan")
    svg = d.to_svg()  # the stylesheet passed check_stylesheet on the way
    style = re.search(r"<!\[CDATA\[(.*?)\]\]>", svg, re.S)
    assert style is not None
    check_stylesheet(style.group(1), "d")
    root = ET.fromstring(svg)
    block = next(g for g in root.iter(f"{NS}g") if g.get("data-block") == block_id)
    if block.get("data-ref"):  # named through svgarch's own hook
        assert f'[data-ref="{block.get("data-ref")}"]' in style.group(1)
        assert block_id not in style.group(1)
    else:
        assert f'[data-block="{block_id}"]:hover' in style.group(1)


def test_hover_rules_too_large_for_a_stylesheet_are_left_out_not_fatal() -> None:
    d = svgarch.Diagram(id="big")
    names = [f"{'b' * 1990}{i:04d}" for i in range(80)]  # the longest ids a description may hold
    for name in names:
        d.block(name, "x")
    for a, b in itertools.pairwise(names):
        d.edge(a, b)
    svg = d.to_svg()
    assert ":hover" not in svg and "a:focus-visible" in svg
    small = svgarch.Diagram(id="small").block(names[0], "x").block(names[1], "x").edge(names[0], names[1])
    assert ":hover" in small.to_svg()
