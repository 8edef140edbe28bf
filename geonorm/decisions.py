"""``resolve(kind=None)``: every kind at once, in one look-up for nearly
every key.

With no kind given, resolve's fast path looks a key up in every kind's keys
and weighs what they name (:meth:`~geonorm.resolution.Resolution._fast_key`).
Over the shipped tables alone (a registry without additions or compiled
tables), with metonyms off, that answer depends on the key alone, but for
an acronym's case rule ("CIA" is the agency, "cia" is not), which needs the
text as written. So it is decided once per key, into one dict
(:func:`decide_every_key`):

* a key that only one kind has, with one entry (nearly every key), is read
  off that entry: its entity, an :class:`Acronym` (the entity where the
  text writes it so), or nothing (a metonym's: left out);
* the others (a few thousand: keys that several kinds have, that have
  several entries, that begin with "the", which another kind may have
  without it, and the keys of other kinds that a kind refining its keys
  also reaches: "su 35", the weapons' "su35") are decided by the rule itself
  (``decide``), or left to it per look-up (:data:`BY_KIND`) where an
  acronym's entry is among them.

The largest kind's keys that are its alone stay out of the dict (the
currencies' names in dozens of languages: a megabyte saved): the caller
reads them off their one entry in that kind's own keys.

The keys beyond ASCII (Cyrillic, Arabic, Chinese...) stay in each kind's
trie (:class:`~geonorm.keytable.KeyTable`): a dict of them would cost
megabytes. For them :func:`flag_lone_keys` marks, one byte per key, those
that one kind alone has, with one entry (for an acronym's or a metonym's,
which may name nothing as a text writes it, also whether its fallback keys
name nothing): the caller reads the answer off the first kind that has the
key, where it is marked, rather than asking every kind. They are built on
the first look-up of such a key, not with the dict.

The rule that decides stays in one place: this module only asks it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from . import index as ix

if TYPE_CHECKING:
    from .keytable import KeyTable

__all__ = [
    "ACRONYM",
    "BY_KIND",
    "FALLS_TO_NOTHING",
    "LONE",
    "NAMES_NOTHING",
    "SEVERAL",
    "THE_FALLS_TO_NOTHING",
    "Acronym",
    "Decisions",
    "View",
    "acronym",
    "decide_every_key",
    "flag_lone_keys",
    "lone_answer",
    "refined_elsewhere",
]

#: Stored for a key whose answer depends on how the text is written, beyond
#: one acronym (the fast path asks every kind in turn).
BY_KIND = object()

_ENTITY_SHIFT = ix.ENTITY_SHIFT
_TYPE_SHIFT, _TYPE_MASK = ix.TYPE_SHIFT, ix.TYPE_MASK
_METONYM_TYPES = ix.METONYM_TYPES


class Acronym(NamedTuple):
    """A key that names ``entity`` only where the text writes ``alias``, an
    acronym, in its own case (the fast path's case rule)."""

    entity: object
    alias: str


#: What :func:`lone_answer` gives for entries that name nothing with
#: metonyms off (a capital's), for an acronym's one entry, and for several.
NAMES_NOTHING = object()
ACRONYM = object()
SEVERAL = object()


def lone_answer(entries: ix.Entries, entities: Sequence[object]) -> object:
    """What a key's ``entries`` in one kind (its ``entities``) answer where
    no other table names the key, with metonyms off, as the fast path reads
    them: the entity of its one entry; :data:`NAMES_NOTHING` for a
    metonym's; :data:`ACRONYM` for an acronym's (its case rule needs the
    text as written); :data:`SEVERAL` for several entries.

    >>> from geonorm.index import ENTITY_SHIFT
    >>> lone_answer(1 << ENTITY_SHIFT, ["IN", "GE"]), lone_answer((1, 2), []) is SEVERAL
    ('GE', True)
    """
    if entries.__class__ is not int:
        return SEVERAL
    entry: int = entries
    if (entry >> _TYPE_SHIFT) & _TYPE_MASK in _METONYM_TYPES:
        return NAMES_NOTHING
    if entry & 1:
        return ACRONYM
    return entities[entry >> _ENTITY_SHIFT]


#: Key -> its answer: an entity, None (a tie), an :class:`Acronym`, the
#: caller's marker for "the general path decides", or :data:`BY_KIND`.
Decisions = dict[str, object]
#: One kind's view, as the fast path holds it: its ASCII keys (key ->
#: packed entries), its entities, and its refinement of a key (or None).
View = tuple[Mapping[str, ix.Entries], Sequence[object], Callable[[str], str] | None]


def decide_every_key(
    views: Sequence[View], decide: Callable[[str], object], nothing: object, alias_of: Callable[[object, int], str]
) -> tuple[Decisions, View]:
    """The answers for the ASCII keys of ``views`` (see the module's
    docstring), and the view whose keys that are its alone the dict leaves
    out (the largest of those that refine no key). ``decide(key)`` is the
    rule, which answers ``nothing`` for a key that names nothing;
    ``alias_of(entity, entry)`` gives the alias a packed entry names.

    >>> from geonorm.index import ENTITY_SHIFT
    >>> one = ({"india": 0 << ENTITY_SHIFT, "georgia": 1 << ENTITY_SHIFT}, ["IN", "GE"], None)
    >>> other = ({"georgia": 0 << ENTITY_SHIFT}, ["US-GA"], None)
    >>> small = ({"bharat": 0 << ENTITY_SHIFT}, ["IN"], None)
    >>> decisions, rest = decide_every_key([one, other, small], lambda k: None, object(), lambda e, i: "")
    >>> decisions, rest is one  # "georgia": a tie
    ({'bharat': 'IN', 'georgia': None}, True)
    """
    shared: set[str] = set()
    for (first, _, _), (second, _, _) in itertools.combinations(views, 2):
        shared.update(first.keys() & second.keys())
    for plain, _, _ in views:
        shared.update(k for k, entries in plain.items() if entries.__class__ is not int or k.startswith("the "))
    for refined, _, refine in views:
        if refine is not None:
            for plain, _, _ in views:
                if plain is not refined:
                    shared.update(_refined_into(plain, refine, refined))
    rest = max((view for view in views if view[2] is None), key=lambda view: len(view[0]))
    out: Decisions = {}
    for view in views:
        if view is rest:
            continue
        plain, entities, refine = view
        for k, entries in plain.items():
            if k in shared or (refine is not None and refine(k) != k):
                continue  # decided below (or, a refined form, no key as a text writes it)
            found = lone_answer(entries, entities)
            if found is ACRONYM:
                out[k] = acronym(k, entries, entities, alias_of)  # type: ignore[arg-type]
            elif found is not NAMES_NOTHING:  # (several entries are shared keys)
                out[k] = found
    for k in sorted(shared):
        if any(_acronym(plain.get(refine(k) if refine else k)) for plain, _, refine in views):
            out[k] = BY_KIND
            continue
        found = decide(k)
        if found is not nothing:
            out[k] = found
    return out, rest


#: The flags of :func:`flag_lone_keys`: one kind alone has the key, with
#: one entry; and, for such a key of one word whose entry is an acronym's or
#: a metonym's (which may name nothing as a text writes it), its fallback
#: keys name nothing, and those of it after "the" name nothing but by it.
LONE, FALLS_TO_NOTHING, THE_FALLS_TO_NOTHING = 1, 2, 4


def flag_lone_keys(
    views: Sequence[tuple[KeyTable, Callable[[str], str] | None]], falls: Callable[[str], int] | None = None
) -> list[bytearray | None]:
    """For each kind of ``views`` (its keys and its refinement of a key, or
    None) that refines no key, one byte per key beyond ASCII
    (:meth:`~geonorm.keytable.KeyTable.key_ids`): :data:`LONE` where the key
    has one entry and no other kind has the key (refined as that kind
    refines it), with, for such a key of one word whose entry is an
    acronym's or a metonym's, the bits ``falls(key)`` gives
    (:data:`FALLS_TO_NOTHING`, :data:`THE_FALLS_TO_NOTHING`); None for a
    kind that refines its keys (a text's key is not its key: "с 400" is
    the weapons' "s400").

    >>> from geonorm.index import ENTITY_SHIFT
    >>> from geonorm.keytable import KeyTable
    >>> one, other = KeyTable({"индия": 0, "грузия": 1 << ENTITY_SHIFT}), KeyTable({"грузия": 0})
    >>> flags = flag_lone_keys([(one, None), (other, None)])[0]
    >>> flags[one.key_id("индия")], flags[one.key_id("грузия")]  # ("грузия": the other kind has it too)
    (1, 0)
    """
    out: list[bytearray | None] = []
    for keys, refine in views:
        if refine is not None:
            out.append(None)
            continue
        # The other kinds' tests: their trie's own for a key as it is; for
        # a refined key, which may be ASCII, their keys as a mapping.
        as_is = [other.beyond_ascii_test() for other, other_refine in views if other is not keys and not other_refine]
        refined = [(other, other_refine) for other, other_refine in views if other is not keys and other_refine]
        flags = bytearray(keys.id_count())
        may_fall: list[tuple[str, int]] = []
        entries_at = keys.entries_at
        for k, i in keys.key_ids():
            entries = entries_at(i)
            if entries.__class__ is not int:
                continue
            for has in as_is:
                if has(k):
                    break
            else:
                for other, its in refined:
                    if its(k) in other:
                        break
                else:
                    flags[i] = LONE
                    entry: int = entries
                    if falls and " " not in k and (entry & 1 or (entry >> _TYPE_SHIFT) & _TYPE_MASK in _METONYM_TYPES):
                        may_fall.append((k, i))
        if falls:
            for k, i in may_fall:  # (after the keys read above are freed)
                flags[i] |= falls(k)
        out.append(flags)
    return out


def acronym(k: str, entry: int, entities: Sequence[object], alias_of: Callable[[object, int], str]) -> object:
    """The answer for the key ``k`` whose one entry (``entry``) is an
    acronym's: an :class:`Acronym`, or :data:`BY_KIND` where the key has a
    space (written apart, it may tie with another kind's fallback key:
    :meth:`~geonorm.resolution.Resolution._fast_key` weighs it)."""
    if " " in k:
        return BY_KIND
    entity = entities[entry >> _ENTITY_SHIFT]
    return Acronym(entity, alias_of(entity, entry))


def _refined_into(
    keys: Mapping[str, ix.Entries], refine: Callable[[str], str], refined: Mapping[str, ix.Entries]
) -> list[str]:
    """The keys of ``keys`` whose refined form (``refine``) differs and is
    one of ``refined``: "su 35" where the weapons have "su35". (An ASCII
    key's refinement is the key or the key without its spaces: see
    :meth:`~geonorm.kinds.base.KindSpec.refine`.)"""
    spaced = [k for k in keys if " " in k]
    return [k for k, r in zip(spaced, map(refine, spaced), strict=True) if r != k and r in refined]


def refined_elsewhere(k: str, views: Sequence[View]) -> tuple[ix.Entries, Sequence[object]] | bool:
    """What a kind that refines its keys has under the refined form of
    ``k``, an ASCII key no kind has as it is: the entries and the kind's
    entities where one such kind has it, True where several do, False
    where none does. An ASCII key's refinement is the key itself or the
    key with its spaces taken out (see
    :meth:`~geonorm.kinds.base.KindSpec.refine`): a key without spaces is
    its own, and the refining kind is asked only where the joined key is
    one of its keys.

    >>> weapons = ({"s400": 7}, ["S-400"], lambda k: k.replace(" ", ""))
    >>> refined_elsewhere("s 400", [weapons]), refined_elsewhere("india", [weapons])
    ((7, ['S-400']), False)
    """
    if " " not in k:
        return False
    joined = k.replace(" ", "")
    found: tuple[ix.Entries, Sequence[object]] | bool = False
    for plain, entities, refine in views:
        if refine is not None:
            entries = plain.get(joined)
            if entries is not None and refine(k) == joined:
                if found:
                    return True
                found = (entries, entities)
    return found


def _acronym(entries: ix.Entries | None) -> bool:
    if entries is None:
        return False
    if entries.__class__ is int:
        return bool(entries & 1)
    return any(e & 1 for e in entries)  # type: ignore[union-attr]
