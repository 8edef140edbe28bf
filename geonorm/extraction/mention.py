"""A mention of an entity in text (:class:`Mention`)."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from ..model import Entity
from .patterns import Candidate

__all__ = ["Mention", "MentionHow", "unique_best"]

MentionHow = Literal["alias", "demonym", "metonym", "coreference"]


@attrs.frozen
class Mention:
    """One mention of an entity in a text.

    ``text[m.start:m.end] == m.text`` always holds. ``how`` is ``"alias"``,
    ``"demonym"`` (an adjective or demonym: "Russian oil"), ``"metonym"`` (a
    capital standing for its country, only with ``metonyms=True``) or
    ``"coreference"`` (a bare surname after the full name earlier in the text).
    """

    start: int
    end: int
    text: str
    entity: Entity
    how: MentionHow

    @property
    def kind(self) -> str:
        return self.entity.kind

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict: the span (``start``, ``end``, ``text``),
        ``how``, and the entity's ``id``, ``kind`` and ``name``.

        >>> import geonorm
        >>> geonorm.extract("Modi arrived.")[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
        {'start': 0, 'end': 4, 'text': 'Modi', 'how': 'alias',
         'id': 'person:narendra-modi', 'kind': 'person', 'name': 'Narendra Modi'}
        """
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "how": self.how,
            "id": self.entity.id,
            "kind": self.entity.kind,
            "name": self.entity.name,
        }


def unique_best(cands: list[Candidate]) -> Candidate | None:
    """The best-scoring candidate, or None when none or a tie between entities."""
    if not cands:
        return None
    best = max(c.score for c in cands)
    top = {c.entity.id: c for c in cands if c.score == best}
    return next(iter(top.values())) if len(top) == 1 else None
