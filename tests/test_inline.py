"""Inline markup (svgarch.inline): parsing, errors, measuring each run in its face, drawing as <tspan>s."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import svgarch
from svgarch.cli import main as svgarch_main
from svgarch.errors import SpecError
from svgarch.fonts import FontBook, FontFace
from svgarch.inline import TEX_NAMES, Run, parse, plain
from svgarch.measure import SCRIPT_SIZE, SUB_DROP, SUP_RISE, Measurer
from svgarch.pipeline import build_scene
from svgarch.read_svg import read_scene
from svgarch.theme import load_theme
from tests.web import Tolerance, difference

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("**bold** rest", (Run("bold", bold=True), Run(" rest"))),
        ("an *italic* word", (Run("an "), Run("italic", italic=True), Run(" word"))),
        ("`x*y_z`", (Run("x*y_z", mono=True),)),
        ("x_{t-1}", (Run("x"), Run("t-1", shift="sub"))),
        ("x^{2}", (Run("x"), Run("2", shift="sup"))),
        ("x_t + y^2", (Run("x"), Run("t", shift="sub"), Run(" + y"), Run("2", shift="sup"))),
        ("\\gamma / \\beta", (Run("γ / β"),)),
        ("3 \\times 3 \\to \\oplus \\sum", (Run("3 × 3 → ⊕ ∑"),)),
        ("\\alpha{}x", (Run("αx"),)),
        ("W^{\\ell}", (Run("W"), Run("ℓ", shift="sup"))),
        ("\\*\\*not bold\\*\\* \\_ \\^ \\` \\{ \\} \\\\", (Run("**not bold** _ ^ ` { } \\"),)),
        # lenient where a plain text is likely: identifiers, lone asterisks, a backslash before a space
        ("d_model beat_phase style_p0 conv_1 H_2O 2^10", (Run("d_model beat_phase style_p0 conv_1 H_2O 2^10"),)),
        ("\\gamma_c (a+b)^2", (Run("γ"), Run("c", shift="sub"), Run(" (a+b)"), Run("2", shift="sup"))),
        ("3 * 3 and C:\\ drive", (Run("3 * 3 and C:\\ drive"),)),
        ("**a**\n*b*", (Run("a", bold=True), Run("\n"), Run("b", italic=True))),
        ("***both***", (Run("both", bold=True, italic=True),)),
        # a single * that nothing closes, or that cannot open, is an asterisk (as in Markdown)
        ("*.rs", (Run("*.rs"),)),
        ("*.rs and *.py", (Run("*.rs and *.py"),)),
        ("a * b, 5 * 3, *", (Run("a * b, 5 * 3, *"),)),
        ("a *open", (Run("a *open"),)),
        ("*a *b*", (Run("a *b", italic=True),)),
        ("*x `*`", (Run("*x "), Run("*", mono=True))),
        ("*a **b** c*", (Run("a ", italic=True), Run("b", bold=True, italic=True), Run(" c", italic=True))),
    ],
)
def test_each_markup_form_parses_into_runs(text: str, runs: tuple[Run, ...]) -> None:
    assert parse(text) == runs


def test_every_tex_name_is_one_character_and_listed_in_the_docs() -> None:
    doc = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    for name, symbol in TEX_NAMES.items():
        assert len(symbol) == 1, name
        assert f"`\\{name}`" in doc, name
        assert parse(f"\\{name}") == (Run(symbol),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("**open", "'**' opened at character 1 is never closed (write \\* for a literal *)"),
        ("*.rs **open", "'**' opened at character 6 is never closed (write \\* for a literal *)"),
        ("`code", "'`' at character 1 is never closed (write \\` for a literal `)"),
        ("x_{t", "'_{' at character 2 is never closed with '}'"),
        ("x^{a_{b}}", "'_{' at character 5 is inside another sub- or superscript"),
        ("\\gama", "'\\gama' at character 1 is not a TeX name svgarch knows (docs/format.md)"),
    ],
)
def test_malformed_markup_is_reported_with_file_line_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "d.toml"
    path.write_text(f"title = 'ok'\n\n[[block]]\nid = 'a'\ntitle = '{text}'\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        svgarch.load(path).to_svg()
    assert str(caught.value) == f"{path}:5: block[0].title: {message}"


def test_every_drawn_text_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(
        'title = "**t"\n[[block]]\nid = "a"\ntitle = "**a"\nsubtitle = "**s"\nrow = 0\ncol = 0\n'
        '[[block]]\nid = "b"\nrow = 0\ncol = 1\n'
        '[[edge]]\nfrom = "a"\nto = "b"\nlabel = "**l"\n[[note]]\ntext = "**n"\n[[row_label]]\nrow = 0\n'
        'label = "**r"\n[[group]]\nid = "g"\nlabel = "**g"\nblocks = ["b"]\n[legend]\nio = "**e"\n',
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as caught:
        svgarch.load(path).to_svg()
    keys = re.findall(r"^\S+:\d+: (\S+):", str(caught.value), flags=re.M)
    assert keys == ["title", "block[0].title", "block[0].subtitle", "edge[0].label", "note[0].text",
                    "row_label[0].label", "group[0].label", "legend.io"]  # fmt: skip


def test_the_cli_reports_markup_errors_with_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.toml"
    path.write_text('[[block]]\nid = "a"\nsubtitle = "x_{t"\n', encoding="utf-8")
    assert svgarch_main(["render", str(path), "-o", str(tmp_path / "d.svg")]) == 2
    message = "'_{' at character 2 is never closed with '}'"
    assert capsys.readouterr().err.strip() == f"svgarch: {path}:3: block[0].subtitle: {message}"


def test_markup_false_draws_every_text_as_written(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text('markup = false\ntitle = "**t"\n[[block]]\nid = "a"\ntitle = "x_{t} \\\\gama"\n', encoding="utf-8")
    svg = svgarch.load(path).to_svg()
    texts = {"".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")}
    assert {"**t", "x_{t} \\gama"} <= texts
    assert "<tspan" not in svg
    path.write_text('markup = "no"\n', encoding="utf-8")
    with pytest.raises(SpecError, match=r":1: markup: must be true or false, not a string"):
        svgarch.load(path).to_svg()


def test_markup_on_and_off_give_the_same_bytes_for_a_plain_text(tmp_path: Path) -> None:
    text = 'id = "same"\ntitle = "Plain d_model 3 * 3"\n[[block]]\nid = "a_b"\nsubtitle = "x"\n'
    on, off = tmp_path / "on.toml", tmp_path / "off.toml"
    on.write_text(text, encoding="utf-8")
    off.write_text("markup = false\n" + text, encoding="utf-8")
    assert svgarch.load(on).to_svg() == svgarch.load(off).to_svg()


def test_an_id_drawn_as_the_title_is_no_markup() -> None:
    d = svgarch.Diagram()
    d.block("x_1").block("y_2", subtitle="t_1")
    svg = d.to_svg()
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "x_1" in texts and "y_2" in texts  # the ids, as written
    assert "t1" in texts  # the subtitle, its subscript drawn


# --- measuring ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def measurer() -> Measurer:
    return Measurer(load_theme("dark", ()), FontBook(), markup=True)


def width(face: FontFace, text: str, size: float) -> float:
    return FontBook().metrics(face).width(text, size)


SANS = FontFace("DejaVu Sans")
MONO = FontFace("DejaVu Sans Mono")
SIZE = 10.5  # .sa-label-text in the bundled themes


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("a **bold** c", [(SANS, "a ", 1.0), (SANS._replace(weight="bold"), "bold", 1.0), (SANS, " c", 1.0)]),
        ("an *it*", [(SANS, "an ", 1.0), (SANS._replace(style="italic"), "it", 1.0)]),
        ("`conv2d` x", [(MONO, "conv2d", 1.0), (SANS, " x", 1.0)]),
        ("**`b`**", [(MONO._replace(weight="bold"), "b", 1.0)]),
        ("x_{t-1}", [(SANS, "x", 1.0), (SANS, "t-1", SCRIPT_SIZE)]),
        ("W^2", [(SANS, "W", 1.0), (SANS, "2", SCRIPT_SIZE)]),
        ("\\gamma\\times\\beta", [(SANS, "γ×β", 1.0)]),
    ],
)
def test_a_line_is_as_wide_as_its_runs_each_in_its_own_face_and_size(
    measurer: Measurer, text: str, pieces: list[tuple[FontFace, str, float]]
) -> None:
    (line,) = measurer.stack((text, "label-text")).lines
    assert line.width == pytest.approx(sum(width(face, t, SIZE * k) for face, t, k in pieces), abs=1e-9)
    assert line.text == plain(parse(text))


def test_scripts_rise_and_drop_and_the_line_grows_to_hold_them(measurer: Measurer) -> None:
    (flat,) = measurer.stack(("Wx", "label-text")).lines
    (sup,) = measurer.stack(("W^x", "label-text")).lines
    (sub,) = measurer.stack(("W_x", "label-text")).lines
    assert sup.runs is not None and sub.runs is not None
    assert [r.rise for r in sup.runs] == [0.0, pytest.approx(SUP_RISE * SIZE)]
    assert [r.rise for r in sub.runs] == [0.0, pytest.approx(-SUB_DROP * SIZE)]
    assert sup.runs[1].size == pytest.approx(SCRIPT_SIZE * SIZE)
    assert sup.ascent > flat.ascent and sup.descent == flat.descent
    assert sub.descent > flat.descent and sub.ascent == flat.ascent


def test_a_plain_text_measures_as_before(measurer: Measurer) -> None:
    plain_measurer = Measurer(load_theme("dark", ()), FontBook())
    for text in ["plain", "d_model", "3 * 3", "**same face**"]:
        role = "block-title"  # bold monospace: **x** changes nothing, so no runs
        assert measurer.stack((text.replace("**", ""), role)) == plain_measurer.stack((text.replace("**", ""), role))
    (line,) = measurer.stack(("**same face**", "block-title")).lines
    assert line.runs is None and line.text == "same face"


# --- drawing -----------------------------------------------------------------------------------------


def sheet() -> svgarch.Diagram:
    d = svgarch.Diagram("Markup: **bold** x_{t-1} \\alpha^2", theme="light")
    d.block("enc", "**Encoder** `conv`", subtitle="\\gamma / \\beta · C^{64} · *italic* h_t", row=0, col=0)
    d.block("dec", "Decoder W^{(l)}", subtitle="`mono` and x_{i,j}^2", row=0, col=1)
    d.edge("enc", "dec", label="z \\in R^{d} \\times 2")
    d.note("a *note* with `code` \\to y_1", row=1, col=0, colspan=2)
    d.legend("io", "**legend** \\oplus x^2")
    return d


def test_runs_are_tspans_from_the_left_edge_with_dy_and_font_attributes() -> None:
    svg = sheet().to_svg()
    root = ET.fromstring(svg)
    marked = [t for t in root.iter(f"{SVG}text") if t.find(f"{SVG}tspan") is not None]
    assert len(marked) >= 6
    for t in marked:
        assert t.get("text-anchor") is None  # cairosvg anchors each tspan on its own: start at the measured left
        assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"  # a space at a run's end stays
        rise = 0.0
        for span in t:
            assert span.tag == f"{SVG}tspan" and not list(span)
            assert set(span.attrib) <= {"dy", "font-family", "font-weight", "font-style", "font-size"}
            rise -= float(span.get("dy", "0"))
            assert rise == pytest.approx(0.0, abs=0.02) or span.get("font-size")  # only a script leaves the baseline
    assert "foreignObject" not in svg and not any(el.get("baseline-shift") for el in root.iter())
    assert 'font-style="italic"' in svg and 'font-family="&quot;DejaVu Sans Mono&quot;' in svg


def test_check_measures_tspans_again_and_sees_the_text_fit(tmp_path: Path) -> None:
    out = tmp_path / "m.svg"
    d = sheet()
    d.save(out)
    drawn, _ = build_scene(d.model)
    read = read_scene(out)
    ours = [ln for b in drawn.blocks for ln in b.lines] + [ln for n in drawn.notes for ln in n.lines]
    theirs = [ln for b in read.blocks for ln in b.lines] + [ln for n in read.notes for ln in n.lines]
    pairs = list(zip(ours, theirs, strict=True))
    assert any(a.runs for a, _ in pairs)
    for a, b in pairs:  # the checker's measure of each line, from the SVG alone, is the layout's
        assert b.text == a.text
        assert b.box == pytest.approx(a.box, abs=0.02), a.text
    assert svgarch_main(["check", str(out)]) == 0


# --- the same in every renderer ------------------------------------------------------------------------


# The suite's WHOLE tolerance lets 3 % of pixels differ: a sub- or superscript drawn on the baseline moves
# only 0.2 %. Blurred by a pixel (anti-aliasing), rsvg and resvg differ from cairosvg in 0.07 % of this
# sheet's pixels and a sheet whose shifts were ignored in 0.18-0.24 %: this tier tells them apart.
SHIFTS = Tolerance(threshold=64, max_differing=0.0012, max_mean=0.025, blur=1)


@pytest.mark.parametrize("renderer", ["rsvg-convert", "resvg"])
def test_a_markup_sheet_looks_the_same_in_rsvg_resvg_and_cairosvg(renderer: str) -> None:
    from tests.test_renderers import RENDERERS, compare, png96

    svg = sheet().to_svg()
    for diff in compare(RENDERERS[renderer], svg, png96):
        assert diff.within_tolerance, f"markup sheet: {renderer} vs cairosvg: {diff}"
    diff = difference(RENDERERS[renderer](svg), png96(svg), SHIFTS)
    assert diff.within_tolerance, f"markup sheet: {renderer} vs cairosvg: {diff}"


def test_the_shifts_tolerance_sees_a_superscript_drawn_on_the_baseline() -> None:
    from tests.test_renderers import RENDERERS, png96

    svg = sheet().to_svg()
    flat = re.sub(r' dy="[^"]*"', "", svg)  # what a renderer that ignored the shifts would draw
    assert flat != svg
    assert not difference(png96(flat), png96(svg), SHIFTS).within_tolerance
    assert not difference(RENDERERS["resvg"](flat), png96(svg), SHIFTS).within_tolerance


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from tests.web import chromium_session

    yield from chromium_session()


def test_chromium_draws_each_marked_line_as_wide_as_measured_and_like_the_png(browser: Any) -> None:
    from svgarch.render.raster import to_png
    from tests.web import WHOLE, page_html

    d = sheet()
    svg = d.to_svg()
    drawn, _ = build_scene(d.model)
    lines = [ln for b in drawn.blocks for ln in b.lines] + [ln for n in drawn.notes for ln in n.lines]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.route("**/*", lambda route: route.abort())
        page.set_content(page_html(svg), wait_until="load")
        got = page.eval_on_selector_all(
            "text",
            "(els) => els.map((e) => [e.textContent, e.getComputedTextLength(),"
            " getComputedStyle(e.querySelector('tspan') || e).fontWeight])",
        )
        shot = page.locator("svg").first.screenshot(animations="disabled")
    finally:
        page.close()
    widths = {text: width for text, width, _ in got}
    assert any(ln.runs for ln in lines)
    for ln in lines:
        assert widths[ln.text] == pytest.approx(ln.box.w, rel=0.01), ln.text  # Chromium's advances are DejaVu's
    weights = {text: weight for text, _, weight in got}
    assert weights["Encoder conv"] == "700"  # a tspan keeps its line's bold though the page reset pins weights
    for tolerance in (WHOLE, SHIFTS):
        diff = difference(shot, to_png(svg, 96), tolerance)
        assert diff.within_tolerance, f"markup sheet in Chromium vs cairosvg: {diff}"
