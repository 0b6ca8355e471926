"""Importing ONNX models: modules as blocks, groups and levels, in each exporter's naming; bad files refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

onnx = pytest.importorskip("onnx")

from svgarch.check import check_scene  # noqa: E402
from svgarch.cli import main  # noqa: E402
from svgarch.errors import SvgarchError  # noqa: E402
from svgarch.onnx_import import Options, description_text, import_model  # noqa: E402
from svgarch.pipeline import build_scene  # noqa: E402
from svgarch.spec import model_from_raw  # noqa: E402
from tests import onnx_models as models  # noqa: E402


def blocks(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["id"]: b for b in raw["block"]}


def edges(raw: dict[str, Any], kind: str | None = None) -> set[tuple[str, str]]:
    """Every (from, to) pair, fans expanded."""
    out: set[tuple[str, str]] = set()
    for e in raw["edge"]:
        if kind is None or e.get("kind") == kind:
            targets = e["to"] if isinstance(e["to"], list) else [e["to"]]
            out.update((e["from"], t) for t in targets)
    return out


def clean(raw: dict[str, Any]) -> None:
    """The description loads and lays out with nothing colliding."""
    scene, _ = build_scene(model_from_raw(raw, "<import>", lambda key: None, Path()))
    report = check_scene(scene)
    assert report.clean, report.lines()


@pytest.mark.parametrize("style", ["torchscript", "tf2onnx", "dynamo"])
def test_cnn_v3_imports_as_a_u_in_every_naming_style(style: str) -> None:
    raw = import_model(models.cnn_v3(style), Options(depth=1))
    b = blocks(raw)
    assert set(b) == {"input_x", "input_cond", "mlp", "enc0", "enc1", "bottleneck", "dec1", "dec0"} | {
        n for n in b if n.startswith("output_")
    }
    # the seed's channel counts, from shape inference, and the MLP's weights: 5·16 + 16 + 16·40 + 40
    assert b["enc0"]["subtitle"].startswith("1×4×64×64")
    assert b["enc1"]["subtitle"].startswith("1×8×32×32")
    assert b["bottleneck"]["subtitle"].startswith("1×8×16×16")
    assert b["dec1"]["subtitle"].startswith("1×4×32×32")
    assert b["mlp"]["subtitle"] == "1×40 · 776 params"
    # a U: each resolution one level, encoder and decoder side by side
    levels = {k: v.get("level") for k, v in b.items()}
    assert levels["enc0"] == levels["dec0"] == 1
    assert levels["enc1"] == levels["dec1"] == 2
    assert levels["bottleneck"] == 3
    assert levels["input_x"] == 0
    assert edges(raw, "skip") == {("enc0", "dec0"), ("enc1", "dec1")}
    assert edges(raw, "condition") == {("mlp", n) for n in ("enc0", "enc1", "dec1", "dec0")}
    pools = {(e["from"], e["to"]): e.get("label") for e in raw["edge"] if isinstance(e["to"], str)}
    assert pools[("enc0", "enc1")].startswith("AvgPool") and pools[("bottleneck", "dec1")] == "Upsample"
    clean(raw)


def test_resnet_bottleneck_at_each_depth() -> None:
    one = import_model(models.resnet_bottleneck(), Options(depth=1))
    assert [b["id"] for b in one["block"] if b["kind"] != "io"] == ["layer1"]
    two = import_model(models.resnet_bottleneck(), Options(depth=2))
    assert [b["id"] for b in two["block"] if b["kind"] != "io"] == ["layer1.0"]
    assert "params" in blocks(two)["layer1.0"]["subtitle"]
    three = import_model(models.resnet_bottleneck(), Options(depth=3))
    b = blocks(three)
    assert {"layer1.0.conv1", "layer1.0.bn1", "layer1.0.conv3", "layer1.0.add"} <= set(b)
    assert b["layer1.0.add"]["shape"] == "circle" and b["layer1.0.add"]["title"] == "⊕"
    assert b["layer1.0.conv2"]["kind"] == "conv" and b["layer1.0.bn2"]["kind"] == "norm"
    assert edges(three, "skip") == set()  # the residual comes from the input block: its own colour, not a skip
    assert ("input_x", "layer1.0.add") in edges(three)
    assert [g["label"] for g in three["group"]] == ["layer1.0"]  # layer1 holds one thing: no frame of its own
    clean(three)


def test_transformer_encoder_with_dynamo_metadata() -> None:
    raw = import_model(models.transformer_encoder(), Options(depth=2))
    b = blocks(raw)
    assert b["layers.0"]["title"] == "layers.0 (TransformerEncoderLayer)"
    assert b["embed"]["kind"] == "embedding" and b["embed"]["title"] == "embed (Embedding)"
    assert edges(raw) >= {("embed", "layers.0"), ("layers.0", "layers.1")}
    deeper = import_model(models.transformer_encoder(), Options(depth=3))
    d = blocks(deeper)
    assert d["layers.0.self_attn"]["kind"] == "attention"
    assert d["layers.0.norm1"]["kind"] == "norm"
    assert ("embed", "layers.0.add") in edges(deeper, "skip")  # the residual around attention
    clean(deeper)


def test_expand_and_collapse_one_module() -> None:
    raw = import_model(models.transformer_encoder(), Options(depth=2, expand=("layers.1",)))
    ids = set(blocks(raw))
    assert "layers.0" in ids and "layers.1" not in ids and "layers.1.self_attn" in ids
    kept = import_model(models.transformer_encoder(), Options(depth=3, collapse=("layers.0",)))
    assert "layers.0" in blocks(kept) and "layers.1.self_attn" in blocks(kept)


def test_boxes_style_draws_convolutions_as_3d_boxes() -> None:
    raw = import_model(models.cnn_v3(), Options(depth=1, style="boxes"))
    b = blocks(raw)
    assert b["enc0"]["shape"] == "box3d" and b["enc0"]["depth"] > 0
    assert b["enc0"]["height"] > b["bottleneck"]["height"]  # higher resolution, a taller box
    clean(raw)  # drawn as 3-D boxes, edges end on their outlines and the text fits


@pytest.mark.parametrize("syntax", ["toml", "yaml", "json"])
def test_import_writes_a_description_that_loads(tmp_path: Path, syntax: str) -> None:
    model = tmp_path / "cnn_v3.onnx"
    onnx.save(models.cnn_v3(), str(model))
    out = tmp_path / f"cnn.{syntax}"
    assert main(["import", str(model), "-o", str(out), "--labels", "channels"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "imported by svgarch" in text or syntax == "json"
    assert main(["render", str(out), "-o", str(tmp_path / "cnn.svg")]) == 0
    assert 'data-block="enc0"' in (tmp_path / "cnn.svg").read_text(encoding="utf-8")
    assert "4 ch" in description_text(import_model(str(model), Options(labels="channels")), "toml")


def test_render_takes_a_model_directly(tmp_path: Path) -> None:
    model = tmp_path / "r.onnx"
    onnx.save(models.resnet_bottleneck(), str(model))
    assert main(["render", str(model), "-o", str(tmp_path / "r.svg")]) == 0
    assert main(["check", str(model)]) == 0


def test_bad_models_get_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = models.resnet_bottleneck().SerializeToString()
    cases = {
        "text.onnx": b"title = 'not a model'\n",
        "truncated.onnx": good[: len(good) // 3],
        "random.onnx": bytes(range(256)) * 8,
        "empty.onnx": b"",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        assert main(["import", str(tmp_path / name), "-o", str(tmp_path / "x.toml")]) == 2, name
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(f"svgarch: {tmp_path / name}: "), err
    assert not (tmp_path / "x.toml").exists()
    assert main(["import", str(tmp_path / "missing.onnx"), "-o", str(tmp_path / "x.toml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_missing_external_weights_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from onnx.external_data_helper import convert_model_to_external_data

    model = models.resnet_bottleneck()
    convert_model_to_external_data(model, all_tensors_to_one_file=True, location="weights.bin", size_threshold=0)
    onnx.save(model, str(tmp_path / "m.onnx"))
    assert (tmp_path / "weights.bin").exists()
    assert main(["import", str(tmp_path / "m.onnx"), "-o", str(tmp_path / "m.toml")]) == 0
    (tmp_path / "weights.bin").unlink()
    assert main(["import", str(tmp_path / "m.onnx"), "-o", str(tmp_path / "m2.toml")]) == 2
    assert "keeps its data in 'weights.bin', which is missing" in capsys.readouterr().err


def test_a_model_past_the_operator_limit_is_refused_without_reading_it_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from svgarch.onnx_import import read

    huge = models.chain(read.MAX_NODES + 1)
    path = tmp_path / "huge.onnx"
    onnx.save(huge, str(path))
    assert main(["import", str(path), "-o", str(tmp_path / "h.toml")]) == 2
    assert f"{read.MAX_NODES + 1} operators; the limit is {read.MAX_NODES}" in capsys.readouterr().err


def test_a_large_model_collapses_to_its_stages() -> None:
    raw = import_model(models.chain(2000), Options(depth=1))
    assert len([b for b in raw["block"] if b["kind"] != "io"]) == 20
    raw = import_model(models.chain(2000), Options(depth=2))
    assert len([b for b in raw["block"] if b["kind"] != "io"]) == 200
    assert len(raw["group"]) == 20


def test_from_onnx_returns_a_diagram(tmp_path: Path) -> None:
    import svgarch

    d = svgarch.from_onnx(models.cnn_v3(), depth=1, title="CNN v3")
    assert d.model.title == "CNN v3"
    assert 'data-block="bottleneck"' in d.to_svg()
    with pytest.raises(SvgarchError):
        svgarch.from_onnx("not-a-model.txt")
    with pytest.raises(SvgarchError):
        svgarch.from_onnx(models.cnn_v3(), labels="everything")


def test_rendering_a_description_never_imports_onnx() -> None:
    code = (
        "import sys; from svgarch.cli import main;"
        " main(['render', 'examples/resnet.toml', '-o', '/dev/null', '--inline']);"
        " sys.exit(1 if 'onnx' in sys.modules else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr


def test_a_real_pytorch_module_when_torch_is_installed(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    nn = torch.nn

    class Block(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(8, 8, 3, padding=1)
            self.norm = nn.BatchNorm2d(8)

        def forward(self, x: Any) -> Any:
            return torch.relu(self.norm(self.conv(x))) + x

    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), Block(), Block()).eval()
    path = tmp_path / "net.onnx"
    torch.onnx.export(net, torch.zeros(1, 3, 32, 32), str(path), dynamo=False)
    raw = import_model(str(path), Options(depth=1))
    assert len([b for b in raw["block"] if b["kind"] != "io"]) == 3
    clean(raw)


def test_the_imported_example_is_what_import_writes_today(tmp_path: Path) -> None:
    """examples/cnn_v3_imported.toml is the import of examples/models/cnn_v3.onnx, kept in step."""
    root = Path(__file__).parent.parent
    model = root / "examples" / "models" / "cnn_v3.onnx"
    rebuilt = tmp_path / "cnn_v3.onnx"
    onnx.save(models.cnn_v3("dynamo"), str(rebuilt))
    assert rebuilt.read_bytes() == model.read_bytes()  # the script that makes the model still makes it
    out = tmp_path / "imported.toml"
    title = "CNN v3 — imported from its ONNX graph"
    assert main(["import", str(model), "--labels", "channels", "--title", title, "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == (root / "examples" / "cnn_v3_imported.toml").read_text(encoding="utf-8")
