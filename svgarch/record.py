"""Record: ``typing.NamedTuple``'s class syntax at a fraction of its import cost.

svgarch's data (model, scene, layout) is some eighty small immutable
records. Declared with ``typing.NamedTuple``, each class costs typing's
machinery (every annotation compiled as a ForwardRef) and an ``eval``
(``collections.namedtuple``'s generated ``__new__``): about 15 ms of a
40 ms render process. A Record is the same kind of object, a tuple subclass
with a named, read-only field per item, built without either:

    class Point(Record):
        x: float
        y: float = 0.0

    Point(1.0), Point(x=1.0, y=2.0), p.x, p._replace(y=3.0), p._asdict(), Point._fields

Instances are tuples: equal, hashed, pickled and unpacked as tuples, and
``repr`` gives what a named tuple gives (``Point(x=1.0, y=0.0)``: diagram ids
hash reprs, so it must not change). Type checkers see ``typing.NamedTuple``
itself. Methods, properties and class attributes without annotations are
kept as they are. This module imports nothing from svgarch.
"""

from __future__ import annotations

from operator import itemgetter

__all__ = ["Record"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:
    try:
        from _collections import _tuplegetter  # what collections.namedtuple's fields are (CPython)
    except ImportError:  # another Python
        _tuplegetter = None

    _NOT_COPIED = frozenset(("__module__", "__qualname__", "__annotations__", "__dict__", "__weakref__"))

    def _record_class(name: str, bases: tuple[type, ...], namespace: dict[str, object]) -> type:
        """The tuple subclass a ``class NAME(Record):`` statement declares."""
        if bases != (Record,):
            raise TypeError("a Record class derives from Record alone")
        fields = tuple(namespace.get("__annotations__", {}))
        defaults = {f: namespace[f] for f in fields if f in namespace}
        required = len(fields) - len(defaults)
        if list(defaults) != list(fields[required:]):
            raise TypeError(f"{name}: fields with defaults must come after those without")
        body: dict[str, object] = {
            "__slots__": (),
            "_fields": fields,
            "_field_defaults": defaults,
            "__match_args__": fields,
            "__new__": _new_function(name, fields, defaults),
            "_make": classmethod(_make),
            "_replace": _replace,
            "_asdict": _asdict,
            "__getnewargs__": _getnewargs,
            "__repr__": _repr_function(fields),
            "__doc__": f"{name}({', '.join(fields)})",
            "__module__": namespace.get("__module__", "__main__"),
            "__qualname__": namespace.get("__qualname__", name),
            "__annotations__": namespace.get("__annotations__", {}),
        }
        for key, value in namespace.items():  # the class's own methods (a __repr__ too) and docstring
            if key not in _NOT_COPIED and key not in defaults and (key != "__doc__" or value is not None):
                body[key] = value
        for index, field in enumerate(fields):
            doc = f"Alias for field number {index}"
            body[field] = _tuplegetter(index, doc) if _tuplegetter else property(itemgetter(index), doc=doc)
        return type(name, (tuple,), body)

    def _new_function(name: str, fields: tuple[str, ...], defaults: dict[str, object]) -> object:
        count = len(fields)
        tuple_new = tuple.__new__
        fill = tuple(defaults.get(f) for f in fields)  # a required field's is never read
        least = count - len(defaults)  # the required fields
        tails: list[_Tail] = []  # made at the first call with keywords (most classes never get one)

        def __new__(cls: type, *args: object, **kwargs: object) -> tuple[object, ...]:
            given = len(args)
            if not kwargs and least <= given <= count:  # positional values only: the defaults of the rest
                return tuple_new(cls, args + fill[given:] if given < count else args)
            if given < count:  # keywords, each for a field left, and every required one: filled in C
                if not tails:
                    tails.extend(_tails(fields, fill, defaults))
                names, values, allowed, required = tails[given]
                keys = kwargs.keys()
                if keys <= allowed and required <= keys:
                    return tuple_new(cls, (*args, *map(kwargs.get, names, values)))
            return tuple_new(cls, _filled(name, fields, defaults, args, kwargs))

        return __new__

    _Tail = tuple[tuple[str, ...], tuple[object, ...], frozenset[str], frozenset[str]]

    def _tails(fields: tuple[str, ...], fill: tuple[object, ...], defaults: dict[str, object]) -> list[_Tail]:
        """After n positional values (the list's n-th): the fields left, their defaults, which keywords may
        come and which must (a required field's default is never read: it must be among the keywords)."""
        return [
            (fields[n:], fill[n:], frozenset(fields[n:]), frozenset(f for f in fields[n:] if f not in defaults))
            for n in range(len(fields) + 1)
        ]

    def _filled(
        name: str, fields: tuple[str, ...], defaults: dict[str, object], args: tuple[object, ...], kwargs: dict
    ) -> tuple[object, ...]:
        if len(args) > len(fields):
            raise TypeError(f"{name}() takes {len(fields)} arguments but {len(args)} were given")
        values = list(args)
        for field in fields[len(args) :]:
            if field in kwargs:
                values.append(kwargs.pop(field))
            elif field in defaults:
                values.append(defaults[field])
            else:
                raise TypeError(f"{name}() missing required argument: {field!r}")
        if kwargs:
            taken = [k for k in kwargs if k in fields]
            what = "multiple values for argument" if taken else "an unexpected keyword argument"
            raise TypeError(f"{name}() got {what} {(taken or list(kwargs))[0]!r}")
        return tuple(values)

    def _make(cls: type, iterable: object) -> tuple[object, ...]:
        result = tuple.__new__(cls, iterable)
        if len(result) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
        return result

    def _replace(self: tuple[object, ...], **changes: object) -> tuple[object, ...]:
        result = self._make(map(changes.pop, self._fields, self))
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return result

    def _asdict(self: tuple[object, ...]) -> dict[str, object]:
        return dict(zip(self._fields, self, strict=True))

    def _getnewargs(self: tuple[object, ...]) -> tuple[object, ...]:
        return tuple(self)

    def _repr_function(fields: tuple[str, ...]) -> object:
        template = "(" + ", ".join(f"{field}=%r" for field in fields) + ")"

        def __repr__(self: tuple[object, ...]) -> str:
            return self.__class__.__name__ + template % self

        return __repr__

    class _RecordMeta(type):
        """Makes each class statement deriving from Record a tuple subclass (Record itself stays a class)."""

        def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, object]) -> type:
            if not bases:
                return super().__new__(mcs, name, bases, namespace)
            return _record_class(name, bases, namespace)

    class Record(metaclass=_RecordMeta):
        """Derive a record class from this (see the module's doc)."""
