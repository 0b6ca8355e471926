"""A record's repr, which diagram ids hash: the fast form (one %-format) gives what the field-by-field form gives."""

from __future__ import annotations

from svgarch.model import LATER_KEYS, Block, DiagramModel, Edge, Group, Note, _repr


def test_repr_is_the_field_by_field_form_with_later_keys_at_default_or_not() -> None:
    records: list[tuple[object, ...]] = [
        Block("a", "A"),
        Block("a", "A", link="https://example.com", depth=4.0, icon_position="top"),
        Block("b", tooltip='it\'s "quoted"'),
        Edge(("a",), ("b",), label="x"),
        Edge(("a",), ("b",), tooltip="t"),
        Note("n"),
        Note("n", link="https://example.com"),
        Group("g", blocks=("a",)),
        Group("g", tooltip="t"),
        DiagramModel(title="t", blocks=(Block("a"),)),
        DiagramModel(interactive=False, wrap=3),
        DiagramModel(markup=1),  # type: ignore[arg-type]  # equal to the default: left out, as before
    ]
    for record in records:
        assert repr(record) == _repr(record, LATER_KEYS)
    assert "link=" in repr(records[1]) and "link=" not in repr(records[0])
    assert "markup" not in repr(records[-1]) and "wrap=3" in repr(records[-2])
