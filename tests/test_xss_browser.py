"""A corpus of XSS payloads in every text field and in articles, built and loaded in Chromium.

A scratch project gets one company, source, glossary term, table and article per payload, with the
payload in every text field (name, headquarters, summary, round, note, investor, publisher, title,
source note, table title, description, labels and cells, term and definition, article title and
description) and reaching articles through data-bound figures; articles also carry every payload
the article check accepts as literal text, and all of them in code. The site is built, served from
127.0.0.1 and every page is loaded in Chromium with tripwires: a dialog (``alert``), a global
(``window.__xss``), a request for ``/xss-ping-…``, and the DOM itself (event-handler attributes,
``javascript:`` addresses, frames). Pages are loaded with the Content-Security-Policy switched off,
so that escaping and sanitising alone must hold, and a sample with it on, as published.

Controls prove the tripwires work: a hand-written page in the served folder whose payloads run, and
a page with the site's own CSP whose unhashed inline script is blocked with a CSP console error.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import socketserver
import threading
from pathlib import Path

import pytest

from support import (DOM_FINDINGS, BrowserThread, Tripwire, in_browser_thread, make_project,
                     require_chromium)
from generator.engine import with_csp
from generator.mkdocs_glue import build_site
from generator.problems import Problems
from generator.render.article_markup import check_article_markup

pytestmark = pytest.mark.browser

# Each payload tries to run something that names it: XSSN becomes xss00, xss01, ...
PAYLOADS = [
    "<script>alert('XSSN')</script>",
    "<img src=x onerror=alert('XSSN')>",
    "<svg onload=alert('XSSN')>",
    "<svg><script>alert('XSSN')</script></svg>",
    "\"><script>window.__xss='XSSN'</script>",
    "'><img src=/xss-ping-XSSN onerror=window.__xss='XSSN'>",
    "</script><script>window.__xss='XSSN'</script>",
    "</title><script>window.__xss='XSSN'</script>",
    "</textarea></style></noscript><script>alert('XSSN')</script>",
    "\" onmouseover=\"window.__xss='XSSN'\" autofocus onfocus=\"window.__xss='XSSN'\" x=\"",
    "' onfocus='window.__xss=\"XSSN\"' autofocus x='",
    "javascript:alert('XSSN')",
    "JaVaScRiPt:alert('XSSN')",
    "java&#x09;script:alert('XSSN')",
    "&#106;avascript:alert('XSSN')",
    "[click](javascript:alert('XSSN'))",
    "[click](<javascript:alert('XSSN')>)",
    "![x](/xss-ping-XSSN.png){: onerror=\"alert('XSSN')\" }",
    "[x](https://xss.example.org/XSSN){: onclick=\"window.__xss='XSSN'\" }",
    "<iframe src=\"javascript:alert('XSSN')\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__xss='XSSN'</script>\"></iframe>",
    "<a href=\"data:text/html,<script>alert('XSSN')</script>\">x</a>",
    "<object data=\"javascript:alert('XSSN')\"></object>",
    "<details open ontoggle=alert('XSSN')>",
    "<body onload=alert('XSSN')>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('XSSN')>",
    "<!--<img src=\"--><img src=x onerror=alert('XSSN')//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('XSSN')\">",
    "<base href=\"javascript:alert('XSSN')//\">",
    "<form action=\"javascript:alert('XSSN')\"><button>x</button></form>",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }} XSSN",
    "{% raw %}{{ 7*7 }}{% endraw %} ${alert('XSSN')} #{alert('XSSN')}",
    "\uff1cscript\uff1ealert('XSSN')\uff1c/script\uff1e",
    "<\u017fcript>alert('XSSN')</\u017fcript>",
    "<img src=x onerror=\\u0061lert('XSSN')>",
    "\\u003cscript\\u003ealert('XSSN')\\u003c/script\\u003e",
    "%3Cscript%3Ealert('XSSN')%3C/script%3E",
    "<<script>script>alert('XSSN')<</script>/script>",
    "<a href=\"&#x6A;avascript:alert('XSSN')\">x</a>",
    "<style>@import '/xss-ping-XSSN.css';</style><link rel=stylesheet href=/xss-ping-XSSN.css>",
]
CORPUS = [p.replace("XSSN", f"xss{i:02d}") for i, p in enumerate(PAYLOADS)]
WITH_CHART = 10  # the first companies get a second valuation mark, hence a chart of their own
CHARTED = ("  - id: e2\n    date: 2024-06\n    kind: primary-round\n    round: {p}\n"
           "    amount_raised: USD 20 million\n    valuation: USD {v} billion\n"
           "    valuation_basis: post-money\n"
           "    status: confirmed\n    sources: [{sid}]\n")


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted string


def write_corpus(root: Path) -> list[str]:
    """One company, source, term, table and article per payload; returns the payloads that the
    article check accepts as literal article text."""
    literal = []
    for i, p in enumerate(CORPUS):
        sid, cid, tid, gid = f"xss-src-{i:02d}", f"xss-{i:02d}", f"xss-table-{i:02d}", \
            f"xss-term-{i:02d}"
        (root / f"data/sources/{sid}.yaml").write_text(
            f"id: {sid}\npublisher: {q(p)}\ntitle: {q(p)}\nurl: https://xss.example.org/{i}\n"
            f"published: 2024-01-0{1 + i % 9}\naccessed: 2024-02-01\nnote: {q(p)}\n"
            f"tier: outlet\nsyndicated_from: {q(p)}\n",
            encoding="utf-8")
        (root / f"data/companies/{cid}.yaml").write_text(
            f"id: {cid}\nname: {q(p)}\nkind: ai-lab\nlast_checked: 2024-02-01\nfounded: 2020\n"
            f"headquarters: {q(p)}\n"
            f"summary: {q(p)}\nevents:\n  - id: e1\n    date: 2024-01\n    kind: primary-round\n"
            f"    round: {q(p)}\n    amount_raised: USD 10 million\n"
            f"    valuation: USD {i + 1} billion\n    valuation_basis: post-money\n"
            "    investors:\n"
            f"      - name: {q(p)}\n        role: lead\n    status: reported\n"
            f"    sources: [{sid}]\n    note: {q(p)}\n" + (CHARTED.format(p=q(p), sid=sid, v=i + 2)
                                                         if i < WITH_CHART else ""),
            encoding="utf-8")
        (root / f"data/glossary/{gid}.yaml").write_text(
            f"id: {gid}\nterm: {q(p)}\ndefinition: {q(p)}\n", encoding="utf-8")
        (root / f"data/tables/{tid}.yaml").write_text(
            f"id: {tid}\ntitle: {q(p)}\ndescription: {q(p)}\ncolumns:\n"
            f"  - id: name\n    label: {q(p)}\n    type: text\n"
            f"  - id: n\n    label: {q(p + ' (n)')}\n    type: integer\n"
            f"rows:\n  - id: r1\n    label: {q(p)}\n    values: {{name: {q(p)}, n: 1}}\n"
            f"    status: confirmed\n    sources: [{sid}]\n    note: {q(p)}\n", encoding="utf-8")
        body = (f"# {{{{ company(\"{cid}\").name }}}}\n\n"
                f"{{{{ link(\"{cid}\") }}}} raised {{{{ fig(\"{cid}/e1/amount_raised\") }}}} in "
                f"{{{{ fig(\"{cid}/e1/round\") }}}}, at "
                f"{{{{ fig(\"{cid}/e1/valuation\") }}}}.\n\n"
                f"- {{{{ company(\"{cid}\").headquarters }}}}\n"
                f"- {{{{ company(\"{cid}\").summary }}}}\n"
                f"- {{{{ event(\"{cid}\", \"e1\").note }}}}\n"
                f"- {{{{ event(\"{cid}\", \"e1\").investors[0].name }}}}\n"
                f"- {{{{ term(\"{gid}\") }}}}\n"
                f"- {{{{ cell(\"{tid}\", \"r1\", \"name\") }}}}{{{{ cite(\"{sid}\") }}}}\n"
                f"- {{{{ page_link(\"companies/{cid}.md\", company(\"{cid}\").name) }}}}\n\n"
                f"{{{{ chart(\"valuation-{cid}\", optional=True) }}}}\n")
        (root / f"site_src/articles/{cid}.md").write_text(
            f"---\ntitle: {q(p)}\ndescription: {q(p)}\npublished: 2024-03-01\n---\n{body}",
            encoding="utf-8")
        probe = Problems()
        check_article_markup(p + "\n", "probe.md", 0, probe)
        if not probe.items and not re.search(r"\{[{%#]", p):
            literal.append(p)
    quotable = [p for p in CORPUS if "endraw" not in p]  # {% raw %} cannot hold its own end
    code = "\n".join(quotable)
    spans = "\n".join(f"- `{p}`" for p in quotable if "`" not in p)
    (root / "site_src/articles/xss-literal.md").write_text(
        "---\ntitle: Payloads as text\ndescription: Every payload the check accepts, as text and "
        "as code.\npublished: 2024-03-02\n---\n# Payloads as text\n\n" +
        "\n\n".join(literal) +
        f"\n\n{{% raw %}}\n{spans}\n\n```text\n{code}\n```\n{{% endraw %}}\n",
        encoding="utf-8")
    return literal


# ---------------------------------------------------------------------------------------------
# serving and the browser


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The corpus project, built, and served from http://127.0.0.1:PORT/."""
    base = tmp_path_factory.mktemp("xss")
    root = make_project(base / "proj")
    literal = write_corpus(root)
    assert len(literal) >= 5, literal  # the check lets a few of them through as plain text
    from generator.cli import run_check

    problems, pages = run_check(root)
    assert not problems.failed(strict=True), problems.report()
    assert build_site(root, Path("site")) == 0
    site = root / "site"
    (site / "control").mkdir()
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0),
                                            functools.partial(_Quiet, directory=str(site)))
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", site, literal
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def chromium():
    thread = BrowserThread(require_chromium())
    yield thread
    thread.close()


def pages_of(site: Path) -> list[str]:
    out = [p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html"))
           if not p.relative_to(site).as_posix().startswith("control/")]
    return [p[: -len("index.html")] if p.endswith("index.html") else p for p in out]


# ---------------------------------------------------------------------------------------------
# the tests


@in_browser_thread
def test_no_payload_runs_on_any_page_even_without_the_csp(chromium, hostile_site):
    base, site, _ = hostile_site
    pages = pages_of(site)
    assert len(pages) > 3 * len(CORPUS)  # companies, tables, articles and the rest
    tw = Tripwire(chromium, csp=False)
    ran = []
    try:
        for rel in pages:
            got = tw.visit(base + rel)
            assert got["status"] == 200, rel
            if got["global"] != "undefined" or got["dom"] or got["url"] != base + rel:
                ran.append((rel, got))
        assert ran == []
        assert tw.dialogs == []
        assert tw.pings == []
    finally:
        tw.close()


@in_browser_thread
def test_search_results_show_payloads_as_text(chromium, hostile_site):
    base, _, _ = hostile_site
    for csp in (False, True):
        tw = Tripwire(chromium, csp=csp)
        try:
            tw.visit(base)
            tw.page.keyboard.press("/")
            tw.page.keyboard.type("onerror", delay=20)  # in the titles of many pages
            tw.page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
            tw.page.wait_for_timeout(300)
            assert tw.page.locator(".md-search-result__item").count() >= 5
            assert tw.page.evaluate("String(window.__xss)") == "undefined"
            assert tw.page.evaluate(DOM_FINDINGS) == []
            assert tw.dialogs == [] and tw.pings == []
        finally:
            tw.close()


SAMPLE = ["", "companies/", "companies/xss-05/", "companies/xss-09/", "tables/xss-table-10/",
          "articles/xss-07/", "articles/xss-literal/", "sources/", "glossary/", "valuations/",
          "articles/"]


@in_browser_thread
def test_no_payload_runs_with_the_csp_as_published(chromium, hostile_site):
    base, _, _ = hostile_site
    tw = Tripwire(chromium, csp=True)
    try:
        for rel in SAMPLE:
            got = tw.visit(base + rel)
            assert got["status"] == 200 and got["global"] == "undefined" and got["dom"] == [], \
                (rel, got)
        assert tw.dialogs == [] and tw.pings == []
        # the site's own inline scripts are hashed in the policy even on these pages
        assert not [m for m in tw.console if "Content Security Policy" in m], tw.console
    finally:
        tw.close()


@in_browser_thread
def test_payloads_are_shown_as_text(chromium, hostile_site):
    """The payloads did not vanish: readers see them as written (the tripwires would be trivially
    quiet on pages that dropped them)."""
    base, _, literal = hostile_site
    tw = Tripwire(chromium, csp=True)
    try:
        for i in (1, 5, 9, 19, 25):
            p = CORPUS[i]
            tw.visit(base + f"companies/xss-{i:02d}/")
            assert tw.page.locator("h1").first.inner_text().rstrip("¶") == p
            assert p in tw.page.locator("article").inner_text()
            assert tw.page.title() == f"{p} - Frontier Ledger"
        tw.visit(base + "articles/xss-literal/")
        text = tw.page.locator("article").inner_text()
        for p in literal:
            assert " ".join(p.split()) in " ".join(text.split())
        for p in CORPUS:
            if "endraw" not in p:
                assert p in text  # in the code block
    finally:
        tw.close()


# -- controls: the tripwires fire when something does run, and the CSP blocks unhashed script


CONTROL = """<!doctype html><html><head><meta charset="utf-8"><title>control</title></head><body>
<p>control</p>
<img src="x" onerror="window.__xss='control-img'">
<script>alert('control-script')</script>
<img src="/xss-ping-control.png">
</body></html>"""


@in_browser_thread
def test_control_a_page_that_runs_its_payloads_trips_every_wire(chromium, hostile_site):
    base, site, _ = hostile_site
    (site / "control/runs.html").write_text(CONTROL, encoding="utf-8")
    tw = Tripwire(chromium, csp=True)
    try:
        got = tw.visit(base + "control/runs.html")
        assert got["global"] == "control-img"
        assert tw.dialogs == ["alert: control-script"]
        assert tw.pings and tw.pings[0].endswith("/xss-ping-control.png")
        assert "<img onerror>" in got["dom"]
    finally:
        tw.close()


def _site_csp(site: Path) -> str:
    html = (site / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">', html)
    assert m, "the built home page has no CSP meta tag"
    return m.group(0)


@in_browser_thread
def test_control_the_csp_blocks_inline_script_without_a_hash(chromium, hostile_site):
    base, site, _ = hostile_site
    # a page like the site's: its CSP lists the hash of the one script present when it was made
    page = with_csp("<!doctype html><html><head><meta charset=\"utf-8\"><title>csp</title>"
                    "</head><body><p>csp</p><script>window.__ok = 'hashed';</script></body></html>")
    assert "'sha256-" in page
    page = page.replace("</body>", "<script>window.__xss = 'unhashed'; alert('unhashed');</script>"
                                   "<img src=\"x\" onerror=\"window.__xss = 'handler'\"></body>")
    (site / "control/csp.html").write_text(page, encoding="utf-8")
    # and a page carrying the site's own policy, with an inline script it does not list
    own = ("<!doctype html><html><head>" + _site_csp(site) + "<title>own</title></head><body>"
           "<script>window.__xss = 'own-policy'</script></body></html>")
    (site / "control/own-csp.html").write_text(own, encoding="utf-8")
    tw = Tripwire(chromium, csp=True)
    try:
        got = tw.visit(base + "control/csp.html")
        assert tw.page.evaluate("window.__ok") == "hashed"  # the policy is in force, not broken
        assert got["global"] == "undefined"
        assert tw.dialogs == []
        csp_errors = [m for m in tw.console if "Content Security Policy" in m]
        assert len(csp_errors) >= 2, tw.console  # the script and the event handler
        tw.console.clear()
        got = tw.visit(base + "control/own-csp.html")
        assert got["global"] == "undefined"
        assert [m for m in tw.console if "Content Security Policy" in m], tw.console
    finally:
        tw.close()
    # the same page with the CSP switched off runs its script: the mode the corpus test uses
    tw = Tripwire(chromium, csp=False)
    try:
        assert tw.visit(base + "control/csp.html")["global"] in ("unhashed", "handler")
        assert tw.dialogs == ["alert: unhashed"]
    finally:
        tw.close()
