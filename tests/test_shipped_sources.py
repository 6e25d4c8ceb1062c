"""The shipped sources: addresses a reader can follow, and publication language only.

These tests hold the shipped data to the targets of issue 16: at most 5 source records link a bare
home page or a section page (and each of those says that the exact address is not known), at least
60 link an article-level address, and neither the data nor the built site uses the working words
"fact sheet".
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.load import load
from generator.mkdocs_glue import build_site
from generator.problems import Problems

from support import REPO

# One short word-like path segment, as in /news, /technology or /business-news: a section page.
_SECTION = re.compile(r"[a-z][a-z-]{0,19}")

MAX_HOME_OR_SECTION = 5
MIN_ARTICLE_LEVEL = 60
WORKING_WORDS = re.compile(r"fact[\s-]+sheet", re.IGNORECASE)


def home_or_section(url: str) -> bool:
    """True for a site's home page or a section page: an empty path, or a single short word-like
    segment, with no query naming a post (https://example.com/?p=123 is a post)."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if parts.query:
        return False
    return not segments or (len(segments) == 1 and bool(_SECTION.fullmatch(segments[0])))


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.bloomberg.com", True),
    ("https://www.bloomberg.com/", True),
    ("https://www.reuters.com/technology/", True),
    ("https://anthropic.com/news", True),
    ("https://www.entrepreneur.com/business-news", True),
    ("https://www.cnbc.com/2026/03/31/openai-funding-round-ipo.html", False),
    ("https://neuronad.com/?p=6941", False),
    ("https://slashgear.com/2094232", False),
    ("https://eyeon.ai/f/540", False),
    ("https://techspot.com/news/112615-anthropic-files-ipo-joining-openai-spacex-race-go.html", False),
], ids=["bare-host", "bare-host-slash", "section", "news-section", "hyphenated-section",
        "dated-article", "post-by-query", "numeric-article", "short-two-segments", "news-article"])
def test_home_or_section_tells_listing_pages_from_articles(url: str, expected: bool):
    assert home_or_section(url) is expected


@pytest.fixture(scope="module")
def shipped_sources():
    problems = Problems()
    dataset = load(REPO, problems)
    assert problems.report() == "no problems found"
    return dataset.sources


def test_at_most_five_sources_link_a_home_or_section_page(shipped_sources):
    listing = sorted(sid for sid, s in shipped_sources.items() if home_or_section(s.url))
    assert len(listing) <= MAX_HOME_OR_SECTION, listing


def test_a_home_or_section_link_says_the_exact_address_is_not_known(shipped_sources):
    for sid, source in shipped_sources.items():
        if home_or_section(source.url):
            assert source.url_verified is False, sid
            assert "exact address is not known" in (source.note or ""), sid


def test_at_least_sixty_sources_link_an_article_level_address(shipped_sources):
    articles = [sid for sid, s in shipped_sources.items() if not home_or_section(s.url)]
    assert len(articles) >= MIN_ARTICLE_LEVEL


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
