"""load: the data folder → a validated, cross-referenced :class:`Dataset`, every problem at once.

Stages, each collecting problems and carrying on where it safely can:

1. layout: which files exist, where they may be, what they may be called;
2. reading: bytes → text → strict YAML (:mod:`generator.reader`);
3. validation: each file against its model (:mod:`generator.model`), errors located by field path;
4. cross-references: ids, references between files, look-alike names, figures that do not add up.

Nothing here imports MkDocs or writes anything.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import sys
from pathlib import Path
from typing import Any

from .collector import paused
from .crossref import cross_check
from .dataset import Dataset
from .kinds import DATA_KINDS, DataKind
from .pagecache import digest
from .problems import Problems
from .reader import Document, parse_yaml, read_file
from .site_paths import reserved_id_problem
from .suggest import suggest
from .validate import validate
from .values import file_name_problem

MAX_FILES_PER_FOLDER = 20_000


# ---------------------------------------------------------------------------------------------
# 1. layout


def _entries(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as it:
        return sorted(it, key=lambda e: e.name)


def _where(kinds: tuple[DataKind, ...]) -> str:
    folders = [f"data/{k.folder}/" for k in kinds]
    listed = ", ".join(folders[:-1]) + " or " + folders[-1] if len(folders) > 1 else folders[0]
    return f"{listed} as NAME.yaml"


def find_files(root: Path, problems: Problems, refused: dict[str, set[str]],
               kinds: tuple[DataKind, ...] = DATA_KINDS) -> dict[str, list[tuple[Path, str]]]:
    """(absolute path, project-relative path) of each data file, by folder; layout problems noted.

    ``refused`` collects, by folder, the names of files that look like records but were refused
    (such as ``acme.yml``), so that references to them are not reported twice.
    """
    by_folder = {k.folder: k for k in kinds}
    data = root / "data"
    found: dict[str, list[tuple[Path, str]]] = {k.folder: [] for k in kinds}
    where = _where(kinds)
    if not data.is_dir() or data.is_symlink():
        problems.error("data", "the data folder is missing (or is a link); it holds " + where)
        return found
    for entry in _entries(data):
        rel = f"data/{entry.name}"
        if entry.name.startswith(".") or entry.name == "README.md":
            continue
        if entry.is_symlink():
            problems.error(rel, "is a symbolic link; links are never followed, so make it a real "
                           f"folder or file (data files go in {where})")
            continue
        if entry.name not in by_folder or not entry.is_dir(follow_symlinks=False):
            close = suggest(entry.name, by_folder)
            problems.error(rel, f"is not where data goes{close} Data files go in {where}"
                           if close else f"is not where data goes; data files go in {where}")
            continue
        entries = _entries(Path(entry.path))
        if len(entries) > MAX_FILES_PER_FOLDER:
            problems.error(rel, f"holds {len(entries):,} entries, over the limit of "
                           f"{MAX_FILES_PER_FOLDER:,}")
            continue
        for sub in entries:
            if not sub.name.startswith(".") and _data_file(sub, rel, by_folder[entry.name],
                                                          problems, refused[entry.name]):
                found[entry.name].append((Path(sub.path), f"{rel}/{sub.name}"))
    return found


def _data_file(sub: os.DirEntry, rel: str, kind: DataKind, problems: Problems,
               refused: set[str]) -> bool:
    """Whether ``sub``, an entry of the folder ``rel`` of data files of ``kind``, is a data file
    to read; if not, its problem is noted (and the id it claims, in ``refused``)."""
    srel = f"{rel}/{sub.name}"
    stem, dot, ext = sub.name.rpartition(".")
    if sub.is_dir(follow_symlinks=False):
        problems.error(srel, f"folders are not read here; put {kind.singular} "
                       f"files directly in {rel}/ as NAME.yaml")
        return False
    if not dot or ext != "yaml":
        if dot and ext.lower() in ("yml", "yaml"):
            refused.add(stem)
            claimed = _claimed_id(Path(sub.path), srel)
            if claimed:
                refused.add(claimed)
            bad = file_name_problem(f"{stem}.yaml", ".yaml")
            problems.error(srel, f"data files must end in '.yaml' (lower case, not "
                           f"'.{ext}'); rename it to {rel}/{stem}.yaml" if bad is None
                           else file_name_problem(sub.name, ".yaml"))
        else:
            problems.error(srel, f"unexpected file; {kind.singular} files "
                           f"are YAML files named NAME.yaml in {rel}/ (other files do "
                           "not belong in data/)")
        return False
    bad = file_name_problem(sub.name, ".yaml")
    if bad is not None:  # the one documented form: an id, then .yaml
        claimed = _claimed_id(Path(sub.path), srel)
        if claimed:  # references to it are not reported again as unknown
            refused.add(claimed)
            if file_name_problem(f"{claimed}.yaml", ".yaml") is None:
                bad += f"; rename it to {rel}/{claimed}.yaml, after the id it holds"
        problems.error(srel, bad)
        return False
    return True


def _claimed_id(path: Path, rel: str) -> str | None:
    """The id a refused file gives itself, read as any data file is (links are not followed);
    None when it cannot be read. Its own problems wait until it has a valid name."""
    text = read_file(path, rel, Problems())
    doc = parse_yaml(text, rel, Problems()) if text is not None else None
    if doc is None or not isinstance(doc.data, dict):
        return None
    rid = doc.data.get("id")
    return str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) else None


def load(root: Path, problems: Problems, *, today: _dt.date | None = None,
         kinds: tuple[DataKind, ...] = DATA_KINDS, as_of: _dt.date | None = None,
         max_age: int = 90, cache: Any = None) -> Dataset:
    """Read and check every data file under ``root/data``, of the data ``kinds``. Inspect
    ``problems`` afterwards. ``today`` (the clock by default): what counts as the future;
    ``as_of``: the build's date, against which a record last checked more than ``max_age`` days
    before gets a notice (None: ages are not checked); ``cache``: a
    generator.recordcache.RecordCache, whose records of files checked before are taken instead
    of checking them again."""
    today = today or _dt.date.today()
    ds = Dataset(root=root, kinds=tuple(kinds))
    files = find_files(root, problems, ds.refused, ds.kinds)
    # a company file's words that name a company file are all a profile's key needs
    # (generator.render.reuse); all of them were 8 KB a company (40 MB at 5,000)
    names = frozenset(path.name[: -len(".yaml")] for path, _ in files.get("companies", ()))
    if cache is not None:
        cache.begin(names)
    # the collector held off while thousands of records are read back or made (they live
    # until the run ends: generator.collector), as while the charts are
    with paused():
        for kind in ds.kinds:
            for path, rel in files[kind.folder]:
                _load_file(ds, kind, path, rel, problems, cache, names)
    if cache is not None:
        cache.finish()
    cross_check(ds, problems, today, as_of=as_of, max_age=max_age)
    return ds


def _load_file(ds: Dataset, kind: DataKind, path: Path, rel: str, problems: Problems,
               cache: Any = None, names: frozenset[str] = frozenset()) -> None:
    folder = kind.folder
    stem = path.name[: -len(".yaml")]
    ds.refused[folder].add(stem)  # until it is read and valid
    status = cache.status(path) if cache is not None else None  # before it is read
    seen = cache.unchanged(folder, rel, status) if cache is not None else None
    if seen is not None:  # the file is as a load read it before: not read again
        record, text_digest, words = seen
        _take(ds, folder, path, rel, stem, record)
        ds.digests[rel] = text_digest
        if folder == "companies":
            ds.words[record.id] = words & names
        return
    text = read_file(path, rel, problems)
    if text is None:
        return
    name = cache.name(folder, rel, text) if cache is not None else ""
    record = cache.get(name) if cache is not None else None
    if record is not None:  # read and checked before, without a problem
        _take(ds, folder, path, rel, stem, record)
        words = _remember(ds, folder, rel, record.id, text, names)
        cache.seen(folder, rel, status, name, ds.digests[rel], words)
        return
    before = len(problems.items)
    _check_file(ds, kind, path, rel, text, problems)
    record = ds.records[folder].get(stem)
    if record is None:
        return
    words = _remember(ds, folder, rel, record.id, text, names)
    if cache is not None and len(problems.items) == before:
        cache.put(name, record)
        cache.seen(folder, rel, status, name, ds.digests[rel], words)


def _take(ds: Dataset, folder: str, path: Path, rel: str, stem: str, record: Any) -> None:
    """A record checked before, without a problem, taken into the dataset."""
    doc = Document(None)
    doc.release(path, rel)
    ds.documents[rel] = doc
    ds.records[folder][record.id] = record
    ds.origins[(folder, record.id)] = rel
    ds.refused[folder].discard(stem)


_WORD = re.compile(r"[a-z0-9][a-z0-9-]*")


def _remember(ds: Dataset, folder: str, rel: str, rid: str, text: str,
              names: frozenset[str]) -> frozenset[str] | None:
    """What the render's page cache needs of a valid record's file (see Dataset.digests); a
    company file's words, all of them (serve keeps them with the record: a company added later
    may be named by one), those naming a company file in the dataset."""
    ds.digests[rel] = digest(text)
    if folder != "companies":
        return None
    # interned: most words are in many files (keys, kinds, ids)
    words = frozenset(map(sys.intern, _WORD.findall(text)))
    ds.words[rid] = words & names
    return words


def _check_file(ds: Dataset, kind: DataKind, path: Path, rel: str, text: str,
                problems: Problems) -> None:
    folder = kind.folder
    stem = path.name[: -len(".yaml")]
    doc = parse_yaml(text, rel, problems)
    if doc is None:
        return
    ds.documents[rel] = doc
    record = validate(rel, doc, kind.model, problems)
    if record is None:
        return
    if kind.typed is not None:
        record = kind.typed(rel, doc, record, problems)
    if record.id != stem:  # stem is a valid id: find_files refuses other names
        ds.refused[folder].add(record.id)
        line, col = doc.where(("id",))
        problems.error(rel, f"id '{record.id}' does not match the file name; rename the "
                       f"file to {record.id}.yaml or set id: {stem}",
                       line=line, column=col, field="id")
        return
    reserved = reserved_id_problem(folder, record.id)
    if reserved:  # companies/index.md is the list of companies, not a profile
        line, col = doc.where(("id",))
        problems.error(rel, reserved, line=line, column=col, field="id")
        return
    ds.records[folder][record.id] = record
    ds.origins[(folder, record.id)] = rel
    ds.refused[folder].discard(stem)
    doc.release(path, rel)  # checked: positions are found again if a problem needs one
