"""The data downloads and the feed: complete, exact, safe in a spreadsheet, reproducible."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal

from generator.downloads import _cell, atom_feed, dataset_files
from generator.load import load
from generator.problems import Problems
from generator.render import render


def _files(project):
    problems = Problems()
    ds = load(project, problems)
    assert problems.report() == "no problems found"
    return ds, dataset_files(ds)


def test_events_csv_has_every_event_with_exact_amounts(project):
    ds, files = _files(project)
    rows = list(csv.DictReader(io.StringIO(files["downloads/events.csv"].decode())))
    assert len(rows) == sum(len(c.events) for c in ds.companies.values())
    b = next(r for r in rows if r["event_id"] == "series-b")
    assert Decimal(b["amount_raised"]) == ds.companies["acme-ai"].event("series-b").amount_raised.amount
    assert (b["post_money_valuation"], b["post_money_valuation_currency"]) == ("10000000000", "USD")
    assert b["sources"] == "acme-news-2021 daily-2023" and b["status"] == "reported"


def test_json_holds_companies_sources_and_tables(project):
    ds, files = _files(project)
    data = json.loads(files["downloads/frontier-ledger.json"])
    assert [c["id"] for c in data["companies"]] == sorted(ds.companies)
    assert [s["id"] for s in data["sources"]] == sorted(ds.sources)
    metric = data["companies"][0]["metrics"][0]
    assert metric["value"] == {"amount": "500000000", "currency": "USD", "qualifier": "about",
                               "text": "about USD 500 million"}


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    assert _cell("=HYPERLINK(\"https://x\")") == "'=HYPERLINK(\"https://x\")"
    assert _cell("+1 555") == "'+1 555" and _cell("@SUM(A1)") == "'@SUM(A1)"
    assert _cell("-12.5") == "-12.5" and _cell("Acme") == "Acme"


def test_downloads_page_links_every_file_and_files_are_pages(project):
    problems = Problems()
    ds = load(project, problems)
    pages = {p.path: p for p in render(ds, project, problems, site_url="https://x.org/sub/").pages}
    for path in dataset_files(ds):
        assert path in pages
        assert f"]({path})" in pages["data.md"].text
    feed = ET.fromstring(pages["feed.xml"].content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert [e.find("a:id", ns).text for e in entries] == ["https://x.org/sub/articles/first/"]


def test_feed_is_reproducible(project):
    problems = Problems()
    ds = load(project, problems)
    a = [p.content for p in render(ds, project, problems, site_url="https://x.org/").pages
         if p.path == "feed.xml"]
    b = [p.content for p in render(ds, project, problems, site_url="https://x.org/").pages
         if p.path == "feed.xml"]
    assert a == b and a[0]
