"""What the author said: the diagram as immutable records.

Records are named tuples (svgarch.record.Record, NamedTuple's syntax without
typing's cost) rather than frozen dataclasses: they behave the same for us
and are created several times faster at import, which matters to a command
that runs for a twentieth of a second. The model holds no coordinates except the ones the author gave (grid cells,
absolute ``x``/``y``, minimum sizes). It is built by the spec loader or by the
:class:`svgarch.Diagram` API and never changed afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter

from svgarch.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # field types, for type checkers only: a render does not import typing
    from typing import Literal

    Side = Literal["auto", "top", "bottom", "left", "right"]
    Route = Literal["auto", "straight", "curved", "orthogonal"]
    Arrow = Literal["end", "start", "both", "none"]
    Direction = Literal["TB", "BT", "LR", "RL"]
    IconPosition = Literal["left", "top", "only"]

SIDES: tuple[Side, ...] = ("auto", "top", "bottom", "left", "right")
ROUTES: tuple[Route, ...] = ("auto", "straight", "curved", "orthogonal")
ARROWS: tuple[Arrow, ...] = ("end", "start", "both", "none")
DIRECTIONS: tuple[Direction, ...] = ("TB", "BT", "LR", "RL")
# an icon left of the text, above it, or alone (no outline) with the text below
ICON_POSITIONS: tuple[IconPosition, ...] = ("left", "top", "only")

# Keys added after diagrams had ids: a diagram's id is a hash of the model's repr, so these are left out of
# it while they hold their default, and a diagram that does not use them keeps the id (and the bytes) it had.
LATER_KEYS: dict[str, object] = {
    "depth": None,
    "icon": "",
    "icon_position": "left",
    "link": "",
    "tooltip": "",
    "interactive": True,
    "markup": True,
    "wrap": 0,
}


def _repr(record: tuple[object, ...], later: dict[str, object]) -> str:
    names: tuple[str, ...] = record._fields  # type: ignore[attr-defined]
    shown = [f"{k}={v!r}" for k, v in zip(names, record, strict=True) if k not in later or v != later[k]]
    return f"{type(record).__name__}({', '.join(shown)})"


class _Shown:
    """A record class's ``_repr``, in one %-format when every later key holds its default (nearly always: a
    diagram's id hashes the whole model's repr, thousands of records on a large diagram)."""

    def __init__(self, name: str, fields: tuple[str, ...]) -> None:
        later = [i for i, k in enumerate(fields) if k in LATER_KEYS]
        kept = [i for i, k in enumerate(fields) if k not in LATER_KEYS]
        self.later, self.kept = _items(later), _items(kept)
        self.defaults = tuple(LATER_KEYS[fields[i]] for i in later)
        self.template = f"{name}(" + ", ".join(f"{fields[i]}=%r" for i in kept) + ")"

    def __call__(self, record: tuple[object, ...]) -> str:
        if self.later(record) == self.defaults:
            return self.template % self.kept(record)
        return _repr(record, LATER_KEYS)


def _items(indices: list[int]) -> Callable[[tuple[object, ...]], tuple[object, ...]]:
    """The items of a tuple at ``indices``, as a tuple (``itemgetter`` gives a single one alone)."""
    if len(indices) > 1:
        return itemgetter(*indices)
    return lambda values: tuple([values[i] for i in indices])


class Block(Record):
    """A box on the diagram: a title line, an optional dimmer subtitle."""

    id: str
    title: str = ""
    subtitle: str = ""
    kind: str = ""
    shape: str = "rounded"  # a name in svgarch.shapes.SHAPES
    row: int | None = None
    col: int | None = None
    colspan: int = 1
    rowspan: int = 1
    x: float | None = None  # absolute centre, user units
    y: float | None = None
    width: float = 0.0  # minimum size, user units
    height: float = 0.0
    level: int | None = None  # rank for automatic layout
    group: str | None = None
    depth: float | None = None  # a solid shape's depth (box3d), px; None: the shape's own
    icon: str = ""  # a bundled icon's name or an SVG/PNG file's path (svgarch.icons)
    icon_position: IconPosition = "left"
    link: str = ""  # where a click goes (checked by svgarch.spec.links)
    tooltip: str = ""  # replaces the automatic tooltip (title — subtitle)

    @property
    def label(self) -> str:
        return self.title or self.id

    def __repr__(self) -> str:
        return _SHOWN[type(self)](self)


class Edge(Record):
    """An arrow from every end of ``sources`` to every end of ``targets``: block ids, or group ids
    (the arrow then starts or ends on the group's frame)."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]
    kind: str = ""
    label: str = ""
    route: Route = "auto"
    bend: float = 0.0
    from_side: Side = "auto"
    to_side: Side = "auto"
    arrow: Arrow = "end"
    link: str = ""
    tooltip: str = ""  # replaces the automatic tooltip (from → to: label) of each of its drawn edges

    def __repr__(self) -> str:
        return _SHOWN[type(self)](self)

    @property
    def is_fan(self) -> bool:
        return len(self.sources) * len(self.targets) > 1


class RowLabel(Record):
    """A mark in the left margin naming a grid row (the seed's "full res")."""

    row: int
    label: str


class Note(Record):
    """Free text placed in a grid cell or at an absolute position."""

    text: str
    row: int | None = None
    col: int | None = None
    colspan: int = 1
    x: float | None = None
    y: float | None = None
    kind: str = ""
    link: str = ""
    tooltip: str = ""

    def __repr__(self) -> str:
        return _SHOWN[type(self)](self)


class Group(Record):
    """A labelled frame around blocks (and nested groups)."""

    id: str
    label: str = ""
    blocks: tuple[str, ...] = ()
    group: str | None = None
    link: str = ""
    tooltip: str = ""

    def __repr__(self) -> str:
        return _SHOWN[type(self)](self)


class LegendEntry(Record):
    kind: str
    text: str


class DiagramModel(Record):
    """A whole diagram as described; the input of layout."""

    title: str = ""
    description: str = ""
    theme: str = "dark"
    css: tuple[str, ...] = ()  # paths of user CSS files, applied after the theme
    direction: Direction = "TB"
    id: str = ""  # the root element id; derived from the content when empty
    blocks: tuple[Block, ...] = ()
    edges: tuple[Edge, ...] = ()
    row_labels: tuple[RowLabel, ...] = ()
    notes: tuple[Note, ...] = ()
    groups: tuple[Group, ...] = ()
    legend: tuple[LegendEntry, ...] = ()
    source: str = "<api>"  # the file it came from, for messages; not part of the content
    interactive: bool = True  # hover and focus highlighting in browsers
    markup: bool = True  # inline markup in texts (svgarch.inline); False draws them as written
    wrap: int = 0  # automatic layout: layers per row (column for TB, BT), 0: one row

    def __repr__(self) -> str:
        return _SHOWN[type(self)](self)

    def block(self, block_id: str) -> Block:
        for b in self.blocks:
            if b.id == block_id:
                return b
        raise KeyError(block_id)


_SHOWN = {cls: _Shown(cls.__name__, cls._fields) for cls in (Block, Edge, Note, Group, DiagramModel)}
