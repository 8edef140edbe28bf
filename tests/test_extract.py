"""geonorm.extract on the annotated news corpus and on the traps the issue names."""

from __future__ import annotations

import time
import tomllib

import pytest

import geonorm
from geonorm import Mention

from .casefile import CASES


def _corpus() -> list[dict[str, object]]:
    with (CASES / "extract_corpus.toml").open("rb") as fh:
        data = tomllib.load(fh)
    paragraphs: list[dict[str, object]] = data["paragraph"]
    return paragraphs


def test_corpus_precision_and_recall() -> None:
    paragraphs = _corpus()
    assert len(paragraphs) >= 20
    expected_total = found_total = right = 0
    report = []
    for p in paragraphs:
        text = str(p["text"])
        expected = [(str(s), str(e)) for s, e in p["mentions"]]  # type: ignore[attr-defined]
        got = [(m.text, m.entity.id) for m in geonorm.extract(text, metonyms=bool(p.get("metonyms", False)))]
        for m in geonorm.extract(text):
            assert text[m.start : m.end] == m.text
        remaining = list(expected)
        hits = 0
        for g in got:
            if g in remaining:
                remaining.remove(g)
                hits += 1
        extra = list(got)
        for e in expected:
            if e in extra:
                extra.remove(e)
        expected_total += len(expected)
        found_total += len(got)
        right += hits
        if remaining or extra:
            report.append(f"{p['id']}: missed {remaining}, extra {extra}")
    precision = right / found_total
    recall = right / expected_total
    detail = "\n".join(report)
    # The English corpus's figures: every mention found is right, at least 99% are found.
    assert precision == 1.0, f"precision {precision:.4f}\n{detail}"
    assert recall >= 0.99, f"recall {recall:.4f}\n{detail}"


def _found(text: str, **kw: object) -> list[tuple[str, str]]:
    return [(m.text, m.entity.id) for m in geonorm.extract(text, **kw)]  # type: ignore[arg-type]


def test_issue_example() -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov said the S-400 was on the agenda as trade reached "
        "$68.7 billion, paid partly in rupees."
    )
    got = _found(text)
    assert ("Dmitry Peskov", "person:dmitry-peskov") in got
    assert ("S-400", "weapon:s-400") in got
    assert ("$", "currency:USD") in got
    assert ("rupees", "currency:INR") in got
    assert {m.entity.kind for m in geonorm.extract(text, kinds={"country", "currency"})} == {"currency"}
    got = _found("Talks in Moscow and Washington.", metonyms=True)
    assert got == [("Moscow", "country:RU"), ("Washington", "country:US")]
    assert _found("Talks in Moscow and Washington.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bharat Dynamics Limited signed.", [("Bharat Dynamics Limited", "organisation:bharat-dynamics")]),
        ("the Reserve Bank of India said", [("Reserve Bank of India", "organisation:reserve-bank-of-india")]),
        ("paid in US dollars", [("US dollars", "currency:USD")]),
        ("Indiana and путинизм", []),
        ("Putin's and Putin’s visit", [("Putin", "person:vladimir-putin"), ("Putin", "person:vladimir-putin")]),
        ("sectors such as IT grew", []),
        ("IN and us", []),
        (
            "The US, UK, UAE, DPRK and USSR",
            [
                ("US", "country:US"),
                ("UK", "country:GB"),
                ("UAE", "country:AE"),
                ("DPRK", "country:KP"),
                ("USSR", "country:SUHH"),
            ],
        ),
        ("roast turkey and fine china", []),
        ("Samsung won the contract", []),
        ("the won slipped against the dollar", [("won", "currency:KRW"), ("dollar", "currency:USD")]),
        ("Michael Jordan met Jordan Bardella and Chad Smith", []),
        ("Russian oil and Indian exports", [("Russian", "country:RU"), ("Indian", "country:IN")]),
        (
            "Rs 500 crore and €4bn and 4 billion euros",
            [("Rs", "currency:INR"), ("€", "currency:EUR"), ("euros", "currency:EUR")],
        ),
        (
            "Vladimir Putin arrived. Putin said",
            [("Vladimir Putin", "person:vladimir-putin"), ("Putin", "person:vladimir-putin")],
        ),
        (
            "S-400s, S400 and С-400 «Триумф»",
            [("S-400s", "weapon:s-400"), ("S400", "weapon:s-400"), ("С-400 «Триумф»", "weapon:s-400")],
        ),
    ],
)
def test_rules(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_demonym_and_coreference_marked() -> None:
    hows = {m.text: m.how for m in geonorm.extract("Russian oil. Vladimir Putin met. Putin said")}
    assert hows["Russian"] == "demonym"
    assert hows["Putin"] == "coreference"


def test_spans_after_length_changing_case() -> None:
    text = "İSTANBUL (Reuters) — Straße news: İzmir hosted India and Pakistan"
    for m in geonorm.extract(text):
        assert text[m.start : m.end] == m.text
    assert ("India", "country:IN") in _found(text)


def test_bad_input() -> None:
    with pytest.raises(TypeError):
        geonorm.extract(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        geonorm.extract(b"India")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        geonorm.extract("India", kinds={"planet"})
    with pytest.raises(TypeError):
        geonorm.extract("India", kinds="country")
    assert geonorm.extract("") == []
    assert geonorm.extract("   \n") == []
    assert all(isinstance(m, Mention) for m in geonorm.extract("India"))


def test_ten_megabytes() -> None:
    text = ("Indian Prime Minister Narendra Modi met Vladimir Putin; Rosneft paid $5bn. " * 140_000)[:10_000_000]
    start = time.perf_counter()
    found = geonorm.extract(text)
    assert time.perf_counter() - start < 60
    assert len(found) > 100_000
    assert all(text[m.start : m.end] == m.text for m in found[:1000])


def test_bare_surnames_few_and_many() -> None:
    # A few people: each surname is searched for in the text; many: one
    # automaton over them. Both find the same bare surnames.
    few = "Vladimir Putin met Narendra Modi. Later Putin said Modi agreed; Putinism is no name."
    found = [(m.text, m.how) for m in geonorm.extract(few) if m.how == "coreference"]
    assert found == [("Putin", "coreference"), ("Modi", "coreference")]
    people = [p for p in geonorm.entities("person") if " " in p.name and p.name.isascii()][:40]
    text = ". ".join(p.name for p in people) + ". " + " ".join(f"Then {p.name.split()[-1]} spoke." for p in people)
    found_many = [m for m in geonorm.extract(text) if m.how == "coreference"]
    assert len(found_many) >= 20
    assert all(text[m.start : m.end] == m.text and m.text[:1].isupper() for m in found_many)


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        # A surname that is also a word opening sentences is read as that word.
        ("General He Weidong met officials in Beijing. He said the talks went well.", []),
        ("Party chief To Lam arrived in Hanoi. To the surprise of many, he spoke first.", []),
        ("Theresa May met officials on Monday. By May 2019 the deal had failed.", []),
        # A monarch's or pope's number is no surname.
        ("King Juan Carlos I abdicated in 2014. I think it was expected, a source said.", []),
        ("King Frederik X visited Nuuk. X, the social network, carried the speech.", []),
        ("King Albert II visited Ypres, where World War II memorials stand.", []),
        ("Pope Leo XIV met King Charles III. Louis XIV and Henry VIII were mentioned.", []),
        # A generational suffix is passed over for the surname before it.
        ("Charles Q. Brown Jr. spoke. Martin Luther King Jr. was quoted. Brown added a warning.", ["Brown"]),
        # A family name first, but not before an initial.
        ("Li Qiang spoke. Li added that trade would grow.", ["Li"]),
        ("C. C. Wei said demand was strong. Wei added that prices would rise. C. said nothing.", ["Wei"]),
        # A Russian name in its official order: family name, given name, patronymic.
        ("Putin Vladimir Vladimirovich signed the decree. Vladimirovich and Putin were named.", ["Putin"]),
        ("Миллер Алексей Борисович подписал. Борисович и Миллер.", ["Миллер"]),
        ("Roman Arkadyevich Abramovich sold the club. Abramovich left.", ["Abramovich"]),
    ],
)
def test_bare_surnames_only_names(text: str, bare: list[str]) -> None:
    # Among many people too: the rule is the same for the automaton over many surnames.
    many = ". ".join(p.name for p in geonorm.entities("person") if " " in p.name and p.name.isascii())
    for full in (text, many + ". " + text):
        found = [m.text for m in geonorm.extract(full) if m.how == "coreference" and m.start >= len(full) - len(text)]
        assert found == bare, full[-len(text) :]
