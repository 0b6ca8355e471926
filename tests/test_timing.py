"""svgarch.layout.timing: phase times, collected when asked, printed with SVGARCH_TIMING=1."""

from __future__ import annotations

import pytest

from svgarch.layout import timing
from svgarch.layout.layered import LayeredEdge, LayeredNode, layered_layout

NODES = [LayeredNode(str(i), 40, 20) for i in range(6)]
EDGES = [LayeredEdge(str(i), str(j)) for i, j in [(0, 1), (0, 2), (1, 3), (2, 3), (3, 4), (4, 5), (0, 5)]]


def test_collect_gets_every_layered_phase() -> None:
    with timing.collect() as times:
        layered_layout(NODES, EDGES)
    assert {"layered.rank", "layered.order", "layered.position", "layered.normalize"} <= times.keys()
    assert all(seconds >= 0 for seconds in times.values())


def test_nothing_is_collected_outside() -> None:
    with timing.collect() as times:
        pass
    layered_layout(NODES, EDGES)
    assert times == {}


def test_svgarch_timing_prints_one_line_per_phase(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SVGARCH_TIMING", "1")
    layered_layout(NODES, EDGES)
    lines = capsys.readouterr().err.splitlines()
    names = [line.split()[2] for line in lines]
    assert len(names) == len(set(names)) and "layered.order" in names
    assert all(line.startswith("svgarch timing: ") and line.endswith(" ms") for line in lines)
    monkeypatch.delenv("SVGARCH_TIMING")
    layered_layout(NODES, EDGES)
    assert capsys.readouterr().err == ""
