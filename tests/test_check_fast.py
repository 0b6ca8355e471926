"""``svgarch check`` compares only segments near each other: the same findings as every pair, far fewer tests."""

from __future__ import annotations

import itertools
import math
import random

import pytest

import svgarch.check
from svgarch.check import check_scene
from svgarch.geometry import Box, Point, segments_cross
from svgarch.scene import Line, Scene, SceneBlock, SceneEdge, ScenePath


def _edge(source: str, target: str, points: list[Point]) -> SceneEdge:
    return SceneEdge(source, target, "", ScenePath(points[0], tuple(Line(p) for p in points[1:])), (), None, "")


def _scene(edges: list[SceneEdge]) -> Scene:
    ends = {e.source for e in edges} | {e.target for e in edges}
    blocks = tuple(SceneBlock(b, "", "rect", Box(5000 + 30 * i, 5000, 20, 20), (), "", 0.0) for i, b in enumerate(ends))
    return Scene("t", 6000.0, 6000.0, (), "", blocks, tuple(edges), (), (), (), None, (), ())


def _brute_force(edges: list[SceneEdge]) -> list[str]:
    """Every segment of every edge against every segment of every later edge: the findings to match."""
    out = []
    for a, b in itertools.combinations(edges, 2):
        n = sum(
            1
            for (p, q), (r, s) in itertools.product(
                itertools.pairwise(a.path.points()), itertools.pairwise(b.path.points())
            )
            if segments_cross(p, q, r, s)
        )
        if n:
            out.append(f"edge {a.source}→{a.target} crosses edge {b.source}→{b.target}" + (f" ×{n}" if n > 1 else ""))
    return out


def _wave(source: str, target: str, phase: float, n: int = 600) -> SceneEdge:
    """A line along y = 100 that waves up and down 40 px, 4 px a step."""
    return _edge(source, target, [Point(4.0 * k, 100 + 40 * math.sin(k / 9 + phase)) for k in range(n + 1)])


def test_two_long_waves_are_compared_segment_by_nearby_segment(monkeypatch: pytest.MonkeyPatch) -> None:
    edges = [_wave("a", "b", 0.0), _wave("c", "d", 1.5)]
    calls = 0

    def counted(a: Point, b: Point, c: Point, d: Point) -> bool:
        nonlocal calls
        calls += 1
        return segments_cross(a, b, c, d)

    monkeypatch.setattr(svgarch.check, "segments_cross", counted)
    crossings = check_scene(_scene(edges)).crossings
    monkeypatch.undo()
    assert crossings == _brute_force(edges) == ["edge a→b crosses edge c→d ×21"]
    # every segment against every other would be 600 × 600 = 360,000 tests; neighbours are a few each
    assert calls < 20 * 600, calls


def test_random_segments_cross_as_every_pair_says() -> None:
    rng = random.Random(7)
    edges = []
    for k in range(6):
        points = [Point(rng.uniform(0, 900), rng.uniform(0, 900)) for _ in range(30)]
        if k == 0:  # segments over many cells (a long diagonal), and ones that only touch at an end
            points[:3] = [Point(0, 0), Point(4000, 3000), Point(4000, 0)]
        edges.append(_edge(f"s{k}", f"t{k}", points))
    edges.append(_edge("h", "v", [Point(0, 450), Point(900, 450), Point(450, 450), Point(450, 0), Point(450, 900)]))
    found = check_scene(_scene(edges)).crossings
    assert found == _brute_force(edges) and len(found) > 10
