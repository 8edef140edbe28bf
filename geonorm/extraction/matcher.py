"""The phrase matcher behind :func:`geonorm.extract`.

Built once per process, on first use, from every kind's index: each alias is
split into tokens with the same tokenizer that reads the text, and the token
keys are joined into a phrase key. Scanning is then one pass over the tokens
of the text with dict and set look-ups (longest match first), no regular
expression per alias and no per-character Python loop.
"""

from __future__ import annotations

import itertools
import operator
import re
import threading
import tomllib
from collections.abc import Iterable
from importlib import resources
from typing import Any

import attrs

from .. import index as ix
from ..kinds import SPECS
from ..kinds.weapon import designator_key
from ..model import Entity
from ..registry import _shipped, available_kinds
from ..text import fold, key

__all__ = ["TOKEN", "Candidate", "Matcher", "matcher"]

_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0dff\u0e00-\u0e7f\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u200c\u200d"
)
# Currency signs (Unicode category Sc).
_SYMBOLS = "$¢£¤¥֏؋߾߿৲৳৻૱௹฿៛\u20a0-\u20c0꠸﷼﹩＄￠￡￥￦"
_SYMBOL_SET = frozenset("$¢£¤¥֏؋߾߿৲৳৻૱௹฿៛꠸﷼﹩＄￠￡￥￦") | frozenset(map(chr, range(0x20A0, 0x20C1)))
#: Splits text into tokens (runs of letters, digits and combining marks) and
#: the separators between them, all in C.
SPLIT = re.compile(rf"([^\w{_MARKS}]+)")
#: A currency sign, with the letters that may prefix it ("US$", "A$", "Mex$").
SYMBOL_RUN = re.compile(f"[{_SYMBOLS}]+")


def tokenize(text: str) -> tuple[list[str], list[str], list[int]]:
    """``(tokens, separators, starts)``: ``separators[i]`` stands between
    tokens ``i`` and ``i + 1``; ``starts[i]`` is token ``i``'s offset.
    Currency signs are not tokens (see :data:`SYMBOL_RUN`).

    >>> tokenize("US$68.7 bn")
    (['US', '68', '7', 'bn'], ['$', '.', ' ', ''], [0, 3, 6, 8])
    """
    parts = SPLIT.split(text)
    tokens: list[str] = parts[0::2]
    seps: list[str] = parts[1::2]
    seps.append("")
    steps = map(operator.add, map(len, tokens), map(len, seps))
    starts = list(itertools.accumulate(steps, initial=0))
    starts.pop()
    return tokens, seps, starts


_MAX_PHRASE = 8
# Entry types that count in running text, per kind (codes only with amounts).
_TEXT_TYPES = frozenset(
    {ix.STRONG, ix.LOCALE, ix.WEAK, ix.CODE, ix.DEMONYM, ix.WEAK_DEMONYM, ix.METONYM, ix.WEAK_METONYM, ix.USER}
)


@attrs.frozen
class Candidate:
    """One entity a phrase may name in running text."""

    entity: Entity
    type: int
    alias: str
    alias_tokens: tuple[str, ...]
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


def _tokens(text: str) -> list[str]:
    return [t for t in tokenize(text)[0] if t]


def _load_rules() -> dict[str, Any]:
    ref = resources.files("geonorm").joinpath("data", "extract.toml")
    with ref.open("rb") as fh:
        return tomllib.load(fh)


class Matcher:
    """Phrase table and the word lists the extraction rules use."""

    def __init__(self, kinds: Iterable[str]) -> None:
        rules = _load_rules()
        self.context_words = frozenset(key(w) for w in rules["context_currency_words"])
        self.name_collisions = frozenset(key(w) for w in rules["personal_name_collisions"])
        self.amount_words = frozenset(key(w) for w in rules["amount_words"])
        self.phrases: dict[str, list[Candidate]] = {}
        #: Currency signs ("$", "US$", "₹") by key: matched by :data:`SYMBOL_RUN`.
        self.symbols: dict[str, list[Candidate]] = {}
        self.prefixes: set[str] = set()
        self.first: set[str] = set()
        # First words of phrases that match in any case ("rupees"); the others
        # need a capital or digit in the text, which skips most words quickly.
        self.first_any: set[str] = set()
        self.surnames: set[str] = set()  # last words of people's names, for coreference
        for kind in kinds:
            self._add_kind(kind)
        self.first_lower = frozenset(self.first_any)
        # Title and institution words ("President", "Kremlin"), once people are loaded.
        self.title_words: frozenset[str] = frozenset(getattr(SPECS.get("person"), "prefix_words", ()))

    def _add_symbol(self, alias: str, entity: Entity, etype: int) -> None:
        k = key(alias).replace(" ", "")
        folded = fold(alias).replace(" ", "")
        cand = Candidate(
            entity=entity,
            type=etype,
            alias=folded,
            alias_tokens=(folded,),
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

    def is_start(self, token: str, k: str) -> bool:
        """Whether a name may start at a token (computed once per distinct token)."""
        if not k:
            return False
        if k in self.first_any:
            return True
        if token.islower():
            return False
        return k in self.first or k in self.surnames or (k[-1:] == "s" and k[:-1] in self.first)

    def _add_kind(self, kind: str) -> None:
        table = _shipped(kind)
        spec = SPECS[kind]
        best: dict[tuple[str, str], Candidate] = {}
        for index, entity in enumerate(table.entities):
            for alias in entity.aliases:
                etype = _type_of(table.keys.get(spec.refine(key(alias)), ()), index)
                if etype is None or etype not in _TEXT_TYPES:
                    continue
                if etype == ix.LOCALE and alias.isascii():
                    continue  # other languages' Latin names collide with English words
                if etype == ix.CODE and kind != "currency":
                    continue  # bare ISO codes are not mentions in prose
                if any(ch in _SYMBOL_SET for ch in alias):
                    if kind == "currency":
                        self._add_symbol(alias, entity, etype)
                    continue
                toks = _tokens(alias)
                if len(toks) > 1 and toks[0] in ("the", "The"):
                    toks = toks[1:]  # "the Kremlin": the article is not part of the mention
                if not toks or len(toks) > _MAX_PHRASE:
                    continue
                if etype == ix.LOCALE and not toks[0][:1].isupper() and not toks[0][:1].isdigit():
                    continue  # "an Albáin", "in-Niġer": an article of another language leads
                tkeys = [key(t) for t in toks]
                if not all(tkeys):
                    continue
                folded = fold(alias)
                cand = Candidate(
                    entity=entity,
                    type=etype,
                    alias=alias,
                    alias_tokens=tuple(toks),
                    acronym=ix.is_acronym(folded),
                    symbol=etype == ix.CODE
                    or any(ch in _SYMBOL_SET for ch in alias)
                    or not any(ch.isalpha() for ch in folded),
                    context_word=kind == "currency" and len(tkeys) == 1 and tkeys[0] in self.context_words,
                )
                phrases = [" ".join(tkeys)]
                if kind == "weapon" and len(tkeys) > 1:
                    phrases.append(designator_key(" ".join(tkeys)))
                for phrase in phrases:
                    slot = (phrase, entity.id)
                    old = best.get(slot)
                    # Among equal names keep the one whose case demands least
                    # ("won" over "Won"), so the case rule reads the alias fairly.
                    if old is None or (cand.score, -_capitals(cand.alias)) > (old.score, -_capitals(old.alias)):
                        best[slot] = cand
        for (phrase, _), cand in sorted(best.items(), key=lambda kv: kv[0]):
            self.phrases.setdefault(phrase, []).append(cand)
            words = phrase.split(" ")
            lead = cand.alias_tokens[0] if len(cand.alias_tokens) == len(words) else ""
            if not lead[:1].isupper() and len(words) == 1:
                # Lower-case names match in any case ("rupees"); a lower-case
                # word leading a longer name ("new shekel") still needs its
                # capital, so common words do not all become candidates.
                self.first_any.add(words[0])
            if cand.entity.kind == "person" and len(words) > 1:
                self.surnames.add(words[-1])
            self.first.add(words[0])
            for n in range(1, len(words)):
                self.prefixes.add(" ".join(words[:n]))


def _capitals(text: str) -> int:
    return sum(ch.isupper() for ch in text)


def _type_of(entries: Iterable[list[int]], index: int) -> int | None:
    """The entry type an entity has under a key, if any."""
    for entry in entries:
        if entry[0] == index:
            return entry[2]
    return None


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
