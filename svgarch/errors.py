"""The one exception tree of svgarch.

Everything svgarch raises on purpose derives from :class:`SvgarchError`; the
CLI turns those into one-line messages and exit status 2.
"""

from __future__ import annotations

import os

from svgarch.record import Record


def quoted(name: object) -> str:
    """A file name for a message: as it is when every character prints, else quoted with escapes (one line)."""
    text = os.fspath(name) if isinstance(name, os.PathLike) else str(name)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "backslashreplace")
    return text if text.isprintable() else repr(text)


class SvgarchError(Exception):
    """Base class of every error svgarch raises on purpose."""


class Problem(Record):
    """One thing wrong with a description: where it is and what is wrong."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = quoted(self.file) if self.line is None else f"{quoted(self.file)}:{self.line}"
        key = f" {self.key}:" if self.key else ""
        message = " ".join(self.message.splitlines())  # one line per problem, whatever a parser said
        return f"{where}:{key} {message}"


class SpecError(SvgarchError):
    """A description (file or API calls) is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ThemeError(SvgarchError):
    """A theme or user CSS file cannot be found, read or used."""


class FontError(SvgarchError):
    """A font the theme names cannot be found or read."""


class RenderError(SvgarchError):
    """An output cannot be written (bad suffix, missing folder, rasteriser failure)."""


class MissingGlyphWarning(UserWarning):
    """No installed font has some characters of a text: they are drawn as the font's empty box (a warning,
    through the ``warnings`` module: the render goes on)."""


_SHOWN = 40  # characters of a user's value echoed in a message


def show(value: object) -> str:
    """A user's value for a message: one line, short, control characters made visible."""
    text = str(value)
    cut = len(text) > _SHOWN
    text = text[:_SHOWN]
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
    return text + "…" if cut else text
