"""Mention extraction: geonorm.extract against flashtext (pure Python),
flashtext2 (Rust), raw pyahocorasick and raw ahocorasick-rs automata (C,
Rust; lower-cased aliases and text, leftmost-longest matches, a word
boundary check per hit) and spaCy's PhraseMatcher, all loaded with the same
aliases, on the same news-like text, in one run.

Each library runs in its own child process so that memory is measured
apart: the resident-set growth from building the matcher, and the peak
resident set while scanning. A child scans the whole text twice and keeps its
best scan (geonorm's first scan also fills its per-pattern decisions); the
libraries take turns over several rounds and each keeps its best round.
Reported: build seconds, MB/s over the text, the time of one call on a
short sentence (warm), memory, and the number of mentions found (the others
apply none of geonorm's rules, so their counts include what geonorm rejects
on purpose).

A second input is the annotated multilingual news corpus
(``tests/cases/extract_multilingual/``, 18 languages), repeated to about
1 MB. With ``--baseline DIR`` (a checkout of an earlier geonorm, such as the
0.1 release, commit f276c6c: ``git worktree add DIR f276c6c``), that version
runs in the same rounds as "geonorm (baseline)", so a change's cost in speed
is measured side by side.

Run: ``python -m pip install -e '.[bench]' && python benchmarks/extract.py [--mb 5] [--baseline DIR]``.
Writes ``benchmarks/results/extract.json`` (news-like English text) and
``benchmarks/results/extract_multilingual.json``, and prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # after PYTHONPATH: a --baseline child imports that geonorm

from benchmarks.machine import interpreter  # noqa: E402

_FILLER = [
    "the",
    "officials",
    "said",
    "on",
    "Monday",
    "that",
    "talks",
    "would",
    "continue",
    "next",
    "week",
    "after",
    "a",
    "meeting",
    "in",
    "which",
    "both",
    "sides",
    "discussed",
    "supplies",
    "prices",
    "and",
    "a",
    "new",
    "agreement",
    "while",
    "analysts",
    "expected",
    "further",
    "delays",
    "and",
    "a",
    "response",
    "from",
    "markets",
    "was",
    "muted",
    "as",
    "investors",
    "waited",
    "for",
    "more",
    "details",
    "about",
    "the",
    "plan",
    "and",
    "its",
    "costs",
]
_TEMPLATES = [
    "{person} said {country} would buy the {weapon} from {org} in a deal worth {amount}.",
    "{demonym} exports to {country} rose as trade reached {amount}, paid partly in {currency}.",
    "{org} and {org2} signed an agreement in {capital} on {weapon} deliveries, {person} told reporters.",
    "Speaking to {agency}, {person} said sanctions on {demonym} oil had not hurt {org}.",
    "The {currency} slipped against the {currency2} after {country} announced new tariffs.",
]


def _pick(rng: random.Random, kind: str, pool: dict[str, list[str]]) -> str:
    return rng.choice(pool[kind])


def news_text(megabytes: float, seed: int = 7) -> str:
    """Deterministic news-like text built from the tables' own names."""
    import geonorm

    pool: dict[str, list[str]] = {
        "person": [p.name for p in geonorm.people][:600],
        "country": [c.name for c in geonorm.countries if not c.historic],
        "weapon": [w.name for w in geonorm.weapons][:500],
        "org": [o.name for o in geonorm.organisations][:800],
        "agency": ["Reuters", "TASS", "PTI", "AFP", "Xinhua"],
        "demonym": ["Russian", "Indian", "Chinese", "American", "Iranian", "Turkish", "Saudi", "German"],
        "capital": ["Moscow", "New Delhi", "Beijing", "Washington", "Tehran", "Ankara", "Riyadh", "Berlin"],
        "currency": ["rupees", "roubles", "yuan", "dollars", "euros", "dirhams"],
    }
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    while size < target:
        t = rng.choice(_TEMPLATES)
        sentence = t.format(
            person=_pick(rng, "person", pool),
            country=_pick(rng, "country", pool),
            weapon=_pick(rng, "weapon", pool),
            org=_pick(rng, "org", pool),
            org2=_pick(rng, "org", pool),
            agency=_pick(rng, "agency", pool),
            demonym=_pick(rng, "demonym", pool),
            capital=_pick(rng, "capital", pool),
            currency=_pick(rng, "currency", pool),
            currency2=_pick(rng, "currency", pool),
            amount=rng.choice(["$", "€", "Rs "]) + f"{rng.randint(1, 900)}.{rng.randint(0, 9)} billion",
        )
        filler = " ".join(rng.choice(_FILLER) for _ in range(rng.randint(8, 30)))
        piece = f"{sentence} The {filler}.\n" if rng.random() < 0.2 else f"{sentence} The {filler}. "
        parts.append(piece)
        size += len(piece.encode("utf-8"))
    return "".join(parts)


def multilingual_text(megabytes: float = 1.0) -> str:
    """The multilingual corpus's articles, repeated to about ``megabytes``."""
    from extract_languages import load

    block = "\n\n".join(a.text for a in load()) + "\n\n"
    return block * max(1, round(megabytes * 1_000_000 / len(block.encode("utf-8"))))


def aliases() -> list[tuple[str, str]]:
    """The (alias, entity id) pairs geonorm's matcher reads text with."""
    from geonorm.extraction.matcher import matcher

    m = matcher()
    pairs = {(c.alias, c.entity.id) for pid in range(len(m.entries)) for c in m.entries[pid][1]}
    pairs |= {(c.alias, c.entity.id) for cands in m.symbols.values() for c in cands}
    return sorted(pairs)


#: The short sentence timed warm, one call at a time.
SENTENCE = "Indian Prime Minister Narendra Modi met Vladimir Putin in New Delhi to discuss S-400 deliveries."


def _bounded(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is whole words (what the raw automata
    are given to check, as every matcher here does)."""
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def peak_rss_mb() -> float:
    """The process's peak resident set (VmHWM; ru_maxrss would carry the
    parent's peak over the exec on Linux)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def run_one(name: str, text_path: str, alias_path: str) -> dict[str, float]:
    text = Path(text_path).read_text(encoding="utf-8")
    pairs = json.loads(Path(alias_path).read_text(encoding="utf-8"))
    base = rss_mb()
    start = time.perf_counter()
    if name in ("geonorm", "baseline"):
        import geonorm
        from geonorm.extraction.matcher import matcher

        if name == "baseline":
            # The checkout given, never the geonorm under test by mistake.
            assert Path(geonorm.__file__).is_relative_to(Path(os.environ["PYTHONPATH"]).resolve()), geonorm.__file__

        matcher()

        def scan(t: str) -> int:
            return len(geonorm.extract(t))

    elif name == "flashtext":
        from flashtext import KeywordProcessor

        kp = KeywordProcessor(case_sensitive=False)
        for alias, eid in pairs:
            kp.add_keyword(alias, eid)

        def scan(t: str) -> int:
            return len(kp.extract_keywords(t, span_info=True))

    elif name == "flashtext2":
        from flashtext2 import KeywordProcessor as KeywordProcessor2

        kp2 = KeywordProcessor2(case_sensitive=False)
        for alias, eid in pairs:
            kp2.add_keyword(alias, eid)

        def scan(t: str) -> int:
            return len(kp2.extract_keywords_with_span(t))

    elif name == "pyahocorasick":
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for alias, eid in pairs:
            low = alias.lower()
            automaton.add_word(low, (len(low), eid))
        automaton.make_automaton()

        def scan(t: str) -> int:
            low = t.lower()
            return sum(1 for end, (length, _) in automaton.iter_long(low) if _bounded(low, end - length + 1, end + 1))

    elif name == "ahocorasick-rs":
        import ahocorasick_rs

        lows = sorted({alias.lower() for alias, _ in pairs})
        ac = ahocorasick_rs.AhoCorasick(lows, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

        def scan(t: str) -> int:
            low = t.lower()
            return sum(1 for _, s, e in ac.find_matches_as_indexes(low) if _bounded(low, s, e))

    else:
        import spacy
        from spacy.matcher import PhraseMatcher

        nlp = spacy.blank("en")
        pm = PhraseMatcher(nlp.vocab, attr="LOWER")
        docs = list(nlp.tokenizer.pipe(a for a, _ in pairs))
        for (_, eid), doc in zip(pairs, docs, strict=True):
            pm.add(eid, [doc])
        nlp.max_length = len(text) + 1

        def scan(t: str) -> int:
            found = 0
            for para in t.split("\n"):
                found += len(pm(nlp.make_doc(para)))
            return found

    build = time.perf_counter() - start
    built = rss_mb()
    # Best of two scans, for every library alike.
    elapsed = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        found = scan(text)
        elapsed = min(elapsed, time.perf_counter() - start)
    peak = peak_rss_mb()
    # A short sentence, warm: best of five runs of 2,000 calls.
    per_call = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(2000):
            scan(SENTENCE)
        per_call = min(per_call, (time.perf_counter() - start) / 2000)
    return {
        "sentence_microseconds": per_call * 1e6,
        "build_seconds": build,
        "mb_per_second": len(text.encode("utf-8")) / 1_000_000 / elapsed,
        "scan_seconds": elapsed,
        "matcher_memory_mb": built - base,
        "peak_rss_mb": peak,
        "mentions": found,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="a checkout of an earlier geonorm to measure side by side")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--text", help=argparse.SUPPRESS)
    parser.add_argument("--aliases", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.text, args.aliases)))
        return 0
    if args.baseline and not (Path(args.baseline) / "geonorm" / "__init__.py").is_file():
        parser.error(f"--baseline {args.baseline}: no geonorm package there")
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    alias_path = out_dir / "extract-aliases.tmp"
    pairs = aliases()
    alias_path.write_text(json.dumps(pairs), encoding="utf-8")
    inputs = {
        "extract": (
            news_text(args.mb),
            ("geonorm", "flashtext", "flashtext2", "pyahocorasick", "ahocorasick-rs", "spacy PhraseMatcher"),
        ),
        "extract_multilingual": (multilingual_text(1.0), ("geonorm", "flashtext", "flashtext2", "ahocorasick-rs")),
    }
    for stem, (text, libraries) in inputs.items():
        names = (libraries[0], "geonorm (baseline)", *libraries[1:]) if args.baseline else libraries
        text_path = out_dir / f"{stem}-text.tmp"
        text_path.write_text(text, encoding="utf-8")
        results = _rounds(names, text_path, alias_path, args.rounds, args.baseline)
        text_path.unlink()
        meta = {
            "megabytes": len(text.encode("utf-8")) / 1_000_000,
            "aliases": len(pairs),
            **interpreter(),
            "rounds": args.rounds,
        }
        if args.baseline:
            meta["baseline"] = "geonorm 0.1"
        (out_dir / f"{stem}.json").write_text(
            json.dumps({"meta": meta, "results": results}, indent=2, sort_keys=True) + "\n"
        )
        kind = "news-like English text" if stem == "extract" else "the multilingual corpus"
        print(f"\n{stem}: {meta['megabytes']:.1f} MB of {kind}, {meta['aliases']:,} aliases, Python {meta['python']}\n")
        print("| library | MB/s | sentence (µs) | build (s) | matcher memory (MB) | peak RSS (MB) | mentions |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for name, r in results.items():
            print(
                f"| {name} | {r['mb_per_second']:.2f} | {r['sentence_microseconds']:.1f} | {r['build_seconds']:.1f} | "
                f"{r['matcher_memory_mb']:.0f} | {r['peak_rss_mb']:.0f} | {r['mentions']:,} |"
            )
    alias_path.unlink()
    return 0


def _rounds(
    names: tuple[str, ...], text_path: Path, alias_path: Path, rounds: int, baseline: str | None
) -> dict[str, dict[str, float]]:
    """Rounds interleave the libraries, and each keeps its best round: the
    speed of a shared machine drifts by more than the differences measured."""
    results: dict[str, dict[str, float]] = {}
    for round_ in range(rounds):
        for name in names:
            one = "baseline" if name == "geonorm (baseline)" else name.split()[0]
            command = [sys.executable, __file__, "--one", one, "--text", str(text_path), "--aliases", str(alias_path)]
            env = dict(os.environ)
            cwd = None
            if one == "baseline" and baseline:
                env["PYTHONPATH"] = str(Path(baseline).resolve())
                cwd = "/"
            out = subprocess.run(command, check=True, capture_output=True, text=True, env=env, cwd=cwd).stdout
            row = json.loads(out.strip().splitlines()[-1])
            if name not in results or row["mb_per_second"] > results[name]["mb_per_second"]:
                results[name] = row
            print(f"round {round_ + 1}: measured {name}", file=sys.stderr)
    return results


if __name__ == "__main__":
    sys.exit(main())
