"""serve's rebuilds (#19): whatever a rebuild takes from what the last one kept in memory (checked
records of files not written since, kept pages, built charts and their CSVs, the pages' digests),
the site it leaves is, byte for byte, the site a fresh serve builds from the same files."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.engine_run import serve_builder
from generator.engines import load_engine
from generator.settings import Settings

pytestmark = pytest.mark.build

ADDR = "127.0.0.1:8000"


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# what is edited, and what the site then shows
EDITS = {
    "a company's summary": ("data/companies/acme-ai.yaml",
                            "summary: A fictional AI lab used by the tests.",
                            "summary: A fictional AI lab the tests edited.",
                            "A fictional AI lab the tests edited."),
    "a valuation (its charts)": ("data/companies/acme-ai.yaml", "valuation: USD 1 billion",
                                 "valuation: USD 2 billion", "US$2 billion"),
    "a source's title": ("data/sources/daily-2023.yaml", "title: Acme AI's new round",
                         "title: Acme AI's edited round", "edited round"),
    "the profile template": ("templates/company.md.j2", "{{ c.summary",
                             "Edited profile. {{ c.summary", "Edited profile."),
    "an article": ("site_src/articles/first.md", "# A first article",
                   "# A first article, edited", "A first article, edited"),
    "the summary back": ("data/companies/acme-ai.yaml",
                         "summary: A fictional AI lab the tests edited.",
                         "summary: A fictional AI lab used by the tests.",
                         "A fictional AI lab used by the tests."),
}


def test_serve_s_rebuilds_leave_the_site_a_fresh_serve_builds(project: Path, tmp_path: Path,
                                                              monkeypatch):
    import generator.recordcache as recordcache

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    # files the test wrote a moment ago are trusted by their status, as older files are
    monkeypatch.setattr(recordcache, "RACY_NS", 0)
    eng = load_engine("mkdocs")
    settings = Settings.for_project(project)
    live = tmp_path / "live"
    _, rebuild = serve_builder(eng, project, settings, str(live), ADDR)
    rebuild()
    for i, (what, (rel, old, new, shown)) in enumerate(EDITS.items()):
        _replace(project / rel, old, new)
        rebuild()
        fresh = tmp_path / f"fresh-{i}"
        _, build = serve_builder(eng, project, settings.but(clean=True), str(fresh), ADDR,
                                 clean=True)
        build()
        got, want = _tree(live), _tree(fresh)
        assert sorted(got) == sorted(want), what
        assert [p for p in want if got[p] != want[p]] == [], what
        assert any(shown.encode() in page for page in want.values()), what


def test_a_rebuild_leaves_the_cache_files_it_placed_before_unlooked_at(project: Path,
                                                                        tmp_path: Path,
                                                                        monkeypatch):
    """A chart's file, a share card or a download (a file of a cache, named by what it was made
    from) placed at the same path by the last rebuild is neither copied nor compared again; one
    whose name changed (an edit that draws the chart anew) is copied."""
    import generator.recordcache as recordcache
    from mkdocs.structure.files import File

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    monkeypatch.setattr(recordcache, "RACY_NS", 0)
    looked: list[str] = []  # the files MkDocs's own copy was asked for
    plain = File.copy_file

    def copy_file(self, dirty: bool = False) -> None:
        looked.append(self.src_uri)
        return plain(self, dirty)

    monkeypatch.setattr(File, "copy_file", copy_file)
    live = tmp_path / "live"
    _, rebuild = serve_builder(load_engine("mkdocs"), project, Settings.for_project(project),
                               str(live), ADDR)
    rebuild()
    cards = [p for p in looked if p.startswith("share/")]
    assert "share/companies/acme-ai.png" in cards and "charts/valuation-acme-ai.svg" in looked
    before = (live / "charts/valuation-acme-ai.svg").read_bytes()
    looked.clear()
    rebuild()  # nothing changed
    assert [p for p in looked if p.startswith(("share/", "charts/", "data/"))] == []
    _replace(project / "data/companies/acme-ai.yaml", "valuation: USD 10 billion",
             "valuation: USD 12 billion")  # its latest mark, on its card
    _replace(project / "data/companies/acme-ai.yaml", "pre_money_valuation: USD 8.5 billion",
             "pre_money_valuation: USD 10.5 billion")
    looked.clear()
    rebuild()
    # acme-ai's chart and card show the new figure: new files of the cache, copied
    assert {"charts/valuation-acme-ai.svg", "share/companies/acme-ai.png"} <= set(looked)
    assert "share/companies/bigcloud.png" not in looked
    assert (live / "charts/valuation-acme-ai.svg").read_bytes() != before
    # the edit undone: the chart drawn before, a file older than the copy in place, is copied
    _replace(project / "data/companies/acme-ai.yaml", "valuation: USD 12 billion",
             "valuation: USD 10 billion")
    _replace(project / "data/companies/acme-ai.yaml", "pre_money_valuation: USD 10.5 billion",
             "pre_money_valuation: USD 8.5 billion")
    rebuild()
    assert (live / "charts/valuation-acme-ai.svg").read_bytes() == before
