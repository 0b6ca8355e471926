"""Values that flow into, between and out of the layered-layout phases."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["LEFT", "RIGHT", "LayerGraph", "LayeredEdge", "LayeredNode", "LayeredResult", "Point"]

Point = tuple[float, float]


@dataclass(frozen=True)
class LayeredNode:
    """A box to place: its size, and optionally its layer and its cluster."""

    id: str
    width: float
    height: float
    rank: int | None = None  # author-fixed layer; nodes of equal rank share a layer
    group: str | None = None  # innermost cluster: its box over the layers it spans holds only its members
    # free space kept before and after the box along its layer (left and right for TB and BT, above and
    # below for LR and RL), as dot widens a node for its self-loops; the centre stays the box's
    room: tuple[float, float] = (0.0, 0.0)
    # whether the input order is the author's: the ordering keeps it wherever crossings allow (False for
    # helper nodes such as an edge's label node, which go wherever their edges do)
    ordered: bool = True


@dataclass(frozen=True)
class LayeredEdge:
    """A directed connection; the layout tries to make it point down the layers.

    Either end may name a cluster (a node's ``group``, or one enclosing it)
    instead of a node: the edge then ends on the cluster's border.
    """

    source: str
    target: str
    minlen: int = 1  # the fewest layers it spans, at least 1 (dot's minlen)


@dataclass(frozen=True)
class LayeredResult:
    """Where everything went. y grows downward; the bounding box starts at (0, 0)."""

    centres: dict[str, Point]  # node id -> centre
    bends: tuple[tuple[Point, ...], ...]  # per input edge: interior points, source to target
    ranks: dict[str, int]  # node id -> final layer index
    width: float
    height: float
    # (input edge, 0 for its source / 1 for its target) -> for an end naming a cluster, the centre of
    # the member that stands for it, in the cluster's rank facing the other end, and that rank.
    # An edge whose cluster end has no entry shares ranks with its other end: it has no layered route.
    ends: dict[tuple[int, int], tuple[Point, int]] = field(default_factory=dict)
    # cluster -> the span of x, in the turned drawing, kept for its caption in its top-left rank
    captions: dict[str, tuple[float, float]] = field(default_factory=dict)
    # layers per row when the layout was wrapped (0: one row): an edge between ranks r0 and r1 with
    # r0 // wrap != r1 // wrap joins two rows, and its bends are no route
    wrap: int = 0


LEFT, RIGHT = 1, 2  # sides of a cluster's border nodes


@dataclass
class LayerGraph:
    """One connected component as a proper layered graph, top to bottom.

    Nodes ``0 .. real_count - 1`` are the component's own nodes; the others
    are dummies that split long edges so that every link joins consecutive
    layers, then the clusters' border nodes (no links; ``side`` says which
    border). Links are listed once per edge, so multi-edges weigh more.
    """

    real_count: int
    layer: list[int]  # layer of every node, 0 = the component's top layer
    breadth: list[float]  # extent along the layer (0 for dummies and borders)
    group: list[int]  # innermost cluster index, or -1 for none
    up: list[list[int]]  # neighbours in the layer above
    down: list[list[int]]  # neighbours in the layer below
    chains: list[list[int]]  # per edge: its dummies, top to bottom
    parent: list[int] = field(default_factory=list)  # per cluster index: the enclosing cluster, or -1
    side: list[int] = field(default_factory=list)  # per node: 0, or LEFT / RIGHT for a border node
    flat: list[tuple[int, int]] = field(default_factory=list)  # edges within one layer, as (source, target)
    room: dict[int, tuple[float, float]] = field(default_factory=dict)  # free space before / after a node
    leading: set[int] = field(default_factory=set)  # nodes kept first in their cluster (captions)
    free: set[int] = field(default_factory=set)  # real nodes with no place in the input order (label nodes)

    def reach(self, v: int) -> tuple[float, float]:
        """How far node ``v`` takes up its layer before and after its centre."""
        before, after = self.room.get(v, (0.0, 0.0))
        half = self.breadth[v] / 2
        return half + before, half + after

    @property
    def count(self) -> int:
        return len(self.layer)

    @property
    def layer_count(self) -> int:
        return max(self.layer) + 1 if self.layer else 0
