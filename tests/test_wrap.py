"""``wrap = N``: a long automatic flow folded into rows (LR, RL) or columns (TB, BT), read like text."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from svgarch.check import check_scene
from svgarch.errors import SpecError
from svgarch.layout.layered import LayeredEdge, LayeredNode, layered_layout
from svgarch.pipeline import build_scene
from svgarch.spec import load_model, model_from_raw

ROOT = Path(__file__).resolve().parent.parent
CHAIN = "abcdefghij"


def _width(name: str) -> float:
    return 60 + 10 * CHAIN.index(name)


def _chain(direction: str, every: int) -> tuple[dict[str, tuple[float, float]], int]:
    nodes = [LayeredNode(name, _width(name), 30) for name in CHAIN]
    edges = [LayeredEdge(s, t) for s, t in itertools.pairwise(CHAIN)]
    result = layered_layout(nodes, edges, direction=direction, wrap_every=every, rank_gap=40)
    return result.centres, result.wrap


def test_a_left_to_right_chain_wraps_into_rows_read_left_to_right() -> None:
    centres, wrap = _chain("LR", 4)
    assert wrap == 4
    rows = [CHAIN[0:4], CHAIN[4:8], CHAIN[8:]]
    for row in rows:
        assert len({round(centres[n][1], 6) for n in row}) == 1  # one line
        xs = [centres[n][0] for n in row]
        assert xs == sorted(xs)  # in flow order, left to right
    ys = [centres[row[0]][1] for row in rows]
    assert ys == sorted(ys) and ys[0] < ys[1] - 30 - 40 + 1e-6  # each row below the last, a gap apart
    lefts = {round(centres[row[0]][0] - _width(row[0]) / 2, 6) for row in rows}
    assert lefts == {0.0}  # every row starts at the left


def test_a_top_to_bottom_chain_wraps_into_columns() -> None:
    centres, wrap = _chain("TB", 3)
    assert wrap == 3
    columns = [CHAIN[0:3], CHAIN[3:6], CHAIN[6:9], CHAIN[9:]]
    tops = [centres[column[0]] for column in columns]
    assert [y for _, y in tops] == [tops[0][1]] * 4  # every column starts at the top
    assert [x for x, _ in tops] == sorted(x for x, _ in tops)  # each right of the last
    for column in columns:
        ys = [centres[n][1] for n in column]
        assert ys == sorted(ys)


def test_a_flow_no_longer_than_a_row_is_not_wrapped() -> None:
    plain, _ = _chain("LR", 0)
    wrapped, wrap = _chain("LR", len(CHAIN))
    assert wrap == 0 and wrapped == plain


def test_the_example_is_clean_and_its_row_ends_meet_through_the_gap() -> None:
    model = load_model(ROOT / "examples" / "wrapped_pipeline.toml")
    assert model.wrap == 4
    scene, _ = build_scene(model)
    report = check_scene(scene)
    assert report.clean and not report.crossings
    box = {b.id: b.box for b in scene.blocks}
    assert box["split"].y > box["features"].bottom and box["register"].y > box["compare"].bottom
    assert box["split"].x == pytest.approx(box["ingest"].x, abs=1)
    features_to_split = next(e for e in scene.all_edges() if (e.source, e.target) == ("features", "split"))
    points = features_to_split.path.points()
    # out of the bottom of the row's last block, into the top of the next row's first
    assert points[0].y == pytest.approx(box["features"].bottom, abs=2)
    assert points[-1].y < box["split"].y + 1


@pytest.mark.parametrize("wrap", [0, -3, 2.5, "4", True])
def test_wrap_must_be_a_whole_number_of_at_least_one(wrap: object) -> None:
    raw = {"direction": "LR", "wrap": wrap, "block": [{"id": "a"}]}
    with pytest.raises(SpecError, match="wrap"):
        model_from_raw(raw, "d.json", lambda key: None, ROOT)
