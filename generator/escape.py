"""The one module that escapes: text for Markdown and HTML, JSON inside HTML, CSV cells, XML text,
addresses, page HTML after conversion, and quoted text in reports.

Every place that writes text from the data (or from a contributor) into another language goes
through one of these functions, so that each rule exists once:

* :func:`md`: text that Markdown *and* HTML both show literally (every character either language
  gives a meaning is written as an entity), also valid inside a double-quoted HTML attribute;
* :func:`json_for_html`: JSON text with ``<``, ``>`` and ``&`` escaped, so that it cannot leave a
  ``<script>`` block (or be read as markup if pasted into a page);
* :func:`csv_cell`: a spreadsheet cell that is never run as a formula;
* :func:`xml_text`: text inside an SVG (or any XML) element or attribute;
* :func:`url_path`: a project path as a segment of an address (the edit links);
* :func:`sanitize` and :func:`plain_text`: page HTML after Markdown conversion, kept to an
  allow-list of tags and attributes (nh3), and text with no tag at all;
* :func:`escape_unseen` and :func:`shown`: text quoted in a report, with every control, format or
  invisible character written as an escape.

Imports nothing of the package (markupsafe and nh3 only).
"""

from __future__ import annotations

import html as _html
import json
import re
from typing import Any
from urllib.parse import quote

import nh3
from markupsafe import Markup

# ---------------------------------------------------------------------------------------------
# Markdown and HTML

_MD_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|<>&\"':~=^$@%"}
_MD_TABLE = str.maketrans(_MD_SPECIAL)


def md(value: Any) -> Markup:
    """Text → Markup that Markdown and HTML both show literally (entities for all syntax); line
    breaks become spaces. Safe inside a double-quoted HTML attribute too."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    return Markup(text.translate(_MD_TABLE))


def json_for_html(text: str) -> str:
    """JSON text that no data can break out of when it stands in HTML (a ``<script>`` block, a
    download someone pastes into a page): ``<``, ``>`` and ``&`` as JSON escapes."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def front_matter_value(value: Any) -> str:
    """A value of YAML front matter: JSON, which YAML reads as the same value."""
    return json.dumps(value, ensure_ascii=False)


def xml_text(text: str) -> str:
    """Text for the content or a quoted attribute of an XML (SVG) element."""
    return _html.escape(text)


def url_path(path: str) -> str:
    """A project-relative path as the path of an address: every character but letters, digits,
    ``/`` and ``_.-~`` percent-encoded, so that no file name can leave the address."""
    return quote(path, safe="/")


# ---------------------------------------------------------------------------------------------
# CSV

# A cell a spreadsheet would run as a formula starts with one of these; a number (-5, +1.5) is
# read as a number and stays as it is.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z")


def csv_cell(text: str) -> str:
    """A CSV cell's text: one that a spreadsheet would run as a formula (it starts with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return, and is not a number) is prefixed with an
    apostrophe, which keeps it text."""
    if text[:1] in _FORMULA_START and not _NUMBER.match(text):
        return "'" + text
    return text


# ---------------------------------------------------------------------------------------------
# Page HTML after conversion

# What page content may contain after Markdown: everything Markdown, the extensions in mkdocs.yml
# and the templates produce, and nothing that runs. The engine adds the attributes its theme reads
# (see generator.engine.SANITIZE_EXTRA_ATTRIBUTES).
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "nav", "ol", "p", "pre", "s", "section", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "id", "title", "lang", "role", "aria-label", "aria-labelledby",
                    "aria-describedby", "aria-hidden", "aria-current"}),
    "a": frozenset({"href", "rel", "download"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"style", "colspan", "rowspan"}),
    "th": frozenset({"style", "colspan", "rowspan", "scope"}),
    "ol": frozenset({"start"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
}
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def sanitize(html: str, extra_attributes: frozenset[str] = frozenset()) -> str:
    """Page content HTML → HTML with nothing that can run: tags and attributes of the allow-list
    only (``extra_attributes``: more allowed on every tag), link schemes https, http and mailto,
    no comments, and every ``<svg>`` dropped whole (the charts are put into finished pages after
    this, from the files the generator rendered)."""
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    attributes["*"] |= extra_attributes
    return nh3.clean(_SVG.sub("", html), tags=set(ALLOWED_TAGS), attributes=attributes,
                     url_schemes={"https", "http", "mailto"}, link_rel=None,
                     filter_style_properties={"text-align"}, strip_comments=True)


def plain_text(html: str) -> str:
    """HTML with no tag left at all (its text, entities kept): a title written into the page
    outside its content."""
    return nh3.clean(html, tags=set(), attributes={}, strip_comments=True)


# ---------------------------------------------------------------------------------------------
# Reports

# Characters that a report never prints as they are: controls (an escape sequence in a file name
# would reach the terminal), format characters (bidi, zero-width, tags, invisible operators),
# line and paragraph separators, surrogates (a file name that is not UTF-8 arrives with them, and
# cannot even be printed), private use, non-characters, and the Hangul fillers and the combining
# grapheme joiner that render as nothing.
HANGUL_FILLERS = "\u115f\u1160\u3164\uffa0"
_NOT_SHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u180e\u200b-\u200f"
                        "\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff"
                        "\ud800-\udfff\ue000-\uf8ff" + HANGUL_FILLERS +
                        "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                        "\U000e0000-\U000e007f\U000f0000-\U0010ffff]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    c = ord(ch)
    return _SHORT_ESCAPES.get(ch) or (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
                                      if c < 0x10000 else f"\\U{c:08x}")


def escape_unseen(text: str) -> str:
    """``text`` with every character of :data:`_NOT_SHOWN` written as an escape (\\n, \\x1b,
    \\u202e, \\U000e0041), for a line of a report; backslashes are left as they are, so that text
    already escaped (by :func:`shown`) is not escaped twice."""
    return _NOT_SHOWN.sub(_escape, text)


def shown(text: str) -> str:
    """``text`` in single quotes for a report, with every character that a terminal or a reader
    would not see as itself written as an escape (\\x1b, \\u202e, \\U000e0041); a backslash is
    doubled, so that the escapes are unambiguous."""
    return "'" + escape_unseen(text.replace("\\", "\\\\")) + "'"
