#!/usr/bin/env python3
"""Render benchmark: svgarch against the matplotlib seed script.

Times three whole processes and records their peak memory:

* ``seed``     -- the seed script (matplotlib, CNN v3 diagram to PNG at 180 dpi),
                  run with its own venv at ``benchmarks/.venv-seed``;
* ``svg``      -- ``svgarch render examples/cnn_v3.toml -o x.svg``;
* ``svg+png``  -- ``svgarch render examples/cnn_v3.toml -o x.svg -o x.png``.

After one warm-up run of each, the runs are interleaved (seed, svg, svg+png,
seed, ...) so machine noise hits all three alike.  The table shows medians and
the ratios of the svgarch medians to the seed's, against the project targets.
This is a benchmark, not a test: a MISS does not change the exit status; only
a failing command (or a failed setup) exits 1.

Usage::

    python benchmarks/bench_render.py [--runs N] [--quick]

Standard library only.

How peak memory is measured: on Linux a child's ``ru_maxrss`` starts at the
high-water RSS of the process that spawned it (``exec`` folds the outgoing
address space into the maximum, and ``subprocess`` spawns with ``vfork``), so
a child of this script would never report less than this script's own peak.
Each command is therefore started by a tiny launcher (``python -I -S``, about
as large as a bare interpreter) that forks, execs, times the child from fork
to reap and reads the child's ``ru_maxrss`` with ``os.wait4``.  The floor is
then a bare interpreter's RSS, below anything a Python command can reach.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "benchmarks"
SEED_SCRIPT = Path(os.environ.get("SVGARCH_SEED", REPO.parent / "shared" / "seed" / "gen_architecture_png.py"))
SEED_OUTPUT_NAME = "cnn_v3_architecture.png"  # the seed writes this next to itself
SEED_VENV = BENCH_DIR / ".venv-seed"
SVGARCH = REPO / ".venv" / "bin" / "svgarch"
EXAMPLE = "examples/cnn_v3.toml"  # relative to REPO, the svgarch commands' cwd

DEFAULT_RUNS = 7
QUICK_RUNS = 3

# Project targets for (svgarch median) / (seed median).
TIME_TARGETS: dict[str, float] = {"svg": 0.10, "svg+png": 0.50}
MEMORY_TARGET = 0.60

# Runs argv[1:] as a child, from fork to reap; prints "<wall ns> <maxrss> <exit code>".
# The child's stdout goes to /dev/null, its stderr is the launcher's stderr.
LAUNCHER = """\
import os, sys, time
argv = sys.argv[1:]
t0 = time.perf_counter_ns()
pid = os.fork()
if pid == 0:
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.execvp(argv[0], argv)
    except BaseException as exc:
        os.write(2, ("cannot run %r: %s\\n" % (argv[0], exc)).encode())
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
t1 = time.perf_counter_ns()
print(t1 - t0, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


class CommandError(Exception):
    """A benchmarked or setup command exited non-zero or did not do its job."""

    def __init__(self, argv: Sequence[str], detail: str) -> None:
        super().__init__(shlex.join(argv))
        self.argv = list(argv)
        self.detail = detail


@dataclass
class Bench:
    """One benchmarked command and its samples."""

    label: str
    argv: list[str]
    cwd: Path
    outputs: list[Path]  # files the command must (re)create on every run
    env: dict[str, str] | None = None
    times_ms: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)

    @property
    def time_median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def rss_median(self) -> float:
        return statistics.median(self.rss_mib)


def maxrss_to_mib(maxrss: int) -> float:
    """``ru_maxrss`` is KiB on Linux and the BSDs, bytes on macOS."""
    if sys.platform == "darwin":
        return maxrss / (1024 * 1024)
    return maxrss / 1024


def interleaved(benches: Sequence[Bench], runs: int) -> None:
    """One warm-up run of each, then ``runs`` rounds running each once, so load drifts hit all alike."""
    for bench in benches:
        measure(bench)
    for _ in range(runs):
        for bench in benches:
            ms, mib = measure(bench)
            bench.times_ms.append(ms)
            bench.rss_mib.append(mib)


def measure(bench: Bench) -> tuple[float, float]:
    """Run ``bench`` once; return (wall ms, peak RSS MiB) of the child."""
    for out in bench.outputs:
        out.unlink(missing_ok=True)
    launcher = [sys.executable, "-I", "-S", "-c", LAUNCHER, *bench.argv]
    with tempfile.TemporaryFile() as err:
        proc = subprocess.run(
            launcher,
            cwd=bench.cwd,
            env=bench.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            check=False,
        )
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    try:
        wall_ns, maxrss, code = (int(f) for f in proc.stdout.split())
    except ValueError:  # the launcher itself failed
        raise CommandError(
            bench.argv, stderr or f"launcher exited {proc.returncode}"
        ) from None
    if code != 0:
        raise CommandError(bench.argv, f"exit status {code}\n{stderr}")
    missing = [
        str(p) for p in bench.outputs if not p.is_file() or p.stat().st_size == 0
    ]
    if missing:
        raise CommandError(bench.argv, f"did not write {', '.join(missing)}\n{stderr}")
    return wall_ns / 1e6, maxrss_to_mib(maxrss)


def run_setup(argv: Sequence[str]) -> str:
    """Run a setup command; return its stdout or raise CommandError."""
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise CommandError(argv, proc.stderr or proc.stdout)
    return proc.stdout


def ensure_seed_venv() -> tuple[Path, str]:
    """Create (or reuse) the seed's venv; return its python and matplotlib version."""
    python = SEED_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating seed venv at {SEED_VENV.relative_to(REPO)} ...", flush=True)
        run_setup([sys.executable, "-m", "venv", str(SEED_VENV)])
    probe = [str(python), "-c", "import matplotlib; print(matplotlib.__version__)"]
    if subprocess.run(probe, capture_output=True, check=False).returncode != 0:
        print("installing matplotlib into the seed venv ...", flush=True)
        run_setup([str(python), "-m", "pip", "install", "-q", "matplotlib"])
    return python, run_setup(probe).strip()


def svgarch_prefix(override: str | None) -> tuple[list[str], bool]:
    """The argv prefix that runs svgarch, and whether it is a stand-in."""
    if override is not None:
        return shlex.split(override), True
    if not os.access(SVGARCH, os.X_OK):
        raise CommandError(
            [str(SVGARCH)],
            f"{SVGARCH} not found: build the repo venv first (make test or make demo)",
        )
    return [str(SVGARCH)], False


def pass_miss(value: float, target: float) -> str:
    return "PASS" if value <= target else "MISS"


def report(
    benches: list[Bench],
    *,
    runs: int,
    loads: tuple[str, str],
    mpl_version: str,
    stand_in: bool,
) -> None:
    seed = benches[0]
    print()
    print(
        f"svgarch render benchmark: {runs} runs each, interleaved, after 1 warm-up; "
        "medians shown"
    )
    print(
        f"load average (1/5/15 min): {loads[0]} before, {loads[1]} after; "
        f"{os.cpu_count()} CPUs"
    )
    print(f"python {sys.version.split()[0]}; seed uses matplotlib {mpl_version}")
    if stand_in:
        print(
            "NOTE: svgarch replaced by a stand-in command (--svgarch-cmd); "
            "its numbers are not svgarch's"
        )
    print()
    print(f"{'command':<12} {'time ms':>9} {'min..max ms':>17} {'peak RSS MiB':>13}")
    for b in benches:
        spread = f"{min(b.times_ms):.0f}..{max(b.times_ms):.0f}"
        print(f"{b.label:<12} {b.time_median:>9.1f} {spread:>17} {b.rss_median:>13.1f}")
    print()
    print(f"{'ratio (median / seed median)':<34} {'value':>6}  {'target':>7}")
    for b in benches[1:]:
        ratio = b.time_median / seed.time_median
        target = TIME_TARGETS[b.label]
        print(
            f"{b.label + ' time / seed time':<34} {ratio:>6.3f}  "
            f"{'<= ' + format(target, '.2f'):>7}  {pass_miss(ratio, target)}"
        )
    for b in benches[1:]:
        ratio = b.rss_median / seed.rss_median
        print(
            f"{b.label + ' peak RSS / seed peak RSS':<34} {ratio:>6.3f}  "
            f"{'<= ' + format(MEMORY_TARGET, '.2f'):>7}  {pass_miss(ratio, MEMORY_TARGET)}"
        )


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark svgarch render against the matplotlib seed script."
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--runs",
        type=int,
        default=DEFAULT_RUNS,
        help=f"measured runs per command (default {DEFAULT_RUNS})",
    )
    group.add_argument(
        "--quick", action="store_true", help=f"smoke run: {QUICK_RUNS} runs per command"
    )
    # Hidden: run this command instead of .venv/bin/svgarch (for testing the
    # harness before svgarch exists); its outputs are then not checked.
    parser.add_argument("--svgarch-cmd", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = QUICK_RUNS
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def compile_package() -> None:
    """Byte-compile svgarch first, as ``make demo`` does: with PYTHONDONTWRITEBYTECODE set, every
    timed render would otherwise compile its modules again (a tenth of a small render)."""
    import compileall

    compileall.compile_dir(REPO / "svgarch", quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    compile_package()
    try:
        prefix, stand_in = svgarch_prefix(args.svgarch_cmd)
        seed_python, mpl_version = ensure_seed_venv()
        with tempfile.TemporaryDirectory(prefix="svgarch-bench-") as tmp_name:
            tmp = Path(tmp_name)
            seed_dir = tmp / "seed"
            seed_dir.mkdir()
            seed_copy = Path(shutil.copy2(SEED_SCRIPT, seed_dir))
            svg, png = tmp / "x.svg", tmp / "x.png"
            # Keep matplotlib's font cache with the seed venv so that it is
            # built once, not on every run if $HOME is not writable.
            seed_env = dict(os.environ, MPLCONFIGDIR=str(SEED_VENV / "mplconfig"))
            render = [*prefix, "render", EXAMPLE, "-o", str(svg)]
            benches = [
                Bench(
                    "seed",
                    [str(seed_python), str(seed_copy)],
                    seed_dir,
                    [seed_dir / SEED_OUTPUT_NAME],
                    seed_env,
                ),
                Bench("svg", render, REPO, [] if stand_in else [svg]),
                Bench(
                    "svg+png",
                    [*render, "-o", str(png)],
                    REPO,
                    [] if stand_in else [svg, png],
                ),
            ]
            load_before = load_average()
            print(
                f"warm-up, then {args.runs} interleaved runs of "
                f"{', '.join(b.label for b in benches)} ...",
                flush=True,
            )
            interleaved(benches, args.runs)
            load_after = load_average()
    except CommandError as exc:
        print(f"error: command failed: {exc}", file=sys.stderr)
        print(exc.detail.rstrip(), file=sys.stderr)
        return 1
    report(
        benches,
        runs=args.runs,
        loads=(load_before, load_after),
        mpl_version=mpl_version,
        stand_in=stand_in,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
