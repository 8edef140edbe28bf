"""Names from the standards: ISO 3166 and ISO 4217 through pycountry, and
every CLDR locale through babel. Used only by the compile step, never at
import or resolve time.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections import Counter, defaultdict
from typing import Any

from .. import index as ix
from .assemble import Name
from .inflect import INFLECTED_LANGUAGES, forms

__all__ = ["country_records", "currency_records", "locales", "region_names", "source_versions", "standard_records"]

#: Currencies in use are read from CLDR as of this day, so the index does not
#: change with the day the compile step runs.
TENDER_AS_OF = dt.date(2026, 11, 1)
# ISO 4217 entries that are not currencies people trade in.
_NOT_MONEY = frozenset({"XAU", "XAG", "XPT", "XPD", "XTS", "XXX", "XBA", "XBB", "XBC", "XBD", "XSU", "XUA"})
# CLDR territory codes that are not ISO 3166-1 countries (regions, groupings,
# pseudo-locales, exceptionally reserved codes).
_CLDR_KEEP_EXTRA = frozenset({"XK"})


def source_versions() -> dict[str, str]:
    from importlib.metadata import version

    import babel
    import pycountry  # noqa: F401  (version read from metadata)

    return {
        "babel": babel.__version__,
        "pycountry": version("pycountry"),
        # Russian and Ukrainian case forms (geonorm.compile.inflect).
        "pymorphy3": version("pymorphy3"),
        "pymorphy3-dicts-ru": version("pymorphy3-dicts-ru"),
        "pymorphy3-dicts-uk": version("pymorphy3-dicts-uk"),
        # Traditional characters of Chinese names (geonorm.compile.inflect).
        "opencc": version("opencc"),
    }


def locales() -> list[Any]:
    from babel import Locale
    from babel.localedata import locale_identifiers

    return [Locale.parse(ident) for ident in sorted(locale_identifiers())]


def _is_english(locale: Any) -> bool:
    return str(locale) == "en"


#: Languages whose standard names are also looked for in running text (the
#: major news languages; see the languages page of the docs). Names from the
#: other CLDR locales still resolve, but "Kota" (Qatar in one locale) or
#: "Malé" in English prose are no mentions.
NEWS_LANGUAGES = frozenset(
    {"ar", "de", "es", "fa", "fr", "he", "hi", "it", "ja", "ko", "pl", "pt", "ru", "tr", "uk", "ur", "zh"}
)


def _locale_type(eid_text: tuple[str, str], english: set[tuple[str, str]], news: set[tuple[str, str]]) -> int:
    if eid_text in english:
        return ix.STRONG
    return ix.NEWS_LOCALE if eid_text in news else ix.LOCALE


def _attr(obj: Any, name: str) -> str:
    try:
        value = getattr(obj, name)
    except (AttributeError, KeyError):
        return ""
    return str(value) if value else ""


def region_names(all_locales: list[Any]) -> set[str]:
    """CLDR's English names of regions and groupings (Africa, Europe, European Union...)."""
    names: set[str] = set()
    for loc in all_locales:
        if not _is_english(loc):
            # Other locales' region names collide with country names
            # ("Afrique du Sud" is a region in one locale, a country in French).
            continue
        for code, name in loc.territories.items():
            if not code.isalpha() or code in {"EU", "EZ", "UN", "QO", "ZZ"}:
                names.add(str(name))
    return names


def _display_name(country: Any, cldr: str) -> str:
    """ISO's common name, else CLDR's English name unless it is a compound
    form ("Congo - Kinshasa", "Myanmar (Burma)"), else ISO's name."""
    common = _attr(country, "common_name")
    if common:
        return common
    if cldr and not any(mark in cldr for mark in ("(", " - ", " SAR", "&", "St.")):
        return cldr
    return _attr(country, "name")


def country_records(all_locales: list[Any]) -> tuple[dict[str, dict[str, Any]], list[Name]]:
    """Entities and names for every ISO 3166-1 country and Kosovo."""
    import pycountry
    from babel import Locale

    cldr_en = Locale.parse("en").territories
    entities: dict[str, dict[str, Any]] = {}
    names: list[Name] = []
    for c in pycountry.countries:
        eid = f"country:{c.alpha_2}"
        entities[eid] = {
            "id": eid,
            "name": _display_name(c, str(cldr_en.get(c.alpha_2, ""))),
            "alpha2": c.alpha_2,
            "alpha3": c.alpha_3,
            "numeric": c.numeric,
            "official_name": _attr(c, "official_name") or _attr(c, "name"),
            "historic": False,
        }
        for field in ("name", "official_name", "common_name"):
            text = _attr(c, field)
            if text:
                names.append(Name(eid, text, ix.STRONG, False, "pycountry"))
        for code in (c.alpha_2, c.alpha_3, c.numeric):
            names.append(Name(eid, code, ix.CODE, False, "pycountry"))
    entities["country:XK"] = {
        "id": "country:XK",
        "name": "Kosovo",
        "alpha2": "XK",
        "alpha3": "XKX",
        "numeric": "",
        "official_name": "Republic of Kosovo",
        "historic": False,
    }
    names.append(Name("country:XK", "XK", ix.CODE, False, "user-assigned code"))
    names.append(Name("country:XK", "Kosovo", ix.STRONG, False, "cldr"))

    counts: dict[tuple[str, str], int] = Counter()
    english: set[tuple[str, str]] = set()
    news: set[tuple[str, str]] = set()
    inflected: dict[tuple[str, str], str] = {}
    for loc in all_locales:
        for code, name in loc.territories.items():
            eid = f"country:{code}"
            if eid not in entities:
                continue
            counts[(eid, str(name))] += 1
            if _is_english(loc):
                english.add((eid, str(name)))
            elif loc.language in NEWS_LANGUAGES:
                news.add((eid, str(name)))
                if loc.language in INFLECTED_LANGUAGES:
                    inflected[(eid, str(name))] = loc.language
    for (eid, text), n in sorted(counts.items()):
        names.append(Name(eid, text, _locale_type((eid, text), english, news), False, "cldr", n))
    # Russian and Ukrainian names in every case ("Индии", "Індії").
    for (eid, text), lang in sorted(inflected.items()):
        for form in forms(text, lang)[1:]:
            names.append(Name(eid, form, ix.NEWS_LOCALE, False, "cldr + pymorphy3", counts[(eid, text)]))
    return entities, names


def historic_country(alpha4: str) -> dict[str, Any] | None:
    """ISO 3166-3 facts for a former country, by its alpha-4 code."""
    import pycountry

    for h in pycountry.historic_countries:
        if h.alpha_4 == alpha4:
            return {
                "alpha2": _attr(h, "alpha_2"),
                "alpha3": _attr(h, "alpha_3"),
                "numeric": _attr(h, "numeric"),
                "official_name": _attr(h, "name"),
                "withdrawn": _attr(h, "withdrawal_date"),
            }
    return None


def currency_records(all_locales: list[Any]) -> tuple[dict[str, dict[str, Any]], list[Name]]:
    """Entities and names for every current ISO 4217 currency and every
    historic one CLDR names."""
    import pycountry
    from babel.numbers import get_territory_currencies

    entities: dict[str, dict[str, Any]] = {}
    names: list[Name] = []
    for cur in pycountry.currencies:
        if cur.alpha_3 in _NOT_MONEY:
            continue
        eid = f"currency:{cur.alpha_3}"
        entities[eid] = {
            "id": eid,
            "name": _attr(cur, "name"),
            "code": cur.alpha_3,
            "numeric": _attr(cur, "numeric"),
            "historic": False,
            "symbols": [],
            "countries": [],
        }
        names.append(Name(eid, _attr(cur, "name"), ix.STRONG, False, "pycountry"))
        names.append(Name(eid, cur.alpha_3, ix.CODE, False, "pycountry"))
        if _attr(cur, "numeric"):
            names.append(Name(eid, cur.numeric, ix.CODE, False, "pycountry"))

    english = next(loc for loc in all_locales if _is_english(loc))
    for code, name in sorted(english.currencies.items()):
        eid = f"currency:{code}"
        if eid in entities or code in _NOT_MONEY or not (len(code) == 3 and code.isalpha() and code.isupper()):
            continue
        entities[eid] = {
            "id": eid,
            "name": str(name),
            "code": code,
            "numeric": "",
            "historic": True,
            "symbols": [],
            "countries": [],
        }
        names.append(Name(eid, code, ix.CODE, False, "cldr"))

    counts: dict[tuple[str, str], int] = Counter()
    english_names: set[tuple[str, str]] = set()
    news: set[tuple[str, str]] = set()
    symbols: dict[str, Counter[str]] = defaultdict(Counter)
    for loc in all_locales:
        is_en = _is_english(loc)
        is_news = loc.language in NEWS_LANGUAGES
        plural = loc._data["currency_names_plural"]
        for code, name in loc.currencies.items():
            eid = f"currency:{code}"
            if eid not in entities:
                continue
            texts = {str(name)}
            forms = plural.get(code)
            if forms:
                texts.update(str(v) for v in forms.values())
            for text in texts:
                counts[(eid, text)] += 1
                if is_en:
                    english_names.add((eid, text))
                elif is_news:
                    news.add((eid, text))
        for code, sym in loc.currency_symbols.items():
            eid = f"currency:{code}"
            if eid in entities and sym and str(sym) != code:
                symbols[eid][str(sym)] += 1
    for (eid, text), n in sorted(counts.items()):
        names.append(Name(eid, text, _locale_type((eid, text), english_names, news), False, "cldr", n))
    for eid, syms in sorted(symbols.items()):
        for sym, n in sorted(syms.items()):
            names.append(Name(eid, sym, ix.LOCALE, False, "cldr symbol", n))
        entities[eid]["symbols"] = sorted(syms, key=lambda s: (-syms[s], s))

    territories = {str(c.alpha_2) for c in pycountry.countries} | {"XK"}
    for terr in sorted(territories):
        for code in get_territory_currencies(terr, start_date=TENDER_AS_OF, tender=True):
            eid = f"currency:{code}"
            if eid in entities and f"country:{terr}" not in entities[eid]["countries"]:
                entities[eid]["countries"].append(f"country:{terr}")
    return entities, names


@functools.cache
def _standard() -> tuple[Any, ...]:
    all_locales = locales()
    return (*country_records(all_locales), *currency_records(all_locales), region_names(all_locales))


def standard_records() -> tuple[dict[str, dict[str, Any]], list[Name], dict[str, dict[str, Any]], list[Name], set[str]]:
    """``(countries, country names, currencies, currency names, region names)``
    from pycountry and babel: read once per process (they do not depend on
    the tables), and copied for each build, which changes them."""
    countries, country_names, currencies, currency_names, regions = _standard()
    return (
        copy.deepcopy(countries),
        list(country_names),
        copy.deepcopy(currencies),
        list(currency_names),
        set(regions),
    )
