"""Group frames keep to their own: no two frames that are not nested overlap, and no frame takes in a
block that is not its member. Checked on the laid-out scene's geometry, for small descriptions that
used to break it and for every bundled diagram (corpus, held-out, fresh, fourth and fifth sets, examples)."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from svgarch.layout.types import group_tree
from svgarch.model import DiagramModel
from svgarch.pipeline import build_scene
from svgarch.scene import Scene
from svgarch.spec import load_model

ROOT = Path(__file__).parent.parent
BUNDLED = sorted(
    path.relative_to(ROOT).as_posix()
    for folder in (
        "benchmarks/corpus",
        "benchmarks/heldout",
        "benchmarks/fresh",
        "benchmarks/fourth",
        "benchmarks/fifth",
        "examples",
    )
    for path in (ROOT / folder).glob("*.toml")
)


def frame_faults(scene: Scene, model: DiagramModel) -> list[str]:
    """Pairs of frames that overlap though neither is nested in the other, and blocks that overlap
    the frame of a group they are not in."""
    tree = group_tree(model)

    def around(group: str) -> list[str]:
        out: list[str] = []
        up: str | None = group
        while up is not None and up not in out:
            out.append(up)
            up = tree.parent.get(up)
        return out

    frames = {g.id: g.box for g in scene.groups}
    faults = [
        f"frames {a} and {b} overlap"
        for a, b in itertools.combinations(sorted(frames), 2)
        if a not in around(b) and b not in around(a) and frames[a].intersects(frames[b])
    ]
    faults += [
        f"block {block.id} is inside frame {group}"
        for block in scene.blocks
        for group, frame in sorted(frames.items())
        if block.id not in tree.within.get(group, ()) and frame.intersects(block.box)
    ]
    return faults


def faults_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "d.toml"
    path.write_text(text, encoding="utf-8")
    model = load_model(path)
    return frame_faults(build_scene(model)[0], model)


def test_the_check_sees_a_frame_over_a_stranger_and_frames_overlapping() -> None:
    # the check itself can fail: a frame moved over its neighbour's block and frame
    model = load_model(ROOT / "benchmarks/heldout/active_active.toml")
    scene = build_scene(model)[0]
    assert frame_faults(scene, model) == []
    frame = next(g.box for g in scene.groups if g.id == "us_a")
    web = next(b.box for b in scene.blocks if b.id == "w_b_web")
    shifted = frame.moved(web.cx - frame.cx, 0)  # AZ a's frame on AZ b's web block
    moved = scene._replace(groups=tuple(g._replace(box=shifted) if g.id == "us_a" else g for g in scene.groups))
    faults = frame_faults(moved, model)
    assert "frames us_a and us_b overlap" in faults
    assert "block w_b_web is inside frame us_a" in faults


# The automatic part, set beside the grid, keeps its caption rooms too: the room kept for a label
# lies left of its frame's blocks, and once left out the frame reached over the grid's blocks
# (heldout/compiler.toml: the middle end's frame over macro expansion, borrow checker, diagnostics).
CAPTION_BESIDE_THE_GRID = """
direction = "TB"
block = [
  { id = "borrowck", title = "borrow checker", row = 4, col = 1 },
  { id = "diag", title = "diagnostics", row = 6, col = 1 },
  { id = "pm", title = "pass manager" },
  { id = "simplify", title = "CFG simplify" },
  { id = "changed", title = "changed?" },
]
group = [
  { id = "middle", label = "middle end (LLVM IR)" },
  { id = "scalar", label = "scalar passes (to a fixed point)", blocks = ["simplify", "changed"], group = "middle" },
]
edge = [
  { from = "pm", to = "simplify" },
  { from = "simplify", to = "changed" },
  { from = "changed", to = "pm" },
]
"""

# A frame grown to hold its label where edges leave room is grown in the arrangement it was measured
# on: once another group's caption makes automatic layout run again, the blocks move and the span kept
# stretched eu_b's frame over the web block left of it (heldout/active_active.toml: AZ us-east-1a's
# frames across AZ us-east-1b's, its label hidden, its public subnet empty).
GROWN_THEN_CAPTIONED = """
direction = "TB"
block = [
  { id = "e_lb", title = "load balancer" },
  { id = "e_a_web", title = "web" },
  { id = "e_b_web", title = "web" },
  { id = "e_b_api", title = "api" },
  { id = "w_lb", title = "load balancer" },
  { id = "w_a_web", title = "web" },
  { id = "w_b_web", title = "web" },
]
group = [
  { id = "eu", label = "eu-west-1", blocks = ["e_lb"] },
  { id = "eu_b", label = "AZ eu-west-1b", group = "eu" },
  { id = "eu_b_pub", label = "public subnet", blocks = ["e_b_web"], group = "eu_b" },
  { id = "eu_b_priv", label = "private subnet", blocks = ["e_b_api"], group = "eu_b" },
]
edge = [
  { from = "e_lb", to = ["e_a_web", "e_b_web"] },
  { from = "e_b_web", to = "e_b_api" },
  { from = "w_lb", to = ["w_a_web", "w_b_web"] },
]
"""

# A frame grows sideways to hold its label only if the frames around it, growing with it, stay clear
# too: the private subnet's grew left under the web block beside it, and its zone's and region's frames
# with it, over that block.
GROWN_WITH_ITS_ENCLOSERS = """
direction = "TB"
block = [
  { id = "w_a_web", title = "web" },
  { id = "w_b_web", title = "web" },
  { id = "w_b_api", title = "api" },
]
group = [
  { id = "us", label = "us-east-1" },
  { id = "us_b", label = "AZ us-east-1b", group = "us" },
  { id = "us_b_pub", label = "public subnet", blocks = ["w_b_web"], group = "us_b" },
  { id = "us_b_priv", label = "private subnet", blocks = ["w_b_api"], group = "us_b" },
]
edge = [{ from = "w_b_web", to = "w_b_api" }]
"""

# A frame is at least as wide as its label; across the layers automatic layout keeps that room only for a
# caption, so a label wider than its blocks widened the frame both ways, over its neighbour's frame
# (two zones of one small block each) or over a block beside it (the middle end over the pass manager).
LABELS_WIDER_THAN_BLOCKS = """
direction = "TB"
block = [{ id = "a_api", title = "api" }, { id = "b_api", title = "api" }]
group = [
  { id = "eu", label = "eu-west-1" },
  { id = "eu_a", label = "AZ eu-west-1a", group = "eu" },
  { id = "eu_a_priv", label = "private subnet", blocks = ["a_api"], group = "eu_a" },
  { id = "eu_b", label = "AZ eu-west-1b", group = "eu" },
  { id = "eu_b_priv", label = "private subnet", blocks = ["b_api"], group = "eu_b" },
]
"""

LABEL_WIDER_THAN_A_NEIGHBOURS_GAP = """
direction = "TB"
block = [{ id = "pm", title = "pass manager" }, { id = "changed", title = "changed?" }]
group = [
  { id = "middle", label = "middle end (LLVM IR)" },
  { id = "scalar", label = "scalar passes (to a fixed point)", blocks = ["changed"], group = "middle" },
]
"""

CASES = {
    "caption": CAPTION_BESIDE_THE_GRID,
    "grown": GROWN_THEN_CAPTIONED,
    "enclosers": GROWN_WITH_ITS_ENCLOSERS,
    "labels": LABELS_WIDER_THAN_BLOCKS,
    "label": LABEL_WIDER_THAN_A_NEIGHBOURS_GAP,
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_frames_keep_to_their_own(tmp_path: Path, text: str) -> None:
    assert faults_of(tmp_path, text) == []


@pytest.mark.parametrize("name", BUNDLED)
def test_no_bundled_diagram_has_a_frame_over_another_or_a_stranger(name: str) -> None:
    model = load_model(ROOT / name)
    assert frame_faults(build_scene(model)[0], model) == []


def test_every_bundled_folder_is_checked() -> None:
    assert sum(name.startswith("benchmarks/heldout/") for name in BUNDLED) >= 10
    assert sum(name.startswith("benchmarks/corpus/") for name in BUNDLED) >= 15
    assert sum(name.startswith("benchmarks/fresh/") for name in BUNDLED) >= 8
    assert sum(name.startswith("benchmarks/fourth/") for name in BUNDLED) >= 10
    assert sum(name.startswith("benchmarks/fifth/") for name in BUNDLED) >= 12


def random_description(seed: int) -> str:
    """Blocks with short and long titles in nested groups with short and long labels, some edges
    (some labelled), some blocks on a grid, in any direction."""
    r = random.Random(seed)
    titles = ["api", "web", "db", "a long block title", "cache", "q", "worker pool", "x"]
    labels = ["g", "a group", "AZ eu-west-1a", "a rather long group label here", "private subnet"]
    count, groups = r.randint(3, 12), r.randint(1, 5)
    lines = [f'direction = "{r.choice(["TB", "LR", "BT", "RL"])}"', "group = ["]
    for i in range(groups):
        parent = r.choice([None, *range(i)])
        inside = f', group = "g{parent}"' if parent is not None else ""
        lines.append(f'  {{ id = "g{i}", label = "{r.choice(labels)}"{inside} }},')
    lines.append("]\nblock = [")
    cells: set[tuple[int, int]] = set()
    for i in range(count):
        group = r.choice([None, *range(groups)])
        keys = f', group = "g{group}"' if group is not None else ""
        cell = (r.randint(0, 4), r.randint(0, 2))
        if group is None and cell not in cells and r.random() < 0.3:
            cells.add(cell)
            keys += f", row = {cell[0]}, col = {cell[1]}"
        lines.append(f'  {{ id = "b{i}", title = "{r.choice(titles)}"{keys} }},')
    lines.append("]\nedge = [")
    for _ in range(r.randint(0, count + 3)):
        a, b = r.sample(range(count), 2)
        lines.append(f'  {{ from = "b{a}", to = "b{b}"' + (', label = "a label"' if r.random() < 0.2 else "") + " },")
    return "\n".join([*lines, "]"]) + "\n"


@pytest.mark.parametrize("seed", range(24))
def test_random_nested_groups_keep_to_their_own(tmp_path: Path, seed: int) -> None:
    assert faults_of(tmp_path, random_description(seed)) == []
