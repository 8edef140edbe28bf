"""Compiled user tables: a large table of one's own, validated once and
loaded in seconds into a compact form.

:func:`compile_table` reads TOML table files (the format that
:meth:`Registry.load <geonorm.Registry.load>` reads), validates them exactly
as a load does, and writes one text file: a JSON header line, then, for each
kind with new entities, three blocks of lines:

* ``<id>\\t<entity as JSON>``, one per entity, sorted by id (the entity's
  index is its line number in the block);
* ``<key>\\t<entry>``, one per normalisation key with one entry, where the
  entry packs the entity's index, the alias's index among its aliases, the
  entry type and the acronym bit as :mod:`geonorm.index` packs the shipped
  keys' entries;
* ``<key>\\t<entry>,<entry>...`` for the keys with several entries, best
  first.

The header names the format, the geonorm version that wrote it (its keys
are that version's normalisation, so another version refuses the file), the
byte length of every block and a SHA-256 digest of the body; names that the
tables add to shipped entities and their ``[[not_<kind>]]`` lists travel in
the header as table data and are applied as :meth:`Registry.load
<geonorm.Registry.load>` would apply them.

:func:`read_compiled` loads such a file without building a Python object
per entity or per key: the keys go into a MARISA trie (marisa-trie) with
their entries in an integer array (the key block is written in the trie's
own id order, so the array is the block's values as they stand), and the
entity lines stay one bytes object, each entity built from its line when a
look-up returns it and kept in a bounded cache. The file is text and JSON:
loading it runs no code and reads no pickle.
"""

from __future__ import annotations

import json
import os
import re
import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload

import attrs

from . import index as ix
from .kinds import SPECS
from .model import KINDS, Entity
from .tables import NAME_FIELDS, TableError, TableFile, parse_table, raw_entity, read_tables
from .text import fold

if TYPE_CHECKING:
    from .fuzzy import FuzzyIndex
    from .overlay import Overlay

__all__ = ["FORMAT_NAME", "VERSION", "CompiledKeys", "CompiledKind", "CompiledTable", "compile_table", "read_compiled"]

#: The ``format`` of a compiled table's header.
FORMAT_NAME: Final = "geonorm-compiled-table"
#: The version of the layout below the header.
VERSION: Final = 1
#: Entities built from their lines and kept, per kind of a compiled table.
ENTITY_CACHE_SIZE: Final = 65_536
_SEVERAL: Final = -1  # in the entry array: the key has several entries, kept in a dict
_SPLIT = re.compile(r"[\t\n]")
_T = TypeVar("_T")


def _geonorm_version() -> str:
    import geonorm

    return str(geonorm.__version__)


class CompiledKeys(Mapping[str, ix.Entries]):
    """Key -> packed entries (:func:`geonorm.index.entries_of`) of one kind
    of a compiled table: the keys in a MARISA trie, the entries in an array
    indexed by the trie's key ids. :attr:`plain` is the mapping itself (the
    resolver's fast path asks it first, as it asks the shipped keys' dict).
    """

    __slots__ = ("_several", "_trie", "_values")

    def __init__(self, keys: Sequence[str], values: array[int], several: Mapping[str, tuple[int, ...]]) -> None:
        import marisa_trie

        trie = marisa_trie.Trie(keys)
        if len(trie) != len(keys):
            raise TableError("compiled table lists a key twice")
        n = len(keys)
        # The block is written in the trie's id order: check it (a sample,
        # and the ends), and put the entries in that order where it is not
        # (another marisa-trie may number the keys otherwise).
        step = max(1, n // 1000)
        if any(trie.key_id(keys[i]) != i for i in [*range(0, n, step), n - 1] if n):
            ordered = array("q", bytes(8 * n))
            for k, v in zip(keys, values, strict=True):
                ordered[trie.key_id(k)] = v
            values = ordered
        self._trie = trie
        self._values = values
        self._several: dict[int, tuple[int, ...]] = {}
        for k, entries in several.items():
            i = trie.get(k)
            if i is None or values[i] != _SEVERAL:
                raise TableError("compiled table has entries for a key it does not list")
            self._several[i] = entries

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
        if not isinstance(k, str) or "\0" in k:
            return default
        try:
            i = self._trie.get(k)
        except UnicodeEncodeError:
            return default  # a lone surrogate: no key has one
        if i is None:
            return default
        value: int = self._values[i]
        return self._several[i] if value == _SEVERAL else value

    def __getitem__(self, k: str) -> ix.Entries:
        found = self.get(k)
        if found is None:
            raise KeyError(k)
        return found

    def __contains__(self, k: object) -> bool:
        return isinstance(k, str) and self.get(k) is not None

    def __iter__(self) -> Iterator[str]:
        yield from sorted(self._trie.iterkeys())

    def __len__(self) -> int:
        return len(self._trie)

    def entries(self) -> Iterator[tuple[int, ...]]:
        """The packed entries of every key (in no particular order)."""
        several = self._several
        for i, value in enumerate(self._values):
            yield several[i] if value == _SEVERAL else (value,)


class _EntityLines(Sequence[Entity]):
    """One kind's entities, each built from its line when first asked for
    (and kept, up to :data:`ENTITY_CACHE_SIZE`); the lines are sorted by id,
    so an id is found by bisection."""

    def __init__(self, kind: str, block: bytes, count: int) -> None:
        starts = [0, *(m.end() for m in re.finditer(b"\n", block))]
        if len(starts) != count + 1 or (count and starts[-1] != len(block)):
            raise TableError(f"compiled table: the {kind} block does not hold {count:,} lines")
        self.kind = kind
        self._block = block
        self._starts = array("Q", starts)
        self._cache: OrderedDict[int, Entity] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._starts) - 1

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

    def ids(self) -> Iterator[str]:
        for i in range(len(self)):
            yield self.id_at(i)

    @overload
    def __getitem__(self, i: int) -> Entity: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Entity]: ...
    def __getitem__(self, i: int | slice) -> Entity | Sequence[Entity]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        found = self._cache.get(i)
        if found is not None:
            return found
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("entity index out of range")
        eid, _, body = self._line(i).partition(b"\t")
        try:
            raw = json.loads(body)
            if not isinstance(raw, dict):
                raise ValueError("not an object")
            raw["id"] = eid.decode("utf-8")
            built: Entity = SPECS[self.kind].build_entities([raw], self._find)[0]
        except (ValueError, KeyError, TypeError) as exc:
            raise TableError(f"compiled table: {self.kind} line {i + 1} is malformed: {exc}") from exc
        with self._lock:
            if len(self._cache) >= ENTITY_CACHE_SIZE:
                self._cache.popitem(last=False)  # the oldest (O(1): a dict's first key is not, after many pops)
            self._cache[i] = built
        return built

    def _find(self, entity_id: str) -> Entity | None:
        """What an entity refers to: another of this table, or a shipped one."""
        from .shipped import lookup

        if entity_id.partition(":")[0] == self.kind:
            j = self.index_of(entity_id)
            if j is not None:
                return self[j]
        return self._others(entity_id) if self._others is not None else lookup(entity_id)

    _others: Any = None  # set by CompiledTable: its other kinds' look-up


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
    not_keys: frozenset[str] = frozenset()
    by_id: Mapping[str, Entity] = attrs.field(init=False)
    _fuzzy: FuzzyIndex | None = None
    _fuzzy_lock: threading.Lock = attrs.field(factory=threading.Lock)

    def __attrs_post_init__(self) -> None:
        self.by_id = _ById(self.entities)

    def fuzzy(self) -> FuzzyIndex:
        """The typo index of the kind's keys (built on the first fuzzy look-up)."""
        from .fuzzy import FuzzyIndex
        from .shipped import FUZZY_TYPES

        if self._fuzzy is None:
            with self._fuzzy_lock:
                if self._fuzzy is None:
                    self._fuzzy = FuzzyIndex(
                        k
                        for k in self.keys
                        if k.isascii()
                        and k.count(" ") < 4
                        and any(
                            ((e >> ix.TYPE_SHIFT) & ix.TYPE_MASK) in FUZZY_TYPES for e in ix.entries_of(self.keys[k])
                        )
                    )
        return self._fuzzy


@attrs.define(eq=False)
class CompiledTable:
    """A compiled table, loaded (:func:`read_compiled`)."""

    path: str
    digest: str
    kinds: dict[str, CompiledKind]
    #: Names for shipped entities and ``[[not_<kind>]]`` lists, applied as a load applies them.
    rest: TableFile | None

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


# -- writing ------------------------------------------------------------------


def compile_table(
    sources: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
) -> dict[str, int]:
    """Validate the TOML table files ``sources`` together, as
    :meth:`Registry.load <geonorm.Registry.load>` would, and write them to
    ``out`` as one compiled table, which :meth:`Registry.load_compiled
    <geonorm.Registry.load_compiled>` loads in a fraction of the time and
    memory. Returns the number of new entities per kind. Raises
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
    new_ids = {eid for ids in ov.new.values() for eid in ids}
    records = {rec.id: rec for tf in files for rec in tf.records if rec.id in new_ids and not rec.addition}
    rest: dict[str, list[dict[str, Any]]] = {}
    for tf in files:
        for rec in tf.records:
            if rec.id in new_ids:
                continue
            names = {f: [v] if isinstance(v, str) else list(v) for f, v in rec.fields.items() if f in NAME_FIELDS}
            names = {("aliases" if f == "name" else f): v for f, v in names.items()}
            if names:
                rest.setdefault(rec.kind, []).append({"id": rec.id, **names})
        for kind, blocked in tf.not_names.items():
            rest.setdefault(f"not_{kind}", []).append({"names": list(blocked)})
    blocks: list[bytes] = []
    layout: dict[str, dict[str, int]] = {}
    counts: dict[str, int] = {}
    for kind in KINDS:
        ids = sorted(ov.new.get(kind, ()), key=lambda s: s.encode("utf-8"))
        if not ids:
            continue
        position = {eid: i for i, eid in enumerate(ids)}
        lines = []
        for eid in ids:
            raw = raw_entity(records[eid])
            del raw["id"]
            raw["aliases"] = list(ov.entities[eid].aliases)
            lines.append(f"{eid}\t{json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(',', ':'))}\n")
        entity_block = "".join(lines).encode("utf-8")
        single: dict[str, int] = {}
        several: dict[str, tuple[int, ...]] = {}
        for k, entries in ov.keys.get(kind, {}).items():
            if "\t" in k or "\n" in k or "\0" in k:
                raise TableError(f"a {kind} key holds a tab, newline or NUL: {k!r}")
            best: dict[str, tuple[float, int]] = {}
            for order, (eid, alias, etype) in enumerate(entries):
                i = position.get(eid)
                if i is None:
                    continue  # a name of a shipped entity: in the rest, applied at load
                j = ov.entities[eid].aliases.index(alias)
                if j >= ix.ALIAS_LIMIT:
                    raise TableError(f"{eid} has {ix.ALIAS_LIMIT:,} aliases or more")
                acronym = 1 if ix.is_acronym(fold(alias)) else 0
                packed = (i << ix.ENTITY_SHIFT) | (j << ix.ALIAS_SHIFT) | (etype << ix.TYPE_SHIFT) | acronym
                score = ix.SCORES[etype]
                if eid not in best or score > best[eid][0]:
                    best[eid] = (score, packed, order)  # type: ignore[assignment]
            if not best:
                continue
            ranked = [p for _, p, _ in sorted(best.values(), key=lambda t: (-t[0], t[2]))]  # type: ignore[misc]
            if len(ranked) == 1:
                single[k] = ranked[0]
            else:
                several[k] = tuple(ranked)
                single[k] = _SEVERAL
        import marisa_trie

        trie = marisa_trie.Trie(list(single))
        in_id_order = sorted(single, key=trie.key_id)
        key_block = "".join(f"{k}\t{single[k]}\n" for k in in_id_order).encode("utf-8")
        several_block = "".join(f"{k}\t{','.join(map(str, several[k]))}\n" for k in sorted(several)).encode("utf-8")
        blocks += [entity_block, key_block, several_block]
        layout[kind] = {
            "entities": len(ids),
            "entity_bytes": len(entity_block),
            "keys": len(single),
            "key_bytes": len(key_block),
            "several_bytes": len(several_block),
        }
        counts[kind] = len(ids)
    import hashlib

    body = b"".join(blocks)
    head = {
        "format": FORMAT_NAME,
        "version": VERSION,
        "geonorm": _geonorm_version(),
        "index_format": ix.FORMAT,
        "kinds": layout,
        "rest": rest,
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    return json.dumps(head, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n" + body, counts


# -- reading ------------------------------------------------------------------


def read_compiled(path: str | os.PathLike[str]) -> CompiledTable:
    """Load a compiled table written by :func:`compile_table`. Raises
    :class:`~geonorm.TableError` for a file that is not one, is damaged, or
    was written by another version of geonorm (recompile it)."""
    shown = str(path)
    p = Path(path)
    if not p.is_file():
        raise TableError(f"{shown}: not a regular file")
    data = p.read_bytes()
    newline = data.find(b"\n")
    try:
        head = json.loads(data[:newline]) if newline > 0 else None
    except ValueError:
        head = None
    if not isinstance(head, dict) or head.get("format") != FORMAT_NAME:
        raise TableError(f"{shown}: not a compiled geonorm table (write one with geonorm.compile_table)")
    if head.get("version") != VERSION or head.get("index_format") != ix.FORMAT:
        raise TableError(f"{shown}: a compiled table of another layout; recompile it with this geonorm")
    if head.get("geonorm") != _geonorm_version():
        raise TableError(
            f"{shown}: compiled with geonorm {head.get('geonorm')}, this is {_geonorm_version()}; "
            "recompile it (its keys follow the normalisation of the version that wrote it)"
        )
    import hashlib

    body = memoryview(data)[newline + 1 :]
    if hashlib.sha256(body).hexdigest() != head.get("sha256"):
        raise TableError(f"{shown}: damaged (its content does not match its digest); recompile it")
    kinds: dict[str, CompiledKind] = {}
    layout = head.get("kinds")
    if not isinstance(layout, dict) or not set(layout) <= set(KINDS) - {"country", "currency"}:
        raise TableError(f"{shown}: malformed header")
    at = 0
    try:
        for kind, sizes in layout.items():
            ends = [at + sizes["entity_bytes"]]
            ends.append(ends[0] + sizes["key_bytes"])
            ends.append(ends[1] + sizes["several_bytes"])
            entity_block = bytes(body[at : ends[0]])
            key_text = str(body[ends[0] : ends[1]], "utf-8")
            several_text = str(body[ends[1] : ends[2]], "utf-8")
            at = ends[2]
            lines = _EntityLines(kind, entity_block, sizes["entities"])
            parts = _SPLIT.split(key_text)
            if len(parts) != 2 * sizes["keys"] + 1 or parts[-1]:
                raise TableError(f"{shown}: the {kind} keys do not hold {sizes['keys']:,} lines")
            keys = parts[0:-1:2]
            values = array("q", map(int, parts[1::2]))
            del parts
            several: dict[str, tuple[int, ...]] = {}
            for line in several_text.splitlines():
                k, _, packed = line.partition("\t")
                several[k] = tuple(map(int, packed.split(",")))
            every = [*values, *(e for t in several.values() for e in t)]
            if every and (min(every) < _SEVERAL or max(every) >> ix.ENTITY_SHIFT >= len(lines)):
                raise TableError(f"{shown}: a {kind} key names an entity the table lacks")
            del every
            kinds[kind] = CompiledKind(kind=kind, entities=lines, keys=CompiledKeys(keys, values, several))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, TableError):
            raise
        raise TableError(f"{shown}: malformed: {type(exc).__name__}: {exc}") from exc
    if at != len(body):
        raise TableError(f"{shown}: its blocks do not add up to its length")
    table = CompiledTable(path=shown, digest=str(head["sha256"]), kinds=kinds, rest=None)
    for ck in kinds.values():
        ck.entities._others = _others_of(table)
    rest = head.get("rest") or {}
    if rest:
        table.rest = parse_table(rest, f"{shown} (names for shipped entities)")
    return table


def _others_of(table: CompiledTable) -> Any:
    from .shipped import lookup

    def find(entity_id: str) -> Entity | None:
        return table.get(entity_id) or lookup(entity_id)

    return find
