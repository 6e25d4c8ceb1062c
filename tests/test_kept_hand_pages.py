"""Articles and hand-written pages kept between builds (issue 19, generator.render.reuse.HandCache):
a page of site_src is rendered again only when its text, or a record its template code read
through the Api (render.api.Noted), changed; what is published is what a clean render makes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.cachedir import project_cache
from generator.load import load
from generator.markup import on_page
from generator.problems import Problems
from generator.render import render, site_src
from generator.render.api import Api
from generator.settings import Settings
from generator.types import PageState

from support import replace, write


def _render(root: Path, monkeypatch, **options) -> tuple[dict[str, str], list[str]]:
    """What a check renders (every page's Markdown by its path), and the pages of site_src
    whose template code ran."""
    ran: list[str] = []
    real = site_src.render_template

    def spy(env, name, origin, *args, **kwargs):
        ran.append(origin)
        return real(env, name, origin, *args, **kwargs)

    monkeypatch.setattr(site_src, "render_template", spy)
    problems = Problems()
    ds = load(root, problems)
    pages = render(ds, Settings.for_project(root, check=True, **options), problems).pages
    assert problems.report() == "no problems found"
    monkeypatch.setattr(site_src, "render_template", real)
    return {p.path: p.text for p in pages}, ran


def _same_as_clean(root: Path, monkeypatch, pages: dict[str, str]) -> None:
    clean, _ = _render(root, monkeypatch, clean=True)
    assert list(pages) == list(clean)
    for path, text in clean.items():
        assert pages[path] == text, path


ALL = ["site_src/articles/first.md", "site_src/about.md", "site_src/index.md",
       "site_src/methodology.md"]  # (articles first: the other pages may list them)


def test_a_second_render_runs_no_template_code_of_site_src(project, monkeypatch):
    first, ran = _render(project, monkeypatch)
    assert ran == ALL
    again, ran = _render(project, monkeypatch)
    assert ran == []
    assert again == first
    _same_as_clean(project, monkeypatch, again)


@pytest.mark.parametrize("edit, ran, shown", [
    # a company no page of site_src looks up
    (replace("data/companies/bigcloud.yaml", "name: BigCloud", "name: BigCloud Two"), [], None),
    # the article links Acme AI and states its figures; the home page states one
    (replace("data/companies/acme-ai.yaml", "name: Acme AI", "name: Acme Nine"),
     ["site_src/articles/first.md", "site_src/index.md"], ("articles/first.md", "Acme Nine")),
    # a source the Series B figures cite: its title is in both pages' sources
    (replace("data/sources/daily-2023.yaml", "title: ", "title: Retitled "),
     ["site_src/articles/first.md", "site_src/index.md"], ("index.md", "Retitled ")),
    # the page's own text
    (replace("site_src/about.md", "by its editors", "by its two editors"),
     ["site_src/about.md"], ("about.md", "two editors")),
    # a glossary entry: every kept page's key covers the glossary and tables
    (replace("data/glossary/post-money-valuation.yaml", "term: ", "term: The "), ALL, None),
], ids=["another company", "a company it reads", "a source it cites", "its text",
        "the glossary"])
def test_a_page_is_rendered_again_when_what_it_read_changed(project, monkeypatch, edit, ran,
                                                              shown):
    _render(project, monkeypatch)
    edit(project)
    pages, rendered = _render(project, monkeypatch)
    assert rendered == ran
    if shown is not None:
        path, text = shown
        assert text in pages[path]
    _same_as_clean(project, monkeypatch, pages)


def test_a_page_that_goes_over_every_company_or_lists_the_articles_reads_them_all(
        project, monkeypatch):
    write("site_src/latest.md", "---\ntitle: Latest\ndescription: The newest marks.\n---\n"
          "# Latest\n\n{{ latest_marks(3) }}\n\nChecked {{ latest_check() }}.\n")(project)
    write("site_src/reading.md", "---\ntitle: Reading\ndescription: The newest articles.\n"
          "---\n# Reading\n\n{{ latest_articles(2) }}\n")(project)
    _render(project, monkeypatch)
    replace("data/companies/bigcloud.yaml", "name: BigCloud", "name: BigCloud Two")(project)
    _, ran = _render(project, monkeypatch)
    assert ran == ["site_src/latest.md"]
    replace("site_src/articles/first.md", "title: A first article",
            "title: A retitled article")(project)
    pages, ran = _render(project, monkeypatch)
    assert ran == ["site_src/articles/first.md", "site_src/reading.md"]
    assert "A retitled article" in pages["reading.md"]
    _same_as_clean(project, monkeypatch, pages)


def test_the_budgets_are_in_a_kept_page_s_key(project, monkeypatch):
    _render(project, monkeypatch)
    settings = Settings.for_project(project, check=True)
    limits = dataclasses.replace(settings.limits, iterations=settings.limits.iterations - 1)
    problems = Problems()
    ran: list[str] = []
    real = site_src.render_template
    monkeypatch.setattr(site_src, "render_template",
                        lambda env, name, origin, *a, **k: ran.append(origin) or
                        real(env, name, origin, *a, **k))
    render(load(project, problems), settings.but(limits=limits), problems)
    assert ran == ALL


def test_a_damaged_entry_is_a_page_rendered_again(project, monkeypatch):
    first, _ = _render(project, monkeypatch)
    folder = project_cache(project) / "render"
    entries = list(folder.glob("*.page"))
    assert len(entries) >= len(ALL)
    for p in entries:
        p.write_bytes(p.read_bytes()[:-3] + b"XYZ")
    again, ran = _render(project, monkeypatch)
    assert ran == ALL
    assert again == first


@pytest.mark.parametrize("field, value", [
    ("data", 7), ("sources", "acme-news-2021"), ("extra", []), ("charts", [1]),
    ("extra", {"minutes": "2"})])
def test_an_entry_whose_record_is_not_what_was_written_is_a_page_rendered_again(
        project, monkeypatch, field, value):
    import json

    first, _ = _render(project, monkeypatch)
    for p in (project_cache(project) / "render").glob("*.page"):
        head, _, data = p.read_bytes().partition(b"\n")
        entry = json.loads(head)
        entry[field] = value
        p.write_bytes(json.dumps(entry).encode() + b"\n" + data)
    again, ran = _render(project, monkeypatch)
    # (an article's reading time that is not a number: the article alone)
    assert ran == (ALL[:1] if value == {"minutes": "2"} else ALL)
    assert again == first


def test_the_records_a_page_s_template_code_looks_up_are_noted_on_it(project):
    problems = Problems()
    api = Api(load(project, problems), charts=None)
    with on_page(PageState("x.md")) as state:
        api.fig("acme-ai/series-b/valuation")
        api.cite("acme-news-2021")
    assert state.reads == {"companies:acme-ai", "sources:acme-news-2021",
                           "sources:daily-2023"}
    with on_page(PageState("y.md")) as state:
        api.latest_check()
        with pytest.raises(Exception, match="unknown company 'nobody'"):
            api.link("nobody")
    assert state.reads == {"companies:*", "companies:nobody"}
    with on_page(PageState("z.md")) as state:
        api.latest_articles(1)
        api.term("post-money-valuation")
    assert state.reads == {"articles"}  # (the glossary is in every kept page's key)
