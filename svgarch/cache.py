"""A small on-disk cache of JSON files (font metrics, parsed themes).

Entries are written atomically and only ever cost time when missing or
unreadable: a cache that cannot be read or written is simply not used.
``$SVGARCH_CACHE_DIR`` picks the folder (default ``~/.cache/svgarch``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path


def cache_dir() -> Path | None:
    """Where entries are cached, or None when no folder is writable."""
    root = os.environ.get("SVGARCH_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    base = Path(root) if root else Path.home() / ".cache"
    folder = base / "svgarch" if not os.environ.get("SVGARCH_CACHE_DIR") else base
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def read_json(folder: Path | None, name: str) -> object:
    """The entry ``name``, or None when it is missing or unreadable."""
    if folder is None:
        return None
    try:
        return json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(folder: Path | None, name: str, data: Mapping[str, object]) -> None:
    """Write the entry ``name`` atomically; failures are ignored."""
    if folder is None:
        return
    import tempfile  # only on a cache miss

    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(dict(data), fh)
        os.replace(tmp, folder / name)
    except OSError:
        pass  # a cache that cannot be written only costs time
