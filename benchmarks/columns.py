"""Columns: a column of 1,000,000 messy country names (about 5,000 distinct
strings) resolved to ISO alpha-3 codes, by every batch route geonorm has and
by country_converter's ``pandas_convert``, in one run.

The distinct strings are case, spacing and punctuation variants of the
names in ``tests/cases/countries.tsv`` (as ``benchmarks/countries.py``
makes them), plus missing values; the column draws from them at random, so
each string repeats about 200 times, as a column of a real table does.

Routes, each timed over the whole column, best of ``--rounds`` (the routes
take turns in each round; the machine is shared and its speed drifts):

- ``Series.map(resolve)``: one :func:`geonorm.resolve` per row (the
  hand-written glue this replaces);
- ``resolve_many``: :func:`geonorm.resolve_many` over the column as a list;
- ``pandas accessor``: ``Series.geo.resolve(kind="country", attr="alpha3")``;
- ``DuckDB``: ``geonorm_resolve`` over a table of the column, through
  :func:`geonorm.duckdb.register` (the id; the alpha-3 is a join away);
- ``Spark local[2]``: ``geonorm.spark.resolve(col, kind="country",
  attr="alpha3")`` counted over a cached DataFrame of the column in two
  partitions (a local session on this machine's two cores; the first round
  includes each Python worker loading the tables);
- ``country_converter``: ``CountryConverter().pandas_convert(series)``.

Run: ``python -m pip install -e '.[bench,duckdb,spark]' && python benchmarks/columns.py``
(the Spark route needs a Java runtime; ``--no-spark`` leaves it out).
Writes ``benchmarks/results/columns.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from countries import variants  # noqa: E402
from machine import interpreter  # noqa: E402

from tests.casefile import read_cases  # noqa: E402


def column(rows: int, distinct: int, seed: int = 11) -> list[str | None]:
    """``rows`` values drawn from ``distinct`` messy strings and None."""
    texts = [c.text for c in read_cases("countries.tsv") if not c.options]
    pool: list[str | None] = [*variants(texts, distinct, seed), None]
    rng = random.Random(seed)
    return [rng.choice(pool) for _ in range(rows)]


def routes(values: list[str | None], spark: bool = True) -> dict[str, Callable[[], int]]:
    """Each route: a function that resolves the whole column and returns how
    many rows it matched (the same work, checked alike)."""
    import duckdb
    import pandas as pd

    import geonorm
    import geonorm.duckdb
    import geonorm.pandas

    series = pd.Series(values, dtype=object)

    def per_row() -> int:
        def one(v: Any) -> str | None:
            found = geonorm.resolve(v, kind="country") if isinstance(v, str) else None
            return found.alpha3 if found is not None else None  # type: ignore[attr-defined]

        return int(series.map(one).notna().sum())

    def many() -> int:
        found = geonorm.resolve_many(values, kind="country")
        return sum(1 for e in found if e is not None)

    def accessor() -> int:
        return int(series.geo.resolve(kind="country", attr="alpha3").notna().sum())

    con = duckdb.connect()
    geonorm.duckdb.register(con)
    frame = pd.DataFrame({"name": series.astype("string")})
    con.register("frame", frame)
    con.execute("CREATE TABLE names AS SELECT name FROM frame")
    con.unregister("frame")

    def duck() -> int:
        row = con.execute("SELECT count(geonorm_resolve(name, 'country')) FROM names").fetchone()
        return int(row[0]) if row else 0

    import country_converter as coco

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    converter = coco.CountryConverter()

    def peer() -> int:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = converter.pandas_convert(series.fillna(""), to="ISO3", not_found="not found")
        return int((pd.Series(out) != "not found").sum())

    todo = {
        "Series.map(resolve)": per_row,
        "resolve_many": many,
        "pandas accessor": accessor,
        "DuckDB": duck,
    }
    if spark:
        todo["Spark local[2]"] = spark_route(values)
    todo["country_converter"] = peer
    return todo


def spark_route(values: list[str | None]) -> Callable[[], int]:
    """The column as a cached two-partition DataFrame on a local[2] session,
    and a function that counts the rows ``geonorm.spark.resolve`` matches."""
    import os

    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    import geonorm.spark

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # loopback only
    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    frame = session.createDataFrame([(v,) for v in values], "name string").repartition(2).cache()
    frame.count()

    def run() -> int:
        column = geonorm.spark.resolve("name", kind="country", attr="alpha3")
        row = frame.select(F.count(column)).first()
        return int(row[0]) if row else 0

    return run


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-spark", action="store_true", help="leave out the Spark route (no Java runtime)")
    args = parser.parse_args()
    values = column(args.rows, args.distinct)
    todo = routes(values, spark=not args.no_spark)
    best: dict[str, float] = {}
    matched: dict[str, int] = {}
    for round_ in range(args.rounds):
        for name, run in todo.items():
            start = time.perf_counter()
            matched[name] = run()
            seconds = time.perf_counter() - start
            best[name] = min(best.get(name, seconds), seconds)
            print(f"round {round_ + 1}: {name} {seconds:.2f} s", file=sys.stderr)
    results = {
        name: {"rows_per_second": args.rows / best[name], "seconds": best[name], "matched": matched[name]}
        for name in todo
    }
    meta = {
        "rows": args.rows,
        "distinct": len({v for v in values if v is not None}),
        "rounds": args.rounds,
        **interpreter(),
    }
    out = ROOT / "benchmarks" / "results" / "columns.json"
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2, sort_keys=True) + "\n")
    base = results["Series.map(resolve)"]["rows_per_second"]
    print(f"\n{args.rows:,} rows, {meta['distinct']:,} distinct names, best of {args.rounds} rounds:\n")
    print("| route | rows/s | x Series.map(resolve) | rows matched |")
    print("| --- | --- | --- | --- |")
    for name, r in results.items():
        print(f"| {name} | {r['rows_per_second']:,.0f} | {r['rows_per_second'] / base:.1f} | {r['matched']:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
