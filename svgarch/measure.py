"""Text sizes, measured before layout so layout never guesses a size.

Every piece of text is a stack of lines, each with a role (its CSS class
``sa-<role>``, which fixes its font) and a measured width.
"""

from __future__ import annotations

from typing import NamedTuple

from svgarch.fonts import FontBook, FontMetrics
from svgarch.geometry import Box, Point
from svgarch.model import Block, IconPosition
from svgarch.scene import Anchor, TextLine
from svgarch.shapes import shape_of
from svgarch.theme import Theme

LINE_HEIGHT = 1.25  # line pitch, in em


class MeasuredLine(NamedTuple):
    text: str
    role: str
    size: float
    width: float
    ascent: float
    descent: float


class TextStack(NamedTuple):
    """Lines stacked top to bottom, with the theme's gap between roles."""

    lines: tuple[MeasuredLine, ...]
    gap: float  # extra space where the role changes (title → subtitle)

    @property
    def width(self) -> float:
        return max((ln.width for ln in self.lines), default=0.0)

    @property
    def height(self) -> float:
        return sum(h for _, h in self._pitches())

    def _pitches(self) -> list[tuple[MeasuredLine, float]]:
        out = []
        for i, ln in enumerate(self.lines):
            pitch = ln.size * LINE_HEIGHT
            if i and ln.role != self.lines[i - 1].role:
                pitch += self.gap
            out.append((ln, pitch))
        return out

    def place(self, x: float, top: float, anchor: Anchor = "middle") -> tuple[TextLine, ...]:
        """Scene text lines with the stack's top edge at ``top``.

        Baselines are computed here (not with dominant-baseline, which some
        renderers ignore): each line sits centred in its pitch.
        """
        out = []
        y = top
        for ln, pitch in self._pitches():
            extra = pitch - ln.size * LINE_HEIGHT
            cell_top = y + extra
            baseline = cell_top + (ln.size * LINE_HEIGHT + ln.ascent - ln.descent) / 2
            left = {"start": x, "middle": x - ln.width / 2, "end": x - ln.width}[anchor]
            ink = Box(left, baseline - ln.ascent, ln.width, ln.ascent + ln.descent)
            out.append(TextLine(ln.text, x, baseline, ln.role, anchor, ink))
            y += pitch
        return tuple(out)


class Measurer:
    """Measures text with the fonts the theme names, through one FontBook."""

    def __init__(self, theme: Theme, fonts: FontBook) -> None:
        self.theme = theme
        self._fonts = fonts
        self._roles: dict[str, tuple[FontMetrics, float]] = {}
        self._stacks: dict[tuple[tuple[str, str], ...], TextStack] = {}  # layout asks for a label's stack up to 3×
        self.gap = theme.length("--sa-line-gap")

    def _role(self, role: str) -> tuple[FontMetrics, float]:
        hit = self._roles.get(role)
        if hit is None:
            face, size = self.theme.font(role)
            hit = self._roles[role] = (self._fonts.metrics(face), size)
        return hit

    def line(self, text: str, role: str) -> MeasuredLine:
        metrics, size = self._role(role)
        return MeasuredLine(text, role, size, metrics.width(text, size), metrics.ascent(size), metrics.descent(size))

    def stack(self, *parts: tuple[str, str]) -> TextStack:
        """A stack from (text, role) parts; ``\\n`` in a text breaks lines."""
        known = self._stacks.get(parts)
        if known is None:
            lines = tuple(self.line(piece, role) for text, role in parts if text for piece in text.split("\n"))
            known = self._stacks[parts] = TextStack(lines, self.gap)
        return known


class BlockSize(NamedTuple):
    width: float
    height: float
    text: TextStack
    icon: IconRoom | None = None


def block_text(block: Block, measurer: Measurer) -> TextStack:
    return measurer.stack((block.label, "block-title"), (block.subtitle, "block-subtitle"))


def block_size(block: Block, measurer: Measurer) -> BlockSize:
    """The box that holds the block's text with padding, as its shape needs (``svgarch.shapes``).

    ``width`` and ``height`` are minimums; the size returned is the box the
    shape is drawn in, edge to edge.
    """
    text = block_text(block, measurer)
    room = icon_room(block, measurer.theme)
    content_w, content_h = content_size(text, room)
    if room is not None and room.position == "only":  # no outline: the box is the icon and its text
        w, h = max(content_w + 2 * ICON_MARGIN, block.width), max(content_h + 2 * ICON_MARGIN, block.height)
        return BlockSize(w, h, text, room)
    pad_x = measurer.theme.length("--sa-pad-x")
    pad_y = measurer.theme.length("--sa-pad-y")
    shape = shape_of(block.shape, block.depth)
    w, h = shape.size(content_w, content_h, pad_x, pad_y, block.width, block.height)
    return BlockSize(w, h, text, room)


# --- Icons: the room a block keeps for its icon (svgarch.icons), beside or above its text ---

ICON_SIZE = 24.0  # px, a side of the icon's square when the theme does not set --sa-icon-size
ICON_GAP = 8.0  # px between the icon and the text
ICON_MARGIN = 4.0  # px round an icon drawn alone, so edges end clear of it


class IconRoom(NamedTuple):
    position: IconPosition
    size: float  # a side of the square the icon is drawn in


def icon_room(block: Block, theme: Theme) -> IconRoom | None:
    """The square a block's icon takes (twice ``--sa-icon-size`` for an icon drawn alone), or None."""
    if not block.icon:
        return None
    size = theme.length("--sa-icon-size") if theme.has("--sa-icon-size") else ICON_SIZE
    return IconRoom(block.icon_position, 2 * size if block.icon_position == "only" else size)


def content_size(text: TextStack, room: IconRoom | None) -> tuple[float, float]:
    """The width and height of a block's text with its icon, before padding."""
    if room is None:
        return text.width, text.height
    gap = ICON_GAP if text.lines else 0.0
    if room.position == "left":
        return room.size + gap + text.width, max(room.size, text.height)
    return max(room.size, text.width), room.size + gap + text.height


def place_content(text: TextStack, room: IconRoom, centre: Point) -> tuple[tuple[TextLine, ...], Box]:
    """A block's text lines and its icon's square, their whole centred on ``centre``."""
    width, height = content_size(text, room)
    left, top = centre.x - width / 2, centre.y - height / 2
    if room.position == "left":
        icon = Box(left, centre.y - room.size / 2, room.size, room.size)
        lines = text.place(left + width - text.width / 2, centre.y - text.height / 2)
    else:
        icon = Box(centre.x - room.size / 2, top, room.size, room.size)
        lines = text.place(centre.x, top + height - text.height)
    return lines, icon
