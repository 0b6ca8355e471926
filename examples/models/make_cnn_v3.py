"""Write examples/models/cnn_v3.onnx: the seed's CNN v3 (a two-level U-Net whose convolutions a small MLP
modulates with FiLM), built with onnx.helper as PyTorch's dynamo exporter would name it, weights zero.

    python examples/models/make_cnn_v3.py
    svgarch import examples/models/cnn_v3.onnx --labels channels --title "…" -o examples/cnn_v3_imported.toml
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import onnx  # noqa: E402

from tests.onnx_models import cnn_v3  # noqa: E402

if __name__ == "__main__":
    onnx.save(cnn_v3("dynamo"), str(HERE / "cnn_v3.onnx"))
