"""Coreference: a bare surname after the person was named in full
("Vladimir Putin ... Putin said"), the family name for people who write it
first (Xi Jinping, Kim Jong Un)."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

import ahocorasick_rs

from ..model import Entity, Person
from .automaton import searchable
from .mention import Mention
from .prepare import WORDS

if TYPE_CHECKING:
    from .mentions import _Scan

__all__ = ["coreferences", "first_full_names", "surname_of"]

# Countries whose people write the family name first (Kim Jong Un, Xi Jinping):
# a later bare reference uses the first word.
_FAMILY_NAME_FIRST = frozenset({"country:CN", "country:KP", "country:KR", "country:TW", "country:VN"})
_WORD_ENDS = (" ", ",", ".", ";", ":", "!", "?")
#: Generational suffixes after a surname.
_SUFFIXES = frozenset({"jr", "sr"})
#: A number after a name, in Roman numerals ("II", "XIV").
_NUMBER = re.compile("[IVX]+")
_FEW_SURNAMES = 8  # up to this many, a string search per surname beats building an automaton


def surname_of(entity: Entity, words: list[str], not_surnames: frozenset[str]) -> str:
    """The word a later bare mention of this person uses, lower-cased; ""
    where no word of the name can stand alone for the person.

    The family name comes last ("Vladimir Putin": "putin"), or first for
    people who write it first ("Xi Jinping": "xi"; not before an initial,
    "C. C. Wei": "wei"). A generational suffix is passed over ("Charles Q.
    Brown Jr.": "brown"); a name that ends in a number ("King Charles III",
    "Lloyd J. Austin III") gives none, nor does a word of one letter ("A"),
    or one of ``not_surnames``, words that open sentences ("He Weidong ...
    He said", "To Lam ... To the surprise of many").

    >>> from geonorm import resolve
    >>> [surname_of(resolve(name), name.split(), frozenset({"he"}))
    ...  for name in ("Vladimir Putin", "Xi Jinping", "Charles Q. Brown Jr", "King Charles III", "He Weidong")]
    ['putin', 'xi', 'brown', '', '']
    """
    if len(words) > 1 and words[-1].lower() in _SUFFIXES:
        words = words[:-1]
    if _NUMBER.fullmatch(words[-1]):
        return ""  # a monarch's or pope's number, or a generation's
    country = getattr(entity, "country", None)
    family_first = country is not None and country.id in _FAMILY_NAME_FIRST and len(words[0]) > 1
    surname = (words[0] if family_first else words[-1]).lower()
    return "" if len(surname) < 2 or surname in not_surnames else surname


def first_full_names(mentions: list[Mention], not_surnames: frozenset[str]) -> dict[str, int]:
    """Surname -> the end of the first mention of its person in full
    (written with a space), among ``mentions`` in text order."""
    out: dict[str, int] = {}
    for m in mentions:
        if isinstance(m.entity, Person) and " " in m.text:
            surname = surname_of(m.entity, WORDS.findall(m.text), not_surnames)
            if surname:
                out.setdefault(surname, m.end)
    return out


def _surname_hits(prepared: str, surnames: list[str]) -> list[tuple[int, str]]:
    """Where the whole words ``surnames`` occur in the lower-cased prepared
    text, as ``(offset of the last letter, surname)`` in text order. A few
    surnames are found by the string search of each (C); many by one small
    automaton over them (one pass in C, whatever their number)."""
    out: list[tuple[int, str]] = []
    if len(surnames) <= _FEW_SURNAMES:
        for surname in surnames:
            needle = " " + surname
            i = prepared.find(needle)
            while i != -1:
                after = i + len(needle)
                if prepared[after] in _WORD_ENDS:
                    out.append((after - 1, surname))
                i = prepared.find(needle, after)
        out.sort(key=lambda hit: (hit[0], -len(hit[1])))
        return out
    # With the character that ends a word, so only whole words are found.
    needles = [" " + surname + word_end for surname in surnames for word_end in _WORD_ENDS]
    finder = ahocorasick_rs.AhoCorasick(needles)
    per = len(_WORD_ENDS)
    try:
        found = finder.find_matches_as_indexes(prepared, overlapping=True)
    except UnicodeEncodeError:  # an unpaired surrogate
        found = finder.find_matches_as_indexes(searchable(prepared), overlapping=True)
    # Every match, overlaps included; the word-ending character is not part of the name.
    out = [(end - 2, surnames[i // per]) for i, _, end in found]
    out.sort(key=lambda hit: (hit[0], -len(hit[1])))
    return out


def coreferences(scan: _Scan, mentions: list[Mention]) -> list[Mention]:
    """Bare surnames that are no alias of their own, after the full name."""
    if not scan.coref or "person" not in scan.kinds:
        return []
    text = scan.text
    if scan.first_full_kept:
        first_seen = scan.first_full  # what the scan saw, every mention kept
    else:
        first_seen = first_full_names(mentions, scan.m.not_surnames)
    surnames = [surname for surname in first_seen if surname in scan.coref]
    if not surnames:
        return []
    prepared = scan.cased.replace("\u0130", "i").lower() if "\u0130" in scan.cased else scan.cased.lower()
    prepared += " "
    mention_ends = {m.end for m in mentions}
    hits = []
    for end, surname in _surname_hits(prepared, surnames):
        e = scan.orig(end) + 1
        if e in mention_ends:
            continue  # the last word of a full name already found
        s = scan.orig(end - len(surname) + 1)
        if s >= first_seen[surname] and text[s].isupper():
            hits.append((s, e, surname))
    if not hits:
        return []
    starts = sorted(m.start for m in mentions)
    ends = {m.start: m.end for m in mentions}
    out = []
    for s, e, surname in hits:
        i = bisect.bisect_right(starts, s) - 1
        if i >= 0 and ends[starts[i]] > s:
            continue  # inside another mention
        if i + 1 < len(starts) and starts[i + 1] < e:
            continue
        out.append(Mention(s, e, text[s:e], scan.coref[surname], "coreference"))
    return out
