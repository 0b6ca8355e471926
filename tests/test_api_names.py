"""The public API is what the README says it is: ``svgarch.__all__``, sorted, and nothing more."""

from __future__ import annotations

import re
import types
from pathlib import Path

import svgarch

README = Path(__file__).resolve().parent.parent / "README.md"


def documented_names() -> list[str]:
    """The names of the README's "Public names (`svgarch.__all__` …): `A`, `B`, … ." sentence."""
    text = README.read_text(encoding="utf-8")
    found = re.search(r"^Public names \(`svgarch\.__all__`[^)]*\):(.*?)\.\s", text, re.MULTILINE | re.DOTALL)
    assert found is not None, "README.md lost its 'Public names (`svgarch.__all__` ...): ...' sentence"
    return re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", found.group(1))


def test_all_is_sorted_and_unique() -> None:
    assert list(svgarch.__all__) == sorted(set(svgarch.__all__))


def test_all_is_exactly_the_documented_names() -> None:
    assert list(svgarch.__all__) == documented_names()


def test_every_name_in_all_exists() -> None:
    missing = [name for name in svgarch.__all__ if not hasattr(svgarch, name)]
    assert not missing


def test_nothing_public_is_left_out_of_all() -> None:
    """A public-looking name of the package (not a submodule, not ``__version__``) is in ``__all__``."""
    stray = [
        name
        for name, value in vars(svgarch).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name not in svgarch.__all__
    ]
    assert not stray, f"svgarch exports {stray} without listing them in __all__ (and the README)"
