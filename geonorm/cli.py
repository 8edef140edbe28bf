"""``python -m geonorm`` and the ``geonorm`` command.

Three ways to call it::

    geonorm Bharat Индия "Korea, Rep."        # names as arguments: kind, id and name each
    geonorm resolve [options] [FILE ...|-]    # one name a line, from files or standard input
    geonorm extract [options] [FILE ...|-]    # every mention in text, one line of JSON each
    geonorm serve [--host H] [--port P]       # the reconciliation service and look-up page
    geonorm compile-table OUT FILE [FILE ...] # your table files, compiled (geonorm.compile_table)

``resolve`` writes a table (``--format tsv``, ``csv`` or ``jsonl``) with a
header row: the input, a status (``match``, ``ambiguous``, ``none``), the
kind, id and name, and the candidates of an ambiguous name. ``extract``
reads each line as a text and writes one JSON object (or TSV row) a
mention, with the file, line, offsets in the line, text, kind, id and name.
Both stream: memory stays flat whatever the input's size. ``--load FILE``
adds a table of your own, ``--compiled FILE`` a compiled one, ``--packs``
the installed alias packs.
Unreadable input (a missing file, bytes that are not UTF-8) gives a
one-line message naming the file and exit status 2; so does a name given as
an argument whose bytes are not UTF-8, the other names being resolved. A
reader that closes the pipe early (``| head``) ends the run quietly, with
status 0. Output never fails to print: a file name that is not UTF-8 is
written with ``\\xff`` escapes, and a character the terminal's encoding
lacks as a ``\\u`` escape.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any

from . import __version__, default_registry
from .compiled import compile_table
from .registry import Registry
from .shipped import available_kinds
from .tables import TableError

__all__ = ["main"]

_EXAMPLES = ["Bharat", "Индия", "Korea, Rep.", "Emirati", "USSR", "₹", "Russland", "Congo"]
_RESOLVE_COLUMNS = ["input", "status", "kind", "id", "name", "candidates"]
_EXTRACT_COLUMNS = ["file", "line", "start", "end", "text", "kind", "id", "name", "how"]
_MEMO_LIMIT = 20_000  # distinct names remembered; beyond, the memo starts again (flat memory)
_PROGRESS_EVERY = 20_000  # lines between two progress reports on a terminal


class InputError(Exception):
    """Input that cannot be read: the message names the file."""


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--load", metavar="FILE", action="append", default=[], help="add a table of your own")
    parser.add_argument(
        "--compiled", metavar="FILE", action="append", default=[], help="add a compiled table (compile-table)"
    )
    parser.add_argument("--packs", action="store_true", help="add the installed alias packs")


def _resolve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", choices=available_kinds(), help="only this kind")
    parser.add_argument("--fuzzy", action="store_true", help="tolerate spelling mistakes")
    parser.add_argument("--metonyms", action="store_true", help="let capital cities stand for countries")
    parser.add_argument("--country", help="a country hint, such as PK")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geonorm",
        description="Resolve names of countries, currencies and more to canonical entities, "
        "and find them in text. Subcommands: resolve, extract, serve; or give names as arguments.",
    )
    parser.add_argument("--version", action="version", version=f"geonorm {__version__}")
    return parser


def _resolve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geonorm resolve", description="Resolve one name a line, from files or standard input."
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="files of names, one a line ('-': standard input)")
    _resolve_options(parser)
    parser.add_argument("--format", choices=("tsv", "csv", "jsonl"), default="tsv", help="output format")
    _options(parser)
    return parser


def _extract_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geonorm extract", description="Every mention in text, one line of output a mention."
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="text files ('-': standard input)")
    parser.add_argument("--kinds", help="only these kinds, comma-separated")
    parser.add_argument("--metonyms", action="store_true", help="let capital cities stand for countries")
    parser.add_argument("--format", choices=("jsonl", "tsv"), default="jsonl", help="output format")
    _options(parser)
    return parser


def _serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geonorm serve",
        description="Serve the reconciliation API (for OpenRefine) and a look-up page; needs geonorm[serve].",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    _options(parser)
    return parser


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"a port is a number from 1 to 65535, not {text!r}")
    return int(text)


def _run_serve(argv: list[str]) -> int:
    args = _serve_parser().parse_args(argv)
    registry = _registry(args)
    try:
        from .service import run
    except ImportError as exc:
        raise InputError(f"serve needs the serve extra: pip install 'geonorm[serve]' ({exc})") from exc
    try:
        run(registry, host=args.host, port=args.port)
    except OSError as exc:
        raise InputError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
    except KeyboardInterrupt:
        pass
    return 0


def _names_parser() -> argparse.ArgumentParser:
    parser = _parser()
    parser.add_argument("text", nargs="*", help="strings to resolve (a few examples when none given)")
    _resolve_options(parser)
    _options(parser)
    return parser


def _registry(args: argparse.Namespace) -> Registry:
    if not args.load and not args.packs and not args.compiled:
        return default_registry
    registry = Registry()
    for path, load in [*((p, registry.load) for p in args.load), *((p, registry.load_compiled) for p in args.compiled)]:
        try:
            load(path)
        except OSError as exc:
            raise InputError(f"cannot read {_shown(path)}: {exc.strerror or exc}") from exc
        except TableError as exc:
            raise InputError(_shown(str(exc))) from exc
    if args.packs:
        registry.load_packs()
    return registry


def _lines(paths: list[str]) -> Iterator[tuple[str, int, str]]:
    """``(file name, line number, line)`` of every input line, streamed; a
    file that is missing or not UTF-8 raises :class:`InputError`."""
    for path in paths or ["-"]:
        name = "<stdin>" if path == "-" else _shown(path)
        try:
            fh: IO[bytes] = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"cannot read {_shown(path)}: {exc.strerror or exc}") from exc
        try:
            size = os.fstat(fh.fileno()).st_size if path != "-" else 0
            for number, raw in enumerate(fh, 1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise InputError(f"{name}, line {number}: not UTF-8 text ({exc.reason})") from exc
                if number % _PROGRESS_EVERY == 0:
                    _progress(name, number, fh.tell() if size else 0, size)
                yield name, number, line.rstrip("\r\n")
        finally:
            if fh is not sys.stdin.buffer:
                fh.close()
    _progress("", 0, 0, 0, done=True)


def _progress(name: str, lines: int, at: int, size: int, *, done: bool = False) -> None:
    """A one-line progress report on standard error, when it is a terminal."""
    if not sys.stderr.isatty():
        return
    if done:
        sys.stderr.write("\r\033[K")
    else:
        share = f" {100 * at / size:.0f}%" if size else ""
        sys.stderr.write(f"\r\033[K{name}: {lines:,} lines{share}")
    sys.stderr.flush()


def _resolver(registry: Registry, args: argparse.Namespace) -> Callable[[str], dict[str, Any]]:
    """A function from a name to its output row, remembering recent names."""
    hints = {"country": args.country} if args.country else {}
    memo: dict[str, dict[str, Any]] = {}

    def row(text: str) -> dict[str, Any]:
        found = memo.get(text)
        if found is None:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            found = memo[text] = _row(registry, text, args, hints)
        return found

    return row


def _row(registry: Registry, text: str, args: argparse.Namespace, hints: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"input": text, "status": "none", "kind": "", "id": "", "name": "", "candidates": ""}
    options = {"fuzzy": args.fuzzy, "metonyms": args.metonyms, **hints}
    found = registry.resolve(text, args.kind, **options)
    if found is not None:
        out.update(status="match", kind=found.kind, id=found.id, name=found.name)
        return out
    choices = registry.candidates(text, args.kind, **options)
    if choices:
        out.update(status="ambiguous", candidates=" ".join(m.entity.id for m in choices[:5]))
    return out


def _run_resolve(argv: list[str]) -> int:
    args = _resolve_parser().parse_args(argv)
    registry = _registry(args)
    row = _resolver(registry, args)
    hints = {"country": args.country} if args.country else {}
    registry.resolve_many([], args.kind, **hints)  # a wrong kind or hint fails now
    writer = _Writer(args.format, _RESOLVE_COLUMNS)
    for _, _, line in _lines(args.files):
        writer(row(line))
    writer.finish()
    return 0


def _run_extract(argv: list[str]) -> int:
    args = _extract_parser().parse_args(argv)
    registry = _registry(args)
    kinds = [k.strip() for k in args.kinds.split(",")] if args.kinds else None
    registry.extract("", kinds=kinds)  # a bad kind fails now
    writer = _Writer(args.format, _EXTRACT_COLUMNS)
    for name, number, line in _lines(args.files):
        for m in registry.extract(line, kinds=kinds, metonyms=args.metonyms):
            d = m.to_dict()
            writer(
                {
                    "file": name,
                    "line": number,
                    "start": d["start"],
                    "end": d["end"],
                    "text": d["text"],
                    "kind": d["kind"],
                    "id": d["id"],
                    "name": d["name"],
                    "how": d["how"],
                }
            )
    writer.finish()
    return 0


class _Writer:
    """Rows to standard output in one format; the header of a table comes
    with the first row (or at the end, for an empty input), so that input
    that cannot be read prints nothing but the message."""

    def __init__(self, fmt: str, columns: list[str]) -> None:
        self.fmt, self.columns = fmt, columns
        self.out = sys.stdout
        self._csv = csv.DictWriter(self.out, fieldnames=columns, lineterminator="\n") if fmt == "csv" else None
        self._started = False

    def _start(self) -> None:
        self._started = True
        if self._csv is not None:
            self._csv.writeheader()
        elif self.fmt == "tsv":
            self.out.write("\t".join(self.columns) + "\n")

    def __call__(self, row: dict[str, Any]) -> None:
        if not self._started:
            self._start()
        if self.fmt == "jsonl":
            self.out.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif self._csv is not None:
            self._csv.writerow(row)
        else:
            self.out.write("\t".join(str(row[c]).replace("\t", " ") for c in self.columns) + "\n")

    def finish(self) -> None:
        if not self._started:
            self._start()
        self.out.flush()


def _shown(text: str) -> str:
    """``text`` as it can be printed: a name the system decoded from bytes
    that are not UTF-8 (a command-line argument, a file name: Python gives
    each undecodable byte as a lone surrogate) with those bytes as ``\\xff``
    escapes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return os.fsencode(text).decode("utf-8", "backslashreplace")
        except UnicodeError:  # a surrogate no decoding made: escape it as is
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _undecodable(text: str) -> str | None:
    """Why ``text``, an argument, is not text: None when it is UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "not UTF-8 text"
    return None


def _run_names(argv: list[str]) -> int:
    args = _names_parser().parse_args(argv)
    if not args.text and not sys.stdin.isatty():
        # "geonorm < names.txt": the names on standard input, as resolve does.
        return _run_resolve(["-", *_passed_options(args)])
    registry = _registry(args)
    texts = args.text or _EXAMPLES
    hints = {"country": args.country} if args.country else {}
    status = 0
    for text in texts:
        problem = _undecodable(text)
        try:
            if problem is not None:
                raise ValueError(problem)
            row = _row(registry, text, args, hints)
        except (TypeError, ValueError) as exc:
            print(f"{_shown(text)}\terror: {exc}", file=sys.stderr)
            status = 2
            continue
        if row["status"] == "match":
            print(f"{text}\t{row['kind']}\t{row['id']}\t{row['name']}")
        elif row["status"] == "ambiguous":
            print(f"{text}\tambiguous\t{row['candidates'].replace(' ', ', ')}")
        else:
            print(f"{text}\tnone")
    return status


def _run_compile_table(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="geonorm compile-table",
        description="Validate table files as --load would and write them to one compiled table, "
        "which --compiled (or Registry.load_compiled) loads in seconds.",
    )
    parser.add_argument("out", help="the compiled table to write")
    parser.add_argument("sources", nargs="+", metavar="FILE", help="table files (TOML)")
    args = parser.parse_args(argv)
    try:
        counts = compile_table(args.sources, args.out)
    except OSError as exc:
        raise InputError(f"cannot write {_shown(args.out)}: {exc.strerror or exc}") from exc
    except TableError as exc:
        raise InputError(_shown(str(exc))) from exc
    done = ", ".join(f"{n:,} {kind}" for kind, n in counts.items()) or "no new entities"
    print(f"geonorm: wrote {_shown(args.out)}: {done}", file=sys.stderr)
    return 0


def _passed_options(args: argparse.Namespace) -> list[str]:
    out = [f"--kind={args.kind}"] if args.kind else []
    out += ["--fuzzy"] * args.fuzzy + ["--metonyms"] * args.metonyms
    out += [f"--country={args.country}"] if args.country else []
    out += [f"--load={path}" for path in args.load] + [f"--compiled={path}" for path in args.compiled]
    out += ["--packs"] * args.packs
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the command line on ``argv`` (``sys.argv[1:]`` when None) and
    return the exit status: 0, or 2 for input or arguments that cannot be
    used. A reader that closes standard output early (``| head``) ends the
    run quietly, with status 0."""
    argv = sys.argv[1:] if argv is None else argv
    _printable_output()
    try:
        try:
            return _dispatch(argv)
        finally:
            # Output still buffered meets a closed pipe here, where it is
            # caught, not in the interpreter's last flush, which would print
            # "Exception ignored ... BrokenPipeError" and exit with 120.
            sys.stdout.flush()
    except BrokenPipeError:
        _discard_output()
        return 0


def _dispatch(argv: list[str]) -> int:
    commands = {
        "resolve": _run_resolve,
        "extract": _run_extract,
        "serve": _run_serve,
        "compile-table": _run_compile_table,
    }
    try:
        if argv and argv[0] in commands:
            return commands[argv[0]](argv[1:])
        return _run_names(argv)
    except InputError as exc:
        # What was read before the bad line goes out first; if the reader
        # has gone, the message still goes to standard error.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _discard_output()
        print(f"geonorm: {exc}", file=sys.stderr)
        return 2
    except (TypeError, ValueError) as exc:
        print(f"geonorm: {exc}", file=sys.stderr)
        return 2


def _printable_output() -> None:
    """Make standard output escape what its encoding cannot write (a name in
    Cyrillic on an ASCII or Latin-1 terminal) rather than raise."""
    out = sys.stdout
    if isinstance(out, io.TextIOWrapper) and out.errors == "strict":
        out.reconfigure(errors="backslashreplace")


def _discard_output() -> None:
    """The reader closed the pipe: send the rest of standard output, and the
    interpreter's final flush, to devnull (what the Python documentation
    recommends on SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # standard output is not a file (a test's capture)
        pass
