"""What a ``link`` may be: http, https, mailto, a relative path or a ``#fragment``; nothing else.

A link becomes ``<a href>`` in an SVG that people inline in their pages, so
a description (say, a contributor's, built into a docs site) must not be able
to run script through it. The check is an allow-list, made on the text as
written and again on the text decoded as a browser or a later tool might
decode it (character references, percent-escapes), so ``JaVaScRiPt:``,
``java&#115;cript:``, ``%6Aavascript:`` and ``java<TAB>script:`` all fail
the same way ``javascript:`` does. Characters a reader cannot see (controls,
spaces, format characters) and those a URL may not hold are refused, not
dropped: a link that is not what it looks like is refused whole.
"""

from __future__ import annotations

import re
import unicodedata

SCHEMES = ("http", "https", "mailto")
MAX_LINK = 2000  # characters; browsers and PDF readers handle more, but no diagram needs it

# What an URL may not hold as written (RFC 3986 leaves them out; browsers "fix" them in ways that differ):
_UNSAFE_ASCII = frozenset(' "<>\\^`{|}')
# Unicode categories nobody sees: controls, format characters (bidi overrides, zero-width), separators,
# private use, surrogates and unassigned code points.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})
_SCHEME = r"[A-Za-z][A-Za-z0-9+.-]*"  # compiled for the first link (re's cache keeps it)
_ALLOWED = "a link may be http://…, https://…, mailto:…, a relative path or a #fragment"
_DECODE_ROUNDS = 4  # nested encodings (%2526…) are peeled this many times


def link_problem(link: str) -> str | None:
    """Why ``link`` cannot be a link, or None when it can."""
    if not link:
        return "must not be empty (leave the key out for no link)"
    if len(link) > MAX_LINK:
        return f"is {len(link)} characters long; the limit is {MAX_LINK}"
    for c in link:
        if c in _UNSAFE_ASCII or unicodedata.category(c) in _INVISIBLE:
            return f"holds {_name(c)}, which a link may not hold (percent-encode it)"
    decoded = _decoded(link)
    if decoded != link and (problem := _form_problem(decoded)):  # a disguise is named as what it hides
        return f"decodes to '{_shown(decoded)}', refused: {problem}"
    return _form_problem(link)


def link_scheme(link: str) -> str:
    """The scheme of a checked link, lower case; ``""`` for a relative path or a fragment."""
    scheme = _scheme_text(link)
    return scheme.lower() if scheme is not None else ""


def _scheme_text(link: str) -> str | None:
    """The text before a ``:`` that comes before any ``/``, ``?`` or ``#``: what a browser reads as a scheme."""
    end = len(link)
    for stop in "/?#":
        at = link.find(stop)
        if at >= 0:
            end = min(end, at)
    colon = link.find(":", 0, end)
    return None if colon < 0 else link[:colon]


def _form_problem(link: str) -> str | None:
    """Why a link's shape is refused: its scheme, its authority, or a relative path that is not one."""
    stripped = "".join(c for c in link if not (c.isspace() or unicodedata.category(c) in _INVISIBLE))
    scheme = _scheme_text(stripped)
    if scheme is None:
        if stripped.startswith(("//", "\\\\", "/\\", "\\/")):
            return "a link starting with '//' leaves its scheme to the page: write https://…"
        return None
    if not re.fullmatch(_SCHEME, scheme):
        return f"'{_shown(scheme)}:' is not a scheme ({_ALLOWED}; write './{_shown(scheme)}:…' for a path)"
    if scheme.lower() not in SCHEMES:
        return f"'{_shown(scheme.lower())}:' links are refused: {_ALLOWED}"
    rest = stripped[len(scheme) + 1 :]
    if scheme.lower() == "mailto":
        return None if rest else "a mailto: link needs an address"
    if not rest.startswith("//") or len(rest) == 2 or rest[2] in "/?#":
        return f"a {scheme.lower()}: link needs a host: {scheme.lower()}://host/…"
    authority = re.split(r"[/?#]", rest[2:], maxsplit=1)[0]
    if "@" in authority:
        return "a user name before '@' hides the link's real host: leave it out"
    return None


def _decoded(link: str) -> str:
    """``link`` with character references and percent-escapes decoded and look-alikes (a full-width colon)
    folded, again and again, until it stays."""
    import html  # here: its entity table costs every start ~1 ms, and most diagrams have no link
    import urllib.parse  # and this (with ipaddress) 2 ms

    text = link
    for _ in range(_DECODE_ROUNDS):
        decoded = unicodedata.normalize("NFKC", urllib.parse.unquote(html.unescape(text)))  # ：→ :
        if decoded == text:
            break
        text = decoded
    return text


def _name(c: str) -> str:
    if c == " ":
        return "a space"
    name = unicodedata.name(c, "")
    return f"U+{ord(c):04X}" + (f" {name}" if name else "") if not c.isprintable() or c.isspace() else f"'{c}'"


def _shown(text: str) -> str:
    text = text[:24]
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
