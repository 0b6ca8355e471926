"""The same graph in DOT as an svgarch description, for the side-by-side benchmark.

    python benchmarks/corpus/to_dot.py            # writes <name>.dot beside every <name>.toml here
    python benchmarks/corpus/to_dot.py --check    # exit 1 if a committed .dot is out of date
    python benchmarks/corpus/to_dot.py benchmarks/fresh [--check]   # another set's folder

Blocks become boxes labelled with their title and subtitle (an HTML label) in
the themes' fonts at the same sizes (px → pt), groups nested clusters, fans one edge per
pair, edges to groups ``lhead``/``ltail`` to a member (``compound=true``);
``direction`` becomes ``rankdir``. Grid and x/y positions are not carried
over: dot places every block itself.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

from svgarch.model import DiagramModel
from svgarch.spec import model_from_raw, read_description

HERE = Path(__file__).resolve().parent
TITLE_PX = 13.0  # the bundled themes' block title size
SUBTITLE_PX = 11.0


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(model: DiagramModel) -> str:
    pt = 72 / 96
    out = [
        "digraph G {",
        f"  rankdir={model.direction}; compound=true; newrank=true;",
        f'  node [shape=box, style=rounded, fontname="DejaVu Sans Mono", fontsize={TITLE_PX * pt:g}];',
        f'  edge [fontname="DejaVu Sans", fontsize={SUBTITLE_PX * pt:g}];',
    ]
    home = {b.id: b.group for b in model.blocks}
    for g in model.groups:
        home.update((block_id, g.id) for block_id in g.blocks)
    members: dict[str | None, list[str]] = {}
    for b in model.blocks:
        members.setdefault(home[b.id], []).append(b.id)
    children: dict[str | None, list[str]] = {}
    for g in model.groups:
        children.setdefault(g.group, []).append(g.id)
    labels = {g.id: g.label for g in model.groups}

    for b in model.blocks:  # every node first, in the description's order (dot keeps it)
        label = "<BR/>".join(html.escape(line) for line in b.label.split("\n"))
        if b.subtitle:
            sub = "<BR/>".join(html.escape(line) for line in b.subtitle.split("\n"))
            label += f'<BR/><FONT FACE="DejaVu Sans" POINT-SIZE="{SUBTITLE_PX * pt:g}">{sub}</FONT>'
        shape = {"circle": "circle", "ellipse": "ellipse", "cylinder": "cylinder", "diamond": "diamond"}.get(b.shape)
        extra = f", shape={shape}" if shape else ""
        out.append(f"  {quoted(b.id)} [label=<{label}>{extra}];")

    def emit(group: str | None, indent: str) -> None:
        for child in children.get(group, []):
            out.append(f"{indent}subgraph {quoted('cluster_' + child)} {{")
            out.append(f"{indent}  label={quoted(labels[child] or child)};")
            emit(child, indent + "  ")
            out.append(f"{indent}}}")
        if group is not None:
            out.extend(f"{indent}{quoted(block_id)};" for block_id in members.get(group, []))

    emit(None, "  ")
    first_member = {g: next(iter(_all_members(g, members, children)), None) for g in labels}
    for e in model.edges:
        for s in e.sources:
            for t in e.targets:
                attrs = []
                if e.label:
                    attrs.append(f"label={quoted(e.label)}")
                if s in labels:
                    attrs.append(f"ltail={quoted('cluster_' + s)}")
                if t in labels:
                    attrs.append(f"lhead={quoted('cluster_' + t)}")
                if e.arrow != "end":
                    attrs.append(f"dir={ {'start': 'back', 'both': 'both', 'none': 'none'}[e.arrow] }")
                tail, head = first_member.get(s, s) if s in labels else s, first_member.get(t, t) if t in labels else t
                if tail is None or head is None:
                    continue
                suffix = f" [{', '.join(attrs)}]" if attrs else ""
                out.append(f"  {quoted(tail)} -> {quoted(head)}{suffix};")
    out.append("}")
    return "\n".join(out) + "\n"


def _all_members(group: str, members: dict[str | None, list[str]], children: dict[str | None, list[str]]) -> list[str]:
    out = list(members.get(group, []))
    for child in children.get(group, []):
        out.extend(_all_members(child, members, children))
    return out


def load_model(path: Path) -> DiagramModel:
    raw, where = read_description(path)
    return model_from_raw(raw, str(path), where, path.parent)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder", nargs="?", type=Path, default=HERE, help="the set's folder (default: the corpus)")
    p.add_argument("--check", action="store_true", help="exit 1 when a committed .dot differs from the description")
    args = p.parse_args(argv)
    return write_twins(args.folder, args.check)


def write_twins(folder: Path, check: bool) -> int:
    """Write (or with ``check``, compare) the DOT twin of every description in ``folder``: 1 when stale."""
    stale = []
    for spec in sorted(folder.glob("*.toml")):
        text = to_dot(load_model(spec))
        target = spec.with_suffix(".dot")
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(target.name)
        else:
            target.write_text(text, encoding="utf-8")
    if stale:
        where = folder.relative_to(HERE.parent.parent) if folder.is_relative_to(HERE.parent.parent) else folder
        print(f"out of date: {', '.join(stale)} (run python {where}/to_dot.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
