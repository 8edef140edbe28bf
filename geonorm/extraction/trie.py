"""The names of a large compiled table, after a space, in a MARISA trie.

An Aho-Corasick automaton takes about 8 bytes per letter of its names: over
the 3.5 million patterns of a million-name table, most of a gigabyte, and
seconds to build. :class:`PatternTrie` answers what the scan asks of an
automaton (:class:`~.automaton.Automaton`) from a MARISA trie (marisa-trie)
of the same patterns, in a few bytes per name, built in about a second a
million: every name in it starts after a space, so a name can only start
where the text has a space before one of the letters its names start with,
and there one look-up in compiled code finds every name that starts there.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice, repeat
from typing import Any

from .automaton import Match, searchable

__all__ = ["PatternTrie"]

#: Up to how many patterns each is checked against the trie's numbering,
#: and how many of a larger set.
_CHECKED_WHOLE, _SAMPLES = 1 << 16, 1 << 13
#: The first character of each line of a batch.
_FIRST_LETTERS = re.compile("^.", re.MULTILINE | re.DOTALL)


class PatternTrie:
    """The patterns ``patterns`` (written without the space before them),
    whose ids are ``ids`` (in the same order), with the methods of
    :class:`~.automaton.Automaton` over text where each of them is met after
    a space, as the automata of names after a space are. Where the ids are
    consecutive and the patterns come in the order the trie numbers them (a
    compiled table writes them so), no table of ids is kept.

    >>> t = PatternTrie(["India", "Indian Ocean", "New Delhi"], [7, 8, 9])
    >>> t.longest(" India and New Delhi, not the Indian Ocean")
    [(7, 0, 6), (9, 10, 20), (8, 29, 42)]
    >>> t.every(" Indian Ocean", starts_before=1)
    [(8, 0, 13), (7, 0, 6)]
    >>> t.get(" New Delhi"), t.get("New Delhi"), t.get(" New")
    (9, None, None)
    """

    __slots__ = ("_base", "_ids", "_longest", "_starts", "_trie")

    def __init__(self, patterns: Sequence[str], ids: Iterable[int]) -> None:
        self._init(["\n".join(patterns)] if patterns else [], ids)

    @classmethod
    def of_batches(cls, batches: Sequence[str], ids: Iterable[int]) -> PatternTrie:
        """The trie of the patterns of ``batches``, each a string of them a
        line each (so that a large set is never a Python string a pattern)."""
        trie = cls.__new__(cls)
        trie._init(batches, ids)
        return trie

    def _init(self, batches: Sequence[str], ids: Iterable[int]) -> None:
        import marisa_trie

        def read() -> Iterator[str]:  # (C-level iteration: a million patterns a second or more)
            return chain.from_iterable(map(str.split, batches, repeat("\n")))

        given_ids = array("I", ids)
        self._trie: Any = marisa_trie.Trie(read(), num_tries=1)
        count = len(given_ids)
        if len(self._trie) != count:
            raise ValueError(f"{count} ids for {len(self._trie)} distinct patterns")
        self._base = given_ids[0] if count else 0
        consecutive = given_ids == array("I", range(self._base, self._base + count))
        # Where the patterns came in the trie's numbering (a compiled table
        # writes them so, with the marisa-trie of its compile step), the
        # ids need no table. Every pattern of a small set is checked; of a
        # large one, a sample of thousands: another numbering (another
        # marisa-trie) differs nearly everywhere, and a file edited since
        # it was written is refused by its digest.
        step = 1 if count <= _CHECKED_WHOLE else count // _SAMPLES
        in_order = consecutive and not any(
            self._trie.restore_key(i) != pattern
            for i, pattern in zip(range(0, count, step), islice(read(), 0, None, step), strict=True)
        )
        self._ids: array[int] | None = None
        if not in_order:
            self._ids = array("I", bytes(4 * count))
            for pid, pattern in zip(given_ids, read(), strict=True):
                self._ids[self._trie.key_id(pattern)] = pid
        self._longest = max((max(map(len, batch.split("\n"))) for batch in batches if batch), default=0)
        firsts = sorted({ch for batch in batches for ch in _FIRST_LETTERS.findall(batch)})
        # Where a name may start: a space before one of its first letters.
        self._starts = re.compile(" (?=[" + "".join(map(re.escape, firsts)) + "])") if firsts else None

    def __len__(self) -> int:
        return len(self._trie)

    def _id(self, key_id: int) -> int:
        return self._ids[key_id] if self._ids is not None else key_id + self._base

    def _at(self, text: str, start: int) -> list[str]:
        """The patterns that start after the space at ``start``, shortest first."""
        try:
            found: list[str] = self._trie.prefixes(text[start + 1 : start + 1 + self._longest])
        except UnicodeEncodeError:
            found = self._trie.prefixes(searchable(text[start + 1 : start + 1 + self._longest]))
        return found

    def longest(self, text: str) -> list[Match]:
        """The leftmost-longest matches, without overlaps, in text order
        (each from the space before it)."""
        out: list[Match] = []
        starts = self._starts
        if starts is None:
            return out
        key_id, taken = self._trie.key_id, 0
        for hit in starts.finditer(text):
            start = hit.start()
            if start < taken:
                continue
            found = self._at(text, start)
            if found:
                name = found[-1]
                taken = start + 1 + len(name)
                out.append((self._id(key_id(name)), start, taken))
        return out

    def every(self, text: str, starts_before: int | None = None) -> list[Match]:
        """Every match, names inside names included, by start, then the
        longest first; only those that start before offset
        ``starts_before``, where it is given."""
        out: list[Match] = []
        starts = self._starts
        if starts is None:
            return out
        last = len(text) if starts_before is None else min(len(text), max(starts_before, 0))
        key_id = self._trie.key_id
        for hit in starts.finditer(text, 0, min(len(text), last + 1)):
            start = hit.start()
            if start >= last:
                break
            out.extend(
                (self._id(key_id(name)), start, start + 1 + len(name)) for name in reversed(self._at(text, start))
            )
        return out

    def get(self, pattern: str) -> int | None:
        """The id of ``pattern`` (written with the space before it), or None."""
        if pattern[:1] != " " or "\0" in pattern:
            return None  # (the trie would read "ab\0c" as "ab")
        try:
            found = self._trie.get(pattern[1:])
        except UnicodeEncodeError:
            return None
        return None if found is None else self._id(found)
