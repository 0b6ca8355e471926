"""Every example, rendered by ``svgarch render`` and measured in headless Chromium, is clean.

The measurement (tests/browser.py) is independent of svgarch's own layout
checks: it reads only the SVG as Chromium lays it out. A missing Chromium or
Playwright skips these tests, saying what is missing, and fails them under
``CI=true`` (make test installs both); deselect with ``-m "not browser"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from svgarch.check import check_scene
from svgarch.cli import main as svgarch_main
from svgarch.read_svg import read_scene
from tests.browser import BrowserUnavailable, Chromium, metrics, unavailable

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))

# Counts an example must have, beyond the zero-defect rule for all of them.
EXPECTED_COUNTS: dict[str, tuple[int, int]] = {"cnn_v3": (8, 12)}  # stem → (blocks, edges)


@pytest.fixture(scope="session")
def chromium_session() -> Iterator[Chromium | BrowserUnavailable]:
    """One Chromium for the whole session, or why there is none (each test then skips, or fails under CI)."""
    try:
        browser = Chromium().start()
    except BrowserUnavailable as exc:
        yield exc
        return
    try:
        yield browser
    finally:
        browser.close()


def _require(session: Chromium | BrowserUnavailable) -> Chromium:
    if isinstance(session, BrowserUnavailable):
        unavailable(session)
    return session


def _render(spec: Path, out_dir: Path) -> Path:
    svg = out_dir / f"{spec.stem}.svg"
    status = svgarch_main(["render", str(spec), "-o", str(svg)])
    assert status == 0, f"svgarch render {spec.name} exited with {status}"
    assert svg.is_file()
    return svg


def test_there_are_examples() -> None:
    assert EXAMPLES, "no examples/*.toml to measure"


@pytest.mark.browser
@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.stem)
def test_example_is_clean_in_chromium(
    spec: Path, tmp_path: Path, chromium_session: Chromium | BrowserUnavailable
) -> None:
    chromium = _require(chromium_session)
    m = chromium.measure(_render(spec, tmp_path))
    result = metrics(m)
    report = f"{spec.name} in Chromium {chromium.version}: {result.summary()}"
    assert not m.console_errors, f"{report}\nconsole errors: {m.console_errors}"
    assert result.blocks > 0, report
    for e in m.edges:
        assert len(e.points) >= 2 and e.length > 0, f"{report}\nedge #{e.index} {e.source}→{e.target} has no line"
    assert len(result.edge_through_block) == 0, report
    assert len(result.block_overlap) == 0, report
    assert len(result.label_overlap) == 0, report
    assert len(result.label_detached) == 0, report
    assert len(result.note_overlap) == 0, report
    assert len(result.group_label_overlap) == 0, report
    assert len(result.loose_end) == 0, report
    assert len(result.text_overflow) == 0, report
    if spec.stem in EXPECTED_COUNTS:
        assert (result.blocks, result.edges) == EXPECTED_COUNTS[spec.stem], report


# ---------------------------------------------------------------- the measurement itself
#
# A hand-written SVG with one defect of each kind, so a zero above means "clean",
# not "measured nothing". The diagram sits in a scaled viewBox and a translated
# group to check that every box comes back in root user units.

_DEFECTS_SVG = """<?xml version="1.0" encoding="utf-8"?>
<svg xmlns="http://www.w3.org/2000/svg" class="svgarch" id="t" viewBox="0 0 400 300" width="800" height="600">
<style>text { font-family: "DejaVu Sans"; font-size: 10px }</style>
<g transform="translate(10,0)">
 <g class="sa-block" data-block="a"><rect class="sa-shape" x="0" y="0" width="60" height="30"/>
   <text x="5" y="20">a</text></g>
 <g class="sa-block" data-block="b"><rect class="sa-shape" x="200" y="0" width="60" height="30"/>
   <text x="205" y="20">this line is far too long for b</text></g>
 <g class="sa-block" data-block="c"><rect class="sa-shape" x="100" y="0" width="40" height="30"/></g>
 <g class="sa-block" data-block="d"><circle class="sa-shape" cx="50" cy="200" r="20"/>
   <text x="50" y="204" text-anchor="middle">ok</text></g>
 <g class="sa-block" data-block="e"><rect class="sa-shape" x="300" y="200" width="60" height="40"/></g>
</g>
<g class="sa-edge" data-from="a" data-to="b"><path class="sa-line" d="M70,15 L210,15"/>
  <path class="sa-head" d="M210,15 L205,12 L205,18 Z"/></g>
<g class="sa-edge" data-from="a" data-to="d"><path class="sa-line" d="M40,30 L40,100 L60,180"/>
  <g class="sa-label"><rect class="sa-pill" x="20" y="90" width="40" height="20"/><text x="40" y="104">x</text></g></g>
<g class="sa-fan">
  <g class="sa-edge" data-from="e" data-to="d"><path class="sa-line" d="M310,220 L80,220"/></g>
  <g class="sa-edge" data-from="e" data-to="b"><path class="sa-line" d="M330,200 L330,120 L240,120 L240,30"/></g>
  <g class="sa-label"><rect class="sa-pill" x="300" y="110" width="50" height="20"/><text x="325" y="124">own</text></g>
</g>
<g class="sa-edge" data-from="d" data-to="e"><path class="sa-line" d="M70,260 L310,260"/>
  <g class="sa-label"><rect class="sa-pill" x="150" y="210" width="40" height="20"/>
    <text x="170" y="224">on fan</text></g>
  <g class="sa-label"><rect class="sa-pill" x="160" y="250" width="40" height="20"/><text x="180" y="264">dup</text></g>
  <g class="sa-label"><rect class="sa-pill" x="340" y="230" width="40" height="20"/>
    <text x="360" y="244">on e</text></g>
</g>
</svg>
"""


@pytest.mark.browser
def test_boxes_are_in_root_user_units(chromium_session: Chromium | BrowserUnavailable) -> None:
    defects = _require(chromium_session).measure(_DEFECTS_SVG)
    a = defects.block("a").box
    assert (a.x0, a.y0, a.x1, a.y1) == pytest.approx((10, 0, 70, 30), abs=0.01)
    assert defects.block("d").shape_tag == "circle"
    d = defects.block("d").box
    assert (d.x0, d.y0, d.x1, d.y1) == pytest.approx((40, 180, 80, 220), abs=0.01)
    ab = defects.edges[0]
    assert ab.points[0] == pytest.approx((70, 15), abs=0.01)
    assert ab.points[-1] == pytest.approx((210, 15), abs=0.01)
    assert max(abs(p[0] - q[0]) for p, q in zip(ab.points, ab.points[1:], strict=False)) <= 2.0 + 1e-3
    text_b = defects.block("b").texts[0].box
    assert text_b.x0 == pytest.approx(215, abs=0.5) and text_b.width > 100  # the browser's own text extent


@pytest.mark.browser
def test_metrics_find_each_defect(chromium_session: Chromium | BrowserUnavailable) -> None:
    result = metrics(_require(chromium_session).measure(_DEFECTS_SVG))
    assert (result.blocks, result.edges, result.labels) == (5, 5, 5)
    # a→b runs through c; a→d, the fan and d→e touch only their own blocks.
    assert len(result.edge_through_block) == 1, result.summary()
    assert "edge #0 a→b enters block 'c'" in result.edge_through_block[0].detail
    kinds = sorted(d.kind for d in result.label_overlap)
    # "x" and "dup" lie on their own edge only, the fan's "own" label on its own e→b edge;
    # "on fan" lies on the fan's e→d edge (foreign to d→e); "on e" overlaps block e.
    assert kinds == ["label-block", "label-edge"], result.summary()
    assert any("'on fan'" in d.detail and "edge #2 e→d" in d.detail for d in result.label_overlap)
    assert any("'on e'" in d.detail and "block 'e'" in d.detail for d in result.label_overlap)
    # b's text overflows; d's circle text fits its bounding box.
    assert len(result.text_overflow) == 1 and "block 'b'" in result.text_overflow[0].detail


@pytest.mark.browser
def test_label_label_overlap(chromium_session: Chromium | BrowserUnavailable) -> None:
    svg = _DEFECTS_SVG.replace('x="160" y="250"', 'x="165" y="215"')  # "dup" onto "on fan"
    result = metrics(_require(chromium_session).measure(svg))
    assert [d.kind for d in result.label_overlap].count("label-label") == 1, result.summary()


# A second hand-written SVG for the checks on drawn outlines, notes, group labels and label reach:
# circle c is drawn over block b; a→c's head stops 13 px short of c; the note "over a" lies on block a
# and "on the edge" on d→e; d→e crosses group g's label; d→e's label "far" stands 20 px off its edge.
_OUTLINE_DEFECTS_SVG = """<?xml version="1.0" encoding="utf-8"?>
<svg xmlns="http://www.w3.org/2000/svg" class="svgarch" id="t2" viewBox="0 0 400 300" width="800" height="600">
<style>text { font-family: "DejaVu Sans"; font-size: 10px }</style>
<g class="sa-group" data-group="g"><rect class="sa-frame" x="280" y="180" width="110" height="80" rx="10"/>
  <text class="sa-group-label" x="310" y="195">G label</text></g>
<g class="sa-block" data-block="a"><rect class="sa-shape" x="10" y="10" width="60" height="50" rx="8"/></g>
<g class="sa-block" data-block="c"><circle class="sa-shape" cx="200" cy="60" r="40"/></g>
<g class="sa-block" data-block="b"><rect class="sa-shape" x="180" y="90" width="60" height="30"/></g>
<g class="sa-block" data-block="d"><rect class="sa-shape" x="300" y="10" width="60" height="30"/></g>
<g class="sa-block" data-block="e"><rect class="sa-shape" x="300" y="200" width="60" height="30"/></g>
<g class="sa-edge" data-from="a" data-to="c"><path class="sa-line" d="M70,25 L154,25"/>
  <path class="sa-head" d="M160,25 L151,21 L153,25 L151,29 Z"/></g>
<g class="sa-edge" data-from="d" data-to="e"><path class="sa-line" d="M330,40 L330,194"/>
  <path class="sa-head" d="M330,200 L326,191 L330,193 L334,191 Z"/>
  <g class="sa-label"><rect class="sa-pill" x="350" y="100" width="40" height="18"/><text x="355" y="113">far</text></g>
</g>
<g class="sa-notes"><text class="sa-note" x="20" y="50">over a</text>
  <text class="sa-note" x="300" y="150">on the edge</text></g>
</svg>
"""


@pytest.mark.browser
def test_metrics_on_drawn_outlines(chromium_session: Chromium | BrowserUnavailable) -> None:
    m = _require(chromium_session).measure(_OUTLINE_DEFECTS_SVG)
    result = metrics(m)
    assert [len(m.block("c").outline) > 200, m.groups[0].id, m.edges[0].tips] == [True, "g", ((160.0, 25.0),)]
    assert [d.kind for d in result.block_overlap] == ["block-block"], result.summary()
    assert "'c'" in result.block_overlap[0].detail and "'b'" in result.block_overlap[0].detail
    assert len(result.loose_end) == 1 and "edge #0 a→c: its end (head tip" in result.loose_end[0].detail
    assert "13.15 px outside block 'c'" in result.loose_end[0].detail, result.summary()
    assert sorted(d.kind for d in result.note_overlap) == ["note-block", "note-edge"], result.summary()
    assert [d.kind for d in result.group_label_overlap] == ["group-label-edge"], result.summary()
    assert len(result.label_detached) == 1 and "'far'" in result.label_detached[0].detail
    assert "is 20.00 px from its edge #1 d→e" in result.label_detached[0].detail
    clean = _OUTLINE_DEFECTS_SVG.replace('cx="200" cy="60"', 'cx="200" cy="45"').replace("M160,25", "M165,25")
    clean = clean.replace('x="350" y="100"', 'x="335" y="100"').replace('y="50">over a', 'y="80">over a')
    clean = clean.replace('x="300" y="150">on the edge', 'x="335" y="150">on the edge')
    clean = clean.replace('x="310" y="195">G label', 'x="286" y="195">G label')
    assert metrics(_require(chromium_session).measure(clean)).defects == (), metrics(m).summary()


@pytest.mark.browser
def test_svgarch_check_agrees_on_drawn_outlines(
    tmp_path: Path, chromium_session: Chromium | BrowserUnavailable
) -> None:
    svg = tmp_path / "outlines.svg"
    svg.write_text(_OUTLINE_DEFECTS_SVG, encoding="utf-8")
    result = metrics(_require(chromium_session).measure(svg))
    report = check_scene(read_scene(svg))
    assert [len(report.block_overlaps), len(report.loose_ends), len(report.note_overlaps)] == [
        len(result.block_overlap), len(result.loose_end), len(result.note_overlap)
    ], report.lines()
    assert [len(report.group_labels), len(report.detached_labels)] == [
        len(result.group_label_overlap), len(result.label_detached)
    ], report.lines()


_SELECT_ALL = """() => { const s = window.getSelection(); s.removeAllRanges(); const r = document.createRange();
  r.selectNodeContents(document.querySelector('svg')); s.addRange(r); return s.toString(); }"""
_TEXT_BOXES = """() => Array.from(document.querySelectorAll('text')).map((t) => {
  const b = t.getBBox(); return [t.getComputedTextLength(), b.x, b.y, b.width, b.height]; })"""


@pytest.mark.browser
def test_one_element_a_line_changes_nothing_chromium_selects_or_measures(
    chromium_session: Chromium | BrowserUnavailable,
) -> None:
    import svgarch
    from svgarch.pipeline import build_scene
    from svgarch.render.markup import markup
    from svgarch.render.svg import drawing, to_svg

    browser = _require(chromium_session).browser
    scene, theme = build_scene(svgarch.load(ROOT / "examples" / "cnn_v3.toml").model)
    lined = to_svg(scene, theme)
    dwg = drawing(scene, theme)
    dwg.attribs.update(xmlns="http://www.w3.org/2000/svg", baseProfile="full", version="1.1")
    flat = markup(dwg)  # the same document without the line breaks between elements
    assert lined.count("\n") > 100 and flat.count("\n") < lined.count("\n") / 2
    seen = []
    for svg in (flat, lined):
        page = browser.new_page()
        try:
            page.route("**/*", lambda route: route.abort())
            page.set_content(f"<!doctype html><meta charset=utf-8><body>{svg}</body>", wait_until="load")
            seen.append((page.evaluate(_SELECT_ALL), page.evaluate(_TEXT_BOXES)))
        finally:
            page.close()
    assert "enc0 Conv(20→4, 3×3) + FiLM + ReLU\nfull res · 4 ch" in seen[0][0]
    assert seen[0] == seen[1]
