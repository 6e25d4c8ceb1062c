"""Accessibility and the reading experience, in headless Chromium (Debian's, driven by Playwright).

- axe-core (npm, pinned in package-lock.json) finds no serious or critical violation on any page
  kind, in the light and the dark palette;
- every chart has a text alternative; the keyboard reaches the search box, the palette switch and
  the content's links, with a visible focus ring, and works them;
- every page kind shows its dates line ("data as of" wherever figures cite sources);
- printing an article leaves out the site's controls and keeps its charts and sources, with the
  address of every external link written after it.

How axe gets into the page: the site's Content-Security-Policy (generator/mkdocs_glue.py) allows
only its own scripts and hashed inline ones, so Playwright's add_script_tag, which inserts an inline
<script>, is refused by the page. The axe source is instead evaluated through the DevTools protocol
(page.evaluate), which a page's CSP does not govern. The page is tested exactly as it ships, CSP
included, without bypass_csp or rewriting responses, which would test a different page.
"""

from __future__ import annotations

import re

import pytest

from support import REPO, require
from tools.budget import KIND_OF, NOT_FOUND, PAGE_KINDS
from generator.cachedir import node_modules

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe_source() -> str:
    # where ./ledger test installed the Node tools, outside the project (LEDGER_NODE_MODULES)
    axe = node_modules(REPO) / "axe-core" / "axe.min.js"
    require("axe-core", axe.is_file(), "./ledger test installs it (npm ci, from package-lock.json)")
    return axe.read_text(encoding="utf-8")


def _open(browser, url: str, *, scheme: str = "light", width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_console(m):
        # the 404 page's own status is expected; anything else is an error
        if m.type == "error" and not (m.location.get("url") == url and "404" in m.text):
            errors.append(m.text)

    page.on("console", on_console)
    response = page.goto(url, wait_until="networkidle")
    return context, page, response, errors


# ---------------------------------------------------------------------------------------------
# axe-core


def _axe_violations(page, axe_source: str) -> list[str]:
    """Serious and critical axe-core violations on the open page, one line each."""
    page.evaluate(axe_source)  # not add_script_tag: the page's CSP refuses inline scripts
    violations = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""")
    return [f"{v['impact']}: {v['id']} ({v['help']}): {v['nodes']}" for v in violations
            if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_axe_finds_no_serious_or_critical_violation(browser, served_site, axe_source, kind, scheme):
    context, page, response, errors = _open(browser, served_site + PAGE_KINDS[kind], scheme=scheme)
    try:
        assert response.status == (404 if kind == NOT_FOUND else 200)
        bad = _axe_violations(page, axe_source)
        assert bad == [], "\n".join(bad)
        assert errors == []
    finally:
        context.close()


def test_pages_of_a_long_list_pass_axe_and_work_from_the_keyboard(browser, axe_source,
                                                                  monkeypatch):
    from generator.settings import Lists, Settings
    from tools.budget import served_build

    # the shipped data in pages of a few entries, as a list of thousands would be
    lists = Lists(sources_per_page=12, companies_per_page=5)
    with served_build(REPO, settings=Settings.for_project(REPO, lists=lists)) as base:
        for path in ("sources/page/2/", "companies/page/2/"):
            for scheme in ("light", "dark"):
                context, page, response, errors = _open(browser, base + path, scheme=scheme,
                                                        width=360)
                try:
                    assert response.status == 200
                    assert _axe_violations(page, axe_source) == []
                    assert errors == []
                    pager = page.locator("nav.fl-pager").first
                    listed = pager.locator("ol.fl-pager__pages")
                    assert not listed.is_visible()  # folded: the records come first on a phone
                    assert pager.locator("a", has_text="Next page").is_visible()
                    page.focus("details.fl-pager__all > summary")
                    page.keyboard.press("Enter")
                    assert listed.is_visible()
                    assert listed.locator("[aria-current=page]").count() == 1
                    page.keyboard.press("Tab")  # the first other page of the list
                    assert page.evaluate("document.activeElement.closest('li') !== null")
                    with page.expect_navigation():
                        page.keyboard.press("Enter")
                    assert page.url == base + path.split("page/")[0]
                finally:
                    context.close()


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------
# Charts


@pytest.mark.parametrize("kind", ["company profile", "article", "valuations", "table", "home"])
def test_every_chart_has_a_text_alternative(browser, served_site, kind):
    context, page, _, _ = _open(browser, served_site + PAGE_KINDS[kind])
    try:
        charts = page.evaluate("""() => [...document.querySelectorAll('article svg')]
            .filter(svg => !svg.closest('a, button, label'))  /* icons inside named controls */
            .map(svg => {
                const alt = svg.closest('[role="img"][aria-label], [role="group"][aria-label]');
                const marks = [...svg.querySelectorAll('[data-tip]')];
                return {hidden: svg.getAttribute('aria-hidden'), role: alt && alt.getAttribute('role'),
                        label: alt ? alt.getAttribute('aria-label') : null,
                        named: marks.every(m => m.getAttribute('role') === 'img' &&
                            m.getAttribute('tabindex') === '0' && m.getAttribute('aria-label')),
                        marks: marks.length,
                        words: [...svg.querySelectorAll('text')].filter(t =>
                            !t.closest('[aria-hidden="true"]')).length,
                        caption: svg.closest('figure')?.querySelector('figcaption')?.innerText ?? null,
                        visible: svg.getBoundingClientRect().width > 0};
            })""")
        if kind in ("company profile", "article", "valuations"):
            assert charts, f"expected at least one chart on the {kind} page"
        for c in charts:
            assert c["label"] and len(c["label"]) >= 40, c  # says what the chart shows
            if c["role"] == "img":  # one picture: the drawing itself is not read out
                assert c["hidden"] == "true", c
            else:  # the script named its marks (a tap, hover or focus tells one), nothing else
                assert c["marks"] > 0 and c["named"] and c["words"] == 0, c
            assert c["caption"], c  # a visible title and takeaway as well
            assert c["visible"], c
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------
# Keyboard

_FOCUSED = """() => {
    const e = document.activeElement;
    const visible = el => { const s = getComputedStyle(el);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) ||
               (s.boxShadow && s.boxShadow !== 'none'); };
    let ring = visible(e);
    if (!ring && e.matches('input.md-option') && e.nextElementSibling)
        ring = visible(e.nextElementSibling);  /* the palette radio draws its ring on its label */
    return {tag: e.tagName, cls: e.className || '', href: e.getAttribute('href'),
            label: e.getAttribute('aria-label'), ring: ring,
            inContent: !!e.closest('article.md-content__inner'),
            palette: !!e.closest('[data-md-component="palette"]'),
            search: e.matches('input.md-search__input')};
}"""


def test_keyboard_reaches_search_palette_and_content_links_with_visible_focus(browser, served_site):
    context, page, _, errors = _open(browser, served_site + PAGE_KINDS["article"])
    try:
        seen = []
        for _ in range(60):
            page.keyboard.press("Tab")
            seen.append(page.evaluate(_FOCUSED))
        assert seen[0]["cls"].startswith("md-skip"), "the first Tab reaches 'Skip to content'"
        search = [f for f in seen if f["search"]]
        palette = [f for f in seen if f["palette"]]
        content = [f for f in seen if f["inContent"] and f["tag"] == "A"
                   and "headerlink" not in f["cls"] and "md-content__button" not in f["cls"]]
        assert search, "Tab never reached the search box"
        assert palette, "Tab never reached the palette switch"
        assert len(content) >= 5, "Tab did not reach the article's links"
        no_ring = [f for f in seen if not f["ring"]]
        assert no_ring == [], f"focus without a visible ring: {no_ring}"
        assert errors == []
    finally:
        context.close()


def test_keyboard_switches_the_palette_and_searches(browser, served_site):
    context, page, _, errors = _open(browser, served_site + PAGE_KINDS["company profile"])
    try:
        scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
        assert scheme() == "default"
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate(_FOCUSED)["palette"]:
                break
        else:
            pytest.fail("Tab never reached the palette switch")
        page.keyboard.press("Enter")
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
        page.keyboard.press("Tab")  # on to the search box
        assert page.evaluate(_FOCUSED)["search"]
        page.keyboard.type("OpenAI", delay=20)
        first = page.locator(".md-search-result__item > .md-search-result__link").first
        first.wait_for(timeout=15_000)
        assert "companies/openai/" in first.get_attribute("href")
        assert errors == []
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------
# Dates line

# pages that state no event: their figures (tables, definitions, methods) have no date that
# "data as of" could honestly give (it is the latest event, never a source's accessed date)
NO_EVENTS = ("table", "glossary", "methodology", "about")


@pytest.mark.parametrize("kind", [k for k in PAGE_KINDS if k != NOT_FOUND])
def test_every_page_kind_shows_its_dates(browser, served_site, kind):
    context, page, _, _ = _open(browser, served_site + PAGE_KINDS[kind])
    try:
        line = page.locator("article .fl-meta").first
        if kind in NO_EVENTS:
            assert page.locator("article .fl-meta").count() == 0  # no events, no dates line
            return
        assert line.is_visible()
        text = line.inner_text()
        if KIND_OF[kind] == "article":
            for part in ("Published ", " min read", "data as of ", " (latest event)"):
                assert part in text, text
        elif KIND_OF[kind] == "articles":
            assert "min read" in text, text
        else:  # every other page shows events from the data, or is about the data
            assert text.startswith("Data as of ") and " (latest event)" in text, text
            if KIND_OF[kind] == "company":
                assert " · last checked " in text, text
        # the line sits right under the page's title
        assert page.evaluate("""() => {
            const h1 = document.querySelector('article h1');
            return h1.nextElementSibling.classList.contains('fl-meta'); }""") or KIND_OF[kind] == "articles"
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------
# Reading width and print


def test_running_text_keeps_a_readable_measure(browser, served_site):
    context, page, _, _ = _open(browser, served_site + PAGE_KINDS["article"], width=1600)
    try:
        chars = page.evaluate("""() => {
            const p = [...document.querySelectorAll('article p')].find(p => p.innerText.length > 300);
            const s = getComputedStyle(p);
            const c = document.createElement('canvas').getContext('2d');
            c.font = `${s.fontSize} ${s.fontFamily}`;
            const avg = c.measureText('the quick brown fox jumps over the lazy dog ').width / 44;
            return p.getBoundingClientRect().width / avg; }""")
        assert 55 <= chars <= 90, f"about {chars:.0f} characters a line"
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_article_prints_cleanly_with_charts_and_sources(browser, served_site, scheme, tmp_path):
    context, page, _, _ = _open(browser, served_site + PAGE_KINDS["article"], scheme=scheme)
    try:
        page.emulate_media(media="print")
        shown = lambda sel: page.evaluate(  # noqa: E731
            """sel => [...document.querySelectorAll(sel)].some(e => {
                   const r = e.getBoundingClientRect();
                   return getComputedStyle(e).display !== 'none' && r.width > 0 && r.height > 0; })""",
            sel)
        for hidden in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search",
                       ".md-content__button", ".md-footer", ".headerlink", ".md-top"):
            assert not shown(hidden), f"{hidden} is printed"
        for kept in ("article h1", ".fl-meta", ".fl-chart svg", ".fl-sources", ".fl-sources li"):
            assert shown(kept), f"{kept} is not printed"
        after = page.evaluate("""() => {
            const out = {};
            for (const a of document.querySelectorAll('article a[href]')) {
                const h = a.getAttribute('href');
                const kind = /^https?:/.test(h) ? 'external' : 'internal';
                (out[kind] ??= []).push([h, getComputedStyle(a, '::after').content]);
            }
            return out; }""")
        assert after["external"] and after["internal"]
        for href, content in after["external"]:
            assert "attr(href)" in content or f"({href})" in content, (href, content)
        for href, content in after["internal"]:
            assert content in ("none", "normal", '""'), (href, content)
        # black text on white paper, whatever the screen palette
        colors = page.evaluate("""() => [getComputedStyle(document.querySelector('article p:not([class])')).color,
                                         getComputedStyle(document.body).backgroundColor]""")
        assert colors == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"], colors
        pdf = tmp_path / "article.pdf"
        page.pdf(path=str(pdf), format="A4")
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))
        assert pages >= 3, f"the article printed on {pages} page(s)"
    finally:
        context.close()
