"""Icons on blocks: the bundled set, the author's SVG and PNG files, and the files no one may slip in.

Every file in tests/icons_hostile/ is named on a block of a description in
a fresh folder and rendered through the command line: each must be refused
with one line naming the description, the key and the icon file (exit 2,
no output written), except the ``neutralised_*`` ones, whose harmful parts
(comments, titles, metadata, ids) are dropped — their output must hold no
script, no reference and none of the dropped words. Huge files, symlinks and
paths out of the folder are made by the tests themselves.
"""

from __future__ import annotations

import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest

import svgarch
from svgarch.cli import main as svgarch_main
from svgarch.errors import SpecError
from svgarch.icons import IconError, RasterIcon, VectorIcon, icon_names, load_icon
from svgarch.icons.bundled import ICONS, icon_source
from svgarch.icons.sanitize import sanitize_svg

HOSTILE = Path(__file__).resolve().parent / "icons_hostile"
REFUSED = sorted(p.name for p in HOSTILE.iterdir() if not p.name.startswith("neutralised_"))
NEUTRALISED = sorted(p.name for p in HOSTILE.iterdir() if p.name.startswith("neutralised_"))
GOOD_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32">'
    '<g transform="translate(16 16) rotate(45)" stroke="#ff0000" stroke-width="3" opacity="0.5">'
    '<rect x="-8" y="-8" width="16" height="16" fill="none"/>'
    '<path style="stroke: #00ff00; fill: none" d="M-8 0H8"/></g>'
    '<circle cx="4" cy="4" r="3"/></svg>'
)
# what no output may hold, whatever an icon file held
FORBIDDEN = re.compile(
    r"<script|<foreignObject|<use\b|onload|onclick|javascript:|xlink:href|example\.invalid|<!DOCTYPE|<!ENTITY|\?php",
    re.IGNORECASE,
)


def png_bytes(width: int = 2, height: int = 2, extra: int = 0) -> bytes:
    """A real RGB PNG (with ``extra`` bytes of incompressible text in a tEXt chunk)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    text = chunk(b"tEXt", b"pad\x00" + bytes(range(256)) * (extra // 256)) if extra else b""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + text + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def describe(folder: Path, icon: str, position: str = "left") -> Path:
    spec = folder / "d.toml"
    spec.write_text(
        f'title = "icons"\n\n[[block]]\nid = "a"\ntitle = "Service"\nicon = "{icon}"\nicon_position = "{position}"\n'
        '\n[[block]]\nid = "b"\nicon = "database"\n\n[[edge]]\nfrom = "a"\nto = "b"\n',
        encoding="utf-8",
    )
    return spec


def render(spec: Path, capsys: pytest.CaptureFixture[str], *outs: str) -> tuple[int, str]:
    code = svgarch_main(["render", str(spec), *(a for o in outs for a in ("-o", str(spec.parent / o)))])
    return code, capsys.readouterr().err


# --- the bundled set ----------------------------------------------------------------------------------------


def test_the_set_has_the_architecture_icons_the_docs_promise() -> None:
    wanted = {"user", "browser", "mobile", "server", "database", "cache", "queue", "stream", "object-storage",
              "function", "container", "cluster", "load-balancer", "gateway", "cdn", "firewall", "key", "cloud",
              "gpu", "cpu", "model", "dataset", "notebook", "dashboard", "mail", "api", "search", "scheduler",
              "repository", "monitor"}  # fmt: skip
    assert wanted <= set(icon_names())
    assert len(icon_names()) >= 30


@pytest.mark.parametrize("name", sorted(ICONS))
def test_every_bundled_icon_passes_the_sanitiser_as_a_line_icon(name: str) -> None:
    icon = sanitize_svg(icon_source(name).encode(), name)  # the same gate as an author's file
    assert icon.view_box == (0, 0, 24, 24)
    assert icon.parts
    for part in icon.parts:
        style = dict(part.attrs)["style"]
        assert "stroke:currentColor" in style or "fill:currentColor" in style, (name, part)
        assert "transform" not in dict(part.attrs)


def test_svgarch_icons_lists_the_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert svgarch_main(["icons"]) == 0
    assert capsys.readouterr().out.split() == icon_names()


def test_svgarch_icons_draws_the_sheet(tmp_path: Path) -> None:
    assert svgarch_main(["icons", "-o", str(tmp_path / "s.svg"), "-o", str(tmp_path / "s.png")]) == 0
    svg = (tmp_path / "s.svg").read_text(encoding="utf-8")
    assert sorted(re.findall(r'data-icon="([^"]+)"', svg)) == icon_names()
    assert (tmp_path / "s.png").read_bytes().startswith(b"\x89PNG")


# --- an unknown name, and names the validation reports ------------------------------------------------------


def test_an_unknown_icon_is_reported_with_file_line_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = describe(tmp_path, "databse")
    code, err = render(spec, capsys, "d.svg")
    assert code == 2
    assert err == (
        f"svgarch: {spec}:6: block[0].icon: unknown icon 'databse' (did you mean 'database', 'dataset'?);"
        " `svgarch icons` lists them\n"
    )


def test_an_unknown_position_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = render(describe(tmp_path, "user", "right"), capsys, "d.svg")
    assert code == 2 and "block[0].icon_position" in err and "left, top, only" in err, err


# --- the hostile corpus ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REFUSED)
def test_a_hostile_icon_is_refused_in_one_line(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(HOSTILE / name, tmp_path / name)
    code, err = render(describe(tmp_path, name), capsys, "d.svg", "d.png")
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f"d.toml:6: block[0].icon: {tmp_path / name}" in err, err
    assert not (tmp_path / "d.svg").exists() and not (tmp_path / "d.png").exists()


@pytest.mark.parametrize("name", NEUTRALISED)
def test_a_neutralised_icon_keeps_only_its_shapes(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(HOSTILE / name, tmp_path / name)
    code, err = render(describe(tmp_path, name), capsys, "d.svg")
    assert code == 0, err
    svg = (tmp_path / "d.svg").read_text(encoding="utf-8")
    assert not FORBIDDEN.search(svg), FORBIDDEN.search(svg)
    drawn = svg.split('data-icon="', 1)[1].split("</g>", 1)[0]
    assert "evil" not in drawn and "rdf" not in drawn and 'id="p"' not in drawn and "sa-block" not in drawn
    assert re.findall(r"<(\w+)", drawn) == ["svg", "path"], drawn


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("ten_megabytes.svg", b"<svg>" + b" " * (10 * 1024 * 1024) + b"</svg>", "larger than 64 KiB"),
        ("twenty_thousand.svg", b'<svg viewBox="0 0 1 1">' + b"<g/>" * 20000 + b"</svg>", "larger than 64 KiB"),
        ("big.png", png_bytes(extra=300 * 1024), "larger than 256 KiB"),
    ],
)
def test_a_huge_icon_is_refused_before_it_is_parsed(
    name: str, data: bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / name).write_bytes(data)
    code, err = render(describe(tmp_path, name), capsys, "d.svg")
    assert code == 2 and message in err, err


def test_twenty_thousand_small_elements_are_refused_by_count() -> None:
    data = b'<svg viewBox="0 0 1 1">' + b"<g/>" * 2500 + b"</svg>"  # under the size limit
    with pytest.raises(IconError, match="more than 2000 elements"):
        sanitize_svg(data, "x.svg")


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "fine.svg").write_text(GOOD_SVG, encoding="utf-8")
    folder = tmp_path / "desc"
    folder.mkdir()
    (folder / "icon.svg").symlink_to(outside / "fine.svg")
    code, err = render(describe(folder, "icon.svg"), capsys, "d.svg")
    assert code == 2 and "outside the description's folder" in err and "block[0].icon" in err, err
    code, err = render(describe(folder, "../outside/fine.svg"), capsys, "d.svg")
    assert code == 2 and "outside the description's folder" in err, err


def test_a_fifo_or_a_folder_is_not_an_icon(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dir.svg").mkdir()
    code, err = render(describe(tmp_path, "dir.svg"), capsys, "d.svg")
    assert code == 2 and "not a regular file" in err, err
    code, err = render(describe(tmp_path, "missing.svg"), capsys, "d.svg")
    assert code == 2 and "no such icon file" in err, err
    code, err = render(describe(tmp_path, "icon.gif"), capsys, "d.svg")
    assert code == 2 and "not an .svg or .png file" in err, err


# --- what an author's file becomes ----------------------------------------------------------------------------


def test_an_svg_file_is_flattened_with_its_paint_resolved() -> None:
    icon = sanitize_svg(GOOD_SVG.encode(), "good.svg")
    assert icon.view_box == (0, 0, 32, 32)
    rect, path, circle = (dict(p.attrs) for p in icon.parts)
    matrix = "matrix(0.7071,0.7071,-0.7071,0.7071,16,16)"
    assert rect["style"] == f"fill:none;stroke:#ff0000;stroke-width:3;opacity:0.5;transform:{matrix}"
    assert path["style"] == f"fill:none;stroke:#00ff00;stroke-width:3;opacity:0.5;transform:{matrix}"
    assert rect["transform"] == path["transform"] == matrix
    assert circle["style"] == "fill:currentColor;stroke:none"  # no fill given: the icon's colour, not black
    assert "transform" not in circle


def test_a_png_file_is_embedded_as_a_data_uri(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dot.png").write_bytes(png_bytes(3, 2))
    icon = load_icon(str(tmp_path / "dot.png"))
    assert isinstance(icon, RasterIcon) and (icon.width, icon.height) == (3, 2)
    code, err = render(describe(tmp_path, "dot.png"), capsys, "d.svg", "d.png", "d.pdf")
    assert code == 0, err
    svg = (tmp_path / "d.svg").read_text(encoding="utf-8")
    assert re.search(r'<image height="24" href="data:image/png;base64,[A-Za-z0-9+/=]+" style="[^"]+" width="24"', svg)


def test_an_edited_icon_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "i.svg"
    path.write_text(GOOD_SVG, encoding="utf-8")
    first = load_icon(str(path))
    path.write_text(GOOD_SVG.replace('r="3"', 'r="2.5"') + " ", encoding="utf-8")
    assert load_icon(str(path)) != first


# --- the block grows to fit ----------------------------------------------------------------------------------


def _block(icon: str = "", position: str = "left") -> svgarch.Diagram:
    d = svgarch.Diagram("t")
    return d.block("a", "Service", subtitle="two lines", icon=icon, icon_position=position) if icon else d.block(
        "a", "Service", subtitle="two lines"
    )


def _scene_block(d: svgarch.Diagram) -> svgarch.scene.SceneBlock:
    from svgarch.pipeline import build_scene

    return build_scene(d.model)[0].blocks[0]


def test_an_icon_left_widens_the_block_and_one_on_top_makes_it_taller() -> None:
    plain = _scene_block(_block())
    left = _scene_block(_block("server"))
    top = _scene_block(_block("server", "top"))
    assert left.box.w == pytest.approx(plain.box.w + 24 + 8) and left.box.h == pytest.approx(plain.box.h)
    assert top.box.h == pytest.approx(plain.box.h + 24 + 8) and top.box.w == pytest.approx(plain.box.w)
    for block in (left, top):
        assert block.icon is not None and not block.icon.alone
        inner, icon = block.box.inflate(-8), block.icon.box
        assert inner.x <= icon.x and icon.right <= inner.right and inner.y <= icon.y and icon.bottom <= inner.bottom
        for line in block.lines:
            assert not line.box.intersects(block.icon.box)
    assert left.icon is not None and left.icon.box.right < min(line.box.x for line in left.lines)
    assert top.icon is not None and top.icon.box.bottom < min(line.box.y for line in top.lines)


def test_an_icon_alone_is_drawn_large_without_an_outline() -> None:
    block = _scene_block(_block("server", "only"))
    assert block.icon is not None and block.icon.alone and block.icon.box.w == 48
    svg = _block("server", "only").to_svg()
    drawn = svg.split('data-block="a"', 1)[1].split("</g>\n</g>", 1)[0]
    assert "sa-shape" not in drawn and "sa-icon-alone" in svg.split('data-block="a"', 1)[0].rsplit("<g", 1)[1]


def test_a_diagram_without_icons_keeps_its_stylesheet() -> None:
    assert ".sa-icon" not in _block().to_svg()
    assert ".sa-icon" in _block("user").to_svg()


def test_the_icon_takes_the_kind_s_colour_variables() -> None:
    svg = svgarch.Diagram("t").block("a", "A", kind="encoder", icon="user").to_svg()
    assert "var(--sa-encoder-icon, var(--sa-icon, var(--sa-encoder-text," in svg


def test_the_api_reports_a_bad_icon_at_the_call() -> None:
    d = svgarch.Diagram("t").block("a", icon="nope")
    with pytest.raises(SpecError, match=r"test_icons\.py:\d+: block\[0\]\.icon: unknown icon 'nope'"):
        d.to_svg()


def test_the_same_icon_file_from_another_folder_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "i.svg").write_text(GOOD_SVG, encoding="utf-8")
    spec = describe(tmp_path, "i.svg")
    inside = svgarch.load(spec).to_svg()
    monkeypatch.chdir(tmp_path)
    assert svgarch.load("d.toml").to_svg() == inside


def test_vector_icons_are_records_of_plain_values() -> None:
    icon = load_icon("user")
    assert isinstance(icon, VectorIcon)
    assert all(isinstance(v, str) for part in icon.parts for pair in part.attrs for v in pair)


def test_a_theme_s_icon_variables_reach_the_png_and_the_size(tmp_path: Path) -> None:
    (tmp_path / "icons.css").write_text(
        ".svgarch { --sa-icon: #00ff00; --sa-encoder-icon: #ff0000; --sa-icon-size: 40px; }\n", encoding="utf-8"
    )
    spec = tmp_path / "d.toml"
    spec.write_text(
        'css = "icons.css"\n[[block]]\nid = "a"\nicon = "user"\nkind = "encoder"\n'
        '[[block]]\nid = "b"\nicon = "user"\nkind = "decoder"\n[[block]]\nid = "c"\nicon = "user"\n',
        encoding="utf-8",
    )
    d = svgarch.load(spec)
    svg = d.to_svg()
    plain = svg.split("@media screen", 1)[0]  # what cairosvg, rsvg and resvg read
    assert ".sa-block.sa-k-encoder .sa-icon { color: #ff0000 }" in plain
    assert ".sa-block.sa-k-decoder .sa-icon { color: #00ff00 }" in plain
    assert ".sa-block .sa-icon { color: #00ff00 }" in plain
    assert _scene_block(d).icon is not None and _scene_block(d).icon.box.w == 40  # type: ignore[union-attr]


def test_an_icon_file_is_part_of_a_batch_render_s_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "i.svg").write_text(GOOD_SVG, encoding="utf-8")
    spec = describe(tmp_path, "i.svg")
    assert svgarch_main(["render", str(spec), "--out-dir", "out"]) == 0
    assert svgarch_main(["render", str(spec), "--out-dir", "out"]) == 0
    assert "0 rendered, 1 unchanged" in capsys.readouterr().err.splitlines()[-1]
    (tmp_path / "i.svg").write_text(GOOD_SVG.replace("#ff0000", "#0000ff"), encoding="utf-8")
    assert svgarch_main(["render", str(spec), "--out-dir", "out"]) == 0
    assert "1 rendered, 0 unchanged" in capsys.readouterr().err.splitlines()[-1]
    assert "#0000ff" in Path("out/d.svg").read_text(encoding="utf-8")


def test_an_icon_alone_has_a_plain_box_that_svgarch_check_reads_back(tmp_path: Path) -> None:
    d = svgarch.Diagram("t").block("a", "A", icon="user", icon_position="only", shape="circle").block("b", "B")
    d.edge("a", "b")
    block = _scene_block(d)
    assert block.shape == "rect"  # edges end at its box, not at a circle no one sees
    (tmp_path / "d.svg").write_text(d.to_svg(), encoding="utf-8")
    from svgarch.read_svg import read_scene

    read = read_scene(tmp_path / "d.svg").blocks[0]
    assert (read.id, read.shape) == ("a", "rect")
    assert tuple(read.box) == pytest.approx(tuple(block.box), abs=0.01)
    assert svgarch_main(["check", str(tmp_path / "d.svg")]) == 0


def test_an_absolute_icon_path_is_out_of_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "i.svg").write_text(GOOD_SVG, encoding="utf-8")
    folder = tmp_path / "desc"
    folder.mkdir()
    code, err = render(describe(folder, str(tmp_path / "i.svg")), capsys, "d.svg")
    assert code == 2 and "outside the description's folder" in err, err


def test_svgarch_icons_refuses_an_output_it_cannot_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert svgarch_main(["icons", "-o", str(tmp_path / "sheet.gif")]) == 2
    assert svgarch_main(["icons", "-o", str(tmp_path / "sheet.html")]) == 2
    assert "unknown output suffix" in capsys.readouterr().err
