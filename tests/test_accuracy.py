"""Every data-driven case line, checked on its own.

A wrong line fails the suite by itself. Lines known to fail are listed, each
with its reason, in ``tests/cases/known_failures.toml`` and run as strict
xfails, so a fixed one must leave the list. The accuracy of each file is
still reported at the end of the run (see ``conftest.py``).
"""

from __future__ import annotations

import warnings

import pytest

import geonorm

from .casefile import CASES, Case, HolderCase, known_failures, read_cases, read_holder_cases, record_accuracy

# file: (kind, minimum number of cases)
FILES = {
    "countries.tsv": ("country", 500),
    "currencies.tsv": ("currency", 150),
    "organisations.tsv": ("organisation", 300),
    "people_heads.tsv": ("person", 150),
    "people_officials.tsv": ("person", 150),
    "weapons.tsv": ("weapon", 300),
}
#: Who held an office on a day: every ``holders_*.tsv`` (heads, officials,
#: the successions since 2015 by region).
HOLDER_FILES = tuple(sorted(p.name for p in CASES.glob("holders_*.tsv")))
_KNOWN = known_failures()


def _mark(filename: str, text: str) -> list[pytest.MarkDecorator]:
    reason = _KNOWN.get((filename, text))
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


def _resolve_params() -> list[object]:
    params = []
    for filename, (kind, _) in sorted(FILES.items()):
        for case in read_cases(filename):
            params.append(
                pytest.param(filename, kind, case, id=f"{filename}:{case.line}", marks=_mark(filename, case.text))
            )
    return params


def _holder_params() -> list[object]:
    return [
        pytest.param(name, case, id=f"{name}:{case.line}", marks=_mark(name, case.text))
        for name in HOLDER_FILES
        for case in read_holder_cases(name)
    ]


def _run(case: Case, kind: str) -> str | None:
    opts = dict(case.options)
    fuzzy = bool(opts.pop("fuzzy", False))
    metonyms = bool(opts.pop("metonyms", False))
    found = geonorm.resolve(case.text, kind, fuzzy=fuzzy, metonyms=metonyms, **opts)
    return None if found is None else found.id


@pytest.mark.parametrize(("filename", "kind", "case"), _resolve_params())
def test_case(filename: str, kind: str, case: Case) -> None:
    got = _run(case, kind)
    record_accuracy(filename, got == case.expected)
    assert got == case.expected, f"{filename} {case} (got {got})"


@pytest.mark.parametrize(("filename", "case"), _holder_params())
def test_holder_case(filename: str, case: HolderCase) -> None:
    with warnings.catch_warnings():
        # Changes recorded after a file's as-of date are asked about past it
        # (tests/test_offices.py checks that such questions warn).
        warnings.simplefilter("ignore", geonorm.StaleDataWarning)
        found = geonorm.people.holder(case.office, country=case.country, on=case.day)
    got = found.id if found else None
    record_accuracy(filename, got == case.expected)
    assert got == case.expected, f"{filename} {case} (got {got})"


@pytest.mark.parametrize("filename", sorted(FILES))
def test_enough_cases(filename: str) -> None:
    assert len(read_cases(filename)) >= FILES[filename][1]


def test_known_failures_name_real_lines() -> None:
    """Every listed failure is a line of its file (a stale entry is an error)."""
    texts = {(f, c.text) for f in FILES for c in read_cases(f)}
    texts |= {(f, c.text) for f in HOLDER_FILES for c in read_holder_cases(f)}
    assert set(_KNOWN) <= texts, sorted(set(_KNOWN) - texts)
