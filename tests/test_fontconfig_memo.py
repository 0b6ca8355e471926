"""fontconfig's answers kept on disk (svgarch.fontconfig_memo): a second render asks fontconfig nothing,
a change of fontconfig's state or a crafted entry is a miss, and every case gives the bytes of no cache."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

import svgarch
from svgarch import cache, font_lookup, fontconfig_memo
from svgarch.fonts import FontBook, FontFace

SANS = FontFace("DejaVu Sans")
BOLD = FontFace("DejaVu Sans", weight="bold")


def diagram() -> svgarch.Diagram:
    d = svgarch.Diagram("Memo test", theme="dark")
    d.block("a", "Encoder", kind="encoder", row=0, col=0).block("b", "Decoder", kind="decoder", row=1, col=0)
    return d.edge("a", "b", label="skip")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(path))
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> str:
    blocker = tmp_path_factory.mktemp("nocache") / "file"
    blocker.write_text("a file where the cache folder would be")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SVGARCH_CACHE_DIR", str(blocker / "cache"))
        assert cache.cache_dir() is None
        return diagram().to_svg()


def _refuse(*args: object) -> object:
    raise AssertionError("fontconfig was asked")


def _entry(folder: Path) -> dict[str, Any]:
    data = json.loads((folder / fontconfig_memo.ENTRY).read_text())
    assert isinstance(data, dict)
    return data


def _rewrite(folder: Path, data: dict[str, Any]) -> None:
    (folder / fontconfig_memo.ENTRY).write_text(json.dumps(data))


@pytest.fixture
def remembered(folder: Path, reference: str) -> dict[str, Any]:
    """A render that fills the memo; the entry it wrote."""
    assert diagram().to_svg() == reference
    return _entry(folder)


def test_a_second_render_does_not_ask_fontconfig(
    folder: Path, reference: str, remembered: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert remembered["answers"] and remembered["watched"]
    assert any(p.startswith("/etc/fonts") for p in remembered["watched"])  # fontconfig's configuration
    monkeypatch.setattr(font_lookup, "fontconfig_match", _refuse)
    monkeypatch.setattr(font_lookup, "_fontconfig_library", _refuse)
    assert diagram().to_svg() == reference
    assert FontBook().find(SANS).endswith("DejaVuSans.ttf")


def test_a_change_of_state_asks_again(
    folder: Path, remembered: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []
    real = font_lookup.fontconfig_match

    def counting(wanted: font_lookup.Wanted) -> object:
        asked.append(wanted)
        return real(wanted)

    monkeypatch.setattr(font_lookup, "fontconfig_match", counting)
    monkeypatch.setenv("FONTCONFIG_PATH", "/nowhere")  # an environment fontconfig reads
    assert FontBook().find(SANS).endswith("DejaVuSans.ttf")
    assert len(asked) == 1


def test_a_watched_folder_that_changes_is_a_miss(tmp_path: Path, folder: Path) -> None:
    fonts = tmp_path / "fonts"
    (fonts / "sub").mkdir(parents=True)
    watched = [str(fonts), str(fonts / "sub")]  # fontconfig lists sub-folders too
    os.utime(fonts / "sub", ns=(1, 1))
    before = fontconfig_memo.state_stamp(watched)
    (fonts / "sub" / "new.ttf").write_bytes(b"x")  # a font installed in a sub-folder
    assert fontconfig_memo.state_stamp(watched) != before
    (fonts / "sub" / "new.ttf").unlink()
    os.utime(fonts / "sub", ns=(1, 1))
    assert fontconfig_memo.state_stamp(watched) == before
    (fonts / "sub" / "new.ttf").mkdir()  # a new sub-folder
    assert fontconfig_memo.state_stamp(watched) != before


def _lie(entry: dict[str, Any], path: str) -> dict[str, Any]:
    return {**entry, "answers": {k: [path, v[1]] for k, v in entry["answers"].items()}}


def crafted(entry: dict[str, Any], case: str, tmp_path: Path) -> object:
    bold = str(Path(entry["answers"]["DejaVu Sans\x0000"][0]).with_name("DejaVuSans-Bold.ttf"))
    outside = tmp_path / "Outside.ttf"
    shutil.copy(bold, outside)
    link = tmp_path / "passwd.ttf"
    link.symlink_to("/etc/passwd")
    return {
        "stale stamp, lying answer": {**_lie(entry, bold), "stamp": "0-00"},
        "no watched paths": {**entry, "watched": []},
        "relative watched path": {**entry, "watched": ["etc/fonts"]},
        "answer outside the font folders": _lie(entry, str(outside)),
        "answer not a font file": _lie(entry, "/etc/passwd"),
        "answer a link to a non-font": _lie(entry, str(link)),
        "answer a folder": _lie(entry, "/usr/share/fonts.ttf"),
        "answer relative": _lie(entry, "share/fonts/x.ttf"),
        "answer not a list": {**entry, "answers": {k: {"path": v[0]} for k, v in entry["answers"].items()}},
        "families not text": {**entry, "answers": {k: [v[0], [1, 2]] for k, v in entry["answers"].items()}},
        "too many families": {**entry, "answers": {k: [v[0], ["x"] * 65] for k, v in entry["answers"].items()}},
        "answers a list": {**entry, "answers": list(entry["answers"].items())},
        "old version": {**entry, "version": 0},
        "not an object": [entry],
        "too many watched": {**entry, "watched": ["/tmp"] * 5000},
    }[case]


CASES = [
    "stale stamp, lying answer",
    "no watched paths",
    "relative watched path",
    "answer outside the font folders",
    "answer not a font file",
    "answer a link to a non-font",
    "answer a folder",
    "answer relative",
    "answer not a list",
    "families not text",
    "too many families",
    "answers a list",
    "old version",
    "not an object",
    "too many watched",
]


@pytest.mark.parametrize("case", CASES)
def test_a_crafted_entry_is_a_miss(
    folder: Path, reference: str, remembered: dict[str, Any], case: str, tmp_path: Path
) -> None:
    data = crafted(remembered, case, tmp_path)
    (folder / fontconfig_memo.ENTRY).write_text(json.dumps(data))
    assert diagram().to_svg() == reference
    assert FontBook().find(SANS).endswith("/DejaVuSans.ttf")


def test_the_memo_keeps_a_lookup_without_fontconfig_honest(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fc-match's answers (no library) are not remembered: there is no way to stamp what it read."""
    monkeypatch.setattr(fontconfig_memo, "fontconfig_paths", lambda: None)
    FontBook().find(BOLD)
    assert not (folder / fontconfig_memo.ENTRY).exists()
