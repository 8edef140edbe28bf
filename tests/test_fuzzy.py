"""The typo index's edit distance (rapidfuzz's optimal string alignment)
against a plain reference, and the index's bounds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from geonorm.fuzzy import FuzzyIndex, allowed_distance, distance


def _reference(a: str, b: str) -> int:
    """Optimal string alignment distance, by the textbook recurrence."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abcde", max_size=12), st.text(alphabet="abcde", max_size=12), st.integers(0, 3))
def test_distance_is_the_optimal_string_alignment_capped_at_limit_plus_one(a: str, b: str, limit: int) -> None:
    assert distance(a, b, limit) == min(_reference(a, b), limit + 1)


def test_a_transposition_is_one_edit() -> None:
    assert distance("azerbaijan", "azerbiajan", 2) == 1
    assert distance("philippines", "phillipines", 1) == 2  # past the limit: limit + 1


def test_the_index_finds_names_within_the_allowed_distance() -> None:
    idx = FuzzyIndex(["philippines", "afghanistan", "kazakhstan", "china"])
    assert idx.search("phillipines") == [("philippines", 2)]
    assert idx.search("kazakstan") == [("kazakhstan", 1)]
    assert idx.search("chino") == []  # too short for any typo
    assert allowed_distance(5) == 0 and allowed_distance(6) == 1 and allowed_distance(9) == 2
