"""The phrase matcher behind :func:`geonorm.extract`.

Built once per process, on first use, from every kind's tables: every alias
that may stand in running text becomes a pattern of an Aho-Corasick automaton
(pyahocorasick, in C), with its spelling variants (accents dropped, compact
designators such as "s400"). Text is prepared with :func:`prepare`, which
changes no offset, and the automaton finds the longest names in one pass; the
rules then run only on what it found.
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Iterable
from importlib import resources
from typing import Any

import ahocorasick
import attrs

from .. import index as ix
from ..kinds import SPECS
from ..kinds.weapon import designator_key
from ..model import Entity
from ..registry import _shipped, available_kinds
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
)
_MAX_PATTERN = 120
# Entry types that count in running text (bare ISO codes are left out).
_TEXT_TYPES = frozenset(
    {ix.STRONG, ix.LOCALE, ix.WEAK, ix.DEMONYM, ix.WEAK_DEMONYM, ix.METONYM, ix.WEAK_METONYM, ix.USER}
)


def prepare(text: str) -> str:
    """The text the automaton reads: white space, hyphens, quotes and
    brackets read as spaces, case kept; same length as ``text``.

    >>> prepare("«Триумф» S-400, (India)")
    ' Триумф  S 400,  India '
    """
    for ch in _SPACES:
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
        return self.symbol or self.context_word or self.type in ix.WEAK_TYPES


def _load_rules() -> dict[str, Any]:
    ref = resources.files("geonorm").joinpath("data", "extract.toml")
    with ref.open("rb") as fh:
        return tomllib.load(fh)


def _name_forms(name: str) -> set[str]:
    """How a name may be written in running text: as given, in capitals, and
    with a capital first letter (a lower-case word starting a sentence)."""
    forms = {name, name.upper()}
    if name[:1].islower():
        forms.add(name[:1].upper() + name[1:])
    return forms


_SMALL_WORDS = frozenset({"of", "the", "and", "de", "du", "des", "la", "le", "el", "al", "da", "do", "di"})


def _title(k: str) -> str:
    """``"sea of japan"`` -> ``"Sea of Japan"``."""
    words = k.split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _type_of(entries: Iterable[list[int]], index: int) -> int | None:
    """The entry type an entity has under a key, if any."""
    for entry in entries:
        if entry[0] == index:
            return entry[2]
    return None


class Matcher:
    """The automaton, its candidates, and the word lists the rules use."""

    def __init__(self, kinds: Iterable[str]) -> None:
        rules = _load_rules()
        self.context_words = frozenset(key(w) for w in rules["context_currency_words"])
        self.name_collisions = frozenset(key(w) for w in rules["personal_name_collisions"])
        amount_words = sorted((re.escape(w) for w in rules["amount_words"]), key=len, reverse=True)
        #: An amount ending right before a name: "4 billion" in "4 billion euros".
        self.amount_before = re.compile(
            rf"\d(?:[\d.,]*\d)?(?:[ \u00a0]*(?:{'|'.join(amount_words)}))*[ \u00a0]*$", re.IGNORECASE
        )
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
                if " " in k:
                    for form in _name_forms(_title(k)) | {k}:
                        pattern = _pattern(form)
                        if pattern and pattern not in self.patterns:
                            self.patterns[pattern] = []
        #: Pattern id -> (pattern, candidates). The automaton reads the text in
        #: its own case: a name matches as its alias is written, in capitals,
        #: or (a lower-case alias) with a capital first letter.
        self.entries: list[tuple[str, tuple[Candidate, ...]]] = []
        self.automaton = ahocorasick.Automaton()
        for pattern, cands in sorted(self.patterns.items()):
            self.automaton.add_word(" " + pattern, (len(pattern), len(self.entries)))
            self.entries.append((pattern, tuple(cands)))
        self.automaton.make_automaton()
        # Title and institution words ("President", "Kremlin").
        self.title_words: frozenset[str] = frozenset(getattr(SPECS.get("person"), "prefix_words", ()))
        self._decisions: dict[tuple[frozenset[str], bool], dict[int, object]] = {}

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
        best: dict[tuple[str, str], Candidate] = {}
        for index, entity in enumerate(table.entities):
            for alias in entity.aliases:
                etype = _type_of(table.keys.get(spec.refine(key(alias)), ()), index)
                if etype is None:
                    continue
                if etype == ix.CODE and kind == "currency":
                    etype = ix.STRONG  # "INR", "USD": count next to an amount, as signs do
                    is_code = True
                else:
                    is_code = False
                if etype not in _TEXT_TYPES:
                    continue
                if etype == ix.LOCALE and alias.isascii():
                    continue  # other languages' Latin names collide with English words
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
                    continue  # "an Albáin", "in-Niġer": an article of another language leads
                folded = fold(alias)
                compact = "".join(WORDS.findall(folded))
                cand = Candidate(
                    entity=entity,
                    type=etype,
                    alias=alias,
                    words=tuple(words),
                    compact=compact,
                    acronym=ix.is_acronym(folded) and not is_code,
                    symbol=is_code,
                    context_word=kind == "currency" and len(words) == 1 and key(words[0]) in self.context_words,
                )
                if cand.type in ix.DEMONYM_TYPES and len(words) == 1:
                    self.demonyms.add(key(alias))
                if cand.acronym or (len(compact) <= 5 and any(ch.isupper() for ch in alias[1:])):
                    forms = {alias}  # acronyms and "BoT" match only as written
                else:
                    forms = _name_forms(alias)
                    if etype != ix.LOCALE:
                        forms |= _name_forms(folded)  # "Cote d'Ivoire" for "Côte d'Ivoire"
                    if len(words) > 1 and not alias.isascii() and "«" not in alias:
                        # Russian style quotes the name: "С-400 «Триумф»", "НК «Роснефть»".
                        head, _, last = alias.rpartition(" ")
                        forms |= _name_forms(f"{head} «{last}»")
                    if kind == "weapon":
                        joined = "".join(words)
                        forms |= {joined, joined.upper(), designator_key(" ".join(key(w) for w in words))}
                for form in forms:
                    pattern = _pattern(form)
                    if not pattern or len(pattern) > _MAX_PATTERN:
                        continue
                    slot = (pattern, entity.id)
                    old = best.get(slot)
                    if old is None or cand.score > old.score:
                        best[slot] = cand
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
