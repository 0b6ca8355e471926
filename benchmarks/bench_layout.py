#!/usr/bin/env python3
"""Automatic layout benchmark: svgarch's whole process against Graphviz dot.

For N = 50, 200, 1000, 3000 (``--sizes``), a seeded random layered DAG of N
blocks and about 1.5 N edges (``bench_layered.random_layered_dag``), every
block titled with its short id and every edge with a short label, is written
as a description and as a dot file. Then, as whole processes, each run
interleaved with the other and after a warm-up:

* ``svgarch render g.toml -o g.svg`` (automatic layered layout + routing + SVG)
* ``dot -Tsvg g.dot -o g.svg``

and both SVGs are read back to count edge crossings *the same way*: every
edge's drawn path (svgarch's ``path.sa-line``, dot's ``g.edge > path``) is
flattened (cubics sampled 16 times) and every pair of segments of two
different edges that properly cross counts once. Printed: median time, peak
memory (ru_maxrss of the child) and crossings for both, and the ratios with
the project targets: at N = 1000 time ≤ 1.0× dot and crossings ≤ 1.0× dot;
time growing no faster than N^1.5 from 1000 to 3000; memory ≤ 2× dot.

Usage: ``python benchmarks/bench_layout.py [--sizes 50,200,1000,3000] [--runs 3] [--quick]``
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_layered import random_layered_dag
from bench_render import REPO, SVGARCH, Bench, CommandError, compile_package, interleaved

Point = tuple[float, float]
NS = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def write_inputs(n: int, seed: int, folder: Path) -> tuple[Path, Path]:
    nodes, edges = random_layered_dag(n, seed)
    toml = [f'title = "random DAG, {n} blocks"', "edge = ["]
    toml += [f'  {{ from = "{e.source}", to = "{e.target}", label = "e{i}" }},' for i, e in enumerate(edges)]
    toml.append("]")
    toml += [f'[[block]]\nid = "{v.id}"' for v in nodes]
    dot = ["digraph G {", '  node [shape=box, style=rounded, fontname="DejaVu Sans Mono"];']
    dot += [f'  "{v.id}";' for v in nodes]
    dot += [f'  "{e.source}" -> "{e.target}" [label="e{i}"];' for i, e in enumerate(edges)]
    dot.append("}")
    spec, gv = folder / f"g{n}.toml", folder / f"g{n}.dot"
    spec.write_text("\n".join(toml) + "\n", encoding="utf-8")
    gv.write_text("\n".join(dot) + "\n", encoding="utf-8")
    return spec, gv


def path_points(d: str) -> list[Point]:
    """Flatten absolute M/L/C path data (both writers use only these)."""
    tokens = re.findall(r"[A-Za-z]|" + NUMBER.pattern, d)
    points: list[Point] = []
    cmd, i = "", 0
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            continue
        if cmd in "ML":
            points.append((float(tokens[i]), float(tokens[i + 1])))
            i += 2
        elif cmd == "C":
            p0 = points[-1]
            c1, c2, p3 = ((float(tokens[i + k]), float(tokens[i + k + 1])) for k in (0, 2, 4))
            for s in range(1, 17):
                t = s / 16
                u = 1 - t
                points.append(
                    tuple(  # type: ignore[arg-type]
                        u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * e
                        for a, b, c, e in zip(p0, c1, c2, p3, strict=True)
                    )
                )
            i += 6
        else:
            raise ValueError(f"path command {cmd!r}")
    return points


def edge_paths(svg: Path, dot: bool) -> list[list[Point]]:
    root = ET.parse(svg).getroot()
    out = []
    for g in root.iter(f"{NS}g"):
        classes = g.get("class", "").split()
        if dot and "edge" in classes:
            out += [path_points(p.get("d", "")) for p in g.findall(f"{NS}path")]
        elif not dot and "sa-edge" in classes:
            out += [path_points(p.get("d", "")) for p in g.findall(f"{NS}path") if "sa-line" in p.get("class", "")]
    return [p for p in out if len(p) > 1]


def crossings(paths: Sequence[Sequence[Point]], cell: float = 48.0) -> int:
    """Pairs of segments of different edges that properly cross (grid-hashed)."""
    grid: dict[tuple[int, int], list[tuple[int, Point, Point]]] = {}
    for owner, pts in enumerate(paths):
        for a, b in itertools.pairwise(pts):
            for i in range(math.floor(min(a[0], b[0]) / cell), math.floor(max(a[0], b[0]) / cell) + 1):
                for j in range(math.floor(min(a[1], b[1]) / cell), math.floor(max(a[1], b[1]) / cell) + 1):
                    grid.setdefault((i, j), []).append((owner, a, b))
    seen: set[tuple[Point, Point, Point, Point]] = set()
    for bucket in grid.values():
        for (o1, a, b), (o2, c, d) in itertools.combinations(bucket, 2):
            if o1 != o2 and _cross(a, b, c, d):
                seen.add((a, b, c, d) if (a, b) < (c, d) else (c, d, a, b))
    return len(seen)


def _cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    def orient(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2, d3, d4 = orient(c, d, a), orient(c, d, b), orient(a, b, c), orient(a, b, d)
    return d1 * d2 < -1e-9 and d3 * d4 < -1e-9


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,1000,3000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="sizes 50,200 and 1 run")
    args = parser.parse_args(argv)
    sizes = [50, 200] if args.quick else [int(s) for s in args.sizes.split(",")]
    runs = 1 if args.quick else max(1, args.runs)
    dot_exe = shutil.which("dot")
    if dot_exe is None or not SVGARCH.exists():
        print("needs Graphviz dot (Debian package graphviz) and .venv/bin/svgarch (make test)", file=sys.stderr)
        return 1
    compile_package()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in sizes:
            spec, gv = write_inputs(n, args.seed, folder)
            ours_svg, dots_svg = folder / f"ours{n}.svg", folder / f"dot{n}.svg"
            ours = Bench("svgarch", [str(SVGARCH), "render", str(spec), "-o", str(ours_svg)], REPO, [ours_svg])
            dot = Bench("dot", [dot_exe, "-Tsvg", str(gv), "-o", str(dots_svg)], REPO, [dots_svg])
            try:
                interleaved((ours, dot), runs)
            except CommandError as exc:
                print(f"failed: {exc}\n{exc.detail}", file=sys.stderr)
                return 1
            x_ours, x_dot = crossings(edge_paths(ours_svg, False)), crossings(edge_paths(dots_svg, True))
            rows.append((n, ours, dot, x_ours, x_dot))
            print(
                f"N={n:5d}  svgarch {ours.time_median:8.0f} ms {ours.rss_median:6.1f} MiB {x_ours:6d} crossings"
                f"   dot {dot.time_median:8.0f} ms {dot.rss_median:6.1f} MiB {x_dot:6d} crossings"
                f"   time {ours.time_median / dot.time_median:5.2f}×  crossings {x_ours / max(1, x_dot):5.2f}×"
                f"  memory {ours.rss_median / dot.rss_median:5.2f}×",
                flush=True,
            )
    by_n = {n: (o, d, xo, xd) for n, o, d, xo, xd in rows}
    print(f"\nmedians of {runs} run(s) each, after a warm-up; crossings counted alike on both SVGs")
    if 1000 in by_n:
        o, d, xo, xd = by_n[1000]
        time_ratio, memory_ratio = o.time_median / d.time_median, o.rss_median / d.rss_median
        print(f"N=1000 time ratio   {time_ratio:.2f}  target <= 1.0  {_mark(time_ratio <= 1.0)}")
        print(f"N=1000 crossings    {xo / max(1, xd):.2f}  target <= 1.0  {_mark(xo <= xd)}")
        print(f"N=1000 memory ratio {memory_ratio:.2f}  target <= 2.0  {_mark(memory_ratio <= 2.0)}")
    if 1000 in by_n and 3000 in by_n:
        growth = math.log(by_n[3000][0].time_median / by_n[1000][0].time_median) / math.log(3)
        print(f"time growth 1000→3000: N^{growth:.2f}  target <= N^1.5  {_mark(growth <= 1.5)}")
    return 0


def _mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


if __name__ == "__main__":
    sys.exit(main())
