"""svgarch.layout.uncross: a taut route crossing more than another of its ways takes that way."""

from __future__ import annotations

from pathlib import Path

from svgarch.geometry import Point
from svgarch.layout import uncross
from svgarch.layout.types import DrawnEdge, RoutedEdge
from svgarch.model import Edge
from svgarch.pipeline import render_svg
from svgarch.quality import measure, svg_drawing
from svgarch.scene import Line, ScenePath
from svgarch.spec import load_model

ROOT = Path(__file__).parent.parent


def _routed(n: int, *points: Point) -> RoutedEdge:
    d = DrawnEdge(n, n, f"from{n}", f"to{n}", Edge((f"from{n}",), (f"to{n}",)))
    path = ScenePath(points[0], tuple(Line(p) for p in points[1:]))
    return RoutedEdge(d, path, (), points)


def _uncrossed(way: RoutedEdge, *others: RoutedEdge) -> RoutedEdge:
    """Edge 0 drawn aslant from (0, 0) to (300, 400) among ``others``, after ``uncross`` with ``way`` to try."""
    routed = {0: _routed(0, Point(0, 0), Point(300, 400)), **{r.drawn.number: r for r in others}}
    drawn = [r.drawn for _, r in sorted(routed.items())]
    uncross.uncross(drawn, routed, [0], lambda n: [way])
    return routed[0]


# the diagonal crosses both: one column above the middle on the left, one below it on the right
COLUMNS = (_routed(1, Point(100, 0), Point(100, 150)), _routed(2, Point(200, 250), Point(200, 400)))


def test_a_diagonal_across_two_columns_takes_its_gates_way_between_them() -> None:
    gates = _routed(0, Point(0, 0), Point(0, 200), Point(300, 200), Point(300, 400))  # 1.4 x as long, crosses none
    assert _uncrossed(gates, *COLUMNS) is gates


def test_a_way_round_far_is_not_taken() -> None:
    far = _routed(0, Point(0, 0), Point(-200, 0), Point(-200, 450), Point(300, 450), Point(300, 400))
    assert _uncrossed(far, *COLUMNS) is not far


def test_a_way_beside_another_edge_is_not_taken() -> None:
    gates = _routed(0, Point(0, 0), Point(0, 200), Point(300, 200), Point(300, 400))
    rail = _routed(3, Point(20, 196), Point(280, 196))  # 4 px above its middle run, crossed by the diagonal
    assert _uncrossed(gates, *COLUMNS, rail) is not gates


def test_llm_serving_crosses_less_with_no_fan_arms_crossing(tmp_path: Path) -> None:
    # fresh/llm_serving pulled taut crossed 30 edges, 12 of them by router -> small pool alone
    svg = render_svg(load_model(ROOT / "benchmarks/fresh/llm_serving.toml"))
    path = tmp_path / "llm_serving.svg"
    path.write_text(svg, encoding="utf-8")
    quality = measure(svg_drawing(path, svg))
    assert quality.crossings <= 24 and not quality.fan_crossings
