"""What a reader sees, in headless Chromium (Debian's, driven by Playwright; no browser download).

The shipped site is built once (conftest's served_site, shared with the other browser modules),
served from 127.0.0.1 under a sub-path (as GitHub project pages serve it), and every page kind is loaded: no console error, no failed request, no request to any
other host, no horizontal scroll at 360 px, a working palette switch, and search that finds a
company by name.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tools.budget import NOT_FOUND
from tools.budget import PAGE_KINDS as BUDGET_PAGES

pytestmark = pytest.mark.browser

# one page of each kind (the page kinds' examples), the page for a missing address aside
PAGE_KINDS = {kind: path for kind, path in BUDGET_PAGES.items() if kind != NOT_FOUND}


class Visit:
    """A page load with everything the browser reported about it."""

    def __init__(self, browser, url: str, *, width: int = 1280, scheme: str = "light"):
        self.context = browser.new_context(viewport={"width": width, "height": 800},
                                           color_scheme=scheme)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.response = self.page.goto(url, wait_until="networkidle")

    def close(self):
        self.context.close()


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_page_loads_cleanly_and_only_from_this_host(browser, served_site, kind):
    v = Visit(browser, served_site + PAGE_KINDS[kind])
    try:
        assert v.response is not None and v.response.status == 200
        assert v.errors == [], v.errors
        assert v.failed == [], v.failed
        foreign = [u for u in v.requests
                   if urlsplit(u).scheme in ("http", "https") and urlsplit(u).hostname != "127.0.0.1"]
        assert foreign == []
        assert v.page.locator("h1").first.is_visible()
    finally:
        v.close()


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_no_horizontal_scroll_at_phone_width(browser, served_site, kind):
    v = Visit(browser, served_site + PAGE_KINDS[kind], width=360)
    try:
        overflow = v.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 360px"
    finally:
        v.close()


def test_palette_follows_the_system_and_can_be_switched(browser, served_site):
    v = Visit(browser, served_site + PAGE_KINDS["company profile"], scheme="dark")
    try:
        scheme = lambda: v.page.evaluate("document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
        assert scheme() == "slate"
        v.page.locator("label.md-header__button[for^='__palette']:visible").first.click()
        v.page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
        assert scheme() == "default"
        # text stays dark-on-light after switching: body text colour is darker than the background
        fg, bg = v.page.evaluate("""() => {
            const lum = c => { const [r, g, b] = c.match(/\\d+/g).map(Number);
                               return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
            const el = document.querySelector('.md-typeset p');
            const s = getComputedStyle(el);
            const b = getComputedStyle(document.body).backgroundColor;
            return [lum(s.color), lum(b)];
        }""")
        assert fg < bg
        assert v.errors == []
    finally:
        v.close()


def test_search_finds_a_company_by_name(browser, served_site):
    v = Visit(browser, served_site)
    try:
        v.page.keyboard.press("/")  # Material's search shortcut
        v.page.keyboard.type("Anthropic", delay=30)
        first = v.page.locator(".md-search-result__item > .md-search-result__link").first
        first.wait_for(timeout=10_000)
        # the company's profile is the first result (profiles are boosted in the index)
        assert "companies/anthropic/" in first.get_attribute("href")
        assert v.errors == []
    finally:
        v.close()


def test_missing_page_shows_the_sites_own_404(browser, served_site):
    v = Visit(browser, served_site + "no/such/page/")
    try:
        assert v.response.status == 404
        assert v.page.locator("h1").first.inner_text() == "Page not found"
        assert v.page.locator("a[href$='companies/']").count() >= 1
    finally:
        v.close()


def test_tables_are_styled_without_the_themes_script_moving_them(browser, served_site):
    """Tables arrive inside Material's scrolling wrappers with class fl-table (engine.
    wrap_tables), so the theme's script leaves them in place (on a profile, moving them was most of
    Lighthouse's blocking time); on a wide screen a table of a few columns must still look like the
    theme's tables, and fit its column (on a phone every table is cards: tests/test_phone.py)."""
    v = Visit(browser, served_site + PAGE_KINDS["table"], width=1280)
    try:
        tables = v.page.evaluate("""() => [...document.querySelectorAll('.md-typeset table')].map(t => {
            const td = t.querySelector('td'), s = getComputedStyle(td), box = t.parentElement.parentElement;
            return {cls: t.className, wrap: t.parentElement.className, outer: box.className,
                    twice: box.parentElement.classList.contains('md-typeset__table'),
                    pad: parseFloat(s.paddingLeft), border: parseFloat(s.borderTopWidth),
                    scroll: getComputedStyle(box).overflowX, wider: t.scrollWidth > t.clientWidth};
        })""")
        assert len(tables) >= 1
        for t in tables:
            assert (t["cls"], t["wrap"], t["outer"], t["twice"]) == (
                "fl-table", "md-typeset__table", "md-typeset__scrollwrap", False), t
            assert t["pad"] > 4 and t["border"] > 0, t  # the theme's cell padding and rule lines
            assert t["scroll"] == "auto", t
            assert not t["wider"], t
        overflow = v.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        assert v.errors == []
    finally:
        v.close()
