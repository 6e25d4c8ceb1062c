"""What serve keeps in memory between rebuilds (#19): the checked records, so that a rebuild after
one file changed reads no record cache file and checks only that file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.load import load
from generator.problems import Problems
from generator.recordcache import RecordCache


def test_serve_s_record_cache_keeps_each_file_s_latest_record_in_memory(project: Path,
                                                                       tmp_path: Path):
    cache = RecordCache(tmp_path / "records", in_memory=True)
    first = load(project, Problems(), cache=cache)
    cache.forget_unused()
    assert cache.memory is not None and len(cache.memory) == 7  # the mini project's files
    # the cache's files gone: the next load takes every record from memory, the same objects
    shutil.rmtree(tmp_path / "records")
    problems = Problems()
    again = load(project, problems, cache=cache)
    cache.forget_unused()
    assert problems.items == []
    assert again.records["companies"]["acme-ai"] is first.records["companies"]["acme-ai"]
    assert again.records["sources"]["daily-2023"] is first.records["sources"]["daily-2023"]
    # one file changed: it is checked again; the record of its earlier text is let go of
    acme = project / "data" / "companies" / "acme-ai.yaml"
    acme.write_text(acme.read_text(encoding="utf-8").replace(
        "summary: A fictional AI lab used by the tests.",
        "summary: A fictional AI lab the tests use."), encoding="utf-8")
    edited = load(project, Problems(), cache=cache)
    cache.forget_unused()
    assert edited.records["companies"]["acme-ai"].summary == "A fictional AI lab the tests use."
    assert edited.records["companies"]["bigcloud"] is first.records["companies"]["bigcloud"]
    assert len(cache.memory) == 7


def test_a_build_s_record_cache_keeps_nothing_in_memory(project: Path, tmp_path: Path):
    cache = RecordCache(tmp_path / "records")
    load(project, Problems(), cache=cache)
    cache.forget_unused()
    assert cache.memory is None
    assert len(list((tmp_path / "records").glob("*.pickle"))) == 7


def test_serve_s_kept_pages_are_held_in_memory_between_renders(project: Path, monkeypatch):
    """A rebuild takes a kept profile from memory (its entry's file is not read again, the page
    not compressed again) while nothing it reads changed; an edit renders it again, and the
    entry of its earlier text is let go of."""
    import generator.render as render_mod
    from generator.cachedir import project_cache
    from generator.render import render
    from generator.render.reuse import KeptMemory
    from generator.settings import Settings

    plain, made = render_mod._render_page, []

    def counting(kind, spec, *args, **kwargs):
        made.append(spec.path)
        return plain(kind, spec, *args, **kwargs)

    monkeypatch.setattr(render_mod, "_render_page", counting)
    kept = KeptMemory()

    def profile() -> str:
        made.clear()
        problems = Problems()
        pages = render(load(project, problems), Settings.for_project(project, check=True),
                       problems, kept=kept)
        assert [p.format() for p in problems.sorted()] == []
        return next(p.text for p in pages.pages if p.path == "companies/acme-ai.md")

    first = profile()
    assert "companies/acme-ai.md" in made
    # two profiles, the sources list's page, the companies index and the four pages of site_src
    assert len(kept.entries) == 8
    shutil.rmtree(project_cache(project) / "render")  # the entries' files gone
    profiles = {"companies/acme-ai.md", "companies/bigcloud.md"}
    assert profile() == first and profiles & set(made) == set()
    held = {key: entry[0] for key, entry in kept.entries.items()}
    acme = project / "data" / "companies" / "acme-ai.yaml"
    acme.write_text(acme.read_text(encoding="utf-8").replace(
        "summary: A fictional AI lab used by the tests.",
        "summary: A fictional AI lab the tests use."), encoding="utf-8")
    edited = profile()
    assert "A fictional AI lab the tests use." in edited
    assert "companies/acme-ai.md" in made
    assert len(kept.entries) == 8
    # bigcloud's profile names acme-ai (its investor): both rendered again, as are the article
    # and the home page, which state its figures, and the companies index, which lists it (by
    # its file); the sources page, which shows no summary, and the about and methodology pages
    # are the objects held before (not rendered, read or compressed)
    assert profiles & set(made) == profiles
    assert sorted(entry[0].path for k, entry in kept.entries.items()
                  if held.get(k) is entry[0]) == ["about.md", "methodology.md", "sources.md"]


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The data files a load reads, by path."""
    import generator.load as load_mod

    plain, got = load_mod.read_file, []

    def counting(path, rel, problems):
        got.append(rel)
        return plain(path, rel, problems)

    monkeypatch.setattr(load_mod, "read_file", counting)
    return got


def test_serve_reads_only_the_files_written_since_the_last_load(project: Path, tmp_path: Path,
                                                                 reads, monkeypatch):
    import generator.recordcache as recordcache

    monkeypatch.setattr(recordcache, "RACY_NS", 0)  # files written by the test are trusted
    cache = RecordCache(tmp_path / "records", in_memory=True)
    first = load(project, Problems(), cache=cache)
    cache.forget_unused()
    assert len(reads) == 7
    reads.clear()
    again = load(project, Problems(), cache=cache)
    cache.forget_unused()
    assert reads == []  # nothing written: no file read, the same records and digests
    assert again.records["companies"]["acme-ai"] is first.records["companies"]["acme-ai"]
    assert again.digests == first.digests and again.words == first.words
    acme = project / "data" / "companies" / "acme-ai.yaml"
    acme.write_text(acme.read_text(encoding="utf-8").replace(
        "summary: A fictional AI lab used by the tests.",
        "summary: A fictional AI lab the tests use."), encoding="utf-8")
    edited = load(project, Problems(), cache=cache)
    assert reads == ["data/companies/acme-ai.yaml"]
    assert edited.records["companies"]["acme-ai"].summary == "A fictional AI lab the tests use."
    assert edited.digests["data/companies/acme-ai.yaml"] != first.digests[
        "data/companies/acme-ai.yaml"]


def test_a_file_written_within_the_last_second_is_read_again(project: Path, tmp_path: Path,
                                                             reads):
    """A file system's clock may tick coarsely: two writes of one size within one tick would
    leave the file's status as it was, so a file this fresh is not trusted by its status."""
    cache = RecordCache(tmp_path / "records", in_memory=True)
    acme = project / "data" / "companies" / "acme-ai.yaml"
    acme.write_text(acme.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    load(project, Problems(), cache=cache)
    reads.clear()
    load(project, Problems(), cache=cache)
    assert "data/companies/acme-ai.yaml" in reads


def test_a_new_process_reads_only_the_files_written_since_the_last_load(project: Path,
                                                                       tmp_path: Path, reads,
                                                                       monkeypatch):
    """A build in a new process trusts a file's status as the last load (any process's) wrote
    it down, as git's index does: it reads the files written since, and a file it does not read
    gives the record, digest and words a clean load gives."""
    import generator.recordcache as recordcache

    monkeypatch.setattr(recordcache, "RACY_NS", 0)
    clean = load(project, Problems())
    load(project, Problems(), cache=RecordCache(tmp_path / "records"))
    reads.clear()
    index = tmp_path / "records" / "files.index"
    written = index.stat().st_ino
    again = load(project, Problems(), cache=RecordCache(tmp_path / "records"))
    assert reads == []
    assert index.stat().st_ino == written  # nothing changed: not written again
    assert again.records == clean.records
    assert (again.digests, again.words, again.origins) == (clean.digests, clean.words,
                                                           clean.origins)
    acme = project / "data" / "companies" / "acme-ai.yaml"
    acme.write_text(acme.read_text(encoding="utf-8").replace(
        "summary: A fictional AI lab used by the tests.",
        "summary: A fictional AI lab the tests use."), encoding="utf-8")
    edited = load(project, Problems(), cache=RecordCache(tmp_path / "records"))
    assert reads == ["data/companies/acme-ai.yaml"]
    assert edited.records["companies"]["acme-ai"].summary == "A fictional AI lab the tests use."
    reads.clear()
    # a company that came: every company file is read again (the words kept of each were those
    # naming the company files there were), the others are not
    big = project / "data" / "companies" / "bigcloud.yaml"
    (project / "data" / "companies" / "fictional.yaml").write_text(
        big.read_text(encoding="utf-8").replace("id: bigcloud", "id: fictional").replace(
            "name: BigCloud", "name: Fictional"), encoding="utf-8")
    added = load(project, Problems(), cache=RecordCache(tmp_path / "records"))
    assert sorted(reads) == ["data/companies/acme-ai.yaml", "data/companies/bigcloud.yaml",
                             "data/companies/fictional.yaml"]
    assert "fictional" in added.words["acme-ai"]
    assert added.words == load(project, Problems()).words
    reads.clear()
    # what it wrote down damaged: every file is read
    (tmp_path / "records" / "files.index").write_bytes(b"not a pickle")
    load(project, Problems(), cache=RecordCache(tmp_path / "records"))
    assert len(reads) == 8
    # a file written within a second of its status being taken is read again by the next load
    monkeypatch.setattr(recordcache, "RACY_NS", 10**18)
    acme.write_text(acme.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    for _ in range(2):
        reads.clear()
        load(project, Problems(), cache=RecordCache(tmp_path / "records"))
        assert reads == ["data/companies/acme-ai.yaml"]


@pytest.mark.parametrize("in_memory", [True, False], ids=["serve", "one-build-a-process"])
def test_a_chart_s_csv_is_made_once_while_the_chart_is_unchanged(project: Path, tmp_path: Path,
                                                                 monkeypatch, in_memory):
    """A chart's CSV download is a file of the chart cache named by the chart's key: made by the
    build that builds the chart, taken by every later build (serve's, and a new process's)."""
    import generator.charts as charts_mod
    from generator.charts import Charts
    from generator.charts.cache import ChartStore

    plain, made = charts_mod.csv_text, []
    monkeypatch.setattr(charts_mod, "csv_text", lambda ch: made.append(ch.id) or plain(ch))
    store = ChartStore(tmp_path / "charts", keep_in_memory=True)

    def csvs() -> dict[str, bytes]:
        problems = Problems()
        build_store = store if in_memory else ChartStore(tmp_path / "charts")
        charts = Charts(load(project, problems), problems, store=build_store, workers=1)
        try:
            return {p.path: p.content for p in charts.assets() if p.path.endswith(".csv")}
        finally:
            charts.finish()

    first = csvs()
    first_made = ["capital-raised", "latest-valuations", "valuation-acme-ai",
                  "valuations-over-time", "who-funds-whom"]
    assert sorted(made) == first_made
    made.clear()
    assert csvs() == first and made == []
    acme = project / "data" / "companies" / "acme-ai.yaml"
    acme.write_text(acme.read_text(encoding="utf-8").replace(
        "valuation: USD 1 billion", "valuation: USD 2 billion"), encoding="utf-8")
    edited = csvs()
    assert sorted(made) == sorted(first_made)  # every chart here reads acme-ai.yaml
    assert edited["charts/valuation-acme-ai.csv"] != first["charts/valuation-acme-ai.csv"]
    assert edited["charts/valuation-acme-ai.csv"].decode().splitlines()[0].startswith("date,")
    made.clear()
    assert csvs() == edited and made == []


def test_a_company_added_later_is_named_by_an_unchanged_file_s_words(project: Path,
                                                                    tmp_path: Path, reads,
                                                                    monkeypatch):
    """A dataset keeps of a company file's words only those naming a company file (a profile's
    key, generator.render.reuse); serve keeps them all with the record, so that a file it does
    not read again still names a company added after it was read."""
    import generator.recordcache as recordcache

    monkeypatch.setattr(recordcache, "RACY_NS", 0)
    cache = RecordCache(tmp_path / "records", in_memory=True)
    first = load(project, Problems(), cache=cache)
    cache.forget_unused()
    assert first.words["acme-ai"] == {"acme-ai", "bigcloud"}  # "fictional" names no file yet
    big = project / "data" / "companies" / "bigcloud.yaml"
    (project / "data" / "companies" / "fictional.yaml").write_text(
        big.read_text(encoding="utf-8").replace("id: bigcloud", "id: fictional").replace(
            "name: BigCloud", "name: Fictional"), encoding="utf-8")
    reads.clear()
    again = load(project, Problems(), cache=cache)
    assert reads == ["data/companies/fictional.yaml"]  # acme-ai's file is not read again
    assert "fictional" in again.words["acme-ai"]


def test_records_read_back_share_one_frozen_set_of_their_given_fields(project: Path,
                                                                     tmp_path: Path):
    """pydantic's per-model set of given fields was 70 MB at 5,000 companies: a record read
    back from the cache shares one frozen set with the records given the same fields; a copy
    (model_copy with an update adds to it) gets a set of its own."""
    import copy
    import pickle

    ds = load(project, Problems())
    acme = ds.records["companies"]["acme-ai"]
    back = pickle.loads(pickle.dumps([acme, ds.records["companies"]["bigcloud"]]))
    again = pickle.loads(pickle.dumps(acme))
    assert back[0] == acme and back[0].model_fields_set == acme.model_fields_set
    assert back[0].model_fields_set is again.model_fields_set
    assert isinstance(again.model_fields_set, frozenset)
    ev = back[0].events
    assert ev[0].sources and ev[0].model_fields_set is pickle.loads(
        pickle.dumps(acme.events[0])).model_fields_set
    edited = again.model_copy(update={"summary": "Edited."})
    assert edited.summary == "Edited." and "summary" in edited.model_fields_set
    assert again.summary == acme.summary and isinstance(again.model_fields_set, frozenset)
    deep = again.model_copy(update={"summary": "Deep."}, deep=True)
    assert deep.summary == "Deep." and copy.copy(again) == again


def test_values_read_back_from_the_records_cache_are_shared_and_keep_their_exact_text():
    """A warm build reads back ~190,000 dates and amounts at 5,000 companies, most of them
    repeated: each value is one shared object, and an amount keeps the exact text it was written
    with (1E+9 is not 1000000000 on the page)."""
    import pickle
    from decimal import Decimal

    from generator.recordcache import dumps_shared
    from generator.values import Money, PartialDate

    dates = pickle.loads(dumps_shared([PartialDate(2024, 3), PartialDate(2024, 3, 0)]))
    assert dates[0] is dates[1] and dates[0] == PartialDate(2024, 3) and str(dates[0]) == "2024-03"
    a, b, c, d = pickle.loads(dumps_shared([
        Money(Decimal("1E+9"), "USD"), Money(Decimal("1000000000"), "USD"),
        Money(Decimal("1E+9"), "USD"), Money(Decimal("1E+9"), "USD", "about", Decimal("2E+9"))]))
    assert a is c and a is not b
    assert (str(a.amount), str(b.amount), str(d.high), d.qualifier) == (
        "1E+9", "1000000000", "2E+9", "about")
    assert a == b  # equal values, written two ways
