"""Who held an office: ``people.holder()`` per call, warm, on the holder test
cases (``tests/cases/holders_*.tsv``), and on a registry with 100 times the
shipped roles, to show the cost does not grow with the tables (the office
index answers from the roles of one office and seat, not a scan).

None of geonorm's peers answers who held an office, so geonorm runs alone.
Each figure is the best of ``--rounds`` passes over all the cases (the
machine is shared and its speed drifts). Questions past a table's as-of
date warn (``StaleDataWarning``); the warning is filtered here, as a
pipeline that has checked the date would, and its cost is counted.

Run: ``python benchmarks/holders.py [--rounds 7]``. Writes
``benchmarks/results/holders.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geonorm  # noqa: E402
from benchmarks.machine import interpreter  # noqa: E402
from geonorm import Registry  # noqa: E402
from tests.casefile import read_holder_cases  # noqa: E402

_FILES = tuple(sorted(p.name for p in (ROOT / "tests" / "cases").glob("holders_*.tsv")))


def cases() -> list[tuple[str, str | None, str]]:
    """(office, country or None, day) of every holder case."""
    return [(c.office, c.country, c.day) for f in _FILES for c in read_holder_cases(f)]


def grown(times: int) -> Registry:
    """A registry with the shipped people and ``times`` - 1 synthetic holders
    of every shipped single-seat role, in made-up seats of their own (so the
    answers for the real seats stay the same)."""
    people = list(geonorm.entities("person"))
    rows: list[dict[str, object]] = []
    n = 0
    for copy in range(1, times):
        for person in people:
            for role in person.roles:
                if role.start is None or role.organisation is not None or role.country is None:
                    continue
                n += 1
                rows.append(
                    {
                        "id": f"person:synthetic-{n}",
                        "name": f"Synthetic Holder {n}",
                        "roles": [
                            {
                                "office": role.office,
                                "title": role.title,
                                "organisation": f"organisation:synthetic-{copy}",
                                "start": role.start.isoformat(),
                            }
                        ],
                    }
                )
    orgs = [
        {"id": f"organisation:synthetic-{copy}", "name": f"Synthetic Organisation {copy}", "type": "government_body"}
        for copy in range(1, times)
    ]
    registry = Registry()
    registry.add_many("organisation", orgs)
    registry.add_many("person", rows)
    return registry


def per_call(registry: Registry, todo: list[tuple[str, str | None, str]], rounds: int) -> float:
    """Best microseconds per holder() call over ``rounds`` passes."""
    people = registry.people
    best = float("inf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", geonorm.StaleDataWarning)
        for office, country, day in todo:  # warm: tables and the office index
            people.holder(office, country=country, on=day)
        for _ in range(rounds):
            start = time.perf_counter()
            for office, country, day in todo:
                people.holder(office, country=country, on=day)
            best = min(best, (time.perf_counter() - start) / len(todo))
    return best * 1e6


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--times", type=int, default=100, help="how many times the shipped roles to grow to")
    args = parser.parse_args()
    todo = cases()
    big = grown(args.times)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", geonorm.StaleDataWarning)
        for office, country, day in todo:  # the same work: the same answers
            small_answer = geonorm.people.holder(office, country=country, on=day)
            assert big.people.holder(office, country=country, on=day) == small_answer, (office, country, day)
    roles = sum(len(p.roles) for p in big.entities("person"))
    results = {
        "shipped tables": {"holder_microseconds": per_call(geonorm.default_registry, todo, args.rounds)},
        f"{args.times}x the roles": {"holder_microseconds": per_call(big, todo, args.rounds)},
    }
    meta = {"cases": len(todo), "rounds": args.rounds, "roles_grown": roles, **interpreter()}
    out = ROOT / "benchmarks" / "results" / "holders.json"
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2, sort_keys=True) + "\n")
    print(f"\n{len(todo)} holder cases, best of {args.rounds} rounds ({roles:,} roles in the grown registry):\n")
    print("| tables | µs per holder() |")
    print("| --- | --- |")
    for name, r in results.items():
        print(f"| {name} | {r['holder_microseconds']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
