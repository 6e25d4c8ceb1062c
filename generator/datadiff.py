"""diff: what a change to the data means, in plain words (``python -m generator diff BASE``).

Reviewers of a data pull request should read meaning, not YAML. This loads the dataset as it was at
the git revision ``BASE`` and as it is in the working tree, and prints one line per change::

    anthropic: new round 'Series I' (primary round, 2026-12-01), post-money US$1.2 trillion, reported, 2 sources
    openai: post-money of 2026-03-31 changed from US$852 billion to US$860 billion
    new source 'ft-2026-12-01-anthropic': Financial Times, "Anthropic raises ...", published 2026-12-01

The words are :mod:`generator.describe`'s; each kind of data file is described in its turn (the
data kinds of generator.kinds, in their order).

The base is read with git plumbing only (``git ls-tree`` and ``git cat-file``) into a temporary
folder: the working tree, the index and the checked-out branch are never touched. Only regular files
under ``data/`` are taken from the base; links and anything else are skipped.

If the working tree's data has errors, the check's problems are printed instead of a diff (exit
status 1), since a change that cannot be read cannot be described. Warnings are printed after the
diff. Exit status 2 means the base could not be read (not a git repository, unknown revision).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .dataset import Dataset
from .describe import plural
from .kinds import DATA_KINDS, DataKind
from .load import load
from .problems import Problems


class DiffError(Exception):
    """The base could not be read (one line, for the contributor)."""


# ---------------------------------------------------------------------------------------------
# Reading the base revision without touching the working tree


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        res = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, env=env,
                             check=False)
    except FileNotFoundError:
        raise DiffError("git is not installed, or not on PATH") from None
    if res.returncode != 0:
        msg = res.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(msg[-1] if msg else f"git {args[0]} failed")
    return res.stdout


def resolve(root: Path, base: str) -> str:
    """The full commit id of ``base`` (refuses option-like and unknown revisions)."""
    if not base or base.startswith("-") or any(ch in base for ch in "\n\r\0"):
        raise DiffError(f"{base!r} is not a git revision")
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options",
                    f"{base}^{{commit}}").decode().strip()
    except DiffError:
        try:
            _git(root, "rev-parse", "--git-dir")
        except DiffError:
            raise DiffError(f"{root} is not in a git repository") from None
        raise DiffError(f"unknown git revision '{base}' (try a branch name such as main, or a "
                        "commit id)") from None


_SAFE_PART = re.compile(r"[A-Za-z0-9._-]+\Z")


def export_data(root: Path, commit: str, dest: Path) -> int:
    """Copy the regular files under ``data/`` at ``commit`` into ``dest/data``; return how many."""
    listing = _git(root, "ls-tree", "-r", "-z", commit, "--", "data/")
    entries: list[tuple[str, str]] = []
    for item in listing.split(b"\0"):
        if not item:
            continue
        meta, _, path = item.partition(b"\t")
        mode, kind, oid = meta.decode().split(" ")
        rel = path.decode("utf-8", "replace")
        parts = PurePosixPath(rel).parts
        if kind != "blob" or mode not in ("100644", "100755") or not parts or parts[0] != "data" \
                or any(not _SAFE_PART.match(p) or p in (".", "..") for p in parts):
            continue
        entries.append((oid, rel))
    if not entries:
        (dest / "data").mkdir(parents=True, exist_ok=True)
        return 0
    wanted = "".join(f"{oid}\n" for oid, _ in entries).encode()
    out = _git(root, "cat-file", "--batch", stdin=wanted)
    pos = 0
    for oid, rel in entries:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode().split(" ")
        if len(header) != 3 or header[0] != oid or header[1] != "blob":
            raise DiffError(f"could not read {rel} at {commit[:12]}")
        size = int(header[2])
        content = out[end + 1:end + 1 + size]
        pos = end + 1 + size + 1
        target = dest.joinpath(*PurePosixPath(rel).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return len(entries)


# Fields renamed since earlier versions of the data: a base from before the rename is read as the
# current version would read it, so that the diff says what changed in meaning, not in spelling.
# A valuation written 'post_money_valuation:' took its kind of price from its event's kind.
_OLD_VALUATION = re.compile(r"^(\s+)post_money_valuation:(.*)$", re.M)
_EVENT_KIND = re.compile(r"^\s+kind: ([a-z-]+)\s*$", re.M)
_BASIS_OF_KIND = {"primary-round": "post-money", "strategic-investment": "post-money",
                  "tender-offer": "secondary", "secondary-sale": "secondary", "ipo": "ipo",
                  "merger": "deal-value", "declined-offer": "offer-declined",
                  "reported-talks": "target", "ipo-filing": "target"}


def upgrade_base(text: str) -> str:
    """A company file of an earlier version, in the current field names."""
    if "post_money_valuation:" not in text:
        return text
    blocks = re.split(r"(?m)^(?=  - id:)", text)
    out = []
    for b in blocks:
        kind = _EVENT_KIND.search(b)
        basis = _BASIS_OF_KIND.get(kind.group(1), "post-money") if kind else "post-money"
        out.append(_OLD_VALUATION.sub(
            lambda m_: f"{m_.group(1)}valuation:{m_.group(2)}\n{m_.group(1)}valuation_basis: "
                       f"{basis}", b))
    return "".join(out)


def dataset_at(root: Path, commit: str, tmp: Path, problems: Problems,
               kinds: tuple[DataKind, ...] = DATA_KINDS) -> Dataset:
    export_data(root, commit, tmp)
    folder = tmp / "data" / "companies"
    if folder.is_dir():
        for f in folder.glob("*.yaml"):
            text = f.read_text(encoding="utf-8", errors="replace")
            new = upgrade_base(text)
            if new != text:
                f.write_text(new, encoding="utf-8")
    return load(tmp, problems, kinds=kinds)


# ---------------------------------------------------------------------------------------------


def describe(old: Dataset, new: Dataset) -> list[str]:
    """Every change from ``old`` to ``new``, one line each, kind by kind (in the order of the data
    kinds: companies, then tables, then sources, then glossary terms), records by id."""
    out: list[str] = []
    for kind in new.kinds:
        before, after = old.records.get(kind.folder, {}), new.records[kind.folder]
        for rid in sorted(set(before) | set(after)):
            o, n = before.get(rid), after.get(rid)
            if o != n:
                out += kind.describe(rid, o, n)
    return out


@dataclass
class Result:
    code: int  # 0: a diff; 1: the working tree has errors (problems instead); 2: base unreadable
    lines: list[str]
    problems: Problems
    base_problems: Problems
    commit: str = ""


def diff(root: Path, base: str, settings: Any = None) -> Result:
    """The changes to the data since the git revision ``base``, after a full check of the working
    tree (by ``settings``: a check of the project at ``root`` by default)."""
    from .render import render
    from .settings import Settings

    settings = settings or Settings.for_project(root, check=True)
    kinds = settings.kinds.data
    commit = resolve(root, base)
    base_problems = Problems()
    with tempfile.TemporaryDirectory(prefix="ledger-diff-") as tmp:
        old = dataset_at(root, commit, Path(tmp), base_problems, kinds)
    problems = Problems()
    new = load(root, problems, kinds=kinds)
    if not problems.errors:  # the full check: articles, and sources nothing cites
        render(new, settings, problems)
    if problems.errors:
        return Result(1, [], problems, base_problems, commit)
    return Result(0, describe(old, new), problems, base_problems, commit)


def _fence(text: str) -> str:
    longest = max((len(r) for r in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def format_result(res: Result, base: str, *, markdown: bool = False) -> str:
    short = res.commit[:12]
    name = re.sub(r"[^A-Za-z0-9._/^~@{}:+-]", "", base)
    if res.code == 1:
        body = res.problems.report()
        if not markdown:
            return "the data has problems, so its changes cannot be described; fix these first:\n" \
                + body
        fence = _fence(body)
        return (f"### Data changes since {name} ({short})\n\nThe data has problems, so the changes "
                f"cannot be described; fix these first (`./ledger check`):\n\n{fence}text\n{body}\n"
                f"{fence}\n")
    lines = res.lines or [f"no changes to the data since {name}"]
    notes = []
    if res.base_problems.errors:
        n_base = len(res.base_problems.errors)
        notes.append(f"note: the data at {name} has {plural(n_base, 'error')}"
                     "; records that could not be read there are shown as new")
    if res.problems.warnings:
        notes.append("the check also warns (a strict check fails on these):")
        notes += [p.format() for p in res.problems.sorted()]
    if not markdown:
        return "\n".join(lines + ([""] + notes if notes else []))
    body = "\n".join(lines + ([""] + notes if notes else []))
    fence = _fence(body)
    n = len(res.lines)
    return (f"### Data changes since {name} ({short})\n\n"
            f"{plural(n, 'change') if n else 'No changes'} to the data, in plain words:\n\n"
            f"{fence}text\n{body}\n{fence}\n")
