"""The spaCy component, against real spaCy pipelines (no mocks)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

spacy = pytest.importorskip("spacy")

import geonorm  # noqa: E402

# The script never imports geonorm: spaCy finds the component through the
# spacy_factories entry point.
_ENTRY_POINT = """
import json, spacy
nlp = spacy.blank("en")
nlp.add_pipe("geonorm")
doc = nlp("Rosneft paid $5bn; Putin met Modi.")
print(json.dumps([(e.text, e.label_, e.kb_id_) for e in doc.ents]))
"""


def test_add_pipe_by_name_without_importing_geonorm() -> None:
    out = subprocess.run([sys.executable, "-c", _ENTRY_POINT], capture_output=True, text=True, check=True).stdout
    ents = json.loads(out)
    assert ents == [
        ["Rosneft", "organisation", "organisation:rosneft"],
        ["$", "currency", "currency:USD"],
        ["Putin", "person", "person:vladimir-putin"],
        ["Modi", "person", "person:narendra-modi"],
    ]


def test_entities_labels_and_extension() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("geonorm")
    doc = nlp("India bought the S-400 from Russia for $5.4 billion.")
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("India", "country", "country:IN"),
        ("S-400", "weapon", "weapon:s-400"),
        ("Russia", "country", "country:RU"),
        ("$", "currency", "currency:USD"),
    ]
    assert doc.ents[0]._.geonorm is geonorm.get("country:IN")
    assert doc[0:1]._.geonorm is None  # a span that is no entity


def test_existing_entities_are_kept_or_overwritten() -> None:
    for overwrite, expected in (
        (False, [("Narendra Modi", "PERSON", ""), ("Russia", "country", "country:RU")]),
        (True, [("Narendra Modi", "person", "person:narendra-modi"), ("Russia", "country", "country:RU")]),
    ):
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("entity_ruler")
        ruler.add_patterns([{"label": "PERSON", "pattern": "Narendra Modi"}])
        nlp.add_pipe("geonorm", config={"overwrite_ents": overwrite})
        doc = nlp("Narendra Modi flew to Russia.")
        assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == expected


def test_config_kinds_and_metonyms() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("geonorm", config={"kinds": ["country"], "metonyms": True})
    doc = nlp("Moscow and Modi discussed the rupee.")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("Moscow", "country:RU")]
    with pytest.raises(ValueError, match="unknown kind"):
        spacy.blank("en").add_pipe("geonorm", config={"kinds": ["planet"]})


def test_a_pipeline_with_the_component_saves_and_loads(tmp_path: object) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("geonorm", config={"kinds": ["person"]})
    path = f"{tmp_path}/pipeline"
    nlp.to_disk(path)
    again = spacy.load(path)
    assert [e.kb_id_ for e in again("Putin spoke.").ents] == ["person:vladimir-putin"]
