"""Every public call bounded and linear in its input, and every cache
bounded whatever the calls.

Times are compared as ratios between inputs of 1x, 4x and 16x the size, in
one process, best of a few rounds, so that a shared, noisy machine does not
decide the result: a linear call grows about 16 times from 1x to 16x, a
quadratic one about 256 times. The bound leaves room for noise (and for
fixed costs, which only make the ratio smaller)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

import geonorm
from geonorm import Registry
from geonorm.extraction import matcher as matcher_module
from geonorm.extraction import mentions as mentions_module
from geonorm.kinds.organisation import strip_forms
from geonorm.offices import MAX_TITLE_LENGTH
from geonorm.registry import MAX_TEXT_LENGTH
from geonorm.text import _TABLE, FOLD_TABLE_SIZE, fold

#: The most a call may grow from 1x to 16x its input: linear is 16,
#: quadratic 256.
LINEAR_16X = 48


def _best(call: Callable[[], object], rounds: int = 3) -> float:
    """The quickest of ``rounds`` calls, with the garbage collector paused:
    a full collection costs what the heap holds (the loaded tables), not
    what the call was given, and one landing in a large call alone would
    read as growth."""
    best = float("inf")
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - start)
    finally:
        if enabled:
            gc.enable()
    return best


def _growth(make: Callable[[int], Callable[[], object]], size: int) -> tuple[float, float]:
    """Time ratios of the call at 4x and 16x ``size`` to the call at ``size``
    (sizes interleaved, best of three)."""
    calls = [make(size), make(4 * size), make(16 * size)]
    times = [float("inf")] * 3
    for _ in range(3):
        for i, call in enumerate(calls):
            times[i] = min(times[i], _best(call, 1))
    base = max(times[0], 1e-5)  # a call too quick to time counts as 10 µs
    return times[1] / base, times[2] / base


def _assert_linear(make: Callable[[int], Callable[[], object]], size: int) -> None:
    at_4x, at_16x = _growth(make, size)
    assert at_16x < LINEAR_16X, f"16x the input took {at_16x:.0f}x the time (4x: {at_4x:.0f}x)"


@pytest.fixture(autouse=True, scope="module")
def _warm() -> None:
    geonorm.candidates("warm up", fuzzy=True, metonyms=True)
    geonorm.extract("warm up")
    geonorm.people.holder("Defence Minister", country="RU", on="2023-01-01")


# -- resolve and candidates: up to MAX_TEXT_LENGTH, linear -------------------

# Runs of the words each kind's fallbacks strip or rotate: "the" (articles,
# title words), legal forms, title and prefix words, commas and parentheses
# (inversions), Cyrillic legal forms, scripts the weapon key reads.
_RUNS = ["the ", "pjsc ", "president ", "russian ", "a. ", ", ", "(", "ооо ", "ё", "中", "mr ", "co., ", "s-"]


@pytest.mark.parametrize("run", _RUNS)
@pytest.mark.parametrize("call", ["resolve", "candidates"])
def test_resolve_is_linear(run: str, call: str) -> None:
    size = MAX_TEXT_LENGTH // 16
    function = getattr(geonorm, call)

    def make(n: int) -> Callable[[], object]:
        text = (run * (n // len(run) + 1))[:n]
        return lambda: function(text, fuzzy=True)

    _assert_linear(make, size)


def test_resolve_longest_input_is_quick() -> None:
    # "the " * 2500 was 1.4-1.9 s: every title word stripped, each remainder
    # re-keyed. Every kind, with and without fuzzy look-ups.
    for run in _RUNS:
        text = (run * MAX_TEXT_LENGTH)[:MAX_TEXT_LENGTH]
        for kind in (None, *geonorm.shipped.available_kinds()):
            took = _best(lambda: geonorm.candidates(text, kind, fuzzy=True), 2)  # noqa: B023
            assert took < 0.25, (run, kind, took)


def test_legal_form_stripping_is_linear() -> None:
    forms = frozenset({"pjsc", "company"})

    def make(n: int) -> Callable[[], object]:
        words = "pjsc " * n + "rosneft " + "company " * n
        return lambda: strip_forms(words, forms, 3)

    _assert_linear(make, 200)
    assert strip_forms("pjsc " * 50 + "rosneft oil " + "company " * 50, forms, 3) == "rosneft oil"


# -- holder ----------------------------------------------------------------


def test_holder_title_is_bounded() -> None:
    start = time.perf_counter()
    with pytest.raises(ValueError, match="at most 200 characters"):
        geonorm.people.holder("Defence Minister " * 8000)  # 128 KB: was 13 s
    assert time.perf_counter() - start < 0.1
    # The message quotes the title, cut short.
    with pytest.raises(ValueError) as caught:
        geonorm.people.holder("president of " * 100)
    assert len(str(caught.value)) < 200


def test_holder_is_linear_up_to_its_limit() -> None:
    def make(n: int) -> Callable[[], object]:
        title = ("russian " * n)[: n * 8 - 1]

        def call() -> None:
            with pytest.raises(ValueError):
                geonorm.people.holder(title)

        return call

    _assert_linear(make, MAX_TITLE_LENGTH // 8 // 16)


# -- extract: linear in the text ------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The won fell against the US dollar. ",  # a currency noun near other currencies: was quadratic
        "The rand and the won rose; the lira fell. ",
        "President Putin met Xi Jinping in Moscow. Putin said Xi agreed. ",  # surname back-references
        "ПАО «НК «Роснефть»» продала нефть Индии за рубли. ",
        "中美元首在北京会晤，讨论对台军售。",
        "S-400s, Su-57s and $5 billion of A-50 spares. ",
        # A long name that fails at its end: every shorter name inside it is read.
        "United States of Americas ",
        "Соединённые Штаты Америкиx ",
    ],
)
def test_extract_is_linear(sentence: str) -> None:
    def make(n: int) -> Callable[[], object]:
        text = sentence * n
        return lambda: geonorm.extract(text)

    _assert_linear(make, 250)


# -- run-time additions: each costs about what it adds ---------------------------


def _organisations(start: int, stop: int) -> list[dict[str, str]]:
    return [
        {"id": f"organisation:acme-{i}", "name": f"Acme Holdings Number {i}", "type": "company"}
        for i in range(start, stop)
    ]


def test_single_additions_do_not_slow_down() -> None:
    # 1,000 adds took 0.3 s and the next 4,000 took 29 s.
    reg = Registry()
    rows = _organisations(0, 4400)
    first = _best(lambda: [reg.add("organisation", **row) for row in rows[:200]], 1)
    reg.add_many("organisation", rows[200:4200])
    later = _best(lambda: [reg.add("organisation", **row) for row in rows[4200:]], 1)
    assert later < 4 * first + 0.05, (first, later)
    assert reg.resolve("Acme Holdings Number 4399").id == "organisation:acme-4399"
    assert reg.resolve("acme holdings number 17").id == "organisation:acme-17"


def test_add_alias_costs_the_same_in_a_large_registry() -> None:
    # One add_alias into a 100k-entry registry took 434 ms.
    small, large = Registry(), Registry()
    small.add_many("organisation", _organisations(0, 10))
    large.add_many("organisation", _organisations(0, 30_000))
    aliases = iter(f"Blighty {i}" for i in range(1000))
    in_small = _best(lambda: small.add_alias("country:GB", next(aliases)), 5)
    in_large = _best(lambda: large.add_alias("country:GB", next(aliases)), 5)
    assert in_large < 5 * in_small + 0.002, (in_small, in_large)
    assert large.resolve("Blighty 9", kind="country") is not None
    assert [m.entity.id for m in large.extract("Acme Holdings Number 29999 left Blighty 7.")] == [
        "organisation:acme-29999",
        "country:GB",
    ]


def test_add_many_is_all_or_nothing() -> None:
    reg = Registry()
    rows = [*_organisations(0, 3), {"id": "organisation:bad", "name": "Bad", "type": "no such type"}]
    with pytest.raises(geonorm.TableError):
        reg.add_many("organisation", rows)
    assert reg.get("organisation:acme-0") is None
    with pytest.raises(TypeError):
        reg.add_many("organisation", {"id": "organisation:x"})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        reg.add_many("organisation", ["organisation:x"])  # type: ignore[list-item]
    assert reg.add_many("organisation", []) == []


def test_additions_keep_older_versions_intact() -> None:
    # A reader holding the registry's state before an addition sees none of it.
    reg = Registry()
    reg.add_many("organisation", _organisations(0, 100))
    before = reg._ov
    reg.add_many("organisation", _organisations(100, 400))
    reg.add_alias("organisation:acme-5", "Acme Five")
    assert "organisation:acme-150" not in before.entities
    assert "organisation:acme-150" in reg._ov.entities
    assert "Acme Five" not in before.entities["organisation:acme-5"].aliases
    assert "Acme Five" in reg._ov.entities["organisation:acme-5"].aliases
    assert len(list(reg.organisations)) == len(list(geonorm.organisations)) + 400


# -- caches: bounded whatever the options and input -----------------------------


def test_extract_decisions_do_not_grow_with_options() -> None:
    # Keyed by option combinations, the table grew to 6.48M entries (+762 MB)
    # under the 64 combinations of kinds and metonyms.
    m = matcher_module.matcher()
    text = "Russian S-400s, the rupee and President Putin; Rosneft sold oil to India for yuan. " * 3
    kinds = sorted(geonorm.shipped.available_kinds())
    combos = [{k for i, k in enumerate(kinds) if mask >> i & 1} for mask in range(1, 2 ** len(kinds))]
    first = {(tuple(sorted(c)), met): geonorm.extract(text, kinds=c, metonyms=met) for c in combos for met in (0, 1)}
    assert len(m._decisions) == 2
    assert all(len(table) <= len(m.entries.lengths) for table in m._decisions)
    # The answers do not depend on the order the options came in.
    for (c, met), found in reversed(list(first.items())):
        assert geonorm.extract(text, kinds=set(c), metonyms=bool(met)) == found
    assert {m.entity.kind for m in first[(("country",), 0)]} == {"country"}


def test_no_kinds_reads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("scanned")

    monkeypatch.setattr(mentions_module, "_Scan", fail)
    assert geonorm.extract("India and Pakistan", kinds=set()) == []


def test_fold_table_is_bounded() -> None:
    # Once every code point had been seen, the table held +99 MB.
    for start in range(0, 0x30000, 0x4000):
        chunk = "".join(chr(cp) for cp in range(start, start + 0x4000) if not 0xD800 <= cp <= 0xDFFF)
        fold(chunk)
    assert len(_TABLE) <= FOLD_TABLE_SIZE
    # Past the bound, characters still fold.
    assert fold("Ｉｎｄｉａ") == "India"
    assert fold("\U0001d400") == "A"


def test_rows_that_share_a_key_or_an_entity_cost_what_they_add() -> None:
    # Within one add_many, rows that share a name (legal forms fold away:
    # "Acme PJSC", "Acme LLC") or add names to one entity were quadratic.
    def shared(n: int) -> Callable[[], object]:
        rows = [
            {
                "id": f"organisation:m-{i}",
                "name": f"Ministry Number {i}",
                "type": "ministry",
                "weak_aliases": ["Ministry of Plenty"],
            }
            for i in range(n)
        ]
        return lambda: Registry().add_many("organisation", rows)

    def one_entity(n: int) -> Callable[[], object]:
        rows = [{"id": "organisation:nato", "aliases": [f"Nato Alias {i}"]} for i in range(n)]
        return lambda: Registry().add_many("organisation", rows)

    _assert_linear(shared, 250)
    _assert_linear(one_entity, 250)
    reg = Registry()
    reg.add_many("organisation", [{"id": "organisation:nato", "aliases": [f"Nato Alias {i}"]} for i in range(50)])
    assert reg.resolve("nato alias 49").id == "organisation:nato"
    assert len(reg.get("organisation:nato").aliases) == len(geonorm.get("organisation:nato").aliases) + 50


def test_messages_about_additions_stay_short() -> None:
    huge = "organisation:" + "x" * 100_000
    with pytest.raises(KeyError) as missing:
        Registry().add_alias(huge, "y")
    assert len(str(missing.value)) < 200
    with pytest.raises(geonorm.TableError) as bad:
        Registry().add_many("organisation", [{"id": huge, "aliases": ["y"]}])
    assert len(str(bad.value)) < 400
    with pytest.raises(TypeError, match="kind"):
        Registry().add(None, id="organisation:x", name="X", type="company")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="kind"):
        Registry().add_many(None, [])  # type: ignore[arg-type]
