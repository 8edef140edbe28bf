"""Score :func:`geonorm.extract` on the annotated multilingual news corpus
(``tests/cases/extract_multilingual/<lang>.toml``).

Each article lists its mentions in order as ``[surface, entity id]``. The
scorer finds each surface in the text, in order, to get its span; a found
mention is right when it names the same entity as an expected mention whose
span it overlaps (so "والصين" and "الصين" agree), each expected mention
counting once. Used by the tests and by ``benchmarks/extract.py``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs

CORPUS_DIR = Path(__file__).parent / "cases" / "extract_multilingual"


@attrs.frozen
class Article:
    language: str
    id: str
    text: str
    expected: tuple[tuple[int, int, str], ...]  #: (start, end, entity id)
    metonyms: bool = False


@attrs.define
class Score:
    expected: int = 0
    found: int = 0
    right: int = 0
    misses: list[str] = attrs.field(factory=list)
    extras: list[str] = attrs.field(factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.found += other.found
        self.right += other.right
        self.misses += other.misses
        self.extras += other.extras


def _spans(article_id: str, text: str, mentions: Iterable[list[str]]) -> tuple[tuple[int, int, str], ...]:
    out = []
    pos = 0
    for surface, eid in mentions:
        start = text.find(surface, pos)
        if start < 0:
            raise ValueError(f"{article_id}: {surface!r} not found after offset {pos}")
        out.append((start, start + len(surface), eid))
        pos = start + 1
    return tuple(out)


def load(directory: Path = CORPUS_DIR) -> list[Article]:
    """Every article of every language file, in file order."""
    articles = []
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
        language = str(data["language"])
        for item in data["article"]:
            text = str(item["text"])
            articles.append(
                Article(
                    language=language,
                    id=str(item["id"]),
                    text=text,
                    expected=_spans(str(item["id"]), text, item["mentions"]),
                    metonyms=bool(item.get("metonyms", False)),
                )
            )
    return articles


Extractor = Callable[[Article], Iterable[tuple[int, int, str]]]


def score_article(article: Article, found: Iterable[tuple[int, int, str]]) -> Score:
    score = Score(expected=len(article.expected))
    open_ = list(article.expected)
    for start, end, eid in found:
        score.found += 1
        match = next((e for e in open_ if e[2] == eid and e[0] < end and start < e[1]), None)
        if match is None:
            score.extras.append(f"{article.id}: extra {article.text[start:end]!r} -> {eid}")
            continue
        open_.remove(match)
        score.right += 1
    score.misses += [f"{article.id}: missed {article.text[s:e]!r} -> {eid}" for s, e, eid in open_]
    return score


def score(articles: Iterable[Article], extract: Extractor) -> dict[str, Score]:
    """Scores per language, plus ``"all"``."""
    out: dict[str, Score] = {"all": Score()}
    for article in articles:
        s = score_article(article, extract(article))
        out.setdefault(article.language, Score()).add(s)
        out["all"].add(s)
    return out


def geonorm_extractor(article: Article) -> list[tuple[int, int, str]]:
    import geonorm

    return [(m.start, m.end, m.entity.id) for m in geonorm.extract(article.text, metonyms=article.metonyms)]
