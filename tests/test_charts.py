"""Charts (generator/charts/): golden Vega-Lite specs, words and tables computed from the data, the
built figure with its downloads, hostile text kept inert, located errors, the one render pipeline,
the caches and what invalidates them, and how a chart looks in Chromium in both palettes and at
phone width."""

from __future__ import annotations

import csv
import dataclasses
import functools
import http.server
import io
import json
import posixpath
import re
import socketserver
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.charts import CHART_KINDS, ChartStore, Charts, build_all, instances
from generator.charts.cache import BuiltCharts, RenderCache, code_digest
from generator.charts.figure import csv_text, table_html
from generator.charts.pipeline import Rendering
from generator.charts.spec import SpecBuilder
from generator.charts.svg import inline_svg
from generator.load import load
from generator.mkdocs_glue import build_site
from generator.problems import Problems
from support import REPO, render_pages, tree_digest
from tools import synthetic

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
RACK_TABLE = """\
id: rack-power
title: Power per rack
description: A small table used by the chart tests.
columns:
  - {id: rack, label: Rack, type: text}
  - {id: power_kw, label: Power per rack, type: decimal, unit: kW}
  - {id: power_terms, label: Terms, type: text}
rows:
  - id: typical
    label: Typical rack in a survey
    values: {rack: Typical rack, power_kw: 8, power_terms: "below, on average"}
    status: reported
    sources: [daily-2023]
  - id: dense
    label: One dense AI rack
    values: {rack: Dense AI rack, power_kw: 132.5, power_terms: about}
    status: confirmed
    sources: [acme-news-2021]
  - id: ceiling
    label: Densest rack at most sites
    values: {rack: Densest rack, power_kw: 20, power_terms: at most}
    status: unverified
    sources: [acme-news-2021]
"""
ALL_CHARTS = ["valuations-over-time", "latest-valuations", "capital-raised", "who-funds-whom",
              "largest-ipos", "gpu-generations", "rack-power", "valuation-acme-ai"]
ARTICLE = """---
title: Every chart
description: An article that places every comparison chart.
published: 2026-11-20
---
# Every chart

""" + "\n\n".join(f'{{{{ chart("{c}") }}}}' for c in ALL_CHARTS if c != "valuation-acme-ai") + "\n"


@pytest.fixture
def chart_project(project: Path) -> Path:
    """The mini project plus three tables, and an article that places every comparison chart."""
    (project / "data/tables/largest-ipos.yaml").write_text(IPO_TABLE)
    (project / "data/tables/gpu-specs.yaml").write_text(GPU_TABLE)
    (project / "data/tables/rack-power.yaml").write_text(RACK_TABLE)
    (project / "site_src/articles/charts.md").write_text(ARTICLE)
    return project


def _dataset(root: Path):
    problems = Problems()
    ds = load(root, problems)
    assert problems.report() == "no problems found"
    return ds


def _charts(root: Path) -> dict:
    return {c.id: c for c in build_all(_dataset(root))}


def _csv(chart) -> list[dict]:
    return list(csv.DictReader(io.StringIO(csv_text(chart))))


# ---------------------------------------------------------------------------------------------
# Specs


def test_every_chart_the_data_supports_is_registered(chart_project):
    assert sorted(_charts(chart_project)) == sorted(ALL_CHARTS)


def test_charts_without_data_are_not_registered(project):
    assert sorted(_charts(project)) == ["capital-raised", "latest-valuations", "valuation-acme-ai",
                                        "valuations-over-time", "who-funds-whom"]


@pytest.mark.parametrize("edit, drawn", [
    ((), True),
    # the latest mark in euros: no bar in US dollars
    (("USD 1.5 billion", "EUR 1.5 billion", "USD 8.5 billion", "EUR 8.5 billion",
      "valuation: USD 10 billion", "valuation: EUR 10 billion"), False),
    # the latest mark is a price of another kind: named apart, not drawn
    (("valuation_basis: post-money\n    status: reported", "valuation_basis: not-stated\n"
      "    status: reported"), False),
    # the company is now part of another: named apart, not drawn
    (("relationships:\n", "relationships:\n  - company: bigcloud\n    role: parent\n"
      "    since: 2024-01\n    status: confirmed\n    sources: [daily-2023]\n"), False),
], ids=["post-money in US dollars", "in euros", "another kind", "part of another"])
def test_latest_valuations_exists_when_one_company_s_latest_deal_is_a_bar(project, edit, drawn):
    path = project / "data/companies/acme-ai.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in zip(edit[::2], edit[1::2]):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    ids = [inst.id for _, inst in instances(load(project, problems))]
    assert problems.report() == "no problems found"
    assert ("latest-valuations" in ids) is drawn
    assert ("latest-valuations" in _charts(project)) is drawn


def test_the_check_knows_exactly_the_charts_the_build_makes(project):
    """The check asks each kind which charts exist (no Altair, no specs); the build builds them."""
    for root in (project, REPO):
        ds = load(root, Problems())
        assert [inst.id for _, inst in instances(ds)] == [c.id for c in build_all(ds)]


def test_vega_lite_specs_match_golden_files_and_the_schema(chart_project, update_golden):
    import altair as alt
    from altair.utils.schemapi import validate_jsonschema

    # Altair checks each part as it is built, and the assembled spec is checked as a whole
    charts = {c.id: c for c in build_all(_dataset(chart_project), validate=True)}
    schema = alt.vegalite.v6.schema.core.load_schema()
    for c in charts.values():
        validate_jsonschema(c.spec, schema)
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


class _Kept(SpecBuilder):
    """A builder that keeps the spec it finished, as a dict (its keys in the order written)."""

    def finish(self, *parts):
        self.spec = super().finish(*parts)
        return self.spec


def test_every_kind_built_without_altair_equals_altairs(chart_project, tmp_path):
    """Every kind is built by a stand-in for Altair (charts.lite); each chart's spec is the same
    as Altair's, key for key and in the same order, for the test data, the shipped data and a
    synthetic project of 150 companies."""
    assert all(k.lite for k in CHART_KINDS)
    synthetic.synthetic_project(tmp_path / "synthetic", 150)
    seen: set[str] = set()
    for root in (chart_project, REPO, tmp_path / "synthetic"):
        ds = _dataset(root)
        for kind, inst in instances(ds):
            lite, alt = _Kept.lite(), _Kept.altair()
            lite_json = kind.build(ds, inst, lite).base_json
            assert lite_json == kind.build(ds, inst, alt).base_json, inst.id
            assert json.dumps(lite.spec) == json.dumps(alt.spec), inst.id
            seen.add(kind.name)
    assert seen == {k.name for k in CHART_KINDS}


def test_a_spec_built_without_altair_is_checked_when_asked():
    """validate=True (the golden test, FL_CHART_VALIDATE=1): Altair checks each part as it builds
    it; the stand-in has the finished spec checked against the same schema."""
    import jsonschema

    from generator.charts.lite import Lite

    def spec(validate: bool) -> dict:
        b = SpecBuilder.lite(validate=validate)
        return b.finish(Lite.Chart(b.data([{"a": 1}])).mark_point(filed=True).encode(x="a:Q"))

    assert spec(False)["mark"] == {"type": "point", "filed": True}
    with pytest.raises(jsonschema.ValidationError):
        spec(True)


# ---------------------------------------------------------------------------------------------
# Words and tables come from the data


def test_company_timeline_words_table_and_csv(project):
    chart = _charts(project)["valuation-acme-ai"]
    assert chart.takeaway == ("Acme AI's post-money valuation rose from US$1 billion (May 2021) to "
                              "US$10 billion (1 Feb 2023), 10 times the first.")
    assert chart.alt == (
        "Chart of Acme AI's valuations over time, coloured by kind of price (post-money "
        "valuation), May 2021 to 1 Feb 2023, on a logarithmic scale in US$ billion; filled points "
        "are confirmed, tinted reported, hollow rumored or unverified. Lowest: Series A, US$1 "
        "billion, post-money valuation (May 2021). Highest: Series B, US$10 billion, post-money "
        "valuation (1 Feb 2023, reported).")
    assert chart.notes == [
        "Logarithmic scale: the values span a 10-fold range, so equal vertical steps mean equal "
        "growth rates and the early, smaller marks stay visible.",
        "Marks of one kind of price set by deals are joined by a line (solid for post-money "
        "valuations, dashed for the others); talks, targets and declined offers are points only. "
        "Prices of different kinds are not the same measure: a share sale's price is not a "
        "round's post-money valuation."]
    html = table_html(chart)
    assert html.count("<tr>") == 3  # the header and one row per mark
    assert "<td>Series A &#40;primary round&#41;</td>" in html and "<td>Post&#45;money</td>" in html
    assert '<td style="text-align:right">US&#36;10 billion</td>' in html
    assert csv_text(chart) == (
        "date,event,value,value_low,value_high,value_currency,value_qualifier,basis,status,"
        "sources\n"
        "2021-05,Series A (primary round),1000000000,1000000000,1000000000,USD,,Post-money,"
        "confirmed,acme-news-2021\n"
        "2023-02-01,Series B (primary round),10000000000,10000000000,10000000000,USD,,Post-money,"
        "reported,acme-news-2021 daily-2023\n")
    assert chart.sources == ["acme-news-2021", "daily-2023"]
    assert str(chart.data_as_of) == "2023-02-02"
    assert chart.png_download is False


def test_capital_chart_sums_events_and_keeps_committed_apart(chart_project):
    chart = _charts(chart_project)["capital-raised"]
    assert csv_text(chart) == (
        "company,category,amount,amount_low,amount_high,amount_currency,amount_qualifier,events,"
        "status,sources\n"
        'Acme AI,"Primary rounds, raised",1600000000,1600000000,1600000000,USD,,2,'
        '"confirmed, reported",acme-news-2021 daily-2023\n')
    assert chart.takeaway == ("Acme AI has raised the most, US$1.6 billion in primary rounds and "
                              "strategic investments.")


def test_capital_chart_shows_commitments_apart_from_money_raised(project):
    f = project / "data/companies/acme-ai.yaml"
    f.write_text(f.read_text().replace("    amount_raised: USD 1.5 billion\n",
                                       "    amount_raised: USD 1.5 billion\n"
                                       "    amount_committed: up to USD 4 billion\n"))
    chart = _charts(project)["capital-raised"]
    rows = [(r["category"], r["amount"], r["amount_qualifier"]) for r in _csv(chart)]
    # what was paid at once is part of the commitment: up to 4 less 1.5 is left
    assert rows == [("Primary rounds, raised", "1600000000", ""),
                    ("Committed, not known to be paid", "2500000000", "up to")]
    assert chart.takeaway == ("Acme AI has raised the most, US$1.6 billion in primary rounds and "
                              "strategic investments, with up to US$2.5 billion more committed and "
                              "not known to be paid.")


def test_capital_chart_does_not_add_money_counted_inside_another_event(project):
    f = project / "data/companies/acme-ai.yaml"
    f.write_text(f.read_text().replace(
        "    status: confirmed\n    sources: [acme-news-2021]\n  - id: series-b",
        "    counted_in: series-b\n    status: confirmed\n    sources: [acme-news-2021]\n"
        "  - id: series-b"))
    chart = _charts(project)["capital-raised"]
    assert [(r["category"], r["amount"]) for r in _csv(chart)] == [
        ("Primary rounds, raised", "1500000000")]  # the Series A is no longer added
    assert "Not added again: Acme AI's Series A (US$100 million) is part of its Series B." in \
        chart.notes


def test_largest_ipos_chart_is_sorted_and_computed_from_the_table(chart_project):
    chart = _charts(chart_project)["largest-ipos"]
    assert [r["company"] for r in chart.rows] == ["Acme AI", "Midco", "Oldco"]
    assert chart.takeaway == ("Acme AI (2024) is the largest IPO here, US$30 billion in its base "
                              "deal, 1.5 times the next, Midco (2015) at about US$20 billion.")
    assert chart.alt == (
        "Bar chart of the proceeds of the 3 largest IPOs in US$ billion, base deal with the "
        "over-allotment as a lighter extension where known, largest first. Largest: Acme AI "
        "(2024), US$30 billion (US$34.5 billion with over-allotment). Smallest shown: Oldco "
        "(2010), US$12 billion.")
    assert [(r["base"], r["base_qualifier"], r["total"]) for r in _csv(chart)] == [
        ("30000000000", "", "34500000000"), ("20000000000", "about", "23000000000"),
        ("12000000000", "", "")]


def test_gpu_chart_computes_throughput_per_watt(chart_project):
    chart = _charts(chart_project)["gpu-generations"]
    # FP8: 2000 / 700 and 4500 / 1000; FP4 has one value only, so it is not compared
    assert [(r["gpu"], r["fp8_dense_tflops_per_w"]) for r in chart.rows] == [("G1", 2.86),
                                                                            ("G2", 4.5)]
    assert "fp4_dense_tflops_per_w" not in chart.rows[0]
    assert chart.notes[-1] == "FP4 dense per watt is not compared: only G2 has a figure."
    assert chart.takeaway == ("G2 does 4.5 FP8 dense TFLOPS per watt, 1.6 times the G1's 2.86, at "
                              "1.4 times the power (1,000 W against 700 W).")


def test_rack_power_chart_keeps_row_order_zero_and_each_figure_s_terms(chart_project):
    chart = _charts(chart_project)["rack-power"]
    # the table's order, not sorted by size
    assert [r["rack"] for r in chart.rows] == ["Typical rack", "Dense AI rack", "Densest rack"]
    assert chart.takeaway == ("One dense AI rack: 132.5 kW (about), 17 times the 8 kW (below, on "
                              "average) of the typical rack in a survey.")
    assert chart.alt == (
        "Horizontal bar chart of the power one rack draws, in kW, for 3 racks in the table's "
        "order, bars starting at zero: Typical rack, 8 kW (below, on average); Dense AI rack, "
        "132.5 kW (about); Densest rack, 20 kW (at most). Solid bars are confirmed, tinted "
        "reported, hollow rumored or unverified.")
    assert chart.notes[1] == ("Typical rack and Densest rack: the figure is a ceiling, not a "
                              "measurement; the racks it describes draw less.")
    assert [(r["rack"], r["power"], r["terms"], r["status"]) for r in _csv(chart)] == [
        ("Typical rack", "8", "below, on average", "reported"),
        ("Dense AI rack", "132.5", "about", "confirmed"),
        ("Densest rack", "20", "at most", "unverified")]
    layer = chart.base["vconcat"][0]
    scale = layer["layer"][0]["encoding"]["x"]["scale"]
    assert scale["domain"][0] == 0 and scale["zero"] is True
    assert [r["fo"] for r in chart.base["datasets"][layer["data"]["name"]]] == [0.3, 1.0, 0.0]


def test_who_funds_whom_finds_strategic_investors_in_labs(project):
    chart = _charts(project)["who-funds-whom"]
    assert [(r["investor"], r["lab"], r["event"], r["how"]) for r in chart.rows] == [
        ("BigCloud", "Acme AI", "Series A", "share not disclosed")]  # two investors, no amounts
    assert chart.takeaway == "1 investment by BigCloud; no amounts disclosed."


def test_comparison_charts_show_the_largest_companies_only(project):
    """However many companies the data holds, a comparison chart draws at most a few (the pages
    beside it list them all), so that it stays readable and costs the same to build and render."""
    src = (project / "data/companies/acme-ai.yaml").read_text()
    for i in range(15):
        (project / f"data/companies/lab-{i}.yaml").write_text(
            src.replace("id: acme-ai", f"id: lab-{i}").replace("name: Acme AI", f"name: Lab {i}")
            .replace("USD 10 billion", f"USD {10 + i} billion")
            .replace("USD 8.5 billion", f"USD {8.5 + i} billion"))
    charts = _charts(project)
    latest = charts["latest-valuations"]
    assert len(latest.rows) == 12
    assert latest.rows[0]["company"] == "Lab 14"  # the highest first
    assert latest.notes[-1] == ("The 12 highest of 16 latest marks are shown; the table below "
                                "lists every company.")
    timeline = charts["valuations-over-time"]
    assert len({r["company"] for r in timeline.rows}) == 8
    assert timeline.notes[-1] == ("The 8 companies with the highest marks are drawn, of 16 with "
                                  "two or more; the table below lists every mark.")
    capital = charts["capital-raised"]
    assert len({r["company"] for r in capital.rows}) == 8
    assert capital.notes[-1] == ("The 8 labs that raised the most are shown, of 16; each lab's "
                                 "events are on its profile.")
    funds = charts["who-funds-whom"]
    assert len({r["lab"] for r in funds.rows}) == 8
    assert funds.notes[-1].startswith("Shown: the investments in the 8 labs that received the "
                                      "most of them, by the 1 investors with the most, of 16 ")
    # every profile still has its own chart
    assert sorted(c for c in charts if c.startswith("valuation-lab-")) == sorted(
        f"valuation-lab-{i}" for i in range(15))


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


def test_hostile_names_stay_inert_text_in_spec_svg_and_page(chart_project, tmp_path):
    f = chart_project / "data/companies/acme-ai.yaml"
    f.write_text(f.read_text().replace("name: Acme AI", f"name: '{HOSTILE.replace(chr(39), chr(39) * 2)}'")
                 .replace("round: Series B", "round: '<b>{{ 7*7 }}</b>'"))
    import vl_convert as vlc

    problems = Problems()
    charts = Charts(_dataset(chart_project), problems, store=ChartStore(tmp_path / "cache"))
    assert charts.finish() == []
    for c in charts.charts.values():
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
        svg = charts.inline_svg(c.id)
        assert "<img" not in svg and "<script" not in svg and "<b>" not in svg
        ET.fromstring(svg)
    texts = "".join(ET.fromstring(charts.inline_svg("valuations-over-time")).itertext())
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
    problems, _ = render_pages(project)
    assert [p.format() for p in problems.sorted()] == [
        f"site_src/articles/first.md:{line}: unknown chart 'valuations-over-tme'; did you mean "
        "'valuations-over-time'?"]


def test_optional_placement_places_nothing_for_a_company_without_chart(project):
    problems, pages = render_pages(project)
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
            assert '<details class="fl-chart__data">' in body and '<table class="fl-table" role="table"' in body
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
    assert spec["title"]["text"] == "Acme AI: valuations over time"
    assert next(csv.reader(io.StringIO((charts / "valuation-acme-ai.csv").read_text())))[0] == "date"


def test_ids_in_inline_svg_are_unique_per_chart():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><clipPath id="c1">'
           '<rect/></clipPath></defs><g clip-path="url(#c1)"><use href="#c1"/></g></svg>')
    out = inline_svg(svg, "a")
    assert out == ('<svg aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg" '
                   'width="10" height="10"><defs><clipPath id="fl-a-c1"><rect/></clipPath></defs>'
                   '<g clip-path="url(#fl-a-c1)"><use href="#fl-a-c1"/></g></svg>')


# ---------------------------------------------------------------------------------------------
# The one render pipeline and the caches


def test_unchanged_charts_are_not_rendered_again(project, tmp_path, monkeypatch):
    import vl_convert as vlc

    monkeypatch.setenv("FL_CHART_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("FL_CHART_WORKERS", "1")
    calls: list[int] = []
    real = vlc.vegalite_to_svg
    monkeypatch.setattr(vlc, "vegalite_to_svg", lambda *a, **k: calls.append(1) or real(*a, **k))

    def run() -> int:
        calls.clear()
        problems, _ = render_pages(project)
        assert problems.report() == "no problems found"
        return len(calls)

    assert run() == 5  # every chart of the mini project
    assert run() == 0  # a fresh render, everything from the cache
    # a changed valuation re-renders the charts that show it, and only those
    f = project / "data/companies/acme-ai.yaml"
    f.write_text(f.read_text().replace("valuation: USD 10 billion",
                                       "valuation: USD 12 billion")
                 .replace("pre_money_valuation: USD 8.5 billion", "pre_money_valuation: USD 10.5 billion"))
    assert run() == 3  # valuations-over-time, latest-valuations, valuation-acme-ai


@pytest.mark.parametrize("workers, long_lived, where", [
    (None, False, "a worker process"),  # a build: vl-convert's engine start would stall it
    (None, True, "a thread"),  # serve: its engine, started once, stays warm
    (1, False, "a thread"),  # this process, as asked (FL_CHART_WORKERS=1)
], ids=["build", "serve", "asked-for-one"])
def test_a_few_charts_are_rendered_where_they_cost_the_build_least(project, tmp_path, workers,
                                                                   long_lived, where):
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    charts = build_all(_dataset(project))
    assert len(charts) < 16  # a few: one process renders them
    r = Rendering(charts, RenderCache(tmp_path / "c"), Problems(), workers=workers,
                  long_lived=long_lived)
    pools = {ProcessPoolExecutor: "a worker process", ThreadPoolExecutor: "a thread"}
    assert (pools[type(r._pool)], r.stats.workers) == (where, 1)
    assert r.finish() == []
    assert all((tmp_path / "c" / f"{r.keys[ch.id]}.svg").is_file() for ch in charts)


def test_rendering_in_worker_processes_gives_the_same_output(project, tmp_path):
    charts = build_all(_dataset(project))
    one = Rendering(charts, RenderCache(tmp_path / "one"), Problems(), workers=1)
    two = Rendering(charts, RenderCache(tmp_path / "two"), Problems(), workers=2)
    assert (one.stats.workers, two.stats.workers) == (1, 2)
    assert one.finish() == two.finish() == []
    for ch in charts:
        for cache, r in ((tmp_path / "one", one), (tmp_path / "two", two)):
            assert (cache / f"{r.keys[ch.id]}.svg").is_file()
        assert (tmp_path / "one" / f"{one.keys[ch.id]}.svg").read_bytes() == \
            (tmp_path / "two" / f"{two.keys[ch.id]}.svg").read_bytes()


def test_a_chart_that_cannot_be_rendered_is_a_located_problem(project, tmp_path, monkeypatch):
    import vl_convert as vlc

    def boom(*a, **k):
        raise ValueError("Vega-Lite to SVG conversion failed:\nError: something")

    monkeypatch.setattr(vlc, "vegalite_to_svg", boom)
    problems = Problems()
    charts = Charts(_dataset(project), problems, store=ChartStore(tmp_path / "empty"), workers=1)
    failed = charts.finish()
    assert "data/companies/acme-ai.yaml: chart 'valuation-acme-ai' could not be rendered: " \
           "ValueError: Vega-Lite to SVG conversion failed:" in problems.report()
    assert len(failed) == 5 and charts.inline_svg("valuation-acme-ai") == ""


def test_charts_taken_from_the_built_cache_equal_fresh_ones(chart_project, tmp_path):
    ds = _dataset(chart_project)
    fresh = build_all(ds)
    built: list[str] = []

    def counting(kind):
        return dataclasses.replace(kind, build=lambda ds, inst, b: built.append(inst.id) or
                                   kind.build(ds, inst, b))

    kinds = tuple(counting(k) for k in CHART_KINDS)
    first = build_all(ds, kinds, BuiltCharts(tmp_path))  # builds and keeps them
    assert sorted(built) == sorted(ALL_CHARTS)
    built.clear()
    kept = build_all(ds, kinds, BuiltCharts(tmp_path))  # from the files alone
    assert built == []  # nothing built again
    for a, b, c in zip(fresh, first, kept, strict=True):
        assert a == b == c
        assert csv_text(a) == csv_text(c) and a.spec_json() == c.spec_json()
    # a changed company builds its own chart again, and the comparisons that read every company
    f = chart_project / "data/companies/acme-ai.yaml"
    f.write_text(f.read_text().replace("valuation: USD 10 billion",
                                       "valuation: USD 12 billion")
                 .replace("pre_money_valuation: USD 8.5 billion", "pre_money_valuation: USD 10.5 billion"))
    changed = {c.id: c for c in build_all(_dataset(chart_project), kinds, BuiltCharts(tmp_path))}
    assert sorted(built) == ["capital-raised", "largest-ipos", "latest-valuations",
                             "valuation-acme-ai", "valuations-over-time", "who-funds-whom"]
    assert "gpu-generations" not in built  # it reads its table only
    assert "US$12 billion" in changed["valuation-acme-ai"].alt


def test_serve_keeps_built_charts_in_memory_for_the_life_of_its_store(project, tmp_path):
    ds = _dataset(project)
    store = BuiltCharts(tmp_path, keep_in_memory=True)
    build_all(ds, CHART_KINDS, store)
    for f in (tmp_path / "built").iterdir():
        f.unlink()  # not read again: the store holds them
    built: list[str] = []

    def counting(kind):
        return dataclasses.replace(kind, build=lambda ds, inst, b: built.append(inst.id) or
                                   kind.build(ds, inst, b))

    kinds = tuple(counting(k) for k in CHART_KINDS)
    assert [c.id for c in build_all(ds, kinds, store)] == [c.id for c in build_all(ds)]
    assert built == []
    build_all(ds, kinds, BuiltCharts(tmp_path))  # a new store: the files are gone
    assert sorted(built) == ["capital-raised", "latest-valuations", "valuation-acme-ai",
                             "valuations-over-time", "who-funds-whom"]


def _sources(replaced: dict[str, bytes]):
    from generator.charts.cache import _read_source

    return lambda name: replaced.get(name, _read_source(name))


def test_a_chart_s_cache_key_covers_its_own_code_and_nothing_else():
    """A built chart is kept by the code of its kind's module and the modules it imports: an edit
    to the rendering of pages, to another kind of chart or to the engine adapter leaves it
    valid; an edit to its own module or to the chart modules it uses does not."""
    kind = "generator.charts.company_valuation"
    before = code_digest(kind)
    edit = b"# edited\n"
    for other in ("generator.render", "generator.render.pages", "generator.mkdocs_glue",
                  "generator.charts.capital_raised", "generator.charts.latest_valuations",
                  "generator.charts.pipeline", "generator.charts", "generator.load"):
        assert code_digest(kind, read_source=_sources({other: edit})) == before, other
    for own in (kind, "generator.charts.timeline", "generator.charts.spec",
                "generator.charts.style", "generator.charts.layout", "generator.facts",
                "generator.values"):
        assert code_digest(kind, read_source=_sources({own: edit})) != before, own


def test_a_build_renders_missing_charts_in_the_background_with_the_same_output(
        chart_project, tmp_path, monkeypatch):
    """The site build renders charts missing from the cache in worker processes while MkDocs
    converts the pages; the built site is the one rendering in this process gives, and the
    chart's SVG in the page is the published inline SVG."""
    from generator.charts import pipeline

    monkeypatch.setenv("FL_CHART_CACHE", str(tmp_path / "cache-workers"))
    monkeypatch.setenv("FL_CHART_WORKERS", "2")
    assert build_site(chart_project, Path("site-a")) == 0
    monkeypatch.setenv("FL_CHART_CACHE", str(tmp_path / "cache-here"))
    monkeypatch.setenv("FL_CHART_WORKERS", "1")
    specs, render_to_files = [], pipeline.render_to_files

    def recording(cache_dir, key, spec, *rest):
        specs.append(spec.is_file() if isinstance(spec, Path) else spec)
        return render_to_files(cache_dir, key, spec, *rest)

    monkeypatch.setattr(pipeline, "render_to_files", recording)
    assert build_site(chart_project, Path("site-b")) == 0
    assert specs == [True] * len(ALL_CHARTS)  # each spec handed over as a file
    assert tree_digest(chart_project / "site-a") == tree_digest(chart_project / "site-b")
    site = chart_project / "site-a"
    inline = (site / "charts/valuation-acme-ai.inline.svg").read_text()
    assert inline in (site / "companies/acme-ai/index.html").read_text()
    assert "fl-svg-chart-" not in (site / "companies/acme-ai/index.html").read_text()
    # the specs waited in the cache folder for the workers, and are gone once rendered
    for cache in ("cache-workers", "cache-here"):
        assert list((tmp_path / cache).glob("*.svg"))
        assert not list((tmp_path / cache).glob("*.spec.json")), cache


def test_a_chart_that_cannot_be_rendered_stops_the_build_with_a_located_problem(
        project, tmp_path, monkeypatch, capsys):
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


def test_simultaneous_builds_hand_their_workers_separate_spec_files(tmp_path: Path, project):
    """The cause of 'three cold builds fail and blame valid data': a spec file shared by name."""
    chart = _charts(project)["valuation-acme-ai"]
    a, b = (Rendering([], RenderCache(tmp_path), Problems())._spec_file("k" * 64, chart)
            for _ in range(2))
    assert a != b and a.read_text() == b.read_text() == chart.base_json
    a.unlink()  # a worker of the first build is done with its spec
    assert b.read_text() == chart.base_json  # the second build's is still there


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




def test_a_marks_words_stay_text_in_the_placed_svg():
    """Vega writes a mark's description entity-escaped; the placed SVG keeps it so, as data-tip
    (the page's script shows it with textContent), and drops the standalone SVG's ARIA roles."""
    from generator.charts.svg import inline_svg

    svg = ('<svg class="marks" width="10" height="10"><g role="graphics-object" '
           'aria-roledescription="group mark container"><path aria-label="&lt;img src=x '
           'onerror=alert(1)&gt; &amp; &quot;x&quot;" role="graphics-symbol" '
           'aria-roledescription="symbol mark" d="M0,0"/></g></svg>')
    assert inline_svg(svg, "c") == (
        '<svg aria-hidden="true" focusable="false" class="marks" width="10" height="10"><g>'
        '<path data-tip="&lt;img src=x onerror=alert(1)&gt; &amp; &quot;x&quot;" d="M0,0"/>'
        '</g></svg>')


# ---------------------------------------------------------------------------------------------
# What a kept chart is keyed by: the files of the records it reads (issue 19)


def _counting(built: list[str]):
    def counting(kind):
        return dataclasses.replace(kind, build=lambda ds, inst, b: built.append(inst.id) or
                                   kind.build(ds, inst, b))

    return tuple(counting(k) for k in CHART_KINDS)


@pytest.mark.parametrize("path, old, new, rebuilt", [
    # the company chart names its sources' publishers; valuations-over-time reads every source
    ("data/sources/daily-2023.yaml", "publisher: The Daily Example",
     "publisher: The Daily Example Co.", ["valuation-acme-ai", "valuations-over-time"]),
    # a comment changes no record, but the file is what a key names: built again, the same
    ("data/sources/daily-2023.yaml", "tier: outlet", "tier: outlet  # checked",
     ["valuation-acme-ai", "valuations-over-time"]),
    ("data/companies/bigcloud.yaml", "name: BigCloud", "name: BigCloud Renamed",
     ["capital-raised", "largest-ipos", "latest-valuations", "valuations-over-time",
      "who-funds-whom"]),
    ("data/tables/largest-ipos.yaml", "year: 2010", "year: 2011", ["largest-ipos"]),
], ids=["a cited source", "a comment in a cited source", "a company's name", "a table"])
def test_a_kept_chart_is_built_again_when_a_file_it_reads_changes(chart_project, tmp_path, path,
                                                                   old, new, rebuilt):
    built: list[str] = []
    kinds = _counting(built)
    build_all(_dataset(chart_project), kinds, BuiltCharts(tmp_path))
    assert sorted(built) == sorted(ALL_CHARTS)
    built.clear()
    build_all(_dataset(chart_project), kinds, BuiltCharts(tmp_path))
    assert built == []
    f = chart_project / path
    text = f.read_text()
    assert text.count(old) == 1
    f.write_text(text.replace(old, new))
    ds = _dataset(chart_project)
    changed = build_all(ds, kinds, BuiltCharts(tmp_path))
    assert sorted(built) == rebuilt
    assert changed == build_all(ds)  # what a build without the cache makes


def test_a_chart_s_key_covers_the_code_that_makes_its_records():
    """A record is named by its file and the code that made the record from it: the loader and
    what it imports (models, validation, the reader, the values), and a project's own kinds'
    modules; not the code that renders pages or draws charts."""
    from generator.charts.cache import record_code

    edit = b"# edited\n"
    before = record_code(read_source=_sources({}))
    for own in ("generator.load", "generator.model", "generator.validate", "generator.reader",
                "generator.values", "generator.kinds"):
        assert record_code(read_source=_sources({own: edit})) != before, own
    for other in ("generator.render", "generator.mkdocs_glue", "generator.charts.timeline",
                  "generator.charts.pipeline", "generator.engine", "generator.share"):
        assert record_code(read_source=_sources({other: edit})) == before, other
    ext = {"fl_people_kind": b"class Person: ...\n"}
    theirs = record_code("fl_people_kind", read_source=_sources(ext))
    assert theirs != before
    assert record_code("fl_people_kind", read_source=_sources(
        {"fl_people_kind": b"class Person:\n    name: str\n"})) != theirs


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05K\x01."],
                         ids=["empty", "not a pickle", "not a chart"])
def test_a_kept_chart_that_cannot_be_read_is_built_again(chart_project, tmp_path, damage):
    ds = _dataset(chart_project)
    build_all(ds, CHART_KINDS, BuiltCharts(tmp_path))
    kept = sorted((tmp_path / "built").iterdir())
    assert [p.suffix for p in kept] == [".pickle"] * len(ALL_CHARTS)
    for p in kept:
        p.write_bytes(damage)
    built: list[str] = []
    again = build_all(ds, _counting(built), BuiltCharts(tmp_path))
    assert sorted(built) == sorted(ALL_CHARTS)
    assert again == build_all(ds)


def test_a_figure_key_changes_when_the_figure_would(chart_project, tmp_path):
    """The profiles' cache compares figures by Charts.figure_key: a comparison chart reads the
    companies, not the sources, so a source turned secondary, or dated otherwise, leaves it
    kept, but the figure (its table's mark, its newest source) and so its key change."""
    built: list[str] = []
    kinds = _counting(built)

    def charts() -> Charts:
        built.clear()
        c = Charts(_dataset(chart_project), Problems(), kinds=kinds,
                   store=ChartStore(tmp_path / "cache"), workers=1)
        c.abandon()  # (nothing rendered: the keys are known before)
        return c

    first, again = charts(), charts()
    assert built == []
    assert again.figure_key("who-funds-whom") == first.figure_key("who-funds-whom") != ""
    assert again.figure_key("no-such-chart") == ""
    f = chart_project / "data/sources/acme-news-2021.yaml"
    f.write_text(f.read_text().replace("tier: primary", "tier: secondary"))
    marked = charts()
    assert "who-funds-whom" not in built
    assert marked.charts["who-funds-whom"].secondary_rows == (0,)
    assert again.charts["who-funds-whom"].secondary_rows == ()
    assert marked.figure_key("who-funds-whom") != again.figure_key("who-funds-whom")
    f.write_text(f.read_text().replace("published: 2021-05-04", "published: 2021-06-04"))
    dated = charts()
    assert "who-funds-whom" not in built
    assert str(dated.charts["who-funds-whom"].data_as_of) == "2021-06-04"
    assert dated.figure_key("who-funds-whom") != marked.figure_key("who-funds-whom")
    assert Charts(_dataset(chart_project), Problems(), render=False,
                  store=ChartStore(tmp_path / "cache")).figure_key("who-funds-whom") == ""


@pytest.mark.parametrize("source, imports", [
    (b"from .base import Chart\nfrom .. import values\n",
     {"generator.charts.base", "generator.values"}),
    (b"import json\n\ndef f():\n    from ..facts import chart_gap\n    return chart_gap\n",
     {"generator.facts"}),
    (b"from ..values import (  # why (a comment)\n    Money,\n)\n", {"generator.values"}),
    (b"from ..values import Money, \\\n    PartialDate\n", {"generator.values"}),
    (b"x = 1; import generator.facts\n", {"generator.facts"}),
    (b"if True: from generator import markup\n", {"generator.markup"}),
    (b"try:\n    import generator.escape as e\nexcept ImportError:\n    pass\n",
     {"generator.escape"}),
    # a string that reads like an import counts: it can only invalidate more than it must
    (b'"""A module.\n\nimport generator.render\n"""\n', {"generator.render"}),
    (b"'''\nfrom generator.facts import\n'''\nfrom .spec import SpecBuilder\n",
     {"generator.charts.spec"}),
], ids=["relative", "in a function", "parentheses and a comment", "a backslash",
        "after a semicolon", "after a colon", "in a try", "in a docstring",
        "a docstring line that does not parse"])
def test_the_modules_a_chart_module_imports_are_found_wherever_they_are(source, imports):
    from generator.charts.cache import _imports

    assert _imports("generator.charts.company_valuation", source) == imports


def test_a_built_chart_keeps_its_spec_packed_and_gives_it_back_exactly():
    """At 5,000 companies the specs were 55 MB of JSON text held with the dataset; a chart keeps
    its spec compressed and gives back the very text its render key and files are made from."""
    from generator.charts.base import Col, chart

    spec = {"mark": "bar", "data": {"values": [{"x": i, "label": "é" * 5} for i in range(200)]}}
    ch = chart("c", "T", "t", "a", [], [Col("x", "X")], [], [], "data/companies", spec)
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    assert ch.base_json == text and ch.base == spec
    assert len(ch.packed_spec) < len(text.encode("utf-8")) // 5


def test_the_render_key_names_a_chart_s_spec_by_the_digest_made_with_it(tmp_path):
    """A kept chart's spec is not unpacked and hashed again for its render key: the chart carries
    its spec's SHA-256, made with it, and the key changes with the spec and the words around it."""
    from generator.charts.base import Col, chart
    from generator.charts.cache import RenderCache
    from generator.charts.pipeline import render_key

    def made(spec, title="T"):
        return chart("c", title, "t", "a", [], [Col("x", "X")], [], [], "data/companies", spec)

    ch = made({"b": "x", "a": [1, 2]})
    assert ch.spec_digest == "d0f56dda38d34376527524ddd98f7ec117d5cbfb240f86e11bfb9d2d01a717d9"
    cache = RenderCache(tmp_path)
    key = render_key(ch, cache)[0]
    assert render_key(made({"a": [1, 2], "b": "x"}), cache)[0] == key  # the same spec
    assert render_key(made({"a": [1, 3], "b": "x"}), cache)[0] != key
    assert render_key(made({"a": [1, 2], "b": "x"}, title="U"), cache)[0] != key


def test_the_render_key_names_the_fonts_vl_convert_finds(tmp_path, monkeypatch):
    """vl-convert measures and draws a chart's text with the system's fonts: a font installed or
    removed makes every chart's render key another, so no chart drawn with the old fonts is kept."""
    from generator.charts import pipeline
    from generator.charts.base import Col, chart
    from generator.charts.cache import RenderCache

    ch = chart("c", "T", "t", "a", [], [Col("x", "X")], [], [], "data/companies", {"a": 1})
    cache = RenderCache(tmp_path)
    monkeypatch.setattr(pipeline, "fonts_identity", lambda: "fonts one")
    key = pipeline.render_key(ch, cache)[0]
    assert pipeline.render_key(ch, cache)[0] == key
    monkeypatch.setattr(pipeline, "fonts_identity", lambda: "fonts two")
    assert pipeline.render_key(ch, cache)[0] != key


def test_capital_raised_is_drawn_when_a_lab_has_a_sum_in_us_dollars(project):
    """The chart exists when any lab has a sum in US dollars (the first one found answers), and
    not when every lab's money is in another currency."""
    from generator.charts import capital_raised

    ds = load(project, Problems())
    assert [i.id for i in capital_raised.instances(ds)] == ["capital-raised"]
    for f in (project / "data" / "companies").glob("*.yaml"):
        f.write_text(f.read_text(encoding="utf-8").replace("USD ", "EUR "), encoding="utf-8")
    problems = Problems()
    ds = load(project, problems)
    assert not problems.errors
    assert capital_raised.instances(ds) == []
