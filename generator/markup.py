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
    numbers = sorted({state.number(sid) for sid in sources})
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])

    def a(n: int) -> str:
        return f'<a href="#fl-src-{n}" title="Source {n}">{n}</a>'

    parts = [f"{a(r[0])}–{a(r[-1])}" if len(r) >= 3 else ",".join(a(n) for n in r) for r in runs]
    out = '<sup class="fl-cite">[' + ",".join(parts) + "]</sup>"
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
