"""Groups on the drawing: edges that start or end on a frame, and labels no edge crosses.

Whole descriptions go through the pipeline (svgarch.layout.groups, the routing
of svgarch.layout.edges, the caption room of the layered engine); the checks
are geometric, on the scene.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from svgarch.check import check_scene
from svgarch.geometry import Box, Point, segment_hits_box
from svgarch.layout.gates import above_frame_tops
from svgarch.layout.groups import PAD, free_labels
from svgarch.pipeline import build_scene
from svgarch.scene import Scene, SceneEdge, SceneGroup, TextLine
from svgarch.spec import model_from_raw

DIRECTIONS = ("TB", "BT", "LR", "RL")


def scene_of(raw: dict[str, Any]) -> Scene:
    return build_scene(model_from_raw(raw, "<t>", lambda key: None, Path(".")))[0]


def reach(e: SceneEdge) -> list[Point]:
    """The edge's line and the tips of its heads."""
    return e.path.points() + [h[0] for h in e.heads]


def label_crossings(scene: Scene) -> list[str]:
    """Group labels an edge passes through or ends on (their text box, less a pixel)."""
    out = []
    for g in scene.groups:
        if g.label is None:
            continue
        box = g.label.box.inflate(-1)
        for e in scene.all_edges():
            if any(segment_hits_box(p, q, box) for p, q in itertools.pairwise(reach(e))):
                out.append(f"{g.id} label crossed by {e.source}→{e.target}")
    return out


def frame(scene: Scene, group: str) -> Box:
    return next(g.box for g in scene.groups if g.id == group)


def on_outline(p: Point, box: Box, tolerance: float = 1.0) -> bool:
    inside = box.inflate(tolerance).contains(p)
    return inside and not box.inflate(-tolerance).contains(p)


def pool(direction: str, grid: bool) -> dict[str, Any]:
    """lb → [worker pool: w1 w2] → db: both edges name the group."""
    cells: dict[str, dict[str, int]] = {}
    if grid:  # the same shape on a grid, along the flow
        along = {"lb": 0, "w1": 1, "w2": 1, "db": 2}
        across = {"lb": 0, "w1": 0, "w2": 1, "db": 0}
        rows = direction in ("TB", "BT")
        cells = {k: {"row": along[k], "col": across[k]} if rows else {"row": across[k], "col": along[k]} for k in along}
    blocks = [
        {"id": "lb", "title": "Load balancer"},
        {"id": "w1", "title": "worker 1", "group": "pool"},
        {"id": "w2", "title": "worker 2", "group": "pool"},
        {"id": "db", "title": "DB", "shape": "cylinder"},
    ]
    return {
        "direction": direction,
        "block": [{**b, **cells.get(b["id"], {})} for b in blocks],
        "group": [{"id": "pool", "label": "worker pool"}],
        "edge": [{"from": "lb", "to": "pool", "label": "round robin"}, {"from": "pool", "to": "db"}],
    }


CASES = [(d, False) for d in DIRECTIONS] + [("TB", True), ("LR", True)]


@pytest.mark.parametrize(("direction", "grid"), CASES)
def test_an_edge_to_a_group_ends_on_its_frame_and_one_from_it_starts_there(direction: str, grid: bool) -> None:
    scene = scene_of(pool(direction, grid))
    box = frame(scene, "pool")
    into = next(e for e in scene.all_edges() if e.target == "pool")
    out_of = next(e for e in scene.all_edges() if e.source == "pool")
    assert on_outline(into.heads[0][0], box), (into.heads[0][0], box)  # the arrow's tip touches the frame
    assert on_outline(out_of.path.start, box), (out_of.path.start, box)
    report = check_scene(scene)
    assert report.edge_block == [] and report.label_overlaps == []  # through no block, not even the pool's own
    assert label_crossings(scene) == []


@pytest.mark.parametrize(("direction", "grid"), CASES)
def test_the_group_follows_the_edge_into_it(direction: str, grid: bool) -> None:
    scene = scene_of(pool(direction, grid))
    boxes = {b.id: b.box for b in scene.blocks}
    box = frame(scene, "pool")
    lb, db = boxes["lb"], boxes["db"]
    forward = {
        "TB": lb.bottom <= box.y and box.bottom <= db.y,
        "BT": box.bottom <= lb.y and db.bottom <= box.y,
        "LR": lb.right <= box.x and box.right <= db.x,
        "RL": box.right <= lb.x and db.right <= box.x,
    }
    assert forward[direction]


def test_edges_to_groups_are_drawn_as_edges_naming_the_group() -> None:
    from svgarch.render.svg import to_svg
    from svgarch.theme import load_theme

    svg = to_svg(scene_of(pool("TB", grid=False)), load_theme("dark"))
    assert 'data-from="lb" data-to="pool"' in svg and 'data-from="pool" data-to="db"' in svg


def test_an_edge_between_nested_groups_ends_on_the_inner_frame() -> None:
    raw = {
        "block": [
            {"id": "a", "group": "inner"},
            {"id": "b", "group": "outer"},
            {"id": "c"},
        ],
        "group": [{"id": "outer", "label": "outer"}, {"id": "inner", "label": "inner", "group": "outer"}],
        "edge": [{"from": "c", "to": "inner"}, {"from": "inner", "to": "b"}],
    }
    scene = scene_of(raw)
    inner = frame(scene, "inner")
    ends = [e.heads[0][0] for e in scene.all_edges() if e.target == "inner"]
    starts = [e.path.start for e in scene.all_edges() if e.source == "inner"]
    assert all(on_outline(p, inner) for p in ends + starts)
    assert check_scene(scene).edge_block == [] and label_crossings(scene) == []


# --- labels no edge crosses -------------------------------------------------------------------


def m35(direction: str = "TB", out: bool = False) -> dict[str, Any]:
    """The held-out case: an edge into (or out of) a group whose one block is narrower than its label."""
    edge = {"from": "svc_api", "to": "ingress"} if out else {"from": "ingress", "to": "svc_api"}
    return {
        "direction": direction,
        "edge": [edge],
        "block": [{"id": "ingress"}, {"id": "svc_api", "group": "ns_api"}],
        "group": [{"id": "ns_api", "label": "namespace: api"}],
    }


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("out", [False, True])
def test_an_edge_through_the_label_side_does_not_cross_the_label(direction: str, out: bool) -> None:
    scene = scene_of(m35(direction, out))
    assert label_crossings(scene) == []
    assert check_scene(scene).clean


def test_the_same_on_a_grid_the_frame_grows_beside_the_edge() -> None:
    raw = m35()
    raw["block"] = [{"id": "ingress", "row": 0, "col": 0}, {"id": "svc_api", "group": "ns_api", "row": 1, "col": 0}]
    scene = scene_of(raw)
    assert label_crossings(scene) == []
    box, block = frame(scene, "ns_api"), next(b.box for b in scene.blocks if b.id == "svc_api")
    label = next(g.label for g in scene.groups if g.id == "ns_api")
    assert label is not None and (label.box.right < block.cx or label.box.x > block.cx)  # beside the edge
    assert box.x == pytest.approx(block.x - PAD) or box.right == pytest.approx(block.right + PAD)  # one side grew


def test_with_no_room_to_slide_or_grow_automatic_layout_keeps_room_for_the_label() -> None:
    # neighbours on both sides of the group, in its rank, so its frame cannot grow
    raw = m35()
    raw["block"] = [{"id": n} for n in ("ingress", "a", "b")] + [{"id": "svc_api", "group": "ns_api"}, {"id": "c"}]
    raw["edge"] = [{"from": "ingress", "to": ["a", "b", "svc_api", "c"]}]
    scene = scene_of(raw)
    assert label_crossings(scene) == []
    boxes = {b.id: b.box for b in scene.blocks}
    assert boxes["b"].right < boxes["svc_api"].x < boxes["c"].x  # one rank, neighbours on both sides
    box = frame(scene, "ns_api")
    label = next(g.label for g in scene.groups if g.id == "ns_api")
    assert label is not None and label.box.x == pytest.approx(box.x + PAD)  # at the top left, its room kept
    assert boxes["svc_api"].x > label.box.right  # the block (and the edge into it) beside it


def held_out_k8s() -> dict[str, Any]:
    """The shape of the held-out k8s diagram: nested namespaces, edges into them from above."""
    edges = [
        {"from": "user", "to": "ingress", "label": "HTTPS :443"},
        {"from": "ingress", "to": ["svc_web", "svc_api"], "label": "host rules"},
        {"from": "svc_api", "to": ["api1", "api2"]},
        {"from": ["api1", "api2"], "to": "pg", "kind": "data", "label": "5432"},
        {"from": ["api1", "api2"], "to": "redis", "kind": "data"},
        {"from": "svc_web", "to": "web1"},
    ]
    grouped = {
        "ingress": "sys", "svc_web": "ns_web", "web1": "ns_web", "svc_api": "ns_api",
        "api1": "ns_api", "api2": "ns_api", "pg": "ns_data", "redis": "ns_data",
    }  # fmt: skip
    blocks = [{"id": "user", "shape": "ellipse"}] + [{"id": k, "group": g} for k, g in grouped.items()]
    groups = [{"id": "cluster", "label": "cluster: prod-eu-west-1"}] + [
        {"id": g, "label": f"namespace: {g}", "group": "cluster"} for g in ("sys", "ns_web", "ns_api", "ns_data")
    ]
    return {"edge": edges, "block": blocks, "group": groups}


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_nested_namespaces_in_every_direction(direction: str) -> None:
    scene = scene_of({**held_out_k8s(), "direction": direction})
    assert label_crossings(scene) == []
    assert check_scene(scene).clean


# --- the pieces --------------------------------------------------------------------------------


def group_with_label(x: float, width: float) -> SceneGroup:
    text = TextLine("label", x + PAD, 15, "group-label", "start", Box(x + PAD, 4, 60, 14))
    return SceneGroup("g", Box(x, 0, width, 100), text)


def test_a_label_stays_where_no_edge_runs() -> None:
    groups, crossed = free_labels([group_with_label(0, 200)], [[Point(150, -50), Point(150, 50)]])
    assert groups[0].label == group_with_label(0, 200).label and crossed == {}


def test_a_crossed_label_moves_to_the_right_else_to_the_first_free_place() -> None:
    (moved,), _ = free_labels([group_with_label(0, 200)], [[Point(30, -50), Point(30, 50)]])
    assert moved.label is not None and moved.label.box.x == pytest.approx(200 - PAD - 60)
    lines = [[Point(30, -50), Point(30, 50)], [Point(170, -50), Point(170, 50)]]
    (moved,), _ = free_labels([group_with_label(0, 200)], lines)
    assert moved.label is not None and moved.label.box.x == pytest.approx(30 + 6)  # just past the first edge


def test_an_arrow_ending_on_the_frame_under_the_label_counts() -> None:
    (moved,), _ = free_labels([group_with_label(0, 200)], [[Point(40, -50), Point(40, 0)]])
    assert moved.label is not None and moved.label.box.x > 40


def test_a_label_with_no_free_place_says_where_the_frame_could_grow() -> None:
    groups, crossed = free_labels([group_with_label(0, 90)], [[Point(45, -50), Point(45, 50)]])
    assert groups[0].label == group_with_label(0, 90).label  # left as it was
    assert set(crossed["g"]) == {(45 + 6, 45 + 6 + 60), (45 - 6 - 60, 45 - 6)}  # beside the edge, either side
    (_, first), (_, second) = crossed["g"][0], crossed["g"][1]
    (box,) = groups
    grows = [max(0.0, end + PAD - box.box.right) + max(0.0, box.box.x - (end - 60 - PAD)) for end in (first, second)]
    assert grows[0] <= grows[1]  # less growth first


def test_curves_between_bands_make_their_moveabove_frame_tops() -> None:
    runs = [(Point(0, 0), Point(0, 10)), (Point(100, 90), Point(100, 130))]
    framed = Box(80, 60, 60, 80)  # its top at 60, in the gap 10 .. 90, under the sweep
    moved = above_frame_tops(runs, [framed])
    assert moved[1] == (Point(100, 60 - 4), Point(100, 130))  # the lower run starts above the frame
    upward = [(Point(100, 130), Point(100, 90)), (Point(0, 10), Point(0, 0))]
    assert above_frame_tops(upward, [framed])[0] == (Point(100, 130), Point(100, 56))
    aside = Box(300, 60, 60, 80)
    assert above_frame_tops(runs, [aside]) == runs  # not under the sweep
    tight = Box(80, 18, 60, 80)
    assert above_frame_tops(runs, [tight]) == runs  # too little room left: the curve keeps the gap

