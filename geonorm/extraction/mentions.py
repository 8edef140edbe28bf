"""Find entity mentions in running text: :func:`extract` and :class:`Mention`."""

from __future__ import annotations

import bisect
import functools
import heapq
import operator
import re
from collections.abc import Iterable
from typing import Any

import attrs

from .. import index as ix
from ..model import KINDS, Entity, Person
from ..scripts import first_beyond_latin, hangul, katakana, unspaced
from ..shipped import available_kinds
from ..text import brief, fold, key
from .abbreviations import find_abbreviations
from .coreference import coreferences, surname_of
from .matcher import UNSPACED_TEXT, Matcher
from .mention import Mention, MentionHow, unique_best
from .patterns import (
    END_FREE,
    END_KANA,
    END_PARTICLE,
    END_WORD,
    START_FREE,
    START_HANGUL,
    START_KANA,
    START_SCRIPT,
    Candidate,
)
from .prepare import SIGN_CHARS as _SIGN_CHARS
from .prepare import WORDS, prepare
from .signs import find_signs

__all__ = ["Mention", "MentionHow", "extract"]

_CLOSERS = '.»"”)'
_CONTEXT_CHARS = 80  # how far "other currency words around" reach
_LETTER_SPACE_DIGIT = re.compile(r"[A-Za-z] \d")
# The word before an offset, read backwards (the text before it, reversed):
# one match, where a search for a word at the end would try every start.
_PREV_WORD_REVERSED = re.compile(r"(\W*)([^\W_]+)")
_NEXT_WORD = re.compile(r"(\W*)([^\W_]+)")
_SENTENCE_END = re.compile(r"[.!?\n]")
_AMOUNT_AFTER = re.compile(r"[ \u00a0]?\d")
_START = operator.attrgetter("start")
_FALLBACK_REACH = 130  # longer than any pattern
_LINE_REACH = 400  # how far a headline or dateline rule looks for the line it is on
_PAIRS = (("«", "»"), ("“", "”"), ("(", ")"))
_FULL = object()  # the choice depends on context: run every rule
_BLOCK = object()  # a place, not a mention: it covers the names inside it
_MISSING = object()
_COVER = object()  # a known non-name: it covers the names inside it


@attrs.frozen
class _IfJoined:
    """A pattern's choice that holds where the span is written joined
    ("S-400", "S400"), not spaced ("A 50%")."""

    decision: object


_SMALL = frozenset({"of", "the", "and", "in", "on", "at", "to", "for", "with", "a", "an", "as", "by", "from", "vs"})


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


class _Scan:
    """One pass over one text."""

    def __init__(self, m: Matcher, text: str, kinds: frozenset[str], metonyms: bool) -> None:
        self.m = m
        self.text = text
        # The automaton reads the prepared text (same offsets, plus one for
        # the leading space that lets every name start after a space).
        self.cased = " " + prepare(text)
        #: No letter of a script but Latin comes before this offset: every
        #: search for one starts here (one scan of the text for them all).
        self.beyond = first_beyond_latin(text)
        self.kinds = kinds
        self.metonyms = metonyms
        self.coref: dict[str, Person] = {}
        #: The ids of the mentions that count only with another currency near.
        self.needs_company: set[int] = set()
        self.passing: dict[tuple[str, str], list[Candidate]] = {}
        self.last_end = -1
        self._title_lines: dict[int, bool] = {}
        self._traditional: bool | None = None
        self._automata: list[Any] | None = None
        shared = m.decisions(metonyms)
        self.decisions: dict[int, object] = shared if kinds >= _all_kinds() else _WithinKinds(shared, m.entries, kinds)

    @staticmethod
    def orig(p: int) -> int:
        """The offset in the text of prepared offset ``p``."""
        return p - 1

    # -- looking around a span (offsets in the original text) --------------

    def prev_word(self, s: int) -> tuple[str, str]:
        before = self.text[max(0, s - 40) : s]
        found = _PREV_WORD_REVERSED.match(before[::-1])
        return (found.group(2)[::-1], found.group(1)[::-1]) if found else ("", before)

    def next_word(self, e: int) -> tuple[str, str]:
        found = _NEXT_WORD.match(self.text, e, e + 40)
        return (found.group(2), found.group(1)) if found else ("", "")

    def sentence_start(self, s: int) -> bool:
        word, gap = self.prev_word(s)
        return not word or bool(_SENTENCE_END.search(gap))

    def has_amount(self, s: int, e: int) -> bool:
        """An amount right before or after: "Rs 500", "4 billion euros", "500 INR"."""
        if _AMOUNT_AFTER.match(self.text, e):
            return True
        return bool(self.m.amount_before.search(self.text, max(0, s - 40), s))

    def determined(self, s: int) -> bool:
        """A currency word used as a noun: "the won", "Korea's won", "South Korean won"."""
        word = self.prev_word(s)[0].lower()
        return word in ("the", "s") or word in self.m.demonyms

    def traditional(self) -> bool:
        """Whether the text is Chinese in traditional script."""
        if self._traditional is None:
            self._traditional = bool(self.m.traditional.search(self.text, self.beyond))
        return self._traditional

    def title_case_line(self, s: int) -> bool:
        """Whether the line holding offset ``s`` is a headline in title case
        ("India Signs S-400 Deal With Russia"), where capitals say nothing."""
        # A headline is short: look no further than _LINE_REACH characters
        # either way, so the cost per name is bounded however long the line.
        start = self.text.rfind("\n", max(0, s - _LINE_REACH), s) + 1
        if start == 0 and s > _LINE_REACH:
            return False  # no line break near: running text, not a headline
        found = self._title_lines.get(start)
        if found is None:
            end = self.text.find("\n", s, s + _LINE_REACH)
            line = self.text[start : end if end >= 0 else min(len(self.text), start + _LINE_REACH)]
            words = [w for w in WORDS.findall(line[:400]) if w.lower() not in _SMALL and not w.isdigit()]
            capital = sum(1 for w in words if w[:1].isupper())
            found = self._title_lines[start] = len(words) >= 4 and capital == len(words)
        return found

    # -- rules -----------------------------------------------------------------

    @staticmethod
    def case_ok(cand: Candidate, words: list[str], compact: str) -> bool:
        """The case rule: acronyms as written; capitals where the alias has them."""
        if cand.acronym:
            return compact == cand.compact
        if len(words) != len(cand.words):
            return True  # a compact designator ("S400" for "S-400"): case does not matter
        for t, a in zip(words, cand.words, strict=True):
            if a[:1].isupper() and not t[:1].isupper():
                return False
            if len(a) > 1 and a.isupper() and a.isalpha() and not t.isupper():
                return False
        return True

    def static_pass(self, pattern: str, span: str, cands: tuple[Candidate, ...]) -> list[Candidate]:
        """Candidates that pass the rules that do not read context."""
        slot = (pattern, span)
        found = self.passing.get(slot)
        if found is None:
            words = WORDS.findall(span)
            compact = "".join(WORDS.findall(fold(span))) if any(c.acronym for c in cands) else ""
            kinds, metonyms, case_ok = self.kinds, self.metonyms, self.case_ok
            # "A 50% tariff" is no A-50: a one-letter designator needs its hyphen.
            spaced = bool(_LETTER_SPACE_DIGIT.match(span))
            found = [
                c
                for c in cands
                if c.entity.kind in kinds
                and (metonyms or c.type not in ix.METONYM_TYPES)
                and case_ok(c, words, compact)
                and not (spaced and c.entity.kind == "weapon")
            ]
            self.passing[slot] = found
        return found

    def literal_place(self, s: int, e: int) -> bool:
        """A capital that is the place, not the government: a dateline, or
        after a word of travel or location ("arrived in New Delhi")."""
        line_start = self.text.rfind("\n", max(0, s - _LINE_REACH), s) + 1
        if (line_start or s <= _LINE_REACH) and not self.text[line_start:s].strip():
            after = self.text[e : e + 3].lstrip(" ")
            if self.text[s:e].isupper() or after[:1] in (",", "(", "-", "\u2013", "\u2014"):
                return True  # "WASHINGTON (Reuters) -", "Moscow, May 12"
        word, gap = self.prev_word(s)
        if word.lower() == "the" and gap.strip(" ") == "":
            s -= len(gap) + len(word)  # "a summit in The Hague"
            word, gap = self.prev_word(s)
        if not word or gap.strip(" ") != "":
            return False
        word = word.lower()
        if word in self.m.place_words:
            return True
        if word in self.m.place_prepositions:
            before, gap2 = self.prev_word(s - len(gap) - len(word))
            return bool(before) and gap2.strip(" ") == "" and before.lower() in self.m.place_words
        return False

    def context_ok(self, cand: Candidate, s: int, e: int, facts: dict[str, bool]) -> bool:
        """The rules that read the text around a candidate; ``facts`` caches
        what they found for this span, since several candidates share it."""
        if cand.alias in self.m.traditional_ambiguous and self.traditional():
            return False  # 元 in Taipei's press is no yuan
        if cand.type in ix.METONYM_TYPES:
            if "place" not in facts:
                facts["place"] = self.literal_place(s, e)
            return not facts["place"]
        if cand.symbol or cand.context_word:
            if "amount" not in facts:
                facts["amount"] = self.has_amount(s, e)
            compound = len(cand.alias) == 1 and self.text.startswith(self.m.currency_compounds, e)
            if cand.symbol and not facts["amount"] and not compound:
                return False  # a sign or a one-character name needs an amount ("円相場", "円安" need none)
            if cand.context_word and not facts["amount"]:
                if "noun" not in facts:
                    facts["noun"] = self.determined(s)
                if not facts["noun"]:
                    return False
                facts["needs_company"] = True  # another currency must be near: checked at the end
        if cand.type in ix.WEAK_TYPES and cand.entity.kind != "person" and " " not in self.text[s:e].strip():
            # "Total exports rose": a weak one-word name that is a common word starting a sentence.
            if "weak_start" not in facts:
                facts["weak_start"] = self.sentence_start(s) and self.text[s + 1 : e].islower()
            return not facts["weak_start"]
        return True

    def starts_name(self, e: int) -> bool:
        """Whether a name from the tables starts at the word after offset ``e``."""
        word, gap = self.next_word(e)
        if not word:
            return False
        window = " " + prepare(self.text[e + len(gap) : e + len(gap) + 80])
        lengths = self.m.lengths
        first: tuple[int, int] | None = None  # the leftmost name, the longest there
        for automaton in self.m.spaced_automata(window):
            for end, pid in automaton.iter_long(window):
                if first is None or (end - lengths[pid], -lengths[pid]) < (
                    first[0] - lengths[first[1]],
                    -lengths[first[1]],
                ):
                    first = (end, pid)
                break
        if first is None:
            return False
        end, pid = first
        return (
            bool(self.m.entries[pid][1])
            and end - lengths[pid] == 0
            and (end + 1 >= len(window) or not window[end + 1].isalnum())
        )

    def name_collision(self, entity: Entity, span: str, s: int, e: int) -> bool:
        """A one-word place name that is part of a person's name here
        ("Michael Jordan", "Jordan Bardella")."""
        if entity.kind == "person" or span.lower() not in self.m.name_collisions or " " in span:
            return False
        if self.title_case_line(s):
            return False
        titles = self.m.title_words
        word, gap = self.prev_word(s)
        if (
            word
            and gap == " "
            and self.last_end != s - 1
            and word[:1].isupper()
            and key(word) not in titles
            and word not in self.m.function_words
        ):
            return True
        word, gap = self.next_word(e)
        return bool(word and gap == " " and word[:1].isupper() and key(word) not in titles and not self.starts_name(e))

    def automata(self) -> list[Any]:
        """The automata this text needs: the second only for a text with
        letters of the scripts written without a space before a name."""
        if self._automata is None:
            # A registry's additions first: an added name wins a tie.
            self._automata = [*self.m.extra_automata, *self.m.spaced_automata(self.cased, self.beyond + 1)]
            if UNSPACED_TEXT.search(self.text, self.beyond):
                self._automata.append(self.m.unspaced_automaton)
        return self._automata

    def hits(self, prepared: str) -> Iterable[tuple[int, int]]:
        """The longest names of every automaton, ``(end, pattern id)``, in the
        order they start."""
        found: list[Iterable[tuple[int, int]]] = [a.iter_long(prepared) for a in self.automata()]
        if len(found) == 1:
            return found[0]
        # By start, the longer name first where two start together ("חץ 3"
        # of the unspaced automaton over "חץ" of the spaced one).
        lengths = self.m.lengths
        return heapq.merge(*found, key=lambda hit: (hit[0] - lengths[hit[1]], -lengths[hit[1]]))

    def start_ok(self, ps: int, rule: int) -> bool:
        """Whether a name may start at prepared offset ``ps`` by its start
        rule: not inside a katakana word; in Arabic and Hebrew, after a word
        break or a prefix written together with the name ("والصين")."""
        prepared = self.cased
        if rule == START_FREE:
            return True
        if rule == START_KANA:
            return not katakana(prepared[ps - 1])
        if rule == START_HANGUL:
            return not hangul(prepared[ps - 1])  # "100달러": after a digit or a space, not inside a word
        if rule == START_SCRIPT:
            before = prepared[ps - 1]
            return unspaced(before) or hangul(before)
        i = ps - 1
        while i > 0 and ps - i <= 3 and prepared[i].isalpha():
            i -= 1
        if prepared[i].isalpha():
            return False  # more letters than any prefix: inside a word
        prefix = prepared[i + 1 : ps]
        return not prefix or prefix in self.m.prefixes[rule]

    def boundary(self, pe: int, rule: int = 0) -> bool:
        """Whether a name may end before prepared offset ``pe``, by the
        pattern's end rule (see :data:`~geonorm.extraction.matcher.END_FREE`)."""
        prepared = self.cased
        if pe >= len(prepared) or not (prepared[pe].isalnum() or prepared[pe] == "_"):
            return True
        if rule == END_FREE or (rule == END_WORD and (unspaced(prepared[pe]) or hangul(prepared[pe]))):
            return True  # "F-35战机", "NATO는": a name may end where another script starts
        if rule == END_KANA:
            return not katakana(prepared[pe])
        if rule == END_PARTICLE and hangul(prepared[pe]):
            end = pe
            while end < len(prepared) and end - pe < 6 and hangul(prepared[end]):
                end += 1
            after = prepared[end : end + 1]
            return (not after or not after.isalnum()) and prepared[pe:end] in self.m.korean_particles
        return False

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
        if _LETTER_SPACE_DIGIT.match(pattern) and any(c.entity.kind == "weapon" for c in passing):
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
        surname = surname_of(cand.entity, words) if isinstance(cand.entity, Person) and multiword else ""
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
        """Mentions of names, longest first, without overlaps. A currency
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
        for end, pid in self.hits(cased):
            ps, pe = end - lengths[pid] + 1, end + 1
            if ps < taken_until:
                continue
            if checked[pid]:  # a rule of the pattern's script or words reads the text
                pattern, cands = entries[pid]
                if start_rule[pid] and not self.start_ok(ps, start_rule[pid]):
                    continue  # inside a longer word
                if not cands:
                    taken_until = pe  # a known non-name covers the names inside it
                    continue
                if pattern in self.m.credit_ratings and self.rating(pe):
                    continue  # "AA-", "BBB+": a credit rating, not a name
                if end_rule[pid] == END_FREE and cased[pe - 1 : pe + 1] in self.m.cjk_compounds:
                    continue  # "對台軍售": 軍售 (arms sales) is a word; 台軍 is not read
            d = decisions.get(pid, _MISSING)
            if d is _MISSING:
                pattern, cands = entries[pid]
                d = decisions[pid] = self.decide(pattern, cands) if cands else _COVER
            if d is _COVER:
                taken_until = pe  # a known non-name covers the names inside it
                continue
            if type(d) is _IfJoined:
                d = _FULL if _LETTER_SPACE_DIGIT.match(text, ps - 1) else d.decision
            ends = pe == n or not (cased[pe].isalnum() or cased[pe] == "_") or self.boundary(pe, end_rule[pid])
            if d is _BLOCK:
                if ends:
                    taken_until = pe
                continue
            if type(d) is tuple and ends and not (coref and d[6] and d[6] in coref):
                # The common case, decided once per pattern: no rule reads context.
                s, e = ps - 1, end
                if d[7] and self.name_collision(d[0], text[s:e], s, e):
                    continue  # "Michael Jordan": part of a person's name
                if d[1] == "demonym" and text[e : e + 1] == " " and self.adjective_of_name(e):
                    continue  # "Indian Premier League"
                if not (d[4] and quoted and _has_opening(text[s:e])):  # else a quoted name: slow path
                    if d[5]:
                        coref[d[5]] = d[0]
                    out.append(Mention(s, e, text[s:e], d[0], d[1]))
                    self.last_end = e
                    taken_until = pe
                    continue
            pattern, cands = entries[pid]
            if self.accept(pattern, cands, ps, pe, out, end_rule[pid], False):
                taken_until = pe
            elif " " in pattern:
                taken_until = self.fallback(ps, pe, out)
        return out

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
            self.coref[surname_of(entity, WORDS.findall(self.text[s:e]))] = entity
        if how == "demonym" and self.adjective_of_name(e):
            return None  # "Indian Premier League", "American Airlines"
        found = Mention(s, e, self.text[s:e], entity, how)
        if needs_company:
            self.needs_company.add(id(found))
        out.append(found)
        self.last_end = e
        return True

    def rating(self, pe: int) -> bool:
        """Whether a plus or minus sign ends the word before prepared offset
        ``pe`` ("AA-", "BBB+")."""
        e = self.orig(pe - 1) + 1
        after = self.text[e + 1 : e + 6]
        return self.text[e : e + 1] in ("+", "-") and (not after[:1].isalnum() or after.lower() == "rated")

    def adjective_of_name(self, e: int) -> bool:
        """A demonym leading a longer proper name that is not in the tables."""
        word, gap = self.next_word(e)
        return bool(
            word
            and gap == " "
            and word[:1].isupper()
            and key(word) not in self.m.title_words
            and not self.title_case_line(e)
            and not self.starts_name(e)
        )

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
            (end - lengths[pid] + 1 + lo, -lengths[pid], end + lo, pid)
            for automaton in self.automata()
            for end, pid in automaton.iter(window)
        )
        taken_until = ps
        for start, _, end, pid in found:
            rule = self.m.start_rule[pid]
            if start < taken_until or start >= pe or (rule and not self.start_ok(start, rule)):
                continue
            pattern, cands = entries[pid]
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
    import geonorm

    return geonorm.default_registry.extract(text, kinds=kinds, metonyms=metonyms)


def scan_text(m: Matcher, text: str, *, kinds: Iterable[str] | None, metonyms: bool) -> list[Mention]:
    """:func:`extract` with the matcher ``m`` (the shipped one, or one with a
    registry's additions)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if kinds is None:
        wanted = _all_kinds()
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
    found = scan.words()
    abbreviations = find_abbreviations(scan)
    if abbreviations:
        # A name from the tables that starts with the abbreviation wins ("米軍"
        # is the US forces); a currency across it loses ("中美元首": the two
        # countries, not the dollar 美元).
        # A longer country name across it wins too ("对日本": 日本, not 日).
        named = {f.start for f in found if f.entity.kind not in ("currency", "country")}
        countries = {
            p for f in found if f.entity.kind == "country" and f.end - f.start > 1 for p in range(f.start, f.end)
        }
        abbreviations = [a for a in abbreviations if a.start not in named and a.start not in countries]
        covered = {a.start for a in abbreviations}  # one character each: linear, whatever the counts
        found = [f for f in found if not any(p in covered for p in range(f.start, f.end))] + abbreviations
    mentions = found
    company = scan.needs_company
    if company:
        # A currency word used as a noun ("the rand") needs another currency
        # mention near it: one binary search each, so linear in the mentions.
        currency_at = sorted(f.start for f in found if f.entity.kind == "currency" and id(f) not in company)
        mentions = [f for f in found if id(f) not in company or _near(currency_at, f.start, _CONTEXT_CHARS)]
    signs = find_signs(scan)
    if signs:
        # A currency sign with its letters ("US$5") wins over the name in its
        # letters, the only place a sign and a name can overlap.
        lettered = {sg.start for sg in signs if sg.text[:1] not in _SIGN_CHARS}
        if lettered:
            mentions = [m for m in mentions if m.start not in lettered]
        mentions.extend(signs)
    mentions.extend(coreferences(scan, mentions))
    mentions.sort(key=_START)
    return mentions


@functools.cache
def _all_kinds() -> frozenset[str]:
    return frozenset(available_kinds())


def _near(sorted_offsets: list[int], at: int, reach: int) -> bool:
    """Whether an offset of ``sorted_offsets`` lies within ``reach`` of ``at``."""
    i = bisect.bisect_left(sorted_offsets, at - reach)
    return i < len(sorted_offsets) and sorted_offsets[i] <= at + reach
