"""Turn a parsed description (plain dicts and lists) into a DiagramModel.

Every problem of a file is collected, then raised at once as a SpecError.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from svgarch.errors import Problem, SpecError
from svgarch.model import (
    Block,
    DiagramModel,
    Edge,
    Group,
    LegendEntry,
    Note,
    RowLabel,
)
from svgarch.spec.schema import LEGEND, SECTIONS, TOP, Key

CSS_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
MAX_TEXT = 2000  # characters in one title, label or note
MAX_BLOCKS = 5000
MAX_EDGES = 20000

Report = Callable[[str, str], None]


def suggest(word: str, choices: list[str]) -> str:
    """`` (did you mean 'x'?)`` when a close match exists, else ``""``."""
    import difflib  # only when something is wrong

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def build_model(raw: object, source: str, line_of: Callable[[str], int | None]) -> DiagramModel:
    """Validate ``raw`` and build the model, or raise SpecError with every problem."""
    problems: list[Problem] = []

    def report(key: str, message: str) -> None:
        problems.append(Problem(source, line_of(key), key, message))

    if not isinstance(raw, dict):
        report("", "the description must be a table/object at the top level")
        raise SpecError(problems)

    known = [k.name for k in TOP] + list(SECTIONS) + [LEGEND]
    for key in raw:
        if key not in known:
            report(str(key), f"unknown key '{key}'{suggest(str(key), known)}")
    top = _fields(raw, TOP, "", report)

    sections: dict[str, list[dict[str, Any]]] = {}
    for name, keys in SECTIONS.items():
        value = raw.get(name, [])
        if isinstance(value, dict):
            value = [value]  # a single [block] table instead of [[block]]
        if not isinstance(value, list):
            report(name, f"must be a list of tables, not {_type_name(value)}")
            value = []
        entries = []
        for i, entry in enumerate(value):
            path = f"{name}[{i}]"
            if not isinstance(entry, dict):
                report(path, f"must be a table, not {_type_name(entry)}")
                continue
            entries.append(_entry(entry, keys, path, report))
        sections[name] = entries

    legend = _legend(raw.get(LEGEND, {}), report)
    blocks = _blocks(sections["block"], report)
    ids = [b.id for b in blocks]
    # an edge may start or end on a group's frame as well as on a block
    ends = ids + [str(g["id"]) for g in sections["group"] if "id" in g and g["id"] not in ids]
    edges = _edges(sections["edge"], set(ends), ends, report)
    groups = _groups(sections["group"], set(ids), ids, report)
    if problems:
        raise SpecError(problems)
    return DiagramModel(
        title=top.get("title", ""),
        description=top.get("description", ""),
        theme=top.get("theme", "dark"),
        css=tuple(top.get("css", ())),
        direction=top.get("direction", "TB"),
        id=top.get("id", ""),
        blocks=tuple(blocks),
        edges=tuple(edges),
        row_labels=tuple(RowLabel(**e) for e in sections["row_label"]),
        notes=tuple(Note(**e) for e in sections["note"]),
        groups=tuple(groups),
        legend=tuple(legend),
        source=source,
    )


def _type_name(value: object) -> str:
    return {dict: "a table", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), f"a {type(value).__name__}"
    )


def _entry(entry: dict[str, Any], keys: tuple[Key, ...], path: str, report: Report) -> dict[str, Any]:
    names = [k.name for k in keys]
    for key in entry:
        if key not in names:
            report(f"{path}.{key}", f"unknown key '{key}'{suggest(str(key), names)}")
    out = _fields(entry, keys, path, report)
    for k in keys:
        if k.required and k.name not in entry:
            report(path, f"missing required key '{k.name}'")
    return out


def _fields(table: dict[str, Any], keys: tuple[Key, ...], path: str, report: Report) -> dict[str, Any]:
    """Check the typed keys of one table; return the good ones under model names."""
    out: dict[str, Any] = {}
    for k in keys:
        if k.name not in table:
            continue
        where = f"{path}.{k.name}" if path else k.name
        value = _check(table[k.name], k, where, report)
        if value is not None:
            out[_model_name(k.name)] = value
    return out


def _model_name(key: str) -> str:
    return {"from": "sources", "to": "targets"}.get(key, key)


def _check(value: object, key: Key, where: str, report: Report) -> object | None:
    kind = key.type
    if kind == "str":
        if not isinstance(value, str):
            report(where, f"must be a string, not {_type_name(value)}")
            return None
        if len(value) > MAX_TEXT:
            report(where, f"is {len(value)} characters long; the limit is {MAX_TEXT}")
            return None
        if key.choices and value not in key.choices:
            report(where, f"'{value}' is not one of {', '.join(key.choices)}{suggest(value, list(key.choices))}")
            return None
        return value
    if kind in ("ids", "strs"):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            report(where, f"must be a string or a list of strings, not {_type_name(value)}")
            return None
        if kind == "ids" and not items:
            report(where, "must name at least one block")
            return None
        return tuple(items)
    if isinstance(value, bool) or not isinstance(value, int | float):
        report(where, f"must be a number, not {_type_name(value)}")
        return None
    if kind == "int" and not (isinstance(value, int) or float(value).is_integer()):
        report(where, f"must be a whole number, not {value}")
        return None
    if not math.isfinite(value):
        report(where, f"must be a finite number, not {value}")
        return None
    if key.minimum is not None and value < key.minimum:
        report(where, f"must be at least {key.minimum:g}, not {value:g}")
        return None
    if abs(value) > 1e6:
        report(where, f"{value:g} is out of range (at most 1e6 in size)")
        return None
    return int(value) if kind == "int" else float(value)


def _legend(raw: object, report: Report) -> list[LegendEntry]:
    if not isinstance(raw, dict):
        report(LEGEND, f'must be a table of kind = "text", not {_type_name(raw)}')
        return []
    out = []
    for kind, text in raw.items():
        where = f"{LEGEND}.{kind}"
        if not CSS_IDENT.match(str(kind)):
            report(where, f"kind '{kind}' is not a CSS identifier (letters, digits, '-', '_')")
        elif not isinstance(text, str):
            report(where, f"must be a string, not {_type_name(text)}")
        else:
            out.append(LegendEntry(str(kind), text))
    return out


def _check_kind(kind: str, where: str, report: Report) -> None:
    if kind and not CSS_IDENT.match(kind):
        report(where, f"kind '{kind}' is not a CSS identifier (letters, digits, '-', '_')")


def _blocks(entries: list[dict[str, Any]], report: Report) -> list[Block]:
    if len(entries) > MAX_BLOCKS:
        report("block", f"{len(entries)} blocks; the limit is {MAX_BLOCKS}")
        return []
    blocks: list[Block] = []
    seen: dict[str, int] = {}
    cells: dict[tuple[int, int], str] = {}
    for i, e in enumerate(entries):
        if "id" not in e:
            continue
        path = f"block[{i}]"
        if e["id"] in seen:
            report(f"{path}.id", f"duplicate block id '{e['id']}' (first at block[{seen[e['id']]}])")
            continue
        if not e["id"].strip():
            report(f"{path}.id", "must not be empty")
            continue
        seen[e["id"]] = i
        _check_kind(e.get("kind", ""), f"{path}.kind", report)
        if ("row" in e) != ("col" in e):
            report(path, "give both 'row' and 'col' (or neither)")
            continue
        if ("x" in e) != ("y" in e):
            report(path, "give both 'x' and 'y' (or neither)")
            continue
        if "row" in e:
            for r in range(e["row"], e["row"] + e.get("rowspan", 1)):
                for c in range(e["col"], e["col"] + e.get("colspan", 1)):
                    if (r, c) in cells:
                        report(
                            f"{path}.row", f"grid cell (row {r}, col {c}) is already taken by block '{cells[(r, c)]}'"
                        )
                    cells[(r, c)] = e["id"]
        blocks.append(Block(**e))
    return blocks


def _edges(entries: list[dict[str, Any]], ids: set[str], id_list: list[str], report: Report) -> list[Edge]:
    if len(entries) > MAX_EDGES:
        report("edge", f"{len(entries)} edges; the limit is {MAX_EDGES}")
        return []
    edges = []
    for i, e in enumerate(entries):
        if "sources" not in e or "targets" not in e:
            continue
        path = f"edge[{i}]"
        ok = True
        for key, model_key in (("from", "sources"), ("to", "targets")):
            for name in e[model_key]:
                if name not in ids:
                    report(f"{path}.{key}", f"unknown block '{name}'{suggest(name, id_list)}")
                    ok = False
        _check_kind(e.get("kind", ""), f"{path}.kind", report)
        if ok:
            edges.append(Edge(**e))
    return edges


def _groups(entries: list[dict[str, Any]], ids: set[str], id_list: list[str], report: Report) -> list[Group]:
    groups = []
    group_ids = {e["id"] for e in entries if "id" in e}
    for i, e in enumerate(entries):
        if "id" not in e:
            continue
        path = f"group[{i}]"
        for name in e.get("blocks", ()):
            if name not in ids:
                report(f"{path}.blocks", f"unknown block '{name}'{suggest(name, id_list)}")
        if e.get("group") is not None and e["group"] not in group_ids:
            report(f"{path}.group", f"unknown group '{e['group']}'{suggest(e['group'], sorted(group_ids))}")
        groups.append(Group(**e))
    return groups
