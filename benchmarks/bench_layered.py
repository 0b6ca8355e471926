"""Layered layout against Graphviz dot: edge crossings and time.

Run: ``python benchmarks/bench_layered.py [--quick] [--sizes 50,200] [--runs 3] [--seeds 3] [--labels]``

For each N, seeded random layered DAGs (``random_layered_dag``) are laid
out by ``layered_layout`` and by ``dot``. Crossings are counted the same way
in both drawings: every node centre's y is a rank line; each edge is a
polyline (ours: centre, bends, centre; dot: its B-spline from ``-Tplain``,
sampled finely, between the node centres); where an edge crosses a rank
line strictly between its ends gives its x there; two edges cross between
two consecutive rank lines when their x order flips (Barth–Jünger–Mutzel
count, edges sharing an end never count). Times are medians of CPU time:
ours in-process, dot's for ``dot -Tsvg`` as a child process.

With ``--labels`` every edge carries a label: ours gets a label node
half-way along each edge, as ``svgarch.layout.auto`` builds it (so about
2.5 N nodes on twice the layers), and each edge is drawn through it; dot
gets an edge label of about the same size.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import math
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from svgarch.layout import timing
from svgarch.layout.layered import (
    LayeredEdge,
    LayeredNode,
    bilayer_crossings,
    layered_layout,
)

Point = tuple[float, float]
Polyline = list[Point]

RANK_GAP = 60.0
NODE_GAP = 40.0
LABEL_SIZE = (40.0, 18.0)  # a short edge label with its padding, as svgarch sizes "e123"
POINTS_PER_UNIT = 72.0  # dot reads sizes in inches and writes points; we feed it our units as points


def random_layered_dag(n: int, seed: int) -> tuple[list[LayeredNode], list[LayeredEdge]]:
    """A connected DAG of ``n`` nodes on about sqrt(n) layers, with about 1.5 n edges.

    Every node below the top layer has a parent one layer up; the other
    edges mostly join consecutive layers (70 %), sometimes skip one (20 %)
    or two to three (10 %). No multi-edges. Nodes and edges are shuffled so
    the input order carries no hint of the layering.
    """
    rng = random.Random(seed)
    layer_count = max(2, round(math.sqrt(n))) if n > 1 else 1
    layer_of = [i % layer_count for i in range(min(n, layer_count))]
    layer_of += [rng.randrange(layer_count) for _ in range(n - len(layer_of))]
    members: list[list[int]] = [[] for _ in range(layer_count)]
    for node, layer in enumerate(layer_of):
        members[layer].append(node)
    pairs: set[tuple[int, int]] = set()
    ordered_pairs: list[tuple[int, int]] = []

    def add(source: int, target: int) -> None:
        if (source, target) not in pairs:
            pairs.add((source, target))
            ordered_pairs.append((source, target))

    for node, layer in enumerate(layer_of):
        if layer > 0:
            add(rng.choice(members[layer - 1]), node)
    wanted = round(1.5 * n) if n > 1 else 0
    attempts = 0
    while len(ordered_pairs) < wanted and attempts < 20 * wanted:
        attempts += 1
        roll = rng.random()
        span = 1 if roll < 0.7 else 2 if roll < 0.9 else rng.choice((3, 4))
        if span >= layer_count:
            continue
        upper = rng.randrange(layer_count - span)
        add(rng.choice(members[upper]), rng.choice(members[upper + span]))
    order = list(range(n))
    rng.shuffle(order)
    nodes = [LayeredNode(f"n{v}", float(rng.randrange(60, 161, 10)), float(rng.randrange(30, 61, 10))) for v in order]
    rng.shuffle(ordered_pairs)
    edges = [LayeredEdge(f"n{s}", f"n{t}") for s, t in ordered_pairs]
    return nodes, edges


def with_label_nodes(
    nodes: Sequence[LayeredNode], edges: Sequence[LayeredEdge]
) -> tuple[list[LayeredNode], list[LayeredEdge]]:
    """The engine's input when every edge carries a label, as ``svgarch.layout.auto`` builds it:
    a label node half-way along each edge (ids ``label:<edge index>``)."""
    labels = [LayeredNode(f"label:{i}", *LABEL_SIZE) for i in range(len(edges))]
    halves = [
        LayeredEdge(*pair)
        for i, edge in enumerate(edges)
        for pair in ((edge.source, f"label:{i}"), (f"label:{i}", edge.target))
    ]
    return [*nodes, *labels], halves


# ----------------------------------------------------------------------------- dot


def dot_source(nodes: Sequence[LayeredNode], edges: Sequence[LayeredEdge], labels: bool = False) -> str:
    lines = [
        "digraph G {",
        f"  graph [ranksep={RANK_GAP / POINTS_PER_UNIT:.4f}, nodesep={NODE_GAP / POINTS_PER_UNIT:.4f}];",
        '  node [shape=box, fixedsize=true, label=""];',
    ]
    for node in nodes:
        lines.append(
            f'  "{node.id}" [width={node.width / POINTS_PER_UNIT:.4f}, height={node.height / POINTS_PER_UNIT:.4f}];'
        )
    if labels:  # a 10-point "e123" is about as large as LABEL_SIZE
        lines += [f'  "{e.source}" -> "{e.target}" [label="e{i}", fontsize=10];' for i, e in enumerate(edges)]
    else:
        lines += [f'  "{edge.source}" -> "{edge.target}";' for edge in edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def run_dot(source: str, fmt: str) -> tuple[float, str]:
    """(CPU seconds of the dot child, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(["dot", f"-T{fmt}"], input=source, capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, done.stdout


def dot_drawing(plain: str) -> tuple[dict[str, Point], list[tuple[str, str, Polyline]]]:
    """Node centres and edge polylines (sampled B-splines) from ``dot -Tplain``."""
    centres: dict[str, Point] = {}
    edges: list[tuple[str, str, Polyline]] = []
    for line in plain.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "node":
            centres[parts[1].strip('"')] = (float(parts[2]) * POINTS_PER_UNIT, -float(parts[3]) * POINTS_PER_UNIT)
        elif parts[0] == "edge":
            count = int(parts[3])
            raw = [
                (float(parts[4 + 2 * i]) * POINTS_PER_UNIT, -float(parts[5 + 2 * i]) * POINTS_PER_UNIT)
                for i in range(count)
            ]
            edges.append((parts[1].strip('"'), parts[2].strip('"'), _sample_bsplines(raw)))
    return centres, edges


def _sample_bsplines(control: Sequence[Point], steps: int = 16) -> Polyline:
    """dot's piecewise cubic Bézier (1 + 3k control points) as a fine polyline."""
    points: Polyline = [control[0]]
    for start in range(0, len(control) - 3, 3):
        p0, p1, p2, p3 = control[start : start + 4]
        for step in range(1, steps + 1):
            t = step / steps
            s = 1 - t
            points.append(
                (
                    s**3 * p0[0] + 3 * s * s * t * p1[0] + 3 * s * t * t * p2[0] + t**3 * p3[0],
                    s**3 * p0[1] + 3 * s * s * t * p1[1] + 3 * s * t * t * p2[1] + t**3 * p3[1],
                )
            )
    return points


# ----------------------------------------------------------------------------- counting


def rank_line_crossings(centres: dict[str, Point], edges: Sequence[tuple[str, str, Polyline]]) -> int:
    """Crossings of polyline edges between consecutive rank lines (see module docstring)."""
    lines = sorted({round(y, 3) for _, y in centres.values()})
    line_index = {y: i for i, y in enumerate(lines)}
    per_gap: list[list[tuple[float, float]]] = [[] for _ in range(max(len(lines) - 1, 0))]
    for source, target, interior in edges:
        (xs, ys), (xt, yt) = centres[source], centres[target]
        top, bottom = line_index[round(ys, 3)], line_index[round(yt, 3)]
        if top == bottom:
            continue  # flat or self-loop: not between layers
        path: Polyline = [(xs, ys), *interior, (xt, yt)]
        if top > bottom:
            top, bottom = bottom, top
            path.reverse()
        xs_on_lines = [path[0][0]]
        for k in range(top + 1, bottom):
            xs_on_lines.append(_x_at(path, lines[k]))
        xs_on_lines.append(path[-1][0])
        for k in range(top, bottom):
            per_gap[k].append((xs_on_lines[k - top], xs_on_lines[k - top + 1]))
    total = 0
    for segments in per_gap:
        uppers = sorted({round(a, 3) for a, _ in segments})
        lowers = sorted({round(b, 3) for _, b in segments})
        total += bilayer_crossings(
            (bisect.bisect_left(uppers, round(a, 3)), bisect.bisect_left(lowers, round(b, 3))) for a, b in segments
        )
    return total


def _x_at(path: Polyline, y: float) -> float:
    """x where the path (going down) first reaches height y."""
    for (x0, y0), (x1, y1) in itertools.pairwise(path):
        if (y0 - y) * (y1 - y) <= 0 and y0 != y1:
            return x0 + (x1 - x0) * (y - y0) / (y1 - y0)
    nearest = min(path, key=lambda p: abs(p[1] - y))
    return nearest[0]


def our_drawing(
    nodes: Sequence[LayeredNode],
    edges: Sequence[LayeredEdge],
    labels: bool = False,
    phases: dict[str, float] | None = None,
) -> tuple[float, dict[str, Point], list[tuple[str, str, Polyline]]]:
    """CPU time of the layout, node centres, and each edge's polyline (through its label node if ``labels``);
    ``phases`` (if given) gets each phase's wall time added."""
    given_nodes, given_edges = with_label_nodes(nodes, edges) if labels else (list(nodes), list(edges))
    start = time.process_time()
    with timing.collect() as times:
        result = layered_layout(
            given_nodes, given_edges, rank_gap=RANK_GAP / 2 if labels else RANK_GAP, node_gap=NODE_GAP
        )
    cpu = time.process_time() - start
    if phases is not None:
        for name, seconds in times.items():
            phases[name] = phases.get(name, 0.0) + seconds
    bends = result.bends
    if labels:
        bends = tuple((*bends[2 * i], result.centres[f"label:{i}"], *bends[2 * i + 1]) for i in range(len(edges)))
    polylines = [(e.source, e.target, list(points)) for e, points in zip(edges, bends, strict=True)]
    return cpu, {node.id: result.centres[node.id] for node in nodes}, polylines


# ----------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="N = 50, 200, 1000 only")
    parser.add_argument("--sizes", help="comma-separated N values")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per graph (median taken)")
    parser.add_argument("--seeds", type=int, default=3, help="random graphs per N (seeds 1..K)")
    parser.add_argument("--labels", action="store_true", help="every edge labelled: a label node half-way")
    args = parser.parse_args(argv)
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
    else:
        sizes = [50, 200, 1000] if args.quick else [50, 200, 1000, 3000]
    has_dot = shutil.which("dot") is not None
    if not has_dot:
        print("dot not found (apt-get install graphviz): timing our engine only")
    print(f"{args.seeds} graph(s) per N, seeds 1..{args.seeds}; crossings summed over them, times are medians")
    header = f"{'N':>6} {'edges':>6} | {'ours cx':>8} {'dot cx':>8} {'cx ratio':>8} {'wins':>5} | "
    header += f"{'ours s':>8} {'dot s':>8} {'t ratio':>8}"
    print(header)
    print("-" * len(header))
    for n in sizes:
        ours_cx = dot_cx = wins = edge_count = 0
        ours_times: list[float] = []
        dot_times: list[float] = []
        phases: dict[str, float] = {}
        for seed in range(1, args.seeds + 1):
            nodes, edges = random_layered_dag(n, seed)
            edge_count += len(edges)
            times = []
            for _ in range(args.runs):
                cpu, centres, polylines = our_drawing(nodes, edges, args.labels, phases)
                times.append(cpu)
            ours_times.append(statistics.median(times))
            mine = rank_line_crossings(centres, polylines)
            ours_cx += mine
            if has_dot:
                source = dot_source(nodes, edges, args.labels)
                dot_times.append(statistics.median(run_dot(source, "svg")[0] for _ in range(args.runs)))
                theirs = rank_line_crossings(*dot_drawing(run_dot(source, "plain")[1]))
                dot_cx += theirs
                wins += mine <= theirs
        ours_t = statistics.median(ours_times)
        line = f"{n:>6} {edge_count // args.seeds:>6} | {ours_cx:>8} "
        if has_dot:
            dot_t = statistics.median(dot_times)
            line += f"{dot_cx:>8} {ours_cx / max(dot_cx, 1):>8.3f} {wins:>2}/{args.seeds:<2} | "
            line += f"{ours_t:>8.3f} {dot_t:>8.3f} {ours_t / dot_t:>8.3f}"
        else:
            line += f"{'-':>8} {'-':>8} {'-':>5} | {ours_t:>8.3f} {'-':>8} {'-':>8}"
        print(line, flush=True)
        print(f"{'':>6} phases: {phase_shares(phases)}", flush=True)


def phase_shares(phases: dict[str, float]) -> str:
    """Each phase's share of the layout's time, biggest first (names without ``layered.``)."""
    total = sum(phases.values()) or 1.0
    ranked = sorted(phases.items(), key=lambda item: -item[1])
    return " · ".join(f"{name.removeprefix('layered.')} {100 * seconds / total:.0f}%" for name, seconds in ranked)


if __name__ == "__main__":
    main()
