"""Shared fixtures: a private font-metrics cache, the dark theme, a measurer."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the package is importable without an install
    sys.path.insert(0, str(ROOT))

from svgarch.fonts import FontBook  # noqa: E402
from svgarch.measure import Measurer  # noqa: E402
from svgarch.theme import Theme, load_theme  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _private_font_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the tests' metrics cache out of the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("svgarch-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SVGARCH_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def dark() -> Theme:
    return load_theme("dark")


@pytest.fixture
def measurer(dark: Theme) -> Measurer:
    return Measurer(dark, FontBook())


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Chromium for one test module (tests/browser.py); a missing browser fails the test."""
    from tests.browser import BrowserUnavailable, Chromium

    try:
        browser = Chromium().start()
    except BrowserUnavailable as exc:
        pytest.fail(f"these tests need Debian's chromium and Playwright: {exc}", pytrace=False)
    try:
        yield browser
    finally:
        browser.close()
