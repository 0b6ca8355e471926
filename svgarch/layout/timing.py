"""Where layout's time goes: named phases, timed only when someone asks.

``phase(name)`` wraps one step. Its time is added to every open
``collect()`` (the API: ``with collect() as times: ...`` gives phase name →
seconds, summed over repeats, in the order phases first ended). With
``SVGARCH_TIMING=1`` in the environment, the outermost ``report()`` prints
one line per phase to stderr when it ends. When neither is asked for, a
phase costs a context-variable lookup and an environment lookup.

Collections live in a context variable, so threads and nested layouts keep
their own (no global state).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_OPEN: ContextVar[tuple[dict[str, float], ...]] = ContextVar("svgarch_timing", default=())


def printing() -> bool:
    """Whether ``SVGARCH_TIMING=1`` asks for phase times on stderr."""
    return os.environ.get("SVGARCH_TIMING") == "1"


@contextmanager
def collect() -> Iterator[dict[str, float]]:
    """Phase name → seconds, for every phase that runs inside the ``with`` block."""
    times: dict[str, float] = {}
    token = _OPEN.set((*_OPEN.get(), times))
    try:
        yield times
    finally:
        _OPEN.reset(token)


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Time the ``with`` block as phase ``name`` if anything collects."""
    sinks = _OPEN.get()
    if not sinks:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        spent = time.perf_counter() - start
        for times in sinks:
            times[name] = times.get(name, 0.0) + spent


@contextmanager
def report() -> Iterator[None]:
    """Print the phases run inside, one line each, when ``SVGARCH_TIMING=1`` and no report is open yet."""
    if not printing() or _OPEN.get():
        yield
        return
    with collect() as times:
        yield
    for name, seconds in times.items():
        print(f"svgarch timing: {name} {seconds * 1000:.1f} ms", file=sys.stderr)
