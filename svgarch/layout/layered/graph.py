"""Values that flow into, between and out of the layered-layout phases.

Records (svgarch.record) and one plain class, not dataclasses: importing
``dataclasses`` (and ``inspect``) and generating the code of the layered
package's nine classes took some 20 ms of every automatic layout's process.
"""

from __future__ import annotations

from svgarch.record import Record

__all__ = ["LEFT", "RIGHT", "LayerGraph", "LayeredEdge", "LayeredNode", "LayeredResult", "Point"]

Point = tuple[float, float]


class LayeredNode(Record):
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


class LayeredEdge(Record):
    """A directed connection; the layout tries to make it point down the layers.

    Either end may name a cluster (a node's ``group``, or one enclosing it)
    instead of a node: the edge then ends on the cluster's border.
    """

    source: str
    target: str
    minlen: int = 1  # the fewest layers it spans, at least 1 (dot's minlen)


class LayeredResult(Record):
    """Where everything went. y grows downward; the bounding box starts at (0, 0)."""

    centres: dict[str, Point]  # node id -> centre
    bends: tuple[tuple[Point, ...], ...]  # per input edge: interior points, source to target
    ranks: dict[str, int]  # node id -> final layer index
    width: float
    height: float
    # (input edge, 0 for its source / 1 for its target) -> for an end naming a cluster, the centre of
    # the member that stands for it, in the cluster's rank facing the other end, and that rank.
    # An edge whose cluster end has no entry shares ranks with its other end: it has no layered route.
    ends: dict[tuple[int, int], tuple[Point, int]]
    # cluster -> the span of x, in the turned drawing, kept for its caption in its top-left rank
    captions: dict[str, tuple[float, float]]
    # layers per row when the layout was wrapped (0: one row): an edge between ranks r0 and r1 with
    # r0 // wrap != r1 // wrap joins two rows, and its bends are no route
    wrap: int = 0


LEFT, RIGHT = 1, 2  # sides of a cluster's border nodes


class LayerGraph:
    """One connected component as a proper layered graph, top to bottom.

    Nodes ``0 .. real_count - 1`` are the component's own nodes; the others
    are dummies that split long edges so that every link joins consecutive
    layers, then the clusters' border nodes (no links; ``side`` says which
    border). Links are listed once per edge, so multi-edges weigh more.
    """

    __slots__ = ("breadth", "chains", "down", "flat", "free", "group", "layer", "leading", "parent", "real_count",
                 "room", "side", "up")  # fmt: skip

    def __init__(
        self,
        real_count: int,
        layer: list[int],
        breadth: list[float],
        group: list[int],
        up: list[list[int]],
        down: list[list[int]],
        chains: list[list[int]],
        parent: list[int] | None = None,
        side: list[int] | None = None,
        flat: list[tuple[int, int]] | None = None,
        room: dict[int, tuple[float, float]] | None = None,
        leading: set[int] | None = None,
        free: set[int] | None = None,
    ) -> None:
        self.real_count = real_count
        self.layer = layer  # layer of every node, 0 = the component's top layer
        self.breadth = breadth  # extent along the layer (0 for dummies and borders)
        self.group = group  # innermost cluster index, or -1 for none
        self.up = up  # neighbours in the layer above
        self.down = down  # neighbours in the layer below
        self.chains = chains  # per edge: its dummies, top to bottom
        self.parent: list[int] = [] if parent is None else parent  # per cluster index: the enclosing one, or -1
        self.side: list[int] = [] if side is None else side  # per node: 0, or LEFT / RIGHT for a border node
        self.flat: list[tuple[int, int]] = [] if flat is None else flat  # edges within one layer, (source, target)
        self.room: dict[int, tuple[float, float]] = {} if room is None else room  # free space before / after a node
        self.leading: set[int] = set() if leading is None else leading  # nodes kept first in their cluster (captions)
        self.free: set[int] = set() if free is None else free  # real nodes with no place in the input order

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
