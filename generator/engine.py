"""The one module that knows the conventions of the engine the site is built with (MkDocs, the
Material theme and Python-Markdown), so that the core speaks of pages and not of one theme's
front-matter keys: the front matter a page's metadata becomes, the attribute-list syntax and what
the extension reads as one, the marker that keeps a block out of the search index, the
placeholder a chart's SVG stands behind, the marks that say a page was rendered by the core and
finished, and what the finished pages get (Material's table wrappers, the table of contents made
safe, the Content-Security-Policy, the 404 page); and the theme's files listed without its hidden
folders (:func:`list_theme_without_hidden`).

Nothing here imports MkDocs; the finishing pass (generator.finish), the plugin and the engine
adapters call these.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html as _html
import os
import re
from typing import Any, Callable

from jinja2 import FileSystemLoader

from .escape import front_matter_value, md, plain_text, url_path
from .pagecache import digest
from .types import PageMeta

# ---------------------------------------------------------------------------------------------
# Pages: front matter, attribute lists, search

# Material's search plugin reads this attribute (and then removes it): a block carrying it is not
# in the search index
SEARCH_EXCLUDE = 'data-search-exclude="footer"'
# what the sanitiser keeps on every tag besides its own list (escape.sanitize)
SANITIZE_EXTRA_ATTRIBUTES = frozenset({"data-search-exclude"})
# Material's page for addresses that do not exist (not a page of MkDocs': see mkdocs_glue)
NOT_FOUND_PAGE = "404.html"


def front_matter(meta: PageMeta, edit_url_base: str | None = None) -> str:
    """A page's metadata as the YAML front matter MkDocs and Material read: the title and
    description entity-escaped (the theme pastes ``page.meta.title`` into HTML without escaping,
    so the text must already be inert), the search weight as Material's ``search.boost``, a page
    without table of contents as ``hide: [toc]``, and with ``edit_url_base`` the page's edit link
    as ``edit_url`` (overrides/partials/actions.html shows it: the file a contributor edits, not
    the page's own path, so no engine setting can make it), its share card with its alt text
    (entity-escaped like the title) and size; every value written as JSON."""
    fields: list[tuple[str, Any]] = [
        ("title", str(md(meta.title))), ("description", str(md(meta.description))),
        ("page_kind", meta.kind), ("published", meta.published), ("updated", meta.updated),
        ("reading_minutes", meta.reading_minutes), ("data_as_of", meta.data_as_of),
        ("edit_path", meta.edit_path), ("edit_url", edit_url(edit_url_base, meta.edit_path)),
        ("og_type", meta.og_type if meta.og_type != "website" else None),
        ("hide", None if meta.show_toc else ["toc"]),
        ("search", {"boost": meta.search_boost} if meta.search_boost is not None else None),
        ("jsonld", meta.jsonld),
        ("share_image", meta.share_image),
        ("share_alt", str(md(meta.share_alt)) if meta.share_alt else None),
        ("share_width", meta.share_size[0] if meta.share_size else None),
        ("share_height", meta.share_size[1] if meta.share_size else None),
    ]
    lines = ["---"] + [f"{k}: {front_matter_value(v)}" for k, v in fields if v is not None]
    return "\n".join(lines + ["---\n"])


def edit_url(base: str | None, edit_path: str | None) -> str | None:
    """The "edit this page" link: ``base`` and the project file, percent-encoded, so that no file
    name can leave the address (the theme writes it into href="…"; names are checked too)."""
    return f"{base.rstrip('/')}/{url_path(edit_path)}" if base and edit_path else None


# The core's mark: every page render makes holds its own content between these two comments.
# Python-Markdown passes an HTML comment on a line of its own through as it is, so the converted
# page shows where its content starts and ends inside the theme's HTML (the finishing pass
# sanitises what lies between, and hashes the inline scripts outside it); the sanitiser removes
# them. A page without them was not rendered by the core (an engine that ignored the plugin
# converted the raw article): the finishing pass refuses it. Text of the page that imitates a
# mark lies between the real ones (the first start, the last end), where it is sanitised.
CONTENT_START = "<!-- frontier-ledger:content -->"
CONTENT_END = "<!-- /frontier-ledger:content -->"


def page_source(meta: PageMeta, body: str, edit_url_base: str | None = None) -> str:
    """A page's Markdown as the engine reads it: front matter, and the body between the marks."""
    return (front_matter(meta, edit_url_base) + CONTENT_START + "\n\n" + body.rstrip("\n") +
            "\n\n" + CONTENT_END + "\n")


def split_content(html: str) -> tuple[str, str, str] | None:
    """A converted page (or its content) → (before, content, after) around the core's marks,
    the marks left out; None when it has none."""
    start = html.find(CONTENT_START)
    end = html.rfind(CONTENT_END)
    if start < 0 or end < start + len(CONTENT_START):
        return None
    return html[:start], html[start + len(CONTENT_START):end], html[end + len(CONTENT_END):]


def docs_order(path: str) -> tuple:
    """The place of the docs file ``path`` in the order MkDocs reads a docs folder in (os.walk:
    a folder's files, ``index`` first, then its folders, by name), so that the files a plugin
    hands over are in the order they would have from a folder on disk (the sitemap and search
    index list pages in it)."""
    *folders, name = path.split("/")
    stem = name.rsplit(".", 1)[0]
    return tuple((1, f) for f in folders) + ((0, stem not in ("index", "README"), name),)


def attr_list(*entries: str) -> str:
    """Python-Markdown's attribute list, for the element it follows: ``{: .fl-term }``."""
    return "{: " + " ".join(entries) + " }"


# Attribute lists, as Python-Markdown's attr_list extension reads them (its BASE_RE and its token
# scanner): ``{`` or ``{:``, spaces, then anything up to the last ``}`` of the line. The extension
# honours them at the end of a heading, table cell or definition term, on a line of their own at
# the end of a block, and right after an inline element (link, image, emphasis, code); the check
# looks at every ``{`` that could start one, wherever it stands, so it finds all of those.
_ATTR_TOKENS = re.Scanner([
    (r'[^ =}]+=".*?"', lambda s, t: t),
    (r"[^ =}]+='.*?'", lambda s, t: t),
    (r"[^ =}]+=[^ =}]+", lambda s, t: t),
    (r"[^ =}]+", lambda s, t: t),
    (r" ", None),
])


ATTR_LIST_WINDOW = 200  # characters of one attribute list that are read; a longer one is refused


# What may stand right before the ``{`` of an attribute list that the extension applies: white
# space (the end of a heading, table cell or definition term), the start of a line that is not the
# first of its block (a list on a line of its own), or the end of an inline element (a link or
# image, emphasis, code, an autolink). "\0" marks the end of template code or of a code span in the
# text the check reads (see check_article_markup): what template code prints can end an inline
# element, and a line of template code may vanish and join the lines around it.
_BEFORE_ATTR_LIST = frozenset(" \t\f\v)]*_`>\0")


def attribute_list_entries(text: str) -> list[tuple[str, int]]:
    """Every entry of every attribute list in ``text`` that the attr_list extension could apply,
    split as it splits them, with the position of the list's ``{``. Linear in the text: each
    list is read from its ``{`` to the last ``}`` of its line, at most ATTR_LIST_WINDOW characters
    (the last entry of a longer list is returned cut, ending in '…'). A ``{`` escaped with a
    backslash, or after a character that no attribute list follows (``body{``), is text."""
    out: list[tuple[str, int]] = []
    offset = 0
    follows = False  # the line before is not blank: this line continues its block
    for line in text.split("\n"):
        last = line.rfind("}")
        first = len(line) - len(line.lstrip(" \t"))
        for brace in re.finditer(r"\{", line[:max(last, 0)]):
            p = brace.start()
            if p == first and not follows:
                continue  # the start of a block: a list needs a line of the block before it
            if p and line[p - 1] not in _BEFORE_ATTR_LIST:
                continue
            j = p + 1 + line.startswith(":", p + 1)
            k = j
            while k < last and line[k] == " ":
                k += 1
            if k < last and line[k] != "}":
                start = k
            elif j > p + 1:
                start = p + 1  # '{:}': the colon itself is the list
            else:
                continue
            end = min(last, start + ATTR_LIST_WINDOW)
            tokens, rest = _ATTR_TOKENS.scan(line[start:end])
            if tokens and not rest and end < last:
                tokens[-1] += "…"
            out.extend((t, offset + p) for t in tokens)
        offset += len(line) + 1
        follows = bool(line.strip(" \t"))
    return out


# ---------------------------------------------------------------------------------------------
# Charts: a page holds a placeholder where a chart's SVG goes; the finished page gets the SVG


_CHART_REF = re.compile(r'<span class="fl-svg-chart-([a-z0-9][a-z0-9-]*)"></span>')


def chart_placeholder(chart_id: str) -> str:
    """What a page holds where the SVG of chart ``chart_id`` goes (see :func:`place_charts`)."""
    return f'<span class="fl-svg-chart-{chart_id}"></span>'


def place_charts(text: str, svg_of: Callable[[str], str]) -> str:
    """``text`` (Markdown or finished HTML) with each chart placeholder replaced by the SVG
    ``svg_of(chart_id)`` gives ('' for no such chart: nothing is placed)."""
    if "fl-svg-chart-" not in text:
        return text
    return _CHART_REF.sub(lambda m: svg_of(m.group(1)), text)


# a placeholder as the page cache reads it: any id (a page's key names every chart it places)
_CHART_PLACED = re.compile(r'<span class="fl-svg-chart-([^"<>]+)"></span>')


def fingerprint(text: str) -> tuple[str, tuple[str, ...]]:
    """What the page cache keys a page's Markdown by (see generator.plugin): a hash of ``text``
    and the ids of the charts it places, sorted."""
    return digest(text), tuple(sorted(set(_CHART_PLACED.findall(text))))


# ---------------------------------------------------------------------------------------------
# Finished pages


# The table of contents: the theme writes each entry's title into the page as HTML and its anchor
# into href="#…" as they are, outside the page's content, where the sanitiser never looks (and
# where the Content-Security-Policy would list a script's hash). In the finished page every
# title goes through nh3 with no tag allowed (Python-Markdown makes them plain text with
# entities), and every anchor is kept to letters, digits, '-' and '_' (the ids the toc extension
# makes); an anchor that is not is renamed in the content too, so that its links still arrive.
# Material writes an entry as <a href="{{ url }}" class="md-nav__link"> <span class="md-ellipsis">
# {{ title }} </span> </a> (partials/toc-item.html, in the table of contents beside the page and
# again in the navigation of small screens), and the first one's anchor into its skip link.
_SAFE_ANCHOR = re.compile(r"[A-Za-z0-9_-]+")
_TOC_ENTRY = re.compile(r'(<a href="#)([^<>\n]*?)(" class="md-nav__link">\s*<span class="md-ellipsis">)'
                        r'(.*?)(</span>\s*</a>)', re.S)
_SKIP_LINK = re.compile(r'(<a href="#)([^<>\n]*?)(" class="md-skip">)')


def toc_anchor(anchor: str) -> str:
    """An anchor id as the table of contents may write it: letters, digits, '-' and '_'."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", anchor).strip("-") or "section"


def clean_toc(before: str, content: str, after: str = "") -> tuple[str, str, str]:
    """A finished page's parts (the theme's HTML before its content, the content, the theme's
    HTML after it) with every table-of-contents title made plain text and every anchor safe;
    an anchor renamed in the table of contents is renamed in the content too."""
    renamed: dict[str, str] = {}

    def anchor(raw: str) -> str:
        if _SAFE_ANCHOR.fullmatch(raw):
            return raw
        renamed[_html.unescape(raw)] = safe = toc_anchor(_html.unescape(raw))
        return safe

    def entry(m: re.Match) -> str:
        return m.group(1) + anchor(m.group(2)) + m.group(3) + plain_text(m.group(4)) + m.group(5)

    def skip(m: re.Match) -> str:
        return m.group(1) + anchor(m.group(2)) + m.group(3)

    if 'class="md-nav__link"' in before or 'class="md-nav__link"' in after:
        before = _SKIP_LINK.sub(skip, _TOC_ENTRY.sub(entry, before))
        after = _TOC_ENTRY.sub(entry, after)
    if renamed:
        def rename(m: re.Match) -> str:
            name, value = m.group(1), _html.unescape(m.group(2))
            key = value[1:] if name == "href" and value.startswith("#") else \
                value if name == "id" else None
            if key not in renamed:
                return m.group(0)
            return f'{name}="{"#" if name == "href" else ""}{renamed[key]}"'

        content = re.sub(r'(?<![\w-])(id|href)="([^"]*)"', rename, content)
    return before, content, after


# Tables: Material's JavaScript finds every table without a class when a page opens, takes it out
# of the page and puts it back inside two wrappers (a scrolling box); on a company profile that work,
# and the style recalculation it forces, was most of Lighthouse's total blocking time (360 ms, 135 ms
# without it). The wrappers are written here instead, at build time, and the table gets a class so
# that the theme's script leaves it alone; ledger.css gives ``table.fl-table`` the look Material
# gives ``table:not([class])``. A table that already has a class is left as it is.
_TABLE_TAG = re.compile(r"<(/?)table\b([^>]*)>", re.I)
TABLE_OPEN = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="fl-table"'


def wrap_tables(html: str) -> str:
    """Every table without a class inside Material's scrolling wrappers, with class fl-table."""
    if "<table" not in html:
        return html
    wrapped: list[bool] = []  # one per open table: was it wrapped?

    def tag(m: re.Match) -> str:
        if m.group(1):  # </table>
            return "</table></div></div>" if wrapped and wrapped.pop() else m.group(0)
        if re.search(r"\bclass\s*=", m.group(2), re.I):
            wrapped.append(False)
            return m.group(0)
        wrapped.append(True)
        return f"{TABLE_OPEN}{m.group(2)}>"

    return _TABLE_TAG.sub(tag, html)


# Tables on a phone: every table with a header row is shown as cards, one a row, its first cell
# (what the row is about) as the card's title and each other value after its column's heading
# (ledger.css, under a media query; a table of many columns is shown so at every width, the cards
# side by side; the header row stays in the page, visually hidden). The labels are written here,
# at build time, from the table's own header row, into every body cell as data-label; the
# stylesheet shows them as CSS generated content with the alternative text "", so that screen
# readers, which announce the real table's column headers, do not read a label twice. The table and
# its parts get their ARIA roles, so that assistive technology still finds a table after the
# stylesheet has changed how its parts are displayed. What content wrote into these attributes
# was removed by the sanitiser (data-label) or is replaced (role); the labels are made again on
# every pass, so a page finished twice is the same page.
WIDE_TABLE_COLUMNS = 7  # from this many columns a table is cards at every width
_LABELLED = re.compile(r'(<table class="fl-table"[^>]*>)(.*?)(</table>)', re.S)
_HEAD = re.compile(r"<thead\b[^>]*>\s*<tr\b[^>]*>(.*?)</tr>", re.S)
_TH = re.compile(r"<th\b([^>]*)>(.*?)</th>", re.S)
_ROW = re.compile(r"(<tr\b[^>]*>)(.*?)(</tr>)", re.S)
_CELL = re.compile(r"<(td|th)\b([^>]*)>")
_PART = re.compile(r"<(table|thead|tbody|tfoot|tr)\b([^>]*)>")
_ROLE = re.compile(r'\s+role="[^"]*"')
_PART_ROLE = {"table": "table", "thead": "rowgroup", "tbody": "rowgroup", "tfoot": "rowgroup",
              "tr": "row", "td": "cell"}


def _span(attrs: str) -> int:
    m = re.search(r'\bcolspan="(\d+)"', attrs)
    return max(1, min(int(m.group(1)), 1000)) if m else 1


def _header_labels(body: str) -> list[str] | None:
    head = _HEAD.search(body)
    if head is None:
        return None
    labels: list[str] = []
    for m in _TH.finditer(head.group(1)):
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]*>", "", m.group(2))).strip()
        labels += [text.replace('"', "&quot;")] * _span(m.group(1))
    return labels or None


def _label_rows(body: str, labels: list[str]) -> str:
    def row(m: re.Match) -> str:
        col = 0

        def cell(c: re.Match) -> str:
            nonlocal col
            tag, attrs = c.group(1), _ROLE.sub("", c.group(2))
            here, col = col, col + _span(attrs)
            if tag == "th":
                return f'<th{attrs} role="rowheader">'
            label = labels[here] if here < len(labels) else ""
            return f'<td{attrs} role="cell"' + (f' data-label="{label}">' if label else ">")
        return m.group(1) + _CELL.sub(cell, m.group(2)) + m.group(3)

    head = _HEAD.search(body)
    cut = head.end() if head else 0
    heads = re.sub(r"<th\b([^>]*)>", lambda t: f'<th{_ROLE.sub("", t.group(1))} '
                   f'role="columnheader">', body[:cut])
    return heads + _ROW.sub(row, body[cut:])


def label_tables(html: str) -> str:
    """Every fl-table with a header row: each body cell labelled with its column's heading,
    the table marked to be shown as cards on narrow screens (or always, from
    WIDE_TABLE_COLUMNS columns), and its ARIA roles."""
    if 'class="fl-table"' not in html:
        return html

    def table(m: re.Match) -> str:
        opening, body, closing = m.groups()
        labels = _header_labels(body)
        if labels is None or "<table" in body:
            return m.group(0)
        cards = "wide" if len(labels) >= WIDE_TABLE_COLUMNS else "narrow"
        body = _PART.sub(lambda p: f'<{p.group(1)}{_ROLE.sub("", p.group(2))} '
                         f'role="{_PART_ROLE[p.group(1)]}">' if p.group(1) != "table"
                         else p.group(0), _label_rows(body, labels))
        opening = _ROLE.sub("", opening[:-1]) + f' role="table" data-cards="{cards}">'
        return opening + body + closing

    return _LABELLED.sub(table, html)


# Content-Security-Policy for every page: scripts only from the site itself or inline scripts whose
# hash is listed; nothing from any other host.
CSP = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-src 'none'")
_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
# The finishing pass's mark, the first thing in the head of every finished page (where no text
# of the page can stand: the theme writes its own head first).
FINISHED = '<meta name="frontier-ledger" content="finished">'


def csp_tag(theme_html: str) -> str:
    """The CSP meta tag for a page whose theme HTML (everything but the page's own content) is
    ``theme_html``: the hash of each of its inline scripts is listed; a script that got into the
    content somehow is not, so it cannot run."""
    hashes = []
    for m in _INLINE_SCRIPT.finditer(theme_html):
        attrs, body = m.group(1), m.group(2)
        if "src=" in attrs or re.search(r'type="application/(ld\+)?json"', attrs):
            continue
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    policy = CSP.format(hashes=" ".join(sorted(set(hashes))))
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def in_head(html: str, *tags: str) -> str:
    """``html`` with ``tags`` first in its head, a line each."""
    return html.replace("<head>", "<head>\n" + "\n".join(tags), 1)


def with_csp(html: str, content: str | None = None) -> str:
    """Add the CSP meta tag; the inline scripts of ``content`` (the page's own) are not listed."""
    theme_html = html.replace(content, "") if content else html
    return in_head(html, csp_tag(theme_html))


def is_finished(html: str) -> bool:
    """Whether the finishing pass made ``html``: its mark opens the head."""
    head = html.find("<head>")
    return head >= 0 and html.startswith("<head>\n" + FINISHED, head)


def list_theme_without_hidden(theme: Any) -> None:
    """The engine lists every file of the theme's folders on each build to copy its assets, and
    leaves out what lies in a hidden folder: Material's 14,000 icons (``.icons/``, which its
    emoji extension reads itself), walked and matched against a dozen patterns each time (0.1 s
    a build). The theme's templates are listed here without descending into a hidden folder;
    the engine's filter then gives the same files. An instance attribute of this theme only."""
    get_env = theme.get_env

    def env() -> Any:
        made = get_env()
        loader = made.loader
        if type(loader).list_templates is FileSystemLoader.list_templates:  # (jinja2's own)
            loader.list_templates = functools.partial(_templates_not_hidden, loader)
        return made
    theme.get_env = env


def _templates_not_hidden(loader: Any) -> list[str]:
    """jinja2's FileSystemLoader.list_templates, not descending into folders whose name starts
    with a dot (the engine's filter leaves out every path with such a part: '.*', '*/.*')."""
    found = set()
    for searchpath in loader.searchpath:
        for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=loader.followlinks):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for filename in filenames:
                template = os.path.join(dirpath, filename)[len(searchpath):]
                template = template.strip(os.path.sep).replace(os.path.sep, "/")
                if template[:2] == "./":
                    template = template[2:]
                found.add(template)
    return sorted(found)
