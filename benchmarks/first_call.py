"""First calls: how long a fresh process takes to its first answer, and what
it costs in memory, side by side with countrynames in the same run.

Each measurement is a whole fresh process (``python -c ...``), timed from
outside, start to exit, so interpreter start, imports and loading all
count. The processes take turns over several rounds (the machine is shared
and its speed drifts); each keeps its best round. The child also reports its
resident set growth over a bare interpreter (VmRSS) after the call.

- ``geonorm extract``: ``import geonorm; geonorm.extract(sentence)``
- ``geonorm resolve``: ``import geonorm; geonorm.resolve("India", kind="country")``
- ``geonorm extract + resolve``: both, every kind's keys loaded
- ``countrynames``: ``import countrynames; countrynames.to_code("India")``

Run: ``python -m pip install -e '.[bench]' && python benchmarks/first_call.py [--rounds 5]``.
Writes ``benchmarks/results/first_call.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))

from benchmarks.machine import interpreter  # noqa: E402

_RSS = """
def _rss():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
_base = _rss()
"""
_REPORT = "\nprint(_rss() - _base)\n"
_SENTENCE = "Indian Prime Minister Narendra Modi met Vladimir Putin in New Delhi to discuss S-400 deliveries."

SNIPPETS = {
    "geonorm extract": f"import geonorm\nassert geonorm.extract({_SENTENCE!r})",
    "geonorm resolve": "import geonorm\nassert geonorm.resolve('India', kind='country')",
    "geonorm extract + resolve": (
        f"import geonorm\nassert geonorm.extract({_SENTENCE!r})\nassert geonorm.resolve('India')"
    ),
    "countrynames": "import countrynames\nassert countrynames.to_code('India') == 'IN'",
    "python": "pass",
}


def run(snippet: str) -> tuple[float, float]:
    """Seconds from start to exit of a fresh process, and its memory growth."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _RSS + snippet + _REPORT], check=True, capture_output=True, text=True
    ).stdout
    return time.perf_counter() - start, float(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    best: dict[str, tuple[float, float]] = {}
    for round_ in range(args.rounds):
        for name, snippet in SNIPPETS.items():
            seconds, mb = run(snippet)
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, mb)
        print(f"round {round_ + 1} done", file=sys.stderr)
    reference = best["countrynames"][0]
    results = {
        name: {"seconds": s, "memory_mb": mb, "vs_countrynames": s / reference} for name, (s, mb) in best.items()
    }
    meta = {**interpreter(), "rounds": args.rounds, "sentence": _SENTENCE}
    out = ROOT / "benchmarks" / "results" / "first_call.json"
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2, sort_keys=True) + "\n")
    print(f"\nA fresh process to its first answer, best of {args.rounds} interleaved rounds:\n")
    print("| process | seconds | x countrynames | memory over a bare interpreter (MB) |")
    print("| --- | --- | --- | --- |")
    for name, r in results.items():
        print(f"| {name} | {r['seconds']:.2f} | {r['vs_countrynames']:.2f} | {r['memory_mb']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
