"""Shared pytest hooks: the accuracy report of the data-driven cases."""

from __future__ import annotations

import pytest

from .casefile import ACCURACY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not ACCURACY:
        return
    terminalreporter.section("accuracy of the data-driven cases")
    for filename, counts in sorted(ACCURACY.items()):
        total = counts["right"] + counts["wrong"]
        terminalreporter.write_line(f"{filename}: {counts['right']}/{total} right ({counts['right'] / total:.1%})")
