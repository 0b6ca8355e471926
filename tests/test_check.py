"""svgarch check: what counts as an edge's reach."""

from __future__ import annotations

from svgarch.check import check_scene
from svgarch.geometry import Box, Point
from svgarch.scene import Line, Pill, Scene, SceneEdge, ScenePath


def test_check_joins_a_start_head_to_the_start_of_its_line() -> None:
    """An edge with heads at both ends reaches its start head's tip from its start, not from its end."""
    bent = ScenePath(Point(0, 0), (Line(Point(100, 0)), Line(Point(100, 100))))
    both = SceneEdge("a", "b", "", bent, ((Point(-8, 0), Point(0, -3), Point(0, 3)),), None, "a → b")
    other = SceneEdge("c", "d", "", ScenePath(Point(0, 200), (Line(Point(100, 200)),)), (), None, "c → d")
    other = other._replace(label=Pill(Box(35, 40, 30, 18), ()))  # inside the bend, clear of both lines
    scene = Scene("sa-t", 300, 300, None, "", (), (both, other), (), (), (), None, (), ())
    assert check_scene(scene).label_overlaps == []
