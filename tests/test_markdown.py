"""The text entry point (svgarch.loads) and the Python-Markdown extension, with the real Markdown package."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import pytest

import svgarch
from svgarch import pipeline
from svgarch.integrations.dark import SelectorError, check_selector
from svgarch.integrations.render import DiagramFailure, tally

TWO_BLOCKS = 'title = "Two"\n\n[[block]]\nid = "a"\ntitle = "Alpha"\nkind = "encoder"\n\n[[block]]\nid = "b"\n\n' \
             '[[edge]]\nfrom = "a"\nto = "b"\n'
BROKEN = TWO_BLOCKS.replace('to = "b"', 'to = "zz"')  # line 13 of the description names no block


def convert(text: str, **config: Any) -> str:
    return markdown.markdown(text, extensions=["svgarch.markdown"],
                             extension_configs={"svgarch.markdown": {"source": "page.md", **config}})


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, re.S)


# --------------------------------------------------------------------------- svgarch.loads


def test_loads_reads_each_syntax_to_the_same_diagram() -> None:
    toml = svgarch.loads(TWO_BLOCKS)
    yaml = svgarch.loads("title: Two\nblock:\n  - {id: a, title: Alpha, kind: encoder}\n  - {id: b}\n"
                         "edge:\n  - {from: a, to: b}\n", syntax="yaml")
    json = svgarch.loads('{"title": "Two", "block": [{"id": "a", "title": "Alpha", "kind": "encoder"}, {"id": "b"}],'
                         ' "edge": [{"from": "a", "to": "b"}]}', syntax="json")
    assert toml.model._replace(source="") == yaml.model._replace(source="") == json.model._replace(source="")
    assert toml.to_svg() == svgarch.Diagram.loads(TWO_BLOCKS).to_svg()


@pytest.mark.parametrize(
    ("text", "syntax", "message"),
    [
        (TWO_BLOCKS.replace('to = "b"', 'to = "c"'), "toml", "notes.md:13: edge[0].to: unknown block 'c'"),
        ("block:\n  - {id: a}\n  - {id: a}\n", "yaml", "notes.md:3: block[1].id:"),
        ("[[block]\n", "toml", "notes.md:1: invalid TOML"),
        ("   \n", "toml", "notes.md: is empty"),
        ("{}", "xml", "notes.md: unknown syntax 'xml'"),
    ],
)
def test_loads_errors_name_the_source_and_line(text: str, syntax: str, message: str) -> None:
    with pytest.raises(svgarch.SpecError) as caught:
        assert svgarch.loads(text, syntax=syntax, source="notes.md").model is None
    assert str(caught.value).startswith(message)


# --------------------------------------------------------------------------- fences and images


def test_a_fence_becomes_inline_svg_named_by_its_alt() -> None:
    html = convert(f'Text.\n\n```svgarch alt="Alpha & beta"\n{TWO_BLOCKS}```\n\nMore.\n')
    [svg] = svgs(html)
    assert '<title id="' in svg and ">Alpha &amp; beta</title>" in svg
    assert 'aria-label="Alpha &amp; beta"' in svg
    assert len(re.findall(r"<g [^>]*data-block=", svg)) == 2  # the blocks (the hover rules name them too)
    assert "<p>Text.</p>" in html and "<p>More.</p>" in html


def test_yaml_and_json_fences_and_indented_fences() -> None:
    yaml = "```svgarch syntax=yaml\nblock:\n  - {id: q, title: Queue}\n```\n"
    indented = '* item\n\n    ```svgarch syntax=json\n    {"block": [{"id": "w", "title": "Worker"}]}\n    ```\n'
    html = convert(yaml + "\n" + indented)
    assert [len(re.findall(r'data-block="', s)) for s in svgs(html)] == [1, 1]
    assert ">Queue</text>" in html and ">Worker</text>" in html


def test_the_extension_is_found_by_its_entry_point_name() -> None:
    assert svgs(markdown.markdown(f"```svgarch\n{TWO_BLOCKS}```\n", extensions=["svgarch"]))


def test_a_fence_shown_inside_a_longer_fence_is_not_drawn() -> None:
    text = "````markdown\n```svgarch\n[[block]]\nid = \"x\"\n```\n````\n"
    html = markdown.markdown(text, extensions=["svgarch.markdown", "fenced_code"])
    assert not svgs(html) and "```svgarch" in html


def test_an_image_of_a_description_file_is_drawn(tmp_path: Path) -> None:
    (tmp_path / "d.toml").write_text(TWO_BLOCKS, encoding="utf-8")
    html = convert("See ![The pair](d.toml) here, `![code](d.toml)` and ![photo](p.png) and "
                   "![remote](https://example.org/x.toml).\n", base_dir=str(tmp_path))
    [svg] = svgs(html)
    assert ">The pair</title>" in svg
    assert "<code>![code](d.toml)</code>" in html
    assert '<img alt="photo" src="p.png"' in html and 'src="https://example.org/x.toml"' in html


def test_errors_name_the_page_and_the_line_of_the_problem(tmp_path: Path) -> None:
    text = f"# Title\n\nIntro.\n\n```svgarch\n{BROKEN}```\n"  # the fence opens on line 5
    html = convert(text)
    assert 'class="svgarch-error"' in html
    assert "page.md:18: edge[0].to: unknown block &#x27;zz&#x27;" in html
    with pytest.raises(DiagramFailure) as caught:
        convert(text, on_error="fail")
    assert caught.value.lines == ("page.md:18: edge[0].to: unknown block 'zz'",)
    (tmp_path / "bad.yaml").write_text("block:\n  - {id: a, shape: blob}\n", encoding="utf-8")
    html = convert("One.\n\nTwo ![x](bad.yaml)\n", base_dir=str(tmp_path))
    # the file is named as the page refers to it, not by the absolute path of the machine that built it
    assert "page.md:3: bad.yaml:2: block[0].shape: " in html and str(tmp_path) not in html
    html = convert("![x](../none.toml)", base_dir=str(tmp_path), source="docs/guide/page.md")
    assert "docs/guide/page.md:1: docs/none.toml: no such file" in html


@pytest.mark.parametrize(
    ("info", "message"),
    [
        ("syntax=xml", "fence option syntax='xml': use toml, yaml or json"),
        ("colour=red", "unknown fence option 'colour'"),
        ("loose words", "fence options must be key=value"),
    ],
)
def test_bad_fence_options_are_reported_at_the_fence(info: str, message: str) -> None:
    html = convert(f"Para.\n\n```svgarch {info}\n{TWO_BLOCKS}```\n")
    assert f"page.md:3: {message}" in html.replace("&#x27;", "'")


def test_file_output_writes_the_svg_and_links_it(tmp_path: Path) -> None:
    html = convert(f"```svgarch alt=\"Pair\"\n{TWO_BLOCKS}```\n", output="file", file_dir=str(tmp_path),
                   file_url="img/")
    found = re.search(r'<img class="svgarch-image" src="img/(svgarch-[0-9a-f]+\.svg)" alt="Pair">', html)
    assert found is not None and not svgs(html)
    assert (tmp_path / found.group(1)).read_text(encoding="utf-8").startswith("<svg ")


def test_the_superfences_custom_fence_draws_without_the_extension(caplog: pytest.LogCaptureFixture) -> None:
    from pymdownx import superfences

    from svgarch.markdown import fence_format, fence_validator

    fences = [{"name": "svgarch", "class": "svgarch", "format": fence_format, "validator": fence_validator}]
    config = {"pymdownx.superfences": {"custom_fences": fences}}
    yaml = '```{.svgarch syntax="yaml" alt="Q"}\nblock: [{id: q}]\n```\n'
    text = f"Intro.\n\n```svgarch\n{TWO_BLOCKS}```\n\n{yaml}"
    html = markdown.markdown(text, extensions=["pymdownx.superfences"], extension_configs=config)
    assert superfences is not None and len(svgs(html)) == 2 and ">Q</title>" in html
    html = markdown.markdown(f"Intro.\n\n```svgarch\n{BROKEN}```\n", extensions=["pymdownx.superfences"],
                             extension_configs=config)
    assert "&lt;markdown&gt;:16: edge[0].to: unknown block" in html
    # and the build's log says so, though no plugin is there to report it
    assert [(r.name, r.levelname) for r in caplog.records] == [("svgarch.markdown", "WARNING")]
    assert caplog.records[0].getMessage().startswith("svgarch: <markdown>:16: edge[0].to: unknown block")


# --------------------------------------------------------------------------- cache and dark selector


def test_the_cache_serves_a_second_build_without_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    text = f"```svgarch\n{TWO_BLOCKS}```\n\n```svgarch\n{TWO_BLOCKS}```\n"  # the same diagram twice: drawn once
    first = convert(text, cache_dir=str(cache))
    assert len(list(cache.glob("*.svg"))) == 1

    def no_layout(*args: object) -> None:
        raise AssertionError("a cached diagram was laid out again")

    monkeypatch.setattr(pipeline, "build_scene", no_layout)
    assert convert(text, cache_dir=str(cache)) == first
    css = tmp_path / "red.css"
    css.write_text(".svgarch { --sa-encoder: #b91c1c; }\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="laid out again"):  # other CSS: another key, a new drawing
        convert(text, cache_dir=str(cache), css=[str(css)])


def test_the_log_line_counts_in_words() -> None:
    assert tally(1, 0) == "1 diagram drawn, 0 read from the cache"
    assert tally(0, 12) == "0 diagrams drawn, 12 read from the cache"


def test_a_dark_selector_declares_the_dark_palette_under_it() -> None:
    selector = '[data-md-color-scheme="slate"]'
    html = convert(f"```svgarch\ntheme = \"auto\"\n{TWO_BLOCKS}```\n", dark_selector=selector)
    [svg] = svgs(html)
    sid = re.search(r'id="(sa-[0-9a-f]+)"', svg)
    assert sid is not None
    rule = re.search(rf"@media screen {{ :where\({re.escape(selector)} #{sid.group(1)}\) {{ ([^}}]*) }} }}", svg)
    assert rule is not None, "no dark rule"
    assert "--sa-bg: #0f172a" in rule.group(1) and "--sa-encoder-ink: #3b82f6" in rule.group(1)
    assert "prefers-color-scheme" not in svg  # the site's switch alone decides
    html = convert(f"```svgarch\ntheme = \"auto\"\n{TWO_BLOCKS}```\n", dark_selector=selector,
                   auto_selector="body.auto")
    assert f"@media screen and (prefers-color-scheme: dark) {{ :where(body.auto #{sid.group(1)}) {{ " in html
    assert "fill: #ffffff" in svg  # drawn light where no browser reads the rule
    # a description that names no theme switches too; one that names one keeps it
    dark_rule = f":where({selector} #"  # the hover rules have a :where() of their own
    assert dark_rule in convert(f"```svgarch\n{TWO_BLOCKS}```\n", dark_selector=selector)
    assert dark_rule not in convert(f"```svgarch\ntheme = \"dark\"\n{TWO_BLOCKS}```\n", dark_selector=selector)


@pytest.mark.parametrize("selector", ['[data-md-color-scheme="slate"]', "html.dark", "body[data-theme=dark]",
                                      '.dark-mode [data-theme="dark"]'])
def test_simple_selectors_are_accepted(selector: str) -> None:
    assert check_selector(selector) == selector


@pytest.mark.parametrize("selector", ["x { }", ".a}", "</style>", ".a;b", "]]>", "a > b", "@media x", "#id",
                                      "a, b", '[x="</style>"]', "url(x)", ":hover"])
def test_unsafe_selectors_are_refused(selector: str) -> None:
    with pytest.raises(SelectorError):
        check_selector(selector)
