"""geonorm in other processes: worker pools forked while a thread loads the
tables, spawn and forkserver workers, and the command line's argument bytes
and closed pipes."""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

import geonorm

# -- worker processes ------------------------------------------------------

# Run in a fresh interpreter, so that nothing is loaded yet: a thread named
# "warm" starts a first use that stops, inside the loader and holding its
# lock, at a chosen call; a fork-based pool starts its two workers, and each
# worker runs the scenario's checks. The workers answer with ids only: the
# parent cannot unpickle an entity while its "warm" thread holds the lock.
_FORK_SCRIPT = r"""
import json, multiprocessing, sys, threading

import geonorm
import geonorm.extraction.matcher
import geonorm.index
import geonorm.kinds.person
import geonorm.overlay
import geonorm.registry
import geonorm.shipped
from geonorm.extraction.automaton import Automaton
from geonorm.kinds import SPECS

CHECKS = {
    "extract": lambda: [m.entity.id for m in geonorm.extract("Modi met Putin in Delhi; the rupee fell.")],
    "unspaced": lambda: [m.entity.id for m in geonorm.extract("中美两国的贸易，日本")],
    "cyrillic": lambda: [m.entity.id for m in geonorm.extract("Россия и Индия")],
    "resolve": lambda: geonorm.resolve("Bharat", kind="country").id,
    "fuzzy": lambda: geonorm.resolve("Phillipines", kind="country", fuzzy=True).id,
    "people": lambda: geonorm.resolve("Wladimir Putine", kind="person").id,
    "holder": lambda: geonorm.Registry().people.holder("Defence Minister", country="RU", on="2023-01-01").id,
    "addition": lambda: [
        geonorm.default_registry.add_alias("country:FR", "Hexagone").id,
        geonorm.resolve("Hexagone", kind="country").id,
    ],
}

# Where the first use stops: the owner and attribute of the call, the
# function it must be called from (any when None), the first use, and what
# the workers check.
SCENARIOS = {
    # Reading a kind's index: nothing built yet.
    "index": (geonorm.index, "load_index", None, lambda: geonorm.extract("India"), ("extract", "resolve")),
    # The person kind configured, its entities half made.
    "entities": (
        SPECS["person"],
        "build_entities",
        None,
        lambda: geonorm.get("person:vladimir-putin"),
        ("extract", "people"),
    ),
    # The tables loaded, the extraction matcher half made.
    "matcher": (geonorm.extraction.matcher.Matcher, "_checked", None, lambda: geonorm.extract("India"), ("extract",)),
    # The automaton of names written without a space, half made.
    "unspaced": (Automaton, "of_batches", "_get", lambda: geonorm.extract("中美"), ("unspaced",)),
    # The automaton of names in Cyrillic, half made.
    "cyrillic": (Automaton, "of_batches", "_get", lambda: geonorm.extract("Россия"), ("cyrillic",)),
    # A kind's resolution keys, half read.
    "keys": (geonorm.index, "key_entries", None, lambda: geonorm.resolve("India", kind="country"), ("resolve",)),
    # The fuzzy index, half made.
    "fuzzy": (
        geonorm.shipped,
        "FuzzyIndex",
        None,
        lambda: geonorm.resolve("Indai", kind="country", fuzzy=True),
        ("fuzzy",),
    ),
    # The people's surname and skeleton index, half made.
    "people": (
        geonorm.kinds.person,
        "transliterate",
        "_auxiliary",
        lambda: geonorm.resolve("V. Putin", kind="person"),
        ("people",),
    ),
    # A registry's people resolver, half made.
    "resolver": (geonorm.registry, "PeopleResolver", "people", lambda: geonorm.Registry().people, ("holder",)),
    # An addition to the default registry, half made.
    "addition": (
        geonorm.overlay.Overlay,
        "extend",
        None,
        lambda: geonorm.default_registry.add_alias("country:GB", "Blighty"),
        ("addition",),
    ),
}

scenario, timeout = sys.argv[1], float(sys.argv[2])
owner, name, caller, first_use, checks = SCENARIOS[scenario]


def work(checks):
    return {check: CHECKS[check]() for check in checks}


started, release = threading.Event(), threading.Event()
original = getattr(owner, name)


def stopping(*args, **kwargs):
    if threading.current_thread().name == "warm" and (caller is None or sys._getframe(1).f_code.co_name == caller):
        started.set()
        release.wait()
    return original(*args, **kwargs)


setattr(owner, name, stopping)
warm_errors = []


def warm():
    try:
        first_use()
    except BaseException as exc:
        warm_errors.append(repr(exc))


thread = threading.Thread(target=warm, name="warm", daemon=True)
thread.start()
while thread.is_alive() and not started.wait(0.05):
    pass
stopped = started.is_set()
with multiprocessing.get_context("fork").Pool(2) as pool:
    # The workers are forked now: let the parent's first use go on.
    release.set()
    try:
        results = pool.map_async(work, [checks] * 2, chunksize=1).get(timeout=timeout)
    except multiprocessing.TimeoutError:
        print(json.dumps({"timeout": True}))
        sys.stdout.flush()
        raise SystemExit(3)
thread.join(60)
print(json.dumps({"stopped": stopped, "results": results, "warm": not thread.is_alive(), "errors": warm_errors}))
"""

_CHECKS = {
    "extract": ["person:narendra-modi", "person:vladimir-putin", "currency:INR"],
    "unspaced": ["country:CN", "country:US", "country:JP"],
    "cyrillic": ["country:RU", "country:IN"],
    "resolve": "country:IN",
    "fuzzy": "country:PH",
    "people": "person:vladimir-putin",
    "holder": "person:sergei-shoigu",
    "addition": ["country:FR", "country:FR"],
}
_TIMEOUT = 45.0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
@pytest.mark.parametrize(
    "scenario",
    ["index", "entities", "matcher", "unspaced", "cyrillic", "keys", "fuzzy", "people", "resolver", "addition"],
)
def test_a_pool_forked_while_a_thread_loads_the_tables(scenario: str) -> None:
    # A warm-up thread is inside a loader, holding its lock, when a
    # fork-based pool starts: the workers must not wait for the lock
    # forever, nor take the half-built state for the whole, but load again.
    done = subprocess.run(
        [sys.executable, "-c", _FORK_SCRIPT, scenario, str(_TIMEOUT)],
        capture_output=True,
        timeout=_TIMEOUT + 120,
        check=False,
        env=os.environ,
    )
    lines = done.stdout.decode().splitlines()
    assert lines, done.stderr.decode()
    out = json.loads(lines[-1])
    assert "timeout" not in out, f"the forked workers hung ({scenario})"
    assert done.returncode == 0, done.stderr.decode()
    # The first use stopped inside the loader (a registry's people resolver
    # is now made with the registry, outside any lock: nothing to stop).
    assert out["stopped"] or scenario == "resolver"
    assert len(out["results"]) == 2
    for result in out["results"]:
        assert result and result == {check: _CHECKS[check] for check in result}
    # The parent's own first use ends normally once let go.
    assert out["warm"] and out["errors"] == []


_TEXTS = ["Modi met Putin in Delhi.", "The rupee fell against the dollar.", "中美两国的贸易"]
_NAMES = ["Bharat", "Phillipines", "Индия", "Atlantis"]


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_spawned_workers_extract_and_resolve(method: str) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} on this platform")
    # Each worker imports geonorm afresh and loads its tables on first use;
    # the answers come back as the parent's own entities.
    with multiprocessing.get_context(method).Pool(2) as pool:
        found = pool.map_async(geonorm.extract, _TEXTS).get(timeout=120)
        resolved = pool.map_async(functools.partial(geonorm.resolve, fuzzy=True), _NAMES).get(timeout=120)
    assert found == [geonorm.extract(t) for t in _TEXTS]
    assert [[m.entity.id for m in ms] for ms in found][:2] == [
        ["person:narendra-modi", "person:vladimir-putin"],
        ["currency:INR", "currency:USD"],
    ]
    assert [e.id if e else None for e in resolved] == ["country:IN", "country:PH", "country:IN", None]
    assert resolved[0] is geonorm.get("country:IN")


# -- the command line --------------------------------------------------------


def _env(encoding: str | None = None) -> dict[str, str]:
    """The environment for a run of the command line: standard output
    buffered, as it is by default, and in ``encoding`` if given."""
    env = dict(os.environ)
    env.pop("PYTHONUNBUFFERED", None)
    if encoding is not None:
        env["PYTHONIOENCODING"] = encoding
    return env


def _geonorm(
    *args: str | bytes, stdin: bytes | None = None, encoding: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "geonorm", *args], input=stdin, capture_output=True, check=False, env=_env(encoding)
    )


# Python gives each byte of an argument that is not UTF-8 as a lone
# surrogate; printed back, it raised UnicodeEncodeError (a strict standard
# output) or wrote bytes that are not UTF-8 (the C locale's).
@pytest.mark.skipif(os.name != "posix", reason="argument bytes are a POSIX matter")
@pytest.mark.parametrize("encoding", [None, "utf-8", "utf-8:surrogateescape"])
def test_an_argument_that_is_not_utf8_is_reported(encoding: str | None) -> None:
    done = _geonorm(b"\xffIndia", "India", encoding=encoding)
    assert done.returncode == 2
    assert done.stdout == b"India\tcountry\tcountry:IN\tIndia\n"
    message = done.stderr.decode("utf-8")
    assert message == "\\xffIndia\terror: not UTF-8 text\n"


@pytest.mark.skipif(os.name != "posix", reason="file name bytes are a POSIX matter")
def test_a_file_name_that_is_not_utf8_is_escaped(tmp_path: Path) -> None:
    path = os.path.join(os.fsencode(tmp_path), b"\xffnews.txt")
    with open(path, "wb") as fh:
        fh.write(b"The rupee fell.\n")
    done = _geonorm("extract", path, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.decode("utf-8"))
    assert found["file"] == os.path.join(str(tmp_path), "\\xffnews.txt") and found["id"] == "currency:INR"
    done = _geonorm("resolve", os.path.join(os.fsencode(tmp_path), b"\xfemissing.txt"), encoding="utf-8")
    assert done.returncode == 2
    assert "cannot read" in done.stderr.decode("utf-8") and "\\xfemissing.txt" in done.stderr.decode("utf-8")


def test_a_bad_table_whose_name_is_not_utf8_is_escaped(tmp_path: Path) -> None:
    path = os.path.join(os.fsencode(tmp_path), b"\xfftable.toml")
    with open(path, "wb") as fh:
        fh.write(b"[[organisation]\n")  # not valid TOML
    done = _geonorm("--load", path, "India", encoding="utf-8")
    assert done.returncode == 2
    message = done.stderr.decode("utf-8")
    assert "\\xfftable.toml" in message and "\\udcff" not in message, message


def test_output_the_terminal_cannot_encode_is_escaped() -> None:
    done = _geonorm("Индия", "Côte d'Ivoire", encoding="ascii")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("ascii").splitlines() == [
        "\\u0418\\u043d\\u0434\\u0438\\u044f\tcountry\tcountry:IN\tIndia",
        "C\\xf4te d'Ivoire\tcountry\tcountry:CI\tC\\xf4te d\\u2019Ivoire",
    ]


def test_standard_input_that_is_not_utf8_is_reported() -> None:
    done = _geonorm(stdin=b"India\n\xffIndia\nFrance\n", encoding="utf-8")
    assert done.returncode == 2
    assert done.stdout.decode("utf-8").splitlines()[1:] == ["India\tmatch\tcountry\tcountry:IN\tIndia\t"]
    assert done.stderr.decode("utf-8") == "geonorm: <stdin>, line 2: not UTF-8 text (invalid start byte)\n"


def _into_closed_pipe(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """Run geonorm writing into a pipe whose reader has already gone."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "geonorm", *args],
            input=stdin,
            stdout=write,
            stderr=subprocess.PIPE,
            check=False,
            env=_env(),
        )
    finally:
        os.close(write)


@pytest.mark.parametrize(
    ("args", "stdin"), [(["India"], b""), (["--version"], b""), (["--help"], b""), (["extract"], b"Modi met Putin.\n")]
)
def test_a_pipe_closed_before_the_output_ends_quietly(args: list[str], stdin: bytes) -> None:
    # Output small enough to stay in the buffer until the end: the closed
    # pipe showed in the interpreter's last flush ("Exception ignored ...
    # BrokenPipeError", status 120).
    done = _into_closed_pipe(*args, stdin=stdin)
    assert done.stderr == b""
    assert done.returncode == 0


def test_a_pipe_closed_after_one_line_ends_quietly() -> None:
    # Many names; the reader takes one line and goes (what head -n 1 does).
    with subprocess.Popen(
        [sys.executable, "-m", "geonorm", *["India"] * 5000],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    ) as writer:
        assert writer.stdout is not None and writer.stderr is not None
        first = writer.stdout.readline()
        writer.stdout.close()
        errors = writer.stderr.read()
        assert writer.wait(timeout=60) == 0
    assert first == b"India\tcountry\tcountry:IN\tIndia\n"
    assert errors == b""


def test_bad_input_is_reported_when_the_pipe_is_closed(tmp_path: Path) -> None:
    # The bad line comes after output still in the buffer: flushing it before
    # the message raised BrokenPipeError from the error handler.
    bad = tmp_path / "names.txt"
    bad.write_bytes(b"India\n\xffIndia\n")
    done = _into_closed_pipe("resolve", str(bad))
    assert done.stderr.decode() == f"geonorm: {bad}, line 2: not UTF-8 text (invalid start byte)\n"
    assert done.returncode == 2
