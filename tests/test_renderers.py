"""One SVG, four renderers: cairosvg (our PNG), rsvg-convert, resvg and Chromium agree.

A feature sheet — every shape, a fan, an arc, labels, notes, row labels, a
legend — in every bundled theme is drawn by cairosvg, by rsvg-convert
(Debian's librsvg2-bin) and by resvg (PyPI's resvg-py; Debian bookworm has
no resvg package) at 96 dpi, and must agree within the tolerance of
tests/web.py. Chromium's side is tests/test_web.py. A missing renderer fails
these tests (make test installs them), it never skips.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from functools import cache

import pytest

import svgarch
from svgarch.render.raster import to_png
from svgarch.theme import available_themes
from tests.web import SHAPES, WHOLE, Difference, difference, without_text

DPI = 96


def feature_sheet(theme: str) -> str:
    d = svgarch.Diagram("Feature sheet", theme=theme, description="every shape and furniture")
    shapes = ["rounded", "rect", "pill", "circle", "ellipse", "cylinder", "diamond"]
    kinds = ["encoder", "decoder", "bottleneck", "mlp", "io", "cache", "worker"]
    for i, (shape, kind) in enumerate(zip(shapes, kinds, strict=True)):
        d.block(f"s{i}", shape, subtitle=f"kind {kind}", shape=shape, kind=kind, row=i // 4, col=i % 4)
    d.edge("s0", "s1", label="plain").edge("s1", "s2", kind="skip", label="skip")
    d.edge("s3", ["s4", "s5", "s6"], kind="film", label="fan")
    d.edge("s0", "s4", bend=0.3, kind="sync", label="arc")
    d.note("a note", row=2, col=0).note("a kind note", kind="film", row=2, col=2)
    d.row_label(0, "first").row_label(1, "second")
    for kind in [*kinds, "skip", "film", "sync"]:
        d.legend(kind, kind)
    return d.to_svg()


@cache
def rendered(theme: str) -> tuple[str, bytes]:
    svg = feature_sheet(theme)
    return svg, to_png(svg, DPI)


def compare(render: Callable[[str], bytes], svg: str, reference: Callable[[str], bytes] = to_png) -> list[Difference]:
    """The whole picture (loosely: glyphs are anti-aliased differently) and the picture without text (strictly)."""
    return [
        difference(render(svg), reference(svg), WHOLE),
        difference(render(without_text(svg)), reference(without_text(svg)), SHAPES),
    ]


def png96(svg: str) -> bytes:
    return to_png(svg, DPI)


def rsvg(svg: str) -> bytes:
    exe = shutil.which("rsvg-convert")
    if exe is None:
        pytest.fail("rsvg-convert is missing: install Debian's librsvg2-bin (make test installs it)", pytrace=False)
    command = [exe, "--dpi-x", str(DPI), "--dpi-y", str(DPI)]
    done = subprocess.run(command, input=svg.encode(), capture_output=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def resvg(svg: str) -> bytes:
    try:
        import resvg_py
    except ImportError as exc:
        pytest.fail(f"resvg is missing: pip install resvg-py (a test dependency): {exc}", pytrace=False)
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, dpi=DPI))


RENDERERS = {"rsvg-convert": rsvg, "resvg": resvg}


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
@pytest.mark.parametrize("theme", available_themes())
def test_renderers_agree_with_cairosvg(theme: str, renderer: str) -> None:
    svg, _ = rendered(theme)
    for diff in compare(RENDERERS[renderer], svg, png96):
        assert diff.within_tolerance, f"{theme}: {renderer} vs cairosvg: {diff}"


@pytest.mark.parametrize("renderer", [*sorted(RENDERERS), "cairosvg"])
def test_renderers_without_media_queries_draw_auto_in_light(renderer: str) -> None:
    auto, _ = rendered("auto")
    light, _ = rendered("light")
    render = RENDERERS.get(renderer, png96)
    assert difference(render(auto), png96(light), WHOLE).within_tolerance
    assert difference(render(without_text(auto)), png96(without_text(light)), SHAPES).within_tolerance


def test_the_tolerance_catches_a_wrong_colour() -> None:
    svg, _ = rendered("dark")
    wrong = svg.replace("fill: #2563eb", "fill: #1d4ed8", 1)  # the encoder block one shade deeper
    assert wrong != svg
    whole = difference(png96(wrong), png96(svg), WHOLE)
    shapes = difference(png96(without_text(wrong)), png96(without_text(svg)), SHAPES)
    assert whole.within_tolerance and not shapes.within_tolerance, (str(whole), str(shapes))  # hence two tiers
