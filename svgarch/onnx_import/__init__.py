"""ONNX models → descriptions: ``svgarch import MODEL.onnx -o model.toml``, ``svgarch.from_onnx``.

    read.py (the file, safely) → graph.py (operators, modules, data) → describe.py (blocks, groups, edges)

Only imported when a model is: the ``onnx`` package (``pip install 'svgarch[onnx]'``) is optional.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from svgarch.errors import SvgarchError
from svgarch.onnx_import.describe import Options

SUFFIXES = (".onnx",)


def import_model(source: str | Path | Any, options: Options | None = None, title: str = "") -> dict[str, Any]:
    """The description of an ONNX model (a path or an ``onnx.ModelProto``), as plain data."""
    from svgarch.onnx_import.describe import describe
    from svgarch.onnx_import.graph import read_graph
    from svgarch.onnx_import.read import load

    options = options or Options()
    if options.depth < 1:
        raise SvgarchError(f"--depth must be 1 or more, not {options.depth}")
    model, name = load(source)
    graph = read_graph(model)
    if not graph.ops:
        raise SvgarchError(f"{name}: no operator depends on the model's inputs: nothing to draw")
    default = Path(name).stem if isinstance(source, str | Path) else ""
    return describe(
        graph, options, title or (graph.name if graph.name not in ("", "main_graph", "torch_jit") else default)
    )


def description_text(raw: dict[str, Any], syntax: str) -> str:
    """The description as TOML, YAML or JSON text, with a comment saying where it came from."""
    if syntax == "json":
        import json

        return json.dumps(raw, indent=2, ensure_ascii=False) + "\n"
    if syntax == "yaml":
        import yaml

        head = "# imported by svgarch from an ONNX model: edit freely\n"
        return head + yaml.safe_dump(raw, sort_keys=False, allow_unicode=True, width=120)
    import tomli_w

    head = "# imported by svgarch from an ONNX model: edit freely\n"
    return head + tomli_w.dumps(raw)


__all__ = ["SUFFIXES", "Options", "description_text", "import_model"]
