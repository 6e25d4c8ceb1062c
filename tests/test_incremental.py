"""Incremental builds (issue 19): a build converts only the pages whose inputs changed, takes the
others from the page cache (generator.pagecache), and publishes exactly what a clean build
publishes, byte for byte."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cachedir import project_cache
from generator.mkdocs_glue import build_site

from support import make_project, tree_digest

pytestmark = pytest.mark.build


def _sub(path: Path, pattern: str, repl: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(pattern, repl, text, count=1, flags=re.M)
    assert n == 1, (path, pattern)
    path.write_text(new, encoding="utf-8")


def edit_data(root: Path, k: int) -> None:
    _sub(root / "data/companies/bigcloud.yaml", r"^summary: .*$",
         f"summary: A fictional cloud provider, edited {k} times.")


def rename_company(root: Path, k: int) -> None:
    """BigCloud's name is also on the profile of Acme AI, which it invested in."""
    _sub(root / "data/companies/bigcloud.yaml", r"^name: .*$", f"name: BigCloud {k}")


def add_company(root: Path, k: int) -> None:
    (root / f"data/companies/added-{k}.yaml").write_text(
        f"id: added-{k}\nname: Added {k}\nkind: cloud-provider\nfounded: 2020\n"
        f"summary: A company the test added.\nlast_checked: 2026-11-01\n", encoding="utf-8")


def edit_source(root: Path, k: int) -> None:
    """A source the Acme AI profile cites: its title, and whether it is a copy (issue 16)."""
    path = root / "data/sources/acme-news-2021.yaml"
    _sub(path, r"^title: .*$", f"title: Acme AI raises its Series A ({k})")
    _sub(path, r"^tier: .*$", f"tier: {'secondary' if k % 2 else 'primary'}")


def edit_glossary(root: Path, k: int) -> None:
    with open(root / "data/glossary/post-money-valuation.yaml", "a", encoding="utf-8") as f:
        f.write(f"# edited {k}\n")


def edit_template(root: Path, k: int) -> None:
    with open(root / "templates/company.md.j2", "a", encoding="utf-8") as f:
        f.write(f"\n\nA line the template gained ({k}).\n")


def edit_article(root: Path, k: int) -> None:
    with open(root / "site_src/articles/first.md", "a", encoding="utf-8") as f:
        f.write(f"\nA paragraph the article gained ({k}).\n")


def add_article(root: Path, k: int) -> None:
    (root / f"site_src/articles/added-{k}.md").write_text(
        f"---\ntitle: Added article {k}\ndescription: An article added by the test.\n"
        f"published: 2026-11-2{k}\n---\n# Added article {k}\n\nIt cites nothing.\n",
        encoding="utf-8")


def edit_settings(root: Path, k: int) -> None:
    _sub(root / "mkdocs.yml", r"^copyright: .*$", f"copyright: Edited {k} times.")


def edit_theme(root: Path, k: int) -> None:
    path = root / "overrides/main.html"
    text = path.read_text(encoding="utf-8")
    block = f"{{% block announce %}}Announcement {k}{{% endblock %}}"
    new, n = re.subn(r"\{% block announce %\}.*?\{% endblock %\}", block, text)
    path.write_text(new if n else text + "\n" + block + "\n", encoding="utf-8")


def date_source(root: Path, k: int) -> None:
    """A source Acme AI's chart cites, dated anew: the figure's newest source (issue 19: the
    chart is kept, its figure is not)."""
    _sub(root / "data/sources/daily-2023.yaml", r"^published: .*$", f"published: 2023-0{k + 3}-02")


def rename_charted(root: Path, k: int) -> None:
    """Acme AI is drawn in its own chart and in the comparison charts of the valuations page."""
    _sub(root / "data/companies/acme-ai.yaml", r"^name: .*$", f"name: Acme AI {k}")


def comment_company(root: Path, k: int) -> None:
    """A file that changes but whose record does not: charts keyed by it are built again."""
    with open(root / "data/companies/acme-ai.yaml", "a", encoding="utf-8") as f:
        f.write(f"# checked again ({k})\n")


EDITS = {f.__name__: f for f in (edit_data, rename_company, add_company, edit_source,
                                 edit_glossary, edit_template, edit_article, add_article,
                                 edit_settings, edit_theme, date_source, rename_charted,
                                 comment_company)}


def _built_equal(root: Path) -> None:
    """An incremental build of ``root`` and a clean one publish the same files, byte for byte."""
    assert build_site(root, Path("site")) == 0
    assert build_site(root, Path("clean-site"), clean=True) == 0
    assert tree_digest(root / "site") == tree_digest(root / "clean-site")


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 3)),
                min_size=1, max_size=3))
def test_incremental_builds_publish_what_a_clean_build_publishes(edits):
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp) / "proj")
        assert build_site(root, Path("site")) == 0  # the cache's first records
        for name, k in edits:
            EDITS[name](root, k)
            _built_equal(root)


def _rebuilt(site: Path) -> set[str]:
    """The pages a build wrote itself: the others are hard links to the page cache."""
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html")
            if p.stat().st_nlink == 1}


@pytest.mark.parametrize("edit, rebuilt", [
    # the summary is on the profile and in the data page's downloads list (their sizes)
    ("edit_data", {"companies/bigcloud/index.html", "data/index.html"}),
    ("rename_company", {"companies/bigcloud/index.html", "companies/acme-ai/index.html",
                        "companies/index.html", "data/index.html"}),
    ("edit_article", {"articles/first/index.html"}),  # the index lists titles only
    ("edit_template", {"companies/acme-ai/index.html", "companies/bigcloud/index.html"}),
    # a source turned secondary: every page showing a figure it backs marks it, and the lists
    ("edit_source", {"companies/acme-ai/index.html", "companies/bigcloud/index.html",
                     "articles/first/index.html", "tables/chips/index.html", "index.html",
                     "companies/index.html", "valuations/index.html", "sources/index.html",
                     "data/index.html"}),
], ids=["a company file", "a company's name", "an article", "the profile template", "a source"])
def test_an_edit_rebuilds_the_pages_that_read_what_changed(project, edit, rebuilt):
    assert build_site(project, Path("site")) == 0
    assert build_site(project, Path("site")) == 0
    assert _rebuilt(project / "site") == set()
    EDITS[edit](project, 1)
    assert build_site(project, Path("site")) == 0
    assert _rebuilt(project / "site") == rebuilt


def test_settings_rebuild_every_page(project):
    assert build_site(project, Path("site")) == 0
    edit_settings(project, 1)
    assert build_site(project, Path("site")) == 0
    pages = {p.relative_to(project / "site").as_posix()
             for p in (project / "site").rglob("index.html")}
    assert _rebuilt(project / "site") == pages


def test_clean_reads_no_cache_and_records_afresh(project):
    assert build_site(project, Path("site")) == 0
    expected = tree_digest(project / "site")
    blobs = project_cache(project) / "pages" / "blobs"
    for blob in blobs.iterdir():  # a damaged cache: every kept page says something else
        blob.chmod(0o644)
        blob.write_text("<p>damaged</p>", encoding="utf-8")
    assert build_site(project, Path("site"), clean=True) == 0
    assert tree_digest(project / "site") == expected
    assert build_site(project, Path("site")) == 0  # the clean build's records, from now on
    assert tree_digest(project / "site") == expected


def test_the_cache_lives_outside_the_project_and_a_committed_site_is_never_reused(project):
    site = project / "site"
    assert build_site(project, Path("site")) == 0
    expected = tree_digest(site)
    # a pull request that commits a site/ (with the build's marker) whose pages say otherwise
    profile = site / "companies/bigcloud/index.html"
    profile.unlink()
    profile.write_text("<p>from the pull request</p>", encoding="utf-8")
    assert build_site(project, Path("site")) == 0
    assert tree_digest(site) == expected
    assert (project_cache(project) / "pages" / "mkdocs-build.json").is_file()
    assert not project_cache(project).is_relative_to(project)
    made = {p.relative_to(project).parts[0] for p in project.rglob("*")}
    assert made == {"data", "site_src", "templates", "overrides", "mkdocs.yml", "site"}


def test_a_build_that_fails_records_nothing(project):
    assert build_site(project, Path("site")) == 0
    record = project_cache(project) / "pages" / "mkdocs-build.json"
    before = record.read_bytes()
    edit_article(project, 1)
    with open(project / "site_src/articles/first.md", "a", encoding="utf-8") as f:
        f.write("\nA link to [nowhere](missing.md).\n")
    assert build_site(project, Path("site")) == 1  # strict: the link's warning fails it
    assert record.read_bytes() == before
    assert build_site(project, Path("site")) == 1  # and it fails again: nothing was recorded


def test_a_profile_template_that_reads_the_whole_dataset_is_rendered_every_time(project):
    # the profiles' cache knows what the functions it is given read; `ds` could be anything
    with open(project / "templates/company.md.j2", "a", encoding="utf-8") as f:
        f.write("\nOne of {{ ds.companies | length }} companies.\n")
    assert build_site(project, Path("site")) == 0
    add_company(project, 1)
    _built_equal(project)
    assert "One of 3 companies." in (project / "site/companies/acme-ai/index.html").read_text()


def test_a_check_after_an_edit_reports_what_a_clean_check_reports(project, check):
    assert check(project).code == 0
    assert check(project).code == 0  # the profiles' cache holds both profiles now
    _sub(project / "data/companies/acme-ai.yaml", r"^  - company: bigcloud$",
         "  - company: bigcluod")
    run = check(project)
    assert run.code == 1
    assert run.text.splitlines()[:2] == [
        "data/companies/acme-ai.yaml:40:14: relationships[0].company: unknown company "
        "'bigcluod': there is no file data/companies/bigcluod.yaml; did you mean 'bigcloud'?",
        "1 error in 1 file"]
    _sub(project / "data/companies/acme-ai.yaml", r"^  - company: bigcluod$",
         "  - company: bigcloud")
    assert check(project).code == 0


@pytest.mark.parametrize("edit, page, shown", [
    ("date_source", "companies/acme-ai/index.html", "newest source 2 April 2023"),
    # the chart's table marks its Series A row (the only confirmed one)
    ("edit_source", "companies/acme-ai/index.html", '>confirmed</span> <a class="fl-secondary"'),
    ("rename_charted", "valuations/index.html", 'data-label="Company">Acme AI 1</td>'),
    ("rename_charted", "companies/acme-ai/index.html", "Acme AI 1: valuations over time"),
], ids=["a cited source's date", "a cited source turned secondary", "a comparison's company",
        "a company's own chart"])
def test_a_kept_chart_s_figure_shows_what_changed_in_what_it_reads(project, edit, page, shown):
    """Charts are kept by the files they read and profiles by their charts' keys (issue 19):
    an edit to what a chart reads, or to the sources a build marks it by, reaches its figure."""
    assert build_site(project, Path("site")) == 0
    assert shown not in (project / "site" / page).read_text(encoding="utf-8")
    EDITS[edit](project, 1)
    _built_equal(project)
    assert shown in (project / "site" / page).read_text(encoding="utf-8")


def test_what_a_template_uses_is_kept_by_its_source_and_read_again_when_damaged(
        tmp_path, monkeypatch):
    """Whether a profile may be kept depends on the names its template uses; a build keeps the
    answer by the template's source (no parse of an unchanged template), and a template that
    changes, or a kept answer that is damaged, is looked at again."""
    from generator.render import reuse, sandbox

    (tmp_path / "t").mkdir()
    template = tmp_path / "t/company.md.j2"
    template.write_text("{{ c.name }} {{ link(c) }}{% set x = 1 %}{{ x }}", encoding="utf-8")
    env = sandbox.make_env(sandbox.TemplateLoader(tmp_path / "t"))
    memo = tmp_path / "memo"
    assert reuse.template_names(env, "company.md.j2", memo=memo)[1] == {"c", "link"}
    [kept] = memo.iterdir()

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed again")

    real_make_env = sandbox.make_env
    monkeypatch.setattr(sandbox, "make_env", no_parse)
    assert reuse.template_names(env, "company.md.j2", memo=memo)[1] == {"c", "link"}
    monkeypatch.setattr(sandbox, "make_env", real_make_env)
    template.write_text("{{ ds.companies | length }} {{ c.name }}", encoding="utf-8")
    assert reuse.template_names(env, "company.md.j2", memo=memo)[1] == {"c", "ds"}
    template.write_text("{% include 'other.j2' %}", encoding="utf-8")
    assert reuse.template_names(env, "company.md.j2", memo=memo)[1] is None
    assert reuse.template_names(env, "company.md.j2", memo=memo)[1] is None  # kept: None
    template.write_text("{{ c.name }} {{ link(c) }}{% set x = 1 %}{{ x }}", encoding="utf-8")
    kept.write_text('{"names": ["c", 3]}', encoding="utf-8")  # damaged: looked at again
    assert reuse.template_names(env, "company.md.j2", memo=memo)[1] == {"c", "link"}
    assert kept.read_text(encoding="utf-8") == '{"names": ["c", "link"]}'
