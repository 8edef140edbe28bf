"""The phrase matcher behind :func:`geonorm.extract`.

Aho-Corasick automata (:mod:`.automaton`, compiled code) over the
extraction patterns (:mod:`.patterns`): names after a space in ASCII; in
Latin letters; with Cyrillic letters; in the other scripts written with
spaces (Greek, Devanagari...); and names written without a space before
them (Chinese, Japanese, Thai; Arabic and Hebrew with their prefixes). The
shipped patterns are compiled ahead of time and loaded once per process on
first use; the first automaton is built then, each other one when a text
first has letters of its names. A registry's additions get small automata
of their own (:meth:`Matcher.with_additions`). Text is prepared with
:func:`prepare`, which changes no offset; the automata find the longest
names in one pass, and the rules run only on what they found.
"""

from __future__ import annotations

import copy
import mmap
import re
import tomllib
from array import array
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from itertools import compress
from operator import itemgetter
from typing import Any

from .. import _forksafe
from .. import index as ix
from .._heap import give_back
from ..kinds import SPECS
from ..model import Entity
from ..scripts import ARABIC, HAN, HANGUL_SYLLABLES, HEBREW, HEBREW_PRESENTATION, UNSPACED
from ..shipped import available_kinds
from ..shipped import lookup as _lookup_any
from ..shipped import table as _shipped
from ..text import key
from . import patterns as pt
from .automaton import Automaton
from .patterns import (
    AUTOMATON_CYRILLIC,
    AUTOMATON_FIRST,
    AUTOMATON_LATIN,
    AUTOMATON_OTHER,
    AUTOMATON_UNSPACED,
    BARE_SURNAME,
    CYRILLIC_LETTER,
    END_FREE,
    LATIN_BEYOND_ASCII,
    OTHER_SPACED_LETTER,
    START_ARABIC,
    START_HEBREW,
    START_SPACE,
    Candidate,
    PatternBuilder,
    PatternTable,
    Segments,
)
from .trie import PARTS, PatternTrie

__all__ = ["UNSPACED_TEXT", "Matcher", "build_patterns", "load_rules", "matcher", "not_surnames"]

# Byte translations to masks of 0s and 1s: 1 where the byte is not 0.
_NONZERO = bytes([0] + [1] * 255)
_FREE_END = bytes(1 if b == END_FREE else 0 for b in range(256))
#: Letters of the scripts whose names the unspaced automaton holds.
UNSPACED_TEXT = re.compile(f"[{HANGUL_SYLLABLES}{HEBREW}{HEBREW_PRESENTATION}{ARABIC}{UNSPACED}]")


def load_rules() -> dict[str, Any]:
    ref = resources.files("geonorm").joinpath("data", "extract.toml")
    with ref.open("rb") as fh:
        return tomllib.load(fh)


def _alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of ``words``, longest first."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _type_of(entries: ix.Entries, index: int) -> int | None:
    """The entry type an entity has under a key, if any."""
    for entry in ix.entries_of(entries):
        if entry >> ix.ENTITY_SHIFT == index:
            return (entry >> ix.TYPE_SHIFT) & ix.TYPE_MASK
    return None


_SPACED_GROUPS = ("cyrillic", "other")
#: The automaton of each group of :func:`~.patterns.automaton_of`, by name.
_GROUP_NAMES = {AUTOMATON_LATIN: "latin", AUTOMATON_CYRILLIC: "cyrillic", AUTOMATON_OTHER: "other"}
# Byte translations of a batch's automaton groups to masks of 0s and 1s.
_IS_GROUP = {g: bytes(1 if b == g else 0 for b in range(256)) for g in range(AUTOMATON_UNSPACED + 1)}
#: A code point's part (:func:`~.trie.part_of`), and masks of each part.
_PART_OF_CODE = PARTS.__rmod__
_IS_PART = {n: bytes(1 if b == n else 0 for b in range(256)) for n in range(PARTS)}
_IS_SPACED = bytes(1 if b < AUTOMATON_UNSPACED else 0 for b in range(256))
_IS_LATIN = bytes(1 if b in (AUTOMATON_FIRST, AUTOMATON_LATIN) else 0 for b in range(256))
#: How many patterns an automaton built later reads as strings at a time.
_BATCH = 8192


def _not_finished(pid: int) -> str:
    raise RuntimeError("the automata were not finished: no pattern can be read yet")


class _Automata:
    """The automata of a set of patterns. Values are pattern ids (plain
    integers, no Python object per pattern).

    Names in Latin letters that start after a space are in the first, filled
    as the patterns are read (:meth:`add`) and made with :meth:`finish`.
    Made ``by_script``, as the shipped patterns are, that first automaton
    holds only the names written in ASCII
    (:data:`~.patterns.AUTOMATON_FIRST`), and a second one every name in
    Latin letters: a text needs the second only where it has a character
    beyond ASCII that one of those names has ("é", "ü", "ł"), and then reads
    it instead of the first. Names with Cyrillic letters, with letters of
    other scripts written with spaces (Greek, Devanagari...), and names
    written without a space before them are in three more. Every automaton
    but the first is built when a text first needs it: a process that reads
    only English in ASCII builds an automaton of under a third of the
    names. Until then they are ids in flat arrays, whose patterns are read
    again when their automaton is built."""

    def __init__(self, by_script: bool = True) -> None:
        self.spaced = Automaton([], ())
        self._by_script = by_script
        self._pattern_of: Callable[[int], str] = _not_finished
        self._built: dict[str, Automaton] = {}
        self._waiting: dict[str, array[int]] = {g: array("I") for g in ("unspaced", "latin", *_SPACED_GROUPS)}
        # The first automaton's patterns (one string per batch, a line each)
        # and ids, until it is made.
        self._first: list[str] = []
        self._first_ids = array("I")
        # The characters beyond ASCII of the Latin names the first lacks, and
        # (once finished) a search for any of them.
        self._beyond_ascii: set[str] = set()
        self._needs_latin: re.Pattern[str] | None = None
        self._lock = _forksafe.lock()

    @classmethod
    def of(cls, patterns: list[str], starts: Iterable[int], first: int = 0) -> _Automata:
        """The automata of ``patterns`` with start rules ``starts`` (ids from
        ``first``), made at once, every name in Latin letters in the first
        (a registry's additions)."""
        automata = cls(by_script=False)
        automata.add(first, patterns, bytes(map(pt.automaton_of, patterns, starts)))
        automata.finish(lambda pid: patterns[pid - first])
        return automata

    def add(self, first: int, patterns: list[str], groups: bytes) -> None:
        """Patterns with ids from ``first`` and the automaton of each
        (:func:`~.patterns.automaton_of`, which the compile step wrote). The
        work per pattern runs in C (masks over the batch)."""
        ids = range(first, first + len(patterns))
        # Only a name that must start after a space carries the space (added
        # when its automaton is built).
        self._waiting["unspaced"].extend(compress(ids, groups.translate(_IS_GROUP[AUTOMATON_UNSPACED])))
        for group in (AUTOMATON_CYRILLIC, AUTOMATON_OTHER):
            self._waiting[_GROUP_NAMES[group]].extend(compress(ids, groups.translate(_IS_GROUP[group])))
        if self._by_script:
            self._waiting["latin"].extend(compress(ids, groups.translate(_IS_LATIN)))
            self._beyond_ascii.update("".join(compress(patterns, groups.translate(_IS_GROUP[AUTOMATON_LATIN]))))
            first_mask = groups.translate(_IS_GROUP[AUTOMATON_FIRST])
        else:
            first_mask = groups.translate(_IS_LATIN)
        self._first.append("\n".join(map(" ".__add__, compress(patterns, first_mask))))
        self._first_ids.extend(compress(ids, first_mask))

    def finish(self, pattern_of: Callable[[int], str]) -> None:
        """Make the first automaton, once every pattern was added;
        ``pattern_of`` reads a pattern by id for the others."""
        batches = (lines.split("\n") for lines in self._first if lines)
        self.spaced = Automaton.of_batches(batches, self._first_ids)
        self._first, self._first_ids = [], array("I")
        # Each Latin name has one of these: a text without any needs none.
        chars = sorted(ch for ch in self._beyond_ascii if LATIN_BEYOND_ASCII.match(ch))
        if chars:
            self._needs_latin = re.compile("[" + "".join(map(re.escape, chars)) + "]")
        self._beyond_ascii = set()
        self._pattern_of = pattern_of

    def _get(self, group: str) -> Automaton:
        automaton = self._built.get(group)
        if automaton is None:
            with self._lock:
                automaton = self._built.get(group)
                if automaton is None:
                    space = "" if group == "unspaced" else " "
                    waiting, pattern_of = self._waiting[group], self._pattern_of
                    batches = (
                        [space + pattern_of(pid) for pid in waiting[i : i + _BATCH]]
                        for i in range(0, len(waiting), _BATCH)
                    )
                    automaton = Automaton.of_batches(batches, waiting)
                    self._built[group], self._waiting[group] = automaton, array("I")
        return automaton

    def unspaced(self) -> Automaton:
        """The automaton of the names that need no space before them."""
        return self._get("unspaced")

    def _latin_for(self, prepared: str) -> Automaton:
        """The automaton of Latin names that ``prepared`` text needs."""
        needs = self._needs_latin
        if needs is None or prepared.isascii() or not needs.search(prepared):
            return self.spaced
        return self._get("latin")

    def spaced_for(self, prepared: str, beyond: int = 0) -> list[Automaton]:
        """The automata of names after a space that ``prepared`` text needs;
        it has no letter of a script but Latin before offset ``beyond``
        (:func:`~geonorm.scripts.first_beyond_latin`)."""
        out = [self._latin_for(prepared)]
        if beyond >= len(prepared):
            return out  # Latin letters only
        if CYRILLIC_LETTER.search(prepared, beyond):
            out.append(self._get("cyrillic"))
        if OTHER_SPACED_LETTER.search(prepared, beyond):
            out.append(self._get("other"))
        return out

    def spaced_of(self, pattern: str) -> Automaton:
        """The automaton of names after a space that holds ``pattern``."""
        group = pt.automaton_of(pattern, START_SPACE)
        if group in (AUTOMATON_CYRILLIC, AUTOMATON_OTHER):
            return self._get(_GROUP_NAMES[group])
        return self._latin_for(pattern)

    def every(self) -> list[Automaton]:
        """All the automata, built, that hold a name (each name in one)."""
        latin = self._get("latin") if self._needs_latin is not None else self.spaced
        return [a for a in (latin, *(self._get(g) for g in (*_SPACED_GROUPS, "unspaced"))) if len(a)]


def _id_in(trie: PatternTrie, unspaced: Automaton, pattern: str, spaced: bool) -> int | None:
    """The id of ``pattern`` in a compiled table read (its trie of names
    after a space, its automaton of the others), or None."""
    return trie.get(" " + pattern) if spaced else unspaced.get(pattern)


class _Merge:
    """What a compiled table's pattern also names elsewhere: called with a
    pattern's id, the pattern and its own candidates, it adds those the
    other compiled tables (``compiled``, read through ``segments``) and the
    shipped tables (``shipped``) give the same pattern, as one table of
    them all would: its own first, an entity once, a bare surname giving
    way to a name of its own or to a known non-name. It holds no reference
    to the table it serves (which holds it)."""

    __slots__ = ("compiled", "segments", "shipped")

    def __init__(
        self, compiled: tuple[tuple[int, int, PatternTrie, Automaton], ...], segments: Segments, shipped: Matcher
    ) -> None:
        self.compiled, self.segments, self.shipped = compiled, segments, shipped

    def __call__(self, pid: int, pattern: str, cands: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
        spaced = pt.start_rule(pattern) == START_SPACE
        found = [
            other
            for first, end, trie, unspaced in self.compiled
            if not first <= pid < end and (other := _id_in(trie, unspaced, pattern, spaced)) is not None
        ]
        shipped = self.shipped.find(pattern)
        if not found and shipped is None:
            return cands
        surname = cands is BARE_SURNAME
        out = [] if surname else list(cands)
        seen = {c.entity.id for c in out}
        for theirs in [
            *(self.segments.own(other)[1] for other in found),
            *([] if shipped is None else [self.shipped.entries[shipped][1]]),
        ]:
            if theirs is BARE_SURNAME:
                continue
            surname = False  # a name of its own, or a known non-name, wins
            out.extend(c for c in theirs if c.entity.id not in seen)
            seen.update(c.entity.id for c in theirs)
        return BARE_SURNAME if surname and not out else tuple(out)


class _Split:
    """A compiled table's patterns as they are read, by where they go:
    names after a space to the :data:`~.trie.PARTS` tries of a
    :class:`~.trie.PatternTrie` by their first letter (a batch a string, a
    line each), the others to an automaton; with their ids."""

    def __init__(self) -> None:
        self.spaced: list[tuple[list[str], array[int]]] = [([], array("I")) for _ in range(PARTS)]
        self.others: list[str] = []
        self.other_ids = array("I")

    def take(self, first: int, patterns: list[str], groups: bytes) -> None:
        """Patterns with ids from ``first`` and the automaton of each (in C)."""
        ids = range(first, first + len(patterns))
        after_space = groups.translate(_IS_SPACED)
        spaced = list(compress(patterns, after_space))
        spaced_ids = list(compress(ids, after_space))
        parts = bytes(map(_PART_OF_CODE, map(ord, map(itemgetter(0), spaced))))
        for n, (batches, part_ids) in enumerate(self.spaced):
            mask = parts.translate(_IS_PART[n])
            batches.append("\n".join(compress(spaced, mask)))
            part_ids.extend(compress(spaced_ids, mask))
        unspaced = groups.translate(_IS_GROUP[AUTOMATON_UNSPACED])
        self.others.extend(compress(patterns, unspaced))
        self.other_ids.extend(compress(ids, unspaced))


def not_surnames(rules: Mapping[str, Any]) -> frozenset[str]:
    """Words never read as a person's surname standing alone (lower-cased):
    the function words and the ``not_surnames`` of ``extract.toml``."""
    return frozenset(w.lower() for w in (*rules["function_words"], *rules["not_surnames"]))


def build_patterns(kinds: Iterable[str], rules: Mapping[str, Any] | None = None) -> PatternBuilder:
    """The patterns of the shipped tables of ``kinds``, derived from the
    tables (what the compile step writes to ``patterns.tsv``)."""
    rules = load_rules() if rules is None else rules
    builder = PatternBuilder(rules)
    kinds = tuple(kinds)
    for kind in kinds:
        table = _shipped(kind)
        spec = SPECS[kind]

        def names(table: Any = table, spec: Any = spec) -> Iterable[tuple[Entity, str, int]]:
            for index, entity in enumerate(table.entities):
                for alias in entity.aliases:
                    etype = _type_of(table.keys.get(spec.refine(key(alias)), ()), index)
                    if etype is not None:
                        yield entity, alias, etype

        builder.add_names(kind, names())
    for kind in kinds:
        builder.add_not_names(_shipped(kind).not_keys)
    builder.add_surnames(not_surnames(rules))
    return builder


class Matcher:
    """The automata, the pattern table, and the word lists the rules use.

    Make one with :meth:`compiled` (the shipped patterns, loaded) or
    :meth:`from_tables` (derived from the tables); :func:`matcher` is the
    process-wide one.
    """

    def __init__(
        self,
        table: PatternTable,
        automata: _Automata,
        symbols: Mapping[str, list[Candidate]],
        demonyms: frozenset[str],
    ) -> None:
        rules = load_rules()
        self.rules = rules
        #: Pattern id -> (pattern, candidates). The automata read the text in
        #: its own case: a name matches as its alias is written, in capitals,
        #: or (a lower-case alias) with a capital first letter.
        self.entries = table
        #: Per pattern id, how its start is checked (START_SPACE...), how its
        #: end is checked (END_WORD...), and its length.
        self.start_rule, self.end_rule, self.lengths = table.start_rule, table.end_rule, table.lengths
        #: The automata (see :class:`_Automata`): Latin names after a space
        #: (:attr:`automaton`), the Cyrillic and other spaced scripts'
        #: (:meth:`spaced_automata`), and names that need no space before
        #: them (:attr:`unspaced_automaton`). Only a text with letters of a
        #: script builds and reads its automaton (an automaton whose names
        #: start with thousands of characters is several times slower to
        #: run, even on text it never matches).
        self._automata = automata
        self.automaton = automata.spaced
        #: A registry's additions and compiled tables: automata (or tries)
        #: of their own, read first (see :meth:`with_additions` and
        #: :meth:`with_compiled`); empty for the shipped tables.
        self.extra_automata: tuple[Automaton | PatternTrie, ...] = ()
        #: Per compiled table read (:meth:`with_compiled`): its ids (first,
        #: end) and what holds its names after a space and its others.
        self._compiled: tuple[tuple[int, int, PatternTrie, Automaton], ...] = ()
        #: Currency signs ("$", "US$", "₹") by key, matched by :data:`SYMBOL_RUN`.
        self.symbols: Mapping[str, list[Candidate]] = symbols
        self.demonyms = demonyms
        self.function_words = frozenset(rules["function_words"])
        #: Words never read as a person's surname standing alone (lower-cased).
        self.not_surnames = not_surnames(rules)
        self.korean_particles = frozenset(rules["korean_particles"])
        self.relation_words = tuple(rules["cjk_relation_words"])
        self.suffix_words = tuple(rules["cjk_suffix_words"])
        self.currency_compounds = tuple(rules["cjk_currency_compounds"])
        self.direction_words = tuple(rules["cjk_direction_words"])
        self.japanese_direction_words = tuple(rules["japanese_direction_words"])
        self.japanese_direction_targets = str(rules["japanese_direction_targets"])
        self.cjk_compounds = frozenset(rules["cjk_compounds"])
        self.credit_ratings = frozenset(rules["credit_ratings"])
        self.place_words = frozenset(rules["place_words"])
        self.place_prepositions = frozenset(rules["place_prepositions"])
        self.traditional_ambiguous = frozenset(rules["traditional_script_ambiguous"])
        self.traditional = re.compile("[" + rules["traditional_characters"] + "]")
        self.name_collisions = frozenset(key(w) for w in rules["personal_name_collisions"])
        amount_words = _alternation(rules["amount_words"])
        #: An amount ending right before a name: "4 billion" in "4 billion euros".
        self.amount_before = re.compile(rf"\d(?:[\d.,]*\d)?(?:[ \u00a0]*(?:{amount_words}))*[ \u00a0]*$", re.IGNORECASE)
        #: The prefixes an Arabic or Hebrew name may carry ("و" of "والصين").
        self.prefixes = {
            START_ARABIC: frozenset(rules["arabic_prefixes"]),
            START_HEBREW: frozenset(rules["hebrew_prefixes"]),
        }
        self.single_characters = self._single_characters()
        self.abbreviation_runs = {
            lang: self._abbreviation_run(chars, lang) for lang, chars in self.single_characters.items()
        }
        countries = _shipped("country").by_id
        self.single_characters["ko"] = {
            ch: countries[eid] for ch, eid in rules["korean_abbreviations"].items() if eid in countries
        }
        korean = _alternation(rules["korean_relation_words"])
        group = "[" + "".join(sorted(self.single_characters["ko"])) + "]"
        not_runs = _alternation(rules["korean_not_abbreviations"])
        # "한미", "한·미" (a middle dot may join them), not "중남미".
        self.abbreviation_runs["ko"] = re.compile(
            f"(?<![{HANGUL_SYLLABLES}])(?!(?:{not_runs})(?![{HANGUL_SYLLABLES}]))"
            f"(?:{group}·?){{1,2}}{group}(?= ?(?:{korean}))"
        )
        # Title and institution words ("President", "Kremlin"): the person
        # kind's settings, which loading its table configures.
        if "person" in SPECS:
            _shipped("person")
        self.title_words: frozenset[str] = frozenset(getattr(SPECS.get("person"), "prefix_words", ()))
        #: Per pattern id, 1 where a rule reads the text around every match
        #: before the pattern's choice applies: a start rule, a Chinese or
        #: Japanese end, a credit rating ("AA-").
        self.checked = self._checked(table)
        self._decisions: tuple[dict[int, object], dict[int, object]] = ({}, {})

    @classmethod
    def compiled(cls, kinds: Iterable[str]) -> Matcher | None:
        """The shipped patterns of ``kinds``, loaded from ``patterns.tsv``;
        None when the file is missing, of another format or of other kinds."""
        automata = _Automata()
        loaded = PatternTable.load(tuple(kinds), _lookup_any, take=automata.add)
        if loaded is None:
            return None
        table, symbols, demonyms = loaded
        automata.finish(table.pattern)
        return cls(table, automata, symbols, demonyms)

    @classmethod
    def from_tables(cls, kinds: Iterable[str]) -> Matcher:
        """The patterns derived from the shipped tables of ``kinds`` (slower:
        what the compile step does once)."""
        builder = build_patterns(kinds)
        table = PatternTable()
        entries = pt.entries(builder.patterns, builder.surnames)
        for pattern, start, end, cands in entries:
            table.append(pattern, start, end, cands)
        automata = _Automata.of([e[0] for e in entries], [e[1] for e in entries])
        return cls(table, automata, builder.symbols, frozenset(builder.demonyms))

    def spaced_automata(self, prepared: str, beyond: int = 0) -> list[Automaton]:
        """The shipped automata of names after a space that ``prepared``
        text needs (Latin always; Cyrillic and the other spaced scripts when
        it has their letters, none of them before offset ``beyond``)."""
        return self._automata.spaced_for(prepared, beyond)

    @property
    def unspaced_automaton(self) -> Automaton:
        """The automaton of names written without a space before them (built
        on first use)."""
        return self._automata.unspaced()

    def _checked(self, table: PatternTable, first: int = 0) -> bytearray:
        # Per pattern: a start rule other than "after a space", or a Chinese
        # or Japanese end (bytewise, in C).
        n = len(table) - first
        starts = bytes(table.start_rule[first:]).translate(_NONZERO)
        ends = bytes(table.end_rule[first:]).translate(_FREE_END)
        checked = bytearray(first)
        checked += (int.from_bytes(starts, "little") | int.from_bytes(ends, "little")).to_bytes(n, "little")
        # Credit ratings are ASCII: their start rule is "after a space", or
        # right after CJK letters (already checked).
        for automaton in (self.automaton, *self.extra_automata):
            for rating in self.credit_ratings:
                for word in (" " + rating, rating):
                    pid = automaton.get(word)
                    if pid is not None and pid >= first:
                        checked[pid] = 1
        return checked

    def find(self, pattern: str) -> int | None:
        """The id of a pattern of a compiled table read, or else of a
        shipped pattern; None where neither has it."""
        spaced = pt.start_rule(pattern) == START_SPACE
        for _, _, trie, unspaced in self._compiled:
            found = _id_in(trie, unspaced, pattern, spaced)
            if found is not None:
                return found
        return self._shipped_id(pattern, spaced)

    def _shipped_id(self, pattern: str, spaced: bool) -> int | None:
        if spaced:
            found = self._automata.spaced_of(pattern).get(" " + pattern)
        else:
            found = self.unspaced_automaton.get(pattern)
        return None if found is None else int(found)

    def with_compiled(
        self,
        sources: Iterable[tuple[bytes | mmap.mmap, Any, int, int, tuple[str, ...], Callable[[str], Entity | None]]],
        blocked: Mapping[str, frozenset[str]],
    ) -> Matcher:
        """A matcher that also finds the names of compiled tables, from the
        patterns their compile step wrote (:func:`geonorm.compile_table`):
        each source is ``(bytes, lines, start, end, kinds, entity look-up)``,
        its patterns in ``patterns.tsv``'s format in ``bytes[start:end]``
        (read once, in order; ``lines`` reads the same bytes where a text
        first matches a pattern, or None to read ``bytes`` again), those after a space first, by
        the part of a :class:`~.trie.PatternTrie` that holds them, each part's in its
        trie's numbering. Their names
        after a space go into a trie (a few bytes a name, where an automaton
        takes several a letter), the others into an automaton; nothing is
        made per pattern until a text matches it. A pattern that several
        sources know (the shipped tables among them) carries every one's
        candidates, the matched table's first; a bare surname gives way to a
        name of its own or a known non-name. ``blocked`` are the keys per kind the registry
        declared not to be names. Raises ValueError for patterns that are
        not what the compile step writes."""
        table = self.entries.layered(blocked)
        symbols: dict[str, list[Candidate]] = {k: list(v) for k, v in self.symbols.items()}
        demonyms = set(self.demonyms)
        compiled = list(self._compiled)
        for data, lines, start, end, kinds, lookup in sources:
            first = len(table)
            split = _Split()
            read = table.read(kinds, lookup, data, split.take, start, end, lines)
            if read is None:
                raise ValueError("the patterns are not those the compile step writes")
            signs, their_demonyms = read
            for k in signs:
                bucket = symbols.setdefault(k, [])
                bucket.extend(c for c in signs[k] if c not in bucket)
            demonyms |= their_demonyms
            trie = PatternTrie.of_parts(split.spaced)
            compiled.append((first, len(table), trie, Automaton(split.others, split.other_ids)))
            del split
        new = copy.copy(self)
        new._compiled = tuple(compiled)
        table.merge = _Merge(new._compiled, table.segments, matcher())
        new.entries = table
        new.start_rule, new.end_rule, new.lengths = table.start_rule, table.end_rule, table.lengths
        new.extra_automata = (
            *self.extra_automata,
            *(a for _, _, trie, unspaced in compiled[len(self._compiled) :] for a in (trie, unspaced) if len(a)),
        )
        new.checked = self.checked + new._checked(table, len(self.checked))[len(self.checked) :]
        new.symbols = symbols
        new.demonyms = frozenset(demonyms)
        new._decisions = ({}, {})
        give_back()
        return new

    def with_additions(
        self,
        names: Iterable[tuple[Entity, str, int]],
        blocked: Mapping[str, frozenset[str]],
    ) -> Matcher:
        """A matcher that also finds a registry's additions: ``names`` are
        ``(entity, alias, entry type)``, ``blocked`` the keys per kind the
        registry declared not to be names. It shares the shipped automata
        and pattern bytes; the additions get two small automata of their
        own, read before the shipped ones so that an added name wins a tie;
        a pattern both know carries both candidate lists."""
        builder = PatternBuilder(self.rules)
        builder.symbols = {k: list(v) for k, v in self.symbols.items()}
        builder.demonyms = set(self.demonyms)
        by_kind: dict[str, list[tuple[Entity, str, int]]] = {}
        for entity, alias, etype in names:
            by_kind.setdefault(entity.kind, []).append((entity, alias, etype))
        for kind, items in sorted(by_kind.items()):
            if kind in SPECS:
                builder.add_names(kind, items)
        for pattern, added_cands in builder.patterns.items():
            # The shipped candidates of the same pattern, the added ones first.
            added = {c.entity.id for c in added_cands}
            pid = self.find(pattern)
            if pid is not None:
                added_cands.extend(c for c in self.entries[pid][1] if c.entity.id not in added)
        # Added people's surnames that no shipped pattern has.
        builder.add_surnames(self.not_surnames, known=lambda word: self.find(word) is not None)
        table = self.entries.layered(blocked)
        entries = pt.entries(builder.patterns, builder.surnames)
        first = len(table)
        for pattern, start, end, cands in entries:
            table.append(pattern, start, end, cands)
            # A compiled table's entry of the same pattern (a layer below the
            # additions') carries the same candidates, as one automaton of
            # both would have one entry: where their choice fails, the
            # scan's next hit at the span is the shipped one.
            for _, _, trie, unspaced in self._compiled:
                pid = _id_in(trie, unspaced, pattern, start == START_SPACE)
                if pid is not None:
                    table.set(pid, pattern, cands)
        automata = _Automata.of([e[0] for e in entries], [e[1] for e in entries], first)
        new = copy.copy(self)
        new.entries = table
        new.start_rule, new.end_rule, new.lengths = table.start_rule, table.end_rule, table.lengths
        new.extra_automata = (*automata.every(), *self.extra_automata)
        new.checked = self.checked + new._checked(table, len(self.checked))[len(self.checked) :]
        new.symbols = builder.symbols
        new.demonyms = frozenset(builder.demonyms)
        new._decisions = ({}, {})
        return new

    def _single_characters(self) -> dict[str, dict[str, Entity]]:
        """One-character country abbreviations ("俄", "米") for Chinese
        (``"zh"``) and Japanese (``"ja"``) text, from the language tables."""
        table = _shipped("country")
        out: dict[str, dict[str, Entity]] = {"zh": {}, "ja": {}}
        for entry in table.extra.get("single_characters", ()):
            lang = "ja" if entry["language"] == "ja" else "zh"
            entity = table.by_id.get(entry["id"])
            if entity is not None:
                out[lang][entry["text"]] = entity
        return out

    def _abbreviation_run(self, chars: dict[str, Entity], lang: str) -> re.Pattern[str] | None:
        """Where one-character abbreviations name countries: a run of two to
        four before a relation word ("中美关系", "日米首脳会談"); one before
        方/军 ("side", "forces") after no Chinese character ("，俄方表示") or
        after a word of direction ("對台軍售", "感謝美方"); in Japanese, one
        after 対, 訪 or 駐 ("対米", "訪中", "駐日"). The group ``after`` holds
        the abbreviation where a word of direction comes first."""
        if not chars:
            return None

        group = "[" + "".join(sorted(chars)) + "]"
        relations = _alternation(self.relation_words)
        suffixes = _alternation(self.suffix_words)
        # Japanese may put の between: "日豪の防衛協力".
        patterns = [
            f"{group}{{2,4}}(?=の?(?:{relations}))",
            f"(?<![{HAN}]){group}(?=(?:{suffixes}))",
            f"(?:{_alternation(self.direction_words)})(?P<after>{group})(?=(?:{suffixes}))",
        ]
        if lang == "ja":
            targets = "[" + "".join(sorted(set(self.japanese_direction_targets) & set(chars))) + "]"
            patterns.append(f"(?:{_alternation(self.japanese_direction_words)})(?P<after_ja>{targets})")
        return re.compile("|".join(patterns))

    def decisions(self, metonyms: bool) -> dict[int, object]:
        """The per-pattern choices already made with every kind wanted: two
        tables (with and without metonyms), each at most one entry per
        pattern, whatever the texts and options."""
        return self._decisions[metonyms]


#: The process-wide matcher, once built (a global, not a table keyed by the
#: kinds: every call to :func:`matcher`, one per text, would hash the key).
_MATCHER: Matcher | None = None
_LOCK = _forksafe.lock()
_KINDS = available_kinds()


def matcher() -> Matcher:
    """The process-wide matcher over every kind that ships (built once)."""
    global _MATCHER
    m = _MATCHER
    if m is None:
        with _LOCK:
            m = _MATCHER
            if m is None:
                m = _MATCHER = Matcher.compiled(_KINDS) or Matcher.from_tables(_KINDS)
                give_back()  # what loading the patterns freed
    return m
