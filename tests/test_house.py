"""What a newcomer meets first: the make targets the README names, the licence, links that stay inside."""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def targets() -> dict[str, str]:
    """Each Makefile target → its prerequisites line."""
    return {m.group(1): m.group(2) for m in re.finditer(r"^([a-z][a-z-]*):(?!=)(.*)$", MAKEFILE, re.MULTILINE)}


def phony() -> set[str]:
    found = re.search(r"^\.PHONY:(.*)$", MAKEFILE, re.MULTILINE)
    assert found is not None
    return set(found.group(1).split())


def test_every_make_target_the_readme_names_exists() -> None:
    named = set(re.findall(r"`make ([a-z-]+)`", (ROOT / "README.md").read_text(encoding="utf-8")))
    assert {"demo", "test", "quick"} <= named
    assert named <= set(targets()), named - set(targets())


def test_every_phony_target_is_defined() -> None:
    assert phony() <= set(targets()), phony() - set(targets())


def test_make_demo_installs_no_test_tools() -> None:
    """The render stamp installs the package alone; only the test stamp adds the [test] extras."""
    recipes = re.findall(r"^\$\((\w+)\):.*\n((?:\t.*\n)+)", MAKEFILE, re.MULTILINE)
    stamps = {name: recipe for name, recipe in recipes}
    assert "pip install --quiet -e .\n" in stamps["STAMP"] and "[test]" not in stamps["STAMP"]
    assert "'.[test]'" in stamps["TEST_STAMP"]
    demo = targets()["demo"]
    assert "$(STAMP)" in demo and "TEST_STAMP" not in demo and "test" not in demo.split()


def test_the_licence_is_the_one_the_metadata_names() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert project["authors"] and project["keywords"] and project["classifiers"]


def test_the_docs_point_at_nothing_outside_the_repository() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "shared/seed" not in text, page.name
        prose = re.sub(r"^(`{3,}).*?^\1", "", text, flags=re.MULTILINE | re.DOTALL)  # examples in fences are not links
        for target in re.findall(r"\]\(([^)#\s]+)[^)]*\)", prose):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            where = (page.parent / target).resolve()
            assert where.is_relative_to(ROOT) and where.exists(), f"{page.name}: link to {target}"
