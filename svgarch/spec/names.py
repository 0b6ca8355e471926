"""What a name or a text in a description may contain.

Kinds become CSS classes (``sa-k-<kind>``) and colour variables
(``--sa-<kind>``, ``--sa-<kind>-dash``, ...; see ``svgarch.model.kind_variable``); the diagram id becomes the
root element's id and the scope of every CSS rule. Texts end up in SVG text
nodes, where XML forbids most control characters: they are dropped.
"""

from __future__ import annotations

import re

from svgarch.errors import show as show  # a user value in a message (re-exported)

# what is_css_ident accepts, for the JSON Schema
CSS_IDENT = r"^[A-Za-z_][A-Za-z0-9_-]*$"
_IDENT_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
_IDENT_CHARS = _IDENT_START + "0123456789-"

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls;
# lone surrogates (they cannot be written as UTF-8); U+FFFE and U+FFFF. Compiled only for a text that
# holds a character that is not printable, other than a tab or a line feed (re's cache keeps it).
_FORBIDDEN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
_ALLOWED_CONTROLS = str.maketrans("\t\n", "  ")


def is_css_ident(text: str) -> bool:
    """Whether ``text`` is a plain CSS identifier: an ASCII letter or ``_``, then letters, digits, ``-``, ``_``
    (``strip`` leaves nothing of a text made only of its characters)."""
    return text[:1] != "" and text[0] in _IDENT_START and not text.strip(_IDENT_CHARS)


def kind_problem(kind: str) -> str | None:
    """Why ``kind`` cannot be a kind name, or None when it can."""
    if not is_css_ident(kind):
        return f"kind '{show(kind)}' is not a CSS identifier (letters, digits, '-', '_')"
    return None


def id_problem(diagram_id: str) -> str | None:
    """Why ``diagram_id`` cannot be the root element's id, or None when it can."""
    if is_css_ident(diagram_id):
        return None
    return f"'{show(diagram_id)}' is not a CSS identifier (letters, digits, '-', '_'; not starting with a digit)"


def clean_text(text: str) -> str:
    """``text`` without the characters XML cannot hold or a reader cannot see; CR LF and CR become LF.

    Dropped rather than refused: they are invisible, so they are nearly always
    pasted by accident, and the rest of the text means what it says.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # one kind of line break
    if text.isprintable() or text.translate(_ALLOWED_CONTROLS).isprintable():  # nothing forbidden is printable
        return text
    return re.sub(_FORBIDDEN, "", text)
