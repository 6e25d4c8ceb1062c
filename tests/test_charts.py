"""Charts (generator/charts.py): golden Vega-Lite specs, words and tables computed from the data, the
built figure with its downloads, hostile text kept inert, located errors, the render cache, and how
a chart looks in Chromium in both palettes and at phone width."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import posixpath
import re
import socketserver
import threading
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from generator import charts as ch_mod
from generator.charts import Registry, build_charts, render_charts
from generator.load import load
from generator.mkdocs_glue import build_site
from generator.problems import Problems
from generator.render import md_escape, render

GOLDEN = Path(__file__).parent / "golden" / "charts"

# The mini fixture has no largest-ipos or gpu-specs table; these small ones give those charts data.
IPO_TABLE = """\
id: largest-ipos
title: The largest IPOs
description: A small table used by the chart tests.
columns:
  - {id: company, label: Company, type: text}
  - {id: year, label: Year, type: year}
  - {id: proceeds, label: Proceeds, type: money, currency: USD}
  - {id: proceeds_with_overallotment, label: With over-allotment, type: money, currency: USD, required: false}
rows:
  - id: acme
    label: Acme AI
    company: acme-ai
    values: {company: Acme AI, year: 2024, proceeds: USD 30 billion, proceeds_with_overallotment: USD 34.5 billion}
    status: reported
    sources: [daily-2023]
  - id: oldco
    label: Oldco
    values: {company: Oldco, year: 2010, proceeds: USD 12 billion}
    status: confirmed
    sources: [acme-news-2021]
  - id: midco
    label: Midco
    values: {company: Midco, year: 2015, proceeds: about USD 20 billion, proceeds_with_overallotment: USD 23 billion}
    status: confirmed
    sources: [acme-news-2021]
"""
GPU_TABLE = """\
id: gpu-specs
title: Two GPUs compared
description: A small table used by the chart tests.
columns:
  - {id: gpu, label: GPU, type: text}
  - {id: memory_gb, label: Memory, type: integer, unit: GB}
  - {id: fp8_dense_tflops, label: FP8 dense, type: integer, unit: TFLOPS, required: false}
  - {id: fp4_dense_tflops, label: FP4 dense, type: integer, unit: TFLOPS, required: false}
  - {id: max_tdp_w, label: Maximum power, type: integer, unit: W}
rows:
  - id: g1
    label: G1
    values: {gpu: G1, memory_gb: 80, fp8_dense_tflops: 2000, max_tdp_w: 700}
    status: confirmed
    sources: [acme-news-2021]
  - id: g2
    label: G2
    values: {gpu: G2, memory_gb: 180, fp8_dense_tflops: 4500, fp4_dense_tflops: 9000, max_tdp_w: 1000}
    status: reported
    sources: [daily-2023]
"""
ALL_CHARTS = ["valuations-over-time", "latest-valuations", "capital-raised", "who-funds-whom",
              "largest-ipos", "gpu-generations", "valuation-acme-ai"]
ARTICLE = """---
title: Every chart
description: An article that places every comparison chart.
published: 2026-11-20
---
# Every chart

""" + "\n\n".join(f'{{{{ chart("{c}") }}}}' for c in ALL_CHARTS if c != "valuation-acme-ai") + "\n"


@pytest.fixture
def chart_project(project: Path) -> Path:
    """The mini project plus the two tables, and an article that places every comparison chart."""
    (project / "data/tables/largest-ipos.yaml").write_text(IPO_TABLE)
    (project / "data/tables/gpu-specs.yaml").write_text(GPU_TABLE)
    (project / "site_src/articles/charts.md").write_text(ARTICLE)
    return project


def _dataset(root: Path):
    problems = Problems()
    ds = load(root, problems)
    assert problems.report() == "no problems found"
    return ds


def _charts(root: Path) -> dict[str, ch_mod.Chart]:
    return {c.id: c for c in build_charts(_dataset(root))}


def _render(root: Path) -> tuple[Problems, dict]:
    problems = Problems()
    ds = load(root, problems)
    pages = render(ds, root, problems)
    return problems, {p.path: p.text if p.path.endswith(".md") else p.content for p in pages}


# ---------------------------------------------------------------------------------------------
# Specs


def test_every_chart_the_data_supports_is_registered(project, chart_project):
    assert sorted(_charts(chart_project)) == sorted(ALL_CHARTS)


def test_charts_without_data_are_not_registered(project):
    ids = set(_charts(project))
    assert "largest-ipos" not in ids and "gpu-generations" not in ids
    assert "valuation-bigcloud" not in ids  # no valuation marks
    assert "valuation-acme-ai" in ids


def test_vega_lite_specs_match_golden_files_and_the_schema(chart_project, update_golden, monkeypatch):
    import altair as alt
    from altair.utils.schemapi import validate_jsonschema

    monkeypatch.setattr(ch_mod, "VALIDATE", True)  # Altair checks each part as it is built
    charts = _charts(chart_project)
    schema = alt.vegalite.v6.schema.core.load_schema()
    for c in charts.values():
        validate_jsonschema(c.spec, schema)  # and the assembled spec as a whole
    if update_golden:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.glob("*.vl.json"):
            old.unlink()
        for c in charts.values():
            (GOLDEN / f"{c.id}.vl.json").write_text(c.spec_json(), encoding="utf-8")
    expected = {p.name[: -len(".vl.json")]: p.read_text(encoding="utf-8")
                for p in GOLDEN.glob("*.vl.json")}
    assert sorted(expected) == sorted(charts), "charts added or removed; rerun with --update-golden"
    for cid, c in charts.items():
        assert c.spec_json() == expected[cid], f"{cid} differs; rerun with --update-golden if intended"


def test_specs_are_deterministic(chart_project):
    first = {k: v.spec_json() for k, v in _charts(chart_project).items()}
    second = {k: v.spec_json() for k, v in _charts(chart_project).items()}
    assert first == second


# ---------------------------------------------------------------------------------------------
# Words and tables come from the data


def test_company_timeline_alt_text_table_and_csv_match_the_data(project):
    ds = _dataset(project)
    c = ds.companies["acme-ai"]
    marks = sorted((e for e in c.events if e.post_money_valuation), key=lambda e: e.date)
    lo = min(marks, key=lambda e: e.post_money_valuation.amount)
    hi = max(marks, key=lambda e: e.post_money_valuation.amount)
    chart = {x.id: x for x in build_charts(ds)}["valuation-acme-ai"]
    # alt text: what it shows and its extremes
    assert chart.alt.startswith(f"Line chart of post-money valuation marks of {c.name}")
    assert f"Lowest: {lo.round}, {lo.post_money_valuation.display()}" in chart.alt
    assert f"Highest: {hi.round}, {hi.post_money_valuation.display()}" in chart.alt
    ratio = hi.post_money_valuation.amount / lo.post_money_valuation.amount
    assert "logarithmic" in chart.alt if ratio >= ch_mod.LOG_RATIO else "linear" in chart.alt
    assert f"{int(ratio)}-fold" in chart.notes[0]
    # takeaway: first and last deal marks
    assert marks[0].post_money_valuation.display() in chart.takeaway
    assert marks[-1].post_money_valuation.display() in chart.takeaway
    # table: one row per mark, each value shown (escaped) in the HTML
    assert len(chart.rows) == len(marks)
    html = chart.table_html()
    for e in marks:
        assert str(md_escape(e.post_money_valuation.display())) in html
        assert str(md_escape(e.round)) in html
    # CSV: exact amounts, currency, sources
    rows = list(csv.DictReader(io.StringIO(chart.csv_text())))
    assert [Decimal(r["value"]) for r in rows] == [e.post_money_valuation.amount for e in marks]
    assert [r["value_currency"] for r in rows] == [e.post_money_valuation.currency for e in marks]
    assert [r["sources"].split() for r in rows] == [list(e.sources) for e in marks]
    assert [r["status"] for r in rows] == [e.status for e in marks]
    # sources and date of the data
    assert chart.sources == list(dict.fromkeys(s for e in marks for s in e.sources))
    assert chart.data_as_of == max(ds.sources[s].published for s in chart.sources)


def test_capital_chart_sums_events_and_keeps_committed_apart(chart_project):
    ds = _dataset(chart_project)
    chart = _charts(chart_project)["capital-raised"]
    rows = list(csv.DictReader(io.StringIO(chart.csv_text())))
    for c in (c for c in ds.companies.values() if c.kind == "ai-lab"):
        primary = sum((e.amount_raised.amount for e in c.events
                       if e.kind == "primary-round" and e.amount_raised), Decimal(0))
        got = [Decimal(r["amount"]) for r in rows
               if r["company"] == c.name and r["category"].startswith("Primary")]
        assert got == [primary]
        assert not any(r["category"].startswith("Committed") for r in rows if r["company"] == c.name) \
            or any(e.amount_committed for e in c.events)


def test_largest_ipos_chart_is_sorted_and_computed_from_the_table(chart_project):
    ds = _dataset(chart_project)
    t = ds.tables["largest-ipos"]
    chart = _charts(chart_project)["largest-ipos"]
    by_size = sorted(t.rows, key=lambda r: -r.values["proceeds"].amount)
    assert [r["company"] for r in chart.rows] == [r.values["company"] for r in by_size]
    top, second = by_size[0].values, by_size[1].values
    assert chart.takeaway.startswith(f"{top['company']} ({top['year']}) is the largest IPO here, "
                                     f"{top['proceeds'].display()}")
    assert f"{second['company']} ({second['year']}) at {second['proceeds'].display()}" in chart.takeaway
    assert f"({top['proceeds_with_overallotment'].display()} with over-allotment)" in chart.alt
    rows = list(csv.DictReader(io.StringIO(chart.csv_text())))
    assert rows[0]["base_qualifier"] == "" and rows[1]["base_qualifier"] == "about"


def test_gpu_chart_computes_throughput_per_watt(chart_project):
    ds = _dataset(chart_project)
    t = {r.id: r.values for r in ds.tables["gpu-specs"].rows}
    chart = _charts(chart_project)["gpu-generations"]
    per_w = {r["gpu"]: r["fp8_dense_tflops_per_w"] for r in chart.rows}
    for v in t.values():
        assert per_w[v["gpu"]] == round(v["fp8_dense_tflops"] / v["max_tdp_w"], 2)
    # FP4 has one value only: not compared, and the notes say why
    assert "fp4_dense_tflops_per_w" not in chart.rows[0]
    assert any("only G2 has a figure" in n for n in chart.notes)
    assert "4.5 FP8 dense TFLOPS per watt" in chart.takeaway


def test_who_funds_whom_finds_strategic_investors_in_labs(project):
    ds = _dataset(project)
    chart = _charts(project)["who-funds-whom"]
    expected = [(inv.company, c.id, e.id) for c in ds.companies.values() if c.kind == "ai-lab"
                for e in c.events for inv in e.investors
                if inv.company and ds.companies[inv.company].kind in ch_mod.STRATEGIC_KINDS]
    assert len(chart.rows) == len(expected) > 0
    assert all(r["basis"] == "share not disclosed" for r in chart.rows)  # two investors, no amounts


# ---------------------------------------------------------------------------------------------
# Safety


HOSTILE = "</script><img src=x onerror=alert(1)> \"'); alert(1)//"


def _walk(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, path + (i,))
    elif isinstance(value, str):
        yield path, value


def test_hostile_names_stay_inert_text_in_spec_svg_and_page(chart_project):
    f = chart_project / "data/companies/acme-ai.yaml"
    f.write_text(f.read_text().replace("name: Acme AI", f"name: '{HOSTILE.replace(chr(39), chr(39) * 2)}'")
                 .replace("round: Series B", "round: '<b>{{ 7*7 }}</b>'"))
    import vl_convert as vlc

    charts = _charts(chart_project)
    render_charts(list(charts.values()), ch_mod.Cache(chart_project), workers=1)
    for c in charts.values():
        # in the spec the text is a data value only: never in an expression, sort order or domain
        for path, text in _walk(c.base):
            if "onerror" in text or "7*7" in text:
                assert path[0] == "datasets", (c.id, path)
        vega = vlc.vegalite_to_vega(c.base)
        for path, text in _walk(vega):
            if "onerror" in text or "7*7" in text:
                assert "values" in path, (c.id, path)
        # the downloadable JSON has no raw markup characters at all
        assert "<" not in c.spec_json() and "</script>" not in c.spec_json()
        # the SVG is well-formed XML holding the name as text, with no element made from it
        svg = ch_mod.inline_svg(c.svg_raw, c.id)
        assert "<img" not in svg and "<script" not in svg and "<b>" not in svg
        ET.fromstring(svg)
    texts = "".join(ET.fromstring(charts["valuations-over-time"].svg_raw).itertext())
    assert "</script><img src=x onerror=alert(1)>" in texts
    # and on the built page
    assert build_site(chart_project, Path("site")) == 0
    for page in ("companies/acme-ai/index.html", "articles/charts/index.html"):
        html = (chart_project / "site" / page).read_text()
        assert "<img src=x" not in html and "</script><img" not in html and "<b>" not in html
    # shown as text: the takeaway names the company, escaped
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in \
        (chart_project / "site/articles/charts/index.html").read_text()


def test_unknown_chart_id_fails_the_check_with_path_line_and_suggestion(project):
    art = project / "site_src/articles/first.md"
    text = art.read_text()
    art.write_text(text + "\nProse.\n\n{{ chart(\"valuations-over-tme\") }}\n")
    line = text.count("\n") + 4
    problems, _ = _render(project)
    assert [p.format() for p in problems.sorted()] == [
        f"site_src/articles/first.md:{line}: unknown chart 'valuations-over-tme'; did you mean "
        "'valuations-over-time'?"]


def test_optional_placement_places_nothing_for_a_company_without_chart(project):
    problems, pages = _render(project)
    assert problems.report() == "no problems found"
    assert "fl-chart" not in pages["companies/bigcloud.md"]
    assert 'id="chart-valuation-acme-ai"' in pages["companies/acme-ai.md"]


# ---------------------------------------------------------------------------------------------
# The built page


def test_built_pages_hold_svg_table_and_working_download_links(chart_project):
    assert build_site(chart_project, Path("site")) == 0
    site = chart_project / "site"
    for page, ids in (("companies/acme-ai/index.html", ["valuation-acme-ai"]),
                      ("articles/charts/index.html", [c for c in ALL_CHARTS
                                                      if c != "valuation-acme-ai"])):
        html = (site / page).read_text()
        for cid in ids:
            fig = re.search(rf'<figure class="fl-chart" id="chart-{cid}">(.*?)</figure>', html, re.S)
            assert fig, (page, cid)
            body = fig.group(1)
            assert re.search(r'<div aria-label="[^"]{40,}" class="fl-chart__svg" role="img">\s*<svg',
                             body) or re.search(r'class="fl-chart__svg" role="img" aria-label="[^"]{40,}"',
                                                body), cid
            assert "<svg" in body and 'viewBox="' in body
            assert '<details class="fl-chart__data">' in body and '<table class="fl-table">' in body
            assert re.search(r'<sup class="fl-cite">\[<a href="#fl-src-\d+"', body)
            links = re.findall(r'<a href="([^"]+)">(CSV|Vega-Lite spec|SVG|PNG)</a>', body)
            # a company's own chart has no PNG download (see charts.Chart.png_download)
            want = ["CSV", "Vega-Lite spec", "SVG"] + ([] if cid.startswith("valuation-") else ["PNG"])
            assert [t for _, t in links] == want, cid
            for href, _ in links:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
                assert (site / target).is_file(), (page, href)
                assert target.startswith(f"charts/{cid}.")
        # the page's numbered sources list holds the chart's sources
        assert '<span id="fl-src-1"></span>' in html
    assert (site / "assets/charts.css").is_file()
    assert 'href="../../assets/charts.css"' in (site / "companies/acme-ai/index.html").read_text()
    # the downloads are what they say
    charts = site / "charts"
    assert (charts / "latest-valuations.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (charts / "valuation-acme-ai.png").exists()
    ET.fromstring((charts / "valuation-acme-ai.svg").read_text())
    spec = json.loads((charts / "valuation-acme-ai.vl.json").read_text())
    assert spec["title"]["text"] == "Acme AI: post-money valuation over time"
    assert next(csv.reader(io.StringIO((charts / "valuation-acme-ai.csv").read_text())))[0] == "date"


def test_ids_in_inline_svg_are_unique_per_chart():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><clipPath id="c1">'
           '<rect/></clipPath></defs><g clip-path="url(#c1)"><use href="#c1"/></g></svg>')
    out = ch_mod.inline_svg(svg, "a")
    assert 'id="fl-a-c1"' in out and "url(#fl-a-c1)" in out and 'href="#fl-a-c1"' in out
    assert out.startswith('<svg aria-hidden="true" focusable="false"')


# ---------------------------------------------------------------------------------------------
# The cache


def test_unchanged_charts_are_not_rendered_again(project, tmp_path, monkeypatch):
    import vl_convert as vlc

    monkeypatch.setenv("FL_CHART_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("FL_CHART_WORKERS", "1")
    calls: list[int] = []
    real = vlc.vegalite_to_svg
    monkeypatch.setattr(vlc, "vegalite_to_svg", lambda *a, **k: calls.append(1) or real(*a, **k))

    def run() -> int:
        calls.clear()
        problems, _ = _render(project)
        assert problems.report() == "no problems found"
        return len(calls)

    n = len(_charts(project))
    assert run() == n
    assert run() == 0  # a fresh registry, everything from the cache
    # a changed valuation re-renders the charts that show it, and only those
    f = project / "data/companies/acme-ai.yaml"
    f.write_text(f.read_text().replace("post_money_valuation: USD 10 billion",
                                       "post_money_valuation: USD 12 billion")
                 .replace("pre_money_valuation: USD 8.5 billion", "pre_money_valuation: USD 10.5 billion"))
    assert run() == 3  # valuations-over-time, latest-valuations, valuation-acme-ai


def test_rendering_in_worker_processes_gives_the_same_output(project, tmp_path, monkeypatch):
    monkeypatch.delenv("FL_CHART_CACHE", raising=False)
    a, b = build_charts(_dataset(project)), build_charts(_dataset(project))
    render_charts(a, ch_mod.Cache(tmp_path / "one"), workers=1)
    stats = render_charts(b, ch_mod.Cache(tmp_path / "two"), workers=2)
    assert stats.workers == 2 and stats.misses == len(b)
    assert [c.svg_raw for c in a] == [c.svg_raw for c in b]


def test_a_chart_that_cannot_be_rendered_is_a_located_problem(project, monkeypatch):
    import vl_convert as vlc

    monkeypatch.setenv("FL_CHART_WORKERS", "1")
    monkeypatch.setattr(ch_mod, "OUTPUT_VERSION", "broken")  # miss the cache

    def boom(*a, **k):
        raise ValueError("Vega-Lite to SVG conversion failed:\nError: something")

    monkeypatch.setattr(vlc, "vegalite_to_svg", boom)
    problems = Problems()
    ds = load(project, problems)
    reg = Registry(ds, project, problems)
    reg.ensure_rendered()
    assert "data/companies/acme-ai.yaml: chart 'valuation-acme-ai' could not be rendered: " \
           "ValueError: Vega-Lite to SVG conversion failed:" in problems.report()
    assert reg.assets() == []


# ---------------------------------------------------------------------------------------------
# In the browser: both palettes, phone width


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.mark.browser
def test_charts_read_in_both_palettes_and_fit_a_phone(chart_project, browser):
    assert build_site(chart_project, Path("site")) == 0
    httpd = socketserver.ThreadingTCPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(chart_project / "site")))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/articles/charts/"
    probe = """() => {
        const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).map(Number);
                           return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const bg = lum(getComputedStyle(document.body).backgroundColor);
        const texts = [...document.querySelectorAll('.fl-chart__svg text[fill="#222222"]')];
        const worst = Math.max(...texts.map(t => -Math.abs(lum(getComputedStyle(t).fill) - bg)));
        const svgs = [...document.querySelectorAll('.fl-chart__svg svg')];
        return {bg, worst, n: texts.length,
                overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                widest: Math.max(...svgs.map(s => s.getBoundingClientRect().right)),
                client: document.documentElement.clientWidth};
    }"""
    try:
        for scheme, width in (("light", 1280), ("dark", 1280), ("dark", 360), ("light", 360)):
            ctx = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
            page = ctx.new_page()
            page.goto(url, wait_until="networkidle")
            got = page.evaluate(probe)
            assert got["n"] > 20
            # every chart text differs clearly from the background (no black on dark)
            assert -got["worst"] > 100, (scheme, got)
            assert got["overflow"] <= 0 and got["widest"] <= got["client"], (scheme, width, got)
            ctx.close()
    finally:
        httpd.shutdown()


def test_the_checks_probe_finds_exactly_the_charts_the_build_makes(project):
    """check uses available_ids (no Altair, no specs); the build uses build_charts."""
    from generator.charts import available_ids, build_charts
    from generator.load import load
    from generator.problems import Problems

    from conftest import REPO

    for root in (project, REPO):
        ds = load(root, Problems())
        assert available_ids(ds) == [c.id for c in build_charts(ds)]


def test_capital_chart_does_not_add_money_counted_inside_another_event(project):
    from generator.charts import build_charts
    from generator.load import load
    from generator.problems import Problems

    def strategic_total(root):
        ds = load(root, Problems())
        ch = next(c for c in build_charts(ds) if c.id == "capital-raised")
        return {r["category"]: r["amount"].amount for r in ch.rows if r["company"] == "Acme AI"}, ch

    before, _ = strategic_total(project)
    f = project / "data/companies/acme-ai.yaml"
    f.write_text(f.read_text().replace(
        "    status: confirmed\n    sources: [acme-news-2021]\n  - id: series-b",
        "    counted_in: series-b\n    status: confirmed\n    sources: [acme-news-2021]\n"
        "  - id: series-b"))
    after, ch = strategic_total(project)
    primary = next(k for k in before if k.startswith("Primary"))
    assert before[primary] - after[primary] == 100_000_000  # the Series A is no longer added
    assert any("Not added again: Acme AI's Series A (US$100 million) is part of its Series B" in n
               for n in ch.notes)


# ---------------------------------------------------------------------------------------------
# Speed at scale (generator/bench.py measures it): the same output, built with less work


def test_timelines_built_without_altair_equal_altairs(chart_project, monkeypatch):
    """The valuation timelines are built by a stand-in for Altair (charts._Lite); the specs are
    the same as Altair's, for the test data and for the shipped data."""
    repo = Path(__file__).resolve().parent.parent
    for root in (chart_project, repo):
        ds = _dataset(root)
        monkeypatch.setattr(ch_mod, "LITE_TIMELINES", False)
        with_altair = {c.id: c.spec_json() for c in build_charts(ds)}
        monkeypatch.setattr(ch_mod, "LITE_TIMELINES", True)
        lite = {c.id: c.spec_json() for c in build_charts(ds)}
        assert any(cid.startswith("valuation") for cid in lite)
        assert lite == with_altair


def test_charts_taken_from_the_built_cache_equal_fresh_ones(chart_project, tmp_path, monkeypatch):
    ds = _dataset(chart_project)
    fresh = build_charts(ds)
    monkeypatch.setattr(ch_mod.BuiltCharts, "_memory", {})
    first = build_charts(ds, ch_mod.BuiltCharts(tmp_path))  # builds and keeps them
    monkeypatch.setattr(ch_mod.BuiltCharts, "_memory", {})  # from the files alone
    calls: list[str] = []
    real = ch_mod.chart_company_valuation
    monkeypatch.setattr(ch_mod, "chart_company_valuation",
                        lambda *a, **k: calls.append("built") or real(*a, **k))
    kept = build_charts(ds, ch_mod.BuiltCharts(tmp_path))
    assert calls == []  # nothing built again
    for a, b, c in zip(fresh, first, kept, strict=True):
        for x in (b, c):
            assert (x.id, x.title, x.takeaway, x.alt, x.notes, x.columns, x.sources, x.origin,
                    x.png_download, x.data_as_of) == \
                   (a.id, a.title, a.takeaway, a.alt, a.notes, a.columns, a.sources, a.origin,
                    a.png_download, a.data_as_of)
            assert x.rows == a.rows and x.spec_json() == a.spec_json()
            assert x.csv_text() == a.csv_text()
    # a changed company builds its own chart again, and the comparisons, and nothing else
    f = chart_project / "data/companies/acme-ai.yaml"
    f.write_text(f.read_text().replace("post_money_valuation: USD 10 billion",
                                       "post_money_valuation: USD 12 billion")
                 .replace("pre_money_valuation: USD 8.5 billion", "pre_money_valuation: USD 10.5 billion"))
    changed = {c.id: c for c in build_charts(_dataset(chart_project), ch_mod.BuiltCharts(tmp_path))}
    assert calls == ["built"]
    assert "US$12 billion" in changed["valuation-acme-ai"].alt
    assert "US$12 billion" in changed["latest-valuations"].alt


def test_comparison_charts_show_the_largest_companies_only(project):
    """However many companies the data holds, a comparison chart draws at most a few (the pages
    beside it list them all), so that it stays readable and costs the same to build and render."""
    src = (project / "data/companies/acme-ai.yaml").read_text()
    n = ch_mod.MAX_BARS + 3
    for i in range(n):
        (project / f"data/companies/lab-{i}.yaml").write_text(
            src.replace("id: acme-ai", f"id: lab-{i}").replace("name: Acme AI", f"name: Lab {i}")
            .replace("USD 10 billion", f"USD {10 + i} billion")
            .replace("USD 8.5 billion", f"USD {8.5 + i} billion"))
    charts = _charts(project)
    latest = charts["latest-valuations"]
    assert len(latest.rows) == ch_mod.MAX_BARS
    assert latest.rows[0]["company"] == f"Lab {n - 1}"  # the highest first
    assert any(f"The {ch_mod.MAX_BARS} highest of {n + 1} latest marks" in x for x in latest.notes)
    timeline = charts["valuations-over-time"]
    assert len({r["company"] for r in timeline.rows}) == ch_mod.MAX_TIMELINE_COMPANIES
    assert any("companies with the highest marks are drawn" in x for x in timeline.notes)
    capital = charts["capital-raised"]
    assert len({r["company"] for r in capital.rows}) == ch_mod.MAX_CAPITAL_LABS
    assert any("labs that raised the most are shown" in x for x in capital.notes)
    funds = charts["who-funds-whom"]
    assert len({r["lab"] for r in funds.rows}) <= ch_mod.MAX_FUNDING_LABS
    assert any("Shown: the investments in the" in x for x in funds.notes)
    # every profile still has its own chart
    assert all(f"valuation-lab-{i}" in charts for i in range(n))


def test_a_build_renders_missing_charts_in_the_background_with_the_same_output(
        chart_project, tmp_path, monkeypatch):
    """The site build renders charts missing from the cache in worker processes while MkDocs
    converts the pages (charts.Registry, deferred); the built site is the one an in-process
    render gives, and the chart's SVG in the page is the published inline SVG."""
    from test_build import tree_digest

    monkeypatch.setenv("FL_CHART_CACHE", str(tmp_path / "cache-workers"))
    monkeypatch.setenv("FL_CHART_WORKERS", "2")
    monkeypatch.setattr(ch_mod, "OUTPUT_VERSION", "workers")  # nothing from the shared cache
    assert build_site(chart_project, Path("site-a")) == 0
    monkeypatch.setenv("FL_CHART_CACHE", str(tmp_path / "cache-here"))
    monkeypatch.setenv("FL_CHART_WORKERS", "1")
    specs, render_to_files = [], ch_mod._render_to_files

    def recording(cache_dir, key, spec, *rest):
        specs.append(spec.is_file() if isinstance(spec, Path) else spec)
        return render_to_files(cache_dir, key, spec, *rest)

    monkeypatch.setattr(ch_mod, "_render_to_files", recording)
    assert build_site(chart_project, Path("site-b")) == 0
    assert specs and all(s is True for s in specs)  # each spec handed over as a file
    assert tree_digest(chart_project / "site-a") == tree_digest(chart_project / "site-b")
    site = chart_project / "site-a"
    inline = (site / "charts/valuation-acme-ai.inline.svg").read_text()
    assert inline in (site / "companies/acme-ai/index.html").read_text()
    assert "fl-svg-chart-" not in (site / "companies/acme-ai/index.html").read_text()
    assert not ch_mod._PENDING
    # the specs waited in the cache folder for the workers, and are gone once rendered
    for cache in ("cache-workers", "cache-here"):
        assert list((tmp_path / cache).glob("*.svg"))
        assert not list((tmp_path / cache).glob("*.spec.json")), cache


def test_a_chart_that_cannot_be_rendered_stops_the_build_with_a_located_problem(
        project, tmp_path, monkeypatch, capsys):
    from test_build import tree_digest

    assert build_site(project, Path("site")) == 0
    before = tree_digest(project / "site")
    monkeypatch.setenv("FL_CHART_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("FL_CHART_WORKERS", "1")

    def boom(*a, **k):
        raise ValueError("Vega-Lite to SVG conversion failed:\nError: something")

    import vl_convert as vlc

    monkeypatch.setattr(vlc, "vegalite_to_svg", boom)
    assert build_site(project, Path("site")) == 1
    err = capsys.readouterr().err
    assert "data/companies/acme-ai.yaml: chart 'valuation-acme-ai' could not be rendered: " \
           "ValueError: Vega-Lite to SVG conversion failed:" in err
    assert "site/ was left as it was" in err and "Traceback" not in err
    assert tree_digest(project / "site") == before
    assert not ch_mod._PENDING


def test_a_spec_written_once_is_not_kept_on_the_chart(project):
    chart = _charts(project)["valuation-acme-ai"]
    once = chart.spec_json(keep=False)
    assert "_spec_json" not in chart.__dict__  # a cold build writes it to the cache, no more
    assert chart.spec_json() == once and chart.__dict__["_spec_json"] == once
