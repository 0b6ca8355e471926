"""Font files and their metrics.

The font that renders is the one fontconfig picks for the family, weight and
style (that is how cairo chooses it), so we ask ``fc-match`` for the file and
read its advance widths with fontTools. Both answers are cached on disk,
keyed by the file's path, size and mtime, so a render normally parses no font
and does not import fontTools.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from svgarch.cache import cache_dir, read_json, write_json
from svgarch.errors import FontError

CACHE_VERSION = 2


class FontFace(NamedTuple):
    family: str
    weight: str = "normal"  # "normal" | "bold"
    style: str = "normal"  # "normal" | "italic"


class FontMetrics(NamedTuple):
    """Advance widths of one font file, in font units."""

    path: str
    units_per_em: int
    ascender: int
    descender: int  # negative, as in the font
    advances: dict[int, int]
    missing_advance: int

    def width(self, text: str, size: float) -> float:
        """Advance width of ``text`` at ``size`` px (no kerning, as cairo draws it)."""
        adv = self.advances
        miss = self.missing_advance
        return sum(adv.get(ord(ch), miss) for ch in text) * size / self.units_per_em

    def ascent(self, size: float) -> float:
        return self.ascender * size / self.units_per_em

    def descent(self, size: float) -> float:
        return -self.descender * size / self.units_per_em

    def has_glyph(self, ch: str) -> bool:
        return ord(ch) in self.advances


class FontBook:
    """Finds and measures fonts; one per render (no global state)."""

    def __init__(self) -> None:
        self._folder = cache_dir()
        self._metrics: dict[FontFace, FontMetrics] = {}
        self._files: dict[str, dict[str, object]] | None = None

    def metrics(self, face: FontFace) -> FontMetrics:
        found = self._metrics.get(face)
        if found is None:
            found = self._metrics[face] = self._load(self.find(face))
        return found

    def find(self, face: FontFace) -> str:
        """The font file fontconfig would render ``face`` with."""
        query = f"{face.family}:weight={'bold' if face.weight == 'bold' else 'regular'}"
        if face.style == "italic":
            query += ":slant=italic"
        files = self._file_cache()
        hit = files.get(query)
        if isinstance(hit, dict) and _stamp(str(hit.get("file", ""))) == hit.get("stamp"):
            return str(hit["file"])
        path = _fc_match(query, face.family)
        files[query] = {"file": path, "stamp": _stamp(path)}
        self._write_json("files.json", files)
        return path

    def _file_cache(self) -> dict[str, dict[str, object]]:
        if self._files is None:
            self._files = {}
            raw = self._read_json("files.json")
            if isinstance(raw, dict) and raw.get("version") == CACHE_VERSION:
                self._files = {k: v for k, v in raw.items() if isinstance(v, dict)}
        return self._files

    def _load(self, path: str) -> FontMetrics:
        stamp = _stamp(path)
        name = f"metrics-{zlib.crc32(path.encode()):08x}.json"
        raw = self._read_json(name)
        if isinstance(raw, dict) and raw.get("stamp") == stamp and raw.get("version") == CACHE_VERSION:
            return _metrics_from_json(path, raw)
        data = _read_font(path)
        data["stamp"] = stamp
        data["version"] = CACHE_VERSION
        self._write_json(name, data)
        return _metrics_from_json(path, data)

    def _read_json(self, name: str) -> object:
        return read_json(self._folder, name)

    def _write_json(self, name: str, data: Mapping[str, object]) -> None:
        write_json(self._folder, name, {**data, "version": data.get("version", CACHE_VERSION)})


def _stamp(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


def _fc_match(query: str, family: str) -> str:
    import shutil  # only on a cache miss
    import subprocess

    exe = shutil.which("fc-match")
    if exe is None:
        raise FontError(f"cannot find font '{family}': fontconfig's fc-match is not installed")
    try:
        done = subprocess.run(
            [exe, "--format=%{file}\t%{family}", query],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FontError(f"cannot find font '{family}': {exc}") from None
    path, _, families = done.stdout.partition("\t")
    if done.returncode != 0 or not path:
        raise FontError(f"cannot find font '{family}' (fc-match found nothing)")
    wanted = family.lower()
    if wanted not in [f.strip().lower() for f in families.split(",")]:
        raise FontError(f"font '{family}' is not installed (fontconfig would use {Path(path).name} instead)")
    return path


def _read_font(path: str) -> dict[str, object]:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with open(path, "rb") as fh, TTFont(fh, lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() or {}
            hmtx = font["hmtx"].metrics
            hhea = font["hhea"]
            points = sorted(cp for cp, name in cmap.items() if name in hmtx)
            return {
                "units_per_em": font["head"].unitsPerEm,
                "ascender": hhea.ascent,
                "descender": hhea.descent,
                "missing_advance": hmtx[font.getGlyphOrder()[0]][0],
                "codepoints": points,
                "advances": [hmtx[cmap[cp]][0] for cp in points],
            }
    except (OSError, TTLibError, KeyError) as exc:
        raise FontError(f"cannot read font file {path}: {exc}") from None


def _metrics_from_json(path: str, raw: dict[str, object]) -> FontMetrics:
    points, advances = raw["codepoints"], raw["advances"]
    assert isinstance(points, list) and isinstance(advances, list)
    return FontMetrics(
        path=path,
        units_per_em=int(str(raw["units_per_em"])),
        ascender=int(str(raw["ascender"])),
        descender=int(str(raw["descender"])),
        advances=dict(zip(points, advances, strict=True)),
        missing_advance=int(str(raw["missing_advance"])),
    )
