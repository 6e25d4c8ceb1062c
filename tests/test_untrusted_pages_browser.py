"""In Chromium: a hostile file name and a hostile table of contents, forced past the check.

The check refuses both (test_untrusted_pages.py); here it is bypassed, as a bug in it would, to
show that the second line holds on its own: the theme's edit link is percent-encoded, so a file
name holding markup neither redirects the reader nor runs anything, and the table of contents is
sanitised after conversion, so a heading's attribute list puts no style (a full-page overlay) on
it. Pages are loaded with the Content-Security-Policy switched off, so that escaping alone must
hold, and with it on, as published. The tripwires are test_xss_browser's (a dialog, a global, a
request, and the DOM itself); its controls show that they fire.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from support import make_project, require_chromium
from generator.render import article_markup
from generator import site_paths
from support import BrowserThread, Tripwire

pytestmark = pytest.mark.browser

PAGE = ("---\ntitle: A hand-written page\ndescription: A page written by hand.\n---\n"
        "# A hand-written page\n\nSome text.\n")
# File names (no '/' can be in one) that leave the edit link's href="…" if written unescaped
NAMES = {
    "refresh": 'a"><meta http-equiv="refresh" content="0;url=xss-redirect">.md',
    "handler": 'b" onfocus="window.__xss=\'focus\'" autofocus tabindex="1" x=".md',
}
OVERLAY = "position:fixed;inset:0;z-index:999;background:red"
ARTICLE = (f"---\ntitle: Overlay\ndescription: Headings whose attribute lists try the table of "
           f"contents.\npublished: 2026-11-21\n---\n# Overlay\n\n"
           f"## Overlay here {{ id='x\" style=\"{OVERLAY}' }}\n\nText.\n\n"
           f"## Labelled {{ data-toc-label=\"Plain label\" }}\n\nText.\n\n"
           f"## Styled {{ style=\"{OVERLAY}\" }}\n\nText.\n")


@pytest.fixture(scope="module")
def forced_site(tmp_path_factory):
    """A scratch project with the hostile names and headings, built with the check's rules for
    names and attribute lists switched off (the plugin's own rules for names too: it shares them),
    and served as GitHub Pages would serve it."""
    from tools.budget import served_build

    root = make_project(tmp_path_factory.mktemp("forced") / "proj")
    for name in NAMES.values():
        (root / "site_src" / name).write_text(PAGE, encoding="utf-8")
    (root / "site_src/articles/overlay.md").write_text(ARTICLE, encoding="utf-8")
    real = site_paths.entry_problem
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(site_paths, "entry_problem", lambda folder, name, is_dir:
                   None if name in NAMES.values() else real(folder, name, is_dir=is_dir))
        mp.setattr(article_markup, "attribute_list_entries", lambda text: [])
        with served_build(root) as base:
            yield base


@pytest.fixture(scope="module")
def chromium():
    thread = BrowserThread(require_chromium())
    yield thread
    thread.close()


def _page_url(base: str, name: str) -> str:
    return base + quote(name[: -len(".md")]) + "/"


def _visit_hostile_names(browser, base: str, csp: bool) -> list:
    tw = Tripwire(browser, csp=csp)
    found = []
    try:
        for key, name in NAMES.items():
            url = _page_url(base, name)
            got = tw.visit(url)
            tw.page.wait_for_timeout(1200)  # a refresh after 0 s, a focus handler
            edits = tw.page.evaluate("[...document.querySelectorAll('a[rel=edit]')]"
                                     ".map(a => a.getAttribute('href'))")
            found.append((key, got["status"], tw.page.url == url, got["dom"],
                          tw.page.evaluate("String(window.__xss)"), edits))
        found.append(("dialogs", tw.dialogs, tw.pings))
    finally:
        tw.close()
    return found


@pytest.mark.parametrize("csp", [False, True], ids=["without-csp", "with-csp"])
def test_a_hostile_file_name_neither_redirects_nor_runs(chromium, forced_site, csp: bool):
    got = chromium.run(_visit_hostile_names, forced_site, csp)
    edit = "https://github.com/frontier-ledger/frontier-ledger/edit/main/site_src/"
    assert got == [
        ("refresh", 200, True, [], "undefined",
         [edit + "a%22%3E%3Cmeta%20http-equiv%3D%22refresh%22%20content%3D%220%3Burl%3D"
                 "xss-redirect%22%3E.md"]),
        ("handler", 200, True, [], "undefined",
         [edit + "b%22%20onfocus%3D%22window.__xss%3D%27focus%27%22%20autofocus%20tabindex%3D%22"
                 "1%22%20x%3D%22.md"]),
        ("dialogs", [], []),
    ]


TOC = """() => {
  const toc = document.querySelector('[data-md-component="toc"]');
  const links = [...toc.querySelectorAll('a')].map(a => [
    a.textContent.trim(), a.getAttribute('href'),
    !!document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))]);
  const styled = [...toc.querySelectorAll('[style]')].map(e => e.outerHTML.slice(0, 80));
  const middle = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
  return {links, styled, overlay: !!(middle && middle.closest('[data-md-component="toc"]')),
          tags: [...toc.querySelectorAll('*')].map(e => e.tagName.toLowerCase())
                  .filter(t => !['ul', 'li', 'a', 'span', 'nav', 'label'].includes(t))};
}"""


def _visit_overlay(browser, base: str, csp: bool) -> dict:
    tw = Tripwire(browser, csp=csp)
    try:
        tw.page.set_viewport_size({"width": 1400, "height": 900})  # the toc is shown beside
        got = tw.visit(base + "articles/overlay/")
        return {"status": got["status"], "dom": got["dom"], **tw.page.evaluate(TOC)}
    finally:
        tw.close()


@pytest.mark.parametrize("csp", [False, True], ids=["without-csp", "with-csp"])
def test_a_heading_puts_no_style_on_the_table_of_contents(chromium, forced_site, csp: bool):
    got = chromium.run(_visit_overlay, forced_site, csp)
    anchor = "#x-style-position-fixed-inset-0-z-index-999-background-red"
    assert got == {
        "status": 200, "dom": [],
        "links": [["Overlay here", anchor, True], ["Plain label", "#labelled", True],
                  ["Styled", "#styled", True]],
        "styled": [], "overlay": False, "tags": []}


def test_control_the_overlay_is_what_the_unsanitised_table_of_contents_would_show(
        chromium, forced_site):
    """Without the cleaning, the toc would hold the heading's style: the same page with its toc
    link as MkDocs made it (the anchor written into href="#…" as it is) covers the page."""
    def run(browser, base):
        tw = Tripwire(browser, csp=True)
        try:
            tw.page.set_viewport_size({"width": 1400, "height": 900})
            tw.visit(base + "articles/overlay/")
            tw.page.evaluate(f"""() => {{
              const a = document.querySelector('[data-md-component="toc"] a');
              a.outerHTML = '<a href="#x" style="{OVERLAY}" class="md-nav__link">Overlay</a>';
            }}""")
            return tw.page.evaluate(TOC)
        finally:
            tw.close()

    got = chromium.run(run, forced_site)
    assert got["overlay"] is True and len(got["styled"]) == 1
