"""The YAML loader for descriptions: PyYAML's SafeLoader, held to TOML's rules.

- A key given twice in one mapping is an error (PyYAML keeps the last one
  silently; TOML and svgarch's JSON refuse it).
- Timestamps stay strings: no key of the format takes a date, and an
  impossible date (``2024-13-45``) would otherwise fail without a line.

Like SafeLoader it builds only plain data: no Python objects, no tags that
run code.
"""

from __future__ import annotations

from typing import Any

import yaml


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping names a key twice (``svgarch.spec.lines.yaml_duplicates`` says where)."""


class DescriptionLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[tuple[str, object]] = set()
        for key_node, _ in node.value:
            # explicit scalar keys only: keys merged in by '<<' may be overridden
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise DuplicateKeyError(None, None, "duplicate key", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _timestamp_as_text(loader: DescriptionLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]  # a timestamp is a ScalarNode


DescriptionLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
