"""A guided edge's way through the gates its automatic layout kept for it: runs out of its own layer
band, through each band it crosses, into its target's band (``through_gates``); a merge node's side input that
turns square into the node's side (``side_way``); S-curves kept off frames' label strips
(``above_frame_tops``)."""

from __future__ import annotations

from collections.abc import Sequence

from svgarch.geometry import Box, Point, new
from svgarch.layout import paths
from svgarch.layout.merges import side_entry, side_exit
from svgarch.layout.types import Guide
from svgarch.scene import ScenePath
from svgarch.shapes import NORMALS


def through_gates(
    start: Point,
    end: Point,
    guide: Guide,
    source_band: tuple[float, float],
    target_band: tuple[float, float],
    side: str,
    frames: Sequence[Box] = (),
) -> list[tuple[Point, Point]]:
    """The edge's runs through its guide's gates: out of its own layer band, through
    each band it crosses at its reserved place, into its target's band.

    ``frames`` (group frames, when layers are rows) keep their top strip,
    where their label is, clear of the S-curves between bands: a curve that
    would sweep across a frame's top makes its move above it, and runs
    straight through the strip."""
    fx, fy = NORMALS[side]
    back = fx + fy < 0
    leave = source_band[0] if back else source_band[1]
    arrive = target_band[1] if back else target_band[0]
    # where the edge leaves its own band and enters its target's (every guided edge of a large diagram comes here)
    if fx == 0:
        out, into = new(Point, (start.x, leave)), new(Point, (end.x, arrive))
    else:
        out, into = new(Point, (leave, start.y)), new(Point, (arrive, end.y))
    runs = [(start, out), *guide.gates, (into, end)]
    if frames and fx == 0:
        runs = above_frame_tops(runs, frames)
    return runs


def side_way(
    start: Point,
    end: Point,
    guide: Guide,
    source_band: tuple[float, float],
    target_band: tuple[float, float],
    side: str,
    frames: Sequence[Box] = (),
    out_flank: bool = False,
    in_flank: bool = False,
) -> ScenePath:
    """A guided edge that leaves a merge node by its flank (``out_flank``: square out of the middle of
    that side, a quarter bend into the column of its first gate, ``merges.fork_outputs``) or enters one so
    (``in_flank``: through its gates, down the column of its last gate to the height of the node's middle,
    then a quarter bend square into its side), or both; through its gates between."""
    flow = NORMALS[side]
    corner = start
    if out_flank:
        column = guide.gates[0][0]
        corner = Point(column.x, start.y) if flow.x == 0 else Point(start.x, column.y)
    runs = through_gates(corner, end, guide, source_band, target_band, side, frames)
    if in_flank:
        column = guide.gates[-1][1] if guide.gates else corner
        arrive = runs[-1][0]
        if flow.x == 0:
            down, turn = Point(column.x, arrive.y), Point(column.x, end.y)
        else:
            down, turn = Point(arrive.x, column.y), Point(end.x, column.y)
        path = side_entry(paths.gated(runs[:-1], flow), down, turn, end, flow)
    else:
        path = paths.gated(runs, flow)
    return side_exit(start, corner, path, flow) if out_flank else path


LANE = 12.0  # least height an S-curve keeps for its move between two bands
CLEAR = 4.0  # how far above a frame's top the move ends


def above_frame_tops(runs: list[tuple[Point, Point]], frames: Sequence[Box]) -> list[tuple[Point, Point]]:
    """Runs (vertical, top to bottom or bottom to top) whose joining S-curves end above the top of
    every frame that lies between the two runs and under the curve's sweep: the lower run is
    lengthened up to there. A curve with too little room left keeps the whole gap."""
    out = list(runs)
    for i in range(len(out) - 1):
        p, q = out[i][1], out[i + 1][0]
        if abs(p.x - q.x) < 0.5:
            continue
        upper, lower = min(p.y, q.y), max(p.y, q.y)
        left, right = min(p.x, q.x), max(p.x, q.x)
        tops = [f.y for f in frames if upper < f.y < lower and f.x < right and left < f.right]
        if not tops:
            continue
        lane = min(tops) - CLEAR
        if lane - upper < LANE:
            continue
        if q.y > p.y:  # downward: the next run starts higher
            out[i + 1] = (Point(q.x, lane), out[i + 1][1])
        else:  # upward: this run goes on higher
            out[i] = (out[i][0], Point(p.x, lane))
    return out

