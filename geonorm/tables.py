"""Reading and validating the human-edited TOML tables.

The same code reads the tables that ship with geonorm (at compile time) and the
files users load at run time, so both obey one format, described in
CONTRIBUTING.md and the docs. Every problem is reported as a
:class:`TableError` that names the file, the entry and what is wrong.
Reading never executes anything from the data.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .model import KINDS
from .text import brief

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_KEY_DOTS",
    "MAX_NESTING",
    "ORGANISATION_TYPES",
    "WEAPON_CATEGORIES",
    "Record",
    "TableError",
    "TableFile",
    "read_table",
    "read_tables",
]

#: The largest table file geonorm will read (bytes; for a table given as a
#: string, characters).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: The deepest nesting of arrays and inline tables (``[`` and ``{`` open at
#: once, a ``[[kind]]`` header counting two) a table may use. The shipped
#: tables need three.
MAX_NESTING = 32
#: The most dots one key may hold (``a.b.c = 1`` and ``[a.b.c]`` hold two).
#: The shipped tables use none.
MAX_KEY_DOTS = 16

ORGANISATION_TYPES = frozenset(
    {
        "company",
        "state_corporation",
        "international_organisation",
        "government_body",
        "ministry",
        "central_bank",
        "armed_forces",
        "intelligence_agency",
        "think_tank",
        "university",
        "news_agency",
        "news_media",
        "armed_group",
        "private_military_company",
    }
)
WEAPON_CATEGORIES = frozenset(
    {
        "air_defence_system",
        "fighter_aircraft",
        "bomber",
        "attack_aircraft",
        "transport_aircraft",
        "helicopter",
        "trainer_aircraft",
        "awacs",
        "drone",
        "loitering_munition",
        "ballistic_missile",
        "cruise_missile",
        "hypersonic_missile",
        "anti_ship_missile",
        "air_to_air_missile",
        "air_to_surface_missile",
        "surface_to_air_missile",
        "anti_tank_missile",
        "manpads",
        "rocket_artillery",
        "artillery",
        "tank",
        "infantry_fighting_vehicle",
        "armoured_vehicle",
        "ship",
        "submarine",
        "aircraft_carrier",
        "radar",
        "small_arm",
        "other",
    }
)

_STR = "string"
_STRS = "list of strings"
_DATE = "date"
_BOOL = "true"
_ROLES = "list of roles"

_COMMON: dict[str, str] = {"id": _STR, "name": _STR, "aliases": _STRS, "weak_aliases": _STRS, "note": _STR}
_FIELDS: dict[str, dict[str, str]] = {
    "country": {
        **_COMMON,
        "demonyms": _STRS,
        "weak_demonyms": _STRS,
        "capitals": _STRS,
        "weak_capitals": _STRS,
        "successors": _STRS,
    },
    "currency": {**_COMMON, "countries": _STRS},
    "organisation": {
        **_COMMON,
        "type": _STR,
        "country": _STR,
        "parent": _STR,
        "former_names": _STRS,
        "country_aliases": _STRS,
    },
    "person": {**_COMMON, "full_name": _STR, "country": _STR, "roles": _ROLES},
    "weapon": {
        **_COMMON,
        "category": _STR,
        "origin": _STR,
        "manufacturer": _STR,
        "family": _STR,
        "designations": _STRS,
        "reporting_names": _STRS,
    },
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "country": ("id",),
    "currency": ("id",),
    "organisation": ("id", "name", "type"),
    "person": ("id", "name"),
    "weapon": ("id", "name", "category"),
}
_ROLE_FIELDS = {
    "office": _STR,
    "title": _STR,
    "country": _STR,
    "organisation": _STR,
    "start": _DATE,
    "end": _DATE,
    "held_on": _DATE,
    "confirmed_on": _DATE,
    "current": _BOOL,
}
_LIST_TABLES = {
    "not_country": "country",
    "not_currency": "currency",
    "not_organisation": "organisation",
    "not_person": "person",
    "not_weapon": "weapon",
}
# Every pattern that validates an input is used with fullmatch: "$" would
# also match before a final newline.
_ID_RE = {
    "country": re.compile(r"country:[A-Z]{2}(?:[A-Z]{2})?"),
    "currency": re.compile(r"currency:[A-Z]{3}"),
}
_SLUG_RE = re.compile(r"(organisation|person|weapon):[a-z0-9]+(?:-[a-z0-9]+)*")
_COUNTRY_CODE_RE = re.compile(r"[A-Z]{2}(?:[A-Z]{2})?")
_MAX_NAME = 300
# Control characters (C0, DEL, C1); a note may hold line breaks and tabs.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NOTE_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: The kind of entity each reference field names (by its id).
_ID_REFERENCES: dict[str, str] = {"parent": "organisation", "manufacturer": "organisation", "family": "weapon"}
#: Reference fields written as a country code (``country = "IN"``).
_CODE_REFERENCES = ("country", "origin")
#: The fields through which an entity of a kind points to another of its kind.
LINK_FIELDS: dict[str, str] = {"organisation": "parent", "weapon": "family"}
#: The most links a chain of ``parent`` or ``family`` links may have above
#: an entity: real hierarchies are a few links deep, and a chain thousands
#: deep would make copying or pickling an entity (a registry sent to Spark
#: workers) recurse past Python's limit.
MAX_LINK_DEPTH = 100


class TableError(ValueError):
    """A table file is malformed; the message names the file, entry and problem."""


@attrs.frozen
class Record:
    """One validated entity entry of a table file."""

    kind: str
    id: str
    fields: Mapping[str, Any]
    path: str
    position: int
    #: Whether the record only adds names to an entity defined elsewhere (it
    #: has an id and name fields only: no ``name``, no other facts).
    addition: bool = False
    #: The language of the file's names (``language = "ru"``), if it says.
    language: str | None = None

    def where(self) -> str:
        return f"{self.path}: [[{self.kind}]] #{self.position} ({self.id if len(self.id) <= 100 else brief(self.id)})"

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.fields.get(name, ())
        return tuple(value)


@attrs.frozen
class TableFile:
    """Everything one file declared."""

    path: str
    as_of: dt.date | None
    records: tuple[Record, ...]
    language: str | None
    not_names: Mapping[str, tuple[str, ...]]
    extra: Mapping[str, Any]


def _check_str(value: Any, where: str, field: str) -> str:
    if not isinstance(value, str):
        raise TableError(f"{where}: field {field!r} must be a string, not {type(value).__name__}")
    if not value.strip():
        raise TableError(f"{where}: field {field!r} is empty")
    if len(value) > _MAX_NAME:
        raise TableError(f"{where}: field {field!r} is longer than {_MAX_NAME} characters")
    bad = (_NOTE_CONTROL_RE if field == "note" else _CONTROL_RE).search(value)
    if bad is not None:
        raise TableError(f"{where}: field {field!r} holds the control character {bad.group()!r}: {value!r}")
    return value


def _check_code(value: str, where: str, field: str) -> str:
    """A country code field (``country = "IN"``)."""
    if not _COUNTRY_CODE_RE.fullmatch(value):
        raise TableError(f'{where}: field {field!r} must be a country code such as "IN", not {value!r}')
    return value


def _check_id_of(value: str, kind: str, where: str, field: str) -> str:
    """A field that names an entity of ``kind`` by its id."""
    pattern = _ID_RE.get(kind)
    ok = pattern.fullmatch(value) if pattern is not None else _SLUG_RE.fullmatch(value)
    if not ok or not value.startswith(kind + ":"):
        article = "an" if kind[0] in "aeiou" else "a"
        raise TableError(f"{where}: field {field!r} must be {article} {kind} id ({kind}:...), not {value!r}")
    return value


def _check_strs(value: Any, where: str, field: str) -> list[str]:
    if not isinstance(value, list):
        raise TableError(f"{where}: field {field!r} must be a list of strings, not {type(value).__name__}")
    return [_check_str(v, where, field) for v in value]


def _check_date(value: Any, where: str, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise TableError(f"{where}: field {field!r} must be a date (YYYY-MM-DD), not a date-time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise TableError(f"{where}: field {field!r} must be a date written YYYY-MM-DD, not {value!r}")


def _check_roles(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise TableError(f"{where}: field 'roles' must be a list of tables")
    roles = []
    for i, role in enumerate(value, 1):
        rwhere = f"{where} role #{i}"
        if not isinstance(role, dict):
            raise TableError(f"{rwhere}: must be a table such as {{office = ..., title = ...}}")
        unknown = sorted(set(role) - set(_ROLE_FIELDS))
        if unknown:
            raise TableError(f"{rwhere}: unknown field(s) {', '.join(unknown)}")
        for req in ("office", "title"):
            if req not in role:
                raise TableError(f"{rwhere}: missing required field {req!r}")
        clean: dict[str, Any] = {}
        for name, value_ in role.items():
            if _ROLE_FIELDS[name] == _DATE:
                clean[name] = _check_date(value_, rwhere, name)
            elif _ROLE_FIELDS[name] == _BOOL:
                if value_ is not True:
                    raise TableError(f"{rwhere}: field {name!r} is written only as {name} = true")
                clean[name] = True
            else:
                clean[name] = _check_str(value_, rwhere, name)
        if "country" in clean:
            _check_code(clean["country"], rwhere, "country")
        if "organisation" in clean:
            _check_id_of(clean["organisation"], "organisation", rwhere, "organisation")
        if "start" in clean and "end" in clean and clean["end"] < clean["start"]:
            raise TableError(f"{rwhere}: ends before it starts")
        if clean.get("current") and ("start" in clean or "end" in clean or "held_on" in clean):
            raise TableError(
                f"{rwhere}: 'current = true' marks a role whose start is unknown and that was held on the "
                "table's as_of date; it takes neither 'start', 'end' nor 'held_on'"
            )
        if "held_on" in clean:
            if "start" in clean:
                raise TableError(
                    f"{rwhere}: 'held_on' marks a role whose start is unknown (it was held on that day); "
                    "a role with a 'start' does not take it"
                )
            if "end" in clean and clean["end"] < clean["held_on"]:
                raise TableError(f"{rwhere}: ends before the day it was held on")
            # Counted from that day, as a current role is from the as_of date.
            clean["held_from"] = clean.pop("held_on")
        seen = clean.get("confirmed_on")
        if seen is not None:
            if "start" in clean and seen < clean["start"]:
                raise TableError(f"{rwhere}: confirmed_on {seen} is before the role's start {clean['start']}")
            if "held_from" in clean and seen < clean["held_from"]:
                raise TableError(f"{rwhere}: confirmed_on {seen} is before held_on {clean['held_from']}")
            if "end" in clean and seen > clean["end"]:
                raise TableError(f"{rwhere}: confirmed_on {seen} is after the role's end {clean['end']}")
        roles.append(clean)
    return roles


#: Fields a record may hold when it only adds names to an existing entity.
ADDITION_FIELDS = frozenset(
    {"id", "note", "aliases", "weak_aliases", "demonyms", "weak_demonyms", "capitals", "weak_capitals"}
)
_LANGUAGE_RE = re.compile(r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?")


def _parse_record(kind: str, raw: Any, path: str, position: int, language: str | None = None) -> Record:
    where = f"{path}: [[{kind}]] #{position}"
    if not isinstance(raw, dict):
        raise TableError(f"{where}: must be a table")
    if "id" in raw and isinstance(raw["id"], str):
        shown = raw["id"] if raw["id"].isprintable() and len(raw["id"]) <= 100 else brief(raw["id"])
        where = f"{where} ({shown})"
    fields = _FIELDS[kind]
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise TableError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(fields))}")
    addition = kind not in ("country", "currency") and "name" not in raw and set(raw) <= ADDITION_FIELDS
    if language is not None and kind not in ("country", "currency") and not addition:
        raise TableError(
            f"{where}: a language file only adds names to entities defined elsewhere: give the id and "
            f"{', '.join(sorted(ADDITION_FIELDS - {'id'}))}"
        )
    for req in ("id",) if addition else _REQUIRED[kind]:
        if req not in raw:
            raise TableError(f"{where}: missing required field {req!r}")
    clean: dict[str, Any] = {}
    for name, value in raw.items():
        spec = fields[name]
        if spec == _STR:
            clean[name] = _check_str(value, where, name)
        elif spec == _STRS:
            clean[name] = tuple(_check_strs(value, where, name))
        else:
            clean[name] = tuple(_check_roles(value, where))
    ident = clean["id"]
    pattern = _ID_RE.get(kind)
    if pattern is not None:
        if not pattern.fullmatch(ident):
            raise TableError(f"{where}: id must look like {kind}:<ISO code>, not {ident!r}")
    elif not _SLUG_RE.fullmatch(ident) or not ident.startswith(kind + ":"):
        raise TableError(f"{where}: id must be {kind}:<lowercase-ascii-slug>, not {ident!r}")
    for name in _CODE_REFERENCES:
        if name in clean:
            _check_code(clean[name], where, name)
    for name, target in _ID_REFERENCES.items():
        if name in clean:
            _check_id_of(clean[name], target, where, name)
    for code in clean.get("countries", ()):
        _check_code(code, where, "countries")
    for successor in clean.get("successors", ()):
        _check_id_of(successor, "country", where, "successors")
    if kind == "organisation" and not addition and clean["type"] not in ORGANISATION_TYPES:
        raise TableError(f"{where}: unknown type {clean['type']!r}; one of {', '.join(sorted(ORGANISATION_TYPES))}")
    if kind == "weapon" and not addition and clean["category"] not in WEAPON_CATEGORIES:
        raise TableError(
            f"{where}: unknown category {clean['category']!r}; one of {', '.join(sorted(WEAPON_CATEGORIES))}"
        )
    return Record(kind=kind, id=ident, fields=clean, path=path, position=position, addition=addition, language=language)


def parse_table(data: Mapping[str, Any], path: str) -> TableFile:
    """Validate already-parsed TOML ``data`` read from ``path``."""
    records: list[Record] = []
    not_names: dict[str, tuple[str, ...]] = {}
    extra: dict[str, Any] = {}
    as_of: dt.date | None = None
    language = data.get("language")
    if language is not None and (not isinstance(language, str) or not _LANGUAGE_RE.fullmatch(language)):
        raise TableError(f'{path}: \'language\' must be a language code such as "ru" or "zh-Hant", not {language!r}')
    for top, value in data.items():
        if top == "as_of":
            as_of = _check_date(value, path, "as_of")
        elif top == "language":
            continue
        elif top in KINDS:
            if not isinstance(value, list):
                raise TableError(f"{path}: {top!r} must be an array of tables, written [[{top}]]")
            records.extend(_parse_record(top, raw, path, i, language) for i, raw in enumerate(value, 1))
        elif top in _LIST_TABLES:
            if not isinstance(value, list):
                raise TableError(f"{path}: {top!r} must be an array of tables, written [[{top}]]")
            names: list[str] = []
            for i, entry in enumerate(value, 1):
                where = f"{path}: [[{top}]] #{i}"
                if not isinstance(entry, dict) or set(entry) - {"names", "reason"} or "names" not in entry:
                    raise TableError(f"{where}: must be a table with 'names' (and 'reason')")
                names.extend(_check_strs(entry["names"], where, "names"))
            kind = _LIST_TABLES[top]
            not_names[kind] = not_names.get(kind, ()) + tuple(names)
        elif top in ("forms", "office", "shared_seat", "honorifics", "institutions"):
            extra[top] = value
        elif top == "single_characters" and language is not None:
            extra[top] = _check_single_characters(value, path)
        else:
            raise TableError(
                f"{path}: unknown top-level key {top!r}; expected as_of, [[country]], [[currency]], "
                "[[organisation]], [[person]], [[weapon]] or a [[not_<kind>]] list"
            )
    for rec in records:
        for i, role in enumerate(rec.fields.get("roles", ()), 1):
            if role.get("current"):
                if as_of is None:
                    raise TableError(f"{rec.where()} role #{i}: 'current = true' needs the file's as_of date")
                role["held_from"] = as_of
                if "confirmed_on" in role and role["confirmed_on"] < as_of:
                    raise TableError(
                        f"{rec.where()} role #{i}: confirmed_on {role['confirmed_on']} is before the file's as_of "
                        f"date {as_of}, on which a current role is held"
                    )
    return TableFile(
        path=path, as_of=as_of, records=tuple(records), language=language, not_names=not_names, extra=extra
    )


def _check_single_characters(value: Any, path: str) -> list[dict[str, Any]]:
    """One-character abbreviations of country names in Chinese and Japanese
    compounds (中美, 日米): ``[{text, id, examples}]``."""
    if not isinstance(value, list):
        raise TableError(f"{path}: 'single_characters' must be a list of {{text, id, examples}} tables")
    out = []
    for i, entry in enumerate(value, 1):
        where = f"{path}: single_characters #{i}"
        if not isinstance(entry, dict) or not {"text", "id"} <= set(entry) <= {"text", "id", "examples"}:
            raise TableError(f"{where}: needs 'text' and 'id' (and 'examples')")
        text = _check_str(entry["text"], where, "text")
        if len(text) != 1:
            raise TableError(f"{where}: 'text' must be one character, not {text!r}")
        ident = _check_str(entry["id"], where, "id")
        if not _ID_RE["country"].fullmatch(ident):
            raise TableError(f"{where}: id must be a country id such as country:CN, not {ident!r}")
        out.append({"text": text, "id": ident, "examples": _check_strs(entry.get("examples", []), where, "examples")})
    return out


# One token of a TOML text for the pre-scan: a string (multi-line ones first;
# an unterminated one runs to the end of its line, or of the text), a comment,
# a run of brackets, a run of dots, or a run of anything else. Each
# alternative is decided by its first characters, so matching is linear.
_SCAN_RE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*(?:"""(?:""?)?|\Z)'
    r"|'''(?:[^']|'(?!''))*(?:'''(?:''?)?|\Z)"
    r'|"(?:[^"\\\n]|\\[^\n])*"?'
    r"|'[^'\n]*'?"
    r"|#[^\n]*"
    r"|[\[{]+|[\]}]+|\.+"
    r"|[^\"'#\[\]{}.]+",
    re.S,
)


def _prescan(text: str, path: str) -> None:
    """Refuse, before parsing, a text nested deeper than :data:`MAX_NESTING`
    or with a key of more than :data:`MAX_KEY_DOTS` dots: the TOML parser
    recurses once per level and slows down with the square of a key's length."""
    depth = 0
    dots = 0
    for m in _SCAN_RE.finditer(text):
        token = m.group()
        first = token[0]
        if first in "[{":
            depth += len(token)
            dots = 0
            if depth > MAX_NESTING:
                line = text.count("\n", 0, m.start()) + 1
                raise TableError(f"{path}: line {line}: nested more than {MAX_NESTING} levels deep")
        elif first in "]}":
            depth = max(0, depth - len(token))
            dots = 0
        elif first == ".":
            dots += len(token)
            if dots > MAX_KEY_DOTS:
                line = text.count("\n", 0, m.start()) + 1
                raise TableError(f"{path}: line {line}: a key with more than {MAX_KEY_DOTS} dots")
        elif first not in "\"'#" and ("=" in token or "," in token or "\n" in token):
            dots = 0  # a key ends at "=", a value at "," or the end of the line


def parse_toml(text: str, path: str) -> dict[str, Any]:
    """Parse the TOML ``text`` of a table, after checking its size, nesting
    and key depth; every problem is a :class:`TableError` naming ``path``."""
    if len(text) > MAX_FILE_BYTES:
        raise TableError(f"{path}: text is {len(text)} characters, longer than the {MAX_FILE_BYTES} geonorm reads")
    _prescan(text, path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TableError(f"{path}: not valid TOML: {exc}") from exc
    except RecursionError as exc:  # the pre-scan should make this unreachable
        raise TableError(f"{path}: nested too deeply") from exc


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the check does not block the open
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _file_type(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _read_bytes(path: str | os.PathLike[str], shown: str) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_FILE_BYTES`."""
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise TableError(f"{shown}: cannot read: {_file_type(mode)}, not a regular file")
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise TableError(f"{shown}: cannot read: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as fh:
        # Check again what was opened: the path may have changed since.
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise TableError(f"{shown}: cannot read: {_file_type(st.st_mode)}, not a regular file")
        if st.st_size > MAX_FILE_BYTES:
            raise TableError(
                f"{shown}: file is {st.st_size} bytes, larger than the {MAX_FILE_BYTES} bytes geonorm reads"
            )
        try:
            data = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise TableError(f"{shown}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise TableError(f"{shown}: file is larger than the {MAX_FILE_BYTES} bytes geonorm reads")
    return data


def read_table(path: str | os.PathLike[str], *, source: str | None = None) -> TableFile:
    """Read and validate one TOML table file.

    Only a regular file of at most :data:`MAX_FILE_BYTES` is read. Raises
    :class:`TableError` naming the file (or ``source``, when given) and the
    entry for anything wrong.
    """
    shown = str(Path(path)) if source is None else source
    data = _read_bytes(path, shown)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TableError(f"{shown}: not UTF-8: {exc}") from exc
    return parse_table(parse_toml(text, shown), shown)


def read_tables(paths: Iterable[str | os.PathLike[str]]) -> list[TableFile]:
    """Read several files; duplicate ids across them are an error.

    Countries and currencies are the exception: their entities come from the
    standards and a record only adds to one, so several records may name it.
    """
    files = [read_table(p) for p in paths]
    seen: dict[str, str] = {}
    for tf in files:
        for rec in tf.records:
            if rec.kind in ("country", "currency") or rec.addition:
                continue
            if rec.id in seen:
                raise TableError(f"{rec.where()}: duplicate id, first defined in {seen[rec.id]}")
            seen[rec.id] = rec.where()
    return files


def check_links(records: Sequence[Record], depth_of: Callable[[str], int] | None = None) -> None:
    """Raise :class:`TableError` when the ``parent`` or ``family`` links among
    ``records`` (new entities, each id once) form a cycle, the message naming
    every entry on it, or a chain of more than :data:`MAX_LINK_DEPTH` links
    (``depth_of`` gives the links above an entity outside ``records``).

    >>> def org(i): return Record("organisation", f"o:{i}", {"parent": f"o:{i + 1}"}, "t.toml", i)
    >>> check_links([org(i) for i in range(100)])  # o:99's parent is outside
    >>> check_links([org(i) for i in range(150)])
    Traceback (most recent call last):
    ...
    geonorm.tables.TableError: t.toml: [[organisation]] #0 (o:0): its parent links are 150 deep (at most 100)
    """
    by_id = {r.id: r for r in records if r.kind in LINK_FIELDS and not r.addition}
    above: dict[str, int] = {}  # links above each entity measured
    for start, first in by_id.items():
        chain: list[str] = []
        on_chain: set[str] = set()
        eid: str | None = start
        while eid is not None and eid in by_id and eid not in above:
            if eid in on_chain:
                cycle = chain[chain.index(eid) :]
                field = LINK_FIELDS[by_id[eid].kind]
                raise TableError(
                    f"{by_id[eid].path}: {field} links form a cycle: {' -> '.join([*cycle, eid])} "
                    f"(entries {'; '.join(by_id[c].where() for c in cycle)})"
                )
            chain.append(eid)
            on_chain.add(eid)
            rec = by_id[eid]
            eid = rec.fields.get(LINK_FIELDS[rec.kind])
        # Where the walk stopped: the top, an entity measured, or one outside.
        depth = 0 if eid is None else 1 + (above[eid] if eid in above else depth_of(eid) if depth_of else 0)
        for ident in reversed(chain):
            above[ident] = depth
            depth += 1
        if above[start] > MAX_LINK_DEPTH:
            raise TableError(
                f"{first.where()}: its {LINK_FIELDS[first.kind]} links are {above[start]} deep "
                f"(at most {MAX_LINK_DEPTH})"
            )


#: How each field's names are typed in the index (see :mod:`geonorm.index`).
NAME_FIELDS: dict[str, str] = {
    "name": "strong",
    "aliases": "strong",
    "former_names": "strong",
    "full_name": "strong",
    "designations": "strong",
    "weak_aliases": "weak",
    "reporting_names": "weak",
    "country_aliases": "country_alias",
    "demonyms": "demonym",
    "weak_demonyms": "weak_demonym",
    "capitals": "metonym",
    "weak_capitals": "weak_metonym",
}
_COPIED = {
    "organisation": ("type",),
    "person": ("full_name",),
    "weapon": ("category", "designations", "reporting_names"),
}


def record_names(rec: Record) -> list[tuple[str, str]]:
    """``(text, name type)`` for every name a record gives its entity."""
    out: list[tuple[str, str]] = []
    for field, type_ in NAME_FIELDS.items():
        value = rec.fields.get(field)
        if value is None:
            continue
        for text in (value,) if isinstance(value, str) else value:
            out.append((text, type_))
    return out


def raw_entity(rec: Record) -> dict[str, Any]:
    """The index form of a curated-only record (organisation, person, weapon);
    references stay ids."""
    f = rec.fields
    ent: dict[str, Any] = {"id": rec.id, "name": f["name"]}
    for field in _COPIED.get(rec.kind, ()):
        if field in f:
            ent[field] = list(f[field]) if isinstance(f[field], tuple) else f[field]
    for field in ("country", "origin"):
        if field in f:
            ent[field] = f"country:{f[field]}"
    for field in ("parent", "manufacturer", "family"):
        if field in f:
            ent[field] = f[field]
    if rec.kind == "person":
        roles = []
        for role in f.get("roles", ()):
            out = {"office": role["office"], "title": role["title"]}
            if "country" in role:
                out["country"] = f"country:{role['country']}"
            if "organisation" in role:
                out["organisation"] = role["organisation"]
            for d in ("start", "end", "held_from"):
                if d in role:
                    out[d] = role[d].isoformat()
            roles.append(out)
        ent["roles"] = roles
    return ent


def references(rec: Record) -> list[tuple[str, str]]:
    """``(what, entity id)`` for every entity a record refers to."""
    f = rec.fields
    out = [(field, f"country:{f[field]}") for field in ("country", "origin") if field in f]
    out += [(field, f[field]) for field in ("parent", "manufacturer", "family") if field in f]
    if rec.kind == "currency":
        out += [("countries", f"country:{c}") for c in f.get("countries", ())]
    for i, role in enumerate(f.get("roles", ()), 1):
        if "country" in role:
            out.append((f"role #{i} country", f"country:{role['country']}"))
        if "organisation" in role:
            out.append((f"role #{i} organisation", role["organisation"]))
    return out
