"""The extraction patterns: which spellings of which aliases the automata
look for, and what each may name.

Every alias that may stand in running text becomes one or more patterns (as
written, in capitals, accents dropped, compact designators such as "s400",
Russian-style quotes); each pattern carries its :class:`Candidate` entities.
:class:`PatternBuilder` derives them from the tables. The compile step
(:mod:`geonorm.compile`) runs it over the shipped tables once and writes the
result to ``geonorm/data/index/patterns.tsv``, so that a process loads the
patterns instead of deriving them (:meth:`PatternTable.load`); a registry's
run-time additions go through the same builder.

``patterns.tsv`` is text, one line per pattern, sorted, so a data change
shows as the lines of what it changes. Its first line is a JSON header
(format, counts); then lines of tab-separated fields:

- ``p``, pattern, start rule, end rule, automaton (:func:`automaton_of`),
  candidates: one pattern of the automata (its line number among ``p``
  lines is its id);
- ``s``, key, candidates: a currency sign ("$", "US$", "₹");
- ``d``, key: a one-word demonym ("Russian").

Candidates are a JSON list of ``[entity id, entry type, flags, alias]``
(flags: 1 acronym, 2 counts next to an amount only, 4 a currency word read
from context, 8 a sign), or the JSON string ``"surname"`` for a person's
bare surname that is no name of its own (a mention only after its person
was named in full: :mod:`.coreference`). Entities are named by id, never by
position. Nothing in the file is executed when it loads.
"""

from __future__ import annotations

import functools
import json
import mmap
import os
import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import accumulate, repeat
from operator import getitem
from typing import Any, Final, Protocol

import attrs

from .. import index as ix
from ..kinds import SPECS
from ..kinds.weapon import designator_key
from ..model import Entity
from ..scripts import (
    ARABIC,
    HAN,
    HANGUL_SYLLABLES,
    HEBREW,
    HEBREW_PRESENTATION,
    UNSPACED,
    arabic,
    hangul,
    hebrew,
    katakana,
    unspaced,
)
from ..tables import TableError
from ..text import fold, key
from .coreference import surname_word
from .prepare import SIGN_CHARS, WORDS, prepare

__all__ = [
    "AUTOMATON_CYRILLIC",
    "AUTOMATON_FIRST",
    "AUTOMATON_LATIN",
    "AUTOMATON_OTHER",
    "AUTOMATON_UNSPACED",
    "BARE_SURNAME",
    "CYRILLIC_LETTER",
    "END_FREE",
    "END_KANA",
    "END_PARTICLE",
    "END_WORD",
    "FORMAT",
    "LATIN_BEYOND_ASCII",
    "OTHER_SPACED_LETTER",
    "PATTERNS_FILE",
    "START_ARABIC",
    "START_FREE",
    "START_HANGUL",
    "START_HEBREW",
    "START_KANA",
    "START_SCRIPT",
    "START_SPACE",
    "Candidate",
    "PatternBuilder",
    "PatternTable",
    "automaton_of",
    "dump",
    "is_blocked",
]

#: The format of ``patterns.tsv``; a file of another format is not read.
FORMAT: Final = 3
#: The compiled patterns' file name in ``geonorm/data/index/``.
PATTERNS_FILE: Final = "patterns.tsv"
_MAX_PATTERN = 120
# End rules of a pattern: a name ends at a word boundary; a name ending in a
# script written without spaces may be followed by anything; a Hangul name
# may be followed by a Korean particle; a katakana name not by more katakana.
END_WORD, END_FREE, END_PARTICLE, END_KANA = 0, 1, 2, 3
# Start rules: a name starts after a space (the automaton's own word carries
# it); anywhere (Chinese characters); not inside a katakana word; after
# nothing but a prefix written together with the name (Arabic, Hebrew);
# after a Hangul word break; right after Chinese, Japanese or Korean letters
# (a designator or acronym: "購買S-400").
START_SPACE, START_FREE, START_KANA, START_ARABIC, START_HEBREW, START_HANGUL, START_SCRIPT = 0, 1, 2, 3, 4, 5, 6

#: Letters of the Cyrillic blocks: a text without them meets no name that
#: has one.
CYRILLIC_LETTER: Final = re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
#: Letters outside Latin (to U+024F), Cyrillic and the scripts written
#: without spaces: Greek, Devanagari, Armenian, Georgian and the other
#: scripts written with spaces.
OTHER_SPACED_LETTER: Final = re.compile(
    "[^\\W\\d_\u0000-\u024f\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
    f"{HANGUL_SYLLABLES}{HEBREW}{HEBREW_PRESENTATION}{ARABIC}{UNSPACED}]"
)


@functools.cache
def _script_letter() -> re.Pattern[str]:
    """The first Cyrillic (group 1) or other spaced-script (group 2) letter
    (compiled on first use: loading the shipped patterns never needs it)."""
    return re.compile(f"({CYRILLIC_LETTER.pattern})|({OTHER_SPACED_LETTER.pattern})")


# Which automaton holds a pattern (:func:`automaton_of`): names after a
# space in ASCII (or with, besides, only letters of the scripts written
# without spaces: "BAE系统公司"); with Latin letters beyond ASCII; with a
# Cyrillic letter; with a letter of another script written with spaces;
# names that need no space before them.
AUTOMATON_FIRST, AUTOMATON_LATIN, AUTOMATON_CYRILLIC, AUTOMATON_OTHER, AUTOMATON_UNSPACED = range(5)
#: The characters beyond ASCII that put a name in the automaton of Latin
#: names (:data:`AUTOMATON_LATIN`): below the blocks of the scripts written
#: without spaces ("é", "ł", "ễ", "’").
LATIN_BEYOND_ASCII: Final = re.compile("[\u0080-\u2bff]")
_ONLY_HAN = re.compile(f"[{HAN}]+")
_TURKISH_LETTERS = frozenset("çğıöşüÇĞİÖŞÜ")
# Entry types that count in running text (bare ISO codes are left out).
_TEXT_TYPES = frozenset(
    {ix.STRONG, ix.LOCALE, ix.NEWS_LOCALE, ix.WEAK, ix.DEMONYM, ix.WEAK_DEMONYM, ix.METONYM, ix.WEAK_METONYM, ix.USER}
)
_SMALL_WORDS = frozenset({"of", "the", "and", "de", "du", "des", "la", "le", "el", "al", "da", "do", "di"})
# Candidate flags in the file.
_ACRONYM, _SYMBOL, _CONTEXT_WORD, _SIGN = 1, 2, 4, 8
# A pattern line: pattern, start rule, end rule, automaton (one digit
# each), candidates. One group, so that a batch's matches are bytes objects,
# not tuples: freed tuples stay on the interpreter's free list, scattered
# over the heap, and keep its arenas from being given back.
_PATTERN_LINE = re.compile(rb"^p\t([^\t\n]+\t\d\t\d\t\d)\t.*\n", re.MULTILINE)
_NAME_PART, _DIGITS_PART = slice(None, -6), slice(-5, None)
_DIGIT_VALUES = bytes.maketrans(b"0123456789", bytes(range(10)))
# How much of the file one batch of pattern lines reads.
_BATCH_BYTES = 1 << 20


@attrs.frozen
class Candidate:
    """One entity a pattern may name in running text."""

    entity: Entity
    type: int
    alias: str
    words: tuple[str, ...]  #: the alias's words, as written (for the case rule)
    compact: str  #: the alias folded, letters and digits only (acronyms)
    acronym: bool
    symbol: bool
    context_word: bool
    #: The entry type's score (:data:`geonorm.index.SCORES`).
    score: float = attrs.field(init=False, eq=False, repr=False)
    #: Whether rules that read the surrounding text apply.
    contextual: bool = attrs.field(init=False, eq=False, repr=False)

    @score.default
    def _score(self) -> float:
        return ix.SCORES[self.type]

    @contextual.default
    def _contextual(self) -> bool:
        return self.symbol or self.context_word or self.type in ix.WEAK_TYPES or self.type in ix.METONYM_TYPES

    def encode(self) -> list[Any]:
        """``[entity id, entry type, flags, alias]``, as the file holds it."""
        sign = self.words == (self.alias,) and self.compact == self.alias and self.symbol
        flags = (
            _ACRONYM * self.acronym
            | _SYMBOL * self.symbol
            | _CONTEXT_WORD * self.context_word
            | _SIGN * (sign and not _plain(self.alias, self.words, self.compact))
        )
        return [self.entity.id, self.type, flags, self.alias]


def _plain(alias: str, words: tuple[str, ...], compact: str) -> bool:
    """Whether ``words`` and ``compact`` are what an alias gives by itself."""
    return words == tuple(WORDS.findall(alias)) and compact == "".join(WORDS.findall(fold(alias)))


def decode_candidate(raw: list[Any], lookup: Callable[[str], Entity | None]) -> Candidate | None:
    """The candidate ``raw`` (:meth:`Candidate.encode`) names, or None when
    its entity is unknown."""
    eid, etype, flags, alias = raw
    entity = lookup(eid)
    if entity is None:
        return None
    if flags & _SIGN:
        words: tuple[str, ...] = (alias,)
        compact = alias
    else:
        words = tuple(WORDS.findall(alias))
        compact = "".join(WORDS.findall(fold(alias)))
    return Candidate(
        entity=entity,
        type=etype,
        alias=alias,
        words=words,
        compact=compact,
        acronym=bool(flags & _ACRONYM),
        symbol=bool(flags & _SYMBOL),
        context_word=bool(flags & _CONTEXT_WORD),
    )


def is_blocked(cand: Candidate, blocked: Mapping[str, frozenset[str]]) -> bool:
    """Whether a registry declared the candidate's alias no name of its kind."""
    kind = cand.entity.kind
    return kind in blocked and SPECS[kind].refine(key(cand.alias)) in blocked[kind]


def _unblocked(cands: tuple[Candidate, ...], blocked: Mapping[str, frozenset[str]]) -> tuple[Candidate, ...]:
    """``cands`` without those a registry blocked (:func:`is_blocked`)."""
    if cands is BARE_SURNAME:
        return cands
    return tuple(c for c in cands if not is_blocked(c, blocked))


def _pattern(text: str) -> str:
    return prepare(text).strip(" ")


def after_script(cand: Candidate) -> bool:
    """Names that Chinese, Japanese and Korean text writes right after its own
    letters: designators with digits and acronyms."""
    return cand.acronym or (cand.entity.kind == "weapon" and any(ch.isdigit() for ch in cand.alias))


def _only_han(text: str) -> bool:
    return _ONLY_HAN.fullmatch(text) is not None


def name_forms(name: str) -> set[str]:
    """How a name may be written in running text: as given, in capitals, and
    with a capital first letter (a lower-case word starting a sentence).
    A lower-case word outside ASCII (an adjective or a currency word in
    another language: "российских", "dólares") is not looked for in
    capitals. Turkish names in capitals keep the dotted capital I
    ("TÜRKİYE").

    >>> sorted(name_forms("rupee"))
    ['RUPEE', 'Rupee', 'rupee']
    """
    forms = {name}
    if not (name[:1].islower() and not name.isascii()):
        forms.add(name.upper())
    if name[:1].islower():
        forms.add(name[:1].upper() + name[1:])
    if any(ch in _TURKISH_LETTERS for ch in name):
        forms.add(name.replace("i", "\u0130").upper())
    return forms


def _title(k: str) -> str:
    """``"sea of japan"`` -> ``"Sea of Japan"``."""
    words = k.split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def start_rule(pattern: str) -> int:
    """How the start of a match of ``pattern`` is checked (``START_*``)."""
    first = pattern[0]
    if katakana(first):
        return START_KANA
    if unspaced(first):
        return START_FREE
    if arabic(first) and len(pattern) >= 3 and not pattern.startswith("لل"):
        return START_ARABIC
    if hebrew(first) and len(pattern) >= 3:
        return START_HEBREW
    if hangul(first):
        return START_HANGUL
    return START_SPACE


def end_rule(pattern: str) -> int:
    """How the end of a match of ``pattern`` is checked (``END_*``)."""
    last = pattern[-1]
    if katakana(last):
        return END_KANA
    if unspaced(last):
        return END_FREE
    return END_PARTICLE if hangul(last) else END_WORD


def automaton_of(pattern: str, start: int) -> int:
    """Which automaton holds ``pattern`` with start rule ``start``: a name
    that needs no space before it, else by the script of its first letter
    outside Latin (a name can only be met in a text that has all its
    letters, so each automaton is built when a text first needs it).

    >>> [automaton_of(name, START_SPACE) for name in ("India", "Türkiye", "Индия", "Ελλάδα", "BAE系统")]
    [0, 1, 2, 3, 0]
    >>> automaton_of("中国", START_FREE)
    4
    """
    if start != START_SPACE:
        return AUTOMATON_UNSPACED
    if pattern.isascii():
        return AUTOMATON_FIRST
    found = _script_letter().search(pattern)
    if found is not None:
        return AUTOMATON_CYRILLIC if found.lastindex == 1 else AUTOMATON_OTHER
    return AUTOMATON_LATIN if LATIN_BEYOND_ASCII.search(pattern) else AUTOMATON_FIRST


class _BareSurname(tuple[()]):
    """The candidates of a bare surname's pattern: none of its own."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "BARE_SURNAME"


#: The candidates of a pattern that is a person's bare surname and no name of
#: its own ("Putin" of "Vladimir Putin"): empty, and told apart from a known
#: non-name's by identity (``cands is BARE_SURNAME``).
BARE_SURNAME: Final[tuple[Candidate, ...]] = _BareSurname()
_SURNAME_FIELD = '"surname"'

#: One entry of the automata: pattern, start rule, end rule, candidates.
Entry = tuple[str, int, int, tuple[Candidate, ...]]


def entries(
    patterns: Mapping[str, Iterable[Candidate]],
    surnames: Iterable[str] = (),
    after_script_elsewhere: Callable[[str], bool] = lambda _: False,
) -> list[Entry]:
    """The automata's entries for ``patterns`` and the bare ``surnames``
    (:data:`BARE_SURNAME`): one per pattern, and a second for an ASCII
    designator or acronym that Chinese, Japanese or Korean text writes right
    after its own letters ("J15戦闘機"), or for a pattern whose candidates
    elsewhere are such (``after_script_elsewhere``: a compiled table's
    pattern that the shipped tables have too, whose candidates the scan
    adds). Sorted by automaton (:func:`automaton_of`), then by pattern: each
    automaton's ids are consecutive, so a match's index in its automaton
    gives its id."""
    out: list[Entry] = []
    every = {**dict.fromkeys(surnames, BARE_SURNAME), **patterns}  # a name of its own wins
    for pattern, cand_list in sorted(every.items()):
        cands = cand_list if cand_list is BARE_SURNAME else tuple(cand_list)
        start, end = start_rule(pattern), end_rule(pattern)
        out.append((pattern, start, end, cands))
        if (
            not start
            and pattern.isascii()
            and len(pattern) <= 15
            and (any(map(after_script, cands)) or after_script_elsewhere(pattern))
        ):
            out.append((pattern, START_SCRIPT, end, cands))
    out.sort(key=lambda entry: automaton_of(entry[0], entry[1]))  # stable: by pattern within each
    return out


class PatternBuilder:
    """Derives the patterns of a set of names (see the module's docstring).

    ``rules`` is the content of ``geonorm/data/extract.toml``.
    """

    def __init__(self, rules: Mapping[str, Any]) -> None:
        self.context_words = frozenset(key(w) for w in rules["context_currency_words"])
        self.not_in_text = frozenset(key(w) for w in rules.get("not_in_text", ()))
        #: pattern -> candidates, in the order kinds were added.
        self.patterns: dict[str, list[Candidate]] = {}
        #: Currency signs ("$", "US$", "₹") by key.
        self.symbols: dict[str, list[Candidate]] = {}
        #: Keys of one-word demonyms ("russian").
        self.demonyms: set[str] = set()
        #: People's bare surnames as the patterns write them, where no
        #: pattern has the word (:meth:`add_surnames`).
        self.surnames: set[str] = set()

    def add_not_names(self, not_keys: Iterable[str]) -> None:
        """Known non-names ("Indian Ocean", "Sea of Japan"): patterns without
        candidates, which as the longest match block the names inside them."""
        for k in sorted(not_keys):
            if " " in k or unspaced(k[0]) or hangul(k[0]):  # "Indian Ocean", "印度洋"
                for form in name_forms(_title(k)) | {k}:
                    pattern = _pattern(form)
                    if pattern and pattern not in self.patterns:
                        self.patterns[pattern] = []

    def add_surnames(self, not_surnames: frozenset[str], known: Callable[[str], bool] = lambda _: False) -> None:
        """The bare surname of every person's name written with a space, as
        each of its patterns writes it ("Putin", "PUTIN", "Путина"), where it
        starts with a capital and no pattern (nor ``known``) has it: the
        scan meets it, and counts it only after the full name. Run after
        every name and non-name was added."""
        for pattern, cands in self.patterns.items():
            if " " not in pattern:
                continue
            words = WORDS.findall(pattern)
            for cand in cands:
                if cand.entity.kind != "person":
                    continue
                word = surname_word(cand.entity, words, not_surnames)
                if word[:1].isupper() and word not in self.patterns and not known(word):
                    self.surnames.add(word)

    def add_symbol(self, alias: str, entity: Entity, etype: int) -> None:
        k = key(alias).replace(" ", "")
        folded = fold(alias).replace(" ", "")
        cand = Candidate(
            entity=entity,
            type=etype,
            alias=folded,
            words=(folded,),
            compact=folded,
            acronym=False,
            symbol=True,
            context_word=False,
        )
        bucket = self.symbols.setdefault(k, [])
        for i, old in enumerate(bucket):
            if old.entity == entity and old.alias == folded:
                if cand.score > old.score:
                    bucket[i] = cand
                return
        bucket.append(cand)

    @staticmethod
    def _add_variants(pattern: str, entity_id: str, cand: Candidate, best: dict[tuple[str, str], Candidate]) -> None:
        """The pattern and, for an Arabic name with the article, its form after
        the preposition ل, which drops the article's alef: "للهند", "وللهند"."""
        variants = [pattern]
        if pattern.startswith("ال") and len(pattern) >= 4:
            variants += ["لل" + pattern[2:], "ولل" + pattern[2:]]
        for variant in variants:
            slot = (variant, entity_id)
            old = best.get(slot)
            if old is None or cand.score > old.score:
                best[slot] = cand

    def add_names(self, kind: str, names: Iterable[tuple[Entity, str, int]]) -> None:
        """Patterns for the names ``(entity, alias, entry type)`` of one kind."""
        best: dict[tuple[str, str], Candidate] = {}
        for entity, alias, etype in names:
            if etype == ix.CODE and kind == "currency":
                etype = ix.STRONG  # noqa: PLW2901 - "INR", "USD": count next to an amount, as signs do
                is_code = True
            else:
                is_code = False
            if etype not in _TEXT_TYPES:
                continue
            if etype == ix.LOCALE and alias.isascii():
                continue  # minor locales' Latin names collide with English words ("Kota" is Qatar in one)
            if any(ch in SIGN_CHARS for ch in alias):
                if kind == "currency":
                    self.add_symbol(alias, entity, etype)
                continue
            words = WORDS.findall(alias)
            if len(words) > 1 and words[0] in ("the", "The"):
                words = words[1:]  # "the Kremlin": the article is not part of the mention
                alias = alias[alias.index(words[0]) :]  # noqa: PLW2901
            if not words:
                continue
            if etype == ix.LOCALE and not words[0][:1].isupper() and not words[0][:1].isdigit():
                continue  # minor locales: "an Albáin", "in-Niġer" (an article leads), lower-case words
            if kind == "country" and etype == ix.NEWS_LOCALE and words[0][:1].islower():
                continue  # a major language's article leads
            if (
                kind == "currency"
                and etype in ix.LOCALE_TYPES
                and (len(words) > 3 or getattr(entity, "historic", False))
            ):
                continue  # "ABD Doları (Ertesi gün)": standard names of funds and former currencies
            if key(alias) in self.not_in_text:
                continue
            if etype in ix.WEAK_TYPES and kind != "person" and _only_han(alias):
                continue  # 爱国者 "patriot": without spaces no context tells a weak name from the word
            folded = fold(alias)
            compact = "".join(WORDS.findall(folded))
            # One character of Chinese or Japanese ("元", "円") is a word
            # part as often as a name, and so is a currency name of one or
            # two letters in Arabic or Hebrew script ("ر", "ין", which a
            # prefix turns into "בין", "between"): they count next to an
            # amount only.
            lone = len(alias) == 1 and unspaced(alias)
            if lone and kind != "currency":
                continue
            lone = lone or (kind == "currency" and len(compact) <= 2 and (arabic(compact[:1]) or hebrew(compact[:1])))
            cand = Candidate(
                entity=entity,
                type=etype,
                alias=alias,
                words=tuple(words),
                compact=compact,
                acronym=ix.is_acronym(folded) and not is_code,
                symbol=is_code or lone,
                context_word=kind == "currency" and len(words) == 1 and key(words[0]) in self.context_words,
            )
            if cand.type in ix.DEMONYM_TYPES and len(words) == 1:
                self.demonyms.add(key(alias))
            if cand.acronym or (len(compact) <= 5 and any(ch.isupper() for ch in alias[1:])):
                forms = {alias}  # acronyms and "BoT" match only as written
            else:
                forms = name_forms(alias)
                if etype not in ix.LOCALE_TYPES:
                    forms |= name_forms(folded)  # "Cote d'Ivoire" for "Côte d'Ivoire"
                if len(words) > 1 and not alias.isascii() and "«" not in alias:
                    # Russian style quotes the name: "С-400 «Триумф»", "НК «Роснефть»".
                    head, _, last = alias.rpartition(" ")
                    forms |= name_forms(f"{head} «{last}»")
                if kind == "weapon":
                    joined = "".join(words)
                    forms |= {joined, joined.upper(), designator_key(" ".join(key(w) for w in words))}
                if (
                    kind == "organisation"
                    and 1 < len(words) <= 3
                    and alias.isascii()
                    and all(w[:1].isupper() and w[1:].islower() for w in words)
                ):
                    forms.add("".join(words))  # "GazpromNeft" for "Gazprom Neft"
            for form in forms:
                pattern = _pattern(form)
                if not pattern or len(pattern) > _MAX_PATTERN:
                    continue
                self._add_variants(pattern, entity.id, cand, best)
        for (pattern, _), cand in sorted(best.items(), key=lambda kv: kv[0]):
            self.patterns.setdefault(pattern, []).append(cand)


def _encode(cands: tuple[Candidate, ...]) -> str:
    if cands is BARE_SURNAME:
        return _SURNAME_FIELD
    return json.dumps([c.encode() for c in cands], ensure_ascii=False, separators=(",", ":"))


def dump(
    kinds: Iterable[str],
    table: list[Entry],
    symbols: Mapping[str, Iterable[Candidate]],
    demonyms: Iterable[str],
) -> str:
    """The text of ``patterns.tsv`` for the entries, signs and demonyms of
    ``kinds`` (deterministic: the same input gives the same bytes)."""
    sorted_demonyms = sorted(demonyms)
    head = {
        "format": FORMAT,
        "kinds": list(kinds),
        "patterns": len(table),
        "signs": len(symbols),
        "demonyms": len(sorted_demonyms),
    }
    lines = [json.dumps(head, sort_keys=True)]
    lines += [f"s\t{k}\t{_encode(tuple(symbols[k]))}" for k in sorted(symbols)]
    lines += [f"d\t{k}" for k in sorted_demonyms]
    lines += [
        f"p\t{pattern}\t{start}\t{end}\t{automaton_of(pattern, start)}\t{_encode(cands)}"
        for pattern, start, end, cands in table
    ]
    return "\n".join(lines) + "\n"


def _decoded(blob: _Lines, off: int, lookup: Callable[[str], Entity | None]) -> tuple[str, tuple[Candidate, ...]]:
    """The pattern and candidates of the line at ``off`` of ``blob``. Raises
    :class:`~geonorm.TableError` for a line that is not what the compile
    step writes (a compiled table's file edited with its digest made to
    match, or changed since it was read)."""
    try:
        line = blob[off : blob.find(b"\n", off)].decode("utf-8")
        _, pattern, _, _, _, raw = line.split("\t")
        if raw == _SURNAME_FIELD:
            return pattern, BARE_SURNAME
        cands = [decode_candidate(c, lookup) for c in json.loads(raw)]
    except TableError:
        raise  # (the file said so itself: changed since it was read)
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        where = getattr(blob, "path", "the patterns")
        raise TableError(f"{where}: a pattern line is malformed ({type(exc).__name__}); recompile it") from exc
    return pattern, tuple(c for c in cands if c is not None)


class Segments:
    """The pattern files a table read after its first (compiled tables'):
    per file its first id, its bytes, the offsets of its lines and the
    look-up of its entities."""

    __slots__ = ("files", "firsts")

    def __init__(
        self,
        firsts: Iterable[int] = (),
        files: Iterable[tuple[_Lines, array[int], Callable[[str], Entity | None]]] = (),
    ) -> None:
        self.firsts = list(firsts)
        self.files = list(files)

    def copy(self) -> Segments:
        return Segments(self.firsts, self.files)

    def add(self, first: int, blob: _Lines, offsets: array[int], lookup: Callable[[str], Entity | None]) -> None:
        self.firsts.append(first)
        self.files.append((blob, offsets, lookup))

    def count(self) -> int:
        """How many patterns the files hold."""
        return sum(len(offsets) for _, offsets, _ in self.files)

    def line(self, pid: int) -> tuple[_Lines, int, Callable[[str], Entity | None]]:
        """The bytes that hold pattern ``pid``'s line, where it starts, and
        the look-up of its entities."""
        n = bisect_right(self.firsts, pid) - 1
        blob, offsets, lookup = self.files[n]
        return blob, offsets[pid - self.firsts[n]], lookup

    def own(self, pid: int) -> tuple[str, tuple[Candidate, ...]]:
        """Pattern ``pid`` and the candidates its file gives it."""
        return _decoded(*self.line(pid))


class _Lines(Protocol):
    """What a table reads its pattern lines from: bytes, a mapped file, or
    a file read where asked (:class:`geonorm.compiled.FileBytes`)."""

    def find(self, sub: bytes, start: int, /) -> int: ...

    def __getitem__(self, where: slice, /) -> bytes: ...


class PatternTable:
    """Pattern id -> ``(pattern, candidates)``, with each pattern's start and
    end rules and length in flat arrays.

    A table loaded from ``patterns.tsv`` keeps the file's bytes and makes a
    pattern's candidates only when a text first matches it; so do the
    patterns of compiled tables read after it (:meth:`read`), each a
    segment of ids of its own; entries added later (a registry's additions)
    are held as they are given.
    """

    def __init__(self) -> None:
        self.start_rule = array("B")
        self.end_rule = array("B")
        self.lengths = array("B")
        self._blob: bytes | mmap.mmap = b""
        self._offsets = array("I")  # per compiled pattern, where its line starts
        self._lookup: Callable[[str], Entity | None] = lambda _: None
        self._made: dict[int, tuple[str, tuple[Candidate, ...]]] = {}
        self._blocked: Mapping[str, frozenset[str]] = {}
        #: The files read after the first (:meth:`read`).
        self.segments = Segments()
        #: What a segment's pattern also names elsewhere (set by the matcher
        #: that reads several sources): ``merge(pid, pattern, candidates)``.
        self.merge: Callable[[int, str, tuple[Candidate, ...]], tuple[Candidate, ...]] | None = None

    def __len__(self) -> int:
        return len(self.lengths)

    def __getitem__(self, pid: int) -> tuple[str, tuple[Candidate, ...]]:
        made = self._made.get(pid)
        if made is None:
            made = self._made.setdefault(pid, self._make(pid))
        return made

    def _line(self, pid: int) -> tuple[_Lines, int, Callable[[str], Entity | None]]:
        """The bytes that hold pattern ``pid``'s line, where it starts, and
        the look-up of its entities."""
        if pid < len(self._offsets):
            return self._blob, self._offsets[pid], self._lookup
        return self.segments.line(pid)

    def own(self, pid: int) -> tuple[str, tuple[Candidate, ...]]:
        """Pattern ``pid`` and the candidates its own file gives it (what
        :attr:`merge` reads of the other sources), not kept."""
        return _decoded(*self._line(pid))

    def _make(self, pid: int) -> tuple[str, tuple[Candidate, ...]]:
        pattern, cands = self.own(pid)
        if self.merge is not None and pid >= len(self._offsets):
            cands = self.merge(pid, pattern, cands)
        if cands is BARE_SURNAME or not self._blocked:
            return pattern, cands
        return pattern, _unblocked(cands, self._blocked)

    def set(self, pid: int, pattern: str, cands: tuple[Candidate, ...]) -> None:
        """Give entry ``pid`` (of a file) the candidates ``cands`` instead of
        its file's (a registry's additions that have its pattern too)."""
        self._made[pid] = (pattern, cands if cands is BARE_SURNAME else _unblocked(cands, self._blocked))

    def append(self, pattern: str, start: int, end: int, cands: tuple[Candidate, ...]) -> int:
        """Add an entry; returns its id."""
        pid = len(self.lengths)
        self.start_rule.append(start)
        self.end_rule.append(end)
        self.lengths.append(len(pattern))
        if self._blocked:
            cands = _unblocked(cands, self._blocked)
        self._made[pid] = (pattern, cands)
        return pid

    def layered(self, blocked: Mapping[str, frozenset[str]]) -> PatternTable:
        """A copy that shares this table's compiled bytes, for a registry's
        additions; candidates whose alias ``blocked`` names are left out."""
        new = PatternTable()
        new.start_rule = array("B", self.start_rule)
        new.end_rule = array("B", self.end_rule)
        new.lengths = array("B", self.lengths)
        new._blob, new._offsets, new._lookup = self._blob, self._offsets, self._lookup
        new.segments = self.segments.copy()
        new.merge = self.merge
        new._blocked = blocked
        if blocked:
            # Entries made from the files are made again, without the blocked.
            in_files = len(self._offsets) + self.segments.count()
            new._made = {
                pid: (pattern, _unblocked(cands, blocked))
                for pid, (pattern, cands) in self._made.items()
                if pid >= in_files
            }
        else:
            new._made = dict(self._made)
        return new

    def pattern(self, pid: int) -> str:
        """The pattern of entry ``pid`` (read from the file's bytes without
        making its candidates)."""
        made = self._made.get(pid)
        if made is not None:
            return made[0]
        blob: _Lines
        if pid < len(self._offsets):
            blob, start = self._blob, self._offsets[pid] + 2  # after "p\t"
        else:
            blob, off, _ = self._line(pid)
            start = off + 2
        return blob[start : blob.find(b"\t", start)].decode("utf-8")

    @classmethod
    def load(
        cls,
        kinds: tuple[str, ...],
        lookup: Callable[[str], Entity | None],
        data: bytes | mmap.mmap | None = None,
        take: Callable[[int, list[str], bytes], object] | None = None,
    ) -> tuple[PatternTable, Mapping[str, list[Candidate]], frozenset[str]] | None:
        """The compiled patterns of ``kinds`` (``data``, by default the shipped
        file): the table, the signs (made on first look-up) and the demonyms.
        None when there is no file, or it has another format or other kinds,
        or is damaged (see :meth:`read`)."""
        if data is None:
            ref = resources.files("geonorm").joinpath("data", "index", PATTERNS_FILE)
            if not ref.is_file():
                return None
            data = _map(ref)
        table = cls()
        read = table.read(kinds, lookup, data, take)
        if read is None:
            return None
        if isinstance(data, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
            # Read once; a page comes back from the file when a pattern on it
            # is first matched (and is shared by every process that maps it).
            data.madvise(mmap.MADV_DONTNEED)
        return table, *read

    def read(
        self,
        kinds: Iterable[str],
        lookup: Callable[[str], Entity | None],
        data: bytes | mmap.mmap,
        take: Callable[[int, list[str], bytes], object] | None = None,
        start: int = 0,
        end: int | None = None,
        reread: _Lines | None = None,
    ) -> tuple[Mapping[str, list[Candidate]], frozenset[str]] | None:
        """Add the patterns written in ``patterns.tsv``'s format in
        ``data[start:end]`` (of ``kinds``) after this table's, their
        candidates made on first look-up through ``lookup``; returns their
        signs (made on first look-up) and demonyms. None when they have
        another format or other kinds, or are damaged (the table may then
        have some of them).

        The patterns are read in batches of about a megabyte;
        ``take(first id, patterns, automata)`` is given each batch in id
        order (to fill the automata with), and nothing of a batch is kept
        but the flat arrays. A pattern's line is read again from ``reread``
        (by default ``data``; the same bytes at the same offsets) when a
        text first matches it.
        """
        end = len(data) if end is None else end
        nl = data.find(b"\n", start, end)
        try:
            head = json.loads(data[start:nl])
        except ValueError:
            return None
        if not isinstance(head, dict) or head.get("format") != FORMAT or head.get("kinds") != list(kinds):
            return None
        signs: dict[str, str] = {}
        demonyms: set[str] = set()
        # The signs and demonyms come first; then the patterns.
        first = data.find(b"\np\t", nl, end) + 1 or end
        for line in bytes(data[nl + 1 : first]).decode("utf-8").splitlines():
            if line[:2] == "s\t":
                _, k, raw = line.split("\t")
                signs[k] = raw
            elif line[:2] == "d\t":
                demonyms.add(line[2:])
        count = head.get("patterns")
        if not isinstance(count, int) or data[end - 1 : end] not in (b"\n", b""):
            return None  # a damaged file: the caller derives the patterns instead
        base = len(self)
        if base:
            offsets = array("Q")
            self.segments.add(base, data if reread is None else reread, offsets, lookup)
        else:
            self._blob, self._lookup, offsets = data, lookup, self._offsets
        # Each batch runs in C over all its lines at once, but the automata's
        # own add_word calls (in ``take``); at most one batch's line objects
        # are alive at a time.
        pid, pos = base, first
        while pos < end:
            stop = data.find(b"\n", min(pos + _BATCH_BYTES, end - 1), end) + 1 or end
            chunk = data[pos:stop]
            fields = _PATTERN_LINE.findall(chunk)
            lines = chunk.split(b"\n")
            if len(lines) != len(fields) + 1:
                return None
            names: Iterator[bytes] = map(getitem, fields, repeat(_NAME_PART))
            patterns = list(map(bytes.decode, names))
            # Each line's three digits, "s\te\ta": start rule, end rule, automaton.
            digits = b"".join(map(getitem, fields, repeat(_DIGITS_PART))).translate(_DIGIT_VALUES)
            self.start_rule.frombytes(digits[0::5])
            self.end_rule.frombytes(digits[2::5])
            self.lengths.extend(map(len, patterns))
            offsets.extend(accumulate(map((1).__add__, map(len, lines[:-2])), initial=pos))
            if take is not None:
                take(pid, patterns, digits[4::5])
            pid += len(patterns)
            if isinstance(data, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED") and stop - pos > mmap.PAGESIZE:
                # Read once: the pages read so far leave the process's memory
                # as it goes (a compiled table's patterns are hundreds of MB).
                low = pos - pos % mmap.PAGESIZE
                data.madvise(mmap.MADV_DONTNEED, low, stop - stop % mmap.PAGESIZE - low)
            pos = stop
            del chunk, fields, lines, names, patterns, digits
        if pid - base != count:
            return None
        return _Signs(signs, lookup), frozenset(demonyms)


class _Signs(Mapping[str, list[Candidate]]):
    """Currency signs by key, each sign's candidates made on first look-up
    (so loading the patterns loads no currency)."""

    def __init__(self, raw: dict[str, str], lookup: Callable[[str], Entity | None]) -> None:
        self._raw, self._lookup = raw, lookup
        self._made: dict[str, list[Candidate]] = {}

    def __getitem__(self, k: str) -> list[Candidate]:
        made = self._made.get(k)
        if made is None:
            found = [decode_candidate(c, self._lookup) for c in json.loads(self._raw[k])]
            made = self._made.setdefault(k, [c for c in found if c is not None])
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def _map(ref: Traversable) -> bytes | mmap.mmap:
    """The bytes of a packaged file: mapped where it is a file on disk,
    read where it is not (a zip)."""
    if isinstance(ref, os.PathLike):
        with open(ref, "rb") as fh:
            try:
                return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):
                pass
    return ref.read_bytes()
