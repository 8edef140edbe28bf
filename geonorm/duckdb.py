"""geonorm for DuckDB: SQL functions over whole vectors (install with
``pip install 'geonorm[duckdb]'``, which brings pyarrow).

``register(con)`` creates, on the connection ``con``:

- ``geonorm_resolve(text, kind)``: the entity id, or NULL (``kind`` NULL:
  every kind);
- ``geonorm_name(text, kind)``: the entity's English name, or NULL;
- ``geonorm_extract(text)``: a list of structs (start, end, text, how, id,
  kind, name), one per mention.

Each distinct value of a vector is resolved once; an unknown kind is an
error of the query.

>>> import duckdb
>>> import geonorm.duckdb
>>> con = duckdb.connect()
>>> geonorm.duckdb.register(con)
>>> con.execute("SELECT geonorm_resolve('Bharat', 'country'), geonorm_name('₹', NULL)").fetchall()
[('country:IN', 'Indian Rupee')]
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from . import default_registry
from .columns import text_cell
from .registry import Registry

try:
    from duckdb import sqltypes as _types
except ImportError:  # DuckDB 1.x
    from duckdb import typing as _types  # type: ignore[no-redef,attr-defined,unused-ignore]

__all__ = ["register"]

_MISSING = object()
_MEMO_LIMIT = 100_000

_MENTION = {
    "start": _types.INTEGER,
    "end": _types.INTEGER,
    "text": _types.VARCHAR,
    "how": _types.VARCHAR,
    "id": _types.VARCHAR,
    "kind": _types.VARCHAR,
    "name": _types.VARCHAR,
}
_MENTION_ARROW = pa.list_(pa.struct([(k, pa.int32() if k in ("start", "end") else pa.string()) for k in _MENTION]))


def register(con: Any, *, registry: Registry | None = None, prefix: str = "geonorm_") -> None:
    """Create the functions on the connection ``con`` (names start with
    ``prefix``), resolving against ``registry`` (by default geonorm's)."""
    reg = registry or default_registry

    def by_kind(attr: str) -> Any:
        # Remembered across the vectors of a query (and queries), bounded,
        # and forgotten when the registry gets an addition.
        done: dict[tuple[object, object], str | None] = {}
        seen = [reg._ov]

        def run(texts: pa.Array, kinds: pa.Array) -> pa.Array:
            if reg._ov is not seen[0]:
                done.clear()
                seen[0] = reg._ov
            out: list[str | None] = []
            for text, kind in zip(texts.to_pylist(), kinds.to_pylist(), strict=True):
                slot = (text, kind)
                found = done.get(slot, _MISSING)
                if found is _MISSING:
                    if len(done) >= _MEMO_LIMIT:
                        done.clear()
                    entity = reg.resolve_many([text], kind)[0]
                    found = done[slot] = text_cell(entity, attr)
                out.append(found)  # type: ignore[arg-type]
            return pa.array(out, type=pa.string())

        return run

    def extract(texts: pa.Array) -> pa.Array:
        found = reg.extract_many(texts.to_pylist())
        return pa.array([[m.to_dict() for m in mentions] for mentions in found], type=_MENTION_ARROW)

    varchar = _types.VARCHAR
    for name, attr in (("resolve", "id"), ("name", "name")):
        con.create_function(
            prefix + name, by_kind(attr), [varchar, varchar], varchar, type="arrow", null_handling="special"
        )
    con.create_function(
        prefix + "extract",
        extract,
        [varchar],
        duckdb.list_type(duckdb.struct_type(_MENTION)),
        type="arrow",
        null_handling="special",
    )
