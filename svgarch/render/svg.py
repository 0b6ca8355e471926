"""Scene + theme → SVG text: a tree of ``markup.Element``'s, written by ``markup``.

The output is a public contract (users' CSS targets it); README "SVG
structure" documents it. Same scene and theme give the same bytes.
"""

from __future__ import annotations

import re

from svgarch.geometry import Box, Point
from svgarch.render.css import VISUAL_ORDER, canvas, in_visual_order, stylesheet
from svgarch.render.icons import icon_element
from svgarch.render.kinds import PATTERN_SIZE, PATTERNS, block_patterns, kind_class, pattern_id
from svgarch.render.markup import Element, Written, attributes, leaf, markup, path_leaf, title_leaf, value_text
from svgarch.render.pointer import refs
from svgarch.scene import (
    Cubic,
    Pill,
    Scene,
    SceneBlock,
    SceneEdge,
    SceneFan,
    ScenePath,
    TextLine,
)
from svgarch.shapes import FRAME, Primitive, scene_shape
from svgarch.theme import Theme

TYPE_CHECKING = False
if TYPE_CHECKING:
    from svgarch.render.fonts_embed import EmbeddedFonts

# What XML 1.0 forbids, and lone surrogates (not UTF-8). None of them is printable, nor a tab or a line break
# read as a space: a text that then is (most) needs no search, and the pattern (a millisecond to compile, for
# its Unicode range) is built only when one does.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]"
_ALLOWED_CONTROLS = str.maketrans("\t\n\r", "   ")


def n(v: float) -> str:
    """A number as short, stable text (2 decimals, no trailing zeros)."""
    text = "%.2f" % v  # noqa: UP031  # the same text as f"{v:.2f}" in half the time (tens of thousands a diagram)
    if text[-1] != "0":  # most numbers: nothing to strip
        return text
    text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def clean(text: str) -> str:
    """Text safe for XML: characters XML 1.0 forbids are dropped."""
    if text.isprintable() or text.translate(_ALLOWED_CONTROLS).isprintable():
        return text
    return re.sub(_CONTROL, "", text)


def pair(p: Point) -> str:
    """``n(p.x),n(p.y)``, in one format when neither number has a trailing zero to strip (most points)."""
    text = "%.2f,%.2f" % p  # noqa: UP031  # as n: the %-format is the fast one
    if text[-1] != "0" and "0," not in text:
        return text
    return f"{n(p.x)},{n(p.y)}"


def path_data(path: ScenePath) -> str:
    parts = [f"M{pair(path.start)}"]
    for seg in path.segments:
        if isinstance(seg, Cubic):
            parts.append(f"C{pair(seg.c1)} {pair(seg.c2)} {pair(seg.end)}")
        else:
            parts.append(f"L{pair(seg.end)}")
    return " ".join(parts)


def polygon_data(points: tuple[Point, ...]) -> str:
    if len(points) == 4:  # an arrow head (one an edge): the same text, without a list
        a, b, c, d = points
        return f"M{pair(a)} L{pair(b)} L{pair(c)} L{pair(d)} Z"
    return "M" + " L".join([pair(p) for p in points]) + " Z"


def to_svg(scene: Scene, theme: Theme, fonts: EmbeddedFonts | None = None) -> str:
    """The SVG document for ``scene`` styled by ``theme`` (``fonts``: subsets to embed).

    It has no XML declaration and its opening tag stands alone on the first
    line, so the same text is a file, an HTML snippet and a Markdown HTML block;
    every element after it starts a line of its own (never inside a text), so
    a diff shows which element changed, and no line is blank.
    """
    dwg = drawing(scene, theme, fonts)
    # what svgwrite's Drawing added when it wrote itself (svgarch drew with svgwrite until 0.1), less the
    # xlink and ev namespaces nothing here uses
    dwg.attribs.update(xmlns="http://www.w3.org/2000/svg", baseProfile="full", version="1.1")
    return markup(dwg, lines=True) + "\n"


def drawing(scene: Scene, theme: Theme, fonts: EmbeddedFonts | None = None) -> Element:
    """The ``<svg>`` element of ``scene``."""
    sid = scene.id
    width, height = canvas(scene)  # whole pixels, so every renderer agrees on the image size
    dwg = Element("svg", {"viewBox": f"0 0 {width} {height}", "width": _inches(width), "height": _inches(height)})
    defs = dwg.add(Element("defs"))
    root = dwg.attribs
    root["id"] = sid
    root["class"] = "svgarch"
    root["role"] = "img"
    root["aria-labelledby"] = f"{sid}-title" + (f" {sid}-desc" if scene.description else "")
    title = clean(" ".join(line.text for line in scene.title) or "Diagram")
    dwg.add(Element("title", {"id": f"{sid}-title"}, title))
    if scene.description:
        dwg.add(Element("desc", {"id": f"{sid}-desc"}, clean(scene.description)))
    style = dwg.add(Element("style", {"type": "text/css"}))
    if fonts is None:
        style.content = stylesheet(scene, theme)
    else:
        style.content = stylesheet(scene, theme, fonts.css, fonts.aliases)
    for kind, pattern in block_patterns(scene, theme):
        defs.add(_pattern(pattern_id(sid, kind), kind, PATTERNS[pattern]))
    dwg.add(Element("rect", {"class": "sa-background", "x": 0, "y": 0, "width": width, "height": height}))
    for line in scene.title:
        dwg.add(_text(line, "sa-title"))

    if scene.groups:
        groups = dwg.add(_group("sa-groups"))
        for group in scene.groups:
            g = _group("sa-group")
            g.attribs["data-group"] = clean(group.id)
            groups.add(_linked(g, group.link))
            if group.tooltip:
                g.add(_tooltip(group.tooltip))
            g.add(_rect(group.box, "sa-frame", FRAME.radius))
            if group.label:
                g.add(_text(group.label, "sa-group-label"))
    hooks = refs(scene)  # ids the stylesheet cannot name
    blocks = dwg.add(_group("sa-blocks"))
    for b in scene.blocks:
        blocks.add(_linked(_block(b, hooks), b.link))
    edges = dwg.add(_group("sa-edges"))
    for e in scene.edges:
        drawn = _fan(e, hooks) if isinstance(e, SceneFan) else _edge(e, hooks)
        edges.add(_linked(drawn, e.link))
    if scene.notes:
        notes = dwg.add(_group("sa-notes"))
        for note in scene.notes:
            holder = notes
            if note.link or note.tooltip:  # one element to hold the note's tooltip and take the click
                holder = _group("sa-note-item")
                notes.add(_linked(holder, note.link))
                if note.tooltip:
                    holder.add(_tooltip(note.tooltip))
            for line in note.lines:
                holder.add(_kinded(_text(line, "sa-note"), note.kind))
    if scene.row_labels:
        rows = dwg.add(_group("sa-row-labels"))
        for rl in scene.row_labels:
            g = rows.add(_group("sa-row-label"))
            g.add(_text(rl.line, "sa-row-label-text"))
            t0, t1 = rl.tick
            g.add(Element("line", {"class": "sa-tick", "x1": n(t0.x), "y1": n(t0.y), "x2": n(t1.x), "y2": n(t1.y)}))
    if scene.legend:
        legend = dwg.add(_group("sa-legend"))
        legend.add(_rect(scene.legend.box, "sa-legend-frame", 6.0))
        for item in scene.legend.items:
            g = legend.add(_kinded(_group("sa-legend-item"), item.kind))
            s = item.sample_box
            if item.sample == "line":
                g.add(_path(f"M{n(s.x)},{n(s.y)} L{n(s.right)},{n(s.y)}", "sa-legend-line"))
            else:
                g.add(_rect(s, "sa-legend-patch", 2.0))
            g.add(_text(item.line, "sa-legend-text"))
    return dwg


def _pattern(pid: str, kind: str, hatch: str) -> Element:
    """A block fill pattern: the kind's colour under a hatch, both styled by the stylesheet."""
    size = PATTERN_SIZE
    attributes = {"id": pid, "patternUnits": "userSpaceOnUse", "class": "sa-pattern", "width": size, "height": size}
    pattern = _kinded(Element("pattern", attributes), kind)
    pattern.add(Element("rect", {"class": "sa-pattern-bg", "x": 0, "y": 0, "width": size, "height": size}))
    pattern.add(_path(hatch, "sa-hatch"))
    return pattern


def _inches(px: float) -> str:
    return f"{px / 96:.4f}".rstrip("0").rstrip(".") + "in"


def _group(cls: str) -> Element:
    return Element("g", {"class": cls})


def _kinded(element: Element, kind: str) -> Element:
    """``element`` marked with its kind: a class in the kinds' own namespace, and the name itself."""
    _kinded_values(element.attribs, kind)
    return element


def _kinded_values(values: dict[str, object], kind: str) -> dict[str, object]:
    if kind:
        values["class"] = f"{values['class']} {kind_class(kind)}"
        values["data-kind"] = kind
    return values


def _path(d: str, cls: str) -> Element:
    return Element("path", {"class": cls, "d": d})


def _text(line: TextLine, cls: str) -> Element:
    if not line.runs:
        return Element("text", _plain_text(line, cls), clean(line.text))
    # from its measured left edge: cairosvg anchors each tspan on its own, not the whole line
    text = Element("text", {"class": cls, "x": n(line.box.x), "y": n(line.y)}, "")
    text.attribs["xml:space"] = "preserve"  # else rsvg drops a space at a tspan's end or start (even U+00A0)
    if in_visual_order(line):  # the stylesheet tells browsers not to reorder it again
        text.attribs["class"] += f" {VISUAL_ORDER}"
    _runs(text, line)
    return text


def _plain_text(line: TextLine, cls: str) -> dict[str, str]:
    """The attributes of a text without inline markup."""
    values = {"class": cls, "x": n(line.x), "y": n(line.y)}
    if line.anchor != "start":
        values["text-anchor"] = line.anchor
    return values


def _runs(text: Element, line: TextLine) -> None:
    """Inline markup as <tspan>s: a face by presentation attributes, a sub- or superscript by ``dy``.

    ``dy`` moves the baseline from the previous run's, so each run moves it by the
    difference (baseline-shift is ignored by some renderers, DESIGN.md §4).
    """
    rise = 0.0
    for run in line.runs or ():
        span = Element("tspan", None, clean(run.text))
        if run.rise != rise:
            span.attribs["dy"] = n(rise - run.rise)
            rise = run.rise
        for key, value in (("font-family", run.family), ("font-weight", run.weight), ("font-style", run.style)):
            if value:
                span.attribs[key] = value
        if run.size:
            span.attribs["font-size"] = n(run.size)
        text.add(span)


def _rect(box: Box, cls: str, radius: float) -> Element:
    rect = Element("rect", {"class": cls, "x": n(box.x), "y": n(box.y), "width": n(box.w), "height": n(box.h)})
    if radius:
        rect.attribs["rx"] = n(radius)
    return rect


def _primitive_leaf(part: Primitive) -> str:
    """``leaf(part.tag, _primitive_attributes(part))``: a plain rect (most blocks' outline) written at once."""
    attrs = part.attrs
    if part.tag == "rect" and tuple([name for name, _ in attrs]) in _RECT_ATTRIBUTES:
        (_, x), (_, y), (_, w), (_, h) = attrs[:4]
        rx = f' rx="{n(attrs[4][1])}"' if len(attrs) == 5 else ""
        return f'<rect class="{value_text(part.cls)}" height="{n(h)}"{rx} width="{n(w)}" x="{n(x)}" y="{n(y)}" />'
    return leaf(part.tag, _primitive_attributes(part))


_RECT_ATTRIBUTES = (("x", "y", "width", "height"), ("x", "y", "width", "height", "rx"))  # as Rounded draws them


def _text_leaf(line: TextLine, cls: str) -> str:
    """``leaf("text", _plain_text(line, cls), clean(line.text))``, written at once."""
    anchor = "" if line.anchor == "start" else f' text-anchor="{value_text(line.anchor)}"'
    start = f'<text class="{value_text(cls)}"{anchor} x="{n(line.x)}" y="{n(line.y)}"'
    text = clean(line.text)
    if not text:
        return start + " />"
    if "&" in text or "<" in text or ">" in text:
        return leaf("text", _plain_text(line, cls), text)
    return f"{start}>{text}</text>"


def _primitive(part: Primitive) -> Element:
    """The element of one part of a block's shape."""
    return Element(part.tag, _primitive_attributes(part))


def _primitive_attributes(part: Primitive) -> dict[str, object]:
    if part.tag == "path":
        return {"class": part.cls, "d": " ".join(_command(c, args) for c, args in part.path)}
    # the attributes svgwrite's Rect, Circle and Ellipse began with, each then set by the part
    values: dict[str, object] = dict(_SHAPE_DEFAULTS[part.tag])
    values.update({"class": part.cls, **{name: n(v) for name, v in part.attrs}})
    return values


_SHAPE_DEFAULTS: dict[str, tuple[tuple[str, int], ...]] = {
    "rect": (("x", 0), ("y", 0), ("width", 1), ("height", 1)),
    "circle": (("cx", 0), ("cy", 0), ("r", 1)),
    "ellipse": (("cx", 0), ("cy", 0), ("rx", 1), ("ry", 1)),
}


def _command(command: str, args: tuple[float, ...]) -> str:
    """``C1,2 3,4 5,6``: numbers in pairs (an arc's rotation alone, then its flags and end point)."""
    if command == "A":
        groups = [args[0:2], args[2:3], args[3:5], args[5:7]]
    else:
        groups = [args[i : i + 2] for i in range(0, len(args), 2)]
    return command + " ".join(",".join(n(v) for v in g) for g in groups)


def _hooked(element: Element, names: dict[str, str], hooks: dict[str, str]) -> Element:
    """``element`` with the ``data-*ref`` hooks (svgarch.render.pointer) of the ids among ``names`` that have one."""
    _hooked_values(element.attribs, names, hooks)
    return element


def _hooked_values(values: dict[str, object], names: dict[str, str], hooks: dict[str, str]) -> None:
    for attribute, name in names.items():
        if name in hooks:
            values[attribute] = hooks[name]


def _linked(element: Element | Written, link: str) -> Element | Written:
    """``element`` inside ``<a href>`` when it has a link (checked by svgarch.spec.links), else itself.

    ``rel="noopener"`` keeps a page opened from the diagram from reaching back into it; ``tabindex="0"``
    puts the link in the keyboard's order in every browser (an SVG ``<a>`` is not focusable in all of them).
    """
    if not link:
        return element
    # no target: a diagram's link opens where the reader is; SVG 2's plain href, which every renderer here reads
    a = Element("a", {"href": clean(link), "rel": "noopener", "tabindex": "0"})
    a.add(element)
    return a


def _tooltip(text: str) -> Element:
    return Element("title", None, clean(text))


def _block(b: SceneBlock, hooks: dict[str, str]) -> Element | Written:
    if b.icon is None and not any(line.runs for line in b.lines):  # most blocks: written at once
        block_id = clean(b.id)
        if not b.kind and not hooks and block_id:  # most blocks of a large diagram: the tag attributes() writes
            start = f'<g class="sa-block" data-block="{value_text(block_id)}">'
        else:
            values = _kinded_values({"class": "sa-block", "data-block": block_id}, b.kind)
            if hooks:  # most diagrams have none: no dict per block
                _hooked_values(values, {"data-ref": b.id}, hooks)
            start = f"<g{attributes(values)}>"
        children = [title_leaf(clean(b.tooltip))]
        children += [_primitive_leaf(part) for part in scene_shape(b).primitives(b.box)]
        children += [_text_leaf(line, f"sa-{line.role}") for line in b.lines]
        return Written(start, children, "</g>")
    g = _kinded(_group("sa-block"), b.kind)
    g.attribs["data-block"] = clean(b.id)
    if hooks:
        _hooked(g, {"data-ref": b.id}, hooks)
    g.add(_tooltip(b.tooltip))
    if b.icon is None or not b.icon.alone:  # an icon drawn alone has no outline
        for part in scene_shape(b).primitives(b.box):
            g.add(_primitive(part))
    if b.icon is not None:
        if b.icon.alone:  # the block's box, unpainted: where a pointer finds it and `svgarch check` reads it
            g.attribs["class"] += " sa-icon-alone"
            g.add(_rect(b.box, "sa-icon-box", 0.0)).attribs["style"] = "fill:none;stroke:none"
        g.add(icon_element(b.icon, n, clean))
    for line in b.lines:
        g.add(_text(line, f"sa-{line.role}"))
    return g


def _label(pill: Pill) -> Element:
    g = _group("sa-label")
    g.add(_rect(pill.box, "sa-pill", min(pill.box.h / 2, 8.0)))
    for line in pill.lines:
        g.add(_text(line, "sa-label-text"))
    return g


def _edge(e: SceneEdge, hooks: dict[str, str]) -> Element | Written:
    if not e.label:  # most edges: written at once
        source, target = clean(e.source), clean(e.target)
        if not e.kind and not hooks and source and target:  # most edges of a large diagram: the tag attributes() writes
            start = f'<g class="sa-edge" data-from="{value_text(source)}" data-to="{value_text(target)}">'
        else:
            values = _kinded_values({"class": "sa-edge", "data-from": source, "data-to": target}, e.kind)
            if hooks:
                _hooked_values(values, {"data-from-ref": e.source, "data-to-ref": e.target}, hooks)
            start = f"<g{attributes(values)}>"
        children = [title_leaf(clean(e.tooltip)), path_leaf("sa-line", path_data(e.path))]
        children += [path_leaf("sa-head", polygon_data(h)) for h in e.heads]
        return Written(start, children, "</g>")
    g = _kinded(_group("sa-edge"), e.kind)
    g.attribs["data-from"] = clean(e.source)
    g.attribs["data-to"] = clean(e.target)
    if hooks:
        _hooked(g, {"data-from-ref": e.source, "data-to-ref": e.target}, hooks)
    g.add(_tooltip(e.tooltip))
    g.add(_path(path_data(e.path), "sa-line"))
    for h in e.heads:
        g.add(_path(polygon_data(h), "sa-head"))
    if e.label:
        g.add(_label(e.label))
    return g


def _fan(fan: SceneFan, hooks: dict[str, str]) -> Element:
    g = _kinded(_group("sa-fan"), fan.kind)
    for e in fan.edges:
        g.add(_edge(e, hooks))
    if fan.label:
        g.add(_label(fan.label))
    return g
