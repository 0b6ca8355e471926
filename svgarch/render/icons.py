"""Drawing a block's icon inside its ``<g data-block>``, and the CSS rules that colour it.

An SVG icon becomes a nested ``<svg>`` (its own viewBox, so its art is scaled
into the icon's square and clipped to it) holding the sanitised shapes as
:mod:`svgarch.icons.sanitize` wrote them; a PNG icon becomes an ``<image>``
with its ``data:`` URI. Both sit in ``<g class="sa-icon" data-icon="NAME">``,
whose CSS ``color`` is what ``currentColor`` paints: the kind's text colour
by default, ``--sa-icon`` for every icon, ``--sa-<kind>-icon`` for one kind's.
An icon drawn alone (``icon_position = "only"``) takes the kind's colour
instead, as it stands on the background, and its text the diagram's text colour.
"""

from __future__ import annotations

from svgarch.icons.types import RasterIcon
from svgarch.kind_names import kind_variable
from svgarch.render.kinds import chain, kind_class, kind_paint, scene_kinds
from svgarch.render.markup import Element
from svgarch.scene import Scene, SceneIcon
from svgarch.theme import Rule, Theme

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def icon_element(icon: SceneIcon, number: Any, clean: Any) -> Element:
    """The ``<g class="sa-icon">`` that draws ``icon`` (``number`` and ``clean`` format values as svg.py does)."""
    group = Element("g", {"class": "sa-icon", "data-icon": clean(icon.name)})
    box, art = icon.box, icon.art
    place = {"x": number(box.x), "y": number(box.y), "width": number(box.w), "height": number(box.h)}
    if isinstance(art, RasterIcon):
        # plain href: the SVG declares no xlink namespace
        image = Element("image", {"href": art.uri, **place, "style": _pinned(box)})
        group.add(image)
        return group
    view = Element("svg", {**place, "viewBox": " ".join(number(v) for v in art.view_box), "style": _pinned(box)})
    for part in art.parts:
        view.add(Element(part.tag, dict(part.attrs)))
    group.add(view)
    return group


def _pinned(box: Any) -> str:
    """The icon's size again as inline CSS, which beats a web page's ``svg { width: 100% }`` (CSS sizes an SVG
    element over its attributes), and its clip, which a page's ``svg { overflow: visible }`` would lift."""
    return f"width:{round(box.w, 2):g}px;height:{round(box.h, 2):g}px;overflow:hidden"


def icon_rules(scene: Scene, theme: Theme) -> list[Rule]:
    """The colour rules of icons, for a scene that draws any (others' stylesheets stay as they were)."""
    iconed = [b for b in scene.blocks if b.icon is not None]
    if not iconed:
        return []

    def colour(names: list[str], fallback: str) -> str:
        """A browser chain trying ``names``, then ``fallback`` (a chain too); its plain value is the first
        of ``names`` the theme sets, else the fallback's."""
        for name in names:
            if theme.has(name):
                return chain(names, theme.resolve(f"var({name})"))
        return chain(names, fallback)

    text = chain(["--sa-block-text"], theme.resolve("var(--sa-block-text)"))
    ink = chain(["--sa-text"], theme.resolve("var(--sa-text)"))
    rules = [
        Rule(".sa-block .sa-icon", (("color", colour(["--sa-icon"], text)),), origin="kind"),
        Rule(".sa-block.sa-icon-alone .sa-icon", (("color", colour(["--sa-icon"], ink)),), origin="kind"),
        Rule(".sa-block.sa-icon-alone > text", (("fill", ink),), origin="kind"),
    ]
    kinds = scene_kinds(scene, theme)
    for kind in dict.fromkeys(b.kind for b in iconed if b.kind):
        paint, cls, var = kind_paint(kind, kinds.slots[kind], theme), kind_class(kind), kind_variable(kind)
        on_block = colour([f"{var}-icon", "--sa-icon"], paint.text)
        rules.append(Rule(f".sa-block.{cls} .sa-icon", (("color", on_block),), origin="kind"))
        alone = colour([f"{var}-icon"], paint.colour)
        rules.append(Rule(f".sa-block.sa-icon-alone.{cls} .sa-icon", (("color", alone),), origin="kind"))
    return rules
