"""Arrow heads, probed in the pixels cairosvg draws: each tip points into its target.

The probe does not read the head polygons. It takes each edge's drawn line,
follows its final direction into the target block, and measures how wide the
arrow colour is across that direction at a few distances before the block:
a head is narrow at the tip (next to the block) and wide at its base, and
wider there than the line behind it.
"""

from __future__ import annotations

import math
import struct
import zlib

import pytest

import svgarch
from svgarch.geometry import Box, Point
from svgarch.layout.paths import end_direction, reverse
from svgarch.pipeline import build_scene
from svgarch.scene import Scene, SceneEdge
from svgarch.theme import Theme
from tests import pngread

DPI = 180.0
SCALE = DPI / 96  # pixels per user unit


def hex_rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


class Probe:
    """Coverage of one paint colour over the background, sampled in user units."""

    def __init__(self, image: pngread.Image, paint: tuple[int, int, int], background: tuple[int, int, int]) -> None:
        self.image = image
        self.paint = paint
        self.bg = background
        self.span = sum((p - b) ** 2 for p, b in zip(paint, background, strict=True))

    def coverage(self, p: Point) -> float:
        """0 where the pixel is background, 1 where it is the paint colour."""
        x, y = math.floor(p.x * SCALE), math.floor(p.y * SCALE)
        if not (0 <= x < self.image.width and 0 <= y < self.image.height):
            return 0.0
        r, g, b, _ = self.image.pixel(x, y)
        dot = sum((c - bc) * (pc - bc) for c, bc, pc in zip((r, g, b), self.bg, self.paint, strict=True))
        return min(1.0, max(0.0, dot / self.span))

    def width_across(self, centre: Point, axis: Point, reach: float, avoid: Box) -> float:
        """Painted width (user units) along the line through ``centre`` perpendicular to ``axis``."""
        normal = Point(-axis.y, axis.x)
        step = 0.125
        total = 0.0
        for i in range(-int(reach / step), int(reach / step) + 1):
            q = centre + normal.scale(i * step)
            if not avoid.contains(q):
                total += self.coverage(q) * step
        return total


def entry_point(start: Point, direction: Point, box: Box, limit: float = 40.0) -> Point | None:
    """Where a ray from ``start`` along ``direction`` first enters ``box``'s interior."""
    step = 0.05
    for i in range(int(limit / step)):
        q = start + direction.scale(i * step)
        if box.contains(q):
            return q
    return None


def probe_edges(d: svgarch.Diagram) -> tuple[Scene, Theme, Probe]:
    scene, theme = build_scene(d.model)
    image = pngread.decode(d.to_png(dpi=DPI))
    # the canvas is the scene grown right and down to whole multiples of 24 px (render/css.py canvas())
    assert 0 <= image.width - scene.width * SCALE <= 24 * SCALE
    assert 0 <= image.height - scene.height * SCALE <= 24 * SCALE
    probe = Probe(image, hex_rgb(theme.resolve("var(--sa-arrow)")), hex_rgb(theme.resolve("var(--sa-bg)")))
    return scene, theme, probe


def head_profile(scene: Scene, theme: Theme, probe: Probe, edge: SceneEdge) -> dict[float, float]:
    """Painted width across the edge's final direction at distances before the target box."""
    target = next(b.box for b in scene.blocks if b.id == edge.target)
    u = end_direction(edge.path)
    entry = entry_point(edge.path.end, u, target)
    assert entry is not None, f"{edge.source}→{edge.target}: the line's end does not point into its target"
    length = theme.length("--sa-head-length")
    reach = theme.length("--sa-head-width")
    avoid = target.inflate(1.0)  # the block's own outline is not the head
    return {
        s: probe.width_across(entry - u.scale(s), u, reach, avoid)
        for s in (1.5, 0.3 * length, 0.5 * length, 0.7 * length, length + 4)
    }


def assert_points_into_target(scene: Scene, theme: Theme, probe: Probe, edge: SceneEdge) -> None:
    profile = head_profile(scene, theme, probe, edge)
    tip, near, mid, base, behind = profile.values()
    name = f"{edge.source}→{edge.target}: {profile}"
    assert tip > 0.3, f"no head at the target box: {name}"
    assert tip < near < mid < base, f"the head does not narrow toward the target: {name}"
    line_width = theme.length("--sa-edge-width")
    assert base > 2 * line_width, f"nothing wider than the line near the target: {name}"
    assert behind < base, f"the widest part is not next to the target: {name}"


DIRECTIONS = {"down": ("c", "s"), "up": ("c", "n"), "left": ("c", "w"), "right": ("c", "e"), "bend": ("p", "q")}


@pytest.fixture(scope="module")
def compass() -> tuple[Scene, Theme, Probe]:
    d = svgarch.Diagram()
    d.block("n", row=0, col=1).block("w", row=1, col=0).block("c", "centre", row=1, col=1)
    d.block("e", row=1, col=2).block("s", row=2, col=1)
    d.block("p", row=3, col=0).block("q", row=3, col=2)
    for a, b in DIRECTIONS.values():
        d.edge(a, b, bend=0.3 if a == "p" else 0.0)
    return probe_edges(d)


@pytest.mark.parametrize("name", list(DIRECTIONS))
def test_each_head_points_into_its_target(compass: tuple[Scene, Theme, Probe], name: str) -> None:
    scene, theme, probe = compass
    source, target = DIRECTIONS[name]
    (edge,) = [e for e in scene.all_edges() if (e.source, e.target) == (source, target)]
    assert len(edge.heads) == 1
    if name == "bend":  # really drawn as a curve, arriving at an angle
        u = end_direction(edge.path)
        assert min(abs(u.x), abs(u.y)) > 0.1, u
    assert_points_into_target(scene, theme, probe, edge)


def test_a_start_head_points_into_the_source() -> None:
    d = svgarch.Diagram().block("a", row=0, col=0).block("b", row=1, col=0)
    d.edge("a", "b", arrow="start")
    scene, theme, probe = probe_edges(d)
    (edge,) = scene.all_edges()
    backwards = SceneEdge(edge.target, edge.source, edge.kind, reverse(edge.path), edge.heads, None, "")
    assert_points_into_target(scene, theme, probe, backwards)


def test_a_head_on_an_explicit_side_points_into_that_side() -> None:
    d = svgarch.Diagram().block("c", row=0, col=0).block("x", row=1, col=0)
    d.edge("x", "c", from_side="left", to_side="left")
    scene, theme, probe = probe_edges(d)
    (edge,) = scene.all_edges()
    assert end_direction(edge.path) == Point(1, 0)
    assert_points_into_target(scene, theme, probe, edge)


def test_heads_on_one_side_of_a_block_do_not_overlap() -> None:
    d = svgarch.Diagram().block("a", row=0, col=0).block("b", row=0, col=1)
    d.edge("a", "a", from_side="right").edge("a", "b", arrow="both")
    scene, theme = build_scene(d.model)
    a = next(b.box for b in scene.blocks if b.id == "a")
    tips = [h[0] for e in scene.all_edges() for h in e.heads if abs(h[0].x - a.right) < 0.5]
    assert len(tips) == 2
    assert abs(tips[0].y - tips[1].y) >= theme.length("--sa-head-width")


# --- the decoder the probe relies on --------------------------------------------------


def _encode(rows: list[bytes], width: int, channels: int, filters: list[int]) -> bytes:
    """A PNG whose scanlines use the given filter types (the reference filters of the spec)."""
    bpp = channels
    raw = b""
    prev = bytes(len(rows[0]))
    for row, kind in zip(rows, filters, strict=True):
        out = bytearray()
        for i, x in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 0:
                pred = 0
            elif kind == 1:
                pred = a
            elif kind == 2:
                pred = b
            elif kind == 3:
                pred = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            out.append((x - pred) & 0xFF)
        raw += bytes([kind]) + bytes(out)
        prev = row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    colour = {3: 2, 4: 6}[channels]
    ihdr = struct.pack(">IIBBBBB", width, len(rows), 8, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("channels", [3, 4])
def test_pngread_undoes_every_filter_type(channels: int) -> None:
    width = 7
    rows = [bytes((x * 37 + y * 91 + c * 13) % 256 for x in range(width) for c in range(channels)) for y in range(6)]
    image = pngread.decode(_encode(rows, width, channels, [0, 1, 2, 3, 4, 4]))
    assert (image.width, image.height, image.channels) == (width, 6, channels)
    assert list(image.rows) == rows
    assert image.pixel(1, 2)[:3] == tuple(rows[2][channels : channels + 3])
    if channels == 3:
        assert image.pixel(0, 0)[3] == 255


def test_pngread_rejects_a_corrupt_file() -> None:
    good = _encode([bytes(3)], 1, 3, [0])
    with pytest.raises(ValueError, match="not a PNG"):
        pngread.decode(b"GIF89a" + good[6:])
    broken = bytearray(good)
    broken[20] ^= 0xFF  # inside IHDR
    with pytest.raises(ValueError, match="bad CRC"):
        pngread.decode(bytes(broken))
