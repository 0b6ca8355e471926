"""The theme family, inline snippets, embedded fonts, HTML pages and notebooks (no browser needed)."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import svgarch
from svgarch.cli import main as svgarch_main
from svgarch.errors import ThemeError
from svgarch.render.kinds import PATTERNS
from svgarch.render.raster import to_png
from svgarch.theme import available_themes, load_theme
from tests.test_contrast import PALETTE_KINDS, named_kinds

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "cnn_v3.toml"
NS = "{http://www.w3.org/2000/svg}"
DARK = "(prefers-color-scheme: dark)"


def test_the_family_is_bundled() -> None:
    assert set(available_themes()) >= {"dark", "light", "auto", "print", "high-contrast", "okabe-ito"}


def test_auto_is_light_for_renderers_and_dark_for_browsers_that_prefer_it() -> None:
    auto, light, dark = load_theme("auto"), load_theme("light"), load_theme("dark")
    assert auto.variables == light.variables
    assert [c for c, _ in auto.media_variables] == [DARK]
    assert auto.variant(DARK).variables == {**light.variables, **dark.variables}
    svg = svgarch.load(SEED).to_svg(theme="auto")
    style = svg[svg.index("<style") : svg.index("</style>")]
    assert f"@media {DARK} {{" in style
    assert not re.search(r"[{;]\s*--sa-[\w-]+\s*:", style), "a custom property is declared: it would beat a page's"
    dark_block = style[style.index(f"@media {DARK}") :]
    assert f"var(--sa-bg, {dark.variables['--sa-bg']})" in dark_block


def test_only_bundled_themes_may_import(tmp_path: Path) -> None:
    user = tmp_path / "mine.css"
    user.write_text('@import "dark.css";\n', encoding="utf-8")
    with pytest.raises(ThemeError, match="@import is not allowed"):
        load_theme(str(user))


def test_print_tells_kinds_apart_without_colour() -> None:
    theme = load_theme("print")
    slots = [f"--sa-palette-{i}" for i in range(8)]
    assert {theme.resolve(f"var({v})") for v in slots} <= {"#ffffff", "#e6e6e6"}  # grey levels only
    looks = {(theme.resolve(f"var({v}-pattern, none)"), theme.resolve(f"var({v})")) for v in slots}
    dashes = {theme.resolve(f"var({v}-dash, none)") for v in slots}
    assert len(looks) == 8 and len(dashes) == 8 and "none" not in dashes, (looks, dashes)
    # and a diagram with eight kinds draws them so: five block kinds, three edge kinds, one kindless edge
    d = svgarch.Diagram("print", theme="print")
    block_kinds, edge_kinds = PALETTE_KINDS[:5], PALETTE_KINDS[5:]
    for i, k in enumerate(block_kinds):
        d.block(f"b{i}", k, kind=k, row=0, col=i)
    for i, k in enumerate(edge_kinds):
        d.edge(f"b{i}", f"b{i + 1}", kind=k)
    d.edge("b3", "b4")
    root = ET.fromstring(d.to_svg())
    plain = "".join(s.text or "" for s in root.iter(f"{NS}style")).split("@media")[0]
    drawn = []
    for k in block_kinds:
        fill = re.search(rf"\.sa-block\.sa-k-{k} > \.sa-shape, [^{{]*\{{ fill: ([^ ]+) \}}", plain)
        assert fill is not None, k
        look = fill.group(1)
        if look.startswith("url(#"):
            (pattern,) = [p for p in root.iter(f"{NS}pattern") if p.get("id") == look[5:-1]]
            look = next(str(e.get("d")) for e in pattern if e.get("class") == "sa-hatch")
        drawn.append(look)
    assert len(set(drawn)) == len(drawn), drawn
    line_rule = r"\.sa-edge\.sa-k-{} > \.sa-line, [^{{]*\{{[^}}]*stroke-dasharray: ([^;]+);"
    edge_dashes = [re.search(line_rule.format(k), plain) for k in edge_kinds]
    values = [m.group(1) if m else "none" for m in edge_dashes]
    assert "none" not in values and len(set(values)) == len(values), values


def test_a_pattern_must_be_known(tmp_path: Path) -> None:
    css = tmp_path / "p.css"
    css.write_text(".svgarch { --sa-encoder-pattern: zigzag; }", encoding="utf-8")
    d = svgarch.Diagram("x", theme="print", css=[str(css)]).block("a", kind="encoder", row=0, col=0)
    with pytest.raises(ThemeError, match="must be one of " + ", ".join(PATTERNS)):
        d.to_svg()


def block_looks(d: svgarch.Diagram) -> dict[str, tuple[str, str]]:
    """Each block kind's fill as cairosvg reads it (a pattern's ground) and its hatch, from the SVG."""
    root = ET.fromstring(d.to_svg())
    plain = "".join(s.text or "" for s in root.iter(f"{NS}style")).split("@media")[0]
    kinds = [str(g.get("data-kind")) for g in root.iter(f"{NS}g") if "sa-block" in str(g.get("class")).split()]
    looks = {}
    for k in kinds:
        fill = re.search(rf"\.sa-block\.sa-k-{k} > \.sa-shape, [^{{]*\{{ fill: ([^ ]+) \}}", plain)
        assert fill is not None, k
        colour, hatch = fill.group(1), "none"
        if colour.startswith("url(#"):
            (pattern,) = [p for p in root.iter(f"{NS}pattern") if p.get("id") == colour[5:-1]]
            hatch = next(str(e.get("d")) for e in pattern if e.get("class") == "sa-hatch")
            ground = re.search(rf"\.sa-pattern\.sa-k-{k} > \.sa-pattern-bg \{{ fill: ([^ ]+) \}}", plain)
            assert ground is not None, k
            colour = ground.group(1)
        looks[k] = (colour, hatch)
    return looks


@pytest.mark.parametrize("theme", [t for t in available_themes() if t != "auto"])  # auto: light's palette
def test_two_kinds_never_share_a_look_while_the_palette_lasts(theme: str) -> None:
    t = load_theme(theme)
    named = named_kinds(theme)
    taken = {(t.resolve(f"var(--sa-{k})"), t.resolve(f"var(--sa-{k}-pattern, none)")) for k in named}
    slots = {(t.resolve(f"var(--sa-palette-{i})"), t.resolve(f"var(--sa-palette-{i}-pattern, none)")) for i in range(8)}
    extra = [f"new{i}" for i in range(len(slots - taken))]  # as many unnamed kinds as slots stay free
    d = svgarch.Diagram("kinds", theme=theme)
    for i, k in enumerate([*extra[:2], *named, *extra[2:]]):  # unnamed kinds before and after the named ones
        d.block(f"b{i}", k, kind=k, row=i // 6, col=i % 6)
    looks = block_looks(d)
    assert len(looks) == len(named) + len(extra)
    assert len(set(looks.values())) == len(looks), looks


def test_an_unnamed_kind_moves_past_the_colour_of_a_named_one() -> None:
    vit = svgarch.Diagram("ViT", theme="dark")
    for i, k in enumerate(["embed", "attn", "mlp", "norm"]):  # norm's place is palette slot 3: mlp's pink
        vit.block(f"b{i}", k, kind=k, row=0, col=i)
    looks = block_looks(vit)
    assert looks["mlp"] == ("#be185d", "none") and looks["norm"] != looks["mlp"]
    # a kind that meets no named look keeps its place: embed is slot 0, the encoder's blue (no encoder here)
    assert looks["embed"] == ("#2563eb", "none") and looks["attn"] == ("#047857", "none")
    first = svgarch.Diagram("attn first", theme="light").block("a", kind="attn", row=0, col=0)
    looks = block_looks(first.block("e", kind="encoder", row=0, col=1))
    assert looks["attn"] != looks["encoder"] == ("#2563eb", "none")
    # a page can still recolour the moved kind through its slot
    assert "var(--sa-attn, var(--sa-palette-1, #047857))" in first.to_svg()


def test_more_kinds_than_looks_take_their_own_places_again() -> None:
    d = svgarch.Diagram("many", theme="dark")
    kinds = ["encoder", *(f"k{i}" for i in range(9))]
    for i, k in enumerate(kinds):
        d.block(f"b{i}", k, kind=k, row=i // 5, col=i % 5)
    looks = block_looks(d)
    assert len(set(looks.values())) == 8  # the encoder's blue and the seven other slots, no more


def test_inline_prints_a_snippet_for_html_and_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "d.toml"
    spec.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert svgarch_main(["render", str(spec), "--inline"]) == 0
    out = capsys.readouterr().out
    assert not (tmp_path / "d.svg").exists()  # --inline alone writes no file
    first = out.split("\n", 1)[0]
    assert first.startswith('<svg ') and first.endswith(">") and "<?xml" not in out and "<!DOCTYPE" not in out
    assert "\n\n" not in out.strip(), "a blank line ends a Markdown HTML block"
    assert "xmlns:xlink" not in first and "xmlns:ev" not in first
    assert out.rstrip().endswith("</svg>")
    ET.fromstring(out)  # and it is still a well-formed SVG file


def test_embedded_fonts_change_nothing_for_cairosvg(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plain, embedded = tmp_path / "plain.svg", tmp_path / "embedded.svg"
    assert svgarch_main(["render", str(SEED), "-o", str(plain)]) == 0
    assert svgarch_main(["render", str(SEED), "--embed-font", "-o", str(embedded)]) == 0
    assert capsys.readouterr().err == ""  # the statistics only with -v
    assert svgarch_main(["render", str(SEED), "--embed-font", "-v", "-o", str(embedded)]) == 0
    err = capsys.readouterr().err
    grew = re.search(r"the SVG grows by [0-9.]+ KiB \((\d+) bytes\)", err)
    assert grew is not None, err
    a, b = plain.read_text(encoding="utf-8"), embedded.read_text(encoding="utf-8")
    assert len(b.encode()) - len(a.encode()) == int(grew.group(1))
    assert b.count("@font-face") == 4 and "font/woff2;base64," in b  # sans, sans bold, sans italic, mono bold
    assert to_png(a, 96) == to_png(b, 96)


def test_html_page_has_the_diagram_and_both_palettes(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    assert svgarch_main(["render", str(SEED), "--theme", "auto", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and page.count('<svg ') == 1
    for scheme in ("light", "dark"):
        rule = re.search(rf'html\[data-scheme="{scheme}"\] \.svgarch \{{([^}}]*)\}}', page)
        assert rule is not None and f"--sa-bg: {load_theme(scheme).variables['--sa-bg']};" in rule.group(1)
    assert all(f'data-scheme="{s}"' in page for s in ("auto", "light", "dark"))


def test_gallery_shows_every_theme(tmp_path: Path) -> None:
    out = tmp_path / "g.svg"
    assert svgarch_main(["gallery", str(SEED), "-o", str(out), "-o", str(tmp_path / "g.png")]) == 0
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    nested = [e for e in root if e.tag == f"{NS}svg"]
    assert len(nested) == len(available_themes())
    assert len({e.get("id") for e in nested}) == len(nested)  # each panel's ids and CSS are its own
    captions = [t.text for t in root if t.tag == f"{NS}text" and t.get("text-anchor") != "end"]
    assert captions == available_themes()
    assert (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")


def test_the_svg_path_imports_nothing_heavy(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom svgarch.cli import main\n"
        f"main(['render', {str(SEED)!r}, '-o', {str(tmp_path / 'd.svg')!r}])\n"
        "heavy = ('fontTools.subset', 'brotli', 'PIL', 'svgarch.page', 'svgarch.render.fonts_embed',"
        " 'svgarch.gallery', 'cssselect2')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stdout
