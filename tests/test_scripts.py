"""Text in any script: fallback fonts per character, right-to-left order, the missing-glyph warning.

The fonts are Debian's Noto (fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji: the Makefile installs
them for the tests); the theme's are DejaVu, which has Hebrew and Arabic in its sans face but no CJK, and no
Hebrew in its monospace face (block titles).
"""

from __future__ import annotations

import io
import re
import sys
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import svgarch
from svgarch.cli import main as svgarch_main
from svgarch.fallback import Fallbacks, MissingGlyphWarning
from svgarch.fonts import FontBook, FontFace
from svgarch.measure import Measurer
from svgarch.pipeline import build_scene
from svgarch.render.raster import to_png
from svgarch.scene import TextLine
from svgarch.textorder import shaped, visual
from svgarch.theme import load_theme
from tests.web import WHOLE, difference

SVG = "{http://www.w3.org/2000/svg}"
JAPANESE = "データベース"
HEBREW = "שלום עולם"
ARABIC = "قاعدة البيانات"
ROCKET = "🚀"  # not in DejaVu (its emoticons block stops short of transport symbols)
NO_FONT = "\ue000"  # a private-use code point: no installed font has it


def diagram(title: str, subtitle: str = "", theme: str = "dark") -> svgarch.Diagram:
    d = svgarch.Diagram("Scripts", theme=theme)
    d.block("a", title, subtitle=subtitle, row=0, col=0)
    return d


def block_lines(d: svgarch.Diagram) -> list[TextLine]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingGlyphWarning)
        scene, _ = build_scene(d.model)
    return list(scene.blocks[0].lines)


def advance(face: FontFace, text: str, size: float) -> float:
    return FontBook().metrics(face).width(text, size)


# --- measuring ------------------------------------------------------------------------------------


def test_a_japanese_title_is_measured_with_the_fallback_font_not_the_theme_fonts_notdef() -> None:
    title = block_lines(diagram(f"DB {JAPANESE}"))[0]
    assert title.runs is not None
    first, second = title.runs
    assert first.text == "DB " and first.family == ""  # the theme's own font for what it has
    assert second.text == JAPANESE and second.family.startswith('"Noto Sans CJK JP", "DejaVu Sans Mono"')
    theme = load_theme("dark")
    face, size = theme.font("block-title")
    fallback = FontFace("Noto Sans CJK JP", face.weight, face.style)
    expected = advance(face, "DB ", size) + advance(fallback, JAPANESE, size)
    assert title.box.w == pytest.approx(expected, abs=1e-6)
    notdef = advance(face, f"DB {JAPANESE}", size)  # what measuring with DejaVu alone would say
    assert abs(title.box.w - notdef) > 10


def test_an_emoji_is_measured_and_drawn_with_the_emoji_font() -> None:
    line = block_lines(diagram(f"launch {ROCKET}"))[0]
    assert line.runs is not None and line.runs[-1].text == ROCKET
    assert line.runs[-1].family.startswith('"Noto Color Emoji"')
    face, size = load_theme("dark").font("block-title")
    emoji = FontFace("Noto Color Emoji", face.weight, face.style)
    assert line.box.w == pytest.approx(advance(face, "launch ", size) + advance(emoji, ROCKET, size), abs=1e-6)


def test_hebrew_is_stored_in_the_order_seen_and_measured_with_the_font_that_has_it() -> None:
    title, subtitle = block_lines(diagram(HEBREW, subtitle=HEBREW))
    for line in (title, subtitle):
        assert line.runs is not None
        assert "".join(r.text for r in line.runs) == HEBREW[::-1]  # all right to left: reversed
        assert line.text == HEBREW  # the logical text stays for the tooltip and <title>
    assert title.runs is not None and title.runs[0].family.startswith('"Noto Sans Hebrew"')  # DejaVu Mono has none
    assert subtitle.runs is not None and subtitle.runs[0].family == ""  # DejaVu Sans has Hebrew
    face, size = load_theme("dark").font("block-subtitle")
    assert subtitle.box.w == pytest.approx(advance(face, HEBREW, size), abs=1e-6)


def test_arabic_gets_its_joining_forms_in_the_order_seen_and_is_measured_as_drawn() -> None:
    (title,) = block_lines(diagram(ARABIC))
    assert title.runs is not None
    drawn = "".join(r.text for r in title.runs)
    forms = shaped(ARABIC)
    assert drawn == forms[::-1]
    assert all("\ufe70" <= ch <= "\ufeff" or ch == " " for ch in drawn)  # presentation forms B only
    face, size = load_theme("dark").font("block-title")
    assert title.box.w == pytest.approx(advance(face, forms, size), abs=1e-6)


def test_mixed_directions_follow_the_bidi_algorithm_with_mirrored_brackets() -> None:
    assert visual([("DB ", 1), ("שלום", 2), (" (x) 12", 1)]) == [("DB ", 1), ("םולש", 2), (" (x) 12", 1)]
    assert visual([("(שלום) 123!", 0)]) == [("!123 (םולש)", 0)]  # a right-to-left line: brackets mirrored
    assert visual([("plain text", 0)]) == [("plain text", 0)]
    assert visual([("\u202eabc\u202c x", 0)]) == [("cba x", 0)]  # an explicit override: applied, the marks dropped
    # unassigned code points (no bidi class in unicodedata) take UAX #9's default and are drawn as they are
    assert visual([("\U000330f4 שלום \u05ff", 0)]) == [("\U000330f4 \u05ff םולש", 0)]


def test_a_latin_text_asks_fontconfig_nothing() -> None:
    theme = load_theme("dark")
    measurer = Measurer(theme, FontBook())
    for role in ("block-title", "block-subtitle", "title"):
        measurer.line("Encoder conv 3×3 · γ / β — naïve", role)
    assert not measurer.fallbacks._chosen and not measurer.fallbacks.missing


def test_the_fallback_choice_is_remembered_and_the_same_for_a_new_book() -> None:
    face = FontFace("DejaVu Sans Mono", "bold")
    one, two = Fallbacks(FontBook()), Fallbacks(FontBook())
    assert one.face_for("日", face) == two.face_for("日", face) == FontFace("Noto Sans CJK JP", "bold")
    assert one._chosen[(face, "日")] == FontFace("Noto Sans CJK JP", "bold")
    assert one.face_for(NO_FONT, face) is None


def test_lines_in_other_scripts_fit_inside_their_blocks(tmp_path: Path) -> None:
    d = diagram(f"{JAPANESE} {ROCKET}", subtitle=f"{ARABIC} · {HEBREW}")
    scene, _ = build_scene(d.model)
    block = scene.blocks[0]
    for line in block.lines:
        assert block.box.x < line.box.x and line.box.right < block.box.right
    out = tmp_path / "d.svg"
    out.write_text(d.to_svg(), encoding="utf-8")
    assert svgarch_main(["check", str(out)]) == 0


# --- drawing --------------------------------------------------------------------------------------


def _ink(png: bytes, box: tuple[int, int, int, int]) -> Any:
    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("L").crop(box)


def test_the_png_draws_glyphs_where_the_theme_font_would_draw_empty_boxes() -> None:
    d = diagram(JAPANESE, theme="light")
    svg = d.to_svg()
    tofu = re.sub(r' font-family="[^"]*"', "", svg)  # every character in DejaVu: what cairosvg drew before
    assert tofu != svg
    (line,) = block_lines(d)
    box = (int(line.box.x), int(line.box.y), int(line.box.right) + 1, int(line.box.y + line.box.h) + 1)
    drawn, boxes = _ink(to_png(svg, 96), box), _ink(to_png(tofu, 96), box)
    # ink: some dark pixels, and not the pattern of the notdef boxes
    low, high = drawn.getextrema()
    assert high - low > 100  # glyphs drawn on the block's fill
    from PIL import ImageChops

    changed = ImageChops.difference(drawn, boxes).point(lambda v: 255 if v > 64 else 0).histogram()[255]
    assert changed > 0.05 * drawn.width * drawn.height


def fallback_sheet() -> svgarch.Diagram:
    """Left-to-right text in fallback fonts only (rsvg-convert reorders right-to-left text: see the docs)."""
    d = svgarch.Diagram("多言語 sheet 🚀", theme="light")
    d.block("jp", "データベース", subtitle="東京 · **太字** · x_{t}", row=0, col=0)
    d.block("em", "launch 🚀 🚚", subtitle="ありがとう ✉", row=0, col=1)
    d.edge("jp", "em", label="同期 sync")
    return d


@pytest.mark.parametrize("renderer", ["rsvg-convert", "resvg"])
def test_a_fallback_font_sheet_looks_the_same_in_rsvg_resvg_and_cairosvg(renderer: str) -> None:
    from tests.test_renderers import RENDERERS, compare, png96

    svg = fallback_sheet().to_svg()
    for diff in compare(RENDERERS[renderer], svg, png96):
        assert diff.within_tolerance, f"fallback sheet: {renderer} vs cairosvg: {diff}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from tests.web import chromium_session

    yield from chromium_session()


def rtl_sheet() -> svgarch.Diagram:
    d = svgarch.Diagram("Right to left", theme="light")
    d.block("he", "חנות", subtitle=HEBREW, row=0, col=0)
    d.block("ar", "متجر", subtitle=ARABIC, row=0, col=1)
    d.block("mix", "DB שלום v2", subtitle="注文 · הזמנות · (x)", row=1, col=0, colspan=2)
    return d


def _chromium(browser: Any, svg: str, script: str) -> tuple[Any, bytes]:
    from tests.web import page_html

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.route("**/*", lambda route: route.abort())
        page.set_content(page_html(svg), wait_until="load")
        return page.evaluate(script), page.locator("svg").first.screenshot(animations="disabled")
    finally:
        page.close()


def test_chromium_shows_right_to_left_lines_in_its_own_bidi_order_like_the_png(browser: Any) -> None:
    """Chromium's own bidi on the logical text (a plain <text>) orders the letters as svgarch stored them,
    and draws svgarch's lines as wide as measured and like the PNG."""
    d = rtl_sheet()
    svg = d.to_svg()
    scene, _ = build_scene(d.model)
    lines = [ln for b in scene.blocks for ln in b.lines if not ln.text.isascii()]
    hebrew = [ln for ln in lines if not any("\u0600" <= ch <= "\u06ff" for ch in ln.text)]
    logical = "".join(
        f'<text x="10" y="{20 + 20 * i}" font-family="DejaVu Sans">{ln.text}</text>' for i, ln in enumerate(hebrew)
    )
    probe = f'<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400">{logical}</svg>'
    order_script = """() => [...document.querySelectorAll('text')].map((t) => {
        const n = t.getNumberOfChars(); const xs = [];
        for (let i = 0; i < n; i++) xs.push([t.getStartPositionOfChar(i).x, i]);
        return [t.textContent, xs.sort((a, b) => a[0] - b[0]).map((p) => p[1])]; })"""
    seen, _ = _chromium(browser, probe, order_script)
    for (text, order), line in zip(seen, hebrew, strict=True):
        chromium_order = "".join(text[i] for i in order).translate(str.maketrans("()", ")("))
        stored = "".join(r.text for r in line.runs or ())
        assert stored == chromium_order.translate(str.maketrans("()", ")(")) or stored == chromium_order, text
    lengths = "() => [...document.querySelectorAll('text')].map((e) => [e.textContent, e.getComputedTextLength()])"
    widths, shot = _chromium(browser, svg, lengths)
    drawn = dict(widths)
    for ln in lines:
        stored = "".join(r.text for r in ln.runs or ())
        assert drawn[stored] == pytest.approx(ln.box.w, rel=0.03), ln.text
    diff = difference(shot, to_png(svg, 96), WHOLE)
    assert diff.within_tolerance, f"right-to-left sheet in Chromium vs cairosvg: {diff}"


def test_a_reordered_line_tells_browsers_not_to_reorder_it() -> None:
    svg = rtl_sheet().to_svg()
    root = ET.fromstring(svg)
    marked = [t for t in root.iter(f"{SVG}text") if t.find(f"{SVG}tspan") is not None]
    assert marked and all(t.get("class", "").endswith(" sa-visual-order") for t in marked)
    assert f"#{root.get('id')} .sa-visual-order {{ direction: ltr; unicode-bidi: bidi-override }}" in svg
    plain = fallback_sheet().to_svg()
    assert "sa-visual-order" not in plain


# --- characters no font has -----------------------------------------------------------------------


def test_a_character_no_font_has_is_a_one_line_warning_with_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "d.toml"
    spec.write_text(f'title = "ok"\n\n[[block]]\nid = "db"\ntitle = "db {NO_FONT}x"\n', encoding="utf-8")
    assert svgarch_main(["render", str(spec), "-o", str(tmp_path / "d.png")]) == 0
    err = capsys.readouterr().err
    assert err == f"svgarch: warning: {spec}:5: block[0].title: no installed font has U+E000 '{NO_FONT}'" \
        " (drawn as an empty box)\n"
    assert (tmp_path / "d.png").stat().st_size > 0


def test_a_batch_warns_in_one_line_per_text_from_its_workers_too(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.toml").write_text(
            f'title = "ok"\n\n[[block]]\nid = "db"\ntitle = "db {NO_FONT}x"\n', encoding="utf-8"
        )
    out = tmp_path / "out"
    code = svgarch_main(["render", str(tmp_path / "a.toml"), str(tmp_path / "b.toml"), "--out-dir", str(out), "-q"])
    assert code == 0
    err = capfd.readouterr().err
    warned = [line for line in err.splitlines() if "warning" in line]
    assert sorted(warned) == [
        f"svgarch: warning: {tmp_path / name}.toml:5: block[0].title: no installed font has U+E000 '{NO_FONT}'"
        " (drawn as an empty box)"
        for name in ("a", "b")
    ]
    assert "MissingGlyphWarning" not in err and (out / "a.svg").exists() and (out / "b.svg").exists()


def test_the_api_warns_with_a_missing_glyph_warning() -> None:
    d = diagram("ok", subtitle=f"a{NO_FONT}\U000e0080")
    with pytest.warns(svgarch.MissingGlyphWarning, match=r"<api>: block\[0\]\.subtitle: .*U\+E000 .*U\+E0080"):
        d.to_svg()


def test_the_batch_and_docs_cache_keys_name_the_fallback_fonts(tmp_path: Path) -> None:
    from svgarch.batch import _dependencies
    from svgarch.integrations.render import _fallback_identity

    scripts = diagram(f"DB {JAPANESE}").model
    latin = diagram("DB naïve γ").model
    assert any("NotoSansCJK" in path for path in _dependencies("d.toml", scripts))
    assert not any("Noto" in path for path in _dependencies("d.toml", latin))
    assert any("NotoSansCJK" in part for part in _fallback_identity(scripts))
    assert _fallback_identity(diagram("DB plain").model) == []


def test_an_environment_without_the_bidi_library_gets_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("bidi", "bidi.algorithm"):
        monkeypatch.setitem(sys.modules, name, None)  # an import of it fails, as where it is not installed
    with pytest.raises(svgarch.RenderError, match="needs the python-bidi package"):
        visual([("שלום", 0)])
    spec = tmp_path / "d.toml"
    spec.write_text('title = "ok"\n\n[[block]]\nid = "s"\ntitle = "שלום"\n', encoding="utf-8")
    assert svgarch_main(["render", str(spec), "-o", str(tmp_path / "d.svg")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "python-bidi" in err and not (tmp_path / "d.svg").exists()
