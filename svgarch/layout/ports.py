"""Which side of a block an edge uses, and where on that side (its port).

Sides face each other when the blocks are apart along one axis; for blocks
apart along both, the edge leaves along the flow axis and arrives from the
side (an L, like the seed's curved arrows). Several ends on one side are
spread apart, each near where its other end lies, never stacked; an end that
can line up with its other end (or its gates' column) holds its place, so the
edge runs straight instead of in an S-jog, and a column of gates just beside the
stretch both ends share moves onto it (``align_columns``). A merge node's side
inputs enter by its flanks (``svgarch.layout.merges``).

Pre: every block has a box. Post: ports on the box's sides, at least the
spacing asked apart where the side is long enough, then moved onto the
shape's outline as drawn (``Shape.on_outline``, in ``svgarch.shapes``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from svgarch.geometry import Box, Point, new
from svgarch.layout.types import DrawnEdge, EdgeStyle, Guide, Loop
from svgarch.record import Record
from svgarch.shapes import NORMALS

# Direction codes of the sides' outward normals (``NORMALS``), as the router numbers them (0 right, 1 down,
# 2 left, 3 up). Where on a side an edge meets a block's outline is the shape's to say (``Shape.on_outline``).
OUTWARD = {"right": 0, "bottom": 1, "left": 2, "top": 3}
INWARD = {side: (code + 2) % 4 for side, code in OUTWARD.items()}
OPPOSITE = {"top": "bottom", "bottom": "top", "left": "right", "right": "left"}


def auto_sides(a: Box, b: Box, flow_vertical: bool) -> tuple[str, str]:
    """Facing sides for an edge from box ``a`` to box ``b``."""
    overlap_x = a.x < b.right and b.x < a.right
    overlap_y = a.y < b.bottom and b.y < a.bottom
    down, right = b.cy >= a.cy, b.cx >= a.cx
    vertical = ("bottom", "top") if down else ("top", "bottom")
    horizontal = ("right", "left") if right else ("left", "right")
    if overlap_x and not overlap_y:
        return vertical
    if overlap_y and not overlap_x:
        return horizontal
    if overlap_x and overlap_y:  # overlapping boxes: pick the larger offset
        return vertical if abs(b.cy - a.cy) >= abs(b.cx - a.cx) else horizontal
    # apart on both axes: leave along the flow from the upstream block and
    # arrive from the side, mirrored for edges running against the flow
    downstream = down if flow_vertical else right
    if flow_vertical == downstream:
        return vertical[0], horizontal[1]
    return horizontal[0], vertical[1]


def clear_of_labels(a: Box, b: Box, sides: tuple[str, str], labels: Sequence[Box], reach: float) -> tuple[str, str]:
    """Sides for an edge from ``a`` to ``b``: an end whose side has labels standing in front of half of it
    or more (within ``reach``, where its lead-in runs) takes the side across, toward the other block, if
    that one is clear; else the edge would come in through a label."""
    fs, ts = sides
    if _fronted(a, fs, labels, reach):
        other = _across(fs, a, b)
        fs = fs if _fronted(a, other, labels, reach) else other
    if _fronted(b, ts, labels, reach):
        other = _across(ts, b, a)
        ts = ts if _fronted(b, other, labels, reach) else other
    return fs, ts


def _across(side: str, box: Box, other: Box) -> str:
    """The side of ``box`` across ``side`` that faces ``other``."""
    if side in ("top", "bottom"):
        return "left" if other.cx < box.cx else "right"
    return "top" if other.cy < box.cy else "bottom"


def _fronted(box: Box, side: str, labels: Sequence[Box], reach: float) -> bool:
    """Whether ``labels`` within ``reach`` in front of ``side`` cover half its length or more."""
    front = {
        "top": Box(box.x, box.y - reach, box.w, reach),
        "bottom": Box(box.x, box.bottom, box.w, reach),
        "left": Box(box.x - reach, box.y, reach, box.h),
        "right": Box(box.right, box.y, reach, box.h),
    }[side]
    along = side in ("top", "bottom")
    spans = sorted(
        (max(f.x, front.x), min(f.right, front.right)) if along else (max(f.y, front.y), min(f.bottom, front.bottom))
        for f in labels
        if f.intersects(front)
    )
    covered, reached = 0.0, -math.inf
    for lo, hi in spans:
        lo = max(lo, reached)
        if hi > lo:
            covered, reached = covered + hi - lo, hi
    return covered >= (box.w if along else box.h) / 2


def side_middle(box: Box, side: str) -> Point:
    return {
        "top": Point(box.cx, box.y),
        "bottom": Point(box.cx, box.bottom),
        "left": Point(box.x, box.cy),
        "right": Point(box.right, box.cy),
    }[side]


def arc_sides(a: Box, b: Box, bend: float, from_side: str, to_side: str, default: tuple[str, str]) -> tuple[str, str]:
    """Sides for an arc of curvature ``bend`` that leave and arrive most
    squarely: the arc's tangent at each end should point out of (into) its
    side, never along it or back into its own block."""
    mid = Point((a.cx + b.cx) / 2, (a.cy + b.cy) / 2)
    best, best_score = default, -2.0
    for fs in (from_side,) if from_side != "auto" else tuple(NORMALS):
        for ts in (to_side,) if to_side != "auto" else tuple(NORMALS):
            p, q = side_middle(a, fs), side_middle(b, ts)
            if (q - mid).length() > (b.centre - mid).length() + 1e-6 and ts != to_side:
                continue  # a side facing away from the other block
            if (p - mid).length() > (a.centre - mid).length() + 1e-6 and fs != from_side:
                continue
            c = Point((p.x + q.x) / 2 - bend * (q.y - p.y), (p.y + q.y) / 2 + bend * (q.x - p.x))
            leave, arrive = (c - p).unit(), (q - c).unit()
            n_out, n_in = NORMALS[fs], NORMALS[ts].scale(-1)
            score = min(leave.x * n_out.x + leave.y * n_out.y, arrive.x * n_in.x + arrive.y * n_in.y)
            if score > best_score + 1e-9 or ((fs, ts) == default and score >= best_score - 1e-9):
                best, best_score = (fs, ts), score
    return best


ACROSS = 2.0  # an edge turns out of its block's side across the flow when its other end lies this much farther across


def across_sides(
    a: Box, b: Box, sides: tuple[str, str], lead: float, obstacles: Sequence[Box], ratio: float = ACROSS
) -> tuple[str, str] | None:
    """Sides for an edge between neighbouring layers whose other end lies mostly across the flow (``ratio``
    times farther across than the gap between the blocks along it): out of the side of ``a`` facing ``b`` and
    into ``b``'s side facing the flow, or out of ``a``'s flow side and into ``b``'s side facing ``a`` -- an L
    with one bend instead of an S with two. The first whose two legs miss ``obstacles``; None if neither does,
    or the blocks are not so placed. ``lead``: the least straight run into a side (under the arrow head)."""
    placed = _placed_across(a, b, sides, ratio)
    if placed is None:
        return None
    swap, a2, b2, fs2, up = placed
    forward = 1.0 if fs2 == "right" else -1.0
    out_side, in_side = ("top", "bottom") if up else ("bottom", "top")
    entry = b2.x if forward > 0 else b2.right
    leaving = a2.right if forward > 0 else a2.x
    # out of a's side facing b, then along the flow into b's flow side
    x = a2.cx + forward * a2.w / 4
    first = [(Point(x, a2.y if up else a2.bottom), Point(x, b2.cy)), (Point(x, b2.cy), Point(entry, b2.cy))]
    # along the flow out of a's flow side, then across into b's side facing a
    x = b2.cx - forward * b2.w / 4
    second = [(Point(leaving, a2.cy), Point(x, a2.cy)), (Point(x, a2.cy), Point(x, b2.bottom if up else b2.y))]
    seen = [_swapped(o) for o in obstacles] if swap else list(obstacles)
    for legs, chosen in ((first, (out_side, OPPOSITE[fs2])), (second, (fs2, in_side))):
        if min(abs(p.x - q.x) + abs(p.y - q.y) for p, q in legs) < lead:
            continue
        if any(segment_enters(p, q, o) for p, q in legs for o in seen):
            continue
        return (_SWAP_SIDE[chosen[0]], _SWAP_SIDE[chosen[1]]) if swap else chosen
    return None


def facing_sides(a: Box, b: Box, sides: tuple[str, str], ratio: float = ACROSS) -> tuple[str, str] | None:
    """For an edge placed as ``across_sides`` asks (neighbouring layers, its other end mostly across the
    flow), the sides of ``a`` and ``b`` that face each other across the flow: a straight line between them
    turns nowhere, where an L turns once. None if the blocks are not so placed."""
    placed = _placed_across(a, b, sides, ratio)
    if placed is None:
        return None
    swap, _, _, _, up = placed
    pair = ("top", "bottom") if up else ("bottom", "top")
    return (_SWAP_SIDE[pair[0]], _SWAP_SIDE[pair[1]]) if swap else pair


def _placed_across(
    a: Box, b: Box, sides: tuple[str, str], ratio: float
) -> tuple[bool, Box, Box, str, bool] | None:
    """Whether the blocks are swapped to work as if the flow ran along x, both boxes and the flow side so
    swapped, and whether ``b`` lies above ``a`` (so swapped); None unless the edge leaves and enters by
    opposite flow sides, the blocks have gaps between them along and across the flow, and ``b`` lies
    ``ratio`` times farther across than the gap along."""
    fs, ts = sides
    if OPPOSITE[fs] != ts:
        return None
    swap = fs in ("top", "bottom")  # work as if the flow ran along x
    a2, b2 = (_swapped(a), _swapped(b)) if swap else (a, b)
    fs2 = _SWAP_SIDE[fs] if swap else fs
    gap = (b2.x - a2.right) if fs2 == "right" else (a2.x - b2.right)
    up = b2.cy < a2.cy
    across = (a2.y - b2.cy) if up else (b2.cy - a2.bottom)
    back = (a2.y - b2.bottom) if up else (b2.y - a2.bottom)  # the blocks' gap across the flow
    if gap <= 0 or back <= 0 or across < ratio * gap:
        return None
    return swap, a2, b2, fs2, up


_SWAP_SIDE = {"top": "left", "left": "top", "bottom": "right", "right": "bottom"}


def _swapped(box: Box) -> Box:
    return Box(box.y, box.x, box.h, box.w)


def across_toward(side: str, own: Box, other: Box) -> float:
    """Tie-break for an end leaving by a side across the flow (``across_sides``): nested Ls do not cross
    when the end whose way runs farther across sits farther from the other end along the side."""
    along_x = side in ("top", "bottom")
    ahead = (other.cx >= own.cx) if along_x else (other.cy >= own.cy)
    far = abs(other.cy - own.cy) if along_x else abs(other.cx - own.cx)
    return -far if ahead else far


STRAIGHT_WEIGHT = 1000.0  # an end that would run straight all but holds its place; its neighbours make the room


class PortRequest(Record):
    """One edge end on one side of one block, with where it would like to be."""

    key: tuple[int, int]  # (drawn edge index, 0 for the start / 1 for the end)
    block: str
    side: str
    desired: float  # coordinate along the side's axis
    toward: float = 0.0  # the other end's centre along that axis: breaks ties without crossings
    direct: bool = True  # the edge runs straight from end to end (no gates of an automatic layout between)


def desired_position(own: Box, side: str, other: Box, other_side: str) -> float:
    """Where along ``side`` of ``own`` an end toward ``other`` would sit."""
    along_x = side in ("top", "bottom")
    lo, hi = (own.x, own.right) if along_x else (own.y, own.bottom)
    centre = (lo + hi) / 2
    if (side in ("top", "bottom")) == (other_side in ("top", "bottom")):
        olo, ohi = (other.x, other.right) if along_x else (other.y, other.bottom)
        a, b = max(lo, olo), min(hi, ohi)
        if a < b:  # facing sides that overlap: middle of the overlap
            return (a + b) / 2
        target = other.cx if along_x else other.cy
        return min(max(target, lo), hi)
    # perpendicular sides: the middle, leaning a little toward the other end
    target = other.cx if along_x else other.cy
    lean = (hi - lo) / 4
    return centre + min(max(target - centre, -lean), lean)


def spread(
    requests: list[PortRequest],
    boxes: dict[str, Box],
    spacing: float,
    inset: float,
    reach: dict[str, float] | None = None,
) -> dict[tuple[int, int], Point]:
    """Port points for all requests, spread along each block side, then
    straightened: an edge between facing sides whose two ports nearly line
    up is made exactly straight when one port can move without crowding.
    A block in ``reach`` (a small round or pointed shape) spreads its ports over
    that share of each half side about the middle instead of ``inset`` from its ends."""
    reach = reach or {}
    by_side: dict[tuple[str, str], list[PortRequest]] = {}
    for r in requests:
        side_key = (r.block, r.side)
        if side_key in by_side:
            by_side[side_key].append(r)
        else:
            by_side[side_key] = [r]
    ranges = {(b, s): _range(boxes[b], s, len(g), spacing, inset, reach.get(b)) for (b, s), g in by_side.items()}
    ends = {r.key: r for r in requests}
    straight = _straightable(requests, boxes, ranges, inset, set(reach), ends)
    pos: dict[tuple[int, int], float] = {}
    for (block, side), group in sorted(by_side.items()):
        lo, hi = ranges[(block, side)]
        if len(group) == 1:  # most sides of a large diagram: one end, where it wants to be in the room it has
            r = group[0]
            if r.key in straight:  # as below; such an end is then where it wants, so it is held
                lo, hi = min(lo, r.desired), max(hi, r.desired)
            ranges[(block, side)] = (lo, hi)
            pos[r.key] = min(max(min(max(r.desired, lo), hi), lo), hi)  # _spread_1d of the one wanted
            continue
        group.sort(key=lambda r: (r.desired, r.toward, r.key))
        # an end that lines up with its other end (or its gate) may come nearer the side's end than a bend could
        first, last = group[0], group[-1]
        if first.key in straight:
            lo = min(lo, first.desired)
        if last.key in straight:
            hi = max(hi, last.desired)
        wanted = [min(max(r.desired, lo), hi) for r in group]
        weights = [STRAIGHT_WEIGHT if r.key in straight else 1.0 for r in group]
        placed = _spread_1d(wanted, lo, hi, spacing, weights)
        if block not in reach and not _held(group, placed, straight):
            # the others may be pushed as near the side's ends, if that makes room for every straight one
            box = boxes[block]
            end_lo, end_hi = (box.x, box.right) if side in ("top", "bottom") else (box.y, box.bottom)
            near = min(inset / 2, (end_hi - end_lo) / 4)
            wider = min(lo, end_lo + near), max(hi, end_hi - near)
            pushed = _spread_1d(wanted, *wider, spacing, weights)
            if _held(group, pushed, straight):
                placed, (lo, hi) = pushed, wider
        ranges[(block, side)] = (lo, hi)
        for r, p in zip(group, placed, strict=True):
            pos[r.key] = p
    _straighten(requests, by_side, ranges, pos, spacing, ends)
    out: dict[tuple[int, int], Point] = {}
    for r in requests:
        (x, y, w, h), p, side = boxes[r.block], pos[r.key], r.side
        if side == "top":
            out[r.key] = new(Point, (p, y))
        elif side == "bottom":
            out[r.key] = new(Point, (p, y + h))  # the box's bottom
        elif side == "left":
            out[r.key] = new(Point, (x, p))
        elif side == "right":
            out[r.key] = new(Point, (x + w, p))
        else:
            raise KeyError(side)
    return out


def follow_moved(
    ports: dict[tuple[int, int], Point],
    requests: Sequence[PortRequest],
    boxes: dict[str, Box],
    aims: dict[tuple[int, int], float],
    spacing: float,
    inset: float,
    reach: dict[str, float] | None = None,
) -> dict[tuple[int, int], Point]:
    """``ports`` with each end of ``aims`` moved along its side to the coordinate given (the label it
    faces moved onto the edge's line: the end lined up with it runs straight, not an S-jog), where the
    side's room holds it (as ``spread`` gives it) and it keeps ``spacing`` from the side's other ports."""
    if not aims:
        return ports
    reach = reach or {}
    by_key = {r.key: r for r in requests}
    out = dict(ports)
    for key, to in sorted(aims.items()):
        r = by_key.get(key)
        if r is None:
            continue
        crowd = [q.key for q in requests if q.block == r.block and q.side == r.side and q.key != key]
        lo, hi = _range(boxes[r.block], r.side, len(crowd) + 1, spacing, inset, reach.get(r.block))
        along_x = _axis(r.side) == "x"
        if not lo - 1e-6 <= to <= hi + 1e-6:
            continue
        p = out[key]
        was = p.x if along_x else p.y
        others = [out[k].x if along_x else out[k].y for k in crowd]
        if any(abs(to - c) < spacing - 1e-6 or min(was, to) <= c <= max(was, to) for c in others):
            continue  # crowded, or past another end (they would cross)
        out[key] = new(Point, (to, p.y)) if along_x else new(Point, (p.x, to))
    return out


def _straighten(
    requests: list[PortRequest],
    by_side: dict[tuple[str, str], list[PortRequest]],
    ranges: dict[tuple[str, str], tuple[float, float]],
    pos: dict[tuple[int, int], float],
    spacing: float,
    ends: dict[tuple[int, int], PortRequest],
) -> None:
    """``ends``: the requests by key."""
    for r in requests:
        if not r.direct or r.key[1] != 0:
            continue  # an edge through gates is straight when each end lines up with its gate
        other = ends.get((r.key[0], 1))
        if other is None or r.side == other.side or (r.side in _ACROSS_X) != (other.side in _ACROSS_X):
            continue
        a, b = pos[r.key], pos[other.key]
        if abs(a - b) < 1e-6 or abs(a - b) > 3 * spacing:
            continue
        for mover, target in ((other, a), (r, b)):
            lo, hi = ranges[(mover.block, mover.side)]
            crowd = [pos[q.key] for q in by_side[(mover.block, mover.side)] if q.key != mover.key]
            if lo - 1e-6 <= target <= hi + 1e-6 and all(abs(target - c) >= spacing - 1e-6 for c in crowd):
                pos[mover.key] = target
                break


def _axis(side: str) -> str:
    return "x" if side in _ACROSS_X else "y"


_ACROSS_X = frozenset(("top", "bottom"))  # the sides along which a port moves in x (``_axis``)


def _held(group: list[PortRequest], placed: list[float], straight: set[tuple[int, int]]) -> bool:
    """Whether every end of ``group`` that could run straight is where it wanted to be."""
    return all(abs(p - r.desired) < 0.05 for r, p in zip(group, placed, strict=True) if r.key in straight)


def _range(
    box: Box, side: str, count: int, spacing: float, inset: float, reach: float | None
) -> tuple[float, float]:
    """The stretch of a side its ports may use: ``inset`` off its ends, or for a small round or
    pointed shape only as far out from the middle as its ends need (one or two stay near the middle)."""
    lo, hi = (box.x, box.right) if side in ("top", "bottom") else (box.y, box.bottom)
    if reach:
        half = min((hi - lo) / 2 * reach, max((hi - lo) / 4, (count - 1) * spacing / 2))
        return (lo + hi) / 2 - half, (lo + hi) / 2 + half
    return lo + min(inset, (hi - lo) / 4), hi - min(inset, (hi - lo) / 4)


def _straightable(
    requests: list[PortRequest],
    boxes: dict[str, Box],
    ranges: dict[tuple[str, str], tuple[float, float]],
    inset: float,
    rounds: set[str],
    ends: dict[tuple[int, int], PortRequest],
) -> set[tuple[int, int]]:
    """The ends of edges that can run straight: facing sides that want the same coordinate (the
    middle of the blocks' overlap, or the column of the edge's gates), which both sides can give.
    Such an end needs no room for a bend by the corner, so half the inset is enough there (``ends``: the
    requests by key)."""
    out: set[tuple[int, int]] = set()
    for r in requests:
        if r.key[1] != 0:
            continue
        other = ends.get((r.key[0], 1))
        if other is None or r.side == other.side or (r.side in _ACROSS_X) != (other.side in _ACROSS_X):
            continue
        if abs(r.desired - other.desired) > 0.5:
            continue
        if all(_can_reach(q, boxes[q.block], ranges[(q.block, q.side)], inset, q.block in rounds) for q in (r, other)):
            out |= {r.key, other.key}
    return out


def _can_reach(r: PortRequest, box: Box, room: tuple[float, float], inset: float, round_: bool) -> bool:
    if round_:  # a round or pointed shape: only its own room, where the outline faces the side
        return room[0] - 1e-6 <= r.desired <= room[1] + 1e-6
    lo, hi = (box.x, box.right) if _axis(r.side) == "x" else (box.y, box.bottom)
    return lo + min(inset / 2, (hi - lo) / 4) <= r.desired <= hi - min(inset / 2, (hi - lo) / 4)


def _spread_1d(
    wanted: list[float], lo: float, hi: float, spacing: float, weights: list[float] | None = None
) -> list[float]:
    """Positions as near ``wanted`` (sorted) as possible in the weighted least-squares
    sense, in order, ``spacing`` apart (less if the side is too short), inside [lo, hi].

    Exact: with p_i = q_i + i·spacing the gaps hold when q is non-decreasing, so
    q is the weighted isotonic regression of wanted_i − i·spacing (pool adjacent
    violators), clipped to the room the side leaves. A heavy end (one that would
    run straight) moves little; its light neighbours make the room."""
    n = len(wanted)
    if n == 1:
        return [min(max(wanted[0], lo), hi)]
    spacing = min(spacing, (hi - lo) / (n - 1)) if hi > lo else 0.0
    shifted = [w - i * spacing for i, w in enumerate(wanted)]
    if all(a <= b for a, b in itertools.pairwise(shifted)):  # most sides: already in order, nothing to pool
        top = max(lo, hi - (n - 1) * spacing)
        return [min(max(value, lo), top) + i * spacing for i, value in enumerate(shifted)]
    weights = weights or [1.0] * n
    pools: list[list[float]] = []  # [mean, weight, count]
    for i, (w, weight) in enumerate(zip(wanted, weights, strict=True)):
        pools.append([w - i * spacing, weight, 1.0])
        while len(pools) > 1 and pools[-2][0] > pools[-1][0]:
            mean, weight_, count = pools.pop()
            total = pools[-1][1] + weight_
            pools[-1][0] = (pools[-1][0] * pools[-1][1] + mean * weight_) / total
            pools[-1][1] = total
            pools[-1][2] += count
    top = max(lo, hi - (n - 1) * spacing)
    q = [min(max(mean, lo), top) for mean, _, count in pools for _ in range(int(count))]
    return [value + i * spacing for i, value in enumerate(q)]


# --- Straight columns: an edge through gates lined up with both its ends ---

SHIFT = 2.0  # at most this many port spacings a column of gates moves to line up with both ends
KEEP = 8.0  # px a moved column keeps from any other edge's gate beside it (a rail is 7 px)


def align_columns(
    drawn: Sequence[DrawnEdge],
    guides: dict[int, Guide],
    blocks: dict[str, Box],
    style: EdgeStyle,
    loops: dict[int, Loop] | None = None,
) -> dict[int, Guide]:
    """Guides whose gates, all in one column just beside the stretch both ends' sides share,
    move onto that stretch, so the edge is drawn straight instead of jogging at each end.

    Only a short move (``SHIFT`` port spacings), clear of every other block and at least
    ``KEEP`` px from the other edges' gates in those bands, never across one of them; an
    edge with a label keeps its column (the label sits on it). A block with a loop keeps
    the loop's reach and its label's clear all round (where it goes is decided later)."""
    inflated: dict[str, Box] = {}  # made when a column first may move (on a large diagram, seldom)

    def grown() -> dict[str, Box]:
        if not inflated:
            inflated.update((k, b.inflate(style.margin)) for k, b in blocks.items())
            for n, loop in (loops or {}).items():
                if drawn[n].source in inflated:
                    reach = style.margin + loop.depth + max(loop.label)
                    inflated[drawn[n].source] = inflated[drawn[n].source].union(blocks[drawn[n].source].inflate(reach))
        return inflated

    out = dict(guides)
    for n in sorted(guides):
        guide, d = guides[n], drawn[n]
        if not guide.gates or d.edge.label or d.source not in blocks or d.target not in blocks:
            continue
        fs, ts = guide.sides
        if _axis(fs) != _axis(ts) or fs == ts:
            continue
        along_x = _axis(fs) == "x"
        columns = {round(p.x if along_x else p.y, 1) for gate in guide.gates for p in gate}
        if len(columns) != 1:
            continue
        column = columns.pop()
        stretch = _shared(blocks[d.source], blocks[d.target], along_x, style.port_inset / 2)
        if stretch is None or stretch[0] <= column <= stretch[1]:
            continue
        to = min(max(column, stretch[0]), stretch[1])
        if abs(to - column) > SHIFT * style.port_spacing:
            continue
        moved = tuple((_shift(a, to, along_x), _shift(b, to, along_x)) for a, b in guide.gates)
        foreign = [b for k, b in grown().items() if k not in (d.source, d.target)]
        if any(segment_enters(a, b, box) for a, b in moved for box in foreign):
            continue
        others = [gate for m, other in out.items() if m != n for gate in other.gates]
        if any(_near(a, b, g, column, to, along_x) for a, b in moved for g in others):
            continue
        out[n] = guide._replace(gates=moved)
    return out


def _shared(a: Box, b: Box, along_x: bool, inset: float) -> tuple[float, float] | None:
    """The stretch across the flow where ends on both boxes' facing sides can sit, or None."""
    lo = max(a.x, b.x) if along_x else max(a.y, b.y)
    hi = min(a.right, b.right) if along_x else min(a.bottom, b.bottom)
    lo, hi = lo + inset, hi - inset
    return (lo, hi) if lo <= hi else None


def _shift(p: Point, to: float, along_x: bool) -> Point:
    return Point(to, p.y) if along_x else Point(p.x, to)


def _near(a: Point, b: Point, gate: tuple[Point, Point], was: float, to: float, along_x: bool) -> bool:
    """Whether another edge's gate shares the band of a moved one (a–b) and lies within ``KEEP``
    of its new column or between its old and new columns (moving there would cross it)."""
    p, q = gate
    if along_x:
        overlap = min(max(a.y, b.y), max(p.y, q.y)) - max(min(a.y, b.y), min(p.y, q.y))
        at = p.x
    else:
        overlap = min(max(a.x, b.x), max(p.x, q.x)) - max(min(a.x, b.x), min(p.x, q.x))
        at = p.y
    if overlap < -1e-6:
        return False
    return abs(at - to) < KEEP or min(was, to) <= at <= max(was, to)


def segment_enters(p: Point, q: Point, box: Box) -> bool:
    """Whether the axis-parallel segment p–q enters ``box``'s interior."""
    return min(p.x, q.x) < box.right and box.x < max(p.x, q.x) and min(p.y, q.y) < box.bottom and box.y < max(p.y, q.y)
