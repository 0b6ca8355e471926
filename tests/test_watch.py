"""``svgarch watch`` over loopback: a change is served, a broken save shows its error, Ctrl-C stops it."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

SPEC = 'title = "watched"\nblock = [{ id = "a", title = "first" }, { id = "b" }]\nedge = [{ from = "a", to = "b" }]\n'


def _get(url: str, timeout: float = 30) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return str(response.read().decode("utf-8"))


def _until(predicate: object, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    spec = tmp_path / "d.toml"
    spec.write_text(SPEC, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "svgarch", "watch", str(spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**__import__("os").environ, "SVGARCH_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert found, line
    yield proc, found.group(0), spec
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def test_a_change_is_served_and_a_broken_save_shows_its_error(watched: tuple[subprocess.Popen[str], str, Path]) -> None:
    proc, url, spec = watched
    page = _get(url)
    assert "<title>" in page and "wait?v=" in page and "zoom" in page
    state = json.loads(_get(url + "d/0/state"))
    assert state["errors"] == [] and state["version"] == 1
    assert "first" in _get(url + "d/0/svg")
    spec.write_text(SPEC.replace("first", "second"), encoding="utf-8")
    state = json.loads(_get(url + "d/0/wait?v=1"))  # the long poll answers when the render is done
    _until(lambda: "second" in _get(url + "d/0/svg"))
    spec.write_text(SPEC.replace('id = "b"', 'id = "b", shape = "blob"'), encoding="utf-8")
    _until(lambda: json.loads(_get(url + "d/0/state"))["errors"])
    errors = json.loads(_get(url + "d/0/state"))["errors"]
    assert errors[0].startswith(f"{spec}:2: block[1].shape:")
    assert "second" in _get(url + "d/0/svg")  # the last good picture stays
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 0
    assert proc.stderr is not None and "stopped watching" in proc.stderr.read()


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
def test_it_listens_on_loopback_only(watched: tuple[subprocess.Popen[str], str, Path]) -> None:
    _, url, _ = watched
    port = int(url.rsplit(":", 1)[1].strip("/"))
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text(encoding="ascii").splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and int(local.split(":")[1], 16) == port:  # 0A: LISTEN
                listening.append(local.split(":")[0])
    assert listening == ["0100007F"]  # 127.0.0.1, and nothing on another interface or on IPv6


def test_a_missing_description_is_refused_at_once(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "svgarch", "watch", str(tmp_path / "nope.toml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == f"svgarch: {tmp_path / 'nope.toml'}: no such file"
    assert done.stdout == ""
