"""geonorm for pandas: ``import geonorm.pandas`` registers the ``geo``
accessor on every Series (install with ``pip install 'geonorm[pandas]'``).

Each distinct value is resolved once, whatever the length of the column;
missing values (None, NaN, NA) and values that are not text give missing
values, never an exception.

>>> import pandas as pd
>>> import geonorm.pandas
>>> s = pd.Series(["India", "Bharat", None, "Russland", "Atlantis"])
>>> s.geo.resolve(kind="country", attr="alpha3").tolist()
['IND', 'IND', None, 'RUS', None]
>>> s.geo.resolve(kind="country").tolist()
['country:IN', 'country:IN', None, 'country:RU', None]
>>> pd.Series(["Modi met Putin.", None]).geo.extract().tolist()[0][1]["id"]
'person:vladimir-putin'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from . import default_registry
from .columns import cell
from .registry import Registry

__all__ = ["GeoSeriesAccessor"]


@pd.api.extensions.register_series_accessor("geo")
class GeoSeriesAccessor:
    """``Series.geo``: resolve, list candidates for, or extract from every value."""

    def __init__(self, series: pd.Series) -> None:
        self._s = series

    def _distinct(self) -> tuple[Any, list[object]]:
        codes, uniques = pd.factorize(self._s, use_na_sentinel=True)
        return codes, list(uniques)

    def _spread(self, codes: Any, per_unique: list[Any]) -> pd.Series:
        # Code -1 (a missing value) takes the None appended last. Filled one
        # by one, so that lists stay lists (numpy would make them rows).
        table = np.empty(len(per_unique) + 1, dtype=object)
        for i, value in enumerate(per_unique):
            table[i] = value
        return pd.Series(table[codes], index=self._s.index, name=self._s.name, dtype=object)

    def resolve(
        self,
        kind: str | None = None,
        attr: str | None = "id",
        *,
        registry: Registry | None = None,
        fuzzy: bool = False,
        metonyms: bool = False,
        **hints: Any,
    ) -> pd.Series:
        """A Series of ``attr`` (``"id"``, ``"name"``, ``"alpha3"``,
        ``"code"``...; None for the entities themselves) of the entity each
        value resolves to, missing where there is none. Options as for
        :func:`geonorm.resolve`; ``registry`` resolves against a registry
        with your additions."""
        reg = registry or default_registry
        codes, uniques = self._distinct()
        found = reg.resolve_many(uniques, kind, fuzzy=fuzzy, metonyms=metonyms, **hints)
        return self._spread(codes, [cell(e, attr) for e in found])

    def candidates(
        self,
        kind: str | None = None,
        *,
        registry: Registry | None = None,
        fuzzy: bool = False,
        metonyms: bool = False,
        **hints: Any,
    ) -> pd.Series:
        """A Series of lists of candidate dicts (:meth:`geonorm.Match.to_dict`),
        best first; an empty list for a value that is not text."""
        reg = registry or default_registry
        codes, uniques = self._distinct()
        per_unique = [
            [m.to_dict() for m in reg.candidates(u, kind, fuzzy=fuzzy, metonyms=metonyms, **hints)]
            if isinstance(u, str)
            else []
            for u in uniques
        ]
        out = self._spread(codes, per_unique)
        return out.map(lambda v: [] if v is None else v)

    def extract(
        self,
        *,
        kinds: Iterable[str] | None = None,
        metonyms: bool = False,
        registry: Registry | None = None,
    ) -> pd.Series:
        """A Series of lists of mention dicts (:meth:`geonorm.Mention.to_dict`);
        an empty list for a value that is not text."""
        reg = registry or default_registry
        codes, uniques = self._distinct()
        found = reg.extract_many(uniques, kinds=kinds, metonyms=metonyms)
        out = self._spread(codes, [[m.to_dict() for m in mentions] for mentions in found])
        return out.map(lambda v: [] if v is None else v)
