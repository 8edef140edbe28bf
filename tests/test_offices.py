"""Office holders: the single-seat check of the compile step, roles held
from a table's as-of date, handovers, and questions past the as-of date."""

from __future__ import annotations

import datetime as dt
import textwrap
import tomllib
import warnings

import pytest

import geonorm
from geonorm import Registry, StaleDataWarning
from geonorm.compile.checks import check_seats, seat_of
from geonorm.tables import TableError, parse_table

_SEATS = {"head_of_state": "country", "secretary_general": "organisation"}


def _people(text: str) -> object:
    return parse_table(tomllib.loads(textwrap.dedent(text)), "people/test.toml")


def _person(pid: str, *roles: str) -> str:
    return f'[[person]]\nid = "person:{pid}"\nname = "{pid.title()}"\nroles = [\n' + ",\n".join(roles) + "\n]\n"


def _check(*people: str, shared: frozenset[tuple[str, str]] = frozenset()) -> None:
    check_seats([_people('as_of = "2025-10-31"\n' + "\n".join(people))], _SEATS, set(shared))


def test_a_handover_day_is_no_overlap() -> None:
    _check(
        _person(
            "a", '{office = "head_of_state", title = "P", country = "FR", start = "2012-05-15", end = "2017-05-14"}'
        ),
        _person("b", '{office = "head_of_state", title = "P", country = "FR", start = "2017-05-14"}'),
    )


@pytest.mark.parametrize(
    ("first", "words"),
    [
        ('{office = "head_of_state", title = "P", country = "FR", start = "2012-05-15"}', "has no end"),
        (
            '{office = "head_of_state", title = "P", country = "FR", start = "2012-05-15", end = "2017-06-01"}',
            "overlaps",
        ),
    ],
)
def test_two_holders_of_one_seat_are_rejected(first: str, words: str) -> None:
    second = _person("b", '{office = "head_of_state", title = "P", country = "FR", start = "2017-05-14"}')
    with pytest.raises(TableError, match=words):
        _check(_person("a", first), second)


def test_seats_are_per_country_or_organisation_and_shared_seats_are_declared() -> None:
    both = [
        _person("a", '{office = "head_of_state", title = "P", country = "FR", start = "2012-05-15"}'),
        _person("b", '{office = "head_of_state", title = "P", country = "DE", start = "2017-05-14"}'),
        _person(
            "c",
            '{office = "secretary_general", title = "SG", organisation = "organisation:nato", start = "2014-10-01"}',
        ),
        _person(
            "d",
            '{office = "secretary_general", title = "SG", organisation = "organisation:opec", start = "2016-08-01"}',
        ),
        # Seat told by organisation only: a country alone is no seat.
        _person("e", '{office = "secretary_general", title = "SG", country = "FR", start = "2016-08-01"}'),
        _person("f", '{office = "secretary_general", title = "SG", country = "FR", start = "2017-08-01"}'),
    ]
    _check(*both)
    co_princes = [
        _person("g", '{office = "head_of_state", title = "Co-Prince", country = "AD", start = "2003-05-12"}'),
        _person("h", '{office = "head_of_state", title = "Co-Prince", country = "AD", start = "2017-05-14"}'),
    ]
    with pytest.raises(TableError, match="has no end"):
        _check(*co_princes)
    _check(*co_princes, shared=frozenset({("head_of_state", "country:AD")}))
    assert seat_of({"country": "FR"}) == "country:FR"
    assert seat_of({"country": "FR", "organisation": "organisation:ecb"}) == "organisation:ecb"
    assert seat_of({"country": "FR"}, "organisation") == ""


def test_every_role_needs_a_start_or_the_current_marker() -> None:
    with pytest.raises(TableError, match="no start date"):
        _check(_person("a", '{office = "head_of_state", title = "P", country = "FR"}'))
    _check(_person("a", '{office = "head_of_state", title = "P", country = "FR", current = true}'))
    table = _people('as_of = "2025-10-31"\n' + _person("a", '{office = "x", title = "T", current = true}'))
    assert table.records[0].fields["roles"][0]["held_from"] == dt.date(2025, 10, 31)  # type: ignore[attr-defined]
    with pytest.raises(TableError, match="takes neither 'start', 'end' nor 'held_on'"):
        _people(
            'as_of = "2025-10-31"\n' + _person("a", '{office = "x", title = "T", current = true, start = "2020-01-01"}')
        )
    with pytest.raises(TableError, match="needs the file's as_of"):
        _people(_person("a", '{office = "x", title = "T", current = true}'))
    with pytest.raises(TableError, match="current = true"):
        _people('as_of = "2025-10-31"\n' + _person("a", '{office = "x", title = "T", current = false}'))


def test_a_role_held_on_a_day_counts_from_that_day() -> None:
    role = '{office = "head_of_state", title = "P", country = "FR", held_on = "2015-01-01", end = "2017-05-14"}'
    _check(
        _person("a", role),
        _person("b", '{office = "head_of_state", title = "P", country = "FR", start = "2017-05-14"}'),
    )
    table = _people(_person("a", role))
    parsed = table.records[0].fields["roles"][0]  # type: ignore[attr-defined]
    assert parsed["held_from"] == dt.date(2015, 1, 1) and "held_on" not in parsed
    with pytest.raises(TableError, match="does not take it"):
        _people(_person("a", '{office = "x", title = "T", held_on = "2015-01-01", start = "2014-01-01"}'))
    with pytest.raises(TableError, match="ends before the day it was held on"):
        _people(_person("a", '{office = "x", title = "T", held_on = "2015-01-01", end = "2014-01-01"}'))
    mine = Registry()
    mine.load_text(
        _person(
            "jane-doe",
            '{office = "secretary_general", title = "Secretary General of OPEC", '
            'organisation = "organisation:opec", held_on = "2015-01-01", end = "2015-06-30"}',
        )
    )
    assert [p.id for p in mine.people.holders("Secretary General", organisation="OPEC", on="2015-03-01")] == [
        "person:jane-doe"
    ]
    assert mine.people.holders("Secretary General", organisation="OPEC", on="2014-12-31") == []


def test_confirmed_on_lies_within_the_role() -> None:
    _people(_person("a", '{office = "x", title = "T", start = "2020-01-01", confirmed_on = "2026-03-01"}'))
    with pytest.raises(TableError, match="before the role's start"):
        _people(_person("a", '{office = "x", title = "T", start = "2020-01-01", confirmed_on = "2019-03-01"}'))
    with pytest.raises(TableError, match="after the role's end"):
        _people(
            _person(
                "a",
                '{office = "x", title = "T", start = "2020-01-01", end = "2021-01-01", confirmed_on = "2022-01-01"}',
            )
        )


def test_confirmed_on_of_a_current_role_is_not_before_the_as_of_date() -> None:
    with pytest.raises(TableError, match="before the file's as_of"):
        _people(
            'as_of = "2025-10-31"\n'
            + _person("a", '{office = "x", title = "T", current = true, confirmed_on = "2024-01-01"}')
        )
    with pytest.raises(TableError, match="before held_on"):
        _people(_person("a", '{office = "x", title = "T", held_on = "2020-01-01", confirmed_on = "2019-01-01"}'))


def test_each_seat_is_known_to_its_own_date() -> None:
    from geonorm.compile.build import _person_extra

    offices = _people('[[office]]\nkey = "defence_minister"\nseat = "country"\nphrases = ["Defence Minister"]\n')
    old = _people(
        'as_of = "2025-10-31"\n'
        + _person("a", '{office = "defence_minister", title = "D", country = "FR", start = "2020-01-01"}')
        + _person(
            "b",
            '{office = "defence_minister", title = "D", country = "DE", start = "2020-01-01", '
            'confirmed_on = "2026-03-01"}',
        )
        + _person(
            "c", '{office = "defence_minister", title = "D", country = "IT", start = "2020-01-01", end = "2026-01-14"}'
        )
        + _person("d", '{office = "defence_minister", title = "D", country = "IT", start = "2026-01-14"}')
        # An office several people hold at once: one holder's report says
        # nothing of the others.
        + _person(
            "f", '{office = "deputy", title = "DPM", country = "FR", start = "2020-01-01", confirmed_on = "2026-03-01"}'
        )
    )
    newer = _people(
        'as_of = "2026-06-01"\n'
        + _person("e", '{office = "defence_minister", title = "D", country = "ES", start = "2020-01-01"}')
    )
    extra = _person_extra([offices, old, newer], {}, {})  # type: ignore[list-item]
    assert extra["as_of"] == ["2025-10-31"]
    assert extra["office_as_of"] == {"defence_minister": "2025-10-31", "deputy": "2025-10-31"}
    assert extra["seat_as_of"] == {
        "defence_minister country:DE": "2026-03-01",  # confirmed in office on that day
        "defence_minister country:ES": "2026-06-01",  # a file checked to that day
        "defence_minister country:FR": "2025-10-31",
        "defence_minister country:IT": "2026-01-14",  # a handover recorded after the file's date
        "deputy country:FR": "2025-10-31",
    }


def test_a_current_role_counts_from_the_as_of_date() -> None:
    mine = Registry()
    mine.load_text(
        textwrap.dedent(
            """
            as_of = "2025-10-31"
            [[person]]
            id = "person:jane-doe"
            name = "Jane Doe"
            [[person.roles]]
            office = "secretary_general"
            title = "Secretary General of OPEC"
            organisation = "organisation:opec"
            current = true
            """
        )
    )
    jane = mine.get("person:jane-doe")
    assert jane is not None and jane.roles[0].held_from == dt.date(2025, 10, 31)  # type: ignore[attr-defined]
    ids = {p.id for p in mine.people.holders("Secretary General", organisation="OPEC", on="2025-10-31")}
    assert "person:jane-doe" in ids
    ids = {p.id for p in mine.people.holders("Secretary General", organisation="OPEC", on="2025-10-30")}
    assert "person:jane-doe" not in ids


def test_the_day_of_a_handover_is_the_successor_s() -> None:
    # Macron succeeded Hollande on 2017-05-14, the last day of Hollande's
    # role in the tables and the first of Macron's.
    assert geonorm.people.holder("President", country="FR", on="2017-05-14").id == "person:emmanuel-macron"
    assert geonorm.people.holder("President", country="FR", on="2017-05-13").id == "person:francois-hollande"


def test_a_day_past_the_as_of_date_warns() -> None:
    as_of = geonorm.people.as_of
    assert isinstance(as_of, dt.date)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        geonorm.people.holder("President", country="FR", on=as_of)  # no warning up to the as-of date
    # A single seat is known to the later of the earliest as-of date of the
    # tables with its roles and the last day a dated report showed its holder
    # (Macron's confirmed_on, 2026-01-20, here).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        geonorm.people.holder("President", country="FR", on=dt.date(2026, 1, 20))
    with pytest.warns(StaleDataWarning, match="known to 2026-01-20") as caught:
        geonorm.people.holder("President", country="FR", on=dt.date(2026, 1, 21))
    assert caught[0].filename == __file__  # points at the caller
    with pytest.warns(StaleDataWarning):
        geonorm.people.holders("President", country="FR")  # today


def test_offices_of_organisations_by_their_own_titles() -> None:
    # "President" is a head of state's phrase; of an organisation, it is the
    # office its roles are titled with.
    on = "2024-06-01"
    assert geonorm.people.holder("European Commission President", on=on).id == "person:ursula-von-der-leyen"
    assert geonorm.people.holder("President", organisation="European Commission", on=on).id == (
        "person:ursula-von-der-leyen"
    )
    assert geonorm.people.holder("World Bank President", on=on).id == "person:ajay-banga"
    assert geonorm.people.holder("Secretary General", organisation="OPEC", on=on).id == "person:haitham-al-ghais"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("ECB President", "person:christine-lagarde"),
        ("Fed Chair", "person:jerome-powell"),
        ("BoE Governor", "person:andrew-bailey"),
    ],
)
def test_a_central_bank_named_in_front_of_the_office(title: str, expected: str) -> None:
    assert geonorm.people.holder(title, on="2024-06-01").id == expected


def test_each_shipped_office_is_known_to_its_own_date() -> None:
    # Portugal's presidency changed hands on 2026-03-09 (recorded after the
    # file's as-of date); France's is known to an earlier day.
    geonorm.people.holder("President", country="PT", on="2026-01-01")  # loads the tables
    from geonorm.kinds import SPECS

    seat_as_of = SPECS["person"].seat_as_of  # type: ignore[attr-defined]
    assert seat_as_of[("head_of_state", "country:PT")] >= dt.date(2026, 3, 9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert geonorm.people.holder("President", country="PT", on="2026-03-09").id == "person:antonio-jose-seguro"
    france = seat_as_of[("head_of_state", "country:FR")]
    assert france < dt.date(2026, 3, 9)
    with pytest.warns(StaleDataWarning, match=f"known to {france.isoformat()}"):
        geonorm.people.holder("President", country="FR", on="2026-03-09")


def test_an_organisation_s_office_found_by_its_title_is_known_to_that_office_s_date() -> None:
    # "World Bank President" is the bank's chief executive, whose roles are
    # known to their own date, not to a head of state's.
    geonorm.people.holder("President", country="PT", on="2026-01-01")  # loads the tables
    from geonorm.kinds import SPECS

    seat_as_of = SPECS["person"].seat_as_of  # type: ignore[attr-defined]
    bank = seat_as_of[("chief_executive", "organisation:world-bank")]
    assert bank != seat_as_of[("head_of_state", "country:US")]
    day = bank + dt.timedelta(days=1)
    with pytest.warns(StaleDataWarning, match=f"known to {bank.isoformat()}"):
        geonorm.people.holder("World Bank President", on=day)


@pytest.mark.parametrize(
    ("title", "day", "expected"),
    [
        ("Kremlin spokesman", "2025-06-01", ["person:dmitry-peskov"]),
        ("White House press secretary", "2022-01-01", ["person:jen-psaki"]),
        ("White House press secretary", "2025-06-01", ["person:karoline-leavitt"]),
        ("Russian Foreign Ministry spokeswoman", "2025-06-01", ["person:maria-zakharova"]),
        ("Russian Defence Ministry spokesman", "2025-06-01", ["person:igor-konashenkov"]),
        ("MEA spokesperson", "2025-06-01", ["person:randhir-jaiswal"]),
        # Several spokespeople at once: a shared seat.
        (
            "Chinese Foreign Ministry spokesperson",
            "2025-06-01",
            ["person:guo-jiakun", "person:lin-jian", "person:mao-ning"],
        ),
    ],
)
def test_spokespeople_by_the_institution_news_names(title: str, day: str, expected: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleDataWarning)
        assert sorted(p.id for p in geonorm.people.holders(title, on=day)) == expected


def test_no_holder_between_a_last_sure_day_and_a_first_sure_day() -> None:
    # Noem's last day and Mullin's first are not in the reports checked: her
    # role ends on the day the Senate confirmed him, his counts from a day he
    # surely held the office, and no one is made up for the weeks between.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleDataWarning)
        assert geonorm.people.holder("interior_minister", country="US", on="2026-04-10") is None
        found = geonorm.people.holder("interior_minister", country="US", on="2026-06-25")
    assert found is not None and found.id == "person:markwayne-mullin"
