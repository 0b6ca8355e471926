"""Inline markup in a description's texts: ``**bold**``, ``*italic*``, ```code```, ``x_{t-1}``, ``x^2``, ``\\gamma``.

``parse(text)`` turns a text into runs, each with one face (bold, italic,
monospace) and one baseline (normal, subscript, superscript); measuring
sizes each run with its own font, the SVG writer draws each as a
``<tspan>``. Imports nothing of svgarch: the spec checks texts with it,
measuring and layout read its runs, the scene carries them.

The rules, kept lenient where a plain text is likely (identifiers such as
``d_model`` or ``beat_phase`` stay as written):

- ``**`` and ``*`` open only before a character that is not a space, and
  close the span they opened; a ``**`` left open is an error. As in
  Markdown, a single ``*`` opens only when a later ``*`` after a character
  that is not a space can close it; else it is an asterisk (``*.rs``).
- ```code``` is monospace and literal inside (no markup, no TeX names).
- ``_{...}`` and ``^{...}`` shift what is in the braces; ``_x`` and ``^x``
  shift one letter or digit that no other letter or digit follows, after a
  base of one letter or digit standing alone, a TeX name or a closing
  bracket (``x_t``, ``\\gamma_c``, ``(a+b)^2``); otherwise ``_`` and ``^`` are
  drawn as they are (``conv_1``, ``d_model``, ``2^10``).
- ``\\name`` is a Greek letter or operator from ``TEX_NAMES``; ``{}`` right
  after a name is dropped (``\\alpha{}x`` is αx); a name svgarch does not
  know is an error (a misspelt ``\\gama`` would otherwise be drawn). ``\\``
  before one of ``\\ * _ ^ ` { }`` draws that character; before anything
  else (a space, a digit, the end) it is drawn as written.
"""

from __future__ import annotations

from svgarch.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

    Shift = Literal["", "sub", "sup"]

ESCAPABLE = "\\*_^`{}"

TEX_NAMES: dict[str, str] = {
    # Greek, lower case
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω",
    # Greek, upper case (those that differ from Latin letters)
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    # arithmetic and operators
    "times": "×", "cdot": "·", "div": "÷", "pm": "±", "mp": "∓", "oplus": "⊕", "otimes": "⊗", "odot": "⊙",
    "circ": "∘", "bullet": "•", "star": "⋆", "ast": "∗", "sum": "∑", "prod": "∏", "int": "∫",
    "partial": "∂", "nabla": "∇", "sqrt": "√", "infty": "∞", "ell": "ℓ",
    # relations
    "approx": "≈", "sim": "∼", "simeq": "≃", "equiv": "≡", "propto": "∝", "neq": "≠", "ne": "≠",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "ll": "≪", "gg": "≫",
    "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇",
    "cup": "∪", "cap": "∩", "emptyset": "∅", "forall": "∀", "exists": "∃", "neg": "¬", "lnot": "¬",
    "land": "∧", "wedge": "∧", "lor": "∨", "vee": "∨", "top": "⊤", "bot": "⊥", "perp": "⊥",
    # arrows
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔",
    "uparrow": "↑", "downarrow": "↓", "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔",
    "mapsto": "↦",
    # dots and brackets
    "ldots": "…", "dots": "…", "cdots": "⋯", "langle": "⟨", "rangle": "⟩", "degree": "°",
}  # fmt: skip


class Run(Record):
    """A piece of text drawn in one face on one baseline."""

    text: str
    bold: bool = False
    italic: bool = False
    mono: bool = False
    shift: Shift = ""


# the characters markup starts with: a text without any of them is one plain run (braces mean something
# only after ``_``, ``^`` or a ``\\name``)
_OPENERS = "\\*_^`"


class MarkupError(ValueError):
    """A text's markup is malformed; the message says where (a character's position, from 1)."""


def unmarked(text: str) -> bool:
    """True when no markup can start anywhere in ``text`` (most texts): it parses to one plain run."""
    return not any(ch in text for ch in _OPENERS)


def parse(text: str) -> tuple[Run, ...]:
    """The runs of ``text``; adjacent runs of one style are merged, empty ones left out."""
    if unmarked(text):  # one run of every style's default, made without Record's __new__ (every block's title)
        return (tuple.__new__(Run, (text, False, False, False, "")),) if text else ()
    out: list[Run] = []
    _Parser(text, out).run()
    merged: list[Run] = []
    for r in out:
        if merged and merged[-1][1:] == r[1:]:
            merged[-1] = merged[-1]._replace(text=merged[-1].text + r.text)
        elif r.text:
            merged.append(r)
    return tuple(merged)


def plain(runs: tuple[Run, ...]) -> str:
    """The characters of ``runs`` without their styles (for tooltips and the SVG's <title>)."""
    return "".join(r.text for r in runs)


def is_plain(runs: tuple[Run, ...]) -> bool:
    """True when ``runs`` are drawn as one plain text would be."""
    return not any(r.bold or r.italic or r.mono or r.shift for r in runs)


def lines(runs: tuple[Run, ...]) -> list[tuple[Run, ...]]:
    """``runs`` broken into lines at ``\\n`` (a style carries on across a break)."""
    out: list[list[Run]] = [[]]
    for r in runs:
        pieces = r.text.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                out.append([])
            if piece:
                out[-1].append(r._replace(text=piece))
    return [tuple(line) for line in out]


def text_runs(text: str, markup: bool) -> tuple[Run, ...]:
    """``text`` parsed when ``markup`` is on, else one plain run (a text the spec checked parses)."""
    if not markup:
        return (Run(text),) if text else ()
    return parse(text)


def check(text: str) -> str | None:
    """The problem with ``text``'s markup, or None."""
    try:
        parse(text)
    except MarkupError as exc:
        return str(exc)
    return None


def _word(ch: str) -> bool:
    return ch.isalnum()


class _Parser:
    def __init__(self, text: str, out: list[Run]) -> None:
        self.s = text
        self.i = 0
        self.out = out
        self.bold = self.italic = False
        self.opened: dict[str, int] = {}  # delimiter → where it opened (from 1)
        self.named = -1  # where the last TeX name ended

    def emit(self, text: str, mono: bool = False, shift: Shift = "") -> None:
        self.out.append(Run(text, self.bold, self.italic, mono, shift))

    def run(self) -> None:
        self.body("", "")
        for delim in ("**", "*"):
            if delim in self.opened:
                raise MarkupError(
                    f"'{delim}' opened at character {self.opened[delim]} is never closed (write \\* for a literal *)"
                )

    def body(self, shift: Shift, until: str) -> None:
        """Text up to the end, or up to ``until`` (a closing brace of a sub- or superscript)."""
        s = self.s
        start = self.i
        stops = "\\*`_^" + until
        while self.i < len(s):
            ch = s[self.i]
            if until and ch == until:
                self.i += 1
                return
            if ch == "\\":
                self.escape(shift)
            elif ch == "*":
                self.star(shift)
            elif ch == "`":
                self.code(shift)
            elif ch in "_^":
                self.script(ch, shift)
            else:
                j = self.i + 1
                while j < len(s) and s[j] not in stops:
                    j += 1
                self.emit(s[self.i : j], shift=shift)
                self.i = j
        if until:
            mark = "_" if shift == "sub" else "^"
            raise MarkupError(f"'{mark}{{' at character {start - 1} is never closed with '}}'")

    def escape(self, shift: Shift) -> None:
        s, at = self.s, self.i
        nxt = s[at + 1] if at + 1 < len(s) else ""
        if nxt and nxt in ESCAPABLE:
            self.emit(nxt, shift=shift)
            self.i = at + 2
            return
        j = at + 1
        while j < len(s) and s[j].isascii() and s[j].isalpha():
            j += 1
        name = s[at + 1 : j]
        if not name:  # before a space, a digit, the end...: a backslash as written (C:\ 2)
            self.emit("\\", shift=shift)
            self.i = at + 1
            return
        symbol = TEX_NAMES.get(name)
        if symbol is None:
            raise MarkupError(f"'\\{name}' at character {at + 1} is not a TeX name svgarch knows (docs/format.md)")
        self.emit(symbol, shift=shift)
        self.i = j + 2 if s.startswith("{}", j) else j
        self.named = self.i

    def star(self, shift: Shift) -> None:
        s, at = self.s, self.i
        delim = "**" if s.startswith("**", at) else "*"
        after = s[at + len(delim) : at + len(delim) + 1]
        before = s[at - 1 : at]
        if delim in self.opened and (delim == "**" or (before and not before.isspace())):  # closes its span
            del self.opened[delim]
        elif delim not in self.opened and after and not after.isspace() and (delim == "**" or self.closer(at + 1)):
            self.opened[delim] = at + 1
        else:  # before a space, at the end, or with nothing to close it: as written (3 * 3, *.rs)
            self.emit(delim, shift=shift)
            self.i = at + len(delim)
            return
        if delim == "**":
            self.bold = not self.bold
        else:
            self.italic = not self.italic
        self.i = at + len(delim)

    def closer(self, start: int) -> bool:
        """Whether a single ``*`` from ``start`` on can close an italic span: one after a character
        that is not a space (escapes, code spans and ``**`` are passed over, as the parser reads them)."""
        s, j = self.s, start
        while j < len(s):
            if s[j] == "\\":
                j += 2
            elif s[j] == "`":
                end = s.find("`", j + 1)
                j = len(s) if end < 0 else end + 1
            elif s.startswith("**", j):
                j += 2
            elif s[j] == "*" and not s[j - 1].isspace():
                return True
            else:
                j += 1
        return False

    def code(self, shift: Shift) -> None:
        s, at = self.s, self.i
        end = s.find("`", at + 1)
        if end < 0:
            raise MarkupError(f"'`' at character {at + 1} is never closed (write \\` for a literal `)")
        self.emit(s[at + 1 : end], mono=True, shift=shift)
        self.i = end + 1

    def script(self, mark: str, shift: Shift) -> None:
        s, at = self.s, self.i
        want: Shift = "sub" if mark == "_" else "sup"
        if s.startswith("{", at + 1):
            if shift:
                raise MarkupError(f"'{mark}{{' at character {at + 1} is inside another sub- or superscript")
            self.i = at + 2
            self.body(want, "}")
            return
        one = s[at + 1 : at + 2]
        after = s[at + 2 : at + 3]
        if not shift and self.base(at) and one and _word(one) and not (after and _word(after)):
            self.emit(one, shift=want)
            self.i = at + 2
            return
        self.emit(mark, shift=shift)  # d_model, conv_1, 2^10: drawn as written
        self.i = at + 1

    def base(self, at: int) -> bool:
        """True when what precedes ``at`` can carry a one-character script: one letter or digit
        standing alone (x_t, but not conv_1), a TeX name (\\gamma_t) or a closing bracket ((a+b)^2)."""
        s = self.s
        before = s[at - 1 : at] if at else ""
        if before in (")", "]", "}") or at == self.named:
            return bool(before)
        return _word(before) and not (at >= 2 and _word(s[at - 2]))
