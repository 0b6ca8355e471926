#!/usr/bin/env python3
"""What each start-up trick of ``svgarch/startup.py`` saves a ``svgarch render`` process.

Runs the console command (``svgarch.cli.run``, as the ``svgarch`` script does)
in fresh processes, with every trick on and with each one turned off, the
runs interleaved round by round so machine noise hits all variants alike,
and prints the median wall and CPU time of each and what the trick saves
(CPU time is the steadier of the two on a busy machine):

* ``import_cairosvg`` off: cairosvg imported plainly (cairocffi then searches
  for the cairo library through ldconfig and gcc), on a PNG render;
* ``tune_gc`` off: the collector as Python sets it, on an SVG render;
* ``end_now`` off: Python's own exit (every module cleared, every object freed), on an SVG render.

Usage::

    python benchmarks/bench_startup.py [--runs N] [--svg-only] [SPEC]

Standard library only. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs the console command with the tricks named in argv[1] (comma-separated) turned off.
LAUNCHER = """
import importlib, sys
import svgarch.render.raster as raster
import svgarch.startup as startup

def plain_cairosvg():
    importlib.import_module("cairosvg.parser")
    importlib.import_module("cairosvg.surface")
    return sys.modules["cairosvg"]

off = [t for t in sys.argv[1].split(",") if t]
if "import_cairosvg" in off:
    raster.import_cairosvg = plain_cairosvg
if "tune_gc" in off:
    startup.tune_gc = lambda: None
if "end_now" in off:
    startup.end_now = lambda code: None
from svgarch.cli import run
sys.argv = ["svgarch", *sys.argv[2:]]
sys.exit(run())
"""

TRICKS = ("import_cairosvg", "tune_gc", "end_now")


def variants(spec: Path, out: Path) -> dict[str, tuple[str, list[str]]]:
    """name → (tricks turned off, command arguments)."""
    svg = ["render", str(spec), "-o", str(out / "x.svg")]
    png = ["render", str(spec), "-o", str(out / "x.png")]
    return {
        "svg, all tricks": ("", svg),
        "svg, tune_gc off": ("tune_gc", svg),
        "svg, end_now off": ("end_now", svg),
        "svg, all off": (",".join(TRICKS), svg),
        "png, all tricks": ("", png),
        "png, import_cairosvg off": ("import_cairosvg", png),
    }


def timed(off: str, args: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, its own children's too) of one run, in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", LAUNCHER, off, *args], check=True, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", default=str(ROOT / "examples" / "cnn_v3.toml"))
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--svg-only", action="store_true", help="skip the PNG runs (for a large diagram)")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "svgarch")], check=True)
    with tempfile.TemporaryDirectory() as folder:
        runs = variants(Path(args.spec), Path(folder))
        if args.svg_only:
            runs = {name: run for name, run in runs.items() if name.startswith("svg")}
        for off, command in runs.values():  # warm-up: font metrics cache, OS file cache
            timed(off, command)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        for _ in range(args.runs):
            for name, (off, command) in runs.items():
                times[name].append(timed(off, command))
    walls = {name: statistics.median(w for w, _ in t) * 1000 for name, t in times.items()}
    cpus = {name: statistics.median(c for _, c in t) * 1000 for name, t in times.items()}
    print(f"median of {args.runs} runs, ms ({Path(args.spec).name}): wall, CPU (user + system)")
    for name in runs:
        print(f"  {name:28} {walls[name]:7.1f} {cpus[name]:7.1f}")
    pairs = (
        ("import_cairosvg", "png, all tricks", "png, import_cairosvg off"),
        ("tune_gc", "svg, all tricks", "svg, tune_gc off"),
        ("end_now", "svg, all tricks", "svg, end_now off"),
        ("both (svg)", "svg, all tricks", "svg, all off"),
    )
    for trick, on, off_name in pairs:
        if off_name not in runs:
            continue
        print(f"  {trick:28} saves {walls[off_name] - walls[on]:6.1f} ms wall, {cpus[off_name] - cpus[on]:6.1f} ms CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
