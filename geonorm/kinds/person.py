"""People. Titles and role phrases in front of a name are stripped ("Russian
President Vladimir Putin"); initials ("V. Putin", "Donald J. Trump"),
surname-first order and press transliterations ("Дмитрий" meets "Dmitry")
are fallbacks after the exact look-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from itertools import groupby
from typing import Any, NamedTuple

from .. import _forksafe
from ..model import Country, Organisation, Person, Role, direct_constructor
from ..text import key
from .base import KindSpec, TableLookup, Together, any_key, rotations

_PERSON = direct_constructor(Person)  # Person(...), built for half the time

__all__ = ["PersonSpec", "skeleton", "transliterate"]

_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "є": "ye",
    "і": "i",
    "ї": "yi",
    "ґ": "g",
    "ў": "w",
}
_GREEK = {
    "α": "a",
    "β": "v",
    "γ": "g",
    "δ": "d",
    "ε": "e",
    "ζ": "z",
    "η": "i",
    "θ": "th",
    "ι": "i",
    "κ": "k",
    "λ": "l",
    "μ": "m",
    "ν": "n",
    "ξ": "x",
    "ο": "o",
    "π": "p",
    "ρ": "r",
    "σ": "s",
    "ς": "s",
    "τ": "t",
    "υ": "y",
    "φ": "f",
    "χ": "ch",
    "ψ": "ps",
    "ω": "o",
}
_TRANSLIT = str.maketrans({**_CYRILLIC, **_GREEK})
_SKELETON_PAIRS = (
    ("shch", "sh"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("dzh", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("ph", "f"),
    ("w", "v"),
    ("ck", "k"),
    ("x", "ks"),
    ("y", "i"),
    ("ou", "u"),
)


def transliterate(k: str) -> str:
    """Press-style romanisation of Cyrillic and Greek (BGN/PCGN-like).

    >>> transliterate("дмитрий песков")
    'dmitriy peskov'
    """
    return k.translate(_TRANSLIT)


def skeleton(k: str) -> str:
    """A coarse key on which Latin spelling variants meet
    (Dmitry/Dmitri/Dmitriy, Sergei/Sergey, Zelensky/Zelenskyy/Zelenskiy).

    >>> skeleton("dmitriy peskov") == skeleton("dmitri peskov") == skeleton("dmitry peskov")
    True
    """
    for a, b in _SKELETON_PAIRS:
        k = k.replace(a, b)
    return "".join(ch for ch, _ in groupby(k))


#: Word skeletons already computed (names repeat across look-ups): words of
#: at most 40 characters, up to SKELETON_CACHE_SIZE of them (a few MB);
#: other words are skeletonised afresh.
_WORD_SKELETONS: dict[str, str] = {}
SKELETON_CACHE_SIZE = 65_536


def _skeleton_key(latin: str, known: frozenset[str]) -> str | None:
    """The skeleton of ``latin`` to look up, or None where one of its words
    has a skeleton no name's has (``known``), so none can match. The
    skeleton is taken word by word (no pair :func:`skeleton` rewrites holds
    a space) from the last word, the surname, which rules out most
    look-ups; where spacing is odd, only the whole string's is exact.

    >>> _skeleton_key("dmitri peskov", frozenset({"dmitri", "peskov"}))
    'dmitri peskov'
    >>> _skeleton_key("dmitri nobody", frozenset({"dmitri", "peskov"})) is None
    True
    """
    if "  " in latin or latin.startswith(" ") or latin.endswith(" "):
        return skeleton(latin)
    parts = []
    for word in reversed(latin.split(" ")):
        sk = _word_skeleton(word)
        if sk not in known:
            return None
        parts.append(sk)
    return " ".join(reversed(parts))


def _word_skeleton(word: str) -> str:
    """:func:`skeleton` of one word, kept in :data:`_WORD_SKELETONS`."""
    sk = _WORD_SKELETONS.get(word)
    if sk is None:
        sk = skeleton(word)
        if len(word) <= 40 and len(_WORD_SKELETONS) < SKELETON_CACHE_SIZE:
            _WORD_SKELETONS[word] = sk
    return sk


#: The most words a query may have for the person fallbacks (titles
#: stripped, initials, rotations, spelling skeletons) to be tried: a title
#: and a full name ("former Russian Deputy Prime Minister Sergei Kuzhugetovich
#: Shoigu") stay well below it, and it keeps every look-up linear.
MAX_QUERY_WORDS = 24


class _Auxiliary(NamedTuple):
    by_surname: dict[str, tuple[str, ...]]
    by_skeleton: dict[str, tuple[str, ...]]
    vocabulary: frozenset[str]
    skeleton_words: frozenset[str]


class PersonSpec(KindSpec[Person]):
    kind = "person"
    entity_class = Person
    hints = frozenset({"country"})
    fuzzy = False  # spelling variants meet through transliteration and skeleton keys
    falls_back_from_one_word = False  # titles, initials, word orders and spellings are of names of two words

    def __init__(self) -> None:
        self.prefix_words: frozenset[str] = frozenset()
        self.offices: dict[str, str] = {}
        #: Single-seat offices, and how their seat is told ("country" or
        #: "organisation"); see people/_offices.toml.
        self.seats: dict[str, str] = {}
        #: The date the people tables are known to (the earliest as_of), and
        #: per office, the earliest as_of of the tables with its roles.
        self.as_of: dt.date | None = None
        self.office_as_of: dict[str, dt.date] = {}
        #: Per office in one country or organisation (``("defence_minister",
        #: "country:UA")``), the day the tables know it to (see the compile
        #: step's _person_extra).
        self.seat_as_of: dict[tuple[str, str], dt.date] = {}
        self._lock = _forksafe.lock()
        self._aux: tuple[Mapping[str, Any], _Auxiliary] | None = None

    def configure(self, extra: Mapping[str, Any]) -> None:
        self.prefix_words = frozenset(extra.get("prefix_words", ()))
        self.offices = dict(extra.get("offices", {}))
        self.seats = dict(extra.get("seats", {}))
        as_of = extra.get("as_of")
        self.as_of = dt.date.fromisoformat(as_of[0]) if as_of else None
        self.office_as_of = {k: dt.date.fromisoformat(v) for k, v in extra.get("office_as_of", {}).items()}
        self.seat_as_of = {}
        for k, v in extra.get("seat_as_of", {}).items():
            office, _, where = k.partition(" ")
            self.seat_as_of[office, where] = dt.date.fromisoformat(v)

    def _auxiliary(self, keys: Mapping[str, Any]) -> _Auxiliary:
        """Surname -> full keys, skeleton -> keys, and the words of the keys
        and of their skeletons (a fallback built of a query's words finds
        nothing unless each word is among them); built on first need."""
        built = self._aux
        if built is not None and built[0] is keys:
            return built[1]
        with self._lock:
            built = self._aux
            if built is not None and built[0] is keys:
                return built[1]
            by_surname: dict[str, list[str]] = {}
            by_skeleton: dict[str, list[str]] = {}
            vocabulary: set[str] = set()
            for k in keys:
                words = k.split()
                vocabulary.update(words)
                if len(words) >= 2:
                    by_surname.setdefault(words[-1], []).append(k)
                latin = transliterate(k)
                if latin.isascii():
                    by_skeleton.setdefault(skeleton(latin), []).append(k)
            skeleton_words = {w for sk in by_skeleton for w in sk.split(" ")}
            aux = _Auxiliary(
                # Tuples: a list grown by appends keeps room for more (most hold one key).
                {surname: tuple(found) for surname, found in by_surname.items()},
                {sk: tuple(found) for sk, found in by_skeleton.items()},
                frozenset(vocabulary),
                frozenset(skeleton_words),
            )
            # Kept with the keys it was built from, compared by identity.
            self._aux = (keys, aux)
            return aux

    def strip_titles(self, k: str) -> list[str]:
        """Remainders of ``k`` after leading title, honorific and country words.

        >>> spec = PersonSpec(); spec.configure({"prefix_words": ["russian", "president"]})
        >>> spec.strip_titles("russian president vladimir putin")
        ['president vladimir putin', 'vladimir putin']
        """
        if k.partition(" ")[0] not in self.prefix_words:
            return []  # no title first (most keys)
        words = k.split()
        out = []
        for i, w in enumerate(words[:-1]):
            if w not in self.prefix_words:
                break
            out.append(" ".join(words[i + 1 :]))
        return out

    def may_fall_back_to_key(self, k: str, keys: Mapping[str, Any], shared: Sequence[str] = ()) -> bool:
        # What query_keys gives but the common fallback keys: a remainder of
        # the key, or a name in another order, without initials or of a
        # spelling, each found by the last word of the key or of a common
        # fallback key, a word of a name (or, in ASCII, of a name's
        # skeleton; see query_keys and _name_of).
        if shared and any_key(shared, keys):
            return True
        if " " not in k and not shared:
            return False
        if k.count(" ") >= MAX_QUERY_WORDS:
            return False
        if not k.isascii():
            return True  # (another script's spelling, transliterated)
        aux = self._auxiliary(keys)
        vocabulary = aux.vocabulary
        last = k.rpartition(" ")[2]
        if last in vocabulary or _word_skeleton(last) in aux.skeleton_words:
            return True
        return bool(shared) and not vocabulary.isdisjoint([s.rpartition(" ")[2] for s in shared])

    def query_keys(
        self,
        text: str,
        primary: str,
        keys: Mapping[str, Any],
        common: str | None = None,
        shared: list[str] | None = None,
    ) -> list[str]:
        out = super().query_keys(text, primary, keys, common, shared)
        if primary.count(" ") >= MAX_QUERY_WORDS:
            return out  # no title and name is this long: the fallbacks below are for names
        if not out and " " not in primary:
            # One word and no common fallback: no title to strip, no
            # initials, no other word order, no skeleton of a full name.
            return out
        remainders = [primary, *self.strip_titles(primary)]
        aux = self._auxiliary(keys)
        vocabulary = aux.vocabulary
        # Every remainder ends in the key's last word: where no name has it,
        # none of them is a name, nor is its other word order or its
        # initials' surname (most look-ups that reach here name no person).
        named = primary.rpartition(" ")[2] in vocabulary
        if named:
            for rem in remainders:
                if rem != primary and rem in keys:
                    return [rem]
        # The common fallback keys too: "Putin, Vladimir V." inverted is
        # "vladimir v putin", whose middle initial the rule below drops.
        others = [k for k in out if k and k not in remainders] if out else []
        for rem in [*remainders, *others] if named else others:
            named_so = _name_of(rem, keys, aux)
            if named_so is not None:
                return named_so
        if primary.isascii() and _word_skeleton(primary.rpartition(" ")[2]) not in aux.skeleton_words:
            # Every remainder ends in the key's last word, as its own spelling
            # (ASCII): none of them has a name's skeleton (see _skeleton_key).
            return out
        for rem in remainders:
            if " " not in rem:
                continue  # a bare surname meets its spellings in other scripts only as written there
            latin = transliterate(rem)
            if latin.isascii():
                sk = _skeleton_key(latin, aux.skeleton_words)
                if sk is None:
                    continue  # a word no name's skeleton has
                found = [k for k in aux.by_skeleton.get(sk, ()) if k != rem]
                if found:
                    return Together(found)  # spellings of one name, or of several people's
        return out

    def written_keys(self, written: Sequence[str], primary: str, keys: Mapping[str, Any]) -> list[str]:
        out = super().written_keys(written, primary, keys)
        if not out:
            return out
        aux = self._auxiliary(keys)
        # What query_keys derives from them: another word order, initials.
        # (Where they let it go on past a key of one word, it derives
        # nothing from the key: no other word order, no initials.)
        derived: list[str] = []
        for rem in out:
            if rem:
                derived.extend(_name_of(rem, keys, aux) or ())
        return [*out, *derived]

    def office_and_prefix(self, title: str) -> tuple[str | None, str]:
        """The office key a title names, and the words before the office
        phrase ("Russian Defence Minister" -> ("defence_minister", "russian"))."""
        if title in self.offices.values():
            return title, ""
        k = key(title)
        if k in self.offices:
            return self.offices[k], ""
        words = k.split()
        for i in range(1, len(words)):
            if words[i - 1] not in self.prefix_words:
                break  # the words before an office phrase are all prefix words
            rest = " ".join(words[i:])
            if rest in self.offices:
                return self.offices[rest], " ".join(words[:i])
        return None, ""

    def build_entities(self, raw: Sequence[Mapping[str, Any]], lookup: TableLookup) -> list[Person]:
        return [self.build_entity(r, lookup) for r in raw]

    @staticmethod
    def of_fields(entity_id: str, name: str, aliases: Sequence[str], fields: Mapping[str, Any]) -> Person | None:
        """The person of a record of names alone (see :attr:`KindSpec.of_fields`)."""
        return None if fields else _PERSON(entity_id, name, aliases)  # every other field has its default

    def build_entity(self, raw: Mapping[str, Any], lookup: TableLookup) -> Person:
        country = lookup(raw["country"]) if raw.get("country") else None
        roles = raw.get("roles")
        return _PERSON(
            id=raw["id"],
            name=raw["name"],
            aliases=tuple(raw["aliases"]),
            full_name=raw.get("full_name", ""),
            country=country if isinstance(country, Country) else None,
            roles=tuple([_role(role, lookup) for role in roles]) if roles else (),
        )


def _name_of(rem: str, keys: Mapping[str, Any], aux: _Auxiliary) -> list[str] | None:
    """The key of a name that ``rem`` (a key, or what is left of one)
    writes otherwise, where ``keys`` has one: without its middle initials,
    in another word order; or, for initials and a surname, the names they
    fit (:class:`Together`). None where it writes none."""
    vocabulary = aux.vocabulary
    words = rem.split()
    if len(words) < 2:
        return None  # one word: no initials to drop, no other order, no surname after initials
    if words[0] in vocabulary and words[-1] in vocabulary:
        if len(words) > 2:
            no_initials = [w for w in words[1:-1] if len(w) > 1]
            if len(no_initials) < len(words) - 2:
                cand = " ".join([words[0], *no_initials, words[-1]])
                if cand in keys:
                    return [cand]
        if vocabulary.issuperset(words):
            for rot in rotations(rem, 4):
                if rot in keys:
                    return [rot]
    initials = "".join(words[:-1])
    if len(initials) == len(words) - 1:  # each word before the last is one letter
        found = [
            full
            for full in aux.by_surname.get(words[-1], ())
            if "".join(w[0] for w in full.split()[:-1]).startswith(initials)
        ]
        if found:
            return Together(found)  # the initials may fit several people
    return None


def _role(role: Mapping[str, Any], lookup: TableLookup) -> Role:
    """A role of a person's record, its country and organisation found by ``lookup``."""
    rc = lookup(role["country"]) if role.get("country") else None
    org = lookup(role["organisation"]) if role.get("organisation") else None
    return Role(
        office=role["office"],
        title=role["title"],
        country=rc if isinstance(rc, Country) else None,
        organisation=org if isinstance(org, Organisation) else None,
        start=dt.date.fromisoformat(role["start"]) if role.get("start") else None,
        end=dt.date.fromisoformat(role["end"]) if role.get("end") else None,
        held_from=dt.date.fromisoformat(role["held_from"]) if role.get("held_from") else None,
    )
