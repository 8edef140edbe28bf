"""What the column integrations (:mod:`geonorm.pandas`, :mod:`geonorm.polars`,
:mod:`geonorm.duckdb`) share: one attribute of a resolved entity as a cell.

>>> import geonorm
>>> india = geonorm.get("country:IN")
>>> cell(india, "alpha3"), cell(india, "id"), cell(None, "id"), cell(india, "code")
('IND', 'country:IN', None, None)
"""

from __future__ import annotations

from typing import Any

from .model import Entity

__all__ = ["cell", "text_cell"]


def cell(entity: Entity | None, attr: str | None) -> Any:
    """``attr`` of ``entity`` (``"id"``, ``"name"``, ``"alpha3"``, ``"code"``...);
    the entity itself for None; None where there is no entity or the entity
    has no such attribute; another entity as its id."""
    if entity is None:
        return None
    if attr is None:
        return entity
    if not isinstance(attr, str):
        raise TypeError(f"attr must be a str such as 'id' or 'alpha3', or None, not {type(attr).__name__}")
    value = getattr(entity, attr, None)
    if isinstance(value, Entity):
        return value.id
    if value == "":
        return None  # "no code" is a missing value in a table
    return value


def text_cell(entity: Entity | None, attr: str) -> str | None:
    """:func:`cell` as text, for typed string columns."""
    value = cell(entity, attr)
    return None if value is None else str(value)
