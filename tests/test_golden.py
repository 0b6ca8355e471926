"""Every example renders to exactly its committed SVG and scene JSON."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests import golden


@pytest.mark.parametrize("spec", golden.examples(), ids=lambda p: p.stem)
def test_example_matches_golden(spec: Path) -> None:
    got = golden.render(spec)
    failures = []
    for suffix, text in got.items():
        expected = golden.expected_path(spec, suffix)
        assert expected.exists(), f"no golden file {expected.name}: run `make golden-accept` and review it"
        want = expected.read_text(encoding="utf-8")
        if text != want:
            golden.got_path(spec, suffix).write_text(text, encoding="utf-8")
            diff = difflib.unified_diff(want.splitlines(), text.splitlines(), "expected", "got", lineterm="", n=1)
            failures.append(f"{expected.name}:\n" + "\n".join(list(diff)[:40]))
    if failures:
        page = golden.write_review([spec])
        pytest.fail("\n\n".join(failures) + f"\n\nreview: {page}\naccept with: make golden-accept")


def test_every_example_has_golden_files() -> None:
    names = {p.name for p in golden.GOLDEN.glob("*") if ".got." not in p.name and p.suffix in (".svg", ".json")}
    for spec in golden.examples():
        assert f"{spec.stem}.svg" in names
        assert f"{spec.stem}.scene.json" in names


def test_render_is_deterministic_in_one_process() -> None:
    spec = golden.examples()[0]
    assert golden.render(spec) == golden.render(spec)
