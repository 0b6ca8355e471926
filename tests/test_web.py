"""Made for the web: two diagrams inlined in one page with a hostile docs stylesheet, in headless Chromium.

Each diagram must look exactly as cairosvg draws it (within the pixel
tolerance of tests/web.py), keep its ids to itself, take a page's
``--sa-*`` overrides without ``!important``, and — in the auto theme —
follow ``prefers-color-scheme``. A missing Chromium or Playwright skips
these tests (fails them under ``CI=true``; make test installs both);
deselect with ``-m "not browser"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import svgarch
from svgarch.cli import main as svgarch_main
from svgarch.render.raster import to_png
from svgarch.theme import load_theme
from tests.web import SHAPES, WHOLE, chromium_session, difference, page_html, rgb, without_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "cnn_v3.toml"
OVERRIDE = "#e11d48"

pytestmark = pytest.mark.browser


def service() -> svgarch.Diagram:
    d = svgarch.Diagram("Web service", theme="auto", description="A small service in the auto theme.")
    d.block("api", "API gateway", subtitle="FastAPI · 3 replicas", kind="io", row=0, col=0)
    d.block("auth", "auth", subtitle="OAuth 2", kind="encoder", row=1, col=0, shape="pill")
    d.block("db", "Postgres", subtitle="primary", kind="store", shape="cylinder", row=1, col=1)
    d.block("queue", "queue", kind="decoder", shape="diamond", row=0, col=1)
    d.edge("api", "auth", label="tokens").edge("api", "queue", kind="skip", label="jobs")
    d.edge("queue", "db", kind="film").edge("auth", "db", label="users")
    d.note("writes are idempotent", row=2, col=0)
    d.legend("io", "edge").legend("encoder", "security").legend("store", "storage").legend("skip", "async")
    return d


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_session()


@pytest.fixture(scope="module")
def diagrams() -> list[str]:
    return [svgarch.load(SEED).to_svg(), service().to_svg()]


def root_id(svg: str) -> str:
    found = re.search(r'<svg [^>]*\bid="([^"]+)"', svg)
    assert found is not None
    return found.group(1)


@pytest.fixture
def page(browser: Any, diagrams: list[str]) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.route("**/*", lambda route: route.abort())  # no network, ever
    page.set_content(page_html(*diagrams), wait_until="load")
    yield page
    page.close()


def fill(page: Any, selector: str, prop: str = "fill") -> str:
    return rgb(page.eval_on_selector(selector, f"(el) => getComputedStyle(el).{prop}"))


def screenshots(browser: Any, svgs: list[str], dpi: float) -> list[bytes]:
    """Each diagram inlined in one hostile page, screenshot at ``dpi`` / 96 device pixels per CSS pixel."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, device_scale_factor=dpi / 96)
    try:
        page.route("**/*", lambda route: route.abort())
        page.set_content(page_html(*svgs), wait_until="load")
        return [page.locator(f"#{root_id(svg)}").screenshot(animations="disabled") for svg in svgs]
    finally:
        page.close()


@pytest.mark.parametrize("dpi", [96, 180])
def test_each_diagram_on_a_hostile_page_looks_like_its_png(browser: Any, diagrams: list[str], dpi: int) -> None:
    bare = [without_text(svg) for svg in diagrams]
    for svg, shot, tolerance in [
        *zip(diagrams, screenshots(browser, diagrams, dpi), [WHOLE] * 2, strict=True),
        *zip(bare, screenshots(browser, bare, dpi), [SHAPES] * 2, strict=True),
    ]:
        diff = difference(shot, to_png(svg, dpi), tolerance)
        assert diff.within_tolerance, f"{root_id(svg)} in Chromium vs cairosvg at {dpi} dpi: {diff}"


def test_ids_are_unique_across_the_page(page: Any, diagrams: list[str]) -> None:
    ids = page.eval_on_selector_all("[id]", "(els) => els.map((e) => e.id)")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for svg in diagrams:  # every id inside a diagram carries the diagram's
        sid = root_id(svg)
        inside = page.eval_on_selector_all(f"#{sid} [id]", "(els) => els.map((e) => e.id)")
        assert inside and all(i.startswith(f"{sid}-") for i in inside), inside


def test_page_rules_for_elements_do_not_reach_in(page: Any, diagrams: list[str]) -> None:
    seed, web = (root_id(svg) for svg in diagrams)
    title = f"#{seed} g.sa-block[data-block='enc0'] > text.sa-block-title"
    style = page.eval_on_selector(
        title,
        "(el) => { const s = getComputedStyle(el); return [s.fontFamily, s.fontSize, s.letterSpacing,"
        " s.textTransform, s.fontStyle, s.textAnchor, s.strokeWidth, s.stroke, s.opacity, s.textDecorationLine] }",
    )
    assert style[0].startswith('"DejaVu Sans Mono"'), style
    assert style[1:] == ["13px", "normal", "none", "normal", "middle", "1px", "none", "1", "none"], style
    assert fill(page, title) == "#ffffff"
    box = page.eval_on_selector(f"#{seed}", "(el) => { const s = getComputedStyle(el); return [s.width, s.padding,"
                                " s.borderTopWidth, s.backgroundColor, s.opacity] }")
    own = re.search(r'<svg [^>]*\bviewBox="0 0 ([0-9.]+) ', diagrams[0])  # its own size, at 96 px an inch
    assert own is not None
    assert box == [f"{float(own.group(1)):g}px", "0px", "0px", "rgba(0, 0, 0, 0)", "1"], box
    line = f"#{web} g.sa-edge[data-from='api'][data-to='auth'] > path.sa-line"
    assert page.eval_on_selector(line, "(el) => getComputedStyle(el).strokeDasharray") == "none"
    assert fill(page, line, "stroke") == load_theme("auto").resolve("var(--sa-arrow)")


def test_page_overrides_win_without_important(page: Any, diagrams: list[str]) -> None:
    seed, web = (root_id(svg) for svg in diagrams)
    encoder = "g.sa-block.sa-k-encoder > .sa-shape"
    assert fill(page, f"#{seed} {encoder}") == load_theme("dark").resolve("var(--sa-encoder)")
    page.add_style_tag(content=f".svgarch {{ --sa-encoder: {OVERRIDE}; }} #{web} {{ --sa-bg: #fef3c7; }}")
    assert fill(page, f"#{seed} {encoder}") == OVERRIDE  # every diagram
    assert fill(page, f"#{web} {encoder}") == OVERRIDE
    assert fill(page, f"#{web} .sa-background") == "#fef3c7"  # only the one named
    assert fill(page, f"#{seed} .sa-background") == load_theme("dark").resolve("var(--sa-bg)")
    assert fill(page, f"#{web} .sa-legend-item.sa-k-encoder > .sa-legend-patch") == OVERRIDE


def test_dark_mode_switches_the_auto_palette_and_overrides_still_win(page: Any, diagrams: list[str]) -> None:
    seed, web = (root_id(svg) for svg in diagrams)
    light, dark = load_theme("light"), load_theme("dark")
    page.emulate_media(color_scheme="light")
    assert fill(page, f"#{web} .sa-background") == light.resolve("var(--sa-bg)")
    assert fill(page, f"#{web} text.sa-title") == light.resolve("var(--sa-text)")
    page.emulate_media(color_scheme="dark")
    assert fill(page, f"#{web} .sa-background") == dark.resolve("var(--sa-bg)")
    assert fill(page, f"#{web} text.sa-title") == dark.resolve("var(--sa-text)")
    assert fill(page, f"#{web} g.sa-block.sa-k-encoder > .sa-shape") == dark.resolve("var(--sa-encoder)")
    assert fill(page, f"#{seed} .sa-background") == dark.resolve("var(--sa-bg)")  # dark pins its palette
    page.add_style_tag(content=f".svgarch {{ --sa-encoder: {OVERRIDE}; }}")
    assert fill(page, f"#{web} g.sa-block.sa-k-encoder > .sa-shape") == OVERRIDE


def test_page_html_switches_between_light_and_dark(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    service().save(out)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, color_scheme="light")
    try:
        page.route("http*://**/*", lambda route: route.abort())  # the page's own file only
        page.goto(out.as_uri())
        bg = "svg.svgarch .sa-background"
        assert fill(page, bg) == load_theme("light").resolve("var(--sa-bg)")
        page.click("button[data-scheme='dark']")
        assert fill(page, bg) == load_theme("dark").resolve("var(--sa-bg)")
        assert fill(page, "svg.svgarch g.sa-block.sa-k-encoder > .sa-shape") == load_theme("dark").resolve(
            "var(--sa-encoder)"
        )
        assert page.get_attribute("button[data-scheme='dark']", "aria-pressed") == "true"
        page.click("button[data-scheme='light']")
        assert fill(page, bg) == load_theme("light").resolve("var(--sa-bg)")
        page.emulate_media(color_scheme="dark")
        page.click("button[data-scheme='auto']")
        assert fill(page, bg) == load_theme("dark").resolve("var(--sa-bg)")
    finally:
        page.close()


def test_embedded_fonts_are_what_the_browser_draws_with(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "d.svg"
    assert svgarch_main(["render", str(SEED), "--embed-font", "-o", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.set_content(page_html(svg), wait_until="load")
        faces = page.evaluate(
            "async () => { await document.fonts.ready;"
            " return Array.from(document.fonts).map((f) => [f.family, f.weight, f.style, f.status]); }"
        )
        family = page.eval_on_selector("text.sa-block-title", "(el) => getComputedStyle(el).fontFamily")
    finally:
        page.close()
    sid = root_id(svg)
    assert family.startswith(f'"{sid} DejaVu Sans Mono"'), family
    assert sorted(f[0].strip('"') for f in faces) == sorted(
        f"{sid} {name}" for name in ("DejaVu Sans", "DejaVu Sans", "DejaVu Sans", "DejaVu Sans Mono")
    ), faces
    assert all(f[3] == "loaded" for f in faces), faces


def test_one_diagram_shown_twice_on_a_page_repeats_no_id(browser: Any) -> None:
    d = service()
    shown = [d._repr_mimebundle_()["image/svg+xml"] for _ in range(2)]  # two notebook displays of one diagram
    assert isinstance(shown[0], str) and isinstance(shown[1], str)
    first, second = (root_id(str(svg)) for svg in shown)
    assert first != second
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.route("**/*", lambda route: route.abort())
        page.set_content(page_html(*map(str, shown)), wait_until="load")
        ids = page.eval_on_selector_all("[id]", "(els) => els.map((e) => e.id)")
        assert len(ids) == len(set(ids)) and len(ids) >= 6, sorted(i for i in ids if ids.count(i) > 1)
        for sid in (first, second):  # both styled, each by its own rules
            assert fill(page, f"#{sid} g.sa-block.sa-k-encoder > .sa-shape") == load_theme("auto").resolve(
                "var(--sa-encoder)"
            )
            assert fill(page, f"#{sid} .sa-background") == load_theme("auto").resolve("var(--sa-bg)")
        shots = [page.locator(f"#{sid}").screenshot(animations="disabled") for sid in (first, second)]
    finally:
        page.close()
    for svg, shot in zip(shown, shots, strict=True):
        diff = difference(shot, to_png(str(svg), 96), WHOLE)
        assert diff.within_tolerance, diff
