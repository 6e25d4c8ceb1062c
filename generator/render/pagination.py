"""Long lists in pages of their own (the sources, the companies index), as the blog plugin of
Material does for posts: which entries each page holds, the way to the others, and their titles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .. import model as m
from ..escape import md
from ..markup import rel

# How many entries a page of a long list holds is a setting (settings.Lists): the shipped data
# fits on one page of each list, which is then exactly as before; at 5,000 companies one sources
# page of 20,000 entries was 7 MB and the largest memory peak of the build, and no reader could use
# it on a phone.


@dataclass(frozen=True)
class Pager:
    """One page of a long list: the items it shows and the way to the other pages."""

    number: int  # 1-based
    paths: tuple[str, ...]  # docs path of every page of the list, in order
    ranges: tuple[str, ...]  # what every page holds, "Acme AI – Beta Labs"
    start: int  # 0-based position of this page's first item in the whole list
    items: tuple
    total: int  # items in the whole list

    @property
    def path(self) -> str:
        return self.paths[self.number - 1]


def paginate(items: list, per_page: int, first: str, folder: str,
             held: Any = None) -> list[Pager]:
    """``items`` in pages of ``per_page``: the first at ``first`` ("sources.md"), the others at
    ``folder/page/N.md`` ("sources/page/2.md" → /sources/page/2/), as the blog plugin does.
    ``held(first, last)``: what a page holds, in words (by default: "first – last")."""
    held = held or (lambda a, b: span(str(a), str(b)))
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
    paths = (first,) + tuple(f"{folder}/page/{k}.md" for k in range(2, len(chunks) + 1))
    ranges = tuple(held(ch[0], ch[-1]) if ch else "" for ch in chunks)
    return [Pager(k + 1, paths, ranges, k * per_page, tuple(ch), len(items))
            for k, ch in enumerate(chunks)]


def span(first: str, last: str) -> str:
    """"Acme AI – Beta Labs", or the one name."""
    return first if first == last else f"{first} – {last}"


def source_span(a: m.Source, b: m.Source) -> str:
    """"Bloomberg – Reuters", or "Reuters (2024–2026)" for a page of one publisher's records."""
    if a.publisher != b.publisher:
        return f"{a.publisher} – {b.publisher}"
    years = sorted({a.as_of.year, b.as_of.year})
    return f"{a.publisher} ({'–'.join(map(str, years))})"


def _steps(pager: Pager) -> str:
    steps = []
    if pager.number > 1:
        steps.append(f"[← Previous page]({rel(pager.paths[pager.number - 2])})")
    if pager.number < len(pager.paths):
        steps.append(f"[Next page →]({rel(pager.paths[pager.number])})")
    return " · ".join(steps)


def pager_nav(pager: Pager, noun: str) -> Markup:
    """Where this page sits in its list, the next and previous pages, and every page by the range
    of its entries, folded away so that a phone shows the list itself first (nothing when the list
    fits on one page). Markdown inside the HTML, so that MkDocs checks the links."""
    if len(pager.paths) == 1:
        return Markup("")
    n = len(pager.paths)
    items = []
    for k, (path, held) in enumerate(zip(pager.paths, pager.ranges), 1):
        text = md(held)
        items.append(f'<li><strong aria-current="page">{text}</strong></li>' if k == pager.number
                     else f'<li markdown="span">[{text}]({rel(path)})</li>')
    shown = f"{pager.start + 1:,}–{pager.start + len(pager.items):,}"
    return Markup(
        f'<nav class="fl-pager" aria-label="Pages of the list of {noun}" markdown>\n\n'
        f"{noun.capitalize()} {shown} of {pager.total:,}: page {pager.number} of {n}. "
        f"{_steps(pager)}\n\n"
        f'<details class="fl-pager__all" markdown="1">\n<summary>All {n} pages</summary>\n'
        f'<ol class="fl-pager__pages" markdown="1">\n' + "\n".join(items) +
        "\n</ol>\n</details>\n</nav>\n")


def pager_steps(pager: Pager, noun: str) -> Markup:
    """Previous and next page links, for the end of a page of a long list."""
    if len(pager.paths) == 1:
        return Markup("")
    return Markup(f'<nav class="fl-pager fl-pager--steps" aria-label="More {noun}" markdown>\n'
                  + _steps(pager) + "\n</nav>\n")


def numbered(title: str, pager: Pager) -> str:
    n = len(pager.paths)
    return title if n == 1 else f"{title}, page {pager.number} of {n}"
