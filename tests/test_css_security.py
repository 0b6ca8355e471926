"""The holes of issue 9 in CSS and themes, each closed: names, selectors, values, the page, the cache, var()."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

import svgarch
from svgarch.cli import main as svgarch_main
from svgarch.errors import ThemeError
from svgarch.page import _colours, html_page
from svgarch.render.css import UnsafeStylesheet, check_stylesheet, scope, stylesheet
from svgarch.theme import MAX_VALUE, Rule, Theme, load_theme
from tests.css_fuzz import assert_safe_svg

# The exploit of issue 9: escapes in a declaration's name that decode to markup closing the CDATA section.
EXPLOIT = (
    ".svgarch .sa-shape { \\2d \\2d x\\5d \\5d \\3e \\3c script\\3e alert\\28 1\\29 \\3c \\2f script\\3e"
    " \\3c \\21 \\5b CDATA\\5b  : red }"
)


def css_file(folder: Path, text: str, name: str = "user.css") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def spec_file(folder: Path, extra: str = "") -> Path:
    path = folder / "d.toml"
    path.write_text(f'{extra}\n[[block]]\nid = "a"\nkind = "encoder"\n', encoding="utf-8")
    return path


# --- declaration names ------------------------------------------------------------------------------


def test_the_exploit_of_the_issue_is_refused_with_its_file_and_line(tmp_path: Path) -> None:
    path = css_file(tmp_path, "/* brand */\n" + EXPLOIT)
    with pytest.raises(ThemeError, match=rf"^{re.escape(str(path))}:2: "):
        load_theme("dark", [str(path)])


@pytest.mark.parametrize("how", ["--css", "--theme", "css =", "theme ="])
@pytest.mark.parametrize("out", ["d.svg", "page.html", "--inline"])
def test_the_exploit_is_refused_through_every_entry_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str, out: str
) -> None:
    css = css_file(tmp_path, EXPLOIT, "evil.css")
    spec = spec_file(tmp_path, f'{how} "evil.css"' if how.endswith("=") else "")
    args = ["render", str(spec), *([how, str(css)] if how.startswith("--") else [])]
    args += ["--inline"] if out == "--inline" else ["-o", str(tmp_path / out)]
    assert svgarch_main(args) == 2
    captured = capsys.readouterr()
    assert "<script" not in captured.out and "evil.css:1: " in captured.err
    assert not list(tmp_path.glob("d.svg")) and not list(tmp_path.glob("page.html"))


@pytest.mark.parametrize(
    "name",
    ["\\3c script\\3e", "a\\3b b", "x\\7d", "--x\\5d \\5d \\3e", "fi\\6c\\6c\\0", "--a\\20 b", "\\31 x", "--é"],
)
def test_a_name_that_is_not_a_plain_identifier_is_refused(tmp_path: Path, name: str) -> None:
    path = css_file(tmp_path, f".sa-shape {{ {name}: red }}")
    with pytest.raises(ThemeError, match=rf"^{re.escape(str(path))}:1: "):
        load_theme("dark", [str(path)])


def test_a_name_whose_escapes_decode_to_a_plain_identifier_is_written_plainly(tmp_path: Path) -> None:
    path = css_file(tmp_path, ".sa-shape { \\66 ill: #ff0000; \\2d \\2d my-x: 3 }")
    svg = svgarch.Diagram(id="d").block("a").to_svg(css=[str(path)])
    root = assert_safe_svg(svg)
    style = root.findtext("{http://www.w3.org/2000/svg}style") or ""
    assert "#d .sa-shape { fill: #ff0000; --my-x: 3 }" in style


# --- selectors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "selector",
    [".a } .b", ".a ; .b", ".a { .b", "@media .a", ".a\\7d .b", ".a, , .b", "svg|rect", ".a[x=']]>']", "<b>"],
)
def test_a_selector_that_could_leave_its_rule_is_refused(tmp_path: Path, selector: str) -> None:
    path = css_file(tmp_path, f"\n{selector} {{ fill: red }}")
    with pytest.raises(ThemeError, match=rf"^{re.escape(str(path))}:2: "):
        load_theme("dark", [str(path)])


def test_a_stray_brace_in_a_selector_does_not_open_an_unscoped_rule(tmp_path: Path) -> None:
    path = css_file(tmp_path, ".sa-shape } body { background: red }")
    with pytest.raises(ThemeError, match="invalid CSS in a selector"):
        load_theme("dark", [str(path)])


@pytest.mark.parametrize(
    ("selector", "scoped"),
    [
        (":is(.a, .b)", "#x :is(.a, .b)"),
        (":is(.a,.b) .c, .d", "#x :is(.a,.b) .c, #x .d"),
        (":where(.a, .b) > text", "#x :where(.a, .b) > text"),
        (".sa-line:not(.a,.b)", "#x .sa-line:not(.a,.b)"),
        ('[data-kind="a"], .svgarch', '#x [data-kind="a"], #x'),
        (".svgarch :is(.a, .b)", "#x :is(.a, .b)"),
    ],
)
def test_selectors_are_scoped_on_their_own_commas(selector: str, scoped: str) -> None:
    assert scope(selector, "x") == scoped


def test_is_and_where_stay_whole_in_the_stylesheet(tmp_path: Path) -> None:
    path = css_file(tmp_path, ":is(.sa-shape, .sa-pill), :where(.a,.b) > .c { stroke: #010203 }")
    svg = svgarch.Diagram(id="d").block("a").to_svg(css=[str(path)])
    assert "#d :is(.sa-shape, .sa-pill), #d :where(.a,.b) > .c { stroke: #010203 }" in svg
    assert_safe_svg(svg)


# --- values -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("css", "message"),
    [
        (".svgarch { --sa-encoder: #12345 }", "--sa-encoder: '#12345' is not a colour"),
        (".svgarch { --sa-bg: notacolour }", "--sa-bg: 'notacolour' is not a colour"),
        (".svgarch { --sa-palette-3-ink: 12px }", "--sa-palette-3-ink: '12px' is not a colour"),
        (".sa-shape { fill: #12345 }", "fill: '#12345' is not a colour"),
        (".sa-line { stroke: var(--sa-gap-col) }", "stroke: '72px' is not a colour"),
        ("@media screen { .sa-title { color: nope } }", "color: 'nope' is not a colour"),
    ],
)
def test_colours_are_read_by_a_colour_parser(tmp_path: Path, css: str, message: str) -> None:
    path = css_file(tmp_path, "\n" + css)
    with pytest.raises(ThemeError, match=rf"^{re.escape(str(path))}:2: .*{re.escape(message)}"):
        load_theme("dark", [str(path)])


def test_colours_in_every_form_tinycss2_reads_are_accepted(tmp_path: Path) -> None:
    css = ".svgarch { --sa-encoder: #abc; --sa-bg: rgb(1, 2, 3); --sa-dim: transparent; --sa-group: none }"
    theme = load_theme("dark", [str(css_file(tmp_path, css))])
    assert theme.resolve("var(--sa-encoder)") == "#abc"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("inf", "must be a length in px, not 'inf'"),
        ("nan", "must be a length in px, not 'nan'"),
        ("infinity", "must be a length in px"),
        ("1e308px", "the number '1e308' is out of range"),
        ("1e400px", "out of range"),
        ("-5px", "between 0px and 10000px, not '-5px'"),
        ("99999px", "between 0px and 10000px"),
        ("calc(1px)", "must be a length in px"),
    ],
)
def test_absurd_geometry_is_a_theme_error_with_its_line(tmp_path: Path, value: str, message: str) -> None:
    path = css_file(tmp_path, f".svgarch {{\n  --sa-gap-col: {value};\n}}")
    with pytest.raises(ThemeError, match=rf"^{re.escape(str(path))}:2: .*{re.escape(message)}"):
        load_theme("dark", [str(path)])


@pytest.mark.parametrize(
    "css",
    [
        ".svgarch { --sa-title-size: 0px }",
        ".svgarch { --sa-edge-width: 0 }",
        ".svgarch { --sa-skip-width: -1px }",
        ".sa-title { font-size: 1e6px }",
        ".svgarch { --sa-margin: nan }",
    ],
)
def test_absurd_geometry_exits_2_not_70(tmp_path: Path, capsys: pytest.CaptureFixture[str], css: str) -> None:
    css_file(tmp_path, css, "geo.css")
    spec = spec_file(tmp_path, 'css = "geo.css"')
    assert svgarch_main(["render", str(spec), "-o", str(tmp_path / "d.svg")]) == 2
    assert re.match(r"svgarch: \S*geo\.css:1: ", capsys.readouterr().err)


def test_a_var_bomb_is_refused_quickly(tmp_path: Path) -> None:
    # each variable twice the one before: 40 lines would expand to 2^40 copies
    lines = [".svgarch {", "  --v0: #123456;"]
    lines += [f"  --v{i}: var(--v{i - 1}) var(--v{i - 1});" for i in range(1, 40)]
    lines += ["}", ".sa-title { stroke-dasharray: var(--v39); }"]
    path = css_file(tmp_path, "\n".join(lines))
    assert path.stat().st_size < 2000
    started = time.monotonic()
    with pytest.raises(ThemeError, match=f"grows past {MAX_VALUE} characters"):
        load_theme("dark", [str(path)])
    assert time.monotonic() - started < 5


def test_var_expansion_is_bounded_in_length_and_depth() -> None:
    doubling = {"--v0": "1"} | {f"--v{i}": f"var(--v{i - 1}) var(--v{i - 1})" for i in range(1, 13)}
    theme = Theme("t", doubling, ())
    assert theme.resolve("var(--v11)") == " ".join(["1"] * 2048)  # 4,095 characters: within the bound
    with pytest.raises(ThemeError, match=f"grows past {MAX_VALUE} characters"):
        theme.resolve("var(--v12)")
    too_deep = Theme("t", {f"--v{i}": f"var(--v{i + 1})" for i in range(40)} | {"--v40": "1"}, ())
    with pytest.raises(ThemeError, match="loop"):
        too_deep.resolve("var(--v0)")


# --- the assembled stylesheet -----------------------------------------------------------------------


def tiny_scene() -> svgarch.Diagram:
    return svgarch.Diagram(id="d").block("a", kind="encoder")


@pytest.mark.parametrize(
    "sheet",
    [
        "body { fill: red }",
        "#d .a { fill: red } body { fill: red }",
        "#d .a, body { fill: red }",
        "#dx .a { fill: red }",
        "@media screen { body { fill: red } }",
        "#d .a { fill: url(http://127.0.0.1:9/x) }",
        "#d .a { fill: url(#other) }",
        '#d .a { fill: url("#d-pattern-x") }',
        "#d .a { fill: red; @import 'x' }",
        "@import 'x.css';",
        "#d .a { content: '<' }",
        "#d .a { fill: red } ]]>",
        "@font-face { font-family: x }",
        "#d .a { fill: expression(1) }",
        "#d .a { fill: red }\n#d .b { fill: red",
    ],
)
def test_the_last_line_of_defence_fails_loudly(sheet: str) -> None:
    with pytest.raises(UnsafeStylesheet):
        check_stylesheet(sheet, "d")


def test_the_last_line_of_defence_passes_what_svgarch_writes() -> None:
    check_stylesheet("#d .a, #d :is(.b, .c) { fill: url(#d-pattern-x) }\n@media screen { #d > .x { a: b } }", "d")


def test_a_theme_built_around_the_checks_cannot_reach_the_output() -> None:
    # a Theme made by hand (as a crafted cache once could) with an unscoped rule: the build fails, loudly
    scene, theme = svgarch.pipeline.build_scene(tiny_scene().model)
    bad = theme._replace(rules=(*theme.rules, Rule(".a } body { fill: red", (("fill", "red"),), "", "css")))
    with pytest.raises(UnsafeStylesheet):
        stylesheet(scene, bad)
    named = theme._replace(rules=(*theme.rules, Rule(".a", (("--x]]><script>", "red"),), "", "css")))
    with pytest.raises(UnsafeStylesheet):
        stylesheet(scene, named)


# --- the HTML page ----------------------------------------------------------------------------------


def test_the_page_writes_only_plain_variable_names() -> None:
    hostile = {"--sa-x</style><script>alert(1)</script>": "#ffffff", "--sa-ok": "#000000", "--sa-y;}": "#111111"}
    assert _colours(hostile) == {"--sa-ok": "#000000"}


def test_the_page_holds_no_markup_from_the_css(tmp_path: Path) -> None:
    css = css_file(tmp_path, ".svgarch { --sa-encoder: #123456; --sa-\\41 x: #654321 }")
    d = svgarch.Diagram(id="d", css=[str(css)]).block("a", kind="encoder")
    page = html_page(d.to_svg(), d.model)
    assert page.count("<script>") == 1  # the page's own switch
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "--sa-encoder: #123456;" in style and "--sa-Ax: #654321;" in style
    assert "<" not in style


# --- the cache --------------------------------------------------------------------------------------


def cached_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Theme]:
    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(tmp_path / "cache"))
    css = css_file(tmp_path, ".sa-shape { fill: #102030 }\n.svgarch { --sa-encoder: #112233 }")
    fresh = load_theme("dark", [str(css)])
    (entry,) = (tmp_path / "cache").glob("theme-*.json")
    return css, entry, fresh


def _edit(entry: Path, change: str) -> None:
    raw = json.loads(entry.read_text(encoding="utf-8"))
    rules = raw["rules"]
    last = rules[-2]  # the user's .sa-shape rule
    if change == "name":
        last[4][0][1] = "--x]]><script>alert(1)</script>"
    elif change == "selector":
        last[3] = ".sa-shape { } body"
    elif change == "value":
        last[4][0][2] = "url(http://127.0.0.1:9/x)"
    elif change == "function":
        last[4][0][2] = "image-set(a)"
    elif change == "media":
        last[2] = "screen { body"
    elif change == "escape":
        last[4][0][2] = "\\3c script"
    elif change == "colour":
        last[4][0][2] = "notacolour"
    elif change == "geometry":
        rules[0][4][0][2] = "1e308px"
    elif change == "type":
        last[4][0][3] = "yes"
    elif change == "shape":
        last.append("extra")
    elif change == "where":
        last[0] = "x\n:1"
    elif change == "role":
        last[1] = "kind"
    elif change == "version":
        raw["version"] = 2
    entry.write_text(json.dumps(raw), encoding="utf-8")


CHANGES = ["name", "selector", "value", "function", "media", "escape", "colour", "geometry", "type", "shape",
           "where", "role", "version"]


@pytest.mark.parametrize("change", CHANGES)
def test_a_crafted_cache_entry_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    css, entry, fresh = cached_entry(tmp_path, monkeypatch)
    _edit(entry, change)
    assert load_theme("dark", [str(css)]) == fresh  # parsed again from the file
    svg = svgarch.Diagram(id="d").block("a", kind="encoder").to_svg(css=[str(css)])
    assert "script" not in svg and "127.0.0.1" not in svg
    assert_safe_svg(svg)


def test_a_cache_entry_written_by_a_fresh_parse_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    css, entry, _ = cached_entry(tmp_path, monkeypatch)
    raw = json.loads(entry.read_text(encoding="utf-8"))
    raw["rules"][-1][4][0][2] = "#445566"  # a well-formed entry is trusted as far as the checks allow
    entry.write_text(json.dumps(raw), encoding="utf-8")
    assert load_theme("dark", [str(css)]).variables["--sa-encoder"] == "#445566"


def test_a_bad_pattern_names_its_file_and_line(tmp_path: Path) -> None:
    path = css_file(tmp_path, "\n.svgarch { --sa-encoder-pattern: zigzag }")
    with pytest.raises(ThemeError, match=rf"^{re.escape(str(path))}:2: --sa-encoder-pattern must be one of"):
        tiny_scene().to_svg(css=[str(path)])
