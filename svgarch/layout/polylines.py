"""Polylines measured along their length: points and stretches at a distance along, nearest points,
samples, where a line meets a polyline, a corner rounded in place, and grids of segments
(``Nearby``, cells). Used by ``bundles`` and ``rails``.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Iterator, Sequence

from svgarch.geometry import Point, new

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    V = TypeVar("V")

Line = list[Point]

CORNER = 6.0  # px: the radius of a slant's corners


def rounded_at(line: Line, k: int) -> Line:
    """``line`` with its corner at point ``k`` rounded: a quadratic curve inside the corner's triangle."""
    if not 0 < k < len(line) - 1:
        return line
    a, b, c = line[k - 1], line[k], line[k + 1]
    r = min(CORNER, math.dist(a, b) / 2, math.dist(b, c) / 2)
    if r < 0.5:
        return line
    p, q = b + (a - b).unit().scale(r), b + (c - b).unit().scale(r)
    curve = []
    for i in range(7):
        t = i / 6
        u = 1 - t
        curve.append(Point(u * u * p.x + 2 * u * t * b.x + t * t * q.x, u * u * p.y + 2 * u * t * b.y + t * t * q.y))
    return [*line[:k], *curve, *line[k + 1 :]]


def simple(points: Sequence[Point]) -> Line:
    """The polyline without repeated points, and without middle points on a line with their neighbours."""
    out: Line = []
    for p in points:
        if not out or math.dist(p, out[-1]) > 1e-6:
            out.append(p)
    i = 1
    while i < len(out) - 1:
        a, b, c = out[i - 1], out[i], out[i + 1]
        span = math.dist(a, c)
        if span > 1e-9 and abs((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)) / span < 0.05:
            del out[i]
        else:
            i += 1
    return out


def cumulative(line: Line) -> list[float]:
    out = [0.0]
    for a, b in itertools.pairwise(line):
        out.append(out[-1] + math.dist(a, b))
    return out


def at(line: Line, cum: list[float], t: float) -> Point:
    """The point ``t`` px along ``line``."""
    t = min(max(t, 0.0), cum[-1])
    if len(line) < 2:
        return line[-1]
    # the first point from the second on as far along as t (else the last): ``cum`` never falls (a NaN finds none)
    i = bisect.bisect_left(cum, t, 1, len(line) - 1) if t == t else len(line) - 1
    span = cum[i] - cum[i - 1]
    k = 0.0 if span <= 0 else (t - cum[i - 1]) / span
    a, b = line[i - 1], line[i]
    return new(Point, (a.x + (b.x - a.x) * k, a.y + (b.y - a.y) * k))


def part(line: Line, cum: list[float], t0: float, t1: float, step: float = 0.0) -> Line:
    """The stretch of ``line`` from ``t0`` to ``t1`` px along it (every ``step`` px, if given)."""
    if t1 < t0:
        return []
    inner = [p for p, c in zip(line, cum, strict=True) if t0 < c < t1]
    if step:
        inner = [at(line, cum, t0 + step * k) for k in range(1, math.ceil((t1 - t0) / step))]
    return [at(line, cum, t0), *inner, at(line, cum, t1)]


def project(line: Line, cum: list[float], p: Point) -> float:
    """How far along ``line`` its point nearest ``p`` lies."""
    best, at = math.inf, 0.0
    for i, (a, b) in enumerate(itertools.pairwise(line)):
        d, k = foot(p, a, b)
        if d < best:
            best, at = d, cum[i] + k * (cum[i + 1] - cum[i])
    return at


def nearest(line: Line, p: Point) -> Point:
    best, out = math.inf, line[0]
    px, py = p
    hypot = math.hypot
    for (ax, ay), (bx, by) in itertools.pairwise(line):  # foot, inline
        dx, dy = bx - ax, by - ay
        n = dx * dx + dy * dy
        if n == 0:
            k = 0.0
        else:
            k = ((px - ax) * dx + (py - ay) * dy) / n
            k = 0.0 if k <= 0.0 else (1.0 if k >= 1.0 else k)
        d = hypot(px - ax - k * dx, py - ay - k * dy)
        if d < best:
            best, out = d, new(Point, (ax + dx * k, ay + dy * k))
    return out


def distance_to(line: Line, p: Point) -> float:
    return min((foot(p, a, b)[0] for a, b in itertools.pairwise(line)), default=math.inf)


def foot(p: Point, a: Point, b: Point) -> tuple[float, float]:
    """The distance from ``p`` to segment ``a``-``b``, and where along it (0 to 1) the nearest point lies."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    n = dx * dx + dy * dy
    if n == 0:
        k = 0.0
    else:  # clamped to 0..1 (as max(0.0, min(1.0, k)) does, to the bit)
        k = ((px - ax) * dx + (py - ay) * dy) / n
        k = 0.0 if k <= 0.0 else (1.0 if k >= 1.0 else k)
    return math.hypot(px - ax - k * dx, py - ay - k * dy), k


def distance(p: Point, a: Point, b: Point) -> float:
    return foot(p, a, b)[0]


def samples(line: Line, step: float) -> Iterator[Point]:
    """Points every ``step`` px along ``line``, its start first."""
    return (new(Point, xy) for xy in sample_xy(line, step))


def sample_xy(line: Line, step: float) -> list[tuple[float, float]]:
    """``samples`` as plain (x, y) pairs, all at once (for the hot loops that read them many times)."""
    out = [(line[0][0], line[0][1])]
    carry = 0.0
    dist = math.dist
    for a, b in itertools.pairwise(line):
        length = dist(a, b)
        ax, ay = a
        dx, dy = b[0] - ax, b[1] - ay
        t = step - carry
        while t <= length:
            out.append((ax + dx * t / length, ay + dy * t / length))
            t += step
        carry = length - (t - step)
    return out


def meets(a: Point, b: Point, line: Line, near: Point) -> Point | None:
    """Where the straight line through ``a`` and ``b``, carried on past ``b``, meets the segment of
    ``line`` nearest ``near`` (None: parallel, or the meeting lies behind ``a`` or off that segment)."""
    best, seg = math.inf, (line[0], line[-1])
    for c, d in itertools.pairwise(line):
        dist = foot(near, c, d)[0]
        if dist < best:
            best, seg = dist, (c, d)
    c, d = seg
    rx, ry, sx, sy = b.x - a.x, b.y - a.y, d.x - c.x, d.y - c.y
    cross = rx * sy - ry * sx
    if abs(cross) < 1e-9:
        return None
    u = ((c.x - a.x) * sy - (c.y - a.y) * sx) / cross  # along a→b
    v = ((c.x - a.x) * ry - (c.y - a.y) * rx) / cross  # along c→d
    if u <= 0 or not -1e-9 <= v <= 1 + 1e-9:
        return None
    return Point(a.x + rx * u, a.y + ry * u)


def angle(a: Point, b: Point, c: Point, d: Point) -> float:
    """The angle between segments ``a``-``b`` and ``c``-``d``, in degrees from 0 (parallel) to 90."""
    h = abs(math.atan2(b.y - a.y, b.x - a.x) - math.atan2(d.y - c.y, d.x - c.x)) % math.pi
    return math.degrees(min(h, math.pi - h))


NEAR_CELL = 16.0  # px, the cell of a ``Nearby`` index


class Nearby:
    """A polyline's segments filed by grid cell, so that its distance from a point is found quickly
    wherever it is at most ``reach`` px (farther: some distance over ``reach``, or infinity)."""

    def __init__(self, line: Line, reach: float, box: tuple[float, float, float, float] | None = None) -> None:
        """``box`` (x0, y0, x1, y1): only points inside it will be asked about, so the segments that lie
        farther than ``reach`` from it are not filed (the distances asked for, within reach, are the same)."""
        # each segment as its start, its run and its squared length: x, y, dx, dy, dx² + dy²
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float, float]]] = {}
        grow = reach + NEAR_CELL / 2  # a point within reach of a segment is this near one of its samples
        floor = math.floor
        bx0, by0, bx1, by1 = box or (-math.inf, -math.inf, math.inf, math.inf)
        far = reach + 1.0
        for a, b in itertools.pairwise(line):
            sx0, sy0, sx1, sy1 = grown(a, b, far)
            if sx0 > bx1 or sx1 < bx0 or sy0 > by1 or sy1 < by0:
                continue
            dx, dy = b.x - a.x, b.y - a.y
            segment = (a.x, a.y, dx, dy, dx * dx + dy * dy)
            if dx == 0 or dy == 0 or max(abs(dx), abs(dy)) <= NEAR_CELL:
                # square or short: every cell of its box grown by ``grow`` (the cells its samples file it in,
                # and perhaps a few more where it lies farther than reach from every point: never nearest then)
                x0, x1 = floor((min(a.x, b.x) - grow) / NEAR_CELL), floor((max(a.x, b.x) + grow) / NEAR_CELL)
                y0, y1 = floor((min(a.y, b.y) - grow) / NEAR_CELL), floor((max(a.y, b.y) + grow) / NEAR_CELL)
                for cx in range(x0, x1 + 1):
                    for cy in range(y0, y1 + 1):
                        self.cells.setdefault((cx, cy), []).append(segment)
                continue
            steps = max(1, math.ceil(math.dist(a, b) / NEAR_CELL))
            filed: set[tuple[int, int]] = set()
            for k in range(steps + 1):
                x, y = a.x + dx * k / steps, a.y + dy * k / steps
                for cx in range(floor((x - grow) / NEAR_CELL), floor((x + grow) / NEAR_CELL) + 1):
                    for cy in range(floor((y - grow) / NEAR_CELL), floor((y + grow) / NEAR_CELL) + 1):
                        if (cx, cy) not in filed:
                            filed.add((cx, cy))
                            self.cells.setdefault((cx, cy), []).append(segment)

    def distance(self, p: Point) -> float:
        return self.distance_xy(p.x, p.y)

    def distance_xy(self, x: float, y: float) -> float:
        """``distance`` from the point (``x``, ``y``), as ``foot`` measures it."""
        best = math.inf
        for ax, ay, dx, dy, n in self.cells.get((math.floor(x / NEAR_CELL), math.floor(y / NEAR_CELL)), ()):
            d = segment_distance(x, y, ax, ay, dx, dy, n)
            if d < best:
                best = d
        return best

    def within(self, x: float, y: float, lo: float, reach: float) -> bool:
        """Whether ``lo <= self.distance_xy(x, y) <= reach``, told without the other segments once one
        settles it (one nearer than ``lo``; with ``lo`` <= 0, one within ``reach``)."""
        best = math.inf
        hypot = math.hypot
        for ax, ay, dx, dy, n in self.cells.get((math.floor(x / NEAR_CELL), math.floor(y / NEAR_CELL)), ()):
            if n == 0:  # segment_distance, inline
                k = 0.0
            else:
                k = ((x - ax) * dx + (y - ay) * dy) / n
                k = 0.0 if k <= 0.0 else (1.0 if k >= 1.0 else k)
            d = hypot(x - ax - k * dx, y - ay - k * dy)
            if d < lo:
                return False
            if d < best:
                if d <= reach and lo <= 0.0:
                    return True
                best = d
        return lo <= best <= reach


def segment_distance(x: float, y: float, ax: float, ay: float, dx: float, dy: float, n: float) -> float:
    """``foot``'s distance from (``x``, ``y``) to the segment from (``ax``, ``ay``) run (``dx``, ``dy``),
    ``n`` its squared length: the same arithmetic, so the same value to the bit."""
    if n == 0:
        k = 0.0
    else:
        k = ((x - ax) * dx + (y - ay) * dy) / n
        k = 0.0 if k <= 0.0 else (1.0 if k >= 1.0 else k)
    return math.hypot(x - ax - k * dx, y - ay - k * dy)


CellRun = tuple[tuple[int, int], int, int, float, float, float, float]


def cell_runs(samples: Sequence[tuple[float, float]], size: float) -> list[CellRun]:
    """The samples in runs within one cell of ``size`` px: the cell, the first sample and the one after the
    last, and the run's box (x0, y0, x1, y1)."""
    floor = math.floor
    out = []
    k = 0
    while k < len(samples):
        x0, y0 = x1, y1 = samples[k]
        cell = (floor(x0 / size), floor(y0 / size))
        j = k + 1
        while j < len(samples):
            x, y = samples[j]
            if (floor(x / size), floor(y / size)) != cell:
                break
            x0, x1 = (x if x < x0 else x0), (x if x > x1 else x1)
            y0, y1 = (y if y < y0 else y0), (y if y > y1 else y1)
            j += 1
        out.append((cell, k, j, x0, y0, x1, y1))
        k = j
    return out


def kept_for(store: dict[int, tuple[object, V]], thing: object, make: Callable[[], V], most: int) -> V:
    """What ``make`` gives for ``thing``, kept in ``store`` by its identity (with ``thing``, so a new object
    at a reused address is not taken for it) until ``store`` holds ``most`` things, when all are forgotten:
    for values read, never changed, by those that take them."""
    kept = store.get(id(thing))
    if kept is None or kept[0] is not thing:
        if len(store) >= most:
            store.clear()
        kept = store[id(thing)] = (thing, make())
    return kept[1]


CELL = 32.0  # px, the cell of a grid of segments


def cell_of(p: Point) -> tuple[int, int]:
    """The grid cell holding ``p``."""
    return math.floor(p.x / CELL), math.floor(p.y / CELL)


def grown(a: Point, b: Point, by: float) -> tuple[float, float, float, float]:
    """The box of segment ``a``-``b`` grown by ``by`` px each way: x0, y0, x1, y1."""
    return min(a.x, b.x) - by, min(a.y, b.y) - by, max(a.x, b.x) + by, max(a.y, b.y) + by


def cells_of(a: Point, b: Point, grow: float) -> Iterator[tuple[int, int]]:
    """The grid cells the box of segment ``a``-``b``, grown by ``grow`` px, covers (a diagonal across a
    huge drawing: its ends' cells)."""
    x0, y0, x1, y1 = (math.floor(v / CELL) for v in grown(a, b, grow))
    if (x1 - x0 + 1) * (y1 - y0 + 1) > 4096:
        yield x0, y0
        yield x1, y1
        return
    for cx in range(x0, x1 + 1):
        for cy in range(y0, y1 + 1):
            yield cx, cy
