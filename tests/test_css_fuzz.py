"""A seeded CSS fuzzer: every hostile stylesheet gives a clean ThemeError or a safe, scoped SVG.

``SVGARCH_FUZZ_CASES`` sets the number of cases (the suite runs a few hundred
in seconds; ``make fuzz`` runs thousands). Most cases restyle one diagram laid
out once (the stylesheet is what a stylesheet can break); every tenth goes
through the whole pipeline, layout included, so geometry variables are fuzzed
too; every fifth is loaded a second time from the theme cache, which must give
the same theme.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import svgarch
from svgarch.errors import SvgarchError
from svgarch.pipeline import build_scene
from svgarch.render.svg import to_svg
from svgarch.scene import Scene
from svgarch.theme import Theme, load_theme
from tests.css_fuzz import assert_safe_svg, case_count, stylesheet

CASES = case_count()


def diagram() -> svgarch.Diagram:
    d = svgarch.Diagram("Fuzz", id="fz")
    d.block("a", kind="encoder", row=0, col=0).block("b", kind="brandnew", row=1, col=0).block("c", row=1, col=1)
    d.edge("a", "b", kind="skip", label="s").edge("b", "c")
    return d.note("n", kind="film", row=2, col=0)


@pytest.fixture(scope="module")
def laid_out() -> tuple[Scene, Theme]:
    return build_scene(diagram().model)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(folder))
    yield folder


def one_case(seed: int, folder: Path, scene: Scene) -> str:
    """Run case ``seed``; what happened ("refused" or "drawn"), asserting it was clean either way."""
    path = folder / f"case{seed}.css"
    path.write_text(stylesheet(seed), encoding="utf-8")
    try:
        theme = load_theme("dark", [str(path)])
        if seed % 5 == 0:
            assert load_theme("dark", [str(path)]) == theme, "the cached theme differs"
        svg = diagram().to_svg(css=[str(path)]) if seed % 10 == 0 else to_svg(scene._replace(), theme)
    except SvgarchError as exc:  # a clean refusal: one line, naming the file (or the theme) it comes from
        message = str(exc)
        assert "\n" not in message and "Traceback" not in message, message
        assert message.startswith((str(path), "theme ")), message
        return "refused"
    assert_safe_svg(svg)
    return "drawn"


def test_hostile_stylesheets_are_refused_cleanly_or_drawn_safely(
    tmp_path: Path, cache: Path, laid_out: tuple[Scene, Theme]
) -> None:
    scene, _ = laid_out
    outcomes = [one_case(seed, tmp_path, scene) for seed in range(CASES)]
    # the generator reaches both sides: a fuzzer that only ever hits the parser's first check proves little
    assert outcomes.count("drawn") >= CASES // 10, outcomes.count("drawn")
    assert outcomes.count("refused") >= CASES // 10, outcomes.count("refused")


def test_the_case_count_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.css_fuzz import case_count

    monkeypatch.setenv("SVGARCH_FUZZ_CASES", "4321")
    assert case_count() == 4321
    monkeypatch.delenv("SVGARCH_FUZZ_CASES")
    assert case_count() == 300
    assert os.environ.get("SVGARCH_FUZZ_CASES") is None
