"""SVG → PNG and PDF through cairosvg (imported only when asked for).

The SVG's physical size (inches) times ``dpi`` gives the pixel size; the PNG
carries a pHYs chunk so other programs know its physical size too.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

from svgarch.errors import RenderError

DEFAULT_DPI = 180.0


def to_png(svg: str, dpi: float = DEFAULT_DPI) -> bytes:
    cairosvg = _cairosvg()
    try:
        png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), dpi=dpi, unsafe=False)
    except Exception as exc:  # cairosvg raises many types; report them as one
        raise RenderError(f"cairosvg could not render the PNG: {exc}") from None
    assert isinstance(png, bytes)
    return with_dpi(png, dpi)


def to_pdf(svg: str, dpi: float = DEFAULT_DPI) -> bytes:
    cairosvg = _cairosvg()
    try:
        pdf = cairosvg.svg2pdf(bytestring=svg.encode("utf-8"), dpi=dpi, unsafe=False)
    except Exception as exc:
        raise RenderError(f"cairosvg could not render the PDF: {exc}") from None
    assert isinstance(pdf, bytes)
    return pdf


def _cairosvg() -> Any:
    try:
        import cairosvg
    except (ImportError, OSError) as exc:
        raise RenderError(f"PNG and PDF output need cairosvg and the cairo library: {exc}") from None
    return cairosvg


def with_dpi(png: bytes, dpi: float) -> bytes:
    """``png`` with a pHYs chunk (pixels per metre) right after IHDR."""
    signature, rest = png[:8], png[8:]
    if signature != b"\x89PNG\r\n\x1a\n":
        raise RenderError("cairosvg returned something that is not a PNG")
    ihdr_len = struct.unpack(">I", rest[:4])[0]
    ihdr_end = 8 + ihdr_len + 4  # length + type + data + crc
    ppm = round(dpi / 0.0254)
    data = struct.pack(">IIB", ppm, ppm, 1)
    chunk = struct.pack(">I", len(data)) + b"pHYs" + data
    chunk += struct.pack(">I", zlib.crc32(b"pHYs" + data) & 0xFFFFFFFF)
    body = rest[:ihdr_end] + chunk + _without_phys(rest[ihdr_end:])
    return signature + body


def _without_phys(chunks: bytes) -> bytes:
    out, pos = [], 0
    while pos < len(chunks):
        length = struct.unpack(">I", chunks[pos : pos + 4])[0]
        end = pos + 12 + length
        if chunks[pos + 4 : pos + 8] != b"pHYs":
            out.append(chunks[pos:end])
        pos = end
    return b"".join(out)
