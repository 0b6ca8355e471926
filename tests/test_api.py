"""The Python API: the command line's options, notebook displays, and errors at the caller's line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import svgarch
from svgarch import pipeline
from svgarch.errors import SvgarchError
from tests import pngread

ROOT = Path(__file__).resolve().parent.parent


def small() -> svgarch.Diagram:
    d = svgarch.Diagram("Small")
    return d.block("a", "Alpha", kind="encoder", row=0, col=0).block("b", "Beta", row=0, col=1).edge("a", "b")


def test_errors_name_the_line_of_the_call_that_made_them() -> None:
    d = svgarch.Diagram("Errors")
    d.block("a", "A", row=0, col=0)
    bad_kind = _line(); d.block("b", "B", kind="not a name", row=0, col=1)  # noqa: E702
    bad_edge = _line(); d.edge("a", "nowhere")  # noqa: E702
    bad_legend = _line(); d.legend("also bad", "text")  # noqa: E702
    with pytest.raises(svgarch.SpecError) as caught:
        d.to_svg()
    lines = str(caught.value).splitlines()
    here = __file__
    assert any(line.startswith(f"{here}:{bad_kind}: block[1].kind: kind 'not a name' is not") for line in lines), lines
    assert any(line.startswith(f"{here}:{bad_edge}: edge[0].to: unknown block 'nowhere'") for line in lines), lines
    assert any(line.startswith(f"{here}:{bad_legend}: legend.also bad:") for line in lines), lines
    assert all(line.startswith(f"{here}:") for line in lines), lines


def test_settings_errors_name_the_constructor_and_loaded_files_keep_their_lines(tmp_path: Path) -> None:
    made = _line(); d = svgarch.Diagram("Bad direction", direction="up")  # noqa: E702
    d.block("a", row=0, col=0)
    with pytest.raises(svgarch.SpecError, match=re.escape(f"{__file__}:{made}: direction:")):
        d.model  # noqa: B018
    spec = tmp_path / "d.toml"
    spec.write_text('[[block]]\nid = "a"\nkind = "bad kind"\n', encoding="utf-8")
    loaded = svgarch.load(spec)
    added = _line(); loaded.block("b", kind="worse kind")  # noqa: E702
    with pytest.raises(svgarch.SpecError) as caught:
        loaded.model  # noqa: B018
    message = str(caught.value)
    assert f"{spec}:3: block[0].kind:" in message and f"{__file__}:{added}: block[1].kind:" in message


def test_output_methods_take_the_command_line_s_options(tmp_path: Path) -> None:
    css = tmp_path / "brand.css"
    css.write_text(".svgarch { --sa-encoder: #123456; }\n", encoding="utf-8")
    d = small()
    for svg in (d.to_svg(css=str(css)), d.to_svg(css=css), d.to_svg(css=[css])):  # one file, or a list
        assert "fill: #123456" in svg
    png = pngread.decode(d.to_png(dpi=48, css=css, theme="light", embed_font=True))
    assert png.width < pngread.decode(d.to_png(dpi=96, theme="light")).width
    assert d.to_png(dpi=48, css=css) != d.to_png(dpi=48)  # the CSS reaches the PNG
    assert d.to_pdf(dpi=72, theme="print", css=[css]).startswith(b"%PDF-")
    assert "@font-face" in d.to_html(embed_font=True, css=css)
    d.save(tmp_path / "d.svg", tmp_path / "d.png", css=css, theme="light", dpi=30)
    assert "fill: #123456" in (tmp_path / "d.svg").read_text(encoding="utf-8")
    for dpi in (0, -1, 1e6):
        with pytest.raises(SvgarchError, match="dpi must be greater than 0"):
            d.to_png(dpi=dpi)


def counting_layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = pipeline.build_scene

    def build_scene(model: Any, *rest: Any) -> Any:
        calls.append(1)
        return real(model, *rest)

    monkeypatch.setattr(pipeline, "build_scene", build_scene)
    return calls


def test_a_notebook_display_is_one_layout_and_svg_unless_png_is_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    d = small()
    assert not hasattr(d, "_repr_png_") and not hasattr(d, "_repr_svg_")  # IPython would call them too
    layouts = counting_layouts(monkeypatch)
    bundle = d._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"] and len(layouts) == 1
    both = d._repr_mimebundle_(include=["image/svg+xml", "image/png"])
    assert sorted(both) == ["image/png", "image/svg+xml"] and len(layouts) == 2
    png = both["image/png"]
    assert isinstance(png, bytes) and pngread.decode(png).width == pngread.decode(d.to_png(dpi=96)).width
    assert list(d._repr_mimebundle_(exclude=["image/svg+xml"])) == ["image/png"]
    assert list(d._repr_mimebundle_(include=["image/png"])) == ["image/png"]
    assert d._repr_mimebundle_(include=["text/html"]) == {}


def test_each_display_has_its_own_ids_and_is_otherwise_the_svg() -> None:
    d = small()
    plain = d.to_svg()
    sid = re.search(r' id="([^"]+)"', plain)
    assert sid is not None
    shown = [str(d._repr_mimebundle_()["image/svg+xml"]) for _ in range(2)]
    ids = [re.search(r' id="([^"]+)"', s) for s in shown]
    assert ids[0] and ids[1] and len({sid.group(1), ids[0].group(1), ids[1].group(1)}) == 3
    for svg, found in zip(shown, ids, strict=True):
        assert found is not None and found.group(1).startswith(sid.group(1) + "-")
        assert svg.replace(found.group(1), sid.group(1)) == plain


def _line() -> int:
    """The line of the caller."""
    import sys

    return sys._getframe(1).f_lineno
