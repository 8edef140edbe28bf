"""geonorm for Spark: column functions for DataFrames (install with
``pip install 'geonorm[spark]'``).

``resolve(col, kind=None, attr="id")`` and ``extract(col)`` return Columns
computed by pandas UDFs over Arrow, in their iterator form: each Python
worker loads geonorm's tables once, lazily, the first time a task needs
them, and keeps them for the tasks that follow. What travels from the driver
to the workers is the options and, for a registry of your own, its
additions: never the tables or the matcher. Both work with classic Spark and
with Spark Connect (the function makes its UDF for the session of the
moment).

Each distinct value in a task is resolved once; missing values give NULL.
A wrong option (an unknown kind, a hint that is not one) raises here, on the
driver, rather than in a worker::

    from pyspark.sql import SparkSession
    import geonorm.spark

    spark = SparkSession.builder.getOrCreate()
    df = spark.createDataFrame([("Bharat",), ("Russland",), (None,)], "place string")
    df.select(
        geonorm.spark.resolve("place", kind="country", attr="alpha3").alias("iso3"),
        geonorm.spark.extract("place").alias("mentions"),
    ).show()

(the "Pipelines" page of the documentation runs this on a local session).

The workers need geonorm installed, as they need pandas and pyarrow.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd
from pyspark.sql import Column
from pyspark.sql.pandas.functions import pandas_udf
from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType

from . import default_registry
from .columns import text_cell
from .registry import Registry

__all__ = ["MENTION_TYPE", "extract", "resolve"]

#: The type of :func:`extract`'s column: one struct per mention.
MENTION_TYPE = ArrayType(
    StructType(
        [
            StructField("start", IntegerType()),
            StructField("end", IntegerType()),
            StructField("text", StringType()),
            StructField("how", StringType()),
            StructField("id", StringType()),
            StructField("kind", StringType()),
            StructField("name", StringType()),
        ]
    )
)

# Per task, what was resolved is remembered; past this many distinct values
# the memory starts again (a column of free text must not grow it unbounded).
_MEMO_LIMIT = 100_000


def resolve(
    col: Column | str,
    kind: str | None = None,
    attr: str = "id",
    *,
    registry: Registry | None = None,
    fuzzy: bool = False,
    metonyms: bool = False,
    **hints: Any,
) -> Column:
    """A string Column: ``attr`` (``"id"``, ``"name"``, ``"alpha3"``...) of
    the entity each value of ``col`` resolves to, or NULL; the options are
    :func:`geonorm.resolve`'s. ``registry`` (pickled with its additions only)
    is resolved against instead of geonorm's own.

    ``df.withColumn("iso3", resolve("partner", kind="country",
    attr="alpha3"))`` adds the codes (a run on a local session is on the
    "Pipelines" page). Options are checked here, before Spark is asked:

    >>> import geonorm.spark
    >>> geonorm.spark.resolve("partner", kind="planet")
    Traceback (most recent call last):
    ...
    ValueError: unknown kind 'planet'; expected one of country, currency, organisation, person, weapon
    """
    if not isinstance(attr, str):
        raise TypeError(f"attr must be a str such as 'id' or 'alpha3', not {type(attr).__name__}")
    reg = registry or default_registry
    reg.resolve_many([], kind, fuzzy=fuzzy, metonyms=metonyms, **hints)  # a wrong option raises here
    options: dict[str, Any] = {"fuzzy": fuzzy, "metonyms": metonyms, **hints}
    # The registry travels by reference when it is geonorm's own.
    shipped = None if reg is default_registry else reg

    def geonorm_resolve(batches: Iterator[pd.Series]) -> Iterator[pd.Series]:
        return _resolve_batches(batches, shipped, kind, attr, options)

    return pandas_udf(geonorm_resolve, StringType())(col)  # type: ignore[call-overload,no-any-return,unused-ignore]


def extract(
    col: Column | str,
    *,
    registry: Registry | None = None,
    kinds: Iterable[str] | None = None,
    metonyms: bool = False,
) -> Column:
    """A Column of :data:`MENTION_TYPE`: the mentions found in each text of
    ``col`` (an empty array for NULL); the options are
    :func:`geonorm.extract`'s.

    ``df.select(F.explode(extract("text")).alias("m")).select("m.id")``
    gives one row per mention. Options are checked here:

    >>> import geonorm.spark
    >>> geonorm.spark.extract("text", kinds=["planet"])
    Traceback (most recent call last):
    ...
    ValueError: unknown kind 'planet'; expected one of country, currency, organisation, person, weapon
    """
    reg = registry or default_registry
    wanted = None if kinds is None else (kinds,) if isinstance(kinds, str) else tuple(kinds)
    reg.extract_many([], kinds=wanted, metonyms=metonyms)  # a wrong option raises here
    shipped = None if reg is default_registry else reg

    def geonorm_extract(batches: Iterator[pd.Series]) -> Iterator[pd.Series]:
        return _extract_batches(batches, shipped, wanted, metonyms)

    return pandas_udf(geonorm_extract, MENTION_TYPE)(col)  # type: ignore[call-overload,no-any-return,unused-ignore]


# -- in the workers ----------------------------------------------------------


def _resolve_batches(
    batches: Iterator[pd.Series],
    registry: Registry | None,
    kind: str | None,
    attr: str,
    options: dict[str, Any],
) -> Iterator[pd.Series]:
    reg = registry or default_registry
    done: dict[str, str | None] = {}
    for batch in batches:
        codes, uniques = pd.factorize(batch, use_na_sentinel=True)
        todo = [value for value in uniques if value not in done]
        if len(done) + len(todo) > _MEMO_LIMIT:
            done.clear()
            todo = list(uniques)
        for value, entity in zip(todo, reg.resolve_many(todo, kind, **options), strict=True):
            done[value] = text_cell(entity, attr)
        table = [done[value] for value in uniques]
        table.append(None)  # code -1: a missing value
        yield pd.Series([table[code] for code in codes], index=batch.index, dtype=object)


def _extract_batches(
    batches: Iterator[pd.Series],
    registry: Registry | None,
    kinds: tuple[str, ...] | None,
    metonyms: bool,
) -> Iterator[pd.Series]:
    reg = registry or default_registry
    for batch in batches:
        found = reg.extract_many(batch.tolist(), kinds=kinds, metonyms=metonyms)
        yield pd.Series([[m.to_dict() for m in mentions] for mentions in found], index=batch.index, dtype=object)
