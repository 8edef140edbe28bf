"""Coreference: a bare surname after the person was named in full
("Vladimir Putin ... Putin said"), the family name for people who write it
first (Xi Jinping, Kim Jong Un).

The compile step makes each person's surname, as the patterns write it, a
pattern of its own (:meth:`~.patterns.PatternBuilder.add_surnames`), so the
scan meets bare surnames in its one pass over the text: a surname is a
mention where a name of its person came in full earlier in the text, and
nothing otherwise. This module holds the rule for which word that is.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import Entity, Person
from .prepare import WORDS

if TYPE_CHECKING:
    from .mention import Mention

__all__ = ["first_full_names", "surname_of", "surname_word", "with_antecedents"]

# Countries whose people write the family name first (Kim Jong Un, Xi Jinping):
# a later bare reference uses the first word.
_FAMILY_NAME_FIRST = frozenset({"country:CN", "country:KP", "country:KR", "country:TW", "country:VN"})
#: Generational suffixes after a surname.
_SUFFIXES = frozenset({"jr", "sr"})
#: A number after a name, in Roman numerals ("II", "XIV").
_NUMBER = re.compile("[IVX]+")
#: The end of a patronymic (lower-cased), Russian, Ukrainian or
#: Belarusian, in any case ending ("Борисович", "Борисовича", "Олексіївна"),
#: or transliterated ("Vladimirovich", "Sergeyevich").
_PATRONYMIC_END = re.compile("(?:(?:ович|евич|ьич|овн|евн|ичн|івн|ївн)[а-яёіїє]{0,3}|ovich|evich|ovna|evna|ichna)$")


def _official_order(words: list[str]) -> bool:
    """Whether a name of three words or more is written family name first,
    then given name and patronymic ("Миллер Алексей Борисович", "Putin
    Vladimir Vladimirovich"): its last word is a patronymic and the one
    before it is not ("Roman Arkadyevich Abramovich" is in the usual order).

    >>> _official_order(["Putin", "Vladimir", "Vladimirovich"]), _official_order(["Roman", "Arkadyevich", "Abramovich"])
    (True, False)
    """
    return (
        len(words) > 2
        and _PATRONYMIC_END.search(words[-1].lower()) is not None
        and _PATRONYMIC_END.search(words[-2].lower()) is None
    )


def surname_word(entity: Entity, words: list[str], not_surnames: frozenset[str]) -> str:
    """The word of ``words`` (a person's name) that a later bare mention of
    the person uses, as written; "" where no word can stand alone for the
    person. :func:`surname_of` has the rule.

    >>> from geonorm import resolve
    >>> surname_word(resolve("Vladimir Putin"), ["VLADIMIR", "PUTIN"], frozenset())
    'PUTIN'
    """
    if len(words) > 1 and words[-1].lower() in _SUFFIXES:
        words = words[:-1]
    if _NUMBER.fullmatch(words[-1]):
        return ""  # a monarch's or pope's number, or a generation's
    country = getattr(entity, "country", None)
    family_first = country is not None and country.id in _FAMILY_NAME_FIRST and len(words[0]) > 1
    word = words[0] if family_first or _official_order(words) else words[-1]
    return "" if len(word) < 2 or word.lower() in not_surnames else word


def surname_of(entity: Entity, words: list[str], not_surnames: frozenset[str]) -> str:
    """The word a later bare mention of this person uses, lower-cased; ""
    where no word of the name can stand alone for the person.

    The family name comes last ("Vladimir Putin": "putin"), or first for
    people who write it first ("Xi Jinping": "xi"; not before an initial,
    "C. C. Wei": "wei"; and for a Russian name in its official order,
    "Miller Alexei Borisovich": "miller"). A generational suffix is passed over ("Charles Q.
    Brown Jr.": "brown"); a name that ends in a number ("King Charles III",
    "Lloyd J. Austin III") gives none, nor does a word of one letter ("A"),
    or one of ``not_surnames``, words that open sentences ("He Weidong ...
    He said", "To Lam ... To the surprise of many").

    >>> from geonorm import resolve
    >>> [surname_of(resolve(name), name.split(), frozenset({"he"}))
    ...  for name in ("Vladimir Putin", "Xi Jinping", "Charles Q. Brown Jr", "King Charles III", "He Weidong")]
    ['putin', 'xi', 'brown', '', '']
    """
    return surname_word(entity, words, not_surnames).lower()


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


def with_antecedents(mentions: list[Mention], not_surnames: frozenset[str]) -> list[Mention]:
    """``mentions`` without the bare surnames whose person is no longer named
    in full before them (after a later step took that mention out)."""
    first = first_full_names(mentions, not_surnames)
    return [m for m in mentions if m.how != "coreference" or first.get(m.text.lower(), m.end) <= m.start]
