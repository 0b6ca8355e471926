"""Small generated docs-site diagrams (benchmarks/bench_batch.py's small descriptions: 10-20 blocks in
2-3 groups) come out clean by ``svgarch check``: issue 11's "the small diagrams must not get worse"."""

from __future__ import annotations

from pathlib import Path

import pytest

from svgarch.check import check_scene, membership_of
from svgarch.pipeline import build_scene
from svgarch.quality import drawing_from_scene, measure
from svgarch.spec import load_model

SMALL = Path(__file__).parent / "small"


def _failures(path: Path) -> list[str]:
    model = load_model(str(path))
    scene, theme = build_scene(model)
    report = check_scene(scene, membership_of(model))
    quality = measure(drawing_from_scene(scene, theme.font("block-title")[1], model.direction, set()))
    found = [f"{title}: {item}" for title, items in quality.failures for item in items]
    return found + ([] if report.clean else ["collisions (check_scene)"])


@pytest.mark.parametrize("name", sorted(p.name for p in SMALL.glob("*.toml")))
def test_a_small_generated_diagram_is_check_clean(name: str) -> None:
    # bb_d007, bb_d010, bb_d029: a plain service block (a "small block", so a merge node) took its
    # skip input round to its flank although the main input came from farther out on that flank:
    # the two arms crossed. bb_d022: a fan's S-curves swept over a frame's caption (layered spacing).
    # bb_d021: two fans' S-curves met in one gap's middle and ran there as one line (fans.set_apart).
    # bb_d020: of three arms into one side the steep one's S ended a stub before the port, its shallower
    # neighbours' did not, and they crossed it (edges._steeps)
    assert _failures(SMALL / name) == []


def test_a_fans_arm_through_a_labels_layer_gets_the_depth_for_its_step_after_that_layer() -> None:
    # node 0 fans out to 1 and 2 two layers down; its arms' dummies (3, 4) in the label layer between
    # lie straight below it, so both arms step in the gap after that layer. Counted as alone at both
    # ends there, that gap kept the least depth, and in TB the arms swept across the caption of the
    # frame starting below it (bench_batch's d022); ``through`` counts them
    from svgarch.layout.layered import spacing

    layer = [0, 2, 2, 1, 1]
    up: list[list[int]] = [[], [3], [4], [0], [0]]
    down: list[list[int]] = [[3, 4], [], [], [1], [2]]
    x = [0.0, 200.0, 300.0, 0.0, 10.0]
    reach, through = [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]
    spacing.widen_for_fans(reach, 0, layer, up, down, x, float("inf"), real=3, through=through)
    assert reach == [10.0, 0.0, 0.0]  # elsewhere such steps may run shallow
    assert through == [10.0, 290.0, 0.0]  # in a gap a frame's border lies in they may not
