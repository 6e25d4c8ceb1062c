"""What serve keeps in memory between rebuilds (#19): the checked records, so that a rebuild after
one file changed reads no record cache file and checks only that file."""

from __future__ import annotations

import shutil
from pathlib import Path

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
