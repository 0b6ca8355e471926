"""A diagram that answers the pointer: CSS rules (no script) that, in a browser, light up what a hovered or
focused block or edge touches and dim the rest.

Hovering a block, or focusing its link from the keyboard, keeps it, its edges and its neighbours at full
opacity and dims every other block, edge, fan label and note to ``--sa-fade``; hovering (or focusing) an
edge keeps it and its two ends. Only browsers see the rules: they sit in ``@media screen``, which cairosvg,
rsvg and resvg skip, so PNG and PDF do not change.

The scheme, per block ``x`` with edges (documented in docs/css.md)::

    #id:has([data-block="x"]:hover) :is([data-from="x"], [data-to="x"], [data-block="<neighbour>"]…)
    #id:has(<active edge>:is([data-from="x"], [data-to="x"])) [data-block="x"]

and a few shared rules: dim everything while anything is active (``:where``, so it weighs only the id and
every other rule beats it), keep the active element itself. Names go into selectors only as plain
strings, the form ``check_stylesheet`` accepts (``[\\w .+-]*``): a block id with any other character (a
quote, a bracket, a backslash) is never written into the CSS; its block and edges carry a ``data-ref``
hook of svgarch's own making instead (``n<index>``), so no id can end a string or a selector.
"""

from __future__ import annotations

import re

from svgarch.scene import Scene, SceneEdge
from svgarch.theme import Theme
from svgarch.theme_checks import OPACITY

MAX_POINTER_CSS = 1024 * 1024  # characters of per-block rules; past it a diagram gets none (see pointer_rules)
FADE = "0.25"  # opacity of what is dimmed, when the theme does not set --sa-fade
_PLAIN = re.compile(r"[\w .+-]*")  # what a string in the stylesheet may hold (svgarch.render.css._PLAIN_STRINGS)
# the forms a theme value must have here, compiled when a theme sets one (re's own cache keeps them)
_COLOUR = r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?"

# an element that is hovered or focused from the keyboard: a block, an edge, or a fan (its edges and label)
_ACTIVE = ".sa-block:hover, .sa-edge:hover, .sa-fan:hover, :focus-visible > :is(.sa-block, .sa-edge, .sa-fan)"
_DIMMED = ".sa-block, .sa-edge, .sa-fan > .sa-label, .sa-note"


def refs(scene: Scene) -> dict[str, str]:
    """The ``data-ref`` hook of each block whose id cannot be written into the stylesheet."""
    return {b.id: f"n{i}" for i, b in enumerate(scene.blocks) if not _PLAIN.fullmatch(b.id)}


def pointer_rules(scene: Scene, theme: Theme) -> tuple[list[str], list[str]]:
    """(rules for ``@media screen``, rules for ``@media screen and (prefers-reduced-motion: no-preference)``).

    The focus ring of links is drawn whether or not the diagram is interactive: a keyboard needs it. A
    diagram whose per-block rules would pass ``MAX_POINTER_CSS`` characters gets no hover rules at all."""
    sid = f"#{scene.id}"
    focus = _theme_value(theme, "--sa-focus", _COLOUR) or _theme_value(theme, "--sa-text", _COLOUR) or "#2563eb"
    screen = [f"{sid} a:focus-visible {{ outline: 2px solid var(--sa-focus, {focus}); outline-offset: 2px }}"]
    if not scene.interactive or not scene.blocks:
        return screen, []
    fade = _theme_value(theme, "--sa-fade", OPACITY) or FADE
    screen += [
        f"{sid}:where(:has({_ACTIVE})) :where({_DIMMED}) {{ opacity: var(--sa-fade, {fade}) }}",
        f"{sid} :is(.sa-block:hover, .sa-edge:hover, .sa-fan:hover > *, :focus-visible > .sa-block,"
        f" :focus-visible > .sa-edge, :focus-visible > .sa-fan > *) {{ opacity: 1 }}",
    ]
    hooks = refs(scene)
    ends: dict[str, list[SceneEdge]] = {b.id: [] for b in scene.blocks}
    in_fan: set[str] = set()
    for item in scene.edges:
        fan_label = not isinstance(item, SceneEdge) and item.label is not None
        for e in item.edges if not isinstance(item, SceneEdge) else (item,):
            for end in {e.source, e.target}:
                if end in ends:
                    ends[end].append(e)
                    if fan_label:
                        in_fan.add(end)
    linked = {b.id for b in scene.blocks if b.link}
    edge_active = _edge_active(scene)
    per_block: list[str] = []
    for b in scene.blocks:
        if not ends[b.id]:
            continue
        me = _block(b.id, hooks)
        touching = f"{_end('from', b.id, hooks)}, {_end('to', b.id, hooks)}"
        neighbours = sorted({e.target if e.source == b.id else e.source for e in ends[b.id]} - {b.id})
        lit = [touching] + [_block(n, hooks) for n in neighbours if n in ends]
        if b.id in in_fan:  # the fan's one label belongs to all its edges
            lit.append(f".sa-fan:has(> :is({touching})) > .sa-label")
        trigger = f"{me}:hover" + (f", :focus-visible > {me}" if b.id in linked else "")
        per_block.append(f"{sid}:has({trigger}) :is({', '.join(lit)}) {{ opacity: 1 }}")
        per_block.append(f"{sid}:has({edge_active}:is({touching})) {me} {{ opacity: 1 }}")
    if sum(map(len, per_block)) > MAX_POINTER_CSS:  # thousands of blocks with long ids: the stylesheet's
        return screen[:1], []  # limit is for the theme, and a browser would crawl through so many :has()
    screen += per_block
    motion = [f"{sid} :where({_DIMMED}) {{ transition: opacity 0.15s }}"]
    return screen, motion


def _edge_active(scene: Scene) -> str:
    """A selector for an edge that is active itself or through its fan, with only the parts this scene
    needs (most diagrams have no fan and no linked edge): it is repeated once per block."""
    fans = [e for e in scene.edges if not isinstance(e, SceneEdge)]
    parts = [".sa-edge:hover"] + ([".sa-fan:hover > *"] if fans else [])
    if any(e.link for e in scene.edges):
        parts += [":focus-visible > *"] + ([":focus-visible > .sa-fan > *"] if any(f.link for f in fans) else [])
    return parts[0] if len(parts) == 1 else f":is({', '.join(parts)})"


def _block(block_id: str, hooks: dict[str, str]) -> str:
    if block_id in hooks:
        return f'[data-ref="{hooks[block_id]}"]'
    return f'[data-block="{block_id}"]'


def _end(which: str, block_id: str, hooks: dict[str, str]) -> str:
    if block_id in hooks:
        return f'[data-{which}-ref="{hooks[block_id]}"]'
    return f'[data-{which}="{block_id}"]'


def _theme_value(theme: Theme, name: str, form: str) -> str:
    """The theme's (or the user's CSS's) value of ``name`` when it has the expected form, else ``""``."""
    if not theme.has(name):
        return ""
    value = theme.resolve(f"var({name})").strip()
    return value if re.fullmatch(form, value) else ""
