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
    # the two arms crossed
    assert _failures(SMALL / name) == []
