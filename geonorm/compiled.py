"""Compiled user tables: a large table of one's own, validated once and
loaded in seconds into a compact form.

:func:`compile_table` reads TOML table files (the format that
:meth:`Registry.load <geonorm.Registry.load>` reads), validates them together
as a load does, and writes one text file: a JSON header line, then four
blocks for the keys of every kind together (a kind's keys as
:meth:`KindSpec.refine <geonorm.kinds.base.KindSpec.refine>` makes them):

* ``<key>``, one per normalisation key, in the order in which a MARISA trie
  of them built with :data:`TRIE_OPTIONS` numbers them;
* the entry of each of those keys, in the same order, as 16 hexadecimal
  digits (a 64-bit two's complement integer): the entity's index among its
  kind's, the alias's index among its aliases, the entry type and the
  acronym bit, packed as :mod:`geonorm.index` packs the shipped keys'
  entries, or -1 for a key with several entries or of several kinds;
* the kind of each of those keys, in the same order, as a digit (the
  kind's position among the table's entity blocks), or ``*`` for a key of
  several kinds;
* ``<key>\t<kind>\t<entry>,<entry>...`` for each kind of each key with
  several entries or of several kinds, best first (in decimal);

then, for each kind with new entities, a block of lines

* ``<id>\t<name>\t<aliases>\t<fields>``, one per entity, sorted by id
  (the entity's index is its line number in the block): its name as it
  is (the tables hold no tab or newline in a name), its aliases as a JSON
  array, or nothing where its name is its one alias, and its other fields
  as a JSON object (an empty list left out).

and last the table's extraction patterns, in the line format of the
shipped ``patterns.tsv`` (:func:`geonorm.extraction.patterns.dump`), those
that start after a space first, by their first letter's part of a
:class:`~geonorm.extraction.trie.PatternTrie`, each part's in the order a
MARISA trie of them numbers them.

The header names the format, the geonorm version that wrote it (its keys
are that version's normalisation, so another version refuses the file), the
byte length of every block, a SHA-256 digest of the body before the
patterns and one of the patterns; the names the
tables give shipped entities, and their ``[[not_<kind>]]`` lists, travel in
the header and are applied as :meth:`Registry.load <geonorm.Registry.load>`
would apply them.

:func:`read_compiled` loads such a file without building a Python object
per entity or per entry: the keys go into one MARISA trie (marisa-trie),
every one checked against the trie's numbering, with their entries in one
integer array read from the hexadecimal block at once and their kinds in
one bytes object (:class:`KeyIndex`), so that one look-up finds what every
kind of the table has under a key; the entity lines stay one
bytes object, each entity built from its line when an answer returns it and
kept in a bounded cache. The file is text and JSON: loading it runs no code
and reads no pickle, and whatever its content, a file that is not what
:func:`compile_table` writes raises :class:`~geonorm.TableError`.
"""

from __future__ import annotations

import itertools
import json
import mmap
import operator
import os
import re
import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload

import attrs

from . import index as ix
from .kinds import SPECS, refinement
from .kinds.base import LinkedKindSpec
from .model import KINDS, Entity
from .tables import LINK_FIELDS, NAME_FIELDS, Record, TableError, TableFile, _check_strs, raw_entity, read_tables
from .text import brief, fold

if TYPE_CHECKING:
    from .overlay import Overlay

__all__ = ["FORMAT_NAME", "VERSION", "CompiledKeys", "CompiledKind", "CompiledTable", "compile_table", "read_compiled"]

#: The ``format`` of a compiled table's header.
FORMAT_NAME: Final = "geonorm-compiled-table"
#: The version of the layout below the header.
VERSION: Final = 4
#: Entities built from their lines and kept, per kind of a compiled table:
#: enough for the entities a document or a batch names again and again. A
#: kept entity outlives the collector's young generations, and the full
#: collections that the kept ones bring on cost more than rebuilding a few:
#: over a 1,000,000-entity table, distinct names resolved about 15% faster
#: with 1,024 kept than with 65,536.
ENTITY_CACHE_SIZE: Final = 1_024
_SEVERAL: Final = -1  # in the entry array: the key has several entries (or kinds), kept in a dict
#: In a :class:`KeyIndex`'s kinds: the key is a key of several kinds.
MIXED: Final = 255
#: How the tries of keys are built, when compiled and when loaded (the key
#: ids, and so the order of the key lines, depend on them): one trie level
#: builds and looks up faster than marisa's default three (1,000,000 keys:
#: 0.84 s against 0.96 s to build, 0.6 against 0.9 us a look-up) in 20 MB
#: rather than 7.
TRIE_OPTIONS: Final[dict[str, int]] = {"num_tries": 1}
_FIRST = operator.itemgetter(0)
_SECOND = operator.itemgetter(1)
_PLUS_ONE = (1).__add__
_T = TypeVar("_T")


def _geonorm_version() -> str:
    import geonorm

    return str(geonorm.__version__)


class KeyIndex:
    """The keys of every kind of a compiled table in one MARISA trie, with,
    per key id, its packed entries (:func:`geonorm.index.entries_of`) and
    the kind they are of: one look-up finds what every kind has under a
    key. ``codes[i]`` is the kind's position in the table (:data:`MIXED`
    for a key of several kinds, whose entries per kind are in ``mixed``);
    ``values[i]`` is the one entry, or :data:`_SEVERAL` for several (in
    ``several``) or several kinds."""

    __slots__ = ("codes", "counts", "mixed", "several", "trie", "values")

    def __init__(
        self,
        keys: Sequence[str],
        values: array[int],
        codes: bytes,
        listed: Iterable[tuple[str, int, tuple[int, ...]]],
        kinds: int,
    ) -> None:
        import marisa_trie

        trie = marisa_trie.Trie(keys, **TRIE_OPTIONS)
        if len(trie) != len(keys) or len(values) != len(keys) or len(codes) != len(keys):
            raise TableError("compiled table lists a key twice, or not one entry and one kind a key")
        # The keys are written in the trie's id order: check every one (a
        # file edited to swap two would otherwise give wrong answers), and
        # where the order differs (another marisa-trie may number the keys
        # otherwise) put the entries in this trie's order.
        # (C-level iteration: a generator here would cost a second a million keys.)
        in_trie, ids = itertools.tee(trie.iteritems())
        if any(map(str.__ne__, map(keys.__getitem__, map(_SECOND, ids)), map(_FIRST, in_trie))):
            ordered = array("q", bytes(8 * len(keys)))
            reordered = bytearray(len(keys))
            for k, v, c in zip(keys, values, codes, strict=True):
                i = trie.key_id(k)
                ordered[i] = v
                reordered[i] = c
            values, codes = ordered, bytes(reordered)
        self.trie = trie
        self.values = values
        self.codes = codes
        self.several: dict[int, tuple[int, ...]] = {}
        self.mixed: dict[int, dict[int, ix.Entries]] = {}
        for k, code, entries in listed:
            i = trie.get(k)
            if i is None or values[i] != _SEVERAL or code >= kinds:
                raise TableError("compiled table has entries for a key it does not list")
            if codes[i] == MIXED:
                per_kind = self.mixed.setdefault(i, {})
                if code in per_kind:
                    raise TableError("compiled table lists a key's entries twice")
                per_kind[code] = entries[0] if len(entries) == 1 else entries
            elif codes[i] == code and i not in self.several:
                self.several[i] = entries
            else:
                raise TableError("compiled table has entries for a key it does not list")
        if (
            values.count(_SEVERAL) != len(self.several) + len(self.mixed)
            or codes.count(MIXED) != len(self.mixed)
            or any(len(per_kind) < 2 for per_kind in self.mixed.values())
        ):
            raise TableError("compiled table has a key whose entries it does not list")
        # The keys of each kind.
        self.counts = [codes.count(code) for code in range(kinds)]
        for per_kind in self.mixed.values():
            for code in per_kind:
                self.counts[code] += 1

    def id_of(self, k: str) -> int | None:
        """The key id of ``k``, or None where no kind has it."""
        if not isinstance(k, str) or "\0" in k:
            return None
        try:
            return self.trie.get(k)  # type: ignore[no-any-return]
        except UnicodeEncodeError:
            return None  # a lone surrogate: no key has one

    def entries_at(self, i: int, code: int) -> ix.Entries | None:
        """The entries of the kind ``code`` under the key of id ``i``, or None."""
        found = self.codes[i]
        if found == code:
            value: int = self.values[i]
            return self.several[i] if value == _SEVERAL else value
        if found == MIXED:
            return self.mixed[i].get(code)
        return None

    def kind_items(self, code: int) -> Iterator[tuple[str, ix.Entries]]:
        """Every key of the kind ``code`` with its entries (in the trie's order)."""
        codes = self.codes
        for k, i in self.trie.iteritems():
            if codes[i] == code or codes[i] == MIXED:
                entries = self.entries_at(i, code)
                if entries is not None:
                    yield k, entries


class CompiledKeys(Mapping[str, ix.Entries]):
    """Key -> packed entries (:func:`geonorm.index.entries_of`) of one kind
    of a compiled table: its part of the table's :class:`KeyIndex`.
    :attr:`plain` is the mapping itself (the resolver's fast path asks it
    first, as it asks the shipped keys' dict).
    """

    __slots__ = ("_code", "_codes", "_index", "_mixed", "_several", "_trie", "_values")

    def __init__(self, index: KeyIndex, code: int) -> None:
        self._index = index
        self._code = code
        # The index's parts, for get (which resolution calls for each key).
        self._trie, self._values, self._codes = index.trie, index.values, index.codes
        self._several, self._mixed = index.several, index.mixed

    @property
    def plain(self) -> CompiledKeys:
        return self

    def beyond_ascii(self, k: str) -> ix.Entries | None:
        """None: :meth:`get` looks up every key (the shipped keys' interface)."""
        return None

    @overload
    def get(self, k: str, /) -> ix.Entries | None: ...
    @overload
    def get(self, k: str, default: ix.Entries | _T, /) -> ix.Entries | _T: ...
    def get(self, k: str, default: object = None, /) -> object:
        # KeyIndex.id_of and entries_at, one call the fewer each.
        if not isinstance(k, str) or "\0" in k:
            return default
        try:
            i = self._trie.get(k)
        except UnicodeEncodeError:
            return default  # a lone surrogate: no key has one
        if i is None:
            return default
        code = self._codes[i]
        if code == self._code:
            value: int = self._values[i]
            return self._several[i] if value == _SEVERAL else value
        if code == MIXED:
            return self._mixed[i].get(self._code, default)
        return default

    def __getitem__(self, k: str) -> ix.Entries:
        found = self.get(k)
        if found is None:
            raise KeyError(k)
        return found

    def __contains__(self, k: object) -> bool:
        return isinstance(k, str) and self.get(k) is not None

    def __iter__(self) -> Iterator[str]:
        yield from sorted(k for k, _ in self._index.kind_items(self._code))

    def __len__(self) -> int:
        return self._index.counts[self._code]

    def packed_items(self) -> Iterator[tuple[str, tuple[int, ...]]]:
        """Every key with its packed entries (in the trie's order)."""
        for k, entries in self._index.kind_items(self._code):
            yield k, ix.entries_of(entries)

    def entries(self) -> Iterator[tuple[int, ...]]:
        """The packed entries of every key (in no particular order)."""
        for _, entries in self._index.kind_items(self._code):
            yield ix.entries_of(entries)


#: The fields of an entity line that hold the id of another entity.
_REFERENCES = frozenset({"country", "origin", "parent", "manufacturer", "family"})
#: The JSON module's scanner (``scan_once(text, start) -> (value, end)``).
_SCAN: Final[Callable[[str, int], tuple[Any, int]]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _json_of(text: str) -> Any:
    """The JSON value that is all of ``text``: read by the JSON module's own
    scanner, without ``json.loads``' wrapping (a quarter of its time on a
    line of a few names); text it does not read whole (space around the
    value) goes through ``json.loads``, which says what is wrong."""
    try:
        value, end = _SCAN(text, 0)
    except (ValueError, StopIteration):
        end = -1
    return value if end == len(text) else json.loads(text)


def _fields_of(fields: str) -> dict[str, Any]:
    """The fields of a line (see _EntityLines._parts), read."""
    raw = _json_of(fields)
    if type(raw) is not dict:
        raise ValueError("its fields are not a JSON object")
    return raw


def _record(entity_id: str, name: str, aliases: Sequence[str], raw: dict[str, Any]) -> dict[str, Any]:
    """An entity's record from its line's parts (see _EntityLines._parts),
    its fields read (``raw``, which becomes the record) and its references
    checked."""
    raw["id"], raw["name"], raw["aliases"] = entity_id, name, aliases
    if not _REFERENCES.isdisjoint(raw):
        for field in _REFERENCES.intersection(raw):
            if type(raw[field]) is not str:
                raise ValueError(f"its {field} is not an id")
    return raw


class _EntityLines(Sequence[Entity]):
    """One kind's entities, each built from its line when first asked for
    (and kept, up to :data:`ENTITY_CACHE_SIZE`); the lines are sorted by id,
    so an id is found by bisection."""

    def __init__(self, kind: str, block: bytes, count: int) -> None:
        starts = array("Q", [0])
        starts.extend(itertools.accumulate(map(_PLUS_ONE, map(len, block.split(b"\n")[:-1]))))
        if len(starts) != count + 1 or (count and starts[-1] != len(block)) or block[-1:] not in (b"\n", b""):
            raise TableError(f"the {kind} block does not hold {count:,} lines")
        ids = re.findall(rb"^([^\t\n]*)\t", block, re.MULTILINE)
        prefix = f"{kind}:".encode()
        # Every line an id, in strictly ascending order, each of this kind
        # (the first and the last of sorted ids share what all share).
        if len(ids) != count or (
            count
            and not (ids[0].startswith(prefix) and ids[-1].startswith(prefix) and all(map(bytes.__lt__, ids, ids[1:])))
        ):
            raise TableError(f"the {kind} lines are not one per entity of the kind, sorted by id")
        del ids
        self.kind = kind
        self._block = block
        self._starts = starts
        self._cache: dict[int, Entity] = {}
        self._others: Callable[[str], Entity | None] | None = None  # set by read_compiled
        self._link = LINK_FIELDS.get(kind)
        self._count = count
        spec = SPECS[kind]
        self._make = spec.build_entity
        # A linked kind's entity that links to nothing, built without
        # looking for its link again (see __getitem__).
        self._make_linked = spec.make if isinstance(spec, LinkedKindSpec) else None
        self._of_fields = spec.of_fields  # (None for a kind without the shortcut)

    def __len__(self) -> int:
        return self._count

    def _line(self, i: int) -> bytes:
        return self._block[self._starts[i] : self._starts[i + 1] - 1]

    def id_at(self, i: int) -> str:
        return self._line(i).partition(b"\t")[0].decode("utf-8")

    def index_of(self, entity_id: str) -> int | None:
        try:
            target = entity_id.encode("utf-8")
        except UnicodeEncodeError:
            return None
        n = len(self)
        i = bisect_left(range(n), target, key=lambda j: self._line(j).partition(b"\t")[0])
        return i if i < n and self._line(i).partition(b"\t")[0] == target else None

    def id_bytes(self) -> list[bytes]:
        """Every id, as UTF-8, in order."""
        return re.findall(rb"^([^\t\n]*)\t", self._block, re.MULTILINE)

    def ids(self) -> Iterator[str]:
        for i in range(len(self)):
            yield self.id_at(i)

    @overload
    def __getitem__(self, i: int) -> Entity: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Entity]: ...
    def __getitem__(self, i: int | slice) -> Entity | Sequence[Entity]:
        if i.__class__ is int and 0 <= i < self._count:
            found = self._cache.get(i)
            return self._build(i) if found is None else found
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = operator.index(i)
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError("entity index out of range")
        return self[i]

    def _build(self, i: int) -> Entity:
        """The entity of line ``i`` (``0 <= i < len(self)``), built and kept."""
        try:
            entity_id, name, aliases, fields = self._parts(i)
            raw = {} if fields == "{}" else _fields_of(fields)
            # A record the kind builds as it is (a person's names alone), or the general way.
            made = None if self._of_fields is None else self._of_fields(entity_id, name, aliases, raw)
            if made is None:
                raw = _record(entity_id, name, aliases, raw)
                link = self._link
                if link is None:
                    made = self._make(raw, self._find)
                elif link not in raw:
                    made = self._make_linked(raw, None, self._find)  # type: ignore[misc]
                else:
                    return self._linked(i, raw)
            return self._keep(i, made)
        except TableError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, RuntimeError, RecursionError) as exc:
            raise TableError(f"compiled table: {self.kind} line {i + 1} is malformed: {exc}") from exc

    def _parts(self, i: int) -> tuple[str, str, Sequence[str], str]:
        """The id, name, aliases and fields (as JSON) of line ``i``, its
        name and aliases checked."""
        starts = self._starts
        try:
            entity_id, name, listed, fields = self._block[starts[i] : starts[i + 1] - 1].decode("utf-8").split("\t")
        except UnicodeDecodeError:
            raise
        except ValueError:
            raise ValueError("it is not an id, a name, aliases and fields apart") from None
        if not name:
            raise ValueError("it has no name")
        if not listed:
            return entity_id, name, (name,), fields  # its name alone (the tuple an entity keeps)
        aliases = _json_of(listed)
        try:
            "".join(aliases)  # (raises TypeError for anything but strings)
        except TypeError:
            aliases = None
        if type(aliases) is not list or name not in aliases:
            raise ValueError("its aliases are not strings, its name among them")
        return entity_id, name, aliases, fields

    def _raw(self, i: int) -> dict[str, Any]:
        """The record of line ``i``, as a kind builds its entity from it."""
        entity_id, name, aliases, fields = self._parts(i)
        return _record(entity_id, name, aliases, {} if fields == "{}" else _fields_of(fields))

    def _linked(self, i: int, raw: dict[str, Any]) -> Entity:
        """The entity of line ``i`` (read: ``raw``), which links to another
        of its kind (an organisation's parent, a weapon's family): the
        entities its link leads to first, from the farthest down, without
        recursion (a chain may be as long as the table)."""
        link = self._link
        assert link is not None
        chain = [(i, raw)]
        seen = {i}
        while True:
            target = chain[-1][1].get(link)
            if not isinstance(target, str) or target.partition(":")[0] != self.kind:
                break
            j = self.index_of(target)
            if j is None or j in self._cache:
                break  # a shipped (or added) entity, or one built already: _find finds it
            if j in seen:
                raise TableError(f"compiled table: the {link} links through {brief(target)} form a cycle")
            seen.add(j)
            chain.append((j, self._raw(j)))
        built: Entity | None = None
        for j, record in reversed(chain):
            built = self._keep(j, self._make(record, self._find))
        assert built is not None
        return built

    def _keep(self, i: int, built: Entity) -> Entity:
        """Cache ``built``, the entity of line ``i``; a full cache starts
        again empty (an eviction per entity, oldest out, took a quarter of
        the time of a look-up that builds one; this costs one rebuild of
        each entity still asked for per :data:`ENTITY_CACHE_SIZE` built).
        Safe without a lock: each step is one operation on a dict."""
        cache = self._cache
        if len(cache) >= ENTITY_CACHE_SIZE:
            cache.clear()
        cache[i] = built
        return built

    def _find(self, entity_id: str) -> Entity | None:
        """What an entity refers to: another of this table, another kind of
        it, or a shipped entity; one that is none of them is an error (the
        compile step checked every reference)."""
        found: Entity | None = None
        if entity_id.partition(":")[0] == self.kind:
            j = self.index_of(entity_id)
            if j is not None:
                found = self[j]
        if found is None and self._others is not None:
            found = self._others(entity_id)
        if found is None:
            raise TableError(f"compiled table: a {self.kind} refers to {brief(entity_id)}, which is not known")
        return found


class _ById(Mapping[str, Entity]):
    """A compiled kind's entities by id (found by bisection)."""

    def __init__(self, lines: _EntityLines) -> None:
        self._lines = lines

    def __getitem__(self, k: str) -> Entity:
        i = self._lines.index_of(k) if isinstance(k, str) else None
        if i is None:
            raise KeyError(k)
        return self._lines[i]

    def get(self, k: str, default: Any = None) -> Any:
        i = self._lines.index_of(k) if isinstance(k, str) else None
        return default if i is None else self._lines[i]

    def __contains__(self, k: object) -> bool:
        return isinstance(k, str) and self._lines.index_of(k) is not None

    def __iter__(self) -> Iterator[str]:
        return self._lines.ids()

    def __len__(self) -> int:
        return len(self._lines)


@attrs.define(eq=False)
class CompiledKind:
    """One kind of a compiled table, with the interface of a shipped table
    (:class:`geonorm.shipped.ShippedTable`) that resolution reads."""

    kind: str
    entities: _EntityLines
    keys: CompiledKeys
    by_id: Mapping[str, Entity] = attrs.field(init=False)
    #: The kind's refinement of the common key (None where it keeps it).
    refine: Callable[[str], str] | None = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.by_id = _ById(self.entities)
        self.refine = refinement(self.kind)


@attrs.frozen
class CompiledPatterns:
    """Where a compiled table's file holds its extraction patterns."""

    offset: int
    length: int
    kinds: tuple[str, ...]
    sha256: str

    def read(self, path: str) -> tuple[mmap.mmap, FileBytes]:
        """The file mapped (to read the patterns once, in order), its
        patterns checked against their digest, and the file opened to read
        a pattern's line where a text first matches it (no page of it kept
        in the process). Raises :class:`~geonorm.TableError` where they do
        not match (the file changed since it was loaded, or is damaged)."""

        try:
            with open(path, "rb") as fh:
                # Checked a piece at a time (read, not mapped: no page of
                # the file counts in the process's memory).
                fh.seek(self.offset)
                if _digest_of(fh, self.length) != self.sha256:
                    raise TableError(
                        f"{path}: damaged or changed since it was loaded (its patterns do not match); reload it"
                    )
                data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            return data, FileBytes(path)
        except TableError:
            raise
        except (OSError, ValueError) as exc:
            raise TableError(f"{path}: its extraction patterns cannot be read: {exc}") from exc


class FileBytes:
    """The bytes of a file, read where asked (:func:`os.pread`, or a seek
    and a read where the system has no ``pread``): what
    :class:`~geonorm.extraction.patterns.PatternTable` reads of a compiled
    table's pattern lines once they are loaded, so that the pages of the
    file a scan meets take no memory of the process. The file stays open
    while the object lives."""

    #: How much is read at a time to find a byte.
    STEP: Final = 512

    def __init__(self, path: str) -> None:
        import threading

        self.path = path
        self._file = open(path, "rb")  # noqa: SIM115 - open while the matcher that reads it lives
        self._lock = threading.Lock()
        self._stamp = self._stat()

    def _stat(self) -> tuple[int, int]:
        found = os.fstat(self._file.fileno())
        return found.st_size, found.st_mtime_ns

    def __del__(self) -> None:
        file = getattr(self, "_file", None)  # (none where opening it failed)
        if file is not None:
            file.close()

    def _read(self, start: int, size: int) -> bytes:
        if self._stat() != self._stamp:
            # Written over in place since it was read (its lines may have
            # moved): no answer from it is sound.
            raise TableError(
                f"{self.path}: changed since a registry first extracted with it; load it into a new Registry"
            )
        if hasattr(os, "pread"):
            return os.pread(self._file.fileno(), size, start)
        with self._lock:
            self._file.seek(start)
            return self._file.read(size)

    def find(self, sub: bytes, start: int) -> int:
        """Where the byte ``sub`` next is from ``start``, or -1."""
        at = start
        while True:
            piece = self._read(at, self.STEP)
            if not piece:
                return -1
            found = piece.find(sub)
            if found >= 0:
                return at + found
            at += len(piece)

    def __getitem__(self, where: slice) -> bytes:
        start, stop = where.start or 0, where.stop
        return self._read(start, max(stop - start, 0))


@attrs.define(eq=False)
class CompiledTable:
    """A compiled table, loaded (:func:`read_compiled`). It pickles as its
    path and digest: unpickling reads the same file again, and refuses one
    that changed."""

    #: The absolute path of the file.
    path: str
    digest: str
    kinds: dict[str, CompiledKind]
    #: Names for shipped entities and ``[[not_<kind>]]`` lists, applied as a load applies them.
    rest: TableFile | None
    #: The keys of every kind (:attr:`CompiledKind.keys` are its parts).
    index: KeyIndex
    #: Where the file holds the table's extraction patterns (read when a
    #: registry first extracts with the table): their offset and length
    #: in bytes, the kinds they are of, and their SHA-256 digest.
    patterns: CompiledPatterns | None = None
    _by_code: tuple[CompiledKind, ...] = attrs.field(init=False)
    _refining: tuple[tuple[int, CompiledKind], ...] = attrs.field(init=False)
    _as_they_are: tuple[Sequence[Entity] | None, ...] = attrs.field(init=False)
    #: What :mod:`geonorm.resolution` derives from the table and the shipped
    #: tables' keys (the ids of the keys they share), with the shipped
    #: tables' state it was derived for; None until it is.
    shipped_overlap: tuple[object, frozenset[int]] | None = attrs.field(init=False, default=None)

    def __attrs_post_init__(self) -> None:
        self._by_code = tuple(self.kinds.values())
        self._refining = tuple((code, ck) for code, ck in enumerate(self._by_code) if ck.refine is not None)
        # Per kind code (a byte): the entities of a kind that takes its keys
        # as they are (no refinement), None for the others and for MIXED.
        as_they_are: list[Sequence[Entity] | None] = [None] * 256
        for code, ck in enumerate(self._by_code):
            if ck.refine is None:
                as_they_are[code] = ck.entities
        self._as_they_are = tuple(as_they_are)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_reread, (self.path, self.digest))

    def named_by(self, k: str) -> tuple[ix.Entries, Sequence[Entity], int] | bool:
        """What the kinds of the table have under the key ``k`` (each
        under its refinement of it): the entries, the kind's entities and
        the id of the key they are under (-1 for a refinement of ``k``
        other than ``k``) where one kind has it, True where several do,
        False where none does; one look-up in the :class:`KeyIndex` (and
        one more a kind that refines ``k`` into another key).

        An ASCII key's refinement is the key or the key with its spaces
        taken out (:meth:`KindSpec.refine <geonorm.kinds.base.KindSpec.refine>`).
        """
        found: tuple[ix.Entries, Sequence[Entity], int] | bool = False
        index = self.index
        try:
            i = index.trie.get(k) if "\0" not in k else None  # (KeyIndex.id_of, one call the fewer)
        except UnicodeEncodeError:
            i = None  # a lone surrogate: no key has one
        if i is not None:
            code = index.codes[i]
            entities = self._as_they_are[code]
            if entities is not None:
                value: int = index.values[i]
                found = (index.several[i] if value == _SEVERAL else value, entities, i)
            elif code != MIXED:
                ck = self._by_code[code]
                if ck.refine is not None and ck.refine(k) == k:
                    value = index.values[i]
                    found = (index.several[i] if value == _SEVERAL else value, ck.entities, i)
            else:
                for code, entries in index.mixed[i].items():
                    ck = self._by_code[code]
                    if ck.refine is None or ck.refine(k) == k:
                        if found:
                            return True
                        found = (entries, ck.entities, i)
        for code, ck in self._refining:
            assert ck.refine is not None
            refined = ck.refine(k)
            if refined != k and (j := index.id_of(refined)) is not None:
                refined_entries = index.entries_at(j, code)
                if refined_entries is not None:
                    if found:
                        return True
                    found = (refined_entries, ck.entities, -1)
        return found

    def ids_of(self, keys: Iterable[str], joined: Iterable[str] = ()) -> frozenset[int]:
        r"""The ids of the table's keys among ``keys``, and of those that
        are one of ``joined`` (keys without spaces) as they are or with
        spaces between some of their characters ("s 400" of "s400").

        >>> import geonorm, pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "mine.toml").write_text(
        ...     '[[organisation]]\nid = "organisation:kx-9"\nname = "Kx 9"\ntype = "company"\n', encoding="utf-8"
        ... )
        >>> _ = geonorm.compile_table([folder / "mine.toml"], folder / "mine.compiled")
        >>> table = geonorm.compiled.read_compiled(folder / "mine.compiled")
        >>> sorted(table.index.trie.restore_key(i) for i in table.ids_of(["zed"], ["kx9"]))
        ['kx 9', 'kx9']
        """
        index = self.index
        found = {i for i in map(index.id_of, keys) if i is not None}
        trie = index.trie
        for whole in joined:
            if not whole or " " in whole or not _begins_a_key(trie, whole[0]):
                continue
            # Each way of writing it with single spaces that some key begins
            # with, and how many of its characters that way holds.
            stack = [(whole[0], 1)]
            while stack:
                prefix, held = stack.pop()
                if held == len(whole):
                    if (i := index.id_of(prefix)) is not None:
                        found.add(i)
                    continue
                for longer in (prefix + whole[held], prefix + " " + whole[held]):
                    if _begins_a_key(trie, longer):
                        stack.append((longer, held + 1))
        return frozenset(found)

    def get(self, entity_id: str) -> Entity | None:
        table = self.kinds.get(entity_id.partition(":")[0])
        return table.by_id.get(entity_id) if table is not None else None

    def strong_owner(self, kind: str, k: str) -> str | None:
        """The entity whose strong user name the key ``k`` of ``kind`` is, or None."""
        table = self.kinds.get(kind)
        found = table.keys.get(k) if table is not None else None
        if found is None:
            return None
        assert table is not None
        for entry in ix.entries_of(found):
            if (entry >> ix.TYPE_SHIFT) & ix.TYPE_MASK == ix.USER:
                return table.entities.id_at(entry >> ix.ENTITY_SHIFT)
        return None

    def strong_names(self, kind: str) -> Iterator[tuple[str, str]]:
        """``(key, entity id)`` for every strong user name of ``kind``."""
        table = self.kinds.get(kind)
        if table is None:
            return
        for k, entries in table.keys.packed_items():
            for entry in entries:
                if (entry >> ix.TYPE_SHIFT) & ix.TYPE_MASK == ix.USER:
                    yield k, table.entities.id_at(entry >> ix.ENTITY_SHIFT)
                    break


def _begins_a_key(trie: Any, prefix: str) -> bool:
    """Whether a key of ``trie`` begins with ``prefix`` (False for a prefix
    no key can hold: one with "\0" or a lone surrogate)."""
    if "\0" in prefix:
        return False
    try:
        return next(trie.iterkeys(prefix), None) is not None
    except UnicodeEncodeError:
        return False


def _reread(path: str, digest: str) -> CompiledTable:
    table = read_compiled(path)
    if table.digest != digest:
        raise TableError(f"{path}: not the compiled table that was pickled (it changed); recompile or reload it")
    return table


# -- writing ------------------------------------------------------------------


def compile_table(
    sources: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
) -> dict[str, int]:
    """Validate the TOML table files ``sources`` together, as
    :meth:`Registry.load <geonorm.Registry.load>` would, and write them to
    ``out`` as one compiled table, which :meth:`Registry.load_compiled
    <geonorm.Registry.load_compiled>` loads in a fraction of the time and
    memory, with the extraction patterns of the table's names, which
    :meth:`Registry.extract <geonorm.Registry.extract>` reads from the file
    without deriving them again. Returns the number of new entities per
    kind. Raises
    :class:`~geonorm.TableError` for any problem in the tables; ``out`` is
    written only when they are sound (through a temporary file, replaced at
    once).

    >>> import tempfile, pathlib, geonorm
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "shops.toml").write_text(
    ...     '[[organisation]]\\nid = "organisation:corner-shop"\\nname = "Corner Shop"\\ntype = "company"\\n')
    >>> geonorm.compile_table([d / "shops.toml"], d / "shops.compiled")
    {'organisation': 1}
    >>> mine = geonorm.Registry()
    >>> mine.load_compiled(d / "shops.compiled")
    >>> mine.resolve("CORNER SHOP").id
    'organisation:corner-shop'
    """
    from .registry import Registry

    if isinstance(sources, (str, bytes, os.PathLike)):
        raise TypeError("sources must be a list of paths of table files")
    files = read_tables(sources)
    staging = Registry()
    staging._extend(files)  # every check a load makes
    ov = staging._ov
    text, counts = _compiled_text(files, ov)
    target = Path(out)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(text)
    tmp.replace(target)
    return counts


def _compiled_text(files: Sequence[TableFile], ov: Overlay) -> tuple[bytes, dict[str, int]]:
    import hashlib

    import marisa_trie

    new_ids = {eid for ids in ov.new.values() for eid in ids}
    records = {rec.id: rec for tf in files for rec in tf.records if rec.id in new_ids and not rec.addition}
    # Names of entities the table does not define (shipped ones), as the
    # load applies them: every name field of the record, typed as there.
    rest_records: list[list[Any]] = []
    rest_not: dict[str, list[str]] = {}
    for tf in files:
        for rec in tf.records:
            if rec.id in new_ids:
                continue
            names = {f: [v] if isinstance(v, str) else list(v) for f, v in rec.fields.items() if f in NAME_FIELDS}
            if names or not rec.addition:
                # A definition of a shipped id counts as one (an id is defined once).
                rest_records.append([rec.kind, rec.id, names, not rec.addition])
        for kind, blocked in tf.not_names.items():
            rest_not.setdefault(kind, []).extend(blocked)
    blocks: list[bytes] = []
    layout: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    # Key -> (the kind's code, its entries best first) for each kind that has it.
    by_key: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
    for kind in KINDS:
        ids = sorted(ov.new.get(kind, ()), key=lambda s: s.encode("utf-8"))
        if not ids:
            continue
        code = len(layout)
        position = {eid: i for i, eid in enumerate(ids)}
        lines = []
        for eid in ids:
            raw = raw_entity(records[eid])
            del raw["id"]
            name = raw.pop("name")
            raw.pop("aliases", None)
            for field in [field for field, value in raw.items() if value == []]:
                del raw[field]  # every kind reads a list left out as empty (a person's roles)
            aliases = list(ov.entities[eid].aliases)
            listed = "" if aliases == [name] else json.dumps(aliases, ensure_ascii=False, separators=(",", ":"))
            fields = json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            lines.append(f"{eid}\t{name}\t{listed}\t{fields}\n")
        entity_block = "".join(lines).encode("utf-8")
        del lines
        for k, entries in ov.keys.get(kind, {}).items():
            if "\t" in k or "\n" in k or "\0" in k:
                raise TableError(f"a {kind} key holds a tab, newline or NUL: {k!r}")
            # Every entry of the table's entities, as the load keeps them
            # (an entity may have several aliases under one key: "KAL" and
            # "Kal"), best first, in the order of the tables among equals.
            packed: dict[int, float] = {}
            for eid, alias, etype in entries:
                i = position.get(eid)
                if i is None:
                    continue  # a name of a shipped entity: in the rest, applied at load
                j = ov.entities[eid].aliases.index(alias)
                if j >= ix.ALIAS_LIMIT:
                    raise TableError(f"{eid} has {ix.ALIAS_LIMIT:,} aliases or more")
                acronym = 1 if ix.is_acronym(fold(alias)) else 0
                entry = (i << ix.ENTITY_SHIFT) | (j << ix.ALIAS_SHIFT) | (etype << ix.TYPE_SHIFT) | acronym
                packed.setdefault(entry, ix.SCORES[etype])
            if packed:
                ranked = sorted(packed, key=lambda e: -packed[e])  # stable: the tables' order among equals
                by_key.setdefault(k, []).append((code, tuple(ranked)))
        blocks.append(entity_block)
        layout.append({"kind": kind, "entities": len(ids), "entity_bytes": len(entity_block)})
        counts[kind] = len(ids)
    trie = marisa_trie.Trie(list(by_key), **TRIE_OPTIONS)
    in_id_order = sorted(by_key, key=trie.key_id)
    values: list[str] = []
    codes: list[str] = []
    several: list[str] = []
    for k in in_id_order:
        found = by_key[k]
        if len(found) == 1 and len(found[0][1]) == 1:
            values.append(f"{found[0][1][0]:016x}\n")
        else:
            values.append(f"{_SEVERAL & 0xFFFFFFFFFFFFFFFF:016x}\n")
            several.extend(f"{k}\t{code}\t{','.join(map(str, ranked))}\n" for code, ranked in found)
        codes.append(f"{found[0][0]}\n" if len(found) == 1 else "*\n")
    key_block = "".join(f"{k}\n" for k in in_id_order).encode("utf-8")
    key_blocks = {
        "key_bytes": key_block,
        "value_bytes": "".join(values).encode("ascii"),
        "kind_bytes": "".join(codes).encode("ascii"),
        "several_bytes": "".join(sorted(several)).encode("utf-8"),
    }
    patterns_kinds = [part["kind"] for part in layout]
    patterns_block = _patterns_block(ov, new_ids, patterns_kinds)
    body = b"".join([*key_blocks.values(), *blocks])
    head = {
        "format": FORMAT_NAME,
        "version": VERSION,
        "geonorm": _geonorm_version(),
        "index_format": ix.FORMAT,
        "kinds": layout,
        "keys": {"keys": len(in_id_order), **{name: len(block) for name, block in key_blocks.items()}},
        "rest": {"records": rest_records, "not": rest_not},
        "sha256": hashlib.sha256(body).hexdigest(),
        "patterns": {
            "bytes": len(patterns_block),
            "kinds": patterns_kinds,
            "sha256": hashlib.sha256(patterns_block).hexdigest(),
        },
    }
    head_line = json.dumps(head, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
    return head_line + body + patterns_block, counts


def _patterns_block(ov: Overlay, new_ids: set[str], kinds: list[str]) -> bytes:
    """The extraction patterns of the table's new entities, in the format
    of ``patterns.tsv`` (:func:`geonorm.extraction.patterns.dump`): those
    after a space first, by the part of a
    :class:`~geonorm.extraction.trie.PatternTrie` that holds them, each
    part's in the order a MARISA trie of them numbers them; then the others. Each
    pattern's candidates are the table's own: a registry that extracts
    with the table adds what the shipped tables and its other tables give
    the same pattern."""
    import marisa_trie

    from .extraction import patterns as pt
    from .extraction.matcher import load_rules, matcher, not_surnames
    from .extraction.trie import PARTS, part_of

    rules = load_rules()
    builder = pt.PatternBuilder(rules)
    for kind in sorted(kinds):
        if kind not in SPECS:
            continue
        names: dict[tuple[str, str], tuple[Entity, str, int]] = {}
        for entries in ov.keys.get(kind, {}).values():
            for eid, alias, etype in entries:
                if eid in new_ids:
                    names.setdefault((eid, alias), (ov.entities[eid], alias, etype))
        builder.add_names(kind, names.values())
        del names
    # As when one builder derives these patterns with the shipped ones (a
    # registry that extracts with the table adds the shipped candidates of
    # a pattern both have): no bare surname that a shipped pattern has, and
    # the entry after CJK letters of a pattern whose shipped candidates
    # have one.
    shipped = matcher()

    def after_script_shipped(pattern: str) -> bool:
        pid = shipped.find(pattern)
        return pid is not None and any(map(pt.after_script, shipped.entries[pid][1]))

    builder.add_surnames(not_surnames(rules), known=lambda word: shipped.find(word) is not None)
    made = pt.entries(builder.patterns, builder.surnames, after_script_shipped)
    del builder.patterns
    spaced = [entry for entry in made if entry[1] == pt.START_SPACE]
    others = [entry for entry in made if entry[1] != pt.START_SPACE]
    del made
    in_order: list[pt.Entry] = []
    for part in range(PARTS):
        group = [entry for entry in spaced if part_of(entry[0]) == part]
        trie = marisa_trie.Trie([entry[0] for entry in group], num_tries=1)
        in_order += sorted(group, key=lambda entry: trie.key_id(entry[0]))
    return pt.dump(kinds, in_order + others, builder.symbols, builder.demonyms).encode("utf-8")


# -- reading ------------------------------------------------------------------

#: The longest header line read (it lists the names a table gives shipped
#: entities, so it may be long; not without end).
MAX_HEADER_BYTES: Final = 64 * 1024 * 1024
#: How much of a compiled table's patterns is read at a time to check them.
_PIECE_BYTES: Final = 1 << 23
_KEY_BLOCKS = ("key_bytes", "value_bytes", "kind_bytes", "several_bytes")
#: The kinds a compiled table may define (the countries and currencies come from the standards).
_COMPILED_KINDS = frozenset(KINDS) - {"country", "currency"}
#: A kind's digit in the kinds block to its code ("*": several kinds).
_CODES: Final = bytes.maketrans(b"0123456789*", bytes([*range(10), MIXED]))


def read_compiled(path: str | os.PathLike[str]) -> CompiledTable:
    """Load a compiled table written by :func:`compile_table`. Raises
    :class:`~geonorm.TableError` for a file that is not one, is damaged, or
    was written by another version of geonorm (recompile it)."""
    shown = str(path)
    try:
        return _read(Path(path), shown)
    except TableError as exc:
        message = str(exc)
        raise TableError(message if message.startswith(shown) else f"{shown}: {message}") from exc
    except RecursionError as exc:
        raise TableError(f"{shown}: malformed (nested too deeply)") from exc


def _read(p: Path, shown: str) -> CompiledTable:
    import hashlib

    if not p.is_file():
        raise TableError("not a regular file")
    with p.open("rb") as fh:
        line = fh.readline(MAX_HEADER_BYTES)
        try:
            head = json.loads(line) if line.endswith(b"\n") else None
        except ValueError:
            head = None
        if not isinstance(head, dict) or head.get("format") != FORMAT_NAME:
            raise TableError("not a compiled geonorm table (write one with geonorm.compile_table)")
        if head.get("version") != VERSION or head.get("index_format") != ix.FORMAT:
            raise TableError("a compiled table of another layout; recompile it with this geonorm")
        if head.get("geonorm") != _geonorm_version():
            raise TableError(
                f"compiled with geonorm {head.get('geonorm')}, this is {_geonorm_version()}; "
                "recompile it (its keys follow the normalisation of the version that wrote it)"
            )
        layout, sizes, patterns = head.get("kinds"), head.get("keys"), head.get("patterns")
        if (
            not isinstance(patterns, dict)
            or not isinstance(layout, list)
            or not isinstance(patterns.get("bytes"), int)
            or patterns["bytes"] < 0
            or not isinstance(patterns.get("sha256"), str)
            or patterns.get("kinds") != [part.get("kind") for part in layout if isinstance(part, dict)]
        ):
            raise TableError("malformed header")
        if (
            not isinstance(layout, list)
            or not isinstance(sizes, dict)
            or not all(
                isinstance(part, dict)
                and part.get("kind") in _COMPILED_KINDS
                and all(isinstance(part.get(b), int) and part[b] >= 0 for b in ("entities", "entity_bytes"))
                for part in layout
            )
            or len({part["kind"] for part in layout}) != len(layout)
            or not all(isinstance(sizes.get(b), int) and sizes[b] >= 0 for b in ("keys", *_KEY_BLOCKS))
        ):
            raise TableError("malformed header")
        # Every block read (no more than the header says, nor than the file
        # holds) and the digest checked before anything is used. The keys
        # come first and go into their index before the entity lines are
        # read: the trie's build takes, for a million keys, memory that the
        # entity lines would add to. A file whose digest does not match is
        # "damaged", whatever its keys' blocks held.
        lengths = [sizes[b] for b in _KEY_BLOCKS] + [part["entity_bytes"] for part in layout]
        if sum(lengths) + patterns["bytes"] != os.fstat(fh.fileno()).st_size - len(line):
            raise TableError("damaged (its blocks do not add up to its length); recompile it")
        digest = hashlib.sha256()

        def read(length: int) -> bytes:
            block = fh.read(length)
            digest.update(block)
            return block

        index: KeyIndex | None = None
        problem: Exception | None = None
        key_blocks = [read(sizes[b]) for b in _KEY_BLOCKS]
        try:
            index = _key_index(sizes, len(layout), key_blocks)  # (which lets each block go once read)
        except (KeyError, TypeError, ValueError) as exc:
            problem = exc
        entity_blocks = [read(part["entity_bytes"]) for part in layout]
        # The patterns are checked against their own digest here, a piece
        # at a time, and read when a registry first extracts with the table
        # (and checked again then).
        where = fh.tell()
        patterns_digest = _digest_of(fh, patterns["bytes"])
        if fh.read(1) or digest.hexdigest() != head.get("sha256") or patterns_digest != patterns["sha256"]:
            raise TableError("damaged (its content does not match its digest); recompile it")
    try:
        if problem is not None:
            raise problem
        assert index is not None
        lines = [_EntityLines(part["kind"], entity_blocks[n], part["entities"]) for n, part in enumerate(layout)]
        del entity_blocks
        _check_entries(index, [(part["kind"], part["entities"]) for part in layout])
        kinds = {
            part["kind"]: CompiledKind(kind=part["kind"], entities=lines[n], keys=CompiledKeys(index, n))
            for n, part in enumerate(layout)
        }
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, TableError):
            raise
        raise TableError(f"malformed: {type(exc).__name__}: {exc}") from exc
    table = CompiledTable(
        path=str(p.resolve()),
        digest=digest.hexdigest(),
        kinds=kinds,
        rest=_rest(head, shown),
        index=index,
        patterns=CompiledPatterns(where, patterns["bytes"], tuple(patterns["kinds"]), patterns["sha256"]),
    )
    for ck in kinds.values():
        ck.entities._others = _others_of(table)
    return table


def _digest_of(fh: Any, length: int) -> str | None:
    """The SHA-256 digest of the next ``length`` bytes of the file ``fh``,
    read a piece at a time; None where the file ends before."""
    import hashlib

    digest = hashlib.sha256()
    while length > 0:
        piece = fh.read(min(length, _PIECE_BYTES))
        if not piece:
            return None
        digest.update(piece)
        length -= len(piece)
    return digest.hexdigest()


def _key_index(sizes: Mapping[str, int], kinds: int, blocks: list[bytes]) -> KeyIndex:
    """The table's keys from their blocks (see the module's docstring), in
    the order ``key_bytes``, ``value_bytes``, ``kind_bytes``,
    ``several_bytes``; ``blocks`` is emptied, each let go once read."""
    count = sizes["keys"]
    several_block = blocks.pop()
    listed: list[tuple[str, int, tuple[int, ...]]] = []
    for text in str(several_block, "utf-8").splitlines():
        k, code, packed = text.split("\t")
        listed.append((k, int(code), tuple(map(int, packed.split(",")))))
    del several_block
    kind_block = blocks.pop()
    if len(kind_block) != 2 * count or kind_block[1::2].count(b"\n") != count:
        raise TableError("the kinds are not one a key")
    codes = kind_block[0::2]
    del kind_block
    if codes.translate(None, "".join(map(str, range(kinds))).encode("ascii") + b"*"):
        raise TableError("a key is of a kind the table lacks")
    codes = codes.translate(_CODES)
    value_block = blocks.pop()
    if len(value_block) != 17 * count or value_block[16::17].count(b"\n") != count:
        raise TableError("the entries are not one a key")
    values = array("q", bytes.fromhex(str(value_block, "ascii")))
    del value_block
    if sys.byteorder == "little":
        values.byteswap()
    text = str(blocks.pop(), "utf-8")
    keys = text.split("\n")
    del text
    if len(keys) != count + 1 or keys.pop():
        raise TableError(f"the keys do not hold {count:,} lines")
    return KeyIndex(keys, values, codes, listed, kinds)


def _check_entries(index: KeyIndex, kinds: Sequence[tuple[str, int]]) -> None:
    """Every packed entry names an entity of its kind in the table and a
    known type, and several entries come best first."""
    known = {t << ix.TYPE_SHIFT for t in ix.SCORES}
    mask = ix.TYPE_MASK << ix.TYPE_SHIFT
    scores = ix.SCORES
    for code, (kind, count) in enumerate(kinds):
        several = [entries for i, entries in index.several.items() if index.codes[i] == code]
        several += [ix.entries_of(per_kind[code]) for per_kind in index.mixed.values() if code in per_kind]
        listed = [e for entries in several for e in entries]
        if any(not entries for entries in several) or (listed and min(listed) < 0):
            raise TableError(f"a {kind} key has no entries")
        for entries in several:  # best first, as the look-ups read them
            ranked = [scores.get((e >> ix.TYPE_SHIFT) & ix.TYPE_MASK, 0.0) for e in entries]
            if ranked != sorted(ranked, reverse=True):
                raise TableError(f"a {kind} key has its entries out of order")
        mine = index.codes.translate(bytes(c == code for c in range(256)))  # 1 where the key is the kind's alone
        values = array("q", itertools.compress(index.values, mine))
        for group in (values, listed):
            if not group:
                continue
            if min(group) < _SEVERAL or max(group) >> ix.ENTITY_SHIFT >= count:
                raise TableError(f"a {kind} key names an entity the table lacks")
            if not {e & mask for e in group if e != _SEVERAL} <= known:
                raise TableError(f"a {kind} key has an entry of an unknown type")


def _rest(head: Mapping[str, Any], shown: str) -> TableFile | None:
    """The names the table gives shipped entities, and its not-lists, as a
    table file that the overlay applies."""
    rest = head.get("rest")
    where = f"{shown} (names for shipped entities)"
    if not isinstance(rest, dict) or not isinstance(rest.get("records"), list) or not isinstance(rest.get("not"), dict):
        raise TableError("malformed header")
    records: list[Record] = []
    for n, item in enumerate(rest["records"], 1):
        if not (
            isinstance(item, list)
            and len(item) == 4
            and isinstance(item[3], bool)
            and item[0] in KINDS
            and isinstance(item[1], str)
            and item[1].startswith(f"{item[0]}:")
            and isinstance(item[2], dict)
            and all(
                f in NAME_FIELDS and isinstance(v, list) and all(isinstance(x, str) for x in v)
                for f, v in item[2].items()
            )
        ):
            raise TableError("malformed header (names for shipped entities)")
        kind, eid, names, defines = item
        for field, values in names.items():
            _check_strs(values, f"{where}: {eid}", field)  # as a table's names are checked
        records.append(Record(kind=kind, id=eid, fields=names, path=where, position=n, addition=not defines))
    not_names: dict[str, tuple[str, ...]] = {}
    for kind, names in rest["not"].items():
        if kind not in KINDS:
            raise TableError("malformed header (not-lists)")
        not_names[kind] = tuple(_check_strs(names, f"{where}: not_{kind}", "names"))
    if not records and not not_names:
        return None
    return TableFile(path=where, as_of=None, records=tuple(records), language=None, not_names=not_names, extra={})


def _others_of(table: CompiledTable, before: Mapping[str, Entity] | None = None) -> Callable[[str], Entity | None]:
    """How the entities of ``table`` find those they refer to: the
    registry's versions of them when it was loaded (``before``), as a load
    builds new entities with the registry's versions, then the table's own,
    then the shipped ones."""
    from .shipped import lookup

    def find(entity_id: str) -> Entity | None:
        return (before.get(entity_id) if before else None) or table.get(entity_id) or lookup(entity_id)

    return find


def refer_through(table: CompiledTable, before: Mapping[str, Entity]) -> None:
    """Make the entities of ``table`` refer to the versions of other
    entities in ``before`` (a registry's additions, when the table is
    loaded into it)."""
    for ck in table.kinds.values():
        ck.entities._others = _others_of(table, before)
