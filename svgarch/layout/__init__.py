"""Layout: from a measured model to a Scene, as a list of phases.

    group tree → arrange (place blocks: grid / absolute / layered → frame
    groups → row labels → route edges (and where one went round behind the row
    labels, route again with them a lane apart) → free group labels; again, keeping
    room for labels no place was free for) → label edges (and where routes
    ran through the label of a straight edge, route again round it) → assemble
    the scene

Each phase is a module: ``place`` (with ``place_grid`` and ``place_auto``,
the engine in ``auto`` and ``layered/``), ``groups``, ``furniture``,
``edges`` (``ports``, ``orthogonal``, ``corners``, ``paths``, ``loops``), ``labels``,
``assemble``; the values they hand each other are in ``types``, the spatial
indexes in ``spatial``. ``timing`` times the phases when asked
(``SVGARCH_TIMING=1``).

Pre: a validated model and its ``Measured``. Post: a Scene; the model is not
changed. Layout reads nothing of the theme or the fonts but ``Measured``.
"""

from __future__ import annotations

from collections.abc import Sequence

from svgarch.geometry import Box, Point, bounding_box
from svgarch.layout import furniture, lined
from svgarch.layout.assemble import assemble
from svgarch.layout.edges import route_edges
from svgarch.layout.groups import free_labels, group_frames, growable, too_narrow
from svgarch.layout.labels import label_requests, place_labels
from svgarch.layout.place import place_blocks
from svgarch.layout.place_auto import automatic_groups
from svgarch.layout.spatial import SegmentIndex
from svgarch.layout.timing import phase, report
from svgarch.layout.types import (
    Arranged,
    DrawnEdge,
    EdgeStyle,
    GroupTree,
    Placement,
    RoutedEdge,
    expand,
    group_tree,
)
from svgarch.measure import Measured, Spacing
from svgarch.model import DiagramModel
from svgarch.scene import Pill, Scene, SceneGroup

TYPE_CHECKING = False
if TYPE_CHECKING:
    from svgarch.layout.shortcut import Searches

# layouts tried at most, each keeping room for the labels edges crossed in the one before (room kept for a
# caption moves the blocks, and frames grown in one layout grow again in the next: captions twice, then growth)
ATTEMPTS = 4
MARGIN = 12.0  # clearance routes keep round blocks
LABEL_END = 12.0  # px a label kept on a straight edge stays from the block at its end
CLEAR_ROUNDS = 3  # routings again round the labels of straight edges that routes ran through, at most


def layout(model: DiagramModel, measured: Measured, diagram_id: str) -> Scene:
    """The scene of ``model``, its text sized by ``measured``, its root element ``diagram_id``."""
    with report():
        tree = group_tree(model)
        drawn = expand(model.edges)
        known: Searches = {}  # the shortest ways searched, kept for every routing of the picture (``shortcut``)
        with phase("layout.arrange"):
            style = edge_style(measured.spacing, model.direction)
            arranged = _arrange(model, measured, tree, drawn, style, known)
        with phase("layout.labels"):
            pills, edge_index = _label_edges(model, measured, arranged, arranged.placement.label_spots)
            arranged, pills, edge_index = _clear_labels(
                model, measured, drawn, style, arranged, pills, edge_index, known
            )
        with phase("layout.assemble"):
            return assemble(model, measured, arranged, pills, edge_index, diagram_id)


def edge_style(spacing: Spacing, direction: str) -> EdgeStyle:
    return EdgeStyle(
        margin=MARGIN,
        radius=spacing.route_radius,
        head_length=spacing.head_length,
        head_width=spacing.head_width,
        port_spacing=spacing.port_spread,
        port_inset=spacing.port_inset,
        flow_vertical=direction in ("TB", "BT"),
    )


def _arrange(
    model: DiagramModel,
    measured: Measured,
    tree: GroupTree,
    drawn: list[DrawnEdge],
    style: EdgeStyle,
    known: Searches,
) -> Arranged:
    """Blocks placed, frames drawn, edges routed; group labels where no edge runs.

    A group's label moves along its frame's top to where no edge runs. Where there is no such place,
    the frame grows sideways to hold it beside the edges, if that takes in no other block or frame;
    else automatic layout runs again keeping room for it at the frame's top left (a caption)."""
    automatic = automatic_groups(model, tree)
    captions: frozenset[str] = frozenset()
    grown: dict[str, tuple[float, float]] = {}
    placed: dict[frozenset[str], Placement] = {}  # by captions: an attempt that only grows frames moves no block
    for _ in range(ATTEMPTS):
        arranged = _arranged(model, measured, tree, drawn, style, captions, grown, placed, known)
        groups, crossed = free_labels(arranged.groups, (r.points for r in arranged.routed))
        arranged = arranged._replace(groups=groups)
        spans = {g: s for g, s in crossed.items() if g not in grown}
        grow = growable(tree, arranged.placement.boxes, groups, spans, arranged.routed)
        narrow = too_narrow(tree, arranged.placement.boxes, groups, measured)  # a label wider than its blocks
        more = ((crossed.keys() - grow.keys()) | narrow) & automatic - captions
        if not more and not grow:
            break
        # a grown frame's span is a place in this arrangement: new captions move the blocks, and a span kept
        # from before would stretch its frame over where they were (and over its neighbours' frames)
        grown = grown | grow if not more else {}
        captions |= more
    return arranged


def _arranged(
    model: DiagramModel,
    measured: Measured,
    tree: GroupTree,
    drawn: list[DrawnEdge],
    style: EdgeStyle,
    captions: frozenset[str],
    grown: dict[str, tuple[float, float]],
    placed: dict[frozenset[str], Placement],
    known: Searches,
) -> Arranged:
    """One arrangement. Automatic layout keeps room for the labels of the ``captions`` groups; the
    frames of ``grown`` groups reach out to hold their label where it is given. ``placed``: the blocks as
    placed for each set of captions so far (placing reads nothing else that an attempt changes); ``known``: the
    shortest ways searched so far (``shortcut.Searches``)."""
    with phase("layout.place"):
        placement = placed.get(captions)
        if placement is None:
            placement = placed[captions] = place_blocks(model, measured, tree, drawn, captions)
    boxes = placement.boxes
    with phase("layout.frames"):
        groups = group_frames(model, boxes, measured, tree, placement.held, {**placement.captions, **grown})
    # row labels sit left of the blocks (and frames) before routing, so edges and labels avoid them
    row_labels = furniture.place_row_labels(model, measured, placement.row_bands, _left(placement, groups), lane=False)
    with phase("layout.route"):
        return _route(model, measured, drawn, style, Arranged(placement, groups, row_labels, []), {}, known)


def _left(placement: Placement, groups: Sequence[SceneGroup]) -> float:
    """Where the content begins on the left: its blocks, frames and notes."""
    return bounding_box(list(placement.boxes.values()) + [g.box for g in groups] + [n.box for n in placement.notes]).x


def _route(
    model: DiagramModel,
    measured: Measured,
    drawn: list[DrawnEdge],
    style: EdgeStyle,
    arranged: Arranged,
    kept: dict[int, Box],
    known: Searches,
) -> Arranged:
    """The arrangement with its edges routed (``_routed``). Where a route went round behind the row labels
    (they stood in the way of the content's side), the row labels stand a lane apart from the content and
    the edges are routed again, to run down that lane."""
    routed, moved = _routed(measured, drawn, style, arranged, kept, known)
    if not furniture.passed_behind(arranged.row_labels, [r.points for r in routed]):
        return _with_spots(arranged._replace(routed=routed), moved)
    left = _left(arranged.placement, arranged.groups)
    row_labels = furniture.place_row_labels(model, measured, arranged.placement.row_bands, left, lane=True)
    if row_labels == arranged.row_labels:  # they stand apart already
        return _with_spots(arranged._replace(routed=routed), moved)
    aside = arranged._replace(row_labels=row_labels)
    routed, moved = _routed(measured, drawn, style, aside, kept, known)
    return _with_spots(aside._replace(routed=routed), moved)


def _with_spots(arranged: Arranged, moved: dict[int, Point | None]) -> Arranged:
    """The arrangement with the label spots routing moved onto their straight edges (``lined``); a spot
    its edge was not drawn through after all is dropped (the label goes along the edge as drawn)."""
    if not moved:
        return arranged
    placement = arranged.placement
    spots = {n: p for n, p in (placement.label_spots | moved).items() if p is not None}
    return arranged._replace(placement=placement._replace(label_spots=spots))


def _routed(
    measured: Measured,
    drawn: list[DrawnEdge],
    style: EdgeStyle,
    arranged: Arranged,
    kept: dict[int, Box],
    known: Searches,
) -> tuple[list[RoutedEdge], dict[int, Point | None]]:
    """The edges routed among the arrangement's blocks and furniture, round the label boxes automatic
    layout kept and the ones in ``kept`` (by drawn edge); and the label spots moved onto their edges
    (``lined``), kept only where those routes are better than the ones with the labels where they were."""
    placement, groups = arranged.placement, arranged.groups
    moved: dict[int, Point | None] = {}
    labels = {
        n: Box.around(p.x, p.y, *measured.pills[drawn[n].model_index]) for n, p in placement.label_spots.items()
    } | kept

    def route(lined_up: dict[int, Point | None] | None) -> list[RoutedEdge]:
        return route_edges(
            drawn,
            placement.boxes,
            _furniture(arranged),
            style,
            measured.head_scales,
            placement.guides,
            placement.bands,
            {g.id: g.box for g in groups},
            measured.shapes,
            placement.loops,
            labels,
            lined_up,
            known,
        )

    routed = route(moved)
    if not moved:  # no label to line up: routed as ever
        return routed, {}
    plain = route(None)
    if any(p is not None for p in moved.values()) and lined.better(routed, plain, labels, moved):
        return routed, moved
    return plain, {}


def _label_edges(
    model: DiagramModel, measured: Measured, arranged: Arranged, spots: dict[int, Point]
) -> tuple[dict[int, Pill], SegmentIndex]:
    """A pill for each labelled description edge (at its spot in ``spots``, by drawn edge, if it has one),
    clear of blocks, notes, frames' labels, row labels and other edges; and the routes indexed (the legend
    looks for room among them too)."""
    edge_index = SegmentIndex()
    for r in arranged.routed:
        edge_index.add(r.drawn.number, r.points)
    requests, owners = label_requests(model, arranged.routed, measured, spots)
    pills = place_labels(requests, list(arranged.placement.boxes.values()), _furniture(arranged), edge_index)
    return dict(zip(owners, pills, strict=True)), edge_index


def _furniture(arranged: Arranged) -> list[Box]:
    """What edges and their labels keep clear of besides blocks: notes, frames' labels, row labels."""
    placement, groups, row_labels = arranged.placement, arranged.groups, arranged.row_labels
    obstacles = [n.box for n in placement.notes] + [g.label.box for g in groups if g.label]
    return obstacles + [furniture.row_label_box(rl) for rl in row_labels]


def _clear_labels(
    model: DiagramModel,
    measured: Measured,
    drawn: list[DrawnEdge],
    style: EdgeStyle,
    arranged: Arranged,
    pills: dict[int, Pill],
    edge_index: SegmentIndex,
    known: Searches,
) -> tuple[Arranged, dict[int, Pill], SegmentIndex]:
    """Where another edge runs through the label of a straight edge (a short one's label has nowhere
    else to go), the edges routed again round those labels, each kept where it is, and again for the
    labels the new routes run through (``CLEAR_ROUNDS`` at most); the routes and labels with the
    fewest labels run through."""
    best = now = (arranged, pills, edge_index)
    fewest = _collisions(drawn, *now)
    kept: dict[int, Box] = {}
    for _ in range(CLEAR_ROUNDS):
        more = {n: box for n, box in _run_through(drawn, *now).items() if n not in kept} if fewest else {}
        if not more:
            break
        kept |= more
        again = _route(model, measured, drawn, style, now[0], kept, known)  # row labels as they last stood
        spots = arranged.placement.label_spots | {n: Point(box.cx, box.cy) for n, box in kept.items()}
        now = (again, *_label_edges(model, measured, again, spots))
        count = _collisions(drawn, *now)
        if count < fewest:
            best, fewest = now, count
    return best


def _owned(drawn: list[DrawnEdge], pills: dict[int, Pill]) -> list[tuple[Pill, list[int]]]:
    """Each pill and the drawn edges it labels."""
    owners: dict[int, list[int]] = {}
    for d in drawn:
        owners.setdefault(d.model_index, []).append(d.number)
    return [(pills[mi], owners[mi]) for mi in sorted(pills)]


def _run_through(
    drawn: list[DrawnEdge], arranged: Arranged, pills: dict[int, Pill], edge_index: SegmentIndex
) -> dict[int, Box]:
    """The pills (by drawn edge) of one-arrow edges drawn straight that other edges run through, each
    slid along its edge to the end at its left (top), where that leaves room: the ways past it then lie
    on one side, the same for the labels of neighbouring edges, not squeezed on both."""
    out = {}
    routed = {r.drawn.number: r for r in arranged.routed}
    for pill, own in _owned(drawn, pills):
        if len(own) != 1 or own[0] in arranged.placement.label_spots:
            continue
        points = routed[own[0]].points
        xs, ys = [p.x for p in points], [p.y for p in points]
        across = max(ys) - min(ys) < 0.5
        if not (across or max(xs) - min(xs) < 0.5) or not edge_index.owners_hitting(pill.box) - set(own):
            continue
        lo, hi = (min(xs), max(xs)) if across else (min(ys), max(ys))
        box = pill.box
        if (box.w if across else box.h) + 2 * LABEL_END <= hi - lo:
            box = box._replace(x=lo + LABEL_END) if across else box._replace(y=lo + LABEL_END)
        out[own[0]] = box
    return out


def _collisions(drawn: list[DrawnEdge], arranged: Arranged, pills: dict[int, Pill], edge_index: SegmentIndex) -> int:
    """How many (label, other edge) pairs meet."""
    return sum(len(edge_index.owners_hitting(pill.box) - set(own)) for pill, own in _owned(drawn, pills))


__all__ = ["Placement", "layout"]
