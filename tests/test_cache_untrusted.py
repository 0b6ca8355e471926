"""The on-disk cache is untrusted input: a crafted entry is a miss, never a crash, a hang or a file opened.

Each case renders a diagram against a cache whose font entries were tampered
with, and must give the very bytes a render without any cache gives.
"""

from __future__ import annotations

import json
import os
import stat
import struct
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import svgarch
from svgarch import cache, font_lookup, fonts
from svgarch.cache import read_json, write_json
from svgarch.fonts import FontBook, FontFace

SANS = FontFace("DejaVu Sans")


def diagram() -> svgarch.Diagram:
    d = svgarch.Diagram("Cache test", theme="dark")
    d.block("a", "Encoder γ", kind="encoder", row=0, col=0).block("b", "Decoder", kind="decoder", row=1, col=0)
    return d.edge("a", "b", label="skip")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(path))
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The SVG rendered with no cache at all."""
    blocker = tmp_path_factory.mktemp("nocache") / "file"
    blocker.write_text("a file where the cache folder would be")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SVGARCH_CACHE_DIR", str(blocker / "cache"))
        assert cache.cache_dir() is None
        return diagram().to_svg()


def metrics_entry(folder: Path) -> Path:
    FontBook().metrics(SANS)
    path = FontBook().find(SANS)
    entry = folder / f"metrics-{zlib.crc32(path.encode()):08x}.bin"
    assert entry.is_file()
    return entry


def tamper(entry: Path, change: Callable[[dict[str, Any]], object]) -> None:
    """Rewrite a packed metrics entry with ``change`` applied to its fields (or the bytes it returns)."""
    raw = entry.read_bytes()
    data = fonts.unpack_metrics(raw)
    assert data is not None
    data = {**data, "codepoints": list(data["codepoints"]), "advances": list(data["advances"])}  # type: ignore[call-overload]
    result = change(data)
    if isinstance(result, bytes):
        entry.write_bytes(result)
        return
    packed = fonts.pack_metrics(data)
    assert packed is not None, "a crafted value the format can hold"
    entry.write_bytes(packed)


def _field(raw: bytes, index: int, value: int) -> bytes:
    """The packed entry with header number ``index`` (0: version ... 5: count, 6: path size) set to ``value``."""
    at = len(fonts.MAGIC) + 4 * index
    return raw[:at] + struct.pack("<i", value) + raw[at + 4 :]


def _stamp_byte(raw: bytes, d: dict[str, Any], byte: bytes) -> bytes:
    at = len(fonts.MAGIC) + 32 + len(d["path"].encode())
    return raw[:at] + byte + raw[at + 1 :]


def packed(d: dict[str, Any]) -> bytes:
    raw = fonts.pack_metrics(d)
    assert raw is not None
    return raw


CRAFTED: dict[str, Callable[[dict[str, Any]], object]] = {
    "units_per_em zero": lambda d: d.update(units_per_em=0),
    "units_per_em negative": lambda d: d.update(units_per_em=-2048),
    "units_per_em huge": lambda d: d.update(units_per_em=2**31 - 1),
    "glyphs 4,000 em wide": lambda d: d.update(units_per_em=16, advances=[65535] * len(d["advances"])),
    "a line 400 em tall": lambda d: d.update(ascender=32767, units_per_em=64),
    "descender beyond 8 em": lambda d: d.update(descender=-(2**31)),
    "advances negative": lambda d: d.update(advances=[-1 for _ in d["advances"]]),
    "missing advance negative": lambda d: d.update(missing_advance=-5),
    "codepoints beyond Unicode": lambda d: d.update(codepoints=[0x110000 + i for i in range(len(d["codepoints"]))]),
    "codepoints negative": lambda d: d.update(codepoints=[-1 - i for i in range(len(d["codepoints"]))]),
    "a huge array": lambda d: d.update(codepoints=list(range(1_200_000)), advances=[0] * 1_200_000),
    "another file's path": lambda d: d.update(path="/etc/passwd"),
    "another stamp": lambda d: d.update(stamp="1:2"),
    "an old version": lambda d: d.update(version=3),
    "count larger than the data": lambda d: _field(packed(d), 5, len(d["codepoints"]) + 1),
    "count negative": lambda d: _field(packed(d), 5, -1),
    "path size beyond the entry": lambda d: _field(packed(d), 6, 2**31 - 1),
    "path size negative": lambda d: _field(packed(d), 6, -8),
    "truncated": lambda d: packed(d)[: len(packed(d)) // 2],
    "a byte more": lambda d: packed(d) + b"\0",
    "another magic": lambda d: b"svgarch metrics?" + packed(d)[len(fonts.MAGIC) :],
    "shorter than a header": lambda d: packed(d)[:20],
    "empty": lambda d: b"",
    "the old JSON entry": lambda d: json.dumps({**d, "version": 3}).encode(),
    "stamp not ASCII": lambda d: _stamp_byte(packed(d), d, b"\xff"),
}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_a_crafted_metrics_entry_is_a_miss(folder: Path, reference: str, case: str) -> None:
    entry = metrics_entry(folder)
    truth = FontBook().find(SANS)
    tamper(entry, CRAFTED[case])
    crafted = fonts.unpack_metrics(entry.read_bytes())
    believed = (
        crafted is not None
        and (crafted["path"], crafted["stamp"]) == (truth, font_lookup.file_stamp(truth))
        and fonts.metrics_from_json(truth, crafted) is not None
    )
    assert not believed
    assert diagram().to_svg() == reference
    again = fonts.unpack_metrics(entry.read_bytes())
    assert again is not None and fonts.metrics_from_json(str(again["path"]), again) is not None  # rewritten


@pytest.mark.parametrize("kind", ["symlink to /etc/passwd", "symlink to a good entry", "fifo", "directory", "huge"])
def test_an_entry_that_is_not_a_small_regular_file_is_a_miss(folder: Path, reference: str, kind: str) -> None:
    entry = metrics_entry(folder)
    good = entry.with_name("good.bin")
    entry.rename(good)
    if kind == "symlink to /etc/passwd":
        entry.symlink_to("/etc/passwd")
    elif kind == "symlink to a good entry":
        entry.symlink_to(good)
    elif kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(entry)
    elif kind == "directory":
        entry.mkdir()
    else:
        entry.write_bytes(good.read_bytes() + b" " * cache.MAX_ENTRY_BYTES)
    assert read_json(folder, entry.name) is None
    done: list[str] = []
    worker = threading.Thread(target=lambda: done.append(diagram().to_svg()), daemon=True)
    worker.start()
    worker.join(timeout=60)  # a FIFO opened for reading would block for ever
    assert done == [reference]


def test_old_files_json_naming_any_file_as_the_font_is_not_read(folder: Path, reference: str) -> None:
    """The cache never names the font file: a files.json from an older svgarch (or an attacker) is ignored."""
    folder.mkdir()
    lie = {"file": "/etc/passwd", "stamp": font_lookup.file_stamp("/etc/passwd")}
    queries = ["DejaVu Sans:weight=regular", "DejaVu Sans:weight=bold", "DejaVu Sans Mono:weight=bold"]
    (folder / "files.json").write_text(json.dumps({"version": 2, **{q: lie for q in queries}}))
    assert diagram().to_svg() == reference
    assert FontBook().find(SANS).endswith("DejaVuSans.ttf")


def test_a_crafted_font_index_cannot_name_a_file_outside_the_font_folders(
    folder: Path, reference: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without fontconfig the search reads a cached index, but only for files the search itself found."""
    monkeypatch.setattr(font_lookup, "fontconfig_match", lambda wanted: None)
    faces = {
        "/etc/passwd": {
            "stamp": font_lookup.file_stamp("/etc/passwd"),
            "families": ["dejavu sans"],
            "weight": 400,
            "width": 5,
            "italic": False,
        },
    }
    folder.mkdir()
    write_json(folder, font_lookup.INDEX_ENTRY, {"version": font_lookup.INDEX_VERSION, "faces": faces})
    assert FontBook().find(SANS).endswith("DejaVuSans.ttf")
    assert diagram().to_svg() == reference


@pytest.mark.parametrize(
    "face",
    [
        {"families": "dejavu sans", "weight": 400, "width": 5, "italic": False},
        {"families": ["dejavu sans"] * 4, "weight": 400, "width": 5, "italic": False},
        {"families": ["x" * 10_000], "weight": 400, "width": 5, "italic": False},
        {"families": ["dejavu sans"], "weight": 1e300, "width": 5, "italic": False},
        {"families": ["dejavu sans"], "weight": 400, "width": 0, "italic": "no"},
        {"families": ["dejavu sans"], "weight": True, "width": 5, "italic": False},
        "not an object",
    ],
)
def test_a_malformed_font_index_entry_is_read_again(
    folder: Path, monkeypatch: pytest.MonkeyPatch, face: object
) -> None:
    monkeypatch.setattr(font_lookup, "fontconfig_match", lambda wanted: None)
    truth = FontBook().find(FontFace("DejaVu Sans", weight="bold"))
    raw = read_json(folder, font_lookup.INDEX_ENTRY)
    assert isinstance(raw, dict)
    entries = raw["faces"]
    assert isinstance(entries, dict) and truth in entries
    stamp = font_lookup.file_stamp(truth)
    entries[truth] = {"stamp": stamp, **face} if isinstance(face, dict) else face
    write_json(folder, font_lookup.INDEX_ENTRY, raw)
    assert FontBook().find(FontFace("DejaVu Sans", weight="bold")) == truth


def test_cache_files_are_private_and_written_whole(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    umask = os.umask(0o022)
    try:
        FontBook().metrics(SANS)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # we created it
    entries = list(folder.iterdir())
    assert entries and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in entries)
    assert len(synced) >= len(entries)  # each entry flushed before its rename
    assert not list(folder.glob(".tmp-*"))


def test_an_existing_cache_folder_keeps_its_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(shared))
    write_json(cache.cache_dir(), "x.json", {"a": 1})
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "x.json").stat().st_mode) == 0o600


def test_a_cache_entry_is_not_written_through_a_planted_link(folder: Path, tmp_path: Path) -> None:
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (folder / "x.json").symlink_to(victim)
    write_json(folder, "x.json", {"a": 1})
    assert victim.read_text() == "keep me"
    assert read_json(folder, "x.json") == {"a": 1}


def test_values_json_cannot_hold_are_not_written(folder: Path) -> None:
    folder.mkdir()
    write_json(folder, "nan.json", {"a": float("nan")})
    write_json(folder, "obj.json", {"a": object()})
    assert not (folder / "nan.json").exists() and not (folder / "obj.json").exists()
    assert not list(folder.glob(".tmp-*"))


def test_stale_cache_temporary_files_of_dead_processes_are_removed(folder: Path) -> None:
    import subprocess
    import sys
    import time

    folder.mkdir()
    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True).stdout)
    stale = folder / f".tmp-{dead}-0123abcd.json"
    mine = folder / f".tmp-{os.getpid()}-0123abcd.json"
    for p in (stale, mine):
        p.write_text("{")
        old = time.time() - 3600
        os.utime(p, (old, old))
    write_json(folder, "x.json", {"a": 1})
    assert not stale.exists() and mine.exists()
