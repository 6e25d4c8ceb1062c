"""The kinds of data file, registered once: :data:`DATA_KINDS` says, for each folder of ``data/``,
which model its files hold, what a record is called, how its changes are put in words, how its
records are cross-checked, which sources they cite, and which downloads hold them.

Loading, the cross-checks, the diff, the downloads, the JSON Schemas and the charts' cache keys all
loop over these entries. Adding a kind of data file: a pydantic model (generator.model) and one
:class:`DataKind` here; the rest follows (README, "How it works").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from . import crossref, describe
from . import model as m
from .downloads import COMPANIES_CSV, EVENTS_CSV, INVESTMENTS_CSV, SOURCES_CSV, CsvFile
from .validate import check_table


def _plain_key(record_id: str) -> str:
    return record_id


@dataclass(frozen=True)
class DataKind:
    """A kind of data file: ``data/<folder>/<id>.yaml`` holds one ``model``.

    ``describe(id, old, new)``: the lines of the diff for one record (None: absent);
    ``cross_check(checker, records)``: the checks across records (crossref.Checker);
    ``sources_cited(record)``: the source ids a record cites (None: it cites none);
    ``cite_key(id)``: where a citing record sorts among the citers of a source;
    ``cited_as(record)``: (text, docs path) of a link to the page showing the record;
    ``typed(rel, document, record, problems)``: the record with values typed further (a table's
    cells by its columns); ``csv_files``: its CSV downloads; ``json_key``: its key in the JSON
    download (None: not in it)."""

    folder: str
    model: type
    singular: str
    describe: Callable[[str, Any, Any], list[str]]
    cross_check: Callable[[Any, dict[str, Any]], None] | None = None
    sources_cited: Callable[[Any], Iterable[str]] | None = None
    cite_key: Callable[[str], str] = _plain_key
    cited_as: Callable[[Any], tuple[str, str]] | None = None
    typed: Callable[..., Any] | None = None
    csv_files: tuple[CsvFile, ...] = ()
    json_key: str | None = None


def _company_sources(c: m.Company) -> Iterator[str]:
    for group in (c.events, c.metrics, c.relationships):
        for item in group:
            yield from item.sources
    for e in c.events:
        for alt in e.alternatives:
            yield from alt.sources


def _table_sources(t: m.Table) -> Iterator[str]:
    for r in t.rows:
        yield from r.sources


COMPANIES = DataKind(
    "companies", m.Company, "company", describe.company_lines,
    cross_check=crossref.check_companies, sources_cited=_company_sources,
    cited_as=lambda c: (c.name, f"companies/{c.id}.md"),
    csv_files=(COMPANIES_CSV, EVENTS_CSV, INVESTMENTS_CSV), json_key="companies")
TABLES = DataKind(
    "tables", m.Table, "table", describe.table_lines,
    cross_check=crossref.check_tables, sources_cited=_table_sources,
    cited_as=lambda t: (t.title, f"tables/{t.id}.md"), typed=check_table, json_key="tables")
SOURCES = DataKind(
    "sources", m.Source, "source", describe.source_lines,
    cross_check=crossref.check_sources, csv_files=(SOURCES_CSV,), json_key="sources")
GLOSSARY = DataKind(
    "glossary", m.Term, "glossary term", describe.term_lines,
    cross_check=crossref.check_glossary, sources_cited=lambda g: g.sources,
    cite_key=lambda gid: f"glossary:{gid}",
    cited_as=lambda g: (f"Glossary: {g.term}", f"glossary.md#term-{g.id}"))

# In this order the diff describes changes (companies, then tables, then sources) and the check's
# messages list the folders.
DATA_KINDS: tuple[DataKind, ...] = (COMPANIES, TABLES, SOURCES, GLOSSARY)
