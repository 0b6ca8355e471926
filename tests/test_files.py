"""svgarch.files (and pipeline.render_files): outputs are written atomically.

A failed render leaves every existing output byte-identical and no temporary
file behind.
"""

from __future__ import annotations

import os
import types
from pathlib import Path
from typing import Any

import pytest

import svgarch
from svgarch import files, pipeline
from svgarch.errors import RenderError
from svgarch.files import check_target, output_format, write_all
from svgarch.model import DiagramModel

OLD = b"old bytes that must survive"


def model() -> DiagramModel:
    return svgarch.Diagram("Files").block("a", row=0, col=0).block("b", row=1, col=0).edge("a", "b").model


def existing(folder: Path, *names: str) -> list[Path]:
    out = []
    for name in names:
        path = folder / name
        path.write_bytes(OLD + name.encode())
        out.append(path)
    return out


def assert_untouched(paths: list[Path]) -> None:
    for p in paths:
        assert p.read_bytes() == OLD + p.name.encode(), p


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp")


class OsWith(types.SimpleNamespace):
    """The os module with a few functions replaced (for files.os only)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


def test_output_format_follows_the_suffix() -> None:
    assert output_format(Path("a.svg")) == "svg"
    assert output_format(Path("dir/a.PNG")) == "png"
    assert output_format(Path("a.Pdf")) == "pdf"
    with pytest.raises(RenderError, match=r"a\.gif: unknown output suffix '\.gif' \(use \.svg, \.png, \.pdf, \.html\)"):
        output_format(Path("a.gif"))
    with pytest.raises(RenderError, match="unknown output suffix ''"):
        output_format(Path("noext"))


def test_check_target(tmp_path: Path) -> None:
    check_target(tmp_path / "fine.svg")
    with pytest.raises(RenderError, match=r"output folder .*nowhere does not exist"):
        check_target(tmp_path / "nowhere" / "x.svg")
    (tmp_path / "dir.svg").mkdir()
    with pytest.raises(RenderError, match="is a directory"):
        check_target(tmp_path / "dir.svg")


def test_write_all_writes_every_output(tmp_path: Path) -> None:
    a, b = tmp_path / "a.svg", tmp_path / "b.png"
    write_all([(a, b"one"), (b, b"two")])
    assert a.read_bytes() == b"one" and b.read_bytes() == b"two"
    assert leftovers(tmp_path) == []


def test_new_files_get_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_all([(tmp_path / "a.svg", b"x")])
    finally:
        os.umask(umask)
    assert (tmp_path / "a.svg").stat().st_mode & 0o777 == 0o644


def test_write_all_replaces_an_existing_file(tmp_path: Path) -> None:
    (a,) = existing(tmp_path, "a.svg")
    write_all([(a, b"new")])
    assert a.read_bytes() == b"new" and leftovers(tmp_path) == []


def test_a_bad_suffix_among_several_outputs_writes_nothing(tmp_path: Path) -> None:
    old = existing(tmp_path, "d.svg", "d.png")
    with pytest.raises(RenderError, match="unknown output suffix"):
        pipeline.render_files(model(), [*old, tmp_path / "d.gif"], 180.0)
    assert_untouched(old)
    assert leftovers(tmp_path) == []


def test_a_missing_folder_among_several_outputs_writes_nothing(tmp_path: Path) -> None:
    old = existing(tmp_path, "d.svg")
    with pytest.raises(RenderError, match="does not exist"):
        pipeline.render_files(model(), [old[0], tmp_path / "missing" / "d.png"], 180.0)
    assert_untouched(old)


def test_a_render_failing_mid_way_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = existing(tmp_path, "d.svg", "d.png", "d.pdf")
    real = pipeline.encode

    def encode(svg: str, fmt: str, dpi: float) -> bytes:
        if fmt == "pdf":
            raise RenderError("cairosvg could not render the PDF: boom")
        return real(svg, fmt, dpi)

    monkeypatch.setattr(pipeline, "encode", encode)
    with pytest.raises(RenderError, match="boom"):
        pipeline.render_files(model(), old, 180.0)
    assert_untouched(old)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failure_while_staging_removes_every_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    old = existing(tmp_path, "a.svg", "b.svg", "c.svg")
    calls: list[int] = []

    def fdopen(fd: int, mode: str) -> Any:
        calls.append(fd)
        if len(calls) == 2:  # the second output fails after the first is staged
            os.close(fd)
            raise error
        return os.fdopen(fd, mode)

    monkeypatch.setattr(files, "os", OsWith(fdopen=fdopen))
    with pytest.raises(type(error)):
        write_all([(p, b"new") for p in old])
    assert_untouched(old)
    assert leftovers(tmp_path) == []


def test_a_failed_rename_says_what_was_updated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = existing(tmp_path, "a.svg", "b.svg", "c.svg")
    renamed: list[str] = []

    def replace(src: str, dst: Path) -> None:
        if len(renamed) == 1:
            raise OSError(13, "Permission denied")
        renamed.append(str(dst))
        os.replace(src, dst)

    monkeypatch.setattr(files, "os", OsWith(replace=replace))
    with pytest.raises(RenderError) as info:
        write_all([(p, b"new") for p in old])
    assert str(info.value) == f"{old[1]}: cannot write (Permission denied); updated: {old[0]}"
    assert old[0].read_bytes() == b"new"
    assert_untouched(old[1:])
    assert leftovers(tmp_path) == []


def test_an_unwritable_folder_is_a_render_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files, "os", OsWith(open=refuse))
    with pytest.raises(RenderError, match=r"a\.svg: cannot write \(Permission denied\)"):
        write_all([(tmp_path / "a.svg", b"x")])


def test_api_save_is_atomic_too(tmp_path: Path) -> None:
    old = existing(tmp_path, "d.svg")
    d = svgarch.Diagram("Files").block("a")
    with pytest.raises(RenderError):
        d.save(old[0], tmp_path / "d.bmp")
    assert_untouched(old)
    d.save(old[0], tmp_path / "d.png")
    assert old[0].read_bytes().startswith(b"<svg")
    assert (tmp_path / "d.png").read_bytes().startswith(b"\x89PNG")
    assert leftovers(tmp_path) == []
