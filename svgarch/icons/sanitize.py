"""An author's SVG icon, read through an allow-list into plain shapes, or refused.

An icon file comes from anyone (a description's folder may be a contributor's),
and what svgarch copies of it lands in an SVG that a browser shows inline. So
nothing is copied as written: the file is parsed (no DOCTYPE, no entities, no
processing instructions), every element must be a shape, a ``g`` or the root
``svg`` (``title``, ``desc`` and ``metadata`` are dropped with their content),
every attribute must be a shape's geometry or a presentation attribute whose
value matches a strict grammar, and anything else — ``script``, ``style``,
``foreignObject``, ``use``, ``image``, event attributes, ``href`` in any
namespace, ``url()``, text — refuses the file with a message naming it. Past
``MAX_BYTES``, ``MAX_ELEMENTS`` or ``MAX_DEPTH`` it is refused too.

What comes out is flat: groups are dissolved into their shapes, each with its
inherited paint resolved into an inline ``style`` (so neither the diagram's
reset rules nor a web page's CSS change it) and its transforms multiplied into
one ``matrix()``. Where the file gives no fill, the icon's colour
(``currentColor``) fills instead of SVG's black, so a one-colour icon follows
the diagram's CSS.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from svgarch.icons.types import IconError, IconPart, VectorIcon

MAX_BYTES = 64 * 1024  # icons/__init__.py MAX_SVG_BYTES is the same
MAX_ELEMENTS = 2000
MAX_DEPTH = 16

SVG_NS = "{http://www.w3.org/2000/svg}"
GEOMETRY: dict[str, tuple[str, ...]] = {
    "path": ("d",),
    "circle": ("cx", "cy", "r"),
    "ellipse": ("cx", "cy", "rx", "ry"),
    "rect": ("x", "y", "width", "height", "rx", "ry"),
    "line": ("x1", "y1", "x2", "y2"),
    "polyline": ("points",),
    "polygon": ("points",),
}
DROPPED_ELEMENTS = frozenset({"title", "desc", "metadata"})  # words for people, never drawn: left out
DROPPED_ATTRIBUTES = frozenset({"id", "class"})  # names: not copied (they could clash with the diagram's)
ROOT_ONLY = frozenset({"viewBox", "width", "height", "x", "y", "version", "baseProfile", "preserveAspectRatio"})
PAINT = (
    "fill",
    "fill-rule",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
)
INHERITED_DEFAULTS = {"fill": "currentColor", "stroke": "none"}  # no fill given: the icon's colour, not black

_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
NUMBER = re.compile(rf"{_NUMBER}(?:px)?")
_COLOUR = re.compile(r"none|currentColor|#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20}")
_KEYWORDS = {
    "fill-rule": ("nonzero", "evenodd"),
    "stroke-linecap": ("butt", "round", "square"),
    "stroke-linejoin": ("miter", "round", "bevel"),
}
_PATH_DATA = re.compile(r"[MmZzLlHhVvCcSsQqTtAa0-9eE+\-.,\s]*")
_POINTS = re.compile(r"[0-9eE+\-.,\s]*")
_TRANSFORM = re.compile(r"\s*(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^()]*)\)\s*,?")
_ARGS = re.compile(rf"\s*({_NUMBER})\s*,?")
_ARITY = {"matrix": (6,), "translate": (1, 2), "scale": (1, 2), "rotate": (1, 3), "skewX": (1,), "skewY": (1,)}

_Refuse = Callable[[str], IconError]  # makes the error for what was found
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def sanitize_svg(data: bytes, name: str) -> VectorIcon:
    """The shapes of SVG ``data`` (``name`` for messages), or :class:`IconError` saying what was refused."""

    def refuse(what: str) -> IconError:
        return IconError(f"{name}: {what}; an icon may hold only shapes, groups and presentation attributes")

    if len(data) > MAX_BYTES:
        raise IconError(f"{name}: is larger than {MAX_BYTES // 1024} KiB, the limit for an SVG icon")
    try:  # decoded here, so no other encoding (UTF-16, say) can hide a declaration from the checks below
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise IconError(f"{name}: is not UTF-8 text") from None
    lowered = text.lower()
    if "<!doctype" in lowered or "<!entity" in lowered:  # no DTD may reach the parser: no entity expansion at all
        raise refuse("a DOCTYPE or entity declaration")
    if "<![cdata[" in lowered:
        raise refuse("a CDATA section")
    if "<?" in re.sub(r"^\s*<\?xml\s[^?]*\?>", "", lowered):  # anywhere, even before the root (where a parser drops it)
        raise refuse("a processing instruction")
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_pis=True))
    try:
        parser.feed(text)
        root = parser.close()
    except ET.ParseError as exc:
        raise IconError(f"{name}: is not well-formed XML ({exc})") from None
    if _local(root.tag, refuse) != "svg":
        raise refuse(f"the root element is <{_show(root.tag)}>, not <svg>")
    reader = _Reader(refuse)
    view_box = reader.view_box(root)
    reader.walk(root, dict(INHERITED_DEFAULTS), IDENTITY, 1.0, 1)
    if not reader.parts:
        raise IconError(f"{name}: draws nothing (no path, circle, ellipse, rect, line, polyline or polygon)")
    return VectorIcon(view_box, tuple(reader.parts))


class _Reader:
    def __init__(self, refuse: _Refuse) -> None:
        self.refuse = refuse
        self.parts: list[IconPart] = []
        self.count = 0

    def view_box(self, root: ET.Element) -> tuple[float, float, float, float]:
        text = root.get("viewBox")
        if text is None:
            width, height = root.get("width"), root.get("height")
            if width is None or height is None:
                raise self.refuse("the root <svg> has neither a viewBox nor a width and height")
            return (0.0, 0.0, _positive(self.refuse, "width", width), _positive(self.refuse, "height", height))
        numbers = re.findall(_NUMBER, text)
        if len(numbers) != 4 or re.sub(rf"{_NUMBER}|[\s,]", "", text):
            raise self.refuse(f"viewBox '{_show(text)}' is not four numbers")
        x, y, w, h = (float(v) for v in numbers)
        if not (w > 0 and h > 0) or not all(math.isfinite(v) for v in (x, y, w, h)):
            raise self.refuse(f"viewBox '{_show(text)}' has no area")
        return (x, y, w, h)

    def walk(self, el: ET.Element, paint: dict[str, str], matrix: Matrix, opacity: float, depth: int) -> None:
        if not isinstance(el.tag, str):  # a processing instruction (comments are not kept by the parser)
            raise self.refuse("a processing instruction")
        tag = _local(el.tag, self.refuse)
        if tag in DROPPED_ELEMENTS:
            return
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise self.refuse(f"more than {MAX_ELEMENTS} elements")
        if depth > MAX_DEPTH:
            raise self.refuse(f"elements nested more than {MAX_DEPTH} deep")
        if (tag not in GEOMETRY and tag not in ("g", "svg")) or (tag == "svg" and depth > 1):
            raise self.refuse(f"a <{_show(tag)}> element")
        if (el.text or "").strip() or (depth > 1 and (el.tail or "").strip()):
            raise self.refuse(f"text inside <{tag}>")
        own = self._attributes(el, tag)
        paint = {**paint, **{k: v for k, v in own.items() if k in PAINT}}
        if "transform" in own:
            matrix = _multiply(matrix, _transform(own["transform"], self.refuse))
        opacity *= float(own.get("opacity", "1"))
        if tag in GEOMETRY:
            self._emit(tag, own, paint, matrix, opacity)
            if len(el):
                raise self.refuse(f"elements inside <{tag}>")
            return
        for child in el:
            self.walk(child, paint, matrix, opacity, depth + 1)

    def _attributes(self, el: ET.Element, tag: str) -> dict[str, str]:
        out: dict[str, str] = {}
        pairs = list(el.attrib.items())
        style = el.get("style")
        if style is not None:
            pairs.remove(("style", style))
            pairs += _style_pairs(style, tag, self.refuse)
        for key, value in pairs:
            if key.startswith("{"):  # xlink:href, xml:space, an editor's own attributes: none is needed
                raise self.refuse(f"the attribute {_show(key)} on <{tag}>")
            if key in DROPPED_ATTRIBUTES or (tag == "svg" and key in ROOT_ONLY):  # the root's are read or dropped
                continue
            if key in GEOMETRY.get(tag, ()):
                out[key] = _geometry(key, value, tag, self.refuse)
            elif key in PAINT or key == "opacity":
                out[key] = _paint(key, value, tag, self.refuse)
            elif key == "transform" and tag != "svg":
                out[key] = value
            else:
                raise self.refuse(f"the attribute {_show(key)} on <{tag}>")
        return out

    def _emit(self, tag: str, own: dict[str, str], paint: dict[str, str], matrix: Matrix, opacity: float) -> None:
        attrs = [(k, own[k]) for k in GEOMETRY[tag] if k in own]
        style = ";".join(f"{k}:{paint[k]}" for k in PAINT if k in paint)
        if opacity < 1:
            style += f";opacity:{_number(opacity)}"
        attrs.append(("style", style))
        if matrix != IDENTITY:  # as an attribute, and as CSS too: the diagram's reset pins transform for browsers
            transform = "matrix(" + ",".join(_number(v) for v in matrix) + ")"
            attrs[-1] = ("style", f"{style};transform:{transform}")
            attrs.append(("transform", transform))
        self.parts.append(IconPart(tag, tuple(attrs)))


def _local(tag: str, refuse: _Refuse) -> str:
    if tag.startswith(SVG_NS):
        return tag[len(SVG_NS) :]
    if tag.startswith("{"):
        raise refuse(f"an element in another namespace ({_show(tag)})")
    return tag


_PREFIXES = {"{http://www.w3.org/1999/xlink}": "xlink:", "{http://www.w3.org/XML/1998/namespace}": "xml:"}


def _show(text: str) -> str:
    """Text from the file, short and on one line, for a message (``xlink:href`` as people write it)."""
    for uri, prefix in _PREFIXES.items():
        text = text.replace(uri, prefix)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _style_pairs(style: str, tag: str, refuse: _Refuse) -> list[tuple[str, str]]:
    """A ``style`` attribute's declarations: plain ``name: value`` pairs only."""
    out = []
    for declaration in style.split(";"):
        if not declaration.strip():
            continue
        name, colon, value = declaration.partition(":")
        name = name.strip()
        if not colon or not re.fullmatch(r"[a-z-]+", name):
            raise refuse(f"a style '{_show(style)}' on <{tag}>")
        if name not in PAINT and name != "opacity":
            raise refuse(f"the style property {_show(name)} on <{tag}>")
        out.append((name, value.strip()))
    return out


def _geometry(key: str, value: str, tag: str, refuse: _Refuse) -> str:
    value = value.strip()
    ok = {"d": _PATH_DATA, "points": _POINTS}.get(key, NUMBER).fullmatch(value)
    if not ok or (key not in ("d", "points") and not math.isfinite(float(value.removesuffix("px")))):
        raise refuse(f"{key}='{_show(value)}' on <{tag}> is not a plain number or path")
    return " ".join(value.split())


def _paint(key: str, value: str, tag: str, refuse: _Refuse) -> str:
    value = value.strip()
    if key in ("fill", "stroke"):
        ok = bool(_COLOUR.fullmatch(value))
    elif key in _KEYWORDS:
        ok = value in _KEYWORDS[key]
    else:  # widths, opacities, the miter limit: a plain number
        ok = bool(NUMBER.fullmatch(value)) and math.isfinite(float(value.removesuffix("px")))
        if ok and key.endswith("opacity"):
            value = _number(min(1.0, max(0.0, float(value.removesuffix("px")))))
    if not ok:
        raise refuse(f"{key}='{_show(value)}' on <{tag}> (a colour is #rgb, #rrggbb, a name, none or currentColor)")
    return value


def _positive(refuse: _Refuse, key: str, value: str) -> float:
    if not NUMBER.fullmatch(value.strip()) or not 0 < float(value.strip().removesuffix("px")) < 1e6:
        raise refuse(f"the root's {key}='{_show(value)}' is not a length in px")
    return float(value.strip().removesuffix("px"))


def _transform(text: str, refuse: _Refuse) -> Matrix:
    """An SVG transform list as one matrix; anything but the six functions with plain numbers is refused."""
    matrix, at = IDENTITY, 0
    while at < len(text.rstrip()):
        step = _TRANSFORM.match(text, at)
        args = [float(a) for a in _ARGS.findall(step.group(2))] if step else []
        if not step or re.sub(rf"{_NUMBER}|[\s,]", "", step.group(2)) or len(args) not in _ARITY[step.group(1)]:
            raise refuse(f"transform='{_show(text)}' is not a list of plain transform functions")
        if not all(math.isfinite(a) and abs(a) < 1e6 for a in args):
            raise refuse(f"transform='{_show(text)}' holds a number out of range")
        matrix = _multiply(matrix, _function(step.group(1), args))
        at = step.end()
    return matrix


def _function(name: str, a: list[float]) -> Matrix:
    if name == "matrix":
        return (a[0], a[1], a[2], a[3], a[4], a[5])
    if name == "translate":
        return (1, 0, 0, 1, a[0], a[1] if len(a) > 1 else 0.0)
    if name == "scale":
        return (a[0], 0, 0, a[1] if len(a) > 1 else a[0], 0, 0)
    if name == "rotate":
        c, s = math.cos(math.radians(a[0])), math.sin(math.radians(a[0]))
        cx, cy = (a[1], a[2]) if len(a) == 3 else (0.0, 0.0)
        return (c, s, -s, c, cx - c * cx + s * cy, cy - s * cx - c * cy)
    t = math.tan(math.radians(a[0]))
    return (1, 0, t, 1, 0, 0) if name == "skewX" else (1, t, 0, 1, 0, 0)


def _multiply(m: Matrix, k: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = k
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _number(v: float) -> str:
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
