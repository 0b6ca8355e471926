"""Nothing lost: a render that fails, for any reason, leaves every existing output byte-identical.

Outputs are rendered in memory, staged beside their targets and renamed into
place; interrupts are held while that happens. Whatever stops a render, each
output is either its old bytes or its complete new bytes, and no temporary
file is left behind.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import types
from pathlib import Path
from typing import Any

import pytest

from svgarch import files
from svgarch.cli import main
from svgarch.render import raster

ROOT = Path(__file__).resolve().parent.parent
OLD = b"old bytes that must survive\n"
GOOD = '[[block]]\nid = "a"\nrow = 0\ncol = 0\n[[block]]\nid = "b"\nrow = 1\ncol = 0\n[[edge]]\nfrom = "a"\nto = "b"\n'
NAMES = ("d.svg", "d.png", "d.pdf")

posix_signals = pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")


@pytest.fixture(autouse=True)
def interrupts_on() -> Any:
    """Ctrl-C raises KeyboardInterrupt, as in a terminal, even when the test
    runner was started with SIGINT ignored (a background job, some CI)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _interrupts_on_in_child() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Python then installs its own handler


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "d.toml"
    path.write_text(GOOD)
    return path


@pytest.fixture
def outputs(tmp_path: Path) -> list[Path]:
    out = tmp_path / "out"
    out.mkdir()
    paths = [out / name for name in NAMES]
    for p in paths:
        p.write_bytes(OLD + p.name.encode())
    return paths


def untouched(paths: list[Path]) -> bool:
    return all(p.read_bytes() == OLD + p.name.encode() for p in paths)


def leftovers(paths: list[Path]) -> list[str]:
    return sorted(p.name for p in paths[0].parent.iterdir() if p not in paths)


def render(capsys: pytest.CaptureFixture[str], spec: Path, outputs: list[Path]) -> tuple[int, str]:
    code = main(["render", str(spec), *[a for p in outputs for a in ("-o", str(p))], "--dpi", "40"])
    _, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, err


def test_bad_input_changes_nothing(capsys: pytest.CaptureFixture[str], spec: Path, outputs: list[Path]) -> None:
    spec.write_text(GOOD.replace('to = "b"', 'to = "c"'))
    code, err = render(capsys, spec, outputs)
    assert code == 2 and "unknown block 'c'" in err
    assert untouched(outputs) and leftovers(outputs) == []


def fail_mid_png(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """Make the PNG encoder fail after some rows are done."""
    real, rows = raster._unpremultiply, []

    def unpremultiply(rgba: bytearray) -> None:
        rows.append(1)
        if len(rows) == 20:
            raise error
        real(rgba)

    monkeypatch.setattr(raster, "_unpremultiply", unpremultiply)
    real_opaque = raster._opaque_rgb_idat

    def opaque_rows(*args: Any) -> bytes | None:  # an opaque image's rows are prepared in one go: then fail
        real_opaque(*args)
        raise error

    monkeypatch.setattr(raster, "_opaque_rgb_idat", opaque_rows)


def test_an_error_mid_png_changes_nothing(
    capsys: pytest.CaptureFixture[str], spec: Path, outputs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_mid_png(monkeypatch, RuntimeError("cairo is out of sorts"))
    code, err = render(capsys, spec, outputs)
    assert (code, err) == (2, "svgarch: cairosvg could not render the PNG: cairo is out of sorts\n")
    assert untouched(outputs) and leftovers(outputs) == []


def test_an_interrupt_mid_png_changes_nothing(
    capsys: pytest.CaptureFixture[str], spec: Path, outputs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_mid_png(monkeypatch, KeyboardInterrupt())
    code, err = render(capsys, spec, outputs)
    assert (code, err) == (130, "svgarch: interrupted; no file was changed\n")
    assert untouched(outputs) and leftovers(outputs) == []


class OsWith(types.SimpleNamespace):
    """The os module with a few functions replaced (for files.os only)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


@posix_signals
def test_an_interrupt_while_writing_waits_until_every_output_is_written(
    capsys: pytest.CaptureFixture[str], spec: Path, outputs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    staged: list[int] = []

    def fdopen(fd: int, mode: str) -> Any:
        staged.append(fd)
        if len(staged) == 2:  # a real Ctrl-C, between two outputs
            # aimed at the main thread: other threads of the test process (the
            # browser tests' driver) would otherwise take it, which the CLI never has
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
        return os.fdopen(fd, mode)

    monkeypatch.setattr(files, "os", OsWith(fdopen=fdopen))
    code, err = render(capsys, spec, outputs)
    assert (code, err) == (130, "svgarch: interrupted; every output was written\n")
    assert [p.read_bytes()[:4] for p in outputs] == [b"<svg", b"\x89PNG", b"%PDF"]
    assert leftovers(outputs) == []


def test_a_full_disk_changes_nothing(
    capsys: pytest.CaptureFixture[str], spec: Path, outputs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    staged: list[int] = []

    def fdopen(fd: int, mode: str) -> Any:
        staged.append(fd)
        if len(staged) == 3:
            os.close(fd)
            raise OSError(28, "No space left on device")
        return os.fdopen(fd, mode)

    monkeypatch.setattr(files, "os", OsWith(fdopen=fdopen))
    code, err = render(capsys, spec, outputs)
    assert (code, err) == (2, f"svgarch: {outputs[2]}: No space left on device\n")
    assert untouched(outputs) and leftovers(outputs) == []


def test_a_failed_rename_says_which_outputs_were_updated(
    capsys: pytest.CaptureFixture[str], spec: Path, outputs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    renamed: list[str] = []

    def replace(src: str, dst: Path) -> None:
        if len(renamed) == 2:
            raise OSError(30, "Read-only file system")
        renamed.append(src)
        os.replace(src, dst)

    monkeypatch.setattr(files, "os", OsWith(replace=replace))
    code, err = render(capsys, spec, outputs)
    updated = f"{outputs[0]}, {outputs[1]}"
    assert (code, err) == (2, f"svgarch: {outputs[2]}: cannot write (Read-only file system); updated: {updated}\n")
    assert untouched(outputs[2:]) and not untouched(outputs[:1]) and leftovers(outputs) == []


def test_a_replaced_output_keeps_its_permissions(
    capsys: pytest.CaptureFixture[str], spec: Path, outputs: list[Path]
) -> None:
    outputs[0].chmod(0o640)
    assert render(capsys, spec, outputs[:1]) == (0, "")
    assert outputs[0].read_bytes().startswith(b"<svg")
    assert outputs[0].stat().st_mode & 0o777 == 0o640


def test_an_output_onto_a_symlink_replaces_the_link_and_leaves_its_target(
    capsys: pytest.CaptureFixture[str], spec: Path, outputs: list[Path]
) -> None:
    """A link planted where an output goes cannot make svgarch overwrite (or chmod) another file."""
    target = outputs[0].parent / "precious.txt"
    target.write_bytes(OLD)
    target.chmod(0o666)
    outputs[0].unlink()
    outputs[0].symlink_to(target)
    assert render(capsys, spec, outputs[:1]) == (0, "")
    assert not outputs[0].is_symlink() and outputs[0].read_bytes().startswith(b"<svg")
    assert outputs[0].stat().st_mode & 0o002 == 0  # never world-writable because the target was
    assert target.read_bytes() == OLD and target.stat().st_mode & 0o777 == 0o666


# --- a real process, stopped at random moments ----------------------------------------------


def dateless(data: bytes) -> bytes:
    """PDF bytes without their creation date (cairo writes the time of the render)."""
    return re.sub(rb"/CreationDate \(D:[0-9Z+'-]*\)", b"", data)


def busy_spec(folder: Path) -> Path:
    """A description that takes a noticeable time to render (so a signal lands inside)."""
    lines = []
    for i in range(48):
        lines += [f'[[block]]\nid = "b{i}"\ntitle = "block {i}"\nrow = {i // 8}\ncol = {i % 8}\n']
    for i in range(47):
        if i % 8 != 7:
            lines += [f'[[edge]]\nfrom = "b{i}"\nto = "b{i + 1}"\nlabel = "e{i}"\n']
    path = folder / "busy.toml"
    path.write_text("".join(lines))
    return path


@posix_signals
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_render_stopped_at_any_moment_leaves_old_or_whole_new_outputs(tmp_path: Path, sig: int) -> None:
    spec = busy_spec(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "out"
    out.mkdir()
    new = [out / f"new{Path(n).suffix}" for n in NAMES]
    command = [sys.executable, "-m", "svgarch", "render", str(spec), "--dpi", "60"]
    start = time.monotonic()
    subprocess.run([*command, *[a for p in new for a in ("-o", str(p))]], env=env, check=True, timeout=120)
    full = time.monotonic() - start
    reference = [dateless(p.read_bytes()) for p in new]
    old = [out / name for name in NAMES]
    seen = set()
    for step in range(8):
        for p in old:
            p.write_bytes(OLD + p.name.encode())
        proc = subprocess.Popen(
            [*command, *[a for p in old for a in ("-o", str(p))]],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_interrupts_on_in_child,
        )
        time.sleep(full * step / 7)  # from the start to past the end
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
        state = ["old" if p.read_bytes() == OLD + p.name.encode() else "new" for p in old]
        # Python's own report of a Ctrl-C while it imports svgarch, before any of it runs, is the one traceback
        assert "Traceback" not in err or (err.endswith("KeyboardInterrupt\n") and " in main" not in err)
        for p, ref, s in zip(old, reference, state, strict=True):
            assert s == "old" or dateless(p.read_bytes()) == ref, f"{p.name} is neither its old nor its whole new bytes"
        assert len(set(state)) == 1, f"some outputs updated, some not: {state} ({err})"
        assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in old + new)  # no temporary files
        seen.add(state[0])
    assert "old" in seen  # the signal did land inside a render at least once


def test_an_interrupt_swallowed_by_a_c_callback_is_still_reported(
    capsys: pytest.CaptureFixture[str], spec: Path, outputs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from svgarch import pipeline

    real = pipeline.render_svg

    def render_svg(*args: Any, **kwargs: Any) -> str:
        # what cffi does with a Ctrl-C that lands in a callback: hand it to the unraisable hook
        sys.unraisablehook(types.SimpleNamespace(exc_type=KeyboardInterrupt, exc_value=KeyboardInterrupt()))
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "render_svg", render_svg)
    hook = sys.unraisablehook
    code, err = render(capsys, spec, outputs)
    assert (code, err) == (130, "svgarch: interrupted; every output was written\n")
    assert [p.read_bytes()[:4] for p in outputs] == [b"<svg", b"\x89PNG", b"%PDF"]
    assert sys.unraisablehook is hook  # put back


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX timers")
def test_a_render_out_of_time_changes_nothing(
    capsys: pytest.CaptureFixture[str], spec: Path, outputs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from svgarch import pipeline

    def endless(*_args: Any, **_kwargs: Any) -> str:
        while True:  # a layout that would take hours
            time.sleep(0.01)

    monkeypatch.setattr(pipeline, "render_svg", endless)
    start = time.monotonic()
    code = main(["render", str(spec), *[a for p in outputs for a in ("-o", str(p))], "--timeout", "0.3"])
    assert time.monotonic() - start < 5
    assert (code, capsys.readouterr().err) == (2, "svgarch: gave up after 0.3 s (--timeout); no file was changed\n")
    assert untouched(outputs) and leftovers(outputs) == []


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX timers")
def test_a_render_out_of_time_while_writing_finishes(
    capsys: pytest.CaptureFixture[str], spec: Path, outputs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def replace(src: str, dst: Path) -> None:
        time.sleep(1.0)  # a slow disk: the time runs out between two renames
        os.replace(src, dst)

    monkeypatch.setattr(files, "os", OsWith(replace=replace))
    code = main(["render", str(spec), *[a for p in outputs for a in ("-o", str(p))], "--dpi", "40", "--timeout", "1.5"])
    assert (code, capsys.readouterr().err) == (0, "")
    assert [p.read_bytes()[:4] for p in outputs] == [b"<svg", b"\x89PNG", b"%PDF"]
    assert leftovers(outputs) == []
