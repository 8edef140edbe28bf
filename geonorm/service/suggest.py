"""Prefix search over every name and alias, for the suggest services: a
sorted array of folded keys per kind, searched by bisection, so a prefix
costs a few dozen comparisons and a bounded walk whatever the kind's size.

>>> import geonorm
>>> index = PrefixIndex(geonorm.default_registry.entities())
>>> [e.id for e in index.search("rosnef", kind="organisation", limit=1)]
['organisation:rosneft']
>>> [e.id for e in index.search("Bhara", limit=3)][:1]
['country:IN']
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from ..model import Entity
from ..text import key

__all__ = ["PrefixIndex"]

# How many keys one search walks at most: a one-letter prefix matches tens
# of thousands of aliases; the best answers are among the shortest keys,
# which sort first within a prefix only partly, so the walk is wide but
# bounded.
_WALK = 3000


class PrefixIndex:
    """Every name and alias of ``entities``, by folded key, per kind."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        rows: dict[str | None, set[tuple[str, str]]] = {None: set()}
        self._entities: dict[str, Entity] = {}
        self._name_keys: dict[str, str] = {}
        for entity in entities:
            self._entities[entity.id] = entity
            self._name_keys[entity.id] = key(entity.name)
            per_kind = rows.setdefault(entity.kind, set())
            for alias in (entity.name, *entity.aliases):
                k = key(alias)
                if k:
                    per_kind.add((k, entity.id))
                    rows[None].add((k, entity.id))
        self._keys: dict[str | None, list[str]] = {}
        self._ids: dict[str | None, list[str]] = {}
        for kind, pairs in rows.items():
            ordered = sorted(pairs)
            self._keys[kind] = [k for k, _ in ordered]
            self._ids[kind] = [i for _, i in ordered]

    def search(self, prefix: str, kind: str | None = None, limit: int = 10) -> list[Entity]:
        """Entities with a name or alias starting with ``prefix`` (folded):
        an exact key first, then by the length of the shortest matching key,
        names before aliases."""
        wanted = key(prefix)
        keys = self._keys.get(kind)
        if not wanted or keys is None or limit <= 0:
            return []
        ids = self._ids[kind]
        start = bisect.bisect_left(keys, wanted)
        # Per entity, its best key: (not exact, length, not its name, name).
        best: dict[str, tuple[int, int, int, str]] = {}
        for i in range(start, min(start + _WALK, len(keys))):
            k = keys[i]
            if not k.startswith(wanted):
                break
            eid = ids[i]
            entity = self._entities[eid]
            rank = (int(k != wanted), len(k), int(self._name_keys[eid] != k), entity.name)
            old = best.get(eid)
            if old is None or rank < old:
                best[eid] = rank
        ordered = sorted(best, key=lambda eid: (best[eid], eid))
        return [self._entities[eid] for eid in ordered[:limit]]
