"""svgarch.layout.fans.swap_crossing: two arms of a fan that swap their ports keep a straight arm straight."""

from __future__ import annotations

from pathlib import Path

from svgarch.pipeline import build_scene
from svgarch.spec import load_model

ROOT = Path(__file__).parent.parent


def test_a_straight_arm_whose_port_moved_in_a_swap_still_runs_straight() -> None:
    # heldout/compiler.toml: lexer's arms to the parser below it and to diagnostics (round the left)
    # share lexer's bottom side and crossed; swapped, the parser's arm left from lexer's right port and
    # ran in an S to the parser's middle. Its port on the parser moves with it: one straight line.
    scene = build_scene(load_model(ROOT / "benchmarks/heldout/compiler.toml"))[0]
    arm = next(e for e in scene.all_edges() if (e.source, e.target) == ("lexer", "parser"))
    points = arm.path.points()
    assert max(p.x for p in points) - min(p.x for p in points) < 0.5
    parser = next(b.box for b in scene.blocks if b.id == "parser")
    assert points[0].x > parser.cx + 10  # the swap was made: it left from the right of lexer's bottom

