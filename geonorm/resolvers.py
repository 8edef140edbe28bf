"""The typed resolvers: one per kind, bound to a registry, each returning
that kind's entities (``geonorm.countries.resolve(...)`` is a Country or
None). :mod:`geonorm.offices` adds the people's office look-ups."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Generic, overload

from .kinds.base import E
from .model import Entity, Match
from .shipped import table as _shipped

if TYPE_CHECKING:
    from .registry import Registry

__all__ = ["KindResolver"]


class KindResolver(Generic[E]):
    """The resolver of one kind, typed to return that kind's entities.

    >>> import geonorm
    >>> geonorm.countries.resolve("Russland").alpha2
    'RU'
    >>> len(geonorm.currencies) > 150
    True
    """

    def __init__(self, registry: Registry, kind: str, cls: type[E]) -> None:
        self._registry = registry
        self.kind = kind
        self._cls = cls

    def __repr__(self) -> str:
        return f"<geonorm resolver of {self.kind} entities>"

    def resolve(self, text: str, *, fuzzy: bool = False, metonyms: bool = False, **hints: Any) -> E | None:
        """The one best entity of this kind for ``text``, or None."""
        found = self._registry.resolve(text, self.kind, fuzzy=fuzzy, metonyms=metonyms, **hints)
        return found if isinstance(found, self._cls) else None

    def candidates(self, text: str, *, fuzzy: bool = False, metonyms: bool = False, **hints: Any) -> list[Match]:
        """Every candidate of this kind, best first."""
        return self._registry.candidates(text, self.kind, fuzzy=fuzzy, metonyms=metonyms, **hints)

    def get(self, entity_id: str) -> E | None:
        """The entity of this kind with this id, or None."""
        found = self._registry.get(entity_id)
        return found if isinstance(found, self._cls) else None

    def add(self, **fields: Any) -> E:
        """Add an entity of this kind (see :meth:`Registry.add`)."""
        found = self._registry.add(self.kind, **fields)
        assert isinstance(found, self._cls)
        return found

    def add_alias(self, entity_id: str, alias: str, *, weak: bool = False) -> E:
        """Add a name to an entity of this kind (see :meth:`Registry.add_alias`)."""
        if self.get(entity_id) is None:
            raise KeyError(f"no {self.kind} with id {entity_id!r}")
        found = self._registry.add_alias(entity_id, alias, weak=weak)
        assert isinstance(found, self._cls)
        return found

    def __iter__(self) -> Iterator[E]:
        for ent in self._registry.entities(self.kind):
            if isinstance(ent, self._cls):
                yield ent

    def __len__(self) -> int:
        registry = self._registry
        return (
            len(_shipped(self.kind).entities)
            + len(registry._ov.new.get(self.kind, ()))
            + sum(len(ck.entities) for ck in registry._compiled_of(self.kind))
        )

    @overload
    def __contains__(self, item: Entity) -> bool: ...
    @overload
    def __contains__(self, item: object) -> bool: ...
    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return self.get(item) is not None
        return isinstance(item, self._cls) and self.get(item.id) is not None
