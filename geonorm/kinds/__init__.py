"""One module per kind of entity; :data:`SPECS` lists those that ship."""

from __future__ import annotations

from typing import Any

from .base import KindSpec
from .country import CountrySpec
from .currency import CurrencySpec
from .organisation import OrganisationSpec
from .person import PersonSpec
from .weapon import WeaponSpec

__all__ = ["SPECS", "KindSpec"]

SPECS: dict[str, KindSpec[Any]] = {
    "country": CountrySpec(),
    "currency": CurrencySpec(),
    "organisation": OrganisationSpec(),
    "person": PersonSpec(),
    "weapon": WeaponSpec(),
}
