"""render: golden Markdown, escaping of data, data-bound articles, the sandbox."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.load import load
from generator.problems import Problems
from generator.escape import md as md_escape
from generator.render import render
from generator.settings import Lists, Settings
from support import render_pages

GOLDEN = Path(__file__).parent / "golden" / "mini"


def _render(root: Path, **settings) -> tuple[Problems, dict[str, str]]:
    """Problems, and the Markdown pages by path (assets such as downloads are left out)."""
    problems, pages = render_pages(root, **settings)
    return problems, {path: text for path, text in pages.items() if path.endswith(".md")}


def test_generated_markdown_matches_golden_files(project, update_golden):
    problems, pages = _render(project)
    assert problems.report() == "no problems found"
    # inline chart SVG depends on vl-convert and the fonts installed; tests/test_charts.py checks it
    pages = {path: re.sub(r"<svg\b.*?</svg>", "<svg>…</svg>", text, flags=re.S)
             for path, text in pages.items()}
    if update_golden:
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for path, content in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(content, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
                for p in GOLDEN.rglob("*.md")}
    assert sorted(pages) == sorted(expected), "pages added or removed; rerun with --update-golden"
    for path, content in pages.items():
        assert content == expected[path], f"{path} differs; rerun with --update-golden if intended"


def test_every_page_records_the_file_to_edit(project):
    problems = Problems()
    ds = load(project, problems)
    origins = {p.path: p.origin for p in render(ds, Settings.for_project(project), problems).pages}
    assert origins["companies/acme-ai.md"] == "data/companies/acme-ai.yaml"
    assert origins["tables/chips.md"] == "data/tables/chips.yaml"
    assert origins["articles/first.md"] == "site_src/articles/first.md"
    assert origins["index.md"] == "site_src/index.md"


def test_article_figures_are_computed_from_data(project):
    _, pages = _render(project)
    home = pages["index.md"]
    # 10 billion / 1 billion, from the two rounds' post-money valuations, with both rounds' sources
    assert "US&#36;10 billion" in home
    assert "10&#46;0×" in home
    article = pages["articles/first.md"]
    assert "US&#36;1&#46;5 billion" in article and "1 February 2023" in article
    assert "1,000 W" in article and "&#43;900&#37;" in article
    # every cited source is listed, numbered, at the end of the page, and "data as of" follows it
    assert article.count('<span id="fl-src-') == 2
    # the latest event its figures come from, not the newest source's date (2 February 2023)
    assert 'data_as_of: "1 February 2023 (latest event)"' in article
    assert "reading_minutes: 1" in article


def test_changing_a_figure_changes_every_page_that_uses_it(project):
    f = project / "data/companies/acme-ai.yaml"
    f.write_text(f.read_text().replace("valuation: USD 10 billion",
                                       "valuation: USD 12 billion")
                 .replace("pre_money_valuation: USD 8.5 billion",
                          "pre_money_valuation: USD 10.5 billion"))
    problems, pages = _render(project)
    assert problems.report() == "no problems found"
    assert "US&#36;12 billion" in pages["index.md"]
    assert "12&#46;0×" in pages["index.md"]
    assert "US&#36;12 billion" in pages["companies/acme-ai.md"]
    assert "US&#36;12 billion" in pages["valuations.md"]


@pytest.mark.parametrize("text", [
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "a | b",
    "# heading",
    "*bold* _it_ `code` {: onclick=x }",
    "&lt;b&gt; &amp;",
    "line\nbreak",
])
def test_md_escape_leaves_no_markdown_or_html_syntax(text):
    out = str(md_escape(text))
    assert not re.search(r"[<>\[\]()|#*_`{}&]", re.sub(r"&#\d+;", "", out))
    assert "\n" not in out


HOSTILE = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) a | b"


def test_hostile_company_name_is_literal_text_in_every_generated_page(project):
    f = project / "data/companies/bigcloud.yaml"
    f.write_text(f.read_text().replace("name: BigCloud", f"name: \"{HOSTILE}\""))
    problems, pages = _render(project)
    assert problems.report() == "no problems found"
    for path, content in pages.items():
        front, body = content.split("\n---\n", 1)
        assert "<" not in front and ">" not in front, path  # entities and \u003c only
        assert "<img" not in body, path
        assert "](javascript" not in body, path
        assert "a | b" not in body, path
    assert "# &#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;" in pages["companies/bigcloud.md"]


@pytest.mark.parametrize("body, message", [
    ('{{ fig("acme-ai/series-c/valuation") }}',
     "company 'acme-ai' has no event 'series-c'; did you mean 'series-a' or 'series-b'?"),
    ('{{ fig("acme/series-b/valuation") }}',
     "unknown company 'acme'; did you mean 'acme-ai'?"),
    ('{{ fig("acme-ai/series-b/valuaton") }}',
     "fig('acme-ai/series-b/valuaton'): unknown field 'valuaton'; did you mean 'valuation'?"),
    ('{{ fig("acme-ai/series-b/post_money_valuation") }}',
     "fig('acme-ai/series-b/post_money_valuation'): 'post_money_valuation' is now 'valuation', "
     "whose kind of price is the event's valuation_basis; write "
     "fig('acme-ai/series-b/valuation')"),
    ('{{ fig("acme-ai/series-b/valuation", alternative=1) }}',
     "fig('acme-ai/series-b/valuation', alternative=1): the event records no other report of "
     "valuation"),
    ('{{ cite("no-such-source") }}', "unknown source 'no-such-source'"),
    ('{{ figure("x") }}', "'figure' is undefined; check the spelling, or see CONTRIBUTING.md for "
                          "the names articles can use"),
    ('{% if %}', "template syntax: Expected an expression, got 'end of statement block'"),
    ('{{ cell("chips", "x1", "price") }}', "table 'chips', row 'x1' has no value for 'price'"),
])
def test_article_reference_errors_name_path_and_line(project, body, message):
    art = project / "site_src/articles/first.md"
    text = art.read_text()
    art.write_text(text + "\nSome prose.\n\n" + body + "\n")
    line = text.count("\n") + 4
    problems, _ = _render(project)
    assert [p.format() for p in problems.sorted()] == [
        f"site_src/articles/first.md:{line}: {message}"]


@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ fig.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ self._TemplateReference__context }}",
    "{% for c in ''.__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ ds.root.read_text() }}",
])
def test_article_template_code_cannot_reach_python_internals(project, body):
    art = project / "site_src/articles/first.md"
    text = art.read_text()
    art.write_text(text + body + "\n")
    problems, pages = _render(project)
    errs = problems.sorted()
    assert len(errs) == 1, problems.report()
    assert errs[0].path == "site_src/articles/first.md"
    assert errs[0].line == text.count("\n") + 1
    assert "articles/first.md" not in pages


def test_pages_are_never_written_into_the_source_tree(project):
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    _render(project)
    after = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    assert before == after


@pytest.mark.parametrize("snippet, message", [
    ('<script>alert(1)</script>', "raw HTML <script> is not allowed in articles; write Markdown "
     "(allowed tags: abbr, br, details, kbd, mark, small, sub, summary, sup)"),
    ('<iframe src="https://x.org"></iframe>', "raw HTML <iframe> is not allowed in articles"),
    ('<style>body{}</style>', "raw HTML <style> is not allowed in articles"),
    ('<IMG SRC=x ONERROR=alert(1)>', "raw HTML <img> is not allowed in articles"),
    ('<abbr title="x" onmouseover="alert(1)">AI</abbr>',
     "attribute 'onmouseover' is not allowed on <abbr> in articles"),
    ('[click](javascript:alert(1))', "link address 'javascript:alert(1)' uses javascript:, which is "
     "not allowed; links go to https:// addresses or to other pages of this site"),
    ('[click]( JaVaScRiPt:alert(1))', "uses javascript:"),
    ('[click](jav&#x61;script:alert(1))', "uses javascript:"),
    ('[click](data:text/html;base64,PHNjcmlwdD4=)', "uses data:"),
    ('[click](vbscript:msgbox)', "uses vbscript:"),
    ('[ref]: javascript:alert(1)', "uses javascript:"),
    ('<javascript:alert(1)>', "uses javascript:"),
    ('A paragraph.\n{: onclick="alert(1)" }', "attribute list entry 'onclick=\"alert(1)\"' is not "
     "allowed; attribute lists in articles may set only .classes and #ids"),
    ('A paragraph.\n{: style="color:red" }', "attribute list entry 'style=\"color:red\"'"),
    ('--8<-- "../../.git/config"', "snippet includes are not enabled; pages cannot include files"),
])
def test_unsafe_markup_in_articles_fails_the_check_with_path_and_line(project, snippet, message):
    art = project / "site_src/articles/first.md"
    text = art.read_text()
    art.write_text(text + "\n" + snippet + "\n")
    line = text.count("\n") + 2 + snippet.count("\n")  # the snippet's last line
    problems, pages = _render(project)
    lines = [p.format() for p in problems.sorted()]
    prefix = f"site_src/articles/first.md:{line}: "
    assert len(lines) == 1 and lines[0].startswith(prefix) and message in lines[0], lines
    assert "articles/first.md" not in pages


@pytest.mark.parametrize("snippet", [
    "`<script>` in inline code is shown, not run",
    "```html\n<script>alert(1)</script>\n```",
    "[a page](../companies/acme-ai.md) and [a site](https://example.org/x)",
    "<abbr title=\"Artificial intelligence\">AI</abbr> and x<sup>2</sup>",
    "A paragraph.\n{: .note #anchor }",
])
def test_safe_markup_in_articles_passes(project, snippet):
    art = project / "site_src/articles/first.md"
    art.write_text(art.read_text() + "\n" + snippet + "\n")
    problems, pages = _render(project)
    assert problems.report() == "no problems found"


def test_table_cells_keep_their_number_for_arithmetic(project):
    art = project / "site_src/articles/first.md"
    art.write_text(art.read_text() + '\nPower ratio: {{ ratio(cell("chips", "x2", "max_tdp_w"), '
                   'cell("chips", "x1", "max_tdp_w"), 2) }}. Bandwidth per watt: '
                   '{{ per(cell("chips", "x2", "bandwidth_tb_per_s"), cell("chips", "x2", '
                   '"max_tdp_w"), "TB/s per W", 3) }}. Draw: {{ cell("chips", "x1", "max_tdp_w") }}.\n')
    problems, pages = _render(project)
    assert problems.report() == "no problems found"
    text = pages["articles/first.md"]
    assert "Power ratio: 1&#46;43×" in text  # 1000 W / 700 W
    assert "Bandwidth per watt: 0&#46;008 TB/s per W" in text  # 8 TB/s / 1000 W
    assert "Draw: 700 W<sup" in text


def test_money_counted_inside_another_event_is_marked_and_checked(project):
    f = project / "data/companies/acme-ai.yaml"
    text = f.read_text()
    f.write_text(text.replace("    status: confirmed\n    sources: [acme-news-2021]\n  - id: series-b",
                              "    counted_in: series-b\n    status: confirmed\n"
                              "    sources: [acme-news-2021]\n  - id: series-b"))
    problems, pages = _render(project)
    assert problems.report() == "no problems found"
    assert "Primary round, counted in the Series B" in pages["companies/acme-ai.md"]
    f.write_text(text.replace("    status: confirmed\n    sources: [acme-news-2021]\n  - id: series-b",
                              "    counted_in: series-c\n    status: confirmed\n"
                              "    sources: [acme-news-2021]\n  - id: series-b"))
    problems, _ = _render(project)
    assert [p.format() for p in problems.sorted()] == [
        "data/companies/acme-ai.yaml:20:17: events[0].counted_in: 'series-c' is not another event "
        "of this company; did you mean 'series-b'?"]


def test_a_company_that_belongs_to_another_is_left_out_of_latest_comparisons(project):
    f = project / "data/companies/acme-ai.yaml"
    f.write_text(f.read_text().replace("    role: cloud-provider", "    role: parent"))
    problems, pages = _render(project)
    assert problems.report() == "no problems found"
    index = pages["companies/index.md"]
    assert "part of [BigCloud](bigcloud.md)" in index
    latest = pages["valuations.md"].split("## Every valuation mark")[0]
    assert "acme-ai.md" not in latest.split("## Latest mark per company")[1]


def test_an_undated_source_says_so_and_never_dates_the_data_by_when_it_was_read(project):
    f = project / "data/sources/daily-2023.yaml"
    f.write_text(f.read_text().replace("published: 2023-02-02", "published: undated"))
    problems, pages = _render(project)
    assert problems.report() == "no problems found"
    assert ("(address not verified), undated. Read 24 November 2026. News outlet."
            in pages["sources.md"])
    assert "The Daily Example, <a href" in pages["articles/first.md"]
    assert ", undated. [About this source]" in pages["articles/first.md"]
    # the day the source was read says nothing about how current the data is
    assert 'data_as_of: "1 February 2023 (latest event)"' in pages["articles/first.md"]


@pytest.mark.parametrize("published, note, message", [
    ("undated", None, "published: an undated source needs a note saying how its date is unknown"),
    ("", "x", "published: expected a date written YYYY-MM-DD (or YYYY-MM, or YYYY, when the day "
              "or month is not known), or the word undated when the source shows no date (then "
              "say so in note)"),
])
def test_undated_sources_need_a_note_and_an_explicit_word(project, published, note, message):
    f = project / "data/sources/acme-news-2021.yaml"
    text = f.read_text().replace("published: 2021-05-04", f"published: {published}".rstrip())
    if note:
        text += f"note: {note}\n"
    f.write_text(text)
    problems = Problems()
    load(project, problems)
    assert [p.format().split(": ", 1)[1] for p in problems.sorted()] == [message]


def test_the_valuations_page_stops_listing_every_mark_when_there_are_too_many(project):
    def valuations(limit: int = 400) -> str:
        problems, pages = _render(project, lists=Lists(every_mark=limit))
        assert not problems.errors, problems.report()
        return pages["valuations.md"].split("## Every valuation mark", 1)[1]

    listed = valuations()
    rows = listed.count("\n| ") - 1  # less the header row
    assert rows >= 2 and "too many for one page" not in listed
    short = valuations(rows - 1)
    assert "|---|" not in short
    assert f"The data holds {rows} valuation marks, too many for one page" in short
    assert "[the events download](downloads/events.csv)" in short


def test_the_valuations_page_stops_listing_latest_marks_when_there_are_too_many(project):
    def latest(limit: int = 400) -> str:
        problems, pages = _render(project, lists=Lists(every_mark=limit))
        assert not problems.errors, problems.report()
        return pages["valuations.md"].split("## Latest mark per company", 1)[1] \
            .split("## Every valuation mark", 1)[0]

    listed = latest()
    rows = listed.count("\n| ") - 1  # less the header row
    assert rows >= 1 and "too many for one table" not in listed
    assert latest(rows) == listed
    short = latest(rows - 1)
    assert "|---|" not in short
    assert (f"The data holds a latest mark for {rows} companies, too many for one table: "
            "[the companies index](companies/index.md) lists each company's") in short


def test_pages_of_a_long_list_are_named_by_what_they_hold():
    from types import SimpleNamespace as NS

    from generator.render.pagination import paginate, source_span

    def src(publisher: str, year: int):
        return NS(publisher=publisher, as_of=NS(year=year))

    items = [src("Bloomberg", 2024), src("Reuters", 2019), src("Reuters", 2026),
             src("Reuters", 2026), src("The Information", 2025)]
    pages = paginate(items, 2, "sources.md", "sources", source_span)
    assert [p.path for p in pages] == ["sources.md", "sources/page/2.md", "sources/page/3.md"]
    assert pages[0].ranges == ("Bloomberg – Reuters", "Reuters (2026)", "The Information (2025)")
    assert [(p.number, p.start, len(p.items), p.total) for p in pages] == [
        (1, 0, 2, 5), (2, 2, 2, 5), (3, 4, 1, 5)]
    assert paginate(items[1:3], 2, "sources.md", "sources", source_span)[0].ranges == (
        "Reuters (2019–2026)",)
    only = paginate([], 2, "companies/index.md", "companies")
    assert len(only) == 1 and only[0].paths == ("companies/index.md",) and only[0].items == ()


def test_the_check_renders_profiles_in_two_processes_with_the_same_result(project, monkeypatch):
    import generator.render as render_mod
    from generator.cli import run_check

    import os

    from support import require

    require("os.fork", hasattr(os, "fork"), "a POSIX system")
    monkeypatch.setattr(render_mod, "can_fork", lambda: True)  # whatever this machine's CPUs
    acme = (project / "data/companies/acme-ai.yaml").read_text()
    for k in range(7):
        (project / f"data/companies/lab-{k}.yaml").write_text(
            acme.replace("id: acme-ai", f"id: lab-{k}").replace("name: Acme AI", f"name: Lab {k}"))
    # a template problem on one profile in each half, and a data problem found while rendering
    tpl = project / "templates/company.md.j2"
    tpl.write_text(tpl.read_text() + '{% if c.id in ("lab-1", "lab-5") %}{{ no_such_thing }}'
                                      '{% endif %}\n')

    real_fork = render_mod.os.fork

    def check(parallel_from: int):
        forks = []
        monkeypatch.setattr(render_mod.os, "fork", lambda: forks.append(1) or real_fork())
        problems, pages = run_check(settings=Settings.for_project(
            project, check=True, parallel_check_min=parallel_from))
        return forks, [p.format() for p in problems.items], [(p.path, p.content) for p in pages]

    serial_forks, serial_problems, serial_pages = check(10**9)
    forks, problems, pages = check(2)
    assert serial_forks == [] and forks == [1]
    assert len([p for p in serial_problems if "no_such_thing" in p]) == 2
    assert problems == serial_problems  # the same problems, in the same order
    assert pages == serial_pages


def test_the_checks_second_process_never_outlives_a_failing_first_half():
    import os
    import signal

    from support import require
    from generator.render import in_two_processes
    from generator.types import Page

    require("os.fork", hasattr(os, "fork"), "a POSIX system")
    parent = os.getpid()

    def work(items):
        if os.getpid() == parent:
            raise RuntimeError("a bug while rendering the first half")
        pages.extend(Page(f"p{i}.md", b"x" * 2**20, "o") for i in items)  # more than a pipe holds

    pages: list = []
    signal.signal(signal.SIGALRM, lambda *a: pytest.fail("waited for ever on the child"))
    signal.alarm(30)
    try:
        with pytest.raises(RuntimeError, match="first half"):
            in_two_processes(list(range(8)), work, Problems(), pages, set())
    finally:
        signal.alarm(0)
    assert pages == []
