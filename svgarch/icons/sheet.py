"""The sheet of bundled icons that ``svgarch icons -o FILE`` draws: every icon with its name, on a grid."""

from __future__ import annotations

from svgarch.icons import icon_names
from svgarch.model import Block, DiagramModel

COLUMNS = 8


def icon_sheet(theme: str = "dark", columns: int = COLUMNS) -> DiagramModel:
    """A diagram of every bundled icon, drawn alone with its name below, ``columns`` to a row."""
    blocks = tuple(
        Block(id=name, title=name, row=i // columns, col=i % columns, icon=name, icon_position="only", width=96)
        for i, name in enumerate(icon_names())
    )
    return DiagramModel(title=f"svgarch icons ({len(blocks)})", theme=theme, blocks=blocks, source="<icons>")
