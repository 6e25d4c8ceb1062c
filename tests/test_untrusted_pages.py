"""What a pull request can do through site_src/, file names, ids, attribute lists and the table of
contents (issue #13), each a table of input → the exact report, or of input → what is published.

* site_src/ holds pages (NAME.md) and, in site_src/assets/, stylesheets, images and fonts only;
  anything else is refused by the check with its path, and by the MkDocs plugin if the check is
  ever bypassed; every HTML file of a built site carries the Content-Security-Policy.
* Names have one form; a refused name is shown escaped (its path too). The edit link and
  every value overrides/main.html writes into an attribute are escaped.
* Generated pages own their addresses; ids and top-level names the site keeps are refused.
* Attribute lists: every list Python-Markdown's attr_list would apply (rendered here with the
  project's own extensions, to prove it applies them) is checked; only .class and #id pass. The
  table of contents is sanitised after conversion.

Browser cases (a hostile file name and a table of contents overlay forced past the check) are in
test_untrusted_pages_browser.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import pytest

from support import REPO, make_project
from generator.render import site_src as site_src_module
from generator import site_paths
from generator.engine import (attribute_list_entries, clean_toc, edit_url, front_matter,
                              toc_anchor)
from generator.mkdocs_glue import build_site
from generator.problems import Problems
from generator.render.article_markup import check_article_markup
from generator.render.site_src import claim_addresses
from generator.types import Page, PageMeta

Mutation = Callable[[Path], None]

A = "site_src/articles/first.md"
NAME_RULE = ("file names use lower-case ASCII letters a-z, digits and single hyphens, then the "
             "extension, such as 'series-h{ext}'")
FOLDER_RULE = ("folder names use lower-case ASCII letters a-z, digits and single hyphens, such as "
               "'guides'")
TAKES = ("stylesheets (.css), images (.png, .jpg, .jpeg, .webp, .avif, .gif, .ico) and fonts "
         "(.woff2, .woff)")
NOT_A_PAGE = f"is not a page; pages and articles are Markdown files named NAME.md, and " \
             f"site_src/assets/ takes {TAKES}"
LINK = "is a symbolic link; links are never followed"
ATTR_LIST_MSG = "is not allowed; attribute lists in articles may set only .classes and #ids"
PAGE = ("---\ntitle: A hand-written page\ndescription: A page written by hand.\n---\n"
        "# A hand-written page\n\nSome text.\n")
ARTICLE = PAGE.replace("---\n#", "published: 2026-11-21\n---\n#", 1)


def not_published(ext: str, why: str = "") -> str:
    return f"files of type {ext} are not published; site_src/assets/ takes {TAKES} only{why}"


def bad_name(name: str, ext: str = ".md") -> str:
    return f"the file name {name} is not allowed; {NAME_RULE.format(ext=ext)}"


def site_name(name: str, what: str) -> str:
    return (f"'{name}' is a name the site keeps for its own pages and files ({what}); choose "
            "another name")


def put(rel: str, content: str | bytes = "x\n") -> Mutation:
    def run(root: Path) -> None:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    return run


def folder(rel: str) -> Mutation:
    return lambda root: (root / rel).mkdir(parents=True)


def steps(*mutations: Mutation) -> Mutation:
    def run(root: Path) -> None:
        for m in mutations:
            m(root)
    return run


def art(snippet: str) -> Mutation:
    """Append lines to the mini project's article; the snippet's first line is line 12."""
    def run(root: Path) -> None:
        p = root / A
        p.write_text(p.read_text(encoding="utf-8") + "\n" + snippet + "\n", encoding="utf-8")
    return run


def data_copy(src: str, dest: str, old: str, new: str) -> Mutation:
    def run(root: Path) -> None:
        text = (root / src).read_text(encoding="utf-8")
        assert text.count(old) == 1
        (root / dest).write_text(text.replace(old, new), encoding="utf-8")
    return run


@dataclass
class Case:
    id: str
    mutate: Mutation
    expected: list[str]
    count: str = "1 error in 1 file"


def case(id: str, mutate: Mutation, *expected: str, count: str = "1 error in 1 file") -> Case:
    return Case(id, mutate, list(expected), count)


SVG_WHY = " (an SVG file can hold a script; use .png or .webp)"

REFUSED = [
    # -- 1. site_src/ holds pages, and assets of the listed types ----------------------------
    case("html-page-at-the-top", put("site_src/evil.html", "<script>alert(1)</script>"),
         f"site_src/evil.html: {NOT_A_PAGE}"),
    case("html-in-articles", put("site_src/articles/evil.html"),
         f"site_src/articles/evil.html: {NOT_A_PAGE}"),
    case("svg-in-a-folder-of-pages", put("site_src/guides/logo.svg", "<svg onload=alert(1)/>"),
         f"site_src/guides/logo.svg: {NOT_A_PAGE}"),
    case("text-file-at-the-top", put("site_src/robots.txt"), f"site_src/robots.txt: {NOT_A_PAGE}"),
    case("svg-in-assets", put("site_src/assets/logo.svg", "<svg><script>alert(1)</script></svg>"),
         f"site_src/assets/logo.svg: {not_published('.svg', SVG_WHY)}"),
    case("service-worker-in-assets", put("site_src/assets/sw.js", "self.onfetch = () => {};"),
         f"site_src/assets/sw.js: {not_published('.js')}"),
    case("html-in-assets", put("site_src/assets/page.html"),
         f"site_src/assets/page.html: {not_published('.html')}"),
    case("xml-in-assets", put("site_src/assets/feed.xml"),
         f"site_src/assets/feed.xml: {not_published('.xml')}"),
    case("json-in-assets", put("site_src/assets/data.json"),
         f"site_src/assets/data.json: {not_published('.json')}"),
    case("webmanifest-in-assets", put("site_src/assets/site.webmanifest"),
         f"site_src/assets/site.webmanifest: {not_published('.webmanifest')}"),
    case("text-in-assets", put("site_src/assets/notes.txt"),
         f"site_src/assets/notes.txt: {not_published('.txt')}"),
    case("page-in-assets", put("site_src/assets/notes.md", PAGE),
         f"site_src/assets/notes.md: {not_published('.md')}"),
    case("markdown-extension", put("site_src/articles/second.markdown"),
         "site_src/articles/second.markdown: pages use the extension .md"),
    case("theme-folder-in-assets", put("site_src/assets/javascripts/extra.css"),
         "site_src/assets/javascripts: 'assets/javascripts/' is the theme's own folder; put these "
         "files directly in site_src/assets/ or in a folder of another name"),
    # -- 2. names of one form, shown escaped, located at their folder --------------------------
    case("quote-and-markup-in-a-file-name",
         put('site_src/articles/a"><script src="x.js"><b x=".md', PAGE),
         'site_src/articles/a"><script src="x.js"><b x=".md: '
         + bad_name("'a\"><script src=\"x.js\"><b x=\".md'")),
    case("meta-refresh-in-a-file-name",
         put('site_src/a"><meta http-equiv="refresh" content="0;url=x">.md', PAGE),
         'site_src/a"><meta http-equiv="refresh" content="0;url=x">.md: '
         + bad_name("'a\"><meta http-equiv=\"refresh\" content=\"0;url=x\">.md'")),
    case("escape-sequence-in-a-file-name", put("site_src/articles/\x1b[31mred.md", PAGE),
         "site_src/articles/\\x1b[31mred.md: " + bad_name("'\\x1b[31mred.md'")),
    case("bidi-override-in-a-file-name", put("site_src/articles/evil\u202egnp.md", PAGE),
         "site_src/articles/evil\\u202egnp.md: " + bad_name("'evil\\u202egnp.md'")),
    case("upper-case-file-name", put("site_src/articles/Second.md", PAGE),
         "site_src/articles/Second.md: " + bad_name("'Second.md'")),
    case("upper-case-extension", put("site_src/articles/second.MD", PAGE),
         "site_src/articles/second.MD: " + bad_name("'second.MD'")),
    case("space-in-a-file-name", put("site_src/articles/my article.md", PAGE),
         "site_src/articles/my article.md: " + bad_name("'my article.md'")),
    case("readme", put("site_src/articles/README.md", PAGE),
         "site_src/articles/README.md: " + bad_name("'README.md'")),
    case("underscore-in-an-asset-name", put("site_src/assets/my_logo.png", b"\x89PNG"),
         "site_src/assets/my_logo.png: " + bad_name("'my_logo.png'", ".png")),
    case("upper-case-asset-extension", put("site_src/assets/logo.PNG", b"\x89PNG"),
         "site_src/assets/logo.PNG: " + bad_name("'logo.PNG'", ".png")),
    case("asset-without-extension", put("site_src/assets/CNAME", "example.org"),
         "site_src/assets/CNAME: " + bad_name("'CNAME'", ".css")),
    case("upper-case-folder-name", put("site_src/Guides/one.md", PAGE),
         f"site_src/Guides: the folder name 'Guides' is not allowed; {FOLDER_RULE}"),
    case("markup-in-a-folder-name", put('site_src/articles/x"><b>/one.md', PAGE),
         f"site_src/articles/x\"><b>: the folder name 'x\"><b>' is not allowed; {FOLDER_RULE}"),
    case("control-character-in-a-folder-name", put("site_src/a\x07b/one.md", PAGE),
         f"site_src/a\\x07b: the folder name 'a\\x07b' is not allowed; {FOLDER_RULE}"),
    # -- 3. the site's own names, and generated pages' addresses -------------------------------
    case("page-named-like-a-generated-page", put("site_src/valuations.md", PAGE),
         "site_src/valuations.md: " + site_name("valuations", "the comparison of valuations")),
    case("page-at-the-companies-address", put("site_src/companies.md", PAGE),
         "site_src/companies.md: " + site_name("companies", "the company profiles and their list")),
    case("page-at-the-articles-address", put("site_src/articles.md", PAGE),
         "site_src/articles.md: " + site_name("articles", "the articles and their list")),
    case("folder-of-company-profiles", put("site_src/companies/acme-ai.md", PAGE),
         "site_src/companies: " + site_name("companies", "the company profiles and their list")),
    case("folder-of-tables", put("site_src/tables/chips.md", PAGE),
         "site_src/tables: " + site_name("tables", "the comparison tables")),
    case("search-folder", put("site_src/search/search_index.json", "{}"),
         "site_src/search: " + site_name("search", "the search index")),
    case("charts-folder", put("site_src/charts/evil.md", PAGE),
         "site_src/charts: " + site_name("charts", "the charts and their downloads")),
    case("downloads-folder", put("site_src/downloads/companies.md", PAGE),
         "site_src/downloads: " + site_name("downloads", "the data downloads")),
    case("feed-page", put("site_src/feed.md", PAGE),
         "site_src/feed.md: " + site_name("feed", "the feed of articles (feed.xml)")),
    case("not-found-page", put("site_src/404.md", PAGE),
         "site_src/404.md: " + site_name("404", "the page for addresses that do not exist "
                                                "(404.html)")),
    case("sitemap-page", put("site_src/sitemap.md", PAGE),
         "site_src/sitemap.md: " + site_name("sitemap", "the sitemap (sitemap.xml)")),
    case("sources-page", put("site_src/sources.md", PAGE),
         "site_src/sources.md: " + site_name("sources", "the list of sources")),
    case("glossary-page", put("site_src/glossary.md", PAGE),
         "site_src/glossary.md: " + site_name("glossary", "the glossary")),
    case("data-page", put("site_src/data.md", PAGE),
         "site_src/data.md: " + site_name("data", "the page of data downloads")),
    case("hand-written-articles-index", put("site_src/articles/index.md", ARTICLE),
         "site_src/articles/index.md: articles/ is the address of a page the site generates "
         "(from site_src/articles); a hand-written page cannot take its place; give this file "
         "another name"),
    case("two-pages-at-one-address",
         steps(put("site_src/guide.md", PAGE), put("site_src/guide/index.md", PAGE)),
         "site_src/guide/index.md: is published at guide/, as site_src/guide.md is; one address, "
         "one page: rename one of them"),
    case("company-id-index",
         data_copy("data/companies/bigcloud.yaml", "data/companies/index.yaml", "id: bigcloud",
                   "id: index"),
         "data/companies/index.yaml:1:5: id: 'index' is reserved: companies/ itself is a page of "
         "the site's own, and a record named index would be published there; choose another id, "
         "and rename the file to match"),
    case("company-id-page",
         data_copy("data/companies/bigcloud.yaml", "data/companies/page.yaml", "id: bigcloud",
                   "id: page"),
         "data/companies/page.yaml:1:5: id: 'page' is reserved: companies/page/2/, "
         "companies/page/3/, … hold the further pages of long lists; choose another id, and "
         "rename the file to match"),
    case("table-id-index",
         data_copy("data/tables/chips.yaml", "data/tables/index.yaml", "id: chips", "id: index"),
         "data/tables/index.yaml:1:5: id: 'index' is reserved: tables/ itself is a page of the "
         "site's own, and a record named index would be published there; choose another id, and "
         "rename the file to match"),
    # -- several problems in one run, each reported once ---------------------------------------
    case("every-problem-at-once",
         steps(put("site_src/evil.html"), put("site_src/assets/x.svg"),
               put("site_src/articles/Bad.md", PAGE), put("site_src/search/x.md", PAGE)),
         f"site_src/articles/Bad.md: {bad_name(repr('Bad.md'))}",
         f"site_src/assets/x.svg: {not_published('.svg', SVG_WHY)}",
         f"site_src/evil.html: {NOT_A_PAGE}",
         "site_src/search: " + site_name("search", "the search index"),
         count="4 errors in 4 files"),
]


def test_case_ids_are_unique():
    ids = [c.id for c in REFUSED]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("c", REFUSED, ids=[c.id for c in REFUSED])
def test_refused_with_the_exact_report(c: Case, project: Path, check):
    c.mutate(project)
    run = check(project)
    assert "Traceback" not in run.text
    assert run.code == 1
    assert run.lines == [*c.expected, c.count]
    assert "\x1b" not in run.text and "\u202e" not in run.text  # shown escaped, never raw


@pytest.mark.parametrize("c", [c for c in REFUSED if c.id in (
    "svg-in-assets", "quote-and-markup-in-a-file-name", "hand-written-articles-index",
    "company-id-index")], ids=lambda c: c.id)
def test_the_build_stops_with_the_same_report_and_leaves_the_site(c: Case, project: Path,
                                                                  capsys):
    assert build_site(project, Path("site")) == 0
    before = sorted(p.relative_to(project / "site").as_posix()
                    for p in (project / "site").rglob("*"))
    c.mutate(project)
    capsys.readouterr()
    assert build_site(project, Path("site")) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [*c.expected, c.count, "build stopped; site/ was left as it was"]
    assert sorted(p.relative_to(project / "site").as_posix()
                  for p in (project / "site").rglob("*")) == before


ACCEPTED_ASSETS = ["assets/extra.css", "assets/logo.png", "assets/photo.jpg", "assets/photo.jpeg",
                   "assets/chart.webp", "assets/chart.avif", "assets/spin.gif",
                   "assets/favicon-32.ico", "assets/fonts/inter.woff2", "assets/fonts/inter.woff",
                   "assets/img/team-2024.png"]


def test_assets_of_the_listed_types_and_pages_in_folders_are_published(project: Path, check):
    for rel in ACCEPTED_ASSETS:
        put(f"site_src/{rel}", b"ASSET " + rel.encode())(project)
    put("site_src/guides/first-steps.md", PAGE)(project)
    put("site_src/articles/2026/second.md", ARTICLE)(project)
    run = check(project)
    assert run.code == 0, run.text
    assert build_site(project, Path("site")) == 0
    site = project / "site"
    for rel in ACCEPTED_ASSETS:
        assert (site / rel).read_bytes() == b"ASSET " + rel.encode()
    assert (site / "guides/first-steps/index.html").is_file()
    assert (site / "articles/2026/second/index.html").is_file()


def test_hidden_files_are_neither_read_nor_published(project: Path, check):
    """MkDocs never publishes names starting with a dot; the check leaves them alone too, as it
    does in data/ (a link among them is still refused: see test_hardening)."""
    put("site_src/.well-known/evil.html", "<script>alert(1)</script>")(project)
    put("site_src/assets/.notes.txt")(project)
    assert check(project).code == 0
    assert build_site(project, Path("site")) == 0
    assert not (project / "site/.well-known").exists()
    assert not (project / "site/assets/.notes.txt").exists()


# ---------------------------------------------------------------------------------------------
# the plugin's second line of defence: what the check would refuse, MkDocs never publishes


def test_the_plugin_refuses_what_a_bypassed_check_let_through(project: Path, capsys,
                                                              monkeypatch):
    real = site_src_module.markdown_files
    monkeypatch.setattr(site_src_module, "markdown_files",
                        lambda src, site_src, problems: real(src, site_src, Problems()))
    put("site_src/evil.html", "<script>alert(1)</script>")(project)
    put("site_src/assets/sw.js", "self.onfetch = () => {};")(project)
    put("site_src/assets/x\x1b[2Jy.css", "body{}")(project)
    capsys.readouterr()
    from support import mkdocs_log

    with mkdocs_log() as log:
        assert build_site(project, Path("site")) == 1
    report = log[log.index("the data or articles have problems:") + 1:]
    assert report == [f"site_src/assets/sw.js: {not_published('.js')}",
                      "site_src/assets/x\\x1b[2Jy.css: " + bad_name("'x\\x1b[2Jy.css'", ".css"),
                      f"site_src/evil.html: {NOT_A_PAGE}",
                      "3 errors in 3 files"]
    assert not (project / "site").exists()


def test_the_plugin_refuses_a_file_that_would_replace_one_of_the_themes(project: Path, capsys,
                                                                        monkeypatch):
    """Material's own files live in assets/images, assets/javascripts and assets/stylesheets;
    with the check's list of them emptied, the plugin still sees the theme's favicon replaced."""
    monkeypatch.setattr(site_paths, "THEME_ASSET_FOLDERS", ())
    put("site_src/assets/images/favicon.png", b"NOT THE THEME'S")(project)
    from support import mkdocs_log

    capsys.readouterr()
    with mkdocs_log() as log:
        assert build_site(project, Path("site")) == 1
    report = log[log.index("the data or articles have problems:") + 1:]
    assert report == ["site_src/assets/images/favicon.png: has the path of one of the theme's own "
                      "files, which it would replace", "1 error in 1 file"]


@pytest.mark.parametrize("path, expected", [
    ("index.md", None),
    ("articles/first.md", None),
    ("assets/ledger.css", None),
    ("assets/fonts/a.woff2", None),
    ("guides/one/two.md", None),
    ("evil.html", ("evil.html", NOT_A_PAGE)),
    ("Guides/one.md", ("Guides", f"the folder name 'Guides' is not allowed; {FOLDER_RULE}")),
    ("guides/One.md", ("guides/One.md", bad_name("'One.md'"))),
    ("assets/stylesheets/main.css", ("assets/stylesheets", "'assets/stylesheets/' is the theme's "
                                     "own folder; put these files directly in site_src/assets/ or "
                                     "in a folder of another name")),
    ("search/x.md", ("search", site_name("search", "the search index"))),
    ("articles/search.md", None),  # only the top of the site is kept
], ids=lambda v: v if isinstance(v, str) else None)
def test_path_problem_judges_a_path_as_the_check_walks_it(path: str, expected):
    assert site_paths.path_problem(path) == expected


# ---------------------------------------------------------------------------------------------
# every page is published with the CSP, and the site's own names are those a build writes


def _html_without_csp(site: Path) -> list[str]:
    meta = re.compile(r'<meta http-equiv="Content-Security-Policy" content="default-src \'self\';')
    return [p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html"))
            if not meta.search(p.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def built_sites(tmp_path_factory) -> dict[str, Path]:
    """The mini project and the shipped site, each built once."""
    base = tmp_path_factory.mktemp("untrusted-pages")
    mini = make_project(base / "mini")
    assert build_site(mini, Path("site")) == 0
    assert build_site(REPO, base / "shipped-site") == 0
    return {"mini": mini / "site", "shipped": base / "shipped-site"}


@pytest.mark.parametrize("which", ["mini", "shipped"])
def test_every_html_file_of_a_built_site_carries_the_csp(built_sites, which: str):
    site = built_sites[which]
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert "404.html" in pages and "index.html" in pages and len(pages) >= 12
    assert _html_without_csp(site) == []


@pytest.mark.parametrize("which", ["mini", "shipped"])
def test_nothing_published_is_of_a_type_that_runs_but_the_sites_own(built_sites, which: str):
    """Files that a browser would run or render as a document: only the pages, the theme's
    scripts, the search index and the generator's chart files and downloads."""
    site = built_sites[which]
    runnable = sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                      if p.suffix in (".html", ".htm", ".svg", ".js", ".xml", ".xhtml", ".json",
                                      ".webmanifest") and p.is_file())
    allowed = re.compile(r"(.*/)?index\.html|404\.html|sitemap\.xml|feed\.xml"
                         r"|search/search_index\.json|assets/javascripts/.*\.js"
                         r"|charts/[a-z0-9-]+\.(svg|inline\.svg|vl\.json)"
                         r"|downloads/frontier-ledger\.json")
    assert [p for p in runnable if not allowed.fullmatch(p)] == []


def test_the_sites_own_names_are_the_top_of_a_built_site(built_sites):
    for which, own in (("mini", {"index", "methodology", "about"}),
                       ("shipped", {"index", "methodology", "about"})):
        # (hidden names, such as the build's own marker, are never published from site_src/)
        top = {p.name.split(".")[0] for p in built_sites[which].iterdir()
               if not p.name.startswith(".")}
        assert top - own == set(site_paths.SITE_NAMES), which
    assert set(site_paths.SITE_NAMES) == {
        "404", "articles", "assets", "charts", "companies", "data", "downloads", "feed",
        "glossary", "search", "share", "sitemap", "sources", "tables", "valuations"}


def test_the_themes_folders_in_assets_are_those_a_build_writes(built_sites):
    own = {p.name for p in (REPO / "site_src/assets").iterdir()}
    for site in built_sites.values():
        folders = {p.name for p in (site / "assets").iterdir() if p.is_dir()} - own
        assert folders == set(site_paths.THEME_ASSET_FOLDERS)


def test_edit_links_of_the_built_site_point_at_the_files_behind_the_pages(built_sites):
    page = (built_sites["shipped"] / "articles/the-ipo-question/index.html").read_text()
    assert ('href="https://github.com/frontier-ledger/frontier-ledger/edit/main/site_src/articles/'
            'the-ipo-question.md"') in page


# ---------------------------------------------------------------------------------------------
# generated pages own their addresses, derived from the pages rendered


@pytest.mark.parametrize("path, expected", [
    ("index.md", ""), ("valuations.md", "valuations/"), ("articles/index.md", "articles/"),
    ("companies/acme-ai.md", "companies/acme-ai/"), ("sources/page/2.md", "sources/page/2/"),
    ("feed.xml", "feed.xml"), ("charts/x.svg", "charts/x.svg"),
])
def test_address_is_where_mkdocs_publishes_a_docs_path(path: str, expected: str):
    assert site_paths.address(path) == expected


def test_a_new_kind_of_generated_page_is_protected_without_a_list_to_update():
    """claim_addresses takes the generated addresses from the pages rendered: a page kind the
    generator does not make today ('timeline.md') is protected as soon as it is rendered."""
    generated = Page("timeline.md", b"generated", "data/companies")
    hand_page = Page("timeline/index.md", b"by hand", "site_src/timeline/index.md")
    other = Page("guides/one.md", b"by hand", "site_src/guides/one.md")
    pages = [generated, hand_page, other]
    problems = Problems()
    claim_addresses(pages, {"timeline/index.md": [hand_page], "guides/one.md": [other]},
                     "site_src", problems)
    assert [p.format() for p in problems.items] == [
        "site_src/timeline/index.md: timeline/ is the address of a page the site generates (from "
        "data/companies); a hand-written page cannot take its place; give this file another name"]
    assert pages == [generated, other]  # the refused page is left out


def test_every_generated_page_of_the_mini_site_is_protected(project: Path, check):
    """A hand-written page at the address of each generated page is refused (by the site's
    own names at the top, by the addresses rendered below it)."""
    from generator.cli import run_check

    problems, pages = run_check(project)
    assert not problems.items
    hand = {f"site_src/{p.path}" for p in pages if p.origin == f"site_src/{p.path}"}
    generated = sorted(p.path for p in pages if p.path.endswith(".md") and
                       f"site_src/{p.path}" not in hand)
    assert generated == ["articles/index.md", "companies/acme-ai.md", "companies/bigcloud.md",
                         "companies/index.md", "data.md", "glossary.md", "sources.md",
                         "tables/chips.md", "valuations.md"]
    for path in generated:
        scratch = make_project(project.parent / f"p-{path.replace('/', '-')}")
        put(f"site_src/{path}", ARTICLE if path.startswith("articles/") else PAGE)(scratch)
        run = check(scratch)
        assert run.code == 1 and len(run.lines) == 2, (path, run.lines)
        top = path.split("/")[0].removesuffix(".md")
        assert run.lines[0].startswith((f"site_src/{top}: '{top}' is a name the site keeps",
                                        f"site_src/{path}: '{top}' is a name the site keeps",
                                        f"site_src/{path}: articles/ is the address of a page the "
                                        "site generates")), run.lines


# ---------------------------------------------------------------------------------------------
# attribute lists: what Python-Markdown applies, and what the check says


@pytest.fixture(scope="module")
def convert():
    """Markdown → HTML with the extensions and settings of the project's mkdocs.yml."""
    import markdown
    from mkdocs.config import load_config

    cfg = load_config(config_file=str(REPO / "mkdocs.yml"))

    def run(text: str) -> tuple[str, list[dict]]:
        md = markdown.Markdown(extensions=cfg["markdown_extensions"],
                               extension_configs=cfg["mdx_configs"])
        return md.convert(text), getattr(md, "toc_tokens", [])

    return run


@dataclass
class AttrCase:
    id: str
    snippet: str  # appended to the article at line 12
    applied: str  # what Python-Markdown makes of it: proof that the list is applied
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, entry) the check refuses


ATTR_CASES = [
    AttrCase("heading-without-colon", '## Title { style="position:fixed" }',
             '<h2 id="title" style="position:fixed">', [(12, 'style="position:fixed"')]),
    AttrCase("heading-with-colon", '## Title {: style="position:fixed" }',
             '<h2 id="title" style="position:fixed">', [(12, 'style="position:fixed"')]),
    AttrCase("heading-no-spaces", "## Title {style=x}", '<h2 id="title" style="x">',
             [(12, "style=x")]),
    AttrCase("heading-toc-label", '## Title { data-toc-label="Other" }', "toc:Other",
             [(12, 'data-toc-label="Other"')]),
    AttrCase("heading-id-with-a-quote", "## Title { id='a\" onmouseover=\"x' }",
             "toc-id:a\" onmouseover=\"x", [(12, "id='a\" onmouseover=\"x'")]),
    AttrCase("heading-hash-id-with-a-quote", '## Title { #a"b }', 'toc-id:a"b', [(12, '#a"b')]),
    AttrCase("heading-closing-hashes", "## Title { style=x } ##", '<h2 id="title" style="x">',
             [(12, "style=x")]),
    AttrCase("heading-bare-word", "## Title { hidden }", '<h2 hidden id="title">',
             [(12, "hidden")]),
    AttrCase("paragraph-last-line", 'A paragraph\n{ onclick="alert(1)" }',
             '<p onclick="alert(1)">A paragraph</p>', [(13, 'onclick="alert(1)"')]),
    AttrCase("paragraph-indented-list-line", "A paragraph\n   { style=x }",
             '<p style="x">A paragraph</p>', [(13, "style=x")]),
    AttrCase("list-item", "- item\n  { style=x }", '<li style="x">item</li>', [(13, "style=x")]),
    AttrCase("link", "[x](https://a.example.org){ style=x }",
             '<a href="https://a.example.org" style="x">x</a>', [(12, "style=x")]),
    AttrCase("image", "![x](pic.png){ style=x }", '<img alt="x" src="pic.png" style="x" />',
             [(12, "style=x")]),
    AttrCase("emphasis", "*x*{ style=x } and **y**{: style=y }",
             '<em style="x">x</em> and <strong style="y">y</strong>',
             [(12, "style=x")]),  # (one problem a line: the first entry refused)
    AttrCase("code-span", "`x`{ style=x }", '<code style="x">x</code>', [(12, "style=x")]),
    AttrCase("autolink", "<https://a.example.org>{ style=x }",
             '<a href="https://a.example.org" style="x">', [(12, "style=x")]),
    AttrCase("table-cell", "| a | b |\n|---|---|\n| 1 { style=x } | 2 |", '<td style="x">1</td>',
             [(14, "style=x")]),
    AttrCase("definition-term", "Term { style=x }\n: definition", '<dt style="x">Term</dt>',
             [(12, "style=x")]),
    AttrCase("second-list-on-a-line", "[a](https://a.example.org){ .ok } [b](https://b.example.org)"
             "{ style=x }", '<a class="ok" href="https://a.example.org">a</a> <a '
             'href="https://b.example.org" style="x">', [(12, "style=x")]),
    AttrCase("quoted-brace", '## Title { title="a}b" style=x }', '<h2 id="title" style="x" '
             'title="a}b">', [(12, 'title="a}b"')]),
    AttrCase("colon-alone", "[x](https://a.example.org){:}", '<a : href="https://a.example.org">',
             [(12, ":")]),
    AttrCase("in-an-admonition", '!!! note\n    A paragraph\n    { style=x }',
             '<p style="x">A paragraph</p>', [(14, "style=x")]),
    AttrCase("id-of-another-form", "## Title { #1st }", '<h2 id="1st">', [(12, "#1st")]),
    AttrCase("class-with-a-dot", "## Title { .a.b }", '<h2 class="a.b"', [(12, ".a.b")]),
    # accepted: ids and classes of the known form
    AttrCase("ids-and-classes", "## Title { #intro .note .wide }",
             '<h2 class="note wide" id="intro">'),
    AttrCase("class-on-a-paragraph", "A paragraph\n{: .lead }", '<p class="lead">A paragraph</p>'),
    # text: lists the extension does not apply pass the check, and stay text
    AttrCase("escaped-brace", r"## Title \{ style=x }", "<h2 id=\"title-stylex\">Title { style=x }"),
    AttrCase("css-in-a-code-block", "```css\nbody { display: none }\n```",
             "<code class=\"language-css\">body { display: none }"),
    AttrCase("brace-after-a-word", "The set{a, b} of two.", "<p>The set{a, b} of two.</p>"),
    AttrCase("first-line-of-a-paragraph", "{!../secret.txt!}", "<p>{!../secret.txt!}</p>"),
]


def _applied(convert, snippet: str) -> str:
    html, toc = convert(snippet)
    return html + "".join(f"toc:{t['name']}toc-id:{t['id']}" for t in toc)


def test_attr_case_ids_are_unique():
    ids = [c.id for c in ATTR_CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("c", ATTR_CASES, ids=[c.id for c in ATTR_CASES])
def test_python_markdown_does_what_each_case_says(c: AttrCase, convert):
    """The premise of each row: with the project's extensions, the list is applied (or, for the
    rows the check accepts as text, left as text)."""
    assert c.applied in _applied(convert, c.snippet)


@pytest.mark.parametrize("c", ATTR_CASES, ids=[c.id for c in ATTR_CASES])
def test_the_check_refuses_every_list_that_sets_more_than_ids_and_classes(c: AttrCase, project,
                                                                         check):
    art(c.snippet)(project)
    run = check(project)
    expected = [f"{A}:{line}: attribute list entry '{entry}' {ATTR_LIST_MSG}"
                for line, entry in c.refused]
    if expected:
        assert run.lines == [*expected, f"{len(expected)} error{'s' * (len(expected) > 1)} in "
                                        "1 file"]
    else:
        assert run.code == 0, run.text


@pytest.mark.parametrize("snippet, line, entry", [
    ('{{ link("acme-ai") }}{ style="position:fixed" }', 12, 'style="position:fixed"'),
    ('A paragraph\n{% if true %}\n{ style=x }\n{% endif %}', 14, "style=x"),
    ('`code`{ style=x }', 12, "style=x"),
], ids=["after-template-output", "a-template-line-that-vanishes", "after-a-code-span"])
def test_template_code_cannot_hide_a_list(project: Path, check, snippet: str, line: int,
                                          entry: str):
    art(snippet)(project)
    assert check(project).lines == [f"{A}:{line}: attribute list entry '{entry}' {ATTR_LIST_MSG}",
                                     "1 error in 1 file"]


def test_what_the_templates_print_is_applied_where_the_check_looked(project: Path):
    """The rows above are not hypothetical: rendered, such an article puts the list after a
    link, or on the last line of a paragraph."""
    from generator.cli import run_check

    art('{{ link("acme-ai") }}{ .fl-x }\n\nA paragraph\n{% if true %}\n{: .fl-y }\n{% endif %}')(
        project)
    problems, pages = run_check(project)
    assert not problems.items
    text = next(p.text for p in pages if p.path == "articles/first.md")
    assert "[Acme AI](../companies/acme-ai.md){ .fl-x }" in text
    assert "A paragraph\n{: .fl-y }\n" in text


def test_a_long_attribute_list_is_read_only_so_far_and_refused():
    """A list is read at most ATTR_LIST_WINDOW characters (the text is read once, not once per
    brace); a longer one ends in a cut entry, which no id or class matches."""
    assert attribute_list_entries("## T {" + "{" * 200_000 + "}") == [("{" * 200 + "…", 5)]
    assert attribute_list_entries("## T { ." + "a" * 300 + " }") == [("." + "a" * 199 + "…", 5)]


def test_one_problem_a_line_for_a_line_of_many_lists():
    problems = Problems()
    check_article_markup("x" + "[a](https://a.example.org){ style=x }" * 1000 + "\n", "a.md", 0,
                         problems)
    assert [p.format() for p in problems.items] == [
        f"a.md:1: attribute list entry 'style=x' {ATTR_LIST_MSG}"]


def test_generated_templates_keep_their_attribute_lists(project: Path, check):
    """Templates are not articles: {: .fl-term } and {: data-search-exclude="footer" } work."""
    assert check(project).code == 0
    assert build_site(project, Path("site")) == 0
    page = (project / "site/articles/first/index.html").read_text(encoding="utf-8")
    assert 'class="fl-term"' in page
    assert '<h2 id="sources-for-this-page">' in page  # the footer's list is applied (and removed
    # by the search plugin, which reads data-search-exclude before the page is written)


# ---------------------------------------------------------------------------------------------
# the table of contents is sanitised after conversion


def _entry(title: str, anchor: str) -> str:
    """A table-of-contents entry as Material writes it (partials/toc-item.html)."""
    return (f'<li class="md-nav__item">\n  <a href="#{anchor}" class="md-nav__link">\n    '
            f'<span class="md-ellipsis">\n      \n        {title}\n      \n    </span>\n  </a>\n'
            '</li>')


@pytest.mark.parametrize("title, anchor, clean_title, clean_anchor", [
    ("Plain title", "plain-title", "Plain title", "plain-title"),
    ("R&amp;D &lt;costs&gt;", "rd-costs", "R&amp;D &lt;costs&gt;", "rd-costs"),
    ('<b style="position:fixed;inset:0">X</b>', "x", "X", "x"),
    ("<img src=x onerror=alert(1)>Y", "y", "Y", "y"),
    ('<span style="a">A</span><script>alert(1)</script>', "a", "A", "a"),
    ("T", 'x" style="position:fixed;inset:0', "T", "x-style-position-fixed-inset-0"),
    ("T", "a b", "T", "a-b"),
    ("T", "café", "T", "caf"),
    ("T", '"', "T", "section"),
], ids=["plain", "entities", "style", "handler", "script", "quote-in-anchor", "space",
        "non-ascii", "nothing-left"])
def test_clean_toc_leaves_plain_titles_and_safe_anchors(title, anchor, clean_title,
                                                       clean_anchor):
    """On the finished page's HTML, in the table of contents beside the page and in the skip
    link, both outside the content (where the sanitiser does not look)."""
    skip = f'<a href="#{anchor}" class="md-skip">'
    before = skip + _entry(title, anchor) + _entry("Child <b>c</b>", anchor + "-c")
    after = _entry(title, anchor)
    assert clean_toc(before, "", after) == (
        f'<a href="#{clean_anchor}" class="md-skip">' + _entry(clean_title, clean_anchor) +
        _entry("Child c", toc_anchor(anchor + "-c")), "", _entry(clean_title, clean_anchor))


def test_a_renamed_anchor_is_renamed_in_the_content_too():
    html = ('<h2 id="x&quot; style=&quot;a">T<a class="headerlink" href="#x&quot; style=&quot;a"'
            '>¶</a></h2><p><a href="#x&quot; style=&quot;a">back</a> <a href="#other">o</a> '
            '<span data-id="x&quot; style=&quot;a"></span></p>')
    assert clean_toc(_entry("T", 'x" style="a'), html)[1] == (
        '<h2 id="x-style-a">T<a class="headerlink" href="#x-style-a">¶</a></h2><p><a '
        'href="#x-style-a">back</a> <a href="#other">o</a> <span data-id="x&quot; '
        'style=&quot;a"></span></p>')


def test_the_shipped_sites_table_of_contents_is_unchanged_by_the_cleaning(built_sites):
    """The toc extension's own anchors are of the safe form already: no page's anchor is renamed
    (each table of contents link arrives at its heading)."""
    for page in built_sites["shipped"].rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        nav = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', html, re.S)
        if nav is None:
            continue
        for anchor in re.findall(r'href="#([^"]*)"', nav.group(0)):
            assert f'id="{anchor}"' in html, (page, anchor)


# ---------------------------------------------------------------------------------------------
# escaping of what the theme writes into attributes


@pytest.mark.parametrize("origin, expected", [
    ("site_src/articles/first.md", "https://github.com/o/r/edit/main/site_src/articles/first.md"),
    ("data/companies/acme-ai.yaml", "https://github.com/o/r/edit/main/data/companies/acme-ai.yaml"),
    ('site_src/a"><meta http-equiv="refresh" content="0;url=x">.md',
     "https://github.com/o/r/edit/main/site_src/a%22%3E%3Cmeta%20http-equiv%3D%22refresh%22%20"
     "content%3D%220%3Burl%3Dx%22%3E.md"),
    ("site_src/a'b&c.md", "https://github.com/o/r/edit/main/site_src/a%27b%26c.md"),
    ("site_src/\u202eevil.md", "https://github.com/o/r/edit/main/site_src/%E2%80%AEevil.md"),
])
def test_the_edit_link_is_percent_encoded(origin: str, expected: str):
    """The edit link is page metadata (edit_url in the front matter): the file's path
    percent-encoded, so that no file name can leave the address."""
    meta = PageMeta("T", "D", "article", origin)
    assert edit_url("https://github.com/o/r/edit/main/", origin) == expected
    assert f"edit_url: {json.dumps(expected)}" in front_matter(
        meta, "https://github.com/o/r/edit/main/").split("\n")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


HOSTILE = '"><script>alert(1)</script><meta http-equiv="refresh" content="0;url=x"> \' &amp;'


def test_every_value_main_html_writes_into_an_attribute_is_escaped():
    """overrides/main.html rendered on its own (base.html reduced to its block) with hostile
    text in every value: each tag keeps exactly its own attributes, and each value arrives as
    the text it was (title and description hold HTML text, as the generator writes them)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(REPO / "overrides")),
        jinja2.DictLoader({"base.html": "{% block extrahead %}{% endblock %}"})]))
    env.filters["url"] = lambda v: v
    from markupsafe import escape

    as_html = str(escape(HOSTILE))  # what the generator's front matter holds: text as HTML
    page = SimpleNamespace(meta={"title": as_html, "description": as_html,
                                 "og_type": "article", "published": HOSTILE, "jsonld": None,
                                 "share_image": HOSTILE, "share_alt": as_html,
                                 "share_width": HOSTILE, "share_height": HOSTILE},
                           canonical_url=HOSTILE)
    config = SimpleNamespace(site_name=HOSTILE, site_description=HOSTILE,
                             site_url="https://example.test/")
    out = env.get_template("main.html").render(page=page, config=config)
    parser = _Tags()
    parser.feed(out)
    text = HOSTILE  # as it was, "&amp;" included: the reader sees the text, never markup
    assert parser.tags == [
        ("meta", [("property", "og:site_name"), ("content", text)]),
        ("meta", [("property", "og:title"), ("content", text)]),
        ("meta", [("property", "og:description"), ("content", text)]),
        ("meta", [("property", "og:type"), ("content", "article")]),
        ("meta", [("property", "og:url"), ("content", text)]),
        ("link", [("rel", "alternate"), ("type", "application/atom+xml"),
                  ("title", "Frontier Ledger articles"), ("href", "feed.xml")]),
        ("meta", [("property", "og:image"), ("content", "https://example.test/" + text)]),
        ("meta", [("property", "og:image:type"), ("content", "image/png")]),
        ("meta", [("property", "og:image:width"), ("content", text)]),
        ("meta", [("property", "og:image:height"), ("content", text)]),
        ("meta", [("property", "og:image:alt"), ("content", text)]),
        ("meta", [("name", "twitter:image"), ("content", "https://example.test/" + text)]),
        ("meta", [("name", "twitter:image:alt"), ("content", text)]),
        ("meta", [("name", "twitter:card"), ("content", "summary_large_image")]),
        ("meta", [("name", "twitter:title"), ("content", text)]),
        ("meta", [("name", "twitter:description"), ("content", text)]),
        ("meta", [("property", "article:published_time"), ("content", text)]),
        ("script", []),
    ]


# ---------------------------------------------------------------------------------------------
# CONTRIBUTING.md says what the check says


@pytest.mark.parametrize("mutate, start", [
    (put("site_src/articles/My Article.md", ARTICLE), "site_src/articles/My Article.md:"),
    (data_copy("data/companies/bigcloud.yaml", "data/companies/index.yaml", "id: bigcloud",
               "id: index"), "data/companies/index.yaml:1:5:"),
], ids=["file-name", "reserved-id"])
def test_the_guides_examples_are_what_the_check_prints(project: Path, check, mutate, start: str):
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    documented = [ln for ln in guide.splitlines() if ln.startswith(start)]
    assert len(documented) == 1
    mutate(project)
    assert check(project).lines == [documented[0], "1 error in 1 file"]
