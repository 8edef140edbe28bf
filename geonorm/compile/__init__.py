"""The compile step: validate the human-edited tables and write the index.

Run ``python -m geonorm.compile`` after editing anything under
``geonorm/data/``; ``python -m geonorm.compile --check`` exits non-zero when
the checked-in index is stale or a table is invalid (CI runs it).
Needs the pinned pycountry and babel versions from ``.ci/constraints.txt``.
"""

from __future__ import annotations

import argparse
import sys

from ..tables import TableError
from .build import INDEX_DIR, build

__all__ = ["build", "main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geonorm.compile", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the index on disk is stale; write nothing")
    parser.add_argument("--report", action="store_true", help="print names left tied between entities")
    args = parser.parse_args(argv)
    try:
        texts, report = build()
    except TableError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.report:
        print("\n".join(report))
    stale = []
    for kind, text in sorted(texts.items()):
        path = INDEX_DIR / f"{kind}.json"
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(kind)
            if not args.check:
                INDEX_DIR.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if args.check:
        if stale:
            print(
                f"error: the index is stale for {', '.join(stale)}: run python -m geonorm.compile and commit "
                "geonorm/data/index/",
                file=sys.stderr,
            )
            return 1
        print(f"index is fresh ({len(texts)} kinds)")
        return 0
    print(f"wrote {len(stale)} index file(s); {len(texts) - len(stale)} already fresh")
    return 0
