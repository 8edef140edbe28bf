"""Run-time additions to a registry: new entities, new names for shipped
ones, and names a user wants never to match.

An :class:`Overlay` is immutable. Adding builds a new one and the registry
swaps it in with one assignment, so a reader sees either all of a load or
none of it, and a load that fails leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import attrs

from . import index as ix
from .kinds import SPECS
from .model import Entity
from .tables import Record, TableError, TableFile, check_links, raw_entity, record_names, references

__all__ = ["USER_TYPES", "Overlay"]

#: How a user's names are typed: their strong names win over shipped ones.
USER_TYPES = {**ix.NAME_TYPES, "strong": ix.USER}
_SHIPPED_ONLY_KINDS = ("country", "currency")

Entry = tuple[str, str, int]


@attrs.frozen
class Overlay:
    """What one registry adds to the shipped tables."""

    entities: Mapping[str, Entity] = attrs.field(factory=dict)
    new: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)  # kind -> ids of new entities
    keys: Mapping[str, Mapping[str, tuple[Entry, ...]]] = attrs.field(factory=dict)
    blocked: Mapping[str, frozenset[str]] = attrs.field(factory=dict)
    #: Where each entity the user defined (an entry with a name and facts,
    #: not names only) was defined: an id is defined once.
    defined: Mapping[str, str] = attrs.field(factory=dict)

    def __bool__(self) -> bool:
        return bool(self.entities or self.keys or self.blocked)

    def extend(
        self,
        files: Iterable[TableFile],
        lookup: Callable[[str], Entity | None],
    ) -> Overlay:
        """A new overlay with ``files`` added; raises :class:`TableError`
        naming the file and entry on any problem, leaving ``self`` as it was."""
        entities = dict(self.entities)
        new = {k: list(v) for k, v in self.new.items()}
        keys = {k: dict(v) for k, v in self.keys.items()}
        blocked = {k: set(v) for k, v in self.blocked.items()}
        defined = dict(self.defined)
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
            return entities.get(eid) or lookup(eid)

        # An entity is defined (given its name and facts) once; entries with
        # the id and names only may add to it any number of times.
        for rec in records:
            if rec.kind in _SHIPPED_ONLY_KINDS or rec.addition:
                continue
            if rec.id in defined:
                raise TableError(f"{rec.where()}: duplicate id, first defined in {defined[rec.id]}")
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
                    raise TableError(f"{rec.where()}: {what} {target!r} is not a known entity")
        check_links(list(incoming.values()))

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
                new.setdefault(kind, []).append(ent.id)

        # Names, for new and existing entities alike.
        strong_owner: dict[tuple[str, str], str] = {}
        for kind_keys in keys.values():
            for k, entries in kind_keys.items():
                for eid, _, etype in entries:
                    if etype == ix.USER:
                        strong_owner[(eid.partition(":")[0], k)] = eid
        for rec in records:
            entity = find(rec.id)
            assert entity is not None
            spec = SPECS[rec.kind]
            aliases = list(entity.aliases)
            kind_keys = keys.setdefault(rec.kind, {})
            for text, type_ in record_names(rec):
                etype = USER_TYPES[type_]
                if text not in aliases:
                    aliases.append(text)
                for k in dict.fromkeys(spec.index_keys(text)):
                    if not k:
                        raise TableError(f"{rec.where()}: alias {text!r} is empty once normalised")
                    if etype == ix.USER:
                        owner = strong_owner.setdefault((rec.kind, k), rec.id)
                        if owner != rec.id:
                            raise TableError(
                                f"{rec.where()}: alias {text!r} is already a strong name of {owner}; "
                                "make it a weak alias of one of them"
                            )
                    entry = (rec.id, text, etype)
                    if entry not in kind_keys.get(k, ()):
                        kind_keys[k] = (*kind_keys.get(k, ()), entry)
            if len(aliases) != len(entity.aliases):
                entities[rec.id] = attrs.evolve(entity, aliases=tuple(aliases))
        for tf in files:
            for kind, names in tf.not_names.items():
                spec = SPECS[kind]
                for text in names:
                    blocked.setdefault(kind, set()).update(k for k in spec.index_keys(text) if k)
        return Overlay(
            entities=entities,
            new={k: tuple(v) for k, v in new.items()},
            keys=keys,
            blocked={k: frozenset(v) for k, v in blocked.items()},
            defined=defined,
        )
