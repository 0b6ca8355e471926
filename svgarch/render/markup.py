"""svgwrite elements → XML text, the same text svgwrite's ``tostring()`` makes, five times faster.

svgwrite serialises by building an ElementTree copy of the whole document
and running ElementTree's pure-Python writer over it: at 1,000 blocks that
is two thirds of the time ``to_svg`` takes. This walks svgwrite's own
elements (``attribs``, ``elements``, and the text of ``title``, ``desc``,
``text`` and ``style``) and writes what ElementTree would: attributes in
sorted order, ``None`` and empty values left out, the same escapes, empty
elements as ``<name ... />``, a stylesheet as CDATA. A test compares the
two on every example.

With ``lines=True`` (what svgarch writes) every element inside a container
(``svg``, ``g``, ``defs``, ``pattern``, ...) also starts a line of its own, so a
diff of two diagrams shows which element changed. The line breaks go only
where SVG ignores whitespace: never inside a text element (``text``,
``tspan``, ...), whose spaces are drawn, nor inside ``title``/``desc``, whose
text is read out.
"""

from __future__ import annotations

import re
from typing import Any

_ATTRIBUTE_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}
)
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_SPECIAL = re.compile(r'[&<>"\r\n\t]')  # most values hold none of these: one search, no translation


# elements whose content is text: a line break inside one would be drawn, read out or parsed
_TEXT_CONTENT = frozenset({"text", "tspan", "textPath", "title", "desc", "style", "script", "a"})


def markup(element: Any, *, lines: bool = False) -> str:
    """The XML text of an svgwrite element and everything inside it (``lines``: one element a line)."""
    out: list[str] = []
    _write(element, out, lines)
    return "".join(out)


def _write(element: Any, out: list[str], lines: bool) -> None:
    name = element.elementname
    own = vars(element)  # instance attributes only: a Drawing answers any other name with an element factory
    tree = own.get("xml")
    if tree is not None:  # title, desc: svgwrite keeps an ElementTree element, written as it stands
        attributes = "".join(f' {key}="{_escaped(str(value))}"' for key, value in tree.attrib.items())
        _close(name, attributes, tree.text or "", out)
        return
    values = element.attribs
    if "commands" in own:  # a path keeps its data as a list of commands until it is written
        from svgwrite.utils import strlist  # svgwrite is loaded by now (svg.py imports it with care)

        values = {**values, "d": strlist(own["commands"], " ")}
    attributes = "".join(
        f' {key}="{_escaped(text)}"'
        for key, value in sorted(values.items())
        if value is not None and (text := str(value))
    )
    content = own.get("_content")  # style, script: their content goes out as CDATA
    if content:
        out.append(f"<{name}{attributes}><![CDATA[{content}]]></{name}>")
        return
    text = own.get("text")
    if not element.elements:
        _close(name, attributes, "" if text is None else str(text), out)
        return
    out.append(f"<{name}{attributes}>")
    if text:
        out.append(str(text).translate(_TEXT_ESCAPES))
    # whitespace between a container's children is ignored; a text's children are drawn (an <a> may be either)
    apart = lines and not text and name not in _TEXT_CONTENT
    separator = "\n" if apart else ""
    out.append(separator)
    for child in element.elements:
        _write(child, out, apart)
        out.append(separator)
    out.append(f"</{name}>")


def _escaped(text: str) -> str:
    return text.translate(_ATTRIBUTE_ESCAPES) if _SPECIAL.search(text) else text


def _close(name: str, attributes: str, text: str, out: list[str]) -> None:
    if text:
        out.append(f"<{name}{attributes}>{text.translate(_TEXT_ESCAPES)}</{name}>")
    else:
        out.append(f"<{name}{attributes} />")
