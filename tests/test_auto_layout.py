"""Automatic layout on small descriptions a reviewer would write: clean by
``svgarch check`` and right where check cannot see (label on its edge,
even rank gaps, back edges drawn through their reserved room)."""

from __future__ import annotations

import itertools
import math
import tempfile
from pathlib import Path

import pytest

from svgarch.check import check_scene
from svgarch.geometry import Point
from svgarch.layout.place_auto import heads_apart
from svgarch.measure import spacing_of
from svgarch.pipeline import build_scene
from svgarch.quality import drawing_from_scene, measure
from svgarch.scene import Scene, SceneEdge, SceneFan
from svgarch.spec.load import load_model
from svgarch.theme import load_theme


def scene_of(toml: str) -> Scene:
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "test.toml"
        spec.write_text(toml, encoding="utf-8")
        return build_scene(load_model(spec))[0]


def edge(scene: Scene, source: str, target: str) -> SceneEdge:
    return next(e for e in scene.all_edges() if (e.source, e.target) == (source, target))


def distance_to_path(e: SceneEdge, p: Point) -> float:
    pts = e.path.points()
    best = math.inf
    for a, b in itertools.pairwise(pts):
        d = b - a
        t = 0.0 if d.length() == 0 else max(0.0, min(1.0, ((p - a).x * d.x + (p - a).y * d.y) / d.length() ** 2))
        best = min(best, (a + d.scale(t) - p).length())
    return best


BACK_EDGE = """
direction = "{direction}"
edge = [ {{ from = "a", to = "b" }}, {{ from = "b", to = "c" }}, {{ from = "c", to = "a", label = "retry" }} ]
block = [ {{ id = "a" }}, {{ id = "b" }}, {{ id = "c" }} ]
"""


@pytest.mark.parametrize("direction", ["TB", "LR", "BT", "RL"])
def test_a_labelled_back_edge_goes_round_its_cycle_with_its_label_on_it(direction: str) -> None:
    scene = scene_of(BACK_EDGE.format(direction=direction))
    report = check_scene(scene)
    assert report.clean, report.lines()
    back = edge(scene, "c", "a")
    assert back.label is not None
    assert distance_to_path(back, Point(back.label.box.cx, back.label.box.cy)) < 1.0
    tip = back.heads[0][0]
    a = next(b.box for b in scene.blocks if b.id == "a")
    assert a.inflate(1.0).contains(tip), "the arrow ends on a, the edge's target"


def test_one_label_does_not_squeeze_the_other_rank_gaps() -> None:
    chain = """
edge = [ { from = "a", to = "b" }, { from = "b", to = "c" }, { from = "c", to = "d"{label} } ]
block = [ { id = "a" }, { id = "b" }, { id = "c" }, { id = "d" } ]
"""

    def gaps(toml: str) -> list[float]:
        boxes = {b.id: b.box for b in scene_of(toml).blocks}
        return [boxes[q].y - boxes[p].bottom for p, q in ("ab", "bc", "cd")]

    plain, labelled = gaps(chain.replace("{label}", "")), gaps(chain.replace("{label}", ', label = "x"'))
    assert labelled[0] == pytest.approx(plain[0]) and labelled[1] == pytest.approx(plain[1])
    assert labelled[2] >= plain[2]  # the labelled gap holds its label


def test_a_labelled_fan_keeps_its_targets_on_one_rank() -> None:
    scene = scene_of("""
edge = [ { from = "a", to = ["b", "c", "d"], label = "x" } ]
block = [ { id = "a" }, { id = "b" }, { id = "c" }, { id = "d" } ]
""")
    tops = {round(b.box.y, 2) for b in scene.blocks if b.id != "a"}
    assert len(tops) == 1
    assert check_scene(scene).clean


@pytest.mark.parametrize("route", ["straight", "orthogonal", "curved"])
def test_an_author_route_on_an_automatic_layout_carries_its_label(route: str) -> None:
    scene = scene_of(f"""
edge = [ {{ from = "a", to = "b" }}, {{ from = "b", to = "c" }},
         {{ from = "a", to = "c", route = "{route}", label = "skip" }} ]
block = [ {{ id = "a" }}, {{ id = "b" }}, {{ id = "c" }} ]
""")
    report = check_scene(scene)
    assert report.clean, report.lines()
    skip = edge(scene, "a", "c")
    assert skip.label is not None
    box = skip.label.box  # placed by search, beside its route at worst: the pill touches the line
    assert distance_to_path(skip, Point(box.cx, box.cy)) <= max(box.w, box.h) / 2 + 6


def test_an_edge_past_a_label_clears_a_wider_block_in_the_next_rank() -> None:
    scene = scene_of("""
direction = "LR"
edge = [ { from = "p0", to = "glb", label = "TLS 1.3" }, { from = "p1", to = "glb" }, { from = "p2", to = "glb" } ]
block = [ { id = "p0" }, { id = "p1", title = "PoP Amsterdam", subtitle = "anycast" },
          { id = "p2", title = "PoP Paris", subtitle = "anycast" }, { id = "glb" } ]
""")
    report = check_scene(scene)
    assert report.clean, report.lines()


WIDE_FAN = """
edge = [ { from = "bus", to = ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"], label = "event" } ]
block = [ { id = "bus", title = "Notification bus", shape = "pill" },
          { id = "t0" }, { id = "t1" }, { id = "t2" }, { id = "t3" }, { id = "t4" },
          { id = "t5" }, { id = "t6" }, { id = "t7" }, { id = "t8" }, { id = "t9" } ]
"""


def test_a_wide_fan_gets_a_deeper_gap_and_straight_final_runs() -> None:
    scene = scene_of(WIDE_FAN)
    assert check_scene(scene).clean
    boxes = {b.id: b.box for b in scene.blocks}
    narrow = scene_of(WIDE_FAN.replace('"t5", "t6", "t7", "t8", "t9"', ""))
    narrow_boxes = {b.id: b.box for b in narrow.blocks}
    assert boxes["t0"].y - boxes["bus"].bottom > narrow_boxes["t0"].y - narrow_boxes["bus"].bottom
    for e in scene.all_edges():  # each arrives straight down its own column: no hook before the head
        end = e.path.end
        tip = e.heads[0][0]
        assert abs(tip.x - end.x) < 0.5, e.target
        last = e.path.segments[-1]
        before = e.path.segments[-2].end if len(e.path.segments) > 1 else e.path.start
        assert abs(last.end.x - before.x) < 0.5, e.target


def test_many_arrows_into_a_small_block_keep_their_spacing() -> None:
    scene = scene_of("""
direction = "LR"
edge = [ { from = ["a", "b", "c", "d", "e"], to = "x" } ]
block = [ { id = "a" }, { id = "b" }, { id = "c" }, { id = "d" }, { id = "e" }, { id = "x" } ]
""")
    assert check_scene(scene).clean
    tips = sorted(e.heads[0][0].y for e in scene.all_edges())
    spacing = spacing_of(load_theme("dark"))
    assert min(b - a for a, b in itertools.pairwise(tips)) >= heads_apart(spacing) - 0.5  # heads stay distinct
    # five ends need less room than five --sa-port-spread apart: the block grows, but not that far
    x = next(b.box for b in scene.blocks if b.id == "x")
    assert x.h < 4 * spacing.port_spread + 2 * spacing.port_inset


NINE_INTO_A_SUM = """
direction = "LR"
edge = [ { from = ["a", "b", "c", "d", "e", "f", "g", "h", "i"], to = "sum" }, { from = ["sum", "j"], to = "add" } ]
block = [ { id = "a" }, { id = "b" }, { id = "c" }, { id = "d" }, { id = "e" }, { id = "f" }, { id = "g" },
  { id = "h" }, { id = "i" }, { id = "j" },
  { id = "sum", title = "Σ", shape = "circle" }, { id = "add", title = "⊕", shape = "circle" } ]
"""


@pytest.mark.parametrize("shape", ["circle", "ellipse", "diamond"])
def test_a_small_shape_is_sized_by_its_text_and_its_ends_converge(shape: str) -> None:
    scene = scene_of(NINE_INTO_A_SUM.replace('"circle" }, { id = "add"', f'"{shape}" }}, {{ id = "add"'))
    assert check_scene(scene).clean
    quality = measure(drawing_from_scene(scene, 13.0))
    assert not quality.close_heads and not quality.fan_crossings  # converging heads stay 10 px apart or more
    boxes = {b.id: b.box for b in scene.blocks}
    # the ⊕ with two inputs keeps the size of its text; the Σ with nine grows only as far as distinct heads
    # need (it grew to 238 px when its ends were spread --sa-port-spread apart)
    alone = scene_of('block = [ { id = "add", title = "⊕", shape = "circle" } ]\n').blocks[0].box
    assert boxes["add"].h == pytest.approx(alone.h)
    assert boxes["sum"].h < 2.5 * alone.h
    tips = sorted(e.heads[0][0].y for e in scene.all_edges() if e.target == "sum")
    assert len(tips) == 9 and tips[-1] - tips[0] < boxes["sum"].h  # all on its outline, toward the middle


@pytest.mark.parametrize("spread", [12.0, 30.0])
def test_port_spread_sets_the_room_between_ports(spread: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        css = Path(folder) / "ports.css"
        css.write_text(f".svgarch {{ --sa-port-spread: {spread}px; }}\n", encoding="utf-8")
        spec = Path(folder) / "test.toml"
        spec.write_text(
            'direction = "LR"\nedge = [ { from = ["a", "b", "c", "d", "e"], to = "x" } ]\n'
            'block = [ { id = "a" }, { id = "b" }, { id = "c" }, { id = "d" }, { id = "e" }, { id = "x" } ]\n',
            encoding="utf-8",
        )
        scene = build_scene(load_model(spec)._replace(css=(str(css),)))[0]
    tips = sorted(e.heads[0][0].y for e in scene.all_edges())
    gaps = [b - a for a, b in itertools.pairwise(tips)]
    assert check_scene(scene).clean
    # the first three ends as far apart as asked; a crowded side's others only heads_apart (12 px ≤ it)
    least = min(spread, heads_apart(spacing_of(load_theme("dark"))))
    assert min(gaps) == pytest.approx((2 * spread + 2 * least) / 4, abs=0.5)  # spread evenly, no further


def test_a_long_title_wraps_to_the_drawing_and_keeps_its_own_breaks() -> None:
    long = "A deliberately long title " * 6
    scene = scene_of(f'title = "{long.strip()}"\nblock = [ {{ id = "a" }}, {{ id = "b" }} ]\n')
    assert len(scene.title) >= 2
    blocks_width = max(b.box.right for b in scene.blocks) - min(b.box.x for b in scene.blocks)
    from svgarch.layout.furniture import TITLE_MIN_WIDTH

    assert all(line.box.w <= max(blocks_width, TITLE_MIN_WIDTH) + 0.01 for line in scene.title)
    tops = [line.box.y for line in scene.title]
    assert tops == sorted(tops) and all(t.box.bottom < min(b.box.y for b in scene.blocks) for t in scene.title)
    two = scene_of('title = "First\\nSecond"\nblock = [ { id = "a" } ]\n')
    assert [line.text for line in two.title] == ["First", "Second"]


FAN_OUT = """
direction = "LR"
edge = [ { from = "x", to = ["e1", "e2", "e3", "e4", "e5"], label = "tokens" } ]
block = [ { id = "x", title = "input" }, { id = "e1" }, { id = "e2" }, { id = "e3" }, { id = "e4" }, { id = "e5" } ]
"""


def test_a_fans_label_sits_where_its_arms_split() -> None:
    scene = scene_of(FAN_OUT)
    assert check_scene(scene).clean
    assert not measure(drawing_from_scene(scene, 13.0)).ambiguous_labels
    fan = next(e for e in scene.edges if isinstance(e, SceneFan))
    assert fan.label is not None
    pill = fan.label.box
    source = next(b.box for b in scene.blocks if b.id == "x")
    target = min(b.box.x for b in scene.blocks if b.id != "x")
    # near the block every arm leaves, not out on one arm by its target
    assert pill.x > source.right and pill.cx - source.right < (target - source.right) / 2
    middle = edge(scene, "x", "e3")  # on the middle arm, the nearest thing to a trunk
    assert distance_to_path(middle, Point(pill.cx, pill.cy)) < 1.0


def test_an_edge_between_blocks_of_one_level_goes_round_a_block_between_them(tmp_path: Path) -> None:
    """Such an edge is routed by search along its layer: neighbours keep room for it to pass between
    them (tightly packed layers once sent it straight through the FiLM MLP between encoder and decoder)."""
    spec = tmp_path / "u.toml"
    spec.write_text(
        'block = [{ id = "x", level = 0 }, { id = "c", level = 0 }, { id = "mlp", title = "FiLM MLP (FiLMMLP)" },'
        ' { id = "enc0", title = "enc0 (FiLMConv)", level = 1 }, { id = "enc1", level = 2 },'
        ' { id = "dec1", level = 2 },'
        ' { id = "dec0", title = "dec0 (FiLMConv)", level = 1 }]\n'
        'edge = [{ from = "x", to = "enc0" }, { from = "c", to = "mlp" },'
        ' { from = "mlp", to = ["enc0", "enc1", "dec1", "dec0"] }, { from = "enc0", to = "enc1" },'
        ' { from = "enc1", to = "dec1" }, { from = "dec1", to = "dec0" },'
        ' { from = "enc0", to = "dec0", kind = "skip" }]\n',
        encoding="utf-8",
    )
    scene, _ = build_scene(load_model(spec))
    assert check_scene(scene).edge_block == []


def test_automatic_part_keeps_the_grids_order_along_the_flow() -> None:
    """Automatic blocks fed by the grid's last row come well after one feeding its first row (ETL: the
    quality checks after the sales mart, below the task executor that feeds the extracts), not on
    the automatic part's first layers beside it."""
    pinned = "\n".join(f'  {{ id = "s{i}", title = "stage {i}", row = {i}, col = 0 }},' for i in range(5))
    toml = f"""
block = [
{pinned}
  {{ id = "early", title = "early check" }},
  {{ id = "late", title = "late check" }},
  {{ id = "report", title = "report" }},
  {{ id = "exec", title = "executor" }},
  {{ id = "gate", title = "gate" }},
]
group = [
  {{ id = "qc", label = "qc", blocks = ["early", "late", "report"] }},
  {{ id = "ops", label = "ops", blocks = ["exec", "gate"] }},
]
edge = [
  {{ from = "s0", to = "s1" }}, {{ from = "s1", to = "s2" }},
  {{ from = "s2", to = "s3" }}, {{ from = "s3", to = "s4" }},
  {{ from = "s0", to = "early" }},
  {{ from = "s4", to = "late" }},
  {{ from = ["early", "late"], to = "report" }},
  {{ from = "exec", to = "s0" }},
  {{ from = "s4", to = "gate" }},
  {{ from = "exec", to = "gate" }},
]
"""
    scene = scene_of(toml)
    boxes = {b.id: b.box for b in scene.blocks}
    pitch = boxes["s1"].y - boxes["s0"].y
    assert boxes["late"].y > boxes["exec"].bottom + 2 * pitch
    assert boxes["gate"].y > boxes["exec"].bottom + 2 * pitch
    assert check_scene(scene).clean
