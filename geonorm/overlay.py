"""Run-time additions to a registry: new entities, new names for shipped
ones, and names a user wants never to match.

An :class:`Overlay` is immutable. Adding builds a new one and the registry
swaps it in with one assignment, so a reader sees either all of a load or
none of it, and a load that fails leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, TypeVar

import attrs

from . import index as ix
from .kinds import SPECS
from .layers import Layers
from .model import Entity
from .tables import LINK_FIELDS, Record, TableError, TableFile, check_links, raw_entity, record_names, references
from .text import brief

if TYPE_CHECKING:
    from .compiled import CompiledTable

__all__ = ["USER_TYPES", "Overlay"]

#: How a user's names are typed: their strong names win over shipped ones.
USER_TYPES = {**ix.NAME_TYPES, "strong": ix.USER}
_SHIPPED_ONLY_KINDS = ("country", "currency")

Entry = tuple[str, str, int]
K = TypeVar("K")
V = TypeVar("V")


@attrs.frozen
class Overlay:
    """What one registry adds to the shipped tables. Its mappings are
    :class:`~geonorm.layers.Layers`, so that an addition costs about the
    size of what it adds, not of what was added before."""

    entities: Mapping[str, Entity] = attrs.field(factory=Layers)
    new: Mapping[str, Mapping[str, None]] = attrs.field(factory=dict)  # kind -> ids of new entities, in order
    keys: Mapping[str, Mapping[str, tuple[Entry, ...]]] = attrs.field(factory=dict)
    blocked: Mapping[str, frozenset[str]] = attrs.field(factory=dict)
    #: (kind, key) -> the entity whose strong user name the key is.
    strong: Mapping[tuple[str, str], str] = attrs.field(factory=Layers)
    #: Where each entity the user defined (an entry with a name and facts,
    #: not names only) was defined: an id is defined once.
    defined: Mapping[str, str] = attrs.field(factory=Layers)
    #: Compiled tables loaded (``Registry.load_compiled``), oldest first:
    #: their entities and keys stay in their compact form, beside the rest.
    compiled: tuple[CompiledTable, ...] = ()
    #: Whether there are additions (names, entities, blocked names;
    #: compiled tables aside): what ``bool()`` of the overlay says, kept
    #: (an overlay does not change; an addition makes a new one).
    adds: bool = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "adds", bool(self.entities or self.keys or self.blocked))

    def __bool__(self) -> bool:
        """Whether there are additions (names, entities, blocked names;
        compiled tables aside)."""
        return self.adds

    def compiled_where(self, entity_id: str) -> str | None:
        """The path of the compiled table that defines ``entity_id``, or None."""
        for ct in self.compiled:
            if ct.get(entity_id) is not None:
                return ct.path
        return None

    def compiled_owner(self, kind: str, k: str) -> str | None:
        """The entity of a compiled table whose strong name the key ``k`` of ``kind`` is, or None."""
        for ct in self.compiled:
            owner = ct.strong_owner(kind, k)
            if owner is not None:
                return owner
        return None

    def extend(
        self,
        files: Iterable[TableFile],
        lookup: Callable[[str], Entity | None],
    ) -> Overlay:
        """A new overlay with ``files`` added; raises :class:`TableError`
        naming the file and entry on any problem, leaving ``self`` as it was."""
        # What this call adds, read before what was there.
        entities: dict[str, Entity] = {}
        new: dict[str, dict[str, None]] = {}
        keys: dict[str, dict[str, tuple[Entry, ...]]] = {}
        strong: dict[tuple[str, str], str] = {}
        defined: dict[str, str] = {}
        files = list(files)
        for tf in files:
            if tf.extra:
                raise TableError(
                    f"{tf.path}: unknown top-level key(s) {', '.join(sorted(tf.extra))}: they configure the "
                    "shipped tables and cannot be loaded; a loaded file holds as_of, language, "
                    "[[<kind>]] tables and [[not_<kind>]] lists"
                )
        records = [rec for tf in files for rec in tf.records]

        def find(eid: str) -> Entity | None:
            return entities.get(eid) or self.entities.get(eid) or lookup(eid)

        # An entity is defined (given its name and facts) once; entries with
        # the id and names only may add to it any number of times.
        for rec in records:
            if rec.kind in _SHIPPED_ONLY_KINDS or rec.addition:
                continue
            first = defined.get(rec.id) or self.defined.get(rec.id) or self.compiled_where(rec.id)
            if first is not None:
                raise TableError(f"{rec.where()}: duplicate id, first defined in {first}")
            defined[rec.id] = rec.where()
        incoming = {r.id: r for r in records if not r.addition and find(r.id) is None}
        for rec in records:
            if rec.id in incoming and rec.kind in _SHIPPED_ONLY_KINDS:
                raise TableError(f"{rec.where()}: {rec.id} is not a known {rec.kind}; {rec.kind} ids come from ISO")
            if rec.addition and rec.id not in incoming and find(rec.id) is None:
                raise TableError(
                    f"{rec.where()}: {rec.id} is not a known {rec.kind}; a new {rec.kind} needs its 'name'"
                )
            for what, target in references(rec):
                if target == rec.id:
                    raise TableError(f"{rec.where()}: {what} refers to the entity itself")
                if find(target) is None and target not in incoming:
                    raise TableError(f"{rec.where()}: {what} {brief(target)} is not a known entity")
        check_links(list(incoming.values()), _links_above(find))

        # New entities: build each kind's batch at once so they may refer to each other.
        by_kind: dict[str, list[Record]] = {}
        for rec in incoming.values():
            by_kind.setdefault(rec.kind, []).append(rec)
        for kind in ("organisation", "person", "weapon"):
            batch = by_kind.get(kind)
            if not batch:
                continue
            raws = []
            for rec in batch:
                raw = raw_entity(rec)
                raw["aliases"] = list(dict.fromkeys(text for text, _ in record_names(rec)))
                raws.append(raw)
            for ent in SPECS[kind].build_entities(raws, find):
                entities[ent.id] = ent
                new.setdefault(kind, {})[ent.id] = None

        # Names, for new and existing entities alike. Within the call, each
        # key's entries and each entity's aliases grow as a list and a set,
        # made into tuples once at the end: many rows that share a key or an
        # entity cost what they add.
        added_entries: dict[tuple[str, str], tuple[list[Entry], set[Entry]]] = {}
        added_aliases: dict[str, tuple[Entity, list[str], set[str]]] = {}
        for rec in records:
            spec = SPECS[rec.kind]
            grown = added_aliases.get(rec.id)
            if grown is None:
                entity = find(rec.id)
                assert entity is not None
                grown = added_aliases[rec.id] = (entity, list(entity.aliases), set(entity.aliases))
            _, aliases, known = grown
            for text, type_ in record_names(rec):
                etype = USER_TYPES[type_]
                if text not in known:
                    aliases.append(text)
                    known.add(text)
                for k in dict.fromkeys(spec.index_keys(text)):
                    if not k:
                        raise TableError(f"{rec.where()}: alias {brief(text)} is empty once normalised")
                    if etype == ix.USER:
                        owner = (
                            strong.get((rec.kind, k))
                            or self.strong.get((rec.kind, k))
                            or self.compiled_owner(rec.kind, k)
                            or rec.id
                        )
                        if owner != rec.id:
                            raise TableError(
                                f"{rec.where()}: alias {brief(text)} is already a strong name of {owner}; "
                                "make it a weak alias of one of them"
                            )
                        strong[(rec.kind, k)] = rec.id
                    entry = (rec.id, text, etype)
                    listed = added_entries.get((rec.kind, k))
                    if listed is None:
                        before = self.keys.get(rec.kind)
                        present = before.get(k, ()) if before else ()
                        listed = added_entries[(rec.kind, k)] = (list(present), set(present))
                    if entry not in listed[1]:
                        listed[0].append(entry)
                        listed[1].add(entry)
        for (kind, k), (in_order, _) in added_entries.items():
            keys.setdefault(kind, {})[k] = tuple(in_order)
        for eid, (before_call, all_aliases, _) in added_aliases.items():
            if len(all_aliases) != len(before_call.aliases):
                entities[eid] = attrs.evolve(before_call, aliases=tuple(all_aliases))
        blocked: dict[str, set[str]] = {}
        for tf in files:
            for kind, names in tf.not_names.items():
                spec = SPECS[kind]
                for text in names:
                    blocked.setdefault(kind, set()).update(k for k in spec.index_keys(text) if k)
        return Overlay(
            entities=_extended(self.entities, entities),
            new=_merged(self.new, new),
            keys=_merged(self.keys, keys),
            blocked={**self.blocked, **{k: self.blocked.get(k, frozenset()) | v for k, v in blocked.items()}},
            strong=_extended(self.strong, strong),
            defined=_extended(self.defined, defined),
            compiled=self.compiled,
        )


def _links_above(find: Callable[[str], Entity | None]) -> Callable[[str], int]:
    """How many ``parent`` or ``family`` links an entity that ``find`` knows
    has above it (for :func:`~geonorm.tables.check_links`)."""

    def above(eid: str) -> int:
        entity, links = find(eid), 0
        while entity is not None and (entity := getattr(entity, LINK_FIELDS.get(entity.kind, ""), None)) is not None:
            links += 1
        return links

    return above


def _extended(before: Mapping[K, V], items: Mapping[K, V]) -> Mapping[K, V]:
    if not items:
        return before
    return (before if isinstance(before, Layers) else Layers[K, V]()).extended(items)


def _merged(before: Mapping[str, Mapping[K, V]], added: Mapping[str, Mapping[K, V]]) -> dict[str, Mapping[K, V]]:
    """Per kind, ``before`` extended with ``added``."""
    out = dict(before)
    for kind, items in added.items():
        out[kind] = _extended(before.get(kind, Layers[K, V]()), items)
    return out
