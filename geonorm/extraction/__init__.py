"""``geonorm.extract``: every entity mention in running text, with spans."""

from __future__ import annotations

from .mentions import Mention, extract

__all__ = ["Mention", "extract"]
