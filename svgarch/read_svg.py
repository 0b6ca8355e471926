"""Read an SVG that svgarch wrote back into a Scene, for ``svgarch check``.

Shapes, paths, heads and pills come straight from the SVG's geometry; text
extents are measured again with the fonts its own stylesheet names, so the
check sees what a renderer draws. Only svgarch's own output is understood.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

import tinycss2

from svgarch.errors import SvgarchError, quoted, show
from svgarch.files import FileTooLarge, NotRegularFile, read_regular
from svgarch.fonts import FontBook, FontFace
from svgarch.geometry import Box, Point, points_box
from svgarch.scene import (
    Cubic,
    Line,
    Pill,
    Scene,
    SceneBlock,
    SceneEdge,
    SceneFan,
    SceneGroup,
    SceneNote,
    ScenePath,
    Segment,
    TextLine,
)
from svgarch.shapes import PathCommand, Primitive, read_shape, shape_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from svgarch.scene import Anchor

NS = "{http://www.w3.org/2000/svg}"
_ENCODING = re.compile(r"\ufeff?<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


MAX_SVG_BYTES = 16 * 1024 * 1024  # svgarch's largest diagram (5,000 blocks, 20,000 edges) writes a few MiB
MAX_NUMBER = 1e7  # px: any coordinate or size in the file (svgarch's own stay within 1e5 and a margin)


class _Malformed(Exception):
    """The file is not an SVG svgarch wrote, though it is XML (a missing part, a coordinate that is no number)."""


def read_scene(path: Path) -> Scene:
    """The scene of an svgarch SVG file; SvgarchError (one line, naming the file) for anything else."""
    data = read_limited(path, MAX_SVG_BYTES, "an SVG")
    name = quoted(path)
    try:  # svgarch writes UTF-8: another encoding could hide what the next lines look for
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SvgarchError(f"{name}: not an SVG written by svgarch (not UTF-8 text: byte {exc.start})") from None
    declared = _ENCODING.match(text)
    if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise SvgarchError(f"{name}: not an SVG written by svgarch (it declares encoding '{show(declared.group(1))}')")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:  # svgarch never writes one; entities can expand to gigabytes
        raise SvgarchError(f"{name}: not an SVG written by svgarch (it has a DOCTYPE or entities; refused)")
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError, RecursionError) as exc:
        raise SvgarchError(f"{name}: cannot read SVG: {' '.join(str(exc).split())[:200]}") from None
    if root.tag != f"{NS}svg" or "svgarch" not in root.get("class", "").split():
        raise SvgarchError(f"{name}: not an SVG written by svgarch (no <svg class='svgarch'> root)")
    try:
        return _scene(root)
    except (_Malformed, ValueError, IndexError, KeyError, StopIteration, RuntimeError, RecursionError) as exc:
        what = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise SvgarchError(f"{name}: not an SVG written by svgarch ({what})") from None


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """The bytes of a regular file no larger than ``limit``; a FIFO, a device or a directory is refused
    without blocking (see :func:`svgarch.spec.load.read_regular`)."""
    name = quoted(path)
    try:
        data = read_regular(path, limit)
    except FileNotFoundError:
        raise SvgarchError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise SvgarchError(f"{name}: is a directory, not {what}") from None
    except NotRegularFile:
        problem = "is a directory, not " + what if path.is_dir() else "is not a regular file"
        raise SvgarchError(f"{name}: {problem}") from None
    except FileTooLarge:
        raise SvgarchError(f"{name}: is larger than {limit} bytes, the limit for {what}") from None
    except OSError as exc:
        raise SvgarchError(f"{name}: cannot be read: {exc.strerror}") from None
    if len(data) > limit:
        raise SvgarchError(f"{name}: is larger than {limit} bytes, the limit for {what}")
    return data


def _scene(root: ET.Element) -> Scene:
    fonts = _Fonts(_style_text(root))
    blocks = tuple(_block(g, fonts) for g in root.iter(f"{NS}g") if _has_class(g, "sa-block"))
    edges: list[SceneEdge | SceneFan] = []
    for g in root.iter(f"{NS}g"):
        if _has_class(g, "sa-fan"):
            members = tuple(_edge(e, fonts) for e in g if _has_class(e, "sa-edge"))
            label = next((_pill(x, fonts) for x in g if _has_class(x, "sa-label")), None)
            edges.append(SceneFan("", members, label))
    in_fans = {id(e) for g in root.iter(f"{NS}g") if _has_class(g, "sa-fan") for e in g}
    edges.extend(_edge(g, fonts) for g in root.iter(f"{NS}g") if _has_class(g, "sa-edge") and id(g) not in in_fans)
    notes = tuple(
        SceneNote("", t.box, (t,))
        for t in (_text(el, fonts) for el in root.iter(f"{NS}text") if _has_class(el, "sa-note"))
    )
    groups = tuple(_group(g, fonts) for g in root.iter(f"{NS}g") if _has_class(g, "sa-group"))
    view = [_number(v, "viewBox") for v in root.get("viewBox", "0 0 0 0").split()]
    if len(view) != 4:
        raise _Malformed("its viewBox is not four numbers")
    return Scene(root.get("id", ""), view[2], view[3], (), "", blocks, tuple(edges), groups, notes, (), None, (), ())


def _number(text: str, what: str) -> float:
    """A number of the file: finite and within MAX_NUMBER, else the file is refused."""
    try:
        value = float(text)
    except ValueError:
        raise _Malformed(f"{what} '{show(text)}' is not a number") from None
    if not abs(value) <= MAX_NUMBER:  # also nan
        raise _Malformed(f"{what} {show(text)} is out of range")
    return value


def _child(g: ET.Element, cls: str) -> ET.Element:
    found = next((el for el in g if _has_class(el, cls)), None)
    if found is None:
        raise _Malformed(f"a <g class='{show(g.get('class', ''))}'> has no {cls}")
    return found


def _has_class(el: ET.Element, name: str) -> bool:
    return name in el.get("class", "").split()


def _style_text(root: ET.Element) -> str:
    return "".join(s.text or "" for s in root.iter(f"{NS}style"))


class _Fonts:
    """Font of each ``sa-<role>`` text class, from the SVG's plain (non-@media) rules."""

    def __init__(self, css: str) -> None:
        self.book = FontBook()
        self.props: dict[str, dict[str, str]] = {}
        for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
            if rule.type != "qualified-rule":
                continue
            selector = tinycss2.serialize(rule.prelude)
            decls = {
                d.lower_name: tinycss2.serialize(d.value).strip()
                for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
                if d.type == "declaration"
            }
            for part in selector.split(","):
                last = part.strip().split()[-1] if part.strip() else ""
                if last.startswith(".sa-") and last.count(".") == 1:
                    self.props.setdefault(last[1:], {}).update(decls)

    def measure(self, cls: str, text: str, own: Mapping[str, str] | None = None) -> tuple[float, float, float]:
        """Width, ascent and descent of ``text`` in the font of class ``cls`` (``own``: a tspan's font-* attributes)."""
        p = {**self.props.get(cls, {}), **{k: v for k, v in (own or {}).items() if k.startswith("font-")}}
        family = p.get("font-family", "DejaVu Sans").split(",")[0].strip().strip("\"'")
        size = _number(p.get("font-size", "12px").removesuffix("px"), "font-size")
        if not 0 < size <= 1000:
            raise _Malformed(f"font-size {size:g}px is not one svgarch writes")
        bold = p.get("font-weight", "normal") in ("bold", "bolder", "600", "700", "800", "900")
        italic = p.get("font-style", "normal") in ("italic", "oblique")
        m = self.book.metrics(FontFace(family, "bold" if bold else "normal", "italic" if italic else "normal"))
        return m.width(text, size), m.ascent(size), m.descent(size)


def _text(el: ET.Element, fonts: _Fonts) -> TextLine:
    cls = next((c for c in el.get("class", "").split() if c.startswith("sa-")), "")
    text = "".join(el.itertext())
    x, y = _number(el.get("x", "0"), "x"), _number(el.get("y", "0"), "y")
    anchor: Anchor = {"middle": "middle", "end": "end"}.get(el.get("text-anchor", ""), "start")  # type: ignore[assignment]
    spans = [s for s in el if s.tag == f"{NS}tspan"]
    if spans:  # inline markup: each run in its own face and size, its baseline moved by dy
        width, ascent, descent = _runs_extent(spans, cls, fonts)
    else:
        width, ascent, descent = fonts.measure(cls, text)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return TextLine(text, x, y, cls.removeprefix("sa-"), anchor, Box(left, y - ascent, width, ascent + descent))


def _runs_extent(spans: list[ET.Element], cls: str, fonts: _Fonts) -> tuple[float, float, float]:
    """Width, ascent and descent of a line of <tspan>s (svgarch writes them flat, with dy, font-*)."""
    _, ascent, descent = fonts.measure(cls, "")
    width = rise = 0.0
    for s in spans:
        rise -= _number(s.get("dy", "0"), "dy")
        w, a, d = fonts.measure(cls, s.text or "", s.attrib)
        width += w
        ascent, descent = max(ascent, rise + a), max(descent, d - rise)
    return width, ascent, descent


def _shape_box(el: ET.Element) -> Box:
    tag = el.tag.removeprefix(NS)

    def f(key: str) -> float:
        return _number(el.get(key, "0"), key)

    if tag == "rect":
        return Box(f("x"), f("y"), f("width"), f("height"))
    if tag == "circle":
        return Box(f("cx") - f("r"), f("cy") - f("r"), 2 * f("r"), 2 * f("r"))
    if tag == "ellipse":
        return Box(f("cx") - f("rx"), f("cy") - f("ry"), 2 * f("rx"), 2 * f("ry"))
    return points_box(_path(el.get("d", "")).points())


def _is_shape_part(el: ET.Element) -> bool:
    """Whether ``el`` is drawn by a block's shape: classed ``sa-shape`` or ``sa-shape-<part>``."""
    return any(c == "sa-shape" or c.startswith("sa-shape-") for c in el.get("class", "").split())


def _block(g: ET.Element, fonts: _Fonts) -> SceneBlock:
    drawn = [_primitive(el) for el in g if _is_shape_part(el)]
    alone = next((el for el in g if _has_class(el, "sa-icon-box")), None)  # an icon drawn alone: no outline
    if not drawn and alone is None:
        raise _Malformed(f"block '{show(g.get('data-block', ''))}' has no sa-shape")
    try:
        shape, box = (shape_of("rect"), _shape_box(alone)) if alone is not None and not drawn else read_shape(drawn)
    except (ValueError, IndexError):
        raise _Malformed(f"block '{show(g.get('data-block', ''))}': its shape is not one svgarch draws") from None
    if not (box.w > 0 and box.h > 0):  # svgarch draws no block without an area; the check divides by its size
        raise _Malformed(f"block '{show(g.get('data-block', ''))}' has a shape of no area")
    lines = tuple(_text(t, fonts) for t in g if t.tag == f"{NS}text")
    # data-kind since kinds have their own namespace; before that, the class after sa-block
    old = next((c[3:] for c in g.get("class", "").split() if c.startswith("sa-") and c != "sa-block"), "")
    kind = g.get("data-kind", old)
    return SceneBlock(g.get("data-block", ""), kind, shape.name, box, lines, "", shape.corner(box), shape.depth)


def _primitive(el: ET.Element) -> Primitive:
    """A shape's SVG element as numbers (``svgarch.shapes`` reads them back)."""
    tag, cls = el.tag.removeprefix(NS), el.get("class", "")
    if tag != "path":
        return Primitive(tag, cls, tuple((k, _number(v, k)) for k, v in el.attrib.items() if k != "class"))
    commands: list[PathCommand] = []
    for token in re.findall(r"[A-Za-z]|" + _NUMBER.pattern, el.get("d", "")):
        if token.isalpha():
            commands.append((token, ()))
        elif commands:
            commands[-1] = (commands[-1][0], (*commands[-1][1], _number(token, "path data")))
    return Primitive(tag, cls, path=tuple(commands))


def _group(g: ET.Element, fonts: _Fonts) -> SceneGroup:
    frame = _child(g, "sa-frame")
    label = next((_text(t, fonts) for t in g if _has_class(t, "sa-group-label")), None)
    return SceneGroup(g.get("data-group", ""), _shape_box(frame), label)


def _edge(g: ET.Element, fonts: _Fonts) -> SceneEdge:
    line = _child(g, "sa-line")
    heads = tuple(tuple(_path(h.get("d", "")).points()) for h in g if _has_class(h, "sa-head"))
    label = next((_pill(x, fonts) for x in g if _has_class(x, "sa-label")), None)
    return SceneEdge(g.get("data-from", ""), g.get("data-to", ""), "", _path(line.get("d", "")), heads, label, "")


def _pill(g: ET.Element, fonts: _Fonts) -> Pill:
    rect = _child(g, "sa-pill")
    return Pill(_shape_box(rect), tuple(_text(t, fonts) for t in g if t.tag == f"{NS}text"))


_ARITY = {"M": 2, "L": 2, "C": 6, "H": 1, "V": 1, "A": 7}


def _path(d: str) -> ScenePath:
    """Parse the path data svgarch writes: one M, then absolute L/H/V/C/A/Z."""
    tokens = re.findall(r"[A-Za-z]|" + _NUMBER.pattern, d)
    start: Point | None = None
    cur = Point(0.0, 0.0)
    segments: list[Segment] = []
    pos, cmd = 0, ""
    while pos < len(tokens):
        if tokens[pos].isalpha():
            cmd = tokens[pos]
            pos += 1
            if cmd not in _ARITY and cmd not in "Zz":
                raise _Malformed(f"path command '{show(cmd)}' is not one svgarch writes")
            if cmd in "Zz" and start is not None:
                segments.append(Line(start))
                cur = start
            continue
        nums = [_number(t, "path data") for t in tokens[pos : pos + _ARITY.get(cmd, 2)]]
        pos += len(nums)
        if len(nums) < _ARITY.get(cmd, 2) or not cmd:
            raise _Malformed(f"path data '{show(d)}' ends early")
        if cmd == "M" and start is None:
            start = cur = Point(nums[0], nums[1])
            cmd = "L"  # further pairs after M are lines
            continue
        if cmd in "ML":
            cur = Point(nums[0], nums[1])
        elif cmd == "H":
            cur = Point(nums[0], cur.y)
        elif cmd == "V":
            cur = Point(cur.x, nums[0])
        elif cmd == "A":  # arcs appear only in shapes (cylinders): the end point is enough for a box
            cur = Point(nums[5], nums[6])
        elif cmd == "C":
            cur = Point(nums[4], nums[5])
            segments.append(Cubic(Point(nums[0], nums[1]), Point(nums[2], nums[3]), cur))
            continue
        segments.append(Line(cur))
    return ScenePath(start or cur, tuple(segments))
