"""Block placement, the conductor: the author's part, then the automatic part beside it.

What the author placed (grid cells, x/y; blocks and notes: ``place_grid``)
is placed first and stays put; the automatic blocks are laid out on their
own (``place_auto``) and set beside it, across the flow, so the two parts
never overlap. An automatic block joined only to grid blocks (a satellite)
is given a grid cell level with them first (``_with_satellites``). Loops are
planned before either, so automatic layout keeps room for them; notes the
author did not place go under everything.

Pre: a validated model, measured; its group tree. Post: a box for every
block, the text stack each block holds, notes as scene notes, and the
vertical band of each grid row; no automatic block (or its group frame, or
reserved label) overlaps anything the author placed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from svgarch.geometry import Box, Point, bounding_box, points_box
from svgarch.layout.grid import Grid
from svgarch.layout.groups import common_group, group_frames
from svgarch.layout.loops import chosen_side, loop_box, plan_loops
from svgarch.layout.place_auto import label_sizes, place_automatic, room_for_ports
from svgarch.layout.place_grid import LABEL_CLEARANCE, has_position, place_authors
from svgarch.layout.timing import phase
from svgarch.layout.types import AutoLayout, DrawnEdge, GroupTree, Guide, Loop, Placement
from svgarch.measure import BlockSize, Measured
from svgarch.model import Block, DiagramModel
from svgarch.scene import SceneNote


def place_blocks(
    model: DiagramModel,
    measured: Measured,
    tree: GroupTree,
    drawn: Sequence[DrawnEdge],
    captions: frozenset[str] = frozenset(),
) -> Placement:
    """Boxes for blocks and notes; automatic layout keeps room at the top left of the ``captions``
    groups' frames for their labels, where no edge runs."""
    spacing = measured.spacing
    sizes = dict(measured.blocks)
    note_text = dict(enumerate(measured.notes))
    model = _with_satellites(model, tree)
    boxes, grid = place_authors(model, measured, tree, sizes, note_text)
    unplaced = [b for b in model.blocks if not has_position(b)]
    sizes.update(room_for_ports(unplaced, sizes, drawn, model.direction, spacing, measured.shapes))
    pills = label_sizes(drawn, measured)
    loops = plan_loops(
        [(d.number, d.source, chosen_side(d.edge.from_side, d.edge.to_side)) for d in drawn if d.source == d.target],
        {b.id: (sizes[b.id].width, sizes[b.id].height) for b in model.blocks},
        measured.shapes,
        pills,
        model.direction in ("TB", "BT"),
    )
    auto = None
    if unplaced:
        with phase("layout.place.automatic"):
            ends = _grid_ends(model, unplaced, drawn, grid)
            auto = place_automatic(model, tree, unplaced, sizes, drawn, measured, pills, loops, captions, ends)
            if ends and _flattened(auto, drawn):  # the grid leaves too few layers for the part between: as if alone
                auto = place_automatic(model, tree, unplaced, sizes, drawn, measured, pills, loops, captions)
        if boxes:
            auto = _beside(model, measured, tree, auto, sizes, drawn, boxes, pills, loops)
    held: dict[str, list[Box]] = {}
    if auto is not None:
        held = _held_by_groups(model, tree, drawn, auto.guides, auto.labels, measured)
        for b in unplaced:
            boxes[f"b:{b.id}"] = Box.around(*auto.centres[b.id], sizes[b.id].width, sizes[b.id].height)
    beside = {n: loop_box(boxes[f"b:{drawn[n].source}"], loop) for n, loop in loops.items()}
    members = tree.of_block
    for number, around in beside.items():
        if drawn[number].source in members:
            held.setdefault(members[drawn[number].source], []).append(around)

    # notes the author did not place go under everything, one per line, from its left edge
    below = max((bx.bottom for bx in [*boxes.values(), *beside.values()]), default=0.0)
    below += spacing.gap_row / 2
    left = min((bx.x for bx in boxes.values()), default=0.0)
    notes = []
    for i, n in enumerate(model.notes):
        box = boxes.get(f"n:{i}")
        if box is None:
            box = Box(left, below, note_text[i].width, note_text[i].height)
            below = box.bottom + 8
        notes.append(SceneNote(n.kind, box, note_text[i].place(box.cx, box.y)))
    return Placement(
        boxes={b.id: boxes[f"b:{b.id}"] for b in model.blocks},
        texts={b.id: sizes[b.id].text for b in model.blocks},
        notes=tuple(notes),
        guides=auto.guides if auto else {},
        bands=auto.bands if auto else {},
        label_spots=auto.labels if auto else {},
        held=held,
        loops=loops,
        captions=auto.captions if auto else {},
        row_bands={r: grid.row_band(r) for r in range(len(grid.row_y))},
    )


def _grid_ends(
    model: DiagramModel, unplaced: Sequence[Block], drawn: Sequence[DrawnEdge], grid: Grid
) -> list[tuple[str, int, bool]]:
    """The edges between the automatic part and grid cells, as ``auto.auto_layout`` takes them: the
    automatic end, the grid end's step along the flow (its row for TB and BT, its column for LR and
    RL, counted from the grid's side the flow starts on), whether the grid end is the source. None
    at all when the author placed anything by x/y."""
    if any(b.x is not None for b in model.blocks) or any(n.x is not None for n in model.notes):
        return []
    vertical = model.direction in ("TB", "BT")
    count = len(grid.row_y if vertical else grid.col_x)
    back = model.direction in ("BT", "RL")

    def step(i: int) -> int:
        return count - 1 - i if back else i

    spans = {
        b.id: (b.row, b.rowspan) if vertical else (b.col, b.colspan)
        for b in model.blocks
        if b.row is not None and b.col is not None
    }
    automatic = {b.id for b in unplaced}
    ends: list[tuple[str, int, bool]] = []
    for d in drawn:
        if d.source == d.target:
            continue
        if d.source in spans and d.target in automatic:  # from the grid: below (past) its last step
            first, n = spans[d.source]
            ends.append((d.target, max(step(first), step(first + n - 1)), True))
        elif d.target in spans and d.source in automatic:  # into the grid: above (before) its first step
            first, n = spans[d.target]
            ends.append((d.source, min(step(first), step(first + n - 1)), False))
    return ends


def _flattened(auto: AutoLayout, drawn: Sequence[DrawnEdge]) -> bool:
    """Whether an edge between two automatic blocks came out flat (both ends on one layer): ranked
    against the grid's stand-ins, a path between two grid rows needs more layers than the rows leave."""
    bands = auto.bands
    return any(
        d.source != d.target and d.source in bands and d.target in bands and bands[d.source] == bands[d.target]
        for d in drawn
    )


def _with_satellites(model: DiagramModel, tree: GroupTree) -> DiagramModel:
    """``model`` with every satellite of the grid given a grid cell of its own.

    A satellite is an automatic block in no group whose edges (one at least)
    all join blocks on grid cells: laid out with the automatic part, beside
    the grid, its edges would run across everything between (a grad clipping
    step between a pinned loss and optimizer). It goes level with its
    neighbours instead, in the first free cell past the grid's last column
    (TB, BT) or row (LR, RL), on the row (column) of its first neighbour in
    the flow; the automatic part is then set beside the widened grid.
    """
    cells = {b.id: (b.row, b.col) for b in model.blocks if b.row is not None and b.col is not None}
    absolute = any(b.x is not None for b in model.blocks) or any(n.x is not None for n in model.notes)  # x/y: anywhere
    if not cells or len(cells) == len(model.blocks) or absolute:
        return model
    ends: dict[str, list[str]] = {}
    for e in model.edges:
        for s in e.sources:
            for t in e.targets:
                ends.setdefault(s, []).append(t)
                ends.setdefault(t, []).append(s)
    vertical = model.direction in ("TB", "BT")
    taken: set[tuple[int, int]] = set()
    for b in model.blocks:  # every cell a spanning block covers, and the grid's notes
        if b.row is not None and b.col is not None:
            taken |= {(r, c) for r in range(b.row, b.row + b.rowspan) for c in range(b.col, b.col + b.colspan)}
    for n in model.notes:
        if n.row is not None and n.col is not None:
            taken |= {(n.row, c) for c in range(n.col, n.col + n.colspan)}
    beyond = max(rc[1 if vertical else 0] for rc in taken) + 1
    placed: dict[str, tuple[int, int]] = {}
    for b in model.blocks:
        around = ends.get(b.id, [])
        if has_position(b) or b.id in tree.of_block or not around or not all(a in cells for a in around):
            continue
        level = min(cells[a][0 if vertical else 1] for a in around)
        for far in itertools.count(beyond):
            cell = (level, far) if vertical else (far, level)
            if cell not in taken:
                break
        taken.add(cell)
        placed[b.id] = cell
    if not placed:
        return model
    blocks = tuple(b._replace(row=placed[b.id][0], col=placed[b.id][1]) if b.id in placed else b for b in model.blocks)
    return model._replace(blocks=blocks)


def _held_by_groups(
    model: DiagramModel,
    tree: GroupTree,
    drawn: Sequence[DrawnEdge],
    guides: dict[int, Guide],
    label_spots: dict[int, Point],
    measured: Measured,
) -> dict[str, list[Box]]:
    """Reserved labels and bends of edges that run inside a group."""
    if not model.groups:
        return {}
    held: dict[str, list[Box]] = {}
    for d in drawn:
        group = common_group(tree, d.source, d.target)
        if group is None:
            continue
        guide = guides.get(d.number)
        if guide is not None:
            held.setdefault(group, []).extend(points_box(gate) for gate in guide.gates)
        spot = label_spots.get(d.number)
        if spot is not None:
            held.setdefault(group, []).append(Box.around(spot.x, spot.y, *measured.pills[d.model_index]))
    return held


def _beside(
    model: DiagramModel,
    measured: Measured,
    tree: GroupTree,
    auto: AutoLayout,
    sizes: dict[str, BlockSize],
    drawn: Sequence[DrawnEdge],
    authors: dict[str, Box],
    pills: dict[int, tuple[float, float]],
    loops: dict[int, Loop],
) -> AutoLayout:
    """The automatic part moved clear of the author's part, across the flow
    (right of it for TB and BT, below it for LR and RL, so both parts run
    side by side), a grid gap apart (wider if a labelled edge crosses it),
    tops aligned (TB, BT) or left edges aligned (LR, RL); group frames (with
    the room kept for their captions) and reserved labels and bends count on both sides."""
    from svgarch.layout.auto import moved

    placed = {key[2:]: box for key, box in authors.items() if key.startswith("b:")}
    mine = {b: Box.around(*c, sizes[b].width, sizes[b].height) for b, c in auto.centres.items()}
    reserved = [Box.around(p.x, p.y, *pills[n]) for n, p in auto.labels.items()]
    reserved += [points_box(pair) for g in auto.guides.values() for pair in g.gates]
    reserved += [loop_box(mine[drawn[n].source], loop) for n, loop in loops.items() if drawn[n].source in mine]
    held = _held_by_groups(model, tree, drawn, auto.guides, auto.labels, measured)
    theirs = _with_frames(model, measured, tree, placed, list(authors.values()), {}, {})
    # a caption's room lies left of its frame's blocks: left out, the frame drawn round it reaches over the grid
    ours = _with_frames(model, measured, tree, mine, list(mine.values()) + reserved, held, auto.captions)
    vertical = model.direction in ("TB", "BT")
    gap = measured.spacing.gap_col if vertical else measured.spacing.gap_row
    head = measured.spacing.head_length
    for d in drawn:  # a labelled edge between the parts may need the gap for its label, as in the grid
        if d.edge.label and (d.source in mine) != (d.target in mine):
            text = measured.labels[d.model_index]
            gap = max(gap, (text.width if vertical else text.height) + head + LABEL_CLEARANCE)
    if vertical:
        return moved(auto, theirs.right + gap - ours.x, theirs.y - ours.y, model.direction)
    return moved(auto, theirs.x - ours.x, theirs.bottom + gap - ours.y, model.direction)


def _with_frames(
    model: DiagramModel,
    measured: Measured,
    tree: GroupTree,
    blocks: dict[str, Box],
    boxes: list[Box],
    held: dict[str, list[Box]],
    captions: dict[str, tuple[float, float]],
) -> Box:
    """The box around ``boxes`` and the frames of the groups of ``blocks``, drawn as they will be
    (holding what ``held`` adds and the room kept for their ``captions``)."""
    frames = group_frames(model, blocks, measured, tree, held, captions) if model.groups else []
    return bounding_box(boxes + [f.box for f in frames])
