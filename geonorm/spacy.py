"""geonorm for spaCy: the ``geonorm`` pipeline component (install with
``pip install 'geonorm[spacy]'``).

The component is registered through the ``spacy_factories`` entry point, so
``nlp.add_pipe("geonorm")`` works without importing geonorm first, on a
blank pipeline or after a trained ``ner``. It finds every mention
(:func:`geonorm.extract`) and sets ``doc.ents``: the label is the kind
(``country``, ``currency``, ``organisation``, ``person``, ``weapon``), the
knowledge-base id the entity id, and ``span._.geonorm`` the entity itself.

Entities already in ``doc.ents`` (from a trained ``ner``) are kept, and a
mention that overlaps one is left out; with ``overwrite_ents=True`` the
mention wins and the overlapping entity is dropped. A mention whose edges
fall inside a token (a name glued to other letters) is left out.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("geonorm")
>>> doc = nlp("Modi met Putin in New Delhi to buy the S-400.")
>>> [(e.text, e.label_) for e in doc.ents]
[('Modi', 'person'), ('Putin', 'person'), ('S-400', 'weapon')]
>>> doc.ents[0].kb_id_
'person:narendra-modi'
>>> doc.ents[2]._.geonorm.name
'S-400 Triumf'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

import geonorm

__all__ = ["GeonormComponent", "make_component"]


def _entity(span: Span) -> Any:
    return geonorm.get(span.kb_id_) if span.kb_id_ else None


if not Span.has_extension("geonorm"):
    Span.set_extension("geonorm", getter=_entity)


class GeonormComponent:
    """Sets ``doc.ents`` from geonorm's mentions (see the module's docstring).

    >>> import spacy
    >>> ruler_first = spacy.blank("en")
    >>> ruler = ruler_first.add_pipe("entity_ruler")
    >>> ruler.add_patterns([{"label": "GPE", "pattern": "Russia"}])
    >>> _ = ruler_first.add_pipe("geonorm", config={"overwrite_ents": True})
    >>> [(e.text, e.label_) for e in ruler_first("Putin said Russia would respond.").ents]
    [('Putin', 'person'), ('Russia', 'country')]
    """

    def __init__(self, *, overwrite_ents: bool = False, kinds: Iterable[str] | None = None, metonyms: bool = False):
        self.overwrite_ents = overwrite_ents
        self.kinds = None if kinds is None else tuple(kinds)
        self.metonyms = metonyms
        geonorm.extract("", kinds=self.kinds)  # a wrong kind fails when the pipeline is made

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for m in geonorm.extract(doc.text, kinds=self.kinds, metonyms=self.metonyms):
            span = doc.char_span(m.start, m.end, label=m.kind, kb_id=m.entity.id, alignment_mode="strict")
            if span is not None:
                spans.append(span)
        existing = list(doc.ents)
        if self.overwrite_ents:
            taken = {i for s in spans for i in range(s.start, s.end)}
            kept = [e for e in existing if not any(i in taken for i in range(e.start, e.end))]
            doc.ents = filter_spans([*spans, *kept])
        else:
            taken = {i for e in existing for i in range(e.start, e.end)}
            added = [s for s in spans if not any(i in taken for i in range(s.start, s.end))]
            doc.ents = filter_spans([*existing, *added])
        return doc


@Language.factory(
    "geonorm",
    default_config={"overwrite_ents": False, "kinds": None, "metonyms": False},
)
def make_component(
    nlp: Language, name: str, overwrite_ents: bool, kinds: list[str] | None, metonyms: bool
) -> GeonormComponent:
    """The ``geonorm`` factory: ``nlp.add_pipe("geonorm", config={...})``."""
    return GeonormComponent(overwrite_ents=overwrite_ents, kinds=kinds, metonyms=metonyms)
