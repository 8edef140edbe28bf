"""Local Sphinx extension for the geonorm docs.

* ``.. entity:: <id>`` directive and ``:entity:`<id>``` role: one catalogue
  entry per entity, findable through Sphinx's search and linkable from any
  page (a broken entity link fails a nitpicky build).
* At ``builder-inited`` it writes, under ``docs/generated/``:

  - ``catalogue/*.rst``: the data catalogue, from :func:`geonorm.entities`;
  - ``performance.rst.inc`` and ``performance-<name>.svg``: the benchmark table
    and chart, from ``benchmarks/results/<name>.json``.

  Files are rewritten only when their content changes, so incremental builds
  stay incremental. ``docs/generated/`` is not checked in. ``performance.rst.inc`` is included
  by ``performance.rst``; its suffix keeps Sphinx from building it alone.
* Types that autodoc finds in their defining module (``geonorm.model.Country``)
  are resolved to the public names they are documented under
  (``geonorm.Country``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

DOCS = Path(__file__).resolve().parent.parent
GENERATED = DOCS / "generated"
RESULTS = DOCS.parent / "benchmarks" / "results"

#: Locales whose names the catalogue shows for countries (CLDR, through babel).
CATALOGUE_LOCALES = ("ar", "de", "es", "fr", "hi", "ja", "ru", "zh")
#: Modules whose public names are re-exported from ``geonorm``.
_PRIVATE_MODULES = (
    "geonorm.model.",
    "geonorm.registry.",
    "geonorm.tables.",
    "geonorm.extraction.mentions.",
    "geonorm.extraction.",
)


# -- helpers -------------------------------------------------------------------


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless it already holds exactly that."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


_RST_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def esc(text: str) -> str:
    """Escape text for inline reST: every ASCII punctuation mark gets a
    backslash, so names such as ``*NSYNC`` or ``F-16_`` stay literal."""
    return _RST_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def ref(entity: Any) -> str:
    """An ``:entity:`` link to ``entity`` titled with its name."""
    name = " ".join(entity.name.split())
    if re.search(r"[`<>\\]", name):
        return f":entity:`{entity.id}`"
    return f":entity:`{name} <{entity.id}>`"


def heading(text: str, char: str) -> str:
    return f"{text}\n{char * len(text)}\n"


def joined(items: Iterable[str], sep: str = " · ") -> str:
    out = sep.join(items)
    return out or "—"


# -- the data catalogue ----------------------------------------------------------

_KIND_PAGES = {
    "country": ("countries", "Countries"),
    "currency": ("currencies", "Currencies"),
    "organisation": ("organisations", "Organisations"),
    "person": ("people", "People"),
    "weapon": ("weapons", "Weapons systems"),
}


def _entry(entity_id: str, lines: list[str]) -> str:
    body = "\n".join(f"   {line}" if line else "" for line in lines)
    return f".. entity:: {entity_id}\n\n{body}\n\n"


def _country_entry(c: Any) -> str:
    codes = [c.alpha2, c.alpha3, c.numeric]
    head = f"**{esc(c.name)}** · " + " · ".join(esc(x) for x in codes if x)
    lines = [head]
    if c.official_name and c.official_name != c.name:
        lines += ["", f"Official name: {esc(c.official_name)}"]
    if c.historic:
        lines += ["", "Dissolved state. Successors: " + joined(ref(s) for s in c.successors)]
    else:
        names = []
        for loc in CATALOGUE_LOCALES:
            n = c.name_in(loc)
            if n:
                names.append(f"{loc}: {esc(n)}")
        lines += ["", "Names: " + joined(names)]
    return _entry(c.id, lines)


def _currency_entry(c: Any) -> str:
    head = f"**{esc(c.name)}** · {esc(c.code)}" + (f" · {esc(c.numeric)}" if c.numeric else "")
    if c.historic:
        head += " · historic"
    lines = [head]
    symbols = list(dict.fromkeys(s for s in c.symbols if s != c.code))[:8]
    if symbols:
        lines += ["", "Symbols: " + joined(esc(s) for s in symbols)]
    if c.countries:
        lines += ["", "Used in: " + joined(ref(x) for x in c.countries)]
    return _entry(c.id, lines)


def _aliases(e: Any) -> list[str]:
    others = [a for a in dict.fromkeys(e.aliases) if a != e.name]
    return ["", "Aliases: " + joined(esc(a) for a in others)]


def _organisation_entry(o: Any) -> str:
    facts = [esc(o.type.replace("_", " "))]
    if o.country is not None:
        facts.append(ref(o.country))
    if o.parent is not None:
        facts.append("part of " + ref(o.parent))
    return _entry(o.id, [f"**{esc(o.name)}** · " + " · ".join(facts), *_aliases(o)])


def _role_text(r: Any) -> str:
    when = ""
    if r.start or r.end:
        start = r.start.isoformat() if r.start else "?"
        end = r.end.isoformat() if r.end else ""
        when = f" ({start} – {end})".replace(" )", ")")
    return esc(r.title) + when


def _person_entry(p: Any) -> str:
    facts = []
    if p.full_name and p.full_name != p.name:
        facts.append(esc(p.full_name))
    if p.country is not None:
        facts.append(ref(p.country))
    lines = [f"**{esc(p.name)}**" + "".join(f" · {f}" for f in facts), *_aliases(p)]
    if p.roles:
        lines += ["", "Roles: " + joined((_role_text(r) for r in p.roles), "; ")]
    return _entry(p.id, lines)


def _weapon_entry(w: Any) -> str:
    facts = [esc(w.category.replace("_", " "))]
    if w.origin is not None:
        facts.append("from " + ref(w.origin))
    if w.manufacturer is not None:
        facts.append("made by " + ref(w.manufacturer))
    if w.family is not None:
        facts.append("variant of " + ref(w.family))
    lines = [f"**{esc(w.name)}** · " + " · ".join(facts), *_aliases(w)]
    if w.reporting_names:
        lines += ["", "Reporting names: " + joined(esc(n) for n in w.reporting_names)]
    return _entry(w.id, lines)


_ENTRY = {
    "country": _country_entry,
    "currency": _currency_entry,
    "organisation": _organisation_entry,
    "person": _person_entry,
    "weapon": _weapon_entry,
}

_INTRO = {
    "country": (
        "Every country and dissolved state geonorm resolves to: ISO 3166-1 codes, the English display name, "
        "the official name and the CLDR name in a few major locales. Each country is also known by its names "
        "in every CLDR locale and by the curated aliases, demonyms and capitals of ``geonorm/data/countries/``; "
        "those are too many to list here (use :attr:`geonorm.Entity.aliases`)."
    ),
    "currency": (
        "Every ISO 4217 currency, current and historic, with its code, numeric code, a few of its symbols and "
        "the countries that use it. Each currency is also known by its CLDR names and plural forms in every "
        "locale and by the curated words of ``geonorm/data/currencies/``."
    ),
    "organisation": "Every organisation in ``geonorm/data/organisations/``, with its id, name and aliases.",
    "person": "Every person in ``geonorm/data/people/``, with id, name, aliases and roles.",
    "weapon": "Every weapons system in ``geonorm/data/weapons/``, with id, name, aliases and reporting names.",
}


def catalogue_pages() -> dict[str, str]:
    """File name -> reST text of every catalogue page."""
    import geonorm

    pages: dict[str, str] = {}
    counts = {}
    for kind, (slug, title) in _KIND_PAGES.items():
        ents = list(geonorm.entities(kind))
        counts[kind] = len(ents)
        text = [
            ".. This file is generated by docs/_ext/geonorm_docs.py at build time. Do not edit.\n\n",
            f".. _catalogue-{slug}:\n\n",
            heading(f"{title} ({len(ents):,})", "="),
            "\n",
            _INTRO[kind],
            "\n\nSearch this site for a name or an id to find its entry.\n\n",
        ]
        text.extend(_ENTRY[kind](e) for e in ents)
        pages[f"{slug}.rst"] = "".join(text)
    rows = "\n".join(
        f"   * - :doc:`{title} <{slug}>`\n     - {counts[kind]:,}\n     - ``{kind}:...``"
        for kind, (slug, title) in _KIND_PAGES.items()
    )
    toc = "\n".join(f"   {slug}" for slug, _ in _KIND_PAGES.values())
    pages["index.rst"] = f""".. This file is generated by docs/_ext/geonorm_docs.py at build time. Do not edit.

.. _catalogue:

Data catalogue
==============

Every entity that geonorm {geonorm.__version__} ships, generated from the tables when these pages were
built. Use the search box with a name, an alias or an id (``organisation:rosneft``); an id found by the
search jumps straight to its entry. Missing something? See :doc:`/extending` to add it for yourself or
to the shipped tables.

.. list-table::
   :header-rows: 1

   * - kind
     - entities
     - ids
{rows}

.. toctree::
   :maxdepth: 1

{toc}
"""
    return pages


# -- performance -----------------------------------------------------------------

_LIB_ORDER_FIRST = "geonorm"


@dataclass(frozen=True)
class Field:
    """How one benchmark figure is labelled, formatted and compared."""

    label: str
    fmt: Callable[[float], str]
    better: str | None  # "higher", "lower" or None (neither)
    scale_max: float | None = None  # fixed top of the bar scale (1.0 for shares)


def _pct(v: float) -> str:
    return f"{v:.1%}"


#: Known result fields, in display order; other fields follow with plain labels.
FIELDS: dict[str, Field] = {
    "accuracy": Field("accuracy", _pct, "higher", 1.0),
    "fuzzy_accuracy": Field("typo accuracy (fuzzy mode)", _pct, "higher", 1.0),
    "strings_per_second": Field("strings/s (distinct, uncached)", lambda v: f"{v:,.0f}", "higher"),
    "start_seconds": Field("start + first resolve", lambda v: f"{v:.3f} s", "lower"),
    "rows_per_second": Field("rows/s", lambda v: f"{v:,.0f}", "higher"),
    "matched": Field("rows matched", lambda v: f"{v:,.0f}", None),
    "mb_per_second": Field("MB/s", lambda v: f"{v:.2f}", "higher"),
    "sentence_microseconds": Field("one short sentence, warm", lambda v: f"{v:.1f} µs", "lower"),
    "seconds": Field("fresh process to first answer", lambda v: f"{v:.2f} s", "lower"),
    "vs_countrynames": Field("times countrynames' first call", lambda v: f"{v:.2f}x", "lower"),
    "memory_mb": Field("memory over a bare interpreter", lambda v: f"{v:,.0f} MB", "lower"),
    "scan_seconds": Field("scan time", lambda v: f"{v:.2f} s", "lower"),
    "build_seconds": Field("build time", lambda v: f"{v:.2f} s", "lower"),
    "matcher_memory_mb": Field("matcher memory", lambda v: f"{v:,.0f} MB", "lower"),
    "peak_rss_mb": Field("peak RSS", lambda v: f"{v:,.0f} MB", "lower"),
    "mentions": Field("mentions found", lambda v: f"{v:,.0f}", None),
    "precision": Field("precision", _pct, "higher", 1.0),
    "recall": Field("recall", _pct, "higher", 1.0),
    "found": Field("mentions found", lambda v: f"{v:,.0f}", None),
    "queries_per_second": Field("queries/s", lambda v: f"{v:,.0f}", "higher"),
    "median_ms": Field("batch latency, median", lambda v: f"{v:.1f} ms", "lower"),
    "p95_ms": Field("batch latency, 95th percentile", lambda v: f"{v:.1f} ms", "lower"),
    "max_ms": Field("batch latency, worst", lambda v: f"{v:.1f} ms", "lower"),
    "batches": Field("batches answered", lambda v: f"{v:,.0f}", None),
    "holder_microseconds": Field("µs per holder()", lambda v: f"{v:.1f} µs", "lower"),
    "extract_seconds_1_25mb": Field("extract, 1.25 MB", lambda v: f"{v:.2f} s", "lower"),
    "extract_seconds_5mb": Field("extract, 5 MB", lambda v: f"{v:.2f} s", "lower"),
    "extract_seconds_10mb": Field("extract, 10 MB", lambda v: f"{v:.2f} s", "lower"),
    "extract_seconds_20mb": Field("extract, 20 MB", lambda v: f"{v:.2f} s", "lower"),
    "growth_8x": Field("time for 8x the text (linear: 8x)", lambda v: f"{v:.1f}x", "lower"),
    "growth_16x": Field("time for 16x the text (linear: 16x)", lambda v: f"{v:.1f}x", "lower"),
    "resolve_worst_ms": Field("resolve, worst 10,000-character input", lambda v: f"{v:.1f} ms", "lower"),
    "resolve_growth_16x": Field("resolve, time for 16x the input", lambda v: f"{v:.1f}x", "lower"),
    "resolve_20mb_ms": Field("resolve, 20 MB (refused)", lambda v: f"{v:.3f} ms", "lower"),
    "add_seconds": Field("add_many, all entities", lambda v: f"{v:.1f} s", "lower"),
    "add_mb": Field("memory of the additions", lambda v: f"{v:,.0f} MB", "lower"),
    "resolve_kind_none_per_second": Field("resolve(kind=None), strings/s", lambda v: f"{v:,.0f}", "higher"),
    "resolve_kind_person_per_second": Field('resolve(kind="person"), strings/s', lambda v: f"{v:,.0f}", "higher"),
}
_META = {
    "plain_cases": lambda v: f"{v:,} cases without options",
    "fuzzy_cases": lambda v: f"{v:,} typo cases",
    "megabytes": lambda v: f"{v:.1f} MB of text",
    "aliases": lambda v: f"{v:,} aliases",
    "batch": lambda v: f"batches of {v} queries",
    "names": lambda v: f"queries drawn from {v:,} names",
    "cases": lambda v: f"{v:,} holder cases",
    "roles_grown": lambda v: f"{v:,} roles in the grown registry",
    "sizes_mb": lambda v: "texts of " + ", ".join(f"{x:g}" for x in v) + " MB",
    "rounds": lambda v: f"best of {v} rounds",
    "entities": lambda v: f"{v:,} synthetic entities",
    "strings_all_kinds": lambda v: f"{v:,} strings of all kinds a round",
    "strings_countries": lambda v: f"{v:,} country strings a round",
    "python": lambda v: f"Python {v}",
    # The interpreter's speed (benchmarks/machine.py): runs on other machines or builds compare by it.
    "python_sum_range_1000_us": lambda v: f"``sum(range(1000))`` in {v:g} µs",
    "python_start_seconds": lambda v: f"a bare ``python -c pass`` takes {v:.3f} s",
}


def _field(name: str) -> Field:
    return FIELDS.get(name) or Field(name.replace("_", " "), lambda v: f"{v:,.3g}", None)


def _fields(results: dict[str, dict[str, Any]]) -> list[str]:
    present = {k for row in results.values() for k, v in row.items() if v is None or isinstance(v, int | float)}
    return [k for k in FIELDS if k in present] + sorted(present - set(FIELDS))


def _ordered(results: dict[str, dict[str, Any]]) -> list[str]:
    """geonorm first, then the others by the first figure, best first."""
    fields = _fields(results)
    first = fields[0] if fields else None
    sign = -1 if first is None or _field(first).better != "lower" else 1

    def rank(lib: str) -> tuple[bool, float, str]:
        v = results[lib].get(first) if first else None
        return (lib != _LIB_ORDER_FIRST, sign * float(v) if v is not None else float("inf"), lib)

    return sorted(results, key=rank)


def _meta_text(meta: dict[str, Any], plain: bool = False) -> str:
    parts = [_META[k](meta[k]) for k in _META if k in meta and k != "python_start_seconds"]
    text = ", ".join(parts)
    if "python_start_seconds" in meta and not plain:
        text += f" ({_META['python_start_seconds'](float(meta['python_start_seconds']))})"
    return text.replace("``", "") if plain else text


def performance_svg(name: str, data: dict[str, Any]) -> str:
    """A bar chart of one benchmark result file (one panel per figure), as SVG text."""
    results = data["results"]
    libs = _ordered(results)
    width, label_w, bar_w, row_h, gap = 760, 170, 450, 22, 6
    title_h, panel_pad = 28, 18
    y = 56
    parts: list[str] = []
    meta = data.get("meta", {})
    for key in _fields(results):
        spec = _field(key)
        values = [results[lib].get(key) for lib in libs]
        known = [float(v) for v in values if v is not None]
        top = spec.scale_max or (max(known) if known else 1.0) or 1.0
        hint = {"higher": " (higher is better)", "lower": " (lower is better)"}.get(spec.better or "", "")
        title = spec.label[0].upper() + spec.label[1:] + hint
        parts.append(f'<text x="10" y="{y + 18}" class="t">{html.escape(title)}</text>')
        y += title_h
        panel_top = y
        for lib, v in zip(libs, values, strict=True):
            cls = "g" if lib == _LIB_ORDER_FIRST else "o"
            parts.append(f'<text x="{label_w - 8}" y="{y + 15}" class="l" text-anchor="end">{html.escape(lib)}</text>')
            if v is None:
                parts.append(f'<text x="{label_w + 4}" y="{y + 15}" class="v">not measured</text>')
            else:
                w = max(1.0, bar_w * float(v) / top)
                label = html.escape(spec.fmt(float(v)))
                parts.append(
                    f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 4}" class="{cls}">'
                    f"<title>{html.escape(lib)}: {label}</title></rect>"
                )
                parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" class="v">{label}</text>')
            y += row_h + gap
        if key == "start_seconds" and meta.get("python_start_seconds"):
            base = float(meta["python_start_seconds"])
            x = label_w + bar_w * base / top
            parts.append(f'<line x1="{x:.1f}" y1="{panel_top}" x2="{x:.1f}" y2="{y - gap}" class="b"/>')
            parts.append(f'<text x="{x + 4:.1f}" y="{y + 12}" class="n">bare python -c pass: {base:.3f} s</text>')
            y += 16
        y += panel_pad
    caption = f"geonorm benchmark: {name}"
    subtitle = _meta_text(meta, plain=True) if meta else ""
    height = y + 10
    style = (
        "text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:13px;fill:#1a202c}"
        ".t{font-weight:600;font-size:14px}.h{font-weight:700;font-size:16px}.n{font-size:11px;fill:#4a5568}"
        ".g{fill:#2b6cb0}.o{fill:#a0aec0}.b{stroke:#c53030;stroke-dasharray:4 3;stroke-width:1.5}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title">\n'
        f'<title id="title">{html.escape(caption)}{": " + html.escape(subtitle) if subtitle else ""}</title>\n'
        f"<style>{style}</style>\n"
        f'<rect width="100%" height="100%" fill="#ffffff"/>\n'
        f'<text x="10" y="24" class="h">{html.escape(caption)}</text>\n'
        f'<text x="10" y="42" class="n">{html.escape(subtitle)}</text>\n' + "\n".join(parts) + "\n</svg>\n"
    )


def performance_rst(files: dict[str, dict[str, Any]]) -> str:
    out = [".. This file is generated by docs/_ext/geonorm_docs.py at build time. Do not edit.\n\n"]
    if not files:
        out.append("No benchmark results were found in ``benchmarks/results/``.\n")
        return "".join(out)
    for name, data in sorted(files.items()):
        results = data["results"]
        fields = _fields(results)
        meta = data.get("meta", {})
        out.append(f".. _benchmark-{name}:\n\n")
        out.append(heading(f"Results: {name}", "-"))
        out.append("\n")
        if meta:
            out.append(_meta_text(meta) + ". ")
        out.append(f"From ``benchmarks/results/{name}.json``.\n\n")
        out.append(".. list-table::\n   :header-rows: 1\n\n")
        out.append("   * - library\n" + "".join(f"     - {_field(k).label}\n" for k in fields))
        for lib in _ordered(results):
            row = results[lib]
            out.append(f"   * - {lib}\n")
            for k in fields:
                v = row.get(k)
                out.append(f"     - {'n/a' if v is None else _field(k).fmt(float(v))}\n")
        out.append(
            f"\n.. figure:: /generated/performance-{name}.svg\n"
            f"   :alt: bar charts of {', '.join(_field(k).label for k in fields)} per library for {name}\n"
            f"   :width: 100%\n\n"
            f"   Generated from ``benchmarks/results/{name}.json`` when these pages were built.\n\n"
        )
    return "".join(out)


def read_results() -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    if RESULTS.is_dir():
        for path in sorted(RESULTS.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and isinstance(data.get("results"), dict):
                files[path.stem] = data
    return files


# -- Sphinx hooks ------------------------------------------------------------------


def generate(app: Sphinx | None = None) -> list[Path]:
    """Write every generated page; returns the paths that changed."""
    changed = []
    for fname, text in catalogue_pages().items():
        path = GENERATED / "catalogue" / fname
        if write_if_changed(path, text):
            changed.append(path)
    results = read_results()
    for name, data in results.items():
        path = GENERATED / f"performance-{name}.svg"
        if write_if_changed(path, performance_svg(name, data)):
            changed.append(path)
    path = GENERATED / "performance.rst.inc"
    if write_if_changed(path, performance_rst(results)):
        changed.append(path)
    return changed


def _on_builder_inited(app: Sphinx) -> None:
    generate(app)


def _on_missing_reference(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> nodes.reference | None:
    """Resolve ``geonorm.model.Country`` (where autodoc finds the class) to
    ``geonorm.Country`` (where the reference documents it)."""
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    for prefix in _PRIVATE_MODULES:
        if target.startswith(prefix):
            public = "geonorm." + target[len(prefix) :]
            domain = env.domains["py"]
            return domain.resolve_xref(  # type: ignore[no-any-return]
                env, node.get("refdoc", ""), app.builder, node.get("reftype", "class"), public, node, contnode
            )
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_object_type(
        "entity",
        "entity",
        objname="geonorm entity",
        indextemplate="",
        ref_nodeclass=nodes.inline,
    )
    app.connect("builder-inited", _on_builder_inited)
    app.connect("missing-reference", _on_missing_reference)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
