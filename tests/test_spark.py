"""Spark, against a real local[2] SparkSession, classic and Spark Connect
(no mocks). Skipped, saying why, only where pyspark or a Java runtime is
missing; CI installs both."""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

import geonorm
from geonorm import Registry

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'geonorm[spark]')")
pd = pytest.importorskip("pandas")

if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("no Java runtime for Spark (Debian: apt-get install openjdk-17-jre-headless)", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

import geonorm.spark  # noqa: E402

# pyspark warns that it does not yet fully support pandas 3; what geonorm
# uses of it is tested here under whichever pandas is installed.
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")


def _connect_available() -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # pandas 3: see pytestmark
            import pyspark.sql.connect.utils as connect

            connect.check_dependencies()
    except ImportError:
        return False
    return True


@pytest.fixture(
    scope="module",
    params=[
        "classic",
        pytest.param(
            "connect",
            marks=pytest.mark.skipif(not _connect_available(), reason="Spark Connect needs pyspark[connect] (grpcio)"),
        ),
    ],
)
def spark(request: pytest.FixtureRequest) -> Iterator[Any]:
    # The workers run this interpreter, which has geonorm, pandas and pyarrow;
    # the driver, its workers and a Connect server talk on loopback only.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    builder = SparkSession.builder.appName("geonorm-tests")
    if request.param == "connect":
        builder = builder.remote("local[2]")  # a local Spark Connect server
    else:
        builder = builder.master("local[2]").config("spark.ui.enabled", "false")
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        builder = builder.config("spark.ui.showConsoleProgress", "false")
    session = (
        builder.config("spark.sql.shuffle.partitions", "2")
        # Small Arrow batches: a task sees several, as it does on real data.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_resolve(spark: Any) -> None:
    rows = [("Bharat",), ("  russland ",), (None,), ("Atlantis",), ("Korea, Rep.",), ("Bharat",)]
    df = spark.createDataFrame(rows, "place string")
    got = df.select(
        geonorm.spark.resolve("place", kind="country", attr="alpha3").alias("iso3"),
        geonorm.spark.resolve(F.col("place")).alias("id"),
        geonorm.spark.resolve("place", attr="name").alias("name"),
    ).collect()
    assert [r.iso3 for r in got] == ["IND", "RUS", None, None, "KOR", "IND"]
    assert [r.id for r in got] == ["country:IN", "country:RU", None, None, "country:KR", "country:IN"]
    assert got[0].name == "India"
    # Options and hints are resolve's.
    df = spark.createDataFrame([("Rs",), ("rupees",)], "money string")
    got = df.select(geonorm.spark.resolve("money", kind="currency", attr="code", country="PK").alias("c")).collect()
    assert [r.c for r in got] == ["PKR", "PKR"]
    assert df.select(geonorm.spark.resolve("money")).columns == ["geonorm_resolve(money)"]


def test_resolve_many_rows_across_partitions_and_batches(spark: Any) -> None:
    names = ["India", "Bharat", "Deutschland", "Côte d'Ivoire", "Congo", "Atlantis", None, "U.S.A.", "Russie"]
    values = [names[i % len(names)] for i in range(2000)]
    df = spark.createDataFrame([(i, v) for i, v in enumerate(values)], "i int, place string").repartition(4)
    got = dict(df.select("i", geonorm.spark.resolve("place", kind="country").alias("id")).collect())
    want = [e.id if e else None for e in geonorm.resolve_many(values, kind="country")]
    assert [got[i] for i in range(len(values))] == want
    assert got[4] is None  # "Congo": two countries, ambiguous


def test_resolve_with_a_registry_of_ones_own(spark: Any) -> None:
    mine = Registry()
    mine.add_alias("country:GB", "Blighty")
    df = spark.createDataFrame([("Blighty",), ("India",)], "place string")
    got = df.select(geonorm.spark.resolve("place", registry=mine).alias("id")).collect()
    assert [r.id for r in got] == ["country:GB", "country:IN"]
    got = df.select(geonorm.spark.resolve("place").alias("id")).collect()
    assert [r.id for r in got] == [None, "country:IN"]


def test_extract(spark: Any) -> None:
    texts = [("Modi met Putin in Moscow.",), (None,), ("Nothing here.",)]
    df = spark.createDataFrame(texts, "text string")
    got = df.select(geonorm.spark.extract("text").alias("m")).collect()
    first = [m.asDict() for m in got[0].m]
    assert [(m["text"], m["id"], m["kind"]) for m in first] == [
        ("Modi", "person:narendra-modi", "person"),
        ("Putin", "person:vladimir-putin", "person"),
    ]
    assert first[0]["start"] == 0 and first[0]["end"] == 4 and first[0]["name"] == "Narendra Modi"
    assert got[1].m == [] and got[2].m == []
    only = df.select(geonorm.spark.extract("text", kinds=["person"], metonyms=True).alias("m")).collect()
    assert [m.kind for m in only[0].m] == ["person", "person"]
    exploded = df.select(F.explode(geonorm.spark.extract("text")).alias("m")).select("m.id").collect()
    assert [r.id for r in exploded] == ["person:narendra-modi", "person:vladimir-putin"]


def test_wrong_options_raise_on_the_driver() -> None:
    # No session is needed to be told: the check runs before Spark is asked.
    with pytest.raises(ValueError, match="unknown kind"):
        geonorm.spark.resolve("place", kind="planet")
    with pytest.raises(TypeError, match="attr must be a str"):
        geonorm.spark.resolve("place", attr=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        geonorm.spark.extract("text", kinds=["planet"])


def test_resolve_batches_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    # What runs in a worker, run here: the memory of one task starts again
    # past its limit, and the answers stay right.
    monkeypatch.setattr(geonorm.spark, "_MEMO_LIMIT", 3)
    batches = [pd.Series(["India", "Bharat", None]), pd.Series(["Russland", "Japan", "India", "Mali", "Peru"])]
    out = list(geonorm.spark._resolve_batches(iter(batches), None, "country", "alpha3", {}))
    assert [s.tolist() for s in out] == [["IND", "IND", None], ["RUS", "JPN", "IND", "MLI", "PER"]]
