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
        self.elements: list[Element | Written] = []
        self.text = text
        self.content: str | None = None

    def add(self, element: E) -> E:
        self.elements.append(element)
        return element

    def tostring(self) -> str:
        """The element written by ElementTree, as svgwrite wrote its own: the slow reference ``markup``
        is tested against."""
        import xml.etree.ElementTree as ET

        styles: list[str] = []

        def tree(element: Element | Written) -> ET.Element:
            if isinstance(element, Written):  # read back: ElementTree writes it again, as it would have
                return ET.fromstring(element.start + "".join(element.children) + element.end)
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


class Written:
    """An element written already, whose children are all without children of their own: its start tag,
    each child's text, its end tag (``leaf`` and ``start_tag`` write them as ``markup`` would). The SVG
    writer makes its thousands of plain blocks and edges so, not as trees of ``Element``'s; ``markup``
    puts the children on lines of their own as it would an Element's, and ``Element.tostring`` reads it
    back, so the test that compares the two checks it too."""

    __slots__ = ("children", "end", "start")

    def __init__(self, start: str, children: list[str], end: str) -> None:
        self.start = start
        self.children = children
        self.end = end


def written(name: str, values: dict[str, Any], children: list[str]) -> Written:
    """The element ``name`` with attributes ``values`` around ``children`` (each written already)."""
    return Written(f"<{name}{attributes(values)}>", children, f"</{name}>")


TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported by a render (2 ms)
    from typing import Any, TypeVar

    E = TypeVar("E", bound=Element | Written)


def attributes(values: dict[str, Any]) -> str:
    """The attributes as ElementTree writes them: sorted, each with a leading space, escaped; ``None`` and
    empty values left out."""
    written: list[str] = []  # a loop, not a generator: ten thousand elements on a large diagram
    for key in sorted(values):
        value = values[key]
        if value is None:
            continue
        shown = value if type(value) is str else str(value)
        if shown:
            written.append(f' {key}="{shown.translate(_ATTRIBUTE_ESCAPES) if _SPECIAL.search(shown) else shown}"')
    return "".join(written)


def value_text(value: str) -> str:
    """A string attribute's value as ``attributes`` writes it (escaped; an empty one it leaves out)."""
    return value.translate(_ATTRIBUTE_ESCAPES) if _SPECIAL.search(value) else value


def title_leaf(text: str) -> str:
    """``leaf("title", {}, text)``: a tooltip."""
    if not text:
        return "<title />"
    if "&" in text or "<" in text or ">" in text:
        text = text.translate(_TEXT_ESCAPES)
    return f"<title>{text}</title>"


def leaf(name: str, values: dict[str, Any], text: str | None = None) -> str:
    """The text of an element without children (``text``: what it holds)."""
    out: list[str] = []
    _close(name, attributes(values), "" if text is None else str(text), out)
    return out[0]


def path_leaf(cls: str, d: str) -> str:
    """``leaf("path", {"class": cls, "d": d})`` for a class and path data written by svgarch itself, which
    hold nothing to escape and are never empty (numbers, commands, names): every edge's line and heads."""
    return f'<path class="{cls}" d="{d}" />'


def _write(element: Element | Written, out: list[str], lines: bool) -> None:
    if isinstance(element, Written):  # a container, as below
        separator = "\n" if lines else ""
        out.append(element.start)
        out.append(separator)
        for child_text in element.children:
            out.append(child_text)
            out.append(separator)
        out.append(element.end)
        return
    name, values, content, text = element.elementname, element.attribs, element.content, element.text
    attributes_text = attributes(values)
    if content:  # style, script: their content goes out as CDATA
        out.append(f"<{name}{attributes_text}><![CDATA[{content}]]></{name}>")
        return
    if not element.elements:
        _close(name, attributes_text, "" if text is None else str(text), out)
        return
    out.append(f"<{name}{attributes_text}>")
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


def _close(name: str, attributes_text: str, text: str, out: list[str]) -> None:
    if text:
        out.append(f"<{name}{attributes_text}>{text.translate(_TEXT_ESCAPES)}</{name}>")
    else:
        out.append(f"<{name}{attributes_text} />")
