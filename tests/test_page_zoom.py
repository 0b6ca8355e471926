"""``-o page.html`` zooms and pans a diagram wider than the page, in Debian's headless Chromium."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

import svgarch
from tests.browser import Chromium

pytestmark = pytest.mark.browser


def wide_diagram(blocks: int = 24) -> svgarch.Diagram:
    d = svgarch.Diagram("A long pipeline", direction="LR")
    names = [f"stage{i}" for i in range(blocks)]
    for name in names:
        d.block(name, name, subtitle="step", link=f"https://example.com/{name}")
    for a, b in itertools.pairwise(names):
        d.edge(a, b)
    return d


def open_page(chromium: Chromium, d: svgarch.Diagram, tmp_path: Path, width: int = 900) -> Any:
    path = tmp_path / "page.html"
    d.save(path)
    page = chromium.browser.new_page(viewport={"width": width, "height": 700})
    page.route("**/*", lambda route: route.continue_() if route.request.url == path.as_uri() else route.abort())
    page.goto(path.as_uri(), wait_until="load")
    return page


_STATE = """() => {
  const v = document.querySelector('.viewport'), s = v.querySelector('svg');
  return {bar: !document.querySelector('.zoom').hidden, shown: document.querySelector('.zoom output').textContent,
          svg: s.getBoundingClientRect().width, natural: s.viewBox.baseVal.width, view: v.clientWidth,
          scrollWidth: v.scrollWidth, left: v.scrollLeft};
}"""


def test_a_diagram_that_fits_gets_no_zoom_bar(chromium: Chromium, tmp_path: Path) -> None:
    page = open_page(chromium, wide_diagram(3), tmp_path, width=1600)
    try:
        state = page.evaluate(_STATE)
        assert not state["bar"] and state["svg"] == pytest.approx(state["natural"], abs=1)
    finally:
        page.close()


def test_a_wide_diagram_fits_then_zooms_and_pans(chromium: Chromium, tmp_path: Path) -> None:
    page = open_page(chromium, wide_diagram(), tmp_path)
    try:
        fit = page.evaluate(_STATE)
        assert fit["bar"] and fit["natural"] > 2 * fit["view"]
        assert fit["svg"] <= fit["view"] + 1 and fit["shown"] == f"{round(fit['view'] / fit['natural'] * 100)}%"
        page.click("button[data-zoom=actual]")
        actual = page.evaluate(_STATE)
        assert actual["svg"] == pytest.approx(actual["natural"], abs=1) and actual["shown"] == "100%"
        assert actual["scrollWidth"] > actual["view"]
        box = page.locator(".viewport").bounding_box()
        start = actual["left"]
        page.mouse.move(box["x"] + 600, box["y"] + 150)
        page.mouse.down()
        page.mouse.move(box["x"] + 300, box["y"] + 150, steps=5)
        page.mouse.up()
        panned = page.evaluate(_STATE)
        assert panned["left"] == pytest.approx(start + 300, abs=2), (start, panned["left"])
        assert page.url.endswith("page.html")  # the drag ended on a linked block: no navigation
        page.click("button[data-zoom=in]")
        assert page.evaluate(_STATE)["shown"] == "125%"
        page.locator(".viewport").focus()
        page.keyboard.press("-")
        assert page.evaluate(_STATE)["shown"] == "100%"
        page.keyboard.press("0")
        again = page.evaluate(_STATE)
        assert again["svg"] <= again["view"] + 1 and again["shown"] == fit["shown"]
    finally:
        page.close()
