"""``svgarch check`` on group frames: frames that overlap, and blocks in the frame of a group they are not in."""

from __future__ import annotations

from pathlib import Path

import pytest

from svgarch.check import Membership, check_scene, membership_of
from svgarch.cli import main
from svgarch.geometry import Box
from svgarch.render.svg import to_svg
from svgarch.scene import Scene, SceneBlock, SceneGroup, TextLine
from svgarch.spec import load_model
from svgarch.theme import Theme


def block(id: str, box: Box) -> SceneBlock:
    return SceneBlock(id, "", "rect", box, (), "", 0.0)


def group(id: str, box: Box) -> SceneGroup:
    label = Box(box.x + 8, box.y + 3, 30, 12)
    return SceneGroup(id, box, TextLine(id, label.x, label.bottom - 3, "group-label", "start", label))


def scene(blocks: list[SceneBlock], groups: list[SceneGroup]) -> Scene:
    return Scene("t", 800.0, 600.0, (), "", tuple(blocks), (), tuple(groups), (), (), None, (), ())


A, B = block("a", Box(40, 60, 80, 40)), block("b", Box(240, 60, 80, 40))
LEFT, RIGHT = group("left", Box(20, 30, 140, 100)), group("right", Box(220, 30, 140, 100))
TWO = Membership([("left", None, ["a"]), ("right", None, ["b"])])


def test_frames_side_by_side_or_touching_are_clean() -> None:
    assert check_scene(scene([A, B], [LEFT, RIGHT]), TWO).clean
    touching = RIGHT._replace(box=Box(160, 30, 140, 100))  # its left side on left's right side
    assert check_scene(scene([A], [LEFT, touching])).clean


def test_sibling_frames_that_overlap_fail() -> None:
    over = RIGHT._replace(box=Box(140, 30, 220, 100))  # 20 px into left's frame, clear of its block a
    s = scene([A, B], [LEFT, over])
    for report in (check_scene(s, TWO), check_scene(s)):  # known membership or not, a partial overlap is seen
        assert report.frame_overlaps == ["group left's frame overlaps group right's frame"]
        assert not report.clean
        assert "  frame overlaps: 1" in report.lines()


def test_a_nested_frame_is_fine_and_a_stranger_inside_one_is_not() -> None:
    inner = group("inner", Box(30, 40, 110, 80))
    s = scene([A], [LEFT, inner])
    nested = Membership([("left", None, []), ("inner", "left", ["a"])])
    assert check_scene(s, nested).clean
    assert check_scene(s).clean  # an SVG's frames: one held whole by another is taken as nested
    apart = Membership([("left", None, []), ("inner", None, ["a"])])  # two groups side by side, drawn one in the other
    assert check_scene(s, apart).frame_overlaps == ["group left's frame overlaps group inner's frame"]


def test_a_block_in_the_frame_of_a_group_it_is_not_in() -> None:
    c = block("c", Box(40, 104, 40, 20))  # inside left's frame, below a
    d = block("d", Box(150, 60, 40, 40))  # half in, half out of left's frame
    s = scene([A, B, c, d], [LEFT, RIGHT])
    report = check_scene(s, TWO)
    assert report.strangers == [
        "block c lies in group left's frame but is not in the group",
        "block d lies in group left's frame but is not in the group",
    ]
    assert not report.clean and "  blocks in another group's frame: 2" in report.lines()
    assert check_scene(s).strangers == []  # membership unknown (an SVG): not judged
    assert check_scene(s, Membership([("left", None, ["a", "c", "d"]), ("right", None, ["b"])])).clean
    # a block of a nested group is inside every group that holds that one
    inner = group("inner", Box(30, 90, 70, 38))  # around c, and over a's bottom
    nested = Membership([("left", None, ["a", "d"]), ("inner", "left", ["c"]), ("right", None, ["b"])])
    assert check_scene(scene([A, B, c, d], [LEFT, inner, RIGHT]), nested).strangers == [
        "block a lies in group inner's frame but is not in the group"
    ]


def test_membership_of_a_description_counts_blocks_naming_their_group(tmp_path: Path) -> None:
    spec = tmp_path / "d.toml"
    spec.write_text(
        'block = [{ id = "a" }, { id = "b", group = "inner" }, { id = "c" }]\n'
        'group = [{ id = "outer", blocks = ["a"] }, { id = "inner", group = "outer" }]\n',
        encoding="utf-8",
    )
    m = membership_of(load_model(str(spec)))
    assert m.blocks == {"outer": {"a", "b"}, "inner": {"b"}}
    assert m.related("outer", "inner") and not m.related("inner", "inner")


def test_the_command_names_a_stranger_in_a_description(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "stranger.toml"
    spec.write_text(
        'block = [ { id = "a", x = 100, y = 100 }, { id = "c", x = 300, y = 100 }, { id = "b", x = 500, y = 100 } ]\n'
        'group = [ { id = "g", label = "g", blocks = ["a", "b"] } ]\n',
        encoding="utf-8",
    )
    assert main(["check", str(spec)]) == 1
    out = capsys.readouterr().out
    assert "  blocks in another group's frame: 1\n    block c lies in group g's frame but is not in the group\n" in out


def test_the_command_names_overlapping_frames_in_an_svg(
    dark: Theme, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    over = RIGHT._replace(box=Box(140, 30, 220, 100))
    svg = tmp_path / "frames.svg"
    svg.write_text(to_svg(scene([A, B], [LEFT, over]), dark), encoding="utf-8")
    assert main(["check", str(svg)]) == 1
    out = capsys.readouterr().out
    assert "  frame overlaps: 1\n    group left's frame overlaps group right's frame\n" in out
    assert "  blocks in another group's frame: 0\n" in out
