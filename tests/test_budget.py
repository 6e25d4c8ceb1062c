"""The weight budget, measured by the same code as ``./ledger budget`` (tools/budget.py), so the
test and the script cannot drift: a company profile's first visit, every transfer gzipped, stays
within PROFILE_BUDGET. Also: the search index, the largest file of the site, is fetched only when
a reader reaches for search (by pointer, keyboard or the phone's search button), and search then
works.
"""

from __future__ import annotations


import pytest

from tools.budget import (PAGE_KINDS, PROFILE_BUDGET, PROFILE_KIND, Transfer, Visit,
                              format_table, gzipped_size, measure)

pytestmark = pytest.mark.browser

INDEX = "search/search_index.json"


def test_company_profile_first_visit_is_within_budget(browser, served_site):
    v = measure(browser, served_site + PAGE_KINDS[PROFILE_KIND], PROFILE_KIND)
    assert v.status == 200
    assert v.foreign == [] and v.failed == []
    kinds = {t.resource_type for t in v.transfers}
    assert {"document", "stylesheet", "script"} <= kinds, kinds  # the measurement saw the page
    assert v.gzipped <= PROFILE_BUDGET, (
        f"a company profile's first visit is {v.gzipped:,} bytes gzipped, over the budget of "
        f"{PROFILE_BUDGET:,}; largest transfers: "
        + ", ".join(f"{t.url.rsplit('/', 2)[-2:]} {t.gzipped:,}"
                    for t in sorted(v.transfers, key=lambda t: -t.gzipped)[:4]))
    print(f"\ncompany profile, first visit: {v.requests} requests, {v.raw:,} bytes raw, "
          f"{v.gzipped:,} bytes gzipped (budget {PROFILE_BUDGET:,})")


def _index_requests(page) -> list[str]:
    got: list[str] = []
    page.on("request", lambda r: INDEX in r.url and got.append(r.url))
    return got


@pytest.mark.parametrize("how", ["keyboard", "pointer", "phone"])
def test_search_index_loads_only_when_the_reader_reaches_for_search(browser, served_site, how):
    phone = how == "phone"
    context = browser.new_context(viewport={"width": 360 if phone else 1280, "height": 800},
                                  is_mobile=phone, has_touch=phone)
    try:
        page = context.new_page()
        got = _index_requests(page)
        page.goto(served_site + PAGE_KINDS["article"], wait_until="networkidle")
        page.wait_for_timeout(500)
        assert got == [], "the search index was fetched before the reader asked for search"
        if how == "keyboard":
            page.keyboard.press("/")  # Material's shortcut: focuses the search box
        elif how == "pointer":
            page.locator(".md-search__input").hover()
        else:
            page.locator("label.md-header__button[for='__search']").tap()
        page.wait_for_timeout(300)
        assert len(got) == 1, got
        if how == "pointer":
            page.locator(".md-search__input").click()
        page.keyboard.type("Anthropic", delay=20)
        first = page.locator(".md-search-result__item > .md-search-result__link").first
        first.wait_for(timeout=15_000)
        assert "companies/anthropic/" in first.get_attribute("href")
    finally:
        context.close()


def test_gzipped_size_and_table():
    body = b"frontier ledger " * 1000
    assert 0 < gzipped_size(body) < len(body) // 20
    assert gzipped_size(body) == gzipped_size(body)  # no timestamp in the gzip header
    v = Visit("company profile", "http://127.0.0.1:1/frontier-ledger/companies/x/", 200,
              [Transfer("a", "document", 200, 10_000, 2_000), Transfer("b", "script", 200, 5_000,
                                                                        1_500)])
    assert (v.requests, v.raw, v.gzipped) == (2, 15_000, 3_500)
    table = format_table([v]).splitlines()
    assert table[0].split() == ["page", "kind", "requests", "raw", "all", "gzipped", "address"]
    assert table[2].split() == ["company", "profile", "2", "15.0", "KB", "3.5", "KB",
                                "companies/x/"]
