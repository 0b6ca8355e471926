"""Independent, in-browser quality measurement of rendered svgarch SVGs.

The SVG is inlined into an HTML page in the system's headless Chromium (driven
by Playwright's Python package with ``executable_path`` set to the browser
``find_chromium`` finds, never a downloaded one; no network) and measured
there with JavaScript: block
shape boxes (``getBBox`` mapped through the screen CTMs), block outlines and
group frames sampled with ``getPointAtLength`` every ~1 px, edge paths every
~2 px, the tip of every arrow head, label pill boxes and the box of every
``<text>`` as the browser actually laid it out. All coordinates are in the
root ``<svg>``'s user units (its ``viewBox``), so a defect's coordinates can
be looked up in the SVG source.

The metrics (``metrics()``) are plain Python on those measurements and share
no code with ``svgarch check``: they are a second opinion on the layout.

    with Chromium() as browser:
        m = browser.measure(Path("out/cnn_v3.svg"))
    print(metrics(m).summary())
"""

from __future__ import annotations

import itertools
import math
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn

CHROMIUM_ENV = "SVGARCH_CHROMIUM"  # a browser's path, when it is not on PATH under a usual name
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")  # Debian, Ubuntu/Fedora, Google's build
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
SAMPLE_STEP = 2.0  # px between edge samples along .sa-line
EDGE_BLOCK_SHRINK = 1.0  # a sample must be strictly inside the block box shrunk by this
TEXT_TOLERANCE = 0.5  # a text box may stick out of its shape box by this much
OVERLAP_EPS = 1e-3  # boxes must overlap by more than this (both ways) to count as overlapping
OUTLINE_STEP = 1.0  # px between samples along a block's outline or a group's frame
SHAPE_DEPTH = 1.0  # an outline sample must lie this far inside another shape for the shapes to overlap
END_TOLERANCE = 1.5  # px an edge's end (its head's tip, or its line's end) may lie off its block's outline
LABEL_REACH = 0.5  # a label pill may stand off its own edge by this fraction of its height


class BrowserUnavailable(RuntimeError):
    """Chromium or Playwright is missing: the measurement cannot run."""


def find_chromium(environ: Mapping[str, str] = os.environ, path: str | None = None) -> Path:
    """The Chromium to drive: ``$SVGARCH_CHROMIUM``, else the first of ``CHROMIUM_NAMES`` on PATH.

    Never a downloaded browser: nothing is fetched when none is found.
    """
    given = environ.get(CHROMIUM_ENV)
    if given:
        if not os.access(given, os.X_OK) or Path(given).is_dir():
            raise BrowserUnavailable(f"{CHROMIUM_ENV}={given} is not an executable file")
        return Path(given)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name, path=path if path is not None else environ.get("PATH"))
        if found:
            return Path(found)
    raise BrowserUnavailable(
        f"no Chromium found: none of {', '.join(CHROMIUM_NAMES)} is on PATH and {CHROMIUM_ENV} is not set"
        " (install one, e.g. Debian's `apt-get install chromium`, or set"
        f" {CHROMIUM_ENV}=/path/to/chrome; never `playwright install`)"
    )


def unavailable(exc: BrowserUnavailable, environ: Mapping[str, str] = os.environ) -> NoReturn:
    """Skip a browser test when there is no browser, saying why; under CI (``CI=true``) fail instead."""
    import pytest

    message = f"the browser tests need Chromium and Playwright's Python package: {exc}"
    if environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(message + " (CI=true: a missing browser fails)", pytrace=False)
    pytest.skip(message)


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in root user units."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def grow(self, d: float) -> Box:
        return Box(self.x0 - d, self.y0 - d, self.x1 + d, self.y1 + d)

    def contains_point(self, p: tuple[float, float]) -> bool:
        """Closed containment (the border counts)."""
        return self.x0 <= p[0] <= self.x1 and self.y0 <= p[1] <= self.y1

    def strictly_contains_point(self, p: tuple[float, float]) -> bool:
        return self.x0 < p[0] < self.x1 and self.y0 < p[1] < self.y1

    def contains_box(self, other: Box) -> bool:
        return self.x0 <= other.x0 and self.y0 <= other.y0 and other.x1 <= self.x1 and other.y1 <= self.y1

    def overlaps(self, other: Box, eps: float = OVERLAP_EPS) -> bool:
        """Positive-area intersection (touching borders do not count)."""
        return (
            min(self.x1, other.x1) - max(self.x0, other.x0) > eps
            and min(self.y1, other.y1) - max(self.y0, other.y0) > eps
        )

    def __str__(self) -> str:
        return f"({self.x0:.2f},{self.y0:.2f})–({self.x1:.2f},{self.y1:.2f})"


def _box(raw: list[float]) -> Box:
    return Box(raw[0], raw[1], raw[2], raw[3])


# --------------------------------------------------------------------------- measurements


@dataclass(frozen=True)
class TextMeasure:
    """One ``<text>`` element as Chromium laid it out."""

    index: int  # document order among all <text> of the diagram
    classes: tuple[str, ...]
    content: str
    box: Box
    block: str | None  # data-block of the enclosing g.sa-block, if any


@dataclass(frozen=True)
class BlockMeasure:
    id: str
    classes: tuple[str, ...]
    shape_tag: str  # rect, circle, ellipse, path, …
    box: Box  # bounding box of the .sa-shape (stroke excluded)
    texts: tuple[TextMeasure, ...]
    outline: tuple[tuple[float, float], ...] = ()  # samples along the .sa-shape's outline, in order


@dataclass(frozen=True)
class GroupMeasure:
    id: str
    box: Box  # the frame (rect.sa-frame)
    outline: tuple[tuple[float, float], ...]  # samples along the frame
    label: TextMeasure | None  # text.sa-group-label


@dataclass(frozen=True)
class EdgeMeasure:
    index: int  # document order among g.sa-edge
    source: str
    target: str
    classes: tuple[str, ...]
    fan: int | None  # index of the enclosing g.sa-fan, if any
    length: float  # total length of the .sa-line path
    points: tuple[tuple[float, float], ...]  # samples along .sa-line, both ends included
    heads: int  # number of path.sa-head
    tips: tuple[tuple[float, float], ...] = ()  # each head's tip (the point at length 0 of path.sa-head)


@dataclass(frozen=True)
class LabelMeasure:
    index: int  # document order among g.sa-label
    text: str
    box: Box  # the pill (rect.sa-pill); the text box when there is no pill
    text_box: Box | None
    edges: tuple[int, ...]  # the label's own edges (all edges of the fan for a fan label)
    fan: int | None


@dataclass(frozen=True)
class Measurement:
    svg_id: str
    view_box: tuple[float, float, float, float]
    blocks: tuple[BlockMeasure, ...]
    edges: tuple[EdgeMeasure, ...]
    labels: tuple[LabelMeasure, ...]
    texts: tuple[TextMeasure, ...]
    fans: int
    groups: tuple[GroupMeasure, ...] = ()
    console_errors: tuple[str, ...] = ()

    def block(self, block_id: str) -> BlockMeasure:
        for b in self.blocks:
            if b.id == block_id:
                return b
        raise KeyError(block_id)


# --------------------------------------------------------------------------- the page side

_MEASURE_JS = r"""
async ([step, outlineStep]) => {
  if (document.fonts && document.fonts.ready) { await document.fonts.ready; }
  const svg = document.querySelector('svg.svgarch');
  if (!svg) { throw new Error('no <svg class="svgarch"> in the page'); }
  const rootInv = svg.getScreenCTM().inverse();
  const toRoot = (el) => rootInv.multiply(el.getScreenCTM());
  const tx = (m, x, y) => { const p = new DOMPoint(x, y).matrixTransform(m); return [p.x, p.y]; };
  const box = (el) => {
    const b = el.getBBox();
    const m = toRoot(el);
    const cs = [tx(m, b.x, b.y), tx(m, b.x + b.width, b.y),
                tx(m, b.x, b.y + b.height), tx(m, b.x + b.width, b.y + b.height)];
    const xs = cs.map((c) => c[0]), ys = cs.map((c) => c[1]);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  };
  const classes = (el) => Array.from(el.classList);
  const sample = (el, every) => {
    const m = toRoot(el), length = el.getTotalLength(), out = [];
    const n = Math.max(1, Math.ceil(length / every));
    for (let k = 0; k <= n; k++) {
      const p = el.getPointAtLength(length * k / n);
      out.push(tx(m, p.x, p.y));
    }
    return out;
  };
  const allTexts = Array.from(svg.querySelectorAll('text'));
  const textIndex = new Map(allTexts.map((t, i) => [t, i]));
  const textOf = (t) => {
    const blk = t.closest('g.sa-block');
    return {index: textIndex.get(t), classes: classes(t), content: t.textContent,
            box: box(t), block: blk ? blk.getAttribute('data-block') : null};
  };
  const fans = Array.from(svg.querySelectorAll('g.sa-fan'));
  const edgesEls = Array.from(svg.querySelectorAll('g.sa-edge'));
  const edgeIndex = new Map(edgesEls.map((e, i) => [e, i]));
  const blocks = Array.from(svg.querySelectorAll('g.sa-block')).map((g) => {
    // an icon drawn alone has no outline, only its unpainted box
    const shape = g.querySelector(':scope > .sa-shape') || g.querySelector('.sa-shape')
      || g.querySelector(':scope > .sa-icon-box');
    if (!shape) { throw new Error('block ' + g.getAttribute('data-block') + ' has no .sa-shape'); }
    return {id: g.getAttribute('data-block'), classes: classes(g), shape_tag: shape.tagName.toLowerCase(),
            box: box(shape), texts: Array.from(g.querySelectorAll('text')).map(textOf),
            outline: sample(shape, outlineStep)};
  });
  const groups = Array.from(svg.querySelectorAll('g.sa-group')).map((g) => {
    const frame = g.querySelector('.sa-frame');
    const label = g.querySelector('text.sa-group-label');
    return {id: g.getAttribute('data-group'), box: box(frame), outline: sample(frame, outlineStep),
            label: label ? textOf(label) : null};
  });
  const edges = edgesEls.map((g, i) => {
    const line = g.querySelector(':scope > .sa-line') || g.querySelector('.sa-line');
    const fan = g.closest('g.sa-fan');
    let points = [], length = 0;
    if (line) {
      length = line.getTotalLength();
      points = sample(line, step);
    }
    const tips = Array.from(g.querySelectorAll('.sa-head')).map((h) => {
      const p = h.getPointAtLength(0);
      return tx(toRoot(h), p.x, p.y);
    });
    return {index: i, source: g.getAttribute('data-from'), target: g.getAttribute('data-to'),
            classes: classes(g), fan: fan ? fans.indexOf(fan) : null, length: length, points: points,
            heads: tips.length, tips: tips, has_line: !!line};
  });
  const labels = Array.from(svg.querySelectorAll('g.sa-label')).map((g, i) => {
    const owner = g.parentElement ? g.parentElement.closest('g.sa-edge, g.sa-fan') : null;
    let own = [], fan = null;
    if (owner && owner.classList.contains('sa-fan')) {
      own = Array.from(owner.querySelectorAll('g.sa-edge')).map((e) => edgeIndex.get(e));
      fan = fans.indexOf(owner);
    } else if (owner) {
      own = [edgeIndex.get(owner)];
      const f = owner.closest('g.sa-fan');
      fan = f ? fans.indexOf(f) : null;
    }
    const pill = g.querySelector('.sa-pill');
    const texts = Array.from(g.querySelectorAll('text'));
    let textBox = null;
    for (const t of texts) {
      const b = box(t);
      textBox = textBox ? [Math.min(textBox[0], b[0]), Math.min(textBox[1], b[1]),
                           Math.max(textBox[2], b[2]), Math.max(textBox[3], b[3])] : b;
    }
    return {index: i, text: texts.map((t) => t.textContent).join('\n'),
            box: pill ? box(pill) : (textBox || box(g)), text_box: textBox, edges: own, fan: fan};
  });
  const vb = svg.viewBox.baseVal;
  return {svg_id: svg.id, view_box: vb ? [vb.x, vb.y, vb.width, vb.height] : [0, 0, 0, 0],
          blocks: blocks, edges: edges, labels: labels, texts: allTexts.map(textOf), fans: fans.length,
          groups: groups};
}
"""

_XML_PROLOGUE = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)


def html_page(svg_text: str) -> str:
    """An HTML page with the SVG inlined (XML prologue and DOCTYPE dropped)."""
    body = _XML_PROLOGUE.sub("", svg_text, count=1)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>svgarch measure</title>"
        "<style>html,body{margin:0;padding:0;background:#fff}</style></head>"
        f"<body>{body}</body></html>"
    )


# One Playwright driver per process, shared by every Chromium: its sync API refuses a second one
# while the first runs (the browser tests of several modules overlap).
_DRIVER: list[Any] = []  # [playwright, users]


def _driver(sync_playwright: Any) -> Any:
    if not _DRIVER:
        _DRIVER.extend([sync_playwright().start(), 0])
    _DRIVER[1] += 1
    return _DRIVER[0]


def _release() -> None:
    _DRIVER[1] -= 1
    if _DRIVER[1] == 0:
        _DRIVER[0].stop()
        _DRIVER.clear()


class Chromium:
    """One headless Chromium (``find_chromium``'s, unless given) for many measurements.

    Use as a context manager, or call ``start()`` / ``close()``.
    """

    def __init__(self, executable: Path | None = None) -> None:
        self.executable = executable
        self._pw: Any = None
        self._browser: Any = None

    def start(self) -> Chromium:
        if self.executable is None:
            self.executable = find_chromium()
        if not self.executable.exists():
            raise BrowserUnavailable(f"{self.executable} not found")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:
            raise BrowserUnavailable(
                f"Playwright's Python package is missing ({exc}): `pip install playwright` "
                "(do not run `playwright install`; the Debian chromium is used)"
            ) from exc
        self._pw = _driver(sync_playwright)
        try:
            self._browser = self._pw.chromium.launch(
                executable_path=str(self.executable), args=list(CHROMIUM_ARGS), headless=True
            )
        except Exception as exc:
            _release()
            self._pw = None
            raise BrowserUnavailable(f"could not launch {self.executable}: {exc}") from exc
        return self

    @property
    def browser(self) -> Any:
        """The Playwright browser, for tests that drive pages themselves."""
        if self._browser is None:
            raise BrowserUnavailable("browser not started")
        return self._browser

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._pw is not None:
            _release()
            self._pw = None

    def __enter__(self) -> Chromium:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def version(self) -> str:
        if self._browser is None:
            raise BrowserUnavailable("browser not started")
        return str(self._browser.version)

    def measure(self, svg: Path | str, step: float = SAMPLE_STEP, outline_step: float = OUTLINE_STEP) -> Measurement:
        """Measure one SVG (a path, or the SVG text itself) in a fresh page."""
        if self._browser is None:
            raise BrowserUnavailable("browser not started")
        svg_text = svg.read_text(encoding="utf-8") if isinstance(svg, Path) else svg
        page = self._browser.new_page(viewport={"width": 1600, "height": 1200})
        errors: list[str] = []
        try:
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.route("**/*", lambda route: route.abort())  # no network, ever
            page.set_content(html_page(svg_text), wait_until="load")
            raw = page.evaluate(_MEASURE_JS, [step, outline_step])
        finally:
            page.close()
        return _measurement(raw, tuple(errors))


def _text(raw: dict[str, Any]) -> TextMeasure:
    return TextMeasure(
        index=int(raw["index"]),
        classes=tuple(raw["classes"]),
        content=str(raw["content"]),
        box=_box(raw["box"]),
        block=raw["block"],
    )


def _points(raw: list[list[float]]) -> tuple[tuple[float, float], ...]:
    return tuple((float(p[0]), float(p[1])) for p in raw)


def _measurement(raw: dict[str, Any], errors: tuple[str, ...]) -> Measurement:
    blocks = tuple(
        BlockMeasure(
            id=str(b["id"]),
            classes=tuple(b["classes"]),
            shape_tag=str(b["shape_tag"]),
            box=_box(b["box"]),
            texts=tuple(_text(t) for t in b["texts"]),
            outline=_points(b["outline"]),
        )
        for b in raw["blocks"]
    )
    groups = tuple(
        GroupMeasure(
            id=str(g["id"]),
            box=_box(g["box"]),
            outline=_points(g["outline"]),
            label=_text(g["label"]) if g["label"] is not None else None,
        )
        for g in raw["groups"]
    )
    edges = tuple(
        EdgeMeasure(
            index=int(e["index"]),
            source=str(e["source"]),
            target=str(e["target"]),
            classes=tuple(e["classes"]),
            fan=e["fan"],
            length=float(e["length"]),
            points=_points(e["points"]),
            heads=int(e["heads"]),
            tips=_points(e["tips"]),
        )
        for e in raw["edges"]
    )
    labels = tuple(
        LabelMeasure(
            index=int(lb["index"]),
            text=str(lb["text"]),
            box=_box(lb["box"]),
            text_box=_box(lb["text_box"]) if lb["text_box"] is not None else None,
            edges=tuple(int(i) for i in lb["edges"]),
            fan=lb["fan"],
        )
        for lb in raw["labels"]
    )
    vb = raw["view_box"]
    return Measurement(
        svg_id=str(raw["svg_id"]),
        view_box=(float(vb[0]), float(vb[1]), float(vb[2]), float(vb[3])),
        blocks=blocks,
        edges=edges,
        labels=labels,
        texts=tuple(_text(t) for t in raw["texts"]),
        fans=int(raw["fans"]),
        groups=groups,
        console_errors=errors,
    )


# --------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class Defect:
    # "edge-through-block", "block-block", "label-block", "label-label", "label-edge", "label-detached",
    # "note-block", "note-edge", "group-label-edge", "group-label-block", "group-label-label", "loose-end",
    # "text-overflow"
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


@dataclass(frozen=True)
class Metrics:
    blocks: int
    edges: int
    labels: int
    edge_through_block: tuple[Defect, ...] = field(default=())  # one per (edge, foreign block) pair
    label_overlap: tuple[Defect, ...] = field(default=())  # one per (label, block|label|edge) pair
    text_overflow: tuple[Defect, ...] = field(default=())  # one per text line sticking out
    block_overlap: tuple[Defect, ...] = field(default=())  # one per pair of blocks whose outlines overlap
    label_detached: tuple[Defect, ...] = field(default=())  # one per label away from its own edge
    note_overlap: tuple[Defect, ...] = field(default=())  # one per (note line, block|edge) pair
    group_label_overlap: tuple[Defect, ...] = field(default=())  # one per (group label, edge|block|label) pair
    loose_end: tuple[Defect, ...] = field(default=())  # one per edge end off its block's outline

    @property
    def defects(self) -> tuple[Defect, ...]:
        return (
            self.edge_through_block
            + self.block_overlap
            + self.label_overlap
            + self.label_detached
            + self.note_overlap
            + self.group_label_overlap
            + self.loose_end
            + self.text_overflow
        )

    def summary(self) -> str:
        head = (
            f"{self.blocks} blocks, {self.edges} edges, {self.labels} labels; "
            f"edges through blocks {len(self.edge_through_block)}, block overlaps {len(self.block_overlap)}, "
            f"label overlaps {len(self.label_overlap)}, labels off their edge {len(self.label_detached)}, "
            f"note overlaps {len(self.note_overlap)}, group labels covered {len(self.group_label_overlap)}, "
            f"edge ends off outlines {len(self.loose_end)}, text overflows {len(self.text_overflow)}"
        )
        return "\n".join([head, *(f"  {d}" for d in self.defects)])


def _edge_name(e: EdgeMeasure) -> str:
    return f"edge #{e.index} {e.source}→{e.target}"


def edges_through_blocks(m: Measurement) -> list[Defect]:
    """Edges with a sample strictly inside a block (box shrunk by 1 px) that is not their source or target."""
    out: list[Defect] = []
    for e in m.edges:
        for b in m.blocks:
            if b.id in (e.source, e.target):
                continue
            inner = b.box.grow(-EDGE_BLOCK_SHRINK)
            hits = [p for p in e.points if inner.strictly_contains_point(p)]
            if hits:
                xs = [p[0] for p in hits]
                ys = [p[1] for p in hits]
                out.append(Defect(
                    "edge-through-block",
                    f"{_edge_name(e)} enters block {b.id!r} {b.box}: {len(hits)} samples inside, "
                    f"first ({hits[0][0]:.2f},{hits[0][1]:.2f}), span x {min(xs):.2f}..{max(xs):.2f} "
                    f"y {min(ys):.2f}..{max(ys):.2f}",
                ))
    return out


def label_overlaps(m: Measurement) -> list[Defect]:
    """Label pills overlapping a block, another label, or an edge that is not the label's own."""
    out: list[Defect] = []
    for lb in m.labels:
        name = f"label #{lb.index} {lb.text!r} {lb.box}"
        for b in m.blocks:
            if lb.box.overlaps(b.box):
                out.append(Defect("label-block", f"{name} overlaps block {b.id!r} {b.box}"))
        for other in m.labels:
            if other.index > lb.index and lb.box.overlaps(other.box):
                out.append(Defect("label-label", f"{name} overlaps label #{other.index} {other.text!r} {other.box}"))
        for e in m.edges:
            if e.index in lb.edges:
                continue
            hits = [p for p in e.points if lb.box.contains_point(p)]
            if hits:
                out.append(Defect(
                    "label-edge",
                    f"{name} lies on foreign {_edge_name(e)}: {len(hits)} samples inside, "
                    f"first ({hits[0][0]:.2f},{hits[0][1]:.2f})",
                ))
    return out


def text_overflows(m: Measurement) -> list[Defect]:
    """Text lines of a block whose box is not inside the block's shape box (0.5 px tolerance)."""
    out: list[Defect] = []
    for b in m.blocks:
        room = b.box.grow(TEXT_TOLERANCE)
        for t in b.texts:
            if not room.contains_box(t.box):
                over = max(room.x0 - t.box.x0, room.y0 - t.box.y0, t.box.x1 - room.x1, t.box.y1 - room.y1)
                out.append(Defect(
                    "text-overflow",
                    f"block {b.id!r} ({b.shape_tag}) {b.box}: text {t.content!r} {t.box} sticks out by "
                    f"{over + TEXT_TOLERANCE:.2f} px",
                ))
    return out


Points = tuple[tuple[float, float], ...]


def _segment_distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = dx * dx + dy * dy
    t = 0.0 if n == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / n))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def _polyline_distance(p: tuple[float, float], points: Points) -> float:
    if len(points) == 1:
        return math.dist(p, points[0])
    return min(_segment_distance(p, a, b) for a, b in itertools.pairwise(points))


def _inside(p: tuple[float, float], polygon: Points) -> bool:
    """Even-odd rule on the outline's samples (a closed outline: its last sample is its first)."""
    x, y = p
    inside = False
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1], strict=False):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _depth(p: tuple[float, float], polygon: Points) -> float:
    """Signed distance from ``p`` to an outline: positive inside, negative outside."""
    d = _polyline_distance(p, polygon)
    return d if _inside(p, polygon) else -d


def _box_polyline_distance(box: Box, points: Points) -> float:
    """Distance from a box to a densely sampled path (0 when a sample lies in the box)."""
    if any(box.contains_point(p) for p in points):
        return 0.0
    corners = ((box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1))
    best = min(
        math.hypot(max(box.x0 - p[0], 0.0, p[0] - box.x1), max(box.y0 - p[1], 0.0, p[1] - box.y1)) for p in points
    )
    return min(best, *(_polyline_distance(c, points) for c in corners))


def _shape_in_box(b: BlockMeasure, box: Box) -> bool:
    """Whether a block's drawn shape reaches into ``box`` (shrunk by SHAPE_DEPTH)."""
    inner = box.grow(-SHAPE_DEPTH)
    if not b.box.overlaps(inner):
        return False
    centre = ((inner.x0 + inner.x1) / 2, (inner.y0 + inner.y1) / 2)
    return any(inner.strictly_contains_point(p) for p in b.outline) or _depth(centre, b.outline) > SHAPE_DEPTH


def _inside_deep(points: Points, b: BlockMeasure) -> list[tuple[float, float]]:
    """The samples lying more than SHAPE_DEPTH inside block ``b``'s outline."""
    inner = b.box.grow(-SHAPE_DEPTH)
    return [p for p in points if inner.strictly_contains_point(p) and _depth(p, b.outline) > SHAPE_DEPTH]


def block_overlaps(m: Measurement) -> list[Defect]:
    """Pairs of blocks where an outline sample of one lies more than 1 px inside the other's outline."""
    out: list[Defect] = []
    for i, a in enumerate(m.blocks):
        for b in m.blocks[i + 1 :]:
            if not a.box.overlaps(b.box, SHAPE_DEPTH):
                continue
            deep = _inside_deep(a.outline, b) or _inside_deep(b.outline, a)
            if deep:
                out.append(Defect(
                    "block-block",
                    f"block {a.id!r} ({a.shape_tag}) {a.box} overlaps block {b.id!r} ({b.shape_tag}) {b.box}, "
                    f"e.g. at ({deep[0][0]:.2f},{deep[0][1]:.2f})",
                ))
    return out


def detached_labels(m: Measurement) -> list[Defect]:
    """Label pills farther from every one of their own edges than half their height."""
    out: list[Defect] = []
    for lb in m.labels:
        own = [e for e in m.edges if e.index in lb.edges and e.points]
        if not own:
            continue
        gap, e = min(((_box_polyline_distance(lb.box, e.points), e) for e in own), key=lambda t: t[0])
        if gap > LABEL_REACH * lb.box.height:
            out.append(Defect("label-detached", f"label #{lb.index} {lb.text!r} {lb.box} is {gap:.2f} px from "
                                                f"its {_edge_name(e)}"))
    return out


def note_overlaps(m: Measurement) -> list[Defect]:
    """Note lines (text.sa-note, drawn without a background) on a block's shape or an edge."""
    out: list[Defect] = []
    for t in m.texts:
        if "sa-note" not in t.classes:
            continue
        name = f"note {t.content!r} {t.box}"
        for b in m.blocks:
            if _shape_in_box(b, t.box):
                out.append(Defect("note-block", f"{name} overlaps block {b.id!r} {b.box}"))
        inner = t.box.grow(-EDGE_BLOCK_SHRINK)
        for e in m.edges:
            if any(inner.strictly_contains_point(p) for p in e.points + e.tips):
                out.append(Defect("note-edge", f"{name} lies on {_edge_name(e)}"))
    return out


def group_label_overlaps(m: Measurement) -> list[Defect]:
    """Group labels (a frame's title) under an edge, a block or an edge label; frames themselves may be crossed."""
    out: list[Defect] = []
    for g in m.groups:
        if g.label is None:
            continue
        name = f"group {g.id!r} label {g.label.content!r} {g.label.box}"
        inner = g.label.box.grow(-EDGE_BLOCK_SHRINK)
        for e in m.edges:
            hits = [p for p in e.points + e.tips if inner.strictly_contains_point(p)]
            if hits:
                out.append(Defect("group-label-edge", f"{_edge_name(e)} crosses {name} at "
                                                      f"({hits[0][0]:.2f},{hits[0][1]:.2f})"))
        for b in m.blocks:
            if _shape_in_box(b, g.label.box):
                out.append(Defect("group-label-block", f"block {b.id!r} {b.box} overlaps {name}"))
        for lb in m.labels:
            if lb.box.overlaps(inner):
                out.append(Defect("group-label-label", f"label #{lb.index} {lb.text!r} {lb.box} overlaps {name}"))
    return out


def loose_ends(m: Measurement) -> list[Defect]:
    """Edge ends (a head's tip, or the line's end where there is no head) more than 1.5 px off their
    block's (or group frame's) sampled outline."""
    outlines = {b.id: (f"block {b.id!r} ({b.shape_tag})", b.outline) for b in m.blocks}
    outlines.update({g.id: (f"group {g.id!r} frame", g.outline) for g in m.groups})
    out: list[Defect] = []
    for e in m.edges:
        if not e.points:
            continue
        ends = {"start": ("line", e.points[0], e.source), "end": ("line", e.points[-1], e.target)}
        for tip in e.tips:
            at = "end" if math.dist(tip, e.points[-1]) <= math.dist(tip, e.points[0]) else "start"
            ends[at] = ("head tip", tip, ends[at][2])
        for which, (part, p, owner) in ends.items():
            if owner not in outlines or not outlines[owner][1]:
                continue
            name, outline = outlines[owner]
            depth = _depth(p, outline)
            if abs(depth) > END_TOLERANCE:
                where = "inside" if depth > 0 else "outside"
                out.append(Defect("loose-end", f"{_edge_name(e)}: its {which} ({part}, ({p[0]:.2f},{p[1]:.2f})) is "
                                               f"{abs(depth):.2f} px {where} {name}"))
    return out


def metrics(m: Measurement) -> Metrics:
    return Metrics(
        blocks=len(m.blocks),
        edges=len(m.edges),
        labels=len(m.labels),
        edge_through_block=tuple(edges_through_blocks(m)),
        label_overlap=tuple(label_overlaps(m)),
        text_overflow=tuple(text_overflows(m)),
        block_overlap=tuple(block_overlaps(m)),
        label_detached=tuple(detached_labels(m)),
        note_overlap=tuple(note_overlaps(m)),
        group_label_overlap=tuple(group_label_overlaps(m)),
        loose_end=tuple(loose_ends(m)),
    )


def min_gap(a: Box, b: Box) -> float:
    """Distance between two boxes (0 when they touch or overlap); handy when reporting near misses."""
    dx = max(b.x0 - a.x1, a.x0 - b.x1, 0.0)
    dy = max(b.y0 - a.y1, a.y0 - b.y1, 0.0)
    return math.hypot(dx, dy)
