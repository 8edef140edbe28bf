"""The compiled extraction patterns: written by the compile step, loaded
without deriving them again, and the same as what the tables give."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping

import pytest

import geonorm
from geonorm import index as ix
from geonorm.extraction import patterns as pt
from geonorm.extraction.matcher import load_rules, matcher
from geonorm.shipped import available_kinds
from geonorm.shipped import lookup as _lookup_any


def _builder() -> pt.PatternBuilder:
    builder = pt.PatternBuilder(load_rules())
    india = geonorm.get("country:IN")
    rupee = geonorm.get("currency:INR")
    s400 = geonorm.get("weapon:s-400")
    assert india is not None and rupee is not None and s400 is not None
    builder.add_names(
        "country", [(india, "India", ix.STRONG), (india, "Indian", ix.DEMONYM), (india, "الهند", ix.NEWS_LOCALE)]
    )
    builder.add_names("currency", [(rupee, "₹", ix.STRONG), (rupee, "INR", ix.CODE), (rupee, "rupee", ix.STRONG)])
    builder.add_names("weapon", [(s400, "S-400 Triumf", ix.STRONG)])
    builder.add_not_names(["indian ocean"])
    return builder


def _load(text: str) -> tuple[pt.PatternTable, list[str], Mapping[str, list[pt.Candidate]], frozenset[str]]:
    taken: list[str] = []

    def take(first: int, patterns: list[str], groups: bytes) -> None:
        assert first == len(taken) and len(patterns) == len(groups)
        taken.extend(patterns)
        automata.extend(groups)

    automata: list[int] = []
    loaded = pt.PatternTable.load(("test",), _lookup_any, text.encode(), take)
    assert loaded is not None
    table, symbols, demonyms = loaded
    # The automaton of each pattern, as the compile step wrote it.
    assert automata == [pt.automaton_of(table.pattern(pid), table.start_rule[pid]) for pid in range(len(table))]
    return table, taken, symbols, demonyms


def test_dump_and_load_round_trip() -> None:
    builder = _builder()
    entries = pt.entries(builder.patterns)
    text = pt.dump(("test",), entries, builder.symbols, builder.demonyms)
    assert text == pt.dump(("test",), entries, builder.symbols, builder.demonyms)  # deterministic
    table, patterns_in_order, symbols, demonyms = _load(text)
    assert len(table) == len(entries)
    assert patterns_in_order == [pattern for pattern, *_ in entries]
    for pid, (pattern, start, end, cands) in enumerate(entries):
        assert table.pattern(pid) == pattern
        assert table[pid] == (pattern, cands)
        assert (table.start_rule[pid], table.end_rule[pid], table.lengths[pid]) == (start, end, len(pattern))
    assert dict(symbols) == builder.symbols
    assert demonyms == builder.demonyms == {"indian"}
    # What the patterns hold: spelling variants, the Arabic form after ل, the
    # designator for CJK text, and a known non-name without candidates.
    patterns = {pattern: cands for pattern, _, _, cands in entries}
    assert {"India", "INDIA", "Indian", "S 400 Triumf", "S400Triumf", "s400triumf", "rupee", "Rupee"} <= set(patterns)
    assert "للهند" in patterns
    assert patterns["Indian Ocean"] == ()
    assert [c.entity.id for c in patterns["INR"]] == ["currency:INR"]
    assert "₹" in symbols


def test_one_line_per_pattern_sorted() -> None:
    builder = _builder()
    text = pt.dump(("test",), pt.entries(builder.patterns), builder.symbols, builder.demonyms)
    lines = text.splitlines()
    head = json.loads(lines[0])
    assert head["format"] == pt.FORMAT and head["kinds"] == ["test"]
    pattern_lines = [line for line in lines[1:] if line.startswith("p\t")]
    assert len(pattern_lines) == head["patterns"]
    # Sorted by automaton, then by pattern (each automaton's ids consecutive).
    keys = [(int(line.split("\t")[4]), line.split("\t")[1]) for line in pattern_lines]
    assert keys == sorted(keys)
    assert len({automaton for automaton, _ in keys}) > 1
    # Entities are named by id, never by position.
    assert '"country:IN"' in text


def test_other_format_or_kinds_is_not_loaded() -> None:
    builder = _builder()
    text = pt.dump(("test",), pt.entries(builder.patterns), builder.symbols, builder.demonyms)
    other = text.replace(f'"format": {pt.FORMAT}', '"format": 999', 1)
    assert pt.PatternTable.load(("test",), _lookup_any, other.encode()) is None
    assert pt.PatternTable.load(("other",), _lookup_any, text.encode()) is None
    assert pt.PatternTable.load(("test",), _lookup_any, b"not json\n") is None


def test_the_process_matcher_is_the_compiled_one() -> None:
    m = matcher()
    # Loaded from patterns.tsv (a derived table would have made every entry).
    assert m.entries._offsets
    assert len(m.entries) > 100_000
    pid = m.find("India")
    assert pid is not None
    pattern, cands = m.entries[pid]
    assert pattern == "India" and [c.entity.id for c in cands] == ["country:IN"]
    assert m.find("No Such Name Anywhere") is None
    assert available_kinds() == tuple(json.loads(m.entries._blob[: m.entries._blob.find(b"\n", 0)])["kinds"])


def test_a_damaged_file_is_not_loaded() -> None:
    builder = _builder()
    text = pt.dump(("test",), pt.entries(builder.patterns), builder.symbols, builder.demonyms)
    lines = text.splitlines(keepends=True)
    p_lines = [i for i, line in enumerate(lines) if line.startswith("p\t")]
    missing = "".join(line for i, line in enumerate(lines) if i != p_lines[1])
    assert pt.PatternTable.load(("test",), _lookup_any, missing.encode()) is None
    garbled = text.replace("\t0\t0\t", "\tx\t0\t", 1)
    assert pt.PatternTable.load(("test",), _lookup_any, garbled.encode()) is None


_LAZY = """
import json, geonorm
from geonorm.extraction.matcher import matcher
from geonorm import shipped
geonorm.extract("Vladimir Putin met Narendra Modi in New Delhi.")
m = matcher()
state = [sorted(m._automata._built), "currency" in shipped._SHIPPED]
found = [x.entity.id for x in geonorm.extract("中国和俄罗斯的关系; the rupee at ₹83")]
state += [sorted(m._automata._built), found]
found = [x.entity.id for x in geonorm.extract("Россия и Индия. Ελλάδα")]
state += [sorted(m._automata._built), found]
found = [x.entity.id for x in geonorm.extract("Ankara: Türkiye and India signed; BAE系统公司")]
state += [sorted(m._automata._built), found]
print(json.dumps(state))
"""


def test_what_a_process_builds_only_when_a_text_needs_it() -> None:
    # English text in ASCII builds only the automaton of names after a
    # space in ASCII and makes no currency sign; the first Chinese text
    # builds the one of names written without spaces, the first Russian and
    # Greek text theirs; the first text with a Latin letter beyond ASCII
    # ("ü") the one of every Latin name, which it reads instead.
    out = subprocess.run([sys.executable, "-c", _LAZY], capture_output=True, text=True, check=True).stdout
    english_only, currencies_loaded, built, found, built_after, found_after, built_latin, found_latin = json.loads(out)
    assert english_only == []
    assert not currencies_loaded
    assert built == ["unspaced"]
    assert built_after == ["cyrillic", "other", "unspaced"]
    assert found_after == ["country:RU", "country:IN", "country:GR"]
    assert found == ["country:CN", "country:RU", "currency:INR", "currency:INR"]
    assert built_latin == ["cyrillic", "latin", "other", "unspaced"]
    # Names in ASCII, beyond it, and in Latin and Chinese letters at once.
    assert found_latin == ["country:TR", "country:IN", "organisation:bae-systems"]


def test_batches_read_the_same_table(monkeypatch: pytest.MonkeyPatch) -> None:
    builder = _builder()
    entries = pt.entries(builder.patterns)
    text = pt.dump(("test",), entries, builder.symbols, builder.demonyms)
    whole, whole_patterns, _, _ = _load(text)
    monkeypatch.setattr(pt, "_BATCH_BYTES", 40)  # a batch of a line or two
    batched, batched_patterns, _, _ = _load(text)
    assert batched_patterns == whole_patterns == [pattern for pattern, *_ in entries]
    assert batched._offsets == whole._offsets and batched.lengths == whole.lengths
    assert batched.start_rule == whole.start_rule and batched.end_rule == whole.end_rule
    assert [batched[pid] for pid in range(len(entries))] == [whole[pid] for pid in range(len(entries))]
    # A line lost in a later batch is a damaged file too.
    lines = text.splitlines(keepends=True)
    last_p = max(i for i, line in enumerate(lines) if line.startswith("p\t"))
    assert pt.PatternTable.load(("test",), _lookup_any, "".join(lines[:last_p]).encode()) is None
