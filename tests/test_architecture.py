"""The house rules of docs/architecture.md, as data, and a test that every import keeps them.

Every module of the package belongs to one room; a room may import its own
modules and those of the rooms it lists, nothing else. Imports are read
with ``ast`` from the source, all of them: at the top, inside functions,
under ``if TYPE_CHECKING``. Changing a rule means changing ``ROOMS`` here
and the table in docs/architecture.md, in one commit.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "svgarch"
DOC = ROOT / "docs" / "architecture.md"


class Room(NamedTuple):
    """Modules that may import each other and the rooms in ``may_import``.

    A pattern names one module, or ends in ``.*`` for a package and
    everything below it; a module's room is the one with its longest
    matching pattern, so a sub-room (``svgarch.layout.layered.*``) carves
    its modules out of the room around it.
    """

    name: str
    modules: tuple[str, ...]
    may_import: tuple[str, ...]


# Bottom to top: a room lists only rooms above it in this tuple.
ROOMS: tuple[Room, ...] = (
    Room(
        "shared",
        (
            "svgarch.errors",
            "svgarch.geometry",
            "svgarch.cache",
            "svgarch.files",
            "svgarch.fonts",
            "svgarch.font_lookup",
            "svgarch.fontconfig_memo",  # fontconfig's answers kept on disk, stamped with its state
            "svgarch.startup",
            "svgarch.record",  # NamedTuple's class syntax without typing's import cost: every room's records
            "svgarch.layout.timing",  # the phase timer: imports nothing, any stage may time itself
            "svgarch.kind_names",  # which variables a kind reads: a naming rule, imports nothing
            "svgarch.deadline",  # the time limit of a command that lays out
            "svgarch.inline",  # inline markup → runs: the spec checks it, measuring sizes it, the scene carries it
            "svgarch.fallback",  # a font per character the theme's lacks, through fontconfig: measuring uses it
            "svgarch.textorder",  # right-to-left text in the order seen, Arabic joining forms: measuring uses it
        ),
        (),
    ),
    Room("theme", ("svgarch.theme", "svgarch.css_tokens", "svgarch.theme_checks"), ("shared",)),
    Room("model", ("svgarch.model",), ("shared",)),
    Room("icons", ("svgarch.icons.*",), ("shared", "model")),  # the bundled set, the sanitiser, loading
    Room("scene", ("svgarch.scene",), ("shared", "icons")),
    Room("shapes", ("svgarch.shapes.*", "svgarch.outline"), ("shared", "scene")),
    Room("import", ("svgarch.onnx_import.*",), ("shared",)),  # models → descriptions (plain data)
    Room("spec", ("svgarch.spec.*",), ("shared", "theme", "model", "shapes", "import", "icons")),
    Room("measure", ("svgarch.measure",), ("shared", "theme", "model", "scene", "shapes", "icons")),
    Room("layered", ("svgarch.layout.layered.*",), ("shared",)),
    Room("layout", ("svgarch.layout.*",), ("shared", "model", "scene", "shapes", "measure", "layered", "icons")),
    Room("render", ("svgarch.render.*",), ("shared", "theme", "scene", "shapes", "icons")),
    Room("check", ("svgarch.check", "svgarch.read_svg", "svgarch.quality.*"), ("shared", "scene", "shapes")),
    Room(
        "outputs",
        ("svgarch.pipeline", "svgarch.annotate", "svgarch.page", "svgarch.gallery"),
        ("shared", "theme", "model", "icons", "scene", "shapes", "spec", "measure", "layout", "render", "check"),
    ),
    Room(
        "entry",
        (
            "svgarch",
            "svgarch.__main__",
            "svgarch.api",
            "svgarch.cli",
            "svgarch.cli_args",  # the command line's words: argparse, and a shortcut for render SPEC -o OUT
            "svgarch.sphinx.*",  # the docs integrations
            "svgarch.mkdocs_plugin",
            "svgarch.markdown.*",
            "svgarch.integrations.*",
            "svgarch.batch",  # many descriptions in one call
            "svgarch.watch",  # the live preview
        ),
        (
            *("shared", "theme", "model", "icons", "scene", "shapes", "spec", "measure", "layout", "render", "check"),
            *("outputs", "import"),
        ),
    ),
)

# Imports that break the rules today, each with the change that removes it. A listed import that
# is gone fails the test too: delete its line then, so the list only ever shrinks.
EXCEPTIONS: dict[tuple[str, str], str] = {
}


def room_of(module: str, rooms: Iterable[Room] = ROOMS) -> str | None:
    best: tuple[int, str] | None = None
    for room in rooms:
        for pattern in room.modules:
            package = pattern.removesuffix(".*")
            hit = module == package or (pattern.endswith(".*") and module.startswith(package + "."))
            if hit and (best is None or len(package) > best[0]):
                best = (len(package), room.name)
    return best[1] if best else None


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, module: str, *, is_package: bool, known: set[str]) -> set[str]:
    """The svgarch modules ``source`` imports, wherever the import statement stands.

    ``from P import name`` counts as an import of ``P.name`` when that is a
    module (``known``), else of ``P``; relative imports are resolved against
    ``module``.
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                package = ".".join([*base, *([node.module] if node.module else [])])
            else:
                package = node.module or ""
            for alias in node.names:
                found.add(f"{package}.{alias.name}" if f"{package}.{alias.name}" in known else package)
    return {name for name in found if name == "svgarch" or name.startswith("svgarch.")}


def package_imports(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Every module of the package → the svgarch modules it imports."""
    paths = sorted(package.rglob("*.py"))
    known = {module_name(p) for p in paths}
    return {
        module_name(p): imports_of(
            p.read_text(encoding="utf-8"), module_name(p), is_package=p.name == "__init__.py", known=known
        )
        for p in paths
    }


def violations(
    imports: Mapping[str, set[str]],
    rooms: tuple[Room, ...] = ROOMS,
    exceptions: Mapping[tuple[str, str], str] = EXCEPTIONS,
) -> list[str]:
    """One line per import against the rules (and per module without a room, and per stale exception)."""
    allowed = {room.name: {room.name, *room.may_import} for room in rooms}
    listed = {room.name: ", ".join(room.may_import) or "nothing" for room in rooms}
    found: list[str] = []
    used: set[tuple[str, str]] = set()
    for module, targets in sorted(imports.items()):
        home = room_of(module, rooms)
        if home is None:
            found.append(f"{module}: in no room: add it to ROOMS (tests/test_architecture.py) and docs/architecture.md")
            continue
        for target in sorted(targets):
            there = room_of(target, rooms)
            if there is None or there in allowed[home]:
                continue  # a module in no room is reported as the importer above
            if (module, target) in exceptions:
                used.add((module, target))
                continue
            found.append(f"{module} ({home}) imports {target} ({there}); {home} may import only {listed[home]}")
    for pair in sorted(set(exceptions) - used):
        found.append(f"{pair[0]} no longer imports {pair[1]}: delete its line from EXCEPTIONS")
    return found


# --------------------------------------------------------------------------- the package


def test_every_import_keeps_the_house_rules() -> None:
    problems = violations(package_imports())
    assert not problems, "\n".join(problems)


def test_rooms_list_only_rooms_below_them() -> None:
    seen: set[str] = set()
    for room in ROOMS:
        assert set(room.may_import) <= seen, f"{room.name} lists a room above it or unknown"
        seen.add(room.name)


def test_the_doc_names_every_room() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [room.name for room in ROOMS if f"| {room.name} |" not in text]
    assert not missing, f"docs/architecture.md's table lacks rooms {missing}"


def test_the_renderers_read_only_the_scene() -> None:
    """Issue 10 item 4, kept: nothing under svgarch/render/ imports a stage before the scene, or above it."""
    far = ("svgarch.pipeline", "svgarch.model", "svgarch.spec", "svgarch.layout", "svgarch.api", "svgarch.cli")
    for module, targets in package_imports().items():
        if module.startswith("svgarch.render"):
            assert not [t for t in targets if t.startswith(far)], module


# --------------------------------------------------------------------------- the checker itself


def test_a_renderer_importing_the_pipeline_is_caught() -> None:
    imports = {"svgarch.render.gallery": {"svgarch.pipeline", "svgarch.scene"}, "svgarch.pipeline": set()}
    assert violations(imports, exceptions={}) == [
        "svgarch.render.gallery (render) imports svgarch.pipeline (outputs); render may import only "
        "shared, theme, scene, shapes, icons"
    ]


def test_a_sub_room_is_held_to_its_own_rules() -> None:
    imports = {"svgarch.layout.layered.order": {"svgarch.model"}, "svgarch.layout.place": {"svgarch.model"}}
    problems = violations(imports, exceptions={})
    assert len(problems) == 1 and problems[0].startswith("svgarch.layout.layered.order (layered) imports")


def test_a_module_in_no_room_and_a_stale_exception_are_caught() -> None:
    imports: dict[str, set[str]] = {"svgarch.newthing": set(), "svgarch.model": set()}
    problems = violations(imports, exceptions={("svgarch.model", "svgarch.spec"): "gone"})
    assert problems == [
        "svgarch.newthing: in no room: add it to ROOMS (tests/test_architecture.py) and docs/architecture.md",
        "svgarch.model no longer imports svgarch.spec: delete its line from EXCEPTIONS",
    ]


def test_imports_inside_functions_and_type_checking_blocks_are_read() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "import os\n"
        "if TYPE_CHECKING:\n    from svgarch.layout import place\n"
        "def f() -> None:\n    from svgarch import pipeline\n    import svgarch.spec.load\n"
        "class C:\n    def g(self) -> None:\n        from ..model import Block\n"
    )
    known = {"svgarch.pipeline", "svgarch.layout.place", "svgarch.spec.load", "svgarch.model"}
    found = imports_of(source, "svgarch.render.svg", is_package=False, known=known)
    assert found == {"svgarch.layout.place", "svgarch.pipeline", "svgarch.spec.load", "svgarch.model"}
    assert violations({"svgarch.render.svg": found}, exceptions={}) != []


def test_relative_imports_resolve_from_a_package_and_from_a_module() -> None:
    known = {"svgarch.layout.layered.order", "svgarch.layout.layered.graph"}
    assert imports_of("from . import order", "svgarch.layout.layered", is_package=True, known=known) == {
        "svgarch.layout.layered.order"
    }
    found = imports_of("from .graph import LayerGraph", "svgarch.layout.layered.order", is_package=False, known=known)
    assert found == {"svgarch.layout.layered.graph"}


@pytest.mark.parametrize(
    ("module", "room"),
    [
        ("svgarch", "entry"),
        ("svgarch.layout", "layout"),
        ("svgarch.layout.layered", "layered"),
        ("svgarch.layout.layered.order", "layered"),
        ("svgarch.render.svg", "render"),
        ("svgarch.spec.load", "spec"),
        ("svgarch.geometryx", None),
    ],
)
def test_room_of(module: str, room: str | None) -> None:
    assert room_of(module) == room
