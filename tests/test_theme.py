"""svgarch.theme: CSS themes parsed into variables, rules and text fonts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from svgarch.errors import ThemeError
from svgarch.fonts import FontFace
from svgarch.theme import Theme, available_themes, load_theme, styles_dir


def css_file(folder: Path, text: str, name: str = "user.css") -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_bundled_themes_are_listed_without_base() -> None:
    names = available_themes()
    assert names == sorted(names)
    assert {"dark", "light"} <= set(names)
    assert "base" not in names
    assert (styles_dir() / "base.css").is_file()


def test_dark_theme_has_the_seed_palette(dark: Theme) -> None:
    assert dark.name == "dark"
    # the seed's colours; its kind colours are the inks (lines, labels) now, block fills a deeper shade (AA)
    expected = {"--sa-bg": "#0f172a", "--sa-encoder-ink": "#3b82f6", "--sa-skip": "#f97316", "--sa-arrow": "#94a3b8"}
    assert {k: dark.resolve(f"var({k})").lower() for k in expected} == expected


def test_resolve_replaces_every_var(dark: Theme) -> None:
    assert dark.resolve("var(--sa-bg)") == "#0f172a"
    assert dark.resolve("1px solid var(--sa-bg)") == "1px solid #0f172a"
    assert dark.resolve("var(--sa-nope, #123456)") == "#123456"
    assert dark.resolve("var(--sa-nope, var(--sa-bg))") == "#0f172a"
    assert dark.resolve("var(--sa-bg, #123456)") == "#0f172a"  # a defined variable beats its fallback
    assert dark.resolve("  12px ") == "12px"


def test_an_undefined_variable_without_fallback_is_an_error(dark: Theme) -> None:
    with pytest.raises(ThemeError, match="variable --sa-nope is not defined"):
        dark.resolve("var(--sa-nope)")


def test_variables_resolve_through_each_other(tmp_path: Path) -> None:
    theme = load_theme("dark", [css_file(tmp_path, ".svgarch { --sa-a: var(--sa-b); --sa-b: var(--sa-bg); }")])
    assert theme.resolve("var(--sa-a)") == "#0f172a"


def test_a_variable_loop_is_an_error_not_a_hang(tmp_path: Path) -> None:
    path = css_file(tmp_path, ".svgarch {\n  --sa-a: var(--sa-b);\n  --sa-b: var(--sa-a); }")
    with pytest.raises(ThemeError, match=rf"^{re.escape(path)}:[23]: variables refer to each other in a loop"):
        load_theme("dark", [path])


def test_an_unused_fallback_is_never_evaluated(dark: Theme) -> None:
    assert dark.resolve("var(--sa-bg, var(--sa-nope, var(--sa-undefined)))") == "#0f172a"


def test_length_reads_px_values(dark: Theme, tmp_path: Path) -> None:
    assert dark.length("--sa-margin") == 28.0
    theme = load_theme("dark", [css_file(tmp_path, ".svgarch { --sa-port-spread: 12; }")])
    assert theme.length("--sa-port-spread") == 12.0  # unitless is px too


def test_length_refuses_other_units(tmp_path: Path) -> None:
    path = css_file(tmp_path, ".svgarch { --sa-margin: 2em; }")
    with pytest.raises(ThemeError, match=rf"^{re.escape(path)}:1: --sa-margin must be a length in px, not '2em'"):
        load_theme("dark", [path])


@pytest.mark.parametrize("value", ["0", "0.4", ".25", "1", "1.0"])
def test_the_fade_is_an_opacity_a_user_may_set(tmp_path: Path, value: str) -> None:
    theme = load_theme("dark", [css_file(tmp_path, f".svgarch {{ --sa-fade: {value}; }}")])
    assert theme.resolve("var(--sa-fade)") == value  # was refused as "not a colour" until 2026-12-07


@pytest.mark.parametrize("value", ["red", "2", "40%", "-0.5"])
def test_the_fade_refuses_what_is_not_an_opacity(tmp_path: Path, value: str) -> None:
    path = css_file(tmp_path, f".svgarch {{ --sa-fade: {value}; }}")
    with pytest.raises(ThemeError, match=rf"^{re.escape(path)}:1: --sa-fade must be an opacity from 0 to 1, not "):
        load_theme("dark", [path])


def test_font_of_a_role(dark: Theme) -> None:
    assert dark.font("block-title") == (FontFace("DejaVu Sans Mono", "bold"), 13.0)
    assert dark.font("block-subtitle") == (FontFace("DejaVu Sans"), 11.0)
    assert dark.font("note") == (FontFace("DejaVu Sans", style="italic"), 13.0)
    assert dark.font("title") == (FontFace("DejaVu Sans", "bold"), 20.0)
    assert dark.font("unstyled-role") == (FontFace("DejaVu Sans"), 12.0)  # the defaults


def test_user_css_changes_the_measured_font(tmp_path: Path) -> None:
    css = css_file(
        tmp_path,
        ".svgarch { --sa-block-title-size: 17px; }\n"
        ".sa-note { font-family: 'DejaVu Serif', serif; font-style: normal; font-weight: 700; }\n",
    )
    theme = load_theme("dark", [css])
    assert theme.font("block-title") == (FontFace("DejaVu Sans Mono", "bold"), 17.0)
    assert theme.font("note") == (FontFace("DejaVu Serif", "bold"), 13.0)


def test_rules_inside_media_do_not_change_the_measured_font(tmp_path: Path) -> None:
    theme = load_theme("dark", [css_file(tmp_path, "@media screen { .sa-note { font-size: 30px; } }")])
    assert theme.font("note")[1] == 13.0
    assert theme.rules[-1].media == "screen"


def test_important_font_size_is_still_a_size(tmp_path: Path) -> None:
    theme = load_theme("dark", [css_file(tmp_path, ".sa-block-title { font-size: 14px !important; }")])
    assert theme.font("block-title")[1] == 14.0


def test_a_rule_scoped_under_svgarch_changes_the_measured_font(tmp_path: Path) -> None:
    theme = load_theme("dark", [css_file(tmp_path, ".svgarch .sa-block-title { font-size: 20px; }")])
    assert theme.font("block-title")[1] == 20.0


def test_font_size_must_be_px(tmp_path: Path) -> None:
    theme = load_theme("dark", [css_file(tmp_path, ".sa-note { font-size: 1.2em; }")])
    with pytest.raises(ThemeError, match=r"\.sa-note font-size must be a length in px, not '1.2em'"):
        theme.font("note")


def test_later_sources_win(tmp_path: Path) -> None:
    first = css_file(tmp_path, ".svgarch { --sa-bg: #111111; }", "a.css")
    second = css_file(tmp_path, ":root { --sa-bg: #222222; }", "b.css")
    assert load_theme("dark", [first, second]).resolve("var(--sa-bg)") == "#222222"
    assert load_theme("light").resolve("var(--sa-bg)") == "#ffffff"


def test_rules_keep_their_origin_and_order(tmp_path: Path) -> None:
    theme = load_theme("dark", [css_file(tmp_path, ".sa-title { fill: red; }")])
    origins = [r.origin for r in theme.rules]
    assert origins[0] == "base" and origins[-1] == "css"
    assert origins == sorted(origins, key=["base", "theme", "css"].index)
    assert theme.rules[-1].selector == ".sa-title" and theme.rules[-1].declarations == (("fill", "red"),)


def test_a_theme_given_as_a_css_path(tmp_path: Path) -> None:
    theme = load_theme(css_file(tmp_path, ".svgarch { --sa-bg: #abcdef; }", "mine.css"))
    assert theme.name == "mine"
    assert theme.resolve("var(--sa-bg)") == "#abcdef"
    assert theme.length("--sa-margin") == 28.0  # base.css still applies


def test_unknown_theme_lists_the_available_ones() -> None:
    with pytest.raises(ThemeError) as info:
        load_theme("drak")
    assert str(info.value) == f"unknown theme 'drak' (available: {', '.join(available_themes())})"


@pytest.mark.parametrize("as_theme", [True, False])
def test_missing_css_file(tmp_path: Path, as_theme: bool) -> None:
    missing = str(tmp_path / "missing.css")
    what = "theme file" if as_theme else "CSS file"
    with pytest.raises(ThemeError, match=f"missing.css: no such {what}"):
        load_theme(missing) if as_theme else load_theme("dark", [missing])


def test_unreadable_css_files(tmp_path: Path) -> None:
    with pytest.raises(ThemeError, match="is a directory"):
        load_theme("dark", [str(tmp_path)])
    latin1 = tmp_path / "latin1.css"
    latin1.write_bytes(b".a { content: '\xe9' }")
    with pytest.raises(ThemeError, match="is not UTF-8 text"):
        load_theme("dark", [str(latin1)])
    huge = css_file(tmp_path, "/*" + "x" * 300_000 + "*/", "huge.css")
    with pytest.raises(ThemeError, match="the limit for a CSS file is"):
        load_theme("dark", [huge])


@pytest.mark.parametrize(
    ("css", "refused"),
    [
        ('@import "other.css";', "@import is not allowed"),
        ("@font-face { font-family: x; src: local(x); }", "@font-face is not allowed"),
        (".a { fill: url(#x); }", "'url(' is not allowed"),
        (".a { fill: u\\72l(http://x/y); }", "'url(' is not allowed"),  # escapes are decoded first
        (".a { fill: expression(alert(1)); }", "'expression(' is not allowed"),
        ('.a { fill: "javascript:alert(1)"; }', "'javascript:' is not allowed"),
        (".a { fill: '</style><script>'; }", "'<' is not allowed"),
        ('.a[title="]]>"] { fill: red; }', "']]>' is not allowed"),
    ],
)
def test_unsafe_css_is_refused_with_its_line(tmp_path: Path, css: str, refused: str) -> None:
    path = css_file(tmp_path, "\n\n" + css)
    with pytest.raises(ThemeError) as info:
        load_theme("dark", [path])
    assert str(info.value).startswith(f"{path}:3: ")
    assert refused in str(info.value)


@pytest.mark.parametrize(
    ("css", "refused"),
    [
        ("@media screen {\n\n  .a { fill: url(x); }\n}", "'url(' is not allowed"),
        ("@media print {\n\n  @media screen { .a { fill: red; } }\n}", "@media is not allowed"),
    ],
)
def test_unsafe_css_inside_media_is_refused(tmp_path: Path, css: str, refused: str) -> None:
    with pytest.raises(ThemeError, match=re.escape(refused)):
        load_theme("dark", [css_file(tmp_path, css)])


def test_a_problem_inside_media_reports_its_own_line(tmp_path: Path) -> None:
    path = css_file(tmp_path, ".a { fill: red; }\n\n@media screen {\n\n  .a { fill: url(x); }\n}")
    with pytest.raises(ThemeError) as info:
        load_theme("dark", [path])
    assert str(info.value).startswith(f"{path}:5: ")


def test_invalid_css_is_reported(tmp_path: Path) -> None:
    path = css_file(tmp_path, ".a { fill: red; }\n}")
    with pytest.raises(ThemeError, match="invalid CSS"):
        load_theme("dark", [path])


def test_a_parsed_theme_is_cached_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(tmp_path / "cache"))
    css = css_file(tmp_path, ".svgarch { --sa-encoder: #112233; }")
    first = load_theme("dark", [css])
    assert list((tmp_path / "cache").glob("theme-*.json"))
    import tinycss2

    def no_parse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a cached theme must not be parsed again")

    monkeypatch.setattr(tinycss2, "parse_stylesheet", no_parse)
    assert load_theme("dark", [css]) == first
    monkeypatch.undo()
    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(tmp_path / "cache"))
    Path(css).write_text(".svgarch { --sa-encoder: #445566; }", encoding="utf-8")
    assert load_theme("dark", [css]).variables["--sa-encoder"] == "#445566"


def test_a_theme_checked_once_is_not_checked_again_until_its_entry_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from svgarch import theme as theme_module

    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(tmp_path / "cache"))
    css = css_file(tmp_path, ".svgarch { --sa-encoder: #112233 }")
    first = load_theme("dark", [css])  # parsed, written to the cache, remembered by the entry's bytes
    checks: list[object] = []
    real = theme_module.rules_from_cache  # type: ignore[attr-defined]  # imported there from theme_checks

    def counting(raw: object, name: str) -> object:
        checks.append(name)
        return real(raw, name)

    monkeypatch.setattr(theme_module, "rules_from_cache", counting)
    assert load_theme("dark", [css]) is first and not checks
    (entry,) = (tmp_path / "cache").glob("theme-*.json")
    raw = json.loads(entry.read_text(encoding="utf-8"))
    raw["rules"][-1][4][0][2] = "#445566"  # another process's entry: checked again, then believed as fresh
    entry.write_text(json.dumps(raw), encoding="utf-8")
    assert load_theme("dark", [css]).variables["--sa-encoder"] == "#445566" and checks == ["dark"]
    Path(css).write_text(".svgarch { --sa-encoder: #abcdef }", encoding="utf-8")  # new CSS: a new theme
    assert load_theme("dark", [css]).variables["--sa-encoder"] == "#abcdef"
