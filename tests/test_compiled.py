"""Compiled user tables (geonorm.compile_table, Registry.load_compiled): the
same answers as loading the tables they were compiled from, and a clear
error for every file that is not a sound compiled table of this version."""

from __future__ import annotations

import json
import pickle
import random
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import geonorm
from geonorm import Registry, TableError
from geonorm.compiled import VERSION, read_compiled
from geonorm.kinds import SPECS
from geonorm.resolution import _AVAILABLE
from geonorm.tables import MAX_LINK_DEPTH

# Entries with every feature the look-ups weigh: acronyms, weak names, a
# name two entities share, names in other scripts, parents, roles, names
# for shipped entities, names blocked.
_TRICKY = """
as_of = 2026-06-01

[[organisation]]
id = "organisation:kestrel-arms"
name = "Kestrel Arms"
type = "company"
country = "IN"
aliases = ["Kestrel Arms Pvt Ltd", "KAL", "Кестрел Армс"]
weak_aliases = ["Kestrel"]

[[organisation]]
id = "organisation:kestrel-arms-east"
name = "Kestrel Arms East"
type = "company"
parent = "organisation:kestrel-arms"

[[organisation]]
id = "organisation:kestrel-bank"
name = "Kestrel Bank"
type = "company"
weak_aliases = ["Kestrel"]

[[organisation]]
id = "organisation:orbit-one"
name = "Orbit One"
type = "company"
aliases = ["The Orbit Group", "OOG"]

[[person]]
id = "person:mira-talovin"
name = "Mira Talovin"
country = "RU"
aliases = ["Мира Таловин", "Mira V. Talovin"]
[[person.roles]]
office = "ceo"
title = "Chief Executive"
organisation = "organisation:kestrel-arms"
start = 2021-03-01

[[person]]
id = "person:mark-talovin"
name = "Mark Talovin"

[[person]]
id = "person:zed-two"
name = "Zed Two"

[[weapon]]
id = "weapon:kx-9-kestrel"
name = "KX-9 Kestrel"
category = "cruise_missile"
origin = "IN"
manufacturer = "organisation:kestrel-arms"
designations = ["KX-9", "KX9"]

[[organisation]]
id = "organisation:zed-two"
name = "Zed Two"
type = "company"
aliases = ["ZTW"]
weak_aliases = ["Ztw"]

[[organisation]]
id = "organisation:qrx-labs"
name = "Qrx Labs"
type = "company"
aliases = ["QRX", "Qrx"]

[[organisation]]
id = "organisation:kestrel-oil"
name = "Kestrel Oil Works"
type = "company"
parent = "organisation:ongc"

[[weapon]]
id = "weapon:kx-400"
name = "KX-400 Kestrel"
category = "surface_to_air_missile"
family = "weapon:s-400"

[[weapon]]
id = "weapon:s-400"
name = "S-400 Triumf"
category = "air_defence_system"
designations = ["ZQ-77"]

[[country]]
id = "country:GB"
aliases = ["Blighty"]

[[organisation]]
id = "organisation:ongc"
aliases = ["Oil Co of India"]

[[not_country]]
names = ["Georgia"]
reason = "US states"
"""

_SYLLABLES = ["ka", "lo", "vin", "ra", "sek", "dor", "mi", "zan", "tu", "ber", "os", "el"]


def _synthetic(n: int, seed: int = 7) -> str:
    """``n`` invented people and organisations, as a table."""
    rng = random.Random(seed)
    out = []
    seen = set()
    while len(seen) < n:
        first = "".join(rng.choice(_SYLLABLES) for _ in range(2)).title()
        last = "".join(rng.choice(_SYLLABLES) for _ in range(3)).title()
        name = f"{first} {last}"
        if name in seen:
            continue
        seen.add(name)
        i = len(seen)
        if i % 2:
            out.append(f'[[person]]\nid = "person:syn-{i}"\nname = "{name}"\n')
        else:
            out.append(f'[[organisation]]\nid = "organisation:syn-{i}"\nname = "{name} Holdings"\ntype = "company"\n')
    return "\n".join(out)


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    d = tmp_path_factory.mktemp("compiled")
    (d / "tricky.toml").write_text(textwrap.dedent(_TRICKY), encoding="utf-8")
    (d / "many.toml").write_text(_synthetic(400), encoding="utf-8")
    counts = geonorm.compile_table([d / "tricky.toml", d / "many.toml"], d / "all.compiled")
    assert counts == {"organisation": 207, "person": 203, "weapon": 2}
    return d / "tricky.toml", d / "many.toml", d / "all.compiled"


@pytest.fixture(scope="module")
def both(tables: tuple[Path, Path, Path]) -> tuple[Registry, Registry]:
    tricky, many, compiled = tables
    loaded = Registry()
    loaded.load(tricky)
    loaded.load(many)
    fast = Registry()
    fast.load_compiled(compiled)
    return loaded, fast


def _queries(loaded: Registry) -> tuple[list[str], list[str]]:
    """Queries as written in the tables and in their common variants; and
    queries in the people's fallback forms (initials, surname first)."""
    names = [a for e in loaded.entities() if not geonorm.get(e.id) for a in e.aliases]
    names += ["Blighty", "Oil Co of India", "ONGC", "India", "the UK", "Georgia", "Kestrel", "kal"]
    plain: list[str] = []
    people: list[str] = []
    for a in names:
        words = a.split()
        plain += [a, a.upper(), a.lower(), f"the {a}", f"{a}'s", f"{a} (company)"]
        plain.append(f"{words[-1]}, {' '.join(words[:-1])}")
        if len(words) >= 2:
            people += [f"{words[0][0]}. {words[-1]}", " ".join(reversed(words)), f"President {a}"]
    plain += ["Orbit Group", "Kestrl Arms", "KX 9", "K X 9", "Nothing at all", "", "  "]
    return plain, people


def test_answers_are_those_of_the_tables_it_was_compiled_from(both: tuple[Registry, Registry]) -> None:
    loaded, fast = both
    plain, _ = _queries(loaded)
    assert len(plain) > 2000
    for q in plain:
        for kind in (None, "organisation", "person", "weapon", "country"):
            assert fast.resolve(q, kind) == loaded.resolve(q, kind), (q, kind)
        want = [(m.entity.id, m.score, m.how, m.alias, m.weak) for m in loaded.candidates(q)]
        got = [(m.entity.id, m.score, m.how, m.alias, m.weak) for m in fast.candidates(q)]
        assert got == want, q
    for q in ("Kestrl Arms", "Kestrel Armss", "Orbit Onne"):
        assert fast.resolve(q, "organisation", fuzzy=True) == loaded.resolve(q, "organisation", fuzzy=True)


def test_people_fallbacks_are_those_of_loaded_names(both: tuple[Registry, Registry]) -> None:
    # The fallback keys (titles, initials, surname first) are derived over
    # the shipped keys, for a compiled table as for names added by load().
    loaded, fast = both
    _, people = _queries(loaded)
    for q in people:
        assert fast.resolve(q) == loaded.resolve(q), q
        assert fast.resolve(q, "person") == loaded.resolve(q, "person"), q
        assert [m.entity.id for m in fast.candidates(q)] == [m.entity.id for m in loaded.candidates(q)], q
    assert fast.resolve("Talovin, Mira") == fast.get("person:mira-talovin")  # an inversion: a common fallback


def test_ambiguity_and_case_rules_hold(both: tuple[Registry, Registry]) -> None:
    _, fast = both
    assert fast.resolve("Kestrel") is None  # a weak name of two entities: a tie
    assert {m.entity.id for m in fast.candidates("Kestrel")} >= {
        "organisation:kestrel-arms",
        "organisation:kestrel-bank",
    }
    assert fast.resolve("KAL").id == "organisation:kestrel-arms"  # type: ignore[union-attr]
    assert fast.resolve("kal") is None or fast.resolve("kal").id != "organisation:kestrel-arms"  # type: ignore[union-attr]
    assert fast.resolve("Georgia", kind="country") is None  # the table's not-list
    assert fast.resolve("Blighty").id == "country:GB"  # type: ignore[union-attr]
    assert fast.resolve("Oil Co of India").id == "organisation:ongc"  # type: ignore[union-attr]
    assert fast.resolve("ZQ-77").id == "weapon:s-400"  # a shipped entity's name given in a definition
    # One entity's aliases under one key ("QRX", "Qrx"): each counts.
    assert fast.resolve("qrx").id == fast.resolve("QRX").id == "organisation:qrx-labs"  # type: ignore[union-attr]
    assert fast.resolve("ztw").id == "organisation:zed-two"  # type: ignore[union-attr]  # the weak "Ztw"
    assert geonorm.resolve("Kestrel Arms") is None  # other registries untouched


def test_a_key_of_two_kinds_is_found_in_each(both: tuple[Registry, Registry]) -> None:
    loaded, fast = both
    # "Zed Two": a person's and an organisation's name, one key of the table's index.
    table = fast._ov.compiled[0]
    assert table.named_by("zed two") is True and table.named_by("mark talovin") is not False
    assert fast.resolve("Zed Two", "person") == fast.get("person:zed-two") == loaded.resolve("Zed Two", "person")
    assert fast.resolve("Zed Two", "organisation").id == "organisation:zed-two"  # type: ignore[union-attr]
    assert fast.resolve("Zed Two") is loaded.resolve("Zed Two") is None  # two kinds, equal: a tie
    assert {m.entity.id for m in fast.candidates("Zed Two")} == {"person:zed-two", "organisation:zed-two"}
    assert len(fast._ov.compiled[0].kinds["person"].keys) == len(list(fast._ov.compiled[0].kinds["person"].keys))
    # A weapon's key is its refinement: "kx 9" is "kx9" among the weapons alone.
    assert table.named_by("kx 9") is not False and table.named_by("kx9") is not False
    assert fast.resolve("KX 9") == fast.resolve("KX9") == fast.get("weapon:kx-9-kestrel")


def test_entities_references_and_get(both: tuple[Registry, Registry]) -> None:
    loaded, fast = both
    assert sorted(e.id for e in fast.entities()) == sorted(e.id for e in loaded.entities())
    assert len(fast.organisations) == len(loaded.organisations)
    for eid in (
        "organisation:kestrel-arms-east",
        "organisation:kestrel-oil",  # its parent is shipped
        "person:mira-talovin",
        "weapon:kx-9-kestrel",
        "weapon:kx-400",  # its family is shipped
        "organisation:ongc",
    ):
        assert fast.get(eid) == loaded.get(eid)
    east = fast.get("organisation:kestrel-arms-east")
    assert east is not None and east.parent is not None and east.parent.country == geonorm.get("country:IN")
    assert fast.get("organisation:nothing-like-it") is None
    mira = next(p for p in fast.people if p.id == "person:mira-talovin")
    assert mira.roles[0].organisation == fast.get("organisation:kestrel-arms")


def test_extract_finds_the_compiled_names(both: tuple[Registry, Registry]) -> None:
    loaded, fast = both
    some = [e.name for e in loaded.entities("person") if e.id.startswith("person:syn-")][:5]
    text = (
        f"NEW DELHI (Reuters) - Kestrel Arms said on Monday that {some[0]} and {some[1]} would visit "
        f"Blighty; Мира Таловин declined to comment. The KX-9 Kestrel was shown in India. {some[2]} agreed."
    )
    got = [(m.text, m.entity.id) for m in fast.extract(text)]
    assert got == [(m.text, m.entity.id) for m in loaded.extract(text)]
    assert ("Kestrel Arms", "organisation:kestrel-arms") in got
    assert ("Мира Таловин", "person:mira-talovin") in got
    assert [m.entity.id for m in geonorm.extract("Kestrel Arms said so.")] == []


def test_later_additions_layer_over_a_compiled_table(tables: tuple[Path, Path, Path]) -> None:
    reg = Registry()
    reg.load_compiled(tables[2])
    reg.add_alias("organisation:kestrel-arms", "Kestrel Defence")
    assert reg.resolve("Kestrel Defence").id == "organisation:kestrel-arms"  # type: ignore[union-attr]
    assert "Kestrel Defence" in reg.get("organisation:kestrel-arms").aliases  # type: ignore[union-attr]
    assert reg.resolve("Kestrel Arms").id == "organisation:kestrel-arms"  # type: ignore[union-attr]
    with pytest.raises(TableError, match="already a strong name of organisation:kestrel-arms"):
        reg.add("organisation", id="organisation:other", name="Kestrel Arms", type="company")
    assert [m.entity.id for m in reg.extract("Kestrel Defence won.")] == ["organisation:kestrel-arms"]


def test_additions_to_a_compiled_entity_keep_ties_and_ids(tables: tuple[Path, Path, Path]) -> None:
    loaded = Registry()
    loaded.load(tables[0])
    fast = Registry()
    fast.load_compiled(tables[2])
    for reg in (loaded, fast):
        reg.add_alias("organisation:kestrel-arms", "kestrel", weak=True)  # Kestrel Bank's weak name too
        assert reg.resolve("Kestrel") is None
        with pytest.raises(TableError, match="duplicate id"):
            reg.add("organisation", id="organisation:kestrel-arms", name="Another", type="company")
    want = [(m.entity.id, m.score, m.how, m.alias) for m in loaded.candidates("Kestrel")]
    assert [(m.entity.id, m.score, m.how, m.alias) for m in fast.candidates("Kestrel")] == want


def test_a_shipped_id_defined_in_a_table_is_defined_once(tables: tuple[Path, Path, Path]) -> None:
    loaded = Registry()
    loaded.load(tables[0])
    fast = Registry()
    fast.load_compiled(tables[2])
    for reg in (loaded, fast):
        with pytest.raises(TableError, match="duplicate id"):
            reg.add("weapon", id="weapon:s-400", name="S-400 Again", category="air_defence_system")
    only = tables[0].parent / "s400.toml"
    only.write_text(
        '[[weapon]]\nid = "weapon:s-400"\nname = "S-400 Triumf"\ncategory = "air_defence_system"\n'
        'designations = ["ZQ-77"]\n',
        encoding="utf-8",
    )
    geonorm.compile_table([only], only.with_suffix(".compiled"))
    again = Registry()
    again.load(only)
    with pytest.raises(TableError, match="duplicate id"):
        again.load_compiled(only.with_suffix(".compiled"))


def test_references_are_the_registry_s_versions_when_loaded(tables: tuple[Path, Path, Path]) -> None:
    loaded, fast = Registry(), Registry()
    for reg in (loaded, fast):
        reg.add_alias("organisation:ongc", "Oil and Natural Gas Corp of India")
    loaded.load(tables[0])
    fast.load_compiled(tables[2])
    child = fast.get("organisation:kestrel-oil")
    assert child == loaded.get("organisation:kestrel-oil")
    assert "Oil and Natural Gas Corp of India" in child.parent.aliases  # type: ignore[union-attr]


def test_a_second_table_may_not_reuse_a_strong_name(tmp_path: Path) -> None:
    for n, eid in enumerate(("organisation:alpha-one", "organisation:beta-two")):
        (tmp_path / f"{n}.toml").write_text(
            f'[[organisation]]\nid = "{eid}"\nname = "Quorra Group"\ntype = "company"\n', encoding="utf-8"
        )
        geonorm.compile_table([tmp_path / f"{n}.toml"], tmp_path / f"{n}.compiled")
    reg = Registry()
    reg.load_compiled(tmp_path / "0.compiled")
    with pytest.raises(TableError, match="already a strong name of organisation:alpha-one"):
        reg.load_compiled(tmp_path / "1.compiled")
    assert reg.resolve("Quorra Group").id == "organisation:alpha-one"  # type: ignore[union-attr]


def test_a_long_chain_of_parents_is_built(tmp_path: Path) -> None:
    def chain(links: int) -> str:
        rows = ['[[organisation]]\nid = "organisation:link-0"\nname = "Link Zero"\ntype = "company"\n']
        rows += [
            f'[[organisation]]\nid = "organisation:link-{i}"\nname = "Link Number {i}"\ntype = "company"\n'
            f'parent = "organisation:link-{i - 1}"\n'
            for i in range(1, links + 1)
        ]
        return "\n".join(rows)

    (tmp_path / "chain.toml").write_text(chain(MAX_LINK_DEPTH), encoding="utf-8")
    geonorm.compile_table([tmp_path / "chain.toml"], tmp_path / "chain.compiled")
    reg = Registry()
    reg.load_compiled(tmp_path / "chain.compiled")
    last = reg.resolve(f"Link Number {MAX_LINK_DEPTH}")
    depth = 0
    while last is not None and last.parent is not None:  # type: ignore[attr-defined]
        last, depth = last.parent, depth + 1  # type: ignore[attr-defined]
    assert depth == MAX_LINK_DEPTH and last is not None and last.id == "organisation:link-0"
    # A deeper chain is refused when it is compiled, naming the first entry past the limit.
    (tmp_path / "deep.toml").write_text(chain(1_500), encoding="utf-8")
    with pytest.raises(TableError, match=r"#102 \(organisation:link-101\): its parent links are 101 deep"):
        geonorm.compile_table([tmp_path / "deep.toml"], tmp_path / "deep.compiled")
    assert not (tmp_path / "deep.compiled").exists()


_FRESH = """
import sys, geonorm
reg = geonorm.Registry()
reg.load_compiled(sys.argv[1])
print(reg.resolve("Gazprom"), reg.resolve("Gazprom PJSC"))
"""


def test_a_not_list_is_keyed_as_a_load_keys_it(tmp_path: Path) -> None:
    # In a fresh process, where the organisations' legal forms are not yet loaded.
    (tmp_path / "not.toml").write_text('[[not_organisation]]\nnames = ["Gazprom PJSC"]\n', encoding="utf-8")
    geonorm.compile_table([tmp_path / "not.toml"], tmp_path / "not.compiled")
    done = subprocess.run(
        [sys.executable, "-c", _FRESH, str(tmp_path / "not.compiled")], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["None", "None"]


def test_a_second_load_of_the_same_ids_is_refused_whole(tables: tuple[Path, Path, Path]) -> None:
    reg = Registry()
    reg.load_compiled(tables[2])
    with pytest.raises(TableError, match="already defined"):
        reg.load_compiled(tables[2])
    reg2 = Registry()
    reg2.load(tables[0])
    with pytest.raises(TableError, match="already defined"):
        reg2.load_compiled(tables[2])
    assert reg2.resolve("Orbit One").id == "organisation:orbit-one"  # type: ignore[union-attr]
    assert reg2._ov.compiled == ()


def test_pickled_registry_reads_the_same_file(
    tables: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tables[2].parent)
    reg = Registry()
    reg.load_compiled(tables[2].name)  # a relative path
    monkeypatch.chdir(tmp_path)
    again = pickle.loads(pickle.dumps(reg))
    assert again.resolve("KX9").id == "weapon:kx-9-kestrel"  # type: ignore[union-attr]
    assert again.resolve("Blighty").id == "country:GB"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b"not json\n" + b, "not a compiled geonorm table"),
        (lambda b: b.replace(b'"version": %d' % VERSION, b'"version": 99', 1), "another layout"),
        (lambda b: b.replace(b'"version": %d' % VERSION, b'"version": %d' % (VERSION - 1), 1), "another layout"),
        (lambda b: b.replace(b'"geonorm": "', b'"geonorm": "0.0.0-', 1), "recompile it"),
        (lambda b: b[:-5] + b"xxxx\n", "damaged"),
        (lambda b: b[: len(b) // 2], "damaged"),
        # A byte of the keys (read into their index before the digest is
        # known) that is not UTF-8: damaged, as any other.
        (lambda b: b[: b.index(b"\n") + 1] + b"\xff" + b[b.index(b"\n") + 2 :], "damaged"),
        (lambda b: b"", "not a compiled geonorm table"),
    ],
)
def test_a_file_that_is_not_a_sound_compiled_table_is_refused(
    tables: tuple[Path, Path, Path], tmp_path: Path, damage: object, message: str
) -> None:
    bad = tmp_path / "bad.compiled"
    bad.write_bytes(damage(tables[2].read_bytes()))  # type: ignore[operator]
    reg = Registry()
    with pytest.raises(TableError, match=message):
        reg.load_compiled(bad)
    assert reg.resolve("Kestrel Arms") is None


_KEY_BLOCKS = ("key_bytes", "value_bytes", "kind_bytes", "several_bytes")


def _forge(data: bytes, kind: str, block: str | tuple[str, ...], edit: Any) -> bytes:
    """``data`` (a compiled table) with blocks edited (``entity_bytes``:
    those of ``kind``; the key blocks are the table's), its sizes and
    digest made consistent again: only the checks of the content can
    refuse it. The patterns after them are kept as they are."""
    import hashlib

    newline = data.index(b"\n")
    head = json.loads(data[:newline])
    names = (block,) if isinstance(block, str) else block
    parts: list[bytes] = []
    at = newline + 1
    sizes = [(head["keys"], name) for name in _KEY_BLOCKS] + [(part, "entity_bytes") for part in head["kinds"]]
    for where, name in sizes:
        part = data[at : at + where[name]]
        at += where[name]
        if name in names and (name != "entity_bytes" or where["kind"] == kind):
            part = edit(part)
            where[name] = len(part)
        parts.append(part)
    body = b"".join(parts)
    head["sha256"] = hashlib.sha256(body).hexdigest()
    return json.dumps(head).encode() + b"\n" + body + data[at:]


def _first_single(part: bytes, value: bytes) -> bytes:
    """The value block with its first entry that is not "several" replaced."""
    at = next(i for i in range(0, len(part), 17) if part[i : i + 16] != b"ffffffffffffffff")
    return part[:at] + value + part[at + 16 :]


def _reverse_first_several(part: bytes) -> bytes:
    """The several-entries block with the first list of entries of unequal
    scores put worst first."""
    from geonorm import index as ix

    lines = part.split(b"\n")
    for n, line in enumerate(lines):
        k, _, rest = line.partition(b"\t")
        code, _, packed = rest.partition(b"\t")
        entries = [int(e) for e in packed.split(b",")] if packed else []
        if len({ix.SCORES[(e >> 1) & 31] for e in entries}) > 1:
            lines[n] = k + b"\t" + code + b"\t" + b",".join(b"%d" % e for e in reversed(entries))
            return b"\n".join(lines)
    raise AssertionError("no key with entries of unequal scores")


class _OneEntryOfSeveralKinds:
    """An edit of the value and kinds blocks (in that order): the first key
    with one entry said to be of several kinds."""

    def __init__(self) -> None:
        self.values = b""

    def __call__(self, part: bytes) -> bytes:
        if not self.values:
            self.values = part  # the value block, as it is
            return part
        first = next(n for n in range(len(part) // 2) if self.values[n * 17 : n * 17 + 16] != b"f" * 16)
        return part[: 2 * first] + b"*" + part[2 * first + 1 :]


def _drop_a_kind(part: bytes) -> bytes:
    """The several-entries block without the first kind's line of the
    first key of several kinds."""
    lines = part.split(b"\n")
    keys = [line.partition(b"\t")[0] for line in lines]
    n = next(n for n in range(len(keys) - 1) if keys[n] == keys[n + 1])
    return b"\n".join(lines[:n] + lines[n + 1 :])


def _swap_lines(part: bytes, i: int, j: int) -> bytes:
    lines = part.split(b"\n")
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


@pytest.mark.parametrize(
    ("kind", "block", "edit", "message"),
    [
        # An entry of an unknown type (31), of an entity past the end.
        ("organisation", "value_bytes", lambda b: _first_single(b, b"%016x" % (31 << 1)), "unknown type"),
        ("organisation", "value_bytes", lambda b: _first_single(b, b"%016x" % (999_999 << 20)), "the table lacks"),
        # "Several entries" with none listed; a listed entry that is -1.
        ("organisation", "value_bytes", lambda b: _first_single(b, b"ffffffffffffffff"), "whose entries it does not"),
        ("organisation", "several_bytes", lambda b: b.replace(b",", b",-1,", 1), "no entries"),
        # Entity lines out of order, or of another kind.
        ("organisation", "entity_bytes", lambda b: _swap_lines(b, 0, 1), "sorted by id"),
        ("organisation", "entity_bytes", lambda b: b"person:aa\t{}\n" + b.split(b"\n", 1)[1], "of the kind"),
        # Keys and their entries in another order than the trie's (as another
        # marisa-trie might number them): read in this trie's order.
        ("organisation", ("key_bytes", "value_bytes", "kind_bytes"), lambda b: _swap_lines(b, 3, 300), None),
        ("organisation", "key_bytes", lambda b: b + b"extra\n", "do not hold"),
        # Several entries not best first.
        ("organisation", "several_bytes", _reverse_first_several, "out of order"),
        # A key of a kind the table lacks; a key of several kinds with the entries of one.
        ("organisation", "kind_bytes", lambda b: b"7" + b[1:], "a kind the table lacks"),
        ("organisation", ("value_bytes", "kind_bytes"), _OneEntryOfSeveralKinds(), "does not list"),
        ("organisation", "several_bytes", _drop_a_kind, "does not list"),
    ],
)
def test_a_consistent_but_malformed_body_is_refused_or_read_right(
    tables: tuple[Path, Path, Path],
    tmp_path: Path,
    kind: str,
    block: str | tuple[str, ...],
    edit: Any,
    message: str | None,
) -> None:
    data = tables[2].read_bytes()
    bad = tmp_path / "bad.compiled"
    forged = _forge(data, kind, block, edit)
    assert forged != data
    bad.write_bytes(forged)
    if message is None:
        # Keys in an order this trie does not number them in: read in its order.
        reg = Registry()
        reg.load_compiled(bad)
        fast = Registry()
        fast.load_compiled(tables[2])
        for e in fast.entities("organisation"):
            assert reg.resolve(e.name) == fast.resolve(e.name), e.name
        return
    with pytest.raises(TableError, match=message):
        read_compiled(bad)


def test_an_entry_naming_an_alias_its_entity_lacks_is_a_table_error(
    tables: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    from geonorm import index as ix

    def retarget(value: int) -> int:
        if value >= 0 and value >> ix.ENTITY_SHIFT == 0:
            return (value & ~(ix.ALIAS_MASK << ix.ALIAS_SHIFT)) | (60 << ix.ALIAS_SHIFT)
        return value

    def past_the_aliases(part: bytes) -> bytes:
        # Every entry of the first entity (Kestrel Arms) names its 60th alias.
        lines = part.split(b"\n")
        if b"\t" in part:  # the keys with several entries
            return b"\n".join(
                k + b"\t" + b",".join(b"%d" % retarget(int(e)) for e in packed.split(b",")) if packed else k
                for k, _, packed in (line.rpartition(b"\t") for line in lines)
            )
        return b"\n".join(b"%016x" % retarget(int(line, 16)) if line and line != b"f" * 16 else line for line in lines)

    bad = tmp_path / "bad.compiled"
    forged = _forge(tables[2].read_bytes(), "organisation", ("value_bytes", "several_bytes"), past_the_aliases)
    bad.write_bytes(forged)
    reg = Registry()
    reg.load_compiled(bad)
    assert reg.get("organisation:kestrel-arms") is not None
    with pytest.raises(TableError, match="names an alias organisation:kestrel-arms lacks"):
        reg.candidates("Kestrel Arms")
    # Extraction reads the table's patterns (sound, with their own digest),
    # not its keys.
    assert [m.entity.id for m in reg.extract("Kestrel Arms said so.")] == ["organisation:kestrel-arms"]


def test_a_malformed_header_or_entity_line_is_a_table_error(tables: tuple[Path, Path, Path], tmp_path: Path) -> None:
    data = tables[2].read_bytes()
    newline = data.index(b"\n")
    bad = tmp_path / "bad.compiled"
    head = json.loads(data[:newline])
    for rest in ([], "x", {"records": [["organisation", "organisation:ongc", {"aliases": "x"}]], "not": {}}):
        bad.write_bytes(json.dumps({**head, "rest": rest}).encode() + data[newline:])
        with pytest.raises(TableError, match="malformed header"):
            read_compiled(bad)
    bad.write_bytes(b"[" * 100_000 + b"\n")
    with pytest.raises(TableError):
        read_compiled(bad)
    kinds = [{**part, "entity_bytes": 2**62} if part["kind"] == "person" else part for part in head["kinds"]]
    bad.write_bytes(json.dumps({**head, "kinds": kinds}).encode() + data[newline:])
    with pytest.raises(TableError, match="do not add up"):
        read_compiled(bad)
    # An entity line that is not four fields, not JSON where JSON belongs,
    # or refers to nothing: refused when built.
    for line in (
        b"organisation:kestrel-arms\tnot json\n",
        b'organisation:kestrel-arms\tK\t\t{"type":"company"}\textra\n',
        b"organisation:kestrel-arms\tK\t\tnot json\n",
        b'organisation:kestrel-arms\tK\t\t["company"]\n',
        b'organisation:kestrel-arms\t\t\t{"type":"company"}\n',
        b'organisation:kestrel-arms\tK\t"K"\t{"type":"company"}\n',
        b'organisation:kestrel-arms\tK\t["K",7]\t{"type":"company"}\n',
        b'organisation:kestrel-arms\tK\t["Kestrel"]\t{"type":"company"}\n',
        b'organisation:kestrel-arms\tK\t["K"]\t{"type":"company"} x\n',
        b'organisation:kestrel-arms\tK\t\t{"type":"company","country":7}\n',
        b'organisation:kestrel-arms\tK\t\t{"type":"company","parent":"organisation:nowhere"}\n',
    ):
        bad.write_bytes(_forge(data, "organisation", "entity_bytes", lambda b, line=line: line + b.split(b"\n", 1)[1]))
        reg = Registry()
        reg.load_compiled(bad)
        with pytest.raises(TableError, match="compiled table"):
            reg.get("organisation:kestrel-arms")


def test_an_entity_line_with_spaces_in_its_json_reads_the_same(tables: tuple[Path, Path, Path], tmp_path: Path) -> None:
    data = tables[2].read_bytes()
    line = b'organisation:kestrel-arms\tK\t [ "K" , "KA" ] \t  { "type" : "company" }  \n'
    spaced = tmp_path / "spaced.compiled"
    spaced.write_bytes(_forge(data, "organisation", "entity_bytes", lambda b: line + b.split(b"\n", 1)[1]))
    reg = Registry()
    reg.load_compiled(spaced)
    found = reg.get("organisation:kestrel-arms")
    assert found is not None and (found.name, found.aliases, found.type) == ("K", ("K", "KA"), "company")


def test_invalid_tables_are_not_compiled(tmp_path: Path) -> None:
    src = tmp_path / "bad.toml"
    src.write_text('[[organisation]]\nid = "organisation:x"\nname = "X"\ntype = "company"\nparent = "organisation:n"\n')
    with pytest.raises(TableError, match="is not a known entity"):
        geonorm.compile_table([src], tmp_path / "out.compiled")
    assert not (tmp_path / "out.compiled").exists()
    with pytest.raises(TypeError):
        geonorm.compile_table(str(src), tmp_path / "out.compiled")  # type: ignore[arg-type]
    with pytest.raises(TableError, match="not a regular file"):
        Registry().load_compiled(tmp_path)


def test_compiling_is_deterministic(tables: tuple[Path, Path, Path], tmp_path: Path) -> None:
    geonorm.compile_table([tables[1], tables[0]], tmp_path / "again.compiled")
    assert (tmp_path / "again.compiled").read_bytes() == tables[2].read_bytes()


def test_readers_see_all_of_a_load_or_none_of_it(tmp_path: Path) -> None:
    import threading

    (tmp_path / "z.toml").write_text(
        '[[organisation]]\nid = "organisation:zeta-new"\nname = "Zeta Thingamajig"\ntype = "company"\n\n'
        '[[organisation]]\nid = "organisation:ongc"\nweak_aliases = ["Zeta Thingamajig"]\n',
        encoding="utf-8",
    )
    geonorm.compile_table([tmp_path / "z.toml"], tmp_path / "z.compiled")
    seen: set[str | None] = set()
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for _ in range(30):
            reg = Registry()
            stop = threading.Event()

            def read(reg: Registry = reg, stop: threading.Event = stop) -> None:
                while not stop.is_set():
                    found = reg.resolve("Zeta Thingamajig")
                    seen.add(found.id if found is not None else None)
                    found = reg.resolve("the Zeta Thingamajig", kind="organisation")  # the general path
                    seen.add(found.id if found is not None else None)

            readers = [threading.Thread(target=read) for _ in range(3)]
            for t in readers:
                t.start()
            reg.load_compiled(tmp_path / "z.compiled")
            stop.set()
            for t in readers:
                t.join()
    finally:
        sys.setswitchinterval(old)
    assert seen <= {None, "organisation:zeta-new"}


def test_the_entity_cache_keeps_at_most_its_size_then_starts_again(
    tables: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from geonorm import compiled

    monkeypatch.setattr(compiled, "ENTITY_CACHE_SIZE", 8)
    table = read_compiled(tables[2])
    people = table.kinds["person"].entities
    first = people[0]
    assert people[0] is first  # kept
    for i in range(1, 40):
        assert people[i].id == people.id_at(i)
        assert len(people._cache) <= 8
        assert set(people._cache) == set(range(i - i % 8, i + 1))  # full at eight: starts again
    assert set(people._cache) == set(range(32, 40))  # the last eight
    again = people[0]
    assert again is not first and again.id == first.id  # built again, the same entity


_SHORTCUT_FIELDS: list[dict[str, Any]] = [
    {},
    {"type": "company"},
    {"type": "company", "country": "country:NO"},
    {"type": "company", "parent": "organisation:elsewhere"},
    {"full_name": "Zed Orlov Talovin"},
    {"country": "country:NO"},
]


@pytest.mark.parametrize("kind", [kind for kind in sorted(SPECS) if SPECS[kind].of_fields is not None])
@pytest.mark.parametrize("fields", _SHORTCUT_FIELDS)
def test_a_record_the_kind_builds_as_it_is_builds_as_build_entity_builds_it(kind: str, fields: dict[str, Any]) -> None:
    # A compiled line is built by the kind's of_fields where it takes the
    # record (a person's names alone, an organisation's names and type):
    # the entity build_entity makes of it; a record it leaves (None) goes
    # the general way. Each kind with the shortcut takes one of these.
    import attrs

    from geonorm import shipped

    spec = SPECS[kind]
    assert spec.of_fields is not None
    for aliases in (("Zed Talovin",), ("Zed Talovin", "Z. Talovin", "Talovin Zed", "Зед Таловин")):
        made = spec.of_fields(f"{kind}:zed", "Zed Talovin", list(aliases), dict(fields))
        if made is None:
            continue
        raw = {"id": f"{kind}:zed", "name": "Zed Talovin", "aliases": list(aliases), **fields}
        built = spec.build_entity(raw, shipped.lookup)
        assert type(made) is type(built)
        for field in attrs.fields(type(built)):
            assert getattr(made, field.name) == getattr(built, field.name), field.name
    taken = [f for f in _SHORTCUT_FIELDS if spec.of_fields(f"{kind}:zed", "Zed", ["Zed"], dict(f)) is not None]
    assert len(taken) == 1  # and none that refers to another entity


def test_a_compiled_name_the_shipped_tables_have_too_is_weighed_with_them(tmp_path: Path) -> None:
    # New entities named by a shipped key as it is ("Rosneft") or by a
    # shipped weapon's key written with spaces ("S 400" of "s400"): with
    # kind=None the fast path weighs them against the shipped tables, as
    # loading the same file does. The table's keys that may be shipped ones
    # are derived once per state of the shipped tables.
    from geonorm import resolution

    source = tmp_path / "clash.toml"
    source.write_text(
        "".join(
            f'[[organisation]]\nid = "organisation:clash-{i}"\nname = "{name}"\ntype = "company"\n\n'
            for i, name in enumerate(["Rosneft", "S 400", "Su 30"])
        )
        + '[[organisation]]\nid = "organisation:clash-weak"\nname = "Zed Talovin Works"\ntype = "company"\n'
        + 'weak_aliases = ["India", "S 4 00"]\n',
        encoding="utf-8",
    )
    geonorm.compile_table([source], tmp_path / "clash.compiled")
    loaded, fast = Registry(), Registry()
    loaded.load(source)
    fast.load_compiled(tmp_path / "clash.compiled")
    queries = ["Rosneft", "ROSNEFT", "S 400", "S400", "S-400", "Su 30", "SU-30", "Zed Talovin Works", "India", "S 4 00"]

    def answers(registry: Registry) -> list[object]:
        return [(registry.resolve(q), [m.entity.id for m in registry.candidates(q)]) for q in queries]

    want = answers(loaded)
    assert answers(fast) == want
    assert all(len(ids) >= 2 for _, ids in want[:7])  # each a compiled entity and a shipped one
    # A weak alias of the table loses to the shipped name it is written as
    # (taken without weighing, it would be the answer).
    assert [getattr(want[i][0], "id", None) for i in (8, 9)] == ["country:IN", "weapon:s-400"]
    table = fast._ov.compiled[0]
    overlap = table.shipped_overlap
    assert overlap is not None
    shared = {table.index.trie.restore_key(i) for i in overlap[1]}
    assert {"rosneft", "s 400", "su 30", "india", "s 4 00"} <= shared
    assert "zed talovin works" not in shared
    # Another state of the shipped tables: derived again, the same answers.
    resolution.DERIVED.pop(resolution._DECISIONS, None)
    assert answers(fast) == want
    again = table.shipped_overlap
    assert again is not None and again[0] is not overlap[0] and again[1] == overlap[1]


def test_ids_of_takes_any_strings(tables: tuple[Path, Path, Path]) -> None:
    # Keys no table can hold ("\0", a lone surrogate, spaces) find nothing, without an error.
    table = read_compiled(tables[2])
    odd = ["", " ", "a\0b", "\ud800", "zed\ud800two", "zed two "]
    assert table.ids_of(odd, odd) == frozenset()
    # "Zed Two", a person and an organisation, is "zed two"; the organisation's is "zedtwo" too.
    assert table.ids_of([], ["zedtwo"]) == table.ids_of(["zed two", "zedtwo"])
    assert len(table.ids_of(["zed two", "zedtwo"])) == 2


def test_names_beyond_ascii_weigh_the_shipped_tables_too(tmp_path: Path) -> None:
    """A compiled table whose names beyond ASCII are shipped keys too
    (weak aliases "Россия", "Индия") or new ones: every kind at once weighs
    the shipped tables beside it, as the same table loaded does ("Россия"
    is Russia, the country's strong name outweighing a weak alias)."""
    (tmp_path / "cyr.toml").write_text(
        textwrap.dedent(
            """
            [[organisation]]
            id = "organisation:rossiya-holding"
            name = "Rossiya Holding"
            aliases = ["Россия Холдинг"]
            weak_aliases = ["Россия", "Индия", "ОДКБ"]
            type = "company"

            [[person]]
            id = "person:ivan-testov"
            name = "Ivan Testov"
            aliases = ["Иван Тестов", "Тестов"]
            """
        ),
        encoding="utf-8",
    )
    geonorm.compile_table([tmp_path / "cyr.toml"], tmp_path / "cyr.compiled")
    loaded, fast = Registry(), Registry()
    loaded.load(tmp_path / "cyr.toml")
    fast.load_compiled(tmp_path / "cyr.compiled")
    geonorm.resolve("Индия")
    shipped = sorted({k for _, table, *_ in geonorm.shipped.DERIVED[_AVAILABLE] for k, _ in table.key_ids()})
    names = ["Россия", "Индия", "ОДКБ", "Россия Холдинг", "Иван Тестов", "Тестов", *shipped[::25]]
    queries = [q for n in names for q in (n, n.upper(), n.lower(), f"({n})", f"{n},", f"the {n}")]
    assert len(queries) > 10_000
    for q in queries:
        assert fast.resolve(q) == loaded.resolve(q), q
    russia = fast.resolve("Россия")
    assert russia is not None and russia.id == "country:RU"
    assert fast.resolve("Россия Холдинг") == fast.get("organisation:rossiya-holding")


# A second table beside the first: a surname and weak names that the first
# has too, a shipped person's name, a weak name that is a shipped company's
# name, names in other scripts.
_BESIDE = """
[[person]]
id = "person:lena-talovin"
name = "Lena Talovin"
aliases = ["Лена Таловин"]

[[organisation]]
id = "organisation:kestrel-foods"
name = "Kestrel Foods"
type = "company"
weak_aliases = ["Kestrel"]

[[person]]
id = "person:putin-namesake"
name = "Vladimir Putin"
country = "FI"

[[organisation]]
id = "organisation:orbit-two"
name = "Orbit Two"
type = "company"
aliases = ["オービット", "轨道二号"]
weak_aliases = ["Ztw", "Rosneft"]
"""


def _extract_texts(regs: list[Registry]) -> list[str]:
    """Sentences as news writes them around every name of the tables and
    shipped names they meet: as written, in capitals, possessive, after
    "the", surnames after the full name, lists without spaces."""
    names = sorted({a for reg in regs for e in reg.entities() if not geonorm.get(e.id) for a in e.aliases})
    shipped = ["Vladimir Putin", "Putin", "India", "S-400", "Kremlin", "Rosneft", "ONGC", "Ztw", "Kestrel"]
    rng = random.Random(11)
    texts = []
    for name in names:
        other = rng.choice(names + shipped)
        last = name.split()[-1]
        texts += [
            f"NEW DELHI (Reuters) - {name} said on Monday that {other} would visit Moscow.",
            f"TALKS WITH {name.upper()} STALL; {last} declined to comment.",
            f"{name}'s shares fell as the {other} deal ({name}) collapsed.",
            f"{name},{other},India and {rng.choice(shipped)} signed. {last} and {other.split()[-1]} met.",
            f"北京：{name}与{other}会谈。",
        ]
    return texts


def test_extraction_with_compiled_tables_is_that_of_the_tables_loaded(tmp_path: Path) -> None:
    """Two compiled tables, a run-time addition and a blocked name give the
    mentions that the same tables loaded from TOML give (the patterns the
    compile step wrote, merged with the shipped ones and each other's, and
    derived at run time, are one set)."""
    (tmp_path / "tricky.toml").write_text(textwrap.dedent(_TRICKY), encoding="utf-8")
    (tmp_path / "many.toml").write_text(_synthetic(60), encoding="utf-8")
    (tmp_path / "beside.toml").write_text(_BESIDE, encoding="utf-8")
    geonorm.compile_table([tmp_path / "tricky.toml", tmp_path / "many.toml"], tmp_path / "first.compiled")
    geonorm.compile_table([tmp_path / "beside.toml"], tmp_path / "beside.compiled")
    loaded, fast = Registry(), Registry()
    loaded.load(tmp_path / "tricky.toml")
    loaded.load(tmp_path / "many.toml")
    loaded.load(tmp_path / "beside.toml")
    fast.load_compiled(tmp_path / "first.compiled")
    fast.load_compiled(tmp_path / "beside.compiled")
    texts = _extract_texts([loaded])
    assert len(texts) > 300
    for step in range(2):
        if step:
            for reg in (loaded, fast):
                reg.add_alias("organisation:kestrel-foods", "Kestrel Larder")
                reg.add("person", id="person:ada-talovin", name="Ada Talovin")
            texts += [f"Kestrel Larder and Ada Talovin met; Talovin said {t}" for t in texts[:40]]
        for kinds in (None, {"person"}, {"organisation", "weapon"}):
            for metonyms in (False, True):
                for text in texts:
                    want = [
                        (m.text, m.start, m.entity.id, m.how)
                        for m in loaded.extract(text, kinds=kinds, metonyms=metonyms)
                    ]
                    got = [
                        (m.text, m.start, m.entity.id, m.how)
                        for m in fast.extract(text, kinds=kinds, metonyms=metonyms)
                    ]
                    assert got == want, text
    # The compile step wrote each part of each table's trie in its trie's
    # numbering: no table of ids is kept.
    matcher = fast._text_matcher[1]  # type: ignore[index]
    parts = [part for _, _, trie, _ in matcher._compiled for part in trie._parts if part is not None]
    assert len(parts) >= 2 and all(part.ids is None for part in parts)
    # Every table's names are found, in each script.
    found = {m.entity.id for text in texts for m in fast.extract(text)}
    assert {"person:lena-talovin", "organisation:orbit-two", "person:ada-talovin", "weapon:kx-9-kestrel"} <= found


def test_a_compiled_table_changed_or_gone_after_the_load_is_a_table_error(tmp_path: Path) -> None:
    (tmp_path / "beside.toml").write_text(_BESIDE, encoding="utf-8")
    geonorm.compile_table([tmp_path / "beside.toml"], tmp_path / "t.compiled")
    reg = Registry()
    reg.load_compiled(tmp_path / "t.compiled")
    data = (tmp_path / "t.compiled").read_bytes()
    (tmp_path / "t.compiled").write_bytes(data.replace(b"Lena Talovin", b"Lena Talovan"))
    with pytest.raises(TableError, match="patterns do not match"):
        reg.extract("Lena Talovin spoke.")
    (tmp_path / "t.compiled").write_bytes(data)
    again = Registry()
    again.load_compiled(tmp_path / "t.compiled")
    (tmp_path / "t.compiled").unlink()
    with pytest.raises(TableError, match="patterns cannot be read"):
        again.extract("Lena Talovan spoke.")


# Where a compiled table's names meet the shipped patterns and additions:
# a name that is a shipped name's designator written after CJK letters, a
# person whose surname is a shipped name ("India"), an addition naming what
# a compiled name names, with a tie (found by a review's differential fuzz).
_MEETING = """
[[organisation]]
id = "organisation:acme"
name = "Acme Group"
type = "company"
aliases = ["J-15"]

[[organisation]]
id = "organisation:su57-club"
name = "Su-57"
type = "company"

[[not_weapon]]
names = ["Su-57"]
reason = "a club's name in these texts"

[[organisation]]
id = "organisation:zanput-oil"
name = "Zanput Oil"
type = "company"
weak_aliases = ["Rosneft"]

[[person]]
id = "person:ravi-india"
name = "Ravi India"

[[person]]
id = "person:lena"
name = "Lena Talovin"

[[weapon]]
id = "weapon:kx-9"
name = "KX-9"
category = "other"
"""


def test_compiled_names_meet_shipped_names_and_additions_as_loaded_ones_do(tmp_path: Path) -> None:
    (tmp_path / "t.toml").write_text(_MEETING, encoding="utf-8")
    geonorm.compile_table([tmp_path / "t.toml"], tmp_path / "t.compiled")
    loaded, fast = Registry(), Registry()
    loaded.load(tmp_path / "t.toml")
    fast.load_compiled(tmp_path / "t.compiled")
    texts = [
        "购买J-15导弹",
        "日本はSu-57を購入した",
        "日本は Su-57 を購入した",
        "Zanput Oil,India and Japan signed.",
        "Zanput Oil India deal",
        "Rosneft and Lena Talovin met; Rosneft bought KX-9s.",
    ]

    def mentions(reg: Registry) -> list[list[tuple[str, int, str]]]:
        return [[(m.text, m.start, m.entity.id) for m in reg.extract(text)] for text in texts]

    want = mentions(loaded)
    assert want[0] == [("J-15", 2, "organisation:acme")]
    assert ("Su-57", 3, "organisation:su57-club") in want[1]
    assert [m[2] for m in want[3]] == ["organisation:zanput-oil", "country:JP"]  # "India" inside "Oil India"
    assert mentions(fast) == want
    for reg in (loaded, fast):
        reg.add_alias("organisation:zanput-oil", "Lena Talovin")  # a tie with the person
        reg.add_alias("weapon:kx-9", "Zanput Oil")  # a tie with the company
    want = mentions(loaded)
    assert ("Lena Talovin", 12, "person:lena") not in want[5]
    assert mentions(fast) == want


def test_a_pattern_line_edited_with_its_digest_made_to_match_is_a_table_error(tmp_path: Path) -> None:
    import hashlib

    (tmp_path / "t.toml").write_text(_MEETING, encoding="utf-8")
    geonorm.compile_table([tmp_path / "t.toml"], tmp_path / "t.compiled")
    data = (tmp_path / "t.compiled").read_bytes()
    newline = data.index(b"\n")
    head = json.loads(data[:newline])
    start = len(data) - head["patterns"]["bytes"]
    patterns = data[start:].replace(b'[["person:lena"', b'[["person:lena" 7')
    assert patterns != data[start:]
    head["patterns"]["bytes"] = len(patterns)
    head["patterns"]["sha256"] = hashlib.sha256(patterns).hexdigest()
    (tmp_path / "t.compiled").write_bytes(json.dumps(head).encode() + data[newline:start] + patterns)
    reg = Registry()
    reg.load_compiled(tmp_path / "t.compiled")
    with pytest.raises(TableError, match="a pattern line is malformed"):
        reg.extract("Lena Talovin spoke.")
    # An addition does not read the table's patterns again.
    layers = dict(reg._compiled_layers)
    reg.add_alias("organisation:acme", "Acme Works")
    assert [m.entity.id for m in reg.extract("Acme Works and Acme Group")] == ["organisation:acme"] * 2
    assert reg._compiled_layers == layers
