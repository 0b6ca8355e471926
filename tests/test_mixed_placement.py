"""Grid, absolute and automatic placement in one diagram.

What the author placed (grid cells with their spans, notes in cells or at
x/y, blocks at x/y) stays where the author put it; the automatic blocks are
laid out on their own and set beside all of it, across the flow, a grid gap
away: right of it for TB and BT, below it for LR and RL.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest

import svgarch
from svgarch.check import check_scene
from svgarch.geometry import Box, bounding_box
from svgarch.pipeline import build_scene
from svgarch.scene import Scene

GAP_COL, GAP_ROW = 72.0, 54.0  # --sa-gap-col and --sa-gap-row of the bundled themes


def scene_of(raw: dict[str, Any]) -> Scene:
    d = svgarch.Diagram(raw.get("title", ""), direction=raw.get("direction", "TB"))
    for b in raw.get("block", []):
        d.block(**b)
    for e in raw.get("edge", []):
        d.edge(e["from"], e["to"], **{k: v for k, v in e.items() if k not in ("from", "to")})
    for n in raw.get("note", []):
        d.note(**n)
    for g in raw.get("group", []):
        d.group(**g)
    return build_scene(d.model)[0]


def cell(name: str, row: int, col: int, **keys: Any) -> dict[str, Any]:
    return {"id": name, "row": row, "col": col, **keys}


def boxes(scene: Scene) -> dict[str, Box]:
    return {b.id: b.box for b in scene.blocks}


def assert_apart(scene: Scene) -> None:
    for a, b in itertools.combinations(scene.blocks, 2):
        assert not a.box.intersects(b.box), f"{a.id} overlaps {b.id}"


def test_an_automatic_block_clears_every_grid_column() -> None:
    # the reviewer's repro: auto1 used to sit right of the widest block's width from x = 0, on top of b
    raw = {
        "block": [cell("a", 0, 0), cell("b", 0, 1), cell("c", 0, 2), {"id": "auto1"}],
        "edge": [{"from": "c", "to": "auto1"}],
    }
    scene = scene_of(raw)
    at = boxes(scene)
    assert_apart(scene)
    assert at["auto1"].x - at["c"].right == pytest.approx(GAP_COL)
    assert at["auto1"].y == pytest.approx(at["a"].y)  # the two parts share their top
    assert not check_scene(scene).edge_block


@pytest.mark.parametrize(
    "placed",
    [
        {"note": [{"text": "a fairly long note in the grid column widens it", "row": 1, "col": 0}]},
        {"block": [cell("wide", 1, 0, title="a very wide block spanning two columns", colspan=2)]},
        {"note": [{"text": "a note placed by hand, far to the right", "x": 600, "y": 20}]},
        {"block": [{"id": "far", "x": 600, "y": 20}]},
    ],
    ids=["grid note", "colspan", "xy note", "xy block"],
)
def test_automatic_blocks_go_right_of_everything_the_author_placed(placed: dict[str, list[dict[str, Any]]]) -> None:
    raw: dict[str, Any] = {"block": [cell("a", 0, 0), {"id": "b"}, {"id": "c"}]}
    raw["block"] += placed.get("block", [])
    raw["note"] = placed.get("note", [])
    raw["edge"] = [{"from": "a", "to": "b"}, {"from": "b", "to": "c"}]
    scene = scene_of(raw)
    at = boxes(scene)
    authors = bounding_box([at["a"]] + [at[b["id"]] for b in placed.get("block", [])] + [n.box for n in scene.notes])
    assert min(at["b"].x, at["c"].x) == pytest.approx(authors.right + GAP_COL)
    assert_apart(scene)
    for note in scene.notes:
        assert not any(note.box.intersects(at[k]) for k in "bc")
    assert not check_scene(scene).edge_block


@pytest.mark.parametrize("direction", ["LR", "RL"])
def test_across_a_horizontal_flow_the_automatic_part_goes_below(direction: str) -> None:
    raw = {
        "direction": direction,
        "block": [*(cell(f"g{c}", 0, c) for c in range(3)), {"id": "x"}, {"id": "y"}, {"id": "z"}],
        "edge": [{"from": "x", "to": "y"}, {"from": "y", "to": "z"}, {"from": "g2", "to": "x"}],
    }
    at = boxes(scene := scene_of(raw))
    grid = bounding_box([at[f"g{c}"] for c in range(3)])
    auto = bounding_box([at[k] for k in "xyz"])
    assert auto.y == pytest.approx(grid.bottom + GAP_ROW)
    assert auto.x == pytest.approx(grid.x)  # the two parts share their left edge
    assert (at["x"].x < at["z"].x) == (direction == "LR")  # still in layers along the flow
    assert not check_scene(scene).edge_block


def test_a_note_at_x_y_keeps_its_place_and_automatic_blocks_keep_clear() -> None:
    raw = {
        "direction": "LR",
        "block": [{"id": k} for k in "abcd"],
        "edge": [{"from": a, "to": b, "label": text} for a, b, text in ("abx", "bcy", "cdz")],
        "note": [{"text": "hand-placed note near the middle", "x": 300, "y": 40}, {"text": "an unplaced note"}],
    }
    scene = scene_of(raw)
    at = boxes(scene)
    placed, unplaced = scene.notes
    assert all(not placed.box.intersects(box) for box in at.values())
    assert min(box.y for box in at.values()) == pytest.approx(placed.box.bottom + GAP_ROW)
    assert unplaced.box.y > max(box.bottom for box in at.values())  # the unplaced one goes under everything ...
    assert unplaced.box.x == pytest.approx(min(placed.box.x, *(box.x for box in at.values())))  # ... from its left
    assert not check_scene(scene).label_overlaps


def test_two_notes_at_x_y_keep_their_distance() -> None:
    raw = {
        "block": [{"id": "a"}, {"id": "b"}],
        "note": [{"text": "one", "x": 100, "y": 40}, {"text": "two", "x": 300, "y": 90}],
    }
    one, two = scene_of(raw).notes
    assert (two.box.cx - one.box.cx, two.box.cy - one.box.cy) == pytest.approx((200, 50))


def test_group_frames_of_either_part_keep_clear_of_the_other() -> None:
    raw = {
        "block": [
            cell("g0", 0, 0, group="left"),
            cell("g1", 1, 0, group="left"),
            {"id": "a0", "group": "right"},
            {"id": "a1", "group": "right"},
            {"id": "a2"},
        ],
        "edge": [{"from": "a0", "to": "a1", "label": "inside"}, {"from": "a1", "to": "a2"}, {"from": "g1", "to": "a0"}],
        "group": [{"id": "left", "label": "placed by hand"}, {"id": "right", "label": "placed automatically"}],
    }
    scene = scene_of(raw)
    frames = {g.id: g.box for g in scene.groups}
    at = boxes(scene)
    assert not frames["left"].intersects(frames["right"])
    assert not any(frames["left"].intersects(at[k]) for k in ("a0", "a1", "a2"))
    assert not any(frames["right"].intersects(at[k]) for k in ("g0", "g1", "a2"))
    assert frames["right"].x - frames["left"].right == pytest.approx(GAP_COL)


def test_an_edge_into_a_framed_block_goes_round_a_block_in_its_way() -> None:
    # the group's label covers the point the edge aims for above b6: the search used to give up and
    # draw a straight line through b5
    cases: tuple[dict[str, Any], ...] = (
        {"block": [cell("b3", 0, 0), cell("b5", 1, 0), cell("b6", 2, 0)]},
        {"direction": "LR", "block": [cell("b3", 0, 0), {"id": "b5"}, {"id": "b6"}]},
    )
    for raw in cases:
        raw["block"][2]["group"] = "g1"
        raw |= {"edge": [{"from": "b3", "to": "b6"}], "group": [{"id": "g1", "label": "grp"}]}
        assert check_scene(scene_of(raw)).edge_block == []


def random_mixed(rng: random.Random) -> dict[str, Any]:
    """Grid cells (some spanning two columns), automatic blocks, notes in cells and at x/y, groups."""
    ids = [f"b{i}" for i in range(rng.randint(2, 8))]
    free = [(r, c) for r in range(3) for c in range(4)]
    blocks: list[dict[str, Any]] = []
    for i, name in enumerate(ids):
        b: dict[str, Any] = {"id": name}
        if rng.random() < 0.3:
            b["shape"] = rng.choice(["circle", "diamond", "ellipse", "cylinder", "pill", "rect"])
        if rng.random() < 0.15:
            b["title"] = "a much longer block title"
        if i and rng.random() < 0.5:  # the first stays automatic
            r, c = free.pop(rng.randrange(len(free)))
            b |= {"row": r, "col": c}
            if (r, c + 1) in free and rng.random() < 0.25:
                free.remove((r, c + 1))
                b["colspan"] = 2
        if rng.random() < 0.2:
            b["group"] = rng.choice(["g0", "g1"])
        blocks.append(b)
    edges = [{"from": rng.choice(ids), "to": rng.choice(ids)} for _ in range(rng.randint(0, 7))]
    for e in edges:
        if rng.random() < 0.4:
            e["label"] = rng.choice(["x", "label", "longer label text"])
    texts = ["a note", "a fairly long note that widens a column"]
    notes: list[dict[str, Any]] = [{"text": rng.choice(texts)} for _ in range(rng.randint(0, 2))]
    for n in notes:
        if rng.random() < 0.4:
            n |= {"row": 3, "col": rng.randrange(4)}
        elif rng.random() < 0.5:
            n |= {"x": rng.randint(-100, 500), "y": rng.randint(-100, 300)}
    groups = [{"id": g, "label": "grp"} for g in ("g0", "g1") if any(b.get("group") == g for b in blocks)]
    direction = rng.choice(["TB", "BT", "LR", "RL"])
    return {"direction": direction, "block": blocks, "edge": edges, "note": notes, "group": groups}


@pytest.mark.slow
def test_in_random_mixed_diagrams_no_two_blocks_overlap() -> None:
    rng = random.Random(20240611)
    for _ in range(200):
        raw = random_mixed(rng)
        automatic = {b["id"] for b in raw["block"] if "row" not in b}
        placed_notes = [i for i, n in enumerate(raw["note"]) if "row" in n or "x" in n]
        scene = scene_of(raw)
        assert_apart(scene)
        for i in placed_notes:
            assert not any(scene.notes[i].box.intersects(b.box) for b in scene.blocks if b.id in automatic), raw
        groups_of = {b["id"]: b.get("group") for b in raw["block"]}
        for g in scene.groups:
            members = {k for k, v in groups_of.items() if v == g.id}
            if len({k in automatic for k in members}) == 1:  # a group held by one part only: the other part's
                others = [b for b in scene.blocks if (b.id in automatic) != (members <= automatic)]
                assert not any(g.box.intersects(b.box) for b in others), raw


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_an_automatic_block_joined_only_to_the_grid_sits_level_with_its_neighbour(direction: str) -> None:
    # training_job: a grad clipping step between a pinned loss and optimizer, and helpers placed apart
    grid = [cell(f"g{r}", r, 0) if direction == "TB" else cell(f"g{r}", 0, r) for r in range(4)]
    raw = {
        "direction": direction,
        "block": [*grid, {"id": "clip"}, {"id": "helper"}, {"id": "other"}],
        "edge": [
            {"from": "g2", "to": "clip"},
            {"from": "clip", "to": "g3"},
            {"from": "helper", "to": "other"},
            {"from": "other", "to": "g0"},
        ],
    }
    scene = scene_of(raw)
    at = boxes(scene)
    assert_apart(scene)
    if direction == "TB":  # on the row of its first neighbour, just right of the grid, left of the helpers
        assert at["clip"].cy == pytest.approx(at["g2"].cy)
        assert at["g2"].right < at["clip"].x < min(at["helper"].x, at["other"].x)
    else:
        assert at["clip"].cx == pytest.approx(at["g2"].cx)
        assert at["g2"].bottom < at["clip"].y < min(at["helper"].y, at["other"].y)
    assert check_scene(scene).clean


def test_an_edge_from_a_block_with_another_close_under_it_goes_round_it() -> None:
    # gan_training: the way out of a's bottom starts in b's margin (24 px apart); the router's search from
    # there found nothing and the edge was drawn straight through b
    raw = {
        "block": [{"id": "a", "x": 300, "y": 0}, {"id": "b", "x": 300, "y": 60}, {"id": "c", "x": 0, "y": 300}],
        "edge": [{"from": "a", "to": "c"}],
    }
    scene = scene_of(raw)
    assert boxes(scene)["b"].y - boxes(scene)["a"].bottom < 2 * 12 + 1  # closer than two route margins
    report = check_scene(scene)
    assert not report.edge_block and report.clean
