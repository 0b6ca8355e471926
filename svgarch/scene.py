"""The laid-out diagram: plain, serialisable geometry.

Layout produces a :class:`Scene`; the SVG writer and ``svgarch check`` read
nothing else. Every coordinate is in SVG user units, origin top-left.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, is_dataclass, replace
from typing import Literal

from svgarch.geometry import Box, Point, cubic_point

Anchor = Literal["start", "middle", "end"]


@dataclass(frozen=True)
class TextLine:
    """One line of text; ``y`` is the baseline, ``role`` picks its CSS class."""

    text: str
    x: float
    y: float
    role: str
    anchor: Anchor
    box: Box  # the measured extent (advance width × ascent + descent), for checks


@dataclass(frozen=True)
class Line:
    end: Point


@dataclass(frozen=True)
class Cubic:
    c1: Point
    c2: Point
    end: Point


Segment = Line | Cubic


@dataclass(frozen=True)
class ScenePath:
    start: Point
    segments: tuple[Segment, ...]

    def points(self, per_curve: int = 16) -> list[Point]:
        """The path flattened to a polyline (curves sampled ``per_curve`` times)."""
        out = [self.start]
        cur = self.start
        for seg in self.segments:
            if isinstance(seg, Line):
                out.append(seg.end)
            else:
                out.extend(cubic_point(cur, seg.c1, seg.c2, seg.end, i / per_curve) for i in range(1, per_curve + 1))
            cur = seg.end
        return out

    @property
    def end(self) -> Point:
        return self.segments[-1].end if self.segments else self.start


@dataclass(frozen=True)
class Pill:
    """A label on a rounded, translucent background."""

    box: Box
    lines: tuple[TextLine, ...]


@dataclass(frozen=True)
class SceneBlock:
    id: str
    kind: str
    shape: str
    box: Box
    lines: tuple[TextLine, ...]
    tooltip: str


@dataclass(frozen=True)
class SceneEdge:
    source: str
    target: str
    kind: str
    path: ScenePath
    heads: tuple[tuple[Point, ...], ...]  # arrow heads as closed polygons
    label: Pill | None
    tooltip: str


@dataclass(frozen=True)
class SceneFan:
    """The edges drawn for one description edge whose ends are lists; one label."""

    kind: str
    edges: tuple[SceneEdge, ...]
    label: Pill | None


@dataclass(frozen=True)
class SceneRowLabel:
    line: TextLine
    tick: tuple[Point, Point]


@dataclass(frozen=True)
class SceneNote:
    kind: str
    box: Box
    lines: tuple[TextLine, ...]


@dataclass(frozen=True)
class SceneGroup:
    id: str
    box: Box
    label: TextLine | None


@dataclass(frozen=True)
class LegendItem:
    kind: str
    sample: Literal["patch", "line"]
    sample_box: Box
    line: TextLine


@dataclass(frozen=True)
class SceneLegend:
    box: Box
    items: tuple[LegendItem, ...]


@dataclass(frozen=True)
class Scene:
    id: str
    width: float
    height: float
    title: TextLine | None
    description: str
    blocks: tuple[SceneBlock, ...]
    edges: tuple[SceneEdge | SceneFan, ...]
    groups: tuple[SceneGroup, ...]
    notes: tuple[SceneNote, ...]
    row_labels: tuple[SceneRowLabel, ...]
    legend: SceneLegend | None
    block_kinds: tuple[str, ...]  # kinds in first-use order, for the stylesheet
    edge_kinds: tuple[str, ...]

    def all_edges(self) -> list[SceneEdge]:
        """Every drawn edge, fans expanded."""
        out: list[SceneEdge] = []
        for e in self.edges:
            out.extend(e.edges if isinstance(e, SceneFan) else (e,))
        return out

    def to_json(self) -> str:
        """A stable JSON text of the scene (golden tests store it)."""
        return json.dumps(_rounded(asdict(self)), indent=1, sort_keys=True, ensure_ascii=False)


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def shifted(obj: object, dx: float, dy: float) -> object:
    """A copy of any scene value moved by (dx, dy)."""
    if isinstance(obj, Point):
        return Point(obj.x + dx, obj.y + dy)
    if isinstance(obj, Box):
        return obj.moved(dx, dy)
    if isinstance(obj, TextLine):
        return replace(obj, x=obj.x + dx, y=obj.y + dy, box=obj.box.moved(dx, dy))
    if isinstance(obj, tuple):
        return tuple(shifted(v, dx, dy) for v in obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        return replace(obj, **{f.name: shifted(getattr(obj, f.name), dx, dy) for f in fields(obj)})
    return obj
