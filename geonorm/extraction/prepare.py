"""How text is prepared for the automata: white space, hyphens, quotes,
brackets and list punctuation read as spaces, one character for one, so
that every offset in the prepared text is an offset in the original."""

from __future__ import annotations

import re

__all__ = ["SIGN_CHARS", "SYMBOL_RUN", "WORDS", "prepare"]

# Currency signs (Unicode category Sc).
_SYMBOLS = "$¢£¤¥֏؋߾߿৲৳৻૱௹฿៛\u20a0-\u20c0꠸﷼﹩＄￠￡￥￦"
#: Every currency sign.
SIGN_CHARS = frozenset("$¢£¤¥֏؋߾߿৲৳৻૱௹฿៛꠸﷼﹩＄￠￡￥￦") | frozenset(map(chr, range(0x20A0, 0x20C1)))
#: A run of currency signs.
SYMBOL_RUN = re.compile(f"[{_SYMBOLS}]+")
#: The words of a piece of text (letters and digits).
WORDS = re.compile(r"[^\W_]+")
# Characters read as a space around and inside names: white space, hyphens,
# slashes, quotes and brackets. Each is replaced one for one, so offsets in
# the prepared text are offsets in the original.
_SPACES = (
    "\n\t\r\x0b\x0c\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029"
    "\u202f\u205f\u3000-\u2010\u2011\u2012\u2013\u2014\u2015\u2212/\\\"'`\u2018\u2019\u201a\u201b\u201c"
    "\u201d\u201e\u00ab\u00bb\u2039\u203a()[]{}<>|"
    # Punctuation that glues names in lists ("Russia,India"), fullwidth
    # punctuation and brackets of CJK text, and the middle dots that join the
    # parts of a foreign name (唐纳德·特朗普, ウラジーミル・プーチン).
    ",;:!?\uff08\uff09\u300c\u300d\u300e\u300f\u3010\u3011\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f"
    "\u00b7\u30fb\u2027\uff65"
    # "(서울=연합뉴스)": the equals sign of Korean datelines.
    "=\uff1d"
)
#: The mapping itself, as ``str.translate`` reads it: what every path of
#: :func:`prepare` computes (the tests hold them to it).
_SPACE_TABLE = str.maketrans(dict.fromkeys(_SPACES, " "))
_ASCII_SPACES = "".join(ch for ch in _SPACES if ch.isascii()).encode()
#: The mapping on the bytes of a text in ASCII.
_ASCII_SPACE_BYTES = bytes.maketrans(_ASCII_SPACES, b" " * len(_ASCII_SPACES))
#: One character read as a space.
_SPACE_CHAR = re.compile("[" + "".join(map(re.escape, dict.fromkeys(_SPACES))) + "]")


def prepare(text: str) -> str:
    """The text the automaton reads: white space, hyphens, quotes, brackets
    and list punctuation read as spaces, case kept; same length as ``text``.

    >>> prepare("«Триумф» S-400, (India)")
    ' Триумф  S 400   India '
    """
    if len(text) < 4096:
        # A name, a sentence: one pass. Not str.translate, which raises and
        # clears a KeyError for each character it keeps (a few hundred
        # instructions each): a text in ASCII has its bytes translated, any
        # other has the characters found by one search replaced.
        if text.isascii():
            return text.encode().translate(_ASCII_SPACE_BYTES).decode()
        return _SPACE_CHAR.sub(" ", text)
    if len(text) > _PIECE:
        # Piece by piece: each replace below copies its piece, which stays
        # in the processor's caches (on a whole 10 MB text the copies cost
        # 3.5x as much, and more than linearly in its length).
        return "".join(map(_replace_spaces, [text[i : i + _PIECE] for i in range(0, len(text), _PIECE)]))
    return _replace_spaces(text)


#: How long a piece of a long text :func:`prepare` reads at once.
_PIECE = 1 << 16


def _replace_spaces(text: str) -> str:
    for ch in _SPACES:  # a long text: one C scan per character is faster than translate
        if ch in text:
            text = text.replace(ch, " ")
    return text
