"""Resolution: what a string names, among the shipped tables and a
registry's additions layered over them.

:class:`Resolution` is the look-up half of :class:`~geonorm.Registry`: the
fast path (the exact key in every kind asked, the additions layered over the
shipped keys the way the general path layers them, then the key without a
leading "the"), and the general path (each kind's fallback keys, a name with
its qualifier in parentheses, typos under ``fuzzy=True``, hints), with the
scores and the case rule of acronyms that both share.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import index as ix
from .decisions import (
    ACRONYM,
    BY_KIND,
    FALLS_TO_NOTHING,
    NAMES_NOTHING,
    SEVERAL,
    THE_FALLS_TO_NOTHING,
    Acronym,
    Decisions,
    View,
    acronym,
    decide_every_key,
    flag_lone_keys,
    lone_answer,
    refined_elsewhere,
)
from .index import entries_of
from .kinds import SPECS, KindSpec, refinement
from .kinds.base import Together, common_fallbacks, falls_back_by_key_alone, written_fallbacks
from .model import KINDS, Country, Entity, How, Match
from .overlay import Overlay
from .shipped import _SHIPPED, _SHIPPED_LOCK, DERIVED, FUZZY_TYPES, available_kinds
from .shipped import ShippedTable as _Table
from .shipped import table as _shipped
from .tables import TableError
from .text import brief, fold, fold_ascii_words, key, key_of_folded, without_article

if TYPE_CHECKING:
    from .compiled import CompiledKeys, CompiledKind, CompiledTable
    from .keytable import KeyTable

__all__ = ["MAX_TEXT_LENGTH", "Resolution"]

#: Inputs longer than this (in characters) cannot be a name and give no match.
MAX_TEXT_LENGTH = 10_000
_FUZZY_FACTOR = {1: 0.5, 2: 0.45}


# A hit: (score, weak, entity, entry type, alias, how-override).
_Hit = tuple[float, bool, Entity, int, str, "How | None"]
_AVAILABLE = available_kinds()


class _Slow:
    """The fast path's answer where the general path must decide: over the
    kinds asked for, or only over ``kinds`` (those with a fallback key),
    with each one's fallback keys as the fast path found them (``alts``,
    so that the general path does not derive them again)."""

    __slots__ = ("alts", "kinds")

    def __init__(self, alts: Mapping[str, list[str]] | None = None) -> None:
        self.alts = alts
        self.kinds = None if alts is None else tuple(alts)


_SLOW = _Slow()  # the general path must decide, over every kind asked for


def _decided(found: object) -> bool:
    """Whether the fast path decided (an entity, or None)."""
    return not isinstance(found, _Slow)


_NOTHING = object()  # a key that names nothing (the fast path tries the next)
_ABSENT = object()  # a key the decisions lack
#: A new registry's overlay (immutable, so every registry may share it).
_NO_ADDITIONS = Overlay()
_MISSING = object()
_FALLS_TO_NOTHING = object()  # a key that names nothing, nor do its fallback keys
_KIND_TUPLES: dict[str | None, tuple[str, ...]] = {None: _AVAILABLE, **{k: (k,) for k in _AVAILABLE}}
_SCORES = ix.SCORES
#: Per kind, its test of whether it derives a fallback key of its own from a
#: key of one word (:meth:`KindSpec.falls_back_from_word`); None for the kinds
#: whose fallback keys are the common ones alone (the currencies'), which
#: derive none from any key. Where no kind's test holds, a text of one word
#: that adds no fallback key of its own names nothing but by its key
#: (:meth:`Resolution._with_fallback` asks no kind for it).
_FROM_WORD: dict[str, Callable[[str], bool] | None] = {
    kind: None if type(spec).query_keys is KindSpec.query_keys else spec.falls_back_from_word
    for kind, spec in SPECS.items()
}
#: Per kind, its test of whether a fallback key it gives for a key may be one
#: of its shipped keys (:meth:`KindSpec.may_fall_back_to_key`): where it says
#: no, the kind is not asked for them (:meth:`Resolution._with_fallback`, over
#: the shipped tables alone).
_MAY_FALL_BACK: dict[str, Callable[[str, Mapping[str, Any], Sequence[str]], bool]] = {
    kind: spec.may_fall_back_to_key for kind, spec in SPECS.items()
}
#: The tests of :data:`_FROM_WORD` of the kinds asked with every kind at once.
#: (Not those that say no for every word: see falls_back_from_one_word.)
_FROM_ONE_WORD = tuple(
    test
    for kind in _AVAILABLE
    if (test := _FROM_WORD[kind]) is not None
    and (
        type(spec := SPECS[kind]).falls_back_from_word is not KindSpec.falls_back_from_word
        or spec.falls_back_from_one_word
    )
)
_METONYM_TYPES = ix.METONYM_TYPES
_ENTITY_SHIFT, _ALIAS_SHIFT, _ALIAS_MASK = ix.ENTITY_SHIFT, ix.ALIAS_SHIFT, ix.ALIAS_MASK
_TYPE_SHIFT, _TYPE_MASK = ix.TYPE_SHIFT, ix.TYPE_MASK
_DECISIONS = "decisions"  # their key in DERIVED
_UNFALLEN = "unfallen"  # with a kind: the key in DERIVED of Resolution._one_kinds_unfallen's keys
#: What resolve(kind=None) decided once per key: the answers, the view whose
#: lone keys they leave out, those of the views they were decided over that
#: refine their keys (as decisions.View), all of them (as the fast path's),
#: the keys without spaces of those that refine (what a key with its
#: spaces taken out may be among them: refined_elsewhere, asked for less),
#: the keys of one word that may name nothing as a text writes them and
#: whose fallback keys name nothing, and those of them whose fallback keys
#: with a leading "the" name nothing but by the key
#: (:meth:`Resolution._unfallen`).
_EveryKind = tuple[Decisions, View, list[View], "_Views", frozenset[str], frozenset[str], frozenset[str]]
_LONE = "lone"  # their key in DERIVED
#: Each kind's keys beyond ASCII with the flags of those it alone has
#: (:func:`geonorm.decisions.flag_lone_keys`), built on the first look-up of
#: such a key with every kind: its keys, their flags (None for a kind that
#: refines its keys), its ASCII keys, its entities and its refinement, and
#: where it refines none, the table of which kinds have a key of each hash
#: (:func:`_hashes_of_keys`) and its bit there (0 for one that refines them).
_Lone = tuple[
    "KeyTable",
    bytearray | None,
    "Mapping[str, ix.Entries]",
    "Sequence[Entity]",
    "Callable[[str], str] | None",
    bytearray,
    int,
]
#: The size of the table of :func:`_hashes_of_keys` (a power of two): at
#: one byte a slot, 512 kB for the 66,000 shipped keys beyond ASCII, where a
#: kind's keys fill at most about 5% of the slots.
_HASH_SLOTS = 1 << 19


def _hashes_of_keys(tables: Sequence[KeyTable | None]) -> bytearray:
    """Per slot, the bits of the kinds among ``tables`` (bit ``1 << i`` for
    ``tables[i]``; None for a kind left out) with a key beyond ASCII (:meth:`KeyTable.key_ids`) whose
    hash (this process's ``hash``) falls in the slot, modulo
    :data:`_HASH_SLOTS`: a kind without its bit in a key's slot lacks the
    key, and is not asked for it (:meth:`Resolution._lone_answer`).

    >>> from geonorm.keytable import KeyTable
    >>> present = _hashes_of_keys([KeyTable({"индия": 0}), KeyTable({"грузия": 0})])
    >>> present[hash("индия") % _HASH_SLOTS] & 1, present[hash("грузия") % _HASH_SLOTS] & 2
    (1, 2)
    """
    present = bytearray(_HASH_SLOTS)
    mask = _HASH_SLOTS - 1
    for i, keys in enumerate(tables):
        if keys is None:
            continue
        bit = 1 << i
        for k, _ in keys.key_ids():
            present[hash(k) & mask] |= bit
    return present


_KNOWN_HINTS = frozenset(h for k in _AVAILABLE for h in SPECS[k].hints)
#: Each table's look-up view for the fast path: its kind, its keys, the
#: mapping of its ASCII keys (:attr:`KeyTable.plain`), its entities, its
#: refinement of the common key (None where it has none), and whether the
#: registry's additions of the kind are layered over it (the shipped table;
#: a compiled table's view comes after those of the shipped ones).
_Views = tuple[
    tuple[
        str,
        "KeyTable | CompiledKeys",
        "Mapping[str, ix.Entries]",
        "Sequence[Entity]",
        "Callable[[str], str] | None",
        bool,
    ],
    ...,
]


def _views(kinds: tuple[str, ...]) -> _Views:
    """The look-up views of ``kinds`` (which loads their tables and keys),
    kept in :data:`geonorm.shipped.DERIVED` until the tables change (built
    under the tables' lock, so that views begun before the compile step
    substitutes its tables cannot be kept after)."""
    with _SHIPPED_LOCK:
        views = tuple(
            (kind, table.keys, table.keys.plain, table.entities, refinement(kind), True)
            for kind in kinds
            for table in (_SHIPPED.get(kind) or _shipped(kind),)
        )
        DERIVED[kinds] = views
        return views


def alias_of(entity: Entity, entry: int) -> str:
    """The alias a packed entry names among ``entity``'s aliases; a damaged
    table (a compiled file edited by hand) whose entry names an alias the
    entity lacks raises :class:`~geonorm.TableError`."""
    try:
        return entity.alias_at((entry >> _ALIAS_SHIFT) & _ALIAS_MASK)
    except IndexError:
        raise TableError(f"a table entry names an alias {entity.id} lacks: the table is damaged") from None


def _shipped_overlap(table: CompiledTable, every: _EveryKind) -> tuple[object, frozenset[int]]:
    """The ids of the keys of ``table`` that a shipped kind may have too, as
    they are or refined (the keys of the decisions and of the largest
    kind's view, and the refining kinds' keys written with spaces), for
    the shipped tables' state ``every``; kept on the table until that
    state changes (a benign race: two threads derive the same)."""
    overlap = (every, table.ids_of(itertools.chain(every[0], every[1][0]), every[4]))
    table.shipped_overlap = overlap
    return overlap


def _compiled_of(ov: Overlay, kind: str) -> list[CompiledKind]:
    """The compiled tables of ``ov``: their entities and keys of ``kind``, oldest first."""
    return [ct.kinds[kind] for ct in ov.compiled if kind in ct.kinds]


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
    in its own case ("uae" is no name). A leading "the" is no part of it,
    nor an "s" after it (where a fallback key, a possessive or a plural,
    left it out): "the UAE", "THE UAE" and "the UAE's" name the Emirates,
    "the uae" does not.

    >>> _as_written("UAE", "theUAE"), _as_written("UAE", "theUAEs"), _as_written("UAE", "theuae")
    (True, True, False)
    """
    form = _written_form(acronym)
    if form == written:
        return True
    if written[:3].lower() == "the":
        written = written[3:]
        if form == written:
            return True
    return written[-1:] in ("s", "S") and written[:-1] == form


@functools.lru_cache(maxsize=16_384)
def _written_form(acronym: str) -> str:
    """An acronym folded with its spaces taken out, as :func:`_as_written`
    compares it (kept: a generic acronym such as "MoD" is the alias of one
    ministry in each of dozens of countries)."""
    return fold(acronym).replace(" ", "")


def _best(hits: list[_Hit]) -> Entity | None:
    """The entity of the one best hit; None for none, or for a tie between
    entities (ambiguous)."""
    if not hits:
        return None
    if len(hits) == 1:
        return hits[0][2]
    best = max(h[0] for h in hits)
    top = [h for h in hits if h[0] == best]
    return top[0][2] if len(top) == 1 else None


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


#: A name with its qualifier in parentheses: the head, folded and its key,
#: then the same of the qualifier.
_Qualified = tuple[str, str, str, str, str, str]


def _qualified(text: str) -> _Qualified | None:
    """``text`` as a name with a qualifier in parentheses at its end
    (``"Congo (Brazzaville)"``), or None when it is not one: one opening and
    one closing parenthesis, the closing one last, and a key both before
    and inside them."""
    if text.count("(") != 1 or text.count(")") != 1:
        return None
    stripped = text.rstrip()
    if not stripped.endswith(")"):
        return None
    head, _, inner = stripped[:-1].partition("(")
    if not head or head.isspace():
        return None  # "(India)": nothing before the parenthesis (no key)
    fh, fi = fold(head), fold(inner)
    kh, ki = key_of_folded(fh), key_of_folded(fi)
    if not kh or not ki:
        return None
    return head, fh, kh, inner, fi, ki


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


def _one_fallback(alts: Mapping[str, list[str]], views: _Views, ov: Overlay, folded: str, metonyms: bool) -> object:
    """The entity of the fallback keys ``alts`` of one kind (the only kind
    with one that is a key), where the first of them that is a key names it
    alone in the kind's one table, by a name that is no metonym, and the
    registry adds or blocks none of them: what the general path answers
    (:meth:`Resolution._match_kind` stops at that key, and one hit is the
    best). An acronym's name counts only as the text (``folded``) writes it
    (the case rule of :meth:`Resolution._collect`), and a capital's not at
    all with ``metonyms`` off: else the next key, and None where no key is
    left. ``_NOTHING`` where the general path must weigh them."""
    ((kind, keys),) = alts.items()
    if isinstance(keys, Together):
        return _NOTHING  # weighed together
    found = [view for view in views if view[0] == kind]
    if len(found) != 1:
        return _NOTHING  # a compiled table's too
    _, table, plain, entities, _, _ = found[0]
    added = ov.keys.get(kind) if ov.keys else None
    blocked = ov.blocked.get(kind) if ov.blocked else None
    for k in keys:
        if (added and k in added) or (blocked and k in blocked):
            return _NOTHING
        entries = plain.get(k)
        if entries is None and not k.isascii():
            entries = table.beyond_ascii(k)
        if entries is not None:
            entity = lone_answer(entries, entities)
            if entity is ACRONYM and isinstance(entries, int):  # (one entry, as lone_answer found)
                entity = entities[entries >> _ENTITY_SHIFT]
                if not _as_written(alias_of(entity, entries), folded.replace(" ", "")):
                    continue  # "the whO": no name of the agency's
            elif entity is NAMES_NOTHING and not metonyms:
                continue  # "the Havana": a capital's name, metonyms off
            if not isinstance(entity, Entity):
                return _NOTHING  # several entries, a metonym's
            return ov.entities.get(entity.id, entity) if ov.entities else entity
    return None  # only acronyms not as written (and capitals, with metonyms off)


class Resolution:
    """Look-ups over the shipped tables and an overlay of additions
    (``_ov``, which :class:`~geonorm.Registry` keeps)."""

    _ov: Overlay
    #: The fast path's views with the compiled tables' (per kinds asked
    #: for), and the shipped views and compiled tables they were made from.
    _compiled_views: dict[tuple[str, ...], tuple[_Views, tuple[CompiledTable, ...], _Views]]

    def _views_of(self, kinds: tuple[str, ...], ov: Overlay) -> _Views:
        """The fast path's views of ``kinds``: the shipped tables', then the
        compiled tables' of the same kinds."""
        shipped = DERIVED.get(kinds) or _views(kinds)
        compiled = ov.compiled
        if not compiled:
            return shipped
        cached = self._compiled_views.get(kinds)
        if cached is not None and cached[0] is shipped and cached[1] is compiled:
            return cached[2]
        views = shipped + tuple(
            (kind, ck.keys, ck.keys.plain, ck.entities, ck.refine, False)
            for kind in kinds
            for ck in _compiled_of(ov, kind)
        )
        self._compiled_views[kinds] = (shipped, compiled, views)
        return views

    def _compiled_of(self, kind: str) -> list[CompiledKind]:
        """The compiled tables' entities and keys of ``kind``, oldest first."""
        return _compiled_of(self._ov, kind)

    def _any_entity(self, entity_id: str, ov: Overlay | None = None) -> Entity | None:
        """The registry's entity with this id: added, shipped or compiled
        (in ``ov``, the registry's overlay as a look-up read it once)."""
        if ov is None:
            ov = self._ov
        extra = ov.entities.get(entity_id)
        if extra is not None:
            return extra
        kind = entity_id.partition(":")[0]
        if kind not in SPECS:
            return None
        found = _shipped(kind).by_id.get(entity_id)
        if found is None:
            for ck in _compiled_of(ov, kind):
                found = ck.by_id.get(entity_id)
                if found is not None:
                    break
        return found

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

    def _entity(self, table: _Table | CompiledKind, index: int, ov: Overlay) -> Entity:
        ent = table.entities[index]
        extra = ov.entities
        return extra.get(ent.id, ent) if extra else ent

    def _collect(
        self,
        tables: list[_Table | CompiledKind],
        qkey: str,
        folded: str,
        metonyms: bool,
        found: dict[str, _Hit],
        ov: Overlay,
    ) -> None:
        """Offer what the key ``qkey`` names in ``tables`` (one kind's: the
        shipped table first, then its compiled tables), then among the
        registry's additions of the kind, in that order (the first of equal
        hits of one entity gives the alias)."""
        kind = tables[0].kind
        if ov.blocked and qkey in ov.blocked.get(kind, ()):
            return
        for table in tables:
            for entry in entries_of(table.keys.get(qkey, ())):
                etype = (entry >> _TYPE_SHIFT) & _TYPE_MASK
                if etype in ix.METONYM_TYPES and not metonyms:
                    continue
                entity = self._entity(table, entry >> _ENTITY_SHIFT, ov)
                alias = alias_of(entity, entry)
                if entry & 1 and not _as_written(alias, folded.replace(" ", "")):
                    continue  # an acronym, and the text was not written in capitals
                _offer(found, entity, etype, alias)
        extra = ov.keys.get(kind)
        if extra:
            for eid, alias, etype in extra.get(qkey, ()):
                if etype in ix.METONYM_TYPES and not metonyms:
                    continue
                named = self._any_entity(eid, ov)
                assert named is not None
                if ix.is_acronym(fold(alias)) and not _as_written(alias, folded.replace(" ", "")):
                    continue
                _offer(found, named, etype, alias)

    def _match_kind(
        self,
        kind: str,
        text: str,
        folded: str,
        qkey: str,
        fuzzy: bool,
        metonyms: bool,
        ov: Overlay,
        alts: list[str] | None = None,
    ) -> list[_Hit]:
        """The hits of one kind: the key, then each fallback key in turn
        (``alts`` where the caller, the fast path, derived them: it found
        that the key names nothing), a qualifier in parentheses, typos."""
        spec = SPECS[kind]
        common, qkey = qkey, spec.refine(qkey)
        shipped = _SHIPPED.get(kind) or _shipped(kind)
        # A compiled table's names are weighed with the shipped ones, on the
        # same keys, as a registry's additions are.
        tables: list[_Table | CompiledKind] = [shipped, *_compiled_of(ov, kind)] if ov.compiled else [shipped]
        found: dict[str, _Hit] = {}
        if alts is None:
            self._collect(tables, qkey, folded, metonyms, found, ov)
        # (Else the fast path, which derived them, found the key names nothing.)
        if not found:
            if alts is None:
                # Derived over the shipped keys (a person's initials, other
                # word orders): for additions and compiled tables too.
                alts = spec.query_keys(text, qkey, shipped.keys, common)
            for alt in alts:
                self._collect(tables, alt, folded, metonyms, found, ov)
                if found and not isinstance(alts, Together):
                    break  # keys in turn: the first that names something
        if not found:
            qualified = _qualified(text)
            if qualified is not None:
                self._parenthesis(kind, qualified, metonyms, found, ov)
        # Typos: among the shipped names (the fuzzy kinds, countries and
        # currencies, come from the standards: no compiled table holds one).
        if not found and fuzzy and spec.fuzzy and qkey not in shipped.not_keys:
            for near, dist in shipped.fuzzy().search(qkey):
                for entry in entries_of(shipped.keys.get(near, ())):
                    etype = (entry >> _TYPE_SHIFT) & _TYPE_MASK
                    if etype in FUZZY_TYPES:
                        entity = self._entity(shipped, entry >> _ENTITY_SHIFT, ov)
                        alias = entity.alias_at((entry >> _ALIAS_SHIFT) & _ALIAS_MASK)
                        _offer(found, entity, etype, alias, _FUZZY_FACTOR[dist])
        return list(found.values())

    def _parenthesis(
        self, kind: str, qualified: _Qualified, metonyms: bool, found: dict[str, _Hit], ov: Overlay
    ) -> None:
        """``"Macedonia (FYROM)"``, ``"Congo (Brazzaville)"``: the entities that
        both the head and the parenthesis name (a capital counts there)."""
        head, fh, kh, inner, fi, ki = qualified
        inner_ids = {h[2].id for h in self._match_kind(kind, inner, fi, ki, False, True, ov)}
        for hit in self._match_kind(kind, head, fh, kh, False, metonyms, ov):
            if hit[2].id in inner_ids:
                score = round(hit[0] * 0.95, 4)
                found[hit[2].id] = (score, hit[1], hit[2], hit[3], hit[4], hit[5])

    def _hits(
        self,
        text: str,
        kind: str | None,
        fuzzy: bool,
        metonyms: bool,
        hints: Mapping[str, Any],
        ov: Overlay,
        only: tuple[str, ...] | None = None,
        alts: Mapping[str, list[str]] | None = None,
    ) -> list[_Hit]:
        """The hits of the general path, over the shipped tables and the
        overlay ``ov`` (read once by the caller: an addition or a compiled
        table loaded meanwhile is all in it or not at all); ``only``: the
        kinds to search where the caller knows the others find nothing;
        ``alts``: their fallback keys, where the caller derived them."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        kinds = only or (_AVAILABLE if kind is None else self._kinds(kind))
        parsed = self._hints(hints) if hints else None
        if len(text) > MAX_TEXT_LENGTH:
            return []
        folded = fold(text)
        qkey = key_of_folded(folded)
        if not qkey or (qkey.isdigit() and not _just_digits(qkey, text)):
            return []
        if len(kinds) == 1 and not parsed:
            return self._match_kind(
                kinds[0], text, folded, qkey, fuzzy, metonyms, ov, alts.get(kinds[0]) if alts else None
            )
        out: list[_Hit] = []
        for k in kinds:
            hits = self._match_kind(k, text, folded, qkey, fuzzy, metonyms, ov, alts.get(k) if alts else None)
            spec = SPECS[k]
            if parsed and hits:
                kind_hints = {h: v for h, v in parsed.items() if h in spec.hints}
                if kind_hints:
                    hits = _unhit(spec.apply_hints([_as_match(h, text) for h in hits], kind_hints))
            out.extend(hits)
        return out

    def _fast_resolve(self, text: str, kinds: tuple[str, ...], metonyms: bool, ov: Overlay | None = None) -> object:
        """``resolve`` for the common case (no hints, no fuzzy), without
        building matches: the exact key in each kind's shipped keys, with this
        registry's additions layered over them as :meth:`_collect` layers
        them, then, where that finds nothing, the key without a leading "the"
        (the fallback key the kinds try first). Where neither names anything
        and no other fallback key of any kind is a key (:meth:`_with_fallback`),
        the answer is None without the general path, and where one kind's
        alone names one entity, that entity (:func:`_one_fallback`). With every
        kind over the shipped tables alone, each key's answer comes decided
        (:meth:`_every_kind_at_once`); with one kind, an acronym's or a
        capital's key is read by :meth:`_lone_entry`. tests/test_fast_path.py
        checks that both paths agree. Returns a :class:`_Slow` when the
        general path must decide (fallback keys to weigh, which names the
        kinds that have one; acronyms written apart among several kinds; with
        several kinds, a text with fallback keys of its own, a possessive or
        an inversion, where its key names something, and a tie, where
        another kind's fallback keys name something too: :meth:`_weighed`)."""
        if text.isascii():
            folded, words = fold_ascii_words(text)
            k = folded.lower()
        else:
            folded = fold(text)
            k = key_of_folded(folded)
            words = False
        if not k or (k.isdigit() and not _just_digits(k, text)):
            return None  # a number in prose ("3.28", "1,000") is no ISO numeric code
        if ov is None:
            ov = self._ov
        if kinds is _AVAILABLE and not metonyms and not ov.adds:
            if not k.isascii():
                # Every kind over the shipped tables alone, a key beyond
                # ASCII: where the first kind that has it has it alone, its
                # entry's answer; where none has it, what the fallback keys
                # name; else the steps below.
                if not ov.compiled and falls_back_by_key_alone(text):
                    found = self._beyond_ascii_at_once(k, folded)
                    if found is _NOTHING or found is _FALLS_TO_NOTHING:
                        # (A qualifier in parentheses is a fallback key of the
                        # text's own, its inversion: none reaches here.)
                        if found is _FALLS_TO_NOTHING:
                            return None
                        return self._fallen_back(text, k, self._views_of(kinds, ov), ov, folded, False)
                    if found is not _MISSING:
                        return found
            elif not ov.compiled:
                # Every kind over the shipped tables alone: the key's answer
                # as decided (nearly every key), else the steps below, each
                # key's answer decided once.
                every = DERIVED.get(_DECISIONS) or self._decisions()
                found = every[0].get(k, _ABSENT)
                if found is _ABSENT or found is BY_KIND or found.__class__ is Acronym:
                    return self._every_kind_at_once(text, k, folded, every, found, words)
                if words or falls_back_by_key_alone(text):
                    return found  # (a tie reached by fallback keys of the key alone is decided _SLOW)
                return self._weighed_decided(found, text, k, k, folded, every[3])
            elif not k.startswith("the "):
                # With compiled tables, an ASCII key (the decisions and the
                # tables' shipped overlap know those alone).
                found = self._compiled_at_once(k, folded, ov)
                if found is not _MISSING:
                    if found is not None and words:
                        return found  # no fallback key of the text's own (see _weighed)
                    return self._weighed(found, text, k, k, folded, self._views_of(kinds, ov), False, ov)
        elif len(kinds) == 1 and not ov.adds and not ov.compiled:
            # One kind's shipped keys alone, where the key (or, where the kind
            # has no such key, the key without "the") has one entry (nearly
            # every look-up with a kind): its entity, as _fast_key reads it,
            # or for an acronym's or a capital's, _lone_entry's answer; where
            # the kind has neither key, what its fallback keys name.
            views = DERIVED.get(kinds) or _views(kinds)
            _, keys, plain, entities, refine, _ = views[0]
            rk = refine(k) if refine else k
            entries = plain.get(rk)
            if entries is None:
                if not rk.isascii():
                    entries = keys.beyond_ascii(rk)
                if entries is None and (bare := without_article(k)) != k:
                    rk = refine(bare) if refine else bare
                    entries = plain.get(rk)
                    if entries is None and not rk.isascii():
                        entries = keys.beyond_ascii(rk)
                if entries is None:
                    # The kind has neither key: what its fallback keys name.
                    if self._qualifier_may_name(text, views, ov):
                        return _SLOW  # the parenthesis rule of _match_kind
                    return self._fallen_back(text, k, views, ov, folded, metonyms)
            if entries.__class__ is int:
                if not entries & 1 and (metonyms or (entries >> _TYPE_SHIFT) & _TYPE_MASK not in _METONYM_TYPES):
                    return entities[entries >> _ENTITY_SHIFT]
                if not metonyms and rk == k and not k.startswith("the "):  # (the key itself, not refined)
                    return self._lone_entry(text, k, folded, entries, views)  # an acronym's or a capital's
        views = self._views_of(kinds, ov)
        used = k
        found = self._fast_key(k, folded, views, metonyms, ov)
        if found is _NOTHING:
            bare = without_article(k)
            if bare != k:
                used = bare
                found = self._fast_key(bare, folded, views, metonyms, ov)
            if found is _NOTHING:
                if self._qualifier_may_name(text, views, ov):
                    return _SLOW  # the parenthesis rule of _match_kind
                return self._fallen_back(text, k, views, ov, folded, metonyms)
            if self._read_before(text, k, bare, folded, views, metonyms, ov):
                return _SLOW  # found by the key without "the": a kind may read another fallback key first
        elif (
            len(views) > 1
            and k.startswith("the ")
            and (bare := without_article(k)) != k
            and self._bare_elsewhere(k, bare, views, ov)
        ):
            return _SLOW
        if len(views) == 1 or (found is not None and words):
            return found  # one kind, or no fallback key of the text's own (see _weighed)
        return self._weighed(found, text, k, used, folded, views, metonyms, ov)

    def _read_before(
        self, text: str, k: str, bare: str, folded: str, views: _Views, metonyms: bool, ov: Overlay
    ) -> bool:
        """Whether the general path, given ``text`` (key ``k``, which names
        nothing in any kind of ``views``), reads a kind otherwise than by
        the key without "the" (``bare``), which the fast path reads: a
        fallback key of the kind that is a key comes before it ("the Boeing
        Co" with an added "The Boeing Ltd": "the boeing", its legal form
        taken off, before "boeing co"), or the kind has it but it names
        nothing there as the text writes it (the general path goes on to
        the next one)."""
        added = self._added_keys(ov)
        for kind, alts in self._with_fallback(text, k, views, ov).items():
            if isinstance(alts, Together):
                return True  # weighed together
            own = tuple(view for view in views if view[0] == kind)
            refine = own[0][4]
            rb = refine(bare) if refine else bare
            extra = added.get(kind) if added else None
            for alt in alts:
                if alt == rb:
                    if self._fast_key(bare, folded, own, metonyms, ov) is _NOTHING:
                        return True
                    break
                if (extra and alt in extra) or any(
                    alt in plain or (not alt.isascii() and alt in keys) for _, keys, plain, _, _, _ in own
                ):
                    return True
        return False

    def _weighed(
        self, found: object, text: str, k: str, used: str, folded: str, views: _Views, metonyms: bool, ov: Overlay
    ) -> object:
        """``found``, what ``text`` (key ``k``) names among the kinds of
        ``views`` by the key ``used`` (``k``, or ``k`` without "the"): an
        entity, or None for a tie; ``_SLOW`` where a kind's fallback keys
        name something the general path weighs beside it
        (:meth:`_reached_beside`). That is asked where the text has fallback
        keys of its own (an English possessive, an inversion: not
        :func:`~geonorm.kinds.base.falls_back_by_key_alone`; "SA'S": the
        Special Air Service by its key, South Africa by its possessive), and
        for a tie ("SOMS": the som currencies' tie, and the SOM missile by
        the weapons' singular). A text with a qualifier in parentheses is
        left to the general path where its parenthesis rule may name
        something (:meth:`_qualifier_may_name`)."""
        if found.__class__ is _Slow or (found is not None and falls_back_by_key_alone(text)):
            return found
        if self._qualifier_may_name(text, views, ov):
            return _SLOW
        alts = self._with_fallback(text, k, views, ov)
        return _SLOW if alts and self._reached_beside(alts, used, folded, views, metonyms, ov) else found

    def _weighed_decided(self, found: object, text: str, k: str, used: str, folded: str, views: _Views) -> object:
        """:meth:`_weighed` over the shipped tables alone, every kind,
        metonyms off, for ``found``, what the key ``used`` names as decided
        (:meth:`_decided`). Where that is an entity, the other kinds'
        fallback keys of the key alone were weighed beside it once
        (tests/test_fast_path.py checks every entity they reach): only
        those the text adds are asked for (:meth:`KindSpec.written_keys`:
        "SA'S", the Special Air Service by its key and South Africa by its
        possessive), a few dictionary look-ups where the kinds' fallback
        rules would be computed."""
        if found.__class__ is _Slow or found is None or falls_back_by_key_alone(text):
            return self._weighed(found, text, k, used, folded, views, False, _NO_ADDITIONS)
        if self._qualifier_may_name(text, views, _NO_ADDITIONS):
            return _SLOW
        written = written_fallbacks(text, k)
        if not written:
            return found
        for view in views:
            kind, keys, plain, _, refine, _ = view
            for alt in SPECS[kind].written_keys(written, refine(k) if refine else k, keys):
                if alt in plain or (not alt.isascii() and alt in keys):
                    if self._fast_key(used, folded, (view,), False, _NO_ADDITIONS) is _NOTHING:
                        return _SLOW  # the general path weighs it beside what the key names
                    break
        return found

    def _qualifier_may_name(self, text: str, views: _Views, ov: Overlay) -> bool:
        """Whether ``text`` is a name with a qualifier in parentheses
        (:func:`_qualified`) that the parenthesis rule of
        :meth:`_match_kind` may read in a kind of ``views``: a kind that
        finds nothing by the key tries the head and the qualifier, which
        may name one entity there, and outweigh what another kind names by
        the key ("Afganistan (afghani)": the key is a name of the afghani's,
        head and qualifier name Afghanistan). The fast path leaves such a
        text to the general path.

        The rule names something only in a kind where both the head and
        the qualifier may name something, by their keys or fallback keys.
        Where no kind may name both ("Korea (North)": no kind has "north"),
        the text is read as any other, by its key and its fallback keys (the
        parenthesis's inversion, "north korea", among them). With additions
        or compiled tables in ``ov``, every such text is left to the general
        path, as before: there a kind's fallback key may come before the key
        without "the" that the fast path reads, which it does not weigh ("the
        (Boeing Co)" with an added "The Boeing Ltd": "the boeing", its legal
        form taken off)."""
        if "(" not in text:
            return False
        qualified = _qualified(text)
        if qualified is None:
            return False
        if ov.adds or ov.compiled:
            return True
        head, _, kh, inner, _, ki = qualified
        named = self._kinds_with_key(inner, ki, views)
        return bool(named) and not named.isdisjoint(self._kinds_with_key(head, kh, views))

    def _kinds_with_key(self, text: str, k: str, views: _Views) -> set[str]:
        """The kinds of ``views`` (the shipped tables' alone) where ``text``
        (key ``k``) may name something: the key (refined), or a fallback key
        of theirs (:meth:`_with_fallback`), is one of their keys, whatever
        the case rule or the metonyms then say."""
        kinds = set(self._with_fallback(text, k, views, _NO_ADDITIONS))
        for kind, keys, plain, _, refine, _ in views:
            rk = refine(k) if refine else k
            if rk in plain or (not rk.isascii() and rk in keys):
                kinds.add(kind)
        return kinds

    def _reached_beside(
        self, alts: Mapping[str, list[str]], used: str, folded: str, views: _Views, metonyms: bool, ov: Overlay
    ) -> bool:
        """Whether a kind of ``alts`` (those with a fallback key that is a
        key) finds nothing by the key ``used`` itself: the general path
        falls back to its fallback keys there, and weighs what they name
        beside what the other kinds name by the key."""
        for kind in alts:
            own = tuple(view for view in views if view[0] == kind)
            if self._fast_key(used, folded, own, metonyms, ov) is _NOTHING:
                return True
        return False

    def _lone_entry(self, text: str, k: str, folded: str, entry: int, views: _Views) -> object:
        """:meth:`_fast_resolve` of ``text`` (key ``k``, no leading "the")
        over one kind's shipped keys alone, metonyms off, where the
        key's one entry ``entry`` is an acronym's or a capital's: the
        acronym's entity where the text writes it so (the case rule of
        :meth:`_fast_key`); else what its fallback keys name, None at once
        where they are its key's alone and name nothing
        (:meth:`_one_kinds_unfallen`)."""
        if entry & 1 and (entry >> _TYPE_SHIFT) & _TYPE_MASK not in _METONYM_TYPES:
            entity = views[0][3][entry >> _ENTITY_SHIFT]
            if _as_written(alias_of(entity, entry), folded.replace(" ", "")):
                return entity
        if self._qualifier_may_name(text, views, _NO_ADDITIONS):
            return _SLOW  # the parenthesis rule of _match_kind
        if falls_back_by_key_alone(text):
            built = DERIVED.get((_UNFALLEN, views[0][0]))
            unfallen = built[1] if built is not None and built[0] is views else self._one_kinds_unfallen(views)
            if k in unfallen:
                return None  # "mar" for Morocco, "Dushanbe" with metonyms off
        return self._fallen_back(text, k, views, _NO_ADDITIONS, folded, False)  # (the caller's overlay adds nothing)

    def _one_kinds_unfallen(self, views: _Views) -> frozenset[str]:
        """The keys of the one kind of ``views`` (its shipped keys alone)
        whose one entry is an acronym's or a capital's, and whose fallback
        keys, those of the key alone, name nothing in the kind: with
        metonyms off, a text with such a key that its case or the metonym
        rule leaves naming nothing, and whose fallback keys are its key's
        (:func:`falls_back_by_key_alone`), names nothing. Decided once per
        kind, kept in :data:`geonorm.shipped.DERIVED` with the views they were
        decided over, until the tables change."""
        kind, _, plain, _, refine, _ = views[0]
        with _SHIPPED_LOCK:
            built = DERIVED.get((_UNFALLEN, kind))
            if built is not None and built[0] is views:
                return built[1]  # type: ignore[no-any-return]  # another thread built them meanwhile
            unfallen = frozenset(
                k
                for k, entries in plain.items()
                if entries.__class__ is int
                and (entries & 1 or (entries >> _TYPE_SHIFT) & _TYPE_MASK in _METONYM_TYPES)
                and not k.startswith("the ")
                and (refine is None or refine(k) == k)
                and not self._with_fallback(k, k, views, _NO_ADDITIONS)
            )
            if DERIVED.get((kind,)) is views:
                DERIVED[(_UNFALLEN, kind)] = (views, unfallen)  # (not where the tables changed meanwhile)
            return unfallen

    def _every_kind_at_once(
        self, text: str, k: str, folded: str, every: _EveryKind, found: object, words: bool
    ) -> object:
        """:meth:`_fast_resolve` of ``text`` (ASCII key ``k``) over the
        shipped tables alone, every kind, metonyms off, where the decisions
        (``every``) do not hold the key's answer itself (``found`` is what
        they hold: ``_ABSENT``, :data:`BY_KIND` or an :class:`Acronym`): the
        same steps, each key's answer decided once (:mod:`geonorm.decisions`).
        ``words``: the text is words of letters and digits but for what folds
        away at its ends (:func:`~geonorm.text.fold_ascii_words`)."""
        if (
            found is _ABSENT
            and (k.startswith("the ") or k not in every[1][0])
            and (" " not in k or k.replace(" ", "") not in every[4])
        ):
            # No kind has the key as it is (but for the largest kind's lone
            # keys, the keys are all decided; those with a leading "the" are
            # all decided), nor refined (see refined_elsewhere): "the India",
            # and most keys that name nothing.
            found = _NOTHING
        else:
            found = self._decided(k, found, folded, every, True)
        used = k
        if found is _NOTHING:
            bare = used = without_article(k)
            if bare != k:
                found = every[0].get(bare, _ABSENT)
                if found is _ABSENT or found is BY_KIND or found.__class__ is Acronym or bare.startswith("the "):
                    found = self._decided(bare, found, folded, every, False)  # (else the answer, decided)
            if found is _NOTHING:
                if words and " " not in k:
                    # One word, and no fallback key of the text's own: the
                    # fallback keys are those a kind derives from the word
                    # alone (see _with_fallback); where none does, None.
                    for falls_back in _FROM_ONE_WORD:
                        if falls_back(k):
                            break
                    else:
                        return None  # "Tatarstan", "Copenhagen"
                if self._qualifier_may_name(text, every[3], _NO_ADDITIONS):
                    return _SLOW  # the parenthesis rule of _match_kind
                if (k in every[5] or (bare != k and bare in every[6])) and falls_back_by_key_alone(text):
                    return None  # its fallback keys name nothing ("who" for the agency; "the eCB")
                return self._fallen_back(text, k, every[3], _NO_ADDITIONS, folded, False)
        if found is not None and words:
            return found  # no fallback key of the text's own (see _weighed)
        return self._weighed_decided(found, text, k, used, folded, every[3])

    def _beyond_ascii_at_once(self, k: str, folded: str) -> object:
        """:meth:`_fast_resolve` of a text (folded ``folded``) whose key
        ``k`` is beyond ASCII, over the shipped tables alone, every kind,
        metonyms off, where the text adds no fallback key of its own
        (:func:`~geonorm.kinds.base.falls_back_by_key_alone`), as the flags
        of the keys one kind alone has tell it
        (:func:`~geonorm.decisions.flag_lone_keys`): the entity; ``_NOTHING``
        where the key (or, for "the" and a key no kind has, the key without
        it) names nothing as the text writes it, and its fallback keys must
        be asked; ``_FALLS_TO_NOTHING`` where they name nothing either;
        ``_MISSING`` where :meth:`_fast_key` must weigh the kinds."""
        lone = DERIVED.get(_LONE) or self._lone_keys()
        found, flags = self._lone_answer(k, folded, lone)
        if not k.startswith("the "):
            if found is _ABSENT:
                return _NOTHING
            return _FALLS_TO_NOTHING if flags & FALLS_TO_NOTHING else found
        if found is not _ABSENT:
            return _MISSING  # a kind has the key with "the": _fast_key weighs it
        found, flags = self._lone_answer(k[4:], folded, lone)
        if found is _ABSENT or found is _NOTHING:
            return _FALLS_TO_NOTHING if flags & THE_FALLS_TO_NOTHING else _NOTHING
        return found

    @staticmethod
    def _lone_answer(k: str, folded: str, lone: tuple[_Lone, ...]) -> tuple[object, int]:
        """What the key ``k`` beyond ASCII (its text ``folded``) names where
        the first kind that has it has it alone (its flags say so; the last
        kind's key is alone once the others lack it), with its flags: its
        entity, ``_NOTHING`` for a metonym's or an acronym's not as the text
        writes it, ``_ABSENT`` where no kind has it, ``_MISSING`` where
        :meth:`_fast_key` must weigh the kinds."""
        last = lone[-1][0]
        slot = hash(k) & (_HASH_SLOTS - 1)
        for keys, flags, plain, entities, refine, present, bit in lone:
            if bit and not present[slot] & bit:
                continue  # no key of the kind has the key's hash: it lacks the key
            rk = refine(k) if refine else k
            if rk.isascii():
                i = None
                entries = plain.get(rk)  # a refined key ("с-400": the weapons' "s400")
            else:
                i = keys.key_id(rk)
                entries = None if i is None else keys.entries_at(i)
            if entries is None:
                continue
            flag = flags[i] if flags is not None and i is not None else 0
            if not flag and keys is not last:
                return _MISSING, 0  # another kind may have it too
            found = lone_answer(entries, entities)
            if found is NAMES_NOTHING:
                return _NOTHING, flag  # a capital's, metonyms off
            if found is ACRONYM:
                if " " in k:
                    return _MISSING, 0  # written apart, it may tie with a fallback key (see _fast_key)
                entity: Entity = entities[entries >> _ENTITY_SHIFT]  # type: ignore[operator]
                if _as_written(alias_of(entity, entries), folded.replace(" ", "")):  # type: ignore[arg-type]
                    return entity, 0
                return _NOTHING, flag
            return (_MISSING if found is SEVERAL else found), 0
        return _ABSENT, 0

    def _compiled_at_once(self, k: str, folded: str, ov: Overlay) -> object:
        """:meth:`_fast_key` of the ASCII key ``k`` (no leading "the") over
        the shipped tables and the compiled tables of ``ov`` (which adds
        nothing else), every kind, metonyms off, where one of them alone
        names something: the shipped tables' answer, decided once per key
        (:meth:`_decided`), or the one entry of a compiled table's kind;
        ``_MISSING`` where :meth:`_fast_key` must weigh them (or find
        nothing)."""
        every = DERIVED.get(_DECISIONS) or self._decisions()
        hit: tuple[ix.Entries, Sequence[Entity], int] | bool = False
        for table in ov.compiled:
            found = table.named_by(k)
            if found is not False:
                if found is True or hit is not False:
                    return _MISSING  # two compiled kinds, or tables
                hit, hit_table = found, table
        if hit is False:
            shipped = self._decided(k, every[0].get(k, _ABSENT), folded, every, True)
            return _MISSING if shipped is _NOTHING else shipped
        entries, entities, i = hit  # type: ignore[misc]  # (a triple: True returned above)
        # The shipped tables are asked only where a kind of theirs may have
        # the key, as it is or refined: the table's keys that may be theirs
        # are known once (a hit through a refinement is always asked).
        overlap = hit_table.shipped_overlap
        if overlap is None or overlap[0] is not every:
            overlap = _shipped_overlap(hit_table, every)
        if (i < 0 or i in overlap[1]) and self._decided(
            k, every[0].get(k, _ABSENT), folded, every, True
        ) is not _NOTHING:
            return _MISSING  # a shipped name too: _fast_key weighs them
        answer = lone_answer(entries, entities)
        # Several entries, an acronym's, a metonym's: _fast_key weighs them.
        return answer if isinstance(answer, Entity) else _MISSING

    def _fallen_back(self, text: str, k: str, views: _Views, ov: Overlay, folded: str, metonyms: bool) -> object:
        """:meth:`_fast_resolve`'s answer for ``text`` (key ``k``, folded
        ``folded``, with ``metonyms`` as asked) where its key, and its key
        without "the", name nothing:
        None where no fallback key of any kind is a key, the entity where one
        names it alone (:func:`_one_fallback`), else the general path's."""
        alts = self._with_fallback(text, k, views, ov)
        if not alts:
            return None
        found = _one_fallback(alts, views, ov, folded, metonyms) if len(alts) == 1 else _NOTHING
        return _Slow(alts) if found is _NOTHING else found

    def _decided(self, k: str, found: object, folded: str, every: _EveryKind, whole: bool) -> object:
        """What the ASCII key ``k`` names over the shipped tables alone,
        every kind, metonyms off, as :meth:`_fast_resolve` weighs it: the
        text's own key (``whole``, where a leading "the" another kind has
        without it leaves the answer to the general path), or that key
        without "the"; ``_NOTHING`` where it names nothing. ``found`` is
        what the decisions hold for ``k`` (``_ABSENT`` for none)."""
        _, (rest, entities, _), refining, views = every[:4]
        if found is _ABSENT:
            # The keys that are the largest kind's alone (a key with a leading
            # "the" is among the decided ones, or names nothing).
            entry = None if k.startswith("the ") else rest.get(k)
            if entry is None:
                # No kind has the key as it is: a kind that refines its keys
                # may have its refined form ("su 30": the weapons' "su30").
                refined = refined_elsewhere(k, refining)
                if refined is False:
                    return _NOTHING
                if refined is True or k.startswith("the "):
                    entry = None  # several kinds, or the rule of "the": _fast_key weighs them
                else:
                    entry, entities = refined
            found = BY_KIND if entry is None else lone_answer(entry, entities)
            if found is NAMES_NOTHING:
                return _NOTHING  # a metonym's (a capital's), with metonyms off
            if found is ACRONYM:
                found = acronym(k, entry, entities, alias_of)  # type: ignore[arg-type]
            elif found is SEVERAL:
                found = BY_KIND  # a key of metonyms alone, which the decisions leave out: _fast_key weighs them
            elif found is not BY_KIND:
                return found  # the entity
        elif not whole and k.startswith("the "):
            found = BY_KIND  # its decision weighs its own "the"
        if found.__class__ is Acronym:
            # The case rule of acronyms (see _fast_key).
            written: Acronym = found
            return written.entity if _as_written(written.alias, folded.replace(" ", "")) else _NOTHING
        if found is not BY_KIND:
            return found
        if whole:
            return self._shipped_answer(k, folded, views)
        return self._fast_key(k, folded, views, False, _NO_ADDITIONS)

    def _shipped_answer(self, k: str, folded: str, views: _Views) -> object:
        """:meth:`_fast_resolve`'s answer for the key ``k`` of a text
        (``folded``) over the shipped tables alone, every kind, metonyms
        off, where it names something (``_NOTHING`` where it does not)."""
        found = self._fast_key(k, folded, views, False, _NO_ADDITIONS)
        if (
            found is not _NOTHING
            and (bare := without_article(k)) != k
            and self._bare_elsewhere(k, bare, views, _NO_ADDITIONS)
        ):
            return _SLOW
        return found

    def _decisions(self) -> _EveryKind:
        """The answers of :meth:`_fast_key` (and of the rule of a leading
        "the" in :meth:`_fast_resolve`) for the shipped keys
        (:func:`geonorm.decisions.decide_every_key`), with the view whose
        lone keys they leave out and the views they were decided over; kept
        in :data:`geonorm.shipped.DERIVED` until the tables change."""
        # Under the tables' lock: a build that began before the tables were
        # substituted (the compile step's checks) cannot be kept after.
        with _SHIPPED_LOCK:
            built: _EveryKind | None = DERIVED.get(_DECISIONS)
            if built is not None:
                return built  # another thread built them meanwhile
            views = DERIVED.get(_AVAILABLE) or _views(_AVAILABLE)
            deciding: list[View] = [(plain, entities, refine) for _, _, plain, entities, refine, _ in views]

            def decide(k: str) -> object:
                return self._shipped_answer(k, k, views)  # (an acronym's key never comes here: its case decides)

            decisions, rest = decide_every_key(deciding, decide, _NOTHING, alias_of)  # type: ignore[arg-type]
            refining = [view for view in deciding if view[2] is not None]
            joined = frozenset(k for plain, _, _ in refining for k in plain if " " not in k)
            every: _EveryKind = (decisions, rest, refining, views, joined, frozenset(), frozenset())
            self._written_apart(every)
            known = self._weigh_fallbacks(every)
            every = DERIVED[_DECISIONS] = (*every[:5], *self._unfallen(every, known))
            return every

    def _lone_keys(self) -> tuple[_Lone, ...]:
        """Each kind's keys beyond ASCII with the flags of those it alone
        has (:func:`~geonorm.decisions.flag_lone_keys`), built on the first
        look-up of such a key with every kind over the shipped tables
        (about 0.33 s on the benchmarks' machine; a pipeline of ASCII names
        never pays it), kept in :data:`geonorm.shipped.DERIVED` until the
        tables change."""
        with _SHIPPED_LOCK:
            built: tuple[_Lone, ...] | None = DERIVED.get(_LONE)
            if built is not None:
                return built  # another thread built them meanwhile
            views = DERIVED.get(_AVAILABLE) or _views(_AVAILABLE)
            flags = flag_lone_keys(
                [(keys, refine) for _, keys, _, _, refine, _ in views],  # type: ignore[misc]
                functools.partial(self._falls_to_nothing, views=views),
            )
            # (A kind that refines its keys is asked for every key: its bit is 0.)
            present = _hashes_of_keys([None if refine else keys for _, keys, _, _, refine, _ in views])  # type: ignore[misc]
            lone = DERIVED[_LONE] = tuple(
                (keys, its_flags, plain, entities, refine, present, 0 if refine else 1 << i)
                for i, ((_, keys, plain, entities, refine, _), its_flags) in enumerate(zip(views, flags, strict=True))
            )
            return lone

    def _falls_to_nothing(self, k: str, views: _Views) -> int:
        """For a key of one word beyond ASCII that one kind alone has, where
        it may name nothing as a text writes it (an acronym's, a capital's),
        :data:`~geonorm.decisions.FALLS_TO_NOTHING` where no fallback key
        of it is a key, and :data:`~geonorm.decisions.THE_FALLS_TO_NOTHING`
        where none of it after "the" is a key but the key itself: what
        :meth:`_unfallen` finds for the ASCII keys. (Whatever the text's
        case, where it adds no fallback key of its own.)"""
        if not falls_back_by_key_alone(k):
            return 0
        bits = 0 if self._with_fallback(k, k, views, _NO_ADDITIONS) else FALLS_TO_NOTHING
        if self._the_falls_to_it(k, views):
            bits |= THE_FALLS_TO_NOTHING
        return bits

    def _the_falls_to_it(self, bare: str, views: _Views) -> bool:
        """Whether no fallback key of "the" and ``bare`` (over the shipped
        tables) is a key, but ``bare`` itself (as each kind refines it)."""
        the = f"the {bare}"
        return all(
            alt == (refine(bare) if refine else bare)
            for kind, alts in self._with_fallback(the, the, views, _NO_ADDITIONS).items()
            for view_kind, table, plain, _, refine, _ in views
            if view_kind == kind
            for alt in alts
            if alt in plain or (not alt.isascii() and alt in table)
        )

    def _weigh_fallbacks(self, every: _EveryKind) -> dict[str, dict[str, list[str]]]:
        """Leave to the general path (``_SLOW``) the keys decided a tie
        (None) where a kind's fallback keys of the key alone
        (:meth:`_with_fallback`) are keys: the general path weighs them with
        the tie ("SOMS": the SOM missile by the weapons' singular, beside the
        som currencies' tie by the key), as the fast path does where it
        finds a tie itself. The keys that name one entity are left decided:
        tests/test_fast_path.py checks that the general path agrees on every
        one that another kind's fallback keys reach. The same weighing of a
        tie's key with a leading "the", which no kind has ("the pesos"), is
        decided too. Returns the fallback keys of the key alone of every key
        decided other than an entity (:meth:`_unfallen` reads them)."""
        decisions, _, _, views, _ = every[:5]
        known: dict[str, dict[str, list[str]]] = {}
        for k, found in list(decisions.items()):
            if found is _SLOW or isinstance(found, Entity):
                continue
            alts = known[k] = self._with_fallback(k, k, views, _NO_ADDITIONS)
            # (No kind has an acronym's entry under a key decided a tie: its case does not matter.)
            if found is None and alts and self._reached_beside(alts, k, k, views, False, _NO_ADDITIONS):
                decisions[k] = _SLOW
            elif found is None and not k.startswith("the ") and (the := f"the {k}") not in decisions:
                # What _every_kind_at_once weighs for a text that adds no fallback key of its own.
                decisions[the] = self._weighed(None, the, the, k, the, views, False, _NO_ADDITIONS)
        return known

    def _written_apart(self, every: _EveryKind) -> None:
        """Add to the decisions of ``every`` the keys of the names of the
        kinds that refine their keys as the names write them, with spaces
        ("p 270 moskit": the weapons' key is "p270moskit"), where they name
        one entity: what :meth:`_decided` reads off the refined key, for the
        way a text most often writes a name. An acronym's ("m atv": the
        M-ATV) is decided an :class:`Acronym` (its case rule) where no
        kind's fallback keys of the key alone are keys: written apart, it
        could tie with them (see :meth:`_fast_key`), which the general path
        weighs."""
        decisions, (rest, _, _), refining, views, _ = every[:5]
        for _, _, plain, entities, refine, _ in views:
            if refine is None:
                continue
            for entity in entities:
                for name in (entity.name, *entity.aliases):
                    k = key(name)
                    if " " not in k or not k.isascii() or k in decisions or k in rest or k.startswith("the "):
                        continue
                    if refine(k) in plain:
                        found = self._decided(k, _ABSENT, k, every, True)
                        if isinstance(found, Entity):
                            decisions[k] = found
                            continue
                        refined = refined_elsewhere(k, refining)
                        if not isinstance(refined, tuple):
                            continue
                        entry, named = refined
                        if (
                            isinstance(entry, int)
                            and lone_answer(entry, named) is ACRONYM
                            and not self._with_fallback(k, k, views, _NO_ADDITIONS)
                        ):
                            its = named[entry >> _ENTITY_SHIFT]
                            decisions[k] = Acronym(its, alias_of(its, entry))  # type: ignore[arg-type]

    def _unfallen(
        self, every: _EveryKind, known: Mapping[str, Mapping[str, list[str]]]
    ) -> tuple[frozenset[str], frozenset[str]]:
        """The shipped keys of one word that may name nothing as a text
        writes them (an acronym's in another case, a capital's, a key
        several kinds weigh), and the acronyms written apart ("m atv"), whose
        fallback keys name nothing either:
        a text with such a key whose fallback keys are its key's alone
        (:func:`falls_back_by_key_alone`) names nothing, without asking every
        kind for them (:meth:`_fallen_back`); and those of the same keys
        whose fallback keys with a leading "the" that no kind has name
        nothing but by the key, where that names nothing as the text writes
        it ("the eCB"). ``known``: the fallback keys of the key alone, of the
        keys they were found for already."""
        decisions, (rest, entities, _), _, views, _ = every[:5]
        maybe = {k for k, found in decisions.items() if found is BY_KIND or found.__class__ is Acronym}
        for _, _, plain, _, _, _ in views:
            maybe.update(k for k in plain if k not in decisions and k not in rest)
        # The largest kind's lone keys that its entries do not decide (an acronym's, a metonym's).
        maybe.update(k for k, entries in rest.items() if not isinstance(lone_answer(entries, entities), Entity))
        unfallen = frozenset(
            k
            for k in maybe
            if (" " not in k or decisions.get(k).__class__ is Acronym)  # (an acronym written apart: _written_apart)
            and k.isascii()
            and falls_back_by_key_alone(k)
            and not (known[k] if k in known else self._with_fallback(k, k, views, _NO_ADDITIONS))  # (whatever the case)
        )
        # With a leading "the" that no kind has ("the eCB"), where no
        # fallback key of theirs but the key without "the" is a key:
        # _every_kind_at_once asks for them only where that key names
        # nothing as the text writes it (its case rule, a capital's).
        the_unfallen = set()
        for bare in maybe:
            the = f"the {bare}"
            if " " in bare or not bare.isascii() or the in decisions or the in rest:
                continue
            if falls_back_by_key_alone(bare) and self._the_falls_to_it(bare, views):
                the_unfallen.add(bare)
        return unfallen, frozenset(the_unfallen)

    @staticmethod
    def _added_keys(ov: Overlay) -> Mapping[str, Mapping[str, tuple[tuple[str, str, int], ...]]] | None:
        """The added keys per kind of the overlay ``ov``, or None when it adds none."""
        return ov.keys if ov is not _NO_ADDITIONS and ov else None

    def _bare_elsewhere(self, k: str, bare: str, views: _Views, ov: Overlay) -> bool:
        """Whether a kind without the key ``k`` has it without its leading
        "the" (``bare``): its first fallback key, which the general path
        weighs against the kinds that have ``k`` ("the E3": the E3 group of
        countries by its name, the E-3 aircraft without "the")."""
        added = self._added_keys(ov)
        for kind, keys, _, _, refine, _ in views:
            extra = added.get(kind) if added else None
            rk = refine(k) if refine else k
            if rk in keys or (extra and rk in extra):
                continue
            rb = refine(bare) if refine else bare
            if rb in keys or (extra and rb in extra):
                return True
        return False

    def _with_fallback(self, text: str, k: str, views: _Views, ov: Overlay) -> dict[str, list[str]]:
        """The kinds where the general path, given ``text`` (key ``k``) that
        names nothing by its key or its key without "the" and has no
        qualifier in parentheses that may name something
        (:meth:`_qualifier_may_name`), could find something, each with its
        fallback keys (:meth:`KindSpec.query_keys`): those where one of them
        is a key, shipped or added. None of them: it finds nothing."""
        added = self._added_keys(ov)
        out: dict[str, list[str]] = {}
        shared = common_fallbacks(text, k)  # those of every kind that refines no key
        if added is None and not ov.compiled:
            # Over the shipped tables alone, each kind's one view holds its
            # keys: one that says none of its fallback keys may be a key
            # there is not asked for them.
            for kind, keys, plain, _, refine, _ in views:
                if (shared or _FROM_WORD[kind] is not None) and _MAY_FALL_BACK[kind](k, keys, shared):
                    found = SPECS[kind].query_keys(text, refine(k) if refine else k, keys, k, shared)
                    for alt in found:
                        if alt in plain or (not alt.isascii() and alt in keys):
                            out[kind] = found
                            break
            return out
        derived: dict[str, list[str]] = {}
        one_word = " " not in k
        for kind, keys, plain, _, refine, _ in views:
            if kind in out:
                continue
            extra = added.get(kind) if added else None
            alts = derived.get(kind)
            if alts is None and not shared and ((test := _FROM_WORD[kind]) is None or (one_word and not test(k))):
                continue  # no common fallback key, and none of the kind's own
            if alts is None:
                # Over the shipped keys (a kind's first view), also for a
                # compiled table's (see _match_kind).
                alts = derived[kind] = SPECS[kind].query_keys(text, refine(k) if refine else k, keys, k, shared)
            for alt in alts:
                # The dict first (KeyTable.plain): most keys are ASCII, and a miss
                # there is the common case, at dict speed.
                if alt in plain or (not alt.isascii() and alt in keys) or (extra and alt in extra):
                    out[kind] = alts
                    break
        return out

    def _fast_key(self, k: str, folded: str, views: _Views, metonyms: bool, ov: Overlay) -> object:
        """The entity the key ``k`` names among the kinds of ``views``, None
        for a tie, ``_NOTHING`` when it names none, or ``_SLOW`` when the
        general path must decide."""
        spaced = " " in k
        several = len(views) > 1
        layered = ov.adds
        if several and not layered:
            # Where one table alone has the key, with one entry and no
            # acronym (a name of a compiled table's, asked for with its
            # kind), its entity, as the loop below finds it.
            hit: tuple[ix.Entries, Sequence[Entity]] | None = None
            for _, keys, plain, entities, refine, _ in views:
                rk = refine(k) if refine else k
                entries = plain.get(rk)
                if entries is None and not rk.isascii():
                    entries = keys.beyond_ascii(rk)
                if entries is not None:
                    if hit is not None:
                        break  # several tables: weighed below
                    hit = (entries, entities)
            else:
                if hit is None:
                    return _NOTHING
                entries, entities = hit
                if type(entries) is int and not entries & 1:
                    if metonyms or (entries >> _TYPE_SHIFT) & _TYPE_MASK not in _METONYM_TYPES:
                        return entities[entries >> _ENTITY_SHIFT]
                    return _NOTHING
        best: Entity | None = None
        best_score = -1.0
        tie = False
        written: str | None = None
        extra: tuple[tuple[str, str, int], ...] = ()
        for kind, keys, plain, entities, refine, own in views:
            rk = refine(k) if refine else k
            entries = plain.get(rk)
            if entries is None and not rk.isascii():
                entries = keys.beyond_ascii(rk)
            if not (layered or several or type(entries) is not int or entries & 1):
                # The one kind asked for has one entry for the key, no
                # acronym (nearly every look-up of one kind): its entity.
                if metonyms or (entries >> _TYPE_SHIFT) & _TYPE_MASK not in _METONYM_TYPES:
                    return entities[entries >> _ENTITY_SHIFT]
                return _NOTHING
            if layered:
                if ov.blocked and rk in ov.blocked.get(kind, ()):
                    continue  # the user's "never match" covers the additions too
                extra = ov.keys.get(kind, {}).get(rk, ()) if own else ()
            elif entries is None:
                continue
            # One packed entry (nearly every key), several, or none.
            packed = () if entries is None else (entries,) if isinstance(entries, int) else entries
            for entry in packed:  # unique per entity, sorted best first
                etype = (entry >> _TYPE_SHIFT) & _TYPE_MASK
                if etype in _METONYM_TYPES and not metonyms:
                    continue
                if entry & 1:
                    if spaced and several:
                        # Another kind's fallback keys may tie with an acronym
                        # written in letters apart ("K F X": the KF-21, or a
                        # person's initials): the general path weighs them.
                        return _SLOW
                    # An acronym counts only as written (the case rule of _collect).
                    if written is None:
                        written = folded.replace(" ", "")
                    if not _as_written(alias_of(entities[entry >> _ENTITY_SHIFT], entry), written):
                        continue
                score = _SCORES[etype]
                if score > best_score:
                    best, best_score, tie = entities[entry >> _ENTITY_SHIFT], score, False
                    continue
                if not own and score == best_score and entities[entry >> _ENTITY_SHIFT].id == best.id:  # type: ignore[union-attr]
                    # The best entity again: a compiled table keeps every
                    # alias of an entity under a key ("KAL" and "Kal"), and
                    # the additions may name one of its entities too.
                    continue
                # A tie, or a worse entry: the rest of this table's entries
                # (sorted best first) cannot change the answer ("central
                # bank": one for each of dozens of countries).
                tie = tie or score == best_score
                break
            if not layered or not extra:
                continue
            # The additions: an entity may come again here (a new name for a
            # shipped one), so a tie is between two different entities.
            for eid, alias, etype in extra:
                if etype in _METONYM_TYPES and not metonyms:
                    continue
                if ix.is_acronym(fold(alias)):
                    if spaced and several:
                        return _SLOW
                    if written is None:
                        written = folded.replace(" ", "")
                    if not _as_written(alias, written):
                        continue
                entity = self._any_entity(eid, ov)
                assert entity is not None
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
        hits = self._hits(text, kind, fuzzy, metonyms, hints, self._ov)
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
        """The one best entity that ``text`` names, or None, this registry's
        additions layered over the shipped tables. ``geonorm.resolve`` is
        this method of :data:`geonorm.default_registry`.

        ``kind`` limits the search to one kind (``"country"``, ``"currency"``...);
        with None every kind competes. None is returned when nothing matches, and
        when the best candidates tie (an ambiguous name such as "Congo") without
        a declared default; :func:`candidates` shows them.

        ``fuzzy=True`` tolerates spelling mistakes in country and currency names
        (a bounded edit distance on names of six letters or more; organisations
        and weapons never match fuzzily). ``metonyms=True`` lets capital cities
        stand for their country. Hints narrow the choice: ``country="PK"`` picks among
        currencies that share a symbol.

        Raises TypeError when ``text`` is not a str, ValueError for an unknown
        kind or hint value. Empty or blank text gives None.

        >>> import geonorm
        >>> geonorm.resolve("Korea, Rep.", kind="country").alpha3
        'KOR'
        >>> geonorm.resolve("Washington", kind="country") is None
        True
        >>> geonorm.resolve("Washington", kind="country", metonyms=True).alpha3
        'USA'
        >>> geonorm.resolve("Phillipines", kind="country", fuzzy=True).alpha3
        'PHL'
        >>> geonorm.resolve("Rs", kind="currency", country="PK").code
        'PKR'
        """
        if not hints and type(text) is str and len(text) <= MAX_TEXT_LENGTH:
            kinds = _KIND_TUPLES.get(kind) or self._kinds(kind)
            ov = self._ov  # read once: see _hits
            fast = self._fast_resolve(text, kinds, metonyms, ov)
            if fast.__class__ is _Slow:  # (no subclasses; cheaper than isinstance)
                if fast.kinds is not None and not fuzzy:
                    # Only these kinds have a fallback key: the others find nothing.
                    return _best(self._hits(text, None, False, metonyms, {}, ov, fast.kinds, fast.alts))
            # With fuzzy=True an exact hit in the one kind asked for is the
            # answer too: a kind is searched fuzzily only when nothing in it
            # matched exactly.
            elif not fuzzy or (fast is not None and len(kinds) == 1):
                return fast  # type: ignore[return-value]
            return _best(self._hits(text, kind, fuzzy, metonyms, hints, ov))
        return _best(self._hits(text, kind, fuzzy, metonyms, hints, self._ov))

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
