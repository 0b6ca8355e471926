"""svgarch.cli: exit 0 on success; exit 2 and one clear line per problem otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from svgarch.cli import main, theme_purpose
from svgarch.theme import available_themes

ROOT = Path(__file__).resolve().parent.parent
GOOD = """\
title = "CLI"
[[block]]
id = "enc0"
row = 0
col = 0
[[block]]
id = "enc1"
row = 1
col = 0
[[edge]]
from = "enc0"
to = "enc1"
label = "down"
"""


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "d.toml"
    path.write_text(GOOD, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def fails_with(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run, expect exit 2 and exactly one 'svgarch: ...' line; return it."""
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert "Traceback" not in err and out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("svgarch: ")
    return lines[0]


# --- success ------------------------------------------------------------------------------


def test_render_writes_the_svg_beside_the_spec(capsys: pytest.CaptureFixture[str], spec: Path) -> None:
    code, out, err = run(capsys, "render", str(spec))
    assert (code, out, err) == (0, "", "")
    svg = spec.with_suffix(".svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and 'data-block="enc0"' in svg


def test_render_writes_every_output_asked_for(capsys: pytest.CaptureFixture[str], spec: Path, tmp_path: Path) -> None:
    outs = [tmp_path / "o.svg", tmp_path / "o.png", tmp_path / "o.pdf"]
    code, _, err = run(capsys, "render", str(spec), *[a for o in outs for a in ("-o", str(o))], "--dpi", "96")
    assert (code, err) == (0, "")
    assert outs[0].read_bytes().startswith(b"<svg")
    assert outs[1].read_bytes().startswith(b"\x89PNG")
    assert outs[2].read_bytes().startswith(b"%PDF")
    assert not spec.with_suffix(".svg").exists()


def test_theme_and_css_options(capsys: pytest.CaptureFixture[str], spec: Path, tmp_path: Path) -> None:
    css = tmp_path / "extra.css"
    css.write_text(".svgarch { --sa-bg: #123456; }")
    out = tmp_path / "o.svg"
    code, _, err = run(capsys, "render", str(spec), "--theme", "light", "--css", str(css), "-o", str(out))
    assert (code, err) == (0, "")
    assert "fill: #123456" in out.read_text()


def test_themes_lists_the_bundled_themes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "themes")
    lines = out.splitlines()
    assert code == 0 and [line.split()[0] for line in lines] == available_themes()
    assert all(line.endswith(".") and len(line.split()) > 3 for line in lines), out  # each says what it is for


def test_a_theme_says_what_it_is_for_in_its_opening_comment() -> None:
    css = "/* calm: soft greys for slides. Kinds by\n * lightness only. */\n.svgarch { --sa-bg: #fff }\n"
    assert theme_purpose(css, "calm") == "soft greys for slides."
    assert theme_purpose("/* one line, no stop */", "calm") == "one line, no stop"
    assert theme_purpose(".svgarch { --sa-bg: #fff } /* late */", "calm") == ""


def test_check_reports_a_clean_diagram(capsys: pytest.CaptureFixture[str], spec: Path) -> None:
    code, out, _ = run(capsys, "check", str(spec))
    assert code == 0 and "clean" in out and "NOT CLEAN" not in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "usage: svgarch" in capsys.readouterr().err


# --- bad input: exit 2, one line, no traceback ------------------------------------------------


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    assert fails_with(capsys, "render", str(missing)) == f"svgarch: {missing}: no such file"


def test_toml_syntax_error_names_its_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n\n[[block]\nid = "a"\n')
    line = fails_with(capsys, "render", str(bad))
    assert line.startswith(f"svgarch: {bad}:3: invalid TOML: ")


def test_unknown_key_with_suggestion(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[block]]\nid = "a"\ntitel = "A"\n')
    assert fails_with(capsys, "render", str(bad)) == (
        f"svgarch: {bad}:3: block[0].titel: unknown key 'titel' (did you mean 'title'?)"
    )


def test_edge_to_an_unknown_block_with_suggestion(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('to = "enc1"', 'to = "enc2"'))
    assert fails_with(capsys, "render", str(bad)) == (
        f"svgarch: {bad}:12: edge[0].to: unknown block 'enc2' (did you mean 'enc1'?)"
    )


def test_every_problem_gets_its_own_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('colour = "x"\n[[block]]\nid = "a"\ntitel = "A"\n[[edge]]\nfrom = "a"\nto = "b"\n')
    code, out, err = run(capsys, "render", str(bad))
    assert code == 2 and out == "" and "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 3
    assert all(ln.startswith(f"svgarch: {bad}:") for ln in lines)
    assert not (tmp_path / "bad.svg").exists()


def test_unknown_theme_option(capsys: pytest.CaptureFixture[str], spec: Path) -> None:
    line = fails_with(capsys, "render", str(spec), "--theme", "drak")
    assert line == f"svgarch: unknown theme 'drak' (available: {', '.join(available_themes())})"


def test_unknown_theme_in_a_description_names_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('theme = "drak"\n[[block]]\nid = "a"\n')
    assert fails_with(capsys, "render", str(bad)).startswith(f"svgarch: {bad}:1: theme: unknown theme 'drak'")


def test_missing_css_file_option(capsys: pytest.CaptureFixture[str], spec: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.css"
    assert fails_with(capsys, "render", str(spec), "--css", str(missing)) == (f"svgarch: {missing}: no such CSS file")


def test_missing_css_file_in_a_description(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('css = "gone.css"\n[[block]]\nid = "a"\n')
    assert fails_with(capsys, "render", str(bad)) == f"svgarch: {bad}:1: css: no such CSS file: {tmp_path / 'gone.css'}"


def test_unknown_output_suffix(capsys: pytest.CaptureFixture[str], spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.gif"
    assert fails_with(capsys, "render", str(spec), "-o", str(out)) == (
        f"svgarch: {out}: unknown output suffix '.gif' (use .svg, .png, .pdf, .html)"
    )


def test_output_folder_missing(capsys: pytest.CaptureFixture[str], spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "no" / "o.svg"
    assert fails_with(capsys, "render", str(spec), "-o", str(out)) == (
        f"svgarch: {out}: output folder {out.parent} does not exist"
    )


@pytest.mark.parametrize(
    ("dpi", "message"),
    [
        ("0", "--dpi must be greater than 0, not 0"),
        ("-5", "--dpi must be greater than 0, not -5"),
        ("0.01", "--dpi must be between 1 and 2400, not 0.01"),  # a PNG would store 0 dots per metre
        ("1e9", "--dpi must be between 1 and 2400, not 1e+09"),
        ("nan", "--dpi must be a finite number, not nan"),
        ("inf", "--dpi must be a finite number, not inf"),
    ],
)
@pytest.mark.parametrize("command", ["render", "gallery"])
def test_bad_dpi(capsys: pytest.CaptureFixture[str], spec: Path, dpi: str, message: str, command: str) -> None:
    assert fails_with(capsys, command, str(spec), "--dpi", dpi) == f"svgarch: {message}"
    assert list(spec.parent.iterdir()) == [spec]


@pytest.mark.parametrize("seconds", ["nan", "inf", "-inf", "1e300", "-1", "86401"])
@pytest.mark.parametrize("command", ["render", "gallery", "check"])
def test_bad_timeout(capsys: pytest.CaptureFixture[str], spec: Path, seconds: str, command: str) -> None:
    line = fails_with(capsys, command, str(spec), f"--timeout={seconds}")
    assert line == f"svgarch: --timeout must be a number of seconds from 0 (never) to 86400, not {float(seconds):g}"


def test_the_default_dpis_are_sound() -> None:
    """The command line checks --dpi only when it is not a default (an SVG render imports no PNG writer):
    so every default must be a resolution the PNG writer takes."""
    from svgarch import cli, cli_args
    from svgarch.render.raster import dpi_problem

    for command in ("render", "gallery", "icons"):
        default = cli_args.parser(command).parse_args([command, *(["x"] if command != "icons" else [])]).dpi
        assert default in (cli.RENDER_DPI, cli.GALLERY_DPI) and dpi_problem(default) is None


def test_an_svg_render_imports_only_what_it_uses(spec: Path, tmp_path: Path) -> None:
    """A plain SVG render imports no batch module, PNG writer or argparse; from a warm cache, no fontconfig
    (ctypes), tinycss2 or fontTools either, nor typing, pathlib, json or signal (svgarch.startup lists why
    each is left out)."""
    heavy: tuple[str, ...] = ("svgarch.batch", "svgarch.render.raster", "cairosvg", "argparse", "ctypes", "tinycss2")
    heavy += ("fontTools", "typing", "pathlib", "urllib.parse", "json", "signal", "tomllib", "threading")
    code = (
        "import sys; from svgarch.cli import main; code = main(sys.argv[1:]);"
        f" print(code, *sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    out = tmp_path / "o.svg"
    command = [sys.executable, "-c", code, "render", str(spec), "-o", str(out)]
    env = {**os.environ, "SVGARCH_CACHE_DIR": str(tmp_path / "cache")}
    cold = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    assert cold.stdout.split()[0] == "0" and not {"svgarch.batch", "svgarch.render.raster", "argparse"} & set(
        cold.stdout.split()
    )
    warm = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    assert warm.stdout.split() == ["0"] and out.is_file()


def test_a_png_at_the_smallest_dpi_still_says_its_resolution(
    capsys: pytest.CaptureFixture[str], spec: Path, tmp_path: Path
) -> None:
    import struct

    out = tmp_path / "o.png"
    assert run(capsys, "render", str(spec), "-o", str(out), "--dpi", "1")[0] == 0
    png = out.read_bytes()
    at = png.index(b"pHYs") + 4
    x, y, unit = struct.unpack(">IIB", png[at : at + 9])
    assert (x, y, unit) == (39, 39, 1)  # 1 dpi = 39.37 dots per metre, never 0


def test_the_api_refuses_a_bad_dpi_too() -> None:
    import svgarch
    from svgarch.errors import SvgarchError

    d = svgarch.Diagram("x").block("a")
    for dpi in (0.0, float("nan"), 1e9):
        with pytest.raises(SvgarchError, match="dpi must be"):
            d.to_png(dpi=dpi)


def test_a_failed_render_keeps_the_old_output(capsys: pytest.CaptureFixture[str], spec: Path, tmp_path: Path) -> None:
    good = tmp_path / "keep.svg"
    good.write_bytes(b"precious")
    fails_with(capsys, "render", str(spec), "-o", str(good), "-o", str(tmp_path / "x.jpeg"))
    assert good.read_bytes() == b"precious"


# --- the real command line ----------------------------------------------------------------


def test_python_dash_m_svgarch(spec: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    out = tmp_path / "o.png"
    done = subprocess.run(
        [sys.executable, "-m", "svgarch", "render", str(spec), "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert out.read_bytes().startswith(b"\x89PNG")
    bad = subprocess.run(
        [sys.executable, "-m", "svgarch", "render", str(tmp_path / "missing.toml")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr == f"svgarch: {tmp_path / 'missing.toml'}: no such file\n"


def test_id_gives_a_second_inlined_copy_ids_of_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    """One diagram inlined twice on a page repeats no id when the second copy is rendered with --id."""
    import re

    spec = str(Path(__file__).parent.parent / "examples" / "resnet.toml")
    assert main(["render", spec, "--inline"]) == 0
    first = capsys.readouterr().out
    assert main(["render", spec, "--inline", "--id", "resnet-again"]) == 0
    second = capsys.readouterr().out
    ids = re.findall(r'\bid="([^"]+)"', first + second)
    assert len(ids) == len(set(ids)) and 'id="resnet-again"' in second
    assert main(["render", spec, "--inline", "--id", "9 bad"]) == 2
    assert "--id: '9 bad' is not a CSS identifier" in capsys.readouterr().err


@pytest.mark.parametrize("registered", [False, True])
def test_the_console_command_ends_with_its_status_and_every_output(
    spec: Path, tmp_path: Path, registered: bool
) -> None:
    """The console command ends at once (os._exit) when nothing is left for Python's exit to do, with the
    same status, stdout and stderr; an atexit function registered (a test runner's, coverage) still runs."""
    code = (
        "import atexit, sys; from svgarch.cli import run\n"
        + ("atexit.register(lambda: print('atexit ran'))\n" if registered else "")
        + "sys.exit(run())"
    )
    out = tmp_path / "o.svg"
    ok = subprocess.run(
        [sys.executable, "-c", code, "render", str(spec), "-o", str(out)], capture_output=True, text=True, cwd=ROOT
    )
    assert (ok.returncode, ok.stderr) == (0, "") and out.read_text().startswith("<svg")
    assert ok.stdout == ("atexit ran\n" if registered else "")
    inline = subprocess.run(
        [sys.executable, "-c", code, "render", str(spec), "--inline"], capture_output=True, text=True, cwd=ROOT
    )
    svg = inline.stdout.removesuffix("atexit ran\n" if registered else "")
    assert inline.returncode == 0 and svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    bad = subprocess.run(
        [sys.executable, "-c", code, "render", str(tmp_path / "nope.toml"), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode == 2 and bad.stderr == f"svgarch: {tmp_path / 'nope.toml'}: no such file\n"
