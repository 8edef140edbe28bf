"""The rules that read the text around a name: the words before and after
it, the line it stands on, an amount next to it, the start and end of a
match by its script's rules, the case rule. :class:`TextContext` holds one
text, prepared, and what these rules found in it; the scan
(:mod:`.mentions`) asks them only where a pattern's choice depends on its
context.
"""

from __future__ import annotations

import re

from .. import index as ix
from ..model import Entity, Person
from ..scripts import first_beyond_latin, hangul, katakana, unspaced
from ..text import fold, key
from .matcher import Matcher
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
from .prepare import WORDS, prepare

__all__ = ["LETTER_SPACE_DIGIT", "TextContext"]

#: A letter, a space and a digit: "A 50" (a spaced designator, or a letter and an amount).
LETTER_SPACE_DIGIT = re.compile(r"[A-Za-z] \d")
# The word before an offset, read backwards (the text before it, reversed):
# one match, where a search for a word at the end would try every start.
_PREV_WORD_REVERSED = re.compile(r"(\W*)([^\W_]+)")
_NEXT_WORD = re.compile(r"(\W*)([^\W_]+)")
_SENTENCE_END = re.compile(r"[.!?\n]")
_AMOUNT_AFTER = re.compile(r"[ \u00a0]?\d")
_LINE_REACH = 400  # how far a headline or dateline rule looks for the line it is on
_SMALL = frozenset({"of", "the", "and", "in", "on", "at", "to", "for", "with", "a", "an", "as", "by", "from", "vs"})


class TextContext:
    """One text, prepared for the automata, and the rules that read it
    around a span (offsets in the original text, or prepared offsets where a
    method says so)."""

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
        #: Surnames of the people named in full so far, for a later bare one.
        self.coref: dict[str, Person] = {}
        #: The candidates that pass the rules that read no context, per
        #: pattern and span as written.
        self.passing: dict[tuple[str, str, int], tuple[tuple[Candidate, ...], list[Candidate]]] = {}
        #: Where the last mention found ends (the name-collision rule).
        self.last_end = -1
        self._title_lines: dict[int, bool] = {}
        self._traditional: bool | None = None

    @staticmethod
    def orig(p: int) -> int:
        """The offset in the text of prepared offset ``p``."""
        return p - 1

    def prev_word(self, s: int) -> tuple[str, str]:
        """The word before offset ``s`` and what separates them (within 40
        characters), or ``""`` and the text before."""
        before = self.text[max(0, s - 40) : s]
        found = _PREV_WORD_REVERSED.match(before[::-1])
        return (found.group(2)[::-1], found.group(1)[::-1]) if found else ("", before)

    def next_word(self, e: int) -> tuple[str, str]:
        """The word after offset ``e`` and what separates them (within 40
        characters), or two empty strings."""
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
        # By the candidates too: a registry's additions and the shipped
        # tables may give one pattern two lists. The list is kept with the
        # answer, so its id names it while the scan runs.
        slot = (pattern, span, id(cands))
        kept = self.passing.get(slot)
        found = None if kept is None else kept[1]
        if found is None:
            words = WORDS.findall(span)
            compact = "".join(WORDS.findall(fold(span))) if any(c.acronym for c in cands) else ""
            kinds, metonyms, case_ok = self.kinds, self.metonyms, self.case_ok
            # "A 50% tariff" is no A-50: a one-letter designator needs its hyphen.
            spaced = bool(LETTER_SPACE_DIGIT.match(span))
            found = [
                c
                for c in cands
                if c.entity.kind in kinds
                and (metonyms or c.type not in ix.METONYM_TYPES)
                and case_ok(c, words, compact)
                and not (spaced and c.entity.kind == "weapon")
            ]
            self.passing[slot] = (cands, found)
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
        first: tuple[int, int] | None = None  # the leftmost name, the longest there: (end, pattern id)
        for automaton in self.m.spaced_automata(window):
            for pid, _, after in automaton.longest(window):
                end = after - 1
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
