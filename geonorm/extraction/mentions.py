"""Find entity mentions in running text: :func:`extract` and :class:`Mention`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal

import attrs

from .. import index as ix
from ..model import KINDS, Entity, Person
from ..registry import available_kinds
from ..text import fold, key
from .matcher import TOKEN, Candidate, Matcher, matcher

__all__ = ["Mention", "MentionHow", "extract"]

MentionHow = Literal["alias", "demonym", "metonym", "coreference"]
_CHUNK = 200_000
_SENTENCE_END = re.compile(r"[.!?\n]")
_JOINERS = frozenset(" -‐‑–/'’.&«»\"\u00a0")
_CONTEXT_WINDOW = 8


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
    ) -> None:
        self.m = m
        self.chunk = chunk
        self.offset = offset
        self.kinds = kinds
        self.metonyms = metonyms
        self.coref = coref
        self.toks = [(t.start(), t.end(), t.group()) for t in TOKEN.finditer(chunk)]
        keys = []
        for _, _, tok in self.toks:
            k = memo.get(tok)
            if k is None:
                k = key(tok)
                memo[tok] = k
            keys.append(k)
        self.keys = keys
        self.last_end = -1  # token index after the last mention

    def joined(self, i: int) -> bool:
        """Whether token ``i`` and ``i + 1`` may belong to one name."""
        gap = self.chunk[self.toks[i][1] : self.toks[i + 1][0]]
        return len(gap) <= 3 and all(ch in _JOINERS for ch in gap) and "\n" not in gap

    def sentence_start(self, i: int) -> bool:
        if i == 0:
            return True
        gap = self.chunk[self.toks[i - 1][1] : self.toks[i][0]]
        return bool(_SENTENCE_END.search(gap))

    def phrases_at(self, i: int) -> list[tuple[int, str]]:
        """Every phrase of the table that starts at token ``i``: (last token, phrase)."""
        m, keys = self.m, self.keys
        k = keys[i]
        found: list[tuple[int, str]] = []
        if k not in m.first:
            sing = _singular(k)
            if sing is not None and sing in m.phrases:
                found.append((i, sing))
            return found
        phrase, j, n = k, i, len(keys)
        while True:
            if phrase in m.phrases:
                found.append((j, phrase))
            if j + 1 >= n or j - i + 1 >= 8 or not self.joined(j):
                break
            nxt = phrase + " " + keys[j + 1]
            if nxt not in m.prefixes and nxt not in m.phrases:
                sing = _singular(keys[j + 1])
                if sing is not None and (alt := phrase + " " + sing) in m.phrases:
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
        if self.is_number(j + 1):
            return True
        k = i - 1
        while k >= 0 and self.keys[k] in self.m.amount_words and k > i - 3:
            k -= 1
        return self.is_number(k)

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

    def case_ok(self, cand: Candidate, i: int, j: int) -> bool:
        span = [t[2] for t in self.toks[i : j + 1]]
        if cand.acronym:
            return fold(" ".join(span)).replace(" ", "") == fold(cand.alias).replace(" ", "")
        if len(span) != len(cand.alias_tokens):
            return True  # a folded designator ("S400" for "S-400"): case does not matter
        for t, a in zip(span, cand.alias_tokens, strict=True):
            if a[:1].isupper() and not t[:1].isupper():
                return False
            if len(a) > 1 and a.isupper() and a.isalpha() and not t.isupper():
                return False
        return True

    def allowed(self, cand: Candidate, i: int, j: int) -> bool:
        if cand.entity.kind not in self.kinds:
            return False
        if cand.type in ix.METONYM_TYPES and not self.metonyms:
            return False
        if not self.case_ok(cand, i, j):
            return False
        if cand.symbol and not self.has_amount(i, j):
            return False
        if cand.context_word and not (self.has_amount(i, j) or (self.determined(i) and self.currency_nearby(i, j))):
            return False
        # "Total exports rose": a weak name that is a common word starting a sentence.
        weak_start = cand.type in ix.WEAK_TYPES and i == j and self.sentence_start(i)
        return not (weak_start and self.toks[i][2][1:].islower())

    def name_collision(self, entity: Entity, i: int, j: int) -> bool:
        """A one-word place name that is part of a person's name here."""
        if i != j or entity.kind == "person" or self.keys[i] not in self.m.name_collisions:
            return False
        titles = self.m.title_words
        if i > 0 and self.last_end != i and self.joined(i - 1):
            prev = self.toks[i - 1][2]
            if (prev[:1].isupper() and self.keys[i - 1] not in titles and not self.sentence_start(i)) or (
                prev[:1].isupper() and self.keys[i - 1] not in titles and i - 1 > 0 and not self.sentence_start(i - 1)
            ):
                return True
        if j + 1 < len(self.keys) and self.joined(j):
            nxt = self.toks[j + 1][2]
            if nxt[:1].isupper() and self.keys[j + 1] not in titles and not self.phrases_at(j + 1):
                return True
        return False

    def choose(self, phrase: str, i: int, j: int) -> tuple[Entity, MentionHow] | None:
        cands = [c for c in self.m.phrases[phrase] if self.allowed(c, i, j)]
        if i == j and self.toks[i][2][:1].isupper():
            person = self.coref.get(self.keys[i])
            if (
                person is not None
                and "person" in self.kinds
                and (not cands or any(c.entity.kind == "person" for c in cands))
            ):
                return person, "coreference"
        if not cands:
            return None
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
        return cand.entity, how

    def run(self) -> Iterator[Mention]:
        i, n = 0, len(self.keys)
        chunk, offset = self.chunk, self.offset
        while i < n:
            picked = None
            for j, phrase in reversed(self.phrases_at(i)):
                chosen = self.choose(phrase, i, j)
                if chosen is not None:
                    picked = (j, *chosen)
                    break
            if (
                picked is None
                and "person" in self.kinds
                and self.keys[i] in self.coref
                and self.toks[i][2][:1].isupper()
            ):
                picked = (i, self.coref[self.keys[i]], "coreference")
            if picked is None:
                i += 1
                continue
            j, entity, how = picked
            start, end = self.toks[i][0], self.toks[j][1]
            if isinstance(entity, Person) and j > i:
                self.coref[self.keys[j]] = entity
            yield Mention(start + offset, end + offset, chunk[start:end], entity, how)
            self.last_end = j + 1
            i = j + 1


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
    out: list[Mention] = []
    for offset, chunk in _chunks(text):
        out.extend(_Scan(m, chunk, offset, wanted, metonyms, coref, memo).run())
    return out
