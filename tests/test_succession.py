"""Who held the key offices since 2015: a complete succession, or a gap the
tables say they know of.

For the six offices below in the G20, the permanent members of the Security
Council and the other countries most in the news, every day from 2015-01-01
to the people tables' as-of date has a holder in the tables, except spells
of at most :data:`SHORT` days between two holders (acting and caretaker
holders, which the tables leave out) and the gaps listed, each with its
reason, in ``tests/cases/succession_gaps.toml``. A listed gap that the tables
have since filled fails too, so that the list stays true."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

import geonorm

COUNTRIES = (
    "AR AU BR CA CN FR DE IN ID IT JP KR MX RU SA ZA TR GB US UA IL IR PK KP TW AE QA".split()  # noqa: SIM905
)
OFFICES = (
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "defence_minister",
    "finance_minister",
    "central_bank_governor",
)
SINCE = dt.date(2015, 1, 1)
#: Spells without a holder this short are acting or caretaker holders.
SHORT = 45
GAPS_FILE = Path(__file__).parent / "cases" / "succession_gaps.toml"


def _spans(country: str, office: str) -> list[tuple[dt.date, dt.date]]:
    far = dt.date(9999, 12, 31)
    out = []
    for person in geonorm.entities("person"):
        for role in person.roles:
            if role.office == office and role.country is not None and role.country.alpha2 == country:
                start = role.start or role.held_from
                if start is not None:
                    out.append((start, role.end or far))
    return sorted(out)


def gaps(country: str, office: str, until: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The spells between ``SINCE`` and ``until`` longer than ``SHORT`` days
    with no holder of ``office`` in ``country``."""
    found = []
    covered = SINCE
    for start, end in _spans(country, office):
        if start > covered and (min(start, until) - covered).days > SHORT:
            found.append((covered, min(start, until)))
        covered = max(covered, end)
        if covered >= until:
            break
    if covered < until and (until - covered).days > SHORT:
        found.append((covered, until))
    return found


def _known() -> dict[tuple[str, str], list[tuple[dt.date, dt.date]]]:
    data = tomllib.loads(GAPS_FILE.read_text(encoding="utf-8"))
    known: dict[tuple[str, str], list[tuple[dt.date, dt.date]]] = {}
    for gap in data["gap"]:
        assert gap["reason"].strip(), gap
        known.setdefault((gap["country"], gap["office"]), []).append(
            (dt.date.fromisoformat(gap["from"]), dt.date.fromisoformat(gap["to"]))
        )
    return known


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_key_office_has_a_holder_since_2015(country: str) -> None:
    until = geonorm.people.as_of
    assert until is not None
    known = _known()
    for office in OFFICES:
        assert gaps(country, office, until) == sorted(known.get((country, office), [])), (country, office)
