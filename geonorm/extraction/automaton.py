"""One Aho-Corasick automaton over a set of extraction patterns.

:class:`Automaton` wraps ahocorasick-rs (the Rust ``aho-corasick`` crate): a
contiguous automaton of a few bytes per pattern letter, searched in compiled
code, that reports the leftmost-longest matches of a text in one call. Its
values are pattern ids (an array of integers, no Python object per
pattern). The shorter names that a longest match hides, and the look-up of
one pattern, are read from the same automaton (:meth:`Automaton.every`,
:meth:`Automaton.get`), so no second automaton is kept for them.

Every method takes a text and returns :data:`Match` triples, ``(pattern id,
start, end)``, in code points, the end exclusive.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter

import ahocorasick_rs

from .._heap import give_back

__all__ = ["Automaton", "Match", "searchable"]

# Unpaired surrogates cannot be searched (the automaton reads UTF-8); each
# is read as U+FFFD, one code point for one, so offsets do not move.
_SURROGATE = re.compile("[\ud800-\udfff]")


#: From this many patterns, the heap the build freed is given back.
_LARGE = 10_000


def searchable(text: str) -> str:
    """``text`` with each unpaired surrogate read as U+FFFD (same offsets).

    >>> searchable("a\\ud800b") == "a\\ufffdb"
    True
    """
    return _SURROGATE.sub("\ufffd", text)


#: A match: ``(pattern id, start, end)``, offsets in code points, the end
#: exclusive (the crate's own form).
Match = tuple[int, int, int]


class Automaton:
    """The automaton of ``patterns``, whose ids are ``ids`` (in the same
    order). Where the ids are a run of consecutive integers (the shipped
    patterns are sorted by automaton, so each automaton's are), matches
    come from the crate as they are, with no Python work per match.

    >>> a = Automaton([" india", " indian", " new delhi"], [7, 8, 9])
    >>> a.longest(" indian rupee, new delhi")
    [(8, 0, 7), (9, 14, 24)]
    >>> a.every(" indian rupee")
    [(8, 0, 7), (7, 0, 6)]
    >>> a.get(" india"), a.get(" indi")
    (7, None)
    """

    __slots__ = ("_ac", "_base", "_count", "_firsts", "_ids", "_longest")

    def __init__(self, patterns: Sequence[str], ids: Iterable[int]) -> None:
        self._init((patterns,), ids)

    @classmethod
    def of_batches(cls, batches: Iterable[Sequence[str]], ids: Iterable[int]) -> Automaton:
        """The automaton of the patterns of ``batches`` in turn, which are
        read one at a time while it is built (so that a large set never has
        all its patterns as Python strings at once)."""
        automaton = cls.__new__(cls)
        automaton._init(batches, ids)
        return automaton

    def _init(self, batches: Iterable[Sequence[str]], ids: Iterable[int]) -> None:
        given_ids = array("I", ids)
        self._longest = 0
        self._firsts: frozenset[str] = frozenset()
        firsts: set[str] = set()
        count = 0

        def read() -> Iterator[str]:
            nonlocal count
            for given in batches:
                if not given:
                    continue
                # One pass in C; the crate would drop a pattern with a surrogate.
                batch = [searchable(p) for p in given] if _SURROGATE.search("".join(given)) else given
                self._longest = max(self._longest, *map(len, batch))
                firsts.update(map(itemgetter(0), batch))  # where a name may start (no pattern is empty)
                count += len(batch)
                yield from batch

        self._ac = ahocorasick_rs.AhoCorasick(
            read(), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest, store_patterns=False
        )
        self._firsts = frozenset(firsts)
        if count != len(given_ids):
            raise ValueError(f"{count} patterns but {len(given_ids)} ids")
        self._count = count
        # Consecutive ids need no table: a pattern's id is its index plus the first.
        self._base = given_ids[0] if count else 0
        consecutive = given_ids == array("I", range(self._base, self._base + count))
        self._ids: array[int] | None = None if consecutive else given_ids
        if count >= _LARGE:
            give_back()  # the build's intermediate automata, freed

    def __len__(self) -> int:
        return self._count

    def _matches(self, text: str) -> list[Match]:
        try:
            return self._ac.find_matches_as_indexes(text)
        except UnicodeEncodeError:
            return self._ac.find_matches_as_indexes(searchable(text))

    def _id(self, index: int) -> int:
        return self._ids[index] if self._ids is not None else index + self._base

    def longest(self, text: str) -> list[Match]:
        """The leftmost-longest matches, without overlaps, in text order:
        where names start at one offset, the longest is the match, and the
        next match starts after it."""
        found = self._matches(text)
        ids = self._ids
        if ids is not None:
            return [(ids[i], start, end) for i, start, end in found]
        base = self._base
        return [(i + base, start, end) for i, start, end in found] if base else found

    def every(self, text: str, starts_before: int | None = None) -> list[Match]:
        """Every match, overlaps and names inside names included, by start,
        then the longest first; only those that start before offset
        ``starts_before``, where it is given. Linear in the text: each offset
        reads at most the longest pattern's length (meant for short windows).

        >>> Automaton([" new", " new delhi", " delhi"], [0, 1, 2]).every(" new delhi", starts_before=4)
        [(1, 0, 10), (0, 0, 4)]
        """
        out: list[Match] = []
        reach, firsts = self._longest, self._firsts
        if not reach:
            return out
        text = searchable(text)
        find = self._ac.find_matches_as_indexes
        last = len(text) if starts_before is None else min(len(text), max(starts_before, 0))
        for start in range(last):
            if text[start] not in firsts:
                continue
            stop = min(len(text), start + reach)
            while stop > start:
                found = find(text[start:stop])
                if not found or found[0][1] != 0:
                    break  # no name starts here (the leftmost match starts later)
                i, _, end = found[0]
                out.append((self._id(i), start, start + end))
                stop = start + end - 1  # the next longest name starting here
        return out

    def get(self, pattern: str) -> int | None:
        """The id of ``pattern``, or None where it is no pattern."""
        if not pattern:
            return None
        found = self._matches(pattern)
        if found and found[0][1] == 0 and found[0][2] == len(pattern):
            return self._id(found[0][0])
        return None
