"""Group frames: a labelled rectangle around a group's blocks and subgroups.

Pre: every block has a box. Post: every group with at least one member has
a frame holding its members with ``PAD`` to spare and a label strip on top;
an enclosing group's frame holds its subgroups' frames.
"""

from __future__ import annotations

from typing import NamedTuple

from svgarch.geometry import Box, bounding_box
from svgarch.measure import Measurer
from svgarch.model import DiagramModel
from svgarch.scene import SceneGroup

PAD = 12.0  # space between a frame and what it holds


class Membership(NamedTuple):
    blocks: dict[str, tuple[str, ...]]  # group id → its own blocks (not its subgroups')
    parent: dict[str, str]  # group id → enclosing group id
    of_block: dict[str, str]  # block id → the innermost group holding it


def membership(model: DiagramModel) -> Membership:
    """Who is in which group: ``[[group]] blocks`` and each block's ``group``."""
    own: dict[str, list[str]] = {g.id: list(g.blocks) for g in model.groups}
    for b in model.blocks:
        if b.group and b.group in own and b.id not in own[b.group]:
            own[b.group].append(b.id)
    parent = {g.id: g.group for g in model.groups if g.group}
    of_block = {block: gid for gid, blocks in own.items() for block in blocks}
    return Membership({k: tuple(v) for k, v in own.items()}, parent, of_block)


def blocks_within(members: Membership) -> dict[str, list[str]]:
    """Every group's blocks and those of the groups nested in it, however deep."""
    out = {group: list(blocks) for group, blocks in members.blocks.items()}
    for group in sorted(members.blocks, key=lambda g: -depth(g, members.parent)):  # innermost first
        holder = members.parent.get(group)
        if holder in out and holder != group:
            out[holder] += out[group]
    return out


def common_group(members: Membership, source: str, target: str) -> str | None:
    """The innermost group holding both blocks (or group frames), if any."""
    chain: list[str] = []
    group = members.of_block.get(source, source if source in members.blocks else None)
    while group is not None and group not in chain:
        chain.append(group)
        group = members.parent.get(group)
    group = members.of_block.get(target, target if target in members.blocks else None)
    seen: set[str] = set()
    while group is not None and group not in chain and group not in seen:
        seen.add(group)
        group = members.parent.get(group)
    return group if group in chain else None


def depth(group: str, parent: dict[str, str]) -> int:
    """How many groups enclose ``group`` (cycles stop the count)."""
    seen = {group}
    n = 0
    while group in parent and parent[group] not in seen:
        group = parent[group]
        seen.add(group)
        n += 1
    return n


def label_strip(measurer: Measurer) -> float:
    """Extra room a frame keeps above its contents for its label."""
    return measurer.stack(("Xg", "group-label")).height + 4


def group_frames(
    model: DiagramModel, boxes: dict[str, Box], measurer: Measurer, held: dict[str, list[Box]] | None = None
) -> list[SceneGroup]:
    """Frames innermost first computed, returned outermost first (drawing order).

    ``held`` adds what else a group holds besides its blocks: the labels and
    bends of edges running inside it (automatic layout reserves them there).
    """
    members = membership(model)
    strip = label_strip(measurer)
    order = sorted(model.groups, key=lambda g: -depth(g.id, members.parent))
    frames: dict[str, Box] = {}
    out: dict[str, SceneGroup] = {}
    for g in order:
        inside = [boxes[b] for b in members.blocks.get(g.id, ()) if b in boxes]
        inside += [frames[c] for c, p in members.parent.items() if p == g.id and c in frames]
        inside += (held or {}).get(g.id, []) if inside else []
        if not inside:
            continue
        content = bounding_box(inside)
        stack = measurer.stack((g.label, "group-label")) if g.label else None
        width = max(content.w + 2 * PAD, stack.width + 2 * PAD if stack else 0.0)
        frame = Box(content.cx - width / 2, content.y - PAD - strip, width, content.h + 2 * PAD + strip)
        frames[g.id] = frame
        label = stack.place(frame.x + PAD, frame.y + 3, anchor="start")[0] if stack else None
        out[g.id] = SceneGroup(g.id, frame, label)
    return [out[g.id] for g in sorted(model.groups, key=lambda g: depth(g.id, members.parent)) if g.id in out]
