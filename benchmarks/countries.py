"""Country resolution: geonorm against countrynames, rigour, country_converter
and pycountry, on the same inputs, in one run.

Measures, for each library:

* accuracy on the data-driven cases in ``tests/cases/countries.tsv`` (the
  cases with no options; the ``fuzzy`` cases again with each library's fuzzy
  mode where it has one). A case that expects no country counts as right only
  when the library returns nothing;
* throughput: strings per second on distinct strings no cache has seen
  (case, spacing and punctuation variants of the case texts, each string
  given to each library once);
* start: a new Python process that imports the library and resolves one name,
  wall time, median of several runs.

Run: ``python -m pip install -e '.[bench]' && python benchmarks/countries.py``.
Writes ``benchmarks/results/countries.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import random
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import interpreter  # noqa: E402
from tests.casefile import read_cases  # noqa: E402

Resolver = Callable[[str], "str | None"]

# Dissolved states: any of their ISO 3166-3 codes counts as right.
HISTORIC = {
    "country:SUHH": {"SUHH", "SU", "SUN"},
    "country:YUCS": {"YUCS", "YU", "YUG"},
    "country:CSHH": {"CSHH", "CS", "CSK"},
    "country:DDDE": {"DDDE", "DD", "DDR"},
    "country:CSXX": {"CSXX", "CS", "SCG"},
    "country:ANHH": {"ANHH", "AN", "ANT"},
    "country:YDYE": {"YDYE", "YD", "YMD"},
    "country:VDVN": {"VDVN", "VD", "VDR"},
}


def geonorm_resolver(fuzzy: bool) -> Resolver:
    import geonorm

    def run(text: str) -> str | None:
        c = geonorm.resolve(text, kind="country", fuzzy=fuzzy)
        return None if c is None else c.id.split(":")[1]

    return run


def countrynames_resolver(fuzzy: bool) -> Resolver:
    import countrynames

    def run(text: str) -> str | None:
        code = countrynames.to_code(text, fuzzy=fuzzy)
        return code.upper() if code else None

    return run


def rigour_resolver(fuzzy: bool) -> Resolver:
    from rigour.territories import lookup_territory

    def run(text: str) -> str | None:
        t = lookup_territory(text, fuzzy=fuzzy)
        return t.code.upper() if t is not None else None

    return run


def coco_resolver(fuzzy: bool) -> Resolver:
    import country_converter as coco

    logging.getLogger("country_converter").setLevel(logging.CRITICAL)
    converter = coco.CountryConverter()

    def run(text: str) -> str | None:
        out = converter.convert(text, to="ISO2", not_found="<none>")
        return out if isinstance(out, str) and out != "<none>" else None

    return run


def pycountry_resolver(fuzzy: bool) -> Resolver:
    import pycountry

    def run(text: str) -> str | None:
        try:
            if fuzzy:
                return str(pycountry.countries.search_fuzzy(text)[0].alpha_2)
            return str(pycountry.countries.lookup(text).alpha_2)
        except LookupError:
            return None

    return run


LIBRARIES: dict[str, tuple[Callable[[bool], Resolver], str, bool]] = {
    # name: (factory, start-up snippet, has a fuzzy mode)
    "geonorm": (geonorm_resolver, "import geonorm; geonorm.resolve('India', kind='country')", True),
    "countrynames": (countrynames_resolver, "import countrynames; countrynames.to_code('India')", True),
    "rigour": (rigour_resolver, "from rigour.territories import lookup_territory; lookup_territory('India')", True),
    "country_converter": (
        coco_resolver,
        "import country_converter as coco; coco.CountryConverter().convert('India', to='ISO2')",
        False,
    ),
    "pycountry": (pycountry_resolver, "import pycountry; pycountry.countries.lookup('India')", True),
}


def is_right(expected: str | None, got: str | None) -> bool:
    if expected is None:
        return got is None
    if expected in HISTORIC:
        return got in HISTORIC[expected]
    return got == expected.split(":")[1]


def accuracy(resolver: Resolver, cases: list[tuple[str, str | None]]) -> float:
    right = 0
    for text, expected in cases:
        try:
            got = resolver(text)
        except Exception:  # a crash on an input counts as a wrong answer
            got = "<error>"
        right += is_right(expected, got)
    return right / len(cases)


def variants(texts: list[str], n: int, seed: int) -> list[str]:
    """``n`` distinct strings: case, spacing and punctuation variants."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    decorations = ["{}", " {} ", "{}.", "the {}", "{} ", "({})", "{},", '"{}"']
    while len(out) < n:
        t = rng.choice(texts)
        chars = [c.upper() if rng.random() < 0.3 else c.lower() if rng.random() < 0.3 else c for c in t]
        s = rng.choice(decorations).format("".join(chars)) + " " * rng.randrange(3)
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def throughput(resolver: Resolver, strings: list[str]) -> float:
    start = time.perf_counter()
    for s in strings:
        with contextlib.suppress(Exception):
            resolver(s)
    return len(strings) / (time.perf_counter() - start)


def startup(snippet: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", snippet], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    warnings.simplefilter("ignore")
    cases = read_cases("countries.tsv")
    plain = [(c.text, c.expected) for c in cases if not c.options]
    fuzzy = [(c.text, c.expected) for c in cases if set(c.options) == {"fuzzy"}]
    texts = sorted({c.text for c in cases})
    baseline = startup("pass")
    results: dict[str, dict[str, float | None]] = {}
    for name, (factory, snippet, has_fuzzy) in LIBRARIES.items():
        resolver = factory(False)
        resolver("India")  # load data before timing
        row: dict[str, float | None] = {
            "accuracy": accuracy(resolver, plain),
            "fuzzy_accuracy": accuracy(factory(True), fuzzy) if has_fuzzy else None,
        }
        # Slow libraries get fewer strings; the rate is per second either way.
        n = 2_000 if name in ("country_converter", "countrynames") else 20_000
        rates = [throughput(resolver, variants(texts, n, seed)) for seed in (1, 2, 3)]
        row["strings_per_second"] = statistics.median(rates)
        row["start_seconds"] = startup(snippet)
        results[name] = row
        print(f"measured {name}", file=sys.stderr)
    meta = {
        **interpreter(),
        "plain_cases": len(plain),
        "fuzzy_cases": len(fuzzy),
        "python_start_seconds": baseline,
    }
    out = ROOT / "benchmarks" / "results" / "countries.json"
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2, sort_keys=True) + "\n")

    print(f"Countries: {len(plain)} cases without options, {len(fuzzy)} typo cases, Python {meta['python']}")
    print(f"(a bare `python -c pass` takes {baseline:.3f} s)\n")
    print(
        "| library | accuracy | typo accuracy (fuzzy mode) | strings/s (distinct, uncached) | start + first resolve |"
    )
    print("| --- | --- | --- | --- | --- |")
    for name, row in results.items():
        fz = row["fuzzy_accuracy"]
        print(
            f"| {name} | {row['accuracy']:.1%} | {'n/a' if fz is None else f'{fz:.1%}'} | "
            f"{row['strings_per_second']:,.0f} | {row['start_seconds']:.3f} s |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
