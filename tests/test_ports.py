"""svgarch.layout.ports: which side an edge uses and where on that side."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from svgarch.check import check_scene
from svgarch.geometry import Box, Point
from svgarch.layout.ports import (
    INWARD,
    OUTWARD,
    PortRequest,
    auto_sides,
    clear_of_labels,
    desired_position,
    follow_moved,
    spread,
)
from svgarch.pipeline import build_scene
from svgarch.read_svg import read_scene
from svgarch.render.svg import to_svg
from svgarch.shapes import NORMALS
from svgarch.spec import load_model

A = Box(0, 0, 100, 40)


@pytest.mark.parametrize(
    ("b", "sides"),
    [
        (Box(0, 100, 100, 40), ("bottom", "top")),  # straight below
        (Box(20, -100, 60, 40), ("top", "bottom")),  # straight above
        (Box(200, 0, 100, 40), ("right", "left")),  # beside, to the right
        (Box(-200, 10, 100, 40), ("left", "right")),  # beside, to the left
    ],
)
@pytest.mark.parametrize("flow_vertical", [True, False])
def test_blocks_apart_along_one_axis_face_each_other(b: Box, sides: tuple[str, str], flow_vertical: bool) -> None:
    assert auto_sides(A, b, flow_vertical) == sides
    assert auto_sides(b, A, flow_vertical) == sides[::-1]


def test_diagonal_blocks_leave_along_the_flow_and_arrive_from_the_side() -> None:
    below_right = Box(300, 200, 100, 40)
    assert auto_sides(A, below_right, flow_vertical=True) == ("bottom", "left")
    assert auto_sides(A, below_right, flow_vertical=False) == ("right", "top")
    # against the flow: mirrored, so the edge still arrives along the flow axis
    assert auto_sides(below_right, A, flow_vertical=True) == ("left", "bottom")
    assert auto_sides(below_right, A, flow_vertical=False) == ("top", "right")


def test_overlapping_blocks_use_the_larger_offset() -> None:
    assert auto_sides(A, Box(10, 30, 100, 40), True) == ("bottom", "top")
    assert auto_sides(A, Box(60, 5, 100, 40), True) == ("right", "left")


def test_direction_codes_agree() -> None:
    steps = {0: Point(1, 0), 1: Point(0, 1), 2: Point(-1, 0), 3: Point(0, -1)}  # the router's codes
    for side, normal in NORMALS.items():
        assert steps[OUTWARD[side]] == normal
        assert steps[INWARD[side]] == normal.scale(-1)


def test_facing_sides_that_overlap_meet_in_the_middle_of_the_overlap() -> None:
    other = Box(60, 100, 100, 40)  # x overlap is 60..100
    assert desired_position(A, "bottom", other, "top") == 80
    assert desired_position(other, "top", A, "bottom") == 80


def test_facing_sides_apart_lean_toward_the_other_block() -> None:
    far = Box(500, 100, 100, 40)
    assert desired_position(A, "bottom", far, "top") == 100  # clamped to the side's end
    assert desired_position(A, "right", Box(200, 25, 100, 40), "left") == 32.5  # middle of the y overlap 25..40


def test_perpendicular_sides_lean_at_most_a_quarter() -> None:
    far_right = Box(1000, 300, 100, 40)
    assert desired_position(A, "bottom", far_right, "left") == 50 + 25
    near = Box(55, 300, 10, 40)  # centre x 60: within the lean
    assert desired_position(A, "bottom", near, "left") == 60


def test_a_lone_port_sits_where_it_wants() -> None:
    ports = spread([PortRequest((0, 0), "a", "bottom", 40.0)], {"a": A}, 18, 14)
    assert ports[(0, 0)] == Point(40, 40)


def test_a_port_stays_off_the_corners() -> None:
    ports = spread([PortRequest((0, 0), "a", "right", -500.0)], {"a": A}, 18, 14)
    assert ports[(0, 0)] == Point(100, 10)  # inset min(14, 40 / 4) from the top corner


@pytest.mark.parametrize("wanted", [[50.0, 50.0, 50.0], [10.0, 12.0, 90.0, 91.0], [0.0] * 6])
def test_ports_on_one_side_are_spread_apart_in_order(wanted: list[float]) -> None:
    box = Box(0, 0, 200, 40)
    requests = [PortRequest((i, 1), "a", "top", w, toward=float(i)) for i, w in enumerate(wanted)]
    ports = spread(requests, {"a": box}, 18, 14)
    xs = [ports[(i, 1)].x for i in range(len(wanted))]
    assert all(p.y == box.y for p in ports.values())  # on the top side
    assert all(14 - 1e-6 <= x <= 186 + 1e-6 for x in xs)
    ordered = sorted(xs)
    assert all(b - a >= 18 - 1e-3 for a, b in itertools.pairwise(ordered))


def test_a_crowded_side_squeezes_its_ports_but_keeps_them_on_it() -> None:
    box = Box(0, 0, 60, 40)
    requests = [PortRequest((i, 0), "a", "bottom", 30.0, toward=float(i)) for i in range(5)]
    ports = spread(requests, {"a": box}, 18, 14)
    xs = sorted(p.x for p in ports.values())
    lo, hi = 14, 46
    assert xs[0] >= lo - 1e-6 and xs[-1] <= hi + 1e-6
    assert all(b - a >= (hi - lo) / 4 - 1e-6 for a, b in itertools.pairwise(xs))


def test_nearly_aligned_facing_ports_are_made_straight() -> None:
    boxes = {"a": Box(0, 0, 100, 40), "b": Box(10, 100, 100, 40)}
    requests = [PortRequest((0, 0), "a", "bottom", 50.0), PortRequest((0, 1), "b", "top", 64.0)]
    ports = spread(requests, boxes, 18, 14)
    assert ports[(0, 0)].x == ports[(0, 1)].x
    assert ports[(0, 0)].y == 40 and ports[(0, 1)].y == 100


def test_ports_far_apart_are_not_straightened() -> None:
    boxes = {"a": Box(0, 0, 100, 40), "b": Box(300, 100, 100, 40)}
    requests = [PortRequest((0, 0), "a", "bottom", 30.0), PortRequest((0, 1), "b", "top", 370.0)]
    ports = spread(requests, boxes, 18, 14)
    assert ports[(0, 0)].x == 30 and ports[(0, 1)].x == 370


@pytest.mark.parametrize("radius", [0.0, 3.0, 30.0])
def test_sa_radius_rounds_block_corners_where_renderer_checker_and_ports_agree(tmp_path: Path, radius: float) -> None:
    css = tmp_path / "corners.css"
    css.write_text(f".svgarch {{ --sa-radius: {radius}px; }}\n", encoding="utf-8")
    spec = tmp_path / "d.toml"
    spec.write_text(  # three ends on the bottom of a narrow block reach into its corners
        'edge = [ { from = "x", to = ["a", "b", "c"] } ]\n'
        'block = [ { id = "x", row = 0, col = 1 }, { id = "a", row = 1, col = 0 }, { id = "b", row = 1, col = 1 },'
        ' { id = "c", row = 1, col = 2 }, { id = "p", shape = "pill", row = 0, col = 0 },'
        ' { id = "r", shape = "rect", row = 0, col = 2 } ]\n',
        encoding="utf-8",
    )
    scene, theme = build_scene(load_model(spec)._replace(css=(str(css),)))
    radii = {b.id: b.radius for b in scene.blocks}
    assert radii["x"] == radii["a"] == radius
    assert radii["r"] == 0.0 and radii["p"] == next(b.box.h / 2 for b in scene.blocks if b.id == "p")
    assert check_scene(scene).clean  # edge ends lie on the outlines as drawn
    svg = tmp_path / "d.svg"
    svg.write_text(to_svg(scene, theme), encoding="utf-8")
    assert (f'rx="{radius:g}"' in svg.read_text(encoding="utf-8")) == (radius > 0)
    assert read_scene(svg).blocks[0].radius == radius  # as drawn


def test_an_end_whose_side_a_kept_label_fronts_comes_in_from_the_side_facing_its_other_end() -> None:
    source, target = Box(0, 300, 100, 40), Box(300, 0, 160, 60)
    wide = Box(310, 80, 140, 18)  # 20 px under the target, over most of its bottom
    assert clear_of_labels(source, target, ("right", "bottom"), [wide], 33.0) == ("right", "left")
    narrow = Box(400, 80, 40, 18)  # a quarter of it: ports find room beside
    assert clear_of_labels(source, target, ("right", "bottom"), [narrow], 33.0) == ("right", "bottom")
    far = Box(310, 120, 140, 18)  # beyond where the lead-in runs
    assert clear_of_labels(source, target, ("right", "bottom"), [far], 33.0) == ("right", "bottom")


def test_an_end_follows_its_moved_label_along_its_side_unless_that_crowds_or_crosses() -> None:
    boxes = {"a": Box(0, 0, 200, 40)}
    requests = [PortRequest((0, 0), "a", "bottom", 60.0), PortRequest((1, 0), "a", "bottom", 120.0)]
    ports = {(0, 0): Point(60, 40), (1, 0): Point(120, 40)}
    moved = follow_moved(ports, requests, boxes, {(1, 0): 160.0}, 20.0, 18.0)
    assert moved[(1, 0)] == Point(160, 40) and moved[(0, 0)] == ports[(0, 0)]
    assert follow_moved(ports, requests, boxes, {}, 20.0, 18.0) is ports
    for to in (70.0, 30.0, 195.0):  # too near the other end, past it, off the side's room
        assert follow_moved(ports, requests, boxes, {(1, 0): to}, 20.0, 18.0) == ports
