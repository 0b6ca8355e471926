"""The description format as data: every section, key, type and default.

Validation, the JSON Schema (``svgarch schema``) and the format docs all read
these tables, so a key is declared exactly once.
"""

from __future__ import annotations

from svgarch.model import (
    ARROWS,
    DIRECTIONS,
    ICON_POSITIONS,
    ROUTES,
    SIDES,
    Block,
    DiagramModel,
    Edge,
    Group,
    Note,
    RowLabel,
)
from svgarch.record import Record
from svgarch.shapes import DEPTH, SHAPES

# Limits: past them a description is refused with a message, so that no
# description (say, a contributor's, in a docs build) can make a render take
# unbounded time or memory.
MAX_FILE_BYTES = 4 * 1024 * 1024  # a description file
MAX_TEXT = 2000  # characters in one string (title, label, note, id, ...)
MAX_BLOCKS = 5000
MAX_EDGES = 20000  # drawn edges: a fan counts one per (from, to) pair
MAX_ENTRIES = 1000  # row labels, notes, groups and legend entries, each
MAX_GRID = 10000  # rows and columns: row + rowspan and col + colspan stay within it
MAX_COORD = 100_000  # absolute value of any number (px): a block's x, y, width or height
MAX_CANVAS_SIDE = 100_000  # px: blocks placed at x/y, or the columns (rows) of a grid, span at most this
MAX_CANVAS_AREA = 10**9  # px²: the blocks' given sizes (width × height) add up to at most this
MAX_GROUP_DEPTH = 64  # groups inside groups


class Key(Record):
    name: str
    type: str  # "str", "int", "number", "bool", "ids" (a string or a list of strings), "strs", "link"
    doc: str
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None  # when None: MAX_GRID for "int", MAX_COORD for "number"


TOP: tuple[Key, ...] = (
    Key("title", "str", "Title drawn above the diagram, wrapped to its width (`\\n` breaks it); also the SVG <title>."),
    Key("description", "str", "Longer text for the SVG <desc> (screen readers)."),
    Key("theme", "str", "A bundled theme (`svgarch themes` lists them) or a path to a .css file."),
    Key("css", "strs", "CSS file(s) applied after the theme, relative to the description."),
    Key("direction", "str", "Flow direction for automatic layout.", choices=DIRECTIONS),
    Key(
        "wrap",
        "int",
        "Automatic layout: after this many layers the flow goes on in a new row below (LR, RL) or a new "
        "column beside (TB, BT), in the same direction, like lines of text.",
        minimum=1,
    ),
    Key("id", "str", "The root element id and CSS scope (default: a hash of the content)."),
    Key("interactive", "bool", "Highlight a block's edges and neighbours on hover and focus, in browsers."),
    Key("markup", "bool", "Inline markup in texts (`**bold**`, `x_{t}`, `\\gamma`, ...); false: as written."),
    Key("$schema", "str", "Ignored by svgarch: tells an editor where the JSON Schema is."),
)

BLOCK: tuple[Key, ...] = (
    Key("id", "str", "Unique name, used by edges and as data-block.", required=True),
    Key("title", "str", "First line, bold (default: the id)."),
    Key("subtitle", "str", "Second line, dimmer; '\\n' breaks lines."),
    Key("kind", "str", "CSS class sa-k-<kind> and legend entry."),
    Key("shape", "str", "Outline of the block.", choices=tuple(SHAPES)),
    Key(
        "depth",
        "number",
        f"How far a box3d's top and side faces reach back, in px (default {DEPTH:g}).",
        minimum=1,
        maximum=500,
    ),
    Key("row", "int", "Grid row (0 at the top).", minimum=0),
    Key("col", "int", "Grid column (0 at the left).", minimum=0),
    Key("colspan", "int", "Columns the block spans.", minimum=1),
    Key("rowspan", "int", "Rows the block spans.", minimum=1),
    Key("x", "number", "Absolute centre x in px (1/96 in)."),
    Key("y", "number", "Absolute centre y in px."),
    Key("width", "number", "Minimum width in px.", minimum=0),
    Key("height", "number", "Minimum height in px.", minimum=0),
    Key("level", "int", "Rank for automatic layout; equal levels share a rank.", minimum=0),
    Key("group", "str", "Id of the group this block belongs to."),
    Key(
        "icon",
        "str",
        "A bundled icon's name (`svgarch icons` lists them), or an .svg or .png file in the description's folder.",
    ),
    Key(
        "icon_position",
        "str",
        "Where the icon goes: left of the text, above it, or alone (no outline) with the text below.",
        choices=ICON_POSITIONS,
    ),
    Key("link", "link", "Where a click goes: http(s)://…, mailto:…, a relative path or #fragment."),
    Key("tooltip", "str", "Text shown on hover, instead of the title and subtitle."),
)

EDGE: tuple[Key, ...] = (
    Key("from", "ids", "Source block or group id, or a list (fan-in).", required=True),
    Key("to", "ids", "Target block or group id, or a list (fan-out).", required=True),
    Key("kind", "str", "CSS class sa-k-<kind> (colour, dash) and legend entry."),
    Key("label", "str", "Text on a pill along the edge."),
    Key("route", "str", "Path style.", choices=ROUTES),
    Key("bend", "number", "Curvature like matplotlib's arc3 rad (0.3 = gentle arc).", minimum=-5, maximum=5),
    Key("from_side", "str", "Side the edge leaves from.", choices=SIDES),
    Key("to_side", "str", "Side the edge arrives at.", choices=SIDES),
    Key("arrow", "str", "Where arrow heads are drawn.", choices=ARROWS),
    Key("link", "link", "Where a click goes: http(s)://…, mailto:…, a relative path or #fragment."),
    Key("tooltip", "str", "Text shown on hover, instead of 'from → to: label'."),
)

ROW_LABEL: tuple[Key, ...] = (
    Key("row", "int", "Grid row the mark aligns with, from 0 to the grid's last row.", required=True, minimum=0),
    Key("label", "str", "Text in the left margin.", required=True),
)

NOTE: tuple[Key, ...] = (
    Key("text", "str", "The note's text; '\\n' breaks lines.", required=True),
    Key("row", "int", "Grid row.", minimum=0),
    Key("col", "int", "Grid column.", minimum=0),
    Key("colspan", "int", "Columns the note may spread over.", minimum=1),
    Key("x", "number", "Absolute centre x in px."),
    Key("y", "number", "Absolute centre y in px."),
    Key("kind", "str", "CSS class sa-k-<kind>: the note takes that kind's colour."),
    Key("link", "link", "Where a click goes: http(s)://…, mailto:…, a relative path or #fragment."),
    Key("tooltip", "str", "Text shown on hover."),
)

GROUP: tuple[Key, ...] = (
    Key("id", "str", "Unique name, not a block id too; edges may name it.", required=True),
    Key("label", "str", "Text on the frame."),
    Key("blocks", "strs", "Member block ids."),
    Key("group", "str", "Enclosing group id (nesting)."),
    Key("link", "link", "Where a click goes: http(s)://…, mailto:…, a relative path or #fragment."),
    Key("tooltip", "str", "Text shown on hover."),
)

# Array-of-tables sections: file key -> keys of one entry.
SECTIONS: dict[str, tuple[Key, ...]] = {
    "block": BLOCK,
    "edge": EDGE,
    "row_label": ROW_LABEL,
    "note": NOTE,
    "group": GROUP,
}
LEGEND = "legend"  # a table: kind = "text", in legend order

# The record each section builds, and the model name of a key where it differs.
RECORDS: dict[str, type[tuple[object, ...]]] = {
    "": DiagramModel,
    "block": Block,
    "edge": Edge,
    "row_label": RowLabel,
    "note": Note,
    "group": Group,
}
MODEL_NAMES = {"from": "sources", "to": "targets"}


def default(section: str, key: str) -> object:
    """The value a key takes when the description leaves it out (None: no default)."""
    defaults: dict[str, object] = getattr(RECORDS[section], "_field_defaults", {})
    return defaults.get(MODEL_NAMES.get(key, key))
