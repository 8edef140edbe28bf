"""The registry: loads each kind's index lazily, answers look-ups, and keeps
run-time additions apart from the shipped tables.

The shipped tables are loaded once per process, on first use of their kind,
under a lock; every :class:`Registry` shares them read-only. Additions made
through one registry (``add_alias``) live in that registry only, so a library
that makes its own ``Registry()`` never sees, or disturbs, another's.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any, Generic, overload

import attrs

from . import index as ix
from .fuzzy import FuzzyIndex
from .kinds import SPECS, KindSpec
from .kinds.base import E
from .model import KINDS, Country, Currency, Entity, How, Match
from .text import fold, key

__all__ = ["Registry", "KindResolver", "MAX_TEXT_LENGTH", "available_kinds"]

#: Inputs longer than this (in characters) cannot be a name and give no match.
MAX_TEXT_LENGTH = 10_000
_FUZZY_TYPES = frozenset({ix.STRONG, ix.LOCALE, ix.DEMONYM, ix.USER})
_FUZZY_FACTOR = {1: 0.5, 2: 0.45}


@attrs.define(eq=False)
class _Table:
    kind: str
    entities: list[Entity]
    by_id: dict[str, Entity]
    keys: dict[str, list[list[int]]]
    not_keys: frozenset[str]
    _fuzzy: FuzzyIndex | None = None
    _fuzzy_lock: threading.Lock = attrs.field(factory=threading.Lock)

    def fuzzy(self) -> FuzzyIndex:
        if self._fuzzy is None:
            with self._fuzzy_lock:
                if self._fuzzy is None:
                    self._fuzzy = FuzzyIndex(
                        k for k, entries in self.keys.items() if any(e[2] in _FUZZY_TYPES for e in entries)
                    )
        return self._fuzzy


_SHIPPED: dict[str, _Table] = {}
_SHIPPED_LOCK = threading.RLock()


def available_kinds() -> tuple[str, ...]:
    """Kinds whose tables ship with this version, in resolution order."""
    return tuple(k for k in KINDS if k in SPECS)


def _shipped(kind: str) -> _Table:
    table = _SHIPPED.get(kind)
    if table is not None:
        return table
    with _SHIPPED_LOCK:
        table = _SHIPPED.get(kind)
        if table is None:
            data = ix.load_index(kind)
            entities = SPECS[kind].build_entities(data["entities"], _lookup_any)
            table = _Table(
                kind=kind,
                entities=entities,
                by_id={e.id: e for e in entities},
                keys=data["keys"],
                not_keys=frozenset(data.get("not", ())),
            )
            _SHIPPED[kind] = table
    return table


def _lookup_any(entity_id: str) -> Entity | None:
    kind = entity_id.partition(":")[0]
    if kind not in SPECS:
        return None
    return _shipped(kind).by_id.get(entity_id)


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return text


def _how(entry_type: int, text: str, alias: str) -> How:
    if entry_type == ix.CODE:
        return "code"
    if entry_type in ix.DEMONYM_TYPES:
        return "demonym"
    if entry_type in ix.METONYM_TYPES:
        return "metonym"
    return "exact" if text.strip() == alias else "normalised"


class Registry:
    """A set of tables to resolve against: the shipped ones plus this
    registry's own additions.

    >>> from geonorm import Registry
    >>> mine = Registry()
    >>> mine.add_alias("country:GB", "Blighty").id
    'country:GB'
    >>> mine.resolve("Blighty", kind="country").alpha2
    'GB'
    >>> import geonorm
    >>> geonorm.resolve("Blighty", kind="country") is None
    True
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Copy-on-write: readers take a reference and never see a half-made change.
        self._extra_keys: dict[str, dict[str, tuple[tuple[str, str, int], ...]]] = {}
        self._extra_entities: dict[str, Entity] = {}

    # -- look-ups -----------------------------------------------------------

    def _kinds(self, kind: str | None) -> tuple[str, ...]:
        if kind is None:
            return available_kinds()
        if not isinstance(kind, str):
            raise TypeError(f"kind must be a str or None, not {type(kind).__name__}")
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
        if kind not in SPECS:
            raise ValueError(f"kind {kind!r} has no tables in this version of geonorm")
        return (kind,)

    def _hints(self, hints: Mapping[str, Any], kinds: tuple[str, ...]) -> dict[str, Any]:
        known = {h for k in available_kinds() for h in SPECS[k].hints}
        unknown = sorted(set(hints) - known)
        if unknown:
            raise TypeError(f"unknown hint(s) {', '.join(unknown)}; known hints: {', '.join(sorted(known))}")
        out: dict[str, Any] = {}
        for name, value in hints.items():
            if value is None:
                continue
            if name == "country":
                out[name] = self._country_hint(value)
        return out

    def _country_hint(self, value: object) -> Country:
        if isinstance(value, Country):
            return value
        if not isinstance(value, str):
            raise TypeError(f"country hint must be a Country or a str such as 'IN', not {type(value).__name__}")
        probe = value.strip()
        found = self.resolve(probe.upper() if len(probe) in (2, 3) else probe, kind="country")
        if not isinstance(found, Country):
            raise ValueError(f"country hint {value!r} is not a country geonorm knows")
        return found

    def _entity(self, table: _Table, index: int) -> Entity:
        ent = table.entities[index]
        return self._extra_entities.get(ent.id, ent)

    def _collect(
        self, table: _Table, qkey: str, text: str, folded: str, metonyms: bool, found: dict[str, Match]
    ) -> None:
        compact = folded.replace(" ", "")
        for entry in table.keys.get(qkey, ()):
            etype = entry[2]
            if etype in ix.METONYM_TYPES and not metonyms:
                continue
            entity = self._entity(table, entry[0])
            alias = entity.aliases[entry[1]]
            if len(entry) > 3 and fold(alias).replace(" ", "") != compact:
                continue  # an acronym, and the text was not written in capitals
            self._offer(found, entity, etype, _how(etype, text, alias), alias)
        for eid, alias, etype in self._extra_keys.get(table.kind, {}).get(qkey, ()):
            if etype in ix.METONYM_TYPES and not metonyms:
                continue
            entity = self._extra_entities.get(eid) or table.by_id[eid]
            if ix.is_acronym(fold(alias)) and fold(alias).replace(" ", "") != compact:
                continue
            self._offer(found, entity, etype, _how(etype, text, alias), alias)

    @staticmethod
    def _offer(found: dict[str, Match], entity: Entity, etype: int, how: How, alias: str, factor: float = 1.0) -> None:
        score = round(ix.SCORES[etype] * factor, 4)
        old = found.get(entity.id)
        if old is None or score > old.score:
            found[entity.id] = Match(entity=entity, score=score, how=how, alias=alias, weak=etype in ix.WEAK_TYPES)

    def _match_kind(self, kind: str, text: str, folded: str, qkey: str, fuzzy: bool, metonyms: bool) -> list[Match]:
        spec: KindSpec[Any] = SPECS[kind]
        table = _shipped(kind)
        found: dict[str, Match] = {}
        self._collect(table, qkey, text, folded, metonyms, found)
        if not found:
            for alt in spec.query_keys(text, qkey):
                self._collect(table, alt, text, fold(text), metonyms, found)
                if found:
                    break
        if not found and fuzzy and qkey not in table.not_keys:
            for near, dist in table.fuzzy().search(qkey):
                for entry in table.keys.get(near, ()):
                    if entry[2] in _FUZZY_TYPES:
                        entity = self._entity(table, entry[0])
                        self._offer(found, entity, entry[2], "fuzzy", entity.aliases[entry[1]], _FUZZY_FACTOR[dist])
        return list(found.values())

    def candidates(
        self,
        text: str,
        kind: str | None = None,
        *,
        fuzzy: bool = False,
        metonyms: bool = False,
        **hints: Any,
    ) -> list[Match]:
        """Every entity ``text`` may name, best first, each with a score and how
        it matched. See :func:`geonorm.candidates`."""
        text = _check_text(text)
        kinds = self._kinds(kind)
        parsed = self._hints(hints, kinds)
        if len(text) > MAX_TEXT_LENGTH:
            return []
        folded = fold(text)
        qkey = key(text)
        if not qkey:
            return []
        out: list[Match] = []
        for k in kinds:
            spec = SPECS[k]
            matches = self._match_kind(k, text, folded, qkey, fuzzy, metonyms)
            kind_hints = {h: v for h, v in parsed.items() if h in spec.hints}
            out.extend(spec.apply_hints(matches, kind_hints) if kind_hints else matches)
        out.sort(key=lambda m: (-m.score, m.weak, m.entity.id))
        return out

    def resolve(
        self,
        text: str,
        kind: str | None = None,
        *,
        fuzzy: bool = False,
        metonyms: bool = False,
        **hints: Any,
    ) -> Entity | None:
        """The one best entity for ``text``, or None. See :func:`geonorm.resolve`."""
        found = self.candidates(text, kind, fuzzy=fuzzy, metonyms=metonyms, **hints)
        if not found:
            return None
        best = found[0]
        if len(found) > 1 and found[1].score == best.score:
            return None  # a tie between different entities: ambiguous
        return best.entity

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        if not isinstance(entity_id, str):
            raise TypeError(f"entity_id must be a str, not {type(entity_id).__name__}")
        extra = self._extra_entities.get(entity_id)
        if extra is not None:
            return extra
        kind = entity_id.partition(":")[0]
        if kind not in SPECS:
            return None
        return _shipped(kind).by_id.get(entity_id)

    def entities(self, kind: str | None = None) -> Iterator[Entity]:
        """Every entity of ``kind`` (all kinds when None), in id order per kind."""
        for k in self._kinds(kind):
            table = _shipped(k)
            for ent in table.entities:
                yield self._extra_entities.get(ent.id, ent)

    # -- run-time additions -------------------------------------------------

    def add_alias(self, entity_id: str, alias: str, *, weak: bool = False) -> Entity:
        """Teach this registry another name for an existing entity.

        The alias wins over shipped names (unless ``weak``); it is visible
        only through this registry. Returns the updated entity.
        """
        if not isinstance(alias, str):
            raise TypeError(f"alias must be a str, not {type(alias).__name__}")
        k = key(alias)
        if not k:
            raise ValueError(f"alias {alias!r} is empty once normalised")
        if len(alias) > 300:
            raise ValueError("alias is longer than 300 characters")
        entity = self.get(entity_id)
        if entity is None:
            raise KeyError(f"no entity with id {entity_id!r}")
        with self._lock:
            entity = self._extra_entities.get(entity_id, entity)
            if alias not in entity.aliases:
                entity = attrs.evolve(entity, aliases=entity.aliases + (alias,))
            extra_entities = dict(self._extra_entities)
            extra_entities[entity_id] = entity
            kind_keys = dict(self._extra_keys.get(entity.kind, {}))
            kind_keys[k] = kind_keys.get(k, ()) + ((entity_id, alias, ix.WEAK if weak else ix.USER),)
            extra_keys = dict(self._extra_keys)
            extra_keys[entity.kind] = kind_keys
            self._extra_entities = extra_entities
            self._extra_keys = extra_keys
        return entity

    # -- typed resolvers ----------------------------------------------------

    @property
    def countries(self) -> KindResolver[Country]:
        """Countries in this registry."""
        return KindResolver(self, "country", Country)

    @property
    def currencies(self) -> KindResolver[Currency]:
        """Currencies in this registry."""
        return KindResolver(self, "currency", Currency)


class KindResolver(Generic[E]):
    """The resolver of one kind, typed to return that kind's entities.

    >>> import geonorm
    >>> geonorm.countries.resolve("Russland").alpha2
    'RU'
    >>> len(geonorm.currencies) > 150
    True
    """

    def __init__(self, registry: Registry, kind: str, cls: type[E]) -> None:
        self._registry = registry
        self.kind = kind
        self._cls = cls

    def __repr__(self) -> str:
        return f"<geonorm resolver of {self.kind} entities>"

    def resolve(self, text: str, *, fuzzy: bool = False, metonyms: bool = False, **hints: Any) -> E | None:
        """The one best entity of this kind for ``text``, or None."""
        found = self._registry.resolve(text, self.kind, fuzzy=fuzzy, metonyms=metonyms, **hints)
        return found if isinstance(found, self._cls) else None

    def candidates(self, text: str, *, fuzzy: bool = False, metonyms: bool = False, **hints: Any) -> list[Match]:
        """Every candidate of this kind, best first."""
        return self._registry.candidates(text, self.kind, fuzzy=fuzzy, metonyms=metonyms, **hints)

    def get(self, entity_id: str) -> E | None:
        """The entity of this kind with this id, or None."""
        found = self._registry.get(entity_id)
        return found if isinstance(found, self._cls) else None

    def add_alias(self, entity_id: str, alias: str, *, weak: bool = False) -> E:
        """Add a name to an entity of this kind (see :meth:`Registry.add_alias`)."""
        if self.get(entity_id) is None:
            raise KeyError(f"no {self.kind} with id {entity_id!r}")
        found = self._registry.add_alias(entity_id, alias, weak=weak)
        assert isinstance(found, self._cls)
        return found

    def __iter__(self) -> Iterator[E]:
        for ent in self._registry.entities(self.kind):
            if isinstance(ent, self._cls):
                yield ent

    def __len__(self) -> int:
        return len(_shipped(self.kind).entities)

    @overload
    def __contains__(self, item: Entity) -> bool: ...
    @overload
    def __contains__(self, item: object) -> bool: ...
    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return self.get(item) is not None
        return isinstance(item, self._cls) and self.get(item.id) is not None
