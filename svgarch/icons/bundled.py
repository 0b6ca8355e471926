"""The bundled icons: generic architecture symbols drawn for svgarch on a 24 × 24 grid.

Each is the inside of an SVG whose root (``ROOT``) draws lines in
``currentColor`` with round ends, 1.8 units wide and unfilled, so the set reads
as one family and takes its colour from CSS. They are parsed by the same
sanitiser as an author's own SVG file (tests check every one passes it).
"""

from __future__ import annotations

ROOT = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor"'
    ' stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">{}</svg>'
)

# A dot: a filled circle, for lights, handles and list bullets.
_DOT = '<circle cx="{}" cy="{}" r="1" fill="currentColor" stroke="none"/>'


def _dots(*centres: tuple[float, float]) -> str:
    return "".join(_DOT.format(x, y) for x, y in centres)


ICONS: dict[str, str] = {
    "analytics": '<path d="M4 4v16h16"/><path d="M8 16v-4M12 16V8M16 16v-6M20 16V6"/>',
    "api": '<path d="M8 4c-2 0-3 1-3 3v2.5c0 1.5-1 2.5-2 2.5 1 0 2 1 2 2.5V17c0 2 1 3 3 3"/>'
    '<path d="M16 4c2 0 3 1 3 3v2.5c0 1.5 1 2.5 2 2.5-1 0-2 1-2 2.5V17c0 2-1 3-3 3"/>'
    + _dots((9, 12), (12, 12), (15, 12)),
    "archive": '<rect x="3" y="4" width="18" height="4" rx="1"/><path d="M5 8v11a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8"/>'
    '<path d="M10 12h4"/>',
    "bell": '<path d="M6 16v-5a6 6 0 0 1 12 0v5l2 2H4z"/><path d="M10 21h4"/>',
    "browser": '<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M3 9h18"/>' + _dots((6, 6.5), (9, 6.5)),
    "cache": '<rect x="2" y="6" width="20" height="11" rx="1.5"/><path d="M6 17v3M10 17v3M14 17v3M18 17v3"/>'
    '<path d="M13 8.5l-3 3.5h4l-3 3.5"/>',
    "calendar": '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/>'
    + _dots((8, 14), (12, 14), (16, 14), (8, 17.5)),
    "card": '<rect x="2" y="5" width="20" height="14" rx="2"/><path d="M2 10h20M6 15h4"/>',
    "cdn": '<circle cx="12" cy="12" r="3.2"/><circle cx="4.5" cy="4.5" r="2"/><circle cx="19.5" cy="4.5" r="2"/>'
    '<circle cx="4.5" cy="19.5" r="2"/><circle cx="19.5" cy="19.5" r="2"/>'
    '<path d="M9.74 9.74L5.91 5.91M14.26 9.74L18.09 5.91M9.74 14.26L5.91 18.09M14.26 14.26L18.09 18.09"/>',
    "cloud": '<path d="M7 19h10a4.5 4.5 0 0 0 .9-8.9A6 6 0 0 0 6.3 9.1 5 5 0 0 0 7 19z"/>',
    "cluster": '<circle cx="12" cy="5" r="2.5"/><circle cx="5" cy="18" r="2.5"/><circle cx="19" cy="18" r="2.5"/>'
    '<path d="M10.8 7.2l-4.6 8.6M13.2 7.2l4.6 8.6M7.5 18h9"/>',
    "container": '<path d="M12 2l9 5v10l-9 5-9-5V7z"/><path d="M3 7l9 5 9-5M12 12v10"/>',
    "cpu": '<rect x="6" y="6" width="12" height="12" rx="1.5"/><rect x="9.5" y="9.5" width="5" height="5"/>'
    '<path d="M9 2v4M15 2v4M9 18v4M15 18v4M2 9h4M2 15h4M18 9h4M18 15h4"/>',
    "dashboard": '<path d="M4 18a8.5 8.5 0 1 1 16 0"/><path d="M12 15l4.5-5"/><circle cx="12" cy="15" r="1.5"/>'
    '<path d="M4 18h16"/>',
    "database": '<ellipse cx="12" cy="5" rx="8" ry="3"/><path d="M4 5v14c0 1.7 3.6 3 8 3s8-1.3 8-3V5"/>'
    '<path d="M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3"/>',
    "dataset": '<rect x="3" y="4" width="18" height="16" rx="1.5"/><path d="M3 9.5h18M3 14.75h18M9 4v16M15 4v16"/>',
    "desktop": '<rect x="2" y="4" width="20" height="13" rx="1.5"/><path d="M8 21h8M12 17v4"/>',
    "document": '<path d="M14 2H7a1 1 0 0 0-1 1v18a1 1 0 0 0 1 1h11a1 1 0 0 0 1-1V7z"/><path d="M14 2v5h5"/>'
    '<path d="M9 13h7M9 17h7"/>',
    "event": '<path d="M13 2L4 14h7l-1 8 9-12h-7z"/>',
    "firewall": '<rect x="3" y="5" width="18" height="14" rx="1"/><path d="M3 9.7h18M3 14.3h18"/>'
    '<path d="M9 5v4.7M15 5v4.7M6 9.7v4.6M12 9.7v4.6M18 9.7v4.6M9 14.3V19M15 14.3V19"/>',
    "function": '<path d="M6 4h3l9 16h2"/><path d="M12.5 11L6.5 20"/>',
    "gateway": '<path d="M4 21V9l8-6 8 6v12"/><path d="M8 15h8M13 12l3 3-3 3"/>',
    "globe": '<circle cx="12" cy="12" r="9"/><ellipse cx="12" cy="12" rx="4" ry="9"/><path d="M3 12h18"/>',
    "gpu": '<rect x="2" y="6" width="20" height="12" rx="1.5"/><circle cx="9" cy="12" r="3.2"/>'
    '<rect x="15" y="9.5" width="4" height="5"/><path d="M5 18v2.5M8 18v2.5M11 18v2.5"/>',
    "key": '<circle cx="8" cy="15" r="4.5"/><path d="M11.2 11.8L20 3M16 7l3 3M18 5l2 2"/>',
    "load-balancer": '<circle cx="12" cy="5" r="3"/>'
    '<path d="M12 8v4M5 16v-2a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v2M12 12v4"/>'
    '<rect x="3" y="16" width="4" height="4" rx="0.5"/><rect x="10" y="16" width="4" height="4" rx="0.5"/>'
    '<rect x="17" y="16" width="4" height="4" rx="0.5"/>',
    "lock": '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/><path d="M12 15v2"/>',
    "logs": '<path d="M8 6h12M8 12h12M8 18h12"/>' + _dots((4, 6), (4, 12), (4, 18)),
    "mail": '<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M3 7l9 6 9-6"/>',
    "message": '<path d="M4 4h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H9l-5 4V5a1 1 0 0 1 0-1z"/><path d="M8 9h8M8 12h5"/>',
    "mobile": '<rect x="7" y="2" width="10" height="20" rx="2"/><path d="M11 18h2"/>',
    "model": '<circle cx="4" cy="6.5" r="2.3"/><circle cx="4" cy="17.5" r="2.3"/><circle cx="12" cy="6.5" r="2.3"/>'
    '<circle cx="12" cy="17.5" r="2.3"/><circle cx="20" cy="12" r="2.3"/>'
    '<path d="M6.3 6.5h3.4M5.35 8.36l5.3 7.28M5.35 15.64l5.3-7.28M6.3 17.5h3.4M13.9 7.8l4.2 2.9M13.9 16.2l4.2-2.9"/>',
    "monitor": '<rect x="2" y="4" width="20" height="13" rx="1.5"/><path d="M8 21h8M12 17v4"/>'
    '<path d="M5 11h3l2-3.5 3 6.5 2-3h4"/>',
    "notebook": '<rect x="5" y="3" width="14" height="18" rx="1.5"/><path d="M3 7.5h4M3 12h4M3 16.5h4"/>'
    '<path d="M10 8h6M10 11.5h6"/>',
    "object-storage": '<ellipse cx="12" cy="6" rx="8" ry="2.5"/>'
    '<path d="M4 6l1.8 13c.2 1.2 2.9 2 6.2 2s6-.8 6.2-2L20 6"/>',
    "queue": '<rect x="2" y="7" width="3.5" height="10" rx="0.8"/><rect x="7" y="7" width="3.5" height="10" rx="0.8"/>'
    '<rect x="12" y="7" width="3.5" height="10" rx="0.8"/><path d="M17.5 12h4.5M19.8 9.8L22 12l-2.2 2.2"/>',
    "repository": '<circle cx="6" cy="5" r="2"/><circle cx="6" cy="19" r="2"/><circle cx="18" cy="7" r="2"/>'
    '<path d="M6 7v10M18 9v1a4 4 0 0 1-4 4h-4a4 4 0 0 0-4 3"/>',
    "router": '<rect x="3" y="13" width="18" height="7" rx="1.5"/><path d="M17 13V8"/>'
    '<path d="M13.5 6a5 5 0 0 1 7 0M15.3 7.8a2.5 2.5 0 0 1 3.4 0"/>' + _dots((7, 16.5), (10.5, 16.5)),
    "scheduler": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3.5 2"/>',
    "search": '<circle cx="10.5" cy="10.5" r="6.5"/><path d="M15.5 15.5L21 21"/>',
    "server": '<rect x="3" y="3" width="18" height="7" rx="1.5"/><rect x="3" y="14" width="18" height="7" rx="1.5"/>'
    '<path d="M11 6.5h6M11 17.5h6"/>' + _dots((7, 6.5), (7, 17.5)),
    "shield": '<path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z"/><path d="M9 12l2 2 4-4"/>',
    "stream": '<path d="M3 7c3-2 6 2 9 0s6-2 9 0"/><path d="M3 12c3-2 6 2 9 0s6-2 9 0"/>'
    '<path d="M3 17c3-2 6 2 9 0s6-2 9 0"/>',
    "terminal": '<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M7 9l3 3-3 3M12 15h5"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>',
    "users": '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0"/>'
    '<path d="M15.5 4.7a3.5 3.5 0 0 1 0 6.6M18 14.3a6.5 6.5 0 0 1 3.5 5.7"/>',
}


def icon_source(name: str) -> str:
    """The whole SVG text of bundled icon ``name`` (a ``KeyError`` when there is none)."""
    return ROOT.format(ICONS[name])
