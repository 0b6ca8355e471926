"""svgarch.fonts: finding the font file, metrics from it, the on-disk cache."""

from __future__ import annotations

import gc
import warnings
from pathlib import Path
from typing import Any

import pytest

from svgarch import font_lookup, fonts
from svgarch.cache import cache_dir
from svgarch.errors import FontError
from svgarch.fonts import FontBook, FontFace, FontMetrics

SANS = FontFace("DejaVu Sans")
MONO_BOLD = FontFace("DejaVu Sans Mono", weight="bold")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(folder))
    return folder


def _refuse(*_args: object, **_kwargs: object) -> dict[str, object]:
    raise AssertionError("the cache should have answered")


def test_fc_match_finds_the_font_file(cache: Path) -> None:
    book = FontBook()
    sans, mono_bold = book.find(SANS), book.find(MONO_BOLD)
    assert Path(sans).is_file() and Path(mono_bold).is_file()
    assert sans != mono_bold
    assert "Bold" in Path(mono_bold).name and "Mono" in Path(mono_bold).name
    assert book.find(FontFace("DejaVu Sans", style="italic")) != sans


def test_a_family_that_is_not_installed_is_refused(cache: Path) -> None:
    with pytest.raises(FontError, match="'No Such Family Xyz' is not installed"):
        FontBook().find(FontFace("No Such Family Xyz"))


def test_fc_match_alone_finds_the_same_file(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where libfontconfig does not load (another name, another system), the fc-match program answers."""
    with_library = FontBook().find(MONO_BOLD)
    monkeypatch.setattr(font_lookup, "_library_match", lambda wanted: None)
    assert FontBook().find(MONO_BOLD) == with_library
    assert FontBook().find(FontFace("DejaVu Sans", style="italic")).endswith("DejaVuSans-Oblique.ttf")


def test_cache_dir_follows_svgarch_cache_dir(cache: Path) -> None:
    assert cache_dir() == str(cache)
    assert cache.is_dir()


def test_cache_dir_under_xdg_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SVGARCH_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == str(tmp_path / "svgarch")


def test_an_unwritable_cache_location_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(blocker / "sub"))
    assert cache_dir() is None
    assert FontBook().metrics(SANS).units_per_em > 0  # still works, only slower


def test_metrics_are_cached_and_a_cache_hit_parses_no_font(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = FontBook().metrics(SANS)
    assert len(list(cache.glob("metrics-*.bin"))) == 1
    monkeypatch.setattr(fonts, "_read_font", _refuse)
    again = FontBook().metrics(SANS)
    assert again == first
    assert not list(cache.glob(".tmp-*"))  # cache writes leave no temp files


def test_a_stale_cache_entry_is_re_read(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = FontBook().metrics(SANS)
    (entry,) = cache.glob("metrics-*.bin")
    data = _unpacked(entry)
    data["stamp"] = "0:0"  # as if the font file changed
    data["units_per_em"] = 1
    _pack(entry, data)
    calls: list[str] = []
    real = fonts._read_font

    def counting(path: str) -> dict[str, object]:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(fonts, "_read_font", counting)
    assert FontBook().metrics(SANS) == first
    assert calls == [first.path]


def test_a_corrupt_cache_is_ignored(cache: Path) -> None:
    first = FontBook().metrics(SANS)
    for f in [*cache.glob("*.json"), *cache.glob("*.bin")]:
        f.write_text("{ not json")
    assert FontBook().metrics(SANS) == first


def test_one_book_parses_each_face_once(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = FontBook()
    first = book.metrics(SANS)
    monkeypatch.setattr(fonts, "_read_font", _refuse)
    monkeypatch.setattr(font_lookup, "fontconfig_match", _refuse)
    for f in [*cache.glob("*.json"), *cache.glob("*.bin")]:
        f.unlink()  # the book's own memory must answer
    assert book.metrics(SANS) is first


def test_widths_scale_with_size_and_follow_the_glyphs(cache: Path) -> None:
    sans = FontBook().metrics(SANS)
    assert sans.width("WWW", 20) == pytest.approx(2 * sans.width("WWW", 10))
    assert sans.width("iii", 12) < sans.width("WWW", 12)
    assert sans.width("", 12) == 0
    assert sans.width("ab", 12) == pytest.approx(sans.width("a", 12) + sans.width("b", 12))
    assert sans.ascent(10) > 0 and sans.descent(10) > 0
    assert sans.has_glyph("γ") and not sans.has_glyph("漢")


def test_a_monospaced_font_gives_every_character_one_advance(cache: Path) -> None:
    mono = FontBook().metrics(MONO_BOLD)
    assert mono.width("iiii", 13) == pytest.approx(mono.width("WWWW", 13))
    assert mono.width("enc0 Conv(20→4, 3×3)", 13) == pytest.approx(20 * mono.width("x", 13))


def test_missing_glyphs_use_the_notdef_advance() -> None:
    m = FontMetrics("f", 1000, 800, -200, {ord("a"): 500}, 700)
    assert m.width("a?", 10) == pytest.approx((500 + 700) * 10 / 1000)
    assert m.ascent(10) == 8 and m.descent(10) == 2


def test_a_cached_fonts_advances_answer_as_a_dict_of_them_does() -> None:
    """Advances (looked up when asked, from a packed entry's arrays) give what a dict of every pair gives."""
    from array import array

    points, widths = [9, 32, 65, 66, 955, 8594, 0x1F600], [0, 651, 1401, 1405, 1102, 1675, 2048]
    lazy = fonts.Advances(array(fonts._INTS, points), array(fonts._INTS, widths))
    full = dict(zip(points, widths, strict=True))
    for point in (*points, -1, 0, 10, 64, 67, 956, 0x1F601, 0x10FFFF, *points):  # twice: the second from memory
        assert lazy.get(point) == full.get(point) and lazy.get(point, 7) == full.get(point, 7)
        assert (point in lazy) == (point in full)
    assert lazy[65] == 1401 and 1.5 not in lazy and not lazy.__contains__("A")
    with pytest.raises(KeyError):
        lazy[64]
    assert lazy == full and len(lazy) == len(full) and list(lazy) == points
    packed = {"version": fonts.CACHE_VERSION, "units_per_em": 2048, "ascender": 1901, "descender": -483,
              "missing_advance": 1229, "codepoints": array(fonts._INTS, points), "advances": array(fonts._INTS, widths)}
    metrics = fonts.metrics_from_json("f", packed)
    assert metrics is not None and isinstance(metrics.advances, fonts.Advances)
    fresh = fonts.metrics_from_json("f", {**packed, "codepoints": points, "advances": widths})
    assert metrics == fresh and metrics.width("AB→λ?", 13) == fresh.width("AB→λ?", 13)
    ascii_too = [*range(0x20, 0x7F), 0x3BB]  # all printable ASCII: remembered at once, the rest when asked
    lazy = fonts.Advances(array(fonts._INTS, ascii_too), array(fonts._INTS, [p * 3 for p in ascii_too]))
    assert all(lazy.get(p) == p * 3 and p in lazy for p in ascii_too) and lazy.get(0x7F) is None


def _read_bad_font(tmp_path: Path) -> list[warnings.WarningMessage]:
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(FontError, match="cannot read font file"):
            fonts._read_font(str(bad))
        gc.collect()
    return caught


def test_an_unreadable_font_file_is_a_font_error(tmp_path: Path) -> None:
    _read_bad_font(tmp_path)


def test_an_unreadable_font_file_is_closed(tmp_path: Path) -> None:
    leaks = [w for w in _read_bad_font(tmp_path) if issubclass(w.category, ResourceWarning)]
    assert not leaks, leaks[0].message


def test_each_font_file_has_its_own_cache_entry(cache: Path) -> None:
    book = FontBook()
    book.metrics(SANS)
    book.metrics(MONO_BOLD)
    book.metrics(FontFace("DejaVu Sans"))  # equal face: no new entry
    assert len(list(cache.glob("metrics-*.bin"))) == 2


def test_an_entry_checked_once_is_not_checked_again_until_it_changes(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = FontBook().metrics(SANS)  # read from the font, written to the cache, remembered by its bytes
    checks: list[str] = []
    real, read_font = fonts.metrics_from_json, fonts._read_font

    def counting(path: str, raw: dict[str, object]) -> FontMetrics | None:
        checks.append(path)
        return real(path, raw)

    monkeypatch.setattr(fonts, "metrics_from_json", counting)
    monkeypatch.setattr(fonts, "_read_font", _refuse)
    assert FontBook().metrics(SANS) is first and not checks  # the same bytes: nothing to decode or check
    (entry,) = cache.glob("metrics-*.bin")
    data = _unpacked(entry)
    data["missing_advance"] += 1  # a lie that passes the checks, as another process could write
    _pack(entry, data)
    changed = FontBook().metrics(SANS)
    assert checks == [first.path] and changed.missing_advance == first.missing_advance + 1  # checked, as fresh
    data["units_per_em"] = 1  # implausible: a miss, the font is read again
    _pack(entry, data)
    monkeypatch.setattr(fonts, "_read_font", read_font)
    assert FontBook().metrics(SANS) == first


def _unpacked(entry: Path) -> dict[str, Any]:
    data = fonts.unpack_metrics(entry.read_bytes())
    assert data is not None
    return {**data, "codepoints": list(data["codepoints"]), "advances": list(data["advances"])}  # type: ignore[call-overload]


def _pack(entry: Path, data: dict[str, Any]) -> None:
    packed = fonts.pack_metrics(data)
    assert packed is not None
    entry.write_bytes(packed)


def test_a_packed_entry_reads_back_as_written() -> None:
    data = {
        "version": fonts.CACHE_VERSION,
        "units_per_em": 2048,
        "ascender": 1901,
        "descender": -483,
        "missing_advance": 1229,
        "codepoints": [32, 97, 0x10FFFF],
        "advances": [651, 1255, 0],
        "stamp": "12:34",
        "path": "/fonts/é\udcff.ttf",
    }
    packed = fonts.pack_metrics(data)
    assert packed is not None
    again = fonts.unpack_metrics(packed)
    assert again is not None
    assert {**again, "codepoints": list(again["codepoints"]), "advances": list(again["advances"])} == data  # type: ignore[call-overload]
    assert fonts.pack_metrics({**data, "units_per_em": 2**40}) is None  # does not fit: not written
    assert fonts.pack_metrics({**data, "advances": [1]}) is None
    assert fonts.pack_metrics({**data, "ascender": 1.5}) is None
    for broken in (packed[:-1], packed + b"\0", b"x" + packed[1:], packed[:10], b""):
        assert fonts.unpack_metrics(broken) is None


@pytest.mark.parametrize(
    "high", [0, 255, 256, 0x3E80, 0xFFFF, 0x10000, 32768, 0x10FFFF, 0x110000, (1 << 24) - 1, 1 << 24]
)
def test_packed_ranges_are_told_as_the_long_way_tells_them(high: int) -> None:
    """The byte-level range check of a packed entry's ints agrees with min and max."""
    import random
    from array import array

    rng = random.Random(high)
    edges = [0, 1, high, high + 1, -1, -(2**31), 2**31 - 1, 1 << 24, (1 << 24) - 1, 0x10FFFF, 0x110000, 0xFFFF]
    for _ in range(300):
        picks = [rng.choice(edges) if rng.random() < 0.2 else rng.randint(0, max(high, 1)) for _ in range(5)]
        values = array(fonts._INTS, [v for v in picks if -(2**31) <= v < 2**31])
        if values:
            expected = min(values) >= 0 and max(values) <= high
            assert fonts._packed_ints_in(values, 0, high) == expected, (list(values), high)
