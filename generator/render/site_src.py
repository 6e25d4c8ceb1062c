"""Hand-written pages and articles (``site_src/``): what the folder may hold, each page's front
matter, its markup checked, its template code run in the sandbox under its budget, and the
addresses generated pages keep for themselves."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel, Field

from .. import engine, site_paths
from ..markup import on_page, settle_citations
from ..problems import Problems
from ..share import SHARE_SIZE, Card, ShareCards
from ..reader import parse_yaml, read_file
from ..types import Page, PageMeta, PageState
from ..validate import validate
from ..values import DateField, Line, Paragraph
from .article_markup import check_article_markup
from .frame import (ARTICLE_AUTHOR, article_json_ld, data_as_of, meta_line, reading_minutes,
                    sources_footer, with_meta_line)
from .sandbox import budgeted_bytecode_cache, make_env, render_template

MAX_ARTICLE_BYTES = 512 * 1024


class FrontMatter(BaseModel):
    """What a page of site_src says about itself, between its '---' lines."""

    model_config = {"extra": "forbid", "frozen": True, "strict": True}
    title: Line
    description: Paragraph
    published: DateField | None = Field(None, description="Articles: first publication date.")
    updated: DateField | None = None
    hide_toc: bool = False
    lead: bool = Field(False, description="Articles: first on the articles index (one at most).")


_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)


def read_page_source(path: Path, rel_path: str, problems: Problems
                     ) -> tuple[FrontMatter | None, str, int, tuple[int, int]] | None:
    """A page's front matter, its body, the number of lines before the body and where its
    ``lead:`` is (line, column); None (problems noted) when it cannot be read."""
    text = read_file(path, rel_path, problems, max_bytes=MAX_ARTICLE_BYTES)
    if text is None:
        return None
    fm = _FRONT.match(text)
    if not fm:
        problems.error(rel_path, "a page starts with front matter between '---' lines holding at "
                       "least title: and description:", line=1, column=1)
        return None
    # parsed with an empty first line in place of the opening '---', so that every position,
    # of values and of problems alike, is the line of the file
    doc = parse_yaml("\n" + fm.group(1), rel_path, problems)
    if doc is None:
        return None
    meta = validate(rel_path, doc, FrontMatter, problems)
    body = text[fm.end():]
    offset = fm.group(0).count("\n")
    return meta, body, offset, doc.where(("lead",))


@dataclass
class HandPages:
    """What render_site_src made: the pages rendered (in path order), every page of site_src
    found by its docs path with what was rendered of it (see claim_addresses), the articles (for
    their index and the feed, newest first) and the sources the pages cited."""

    pages: list[Page] = field(default_factory=list)
    found: dict[str, list[Page]] = field(default_factory=dict)
    articles: list[dict] = field(default_factory=list)
    cited: set[str] = field(default_factory=set)


def render_site_src(sources: dict[str, Any], settings: Any, globals_: dict, problems: Problems,
                    source_page: dict[str, str], article: Any, page: Any,
                    share: ShareCards | None = None, articles: list | None = None,
                    kept: Any = None) -> HandPages:
    """Hand-written pages and articles: front matter checked, markup checked, Jinja run in the
    sandbox under each page's budget (``settings.limits``). ``article`` and ``page``: the page
    kinds of the files under ``articles/`` and of the others; ``share``: their share cards;
    ``articles``: the list to put the rendered articles in (the Api's, which lists them), which
    are rendered first; ``kept``: the pages kept from earlier builds (render/reuse.HandCache),
    each taken again when neither its text nor anything it read changed."""
    share = share if share is not None else ShareCards(None)
    site_src = settings.site_src
    src = settings.root / site_src
    out = HandPages() if articles is None else HandPages(articles=articles)
    bodies: dict[str, str] = {}
    env = make_env(jinja2.FunctionLoader(lambda name: (bodies[name], name, lambda: True)),
                   settings.limits)
    # the compiled form carries the budget's checks (limits.prepare): cached by the limits and
    # the generator's code as well as by the text (sandbox.budgeted_bytecode_cache)
    env.bytecode_cache = None if settings.clean else \
        budgeted_bytecode_cache(settings.root, settings.limits)
    env.globals.update(globals_)
    first = src / site_paths.ARTICLES  # articles before the pages that list them
    for path in sorted(markdown_files(src, site_src, problems),
                       key=lambda p: (not p.is_relative_to(first), p)):
        rel_doc = path.relative_to(src).as_posix()
        origin = f"{site_src}/{rel_doc}"
        out.found.setdefault(rel_doc, [])
        got = read_page_source(path, origin, problems)
        if got is None or got[0] is None:
            continue
        fm, body, offset, lead_at = got
        kind = article if rel_doc.startswith(f"{site_paths.ARTICLES}/") else page
        if kind is article and fm.published is None:
            problems.error(origin, "articles need 'published:' in their front matter (YYYY-MM-DD)",
                           line=2, column=1)
            continue
        if fm.lead and _lead_problem(kind is article, origin, lead_at, out, problems):
            continue
        before = len(problems.items)
        check_article_markup(body, origin, offset, problems)
        if len(problems.items) > before:
            continue
        dated = kind is article
        key = kept.key_of(rel_doc, fm.model_dump_json(), body, settings.limits) \
            if kept is not None else None
        got_kept = kept.get(key) if key is not None else None
        if got_kept is not None and (not dated or type(got_kept[2].get("minutes")) is int):
            held, cited, extra = got_kept
            out.cited.update(cited)
            share.add(rel_doc, origin, Card(fm.title, description=fm.description))  # its file
            _add(out, held.moved(rel_doc, origin), rel_doc, fm, extra.get("minutes"), dated)
            continue
        state = PageState(rel_doc)
        with on_page(state):
            bodies[origin] = body
            text = render_template(env, origin, origin, {}, problems, line_offset=offset)
            if text is None:
                continue
            text = settle_citations(text)
            footer = sources_footer(sources, source_page)
            as_of = data_as_of(max(state.event_dates, default=None))
            out.cited.update(state.sources)
        image, alt = share.add(rel_doc, origin, Card(fm.title, description=fm.description))
        meta = PageMeta(fm.title, fm.description, kind.name, origin,
                        published=str(fm.published) if fm.published else None,
                        author=ARTICLE_AUTHOR if dated else None,
                        updated=str(fm.updated) if fm.updated else None,
                        reading_minutes=reading_minutes(text) if dated else None,
                        data_as_of=as_of or None, og_type=kind.og_type,
                        search_boost=kind.search_boost, show_toc=not fm.hide_toc,
                        jsonld=article_json_ld(fm) if dated else None, share_image=image,
                        share_alt=alt, share_size=SHARE_SIZE)
        text = with_meta_line(text, meta_line(meta))  # pages stating events show "data as of"
        source = engine.page_source(meta, text + footer, settings.edit_url_base)
        made = Page(rel_doc, source.encode("utf-8"), origin)
        _add(out, made, rel_doc, fm, meta.reading_minutes, dated)
        if key is not None and len(problems.items) == before:
            kept.put(key, made, list(state.sources), list(state.charts), sorted(state.reads),
                     {"minutes": meta.reading_minutes})
    out.articles.sort(key=lambda a: (a["meta"].published, a["meta"].title), reverse=True)
    out.pages.sort(key=lambda p: Path(p.path))  # in path order, as they are found
    return out


def _add(out: HandPages, page: Page, rel_doc: str, fm: FrontMatter, minutes: int | None,
         dated: bool) -> None:
    out.pages.append(page)
    out.found[rel_doc].append(page)
    if dated and rel_doc != f"{site_paths.ARTICLES}/index.md":
        out.articles.append({"path": rel_doc, "meta": fm, "minutes": minutes,
                             "origin": page.origin})


def _lead_problem(is_article: bool, origin: str, at: tuple[int, int], out: HandPages,
                  problems: Problems) -> bool:
    """Whether ``lead: true`` is refused here: only an article leads the articles index, and
    only one (files are read in path order, so the first one keeps it)."""
    line, col = at
    if not is_article:
        problems.error(origin, "only an article (in articles/) can lead the articles index; "
                       "remove 'lead: true'", line=line, column=col, field="lead")
        return True
    first = next((a["origin"] for a in out.articles if a["meta"].lead), None)
    if first is not None:
        problems.error(origin, f"{first} leads the articles index already; one article leads "
                       "it, so remove 'lead: true' from one of them", line=line, column=col,
                       field="lead")
        return True
    return False


def markdown_files(src: Path, site_src: str, problems: Problems) -> list[Path]:
    """The Markdown pages under site_src. Every other entry is judged by the rules of
    :mod:`generator.site_paths` (MkDocs would publish it as it is): assets of the listed types in
    site_src/assets/ pass; any other file, a link, a special file, a name not of the documented
    form or a name the site keeps for itself is refused with its path. Links are never followed;
    hidden entries (``.name``, which MkDocs never publishes) are looked at for links only."""
    out: list[Path] = []
    if src.is_symlink():
        problems.error(site_src, "is a symbolic link; links are never followed")
        return out
    if not src.is_dir():
        problems.error(site_src, "the folder of articles and pages is missing")
        return out
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        base = Path(dirpath)
        folder = base.relative_to(src).parts
        here = "/".join((site_src, *folder))
        hidden = any(site_paths.ignored(part) for part in folder)
        for d in sorted(dirnames):
            judged = not (hidden or site_paths.ignored(d))
            bad = site_paths.entry_problem(folder, d, is_dir=True) if judged else None
            if (base / d).is_symlink():
                problems.error(f"{here}/{d}", "is a symbolic link; links are never followed")
            elif bad is not None:
                problems.error(f"{here}/{d}", bad)
            else:
                continue
            dirnames.remove(d)  # not entered
        for f in sorted(filenames):
            p = base / f
            judged = not (hidden or site_paths.ignored(f))
            bad = site_paths.entry_problem(folder, f, is_dir=False) if judged else None
            if judged and bad is None and folder[:1] != (site_paths.ASSETS,):
                out.append(p)  # a page: links and special files are refused by read_file
            elif p.is_symlink():
                problems.error(f"{here}/{f}", "is a symbolic link; links are never followed")
            elif not p.is_file():
                problems.error(f"{here}/{f}", "is not a regular file; commit a plain file here")
            elif bad is not None:
                problems.error(f"{here}/{f}", bad)
    return out


def claim_addresses(pages: list[Page], hand: dict[str, list[Page]], site_src: str,
                     problems: Problems) -> None:
    """Generated pages own their addresses: a hand-written page (``hand``: each page of site_src
    found, by its docs path, with what was rendered of it) published at the address of a
    generated page, or of another hand-written page, is refused and left out. The generated
    addresses are those of the pages rendered, so that a new kind of page is covered as soon as
    it exists."""
    mine = {id(p) for got in hand.values() for p in got}
    generated: dict[str, Page] = {}
    for p in pages:
        if id(p) not in mine:
            generated.setdefault(site_paths.address(p.path), p)
    taken: dict[str, str] = {}
    refused: set[int] = set()
    for rel_doc in sorted(hand):
        where = site_paths.address(rel_doc)
        shown_at = f"{where}" if where else "the home page"
        origin = f"{site_src}/{rel_doc}"
        if where in generated:
            problems.error(origin, f"{shown_at} is the address of a page the site generates "
                           f"(from {generated[where].origin}); a hand-written page cannot take "
                           "its place; give this file another name")
        elif where in taken:
            problems.error(origin, f"is published at {shown_at}, as {taken[where]} is; one "
                           "address, one page: rename one of them")
        else:
            taken[where] = origin
            continue
        refused.update(id(p) for p in hand[rel_doc])
    if refused:
        pages[:] = [p for p in pages if id(p) not in refused]


