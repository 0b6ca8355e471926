"""The operators of an ONNX graph as a reader sees them: the module each came from, the data it
passes on, the weights it holds. Constants and shape arithmetic are folded away.

Where a node came from, by what the exporter left:

- PyTorch's dynamo exporter: ``pkg.torch.onnx.name_scopes`` and ``pkg.torch.onnx.class_hierarchy``
  in the node's metadata (lists of module paths and of their classes, outermost first);
- PyTorch's TorchScript exporter: node names such as ``/encoder/layer1/conv1/Conv``;
- tf2onnx: node names such as ``model/conv2d/Conv2D`` (``StatefulPartitionedCall/`` dropped).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable
from typing import Any, NamedTuple

SHAPE_OPS = frozenset({"Shape", "Size"})  # their outputs describe tensors; they are not data
PASS_THROUGH = frozenset({"Identity"})
# operators whose constant inputs are settings (shapes, scales, pads, bounds), not weights
NOT_WEIGHTS = frozenset({"Resize", "Upsample", "Pad", "Clip", "Slice", "Reshape", "Expand", "Tile", "Range", "Where"})
WRAPPERS = frozenset({"StatefulPartitionedCall", "PartitionedCall", "model_1", ""})
MAX_META = 4096  # characters of a metadata value read


class Op(NamedTuple):
    name: str
    op_type: str
    scope: tuple[str, ...]  # module paths, outermost first ("encoder", "encoder.layer1", …)
    classes: tuple[str, ...]  # the class of each scope level, where the exporter said ("" otherwise)
    inputs: tuple[str, ...]  # data tensors read
    outputs: tuple[str, ...]  # data tensors written
    params: int  # weights it reads first (elements)


class Graph(NamedTuple):
    name: str
    ops: tuple[Op, ...]
    inputs: tuple[str, ...]  # the model's data inputs
    outputs: tuple[str, ...]
    shapes: dict[str, tuple[int | str, ...]]


def read_graph(model: Any) -> Graph:
    g = model.graph
    weights = {t.name: t for t in g.initializer}
    shapes = _shapes(g)
    data = {i.name for i in g.input if i.name not in weights}
    alias: dict[str, str] = {}
    constants: dict[str, int] = {name: _elements(t) for name, t in weights.items() if _is_float(t.data_type)}
    ops: list[Op] = []
    rooted: list[bool] = []  # named as tf2onnx names nodes: under the model's own name
    claimed: set[str] = set()
    for node in g.node:
        ins = [alias.get(i, i) for i in node.input if i]
        if node.op_type == "Constant":
            value = next((a.t for a in node.attribute if a.name == "value" and a.HasField("t")), None)
            for out in node.output:
                constants[out] = _elements(value) if value is not None and _is_float(value.data_type) else 0
            continue
        data_in = [i for i in ins if i in data]
        if not data_in or node.op_type in SHAPE_OPS:
            continue  # constant folding: nothing here depends on the model's input
        if node.op_type in PASS_THROUGH and len(data_in) == 1:
            alias.update((o, data_in[0]) for o in node.output)
            continue
        data.update(o for o in node.output if o)
        params = 0
        for i in ins if node.op_type not in NOT_WEIGHTS else ():
            if i in constants and i not in claimed and constants[i] > 1:
                params += constants[i]
                claimed.add(i)
        scope, classes = _scope(node)
        rooted.append(bool(scope) and not node.name.startswith("/") and not node.metadata_props)
        ops.append(
            Op(
                node.name or f"{node.op_type}_{len(ops)}",
                node.op_type,
                scope,
                classes,
                tuple(data_in),
                tuple(o for o in node.output if o),
                params,
            )
        )
    if rooted and all(rooted):
        ops = _strip_root(ops)
    outputs = tuple(alias.get(o.name, o.name) for o in g.output)
    name = g.name or (model.producer_name if model.producer_name else "model")
    return Graph(name, tuple(ops), tuple(i.name for i in g.input if i.name not in weights), outputs, shapes)


def _is_float(data_type: int) -> bool:
    from onnx import TensorProto

    return data_type in (TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.DOUBLE, TensorProto.BFLOAT16)


def _elements(tensor: Any) -> int:
    return math.prod(tensor.dims) if tensor.dims else 1


def _shapes(g: Any) -> dict[str, tuple[int | str, ...]]:
    out: dict[str, tuple[int | str, ...]] = {}
    for info in (*g.input, *g.value_info, *g.output):
        t = info.type.tensor_type
        if not t.HasField("shape"):
            continue
        out[info.name] = tuple(d.dim_value if d.HasField("dim_value") else (d.dim_param or "?") for d in t.shape.dim)
    return out


def _meta_list(text: str) -> list[str]:
    """A metadata value that lists names: Python's list syntax, or plain commas."""
    text = text[:MAX_META].strip()
    if text.startswith("["):
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            value = None
        if isinstance(value, list):
            return [str(v) for v in value]
        text = text.strip("[]")
    return [part.strip().strip("'\"") for part in text.split(",")]


def _scope(node: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    meta = {p.key: p.value for p in node.metadata_props}
    if "pkg.torch.onnx.name_scopes" in meta:
        names = _meta_list(meta["pkg.torch.onnx.name_scopes"])
        classes = _meta_list(meta.get("pkg.torch.onnx.class_hierarchy", ""))
        pairs = [(n, c) for n, c in zip(names, classes + [""] * len(names), strict=False)]
        pairs = [(n, c) for n, c in pairs if n]  # the model itself: the root, not a module
        return tuple(n for n, _ in pairs), tuple(c.rsplit(".", 1)[-1] for _, c in pairs)
    parts = node.name.split("/")
    if len(parts) < 2:
        return (), ()
    scope = tuple(p for p in parts[:-1] if p not in WRAPPERS)
    return scope, ("",) * len(scope)


def _strip_root(ops: list[Op]) -> list[Op]:
    """tf2onnx names every node under the model's own name: a scope every op shares says nothing."""
    firsts = {op.scope[:1] for op in ops}
    if len(firsts) == 1 and firsts != {()} and all(len(op.scope) > 1 for op in ops):
        return [op._replace(scope=op.scope[1:], classes=op.classes[1:]) for op in ops]
    return ops


def module_name(scope: Iterable[str]) -> str:
    """The dotted name of a module: the last scope when it is already a full path (PyTorch), else the path."""
    parts = list(scope)
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        out = part if part.startswith(out + ".") else f"{out}.{part}"
    return out
