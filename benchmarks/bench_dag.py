#!/usr/bin/env python3
"""Random layered DAGs shaped like real graphs: svgarch's whole ``render`` against ``dot -Tsvg``.

Issue 11, item 4. For N = 300, 1000, 3000 (``--sizes``) a seeded generator
(``random_dag``) makes a DAG of N blocks on about √N layers with about 1.5 N
edges, most between adjacent layers, some skipping one to three; every
block has a parent in the layer above (a real graph is connected) and a
short title ("svc 123"); no edge has a label. It is written as a TOML
description and as the same graph in DOT (boxes in the themes' title font
and size, as ``corpus/to_dot.py`` writes them). Then, as whole processes,
interleaved run by run after a warm-up:

* ``svgarch render g.toml -o g.svg``
* ``dot -Tsvg g.dot -o g.svg``

Both SVGs are read back by svgarch's own quality ruler (``svgarch.quality``,
what ``svgarch check --json`` prints), and for each N it prints: median wall
time of each and their ratio; crossings of each; area per text (the blocks'
bounding box ÷ the title font size², so the same text size on both) and
its ratio; and the time's growth exponent from 1000 to 3000. Targets: at
N = 1000 time ≤ 1.0× dot, crossings ≤ dot's, area ≤ 1.2× dot's; growth ≤ N^1.5.

Usage: ``python benchmarks/bench_dag.py [--sizes 300,1000,3000] [--runs 3] [--seed 1] [--quick] [--out DIR]``
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_render import REPO, SVGARCH, Bench, CommandError, compile_package, interleaved

from svgarch.quality import Quality, svg_drawing
from svgarch.quality import measures as ruler

TITLE_PT = 13.0 * 72 / 96  # the themes' block title size (13 px), as dot's points
ADJACENT = 0.8  # share of the extra edges between adjacent layers; the rest skip one to three


def random_dag(n: int, seed: int) -> tuple[list[int], list[tuple[int, int]]]:
    """Every block's layer, and the edges as (source, target) block numbers.

    About √N layers, each block on a random one; every block below the top
    layer gets a parent one layer up, then edges are added until there are
    1.5 N: 80 % between adjacent layers, the rest spanning two to four. No
    edge twice. The same ``(n, seed)`` gives the same graph.
    """
    rng = random.Random(seed)
    layer_count = max(2, round(math.sqrt(n)))
    layer = [v % layer_count if v < layer_count else rng.randrange(layer_count) for v in range(n)]
    members: list[list[int]] = [[] for _ in range(layer_count)]
    for v, rank in enumerate(layer):
        members[rank].append(v)
    seen: set[tuple[int, int]] = set()
    edges: list[tuple[int, int]] = []

    def add(source: int, target: int) -> None:
        if (source, target) not in seen:
            seen.add((source, target))
            edges.append((source, target))

    for v, rank in enumerate(layer):
        if rank > 0:
            add(rng.choice(members[rank - 1]), v)
    attempts = 0
    while len(edges) < round(1.5 * n) and attempts < 40 * n:
        attempts += 1
        span = 1 if rng.random() < ADJACENT else rng.choice((2, 2, 3, 4))
        if span >= layer_count:
            continue
        upper = rng.randrange(layer_count - span)
        add(rng.choice(members[upper]), rng.choice(members[upper + span]))
    return layer, edges


def write_inputs(n: int, seed: int, folder: Path) -> tuple[Path, Path]:
    """The graph as a description (TOML) and in DOT; blocks in number order in both."""
    layer, edges = random_dag(n, seed)
    toml = [f'title = "random DAG, {n} blocks"']
    toml += [f'[[block]]\nid = "s{v}"\ntitle = "svc {v}"' for v in range(len(layer))]
    toml += [f'[[edge]]\nfrom = "s{s}"\nto = "s{t}"' for s, t in edges]
    dot = ["digraph G {", f'  node [shape=box, style=rounded, fontname="DejaVu Sans Mono", fontsize={TITLE_PT:g}];']
    dot += [f'  s{v} [label="svc {v}"];' for v in range(len(layer))]
    dot += [f"  s{s} -> s{t};" for s, t in edges]
    dot.append("}")
    spec, gv = folder / f"dag{n}.toml", folder / f"dag{n}.dot"
    spec.write_text("\n".join(toml) + "\n", encoding="utf-8")
    gv.write_text("\n".join(dot) + "\n", encoding="utf-8")
    return spec, gv


def quality(svg: Path) -> Quality:
    """Area per text and crossings by svgarch's ruler. Only these: the full ``measure`` also looks
    for rails between every pair of nearby edges, which takes minutes on thousands of edges."""
    drawing = svg_drawing(svg, svg.read_text(encoding="utf-8"))
    q = Quality(blocks=len(drawing.nodes), edges=len(drawing.edges))
    q.area_per_text = ruler._area_per_text(drawing)
    ruler._crossings(drawing.edges, ruler._SegmentHash(drawing.edges), q)
    return q


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1000,3000")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per command, at least 3")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="N = 300 and 1 run: a smoke test, not a measurement")
    parser.add_argument("--out", type=Path, help="keep the descriptions and both SVGs here")
    args = parser.parse_args(argv)
    sizes = [300] if args.quick else [int(s) for s in args.sizes.split(",")]
    runs = 1 if args.quick else max(3, args.runs)
    dot_exe = shutil.which("dot")
    if dot_exe is None or not SVGARCH.exists():
        print("needs Graphviz dot (Debian package graphviz) and .venv/bin/svgarch (make test)", file=sys.stderr)
        return 1
    compile_package()
    times: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.out or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            spec, gv = write_inputs(n, args.seed, folder)
            ours_svg, dots_svg = folder / f"dag{n}.svgarch.svg", folder / f"dag{n}.dot.svg"
            ours = Bench("svgarch", [str(SVGARCH), "render", str(spec), "-o", str(ours_svg)], REPO, [ours_svg])
            dot = Bench("dot", [dot_exe, "-Tsvg", str(gv), "-o", str(dots_svg)], REPO, [dots_svg])
            try:
                interleaved((ours, dot), runs)
            except CommandError as exc:
                print(f"failed: {exc}\n{exc.detail}", file=sys.stderr)
                return 1
            q_ours, q_dot = quality(ours_svg), quality(dots_svg)
            times[n] = (ours.time_median, dot.time_median)
            print(
                f"N={n:5d}  svgarch {ours.time_median:7.0f} ms {q_ours.crossings:6d} crossings"
                f" {q_ours.area_per_text:10.0f} area/text"
                f"   dot {dot.time_median:7.0f} ms {q_dot.crossings:6d} crossings {q_dot.area_per_text:10.0f} area/text"
                f"   time {ours.time_median / dot.time_median:5.2f}×"
                f"  crossings {q_ours.crossings / max(1, q_dot.crossings):5.2f}×"
                f"  area {q_ours.area_per_text / max(1.0, q_dot.area_per_text):5.2f}×",
                flush=True,
            )
            if n == 1000:
                _verdicts(ours, dot, q_ours, q_dot)
    print(f"medians of {runs} run(s) each, after a warm-up; both SVGs measured by svgarch.quality")
    if 1000 in times and 3000 in times:
        growth = math.log(times[3000][0] / times[1000][0]) / math.log(3)
        print(f"svgarch time growth 1000→3000: N^{growth:.2f}  target ≤ N^1.5  {_mark(growth <= 1.5)}")
        dot_growth = math.log(times[3000][1] / times[1000][1]) / math.log(3)
        print(f"dot's growth 1000→3000:       N^{dot_growth:.2f}")
    return 0


def _verdicts(ours: Bench, dot: Bench, q_ours: Quality, q_dot: Quality) -> None:
    time_ratio = ours.time_median / dot.time_median
    area_ratio = q_ours.area_per_text / max(1.0, q_dot.area_per_text)
    print(f"  N=1000 time      {time_ratio:5.2f}×  target ≤ 1.0×  {_mark(time_ratio <= 1.0)}")
    fewer = q_ours.crossings <= q_dot.crossings
    print(f"  N=1000 crossings {q_ours.crossings} vs {q_dot.crossings}  target ≤ dot's  {_mark(fewer)}")
    print(f"  N=1000 area      {area_ratio:5.2f}×  target ≤ 1.2×  {_mark(area_ratio <= 1.2)}")


def _mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


if __name__ == "__main__":
    sys.exit(main())
