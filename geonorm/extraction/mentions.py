"""Find entity mentions in running text: :func:`extract` and :class:`Mention`."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Any, Literal

import attrs

from .. import index as ix
from ..model import KINDS, Entity, Person
from ..registry import available_kinds
from ..text import fold, key
from .matcher import SYMBOL_RUN, Candidate, Matcher, matcher, tokenize

__all__ = ["Mention", "MentionHow", "extract"]

MentionHow = Literal["alias", "demonym", "metonym", "coreference"]
_CHUNK = 200_000
_SENTENCE_END = re.compile(r"[.!?\n]")
# Separators that may stand inside one name: "S-400", "F/A-18", "U.S.",
# "Côte d'Ivoire", "С-400 «Триумф»", "Bosnia & Herzegovina".
_JOINERS = frozenset(
    {"", " ", "\u00a0", "-", "‐", "‑", "–", "/", "'", "’", ".", "&", " & ", " «", "«", "»", "-«", " - "}
)
_CLOSERS = '.»"”)'
# Separators between a currency sign or word and its amount: "$68.7", "Rs 500", "Rs. 500".
_AMOUNT_GAPS = frozenset({"", " ", "\u00a0", ". ", "."})
_CONTEXT_WINDOW = 8
_FULL = object()  # the choice depends on context: run every rule
_MISSING = object()


@attrs.frozen
class Mention:
    """One mention of an entity in a text.

    ``text[m.start:m.end] == m.text`` always holds. ``how`` is ``"alias"``,
    ``"demonym"`` (an adjective or demonym: "Russian oil"), ``"metonym"`` (a
    capital standing for its country, only with ``metonyms=True``) or
    ``"coreference"`` (a bare surname after the full name earlier in the text).
    """

    start: int
    end: int
    text: str
    entity: Entity
    how: MentionHow

    @property
    def kind(self) -> str:
        return self.entity.kind


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Pieces of at most about ``_CHUNK`` characters, cut at line breaks (or
    white space) so no name is cut in two."""
    pos = 0
    n = len(text)
    while pos < n:
        if n - pos <= _CHUNK:
            yield pos, text[pos:]
            return
        cut = text.rfind("\n", pos + _CHUNK // 2, pos + _CHUNK)
        if cut == -1:
            cut = max(text.rfind(" ", pos + _CHUNK // 2, pos + _CHUNK), pos + _CHUNK - 1)
        yield pos, text[pos : cut + 1]
        pos = cut + 1


def _singular(k: str) -> str | None:
    """``400s`` -> ``400``: plural designators ("S-400s", "Su-57s")."""
    if len(k) > 1 and k.endswith("s") and k[-2].isdigit():
        return k[:-1]
    return None


class _Scan:
    """One pass over one chunk of text."""

    def __init__(
        self,
        m: Matcher,
        chunk: str,
        offset: int,
        kinds: frozenset[str],
        metonyms: bool,
        coref: dict[str, Person],
        memo: dict[str, str],
        memo_start: dict[str, bool],
        shared: tuple[dict[Any, Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]],
    ) -> None:
        self.m = m
        self.chunk = chunk
        self.offset = offset
        self.kinds = kinds
        self.metonyms = metonyms
        self.coref = coref
        self.strs, self.seps, self.starts = tokenize(chunk)
        missing = set(self.strs).difference(memo)
        if missing:
            memo.update({t: key(t) for t in missing})
            is_start = m.is_start
            memo_start.update({t: is_start(t, memo[t]) for t in missing})
        self.keys: list[str] = list(map(memo.__getitem__, self.strs))
        # Token positions where a name may start, found without a Python loop.
        self.candidates = list(itertools.compress(range(len(self.strs)), map(memo_start.__getitem__, self.strs)))
        self.last_end = -1  # token index after the last mention
        # Candidates that pass the context-free rules, and the choice among
        # them where context plays no part, per phrase and spelling.
        self.passing: dict[tuple[str, tuple[str, ...]], list[Candidate]] = shared[0]
        self.decided: dict[tuple[str, tuple[str, ...]], object] = shared[1]
        self.symbol_memo: dict[str, Candidate | None] = shared[2]
        self.single: dict[str, object] = shared[3]

    def joined(self, i: int) -> bool:
        """Whether tokens ``i`` and ``i + 1`` may belong to one name."""
        return self.seps[i] in _JOINERS

    def sentence_start(self, i: int) -> bool:
        return i == 0 or bool(_SENTENCE_END.search(self.seps[i - 1]))

    def phrases_at(self, i: int) -> list[tuple[int, str]]:
        """Every phrase of the table that starts at token ``i``: (last token, phrase)."""
        m, keys = self.m, self.keys
        k = keys[i]
        found: list[tuple[int, str]] = []
        if k not in m.prefixes:  # a one-word phrase at most
            if k in m.phrases:
                found.append((i, k))
            else:
                sing = _singular(k)
                if sing is not None and sing in m.phrases:
                    found.append((i, sing))
            return found
        phrases, prefixes, seps = m.phrases, m.prefixes, self.seps
        phrase, j, last = k, i, min(len(keys) - 1, i + 7)
        while True:
            if phrase in phrases:
                found.append((j, phrase))
            if j >= last or seps[j] not in _JOINERS:
                break
            follow = keys[j + 1]
            nxt = f"{phrase} {follow}"
            if nxt not in prefixes and nxt not in phrases:
                if follow[-1:] == "s" and follow[-2:-1].isdigit() and (alt := nxt[:-1]) in phrases:
                    found.append((j + 1, alt))
                break
            phrase, j = nxt, j + 1
        return found

    # -- rules -------------------------------------------------------------

    def is_number(self, i: int) -> bool:
        return 0 <= i < len(self.keys) and self.keys[i][:1].isdigit()

    def has_amount(self, i: int, j: int) -> bool:
        """An amount right before or after tokens i..j ("$68.7 billion", "Rs 500",
        "4 billion euros", "500 INR")."""
        if self.is_number(j + 1) and self.seps[j] in _AMOUNT_GAPS:
            return True
        k = i - 1
        while k >= 0 and self.keys[k] in self.m.amount_words and k > i - 3:
            k -= 1
        return self.is_number(k) and self.seps[i - 1] in _AMOUNT_GAPS

    def determined(self, i: int) -> bool:
        """A currency word used as a noun: "the won", "Korea's won", "South Korean won"."""
        if i == 0:
            return False
        prev = self.keys[i - 1]
        if prev in ("the", "s"):
            return True
        return any(c.type in ix.DEMONYM_TYPES for c in self.m.phrases.get(prev, ()))

    def currency_nearby(self, i: int, j: int) -> bool:
        lo, hi = max(0, i - _CONTEXT_WINDOW), min(len(self.keys), j + 1 + _CONTEXT_WINDOW)
        for w in range(lo, hi):
            if i <= w <= j:
                continue
            for cand in self.m.phrases.get(self.keys[w], ()):
                if cand.entity.kind == "currency" and not cand.context_word:
                    return True
        return False

    def case_ok(self, cand: Candidate, span: tuple[str, ...]) -> bool:
        if cand.acronym:
            return fold("".join(span)) == fold("".join(cand.alias_tokens))
        if len(span) != len(cand.alias_tokens):
            return True  # a folded designator ("S400" for "S-400"): case does not matter
        for t, a in zip(span, cand.alias_tokens, strict=True):
            if a[:1].isupper() and not t[:1].isupper():
                return False
            if len(a) > 1 and a.isupper() and a.isalpha() and not t.isupper():
                return False
        return True

    def static_pass(self, phrase: str, span: tuple[str, ...]) -> list[Candidate]:
        """Candidates that pass the rules that do not depend on context."""
        slot = (phrase, span)
        found = self.passing.get(slot)
        if found is None:
            found = [
                c
                for c in self.m.phrases[phrase]
                if c.entity.kind in self.kinds
                and (self.metonyms or c.type not in ix.METONYM_TYPES)
                and self.case_ok(c, span)
            ]
            self.passing[slot] = found
        return found

    def context_ok(self, cand: Candidate, i: int, j: int, facts: dict[str, bool]) -> bool:
        """The rules that read the text around a candidate; ``facts`` caches
        what they found for this span, since several candidates share it."""
        if cand.symbol or cand.context_word:
            if "amount" not in facts:
                facts["amount"] = self.has_amount(i, j)
            if cand.symbol and not facts["amount"]:
                return False
            if cand.context_word and not facts["amount"]:
                if "noun" not in facts:
                    facts["noun"] = self.determined(i) and self.currency_nearby(i, j)
                if not facts["noun"]:
                    return False
        if cand.type in ix.WEAK_TYPES and i == j:
            # "Total exports rose": a weak name that is a common word starting a sentence.
            if "weak_start" not in facts:
                facts["weak_start"] = self.sentence_start(i) and self.strs[i][1:].islower()
            return not facts["weak_start"]
        return True

    def name_collision(self, entity: Entity, i: int, j: int) -> bool:
        """A one-word place name that is part of a person's name here
        ("Michael Jordan", "Jordan Bardella")."""
        if i != j or entity.kind == "person" or self.keys[i] not in self.m.name_collisions:
            return False
        titles = self.m.title_words
        if i > 0 and self.last_end != i and self.seps[i - 1] == " ":
            prev = self.strs[i - 1]
            if prev[:1].isupper() and self.keys[i - 1] not in titles:
                return True
        if j + 1 < len(self.keys) and self.seps[j] == " ":
            nxt = self.strs[j + 1]
            if nxt[:1].isupper() and self.keys[j + 1] not in titles and not self.phrases_at(j + 1):
                return True
        return False

    def choose(self, phrase: str, i: int, j: int) -> tuple[Entity, MentionHow, str] | None:
        span = tuple(self.strs[i : j + 1])
        facts: dict[str, bool] = {}
        cands = [c for c in self.static_pass(phrase, span) if not c.contextual or self.context_ok(c, i, j, facts)]
        if i == j and span[0][:1].isupper():
            person = self.coref.get(self.keys[i])
            if (
                person is not None
                and "person" in self.kinds
                and (not cands or any(c.entity.kind == "person" for c in cands))
            ):
                return person, "coreference", ""
        if not cands:
            return None
        if len(cands) == 1:
            cand = cands[0]
        else:
            best = max(c.score for c in cands)
            top = {c.entity.id: c for c in cands if c.score == best}
            if len(top) != 1:
                return None
            (cand,) = top.values()
        if self.name_collision(cand.entity, i, j):
            return None
        how: MentionHow = "alias"
        if cand.type in ix.DEMONYM_TYPES:
            how = "demonym"
        elif cand.type in ix.METONYM_TYPES:
            how = "metonym"
        return cand.entity, how, cand.alias

    def symbol_mentions(self) -> list[Mention]:
        """Currency signs next to an amount: "$68.7", "US$5", "€4bn", "500 €"."""
        if "currency" not in self.kinds:
            return []
        chunk, out, memo = self.chunk, [], self.symbol_memo
        for sm in SYMBOL_RUN.finditer(chunk):
            start, end = sm.span()
            # Up to three letters glued in front: "US$", "HK$", "Mex$".
            lead = start
            while lead > 0 and start - lead < 3 and chunk[lead - 1].isascii() and chunk[lead - 1].isalpha():
                lead -= 1
            if lead > 0 and (chunk[lead - 1].isalnum() or chunk[lead - 1] == "_"):
                lead = start  # letters inside a longer word are not a prefix
            text = chunk[lead:end]
            if text in memo:
                cand = memo[text]
            else:
                cand = memo[text] = self.symbol_candidate(text)
            if cand is None and lead != start:
                lead, text = start, chunk[start:end]
                cand = memo[text] if text in memo else memo.setdefault(text, self.symbol_candidate(text))
            if cand is None:
                continue
            after = chunk[end : end + 2].lstrip(" \u00a0")
            before = chunk[max(0, lead - 2) : lead].rstrip(" \u00a0")
            if after[:1].isdigit() or before[-1:].isdigit():
                out.append(Mention(lead + self.offset, end + self.offset, text, cand.entity, "alias"))
        return out

    def symbol_candidate(self, text: str) -> Candidate | None:
        folded = fold(text).replace(" ", "")
        cands = [
            c
            for c in self.m.symbols.get(key(text).replace(" ", ""), ())
            if c.alias == folded or (c.alias.lower() == folded.lower() and not c.alias.isupper())
        ]
        if not cands:
            return None
        best = max(c.score for c in cands)
        top = {c.entity.id: c for c in cands if c.score == best}
        return next(iter(top.values())) if len(top) == 1 else None

    def decide(self, phrase: str, span: tuple[str, ...]) -> object:
        """The choice among a phrase's candidates where no rule reads context:
        ``(entity, how, alias)``, None, or ``_FULL`` when context decides."""
        cands = self.static_pass(phrase, span)
        if any(c.contextual for c in cands):
            return _FULL
        if not cands:
            return None
        best = max(c.score for c in cands)
        top = {c.entity.id: c for c in cands if c.score == best}
        if len(top) != 1:
            return None
        (cand,) = top.values()
        how: MentionHow = "alias"
        if cand.type in ix.DEMONYM_TYPES:
            how = "demonym"
        elif cand.type in ix.METONYM_TYPES:
            how = "metonym"
        return (cand.entity, how, cand.alias)

    def run(self) -> Iterator[Mention]:
        keys, coref, strs, seps = self.keys, self.coref, self.strs, self.seps
        chunk, offset, pos = self.chunk, self.offset, self.starts
        m = self.m
        phrases, prefixes, collisions = m.phrases, m.prefixes, m.name_collisions
        want_people = "person" in self.kinds
        decided = self.decided
        single: dict[str, object] = self.single
        symbols = self.symbol_mentions()
        taken = {sm.start - offset for sm in symbols}
        pending = iter(symbols)
        upcoming = next(pending, None)
        nxt = 0
        for i in self.candidates:
            if i < nxt:
                continue
            if taken and pos[i] in taken:
                continue  # the letters of "US$" belong to the currency sign
            k = keys[i]
            picked = None
            if k not in prefixes and k not in coref and k not in collisions:
                # A one-word name whose choice no context changes: decided once per spelling.
                tok = strs[i]
                d = single.get(tok, _MISSING)
                if d is _MISSING:
                    d = single[tok] = self.decide(k, (tok,)) if k in phrases else _FULL
                if d is None:
                    continue
                if d is not _FULL:
                    picked = (i, *d)  # type: ignore[misc]
            found = () if picked is not None else self.phrases_at(i)
            for j, phrase in reversed(found):
                if i == j:
                    if k in coref or k in collisions:
                        chosen = self.choose(phrase, i, j)
                        if chosen is not None:
                            picked = (j, *chosen)
                            break
                        continue
                    slot: tuple[str, object] = (phrase, strs[i])
                else:
                    slot = (phrase, tuple(strs[i : j + 1]))
                d = decided.get(slot, _MISSING)
                if d is _MISSING:
                    span = (slot[1],) if i == j else slot[1]
                    d = decided[slot] = self.decide(phrase, span)  # type: ignore[arg-type]
                chosen = self.choose(phrase, i, j) if d is _FULL else d  # type: ignore[assignment]
                if chosen is not None:
                    picked = (j, *chosen)
                    break
            if picked is None and want_people and k in coref and strs[i][:1].isupper():
                picked = (i, coref[k], "coreference", "")
            if picked is None:
                continue
            j, entity, how, alias = picked
            start, end = pos[i], pos[j] + len(strs[j])
            while upcoming is not None and upcoming.start < start + offset:
                yield upcoming
                upcoming = next(pending, None)
            # Keep closing punctuation that belongs to the name: "U.S.", "«Триумф»".
            if alias and alias[-1] in _CLOSERS:
                tail = alias[len(alias.rstrip(_CLOSERS)) :]
                if seps[j].startswith(tail):
                    end += len(tail)
            if j > i and isinstance(entity, Person):
                coref[keys[j]] = entity
            yield Mention(start + offset, end + offset, chunk[start:end], entity, how)
            self.last_end = j + 1
            nxt = j + 1
        while upcoming is not None:
            yield upcoming
            upcoming = next(pending, None)


def extract(
    text: str,
    *,
    kinds: Iterable[str] | None = None,
    metonyms: bool = False,
) -> list[Mention]:
    """Every entity mention in ``text``, in order, without overlaps.

    ``kinds`` limits the kinds reported (``{"country", "currency"}``);
    ``metonyms=True`` also reports capitals standing for their country
    ("Moscow", "Washington"). The longest name wins ("Reserve Bank of
    India" is the bank); short acronyms count only in capitals; bare ISO codes
    are not mentions in prose; currency symbols and codes count next to an
    amount; a later bare surname refers back to the person named in full.

    Raises TypeError for a non-str text or kinds, ValueError for an unknown
    kind. The matcher is built once per process, on the first call.

    >>> import geonorm
    >>> text = "Kremlin spokesman Dmitry Peskov said the S-400 deal was worth $5.4 billion."
    >>> for m in geonorm.extract(text):
    ...     print(m.start, m.end, m.text, m.entity.id)
    0 7 Kremlin organisation:kremlin
    18 31 Dmitry Peskov person:dmitry-peskov
    41 46 S-400 weapon:s-400
    62 63 $ currency:USD
    >>> [(m.text, m.how) for m in geonorm.extract("Russian oil flows to India.", kinds={"country"})]
    [('Russian', 'demonym'), ('India', 'alias')]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if kinds is None:
        wanted = frozenset(available_kinds())
    else:
        if isinstance(kinds, str) or not isinstance(kinds, Iterable):
            raise TypeError("kinds must be a collection of kind names, such as {'country', 'currency'}")
        wanted = frozenset(kinds)
        for k in wanted:
            if k not in KINDS:
                raise ValueError(f"unknown kind {k!r}; expected one of {', '.join(KINDS)}")
    if not text.strip():
        return []
    m = matcher()
    coref: dict[str, Person] = {}
    memo: dict[str, str] = {}
    memo_start: dict[str, bool] = {}
    shared: tuple[dict[Any, Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]] = ({}, {}, {}, {})
    out: list[Mention] = []
    for offset, chunk in _chunks(text):
        out.extend(_Scan(m, chunk, offset, wanted, metonyms, coref, memo, memo_start, shared).run())
    return out
