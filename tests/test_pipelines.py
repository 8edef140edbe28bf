"""The batch API, JSON dicts and pickling: what pipelines need."""

from __future__ import annotations

import json
import math
import pickle
from decimal import Decimal
from typing import Any

import pytest

import geonorm
from geonorm import Registry


def test_resolve_many_is_aligned_and_missing_values_give_none() -> None:
    values: list[object] = ["India", None, "Bharat", math.nan, 42, Decimal("1"), "", "Atlantis", "Индия", b"India"]
    got = geonorm.resolve_many(values, kind="country")
    assert len(got) == len(values)
    assert [e.id if e else None for e in got] == [
        "country:IN",
        None,
        "country:IN",
        None,
        None,
        None,
        None,
        None,
        "country:IN",
        None,
    ]


def test_resolve_many_takes_the_options_of_resolve() -> None:
    assert geonorm.resolve_many(["Rs"], kind="currency", country="PK")[0].id == "currency:PKR"  # type: ignore[union-attr]
    assert geonorm.resolve_many(["Phillipines"], kind="country", fuzzy=True)[0].id == "country:PH"  # type: ignore[union-attr]
    assert geonorm.resolve_many(["Moscow"], kind="country") == [None]
    assert geonorm.resolve_many(["Moscow"], kind="country", metonyms=True)[0].id == "country:RU"  # type: ignore[union-attr]
    assert geonorm.resolve_many([]) == []
    assert geonorm.resolve_many(iter(["India"]))[0].id == "country:IN"  # type: ignore[union-attr]


def test_resolve_many_raises_at_once_on_a_wrong_option() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        geonorm.resolve_many([None], kind="planet")
    with pytest.raises(TypeError, match="unknown hint"):
        geonorm.resolve_many([], colour="red")


def test_duplicates_are_resolved_once() -> None:
    calls: list[str] = []

    class Counting(Registry):
        def resolve(self, text: str, kind: str | None = None, **options: Any) -> Any:
            calls.append(text)
            return super().resolve(text, kind, **options)

    got = Counting().resolve_many(["India", "India", "Russia", "India", "Russia"], kind="country")
    assert [e.id for e in got if e] == ["country:IN"] * 2 + ["country:RU", "country:IN", "country:RU"]
    assert sorted(calls) == ["India", "Russia"]


def test_extract_many() -> None:
    texts: list[object] = ["Modi met Putin.", None, "Modi met Putin.", 3.5, "Nothing here."]
    got = geonorm.extract_many(texts)
    assert [[m.entity.id for m in found] for found in got] == [
        ["person:narendra-modi", "person:vladimir-putin"],
        [],
        ["person:narendra-modi", "person:vladimir-putin"],
        [],
        [],
    ]
    assert got[0] is not got[2]  # each row its own list
    assert geonorm.extract_many(["Moscow said"], metonyms=True)[0][0].entity.id == "country:RU"
    assert geonorm.extract_many(["India and the rupee"], kinds=["currency"])[0][0].entity.id == "currency:INR"
    with pytest.raises(ValueError, match="unknown kind"):
        geonorm.extract_many([], kinds=["planet"])


def test_to_dict_of_every_entity_is_json() -> None:
    for entity in geonorm.entities():
        d = entity.to_dict()
        assert d["id"] == entity.id and d["kind"] == entity.kind and d["name"] == entity.name
        assert "aliases" not in d
        json.dumps(d)
    india = geonorm.get("country:IN")
    assert india is not None
    compact = json.dumps(india.to_dict())
    assert len(compact) < 300, compact
    full = india.to_dict(aliases=True)
    assert "Bharat" in full["aliases"]
    s400 = geonorm.get("weapon:s-400")
    assert s400 is not None
    assert s400.to_dict()["manufacturer"] == "organisation:almaz-antey"
    putin = geonorm.get("person:vladimir-putin")
    assert putin is not None
    assert {"office": "head_of_state", "start": "2012-05-07", "end": None}.items() <= putin.to_dict()["roles"][
        0
    ].items()


def test_to_dict_of_matches_and_mentions() -> None:
    match = geonorm.candidates("Emirati", kind="country")[0]
    assert json.loads(json.dumps(match.to_dict())) == {
        "entity": match.entity.to_dict(),
        "score": match.score,
        "how": "demonym",
        "alias": match.alias,
        "weak": False,
    }
    mention = geonorm.extract("The rupee fell against the $ in Delhi.")[0]
    assert json.loads(json.dumps(mention.to_dict())) == {
        "start": 4,
        "end": 9,
        "text": "rupee",
        "how": "alias",
        "id": "currency:INR",
        "kind": "currency",
        "name": "Indian Rupee",
    }


def _round_trip(value: Any) -> Any:
    return pickle.loads(pickle.dumps(value))


def test_shipped_entities_pickle_as_references() -> None:
    for entity_id in ("country:IN", "currency:USD", "organisation:rosneft", "person:vladimir-putin", "weapon:s-400"):
        entity = geonorm.get(entity_id)
        assert entity is not None
        assert _round_trip(entity) is entity
        assert len(pickle.dumps(entity)) < 200
    mentions = geonorm.extract("Rosneft paid $5bn; Putin and Modi met in Delhi about the S-400.")
    assert _round_trip(mentions) == mentions
    assert len(pickle.dumps(mentions)) < 2000  # references, not 100 KB of aliases per "$"
    matches = geonorm.candidates("Congo", kind="country")
    assert _round_trip(matches) == matches


def test_a_registry_pickles_with_its_additions() -> None:
    mine = Registry()
    mine.add_alias("country:GB", "Blighty")
    added = mine.add(
        "organisation", id="organisation:acme-arms", name="Acme Arms Ltd", type="company", aliases=["Acme Arms"]
    )
    back = _round_trip(mine)
    assert back is not mine
    assert back.resolve("Blighty", kind="country").id == "country:GB"  # type: ignore[union-attr]
    assert back.resolve("Acme Arms") == added
    assert [m.entity.id for m in back.extract("Acme Arms sold rifles in Blighty.")] == [
        "organisation:acme-arms",
        "country:GB",
    ]
    assert geonorm.resolve("Blighty") is None  # the default registry is untouched
    # No shipped table travels with it.
    assert len(pickle.dumps(mine)) < 100_000
    added_entity = back.get("organisation:acme-arms")
    assert _round_trip(added_entity) == added_entity


def test_the_default_registry_and_resolvers_pickle_to_themselves() -> None:
    assert _round_trip(geonorm.default_registry) is geonorm.default_registry
    countries = _round_trip(geonorm.countries)
    assert countries.resolve("Bharat").alpha3 == "IND"
    people = _round_trip(geonorm.people)
    shoigu = people.holder("Defence Minister", country="RU", on="2023-01-01")
    assert shoigu is not None and shoigu.id == "person:sergei-shoigu"


def test_a_registry_keeps_one_people_resolver() -> None:
    # Its index of offices is built once, not on every holder() call.
    mine = Registry()
    assert mine.people is mine.people
    first = mine.people.holder("Defence Minister", country="RU", on="2023-01-01")
    assert first is not None and first.id == "person:sergei-shoigu"
    index = mine.people._by_office
    assert mine.people.holder("Defence Minister", country="RU", on="2023-01-01") == first
    assert mine.people._by_office is index
    assert _round_trip(mine).people.holder("Defence Minister", country="RU", on="2023-01-01") == first
