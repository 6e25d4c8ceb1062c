"""The data behind the site as files readers can download, and the Atom feed of articles.

Stable addresses (documented on the generated ``data.md`` page):

* ``downloads/companies.csv``: one row per company;
* ``downloads/events.csv``: one row per funding or valuation event, amounts as exact numbers with
  their currency and qualifier in columns of their own;
* ``downloads/sources.csv``: one row per source record;
* ``downloads/frontier-ledger.json``: all of it, nested, with the same field names as the YAML.

Pure: returns :class:`generator.render.Page` objects with bytes content; writes nothing.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from decimal import Decimal
from typing import Any, Iterable, Iterator

from .dataset import Dataset
from .values import Money, PartialDate

COMPANY_COLUMNS = ["id", "name", "kind", "founded", "headquarters", "website", "ticker", "summary"]
EVENT_COLUMNS = ["company_id", "event_id", "date", "kind", "round"]
MONEY_FIELDS = ["amount_raised", "amount_committed", "pre_money_valuation", "post_money_valuation"]
SOURCE_COLUMNS = ["id", "publisher", "title", "url", "published", "accessed", "url_verified", "note"]


def _cell(value: Any) -> str:
    """A CSV cell: text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
        return True
    except ArithmeticError:
        return False
    except ValueError:
        return False


def _csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([_cell(v) for v in r])
    return buf.getvalue().encode("utf-8")


def _json(parts: dict[str, Iterable[Any]]) -> bytes:
    """``json.dumps(parts, indent=1, sort_keys=True)``, byte for byte, written one record at a
    time: at 5,000 companies the whole nested copy of the data and the indenting encoder's
    millions of pieces took 350 MB, the largest memory peak of a build."""
    out = io.BytesIO()
    out.write(b"{")
    for i, key in enumerate(sorted(parts)):
        out.write(b"," if i else b"")
        out.write(f"\n {json.dumps(key)}: ".encode())
        first = True
        for item in parts[key]:
            text = json.dumps(_plain(item), indent=1, ensure_ascii=False, sort_keys=True)
            out.write(b"[\n  " if first else b",\n  ")
            # JSON text has no raw line breaks inside strings: each line is indented two more
            out.write(text.replace("\n", "\n  ").encode("utf-8"))
            first = False
        out.write(b"[]" if first else b"\n ]")
    out.write(b"\n}\n" if parts else b"}\n")
    return out.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency,
                "qualifier": value.qualifier or None, "text": str(value)}
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "model_dump"):
        return {k: _plain(getattr(value, k)) for k in type(value).model_fields
                if getattr(value, k) not in (None, [], {})}
    return value


def dataset_files(ds: Dataset) -> dict[str, bytes]:
    companies = sorted(ds.companies.values(), key=lambda c: c.id)
    event_header = EVENT_COLUMNS + [f"{f}{suffix}" for f in MONEY_FIELDS
                                    for suffix in ("", "_currency", "_qualifier")] + [
        "status", "sources", "note"]

    def event_rows() -> Iterator[list[Any]]:
        for c in companies:
            for e in sorted(c.events, key=lambda e: (e.date, e.id)):
                row: list[Any] = [c.id, e.id, e.date, e.kind, e.round]
                for f in MONEY_FIELDS:
                    money = getattr(e, f)
                    row += [money.amount, money.currency, money.qualifier or None] if money else \
                        [None, None, None]
                row += [e.status, " ".join(e.sources), e.note]
                yield row

    sources = sorted(ds.sources.values(), key=lambda s: s.id)
    return {
        "downloads/companies.csv": _csv(COMPANY_COLUMNS, (
            [getattr(c, col) for col in COMPANY_COLUMNS] for c in companies)),
        "downloads/events.csv": _csv(event_header, event_rows()),
        "downloads/sources.csv": _csv(SOURCE_COLUMNS, (
            [getattr(s, col) for col in SOURCE_COLUMNS] for s in sources)),
        "downloads/frontier-ledger.json": _json({
            "companies": companies, "sources": sources,
            "tables": sorted(ds.tables.values(), key=lambda t: t.id)}),
    }


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
