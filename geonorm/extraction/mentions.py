"""Find entity mentions in running text: :func:`extract` and the scan
behind it (the automata's hits, each pattern's choice, the names that need
their context read by the rules of :mod:`.context`)."""

from __future__ import annotations

import bisect
import heapq
import operator
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

import geonorm  # the package, for its default registry (set once this module has loaded)

from .. import index as ix
from ..model import KINDS, Person
from ..shipped import available_kinds
from ..text import brief
from .abbreviations import find_abbreviations
from .automaton import Automaton, Match
from .context import LETTER_SPACE_DIGIT, TextContext
from .coreference import surname_of, with_antecedents
from .matcher import UNSPACED_TEXT, Matcher
from .mention import Mention, MentionHow, new_mention, unique_best
from .patterns import BARE_SURNAME, END_FREE, Candidate
from .prepare import SIGN_CHARS as _SIGN_CHARS
from .prepare import WORDS
from .signs import find_signs
from .trie import PatternTrie

__all__ = ["Mention", "MentionHow", "extract"]

_CLOSERS = '.»"”)'
_CONTEXT_CHARS = 80  # how far "other currency words around" reach
_START = operator.attrgetter("start")
_FALLBACK_REACH = 130  # longer than any pattern
_PAIRS = (("«", "»"), ("“", "”"), ("(", ")"))
_FULL = object()  # the choice depends on context: run every rule
_BLOCK = object()  # a place, not a mention: it covers the names inside it
_MISSING = object()
_COVER = object()  # a known non-name: it covers the names inside it
_SURNAME = object()  # a person's bare surname: a mention after the full name
#: Every kind that ships: the kinds wanted when none are named.
_ALL_KINDS = frozenset(available_kinds())


@attrs.frozen
class _IfJoined:
    """A pattern's choice that holds where the span is written joined
    ("S-400", "S400"), not spaced ("A 50%")."""

    decision: object


def _blocks(cands: tuple[Candidate, ...], metonyms: bool) -> bool:
    """A capital read literally (``metonyms=False``) is a place: it hides the
    other, weaker readings of its name ("Москва" is no cruiser) and the names
    inside it ("Mexico City")."""
    return not metonyms and any(c.type in ix.METONYM_TYPES for c in cands)


def _has_opening(text: str) -> bool:
    return "«" in text or "“" in text or "(" in text


def _how(cand: Candidate) -> MentionHow:
    if cand.type in ix.DEMONYM_TYPES:
        return "demonym"
    if cand.type in ix.METONYM_TYPES:
        return "metonym"
    return "alias"


class _WithinKinds(dict[int, object]):
    """The per-pattern choices when only some kinds are wanted: a pattern
    whose names are all of wanted kinds has the choice made with every kind
    (shared, at most one per pattern); any other is decided for this text
    only, so no table grows with the combinations of options."""

    def __init__(self, shared: dict[int, object], entries: Any, kinds: frozenset[str]) -> None:
        super().__init__()
        self.shared, self.entries, self.kinds = shared, entries, kinds

    def _within(self, pid: int) -> bool:
        return all(c.entity.kind in self.kinds for c in self.entries[pid][1])

    def get(self, pid: int, default: object = None) -> object:
        found = dict.get(self, pid, _MISSING)
        if found is _MISSING:
            found = self.shared.get(pid, _MISSING) if self._within(pid) else _MISSING
        return default if found is _MISSING else found

    def __setitem__(self, pid: int, decision: object) -> None:
        if self._within(pid):
            self.shared[pid] = decision
        else:
            dict.__setitem__(self, pid, decision)


class _Scan(TextContext):
    """One pass over one text: the automata's hits, each pattern's choice
    made once, and the rules of :class:`~.context.TextContext` where the
    choice depends on the context."""

    def __init__(self, m: Matcher, text: str, kinds: frozenset[str], metonyms: bool) -> None:
        TextContext.__init__(self, m, text, kinds, metonyms)  # (not super(): no proxy made per text)
        #: The ids of the mentions that count only with another currency near.
        self.needs_company: set[int] = set()
        self._automata: list[Automaton | PatternTrie] | None = None
        shared = m.decisions(metonyms)
        # Every kind: the set of the default is the common case, one test.
        every_kind = kinds is _ALL_KINDS or kinds >= _ALL_KINDS
        self.decisions: dict[int, object] = shared if every_kind else _WithinKinds(shared, m.entries, kinds)

    def automata(self) -> list[Automaton | PatternTrie]:
        """The automata this text needs: the second only for a text with
        letters of the scripts written without a space before a name."""
        if self._automata is None:
            # A registry's additions first: an added name wins a tie.
            self._automata = [*self.m.extra_automata, *self.m.spaced_automata(self.cased, self.beyond + 1)]
            if self.beyond < len(self.text) and UNSPACED_TEXT.search(self.text, self.beyond):
                self._automata.append(self.m.unspaced_automaton)
        return self._automata

    def hits(self, prepared: str) -> Iterable[Match]:
        """The longest names of every automaton, ``(pattern id, start,
        end)``, in the order they start."""
        automata = self.automata()
        if len(automata) == 1:
            return automata[0].longest(prepared)
        return _merged_hits(automata, prepared, self.m.lengths)  # (a function: no cells made for one automaton)

    def choose(self, pattern: str, cands: tuple[Candidate, ...], s: int, e: int) -> tuple[Any, ...] | None:
        """``(entity, how, alias, needs_company)`` for the span ``s:e``, or None."""
        span = self.text[s:e]
        simple = " " not in span
        if simple and span[:1].isupper():
            person = self.coref.get(span.lower())
            if person is not None and "person" in self.kinds:
                passing = self.static_pass(pattern, span, cands)
                if not passing or any(c.entity.kind == "person" for c in passing):
                    return person, "coreference", "", False
        facts: dict[str, bool] = {}
        passing = [
            c for c in self.static_pass(pattern, span, cands) if not c.contextual or self.context_ok(c, s, e, facts)
        ]
        cand = unique_best(passing)
        if cand is None:
            return None
        if simple and self.name_collision(cand.entity, span, s, e):
            return None
        return cand.entity, _how(cand), cand.alias, facts.get("needs_company", False) and cand.context_word

    def decide(self, pattern: str, cands: tuple[Candidate, ...]) -> object:
        """The choice for a pattern where no rule reads context, or ``_FULL``:
        ``(entity, how, alias, False, multiword, surname, coref key, collision)``."""
        if _blocks(cands, self.metonyms):
            return _BLOCK
        passing = [
            c for c in cands if c.entity.kind in self.kinds and (self.metonyms or c.type not in ix.METONYM_TYPES)
        ]
        if LETTER_SPACE_DIGIT.match(pattern) and any(c.entity.kind == "weapon" for c in passing):
            # The span decides: "A-50" is the aircraft, "A 50%" is not. A
            # span written with its hyphen takes this choice; a spaced one
            # runs every rule.
            return _IfJoined(self._fixed(pattern, passing))
        return self._fixed(pattern, passing)

    def _fixed(self, pattern: str, passing: list[Candidate]) -> object:
        """The choice among ``passing`` when the span cannot change it."""
        contextual = [c for c in passing if c.contextual]
        if contextual:
            fixed = [c for c in passing if not c.contextual]
            # Context cannot change the answer when a name that needs none
            # outranks every name that does ("dollars": USD over the rest).
            if not fixed or max(c.score for c in fixed) <= max(c.score for c in contextual):
                return _FULL
            passing = fixed
        cand = unique_best(passing)
        if cand is None:
            return None
        if cand.alias[-1:] in _CLOSERS:
            return _FULL  # "U.S.": the slow path keeps the closing mark
        multiword = " " in pattern
        words = WORDS.findall(pattern)
        person = isinstance(cand.entity, Person) and multiword
        surname = surname_of(cand.entity, words, self.m.not_surnames) if person else ""
        single = pattern.lower() if not multiword else ""
        return (
            cand.entity,
            _how(cand),
            cand.alias,
            False,
            multiword,
            surname,
            single,
            single in self.m.name_collisions,
        )

    # -- the scan ----------------------------------------------------------------

    def words(self) -> list[Mention]:
        """Mentions of names, longest first, without overlaps, in text order
        (as the automata's hits come). A currency
        word read as a noun ("the rand") is among them and in
        :attr:`needs_company`: it counts only with another currency near."""
        out: list[Mention] = []
        taken_until = 0  # prepared offset up to which the text is spoken for
        cased, text, coref = self.cased, self.text, self.coref
        entries = self.m.entries
        end_rule, start_rule = self.m.end_rule, self.m.start_rule
        decisions = self.decisions
        n = len(cased)
        quoted = _has_opening(text)
        # One pass of the automaton over the whole text (a call costs a copy of
        # the text, so it is never restarted).
        lengths, checked = self.m.lengths, self.m.checked
        for pid, _, pe in self.hits(cased):
            ps = pe - lengths[pid]  # the name's first letter (a name after a space starts with it)
            if ps < taken_until:
                continue
            if checked[pid]:  # a rule of the pattern's script or words reads the text
                pattern, cands = entries[pid]
                if start_rule[pid] and not self.start_ok(ps, start_rule[pid]):
                    continue  # inside a longer word
                if not cands and cands is not BARE_SURNAME:
                    taken_until = pe  # a known non-name covers the names inside it
                    continue
                if pattern in self.m.credit_ratings and self.rating(pe):
                    continue  # "AA-", "BBB+": a credit rating, not a name
                if end_rule[pid] == END_FREE and cased[pe - 1 : pe + 1] in self.m.cjk_compounds:
                    continue  # "對台軍售": 軍售 (arms sales) is a word; 台軍 is not read
            d = decisions.get(pid, _MISSING)
            if type(d) is not tuple:  # the common case is a tuple: one test for it
                if d is _MISSING:
                    pattern, cands = entries[pid]
                    d = decisions[pid] = self.decide(pattern, cands) if cands else _empty(cands)
                if d is _COVER:
                    taken_until = pe  # a known non-name covers the names inside it
                    continue
                if d is _SURNAME:
                    if coref and self.bare_surname(ps, pe, end_rule[pid], out):
                        taken_until = pe
                    continue
                if type(d) is _IfJoined:
                    d = _FULL if LETTER_SPACE_DIGIT.match(text, ps - 1) else d.decision
                if d is _BLOCK:
                    if self.boundary(pe, end_rule[pid]):
                        taken_until = pe
                    continue
            if (
                type(d) is tuple
                and (pe == n or not (cased[pe].isalnum() or cased[pe] == "_") or self.boundary(pe, end_rule[pid]))
                and not (coref and d[6] and d[6] in coref)
            ):
                # The common case, decided once per pattern: no rule reads context.
                s, e = ps - 1, pe - 1
                span = text[s:e]
                if d[7] and self.name_collision(d[0], span, s, e):
                    continue  # "Michael Jordan": part of a person's name
                if d[1] == "demonym" and text[e : e + 1] == " " and self.adjective_of_name(e):
                    continue  # "Indian Premier League"
                if not (d[4] and quoted and _has_opening(span)):  # else a quoted name: slow path
                    if d[5] and " " in span:  # a person named in full, written with a space
                        coref[d[5]] = d[0]
                    out.append(new_mention(s, e, span, d[0], d[1]))
                    self.last_end = e
                    taken_until = pe
                    continue
            pattern, cands = entries[pid]
            if self.accept(pattern, cands, ps, pe, out, end_rule[pid], False):
                taken_until = pe
            elif " " in pattern:
                taken_until = self.fallback(ps, pe, out)
        return out

    def bare_surname(self, ps: int, pe: int, rule: int, out: list[Mention]) -> bool:
        """A bare surname's pattern matched at prepared ``ps:pe``: record
        the mention and return True where its person was named in full
        earlier in the text (:data:`~.patterns.BARE_SURNAME`)."""
        if not self.boundary(pe, rule):
            return False
        s, e = ps - 1, pe - 1
        span = self.text[s:e]
        person = self.coref.get(span.lower())
        if person is None:
            return False
        out.append(new_mention(s, e, span, person, "coreference"))
        return True

    def accept(
        self,
        pattern: str,
        cands: tuple[Candidate, ...],
        ps: int,
        pe: int,
        out: list[Mention],
        rule: int = 0,
        blocks: bool | None = None,
    ) -> bool | None:
        """Try one match; record it and return True, or None when it fails.
        ``blocks`` is whether the pattern is a place that covers the names
        inside it (:func:`_blocks`), where the caller knows it."""
        plural = False
        if not self.boundary(pe, rule):
            # "S-400s", "Su-57s": a plural designator.
            if pattern[-1:].isdigit() and self.cased[pe] == "s" and self.boundary(pe + 1):
                plural = True
            else:
                return None
        if not cands or (_blocks(cands, self.metonyms) if blocks is None else blocks):
            return True  # a known non-name or a place: it covers the names inside it
        s, e = self.orig(ps), self.orig(pe - 1) + 1 + plural
        chosen = self.choose(pattern, cands, s, e - plural)
        if chosen is None:
            return None
        entity, how, alias, needs_company = chosen[:4]
        # Keep closing punctuation that belongs to the name: "U.S.", "«Триумф»".
        if alias and alias[-1] in _CLOSERS:
            tail = alias[len(alias.rstrip(_CLOSERS)) :]
            if self.text.startswith(tail, e):
                e += len(tail)
        for opening, closing in _PAIRS:
            if opening in self.text[s:e] and self.text.startswith(closing, e):
                e += len(closing)  # "С-400 «Триумф»": close what the name opened
        if isinstance(entity, Person) and " " in self.text[s:e]:
            surname = surname_of(entity, WORDS.findall(self.text[s:e]), self.m.not_surnames)
            if surname:
                self.coref[surname] = entity
        if how == "demonym" and self.adjective_of_name(e):
            return None  # "Indian Premier League", "American Airlines"
        found = new_mention(s, e, self.text[s:e], entity, how)
        if needs_company:
            self.needs_company.add(id(found))
        out.append(found)
        self.last_end = e
        return True

    def fallback(self, ps: int, pe: int, out: list[Mention]) -> int:
        """The longest match at ``ps`` failed: try every shorter name starting
        inside it (on a small window of the text). Returns the prepared offset
        up to which names were taken."""
        lo = ps - 1
        window = self.cased[lo : pe + _FALLBACK_REACH]
        entries = self.m.entries
        decisions = self.decisions
        lengths = self.m.lengths
        found = sorted(
            (end - lengths[pid] + lo, -lengths[pid], end - 1 + lo, pid)
            for automaton in self.automata()
            for pid, _, end in automaton.every(window, pe - lo)  # the names that start inside the failed one
        )
        taken_until = ps
        for start, _, end, pid in found:
            rule = self.m.start_rule[pid]
            if start < taken_until or start >= pe or (rule and not self.start_ok(start, rule)):
                continue
            pattern, cands = entries[pid]
            if cands is BARE_SURNAME:
                if self.coref and self.bare_surname(start, end + 1, self.m.end_rule[pid], out):
                    taken_until = end + 1
                continue
            d = decisions.get(pid, _MISSING)
            blocks = None if d is _MISSING or d is _COVER else d is _BLOCK
            if self.accept(pattern, cands, start, end + 1, out, self.m.end_rule[pid], blocks):
                taken_until = end + 1
        return taken_until


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
    are not mentions in prose; currency signs and codes count next to an
    amount; a later bare surname refers back to the person named in full.

    Raises TypeError for a non-str text or kinds, ValueError for an unknown
    kind. The matcher is built once per process, on the first call. This is
    the default registry's :meth:`~geonorm.Registry.extract`: what is added
    to it (``geonorm.countries.add``...) is found too.

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
    return geonorm.default_registry.extract(text, kinds=kinds, metonyms=metonyms)


def scan_text(m: Matcher, text: str, *, kinds: Iterable[str] | None, metonyms: bool) -> list[Mention]:
    """:func:`extract` with the matcher ``m`` (the shipped one, or one with a
    registry's additions)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if kinds is None:
        wanted = _ALL_KINDS
    else:
        if isinstance(kinds, str) or not isinstance(kinds, Iterable):
            raise TypeError("kinds must be a collection of kind names, such as {'country', 'currency'}")
        wanted = frozenset(kinds)
        for k in wanted:
            if not isinstance(k, str) or k not in KINDS:
                raise ValueError(f"unknown kind {brief(k)}; expected one of {', '.join(KINDS)}")
    if not wanted or not text.strip():
        return []
    scan = _Scan(m, text, wanted, metonyms)
    # The steps after the scan are functions of their own, called only where
    # they have work: what their comprehensions read would otherwise be a
    # cell made on every call.
    mentions = scan.words()  # in text order
    dropped = False  # whether a later step took out a mention the scan found
    # Abbreviations are letters of Chinese, Japanese or Korean: none in a
    # text of Latin letters.
    abbreviations = find_abbreviations(scan) if scan.beyond < len(text) else []
    if abbreviations:
        mentions, dropped = _with_abbreviations(mentions, abbreviations)
    if scan.needs_company:
        mentions = _in_company(mentions, scan.needs_company)
    signs = find_signs(scan)
    if signs:
        mentions, dropped_for_signs = _with_signs(mentions, signs)
        dropped = dropped or dropped_for_signs
    if abbreviations or signs:
        mentions.sort(key=_START)  # the scan's own are in text order: nothing else to sort
    if dropped and scan.coref:
        # A person's full name was perhaps taken out: so are the bare
        # surnames that referred back to it.
        mentions = with_antecedents(mentions, scan.m.not_surnames)
    return mentions


def _with_abbreviations(found: list[Mention], abbreviations: list[Mention]) -> tuple[list[Mention], bool]:
    """The scan's mentions ``found`` with the abbreviations that stand
    (unsorted), and whether a mention of ``found`` was taken out."""
    # A name from the tables that starts with the abbreviation wins ("米軍"
    # is the US forces); a currency across it loses ("中美元首": the two
    # countries, not the dollar 美元).
    # A longer country name across it wins too ("对日本": 日本, not 日).
    named = {f.start for f in found if f.entity.kind not in ("currency", "country")}
    countries = {p for f in found if f.entity.kind == "country" and f.end - f.start > 1 for p in range(f.start, f.end)}
    abbreviations = [a for a in abbreviations if a.start not in named and a.start not in countries]
    covered = {a.start for a in abbreviations}  # one character each: linear, whatever the counts
    kept = [f for f in found if not any(p in covered for p in range(f.start, f.end))]
    dropped = len(kept) < len(found)
    kept += abbreviations
    return kept, dropped


def _in_company(found: list[Mention], company: set[int]) -> list[Mention]:
    """``found`` without the currency words used as nouns (``company``, by
    id: "the rand") that have no other currency mention near them."""
    # One binary search each, so linear in the mentions.
    currency_at = sorted(f.start for f in found if f.entity.kind == "currency" and id(f) not in company)
    return [f for f in found if id(f) not in company or _near(currency_at, f.start, _CONTEXT_CHARS)]


def _with_signs(mentions: list[Mention], signs: list[Mention]) -> tuple[list[Mention], bool]:
    """``mentions`` with the currency signs ``signs`` (unsorted; ``mentions``
    itself, extended, where none is taken out), and whether a mention was
    taken out for a sign."""
    # A currency sign with its letters ("US$5") wins over the name in its
    # letters, the only place a sign and a name can overlap.
    lettered = {sg.start for sg in signs if sg.text[:1] not in _SIGN_CHARS}
    kept = [m for m in mentions if m.start not in lettered] if lettered else mentions
    dropped = len(kept) < len(mentions)
    kept += signs
    return kept, dropped


def _merged_hits(automata: list[Automaton | PatternTrie], prepared: str, lengths: Sequence[int]) -> Iterable[Match]:
    """The longest names of every automaton of ``automata`` in ``prepared``
    text, by start, the longer name first where two start together ("חץ 3"
    of the unspaced automaton over "חץ" of the spaced one)."""
    found = [a.longest(prepared) for a in automata]
    return heapq.merge(*found, key=lambda hit: (hit[2] - lengths[hit[0]], -lengths[hit[0]]))


def _empty(cands: tuple[Candidate, ...]) -> object:
    """The choice for a pattern without candidates: a person's bare
    surname, or a known non-name that covers the names inside it."""
    return _SURNAME if cands is BARE_SURNAME else _COVER


def _near(sorted_offsets: list[int], at: int, reach: int) -> bool:
    """Whether an offset of ``sorted_offsets`` lies within ``reach`` of ``at``."""
    i = bisect.bisect_left(sorted_offsets, at - reach)
    return i < len(sorted_offsets) and sorted_offsets[i] <= at + reach
