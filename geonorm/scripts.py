"""The Unicode ranges of the scripts the text rules tell apart, in one place.

Each script has a character-class body for regular expressions (``HAN``,
``KANA``...) and, where a rule asks about one character on the scan's hot
path, a predicate written as plain comparisons (``unspaced``, ``hangul``...).
``tests/test_scripts.py`` checks that each predicate and its class agree on
every code point.
"""

from __future__ import annotations

import re

__all__ = [
    "ARABIC",
    "CYRILLIC",
    "HAN",
    "HANGUL_SYLLABLES",
    "HAN_UNIFIED",
    "HEBREW",
    "HEBREW_PRESENTATION",
    "KANA",
    "UNSPACED",
    "arabic",
    "cyrillic",
    "first_beyond_latin",
    "hangul",
    "hebrew",
    "katakana",
    "unspaced",
]

#: CJK Unified Ideographs: the characters of everyday Chinese and Japanese text.
HAN_UNIFIED = "\u4e00-\u9fff"
#: Chinese characters with Extension A and the compatibility ideographs.
HAN = "\u3400-\u4dbf" + HAN_UNIFIED + "\uf900-\ufaff"
#: Hiragana and katakana.
KANA = "\u3040-\u30ff"
#: Hangul syllables, as Korean is written.
HANGUL_SYLLABLES = "\uac00-\ud7af"
CYRILLIC = "\u0400-\u04ff"
HEBREW = "\u0590-\u05ff"
#: Hebrew presentation forms (letters with points, ligatures).
HEBREW_PRESENTATION = "\ufb1d-\ufb4f"
#: Arabic, its supplement and its presentation forms.
ARABIC = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
#: Scripts written without spaces between words: Chinese characters (with
#: the supplementary planes), kana (with the phonetic extensions and
#: half-width katakana), Thai and Lao, Khmer, Burmese.
UNSPACED = HAN + KANA + "\u31f0-\u31ff\uff66-\uff9f\U00020000-\U0002ffff\u0e00-\u0eff\u1780-\u17ff\u1000-\u109f"


#: A character outside Latin (to U+024F), general punctuation and the
#: currency signs: no script named here has one below it.
_BEYOND_LATIN = re.compile("[^\x00-\u024f\u2000-\u206f\u20a0-\u20cf]")


def first_beyond_latin(text: str) -> int:
    """Where the first character of any script above starts in ``text`` (at
    or after; ``len(text)`` when none): a search for a letter of one of them
    may start there. One scan of the text, and none for ASCII.

    >>> first_beyond_latin("Putin – «Путин»")
    9
    >>> first_beyond_latin("S-400 for India")
    15
    """
    if text.isascii():
        return len(text)
    found = _BEYOND_LATIN.search(text)
    return len(text) if found is None else found.start()


def unspaced(ch: str) -> bool:
    """Whether ``ch`` belongs to a script written without spaces between
    words (:data:`UNSPACED`)."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x3040 <= o <= 0x30FF
        or 0x31F0 <= o <= 0x31FF
        or 0xFF66 <= o <= 0xFF9F
        or 0x20000 <= o <= 0x2FFFF
        or 0x0E00 <= o <= 0x0EFF
        or 0x1780 <= o <= 0x17FF
        or 0x1000 <= o <= 0x109F
    )


def katakana(ch: str) -> bool:
    """Katakana (with the prolonged sound mark): a katakana word runs on
    until another script, so a name in katakana ends there ("マリ" is not
    in "マリン")."""
    o = ord(ch)
    return 0x30A0 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9F


def hangul(ch: str) -> bool:
    """Hangul: syllables, and the jamo written alone."""
    o = ord(ch)
    return 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def arabic(ch: str) -> bool:
    """Arabic script (:data:`ARABIC`): Arabic, Persian, Urdu."""
    o = ord(ch)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF


def hebrew(ch: str) -> bool:
    """Hebrew letters and points (:data:`HEBREW`)."""
    return 0x0590 <= ord(ch) <= 0x05FF


def cyrillic(ch: str) -> bool:
    """The basic Cyrillic block (:data:`CYRILLIC`)."""
    return 0x0400 <= ord(ch) <= 0x04FF
