"""Publication language: no working words in what a reader sees.

Editors' shorthand ("the fact sheet", "the data folder", "generated from one file") crept into the
site's prose and into source notes. The shipped site is built once (conftest's served_site), every
page in its sitemap and the 404 page are fetched, and the text a reader sees (elements' text, not
attributes such as edit links, not scripts or styles) is searched for each phrase below. The
downloads are not pages and are not searched.
"""

from __future__ import annotations

import re
import urllib.request
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest

pytestmark = pytest.mark.build

# Working words, and what a reader would read instead. Matched case-insensitively, as whole words.
PHRASES = {
    "fact sheet": "our sources, the publication",
    "data folder": "our records",
    "data file": "the record",
    "generated from one file": "(say what the page shows)",
    "records behind this site": "our sources",
    "YAML": "(name no file format)",
    "working notes": "(say what is known)",
    "FILL IN": "(the placeholder new-company writes)",
}

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class VisibleText(HTMLParser):
    """The text of a page as a reader sees it: character data outside <script>, <style> and
    <template>. Line breaks in the HTML source are spaces, as a browser shows them; the edges of
    blocks (paragraphs, cells, list items) become line breaks, so that a phrase is never found
    across two of them. Attribute values (href, title, alt, data-*) are not text."""

    SKIP = {"script", "style", "template"}
    BREAKS = {"p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "br",
              "section", "article", "header", "footer", "nav", "dt", "dd", "title", "summary",
              "blockquote", "table", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"\s", " ", data))

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        parser.close()
        return re.sub(r" +", " ", "".join(parser.parts))


def occurrences(text: str, phrase: str) -> list[str]:
    """Each place the phrase occurs, with a little context either side, on one line."""
    pattern = re.compile(r"(?<!\w)" + " +".join(map(re.escape, phrase.split())) + r"(?!\w)",
                         re.IGNORECASE)
    out = []
    for m in pattern.finditer(text):
        before = text[max(0, m.start() - 40):m.start()].split("\n")[-1]
        after = text[m.end():m.end() + 40].split("\n")[0]
        out.append(f"…{before}{m.group(0)}{after}…")
    return out


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # served without gzip: not asked
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def pages(served_site) -> dict[str, str]:
    """Address relative to the site → visible text, for every page in the sitemap and the 404."""
    sitemap = ElementTree.fromstring(fetch(served_site + "sitemap.xml"))
    addresses = [loc.text for loc in sitemap.iter(SITEMAP_NS + "loc")]
    out = {}
    for address in addresses:
        assert address.startswith(served_site), address  # built for this address
        out[address[len(served_site):] or "(home)"] = VisibleText.of(fetch(address))
    out["404.html"] = VisibleText.of(fetch(served_site + "404.html"))
    return out


def test_every_kind_of_page_is_searched(pages):
    from tools.budget import NOT_FOUND, PAGE_KINDS  # one page of each page kind

    examples = [path or "(home)" for kind, path in PAGE_KINDS.items() if kind != NOT_FOUND]
    for page in examples + ["tables/rack-power/", "404.html"]:
        assert page in pages, page
    assert all(len(text) > 200 for text in pages.values())


@pytest.mark.parametrize("phrase", list(PHRASES), ids=list(PHRASES))
def test_no_page_uses_working_words(pages, phrase):
    found = [f"{page}: {context}" for page, text in sorted(pages.items())
             for context in occurrences(text, phrase)]
    assert not found, (f"{len(found)} use(s) of {phrase!r} (a reader would read "
                       f"{PHRASES[phrase]!r}):\n" + "\n".join(found))


@pytest.mark.parametrize("html, expected", [
    ('<p>Read the fact sheet.</p>', ["…Read the fact sheet.…"]),
    ('<p>Read the <em>fact</em>\n  sheet.</p>', ["…Read the fact sheet.…"]),
    ('<a href="data/x.yaml" title="the fact sheet">Edit</a>', []),
    ('<img alt="fact sheet" src="x.png">', []),
    ('<script>var s = "fact sheet";</script><style>/* fact sheet */</style>', []),
    ('<p>factsheets and artefact sheets</p>', []),
    ('<td>fact</td><td>sheet</td>', []),
], ids=["paragraph", "across-markup-and-lines", "attributes", "alt-text", "script-and-style",
        "inside-other-words", "adjacent-cells"])
def test_only_visible_text_is_searched(html, expected):
    assert occurrences(VisibleText.of(html), "fact sheet") == expected
