"""Hostile stylesheets svgarch accepts, opened in Chromium: no script runs and nothing is fetched.

Each sample is drawn three ways — the SVG file itself, the SVG inlined in an
HTML page, and svgarch's own ``-o page.html`` — and each is opened in Debian's
headless Chromium (tests/browser.py) with every dialog, console message and
request recorded. A control page with a real ``<script>`` and an external
image proves the recorder sees what it is looking for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pytest

import svgarch
from svgarch.cli import main as svgarch_main
from svgarch.errors import SvgarchError
from svgarch.theme import load_theme
from tests.browser import Chromium, html_page
from tests.css_fuzz import stylesheet

# Accepted on purpose, each close to a hole: escapes decoding to plain names, :is() lists, strings, var chains.
TRICKY = [
    ".sa-shape { \\66 ill: #ff0000; \\2d \\2d x: 1 }",
    ":is(.sa-shape, .sa-pill), :where(.a,.b) > .c { stroke: #010203 }",
    ".svgarch { --sa-font-sans: 'DejaVu Sans', sans-serif; --sa-encoder: rgb(200, 20, 20) }",
    ".svgarch { --v0: #123456; --v1: var(--v0); --sa-bg: var(--v1, #000000) }\n.sa-title { fill: var(--v1) }",
    "@media (prefers-color-scheme: dark) { .svgarch { --sa-bg: #000000 } .sa-title { fill: #ffffff } }",
    '.sa-block[data-block="a"] > .sa-shape:not(.x,.y) { stroke-dasharray: 5 4; stroke-width: calc(1px + 1px) }',
]
FUZZ_SAMPLE = 4  # accepted fuzz cases opened too (each costs three page loads)


class Seen(NamedTuple):
    dialogs: list[str]
    console: list[str]
    requests: list[str]


def open_page(chromium: Chromium, *, url: str | None = None, html: str | None = None) -> Seen:
    """Load a page (a file URL, or HTML text) and record what it tried to do."""
    seen = Seen([], [], [])
    page: Any = chromium.browser.new_page()
    try:

        def on_dialog(dialog: Any) -> None:
            seen.dialogs.append(dialog.message)
            dialog.dismiss()

        def on_route(route: Any) -> None:
            if route.request.url == url:
                route.continue_()  # the page itself
            else:
                seen.requests.append(route.request.url)
                route.abort()

        page.on("dialog", on_dialog)
        page.on("console", lambda msg: seen.console.append(msg.text))
        page.on("pageerror", lambda err: seen.console.append(str(err)))
        page.route("**/*", on_route)
        if url is not None:
            page.goto(url, wait_until="load")
        else:
            page.set_content(html or "", wait_until="load")
        page.wait_for_timeout(150)  # a timer or a late load would show by now
    finally:
        page.close()
    return seen


def samples(folder: Path) -> list[Path]:
    out = []
    for i, css in enumerate(TRICKY):
        path = folder / f"tricky{i}.css"
        path.write_text(css, encoding="utf-8")
        out.append(path)
    seed = 0
    while len(out) < len(TRICKY) + FUZZ_SAMPLE:
        path = folder / f"fuzz{seed}.css"
        path.write_text(stylesheet(seed), encoding="utf-8")
        seed += 1
        try:
            load_theme("dark", [str(path)])
        except SvgarchError:
            continue
        out.append(path)
    return out


def outputs(css: Path, folder: Path) -> list[tuple[str, str | None, str | None]]:
    """(what, file URL, HTML text) for the SVG file, the SVG inlined, and svgarch's page."""
    spec = folder / f"{css.stem}.toml"
    spec.write_text(
        f'title = "Hostile"\ncss = "{css.name}"\n[[block]]\nid = "a"\nkind = "encoder"\n'
        '[[block]]\nid = "b"\n[[edge]]\nfrom = "a"\nto = "b"\nkind = "skip"\nlabel = "s"\n',
        encoding="utf-8",
    )
    svg, page = folder / f"{css.stem}.svg", folder / f"{css.stem}.html"
    assert svgarch_main(["render", str(spec), "-o", str(svg), "-o", str(page)]) == 0
    inline = html_page(svgarch.load(spec).to_svg())
    return [("svg file", svg.as_uri(), None), ("inline", None, inline), ("page.html", page.as_uri(), None)]


@pytest.mark.browser
def test_the_recorder_sees_a_script_and_a_request(chromium: Chromium, tmp_path: Path) -> None:
    control = tmp_path / "control.svg"
    control.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script>'
        '<image href="http://127.0.0.1:9/x.png" width="5" height="5"/></svg>',
        encoding="utf-8",
    )
    seen = open_page(chromium, url=control.as_uri())
    assert seen.dialogs == ["1"]
    assert any("127.0.0.1:9" in r for r in seen.requests)


@pytest.mark.browser
def test_no_hostile_stylesheet_runs_a_script_or_fetches_anything(chromium: Chromium, tmp_path: Path) -> None:
    for css in samples(tmp_path):
        for what, url, html in outputs(css, tmp_path):
            seen = open_page(chromium, url=url, html=html)
            assert seen == Seen([], [], []), f"{css.name} as {what}: {seen}"
