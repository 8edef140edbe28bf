"""Checks across tables that the compile step runs after building every kind.

Each failure is a :class:`~geonorm.tables.TableError` that names the file and
entry, so a contributor sees what to change:

* a curated name of one kind that shadows a strong name of another kind
  (an organisation alias "Estonia" would make ``resolve("Estonia")`` None and
  hide Estonia from ``extract``), unless ``shared.toml`` declares the sharing;
* a role whose ``office`` is not a key of ``people/_offices.toml``;
* a role without a start date (or ``held_on`` or ``current = true``), and, on a
  single-seat office, two people holding one seat at once: an overlap, or
  a predecessor whose role never ends;
* a test case (``tests/cases``) that expects an entity id the tables lack;
* in the compiled index, an entity that its canonical name does not find:
  with its kind, ever; with no kind, unless ``shared.toml`` declares the
  name shared with an entity of another kind, and then the name must stay
  ambiguous (None), never another entity.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import index as ix
from ..tables import Record, TableError
from ..text import key
from .assemble import Name

if TYPE_CHECKING:
    from ..registry import Registry

__all__ = [
    "SEATS",
    "SHARED_FILE",
    "check_canonical_names",
    "check_cases",
    "check_offices",
    "check_seats",
    "check_shadowing",
    "read_shared",
    "seat_of",
]

#: How a single-seat office's seat is told: ``country``, by the role's
#: organisation if it names one, else its country (a head of state, a
#: minister, the governor of a central bank or of the ECB); ``organisation``,
#: by the organisation only (a secretary-general, a chief executive).
SEATS = ("country", "organisation")
#: Problems a failed check lists, at most.
SHOWN = 20

#: The file, under the data folder, that declares names shared across kinds.
SHARED_FILE = "shared.toml"
# Entry types a name of one kind must not lose to another kind's curated name.
_STRONG_NAMES = frozenset({ix.STRONG, ix.CODE, ix.DEMONYM, *ix.LOCALE_TYPES})


def _keys_of(text: str) -> set[str]:
    """Every key ``text`` is indexed under, whatever the kind."""
    from ..kinds import SPECS
    from .build import name_keys

    found = set(name_keys(text))
    for spec in SPECS.values():
        found.update(spec.index_keys(text))
    found.add(key(text))
    return found - {""}


def read_shared(path: Path) -> dict[str, list[frozenset[str]]]:
    """The declared cross-kind names: key -> the sets of entities that may
    share it."""
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    out: dict[str, list[frozenset[str]]] = {}
    for i, entry in enumerate(data.get("shared", ()), 1):
        where = f"{path}: [[shared]] #{i}"
        if not isinstance(entry, dict) or set(entry) != {"name", "entities", "reason"}:
            raise TableError(f"{where}: needs exactly 'name', 'entities' and 'reason'")
        name, entities, reason = entry["name"], entry["entities"], entry["reason"]
        if not isinstance(name, str) or not isinstance(reason, str) or not reason.strip():
            raise TableError(f"{where}: 'name' and 'reason' must be non-empty strings")
        if not isinstance(entities, list) or len(entities) < 2 or not all(isinstance(e, str) for e in entities):
            raise TableError(f"{where}: 'entities' must list at least two entity ids")
        kinds = {e.partition(":")[0] for e in entities}
        if len(kinds) < 2:
            raise TableError(f"{where}: entities of one kind share names through weak_aliases, not here")
        for k in _keys_of(name):
            out.setdefault(k, []).append(frozenset(entities))
    unknown = set(data) - {"shared"}
    if unknown:
        raise TableError(f"{path}: unknown top-level key(s) {', '.join(sorted(unknown))}")
    return out


def check_shadowing(kept: Mapping[str, Mapping[str, list[Name]]], shared: Mapping[str, list[frozenset[str]]]) -> None:
    """Fail when a curated name of one kind outranks or ties a strong name of
    another kind under the same key, and no declaration allows it."""
    kinds_of: dict[str, list[str]] = {}
    for kind, keys in kept.items():
        for k in keys:
            kinds_of.setdefault(k, []).append(kind)
    problems: list[str] = []
    for k, kinds in sorted(kinds_of.items()):
        if len(kinds) < 2:
            continue
        for victim_kind in kinds:
            victim = kept[victim_kind][k][0]
            if victim.type not in _STRONG_NAMES:
                continue
            for other_kind in kinds:
                if other_kind == victim_kind:
                    continue
                for n in kept[other_kind][k]:
                    if not n.curated or ix.SCORES[n.type] < ix.SCORES[victim.type]:
                        continue
                    if any({n.entity, victim.entity} <= allowed for allowed in shared.get(k, ())):
                        continue
                    problems.append(
                        f"{n.where}: {n.text!r} of {n.entity} shadows {victim.text!r}, a name of "
                        f"{victim.entity}: resolve() would not find {victim.entity} by it. Make it a weak "
                        f"alias, or declare the sharing in {SHARED_FILE}"
                    )
    if problems:
        more = f"\n(and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise TableError("\n".join(problems[:10]) + more)


def check_offices(records: Iterable[Record], office_keys: set[str]) -> None:
    """Every role names an office that ``people/_offices.toml`` defines."""
    for rec in records:
        for i, role in enumerate(rec.fields.get("roles", ()), 1):
            if role["office"] not in office_keys:
                raise TableError(
                    f"{rec.where()} role #{i}: office {role['office']!r} is not a key in people/_offices.toml "
                    f"(known: {', '.join(sorted(office_keys))})"
                )


def seat_of(role: Mapping[str, Any], seat: str = "country") -> str:
    """The seat a role sits in: its organisation's id, else (for a seat told
    by country) ``country:XX``; empty when the role names neither."""
    if role.get("organisation"):
        return str(role["organisation"])
    if seat == "country" and role.get("country"):
        return f"country:{role['country']}"
    return ""


def check_seats(files: Iterable[Any], seats: Mapping[str, str], shared: set[tuple[str, str]]) -> None:
    """Every role has a start date, ``held_on`` or ``current = true``; on a single-seat
    office (``seat`` in ``people/_offices.toml``), no two people hold one
    seat on the same day, except that a successor's first day may be the
    predecessor's last, and except the seats ``[[shared_seat]]`` declares
    (a collective presidency, co-princes)."""
    problems: list[str] = []
    held: dict[tuple[str, str], list[tuple[Any, Any, str, str]]] = {}
    for tf in files:
        for rec in tf.records:
            if rec.kind != "person" or rec.addition:
                continue
            for i, role in enumerate(rec.fields.get("roles", ()), 1):
                where = f"{rec.where()} role #{i} ({role['title']})"
                if "start" not in role and "held_from" not in role:
                    problems.append(
                        f"{where}: no start date; give 'start', or if the start is unknown 'held_on' with a day "
                        f"the person held it ('current = true' for the file's as_of date)"
                    )
                    continue
                kind = seats.get(role["office"])
                seat = seat_of(role, kind) if kind else ""
                if not seat or (role["office"], seat) in shared:
                    continue
                first = role.get("start") or role.get("held_from")
                held.setdefault((role["office"], seat), []).append((first, role.get("end"), rec.id, where))
    for (office, seat), roles in sorted(held.items()):
        roles.sort(key=lambda r: (r[0], r[2]))
        for i, (_start_a, end_a, who_a, where_a) in enumerate(roles):
            for start_b, _end_b, who_b, where_b in roles[i + 1 :]:
                if who_a == who_b:
                    continue
                if end_a is None:
                    problems.append(
                        f"{where_a}: {office} in {seat} has no end, but {who_b} held it from {start_b} "
                        f"({where_b}): give the predecessor's last day"
                    )
                elif start_b < end_a:
                    problems.append(
                        f"{where_a}: {office} in {seat} until {end_a} overlaps {who_b} from {start_b} ({where_b})"
                    )
    if problems:
        more = f"\n(and {len(problems) - SHOWN} more)" if len(problems) > SHOWN else ""
        raise TableError("\n".join(problems[:SHOWN]) + more)


def _case_ids(path: Path) -> Iterable[tuple[int, str]]:
    """``(line, expected entity id)`` of a case file."""
    if path.suffix == ".tsv":
        column = 3 if path.name.startswith("holders") else 1
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            parts = raw.split("\t")
            if len(parts) > column and parts[column].strip() not in ("-", ""):
                yield n, parts[column].strip()
    elif path.suffix == ".toml":
        lines = path.read_text(encoding="utf-8").splitlines()
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for section in data.values():
            for item in section if isinstance(section, list) else ():
                for mention in item.get("mentions", ()) if isinstance(item, dict) else ():
                    eid = str(mention[1])
                    line = next((i for i, t in enumerate(lines, 1) if f'"{eid}"' in t), 0)
                    yield line, eid


def check_cases(cases_dir: Path, known: Mapping[str, Any]) -> None:
    """Every entity id a test case expects is an entity of the tables."""
    for path in sorted(cases_dir.rglob("*")):
        if path.suffix not in (".tsv", ".toml"):
            continue
        for line, eid in _case_ids(path):
            if eid not in known:
                raise TableError(f"{path}:{line}: expected id {eid!r} is not an entity in the tables")


def check_canonical_names(
    texts: Mapping[str, str], shared: Mapping[str, list[frozenset[str]]], places: Mapping[str, str] | None = None
) -> None:
    """Every entity's canonical name finds it in the compiled index (``texts``:
    kind -> the text of its index file, every kind): ``resolve(name,
    kind=kind)`` is the entity, always; ``resolve(name)`` is the entity too,
    unless a declaration in ``shared.toml`` that lists the entity holds the
    name: then the name stays ambiguous (None, with the entity among the best
    of ``candidates()``), never another entity. ``places`` says where each
    entity's table entry is (an entity of ISO's alone has none)."""
    from ..registry import Registry
    from ..shipped import substituted

    problems: list[str] = []
    with substituted(texts):
        registry = Registry()
        for entity in registry.entities():
            name, eid = entity.name, entity.id
            where = (places or {}).get(eid) or f"{eid} (named by ISO; no table entry)"
            found = registry.resolve(name, kind=entity.kind)
            if found is None or found.id != eid:
                problems.append(
                    f"{where}: its name {name!r} does not find it with kind={entity.kind!r} "
                    f"({_best(registry, name, entity.kind)}): give it a name of its own, or make the name a "
                    "strong alias of the declared default and a weak alias of the others"
                )
                continue
            found = registry.resolve(name)
            if found is not None and found.id == eid:
                continue
            declared = any(eid in allowed for allowed in shared.get(key(name), ()))
            best = _best(registry, name, None)
            if declared and found is None and f"{eid} " in best:
                continue  # shared with another kind on purpose: ambiguous, and it is among the best
            problems.append(
                f"{where}: its name {name!r} does not find it with no kind ({best}): "
                + (
                    f"{SHARED_FILE} declares the name shared, so it must stay a tie that includes it"
                    if declared
                    else f"give it a name of its own, or declare the sharing in {SHARED_FILE} with the reason"
                )
            )
    if problems:
        more = f"\n(and {len(problems) - SHOWN} more)" if len(problems) > SHOWN else ""
        raise TableError("\n".join(problems[:SHOWN]) + more)


def _best(registry: Registry, name: str, kind: str | None) -> str:
    """What ``name`` resolves to and its best candidates, for a message."""
    found = registry.resolve(name, kind)
    matches = registry.candidates(name, kind)
    top = [m for m in matches if m.score == matches[0].score]
    shown = ", ".join(f"{m.entity.id} ({m.alias!r}, {m.score})" for m in top) or "none"
    return f"resolves to {found.id if found else None}; best candidates: {shown}"
