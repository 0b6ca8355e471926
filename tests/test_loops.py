"""Self-loops: on a side the flow leaves free, sized for their label, room reserved beside the block,
several on one block apart or nested, each label just outside its loop's apex."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from svgarch.check import check_scene
from svgarch.geometry import Box, Point, segments_cross
from svgarch.layout.loops import Loop, loop_path, plan_loops
from svgarch.pipeline import build_scene
from svgarch.scene import Scene, SceneEdge
from svgarch.spec import load_model

CASES = {
    "two_loops_lr": """direction = "LR"
edge = [
  { from = "a", to = "b" }, { from = "b", to = "c" },
  { from = "b", to = "b", label = "tracking update" }, { from = "b", to = "b", label = "address change" },
]
block = [ { id = "a" }, { id = "b", title = "Shipped" }, { id = "c" } ]
""",
    "loop_beside_a_neighbour": """
edge = [ { from = "a", to = ["b", "c"] }, { from = "b", to = "b", label = "data" } ]
block = [
  { id = "a" },
  { id = "b", shape = "ellipse", title = "FIN_WAIT_2" },
  { id = "c", shape = "ellipse", title = "CLOSING" },
]
""",
    "loop_tb": """
edge = [ { from = "a", to = "b" }, { from = "b", to = "b", label = "retry on 503" }, { from = "b", to = "c" } ]
block = [ { id = "a" }, { id = "b", title = "HTTP client" }, { id = "c" } ]
""",
    "label_longer_than_block": """
edge = [ { from = "a", to = "a", label = "a longer label" } ]
block = [{ id = "a" }, { id = "b", shape = "diamond" }]
""",
    "single_loop": """edge = [ { from = "a", to = "a", label = "a longer label" } ]
block = [ { id = "a" } ]
""",
    "short_label": """edge = [ { from = "a", to = "a", label = "retry" }, { from = "a", to = "b" } ]
block = [ { id = "a" }, { id = "b" } ]
""",
    "two_loops_on_a_diamond": """
edge = [ { from = "b", to = "b", label = "a longer label" }, { from = "b", to = "b", label = "lbl" } ]
block = [{ id = "a" }, { id = "b", shape = "diamond" }]
""",
    "three_loops_tb": """
edge = [
  { from = "a", to = "a", label = "one" }, { from = "a", to = "a", label = "two" },
  { from = "a", to = "a", label = "three" }, { from = "a", to = "b" },
]
block = [ { id = "a", title = "Worker" }, { id = "b" } ]
""",
    "three_loops_lr": """direction = "LR"
edge = [
  { from = "a", to = "a", label = "one" }, { from = "a", to = "a", label = "two" },
  { from = "a", to = "a", label = "three" }, { from = "a", to = "b" },
]
block = [ { id = "a", title = "Worker" }, { id = "b" } ]
""",
    "loops_bt_multiline": """direction = "BT"
edge = [
  { from = "a", to = "b" }, { from = "b", to = "b", label = "two\\nlines" }, { from = "b", to = "c" },
  { from = "c", to = "c", label = "c loop" }, { from = "a", to = "c" },
]
block = [ { id = "a" }, { id = "b", shape = "circle" }, { id = "c", shape = "cylinder" } ]
""",
    "loops_rl_neighbours": """direction = "RL"
edge = [
  { from = "s", to = ["a", "b", "c"] }, { from = "b", to = "b", label = "retry with backoff" },
  { from = "a", to = "a" }, { from = "c", to = "c", label = "x" },
]
block = [ { id = "s" }, { id = "a" }, { id = "b" }, { id = "c" } ]
""",
    "loops_in_a_grid": """
edge = [ { from = "a", to = "a", label = "poll" }, { from = "a", to = "b", label = "push" }, { from = "b", to = "b" } ]
block = [ { id = "a", row = 0, col = 0 }, { id = "b", row = 0, col = 1 } ]
""",
    "loops_in_a_group": """
edge = [
  { from = "a", to = "b" }, { from = "b", to = "b", label = "self check" }, { from = "b", to = "c" },
  { from = "a", to = "a", label = "tick" },
]
block = [ { id = "a", group = "g" }, { id = "b", group = "g" }, { id = "c" } ]
group = [ { id = "g", label = "cluster" } ]
""",
    "loops_beside_flat_edges": """
edge = [
  { from = "a", to = "b", label = "flat" }, { from = "a", to = "a", label = "loop a" },
  { from = "b", to = "b", label = "loop b" }, { from = "b", to = "a", label = "back" },
]
block = [ { id = "a", level = 0 }, { id = "b", level = 0 }, { id = "c", level = 1 } ]
""",
    "state_machine_lr": """direction = "LR"
edge = [
  { from = "new", to = "paid", label = "pay" }, { from = "new", to = "paid", label = "pay with voucher" },
  { from = "new", to = "cancelled", label = "cancel" }, { from = "paid", to = "shipped", label = "ship" },
  { from = "paid", to = "new", label = "payment reversed" }, { from = "shipped", to = "delivered", label = "deliver" },
  { from = "shipped", to = "shipped", label = "tracking update" },
  { from = "shipped", to = "shipped", label = "address change" }, { from = "new", to = "new", label = "edit cart" },
]
block = [
  { id = "new", shape = "pill" }, { id = "paid", shape = "pill" }, { id = "shipped", shape = "pill" },
  { id = "delivered", shape = "pill" }, { id = "cancelled", shape = "pill" },
]
""",
}


def scene_of(tmp_path: Path, text: str) -> Scene:
    path = tmp_path / "d.toml"
    path.write_text(text, encoding="utf-8")
    return build_scene(load_model(path))[0]


def loops_of(scene: Scene) -> list[tuple[SceneEdge, Box | None]]:
    """Every loop with its label's pill (a fan's label belongs to its first edge)."""
    out = []
    for item in scene.edges:
        members = [item] if isinstance(item, SceneEdge) else list(item.edges)
        shared = None if isinstance(item, SceneEdge) else item.label
        for i, e in enumerate(members):
            if e.source == e.target:
                pill = e.label or (shared if i == 0 else None)
                out.append((e, None if pill is None else pill.box))
    return out


def distance(box: Box, p: Point) -> float:
    dx = max(box.x - p.x, 0.0, p.x - box.right)
    dy = max(box.y - p.y, 0.0, p.y - box.bottom)
    return float((dx * dx + dy * dy) ** 0.5)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_picture_is_clean(tmp_path: Path, name: str) -> None:
    report = check_scene(scene_of(tmp_path, CASES[name]))
    assert report.clean, "\n".join(report.lines())


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_loop_label_touches_its_loop_and_does_not_hide_it(tmp_path: Path, name: str) -> None:
    for loop, pill in loops_of(scene_of(tmp_path, CASES[name])):
        if pill is None:
            continue
        points = loop.path.points()
        assert min(distance(pill, p) for p in points) <= 1.0, loop.tooltip  # touching: not floating away
        inside = pill.inflate(-1.0)
        assert not any(inside.contains(p) for p in points), loop.tooltip  # beside the loop, not on it


@pytest.mark.parametrize("name", sorted(CASES))
def test_loops_cross_no_other_edge_and_no_other_block(tmp_path: Path, name: str) -> None:
    scene = scene_of(tmp_path, CASES[name])
    loops = [loop for loop, _ in loops_of(scene)]
    for loop in loops:
        line = loop.path.points()
        for other in scene.all_edges():
            if other is loop:
                continue
            for (p, q), (r, s) in itertools.product(itertools.pairwise(line), itertools.pairwise(other.path.points())):
                assert not segments_cross(p, q, r, s), (loop.tooltip, other.tooltip)
        for block in scene.blocks:
            if block.id != loop.source:
                assert not any(block.box.inflate(2).contains(p) for p in line), (loop.tooltip, block.id)


@pytest.mark.parametrize(
    ("direction", "first", "second"), [("TB", "right", "left"), ("BT", "right", "left"), ("LR", "top", "bottom")]
)
def test_loops_take_the_sides_the_flow_leaves_free(tmp_path: Path, direction: str, first: str, second: str) -> None:
    scene = scene_of(
        tmp_path,
        f'direction = "{direction}"\n'
        'edge = [ { from = "a", to = "b" }, { from = "b", to = "b", label = "one" }, '
        '{ from = "b", to = "b", label = "two" }, { from = "b", to = "c" } ]\n'
        'block = [ { id = "a" }, { id = "b" }, { id = "c" } ]\n',
    )
    (box,) = [b.box for b in scene.blocks if b.id == "b"]
    sides = []
    for _, pill in loops_of(scene):
        assert pill is not None
        dx, dy = pill.cx - box.cx, pill.cy - box.cy
        sides.append(("right" if dx > 0 else "left") if abs(dx) > abs(dy) else ("bottom" if dy > 0 else "top"))
    assert sides == [first, second]


@pytest.mark.parametrize("side", ["top", "bottom", "left", "right"])
def test_a_loop_takes_the_side_its_author_chose(tmp_path: Path, side: str) -> None:
    scene = scene_of(
        tmp_path,
        f'edge = [ {{ from = "a", to = "a", from_side = "{side}", label = "mine" }}, {{ from = "a", to = "b" }} ]\n'
        'block = [ { id = "a" }, { id = "b" } ]\n',
    )
    (box,) = [b.box for b in scene.blocks if b.id == "a"]
    ((loop, pill),) = loops_of(scene)
    first, last = loop.path.points()[0], loop.heads[0][0]
    for end in (first, last):
        assert {"top": end.y - box.y, "bottom": end.y - box.bottom, "left": end.x - box.x, "right": end.x - box.right}[
            side
        ] == pytest.approx(0.0, abs=0.5)
    assert pill is not None and not pill.intersects(box)


def test_room_is_reserved_beside_a_block_for_its_loop(tmp_path: Path) -> None:
    scene = scene_of(tmp_path, CASES["loop_beside_a_neighbour"])
    ((_, pill),) = loops_of(scene)
    assert pill is not None
    (neighbour,) = [b.box for b in scene.blocks if b.id == "c"]
    assert pill.right + 10 <= neighbour.x  # the label, and the loop inside it, stop well before it


def test_a_nested_loop_holds_the_loop_and_label_inside_it() -> None:
    box = Box(0, 0, 120, 40)
    loops = [(0, "a", "auto"), (1, "a", "auto"), (2, "a", "auto")]
    plans = plan_loops(loops, {"a": (120, 40)}, {}, {0: (30, 18), 2: (40, 18)}, True)
    inner, outer = plans[0], plans[2]
    assert inner.side == outer.side == "right" and plans[1].side == "left"
    assert outer.depth > inner.depth + inner.across
    start, end = Point(120, 20 - inner.span / 2), Point(120, 20 + inner.span / 2)
    inner_line = loop_path(start, end, box, "rounded", 8.0, inner).points()
    label = Box.around(120 + inner.depth + 15, 20, 30, 18)
    start, end = Point(120, 20 - outer.span / 2), Point(120, 20 + outer.span / 2)
    outer_line = loop_path(start, end, box, "rounded", 8.0, outer).points()
    assert not any(label.inflate(4).contains(p) for p in outer_line)
    for (p, q), (r, s) in itertools.product(itertools.pairwise(inner_line), itertools.pairwise(outer_line)):
        assert not segments_cross(p, q, r, s)


def test_a_loop_leaves_and_returns_square_to_its_side() -> None:
    loop = Loop("top", 40.0, 24.0, (0.0, 0.0), bulge=20.0)
    path = loop_path(Point(30, 0), Point(70, 0), Box(0, 0, 100, 40), "rounded", 8.0, loop)
    points = path.points()
    assert (points[0] - Point(30, 0)).length() < 1e-9 and (points[-1] - Point(70, 0)).length() < 1e-9
    assert min(p.y for p in points) == pytest.approx(-24.0)
    assert abs(points[1].x - 30) < abs(points[1].y)  # leaves upward, not sideways
