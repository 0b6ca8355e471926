"""svgarch.layout.labels: pills placed along their edge, clear of everything else."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import svgarch
from svgarch.check import check_scene
from svgarch.geometry import Box, Point, segment_hits_box
from svgarch.layout.labels import LabelRequest, place_labels
from svgarch.layout.spatial import BoxIndex, SegmentIndex
from svgarch.measure import Measurer
from svgarch.pipeline import build_scene
from svgarch.scene import Pill
from svgarch.spec import load_model

ROOT = Path(__file__).parent.parent
VERTICAL = (Point(100, 0), Point(100, 300))
HORIZONTAL = (Point(0, 150), Point(400, 150))


def request(measurer: Measurer, text: str, owner: int, *paths: tuple[Point, ...]) -> LabelRequest:
    return LabelRequest((owner,), tuple(paths), measurer.stack((text, "label-text")))


def index(*paths: tuple[Point, ...]) -> SegmentIndex:
    idx = SegmentIndex()
    for owner, path in enumerate(paths):
        idx.add(owner, path)
    return idx


def distance_to(path: tuple[Point, ...], p: Point) -> float:
    best = float("inf")
    for a, b in itertools.pairwise(path):
        d = b - a
        t = max(0.0, min(1.0, ((p.x - a.x) * d.x + (p.y - a.y) * d.y) / (d.x * d.x + d.y * d.y)))
        best = min(best, (a + d.scale(t) - p).length())
    return best


def test_a_free_label_sits_on_the_middle_of_its_edge(measurer: Measurer) -> None:
    (pill,) = place_labels([request(measurer, "AvgPool 2×2", 0, VERTICAL)], [], [], index(VERTICAL))
    assert pill.box.centre == Point(100, 150)
    assert [ln.text for ln in pill.lines] == ["AvgPool 2×2"]


def test_the_pill_holds_its_text_with_padding(measurer: Measurer) -> None:
    (pill,) = place_labels([request(measurer, "two\nlines", 0, VERTICAL)], [], [], index(VERTICAL))
    assert len(pill.lines) == 2
    for line in pill.lines:
        assert line.anchor == "middle" and line.x == pytest.approx(pill.box.cx)
        assert pill.box.x + 5 - 1e-9 <= line.box.x and line.box.right <= pill.box.right - 5 + 1e-9
        assert pill.box.y + 2.5 - 1e-9 <= line.box.y and line.box.bottom <= pill.box.bottom - 2.5 + 1e-9


def test_a_label_moves_off_a_block(measurer: Measurer) -> None:
    block = Box(60, 120, 80, 60)  # over the middle of the edge
    (pill,) = place_labels([request(measurer, "label", 0, VERTICAL)], [block], [], index(VERTICAL))
    assert not pill.box.intersects(block)
    assert distance_to(VERTICAL, pill.box.centre) < 40  # still by its edge


def test_a_label_moves_off_a_note(measurer: Measurer) -> None:
    note = Box(80, 140, 40, 20)
    (pill,) = place_labels([request(measurer, "label", 0, VERTICAL)], [], [note], index(VERTICAL))
    assert not pill.box.intersects(note)


def test_a_label_avoids_a_foreign_edge(measurer: Measurer) -> None:
    own, foreign = VERTICAL, HORIZONTAL  # they cross at the middle of the own edge
    (pill,) = place_labels([request(measurer, "label", 0, own)], [], [], index(own, foreign))
    assert not any(segment_hits_box(a, b, pill.box) for a, b in itertools.pairwise(foreign))
    assert distance_to(own, pill.box.centre) < 1e-9  # on its own line, just elsewhere along it


def test_labels_do_not_overlap_each_other(measurer: Measurer) -> None:
    reqs = [request(measurer, f"label number {i}", 0, VERTICAL) for i in range(4)]
    pills = place_labels(reqs, [], [], index(VERTICAL))
    for a, b in itertools.combinations(pills, 2):
        assert not a.box.intersects(b.box)


def test_a_fan_gets_one_pill_by_one_of_its_edges(measurer: Measurer) -> None:
    left, right = (Point(0, 0), Point(0, 300)), (Point(300, 0), Point(300, 300))
    fan = LabelRequest((0, 1), (left, right), measurer.stack(("fan", "label-text")))
    pills = place_labels([fan], [], [], index(left, right))
    assert len(pills) == 1 and isinstance(pills[0], Pill)
    assert min(distance_to(left, pills[0].box.centre), distance_to(right, pills[0].box.centre)) < 1e-9


def test_a_boxed_in_label_still_gets_a_place(measurer: Measurer) -> None:
    wall = Box(-1000, -1000, 3000, 3000)
    (pill,) = place_labels([request(measurer, "label", 0, VERTICAL)], [wall], [], index(VERTICAL))
    assert pill.box.centre == Point(100, 150)  # nothing is free: the first choice stays


def test_segment_index_finds_owners_by_box() -> None:
    idx = index(VERTICAL, HORIZONTAL, (Point(500, 500), Point(600, 500)))
    assert idx.owners_hitting(Box(90, 140, 20, 20)) == {0, 1}
    assert idx.owners_hitting(Box(550, 490, 10, 20)) == {2}
    assert idx.owners_hitting(Box(300, 300, 10, 10)) == set()
    assert idx.owners_hitting(Box(101, 0, 10, 10)) == set()  # beside the line


def test_box_index_counts_distinct_hits() -> None:
    idx = BoxIndex(cell=50)
    big, small = Box(0, 0, 200, 200), Box(300, 300, 10, 10)
    idx.add(big)
    idx.add(small)
    assert idx.count_hits(Box(10, 10, 150, 150)) == 1  # big spans many cells, counted once
    assert idx.count_hits(Box(150, 150, 200, 200)) == 2
    assert idx.count_hits(Box(200, 0, 50, 50)) == 0  # touching is not overlapping


def test_a_reserved_spot_is_taken_as_it_is(measurer: Measurer) -> None:
    from svgarch.measure import LABEL_PAD_X, LABEL_PAD_Y

    text = measurer.stack(("reserved", "label-text"))
    spot = Point(40, 40)
    (pill,) = place_labels([LabelRequest((0,), ((Point(0, 0), Point(0, 100)),), text, spot)], [], [], SegmentIndex())
    assert pill.box.cx == pytest.approx(40) and pill.box.cy == pytest.approx(40)
    assert pill.box.w == pytest.approx(text.width + 2 * LABEL_PAD_X)
    assert pill.box.h == pytest.approx(text.height + 2 * LABEL_PAD_Y)


def test_a_reserved_spot_another_edge_runs_through_gives_way(measurer: Measurer) -> None:
    # heldout/compiler.toml: the room layout kept for a loop's label ("yes, reschedule with spills") sat over
    # the edge beside the loop (scheduler → register allocation); the label goes elsewhere along its own edge
    own = (Point(100, 0), Point(100, 300))
    foreign = (Point(70, 100), Point(70, 200))  # beside the middle of the loop's line, under the wide pill
    text = measurer.stack(("yes, reschedule with spills", "label-text"))
    (pill,) = place_labels([LabelRequest((0,), (own,), text, Point(100, 150))], [], [], index(own, foreign))
    assert not any(segment_hits_box(a, b, pill.box.inflate(5)) for a, b in itertools.pairwise(foreign))
    assert distance_to(own, pill.box.centre) <= 28 + 1e-9  # still reads as its edge's


def test_the_loop_label_in_the_compiler_back_end_touches_no_other_edge() -> None:
    scene = build_scene(load_model(ROOT / "benchmarks/heldout/compiler.toml"))[0]
    assert check_scene(scene).label_overlaps == []


def test_a_wide_label_pushed_off_its_edge_stays_within_reach_of_it(measurer: Measurer) -> None:
    # an edge running beside its own: on its line or beside it, the wide label would touch it; a full step
    # aside would put its centre half its width away (the compiler's "token stream", 45 px off); it comes no
    # further out than 28 px, covering a little of its own edge
    foreign = (Point(150, 0), Point(150, 300))
    (pill,) = place_labels([request(measurer, "a rather wide label", 0, VERTICAL)], [], [], index(VERTICAL, foreign))
    assert pill.box.w > 2 * 28
    assert not any(segment_hits_box(a, b, pill.box) for a, b in itertools.pairwise(foreign))
    assert distance_to(VERTICAL, pill.box.centre) <= 28 + 1e-9


def test_segment_index_finds_the_nearest_foreign_segment() -> None:
    idx = index(VERTICAL, HORIZONTAL)
    assert idx.nearest(Point(110, 100), 100.0, frozenset()) == pytest.approx(10)
    assert idx.nearest(Point(110, 100), 100.0, frozenset({0})) == pytest.approx(50)
    assert idx.nearest(Point(110, 100), 20.0, frozenset({0})) == pytest.approx(20)  # nothing within reach


def test_an_edge_goes_round_the_label_of_a_short_straight_edge_it_would_cross() -> None:
    d = svgarch.Diagram("t", direction="TB")
    for name, row, col in (("s", 0, 0), ("a", 1, 0), ("b", 1, 1), ("t", 2, 1)):
        d.block(name, row=row, col=col)
    d.edge("s", "a").edge("a", "b", label="a long label here").edge("s", "t")
    # s→t's shortest way runs down the gap between a and b, through a→b's label (routed before labels)
    assert check_scene(build_scene(d.model)[0]).label_overlaps == []


def test_a_label_meeting_a_line_on_every_spot_slides_off_it_along_its_own(measurer: Measurer) -> None:
    # fourth/hospital_fhir: the room kept for "resubmit corrected message" had validate→valid's straight
    # line through its left end, and every spot along the retry edge met that line or another beside it;
    # the pill slides a few px off its spot instead, still on its own line, clear of both
    from svgarch.measure import LABEL_PAD_X

    retry = (Point(100, 0), Point(100, 300), Point(140, 300))  # bent: no straight edge others are routed round
    label = request(measurer, "resubmit corrected message", 0, retry)
    w = label.text.width + 2 * LABEL_PAD_X
    left = (Point(100 - w / 2 + 8, 0), Point(100 - w / 2 + 8, 300))
    right = (Point(100 + w / 2 + 24.5, 0), Point(100 + w / 2 + 24.5, 300))
    edges = index(retry, left, right)
    (pill,) = place_labels([label], [], [], edges)
    assert not edges.owners_hitting(pill.box.inflate(5)) - {0}
    assert pill.box.x < 100 < pill.box.right and abs(pill.box.cx - 100) <= 20
