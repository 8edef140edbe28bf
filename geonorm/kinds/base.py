"""What every kind plugs into the registry: how to build its entities from
the index, which extra keys to try for a query, and which hints it reads."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from ..model import Country, Entity, Match
from ..text import invert_comma, invert_parenthesis, key

__all__ = ["E", "KindSpec", "TableLookup"]

E = TypeVar("E", bound=Entity)

#: Gives the entity with an id (of any kind), loading its table if needed.
TableLookup = Callable[[str], Entity | None]


class KindSpec(Generic[E]):
    """Base behaviour; each kind module subclasses it."""

    kind: str = ""
    entity_class: type[Entity] = Entity
    #: Hints the kind understands (others are ignored by it, not errors, so
    #: that ``kind=None`` can pass one hint to every kind).
    hints: frozenset[str] = frozenset()

    def build_entities(self, raw: Sequence[Mapping[str, Any]], lookup: TableLookup) -> list[E]:
        raise NotImplementedError

    def query_keys(self, text: str, primary: str) -> list[str]:
        """Fallback keys to try, in order, when ``primary`` finds nothing."""
        out = []
        for variant in (invert_comma(text), invert_parenthesis(text)):
            if variant:
                k = key(variant)
                if k and k != primary:
                    out.append(k)
        return out

    def apply_hints(self, matches: list[Match], hints: Mapping[str, Any]) -> list[Match]:
        return matches


def country_of(entity: Entity) -> Country | None:
    """The country an entity belongs to, where the kind has one."""
    if isinstance(entity, Country):
        return entity
    value = getattr(entity, "country", None) or getattr(entity, "origin", None)
    return value if isinstance(value, Country) else None
