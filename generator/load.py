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
from pathlib import Path

from . import model as m
from .crossref import cross_check
from .dataset import Dataset
from .problems import Problems
from .reader import parse_yaml, read_file
from .site_paths import reserved_id_problem
from .suggest import suggest
from .validate import check_table, validate
from .values import file_name_problem

DATA_FOLDERS = tuple(m.KINDS)
MAX_FILES_PER_FOLDER = 20_000


# ---------------------------------------------------------------------------------------------
# 1. layout


def _entries(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as it:
        return sorted(it, key=lambda e: e.name)


def find_files(root: Path, problems: Problems, refused: dict[str, set[str]] | None = None
               ) -> dict[str, list[tuple[Path, str]]]:
    """(absolute path, project-relative path) of each data file, by folder; layout problems noted.

    ``refused`` collects, by folder, the names of files that look like records but were refused
    (such as ``acme.yml``), so that references to them are not reported twice.
    """
    refused = refused if refused is not None else {k: set() for k in DATA_FOLDERS}
    data = root / "data"
    found: dict[str, list[tuple[Path, str]]] = {k: [] for k in DATA_FOLDERS}
    where = "data/companies/, data/sources/ or data/tables/ as NAME.yaml"
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
        if entry.name not in DATA_FOLDERS or not entry.is_dir(follow_symlinks=False):
            close = suggest(entry.name, DATA_FOLDERS)
            problems.error(rel, f"is not where data goes{close} Data files go in {where}"
                           if close else f"is not where data goes; data files go in {where}")
            continue
        entries = _entries(Path(entry.path))
        if len(entries) > MAX_FILES_PER_FOLDER:
            problems.error(rel, f"holds {len(entries):,} entries, over the limit of "
                           f"{MAX_FILES_PER_FOLDER:,}")
            continue
        for sub in entries:
            srel = f"{rel}/{sub.name}"
            if sub.name.startswith("."):
                continue
            stem, dot, ext = sub.name.rpartition(".")
            if sub.is_dir(follow_symlinks=False):
                problems.error(srel, f"folders are not read here; put {m.KIND_SINGULAR[entry.name]} "
                               f"files directly in {rel}/ as NAME.yaml")
                continue
            if not dot or ext != "yaml":
                if dot and ext.lower() in ("yml", "yaml"):
                    refused[entry.name].add(stem)
                    claimed = _claimed_id(Path(sub.path), srel)
                    if claimed:
                        refused[entry.name].add(claimed)
                    bad = file_name_problem(f"{stem}.yaml", ".yaml")
                    problems.error(srel, f"data files must end in '.yaml' (lower case, not "
                                   f"'.{ext}'); rename it to {rel}/{stem}.yaml" if bad is None
                                   else file_name_problem(sub.name, ".yaml"))
                else:
                    problems.error(srel, f"unexpected file; {m.KIND_SINGULAR[entry.name]} files "
                                   f"are YAML files named NAME.yaml in {rel}/ (other files do "
                                   "not belong in data/)")
                continue
            bad = file_name_problem(sub.name, ".yaml")
            if bad is not None:  # the one documented form: an id, then .yaml
                claimed = _claimed_id(Path(sub.path), srel)
                if claimed:  # references to it are not reported again as unknown
                    refused[entry.name].add(claimed)
                    if file_name_problem(f"{claimed}.yaml", ".yaml") is None:
                        bad += f"; rename it to {rel}/{claimed}.yaml, after the id it holds"
                problems.error(srel, bad)
                continue
            found[entry.name].append((Path(sub.path), srel))
    return found


def _claimed_id(path: Path, rel: str) -> str | None:
    """The id a refused file gives itself, read as any data file is (links are not followed);
    None when it cannot be read. Its own problems wait until it has a valid name."""
    text = read_file(path, rel, Problems())
    doc = parse_yaml(text, rel, Problems()) if text is not None else None
    if doc is None or not isinstance(doc.data, dict):
        return None
    rid = doc.data.get("id")
    return str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) else None


def load(root: Path, problems: Problems, *, today: _dt.date | None = None) -> Dataset:
    """Read and check every data file under ``root/data``. Inspect ``problems`` afterwards."""
    today = today or _dt.date.today()
    ds = Dataset(root=root)
    files = find_files(root, problems, ds.refused)
    for folder, entries in files.items():
        cls = m.KINDS[folder]
        target = getattr(ds, folder)
        for path, rel in entries:
            stem = path.name[: -len(".yaml")]
            ds.refused[folder].add(stem)  # until it is read and valid
            text = read_file(path, rel, problems)
            if text is None:
                continue
            doc = parse_yaml(text, rel, problems)
            if doc is None:
                continue
            ds.documents[rel] = doc
            record = validate(rel, doc, cls, problems)
            if record is None:
                continue
            if isinstance(record, m.Table):
                record = check_table(rel, doc, record, problems)
            if record.id != stem:  # stem is a valid id: find_files refuses other names
                ds.refused[folder].add(record.id)
                line, col = doc.where(("id",))
                problems.error(rel, f"id '{record.id}' does not match the file name; rename the "
                               f"file to {record.id}.yaml or set id: {stem}",
                               line=line, column=col, field="id")
                continue
            reserved = reserved_id_problem(folder, record.id)
            if reserved:  # companies/index.md is the list of companies, not a profile
                line, col = doc.where(("id",))
                problems.error(rel, reserved, line=line, column=col, field="id")
                continue
            target[record.id] = record
            ds.origins[(folder, record.id)] = rel
            ds.refused[folder].discard(stem)
            doc.release(path, rel)  # checked: positions are found again if a problem needs one
    cross_check(ds, problems, today)
    return ds
