"""The data downloads and the feed: complete, exact, safe in a spreadsheet, reproducible."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from generator.downloads import cell, dataset_files
from generator.escape import csv_cell
from generator.load import load
from generator.problems import Problems
from generator.render import render
from generator.settings import Settings


def _settings(project, site_url: str) -> Settings:
    return Settings.for_project(project, check=True, site_url=site_url)


def _files(project):
    problems = Problems()
    ds = load(project, problems)
    assert problems.report() == "no problems found"
    return ds, dataset_files(ds)


def test_events_csv_has_every_event_with_exact_amounts(project):
    ds, files = _files(project)
    rows = list(csv.DictReader(io.StringIO(files["downloads/events.csv"].decode())))
    assert [(r["company_id"], r["event_id"]) for r in rows] == [("acme-ai", "series-a"),
                                                                ("acme-ai", "series-b")]
    b = rows[1]
    assert (b["amount_raised"], b["amount_raised_currency"]) == ("1500000000", "USD")
    assert (b["valuation"], b["valuation_currency"], b["valuation_basis"]) == (
        "10000000000", "USD", "post-money")
    assert (b["valuation_low"], b["valuation_high"], b["valuation_qualifier"]) == (
        "10000000000", "10000000000", "")
    assert b["sources"] == "acme-news-2021 daily-2023" and b["status"] == "reported"


def test_json_holds_companies_sources_and_tables(project):
    ds, files = _files(project)
    data = json.loads(files["downloads/frontier-ledger.json"])
    # the glossary is not a download; the licence travels with the data
    assert sorted(data) == ["companies", "licence", "sources", "tables"]
    assert [c["id"] for c in data["companies"]] == ["acme-ai", "bigcloud"]
    assert [s["id"] for s in data["sources"]] == ["acme-news-2021", "daily-2023"]
    assert [t["id"] for t in data["tables"]] == ["chips"]
    metric = data["companies"][0]["metrics"][0]
    assert metric["value"] == {"amount": "500000000", "currency": "USD", "qualifier": "about",
                               "low": "500000000", "high": "500000000",
                               "text": "about USD 500 million"}


@pytest.mark.parametrize("text, expected", [
    ('=HYPERLINK("https://x")', '\'=HYPERLINK("https://x")'),
    ("+1 555", "'+1 555"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("-2+3", "'-2+3"),
    ("\tcmd", "'\tcmd"),
    ("\r=1", "'\r=1"),
    ("-12.5", "-12.5"),
    ("+7", "+7"),
    ("-1e5", "-1e5"),
    ("-Infinity", "'-Infinity"),
    ("Acme", "Acme"),
    ("", ""),
], ids=["equals", "plus-text", "at", "minus-expression", "tab", "carriage-return",
        "negative-number", "plus-number", "exponent", "minus-word", "plain", "empty"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(text, expected):
    """One rule for every CSV the site publishes (the downloads and each chart's data)."""
    assert csv_cell(text) == expected


def test_download_cells_write_booleans_and_nothing_plainly():
    assert (cell(True), cell(False), cell(None), cell("=1")) == ("true", "false", "", "'=1")


def test_downloads_page_links_every_file_and_files_are_pages(project):
    problems = Problems()
    ds = load(project, problems)
    pages = {p.path: p for p in render(ds, _settings(project, "https://x.org/sub/"), problems).pages}
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
    a = [p.content for p in render(ds, _settings(project, "https://x.org/"), problems).pages
         if p.path == "feed.xml"]
    b = [p.content for p in render(ds, _settings(project, "https://x.org/"), problems).pages
         if p.path == "feed.xml"]
    assert a == b and a[0]
