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
