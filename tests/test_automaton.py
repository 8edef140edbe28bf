"""The automaton wrapper (geonorm.extraction.automaton) against brute force:
the leftmost-longest matches, every match, and the look-up of one pattern,
on random pattern sets and texts, surrogates and other scripts included."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from geonorm.extraction.automaton import Automaton

# A small alphabet, so that patterns overlap and nest often; a surrogate and
# letters of several scripts, so that offsets are counted in code points.
_ALPHABET = st.sampled_from(list(" ab-é中\U0001f600\ud800"))
_PATTERNS = st.lists(st.text(_ALPHABET, min_size=1, max_size=5), min_size=1, max_size=12, unique=True)
_TEXT = st.text(_ALPHABET, max_size=40)


def _every(patterns: list[str], text: str) -> list[tuple[int, int, int]]:
    """Every (id, start, end) by brute force, by start then longest first."""
    found = [
        (start, -len(p), pid)
        for start in range(len(text))
        for pid, p in enumerate(patterns)
        if text.startswith(p, start)
    ]
    return [(pid, start, start - minus) for start, minus, pid in sorted(found)]


def _longest(patterns: list[str], text: str) -> list[tuple[int, int, int]]:
    """Leftmost-longest, without overlaps, by brute force."""
    out: list[tuple[int, int, int]] = []
    start = 0
    while start < len(text):
        here = [(len(p), pid) for pid, p in enumerate(patterns) if text.startswith(p, start)]
        if here:
            length, pid = max(here)
            out.append((pid, start, start + length))
            start += length
        else:
            start += 1
    return out


@settings(max_examples=300, deadline=None)
@given(_PATTERNS, _TEXT)
def test_matches_agree_with_brute_force(patterns: list[str], text: str) -> None:
    # Ids need not be positions: consecutive from 100, and in any order.
    for ids in (range(100, 100 + len(patterns)), range(100 + 3 * len(patterns), 100, -3)):
        automaton = Automaton(patterns, ids)
        assert automaton.longest(text) == [(ids[pid], s, e) for pid, s, e in _longest(patterns, text)]
        assert automaton.every(text) == [(ids[pid], s, e) for pid, s, e in _every(patterns, text)]
        half = len(text) // 2
        assert automaton.every(text, half) == [(ids[pid], s, e) for pid, s, e in _every(patterns, text) if s < half]
        for pid, p in enumerate(patterns):
            assert automaton.get(p) == ids[pid]
        assert automaton.get(text) == (ids[patterns.index(text)] if text in patterns else None)


def test_batches_make_the_same_automaton() -> None:
    patterns = [" india", " indian", " new delhi", " delhi"]
    one = Automaton(patterns, range(4))
    batched = Automaton.of_batches(iter([patterns[:1], [], patterns[1:]]), range(4))
    text = " the indian envoy in new delhi and delhi"
    assert one.longest(text) == batched.longest(text) == [(1, 4, 11), (2, 20, 30), (3, 34, 40)]
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


def test_a_pattern_trie_answers_as_the_automaton_of_the_same_names() -> None:
    """:class:`PatternTrie` (a compiled table's names after a space) finds
    what an automaton of the same names, each after a space, finds: the
    longest names, every name, one name; over random names that share
    prefixes and run into each other, given in any order of ids."""
    from geonorm.extraction.trie import PatternTrie

    rng = random.Random(3)
    words = ["Ka", "Kal", "Kalo", "lo", "Vin", "vin", "Ж", "Жук", "ra", "é", "Ké"]
    for _ in range(40):
        names = sorted({" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))) for _ in range(30)})
        rng.shuffle(names)
        first = rng.randint(0, 1000)
        ids = list(range(first, first + len(names)))
        if rng.random() < 0.5:
            rng.shuffle(ids)
        trie = PatternTrie(names, ids)
        automaton = Automaton([" " + n for n in names], ids)
        for _ in range(30):
            text = " " + " ".join(rng.choice([*words, "x", "", "the"]) for _ in range(rng.randint(0, 12)))
            assert trie.longest(text) == automaton.longest(text), text
            cut = rng.randint(0, len(text))
            assert trie.every(text, cut) == automaton.every(text, cut), text
            assert trie.every(text) == automaton.every(text), text
        for name in [*names, "Kalov", "Ka Ka Ka Ka", "lo\0x"]:
            assert trie.get(" " + name) == automaton.get(" " + name)
            assert trie.get(name) is None
