"""Small ONNX models built with onnx.helper, named as the exporters name theirs (for the import tests)."""

from __future__ import annotations

from typing import Any

import numpy as np
from onnx import TensorProto, helper, numpy_helper


class Builder:
    """Nodes, weights and shapes of one graph; ``name`` turns a scope and an op into a node name."""

    def __init__(self, style: str) -> None:
        self.style = style  # "torchscript", "tf2onnx" or "dynamo"
        self.nodes: list[Any] = []
        self.weights: list[Any] = []
        self.count = 0

    def weight(self, *dims: int) -> str:
        self.count += 1
        name = f"w{self.count}"
        self.weights.append(numpy_helper.from_array(np.zeros(dims, dtype=np.float32), name))
        return name

    def ints(self, *values: int) -> str:
        self.count += 1
        name = f"c{self.count}"
        self.weights.append(numpy_helper.from_array(np.array(values, dtype=np.int64), name))
        return name

    def op(self, op_type: str, scope: list[tuple[str, str]], inputs: list[str], **attrs: Any) -> str:
        """One node in module ``scope`` (a list of (path, class)), returning its output's name."""
        self.count += 1
        out = f"t{self.count}"
        paths = [p for p, _ in scope]
        if self.style == "torchscript":
            name = "/" + "/".join([*_torchscript_segments(paths), op_type])
        elif self.style == "tf2onnx":
            name = "/".join(["StatefulPartitionedCall", "model", *[p.replace(".", "_") for p in paths], op_type])
        else:
            name = f"node_{op_type}_{self.count}"
        node = helper.make_node(op_type, inputs, [out], name=name, **attrs)
        if self.style == "dynamo":
            scopes = ["", *paths]
            classes = ["Net", *[f"torch.nn.modules.{c}" for _, c in scope]]
            node.metadata_props.add(key="pkg.torch.onnx.name_scopes", value=repr(scopes))
            node.metadata_props.add(key="pkg.torch.onnx.class_hierarchy", value=repr(classes))
        self.nodes.append(node)
        return out

    def model(self, name: str, inputs: list[tuple[str, list[int]]], outputs: list[str]) -> Any:
        graph = helper.make_graph(
            self.nodes,
            name,
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
            [helper.make_empty_tensor_value_info(o) for o in outputs],
            self.weights,
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="tests")
        return model


def _torchscript_segments(paths: list[str]) -> list[str]:
    """TorchScript names a module by its attribute (``conv1``), a Sequential's child by its full path (``layer1.0``)."""
    out = []
    for parent, path in zip(["", *paths], paths, strict=False):
        rest = path[len(parent) + 1 :] if parent and path.startswith(parent + ".") else path
        out.append(path if rest.isdigit() else rest)
    return out


def conv(b: Builder, scope: list[tuple[str, str]], x: str, cin: int, cout: int, k: int = 3, **attrs: Any) -> str:
    pad = k // 2 * attrs.get("dilations", [1, 1])[0]
    return b.op(
        "Conv", scope, [x, b.weight(cout, cin, k, k), b.weight(cout)], kernel_shape=[k, k], pads=[pad] * 4, **attrs
    )


def resnet_bottleneck(style: str = "torchscript") -> Any:
    """torchvision's layer1.0: 1×1, 3×3, 1×1 convolutions with batch norms, a downsample path, the residual add."""
    b = Builder(style)
    blk = [("layer1", "Sequential"), ("layer1.0", "Bottleneck")]
    x = "x"
    h = conv(b, [*blk, ("layer1.0.conv1", "Conv2d")], x, 256, 64, 1)
    h = b.op("BatchNormalization", [*blk, ("layer1.0.bn1", "BatchNorm2d")], [h, *(b.weight(64) for _ in range(4))])
    h = b.op("Relu", [*blk, ("layer1.0.relu", "ReLU")], [h])
    h = conv(b, [*blk, ("layer1.0.conv2", "Conv2d")], h, 64, 64, 3)
    h = b.op("BatchNormalization", [*blk, ("layer1.0.bn2", "BatchNorm2d")], [h, *(b.weight(64) for _ in range(4))])
    h = b.op("Relu", [*blk, ("layer1.0.relu_1", "ReLU")], [h])
    h = conv(b, [*blk, ("layer1.0.conv3", "Conv2d")], h, 64, 256, 1)
    h = b.op("BatchNormalization", [*blk, ("layer1.0.bn3", "BatchNorm2d")], [h, *(b.weight(256) for _ in range(4))])
    s = b.op("Add", blk, [h, x])
    y = b.op("Relu", [*blk, ("layer1.0.relu_2", "ReLU")], [s])
    return b.model("resnet_bottleneck", [("x", [1, 256, 56, 56])], [y])


def transformer_encoder(style: str = "dynamo", layers: int = 2, d: int = 64) -> Any:
    """A small Transformer encoder: embedding, then per layer self-attention and an MLP, each with add and norm."""
    b = Builder(style)
    h = b.op("Gather", [("embed", "Embedding")], [b.weight(1000, d), "tokens"])
    for i in range(layers):
        layer = [("layers", "ModuleList"), (f"layers.{i}", "TransformerEncoderLayer")]
        attn = [*layer, (f"layers.{i}.self_attn", "MultiheadAttention")]
        q = b.op("MatMul", attn, [h, b.weight(d, d)])
        k = b.op("MatMul", attn, [h, b.weight(d, d)])
        v = b.op("MatMul", attn, [h, b.weight(d, d)])
        kt = b.op("Transpose", attn, [k], perm=[0, 2, 1])
        s = b.op("Softmax", attn, [b.op("MatMul", attn, [q, kt])], axis=-1)
        a = b.op("MatMul", attn, [b.op("MatMul", attn, [s, v]), b.weight(d, d)])
        h = b.op("Add", layer, [h, a])
        h = b.op("LayerNormalization", [*layer, (f"layers.{i}.norm1", "LayerNorm")], [h, b.weight(d), b.weight(d)])
        m = b.op("MatMul", [*layer, (f"layers.{i}.linear1", "Linear")], [h, b.weight(d, 4 * d)])
        m = b.op("Relu", [*layer, (f"layers.{i}.activation", "ReLU")], [m])
        m = b.op("MatMul", [*layer, (f"layers.{i}.linear2", "Linear")], [m, b.weight(4 * d, d)])
        h = b.op("Add", layer, [h, m])
        h = b.op("LayerNormalization", [*layer, (f"layers.{i}.norm2", "LayerNorm")], [h, b.weight(d), b.weight(d)])
    model = b.model("transformer_encoder", [("tokens", [1, 128])], [h])
    model.graph.input[0].type.tensor_type.elem_type = TensorProto.INT64
    return model


def cnn_v3(style: str = "torchscript") -> Any:
    """The seed's CNN v3: a two-level U-Net whose convolutions FiLM modulates, with the seed's channel counts:
    20 → enc0 (4) → enc1 (8, after a 2×2 average pool) → bottleneck (8, dilation 2, at ¼) → dec1 (16 → 4)
    → dec0 (8 → 4, sigmoid) → 4; a FiLM MLP Linear(5→16) → ReLU → Linear(16→40) gives γ and β."""
    b = Builder(style)

    def film(scope: list[tuple[str, str]], h: str, start: int, ch: int) -> str:
        gamma = b.op("Slice", scope, [f, b.ints(start), b.ints(start + ch), b.ints(1)])
        beta = b.op("Slice", scope, [f, b.ints(start + ch), b.ints(start + 2 * ch), b.ints(1)])
        shape = b.ints(1, ch, 1, 1)
        return b.op(
            "Add",
            scope,
            [b.op("Mul", scope, [h, b.op("Reshape", scope, [gamma, shape])]), b.op("Reshape", scope, [beta, shape])],
        )

    m = b.op("Gemm", [("mlp", "FiLMMLP"), ("mlp.fc1", "Linear")], ["cond", b.weight(16, 5), b.weight(16)], transB=1)
    m = b.op("Relu", [("mlp", "FiLMMLP"), ("mlp.act", "ReLU")], [m])
    f = b.op("Gemm", [("mlp", "FiLMMLP"), ("mlp.fc2", "Linear")], [m, b.weight(40, 16), b.weight(40)], transB=1)
    enc0 = [("enc0", "FiLMConv")]
    e0 = b.op("Relu", enc0, [film(enc0, conv(b, enc0, "x", 20, 4), 0, 4)])
    enc1 = [("enc1", "FiLMConv")]
    p = b.op("AveragePool", [("pool0", "AvgPool2d")], [e0], kernel_shape=[2, 2], strides=[2, 2])
    e1 = b.op("Relu", enc1, [film(enc1, conv(b, enc1, p, 4, 8), 8, 8)])
    p = b.op("AveragePool", [("pool1", "AvgPool2d")], [e1], kernel_shape=[2, 2], strides=[2, 2])
    bn = b.op(
        "Relu", [("bottleneck", "DilatedConv")], [conv(b, [("bottleneck", "DilatedConv")], p, 8, 8, dilations=[2, 2])]
    )
    scales = b.weight(4)
    b.weights[-1] = numpy_helper.from_array(np.array([1, 1, 2, 2], dtype=np.float32), scales)
    roi = b.weight(0)
    up = b.op("Resize", [("up1", "Upsample")], [bn, roi, scales], mode="nearest")
    dec1 = [("dec1", "FiLMConv")]
    d1 = b.op("Relu", dec1, [film(dec1, conv(b, dec1, b.op("Concat", dec1, [up, e1], axis=1), 16, 4), 24, 4)])
    up = b.op("Resize", [("up0", "Upsample")], [d1, roi, scales], mode="nearest")
    dec0 = [("dec0", "FiLMConv")]
    d0 = b.op("Sigmoid", dec0, [film(dec0, conv(b, dec0, b.op("Concat", dec0, [up, e0], axis=1), 8, 4), 32, 4)])
    return b.model("cnn_v3", [("x", [1, 20, 64, 64]), ("cond", [1, 5])], [d0])


def chain(n: int, style: str = "torchscript") -> Any:
    """``n`` operators in blocks of ten inside stages of ten blocks: a large graph for the speed test."""
    b = Builder(style)
    h = "x"
    for i in range(n):
        stage, block = i // 100, i // 10
        scope = [(f"stage{stage}", "Stage"), (f"stage{stage}.block{block}", "Block")]
        h = b.op("Relu" if i % 2 else "Sigmoid", scope, [h])
    return b.model("chain", [("x", [1, 8, 16, 16])], [h])
