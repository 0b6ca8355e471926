"""Which CSS variables a kind reads: ``--sa-<kind>``, or ``--sa-k-<kind>`` when that name is a setting's.

A naming rule every stage shares (the renderer's kind rules, the measuring of arrow heads): it imports nothing.
"""

from __future__ import annotations

# A kind ``k`` is drawn with class ``sa-k-<k>`` and ``data-kind="<k>"`` (a
# namespace of its own: ``head``, ``label`` or ``line`` are kind names like any
# other) and reads the variables ``--sa-<k>``, ``--sa-<k>-ink``, ... unless
# those would be svgarch's own settings: a kind ``text`` would be painted
# ``--sa-text``, a kind ``head`` would take ``--sa-head-width`` as its line
# width. Such a kind, and one whose name starts as those below do, reads
# ``--sa-k-<k>...`` instead. tests/test_validation_schema.py checks this
# list against every variable styles/ declares.
SETTING_NAMES = frozenset(
    {
        "arrow",
        "bg",
        "block",
        "block-stroke",
        "block-subtitle-size",
        "block-text",
        "block-title-size",
        "dim",
        "edge",
        "edge-width",
        "fade",
        "focus",
        "font-mono",
        "font-sans",
        "gap-col",
        "gap-row",
        "group",
        "group-label-size",
        "hatch",
        "hatch-width",
        "head",
        "head-length",
        "head-width",
        "icon",
        "icon-size",
        "label-size",
        "label-wrap",
        "legend-size",
        "line-gap",
        "margin",
        "note-size",
        "pad-x",
        "pad-y",
        "port-spread",
        "radius",
        "row-label-size",
        "text",
        "title-size",
    }
)
SETTING_PREFIXES = ("palette-", "k-")  # the palette slots' variables, and the long form itself


def kind_variable(kind: str) -> str:
    """The variable a kind's colour is read from; its other variables add ``-ink``, ``-dash``, ...

    ``--sa-<kind>`` (documented), or ``--sa-k-<kind>`` when that would be one of svgarch's settings.
    """
    short = kind.lower()  # variables are case-sensitive, but a kind "Text" next to "text" would confuse
    if short in SETTING_NAMES or short.startswith(SETTING_PREFIXES):
        return f"--sa-k-{kind}"
    return f"--sa-{kind}"
