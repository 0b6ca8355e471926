"""svgarch.layout.spatial: indexes answer as a scan would, and stay small for huge items."""

from __future__ import annotations

import itertools
import random
import tracemalloc
from pathlib import Path

from svgarch.check import check_scene
from svgarch.geometry import Box, Point, segment_hits_box
from svgarch.layout.spatial import MOST_CELLS, BoxIndex, SegmentIndex
from svgarch.pipeline import build_scene
from svgarch.spec import load_model


def test_a_huge_box_takes_no_cells_but_is_still_found() -> None:
    index = BoxIndex()
    huge = Box(0, 0, 1e6, 1e6)  # ~10^8 cells of 96 px
    index.add(huge)
    index.add(Box(10, 10, 5, 5))
    assert sum(len(v) for v in index.buckets.values()) <= 1 + MOST_CELLS
    assert index.count_hits(Box(500_000, 500_000, 1, 1)) == 1
    assert index.count_hits(Box(8, 8, 10, 10)) == 2
    assert index.count_hits(Box(-1e7, -1e7, 2e7, 2e7)) == 2  # a huge query scans the list


def test_a_huge_segment_takes_no_cells_but_is_still_found() -> None:
    index = SegmentIndex()
    index.add(7, [Point(0, 0), Point(1e6, 1e6)])
    index.add(8, [Point(0, 50), Point(40, 50)])
    assert index.owners_hitting(Box(400_000, 400_000, 2e5, 2e5)) == {7}
    assert sum(len(v) for v in index.buckets.values()) <= MOST_CELLS
    assert index.owners_hitting(Box(-10, -10, 2e6, 2e6)) == {7, 8}


def test_indexes_answer_as_a_scan_would() -> None:
    rng = random.Random(3)
    boxes = [
        Box(rng.uniform(-500, 500), rng.uniform(-500, 500), rng.uniform(0, 300), rng.uniform(0, 300)) for _ in range(60)
    ]
    boxes.append(Box(-1e6, 0, 2e6, 3))  # one too large for cells
    segments = [[Point(rng.uniform(-500, 500), rng.uniform(-500, 500)) for _ in range(3)] for _ in range(40)]
    segments.append([Point(-1e6, 5), Point(1e6, 5)])
    box_index, segment_index = BoxIndex(), SegmentIndex()
    for b in boxes:
        box_index.add(b)
    for owner, points in enumerate(segments):
        segment_index.add(owner, points)
    for _ in range(200):
        query = Box(rng.uniform(-600, 600), rng.uniform(-600, 600), rng.uniform(0, 200), rng.uniform(0, 200))
        assert box_index.count_hits(query) == sum(b.intersects(query) for b in boxes)
        pieces = [(o, a, b) for o, pts in enumerate(segments) for a, b in itertools.pairwise(pts)]
        scan = {o for o, a, b in pieces if segment_hits_box(a, b, query)}
        assert segment_index.owners_hitting(query) == scan


def test_a_diagram_as_wide_as_the_limits_allow_lays_out_small(tmp_path: Path) -> None:
    """Its legend, labels and group label look for room among boxes and edges ninety thousand pixels long
    (the most a description may place: tests/test_limits.py): without the indexes' cap on the cells one
    box takes, each would fill ~10^5 cells."""
    spec = tmp_path / "far.toml"
    spec.write_text(
        'title = "far apart"\n[legend]\na = "A"\n'
        '[[block]]\nid = "a"\nkind = "a"\nx = 0\ny = 0\n'
        '[[block]]\nid = "b"\nx = 45000\ny = 45000\nwidth = 90000\nheight = 10000\n'
        '[[edge]]\nfrom = "a"\nto = "b"\nlabel = "far"\n'
        '[[group]]\nid = "g"\nlabel = "G"\nblocks = ["a", "b"]\n',
        encoding="utf-8",
    )
    tracemalloc.start()
    try:
        scene = build_scene(load_model(spec))[0]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert check_scene(scene).clean
    assert peak < 200 * 2**20  # bytes
