"""An ONNX graph collapsed to the modules a reader wants, written as a description.

A block per module at ``depth`` (``expand`` opens one module a level
further, ``collapse`` keeps one whole); an operator outside any module that
deep is a block of its own (``Add`` a ⊕ circle). Parent modules become
groups. Edges are the tensors that cross blocks; an edge that bypasses a
path of blocks is a skip. When the picture goes down in resolution and back
up (a U-Net), blocks working at one resolution share a ``level``, so the
encoder and decoder come out side by side.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from typing import Any, NamedTuple

from svgarch.onnx_import.graph import Graph, Op, module_name

# operator → (class shown, kind): kinds colour blocks and name the legend's entries
OP_CLASS = {
    "Conv": ("Conv", "conv"),
    "ConvTranspose": ("ConvTranspose", "conv"),
    "Gemm": ("Linear", "linear"),
    "MatMul": ("MatMul", "linear"),
    "BatchNormalization": ("BatchNorm", "norm"),
    "LayerNormalization": ("LayerNorm", "norm"),
    "InstanceNormalization": ("InstanceNorm", "norm"),
    "GroupNormalization": ("GroupNorm", "norm"),
    "Relu": ("ReLU", "activation"),
    "LeakyRelu": ("LeakyReLU", "activation"),
    "Sigmoid": ("Sigmoid", "activation"),
    "Tanh": ("Tanh", "activation"),
    "Gelu": ("GELU", "activation"),
    "Softmax": ("Softmax", "activation"),
    "MaxPool": ("MaxPool", "pooling"),
    "AveragePool": ("AvgPool", "pooling"),
    "GlobalAveragePool": ("GlobalAvgPool", "pooling"),
    "Resize": ("Upsample", "resize"),
    "Upsample": ("Upsample", "resize"),
    "Add": ("Add", "merge"),
    "Sum": ("Sum", "merge"),
    "Mul": ("Mul", "merge"),
    "Concat": ("Concat", "merge"),
    "Gather": ("Embedding", "embedding"),
    "Flatten": ("Flatten", "reshape"),
    "Reshape": ("Reshape", "reshape"),
    "Transpose": ("Transpose", "reshape"),
}
WEIGHT_CLASSES = frozenset({"Conv", "ConvTranspose", "Gemm", "MatMul", "Gather"})
CLASS_KIND = (  # a module's class (as PyTorch or Keras names it) → kind, by the first word that matches
    ("attention", "attention"),
    ("conv", "conv"),
    ("norm", "norm"),
    ("linear", "linear"),
    ("dense", "linear"),
    ("mlp", "linear"),
    ("relu", "activation"),
    ("gelu", "activation"),
    ("sigmoid", "activation"),
    ("pool", "pooling"),
    ("upsample", "resize"),
    ("embedding", "embedding"),
)
LEGEND = {
    "io": "Input / output",
    "conv": "Convolution",
    "norm": "Normalisation",
    "activation": "Activation",
    "linear": "Linear",
    "attention": "Attention",
    "pooling": "Pooling",
    "resize": "Resampling",
    "merge": "Merge",
    "embedding": "Embedding",
    "reshape": "Reshape",
    "module": "Module",
    "skip": "Skip connection",
    "condition": "Conditioning",
}
GLYPHS = {"Add": "⊕", "Sum": "Σ", "Mul": "⊗", "Concat": "‖"}


class Options(NamedTuple):
    depth: int = 1
    expand: Collection[str] = ()
    collapse: Collection[str] = ()
    labels: str = "none"  # "none", "shape" or "channels" on edges
    style: str = "plain"  # "plain" or "boxes" (3-D boxes for convolution stages)
    fold: bool = True  # a lone pooling or resampling block becomes its edge's label
    direction: str = "TB"


class Block(NamedTuple):
    key: tuple[str, ...]
    ops: tuple[Op, ...]


def block_key(op: Op, options: Options, parents: Collection[tuple[str, ...]] = ()) -> tuple[str, ...]:
    """The block an operator falls in: its module ``depth`` levels down; or, in a module with modules
    inside, itself (``parents`` are the modules that hold modules)."""
    limit = options.depth
    for k in range(len(op.scope)):
        name = module_name(op.scope[: k + 1])
        if name in options.collapse:
            return op.scope[: k + 1]
        if k + 1 >= limit:
            if name in options.expand:
                limit = k + 2
                continue
            return op.scope[: k + 1]
    if op.scope and op.scope not in parents:  # a module with no modules inside is one block at any depth
        return op.scope
    return (*op.scope, "#" + op.name)


def describe(graph: Graph, options: Options, title: str = "") -> dict[str, Any]:
    """The description (plain data, as a TOML file would parse) of the collapsed graph."""
    parents = {op.scope[:k] for op in graph.ops for k in range(1, len(op.scope))}
    blocks: dict[tuple[str, ...], list[Op]] = defaultdict(list)
    for op in graph.ops:
        blocks[block_key(op, options, parents)].append(op)
    producer: dict[str, tuple[str, ...]] = {}
    for key, ops in blocks.items():
        for op in ops:
            producer.update((t, key) for t in op.outputs)
    ids = _Ids()
    entries: list[dict[str, Any]] = []
    block_id: dict[tuple[str, ...], str] = {}
    for name in graph.inputs:
        block_id[("<in>", name)] = ids.new(f"input_{name}")
        entries.append(_io(block_id[("<in>", name)], name, graph))
    for key, ops in blocks.items():
        block_id[key] = ids.new(_id_text(key, ops[0].op_type))
        entries.append(_block(block_id[key], key, ops, graph, options))
    for name in graph.outputs:
        block_id[("<out>", name)] = ids.new(f"output_{name}")
        entries.append(_io(block_id[("<out>", name)], name, graph))
    for name in graph.inputs:
        producer[name] = ("<in>", name)
    edges: dict[tuple[str, str], str] = {}
    for key, ops in blocks.items():
        for op in ops:
            for t in op.inputs:
                src = producer.get(t)
                if src is not None and src != key:
                    edges.setdefault((block_id[src], block_id[key]), t)
    for name in graph.outputs:
        src = producer.get(name)
        if src is not None:
            edges.setdefault((block_id[src], block_id[("<out>", name)]), name)
    skips = _bypasses(list(edges))
    kind_of = {b["id"]: b.get("kind", "") for b in entries}
    edge_entries = []
    for (a, b), tensor in edges.items():
        e: dict[str, Any] = {"from": a, "to": b}
        if _rank(graph, tensor) < _rank(graph, _block_output(b, blocks, block_id, graph)):
            e["kind"] = "condition"  # a vector steering feature maps (FiLM γ/β, a time embedding)
        elif (a, b) in skips and kind_of.get(a) != "io":
            e["kind"] = "skip"
        label = _edge_label(tensor, graph, options.labels)
        if label:
            e["label"] = label
        edge_entries.append(e)
    if options.fold:
        entries, edge_entries = _fold_resampling(entries, edge_entries)
    edge_entries = _fans(edge_entries, {(a, b): t for (a, b), t in edges.items()})
    groups = _groups(list(blocks), block_id, entries, ids)
    _levels(entries, edge_entries, graph, blocks, block_id)
    kinds = [k for k in LEGEND if any(x.get("kind") == k for x in [*entries, *edge_entries])]
    out: dict[str, Any] = {"title": title or graph.name, "direction": options.direction}
    if options.style == "boxes":
        _boxes(entries, blocks, block_id, graph)
    out["legend"] = {k: LEGEND[k] for k in kinds}
    out["block"] = entries
    if groups:
        out["group"] = groups
    out["edge"] = edge_entries
    return out


class _Ids:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def new(self, text: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_.") or "block"
        out, n = base, 2
        while out in self.used:
            out, n = f"{base}_{n}", n + 1
        self.used.add(out)
        return out


def _id_text(key: tuple[str, ...], op_type: str) -> str:
    if key[-1].startswith("#"):  # an operator of its own: named after its module and its type
        return ".".join(filter(None, (module_name(key[:-1]), op_type.lower())))
    return module_name(key)


def _io(block_id: str, tensor: str, graph: Graph) -> dict[str, Any]:
    shape = graph.shapes.get(tensor)
    entry: dict[str, Any] = {"id": block_id, "title": tensor, "kind": "io", "shape": "pill"}
    if shape:
        entry["subtitle"] = _dims(shape)
    return entry


def _block(block_id: str, key: tuple[str, ...], ops: list[Op], graph: Graph, options: Options) -> dict[str, Any]:
    leaf = key[-1].startswith("#")
    cls, kind = _class_and_kind(key, ops, leaf)
    if leaf:
        title = GLYPHS.get(ops[0].op_type, ops[0].op_type)
    else:
        name = module_name(key)
        title = f"{name} ({cls})" if cls else name
    entry: dict[str, Any] = {"id": block_id, "title": title, "kind": kind}
    if leaf and ops[0].op_type in GLYPHS:
        entry["shape"] = "circle"
    sub = []
    out_shape = _output_shape(ops, graph)
    if out_shape:
        sub.append(_dims(out_shape))
    params = sum(op.params for op in ops)
    if params:
        sub.append(f"{_count(params)} params")
    if sub and not entry.get("shape"):
        entry["subtitle"] = " · ".join(sub)
    return entry


def _class_and_kind(key: tuple[str, ...], ops: list[Op], leaf: bool) -> tuple[str, str]:
    if not leaf:
        level = len(key) - 1
        declared = next((op.classes[level] for op in ops if len(op.classes) > level and op.classes[level]), "")
        if declared:
            lowered = declared.lower()
            return declared, next((k for word, k in CLASS_KIND if word in lowered), "module")
    weighted: dict[str, int] = defaultdict(int)
    for op in ops:
        if op.op_type in WEIGHT_CLASSES:
            weighted[op.op_type] += op.params
    if weighted and not leaf:  # a module is named after the operator that holds most of its weights
        heaviest = max(weighted, key=lambda t: weighted[t])
        if weighted[heaviest] > 0 or len(weighted) == 1:
            return OP_CLASS[heaviest]
    significant = [op.op_type for op in ops if OP_CLASS.get(op.op_type, ("", ""))[1] not in ("activation", "reshape")]
    types = set(significant) or {op.op_type for op in ops}
    if len(types) == 1:
        only = next(iter(types))
        cls, kind = OP_CLASS.get(only, (only, "module"))
        return cls, kind
    if {"MatMul", "Softmax"} <= {op.op_type for op in ops}:
        return "Attention", "attention"
    return "", "module"


def _output_shape(ops: list[Op], graph: Graph) -> tuple[int | str, ...] | None:
    """The shape of the block's last output that has one."""
    for op in reversed(ops):
        for t in op.outputs:
            if t in graph.shapes:
                return graph.shapes[t]
    return None


def _dims(shape: tuple[int | str, ...]) -> str:
    return "×".join(str(d) for d in shape) if shape else "scalar"


def _count(n: int) -> str:
    for unit, size in (("G", 10**9), ("M", 10**6), ("k", 10**3)):
        if n >= size:
            return f"{n / size:.3g}{unit}"
    return str(n)


def _edge_label(tensor: str, graph: Graph, labels: str) -> str:
    shape = graph.shapes.get(tensor)
    if labels == "none" or not shape:
        return ""
    if labels == "channels":
        return f"{shape[1]} ch" if len(shape) >= 2 else ""
    return _dims(shape)


def _bypasses(edges: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Edges whose target their source also reaches through other blocks: skips and residuals."""
    succ: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        succ[a].append(b)
    reach: dict[str, int] = {}
    bit: dict[str, int] = {}
    for a, b in edges:
        for n in (a, b):
            bit.setdefault(n, 1 << len(bit))

    def reachable(n: str, stack: set[str]) -> int:
        if n in reach:
            return reach[n]
        if n in stack:  # a cycle (a loop exported as a graph): stop there
            return 0
        stack.add(n)
        total = 0
        for m in succ[n]:
            total |= bit[m] | reachable(m, stack)
        stack.discard(n)
        reach[n] = total
        return total

    out = set()
    for a, b in edges:
        if any(m != b and (reachable(m, set()) & bit[b]) for m in succ[a]):
            out.add((a, b))
    return out


def _groups(
    keys: list[tuple[str, ...]], block_id: dict[tuple[str, ...], str], entries: list[dict[str, Any]], ids: _Ids
) -> list[dict[str, Any]]:
    """Parent modules as nested groups; a module holding a single thing draws no frame of its own."""
    children: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
    for key in keys:
        path = key[:-1]
        for k in range(len(path)):
            children[path[:k]].add(path[: k + 1])
        children[path].add(key)
    framed: dict[tuple[str, ...], str] = {}

    def owner(path: tuple[str, ...]) -> str | None:
        for k in range(len(path), 0, -1):
            if path[:k] in framed:
                return framed[path[:k]]
        return None

    out = []
    for path in sorted(children, key=len):
        if not path or len(children[path]) < 2:
            continue
        gid = ids.new("g_" + module_name(path))
        framed[path] = gid
        group: dict[str, Any] = {"id": gid, "label": module_name(path)}
        parent = owner(path[:-1])
        if parent:
            group["group"] = parent
        out.append(group)
    by_id = {e["id"]: e for e in entries}
    for key in keys:
        holder = owner(key[:-1])
        if holder:
            by_id[block_id[key]]["group"] = holder
    return out


def _resolution(entry_shape: tuple[int | str, ...] | None) -> int | None:
    if entry_shape is None or len(entry_shape) != 4 or not all(isinstance(d, int) for d in entry_shape[2:]):
        return None
    h, w = entry_shape[2], entry_shape[3]
    return int(h) * int(w)


def _levels(
    entries: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    graph: Graph,
    blocks: dict[tuple[str, ...], list[Op]],
    block_id: dict[tuple[str, ...], str],
) -> None:
    """A U: when resolution goes back up somewhere, blocks of one resolution share a level."""
    res: dict[str, int] = {}
    for key, ops in blocks.items():
        r = _resolution(_output_shape(ops, graph))
        if r is not None:
            res[block_id[key]] = r
    up = any(e["from"] in res and e["to"] in res and res[e["to"]] > res[e["from"]] for e in edges)
    if not up:
        return
    order = sorted(set(res.values()), reverse=True)
    for entry in entries:
        if entry["id"] in res:
            entry["level"] = order.index(res[entry["id"]]) + 1
        elif entry.get("kind") == "io":
            entry["level"] = 0


def _boxes(
    entries: list[dict[str, Any]],
    blocks: dict[tuple[str, ...], list[Op]],
    block_id: dict[tuple[str, ...], str],
    graph: Graph,
) -> None:
    """Convolution stages as 3-D boxes: height by resolution, depth by channels (both on a log scale)."""
    import math

    by_id = {e["id"]: e for e in entries}
    for key, ops in blocks.items():
        entry = by_id.get(block_id[key])  # folded into a label: gone
        shape = _output_shape(ops, graph)
        if entry is None:
            continue
        if entry.get("kind") != "conv" or shape is None or len(shape) != 4:
            continue
        if not all(isinstance(d, int) and d > 0 for d in shape[1:]):
            continue
        channels, height = int(shape[1]), int(shape[2])
        entry["shape"] = "box3d"
        entry["depth"] = round(min(48.0, 6 + 6 * math.log2(max(channels, 1)) / 2), 1)
        entry["height"] = round(min(160.0, 40 + 12 * math.log2(max(height, 1))), 1)


def _rank(graph: Graph, tensor: str | None) -> int:
    shape = graph.shapes.get(tensor or "")
    return len(shape) if shape is not None else 0


def _block_output(
    bid: str, blocks: dict[tuple[str, ...], list[Op]], block_id: dict[tuple[str, ...], str], graph: Graph
) -> str | None:
    for key, ops in blocks.items():
        if block_id[key] == bid:
            return next((t for op in reversed(ops) for t in op.outputs if t in graph.shapes), None)
    return None


def _fold_resampling(
    entries: list[dict[str, Any]], edges: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A pooling or resampling block with one edge in and one out, and no weights, becomes the label of one
    edge between its neighbours ("AvgPool", "Upsample"), as a figure draws a U-Net's down and up steps."""
    for entry in list(entries):
        if entry.get("kind") not in ("pooling", "resize") or "params" in entry.get("subtitle", ""):
            continue
        ins = [e for e in edges if e["to"] == entry["id"]]
        outs = [e for e in edges if e["from"] == entry["id"]]
        if len(ins) != 1 or len(outs) != 1 or ins[0].get("kind") or outs[0].get("kind"):
            continue
        title = str(entry["title"])
        label = title[title.find("(") + 1 : -1] if title.endswith(")") else title
        merged = {**outs[0], "from": ins[0]["from"], "label": label}
        edges = [merged if e is outs[0] else e for e in edges if e is not ins[0]]
        entries.remove(entry)
    return entries, edges


def _fans(edges: list[dict[str, Any]], tensors: dict[tuple[str, str], str]) -> list[dict[str, Any]]:
    """One tensor read by several blocks, alike in kind and label, is one fan: one edge, one label."""
    out: list[dict[str, Any]] = []
    fans: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for e in edges:
        tensor = tensors.get((e["from"], e["to"]), "")
        key = (e["from"], tensor, e.get("kind", ""), e.get("label", ""))
        if tensor and key in fans:
            fan = fans[key]
            fan["to"] = [*([fan["to"]] if isinstance(fan["to"], str) else fan["to"]), e["to"]]
            continue
        fans[key] = e
        out.append(e)
    return out
