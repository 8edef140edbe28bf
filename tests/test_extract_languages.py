"""geonorm.extract on the annotated multilingual news corpus
(``tests/cases/extract_multilingual``): precision and recall per language.

The floors below are what the code achieves today, so a change that loses
ground fails; the targets of the multilingual work are precision 98% and
recall 90% overall, 80% in every language (see the languages page of the
docs for the current figures, from ``benchmarks/extract.py``).
"""

from __future__ import annotations

import pytest

import geonorm

from .corpus import Article, Score, geonorm_extractor, load, score

ARTICLES = load()
LANGUAGES = sorted({a.language for a in ARTICLES})
# language: (precision floor, recall floor)
FLOORS: dict[str, tuple[float, float]] = {"all": (0.97, 0.89)}
DEFAULT_FLOOR = (0.9, 0.7)


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    return score(ARTICLES, geonorm_extractor)


def test_every_language_has_three_articles() -> None:
    assert len(LANGUAGES) >= 18
    for lang in LANGUAGES:
        assert sum(1 for a in ARTICLES if a.language == lang) >= 3, lang


@pytest.mark.parametrize("language", ["all", *LANGUAGES])
def test_language(scores: dict[str, Score], language: str) -> None:
    s = scores[language]
    precision_floor, recall_floor = FLOORS.get(language, DEFAULT_FLOOR)
    detail = "\n".join(s.misses[:40] + s.extras[:40])
    assert s.precision >= precision_floor, f"{language}: precision {s.precision:.3f}\n{detail}"
    assert s.recall >= recall_floor, f"{language}: recall {s.recall:.3f}\n{detail}"


def test_spans_are_the_text(scores: dict[str, Score]) -> None:
    for article in ARTICLES:
        for m in geonorm.extract(article.text):
            assert article.text[m.start : m.end] == m.text


def test_scorer_matches_by_overlap_and_entity() -> None:
    article = Article("ar", "t", "والصين وروسيا", ((0, 6, "country:CN"), (7, 13, "country:RU")))
    s = score([article], lambda a: [(1, 6, "country:CN"), (7, 13, "country:IN")])["all"]
    assert (s.expected, s.found, s.right) == (2, 2, 1)
