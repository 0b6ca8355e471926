"""The Sphinx extension in a real project (tests/sites/sphinx), built by the real ``sphinx-build`` for HTML
(opened in headless Chromium) and for LaTeX."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.web import chromium_session, rgb

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "tests" / "sites" / "sphinx"

pytestmark = pytest.mark.browser


def sphinx_build(source: Path, builder: str, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real ``sphinx-build`` command of this environment."""
    exe = Path(sys.executable).with_name("sphinx-build")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "sphinx"]
    return subprocess.run([*command, "-b", builder, *args, str(source), str(out)], capture_output=True, text=True,
                          timeout=300, check=False)


class Built(NamedTuple):
    source: Path
    html: Path
    first: subprocess.CompletedProcess[str]
    second: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    source = tmp_path_factory.mktemp("sphinx") / "project"
    shutil.copytree(PROJECT, source)
    first = sphinx_build(source, "html", source / "_build" / "html")
    assert first.returncode == 0, first.stderr
    # a fresh build in another folder, everything read again: the diagrams come from the cache
    second = sphinx_build(source, "html", source / "_build" / "again", "-E")
    assert second.returncode == 0, second.stderr
    return Built(source, source / "_build" / "html", first, second)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_session()


def test_the_second_build_takes_the_diagrams_from_the_cache(built: Built) -> None:
    assert "svgarch: 2 diagrams drawn, 0 read from the cache" in built.first.stdout
    assert "svgarch: 0 diagrams drawn, 2 read from the cache" in built.second.stdout
    assert sorted(p.suffix for p in (built.source / ".cache" / "svgarch").iterdir()) == [".svg", ".svg"]


def test_a_parallel_build_counts_the_diagrams_its_processes_drew(tmp_path: Path) -> None:
    source = tmp_path / "project"
    shutil.copytree(PROJECT, source)
    pages = [f"page{i}" for i in range(6)]  # Sphinx reads in parallel from six pages on
    for name in pages:
        (source / f"{name}.rst").write_text(f"{name}\n=====\n\n.. svgarch::\n\n   block = [{{id = \"{name}\"}}]\n",
                                            encoding="utf-8")
    index = source / "index.rst"
    index.write_text(index.read_text(encoding="utf-8") + "".join(f"   {name}\n" for name in pages), encoding="utf-8")
    first = sphinx_build(source, "html", source / "_build" / "html", "-j", "2")
    assert first.returncode == 0, first.stderr
    assert "svgarch: 8 diagrams drawn, 0 read from the cache" in first.stdout
    again = sphinx_build(source, "html", source / "_build" / "again", "-j", "2")
    assert "svgarch: 0 diagrams drawn, 8 read from the cache" in again.stdout


def test_a_broken_description_warns_at_the_rst_line_and_shows_an_error(built: Built) -> None:
    assert f"{built.source / 'broken.rst'}:13: WARNING: edge[0].to: unknown block 'nowhere'" in built.first.stderr
    html = (built.html / "broken.html").read_text(encoding="utf-8")
    assert "svgarch: this diagram cannot be drawn" in html and "unknown block" in html
    # the page names the .rst from the project's source folder, not where it was built
    assert "broken.rst:13: edge[0].to:" in html and str(built.source) not in html


def test_on_error_fail_stops_the_build(built: Built, tmp_path: Path) -> None:
    done = sphinx_build(built.source, "html", tmp_path / "out", "-E", "-D", "svgarch_on_error=fail")
    assert done.returncode != 0
    assert f"{built.source / 'broken.rst'}:13: edge[0].to: unknown block 'nowhere'" in done.stderr


_DIAGRAMS_JS = """
() => Array.from(document.querySelectorAll('svg.svgarch')).map((svg) => ({
  label: svg.getAttribute('aria-label'),
  width: svg.getBoundingClientRect().width,
  column: svg.parentElement.getBoundingClientRect().width,
  caption: svg.closest('figure') ? svg.closest('figure').querySelector('.caption-text').textContent.trim() : null,
  background: getComputedStyle(svg.querySelector('.sa-background')).fill,
  blocks: Array.from(svg.querySelectorAll('g.sa-block')).map((g) => {
    const s = g.querySelector('.sa-shape').getBoundingClientRect();
    return {id: g.dataset.block, shape: [s.left, s.top, s.right, s.bottom],
            texts: Array.from(g.querySelectorAll('text')).map((t) => {
              const b = t.getBoundingClientRect();
              return [b.left, b.top, b.right, b.bottom, t.textContent];
            })};
  }),
}))
"""


def _diagrams(browser: Any, built: Built, scheme: str, data_theme: str | None) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page.route("http*://**/*", lambda route: route.abort())
    try:
        page.goto((built.html / "index.html").as_uri())
        if data_theme is not None:  # the project's switch (tests/sites/sphinx/conf.py names its selectors)
            page.evaluate(f"document.documentElement.setAttribute('data-theme', '{data_theme}')")
        return page.evaluate(_DIAGRAMS_JS)
    finally:
        page.close()


def test_the_html_page_has_the_diagrams_and_follows_the_dark_selector(built: Built, browser: Any) -> None:
    light = _diagrams(browser, built, "dark", None)  # the system prefers dark, the page is not switched
    dark = _diagrams(browser, built, "light", "dark")
    assert [d["label"] for d in light] == ["The worker pool", "A service and its database"]
    assert light[0]["caption"] == "Jobs flow from the queue to the workers"
    assert light[0]["width"] == pytest.approx(0.6 * light[0]["column"], abs=1)  # :width: 60%
    for diagram in light:
        for block in diagram["blocks"]:
            x0, y0, x1, y1 = block["shape"]
            for left, top, right, bottom, text in block["texts"]:
                assert right - left > 5, f"{text!r} was not laid out"
                inside = x0 - 0.5 <= left and right <= x1 + 0.5 and y0 - 0.5 <= top and bottom <= y1 + 0.5
                assert inside, f"{text!r} sticks out of block {block['id']}"
    assert [rgb(d["background"]) for d in light] == ["#ffffff", "#ffffff"]
    assert [rgb(d["background"]) for d in dark] == ["#0f172a", "#0f172a"]
    # the "auto" mode follows the system
    assert [rgb(d["background"]) for d in _diagrams(browser, built, "dark", "auto")] == ["#0f172a", "#0f172a"]
    assert [rgb(d["background"]) for d in _diagrams(browser, built, "light", "auto")] == ["#ffffff", "#ffffff"]


def test_latex_gets_a_pdf_of_each_diagram(built: Built, tmp_path: Path) -> None:
    done = sphinx_build(built.source, "latex", tmp_path / "latex")
    assert done.returncode == 0, done.stderr
    [tex] = (tmp_path / "latex").glob("*.tex")
    text = tex.read_text(encoding="utf-8")
    pdfs = sorted((tmp_path / "latex").glob("svgarch-*.pdf"))
    assert len(pdfs) == 2
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert "\\sphinxincludegraphics" in text and f"{{{pdf.name}}}" in text
    assert "width=0.6\\linewidth" in text
    # without :width: a diagram keeps its own size (a two-block one is not blown up to the line's width);
    # \sphinxincludegraphics shrinks one too large for the page by itself
    assert any(f"\\sphinxincludegraphics{{{pdf.name}}}" in text for pdf in pdfs)
    assert "\\caption{Jobs flow from the queue to the workers}" in text
