"""Sphinx configuration for the geonorm documentation.

Build (the same commands CI and Read the Docs run, from the repository root)::

    python -m sphinx -W -n --keep-going -b html docs docs/_build/html
    python -m sphinx -W -n -b doctest docs docs/_build/doctest
    python docs/check_links.py docs/_build/html

The data catalogue and the performance page are generated at build time from
the installed package's tables and from ``benchmarks/results/*.json`` by the
local extension in ``docs/_ext/geonorm_docs.py``. The build needs no network:
intersphinx reads the inventories shipped in ``docs/_intersphinx/``.
"""

from __future__ import annotations

import doctest
import sys
from importlib.metadata import version as _dist_version
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

# -- project ---------------------------------------------------------------

project = "geonorm"
author = "The geonorm developers"
copyright = "the geonorm developers, MIT licence"
release = _dist_version("geonorm")
version = ".".join(release.split(".")[:2])

# -- general ---------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "myst_parser",
    "sphinx_copybutton",
    "geonorm_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_intersphinx", "_ext", "README.md", ".gitignore"]
templates_path: list[str] = []
language = "en"
today_fmt = "%Y-%m-%d"

# Broken cross-references are errors (run with -W -n).
nitpicky = True
nitpick_ignore = [
    # Type variables and private helpers that appear in signatures.
    ("py:class", "E"),
    ("py:class", "geonorm.kinds.base.E"),
    ("py:obj", "geonorm.kinds.base.E"),
    ("py:class", "MentionHow"),
    ("py:class", "geonorm.extraction.mentions.MentionHow"),
    ("py:class", "How"),
    ("py:class", "geonorm.model.How"),
    # Third-party types of the integrations, whose inventories are not shipped.
    ("py:class", "pd.Series"),
    ("py:class", "pandas.core.series.Series"),
    ("py:class", "pandas.Series"),
    ("py:class", "pl.Expr"),
    ("py:class", "polars.expr.expr.Expr"),
    ("py:class", "polars.Expr"),
    ("py:class", "pyspark.sql.column.Column"),
    ("py:class", "pyspark.sql.Column"),
    ("py:class", "Column"),
    ("py:class", "starlette.applications.Starlette"),
    ("py:class", "Starlette"),
]
nitpick_ignore_regex = [
    # Literal values inside typing.Literal[...] annotations are rendered as
    # references by autodoc; they are values, not objects.
    ("py:class", r"'[a-z_]+'"),
]

# -- autodoc -----------------------------------------------------------------

autodoc_typehints = "description"
autodoc_typehints_description_target = "all"
autodoc_typehints_format = "short"
autodoc_member_order = "bysource"
autodoc_preserve_defaults = False
python_use_unqualified_type_names = True
add_module_names = False

# -- doctest -----------------------------------------------------------------

doctest_global_setup = """
import importlib.util, os, shutil
import geonorm
# The text functions on the API page show examples with their bare names.
from geonorm.text import fold, key, without_article, without_possessive
# The Spark recipe runs where pyspark and a Java runtime are installed.
java = shutil.which("java") or os.environ.get("JAVA_HOME")
spark_ready = importlib.util.find_spec("pyspark") is not None and bool(java)
"""
doctest_test_doctest_blocks = "default"
doctest_default_flags = (
    doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.DONT_ACCEPT_TRUE_FOR_1 | doctest.IGNORE_EXCEPTION_DETAIL
)

# -- intersphinx -------------------------------------------------------------
# Each project lists a local inventory first (shipped in docs/_intersphinx/,
# copied from Debian's python3.11-doc, python-babel-doc and python-attr-doc
# packages) and the project's own URL second. The local file always exists, so
# the build never needs the network and never warns; the URL is only a
# fallback should the local file be removed. Links point at the online docs.

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", (str(DOCS / "_intersphinx" / "python.inv"), None)),
    "attrs": ("https://www.attrs.org/en/stable", (str(DOCS / "_intersphinx" / "attrs.inv"), None)),
    "babel": ("https://babel.pocoo.org/en/latest", (str(DOCS / "_intersphinx" / "babel.inv"), None)),
}
intersphinx_timeout = 10
# Only explicit :external: or domain roles go through intersphinx; plain
# :doc: and :ref: targets stay local, so a typo is an error, not a silent
# link to another project.
intersphinx_disabled_reftypes = ["std:doc", "std:label"]

# -- MyST (only the changelog is Markdown) -------------------------------------

myst_heading_anchors = 3
suppress_warnings = [
    # CHANGELOG.md starts at "#" and uses "##" and "###"; included as one page.
    "myst.header",
]

# -- HTML --------------------------------------------------------------------

html_theme = "furo"
html_title = f"geonorm {release}"
html_short_title = "geonorm"
html_static_path = ["_static"]
html_css_files = ["geonorm.css"]
html_last_updated_fmt: str | None = None
html_show_sourcelink = False
html_copy_source = False
html_theme_options: dict[str, str] = {}
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
