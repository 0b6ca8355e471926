"""Text sizes, measured before layout so layout never guesses a size.

Every piece of text is a stack of lines, each with a role (its CSS class
``sa-<role>``, which fixes its font) and a measured width.
"""

from __future__ import annotations

from typing import NamedTuple

from svgarch.fonts import FontBook, FontMetrics
from svgarch.geometry import Box
from svgarch.model import Block
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


def block_text(block: Block, measurer: Measurer) -> TextStack:
    return measurer.stack((block.label, "block-title"), (block.subtitle, "block-subtitle"))


def block_size(block: Block, measurer: Measurer) -> BlockSize:
    """The box that holds the block's text with padding, as its shape needs (``svgarch.shapes``).

    ``width`` and ``height`` are minimums; the size returned is the box the
    shape is drawn in, edge to edge.
    """
    text = block_text(block, measurer)
    pad_x = measurer.theme.length("--sa-pad-x")
    pad_y = measurer.theme.length("--sa-pad-y")
    shape = shape_of(block.shape, block.depth)
    w, h = shape.size(text.width, text.height, pad_x, pad_y, block.width, block.height)
    return BlockSize(w, h, text)
