"""geonorm for Polars: ``import geonorm.polars`` registers the ``geo``
expression namespace (install with ``pip install 'geonorm[polars]'``).

``pl.col("x").geo.resolve(kind=..., attr=...)`` runs on whole batches
(``map_batches``), resolving each distinct value of a batch once; the result
is a String column, null where nothing matches or the value is no text.

>>> import polars as pl
>>> import geonorm.polars
>>> df = pl.DataFrame({"country": ["India", "Bharat", None, "Atlantis"]})
>>> df.select(pl.col("country").geo.resolve(kind="country", attr="alpha3"))["country"].to_list()
['IND', 'IND', None, None]
"""

from __future__ import annotations

from typing import Any

import polars as pl

from . import default_registry
from .columns import text_cell
from .registry import Registry

__all__ = ["GeoExpr"]


@pl.api.register_expr_namespace("geo")
class GeoExpr:
    """``Expr.geo``: resolve every value of a column."""

    def __init__(self, expr: pl.Expr) -> None:
        self._expr = expr

    def resolve(
        self,
        kind: str | None = None,
        attr: str = "id",
        *,
        registry: Registry | None = None,
        fuzzy: bool = False,
        metonyms: bool = False,
        **hints: Any,
    ) -> pl.Expr:
        """An expression for ``attr`` (``"id"``, ``"name"``, ``"alpha3"``,
        ``"code"``...) of the entity each value resolves to, as text. Options
        as for :func:`geonorm.resolve`; a wrong one raises here, not in the
        query."""
        reg = registry or default_registry
        reg.resolve_many([], kind, fuzzy=fuzzy, metonyms=metonyms, **hints)  # check the options now

        def run(series: pl.Series) -> pl.Series:
            distinct = series.drop_nulls().unique().to_list()
            found = reg.resolve_many(distinct, kind, fuzzy=fuzzy, metonyms=metonyms, **hints)
            mapping = {value: text_cell(entity, attr) for value, entity in zip(distinct, found, strict=True)}
            return series.replace_strict(mapping, default=None, return_dtype=pl.String)

        return self._expr.map_batches(run, return_dtype=pl.String)
