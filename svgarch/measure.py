"""Measuring, the stage between the model and layout: ``measure(model, theme) -> Measured``.

Every piece of text is a stack of lines, each with a role (its CSS class
``sa-<role>``, which fixes its font) and a measured width. ``measure`` sizes
every block, label, note, row label, group label, legend entry and the title,
and reads the geometry layout needs from the theme once (``Spacing``).

Pre: a validated model and a theme whose fonts can be found. Post: a
``Measured`` that holds everything layout needs to know of the theme and the
fonts; layout reads nothing else of either.
"""

from __future__ import annotations

import unicodedata

from svgarch import inline, textorder
from svgarch.fallback import Fallbacks, covers
from svgarch.fonts import FontBook, FontFace, FontMetrics
from svgarch.geometry import Box, Point, new
from svgarch.kind_names import kind_variable
from svgarch.model import Block, DiagramModel
from svgarch.record import Record
from svgarch.scene import TextLine, TextRun
from svgarch.shapes import Shape, shape_of
from svgarch.theme import Theme

TYPE_CHECKING = False
if TYPE_CHECKING:
    from svgarch.model import IconPosition
    from svgarch.scene import Anchor

LINE_HEIGHT = 1.25  # line pitch, in em
LABEL_PAD_X = 5.0  # space between an edge label's text and its pill
LABEL_PAD_Y = 2.5
LABEL_WRAP = 200.0  # px, where an edge label wraps when the theme does not set --sa-label-wrap
SCRIPT_SIZE = 0.7  # a sub- or superscript's size, of its line's
SUP_RISE = 0.36  # a superscript's baseline above its line's, in em of the line's size
SUB_DROP = 0.16  # a subscript's baseline below its line's


class MeasuredLine(Record):
    text: str
    role: str
    size: float
    width: float
    ascent: float
    descent: float
    runs: tuple[TextRun, ...] | None = None  # inline markup (svgarch.inline); None: plain text


class TextStack(Record):
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
            ink = new(Box, (left, baseline - ln.ascent, ln.width, ln.ascent + ln.descent))
            # every field given: without Record's __new__ (a line of every block and label)
            out.append(new(TextLine, (ln.text, x, baseline, ln.role, anchor, ink, ln.runs)))
            y += pitch
        return tuple(out)


class Measurer:
    """Measures text with the fonts the theme names, through one FontBook."""

    def __init__(self, theme: Theme, fonts: FontBook, markup: bool = False) -> None:
        self.theme = theme
        self.markup = markup
        self._fonts = fonts
        self._roles: dict[str, tuple[FontMetrics, float]] = {}
        self._stacks: dict[tuple[tuple[str, str], ...], TextStack] = {}  # layout asks for a label's stack up to 3×
        self.gap = theme.length("--sa-line-gap")
        self.fallbacks = Fallbacks(fonts)  # fonts for characters the theme's lack (svgarch.fallback)
        self._ascii: dict[str, bool] = {}  # by role: its font has every printable ASCII character
        self._lengths: dict[str, float] = {}  # theme lengths by name: every block asks for its padding

    def length(self, name: str) -> float:
        """The theme's geometry variable ``name`` in px (``Theme.length``), read once per render."""
        known = self._lengths.get(name)
        if known is None:
            known = self._lengths[name] = self.theme.length(name)
        return known

    def _role(self, role: str) -> tuple[FontMetrics, float]:
        hit = self._roles.get(role)
        if hit is None:
            face, size = self.theme.font(role)
            hit = self._roles[role] = (self._fonts.metrics(face), size)
        return hit

    def metrics(self, role: str) -> tuple[FontMetrics, float]:
        """The font metrics and size of text role ``role``."""
        return self._role(role)

    def line(self, text: str, role: str) -> MeasuredLine:
        if not self.simple(text, role):  # another script: pieces in fallback fonts, or right to left
            return self.marked((inline.Run(text),), role)
        return self._plain(text, role)

    def _plain(self, text: str, role: str) -> MeasuredLine:
        metrics, size = self._role(role)
        widths = (metrics.width(text, size), metrics.ascent(size), metrics.descent(size))
        return new(MeasuredLine, (text, role, size, *widths, None))  # every field given: without Record's __new__

    def simple(self, text: str, role: str) -> bool:
        """True when ``text`` is drawn as it stands in the role's font: the font has every character and
        none is right to left (the usual case, which asks fontconfig nothing)."""
        metrics = self._role(role)[0]
        if text.isascii() and text.isprintable():  # the usual text: one check of the font's ASCII, per role
            ascii_ok = self._ascii.get(role)
            if ascii_ok is None:
                ascii_ok = self._ascii[role] = covers(metrics, "".join(map(chr, range(0x20, 0x7F))))
            if ascii_ok:
                return True
        return covers(metrics, text) and not textorder.has_rtl(text)

    def stack(self, *parts: tuple[str, str], plain: bool = False) -> TextStack:
        """A stack from (text, role) parts; ``\\n`` in a text breaks lines.

        With the diagram's markup on (and ``plain`` not asked: a block's id
        drawn as its title is no markup), each text is parsed into runs.
        """
        key = (*parts, ("", "plain")) if plain else parts
        known = self._stacks.get(key)
        if known is None:
            if self.markup and not plain:
                lines = tuple(line for text, role in parts if text for line in self._marked_lines(text, role))
            else:
                lines = tuple(self.line(piece, role) for text, role in parts if text for piece in text.split("\n"))
            known = self._stacks[key] = new(TextStack, (lines, self.gap))
        return known

    def _marked_lines(self, text: str, role: str) -> list[MeasuredLine]:
        """The lines of a text with the diagram's markup on. One line without markup (most) is measured as
        ``line`` measures it, which is what ``marked`` does with its one plain run, without parsing it."""
        if "\n" not in text and inline.unmarked(text):
            return [self.line(text, role)]
        return [self.marked(runs, role) for runs in inline.lines(inline.parse(text))]

    def marked(self, runs: tuple[inline.Run, ...], role: str) -> MeasuredLine:
        """A line of runs (inline markup, other scripts): each piece measured in its own face, size and
        font, the line as wide as their sum, the pieces in the order they are seen (svgarch.textorder)."""
        text = inline.plain(runs)
        if inline.is_plain(runs) and self.simple(text, role):  # drawn as a plain text is: the same bytes
            return self._plain(text, role)
        face, size = self.theme.font(role)
        base, _ = self._role(role)
        ascent, descent = base.ascent(size), base.descent(size)
        pieces: list[tuple[str, tuple[inline.Run, FontFace, FontFace | None]]] = []
        for r in runs:
            family = self.mono_family()[1] if r.mono else face.family
            weight = "bold" if r.bold or face.weight == "bold" else "normal"
            style = "italic" if r.italic or face.style == "italic" else "normal"
            own = FontFace(family, weight, style)
            drawn = textorder.shaped(r.text)
            pieces += [(p.text, (r, own, p.face)) for p in self.fallbacks.split(drawn, own, self._fonts.metrics(own))]
        width = 0.0
        out: list[TextRun] = []
        for piece, (r, own, fallback) in textorder.visual(pieces):
            metrics = self._fonts.metrics(fallback or own)
            run_size = size * SCRIPT_SIZE if r.shift else size
            rise = {"": 0.0, "sup": SUP_RISE * size, "sub": -SUB_DROP * size}[r.shift]
            width += metrics.width(piece, run_size)
            ascent = max(ascent, rise + metrics.ascent(run_size))
            descent = max(descent, metrics.descent(run_size) - rise)
            if fallback is not None:
                family = _fallback_family(fallback, self.family_list(own.family))
            else:
                family = self.mono_family()[0] if own.family != face.family else ""
            run = TextRun(
                piece,
                family=family,
                weight=own.weight if own.weight != face.weight else "",
                style=own.style if own.style != face.style else "",
                size=run_size if r.shift else 0.0,
                rise=rise,
            )
            if out and out[-1][1:] == run[1:]:  # **x** in a bold role: the same face as its neighbour
                out[-1] = out[-1]._replace(text=out[-1].text + run.text)
            else:
                out.append(run)
        if len(out) == 1 and out[0] == TextRun(text):  # one piece in the role's font, as written: a plain line
            return self._plain(text, role)
        return MeasuredLine(text, role, size, width, ascent, descent, tuple(out))

    def family_list(self, family: str) -> str:
        """The theme's font-family list that starts with ``family`` (``--sa-font-mono`` or ``-sans``)."""
        for variable in ("--sa-font-mono", "--sa-font-sans"):
            if self.theme.has(variable):
                names = self.theme.resolve(f"var({variable})")
                if names.split(",")[0].strip().strip("\"'") == family:
                    return names
        return f'"{family}"'

    def mono_family(self) -> tuple[str, str]:
        """The theme's monospace font-family list (``--sa-font-mono``) and its first family, the one measured."""
        family = self.theme.resolve("var(--sa-font-mono)")
        return family, family.split(",")[0].strip().strip("\"'")


def _fallback_family(face: FontFace, after: str) -> str:
    """The font-family of a piece in a fallback font: that font first (the one cairosvg uses, and the one
    measured), then the role's own list, so a browser without it falls back as it would."""
    name = "".join(ch for ch in face.family if ch not in "\"\\;{}<>")
    return f'"{name}", {after}'


class BlockSize(Record):
    width: float
    height: float
    text: TextStack
    icon: IconRoom | None = None


# --- Operator glyphs: a round block titled ⊕, ×, Σ… draws its symbol large, to fill its circle ---

OPERATOR_SCALE = 2.0  # the glyph's size, of the block title's, when the theme does not set --sa-operator-scale
OPERATOR_PAD = 1 / 3  # an operator's padding, of the theme's
OPERATOR_SHAPES = ("circle", "ellipse")
OPERATOR_LETTERS = frozenset("ΣΠΔ∑∏")  # Greek capitals read as operators (∑ and ∏ are symbols already)


def is_operator(block: Block) -> bool:
    """Whether ``block`` is an operator node: a circle or ellipse whose whole text is a title of one or
    two symbols or punctuation marks (⊕, ×, +, ·, ||, Σ…), with no subtitle or icon beside it."""
    title = block.title.strip()
    if block.shape not in OPERATOR_SHAPES or block.subtitle or block.icon or not 0 < len(title) <= 2:
        return False
    return all(unicodedata.category(c)[0] in "SP" or c in OPERATOR_LETTERS for c in title)


def operator_text(block: Block, measurer: Measurer) -> TextStack:
    """An operator's glyph as one run at ``--sa-operator-scale`` × the title's size: a ``<tspan>`` with
    its own font-size, so renderers and ``svgarch check`` (which reads tspans' sizes back) agree."""
    theme = measurer.theme
    scale = theme.length("--sa-operator-scale") if theme.has("--sa-operator-scale") else OPERATOR_SCALE
    metrics, size = measurer.metrics("block-title")
    big, text = size * scale, block.title.strip()
    line = MeasuredLine(
        text, "block-title", big, metrics.width(text, big), metrics.ascent(big), metrics.descent(big),
        (TextRun(text, size=big),),
    )  # fmt: skip
    return TextStack((line,), measurer.gap)


def block_text(block: Block, measurer: Measurer) -> TextStack:
    if is_operator(block):
        return operator_text(block, measurer)
    if not block.title and block.subtitle and measurer.markup:  # the id stands for the title: it holds no markup
        return TextStack(measurer.stack((block.id, "block-title"), plain=True).lines
                         + measurer.stack((block.subtitle, "block-subtitle")).lines, measurer.gap)  # fmt: skip
    return measurer.stack((block.label, "block-title"), (block.subtitle, "block-subtitle"), plain=not block.title)


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
    pad_x = measurer.length("--sa-pad-x")
    pad_y = measurer.length("--sa-pad-y")
    if is_operator(block):  # a glyph's line has air above and below it already: a circle about as small as before
        pad_x, pad_y = pad_x * OPERATOR_PAD, pad_y * OPERATOR_PAD
    shape = shape_of(block.shape, block.depth)
    w, h = shape.size(content_w, content_h, pad_x, pad_y, block.width, block.height)
    return new(BlockSize, (w, h, text, room))  # every field given: without Record's __new__ (every block)


# --- Icons: the room a block keeps for its icon (svgarch.icons), beside or above its text ---

ICON_SIZE = 24.0  # px, a side of the icon's square when the theme does not set --sa-icon-size
ICON_GAP = 8.0  # px between the icon and the text
ICON_MARGIN = 4.0  # px round an icon drawn alone, so edges end clear of it


class IconRoom(Record):
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


class Spacing(Record):
    """The theme's geometry variables that layout reads, in px, resolved once."""

    margin: float  # --sa-margin: round the whole drawing
    gap_col: float  # --sa-gap-col: between grid columns (and automatic neighbours: half of it)
    gap_row: float  # --sa-gap-row: between grid rows and automatic layers
    corner_radius: float  # --sa-radius: a rounded block's corners
    head_length: float  # --sa-head-length
    head_width: float  # --sa-head-width
    port_spread: float  # --sa-port-spread: least distance between neighbouring ports on one side

    @property
    def route_radius(self) -> float:
        """The radius of an orthogonal route's rounded bends."""
        return self.corner_radius * 1.5

    @property
    def port_inset(self) -> float:
        """How far the outermost port of a side keeps from its ends (a route's bend and a little)."""
        return self.route_radius + 6


def spacing_of(theme: Theme) -> Spacing:
    return Spacing(
        margin=theme.length("--sa-margin"),
        gap_col=theme.length("--sa-gap-col"),
        gap_row=theme.length("--sa-gap-row"),
        corner_radius=theme.length("--sa-radius"),
        head_length=theme.length("--sa-head-length"),
        head_width=theme.length("--sa-head-width"),
        port_spread=theme.length("--sa-port-spread"),
    )


class Title(Record):
    """The title's words, measured, so layout can wrap it to a width it learns late.

    A line's width is the sum of its characters' advances (no kerning, as
    ``FontMetrics.width``), kept in font units so a wrapped line measures
    exactly as the whole line would.
    """

    lines: tuple[tuple[tuple[str, int], ...], ...]  # per line of the author's: (word, advance in font units)
    space: int  # a space's advance, in font units
    em: int  # font units per em
    size: float
    ascent: float
    descent: float
    gap: float
    marked: tuple[MeasuredLine, ...] = ()  # a title with inline markup: its lines, as the author broke them

    def wrap(self, width: float) -> TextStack:
        """The title's lines, each broken at spaces where it is wider than ``width``.

        A title with inline markup keeps the author's lines (``\\n``): it is not wrapped.
        """
        if self.marked:
            return TextStack(self.marked, self.gap)
        out: list[MeasuredLine] = []
        for words in self.lines:
            runs: list[tuple[str, int]] = []
            for word, advance in words:
                if runs:
                    text, units = runs[-1]
                    joined = units + self.space + advance
                    if self.px(joined) <= width:
                        runs[-1] = (f"{text} {word}", joined)
                        continue
                runs.append((word, advance))
            out += [MeasuredLine(t, "title", self.size, self.px(u), self.ascent, self.descent) for t, u in runs if t]
        return TextStack(tuple(out), self.gap)

    def px(self, units: int) -> float:
        """A width in font units in px, computed as ``FontMetrics.width`` does."""
        return units * self.size / self.em


class Measured(Record):
    """Everything of the model that has a size, and the spacing to lay it out with."""

    spacing: Spacing
    blocks: dict[str, BlockSize]  # by block id
    shapes: dict[str, Shape]  # by block id: its shape's record, with its depth and the theme's --sa-radius
    labels: dict[int, TextStack]  # edge labels, by the description edge's index (labelled edges only)
    pills: dict[int, tuple[float, float]]  # the (width, height) of each edge label's pill, by the same index
    notes: tuple[TextStack, ...]  # in the model's order
    row_labels: tuple[TextStack, ...]
    groups: dict[str, TextStack]  # group labels, by group id (labelled groups only)
    group_strip: float  # room a frame keeps above its contents for its label
    legend: tuple[TextStack, ...]
    title: Title
    head_scales: dict[str, float]  # per edge kind with its own width: its heads' scale
    missing: frozenset[str] = frozenset()  # characters no installed font has (drawn as the font's empty box)


def measure(model: DiagramModel, theme: Theme, fonts: FontBook | None = None) -> Measured:
    """The sizes of everything in ``model`` with ``theme``'s fonts (found through ``fonts``) and geometry."""
    measurer = Measurer(theme, fonts or FontBook(), model.markup)
    base = theme.length("--sa-edge-width")
    kinds = {e.kind for e in model.edges if e.kind and theme.has(f"{kind_variable(e.kind)}-width")}
    wrap = theme.length("--sa-label-wrap") if theme.has("--sa-label-wrap") else LABEL_WRAP
    labels = {i: label_stack(e.label, measurer, wrap) for i, e in enumerate(model.edges) if e.label}
    spacing = spacing_of(theme)
    measured = Measured(
        spacing=spacing,
        blocks={b.id: block_size(b, measurer) for b in model.blocks},
        shapes={b.id: shape_of(b.shape, b.depth, spacing.corner_radius) for b in model.blocks},
        labels=labels,
        pills={i: (text.width + 2 * LABEL_PAD_X, text.height + 2 * LABEL_PAD_Y) for i, text in labels.items()},
        notes=tuple(measurer.stack((n.text, "note")) for n in model.notes),
        row_labels=tuple(measurer.stack((rl.label, "row-label-text")) for rl in model.row_labels),
        groups={g.id: measurer.stack((g.label, "group-label")) for g in model.groups if g.label},
        group_strip=measurer.stack(("Xg", "group-label")).height + 4,
        legend=tuple(measurer.stack((e.text, "legend-text")) for e in model.legend),
        title=_title(model.title, measurer),
        head_scales={k: theme.length(f"{kind_variable(k)}-width") / base for k in sorted(kinds)},
    )
    return measured._replace(missing=frozenset(measurer.fallbacks.missing))


def missing_glyphs(model: DiagramModel, missing: frozenset[str]) -> list[tuple[str, str]]:
    """(key path, characters) of each text in ``model`` that holds characters of ``missing``, in order."""
    out = []
    for key, text in drawn_texts(model):
        found = "".join(dict.fromkeys(ch for ch in text if ch in missing))
        if found:
            out.append((key, found))
    return out


def drawn_texts(model: DiagramModel) -> list[tuple[str, str]]:
    """(key path, text) of every text ``model`` draws, in the description's order."""
    texts = [("title", model.title)]
    texts += [(f"block[{i}].{k}", getattr(b, k)) for i, b in enumerate(model.blocks) for k in ("title", "subtitle")]
    texts += [(f"edge[{i}].label", e.label) for i, e in enumerate(model.edges)]
    texts += [(f"note[{i}].text", n.text) for i, n in enumerate(model.notes)]
    texts += [(f"row_label[{i}].label", r.label) for i, r in enumerate(model.row_labels)]
    texts += [(f"group[{i}].label", g.label) for i, g in enumerate(model.groups)]
    texts += [(f"legend.{e.kind}", e.text) for e in model.legend]
    return [(key, text) for key, text in texts if text]


def label_stack(label: str, measurer: Measurer, width: float) -> TextStack:
    """An edge label's lines: each of the author's lines wider than ``width`` (``--sa-label-wrap``; 0 never)
    broken at spaces into as few lines as greedy wrapping to ``width`` gives, balanced so they are as even
    as those few allow: a long label is a pill of two or three lines, not one very wide."""
    if width <= 0:
        return measurer.stack((label, "label-text"))
    lines: list[str] = []
    for line in label.split("\n"):
        words = line.split(" ")
        if len(words) < 2 or measurer.line(line, "label-text").width <= width:
            lines.append(line)
            continue
        most = len(_greedy(words, width, measurer))
        # the narrowest width (a run of whole words) that still wraps into ``most`` lines
        runs = sorted(
            {
                measurer.line(" ".join(words[i:j]), "label-text").width
                for i in range(len(words))
                for j in range(i + 1, len(words) + 1)
            }
        )
        fit = next(w for w in runs if w >= width or len(_greedy(words, w, measurer)) <= most)
        lines += _greedy(words, min(fit, width), measurer)
    return measurer.stack(("\n".join(lines), "label-text"))


def _greedy(words: list[str], width: float, measurer: Measurer) -> list[str]:
    """``words`` as lines no wider than ``width`` (a word wider alone has a line of its own), filled in order."""
    out: list[str] = []
    for word in words:
        if out and measurer.line(f"{out[-1]} {word}", "label-text").width <= width:
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out


def _title(title: str, measurer: Measurer) -> Title:
    metrics, size = measurer.metrics("title")
    em = metrics.units_per_em

    def units(text: str) -> int:
        return round(metrics.width(text, em))  # exact: a sum of integer advances

    if title and measurer.markup:
        runs = inline.parse(title)
        if not inline.is_plain(runs):
            marked = measurer.stack((title, "title")).lines
            return Title((), units(" "), em, size, metrics.ascent(size), metrics.descent(size), measurer.gap, marked)
        title = inline.plain(runs)  # escapes and TeX names: plain characters, wrapped as any
    if not all(measurer.simple(line, "title") for line in title.split("\n")):  # other scripts: not wrapped
        marked = measurer.stack((title, "title"), plain=True).lines
        return Title((), units(" "), em, size, metrics.ascent(size), metrics.descent(size), measurer.gap, marked)
    lines = tuple(tuple((w, units(w)) for w in line.split(" ")) for line in title.split("\n")) if title else ()
    return Title(lines, units(" "), em, size, metrics.ascent(size), metrics.descent(size), measurer.gap)
