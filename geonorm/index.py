"""The compiled index: how entries are typed and scored, and how a kind's
index file is loaded.

The compile step (:mod:`geonorm.compile`) writes one file per kind in
``geonorm/data/index/``, ``<kind>.jsonl``: one JSON value per line, so that a
data contribution changes only the lines of what it adds and two independent
contributions do not touch the same lines. The first line is the header
(format, kind, the versions of the sources); then, each sorted, lines
``["extra", field, ...]`` (kind-specific settings), ``["not", key]`` (known
non-names), ``["entity", {...}]`` (one entity with its aliases) and
``["key", key, entries]``, where a normalisation key (:func:`geonorm.text.key`)
maps to entries ``[entity id, alias, type]`` (plus ``1`` when the alias is an
acronym that must be written in capitals). Entries name entities and aliases
by id and text, never by position. JSON, not pickle: loading never runs code.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from importlib import resources
from itertools import islice, repeat
from typing import Any, Final

__all__ = [
    "CODE",
    "COUNTRY_ALIAS",
    "DEMONYM",
    "FORMAT",
    "LOCALE",
    "LOCALE_TYPES",
    "METONYM",
    "METONYM_TYPES",
    "NEWS_LOCALE",
    "SCORES",
    "STRONG",
    "USER",
    "WEAK",
    "WEAK_DEMONYM",
    "WEAK_LOCALE",
    "WEAK_METONYM",
    "WEAK_TYPES",
    "Entries",
    "entries_of",
    "index_name",
    "is_acronym",
    "key_entries",
    "load_index",
    "parse_index",
    "parse_keys",
    "read_index",
]

FORMAT: Final = 2

# An entry of a loaded kind's keys, packed in one integer: the entity's
# index (from bit ENTITY_SHIFT), the alias's index among its aliases (from
# bit ALIAS_SHIFT, below ALIAS_LIMIT), the entry type (from bit TYPE_SHIFT,
# below TYPE_LIMIT) and, in bit 0, 1 for an acronym that counts only as
# written. A key with one entry (nearly all) maps to its integer, a key with
# several to a tuple of them, best first: no tuple per entry, no tuple per
# key (11 MB less for the shipped keys).
ENTITY_SHIFT: Final = 20
ALIAS_SHIFT: Final = 6
ALIAS_LIMIT: Final = 1 << (ENTITY_SHIFT - ALIAS_SHIFT)
ALIAS_MASK: Final = ALIAS_LIMIT - 1
TYPE_SHIFT: Final = 1
TYPE_LIMIT: Final = 1 << (ALIAS_SHIFT - TYPE_SHIFT)
TYPE_MASK: Final = TYPE_LIMIT - 1
#: What a key maps to: one packed entry, or several.
Entries = int | tuple[int, ...]


def entries_of(value: Entries) -> tuple[int, ...]:
    """The packed entries of a key's value (see ``ENTITY_SHIFT``).

    >>> [(p >> ENTITY_SHIFT, (p >> ALIAS_SHIFT) & ALIAS_MASK, (p >> TYPE_SHIFT) & TYPE_MASK, p & 1)
    ...  for p in entries_of(5 << ENTITY_SHIFT | 2 << ALIAS_SHIFT | DEMONYM << TYPE_SHIFT)]
    [(5, 2, 4, 0)]
    """
    return (value,) if value.__class__ is int else value  # type: ignore[return-value]


# Entry types. The numbers are part of the index format.
STRONG: Final = 0  #: a curated or standard name in English
LOCALE: Final = 1  #: a standard name in another locale (CLDR)
WEAK: Final = 2  #: a curated name shared with others or also a common word
CODE: Final = 3  #: an ISO code
DEMONYM: Final = 4
WEAK_DEMONYM: Final = 5
METONYM: Final = 6  #: a capital city standing for its country
WEAK_METONYM: Final = 7
USER: Final = 8  #: added at run time by the user: wins over shipped names
WEAK_LOCALE: Final = 9  #: a locale name that another entity's curated name overrides
COUNTRY_ALIAS: Final = 10  #: a generic name that needs a country hint ("Ministry of Defence")
NEWS_LOCALE: Final = 11  #: a standard name in a major news language (CLDR): found in running text too

SCORES: Final[dict[int, float]] = {
    USER: 1.1,
    STRONG: 1.0,
    CODE: 1.0,
    LOCALE: 0.9,
    NEWS_LOCALE: 0.9,
    DEMONYM: 0.9,
    METONYM: 0.8,
    WEAK: 0.7,
    WEAK_DEMONYM: 0.6,
    COUNTRY_ALIAS: 0.6,
    WEAK_METONYM: 0.5,
    WEAK_LOCALE: 0.5,
}
WEAK_TYPES: Final = frozenset({WEAK, WEAK_DEMONYM, WEAK_METONYM, WEAK_LOCALE, COUNTRY_ALIAS})
METONYM_TYPES: Final = frozenset({METONYM, WEAK_METONYM})
LOCALE_TYPES: Final = frozenset({LOCALE, NEWS_LOCALE})
DEMONYM_TYPES: Final = frozenset({DEMONYM, WEAK_DEMONYM})


#: How the table format's name fields are typed (see :data:`geonorm.tables.NAME_FIELDS`).
NAME_TYPES: Final[dict[str, int]] = {
    "strong": STRONG,
    "weak": WEAK,
    "country_alias": COUNTRY_ALIAS,
    "demonym": DEMONYM,
    "weak_demonym": WEAK_DEMONYM,
    "metonym": METONYM,
    "weak_metonym": WEAK_METONYM,
}


def is_acronym(folded: str) -> bool:
    """Whether a folded alias is a short acronym that must match in capitals.

    Letters only: designators with digits ("G20", "S-400", "Su-57") match in
    any case.

    >>> is_acronym("UAE"), is_acronym("NATO"), is_acronym("Rs"), is_acronym("G20"), is_acronym("LeT")
    (True, True, False, False, True)
    """
    compact = folded.replace(" ", "")
    if not (0 < len(compact) <= 5 and compact.isalpha()):
        return False
    # All capitals ("NATO"), or capitals inside the word ("LeT", "BoE").
    return compact.isupper() or any(ch.isupper() for ch in compact[1:])


def index_name(kind: str) -> str:
    """The file name of a kind's index."""
    return f"{kind}.jsonl"


#: Index lines read by one call of the JSON decoder (a call per line would
#: spend more in the decoder's Python wrappers than in decoding).
_LINES_AT_ONCE = 1024


def _decoded(lines: list[bytes]) -> list[Any]:
    """The rows of ``lines`` (JSON arrays, one a line), decoded in one call;
    a line that is not one array is an error."""
    rows = json.loads(b"[" + b",".join(lines) + b"]") if lines else []
    # As many arrays as lines, each line opening one: a line cut in two
    # cannot pass for two rows.
    if (
        len(rows) != len(lines)
        or not all(map(bytes.startswith, lines, repeat(b"[")))
        or not all(isinstance(row, list) and row for row in rows)
    ):
        raise RuntimeError("geonorm index has a malformed line; reinstall geonorm")
    return rows


def parse_index(text: str | bytes, kind: str, *, keys: bool = True) -> dict[str, Any]:
    """Read the lines of an index file into the form the registry uses:
    ``entities`` in id order, and ``keys`` whose entries name the entity and
    the alias by position, packed in integers (:func:`entries_of`).

    With ``keys=False`` the key lines (the bulk of the file, after every
    other line) are left unread and ``keys_at`` holds the offset of the
    first; :func:`parse_keys` reads them when they are needed."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    fh = io.BytesIO(data)
    head = json.loads(fh.readline().strip() or b"{}")
    if not isinstance(head, dict) or head.get("format") != FORMAT or head.get("kind") != kind:
        raise RuntimeError(f"geonorm index for {kind!r} has an unexpected format; reinstall geonorm")
    extra: dict[str, Any] = {}
    not_keys: list[str] = []
    entities: list[dict[str, Any]] = []
    keys_at = len(data)
    # A batch of lines at a time, each turned at once into what is kept:
    # the peak stays near what is kept, and so does the process's memory.
    batch: list[bytes] = []
    while True:
        at = fh.tell()
        line = fh.readline()
        at_keys = line.startswith(b'["key"')
        if at_keys:
            keys_at = at  # the keys come last
        elif line.strip():
            batch.append(line)
        if len(batch) < _LINES_AT_ONCE and line and not at_keys:
            continue
        for row in _decoded(batch):
            tag = row[0]
            if tag == "entity":
                entities.append(row[1])
            elif tag == "not":
                not_keys.append(row[1])
            elif len(row) == 4:
                extra.setdefault(row[1], {})[row[2]] = row[3]
            else:
                extra.setdefault(row[1], []).append(row[2])
        batch = []
        if not line or at_keys:
            break
    out = {**head, "extra": extra, "not": not_keys, "entities": entities, "keys_at": keys_at}
    if keys:
        out["keys"] = parse_keys(data, keys_at, [(ent["id"], ent["aliases"]) for ent in entities])
    return out


def parse_keys(data: bytes, offset: int, entities: Sequence[tuple[str, Sequence[str]]]) -> dict[str, Entries]:
    """The key lines of an index file, from ``offset`` on: key -> its
    entries, packed (:func:`entries_of`); ``entities`` are the ``(id,
    aliases)`` of the file's entities, in its order."""
    return dict(key_entries(data, offset, entities))


def key_entries(
    data: bytes, offset: int, entities: Sequence[tuple[str, Sequence[str]]]
) -> Iterator[tuple[str, Entries]]:
    """Each key of the key lines of an index file, from ``offset`` on, with
    its entries packed (:func:`entries_of`), in the file's order;
    ``entities`` as for :func:`parse_keys`."""
    position = {eid: i for i, (eid, _) in enumerate(entities)}
    alias_pos = [{a: j for j, a in enumerate(aliases)} for _, aliases in entities]
    if any(len(aliases) >= ALIAS_LIMIT for _, aliases in entities):
        raise RuntimeError(f"geonorm index has an entity of {ALIAS_LIMIT:,} aliases or more; reinstall geonorm")
    fh = io.BytesIO(data)
    fh.seek(offset)
    # A batch of lines at a time, each turned into what is kept before the
    # next is read: the peak stays near what is kept.
    while batch := list(islice(fh, _LINES_AT_ONCE)):
        for row in _decoded([line for line in batch if line.strip()]):
            if row[0] != "key":
                raise RuntimeError("geonorm index has lines out of order; reinstall geonorm")
            # [id, alias, type(, 1)] -> one integer: no Python object per entry
            # but the integer (hundreds of thousands of tuples would cost
            # memory and make every full collection of the host slower).
            packed = []
            k = row[1]
            for entry in row[2]:
                i = position[entry[0]]
                etype = entry[2]
                if not 0 <= etype < TYPE_LIMIT:
                    raise RuntimeError(f"geonorm index has an unknown entry type {etype!r}; reinstall geonorm")
                acronym = 1 if len(entry) > 3 else 0
                j = alias_pos[i][entry[1]]
                packed.append((i << ENTITY_SHIFT) | (j << ALIAS_SHIFT) | (etype << TYPE_SHIFT) | acronym)
            yield k, packed[0] if len(packed) == 1 else tuple(packed)


def read_index(kind: str) -> bytes:
    """The bytes of the shipped index of ``kind``."""
    return resources.files("geonorm").joinpath("data", "index", index_name(kind)).read_bytes()


def load_index(kind: str, *, keys: bool = True) -> dict[str, Any]:
    """Load the shipped index of ``kind`` from the package data (without its
    keys with ``keys=False``; see :func:`parse_index`)."""
    return parse_index(read_index(kind), kind, keys=keys)
