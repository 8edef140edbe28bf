"""Validate the tables and build the index of every kind.

``build()`` returns, per kind, the exact text of the JSON index file; the
output depends only on the tables and on the pinned pycountry and babel data,
so it is deterministic and can be checked for freshness.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .. import index as ix
from ..tables import Record, TableError, TableFile, check_links, raw_entity, read_tables, record_names, references
from ..text import fold, invert_comma, invert_parenthesis, key, key_variants
from . import sources
from .assemble import Name, assemble
from .checks import (
    SEATS,
    SHARED_FILE,
    check_canonical_names,
    check_cases,
    check_offices,
    check_seats,
    check_shadowing,
    read_shared,
    seat_of,
)
from .inflect import INFLECTED_LANGUAGES, cyrillic_language, forms, traditional

__all__ = ["DATA_DIR", "INDEX_DIR", "build", "name_keys", "table_paths"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
INDEX_DIR = DATA_DIR / "index"


def name_keys(text: str) -> list[str]:
    """Every key a country or currency name is indexed under."""
    keys = key_variants(text)
    for variant in (invert_comma(text), invert_parenthesis(text)):
        if variant:
            keys.extend(key_variants(variant))
    return keys


def table_paths(kind_dir: str, data_dir: Path = DATA_DIR) -> list[Path]:
    return sorted((data_dir / kind_dir).glob("*.toml"))


def _curated_names(rec: Record) -> list[Name]:
    """The names a record gives, with their case forms where its language
    inflects (Russian, Ukrainian: see :mod:`geonorm.compile.inflect`): the
    file's language, or for a name in Cyrillic, the language its letters say."""
    out: list[Name] = []
    for text, t in record_names(rec):
        variants = [text]
        language = rec.language if rec.language in INFLECTED_LANGUAGES else cyrillic_language(text)
        if language in INFLECTED_LANGUAGES:
            variants = forms(text, language, adjective=t in ("demonym", "weak_demonym"))
        hant = traditional(text, rec.language)
        if hant is not None:
            variants.append(hant)
        out.extend(Name(rec.id, v, _NAME_TYPES[t], True, rec.where()) for v in variants)
    return out


def _records(files: Iterable[TableFile], kind: str) -> list[Record]:
    return [r for tf in files for r in tf.records if r.kind == kind]


def _place(files: Iterable[TableFile], kind: str, places: dict[str, str]) -> None:
    """Note where each entity of ``kind`` is entered: its first record (the
    kind's own files come before the language files)."""
    for rec in _records(files, kind):
        places.setdefault(rec.id, rec.where())


def _not_names(files: Iterable[TableFile], kind: str) -> list[str]:
    return [n for tf in files for n in tf.not_names.get(kind, ())]


def _check_ref(rec: Record, field: str, value: str, known: Iterable[str] | dict[str, Any]) -> None:
    if value not in known:
        raise TableError(f"{rec.where()}: {field} {value!r} is not a known entity")


def _countries(
    files: list[TableFile], entities: dict[str, dict[str, Any]], names: list[Name], soft: set[str]
) -> tuple[dict[str, dict[str, Any]], list[Name], list[str], set[str]]:
    renamed: dict[str, str] = {}
    for rec in _records(files, "country"):
        if len(rec.id) == len("country:XXXX"):
            iso = sources.historic_country(rec.id.split(":")[1])
            if iso is None:
                raise TableError(f"{rec.where()}: {rec.id} is not an ISO 3166-3 former country code")
            if "name" not in rec.fields:
                raise TableError(f"{rec.where()}: a dissolved state needs a 'name'")
            entities[rec.id] = {
                "id": rec.id,
                "name": rec.fields["name"],
                "alpha2": iso["alpha2"],
                "alpha3": iso["alpha3"],
                "numeric": iso["numeric"],
                "official_name": iso["official_name"],
                "historic": True,
                "successors": list(rec.strings("successors")),
            }
            names.append(Name(rec.id, iso["alpha3"], ix.CODE, True, rec.where()))
            names.append(Name(rec.id, rec.id.split(":")[1], ix.CODE, True, rec.where()))
        else:
            if rec.id not in entities:
                raise TableError(f"{rec.where()}: {rec.id} is not an ISO 3166-1 country")
            if rec.strings("successors"):
                raise TableError(f"{rec.where()}: only dissolved states have successors")
            if "name" in rec.fields:
                if rec.id in renamed:
                    raise TableError(f"{rec.where()}: {rec.id} is already named in {renamed[rec.id]}")
                renamed[rec.id] = rec.where()
                entities[rec.id]["name"] = rec.fields["name"]
        names.extend(_curated_names(rec))
    for eid, ent in entities.items():
        for succ in ent.get("successors", ()):
            if succ not in entities:
                raise TableError(f"{eid}: successor {succ!r} is not a known country")
    return entities, names, _not_names(files, "country"), soft


def _currencies(
    files: list[TableFile], entities: dict[str, dict[str, Any]], names: list[Name], countries: dict[str, Any]
) -> tuple[dict[str, dict[str, Any]], list[Name], list[str], set[str]]:
    for rec in _records(files, "currency"):
        if rec.id not in entities:
            raise TableError(f"{rec.where()}: {rec.id} is not an ISO 4217 currency known to pycountry or CLDR")
        ent = entities[rec.id]
        if "name" in rec.fields:
            ent["name"] = rec.fields["name"]
        for country in rec.strings("countries"):
            cid = f"country:{country}"
            _check_ref(rec, "country", cid, countries)
            if cid not in ent["countries"]:
                ent["countries"].append(cid)
        names.extend(_curated_names(rec))
        for text in rec.strings("aliases") + rec.strings("weak_aliases"):
            folded = fold(text)
            if folded and not any(ch.isalnum() for ch in folded) and text not in ent["symbols"]:
                ent["symbols"].append(text)
    for ent in entities.values():
        ent["countries"].sort()
    return entities, names, _not_names(files, "currency"), set()


_NAME_TYPES = ix.NAME_TYPES


def _generic(kind: str, files: list[TableFile], known: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], list[Name]]:
    """Entities and names of a curated-only kind, with every reference checked.
    Records that only add names (language files) must name an entity of the kind."""
    entities: dict[str, dict[str, Any]] = {}
    names: list[Name] = []
    records = _records(files, kind)
    for rec in records:
        if rec.addition:
            continue
        for what, target in references(rec):
            _check_ref(rec, what, target, known)
            if target == rec.id:
                raise TableError(f"{rec.where()}: {what} refers to the entity itself")
        entities[rec.id] = raw_entity(rec)
    check_links(records)
    for rec in records:
        if rec.addition and rec.id not in entities:
            raise TableError(f"{rec.where()}: {rec.id} is not a known {kind}; a new {kind} needs its 'name'")
        names.extend(_curated_names(rec))
    return entities, names


def _person_extra(
    files: list[TableFile], country_keys: dict[str, list[Name]], org_keys: dict[str, list[Name]]
) -> dict[str, Any]:
    offices: dict[str, str] = {}
    seats: dict[str, str] = {}
    shared: list[list[str]] = []
    words: set[str] = set()
    for tf in files:
        for i, office in enumerate(tf.extra.get("office", ()), 1):
            where = f"{tf.path}: [[office]] #{i}"
            if not isinstance(office, dict) or not {"key", "phrases"} <= set(office) <= {"key", "phrases", "seat"}:
                raise TableError(f"{where}: needs 'key' and 'phrases' (and may have 'seat')")
            if "seat" in office:
                if office["seat"] not in SEATS:
                    raise TableError(f"{where}: seat must be one of {', '.join(SEATS)}, not {office['seat']!r}")
                seats[office["key"]] = office["seat"]
            for phrase in office["phrases"]:
                k = key(phrase)
                if k in offices and offices[k] != office["key"]:
                    raise TableError(f"{where}: phrase {phrase!r} already names office {offices[k]!r}")
                offices[k] = office["key"]
                words.update(k.split())
        for i, entry in enumerate(tf.extra.get("shared_seat", ()), 1):
            where = f"{tf.path}: [[shared_seat]] #{i}"
            if not isinstance(entry, dict) or set(entry) != {"office", "where", "reason"}:
                raise TableError(
                    f"{where}: needs exactly 'office', 'where' (a country code or organisation id) and 'reason'"
                )
            shared.append(
                [
                    entry["office"],
                    seat_of(
                        {"country": entry["where"]} if ":" not in entry["where"] else {"organisation": entry["where"]}
                    ),
                ]
            )
        for field in ("honorifics", "institutions"):
            for phrase in tf.extra.get(field, ()):
                words.update(key(phrase).split())
    for k, kept in country_keys.items():
        if len(k.split()) == 1 and any(n.type in (ix.STRONG, ix.DEMONYM, ix.CODE) for n in kept):
            words.add(k)
    for k, kept in org_keys.items():
        if len(k.split()) == 1 and len(k) <= 6 and any(n.type == ix.STRONG for n in kept):
            words.add(k)
    for office_key, _ in shared:
        if office_key not in seats:
            raise TableError(
                f"people/_offices.toml: [[shared_seat]] names {office_key!r}, which is not a single-seat office"
            )
    # The date all the people tables are known to (the earliest of theirs);
    # per office, the earliest date of the tables with its roles; and per
    # office in one country or organisation ("defence_minister country:UA"),
    # the later of the earliest date of the tables with its roles there and
    # the last day a role there is known held (a start, or confirmed_on).
    people = [tf for tf in files if tf.as_of is not None and "people" in Path(tf.path).parts]
    shared_seats = {(office_key, seat) for office_key, seat in shared}
    office_as_of: dict[str, str] = {}
    seat_files: dict[str, str] = {}
    seat_seen: dict[str, str] = {}

    def earliest(into: dict[str, str], name: str, day: str) -> None:
        if name not in into or day < into[name]:
            into[name] = day

    for tf in people:
        assert tf.as_of is not None
        day = tf.as_of.isoformat()
        for rec in tf.records:
            for role in rec.fields.get("roles", ()):
                office = role["office"]
                earliest(office_as_of, office, day)
                places = [
                    place
                    for place in (f"country:{role['country']}" if "country" in role else None, role.get("organisation"))
                    if place is not None
                ]
                # Only a single seat is known by its one holder's start or
                # confirmed_on; where several people hold an office together,
                # one holder's report says nothing of the others.
                single = office in seats and not any((office, place) in shared_seats for place in places)
                seen = [d.isoformat() for d in (role.get("start"), role.get("confirmed_on")) if d is not None]
                for place in places:
                    seat = f"{office} {place}"
                    earliest(seat_files, seat, day)
                    if single and seen:
                        seat_seen[seat] = max(seat_seen.get(seat, ""), *seen)
    seat_as_of = {seat: max(day, seat_seen.get(seat, "")) for seat, day in seat_files.items()}
    return {
        "as_of": [min(tf.as_of for tf in people if tf.as_of).isoformat()] if people else [],
        "office_as_of": dict(sorted(office_as_of.items())),
        "seat_as_of": dict(sorted(seat_as_of.items())),
        "offices": dict(sorted(offices.items())),
        "prefix_words": sorted(words),
        "seats": dict(sorted(seats.items())),
        "shared_seats": sorted(shared),
    }


def _line(value: Any) -> str:
    """One line of the index: compact, key-sorted JSON."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _emit(
    kind: str,
    entities: dict[str, dict[str, Any]],
    names: list[Name],
    keys_for: Callable[[str], Iterable[str]],
    not_names: list[str],
    soft_not: set[str],
    versions: dict[str, str],
    extra: dict[str, Any] | None = None,
) -> tuple[str, list[str], dict[str, list[Name]]]:
    def priority(eid: str) -> int:
        return 0 if entities[eid].get("historic") else 1

    kept, ties = assemble(names, keys_for, not_names=not_names, soft_not_names=soft_not, priority=priority, kind=kind)
    not_keys = sorted({k for n in list(not_names) + sorted(soft_not) for k in keys_for(n)} - {""} - set(kept))
    order = sorted(entities)
    aliases: dict[str, dict[str, None]] = defaultdict(dict)
    for eid in order:
        aliases[eid][entities[eid]["name"]] = None
    for n in sorted(names, key=lambda n: (n.entity, n.type, n.text)):
        if n.curated and n.entity in aliases:
            aliases[n.entity][n.text] = None
    for k in sorted(kept):
        for n in kept[k]:
            aliases[n.entity][n.text] = None
    # A key keeps one spelling per entity ("Russia" for "russia"); the major
    # news languages' own spellings of it ("Rússia", "Perù") are kept as
    # aliases too, so that running text written with their accents is read.
    for n in sorted(names, key=lambda n: (n.entity, n.text)):
        if n.type == ix.NEWS_LOCALE and n.entity in aliases and n.text not in aliases[n.entity]:
            held = kept.get(next(iter(keys_for(n.text)), ""), ())
            if any(h.entity == n.entity for h in held):
                aliases[n.entity][n.text] = None
    head: dict[str, Any] = {"format": ix.FORMAT, "kind": kind, "sources": versions}
    lines = [_line(head)]
    for field, value in sorted((extra or {}).items()):
        items = sorted(value.items()) if isinstance(value, dict) else [(v,) for v in value]
        lines.extend(_line(["extra", field, *item]) for item in items)
    lines.extend(_line(["not", k]) for k in not_keys)
    for eid in order:
        lines.append(_line(["entity", {**entities[eid], "aliases": list(aliases[eid])}]))
    for k in sorted(kept):
        entries = []
        for n in kept[k]:
            entry: list[Any] = [n.entity, n.text, n.type]
            if ix.is_acronym(fold(n.text)):
                entry.append(1)
            entries.append(entry)
        lines.append(_line(["key", k, entries]))
    text = "\n".join(lines) + "\n"
    return text, ties, kept


def build(data_dir: Path = DATA_DIR, cases_dir: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """Validate every table under ``data_dir`` and return
    ``({kind: index text}, report lines)``.

    ``cases_dir`` (the repository's ``tests/cases``) is checked too: every
    entity id a test case expects must exist."""
    from ..kinds import SPECS

    versions = sources.source_versions()
    country_ents, country_names, currency_ents, currency_names, regions = sources.standard_records()
    out: dict[str, str] = {}
    report: list[str] = []
    known: dict[str, Any] = {}
    kept_by_kind: dict[str, dict[str, list[Name]]] = {}
    places: dict[str, str] = {}  # entity id -> its table entry, for messages

    # Names in other languages: one file per language, adding names to the
    # entities of every kind.
    languages = read_tables(table_paths("languages", data_dir))
    singles = [{**c, "language": tf.language} for tf in languages for c in tf.extra.get("single_characters", ())]
    files = read_tables(table_paths("countries", data_dir)) + languages
    _place(files, "country", places)
    entities, names, nots, soft = _countries(files, country_ents, country_names, regions)
    for single in singles:
        if single["id"] not in entities:
            raise TableError(f"single character {single['text']!r}: {single['id']} is not a known country")
    country_extra = (
        {"single_characters": sorted(singles, key=lambda c: (c["language"], c["text"], c["id"]))} if singles else None
    )
    out["country"], ties, country_keys = _emit(
        "country", entities, names, name_keys, nots, soft, versions, country_extra
    )
    kept_by_kind["country"] = country_keys
    report += [f"country tie {t}" for t in ties]
    known.update(entities)

    files = read_tables(table_paths("currencies", data_dir)) + languages
    _place(files, "currency", places)
    entities, names, nots, soft = _currencies(files, currency_ents, currency_names, known)
    out["currency"], ties, kept_by_kind["currency"] = _emit(
        "currency", entities, names, name_keys, nots, soft, versions
    )
    report += [f"currency tie {t}" for t in ties]
    known.update(entities)

    # Curated-only kinds, in reference order: organisations before the people
    # and weapons that name them.
    org_files = read_tables(table_paths("organisations", data_dir))
    legal_forms = [f for tf in org_files for f in tf.extra.get("forms", ())]
    org_keys: dict[str, list[Name]] = {}
    for kind, folder in (("organisation", "organisations"), ("person", "people"), ("weapon", "weapons")):
        files = (org_files if kind == "organisation" else read_tables(table_paths(folder, data_dir))) + languages
        _place(files, kind, places)
        if kind == "person":
            extra = _person_extra(files, country_keys, org_keys)
            check_offices(_records(files, kind), set(extra["offices"].values()))
            check_seats(files, extra["seats"], {tuple(x) for x in extra["shared_seats"]})
        elif kind == "organisation":
            extra = {"forms": sorted(set(legal_forms))}
        else:
            extra = {}
        # Check every reference within the kind before the entities exist.
        all_ids = {r.id for r in _records(files, kind)}
        entities, names = _generic(kind, files, {**known, **dict.fromkeys(all_ids)})
        spec = SPECS[kind]
        spec.configure(extra)
        out[kind], ties, kept = _emit(
            kind, entities, names, spec.index_keys, _not_names(files, kind), set(), versions, extra
        )
        if kind == "organisation":
            org_keys = kept
        kept_by_kind[kind] = kept
        report += [f"{kind} tie {t}" for t in ties]
        known.update(entities)
    shared = read_shared(data_dir / SHARED_FILE)
    check_shadowing(kept_by_kind, shared)
    check_canonical_names(out, shared, places)
    if cases_dir is not None:
        check_cases(cases_dir, known)
    return out, report
