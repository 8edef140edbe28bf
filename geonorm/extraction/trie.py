"""The names of a large compiled table, after a space, in a MARISA trie.

An Aho-Corasick automaton takes about 8 bytes per letter of its names: over
the 3.5 million patterns of a million-name table, most of a gigabyte, and
seconds to build. :class:`PatternTrie` answers what the scan asks of an
automaton (:class:`~.automaton.Automaton`) from a MARISA trie (marisa-trie)
of the same patterns, in a few bytes per name, built in about a second a
million: every name in it starts after a space, so a name can only start
where the text has a space before one of the letters its names start with,
and there one look-up in compiled code finds every name that starts there.
The names are in :data:`PARTS` tries by their first letter (each built in
turn: a trie's build takes, at its peak, several times the trie).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice, repeat
from typing import Any, Final

from .automaton import Match, searchable

__all__ = ["PARTS", "PatternTrie", "part_of"]

#: How many tries hold the names, by their first letter (:func:`part_of`).
PARTS: Final = 8

#: Up to how many patterns each is checked against the trie's numbering,
#: and how many of a larger set.
_CHECKED_WHOLE, _SAMPLES = 1 << 16, 1 << 13
#: The first character of each line of a batch.
_FIRST_LETTERS = re.compile("^.", re.MULTILINE | re.DOTALL)


def part_of(pattern: str) -> int:
    """Which of the :data:`PARTS` tries holds ``pattern`` (not empty): by its
    first letter."""
    return ord(pattern[0]) % PARTS


class _Part:
    """One trie of names, with the ids of its keys: ``base`` plus the key's
    number where the names came in the trie's numbering (``ids`` None),
    else ``ids[number]``."""

    __slots__ = ("base", "ids", "trie")

    def __init__(self, batches: Sequence[str], ids: array[int]) -> None:
        import marisa_trie

        def read() -> Iterator[str]:  # (C-level iteration: a million patterns a second or more)
            return chain.from_iterable(map(str.split, batches, repeat("\n")))

        self.trie: Any = marisa_trie.Trie(read(), num_tries=1)
        count = len(ids)
        if len(self.trie) != count:
            raise ValueError(f"{count} ids for {len(self.trie)} distinct patterns")
        self.base = ids[0] if count else 0
        consecutive = ids == array("I", range(self.base, self.base + count))
        # Where the patterns came in the trie's numbering (a compiled table
        # writes them so, with the marisa-trie of its compile step), the
        # ids need no table. Every pattern of a small set is checked; of a
        # large one, a sample of thousands: another numbering (another
        # marisa-trie) differs nearly everywhere, and a file edited since
        # it was written is refused by its digest.
        step = 1 if count <= _CHECKED_WHOLE else count // _SAMPLES
        in_order = consecutive and not any(
            self.trie.restore_key(i) != pattern
            for i, pattern in zip(range(0, count, step), islice(read(), 0, None, step), strict=True)
        )
        self.ids: array[int] | None = None
        if not in_order:
            self.ids = array("I", bytes(4 * count))
            for pid, pattern in zip(ids, read(), strict=True):
                self.ids[self.trie.key_id(pattern)] = pid

    def id_of(self, name: str) -> int:
        """The id of ``name``, a key of the trie."""
        return self.id_at(self.trie.key_id(name))

    def id_at(self, number: int) -> int:
        """The id of the key the trie numbers ``number``."""
        return self.ids[number] if self.ids is not None else number + self.base


class PatternTrie:
    """The patterns ``patterns`` (written without the space before them),
    whose ids are ``ids`` (in the same order), with the methods of
    :class:`~.automaton.Automaton` over text where each of them is met after
    a space, as the automata of names after a space are. Where a part's ids
    are consecutive and its patterns come in the order its trie numbers
    them (a compiled table writes them so), no table of ids is kept.

    >>> t = PatternTrie(["India", "Indian Ocean", "New Delhi"], [7, 8, 9])
    >>> t.longest(" India and New Delhi, not the Indian Ocean")
    [(7, 0, 6), (9, 10, 20), (8, 29, 42)]
    >>> t.every(" Indian Ocean", starts_before=1)
    [(8, 0, 13), (7, 0, 6)]
    >>> t.get(" New Delhi"), t.get("New Delhi"), t.get(" New")
    (9, None, None)
    """

    __slots__ = ("_count", "_longest", "_parts", "_starts")

    def __init__(self, patterns: Sequence[str], ids: Iterable[int]) -> None:
        given = array("I", ids)
        if len(given) != len(patterns):
            raise ValueError(f"{len(given)} ids for {len(patterns)} patterns")
        by_part: list[tuple[list[str], array[int]]] = [([], array("I")) for _ in range(PARTS)]
        for pattern, pid in zip(patterns, given, strict=True):
            names, part_ids = by_part[part_of(pattern)]
            names.append(pattern)
            part_ids.append(pid)
        self._init([(["\n".join(names)] if names else [], part_ids) for names, part_ids in by_part])

    @classmethod
    def of_parts(cls, parts: Sequence[tuple[Sequence[str], array[int]]]) -> PatternTrie:
        """The trie of :data:`PARTS` parts, each the patterns of that part
        (:func:`part_of`) in batches, a string of them a line each (so that a
        large set is never a Python string a pattern), and their ids."""
        trie = cls.__new__(cls)
        trie._init(parts)
        return trie

    def _init(self, parts: Sequence[tuple[Sequence[str], array[int]]]) -> None:
        if len(parts) != PARTS:
            raise ValueError(f"{len(parts)} parts, not {PARTS}")
        built: list[_Part | None] = []
        longest, firsts = 0, set()
        for n, (batches, ids) in enumerate(parts):
            batches = [batch for batch in batches if batch]  # noqa: PLW2901
            if not ids:
                built.append(None)
                continue
            found = {ch for batch in batches for ch in _FIRST_LETTERS.findall(batch)}
            if any(ord(ch) % PARTS != n for ch in found):
                raise ValueError(f"a pattern of part {n} starts with a letter of another part")
            firsts |= found
            longest = max(longest, *(max(map(len, batch.split("\n"))) for batch in batches))
            built.append(_Part(batches, ids))  # one build at a time
        self._parts = tuple(built)
        self._count = sum(len(part.trie) for part in built if part is not None)
        self._longest = longest
        # Where a name may start: a space before one of its first letters.
        self._starts = re.compile(" (?=[" + "".join(map(re.escape, sorted(firsts))) + "])") if firsts else None

    def __len__(self) -> int:
        return self._count

    def _at(self, text: str, start: int) -> tuple[_Part | None, list[str]]:
        """The part of the name that starts after the space at ``start``,
        and the names of it that start there, shortest first."""
        part = self._parts[ord(text[start + 1]) % PARTS]
        if part is None:
            return None, []
        fragment = text[start + 1 : start + 1 + self._longest]
        try:
            found: list[str] = part.trie.prefixes(fragment)
        except UnicodeEncodeError:
            found = part.trie.prefixes(searchable(fragment))
        return part, found

    def longest(self, text: str) -> list[Match]:
        """The leftmost-longest matches, without overlaps, in text order
        (each from the space before it)."""
        out: list[Match] = []
        starts = self._starts
        if starts is None:
            return out
        taken = 0
        for hit in starts.finditer(text):
            start = hit.start()
            if start < taken:
                continue
            part, found = self._at(text, start)
            if found:
                name = found[-1]
                taken = start + 1 + len(name)
                out.append((part.id_of(name), start, taken))  # type: ignore[union-attr]  # (found: a part)
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
        for hit in starts.finditer(text, 0, min(len(text), last + 1)):
            start = hit.start()
            if start >= last:
                break
            part, found = self._at(text, start)
            out.extend((part.id_of(name), start, start + 1 + len(name)) for name in reversed(found))  # type: ignore[union-attr]
        return out

    def get(self, pattern: str) -> int | None:
        """The id of ``pattern`` (written with the space before it), or None."""
        if len(pattern) < 2 or pattern[0] != " " or "\0" in pattern:
            return None  # (the trie would read "ab\0c" as "ab")
        part = self._parts[part_of(pattern[1:])]
        if part is None:
            return None
        try:
            found = part.trie.get(pattern[1:])
        except UnicodeEncodeError:
            return None
        return None if found is None else part.id_at(found)
