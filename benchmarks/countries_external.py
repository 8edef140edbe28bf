"""Country resolution on test sets other projects ship, scored against those
projects' own codes.

* country_converter's ``country_data.tsv``: every row's short and official
  English name, expected to give the row's ISO 3166-1 alpha-2 code;
* hdx-python-country's Countries & Territories Taxonomy (OCHA): the UN's
  names in its six official languages (UNTERM short and formal, M49) and the
  other English terms, expected to give the row's alpha-2 code.

Rows whose code is not an ISO 3166-1 alpha-2 code pycountry knows (or
Kosovo's XK) are left out, and so are names the two projects give to more
than one code (the exclusions are written to the results). A name counts as
right when ``geonorm.resolve(name, kind="country")`` gives the expected code,
as wrong when it gives another code, as missed when it gives None. Note that
geonorm's tables import the UN names from hdx-python-country
(``tools/import_un_names.py``), so that half of the set measures the import
and the tables' other names around it, not an unseen sample.

With ``--baseline DIR`` (a checkout of an earlier geonorm) the same set is
scored with that version in a child process.

Run: ``python -m pip install -e '.[bench]' && python -m pip install --no-deps hdx-python-country``,
then ``python benchmarks/countries_external.py [--baseline DIR]``. Writes
``benchmarks/results/countries_external.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
from collections import defaultdict
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # after PYTHONPATH: a --baseline child imports that geonorm

HDX_CSV = "Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"
HDX_COLUMNS = [
    "Preferred Term", "ISO Alt Term", "DGACM Alt Term", "English Short", "English Formal", "M49 English",
    "French Short", "M49 French", "Spanish Short", "M49 Spanish", "Russian Short", "M49 Russian",
    "Chinese Short", "M49 Chinese", "Arabic Short", "M49 Arabic",
]  # fmt: skip


def cases() -> tuple[list[tuple[str, str, str]], list[str]]:
    """``(source, name, expected alpha-2)`` and the exclusions."""
    import country_converter
    import pycountry

    known = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    raw: list[tuple[str, str, str]] = []
    coco = Path(country_converter.__file__).with_name("country_data.tsv")
    with coco.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            for column in ("name_short", "name_official"):
                raw.append(("country_converter", row[column].strip(), row["ISO2"].strip()))
    text = resources.files("hdx.location").joinpath(HDX_CSV).read_text(encoding="utf-8-sig")
    for row in csv.DictReader(io.StringIO(text)):
        for column in HDX_COLUMNS:
            raw.append(("hdx-python-country", " ".join(row.get(column, "").split()), row["ISO 3166-1 Alpha 2-Codes"]))
    codes_of: dict[str, set[str]] = defaultdict(set)
    for _, name, code in raw:
        if name:
            codes_of[name].add(code)
    out, excluded, seen = [], [], set()
    for source, name, code in raw:
        if not name or (name, code) in seen:
            continue
        seen.add((name, code))
        if code not in known:
            excluded.append(f"{source}: {name!r} ({code or 'no code'}): not an ISO 3166-1 code")
        elif len(codes_of[name]) > 1:
            excluded.append(f"{source}: {name!r}: given to {', '.join(sorted(codes_of[name]))}")
        else:
            out.append((source, name, code))
    return out, excluded


def score(items: list[tuple[str, str, str]]) -> dict[str, object]:
    import geonorm

    rows: dict[str, dict[str, int]] = defaultdict(lambda: {"right": 0, "wrong": 0, "missed": 0})
    wrong: list[str] = []
    for source, name, code in items:
        found = geonorm.resolve(name, kind="country")
        got = found.alpha2 if found is not None else None
        for key in (source, "both"):
            rows[key]["right" if got == code else "missed" if got is None else "wrong"] += 1
        if got is not None and got != code:
            wrong.append(f"{source}: {name!r} -> {got}, expected {code}")
    return {"rows": rows, "wrong": wrong}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", help="a checkout of an earlier geonorm to score side by side")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        items = json.loads(Path(args.one).read_text(encoding="utf-8"))
        print(json.dumps(score([tuple(i) for i in items])))
        return 0
    items, excluded = cases()
    runs = {"geonorm": score(items)}
    if args.baseline:
        tmp = ROOT / "benchmarks" / "results" / "countries-external.tmp"
        tmp.write_text(json.dumps(items), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(Path(args.baseline).resolve())}
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(tmp)], env=env, check=True, capture_output=True, text=True, cwd="/"
        )
        tmp.unlink()
        runs["geonorm (baseline)"] = json.loads(done.stdout.strip().splitlines()[-1])
    results: dict[str, dict[str, float]] = {}
    for lib, run in runs.items():
        for source, counts in run["rows"].items():  # type: ignore[attr-defined]
            total = sum(counts.values())
            results[f"{lib}: {source}"] = {
                "accuracy": counts["right"] / total,
                "wrong": counts["wrong"],
                "missed": counts["missed"],
                "cases": total,
            }
    meta = {"cases": len(items), "excluded": len(excluded), "python": sys.version.split()[0]}
    if args.baseline:
        meta["baseline"] = "geonorm 0.1"
    out = ROOT / "benchmarks" / "results" / "countries_external.json"
    detail = {"excluded": excluded, "wrong": runs["geonorm"]["wrong"]}
    out.write_text(json.dumps({"meta": meta, "results": results, "detail": detail}, indent=2, sort_keys=True) + "\n")
    print(f"External country names: {meta['cases']} cases, {meta['excluded']} excluded, Python {meta['python']}\n")
    print("| library: source | accuracy | wrong code | no answer | cases |")
    print("| --- | --- | --- | --- | --- |")
    for name, r in sorted(results.items()):
        print(f"| {name} | {r['accuracy']:.1%} | {r['wrong']:.0f} | {r['missed']:.0f} | {r['cases']:.0f} |")
    print("\nWrong codes (geonorm):\n" + "\n".join(f"- {w}" for w in runs["geonorm"]["wrong"]))  # type: ignore[union-attr]
    return 0


if __name__ == "__main__":
    sys.exit(main())
