"""The shipped sources: addresses a reader can follow, and publication language only.

These tests hold the shipped data to the targets of issue 16: at most 5 source records link a bare
home page or a section page (and each of those says that the exact address is not known), at least
60 link an article-level address, and neither the data nor the built site uses the working words
"fact sheet".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.load import load
from generator.mkdocs_glue import build_site
from generator.problems import Problems
from generator.model import listing_page

from support import REPO

MAX_HOME_OR_SECTION = 5
MIN_ARTICLE_LEVEL = 60
WORKING_WORDS = re.compile(r"fact[\s-]+sheet", re.IGNORECASE)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.bloomberg.com", "home page"),
    ("https://www.bloomberg.com/", "home page"),
    ("https://www.reuters.com/technology/", "section page"),
    ("https://anthropic.com/news", "section page"),
    ("https://www.entrepreneur.com/business-news", "section page"),
    ("https://www.cnbc.com/2026/03/31/openai-funding-round-ipo.html", None),
    ("https://neuronad.com/?p=6941", None),
    ("https://slashgear.com/2094232", None),
    ("https://eyeon.ai/f/540", None),
    ("https://techspot.com/news/112615-anthropic-files-ipo-joining-openai-spacex-race-go.html", None),
], ids=["bare-host", "bare-host-slash", "section", "news-section", "hyphenated-section",
        "dated-article", "post-by-query", "numeric-article", "short-two-segments", "news-article"])
def test_the_checks_rule_tells_listing_pages_from_articles(url: str, expected: str | None):
    """The one implementation the check uses (generator.model.listing_page)."""
    assert listing_page(url) == expected


@pytest.fixture(scope="module")
def shipped_sources():
    problems = Problems()
    dataset = load(REPO, problems)
    assert problems.report() == "no problems found"
    return dataset.sources


def _listing(source) -> bool:
    return source.url is not None and listing_page(source.url) is not None


def test_at_most_five_sources_link_a_home_or_section_page(shipped_sources):
    listing = sorted(sid for sid, s in shipped_sources.items() if _listing(s))
    assert len(listing) <= MAX_HOME_OR_SECTION, listing


def test_a_home_or_section_address_is_only_kept_as_unknown_and_never_linked(shipped_sources):
    for sid, source in shipped_sources.items():
        if _listing(source):
            assert source.exact_url_unknown is True, sid
            assert source.link is None, sid


def test_at_least_sixty_sources_link_an_article_level_address(shipped_sources):
    articles = [sid for sid, s in shipped_sources.items()
                if (s.url is not None and not _listing(s)) or s.read_via is not None]
    assert len(articles) >= MIN_ARTICLE_LEVEL


def test_no_source_is_written_as_a_copy_inside_its_publisher(shipped_sources):
    """Outlet and copy are fields of their own (read_via, syndicated_from), never words inside
    the publisher ("Republic World (copy of a Bloomberg report)")."""
    mixed = sorted(sid for sid, s in shipped_sources.items()
                   if re.search(r"\b(copy|story|report|syndicated)\b", s.publisher, re.IGNORECASE))
    assert mixed == []


def test_no_data_file_or_article_uses_the_words_fact_sheet():
    files = sorted([*(REPO / "data").rglob("*.yaml"), *(REPO / "site_src").rglob("*.md")])
    assert len(files) > 100  # the shipped data and articles, not an empty folder
    offenders = [p.relative_to(REPO).as_posix() for p in files
                 if WORKING_WORDS.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.build
def test_no_built_page_or_download_uses_the_words_fact_sheet(tmp_path: Path):
    site = tmp_path / "site"
    assert build_site(REPO, site) == 0
    texts = [p for p in sorted(site.rglob("*"))
             if p.is_file() and p.suffix in {".html", ".md", ".csv", ".json", ".txt", ".xml"}]
    assert (site / "sources/index.html") in texts
    offenders = [p.relative_to(site).as_posix() for p in texts
                 if WORKING_WORDS.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert offenders == []
