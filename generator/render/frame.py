"""What the core puts around a page's own text: the dates line under its title, the numbered list of
the sources it cited, its reading time and its structured data (JSON-LD)."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from markupsafe import Markup

from .. import engine
from .. import model as m
from ..escape import json_for_html, md
from ..markup import current_page, rel
from ..types import PageMeta
from ..values import parse_date


# who signs the articles: the site's editors (an article is reviewed like code, not one person's)
ARTICLE_AUTHOR = "Frontier Ledger editors"


def reading_minutes(markdown_text: str) -> int:
    """Minutes to read a page, at 230 words a minute."""
    # a chart's SVG (its axis and mark labels) is not read as text: it is left out, so that the
    # count is the same whether the page holds the SVG or a reference to it (see generator.engine)
    text = re.sub(r"<svg\b.*?</svg>", " ", markdown_text, flags=re.S)
    words = len(re.findall(r"[A-Za-z0-9$€£%][^\s]*", re.sub(r"<[^>]+>", " ", text)))
    return max(1, math.ceil(words / 230))


def json_ld(data: dict[str, Any]) -> str:
    """JSON for a <script type="application/ld+json"> block that no data can break out of."""
    return json_for_html(json.dumps(data, ensure_ascii=False, sort_keys=True,
                                    separators=(",", ":")))


def company_json_ld(c: m.Company) -> str:
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Organization",
                            "name": c.name, "description": c.summary}
    if c.website:
        data["url"] = c.website
    if c.founded:
        data["foundingDate"] = str(c.founded)
    if c.headquarters:
        data["location"] = c.headquarters
    return json_ld(data)


def article_json_ld(meta: Any) -> str:
    """Structured data about an article, from its front matter."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Article",
                            "headline": meta.title, "description": meta.description,
                            "publisher": {"@type": "Organization", "name": "Frontier Ledger"},
                            "author": {"@type": "Organization", "name": ARTICLE_AUTHOR}}
    if meta.published:
        data["datePublished"] = str(meta.published)
        data["dateModified"] = str(meta.updated or meta.published)
    return json_ld(data)


def meta_line(meta: PageMeta) -> str:
    """The dates line under a page's title: author, published, updated, reading time, data as of,
    and when the record behind it was last checked."""
    bits = [f"by {meta.author}"] if meta.author else []
    if meta.published:
        bits.append(f"Published {parse_date(meta.published).display()}")
    if meta.updated:
        bits.append(f"updated {parse_date(meta.updated).display()}")
    if meta.reading_minutes:
        bits.append(f"{meta.reading_minutes} min read")
    if meta.data_as_of:
        bits.append(f"data as of {meta.data_as_of}")
    if meta.last_checked:
        bits.append(f"last checked {meta.last_checked}")
    if not bits:
        return ""
    text = " · ".join(bits)
    return f'<p class="fl-meta">{md(text[0].upper() + text[1:])}</p>\n'


def with_meta_line(body: str, line: str) -> str:
    """Insert the dates line after the page's first heading (or at the top)."""
    if not line:
        return body
    m_ = re.search(r"^# .*\n", body, re.M)
    if not m_:
        return line + "\n" + body
    return body[: m_.end()] + "\n" + line + body[m_.end():]


def source_reference(s: m.Source, *, strong: bool = False) -> str:
    """How a source is named wherever it is cited, as Markdown with HTML links: the original
    outlet (in bold with ``strong``), its title (linked when its exact address is known), its
    date, and the copy or summary that was read: "Bloomberg, 'Title', 19 November 2025, read via
    a copy at Republic World"."""
    who = f"**{md(s.publisher)}**" if strong else str(md(s.publisher))
    who += f" (story by {md(s.syndicated_from)})" if s.syndicated_from else ""
    title = f"‘{md(s.title)}’"
    if s.link is not None:
        title = f'<a href="{md(s.link)}" rel="noopener">{title}</a>'
    if s.exact_url_unknown:
        title += " (exact address not known)"
    elif s.url is not None and not s.url_verified:
        title += " (address not verified)"
    out = f"{who}, {title}, {md(s.published_text)}"
    if s.read_via is not None:
        v = s.read_via
        out += (f", read via a {v.kind} at "
                f'<a href="{md(v.url)}" rel="noopener">{md(v.publisher)}</a>')
    return out


def source_entry(s: m.Source) -> Markup:
    """A source's entry on the sources page: its reference, when it was read, its tier and what
    is known about its address."""
    parts = [f"{source_reference(s, strong=True)}."]
    if s.read_via is not None and s.read_via.published is not None:
        parts.append(f"The {s.read_via.kind} is dated {md(s.read_via.published.display())}.")
    parts.append(f"Read {md(s.read_date.display())}. {m.TIER_LABEL[s.tier]}.")
    return Markup(" ".join(parts))


def sources_footer(sources: dict[str, m.Source], where: dict[str, str]) -> str:
    """The numbered sources list of the page being rendered. ``where``: source id → the page of
    the sources list that holds its record."""
    state = current_page()
    if not state.sources:
        return ""
    items = []
    for n, sid in enumerate(state.sources, 1):
        items.append(
            f'{n}. <span id="fl-src-{n}"></span>{source_reference(sources[sid])}. '
            f'[About this source]({rel(where[sid] + "#src-" + sid)})'
            + engine.attr_list(".fl-srcref"))
    # left out of the search index: a search for a publisher should find the sources page, not
    # the end of every page that cites it
    return (f'\n\n<div class="fl-sources" {engine.SEARCH_EXCLUDE} markdown>\n\n'
            f'## Sources for this page {engine.attr_list(engine.SEARCH_EXCLUDE)}\n\n' +
            "\n".join(items) + "\n\n</div>\n")


def data_as_of(date: Any) -> str | None:
    """What the dates line says the data is as of: the latest event's date, and that it is
    one ('28 May 2026 (latest event)'); None without a date."""
    return f"{date.display()} (latest event)" if date is not None else None
