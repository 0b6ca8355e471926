"""The values layout's phases hand each other, in one place.

Placement (``place``) hands a ``Placement`` to framing (``groups``) and
routing (``edges``); automatic layout (``auto``) hands an ``AutoLayout`` to
placement; every phase reads the ``GroupTree`` built once per layout, the
``DrawnEdge`` list and the ``Loop`` plans. A phase imports the values it
receives from here, not from the phase that made them, so placement does
not import the router.

All are immutable (named tuples, svgarch.record.Record; their dicts are filled once, by their maker).

Pre: none (plain values). Post: ``group_tree`` gives every group its own
blocks, its parent, the blocks within it however deep, and the groups
innermost first and outermost first.
"""

from __future__ import annotations

from collections.abc import Sequence

from svgarch.geometry import Box, Point, new
from svgarch.measure import TextStack
from svgarch.model import DiagramModel, Edge
from svgarch.record import Record
from svgarch.scene import SceneGroup, SceneNote, ScenePath, SceneRowLabel


class DrawnEdge(Record):
    """One arrow: a (source, target) pair of a description edge."""

    number: int  # position among all drawn edges
    model_index: int
    source: str
    target: str
    edge: Edge


class Guide(Record):
    """Where an edge crosses the layers: one (entry, exit) gate per layer
    band between its ends, in travel order, and the sides it uses; for an
    end on a group's frame, the point kept for it in the group's layer.
    ``search``: no gates to follow, only the sides; the path is searched
    round the blocks (an edge from one row of a wrapped layout to the next)."""

    gates: tuple[tuple[Point, Point], ...]
    sides: tuple[str, str]
    ends: tuple[Point | None, Point | None] = (None, None)
    search: bool = False


class RoutedEdge(Record):
    drawn: DrawnEdge
    path: ScenePath  # trimmed under its heads
    heads: tuple[tuple[Point, ...], ...]
    points: tuple[Point, ...]  # the whole path, flattened, for labels and checks
    label_spots: tuple[Point, ...] = ()  # where its label should go when its shape decides (by a loop's apex)


class EdgeStyle(Record):
    margin: float  # clearance kept around blocks
    radius: float  # corner radius of orthogonal routes
    head_length: float
    head_width: float
    port_spacing: float
    port_inset: float  # between a side's outermost port and the side's end
    flow_vertical: bool


def expand(edges: Sequence[Edge]) -> list[DrawnEdge]:
    out: list[DrawnEdge] = []
    for mi, e in enumerate(edges):
        for s in e.sources:
            for t in e.targets:
                out.append(new(DrawnEdge, (len(out), mi, s, t, e)))
    return out


def follows_guide(edge: Edge) -> bool:
    """Whether an edge of an automatic layout is drawn through the room the
    layout reserved for it: unless its author asked for a route, a bend or sides."""
    return edge.route in ("auto", "curved") and not edge.bend and edge.from_side == edge.to_side == "auto"


class Loop(Record):
    """One self-loop, relative to its side: an arc of the ellipse centred ``offset`` out of
    the side's middle, with half-axes ``depth - offset`` (outward) and ``bulge`` (along the side),
    from one port round its apex to the other."""

    side: str
    span: float  # distance between its two ports along the side
    depth: float  # distance from the side (of the block's box) to the apex
    label: tuple[float, float]  # its label's pill (width, height); (0, 0) without one
    offset: float = 0.0  # 0: a half ellipse, square to the side at its ports
    bulge: float = 0.0  # half-width of the ellipse along the side (span / 2 for a half ellipse)

    @property
    def across(self) -> float:
        """The label's extent away from the side."""
        return self.label[0] if self.side in ("left", "right") else self.label[1]

    @property
    def along(self) -> float:
        """The label's extent along the side."""
        return self.label[1] if self.side in ("left", "right") else self.label[0]

    @property
    def reach(self) -> float:
        """How far the loop and its label stand out of the block."""
        return self.depth + self.across


class Room(Record):
    """Room a block's loops take: before and after it along its layer, and its least thickness across."""

    before: float
    after: float
    thickness: float


class GroupTree(Record):
    """Who is in which group, built once per layout (``group_tree``)."""

    blocks: dict[str, tuple[str, ...]]  # group id → its own blocks (not its subgroups')
    parent: dict[str, str]  # group id → enclosing group id
    of_block: dict[str, str]  # block id → the innermost group holding it
    within: dict[str, list[str]]  # group id → its blocks and those of the groups nested in it, however deep
    inner_first: tuple[str, ...]  # group ids, innermost first (the description's order among equals)
    outer_first: tuple[str, ...]  # group ids, outermost first: drawing order


def group_tree(model: DiagramModel) -> GroupTree:
    """The groups of ``model``: ``[[group]] blocks``, each block's ``group`` and each group's ``group``."""
    own: dict[str, list[str]] = {g.id: list(g.blocks) for g in model.groups}
    for b in model.blocks:
        if b.group and b.group in own and b.id not in own[b.group]:
            own[b.group].append(b.id)
    parent = {g.id: g.group for g in model.groups if g.group}
    of_block = {block: gid for gid, blocks in own.items() for block in blocks}
    inner_first = tuple(sorted(own, key=lambda g: -depth(g, parent)))
    within = {group: list(blocks) for group, blocks in own.items()}
    for group in inner_first:
        holder = parent.get(group)
        if holder in within and holder != group:
            within[holder] += within[group]
    outer_first = tuple(sorted(own, key=lambda g: depth(g, parent)))
    return GroupTree({k: tuple(v) for k, v in own.items()}, parent, of_block, within, inner_first, outer_first)


def depth(group: str, parent: dict[str, str]) -> int:
    """How many groups enclose ``group`` (cycles stop the count)."""
    seen = {group}
    n = 0
    while group in parent and parent[group] not in seen:
        group = parent[group]
        seen.add(group)
        n += 1
    return n


class AutoLayout(Record):
    centres: dict[str, tuple[float, float]]
    guides: dict[int, Guide]  # by drawn edge number
    bands: dict[str, tuple[float, float]]  # each block's layer band along the flow axis
    labels: dict[int, Point]  # centre reserved for the label a drawn edge carries
    captions: dict[str, tuple[float, float]]  # group -> the x span kept for its label (``captions`` asked)


class Placement(Record):
    """Where blocks and notes went; for automatic layout, the edges' guides too."""

    boxes: dict[str, Box]
    texts: dict[str, TextStack]
    notes: tuple[SceneNote, ...]
    row_bands: dict[int, tuple[float, float]]
    guides: dict[int, Guide]
    bands: dict[str, tuple[float, float]]
    label_spots: dict[int, Point]
    held: dict[str, list[Box]]  # per group: reserved labels and bends of automatic edges inside it, and loops
    loops: dict[int, Loop]  # by drawn edge number, for edges from a block to itself
    captions: dict[str, tuple[float, float]]  # group -> x span automatic layout kept for its label


class Arranged(Record):
    """One arrangement: blocks placed, frames drawn round them, row labels in the margin, edges routed."""

    placement: Placement
    groups: list[SceneGroup]
    row_labels: list[SceneRowLabel]
    routed: list[RoutedEdge]
