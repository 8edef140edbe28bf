"""Hostile and careless tables and alias packs (hardening issue 17, "Tables
and packs"): each is refused with a :class:`TableError` that names the file
(or pack) and entry, promptly, and leaves the registry as it was."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import geonorm
from geonorm import Registry, TableError, tables
from geonorm.registry import MAX_PACK_FILES
from geonorm.tables import MAX_KEY_DOTS, MAX_NESTING, read_table

DATA = Path(geonorm.__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent

GOOD = '[[organisation]]\nid = "organisation:good-one"\nname = "Good One"\ntype = "company"\n\n'


def _org(ident: str, name: str, extra: str = "") -> str:
    return f'[[organisation]]\nid = "{ident}"\nname = "{name}"\ntype = "company"\n{extra}\n'


def _loaded_registry() -> Registry:
    """A registry that already holds an addition, so 'unchanged' means something."""
    reg = Registry()
    reg.load_text(_org("organisation:before-co", "Before Co"), source="before.toml")
    return reg


def _refused(reg: Registry, load: Callable[[], object], match: str) -> TableError:
    """Run ``load`` and check it raised a TableError matching ``match`` and
    left ``reg`` exactly as it was."""
    before = reg._ov
    with pytest.raises(TableError, match=match) as err:
        load()
    assert reg._ov is before
    assert reg.get("organisation:good-one") is None
    assert reg.resolve("Good One", kind="organisation") is None
    assert reg.resolve("Before Co", kind="organisation").id == "organisation:before-co"
    return err.value


# -- ids and codes --------------------------------------------------------


@pytest.mark.parametrize(
    "ident",
    [
        "organisation:rosneft\\n",  # "$" matched before a final newline
        "organisation:rosneft\\r",
        "organisation:ros\\u0000neft",
        "organisation:rosneft\\u0085",
        "organisation:rosneft ",
        "organisation:Rosneft",
        "organisation:rosneft-",
        "organisation:rosnéft",
    ],
)
def test_an_id_outside_the_documented_syntax_is_refused(ident: str) -> None:
    reg = _loaded_registry()
    text = GOOD + f'[[organisation]]\nid = "{ident}"\nname = "Rosneft"\ntype = "company"\n'
    err = _refused(
        reg, lambda: reg.load_text(text, source="lookalike.toml"), "lookalike.toml: \\[\\[organisation\\]\\] #2"
    )
    assert "id" in str(err)
    # The look-alike must not take the shipped entity's name.
    assert reg.resolve("Rosneft").id == "organisation:rosneft"


@pytest.mark.parametrize(
    ("kind", "ident"),
    [
        ("country", "country:GB\\n"),
        ("currency", "currency:GBP\\n"),
        ("person", "person:x\\n"),
        ("weapon", "weapon:x\\n"),
    ],
)
def test_ids_of_every_kind_end_where_they_end(kind: str, ident: str) -> None:
    reg = _loaded_registry()
    text = GOOD + f'[[{kind}]]\nid = "{ident}"\naliases = ["Lookalike Name"]\n'
    _refused(reg, lambda: reg.load_text(text, source="ids.toml"), rf"ids.toml: \[\[{kind}\]\] #1")
    assert reg.resolve("Lookalike Name") is None


def test_a_language_code_ending_in_a_newline_is_refused() -> None:
    reg = _loaded_registry()
    text = 'language = "de\\n"\n[[country]]\nid = "country:DE"\naliases = ["Deutschlandia"]\n'
    _refused(reg, lambda: reg.load_text(text, source="de.toml"), "de.toml: 'language' must be a language code")


def test_a_single_character_id_ending_in_a_newline_is_refused() -> None:
    text = 'language = "zh"\n[[single_characters]]\ntext = "中"\nid = "country:CN\\n"\n'
    with pytest.raises(TableError, match=r"zh.toml: single_characters #1"):
        tables.parse_table(tomllib.loads(text), "zh.toml")


def test_control_characters_in_names_are_refused_but_a_note_may_break_lines() -> None:
    reg = _loaded_registry()
    text = _org("organisation:ctl-co", "Ctl Co", 'aliases = ["Ctl\\u0000Co"]')
    _refused(reg, lambda: reg.load_text(GOOD + text, source="ctl.toml"), "'aliases' holds the control character")
    reg.load_text(_org("organisation:noted-co", "Noted Co", 'note = """two\n\tlines"""'))
    assert reg.resolve("Noted Co").id == "organisation:noted-co"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ('parent = "person:vladimir-putin"', "'parent' must be an organisation id"),
        ('parent = "weapon:s-400"', "'parent' must be an organisation id"),
        ('country = "country:RU"', "'country' must be a country code"),
        ('country = "ru"', "'country' must be a country code"),
    ],
)
def test_a_reference_of_the_wrong_kind_is_refused(fields: str, message: str) -> None:
    reg = _loaded_registry()
    text = GOOD + _org("organisation:wrong-ref", "Wrong Ref", fields)
    err = _refused(reg, lambda: reg.load_text(text, source="refs.toml"), message)
    assert "refs.toml: [[organisation]] #2 (organisation:wrong-ref)" in str(err)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[weapon]]\nid = "weapon:w"\nname = "W"\ncategory = "drone"\nmanufacturer = "weapon:s-400"\n',
            "'manufacturer' must be an organisation id",
        ),
        (
            '[[weapon]]\nid = "weapon:w"\nname = "W"\ncategory = "drone"\nfamily = "organisation:rosneft"\n',
            "'family' must be a weapon id",
        ),
        (
            '[[weapon]]\nid = "weapon:w"\nname = "W"\ncategory = "drone"\norigin = "country:UA"\n',
            "'origin' must be a country code",
        ),
        (
            '[[person]]\nid = "person:p"\nname = "P"\n'
            'roles = [{office = "ceo", title = "CEO", organisation = "person:vladimir-putin"}]\n',
            "role #1: field 'organisation' must be an organisation id",
        ),
        ('[[currency]]\nid = "currency:EUR"\ncountries = ["country:DE"]\n', "'countries' must be a country code"),
    ],
)
def test_references_of_other_kinds_are_checked_too(text: str, message: str) -> None:
    reg = _loaded_registry()
    _refused(reg, lambda: reg.load_text(GOOD + text, source="refs.toml"), message)


def test_a_right_reference_still_builds_the_link() -> None:
    reg = Registry()
    org = reg.add(
        "organisation", id="organisation:sub-co", name="Sub Co", type="company", parent="organisation:rosneft"
    )
    assert org.parent == geonorm.get("organisation:rosneft")


# -- duplicates -----------------------------------------------------------


def test_two_definitions_of_one_id_in_one_file_are_refused() -> None:
    reg = _loaded_registry()
    text = GOOD + _org("organisation:twin-co", "Twin Co") + _org("organisation:twin-co", "Twin Co Two")
    err = _refused(reg, lambda: reg.load_text(text, source="twins.toml"), "duplicate id")
    assert "twins.toml: [[organisation]] #3 (organisation:twin-co)" in str(err)
    assert "first defined in twins.toml: [[organisation]] #2 (organisation:twin-co)" in str(err)
    assert reg.resolve("Twin Co") is None


def test_a_definition_in_a_second_loaded_file_is_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    first.write_text(_org("organisation:twin-co", "Twin Co", 'country = "UA"'), encoding="utf-8")
    second.write_text(GOOD + _org("organisation:twin-co", "Twin Co", 'country = "RU"'), encoding="utf-8")
    reg = _loaded_registry()
    reg.load(first)
    err = _refused(reg, lambda: reg.load(second), "duplicate id")
    assert f"{second}: [[organisation]] #2 (organisation:twin-co)" in str(err)
    assert f"first defined in {first}: [[organisation]] #1" in str(err)
    assert reg.resolve("Twin Co").country.alpha2 == "UA"


def test_adding_an_entity_twice_in_code_is_refused() -> None:
    reg = Registry()
    reg.add("organisation", id="organisation:twin-co", name="Twin Co", type="company")
    with pytest.raises(TableError, match="duplicate id"):
        reg.add("organisation", id="organisation:twin-co", name="Twin Co", type="ministry")
    assert reg.get("organisation:twin-co").type == "company"


def test_names_only_entries_may_still_add_to_one_id_many_times() -> None:
    """The documented ways to extend an entity stay: an entry with the id and
    names only adds names, to a shipped entity or to one defined in the same
    load (an entry with a name added to a shipped entity also stays)."""
    reg = Registry()
    reg.load_text(
        textwrap.dedent(
            """
            [[organisation]]
            id = "organisation:rosneft"
            aliases = ["Rosneft Oil"]

            [[organisation]]
            id = "organisation:rosneft"
            aliases = ["Rosneft Oil Co"]

            [[organisation]]
            id = "organisation:new-co"
            name = "New Co"
            type = "company"

            [[organisation]]
            id = "organisation:new-co"
            weak_aliases = ["Newco"]

            [[person]]
            id = "person:vladimir-putin"
            name = "Vladimir Putin"
            aliases = ["VVP"]

            [[country]]
            id = "country:GB"
            aliases = ["Blighty"]

            [[country]]
            id = "country:GB"
            aliases = ["Old Blighty"]
            """
        )
    )
    assert reg.resolve("Rosneft Oil").id == reg.resolve("Rosneft Oil Co").id == "organisation:rosneft"
    assert reg.resolve("Newco", kind="organisation").id == "organisation:new-co"
    assert reg.resolve("VVP").id == "person:vladimir-putin"
    assert reg.resolve("Old Blighty").id == reg.resolve("Blighty").id == "country:GB"
    reg.add_alias("organisation:new-co", "New Company")
    reg.add_alias("organisation:new-co", "The New Company")
    assert reg.resolve("The New Company").id == "organisation:new-co"


def test_names_only_entry_for_an_unknown_id_is_a_table_error() -> None:
    """It raised KeyError('name')."""
    reg = _loaded_registry()
    text = GOOD + '[[organisation]]\nid = "organisation:nobody-co"\naliases = ["Nobody Co"]\n'
    _refused(
        reg,
        lambda: reg.load_text(text, source="nobody.toml"),
        r"nobody.toml: \[\[organisation\]\] #2 \(organisation:nobody-co\): organisation:nobody-co is not a known "
        r"organisation; a new organisation needs its 'name'",
    )


# -- cycles ---------------------------------------------------------------


def test_a_parent_cycle_is_a_table_error_naming_the_entries() -> None:
    reg = _loaded_registry()
    text = (
        GOOD
        + _org("organisation:aa-co", "Aa Co", 'parent = "organisation:bb-co"')
        + _org("organisation:bb-co", "Bb Co", 'parent = "organisation:cc-co"')
        + _org("organisation:cc-co", "Cc Co", 'parent = "organisation:aa-co"')
    )
    err = _refused(reg, lambda: reg.load_text(text, source="cycle.toml"), "parent links form a cycle")
    message = str(err)
    assert message.startswith("cycle.toml: ")
    assert "reinstall" not in message
    for position, ident in ((2, "aa-co"), (3, "bb-co"), (4, "cc-co")):
        assert f"cycle.toml: [[organisation]] #{position} (organisation:{ident})" in message


def test_a_family_cycle_is_a_table_error() -> None:
    w = '[[weapon]]\nid = "weapon:{}"\nname = "{}"\ncategory = "drone"\nfamily = "weapon:{}"\n'
    reg = _loaded_registry()
    text = w.format("wa", "Wa", "wb") + w.format("wb", "Wb", "wa")
    err = _refused(reg, lambda: reg.load_text(GOOD + text, source="weapons.toml"), "family links form a cycle")
    assert "weapon:wa -> weapon:wb -> weapon:wa" in str(err)


def _chain(n: int, prefix: str = "chain", top: str = "") -> str:
    """``n`` organisations, each the parent of the one before it (children
    first), the last one's parent ``top`` (none where empty)."""
    out = []
    for i in range(n):
        parent = f"organisation:{prefix}-{i + 1}" if i + 1 < n else top
        out.append(
            _org(f"organisation:{prefix}-{i}", f"{prefix.title()} Org {i}", f'parent = "{parent}"' if parent else "")
        )
    return "".join(out)


def test_a_long_chain_of_parents_listed_children_first_loads_up_to_the_limit() -> None:
    reg = Registry()
    reg.load_text(_chain(tables.MAX_LINK_DEPTH + 1), source="chain.toml")  # the first has 100 links above it
    found = reg.resolve("Chain Org 0", kind="organisation")
    assert found is not None and found.id == "organisation:chain-0"
    links = 0
    while found is not None and (found := found.parent) is not None:  # type: ignore[attr-defined]
        links += 1
    assert links == tables.MAX_LINK_DEPTH
    assert reg.get("organisation:chain-0") == reg.get("organisation:chain-0")


def test_a_chain_of_parents_deeper_than_the_limit_is_refused_promptly() -> None:
    reg = _loaded_registry()
    deep = GOOD + _chain(5_000)
    start = time.perf_counter()
    err = _refused(reg, lambda: reg.load_text(deep, source="chain.toml"), "parent links are 4999 deep")
    assert time.perf_counter() - start < 5
    assert str(err).startswith("chain.toml: [[organisation]] #2 (organisation:chain-0)")
    # Across loads: a chain below the limit, then one that hangs from its foot.
    reg.load_text(_chain(60, "upper"), source="upper.toml")
    text = GOOD + _chain(60, "lower", top="organisation:upper-0")
    _refused(reg, lambda: reg.load_text(text, source="lower.toml"), "parent links are 119 deep")


# -- size and depth -------------------------------------------------------


def _quick(reg: Registry, text: str, match: str, tmp_path: Path) -> None:
    """The text is refused promptly, as a string and as a file."""
    start = time.perf_counter()
    _refused(reg, lambda: reg.load_text(text, source="deep.toml"), match)
    path = tmp_path / "deep.toml"
    path.write_text(text, encoding="utf-8")
    _refused(reg, lambda: reg.load(path), match)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    "text",
    [
        GOOD + "x = " + "[" * 1000 + "]" * 1000 + "\n",
        GOOD + "x = " + "{a = " * 1000 + "1" + "}" * 1000 + "\n",
        GOOD + "x = " + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1) + "\n",
    ],
    ids=["arrays", "inline-tables", "just-over"],
)
def test_deep_nesting_is_refused_before_parsing(text: str, tmp_path: Path) -> None:
    _quick(_loaded_registry(), text, f"line 6: nested more than {MAX_NESTING} levels deep", tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        GOOD + ".".join(["a"] * 8_000) + " = 1\n",
        GOOD + "[" + ".".join(['"a"'] * 1000) + "]\n",
        GOOD + "x = {" + " . ".join(["a"] * 1000) + " = 1}\n",
        GOOD + ".".join(["a"] * (MAX_KEY_DOTS + 2)) + " = 1\n",
    ],
    ids=["8000", "header", "inline", "just-over"],
)
def test_deep_dotted_keys_are_refused_before_parsing(text: str, tmp_path: Path) -> None:
    _quick(_loaded_registry(), text, f"line 6: a key with more than {MAX_KEY_DOTS} dots", tmp_path)


def test_brackets_and_dots_in_strings_and_comments_are_not_structure() -> None:
    deep = "x" + "[" * 40 + "{" * 40  # deeper than MAX_NESTING
    dots = ".".join(["a"] * 100)
    closing = "close" + "]" * 50
    quote = '"'
    text = textwrap.dedent(
        f"""
        # {deep} {dots}
        as_of = 2026-01-01T00:00:00.5 # {deep}

        [[organisation]]
        id = "organisation:strings-co"
        name = "Strings Co"
        type = "company"
        aliases = ["{dots}", 'lit {deep}', "quote \\{quote} {deep}"]
        note = {quote * 3}{deep}
        a.b.c \\{quote * 3} {deep}{quote * 3}
        weak_aliases = [{"'" * 3}mllit {deep}{"'" * 3}, "{closing}"]
        """
    )
    reg = Registry()
    with pytest.raises(TableError, match="'as_of' must be a date"):  # a date-time: parsed, then refused
        reg.load_text(text)
    reg.load_text(text.replace("as_of = 2026-01-01T00:00:00.5", "as_of = 2026-01-01"))
    assert reg.resolve(dots).id == "organisation:strings-co"
    assert reg.resolve("quote " + quote + " " + deep).id == "organisation:strings-co"
    assert reg.resolve("mllit " + deep, kind="organisation").id == "organisation:strings-co"


def test_floats_and_a_few_dots_are_fine() -> None:
    reg = Registry()
    text = ".".join(["a"] * (MAX_KEY_DOTS + 1)) + " = [1.5, 2.5, 3.5]\n" + GOOD
    with pytest.raises(TableError, match="unknown top-level key 'a'"):  # parsed, then refused
        reg.load_text(text)


@pytest.mark.parametrize(
    "text",
    [
        '"' * 200_000,
        "'" * 200_000,
        '"""' + "\\" * 200_000,
        '"' + '\\"' * 100_000,
        '"""' + '""x' * 70_000,
        "'''" + "''x" * 70_000,
        "[]" * 100_000,
        ".," * 100_000,
        '"\n' * 100_000,
        "#" * 200_000,
    ],
    ids=lambda text: repr(text[:6]),
)
def test_the_pre_scan_is_linear(text: str) -> None:
    start = time.perf_counter()
    with contextlib.suppress(TableError):
        tables._prescan(text, "x.toml")
    assert time.perf_counter() - start < 1


def test_a_long_text_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    reg = _loaded_registry()
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 1_000)
    _refused(reg, lambda: reg.load_text(GOOD + "#" * 1_000, source="long.toml"), "long.toml: text is .* longer than")


# -- what a path may be ---------------------------------------------------


def test_a_directory_is_refused(tmp_path: Path) -> None:
    reg = _loaded_registry()
    _refused(reg, lambda: reg.load(tmp_path), f"{tmp_path}: cannot read: a directory, not a regular file")


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_a_device_is_refused() -> None:
    reg = _loaded_registry()
    _refused(reg, lambda: reg.load("/dev/null"), "/dev/null: cannot read: a device, not a regular file")


def _in_child(code: str) -> str:
    """Run ``code`` in a child with 1 GiB of address space and a time limit,
    so that a regression fails the test instead of taking the machine's
    memory; returns its output."""
    setup = "import resource\nresource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", setup + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.skipif(sys.platform != "linux", reason="needs RLIMIT_AS")
def test_a_100000_deep_dotted_key_is_refused_promptly() -> None:
    """It did not finish in 300 s, and took all the memory there was."""
    out = _in_child(
        f"""
        import time
        import geonorm
        text = {GOOD!r} + ".".join(["a"] * 100_000) + " = 1\\n"
        start = time.perf_counter()
        try:
            geonorm.Registry().load_text(text, source="deep.toml")
        except geonorm.TableError as exc:
            print(time.perf_counter() - start < 5, exc)
        """
    )
    assert out == f"True deep.toml: line 6: a key with more than {MAX_KEY_DOTS} dots"


@pytest.mark.skipif(not os.path.exists("/dev/zero") or sys.platform != "linux", reason="needs /dev/zero, RLIMIT_AS")
def test_dev_zero_is_refused_without_reading_it() -> None:
    out = _in_child(
        """
        import geonorm
        try:
            geonorm.Registry().load("/dev/zero")
        except geonorm.TableError as exc:
            print(exc)
        """
    )
    assert out == "/dev/zero: cannot read: a device, not a regular file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "tables.toml"
    os.mkfifo(fifo)
    reg = _loaded_registry()
    before = reg._ov
    outcome: list[BaseException | None] = []

    def load() -> None:
        try:
            reg.load(fifo)
            outcome.append(None)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():  # blocked opening the FIFO: release it, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(10)
        pytest.fail("load() blocked on a FIFO")
    assert len(outcome) == 1 and isinstance(outcome[0], TableError)
    assert str(outcome[0]) == f"{fifo}: cannot read: a FIFO, not a regular file"
    assert reg._ov is before


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs procfs")
def test_the_size_limit_holds_while_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file may be longer than its size says (procfs says 0): geonorm reads
    at most one byte more than the limit."""
    reg = _loaded_registry()
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 64)
    _refused(reg, lambda: reg.load("/proc/self/status"), "larger than the 64 bytes geonorm reads")


def test_the_size_limit_holds_for_a_regular_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reg = _loaded_registry()
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 1_000)
    path = tmp_path / "big.toml"
    path.write_text(GOOD + "#" * 1_000, encoding="utf-8")
    _refused(reg, lambda: reg.load(path), "larger than the 1000 bytes geonorm reads")


# -- top-level keys of the shipped matchers --------------------------------


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("forms", 'forms = ["Ltd"]\n'),
        ("office", '[[office]]\nkey = "president"\nphrases = ["Big Boss"]\n'),
        ("shared_seat", '[[shared_seat]]\noffice = "president"\nwhere = "RU"\nreason = "x"\n'),
        ("honorifics", 'honorifics = ["Comrade"]\n'),
        ("institutions", 'institutions = ["Politburo"]\n'),
        ("single_characters", 'language = "zh"\n[[single_characters]]\ntext = "中"\nid = "country:CN"\n'),
    ],
)
def test_settings_of_the_shipped_matchers_are_not_loaded_silently(key: str, text: str) -> None:
    reg = _loaded_registry()
    match = f"settings.toml: unknown top-level key\\(s\\) {key}:"
    names = '\n[[country]]\nid = "country:GB"\naliases = ["Settingsland"]\n'
    _refused(reg, lambda: reg.load_text(text + names, source="settings.toml"), match)
    assert reg.resolve("Settingsland") is None


def test_the_shipped_settings_files_still_read_but_do_not_load() -> None:
    for path in (DATA / "organisations" / "_legal_forms.toml", DATA / "people" / "_offices.toml"):
        assert read_table(path).extra  # the compile step reads them
        reg = _loaded_registry()
        _refused(reg, lambda path=path, reg=reg: reg.load(path), f"{path}: unknown top-level key")


# -- alias packs ----------------------------------------------------------


Install = Callable[..., Path]


@pytest.fixture
def packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """``packs(name=code)``: install alias packs whose module defines
    ``tables`` (or whatever the code defines) and whose entry point is
    ``<module>:tables``. Each pack has a file ``<name>.toml`` beside it."""
    modules: list[str] = []
    monkeypatch.syspath_prepend(str(tmp_path))

    def install(**codes: str) -> Path:
        dist = tmp_path / "geonorm_hostile_packs-1.0.dist-info"
        dist.mkdir(exist_ok=True)
        (dist / "METADATA").write_text(
            "Metadata-Version: 2.1\nName: geonorm-hostile-packs\nVersion: 1.0\n", encoding="utf-8"
        )
        lines = ["[geonorm.tables]"]
        for name, code in codes.items():
            module = f"geonorm_hostile_{name}_{len(modules)}"
            modules.append(module)
            (tmp_path / f"{module}.py").write_text(textwrap.dedent(code), encoding="utf-8")
            lines.append(f"{name} = {module}:tables")
        (dist / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return tmp_path

    yield install
    for module in modules:
        sys.modules.pop(module, None)


GOOD_PACK = f"""
from pathlib import Path
HERE = Path(__file__).with_suffix(".toml")
HERE.write_text({GOOD!r}, encoding="utf-8")
def tables():
    return [HERE]
"""


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("raise ImportError('no such thing')\n", r"alias pack 'zz': cannot import .*ImportError: no such thing"),
        ("tables = ['a.toml']\n", r"alias pack 'zz': .* is a list, not a callable"),
        ("def tables():\n    raise OSError('disk on fire')\n", r"alias pack 'zz': .*raised OSError: disk on fire"),
        ("def tables():\n    return None\n", r"alias pack 'zz': .*returned None, not a list of paths"),
        ("def tables():\n    return 42\n", r"alias pack 'zz': .*returned 42, not a list of paths"),
        ("def tables():\n    return [42]\n", r"alias pack 'zz': .*returned 42, which is not a path"),
        ("def tables():\n    return [b'a.toml']\n", r"alias pack 'zz': .*returned b'a.toml', which is not a path"),
        (
            "def tables():\n    yield 'a.toml'\n    raise KeyError('oops')\n",
            r"alias pack 'zz': reading the paths .* raised KeyError",
        ),
        ("def tables():\n    return ['/nonexistent/x.toml']\n", r"alias pack 'zz': /nonexistent/x.toml: cannot read"),
    ],
)
def test_every_pack_error_names_the_pack(packs: Install, code: str, message: str) -> None:
    packs(aa=GOOD_PACK, zz=code)
    reg = _loaded_registry()
    _refused(reg, reg.load_packs, message)


@pytest.mark.parametrize("value", ["str(HERE)", "HERE"], ids=["str", "Path"])
def test_a_pack_returning_one_path_is_refused(packs: Install, value: str) -> None:
    packs(zz=GOOD_PACK.replace("return [HERE]", f"return {value}"))
    reg = _loaded_registry()
    _refused(reg, reg.load_packs, r"alias pack 'zz': .*returned one path, .*; it must return a list of paths")


def test_an_endless_pack_is_cut_off(packs: Install) -> None:
    code = GOOD_PACK.replace(
        "    return [HERE]",
        # Endless as far as geonorm can tell; the safety stop keeps a geonorm
        # that takes everything from running forever.
        "    for i in range(100 * MAX):\n        yield HERE\n    raise RuntimeError('safety stop: took it all')",
    ).replace("def tables", f"MAX = {MAX_PACK_FILES}\ndef tables")
    packs(zz=code)
    reg = _loaded_registry()
    start = time.perf_counter()
    _refused(reg, reg.load_packs, f"alias pack 'zz': .*returned more than {MAX_PACK_FILES} paths")
    assert time.perf_counter() - start < 5


def test_a_pack_may_return_any_finite_iterable(packs: Install) -> None:
    packs(zz=GOOD_PACK.replace("return [HERE]", "return (p for p in [HERE])"))
    reg = Registry()
    assert reg.load_packs() == ["zz"]
    assert reg.resolve("Good One").id == "organisation:good-one"


def test_the_same_id_in_two_packs_is_refused_naming_both(packs: Install) -> None:
    packs(aa=GOOD_PACK, zz=GOOD_PACK)
    reg = _loaded_registry()
    err = _refused(reg, reg.load_packs, "duplicate id")
    message = str(err)
    assert message.startswith("alias pack 'zz': ")
    assert "#1 (organisation:good-one): duplicate id, first defined in alias pack 'aa': " in message


def test_a_pack_error_in_a_table_names_the_pack_once(packs: Install) -> None:
    code = GOOD_PACK.replace('type = "company"', 'type = "bakery"')
    assert code != GOOD_PACK
    packs(zz=code)
    reg = _loaded_registry()
    err = _refused(reg, reg.load_packs, "unknown type 'bakery'")
    assert str(err).startswith("alias pack 'zz': ")
    assert str(err).count("alias pack") == 1


def test_the_compile_step_refuses_a_cycle_too(tmp_path: Path) -> None:
    """It built an index that then raised RuntimeError ("reinstall geonorm")."""
    from geonorm.compile.build import DATA_DIR, build

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("index"))
    (data / "organisations" / "zz-cycle.toml").write_text(
        _org("organisation:aa-co", "Aa Cycle Co", 'parent = "organisation:bb-co"')
        + _org("organisation:bb-co", "Bb Cycle Co", 'parent = "organisation:aa-co"'),
        encoding="utf-8",
    )
    with pytest.raises(TableError, match="parent links form a cycle") as err:
        build(data)
    assert "zz-cycle.toml: [[organisation]] #2 (organisation:bb-co)" in str(err.value)
