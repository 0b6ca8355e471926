"""Checks that look across the entries of a description: duplicate ids,
references to blocks and groups, grid cells, placements.

Pre: every entry's own keys are checked (:mod:`svgarch.spec.validate`).
Post: the records of the model, or problems reported for what does not fit.
"""

from __future__ import annotations

import bisect

from svgarch.model import Block, Edge, Group, Note, RowLabel
from svgarch.spec.names import show
from svgarch.spec.schema import MAX_CANVAS_AREA, MAX_CANVAS_SIDE, MAX_GRID, MAX_GROUP_DEPTH

PLACEMENT = ("row", "col", "rowspan", "colspan", "x", "y")

TYPE_CHECKING = False
if TYPE_CHECKING:  # a Protocol costs a millisecond to create, typing's import 2 ms; a render pays neither
    from typing import Any, Protocol, TypeVar

    Entries = list[tuple[str, dict[str, Any]]]  # (key path, checked fields) of each complete entry
    T = TypeVar("T")

    class Report(Protocol):
        def __call__(self, key: str, message: str, near: tuple[str, list[str]] | None = None) -> None:
            """Note a problem at ``key``; ``near`` = (word, choices) adds a suggestion, worked out only if shown."""


def _placement(e: dict[str, Any], path: str, report: Report) -> bool:
    """A grid cell, an absolute centre, or neither: never half of one or both."""
    if ("row" in e) != ("col" in e):
        report(path, "give both 'row' and 'col' (or neither)")
        return False
    if ("x" in e) != ("y" in e):
        report(path, "give both 'x' and 'y' (or neither)")
        return False
    if "row" in e and "x" in e:
        report(path, "give either 'row'/'col' or 'x'/'y', not both")
        return False
    if "row" in e and (e["row"] + e.get("rowspan", 1) > MAX_GRID or e["col"] + e.get("colspan", 1) > MAX_GRID):
        report(path, f"reaches past the grid's limit of {MAX_GRID} rows and columns")
        return False
    return True


class _Cells:
    """Which block holds which grid cells: per row, sorted column intervals."""

    def __init__(self) -> None:
        self.rows: dict[int, list[tuple[int, int, str]]] = {}

    def claim(self, row: int, col: int, rowspan: int, colspan: int, owner: str) -> tuple[int, int, str] | None:
        """Claim the cells; return (row, col, owner) of the first one already taken."""
        clash = None
        for r in range(row, row + rowspan):
            spans = self.rows.setdefault(r, [])
            i = bisect.bisect_left(spans, (col, -1, ""))
            for j in (i - 1, i):  # intervals do not overlap, so only the neighbours can
                if clash is None and 0 <= j < len(spans):
                    start, end, other = spans[j]
                    if start < col + colspan and col < end:
                        clash = (r, max(start, col), other)
            spans.insert(i, (col, col + colspan, owner))
        return clash


def blocks(entries: Entries, report: Report) -> dict[str, tuple[Block, str]]:
    """Blocks by id, each with its key path."""
    by_id: dict[str, tuple[Block, str]] = {}
    cells = _Cells()
    for path, e in entries:
        if e["id"] in by_id:
            report(f"{path}.id", f"duplicate block id '{show(e['id'])}' (first at {by_id[e['id']][1]})")
            continue
        if not e["id"].strip():
            report(f"{path}.id", "must not be empty")
            continue
        if not _placement(e, path, report):  # still a block that edges may name
            e = {k: v for k, v in e.items() if k not in PLACEMENT}
        if "row" in e:
            clash = cells.claim(e["row"], e["col"], e.get("rowspan", 1), e.get("colspan", 1), e["id"])
            if clash is not None:
                r, c, other = clash
                taken = f"grid cell (row {r}, col {c}) is already taken by block '{show(other)}'"
                report(f"{path}.row", f"block '{show(e['id'])}': {taken}")
        by_id[e["id"]] = (_made(Block, e), path)
    return by_id


def edges(
    entries: Entries,
    block_index: dict[str, tuple[Block, str]],
    group_index: dict[str, tuple[Group, str]],
    report: Report,
) -> list[Edge]:
    """Edges whose ends all name blocks or groups (an edge from a block to itself is a loop, drawn as one).

    A group end is drawn on the group's frame, so the group must frame something, and the other end must
    lie outside it: an edge between a group and a block or group inside it would run within its own frame.
    """
    names = list(block_index) + list(group_index)
    what = "block or group" if group_index else "block"
    groups = group_index.keys() - block_index.keys()  # a group named like a block is refused already
    inside = _enclosing(block_index, group_index)
    framed = {group for name in block_index for group in inside.get(name, ())}  # groups holding a block get a frame
    out = []
    for path, e in entries:
        ok = True
        for key, model_key in (("from", "sources"), ("to", "targets")):
            for name in e[model_key]:
                if name not in block_index and name not in groups:
                    report(f"{path}.{key}", f"unknown {what} '{show(name)}'", (name, names))
                    ok = False
                elif name in groups and name not in framed:
                    problem = f"group '{show(name)}' holds no blocks: it has no frame to draw the edge to"
                    report(f"{path}.{key}", problem)
                    ok = False
        if not ok:
            continue
        for source in e["sources"] if groups else ():  # (what follows concerns group ends only)
            for target in e["targets"]:
                for group, other, key in ((source, target, "to"), (target, source, "from")):
                    if group in groups and group in inside.get(other, ()):
                        kind = "group" if other in groups else "block"
                        report(
                            f"{path}.{key}",
                            f"{kind} '{show(other)}' is inside group '{show(group)}': "
                            "an edge may join a group only to what lies outside it",
                        )
                        ok = False
                if source == target and source in groups:
                    report(f"{path}.to", f"an edge from group '{show(source)}' to itself: only a block may have a loop")
                    ok = False
        if ok:
            out.append(_made(Edge, e))
    return out


_Shape = tuple[tuple[str, ...], tuple[object, ...], frozenset[str], frozenset[str]]
_SHAPES: dict[type, _Shape] = {}  # per record class: its fields, their defaults, and which are required


def _made(cls: type[T], values: dict[str, Any]) -> T:
    """``cls(**values)``: the same record, made without the call's keywords when ``values`` names only fields
    of ``cls`` and every required one (what a checked entry holds: thousands of blocks and edges)."""
    shape = _SHAPES.get(cls)
    if shape is None:
        fields: tuple[str, ...] = cls._fields  # type: ignore[attr-defined]
        defaults: dict[str, object] = cls._field_defaults  # type: ignore[attr-defined]
        fill = tuple(defaults.get(f) for f in fields)
        shape = _SHAPES[cls] = (fields, fill, frozenset(fields), frozenset(f for f in fields if f not in defaults))
    fields, fill, allowed, required = shape
    keys = values.keys()
    if keys <= allowed and required <= keys:
        return tuple.__new__(cls, tuple(map(values.get, fields, fill)))  # type: ignore[type-var]
    return cls(**values)


def _enclosing(
    block_index: dict[str, tuple[Block, str]], group_index: dict[str, tuple[Group, str]]
) -> dict[str, set[str]]:
    """Every block and group: the groups around it, however deep (nesting that loops stops the walk)."""
    holder = {name: g.id for g, _ in group_index.values() for name in g.blocks}
    holder.update({b.id: b.group for b, _ in block_index.values() if b.group in group_index})
    holder.update({g.id: g.group for g, _ in group_index.values() if g.group in group_index})
    out: dict[str, set[str]] = {}
    for name in holder:
        around: set[str] = set()
        up = holder.get(name)
        while up is not None and up not in around:
            around.add(up)
            up = holder.get(up)
        out[name] = around
    return out


def groups(entries: Entries, block_index: dict[str, tuple[Block, str]], report: Report) -> dict[str, tuple[Group, str]]:
    """Groups by id, each with its key path; nesting must name a group and must not loop.

    A group's id differs from every block id: an edge may name either.
    """
    ids, id_list = set(block_index), list(block_index)
    by_id: dict[str, tuple[Group, str]] = {}
    for path, e in entries:
        if e["id"] in by_id:
            report(f"{path}.id", f"duplicate group id '{show(e['id'])}' (first at {by_id[e['id']][1]})")
            continue
        if e["id"] in ids:
            where = block_index[e["id"]][1]
            report(f"{path}.id", f"'{show(e['id'])}' is already a block id ({where}); give the group a name of its own")
        for name in e.get("blocks", ()):
            if name not in ids:
                report(f"{path}.blocks", f"unknown block '{show(name)}'", (name, id_list))
        by_id[e["id"]] = (Group(**e), path)
    names = sorted(by_id)
    for g, path in by_id.values():
        if g.group is None:
            continue
        if g.group not in by_id:
            report(f"{path}.group", f"unknown group '{show(g.group)}'", (g.group, names))
            continue
        seen: set[str] = set()
        up: str | None = g.id
        while up is not None and up not in seen and up in by_id:
            seen.add(up)
            up = by_id[up][0].group
        if up == g.id:
            report(f"{path}.group", f"group '{show(g.id)}' would end up inside itself")
    depth = nesting_depths({g.id: g.group for g, _ in by_id.values()})
    for g, path in by_id.values():
        if depth[g.id] == MAX_GROUP_DEPTH + 1:  # the first group too deep; those inside it follow from it
            report(f"{path}.group", f"groups nest more than {MAX_GROUP_DEPTH} deep here, the limit")
    return by_id


def nesting_depths(parent: dict[str, str | None]) -> dict[str, int]:
    """How deep each group sits (1: in no group), walked without recursion; a loop counts as the top."""
    depth: dict[str, int] = {}
    for name in parent:
        chain: list[str] = []
        up: str | None = name
        while up is not None and up not in depth and up in parent and up not in chain:
            chain.append(up)
            up = parent[up]
        below = depth.get(up, 0) if up is not None else 0
        for i, link in enumerate(reversed(chain)):
            depth[link] = below + i + 1
    return depth


def block_groups(
    block_index: dict[str, tuple[Block, str]], group_index: dict[str, tuple[Group, str]], report: Report
) -> None:
    """A block's ``group`` names a group, and a block is in one group at most (nest groups instead)."""
    names = sorted(group_index)
    holder: dict[str, str] = {}
    for g, path in group_index.values():
        for name in g.blocks:
            if holder.setdefault(name, g.id) != g.id:
                report(f"{path}.blocks", f"block '{show(name)}' is already in group '{show(holder[name])}'")
    for b, path in block_index.values():
        if b.group is None:
            continue
        if b.group not in group_index:
            report(f"{path}.group", f"unknown group '{show(b.group)}'", (b.group, names))
        elif holder.get(b.id, b.group) != b.group:
            report(f"{path}.group", f"block '{show(b.id)}' is listed in group '{show(holder[b.id])}'")


def notes(entries: Entries, report: Report) -> list[Note]:
    """Notes whose placement is whole."""
    return [Note(**e) for path, e in entries if _placement(e, path, report)]


def grid_rows(*sections: Entries) -> int:
    """How many rows the grid has: past the lowest row a block or note claims (0: no grid)."""
    return max((e["row"] + e.get("rowspan", 1) for entries in sections for _, e in entries if "row" in e), default=0)


def row_labels(entries: Entries, rows: int, report: Report) -> list[RowLabel]:
    """One label per row, on a row of the grid (``rows`` of them): a label with no row to mark is refused."""
    labels: dict[int, str] = {}
    out = []
    for path, e in entries:
        if e["row"] >= rows:
            where = f"the grid's rows are 0 to {rows - 1}" if rows else "no block or note has a 'row'"
            report(f"{path}.row", f"row {e['row']} is not a grid row ({where}); a row label marks a grid row")
            continue
        if e["row"] in labels:
            report(f"{path}.row", f"row {e['row']} already has a label ({labels[e['row']]})")
            continue
        labels[e["row"]] = path
        out.append(RowLabel(**e))
    return out


def canvas(block_index: dict[str, tuple[Block, str]], notes: list[Note], report: Report) -> None:
    """Sizes and places that would make a canvas past the limits (MAX_CANVAS_SIDE a side, MAX_CANVAS_AREA).

    Only what the author gave is summed, and each sum is one the drawn canvas must hold (blocks never
    overlap; a grid's columns lie side by side), so no diagram that fits is refused. Text makes blocks
    bigger still, but its length is bounded, and the spatial indexes cap the cells one box takes.
    """
    area = 0.0
    for b, path in block_index.values():
        area += b.width * b.height
        if area > MAX_CANVAS_AREA:
            limit = f"{MAX_CANVAS_AREA:.0e}".replace("e+0", "e").replace("e+", "e")
            report(f"{path}.width", f"the blocks' widths × heights add up to more than {limit} px², the limit")
            break
    # what is placed at x/y: (key path, centre x, centre y, half width, half height)
    placed = [(p, b.x, b.y, b.width / 2, b.height / 2) for b, p in block_index.values() if b.x is not None]
    placed += [(f"note[{i}]", n.x, n.y, 0.0, 0.0) for i, n in enumerate(notes) if n.x is not None]
    for key, spans in (
        ("x", [(p, x - w, x + w) for p, x, _, w, _ in placed if x is not None]),
        ("y", [(p, y - h, y + h) for p, _, y, _, h in placed if y is not None]),
    ):
        low = min((lo for _, lo, _ in spans), default=0.0)
        far = next((p for p, _, hi in spans if hi - low > MAX_CANVAS_SIDE), None)  # the first to reach too far
        if far is not None:
            span = max(hi for _, _, hi in spans) - low
            report(f"{far}.{key}", f"what is placed at {key} spans {span:.0f} px; the limit is {MAX_CANVAS_SIDE}")
    for first, size, what in (("col", "width", "columns"), ("row", "height", "rows")):
        widest: dict[int, tuple[float, str]] = {}  # each grid column (row): its widest (tallest) block
        for b, path in block_index.values():
            at, given = getattr(b, first), getattr(b, size)
            if at is not None and getattr(b, f"{first}span") == 1 and given > widest.get(at, (0.0, ""))[0]:
                widest[at] = (given, path)
        total = sum(w for w, _ in widest.values())
        if total > MAX_CANVAS_SIDE:
            path = max(widest.values())[1]
            message = f"the grid's {what} add up to {total:.0f} px or more; the limit is {MAX_CANVAS_SIDE}"
            report(f"{path}.{size}", message)
