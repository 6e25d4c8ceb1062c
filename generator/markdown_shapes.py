"""Markdown shapes that Python-Markdown converts in time growing faster than the text (or by
recursing past Python's limit), and the limits a page's Markdown is held to: checked on the text an
article's template code wrote, each shape reported at its position."""

from __future__ import annotations

import re
from dataclasses import dataclass


def written(number: float) -> str:
    """A number as the messages write it: 1,000,000 or 2.5."""
    return f"{number:,}" if isinstance(number, int) else f"{number:g}"


# Measured with the project's extensions (tables, fenced_code, def_list, attr_list, md_in_html,
# admonition, pymdownx.details, toc): each '[' in a paragraph makes Markdown read on through the
# rest of it (about 1e-7 s per character read), each '<' likewise (1.5e-8 s), and each '`', '*',
# '_', '&' or '\' more cheaply (5e-10 s); so 20 KB of '[' took over a minute, while 200 KB of
# ordinary prose takes 0.3 s. A heading, rule or definition inside a block of lines makes it split
# the block and copy the rest (100 KB of headings without blank lines: 14 s); a code fence makes it
# search the whole page again; lists, notes and HTML with markdown="1" nested a few hundred deep
# recurse past Python's limit, and each level of '>' quotes reads the text again. Beyond some
# 20,000 blocks (paragraphs, list items, table rows) even the linear work takes seconds.


@dataclass(frozen=True)
class MarkdownLimits:
    """What one page's Markdown may hold, so that converting it stays well under a second or two
    (see the measurements above). Checked on the text the template code wrote."""

    blocks: int = 20_000  # paragraphs, headings, list items, table rows, quote levels
    breaks: int = 50  # headings, rules, underlines and definitions in one block of lines
    fences: int = 200  # lines that open or close a code block
    nesting: int = 10  # levels of lists and notes (4 spaces each), and of markdown="1" HTML
    quotes: int = 5  # levels of '>' inside one another
    # characters × marks for one paragraph, and for the whole page, per kind of mark
    brackets: tuple[int, int] = (2_000_000, 8_000_000)
    angles: tuple[int, int] = (20_000_000, 60_000_000)
    marks: tuple[int, int] = (400_000_000, 2_000_000_000)



# (name in messages, characters counted, what to do instead)
_MARK_KINDS = (
    ("brackets", "'['", "[", "close each '[' soon after it opens, write &#91; for one that stays "
                             "open, or split the paragraph"),
    ("angles", "'<'", "<", "write &lt; for a '<' that is not a tag, or split the paragraph"),
    ("marks", "'`', '*', '_', '&' and '\\'", "`*_&\\", "split the paragraph"),
)
_FENCE_LIKE = re.compile(r" {0,3}(?:`{3,}|~{3,})")
_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*"
                         r"(?:hl_lines=(\"|').*?\2[ ]*)?)$")
_PREFIX = re.compile(r"(?:[ ]*(?:>|[-*+](?=[ ]|$)|\d{1,9}[.)](?=[ ]|$)))+")
_ITEM = re.compile(r"[ ]*(?:[-*+]|\d{1,9}[.)])(?:[ ]|$)|[ ]{0,3}(?:#|:[ ])")
_BREAK = re.compile(r"[ ]{0,3}(?:#{1,6}(?:[ ]|$)|(?:[-*_][ ]*){3,}$|=+[ ]*$|-+[ ]*$|:[ ])")
# (every pattern here runs in time linear in its line: none can backtrack over a long run)
_HTML_LINE = re.compile(r"[ ]{0,3}<([A-Za-z][A-Za-z0-9-]*)([^<>]*)")
_TAG_OPEN = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_CLOSE = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")


def markdown_shapes(text: str, limits: MarkdownLimits) -> list[tuple[int, str]]:
    """The shapes in ``text`` (a page's Markdown) that would make converting it slow or recurse
    past Python's limit: (position in ``text``, message) each. Linear in the text."""
    lines = text.split("\n")
    starts = []
    pos = 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    out: list[tuple[int, str]] = []
    code = _code_lines(lines, starts, limits, out)
    units = _blocks(lines, starts, code, limits, out)
    _marks(text, lines, starts, units, limits, out)
    return sorted(out)


def _code_lines(lines: list[str], starts: list[int], limits: MarkdownLimits,
                out: list[tuple[int, str]]) -> set[int]:
    """The lines of code blocks (never read as Markdown), found as Python-Markdown's fenced_code
    finds them; an opening fence without its closing one is not a code block."""
    code: set[int] = set()
    fence_lines = [i for i, ln in enumerate(lines) if _FENCE_LIKE.match(ln)]
    if len(fence_lines) > limits.fences:
        out.append((starts[fence_lines[limits.fences]],
                    f"more than {written(limits.fences)} code fences (``` or ~~~) in one page: "
                    "Markdown searches the whole page again for each; use fewer code blocks"))
        return code
    i = 0
    while i < len(lines):
        m_ = _FENCE_OPEN.match(lines[i])
        if m_:
            fence = m_.group(1)
            end = next((j for j in range(i + 1, len(lines))
                        if lines[j].rstrip(" ") == fence), None)
            if end is not None:
                code.update(range(i, end + 1))
                i = end + 1
                continue
        i += 1
    return code


def _blocks(lines: list[str], starts: list[int], code: set[int], limits: MarkdownLimits,
            out: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Blocks, nesting, quotes and breaks, line by line; returns the (first line, last line) of
    each paragraph-like unit."""
    from markdown.util import BLOCK_LEVEL_ELEMENTS

    block_tags = set(BLOCK_LEVEL_ELEMENTS)
    blocks = 0
    md_html: list[str] = []  # open HTML elements with markdown="1"
    units: list[tuple[int, int]] = []  # (first line, last line) of each paragraph-like unit
    block_first = -1  # first line of the current block of lines, -1 between blocks
    breaks = 0
    table = False
    unit_start = -1
    reported: set[str] = set()

    def report(key: str, i: int, message: str) -> None:
        if key not in reported:
            reported.add(key)
            out.append((starts[i], message))

    def close_unit(last: int) -> None:
        nonlocal unit_start
        if unit_start >= 0:
            units.append((unit_start, last))
        unit_start = -1

    for i, raw in enumerate(lines):
        ln = raw.expandtabs(4)
        if i in code or not ln.strip():
            close_unit(i - 1)
            block_first = -1
            continue
        for m_ in _TAG_OPEN.finditer(ln):
            if "markdown" not in m_.group(2):
                continue
            md_html.append(m_.group(1).lower())
            if len(md_html) > limits.nesting:
                report("html", i, f"HTML elements with markdown=\"1\" nested more than "
                       f"{written(limits.nesting)} deep: Markdown reads each level on its own; "
                       "nest fewer")
        for m_ in _CLOSE.finditer(ln):
            if md_html and md_html[-1] == m_.group(1).lower():
                md_html.pop()
        indent = len(ln) - len(ln.lstrip(" "))
        if indent > 4 * limits.nesting:
            report("indent", i, f"a line indented by more than {written(4 * limits.nesting)} "
                   f"spaces: lists and notes nested more than {written(limits.nesting)} deep "
                   "make Markdown recurse too deeply; nest fewer")
        prefix = _PREFIX.match(ln)
        quotes = prefix.group(0).count(">") if prefix else 0
        if quotes > limits.quotes:
            report("quotes", i, f"quotes nested more than {written(limits.quotes)} deep ('>' "
                   "inside '>'): Markdown reads the text again for each level; nest fewer")
        html = _HTML_LINE.match(ln)
        if html and html.group(1).lower() in block_tags and "markdown" not in html.group(2):
            close_unit(i - 1)  # raw HTML: kept as it is, never read as Markdown
            block_first = -1
            continue
        if block_first < 0:
            block_first, breaks = i, 0
            below = lines[i + 1].strip() if i + 1 < len(lines) else ""
            table = "|" in ln and "-" in below and set(below) <= set("|-: ")
        elif _BREAK.match(ln):
            breaks += 1
            if breaks > limits.breaks:
                report("breaks", i, f"more than {written(limits.breaks)} headings, rules or "
                       "definitions in one block of lines: Markdown splits the block at "
                       "each one and copies the rest; put blank lines between them")
        if table or unit_start < 0 or _ITEM.match(ln):
            close_unit(i - 1)
            unit_start = i
            blocks += 1 + quotes
            if blocks > limits.blocks:
                report("blocks", i, f"more than {written(limits.blocks)} blocks (paragraphs, "
                       "headings, list items, table rows) in one page: Markdown takes "
                       "seconds to convert them; make the page shorter")
    close_unit(len(lines) - 1)
    return units


def _marks(text: str, lines: list[str], starts: list[int], units: list[tuple[int, int]],
           limits: MarkdownLimits, out: list[tuple[int, str]]) -> None:
    """Characters that make Markdown read a paragraph again, times the paragraph's length, for
    each paragraph and for the page."""
    for key, shown_marks, chars, advice in _MARK_KINDS:
        per_unit, per_page = getattr(limits, key)
        total = count = 0
        worst = (0, 0)
        for first, last in units:
            a, b = starts[first], starts[last] + len(lines[last])
            piece = text[a:b]
            n = sum(piece.count(c) for c in chars)
            if not n:
                continue
            work = n * (b - a)
            total += work
            count += n
            if work > worst[0]:  # the first of the worst paragraphs
                worst = (work, a)
            if work > per_unit:
                out.append((a, f"this paragraph holds {written(n)} {shown_marks} in {written(b - a)} "
                            "characters, and Markdown reads the paragraph again for each: one "
                            f"this long may hold at most {written(per_unit // (b - a))}; {advice}"))
        if total > per_page and worst[0] <= per_unit:  # (else reported paragraph by paragraph)
            out.append((worst[1], f"the paragraphs of this page hold {written(count)} {shown_marks} "
                        f"in all, too many for their length: Markdown reads a paragraph again "
                        f"for each, {written(total)} characters in all, more than the "
                        f"{written(per_page)} allowed for one page; {advice}"))
