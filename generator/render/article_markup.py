"""What an article (or a hand-written page) may write besides Markdown, checked in its source with
the line of each problem: a few inline HTML tags, safe link schemes, attribute lists that set only
classes and ids, no snippet includes."""

from __future__ import annotations

import bisect
import re

from ..engine import attribute_list_entries
from ..escape import shown
from ..problems import Problems

# What an article may contain besides Markdown. Everything else is refused by the check (and
# would be stripped from the output by the sanitiser anyway).
ARTICLE_TAGS = {"abbr": {"title"}, "sup": set(), "sub": set(), "br": set(), "kbd": set(),
                "mark": set(), "details": {"markdown"}, "summary": set(), "small": set()}
SAFE_SCHEMES = ("https:", "http:", "mailto:")
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)(?![A-Za-z0-9-]*:)([^>]*)>?", re.S)
_ATTR = re.compile(r"([^\s=/>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_MD_LINK = re.compile(r"\]\(\s*<?([^\s>]*)|^[ \t]{0,3}\[[^\]]+\]:[ \t]*<?(\S+)|<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>",
                      re.M)
# A scheme broken by white space (java<newline>script:) that browsers would still honour.
_SPLIT_SCHEME = re.compile(r"\]\(\s*<?([A-Za-z][A-Za-z0-9+.-]*(?:\s+[A-Za-z0-9+.-]+)+\s*:)")
_ID_OR_CLASS = re.compile(r"[#.][A-Za-z][A-Za-z0-9_-]*")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def _scheme_of(url: str) -> str:
    import html as _html

    u = _html.unescape(url)
    u = re.sub(r"[\x00-\x20\x7f]+", "", u).lower()
    m_ = re.match(r"([a-z][a-z0-9+.-]*):", u)
    return (m_.group(1) + ":") if m_ else ""


def check_article_markup(body: str, origin: str, offset: int, problems: Problems) -> None:
    """Refuse raw HTML outside ARTICLE_TAGS, event handlers, styles, unsafe link schemes and
    attribute lists that set anything but classes and ids, with the line where each stands."""
    code = _JINJA.sub(lambda m_: re.sub(r"[^\n]", " ", m_.group(0)), body)  # template code: not text
    ends = [m_.end() - 1 for m_ in _JINJA.finditer(body)]  # (what it prints may end a link)

    breaks = [m_.start() for m_ in re.finditer("\n", code)]

    def line_of(pos: int) -> int:  # (a search, not a count: an article may have many problems)
        return bisect.bisect_left(breaks, pos) + 1 + offset

    in_fence = False
    fence_spans = []
    pos = 0
    for ln in code.split("\n"):
        if re.match(r"\s{0,3}(```|~~~)", ln):
            in_fence = not in_fence
            fence_spans.append((pos, pos + len(ln)))
        elif in_fence:
            fence_spans.append((pos, pos + len(ln)))
        pos += len(ln) + 1
    text = list(code)
    for a, b in fence_spans:  # code blocks are shown, not run: skip them
        text[a:b] = " " * (b - a)
    code = "".join(text)
    ends += [m_.end() - 1 for m_ in re.finditer(r"`[^`\n]*`", code)]
    code = re.sub(r"`[^`\n]*`", lambda m_: " " * len(m_.group(0)), code)  # inline code likewise

    for m_ in _TAG.finditer(code):
        closing, tag, rest = m_.group(1), m_.group(2).lower(), m_.group(3)
        if tag not in ARTICLE_TAGS:
            problems.error(origin, f"raw HTML <{tag}> is not allowed in articles; write Markdown "
                           f"(allowed tags: {', '.join(sorted(ARTICLE_TAGS))})",
                           line=line_of(m_.start()))
            continue
        if closing:
            continue
        for am in _ATTR.finditer(rest):
            name = am.group(1).lower()
            if name in ("/",):
                continue
            if name.startswith("on") or name not in ARTICLE_TAGS[tag]:
                problems.error(origin, f"attribute '{name}' is not allowed on <{tag}> in articles",
                               line=line_of(m_.start()))
    for m_ in _MD_LINK.finditer(code):
        url = next(g for g in m_.groups() if g is not None)
        while url.count(")") > url.count("("):
            url = url[:-1]
        scheme = _scheme_of(url)
        if scheme and scheme not in SAFE_SCHEMES:
            problems.error(origin, f"link address '{url[:60]}' uses {scheme}, which is not allowed; "
                           "links go to https:// addresses or to other pages of this site",
                           line=line_of(m_.start()))
    for m_ in _SPLIT_SCHEME.finditer(code):
        scheme = _scheme_of(m_.group(1))
        if scheme and scheme not in SAFE_SCHEMES:
            problems.error(origin, f"link address {m_.group(1)!r} uses {scheme} split by white "
                           "space, which is not allowed; links go to https:// addresses or to "
                           "other pages of this site", line=line_of(m_.start()))
    marked = list(code)
    for i in ends:
        if marked[i] == " ":
            marked[i] = "\0"
    lines_told: set[int] = set()
    for token, pos in attribute_list_entries("".join(marked)):
        line = line_of(pos)
        if not _ID_OR_CLASS.fullmatch(token) and line not in lines_told:
            lines_told.add(line)  # the first entry refused on a line is enough to act on
            problems.error(origin, f"attribute list entry {shown(token)} is not allowed; attribute "
                           "lists in articles may set only .classes and #ids", line=line)
    for i, ln in enumerate(code.split("\n")):
        if re.match(r"\s*(-{2,}8<-{2,}|;--8<--)", ln):
            problems.error(origin, "snippet includes are not enabled; pages cannot include files",
                           line=i + 1 + offset)
