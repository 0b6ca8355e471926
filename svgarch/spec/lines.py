"""Where a key path sits in the source text, for error messages.

Only computed when a problem is reported, so a valid file pays nothing.
Key paths look like ``edge[3].to``, ``block[0]`` or ``legend.skip``.
"""

from __future__ import annotations

import re

_TOML_ARRAY = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]")
_TOML_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]")
_TOML_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")


def toml_lines(text: str) -> dict[str, int]:
    """Map key paths to 1-based lines for the TOML subset descriptions use."""
    out: dict[str, int] = {}
    counts: dict[str, int] = {}
    prefix = ""
    in_multiline = False
    for n, raw in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if raw.count('"""') % 2 == 1 or raw.count("'''") % 2 == 1:
                in_multiline = False
            continue
        if m := _TOML_ARRAY.match(raw):
            name = m.group(1)
            i = counts.get(name, 0)
            counts[name] = i + 1
            prefix = f"{name}[{i}]"
            out.setdefault(prefix, n)
            out.setdefault(name, n)
        elif m := _TOML_TABLE.match(raw):
            prefix = m.group(1)
            out.setdefault(prefix, n)
        elif m := _TOML_KEY.match(raw):
            key = next(g for g in m.groups() if g is not None)
            out.setdefault(f"{prefix}.{key}" if prefix else key, n)
            if raw.count('"""') % 2 == 1 or raw.count("'''") % 2 == 1:
                in_multiline = True
    return out


def yaml_lines(text: str) -> dict[str, int]:
    """Map key paths to lines using the YAML node tree's marks."""
    import yaml

    out: dict[str, int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return out

    def walk(node: yaml.Node, path: str) -> None:
        if path:
            out.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = str(key_node.value)
                sub = f"{path}.{key}" if path else key
                out.setdefault(sub, key_node.start_mark.line + 1)
                walk(value_node, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{path}[{i}]")

    if root is not None:
        walk(root, "")
    return out


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)


def json_lines(text: str) -> dict[str, int]:
    """Map key paths to lines with a small scan over JSON tokens."""
    out: dict[str, int] = {}
    # Stack of frames: [path, is_array, index, pending_key]
    stack: list[list[object]] = []
    line = 1
    pos = 0
    expect_key = False
    for m in _JSON_TOKEN.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        tok = m.group()
        if tok in "{[":
            path = _json_value_path(stack)
            if path:
                out.setdefault(path, line)
            stack.append([path, tok == "[", 0, None])
            expect_key = tok == "{"
        elif tok in "}]":
            if stack:
                stack.pop()
            expect_key = False
        elif tok == ",":
            if stack and stack[-1][1]:
                stack[-1][2] = int(str(stack[-1][2])) + 1
            expect_key = bool(stack) and not stack[-1][1]
        elif tok == ":":
            expect_key = False
        elif expect_key and stack and tok.startswith('"'):
            key = tok[1:-1]
            stack[-1][3] = key
            base = str(stack[-1][0])
            out.setdefault(f"{base}.{key}" if base else key, line)
    return out


def _json_value_path(stack: list[list[object]]) -> str:
    if not stack:
        return ""
    path, is_array, index, key = stack[-1]
    if is_array:
        return f"{path}[{index}]"
    return f"{path}.{key}" if path else str(key)


def line_of(lines: dict[str, int], key: str) -> int | None:
    """The line of ``key`` or of its nearest enclosing path."""
    while key:
        if key in lines:
            return lines[key]
        cut = max(key.rfind("."), key.rfind("["))
        if cut <= 0:
            return None
        key = key[:cut]
    return None
