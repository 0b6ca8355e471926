"""Turn a parsed description (plain dicts and lists) into a DiagramModel.

Every problem of a file is collected, then raised at once as a SpecError.
Checks of single values come first (types, ranges, names, texts), then the
checks that look across entries (duplicate ids, references, grid cells).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from svgarch import inline
from svgarch.errors import Problem, SpecError
from svgarch.model import DiagramModel, LegendEntry
from svgarch.shapes import SHAPES
from svgarch.spec import relations
from svgarch.spec.links import link_problem
from svgarch.spec.names import CSS_IDENT, clean_text, id_problem, kind_problem, show
from svgarch.spec.relations import PLACEMENT
from svgarch.spec.schema import (
    LEGEND,
    MAX_BLOCKS,
    MAX_COORD,
    MAX_EDGES,
    MAX_ENTRIES,
    MAX_GRID,
    MAX_TEXT,
    MODEL_NAMES,
    SECTIONS,
    TOP,
    Key,
    default,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from svgarch.spec.relations import Entries, Report

__all__ = ["CSS_IDENT", "MAX_BLOCKS", "MAX_EDGES", "MAX_TEXT", "build_model", "suggest"]

SECTION_LIMITS = {"block": MAX_BLOCKS, "edge": MAX_EDGES}
_TOP_NAMES = frozenset([k.name for k in TOP] + list(SECTIONS) + [LEGEND])
MAX_PROBLEMS = 100  # reported of one file; the rest are counted
MAX_SUGGESTIONS = 20  # "did you mean" for the first problems only


def suggest(word: str, choices: list[str]) -> str:
    """`` (did you mean 'x'?)`` when a close match exists, else ``""``."""
    import difflib  # only when something is wrong

    if len(word) > 100 or len(choices) > 10000:  # difflib is quadratic; no one mistypes that much
        return ""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{show(close[0])}'?)" if close else ""


def build_model(raw: object, source: str, line_of: Callable[[str], int | None]) -> DiagramModel:
    """Validate ``raw`` and build the model, or raise SpecError with every problem."""
    problems: list[Problem] = []
    dropped = 0

    def report(key: str, message: str, near: tuple[str, list[str]] | None = None) -> None:
        nonlocal dropped
        if len(problems) >= MAX_PROBLEMS:  # 5,000 typos need not cost 5,000 suggestions
            dropped += 1
            return
        hint = suggest(*near) if near and len(problems) < MAX_SUGGESTIONS else ""  # each may scan 5,000 ids
        problems.append(Problem(source, line_of(key), key, message + hint))

    if not isinstance(raw, dict):
        report("", "the description must be a table/object at the top level")
        raise SpecError(problems)

    known = [k.name for k in TOP] + list(SECTIONS) + [LEGEND]
    for key in raw:
        if key not in known:
            report(show(key), f"unknown key '{show(key)}'", (str(key), known))
    top = _fields(raw, TOP, "", report)
    if "id" in top and (problem := id_problem(top["id"])):
        report("id", problem)
        del top["id"]

    sections = {name: _section(name, raw.get(name, []), keys, report) for name, keys in SECTIONS.items()}
    legend = _legend(raw.get(LEGEND, {}), report)
    blocks = relations.blocks(sections["block"], report)
    groups = relations.groups(sections["group"], blocks, report)
    relations.block_groups(blocks, groups, report)
    edges = relations.edges(sections["edge"], blocks, groups, report)
    notes = relations.notes(sections["note"], report)
    relations.canvas(blocks, notes, report)
    rows = relations.grid_rows(sections["block"], sections["note"])
    row_labels = relations.row_labels(sections["row_label"], rows, report)
    if top.get("markup", True):
        _check_markup(top, sections, legend, report)
    if problems:  # in file order, as a reader fixes them
        problems.sort(key=lambda p: p.line or 0)
        if dropped:
            problems.append(Problem(source, None, "", f"and {dropped} more problems"))
        raise SpecError(problems)
    return DiagramModel(
        title=top.get("title", ""),
        description=top.get("description", ""),
        theme=top.get("theme", "dark"),
        css=tuple(top.get("css", ())),
        direction=top.get("direction", "TB"),
        id=top.get("id", ""),
        interactive=top.get("interactive", True),
        blocks=tuple(b for b, _ in blocks.values()),
        edges=tuple(edges),
        row_labels=tuple(row_labels),
        notes=tuple(notes),
        groups=tuple(g for g, _ in groups.values()),
        legend=tuple(legend),
        source=source,
        markup=top.get("markup", True),
        wrap=top.get("wrap", 0),
    )


def _is_date(value: object) -> bool:
    """A date or time, as TOML reads them (without importing datetime for it)."""
    return type(value).__module__ == "datetime"


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if _is_date(value):
        return "a date or time"
    if value is None:
        return "empty (null)"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return "a string" if isinstance(value, str) else f"a {type(value).__name__}"


def _section(name: str, value: object, keys: tuple[Key, ...], report: Report) -> Entries:
    """The checked entries of one array-of-tables section that have every required key."""
    if isinstance(value, dict):
        value = [value]  # a single [block] table instead of [[block]]
    if not isinstance(value, list):
        report(name, f"must be a list of tables, not {_type_name(value)}")
        return []
    limit = SECTION_LIMITS.get(name, MAX_ENTRIES)
    if len(value) > limit:
        report(name, f"{len(value)} entries; the limit is {limit}")
        return []
    if name == "edge" and (drawn := _drawn(value)) > MAX_EDGES:  # before any list is walked
        report(name, f"{drawn} edges drawn (a list in 'from' or 'to' draws one per pair); the limit is {MAX_EDGES}")
        return []
    entries = []
    names = [k.name for k in keys]
    known = frozenset(names)
    required = [k for k in keys if k.required]
    required_names = frozenset(k.name for k in required)
    required_fields = frozenset(MODEL_NAMES.get(k.name, k.name) for k in required)
    index = {k.name: (i, k) for i, k in enumerate(keys)}
    orders: dict[tuple[str, ...], tuple[Key, ...]] = {}  # the keys to check, by the keys a table has
    # thousands of tables: the whole-set tests below pass for nearly all of them, and each costs one C call
    for i, entry in enumerate(value):
        path = f"{name}[{i}]"
        if not isinstance(entry, dict):
            report(path, f"must be a table, not {_type_name(entry)}")
            continue
        if not entry.keys() <= known:
            for key in entry:
                if key in known:
                    continue
                if key in _TOP_NAMES and key not in names:  # TOML: a key after [[block]] belongs to that block
                    where = f"a top-level key: move it out of this {name}; in TOML, above the first [[{name}]]"
                    report(f"{path}.{show(key)}", f"unknown key '{show(key)}' ({where})")
                else:
                    report(f"{path}.{show(key)}", f"unknown key '{show(key)}'", (str(key), names))
        fields = _fields(entry, keys, path, report, index, orders)
        if not required_names <= entry.keys():
            for k in required:
                if k.name not in entry:
                    report(path, f"missing required key '{k.name}'")
        if name == "block":
            _solid_only(entry, fields, path, report)
        if not entry.keys().isdisjoint(PLACEMENT) and any(k in entry and k not in fields for k in PLACEMENT):
            fields = {k: v for k, v in fields.items() if k not in PLACEMENT}  # reported already: no follow-on noise
        if required_fields <= fields.keys():
            entries.append((path, fields))
    return entries


def _solid_only(entry: dict[str, Any], fields: dict[str, Any], path: str, report: Report) -> None:
    """A depth belongs to a solid shape (box3d) only: on any other it would do nothing."""
    if "depth" not in fields or ("shape" in entry and "shape" not in fields):  # a bad shape is reported already
        return
    shape = fields.get("shape", default("block", "shape"))
    if not SHAPES[shape].depth:
        solids = ", ".join(name for name, s in SHAPES.items() if s.depth)
        report(f"{path}.depth", f"a {show(shape)} has no depth (only {solids} has one)")
        del fields["depth"]


def _drawn(entries: list[Any]) -> int:
    """How many edges the entries draw, counted from their lists' lengths alone."""

    def count(ends: object) -> int:
        return len(ends) if isinstance(ends, list) else 1

    return sum(count(e.get("from")) * count(e.get("to")) for e in entries if isinstance(e, dict))


def _fields(
    table: dict[str, Any],
    keys: tuple[Key, ...],
    path: str,
    report: Report,
    index: dict[str, tuple[int, Key]] | None = None,
    orders: dict[tuple[str, ...], tuple[Key, ...]] | None = None,
) -> dict[str, Any]:
    """Check the typed keys of one table; return the good ones under model names (``index``: each key by
    name with its place in ``keys``, for a section's many tables; ``orders``: what that gave for the keys
    of tables seen before, most of which have the same keys in the same order)."""
    out: dict[str, Any] = {}
    if index is not None:  # most tables set a few of many keys: walk only those, in the keys' order
        given = tuple(table)
        order = orders.get(given) if orders is not None else None
        if order is None:
            order = tuple(k for _, k in sorted(index[n] for n in given if n in index))
            if orders is not None:
                orders[given] = order
        keys = order
    for k in keys:
        if k.name not in table:
            continue
        value = table[k.name]
        if type(value) is str and 0 < len(value) <= MAX_TEXT and value.isprintable() and k.name != "kind":
            # most keys of a large description: a plain text, which ``_check`` gives back as it is (a list of
            # names, one name alone): nothing to clean, drop or report
            if k.type == "str" and not k.choices:
                out[MODEL_NAMES.get(k.name, k.name)] = value
                continue
            if k.type in ("ids", "strs"):
                out[MODEL_NAMES.get(k.name, k.name)] = (value,)
                continue
        where = f"{path}.{k.name}" if path else k.name
        value = _check(value, k, where, report)
        if value is not None:
            out[MODEL_NAMES.get(k.name, k.name)] = value
        if k.name == "kind" and isinstance(value, str) and (problem := kind_problem(value)):
            report(where, problem)
            del out["kind"]
    return out


def _check_text(value: str, where: str, report: Report) -> bool:
    if len(value) > MAX_TEXT:
        report(where, f"is {len(value)} characters long; the limit is {MAX_TEXT}")
        return False
    return True


def _check(value: object, key: Key, where: str, report: Report) -> object | None:
    kind = key.type
    if kind == "bool":
        if not isinstance(value, bool):
            report(where, f"must be true or false, not {_type_name(value)}")
            return None
        return value
    if kind == "link":
        if not isinstance(value, str):
            report(where, f"must be a string, not {_type_name(value)}")
            return None
        if problem := link_problem(value):  # on the text as written: nothing is dropped from a link
            report(where, problem)
            return None
        return value
    if kind == "str":
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, int | float) or _is_date(value) else ""
            report(where, f"must be a string, not {_type_name(value)}{hint}")
            return None
        if not _check_text(value, where, report):
            return None
        value = clean_text(value)
        if key.required and not value:  # a row label or note of nothing is a slip
            report(where, "must not be empty")
            return None
        if key.choices and value not in key.choices:
            report(where, f"'{show(value)}' is not one of {', '.join(key.choices)}", (value, list(key.choices)))
            return None
        return value
    if kind in ("ids", "strs"):
        if isinstance(value, str):  # most ends: one name
            return (clean_text(value),) if _check_text(value, where, report) else None
        items = value
        if not isinstance(items, list):
            report(where, f"must be a string or a list of strings, not {_type_name(value)}")
            return None
        odd = next((i for i, v in enumerate(items) if not isinstance(v, str)), None)
        if odd is not None:
            report(where, f"must be a list of strings, but item {odd} is {_type_name(items[odd])}")
            return None
        if kind == "ids" and not items:
            report(where, "must name at least one block")
            return None
        if len(items) > MAX_BLOCKS:
            report(where, f"lists {len(items)} names; the limit is {MAX_BLOCKS}")
            return None
        if not all(_check_text(v, where, report) for v in items):
            return None
        return tuple(clean_text(v) for v in items)
    return _number(value, key, where, report)


def _number(value: object, key: Key, where: str, report: Report) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        report(where, f"must be a number, not {_type_name(value)}")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        report(where, f"must be a finite number, not {value}")
        return None
    if abs(value) > MAX_COORD:  # before any arithmetic: a 400-digit integer fits no float
        report(where, f"{number_text(value)} is out of range (at most {MAX_COORD:g} in size)")
        return None
    if key.type == "int" and not (isinstance(value, int) or float(value).is_integer()):
        report(where, f"must be a whole number, not {value}")
        return None
    if key.minimum is not None and value < key.minimum:
        report(where, f"must be at least {key.minimum:g}, not {value:g}")
        return None
    if key.maximum is not None and value > key.maximum:
        report(where, f"must be at most {key.maximum:g}, not {value:g}")
        return None
    if key.type == "int" and value >= MAX_GRID:
        report(where, f"must be less than {MAX_GRID}, not {value:g}")
        return None
    return int(value) if key.type == "int" else float(value)


def number_text(value: int | float) -> str:
    """A number for a message, however large (``f"{n:g}"`` overflows past 1e308)."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"a {len(str(abs(value))) if value.bit_length() < 10_000 else 'many'}-digit number"
    return f"{value:g}"


# the keys whose text is drawn, by section: inline markup applies to them (svgarch.inline)
_MARKED = {"block": ("title", "subtitle"), "edge": ("label",), "row_label": ("label",), "note": ("text",),
           "group": ("label",)}  # fmt: skip


def _check_markup(top: dict[str, Any], sections: dict[str, Entries], legend: list[LegendEntry], report: Report) -> None:
    """Report each drawn text whose inline markup is malformed (an unclosed ``**``, an unknown ``\\name``)."""
    title = top.get("title", "")
    if isinstance(title, str) and title and (problem := inline.check(title)):
        report("title", problem)
    for name, keys in _MARKED.items():
        for path, fields in sections[name]:
            for k in keys:
                text = fields.get(k)
                if isinstance(text, str) and text and (problem := inline.check(text)):
                    report(f"{path}.{k}", problem)
    for e in legend:
        if isinstance(e.text, str) and e.text and (problem := inline.check(e.text)):
            report(f"{LEGEND}.{show(e.kind)}", problem)


def _legend(raw: object, report: Report) -> list[LegendEntry]:
    if not isinstance(raw, dict):
        report(LEGEND, f'must be a table of kind = "text", not {_type_name(raw)}')
        return []
    if len(raw) > MAX_ENTRIES:
        report(LEGEND, f"{len(raw)} entries; the limit is {MAX_ENTRIES}")
        return []
    out = []
    for kind, text in raw.items():
        where = f"{LEGEND}.{show(kind)}"
        if problem := kind_problem(str(kind)):
            report(where, problem)
        elif not isinstance(text, str):
            report(where, f"must be a string, not {_type_name(text)}")
        elif not clean_text(text):
            report(where, "must not be empty")
        elif _check_text(text, where, report):
            out.append(LegendEntry(str(kind), clean_text(text)))
    return out
