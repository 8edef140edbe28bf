"""Scale: a user table of synthetic people and organisations (1,000,000 by
default) added to a registry, then looked up and found in text, beside
flashtext2 on the same names in the same run.

The names are made of invented syllables (no real name among them), one
entity each: half people ("Talovin Barasek"), half organisations ("Korvan
Meridex Holdings"). They are added with ``Registry.add_many`` (a loaded
table is limited to 20 MiB a file). Measured:

* **add**: seconds to add them all, and the resident set it costs;
* **resolve**: distinct strings per second (every name once, as written and
  in capitals), ``kind=None`` and ``kind="person"``, best of the rounds;
* **extract**: the first ``Registry.extract`` after the additions (it
  builds the matcher for them), then MB/s on a text of news-like sentences
  that name them, beside flashtext2 given the same names (its build time
  and speed), best of the rounds.

Issue 13's targets for 1,000,000: loads in under 5 s, costs under 400 MB,
resolves at least 150k strings/s, extracts at least 0.3x flashtext2.

Run: ``python benchmarks/scale.py [--n 1000000] [--rounds 3]``. Writes
``benchmarks/results/scale.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geonorm  # noqa: E402

_ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kr", "st", "tr", "vl"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ei", "ou"]
_CODAS = ["", "n", "r", "s", "l", "k", "x", "m"]
_ORG_WORDS = ["Holdings", "Industries", "Group", "Systems", "Energy", "Logistics", "Trading", "Partners"]


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)).title()


def synthetic(n: int, seed: int = 13) -> list[tuple[str, dict[str, object]]]:
    """``n`` distinct (kind, entry) pairs: half people, half organisations."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[tuple[str, dict[str, object]]] = []
    while len(out) < n:
        person = len(out) % 2 == 0
        if person:
            name = f"{_word(rng, 2)} {_word(rng, 3)}"
        else:
            name = f"{_word(rng, 2)} {_word(rng, 2)} {rng.choice(_ORG_WORDS)}"
        low = name.lower()
        if low in seen or geonorm.resolve(name) is not None:
            continue
        seen.add(low)
        i = len(out)
        if person:
            out.append(("person", {"id": f"person:synthetic-{i}", "name": name}))
        else:
            out.append(("organisation", {"id": f"organisation:synthetic-{i}", "name": name, "type": "company"}))
    return out


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def news(names: list[str], megabytes: float, seed: int = 5) -> str:
    """Sentences of news shape that name the entities, about ``megabytes`` long."""
    rng = random.Random(seed)
    shapes = [
        "{a} met {b} in Geneva on Tuesday to discuss the arms deal.",
        "Shares of {a} fell 3% after {b} said the sanctions would hold.",
        "MOSCOW (Reuters) - {a} signed a supply contract with {b}, officials said.",
        "In a statement, {a} denied any link to {b}.",
    ]
    parts: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        s = rng.choice(shapes).format(a=rng.choice(names), b=rng.choice(names))
        parts.append(s)
        size += len(s) + 1
    return " ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--megabytes", type=float, default=2.0)
    args = parser.parse_args()
    geonorm.resolve("India")
    geonorm.extract("India")  # the shipped tables and matcher, before the baseline
    rows = synthetic(args.n)
    names = [str(entry["name"]) for _, entry in rows]
    gc.collect()
    base = rss_mb()
    mine = geonorm.Registry()
    start = time.perf_counter()
    for kind in ("person", "organisation"):
        mine.add_many(kind, (entry for k, entry in rows if k == kind))
    add_seconds = time.perf_counter() - start
    gc.collect()
    add_mb = rss_mb() - base
    strings = names + [n.upper() for n in names]
    resolve_rates: dict[str, float] = {"kind=None": 0.0, 'kind="person"': 0.0}
    people = [n for (k, _), n in zip(rows, names, strict=True) if k == "person"]
    for _ in range(args.rounds):
        t = time.perf_counter()
        for s in strings:
            mine.resolve(s)
        resolve_rates["kind=None"] = max(resolve_rates["kind=None"], len(strings) / (time.perf_counter() - t))
        t = time.perf_counter()
        for s in people:
            mine.resolve(s, kind="person")
        resolve_rates['kind="person"'] = max(resolve_rates['kind="person"'], len(people) / (time.perf_counter() - t))
    right = sum(mine.resolve(s) is not None and mine.resolve(s).name == s for s in names[:10_000])  # type: ignore[union-attr]
    text = news(names, args.megabytes)
    megabytes = len(text.encode("utf-8")) / 1_000_000
    t = time.perf_counter()
    mine.extract("Nothing here.")
    matcher_seconds = time.perf_counter() - t
    gc.collect()
    matcher_mb = rss_mb() - base - add_mb
    from flashtext2 import KeywordProcessor

    t = time.perf_counter()
    kp = KeywordProcessor(case_sensitive=False)
    for name in names:
        kp.add_keyword(name, name)
    flashtext2_build = time.perf_counter() - t
    ours = theirs = 0.0
    found = found_theirs = 0
    for _ in range(args.rounds):
        t = time.perf_counter()
        found = len(mine.extract(text))
        ours = max(ours, megabytes / (time.perf_counter() - t))
        t = time.perf_counter()
        found_theirs = len(kp.extract_keywords_with_span(text))
        theirs = max(theirs, megabytes / (time.perf_counter() - t))
    results = {
        "geonorm": {
            "add_seconds": round(add_seconds, 2),
            "add_mb": round(add_mb, 1),
            "resolve_kind_none_per_second": round(resolve_rates["kind=None"]),
            "resolve_kind_person_per_second": round(resolve_rates['kind="person"']),
            "build_seconds": round(matcher_seconds, 2),
            "matcher_memory_mb": round(matcher_mb, 1),
            "mb_per_second": round(ours, 2),
            "mentions": found,
        },
        "flashtext2": {
            "build_seconds": round(flashtext2_build, 2),
            "mb_per_second": round(theirs, 2),
            "mentions": found_theirs,
        },
    }
    meta = {
        "python": sys.version.split()[0],
        "rounds": args.rounds,
        "entities": args.n,
        "megabytes": round(megabytes, 2),
        "resolved_right_of_10000": right,
    }
    out = ROOT / "benchmarks" / "results" / "scale.json"
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2, sort_keys=True) + "\n")
    print(f"Scale: {args.n:,} synthetic people and organisations, best of {args.rounds} rounds\n")
    print("| measure | value | target |")
    print("| --- | --- | --- |")
    print(f"| add_many | {add_seconds:.1f} s, {add_mb:,.0f} MB | under 5 s, under 400 MB |")
    for k, v in resolve_rates.items():
        print(f"| resolve({k}) | {v:,.0f} strings/s | at least 150,000 |")
    print(f"| first extract (matcher for the additions) | {matcher_seconds:.1f} s, {matcher_mb:,.0f} MB | |")
    print(
        f"| extract | {ours:.2f} MB/s ({found:,} mentions) vs flashtext2 {theirs:.2f} MB/s: {ours / theirs:.2f}x "
        f"| at least 0.3x |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
