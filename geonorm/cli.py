"""``python -m geonorm`` and the ``geonorm`` command: resolve strings given on
the command line and print kind, id and name for each."""

from __future__ import annotations

import argparse
import sys

from . import candidates, resolve
from .shipped import available_kinds

__all__ = ["main"]

_EXAMPLES = ["Bharat", "Индия", "Korea, Rep.", "Emirati", "USSR", "₹", "Russland", "Congo"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="geonorm",
        description="Resolve names of countries, currencies and more to canonical entities.",
    )
    parser.add_argument("text", nargs="*", help="strings to resolve (a few examples when none given)")
    parser.add_argument("--kind", choices=available_kinds(), help="only this kind")
    parser.add_argument("--fuzzy", action="store_true", help="tolerate spelling mistakes")
    parser.add_argument("--metonyms", action="store_true", help="let capital cities stand for countries")
    parser.add_argument("--country", help="a country hint, such as PK")
    args = parser.parse_args(argv)
    texts = args.text or _EXAMPLES
    hints = {"country": args.country} if args.country else {}
    status = 0
    for text in texts:
        try:
            found = resolve(text, args.kind, fuzzy=args.fuzzy, metonyms=args.metonyms, **hints)
        except (TypeError, ValueError) as exc:
            print(f"{text}\terror: {exc}", file=sys.stderr)
            status = 2
            continue
        if found is not None:
            print(f"{text}\t{found.kind}\t{found.id}\t{found.name}")
            continue
        options = candidates(text, args.kind, fuzzy=args.fuzzy, metonyms=args.metonyms, **hints)
        if options:
            ids = ", ".join(m.entity.id for m in options[:5])
            print(f"{text}\tambiguous\t{ids}")
        else:
            print(f"{text}\tnone")
    return status
