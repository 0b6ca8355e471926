"""Golden files: every example's SVG and scene JSON, byte for byte.

    python -m tests.golden accept     # rewrite tests/golden/ from the examples (make golden-accept)

A failing golden test writes ``<name>.got.svg`` / ``<name>.got.scene.json``
next to the expected files and ``review.html`` showing both side by side.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

from svgarch.pipeline import build_scene
from svgarch.render.svg import to_svg
from svgarch.spec import load_model

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"


def examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.toml"))


def render(spec: Path) -> dict[str, str]:
    """The golden artefacts of one example: suffix → text."""
    scene, theme = build_scene(load_model(spec))
    return {".svg": to_svg(scene, theme), ".scene.json": scene.to_json() + "\n"}


def expected_path(spec: Path, suffix: str) -> Path:
    return GOLDEN / f"{spec.stem}{suffix}"


def got_path(spec: Path, suffix: str) -> Path:
    return GOLDEN / f"{spec.stem}.got{suffix}"


def write_review(failed: list[Path]) -> Path:
    rows = "\n".join(
        f"<h2>{html.escape(s.stem)}</h2><div class=row>"
        f"<figure><img src='{s.stem}.svg'><figcaption>expected</figcaption></figure>"
        f"<figure><img src='{s.stem}.got.svg'><figcaption>got</figcaption></figure></div>"
        for s in failed
    )
    page = GOLDEN / "review.got.html"
    page.write_text(
        "<!doctype html><meta charset=utf-8><title>golden review</title>"
        "<style>.row{display:flex;gap:1em}figure{flex:1;margin:0}img{width:100%;border:1px solid #ccc}</style>"
        f"{rows}\n",
        encoding="utf-8",
    )
    return page


def accept() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for stale in GOLDEN.glob("*.got.*"):
        stale.unlink()
    for spec in examples():
        for suffix, text in render(spec).items():
            expected_path(spec, suffix).write_text(text, encoding="utf-8")
            print(f"accepted {expected_path(spec, suffix).relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["accept"]:
        sys.exit("usage: python -m tests.golden accept")
    accept()
