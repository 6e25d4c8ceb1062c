"""Where a build may put the site, and only there: the site folder a build made (it carries a
marker), never a link, a file or anyone else's folder; the temporary folders of builds that were
stopped; the time of the last commit, which a reproducible build dates its files by; and the
previous site, kept in the cache for a later build to start from (pruned first, and never
written through: :func:`prune_site`, :func:`link_file`)."""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import os
import re
import shutil
from pathlib import Path

from .escape import shown


def source_date_epoch(root: Path) -> str | None:
    """SOURCE_DATE_EPOCH if set, else the time of the last commit, so that two builds of one
    commit are byte-identical (dates in the sitemap and its gzip header come from it)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    import subprocess

    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                             capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out if out.isdigit() else None


def build_date(root: Path) -> _dt.date | None:
    """The build's date (UTC): SOURCE_DATE_EPOCH, else the time of the last commit of the project
    at ``root``; None when neither is known."""
    epoch = source_date_epoch(root)
    if epoch is None:
        return None
    return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date()


# A built site carries this file, and a build replaces only a folder that has it (or an empty one
# inside the project): whatever else is where the site goes (a link to a folder elsewhere, a file,
# a folder of someone's own) is refused, so that a build never replaces or removes anything it did
# not make. It is published with the site (harmless: a line of text); a marker outside the folder
# would not travel with it, and one kept in the cache would refuse every site/ after a cache clean.
SITE_MARKER = ".frontier-ledger-site"
SITE_MARKER_TEXT = ("Built by Frontier Ledger (./ledger build). A build replaces a folder only "
                    "when this file is in it.\n")
# .site.building-PID-XXXXXXXX and .site.old-PID-XXXXXXXX (tempfile.mkdtemp): a build's own
_TEMP_SITE = re.compile(r"\.(?P<name>.+)\.(?:building|old)-(?P<pid>[0-9]{1,10})(?:-[A-Za-z0-9_]+)?")


def shown_path(path: Path, root: Path) -> str:
    """A path for a one-line message: relative to the project when inside it, escaped."""
    rel = os.path.relpath(path, root) if path == root or root in path.parents else str(path)
    return shown(Path(rel).as_posix())[1:-1]


def is_marked_site(folder: Path) -> bool:
    marker = folder / SITE_MARKER
    return not marker.is_symlink() and marker.is_file()


def site_target(root: Path, site_dir: Path) -> tuple[Path, str | None]:
    """Where a build of the project at ``root`` (resolved) goes for ``--site-dir site_dir``: the
    absolute path, links not followed, and a one-line, located reason to refuse it, or None.

    Refused: a symbolic link at the site folder or at any folder between the project and it; a
    file; the project itself or a folder holding it; a folder without :data:`SITE_MARKER`, unless
    it is empty and inside the project. Outside the project the site folder must not exist yet or
    carry the marker, so that nothing outside the project is ever replaced or removed."""
    target = Path(os.path.normpath(root / site_dir))  # lexically: '..' never passes a link
    inside = root in target.parents

    def refuse(where: Path, why: str, remedy: str = "move it away") -> tuple[Path, str]:
        remedy = f"{remedy}, or choose" if remedy else "choose"
        return target, f"{shown_path(where, root)}: {why}; {remedy} another --site-dir"

    link = "is a symbolic link, which a build never follows or replaces"
    if target == root or target in root.parents:
        return refuse(target, "is the project itself, or holds it", "")
    if inside:
        below = target.relative_to(root).parts
        for i in range(1, len(below)):
            step = root.joinpath(*below[:i])
            if step.is_symlink():
                return refuse(step, "is a symbolic link, which a build never follows",
                              "remove the link")
            if step.exists() and not step.is_dir():
                return refuse(step, "is not a folder")
    if target.is_symlink():
        return refuse(target, link, "remove the link")
    if not target.exists():
        return target, None
    if not target.is_dir():
        return refuse(target, "is not a folder, and a build replaces only a site it built")
    if is_marked_site(target) or inside and not any(target.iterdir()):
        return target, None
    return refuse(target, f"is a folder that no build made (no {SITE_MARKER} in it), and a "
                          "build never replaces it")


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (one of another user's counts: its folder is kept)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OverflowError, ValueError):
        return False  # beyond any process id
    except OSError:
        return True  # PermissionError: it exists
    return True


def clean_leftovers(root: Path, target: Path) -> list[Path]:
    """Remove the temporary folders (``.NAME.building-PID``, ``.NAME.old-PID``) that builds into
    ``target`` left behind when they were stopped half-way, once their process is gone. Outside
    the project only those carrying :data:`SITE_MARKER` (a replaced site) are removed; links and
    files are never touched. Returns what was removed."""
    removed = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return removed
    inside = root in target.parents
    for p in entries:
        m = _TEMP_SITE.fullmatch(p.name)
        if not m or m.group("name") != target.name or int(m.group("pid")) == os.getpid():
            continue
        if p.is_symlink() or not p.is_dir() or _alive(int(m.group("pid"))):
            continue
        if inside or is_marked_site(p):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


# ---------------------------------------------------------------------------------------------
# The previous site, kept to build the next one in (issue 19)
#
# A build publishes a new folder in one rename, and the folder it replaced held the same pages
# as links into the caches. Rather than remove that folder (7,000 files and 1,000 folders at
# 1,000 companies) and make the next one from nothing, a build keeps it in the project's cache
# ("sites/<hash of the site's path>") and the next build starts from it: before anything is
# written, every file in it is removed except those that are already the very file (the same
# inode) the build would link there from a cache, and every folder left empty. What remains is
# what an empty folder would hold once those links were made; the rest is written as into an
# empty folder. Nothing is ever written through a file of the kept folder: a file there that the
# build writes is removed first, so a link into a cache is never written through.


def spare_slot(cache: Path, site_dir: Path) -> Path:
    """Where the previous site of ``site_dir`` is kept, in the project's cache ``cache``."""
    return cache / "sites" / hashlib.sha256(os.fsencode(site_dir)).hexdigest()[:20]


def take_spare(slot: Path, into: Path) -> bool:
    """Move the kept previous site at ``slot`` onto the empty folder ``into``; False (and the
    kept folder removed, when it cannot be moved) if there is none or it cannot be taken."""
    if slot.is_symlink() or not slot.is_dir():
        return False
    try:
        os.replace(slot, into)  # onto an empty folder: a rename
    except OSError:  # on another file system than the site, say: never of use
        shutil.rmtree(slot, ignore_errors=True)
        return False
    return True


def keep_spare(slot: Path, old: Path) -> None:
    """The site a build replaced (``old``), kept at ``slot`` for the next build; removed when it
    cannot be (another file system, or a kept folder there already). One site is kept a
    project: those kept for other site folders, built into before, are removed."""
    try:
        slot.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.replace(old, slot)
    except OSError:
        shutil.rmtree(old, ignore_errors=True)
        return
    for other in slot.parent.iterdir():
        if other.name != slot.name:
            if other.is_dir() and not other.is_symlink():
                shutil.rmtree(other, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    other.unlink()


def prune_site(folder: str, keep: dict[str, tuple[int, int]]) -> set[str]:
    """Make ``folder`` (a kept previous site) hold only the files of ``keep`` — relative path:
    (device, inode) of the file the build puts there — that are that very file; every other
    file, link or folder is removed (links are never followed), and every folder left empty.
    Returns the relative paths of the files that stayed (already in place)."""
    kept: set[str] = set()

    def walk(path: str, prefix: str) -> bool:  # True when ``path`` is left empty
        left = 0
        with os.scandir(path) as it:
            entries = list(it)
        for e in entries:
            rel = prefix + e.name
            if e.is_dir(follow_symlinks=False):
                if walk(e.path, rel + "/"):
                    os.rmdir(e.path)
                else:
                    left += 1
                continue
            want = keep.get(rel)
            if want is not None and e.is_file(follow_symlinks=False):
                st = e.stat(follow_symlinks=False)
                if (st.st_dev, st.st_ino) == want:
                    left += 1
                    kept.add(rel)
                    continue
            os.unlink(e.path)
        return left == 0

    walk(folder, "")
    return kept


def link_file(src: str, dest: str) -> None:
    """``dest`` made the file ``src`` (a hard link, else a copy), its folder made if need be; a
    file already there is left when it is ``src`` itself and removed first otherwise (it may be
    a link into a cache: never written through). OSError when neither can be done."""
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    try:
        os.link(src, dest)
        return
    except FileExistsError:
        if os.path.samestat(os.stat(src), os.lstat(dest)):
            return
        os.unlink(dest)
        try:
            os.link(src, dest)
            return
        except OSError:
            pass
    except OSError:  # no hard links here (another file system, say)
        pass
    shutil.copyfile(src, dest)
