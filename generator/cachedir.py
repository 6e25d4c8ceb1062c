"""Where Frontier Ledger keeps what it makes for itself, and the one lock of a project's builds.

Nothing a pull request can write is ever run or loaded as tooling: the virtual environment, the
Node tools, the rendered charts, the compiled templates (Jinja's bytecode cache, which is read with
pickle and marshal, i.e. runs code) and the build lock all live in one folder per project *outside*
the project's tree::

    ${LEDGER_CACHE_HOME:-${XDG_CACHE_HOME:-~/.cache}/frontier-ledger}/<16 hex digits>/
        venv/                  the virtual environment (./ledger; LEDGER_VENV moves it)
        node/node_modules/     axe-core and Lighthouse from package-lock.json (./ledger)
        charts/                rendered charts (generator.charts.Cache; FL_CHART_CACHE moves it)
        jinja-pages/           compiled templates (generator.render)
        jinja-budgeted-<16>/   compiled articles and pages, by their limits (render.sandbox)
        jinja-theme/           compiled theme templates (generator.mkdocs_glue)
        records/               checked records by file text (generator.recordcache)
        render/                rendered profiles and sources pages by what they read
                               (generator.render.reuse)
        downloads/             each record's part of the downloads (generator.downloadcache)
        pages/                 finished pages and their records (generator.pagecache)
        check/                 a check's answers by what it read (generator.checkcache)
        build.lock             held by a build of the site while it runs

The 16 hex digits are the start of the SHA-256 of the project's absolute, resolved path, so two
checkouts never share a folder and a moved checkout starts afresh. ``./ledger`` computes the same
folder in shell (to find the virtual environment before there is a Python); a test keeps the two in
step. A project's own ``.venv/``, ``.cache/`` and ``node_modules/`` are never read.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any



def cache_home() -> Path:
    """The folder holding every project's cache folder: LEDGER_CACHE_HOME (absolute, as ./ledger
    passes it; a test run points it at a temporary folder), else ``$XDG_CACHE_HOME/frontier-ledger``
    when that is an absolute path (the XDG rule), else ``~/.cache/frontier-ledger``."""
    home = os.environ.get("LEDGER_CACHE_HOME")
    if home:
        return Path(home).absolute()
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "frontier-ledger"
    return Path.home() / ".cache" / "frontier-ledger"


def project_key(root: Path) -> str:
    """16 hex digits naming the project at ``root`` (its absolute path with links resolved)."""
    return hashlib.sha256(os.fsencode(str(Path(root).resolve()))).hexdigest()[:16]


def project_cache(root: Path) -> Path:
    """The project's own folder under :func:`cache_home` (not created here)."""
    return cache_home() / project_key(root)


def node_modules(root: Path) -> Path:
    """The Node tools' node_modules: where ./ledger installed them (LEDGER_NODE_MODULES, which it
    sets for the tests and the budget), else where it would install them."""
    given = os.environ.get("LEDGER_NODE_MODULES")
    return Path(given) if given else project_cache(root) / "node" / "node_modules"


def ensure(folder: Path) -> Path | None:
    """``folder`` created, private to the user (made before anything in it, the project's cache
    folder is too), or None when it cannot be: every cache is best effort, never a failed build."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if folder.is_dir() else None


def write_atomically(path: Path, data: bytes, *, mode: int = 0o600, make_folder: bool = True
                     ) -> bool:
    """Write ``data`` to ``path`` so that no reader (another build, serve) ever sees half of it:
    into a temporary file beside it, then renamed over it. Every cache writes this way. Best
    effort, as a cache may: False (and no temporary file left) when it cannot be written, and the
    entry is made again next time. New folders are private to the user (0o700)."""
    tmp = None
    try:
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


WAITING = "waiting for another build of this project to finish…"


@contextlib.contextmanager
def build_lock(root: Path, *, out: IO[str] | None = None) -> Iterator[None]:
    """Held while a build of the project at ``root`` runs: a second build of the same project
    waits here (saying so once, on ``out``, stderr by default) until the first one is done. The
    lock is the kernel's (flock), so a build that dies lets go of it. Best effort: when the lock
    file cannot be made, the build goes ahead without it."""
    folder = ensure(project_cache(root))
    f: Any = None
    if folder is not None:
        try:
            f = open(folder / "build.lock", "a+b")
        except OSError:
            f = None
    if f is None:
        yield
        return
    with f:
        try:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(WAITING, file=out or sys.stderr, flush=True)
                fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        except OSError:  # a file system without locks: go ahead unlocked
            yield
            return
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)
