"""Data consistency: every shipped entity's canonical name finds it.

With its kind, always. With no kind, too, unless ``shared.toml`` declares the
name shared with an entity of another kind; then the name stays a tie (None,
with the entity among the best candidates), never another entity. The compile
step checks the same on the index it writes
(:func:`geonorm.compile.checks.check_canonical_names`); these tests hold the
shipped tables to it at run time and pin the decisions taken for the names
that were ambiguous.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import geonorm
from geonorm.compile.build import DATA_DIR, build
from geonorm.compile.checks import SHARED_FILE, check_canonical_names, read_shared
from geonorm.index import index_name
from geonorm.model import Entity
from geonorm.tables import TableError
from geonorm.text import key

SHARED = read_shared(DATA_DIR / SHARED_FILE)

#: The canonical names that do not find their entity without a kind, each
#: declared in shared.toml with the reason: "DJI" (the drone maker; Djibouti's
#: alpha-3 code), "Eurofighter" (the company; the aircraft), "Rand" (ISO's
#: name of the South African rand; the RAND Corporation), "SOM" (the Turkish
#: cruise missile; Somalia's alpha-3 code).
ACCEPTED_TIES = {
    "organisation:dji",
    "organisation:eurofighter",
    "currency:ZAR",
    "weapon:som",
}


def _best(text: str, kind: str | None = None) -> set[str]:
    found = geonorm.candidates(text, kind)
    return {m.entity.id for m in found if m.score == found[0].score}


def test_every_canonical_name_finds_its_entity_with_its_kind() -> None:
    wrong = {
        e.id: (e.name, [m.entity.id for m in geonorm.candidates(e.name, e.kind)][:3])
        for e in geonorm.entities()
        if geonorm.resolve(e.name, kind=e.kind) != e
    }
    assert not wrong, wrong


def test_every_canonical_name_finds_its_entity_without_a_kind_or_is_a_declared_tie() -> None:
    ties: set[str] = set()
    wrong: dict[str, tuple[str, str | None]] = {}
    for e in geonorm.entities():
        found = geonorm.resolve(e.name)
        if found == e:
            continue
        declared = any(e.id in allowed for allowed in SHARED.get(key(e.name), ()))
        if declared and found is None and e.id in _best(e.name):
            ties.add(e.id)
        else:
            wrong[e.id] = (e.name, found.id if found else None)
    assert not wrong, wrong
    assert ties == ACCEPTED_TIES


@pytest.mark.parametrize("eid", sorted(ACCEPTED_TIES))
def test_accepted_ties_list_both_readings_and_resolve_with_a_kind(eid: str) -> None:
    entity = geonorm.get(eid)
    assert entity is not None
    best = _best(entity.name)
    assert eid in best and len({b.partition(":")[0] for b in best}) >= 2, best
    assert geonorm.resolve(entity.name, kind=entity.kind) == entity


def _currency(code: str) -> Entity:
    found = geonorm.get(f"currency:{code}")
    assert found is not None
    return found


def test_the_som_of_kyrgyzstan_is_named_apart_from_the_uzbek_som() -> None:
    kgs, uzs = _currency("KGS"), _currency("UZS")
    assert kgs.name == "Kyrgyzstani Som"  # ISO 4217: "Som", which UZS shares
    assert uzs.name == "Uzbekistan Sum"  # ISO 4217's own
    for text in ("Kyrgyzstani som", "Kyrgyz som", "Kyrgystani Som", "KGS"):
        assert geonorm.resolve(text, kind="currency") == kgs, text
    # The bare word stays ambiguous between the two.
    assert geonorm.resolve("Som", kind="currency") is None
    assert _best("som", "currency") == {"currency:KGS", "currency:UZS"}


def test_bolivar_soberano_is_the_bolivar_and_the_2021_code_is_the_digital_bolivar() -> None:
    ves, ved = _currency("VES"), _currency("VED")
    assert ves.name == "Bolívar Soberano"  # ISO 4217's name of VES (and of VED)
    assert ved.name == "Venezuelan Digital Bolívar"
    for text in ("Bolívar Soberano", "bolivar soberano", "bolívares soberanos", "Bolívar Soberanos"):
        assert geonorm.resolve(text) == ves, text
    assert "currency:VED" in {m.entity.id for m in geonorm.candidates("Bolívar Soberano")}
    for text in ("Venezuelan Digital Bolívar", "digital bolívar", "bolívar digital", "bolívares digitales", "VED"):
        assert geonorm.resolve(text) == ved, text


def _shipped_texts() -> dict[str, str]:
    return {
        kind: (DATA_DIR / "index" / index_name(kind)).read_text(encoding="utf-8")
        for kind in ("country", "currency", "organisation", "person", "weapon")
    }


def test_the_compile_check_passes_on_the_shipped_index_and_leaves_the_tables_as_they_were() -> None:
    kgs = _currency("KGS")
    check_canonical_names(_shipped_texts(), SHARED)
    assert geonorm.get("currency:KGS") is kgs
    assert geonorm.resolve("Kyrgyz som") is kgs


def test_the_compile_check_wants_a_declaration_for_a_tie_across_kinds() -> None:
    with pytest.raises(TableError) as err:
        check_canonical_names(_shipped_texts(), {})
    message = str(err.value)
    for eid in ACCEPTED_TIES:
        assert eid in message
    assert "declare the sharing in shared.toml" in message
    assert "does not find it with kind=" not in message


def test_the_compile_step_fails_on_a_canonical_name_its_kind_cannot_find(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("index"))
    others = data / "currencies" / "others.toml"
    text = others.read_text(encoding="utf-8")
    assert 'name = "Kyrgyzstani Som"\n' in text
    others.write_text(text.replace('name = "Kyrgyzstani Som"\n', ""), encoding="utf-8")
    with pytest.raises(TableError, match=r"\(currency:KGS\): its name 'Som' does not find it with kind='currency'"):
        build(data)
    assert geonorm.resolve("Kyrgyz som") == _currency("KGS")
