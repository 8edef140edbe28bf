"""Currency signs next to an amount: "$68.7", "US$5", "€4bn", "500 €"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..text import fold, key
from .mention import Mention, unique_best
from .patterns import Candidate
from .prepare import SYMBOL_RUN

if TYPE_CHECKING:
    from .matcher import Matcher
    from .mentions import _Scan

__all__ = ["find_signs"]


def find_signs(scan: _Scan) -> list[Mention]:
    """Currency signs next to an amount: "$68.7", "US$5", "€4bn", "500 €"."""
    if "currency" not in scan.kinds:
        return []
    text = scan.text
    out: list[Mention] = []
    memo: dict[str, Candidate | None] = {}
    for sm in SYMBOL_RUN.finditer(text):
        start, end = sm.span()
        # Up to three letters glued in front: "US$", "HK$", "Mex$".
        lead = start
        while lead > 0 and start - lead < 3 and text[lead - 1].isascii() and text[lead - 1].isalpha():
            lead -= 1
        if lead > 0 and (text[lead - 1].isalnum() or text[lead - 1] == "_"):
            lead = start  # letters inside a longer word are not a prefix
        cand = None
        for begin in dict.fromkeys((lead, start)):
            sign = text[begin:end]
            if sign not in memo:
                memo[sign] = symbol_candidate(scan.m, sign)
            cand = memo[sign]
            if cand is not None:
                lead = begin
                break
        if cand is None:
            continue
        after = text[end : end + 2].lstrip(" \u00a0")
        before = text[max(0, lead - 2) : lead].rstrip(" \u00a0")
        if after[:1].isdigit() or before[-1:].isdigit():
            out.append(Mention(lead, end, text[lead:end], cand.entity, "alias"))
    return out


def symbol_candidate(m: Matcher, sign: str) -> Candidate | None:
    folded = fold(sign).replace(" ", "")
    cands = [
        c
        for c in m.symbols.get(key(sign).replace(" ", ""), ())
        if c.alias == folded or (c.alias.lower() == folded.lower() and not c.alias.isupper())
    ]
    return unique_best(cands)
