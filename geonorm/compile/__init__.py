"""The compile step: validate the human-edited tables and write the index.

Run ``python -m geonorm.compile`` after editing anything under
``geonorm/data/``; ``python -m geonorm.compile --check`` exits non-zero when
the checked-in index does not match the tables or a table is invalid (CI runs
it), and says which: a table changed without recompiling, or the installed
babel/pycountry differ from the versions the index was built from.

The index depends on the CLDR and ISO data of babel and pycountry, so it is
built with the versions pinned in ``.ci/constraints.txt``::

    python -m pip install -c .ci/constraints.txt -e .
    python -m geonorm.compile

Compiling with other versions is refused (it would rewrite most of the index)
unless ``--new-sources`` says that is the intent; then update the pins.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path

from .. import index as ix
from ..extraction.patterns import PATTERNS_FILE
from ..tables import TableError
from .build import DATA_DIR, INDEX_DIR, build
from .sources import source_versions

__all__ = ["build", "built_versions", "main", "patterns_text", "source_mismatch"]

#: The repository's test cases, checked for ids the tables lack (absent
#: from an installed package).
CASES_DIR = DATA_DIR.parent.parent / "tests" / "cases"
#: Exit codes of ``--check``: 1, a table changed without recompiling;
#: 2, a table is invalid; 3, other source versions are installed.
STALE, INVALID, OTHER_SOURCES = 1, 2, 3


def built_versions(index_dir: Path = INDEX_DIR) -> dict[str, str]:
    """The source versions recorded in the checked-in index (read from the
    header line of each kind's file; they agree when the index is sound)."""
    found: dict[str, str] = {}
    for path in sorted(index_dir.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            head = json.loads(fh.readline() or "{}")
        for name, version in head.get("sources", {}).items():
            found.setdefault(name, version)
    return found


def source_mismatch(index_dir: Path = INDEX_DIR) -> str:
    """Which installed source versions differ from those the index was built
    from, as a sentence; empty when none does."""
    built = built_versions(index_dir)
    installed = source_versions()
    differ = [n for n in sorted(installed) if built.get(n) and built[n] != installed[n]]
    if not differ:
        return ""
    was = ", ".join(f"{n} {built[n]}" for n in differ)
    now = ", ".join(f"{n} {installed[n]}" for n in differ)
    return (
        f"the index was built with {was}, but {now} is installed; install the pinned versions "
        "(python -m pip install -c .ci/constraints.txt -e .) to check or rebuild it"
    )


def patterns_text() -> str:
    """The text of ``patterns.tsv``: the extraction patterns of the shipped
    index, as :mod:`geonorm.extraction.patterns` describes (run after the
    kinds' index files are written)."""
    from ..extraction import patterns as pt
    from ..extraction.matcher import build_patterns
    from ..shipped import available_kinds

    kinds = available_kinds()
    builder = build_patterns(kinds)
    return pt.dump(kinds, pt.entries(builder.patterns, builder.surnames), builder.symbols, builder.demonyms)


def _write(index_dir: Path, files: dict[str, tuple[str, str]], check: bool) -> list[str]:
    """Write the files whose text changed (unless ``check``). ``files`` maps
    what a file holds (a kind) to its name and text; returns what changed."""
    stale = []
    for label, (name, text) in sorted(files.items()):
        path = index_dir / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(label)
            if not check:
                index_dir.mkdir(parents=True, exist_ok=True)
                _replace(path, text)
    return stale


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` by renaming a finished file over it, so that
    a process reading (or mapping) the old file keeps reading it whole."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m geonorm.compile", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="fail if the index on disk is not what the tables give")
    parser.add_argument("--report", action="store_true", help="print names left tied between entities")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DATA_DIR,
        help="the folder of tables to compile (default: geonorm's own); the index goes to its index/ folder",
    )
    parser.add_argument(
        "--new-sources",
        action="store_true",
        help="rebuild with the installed babel/pycountry even though the index was built with others",
    )
    args = parser.parse_args(argv)
    data_dir: Path = args.data_dir
    index_dir = data_dir / "index"
    cases = CASES_DIR if data_dir == DATA_DIR and CASES_DIR.is_dir() else None
    mismatch = source_mismatch(index_dir)
    if mismatch and (args.check or not args.new_sources):
        print(f"error: {mismatch}" + ("" if args.check else "; or pass --new-sources"), file=sys.stderr)
        return OTHER_SOURCES
    try:
        texts, report = build(data_dir, cases_dir=cases)
    except TableError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return INVALID
    if args.report:
        print("\n".join(report))
    files = {kind: (ix.index_name(kind), text) for kind, text in texts.items()}
    stale = _write(index_dir, files, args.check)
    if data_dir == DATA_DIR and not (args.check and stale):
        # The extraction patterns are derived from the fresh index.
        files["extraction patterns"] = (PATTERNS_FILE, patterns_text())
        stale += _write(index_dir, {"extraction patterns": files["extraction patterns"]}, args.check)
    if not args.check:
        names = {name for name, _ in files.values()}
        for old in sorted(index_dir.glob("*")):
            if old.name not in names:
                old.unlink()  # a file of an earlier index format
    if args.check:
        if stale:
            print(
                f"error: the tables changed without recompiling ({', '.join(stale)}): "
                "run python -m geonorm.compile and commit geonorm/data/index/",
                file=sys.stderr,
            )
            return STALE
        print(f"index is fresh ({len(texts)} kinds)")
        return 0
    print(f"wrote {len(stale)} index file(s); {len(files) - len(stale)} already fresh")
    return 0
