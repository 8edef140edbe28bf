"""The scan's readers of the text agree with their plain definitions on any
text (they are written for speed)."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geonorm import extract
from geonorm.extraction import prepare as prepare_module
from geonorm.extraction.context import TextContext
from geonorm.extraction.coreference import first_full_names
from geonorm.extraction.matcher import matcher
from geonorm.extraction.mention import Mention
from geonorm.extraction.mentions import _ALL_KINDS, _Scan

# The word before an offset, as a search for the last word before it.
_REFERENCE_PREV_WORD = re.compile(r"([^\W_]+)(\W*)$")

_TEXT = st.text(alphabet=st.sampled_from("ab Z9_ .,-'\n\t«»Дж习ộ\u00a0é"), max_size=70)


def _reference_prev_word(text: str, s: int) -> tuple[str, str]:
    found = _REFERENCE_PREV_WORD.search(text, max(0, s - 40), s)
    return (found.group(1), found.group(2)) if found else ("", text[max(0, s - 40) : s])


@settings(max_examples=500, deadline=None)
@given(text=_TEXT, data=st.data())
def test_prev_word_is_the_last_word_before(text: str, data: st.DataObject) -> None:
    scan = TextContext(matcher(), text, _ALL_KINDS, False)
    s = data.draw(st.integers(0, len(text)))
    assert scan.prev_word(s) == _reference_prev_word(text, s)


def test_prev_word_examples() -> None:
    text = "Officials said the won fell; Korea's  won"
    scan = TextContext(matcher(), text, _ALL_KINDS, False)
    assert scan.prev_word(text.index("won")) == ("the", " ")
    assert scan.prev_word(text.rindex("won")) == ("s", "  ")
    assert scan.prev_word(0) == ("", "")
    assert scan.prev_word(text.index(";") + 1) == ("fell", ";")


@pytest.mark.parametrize("ascii_only", [False, True])
@pytest.mark.parametrize("length", [0, 1, 97, 4095, 4096, 65_535, 65_536, 65_537, 200_000])
def test_prepare_is_one_translation_at_any_length(length: int, ascii_only: bool) -> None:
    # Short texts are translated at once (their bytes, in ASCII), long ones
    # replaced piece by piece: all the same one-for-one mapping.
    rng = random.Random(length)
    alphabet = [*prepare_module._SPACES, *"abcXYZ 12é习ộ\U0001f600\ud800"]
    if ascii_only:
        alphabet = [ch for ch in alphabet if ch.isascii()]
    text = "".join(rng.choice(alphabet) for _ in range(length))
    prepared = prepare_module.prepare(text)
    assert prepared == text.translate(prepare_module._SPACE_TABLE)
    assert len(prepared) == len(text)


def _corpus_texts() -> list[str]:
    import tomllib
    from pathlib import Path

    from .corpus import load

    english = tomllib.loads((Path(__file__).parent / "cases" / "extract_corpus.toml").read_text(encoding="utf-8"))
    texts = [p["text"] for p in english["paragraph"]] + [a.text for a in load()]
    # Forty texts joined, and a person named in full with a hyphen, not a space.
    return [*texts, " ".join(texts[:40]), "Narendra-Modi met Vladimir Putin. Putin said Modi agreed."]


def _reference_coreferences(text: str, mentions: list[Mention], not_surnames: frozenset[str]) -> set[tuple[int, int]]:
    """Where bare surnames refer back, by their plain definition: every
    whole word, starting with a capital, that is the surname of a person
    named in full earlier in the text, and inside no other mention."""
    named = [m for m in mentions if m.how != "coreference"]
    first = first_full_names(named, not_surnames)
    covered = {p for m in named for p in range(m.start, m.end)}
    out = set()
    for surname, after in first.items():
        for found in re.finditer(rf"(?<![^\W_]){re.escape(surname)}(?![^\W_])", text, re.IGNORECASE):
            s, e = found.span()
            if s >= after and text[s].isupper() and covered.isdisjoint(range(s, e)):
                out.add((s, e))
    return out


def test_bare_surnames_are_found_by_their_plain_definition() -> None:
    # The scan meets bare surnames as patterns of their own (no second pass
    # over the text): it finds what the definition finds.
    checked = 0
    for text in _corpus_texts():
        mentions = extract(text)
        found = {(m.start, m.end) for m in mentions if m.how == "coreference"}
        assert found == _reference_coreferences(text, mentions, matcher().not_surnames), text[:60]
        checked += bool(found)
    assert checked > 20


@pytest.mark.parametrize("metonyms", [False, True])
def test_the_scan_finds_mentions_in_text_order(metonyms: bool) -> None:
    # scan_text sorts only where signs or abbreviations were added to them.
    for text in _corpus_texts():
        found = _Scan(matcher(), text, _ALL_KINDS, metonyms).words()
        assert [m.start for m in found] == sorted(m.start for m in found), text[:60]


@pytest.mark.parametrize("filler", [1, 40, 400])
def test_sign_runs_are_the_regex_runs(filler: int) -> None:
    # The string searches (one sign, a few sparse kinds) and the fallback to
    # the regular expression (dense signs of several kinds) find what it finds.
    from geonorm.extraction.prepare import SIGN_CHARS, SYMBOL_RUN
    from geonorm.extraction.signs import sign_runs

    rng = random.Random(filler)
    alphabet = [*sorted(SIGN_CHARS), *("ab 1.,é€$" * filler)]
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 600)))
        assert list(sign_runs(text)) == [m.span() for m in SYMBOL_RUN.finditer(text)], text
    for text in ("$" * 5000, "€$" * 5000, "US$5 " * 1000, "€ ₹ " * 1000, "plain ASCII text"):
        assert list(sign_runs(text)) == [m.span() for m in SYMBOL_RUN.finditer(text)]


def test_the_signs_a_long_text_has_are_found_stretch_by_stretch() -> None:
    """signs._present searches a stretch at a time: a sign anywhere, at a
    stretch's first or last character, or only in the last short stretch,
    is found, in the signs' order."""
    from geonorm.extraction import signs

    size = signs._STRETCH
    rng = random.Random(5)
    for _ in range(200):
        chars = list("é" + "a" * (rng.randrange(3 * size)))
        for _ in range(rng.randrange(4)):
            chars[rng.randrange(len(chars))] = rng.choice(signs._SIGNS)
        text = "".join(chars)
        assert signs._present(text) == [s for s in signs._SIGNS if s in text]
    for at in (0, size - 1, size, 2 * size - 1, 2 * size + 3):
        text = "é" + "a" * (2 * size + 5)
        text = text[:at] + "₹" + text[at + 1 :]
        assert signs._present(text) == ["₹"], at
