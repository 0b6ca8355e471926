"""Layout quality on the corpus: svgarch and Graphviz dot side by side, the same ruler on both.

    python benchmarks/bench_quality.py                 # every diagram in benchmarks/corpus/
    python benchmarks/bench_quality.py --out out/q     # also writes both SVGs and PNGs, to look at
    python benchmarks/bench_quality.py lakehouse       # only names containing "lakehouse"
    python benchmarks/bench_quality.py --corpus benchmarks/heldout   # another folder (the held-out set)

For each description ``benchmarks/corpus/<name>.toml`` svgarch renders an SVG,
and dot renders ``<name>.dot`` (the same graph, made by ``to_dot.py``).
``--corpus`` reads another folder of such pairs instead, e.g. ``benchmarks/heldout/``,
descriptions nobody tunes the layout against, to catch over-fitting to the corpus. Both are
read back as drawings and measured by ``svgarch.quality`` (see the README's
table of measures). Per diagram it prints every measure for both; then, over
the corpus, the median of svgarch ÷ dot for the ratio targets and the totals
for the count targets, each with its target and whether it is met. A diagram
where both drawings measure 0 (no rails in either, say) has nothing to compare
and is left out of that measure's median (the line says how many); counting it
as 1.0 would make a ≤ 0.5× target unreachable on a set where most diagrams
have no rails at all. Beside the rails median it also prints the ratio of the
rails totals and the median over diagrams where dot has rails; these two only
inform.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "benchmarks" / "corpus"
sys.path.insert(0, str(REPO))

from svgarch.model import DiagramModel  # noqa: E402
from svgarch.pipeline import render_svg  # noqa: E402
from svgarch.quality import Quality, measure, median, svg_drawing  # noqa: E402
from svgarch.spec import model_from_raw, read_description  # noqa: E402

# measure → (target on the median ratio svgarch ÷ dot, or None for a count that must be 0)
RATIO_TARGETS = {"area_per_text": 1.0, "rails": 0.5, "crossings": 0.6, "turning_p90": 1.0}
ZERO_TARGETS = ("coincident_runs", "ambiguous_labels", "fan_crossings", "order_inversions")
MAX_DETOUR = 1.6
MAX_PNG_SIDE = 32767  # px: cairo's largest image


def load(path: Path) -> DiagramModel:
    raw, where = read_description(path)
    return model_from_raw(raw, str(path), where, path.parent)


def ours(spec: Path, folder: Path) -> tuple[Quality, Path, float]:
    model = load(spec)
    svg = folder / f"{spec.stem}.svarch.svg"
    svg.write_text(render_svg(model), encoding="utf-8")
    text = svg.read_text(encoding="utf-8")
    drawing = svg_drawing(svg, text)
    pinned = {b.id for b in model.blocks if b.row is not None or b.x is not None}
    drawing = drawing._replace(
        flow=model.direction, nodes=tuple(n._replace(pinned=n.id in pinned) for n in drawing.nodes)
    )
    width_in = float(text.split('width="', 1)[1].split("in", 1)[0])
    height_in = float(text.split('height="', 1)[1].split("in", 1)[0])
    return measure(drawing), svg, max(width_in, height_in) * 180


def dots(spec: Path, folder: Path, dot: str) -> tuple[Quality, Path]:
    svg = folder / f"{spec.stem}.dot.svg"
    subprocess.run([dot, "-Tsvg", str(spec.with_suffix(".dot")), "-o", str(svg)], check=True)
    return measure(svg_drawing(svg, svg.read_text(encoding="utf-8"))), svg


def ratio(a: float, b: float) -> float:
    """a ÷ b, where 0 ÷ 0 is 1 (both perfect) and a ÷ 0 counts b as one half."""
    if b == 0:
        return 1.0 if a == 0 else a / 0.5
    return a / b


def rails_beside(rails: Sequence[tuple[float, float]]) -> str:
    """Two more figures on rails beside the median: the ratio of the totals over the set, and the median
    ratio over the diagrams where dot has rails."""
    ours_total, dot_total = sum(a for a, _ in rails), sum(b for _, b in rails)
    with_dot = [a / b for a, b in rails if b > 0]
    totals = f"totals {ours_total:g} ÷ {dot_total:g} = {ratio(ours_total, dot_total):.2f}×"
    where = f"median where dot has rails ({len(with_dot)} diagrams) {median(with_dot):.2f}×" if with_dot else ""
    return f"{totals}; {where or 'dot has no rails'} (not targets)"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", help="only descriptions whose name contains one of these")
    p.add_argument("--out", type=Path, help="write both SVGs (and PNGs) of every diagram here")
    p.add_argument(
        "--corpus", type=Path, default=CORPUS, help="folder of <name>.toml + <name>.dot pairs (default: %(default)s)"
    )
    args = p.parse_args(argv)
    dot = shutil.which("dot")
    if dot is None:
        print("needs Graphviz dot (Debian package graphviz)", file=sys.stderr)
        return 1
    corpus: Path = args.corpus
    specs = [s for s in sorted(corpus.glob("*.toml")) if not args.names or any(n in s.stem for n in args.names)]
    if not specs:
        print(f"no descriptions in {corpus}", file=sys.stderr)
        return 1
    twinless = [s.name for s in specs if not s.with_suffix(".dot").is_file()]
    if twinless:
        print(f"no DOT twin for {', '.join(twinless)} in {corpus} (make them with its to_dot.py)", file=sys.stderr)
        return 1
    folder = args.out or Path(tempfile.mkdtemp(prefix="svgarch-quality-"))
    folder.mkdir(parents=True, exist_ok=True)
    ratios: dict[str, list[float]] = {k: [] for k in RATIO_TARGETS}
    even: dict[str, int] = dict.fromkeys(RATIO_TARGETS, 0)  # diagrams where both are 0, left out of the median
    rails: list[tuple[float, float]] = []  # (svgarch, dot) per diagram
    zeros: dict[str, int] = dict.fromkeys(ZERO_TARGETS, 0)
    detour_over, too_big = [], []
    for spec in specs:
        q_ours, svg_ours, png_side = ours(spec, folder)
        q_dot, svg_dot = dots(spec, folder, dot)
        f_ours, f_dot = q_ours.figures(), q_dot.figures()
        print(f"\n{spec.stem}: {f_ours['blocks']} blocks, {f_ours['edges']} edges")
        print(f"  {'measure':<20} {'svgarch':>9} {'dot':>9} {'ratio':>7}")
        for key in f_ours:
            if key in ("blocks", "edges"):
                continue
            r = ratio(f_ours[key], f_dot[key])
            print(f"  {key:<20} {f_ours[key]:>9g} {f_dot[key]:>9g} {r:>7.2f}")
        for key in RATIO_TARGETS:
            if f_ours[key] == 0 == f_dot[key]:
                even[key] += 1  # nothing to compare: neither has any
            else:
                ratios[key].append(ratio(f_ours[key], f_dot[key]))
        for key in ZERO_TARGETS:
            zeros[key] += int(f_ours[key])
        rails.append((f_ours["rails"], f_dot["rails"]))
        if f_ours["detour_max"] > MAX_DETOUR:
            detour_over.append(f"{spec.stem} ({q_ours.worst_detours[0]})")
        if png_side > MAX_PNG_SIDE:
            too_big.append(f"{spec.stem} ({png_side:.0f} px)")
        if args.out:
            _pngs(svg_ours, svg_dot, dot, spec)
    print(f"\nover {len(specs)} diagrams of {corpus} (svgarch ÷ dot, medians):")
    for key, target in RATIO_TARGETS.items():
        m = median(ratios[key]) if ratios[key] else 0.0
        left_out = f"  ({even[key]} at 0 on both left out)" if even[key] else ""
        print(f"  {key:<20} {m:6.2f}×  target ≤ {target:g}×  {'ok' if m <= target else 'MISSED'}{left_out}")
        if key == "rails":
            print(f"    {rails_beside(rails)}")
    for key in ZERO_TARGETS:
        print(f"  {key:<20} {zeros[key]:6d}   target 0    {'ok' if zeros[key] == 0 else 'MISSED'}")
    print(f"  max detour > {MAX_DETOUR}: {len(detour_over)} diagrams {'ok' if not detour_over else 'MISSED'}")
    for line in detour_over:
        print(f"    {line}")
    print(f"  default PNG too large: {len(too_big)} {'ok' if not too_big else 'MISSED: ' + ', '.join(too_big)}")
    if args.out:
        print(f"\npictures in {folder}")
    return 0


def _pngs(svg_ours: Path, svg_dot: Path, dot: str, spec: Path) -> None:
    import cairosvg

    cairosvg.svg2png(url=str(svg_ours), write_to=str(svg_ours.with_suffix(".png")), dpi=72)
    subprocess.run([dot, "-Tpng", "-Gdpi=72", str(spec.with_suffix(".dot")), "-o", str(svg_dot.with_suffix(".png"))])


if __name__ == "__main__":
    sys.exit(main())
