"""Currency signs next to an amount: "$68.7", "US$5", "€4bn", "500 €"."""

from __future__ import annotations

import functools
import heapq
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..text import fold, key
from .mention import Mention, unique_best
from .patterns import Candidate
from .prepare import SIGN_CHARS, SYMBOL_RUN

if TYPE_CHECKING:
    from .matcher import Matcher
    from .mentions import _Scan

__all__ = ["find_signs", "sign_runs"]


def find_signs(scan: _Scan) -> list[Mention]:
    """Currency signs next to an amount: "$68.7", "US$5", "€4bn", "500 €"."""
    text = scan.text
    if "currency" not in scan.kinds or (text.isascii() and "$" not in text):
        return []  # "$" is the only sign in ASCII
    out: list[Mention] = []
    memo: dict[str, Candidate | None] = {}
    for start, end in sign_runs(text):
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


#: The currency signs, the ASCII one first.
_SIGNS = sorted(SIGN_CHARS)
#: Signs of several kinds are merged by :func:`sign_runs` while there are at
#: most one per this many characters.
_SPARSE = 64


def sign_runs(text: str) -> Iterator[tuple[int, int]]:
    """The spans of the runs of currency signs in ``text``, in order: what
    ``SYMBOL_RUN.finditer`` finds, by a string search for each sign the text
    has (a C scan of a few milliseconds a megabyte each, where the regular
    expression reads every character in Python's regex engine; only "$" is
    looked for in ASCII text). Lazy, like ``finditer``: memory stays flat
    whatever the number of signs.

    >>> list(sign_runs("US$5 and €4, or $$ 3 ₹€"))
    [(2, 3), (9, 10), (16, 18), (21, 23)]
    """
    if text.isascii():
        present = ["$"] if "$" in text else []  # the only sign in ASCII
    else:
        present = _present(text)
    if not present:
        return
    if len(present) == 1:
        yield from _runs_of(text, present[0])
        return
    if len(present) > 1 and sum(map(text.count, present)) * _SPARSE > len(text):
        # Many signs of several kinds: merging them here would cost more
        # than the regular expression.
        for found in SYMBOL_RUN.finditer(text):
            yield found.span()
        return
    merged = heapq.merge(*(_runs_of(text, sign) for sign in present))
    first = next(merged, None)
    if first is None:
        return
    start, end = first
    for s, e in merged:
        if s == end:
            end = e  # "₹€": two signs, one run
        else:
            yield start, end
            start, end = s, e
    yield start, end


def _present(text: str) -> list[str]:
    """The signs ``text`` has, in :data:`_SIGNS`' order: each sign looked for
    in a stretch of :data:`_STRETCH` characters at a time, while the stretch
    is in the processor's cache (one search of the whole text per sign read
    a 20 MB text from memory dozens of times: 56 times the time of a 1.25 MB
    text's for 16 times the text).

    >>> _present("a €5 and ₹7 " * 100_000)
    ['€', '₹']
    """
    missing = list(_SIGNS)
    found: set[str] = set()
    for start in range(0, len(text), _STRETCH):
        end = start + _STRETCH
        for sign in [sign for sign in missing if text.find(sign, start, end) >= 0]:
            found.add(sign)
            missing.remove(sign)
        if not missing:
            break
    return [sign for sign in _SIGNS if sign in found]


#: Characters a search for the signs reads at a time (:func:`_present`).
_STRETCH = 1 << 17


def _runs_of(text: str, sign: str) -> Iterator[tuple[int, int]]:
    """The runs of one sign, in order."""
    run = _run_pattern(sign)
    at = text.find(sign)
    while at >= 0:
        found = run.match(text, at)  # the sign, and the same sign after it
        end = found.end() if found else at + 1
        yield at, end
        at = text.find(sign, end)


@functools.cache
def _run_pattern(sign: str) -> re.Pattern[str]:
    return re.compile(re.escape(sign) + "+")


def symbol_candidate(m: Matcher, sign: str) -> Candidate | None:
    folded = fold(sign).replace(" ", "")
    cands = [
        c
        for c in m.symbols.get(key(sign).replace(" ", ""), ())
        if c.alias == folded or (c.alias.lower() == folded.lower() and not c.alias.isupper())
    ]
    return unique_best(cands)
