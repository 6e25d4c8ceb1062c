"""The downloads' cache (generator.downloadcache, issue 19): a build takes each record's part of
the downloads (its JSON text, its rows of each CSV file) from the last build's when nothing it is
made of changed, makes the others, and the files are byte for byte those made without a cache."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest

from generator import downloads
from generator.cachedir import project_cache
from generator.downloadcache import Copy, DownloadCache, Kept
from generator.downloads import (JSON_FILE, CsvFile, dataset_downloads, dataset_files,
                                 download_cache)
from generator.kinds import COMPANIES, DATA_KINDS
from generator.load import load
from generator.problems import Problems
from generator.render import render
from generator.settings import Settings

from support import replace, steps, write


def _ds(root: Path, kinds=DATA_KINDS):
    problems = Problems()
    ds = load(root, problems, kinds=kinds)
    assert problems.report() == "no problems found"
    return ds


def _kept(root: Path, folder: Path, **options) -> dict[str, bytes]:
    return dataset_files(_ds(root), cache=DownloadCache(folder, **options))


def _assert_same(files: dict[str, bytes], expected: dict[str, bytes]) -> None:
    assert list(files) == list(expected)
    for path, content in expected.items():
        assert files[path] == content, path


def _row(files: dict[str, bytes], name: str, **match: str) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(files[f"downloads/{name}"].decode()))
    [row] = [r for r in rows if all(r[k] == v for k, v in match.items())]
    return row


def _made(monkeypatch) -> list[tuple[str, str]]:
    """The parts made (not taken from the cache) from now on: (file, record id)."""
    made: list[tuple[str, str]] = []
    json_part, rows_text = downloads._json_part, downloads._rows_text

    def json_spy(ds, keys, kind, record):
        made.append(("frontier-ledger.json", record.id))
        return json_part(ds, keys, kind, record)

    def rows_spy(f, ds, kind, record):
        made.append((f.name, record.id))
        return rows_text(f, ds, kind, record)

    monkeypatch.setattr(downloads, "_json_part", json_spy)
    monkeypatch.setattr(downloads, "_rows_text", rows_spy)
    return made


ACME = [("companies.csv", "acme-ai"), ("events.csv", "acme-ai"), ("investments.csv", "acme-ai"),
        ("frontier-ledger.json", "acme-ai")]
ADDED = ("id: aardvark-ai\nname: Aardvark AI\nkind: ai-lab\nfounded: 2024\n"
         "summary: A company the test added, first of all by its id.\nlast_checked: 2026-11-01\n")


@pytest.mark.parametrize("mutate, probe, before, after, remade", [
    (replace("data/companies/acme-ai.yaml", "valuation: USD 1 billion",
             "valuation: USD 2 billion"),
     lambda f: _row(f, "events.csv", event_id="series-a")["valuation"],
     "1000000000", "2000000000", ACME),
    # Acme AI's Series A rests on this source alone: as a copy, the figure is secondary-only
    (replace("data/sources/acme-news-2021.yaml", "tier: primary", "tier: secondary"),
     lambda f: _row(f, "events.csv", event_id="series-a")["secondary_sources_only"],
     "false", "true",
     ACME + [("sources.csv", "acme-news-2021"), ("frontier-ledger.json", "acme-news-2021"),
             ("frontier-ledger.json", "chips")]),
    (replace("data/sources/daily-2023.yaml", "title: Acme AI's new round, reported",
             "title: Acme AI's new round, as reported"),
     lambda f: _row(f, "sources.csv", id="daily-2023")["title"],
     "Acme AI's new round, reported", "Acme AI's new round, as reported",
     # Acme AI and the table cite it: their keys cover the source's file, though the title
     # is not read
     ACME + [("sources.csv", "daily-2023"), ("frontier-ledger.json", "daily-2023"),
             ("frontier-ledger.json", "chips")]),
    (write("data/companies/aardvark-ai.yaml", ADDED),
     lambda f: [r["id"] for r in csv.DictReader(io.StringIO(
         f["downloads/companies.csv"].decode()))],
     ["acme-ai", "bigcloud"], ["aardvark-ai", "acme-ai", "bigcloud"],
     [("companies.csv", "aardvark-ai"), ("events.csv", "aardvark-ai"),
      ("investments.csv", "aardvark-ai"), ("frontier-ledger.json", "aardvark-ai")]),
    (steps(), lambda f: len(f), 6, 6, []),
], ids=["company", "cited-source-becomes-a-copy", "cited-source-title", "company-added",
        "nothing"])
def test_a_rebuild_makes_only_what_changed_and_the_same_bytes(
        project, tmp_path, monkeypatch, mutate, probe, before, after, remade):
    folder = tmp_path / "downloads-cache"
    first = _kept(project, folder)
    _assert_same(first, dataset_files(_ds(project)))
    assert probe(first) == before
    mutate(project)
    made = _made(monkeypatch)
    again = _kept(project, folder)
    assert sorted(made) == sorted(remade)
    _assert_same(again, dataset_files(_ds(project)))
    assert probe(again) == after


def test_each_download_names_the_file_of_the_cache_that_holds_it_byte_for_byte(
        project, tmp_path):
    """A build links a download from the cache instead of holding its bytes: each download the
    cache keeps is a Copy naming the file that holds exactly its bytes, readable by all (it
    becomes a file of the site), and its size. A rebuild that changes a download names its new
    copy, and keeps the copy it was made from (a build running beside it may be linking that
    one) but none older."""
    import os
    import stat

    folder = tmp_path / "downloads-cache"
    kept = ["downloads/companies.csv", "downloads/events.csv", "downloads/investments.csv",
            "downloads/sources.csv", "downloads/frontier-ledger.json"]

    def build() -> tuple[dict[str, bytes], dict[str, Path]]:
        made = dataset_downloads(_ds(project), cache=DownloadCache(folder))
        expected = dataset_files(_ds(project))  # without a cache
        assert list(made) == list(expected)
        copies = {path: d for path, d in made.items() if isinstance(d, Copy)}
        assert sorted(copies) == sorted(kept)  # not LICENSE.txt: it is not kept
        assert made["downloads/LICENSE.txt"] == expected["downloads/LICENSE.txt"]
        for path, copy in copies.items():
            assert copy.path.parent == folder and copy.path.read_bytes() == expected[path], path
            assert copy.size == len(expected[path]), path
            assert stat.S_IMODE(os.stat(copy.path).st_mode) == 0o644, path
        return expected, {path: copy.path for path, copy in copies.items()}

    _, first = build()
    _, same = build()
    assert same == first  # nothing changed: the very files
    replace("data/companies/acme-ai.yaml", "name: Acme AI", "name: Acme Labs")(project)
    files, second = build()
    assert b"Acme Labs" in files["downloads/companies.csv"]
    assert second["downloads/companies.csv"] != first["downloads/companies.csv"]
    assert second["downloads/sources.csv"] == first["downloads/sources.csv"]
    assert first["downloads/companies.csv"].is_file()  # the copy it was made from
    replace("data/companies/acme-ai.yaml", "name: Acme Labs", "name: Acme Works")(project)
    _, third = build()
    assert not first["downloads/companies.csv"].exists()  # older: removed
    assert second["downloads/companies.csv"].is_file()
    assert sorted(p.name for p in folder.glob("companies.csv.*.bin")) == sorted(
        [second["downloads/companies.csv"].name, third["downloads/companies.csv"].name])


def test_a_download_the_cache_holds_unchanged_is_not_read_back(project, tmp_path, monkeypatch):
    """Nothing changed: each kept download is handed on as its copy, and of the copies only the
    fixed text between the records' parts is read (to find it is the same), never their bytes
    (14 MB at 1,000 companies)."""
    folder = tmp_path / "downloads-cache"
    sizes = {p: len(b) for p, b in _kept(project, folder).items()}
    read: list[int] = []
    real = Kept.read

    def spy(self, start, n):
        # never into a record's part: only the fixed text between them
        assert not any(s < start + n and start < self.ends[k] for k, s in self.starts.items()
                       if s < self.ends[k]), (start, n)
        read.append(n)
        return real(self, start, n)

    monkeypatch.setattr(Kept, "read", spy)
    again = dataset_downloads(_ds(project), cache=DownloadCache(folder))
    assert {p: d.size if isinstance(d, Copy) else len(d) for p, d in again.items()} == sizes
    assert [p for p, d in again.items() if not isinstance(d, Copy)] == ["downloads/LICENSE.txt"]
    assert read and sum(read) < sum(sizes.values()) / 4


def test_a_first_build_with_an_empty_cache_makes_every_part(project, tmp_path, monkeypatch):
    made = _made(monkeypatch)
    _kept(project, tmp_path / "empty")
    assert sorted(made) == [
        ("companies.csv", "acme-ai"), ("companies.csv", "bigcloud"), ("events.csv", "acme-ai"),
        ("events.csv", "bigcloud"), ("frontier-ledger.json", "acme-ai"),
        ("frontier-ledger.json", "acme-news-2021"), ("frontier-ledger.json", "bigcloud"),
        ("frontier-ledger.json", "chips"), ("frontier-ledger.json", "daily-2023"),
        ("investments.csv", "acme-ai"), ("investments.csv", "bigcloud"),
        ("sources.csv", "acme-news-2021"), ("sources.csv", "daily-2023")]


def _copy(folder: Path, name: str) -> Path:
    index = json.loads((folder / f"{name}.index").read_text())
    return folder / f"{name}.{index['token']}.bin"


def _poison(folder: Path) -> None:
    """Acme AI's part of the kept JSON file says POISON! where it says Acme AI: other content
    under the same key, as a stale or forged entry would be."""
    index = json.loads((folder / "frontier-ledger.json.index").read_text())
    start, end = index["parts"][1:3]  # the first part: the first company, acme-ai
    copy = _copy(folder, "frontier-ledger.json")
    data = copy.read_bytes()
    assert b'"name": "Acme AI"' in data[start:end]
    copy.write_bytes(data[:start] + data[start:end].replace(b"Acme AI", b"POISON!") + data[end:])


@pytest.mark.parametrize("mutate", [
    replace("data/companies/acme-ai.yaml", "summary: A fictional AI lab",
            "summary: A made-up AI lab"),
    replace("data/sources/daily-2023.yaml", "url_verified: false", "url_verified: true"),
    lambda root: None,  # the generator's code (below)
], ids=["its-file", "a-source-it-cites", "the-generators-code"])
def test_a_kept_part_is_not_taken_once_what_it_was_made_of_changed(
        project, tmp_path, monkeypatch, request, mutate):
    folder = tmp_path / "downloads-cache"
    _kept(project, folder)
    _poison(folder)
    # with nothing changed, the kept part is taken as it is: the cache is read
    assert b'"name": "POISON!"' in _kept(project, folder)[JSON_FILE]
    mutate(project)
    if request.node.callspec.id == "the-generators-code":
        monkeypatch.setattr(downloads, "code_version", lambda: "other code")
    files = _kept(project, folder)
    assert b"POISON!" not in files[JSON_FILE]
    _assert_same(files, dataset_files(_ds(project)))


def _index(folder: Path) -> Path:
    return folder / "frontier-ledger.json.index"


def _edit_index(change):
    def run(folder: Path) -> None:
        index = json.loads(_index(folder).read_text())
        change(index)
        _index(folder).write_text(json.dumps(index))
    return run


@pytest.mark.parametrize("damage", [
    lambda folder: _index(folder).write_text("{not json"),
    lambda folder: _index(folder).write_text("[]"),
    lambda folder: _copy(folder, "frontier-ledger.json").unlink(),
    lambda folder: _copy(folder, "frontier-ledger.json").write_bytes(
        _copy(folder, "frontier-ledger.json").read_bytes()[:-1]),
    _edit_index(lambda index: index.update(token="../../elsewhere")),
    _edit_index(lambda index: index["parts"].__setitem__(2, 10**9)),
    _edit_index(lambda index: index["parts"].__setitem__(1, -1)),
    _edit_index(lambda index: index["parts"].__setitem__(0, 7)),
    _edit_index(lambda index: index["parts"].append("odd")),
], ids=["index-not-json", "index-not-an-object", "copy-missing", "copy-cut-short",
        "token-a-path", "part-past-the-end", "part-before-the-start", "key-not-text",
        "parts-not-in-threes"])
def test_a_damaged_cache_is_a_download_made_whole(project, tmp_path, damage):
    folder = tmp_path / "downloads-cache"
    _kept(project, folder)
    _poison(folder)  # what would show if the damaged entry were read anyway
    damage(folder)
    files = _kept(project, folder)
    _assert_same(files, dataset_files(_ds(project)))
    # and it is kept whole again
    assert b"POISON!" not in _copy(folder, "frontier-ledger.json").read_bytes()


def test_a_kept_copy_that_fails_half_way_is_a_download_made_whole(project, tmp_path,
                                                                  monkeypatch):
    folder = tmp_path / "downloads-cache"
    _kept(project, folder)
    _poison(folder)
    reads: list[int] = []
    read = Kept.read

    def failing(self, start, n):  # a disk that fails after a few reads
        reads.append(n)
        if len(reads) > 3:
            raise OSError(5, "Input/output error")
        return read(self, start, n)

    monkeypatch.setattr(Kept, "read", failing)
    files = _kept(project, folder)
    assert len(reads) > 3
    _assert_same(files, dataset_files(_ds(project)))


def test_a_clean_build_reads_no_kept_download_and_writes_them_afresh(project):
    ds = _ds(project)
    cache = download_cache(Settings.for_project(project))
    assert cache.folder == project_cache(project) / "downloads"
    dataset_files(ds, cache=cache)
    _poison(cache.folder)
    assert b"POISON!" in dataset_files(ds, cache=cache)[JSON_FILE]
    clean = download_cache(Settings.for_project(project, clean=True))
    _assert_same(dataset_files(ds, cache=clean), dataset_files(ds))
    _assert_same(dataset_files(ds, cache=cache), dataset_files(ds))


def test_a_check_makes_no_downloads_and_keeps_none(project):
    ds = _ds(project)
    problems = Problems()
    pages = render(ds, Settings.for_project(project, check=True), problems).pages
    # only their paths, for the data page's list
    assert {p.path: p.content for p in pages if p.path.startswith("downloads/")} == dict.fromkeys(
        ["downloads/companies.csv", "downloads/events.csv", "downloads/investments.csv",
         "downloads/sources.csv", "downloads/frontier-ledger.json", "downloads/LICENSE.txt"], b"")
    assert not (project_cache(project) / "downloads").exists()


def _reads_companies(companies, ds):
    for c in companies:
        yield [c.id, len(ds.companies)]


def _iterates_sources(companies, ds):
    for c in companies:
        yield [c.id, len(ds.sources)]


def _reads_an_uncited_source(companies, ds):
    for c in companies:
        yield [c.id, ds.sources["daily-2023"].title]


BOTH = [("odd.csv", "acme-ai"), ("odd.csv", "bigcloud")]


@pytest.mark.parametrize("rows, remade", [
    (_reads_companies, BOTH),
    (_iterates_sources, BOTH),
    # Acme AI cites daily-2023 (its key covers it); BigCloud cites nothing
    (_reads_an_uncited_source, [("odd.csv", "bigcloud")]),
], ids=["other-records", "every-source", "a-source-it-does-not-cite"])
def test_rows_that_read_what_their_key_does_not_cover_are_made_every_time(
        project, tmp_path, monkeypatch, rows, remade):
    # as if the generator's own (only its code is covered by the keys)
    monkeypatch.setattr(rows, "__module__", "generator.testing")
    kind = dataclasses.replace(COMPANIES, csv_files=(
        CsvFile("odd.csv", "Rows reading more than their record.", ["id", "other"], rows,
                by_record=True),))
    kinds = (kind,) + DATA_KINDS[1:]
    ds = _ds(project, kinds)
    folder = tmp_path / "downloads-cache"
    dataset_files(ds, kinds, cache=DownloadCache(folder))
    made = _made(monkeypatch)
    files = dataset_files(ds, kinds, cache=DownloadCache(folder))
    assert sorted(made) == remade
    _assert_same(files, dataset_files(ds, kinds))


def test_rows_of_a_kind_from_outside_the_generator_are_made_whole(project, tmp_path,
                                                                  monkeypatch):
    """Its code is not in the keys: a change to it could not be seen."""
    def rows(companies, ds):
        for c in companies:
            yield [c.id]

    kind = dataclasses.replace(COMPANIES, csv_files=(
        CsvFile("ids.csv", "Ids.", ["id"], rows, by_record=True),))
    kinds = (kind,) + DATA_KINDS[1:]
    ds = _ds(project, kinds)
    folder = tmp_path / "downloads-cache"
    dataset_files(ds, kinds, cache=DownloadCache(folder))
    assert not (folder / "ids.csv.index").exists()
    assert (folder / "frontier-ledger.json.index").exists()
