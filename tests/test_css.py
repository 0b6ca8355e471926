"""svgarch.render.css: the diagram's stylesheet, scoped to its id, readable everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import tinycss2

import svgarch
from svgarch.pipeline import build_scene
from svgarch.render.css import scope, stylesheet
from svgarch.render.kinds import kind_rules
from svgarch.scene import Scene
from svgarch.theme import Theme

DIAGRAM_ID = "diag"


def tiny(css: tuple[str, ...] = (), **settings: object) -> tuple[Scene, Theme]:
    d = svgarch.Diagram("T", id=DIAGRAM_ID, css=list(css), **settings)
    d.block("a", kind="encoder", row=0, col=0).block("b", kind="brandnew", row=1, col=0)
    d.block("c", row=1, col=1)
    d.edge("a", "b", kind="skip", label="s").edge("b", "c", kind="plain")
    d.note("n", kind="film", row=2, col=0)
    return build_scene(d.model)


def parts(sheet: str) -> tuple[list[tinycss2.ast.QualifiedRule], list[tinycss2.ast.QualifiedRule], list[str]]:
    """Top-level rules, rules inside ``@media screen``, and other @media conditions."""
    top, screen, other = [], [], []
    for node in tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True):
        assert node.type in ("qualified-rule", "at-rule"), node
        if node.type == "qualified-rule":
            top.append(node)
            continue
        condition = tinycss2.serialize(node.prelude).strip()
        inner = [n for n in tinycss2.parse_rule_list(node.content, True, True)]
        if condition == "screen":
            screen.extend(inner)
        else:
            other.append(condition)
    return top, screen, other


def declarations(rule: tinycss2.ast.QualifiedRule) -> list[tuple[str, str]]:
    return [
        (d.name, tinycss2.serialize(d.value).strip())
        for d in tinycss2.parse_declaration_list(rule.content, True, True)
        if d.type == "declaration"
    ]


def selectors(rule: tinycss2.ast.QualifiedRule) -> list[str]:
    """The selector list's own items (commas inside ``:is()`` or ``:has()`` do not split it)."""
    items: list[str] = [""]
    for token in rule.prelude:
        if token.type == "literal" and token.value == ",":
            items.append("")
        else:
            items[-1] += tinycss2.serialize([token])
    return [s.strip() for s in items]


def var_calls(tokens: list[tinycss2.ast.Node]) -> list[list[tinycss2.ast.Node]]:
    """The arguments of every var() in a value, nested ones included."""
    out = []
    for t in tokens:
        if t.type == "function":
            if t.lower_name == "var":
                out.append(t.arguments)
            out.extend(var_calls(t.arguments))
    return out


# --- scoping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selector", "scoped"),
    [
        (".sa-title", "#d .sa-title"),
        (".svgarch", "#d"),
        (":root", "#d"),
        (".svgarch .sa-title", "#d .sa-title"),
        (":root .sa-edge > .sa-line", "#d .sa-edge > .sa-line"),
        (".a, .b", "#d .a, #d .b"),
        ("text.sa-note,.svgarch", "#d text.sa-note, #d"),
    ],
)
def test_scope_puts_every_selector_under_the_diagram(selector: str, scoped: str) -> None:
    assert scope(selector, "d") == scoped


def test_every_rule_is_scoped_under_the_id() -> None:
    scene, theme = tiny()
    top, screen, _ = parts(stylesheet(scene, theme))
    assert top and screen
    for rule in top + screen:
        for sel in selectors(rule):
            assert sel == f"#{DIAGRAM_ID}" or sel.startswith((f"#{DIAGRAM_ID} ", f"#{DIAGRAM_ID}:")), sel


# --- plain values for every renderer, var() only for browsers ------------------------------


def test_rules_outside_media_screen_have_plain_values() -> None:
    scene, theme = tiny()
    top, _, _ = parts(stylesheet(scene, theme))
    for rule in top:
        for name, value in declarations(rule):
            assert "var(" not in value, (name, value)
            assert not name.startswith("--")
    fills = {sel: dict(declarations(r)) for r in top for sel in selectors(r)}
    assert fills[f"#{DIAGRAM_ID} .sa-background"]["fill"] == "#0f172a"
    assert fills[f"#{DIAGRAM_ID} .sa-block.sa-k-encoder > .sa-shape"]["fill"] == "#2563eb"


def test_media_screen_repeats_dynamic_values_as_var_with_a_fallback() -> None:
    scene, theme = tiny()
    _, screen, _ = parts(stylesheet(scene, theme))
    assert screen
    resets = {scope(".svgarch", DIAGRAM_ID), f"#{DIAGRAM_ID} *", f"#{DIAGRAM_ID} text"}
    for rule in screen:
        for name, value in declarations(rule):
            node_value = tinycss2.parse_component_value_list(value)
            calls = var_calls(node_value)
            if not calls and (name, value) in (("opacity", "1"), ("outline-offset", "2px")):
                continue  # svgarch.render.pointer: what hover lights up, and the focus ring's place
            if not calls:  # only the reset against a page's element rules has plain values here
                assert {s.split("[")[0] for s in selectors(rule)} <= resets, (selectors(rule), name, value)
            for args in calls:
                commas = [a for a in args if a.type == "literal" and a.value == ","]
                assert commas, f"var() without fallback in {name}: {value}"
    screen_fill = {sel: dict(declarations(r)) for r in screen for sel in selectors(r)}
    assert screen_fill[f"#{DIAGRAM_ID} .sa-background"]["fill"] == "var(--sa-bg, #0f172a)"
    assert screen_fill[f"#{DIAGRAM_ID} .sa-block.sa-k-encoder > .sa-shape"]["fill"] == "var(--sa-encoder, #2563eb)"


def test_no_custom_property_is_declared_in_the_output(tmp_path: Path) -> None:
    user = tmp_path / "user.css"
    user.write_text(".svgarch { --sa-bg: #101010; --sa-mine: #abcdef; }\n.sa-title { fill: var(--sa-mine); }\n")
    scene, theme = tiny((str(user),))
    sheet = stylesheet(scene, theme)
    top, screen, _ = parts(sheet)
    for rule in top + screen:
        assert not [n for n, _ in declarations(rule) if n.startswith("--")], tinycss2.serialize(rule.prelude)
    plain = {sel: dict(declarations(r)) for r in top for sel in selectors(r)}
    assert plain[f"#{DIAGRAM_ID} .sa-background"]["fill"] == "#101010"  # the user's value, resolved
    assert plain[f"#{DIAGRAM_ID} .sa-title"]["fill"] == "#abcdef"


def test_a_media_variable_is_not_declared_in_the_output(tmp_path: Path) -> None:
    user = tmp_path / "user.css"
    user.write_text("@media (prefers-color-scheme: light) { .svgarch { --sa-bg: #ffffff; } }\n")
    scene, theme = tiny((str(user),))
    assert "--sa-bg:" not in stylesheet(scene, theme)


def test_other_media_rules_stay_for_browsers(tmp_path: Path) -> None:
    user = tmp_path / "user.css"
    user.write_text("@media (prefers-color-scheme: light) { .sa-title { fill: var(--sa-dim); } }\n")
    scene, theme = tiny((str(user),))
    sheet = stylesheet(scene, theme)
    _, _, other = parts(sheet)
    motion = "screen and (prefers-reduced-motion: no-preference)"  # svgarch.render.pointer's fading
    assert other == [motion, "(prefers-color-scheme: light)"]
    assert f"#{DIAGRAM_ID} .sa-title {{ fill: var(--sa-dim, #8593a8) }}" in sheet


# --- order and kinds -------------------------------------------------------------------


def test_rules_come_theme_then_kinds_then_user(tmp_path: Path) -> None:
    user = tmp_path / "user.css"
    user.write_text(".sa-edge.sa-k-skip > .sa-line { stroke: #00ff00; }\n")
    scene, theme = tiny((str(user),))
    sheet = stylesheet(scene, theme)
    base = sheet.index(f"#{DIAGRAM_ID} .sa-line {{")
    kind = sheet.index(f"#{DIAGRAM_ID} .sa-edge.sa-k-skip > .sa-line,")
    mine = sheet.index(f"#{DIAGRAM_ID} .sa-edge.sa-k-skip > .sa-line {{ stroke: #00ff00 }}")
    assert base < kind < mine < sheet.index("@media screen")


def test_kind_rules_use_the_theme_colour_or_the_next_palette_colour() -> None:
    scene, theme = tiny()  # block kinds encoder, brandnew; edge kinds skip, plain; note kind film
    fills = {r.selector.split(",")[0]: dict(r.declarations) for r in kind_rules(scene, theme)}
    # a kind the theme names reads its own variables only; the chain ends at the plain value
    assert fills[".sa-block.sa-k-encoder > .sa-shape"]["fill"] == "var(--sa-encoder, #2563eb)"
    assert fills[".sa-block.sa-k-encoder > text"]["fill"] == "var(--sa-encoder-text, var(--sa-block-text, #ffffff))"
    # an unnamed kind takes its palette slot (every kind takes the next one in order of first use)
    assert fills[".sa-block.sa-k-brandnew > .sa-shape"]["fill"] == "var(--sa-brandnew, var(--sa-palette-1, #047857))"
    line = fills[".sa-edge.sa-k-skip > .sa-line"]
    assert line["stroke"] == "var(--sa-skip-ink, var(--sa-skip, #f97316))"
    assert line["stroke-dasharray"] == "var(--sa-skip-dash, 7 4)"
    assert line["stroke-width"] == "var(--sa-skip-width, var(--sa-edge-width, 1.6px))"
    assert fills[".sa-edge.sa-k-plain > .sa-head"]["fill"] == (
        "var(--sa-plain-ink, var(--sa-plain, var(--sa-palette-3-ink, var(--sa-palette-3, #f472b6))))"
    )
    assert fills[".sa-note.sa-k-film"]["fill"] == "var(--sa-film-label, var(--sa-film-ink, var(--sa-film, #f59e0b)))"


def test_kinds_resolve_to_plain_colours_and_dashes() -> None:
    scene, theme = tiny()
    top, _, _ = parts(stylesheet(scene, theme))
    plain = {sel: dict(declarations(r)) for r in top for sel in selectors(r)}
    skip = plain[f"#{DIAGRAM_ID} .sa-edge.sa-k-skip > .sa-line"]
    assert skip == {"stroke": "#f97316", "stroke-dasharray": "7 4", "stroke-width": "1.6px"}
    plain_edge = plain[f"#{DIAGRAM_ID} .sa-edge.sa-k-plain > .sa-line"]
    assert plain_edge["stroke-dasharray"] == "none" and plain_edge["stroke-width"] == "1.8px"
    assert plain[f"#{DIAGRAM_ID} .sa-block.sa-k-brandnew > .sa-shape"]["fill"].startswith("#")
    assert plain[f"#{DIAGRAM_ID} .sa-note.sa-k-film"]["fill"] == "#f59e0b"


def test_the_stylesheet_is_a_pure_function() -> None:
    scene, theme = tiny()
    assert stylesheet(scene, theme) == stylesheet(scene, theme)
