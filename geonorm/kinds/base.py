"""What every kind plugs into the registry and the compile step: how to build
its entities from the index, which keys an alias is indexed under, which
extra keys to try for a query, and which hints it reads."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from ..model import Country, Entity, Match
from ..tables import LINK_FIELDS
from ..text import (
    _APOSTROPHES,
    _FOLDS_AWAY,
    invert_comma,
    invert_parenthesis,
    key,
    key_variants,
    without_article,
    without_possessive,
)

__all__ = [
    "E",
    "KindSpec",
    "LinkedKindSpec",
    "TableLookup",
    "Together",
    "common_fallbacks",
    "falls_back_by_key_alone",
    "rotations",
    "written_fallbacks",
]

E = TypeVar("E", bound=Entity)

#: Gives the entity with an id (of any kind), loading its table if needed.
TableLookup = Callable[[str], Entity | None]


class Together(list[str]):
    """Fallback keys weighed together rather than tried in turn: each names
    a candidate as good as the others' ("M. Sharif": the initial and the
    surname fit Nawaz and Shehbaz Sharif alike), so a look-up offers them
    all, and two people are a tie, not the first one found.

    >>> Together(["nawaz sharif", "shehbaz sharif"])
    ['nawaz sharif', 'shehbaz sharif']
    """


def any_key(candidates: Sequence[str], keys: Mapping[str, Any]) -> bool:
    """Whether one of ``candidates`` is a key of ``keys``.

    >>> any_key(["caspian", "india"], {"india": 0}), any_key([], {"india": 0})
    (True, False)
    """
    for candidate in candidates:  # noqa: SIM110 (a loop: no generator to build, on resolve's fast path)
        if candidate in keys:
            return True
    return False


def common_fallbacks(text: str, primary: str, refine: Callable[[str], str] = str) -> list[str]:
    """The fallback keys every kind tries (:meth:`KindSpec.query_keys`) for
    ``text``, whose key (refined with ``refine``) is ``primary``: the key
    without a leading "the", without an English possessive, and with a
    comma's or parenthesis's inversion undone.

    >>> common_fallbacks("Korea, Republic of", "korea republic of")
    ['republic of korea']
    >>> common_fallbacks("the UAE's", "the uaes")
    ['uaes', 'the uae', 'uae']
    """
    out = []
    bare = without_article(primary)
    if bare != primary:
        out.append(refine(bare))
    return written_fallbacks(text, primary, refine, out)


def written_fallbacks(
    text: str, primary: str, refine: Callable[[str], str] = str, out: list[str] | None = None
) -> list[str]:
    """The fallback keys of :func:`common_fallbacks` that come from ``text``
    as written, not from its key: an English possessive's owner, a comma's
    or parenthesis's inversion (appended to ``out``, where given).

    >>> written_fallbacks("Korea, Republic of", "korea republic of"), written_fallbacks("the UAE", "the uae")
    (['republic of korea'], [])
    """
    if out is None:
        out = []
    owner = without_possessive(text)  # "Russia's", "the UAE's": the name, as extract finds it
    if owner is not None:
        owned = key(owner)
        for refined in map(refine, (owned, without_article(owned))):
            if refined and refined != primary and refined not in out:
                out.append(refined)
    if "," in text or ")" in text:  # what the inversions need (most texts have neither)
        for variant in (invert_comma(text), invert_parenthesis(text)):
            if variant:
                k = refine(key(variant))
                if k and k != primary:
                    out.append(k)
    return out


#: The characters a possessive or an inversion needs (an apostrophe, a
#: comma, a parenthesis).
_MARKS = re.compile(f"[,(){re.escape(_APOSTROPHES)}]")


def falls_back_by_key_alone(text: str) -> bool:
    """Whether the fallback keys of ``text`` are those of its key alone:
    :func:`common_fallbacks` reads the text as written only for an English
    possessive and a comma's or parenthesis's inversion, and every kind's
    own fallback keys come from its key (:meth:`KindSpec.query_keys`). Where
    it has none of them, what its key's fallback keys name can be decided
    once per key.

    >>> falls_back_by_key_alone("(WHO)"), falls_back_by_key_alone("who,")
    (True, True)
    >>> falls_back_by_key_alone("WHO's"), falls_back_by_key_alone("Korea, Republic of")
    (False, False)
    """
    # Neither has a text without an apostrophe, a comma or a parenthesis
    # between the characters that fold away at its ends (nearly every text:
    # "(India)", "India,"): known at once. (Where only such characters
    # follow a comma or fill a parenthesis, the inversion's key is the key.)
    core = text if text.isalnum() else text.strip(_FOLDS_AWAY)
    if text.isascii():
        if "," not in core and "(" not in core and ")" not in core and "'" not in core and "`" not in core:
            return True  # (those of _MARKS in ASCII: tests/test_fast_path.py checks it)
    elif _MARKS.search(core) is None:
        return True
    if without_possessive(text) is not None:
        return False
    return not ("," in text or ")" in text) or (invert_comma(text) is None and invert_parenthesis(text) is None)


def rotations(k: str, limit: int = 6) -> list[str]:
    """Word-order variants of a key: every rotation of its words.

    >>> rotations("putin vladimir vladimirovich")
    ['vladimir vladimirovich putin', 'vladimirovich putin vladimir']
    """
    words = k.split()
    if not 1 < len(words) <= limit:
        return []
    return [" ".join(words[i:] + words[:i]) for i in range(1, len(words))]


class KindSpec(Generic[E]):
    """Base behaviour; each kind module subclasses it."""

    kind: str = ""
    entity_class: type[Entity] = Entity
    #: Hints the kind understands (others are ignored by it, not errors, so
    #: that ``kind=None`` can pass one hint to every kind).
    hints: frozenset[str] = frozenset()
    #: Whether ``fuzzy=True`` applies: not where one edit names another
    #: entity ("S-300" and "S-400", "BEL" and "BDL").
    fuzzy: bool = True
    #: Whether :meth:`query_keys` may give a key of one word, where the
    #: common fallback keys are none, fallback keys of the kind's own (a
    #: kind that says False is not asked: tests/test_decisions.py checks
    #: it); :meth:`falls_back_from_word` tells it per word.
    falls_back_from_one_word: bool = True

    def falls_back_from_word(self, word: str) -> bool:
        """Whether :meth:`query_keys` may give fallback keys of the kind's
        own for a key of one word, ``word``, where the common fallback keys
        are none (resolve's fast path asks a kind that says False for none:
        tests/test_decisions.py checks it). :attr:`falls_back_from_one_word`
        by default.

        >>> KindSpec().falls_back_from_word("india")
        True
        """
        return self.falls_back_from_one_word

    def may_fall_back_to_key(self, k: str, keys: Mapping[str, Any], shared: Sequence[str] = ()) -> bool:
        """Whether a fallback key that :meth:`query_keys` gives for the key
        ``k`` (the common fallback keys of its text ``shared``) may be a key
        of ``keys``: False only where none is, so that resolve's fast path,
        over the shipped tables alone, asks no such kind for them
        (tests/test_decisions.py checks it on the keys of every kind, their
        words in other orders and run together, and their texts with a
        leading "the", a possessive and an inversion). A kind that derives
        fallback keys of its own tells where they may be keys.

        >>> KindSpec().may_fall_back_to_key("caspian sea", {"india": 0}, [])
        False
        """
        if shared:
            return True
        if type(self).query_keys is KindSpec.query_keys:
            return False  # the common fallback keys alone: none
        return self.falls_back_from_word(k) if " " not in k else True

    def configure(self, extra: Mapping[str, Any]) -> None:
        """Take the kind's auxiliary tables (legal forms, titles) from its index."""

    def build_entities(self, raw: Sequence[Mapping[str, Any]], lookup: TableLookup) -> list[E]:
        raise NotImplementedError

    def build_entity(self, raw: Mapping[str, Any], lookup: TableLookup) -> E:
        """One entity from its record, every entity it refers to (the one
        it links to too: an organisation's parent) found by ``lookup``:
        how a compiled table builds the entity of a line, its links built
        first."""
        return self.build_entities([raw], lookup)[0]

    #: Builds the entity of a record given apart, ``(id, name, aliases,
    #: fields)`` (``fields`` its other fields, which it leaves as they are),
    #: as :meth:`build_entity` would, where the record is one it builds
    #: without looking anything up (a person's names alone, an
    #: organisation's names and type); None for any other record, or for
    #: every record (a kind without this shortcut). How a compiled table
    #: builds most entities of a user's table.
    of_fields: Callable[[str, str, Sequence[str], Mapping[str, Any]], E | None] | None = None

    def index_keys(self, text: str) -> list[str]:
        """Every key an alias is indexed under (used by the compile step)."""
        keys = key_variants(text)
        for variant in (invert_comma(text), invert_parenthesis(text)):
            if variant:
                keys.extend(key_variants(variant))
        return [self.refine(k) for k in keys]

    def refine(self, k: str) -> str:
        """The kind's own key from the common key (identity by default).

        An ASCII key's refinement is the key itself or the key with its
        spaces taken out ("s 400" to "s400"): :mod:`geonorm.decisions`
        relies on it, and tests/test_decisions.py checks it."""
        return k

    def query_keys(
        self,
        text: str,
        primary: str,
        keys: Mapping[str, Any],
        common: str | None = None,
        shared: list[str] | None = None,
    ) -> list[str]:
        """Fallback keys to try, in order, when ``primary`` finds nothing
        (or, as :class:`Together`, keys that are all tried).

        ``keys`` is the kind's index, for fallbacks that search it;
        ``common`` is :func:`~geonorm.text.key` of ``text`` (``primary``
        before :meth:`refine`), where the caller has it; ``shared`` is
        :func:`common_fallbacks` of ``text`` and ``common``, where the
        caller has it (the kinds that refine no key share them). A kind's
        own fallback keys come from the key alone, not from ``text`` as
        written: :func:`falls_back_by_key_alone` relies on it, and
        tests/test_decisions.py checks it."""
        if shared is None or (shared and type(self).refine is not KindSpec.refine):
            return common_fallbacks(text, primary, self.refine)
        # None for the common key is none for a refined one either: each is
        # the refinement of one for the common key, or the refined key itself.
        return list(shared)

    def written_keys(self, written: Sequence[str], primary: str, keys: Mapping[str, Any]) -> list[str]:
        """The fallback keys :meth:`query_keys` may try for a text (its key
        refined: ``primary``) beyond those of its key alone, where they are
        keys of the kind (``keys``): those of the text as written
        (``written``, :func:`written_fallbacks` of the text and its key),
        refined, and what the kind derives from them. Where none of them is
        a key, the kind's fallback keys for the text name what those for its
        key alone name: resolve's fast path decides a key once, and asks
        only for these where the text has fallback keys of its own (not
        :func:`falls_back_by_key_alone`). tests/test_decisions.py checks it.

        >>> KindSpec().written_keys(written_fallbacks("India's", "indias"), "indias", {})
        ['india']
        """
        if type(self).refine is KindSpec.refine:
            return list(written)
        return [r for r in map(self.refine, written) if r]

    def apply_hints(self, matches: list[Match], hints: Mapping[str, Any]) -> list[Match]:
        country = hints.get("country")
        if country is None:
            return matches
        same = [m for m in matches if country_of(m.entity) == country]
        return same or [m for m in matches if not m.weak]


class LinkedKindSpec(KindSpec[E]):
    """A kind whose entities may point to another of their kind through
    :attr:`link` (an organisation's parent, a weapon's family): each is
    built by :meth:`make`, after the one it points to."""

    entity_class: type[E]

    @property
    def link(self) -> str:
        """The field that holds the id of the entity pointed to (one of the
        kind's, an :attr:`entity_class`): the tables' own
        (:data:`geonorm.tables.LINK_FIELDS`, which their checks read)."""
        return LINK_FIELDS[self.kind]

    def make(self, raw: Mapping[str, Any], linked: E | None, lookup: TableLookup) -> E:
        """The entity of ``raw``, pointing to ``linked`` (already built)."""
        raise NotImplementedError

    def build_entities(self, raw: Sequence[Mapping[str, Any]], lookup: TableLookup) -> list[E]:
        return build_linked(raw, self.link, lookup, self.entity_class, lambda r, linked: self.make(r, linked, lookup))

    def build_entity(self, raw: Mapping[str, Any], lookup: TableLookup) -> E:
        linked = lookup(raw[self.link]) if raw.get(self.link) else None
        return self.make(raw, linked if isinstance(linked, self.entity_class) else None, lookup)


def build_linked(
    raw: Sequence[Mapping[str, Any]],
    link: str,
    lookup: TableLookup,
    cls: type[E],
    make: Callable[[Mapping[str, Any], E | None], E],
) -> list[E]:
    """Build entities that point to another entity of their own kind through
    ``link`` (an organisation's parent, a weapon's family), each after the one
    it points to. Links outside ``raw`` are looked up; a cycle is an error.
    Chains of any length build without recursion (a table may list children
    before their parents).

    >>> rows = [{"id": "a", "up": "b"}, {"id": "b", "up": "c"}, {"id": "c"}]
    >>> made = build_linked(rows, "up", lambda i: None, tuple, lambda r, t: (r["id"], t and t[0]))
    >>> made
    [('a', 'b'), ('b', 'c'), ('c', None)]
    """
    built: dict[str, E] = {}
    by_id = {r["id"]: r for r in raw}
    return [_build_one(r["id"], built, by_id, link, lookup, cls, make) for r in raw]


def _build_one(
    eid: str,
    built: dict[str, E],
    by_id: Mapping[str, Mapping[str, Any]],
    link: str,
    lookup: TableLookup,
    cls: type[E],
    make: Callable[[Mapping[str, Any], E | None], E],
) -> E:
    """The entity ``eid``, built after the chain of entities of ``by_id``
    it points to that are not built yet (walked up, then built down)."""
    chain: list[str] = []
    on_chain: set[str] = set()
    step: str | None = eid
    while step is not None and step not in built:
        if step in on_chain:
            raise RuntimeError(f"geonorm index has a cycle through {link!r} at {step}; reinstall geonorm")
        chain.append(step)
        on_chain.add(step)
        parent: str | None = by_id[step].get(link)
        step = parent if parent in by_id else None
    for ident in reversed(chain):
        r = by_id[ident]
        up: str | None = r.get(link)
        target: E | None = None
        if up is not None and up in by_id:
            target = built[up]  # (built just before, or already)
        elif up:
            found = lookup(up)
            target = found if isinstance(found, cls) else None
        built[ident] = make(r, target)
    return built[eid]


def country_of(entity: Entity) -> Country | None:
    """The country an entity belongs to, where the kind has one."""
    if isinstance(entity, Country):
        return entity
    value = getattr(entity, "country", None) or getattr(entity, "origin", None)
    return value if isinstance(value, Country) else None
