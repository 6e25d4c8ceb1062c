"""Pages of the companies index kept between builds (#19): a page of the index is rendered again
only when what it lists changed (a company on it, the company one of them belongs to, a source
its marks cite, its place in the list), and every page is the page a clean render makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import load
from generator.problems import Problems
from generator.settings import Lists, Settings

from support import replace

ACME, BIG = "companies/index.md", "companies/page/2.md"  # one company a page, by name

PARENT = ("relationships:\n", "relationships:\n  - company: bigcloud\n    role: acquirer\n"
          "    since: 2024-01\n    status: confirmed\n    sources: [daily-2023]\n")


@pytest.fixture
def index(project: Path, monkeypatch):
    """Render ``project`` with kept pages (one company a page of the index): the index's pages
    rendered, by path, and each page equal to a clean render's."""
    import generator.render as render_mod
    from generator.render import render

    plain, made = render_mod._render_page, []

    def counting(kind, spec, *args, **kwargs):
        made.append(spec.path)
        return plain(kind, spec, *args, **kwargs)

    monkeypatch.setattr(render_mod, "_render_page", counting)
    settings = Settings.for_project(project, check=True, lists=Lists(companies_per_page=1))

    def rendered() -> set[str]:
        made.clear()
        got = {}
        for clean in (True, False):  # a clean render, then one with the kept pages
            problems = Problems()
            ds = load(project, problems)
            pages = render(ds, settings.but(clean=clean), problems).pages
            assert [p.format() for p in problems.sorted()] == []
            got[clean] = {p.path: p.text for p in pages if p.path.startswith("companies/")}
            if clean:
                made.clear()
        assert got[False] == got[True]
        return {p for p in made if p in (ACME, BIG)}

    return rendered


@pytest.mark.parametrize("edit, again", [
    ("nothing", set()),
    # a company's file: its row's page (its summary is not in the row: files, not fields)
    ("acme's summary", {ACME}),
    # a name that begins or ends a page is in every page's pager (one company a page here)
    ("bigcloud's name", {ACME, BIG}),
    ("a source acme's latest mark cites", {ACME}),
    # acme's file names bigcloud (its cloud provider): not shown in acme's row
    ("bigcloud's summary", {BIG}),
    ("a company added after both", {ACME, BIG}),  # every page's place in the list
    ("acme now part of bigcloud", {ACME}),
    # the company a row names as the one it belongs to: its file is read (files, not fields)
    ("bigcloud's summary, acme part of it", {ACME, BIG}),
])
def test_a_page_of_the_companies_index_is_rendered_again_when_what_it_lists_changed(
        project: Path, index, edit, again):
    mutations = {
        "nothing": [],
        "acme's summary": [replace("data/companies/acme-ai.yaml",
                                   "summary: A fictional AI lab used by the tests.",
                                   "summary: A fictional AI lab the tests edited.")],
        "bigcloud's name": [replace("data/companies/bigcloud.yaml", "name: BigCloud",
                                    "name: BigCloud Edited")],
        "a source acme's latest mark cites": [replace(
            "data/sources/daily-2023.yaml", "title: Acme AI's new round", "title: Edited")],
        "bigcloud's summary": [replace("data/companies/bigcloud.yaml", "summary: A fictional",
                                       "summary: An edited fictional")],
        "a company added after both": [lambda root: (root / "data/companies/zeta.yaml")
                                       .write_text("id: zeta\nname: Zeta\nkind: cloud-provider\n"
                                                   "founded: 2020\nsummary: Added.\n"
                                                   "last_checked: 2026-11-01\n",
                                                   encoding="utf-8")],
        "acme now part of bigcloud": [replace("data/companies/acme-ai.yaml", *PARENT)],
        "bigcloud's summary, acme part of it": [replace(
            "data/companies/bigcloud.yaml", "summary: A fictional", "summary: An edited fictional")],
    }
    if edit == "bigcloud's summary, acme part of it":
        replace("data/companies/acme-ai.yaml", *PARENT)(project)
    assert index() == {ACME, BIG}  # the first render keeps them
    for mutate in mutations[edit]:
        mutate(project)
    assert index() == again
