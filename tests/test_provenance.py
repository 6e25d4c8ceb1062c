"""Provenance and freshness: a source names its outlet and the copy read apart, with a tier;
addresses readers can use; figures resting on secondary sources only are marked; company records
say when they were last checked (a notice when that is old); pending matters say when their status
was last confirmed; one article leads the articles index.

Tables of bad input → the exact report, as in test_bad_inputs.py, then what pages and downloads
show.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from support import A, B, C, S1, S2, Case, case, render_pages, replace, write

COPY = """\
id: wire-2023-copy
publisher: Example Wire
title: Acme AI's round, as Example Wire reported it
published: 2023-02-01
tier: secondary
read_via:
  publisher: Example Mirror
  url: https://mirror.example.net/2023/02/acme
  accessed: 2026-11-24
note: Example Wire's page is behind a paywall.
"""


def cite_copy(root: Path) -> None:
    """The mini project's acme-ai metric cites the copy instead of daily-2023."""
    replace(C, "    value: about USD 500 million\n    status: confirmed\n    sources: [daily-2023]",
            "    value: about USD 500 million\n    status: confirmed\n    sources: [wire-2023-copy]"
            )(root)


def with_copy(text: str = COPY):
    def run(root: Path) -> None:
        write("data/sources/wire-2023-copy.yaml", text)(root)
        cite_copy(root)
    return run


W = "data/sources/wire-2023-copy.yaml"
LISTING = ("not the page of one article, announcement or filing; give the exact address, or, if it "
           "is not known, add 'exact_url_unknown: true' and say in note how the publication is "
           "known")

CASES = [
    # -- addresses readers can use -----------------------------------------------------------
    case("home-page", replace(S1, "url: https://acme.example.org/news/series-a",
                              "url: https://acme.example.org/"),
         f"{S1}:4:6: url: 'https://acme.example.org/' is a home page, {LISTING}"),
    case("section-page", replace(S1, "url: https://acme.example.org/news/series-a",
                                 "url: https://www.reuters.com/technology/"),
         f"{S1}:4:6: url: 'https://www.reuters.com/technology/' is a section page, {LISTING}"),
    case("unknown-address-without-note",
         replace(S1, "url: https://acme.example.org/news/series-a",
                 "url: https://acme.example.org/\nexact_url_unknown: true"),
         f"{S1}:5:20: exact_url_unknown: exact_url_unknown is true, so add a note saying how the "
         "address is known"),
    case("unknown-address-yet-an-article",
         replace(S1, "tier: primary", "tier: primary\nexact_url_unknown: true\nnote: Quoted."),
         f"{S1}:8:20: exact_url_unknown: exact_url_unknown is true, but url is the address of one "
         "page; remove one of them"),
    case("no-address-at-all", replace(S1, "url: https://acme.example.org/news/series-a\n", ""),
         f"{S1}:1:1: url: url is missing; give the exact address of the publication, or, if it "
         "is not known, add 'exact_url_unknown: true' and say in note how the publication is "
         "known"),
    # -- outlet and copy apart, and the tier -------------------------------------------------
    case("copy-read-yet-outlet", with_copy(COPY.replace("tier: secondary", "tier: outlet")),
         f"{W}:5:7: tier: tier is outlet, but the page read was a copy or summary (read_via), "
         "which makes the record secondary; set 'tier: secondary', or remove read_via if the "
         "publisher's own page was read"),
    case("copy-without-its-address",
         with_copy(COPY.replace("  url: https://mirror.example.net/2023/02/acme\n", "")),
         f"{W}:6:1: read_via.url: required field 'url' is missing; add 'url:' with a public web "
         "address starting with https://, such as 'https://www.example.com/page'"),
    case("copy-at-the-original-s-address",
         with_copy(COPY.replace("tier: secondary", "url: https://mirror.example.net/2023/02/acme"
                                "\ntier: secondary")),
         f"{W}:9:8: read_via.url: the copy's address is url itself; a copy has an address of its "
         "own (if the publisher's own page was read, remove read_via)"),
    case("copy-at-a-home-page",
         with_copy(COPY.replace("url: https://mirror.example.net/2023/02/acme",
                                "url: https://mirror.example.net/")),
         f"{W}:8:8: read_via.url: 'https://mirror.example.net/' is a home page; a copy is given "
         "by the exact address of the page that was read"),
    case("copy-and-accessed-both", with_copy(COPY.replace("tier:", "accessed: 2026-11-24\ntier:")),
         f"{W}:5:11: accessed: the page read was the copy under read_via: give when it was read "
         "as read_via.accessed, and remove accessed"),
    case("copy-read-before-published",
         with_copy(COPY.replace("accessed: 2026-11-24", "accessed: 2023-01-05")),
         f"{W}:9:13: read_via.accessed: read_via.accessed (2023-01-05) is before published "
         "(2023-02-01); a page cannot be read before it is published, so check both dates"),
    case("copy-unverified-without-an-address",
         with_copy(COPY.replace("note:", "url_verified: false\nnote:")),
         f"{W}:10:15: url_verified: url_verified is false, but there is no url to verify; remove "
         "url_verified"),
    case("copy-kind-unknown", with_copy(COPY.replace("read_via:\n", "read_via:\n  kind: mirror\n")),
         f"{W}:7:9: read_via.kind: 'mirror' is not allowed, expected one of copy, summary"),
    case("syndication-on-a-copy",
         with_copy(COPY.replace("tier: secondary", "tier: secondary\nsyndicated_from: Reuters")),
         f"{W}:6:18: syndicated_from: syndicated_from names the organisation whose story an "
         "outlet published under licence, so it needs 'tier: outlet'; a copy on another site goes "
         "under read_via"),
    case("tier-missing", replace(S1, "tier: primary\n", ""),
         f"{S1}:1:1: tier: required field 'tier' is missing; add 'tier:' with one of primary, "
         "outlet, secondary"),
    case("tier-misspelt", replace(S1, "tier: primary", "tier: primry"),
         f"{S1}:7:7: tier: 'primry' is not allowed, expected one of primary, outlet, secondary; "
         "did you mean 'primary'?"),
    # -- freshness and pending matters -------------------------------------------------------
    case("last-checked-missing", replace(B, "last_checked: 2026-11-24\n", ""),
         f"{B}:1:1: last_checked: required field 'last_checked' is missing; add 'last_checked:' "
         "with a day written YYYY-MM-DD, such as 2026-12-06"),
    case("last-checked-a-month", replace(B, "last_checked: 2026-11-24", "last_checked: 2026-11"),
         f"{B}:6:15: last_checked: '2026-11' is not a day; expected a day written YYYY-MM-DD, "
         "such as 2026-12-06"),
    case("last-checked-in-the-future",
         replace(B, "last_checked: 2026-11-24", "last_checked: 2099-01-01"),
         f"{B}:6:15: last_checked: 2099-01-01 is in the future; give the day the record was last "
         "checked"),
    case("status-confirmed-before-the-event",
         replace(C, "    status: reported\n    sources: [acme-news-2021, daily-2023]",
                 "    status: reported\n    status_confirmed: 2022-12-01\n"
                 "    sources: [acme-news-2021, daily-2023]"),
         f"{C}:31:23: events[1].status_confirmed: status_confirmed (2022-12-01) is before the "
         "event's date (2023-02-01); it is the date of the latest source that confirms the "
         "status, on or after the event"),
    case("status-confirmed-in-the-future",
         replace(C, "    status: reported\n    sources: [acme-news-2021, daily-2023]",
                 "    status: reported\n    status_confirmed: 2099-01-01\n"
                 "    sources: [acme-news-2021, daily-2023]"),
         f"{C}:31:23: events[1].status_confirmed: 2099-01-01 is in the future; give the date of "
         "the latest source that confirms the status"),
    # -- the lead article --------------------------------------------------------------------
    case("two-lead-articles",
         lambda root: [replace(A, "published: 2026-11-20", "published: 2026-11-20\nlead: true")(root),
                       write("site_src/articles/second.md", "---\ntitle: Second\ndescription: "
                             "Another.\npublished: 2026-11-21\nlead: true\n---\n# Second\n")(root)],
         "site_src/articles/second.md:5:7: lead: site_src/articles/first.md leads the articles "
         "index already; one article leads it, so remove 'lead: true' from one of them"),
    case("lead-on-a-page", replace("site_src/index.md", "---\n# ", "lead: true\n---\n# "),
         "site_src/index.md:4:7: lead: only an article (in articles/) can lead the articles "
         "index; remove 'lead: true'"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_reported_exactly(case: Case, project: Path, check):
    case.mutate(project)
    run = check(project)
    assert "Traceback" not in run.text
    assert run.code == 1
    assert run.lines == [*case.expected, case.count]


# ---------------------------------------------------------------------------------------------
# freshness: a notice against the build's date, never the clock


def _epoch(day: str) -> str:
    import datetime as dt

    return str(int(dt.datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp()))


NOTICE = ("last_checked: the record was last checked on 2026-11-24, {days} days before the build's "
          "date ({today}); records are checked at least every 90 days: check that it is still "
          "current, then set last_checked to the day you did")


def test_an_old_check_is_a_located_notice_that_does_not_fail(project, check, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch("2027-03-01"))
    run = check(project)
    assert run.code == 0, run.text
    assert run.err == ""
    notice = NOTICE.format(days=97, today="2027-03-01")
    assert run.lines[:3] == [
        f"{C}:46:15: notice: {notice}",
        f"{B}:6:15: notice: {notice}",
        "2 notices in 2 files; no problems found (notices inform and do not fail the check)"]
    assert run.lines[3].startswith("checked in ")


def test_an_export_prints_the_notices_and_goes_on(project, tmp_path, capsys, monkeypatch):
    from generator.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch("2027-03-01"))
    assert main(["--root", str(project), "export", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.splitlines()
    notice = NOTICE.format(days=97, today="2027-03-01")
    assert out[:3] == [
        f"{C}:46:15: notice: {notice}",
        f"{B}:6:15: notice: {notice}",
        "2 notices in 2 files; no problems found (notices inform and do not fail the check)"]
    assert out[3].startswith("wrote ")


def test_notices_are_counted_apart_from_the_problems_that_fail(project, check, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch("2027-03-01"))
    replace(S1, "tier: primary", "tier: primry")(project)
    run = check(project)
    assert run.code == 1
    assert run.lines[-1] == ("1 error and 2 notices in 3 files; notices inform and do not fail "
                             "the check")


def test_a_check_exactly_the_documented_age_old_is_no_notice(project, check, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch("2027-02-22"))  # 90 days after 2026-11-24
    run = check(project)
    assert run.lines[0] == "no problems found"


def test_the_age_is_a_setting_and_the_date_is_passed_in(project):
    import datetime as dt

    from generator.settings import Settings

    settings = Settings.for_project(project, as_of=dt.date(2026, 12, 1), freshness_days=5)
    problems, _ = render_pages(project, settings)
    assert [p.format() for p in problems.notices] == [
        f"{C}:46:15: notice: " + NOTICE.format(days=7, today="2026-12-01").replace("90", "5"),
        f"{B}:6:15: notice: " + NOTICE.format(days=7, today="2026-12-01").replace("90", "5")]
    assert not problems.failed(strict=True)


def test_without_a_build_date_ages_are_not_checked(project, check, monkeypatch):
    """A scratch project outside git, without SOURCE_DATE_EPOCH: no date, so no notice, whatever
    the clock says."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    from generator.settings import Settings

    assert Settings.for_project(project).as_of is None
    assert check(project).lines[0] == "no problems found"


# ---------------------------------------------------------------------------------------------
# what pages and downloads show


def _pages(project: Path) -> dict:
    problems, pages = render_pages(project)
    assert problems.report() == "no problems found", problems.report()
    return pages


def test_a_copy_is_cited_as_the_outlet_read_via_the_copy(project):
    with_copy()(project)
    pages = _pages(project)
    profile = pages["companies/acme-ai.md"]
    assert ("Example Wire, ‘Acme AI&#39;s round, as Example Wire reported it’, 1 February 2023, "
            "read via a copy at <a href=\"https&#58;//mirror&#46;example&#46;net/2023/02/acme\" "
            "rel=\"noopener\">Example Mirror</a>. [About this source]") in profile
    assert ("**Example Wire**, ‘Acme AI&#39;s round, as Example Wire reported it’, 1 February "
            "2023, read via a copy at <a href=\"https&#58;//mirror&#46;example&#46;net/2023/02/acme"
            "\" rel=\"noopener\">Example Mirror</a>. Read 24 November 2026. Secondary source.") \
        in pages["sources.md"]


def test_an_unknown_address_links_nothing_and_says_so(project):
    replace(S1, "url: https://acme.example.org/news/series-a",
            "url: https://acme.example.org/\nexact_url_unknown: true\n"
            "note: Quoted by two later reports.")(project)
    pages = _pages(project)
    assert "acme.example.org" not in pages["companies/acme-ai.md"]
    assert ("Acme AI, ‘Acme AI raises its Series A’ (exact address not known), 4 May 2021. "
            "[About this source]") in pages["companies/acme-ai.md"]
    assert "href=\"https&#58;//acme&#46;example&#46;org/\"" not in pages["sources.md"]


MARK = ('<a class="fl-secondary" href="../sources.md#secondary-only" title="secondary only: no '
        "primary source or news outlet's own page behind this was read, only copies, summaries, "
        "aggregators or addresses cited elsewhere\" aria-label=\"secondary only: no primary source "
        "or news outlet's own page behind this was read, only copies, summaries, aggregators or "
        'addresses cited elsewhere">secondary only</a>')


def test_a_figure_resting_on_secondary_sources_only_is_marked_on_the_page(project):
    with_copy()(project)
    profile = _pages(project)["companies/acme-ai.md"]
    metric = next(ln for ln in profile.splitlines() if ln.startswith("| June 2023 |"))
    assert MARK in metric
    # the Series B cites a primary page that was read (acme-news-2021): no mark
    series_b = next(ln for ln in profile.splitlines() if ln.startswith("| 1 Feb 2023 |"))
    assert "fl-secondary" not in series_b


def test_a_figure_computed_from_one_resting_on_secondary_sources_is_marked(project):
    """A computed figure's citations go to the end of its sentence (issue 15); the secondary mark
    goes with them when any figure it comes from rests on secondary sources only."""
    replace("site_src/articles/first.md", "\n\nThe {{ term(",
            "\n\nThe X2 draws {{ ratio(cell('chips', 'x2', 'max_tdp_w'), "
            "cell('chips', 'x1', 'max_tdp_w')) }} as much as the X1 does. The X1 draws "
            "{{ ratio(cell('chips', 'x1', 'max_tdp_w'), cell('chips', 'x1', 'max_tdp_w')) }} "
            "itself.\n\nThe {{ term(")(project)
    article = _pages(project)["articles/first.md"].replace("&#46;", ".")
    badge = ('<span class="fl-status fl-status--reported" title="named outlets reported it, '
             'citing people familiar; the company did not confirm it">reported</span>')
    cites = ('<sup class="fl-cite">[<a href="#fl-src-1" title="Source 1">1</a>,'
             '<a href="#fl-src-2" title="Source 2">2</a>]</sup>')
    # the X2's power rests on secondary sources only (daily-2023); the X1's on a primary page;
    # the second ratio cites nothing new in its paragraph, and is not marked
    assert (f"\nThe X2 draws 1.4× as much as the X1 does{cites} {badge} {MARK}. The X1 draws 1.0× "
            "itself.\n") in article


def test_a_computed_figure_carries_the_mark_unless_its_sentence_shows_it():
    import html

    from generator.markup import SECONDARY_ONLY, on_page, settle_citations
    from generator.render.api import Figure
    from generator.types import PageState

    with on_page(PageState("x.md")):
        def computed(text: str, source: str, secondary: bool = False) -> str:
            return Figure(text, (source,), "confirmed", computed=True,
                          secondary=secondary).__html__()

        marked = Figure("1 W", ("a",), "confirmed", secondary=True).__html__()
        text = (f"It is {computed('2×', 'a', True)} bigger. And {computed('3×', 'b')} here.\n\n"
                f"Now {marked} is {computed('4×', 'c', True)}.")
        out = html.unescape(settle_citations(text))
    cite = '<sup class="fl-cite">[<a href="#fl-src-{0}" title="Source {0}">{0}</a>]</sup>'
    mark = (f'<a class="fl-secondary" href="sources.md#secondary-only" title="{SECONDARY_ONLY}" '
            f'aria-label="{SECONDARY_ONLY}">secondary only</a>')
    assert out == (f"It is 2× bigger{cite.format(1)} {mark}. And 3× here{cite.format(2)}.\n\n"
                   f"Now 1 W{cite.format(1)} {mark} is 4×{cite.format(3)}.")


def test_a_computed_figure_in_a_rows_last_cell_cites_inside_the_cell():
    """The end of a table row ('|' then the line break) ends the cell: the citation stays in the
    table instead of falling after the row's last '|', where Markdown drops it."""
    import html

    from generator.markup import on_page, settle_citations
    from generator.render.api import Figure
    from generator.types import PageState

    with on_page(PageState("x.md")):
        text = (f"| a | {Figure('4×', ('a',), 'confirmed', computed=True).__html__()} |\n"
                f"| b | {Figure('5×', ('b',), 'reported', computed=True).__html__()} |")
        out = html.unescape(settle_citations(text))
    cite = '<sup class="fl-cite">[<a href="#fl-src-{0}" title="Source {0}">{0}</a>]</sup>'
    badge = ('<span class="fl-status fl-status--reported" title="named outlets reported it, '
             'citing people familiar; the company did not confirm it">reported</span>')
    assert out == f"| a | 4×{cite.format(1)} |\n| b | 5×{cite.format(2)} {badge} |"


def test_another_reports_figure_resting_on_secondary_sources_is_marked(project):
    """'reports differ' on a profile: the other report's figure carries the mark when its sources
    are secondary only, and the downloads say so beside it."""
    write(W, COPY)(project)
    replace(C, "    note: Reported by one outlet.\n",
            "    note: Reported by one outlet.\n    alternatives:\n"
            "      - valuation: USD 12 billion\n        sources: [wire-2023-copy]\n")(project)
    files = _pages(project)
    row = next(ln for ln in files["companies/acme-ai.md"].splitlines()
               if ln.startswith("| 1 Feb 2023 |"))
    assert "reports differ: US&#36;12 billion</span>" in row
    assert row.split("reports differ:")[1].count("secondary only</a>") == 1
    assert "secondary only" not in row.split("reports differ:")[0]  # the round itself: no mark
    events = list(csv.DictReader(io.StringIO(files["downloads/events.csv"].decode())))
    assert events[1]["alternatives"] == ("valuation: USD 12 billion (sources wire-2023-copy; "
                                         "secondary sources only)")
    assert events[1]["secondary_sources_only"] == "false"


def test_data_as_of_is_said_once_a_page_and_a_chart_names_its_newest_source(project):
    """The dates line's "data as of" is the latest event the page states; a chart on the page
    says how new its sources are in other words, so the page never gives two "data as of"."""
    profile = _pages(project)["companies/acme-ai.md"]
    assert profile.lower().count("data as of") == 1  # the dates line (front matter: data_as_of)
    assert "Data as of 1 February 2023 &#40;latest event&#41;" in profile
    assert ('Sources: <sup class="fl-cite">[<a href="#fl-src-1" title="Source 1">1</a>,'
            '<a href="#fl-src-2" title="Source 2">2</a>]</sup> · newest source 2 February 2023'
            ) in profile


def test_a_charts_data_table_marks_the_rows_resting_on_secondary_sources(project):
    replace(C, "    status: reported\n    sources: [acme-news-2021, daily-2023]",
            "    status: reported\n    sources: [daily-2023]")(project)
    profile = _pages(project)["companies/acme-ai.md"]
    table = profile.split('<div class="fl-chart__table">', 1)[1].split("</div>", 1)[0]
    rows = table.split("<tr>")[2:]  # the header, then one row per valuation
    reported = ('<span class="fl-status fl-status--reported" title="named outlets reported it, '
                'citing people familiar; the company did not confirm it">reported</span>')
    assert rows[0].startswith("<td>May 2021</td>") and "fl-secondary" not in rows[0]
    assert rows[1].endswith(f"<td>{reported} {MARK}</td></tr></tbody></table>")


def test_the_downloads_carry_the_mark_the_check_date_and_the_copy(project):
    with_copy()(project)
    replace(S2, "tier: outlet", "tier: secondary")(project)  # Series B: one primary, one secondary
    files = _pages(project)
    events = list(csv.DictReader(io.StringIO(files["downloads/events.csv"].decode())))
    assert [(e["event_id"], e["secondary_sources_only"]) for e in events] == [
        ("series-a", "false"), ("series-b", "false")]
    data = json.loads(files["downloads/frontier-ledger.json"])
    acme = data["companies"][0]
    assert acme["last_checked"] == "2026-11-24"
    assert acme["metrics"][0]["secondary_sources_only"] is True
    assert data["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    investments = list(csv.DictReader(io.StringIO(files["downloads/investments.csv"].decode())))
    assert [(i["event_id"], i["investor_name"], i["secondary_sources_only"])
            for i in investments] == [("series-a", "", "false"),
                                      ("series-a", "Angel Fund", "false")]
    companies = list(csv.DictReader(io.StringIO(files["downloads/companies.csv"].decode())))
    assert [c["last_checked"] for c in companies] == ["2026-11-24", "2026-11-24"]
    sources = list(csv.DictReader(io.StringIO(files["downloads/sources.csv"].decode())))
    copy = next(s for s in sources if s["id"] == "wire-2023-copy")
    assert {k: v for k, v in copy.items() if k.startswith(("read_via_", "tier", "url"))} == {
        "url": "", "url_verified": "true", "tier": "secondary", "read_via_kind": "copy",
        "read_via_publisher": "Example Mirror",
        "read_via_url": "https://mirror.example.net/2023/02/acme", "read_via_published": "",
        "read_via_accessed": "2026-11-24"}
    licence = files["downloads/LICENSE.txt"].decode()
    assert "Creative Commons Attribution 4.0 International (CC BY 4.0)" in licence
    assert "Source: Frontier Ledger, events.csv, licensed under CC BY 4.0" in licence


def test_profiles_say_when_they_were_checked_and_when_a_status_was_confirmed(project):
    replace(C, "    status: reported\n    sources: [acme-news-2021, daily-2023]",
            "    status: reported\n    status_confirmed: 2023-03-15\n"
            "    sources: [acme-news-2021, daily-2023]")(project)
    profile = _pages(project)["companies/acme-ai.md"]
    assert ('<p class="fl-meta">Data as of 1 February 2023 &#40;latest event&#41; · last checked '
            "24 November 2026</p>") in profile
    assert "<br><span class=\"fl-kind\">Status last confirmed 15 Mar 2023</span>" in profile
    events = _pages(project)["downloads/events.csv"].decode()
    assert ",reported,2023-03-15,acme-news-2021 daily-2023,false," in events


def test_the_lead_article_comes_first_then_the_newest(project):
    write("site_src/articles/older.md", "---\ntitle: An older explainer\ndescription: The one to "
          "read first.\npublished: 2026-01-05\nlead: true\n---\n# An older explainer\n")(project)
    write("site_src/articles/newer.md", "---\ntitle: A newer article\ndescription: Later.\n"
          "published: 2026-12-01\n---\n# A newer article\n")(project)
    index = _pages(project)["articles/index.md"]
    titles = [ln for ln in index.splitlines() if ln.startswith("## ")]
    assert titles == ["## [An older explainer](older.md)", "## [A newer article](newer.md)",
                      "## [A first article](first.md)"]
    assert "<p class=\"fl-meta\">Start here · Published 5 January 2026 · 1 min read</p>" in index


@pytest.mark.build
def test_a_build_prints_its_notices_and_publishes(project, tmp_path, monkeypatch, capsys):
    from generator.mkdocs_glue import build_site

    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch("2027-03-01"))
    assert build_site(project, tmp_path / "site") == 0
    out = capsys.readouterr().out.splitlines()
    assert f"{B}:6:15: notice: " + NOTICE.format(days=97, today="2027-03-01") in out
    assert "2 notices in 2 files; no problems found (notices inform and do not fail the check)" \
        in out
    assert (tmp_path / "site/companies/bigcloud/index.html").is_file()


# ---------------------------------------------------------------------------------------------
# the guide's worked examples, and the diff's words


def _untitled_yaml_blocks(section: str) -> list[str]:
    from support import REPO

    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    part = guide.split(section, 1)[1].split("\n## ", 1)[0]
    import re

    return re.findall(r"^ *```yaml\n(.*?)^ *```\n", part, re.S | re.M)


def test_the_guide_s_source_examples_are_valid_records_read_as_it_says():
    from generator import model as m
    from generator.problems import Problems
    from generator.reader import parse_yaml
    from generator.render.frame import source_reference

    blocks = _untitled_yaml_blocks("### When you read a copy, not the original")
    assert len(blocks) == 2
    copy, unknown = (m.Source.model_validate(parse_yaml(b, "-", Problems()).data) for b in blocks)
    assert copy.tier == "secondary" and copy.read_via.kind == "copy" and copy.link is None
    assert unknown.exact_url_unknown and unknown.link is None
    # what the guide says readers see, as the footer writes it (without its HTML)
    import html
    import re

    shown = html.unescape(re.sub(r"<[^>]+>", "", source_reference(copy)))
    assert shown == ("Example Wire, ‘Example Labs in talks to raise at a USD 3 billion valuation’, "
                     "19 November 2025, read via a copy at Example Mirror")
    from support import REPO

    guide = " ".join((REPO / "CONTRIBUTING.md").read_text(encoding="utf-8").split())
    assert ("Readers see it as: Example Wire, 'Example Labs in talks to raise at a USD 3 billion "
            "valuation', 19 November 2025, read via a copy at Example Mirror.") in guide


def test_the_guide_s_pending_matter_example_is_a_valid_event():
    from generator import model as m
    from generator.problems import Problems
    from generator.reader import parse_yaml

    blocks = _untitled_yaml_blocks("## Add a funding round")
    event = m.Event.model_validate(parse_yaml(blocks[0], "-", Problems()).data[0])
    assert str(event.status_confirmed) == "2026-06-13"


def test_the_guide_s_notice_is_the_check_s(project, check, monkeypatch):
    from support import REPO

    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch("2026-12-06"))
    replace(B, "last_checked: 2026-11-24", "last_checked: 2026-08-01")(project)
    line = check(project).lines[0]
    message = line.split(": notice: ", 1)[1]
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert f": notice: {message}\n" in guide
    assert "1 notice in 1 file; no problems found (notices inform and do not fail the check)\n" \
        in guide


def test_the_diff_says_what_changed_in_provenance_and_freshness(project):
    from generator.datadiff import describe
    from generator.load import load
    from generator.problems import Problems

    before = load(project, Problems())
    with_copy()(project)
    replace(S2, "tier: outlet", "tier: secondary")(project)
    replace(B, "last_checked: 2026-11-24", "last_checked: 2026-12-01")(project)
    replace(C, "    status: reported\n    sources: [acme-news-2021, daily-2023]",
            "    status: reported\n    status_confirmed: 2023-03-15\n"
            "    sources: [acme-news-2021, daily-2023]")(project)
    replace(S1, "tier: primary", "tier: primary\nexact_url_unknown: true\nnote: Quoted.")(project)
    replace(S1, "url: https://acme.example.org/news/series-a", "url: https://acme.example.org/")(
        project)
    after = load(project, Problems())
    assert describe(before, after) == [
        "acme-ai: status last confirmed of 'Series B' added: 2023-03-15",
        "acme-ai: sources of run-rate revenue of 2023-06: added 'wire-2023-copy'; removed "
        "'daily-2023'",
        "bigcloud: last checked changed from 2026-11-24 to 2026-12-01",
        "source 'acme-news-2021': address changed from 'https://acme.example.org/news/series-a' to "
        "'https://acme.example.org/'",
        "source 'acme-news-2021': exact address is now marked not known",
        "source 'acme-news-2021': note added: \"Quoted.\"",
        "source 'daily-2023': tier changed from outlet to secondary",
        "new source 'wire-2023-copy': Example Wire, \"Acme AI's round, as Example Wire reported "
        "it\", published 2023-02-01, secondary, read via a copy at 'Example Mirror' "
        "(https://mirror.example.net/2023/02/acme, read 2026-11-24)",
    ]
