"""Labels lined up on their edges: a label kept beside its edge's straight line moves onto it."""

from __future__ import annotations

from pathlib import Path

from svgarch.geometry import Box, Point, turning
from svgarch.layout.lined import line_up
from svgarch.pipeline import render_svg
from svgarch.quality import svg_drawing
from svgarch.spec import load_model

ROOT = Path(__file__).parent.parent


def _way(n: int, kept: dict[int, Box]) -> list[Point]:
    """An edge from (0, 0) down to (100, 200): through its label's centre where one is kept, else straight."""
    if n in kept:
        return [Point(0, 0), Point(kept[n].cx, kept[n].cy), Point(100, 200)]
    return [Point(0, 0), Point(100, 200)]


def test_a_label_beside_the_straight_line_moves_onto_it_at_the_same_height() -> None:
    reserved = {0: Box.around(0, 100, 60, 16)}  # its label node left it at the source's column
    moved = line_up([0], _way, reserved, [], [], flow_vertical=True)
    assert moved == {0: Point(50, 100)}
    assert (reserved[0].cx, reserved[0].cy) == (50, 100)


def test_a_label_stays_where_its_new_place_would_cover_a_block_or_cross_a_frame() -> None:
    reserved = {0: Box.around(0, 100, 60, 16)}
    assert line_up([0], _way, reserved, [Box(40, 90, 30, 30)], [], flow_vertical=True) == {}
    assert line_up([0], _way, reserved, [], [Box(-50, 50, 80, 200)], flow_vertical=True) == {}  # a frame's border
    assert (reserved[0].cx, reserved[0].cy) == (0, 100)


def test_the_end_beside_a_label_lined_up_runs_on_straight_from_it(tmp_path: Path) -> None:
    # conformer_asr's "next of 12 blocks": its label moved onto the repeat edge's line, the port on the
    # feed-forward block below it follows (it aimed at where the label was, and the line jogged there)
    svg = tmp_path / "conformer_asr.svg"
    svg.write_text(render_svg(load_model(ROOT / "benchmarks/fourth/conformer_asr.toml")), encoding="utf-8")
    edges = {(e.source, e.target): e for e in svg_drawing(svg, svg.read_text(encoding="utf-8")).edges}
    assert turning(edges[("ln_out", "ff1")].points) < 0.05
