"""The chart caches, objects with a lifetime: built charts by what they read, and rendered output
by content, in the project's cache folder outside its tree.

A built chart (words, table, spec) is kept under a key made of the code that builds it (its kind's
module and every module of the package that module imports, found by reading the imports, plus
Altair's and vl-convert's versions) and of the records it reads, each named by its file's path and
the digest of its text, with the code that makes a record from its file (:func:`record_code`), so
that an unchanged chart is not built again, its key costs no dump of its records, and an edit to a
page template, to another chart's module or to the rendering of pages invalidates nothing. Rendered SVG and PNG are kept by a hash of the spec, the vl-convert
version and :data:`OUTPUT_VERSION`; the files made from them (the SVG as placed in pages, the
download SVG, the spec) carry the version of the code that makes them.

The folder is outside the project (:func:`generator.cachedir.project_cache`): its inline SVGs are
placed into pages as the generator's own, so they are never read from a folder a pull request can
write. Best effort: a cache that cannot be read or written is a miss, never a failed build.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import json
import os
import pickle
import re
import sys
import time
from pathlib import Path
from typing import Callable

from ..cachedir import write_atomically
from ..recordcache import dumps_shared
from .base import Chart

OUTPUT_VERSION = "1"  # bump when the post-processing of rendered SVG or PNG changes
PACKAGE = Path(__file__).resolve().parent.parent  # generator/
# the modules that make the files derived from a rendered SVG, and the downloadable spec
# (generator.png recompresses the PNG: a change there makes the files again, as a clean build
# would make them)
DERIVING_MODULES = ("generator.charts.svg", "generator.charts.base", "generator.png")


# ---------------------------------------------------------------------------------------------
# What a chart's code is


def _module_file(name: str) -> Path | None:
    parts = name.split(".")
    if parts[0] != PACKAGE.name:
        import sys

        module = sys.modules.get(name)
        file = getattr(module, "__file__", None)
        return Path(file) if file else None
    base = PACKAGE.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _read_source(name: str) -> bytes:
    path = _module_file(name)
    return path.read_bytes() if path is not None else b""


# An import statement at the start of a line (after any indentation), with its parenthesised
# continuation; and what could hide one from that: a statement after ":" or ";" on one line.
_IMPORT_LINE = re.compile(
    rb"(?m)^[ \t]*(?:from[ \t]+[.\w]+[ \t]+import[ \t]*(?:\([^)]*\)|[^\n]*)|import[ \t][^\n]*)")
_HIDDEN_IMPORT = re.compile(rb"[:;][ \t]*(?:from[ \t]+[.\w]+[ \t]+import|import)[ \t]")


def _import_nodes(source: bytes) -> list[ast.AST]:
    """Every import statement of a module's source. Parsing and walking the whole module took
    a build 0.1 to 0.4 s for the three dozen modules the charts' and records' code is made of;
    so only the lines that start an import are parsed (a line inside a string that reads like
    one adds a module, which at worst invalidates more than it must). Whatever that could miss
    or misread (an import after ":" or ";", a backslash or a comment inside parentheses: a
    statement that does not parse) sends the module to the whole parse and walk."""
    if not _HIDDEN_IMPORT.search(source):
        try:
            return [node for m in _IMPORT_LINE.finditer(source)
                    for node in ast.parse(m.group(0).strip()).body]
        except (SyntaxError, ValueError):
            pass
    return [node for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.Import, ast.ImportFrom))]


@functools.cache  # the chart kinds share most modules: each is read once per process
def _imports(name: str, source: bytes) -> frozenset[str]:
    """The modules of the package that ``name`` imports (anywhere in it, functions included)."""
    path = _module_file(name)
    is_pkg = path is not None and path.name == "__init__.py"
    out: set[str] = set()
    for node in _import_nodes(source):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == PACKAGE.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != PACKAGE.name:
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                out.add(sub if _module_file(sub) is not None else target)
    out.discard(name)
    return frozenset(out)


def code_modules(*names: str, read_source: Callable[[str], bytes] = _read_source
                 ) -> dict[str, bytes]:
    """``names`` and every module of the package they import, directly or not: their sources."""
    seen: dict[str, bytes] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen[name] = source = read_source(name)
        todo.extend(_imports(name, source) - seen.keys())
    return seen


def _library_versions() -> bytes:
    from importlib.metadata import version

    out = b""
    for dist in ("altair", "vl-convert-python"):
        try:
            out += version(dist).encode() + b"\0"
        except Exception:  # noqa: BLE001 - not installed the usual way: no caching across runs
            out += str(time.time()).encode() + b"\0"
    return out


@functools.cache
def _versions_once() -> bytes:
    return _library_versions()


def code_digest(*names: str, read_source: Callable[[str], bytes] = _read_source) -> str:
    """A hash of the code that builds a chart: the modules ``names``, the modules of the package
    they import, and the versions of Altair and vl-convert."""
    h = hashlib.sha256(_versions_once())
    for name, source in sorted(code_modules(*names, read_source=read_source).items()):
        h.update(name.encode() + b"\0" + hashlib.sha256(source).digest())
    return h.hexdigest()


@functools.cache
def module_digest(*names: str) -> str:
    """:func:`code_digest` of the installed sources, once per process."""
    return code_digest(*names)


# ---------------------------------------------------------------------------------------------
# Built charts


def record_code(*modules: str, read_source: Callable[[str], bytes] | None = None) -> str:
    """A hash of the code that makes a data file's record from its text: the loader and the
    modules it imports (the models, validation, the reader), ``modules`` (those of a project's
    own kinds of data), and the Python and pydantic versions. With the file's path and the digest
    of its text (generator.load: ``Dataset.digests``) it stands for the record itself, as in the
    records' cache, without dumping it. ``read_source``: as for :func:`code_digest` (tests)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        pydantic = version("pydantic")
    except PackageNotFoundError:
        pydantic = "-"
    names = ("generator.load", *sorted(set(modules)))
    code = module_digest(*names) if read_source is None else \
        code_digest(*names, read_source=read_source)
    return hashlib.sha256(f"{sys.version}\0{pydantic}\0{code}".encode()).hexdigest()


class BuiltCharts:
    """Charts as their kinds built them, by key (see :meth:`key`), one file each in ``built/`` of
    the cache folder, as pickles: read back in a few hundredths of a millisecond each (the JSON
    they were, with money and dates decoded again field by field, took ten times as long), so a
    build of thousands of charts that are all kept spends little more than reading their files.
    A pickle is run when it is read: like the records' cache (generator.recordcache), this folder
    is the project's cache folder or FL_CHART_CACHE, outside the project's tree, never one a
    pull request can write. ``keep_in_memory``: also held by this object, for as long as it lives
    (serve keeps one across rebuilds; a build does not, so that it does not hold every chart of
    thousands until it ends)."""

    def __init__(self, directory: Path | None, *, keep_in_memory: bool = False):
        self.dir = directory / "built" if directory is not None else None
        self.memory: dict[str, Chart] | None = {} if keep_in_memory else None

    @staticmethod
    def key(code: str, kind: str, chart_id: str, origin: str, reads: str) -> str:
        h = hashlib.sha256(code.encode())
        for part in (kind, chart_id, origin, reads):
            h.update(b"\0" + part.encode("utf-8"))
        return h.hexdigest()

    @staticmethod
    def _copy(ch: Chart) -> Chart:
        # what a build sets on a chart (data_as_of, secondary_rows) is never kept
        return dataclasses.replace(ch, notes=list(ch.notes), data_as_of=None, secondary_rows=())

    def get(self, key: str) -> Chart | None:
        ch = self.memory.get(key) if self.memory is not None else None
        if ch is None and self.dir is not None:
            try:
                with open(self.dir / f"{key}.pickle", "rb") as f:
                    ch = pickle.load(f)
            except Exception:  # noqa: BLE001 - missing or damaged: the chart is built again
                return None
            if not isinstance(ch, Chart):
                return None
            if self.memory is not None:
                self.memory[key] = ch
        return self._copy(ch) if ch is not None else None

    def put(self, key: str, ch: Chart) -> None:
        kept = self._copy(ch)
        if self.memory is not None:
            self.memory[key] = kept
        if self.dir is None:
            return
        try:
            data = dumps_shared(kept)  # its rows' dates and amounts read back shared
        except Exception:  # noqa: BLE001 - not kept: the chart is built again next time
            return
        write_atomic(self.dir / f"{key}.pickle", data)


# ---------------------------------------------------------------------------------------------
# Rendered output


def write_atomic(path: Path, data: bytes) -> bool:
    """A rendered file written whole (cachedir.write_atomically), readable by all: builds link
    it into the site."""
    return write_atomically(path, data, mode=0o644)


def _asked() -> tuple[str, str | None, str]:
    """What :func:`render_versions` and :func:`schema_url` give, asked of the modules."""
    import altair as alt
    import vl_convert as vlc

    want = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return (str(getattr(vlc, "__version__", "?")),
            want if want in vlc.get_vegalite_versions() else None, alt.SCHEMA_URL)


@functools.cache
def _versions(cache_dir: Path | None) -> tuple[str, str | None, str]:
    memo = None
    try:
        from importlib.metadata import version

        stamp = re.sub(r"[^A-Za-z0-9.+-]", "_", f"{version('altair')}-{version('vl-convert-python')}")
        memo = cache_dir / f"versions-{stamp}.json" if cache_dir is not None else None
    except Exception:  # noqa: BLE001 - not installed the usual way: ask the modules
        pass
    got = None
    if memo is not None:
        try:
            got = tuple(json.loads(memo.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            got = None
    if got is None or len(got) != 3:
        got = _asked()
        if memo is not None:
            write_atomic(memo, json.dumps(got).encode("utf-8"))
    return got[0], got[1], got[2]


def render_versions(cache_dir: Path | None = None) -> tuple[str, str | None]:
    """(vl-convert's version, the Vega-Lite version specs are rendered with). Finding them imports
    Altair and vl-convert (a second, and 25 MB), so they are remembered in the cache folder for the
    installed versions of both, and a build whose charts are all cached imports neither."""
    return _versions(cache_dir)[:2]


def schema_url(cache_dir: Path | None = None) -> str:
    """The Vega-Lite schema of the installed Altair, which every spec names: remembered with
    :func:`render_versions`, so that building a chart without Altair (every kind,
    generator.charts.lite) does not import it (a quarter of a second) to ask."""
    return _versions(cache_dir)[2]


class RenderCache:
    """Rendered SVG and PNG by content hash, and the files made from them, in one folder."""

    def __init__(self, directory: Path):
        self.dir = directory

    def key(self, *parts: str) -> str:
        h = hashlib.sha256()
        for p in (render_versions(self.dir)[0], OUTPUT_VERSION, *parts):
            h.update(p.encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()

    def path(self, key: str, kind: str, made_by: str | None = None) -> Path:
        """A file of one rendering: "svg" and "png" as rendered, and the files made from them
        ("inline.svg", "dl.svg", "vl.json"), which also depend on the code that makes them
        (``made_by``: its version, as the main process sees it)."""
        return self.dir / self.name(key, kind, made_by)

    @staticmethod
    def name(key: str, kind: str, made_by: str | None = None) -> str:
        """The name of :meth:`path` in the folder."""
        if kind in ("svg", "png"):
            return f"{key}.{kind}"
        return f"{key}.{made_by or module_digest(*DERIVING_MODULES)[:12]}.{kind}"

    def names(self) -> set[str]:
        """The names of the files in the folder now (empty when it cannot be listed)."""
        try:
            return set(os.listdir(self.dir))
        except OSError:
            return set()

    def get(self, key: str, png: bool = True) -> tuple[str, bytes | None] | None:
        try:
            svg = (self.dir / f"{key}.svg").read_text(encoding="utf-8")
            png_bytes = (self.dir / f"{key}.png").read_bytes() if png else None
        except OSError:
            return None
        return svg, png_bytes

    def put(self, key: str, svg: str, png: bytes | None) -> None:
        if png is not None:  # the PNG first: the SVG is what says "rendered"
            write_atomic(self.path(key, "png"), png)
        write_atomic(self.path(key, "svg"), svg.encode("utf-8"))


class ChartStore:
    """A project's chart caches in one folder: built charts and rendered output. Serve keeps one
    store alive across rebuilds, with the built charts in memory too."""

    def __init__(self, directory: Path, *, keep_in_memory: bool = False):
        self.dir = directory
        self.built = BuiltCharts(directory, keep_in_memory=keep_in_memory)
        self.rendered = RenderCache(directory)
        self.long_lived = keep_in_memory  # serve's: it renders chart after chart (Rendering)
