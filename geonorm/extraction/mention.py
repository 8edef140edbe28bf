"""A mention of an entity in text (:class:`Mention`)."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from ..model import Entity
from .patterns import Candidate

__all__ = ["Mention", "MentionHow", "new_mention", "unique_best"]

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


_SET_START, _SET_END, _SET_TEXT, _SET_ENTITY, _SET_HOW = (
    vars(Mention)[field.name].__set__ for field in attrs.fields(Mention)
)
_NEW = object.__new__


def new_mention(start: int, end: int, text: str, entity: Entity, how: MentionHow) -> Mention:
    """``Mention(start, end, text, entity, how)``, made the way the scan makes
    thousands: each field set through its slot, without the per-field
    ``object.__setattr__`` of the frozen class's ``__init__`` (a third of
    its cost). Mention has no converter or validator to skip.

    >>> from geonorm import resolve
    >>> india = resolve("India")
    >>> new_mention(0, 5, "India", india, "alias") == Mention(0, 5, "India", india, "alias")
    True
    """
    made: Mention = _NEW(Mention)
    _SET_START(made, start)
    _SET_END(made, end)
    _SET_TEXT(made, text)
    _SET_ENTITY(made, entity)
    _SET_HOW(made, how)
    return made


def unique_best(cands: list[Candidate]) -> Candidate | None:
    """The best-scoring candidate, or None when none or a tie between entities."""
    if not cands:
        return None
    best = max(c.score for c in cands)
    top = {c.entity.id: c for c in cands if c.score == best}
    return next(iter(top.values())) if len(top) == 1 else None
