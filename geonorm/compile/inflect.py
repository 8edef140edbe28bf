"""Forms of names generated at compile time: case forms of Russian and
Ukrainian names, traditional characters of Chinese names.

The language tables (``geonorm/data/languages/ru.toml``, ``uk.toml``) give names
in their dictionary form ("Южная Корея", "российский", "Владимир Путин"); the
compile step adds every case form ("Южной Кореи", "российских", "Владимиру
Путину") with pymorphy3 and its OpenCorpora-based dictionaries, so that both
``resolve`` and ``extract`` find inflected names. Only the compile step imports
pymorphy3; the forms are written into the index.

The head of a name inflects: its leading adjectives and first noun in the
nominative ("Российская Федерация" -> "Российской Федерации"); what follows
stays as written ("Банк России" -> "Банка России"). Words the dictionaries
mark as indeclinable, abbreviations in capitals ("США", "РФ") and words with no
noun or adjective reading ("Моди") keep their one form.

Chinese names written in simplified characters also get their traditional
form (OpenCC), so that Taiwan's and Hong Kong's press is read too.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ..scripts import CYRILLIC, HAN, HANGUL_SYLLABLES, KANA, cyrillic

__all__ = ["INFLECTED_LANGUAGES", "cyrillic_language", "forms", "traditional"]

#: Languages whose names the compile step inflects.
INFLECTED_LANGUAGES = frozenset({"ru", "uk"})
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_CYRILLIC_WORD = re.compile(f"[{CYRILLIC}]+")
_WORD_OR_GAP = re.compile(f"[{CYRILLIC}]+|[^{CYRILLIC}]+")


_UKRAINIAN = frozenset("іїєґІЇЄҐ")
_OTHER_CYRILLIC = frozenset("јљњћђџѓќѕЈЉЊЋЂЏЃЌЅўЎәғқңөұүһӘҒҚҢӨҰҮҺ")


def cyrillic_language(text: str) -> str | None:
    """``"uk"`` or ``"ru"`` for a name in Cyrillic letters, by the letters only
    Ukrainian uses; None for other scripts and for the Cyrillic of other
    languages (Serbian, Macedonian, Belarusian, Kazakh...)."""
    letters = [ch for ch in text if cyrillic(ch)]
    if not letters or any(ch in _OTHER_CYRILLIC for ch in letters):
        return None
    return "uk" if any(ch in _UKRAINIAN for ch in letters) else "ru"


@functools.cache
def _analyzer(language: str) -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=language)


def _restore_case(form: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return form.upper()
    if model[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


_PERSON = ("Name", "Surn", "Patr")


def _head_parse(analyzer: Any, word: str, plural_ok: bool) -> Any | None:
    """The reading of ``word`` as a nominative noun or full adjective, if any
    (a plural noun only after a plural adjective: "Соединённые Штаты")."""
    if not _CYRILLIC_WORD.fullmatch(word) or (word.isupper() and len(word) > 1):
        return None
    for parse in analyzer.parse(word):
        tag = parse.tag
        if tag.case != "nomn" or tag.POS not in ("NOUN", "ADJF", "PRTF") or "Fixd" in tag or "Abbr" in tag:
            continue
        if tag.POS == "NOUN" and tag.number == "plur" and not plural_ok and "Pltm" not in tag:
            continue
        return parse
    return None


def _word_forms(parse: Any, case: str, all_genders: bool) -> set[str]:
    out = set()
    if not all_genders:
        wanted = {case, "plur"} if parse.tag.number == "plur" else {case}
        found = parse.inflect(wanted)
        return {found.word} if found is not None else set()
    for wanted in ({case, "plur"}, *({case, gender} for gender in ("masc", "femn", "neut"))):
        found = parse.inflect(wanted) or parse.inflect(wanted | {"sing"})
        if found is not None:
            out.add(found.word)
    return out


def forms(text: str, language: str, *, adjective: bool = False) -> list[str]:
    """Every case form of ``text`` (itself first), in a deterministic order.

    ``adjective=True`` (a demonym such as "российский") gives every gender and
    number as well.
    """
    if language not in INFLECTED_LANGUAGES:
        return [text]
    analyzer = _analyzer(language)
    pieces = _WORD_OR_GAP.findall(text)
    # The inflecting head: leading adjectives and the first noun.
    head: dict[int, Any] = {}
    plural_ok = False
    for i, piece in enumerate(pieces):
        if not _CYRILLIC_WORD.fullmatch(piece):
            continue
        parse = _head_parse(analyzer, piece, plural_ok)
        if parse is None:
            break
        head[i] = parse
        plural_ok = parse.tag.POS != "NOUN" and parse.tag.number == "plur"
        # A noun ends the head, unless it is part of a person's name.
        if parse.tag.POS == "NOUN" and not any(g in parse.tag for g in _PERSON):
            break
    if not head:
        return [text]
    out = {text: None}
    for case in _CASES:
        variants = [""]
        for i, piece in enumerate(pieces):
            if i in head:
                words = sorted(_word_forms(head[i], case, adjective and len(head) == 1)) or [piece.lower()]
                choices = [_restore_case(w, piece) for w in words]
            else:
                choices = [piece]
            variants = [v + c for v in variants for c in choices][:64]
        for v in variants:
            out.setdefault(v, None)
    return list(out)


_KANA_OR_HANGUL = re.compile(f"[{KANA}{HANGUL_SYLLABLES}]")
_HAN = re.compile(f"[{HAN}]")


@functools.cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str, language: str | None) -> str | None:
    """A Chinese name in traditional characters (OpenCC's simplified-to-
    traditional conversion), where it differs: "俄罗斯" -> "俄羅斯". None for
    other languages and scripts (Japanese kanji are not Chinese simplified)."""
    if language not in (None, "zh") or not _HAN.search(text) or _KANA_OR_HANGUL.search(text):
        return None
    converted: str = _s2t().convert(text)
    return converted if converted != text else None
