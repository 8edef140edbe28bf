"""Read the data-driven test cases in tests/cases/*.tsv."""

from __future__ import annotations

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
