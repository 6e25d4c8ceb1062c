"""The finishing pass: a page as an engine wrote it → the page as it is published. It owns
everything done to built pages that needs no engine's internals, and works on HTML text, never on
an engine's objects, so that every engine's build is finished by this one code path (the MkDocs
and ProperDocs plugin calls :func:`finish_page` for each page as it is written; ``./ledger
finish SITE`` runs :func:`finish_site` over a site that any engine built from ``./ledger export``).

A page is finished by a pure function of its HTML and the site's charts (so that a later build can
cache it page by page): the content between the core's marks (generator.engine.CONTENT_START and
CONTENT_END, which render puts into every page) is sanitised to the allow-list and its tables get
Material's wrappers; the table of contents gets plain titles and safe anchors; each chart
placeholder gets its chart's SVG; the head gets the Content-Security-Policy, with the hashes of the
theme's inline scripts (never of a script in the content), and the finishing pass's mark. Material's
404 page, the theme's own, gets the policy and the mark.

A page without the core's marks was not rendered by the generator (an engine that ignores unknown
plugins, such as Zensical, converted the raw article): it is refused, so that no engine can
publish a page this pass did not sanitise. The feed, the downloads and the chart files are files
render made; the engine copies them from the docs tree (or the plugin hands them over) as they
are, and the pages link to them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import engine
from .escape import sanitize
from .problems import Problems

NOT_RENDERED = ("has no mark of the generator's rendering: an engine converted a page that "
                "Frontier Ledger did not render (did it ignore the frontier-ledger plugin?); "
                "build with ./ledger build, or ./ledger export a project and build that")
FINISHED_ALREADY = "is finished already (./ledger finish runs once, on a site just built)"
# the files holding the charts' SVGs as placed in pages (generator.charts: charts/ID.inline.svg)
CHART_FOLDER = "charts"


class Unfinished(Exception):
    """A page the finishing pass refuses; the message says why (a line of a report)."""


def clean_content(html: str) -> str:
    """A page's content as the engine converted it → sanitised to the allow-list, its tables in
    Material's wrappers. The core's marks, where the content has them, are kept around it (the
    plugin cleans the content before the search index reads it, and the page again as a whole)."""
    parts = engine.split_content(html)
    if parts is None:
        return engine.label_tables(engine.wrap_tables(
            sanitize(html, engine.SANITIZE_EXTRA_ATTRIBUTES)))
    before, content, after = parts
    return (before + engine.CONTENT_START + _clean(content) + engine.CONTENT_END + after)


def _clean(content: str) -> str:
    # the line breaks the marks stand on are not the page's (its content starts with its first
    # tag: the search index reads text before a first heading as a section of its own)
    return engine.label_tables(engine.wrap_tables(
        sanitize(content.strip("\n"), engine.SANITIZE_EXTRA_ATTRIBUTES)))


def finish_page(html: str, svg_of: Callable[[str], str]) -> str:
    """A page as the engine wrote it → the published page. ``svg_of(chart_id)``: the SVG of a
    chart ('' for none: nothing is placed). Raises :class:`Unfinished` for a page without the
    core's marks, or one finished already."""
    if engine.is_finished(html):
        raise Unfinished(FINISHED_ALREADY)
    parts = engine.split_content(html)
    if parts is None:
        raise Unfinished(NOT_RENDERED)
    before, content, after = parts
    before, content, after = engine.clean_toc(before, _clean(content), after)
    content = engine.place_charts(content, svg_of)
    page = engine.in_head(before, engine.FINISHED, engine.csp_tag(before + after))
    return page + content + after


def finish_theme_page(html: str) -> str:
    """The theme's own page (Material's 404, which no Markdown page made): the policy and the mark."""
    if engine.is_finished(html):
        raise Unfinished(FINISHED_ALREADY)
    return engine.in_head(html, engine.FINISHED, engine.csp_tag(html))


@dataclass(frozen=True)
class SiteCharts:
    """The SVGs of a built site's charts, read from its chart files when a page places one."""

    site: Path

    def __call__(self, chart_id: str) -> str:
        path = self.site / CHART_FOLDER / f"{chart_id}.inline.svg"
        if path.is_symlink() or not path.is_file():
            return ""
        return path.read_text(encoding="utf-8")


def site_pages(site: Path) -> list[str]:
    """The HTML files of a built site, as site-relative POSIX paths, in order (links are not
    followed: a link is reported by :func:`finish_site`)."""
    out = []
    for folder, dirs, files in os.walk(site):
        dirs.sort()
        rel = Path(folder).relative_to(site)
        out += [(rel / f).as_posix() for f in sorted(files) if f.endswith(".html")]
    return out


def finish_site(site: Path, shown: str, problems: Problems) -> int:
    """Finish every page of the built site at ``site`` (named ``shown`` in the report): all of them,
    or none when any is refused (each refusal added to ``problems``). Returns how many pages were
    finished."""
    done: dict[Path, str] = {}
    svg_of = SiteCharts(site)
    for rel in site_pages(site):
        path = site / rel
        where = f"{shown}/{rel}"
        if path.is_symlink() or not path.is_file():
            problems.error(where, "is not a regular file; a site to finish holds plain files")
            continue
        try:
            html = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.error(where, f"cannot be read as UTF-8 text: {exc}")
            continue
        try:
            done[path] = (finish_theme_page(html) if rel == engine.NOT_FOUND_PAGE
                          else finish_page(html, svg_of))
        except Unfinished as exc:
            problems.error(where, str(exc))
    if problems.errors:
        return 0
    for path, html in done.items():
        path.unlink()  # a built page may be a hard link to the page cache: never written through
        path.write_text(html, encoding="utf-8")
    return len(done)


def unfinished_pages(site: Path, pages: list[str] | None = None) -> list[str]:
    """The HTML files of a built site that do not carry the finishing pass's mark. ``pages``:
    :func:`site_pages`, when the caller has them already."""
    out = []
    for rel in pages if pages is not None else site_pages(site):
        with open(site / rel, encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
        if not engine.is_finished(head):
            out.append(rel)
    return out
