"""Descriptions svgarch did not write: hostile text comes out as text, hostile CSS is refused.

Whatever a description holds, the SVG is well-formed XML with no script,
no event attribute, no DOCTYPE or entity, no reference outside itself; a
render opens no file and no connection the user did not name.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

import svgarch
from svgarch.errors import SpecError, ThemeError
from svgarch.spec import load_model
from svgarch.textorder import has_rtl
from svgarch.theme import load_theme

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
DRAWN_TAGS = {
    "svg",
    "title",
    "desc",
    "style",
    "defs",
    "g",
    "rect",
    "path",
    "text",
    "tspan",
    "circle",
    "ellipse",
    "line",
    "pattern",
}

HOSTILE = [
    "<script>alert(1)</script>",
    "a & b &amp; &#60; &lt;",
    '" onload="alert(1)',
    "' onmouseover='alert(1)",
    "]]> </style><script>alert(1)</script><style><![CDATA[",
    "javascript:alert(document.cookie)",
    '<a href="https://evil.example/">x</a><image href="file:///etc/passwd"/>',
    '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>&xxe;',
    "<?xml-stylesheet href='https://evil.example/x.css'?>",
    "<foreignObject><iframe src='https://evil.example'/></foreignObject>",
    "bell\x07 escape\x1b nul\x00 del\x7f c1\x85\x9f",
    "עברית ‏right-to-left‏ and العربية \u202eevil\u202c",
    "emoji 🚀🎉👩‍👩‍👧 and 𝕊𝕍𝔾",
    "W" * 500,
    "line\nbreaks\r\nand\ttabs",
    "{{ template }} ${var} %s %(x)s \\ \\n",
]
CONTROL = {chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]}


def visible(text: str) -> str:
    return "".join(c for c in text.replace("\r\n", "\n").replace("\r", "\n") if c not in CONTROL)


def description(text: str, markup: bool = False) -> dict[str, Any]:
    """``text`` in every text field of a small diagram (drawn as written unless ``markup``)."""
    return {
        **({} if markup else {"markup": False}),
        "title": text,
        "description": text,
        "block": [
            {"id": text, "title": text, "subtitle": text, "kind": "io", "row": 0, "col": 0, "group": "g"},
            {"id": "b", "title": "B", "row": 1, "col": 0},
        ],
        "edge": [{"from": text, "to": "b", "label": text}, {"from": "b", "to": [text, "b"], "label": text}],
        "note": [{"text": text}],
        "row_label": [{"row": 0, "label": text}],
        "group": [{"id": "g", "label": text}],
        "legend": {"io": text},
    }


def toml_text(raw: dict[str, Any]) -> str:
    def value(v: Any) -> str:
        if isinstance(v, str):
            return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{json.dumps(k)} = {value(x)}" for k, x in v.items()) + "}"
        return json.dumps(v)

    return "\n".join(f"{json.dumps(k)} = {value(v)}" for k, v in raw.items()) + "\n"


def write(folder: Path, raw: dict[str, Any], syntax: str) -> Path:
    path = folder / f"d.{syntax}"
    if syntax == "json":
        path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    elif syntax == "yaml":
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    else:
        path.write_text(toml_text(raw), encoding="utf-8")
    return path


def assert_safe(svg: str) -> ET.Element:
    """Well-formed, nothing executable, nothing external."""
    assert "<!DOCTYPE" not in svg and "<!ENTITY" not in svg and "<?xml-stylesheet" not in svg
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    for el in root.iter():
        assert el.tag.startswith(SVG) and el.tag.removeprefix(SVG) in DRAWN_TAGS, el.tag
        for name, val in el.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            assert not local.startswith("on"), (name, val)
            assert local not in ("href", "src", "style"), (name, val)
    style = root.find(f"{SVG}style")
    assert style is not None and style.text
    for bad in ("@import", "expression(", "</", "javascript:", "\\"):
        assert bad not in style.text.lower()
    for target in re.findall(r"url\(([^)]*)\)", style.text, flags=re.I):  # only this diagram's own patterns
        assert target.startswith(f"#{root.get('id')}-"), target
    return root


@pytest.mark.parametrize("syntax", ["toml", "json", "yaml"])
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_comes_out_as_text(tmp_path: Path, syntax: str, text: str) -> None:
    path = write(tmp_path, description(text), syntax)
    d = svgarch.load(path)
    svg = d.to_svg()
    root = assert_safe(svg)
    shown = visible(text)
    assert root.findtext(f"{SVG}title") == " ".join(shown.split("\n"))  # the title is one line
    assert root.findtext(f"{SVG}desc") == shown
    assert any(g.get("data-block") == shown for g in root.iter(f"{SVG}g"))
    lines = {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}
    # a right-to-left line is stored in the order seen (svgarch.textorder): its text is the <title>'s, above
    reordered = any("sa-visual-order" in t.get("class", "") for t in root.iter(f"{SVG}text"))
    assert {ln for ln in shown.split("\n") if not (reordered and has_rtl(ln))} <= lines | {""}
    if text is HOSTILE[0] or text is HOSTILE[10]:  # cairosvg reads it too (PNG is slow: two are enough)
        assert d.to_png(dpi=30).startswith(b"\x89PNG")


@pytest.mark.parametrize("bad", ["<b>", 'a"b', "a]]>b", "java script", "a/b", "é", "--x", "1x"])
@pytest.mark.parametrize("where", ["block", "edge", "note", "legend", "id"])
def test_hostile_names_are_refused(bad: str, where: str) -> None:
    d = svgarch.Diagram(id=bad) if where == "id" else svgarch.Diagram()
    d.block("a", kind=bad if where == "block" else "io").block("b")
    if where == "edge":
        d.edge("a", "b", kind=bad)
    elif where == "note":
        d.note("n", kind=bad)
    elif where == "legend":
        d.legend(bad, "x")
    with pytest.raises(SpecError, match="is not a CSS identifier"):
        d.to_svg()


# --- user CSS ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("css", "refused"),
    [
        (".sa-title { font-family: '</style><script>alert(1)</script>'; }", "'<' is not allowed"),
        (".sa-title { font-family: ']]>'; }", "']]>' is not allowed"),
        ('@import url("https://evil.example/x.css");', "@import is not allowed"),
        ("@import 'x.css';", "@import is not allowed"),
        ("@font-face { font-family: x; src: url(https://evil.example/f.woff); }", "@font-face is not allowed"),
        ("@namespace x url(http://www.w3.org/2000/svg);", "@namespace is not allowed"),
        (".sa-shape { fill: url(https://evil.example/p.svg#x); }", "'url(' is not allowed"),
        (".sa-shape { fill: URL(#local); }", "'url(' is not allowed"),
        (".sa-shape { fill: \\75 rl(https://evil.example/); }", "'url(' is not allowed"),
        (".sa-shape { fill: \\3c script; }", "'<' is not allowed"),
        (".sa-shape { fill: image-set('https://evil.example/a.png' 1x); }", "'image-set(' is not allowed"),
        (".sa-shape { fill: -webkit-image-set('a.png' 1x); }", "'-webkit-image-set(' is not allowed"),
        (".sa-shape { fill: cross-fade(url(a.png), red); }", "'url(' is not allowed"),
        (".sa-shape { fill: element(#x); }", "'element(' is not allowed"),
        (".sa-shape { fill: src('a.png'); }", "'src(' is not allowed"),
        (".sa-shape { width: expression(alert(1)); }", "'expression(' is not allowed"),
        (".sa-shape { -moz-binding: url(evil.xml#x); }", "'url(' is not allowed"),
        (".sa-shape { behavior: url(evil.htc); }", "'url(' is not allowed"),
        (".sa-shape { fill: var(--x, image(a.png)); }", "'image(' is not allowed"),
        ("@media screen and (min-width: 1px) { .sa-shape { fill: image-set('a.png'); } }", "'image-set(' is not"),
        ('.sa-title { content: "javascript:alert(1)"; }', "'javascript:' is not allowed"),
        ("@media url(x) { .a { fill: red; } }", "'url(' is not allowed"),
    ],
)
def test_hostile_css_is_refused_with_its_file_and_line(tmp_path: Path, css: str, refused: str) -> None:
    path = tmp_path / "user.css"
    path.write_text("/* brand */\n" + css, encoding="utf-8")
    with pytest.raises(ThemeError) as info:
        load_theme("dark", [str(path)])
    assert str(info.value).startswith(f"{path}:2: ")
    assert refused in str(info.value)


def test_ordinary_css_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "brand.css"
    path.write_text(
        '.svgarch { --sa-font-sans: "DejaVu Sans", sans-serif; --sa-encoder: rgb(200, 20, 20); }\n'
        ".sa-title { font-size: 22px !important; stroke-width: calc(1px + 1px); }\n"
        ".sa-block > .sa-shape { stroke-width: max(1px, 2px); }\n"
        "@media (prefers-color-scheme: dark) { .svgarch { --sa-bg: #000000; } }\n",
        encoding="utf-8",
    )
    svg = svgarch.Diagram("Brand").block("a", kind="encoder", row=0, col=0).to_svg(css=[str(path)])
    assert_safe(svg)


def test_a_css_file_that_is_not_a_regular_file_is_not_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.css"
    os.mkfifo(fifo)  # reading it would wait forever
    with pytest.raises(ThemeError, match="is not a regular file"):
        load_theme("dark", [str(fifo)])
    spec = tmp_path / "d.toml"
    spec.write_text('css = "pipe.css"\n[[block]]\nid = "a"\n')
    with pytest.raises(SpecError, match=r"pipe\.css is not a regular file"):
        load_model(spec)


# --- what a render touches ------------------------------------------------------------------


def test_cairosvg_always_runs_with_unsafe_false(monkeypatch: pytest.MonkeyPatch) -> None:
    from svgarch.render import raster

    cairosvg = raster._cairosvg()
    seen: list[object] = []
    real_tree, real_pdf = cairosvg.parser.Tree, cairosvg.svg2pdf

    def tree(**kwargs: Any) -> Any:
        seen.append(kwargs.get("unsafe"))
        return real_tree(**kwargs)

    def pdf(**kwargs: Any) -> Any:
        seen.append(kwargs.get("unsafe"))
        return real_pdf(**kwargs)

    monkeypatch.setattr(cairosvg.parser, "Tree", tree)
    monkeypatch.setattr(cairosvg, "svg2pdf", pdf)
    d = svgarch.Diagram("unsafe?").block("a", row=0, col=0)
    d.to_png(dpi=30)
    d.to_pdf()
    assert seen and all(s is False for s in seen)


class Watch:
    """Files opened and connections tried while ``active`` (an audit hook; it cannot be removed)."""

    active = False
    opened: ClassVar[list[str]] = []
    network: ClassVar[list[str]] = []
    programs: ClassVar[list[str]] = []

    @classmethod
    def hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if not cls.active:
            return
        if event == "open" and isinstance(args[0], str | bytes | Path):
            cls.opened.append(str(args[0]))
        elif event.startswith(("socket.", "urllib.", "http.")):
            cls.network.append(event)
        elif event == "subprocess.Popen":
            cls.programs.append(str(args[0]))


@pytest.fixture
def watch() -> Iterator[type[Watch]]:
    if not getattr(sys, "_svgarch_watch", False):
        sys.addaudithook(Watch.hook)
        sys._svgarch_watch = True  # type: ignore[attr-defined]
    Watch.opened, Watch.network, Watch.programs = [], [], []
    Watch.active = True
    try:
        yield Watch
    finally:
        Watch.active = False


def test_a_render_opens_only_what_the_user_named(tmp_path: Path, watch: type[Watch]) -> None:
    import os

    text = HOSTILE[6] + HOSTILE[7] + HOSTILE[8]
    spec = write(tmp_path, description(text), "toml")
    (tmp_path / "brand.css").write_text(".svgarch { --sa-bg: #101010; }\n")
    spec.write_text(spec.read_text() + '"css" = "brand.css"\n')
    out = tmp_path / "out"
    out.mkdir()
    svgarch.load(spec).save(out / "d.svg", out / "d.png", out / "d.pdf", dpi=30)
    allowed = [
        str(tmp_path),
        str(ROOT / "svgarch"),
        str(ROOT / "styles"),
        sys.prefix,
        sys.base_prefix,
        os.environ.get("SVGARCH_CACHE_DIR", "~"),
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/dev/null",
    ]
    assert str(spec) in watch.opened and str(tmp_path / "brand.css") in watch.opened  # the hook sees opens
    strays = [p for p in watch.opened if not any(os.path.abspath(p).startswith(a) for a in allowed)]
    assert strays == []
    assert not any("passwd" in p or "evil" in p for p in watch.opened)
    assert watch.network == []
    assert all(Path(p).name == "fc-match" for p in watch.programs)


# Inline markup (svgarch.inline) puts the author's text in <tspan>s: it must come out as text there too.
MARKED = [
    "**<script>alert(1)</script>**",
    "*]]> </style><script>* x_{</text><foreignObject>} `&xxe; <!ENTITY>`",
    "\\gamma^{\" onload=\"alert(1)} \\times `' onmouseover='x`",
]


@pytest.mark.parametrize("text", MARKED, ids=range(len(MARKED)))
def test_hostile_text_in_markup_comes_out_as_text(tmp_path: Path, text: str) -> None:
    from svgarch.inline import parse, plain

    d = svgarch.load(write(tmp_path, description(text, markup=True), "toml"))
    root = assert_safe(d.to_svg())
    shown = plain(parse(text))
    assert "*" not in shown and "`" not in shown  # the markup is gone, the hostile characters are still there
    texts = list(root.iter(f"{SVG}text"))
    drawn = [t for t in texts if "".join(t.itertext()) == shown]
    assert len(drawn) >= 7  # title, block title and subtitle, note, row label, group label, legend (labels may wrap)
    assert any(t.find(f"{SVG}tspan") is not None for t in drawn)
    for t in texts:  # flat runs: no element inside a tspan
        assert all(not list(span) for span in t)
