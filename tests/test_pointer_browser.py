"""A diagram that answers the pointer, measured in Debian's headless Chromium (tests/browser.py).

Hover a block, Tab to a linked block, hover an edge: the computed opacity of
every block and edge is read back, and the focus ring is seen in pixels. No
mock stands in for the browser; a missing Chromium fails these tests.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import svgarch
from tests.browser import Chromium, html_page

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "service_map.toml"
FADED = 0.25

pytestmark = pytest.mark.browser


def open_svg(chromium: Chromium, svg: str) -> Any:
    """A page with ``svg`` inline, transitions off (prefers-reduced-motion), no network."""
    page = chromium.browser.new_page(viewport={"width": 1800, "height": 1000}, reduced_motion="reduce")
    page.route("**/*", lambda route: route.abort())
    page.set_content(html_page(svg), wait_until="load")
    return page


_OPACITIES = """() => {
  const out = {blocks: {}, edges: {}, labels: {}};
  for (const g of document.querySelectorAll('g.sa-block')) {
    out.blocks[g.getAttribute('data-block')] = parseFloat(getComputedStyle(g).opacity);
  }
  for (const g of document.querySelectorAll('g.sa-edge')) {
    out.edges[g.getAttribute('data-from') + '>' + g.getAttribute('data-to')] = parseFloat(getComputedStyle(g).opacity);
  }
  for (const g of document.querySelectorAll('g.sa-fan > g.sa-label')) {
    out.labels[g.textContent.trim()] = parseFloat(getComputedStyle(g).opacity);
  }
  return out;
}"""


def opacities(page: Any) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = page.evaluate(_OPACITIES)
    return result


def lit(values: dict[str, float]) -> set[str]:
    return {name for name, v in values.items() if v == 1.0}


def dimmed(values: dict[str, float]) -> set[str]:
    return {name for name, v in values.items() if v == pytest.approx(FADED)}


def example_svg(**changes: object) -> str:
    d = svgarch.load(EXAMPLE)
    d._raw.update(changes)
    return d.to_svg()


def test_nothing_is_dimmed_until_the_pointer_comes(chromium: Chromium) -> None:
    page = open_svg(chromium, example_svg())
    try:
        seen = opacities(page)
        assert seen["blocks"] and all(v == 1.0 for group in seen.values() for v in group.values()), seen
    finally:
        page.close()


def test_hovering_a_block_lights_its_edges_and_neighbours_and_dims_the_rest(chromium: Chromium) -> None:
    page = open_svg(chromium, example_svg())
    try:
        page.hover('[data-block="payments"]')
        seen = opacities(page)
        assert lit(seen["blocks"]) == {"payments", "checkout", "processor"}
        assert dimmed(seen["blocks"]) == {"storefront", "inventory", "db", "events"}
        assert lit(seen["edges"]) == {"checkout>payments", "payments>processor"}
        assert "checkout>inventory" in dimmed(seen["edges"]) and "storefront>checkout" in dimmed(seen["edges"])
        assert lit(seen["labels"]) == {"gRPC"}  # the fan's one label goes with its lit edge
        assert dimmed(seen["labels"]) == {"events"}
        page.mouse.move(2, 2)  # away: everything back
        assert all(v == 1.0 for group in opacities(page).values() for v in group.values())
    finally:
        page.close()


def test_hovering_an_edge_lights_it_and_its_two_ends(chromium: Chromium) -> None:
    page = open_svg(chromium, example_svg())
    try:
        x, y = page.evaluate("""() => {
          const line = document.querySelector('[data-from="payments"][data-to="processor"] > .sa-line');
          const p = line.getPointAtLength(line.getTotalLength() * 0.3).matrixTransform(line.getScreenCTM());
          return [p.x, p.y];
        }""")
        page.mouse.move(x, y)
        seen = opacities(page)
        assert lit(seen["blocks"]) == {"payments", "processor"}
        assert lit(seen["edges"]) == {"payments>processor"}
        assert "checkout" in dimmed(seen["blocks"])
    finally:
        page.close()


def test_hovering_a_fan_label_lights_the_whole_fan_and_its_ends(chromium: Chromium) -> None:
    page = open_svg(chromium, example_svg())
    try:
        page.locator("g.sa-fan > g.sa-label", has_text="events").hover()
        seen = opacities(page)
        assert lit(seen["blocks"]) == {"checkout", "inventory", "events"}
        assert lit(seen["edges"]) == {"checkout>events", "inventory>events"}
        assert lit(seen["labels"]) == {"events"}
    finally:
        page.close()


def _tab_to(page: Any, block: str) -> None:
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.querySelector(':scope > [data-block=\"{block}\"]') !== null"):
            return
    raise AssertionError(f"Tab never reached block {block}")


def test_tab_focuses_a_linked_block_with_a_visible_ring_and_highlights_it(chromium: Chromium) -> None:
    page = open_svg(chromium, example_svg())
    try:
        box = page.evaluate("""() => {
          const r = document.querySelector('[data-block="checkout"]').getBoundingClientRect();
          return [r.x, r.y, r.width, r.height];
        }""")
        clip = {"x": box[0] - 8, "y": box[1] - 8, "width": box[2] + 16, "height": box[3] + 16}
        before = page.screenshot(clip=clip)
        _tab_to(page, "checkout")
        focused = page.evaluate("""() => {
          const a = document.activeElement, s = getComputedStyle(a);
          return {tag: a.tagName, visible: a.matches(':focus-visible'), style: s.outlineStyle,
                  width: s.outlineWidth, href: a.getAttribute('href'), rel: a.getAttribute('rel')};
        }""")
        assert focused == {
            "tag": "a",
            "visible": True,
            "style": "solid",
            "width": "2px",
            "href": "https://runbooks.example.com/checkout",
            "rel": "noopener",
        }
        assert page.screenshot(clip=clip) != before, "the focus ring changed no pixel"
        seen = opacities(page)
        assert lit(seen["blocks"]) == {"checkout", "storefront", "payments", "inventory", "db", "events"}
        assert dimmed(seen["blocks"]) == {"processor"}
    finally:
        page.close()


def test_interactive_false_turns_highlighting_off_but_keeps_links_and_focus(chromium: Chromium) -> None:
    svg = example_svg(interactive=False)
    page = open_svg(chromium, svg)
    try:
        page.hover('[data-block="payments"]')
        assert all(v == 1.0 for group in opacities(page).values() for v in group.values())
        _tab_to(page, "checkout")
        assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    finally:
        page.close()


def test_every_link_is_an_a_with_its_href_around_the_element(chromium: Chromium) -> None:
    page = open_svg(chromium, example_svg())
    try:
        links = page.evaluate("""() => Array.from(document.querySelectorAll('svg a')).map((a) => [
          a.namespaceURI, a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('tabindex'),
          a.firstElementChild.getAttribute('class').split(' ')[0]])""")
    finally:
        page.close()
    svg_ns = "http://www.w3.org/2000/svg"
    assert [svg_ns, "https://runbooks.example.com/payments", "noopener", "0", "sa-block"] in links
    assert [svg_ns, "https://grafana.example.com/d/data-platform", "noopener", "0", "sa-group"] in links
    assert [svg_ns, "https://docs.example.com/api/internal", "noopener", "0", "sa-fan"] in links
    assert [svg_ns, "https://docs.example.com/api/checkout", "noopener", "0", "sa-edge"] in links
    assert [svg_ns, "../README.md#links-tooltips-and-hover", "noopener", "0", "sa-note-item"] in links
    assert len(links) == 9  # 5 blocks, 2 edges (one a fan), 1 group, 1 note


def test_a_block_id_with_quotes_and_brackets_is_lit_through_its_hook(chromium: Chromium) -> None:
    hostile = 'x"] , #evil { fill: red } [a="'
    d = svgarch.Diagram("T", id="hostile")
    d.block(hostile, "odd").block("b", "bee").block("c", "sea")
    d.edge(hostile, "b").edge("b", "c")
    svg = d.to_svg()
    style = re.search(r"<style[^>]*>(.*?)</style>", svg, re.S)
    assert style is not None and "evil" not in style.group(1) and 'data-ref="n0"' in svg
    page = open_svg(chromium, svg)
    try:
        page.hover("g.sa-block[data-ref]")
        seen = opacities(page)
        assert lit(seen["blocks"]) == {hostile, "b"}
        assert dimmed(seen["blocks"]) == {"c"}
        assert lit(seen["edges"]) == {f"{hostile}>b"}
    finally:
        page.close()
