"""svgarch.record.Record behaves as typing.NamedTuple does for what svgarch uses of it."""

from __future__ import annotations

import pickle
from typing import NamedTuple

import pytest

from svgarch.record import Record


class Plain(NamedTuple):
    x: int
    y: tuple[int, ...] = ()
    z: str = "q"

    def double(self) -> int:
        return self.x * 2

    @property
    def next(self) -> int:
        return self.x + 1


class Light(Record):
    x: int
    y: tuple[int, ...] = ()
    z: str = "q"

    def double(self) -> int:
        return self.x * 2

    @property
    def next(self) -> int:
        return self.x + 1


class Shown(Record):
    """A record with its own repr."""

    a: int

    def __repr__(self) -> str:
        return f"<{self.a}>"


def _named(text: str) -> str:
    return text.replace("Plain", "Light")


@pytest.mark.parametrize(
    "make",
    [
        lambda cls: cls(1),
        lambda cls: cls(1, (2, 3), "w"),
        lambda cls: cls(x=4, z="k"),
        lambda cls: cls(5, z="k"),
        lambda cls: cls(1)._replace(y=(9,)),
        lambda cls: cls._make([7, (), ""]),
    ],
)
def test_same_as_named_tuple(make: object) -> None:
    plain, light = make(Plain), make(Light)  # type: ignore[operator]
    assert tuple(light) == tuple(plain) and light == plain and hash(light) == hash(plain)
    assert repr(light) == _named(repr(plain))
    assert light._asdict() == plain._asdict()
    assert (light.x, light.y, light.z, light.double(), light.next) == (
        plain.x,
        plain.y,
        plain.z,
        plain.double(),
        plain.next,
    )
    again = pickle.loads(pickle.dumps(light))
    assert type(again) is Light and again == light


def test_class_attributes() -> None:
    assert Light._fields == Plain._fields == ("x", "y", "z")
    assert Light._field_defaults == Plain._field_defaults
    assert Light.__match_args__ == Plain.__match_args__
    assert issubclass(Light, tuple) and Light.__qualname__ == "Light" and Light.__module__ == __name__
    assert Shown.__doc__ == "A record with its own repr." and repr(Shown(3)) == "<3>"
    match Light(3, (), "m"):
        case Light(x, y, z):
            assert (x, y, z) == (3, (), "m")


def test_read_only_and_slotted() -> None:
    light = Light(1)
    with pytest.raises(AttributeError):
        light.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        light.other = 2  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "bad",
    [
        lambda: Light(),  # type: ignore[call-arg]
        lambda: Light(1, (), "", 4),  # type: ignore[call-arg]
        lambda: Light(1, x=2),  # type: ignore[misc]
        lambda: Light(1, w=2),  # type: ignore[call-arg]
        lambda: Light._make([1]),
    ],
)
def test_wrong_calls_raise_type_error(bad: object) -> None:
    with pytest.raises(TypeError):
        bad()  # type: ignore[operator]


def test_replace_unknown_field() -> None:
    with pytest.raises(ValueError):
        Light(1)._replace(w=3)  # type: ignore[call-arg]


def test_declaration_mistakes() -> None:
    with pytest.raises(TypeError):

        class Late(Record):  # a default before a required field
            a: int = 0
            b: int  # type: ignore[misc]
