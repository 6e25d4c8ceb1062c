"""The data of a project once loaded and checked: records by kind of data file, where each came
from, and the files that were refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from . import model as m
from .reader import Document


@dataclass
class Dataset:
    root: Path
    companies: dict[str, m.Company] = field(default_factory=dict)
    sources: dict[str, m.Source] = field(default_factory=dict)
    tables: dict[str, m.Table] = field(default_factory=dict)
    glossary: dict[str, m.Term] = field(default_factory=dict)
    # project-relative path of the file each record came from, by (folder, id)
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    # ids (file names) of records whose file exists but was refused; references to them are not
    # reported again as unknown, since the file's own problem is already reported
    refused: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in m.KINDS})

    @property
    def records(self) -> dict[str, dict]:
        """The records of each kind of data file, by folder and id."""
        return {"companies": self.companies, "sources": self.sources, "tables": self.tables,
                "glossary": self.glossary}

    def origin(self, folder: str, record_id: str) -> str:
        return self.origins[(folder, record_id)]

    def where(self, rel: str, path: tuple) -> tuple[int, int]:
        doc = self.documents.get(rel)
        return doc.where(path) if doc else (0, 0)

    def citing(self) -> dict[str, list[str]]:
        """Source id → the records that cite it (for the sources page and unused checks)."""
        out: dict[str, list[str]] = {}
        for c in self.companies.values():
            for s in _company_sources(c):
                out.setdefault(s, []).append(c.id)
        for t in self.tables.values():
            for r in t.rows:
                for s in r.sources:
                    out.setdefault(s, []).append(t.id)
        for g in self.glossary.values():
            for s in g.sources:
                out.setdefault(s, []).append(f"glossary:{g.id}")
        return {k: sorted(set(v)) for k, v in out.items()}


def _company_sources(c: m.Company) -> Iterator[str]:
    for group in (c.events, c.metrics, c.relationships):
        for item in group:
            yield from item.sources
