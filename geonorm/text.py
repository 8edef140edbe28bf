"""Text normalisation: the keys that aliases and user input meet on.

Two functions matter:

* :func:`fold` keeps case but folds everything else that does not change what a
  name means: Unicode compatibility forms (NFKC), accents on Latin, Greek and
  Cyrillic letters, apostrophes and dots, other punctuation, invisible
  characters and runs of white space.
* :func:`key` is ``fold`` plus case folding. Index look-ups use it.

>>> key("  Côte d’Ivoire ")
'cote divoire'
>>> key("The GAMBIA")
'the gambia'
>>> fold("U.S.A.")
'USA'

Both run in linear time and never raise on any ``str``. Characters are folded
through a per-character table that is filled the first time a character is
seen, so the hot path is :meth:`str.translate` (for ASCII, one byte
translation where no character folds to several).
"""

from __future__ import annotations

import unicodedata

from . import _forksafe

__all__ = [
    "FOLD_TABLE_SIZE",
    "brief",
    "fold",
    "invert_comma",
    "invert_parenthesis",
    "key",
    "key_of_folded",
    "key_variants",
    "without_possessive",
]

#: The most code points whose folding is kept once computed (about 6 MB at
#: most). Text in any one language needs a few thousand; past the limit, a
#: character not yet kept is folded afresh each time it is seen.
FOLD_TABLE_SIZE = 1 << 16

# Letters whose base is not reachable through canonical decomposition.
_SPECIAL_LETTERS = {
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "ł": "l",
    "Ł": "L",
    "ħ": "h",
    "Ħ": "H",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ß": "ss",
    "ẞ": "SS",
    "þ": "th",
    "Þ": "TH",
    "ð": "d",
    "Ð": "D",
    "ı": "i",
    "ŀ": "l",
    "Ŀ": "L",
    "ŧ": "t",
    "Ŧ": "T",
}
_APOSTROPHES = "'\u2019\u2018\u02bc\u02bb\u0060\u00b4\u2032"
#: What may follow a possessive in a cell or a phrase: spaces, stops, quotes.
_CLOSING_PUNCTUATION = ' \t\n.,;:!?"\u201d\u00bb'
# Scripts whose diacritics are optional in everyday writing and safe to drop.
_FOLDABLE_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")
# Combining marks that are optional vowel signs or accents in their script.
_DROPPABLE_MARK_RANGES = (
    (0x0300, 0x036F),  # combining diacritical marks (Latin, Greek, Cyrillic)
    (0x0483, 0x0489),  # Cyrillic combining marks
    (0x0591, 0x05C7),  # Hebrew points and accents
    (0x0610, 0x061A),  # Arabic small signs
    (0x064B, 0x065F),  # Arabic harakat
    (0x0670, 0x0670),
    (0x06D6, 0x06ED),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)


def _fold_char(cp: int) -> str | None:
    ch = chr(cp)
    if ch in _SPECIAL_LETTERS:
        return _SPECIAL_LETTERS[ch]
    if ch in _APOSTROPHES or ch == ".":
        return None
    if ch == "&":
        return " and "
    if ch == "+":
        return "+"
    if 0xD800 <= cp <= 0xDFFF:  # lone surrogates: drop, never crash
        return None
    cat = unicodedata.category(ch)
    major = cat[0]
    if cat in ("Cc", "Cf", "Co", "Cn", "Cs"):
        return " " if ch in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85" else None
    if major == "Z":
        return " "
    if major == "P" or (major == "S" and cat != "Sc"):
        return " "
    if major == "M":
        for lo, hi in _DROPPABLE_MARK_RANGES:
            if lo <= cp <= hi:
                return None
        return ch
    if major == "L" and cp > 0x7F:
        name = unicodedata.name(ch, "")
        if name.startswith(_FOLDABLE_SCRIPTS):
            decomposed = unicodedata.normalize("NFD", ch)
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            return base or ch
    return ch


class _FoldTable(dict[int, "str | None"]):
    """A :meth:`str.translate` table that computes each entry on first use
    and keeps at most :data:`FOLD_TABLE_SIZE` of them."""

    def __missing__(self, cp: int) -> str | None:
        value = _fold_char(cp)
        if len(self) < FOLD_TABLE_SIZE:
            self[cp] = value
        return value


_TABLE = _FoldTable()
_TABLE_LOCK = _forksafe.lock()


def _warm_ascii() -> None:
    with _TABLE_LOCK:
        for cp in range(128):
            _TABLE[cp] = _fold_char(cp)


_warm_ascii()


#: What the byte table writes for an ASCII character that folds to more
#: than one ("&" to " and "): a byte no ASCII character folds to, so that
#: finding it in the result sends the text to ``str.translate``.
_LONGER = "\x80"


def _ascii_tables() -> tuple[bytes, bytes]:
    """:data:`_TABLE` on ASCII as a byte table (:data:`_LONGER` for the
    characters it writes as more than one) and the bytes it deletes."""
    table = bytearray(range(256))
    deleted = bytearray()
    for cp in range(128):
        value = _fold_char(cp)
        if value is None:
            deleted.append(cp)
        else:
            table[cp] = ord(value) if len(value) == 1 else ord(_LONGER)
    return bytes(table), bytes(deleted)


_ASCII_TABLE, _ASCII_DELETED = _ascii_tables()
#: The ASCII characters that fold to spaces or to nothing: at a text's ends,
#: they fold away (:func:`fold_ascii`).
_FOLDS_AWAY = "".join(chr(cp) for cp in range(128) if not (_TABLE[cp] or "").strip())


def fold_ascii(text: str) -> str:
    """:func:`fold` of an ASCII ``text``: one byte translation where each
    character folds to at most one ("&" to " and " takes ``str.translate``).

    >>> fold_ascii(" U.S.-Mexico  & Co ")
    'US Mexico and Co'
    """
    return fold_ascii_words(text)[0]


def fold_ascii_words(text: str) -> tuple[str, bool]:
    """:func:`fold_ascii` of ``text``, and whether the text is words of
    letters and digits with nothing but spaces and hyphens between them,
    but for what folds away at its ends (then no apostrophe, comma or
    parenthesis is between its words).

    >>> fold_ascii_words("(India)"), fold_ascii_words("T-90M,"), fold_ascii_words("Korea, Rep.")
    (('India', True), ('T 90M', True), ('Korea Rep', False))
    """
    if text.isalnum():
        return text, True  # one word of letters and digits ("India", "USD") folds to itself
    core = text.strip(_FOLDS_AWAY)
    if core.replace(" ", "").isalnum() and "  " not in core:
        # Words of them, one space apart ("Talovin Barasek"), fold to
        # themselves too, and what folds to spaces or nothing around them
        # folds away (" India ", "(India)", "India.").
        return core, True
    if "-" in core:
        # Words joined by hyphens ("T-90M", "Guinea-Bissau"): a hyphen folds
        # to a space, and nothing else is between the words.
        spaced = core.replace("-", " ")
        if spaced.replace(" ", "").isalnum():
            return " ".join(spaced.split()), True
    folded = text.encode("ascii").translate(_ASCII_TABLE, _ASCII_DELETED).decode("latin-1")
    if _LONGER in folded:
        folded = text.translate(_TABLE)
    return " ".join(folded.split()), False


def fold(text: str) -> str:
    """Fold ``text`` for matching, keeping its case.

    >>> fold("«Роснефть»")
    'Роснефть'
    >>> fold("Bosnia & Herzegovina")
    'Bosnia and Herzegovina'
    """
    if text.isascii():  # ASCII is already in NFKC
        return fold_ascii_words(text)[0]
    return " ".join(unicodedata.normalize("NFKC", text).translate(_TABLE).split())


def key_of_folded(folded: str) -> str:
    """:func:`key` of a string that :func:`fold` already returned."""
    if folded.isascii():
        k = folded.lower()
    else:
        # Case folding can expose new foldable characters (İ -> i̇).
        k = " ".join(folded.casefold().translate(_TABLE).split())
    return k


def without_article(k: str) -> str:
    """A key without a leading English "the" (tried when the key itself finds
    nothing, so that "the Netherlands" finds the Netherlands while "Times"
    does not find "The Times").

    >>> without_article("the netherlands")
    'netherlands'
    """
    return k[4:] if k.startswith("the ") and len(k) > 4 else k


def key(text: str) -> str:
    """The case-folded look-up key for ``text``; empty when nothing is left.

    >>> key("the Netherlands")
    'the netherlands'
    >>> key("İSTANBUL")
    'istanbul'
    """
    if text.isascii() and text.isalnum():
        return text.lower()  # a word of ASCII letters and digits folds to itself
    return key_of_folded(fold(text))


def key_variants(text: str) -> list[str]:
    """Keys an alias is indexed under: its key, and where it has apostrophes,
    the key with each apostrophe read as a space (so "COTE D IVOIRE" meets
    "Côte d'Ivoire" while "Peoples Republic" meets "People's Republic").

    >>> key_variants("Côte d'Ivoire")
    ['cote divoire', 'cote d ivoire']
    """
    keys = [key(text)]
    if any(a in text for a in _APOSTROPHES):
        spaced = key("".join(" " if ch in _APOSTROPHES else ch for ch in text))
        if spaced not in keys:
            keys.append(spaced)
    return keys


def invert_comma(text: str) -> str | None:
    """``"Korea, Republic of"`` -> ``"Republic of Korea"``; None if no single comma.

    >>> invert_comma("Tanzania, United Republic of")
    'United Republic of Tanzania'
    >>> invert_comma("Gambia, The")
    'The Gambia'
    """
    if text.count(",") != 1:
        return None
    head, _, tail = text.partition(",")
    head, tail = head.strip(), tail.strip()
    if not head or not tail:
        return None
    return f"{tail} {head}"


def invert_parenthesis(text: str) -> str | None:
    """``"Bolivia (Plurinational State of)"`` -> ``"Plurinational State of Bolivia"``.

    >>> invert_parenthesis("Iran (Islamic Republic of)")
    'Islamic Republic of Iran'
    >>> invert_parenthesis("Iran") is None
    True
    """
    text = text.strip()
    if not text.endswith(")") or text.count("(") != 1:
        return None
    head, _, tail = text[:-1].partition("(")
    head, tail = head.strip(), tail.strip()
    if not head or not tail:
        return None
    return f"{tail} {head}"


def without_possessive(text: str) -> str | None:
    """``text`` without the English possessive it ends in (an apostrophe and
    "s", closing punctuation aside); None if it ends in none.

    >>> without_possessive("Russia's"), without_possessive("the UAE\u2019s,")
    ('Russia', 'the UAE')
    >>> without_possessive("Reuters") is None
    True
    """
    text = text.rstrip(_CLOSING_PUNCTUATION)
    if len(text) > 2 and text[-1] in "sS" and text[-2] in _APOSTROPHES and text[-3].isalnum():
        return text[:-2]
    return None


def brief(value: object, limit: int = 60) -> str:
    """``repr(value)``, cut to about ``limit`` characters, for messages that
    quote what a caller passed.

    >>> brief("x" * 100, 12)
    "'xxxxxxxxxx…(100 characters)"
    >>> brief("India")
    "'India'"
    """
    shown = repr(value)
    if len(shown) <= limit:
        return shown
    size = f"({len(value)} characters)" if isinstance(value, str) else f"({type(value).__name__})"
    return shown[: limit - 1] + "…" + size
