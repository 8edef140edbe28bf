"""Time against input size: ``geonorm.extract`` on news-like text of 1.25,
5, 10 and 20 MB (8 and 16 times the text should cost about 8 and 16 times
the time; issue 13's bound is 8.5x for 8x), side by
side with flashtext (pure Python) loaded with the same aliases; and
``geonorm.resolve`` on the worst inputs we know for its fallbacks (runs of
title words, legal forms, commas, Cyrillic and CJK letters) at 625 and
10,000 characters (``MAX_TEXT_LENGTH``), and on 20 MB, which it refuses.

The libraries and sizes take turns over ``--rounds`` rounds and each keeps
its best time (the machine is shared and its speed drifts).

Run: ``python -m pip install -e '.[bench]' && python benchmarks/scaling.py [--rounds 3]``.
Writes ``benchmarks/results/scaling.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from extract import aliases, news_text  # noqa: E402
from machine import interpreter  # noqa: E402

import geonorm  # noqa: E402
from geonorm.registry import MAX_TEXT_LENGTH  # noqa: E402

SIZES_MB = (1.25, 5.0, 10.0, 20.0)
#: Inputs that make resolve's fallbacks work hardest (see tests/test_bounds.py).
RUNS = ("the ", "pjsc ", "president ", "russian ", "a. ", ", ", "(", "ооо ", "ё", "中", "mr ", "co., ", "s-")


def _timed(call: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _field(mb: float) -> str:
    return f"extract_seconds_{str(mb).replace('.', '_').removesuffix('_0')}mb"


def extract_times(rounds: int) -> dict[str, dict[str, float]]:
    texts = {mb: news_text(mb) for mb in SIZES_MB}
    libraries: dict[str, Callable[[str], object]] = {"geonorm": geonorm.extract}
    try:
        from flashtext import KeywordProcessor
    except ImportError:
        print("flashtext is not installed: geonorm runs alone", file=sys.stderr)
    else:
        processor = KeywordProcessor(case_sensitive=False)
        for alias, entity_id in aliases():
            processor.add_keyword(alias, entity_id)
        libraries["flashtext"] = processor.extract_keywords
    geonorm.extract(texts[SIZES_MB[0]])  # warm: the matcher and the per-pattern decisions
    best = {(lib, mb): float("inf") for lib in libraries for mb in SIZES_MB}
    for _ in range(rounds):
        for mb in SIZES_MB:
            for lib, run in libraries.items():
                took = _timed(lambda run=run, text=texts[mb]: run(text))  # type: ignore[misc]
                best[lib, mb] = min(best[lib, mb], took)
    out: dict[str, dict[str, float]] = {}
    for lib in libraries:
        row = {_field(mb): best[lib, mb] for mb in SIZES_MB}
        row["growth_8x"] = best[lib, 10.0] / best[lib, SIZES_MB[0]]
        row["growth_16x"] = best[lib, SIZES_MB[-1]] / best[lib, SIZES_MB[0]]
        row["mb_per_second"] = SIZES_MB[-1] / best[lib, SIZES_MB[-1]]
        out[lib] = row
    return out


def resolve_times(rounds: int) -> dict[str, float]:
    def text(run: str, n: int) -> str:
        return (run * (n // len(run) + 1))[:n]

    small, large = MAX_TEXT_LENGTH // 16, MAX_TEXT_LENGTH
    best: dict[tuple[str, int], float] = {}
    for _ in range(rounds):
        for run in RUNS:
            for n in (small, large):
                t = text(run, n)
                took = min(_timed(lambda t=t: geonorm.candidates(t, fuzzy=True)) for _ in range(3))  # type: ignore[misc]
                best[run, n] = min(best.get((run, n), float("inf")), took)
    huge = "India " * (20 * 1024 * 1024 // 6)
    refused = min(_timed(lambda: geonorm.resolve(huge)) for _ in range(rounds))
    return {
        "resolve_worst_ms": max(best[run, large] for run in RUNS) * 1000,
        "resolve_growth_16x": max(best[run, large] / best[run, small] for run in RUNS),
        "resolve_20mb_ms": refused * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results = extract_times(args.rounds)
    results["geonorm"].update(resolve_times(args.rounds))
    meta = {"rounds": args.rounds, "sizes_mb": list(SIZES_MB), **interpreter()}
    out = ROOT / "benchmarks" / "results" / "scaling.json"
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2, sort_keys=True) + "\n")
    fields = [_field(mb) for mb in SIZES_MB] + ["growth_8x", "growth_16x", "mb_per_second"]
    print(f"\nextract on news-like text, best of {args.rounds} rounds:\n")
    sizes = " | ".join(f"{mb} MB" for mb in SIZES_MB)
    print(f"| library | {sizes} | 8x the text | 16x the text | MB/s at 20 MB |")
    print("| --- " * (len(fields) + 1) + "|")
    for lib, row in results.items():
        cells = [f"{row[_field(mb)]:.2f} s" for mb in SIZES_MB] + [
            f"{row['growth_8x']:.1f}x the time",
            f"{row['growth_16x']:.1f}x the time",
            f"{row['mb_per_second']:.2f}",
        ]
        print(f"| {lib} | " + " | ".join(cells) + " |")
    g = results["geonorm"]
    print(
        f"\nresolve/candidates, worst input of {MAX_TEXT_LENGTH:,} characters: {g['resolve_worst_ms']:.1f} ms; "
        f"16x the input: at most {g['resolve_growth_16x']:.1f}x the time; 20 MB (refused): "
        f"{g['resolve_20mb_ms']:.3f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
