"""Bounded typo tolerance: a symmetric-deletion index (as in SymSpell).

Only keys of at least :data:`MIN_LENGTH` ASCII characters take part, and the
edit distance allowed grows with the length of the indexed name (1 from 6
characters, 2 from 9). A query costs a few hundred dictionary look-ups and a
handful of exact distance checks, never a scan over every name.

>>> idx = FuzzyIndex(["philippines", "afghanistan", "china"])
>>> idx.search("phillipines")
[('philippines', 2)]
>>> idx.search("chino")
[]
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import cache
from types import ModuleType

__all__ = ["MIN_LENGTH", "FuzzyIndex", "allowed_distance", "distance"]

MIN_LENGTH = 6
_MAX_QUERY = 60
_INDEX_BITS = 20
_INDEX_MASK = (1 << _INDEX_BITS) - 1
_HASH_MASK = (1 << (64 - _INDEX_BITS)) - 1
_MAX_KEYS = 1 << _INDEX_BITS


def allowed_distance(length: int) -> int:
    """Edits tolerated for a name of ``length`` characters."""
    if length >= 9:
        return 2
    if length >= MIN_LENGTH:
        return 1
    return 0


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        nxt = set()
        for w in frontier:
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1 :])
        out |= nxt
        frontier = nxt
    return out


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a transposition counts as one
    edit), or ``limit + 1`` when larger; rapidfuzz's, in compiled code.

    >>> distance("phillipines", "philippines", 2), distance("chino", "china", 0)
    (2, 1)
    """
    return int(_osa().distance(a, b, score_cutoff=limit))


@cache
def _osa() -> ModuleType:
    """rapidfuzz's OSA module, imported on the first typo look-up (not with
    geonorm: most processes never look up a typo)."""
    from rapidfuzz.distance import OSA

    return OSA


class FuzzyIndex:
    """Deletion neighbourhoods of a fixed set of keys, held compactly: one
    sorted array of 64-bit integers, each a delete's hash (its top 44 bits)
    and the index of the key it came from (its low 20), instead of a dict of
    strings (a tenth of the memory for the shipped keys). A hash shared by
    two deletes only costs an extra exact distance check."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys = [k for k in sorted(set(keys)) if len(k) >= MIN_LENGTH and k.isascii()]
        if len(self._keys) > _MAX_KEYS:
            raise ValueError(f"a fuzzy index holds at most {_MAX_KEYS:,} keys")
        packed: list[int] = []
        for index, k in enumerate(self._keys):
            packed.extend((hash(d) & _HASH_MASK) << _INDEX_BITS | index for d in _deletes(k, allowed_distance(len(k))))
        packed.sort()
        self._packed = array("Q", packed)

    def __len__(self) -> int:
        return len(self._packed)

    def _near(self, query: str) -> Iterator[str]:
        """Keys sharing a delete with ``query`` (and, rarely, a hash only)."""
        packed = self._packed
        end = len(packed)
        seen: set[int] = set()
        for d in _deletes(query, 2):
            h = (hash(d) & _HASH_MASK) << _INDEX_BITS
            i = bisect_left(packed, h)
            while i < end and packed[i] >> _INDEX_BITS == h >> _INDEX_BITS:
                index = packed[i] & _INDEX_MASK
                if index not in seen:
                    seen.add(index)
                    yield self._keys[index]
                i += 1

    def search(self, query: str) -> list[tuple[str, int]]:
        """Indexed keys within their allowed distance of ``query``, nearest first."""
        if len(query) < MIN_LENGTH - 1 or len(query) > _MAX_QUERY or not query.isascii():
            return []
        found: dict[str, int] = {}
        for k in self._near(query):
            limit = allowed_distance(len(k))
            dist = distance(query, k, limit)
            if 0 < dist <= limit:
                found[k] = dist
        return sorted(found.items(), key=lambda kv: (kv[1], kv[0]))
