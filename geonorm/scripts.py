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


#: In UTF-8, the lead bytes of the characters beyond every range of
#: :data:`_BEYOND_LATIN` (U+0280 to U+1FFF, U+3000 on, surrogates, the
#: supplementary planes): 1 for them, 0 for any other byte.
_BEYOND_LEAD = bytes(1 if 0xCA <= b <= 0xE1 or 0xE3 <= b <= 0xF4 else 0 for b in range(256))
#: In UTF-8, the characters beyond it whose lead byte also starts characters
#: within it: U+0250 to U+027F (lead byte C9), and U+2070 to U+209F and
#: U+20D0 to U+2FFF (E2). A search with one literal first byte runs in C at
#: a few instructions a byte, where an alternation of two reads each byte
#: against both (ten times slower).
_BEYOND_AFTER_C9 = re.compile(rb"\xc9[\x90-\xbf]")
_BEYOND_AFTER_E2 = re.compile(rb"\xe2(?:[\x84-\xbf]|\x81[\xb0-\xbf]|\x82[\x80-\x9f]|\x83[\x90-\xbf])")
#: From this length a text is searched in its UTF-8 bytes.
_LONG = 2048


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
    if len(text) < _LONG:
        found = _BEYOND_LATIN.search(text)
        return len(text) if found is None else found.start()
    # A long text: its UTF-8 bytes are read in C a few instructions a byte (a
    # search for a character class costs tens a character).
    data = text.encode("utf-8", "surrogatepass")
    at = data.translate(_BEYOND_LEAD).find(1)
    for lead, search in ((b"\xc9", _BEYOND_AFTER_C9), (b"\xe2", _BEYOND_AFTER_E2)):
        if lead in data:
            sequence = search.search(data, 0, len(data) if at < 0 else at)
            if sequence is not None:
                at = sequence.start()
    return len(text) if at < 0 else len(data[:at].decode("utf-8", "surrogatepass"))


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
