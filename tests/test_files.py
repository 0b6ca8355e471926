"""svgarch.files (and pipeline.render_files): outputs are written atomically.

A failed render leaves every existing output byte-identical and no temporary
file behind; outputs are flushed to disk before they are renamed, symlinks
are replaced (never written through) without widening permissions, and
temporary files of killed renders are removed by later ones.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

import pytest

import svgarch
from svgarch import files, pipeline
from svgarch.cli import main as cli_main
from svgarch.errors import RenderError, quoted
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


# --- outputs onto symlinks, permissions, fsync, stale temporary files, quoted names ----------


def test_an_output_that_is_a_symlink_is_replaced_and_its_target_untouched(tmp_path: Path) -> None:
    """svgarch never writes through a link: a link planted where an output goes cannot redirect the write."""
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(OLD)
    target.chmod(0o666)  # a world-writable target must not make the output world-writable
    link = tmp_path / "d.svg"
    link.symlink_to(target)
    umask = os.umask(0o022)
    try:
        write_all([(link, b"<svg/>")])
    finally:
        os.umask(umask)
    assert not link.is_symlink() and link.read_bytes() == b"<svg/>"
    assert link.stat().st_mode & 0o777 == 0o644  # the umask's default, not the target's mode
    assert target.read_bytes() == OLD and target.stat().st_mode & 0o777 == 0o666
    assert leftovers(tmp_path) == []


def test_a_dangling_symlink_output_is_replaced(tmp_path: Path) -> None:
    link = tmp_path / "d.svg"
    link.symlink_to(tmp_path / "missing" / "nowhere.svg")
    write_all([(link, b"<svg/>")])
    assert not link.is_symlink() and link.read_bytes() == b"<svg/>"
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(("old_mode", "new_mode"), [(0o640, 0o640), (0o666, 0o664), (0o4755, 0o755), (0o600, 0o600)])
def test_a_replaced_file_keeps_its_mode_but_never_world_write_or_set_id(
    tmp_path: Path, old_mode: int, new_mode: int
) -> None:
    (path,) = existing(tmp_path, "d.svg")
    path.chmod(old_mode)
    write_all([(path, b"new")])
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o7777 == new_mode


def test_each_output_is_on_disk_before_its_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, str]] = []

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        os.fsync(fd)

    def replace(src: str, dst: Path) -> None:
        events.append(("replace", str(Path(src).resolve())))
        os.replace(src, dst)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("names open files through /proc")
    monkeypatch.setattr(files, "os", OsWith(fsync=fsync, replace=replace))
    a, b = tmp_path / "a.svg", tmp_path / "b.png"
    write_all([(a, b"one"), (b, b"two")])
    staged = [name for what, name in events if what == "replace"]
    assert [Path(s).name.split(".")[1:3] for s in staged] == [["a", "svg"], ["b", "png"]]
    for name in staged:  # each temporary file flushed before it is renamed
        assert events.index(("fsync", name)) < events.index(("replace", name))
    assert events[-1] == ("fsync", str(tmp_path.resolve()))  # then the folder, once the renames are done


def _dead_pid() -> int:
    """The pid of a process that has ended (the kernel does not reuse it this soon)."""
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(proc.stdout)


def _aged(path: Path, data: bytes = b"half an output") -> Path:
    path.write_bytes(data)
    old = time.time() - 2 * files.STALE_AFTER
    os.utime(path, (old, old))
    return path


def test_stale_temporary_files_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead, me = _dead_pid(), os.getpid()
    stale = [_aged(tmp_path / f".d.svg.{dead}.0.tmp"), _aged(tmp_path / f".other.PNG.{dead}.7.tmp")]
    kept = [
        _aged(tmp_path / f".d.svg.{me}.99.tmp"),  # a live writer: this very process
        tmp_path / f".d.svg.{dead}.1.tmp",  # too fresh: a writer on another machine may be at work
        _aged(tmp_path / f".notes.txt.{dead}.0.tmp"),  # not a name svgarch gives
        _aged(tmp_path / f"d.svg.{dead}.0.tmp"),  # not hidden
    ]
    kept[1].write_bytes(b"fresh")
    link = tmp_path / f".e.svg.{dead}.0.tmp"
    link.symlink_to(stale[0])
    kept.append(link)  # only regular files are removed
    write_all([(tmp_path / "d.svg", b"<svg/>")])
    assert not any(p.exists() for p in stale)
    assert all(p.is_symlink() or p.exists() for p in kept)


def test_temporary_files_left_by_a_killed_render_are_removed_by_the_next(tmp_path: Path) -> None:
    """SIGKILL between the writes and the renames: the next render into that folder cleans up."""
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("POSIX signals")
    spec = tmp_path / "d.toml"
    spec.write_text('[[block]]\nid = "a"\n')
    out = [tmp_path / "d.svg", tmp_path / "d.png"]
    die_at_rename = (
        "import os, signal, sys\n"
        "os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from svgarch.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    args = ["render", str(spec), "-o", str(out[0]), "-o", str(out[1]), "--dpi", "30"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    killed = subprocess.run([sys.executable, "-c", die_at_rename, *args], env=env, capture_output=True, check=False)
    assert killed.returncode == -signal.SIGKILL
    left = sorted(tmp_path.glob(".d.*.tmp"))
    assert len(left) == 2 and not any(p.exists() for p in out)
    for p in left:
        _aged(p, p.read_bytes())  # as if the next render came a while later
    assert cli_main(args) == 0
    assert out[0].read_bytes().startswith(b"<svg") and out[1].read_bytes().startswith(b"\x89PNG")
    assert not list(tmp_path.glob(".d.*.tmp"))


@pytest.mark.parametrize("name", ["a\nb.gif", "tab\there\x1b[31m.svg", "bidi\u202etxt.gif"])
def test_file_names_in_messages_print_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    spec = tmp_path / "d.toml"
    spec.write_text('[[block]]\nid = "a"\n')
    target = tmp_path / "missing folder" / name
    assert cli_main(["render", str(spec), "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.isprintable() is False  # the newline at the end only
    assert err[:-1].isprintable(), err
    assert repr(str(target)) in err or repr(name) in err


def test_quoted_leaves_printable_names_alone() -> None:
    assert quoted(Path("out/d é.svg")) == "out/d é.svg"
    assert quoted("a\nb") == "'a\\nb'"
    assert quoted("x\udcffy") == "'x\\udcffy'"  # a name that is not UTF-8


def test_a_description_name_with_a_line_break_prints_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "two\nlines.toml"
    spec.write_text("[[block]]\nid = 3\n")
    assert cli_main(["render", str(spec), "-o", str(tmp_path / "d.svg")]) == 2
    err = capsys.readouterr().err
    assert err == f"svgarch: {str(spec)!r}:2: block[0].id: must be a string, not a number (put it in quotes)\n"
    assert cli_main(["render", str(tmp_path / "gone\n.toml")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
