"""One-character country abbreviations in Chinese, Japanese and Korean text
("中美关系", "日米首脳会談", "한미 정상회담", "，俄方表示")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..scripts import HAN_UNIFIED, HANGUL_SYLLABLES, KANA
from .mention import Mention

if TYPE_CHECKING:
    from .mentions import _Scan

__all__ = ["find_abbreviations"]

_HAN = re.compile(f"[{HAN_UNIFIED}]")
_KANA = re.compile(f"[{KANA}]")
_HANGUL = re.compile(f"[{HANGUL_SYLLABLES}]")


def find_abbreviations(scan: _Scan) -> list[Mention]:
    """One-character country abbreviations in Chinese and Japanese text
    ("中美关系", "日米首脳会談", "，俄方表示"): Japanese when the text has kana."""
    if "country" not in scan.kinds:
        return []
    text = scan.text
    out: list[Mention] = []
    beyond = scan.beyond  # no Chinese, Japanese or Korean letter before it
    langs = ["ko"] if _HANGUL.search(text, beyond) else []
    if _HAN.search(text, beyond):
        langs.append("ja" if _KANA.search(text, beyond) else "zh")
    for lang in langs:
        run, chars = scan.m.abbreviation_runs.get(lang), scan.m.single_characters[lang]
        if run is None:
            continue
        for found in run.finditer(text):
            # After a word of direction ("對台軍售", "訪米") only the named group counts.
            named = next((g for g in ("after", "after_ja") if g in run.groupindex and found.group(g)), None)
            lo, hi = found.span(named) if named else found.span()
            for i in range(lo, hi):
                if text[i] in chars:  # not the middle dot of "한·미"
                    out.append(Mention(i, i + 1, text[i], chars[text[i]], "alias"))
    return out
