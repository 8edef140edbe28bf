"""The registry: loads each kind's index lazily, answers look-ups, and keeps
run-time additions apart from the shipped tables.

The shipped tables are loaded once per process, on first use of their kind,
under a lock; every :class:`Registry` shares them read-only. Additions made
through one registry (``add_alias``) live in that registry only, so a library
that makes its own ``Registry()`` never sees, or disturbs, another's.
"""

from __future__ import annotations

import itertools
import os
import reprlib
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from . import _forksafe
from . import index as ix
from .extraction.matcher import matcher
from .extraction.mentions import scan_text
from .index import entries_of
from .kinds import SPECS, KindSpec
from .model import KINDS, Country, Currency, Entity, How, Match, Organisation, Person, Weapon
from .offices import PeopleResolver
from .overlay import Overlay
from .resolvers import KindResolver
from .shipped import _SHIPPED, FUZZY_TYPES, available_kinds
from .shipped import ShippedTable as _Table
from .shipped import table as _shipped
from .tables import TableError, TableFile, parse_table, parse_toml, read_table
from .text import _TABLE, brief, fold, key_of_folded, without_article

if TYPE_CHECKING:
    from .extraction.mentions import Mention

__all__ = ["MAX_PACK_FILES", "MAX_TEXT_LENGTH", "PACK_GROUP", "KindResolver", "Registry", "available_kinds"]

#: Inputs longer than this (in characters) cannot be a name and give no match.
MAX_TEXT_LENGTH = 10_000
_FUZZY_FACTOR = {1: 0.5, 2: 0.45}


# A hit: (score, weak, entity, entry type, alias, how-override).
_Hit = tuple[float, bool, Entity, int, str, "How | None"]
_AVAILABLE = available_kinds()
#: The entry point group through which packages ship alias packs.
PACK_GROUP = "geonorm.tables"
#: The most table files one alias pack may list.
MAX_PACK_FILES = 1_000
_SLOW = object()
_NOTHING = object()  # a key that names nothing (the fast path tries the next)
#: A new registry's overlay (immutable, so every registry may share it).
_NO_ADDITIONS = Overlay()
_MISSING = object()
_KIND_TUPLES: dict[str | None, tuple[str, ...]] = {None: _AVAILABLE, **{k: (k,) for k in _AVAILABLE}}
_SCORES = ix.SCORES
_PLAIN_KEYS = frozenset(k for k, spec in SPECS.items() if type(spec).refine is KindSpec.refine)
_METONYM_TYPES = ix.METONYM_TYPES
_ENTITY_SHIFT, _ALIAS_SHIFT, _ALIAS_MASK = ix.ENTITY_SHIFT, ix.ALIAS_SHIFT, ix.ALIAS_MASK
_TYPE_SHIFT, _TYPE_MASK = ix.TYPE_SHIFT, ix.TYPE_MASK
_KNOWN_HINTS = frozenset(h for k in _AVAILABLE for h in SPECS[k].hints)


def _offer(found: dict[str, _Hit], entity: Entity, etype: int, alias: str, fuzzy_factor: float = 0.0) -> None:
    score = ix.SCORES[etype]
    if fuzzy_factor:
        score = round(score * fuzzy_factor, 4)
    old = found.get(entity.id)
    if old is None or score > old[0]:
        found[entity.id] = (score, etype in ix.WEAK_TYPES, entity, etype, alias, "fuzzy" if fuzzy_factor else None)


def _as_written(acronym: str, written: str) -> bool:
    """The case rule of acronyms in look-ups: an acronym ("UAE", "NATO")
    counts only where the text, its spaces taken out (``written``), has it
    in its own case ("uae" is no name)."""
    return fold(acronym).replace(" ", "") == written


def _hit_order(hit: _Hit) -> tuple[float, bool, str]:
    return (-hit[0], hit[1], hit[2].id)


def _as_match(hit: _Hit, text: str) -> Match:
    score, weak, entity, etype, alias, how = hit
    return Match(entity=entity, score=score, how=how or _how(etype, text, alias), alias=alias, weak=weak)


def _unhit(matches: list[Match]) -> list[_Hit]:
    return [(m.score, m.weak, m.entity, -1, m.alias, m.how) for m in matches]


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
        self._lock = _forksafe.lock()
        # Copy-on-write: readers take one reference and never see half a change.
        self._ov = _NO_ADDITIONS
        # The extraction matcher with this registry's additions, and the
        # overlay it was built for.
        self._text_matcher: tuple[Overlay, Any] | None = None
        self._people = PeopleResolver(self, "person", Person)

    # -- pickling -------------------------------------------------------------

    def __reduce__(self) -> Any:
        # The default registry unpickles as the default registry of the
        # other process; another one carries its additions only (the shipped
        # tables load lazily on the other side, as they do here).
        import geonorm

        if self is getattr(geonorm, "default_registry", None):
            return (_default_registry, ())
        return (_registry_with, (self._ov,))

    # -- running text -------------------------------------------------------

    def extract(
        self,
        text: str,
        *,
        kinds: Iterable[str] | None = None,
        metonyms: bool = False,
    ) -> list[Mention]:
        """Every entity mention in ``text``, in order, without overlaps, with
        this registry's additions (``add``, ``add_alias``, ``load``, packs)
        found too; see :func:`geonorm.extract` for the rules and options.

        >>> from geonorm import Registry
        >>> mine = Registry()
        >>> _ = mine.add_alias("country:GB", "Blighty")
        >>> [(m.text, m.entity.id) for m in mine.extract("In Blighty, the pound fell against the dollar.")]
        [('Blighty', 'country:GB'), ('pound', 'currency:GBP'), ('dollar', 'currency:USD')]
        """
        ov = self._ov
        if ov is _NO_ADDITIONS or not ov:
            return scan_text(matcher(), text, kinds=kinds, metonyms=metonyms)
        built = self._text_matcher
        if built is None or built[0] is not ov:
            names = {
                (eid, alias): (self._lookup(eid), alias, etype)
                for kind_keys in ov.keys.values()
                for entries in kind_keys.values()
                for eid, alias, etype in entries
            }
            found = [(ent, alias, etype) for ent, alias, etype in names.values() if ent is not None]
            built = (ov, matcher().with_additions(found, ov.blocked))
            self._text_matcher = built
        mentions = scan_text(built[1], text, kinds=kinds, metonyms=metonyms)
        if ov.entities:
            # The registry's version of an entity it added names to.
            mentions = [
                attrs.evolve(m, entity=ov.entities[m.entity.id]) if m.entity.id in ov.entities else m for m in mentions
            ]
        return mentions

    # -- look-ups -----------------------------------------------------------

    def _kinds(self, kind: str | None) -> tuple[str, ...]:
        if kind is None:
            return available_kinds()
        if not isinstance(kind, str):
            raise TypeError(f"kind must be a str or None, not {type(kind).__name__}")
        if kind not in KINDS:
            raise ValueError(f"unknown kind {brief(kind)}; expected one of {', '.join(KINDS)}")
        if kind not in SPECS:
            raise ValueError(f"kind {brief(kind)} has no tables in this version of geonorm")
        return (kind,)

    def _one_kind(self, kind: str) -> None:
        """Check that ``kind`` names one kind (what an addition is of)."""
        if kind is None:
            raise TypeError("kind must name the kind added to, such as 'organisation'; not None")
        self._kinds(kind)

    def _hints(self, hints: Mapping[str, Any]) -> dict[str, Any]:
        known = _KNOWN_HINTS
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
            raise ValueError(f"country hint {brief(value)} is not a country geonorm knows")
        return found

    def _entity(self, table: _Table, index: int) -> Entity:
        ent = table.entities[index]
        extra = self._ov.entities
        return extra.get(ent.id, ent) if extra else ent

    def _collect(self, table: _Table, qkey: str, folded: str, metonyms: bool, found: dict[str, _Hit]) -> None:
        ov = self._ov
        if ov.blocked and qkey in ov.blocked.get(table.kind, ()):
            return
        for entry in entries_of(table.keys.get(qkey, ())):
            etype = (entry >> _TYPE_SHIFT) & _TYPE_MASK
            if etype in ix.METONYM_TYPES and not metonyms:
                continue
            entity = self._entity(table, entry >> _ENTITY_SHIFT)
            alias = entity.aliases[(entry >> _ALIAS_SHIFT) & _ALIAS_MASK]
            if entry & 1 and not _as_written(alias, folded.replace(" ", "")):
                continue  # an acronym, and the text was not written in capitals
            _offer(found, entity, etype, alias)
        extra = ov.keys.get(table.kind)
        if extra:
            for eid, alias, etype in extra.get(qkey, ()):
                if etype in ix.METONYM_TYPES and not metonyms:
                    continue
                entity = ov.entities.get(eid) or table.by_id[eid]
                if ix.is_acronym(fold(alias)) and not _as_written(alias, folded.replace(" ", "")):
                    continue
                _offer(found, entity, etype, alias)

    def _match_kind(self, kind: str, text: str, folded: str, qkey: str, fuzzy: bool, metonyms: bool) -> list[_Hit]:
        table = _SHIPPED.get(kind) or _shipped(kind)
        spec = SPECS[kind]
        qkey = spec.refine(qkey)
        found: dict[str, _Hit] = {}
        self._collect(table, qkey, folded, metonyms, found)
        if not found:
            for alt in spec.query_keys(text, qkey, table.keys):
                self._collect(table, alt, folded, metonyms, found)
                if found:
                    break
        if not found and text.count("(") == 1 and text.count(")") == 1 and text.rstrip().endswith(")"):
            self._parenthesis(kind, text, metonyms, found)
        if not found and fuzzy and spec.fuzzy and qkey not in table.not_keys:
            for near, dist in table.fuzzy().search(qkey):
                for entry in entries_of(table.keys.get(near, ())):
                    etype = (entry >> _TYPE_SHIFT) & _TYPE_MASK
                    if etype in FUZZY_TYPES:
                        entity = self._entity(table, entry >> _ENTITY_SHIFT)
                        alias = entity.aliases[(entry >> _ALIAS_SHIFT) & _ALIAS_MASK]
                        _offer(found, entity, etype, alias, _FUZZY_FACTOR[dist])
        return list(found.values())

    def _parenthesis(self, kind: str, text: str, metonyms: bool, found: dict[str, _Hit]) -> None:
        """``"Macedonia (FYROM)"``, ``"Congo (Brazzaville)"``: the entities that
        both the head and the parenthesis name (a capital counts there)."""
        head, _, inner = text.rstrip()[:-1].partition("(")
        fh, fi = fold(head), fold(inner)
        kh, ki = key_of_folded(fh), key_of_folded(fi)
        if not kh or not ki:
            return
        inner_ids = {h[2].id for h in self._match_kind(kind, inner, fi, ki, False, True)}
        for hit in self._match_kind(kind, head, fh, kh, False, metonyms):
            if hit[2].id in inner_ids:
                score = round(hit[0] * 0.95, 4)
                found[hit[2].id] = (score, hit[1], hit[2], hit[3], hit[4], hit[5])

    def _hits(self, text: str, kind: str | None, fuzzy: bool, metonyms: bool, hints: Mapping[str, Any]) -> list[_Hit]:
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        kinds = _AVAILABLE if kind is None else self._kinds(kind)
        parsed = self._hints(hints) if hints else None
        if len(text) > MAX_TEXT_LENGTH:
            return []
        folded = fold(text)
        qkey = key_of_folded(folded)
        if not qkey or (qkey.isdigit() and not _just_digits(qkey, text)):
            return []
        if len(kinds) == 1 and not parsed:
            return self._match_kind(kinds[0], text, folded, qkey, fuzzy, metonyms)
        out: list[_Hit] = []
        for k in kinds:
            hits = self._match_kind(k, text, folded, qkey, fuzzy, metonyms)
            spec = SPECS[k]
            if parsed and hits:
                kind_hints = {h: v for h, v in parsed.items() if h in spec.hints}
                if kind_hints:
                    hits = _unhit(spec.apply_hints([_as_match(h, text) for h in hits], kind_hints))
            out.extend(hits)
        return out

    def _fast_resolve(self, text: str, kinds: tuple[str, ...], metonyms: bool) -> object:
        """``resolve`` for the common case (no hints, no fuzzy), without
        building matches: the exact key in each kind's shipped keys, with this
        registry's additions layered over them as :meth:`_collect` layers
        them, then, where that finds nothing, the key without a leading "the"
        (the fallback key the kinds try first; tests/test_fast_path.py
        checks that both paths agree). Returns ``_SLOW`` when the general path
        must decide (the other fallback keys, acronyms written apart among
        several kinds)."""
        if text.isascii():
            folded = " ".join(text.translate(_TABLE).split())
            k = folded.lower()
        else:
            folded = fold(text)
            k = key_of_folded(folded)
        if not k or (k.isdigit() and not _just_digits(k, text)):
            return None  # a number in prose ("3.28", "1,000") is no ISO numeric code
        found = self._fast_key(k, folded, kinds, metonyms)
        if found is _NOTHING:
            bare = without_article(k)
            if bare != k:
                found = self._fast_key(bare, folded, kinds, metonyms)
            return _SLOW if found is _NOTHING else found
        return found

    def _fast_key(self, k: str, folded: str, kinds: tuple[str, ...], metonyms: bool) -> object:
        """The entity the key ``k`` names among ``kinds``, None for a tie,
        ``_NOTHING`` when it names none, or ``_SLOW`` when the general path
        must decide."""
        spaced = " " in k
        ov = self._ov
        layered = ov is not _NO_ADDITIONS and bool(ov)
        best: Entity | None = None
        best_score = -1.0
        tie = False
        written: str | None = None
        extra: tuple[tuple[str, str, int], ...] = ()
        for kind in kinds:
            table = _SHIPPED.get(kind) or _shipped(kind)
            rk = k if kind in _PLAIN_KEYS else SPECS[kind].refine(k)
            entries = table.keys.get(rk)
            if layered:
                if ov.blocked and rk in ov.blocked.get(kind, ()):
                    continue  # the user's "never match" covers the additions too
                extra = ov.keys.get(kind, {}).get(rk, ())
            elif entries is None:
                continue
            # One packed entry (nearly every key), several, or none.
            packed = () if entries is None else (entries,) if isinstance(entries, int) else entries
            for entry in packed:  # unique per entity, sorted best first
                etype = (entry >> _TYPE_SHIFT) & _TYPE_MASK
                if etype in _METONYM_TYPES and not metonyms:
                    continue
                if entry & 1:
                    if spaced and len(kinds) > 1:
                        # Another kind's fallback keys may tie with an acronym
                        # written in letters apart ("K F X": the KF-21, or a
                        # person's initials): the general path weighs them.
                        return _SLOW
                    # An acronym counts only as written (the case rule of _collect).
                    if written is None:
                        written = folded.replace(" ", "")
                    if not _as_written(
                        table.entities[entry >> _ENTITY_SHIFT].aliases[(entry >> _ALIAS_SHIFT) & _ALIAS_MASK], written
                    ):
                        continue
                score = _SCORES[etype]
                if score > best_score:
                    best, best_score, tie = table.entities[entry >> _ENTITY_SHIFT], score, False
                elif score == best_score:
                    tie = True
                else:
                    break
            if not layered or not extra:
                continue
            # The additions: an entity may come again here (a new name for a
            # shipped one), so a tie is between two different entities.
            for eid, alias, etype in extra:
                if etype in _METONYM_TYPES and not metonyms:
                    continue
                if ix.is_acronym(fold(alias)):
                    if spaced and len(kinds) > 1:
                        return _SLOW
                    if written is None:
                        written = folded.replace(" ", "")
                    if not _as_written(alias, written):
                        continue
                entity = ov.entities.get(eid) or table.by_id[eid]
                score = _SCORES[etype]
                if score > best_score:
                    best, best_score, tie = entity, score, False
                elif score == best_score and best is not None and entity.id != best.id:
                    tie = True
        if layered and ov.entities and best is not None:
            best = ov.entities.get(best.id, best)  # the registry's version of an entity it added names to
        if best is None:
            return _NOTHING
        return None if tie else best

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
        hits = self._hits(text, kind, fuzzy, metonyms, hints)
        hits.sort(key=_hit_order)
        return [_as_match(h, text) for h in hits]

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
        if not hints and type(text) is str and len(text) <= MAX_TEXT_LENGTH:
            kinds = _KIND_TUPLES.get(kind) or self._kinds(kind)
            fast = self._fast_resolve(text, kinds, metonyms)
            # With fuzzy=True an exact hit in the one kind asked for is the
            # answer too: a kind is searched fuzzily only when nothing in it
            # matched exactly.
            if fast is not _SLOW and (not fuzzy or (fast is not None and len(kinds) == 1)):
                return fast  # type: ignore[return-value]
        hits = self._hits(text, kind, fuzzy, metonyms, hints)
        if not hits:
            return None
        if len(hits) == 1:
            return hits[0][2]
        best = max(h[0] for h in hits)
        top = [h for h in hits if h[0] == best]
        return top[0][2] if len(top) == 1 else None  # a tie between entities: ambiguous

    def resolve_many(
        self,
        values: Iterable[object],
        kind: str | None = None,
        *,
        fuzzy: bool = False,
        metonyms: bool = False,
        **hints: Any,
    ) -> list[Entity | None]:
        """:meth:`resolve` for every value, aligned with the input; see
        :func:`geonorm.resolve_many`.

        >>> from geonorm import Registry
        >>> mine = Registry()
        >>> _ = mine.add_alias("country:GB", "Blighty")
        >>> [e.id if e else None for e in mine.resolve_many(["Blighty", None, "Bharat"], kind="country")]
        ['country:GB', None, 'country:IN']
        """
        self._kinds(kind)  # a wrong option raises here, whatever the values
        if hints:
            self._hints(hints)
        done: dict[str, Entity | None] = {}
        out: list[Entity | None] = []
        for value in values:
            if not isinstance(value, str):
                out.append(None)  # None, NaN, pandas NA, numbers: a missing value
                continue
            found = done.get(value, _MISSING)
            if found is _MISSING:
                found = done[value] = self.resolve(value, kind, fuzzy=fuzzy, metonyms=metonyms, **hints)
            out.append(found)  # type: ignore[arg-type]
        return out

    def extract_many(
        self,
        texts: Iterable[object],
        *,
        kinds: Iterable[str] | None = None,
        metonyms: bool = False,
    ) -> list[list[Mention]]:
        """:meth:`extract` for every text, aligned with the input; see
        :func:`geonorm.extract_many`.

        >>> from geonorm import Registry
        >>> mine = Registry()
        >>> _ = mine.add_alias("country:GB", "Blighty")
        >>> [[m.entity.id for m in found] for found in mine.extract_many(["Back in Blighty.", 7])]
        [['country:GB'], []]
        """
        kinds = None if kinds is None else tuple(kinds) if not isinstance(kinds, str) else kinds
        self.extract("", kinds=kinds, metonyms=metonyms)  # a wrong option raises here
        done: dict[str, list[Mention]] = {}
        out: list[list[Mention]] = []
        for text in texts:
            if not isinstance(text, str):
                out.append([])
                continue
            found = done.get(text)
            if found is None:
                found = done[text] = self.extract(text, kinds=kinds, metonyms=metonyms)
            out.append(list(found))
        return out

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        if not isinstance(entity_id, str):
            raise TypeError(f"entity_id must be a str, not {type(entity_id).__name__}")
        extra = self._ov.entities.get(entity_id)
        if extra is not None:
            return extra
        kind = entity_id.partition(":")[0]
        if kind not in SPECS:
            return None
        return _shipped(kind).by_id.get(entity_id)

    def entities(self, kind: str | None = None) -> Iterator[Entity]:
        """Every entity of ``kind`` (all kinds when None): the shipped ones in
        id order, then those added to this registry."""
        ov = self._ov
        for k in self._kinds(kind):
            for ent in _shipped(k).entities:
                yield ov.entities.get(ent.id, ent)
            for eid in ov.new.get(k, ()):
                yield ov.entities[eid]

    # -- run-time additions -------------------------------------------------

    def _extend(self, files: list[TableFile]) -> None:
        for tf in files:
            for rec in tf.records:
                _shipped(rec.kind)  # configures the kind's spec for keying
            for kind in tf.not_names:
                _shipped(kind)
        with self._lock:
            self._ov = self._ov.extend(files, self._lookup)

    def _lookup(self, entity_id: str) -> Entity | None:
        return self.get(entity_id)

    def load(self, path: str | os.PathLike[str]) -> None:
        """Load a TOML table file in the shipped format into this registry.

        New entities are added; entries whose id exists add names to that
        entity; ``[[not_<kind>]]`` lists block names. The user's strong names
        win over shipped ones. An entity is defined once per registry: a
        second entry with its name and facts (in this file or an earlier
        load) is an error, an entry with the id and names only is not. Only a
        regular file within the limits of :ref:`table-limits` is read.
        Loading is all-or-nothing: a malformed file raises
        :class:`~geonorm.TableError` naming the file, the entry and the
        problem, and changes nothing.
        """
        self._extend([read_table(path)])

    def load_text(self, text: str, *, source: str = "<text>") -> None:
        """Like :meth:`load`, for TOML given as a string.

        >>> from geonorm import Registry
        >>> reg = Registry()
        >>> reg.load_text('[[not_country]]\\nnames = ["Georgia"]\\nreason = "US states only"\\n')
        >>> reg.resolve("Georgia", kind="country") is None
        True
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        self._extend([parse_table(parse_toml(text, source), source)])

    def add(self, kind: str, **fields: Any) -> Entity:
        """Add an entity given in code, with the fields of the table format.

        >>> from geonorm import Registry
        >>> reg = Registry()
        >>> org = reg.add("organisation", id="organisation:acme-arms", name="Acme Arms", type="company",
        ...               country="IN", aliases=["Acme Arms Pvt Ltd"])
        >>> reg.resolve("ACME ARMS", kind="organisation") == org
        True
        """
        self._one_kind(kind)
        self._extend([parse_table({kind: [fields]}, f"<{kind} added in code>")])
        found = self.get(str(fields.get("id")))
        assert found is not None
        return found

    def add_many(self, kind: str, entries: Iterable[Mapping[str, Any]]) -> list[Entity]:
        """Add many entities (or names of existing ones) of one kind at once,
        each a mapping with the fields of the table format, as :meth:`add`
        takes them; returns the entities, in order.

        One call costs about what its entries cost, however many were added
        before; it is all-or-nothing, like :meth:`load`.

        >>> from geonorm import Registry
        >>> reg = Registry()
        >>> rows = [{"id": f"organisation:shop-{i}", "name": f"Corner Shop {i}", "type": "company"} for i in range(3)]
        >>> [e.id for e in reg.add_many("organisation", rows)]
        ['organisation:shop-0', 'organisation:shop-1', 'organisation:shop-2']
        >>> reg.resolve("corner shop 2").name
        'Corner Shop 2'
        """
        self._one_kind(kind)
        if isinstance(entries, (str, bytes, Mapping)) or not isinstance(entries, Iterable):
            raise TypeError("entries must be an iterable of mappings of table fields")
        rows = []
        for row in entries:
            if not isinstance(row, Mapping):
                raise TypeError(f"each entry must be a mapping of table fields, not {type(row).__name__}")
            rows.append(dict(row))
        if not rows:
            return []
        self._extend([parse_table({kind: rows}, f"<{kind} added in code>")])
        found = [self.get(str(row.get("id"))) for row in rows]
        return [e for e in found if e is not None]

    def add_alias(self, entity_id: str, alias: str, *, weak: bool = False) -> Entity:
        """Teach this registry another name for an existing entity.

        The alias wins over shipped names (unless ``weak``); it is visible
        only through this registry. Returns the updated entity.
        """
        if not isinstance(entity_id, str):
            raise TypeError(f"entity_id must be a str, not {type(entity_id).__name__}")
        if not isinstance(alias, str):
            raise TypeError(f"alias must be a str, not {type(alias).__name__}")
        entity = self.get(entity_id)
        if entity is None:
            raise KeyError(f"no entity with id {brief(entity_id)}")
        field = "weak_aliases" if weak else "aliases"
        self._extend([parse_table({entity.kind: [{"id": entity_id, field: [alias]}]}, "<alias added in code>")])
        found = self.get(entity_id)
        assert found is not None
        return found

    def load_packs(self) -> list[str]:
        """Load every alias pack installed through the ``geonorm.tables``
        entry point group; returns the names of the packs loaded.

        A pack's entry point names a callable that returns a list (or other
        iterable) of the paths of its TOML files, at most 1,000 of them
        (``geonorm.registry.MAX_PACK_FILES``). All packs load together or, on any
        error, none does; the :class:`~geonorm.TableError` names the pack,
        also when the pack's own code fails.
        """
        from importlib.metadata import entry_points

        files: list[TableFile] = []
        names: list[str] = []
        for ep in sorted(entry_points(group=PACK_GROUP), key=lambda e: e.name):
            label = f"alias pack {ep.name!r}"
            try:
                paths = _pack_paths(ep.load, label, ep.value)
                files.extend(read_table(p, source=f"{label}: {p}") for p in paths)
            except TableError as exc:
                message = str(exc)
                raise TableError(message if message.startswith(label) else f"{label}: {message}") from exc
            names.append(ep.name)
        if files:
            self._extend(files)
        return names

    # -- typed resolvers ----------------------------------------------------

    @property
    def countries(self) -> KindResolver[Country]:
        """Countries in this registry."""
        return KindResolver(self, "country", Country)

    @property
    def currencies(self) -> KindResolver[Currency]:
        """Currencies in this registry."""
        return KindResolver(self, "currency", Currency)

    @property
    def organisations(self) -> KindResolver[Organisation]:
        """Organisations in this registry."""
        return KindResolver(self, "organisation", Organisation)

    @property
    def people(self) -> PeopleResolver:
        """People in this registry, with :meth:`PeopleResolver.holder` (one
        resolver per registry, which keeps its index of offices)."""
        # Made with the registry, not by functools.cached_property: on
        # Python 3.11 that holds one lock for every registry, which a fork
        # taken while another thread is in here would leave held in the child.
        return self._people

    @property
    def weapons(self) -> KindResolver[Weapon]:
        """Weapons systems in this registry."""
        return KindResolver(self, "weapon", Weapon)


def _pack_paths(load: Callable[[], Any], label: str, target: str) -> list[str]:
    """The paths an alias pack's callable returns; anything that goes wrong
    (the import, the call, the value) is a :class:`TableError` naming the pack."""
    try:
        func = load()
    except Exception as exc:
        raise TableError(f"{label}: cannot import {target}: {type(exc).__name__}: {exc}") from exc
    if not callable(func):
        raise TableError(f"{label}: {target} is a {type(func).__name__}, not a callable that returns paths")
    try:
        result = func()
    except Exception as exc:
        raise TableError(f"{label}: {target}() raised {type(exc).__name__}: {exc}") from exc
    if isinstance(result, (str, bytes, os.PathLike)):
        raise TableError(
            f"{label}: {target}() returned one path, {reprlib.repr(result)}; it must return a list of paths"
        )
    try:
        # An endless iterable stops here: at most one more than allowed is taken.
        items = list(itertools.islice(iter(result), MAX_PACK_FILES + 1))
    except TypeError as exc:
        raise TableError(f"{label}: {target}() returned {reprlib.repr(result)}, not a list of paths") from exc
    except Exception as exc:
        raise TableError(f"{label}: reading the paths {target}() returned raised {type(exc).__name__}: {exc}") from exc
    if len(items) > MAX_PACK_FILES:
        raise TableError(f"{label}: {target}() returned more than {MAX_PACK_FILES} paths")
    paths: list[str] = []
    for item in items:
        try:
            path = os.fspath(item) if isinstance(item, (str, os.PathLike)) else None
        except Exception as exc:
            raise TableError(f"{label}: {target}() returned {reprlib.repr(item)}: {type(exc).__name__}: {exc}") from exc
        if not isinstance(path, str):
            raise TableError(
                f"{label}: {target}() returned {reprlib.repr(item)}, which is not a path (a str or os.PathLike)"
            )
        paths.append(path)
    return paths


def _just_digits(digits: str, text: str) -> bool:
    """Whether ``text`` is written as ``digits`` and nothing else (in ASCII or
    fullwidth digits, invisible format characters aside): only then is it an
    ISO numeric code, not a number in prose ("3.28", "1,000")."""
    text = text.strip()
    if text == digits:
        return True
    if text.isascii():
        return False
    visible = "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")
    return visible.strip() == digits


def _default_registry() -> Registry:
    import geonorm

    return geonorm.default_registry


def _registry_with(overlay: Overlay) -> Registry:
    registry = Registry()
    registry._ov = overlay
    return registry
