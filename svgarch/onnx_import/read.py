"""Reading an ONNX model as untrusted input: bounded, nothing run, nothing fetched.

The file is parsed by the ``onnx`` package (protobuf); weights kept in
external files are not read — only their shapes count — but a model that
names such a file which is missing is refused, as it could not be run
either. Shapes come from ONNX shape inference when it succeeds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from svgarch.errors import SvgarchError

MAX_MODEL_BYTES = 2 * 1024**3  # protobuf's own limit
MAX_NODES = 50_000  # operators, subgraphs included


class ImportError_(SvgarchError):
    """An ONNX model that cannot be imported."""


def load(source: str | Path | Any) -> tuple[Any, str]:
    """The model (an ``onnx.ModelProto``) with inferred shapes, and a name for messages."""
    try:
        import onnx
    except ModuleNotFoundError:
        raise SvgarchError("importing ONNX needs the onnx package: pip install 'svgarch[onnx]'") from None
    if isinstance(source, str | Path):
        path = Path(source)
        name = str(path)
        model = _parse(path, onnx)
        _check_external(model, path.parent, name)
    else:
        model, name = source, "<model>"
        if not isinstance(model, onnx.ModelProto):
            raise SvgarchError(f"from_onnx takes a path or an onnx.ModelProto, not {type(source).__name__}")
    count = _count_nodes(model.graph)
    if count > MAX_NODES:
        raise ImportError_(f"{name}: {count} operators; the limit is {MAX_NODES}")
    if count == 0:
        raise ImportError_(f"{name}: the model's graph has no operators")
    return _with_shapes(model, onnx), name


LIGHT = 4096  # elements: weights bigger than this are shown to shape inference by their shape only


def _with_shapes(model: Any, onnx: Any) -> Any:
    """The model with ONNX's inferred shapes in ``value_info``. Inference runs on a copy whose big weights
    are graph inputs of their shape (it would serialise every weight otherwise: seconds for a ResNet)."""
    from onnx import helper, shape_inference

    light = onnx.ModelProto()  # the model less its weights' data: built up, never copied whole
    light.ir_version = model.ir_version
    light.opset_import.extend(model.opset_import)
    light.functions.extend(model.functions)
    graph = model.graph
    light.graph.name = graph.name
    light.graph.node.extend(graph.node)
    light.graph.input.extend(graph.input)
    light.graph.output.extend(graph.output)
    light.graph.value_info.extend(graph.value_info)
    for t in graph.initializer:
        if _elements(t) > LIGHT:
            light.graph.input.append(helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)))
        else:
            light.graph.initializer.append(t)
    try:
        inferred = shape_inference.infer_shapes(light, check_type=False, strict_mode=False)
    except Exception:  # shapes are a nicety: a model they cannot be inferred for still imports
        return model
    del model.graph.value_info[:]
    model.graph.value_info.extend(inferred.graph.value_info)
    known = {o.name for o in model.graph.output if o.type.tensor_type.HasField("shape")}
    for out, info in zip(model.graph.output, inferred.graph.output, strict=False):
        if out.name not in known and out.name == info.name:
            out.CopyFrom(info)
    return model


def _elements(tensor: Any) -> int:
    n = 1
    for d in tensor.dims:
        n *= d
    return n


def _parse(path: Path, onnx: Any) -> Any:
    name = str(path)
    try:
        if not path.is_file():
            raise ImportError_(f"{name}: no such file" if not path.exists() else f"{name}: not a regular file")
        size = path.stat().st_size
        if size > MAX_MODEL_BYTES:
            raise ImportError_(f"{name}: larger than 2 GiB, the most a single ONNX file can hold")
        data = path.read_bytes()
    except OSError as exc:
        raise ImportError_(f"{name}: cannot be read: {exc.strerror}") from None
    model = onnx.ModelProto()
    try:
        model.ParseFromString(data)
    except Exception:  # protobuf's DecodeError, or a message nested too deep
        raise ImportError_(f"{name}: not an ONNX model (the file does not parse as one)") from None
    if not model.HasField("graph") or not model.ir_version:
        raise ImportError_(f"{name}: not an ONNX model (no graph in it)")
    return model


def _count_nodes(graph: Any, depth: int = 0) -> int:
    if depth > 32:
        raise SvgarchError("the model's subgraphs nest deeper than 32")
    total = len(graph.node)
    for node in graph.node:
        for attr in node.attribute:
            if attr.HasField("g"):
                total += _count_nodes(attr.g, depth + 1)
            for sub in attr.graphs:
                total += _count_nodes(sub, depth + 1)
    return total


def _check_external(model: Any, folder: Path, name: str) -> None:
    """A weight kept in an external file must have that file, beside the model, inside its folder."""
    from onnx import TensorProto

    for tensor in model.graph.initializer:
        if tensor.data_location != TensorProto.EXTERNAL:
            continue
        location = next((e.value for e in tensor.external_data if e.key == "location"), "")
        target = (folder / location).resolve()
        if not location or Path(location).is_absolute() or not target.is_relative_to(folder.resolve()):
            raise ImportError_(f"{name}: weight '{tensor.name}' points outside the model's folder ({location!r})")
        if not target.is_file():
            raise ImportError_(f"{name}: weight '{tensor.name}' keeps its data in '{location}', which is missing")
