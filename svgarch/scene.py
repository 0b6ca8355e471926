"""The laid-out diagram: plain, serialisable geometry.

Layout produces a :class:`Scene`; the SVG writer and ``svgarch check`` read
nothing else. Every coordinate is in SVG user units, origin top-left.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from svgarch.geometry import Box, Point, new
from svgarch.icons.types import Icon
from svgarch.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    Anchor = Literal["start", "middle", "end"]


class TextRun(Record):
    """A piece of a line in its own face, size or baseline (inline markup: a ``<tspan>``).

    Empty values inherit the line's (its role's CSS class); ``rise`` is how far the
    run's baseline sits above the line's (negative: below, a subscript).
    """

    text: str
    family: str = ""  # a CSS font-family list
    weight: str = ""  # "bold"
    style: str = ""  # "italic"
    size: float = 0.0  # px
    rise: float = 0.0  # px


class TextLine(Record):
    """One line of text; ``y`` is the baseline, ``role`` picks its CSS class."""

    text: str  # the characters drawn, without markup (a tooltip, the SVG's <title>)
    x: float
    y: float
    role: str
    anchor: Anchor
    box: Box  # the measured extent (advance width × ascent + descent), for checks
    runs: tuple[TextRun, ...] | None = None  # inline markup; None: the text in the role's font


class Line(Record):
    end: Point


class Cubic(Record):
    c1: Point
    c2: Point
    end: Point


Segment = Line | Cubic


class ScenePath(Record):
    start: Point
    segments: tuple[Segment, ...]

    def points(self, per_curve: int = 16) -> list[Point]:
        """The path flattened to a polyline (curves sampled ``per_curve`` times)."""
        out = [self.start]
        cur = self.start
        weights = _bernstein(per_curve)
        for seg in self.segments:
            if isinstance(seg, Line):
                out.append(seg.end)
            else:
                (x0, y0), (x1, y1), (x2, y2), (x3, y3) = cur, seg.c1, seg.c2, seg.end
                out.extend(
                    [
                        new(Point, (a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
                        for a, b, c, d in weights
                    ]
                )
            cur = seg.end
        return out

    @property
    def end(self) -> Point:
        return self.segments[-1].end if self.segments else self.start


@functools.cache
def _bernstein(steps: int) -> tuple[tuple[float, float, float, float], ...]:
    """The cubic Bernstein weights at t = 1/steps … 1 (as ``cubic_point`` computes them)."""
    out = []
    for i in range(1, steps + 1):
        t = i / steps
        u = 1 - t
        out.append((u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t))
    return tuple(out)


class Pill(Record):
    """A label on a rounded, translucent background."""

    box: Box
    lines: tuple[TextLine, ...]


class SceneIcon(Record):
    """A block's icon: the square it is drawn in, what the author named, and the (sanitised) art."""

    box: Box
    name: str
    art: Icon
    alone: bool  # drawn without the block's outline (icon_position = "only")


class SceneBlock(Record):
    id: str
    kind: str
    shape: str  # a name in svgarch.shapes.SHAPES
    box: Box
    lines: tuple[TextLine, ...]
    tooltip: str
    radius: float  # its corners' radius, for a rect, rounded rect or pill (0: sharp; a pill's: half its height)
    depth: float = 0.0  # a solid shape's depth (box3d); 0 for flat shapes
    icon: SceneIcon | None = None
    link: str = ""  # the <a href> around the block ("": none)


class SceneEdge(Record):
    source: str
    target: str
    kind: str
    path: ScenePath
    heads: tuple[tuple[Point, ...], ...]  # arrow heads as closed polygons
    label: Pill | None
    tooltip: str
    link: str = ""


class SceneFan(Record):
    """The edges drawn for one description edge whose ends are lists; one label."""

    kind: str
    edges: tuple[SceneEdge, ...]
    label: Pill | None
    link: str = ""  # one <a> around the whole fan


class SceneRowLabel(Record):
    line: TextLine
    tick: tuple[Point, Point]


class SceneNote(Record):
    kind: str
    box: Box
    lines: tuple[TextLine, ...]
    link: str = ""
    tooltip: str = ""  # "": no tooltip


class SceneGroup(Record):
    id: str
    box: Box
    label: TextLine | None
    link: str = ""
    tooltip: str = ""  # "": no tooltip


class LegendItem(Record):
    kind: str
    sample: Literal["patch", "line"]
    sample_box: Box
    line: TextLine


class SceneLegend(Record):
    box: Box
    items: tuple[LegendItem, ...]


class Scene(Record):
    id: str
    width: float
    height: float
    title: tuple[TextLine, ...]  # the diagram's title, wrapped to the drawing's width (empty: none)
    description: str
    blocks: tuple[SceneBlock, ...]
    edges: tuple[SceneEdge | SceneFan, ...]
    groups: tuple[SceneGroup, ...]
    notes: tuple[SceneNote, ...]
    row_labels: tuple[SceneRowLabel, ...]
    legend: SceneLegend | None
    block_kinds: tuple[str, ...]  # kinds in first-use order, for the stylesheet
    edge_kinds: tuple[str, ...]
    interactive: bool = True  # hover and focus highlighting (browsers only)

    def all_edges(self) -> list[SceneEdge]:
        """Every drawn edge, fans expanded."""
        out: list[SceneEdge] = []
        for e in self.edges:
            out.extend(e.edges if isinstance(e, SceneFan) else (e,))
        return out

    def to_json(self) -> str:
        """A stable JSON text of the scene (golden tests store it)."""
        import json  # here: a render does not write it

        return json.dumps(_plain(self), indent=1, sort_keys=True, ensure_ascii=False)


# Fields left out of the JSON while they hold these values: a flat block has no depth, most things no
# icon and no link; scenes stored before they existed keep their text.
_UNSET = {"depth": 0.0, "icon": None, "link": "", "interactive": True, "runs": None}
_UNSET_TOOLTIP = (SceneNote, SceneGroup)  # their tooltip is the author's only ("" when none)


def _plain(value: object) -> object:
    """Scene values as JSON-ready dicts, lists and numbers rounded to 0.01."""
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        items = value._asdict().items()
        unset = {**_UNSET, "tooltip": ""} if isinstance(value, _UNSET_TOOLTIP) else _UNSET
        return {k: _plain(v) for k, v in items if k not in unset or v != unset[k]}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def shifted(obj: object, dx: float, dy: float) -> object:
    """A copy of any scene value moved by (dx, dy)."""
    if isinstance(obj, Point):
        return Point(obj.x + dx, obj.y + dy)
    if isinstance(obj, Box):
        return Box(obj.x + dx, obj.y + dy, obj.w, obj.h)
    if isinstance(obj, TextLine):
        return _shift_line(obj, dx, dy)
    # the most numerous records are moved without the generic walk
    # (each a copy with some fields changed, as _replace makes it, without _replace's Python-level walk)
    if isinstance(obj, SceneEdge):
        edge: list[Any] = list(obj)
        edge[_EDGE_PATH] = shift_path(obj.path, dx, dy)
        edge[_EDGE_HEADS] = shift_heads(obj.heads, dx, dy)
        edge[_EDGE_LABEL] = None if obj.label is None else shift_pill(obj.label, dx, dy)
        return new(SceneEdge, edge)
    if isinstance(obj, SceneBlock):
        block: list[Any] = list(obj)
        block[_BLOCK_BOX] = obj.box.moved(dx, dy)
        block[_BLOCK_LINES] = shift_lines(obj.lines, dx, dy)
        block[_BLOCK_ICON] = obj.icon and shift_icon(obj.icon, dx, dy)
        return new(SceneBlock, block)
    if isinstance(obj, ScenePath):
        return shift_path(obj, dx, dy)
    if isinstance(obj, Pill):
        return shift_pill(obj, dx, dy)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        record: Any = type(obj)
        return record(*(shifted(v, dx, dy) for v in obj))
    if isinstance(obj, tuple):
        return tuple(shifted(v, dx, dy) for v in obj)
    return obj


def _shift_line(line: TextLine, dx: float, dy: float) -> TextLine:
    moved: list[Any] = list(line)
    moved[_LINE_X], moved[_LINE_Y], moved[_LINE_BOX] = line.x + dx, line.y + dy, line.box.moved(dx, dy)
    return new(TextLine, moved)


# where shifted() finds the fields it moves
_EDGE_PATH, _EDGE_HEADS, _EDGE_LABEL = (SceneEdge._fields.index(f) for f in ("path", "heads", "label"))
_BLOCK_BOX, _BLOCK_LINES, _BLOCK_ICON = (SceneBlock._fields.index(f) for f in ("box", "lines", "icon"))
_LINE_X, _LINE_Y, _LINE_BOX = (TextLine._fields.index(f) for f in ("x", "y", "box"))


# The parts of a scene value moved by (dx, dy), as shifted() moves them: for what is made at its place at once
# (svgarch.layout.assemble makes its thousands of blocks and edges so, not made and then copied).


def shift_lines(lines: tuple[TextLine, ...], dx: float, dy: float) -> tuple[TextLine, ...]:
    return tuple([_shift_line(line, dx, dy) for line in lines])


def shift_icon(icon: SceneIcon, dx: float, dy: float) -> SceneIcon:
    return icon._replace(box=icon.box.moved(dx, dy))


def shift_heads(heads: tuple[tuple[Point, ...], ...], dx: float, dy: float) -> tuple[tuple[Point, ...], ...]:
    if len(heads) == 1 and len(heads[0]) == 4:  # most edges: one head of four corners, moved at once
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = heads[0]
        p0, p1 = new(Point, (x0 + dx, y0 + dy)), new(Point, (x1 + dx, y1 + dy))
        return ((p0, p1, new(Point, (x2 + dx, y2 + dy)), new(Point, (x3 + dx, y3 + dy))),)
    return tuple([tuple([new(Point, (x + dx, y + dy)) for x, y in h]) for h in heads])


def shift_pill(pill: Pill, dx: float, dy: float) -> Pill:
    return Pill(pill.box.moved(dx, dy), tuple([_shift_line(line, dx, dy) for line in pill.lines]))


def shift_path(path: ScenePath, dx: float, dy: float) -> ScenePath:
    segments: list[Segment] = []
    for seg in path.segments:
        if isinstance(seg, Line):
            segments.append(new(Line, (new(Point, (seg.end.x + dx, seg.end.y + dy)),)))
        else:
            (x1, y1), (x2, y2), (x3, y3) = seg
            c1, c2, end = new(Point, (x1 + dx, y1 + dy)), new(Point, (x2 + dx, y2 + dy)), new(Point, (x3 + dx, y3 + dy))
            segments.append(new(Cubic, (c1, c2, end)))
    return new(ScenePath, (new(Point, (path.start.x + dx, path.start.y + dy)), tuple(segments)))


def scene_text(scene: Scene) -> Iterator[TextLine]:
    """Every line of text the scene draws."""
    yield from scene.title
    for g in scene.groups:
        if g.label:
            yield g.label
    for b in scene.blocks:
        yield from b.lines
    for e in scene.edges:
        for member in e.edges if isinstance(e, SceneFan) else (e,):
            if member.label:
                yield from member.label.lines
        if isinstance(e, SceneFan) and e.label:
            yield from e.label.lines
    for n in scene.notes:
        yield from n.lines
    for rl in scene.row_labels:
        yield rl.line
    if scene.legend:
        for item in scene.legend.items:
            yield item.line
