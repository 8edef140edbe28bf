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

# Short prefixes match thousands of keys (one letter: up to ~6,600), so
# their rankings are remembered: the first search of each pays the walk.
_SHORT = 3
_REMEMBERED = 20_000


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
        self._short: dict[tuple[str | None, str], list[str]] = {}
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
        if len(wanted) <= _SHORT:
            slot = (kind, wanted)
            ranked = self._short.get(slot)
            if ranked is None:
                if len(self._short) >= _REMEMBERED:
                    self._short.clear()
                ranked = self._short[slot] = self._rank(wanted, keys, self._ids[kind])
        else:
            ranked = self._rank(wanted, keys, self._ids[kind])
        return [self._entities[eid] for eid in ranked[:limit]]

    def _rank(self, wanted: str, keys: list[str], ids: list[str]) -> list[str]:
        start = bisect.bisect_left(keys, wanted)
        # Per entity, its best key: (not exact, length, not its name, name).
        best: dict[str, tuple[int, int, int, str]] = {}
        for i in range(start, len(keys)):
            k = keys[i]
            if not k.startswith(wanted):
                break
            eid = ids[i]
            entity = self._entities[eid]
            rank = (int(k != wanted), len(k), int(self._name_keys[eid] != k), entity.name)
            old = best.get(eid)
            if old is None or rank < old:
                best[eid] = rank
        # Enough for any limit a caller may ask (the service's is 100).
        return sorted(best, key=lambda eid: (best[eid], eid))[:100]
