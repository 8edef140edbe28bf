"""Memory: what loading geonorm's tables costs, step by step, and whether
repeated calls grow it.

Two fresh child processes take the steps in two orders: resolution first
(every kind's table, then the extract matcher, the fuzzy indexes, repeated
calls on English text in ASCII, a name beyond ASCII resolved with every
kind, then the automata that texts with Latin letters beyond ASCII and in
other scripts build), and extraction first (a
pipeline that only extracts loads no resolution keys). Each reports its resident set (VmRSS) after each step;
the tables show the growth over a bare interpreter.

Run: ``python benchmarks/memory.py``. Writes ``benchmarks/results/memory.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))

from benchmarks.machine import interpreter  # noqa: E402

# What both children do first: measure, import geonorm, measure.
_PRELUDE = r"""
import json, sys
def rss():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
steps = [("python", rss())]
import geonorm
steps.append(("import geonorm", rss()))
"""

_CHILD = (
    _PRELUDE
    + r"""
for kind in geonorm.shipped.available_kinds():
    geonorm.resolve("India", kind=kind)
    geonorm.resolve("V. Putin", kind=kind)  # a fallback too (the people's builds their surname index)
    steps.append((f"+ {kind} table", rss()))
geonorm.resolve("India")
steps.append(("+ every kind at once (resolve's decisions)", rss()))
geonorm.extract("India")
steps.append(("+ extract matcher", rss()))
geonorm.candidates("Phillipines", fuzzy=True)
steps.append(("+ fuzzy indexes", rss()))
text = "Indian Prime Minister Narendra Modi met Vladimir Putin; Rosneft paid $5bn for S-400s. " * 2000
for _ in range(3):
    geonorm.extract(text)
steps.append(("after 3 extract calls on 180 kB", rss()))
for i in range(100):
    geonorm.extract(text)
    geonorm.resolve(f"India {i}")
steps.append(("after 100 more calls", rss()))
geonorm.resolve("Индия")
steps.append(("+ a resolve beyond ASCII (the flags of those keys)", rss()))
geonorm.extract("Erdoğan met Lula in São Paulo; Türkiye and Brazil signed.")
steps.append(("+ a text with Latin letters beyond ASCII", rss()))
geonorm.extract("Путин и Моди; 中美关系; Ελλάδα")
steps.append(("+ texts in Cyrillic, Chinese and Greek", rss()))
print(json.dumps(steps))
"""
)

_EXTRACT_FIRST = (
    _PRELUDE
    + r"""
geonorm.extract("Indian Prime Minister Narendra Modi met Vladimir Putin; Rosneft paid $5bn for S-400s.")
steps.append(("+ first extract (entities and matcher)", rss()))
text = "Indian Prime Minister Narendra Modi met Vladimir Putin; Rosneft paid $5bn for S-400s. " * 2000
for _ in range(3):
    geonorm.extract(text)
steps.append(("after 3 extract calls on 180 kB", rss()))
geonorm.resolve("India")
steps.append(("+ first resolve (every kind's keys)", rss()))
print(json.dumps(steps))
"""
)


def main() -> int:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    orders = {"resolution first": _CHILD, "extraction first": _EXTRACT_FIRST}
    growth: dict[str, dict[str, float]] = {}
    base = 0.0
    for order, child in orders.items():
        out = subprocess.run([sys.executable, "-c", child], check=True, capture_output=True, text=True).stdout
        steps = json.loads(out.strip().splitlines()[-1])
        base = steps[0][1]
        growth[order] = {name: round(mb - base, 1) for name, mb in steps}
    (ROOT / "benchmarks" / "results" / "memory.json").write_text(
        json.dumps({"meta": {**interpreter(), "baseline_mb": base}, "growth_mb": growth}, indent=2) + "\n"
    )
    print(f"Memory over a bare Python {sys.version.split()[0]} ({base:.0f} MB resident):")
    for order, steps_mb in growth.items():
        print(f"\n{order}:\n")
        print("| step | resident set growth (MB) |")
        print("| --- | --- |")
        for name, mb in steps_mb.items():
            print(f"| {name} | {mb:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
