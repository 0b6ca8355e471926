"""Several edges between one pair of blocks, both ways: side by side, each with its own label room."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from svgarch.check import check_scene
from svgarch.fonts import FontBook
from svgarch.geometry import Box, Point, points_box, segment_hits_box
from svgarch.layout.place import place_blocks
from svgarch.layout.types import expand, group_tree
from svgarch.measure import measure
from svgarch.pipeline import build_scene
from svgarch.scene import Scene, SceneEdge
from svgarch.spec import load_model
from svgarch.theme import Theme

PAIRS_BOTH_WAYS = """
edge = [
  { from = "c", to = "s", label = "request" },
  { from = "s", to = "c", label = "response" },
  { from = "c", to = "s", label = "heartbeat" },
  { from = "s", to = "c", label = "push" },
]
block = [ { id = "c", title = "Client" }, { id = "s", title = "Server" } ]
"""

CASES = {
    "two_cycle_lr": """direction = "LR"
edge = [ { from = "a", to = "b", label = "request" }, { from = "b", to = "a", label = "response" } ]
block = [ { id = "a", title = "client" }, { id = "b", title = "server" } ]
""",
    "back_edge_beside_a_fan": """direction = "LR"
edge = [
  { from = "n", to = ["a1", "a2", "a3"], label = "round robin" },
  { from = "a2", to = "n", label = "X-Accel-Redirect" },
]
block = [ { id = "n", title = "nginx" }, { id = "a1" }, { id = "a2" }, { id = "a3" } ]
""",
    "pairs_both_ways_tb": PAIRS_BOTH_WAYS,
    "pairs_both_ways_lr": 'direction = "LR"\n' + PAIRS_BOTH_WAYS,
    "pairs_both_ways_bt": 'direction = "BT"\n' + PAIRS_BOTH_WAYS,
    "pairs_both_ways_rl": 'direction = "RL"\n' + PAIRS_BOTH_WAYS,
    "two_labels_back_bt": """direction = "BT"
edge = [
  { from = "a", to = "b" },
  { from = "b", to = "a", label = "a longer label" },
  { from = "b", to = "a", label = "lbl" },
]
block = [{ id = "a" }, { id = "b", shape = "ellipse" }]
""",
    "protocol_with_cache": """
edge = [
  { from = "client", to = "server", label = "request" },
  { from = "server", to = "client", label = "response" },
  { from = "client", to = "server", label = "heartbeat", kind = "ctl" },
  { from = "server", to = "client", label = "push", kind = "ctl" },
  { from = "server", to = "db", label = "read" },
  { from = "server", to = "db", label = "write" },
  { from = "db", to = "server", label = "notify", kind = "ctl" },
  { from = "client", to = "cache", arrow = "both", label = "sync" },
  { from = "cache", to = "server", arrow = "none", label = "invalidate" },
]
block = [
  { id = "client" }, { id = "server" }, { id = "db", shape = "cylinder" }, { id = "cache", shape = "cylinder" },
]
""",
}


def scene_of(tmp_path: Path, text: str) -> Scene:
    path = tmp_path / "d.toml"
    path.write_text(text, encoding="utf-8")
    return build_scene(load_model(path))[0]


def labelled(scene: Scene) -> list[SceneEdge]:
    return [e for e in scene.all_edges() if e.label is not None]


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_picture_is_clean(tmp_path: Path, name: str) -> None:
    report = check_scene(scene_of(tmp_path, CASES[name]))
    assert report.clean, "\n".join(report.lines())


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_label_sits_on_its_own_edge_and_on_no_other_label(tmp_path: Path, name: str) -> None:
    scene = scene_of(tmp_path, CASES[name])
    edges = labelled(scene)
    for e in edges:
        assert e.label is not None
        points = e.path.points()
        assert any(segment_hits_box(p, q, e.label.box) for p, q in itertools.pairwise(points)), e.tooltip
    for e, f in itertools.combinations(edges, 2):
        assert e.label is not None and f.label is not None
        assert not e.label.box.intersects(f.label.box), (e.tooltip, f.tooltip)


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_arrow_head_lies_under_a_label(tmp_path: Path, name: str) -> None:
    scene = scene_of(tmp_path, CASES[name])
    pills = [e.label.box for e in scene.all_edges() if e.label is not None]
    pills += [item.label.box for item in scene.edges if not isinstance(item, SceneEdge) and item.label is not None]
    for e in scene.all_edges():
        for head in e.heads:
            box = points_box(head)
            assert not any(box.intersects(p.inflate(-1)) for p in pills), e.tooltip


@pytest.mark.parametrize("direction", ["TB", "BT", "LR", "RL"])
def test_parallel_edges_leave_and_arrive_at_distinct_ports(tmp_path: Path, direction: str) -> None:
    scene = scene_of(tmp_path, f'direction = "{direction}"\n' + PAIRS_BOTH_WAYS)
    ends: dict[str, list[Point]] = {}
    for e in scene.all_edges():
        ends.setdefault(e.source, []).append(e.path.start)
        ends.setdefault(e.target, []).append(e.heads[0][0])  # the head's tip: the line stops under it
    least = 12 if direction in ("TB", "BT") else 5  # four ports on a 40 px side crowd together
    for block, points in ends.items():
        assert len(points) == 4
        for p, q in itertools.combinations(points, 2):
            assert (p - q).length() >= least, (block, p, q)


def test_a_labelled_back_edge_gets_its_label_room_between_its_ends(tmp_path: Path, dark: Theme) -> None:
    path = tmp_path / "d.toml"
    path.write_text(PAIRS_BOTH_WAYS, encoding="utf-8")
    model = load_model(path)
    drawn = expand(model.edges)
    placement = place_blocks(model, measure(model, dark, FontBook()), group_tree(model), drawn)
    assert sorted(placement.label_spots) == [0, 1, 2, 3]
    assert sorted(placement.guides) == [0, 1, 2, 3]
    client, server = placement.boxes["c"], placement.boxes["s"]
    between = Box(client.x - 1000, client.bottom, 2000, server.y - client.bottom)
    for spot in placement.label_spots.values():
        assert between.contains(spot)
    spots = sorted(spot.x for spot in placement.label_spots.values())
    assert all(b - a > 30 for a, b in itertools.pairwise(spots))  # side by side, not stacked
