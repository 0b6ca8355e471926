"""Every text of every bundled theme reads at WCAG AA (4.5:1) on what is behind it.

The colours are not taken from svgarch's own code: the SVG is rendered, its
stylesheet is cascaded here with cssselect2 (what cairosvg does), and each
``<text>`` is measured against the paint under it — the block's fill (or both
colours of its fill pattern), the label's pill over the background, the
legend frame, the background — with ``fill-opacity`` blended in. The auto
theme is measured twice: as other renderers draw it, and as a browser that
prefers dark mode does (its ``@media screen`` and ``prefers-color-scheme``
rules, each var() at its fallback: a page that sets nothing).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import NamedTuple

import cssselect2
import pytest
import tinycss2

import svgarch
from svgarch.theme import available_themes, load_theme, styles_dir

NS = "{http://www.w3.org/2000/svg}"
AA = 4.5
AAA = 7.0
PALETTE_KINDS = [f"extra{i}" for i in range(8)]  # unnamed kinds: they take palette slots
DARK = "(prefers-color-scheme: dark)"


def luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    assert re.fullmatch(r"[0-9a-fA-F]{6}", h), hex_colour
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def over(top: str, alpha: float, below: str) -> str:
    """``top`` painted with opacity ``alpha`` over ``below`` (sRGB blending, as renderers do)."""
    t, b = (tuple(int(c.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)) for c in (top, below))
    return "#" + "".join(f"{round(alpha * x + (1 - alpha) * y):02x}" for x, y in zip(t, b, strict=True))


def test_wcag_arithmetic() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#3b82f6") == pytest.approx(3.68, abs=0.01)  # the seed's encoder with white text
    assert over("#ffffff", 0.5, "#000000") == "#808080"


# --------------------------------------------------------------------------- the cascade


def _fallbacks(value: str) -> str:
    """A browser value as a page that sets no variable sees it: each var() at its fallback."""
    while (start := value.find("var(")) >= 0:
        depth, i = 0, start + 3
        for i in range(start + 3, len(value)):
            depth += {"(": 1, ")": -1}.get(value[i], 0)
            if depth == 0:
                break
        inner = value[start + 4 : i]
        fallback = inner.partition(",")[2].strip()
        value = value[:start] + fallback + value[i + 1 :]
    return value.strip()


class Styled(NamedTuple):
    svg: ET.Element
    styles: dict[ET.Element, dict[str, str]]
    parents: dict[ET.Element, ET.Element]


def cascade(svg_text: str, media: tuple[str, ...] = ()) -> Styled:
    """Each element's own declarations: top-level rules, plus the rules of ``media`` conditions."""
    root = ET.fromstring(svg_text)
    css = "".join(s.text or "" for s in root.iter(f"{NS}style"))
    rules: list[tinycss2.ast.QualifiedRule] = []
    for node in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if node.type == "qualified-rule":
            rules.append(node)
        elif node.type == "at-rule" and node.lower_at_keyword == "media" and _condition(node) in media:
            inner = tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True)
            rules.extend(r for r in inner if r.type == "qualified-rule")
    matcher = cssselect2.Matcher()
    for order, rule in enumerate(rules):
        decls = [
            (d.lower_name, _fallbacks(tinycss2.serialize(d.value)))
            for d in tinycss2.parse_declaration_list(rule.content, True, True)
            if d.type == "declaration"
        ]
        for selector in cssselect2.compile_selector_list(rule.prelude):
            matcher.add_selector(selector, (order, decls))
    styles: dict[ET.Element, dict[str, str]] = {}
    for wrapper in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        own: dict[str, str] = {}
        for *_, (_, decls) in sorted(matcher.match(wrapper), key=lambda m: (m[0], m[1])):  # specificity, order
            own.update(decls)
        styles[wrapper.etree_element] = own
    parents = {child: parent for parent in root.iter() for child in parent}
    return Styled(root, styles, parents)


def _condition(node: tinycss2.ast.AtRule) -> str:
    return str(tinycss2.serialize(node.prelude)).strip()


def computed(s: Styled, el: ET.Element, prop: str, default: str) -> str:
    """An inherited property (fill, fill-opacity) of ``el``."""
    node: ET.Element | None = el
    while node is not None:
        if prop in s.styles.get(node, {}):
            return s.styles[node][prop]
        node = s.parents.get(node)
    return default


def paints(s: Styled, el: ET.Element, backdrop: str) -> list[str]:
    """The colours a shape shows (its pattern's two colours for a pattern fill), over ``backdrop``."""
    fill = computed(s, el, "fill", "#000000")
    alpha = float(computed(s, el, "fill-opacity", "1"))
    if fill.startswith("url(#"):
        pattern = next(p for p in s.svg.iter(f"{NS}pattern") if p.get("id") == fill[5:-1])
        ground = next(e for e in pattern if "sa-pattern-bg" in e.get("class", ""))
        hatch = next(e for e in pattern if "sa-hatch" in e.get("class", ""))
        return [over(computed(s, ground, "fill", "#000000"), alpha, backdrop), s.styles[hatch]["stroke"]]
    return [over(fill, alpha, backdrop)]


class Reading(NamedTuple):
    text: str
    role: str
    colour: str
    backdrop: str
    ratio: float


def readings(s: Styled) -> Iterator[Reading]:
    def first(cls: str) -> ET.Element:
        return next(e for e in s.svg.iter() if cls in e.get("class", "").split())

    bg = computed(s, first("sa-background"), "fill", "#000000")
    legend_frame = [paints(s, e, bg)[0] for e in s.svg.iter() if "sa-legend-frame" in e.get("class", "").split()]
    for text in s.svg.iter(f"{NS}text"):
        parent = s.parents[text]
        classes = parent.get("class", "").split()
        if "sa-block" in classes:
            shape = next(e for e in parent if "sa-shape" in e.get("class", "").split())
            behind = paints(s, shape, bg)
        elif "sa-label" in classes:
            pill = next(e for e in parent if "sa-pill" in e.get("class", "").split())
            behind = paints(s, pill, bg)
        elif "sa-legend-item" in classes:
            behind = legend_frame
        else:
            behind = [bg]
        fill = computed(s, text, "fill", "#000000")
        alpha = float(computed(s, text, "fill-opacity", "1"))
        for b in behind:
            colour = over(fill, alpha, b)
            yield Reading(text.text or "", text.get("class", ""), colour, b, contrast(colour, b))


# --------------------------------------------------------------------------- the diagrams


def named_kinds(theme_name: str) -> list[str]:
    """The kinds a theme names (``--sa-<kind>`` with no suffix, not a role or geometry variable)."""
    base = set(load_theme(str(styles_dir() / "base.css")).variables)
    roles = {"bg", "text", "dim", "arrow", "block", "block-stroke", "block-text", "group", "hatch", "hatch-width"}
    theme = load_theme(theme_name)
    names = set(theme.variables) | {k for _, v in theme.media_variables for k in v}
    suffix = re.compile(r"-(ink|label|text|dash|width|pattern)$")
    return sorted(
        n[5:]
        for n in names - base
        if not n.startswith("--sa-palette-") and not suffix.search(n) and n[5:] not in roles
    )


def sampler(theme_name: str, named: bool = True) -> str:
    """Every named kind and eight palette kinds, each as a block kind and as a labelled edge kind
    (``named=False``: the palette kinds alone, which then take every slot: next to named kinds
    they move past the slots that look like them)."""
    kinds = (named_kinds(theme_name) if named else []) + PALETTE_KINDS
    d = svgarch.Diagram(f"Contrast of {theme_name}", theme=theme_name, description="every kind, every text")
    d.block("plain", "kindless block", subtitle="default fill", row=0, col=0)
    for i, k in enumerate(kinds):
        d.block(f"b{i}", f"{k} title", subtitle=f"{k} subtitle", kind=k, row=1 + i // 4, col=i % 4)
    for i, k in enumerate(kinds):
        d.edge(f"b{i}", f"b{i + 1}" if i + 1 < len(kinds) else "plain", kind=k, label=f"{k} label")
    d.edge("plain", "b0", label="plain label")
    d.note("kindless note", row=0, col=2)
    d.note("film note", kind=kinds[0], row=0, col=3)
    d.row_label(1, "row label")
    for k in kinds:
        d.legend(k, f"legend {k}")
    return d.to_svg()


@pytest.fixture(scope="module")
def sampled() -> dict[str, str]:
    return {name: sampler(name) for name in available_themes()}


@pytest.fixture(scope="module")
def palette_only() -> dict[str, str]:
    return {name: sampler(name, named=False) for name in available_themes()}


def cases() -> list[tuple[str, tuple[str, ...]]]:
    out: list[tuple[str, tuple[str, ...]]] = [(name, ()) for name in available_themes()]
    out += [(name, ("screen", DARK)) for name in available_themes() if load_theme(name).media_variables]
    return out


def _case_id(value: object) -> str:
    return value if isinstance(value, str) else "+".join(map(str, value)) or "plain"  # type: ignore[call-overload]


@pytest.mark.parametrize(("theme", "media"), cases(), ids=_case_id)
def test_every_text_reads_at_aa_on_what_is_behind_it(
    sampled: dict[str, str], palette_only: dict[str, str], theme: str, media: tuple[str, ...]
) -> None:
    found = [r for svg in (sampled[theme], palette_only[theme]) for r in readings(cascade(svg, media))]
    roles = {r.role.split()[0] for r in found}
    assert {"sa-title", "sa-block-title", "sa-block-subtitle", "sa-label-text", "sa-note"} <= roles, roles
    assert {"sa-row-label-text", "sa-legend-text"} <= roles, roles
    least = AAA if theme == "high-contrast" else AA
    failing = [r for r in found if r.ratio < least]
    report = "\n".join(f"  {r.ratio:.2f}  {r.role:24} {r.colour} on {r.backdrop}  {r.text!r}" for r in failing)
    assert not failing, f"{theme} {media}: {len(failing)} texts below {least}:1\n{report}"


def test_the_dark_variant_is_really_measured(sampled: dict[str, str]) -> None:
    light = cascade(sampled["auto"])
    dark = cascade(sampled["auto"], ("screen", DARK))
    backgrounds = [next(e for e in s.svg.iter() if e.get("class") == "sa-background") for s in (light, dark)]
    bg = [computed(s, e, "fill", "") for s, e in zip((light, dark), backgrounds, strict=True)]
    assert bg == [load_theme("light").variables["--sa-bg"], load_theme("dark").variables["--sa-bg"]]


def test_group_labels_read_on_group_frames() -> None:
    for name in available_themes():
        for variant in [load_theme(name)] + [load_theme(name).variant(c) for c, _ in load_theme(name).media_variables]:
            dim, group = variant.resolve("var(--sa-dim)"), variant.resolve("var(--sa-group)")
            assert contrast(dim, group) >= (AAA if name == "high-contrast" else AA), (name, dim, group)


def minimum_ratios() -> dict[str, float]:
    """The lowest ratio per theme (and auto's dark variant): ``python -m tests.test_contrast``."""
    out = {}
    for name, media in cases():
        found = [r for named in (True, False) for r in readings(cascade(sampler(name, named), media))]
        out[name + (" (dark)" if media else "")] = min(r.ratio for r in found)
    return out


if __name__ == "__main__":
    for name, ratio in minimum_ratios().items():
        print(f"{name:22} {ratio:.2f}:1")
