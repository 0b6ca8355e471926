"""The MkDocs plugin in a real Material for MkDocs site (tests/sites/mkdocs), built by the real
``mkdocs build`` twice, its pages opened in headless Chromium; and ``mkdocs serve`` over loopback."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.web import chromium_session, rgb

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "tests" / "sites" / "mkdocs"
BROKEN = "docs/broken.md:14: edge[0].to: unknown block 'nowhere'"  # the line in the file, front matter counted

pytestmark = pytest.mark.browser


def mkdocs(folder: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The real ``mkdocs`` command of this environment."""
    exe = Path(sys.executable).with_name("mkdocs")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "mkdocs"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([*command, *args], cwd=folder, capture_output=True, text=True, timeout=timeout, env=env,
                          check=False)


class Built(NamedTuple):
    root: Path
    first: str  # the log of each build
    second: str
    stamps: dict[str, int]  # cache entry → mtime after the first build
    page: str  # site/index.html after the first build


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("mkdocs") / "site-src"
    shutil.copytree(SITE, root)
    first = mkdocs(root, "build")
    assert first.returncode == 0, first.stderr
    cache = root / ".cache" / "svgarch"
    stamps = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    page = (root / "site" / "index.html").read_text(encoding="utf-8")
    second = mkdocs(root, "build")
    assert second.returncode == 0, second.stderr
    return Built(root, first.stderr, second.stderr, stamps, page)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_session()


def test_the_second_build_takes_every_diagram_from_the_cache(built: Built) -> None:
    assert "svgarch: 3 diagrams drawn, 0 read from the cache" in built.first
    assert "svgarch: 0 diagrams drawn, 3 read from the cache" in built.second
    cache = built.root / ".cache" / "svgarch"
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == built.stamps  # nothing rewritten
    assert len(built.stamps) == 3
    assert (built.root / "site" / "index.html").read_text(encoding="utf-8") == built.page


def test_a_broken_fence_is_an_error_box_and_a_warning_naming_the_line(built: Built) -> None:
    html = (built.root / "site" / "broken" / "index.html").read_text(encoding="utf-8")
    assert 'class="svgarch-error"' in html
    assert BROKEN.replace("'", "&#x27;") in html
    assert "After the error." in html
    assert f"WARNING -  svgarch: {BROKEN}" in built.first  # in the log too: --strict fails on it


def test_on_error_fail_stops_the_build_naming_file_and_line(tmp_path: Path) -> None:
    root = tmp_path / "site-src"
    shutil.copytree(SITE, root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("on_error: show", "on_error: fail"), encoding="utf-8")
    done = mkdocs(root, "build")
    assert done.returncode != 0
    assert BROKEN in done.stderr
    assert "Traceback" not in done.stderr


def _page(browser: Any, path: Path, scheme: str = "light") -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page.route("http*://**/*", lambda route: route.abort())  # the site's own files only
    page.goto(path.as_uri())
    return page


_DIAGRAMS_JS = """
() => Array.from(document.querySelectorAll('svg.svgarch')).map((svg) => ({
  label: svg.getAttribute('aria-label'),
  background: getComputedStyle(svg.querySelector('.sa-background')).fill,
  blocks: Array.from(svg.querySelectorAll('g.sa-block')).map((g) => {
    const s = g.querySelector('.sa-shape').getBoundingClientRect();
    return {id: g.dataset.block, kind: Array.from(g.classList).join(' '),
            fill: getComputedStyle(g.querySelector('.sa-shape')).fill,
            shape: [s.left, s.top, s.right, s.bottom],
            texts: Array.from(g.querySelectorAll('text')).map((t) => {
              const b = t.getBoundingClientRect();
              return [b.left, b.top, b.right, b.bottom, t.textContent];
            })};
  }),
}))
"""


def test_the_diagrams_are_in_the_page_with_their_text_inside_their_blocks(built: Built, browser: Any) -> None:
    page = _page(browser, built.root / "site" / "index.html")
    try:
        diagrams = page.evaluate(_DIAGRAMS_JS)
    finally:
        page.close()
    assert [d["label"] for d in diagrams] == ["An API in front of a database", "The worker pool", None]
    assert [len(d["blocks"]) for d in diagrams] == [2, 2, 2]
    for diagram in diagrams:
        for block in diagram["blocks"]:
            x0, y0, x1, y1 = block["shape"]
            assert block["texts"], block
            for left, top, right, bottom, text in block["texts"]:
                assert right - left > 5, f"{text!r} was not laid out"
                inside = x0 - 0.5 <= left and right <= x1 + 0.5 and y0 - 0.5 <= top and bottom <= y1 + 0.5
                assert inside, f"{text!r} {left, top, right, bottom} sticks out of block {block['id']} {block['shape']}"


def _to_dark(page: Any) -> None:
    """Click the site's own dark toggle (Material's palette switch) and wait for the slate scheme."""
    page.click('label[title="Switch to dark mode"]')
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")


def test_the_sites_dark_toggle_switches_the_diagrams(built: Built, browser: Any) -> None:
    # the reader's system prefers dark, the site is light: the site's switch alone decides
    page = _page(browser, built.root / "site" / "index.html", scheme="dark")
    try:
        light = page.evaluate(_DIAGRAMS_JS)
        _to_dark(page)
        dark = page.evaluate(_DIAGRAMS_JS)
        page.click('label[title="Switch to light mode"]')
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
        again = page.evaluate(_DIAGRAMS_JS)
    finally:
        page.close()
    assert [rgb(d["background"]) for d in light] == ["#ffffff"] * 3
    assert [rgb(d["background"]) for d in dark] == ["#0f172a"] * 3
    db = [(rgb(a["fill"]), rgb(b["fill"])) for a, b in zip(light[0]["blocks"], dark[0]["blocks"], strict=True)]
    assert db == [("#2563eb", "#2563eb"), ("#64748b", "#475569")]  # the encoder keeps its hue; a plain block darkens
    assert again == light


_ERROR_COLOURS_JS = """
() => {
  const box = document.querySelector('.svgarch-error');
  let page = 'rgba(0, 0, 0, 0)';
  for (let e = box.parentElement; e && page === 'rgba(0, 0, 0, 0)'; e = e.parentElement) {
    page = getComputedStyle(e).backgroundColor;
  }
  return {text: getComputedStyle(box.querySelector('pre')).color, box: getComputedStyle(box).backgroundColor, page};
}
"""


def _channels(css: str) -> list[float]:
    return [float(v) for v in re.findall(r"[\d.]+", css)]


def _luminance(rgb_: list[float]) -> float:
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb_[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _box_luminance(colours: dict[str, str]) -> float:
    """The error box's luminance as seen: its translucent red laid over the page."""
    page, box = _channels(colours["page"]), _channels(colours["box"])
    alpha = box[3] if len(box) == 4 else 1.0
    return _luminance([alpha * b + (1 - alpha) * p for b, p in zip(box[:3], page[:3], strict=True)])


def _contrast(colours: dict[str, str]) -> float:
    """WCAG contrast of the error text against its box."""
    light, dark = sorted((_luminance(_channels(colours["text"])), _box_luminance(colours)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_an_error_box_reads_in_the_sites_light_and_dark_modes(built: Built, browser: Any) -> None:
    page = _page(browser, built.root / "site" / "broken" / "index.html")
    try:
        light = page.evaluate(_ERROR_COLOURS_JS)
        _to_dark(page)
        dark = page.evaluate(_ERROR_COLOURS_JS)
    finally:
        page.close()
    assert _luminance(_channels(dark["page"])) < 0.05 < _luminance(_channels(light["page"]))  # the switch took
    assert _contrast(light) >= 4.5, light  # WCAG AA for body text, on both
    assert _contrast(dark) >= 4.5, dark
    assert _box_luminance(dark) < 0.05, dark  # a dark page keeps a dark box, not a light patch on it


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        body = _fetch(url)
        if text in body:
            return body
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {text!r} within {seconds} s")


def test_mkdocs_serve_redraws_a_diagram_when_its_description_changes(tmp_path: Path) -> None:
    # the description lives outside docs/, which MkDocs itself does not watch: the plugin registers it
    (tmp_path / "docs").mkdir()
    (tmp_path / "diagrams").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: live\nplugins:\n  - svgarch\n", encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text("# Live\n\n![Live](../diagrams/live.toml)\n", encoding="utf-8")
    live = tmp_path / "diagrams" / "live.toml"
    live.write_text('[[block]]\nid = "a"\ntitle = "First title"\n', encoding="utf-8")
    port = _free_port()
    exe = Path(sys.executable).with_name("mkdocs")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "mkdocs"]
    server = subprocess.Popen(
        [*command, "serve", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_for(url, ">First title</text>", 60)
        time.sleep(1.0)  # let the watcher settle before the save
        live.write_text('[[block]]\nid = "a"\ntitle = "Second title"\n', encoding="utf-8")
        assert ">First title</text>" not in _wait_for(url, ">Second title</text>", 60)
        # a file the first build did not know: named by an edited page, then saved
        later = tmp_path / "diagrams" / "later.toml"
        later.write_text('[[block]]\nid = "b"\ntitle = "Later one"\n', encoding="utf-8")
        page = tmp_path / "docs" / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n![Later](../diagrams/later.toml)\n", encoding="utf-8")
        _wait_for(url, ">Later one</text>", 60)
        time.sleep(1.0)
        later.write_text('[[block]]\nid = "b"\ntitle = "Later two"\n', encoding="utf-8")
        _wait_for(url, ">Later two</text>", 30)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        assert server.stderr is not None
        server.stderr.close()


def test_output_file_links_svg_files_the_page_can_reach(tmp_path: Path) -> None:
    root = tmp_path / "site-src"
    shutil.copytree(SITE, root)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("on_error: show", "on_error: show\n      output: file"), encoding="utf-8")
    done = mkdocs(root, "build")
    assert done.returncode == 0, done.stderr
    page = root / "site" / "index.html"
    html = page.read_text(encoding="utf-8")
    sources = re.findall(r'<img class="svgarch-image" src="([^"]+)" alt="([^"]*)">', html)
    assert [alt for _, alt in sources] == ["An API in front of a database", "The worker pool", ""]
    for src, _ in sources:
        assert (page.parent / src).read_text(encoding="utf-8").startswith("<svg ")
    assert "<svg" not in html.split('<div class="md-content"', 1)[1].split("</article>", 1)[0]
