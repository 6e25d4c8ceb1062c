"""The data of a project once loaded and checked: the records of each kind of data file, where
each came from, and the files that were refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .reader import Document


@dataclass
class Dataset:
    """Records by kind (``records[folder][id]``); ``kinds``: the data kinds they were loaded as
    (generator.kinds). The project's own kinds are also reachable by name: ``ds.companies``."""

    root: Path
    kinds: tuple = ()
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    # project-relative path of the file each record came from, by (folder, id)
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    # ids (file names) of records whose file exists but was refused; references to them are not
    # reported again as unknown, since the file's own problem is already reported
    refused: dict[str, set[str]] = field(default_factory=dict)
    # what the render's page cache (generator.render.reuse) knows of the files: a hash of the
    # text of each valid record's file, by its path; and, by company, the words of its file that
    # name a company file (a profile shows what the companies it names, and those naming it, say)
    digests: dict[str, str] = field(default_factory=dict)
    words: dict[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind in self.kinds:
            self.records.setdefault(kind.folder, {})
            self.refused.setdefault(kind.folder, set())

    @property
    def companies(self) -> dict[str, Any]:
        return self.records.get("companies", {})

    @property
    def sources(self) -> dict[str, Any]:
        return self.records.get("sources", {})

    @property
    def tables(self) -> dict[str, Any]:
        return self.records.get("tables", {})

    @property
    def glossary(self) -> dict[str, Any]:
        return self.records.get("glossary", {})

    def kind(self, folder: str) -> Any:
        """The data kind of ``folder``."""
        return next(k for k in self.kinds if k.folder == folder)

    def origin(self, folder: str, record_id: str) -> str:
        return self.origins[(folder, record_id)]

    def file_digest(self, folder: str, record_id: str) -> str | None:
        """The digest of the text of the file a record came from (None: no such record, or
        its file's digest is not known)."""
        rel = self.origins.get((folder, record_id))
        return self.digests.get(rel) if rel is not None else None

    def where(self, rel: str, path: tuple) -> tuple[int, int]:
        doc = self.documents.get(rel)
        return doc.where(path) if doc else (0, 0)

    def citing(self) -> dict[str, list[tuple[str, str]]]:
        """Source id → the records that cite it, as (kind folder, id), in the order of the kinds'
        citation keys (for the sources page and the check of sources nothing cites)."""
        out: dict[str, dict[tuple[str, str], str]] = {}
        for kind in self.kinds:
            if kind.sources_cited is None:
                continue
            for rid, record in self.records[kind.folder].items():
                for s in kind.sources_cited(record):
                    out.setdefault(s, {})[(kind.folder, rid)] = kind.cite_key(rid)
        return {s: sorted(refs, key=lambda r: (refs[r], r)) for s, refs in out.items()}
