"""The page being rendered, and the markup every part of a page shares: links relative to it,
citation marks numbered on it, the status badge and short dates.

Templates, articles and charts all write onto the page being rendered; :func:`on_page` makes a
:class:`~generator.types.PageState` current for the length of one page (a context variable, so
that nothing leaks from one page, thread or process to another).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import posixpath
import re
from typing import Iterable, Iterator

from markupsafe import Markup

from .escape import md
from .model import STATUS_MEANING
from .types import PageState
from .values import MONTHS, PartialDate

_page: contextvars.ContextVar[PageState] = contextvars.ContextVar("page")


@contextlib.contextmanager
def on_page(state: PageState) -> Iterator[PageState]:
    """Make ``state`` the page being rendered until the block ends."""
    token = _page.set(state)
    try:
        yield state
    finally:
        _page.reset(token)


def current_page() -> PageState:
    """The page being rendered (LookupError outside :func:`on_page`)."""
    return _page.get()


def rel(target: str) -> str:
    """Link from the page being rendered to another docs path ('sources.md#src-x')."""
    here = posixpath.dirname(_page.get().path)
    path, _, anchor = target.partition("#")
    out = _relpath(path, here)
    return out + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=65536)
def _relpath(path: str, here: str) -> str:
    # posixpath.relpath makes both paths absolute first, which was a fifth of the check's time
    # at a thousand companies (tens of thousands of links, most to the same few pages)
    return posixpath.relpath(path, here or ".")


def link(text: str, docs_path: str) -> Markup:
    """A Markdown link with escaped text to another page of the site."""
    return Markup(f"[{md(text)}]({rel(docs_path)})")


def status_badge(status: str) -> Markup:
    """The status of a figure, as a badge whose title says what the status means."""
    return Markup(f'<span class="fl-status fl-status--{status}" '
                  f'title="{STATUS_MEANING[status]}">{status}</span>')


# What the mark beside a figure resting on secondary sources only says (generator.facts.
# secondary_only); the sources page explains it at #secondary-only.
SECONDARY_ONLY = ("secondary only: no primary source or news outlet's own page behind this was "
                  "read, only copies, summaries, aggregators or addresses cited elsewhere")


def secondary_mark() -> Markup:
    """The mark of a figure resting on secondary sources only: a short visible word linked to
    the explanation on the sources page; its accessible name (and tooltip) says what it means.
    It is not a status."""
    return Markup(f'<a class="fl-secondary" href="{rel("sources.md#secondary-only")}" '
                  f'title="{SECONDARY_ONLY}" aria-label="{SECONDARY_ONLY}">secondary only</a>')


def cite_marks(sources: Iterable[str], status: str = "confirmed", *,
               secondary: bool = False) -> Markup:
    """Superscript links to the page's numbered source list; runs of three or more numbers are
    shown as a range (8–14). A status other than confirmed is spelled out after them, and
    ``secondary`` (the sources are all secondary) adds its mark."""
    state = _page.get()
    return _marks(sorted({state.number(sid) for sid in sources}), status, secondary)


def differ_marks(sources: Iterable[str]) -> Markup:
    """'reports differ', with the citations of the other reports: after a figure whose sources
    disagree (the figure shown is the one its record uses)."""
    state = _page.get()
    numbers = sorted({state.number(sid) for sid in sources})
    return Markup(f'<sup class="fl-differ">reports differ: {_numbers_html(numbers)}</sup>')


# A computed figure (a ratio, a difference, a total) carries no citations of its own: the sources
# of the figures it is computed from go at the end of its sentence, unless the sentence already
# cites them, and its status with them. What is left in its place until the page is finished:
_DEFERRED = re.compile("\ue000([0-9]+)\ue001")
# (a table cell ends at its '|', the row's last one too, before the line break)
_SENTENCE_END = re.compile(r"[.!?;:](?=\s|$)|[ \t]*\|(?=[ \t\n]|$)|\n")
_CITED = re.compile(r'<sup class="fl-(?:cite|differ)">(.*?)</sup>', re.S)
_RUN = re.compile(r"([0-9]+)(?:–([0-9]+))?")
_BADGE = re.compile(r'fl-status--([a-z]+)"')


def deferred_marks(sources: Iterable[str], status: str, secondary: bool = False) -> str:
    """A place-holder for the citations of a computed figure (see :func:`settle_citations`);
    ``secondary``: it is computed from a figure resting on secondary sources only."""
    state = _page.get()
    state.deferred.append((sorted({state.number(sid) for sid in sources}), status, secondary))
    return f"\ue000{len(state.deferred) - 1}\ue001"


def _boundaries(text: str) -> list[int]:
    """Where the sentences (clauses, table cells, lines) of the text end, outside HTML tags."""
    out = []
    for m_ in _SENTENCE_END.finditer(text):
        if text.rfind("<", 0, m_.start()) > text.rfind(">", 0, m_.start()):
            continue  # inside a tag: an attribute's text
        out.append(m_.start())
    return out + [len(text)]


_ITEM = re.compile(r"\n[ \t]*(?:\||[-*+] |[0-9]+\. )")


def _paragraph_start(text: str, pos: int) -> int:
    """Where the paragraph holding ``pos`` starts: after a blank line, or at the start of its
    table row or list item."""
    blank = text.rfind("\n\n", 0, pos)
    line = text.rfind("\n", 0, pos)
    if line >= 0 and _ITEM.match(text, line):
        return line + 1
    return blank + 2 if blank >= 0 else 0


def _cited(text: str) -> set[int]:
    """The source numbers the citation marks in ``text`` show (a run 8–11 is 8, 9, 10, 11)."""
    out: set[int] = set()
    for inner in _CITED.findall(text):
        for a, b in _RUN.findall(re.sub(r"<[^>]+>", "", inner)):
            out.update(range(int(a), int(b or a) + 1))
    return out


def settle_citations(text: str) -> str:
    """The page's text with the citations of each computed figure at the end of its sentence
    (before the full stop, or the end of the table cell or line), leaving out the sources its
    paragraph cites already (up to there), and its status and secondary mark if the paragraph
    shows them."""
    if "\ue000" not in text:
        return text
    deferred = _page.get().deferred
    out: list[str] = []
    start = 0
    for end in _boundaries(text):
        sentence = text[start:end]
        if "\ue000" in sentence:
            pending = [deferred[int(i)] for i in _DEFERRED.findall(sentence)
                       if int(i) < len(deferred)]
            sentence = _DEFERRED.sub("", sentence)
            whole = "".join(out) + sentence
            before = whole[_paragraph_start(whole, len(whole)):]
            cited = _cited(before)
            numbers = sorted({n for nums, _, _ in pending for n in nums} - cited)
            status = max((st for _, st, _ in pending), key=_TRUST.index, default="confirmed")
            if status in _BADGE.findall(before):
                status = "confirmed"
            secondary = any(sec for _, _, sec in pending) and 'class="fl-secondary"' not in before
            if numbers:
                sentence += str(_marks(numbers, status, secondary))
            else:
                sentence += f" {status_badge(status)}" if status != "confirmed" else ""
                sentence += f" {secondary_mark()}" if secondary else ""
        out.append(sentence)
        start = end
    return "".join(out)


_TRUST = ("confirmed", "reported", "rumored", "unverified")


def _numbers_html(numbers: list[int]) -> str:
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])

    def a(n: int) -> str:
        return f'<a href="#fl-src-{n}" title="Source {n}">{n}</a>'

    parts = [f"{a(r[0])}–{a(r[-1])}" if len(r) >= 3 else ",".join(a(n) for n in r) for r in runs]
    return "[" + ",".join(parts) + "]"


def _marks(numbers: list[int], status: str, secondary: bool = False) -> Markup:
    out = f'<sup class="fl-cite">{_numbers_html(numbers)}</sup>'
    if status != "confirmed":
        out += f" {status_badge(status)}"
    if secondary:
        out += f" {secondary_mark()}"
    return Markup(out)


def short_date(d: PartialDate) -> str:
    """'28 May 2026', 'May 2021', '2021' with abbreviated month names, for table cells."""
    if not d.month:
        return str(d.year)
    month = MONTHS[d.month - 1][:3] if len(MONTHS[d.month - 1]) > 4 else MONTHS[d.month - 1]
    return f"{d.day} {month} {d.year}" if d.day else f"{month} {d.year}"
