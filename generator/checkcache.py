"""A check's answer, kept by everything it depends on: a check of files that have not changed
since the last check (or since a build that found no problem in them) gives that answer again
without loading or rendering anything.

What a check says depends on the files under ``data/``, the articles' folder and ``templates/``
(their names, kinds, link targets and bytes: a file the check refuses, such as a link, counts as
much as one it reads), the generator's code, the Python and its installed packages, today's date
(what counts as the future) and the build's date (what counts as old). All of that is hashed
into the answer's key, so an answer is only ever given for the very inputs it was found for.

Reading every file for each check would cost what it saves (5,000 files at 1,000 companies), so,
as git's index does, the digest of a file's bytes is kept with its status (device, inode, size,
modification and change time) and trusted while the status is the same, except for a file changed
within a second of the moment its status was taken (a coarse clock could hide a second write of
the same size): its bytes are read again.

Answers are kept in ``check/`` of the project's cache folder (generator.cachedir: outside the
project's tree, never written by a pull request), as JSON; the files' digests in one marshal file
(data only; marshal runs no code). Best effort: what cannot be read or written is a check done
again. ``./ledger check --clean`` reads nothing of it. This module imports no more than the
standard library, so a check that is answered from here costs a few hundredths of a second.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib.util
import json
import marshal
import os
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = 1  # of the files below; part of every key
DATA = "data"
RACY_NS = 1_000_000_000  # a file changed this recently when its status was taken is read again
KEPT_ANSWERS = 16  # the newest answers kept; older ones are removed
_FILES = "files.marshal"


def _hash(*parts: str | bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        b = p.encode("utf-8", "surrogateescape") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def file_status(st: os.stat_result) -> tuple:
    """What any write to a file changes, from its ``os.stat`` (links not followed): which file it
    is (device, inode), its size, its modification time and its change time (in nanoseconds; no
    program sets it). The check's digests and the records' index (generator.recordcache) are
    trusted while it is the same."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def code_digest() -> str:
    """The generator's code (every module's bytes), the Python, and the installed packages (the
    names, with versions, of the distributions beside pydantic)."""
    package = Path(__file__).resolve().parent
    parts: list[str | bytes] = [sys.version, sys.prefix]
    spec = importlib.util.find_spec("pydantic")
    if spec is not None and spec.origin:
        where = Path(spec.origin).parent.parent
        try:
            parts += sorted(n for n in os.listdir(where) if n.endswith(".dist-info"))
        except OSError:
            parts.append(str(where))
    for p in sorted(package.rglob("*.py")):
        parts += [p.relative_to(package).as_posix(), p.read_bytes()]
    return _hash(*parts)


@dataclass(frozen=True)
class Inputs:
    """What a check's answer is kept by, besides the files: ``folders`` (the articles' and the
    templates' folders, relative to the project), ``as_of`` (the build's date, None when not
    known) and ``today``."""

    folders: tuple[str, ...]
    as_of: _dt.date | None
    today: _dt.date


class CheckCache:
    """The kept answers of the project at ``root``, in ``folder``."""

    def __init__(self, root: Path, folder: Path):
        self.root, self.folder = Path(root), Path(folder)
        self._files: dict[str, tuple] | None = None  # rel → (status, digest) as last written

    # -- the key ---------------------------------------------------------------------------------

    def key(self, inputs: Inputs) -> str:
        """The key of a check of the files as they are now, with ``inputs``."""
        taken = time.time_ns()  # before any status is taken
        known = self._known()
        now: dict[str, tuple] = {}
        entries: list[str] = []
        for top in (DATA, *inputs.folders):
            self._walk(top, known, now, entries)
        if now != known:
            self._files = now
            payload = marshal.dumps((FORMAT, taken, now))
            from .cachedir import write_atomically

            write_atomically(self.folder / _FILES, payload)
        return _hash(str(FORMAT), code_digest(), repr(inputs), "\n".join(entries))

    def _known(self) -> dict[str, tuple]:
        """The files' digests as written, those of files changed too recently to trust left out."""
        if self._files is not None:
            return self._files
        try:
            fmt, taken, files = marshal.loads((self.folder / _FILES).read_bytes())
            if fmt != FORMAT:
                return {}
            return {rel: seen for rel, seen in files.items() if taken - seen[0][4] >= RACY_NS}
        except Exception:  # noqa: BLE001 - an unreadable or damaged file: every file is read
            return {}

    def _walk(self, rel: str, known: dict, now: dict, entries: list[str]) -> None:
        """The entry of ``rel`` (a folder: its own, then its contents', by name), in ``entries``;
        a file's status and digest in ``now``."""
        path = os.path.join(self.root, rel)
        try:
            st = os.lstat(path)
        except OSError:
            entries.append(f"-\0{rel}")
            return
        self._entry(rel, path, st, known, now, entries)

    def _entry(self, rel: str, path: str, st: os.stat_result, known: dict, now: dict,
               entries: list[str]) -> None:
        if stat.S_ISLNK(st.st_mode):
            try:
                entries.append(f"l\0{rel}\0{os.readlink(path)}")
            except OSError:
                entries.append(f"l\0{rel}")
        elif stat.S_ISDIR(st.st_mode):
            entries.append(f"d\0{rel}")
            try:
                with os.scandir(path) as it:
                    found = sorted((e.name, e) for e in it)
            except OSError:
                entries.append(f"!\0{rel}")
                return
            for name, e in found:
                try:
                    inner = e.stat(follow_symlinks=False)
                except OSError:
                    entries.append(f"-\0{rel}/{name}")
                    continue
                self._entry(f"{rel}/{name}", e.path, inner, known, now, entries)
        elif stat.S_ISREG(st.st_mode):
            status = file_status(st)
            seen = known.get(rel)
            if seen is not None and seen[0] == status:
                digest = seen[1]
            else:
                try:
                    with open(path, "rb") as f:
                        digest = _hash(f.read())
                except OSError:
                    entries.append(f"!\0{rel}")
                    return
            now[rel] = (status, digest)
            entries.append(f"f\0{rel}\0{digest}")
        else:
            entries.append(f"o\0{rel}\0{stat.S_IFMT(st.st_mode)}")

    # -- the answers -----------------------------------------------------------------------------

    def answer(self, key: str) -> dict[str, Any] | None:
        """The answer kept for ``key``: {"problems": [[path, line, column, field, message,
        warning, notice], …], "pages": N}, or None."""
        try:
            found = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not (isinstance(found, dict) and isinstance(found.get("problems"), list)
                and isinstance(found.get("pages"), int)):
            return None
        return found

    def remember(self, key: str, problems: Any, pages: int) -> None:
        """Keep what a check of the inputs of ``key`` found: ``problems``
        (generator.problems.Problems) and how many pages would be built."""
        from .cachedir import write_atomically

        items = [[p.path, p.line, p.column, p.field, p.message, p.warning, p.notice]
                 for p in problems.items]
        data = json.dumps({"problems": items, "pages": pages})  # ASCII: a name may not be UTF-8
        if write_atomically(self.folder / f"{key}.json", data.encode("utf-8")):
            self._prune()

    def _prune(self) -> None:
        try:
            answers = sorted((e.stat().st_mtime_ns, e.path) for e in os.scandir(self.folder)
                             if e.name.endswith(".json"))
        except OSError:
            return
        for _, path in answers[:-KEPT_ANSWERS]:
            try:
                os.remove(path)
            except OSError:
                pass


def check_cache(root: Path) -> CheckCache:
    """The project's kept check answers (generator.cachedir.project_cache)."""
    from .cachedir import project_cache

    return CheckCache(root, project_cache(root) / "check")


def page_count(pages: list) -> int:
    """How many pages of the site (each Markdown page is one) are among ``pages``, what a check
    says would be built (the downloads, charts and cards beside them are not counted)."""
    return sum(1 for p in pages if p.path.endswith(".md"))


def check_inputs(root: Path) -> Inputs:
    """The inputs of ``./ledger check`` on the project at ``root``: the default folders (those
    of generator.settings.Settings; a test keeps the two in step), the build's date, today."""
    from .sitedir import build_date

    return Inputs(("site_src", "templates"), build_date(root), _dt.date.today())
