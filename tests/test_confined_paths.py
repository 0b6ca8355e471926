"""Theme and CSS files a description names stay inside its folder (or the bundled themes).

A description may come from anyone; the files it names must not lead svgarch
to read a file of the user's (a symlink ``x.css`` → ``/etc/shadow``, or
``../../secret.css``). The command line (``--css``, ``--theme``) and the
Python API may name any file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import svgarch
from svgarch.cli import main
from svgarch.errors import SpecError
from svgarch.theme import styles_dir

OUTSIDE_COLOUR = "#a1b2c3"
BLOCK = '[[block]]\nid = "a"\nkind = "encoder"\n'


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """A description folder, and a CSS file outside it."""
    outside = tmp_path / "private" / "secret.css"
    outside.parent.mkdir()
    outside.write_text(f".svgarch {{ --sa-bg: {OUTSIDE_COLOUR}; }}\n")
    desc = tmp_path / "desc"
    desc.mkdir()
    return desc, outside


def render(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["render", *args])
    return code, capsys.readouterr().err


def test_a_symlinked_css_file_outside_the_folder_is_refused(
    layout: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    desc, outside = layout
    (desc / "x.css").symlink_to(outside)
    spec = desc / "d.toml"
    spec.write_text('css = "x.css"\n' + BLOCK)
    out = desc / "d.svg"
    code, err = render(capsys, str(spec), "-o", str(out))
    assert code == 2 and not out.exists()
    assert err.startswith(f"svgarch: {spec}:1: css: {desc / 'x.css'} resolves to {outside.resolve()}, outside")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_the_same_file_given_with_css_on_the_command_line_is_read(
    layout: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    desc, outside = layout
    (desc / "x.css").symlink_to(outside)
    spec = desc / "d.toml"
    spec.write_text(BLOCK)
    out = desc / "d.svg"
    assert render(capsys, str(spec), "--css", str(desc / "x.css"), "-o", str(out)) == (0, "")
    assert OUTSIDE_COLOUR in out.read_text()
    theme = outside.with_name("theme.css")
    theme.write_text((styles_dir() / "light.css").read_text())
    (desc / "t.css").symlink_to(theme)
    assert render(capsys, str(spec), "--theme", str(desc / "t.css"), "-o", str(out)) == (0, "")
    spec.write_text('theme = "t.css"\n' + BLOCK)
    code, err = render(capsys, str(spec), "-o", str(out))
    assert code == 2 and f"{spec}:1: theme: " in err


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('theme = "../private/secret.css"', "theme"),
        ('css = ["../private/secret.css"]', "css"),
        ('css = "sub/../../private/secret.css"', "css"),
    ],
)
def test_a_path_climbing_out_of_the_folder_is_refused(
    layout: tuple[Path, Path], capsys: pytest.CaptureFixture[str], line: str, key: str
) -> None:
    desc, _ = layout
    (desc / "sub").mkdir()
    spec = desc / "d.toml"
    spec.write_text(line + "\n" + BLOCK)
    code, err = render(capsys, str(spec), "-o", str(desc / "d.svg"))
    assert code == 2
    assert err.startswith(f"svgarch: {spec}:1: {key}: ") and "outside the description's folder" in err


def test_an_absolute_path_outside_is_refused_before_it_is_looked_at(
    layout: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Whether a file outside exists is not told: the same answer for one that does and one that does not."""
    desc, outside = layout
    spec = desc / "d.toml"
    for target in (outside, outside.with_name("missing.css")):
        spec.write_text(f'css = "{target}"\n' + BLOCK)
        code, err = render(capsys, str(spec), "-o", str(desc / "d.svg"))
        assert code == 2 and "outside the description's folder" in err and "no such" not in err


def test_files_inside_the_folder_are_read_through_links_too(
    layout: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    desc, _ = layout
    (desc / "styles").mkdir()
    real = desc / "styles" / "brand.css"
    real.write_text(f".svgarch {{ --sa-bg: {OUTSIDE_COLOUR}; }}\n")
    (desc / "link.css").symlink_to("styles/brand.css")
    spec = desc / "d.toml"
    spec.write_text('css = ["link.css", "styles/brand.css"]\n' + BLOCK)
    assert render(capsys, str(spec), "-o", str(desc / "d.svg")) == (0, "")
    assert OUTSIDE_COLOUR in (desc / "d.svg").read_text()


def test_a_bundled_theme_may_be_named_by_its_path(
    layout: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    desc, _ = layout
    spec = desc / "d.toml"
    spec.write_text(f'theme = "{styles_dir() / "light.css"}"\n' + BLOCK)
    assert render(capsys, str(spec), "-o", str(desc / "d.svg")) == (0, "")


def test_the_api_loads_descriptions_confined_and_builds_diagrams_free(layout: tuple[Path, Path]) -> None:
    desc, outside = layout
    spec = desc / "d.toml"
    spec.write_text(f'css = "{outside}"\n' + BLOCK)
    with pytest.raises(SpecError, match="outside the description's folder"):
        _ = svgarch.Diagram.load(spec).model
    built = svgarch.Diagram("Built in Python", css=[str(outside)]).block("a", kind="encoder", row=0, col=0)
    assert OUTSIDE_COLOUR in built.to_svg()
    plain = desc / "plain.toml"
    plain.write_text(BLOCK)
    assert OUTSIDE_COLOUR in svgarch.Diagram.load(plain).to_svg(css=[str(outside)])  # as --css
