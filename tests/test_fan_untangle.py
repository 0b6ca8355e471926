"""svgarch.layout.fans.untangle: arms of a fan are checked for crossings as they are drawn."""

from __future__ import annotations

from pathlib import Path

import pytest

from svgarch.geometry import Point
from svgarch.layout import fans, paths
from svgarch.layout.types import DrawnEdge, RoutedEdge
from svgarch.model import Edge
from svgarch.pipeline import render_svg
from svgarch.quality import measure, svg_drawing
from svgarch.scene import Cubic, Line, ScenePath
from svgarch.spec import load_model

ROOT = Path(__file__).parent.parent


def _routed(n: int, path: ScenePath) -> RoutedEdge:
    d = DrawnEdge(n, n, "broker", f"shard{n}", Edge(("broker",), (f"shard{n}",)))
    head = paths.head(path.end, paths.end_direction(path), 10.0, 8.0)
    return RoutedEdge(d, paths.trim_end(path, 7.0), (head,), tuple(path.points(8)))


def test_a_curve_bulging_over_an_arm_beside_its_port_is_seen_crossing_it() -> None:
    # heldout/search_indexing: broker's arm to shard 2 leaves square and climbs in a tall S-curve; its
    # arm to shard 3, from the port 15 px below, runs straight up aslant and passes 1.3 px beside the
    # S-curve's first corner. The curve bulges a pixel over that line (two crossings as drawn); the
    # curve's 8 points to a curve cut the bulge off.
    port = Point(0.0, 15.0)
    curve = ScenePath(
        port, (Line(Point(5.16, 15.0)), Cubic(Point(38.16, 15.0), Point(38.16, -612.0), Point(71.16, -612.0)))
    )
    line = ScenePath(Point(0.0, 30.0), (Line(Point(243.7, -533.49)),))
    s2, s3 = _routed(2, curve), _routed(3, line)
    assert fans._crossings(list(s2.points), list(s3.points), port) == 0
    assert fans._crossings(fans.as_drawn(s2), fans.as_drawn(s3), port) > 0


@pytest.mark.parametrize("name", ["search_indexing", "recommender"])
def test_held_out_fans_drawn_with_no_arms_crossing(name: str, tmp_path: Path) -> None:
    # search_indexing: the S-curve above; recommender: two arms eased off one trunk (bundles), read
    # from the SVG as written (its coordinates rounded), as the quality ruler reads it
    svg = tmp_path / f"{name}.svg"
    svg.write_text(render_svg(load_model(ROOT / f"benchmarks/heldout/{name}.toml")), encoding="utf-8")
    assert measure(svg_drawing(svg, svg.read_text(encoding="utf-8"))).fan_crossings == []
