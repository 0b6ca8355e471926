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


def test_two_s_curves_through_one_gap_are_seen_running_on_each_other() -> None:
    # fourth/saas_sso: saml→entra and oidc→google cross one gap in tall S-curves of about the same climb; as
    # drawn they run on one line for ~100 px in its middle, but their points (8 to a curve) are chords
    # that cut the curves differently, none within 1.5 px of the other's
    def s_curve(n: int, a: Point, b: Point) -> RoutedEdge:
        mid = (a.x + b.x) / 2
        path = ScenePath(a, (Cubic(Point(mid, a.y), Point(mid, b.y), b), Line(Point(b.x + 40, b.y))))
        d = DrawnEdge(n, n, f"from{n}", f"to{n}", Edge((f"from{n}",), (f"to{n}",)))
        return RoutedEdge(d, path, (), tuple(path.points(8)))

    routed = {
        0: s_curve(0, Point(934.5, 918.0), Point(968.5, 116.0)),
        1: s_curve(1, Point(934.5, 982.0), Point(968.5, 190.0)),
    }
    edges = [r.drawn for r in routed.values()]
    coarse, fine = fans._Segments(), fans._Segments(drawn_lines=True)
    for n, r in routed.items():
        coarse.add(n, r)
        fine.add(n, r)
    assert fans._coinciding(edges, routed, {0, 1}, coarse) == set()
    assert fans._coinciding(edges, routed, {0, 1}, fine) == {0, 1}


@pytest.mark.parametrize("name", ["hospital_fhir", "iot_ota", "ride_hailing", "saas_sso"])
def test_fourth_set_checks_clean(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    # unseen descriptions check failed on: a label whose every spot met a line (hospital_fhir), heads on
    # S-curves still climbing under them (iot_ota, ride_hailing), two S-curves on one line (saas_sso)
    from svgarch.cli import main

    assert main(["check", str(ROOT / f"benchmarks/fourth/{name}.toml")]) == 0, capsys.readouterr().out


@pytest.mark.parametrize("name", ["warehouse_robots", "webrtc_sfu"])
def test_fifth_set_checks_clean(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    # warehouse_robots: five arms from a grid row into one automatic block (and out of one into it) searched
    # across each other (fans.trade_arms); webrtc_sfu: a side input into a node alone in a frame as narrow as
    # its label came in through the label (merges.merge_inputs, groups.label_strips)
    from svgarch.cli import main

    assert main(["check", str(ROOT / f"benchmarks/fifth/{name}.toml")]) == 0, capsys.readouterr().out


def test_crossing_arms_trade_their_ways_up_to_the_crossing() -> None:
    # two arms out of one side of a block (ports 8 px apart): the upper one runs on right and down to a
    # target below, the lower one runs far right and up, crossing it; traded at the crossing, each keeps
    # its far part and they meet there instead of crossing
    def arm(n: int, points: list[Point]) -> RoutedEdge:
        d = DrawnEdge(n, 0, "hub", f"t{n}", Edge(("hub",), (f"t{n}",)))
        path = ScenePath(points[0], tuple(Line(p) for p in points[1:]))
        return RoutedEdge(d, path, (), tuple(points))

    up = [Point(0, 0), Point(100, 0), Point(100, 200)]
    down = [Point(0, 8), Point(200, 8), Point(200, -100)]
    routed = {0: arm(0, up), 1: arm(1, down)}
    drawn = [r.drawn for r in routed.values()]
    ports = {(0, 0): up[0], (0, 1): up[-1], (1, 0): down[0], (1, 1): down[-1]}
    sides = {0: ("right", "top"), 1: ("right", "bottom")}

    def remade(n: int, points: list[Point]) -> RoutedEdge:
        return arm(n, points)

    out = fans.trade_arms(drawn, routed, [0, 1], ports, sides, remade)
    assert fans._meetings(drawn[0], routed[0].points, drawn[1], routed[1].points) == 0
    assert (out[(0, 0)], out[(1, 0)]) == (down[0], up[0])  # the ports at the shared side traded
    assert routed[0].points[-1] == up[-1] and routed[1].points[-1] == down[-1]  # far ends kept


def _small(title: str, groups: str, versions: str, edges: str) -> str:
    """A description as benchmarks/bench_batch.py's ``small_description`` writes one: block ``bN`` titled
    "service N", in group ``g<groups[N]>``, subtitled ``v<versions[N]>``; edges "a>b", "a>b:calls" labelled."""
    blocks = ",\n".join(
        f'  {{ id = "b{n}", title = "service {n}", subtitle = "v{v}", group = "g{g}" }}'
        for n, (g, v) in enumerate(zip(groups, versions, strict=True))
    )
    ids = sorted(set(groups))
    frames = ", ".join(f'{{ id = "g{g}", label = "group g{g}" }}' for g in ids)
    lines = []
    for e in edges.split():
        ends, _, label = e.partition(":")
        a, b = ends.split(">")
        lines.append(f'  {{ from = "b{a}", to = "b{b}"' + (f', label = "{label}"' if label else "") + " }")
    body = ",\n".join(lines)
    return f'title = "{title}"\ndirection = "TB"\nblock = [\n{blocks},\n]\ngroup = [{frames}]\nedge = [\n{body},\n]\n'


@pytest.mark.parametrize(
    "title, groups, versions, edges",
    [
        (
            "diagram 17",
            "0110110001111",
            "1847396814788",
            "0>1 0>2 0>3 0>4 4>5 4>6 4>7 0>8 2>9 3>10 8>11 0>12 0>1:calls 6>12:calls 7>9:calls 0>9:calls",
        ),
        (
            "diagram 23",
            "120102202220012112",
            "714129428459574191",
            "0>1 1>2 2>3 3>4 3>5 3>6 0>7 7>8 6>9 8>10 4>11 6>12 2>13 0>14 8>15 14>16 11>17 12>16:calls"
            " 4>13:calls 10>11:calls 4>16:calls 0>17:calls 6>11:calls",
        ),
    ],
)
def test_an_arm_over_its_neighbours_head_goes_through_fewer_gates(
    title: str, groups: str, versions: str, edges: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # generated docs diagrams (bench_batch's small_description): an edge's bend alone in a band with no block
    # (a label's layer no label took) lies just short of the next row, so the last S-curves into the row are
    # shallow; the arm to the farther block ran over its neighbour's head, a corner of which the quality ruler
    # reads as the tip: it now S-curves straight from its port (fans.over_heads)
    from svgarch.cli import main

    spec = tmp_path / "small.toml"
    spec.write_text(_small(title, groups, versions, edges), encoding="utf-8")
    assert main(["check", str(spec)]) == 0, capsys.readouterr().out
