"""SVG elements → XML text, the same text ElementTree writes (as svgwrite's ``tostring()`` did), five times faster.

Serialising through ElementTree means building a copy of the whole document
and running its pure-Python writer over it: at 1,000 blocks that was two
thirds of the time ``to_svg`` took. This walks svgarch's own elements
(``Element``: attributes, children, and the text of ``title``, ``desc``,
``text`` and ``style``) and writes what ElementTree would: attributes in
sorted order, ``None`` and empty values left out, the same escapes, empty
elements as ``<name ... />``, a stylesheet as CDATA. A test compares the
two (``Element.tostring``) on every example.

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


class Element:
    """An SVG element as svgarch builds it: a name, attributes (written in sorted order; ``None`` and
    empty values left out), children, and its text, or for ``<style>`` its CDATA ``content``.

    svgarch used to build its documents from svgwrite's classes; these hold the same things, cost a
    tenth of svgwrite's to make, and need no import of svgwrite's 28 modules (10 ms of every render).
    """

    __slots__ = ("attribs", "content", "elementname", "elements", "text")

    def __init__(self, name: str, attribs: dict[str, Any] | None = None, text: str | None = None) -> None:
        self.elementname = name
        self.attribs: dict[str, Any] = {} if attribs is None else attribs
        self.elements: list[Element] = []
        self.text = text
        self.content: str | None = None

    def add(self, element: Element) -> Element:
        self.elements.append(element)
        return element

    def tostring(self) -> str:
        """The element written by ElementTree, as svgwrite wrote its own: the slow reference ``markup``
        is tested against."""
        import xml.etree.ElementTree as ET

        styles: list[str] = []

        def tree(element: Element) -> ET.Element:
            node = ET.Element(element.elementname)
            for key, value in sorted(element.attribs.items()):
                if value is not None and (text := str(value)):
                    node.set(key, text)
            if element.content:
                styles.append(element.content)
                node.text = f"\0{len(styles) - 1}\0"
            elif element.text is not None:
                node.text = element.text
            node.extend(tree(child) for child in element.elements)
            return node

        text = ET.tostring(tree(self), encoding="unicode")
        for i, css in enumerate(styles):
            text = text.replace(f"\0{i}\0", f"<![CDATA[{css}]]>")
        return text


def markup(element: Element, *, lines: bool = False) -> str:
    """The XML text of an element and everything inside it (``lines``: one element a line)."""
    out: list[str] = []
    _write(element, out, lines)
    return "".join(out)


def _write(element: Element, out: list[str], lines: bool) -> None:
    name, values, content, text = element.elementname, element.attribs, element.content, element.text
    written: list[str] = []  # a loop, not a generator: ten thousand elements on a large diagram
    for key in sorted(values):
        value = values[key]
        if value is None:
            continue
        shown = value if type(value) is str else str(value)
        if shown:
            written.append(f' {key}="{shown.translate(_ATTRIBUTE_ESCAPES) if _SPECIAL.search(shown) else shown}"')
    attributes = "".join(written)
    if content:  # style, script: their content goes out as CDATA
        out.append(f"<{name}{attributes}><![CDATA[{content}]]></{name}>")
        return
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


def _close(name: str, attributes: str, text: str, out: list[str]) -> None:
    if text:
        out.append(f"<{name}{attributes}>{text.translate(_TEXT_ESCAPES)}</{name}>")
    else:
        out.append(f"<{name}{attributes} />")
