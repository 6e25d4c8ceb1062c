"""Reading on a phone (issue 17), in headless Chromium (Debian's, driven by Playwright), on one
page of every page kind (the page kinds' examples, tools/budget.PAGE_KINDS):

- no table cell lies beyond the right edge of a 360 px screen (tables are cards there), and on a
  1280 px screen none lies beyond its table's box (no figure cut mid-number);
- every chart's text is drawn at 12 px or more at 360 px (its font size times the scale the SVG is
  drawn at);
- a tap on a chart's mark shows its value, date, basis, status and source; the keyboard reaches
  the marks, each named by what it shows; without the script, the chart is one picture with its
  alt text;
- axe-core finds no serious or critical violation at 360 px, tables as cards, in either palette,
  touch targets included (WCAG 2.2's target-size, which Lighthouse's mobile run checks);
- every page names a share image that exists, with its size and alt text.
"""

from __future__ import annotations

import gzip

import pytest

from support import REPO, require
from generator.cachedir import node_modules
from tools.budget import NOT_FOUND, PAGE_KINDS

pytestmark = pytest.mark.browser

KINDS = [k for k in PAGE_KINDS if k != NOT_FOUND]
SCRIPT = REPO / "overrides" / "assets" / "javascripts" / "fl-charts.js"

# every visible table cell's right edge, against the screen (360) or its table's box (1280)
CELLS_BEYOND = """(width) => {
    const out = [];
    for (const cell of document.querySelectorAll('.md-content td, .md-content th')) {
        const r = cell.getBoundingClientRect();
        if (!r.width || !r.height || cell.closest('details:not([open])')) continue;
        const head = cell.closest('thead');  // visually hidden (clipped) on a phone
        if (head && head.getBoundingClientRect().width <= 1) continue;
        // a table scrolls inside itself (overflow: auto) and inside Material's wrapper
        const boxes = [cell.closest('table'), cell.closest('.md-typeset__scrollwrap')];
        const edge = width <= 360 ? document.documentElement.clientWidth : Math.min(
            ...boxes.filter(b => b).map(b => b.getBoundingClientRect().right));
        if (r.right > edge + 0.5) out.push(`${cell.textContent.trim().slice(0, 30)}: ${r.right}`);
    }
    return out;
}"""

# the drawn size of every chart text: its font size times the SVG's scale on the page
CHART_TEXT = """() => [...document.querySelectorAll('.fl-chart__svg svg')].flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
    return [...svg.querySelectorAll('text')].map(t =>
        [t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale]);
})"""


def _open(browser, url: str, width: int, scheme: str = "light", js: bool = True):
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme,
                                  java_script_enabled=js, has_touch=width <= 360)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return context, page, errors


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("kind", KINDS)
def test_no_table_cell_lies_beyond_the_edge(browser, served_site, kind, width):
    context, page, errors = _open(browser, served_site + PAGE_KINDS[kind], width)
    try:
        assert page.evaluate(CELLS_BEYOND, width) == []
        assert errors == []
    finally:
        context.close()


def test_every_kind_of_table_is_cards_on_a_phone(browser, served_site):
    """The wide GPU table, a profile's events and an article's table: one card a row, each value
    after its column's heading, the header row kept for assistive technology."""
    for kind in ("company profile", "table", "explainer with tables", "valuations"):
        context, page, _ = _open(browser, served_site + PAGE_KINDS[kind], 360)
        try:
            shown = page.evaluate("""() => {
                const t = [...document.querySelectorAll('.md-content table[data-cards]')]
                    .find(t => !t.closest('details'));
                const td = t.querySelector('tbody td:nth-child(2)');
                return {display: getComputedStyle(t.querySelector('tr')).display,
                        label: getComputedStyle(td, '::before').content,
                        head: t.querySelector('thead').getBoundingClientRect().width,
                        role: t.getAttribute('role'), cell: td.getAttribute('role')};
            }""")
            assert shown["display"] == "block", kind
            assert shown["label"].startswith('"') and len(shown["label"]) > 2, (kind, shown)
            assert shown["head"] <= 1, kind  # the header row: visually hidden, still in the table
            assert (shown["role"], shown["cell"]) == ("table", "cell"), kind
        finally:
            context.close()


@pytest.mark.parametrize("kind", KINDS)
def test_chart_text_is_drawn_at_12px_or_more_on_a_phone(browser, served_site, kind):
    context, page, _ = _open(browser, served_site + PAGE_KINDS[kind], 360)
    try:
        small = [(t, round(px, 1)) for t, px in page.evaluate(CHART_TEXT) if px < 12]
        assert small == []
    finally:
        context.close()


@pytest.mark.parametrize("kind", ["company profile", "valuations", "home"])
def test_close_marks_are_drawn_apart_on_a_phone(browser, served_site, kind):
    """Marks whose dates and values are close (Anthropic's talks, offers and Series H of 2026)
    are drawn at least 10 px apart, centre to centre, at 360 px: each is seen and can be
    tapped."""
    context, page, _ = _open(browser, served_site + PAGE_KINDS[kind], 360)
    try:
        closest = page.evaluate("""() => Math.min(...[...document.querySelectorAll(
            '.fl-chart__svg')].flatMap(box => {
            const c = [...box.querySelectorAll('[data-tip]')].map(m => {
                const r = m.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; });
            return c.flatMap((a, i) => c.slice(i + 1).map(b => Math.hypot(a[0] - b[0], a[1] - b[1])));
        }))""")
        assert closest >= 10
    finally:
        context.close()


def test_a_tap_on_a_mark_shows_what_it_is(browser, served_site):
    context, page, errors = _open(browser, served_site + PAGE_KINDS["company profile"], 360)
    try:
        mark = page.locator(".fl-chart__svg [data-tip]").nth(2)
        mark.scroll_into_view_if_needed()
        box = mark.bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tip = page.locator(".fl-tip")
        assert tip.is_visible()
        assert tip.inner_text().split("\n") == [
            "Anthropic, Series E", "US$61.5 billion", "Post-money", "3 Mar 2025", "confirmed",
            "Source: Anthropic and TechTarget"]
        inside = page.evaluate("""() => {
            const t = document.querySelector('.fl-tip').getBoundingClientRect();
            return t.left >= 0 && t.right <= document.documentElement.clientWidth;
        }""")
        assert inside
        page.touchscreen.tap(5, 400)  # a tap elsewhere puts it away
        assert not tip.is_visible()
        assert errors == []
    finally:
        context.close()


def test_the_keyboard_reaches_each_mark_by_its_name(browser, served_site):
    context, page, errors = _open(browser, served_site + PAGE_KINDS["company profile"], 1280)
    try:
        first = page.locator(".fl-chart__svg [data-tip]").first
        first.focus()
        assert page.evaluate("document.activeElement.getAttribute('tabindex')") == "0"
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
            "Anthropic, Series C, about US$4.1 billion, Post-money, May 2023, reported, "
            "Source: Axios and The New York Times")
        assert page.locator(".fl-tip").is_visible()
        page.keyboard.press("Tab")
        assert page.locator(".fl-tip").inner_text().startswith("Anthropic, Series D\n")
        page.keyboard.press("Escape")
        assert not page.locator(".fl-tip").is_visible()
        assert errors == []
    finally:
        context.close()


def test_without_javascript_a_chart_is_one_picture_with_its_alt_text(browser, served_site):
    context, page, _ = _open(browser, served_site + PAGE_KINDS["company profile"], 360, js=False)
    try:
        box = page.locator(".fl-chart__svg").first
        assert box.get_attribute("role") == "img"
        assert len(box.get_attribute("aria-label")) > 40
        assert page.locator(".fl-chart__svg svg").first.get_attribute("aria-hidden") == "true"
        assert page.locator(".fl-chart__svg [tabindex]").count() == 0
        assert page.locator(".fl-chart__data table").first.count() == 1
    finally:
        context.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    axe = node_modules(REPO) / "axe-core" / "axe.min.js"
    require("axe-core", axe.is_file(), "./ledger test installs it (npm ci, from package-lock.json)")
    return axe.read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_axe_is_clean_on_a_phone(browser, served_site, axe_source, kind, scheme):
    context, page, _ = _open(browser, served_site + PAGE_KINDS[kind], 360, scheme)
    try:
        page.evaluate(axe_source)  # not add_script_tag: the page's CSP refuses inline scripts
        found = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations'],
                                               rules: {'target-size': {enabled: true}}});
            return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => `${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' '))}`);
        }""")
        assert found == []
    finally:
        context.close()


def test_the_charts_script_is_small():
    assert len(gzip.compress(SCRIPT.read_bytes(), 9)) <= 5_000


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_every_page_names_a_share_image_that_exists(browser, served_site, kind):
    """og:image and the Twitter card's image: an absolute address on the site (site_url), a PNG
    of the size the page says, with alt text."""
    import struct
    import urllib.error
    import urllib.request

    context, page, _ = _open(browser, served_site + PAGE_KINDS[kind], 1280)
    try:
        meta = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
            'meta[property^="og:image"], meta[name^="twitter:"]')].map(m =>
            [m.getAttribute('property') || m.getAttribute('name'), m.getAttribute('content')]))""")
    finally:
        context.close()
    site_url = served_site  # the build's site_url is the address it is served from
    assert meta["og:image"].startswith(site_url) and meta["og:image"].endswith(".png")
    assert meta["twitter:image"] == meta["og:image"]
    assert meta["twitter:card"] == "summary_large_image"
    assert len(meta["og:image:alt"]) > 10 and meta["twitter:image:alt"] == meta["og:image:alt"]
    if kind == "company profile":
        assert meta["og:image:alt"] == ("Anthropic. Latest post-money valuation: US$965 billion "
                                        "(28 May 2026, Series H (primary round) · confirmed · "
                                        "sources: Anthropic, Financial Times and 1 more)")
    try:
        with urllib.request.urlopen(meta["og:image"]) as r:
            png = r.read()
    except urllib.error.HTTPError as exc:  # pragma: no cover - the failure says which
        pytest.fail(f"{meta['og:image']}: {exc}")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    size = struct.unpack(">II", png[16:24])
    assert size == (int(meta["og:image:width"]), int(meta["og:image:height"])) == (1200, 630)
