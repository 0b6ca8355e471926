"""The description format as a JSON Schema (draft 2020-12), from the tables in
:mod:`svgarch.spec.schema`, for editors that validate and complete
descriptions (``svgarch schema > svgarch.schema.json``).

The schema states what one key may hold; what spans keys (an edge naming a
block that exists, two blocks in one grid cell) only ``svgarch`` checks.
"""

from __future__ import annotations

import json
from typing import Any

from svgarch.spec.links import MAX_LINK
from svgarch.spec.names import CSS_IDENT
from svgarch.spec.schema import (
    LEGEND,
    MAX_BLOCKS,
    MAX_COORD,
    MAX_EDGES,
    MAX_ENTRIES,
    MAX_GRID,
    MAX_TEXT,
    SECTIONS,
    TOP,
    Key,
    default,
)

_KIND = {
    "type": "string",
    "pattern": CSS_IDENT,
    "description": "A CSS identifier: the class sa-k-<kind> and the colour variable --sa-<kind>.",
}


def _key_schema(section: str, key: Key) -> dict[str, Any]:
    text = {"type": "string", "maxLength": MAX_TEXT}
    schema: dict[str, Any]
    if key.name == "kind":
        schema = dict(_KIND)
    elif key.type == "str":
        schema = dict(text)
    elif key.type == "bool":
        schema = {"type": "boolean"}
    elif key.type == "link":
        schema = {"type": "string", "minLength": 1, "maxLength": MAX_LINK}
    elif key.type in ("ids", "strs"):
        items: dict[str, Any] = dict(text)
        schema = {"anyOf": [items, {"type": "array", "items": items, "minItems": 1 if key.type == "ids" else 0}]}
    else:
        kind = "integer" if key.type == "int" else "number"
        schema = {"type": kind, "maximum": MAX_GRID - 1 if kind == "integer" else MAX_COORD, "minimum": -MAX_COORD}
    if key.choices:
        schema["enum"] = list(key.choices)
    if key.minimum is not None:
        schema["minimum"] = key.minimum
    if key.maximum is not None:
        schema["maximum"] = key.maximum
    if section == "" and key.name == "id":
        schema["pattern"] = CSS_IDENT
    value = default(section, key.name)
    if value not in (None, "", ()):
        schema["default"] = value
    schema["description"] = key.doc
    return schema


def _table(section: str, keys: tuple[Key, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": {k.name: _key_schema(section, k) for k in keys},
        "additionalProperties": False,
    }
    required = [k.name for k in keys if k.required]
    if required:
        out["required"] = required
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a description, as plain data."""
    properties: dict[str, Any] = {k.name: _key_schema("", k) for k in TOP}
    limits = {"block": MAX_BLOCKS, "edge": MAX_EDGES}
    for name, keys in SECTIONS.items():
        entry = _table(name, keys)
        properties[name] = {
            "anyOf": [{"type": "array", "items": entry, "maxItems": limits.get(name, MAX_ENTRIES)}, entry],
            "description": f"[[{name}]] entries (a single table counts as a list of one).",
        }
    properties[LEGEND] = {
        "type": "object",
        "propertyNames": _KIND,
        "additionalProperties": {"type": "string", "maxLength": MAX_TEXT},
        "maxProperties": MAX_ENTRIES,
        "description": 'kind = "text", in legend order; block kinds show as patches, edge kinds as lines.',
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "svgarch description",
        "description": "An architecture diagram for svgarch, in TOML, JSON or YAML.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
