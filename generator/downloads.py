"""The data behind the site as files readers can download, and the Atom feed of articles.

Stable addresses (documented on the generated ``data.md`` page):

* ``downloads/companies.csv``: one row per company;
* ``downloads/events.csv``: one row per funding or valuation event, amounts as exact numbers with
  their low and high ends, currency and qualifier in columns of their own, and each valuation's
  basis;
* ``downloads/investments.csv``: one row per investor of an event: paid in, committed, bought,
  and what is the same money as another record (generator.flows);
* ``downloads/sources.csv``: one row per source record;
* ``downloads/frontier-ledger.json``: all of it, nested, with the same field names as the YAML,
  and the licence with the attribution it asks for;
* ``downloads/LICENSE.txt``: the licence of the files beside it, and how to credit them.

Every figure in them carries whether it rests on secondary sources only
(``secondary_sources_only``, generator.facts.secondary_only).

Which files there are is the data kinds' to say (generator.kinds: the CSV files and the JSON key of
each). Pure: returns bytes by path; writes nothing.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import textwrap
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator

from .escape import csv_cell
from .facts import secondary_only
from .flows import lines_of
from .values import Money, PartialDate

COMPANY_COLUMNS = ["id", "name", "kind", "founded", "headquarters", "website", "ticker",
                   "last_checked", "summary"]
EVENT_COLUMNS = ["company_id", "event_id", "date", "kind", "round"]
MONEY_FIELDS = ["amount_raised", "amount_committed", "pre_money_valuation", "valuation"]
MONEY_SUFFIXES = ("", "_low", "_high", "_currency", "_qualifier")
SOURCE_COLUMNS = ["id", "publisher", "syndicated_from", "title", "url", "exact_url_unknown",
                  "published", "accessed", "tier", "url_verified"]
READ_VIA_COLUMNS = ["kind", "publisher", "url", "published", "accessed"]
JSON_FILE = "downloads/frontier-ledger.json"
LICENSE_FILE = "downloads/LICENSE.txt"

LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Frontier Ledger, licensed under CC BY 4.0",
    "notice": "You may copy, share and adapt this data for any purpose, including commercial use, "
              "if you credit Frontier Ledger, link to the licence and say what you changed. The "
              "licence covers what Frontier Ledger writes and compiles; the publications cited in "
              "the source records belong to their publishers: name them too.",
}


@dataclass(frozen=True)
class CsvFile:
    """A CSV download of the records of one kind (a data kind lists its own: generator.kinds).
    ``rows(records, ds)``: one list of cells per row, from the kind's records sorted by id (``ds``:
    the whole dataset, for what a row says about other records, such as its sources' tiers);
    ``description``: what it holds, in Markdown, for the data page."""

    name: str  # the file name in downloads/
    description: str
    header: list[str]
    rows: Callable[[list[Any], Any], Iterable[list[Any]]]

    @property
    def path(self) -> str:
        return f"downloads/{self.name}"


def cell(value: Any) -> str:
    """A CSV cell: true and false for booleans, nothing for None, and text that a spreadsheet
    would run as a formula kept as text (:func:`generator.escape.csv_cell`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(str(value))


def _csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([cell(v) for v in r])
    return buf.getvalue().encode("utf-8")


def _json(parts: dict[str, Iterable[Any]], meta: dict[str, Any],
          secondary: Callable[[Any], bool]) -> bytes:
    """``json.dumps({**meta, **parts}, indent=1, sort_keys=True)``, byte for byte, written one
    record at a time: at 5,000 companies the whole nested copy of the data and the indenting
    encoder's millions of pieces took 350 MB, the largest memory peak of a build. ``meta``: keys
    whose values are written whole (the licence); ``secondary(sources)``: whether a sourced
    record rests on secondary sources only."""
    out = io.BytesIO()
    out.write(b"{")
    for i, key in enumerate(sorted({**meta, **parts})):
        out.write(b"," if i else b"")
        out.write(f"\n {json.dumps(key)}: ".encode())
        if key in meta:
            text = json.dumps(meta[key], indent=1, ensure_ascii=False, sort_keys=True)
            out.write(text.replace("\n", "\n ").encode("utf-8"))
            continue
        first = True
        for item in parts[key]:
            text = json.dumps(_plain(item, secondary), indent=1, ensure_ascii=False,
                              sort_keys=True)
            out.write(b"[\n  " if first else b",\n  ")
            # JSON text has no raw line breaks inside strings: each line is indented two more
            out.write(text.replace("\n", "\n  ").encode("utf-8"))
            first = False
        out.write(b"[]" if first else b"\n ]")
    out.write(b"\n}\n" if parts or meta else b"}\n")
    return out.getvalue()


def money_cells(money: Money | None) -> list[Any]:
    """An amount in five cells: the amount as one number (empty for a range), its low and high
    ends as the source states them (empty where it states none: 'more than' has no high end),
    its currency and its qualifier."""
    if money is None:
        return [None] * len(MONEY_SUFFIXES)
    return [None if money.is_range else money.amount, money.low_end, money.high_end,
            money.currency, money.qualifier or None]


def _plain(value: Any, secondary: Callable[[Any], bool]) -> Any:
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency,
                "qualifier": value.qualifier or None, "text": str(value),
                "low": None if value.low_end is None else str(value.low_end),
                "high": None if value.high_end is None else str(value.high_end)}
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v, secondary) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, secondary) for v in value]
    if hasattr(value, "model_dump"):
        out = {k: _plain(getattr(value, k), secondary) for k in type(value).model_fields
               if getattr(value, k) not in (None, [], {})}
        if "status" in type(value).model_fields and "sources" in type(value).model_fields:
            out["secondary_sources_only"] = secondary(value.sources)  # a sourced figure
        return out
    return value


# ---------------------------------------------------------------------------------------------
# The CSV files of the project's kinds


def company_rows(companies: list[Any], ds: Any) -> Iterator[list[Any]]:
    for c in companies:
        yield [getattr(c, col) for col in COMPANY_COLUMNS]


EVENT_HEADER = EVENT_COLUMNS + [f"{f}{suffix}" for f in MONEY_FIELDS for suffix in MONEY_SUFFIXES] \
    + ["valuation_basis", "counted_in", "paid_under", "alternatives", "status", "status_confirmed",
       "sources", "secondary_sources_only", "note"]


def _alternatives(e: Any, ds: Any) -> str | None:
    """Other reports' figures: 'valuation: USD 18.4 billion (secondary; sources a b)', and
    '; secondary sources only' after the sources of one that rests on such sources alone."""
    out = []
    for a in e.alternatives:
        basis = f"{a.valuation_basis}; " if a.valuation_basis else ""
        mark = "; secondary sources only" if secondary_only(ds.sources, a.sources) else ""
        out.append(f"{a.field}: {a.value} ({basis}sources {' '.join(a.sources)}{mark})")
    return " | ".join(out) or None


def event_rows(companies: list[Any], ds: Any) -> Iterator[list[Any]]:
    for c in companies:
        for e in sorted(c.events, key=lambda e: (e.date, e.id)):
            row: list[Any] = [c.id, e.id, e.date, e.kind, e.round]
            for f in MONEY_FIELDS:
                row += money_cells(getattr(e, f))
            row += [e.valuation_basis, e.counted_in, e.paid_under, _alternatives(e, ds), e.status,
                    e.status_confirmed, " ".join(e.sources), secondary_only(ds.sources, e.sources),
                    e.note]
            yield row


INVESTMENT_MONEY = ("paid", "committed", "bought")
INVESTMENT_HEADER = ["company_id", "event_id", "date", "event_kind", "investor_id",
                     "investor_name", "role"] + [f"{f}{suffix}" for f in INVESTMENT_MONEY
                                                 for suffix in MONEY_SUFFIXES] + [
    "counted_in", "paid_under", "status", "sources", "secondary_sources_only"]


def investment_rows(companies: list[Any], ds: Any) -> Iterator[list[Any]]:
    for c in companies:
        for ln in lines_of(c):
            e, inv = ln.event, ln.investor
            row: list[Any] = [c.id, e.id, e.date, e.kind, inv.company, inv.name, inv.role]
            for money in (ln.paid, ln.committed, ln.bought):
                row += money_cells(money)
            row += [ln.counted_in.id if ln.counted_in else None,
                    ln.paid_under.id if ln.paid_under else None, e.status, " ".join(e.sources),
                    secondary_only(ds.sources, e.sources)]
            yield row


SOURCE_HEADER = SOURCE_COLUMNS + [f"read_via_{c}" for c in READ_VIA_COLUMNS] + ["note"]


def source_rows(sources: list[Any], ds: Any) -> Iterator[list[Any]]:
    for s in sources:
        via = s.read_via
        yield [getattr(s, col) for col in SOURCE_COLUMNS] + [
            getattr(via, col) if via is not None else None for col in READ_VIA_COLUMNS] + [s.note]


COMPANIES_CSV = CsvFile(
    "companies.csv", "One row per company: id, name, kind, founding date, headquarters, website, "
    "ticker, the day the record was last checked, summary.", COMPANY_COLUMNS, company_rows)
EVENTS_CSV = CsvFile(
    "events.csv", "One row per funding or valuation event. Amounts are exact numbers in currency "
    "units, with their currency and qualifier (\"about\", \"more than\", \"at least\", \"up "
    "to\") in columns of their own, and the low and high ends the source states (a range has "
    "both, \"more than\" only a low end, \"up to\" only a high end); `valuation_basis` says what "
    "kind of price the valuation is (post-money, pre-money, secondary, ipo, …); `counted_in` and "
    "`paid_under` name another event of the company holding the same money or the commitment it "
    "was paid under; `status_confirmed` is when a pending matter's status was last confirmed; "
    "`sources` lists source ids separated by spaces; `secondary_sources_only` is true for a "
    "figure resting on secondary sources alone.", EVENT_HEADER, event_rows)
INVESTMENTS_CSV = CsvFile(
    "investments.csv", "One row per investor of an event: what it paid in, what it committed "
    "(including what it paid at once) and the existing shares it bought in a tender offer or "
    "secondary sale, in the same columns as the events' amounts; an investor named alone on an "
    "event is given the event's amounts. `counted_in` names the event whose line for the same "
    "investor holds the same money (never add it again); `paid_under`, the commitment a payment "
    "was made under (it does not add to the ceiling); `secondary_sources_only` as in events.csv.",
    INVESTMENT_HEADER, investment_rows)
SOURCES_CSV = CsvFile(
    "sources.csv", "One row per source record: the publication (publisher, agency it carries, "
    "title, address, date), its tier (primary, outlet or secondary), whether the address was "
    "verified or is not known, and the copy or summary read, if any (`read_via_` columns).",
    SOURCE_HEADER, source_rows)


LICENSE_TEXT = f"""Frontier Ledger: the data files

The files in this folder (the CSV files and frontier-ledger.json) are published under the
{LICENCE["name"]}:
{LICENCE["url"]}

{textwrap.fill(LICENCE["notice"], 96)}

Credit them, for example, as:
  Source: Frontier Ledger, events.csv, licensed under CC BY 4.0

Each figure's sources are listed in sources.csv (and under "sources" in frontier-ledger.json).
A figure whose secondary_sources_only is true rests on copies, summaries or aggregators alone.
"""


def dataset_files(ds: Any, kinds: Iterable[Any] | None = None) -> dict[str, bytes]:
    """Every download, by its path: each data kind's CSV files, in the kinds' order, then one JSON
    file of every kind that has a key in it."""
    kinds = tuple(kinds if kinds is not None else ds.kinds)
    out: dict[str, bytes] = {}
    parts: dict[str, list[Any]] = {}
    for kind in kinds:
        records = [r for _, r in sorted(ds.records[kind.folder].items())]
        for f in kind.csv_files:
            out[f.path] = _csv(f.header, f.rows(records, ds))
        if kind.json_key:
            parts[kind.json_key] = records
    if parts:
        out[JSON_FILE] = _json(parts, {"licence": LICENCE},
                               lambda sources: secondary_only(ds.sources, sources))
    if out:
        out[LICENSE_FILE] = LICENSE_TEXT.encode("utf-8")
    return out


def download_paths(kinds: Iterable[Any]) -> list[str]:
    """The paths of the downloads, as :func:`dataset_files` makes them."""
    kinds = tuple(kinds)
    paths = [f.path for kind in kinds for f in kind.csv_files]
    paths += [JSON_FILE] if any(k.json_key for k in kinds) else []
    return paths + ([LICENSE_FILE] if paths else [])


def atom_feed(articles: list[dict], site_url: str) -> bytes:
    """An Atom feed of the articles, newest first, with absolute links; reproducible."""
    from feedgen.feed import FeedGenerator

    base = site_url.rstrip("/") + "/"
    fg = FeedGenerator()
    fg.id(base)
    fg.title("Frontier Ledger")
    fg.subtitle("Sourced explainers on frontier AI valuations and the infrastructure behind them.")
    fg.link(href=base, rel="alternate")
    fg.link(href=base + "feed.xml", rel="self")
    fg.language("en")
    fg.generator("Frontier Ledger")
    latest = None
    for a in reversed(articles):  # feedgen prepends: add oldest first
        meta = a["meta"]
        url = base + a["path"][: -len(".md")] + "/"
        when = _dt.datetime.combine((meta.updated or meta.published).earliest, _dt.time(),
                                    tzinfo=_dt.timezone.utc)
        published = _dt.datetime.combine(meta.published.earliest, _dt.time(), tzinfo=_dt.timezone.utc)
        latest = max(latest or when, when)
        fe = fg.add_entry()
        fe.id(url)
        fe.title(meta.title)
        fe.link(href=url)
        fe.summary(meta.description)
        fe.published(published)
        fe.updated(when)
    fg.updated(latest or _dt.datetime(2026, 1, 1, tzinfo=_dt.timezone.utc))
    return fg.atom_str(pretty=True)
