"""Currencies: ISO 4217, current and historic; a ``country=`` hint picks
among currencies that share a symbol or word."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Country, Currency, Match, direct_constructor
from .base import KindSpec, TableLookup

_CURRENCY = direct_constructor(Currency)  # Currency(...), built for half the time

__all__ = ["CurrencySpec"]


class CurrencySpec(KindSpec[Currency]):
    kind = "currency"
    entity_class = Currency
    hints = frozenset({"country"})

    def build_entities(self, raw: Sequence[Mapping[str, Any]], lookup: TableLookup) -> list[Currency]:
        out = []
        for r in raw:
            countries = tuple(c for c in (lookup(cid) for cid in r["countries"]) if isinstance(c, Country))
            out.append(
                _CURRENCY(
                    id=r["id"],
                    name=r["name"],
                    aliases=tuple(r["aliases"]),
                    code=r["code"],
                    numeric=r["numeric"],
                    symbols=tuple(r["symbols"]),
                    countries=countries,
                    historic=bool(r["historic"]),
                )
            )
        return out

    def apply_hints(self, matches: list[Match], hints: Mapping[str, Any]) -> list[Match]:
        country = hints.get("country")
        if country is None:
            return matches
        used = [m for m in matches if isinstance(m.entity, Currency) and country in m.entity.countries]
        return used or matches
