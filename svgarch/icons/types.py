"""The values an icon is read into (kept apart so a render need not import the XML parser)."""

from __future__ import annotations

from svgarch.errors import SvgarchError
from svgarch.record import Record


class IconError(SvgarchError):
    """An icon file that cannot be used: missing, too large, not what its name says, or unsafe."""


class IconPart(Record):
    """One shape of an icon: its element name and attributes (geometry, ``style``, ``transform``)."""

    tag: str
    attrs: tuple[tuple[str, str], ...]


class VectorIcon(Record):
    """A sanitised SVG icon: its viewBox and flat list of shapes."""

    view_box: tuple[float, float, float, float]
    parts: tuple[IconPart, ...]


class RasterIcon(Record):
    """A checked PNG: its size in px and its ``data:`` URI."""

    width: int
    height: int
    uri: str


Icon = VectorIcon | RasterIcon
