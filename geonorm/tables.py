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
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from .model import KINDS

__all__ = ["ORGANISATION_TYPES", "WEAPON_CATEGORIES", "Record", "TableError", "TableFile", "read_table", "read_tables"]

#: The largest table file geonorm will read (bytes).
MAX_FILE_BYTES = 20 * 1024 * 1024

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
    "current": _BOOL,
}
_LIST_TABLES = {
    "not_country": "country",
    "not_currency": "currency",
    "not_organisation": "organisation",
    "not_person": "person",
    "not_weapon": "weapon",
}
_ID_RE = {
    "country": re.compile(r"^country:[A-Z]{2}(?:[A-Z]{2})?$"),
    "currency": re.compile(r"^currency:[A-Z]{3}$"),
}
_SLUG_RE = re.compile(r"^(organisation|person|weapon):[a-z0-9]+(?:-[a-z0-9]+)*$")
_MAX_NAME = 300


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
        return f"{self.path}: [[{self.kind}]] #{self.position} ({self.id})"

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
        if "start" in clean and "end" in clean and clean["end"] < clean["start"]:
            raise TableError(f"{rwhere}: ends before it starts")
        if clean.get("current") and ("start" in clean or "end" in clean):
            raise TableError(
                f"{rwhere}: 'current = true' marks a role whose start is unknown and that was held on the "
                "table's as_of date; it takes neither 'start' nor 'end'"
            )
        roles.append(clean)
    return roles


#: Fields a record may hold when it only adds names to an existing entity.
ADDITION_FIELDS = frozenset(
    {"id", "note", "aliases", "weak_aliases", "demonyms", "weak_demonyms", "capitals", "weak_capitals"}
)
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?$")


def _parse_record(kind: str, raw: Any, path: str, position: int, language: str | None = None) -> Record:
    where = f"{path}: [[{kind}]] #{position}"
    if not isinstance(raw, dict):
        raise TableError(f"{where}: must be a table")
    if "id" in raw and isinstance(raw["id"], str):
        where = f"{where} ({raw['id']})"
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
        if not pattern.match(ident):
            raise TableError(f"{where}: id must look like {kind}:<ISO code>, not {ident!r}")
    elif not _SLUG_RE.match(ident) or not ident.startswith(kind + ":"):
        raise TableError(f"{where}: id must be {kind}:<lowercase-ascii-slug>, not {ident!r}")
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
    if language is not None and (not isinstance(language, str) or not _LANGUAGE_RE.match(language)):
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
        if not _ID_RE["country"].match(ident):
            raise TableError(f"{where}: id must be a country id such as country:CN, not {ident!r}")
        out.append({"text": text, "id": ident, "examples": _check_strs(entry.get("examples", []), where, "examples")})
    return out


def read_table(path: str | os.PathLike[str]) -> TableFile:
    """Read and validate one TOML table file.

    Raises :class:`TableError` naming the file and entry for anything wrong.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise TableError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    if size > MAX_FILE_BYTES:
        raise TableError(f"{p}: file is {size} bytes, larger than the {MAX_FILE_BYTES} bytes geonorm reads")
    try:
        with p.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise TableError(f"{p}: not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise TableError(f"{p}: not UTF-8: {exc}") from exc
    return parse_table(data, str(p))


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
