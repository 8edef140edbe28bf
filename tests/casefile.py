"""Read the data-driven test cases in tests/cases/*.tsv."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import attrs

CASES = Path(__file__).parent / "cases"


@attrs.frozen
class Case:
    text: str
    expected: str | None
    options: dict[str, Any]
    line: int

    def __str__(self) -> str:
        opts = " ".join(f"{k}={v}" for k, v in self.options.items())
        return f"line {self.line}: {self.text!r} -> {self.expected} {opts}".strip()


def read_cases(name: str) -> list[Case]:
    path = CASES / name
    out = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) < 2:
            raise ValueError(f"{path}:{n}: expected text<TAB>expected[<TAB>options]")
        text, expected = parts[0], parts[1].strip()
        options: dict[str, Any] = {}
        for opt in parts[2].split() if len(parts) > 2 else []:
            if "=" in opt:
                k, _, v = opt.partition("=")
                options[k] = v
            else:
                options[opt] = True
        out.append(Case(text, None if expected == "-" else expected, options, n))
    return out


@attrs.frozen
class HolderCase:
    office: str
    country: str | None
    day: str
    expected: str
    line: int

    @property
    def text(self) -> str:
        """How ``known_failures.toml`` names the case."""
        return f"{self.office} {self.country or '-'} {self.day}"

    def __str__(self) -> str:
        return f"line {self.line}: {self.text} -> {self.expected}"


def read_holder_cases(name: str) -> list[HolderCase]:
    out = []
    for n, raw in enumerate((CASES / name).read_text(encoding="utf-8").splitlines(), 1):
        if raw.strip() and not raw.startswith("#"):
            office, country, day, expected = raw.split("\t")[:4]
            out.append(HolderCase(office, None if country == "-" else country, day, expected.strip(), n))
    return out


def known_failures() -> dict[tuple[str, str], str]:
    """``(file, case text) -> reason`` from ``known_failures.toml``."""
    with (CASES / "known_failures.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {(c["file"], c["text"]): c["reason"] for c in data["case"]}


#: file -> Counter(right=..., wrong=...), filled as the case tests run.
ACCURACY: dict[str, Counter[str]] = {}


def record_accuracy(filename: str, right: bool) -> None:
    ACCURACY.setdefault(filename, Counter())["right" if right else "wrong"] += 1
