"""Group frames: a labelled rectangle around a group's blocks and subgroups.

Pre: every block has a box. Post: every group with at least one member has
a frame holding its members with ``PAD`` to spare and a label strip on top;
an enclosing group's frame holds its subgroups' frames. Once edges are
routed, ``free_labels`` moves each label along its strip to where no edge
runs; ``growable`` finds where a frame may grow to hold a label no place
on its top is free for.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence

from svgarch.geometry import Box, Point, bounding_box, segment_hits_box
from svgarch.layout.types import GroupTree, RoutedEdge
from svgarch.measure import Measured
from svgarch.model import DiagramModel
from svgarch.scene import SceneGroup

PAD = 12.0  # space between a frame and what it holds


def common_group(members: GroupTree, source: str, target: str) -> str | None:
    """The innermost group holding both blocks (or group frames), if any."""
    chain: list[str] = []
    group = members.of_block.get(source, source if source in members.blocks else None)
    while group is not None and group not in chain:
        chain.append(group)
        group = members.parent.get(group)
    group = members.of_block.get(target, target if target in members.blocks else None)
    seen: set[str] = set()
    while group is not None and group not in chain and group not in seen:
        seen.add(group)
        group = members.parent.get(group)
    return group if group in chain else None


def group_frames(
    model: DiagramModel,
    boxes: dict[str, Box],
    measured: Measured,
    tree: GroupTree,
    held: dict[str, list[Box]] | None = None,
    captions: dict[str, tuple[float, float]] | None = None,
) -> list[SceneGroup]:
    """Frames innermost first computed, returned outermost first (drawing order).

    ``held`` adds what else a group holds besides its blocks: the labels and
    bends of edges running inside it (automatic layout reserves them there).
    ``captions`` gives, for some groups, the span of x automatic layout kept
    free for the label: it goes there, as far left as it can, inside the frame.
    """
    strip = measured.group_strip
    groups = {g.id: g for g in model.groups}
    frames: dict[str, Box] = {}
    out: dict[str, SceneGroup] = {}
    for g in (groups[name] for name in tree.inner_first):
        inside = [boxes[b] for b in tree.blocks.get(g.id, ()) if b in boxes]
        inside += [frames[c] for c, p in tree.parent.items() if p == g.id and c in frames]
        inside += (held or {}).get(g.id, []) if inside else []
        if not inside:
            continue
        content = bounding_box(inside)
        stack = measured.groups.get(g.id)
        span = (captions or {}).get(g.id)
        if stack is not None and span is not None:
            x = max(span[0], min(content.x, span[1] - stack.width))
            left, right = min(content.x, x), max(content.right, x + stack.width)
            frame = Box(left - PAD, content.y - PAD - strip, right - left + 2 * PAD, content.h + 2 * PAD + strip)
        else:
            width = max(content.w + 2 * PAD, stack.width + 2 * PAD if stack else 0.0)
            frame = Box(content.cx - width / 2, content.y - PAD - strip, width, content.h + 2 * PAD + strip)
            x = frame.x + PAD
        frames[g.id] = frame
        label = stack.place(x, frame.y + LABEL_TOP, anchor="start")[0] if stack else None
        out[g.id] = SceneGroup(g.id, frame, label)
    return [out[g] for g in tree.outer_first if g in out]


def growable(
    tree: GroupTree,
    boxes: dict[str, Box],
    groups: list[SceneGroup],
    spans: dict[str, list[tuple[float, float]]],
    routed: list[RoutedEdge],
) -> dict[str, tuple[float, float]]:
    """For each group of ``spans``, the first span whose frame, grown to hold the label there, comes no
    nearer than ``PAD`` to a block it does not hold, a frame it is not nested in or around, or an edge
    not its own (the frame does not take edges in or run along them); nor do the frames around it,
    which grow with it."""
    if not spans:
        return {}
    out = {}
    frames = {g.id: g.box for g in groups}  # as grown so far: two frames do not grow into one gap

    def clear(group: str, frame: Box) -> bool:
        """Whether ``frame``, the group's grown, keeps ``PAD`` from what the group neither holds nor is
        nested in or around."""
        inside = set(tree.within.get(group, ()))
        related = set(_around(group, tree.parent)) | {h for h in frames if group in _around(h, tree.parent)}
        others = [box for name, box in boxes.items() if name not in inside]
        others += [box for h, box in frames.items() if h not in related]
        return not any(frame.inflate(PAD).intersects(box) for box in others)

    for g in groups:
        if g.id not in spans or g.label is None:
            continue
        lines = [r.points for r in routed if g.id not in (r.drawn.source, r.drawn.target)]
        # its own edges too, outside the frame: growing over the way they leave it would swallow them
        inner = g.box.inflate(1.0)
        own = [r.points for r in routed if g.id in (r.drawn.source, r.drawn.target)]
        lines += [tuple(p for p in points if not inner.contains(p)) for points in own]
        for lo, hi in spans[g.id]:
            frame = g.box.union(Box(lo - PAD, g.box.y, hi - lo + 2 * PAD, g.box.h))
            added = Box(frame.x, frame.y, g.box.x - frame.x, frame.h) if frame.x < g.box.x else Box(
                g.box.right, frame.y, frame.right - g.box.right, frame.h
            )
            if not clear(g.id, frame) or any(
                segment_hits_box(a, b, added.inflate(PAD)) for line in lines for a, b in itertools.pairwise(line)
            ):
                continue
            outer = _grown_around(g.id, frame, frames, tree.parent)
            if all(clear(h, box) for h, box in outer.items()):
                out[g.id] = (lo, hi)
                frames |= outer | {g.id: frame}
                break
    return out


def _grown_around(group: str, frame: Box, frames: dict[str, Box], parent: dict[str, str]) -> dict[str, Box]:
    """The frames around ``group`` that grow when its frame becomes ``frame`` (each holds the one inside
    with ``PAD`` to spare), grown."""
    out: dict[str, Box] = {}
    inner = frame
    for h in _around(group, parent)[1:]:
        box = frames.get(h)
        if box is None:
            break
        grown = box.union(Box(inner.x - PAD, box.y, inner.w + 2 * PAD, box.h))
        if grown == box:
            break
        out[h] = inner = grown
    return out


def too_narrow(tree: GroupTree, boxes: dict[str, Box], groups: Sequence[SceneGroup], measured: Measured) -> set[str]:
    """Groups whose frame is as wide as its label, not its content, and so reaches over a block it does
    not hold or a frame it is not nested in or around: across the layers (TB, BT) automatic layout
    knows a label's width only as a caption, and the frame widens both ways past the room kept."""
    out = set()
    for g in groups:
        stack = measured.groups.get(g.id)
        if stack is None or g.box.w > stack.width + 2 * PAD + 0.01:
            continue
        inside = set(tree.within.get(g.id, ()))
        related = set(_around(g.id, tree.parent)) | {h.id for h in groups if g.id in _around(h.id, tree.parent)}
        if any(g.box.intersects(box) for name, box in boxes.items() if name not in inside) or any(
            g.box.intersects(h.box) for h in groups if h.id not in related
        ):
            out.add(g.id)
    return out


def _around(group: str, parent: dict[str, str]) -> list[str]:
    """``group`` and the groups enclosing it."""
    out: list[str] = []
    up: str | None = group
    while up is not None and up not in out:
        out.append(up)
        up = parent.get(up)
    return out


LABEL_TOP = 3.0  # the label's top below its frame's
LABEL_CLEAR = 6.0  # room kept between a label and an edge beside it


def free_labels(
    groups: Sequence[SceneGroup], lines: Iterable[Sequence[Point]]
) -> tuple[list[SceneGroup], dict[str, list[tuple[float, float]]]]:
    """Each group's label moved along its frame's top to a place no edge runs through or ends at:
    where it is if free (the left), else at the right, else the leftmost free place.

    Also returned: the groups whose label has no free place (it stays where it was), each with the
    spans beside the edges where it would be free if the frame grew, the one needing less growth first.
    """
    bands = [(g.label.box.y - LABEL_TOP - 1, g.label.box.bottom + 1) for g in groups if g.label]
    rows = _rows(lines, {row for top, bottom in bands for row in range(int(top // ROW), int(bottom // ROW) + 1)})
    out: list[SceneGroup] = []
    crossed: dict[str, list[tuple[float, float]]] = {}
    for g in groups:
        if g.label is None:
            out.append(g)
            continue
        box = g.label.box
        low, high = g.box.x + PAD, g.box.right - PAD - box.w
        top, bottom = box.y - LABEL_TOP - 1, box.bottom + 1
        near = {seg for row in range(int(top // ROW), int(bottom // ROW) + 1) for seg in rows.get(row, ())}
        blocked = sorted((a - LABEL_CLEAR, b + LABEL_CLEAR) for a, b in _x_spans(sorted(near), top, bottom))
        spot = _free_spot([b for b in blocked if b[0] < g.box.right and g.box.x < b[1]], box.x, box.w, low, high)
        if spot is not None:
            out.append(g._replace(label=g.label._replace(x=g.label.x + spot - box.x, box=box.moved(spot - box.x, 0))))
            continue
        out.append(g)
        rights = [b for _, b in blocked if b >= high and _free(blocked, b, box.w)]
        lefts = [a - box.w for a, _ in blocked if a - box.w <= low and _free(blocked, a - box.w, box.w)]
        right = min(rights, default=max(b for _, b in blocked))  # past the last span, all is free
        sides = [(right - high, right)] + ([(low - max(lefts), max(lefts))] if lefts else [])
        crossed[g.id] = [(x, x + box.w) for _, x in sorted(sides)]
    return out, crossed


def _free(blocked: Sequence[tuple[float, float]], x: float, width: float) -> bool:
    return all(b <= x or x + width <= a for a, b in blocked)


ROW = 32.0  # height of the rows segments are filed under


def _rows(lines: Iterable[Sequence[Point]], wanted: set[int]) -> dict[int, list[tuple[Point, Point]]]:
    """The segments of ``lines`` filed under each ``wanted`` row (of height ``ROW``) they reach."""
    rows: dict[int, list[tuple[Point, Point]]] = {}
    if not wanted:
        return rows
    ordered = sorted(wanted)
    first, last = ordered[0], ordered[-1]
    for line in lines:
        for a, b in itertools.pairwise(line):
            ay, by = a.y, b.y
            lo, hi = int((ay if ay <= by else by) // ROW), int((ay if ay >= by else by) // ROW)  # min, max
            if hi < first or lo > last:  # above or below every wanted row
                continue
            # a segment taller than the wanted rows are many looks only at those (a huge drawing's rows are not walked)
            reached = range(lo, hi + 1) if hi - lo < len(ordered) else ordered[bisect_left(ordered, lo) :]
            for row in reached:
                if row > hi:
                    break
                if row in wanted:
                    rows.setdefault(row, []).append((a, b))
    return rows


def _x_spans(segments: Iterable[tuple[Point, Point]], top: float, bottom: float) -> Iterator[tuple[float, float]]:
    """The x extent of each segment within the band ``top`` .. ``bottom``."""
    for a, b in segments:
        if max(a.y, b.y) < top or min(a.y, b.y) > bottom:
            continue
        if abs(b.y - a.y) < 1e-9:
            yield min(a.x, b.x), max(a.x, b.x)
            continue
        xs = []
        for y in (max(top, min(a.y, b.y)), min(bottom, max(a.y, b.y))):
            t = (y - a.y) / (b.y - a.y)
            xs.append(a.x + t * (b.x - a.x))
        yield min(xs), max(xs)


def _free_spot(
    blocked: Sequence[tuple[float, float]], now: float, width: float, low: float, high: float
) -> float | None:
    """Where a span of ``width`` between ``low`` and ``high + width`` meets none of the ``blocked``
    spans (sorted): ``now`` if it can stay, else ``high`` (the right end), else the leftmost place."""

    if high < low - 0.01:
        return None
    for x in (now, high):
        if low - 0.01 <= x <= high + 0.01 and _free(blocked, x, width):
            return x
    for x in [low] + [b for _, b in blocked]:
        if low <= x <= high and _free(blocked, x, width):
            return x
    return None


def label_strips(frames: dict[str, Box], furniture: Sequence[Box]) -> list[tuple[Box, float]]:
    """Each labelled frame's top strip, inside its padding and as tall as its label (the furniture box at its
    top), where the label may move to; with the room the label needs there (its width and clearance)."""
    out = []
    for k in sorted(frames):
        f = frames[k]
        tops = [o for o in furniture if f.x - 1 <= o.x and o.right <= f.right + 1 and abs(o.y - f.y) <= o.h]
        if tops:
            y, bottom = min(o.y for o in tops), max(o.bottom for o in tops)
            strip = Box(f.x + PAD - LABEL_CLEAR, y - 2, f.w - 2 * (PAD - LABEL_CLEAR), bottom - y + 4)
            out.append((strip, max(o.w for o in tops) + 2 * LABEL_CLEAR))
    return out
