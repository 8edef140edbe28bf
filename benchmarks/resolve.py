"""resolve throughput for every kind at once and for one kind, beside rigour
(countries), on distinct strings, in one run.

The strings are case, spacing and punctuation variants ("the X", "(X)",
"X,", quotes) of the texts of every resolution case file in ``tests/cases``
(countries, currencies, organisations, people, weapons). Each round draws
strings never drawn before, so that a library that caches its answers
(rigour does) is measured on strings it has not seen. Rounds are
interleaved (every measure once per round) and the best round counts: the
machines are shared and noisy.

Measures (strings per second):

* ``resolve(kind=None)`` and ``candidates(kind=None)`` on all strings;
* ``resolve(kind="country")`` on all strings, and on the country case texts
  and their variants beside ``rigour.territories.lookup_territory``;
* the share of strings the fast path decides (no fallback keys needed).

Issue 13's targets: kind=None at least 200k strings/s, kind="country" at
least 300k strings/s.

Run: ``python -m pip install -e '.[bench]' && python benchmarks/resolve.py``.
Writes ``benchmarks/results/resolve.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import interpreter  # noqa: E402
from tests.casefile import CASES, read_cases  # noqa: E402

ROUNDS = 5
VARIANTS = 20_000


def texts(prefix: str = "") -> list[str]:
    out: set[str] = set()
    for path in sorted(CASES.glob(f"{prefix}*.tsv")):
        if not path.name.startswith("holders"):
            out.update(case.text for case in read_cases(path.name))
    return sorted(out)


def variants(base: list[str], n: int, seed: int, seen: set[str]) -> list[str]:
    """``n`` strings not in ``seen`` (which they join)."""
    rng = random.Random(seed)
    decorations = ["{}", " {} ", "{}.", "the {}", "({})", "{},", '"{}"', "{} "]
    out: list[str] = []
    while len(out) < n:
        t = rng.choice(base)
        chars = [c.upper() if rng.random() < 0.3 else c.lower() if rng.random() < 0.3 else c for c in t]
        s = rng.choice(decorations).format("".join(chars))
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def rate(run: Callable[[str], object], strings: list[str]) -> float:
    start = time.perf_counter()
    for s in strings:
        run(s)
    return len(strings) / (time.perf_counter() - start)


def main() -> int:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    warnings.simplefilter("ignore")
    import geonorm
    from geonorm.resolution import _AVAILABLE, _decided

    everything = texts()
    countries = texts("countries")
    seen: set[str] = set()
    rounds = [
        (variants(everything, VARIANTS, 2 * r, seen), variants(countries, VARIANTS // 2, 2 * r + 1, seen))
        for r in range(ROUNDS)
    ]
    registry = geonorm.default_registry
    geonorm.resolve("India")
    geonorm.resolve("Индия")  # (the flags of the keys beyond ASCII: built once, before timing)
    for kind in _AVAILABLE:
        geonorm.resolve("India", kind=kind)  # load every kind before timing
    geonorm.candidates("India")
    # name: (run, which strings: 0 all kinds', 1 countries')
    measures: dict[str, tuple[Callable[[str], object], int]] = {
        "geonorm resolve(kind=None), all kinds' strings": (geonorm.resolve, 0),
        "geonorm candidates(kind=None), all kinds' strings": (geonorm.candidates, 0),
        'geonorm resolve(kind="country"), all kinds\' strings': (lambda s: geonorm.resolve(s, kind="country"), 0),
        'geonorm resolve(kind="country"), country strings': (lambda s: geonorm.resolve(s, kind="country"), 1),
    }
    try:
        from rigour.territories import lookup_territory

        lookup_territory("India")
        measures["rigour lookup_territory, country strings"] = (lookup_territory, 1)
    except ImportError:
        print("rigour is not installed: measured without it", file=sys.stderr)
    best: dict[str, float] = dict.fromkeys(measures, 0.0)
    for strings in rounds:
        for name, (run, which) in measures.items():
            best[name] = max(best[name], rate(run, strings[which]))
    mixed = rounds[0][0]
    country_strings = rounds[0][1]
    fast = sum(_decided(registry._fast_resolve(s, _AVAILABLE, False)) for s in mixed) / len(mixed)
    meta = {
        **interpreter(),
        "rounds": ROUNDS,
        "strings_all_kinds": len(mixed),
        "strings_countries": len(country_strings),
        "fast_path_share_kind_none": round(fast, 4),
    }
    out = ROOT / "benchmarks" / "results" / "resolve.json"
    results = {name: {"strings_per_second": round(value)} for name, value in best.items()}
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2, sort_keys=True) + "\n")
    print(
        f"resolve: {len(mixed):,} strings of all kinds and {len(country_strings):,} country strings "
        f"per round, best of {ROUNDS} rounds"
    )
    print(f"(the fast path decides {fast:.1%} of the strings with kind=None)\n")
    print("| measure | strings/s |")
    print("| --- | --- |")
    for name, value in best.items():
        print(f"| {name} | {value:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
