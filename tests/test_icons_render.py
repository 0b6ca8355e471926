"""Icons look the same in cairosvg (our PNG and PDF), rsvg-convert, resvg and Chromium.

A sheet of every bundled icon, and a diagram with icons left, on top and
alone plus an author's SVG (groups, transforms, its own colours) and PNG,
are drawn by each renderer in every theme and compared with the tolerance
of tests/web.py, the picture without text strictly. In Chromium the
diagrams sit in the hostile docs page of tests/web.py, whose rules for
``svg``, ``path``, ``rect`` and ``circle`` must not reach the icons.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import svgarch
from svgarch import pipeline
from svgarch.icons import icon_names
from svgarch.icons.sheet import icon_sheet
from svgarch.render.raster import to_png
from svgarch.theme import available_themes
from tests.test_icons import GOOD_SVG, png_bytes
from tests.test_renderers import RENDERERS, compare, png96
from tests.test_web import screenshots
from tests.web import SHAPES, WHOLE, Difference, Tolerance, chromium_session, difference, without_text

# An icon's square alone: measured here on every theme, rsvg-convert and resvg against cairosvg, blurred by 2 px,
# no pixel differs by more than 16 but on the print theme's hatched blocks (a PNG icon over a pattern: 0.8 %),
# and the mean difference stays under 1.4 %; an icon missing or drawn yellow instead of white makes 53 % differ.
ICON = Tolerance(threshold=16, max_differing=0.02, max_mean=0.02, blur=2)
_ICON_BOX = re.compile(r'<(?:svg|image) height="([\d.]+)" [^>]*width="([\d.]+)" x="([\d.]+)" y="([\d.]+)"')


def icon_boxes(svg: str) -> list[tuple[int, int, int, int]]:
    """Each icon's square, 3 px larger all round, in whole pixels at 96 dpi."""
    out = []
    for h, w, x, y in _ICON_BOX.findall(svg.split("</style>", 1)[1]):
        left, top = int(float(x)) - 3, int(float(y)) - 3
        out.append((left, top, left + int(float(w)) + 7, top + int(float(h)) + 7))
    return out


def compare_icons(render: Callable[[str], bytes], svg: str) -> list[Difference]:
    """Each icon's square alone, strictly: a whole picture hides a small icon's fault among its pixels."""
    from PIL import Image

    bare = without_text(svg)
    mine, theirs = (Image.open(io.BytesIO(png)) for png in (render(bare), png96(bare)))
    out = []
    for box in icon_boxes(svg):
        crops = []
        for image in (mine, theirs):
            buffer = io.BytesIO()
            image.crop(box).save(buffer, format="PNG")
            crops.append(buffer.getvalue())
        out.append(difference(crops[0], crops[1], ICON))
    return out


def icons_diagram(theme: str, folder: Path) -> str:
    (folder / "own.svg").write_text(GOOD_SVG, encoding="utf-8")
    (folder / "own.png").write_bytes(png_bytes(8, 8))
    spec = folder / "icons.toml"
    spec.write_text(
        f'title = "Icons"\ntheme = "{theme}"\n'
        + "".join(
            f'\n[[block]]\nid = "b{i}"\ntitle = "{title}"\nsubtitle = "icon {position}"\nicon = "{icon}"\n'
            f'icon_position = "{position}"\nshape = "{shape}"\nrow = {i // 3}\ncol = {i % 3}\n'
            + (f'kind = "{kind}"\n' if kind else "")
            for i, (title, icon, position, kind, shape) in enumerate(
                [
                    ("user", "user", "left", "io", "rounded"),
                    ("db", "database", "top", "decoder", "cylinder"),
                    ("queue", "queue", "only", "film", "rounded"),
                    ("own svg", "own.svg", "left", "encoder", "rect"),
                    ("own png", "own.png", "top", "mlp", "rounded"),  # not a pill: its ends differ (tests/web.py)
                    ("gpu", "gpu", "only", "", "rounded"),
                ]
            )
        )
        + '\n[[edge]]\nfrom = "b0"\nto = "b1"\n',
        encoding="utf-8",
    )
    return svgarch.load(spec).to_svg()


@cache
def sheet(theme: str) -> str:
    return pipeline.render_svg(icon_sheet(theme))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("icons")


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
@pytest.mark.parametrize("theme", available_themes())
def test_the_icon_sheet_agrees_with_cairosvg(theme: str, renderer: str) -> None:
    for diff in compare(RENDERERS[renderer], sheet(theme), png96):
        assert diff.within_tolerance, f"{theme}: {renderer} vs cairosvg: {diff}"


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
@pytest.mark.parametrize("theme", ["dark", "light", "print"])
def test_icons_on_blocks_agree_with_cairosvg(theme: str, renderer: str, folder: Path) -> None:
    svg = icons_diagram(theme, folder)
    for diff in compare(RENDERERS[renderer], svg, png96):
        assert diff.within_tolerance, f"{theme}: {renderer} vs cairosvg: {diff}"
    boxes = icon_boxes(svg)
    assert len(boxes) == 6
    for box, diff in zip(boxes, compare_icons(RENDERERS[renderer], svg), strict=True):
        assert diff.within_tolerance, f"{theme}: the icon at {box}: {renderer} vs cairosvg: {diff}"


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_every_bundled_icon_agrees_with_cairosvg_on_its_own(renderer: str) -> None:
    svg = sheet("dark")
    boxes = icon_boxes(svg)
    assert len(boxes) == len(icon_names())
    for name, box, diff in zip(icon_names(), boxes, compare_icons(RENDERERS[renderer], svg), strict=True):
        assert diff.within_tolerance, f"icon {name} at {box}: {renderer} vs cairosvg: {diff}"


def test_the_icon_comparison_sees_an_icon_go_missing_or_change_colour(folder: Path) -> None:
    svg = icons_diagram("dark", folder)
    gone = svg.replace('data-icon="database">', 'data-icon="database" style="display:none">', 1)
    rule = ".sa-block.sa-k-decoder .sa-icon { color: #"
    recoloured = svg.replace(rule + "ffffff }", rule + "ffff00 }", 1)
    for changed in (gone, recoloured):
        assert changed != svg
        def draw(_svg: str, c: str = changed) -> bytes:
            return png96(without_text(c))

        verdicts = [d.within_tolerance for d in compare_icons(draw, svg)]
        assert verdicts == [True, False, True, True, True, True], verdicts


def test_icons_reach_the_pdf(folder: Path) -> None:
    pdf = pipeline.encode(icons_diagram("dark", folder), "pdf", 96)
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" in pdf  # the PNG icon, embedded


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_session()


@pytest.mark.browser
@pytest.mark.parametrize("dpi", [96, 180])
def test_icons_in_chromium_on_a_hostile_page_look_like_the_png(browser: Any, folder: Path, dpi: int) -> None:
    svgs = [icons_diagram("dark", folder), sheet("light")]
    bare = [without_text(svg) for svg in svgs]
    for svg, shot, tolerance in [
        *zip(svgs, screenshots(browser, svgs, dpi), [WHOLE] * 2, strict=True),
        *zip(bare, screenshots(browser, bare, dpi), [SHAPES] * 2, strict=True),
    ]:
        diff = difference(shot, to_png(svg, dpi), tolerance)
        assert diff.within_tolerance, f"Chromium vs cairosvg at {dpi} dpi: {diff}"
    if dpi == 96:  # each icon alone, as the other renderers are compared
        shots = dict(zip(bare, screenshots(browser, bare, dpi), strict=True))
        for svg in svgs:
            for box, diff in zip(icon_boxes(svg), compare_icons(lambda b: shots[b], svg), strict=True):
                assert diff.within_tolerance, f"the icon at {box}: Chromium vs cairosvg: {diff}"
