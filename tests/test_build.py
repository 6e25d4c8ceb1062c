"""End to end: the strict MkDocs build, atomic publishing, the shipped site."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.mkdocs_glue import build_site

from support import REPO, tree_digest

pytestmark = pytest.mark.build


def test_mini_project_builds_strictly_with_every_page_kind(project):
    assert build_site(project, Path("site")) == 0
    site = project / "site"
    for page in ("index.html", "companies/index.html", "companies/acme-ai/index.html",
                 "valuations/index.html", "sources/index.html", "tables/chips/index.html",
                 "articles/index.html", "articles/first/index.html", "404.html"):
        assert (site / page).is_file(), page
    profile = (site / "companies/acme-ai/index.html").read_text()
    # the edit button points at the YAML file, not at a generated file
    assert 'href="https://github.com/frontier-ledger/frontier-ledger/edit/main/data/companies/' \
           'acme-ai.yaml"' in profile
    # citations link to the page's own source list, which links to the sources page
    assert 'href="../../sources/#src-acme-news-2021"' in profile
    assert re.search(r'<sup class="fl-cite">\[<a href="#fl-src-1"', profile)
    # no comment section, no request to another host from the page itself
    assert "<textarea" not in profile  # nothing for a reader to type into, but the search box
    assert "__comments" not in profile and "giscus" not in profile and "disqus" not in profile
    assert "fonts.googleapis" not in profile and "fonts.gstatic" not in profile
    for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", profile):
        if 'rel="canonical"' in tag or 'rel="alternate"' in tag:
            continue  # an address, not a request
        for src in re.findall(r'(?:src|href)="([^"]+)"', tag):
            assert not src.startswith(("http:", "https:", "//")), tag
    # nothing generated was written into the source tree
    assert not (project / "site_src" / "companies").exists()


def test_search_finds_the_sources_page_not_every_pages_list_of_sources(project):
    import json

    assert build_site(project, Path("site")) == 0
    site = project / "site"
    docs = json.loads((site / "search/search_index.json").read_text())["docs"]
    publisher = "The Daily Example"  # cited by the Acme AI profile, listed on the sources page
    profile = (site / "companies/acme-ai/index.html").read_text()
    assert "Sources for this page" in profile and publisher in profile
    assert not [d["location"] for d in docs if d["title"] == "Sources for this page"]
    found = {d["location"] for d in docs if publisher in d["text"]}
    assert found == {"sources/"}, found
    assert [d for d in docs if d["location"].startswith("companies/acme-ai/")]  # still indexed
    for page in site.rglob("*.html"):  # the theme's plugin takes the marker out again
        assert "data-search-exclude" not in page.read_text(), page


def test_long_lists_are_split_into_pages_that_link_to_each_other(project):
    from generator.settings import Lists, Settings

    lists = Lists(sources_per_page=1, companies_per_page=1)
    # strict: MkDocs itself fails the build on a link or an anchor that leads nowhere
    assert build_site(project, Path("site"),
                      settings=Settings.for_project(project, lists=lists)) == 0
    site = project / "site"

    def target(page: Path, href: str) -> tuple[Path, str]:
        path, _, anchor = href.partition("#")
        dest = (page.parent / path).resolve() if path else page
        return (dest / "index.html" if dest.is_dir() else dest), anchor

    source_ids = {p.stem for p in (project / "data/sources").glob("*.yaml")}
    company_ids = {p.stem for p in (project / "data/companies").glob("*.yaml")}
    for kind, ids, per_item in (("sources", source_ids, r'id="src-([^"]+)"'),
                                ("companies", company_ids,
                                 r'<td[^>]*><a href="(?:\.\./)*(?:companies/)?([a-z0-9-]+)/">')):
        pages = [site / kind / "index.html", site / kind / "page/2/index.html"]
        assert not (site / kind / "page/3").exists()
        found = []
        for n, page in enumerate(pages, 1):
            html = page.read_text()
            found += re.findall(per_item, html)
            assert f"<title>{kind.capitalize()}, page {n} of 2 - " in html
            nav = re.search(r'<nav [^>]*class="fl-pager"[^>]*>(.*?)</nav>', html, re.S).group(1)
            assert f"{kind.capitalize()} {n}–{n} of 2: page {n} of 2." in nav
            assert len(re.findall(r'<strong aria-current="page">', nav)) == 1
            listed = re.search(r'<ol class="fl-pager__pages">(.*?)</ol>', nav, re.S).group(1)
            links = re.findall(r'href="([^"]+)"', listed)
            assert [target(page, h)[0] for h in links] == [p for p in pages if p != page]
            assert "<summary>All 2 pages</summary>" in nav
            steps = re.search(r'<nav [^>]*class="fl-pager fl-pager--steps"[^>]*>(.*?)</nav>',
                              html, re.S).group(1)
            for part in (steps, nav):
                assert ("Next page" in part) == (n == 1) and ("Previous page" in part) == (n == 2)
        assert sorted(found) == sorted(ids), kind  # every entry on exactly one page
    # a profile's "About this source" links lead to the page of the list that holds the record
    profile = site / "companies/acme-ai/index.html"
    about = re.findall(r'<a class="fl-srcref" href="([^"]+)"', profile.read_text())
    assert about and any("/page/2/" in h for h in about)
    for href in about:
        dest, anchor = target(profile, href)
        assert f'id="{anchor}"' in dest.read_text(), href


def test_large_generated_files_wait_on_disk_and_are_published_whole(project, monkeypatch,
                                                                     tmp_path):
    import tempfile

    import generator.plugin as glue
    from generator.downloads import dataset_files
    from generator.load import load
    from generator.problems import Problems

    monkeypatch.setattr(glue, "SPILL_BYTES", 100)  # every download is "large"
    made, real_mkdtemp = [], tempfile.mkdtemp

    def mkdtemp(*args, **kw):
        if kw.get("prefix") != "fl-files-":
            return real_mkdtemp(*args, **kw)
        made.append(Path(real_mkdtemp(dir=tmp_path, **kw)))
        return str(made[-1])

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    assert build_site(project, Path("site")) == 0
    assert len(made) == 1 and not made[0].exists()  # written, copied, removed
    expected = dataset_files(load(project, Problems()))
    # companies, events, investments, sources, the JSON file and LICENSE.txt
    assert len(expected) == 6 and all(len(b) > 100 for b in expected.values())
    for path, content in expected.items():
        assert (project / "site" / path).read_bytes() == content, path


def test_failed_check_leaves_previous_site_byte_for_byte(project, capsys):
    assert build_site(project, Path("site")) == 0
    before = tree_digest(project / "site")
    f = project / "data/companies/acme-ai.yaml"
    f.write_text(f.read_text().replace("status: reported", "status: reportd"))
    assert build_site(project, Path("site")) == 1
    err = capsys.readouterr().err
    assert "data/companies/acme-ai.yaml:30:13: events[1].status: 'reportd' is not allowed" in err
    assert "site/ was left as it was" in err
    assert "Traceback" not in err
    assert tree_digest(project / "site") == before
    assert not list(project.glob(".site.*")), "temporary build folders left behind"


def test_failed_mkdocs_build_leaves_previous_site(project, capsys):
    assert build_site(project, Path("site")) == 0
    before = tree_digest(project / "site")
    # a broken link in an article is a warning, and the build is strict
    art = project / "site_src/articles/first.md"
    art.write_text(art.read_text() + "\nSee [nowhere](../missing.md).\n")
    assert build_site(project, Path("site")) == 1
    assert tree_digest(project / "site") == before


def test_export_writes_the_generated_tree_for_inspection(project, tmp_path):
    out = tmp_path / "exported"
    assert main(["--root", str(project), "export", str(out)]) == 0
    assert (out / "docs/companies/acme-ai.md").read_text().startswith(
        "---\ntitle: \"Acme AI\"")
    assert not (project / "site_src/companies").exists()


def test_shipped_site_builds_strictly(tmp_path):
    """The real data, articles and templates: one strict end-to-end build into a temporary folder."""
    site = tmp_path / "site"
    assert build_site(REPO, site) == 0
    assert (site / "companies/anthropic/index.html").is_file()
    assert (site / "companies/openai/index.html").is_file()
    assert not (REPO / "site_src" / "companies").exists()


def test_two_builds_of_one_commit_are_byte_identical(project, monkeypatch):
    import subprocess

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t.invalid"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "x", "--date", "2026-01-02T03:04:05Z"], check=True,
                   env={**os.environ, "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z"})
    assert build_site(project, Path("one")) == 0
    assert "SOURCE_DATE_EPOCH" not in os.environ  # set from the commit only during the build
    assert build_site(project, Path("two")) == 0
    one, two = tree_digest(project / "one"), tree_digest(project / "two")
    assert one == two
    assert "<lastmod>2026-01-02</lastmod>" in (project / "one/sitemap.xml").read_text()


def test_serve_delivers_live_reload_as_a_script_the_policy_allows():
    """The Content-Security-Policy of every page blocks inline scripts it does not list, which
    blocked MkDocs's live-reload script; serve delivers it as a file of the site itself."""
    from generator.mkdocs_glue import ENGINE
    from generator.plugin import LIVERELOAD_PATH, serve_script_as_file

    # the two methods need no running server
    server = ENGINE.livereload.LiveReloadServer.__new__(ENGINE.livereload.LiveReloadServer)
    server = serve_script_as_file(server, ENGINE)
    page = b"<html><head></head><body><p>x</p></body></html>"
    out = server._inject_js_into_html(page, 1234)
    assert re.search(rb'<script src="/\.fl-livereload\.js" data-epoch="1234" '
                     rb'data-request-id="\d+"></script></body>', out)
    assert out.count(b"<script") == 1  # nothing inline
    sent = {}
    body = b"".join(server._serve_request(
        {"PATH_INFO": LIVERELOAD_PATH},
        lambda status, headers: sent.update(status=status, headers=dict(headers))))
    assert sent["status"] == "200 OK"
    assert sent["headers"]["Content-Type"] == "application/javascript"
    assert b"var livereload = function(epoch, requestId)" in body
    assert b"document.currentScript" in body
