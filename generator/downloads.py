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
each). Returns bytes by path; writes nothing but, given the downloads' cache
(generator.downloadcache), what it keeps for the next build: each record's part of the files
(its JSON text, its rows) under a key naming all it was made of (:class:`_Keys`), so that a
rebuild makes only the parts of the records that changed, and the same bytes.
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import io
import json
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .downloadcache import Assembly, Copy, DownloadCache
from .escape import csv_cell
from .facts import secondary_only
from .flows import lines_of
from .pagecache import digest
from .recordcache import code_version
from .values import Money, PartialDate

COMPANY_COLUMNS = ["id", "name", "kind", "founded", "headquarters", "website", "ticker",
                   "last_checked", "summary"]
EVENT_COLUMNS = ["company_id", "event_id", "date", "kind", "round"]
MONEY_FIELDS = ["amount_raised", "amount_committed", "pre_money_valuation", "valuation"]
MONEY_SUFFIXES = ("", "_low", "_high", "_currency", "_qualifier")
SOURCE_COLUMNS = ["id", "publisher", "syndicated_from", "title", "url", "exact_url_unknown",
                  "published", "accessed", "tier", "url_verified"]
READ_VIA_COLUMNS = ["kind", "publisher", "url", "published", "accessed"]
JSON_NAME = "frontier-ledger.json"
JSON_FILE = f"downloads/{JSON_NAME}"
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
    # the rows of records are the rows of each record in turn, so that a record's rows can be
    # kept from one build to the next (dataset_files; only for the generator's own code)
    by_record: bool = False

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


def _csv_header(header: list[str]) -> bytes:
    """A CSV download's first line, as :func:`_csv` writes it."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(header)
    return buf.getvalue().encode("utf-8")


def _csv_rows(rows: Iterable[list[Any]]) -> bytes:
    """Rows as they stand in a CSV download (the writer writes each row on its own: a file's
    rows are the rows of each of its records in turn, byte for byte)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for r in rows:
        w.writerow([cell(v) for v in r])
    return buf.getvalue().encode("utf-8")


class _Stream:
    """Where a download is written when nothing is kept: each part made, one at a time."""

    def __init__(self) -> None:
        self.out = io.BytesIO()

    def text(self, b: bytes) -> None:
        self.out.write(b)

    def part(self, key: str | None, make: Callable[..., tuple[bytes, bool]], *args: Any) -> None:
        self.out.write(make(*args)[0])


def _json(out: Any, parts: dict[str, Iterable[tuple[Any, ...]]], meta: dict[str, Any]) -> None:
    """``json.dumps({**meta, **parts}, indent=1, sort_keys=True)``, byte for byte, written one
    record at a time into ``out`` (a :class:`_Stream`, or a downloadcache.Assembly): at 5,000
    companies the whole nested copy of the data and the indenting encoder's millions of pieces
    took 350 MB, the largest memory peak of a build. ``meta``: keys whose values are written
    whole (the licence); ``parts``: for each record, its key, and how to make its JSON text
    (:func:`_json_part`) and with what."""
    out.text(b"{")
    for i, key in enumerate(sorted({**meta, **parts})):
        out.text(b"," if i else b"")
        out.text(f"\n {json.dumps(key)}: ".encode())
        if key in meta:
            text = json.dumps(meta[key], indent=1, ensure_ascii=False, sort_keys=True)
            out.text(text.replace("\n", "\n ").encode("utf-8"))
            continue
        first = True
        for part_key, make, args in parts[key]:
            out.text(b"[\n  " if first else b",\n  ")
            out.part(part_key, make, *args)
            first = False
        out.text(b"[]" if first else b"\n ]")
    out.text(b"\n}\n" if parts or meta else b"}\n")


def _json_text(record: Any, secondary: Callable[[Any], bool]) -> tuple[bytes, set[str]]:
    """A record's JSON text as it stands in the JSON download, and the source ids whose records
    it read (``secondary(sources)``: whether a sourced figure rests on secondary sources only)."""
    read: set[str] = set()

    def reading(sources: Any) -> bool:
        read.update(sources)
        return secondary(sources)

    text = json.dumps(_plain(record, reading), indent=1, ensure_ascii=False, sort_keys=True)
    # JSON text has no raw line breaks inside strings: each line is indented two more
    return text.replace("\n", "\n  ").encode("utf-8"), read


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
        for e in sorted(c.events, key=lambda e: (e.date.order, e.id)):
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
    "ticker, the day the record was last checked, summary.", COMPANY_COLUMNS, company_rows,
    by_record=True)
EVENTS_CSV = CsvFile(
    "events.csv", "One row per funding or valuation event. Amounts are exact numbers in currency "
    "units, with their currency and qualifier (\"about\", \"more than\", \"at least\", \"up "
    "to\") in columns of their own, and the low and high ends the source states (a range has "
    "both, \"more than\" only a low end, \"up to\" only a high end); `valuation_basis` says what "
    "kind of price the valuation is (post-money, pre-money, secondary, ipo, …); `counted_in` and "
    "`paid_under` name another event of the company holding the same money or the commitment it "
    "was paid under; `status_confirmed` is when a pending matter's status was last confirmed; "
    "`sources` lists source ids separated by spaces; `secondary_sources_only` is true for a "
    "figure resting on secondary sources alone.", EVENT_HEADER, event_rows, by_record=True)
INVESTMENTS_CSV = CsvFile(
    "investments.csv", "One row per investor of an event: what it paid in, what it committed "
    "(including what it paid at once) and the existing shares it bought in a tender offer or "
    "secondary sale, in the same columns as the events' amounts; an investor named alone on an "
    "event is given the event's amounts. `counted_in` names the event whose line for the same "
    "investor holds the same money (never add it again); `paid_under`, the commitment a payment "
    "was made under (it does not add to the ceiling); `secondary_sources_only` as in events.csv.",
    INVESTMENT_HEADER, investment_rows, by_record=True)
SOURCES_CSV = CsvFile(
    "sources.csv", "One row per source record: the publication (publisher, agency it carries, "
    "title, address, date), its tier (primary, outlet or secondary), whether the address was "
    "verified or is not known, and the copy or summary read, if any (`read_via_` columns).",
    SOURCE_HEADER, source_rows, by_record=True)


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


def dataset_files(ds: Any, kinds: Iterable[Any] | None = None, *,
                  cache: DownloadCache | None = None) -> dict[str, bytes]:
    """Every download's bytes, by its path (:func:`dataset_downloads`, each copy read)."""
    return {path: d.read_bytes() if isinstance(d, Copy) else d
            for path, d in dataset_downloads(ds, kinds, cache=cache).items()}


def dataset_downloads(ds: Any, kinds: Iterable[Any] | None = None, *,
                      cache: DownloadCache | None = None) -> dict[str, bytes | Copy]:
    """Every download, by its path: each data kind's CSV files, in the kinds' order, then one JSON
    file of every kind that has a key in it. ``cache``: the downloads the last build made, each
    record's part of them taken again when nothing it is made of changed (:class:`_Keys`), and
    these kept for the next; a download a file of the cache holds is that :class:`Copy` (never
    read back: a build links it), any other its bytes, those made without the cache."""
    kinds = tuple(kinds if kinds is not None else ds.kinds)
    keys = _Keys(ds, code_version()) if cache is not None else None
    out: dict[str, bytes | Copy] = {}
    in_json: dict[str, tuple[Any, list[tuple[str, Any]]]] = {}
    for kind in kinds:
        records = sorted(ds.records[kind.folder].items())
        for f in kind.csv_files:
            if cache is None or keys is None or not (f.by_record and _ours(f.rows)):
                out[f.path] = _csv(f.header, f.rows([r for _, r in records], ds))
            else:
                out[f.path] = _kept_file(cache, f.name, functools.partial(
                    _csv_into, f, ds, keys, kind, records))
        if kind.json_key:
            in_json[kind.json_key] = (kind, records)

    def json_into(sink: Any) -> None:
        _json(sink, {k: _json_parts(ds, keys, kind, records)
                     for k, (kind, records) in in_json.items()}, {"licence": LICENCE})

    if in_json and cache is None:
        stream = _Stream()
        json_into(stream)
        out[JSON_FILE] = stream.out.getvalue()
    elif in_json and cache is not None:
        out[JSON_FILE] = _kept_file(cache, JSON_NAME, json_into)
    if out:
        out[LICENSE_FILE] = LICENSE_TEXT.encode("utf-8")
    return out


def _kept_file(cache: DownloadCache, name: str, fill: Callable[[Any], None]) -> bytes | Copy:
    """The download ``name`` written by ``fill(sink)`` into an Assembly of what ``cache`` kept of
    it; made whole when the kept copy cannot be read to the end."""
    try:
        sink = Assembly(cache.load(name))
        fill(sink)
        return sink.finish(cache, name)
    except OSError:
        sink = Assembly(None)
        fill(sink)
        return sink.finish(cache, name)


def _csv_into(f: CsvFile, ds: Any, keys: _Keys, kind: Any, records: list[tuple[str, Any]],
              sink: Any) -> None:
    sink.text(_csv_header(f.header))
    for rid, r in records:
        sink.part(keys.of(kind, rid, r), _rows_text, f, ds, kind, r)


def download_cache(settings: Any) -> DownloadCache:
    """The downloads' cache of a build by its settings (generator.settings.Settings): the
    project's; a clean build reads none of it and writes it afresh."""
    from .cachedir import project_cache

    return DownloadCache(project_cache(settings.root) / "downloads", read=not settings.clean)


# ---------------------------------------------------------------------------------------------
# What a record's part of a download is made of


def _ours(obj: Any) -> bool:
    """Whether ``obj`` is the generator's own code, which :func:`code_version` covers (a kind
    added from elsewhere is made whole every time: its code is not in the keys)."""
    module = getattr(obj, "__module__", None) or ""
    return module == __package__ or module.startswith(f"{__package__}.")


class _Keys:
    """The key of a record's parts of the downloads: a hash of the generator's code
    (recordcache.code_version: the models, these rows, the JSON's form), the record's kind,
    id and file and that file's digest (Dataset.digests: the record is made from its file
    alone), and the id, file and digest of each source record it cites (the kind's
    ``sources_cited``; absent: a dash): ``secondary_sources_only`` reads their tiers and
    addresses. None: a part not kept (its file, or a source's, has no digest; a kind whose model
    is not the generator's). A part that reads anything else is made but not kept
    (:func:`_json_part`, :func:`_rows_text`)."""

    def __init__(self, ds: Any, code: str):
        self.ds = ds
        self.code = code
        self._keys: dict[str, dict[str, str | None]] = {}  # by folder and id: strings alone

    def of(self, kind: Any, rid: str, record: Any) -> str | None:
        known = self._keys.setdefault(kind.folder, {})
        if rid in known:
            return known[rid]
        ds = self.ds
        rel = ds.origins.get((kind.folder, rid))
        ok = _ours(kind.model) and rel is not None and rel in ds.digests
        what = [self.code, kind.folder, kind.model.__qualname__, rid, str(rel),
                ds.digests.get(rel, "")]
        for sid in sorted(_cited(kind, record)):
            srel = ds.origins.get(("sources", sid)) if sid in ds.sources else None
            ok = ok and (sid not in ds.sources or (srel is not None and srel in ds.digests))
            what.append(f"{sid}:{srel}:{ds.digests.get(srel, '-') if srel else '-'}")
        known[rid] = key = digest(*what) if ok else None
        return key


def _cited(kind: Any, record: Any) -> set[str]:
    """The ids of the source records a record cites (its kind's ``sources_cited``)."""
    return set(kind.sources_cited(record)) if kind.sources_cited else set()


def _json_parts(ds: Any, keys: _Keys | None, kind: Any, records: list[tuple[str, Any]]
                ) -> Iterator[tuple[Any, ...]]:
    """The parts of the records of one kind in the JSON file, for :func:`_json`, one at a time."""
    for rid, r in records:
        yield keys.of(kind, rid, r) if keys else None, _json_part, (ds, keys, kind, r)


def _json_part(ds: Any, keys: _Keys | None, kind: Any, record: Any) -> tuple[bytes, bool]:
    """A record's JSON text, and whether it may be kept under its key: it read no source record
    that the key does not cover."""
    text, read = _json_text(record, lambda sources: secondary_only(ds.sources, sources))
    return text, keys is not None and read <= _cited(kind, record)


def _rows_text(f: CsvFile, ds: Any, kind: Any, record: Any) -> tuple[bytes, bool]:
    """A record's rows of the CSV file ``f``, and whether they may be kept under its key: the
    rows read nothing of the dataset but the source records the key covers (watched through a
    :class:`_Watched` dataset)."""
    watched = _Watched(ds)
    text = _csv_rows(f.rows([record], watched))
    return text, not watched.other and watched.sources.read <= _cited(kind, record)


class _SeenSources(Mapping):
    """``ds.sources`` as a rows function sees it, noting each id it looks up; going through them
    all counts as reading something else."""

    def __init__(self, sources: dict[str, Any], owner: "_Watched"):
        self._sources = sources
        self._owner = owner
        self.read: set[str] = set()

    def __getitem__(self, sid: str) -> Any:
        self.read.add(sid)
        return self._sources[sid]

    def __contains__(self, sid: object) -> bool:
        self.read.add(sid)  # type: ignore[arg-type]
        return sid in self._sources

    def __iter__(self) -> Iterator[str]:
        self._owner.other = True
        return iter(self._sources)

    def __len__(self) -> int:
        self._owner.other = True
        return len(self._sources)


class _Watched:
    """The dataset as one record's rows see it: the source records they look up are noted
    (``sources.read``); anything else they read of it sets ``other``."""

    def __init__(self, ds: Any):
        self.__dict__.update(_ds=ds, other=False)
        self.__dict__["sources"] = _SeenSources(ds.sources, self)

    def __getattr__(self, name: str) -> Any:  # what is not set above
        self.__dict__["other"] = True
        return getattr(self.__dict__["_ds"], name)


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
