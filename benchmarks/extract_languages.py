"""geonorm.extract on the annotated multilingual news corpus, per language.

The corpus (``tests/cases/extract_multilingual/``) holds original news-style
articles in 18 languages, every mention of an entity in the tables annotated
by hand. A found mention is right when it names the annotated entity and
overlaps the annotated span (see ``tests/corpus.py``). With ``--baseline DIR``
(a checkout of an earlier geonorm, such as the 0.1 release) the same corpus is
scored with that version too, in a child process, for comparison.

Run: ``python benchmarks/extract_languages.py [--baseline DIR]``.
Writes ``benchmarks/results/extract_languages.json`` and prints a Markdown
table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # after PYTHONPATH: a --baseline child imports that geonorm


def _corpus_module():  # type: ignore[no-untyped-def]
    """``tests/corpus.py`` of this checkout, by path (a --baseline child may
    see another checkout's ``tests`` package first)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("geonorm_corpus", ROOT / "tests" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["geonorm_corpus"] = module
    spec.loader.exec_module(module)
    return module


_corpus = _corpus_module()
load, score = _corpus.load, _corpus.score


def _extractor(article):  # type: ignore[no-untyped-def]
    import geonorm

    return [(m.start, m.end, m.entity.id) for m in geonorm.extract(article.text, metonyms=article.metonyms)]


def scores() -> dict[str, dict[str, float]]:
    out = {}
    for lang, s in score(load(), _extractor).items():
        out[lang] = {"precision": s.precision, "recall": s.recall, "annotated": s.expected, "found": s.found}
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", help="a checkout of an earlier geonorm to score side by side")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(scores()))
        return 0
    results = {f"geonorm ({lang})": row for lang, row in sorted(scores().items())}
    meta = {"articles": len(load()), "python": sys.version.split()[0]}
    if args.baseline:
        env = {**os.environ, "PYTHONPATH": str(Path(args.baseline).resolve())}
        done = subprocess.run(
            [sys.executable, __file__, "--one"], env=env, check=True, capture_output=True, text=True, cwd="/"
        )
        base = json.loads(done.stdout.strip().splitlines()[-1])
        results["geonorm 0.1 (all)"] = base["all"]
        meta["baseline"] = "geonorm 0.1"
    out = ROOT / "benchmarks" / "results" / "extract_languages.json"
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"Multilingual corpus: {meta['articles']} articles, Python {meta['python']}\n")
    print("| language | precision | recall | annotated mentions | found |")
    print("| --- | --- | --- | --- | --- |")
    for name, r in results.items():
        print(f"| {name} | {r['precision']:.1%} | {r['recall']:.1%} | {r['annotated']:,.0f} | {r['found']:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
