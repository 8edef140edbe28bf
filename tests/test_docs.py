"""The documentation covers the public surface, and the built site has no
broken internal links.

The link check needs the built HTML (``python -m sphinx -W -n --keep-going -b
html docs docs/_build/html``); without it the test is skipped, saying so.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import geonorm

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
API_SOURCE = DOCS / "api.rst"
BUILT_HTML = DOCS / "_build" / "html"

# An autodoc directive, or a plain Python-domain one for names autodoc cannot
# document well (``__version__``, a str whose docstring is str's).
_DOCUMENTS = re.compile(
    r"^\.\. (?:auto|py:)?(?:function|class|data|exception|attribute|method|decorator)::\s+(\S+)", re.M
)


def documented_names(source: str) -> set[str]:
    """Top-level names an autodoc (or Python-domain) directive documents in
    ``source``, with any ``geonorm.`` prefix removed."""
    names = set()
    for target in _DOCUMENTS.findall(source):
        name = target.removeprefix("geonorm.")
        if "." not in name:
            names.add(name)
    return names


def _check_links() -> ModuleType:
    spec = importlib.util.spec_from_file_location("geonorm_docs_check_links", DOCS / "check_links.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_documented_names_parser() -> None:
    source = (
        ".. autofunction:: resolve\n\n.. autoclass:: geonorm.Country\n   :members:\n.. autodata:: KINDS\n"
        ".. data:: __version__\n.. automethod:: Registry.add\n.. module:: geonorm\n"
    )
    assert documented_names(source) == {"resolve", "Country", "KINDS", "__version__"}


def test_every_public_name_is_in_the_api_reference() -> None:
    documented = documented_names(API_SOURCE.read_text(encoding="utf-8"))
    missing = sorted(set(geonorm.__all__) - documented)
    assert not missing, f"in geonorm.__all__ but not in {API_SOURCE.relative_to(ROOT)}: {', '.join(missing)}"


def test_the_api_reference_documents_only_public_names() -> None:
    documented = documented_names(API_SOURCE.read_text(encoding="utf-8"))
    extra = sorted(documented - set(geonorm.__all__))
    assert not extra, f"documented in {API_SOURCE.relative_to(ROOT)} but not in geonorm.__all__: {', '.join(extra)}"


def test_link_checker_finds_broken_links(tmp_path: Path) -> None:
    check_links = _check_links()
    (tmp_path / "index.html").write_text(
        '<a href="other.html#here">ok</a> <a href="other.html#gone">x</a> <a href="missing.html">y</a>'
        '<a href="https://example.org/">external</a> <a id="top" href="#top">self</a>',
        encoding="utf-8",
    )
    (tmp_path / "other.html").write_text('<h1 id="here">Here</h1><img src="_images/none.svg">', encoding="utf-8")
    problems = check_links.broken_links(tmp_path)
    assert problems == [
        "index.html: other.html#gone (no anchor #gone in other.html)",
        "index.html: missing.html (no such file)",
        "other.html: _images/none.svg (no such file)",
    ]
    assert check_links.main([str(tmp_path)]) == 1


@pytest.mark.skipif(
    not (BUILT_HTML / "index.html").is_file(),
    reason="docs not built: run python -m sphinx -W -n --keep-going -b html docs docs/_build/html first",
)
def test_built_site_has_no_broken_internal_links() -> None:
    problems = _check_links().broken_links(BUILT_HTML)
    assert not problems, "broken internal links:\n" + "\n".join(problems)


def test_service_page_lists_every_property() -> None:
    pytest.importorskip("starlette", reason="the service needs geonorm[serve]")
    from geonorm.service.properties import PROPERTIES

    page = (DOCS / "service.rst").read_text(encoding="utf-8")
    missing = [p.id for p in PROPERTIES if f"``{p.id}``" not in page]
    assert not missing, f"docs/service.rst does not describe {missing}"
