"""Importing and rendering ONNX models: a ResNet-50-sized graph (~500 operators) at depth 2 under 1 s,
a 5,000-operator graph under 5 s (issue 14), each as a whole ``svgarch render MODEL.onnx`` process.

    python benchmarks/bench_onnx.py            # 5 runs each, medians
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests import onnx_models  # noqa: E402


def resnet50_like() -> object:
    """Four stages of bottlenecks (3, 4, 6, 3): convolutions, batch norms, ReLUs, residual adds, and the
    exporter's shape arithmetic and identities around them: about 520 operators."""
    b = onnx_models.Builder("torchscript")
    h = onnx_models.conv(b, [("conv1", "Conv2d")], "x", 3, 64, 7)
    cin = 64
    for stage, (blocks, width) in enumerate(((3, 64), (4, 128), (6, 256), (3, 512)), start=1):
        for i in range(blocks):
            blk = [(f"layer{stage}", "Sequential"), (f"layer{stage}.{i}", "Bottleneck")]
            x = h
            for j, (k, cout) in enumerate(((1, width), (3, width), (1, width * 4)), start=1):
                h = onnx_models.conv(b, [*blk, (f"layer{stage}.{i}.conv{j}", "Conv2d")], h, cin, cout, k)
                shape = b.op("Shape", blk, [h])  # shape arithmetic the exporter leaves: folded away
                b.op("Unsqueeze", blk, [b.op("Gather", blk, [shape, b.ints(0)]), b.ints(0)])
                h = b.op(
                    "BatchNormalization",
                    [*blk, (f"layer{stage}.{i}.bn{j}", "BatchNorm2d")],
                    [h, *(b.weight(cout) for _ in range(4))],
                )
                h = b.op("Relu", [*blk, (f"layer{stage}.{i}.relu{j}", "ReLU")], [h]) if j < 3 else h
                cin = cout
            if i == 0:
                x = onnx_models.conv(
                    b,
                    [*blk, (f"layer{stage}.{i}.downsample", "Sequential")],
                    x,
                    width * 4 // (2 if stage > 1 else 4) if stage > 1 else 64,
                    width * 4,
                    1,
                )
            for _ in range(12):  # the exporter's identities and casts around each block
                h = b.op("Identity", blk, [h])
            h = b.op("Relu", blk, [b.op("Add", blk, [h, x])])
    h = b.op("GlobalAveragePool", [("avgpool", "AdaptiveAvgPool2d")], [h])
    h = b.op("Flatten", [], [h])
    h = b.op("Gemm", [("fc", "Linear")], [h, b.weight(1000, 2048), b.weight(1000)], transB=1)
    return b.model("resnet50", [("x", [1, 3, 224, 224])], [h])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    import onnx

    svgarch = REPO / ".venv" / "bin" / "svgarch"
    folder = Path(tempfile.mkdtemp(prefix="svgarch-onnx-"))
    cases = [
        ("resnet50-like", resnet50_like(), "2", 1.0),
        ("5,000 operators", onnx_models.chain(5000), "2", 5.0),
    ]
    for name, model, depth, target in cases:
        path = folder / "m.onnx"
        onnx.save(model, str(path))
        ops = len(model.graph.node)  # type: ignore[attr-defined]
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([str(svgarch), "render", str(path), "-o", str(folder / "m.svg")], check=True)
            times.append(time.perf_counter() - start)
        # depth is the default (1) for render; import at depth 2 is timed too
        start = time.perf_counter()
        subprocess.run([str(svgarch), "import", str(path), "--depth", depth, "-o", str(folder / "m.toml")], check=True)
        subprocess.run([str(svgarch), "render", str(folder / "m.toml"), "-o", str(folder / "m2.svg")], check=True)
        both = time.perf_counter() - start
        m = statistics.median(times)
        print(
            f"{name} ({ops} operators): render MODEL.onnx {m:.2f} s (median of {args.runs});"
            f" import at depth {depth} + render {both:.2f} s; target < {target:g} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
