"""What each kind looks like: its colours, dash, width and fill pattern.

A kind's elements carry the class ``sa-k-<kind>`` (``kind_class``): a
namespace of its own, so no kind name is one of svgarch's classes. A kind
reads these variables (``--sa-<kind>`` is ``kind_variable(kind)``:
``--sa-k-<kind>`` for a kind named like a setting); every one falls back to
the next, so a theme sets only what differs:

===========================  ===========================================  ============================
variable                     paints                                       when not set
===========================  ===========================================  ============================
``--sa-<kind>``              block fill, legend patch                     ``--sa-palette-N``
``--sa-<kind>-ink``          edge line and head, legend line              ``--sa-<kind>``
``--sa-<kind>-label``        edge label text, note text                   ``--sa-<kind>-ink``
``--sa-<kind>-text``         block title and subtitle                     ``--sa-block-text``
``--sa-<kind>-dash``         edge ``stroke-dasharray``                    ``none``
``--sa-<kind>-width``        edge ``stroke-width``                        ``--sa-edge-width``
``--sa-<kind>-pattern``      block fill pattern (see ``PATTERNS``)        ``none``
===========================  ===========================================  ============================

A kind the theme does not name takes palette slot ``N`` (its place in order of
first use, moved on past slots that look like the diagram's named kinds or that
an earlier kind took: see ``palette_slots``) and then reads ``--sa-palette-N-ink``,
``-label``, ``-text``, ``-dash`` and ``-pattern`` the same way.

Each value is a browser chain — ``var(--sa-encoder-ink, var(--sa-encoder, #3b82f6))`` —
whose innermost fallback is the plain value every renderer reads, so a page
that sets any variable of the chain restyles the kind, and one that sets
none sees exactly what cairosvg draws.
"""

from __future__ import annotations

from collections.abc import Sequence

from svgarch.errors import ThemeError
from svgarch.kind_names import kind_variable
from svgarch.record import Record
from svgarch.scene import Scene
from svgarch.theme import Rule, Theme

PALETTE_SIZE = 8
PATTERN_SIZE = 8  # px; a tile of the block fill patterns (userSpaceOnUse, so hatches line up across blocks)

# Hatches drawn over the kind's fill colour in one PATTERN_SIZE tile (lines run past the tile so the
# joins have no gaps). Used by the print theme so kinds differ without colour.
PATTERNS: dict[str, str] = {
    "diagonal": "M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6",
    "back-diagonal": "M-2,6 L2,10 M0,0 L8,8 M6,-2 L10,2",
    "cross": "M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6 M-2,6 L2,10 M0,0 L8,8 M6,-2 L10,2",
    "horizontal": "M0,4 L8,4",
    "vertical": "M4,0 L4,8",
    "grid": "M0,4 L8,4 M4,0 L4,8",
    "dots": "M3.2,4 A0.8,0.8 0 1,0 4.8,4 A0.8,0.8 0 1,0 3.2,4 Z",
}


class KindPaint(Record):
    """Browser chains for one kind; ``plain(chain)`` is what other renderers get."""

    colour: str
    ink: str
    label: str
    text: str
    dash: str
    width: str
    pattern: str  # a PATTERNS name or "none" (plain: patterns are not restyled by pages)


def chain(names: Sequence[str], plain: str) -> str:
    """``var(--a, var(--b, plain))``."""
    out = plain
    for name in reversed(names):
        out = f"var({name}, {out})"
    return out


def plain(value: str) -> str:
    """The value a renderer without custom properties gets: every var() at its innermost fallback."""
    return _PLAIN.resolve(value)


# a theme that sets no variable: one for every call, so that ``Theme.resolve`` keeps what it found (a
# render asks for some 40 values, most of them again and again; a new theme each call found each anew)
_PLAIN = Theme("plain", {}, ())


def kind_class(kind: str) -> str:
    """The class of a kind's elements: a namespace of its own, so no kind name is one of svgarch's classes."""
    return f"sa-k-{kind}"


def kind_paint(kind: str, slot: int, theme: Theme) -> KindPaint:
    """The kind's paint in palette slot ``slot``, kept for the theme's variables (a render asks for each
    kind's several times, and a batch's renders share their theme)."""
    key = (kind, slot, id(theme.variables))
    known = _PAINTS.get(key)
    if known is not None and known[0] is theme.variables:
        return known[1]
    paint = _kind_paint(kind, slot, theme)
    if len(_PAINTS) >= _MOST_PAINTS:
        _PAINTS.clear()
    _PAINTS[key] = (theme.variables, paint)
    return paint


# Paints found so far, by kind, slot and the variables they were found with (the dict itself, held here so
# that no other dict takes its id while the entry lives). A paint depends on nothing else; one that fails
# is never kept, so it fails again with its message.
_PAINTS: dict[tuple[str, int, int], tuple[dict[str, str], KindPaint]] = {}
_MOST_PAINTS = 4096


def _kind_paint(kind: str, slot: int, theme: Theme) -> KindPaint:
    k, pal = kind_variable(kind), f"--sa-palette-{slot % PALETTE_SIZE}"
    named = theme.has(k)

    def pick(suffix: str, default: str) -> str:
        if theme.has(k + suffix):
            return theme.resolve(f"var({k}{suffix})")
        if not named and theme.has(pal + suffix):
            return theme.resolve(f"var({pal}{suffix})")
        return default

    if not named and not theme.has(pal):
        raise ThemeError(f"theme {theme.name}: kind '{kind}' needs {k} or {pal}")
    colour = theme.resolve(f"var({k})" if named else f"var({pal})")
    ink = pick("-ink", colour)
    label = pick("-label", ink)
    text = pick("-text", theme.resolve("var(--sa-block-text)"))
    dash = pick("-dash", "none")
    width = pick("-width", theme.resolve("var(--sa-edge-width)"))
    pattern = pick("-pattern", "none")
    if pattern != "none" and pattern not in PATTERNS:
        where = theme.where(f"{k}-pattern" if theme.has(f"{k}-pattern") else f"{pal}-pattern")
        raise ThemeError(f"{where}: {k}-pattern must be one of {', '.join(PATTERNS)} or none")
    slot_vars = [] if named else [pal]  # a page's --sa-palette-N reaches only kinds the theme does not name
    return KindPaint(
        colour=chain([k, *slot_vars], colour),
        ink=chain([k + "-ink", k, *(f"{v}-ink" for v in slot_vars), *slot_vars], ink),
        label=chain([k + "-label", k + "-ink", k, *(v + s for v in slot_vars for s in ("-label", "-ink", ""))], label),
        text=chain([k + "-text", *(f"{v}-text" for v in slot_vars), "--sa-block-text"], text),
        dash=chain([k + "-dash", *(f"{v}-dash" for v in slot_vars)], dash),
        width=chain([k + "-width", "--sa-edge-width"], width),
        pattern=pattern,
    )


class Kinds(Record):
    """The kinds a scene draws, in order of first use, each with its palette slot."""

    blocks: tuple[str, ...]
    edges: tuple[str, ...]
    notes: tuple[str, ...]
    slots: dict[str, int]


def scene_kinds(scene: Scene, theme: Theme) -> Kinds:
    legend = [i.kind for i in scene.legend.items] if scene.legend else []
    blocks = tuple(scene.block_kinds) + tuple(
        dict.fromkeys(k for k in legend if k and k not in scene.block_kinds and k not in scene.edge_kinds)
    )
    notes = tuple(dict.fromkeys(n.kind for n in scene.notes if n.kind))
    used = tuple(dict.fromkeys((*blocks, *scene.edge_kinds, *notes)))
    return Kinds(blocks, tuple(scene.edge_kinds), notes, palette_slots(used, theme))


def palette_slots(kinds: Sequence[str], theme: Theme) -> dict[str, int]:
    """Each kind's palette slot: its place in order of first use, moved on past any slot that looks
    like a kind the theme names (same fill and pattern) or that an earlier kind took.

    Themes name the seed's kinds with their first palette colours, so without the move a diagram's
    ``attn`` would be drawn in its ``encoder``'s blue. Only the kinds of this diagram count; when
    every slot is taken a kind keeps its own place (the palette has only ``PALETTE_SIZE`` looks).
    """

    def look(kind: str, slot: int) -> tuple[str, str]:
        paint = kind_paint(kind, slot, theme)
        return plain(paint.colour), paint.pattern

    named = [k for k in kinds if theme.has(kind_variable(k))]
    shown = {look(k, 0) for k in named}
    taken: set[int] = set()
    slots: dict[str, int] = {}
    for place, kind in enumerate(kinds):
        if kind in named:
            slots[kind] = place  # unused: a named kind reads its own variables
            continue
        start = place % PALETTE_SIZE
        candidates = [(start + i) % PALETTE_SIZE for i in range(PALETTE_SIZE)]
        free = (s for s in candidates if s not in taken and look(kind, s) not in shown)
        slot = next(free, start)
        taken.add(slot)
        shown.add(look(kind, slot))
        slots[kind] = slot
    return slots


def pattern_id(diagram_id: str, kind: str) -> str:
    return f"{diagram_id}-pattern-{kind}"


def block_patterns(scene: Scene, theme: Theme) -> list[tuple[str, str]]:
    """(kind, pattern name) for each block kind the theme fills with a pattern."""
    kinds = scene_kinds(scene, theme)
    out = []
    for k in kinds.blocks:
        pattern = kind_paint(k, kinds.slots[k], theme).pattern
        if pattern != "none":
            out.append((k, pattern))
    return out


def kind_rules(scene: Scene, theme: Theme) -> list[Rule]:
    """Fill, text, line and label rules for each kind the scene uses (values are browser chains)."""
    kinds = scene_kinds(scene, theme)
    rules: list[Rule] = []

    def add(selector: str, *declarations: tuple[str, str]) -> None:
        rules.append(Rule(selector, declarations, origin="kind"))

    for k in kinds.blocks:
        p, c = kind_paint(k, kinds.slots[k], theme), kind_class(k)
        fill = f"url(#{pattern_id(scene.id, k)})" if p.pattern != "none" else p.colour
        add(f".sa-block.{c} > .sa-shape, .sa-legend-item.{c} > .sa-legend-patch", ("fill", fill))
        add(f".sa-block.{c} > text", ("fill", p.text))
        if p.pattern != "none":
            add(f".sa-pattern.{c} > .sa-pattern-bg", ("fill", p.colour))
    for k in kinds.edges:
        p, c = kind_paint(k, kinds.slots[k], theme), kind_class(k)
        add(
            f".sa-edge.{c} > .sa-line, .sa-legend-item.{c} > .sa-legend-line",
            ("stroke", p.ink),
            ("stroke-dasharray", p.dash),
            ("stroke-width", p.width),
        )
        add(f".sa-edge.{c} > .sa-head", ("fill", p.ink))
        add(f".sa-edge.{c} .sa-label-text, .sa-fan.{c} > .sa-label > .sa-label-text", ("fill", p.label))
    for k in kinds.notes:
        add(f".sa-note.{kind_class(k)}", ("fill", kind_paint(k, kinds.slots[k], theme).label))
    return rules
