"""Invariants of the organisation, person and weapon tables, and office holders."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest

import geonorm
from geonorm import Country, Organisation, Person, Weapon
from geonorm.kinds.weapon import _LOOKALIKE, _NOT_CYRILLIC_LETTER, designator_key


def test_issue_examples_organisations() -> None:
    bdl = geonorm.resolve("BDL", kind="organisation")
    assert bdl.name == "Bharat Dynamics Limited"
    assert bdl.country == geonorm.get("country:IN")
    assert geonorm.resolve("Rosneft PJSC", kind="organisation") == geonorm.resolve("Роснефть", kind="organisation")
    assert geonorm.resolve("Gazprom", kind="organisation") != geonorm.resolve("GazpromNeft", kind="organisation")
    assert geonorm.organisations.resolve("ONGC Videsh Ltd").parent == geonorm.resolve("ONGC", kind="organisation")
    assert geonorm.resolve("Ministry of Defence", kind="organisation") is None
    mod = geonorm.resolve("Ministry of Defence", kind="organisation", country="IN")
    assert mod is not None and mod.country == geonorm.get("country:IN")
    assert len(geonorm.candidates("IOC", kind="organisation")) >= 2
    assert geonorm.resolve("IOC", kind="organisation") is None


def test_issue_examples_people() -> None:
    p = geonorm.resolve("Russian President Vladimir Putin", kind="person")
    assert isinstance(p, Person)
    assert (p.name, p.country) == ("Vladimir Putin", geonorm.get("country:RU"))
    assert geonorm.resolve("Владимир Путин", kind="person") == p
    assert geonorm.resolve("Vladimir Poutine", kind="person") == p
    assert geonorm.resolve("Dmitri Peskov", kind="person").name == "Dmitry Peskov"
    assert geonorm.people.holder("Defence Minister", country="RU", on="2023-01-01").name == "Sergei Shoigu"
    assert geonorm.people.holder("Defence Minister", country="RU", on="2025-06-04").name == "Andrei Belousov"
    assert all(isinstance(r.title, str) and r.start for r in p.roles)
    assert geonorm.resolve("Singh", kind="person") is None


def test_issue_examples_weapons() -> None:
    s400 = geonorm.resolve("SA-21 Growler", kind="weapon")
    assert isinstance(s400, Weapon)
    assert s400.name == "S-400 Triumf"
    assert s400.origin == geonorm.get("country:RU")
    assert s400.manufacturer == geonorm.resolve("Almaz-Antey", kind="organisation")
    for s in ["S400", "S 400", "S-400s", "Triumf", "С-400 «Триумф»"]:
        assert geonorm.resolve(s, kind="weapon") == s400, s
    assert geonorm.resolve("S-500 Prometheus", kind="weapon") != s400
    assert geonorm.resolve("Geran-2", kind="weapon").name == "Shahed-136"
    assert geonorm.resolve("Su-57E", kind="weapon").family == geonorm.resolve("Su-57", kind="weapon")
    assert geonorm.resolve("T-50", kind="weapon") is None
    assert len(geonorm.candidates("T-50", kind="weapon")) >= 2


@pytest.mark.parametrize("kind", ["organisation", "person", "weapon"])
def test_entities_never_merge(kind: str) -> None:
    """Every entity's own canonical name resolves to itself, never to another."""
    wrong = []
    for ent in geonorm.entities(kind):
        got = geonorm.resolve(ent.name, kind=kind)
        if got is not None and got != ent:
            wrong.append(f"{ent.name!r}: {ent.id} -> {got.id}")
    assert not wrong, "\n".join(wrong)


def test_parent_and_subsidiary_never_merge() -> None:
    pairs = [(o, o.parent) for o in geonorm.organisations if isinstance(o, Organisation) and o.parent]
    assert len(pairs) > 20
    for child, parent in pairs:
        assert geonorm.resolve(child.name, kind="organisation") != parent, child.id


def test_weapon_references_resolve() -> None:
    for w in geonorm.weapons:
        if w.manufacturer is not None:
            assert isinstance(w.manufacturer, Organisation)
            assert geonorm.get(w.manufacturer.id) == w.manufacturer
            assert w.manufacturer in [m.entity for m in geonorm.candidates(w.manufacturer.name, kind="organisation")]
        if w.origin is not None:
            assert isinstance(w.origin, Country)
        if w.family is not None:
            assert isinstance(w.family, Weapon) and w.family != w


def test_table_sizes() -> None:
    assert len(geonorm.organisations) >= 800
    assert len(geonorm.people) >= 800
    assert len(geonorm.weapons) >= 500


def test_holder_input_errors() -> None:
    with pytest.raises(ValueError, match="unknown office"):
        geonorm.people.holder("Chief Wizard", country="RU", on="2024-01-01")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        geonorm.people.holder("Defence Minister", country="RU", on="last Tuesday")
    with pytest.raises(TypeError):
        geonorm.people.holder("Defence Minister", country="RU", on=20240101)
    assert geonorm.people.holder("defence_minister", country="RU", on=dt.date(2023, 1, 1)).name == "Sergei Shoigu"


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("M. Sharif", {"person:nawaz-sharif", "person:shehbaz-sharif"}),
        ("L. Yong", {"person:lee-jae-yong", "person:rhee-chang-yong"}),
        ("C. Cheng", {"person:chang-san-cheng", "person:chiu-kuo-cheng"}),
    ],
)
def test_initials_that_fit_several_people_are_a_tie(text: str, people: set[str]) -> None:
    # Each of them was once the answer, whichever the keys' order put first.
    found = geonorm.candidates(text, kind="person")
    assert {m.entity.id for m in found} == people
    assert len({m.score for m in found}) == 1
    assert geonorm.resolve(text, kind="person") is None
    assert geonorm.resolve(text) is None


@pytest.mark.parametrize(
    ("text", "person"),
    [("V. Putin", "person:vladimir-putin"), ("N Modi", "person:narendra-modi"), ("I. Aliyev", "person:ilham-aliyev")],
)
def test_initials_that_fit_one_person_name_them(text: str, person: str) -> None:
    assert geonorm.resolve(text, kind="person").id == person
    assert geonorm.resolve(text).id == person


def test_no_two_people_share_a_strong_name() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for p in geonorm.people:
        owners[p.name].add(p.id)
    assert not {n: ids for n, ids in owners.items() if len(ids) > 1}


@pytest.mark.parametrize("text", ["22", "let", "boe", "bot", "sas", "plc", "ltd"])
def test_common_words_and_legal_forms_are_no_organisation(text: str) -> None:
    assert geonorm.resolve(text, kind="organisation") is None


@pytest.mark.parametrize("name", ["F-15 Eagle", "F/A-18 Hornet", "AV-8B Harrier II", "AH-64 Apache"])
def test_mcdonnell_douglas_made_them_and_boeing_owns_it_since_1997(name: str) -> None:
    weapon = geonorm.resolve(name, kind="weapon")
    assert weapon is not None and weapon.manufacturer is not None  # type: ignore[attr-defined]
    assert weapon.manufacturer.id == "organisation:mcdonnell-douglas"  # type: ignore[attr-defined]
    assert weapon.manufacturer.parent.id == "organisation:boeing"  # type: ignore[attr-defined]


def test_the_designator_key_reads_look_alike_letters_only_where_a_word_mixes_scripts_or_precedes_a_number() -> None:
    """designator_key skips its per-word reading where a key with Cyrillic
    letters has no other letter or digit: the same keys as reading every
    word, over random keys of Cyrillic, Latin, digits and other scripts."""

    def per_word(k: str) -> str:
        if k.isascii():
            return k.replace(" ", "")
        words = k.split()
        for i, w in enumerate(words):
            if any("\u0400" <= c <= "\u04ff" for c in w):
                lone = len(w) == 1 and i + 1 < len(words) and words[i + 1][:1].isdigit()
                if lone or _NOT_CYRILLIC_LETTER.search(w):
                    words[i] = w.translate(_LOOKALIKE)
        return "".join(words)

    rng = random.Random(11)
    alphabet = "сасрвмкиуеонтх" + "scapbmkyeonth" + "0123456789" + "²٣" + "中ا" + "   -\t\xa0"
    keys = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 10))) for _ in range(50_000)]
    keys += ["с 400", "бук м1", "ан 2", "су 57", "ми 6", "с 3", "мig 29", "пао лукоил", "中国", "x²"]
    keys += ["ан\tбм", "ан\xa0бм", "s 400\t"]  # other spaces: a key beyond ASCII splits at them
    for k in keys:
        assert designator_key(k) == per_word(k), k
    assert designator_key("с 400") == "s400" and designator_key("пао лукоил") == "паолукоил"
