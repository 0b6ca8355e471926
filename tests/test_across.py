"""Sides across the flow: an edge whose other end lies mostly across the flow takes an L facing it."""

from __future__ import annotations

from pathlib import Path

from svgarch.geometry import Box
from svgarch.layout.ports import across_sides, across_toward, facing_sides
from svgarch.pipeline import build_scene
from svgarch.quality import drawing_from_scene, measure
from svgarch.spec import model_from_raw, read_description

CORPUS = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus"


def test_an_end_far_across_the_flow_is_reached_by_an_l() -> None:
    a, b = Box(0, 300, 100, 40), Box(160, 0, 100, 40)  # LR: b 60 px on, 280 px up
    assert across_sides(a, b, ("right", "left"), 20.0, []) == ("top", "left")
    # the upward leg blocked: out along the flow and into the side of b facing a
    assert across_sides(a, b, ("right", "left"), 20.0, [Box(60, 100, 60, 40)]) == ("right", "bottom")
    # both blocked: no L
    assert across_sides(a, b, ("right", "left"), 20.0, [Box(60, 100, 60, 40), Box(180, 200, 40, 40)]) is None
    # not far enough across: the S stays
    assert across_sides(a, Box(160, 200, 100, 40), ("right", "left"), 20.0, []) is None
    # layers as rows (TB): b below and to the left, the same L turned
    a2, b2 = Box(300, 0, 40, 100), Box(0, 160, 40, 100)
    assert across_sides(a2, b2, ("bottom", "top"), 20.0, []) == ("left", "top")
    # against the flow (RL): b to the left and below
    a3, b3 = Box(300, 0, 100, 40), Box(140, 300, 100, 40)
    assert across_sides(a3, b3, ("left", "right"), 20.0, []) == ("bottom", "right")


def test_the_sides_facing_each_other_across_the_flow() -> None:
    """Where an L would be asked, the two sides that face each other across the flow: a line between them
    needs no bend."""
    a, b = Box(0, 300, 100, 40), Box(160, 0, 100, 40)  # LR: b 60 px on, 280 px up
    assert facing_sides(a, b, ("right", "left")) == ("top", "bottom")
    a2, b2 = Box(300, 0, 40, 100), Box(0, 160, 40, 100)  # TB: b below and to the left
    assert facing_sides(a2, b2, ("bottom", "top")) == ("left", "right")
    assert facing_sides(a, Box(160, 200, 100, 40), ("right", "left")) is None  # not far enough across


def test_nested_ls_out_of_one_side_do_not_cross() -> None:
    """Out of a block's top to two blocks up and to the right: the one farther up leaves nearer the left."""
    own, near, far = Box(0, 300, 100, 40), Box(160, 150, 100, 40), Box(160, 0, 100, 40)
    assert across_toward("top", own, far) < across_toward("top", own, near)
    # to the left, mirrored
    near_left, far_left = Box(-260, 150, 100, 40), Box(-260, 0, 100, 40)
    assert across_toward("top", own, far_left) > across_toward("top", own, near_left)


def test_the_lakehouse_fan_into_fivetran_comes_in_by_ls() -> None:
    """The corpus's lakehouse: Salesforce and SAP, far above Fivetran in the next layer, came down beside
    each other as S-curves into its crowded left side (4 rails, p90 2.85 quarter turns); now Ls into its top."""
    path = CORPUS / "lakehouse.toml"
    raw, where = read_description(path)
    model = model_from_raw(raw, str(path), where, path.parent)
    scene, _ = build_scene(model)
    quality = measure(drawing_from_scene(scene, 13.0))
    assert sorted(quality.turning)[int(0.9 * len(quality.turning))] < 1.5
    assert quality.coincident == [] and quality.rails == [] and quality.fan_crossings == []
