"""The public surface, as the foundation issue spells it out."""

from __future__ import annotations

import pickle
import subprocess
import sys
import time

import attrs
import pytest

import geonorm
from geonorm import Country, Currency, Entity, Match, Organisation, Person, Weapon
from geonorm.model import direct_constructor


def test_issue_examples() -> None:
    india = geonorm.resolve("Bharat", kind="country")
    assert isinstance(india, Country)
    assert (india.alpha2, india.alpha3, india.name) == ("IN", "IND", "India")
    assert geonorm.resolve("Korea, Rep.", kind="country").alpha3 == "KOR"
    assert geonorm.resolve("Индия", kind="country").alpha3 == "IND"
    assert geonorm.resolve("Emirati", kind="country").alpha3 == "ARE"
    ussr = geonorm.resolve("USSR", kind="country")
    assert ussr.alpha3 == "SUN" and ussr.historic
    assert {s.alpha2 for s in ussr.successors} >= {"RU", "UA", "BY", "KZ"}
    assert geonorm.resolve("Washington", kind="country") is None
    assert geonorm.resolve("Washington", kind="country", metonyms=True).alpha3 == "USA"
    assert geonorm.resolve("Phillipines", kind="country", fuzzy=True).alpha3 == "PHL"
    assert geonorm.resolve("₹", kind="currency").code == "INR"
    assert geonorm.resolve("Rs", kind="currency", country="PK").code == "PKR"
    assert geonorm.countries.resolve("Russland") == geonorm.resolve("Russland", kind="country")
    congo = geonorm.candidates("Congo", kind="country")
    assert {m.entity.id for m in congo} >= {"country:CG", "country:CD"}
    assert all(isinstance(m, Match) and m.score > 0 and m.alias for m in congo)
    assert geonorm.resolve("Congo", kind="country") is None


def test_match_says_how() -> None:
    (m,) = geonorm.candidates("Emirati", kind="country")
    assert m.how == "demonym"
    assert geonorm.candidates("IND", kind="country")[0].how == "code"
    assert geonorm.candidates("India", kind="country")[0].how == "exact"
    assert geonorm.candidates("INDIA", kind="country")[0].how == "normalised"
    assert geonorm.candidates("Washington", kind="country", metonyms=True)[0].how == "metonym"
    assert geonorm.candidates("Phillipines", kind="country", fuzzy=True)[0].how == "fuzzy"


def test_entities_are_frozen_and_compare_by_id() -> None:
    india = geonorm.get("country:IN")
    assert india is not None
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        india.name = "Bharat"  # type: ignore[misc]
    assert india == geonorm.resolve("भारत", kind="country")
    assert len({india, geonorm.resolve("India", kind="country")}) == 1
    assert india.kind == "country" and india.id == "country:IN"
    assert "Bharat" in india.aliases


def test_packed_aliases_read_as_a_tuple() -> None:
    # The shipped entities keep their aliases packed; every alias reads back
    # whole and one at a time, in order, from the first and from the end.
    count = 0
    for entity in geonorm.entities():
        aliases = entity.aliases
        assert type(aliases) is tuple and all(type(a) is str and a for a in aliases)
        assert aliases == entity.aliases
        assert [entity.alias_at(i) for i in range(len(aliases))] == list(aliases)
        assert entity.alias_at(-1) == aliases[-1]
        for past in (len(aliases), -len(aliases) - 1):
            with pytest.raises(IndexError):
                entity.alias_at(past)
        count += len(aliases)
    assert count > 100_000
    india = geonorm.get("country:IN")
    assert india is not None
    with pytest.raises(AttributeError):
        india.aliases = ()  # type: ignore[misc]


@pytest.mark.parametrize(
    "aliases",
    [
        ("Acme", "ACME Corp", "Акме", "アクメ", "𝔄cme"),  # every UTF-8 width
        ("Acme", "Ac\x1fme", "ACME"),  # the packing's separator inside an alias
        ("Acme", "Ac\ud800me", "ACME"),  # a lone surrogate (UTF-8 cannot hold it)
        ("Acme", "", "ACME"),
        ("Acme",),
        (),
    ],
)
def test_aliases_given_come_back_as_given(aliases: tuple[str, ...]) -> None:

    made = Organisation(id="organisation:acme", name="Acme", aliases=list(aliases))
    assert made.aliases == aliases and type(made.aliases) is tuple
    assert [made.alias_at(i) for i in range(len(aliases))] == list(aliases)
    assert pickle.loads(pickle.dumps(made)).aliases == aliases
    assert attrs.evolve(made, aliases=(*aliases, "Acme Ltd")).aliases == (*aliases, "Acme Ltd")
    assert attrs.evolve(made, name="Acme Group").aliases == aliases
    assert made.to_dict(aliases=True)["aliases"] == list(aliases)
    assert attrs.asdict(made, recurse=False)["aliases"] == aliases
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.aliases = ()  # type: ignore[misc]


def test_packed_aliases_keep_the_attrs_surface() -> None:
    india = geonorm.get("country:IN")
    assert india is not None
    assert attrs.fields(Country).aliases.name == "aliases"
    assert "aliases" in Country.__match_args__
    assert attrs.evolve(india, name="Bharat").aliases == india.aliases
    assert attrs.asdict(india, recurse=False)["aliases"] == india.aliases
    with pytest.raises(TypeError, match="not one str"):
        Country(id="country:XX", name="X", aliases="Xland")  # type: ignore[arg-type]
    assert Country(id="country:XX", name="X", aliases=None).aliases == ()  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", [Country, Currency, Organisation, Person, Weapon])
def test_direct_constructor_builds_what_the_class_does(cls: type[Entity]) -> None:
    # The kinds build entities through it: every field as the class's own
    # __init__ sets it (the aliases packed), defaults included, and frozen.
    make = direct_constructor(cls)
    for entity in [e for e in geonorm.entities() if type(e) is cls][:200]:
        given = {f.name: getattr(entity, f.name) for f in attrs.fields(cls)}
        made, reference = make(**given), cls(**given)
        assert type(made) is cls and made == reference
        for f in attrs.fields(cls):
            assert getattr(made, f.name) == getattr(reference, f.name), f.name
        assert made.to_dict(aliases=True) == reference.to_dict(aliases=True)
        assert pickle.loads(pickle.dumps(made, protocol=5)) == made
    bare = make(id=f"{cls.kind}:x", name="X")
    assert all(getattr(bare, f.name) == f.default for f in attrs.fields(cls)[2:])
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        bare.name = "Y"  # type: ignore[misc]
    with pytest.raises(TypeError):
        make(name="X")  # no id
    with pytest.raises(TypeError):
        make(id="x", name="X", colour="red")  # no such field
    with pytest.raises(TypeError, match="not one str"):
        make(id="x", name="X", aliases="X")


@pytest.mark.parametrize("size", [0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x10001])
def test_packed_aliases_of_any_length(size: int) -> None:
    # The positions switch from 2-byte to 4-byte integers where the last
    # (one past the blob's end) no longer fits in two bytes.

    aliases = ("a" * (size - 4), "b", "c")  # two separators: size bytes in all
    made = Organisation(id="organisation:x", name="X", aliases=aliases)
    assert [made.alias_at(i) for i in (0, 1, 2, -1)] == [*aliases, "c"]


def test_ids_unique_across_kinds() -> None:
    ids = [e.id for e in geonorm.entities()]
    assert len(ids) == len(set(ids))
    assert all(e.id.startswith(e.kind + ":") for e in geonorm.entities())


def test_typed_resolvers() -> None:
    assert isinstance(geonorm.currencies.resolve("euro"), Currency)
    assert geonorm.currencies.get("country:IN") is None
    assert geonorm.countries.get("country:IN").alpha2 == "IN"
    assert "country:IN" in geonorm.countries
    assert len(geonorm.countries) >= 250
    assert all(isinstance(c, Country) for c in geonorm.countries)


def test_kind_none_competes() -> None:
    assert geonorm.resolve("Indian rupees").id == "currency:INR"
    assert geonorm.resolve("Russland").id == "country:RU"
    # ISO numeric 356 is both India and the rupee: a tie, so None.
    assert geonorm.resolve("356") is None
    assert {m.entity.kind for m in geonorm.candidates("356")} == {"country", "currency"}


def test_currency_details() -> None:
    inr = geonorm.get("currency:INR")
    assert isinstance(inr, Currency)
    assert geonorm.get("country:IN") in inr.countries
    assert not inr.historic
    dem = geonorm.resolve("Deutsche Mark", kind="currency")
    assert dem is not None and dem.code == "DEM" and dem.historic
    usd = geonorm.get("currency:USD")
    assert "$" in usd.symbols


def test_name_in() -> None:
    assert geonorm.get("country:DE").name_in("fr") == "Allemagne"
    assert geonorm.get("country:IN").name_in("ru") == "Индия"
    assert geonorm.get("currency:EUR").name_in("de") == "Euro"
    with pytest.raises(ValueError):
        geonorm.get("country:DE").name_in("xx_notalocale")


@pytest.mark.parametrize("bad", [None, 42, b"India", ["India"]])
def test_non_str_is_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="must be a str"):
        geonorm.resolve(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a str"):
        geonorm.candidates(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("blank", ["", " ", "\t\n", "\u200b", "...", "\u202e\u200d"])
def test_blank_is_none(blank: str) -> None:
    assert geonorm.resolve(blank) is None
    assert geonorm.candidates(blank) == []


def test_bad_kind_and_hints() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        geonorm.resolve("India", kind="planet")
    with pytest.raises(TypeError, match="unknown hint"):
        geonorm.resolve("Rs", kind="currency", colour="red")
    with pytest.raises(ValueError, match="not a country"):
        geonorm.resolve("Rs", kind="currency", country="Atlantis")
    assert geonorm.resolve("Rs", kind="currency", country=geonorm.get("country:LK")).code == "LKR"


def test_huge_and_hostile_input() -> None:
    start = time.perf_counter()
    assert geonorm.resolve("India" * 200_000) is None
    assert geonorm.resolve("a" * 1_000_000, fuzzy=True) is None
    assert time.perf_counter() - start < 1.0
    for text in ["In\u200ddia", "\u202eIndia\u202c", "India 🇮🇳", "I\u0301ndia", "\x00India\x00", "\ud83dIndia"]:
        geonorm.candidates(text, fuzzy=True, metonyms=True)  # never raises
    assert geonorm.resolve("\u202eIndia\u202c", kind="country").alpha2 == "IN"


def test_registry_isolation() -> None:
    mine = geonorm.Registry()
    mine.add_alias("country:GB", "Blighty")
    assert mine.resolve("Blighty", kind="country").alpha2 == "GB"
    assert geonorm.resolve("Blighty", kind="country") is None
    assert "Blighty" in mine.get("country:GB").aliases
    assert "Blighty" not in geonorm.get("country:GB").aliases
    with pytest.raises(KeyError):
        mine.add_alias("country:ZZ", "Nowhere")


def test_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "geonorm", "Bharat", "₹", "Congo", "Atlantis"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out[0] == "Bharat\tcountry\tcountry:IN\tIndia"
    assert out[1].startswith("₹\tcurrency\tcurrency:INR\t")
    assert out[2].startswith("Congo\tambiguous\t")
    assert out[3] == "Atlantis\tnone"


def test_import_is_cheap() -> None:
    code = (
        "import sys, geonorm; print('babel' in sys.modules, 'pycountry' in sys.modules, len(geonorm.shipped._SHIPPED))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "0"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("India", "country"),
        ("Congo", "country"),
        ("rupees", "currency"),
        ("Rosneft PJSC", "organisation"),
        ("S400", "weapon"),
        ("President Putin", "person"),
        ("USA", "country"),
        ("3.28", "currency"),
    ],
)
def test_fuzzy_keeps_the_exact_answer(text: str, kind: str) -> None:
    # An exact look-up answers the same with fuzzy=True (it takes the fast path too).
    assert geonorm.resolve(text, kind, fuzzy=True) == geonorm.resolve(text, kind)
