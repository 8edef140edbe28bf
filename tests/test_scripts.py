"""The script ranges of :mod:`geonorm.scripts`: each predicate agrees with
its character class on every code point up to the supplementary
ideographic planes."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

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
        re.compile("[" + matcher._load_rules()["traditional_characters"] + "]"),
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
