"""A kind's resolution keys, held compactly.

Nearly half of the shipped keys are written in letters beyond ASCII
(Cyrillic, Arabic, Chinese, Devanagari, inflected forms): as Python
strings in a dict they would cost several megabytes in every process.
:class:`KeyTable` keeps the ASCII keys in a dict (the look-up most strings
need, at dict speed) and the others in a MARISA trie (marisa-trie), which
stores them in a few bytes each, with their entries in an array of
integers indexed by the trie's key ids. The trie is built when the keys
are read from the index, which stays the text that the compile step
writes; nothing binary is shipped or loaded.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar, overload

import marisa_trie

from .index import Entries

__all__ = ["KeyTable"]

_T = TypeVar("_T")
_SEVERAL = -1  # in the array: the key has several entries, kept in a dict


class KeyTable(Mapping[str, Entries]):
    """Key -> its packed entries (:func:`geonorm.index.entries_of`), as a
    read-only mapping; :attr:`plain` is the dict of the ASCII keys, for the
    callers that look up most keys in it directly. It iterates its keys in
    code-point order: for the keys of an index, which the compile step
    writes sorted, the index's order, as a dict of them would, so that what
    is built by iterating them (the people's surname and skeleton lists)
    comes out the same.

    >>> t = KeyTable({"india": 5, "индия": 5, "インド": (6, 7)})
    >>> t.get("india"), t.get("индия"), t["インド"], t.get("индиа")
    (5, 5, (6, 7), None)
    >>> sorted(t), len(t), "индия" in t
    (['india', 'индия', 'インド'], 3, True)
    """

    __slots__ = ("_several", "_trie", "_values", "plain")

    def __init__(self, keys: Mapping[str, Entries] | Iterable[tuple[str, Entries]]) -> None:
        #: The ASCII keys and their entries.
        self.plain: dict[str, Entries] = {}
        plain = self.plain
        others: list[str] = []
        their_entries: list[Entries] = []
        for k, entries in keys.items() if isinstance(keys, Mapping) else keys:
            if k.isascii() or "\0" in k:  # the trie reads a key up to a NUL
                plain[k] = entries
            else:
                others.append(k)
                their_entries.append(entries)
        self._trie = marisa_trie.Trie(others)
        self._values = array("q", bytes(8 * len(self._trie)))
        self._several: dict[int, tuple[int, ...]] = {}
        values = self._values
        for i, entries in zip(map(self._trie.key_id, others), their_entries, strict=True):
            if entries.__class__ is int:
                values[i] = entries
            else:
                values[i] = _SEVERAL
                self._several[i] = entries  # type: ignore[assignment]

    def beyond_ascii(self, k: str) -> Entries | None:
        """The entries of ``k``, a key not in :attr:`plain`, or None."""
        if "\0" in k:
            return None  # such keys are in plain (the trie would read "ж\0x" as "ж")
        try:
            i = self._trie.get(k)
        except UnicodeEncodeError:
            return None  # a lone surrogate: no key has one (the trie holds UTF-8)
        if i is None:
            return None
        value: int = self._values[i]
        return self._several[i] if value == _SEVERAL else value

    def key_id(self, k: str) -> int | None:
        """The id of ``k``, a key beyond ASCII, among :meth:`key_ids` (what
        :meth:`entries_at` reads), or None where it is not one.

        >>> t = KeyTable({"india": 5, "индия": 5})
        >>> t.entries_at(t.key_id("индия")), t.key_id("india"), t.key_id("индиа")
        (5, None, None)
        """
        if "\0" in k:
            return None  # such keys are in plain (the trie would read "ж\0x" as "ж")
        try:
            return self._trie.get(k)  # type: ignore[no-any-return]
        except UnicodeEncodeError:
            return None  # a lone surrogate: no key has one (the trie holds UTF-8)

    def entries_at(self, i: int) -> Entries:
        """The entries of the key whose id is ``i`` (:meth:`key_id`)."""
        value: int = self._values[i]
        return self._several[i] if value == _SEVERAL else value

    def key_ids(self) -> Iterator[tuple[str, int]]:
        """The keys beyond ASCII (those not in :attr:`plain`) and their ids,
        from 0 to :meth:`id_count` less one."""
        return self._trie.iteritems()  # type: ignore[no-any-return]

    def beyond_ascii_test(self) -> Callable[[str], bool]:
        """Whether a key beyond ASCII, as :meth:`key_ids` gives them (no NUL,
        no lone surrogate), is one of the keys: the trie's own test, for a
        build that asks it of many keys.

        >>> KeyTable({"индия": 5}).beyond_ascii_test()("индия")
        True
        """
        return self._trie.__contains__  # type: ignore[no-any-return]

    def id_count(self) -> int:
        """How many keys :meth:`key_ids` gives."""
        return len(self._trie)

    @overload
    def get(self, k: str, /) -> Entries | None: ...
    @overload
    def get(self, k: str, default: Entries | _T, /) -> Entries | _T: ...
    def get(self, k: str, default: object = None, /) -> object:
        found = self.plain.get(k)
        if found is None and isinstance(k, str) and not k.isascii():
            found = self.beyond_ascii(k)
        return default if found is None else found

    def __getitem__(self, k: str) -> Entries:
        found = self.get(k)
        if found is None:
            raise KeyError(k)
        return found

    def __contains__(self, k: object) -> bool:
        if k in self.plain:
            return True
        return isinstance(k, str) and not k.isascii() and self.beyond_ascii(k) is not None

    def __iter__(self) -> Iterator[str]:
        yield from sorted([*self.plain, *self._trie.iterkeys()])

    def __len__(self) -> int:
        return len(self.plain) + len(self._trie)
