"""The shipped tables: each kind's compiled index, loaded once per process
on first use of the kind, under a lock, and shared read-only by every
:class:`~geonorm.Registry`.

A kind loads in two steps: its entities, settings and non-names first (all
that extraction needs), its resolution keys when a look-up first needs them
(:attr:`ShippedTable.keys`), and its fuzzy index on the first fuzzy look-up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from . import _forksafe
from . import index as ix
from ._heap import give_back
from .fuzzy import FuzzyIndex
from .kinds import SPECS
from .model import KINDS, Entity

if TYPE_CHECKING:
    from .keytable import KeyTable

__all__ = ["FUZZY_TYPES", "ShippedTable", "available_kinds", "is_shipped", "lookup", "substituted", "table"]

# Typos are matched against English and curated names only: other locales'
# names would make the index large and the matches loose.
#: Entry types a fuzzy look-up may land on.
FUZZY_TYPES = frozenset({ix.STRONG, ix.DEMONYM, ix.USER})
_FUZZY_MAX_WORDS = 4


@attrs.define(eq=False)
class ShippedTable:
    """One kind's shipped entities, keys and settings."""

    kind: str
    entities: list[Entity]
    by_id: dict[str, Entity]
    not_keys: frozenset[str]
    #: The kind's settings from its index (legal forms, offices, abbreviations).
    extra: Mapping[str, Any] = attrs.field(factory=dict)
    #: Reads the keys when first needed: extraction needs the entities only.
    _read_keys: Callable[[list[Entity]], KeyTable] | None = None
    _keys: KeyTable | None = None
    _keys_lock: _forksafe.ForkSafeLock = attrs.field(factory=_forksafe.lock)
    _fuzzy: FuzzyIndex | None = None
    _fuzzy_lock: _forksafe.ForkSafeLock = attrs.field(factory=_forksafe.lock)

    @property
    def keys(self) -> KeyTable:
        """Normalisation key -> its entries, packed (:func:`geonorm.index.entries_of`)."""
        keys = self._keys
        if keys is None:
            with self._keys_lock:
                keys = self._keys
                if keys is None:
                    assert self._read_keys is not None
                    keys = self._keys = self._read_keys(self.entities)
                    give_back()  # what parsing the index freed
        return keys

    def fuzzy(self) -> FuzzyIndex:
        if self._fuzzy is None:
            with self._fuzzy_lock:
                if self._fuzzy is None:
                    self._fuzzy = FuzzyIndex(
                        k
                        for k, entries in self.keys.plain.items()  # fuzzy keys are ASCII
                        if k.count(" ") < _FUZZY_MAX_WORDS
                        and any(((e >> ix.TYPE_SHIFT) & ix.TYPE_MASK) in FUZZY_TYPES for e in ix.entries_of(entries))
                    )
                    give_back()  # what building the index freed
        return self._fuzzy


_SHIPPED: dict[str, ShippedTable] = {}
_SHIPPED_LOCK = _forksafe.rlock()
#: What other modules derive from the loaded tables and keep for speed
#: (resolution's look-up views of several kinds at once): emptied whenever
#: the tables change, so that it is derived again from the new ones.
DERIVED: dict[object, Any] = {}


def available_kinds() -> tuple[str, ...]:
    """Kinds whose tables ship with this version, in resolution order."""
    return tuple(k for k in KINDS if k in SPECS)


def table(kind: str) -> ShippedTable:
    """The shipped table of ``kind`` (loaded on first use)."""
    table = _SHIPPED.get(kind)
    if table is not None:
        return table
    with _SHIPPED_LOCK:
        table = _SHIPPED.get(kind)
        if table is None:
            data = ix.load_index(kind, keys=False)
            table = _SHIPPED[kind] = _load(kind, data, lambda: ix.read_index(kind), lookup)
            DERIVED.clear()
            del data
            give_back()  # what parsing the index freed
    return table


def _load(
    kind: str, data: Mapping[str, Any], read: Callable[[], bytes], find: Callable[[str], Entity | None]
) -> ShippedTable:
    """A kind's table from its index file: ``data``, read without its keys
    (:func:`geonorm.index.parse_index`), and ``read``, which gives the file's
    bytes when the keys are first needed; ``find`` looks up the entities of
    other kinds it refers to."""
    SPECS[kind].configure(data.get("extra", {}))
    entities = SPECS[kind].build_entities(data["entities"], find)
    keys_at = data["keys_at"]

    def read_keys(entities: list[Entity]) -> KeyTable:
        from .keytable import KeyTable  # imports marisa-trie: not needed by extraction

        return KeyTable(ix.key_entries(read(), keys_at, [(e.id, e.aliases) for e in entities]))

    return ShippedTable(
        kind=kind,
        entities=entities,
        by_id={e.id: e for e in entities},
        not_keys=frozenset(data.get("not", ())),
        extra=data.get("extra", {}),
        read_keys=read_keys,
    )


@contextlib.contextmanager
def substituted(texts: Mapping[str, str]) -> Iterator[None]:
    """Within the block, every registry resolves against the index files
    ``texts`` gives (kind -> the text of its ``<kind>.jsonl``, every shipped
    kind) instead of the shipped ones, which are restored afterwards. The
    compile step checks this way what it is about to write. The tables are
    the process's: the block holds their lock (another thread that loads a
    kind waits for its end), but a thread that resolves meanwhile sees the
    substituted ones, so use it where nothing else resolves."""
    with _SHIPPED_LOCK:
        saved = dict(_SHIPPED)
        _SHIPPED.clear()
        DERIVED.clear()
        try:
            for kind in available_kinds():  # in reference order

                def read(data: bytes = texts[kind].encode("utf-8")) -> bytes:
                    return data

                _SHIPPED[kind] = _load(kind, ix.parse_index(read(), kind, keys=False), read, _find_loaded)
            yield
        finally:
            _SHIPPED.clear()
            _SHIPPED.update(saved)
            DERIVED.clear()
            for kind, table in saved.items():
                SPECS[kind].configure(table.extra)


def _find_loaded(entity_id: str) -> Entity | None:
    """An entity of a kind already in the tables (loading no other)."""
    table = _SHIPPED.get(entity_id.partition(":")[0])
    return table.by_id.get(entity_id) if table is not None else None


def is_shipped(entity: Entity) -> bool:
    """Whether ``entity`` is the shipped entity of its id (not one a
    registry added or extended)."""
    table = _SHIPPED.get(entity.kind)
    return table is not None and table.by_id.get(entity.id) is entity


def lookup(entity_id: str) -> Entity | None:
    """The shipped entity of ``entity_id``, of any kind, or None."""
    kind = entity_id.partition(":")[0]
    if kind not in SPECS:
        return None
    return table(kind).by_id.get(entity_id)
