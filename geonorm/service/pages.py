"""The service's HTML: an entity's preview card and page, and the look-up
page. Plain HTML and CSS, no JavaScript; every value is escaped.

>>> import geonorm
>>> html = preview(geonorm.default_registry, geonorm.get("country:IN"))
>>> "India" in html and "IND" in html and "<script" not in html
True
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from ..model import Entity, Match
from ..registry import Registry
from . import properties
from .properties import KIND_NAMES

__all__ = ["lookup", "not_found", "preview", "view"]

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1em; color: #222; }
h1 { font-size: 1.3em; margin: 0 0 .2em; } .kind { color: #666; }
table { border-collapse: collapse; } td, th { padding: .2em .6em; text-align: left; vertical-align: top; }
th { color: #555; font-weight: normal; } .match { font-weight: bold; } .muted { color: #777; }
"""

#: Aliases a preview card shows, at most.
_CARD_ALIASES = 8


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body>\n{body}\n</body></html>\n"
    )


def _link(entity: Entity) -> str:
    return _id_link(entity.id, entity.name)


def _id_link(entity_id: str, name: str) -> str:
    return f'<a href="view?{urlencode({"id": entity_id})}">{escape(name)}</a>'


def _rows(registry: Registry, entity: Entity, aliases: int | None) -> str:
    rows = [f"<tr><th>id</th><td><code>{escape(entity.id)}</code></td></tr>"]
    for prop in properties.PROPERTIES:
        if prop.id == "name" or entity.kind not in prop.kinds:
            continue
        cells = properties.values(registry, entity, prop.id)
        if not cells:
            continue
        shown = ", ".join(_id_link(c["id"], c["name"]) if "id" in c else escape(c["str"]) for c in cells[:20])
        rows.append(f"<tr><th>{escape(prop.name)}</th><td>{shown}</td></tr>")
    names = [a for a in entity.aliases if a != entity.name]
    if names:
        more = (
            "" if aliases is None or len(names) <= aliases else f' <span class="muted">+{len(names) - aliases}</span>'
        )
        listed = names if aliases is None else names[:aliases]
        rows.append(f"<tr><th>also</th><td>{escape(', '.join(listed))}{more}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def preview(registry: Registry, entity: Entity) -> str:
    """A small card for ``entity``: name, kind, codes and links, main aliases."""
    body = f'<h1>{escape(entity.name)}</h1><div class="kind">{escape(KIND_NAMES[entity.kind])}</div>' + _rows(
        registry, entity, _CARD_ALIASES
    )
    return _page(entity.name, body)


def view(registry: Registry, entity: Entity) -> str:
    """The page of ``entity``: the card with every alias."""
    body = (
        f'<p><a href="lookup">look up a name</a></p><h1>{escape(entity.name)}</h1>'
        f'<div class="kind">{escape(KIND_NAMES[entity.kind])}</div>' + _rows(registry, entity, None)
    )
    return _page(entity.name, body)


def not_found(entity_id: str) -> str:
    """The page for an id no entity has."""
    return _page("Not found", f"<p>No entity has the id <code>{escape(entity_id)}</code>.</p>")


def lookup(query: str, kind: str | None, found: list[Match], best: Entity | None, error: str | None = None) -> str:
    """The look-up page: a form, and for ``query`` the candidates with how
    each matched and which one :func:`geonorm.resolve` returns."""
    options = ['<option value="">any kind</option>'] + [
        f'<option value="{k}"{" selected" if k == kind else ""}>{escape(n)}</option>' for k, n in KIND_NAMES.items()
    ]
    form = (
        '<form method="get" action="lookup"><label>Name <input name="q" size="40" '
        f'value="{escape(query)}" autofocus></label> <select name="kind">{"".join(options)}</select> '
        '<button type="submit">Look up</button></form>'
    )
    parts = ["<h1>geonorm look-up</h1>", form]
    if error:
        parts.append(f'<p class="error">{escape(error)}</p>')
    elif query.strip():
        if best is not None:
            verdict = f'<p id="answer">resolve → <span class="match">{_link(best)}</span></p>'
        elif found:
            verdict = '<p id="answer">resolve → None: ambiguous, these are the candidates</p>'
        else:
            verdict = '<p id="answer">resolve → None: no entity has this name</p>'
        parts.append(verdict)
        if found:
            head = "<tr><th>entity</th><th>kind</th><th>id</th><th>score</th><th>how</th><th>alias</th></tr>"
            rows = [
                f"<tr{' class=match' if m.entity is best else ''}><td>{_link(m.entity)}</td>"
                f"<td>{escape(KIND_NAMES[m.entity.kind])}</td><td><code>{escape(m.entity.id)}</code></td>"
                f"<td>{m.score:.2f}</td><td>{escape(m.how)}{' (weak)' if m.weak else ''}</td>"
                f"<td>{escape(m.alias)}</td></tr>"
                for m in found
            ]
            parts.append(f'<table id="candidates">{head}{"".join(rows)}</table>')
    return _page("geonorm look-up" + (f": {query}" if query else ""), "\n".join(parts))
