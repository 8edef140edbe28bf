"""Accuracy on the data-driven cases: at least 99% right, and every known
non-match resolves to None."""

from __future__ import annotations

import pytest

import geonorm

from .casefile import Case, read_cases

# file: (kind, accuracy target, minimum number of cases)
TARGETS = {
    "countries.tsv": ("country", 0.99, 500),
    "currencies.tsv": ("currency", 0.99, 150),
    "organisations.tsv": ("organisation", 0.97, 300),
    "people_heads.tsv": ("person", 0.97, 150),
    "people_officials.tsv": ("person", 0.97, 150),
    "weapons.tsv": ("weapon", 0.97, 300),
}


def _run(case: Case, kind: str) -> str | None:
    opts = dict(case.options)
    fuzzy = bool(opts.pop("fuzzy", False))
    metonyms = bool(opts.pop("metonyms", False))
    found = geonorm.resolve(case.text, kind, fuzzy=fuzzy, metonyms=metonyms, **opts)
    return None if found is None else found.id


@pytest.mark.parametrize("filename", sorted(TARGETS))
def test_accuracy(filename: str) -> None:
    kind, target, minimum = TARGETS[filename]
    cases = read_cases(filename)
    assert len(cases) >= minimum
    wrong = [(c, got) for c in cases if (got := _run(c, kind)) != c.expected]
    accuracy = 1 - len(wrong) / len(cases)
    report = "\n".join(f"  {c} (got {got})" for c, got in wrong)
    assert accuracy >= target, f"{filename}: accuracy {accuracy:.3f} < {target}:\n{report}"
    # Precision over recall: a known non-match must never resolve.
    false_positives = [(c, got) for c, got in wrong if c.expected is None]
    assert not false_positives, "known non-matches resolved:\n" + "\n".join(
        f"  {c} (got {g})" for c, g in false_positives
    )
