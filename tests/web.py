"""Helpers for the real-browser tests: a Chromium session, a hostile docs page, pixel comparison.

Chromium is the system's (``tests.browser.find_chromium``: ``$SVGARCH_CHROMIUM``,
else ``chromium``, ``chromium-browser`` or ``google-chrome`` on PATH) driven by
Playwright's Python package with the launch flags of ``tests/browser.py``;
never a downloaded browser, never the network.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from PIL import Image, ImageChops, ImageFilter

from tests.browser import BrowserUnavailable, Chromium, unavailable


class Tolerance(NamedTuple):
    """How far two renderings of one SVG at one scale may be apart."""

    threshold: int  # a pixel differs when a channel differs by more than this (of 255) ...
    max_differing: float  # ... and at most this fraction of the pixels may differ
    max_mean: float  # the mean channel difference, as a fraction of 255
    blur: int  # box-blur radius applied to both first (px)


# Renderers differ in how they anti-alias and hint glyphs, so the whole picture is compared loosely
# (measured on examples/cnn_v3.toml at 96 dpi, every theme: 1.5-2.0 % of pixels differ by more than a
# quarter of the range, mean 0.8-1.7 %), and the picture without its text strictly: blurred by 2 px,
# 0.00-0.05 % of pixels differ by more than 16 between cairosvg, rsvg and resvg, up to 0.15 % in Chromium
# (the ends of pill shapes), while one block one shade off (#2563eb → #1d4ed8) makes 1.5-3.6 % differ
# (tests/test_renderers.py). Both renderings come from one SVG, so geometry cannot differ; what this
# guards is paint: a thin line or an outline moved by a few px stays below what it can see.
WHOLE = Tolerance(threshold=64, max_differing=0.03, max_mean=0.025, blur=0)
SHAPES = Tolerance(threshold=16, max_differing=0.003, max_mean=0.01, blur=2)
_TEXT = re.compile(r"<text\b[^>]*>.*?</text>", re.S)


def without_text(svg: str) -> str:
    """The SVG with every ``<text>`` removed: what is left is compared strictly."""
    return _TEXT.sub("", svg)


# What common docs themes say about the elements an inline SVG is made of, and more.
HOSTILE_CSS = """
* { transition: all 0.3s; box-sizing: border-box; }
html, body { font: 18px/1.7 Georgia, serif; letter-spacing: 0.05em; word-spacing: 0.3em; color: #333;
  text-transform: uppercase; direction: ltr; font-feature-settings: "smcp"; }
body { margin: 0; padding: 0; }
svg { display: block; width: 100%; height: auto; max-width: 640px; padding: 12px; margin: 0;
  border: 5px solid red; background: yellow; fill: currentColor; stroke: blue; overflow: visible;
  border-radius: 14px; box-shadow: 0 0 10px black; opacity: 0.9; }
g { opacity: 0.7; transform: translate(3px, 3px); }
text { font-family: "DejaVu Serif", serif; font-size: 30px; fill: red; letter-spacing: 3px; word-spacing: 9px;
  text-transform: uppercase; font-weight: bold; font-style: italic; text-anchor: end;
  dominant-baseline: hanging; text-decoration: underline; text-shadow: 1px 1px 2px black;
  stroke: green; stroke-width: 1px; paint-order: stroke; font-variant: small-caps; }
rect { fill: yellow; stroke: red; stroke-width: 4px; opacity: 0.5; stroke-dasharray: 3 3; }
path { fill: purple; stroke: orange; stroke-width: 6px; stroke-dasharray: 2 2; stroke-linecap: square; }
circle, ellipse, line, polygon { fill: red; stroke: red; stroke-width: 5px; }
.node, .node rect, .node circle { fill: #ececff; stroke: #9370db; stroke-width: 1px; }
.label { color: red; font-size: 40px; }
.label text, .edgeLabel text { fill: red; }
.edge path, .edgePath path, .flowchart-link { stroke: #333; stroke-width: 2px; fill: none; }
.svgarch text { fill: lime; }
svg text { font-size: 2em; }
"""


def page_html(*svgs: str, style: str = HOSTILE_CSS) -> str:
    body = "\n".join(f"<section>\n{svg}</section>" for svg in svgs)
    return f"<!doctype html><html><head><meta charset='utf-8'><style>{style}</style></head><body>{body}</body></html>"


class Difference(NamedTuple):
    differing: float  # fraction of pixels with a channel off by more than the threshold
    mean: float  # mean channel difference, as a fraction of 255
    size: tuple[tuple[int, int], tuple[int, int]]
    tolerance: Tolerance

    @property
    def within_tolerance(self) -> bool:
        t = self.tolerance
        return self.size[0] == self.size[1] and self.differing <= t.max_differing and self.mean <= t.max_mean

    def __str__(self) -> str:
        if self.size[0] != self.size[1]:
            return f"sizes differ: {self.size[0]} vs {self.size[1]}"
        t = self.tolerance
        blurred = f", blurred {t.blur} px" if t.blur else ""
        return (
            f"{self.differing:.2%} of pixels differ by more than {t.threshold} (tolerance {t.max_differing:.2%}), "
            f"mean difference {self.mean:.2%} (tolerance {t.max_mean:.2%}){blurred}"
        )


def difference(a_png: bytes, b_png: bytes, tolerance: Tolerance = WHOLE) -> Difference:
    """How far two images are apart, both composited on white (screenshots are opaque)."""
    a, b = (_on_white(Image.open(io.BytesIO(png))) for png in (a_png, b_png))
    if a.size != b.size:
        return Difference(1.0, 1.0, (a.size, b.size), tolerance)
    if tolerance.blur:
        a, b = (im.filter(ImageFilter.BoxBlur(tolerance.blur)) for im in (a, b))
    channels = ImageChops.difference(a, b).split()
    worst = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    hist = worst.histogram()
    pixels = a.size[0] * a.size[1]
    differing = sum(hist[tolerance.threshold + 1 :]) / pixels
    mean = sum(sum(i * c for i, c in enumerate(ch.histogram())) for ch in channels) / (3 * pixels * 255)
    return Difference(differing, mean, (a.size, b.size), tolerance)


def _on_white(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")


def chromium_session() -> Iterator[Any]:
    """A started Playwright browser, or a skip naming what is missing (a failure under ``CI=true``)."""
    try:
        chromium = Chromium().start()
    except BrowserUnavailable as exc:
        unavailable(exc)
    try:
        yield chromium.browser
    finally:
        chromium.close()


def rgb(css: str) -> str:
    """``rgb(37, 99, 235)`` → ``#2563eb`` (what getComputedStyle gives for a paint)."""
    parts = css.removeprefix("rgb(").removesuffix(")").split(",")
    assert len(parts) == 3, css
    return "#" + "".join(f"{int(p):02x}" for p in parts)
