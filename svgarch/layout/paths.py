"""Edge path shapes: straight, arc (matplotlib's arc3), rounded orthogonal,
smooth polyline; arrow heads as polygons; trimming a path under its head.

Only lines and cubic Béziers are emitted: markers and tangents on quadratic
segments disagree between renderers, so heads are drawn here as polygons.

Pre: points in px. Post: ``ScenePath``s of ``Line`` and ``Cubic`` segments only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from svgarch.geometry import Point, cubic_point, cubic_split, new
from svgarch.scene import Cubic, Line, ScenePath, Segment


def straight(a: Point, b: Point) -> ScenePath:
    return ScenePath(a, (Line(b),))


def arc(a: Point, b: Point, bend: float) -> ScenePath:
    """matplotlib's ``arc3,rad=bend`` in y-down coordinates, as one cubic.

    matplotlib puts the quadratic control point at ``mid + rad * (dy, -dx)``
    with y up; flipping y gives ``mid + rad * (-dy, dx)`` here.
    """
    mid = Point((a.x + b.x) / 2, (a.y + b.y) / 2)
    dx, dy = b.x - a.x, b.y - a.y
    c = Point(mid.x - bend * dy, mid.y + bend * dx)
    return ScenePath(a, (Cubic(a + (c - a).scale(2 / 3), b + (c - b).scale(2 / 3), b),))


def rounded(points: Sequence[Point], radius: float) -> ScenePath:
    """A polyline whose corners are rounded with quarter-circle-like cubics."""
    pts = _dedupe(points)
    if len(pts) < 3:
        return ScenePath(pts[0], (Line(pts[-1]),))
    segments: list[Segment] = []
    cur = pts[0]
    kappa = 0.5523  # cubic approximation of a quarter circle
    for i in range(1, len(pts) - 1):
        p, q, r = pts[i - 1], pts[i], pts[i + 1]
        d_in, d_out = (q - p).length(), (r - q).length()
        rad = min(radius, d_in / 2, d_out / 2)
        u_in, u_out = (q - p).unit(), (r - q).unit()
        start = q - u_in.scale(rad)
        end = q + u_out.scale(rad)
        if (start - cur).length() > 1e-6:
            segments.append(Line(start))
        segments.append(Cubic(start + u_in.scale(rad * kappa), end - u_out.scale(rad * kappa), end))
        cur = end
    segments.append(Line(pts[-1]))
    return ScenePath(pts[0], tuple(segments))


def smooth(points: Sequence[Point]) -> ScenePath:
    """A smooth curve through the ends that uses inner points as guides.

    Each inner corner becomes the control of a curve between the midpoints of
    its two legs (a quadratic B-spline, written as cubics), so the curve
    stays inside the corridor the polyline runs through.
    """
    pts = _dedupe(points)
    if len(pts) < 3:
        return ScenePath(pts[0], (Line(pts[-1]),))
    segments: list[Segment] = []
    mids = [Point((pts[i].x + pts[i + 1].x) / 2, (pts[i].y + pts[i + 1].y) / 2) for i in range(len(pts) - 1)]
    mids[0], mids[-1] = pts[0], pts[-1]
    cur = mids[0]
    for i in range(1, len(pts) - 1):
        c, end = pts[i], mids[i]
        segments.append(Cubic(cur + (c - cur).scale(2 / 3), end + (c - end).scale(2 / 3), end))
        cur = end
    return ScenePath(pts[0], tuple(segments))


STEEP = 5.0  # an S-curve is steep when it moves this many times further across the flow than along it
CLIMB = 1.5  # px off its end's axis a line may end under its head, which else points from there to the tip
MOST_TILT = math.pi / 4  # ... turning at most this far off that axis (a head grazing its block's side reads as passing)


def gated(runs: Sequence[tuple[Point, Point]], flow: Point, stub: float = 0.0, steep: float = 0.0) -> ScenePath:
    """Straight runs along ``flow`` joined by S-curves that leave and arrive
    along ``flow`` too: how an edge crosses the layers of an automatic layout
    (each run is the stretch through one layer band, at its reserved place).
    With a ``stub``, a steep last S-curve ends that far before the end and runs
    straight into it: one of several arms into a side, whose S would still be
    climbing under its head, and its neighbour's line through that head. ``steep`` (STEEP unless given)
    is how many times further across the flow than along it an S-curve moves to count as steep: an arm
    beside a steep one into the same side takes a stub too (0: any S), or the two would cross."""
    start = cur = runs[0][0]
    fx, fy = flow
    last = len(runs) - 1
    segments: list[Segment] = []
    # in plain floats, the same operations as with Points (every edge of a large diagram comes here)
    for i, (a, b) in enumerate(runs):
        (ax, ay), (bx, by) = a, b
        if i:
            dx, dy = ax - cur.x, ay - cur.y
            along, across = abs(dx * fx + dy * fy), abs(dx * fy - dy * fx)
            straight = 0.0
            if i == last and across > (steep or STEEP) * along:
                straight = min(max(stub - math.hypot(bx - ax, by - ay), 0.0), along / 2)
            half = (along - straight) / 2
            bend_x, bend_y = ax - fx * straight, ay - fy * straight
            first = new(Point, (cur.x + fx * half, cur.y + fy * half))
            second = new(Point, (bend_x - fx * half, bend_y - fy * half))
            segments.append(new(Cubic, (first, second, new(Point, (bend_x, bend_y)))))
            if straight:
                segments.append(new(Line, (a,)))
        if math.hypot(bx - ax, by - ay) > 1e-6:
            segments.append(new(Line, (b,)))
        cur = b
    # records made with ``new``: one edge makes several, a large diagram thousands
    return new(ScenePath, (start, tuple(segments) or (Line(cur),)))


def _dedupe(points: Sequence[Point]) -> list[Point]:
    out: list[Point] = []
    for p in points:
        if not out or (p - out[-1]).length() > 1e-6:
            out.append(p)
    # drop collinear middle points
    i = 1
    while i < len(out) - 1:
        a, b, c = out[i - 1], out[i], out[i + 1]
        if abs((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)) < 1e-6:
            del out[i]
        else:
            i += 1
    return out


def end_direction(path: ScenePath) -> Point:
    """Unit tangent at the end, pointing along the travel direction."""
    seg = path.segments[-1]
    prev = path.segments[-2].end if len(path.segments) > 1 else path.start
    # in plain floats, the same operations as ``(seg.end - ctrl).unit()`` (one per arrow head)
    ex, ey = seg.end
    if isinstance(seg, Cubic):
        for cx, cy in (seg.c2, seg.c1, prev):
            dx, dy = ex - cx, ey - cy
            span = math.hypot(dx, dy)
            if span > 1e-6:
                return new(Point, (dx / span, dy / span))
    dx, dy = ex - prev[0], ey - prev[1]
    span = math.hypot(dx, dy)
    return Point(0.0, 0.0) if span == 0 else new(Point, (dx / span, dy / span))


def head_direction(path: ScenePath, trimmed: ScenePath) -> Point:
    """Where a head at ``path``'s end points, ``trimmed`` being the line left under it (``trim_end``): along
    the last leg; but where that leg was shorter than the part under the head and went whole (a stub
    onto a round outline, after a bend), or where the line ends more than CLIMB px off the last leg's
    axis (an S-curve still climbing under the head), from where the line now ends to the tip, so the
    line runs into the head along its middle rather than into its side (there turned at most MOST_TILT
    off the axis, so the head still points into its block)."""
    chord = path.end - trimmed.end
    if chord.length() <= 1e-6:
        return end_direction(path)
    if len(trimmed.segments) < len(path.segments):
        return chord.unit()
    along = end_direction(path)
    if abs(along.x * chord.y - along.y * chord.x) <= CLIMB:
        return along
    toward = chord.unit()  # a curve still turning under the head: along the line, but into the block
    if along.x * toward.x + along.y * toward.y >= math.cos(MOST_TILT):
        return toward
    turn = MOST_TILT if along.x * toward.y - along.y * toward.x > 0 else -MOST_TILT
    cos, sin = math.cos(turn), math.sin(turn)
    return Point(along.x * cos - along.y * sin, along.x * sin + along.y * cos)


def reverse(path: ScenePath) -> ScenePath:
    points = [path.start] + [s.end for s in path.segments]
    segs: list[Segment] = []
    for i in range(len(path.segments) - 1, -1, -1):
        seg, start = path.segments[i], points[i]
        segs.append(Cubic(seg.c2, seg.c1, start) if isinstance(seg, Cubic) else Line(start))
    return ScenePath(points[-1], tuple(segs))


def trim_end(path: ScenePath, distance: float) -> ScenePath:
    """The path cut where it comes within ``distance`` of its end (under the head).

    Walks back over segments shorter than that, so a short last leg (an
    orthogonal route's final stub) is removed whole and the cut falls on the
    leg before it.
    """
    tip = path.end
    tx, ty = tip
    segments = list(path.segments)
    # in plain floats, the same operations as with Points (one cut per arrow head)
    while segments:
        seg = segments[-1]
        prev = segments[-2].end if len(segments) > 1 else path.start
        ax, ay = prev
        if math.hypot(ax - tx, ay - ty) < distance:
            segments.pop()  # wholly under the head
            continue
        if isinstance(seg, Line):
            # the point of a→b at ``distance`` from the tip: |a + t(b - a) - tip| = distance
            ux, uy = seg.end.x - ax, seg.end.y - ay
            wx, wy = ax - tx, ay - ty
            qa, qb, qc = ux * ux + uy * uy, 2 * (ux * wx + uy * wy), wx * wx + wy * wy - distance**2
            t = (-qb - math.sqrt(max(0.0, qb * qb - 4 * qa * qc))) / (2 * qa)
            k = min(max(t, 0.0), 1.0)
            segments[-1] = new(Line, (new(Point, (ax + ux * k, ay + uy * k)),))
        else:
            t = _cubic_cut(prev, seg, tip, distance)
            first, _ = cubic_split(prev, seg.c1, seg.c2, seg.end, t)
            segments[-1] = new(Cubic, first[1:])
        return new(ScenePath, (path.start, tuple(segments)))
    return path  # the whole path is shorter than the head: leave it


def _cubic_cut(p0: Point, seg: Cubic, tip: Point, distance: float) -> float:
    """The largest t whose point on the cubic is ``distance`` from ``tip``
    (the start is known to be farther): Newton steps, bisection as a net.

    Plain floats rather than Points: it runs for every arrow head."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p0, seg.c1, seg.c2, seg.end
    tx, ty = tip
    lo, hi = 0.0, 1.0
    t = 1.0 - min(1.0, distance / max(math.hypot(x3 - x0, y3 - y0), 1e-9))
    for _ in range(48):
        u = 1 - t
        a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t  # as cubic_point
        rx = a * x0 + b * x1 + c * x2 + d * x3 - tx
        ry = a * y0 + b * y1 + c * y2 + d * y3 - ty
        reach = math.hypot(rx, ry)
        gap = reach - distance
        if abs(gap) < 1e-9:
            return t
        if gap > 0:
            lo = t
        else:
            hi = t
        dx = 3 * (u * u * (x1 - x0) + 2 * u * t * (x2 - x1) + t * t * (x3 - x2))  # the derivative at t
        dy = 3 * (u * u * (y1 - y0) + 2 * u * t * (y2 - y1) + t * t * (y3 - y2))
        slope = (rx * dx + ry * dy) / max(reach, 1e-12)
        step = t - gap / slope if abs(slope) > 1e-12 else -1.0
        t = step if lo < step < hi else (lo + hi) / 2
    return lo


def head(tip: Point, direction: Point, length: float, width: float) -> tuple[Point, ...]:
    """A notched arrow head polygon with its tip at ``tip`` pointing along ``direction``."""
    # in plain floats, the same operations as with Points (one head per arrow: thousands on a large diagram)
    dx, dy = direction.unit()
    tx, ty = tip
    bx, by = tx - dx * length, ty - dy * length  # the base's middle
    half = width / 2
    nx, ny = (-dy) * half, dx * half  # from there to a barb
    notch = tx - dx * (length * 0.75), ty - dy * (length * 0.75)
    return (tip, new(Point, (bx + nx, by + ny)), new(Point, notch), new(Point, (bx - nx, by - ny)))


def length_of(points: Sequence[Point]) -> float:
    return sum((points[i + 1] - points[i]).length() for i in range(len(points) - 1))


def point_at(points: Sequence[Point], fraction: float) -> tuple[Point, Point]:
    """The point at ``fraction`` of a polyline's length, and the unit tangent there."""
    total = length_of(points)
    want = total * min(max(fraction, 0.0), 1.0)
    for i in range(len(points) - 1):
        a, b = points[i], points[i + 1]
        d = (b - a).length()
        if d > 0 and want <= d:
            return a + (b - a).scale(want / d), (b - a).unit()
        want -= d
    a, b = points[-2], points[-1]
    return b, (b - a).unit()


def angle_between(u: Point, v: Point) -> float:
    return math.degrees(math.atan2(u.x * v.y - u.y * v.x, u.x * v.x + u.y * v.y))


PER_CURVE = 8  # samples a curve of an edge's points (``RoutedEdge.points``) takes
TOLERANCE = 0.25  # px a curve flattened to measure nearness may stray from the drawn one


def as_drawn(path: ScenePath, points: Sequence[Point]) -> Sequence[Point]:
    """An edge's line to measure how near other lines run: ``points`` (its untrimmed path flattened with
    PER_CURVE samples a curve), unless a curve of ``path`` (trimmed under its heads) strays more than
    TOLERANCE px from its samples there, as a long S-curve does; then ``path`` flattened finer, lengthened
    to the ends of ``points`` (the tips). Measured on the samples, a line slanting across such a curve
    can run on it for 40 px and seem to run on it for half that."""
    steps = [_curve_steps(p0, seg) for p0, seg in zip(_starts(path), path.segments, strict=True)]
    if max(steps, default=0) <= PER_CURVE:
        return points
    out = [path.start]
    for p0, seg, n in zip(_starts(path), path.segments, steps, strict=True):
        if isinstance(seg, Line):
            out.append(seg.end)
        else:
            n = max(n, PER_CURVE)
            out.extend(cubic_point(p0, seg.c1, seg.c2, seg.end, i / n) for i in range(1, n + 1))
    if math.dist(points[0], out[0]) > 1e-6:
        out.insert(0, points[0])
    if math.dist(points[-1], out[-1]) > 1e-6:
        out.append(points[-1])
    return out


def _starts(path: ScenePath) -> list[Point]:
    """Where each segment of ``path`` starts."""
    return [path.start, *(seg.end for seg in path.segments[:-1])]


def _curve_steps(p0: Point, seg: Segment) -> int:
    """Samples a cubic needs so that the chords between them stray at most TOLERANCE px from it (the chord
    error of n steps is at most |B''| / 8n², and |B''| at most 6 × its control polygon's largest second
    difference); 0 for a line."""
    if isinstance(seg, Line):
        return 0
    bend = max(
        math.hypot(p0.x - 2 * seg.c1.x + seg.c2.x, p0.y - 2 * seg.c1.y + seg.c2.y),
        math.hypot(seg.c1.x - 2 * seg.c2.x + seg.end.x, seg.c1.y - 2 * seg.c2.y + seg.end.y),
    )
    return math.ceil(math.sqrt(0.75 * bend / TOLERANCE))
