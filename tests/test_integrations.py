"""pandas, Polars and DuckDB, against the real libraries (no mocks)."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

import geonorm
from geonorm import Registry

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")

import geonorm.duckdb  # noqa: E402
import geonorm.pandas  # noqa: E402
import geonorm.polars  # noqa: E402

_MESSY = ["India", "  bharat ", None, math.nan, "Russland", 42, "Atlantis", "India", "Korea, Rep."]
_ALPHA3 = ["IND", "IND", None, None, "RUS", None, None, "IND", "KOR"]


def test_import_geonorm_imports_no_integration() -> None:
    libraries = ("pandas", "polars", "duckdb", "pyarrow", "spacy", "pyspark")
    code = f"import sys, geonorm; print(sorted(m for m in {libraries!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_pandas_resolve() -> None:
    s = pd.Series(_MESSY, index=range(10, 19), name="where")
    got = s.geo.resolve(kind="country", attr="alpha3")
    assert got.tolist() == _ALPHA3
    assert list(got.index) == list(s.index) and got.name == "where"
    assert got.isna().tolist() == [v is None for v in _ALPHA3]
    assert s.geo.resolve(kind="country").tolist()[0] == "country:IN"
    entities = s.geo.resolve(kind="country", attr=None)
    assert entities.iloc[0] is geonorm.get("country:IN")
    # A currency has no alpha3: missing, not an error.
    assert pd.Series(["₹"]).geo.resolve(attr="alpha3").tolist() == [None]
    assert pd.Series(["Rs"]).geo.resolve(kind="currency", attr="code", country="PK").tolist() == ["PKR"]
    assert pd.Series([], dtype=object).geo.resolve().tolist() == []
    assert pd.Series([pd.NA, None], dtype="string").geo.resolve().tolist() == [None, None]


def test_pandas_resolve_with_a_registry_and_bad_options() -> None:
    mine = Registry()
    mine.add_alias("country:GB", "Blighty")
    assert pd.Series(["Blighty"]).geo.resolve(registry=mine).tolist() == ["country:GB"]
    with pytest.raises(ValueError, match="unknown kind"):
        pd.Series(["India"]).geo.resolve(kind="planet")


def test_pandas_candidates_and_extract() -> None:
    got = pd.Series(["Congo", None, 3]).geo.candidates(kind="country")
    assert [c["entity"]["id"] for c in got.iloc[0]] == ["country:CD", "country:CG"]
    assert got.iloc[1] == [] and got.iloc[2] == []
    texts = pd.Series(["Modi met Putin in Delhi.", None, "Modi met Putin in Delhi."])
    found = texts.geo.extract()
    assert [m["id"] for m in found.iloc[0]] == ["person:narendra-modi", "person:vladimir-putin"]
    assert found.iloc[1] == []
    assert found.iloc[0] == found.iloc[2]


def test_polars_resolve() -> None:
    df = pl.DataFrame({"where": [v if isinstance(v, str) else None for v in _MESSY]})
    got = df.select(pl.col("where").geo.resolve(kind="country", attr="alpha3"))["where"].to_list()
    assert got == [v if isinstance(m, str) else None for v, m in zip(_ALPHA3, _MESSY, strict=True)]
    assert df.schema["where"] == pl.String
    lazy = df.lazy().with_columns(id=pl.col("where").geo.resolve(kind="country")).collect()
    assert lazy["id"].to_list()[0] == "country:IN"
    ints = pl.DataFrame({"n": [1, 2, None]}).select(pl.col("n").geo.resolve())["n"].to_list()
    assert ints == [None, None, None]
    with pytest.raises(ValueError, match="unknown kind"):
        pl.col("where").geo.resolve(kind="planet")


def test_duckdb_functions() -> None:
    con = duckdb.connect()
    geonorm.duckdb.register(con)
    con.execute("CREATE TABLE t (name VARCHAR, kind VARCHAR)")
    con.executemany(
        "INSERT INTO t VALUES (?, ?)",
        [("India", "country"), ("Bharat", "country"), (None, "country"), ("₹", None), ("Atlantis", None)],
    )
    rows = con.execute("SELECT geonorm_resolve(name, kind), geonorm_name(name, kind) FROM t ORDER BY rowid").fetchall()
    assert rows == [
        ("country:IN", "India"),
        ("country:IN", "India"),
        (None, None),
        ("currency:INR", "Indian Rupee"),
        (None, None),
    ]
    mentions = con.execute("SELECT geonorm_extract('Modi met Putin.') AS m").fetchone()
    assert mentions is not None
    assert [(m["text"], m["id"], m["start"]) for m in mentions[0]] == [
        ("Modi", "person:narendra-modi", 0),
        ("Putin", "person:vladimir-putin", 9),
    ]
    assert con.execute("SELECT geonorm_extract(NULL)").fetchone() == ([],)
    with pytest.raises(duckdb.Error, match="unknown kind"):
        con.execute("SELECT geonorm_resolve('India', 'planet')").fetchall()


def test_duckdb_sees_later_additions_to_its_registry() -> None:
    mine = Registry()
    con = duckdb.connect()
    geonorm.duckdb.register(con, registry=mine)
    query = "SELECT geonorm_resolve('Blighty', 'country')"
    assert con.execute(query).fetchall() == [(None,)]
    mine.add_alias("country:GB", "Blighty")
    assert con.execute(query).fetchall() == [("country:GB",)]
