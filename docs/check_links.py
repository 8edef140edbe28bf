"""Check the internal links of a built HTML site.

Usage: ``python docs/check_links.py docs/_build/html``

Every ``href`` and ``src`` in every ``.html`` file that points inside the site
(no scheme, not protocol-relative) must name a file that exists, and a
``#fragment`` on a link to an HTML page must name an ``id`` (or an ``<a
name>``) in that page. External links are not checked: the build runs offline.
Exits 0 when every link resolves, 1 otherwise, listing each broken link as
``page: link (reason)``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["Page", "broken_links", "main", "parse_page"]

_LINK_ATTRS = {"a": ("href",), "link": ("href",), "img": ("src",), "script": ("src",), "iframe": ("src",)}


class Page(HTMLParser):
    """The anchors a page defines and the links it makes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id",) + (("name",) if tag == "a" else ()):
            value = values.get(name)
            if value:
                self.anchors.add(value)
        for name in _LINK_ATTRS.get(tag, ()):
            value = values.get(name)
            if value is not None:
                self.links.append(value)


def parse_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    return page


def _is_internal(link: str) -> bool:
    parts = urlsplit(link)
    return not parts.scheme and not parts.netloc and not link.startswith("//")


def broken_links(root: Path, pages: Iterable[Path] | None = None) -> list[str]:
    """Every broken internal link under ``root``, as ``page: link (reason)``."""
    root = root.resolve()
    html_files = sorted(root.rglob("*.html")) if pages is None else [p.resolve() for p in pages]
    parsed: dict[Path, Page] = {}

    def page_of(path: Path) -> Page:
        if path not in parsed:
            parsed[path] = parse_page(path)
        return parsed[path]

    problems: list[str] = []
    for source in html_files:
        rel_source = source.relative_to(root)
        for raw in page_of(source).links:
            link = raw.strip()
            if not link or not _is_internal(link):
                continue
            parts = urlsplit(link)
            target_path = unquote(parts.path)
            if target_path.startswith("/"):
                problems.append(f"{rel_source}: {link} (absolute path; the site must work from any prefix)")
                continue
            target = (source.parent / target_path).resolve() if target_path else source
            if target.is_dir():
                target = target / "index.html"
            try:
                target.relative_to(root)
            except ValueError:
                problems.append(f"{rel_source}: {link} (points outside the site)")
                continue
            if not target.is_file():
                problems.append(f"{rel_source}: {link} (no such file)")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in page_of(target).anchors:
                problems.append(f"{rel_source}: {link} (no anchor #{fragment} in {target.relative_to(root)})")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the internal links of a built HTML site.")
    parser.add_argument("root", type=Path, help="the HTML output directory, such as docs/_build/html")
    args = parser.parse_args(argv)
    root: Path = args.root
    if not (root / "index.html").is_file():
        print(f"error: {root} has no index.html; build the docs first", file=sys.stderr)
        return 2
    problems = broken_links(root)
    pages = sum(1 for _ in root.rglob("*.html"))
    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} broken internal link(s) in {pages} pages", file=sys.stderr)
        return 1
    print(f"all internal links resolve ({pages} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
