"""Kept pages of the kinds that list many records (the sources list's pages): a page is rendered
again only when what it reads changed. The profiles have their own cache (reuse.py), whose key
this one shares for what every page reads.

What such a page reads, and so its key: what every generated page reads
(:meth:`~generator.render.reuse.ProfileCache.site_key`: the render's code and templates, the
settings that shape pages, every data file that is not a company or a source); its path; what
its kind says it reads (:attr:`~generator.render.pages.PageKind.reads`: for a page of the
sources list, its place in the list, each record it shows, their file's digest and what cites
them, and the site's "data as of"); and, recorded while it was rendered, each source it cites.
A kind's template that uses any name beyond its own context and :data:`LIST_NAMES` is never
kept (checked in its source), nor is a page whose rendering reported anything. Entries live in
``render/`` of the project's cache folder, as JSON; best effort: an entry that cannot be read is
a page rendered again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..cachedir import write_atomically
from ..pagecache import digest

# What a kept kind's template may use besides its page's context: functions that read nothing
# but their arguments and the page being rendered, and Jinja's own names.
LIST_NAMES = frozenset({
    "m", "rel", "link", "page_link", "source_entry", "status_badge", "pager_nav", "pager_steps",
    "range", "loop", "true", "false", "none", "True", "False", "None", "dict", "lipsum",
    "cycler", "joiner", "namespace"})


class PageMemo:
    """The kept pages of one render: :meth:`get` a page's Markdown when nothing it read changed,
    :meth:`put` one rendered now. ``site``: the key of what every page reads."""

    def __init__(self, folder: Path, ds: Any, site: str, source_page: dict[str, str]):
        self.folder = folder
        self.ds = ds
        self.site = site
        self.source_page = source_page
        self.hits = 0

    def _file(self, path: str, reads: list[str]) -> Path:
        return self.folder / f"{digest(self.site, 'list', path, *reads)}.json"

    def _cited(self, sources: list[str]) -> list[str]:
        out = []
        for sid in sources:
            rel = self.ds.origins.get(("sources", sid))
            out.append(f"{sid}:{self.ds.digests.get(rel) if rel else ''}:"
                       f"{self.source_page.get(sid, '')}")
        return out

    def get(self, path: str, reads: list[str]) -> tuple[bytes, list[str]] | None:
        """The page's Markdown and the sources it cites, when nothing it reads changed."""
        try:
            with open(self._file(path, reads), encoding="utf-8") as f:
                entry = json.load(f)
            text, sources, cited = entry["text"], entry["sources"], entry["cited"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(text, str) or self._cited(sources) != cited:
            return None
        self.hits += 1
        return text.encode("utf-8"), list(sources)

    def put(self, path: str, reads: list[str], text: bytes, sources: list[str]) -> None:
        entry = {"text": text.decode("utf-8"), "sources": sources, "cited": self._cited(sources)}
        write_atomically(self._file(path, reads), json.dumps(entry).encode("utf-8"))


def page_memo(kind: Any, ds: Any, settings: Any, env: Any, source_page: dict[str, str],
              spec_names: frozenset[str]) -> PageMemo | None:
    """The memo for the pages of ``kind``, when its kind says what its pages read and its
    template uses nothing else (``spec_names``: the names its pages' context gives); else None
    (always rendered)."""
    from ..cachedir import project_cache
    from .reuse import ProfileCache, template_names

    if kind.reads is None or settings.clean or kind.template is None:
        return None
    try:
        source, names = template_names(env, kind.template)
    except Exception:  # noqa: BLE001 - its own problem is reported when it is rendered
        return None
    if names is None or names - spec_names - LIST_NAMES:
        return None
    return PageMemo(project_cache(settings.root) / "render", ds,
                    ProfileCache.site_key(ds, settings, source), source_page)
