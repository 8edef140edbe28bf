"""The Reconciliation Service API 0.2, without HTTP: the manifest, query
batches, suggest, property proposals and data extension, each a function of
JSON-shaped values to JSON-shaped values. :mod:`geonorm.service.app` serves
them; the checks of what a request may ask live here too.

>>> import geonorm
>>> from geonorm.service.protocol import Service
>>> service = Service(geonorm.default_registry)
>>> out = service.reconcile({"q0": {"query": "Bharat", "type": "country"}})
>>> top = out["q0"]["result"][0]
>>> top["id"], top["match"], top["type"]
('country:IN', True, [{'id': 'country', 'name': 'Country'}])
>>> [(r["id"], r["match"]) for r in service.reconcile({"q": {"query": "Congo", "type": "country"}})["q"]["result"]]
[('country:CD', False), ('country:CG', False)]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .. import __version__
from ..model import Country, Entity, Match
from ..registry import Registry
from ..text import brief
from . import properties
from .properties import KIND_NAMES
from .suggest import PrefixIndex

__all__ = ["MAX_IDS", "MAX_QUERIES", "MAX_QUERY_LENGTH", "BadRequest", "Service", "query_int"]

#: Queries in one reconciliation batch, at most.
MAX_QUERIES = 200
#: Entity ids (and properties) in one data-extension request, at most.
MAX_IDS = 1000
MAX_PROPERTIES = 50
#: Candidates per query, at most (and by default).
MAX_LIMIT = 100
DEFAULT_LIMIT = 10
#: Characters in one query, at most (a name, not a text).
MAX_QUERY_LENGTH = 300

IDENTIFIER_SPACE = "https://geonorm.readthedocs.io/ids/"
SCHEMA_SPACE = "https://geonorm.readthedocs.io/schema/"

# A candidate's score: geonorm's score (up to 1.2) on a scale of 100.
_SCALE = 100 / 1.2


_NO_VALUE = object()


class BadRequest(ValueError):
    """A request the service will not answer: what is wrong, in one line."""


def _type(kind: str) -> dict[str, str]:
    return {"id": kind, "name": KIND_NAMES[kind]}


class Service:
    """The API over ``registry``."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._suggest: PrefixIndex | None = None

    @property
    def prefixes(self) -> PrefixIndex:
        """The prefix index of every name and alias (built on first use)."""
        if self._suggest is None:
            self._suggest = PrefixIndex(self.registry.entities())
        return self._suggest

    # -- manifest -------------------------------------------------------------

    def manifest(self, base_url: str) -> dict[str, Any]:
        """The service manifest, with URLs under ``base_url`` (the address
        clients reach the service at)."""
        base = base_url.rstrip("/")
        return {
            "versions": ["0.2"],
            "name": "geonorm",
            "serviceVersion": __version__,
            "identifierSpace": IDENTIFIER_SPACE,
            "schemaSpace": SCHEMA_SPACE,
            "documentation": "https://geonorm.readthedocs.io/",
            "view": {"url": base + "/view?id={{id}}"},
            "preview": {"url": base + "/preview?id={{id}}", "width": 400, "height": 220},
            "defaultTypes": [_type(k) for k in KIND_NAMES],
            "suggest": {
                "entity": {"service_url": base, "service_path": "/suggest/entity"},
                "type": {"service_url": base, "service_path": "/suggest/type"},
                "property": {"service_url": base, "service_path": "/suggest/property"},
            },
            "extend": {
                "propose_properties": {"service_url": base, "service_path": "/extend/propose"},
                "property_settings": [],
            },
        }

    # -- reconciliation -------------------------------------------------------

    def reconcile(self, batch: object) -> dict[str, Any]:
        """Answers to a batch of queries (a mapping of keys to queries)."""
        if not isinstance(batch, Mapping):
            raise BadRequest("queries must be a JSON object of query keys to queries")
        if len(batch) > MAX_QUERIES:
            raise BadRequest(f"too many queries in one batch: {len(batch)} (at most {MAX_QUERIES})")
        return {str(k): {"result": self._query(str(k), q)} for k, q in batch.items()}

    def _query(self, qkey: str, query: object) -> list[dict[str, Any]]:
        if not isinstance(query, Mapping):
            raise BadRequest(f"query {qkey!r} must be a JSON object")
        text = query.get("query")
        if text is None:
            return []  # properties alone match nothing here
        if not isinstance(text, str):
            raise BadRequest(f"query {qkey!r}: 'query' must be a string")
        if len(text) > MAX_QUERY_LENGTH:
            raise BadRequest(f"query {qkey!r} is too long: {len(text)} characters (at most {MAX_QUERY_LENGTH})")
        kinds = self._kinds(qkey, query.get("type"))
        limit = self._limit(qkey, query.get("limit"))
        hints, usable = self._hints(qkey, query.get("properties"))
        if query.get("type_strict") not in (None, "any", "should", "all"):
            raise BadRequest(f"query {qkey!r}: type_strict must be 'any', 'should' or 'all'")
        if not kinds or limit == 0:
            return []
        found, best = self._answer(text, kinds, hints)
        if not usable:
            best = None  # a hint that could not be read: candidates, but no match
        return [self._result(m, m.entity is best) for m in found[:limit]]

    def _answer(self, text: str, kinds: tuple[str, ...], hints: dict[str, Any]) -> tuple[list[Match], Entity | None]:
        """The candidates of ``kinds`` for ``text``, and the one entity
        :func:`geonorm.resolve` answers within those kinds, if any."""
        reg = self.registry
        one = kinds[0] if len(kinds) == 1 else None
        found = reg.candidates(text, one, **hints)
        if one is not None or len(kinds) == len(KIND_NAMES):
            return found, reg.resolve(text, one, **hints)
        # Several kinds, not all: each kind's answer; one of them, or the one
        # whose score is above the others', is the answer.
        found = [m for m in found if m.entity.kind in kinds]
        answers = [e for e in (reg.resolve(text, k, **hints) for k in kinds) if e is not None]
        if len(answers) <= 1:
            return found, answers[0] if answers else None
        scores = {m.entity.id: m.score for m in found}
        ranked = sorted(answers, key=lambda e: -scores.get(e.id, 0.0))
        top = scores.get(ranked[0].id, 0.0)
        return found, ranked[0] if scores.get(ranked[1].id, 0.0) < top else None

    def _result(self, match: Match, is_best: bool) -> dict[str, Any]:
        entity = match.entity
        return {
            "id": entity.id,
            "name": entity.name,
            "description": _describe(entity, match),
            "score": round(min(match.score, 1.2) * _SCALE, 1),
            "match": is_best,
            "type": [_type(entity.kind)],
        }

    def _kinds(self, qkey: str, value: object) -> tuple[str, ...]:
        if value is None:
            return tuple(KIND_NAMES)
        wanted = [value] if isinstance(value, str) else value
        if not isinstance(wanted, list) or not all(isinstance(t, str) for t in wanted):
            raise BadRequest(f"query {qkey!r}: 'type' must be a type id or a list of them")
        # A type this service does not have matches nothing.
        return tuple(dict.fromkeys(t for t in wanted if t in KIND_NAMES))

    @staticmethod
    def _limit(qkey: str, value: object) -> int:
        if value is None:
            return DEFAULT_LIMIT
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            raise BadRequest(f"query {qkey!r}: 'limit' must be a number of candidates")
        return min(int(value), MAX_LIMIT)

    def _hints(self, qkey: str, value: object) -> tuple[dict[str, Any], bool]:
        """The hints the query's properties give, and whether every property
        that should be a hint could be read as one."""
        if value is None:
            return {}, True
        if not isinstance(value, list):
            raise BadRequest(f"query {qkey!r}: 'properties' must be a list of {{pid, v}} objects")
        hints: dict[str, Any] = {}
        usable = True
        for prop in value:
            if not isinstance(prop, Mapping) or not isinstance(prop.get("pid"), str) or "v" not in prop:
                raise BadRequest(f"query {qkey!r}: each property must be an object with 'pid' and 'v'")
            if prop["pid"] != "country":
                continue  # other properties do not narrow a name down here
            country = self._country(prop["v"])
            if country is None:
                usable = False
            elif country is not _NO_VALUE:
                hints["country"] = country
        return hints, usable

    def _country(self, value: object) -> object:
        """The Country a property value names; ``_NO_VALUE`` for an empty
        cell; None when it names none (an unknown name, another service's
        id, several values)."""
        if isinstance(value, list):
            if not value:
                return _NO_VALUE
            if len(value) > 1:
                return None
            value = value[0]
        if value is None or (isinstance(value, str) and not value.strip()):
            return _NO_VALUE
        if isinstance(value, Mapping):
            eid = value.get("id")
            entity = self.registry.get(eid) if isinstance(eid, str) else None
            return entity if isinstance(entity, Country) else None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None
        text = str(value).strip() if not isinstance(value, float) or not value.is_integer() else str(int(value))
        if len(text) > MAX_QUERY_LENGTH:
            return None
        entity = self.registry.get(text) if text.startswith("country:") else None
        if isinstance(entity, Country):
            return entity
        try:
            return self.registry._country_hint(text)
        except (TypeError, ValueError):
            return None

    # -- suggest --------------------------------------------------------------

    def suggest_entity(self, prefix: str, kind: str | None = None, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
        """Entities whose name or an alias starts with ``prefix``."""
        if kind is not None and kind not in KIND_NAMES:
            return {"result": []}
        found = self.prefixes.search(prefix[:MAX_QUERY_LENGTH], kind, limit=min(limit, MAX_LIMIT))
        return {
            "result": [
                {"id": e.id, "name": e.name, "description": _codes(e), "notable": [_type(e.kind)]} for e in found
            ]
        }

    def suggest_type(self, prefix: str) -> dict[str, Any]:
        """The types (kinds) whose id or name starts with ``prefix``."""
        p = prefix.strip().casefold()
        return {
            "result": [_type(k) for k, name in KIND_NAMES.items() if k.startswith(p) or name.casefold().startswith(p)]
        }

    def suggest_property(self, prefix: str, kind: str | None = None) -> dict[str, Any]:
        """The properties (of ``kind``, if given) whose id or name starts with
        ``prefix``, or has a word starting with it."""
        p = prefix.strip().casefold()
        out = []
        for prop in properties.PROPERTIES:
            if kind is not None and kind not in prop.kinds:
                continue
            words = [prop.id.casefold(), *prop.name.casefold().split()]
            if any(w.startswith(p) for w in words) or prop.name.casefold().startswith(p):
                out.append({"id": prop.id, "name": prop.name, "description": prop.description})
        return {"result": out}

    # -- data extension -------------------------------------------------------

    def propose(self, kind: str | None, limit: int | None = None) -> dict[str, Any]:
        """The properties an entity of ``kind`` has."""
        if kind is not None and kind not in KIND_NAMES:
            raise BadRequest(f"unknown type {brief(kind)}; expected one of {', '.join(KIND_NAMES)}")
        found = [
            {"id": p.id, "name": p.name, "description": p.description}
            for p in properties.PROPERTIES
            if kind is None or kind in p.kinds
        ]
        out: dict[str, Any] = {"properties": found[:limit] if limit else found}
        if kind is not None:
            out["type"] = kind
        if limit:
            out["limit"] = limit
        return out

    def extend(self, query: object) -> dict[str, Any]:
        """The values of the asked properties for the asked entity ids."""
        if not isinstance(query, Mapping):
            raise BadRequest("extend must be a JSON object with 'ids' and 'properties'")
        ids, props = query.get("ids"), query.get("properties")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise BadRequest("extend: 'ids' must be a list of entity ids")
        if not isinstance(props, list) or not all(
            isinstance(p, Mapping) and isinstance(p.get("id"), str) for p in props
        ):
            raise BadRequest("extend: 'properties' must be a list of {id} objects")
        if len(ids) > MAX_IDS or len(props) > MAX_PROPERTIES:
            raise BadRequest(f"extend: at most {MAX_IDS} ids and {MAX_PROPERTIES} properties at once")
        pids = list(dict.fromkeys(str(p["id"]) for p in props))
        unknown = [pid for pid in pids if properties.get(pid) is None]
        if unknown:
            raise BadRequest(f"extend: unknown properties {', '.join(map(repr, unknown))}")
        meta = []
        for pid in pids:
            prop = properties.get(pid)
            assert prop is not None
            item: dict[str, Any] = {"id": prop.id, "name": prop.name}
            if prop.target is not None:
                item["type"] = _type(prop.target)
            meta.append(item)
        rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for eid in ids:
            entity = self.registry.get(eid)
            rows[eid] = {
                pid: properties.values(self.registry, entity, pid) if entity is not None else [] for pid in pids
            }
        return {"meta": meta, "rows": rows}


def _codes(entity: Entity) -> str:
    """A short description: the kind and the codes or links that tell the
    entity apart."""
    parts = [KIND_NAMES[entity.kind]]
    for attr in ("alpha3", "code"):
        value = getattr(entity, attr, "")
        if value:
            parts.append(value)
    for attr in ("country", "origin"):
        value = getattr(entity, attr, None)
        if isinstance(value, Entity):
            parts.append(value.name)
    return " · ".join(parts)


def _describe(entity: Entity, match: Match) -> str:
    how = f"matched “{match.alias}” ({match.how}{', weak' if match.weak else ''})"
    return f"{_codes(entity)} · {how}"


def query_int(value: str | None, default: int, name: str) -> int:
    """A whole number from a query string (``limit``), checked."""
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit() and len(value) <= 6):
        raise BadRequest(f"{name} must be a whole number from 0 to 999999")
    return int(value)
