"""Sides of an edge that must go round a wall beside its own block (``layout.corners``), and row labels
that stand aside for it (``furniture.passed_behind``).

The edge's ends are apart on both axes, so it leaves along the flow and arrives from the side; but a
block as wide as every column lies across its way, so it runs round the wall's end, past its own
block's corner, away from its other end. It is drawn from the side it turns round to instead, and
where row labels stand in front of the content on that side, they stand a lane apart for it.
"""

from __future__ import annotations

import itertools
import math

import pytest

import svgarch
from svgarch.layout.furniture import LANE, ROW_GAP
from svgarch.pipeline import build_scene
from svgarch.scene import Scene, SceneEdge

WALL = "a wall of a block across every column, wider than all of them together"


def walled(*, near: int, reverse: bool = False, row_label: bool = False, edge: bool = True) -> Scene:
    """Block ``a`` in column ``near`` (0 or 2) above a wall across the columns, ``b`` below it in the
    middle column, and the edge between them (from ``b`` if ``reverse``)."""
    d = svgarch.Diagram("", direction="TB")
    d.block("a", title="source", row=0, col=near)
    d.block("c", title="other", row=0, col=2 - near)
    d.block("wall", title=WALL, row=1, col=0, colspan=3)
    d.block("b", title="target", row=2, col=1)
    if edge:
        d.edge(*(("b", "a") if reverse else ("a", "b")))
    if row_label:
        d.row_label(1, "wall")
    return build_scene(d.model)[0]


def the_edge(scene: Scene) -> SceneEdge:
    (edge,) = scene.edges
    assert isinstance(edge, SceneEdge)
    return edge


def detour(edge: SceneEdge) -> float:
    points = edge.path.points(8)
    return sum(math.dist(p, q) for p, q in itertools.pairwise(points)) / math.dist(points[0], points[-1])


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("near", [0, 2])
def test_an_edge_round_a_wall_leaves_its_block_by_the_side_it_turns_to(near: int, reverse: bool) -> None:
    scene = walled(near=near, reverse=reverse)
    a = next(b.box for b in scene.blocks if b.id == "a")
    edge = the_edge(scene)
    points = edge.path.points(8)
    port = points[-1] if reverse else points[0]  # (an end under its head stops short of the side)
    side_x = a.x if near == 0 else a.right
    assert port.x == pytest.approx(side_x, abs=10)  # on the side facing the wall's near end
    assert a.y < port.y < a.bottom
    assert detour(edge) <= 1.6


def test_row_labels_stand_a_lane_apart_for_an_edge_that_would_go_round_behind_them() -> None:
    scene = walled(near=0, row_label=True)
    (label,) = scene.row_labels
    left = min(b.box.x for b in scene.blocks)
    assert label.tick[1].x == pytest.approx(left - ROW_GAP - LANE)
    edge = the_edge(scene)
    runs_down = [p.x for p in edge.path.points(8) if p.x < left]
    assert runs_down and min(runs_down) > label.tick[1].x  # between the label and the content
    assert detour(edge) <= 1.6


@pytest.mark.parametrize("edge", [False, True])
def test_row_labels_keep_their_place_where_no_edge_goes_behind_them(edge: bool) -> None:
    scene = walled(near=2, row_label=True, edge=edge)  # the edge goes round the wall's far end
    (label,) = scene.row_labels
    assert label.tick[1].x == pytest.approx(min(b.box.x for b in scene.blocks) - ROW_GAP)
