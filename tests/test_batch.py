"""Rendering many descriptions in one call: folders, globs, stdin, --out-dir, skipping what is unchanged."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from svgarch import batch
from svgarch.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"
SMALL = 'title = "t"\nblock = [{ id = "a" }, { id = "b" }]\nedge = [{ from = "a", to = "b" }]\n'


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """docs/ with two examples at the top and one in a sub-folder; the cache in the test's own folder."""
    monkeypatch.setenv("SVGARCH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLES / "resnet.toml", docs / "resnet.toml")
    shutil.copy(EXAMPLES / "inception.toml", docs / "inception.toml")
    shutil.copy(EXAMPLES / "unet.toml", docs / "sub" / "unet.toml")
    (docs / ".hidden").mkdir()
    (docs / ".hidden" / "skip.toml").write_text("not = [valid", encoding="utf-8")
    return docs


def test_a_folder_renders_to_out_dir_mirroring_sub_folders(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "docs", "--out-dir", "out", "--format", "svg,png", "-j", "1"]) == 0
    made = sorted(str(p.relative_to("out")) for p in Path("out").rglob("*.*"))
    assert made == [f"{n}.{f}" for n in ("inception", "resnet", "sub/unet") for f in ("png", "svg")]
    assert Path("out/resnet.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "3 rendered, 0 unchanged, 0 failed in" in capsys.readouterr().err


def test_a_second_run_over_an_unchanged_tree_does_no_layout(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", "docs", "--out-dir", "out", "-j", "1"]) == 0
    capsys.readouterr()

    def no_layout(*args: object, **kwargs: object) -> None:
        raise AssertionError("laid out again")

    monkeypatch.setattr("svgarch.pipeline.render_svg", no_layout)
    assert main(["render", "docs", "--out-dir", "out", "-j", "1"]) == 0
    assert "0 rendered, 3 unchanged, 0 failed" in capsys.readouterr().err
    # a save without a change moves the time, not the content: still unchanged
    text = (tree / "resnet.toml").read_text(encoding="utf-8")
    (tree / "resnet.toml").write_text(text, encoding="utf-8")
    assert main(["render", "docs", "--out-dir", "out", "-j", "1"]) == 0
    assert "0 rendered, 3 unchanged" in capsys.readouterr().err


def test_what_changed_is_rendered_again(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "docs", "--out-dir", "out", "-j", "1"]) == 0
    capsys.readouterr()
    spec = tree / "resnet.toml"
    spec.write_text(spec.read_text(encoding="utf-8").replace('title = "', 'title = "ResNeXt ', 1), encoding="utf-8")
    Path("out/sub/unet.svg").unlink()
    assert main(["render", "docs", "--out-dir", "out", "-j", "1"]) == 0
    assert "2 rendered, 1 unchanged" in capsys.readouterr().err
    assert "ResNeXt" in Path("out/resnet.svg").read_text(encoding="utf-8")
    # another theme is another output
    assert main(["render", "docs", "--out-dir", "out", "-j", "1", "--theme", "light"]) == 0
    assert "3 rendered, 0 unchanged" in capsys.readouterr().err
    assert main(["render", "docs", "--out-dir", "out", "-j", "1", "--theme", "light", "--force"]) == 0
    assert "3 rendered, 0 unchanged" in capsys.readouterr().err


def test_a_css_file_is_part_of_the_key(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    css = tree / "brand.css"
    css.write_text(".svgarch { --sa-bg: #101010 }\n", encoding="utf-8")
    spec = tree / "resnet.toml"
    spec.write_text('css = "brand.css"\n' + spec.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["render", str(spec), "--out-dir", "out"]) == 0
    css.write_text(".svgarch { --sa-bg: #202020 }\n", encoding="utf-8")
    assert main(["render", str(spec), "--out-dir", "out"]) == 0
    assert "1 rendered, 0 unchanged" in capsys.readouterr().err.splitlines()[-1]
    assert "#202020" in Path("out/resnet.svg").read_text(encoding="utf-8")


def test_one_broken_file_does_not_stop_the_others(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "broken.toml").write_text('title = "x"\n[[block]]\nid = "a"\nshape = "blob"\n', encoding="utf-8")
    assert main(["render", "docs", "--out-dir", "out", "-j", "2"]) == 2
    err = capsys.readouterr().err
    assert "broken.toml:4: block[0].shape:" in err
    assert "3 rendered, 0 unchanged, 1 failed" in err
    assert Path("out/resnet.svg").exists() and not Path("out/broken.svg").exists()


def test_globs_and_several_files(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "docs/**/*.toml", "--out-dir", "out", "-j", "1"]) == 0
    made = sorted(str(p.relative_to("out")) for p in Path("out").rglob("*.svg"))
    assert made == ["inception.svg", "resnet.svg", "sub/unet.svg"]
    assert main(["render", "docs/nothing*.toml"]) == 2
    assert "no file matches" in capsys.readouterr().err


def test_a_glob_mirrors_the_folders_below_its_fixed_part(tree: Path) -> None:
    # docs/**/*.toml searches from docs: docs/resnet.toml and docs/sub/resnet.toml are out/resnet.svg and
    # out/sub/resnet.svg, as the folder docs would write them
    shutil.copy(tree / "resnet.toml", tree / "sub" / "resnet.toml")
    assert main(["render", "docs/**/*.toml", "--out-dir", "out", "-j", "1", "-q"]) == 0
    assert Path("out/resnet.svg").exists() and Path("out/sub/resnet.svg").exists()
    assert main(["render", "docs/*/resnet.toml", "--out-dir", "out2", "-j", "1", "-q"]) == 0
    assert sorted(str(p.relative_to("out2")) for p in Path("out2").rglob("*.svg")) == ["sub/resnet.svg"]


def test_two_descriptions_never_write_one_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # two globs flatten into one folder: docs/resnet.toml and docs/sub/resnet.toml would both be out/resnet.svg
    shutil.copy(tree / "resnet.toml", tree / "sub" / "resnet.toml")
    assert main(["render", "docs/*.toml", "docs/sub/*.toml", "--out-dir", "out", "-j", "1"]) == 2
    err = capsys.readouterr().err
    assert "docs/resnet.toml and docs/sub/resnet.toml would both be written to out/resnet.svg" in err
    assert "name their folder instead" in err
    assert not Path("out").exists()
    assert main(["render", "docs", "--out-dir", "out", "-j", "1"]) == 0  # the folder mirrors: no clash
    # side by side without --out-dir: x.toml and x.yaml are both x.svg
    (tree / "resnet.yaml").write_text("block: [{id: a}]\n", encoding="utf-8")
    assert main(["render", "docs/resnet.toml", "docs/resnet.yaml"]) == 2
    assert capsys.readouterr().err.strip().endswith("would both be written to docs/resnet.svg")


def test_o_names_the_outputs_of_one_description_only(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "docs/resnet.toml", "docs/inception.toml", "-o", "x.svg"]) == 2
    assert "--out-dir" in capsys.readouterr().err
    assert main(["render", "docs", "--format", "gif"]) == 2
    assert "unknown format 'gif'" in capsys.readouterr().err


def test_plan_puts_outputs_beside_their_descriptions_without_out_dir() -> None:
    jobs = batch.plan([("a/b.toml", None), ("c.yaml", None)], [], None, ["svg", "pdf"])
    assert jobs == [
        batch.Job("a/b.toml", (("a/b.svg", "svg"), ("a/b.pdf", "pdf"))),
        batch.Job("c.yaml", (("c.svg", "svg"), ("c.pdf", "pdf"))),
    ]


def _run(args: list[str], stdin: bytes = b"", cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "svgarch", *args], input=stdin, capture_output=True, cwd=cwd)


def test_stdin_to_stdout(tmp_path: Path) -> None:
    done = _run(["render", "-"], SMALL.encode())
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"<svg") and b'data-block="a"' in done.stdout
    assert done.stderr == b""
    png = _run(["render", "-", "-o", "-", "--format", "png"], SMALL.encode())
    assert png.returncode == 0 and png.stdout[:4] == b"\x89PNG"
    yaml = _run(["render", "-", "--syntax", "yaml"], b"block:\n  - id: a\n")
    assert yaml.returncode == 0 and b'data-block="a"' in yaml.stdout
    bad = _run(["render", "-"], b'title = "x"\nblock = [{ id = "a", shape = "blob" }]\n')
    assert bad.returncode == 2 and bad.stderr.decode().startswith("svgarch: <stdin>:2: block[0].shape:")
    out = _run(["render", str(EXAMPLES / "resnet.toml"), "-o", "-"])
    assert out.returncode == 0 and out.stdout.startswith(b"<svg")


def test_yaml_on_stdin_without_syntax_says_how_to_read_it(capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    yaml = "block:\n  - {id: a}\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(yaml))
    assert main(["render", "-"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("(stdin is read as TOML; --syntax yaml or --syntax json for the others)")
    monkeypatch.setattr("sys.stdin", io.StringIO(yaml))  # asked for TOML: the parser's word alone
    assert main(["render", "-", "--syntax", "toml"]) == 2
    assert "--syntax" not in capsys.readouterr().err


def test_version() -> None:
    from svgarch import __version__

    done = _run(["--version"])
    assert done.returncode == 0 and done.stdout.decode().strip() == f"svgarch {__version__}"


def test_a_batch_flushes_each_output_folder_once_after_its_last_rename(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from svgarch import files

    events: list[tuple[str, Path]] = []
    real_replace, real_sync = os.replace, files._sync_folder

    def replace(src: str, dst: Path) -> None:
        events.append(("rename", Path(dst).parent))
        real_replace(src, dst)

    def sync(folder: Path) -> None:
        events.append(("sync", Path(folder)))
        real_sync(folder)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(files, "_sync_folder", sync)
    jobs = batch.plan(batch.find_inputs([str(tree)]), [], tree.parent / "out", ["svg"])
    summary = batch.run(jobs, batch.Options(), workers=1, force=True)
    assert summary.rendered == len(jobs) == 3
    folders = {Path(p).parent for job in jobs for p, _ in job.outputs}
    synced = [folder for kind, folder in events if kind == "sync"]
    assert sorted(synced) == sorted(folders)  # each once
    # (os.replace is the module's: the cache's manifest, written after, is renamed through it too)
    last_rename = max(i for i, (kind, folder) in enumerate(events) if kind == "rename" and folder in folders)
    assert all(i > last_rename for i, (kind, _) in enumerate(events) if kind == "sync")


def test_a_pool_starts_after_one_render_here_and_takes_the_biggest_first(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "broken.toml").write_text("not = [valid", encoding="utf-8")  # the smallest: tried here first
    jobs = batch.plan(batch.find_inputs([str(tree)]), [], tree.parent / "out", ["svg"])
    sizes = [Path(job.source).stat().st_size for job in jobs]
    order = batch._biggest_first(jobs, range(len(jobs)))
    assert [sizes[i] for i in order] == sorted(sizes, reverse=True)
    reported: list[batch.Result] = []
    summary = batch.run(jobs, batch.Options(), workers=2, force=True, report=reported.append)
    assert (summary.rendered, summary.failed) == (3, 1)
    assert [r.source for r in reported] == [job.source for job in jobs]  # in the jobs' order
    assert batch._state.themes  # the next smallest rendered in this process, before the pool forked
    assert all(Path(p).exists() for job in jobs if "broken" not in job.source for p, _ in job.outputs)
