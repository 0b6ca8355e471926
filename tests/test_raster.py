"""svgarch.render.raster: SVG to PNG (with its dpi written in) and PDF."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import time

import pytest

import svgarch
from svgarch.errors import RenderError
from svgarch.render.raster import encode_png, to_pdf, to_png
from tests import pngread


@pytest.fixture(scope="module")
def svg() -> str:
    d = svgarch.Diagram("Raster")
    d.block("a", "Alpha", row=0, col=0).block("b", "Beta", row=1, col=1).edge("a", "b", label="x")
    return d.to_svg()


def inches(svg: str) -> tuple[float, float]:
    w = re.search(r'<svg[^>]* width="([\d.]+)in"', svg)
    h = re.search(r'<svg[^>]* height="([\d.]+)in"', svg)
    assert w and h
    return float(w.group(1)), float(h.group(1))


@pytest.mark.parametrize("dpi", [180.0, 96.0, 300.0])
def test_png_size_is_inches_times_dpi(svg: str, dpi: float) -> None:
    image = pngread.decode(to_png(svg, dpi))
    w_in, h_in = inches(svg)
    assert abs(image.width - w_in * dpi) <= 1
    assert abs(image.height - h_in * dpi) <= 1


@pytest.mark.parametrize(("dpi", "ppm"), [(180.0, 7087), (96.0, 3780), (300.0, 11811)])
def test_png_carries_its_dpi_in_phys(svg: str, dpi: float, ppm: int) -> None:
    chunks = pngread.chunks(to_png(svg, dpi))
    kinds = [k for k, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    assert kinds.count(b"pHYs") == 1
    assert kinds.index(b"pHYs") < kinds.index(b"IDAT")  # the spec requires it before the image data
    (phys,) = [p for k, p in chunks if k == b"pHYs"]
    assert struct.unpack(">IIB", phys) == (ppm, ppm, 1)  # unit 1: metres


def test_png_paints_the_theme_background(svg: str) -> None:
    image = pngread.decode(to_png(svg))
    assert image.pixel(0, 0) == (0x0F, 0x17, 0x2A, 255)
    assert image.pixel(image.width - 1, image.height - 1) == (0x0F, 0x17, 0x2A, 255)


def test_pdf(svg: str) -> None:
    pdf = to_pdf(svg)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_api_png_and_pdf(svg: str) -> None:
    d = svgarch.Diagram("Raster")
    d.block("a", "Alpha", row=0, col=0).block("b", "Beta", row=1, col=1).edge("a", "b", label="x")
    assert d.to_png() == to_png(svg)
    assert d.to_pdf().startswith(b"%PDF-")


def test_an_svg_cairosvg_rejects_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="could not render the PNG"):
        to_png("<svg xmlns='http://www.w3.org/2000/svg' width='1in' height='1in'><rect></svg>")
    with pytest.raises(RenderError, match="could not render the PDF"):
        to_pdf("not svg at all")


def test_encode_png_unpremultiplies_cairo_pixels() -> None:
    # cairo ARGB32: premultiplied, native-endian 32-bit words; one row of 3 pixels plus stride padding
    pixels = [(255, 255, 0, 0), (128, 0, 64, 128), (0, 0, 0, 0)]  # (a, r, g, b) premultiplied
    row = b""
    for a, r, g, b in pixels:
        word = (a << 24) | (r << 16) | (g << 8) | b
        row += word.to_bytes(4, sys.byteorder)
    stride = 16
    data = row + b"\x00" * (stride - len(row))
    png = encode_png(data + data, 3, 2, stride, 180.0)
    image = pngread.decode(png)
    assert (image.width, image.height, image.channels) == (3, 2, 4)
    for y in range(2):
        assert image.pixel(0, y) == (255, 0, 0, 255)
        assert image.pixel(1, y) == (0, 128, 255, 128)
        assert image.pixel(2, y)[3] == 0


def cairo_words(pixels: list[tuple[int, int, int, int]]) -> bytes:
    """cairo ARGB32 memory: premultiplied (a, r, g, b) as native-endian 32-bit words."""
    return b"".join(((a << 24) | (r << 16) | (g << 8) | b).to_bytes(4, sys.byteorder) for a, r, g, b in pixels)


def test_an_opaque_png_is_rgb_with_the_same_pixels() -> None:
    pixels = [(255, (7 * i) % 256, (31 * i) % 256, (101 * i) % 256) for i in range(4 * 3)]
    png = encode_png(cairo_words(pixels), 4, 3, 16, 180.0)
    image = pngread.decode(png)
    assert image.channels == 3  # every alpha was 255: left out
    for i, (_, r, g, b) in enumerate(pixels):
        assert image.pixel(i % 4, i // 4) == (r, g, b, 255)
    one_translucent = [*pixels[:5], (128, 64, 0, 128), *pixels[6:]]
    image = pngread.decode(encode_png(cairo_words(one_translucent), 4, 3, 16, 180.0))
    assert image.channels == 4 and image.pixel(1, 1) == (128, 0, 255, 128)
    assert image.pixel(0, 0) == (0, 0, 0, 255) and image.pixel(3, 2) == (*pixels[11][1:], 255)
    padded = b"".join(cairo_words(pixels[y * 3 : y * 3 + 3]) + b"\x00" * 4 for y in range(4))  # stride 16, 3 wide
    image = pngread.decode(encode_png(padded, 3, 4, 16, 180.0))
    assert image.channels == 3 and [image.pixel(x, 3) for x in range(3)] == [(*p[1:], 255) for p in pixels[9:]]


def pdf_info(pdf: bytes) -> dict[str, str]:
    """The document information entries cairo writes (text strings: UTF-16BE hex, or literal)."""
    out = {}
    for key, hexa, literal in re.findall(rb"/(Title|CreationDate|Producer) (?:<FEFF([0-9A-F]*)>|\(([^)]*)\))", pdf):
        out[key.decode()] = bytes.fromhex(hexa.decode()).decode("utf-16-be") if hexa else literal.decode("latin-1")
    return out


def test_pdf_is_the_same_bytes_at_any_time_in_any_time_zone(svg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    here = to_pdf(svg)
    time.sleep(1.1)  # cairo's own date has one-second steps
    code = "import sys; from svgarch.render.raster import to_pdf; sys.stdout.buffer.write(to_pdf(sys.stdin.read()))"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    elsewhere = subprocess.run(
        [sys.executable, "-c", code], input=svg.encode(), capture_output=True, check=True,
        env={**env, "TZ": "Pacific/Chatham"},  # UTC+12:45: any local date would show
    ).stdout
    assert here == elsewhere
    assert pdf_info(here)["CreationDate"].removeprefix("D:") == "19700101000000Z"


def test_pdf_date_honours_source_date_epoch(svg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert pdf_info(to_pdf(svg))["CreationDate"].removeprefix("D:") == "20231114221320Z"
    for bad in ("yesterday", "-5", "1e9", "99999999999999999999"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", bad)
        with pytest.raises(RenderError, match="SOURCE_DATE_EPOCH"):
            to_pdf(svg)


def test_pdf_carries_the_diagram_title() -> None:
    d = svgarch.Diagram("U-Net — ½ res (FiLM)").block("a", "A", row=0, col=0)
    assert pdf_info(d.to_pdf())["Title"] == "U-Net — ½ res (FiLM)"
    untitled = svgarch.Diagram().block("a", "A", row=0, col=0)
    assert pdf_info(untitled.to_pdf())["Title"] == "Diagram"  # the SVG's accessible name, as in its <title>


def test_cairosvg_gets_the_plain_rules_only() -> None:
    from svgarch.render.raster import for_cairo

    sheet = (
        "#d .a { fill: #102030 }\n@media screen {\n  #d .a { fill: var(--x, #102030) }\n}\n"
        "@media (prefers-color-scheme: dark) { #d .b { fill: #000 } }\n#d .c { stroke: none }"
    )
    svg = f'<svg><style type="text/css"><![CDATA[{sheet}]]></style><rect class="a"/></svg>'
    assert for_cairo(svg) == (
        '<svg><style type="text/css"><![CDATA[#d .a { fill: #102030 }\n#d .c { stroke: none }]]></style>'
        '<rect class="a"/></svg>'
    )
    for odd in ('#d .a { font-family: "x{" }\n@media screen { #d .a { fill: red } }', "#d .a { fill: red } }"):
        whole = f"<svg><style><![CDATA[{odd}]]></style></svg>"
        assert for_cairo(whole) == whole  # a sheet svgarch would not write is left as it is


def test_cairosvg_gets_no_tooltips_but_the_title() -> None:
    from svgarch.render.raster import for_cairo

    d = svgarch.Diagram("Named").block("a", "A", row=0, col=0, tooltip="more <about> A").block("b", "B", row=0, col=1)
    svg = d.to_svg()
    assert svg.count("<title") == 3  # the diagram's, A's own and B's (its title)
    cut = for_cairo(svg)
    own = re.search(r"<title id=[^>]*>Named</title>", svg)
    assert own is not None and re.findall(r"<title[^>]*>[^<]*</title>", cut) == [own[0]]


def test_a_png_is_drawn_the_same_without_the_browser_rules(svg: str) -> None:
    from svgarch.render import raster

    cairosvg = raster.load_cairosvg()
    whole = cairosvg.surface.PNGSurface(cairosvg.parser.Tree(bytestring=svg.encode(), unsafe=False), None, 72)
    cut = cairosvg.surface.PNGSurface(
        cairosvg.parser.Tree(bytestring=raster.for_cairo(svg).encode(), unsafe=False), None, 72
    )
    assert "@media" in svg and "<title>" in svg and bytes(whole.cairo.get_data()) == bytes(cut.cairo.get_data())
