"""``--embed-font``: the measured fonts, cut down to the glyphs the diagram
draws, inside its stylesheet as WOFF2 ``@font-face`` rules.

A browser without DejaVu then draws the text with the very advances the
layout measured, so every line still fits its box. Each subset gets a family
name of its own (``"<diagram id> <family>"``), put first only in the
browser-only rules: two diagrams on one page never share a subset, and
cairosvg, rsvg and resvg — which ignore ``@font-face`` — keep drawing with
the installed family, pixel for pixel as without embedding.

fontTools' subsetter and brotli are imported only here, when asked for.
"""

from __future__ import annotations

import base64
import io

from svgarch.errors import FontError
from svgarch.fonts import FontBook, FontFace
from svgarch.record import Record
from svgarch.scene import Scene, scene_text
from svgarch.theme import Theme


class EmbeddedFont(Record):
    face: FontFace
    path: str  # the font file it was cut from
    glyphs: int  # characters kept
    woff2: bytes


class EmbeddedFonts(Record):
    fonts: tuple[EmbeddedFont, ...]
    css: str  # the @font-face rules
    aliases: dict[str, str]  # measured family → the embedded family's name

    def summary(self) -> str:
        faces = ", ".join(f"{_face_name(f.face)} {len(f.woff2) / 1024:.1f} KiB ({f.glyphs} glyphs)" for f in self.fonts)
        return f"embedded font subsets: {faces}"


def embed_fonts(scene: Scene, theme: Theme, book: FontBook | None = None) -> EmbeddedFonts:
    """Subsets of the fonts ``scene``'s text is drawn with, as ``@font-face`` rules."""
    book = book or FontBook()
    chars: dict[FontFace, set[str]] = {}
    for line in scene_text(scene):
        face, _ = theme.font(line.role)
        chars.setdefault(face, set()).update(line.text)
    fonts = []
    for face in sorted(chars):
        path = book.find(face)
        fonts.append(EmbeddedFont(face, path, len(chars[face]), _subset(path, chars[face])))
    aliases = {f.face.family: f"{scene.id} {f.face.family}" for f in fonts}
    rules = [
        f'@font-face {{ font-family: "{aliases[f.face.family]}"; font-weight: {f.face.weight}; '
        f"font-style: {f.face.style}; "
        f'src: url(data:font/woff2;base64,{base64.b64encode(f.woff2).decode("ascii")}) format("woff2") }}'
        for f in fonts
    ]
    return EmbeddedFonts(tuple(fonts), "\n".join(rules), aliases)


def _subset(path: str, text: set[str]) -> bytes:
    try:
        from fontTools import subset
    except ImportError as exc:  # pragma: no cover - fontTools is a dependency
        raise FontError(f"--embed-font needs fontTools: {exc}") from None
    import importlib.util

    if importlib.util.find_spec("brotli") is None:  # fontTools compresses WOFF2 with it
        raise FontError("--embed-font writes WOFF2, which needs the brotli package (pip install brotli)")
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []  # cairo draws (and svgarch measures) without kerning or ligatures
    options.hinting = False
    options.name_IDs = [1, 2]
    options.notdef_outline = True
    options.drop_tables = [*options.drop_tables, "FFTM"]  # FontForge's timestamp: nothing to subset
    try:
        font = subset.load_font(path, options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes={ord(c) for c in text})
        subsetter.subset(font)
        out = io.BytesIO()
        subset.save_font(font, out, options)
        font.close()
    except Exception as exc:  # fontTools raises many types for a broken font file
        raise FontError(f"cannot subset font file {path}: {exc}") from None
    return out.getvalue()


def _face_name(face: FontFace) -> str:
    style = " ".join(s for s in (face.weight, face.style) if s != "normal")
    return face.family + (f" {style.title()}" if style else "")
