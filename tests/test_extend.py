"""Extending the tables: in code, from a user file, through an alias pack,
and what a malformed file does."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

import geonorm
from geonorm import Organisation, Registry, TableError


def test_add_entity_in_code() -> None:
    reg = Registry()
    org = reg.organisations.add(
        id="organisation:acme-arms",
        name="Acme Arms",
        type="company",
        country="IN",
        parent="organisation:ongc",
        aliases=["Acme Arms Pvt Ltd", "AAL"],
    )
    assert isinstance(org, Organisation)
    assert org.country == geonorm.get("country:IN")
    assert org.parent == geonorm.get("organisation:ongc")
    assert reg.resolve("Acme Arms Private Limited", kind="organisation") == org
    assert reg.resolve("AAL", kind="organisation") == org
    assert reg.resolve("aal", kind="organisation") is None  # acronyms stay case-sensitive
    assert org in list(reg.organisations)
    assert geonorm.resolve("Acme Arms", kind="organisation") is None  # other registries untouched


def test_add_alias_wins_over_shipped() -> None:
    reg = Registry()
    # "Georgia" is the country GE; a user working on US data can re-point it.
    reg.load_text(
        textwrap.dedent(
            """
            [[not_country]]
            names = ["Georgia"]
            reason = "our data is about US states"
            """
        )
    )
    assert reg.resolve("Georgia", kind="country") is None
    assert geonorm.resolve("Georgia", kind="country").alpha2 == "GE"
    reg.add_alias("country:GB", "Blighty")
    assert reg.resolve("blighty").id == "country:GB"


def test_user_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        textwrap.dedent(
            """
            as_of = "2026-11-01"

            [[organisation]]
            id = "organisation:example-drone-works"
            name = "Example Drone Works"
            type = "company"
            country = "UA"
            aliases = ["EDW", "Приклад Дрон"]

            [[weapon]]
            id = "weapon:example-x1"
            name = "Example X-1"
            category = "drone"
            origin = "UA"
            manufacturer = "organisation:example-drone-works"
            designations = ["EX-1"]

            [[person]]
            id = "person:vladimir-putin"
            name = "Vladimir Putin"
            aliases = ["VVP"]
            """
        ),
        encoding="utf-8",
    )
    reg = Registry()
    reg.load(path)
    x1 = reg.resolve("EX1", kind="weapon")
    assert x1 is not None and x1.name == "Example X-1"
    assert x1.manufacturer == reg.resolve("EDW", kind="organisation")
    assert reg.resolve("VVP", kind="person").id == "person:vladimir-putin"
    assert reg.resolve("Putin", kind="person").id == "person:vladimir-putin"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[organisation]\nid = 1", "not valid TOML"),
        ('[[organisation]]\nid = "organisation:x"\nname = "X"', "missing required field 'type'"),
        ('[[organisation]]\nid = "organisation:x"\nname = "X"\ntype = "bakery"', "unknown type 'bakery'"),
        ('[[organisation]]\nid = "organisation:x"\nname = "X"\ntype = "company"\ncolour = "red"', "unknown field"),
        (
            '[[organisation]]\nid = "organisation:x"\nname = "X"\ntype = "company"\nparent = "organisation:nope"',
            "parent 'organisation:nope' is not a known entity",
        ),
        (
            '[[organisation]]\nid = "organisation:x"\nname = "X"\ntype = "company"\naliases = "X Corp"',
            "must be a list of strings",
        ),
        ('[[country]]\nid = "country:QQ"\naliases = ["Qland"]', "is not a known country"),
        (
            '[[person]]\nid = "person:x"\nname = "X"\nroles = [{office = "x", title = "y", start = "2024-13-01"}]',
            "YYYY-MM-DD",
        ),
        ('[[organisation]]\nid = "Bad Id"\nname = "X"\ntype = "company"', "id must be organisation:"),
        ('[[pizza]]\nid = "pizza:x"', "unknown top-level key"),
    ],
)
def test_malformed_file_names_file_entry_and_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "broken.toml"
    # A good entry first: it must not stay behind when a later one fails.
    path.write_text(
        '[[organisation]]\nid = "organisation:good-one"\nname = "Good One"\ntype = "company"\n\n' + text,
        encoding="utf-8",
    )
    reg = Registry()
    with pytest.raises(TableError, match=message) as err:
        reg.load(path)
    assert str(path) in str(err.value)
    assert reg.get("organisation:good-one") is None
    assert reg.resolve("Good One", kind="organisation") is None


def test_colliding_user_names_rejected_whole() -> None:
    reg = Registry()
    with pytest.raises(TableError, match="already a strong name"):
        reg.load_text(
            '[[organisation]]\nid = "organisation:a-co"\nname = "Same Name"\ntype = "company"\n'
            '[[organisation]]\nid = "organisation:b-co"\nname = "Same Name"\ntype = "company"\n'
        )
    assert reg.get("organisation:a-co") is None


def test_non_file_and_huge_file(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="cannot read"):
        Registry().load(tmp_path / "missing.toml")
    big = tmp_path / "big.toml"
    with big.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    with pytest.raises(TableError, match="larger than"):
        Registry().load(big)


def test_alias_pack_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "geonorm_pack_demo"
    pkg.mkdir()
    (pkg / "tables.toml").write_text(
        '[[organisation]]\nid = "organisation:pack-demo-co"\nname = "Pack Demo Company"\ntype = "company"\n',
        encoding="utf-8",
    )
    (pkg / "__init__.py").write_text(
        "from pathlib import Path\n\ndef tables():\n    return [Path(__file__).with_name('tables.toml')]\n",
        encoding="utf-8",
    )
    dist = tmp_path / "geonorm_pack_demo-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: geonorm-pack-demo\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[geonorm.tables]\ndemo = geonorm_pack_demo:tables\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    reg = Registry()
    assert reg.load_packs() == ["demo"]
    assert reg.resolve("Pack Demo Company", kind="organisation").id == "organisation:pack-demo-co"
    sys.modules.pop("geonorm_pack_demo", None)


def test_add_alias_to_every_curated_kind() -> None:
    """Adding a name needs only the id: it raised "missing required field
    'name'" for organisations, people and weapons."""
    reg = Registry()
    for eid, alias in (
        ("organisation:rosneft", "Rosneftyanaya Test"),
        ("person:vladimir-putin", "Vova Testovich"),
        ("weapon:s-400", "Triumf Test System"),
    ):
        assert reg.add_alias(eid, alias).id == eid
        found = reg.resolve(alias)
        assert found is not None and found.id == eid


def test_a_language_file_adds_names_only() -> None:
    reg = Registry()
    reg.load_text('language = "de"\n[[organisation]]\nid = "organisation:rosneft"\naliases = ["Rosneft Testname"]\n')
    found = reg.resolve("Rosneft Testname")
    assert found is not None and found.id == "organisation:rosneft"
    with pytest.raises(TableError, match="only adds names"):
        reg.load_text('language = "de"\n[[organisation]]\nid = "organisation:x"\nname = "X"\ntype = "company"\n')


# -- Registry.extract: a registry's additions in running text ----------------------------


def _found(registry: Registry, text: str, **kw: object) -> list[tuple[str, str]]:
    return [(m.text, m.entity.id) for m in registry.extract(text, **kw)]  # type: ignore[arg-type]


def test_registry_extract_finds_additions_and_leaves_the_default_alone() -> None:
    mine = Registry()
    mine.add_alias("country:GB", "Blighty")
    mine.load_text(
        textwrap.dedent(
            """
            [[organisation]]
            id = "organisation:acme-rockets"
            name = "Acme Rockets"
            type = "company"
            country = "US"
            aliases = ["ACME", "Акме"]
            """
        )
    )
    text = "Back in Blighty, Acme Rockets (ACME) and Акме sold S-400s to India; the UK agreed."
    assert _found(mine, text) == [
        ("Blighty", "country:GB"),
        ("Acme Rockets", "organisation:acme-rockets"),
        ("ACME", "organisation:acme-rockets"),
        ("Акме", "organisation:acme-rockets"),
        ("S-400s", "weapon:s-400"),
        ("India", "country:IN"),
        ("UK", "country:GB"),
    ]
    # The entity carries the registry's names; kinds still filter.
    first = mine.extract(text)[0]
    assert "Blighty" in first.entity.aliases
    assert _found(mine, text, kinds={"organisation"}) == [
        ("Acme Rockets", "organisation:acme-rockets"),
        ("ACME", "organisation:acme-rockets"),
        ("Акме", "organisation:acme-rockets"),
    ]
    # Acronyms added in capitals match only in capitals, like shipped ones.
    assert _found(mine, "acme and Acme.") == []
    assert geonorm.extract("Back in Blighty, Acme Rockets said.") == []
    assert _found(Registry(), "Back in Blighty, India said.") == [("India", "country:IN")]


def test_registry_extract_sees_later_additions_and_not_names() -> None:
    mine = Registry()
    assert _found(mine, "Georgia and Ruritania signed.") == [("Georgia", "country:GE")]
    mine.load_text('[[not_country]]\nreason = "the US state in our data"\nnames = ["Georgia"]\n')
    assert _found(mine, "Georgia and Ruritania signed.") == []
    mine.add_alias("country:GB", "Ruritania")
    assert _found(mine, "Georgia and Ruritania signed.") == [("Ruritania", "country:GB")]
    # A name the shipped tables also know keeps both candidates: the added one wins.
    mine.add_alias("country:FR", "Gaul", weak=False)
    assert _found(mine, "Gaul and France.") == [("Gaul", "country:FR"), ("France", "country:FR")]


def test_registry_extract_refers_back_to_an_added_person() -> None:
    # An added person's bare surname is a pattern of the registry's own
    # automata: a mention after the full name, in the case the text writes it.
    mine = Registry()
    mine.add("person", id="person:ada-qwertyuk", name="Ada Qwertyuk", aliases=["Ada Kvertyuk"])
    text = "Qwertyuk first. Ada Qwertyuk met Vladimir Putin; Qwertyuk, QWERTYUK and Putin agreed. Kvertyuk left."
    found = [(m.text, m.entity.id, m.how) for m in mine.extract(text)]
    assert found == [
        ("Ada Qwertyuk", "person:ada-qwertyuk", "alias"),
        ("Vladimir Putin", "person:vladimir-putin", "alias"),
        ("Qwertyuk", "person:ada-qwertyuk", "coreference"),
        ("QWERTYUK", "person:ada-qwertyuk", "coreference"),
        ("Putin", "person:vladimir-putin", "coreference"),
    ]
    # The other alias's surname refers back after that alias.
    assert [m.text for m in mine.extract("Ada Kvertyuk spoke. Kvertyuk left.")] == ["Ada Kvertyuk", "Kvertyuk"]
    assert geonorm.extract("Ada Qwertyuk arrived. Qwertyuk said.") == []


def test_module_extract_is_the_default_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    assert geonorm.extract("Trade with Freedonia rose.") == []
    registry = Registry()
    registry.add_alias("country:FR", "Freedonia")
    monkeypatch.setattr(geonorm, "default_registry", registry)
    assert [(m.text, m.entity.id) for m in geonorm.extract("Trade with Freedonia rose.")] == [
        ("Freedonia", "country:FR")
    ]


def test_holders_see_a_registry_s_later_additions() -> None:
    mine = Registry()

    def holders(on: str) -> set[str]:
        with pytest.warns(geonorm.StaleDataWarning):  # a day past the tables' as-of date
            return {p.id for p in mine.people.holders("Defence Minister", country="RU", on=on)}

    before = holders("2031-06-01")
    mine.load_text(
        textwrap.dedent(
            """
            [[person]]
            id = "person:jane-doe"
            name = "Jane Doe"
            country = "RU"
            [[person.roles]]
            office = "defence_minister"
            title = "Minister of Defence"
            country = "RU"
            start = "2031-01-01"
            """
        )
    )
    assert holders("2031-06-01") == before | {"person:jane-doe"}
    assert "person:jane-doe" not in holders("2030-06-01")
    with pytest.warns(geonorm.StaleDataWarning):
        shipped = geonorm.people.holders("Defence Minister", country="RU", on="2031-06-01")
    assert "person:jane-doe" not in {p.id for p in shipped}
