"""``svgarch gallery``: one diagram in every theme, side by side, as one SVG (or PNG).

Each theme's SVG goes in whole as a nested ``<svg>``: its ids and its
stylesheet are its own (the theme is part of the diagram id), so the panels
never touch each other — the same property that lets a page inline several
diagrams.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence

from svgarch import pipeline
from svgarch.model import DiagramModel
from svgarch.theme import load_theme

COLUMNS = 2
GAP = 24.0  # px between panels and around them
CAPTION = 40.0  # px above each panel for the theme's name
_VIEWBOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')
_SIZE = re.compile(r' (width|height)="[0-9.]+in"')


def gallery_svg(model: DiagramModel, themes: Sequence[str]) -> str:
    """``model`` drawn in each of ``themes``, ``COLUMNS`` panels to a row, each captioned with its theme."""
    panels = []
    for theme in themes:
        svg = pipeline.render_svg(model._replace(theme=theme, id=f"{model.id}-{theme}" if model.id else ""))
        found = _VIEWBOX.search(svg)
        assert found is not None, "svgarch's SVG always has a viewBox"
        panels.append((theme, svg, float(found.group(1)), float(found.group(2))))
    cell_w = max(w for _, _, w, _ in panels)
    cell_h = max(h for _, _, _, h in panels) + CAPTION
    rows = math.ceil(len(panels) / COLUMNS)
    width = COLUMNS * cell_w + (COLUMNS + 1) * GAP
    height = rows * cell_h + (rows + 1) * GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width / 96:.4f}in" height="{height / 96:.4f}in" '
        f'viewBox="0 0 {width:.2f} {height:.2f}" role="img" aria-label="svgarch themes">',
        f'<rect width="{width:.2f}" height="{height:.2f}" fill="#e2e8f0"/>',
    ]
    for i, (theme, svg, w, h) in enumerate(panels):
        x = GAP + (i % COLUMNS) * (cell_w + GAP)
        y = GAP + (i // COLUMNS) * (cell_h + GAP)
        parts.append(
            f'<text x="{x:.2f}" y="{y + CAPTION - 12:.2f}" font-family="DejaVu Sans" font-size="24" '
            f'font-weight="bold" fill="#0f172a">{html.escape(theme)}</text>'
        )
        if load_theme(theme).media_variables:
            parts.append(
                f'<text x="{x + cell_w:.2f}" y="{y + CAPTION - 12:.2f}" font-family="DejaVu Sans" font-size="18" '
                f'text-anchor="end" fill="#334155">light as a PNG, dark in a browser that prefers dark</text>'
            )
        nested = _SIZE.sub("", svg, count=2)
        placed = f'<svg x="{x + (cell_w - w) / 2:.2f}" y="{y + CAPTION:.2f}" width="{w:.2f}" height="{h:.2f}" '
        parts.append(nested.replace("<svg ", placed, 1))
    parts.append("</svg>\n")
    return "\n".join(parts)
