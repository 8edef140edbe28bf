"""The phrase matcher behind :func:`geonorm.extract`.

Built once per process, on first use, from every kind's tables: every alias
that may stand in running text becomes a pattern of an Aho-Corasick automaton
(pyahocorasick, in C), with its spelling variants (accents dropped, compact
designators such as "s400"). Text is prepared with :func:`prepare`, which
changes no offset, and the automaton finds the longest names in one pass; the
rules then run only on what it found.
"""

from __future__ import annotations

import copy
import re
import threading
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

import ahocorasick
import attrs

from .. import index as ix
from ..kinds import SPECS
from ..kinds.weapon import designator_key
from ..model import Entity
from ..registry import _shipped, available_kinds
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
from ..text import fold, key

__all__ = ["SYMBOL_RUN", "WORDS", "Candidate", "Matcher", "matcher", "prepare"]

# Currency signs (Unicode category Sc).
_SYMBOLS = "$¢£¤¥֏؋߾߿৲৳৻૱௹฿៛\u20a0-\u20c0꠸﷼﹩＄￠￡￥￦"
_SYMBOL_SET = frozenset("$¢£¤¥֏؋߾߿৲৳৻૱௹฿៛꠸﷼﹩＄￠￡￥￦") | frozenset(map(chr, range(0x20A0, 0x20C1)))
#: A run of currency signs.
SYMBOL_RUN = re.compile(f"[{_SYMBOLS}]+")
#: The words of a piece of text (letters and digits).
WORDS = re.compile(r"[^\W_]+")
# Characters read as a space around and inside names: white space, hyphens,
# slashes, quotes and brackets. Each is replaced one for one, so offsets in
# the prepared text are offsets in the original.
_SPACES = (
    "\n\t\r\x0b\x0c\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029"
    "\u202f\u205f\u3000-\u2010\u2011\u2012\u2013\u2014\u2015\u2212/\\\"'`\u2018\u2019\u201a\u201b\u201c"
    "\u201d\u201e\u00ab\u00bb\u2039\u203a()[]{}<>|"
    # Punctuation that glues names in lists ("Russia,India"), fullwidth
    # punctuation and brackets of CJK text, and the middle dots that join the
    # parts of a foreign name (唐纳德·特朗普, ウラジーミル・プーチン).
    ",;:!?\uff08\uff09\u300c\u300d\u300e\u300f\u3010\u3011\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f"
    "\u00b7\u30fb\u2027\uff65"
    # "(서울=연합뉴스)": the equals sign of Korean datelines.
    "=\uff1d"
)
_SPACE_TABLE = str.maketrans(dict.fromkeys(_SPACES, " "))
_MAX_PATTERN = 120
# End rules of a pattern (see Matcher.end_rule): a name ends at a word
# boundary; a name ending in a script written without spaces may be followed
# by anything; a Hangul name may be followed by a Korean particle.
END_WORD, END_FREE, END_PARTICLE, END_KANA = 0, 1, 2, 3
# Start rules: a name starts after a space (the automaton's own word carries
# it); anywhere (Chinese characters); not inside a katakana word; or after
# nothing but a prefix written together with the name (Arabic, Hebrew).
START_SPACE, START_FREE, START_KANA, START_ARABIC, START_HEBREW, START_HANGUL, START_SCRIPT = 0, 1, 2, 3, 4, 5, 6


#: Letters of the scripts whose names the second automaton holds.
UNSPACED_TEXT = re.compile(f"[{HANGUL_SYLLABLES}{HEBREW}{HEBREW_PRESENTATION}{ARABIC}{UNSPACED}]")
_ONLY_HAN = re.compile(f"[{HAN}]+")


_TURKISH_LETTERS = frozenset("çğıöşüÇĞİÖŞÜ")
# Entry types that count in running text (bare ISO codes are left out).
_TEXT_TYPES = frozenset(
    {ix.STRONG, ix.LOCALE, ix.NEWS_LOCALE, ix.WEAK, ix.DEMONYM, ix.WEAK_DEMONYM, ix.METONYM, ix.WEAK_METONYM, ix.USER}
)


def prepare(text: str) -> str:
    """The text the automaton reads: white space, hyphens, quotes, brackets
    and list punctuation read as spaces, case kept; same length as ``text``.

    >>> prepare("«Триумф» S-400, (India)")
    ' Триумф  S 400   India '
    """
    if len(text) < 4096:
        return text.translate(_SPACE_TABLE)  # a name, a sentence: one pass
    for ch in _SPACES:  # a long text: one C scan per character is faster
        if ch in text:
            text = text.replace(ch, " ")
    return text


def _pattern(text: str) -> str:
    return prepare(text).strip(" ")


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

    @property
    def score(self) -> float:
        return ix.SCORES[self.type]

    @property
    def contextual(self) -> bool:
        """Whether rules that read the surrounding text apply."""
        return self.symbol or self.context_word or self.type in ix.WEAK_TYPES or self.type in ix.METONYM_TYPES


def _load_rules() -> dict[str, Any]:
    ref = resources.files("geonorm").joinpath("data", "extract.toml")
    with ref.open("rb") as fh:
        return tomllib.load(fh)


def _after_script(cand: Candidate) -> bool:
    """Names that Chinese, Japanese and Korean text writes right after its own
    letters: designators with digits and acronyms."""
    return cand.acronym or (cand.entity.kind == "weapon" and any(ch.isdigit() for ch in cand.alias))


def _only_han(text: str) -> bool:
    return _ONLY_HAN.fullmatch(text) is not None


def _name_forms(name: str) -> set[str]:
    """How a name may be written in running text: as given, in capitals, and
    with a capital first letter (a lower-case word starting a sentence).
    A lower-case word outside ASCII (an adjective or a currency word in
    another language: "российских", "dólares") is not looked for in
    capitals. Turkish names in capitals keep the dotted capital I
    ("TÜRKİYE")."""
    forms = {name}
    if not (name[:1].islower() and not name.isascii()):
        forms.add(name.upper())
    if name[:1].islower():
        forms.add(name[:1].upper() + name[1:])
    if any(ch in _TURKISH_LETTERS for ch in name):
        forms.add(name.replace("i", "\u0130").upper())
    return forms


_SMALL_WORDS = frozenset({"of", "the", "and", "de", "du", "des", "la", "le", "el", "al", "da", "do", "di"})


def _title(k: str) -> str:
    """``"sea of japan"`` -> ``"Sea of Japan"``."""
    words = k.split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of ``words``, longest first."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _blocked(cand: Candidate, blocked: Mapping[str, frozenset[str]]) -> bool:
    kind = cand.entity.kind
    return kind in blocked and SPECS[kind].refine(key(cand.alias)) in blocked[kind]


def _type_of(entries: Iterable[tuple[int, ...]], index: int) -> int | None:
    """The entry type an entity has under a key, if any."""
    for entry in entries:
        if entry[0] == index:
            return entry[2]
    return None


class Matcher:
    """The automaton, its candidates, and the word lists the rules use."""

    def __init__(self, kinds: Iterable[str]) -> None:
        rules = _load_rules()
        self.function_words = frozenset(rules["function_words"])
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
        self.context_words = frozenset(key(w) for w in rules["context_currency_words"])
        self.not_in_text = frozenset(key(w) for w in rules.get("not_in_text", ()))
        self.traditional_ambiguous = frozenset(rules["traditional_script_ambiguous"])
        self.traditional = re.compile("[" + rules["traditional_characters"] + "]")
        self.name_collisions = frozenset(key(w) for w in rules["personal_name_collisions"])
        amount_words = _alternation(rules["amount_words"])
        #: An amount ending right before a name: "4 billion" in "4 billion euros".
        self.amount_before = re.compile(rf"\d(?:[\d.,]*\d)?(?:[ \u00a0]*(?:{amount_words}))*[ \u00a0]*$", re.IGNORECASE)
        # pattern -> candidates; filled per kind, then frozen into the automaton.
        self.patterns: dict[str, list[Candidate]] = {}
        #: Currency signs ("$", "US$", "₹") by key, matched by :data:`SYMBOL_RUN`.
        self.symbols: dict[str, list[Candidate]] = {}
        self.demonyms: set[str] = set()
        for kind in kinds:
            self._add_kind(kind)
        # Known non-names ("Indian Ocean", "Sea of Japan") are patterns without
        # candidates: as the longest match they block the names inside them.
        for kind in kinds:
            for k in sorted(_shipped(kind).not_keys):
                if " " in k or unspaced(k[0]) or hangul(k[0]):  # "Indian Ocean", "印度洋"
                    for form in _name_forms(_title(k)) | {k}:
                        pattern = _pattern(form)
                        if pattern and pattern not in self.patterns:
                            self.patterns[pattern] = []
        #: Pattern id -> (pattern, candidates). The automaton reads the text in
        #: its own case: a name matches as its alias is written, in capitals,
        #: or (a lower-case alias) with a capital first letter.
        self.entries: list[tuple[str, tuple[Candidate, ...]]] = []
        #: Per pattern id, how its end is checked (END_WORD, END_FREE, END_PARTICLE).
        self.end_rule: list[int] = []
        #: Per pattern id, how its start is checked (START_SPACE...).
        self.start_rule: list[int] = []
        #: The prefixes an Arabic or Hebrew name may carry ("و" of "والصين").
        self.prefixes = {
            START_ARABIC: frozenset(rules["arabic_prefixes"]),
            START_HEBREW: frozenset(rules["hebrew_prefixes"]),
        }
        # Two automata: names that start after a space, and names that need no
        # space before them (Chinese, Japanese, Thai...; Arabic and Hebrew,
        # whose prefixes are written together with the name). Only a text
        # with letters of those scripts pays for reading the second one (an
        # automaton whose names start with thousands of characters is several
        # times slower to run, even on text it never matches).
        self.automaton, self.unspaced_automaton = self._compile(self.patterns)
        #: A registry's additions: its own two automata, read first (see
        #: :meth:`with_additions`); empty for the shipped tables.
        self.extra_automata: tuple[Any, ...] = ()
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
        # Title and institution words ("President", "Kremlin").
        self.title_words: frozenset[str] = frozenset(getattr(SPECS.get("person"), "prefix_words", ()))
        self._decisions: dict[tuple[frozenset[str], bool], dict[int, object]] = {}

    def _compile(self, patterns: dict[str, list[Candidate]]) -> tuple[Any, Any]:
        """The two automata over ``patterns``, their entries appended to
        :attr:`entries` with their start and end rules."""
        automaton = ahocorasick.Automaton()
        unspaced_automaton = ahocorasick.Automaton()
        for pattern, cands in sorted(patterns.items()):
            first = pattern[0]
            if katakana(first):
                start = START_KANA
            elif unspaced(first):
                start = START_FREE
            elif arabic(first) and len(pattern) >= 3 and not pattern.startswith("لل"):
                start = START_ARABIC
            elif hebrew(first) and len(pattern) >= 3:
                start = START_HEBREW
            elif hangul(first):
                start = START_HANGUL
            else:
                start = START_SPACE
            # Only a name that must start after a space carries the space.
            if start:
                unspaced_automaton.add_word(pattern, (len(pattern), len(self.entries)))
            else:
                automaton.add_word(" " + pattern, (len(pattern), len(self.entries)))
            self.entries.append((pattern, tuple(cands)))
            self.start_rule.append(start)
            self._add_end_rule(pattern)
            if not start and pattern.isascii() and len(pattern) <= 15 and any(_after_script(c) for c in cands):
                # "J15戦闘機", "購買S-400", "한국의NATO": a designator or acronym
                # right after Chinese, Japanese or Korean letters.
                unspaced_automaton.add_word(pattern, (len(pattern), len(self.entries)))
                self.entries.append((pattern, tuple(cands)))
                self.start_rule.append(START_SCRIPT)
                self._add_end_rule(pattern)
        automaton.make_automaton()
        unspaced_automaton.make_automaton()
        return automaton, unspaced_automaton

    def with_additions(
        self,
        names: Iterable[tuple[Entity, str, int]],
        blocked: Mapping[str, frozenset[str]],
    ) -> Matcher:
        """A matcher that also finds a registry's additions: ``names`` are
        ``(entity, alias, entry type)``, ``blocked`` the keys per kind the
        registry declared not to be names. It shares everything with this
        one but two small automata of its own, read before the shipped ones
        so that an added name wins a tie; a pattern both know carries both
        candidate lists."""
        new = copy.copy(self)
        new.entries = list(self.entries)
        new.start_rule = list(self.start_rule)
        new.end_rule = list(self.end_rule)
        new.symbols = {k: list(v) for k, v in self.symbols.items()}
        new.demonyms = set(self.demonyms)
        new._decisions = {}
        new.patterns = {}
        by_kind: dict[str, list[tuple[Entity, str, int]]] = {}
        for entity, alias, etype in names:
            by_kind.setdefault(entity.kind, []).append((entity, alias, etype))
        for kind, items in sorted(by_kind.items()):
            if kind in SPECS:
                new._add_names(kind, items)
        for pattern, cands in new.patterns.items():
            # The shipped candidates of the same pattern, the added ones first.
            added = {c.entity.id for c in cands}
            cands.extend(c for c in self.patterns.get(pattern, ()) if c.entity.id not in added)
        if blocked:
            for pattern, cands in self.patterns.items():
                kept = [c for c in cands if not _blocked(c, blocked)]
                if len(kept) != len(cands):
                    new.patterns[pattern] = [c for c in new.patterns.get(pattern, kept) if not _blocked(c, blocked)]
        spaced, unspaced_ = new._compile(new.patterns)
        new.extra_automata = tuple(a for a in (spaced, unspaced_) if len(a))
        return new

    def _add_end_rule(self, pattern: str) -> None:
        last = pattern[-1]
        if katakana(last):
            self.end_rule.append(END_KANA)
        elif unspaced(last):
            self.end_rule.append(END_FREE)
        else:
            self.end_rule.append(END_PARTICLE if hangul(last) else END_WORD)

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

    @staticmethod
    def add_variants(pattern: str, slot_entity: str, cand: Candidate, best: dict[tuple[str, str], Candidate]) -> None:
        """The pattern and, for an Arabic name with the article, its form after
        the preposition ل, which drops the article's alef: "للهند", "وللهند"."""
        variants = [pattern]
        if pattern.startswith("ال") and len(pattern) >= 4:
            variants += ["لل" + pattern[2:], "ولل" + pattern[2:]]
        for variant in variants:
            slot = (variant, slot_entity)
            old = best.get(slot)
            if old is None or cand.score > old.score:
                best[slot] = cand

    def decisions(self, kinds: frozenset[str], metonyms: bool) -> dict[int, object]:
        """The per-pattern choices already made for these options (bounded by
        the number of patterns)."""
        table = self._decisions.get((kinds, metonyms))
        if table is None:
            table = self._decisions.setdefault((kinds, metonyms), {})
        return table

    def _add_symbol(self, alias: str, entity: Entity, etype: int) -> None:
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

    def _add_kind(self, kind: str) -> None:
        table = _shipped(kind)
        spec = SPECS[kind]

        def names() -> Iterable[tuple[Entity, str, int]]:
            for index, entity in enumerate(table.entities):
                for alias in entity.aliases:
                    etype = _type_of(table.keys.get(spec.refine(key(alias)), ()), index)
                    if etype is not None:
                        yield entity, alias, etype

        self._add_names(kind, names())

    def _add_names(self, kind: str, names: Iterable[tuple[Entity, str, int]]) -> None:
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
            if any(ch in _SYMBOL_SET for ch in alias):
                if kind == "currency":
                    self._add_symbol(alias, entity, etype)
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
                forms = _name_forms(alias)
                if etype not in ix.LOCALE_TYPES:
                    forms |= _name_forms(folded)  # "Cote d'Ivoire" for "Côte d'Ivoire"
                if len(words) > 1 and not alias.isascii() and "«" not in alias:
                    # Russian style quotes the name: "С-400 «Триумф»", "НК «Роснефть»".
                    head, _, last = alias.rpartition(" ")
                    forms |= _name_forms(f"{head} «{last}»")
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
                self.add_variants(pattern, entity.id, cand, best)
        for (pattern, _), cand in sorted(best.items(), key=lambda kv: kv[0]):
            self.patterns.setdefault(pattern, []).append(cand)


_MATCHERS: dict[tuple[str, ...], Matcher] = {}
_LOCK = threading.Lock()


def matcher() -> Matcher:
    """The process-wide matcher over every kind that ships (built once)."""
    kinds = available_kinds()
    m = _MATCHERS.get(kinds)
    if m is None:
        with _LOCK:
            m = _MATCHERS.get(kinds)
            if m is None:
                m = Matcher(kinds)
                _MATCHERS[kinds] = m
    return m
