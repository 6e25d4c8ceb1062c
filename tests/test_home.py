"""The home page leads with the data (issue 17): the helpers a hand-written page calls for the
newest valuation marks and the newest articles, their exact output, and a located problem for a
count they refuse."""

from __future__ import annotations

import pytest

from support import make_project, render_pages, replace, run_cli, write

HOME = "site_src/index.md"
FRONT = "---\ntitle: Home\ndescription: The home page.\n---\n# Home\n\n"


def _home(tmp_path, body: str) -> str:
    root = make_project(tmp_path / "p")
    write(HOME, FRONT + body + "\n")(root)
    problems, pages = render_pages(root)
    assert not problems.errors, problems.items
    text = pages["index.md"]
    end = text.find('<div class="fl-sources"')
    return text[text.index("# Home"):end if end > 0 else text.index("<!-- /frontier")].strip()


def test_latest_marks_is_a_table_of_each_companys_newest_deal(tmp_path):
    assert _home(tmp_path, "{{ latest_marks(5) }}").split("\n")[-3:] == [
        "| Company | Valuation | Date | Event | Status |",
        "|---|---:|---|---|---|",
        '| [Acme AI](companies/acme-ai.md) | US&#36;10 billion<sup class="fl-cite">[<a '
        'href="#fl-src-1" title="Source 1">1</a>,<a href="#fl-src-2" title="Source 2">2</a>]'
        '</sup><br><span class="fl-kind">Post&#45;money</span> | 1 Feb 2023 | Series B &#40;'
        'primary round&#41; | <span class="fl-status fl-status--reported" title="named outlets '
        'reported it, citing people familiar; the company did not confirm it">reported</span> |']


def test_latest_articles_lists_the_newest_with_date_and_reading_time(tmp_path):
    assert _home(tmp_path, "{{ latest_articles(3) }}").split("\n")[-1] == (
        "- [A first article](articles/first.md): An article that uses data&#45;bound figures&#46; "
        '<span class="fl-meta">Published 20 November 2026 · 1 min read</span>')


@pytest.mark.parametrize("call, message", [
    ("latest_marks(0)", "latest_marks(): the count must be a whole number from 1 to 20, not '0'"),
    ("latest_articles(21)",
     "latest_articles(): the count must be a whole number from 1 to 20, not '21'"),
    ('latest_marks("5")', "latest_marks(): the count must be a whole number from 1 to 20, not '5'"),
], ids=["zero", "too-many", "text"])
def test_a_count_out_of_range_is_a_located_problem(tmp_path, capsys, call, message):
    root = make_project(tmp_path / "p")
    write(HOME, FRONT + "{{ " + call + " }}\n")(root)
    run = run_cli(capsys, root, "check")
    assert run.code == 1
    assert run.lines[0].startswith(f"{HOME}:7:")
    assert run.lines[0].endswith(message), run.lines[0]


def test_the_newest_marks_date_the_page_and_carry_the_secondary_mark(tmp_path):
    """The marks the home page lists are figures of the page: its 'data as of' is the newest of
    them, and a mark resting on secondary sources only says so there as on its profile."""
    root = make_project(tmp_path / "p")
    write(HOME, FRONT + "{{ latest_marks(5) }}\n")(root)
    replace("data/companies/acme-ai.yaml", "sources: [acme-news-2021, daily-2023]",
            "sources: [daily-2023]")(root)
    problems, pages = render_pages(root)
    assert not problems.errors, problems.items
    text = pages["index.md"]
    assert '\ndata_as_of: "1 February 2023 (latest event)"\n' in text
    row = text[text.index("| [Acme AI]"):].split("\n")[0]
    assert row.split(" | ")[1] == (
        'US&#36;10 billion<sup class="fl-cite">[<a href="#fl-src-1" title="Source 1">1</a>]</sup>'
        ' <a class="fl-secondary" href="sources.md#secondary-only" title="' + WHY + '" '
        'aria-label="' + WHY + '">secondary only</a><br><span class="fl-kind">Post&#45;money'
        '</span>')


WHY = ("secondary only: no primary source or news outlet's own page behind this was read, only "
       "copies, summaries, aggregators or addresses cited elsewhere")
