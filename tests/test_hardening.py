"""Hostile input, rows 31-38 of /work/shared/bad-inputs.md (injection), and links out of the tree.

Two kinds of answer, each a table:

* refused: the check prints the exact located report and exits 1, and a build of the same project
  returns 1 with the same report and leaves the ``site/`` built before it byte for byte as it was;
* shown as text (rows 32, 33, 35, 36: hostile text in data, which contributors may legitimately
  write): the check passes, the site builds, every payload is in the built page as literal text, and
  nothing in the output can run: no element or attribute that the payload asked for, no event
  handler, no ``javascript:``/``data:``/``vbscript:`` address, no script but the site's own.

The numbers in the case ids are the rows of bad-inputs.md. Rows 1-30 are in test_bad_inputs.py.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

import pytest

from support import REPO, make_project
from generator.render import site_src as site_src_module
from generator.engine import SANITIZE_EXTRA_ATTRIBUTES, with_csp
from generator.escape import sanitize
from generator.mkdocs_glue import build_site
from generator.problems import Problems
from support import (A, B, C, S1, S2, T, URL_EX, mkdocs_log, replace, set_text, steps,
                     tree_digest)

pytestmark = pytest.mark.build

Mutation = Callable[[Path], None]

ALLOWED_TAGS_MSG = "(allowed tags: abbr, br, details, kbd, mark, small, sub, summary, sup)"
LINK_MSG = "which is not allowed; links go to https:// addresses or to other pages of this site"
ATTR_LIST_MSG = "is not allowed; attribute lists in articles may set only .classes and #ids"
LINK = "is a symbolic link; links are never followed"


# ---------------------------------------------------------------------------------------------
# helpers: mutations, the built site, what "inert" means


def art(snippet: str) -> Mutation:
    """Append lines to the mini project's article; the snippet's first line is line 12."""
    def run(root: Path) -> None:
        p = root / A
        p.write_text(p.read_text(encoding="utf-8") + "\n" + snippet + "\n", encoding="utf-8")
    return run


SCRIPT_TYPES_DATA = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster",
                  "background", "srcset", "ping", "codebase", "cite", "longdesc", "manifest"}
FORBIDDEN_ELEMENTS = {"img", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
                      "foreignobject", "portal", "svg:script", "set", "animate", "handler",
                      "marquee", "isindex", "xmp", "listing", "plaintext", "noembed"}


def _bad_scheme(value: str) -> bool:
    v = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
    return v.startswith(("javascript:", "vbscript:", "data:", "livescript:", "mocha:"))


class Page(HTMLParser):
    """What a built page (or SVG) holds: its text, its scripts, and anything that could run."""

    def __init__(self, text: str, *, svg: bool = False, allowed: frozenset[str] = frozenset()):
        super().__init__(convert_charrefs=True)
        self.svg = svg
        self.allowed = allowed
        self.chunks: list[str] = []
        self.inline_scripts: list[str] = []
        self.findings: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self._in: list[str] = []  # open script/style
        self._script_kind = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=...>: an event handler")
            if value is not None and (name in URL_ATTRIBUTES or name.endswith(":href")) and \
                    _bad_scheme(value):
                self.findings.append(f"<{tag} {name}={value!r}>: an unsafe address")
            if name == "srcdoc":
                self.findings.append(f"<{tag} srcdoc>: an inline document")
            if name == "style" and re.search(r"expression\(|javascript:|url\(", value or "", re.I):
                self.findings.append(f"<{tag} style={value!r}>: active style")
        if tag in FORBIDDEN_ELEMENTS and tag not in self.allowed:
            self.findings.append(f"<{tag}>: an element that loads or runs something")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.findings.append("<meta http-equiv=refresh>")
        if tag == "script":
            if self.svg:
                self.findings.append("<script> in an SVG")
            self._script_kind = "data" if (a.get("type") or "") in SCRIPT_TYPES_DATA else \
                "src" if a.get("src") else "inline"
            if self._script_kind == "src" and (re.match(r"[a-z]+:|//", a["src"] or "") or
                                               "assets/javascripts/" not in a["src"]):
                self.findings.append(f"<script src={a['src']!r}>: not one of the site's scripts")
        if tag in ("script", "style"):
            self._in.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._in.pop()

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "script":
            if self._script_kind == "inline":
                self.inline_scripts.append(data)
            elif self._script_kind == "data" and "<" in data:
                self.findings.append("a JSON script block holding '<'")
            return
        if self._in:
            return
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())

    def attr_values(self, tag: str, name: str) -> list[str]:
        return [a[name] or "" for t, a in self.elements if t == tag and name in a]


def squash(text: str) -> str:
    return " ".join(text.split())


def unsafe_output(site: Path, own_scripts: set[str], *, allowed: frozenset[str] = frozenset()
                  ) -> list[str]:
    """Everything in a built site that could run, by file: an empty list for a safe site.
    ``allowed``: elements to accept after all (the sanitiser keeps a plain <img>)."""
    out = []
    for p in sorted(site.rglob("*")):
        if p.suffix not in (".html", ".svg") or not p.is_file():
            continue
        page = Page(p.read_text(encoding="utf-8"), svg=p.suffix == ".svg", allowed=allowed)
        rel = p.relative_to(site).as_posix()
        out += [f"{rel}: {f}" for f in page.findings]
        out += [f"{rel}: an inline script the site does not have: {s[:80]!r}"
                for s in page.inline_scripts if s not in own_scripts]
    return out


def own_inline_scripts(site: Path) -> set[str]:
    return {s for p in site.rglob("*.html") for s in Page(p.read_text(encoding="utf-8"))
            .inline_scripts}


# ---------------------------------------------------------------------------------------------
# fixtures: the mini project built once; each case works on a copy of it, site/ included


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("hardening") / "proj")
    assert build_site(root, Path("site")) == 0
    return root


@pytest.fixture(scope="module")
def own_scripts(built_once) -> set[str]:
    scripts = own_inline_scripts(built_once / "site")
    assert scripts, "the theme's own inline scripts were expected"
    return scripts


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(built_once, root, symlinks=True)
    return root


def test_the_built_mini_site_is_inert(built_once, own_scripts):
    assert unsafe_output(built_once / "site", own_scripts) == []


# ---------------------------------------------------------------------------------------------
# refused: exact report, exit 1, and the site built before is left as it was


@dataclass
class Refused:
    id: str
    mutate: Mutation
    expected: list[str]
    count: str = "1 error in 1 file"
    xfail: str = ""  # a known gap: the reason, for a strict xfail


def refused(id: str, mutate: Mutation, *expected: str, count: str = "1 error in 1 file",
            xfail: str = "") -> Refused:
    return Refused(id, mutate, list(expected), count, xfail)


def url_case(id: str, rel: str, old: str, key: str, value: str, message: str, at: str) -> Refused:
    return refused(id, set_text(rel, old, key, value), f"{rel}:{at}: {key}: {value!r} {message}")


S1_URL = "url: https://acme.example.org/news/series-a"
C_SITE = "website: https://acme.example.com"


def art_error(line: int, message: str) -> str:
    return f"{A}:{line}: {message}"


def no_files(tag: str) -> str:
    return art_error(12, f"{{% {tag} %}} is not available in a page: a page cannot use other files")


def raw_html(tag: str, line: int = 12) -> str:
    return art_error(line, f"raw HTML <{tag}> is not allowed in articles; write Markdown "
                           f"{ALLOWED_TAGS_MSG}")


def bad_link(url: str, scheme: str, line: int = 12) -> str:
    return art_error(line, f"link address '{url}' uses {scheme}, {LINK_MSG}")


def unsafe(what: str, line: int = 12) -> str:
    return art_error(line, f"not allowed in a page: access to attribute {what} is unsafe.")


REFUSED = [
    # -- 31: javascript:, data:, vbscript: addresses, any case or spacing, in data ----------------
    url_case("31-data-url-javascript-mixed-case", S1, S1_URL, "url", "JavaScript:alert(1)",
             f"uses javascript:; {URL_EX}", "4:6"),
    url_case("31-data-url-javascript-upper-case", S1, S1_URL, "url", "JAVASCRIPT:alert(1)",
             f"uses javascript:; {URL_EX}", "4:6"),
    url_case("31-data-url-javascript-leading-space", S1, S1_URL, "url", " javascript:alert(1)",
             "contains spaces or characters that are not allowed in a web address; "
             "percent-encode them", "4:6"),
    url_case("31-data-url-javascript-tab-inside", S1, S1_URL, "url", "java\tscript:alert(1)",
             "contains spaces or characters that are not allowed in a web address; "
             "percent-encode them", "4:6"),
    url_case("31-data-url-javascript-newline-inside", S1, S1_URL, "url", "java\nscript:alert(1)",
             "contains spaces or characters that are not allowed in a web address; "
             "percent-encode them", "4:6"),
    url_case("31-data-url-javascript-entity", S1, S1_URL, "url", "&#106;avascript:alert(1)",
             f"uses no scheme; {URL_EX}", "4:6"),
    url_case("31-data-url-javascript-colon-entity", S1, S1_URL, "url",
             "javascript&colon;alert(1)", f"uses no scheme; {URL_EX}", "4:6"),
    url_case("31-data-url-data-base64", S1, S1_URL, "url",
             "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
             f"uses data:; {URL_EX}", "4:6"),
    url_case("31-data-url-vbscript", S1, S1_URL, "url", "VBScript:MsgBox(1)",
             f"uses vbscript:; {URL_EX}", "4:6"),
    url_case("31-data-url-https-with-quote-breakout", S1, S1_URL, "url",
             'https://acme.example.org/"onmouseover="alert(1)',
             "contains spaces or characters that are not allowed in a web address; "
             "percent-encode them", "4:6"),
    url_case("31-data-website-javascript", C, C_SITE, "website", "jAvAsCrIpT:alert(1)",
             f"uses javascript:; {URL_EX}", "6:10"),
    url_case("31-data-website-data-with-script", C, C_SITE, "website",
             "DATA:text/html,<script>alert(1)</script>",
             "contains spaces or characters that are not allowed in a web address; "
             "percent-encode them", "6:10"),
    url_case("31-data-website-fullwidth-letter", C, C_SITE, "website", "\uff4aavascript:alert(1)",
             "contains spaces or characters that are not allowed in a web address; "
             "percent-encode them", "6:10"),
    # -- 31: ... and in articles --------------------------------------------------------------
    refused("31-article-link-upper-case", art("[x](JAVASCRIPT:alert(1))"),
            bad_link("JAVASCRIPT:alert(1)", "javascript:")),
    refused("31-article-link-leading-spaces", art("[x](   javascript:alert(1))"),
            bad_link("javascript:alert(1)", "javascript:")),
    refused("31-article-link-in-angle-brackets", art("[x](<javascript:alert(1)>)"),
            bad_link("javascript:alert(1)", "javascript:")),
    refused("31-article-link-decimal-entity", art("[x](&#106;avascript:alert(1))"),
            bad_link("&#106;avascript:alert(1)", "javascript:")),
    refused("31-article-link-colon-entity", art("[x](javascript&colon;alert(1))"),
            bad_link("javascript&colon;alert(1)", "javascript:")),
    refused("31-article-link-hex-entities", art("[x](&#x6A;avascript&#x3A;alert(1))"),
            bad_link("&#x6A;avascript&#x3A;alert(1)", "javascript:")),
    refused("31-article-link-entity-tab", art("[x](java&#9;script:alert(1))"),
            bad_link("java&#9;script:alert(1)", "javascript:")),
    refused("31-article-link-zero-padded-entity", art("[x](&#0000106avascript:alert(1))"),
            bad_link("&#0000106avascript:alert(1)", "javascript:")),
    refused("31-article-link-data", art("[x](DATA:text/html;base64,PHNjcmlwdD4=)"),
            bad_link("DATA:text/html;base64,PHNjcmlwdD4=", "data:")),
    refused("31-article-link-vbscript", art("[x](VbScRiPt:msgbox(1))"),
            bad_link("VbScRiPt:msgbox(1)", "vbscript:")),
    refused("31-article-reference-definition", art("[x][r]\n\n[r]: JavaScript:alert(1)"),
            bad_link("JavaScript:alert(1)", "javascript:", line=14)),
    refused("31-article-autolink", art("<VBSCRIPT:msgbox(1)>"),
            bad_link("VBSCRIPT:msgbox(1)", "vbscript:")),
    refused("31-article-image", art("![x](javascript:alert(1))"),
            bad_link("javascript:alert(1)", "javascript:")),
    refused("31-article-href-through-attribute-list",
            art('[x](https://a.example.org){: href="javascript:alert(1)" }'),
            art_error(12, f"attribute list entry 'href=\"javascript:alert(1)\"' {ATTR_LIST_MSG}")),
    refused("31-article-control-character-in-scheme", art("[x](\x01javascript:alert(1))"),
            f"{A}:12:5: invisible or control character U+0001 (control character) is not "
            "allowed; delete it"),

    # -- 32: HTML where only plain text goes, and the field refuses it -----------------------------
    refused("32-html-in-an-id", replace(C, "  - id: series-b", "  - id: '<img src=x>'"),
            f"{C}:22:9: events[1].id: '<img src=x>' is not a valid id; use lower-case letters "
            "a-z, digits and single hyphens, such as 'series-h'"),
    refused("32-html-in-a-status",
            replace(C, "    status: reported", "    status: <b>reported</b>"),
            f"{C}:30:13: events[1].status: '<b>reported</b>' is not allowed, expected one of "
            "confirmed, reported, rumored, unverified; did you mean 'reported'?"),

    # -- 34: raw HTML, event handlers, iframe/style, also through Markdown extensions ------------
    refused("34-script", art("<script>alert(1)</script>"), raw_html("script")),
    refused("34-script-with-spaces", art("< script >alert(1)</script>"), raw_html("script")),
    refused("34-iframe", art('<iframe src="https://x.example.org"></iframe>'), raw_html("iframe")),
    refused("34-style", art("<style>body{display:none}</style>"), raw_html("style")),
    refused("34-img-upper-case", art("<IMG SRC=x ONERROR=alert(1)>"), raw_html("img")),
    refused("34-svg-onload", art("<svg onload=alert(1)>"), raw_html("svg")),
    refused("34-raw-link", art('<a href="javascript:alert(1)">x</a>'), raw_html("a")),
    refused("34-object", art('<object data="javascript:alert(1)"></object>'), raw_html("object")),
    refused("34-meta-refresh", art('<meta http-equiv="refresh" content="0;url=javascript:x">'),
            raw_html("meta")),
    refused("34-base", art('<base href="https://evil.example.org/">'), raw_html("base")),
    refused("34-nested-tag-trick", art("<scr<script>ipt>alert(1)</script>"),
            raw_html("scr"), raw_html("script"), count="2 errors in 1 file"),
    refused("34-script-in-html-comment", art("<!-- <script>alert(1)</script> -->"),
            raw_html("script")),
    refused("34-script-in-cdata", art("<![CDATA[<script>alert(1)</script>]]>"),
            raw_html("script")),
    refused("34-html-in-admonition-title", art('!!! note "<img src=x onerror=alert(1)>"\n    text'),
            raw_html("img")),
    refused("34-html-in-definition-list", art("Term\n: <img src=x onerror=alert(1)>"),
            raw_html("img", line=13)),
    refused("34-event-handler-on-allowed-tag",
            art('<abbr title="x" onmouseover="alert(1)">AI</abbr>'),
            art_error(12, "attribute 'onmouseover' is not allowed on <abbr> in articles")),
    refused("34-event-handler-after-slash", art("<abbr/onmouseover=alert(1)>x</abbr>"),
            art_error(12, "attribute 'onmouseover' is not allowed on <abbr> in articles")),
    refused("34-event-handler-on-br", art("<br/onload=alert(1)>"),
            art_error(12, "attribute 'onload' is not allowed on <br> in articles")),
    refused("34-style-attribute", art('<abbr title="x" style="background:url(x)">AI</abbr>'),
            art_error(12, "attribute 'style' is not allowed on <abbr> in articles")),
    refused("34-ontoggle-on-details",
            art('<details markdown="1" ontoggle="alert(1)">\n<summary>x</summary>\ny\n</details>'),
            art_error(12, "attribute 'ontoggle' is not allowed on <details> in articles")),
    refused("34-attribute-list-event-handler", art('A paragraph.\n{: onclick="alert(1)" }'),
            art_error(13, f"attribute list entry 'onclick=\"alert(1)\"' {ATTR_LIST_MSG}")),
    refused("34-attribute-list-on-heading", art('## Heading {: onmouseover="alert(1)" }'),
            art_error(12, f"attribute list entry 'onmouseover=\"alert(1)\"' {ATTR_LIST_MSG}")),
    refused("34-attribute-list-without-colon", art("## Heading { #id onclick=alert(1) }"),
            art_error(12, f"attribute list entry 'onclick=alert(1)' {ATTR_LIST_MSG}")),
    refused("34-attribute-list-on-link", art('[x](https://a.example.org){: onclick="alert(1)" }'),
            art_error(12, f"attribute list entry 'onclick=\"alert(1)\"' {ATTR_LIST_MSG}")),
    refused("34-attribute-list-style", art('A paragraph.\n{: style="color:red" }'),
            art_error(13, f"attribute list entry 'style=\"color:red\"' {ATTR_LIST_MSG}")),

    # -- 35: hostile page metadata that the front matter refuses --------------------------------
    refused("35-title-on-two-lines",
            replace(A, "title: A first article", 'title: "</title>\\n<script>alert(1)</script>"'),
            f"{A}:2:8: title: must be a single line; remove the line breaks"),
    refused("35-unknown-front-matter-key",
            replace(A, "published: 2026-11-20",
                    "published: 2026-11-20\nextra_head: <script>x</script>"),
            f"{A}:5:1: extra_head: unknown field 'extra_head' (known fields: title, description, "
            "published, updated, hide_toc, lead)"),
    refused("35-bidi-override-in-title-escape",
            replace(A, "title: A first article", 'title: "A first \\u202earticle"'),
            f"{A}:2:8: invisible or control character U+202E (right-to-left override), written "
            "as an escape sequence, is not allowed; delete it"),

    # -- 37: template code reaching Python internals, files or the environment -----------------
    refused("37-class-mro-subclasses", art("{{ ''.__class__.__mro__[1].__subclasses__() }}"),
            unsafe("'__class__' of 'str' object")),
    refused("37-function-globals", art("{{ fig.__globals__ }}"),
            unsafe("'__globals__' of 'method' object")),
    refused("37-bound-method-self", art("{{ fig.__self__.ds.root }}"),
            unsafe("'__self__' of 'method' object")),
    refused("37-cycler-to-os-popen", art("{{ cycler.__init__.__globals__.os.popen('id').read() }}"),
            unsafe("'__init__' of 'type' object")),
    refused("37-lipsum-globals-environ", art("{{ lipsum.__globals__['os'].environ }}"),
            unsafe("'__globals__' of 'function' object")),
    refused("37-template-reference-context", art("{{ self._TemplateReference__context }}"),
            unsafe("'_TemplateReference__context' of 'TemplateReference' object")),
    refused("37-loop-over-subclasses",
            art("{% for c in ''.__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}"),
            unsafe("'__class__' of 'str' object")),
    refused("37-format-string-attribute", art("{{ '{0.__class__}'.format(fig) }}"),
            unsafe("'__class__' of 'method' object")),
    refused("37-attr-filter", art("{{ fig|attr('__globals__') }}"),
            unsafe("'__globals__' of 'method' object")),
    refused("37-mutating-a-list", art("{% set l = [] %}{{ l.append(1) }}"),
            unsafe("'append' of 'list' object")),
    refused("37-environment-variable", art("{{ environ }}"),
            art_error(12, "'environ' is undefined; check the spelling, or see CONTRIBUTING.md for "
                          "the names articles can use")),
    refused("37-os-module", art("{{ os.environ }}"),
            art_error(12, "'os' is undefined; check the spelling, or see CONTRIBUTING.md for the "
                          "names articles can use")),
    refused("37-the-dataset", art("{{ ds.root.read_text() }}"),
            art_error(12, "'ds' is undefined; check the spelling, or see CONTRIBUTING.md for the "
                          "names articles can use")),
    refused("37-huge-range", art("{{ range(10000000)|list|length }}"),
            art_error(12, "template error: Range too big. The sandbox blocks ranges larger than "
                          "MAX_RANGE (100000).")),

    # -- 38: include or snippet directives reading files outside the content -------------------
    refused("38-snippet", art('--8<-- "../../.git/config"'),
            art_error(12, "snippet includes are not enabled; pages cannot include files")),
    refused("38-snippet-escaped-form", art(';--8<-- "../../.git/config"'),
            art_error(12, "snippet includes are not enabled; pages cannot include files")),
    refused("38-snippet-block", art('--8<--\n../../.git/config\n--8<--'),
            art_error(12, "snippet includes are not enabled; pages cannot include files"),
            art_error(14, "snippet includes are not enabled; pages cannot include files"),
            count="2 errors in 1 file"),
    refused("38-jinja-include-absolute", art('{% include "/etc/passwd" %}'),
            no_files("include")),
    refused("38-jinja-include-relative", art('{% include "../../.git/config" %}'),
            no_files("include")),
    refused("38-jinja-import-a-template", art('{% import "../../templates/company.md.j2" as x %}'),
            no_files("import")),
    refused("38-jinja-extends", art('{% extends "/etc/hostname" %}'),
            no_files("extends")),
    refused("38-jinja-from-import", art('{% from "../../mkdocs.yml" import x %}'),
            no_files("from")),
]


def test_refused_case_ids_are_unique():
    ids = [c.id for c in REFUSED]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail
                 else []) for c in REFUSED])
def test_refused_with_the_exact_report_and_the_site_left_as_it_was(case: Refused, built: Path,
                                                                    check, capsys):
    before = tree_digest(built / "site")
    case.mutate(built)
    run = check(built)
    assert "Traceback" not in run.text
    assert run.code == 1
    assert run.out == ""
    assert run.lines == [*case.expected, case.count]
    capsys.readouterr()
    assert build_site(built, Path("site")) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines() == [*case.expected, case.count,
                                "build stopped; site/ was left as it was"]
    assert tree_digest(built / "site") == before
    assert not list(built.glob(".site.*")), "temporary build folders left behind"


# ---------------------------------------------------------------------------------------------
# shown as text: hostile text in data builds, appears literally, and nothing of it runs


@dataclass
class Shown:
    id: str
    mutate: Mutation
    # built page → texts that must appear in it literally (as text, whitespace aside)
    texts: dict[str, list[str]]
    # built page → (tag, attribute, exact value) that must be present, e.g. the page's description
    attributes: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    # built file → texts that must appear in its raw bytes (downloads, chart specs)
    files: dict[str, list[str]] = field(default_factory=dict)


ACME = "companies/acme-ai/index.html"
BIGCLOUD = "companies/bigcloud/index.html"
SOURCES = "sources/index.html"
CHIPS = "tables/chips/index.html"
GLOSSARY = "glossary/index.html"
ARTICLE = "articles/first/index.html"
ARTICLES = "articles/index.html"
COMPANIES = "companies/index.html"

P32 = {
    "name": "<img src=x onerror=alert(32)>",
    "hq": "<script>alert('hq')</script>",
    "summary": "<svg onload=alert(1)> and <iframe src=javascript:alert(1)></iframe>",
    "round": "<b onmouseover=alert(1)>A</b>",
    "note": '<a href="javascript:alert(1)">click</a>',
    "investor": "<details open ontoggle=alert(1)>",
    "publisher": "<style>body{display:none}</style>",
    "title": "</a><script>alert(1)</script>",
    "source-note": "<object data=javascript:alert(1)></object>",
    "table-title": '<iframe srcdoc="<script>alert(1)</script>">',
    "table-description": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "column": "<img src=x onerror=alert(2)>",
    "row": "<body onload=alert(1)>",
    "cell": "<marquee onstart=alert(1)>X1</marquee>",
    "term": "<u onclick=alert(1)>Post-money valuation</u>",
    "definition": "<input autofocus onfocus=alert(1)> <meta http-equiv=refresh content=0>",
}
P33 = {
    "name": "[x](javascript:alert(1))",
    "hq": "| a | b |",
    "summary": "# not a heading",
    "round": "*not emphasis* _nor this_ **nor this** `nor code`",
    "note": '{: onclick="alert(1)" } {{ 7*7 }} {% raw %} ${7*7}',
    "investor": "![img](https://evil.example.org/x.png)",
    "publisher": "<https://evil.example.org>",
    "title": "[link](https://evil.example.org)",
    "table-description": "- a list item\n- another\n\n> a quote",
    "column": "`code`",
    "row": "---|---",
    "cell": "a | b",
    "term": "!!! note",
    "definition": "Term\n: not a definition list\n\n    not code",
}


def fill(p: dict[str, str]) -> Mutation:
    """Put each payload in its field of the mini project."""
    ms = [
        set_text(C, "name: Acme AI", "name", p["name"]),
        set_text(C, "headquarters: Springfield, US", "headquarters", p["hq"]),
        set_text(C, "summary: A fictional AI lab used by the tests.", "summary", p["summary"]),
        set_text(C, "    round: Series A", "round", p["round"]),
        set_text(C, "    note: Reported by one outlet.", "note", p["note"]),
        set_text(C, "      - name: Angel Fund", "- name", p["investor"]),
        set_text(S1, "publisher: Acme AI", "publisher", p["publisher"]),
        set_text(S1, "title: Acme AI raises its Series A", "title", p["title"]),
        set_text(T, "description: A small table used by the tests.", "description",
                 p["table-description"]),
        set_text(T, "    label: Maximum power", "label", p["column"]),
        replace(T, "    label: X1\n", f"    label: {json.dumps(p['row'])}\n"
                   f"    note: {json.dumps('Note on ' + p['row'])}\n"),
        replace(T, "{chip: X1,", "{chip: " + json.dumps(p["cell"]) + ","),
        set_text("data/glossary/post-money-valuation.yaml", "term: Post-money valuation", "term",
                 p["term"]),
        set_text("data/glossary/post-money-valuation.yaml", "definition: The value of a company "
                 "implied by a funding round, counting the new money.", "definition",
                 p["definition"]),
    ]
    if "source-note" in p:
        ms.append(set_text(S2, "note: Address cited by another document; the page itself was not "
                               "read.", "note", p["source-note"]))
    if "table-title" in p:
        ms.append(set_text(T, "title: Two chips compared", "title", p["table-title"]))
    return steps(*ms)


def texts_of(p: dict[str, str]) -> dict[str, list[str]]:
    sq = {k: squash(v) for k, v in p.items()}
    out = {
        ACME: [sq["name"], sq["hq"], sq["summary"], sq["round"], sq["note"], sq["investor"]],
        SOURCES: [sq["publisher"], sq["title"]] + ([sq["source-note"]] if "source-note" in p
                                                    else []),
        CHIPS: [sq["table-description"], sq["column"], sq["row"], sq["cell"]] +
        ([sq["table-title"]] if "table-title" in p else []),
        GLOSSARY: [sq["term"], sq["definition"]],
        COMPANIES: [sq["name"]],
        BIGCLOUD: [sq["name"]],
        ARTICLE: [sq["name"]],
    }
    return out


# Row 35: what the page's head says about it (title, description, sharing cards)
P35_NAME = "\"Acme\" </title><script>alert(35)</script> & 'co'"
P35_SUMMARY = ("\" onload=\"alert(1)\" x=' <meta http-equiv=\"refresh\" "
               "content=\"0;url=javascript:x\">")
P35_TITLE = "</title><script>alert(35)</script> & \"quotes\" 'too' <!--"
P35_DESCRIPTION = "\"><script>alert(1)</script><meta name=\"x\" content=\""
P35_TABLE = "' onmouseover='alert(1)' \"><img src=x onerror=alert(1)>"


def head(title: str, description: str) -> list[tuple[str, str, str]]:
    return [("meta", "name=description", description),
            ("meta", "property=og:title", title), ("meta", "property=og:description", description),
            ("meta", "name=twitter:title", title),
            ("meta", "name=twitter:description", description)]


# Row 36: text that would break out of an embedded chart or into a chart expression
P36_NAME = "</script><script>alert(36)</script>"
P36_INVESTOR = "\"}]}); alert(1); //"
P36_BIGCLOUD = "datum.x || alert(1) ${7*7}"
P36_ROUND = "'+alert(1)+'"

SHOWN = [
    Shown("32-html-and-script-in-every-kind-of-text-field", fill(P32), texts_of(P32)),
    Shown("33-markdown-in-every-kind-of-text-field", fill(P33), texts_of(P33)),
    Shown("35-hostile-page-metadata",
          steps(set_text(C, "name: Acme AI", "name", P35_NAME),
                set_text(C, "summary: A fictional AI lab used by the tests.", "summary",
                         P35_SUMMARY),
                set_text(T, "title: Two chips compared", "title", P35_TABLE),
                set_text(A, "title: A first article", "title", P35_TITLE),
                set_text(A, "description: An article that uses data-bound figures.",
                         "description", P35_DESCRIPTION)),
          {ACME: [f"{P35_NAME} - Frontier Ledger", P35_SUMMARY],
           CHIPS: [f"{P35_TABLE} - Frontier Ledger"],
           ARTICLE: [f"{P35_TITLE} - Frontier Ledger"],
           ARTICLES: [P35_TITLE, P35_DESCRIPTION]},
          attributes={ACME: head(P35_NAME, P35_SUMMARY), ARTICLE: head(P35_TITLE, P35_DESCRIPTION),
                      CHIPS: [("meta", "property=og:title", P35_TABLE)]}),
    Shown("36-chart-breakout-and-expressions",
          steps(set_text(C, "name: Acme AI", "name", P36_NAME),
                set_text(C, "      - name: Angel Fund", "- name", P36_INVESTOR),
                set_text(B, "name: BigCloud", "name", P36_BIGCLOUD),
                set_text(C, "    round: Series B", "round", P36_ROUND)),
          {ACME: [P36_NAME, P36_INVESTOR, P36_ROUND], BIGCLOUD: [P36_BIGCLOUD],
           "valuations/index.html": [P36_NAME]},
          files={"charts/valuation-acme-ai.vl.json": [P36_NAME],
                 "charts/latest-valuations.vl.json": [P36_NAME],
                 "charts/who-funds-whom.vl.json": [P36_BIGCLOUD]}),
]


def test_shown_case_ids_are_unique():
    ids = [c.id for c in SHOWN]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", SHOWN, ids=lambda c: c.id)
def test_hostile_text_is_shown_as_text_and_nothing_runs(case: Shown, built: Path, check,
                                                       own_scripts):
    case.mutate(built)
    run = check(built)
    assert run.code == 0, run.text
    assert build_site(built, Path("site")) == 0
    site = built / "site"
    for rel, texts in case.texts.items():
        page = Page((site / rel).read_text(encoding="utf-8"))
        for text in texts:
            assert text in page.text, f"{rel}: {text!r} is not shown as text"
    for rel, attrs in case.attributes.items():
        page = Page((site / rel).read_text(encoding="utf-8"))
        for tag, selector, value in attrs:
            key, _, want = selector.partition("=")
            values = [a.get("content") for t, a in page.elements if t == tag and a.get(key) == want]
            assert values == [value], f"{rel}: <{tag} {selector}> holds {values!r}"
    for rel, snippets in case.files.items():
        strings = list(_strings(json.loads((site / rel).read_text(encoding="utf-8"))))
        for s in snippets:
            assert any(s in v for v in strings), f"{rel} does not hold {s!r}"
    assert unsafe_output(site, own_scripts) == []
    # nothing that came from data became a link to another host or a heading of its own
    for p in site.rglob("*.html"):
        page = Page(p.read_text(encoding="utf-8"))
        assert not [u for u in page.attr_values("a", "href") + page.attr_values("img", "src")
                    if "evil.example.org" in u], p
        assert len([t for t, _ in page.elements if t == "h1"]) <= 1, p


def _strings(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)
    elif isinstance(node, str):
        yield node


def _row_widths(html: str) -> list[int]:
    m = re.search(r"<table\b[^>]*>(.*?)</table>", html, re.S)
    body = m.group(1) if m else ""
    return [len(re.findall(r"<t[hd][\s>]", row)) for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body,
                                                                      re.S)]


def test_a_pipe_in_a_table_cell_does_not_change_the_tables_shape(built: Path):
    """Row 33: a '|' in a cell, a label or a description keeps every row of the table as wide
    as its header."""
    fill(P33)(built)
    assert build_site(built, Path("site")) == 0
    widths = _row_widths((built / "site" / CHIPS).read_text(encoding="utf-8"))
    assert len(widths) == 3 and set(widths) == {5}, widths


def test_chart_specs_carry_data_text_only_as_values(built: Path):
    """Row 36: text from data is never part of a Vega expression, sort, domain or formula."""
    steps(set_text(C, "name: Acme AI", "name", P36_NAME),
          set_text(B, "name: BigCloud", "name", P36_BIGCLOUD),
          set_text(C, "    round: Series B", "round", P36_ROUND))(built)
    assert build_site(built, Path("site")) == 0
    specs = sorted((built / "site/charts").glob("*.vl.json"))
    assert specs
    expressive = {"expr", "calculate", "filter", "test", "signal", "labelExpr", "update", "sort",
                  "domain", "field", "as", "title"}
    for spec in specs:
        data = json.loads(spec.read_text(encoding="utf-8"))

        def walk(node, key=""):
            if isinstance(node, dict):
                for k, v in node.items():
                    if k in ("values", "description") and key in ("data", "") or k == "datasets":
                        continue  # data values (and the plain description) may hold any text
                    yield from walk(v, k)
            elif isinstance(node, list):
                for v in node:
                    yield from walk(v, key)
            elif isinstance(node, str) and key in expressive:
                yield key, node

        for key, value in walk(data):
            for payload in (P36_NAME, P36_BIGCLOUD, P36_ROUND, "alert("):
                assert payload not in value, f"{spec.name}: {key!r} holds {value!r}"


# ---------------------------------------------------------------------------------------------
# row 31/34, defence in depth: what the check lets through, or would miss, is inert in the output


@pytest.mark.parametrize("snippet", ["[y](java\nscript:alert(1))", "[y](java\tscript:alert(1))"],
                         ids=["newline", "tab"])
def test_white_space_inside_a_link_scheme_is_refused_by_the_check(project: Path, check, snippet):
    art(snippet)(project)
    assert check(project).code == 1


def test_a_link_scheme_split_by_a_line_break_is_removed_from_the_output(built: Path, own_scripts,
                                                                        monkeypatch):
    # the check refuses it; with the check switched off, the sanitiser must still drop it
    monkeypatch.setattr(site_src_module, "check_article_markup", lambda *a, **k: None)
    art("[y](java\nscript:alert(1))\n\n[z](https://a.example.org \"javascript:alert(1)\")")(built)
    assert build_site(built, Path("site")) == 0
    html = (built / "site" / ARTICLE).read_text(encoding="utf-8")
    assert "<p><a>y</a></p>" in html  # the link's address is dropped by the sanitiser
    assert unsafe_output(built / "site", own_scripts) == []


HOSTILE_ARTICLE = """
<script>window.__xss = 1</script>
<img src=x onerror=alert(1)>
<iframe src="javascript:alert(1)"></iframe>
<style>body { display: none }</style>
<svg onload=alert(1)><circle r=1 /></svg>
<a href="javascript:alert(1)">a</a> <a href="data:text/html,x">b</a> <a href="vbscript:x">c</a>
<abbr title="x" onmouseover="alert(1)">AI</abbr>
<details open ontoggle=alert(1)><summary>s</summary>d</details>
<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">
<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>
<meta http-equiv="refresh" content="0;url=javascript:alert(1)">
<base href="https://evil.example.org/">
<?php echo 1; ?>

A paragraph.
{: onclick="alert(1)" style="background:url(javascript:alert(1))" }

[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) ![z](javascript:alert(1))

<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>
"""


def test_what_the_check_refuses_is_stripped_from_the_output_anyway(built: Path, own_scripts,
                                                                   monkeypatch):
    """Row 34: with the article check switched off, the sanitiser alone keeps the page inert."""
    monkeypatch.setattr(site_src_module, "check_article_markup", lambda *a, **k: None)
    art(HOSTILE_ARTICLE)(built)
    assert build_site(built, Path("site")) == 0
    html = (built / "site" / ARTICLE).read_text(encoding="utf-8")
    assert "A paragraph." in html
    # nh3 keeps <img> (Markdown images), without its event handlers
    assert unsafe_output(built / "site", own_scripts, allowed=frozenset({"img"})) == []
    assert "evil.example.org" not in html


@pytest.mark.parametrize("html, kept", [
    ('<p onclick="alert(1)">x</p>', "<p>x</p>"),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>"),
    ('<img src="data:image/svg+xml,<svg onload=alert(1)>">', "<img>"),
    ("<script>alert(1)</script>x", "x"),
    ("<iframe srcdoc='<script>alert(1)</script>'></iframe>x", "x"),
    ("<style>*{}</style>x", "x"),
    ("<svg><script>alert(1)</script></svg>x", "x"),
    ('<td style="background:url(javascript:alert(1))">x</td>', "x"),
])
def test_the_sanitiser_keeps_nothing_that_runs(html: str, kept: str):
    assert sanitize(html, SANITIZE_EXTRA_ATTRIBUTES) == kept


def test_the_csp_does_not_vouch_for_a_script_inside_the_page_content():
    import base64

    def sha(body: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"

    own, injected = "var theme = 1;", "window.__xss = 1;"
    content = f"<h1>x</h1><script>{injected}</script>"
    html = (f"<html><head><script>{own}</script></head><body><article class=\"md-content__inner "
            f"md-typeset\">{content}</article></body></html>")
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"',
                       with_csp(html, content)).group(1)
    assert sha(own) in policy
    assert sha(injected) not in policy


def test_no_include_extension_is_enabled():
    """Row 38: nothing in the Markdown configuration can read another file."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    names = {next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]}
    plugins = {next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]}
    assert not names & {"pymdownx.snippets", "markdown_include.include", "mdx_include",
                        "pymdownx.include"}
    assert not plugins & {"include-markdown", "macros", "mkdocs-simple-hooks", "exec"}
    assert "hooks" not in config


def test_include_syntaxes_that_are_not_enabled_stay_text(built: Path, own_scripts):
    """Row 38: Markdown-include and similar syntaxes are shown as text; nothing is read."""
    secret = built.parent / "secret.txt"
    secret.write_text("SECRET-OUTSIDE-38\n", encoding="utf-8")
    art("{!../../../secret.txt!}\n\n{% raw %}{{ include('../../../secret.txt') }}{% endraw %}\n\n"
        "-8<- \"../../../secret.txt\"")(built)
    assert build_site(built, Path("site")) == 0
    text = Page((built / "site" / ARTICLE).read_text(encoding="utf-8")).text
    assert "{!../../../secret.txt!}" in text
    assert all("SECRET-OUTSIDE" not in p.read_text(encoding="utf-8", errors="replace")
               for p in (built / "site").rglob("*") if p.is_file())


def test_a_link_to_a_file_outside_the_content_fails_the_strict_build(built: Path, check, capsys):
    """Row 38: a Markdown link or image pointing out of site_src/ is never resolved or copied."""
    secret = built.parent / "secret.txt"
    secret.write_text("SECRET-OUTSIDE-38\n", encoding="utf-8")
    before = tree_digest(built / "site")
    art("![x](../../../secret.txt) and [y](../../../secret.txt)")(built)
    assert check(built).code == 0  # the check does not resolve links; the strict build does
    capsys.readouterr()
    with mkdocs_log() as log:
        assert build_site(built, Path("site")) == 1
    err = capsys.readouterr().err
    assert "build stopped; site/ was left as it was" in err
    assert any("'../../../secret.txt'" in line for line in log), log
    assert tree_digest(built / "site") == before
    assert _published(built / "site") == []


# ---------------------------------------------------------------------------------------------
# symbolic links and files outside the content folders are never read or published


def _secret_outside(root: Path) -> Path:
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("SECRET-OUTSIDE-LINK\n", encoding="utf-8")
    (outside / "leak.css").write_text("/* SECRET-OUTSIDE-LINK */\n", encoding="utf-8")
    (outside / "leak.md").write_text("---\ntitle: Leak\ndescription: SECRET-OUTSIDE-LINK.\n---\n"
                                      "# SECRET-OUTSIDE-LINK\n", encoding="utf-8")
    return outside


def _published(site: Path, marker: str = "SECRET-OUTSIDE") -> list[str]:
    return [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and
            marker.encode() in p.read_bytes()]


LINKS = [
    ("symlinked-stylesheet", "site_src/assets/evil.css", "secret.txt",
     f"site_src/assets/evil.css: {LINK}"),
    ("symlinked-file-at-the-top", "site_src/robots.txt", "secret.txt",
     f"site_src/robots.txt: {LINK}"),
    ("symlinked-folder", "site_src/linked", ".", f"site_src/linked: {LINK}"),
    ("symlinked-folder-of-assets", "site_src/assets/more", ".",
     f"site_src/assets/more: {LINK}"),
    ("symlinked-article", "site_src/articles/leak.md", "leak.md",
     f"site_src/articles/leak.md: {LINK}, so commit the file itself in its place"),
    ("broken-link", "site_src/assets/gone.css", "no-such-file",
     f"site_src/assets/gone.css: {LINK}"),
]


@pytest.mark.parametrize("where, target, message", [c[1:] for c in LINKS],
                         ids=[c[0] for c in LINKS])
def test_a_symbolic_link_in_site_src_is_refused_and_never_published(built: Path, check, capsys,
                                                                     where, target, message):
    outside = _secret_outside(built)
    before = tree_digest(built / "site")
    (built / where).symlink_to(outside / target if target != "." else outside)
    run = check(built)
    assert run.code == 1
    assert run.lines == [message, "1 error in 1 file"]
    capsys.readouterr()
    assert build_site(built, Path("site")) == 1
    err = capsys.readouterr().err
    assert message in err.splitlines()
    assert tree_digest(built / "site") == before
    assert _published(built / "site") == []


def test_a_named_pipe_in_site_src_is_refused(built: Path, check, capsys):
    before = tree_digest(built / "site")
    os.mkfifo(built / "site_src/assets/pipe.css")
    run = check(built)
    assert run.lines == ["site_src/assets/pipe.css: is not a regular file; commit a plain file "
                         "here", "1 error in 1 file"]
    assert build_site(built, Path("site")) == 1  # and never blocks reading the pipe
    assert tree_digest(built / "site") == before


def test_site_src_itself_a_symbolic_link_is_refused(built: Path, check, capsys):
    outside = _secret_outside(built)
    shutil.copytree(built / "site_src", outside / "site_src")
    (outside / "site_src/assets/secret.css").write_text("/* SECRET-OUTSIDE */", encoding="utf-8")
    shutil.rmtree(built / "site_src")
    (built / "site_src").symlink_to(outside / "site_src")
    before = tree_digest(built / "site")
    run = check(built)
    assert run.lines == [f"site_src: {LINK}", "1 error in 1 file"]
    from support import run_cli

    build = run_cli(capsys, built, "build")
    assert build.code != 0
    assert "Traceback" not in build.text
    assert tree_digest(built / "site") == before
    assert _published(built / "site") == []


def test_links_missed_by_the_check_are_dropped_by_the_plugin(built: Path, capsys, monkeypatch):
    """Defence in depth: if the check did not look at site_src/'s other files, MkDocs (which
    follows links when it collects them) would copy them; the plugin refuses them itself."""
    real = site_src_module.markdown_files
    monkeypatch.setattr(site_src_module, "markdown_files",
                        lambda src, site_src, problems: real(src, site_src, Problems()))
    outside = _secret_outside(built)
    before = tree_digest(built / "site")
    (built / "site_src/assets/evil.css").symlink_to(outside / "secret.txt")
    (built / "site_src/linked").symlink_to(outside)
    capsys.readouterr()
    with mkdocs_log() as log:
        assert build_site(built, Path("site")) == 1
    err = capsys.readouterr().err
    report = log[log.index("the data or articles have problems:") + 1:]
    assert report == [f"site_src/assets/evil.css: {LINK}", f"site_src/linked: {LINK}",
                      "2 errors in 2 files"]
    assert "build stopped; site/ was left as it was" in err
    assert tree_digest(built / "site") == before
    assert _published(built / "site") == []


def test_an_unused_symlinked_template_is_never_published(built: Path):
    outside = _secret_outside(built)
    (built / "templates/extra.md.j2").symlink_to(outside / "secret.txt")
    assert build_site(built, Path("site")) == 0
    assert _published(built / "site") == []


def test_a_symlinked_template_in_use_is_refused(built: Path, check):
    outside = _secret_outside(built)
    tpl = built / "templates/glossary.md.j2"
    (outside / "glossary.md.j2").write_text(tpl.read_text(encoding="utf-8") +
                                            "\nSECRET-OUTSIDE-LINK\n", encoding="utf-8")
    tpl.unlink()
    tpl.symlink_to(outside / "glossary.md.j2")
    before = tree_digest(built / "site")
    run = check(built)
    assert run.lines == ["templates/glossary.md.j2: templates/glossary.md.j2 is a symbolic link; "
                         "links are never followed", "1 error in 1 file"]
    assert build_site(built, Path("site")) == 1
    assert tree_digest(built / "site") == before
    assert _published(built / "site") == []


def test_files_next_to_the_content_are_never_published(built: Path):
    """Only site_src/ (and the generated pages) is published: not data/, templates/, the project's
    own files, or anything above it."""
    (built / "data/README.md").write_text("SECRET-OUTSIDE data readme\n", encoding="utf-8")
    (built / "notes.md").write_text("SECRET-OUTSIDE notes\n", encoding="utf-8")
    (built / "site_src/.hidden.css").write_text("/* SECRET-OUTSIDE */\n", encoding="utf-8")
    assert build_site(built, Path("site")) == 0
    assert _published(built / "site") == []
    published = {p.relative_to(built / "site").as_posix() for p in (built / "site").rglob("*")}
    assert not {p for p in published if p.endswith((".yaml", ".j2", ".yml", ".py"))}


# ---------------------------------------------------------------------------------------------
# What MkDocs itself prints, and the charts' placeholders


def test_mkdocs_lines_and_a_failed_build_are_printed_as_a_report_prints_them(project: Path,
                                                                              capsys):
    """A name MkDocs logs (here a nav entry naming a page that does not exist) reaches the
    terminal with its invisible and control characters written as escapes, as in the check's
    report; so does the line saying the build failed."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - Methodology: methodology.md", "  - Methodology: \"meth\u202eodology.md\""),
        encoding="utf-8")
    capsys.readouterr()
    assert build_site(project, Path("site")) == 1
    err = capsys.readouterr().err
    assert "\u202e" not in err
    assert "'meth\\u202eodology.md'" in err  # (MkDocs quotes the name it cannot find)
    assert err.splitlines()[-1] == "build stopped; site/ was left as it was"


def test_a_chart_placeholder_written_in_data_places_nothing(built: Path, own_scripts):
    """The placeholder a page holds for a chart's SVG, written in a company's summary, is text:
    escaped like any other, it is shown as it was written and never replaced by a chart."""
    placeholder = '<span class="fl-svg-chart-valuations-over-time"></span>'
    set_text(C, "summary: A fictional AI lab used by the tests.", "summary", placeholder)(built)
    assert build_site(built, Path("site")) == 0
    html = (built / "site/companies/acme-ai/index.html").read_text(encoding="utf-8")
    content = html.split('<article', 1)[1]
    summary = re.search(r"<p>([^<]*fl[^<]*svg[^<]*chart[^<]*)</p>", content).group(1)
    assert html_lib.unescape(summary) == placeholder  # shown as written
    charts = re.findall(r'<svg aria-hidden="true" focusable="false"', content)
    assert len(charts) == 1  # the profile's own chart, and no other
    assert unsafe_output(built / "site", own_scripts) == []


def test_an_article_cannot_write_a_chart_placeholder(project: Path, check):
    art('<span class="fl-svg-chart-valuations-over-time"></span>')(project)
    assert check(project).lines == [
        f"{A}:12: raw HTML <span> is not allowed in articles; write Markdown {ALLOWED_TAGS_MSG}",
        "1 error in 1 file"]
