"""Fonts are found without fontconfig: a search of the font folders, and the user's own font files.

"Without fontconfig" is made real here: neither its library nor ``fc-match``
(PATH holds no such program) is asked, so the fontTools search of the
standard folders must find the very files fontconfig finds on this machine.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import svgarch
from svgarch import font_lookup
from svgarch.cli import main
from svgarch.errors import FontError
from svgarch.fonts import FontBook, FontFace

FACES = [
    FontFace("DejaVu Sans"),
    FontFace("DejaVu Sans", weight="bold"),
    FontFace("DejaVu Sans", style="italic"),
    FontFace("DejaVu Sans", weight="bold", style="italic"),
    FontFace("DejaVu Sans Mono"),
    FontFace("DejaVu Sans Mono", weight="bold"),
    FontFace("DejaVu Serif", style="italic"),
    FontFace("DejaVu Sans Condensed"),
    FontFace("dejavu sans"),  # families match whatever their case, as in fontconfig
]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(folder))
    monkeypatch.delenv(font_lookup.ENV, raising=False)
    return folder


@pytest.fixture
def no_fontconfig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without fontconfig: its library does not load and PATH has no fc-match."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(font_lookup, "_fontconfig_library", lambda: None)
    assert shutil.which("fc-match") is None


@pytest.fixture(scope="module")
def with_fontconfig() -> dict[FontFace, str]:
    book = FontBook()
    return {face: book.find(face) for face in FACES}


def test_the_search_finds_what_fontconfig_finds(
    cache: Path, with_fontconfig: dict[FontFace, str], no_fontconfig: None
) -> None:
    book = FontBook()
    assert {face: book.find(face) for face in FACES} == with_fontconfig


def test_a_second_search_reads_no_font_file(cache: Path, no_fontconfig: None, monkeypatch: pytest.MonkeyPatch) -> None:
    first = FontBook().find(FACES[1])
    assert (cache / font_lookup.INDEX_ENTRY).is_file()

    def refuse(path: str) -> None:
        raise AssertionError(f"{path} was read again: the index should have answered")

    monkeypatch.setattr(font_lookup, "read_face", refuse)
    assert FontBook().find(FACES[1]) == first


def test_an_svg_renders_the_same_without_fontconfig(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = Path(__file__).resolve().parent.parent / "examples" / "cnn_v3.toml"
    with_fc, without_fc = tmp_path / "fc.svg", tmp_path / "nofc.svg"
    assert main(["render", str(spec), "-o", str(with_fc)]) == 0
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(font_lookup, "_fontconfig_library", lambda: None)
    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(tmp_path / "fresh-cache"))  # nothing remembered from the first
    assert main(["render", str(spec), "-o", str(without_fc)]) == 0
    assert capsys.readouterr().err == ""
    assert without_fc.read_bytes() == with_fc.read_bytes()


def test_nothing_found_says_what_was_looked_for_and_where(cache: Path, no_fontconfig: None) -> None:
    with pytest.raises(FontError) as info:
        FontBook().find(FontFace("No Such Family", weight="bold", style="italic"))
    message = str(info.value)
    assert "'No Such Family' (bold italic)" in message
    assert "fontconfig is not installed" in message and font_lookup.ENV in message
    assert any(str(folder) in message for folder in font_lookup.standard_font_folders())
    assert "\n" not in message


def renamed_font(folder: Path, family: str, source: str) -> Path:
    """A copy of an installed font that says it is ``family``."""
    from fontTools.ttLib import TTFont

    folder.mkdir(parents=True, exist_ok=True)
    with TTFont(source) as font:
        for record in font["name"].names:
            if record.nameID in (1, 16):
                record.string = family
        out = folder / f"{family.replace(' ', '')}.ttf"
        font.save(out)
    return out


def test_svgarch_font_path_names_fonts_fontconfig_does_not_know(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_fontconfig: dict[FontFace, str]
) -> None:
    mine = renamed_font(tmp_path / "fonts", "Svgarch Test Face", with_fontconfig[FACES[4]])
    with pytest.raises(FontError, match="'Svgarch Test Face' is not installed"):
        FontBook().find(FontFace("Svgarch Test Face"))
    monkeypatch.setenv(font_lookup.ENV, os.pathsep.join([str(tmp_path / "missing"), str(mine.parent)]))
    assert FontBook().find(FontFace("Svgarch Test Face")) == str(mine)
    monkeypatch.setenv(font_lookup.ENV, str(mine))  # a file works as well as a folder
    assert FontBook().metrics(FontFace("Svgarch Test Face")).path == str(mine)


def test_the_users_fonts_come_before_fontconfigs(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_fontconfig: dict[FontFace, str]
) -> None:
    """A font the user names is the one meant, even where fontconfig knows the family (a --font-file later)."""
    mine = renamed_font(tmp_path / "fonts", "DejaVu Sans", with_fontconfig[FACES[4]])
    assert FontBook(font_files=[str(mine)]).find(FACES[0]) == str(mine)
    monkeypatch.setenv(font_lookup.ENV, str(mine.parent))
    assert FontBook().find(FACES[0]) == str(mine)
    assert FontBook().find(FontFace("DejaVu Serif")) == with_fontconfig[FACES[6]].replace("-Italic", "")


def test_font_file_problem_checks_a_path_for_an_option(tmp_path: Path, with_fontconfig: dict[FontFace, str]) -> None:
    text = tmp_path / "notes.ttf"
    text.write_text("not a font")
    assert font_lookup.font_file_problem(with_fontconfig[FACES[0]]) is None
    assert font_lookup.font_file_problem(str(tmp_path)) is None  # a folder to search
    assert font_lookup.font_file_problem(str(text)) == "not a font file fontTools can read"
    assert font_lookup.font_file_problem(str(tmp_path / "none.ttf")) == "no such font file or folder"
    assert (font_lookup.font_file_problem(__file__) or "").startswith("not a font file (expected .ttf")


def test_a_folder_that_links_to_itself_does_not_hang_the_search(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_fontconfig: None
) -> None:
    loop = tmp_path / "fonts"
    loop.mkdir()
    (loop / "again").symlink_to(loop)
    (loop / "deeper").mkdir()
    (loop / "deeper" / "up").symlink_to(tmp_path)
    monkeypatch.setenv(font_lookup.ENV, str(loop))
    assert FontBook().find(FACES[0]).endswith("DejaVuSans.ttf")


def test_the_search_looks_at_a_bounded_number_of_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(30):
        (folder / f"f{i:02}.ttf").write_bytes(b"")
    monkeypatch.setattr(font_lookup, "MAX_FONT_FILES", 10)
    found = list(font_lookup.font_files_in([folder, folder]))
    assert found == [str(folder / f"f{i:02}.ttf") for i in range(10)]


def test_a_family_name_cannot_smuggle_fontconfig_syntax(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fc-match reads 'family:key=value'; svgarch escapes the family, so it is a name and nothing more."""
    smuggler = font_lookup.Wanted("DejaVu Sans:style=Bold", bold=False, italic=False)
    for answer in (font_lookup._fc_match(smuggler), font_lookup._library_match(smuggler)):
        assert answer is not None
        path, families = answer
        assert not path.endswith("-Bold.ttf")  # unescaped, fontconfig would pick DejaVu Sans Bold
        assert smuggler.family not in families
    monkeypatch.setattr(font_lookup, "_library_match", lambda wanted: None)
    with pytest.raises(FontError, match="is not installed"):
        FontBook().find(FontFace("Nope,DejaVu Sans"))


def test_the_api_renders_without_fontconfig(cache: Path, no_fontconfig: None) -> None:
    svg = svgarch.Diagram("No fontconfig").block("a", "Encoder", row=0, col=0).to_svg()
    assert svg.startswith("<svg") and "Encoder" in svg
