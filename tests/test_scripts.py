"""The script ranges of :mod:`geonorm.scripts`: each predicate agrees with
its character class on every code point up to the supplementary
ideographic planes."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geonorm import scripts

_RANGES: list[tuple[Callable[[str], bool], str]] = [
    (scripts.unspaced, scripts.UNSPACED),
    (scripts.arabic, scripts.ARABIC),
    (scripts.hebrew, scripts.HEBREW),
    (scripts.cyrillic, scripts.CYRILLIC),
    (scripts.katakana, "\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"),
    (scripts.hangul, scripts.HANGUL_SYLLABLES + "\u1100-\u11ff\u3130-\u318f"),
]


@pytest.mark.parametrize(("predicate", "char_class"), _RANGES, ids=lambda v: getattr(v, "__name__", ""))
def test_predicate_and_class_agree(predicate: Callable[[str], bool], char_class: str) -> None:
    pattern = re.compile(f"[{char_class}]")
    wrong = [hex(o) for o in range(0x30000) if predicate(chr(o)) != bool(pattern.match(chr(o)))]
    assert wrong == []


def test_classes_nest() -> None:
    han = re.compile(f"[{scripts.HAN}]")
    unified = re.compile(f"[{scripts.HAN_UNIFIED}]")
    assert all(han.match(chr(o)) for o in range(0x30000) if unified.match(chr(o)))
    assert all(scripts.unspaced(chr(o)) for o in range(0x30000) if han.match(chr(o)))


def _every_code_point() -> str:
    return "".join(chr(o) for o in range(0x110000) if not 0xD800 <= o <= 0xDFFF)


def test_no_searched_script_starts_before_first_beyond_latin() -> None:
    # Every search that first_beyond_latin lets start late: the scan's
    # automata choice, the unspaced text test, the abbreviation and
    # traditional-script checks. None may match a character it would skip.
    from geonorm.extraction import abbreviations, matcher, patterns

    every = _every_code_point()
    searched = [
        patterns.CYRILLIC_LETTER,
        patterns.OTHER_SPACED_LETTER,
        matcher.UNSPACED_TEXT,
        abbreviations._HAN,
        abbreviations._KANA,
        abbreviations._HANGUL,
        re.compile("[" + matcher.load_rules()["traditional_characters"] + "]"),
    ]
    for pattern in searched:
        for found in pattern.finditer(every):
            assert scripts.first_beyond_latin(found.group()) == 0, (pattern.pattern[:40], hex(ord(found.group())))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("S-400 for India", 15),
        ("Côte d’Ivoire – €5bn", 20),  # Latin-1, general punctuation, a currency sign
        ("Putin – «Путин»", 9),
        ("Xi Jinping (习近平)", 12),
        ("Hà Nội", 4),  # Latin Extended Additional (ộ) lies beyond
    ],
)
def test_first_beyond_latin(text: str, expected: int) -> None:
    assert scripts.first_beyond_latin(text) == expected
    # A long text is searched in its UTF-8 bytes: the same answer.
    padding = "é" * 3000
    assert scripts.first_beyond_latin(padding + text) == len(padding) + expected


def _reference_first_beyond_latin(text: str) -> int:
    found = scripts._BEYOND_LATIN.search(text)
    return len(text) if found is None else found.start()


def test_first_beyond_latin_on_long_text_is_its_definition() -> None:
    # After a long Latin text: every code point below U+3000 (where the
    # ranges' UTF-8 lead bytes are shared), then one in 97 and the edges,
    # alone and behind characters within the ranges that share lead bytes.
    head = "Côte d’Ivoire – €5bn, Erdoğan said. " * 60
    assert len(head) > scripts._LONG
    code_points = [*range(0x80, 0x3000), *range(0x3000, 0x110000, 97), 0xD800, 0xDFFF, 0xFFFF, 0x10000, 0x10FFFF]
    for before in ("", "\u0240", "\u206f\u20a0\u20cf"):
        for cp in code_points:
            text = head + before + chr(cp) + " x"
            assert scripts.first_beyond_latin(text) == _reference_first_beyond_latin(text), hex(cp)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                " ",
                "é",
                "ğ",
                "–",
                "€",
                "\u0240",
                "\u024f",
                "\u0250",
                "\u2070",
                "\u209f",
                "\u20cf",
                "\u20d0",
                "\u2100",
                "Д",
                "习",
                "\ud800",
                "\U0001f600",
            ]
        ),
        min_size=0,
        max_size=40,
    ),
    st.integers(0, 3000),
)
def test_first_beyond_latin_is_its_definition(chars: list[str], padding: int) -> None:
    text = "é" * padding + "".join(chars)
    assert scripts.first_beyond_latin(text) == _reference_first_beyond_latin(text)
