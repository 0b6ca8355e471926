"""The browser tests find a Chromium on other systems too, and never download one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.browser import BrowserUnavailable, find_chromium, unavailable


def _executable(path: Path) -> Path:
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_variable_wins_over_path(tmp_path: Path) -> None:
    mine = _executable(tmp_path / "my-chrome")
    _executable(tmp_path / "chromium")
    assert find_chromium({"SVGARCH_CHROMIUM": str(mine), "PATH": str(tmp_path)}) == mine


def test_a_variable_naming_no_executable_says_so(tmp_path: Path) -> None:
    with pytest.raises(BrowserUnavailable, match=r"SVGARCH_CHROMIUM=.*not an executable file"):
        find_chromium({"SVGARCH_CHROMIUM": str(tmp_path / "absent")})
    with pytest.raises(BrowserUnavailable, match="not an executable file"):
        find_chromium({"SVGARCH_CHROMIUM": str(tmp_path)})


@pytest.mark.parametrize("name", ["chromium", "chromium-browser", "google-chrome"])
def test_each_usual_name_on_path_is_found(tmp_path: Path, name: str) -> None:
    found = _executable(tmp_path / name)
    assert find_chromium({"PATH": f"{tmp_path / 'empty'}{os.pathsep}{tmp_path}"}) == found


def test_the_first_usual_name_wins(tmp_path: Path) -> None:
    _executable(tmp_path / "google-chrome")
    chromium = _executable(tmp_path / "chromium")
    assert find_chromium({"PATH": str(tmp_path)}) == chromium


def test_none_found_names_what_was_looked_for(tmp_path: Path) -> None:
    with pytest.raises(BrowserUnavailable) as caught:
        find_chromium({"PATH": str(tmp_path)})
    message = str(caught.value)
    assert all(name in message for name in ("chromium", "chromium-browser", "google-chrome", "SVGARCH_CHROMIUM"))


def test_no_browser_skips_but_fails_under_ci() -> None:
    missing = BrowserUnavailable("no Chromium found")
    with pytest.raises(pytest.skip.Exception, match="no Chromium found"):
        unavailable(missing, {})
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        unavailable(missing, {"CI": "true"})
