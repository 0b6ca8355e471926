"""SVG → PNG and PDF through cairosvg (imported only when asked for).

The SVG's physical size (inches) times ``dpi`` gives the pixel size. cairosvg
draws; the PNG is encoded here, with a pHYs chunk so other programs know the
image's physical size too. The encoding is chosen for speed at a modest size
(RGB, unfiltered rows, zlib level 3: ``encode_png``); the candidates measured
and why this one are in benchmarks/README.md.
"""

from __future__ import annotations

import io
import math
import os
import re
import struct
import sys
import zlib
from typing import Any

from svgarch.errors import RenderError
from svgarch.startup import import_cairosvg

Buffer = Any  # a cffi buffer of cairo's pixels (supports the buffer protocol)

DEFAULT_DPI = 180.0
MIN_DPI = 1.0  # a PNG stores its resolution as whole dots per metre: below 0.02 dpi that is 0
MAX_DPI = 2400.0
ZLIB_LEVEL = 3  # measured (benchmarks/README.md): levels 1-3 take the same time, level 5 half as long again
_NOT_OPAQUE = re.compile(rb"[^\xff]")


def dpi_problem(dpi: float) -> str | None:
    """What is wrong with ``dpi`` as a resolution, or None (here, not in svgarch.pipeline, so that the
    command line checks its options without importing the layout)."""
    if not math.isfinite(dpi):
        return f"must be a finite number, not {dpi}"
    if dpi <= 0:
        return f"must be greater than 0, not {dpi:g}"
    if not MIN_DPI <= dpi <= MAX_DPI:
        return f"must be between {MIN_DPI:g} and {MAX_DPI:g}, not {dpi:g}"
    return None


def to_png(svg: str, dpi: float = DEFAULT_DPI) -> bytes:
    cairosvg = load_cairosvg()
    try:
        tree = cairosvg.parser.Tree(bytestring=for_cairo(svg).encode("utf-8"), unsafe=False)
        _check_pixels(tree.get("width", ""), tree.get("height", ""), dpi)
        surface = cairosvg.surface.PNGSurface(tree, None, dpi)
        image = surface.cairo
        image.flush()
        png = encode_png(image.get_data(), image.get_width(), image.get_height(), image.get_stride(), dpi)
        surface.finish()
    except RenderError:
        raise
    except Exception as exc:  # cairosvg and cairo raise many types; report them as one
        raise RenderError(f"cairosvg could not render the PNG: {exc}") from None
    return png


_STYLE = re.compile(r"(<style[^>]*><!\[CDATA\[)(.*?)(\]\]></style>)", re.S)


def for_cairo(svg: str) -> str:
    """The SVG with what cairosvg never applies cut from its stylesheets: the ``@media`` blocks (browser
    rules, a dark palette) and ``@font-face`` rules, two thirds of the text. cairosvg reads only a
    sheet's plain rules, yet tokenises all of it first (a tenth of a PNG's drawing time); the picture
    is the same. The cut counts braces, which svgarch's stylesheets never hold inside strings or
    comments (render/css.check_stylesheet); a sheet with a string or comment is left whole. The
    tooltips (``<title>`` inside an element, a sixth of a diagram's elements) go too: cairosvg
    draws none, yet parses each (3-4 ms of a PNG); the diagram's own title, which names the PDF,
    stays."""
    return _TOOLTIP.sub("", _STYLE.sub(lambda m: m.group(1) + _plain_rules(m.group(2)) + m.group(3), svg))


_TOOLTIP = re.compile(r"<title>[^<]*</title>")  # the diagram's own <title> has an id (render/svg.py)


def _plain_rules(sheet: str) -> str:
    if '"{' in sheet or '}"' in sheet or "/*" in sheet or "'" in sheet or "\\" in sheet:
        return sheet
    kept, depth, skipping = [], 0, False
    for line in sheet.split("\n"):
        if depth == 0:
            skipping = line.lstrip().startswith("@")
        depth += line.count("{") - line.count("}")
        if depth < 0:
            return sheet  # not a sheet svgarch wrote
        if not skipping:
            kept.append(line)
    return sheet if depth else "\n".join(kept)


MAX_PNG_PIXELS = 64 * 1024 * 1024  # 256 MiB of pixels in memory, twice over while encoding
MAX_PNG_SIDE = 32767  # cairo's limit
_PER_INCH = {"in": 1.0, "cm": 1 / 2.54, "mm": 1 / 25.4, "pt": 1 / 72, "pc": 1 / 6}


def _check_pixels(width: str, height: str, dpi: float) -> None:
    """Refuse, before cairo allocates it, a PNG too large to hold in memory."""
    sizes = []
    for text in (width, height):
        m = re.fullmatch(r"\s*([0-9.]+)\s*([a-z]*)\s*", text)
        if m is None or m.group(2) not in _PER_INCH:
            return  # not a physical size (svgarch always writes one): cairo decides
        sizes.append(float(m.group(1)) * _PER_INCH[m.group(2)] * dpi)
    w, h = sizes
    if w * h > MAX_PNG_PIXELS or max(w, h) > MAX_PNG_SIDE:
        fit = dpi * min((MAX_PNG_PIXELS / (w * h)) ** 0.5, MAX_PNG_SIDE / max(w, h))
        raise RenderError(
            f"the PNG would be {w:.0f} × {h:.0f} px at {dpi:g} dpi, more than the limit of"
            f" {MAX_PNG_PIXELS // 1024 // 1024} Mi pixels ({MAX_PNG_SIDE} px a side): lower the dpi to {int(fit)}"
            " (--dpi), or write SVG or PDF"
        )


def encode_png(argb: Buffer, width: int, height: int, stride: int, dpi: float) -> bytes:
    """A PNG (8 bit, with pHYs) from cairo's premultiplied ARGB32 pixels: RGB when every pixel is
    opaque (a diagram's background covers it), else RGBA.

    cairo's own encoder runs libpng's adaptive filters and is the slowest
    step of a render; diagrams are mostly flat colour, so unfiltered rows
    through zlib give smaller files in half the time (the "sub" and "up"
    filters, measured, made them larger). An opaque image leaves out the alpha
    channel, whose bytes are all 255: a quarter less for zlib to read, and a
    fifth smaller files at the same level. The pixels are the same either way.
    Rows are converted a band or a row at a time, so no second copy of the
    image is ever held.
    """
    if sys.byteorder == "little" and height:
        idat = _opaque_rgb_idat(argb, width, height, stride)
        if idat is not None:
            return _png(idat, width, height, dpi, RGB)
    row = width * 4
    little = sys.byteorder == "little"
    packer = zlib.compressobj(ZLIB_LEVEL)
    body = []
    for y in range(height):
        pixels = bytearray(argb[y * stride : y * stride + row])
        if little:  # BGRA in memory: swap blue and red
            pixels[0::4], pixels[2::4] = pixels[2::4], pixels[0::4]
        else:  # ARGB in memory: rotate alpha to the end
            pixels[0::4], pixels[1::4], pixels[2::4], pixels[3::4] = (
                pixels[1::4],
                pixels[2::4],
                pixels[3::4],
                pixels[0::4],
            )
        _unpremultiply(pixels)
        body.append(packer.compress(b"\0" + pixels))
    body.append(packer.flush())
    return _png(b"".join(body), width, height, dpi, RGBA)


RGB, RGBA = 2, 6  # PNG colour types


def _png(idat: bytes, width: int, height: int, dpi: float, colour: int) -> bytes:
    ppm = round(dpi / 0.0254)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)),
            _chunk(b"IDAT", idat),
            _chunk(b"IEND", b""),
        )
    )


BAND = 32  # rows repacked at a time: small buffers, reused, stay in the processor's cache


def _opaque_rgb_idat(argb: Buffer, width: int, height: int, stride: int) -> bytes | None:
    """The compressed RGB scanlines (each unfiltered: filter byte 0) of an opaque image, from cairo's
    little-endian pixels (B G R A in memory); None when any pixel is not opaque. Opaque, nothing is
    premultiplied. Pillow (which cairosvg needs and has loaded) reads the alpha bytes and repacks the
    pixels in C, a band of rows at a time: no copy of the whole image is made."""
    from PIL import Image

    pixels = memoryview(argb).cast("B")
    packer = zlib.compressobj(ZLIB_LEVEL)
    body = []
    row = width * 3
    for top in range(0, height, BAND):
        rows = min(BAND, height - top)
        band: Buffer = pixels[top * stride : (top + rows) * stride]  # Pillow reads any buffer
        alpha = Image.frombuffer("RGBA", (width, rows), band, "raw", "RGBA", stride, 1).getchannel(3)
        if alpha.getextrema() != (255, 255):
            return None
        rgb = memoryview(Image.frombuffer("RGB", (width, rows), band, "raw", "BGRX", stride, 1).tobytes("raw", "RGB"))
        body.append(packer.compress(b"\0".join([b"", *(rgb[y * row : (y + 1) * row] for y in range(rows))])))
    body.append(packer.flush())
    return b"".join(body)


def _unpremultiply(rgba: bytearray) -> None:
    """Undo premultiplied alpha where a pixel is not opaque (few: the edges)."""
    for m in _NOT_OPAQUE.finditer(rgba[3::4]):
        i = 4 * m.start()
        alpha = rgba[i + 3]
        for c in (i, i + 1, i + 2):
            rgba[c] = min(255, (rgba[c] * 255 + alpha // 2) // alpha) if alpha else 0


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


FIXED_DATE = 0  # the PDF's creation date when SOURCE_DATE_EPOCH is not set: 1970-01-01, the same every run


def to_pdf(svg: str, dpi: float = DEFAULT_DPI) -> bytes:
    """The PDF: titled with the SVG's ``<title>``, dated ``SOURCE_DATE_EPOCH`` (or ``FIXED_DATE``).

    cairo stamps each PDF with the clock's time, so no two runs gave the same
    bytes; with the date pinned they do (reproducible builds, diffable docs).
    """
    cairosvg = load_cairosvg()
    date = pdf_date()
    try:
        tree = cairosvg.parser.Tree(bytestring=for_cairo(svg).encode("utf-8"), unsafe=False)
        title = next((child.text for child in tree.children if child.tag == "title" and child.text), "")
        output = io.BytesIO()
        surface = _linked_pdf_surface(cairosvg)(tree, output, dpi)  # draws; the document is written on finish
        _set_metadata(surface.cairo, title, date)
        surface.finish()
    except Exception as exc:
        raise RenderError(f"cairosvg could not render the PDF: {exc}") from None
    return output.getvalue()


def _linked_pdf_surface(cairosvg: Any) -> Any:
    """cairosvg's PDF surface that keeps links: each ``<a href>`` becomes a PDF link annotation.

    cairosvg 2.9 draws what an ``<a>`` holds but drops the link itself (measured: no ``/URI`` in its PDF).
    cairo (1.16 and later) makes a link of whatever is drawn between ``tag_begin`` and ``tag_end``, so the
    link's area is the element's ink. A ``#fragment`` names a place in a web page, not in the PDF: it is
    left out. The links reaching here were checked when the description was read (svgarch.spec.links).
    """
    base = cairosvg.surface.PDFSurface

    class LinkedPDFSurface(base):  # type: ignore[misc,valid-type]
        def draw(self, node: Any) -> None:
            href = node.get_href() if node.tag == "a" else ""
            if not href or href.startswith("#") or not hasattr(self.context, "tag_begin"):
                super().draw(node)
                return
            attributes = "uri='{}'".format(href.replace("\\", "\\\\").replace("'", "\\'"))
            self.context.tag_begin("Link", attributes)
            try:
                super().draw(node)
            finally:
                self.context.tag_end("Link")

    return LinkedPDFSurface


def pdf_date() -> str:
    """The creation date, ISO 8601 in UTC, from ``SOURCE_DATE_EPOCH`` (reproducible-builds.org) or fixed."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if text and not text.isdigit():
        raise RenderError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not '{text[:40]}'")
    seconds = int(text) if text else FIXED_DATE
    import datetime  # only a PDF is dated

    try:
        when = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    except (OverflowError, ValueError, OSError):
        raise RenderError(f"SOURCE_DATE_EPOCH is out of range: {text[:40]}") from None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _set_metadata(pdf: Any, title: str, date: str) -> None:
    cairocffi: Any = sys.modules["cairocffi"]  # loaded with cairosvg
    try:
        pdf.set_metadata(cairocffi.PDF_METADATA_CREATE_DATE, date)
        if title:
            pdf.set_metadata(cairocffi.PDF_METADATA_TITLE, title)
    except AttributeError:  # cairo before 1.16 has no PDF metadata: the PDF keeps cairo's own date
        pass


def load_cairosvg() -> Any:
    """cairosvg, imported the quick way (svgarch.startup), or why it cannot be."""
    try:
        return import_cairosvg()
    except (ImportError, OSError) as exc:
        raise RenderError(f"PNG and PDF output need cairosvg and the cairo library: {exc}") from None


_cairosvg = load_cairosvg  # the name tests/test_hostile.py knows
