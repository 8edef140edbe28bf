"""The automaton wrapper (geonorm.extraction.automaton) against brute force:
the leftmost-longest matches, every match, and the look-up of one pattern,
on random pattern sets and texts, surrogates and other scripts included."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from geonorm.extraction.automaton import Automaton

# A small alphabet, so that patterns overlap and nest often; a surrogate and
# letters of several scripts, so that offsets are counted in code points.
_ALPHABET = st.sampled_from(list(" ab-é中\U0001f600\ud800"))
_PATTERNS = st.lists(st.text(_ALPHABET, min_size=1, max_size=5), min_size=1, max_size=12, unique=True)
_TEXT = st.text(_ALPHABET, max_size=40)


def _every(patterns: list[str], text: str) -> list[tuple[int, int]]:
    """Every (end, id) by brute force, by start then longest first."""
    found = [
        (start, -len(p), start + len(p) - 1, pid)
        for start in range(len(text))
        for pid, p in enumerate(patterns)
        if text.startswith(p, start)
    ]
    return [(end, pid) for _, _, end, pid in sorted(found)]


def _longest(patterns: list[str], text: str) -> list[tuple[int, int]]:
    """Leftmost-longest, without overlaps, by brute force."""
    out: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        here = [(len(p), pid) for pid, p in enumerate(patterns) if text.startswith(p, start)]
        if here:
            length, pid = max(here)
            out.append((start + length - 1, pid))
            start += length
        else:
            start += 1
    return out


@settings(max_examples=300, deadline=None)
@given(_PATTERNS, _TEXT)
def test_matches_agree_with_brute_force(patterns: list[str], text: str) -> None:
    # Ids need not be positions: shift them to check the mapping.
    automaton = Automaton(patterns, [pid + 100 for pid in range(len(patterns))])
    shifted = [(end, pid + 100) for end, pid in _longest(patterns, text)]
    assert automaton.longest(text) == shifted
    assert automaton.every(text) == [(end, pid + 100) for end, pid in _every(patterns, text)]
    for pid, p in enumerate(patterns):
        assert automaton.get(p) == pid + 100
    assert automaton.get(text) == (patterns.index(text) + 100 if text in patterns else None)


def test_batches_make_the_same_automaton() -> None:
    patterns = [" india", " indian", " new delhi", " delhi"]
    one = Automaton(patterns, range(4))
    batched = Automaton.of_batches(iter([patterns[:1], [], patterns[1:]]), range(4))
    text = " the indian envoy in new delhi and delhi"
    assert one.longest(text) == batched.longest(text) == [(10, 1), (29, 2), (39, 3)]
    assert len(batched) == 4


def test_a_count_mismatch_and_empty_sets() -> None:
    try:
        Automaton(["a"], [1, 2])
    except ValueError as exc:
        assert "1 patterns but 2 ids" in str(exc)
    else:
        raise AssertionError("a pattern count that differs from the ids must raise")
    empty = Automaton([], [])
    assert (empty.longest("abc"), empty.every("abc"), empty.get("abc"), len(empty)) == ([], [], None, 0)
