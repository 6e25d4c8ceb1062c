"""Nothing a pull request can write is run or loaded as tooling, and builds never touch what they
did not make.

- ``./ledger`` refuses a checkout that tracks .venv/, .cache/, node_modules/ or site/, before
  anything runs, and otherwise uses the virtual environment and the Node tools in the project's
  cache folder outside its tree (the same folder generator.cachedir computes);
- the caches (charts, compiled templates) live there too: a poisoned ``<project>/.cache/`` is
  never read, by the check or the build;
- the output folder: a link, a file, or a folder no build made is refused where site/ goes, with
  nothing touched; leftover temporary folders are cleaned up once their process is gone;
- concurrency: simultaneous builds of one project take turns on a lock and all succeed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from support import REPO, make_project
from generator import cachedir
from generator.cachedir import WAITING, build_lock, project_cache
from generator.mkdocs_glue import build_site
from generator.render import sandbox
from generator.sitedir import SITE_MARKER
from support import tree_digest

MARKER = "FL-POISON"


# ---------------------------------------------------------------------------------------------
# ./ledger: the virtual environment, the Node tools, and what a repository may track

TOOLING = ("ledger", "requirements.lock", "pyproject.toml", "package.json", "package-lock.json")


def _ledger_project(root: Path) -> Path:
    """A folder with ./ledger and what it reads before running anything."""
    root.mkdir(parents=True, exist_ok=True)
    for name in TOOLING:
        shutil.copy2(REPO / name, root / name)
    return root


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    return subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.com",
                           "-c", "commit.gpgsign=false", *args], cwd=root, env=env, check=True,
                          capture_output=True, text=True).stdout


def _stamp(root: Path) -> str:
    """The stamp ./ledger writes into a virtual environment made from this lock."""
    lock = (root / "requirements.lock").read_bytes() + (root / "pyproject.toml").read_bytes()
    return hashlib.sha256(lock).hexdigest()[:16] + "\n"


def _stub_venv(venv: Path, log: Path, stamp: str) -> Path:
    """A virtual environment whose python only records that it ran."""
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\necho "$0 $*" >> "{log}"\n')
    python.chmod(0o755)
    (venv / ".ledger-lock").write_text(stamp)
    return python


def _ledger(root: Path, *args: str, cwd: Path | None = None, **env: str
            ) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items()
            if k not in ("LEDGER_VENV", "LEDGER_NODE_MODULES", "XDG_CACHE_HOME")}
    return subprocess.run(["bash", str(root / "ledger"), *args], cwd=cwd or root,
                          env={**base, "GIT_CEILING_DIRECTORIES": str(root.parent), **env},
                          capture_output=True, text=True, timeout=60)


REFUSED = ("ledger: the repository tracks {first}: .venv/, .cache/, node_modules/ and site/ are "
           "made by ./ledger and never taken from a repository; nothing was run: remove them "
           "from git (git rm -r --cached PATH) and commit\n")


def _committed_venv(root: Path, log: Path) -> None:
    _stub_venv(root / ".venv", log, _stamp(root))


def _committed_cache(root: Path, log: Path) -> None:
    (root / ".cache" / "charts").mkdir(parents=True)
    (root / ".cache" / "charts" / "k.inline.svg").write_text(f"<svg>{MARKER}</svg>")


def _committed_node(root: Path, log: Path) -> None:
    (root / "node_modules" / ".bin").mkdir(parents=True)
    tool = root / "node_modules" / ".bin" / "lighthouse"
    tool.write_text(f'#!/bin/sh\necho lighthouse >> "{log}"\n')
    tool.chmod(0o755)


def _committed_site_link(root: Path, log: Path) -> None:
    (root / "site").symlink_to(root.parent / "elsewhere")


def _committed_site(root: Path, log: Path) -> None:
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("<p>committed</p>")
    (root / "site" / SITE_MARKER).write_text("forged\n")


@pytest.mark.parametrize("commit, first", [
    (_committed_venv, ".venv/.ledger-lock and 1 more"),
    (_committed_cache, ".cache/charts/k.inline.svg"),
    (_committed_node, "node_modules/.bin/lighthouse"),
    (_committed_site_link, "site"),
    (_committed_site, "site/.frontier-ledger-site and 1 more"),
], ids=["venv with a matching stamp", "poisoned cache", "node tools", "site link", "site"])
@pytest.mark.parametrize("command", ["check", "build", "test", "where"])
def test_a_checkout_that_tracks_tooling_is_refused_before_anything_runs(
        tmp_path: Path, commit, first: str, command: str):
    root = _ledger_project(tmp_path / "proj")
    log = tmp_path / "ran.log"
    commit(root, log)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "a pull request")
    home = tmp_path / "cache-home"
    run = _ledger(root, command, LEDGER_CACHE_HOME=str(home))
    assert (run.returncode, run.stdout, run.stderr) == (2, "", REFUSED.format(first=first))
    assert not log.exists()  # the committed python (or Lighthouse) never ran
    assert not home.exists()  # nothing was set up either


def test_the_committed_venv_is_not_run_even_when_git_is_not_there_to_refuse_it(tmp_path: Path):
    """A copy that is not a git checkout (an unpacked archive of a pull request): its .venv/,
    stamp and all, is simply not where ./ledger looks; the project's own environment runs."""
    root = _ledger_project(tmp_path / "proj")
    committed, own = tmp_path / "committed.log", tmp_path / "own.log"
    _stub_venv(root / ".venv", committed, _stamp(root))
    venv = tmp_path / "own-venv"
    python = _stub_venv(venv, own, _stamp(root))
    run = _ledger(root, "check", "--lenient", LEDGER_CACHE_HOME=str(tmp_path / "home"),
                  LEDGER_VENV=str(venv))
    assert run.returncode == 0, run.stderr
    assert not committed.exists()
    assert own.read_text() == f"{python} -m generator check --lenient\n"


def test_the_default_venv_is_in_the_project_s_cache_folder(tmp_path: Path):
    root = _ledger_project(tmp_path / "proj")
    home = tmp_path / "home"
    key = cachedir.project_key(root)
    log = tmp_path / "own.log"
    python = _stub_venv(home / key / "venv", log, _stamp(root))
    run = _ledger(root, "check", LEDGER_CACHE_HOME=str(home))
    assert run.returncode == 0, run.stderr
    assert log.read_text() == f"{python} -m generator check\n"


@pytest.mark.parametrize("env, home", [
    ({"LEDGER_CACHE_HOME": "{tmp}/chosen"}, "{tmp}/chosen"),
    ({"LEDGER_CACHE_HOME": "chosen"}, "{cwd}/chosen"),
    ({"XDG_CACHE_HOME": "{tmp}/xdg", "HOME": "{tmp}/h"}, "{tmp}/xdg/frontier-ledger"),
    ({"XDG_CACHE_HOME": "relative", "HOME": "{tmp}/h"}, "{tmp}/h/.cache/frontier-ledger"),
    ({"HOME": "{tmp}/h"}, "{tmp}/h/.cache/frontier-ledger"),
], ids=["LEDGER_CACHE_HOME", "relative LEDGER_CACHE_HOME", "XDG_CACHE_HOME",
        "relative XDG_CACHE_HOME is ignored", "HOME"])
def test_ledger_and_the_generator_agree_on_the_project_s_cache_folder(
        tmp_path: Path, monkeypatch, env: dict[str, str], home: str):
    root = _ledger_project(tmp_path / "proj")
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    env = {k: v.format(tmp=tmp_path) for k, v in env.items()}
    base = {k: v for k, v in os.environ.items() if k != "LEDGER_CACHE_HOME"}
    run = subprocess.run(["bash", str(root / "ledger"), "where"], cwd=cwd, capture_output=True,
                         text=True, timeout=60, env={**base, "XDG_CACHE_HOME": "", **env})
    assert run.returncode == 0, run.stderr
    folder = Path(home.format(tmp=tmp_path, cwd=cwd)) / cachedir.project_key(root)
    assert run.stdout == (f"project      {root}\nvenv         {folder}/venv\n"
                          f"node tools   {folder}/node/node_modules\ncaches       {folder}\n")
    assert len(folder.name) == 16 and int(folder.name, 16) >= 0
    assert (folder / "project").read_text() == f"{root}\n"
    # the generator, in the environment ./ledger passes on (LEDGER_CACHE_HOME, absolute)
    monkeypatch.setenv("LEDGER_CACHE_HOME", str(folder.parent))
    monkeypatch.delenv("LEDGER_NODE_MODULES")
    assert project_cache(root) == folder
    assert cachedir.node_modules(root) == folder / "node" / "node_modules"


@pytest.mark.parametrize("variable, value", [
    ("LEDGER_VENV", ".venv"), ("LEDGER_VENV", "{root}/tools/venv"),
    ("LEDGER_CACHE_HOME", "{root}/.cache"),
])
def test_the_environment_and_caches_are_never_put_inside_the_project(
        tmp_path: Path, variable: str, value: str):
    root = _ledger_project(tmp_path / "proj")
    value = value.format(root=root)
    run = _ledger(root, "check", **{"LEDGER_CACHE_HOME": str(tmp_path / "home"), variable: value})
    where = value if value.startswith("/") else f"{root}/{value}"
    assert (run.returncode, run.stderr) == (
        2, f"ledger: {variable} ({where}) lies inside the project, where a pull request can "
           "write; choose a folder outside it\n")


def test_the_tests_use_the_node_tools_outside_the_project():
    tools = Path(os.environ["LEDGER_NODE_MODULES"])
    assert tools.is_absolute() and REPO not in tools.parents and tools != REPO / "node_modules"


def test_lighthouse_is_never_taken_from_the_project_s_node_modules(project: Path, tmp_path,
                                                                    monkeypatch):
    from tools.budget import lighthouse_executable

    _committed_node(project, tmp_path / "ran.log")
    monkeypatch.setenv("LEDGER_NODE_MODULES", str(tmp_path / "none"))
    assert lighthouse_executable(project) is None
    installed = tmp_path / "tools" / "node_modules"
    (installed / ".bin").mkdir(parents=True)
    (installed / ".bin" / "lighthouse").write_text("#!/bin/sh\n")
    monkeypatch.setenv("LEDGER_NODE_MODULES", str(installed))
    assert lighthouse_executable(project) == installed / ".bin" / "lighthouse"


# ---------------------------------------------------------------------------------------------
# Caches: never read from the project


class _Boom:
    """Unpickled, it makes a folder: the proof that a poisoned bytecode file ran."""

    def __init__(self, path: Path):
        self.path = str(path)

    def __reduce__(self):
        return (os.mkdir, (self.path,))


def _poison(cache: Path, project: Path, ran: Path) -> int:
    """Copy this project's real cache folder into <project>/.cache/ with every chart SVG
    carrying MARKER, every kept download saying FL-POIS for Acme AI, and every compiled template
    replaced by a pickle that makes ``ran``."""
    poisoned = project / ".cache"
    shutil.copytree(cache, poisoned)
    shutil.copytree(os.environ["FL_CHART_CACHE"], poisoned / "charts", dirs_exist_ok=True)
    n = 0
    payload = jinja2.bccache.bc_magic + pickle.dumps(_Boom(ran), protocol=2)
    for p in poisoned.rglob("*"):
        if p.suffix == ".svg":
            p.write_text(p.read_text().replace("</svg>", f"<text>{MARKER}</text></svg>"))
            n += 1
        elif p.suffix == ".cache":
            p.write_bytes(payload)
            n += 1
        elif p.suffix == ".bin":  # a kept download (generator.downloadcache): same length
            p.write_bytes(p.read_bytes().replace(b"Acme AI", b"FL-POIS"))
            n += 1
    return n


def test_a_poisoned_cache_in_the_project_is_never_read(project: Path, tmp_path, monkeypatch,
                                                       capsys):
    """A pull request commits .cache/ with chart SVGs that carry a script (placed into pages as
    the generator's own, past the sanitiser, when read from there) and compiled templates that
    run code when loaded. The build and the check read neither."""
    assert build_site(project, Path("site")) == 0
    before = tree_digest(project / "site")
    ran = tmp_path / "poison-ran"
    assert _poison(project_cache(project), project, ran) > 10
    # the project's real caches are gone: a cold build, which would fill itself from the
    # project's .cache/ if it were ever read
    shutil.rmtree(project_cache(project))
    monkeypatch.setenv("FL_CHART_CACHE", str(tmp_path / "empty-chart-cache"))
    capsys.readouterr()
    assert build_site(project, Path("site")) == 0
    assert tree_digest(project / "site") == before
    from generator.cli import main

    assert main(["--root", str(project), "check"]) == 0
    assert not ran.exists()
    # the poison works where it is read: a bytecode file of it runs when loaded, and the charts
    # are the ones the build uses (pointing the chart cache at the poisoned folder shows them)
    bucket = jinja2.bccache.Bucket(jinja2.Environment(), "k", "checksum")
    some = next((project / ".cache" / "jinja-pages").glob("*.cache"))
    with open(some, "rb") as f:
        bucket.load_bytecode(f)
    assert ran.is_dir()
    monkeypatch.setenv("FL_CHART_CACHE", str(project / ".cache" / "charts"))
    assert build_site(project, Path("site-from-poison")) == 0
    assert MARKER in (project / "site-from-poison/companies/acme-ai/index.html").read_text()


def test_the_project_s_cache_folder_is_the_user_s_alone(project: Path):
    assert build_site(project, Path("site")) == 0
    folder = project_cache(project)
    assert folder.stat().st_mode & 0o777 == 0o700
    names = sorted(p.name for p in folder.iterdir())
    # the articles' compiled code, in a folder named by the limits and the generator's code
    assert re.fullmatch(r"jinja-budgeted-[0-9a-f]{16}", names[3])
    assert names[:3] + names[4:] == ["build.lock", "check", "downloads", "jinja-pages",
                                     "jinja-theme", "pages", "records", "render"]
    assert (folder / "check").stat().st_mode & 0o777 == 0o700
    assert not (project / ".cache").exists()


def test_articles_are_compiled_again_only_when_their_text_or_limits_change(project, monkeypatch):
    """Articles and hand-written pages are compiled with the budgets' checks written into their
    code: a compiled article is reused for the same text under the same limits only."""
    from generator.limits import Limits
    from generator.load import load
    from generator.problems import Problems
    from generator.render import render
    from generator.render.sandbox import PageSandbox
    from generator.settings import Settings

    compiled: list[str] = []
    plain = PageSandbox.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        if self.limits is not None and name is not None:
            compiled.append(name)
        return plain(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(PageSandbox, "compile", counting)

    def rendered(limits: Limits) -> list[str]:
        compiled.clear()
        problems = Problems()
        render(load(project, problems), Settings.for_project(project, check=True, limits=limits),
               problems)
        return [p.format() for p in problems.sorted()]

    pages = ["site_src/about.md", "site_src/articles/first.md", "site_src/index.md",
             "site_src/methodology.md"]
    assert rendered(Limits()) == [] and sorted(compiled) == pages
    assert rendered(Limits()) == [] and compiled == []  # the same texts, the same limits
    article = project / "site_src" / "articles" / "first.md"
    article.write_text(article.read_text() + "\n{% macro f(n) %}{{ f(n) }}{% endmacro %}\n")
    assert rendered(Limits()) == [] and compiled == ["site_src/articles/first.md"]
    # the same text under a smaller nesting limit: compiled (and checked) again, and refused
    article.write_text(article.read_text() + "{% if 1 %}{% if 1 %}{% if 1 %}x{% endif %}"
                       "{% endif %}{% endif %}\n")
    assert rendered(Limits()) == [] and compiled == ["site_src/articles/first.md"]
    small = Limits(blocks=2)
    assert rendered(small) == ["site_src/articles/first.md:13: template code nested more than 2 "
                               "blocks deep ({% for %}, {% if %}, {% macro %} …)"]
    assert sorted(compiled) == pages
    # the refused article was not stored: it is compiled (and refused) again; the others are not
    assert rendered(small)[0].startswith("site_src/articles/first.md:13:")
    assert compiled == ["site_src/articles/first.md"]


def _bucket(env: jinja2.Environment, source: str) -> tuple[jinja2.bccache.Bucket, str]:
    code = env.compile(source, "t", "t")
    bucket = jinja2.bccache.Bucket(env, "key", "checksum")
    bucket.code = code
    return bucket, "__jinja2_key.cache"


def test_bytecode_is_written_whole_or_not_at_all(tmp_path: Path, monkeypatch):
    env = jinja2.Environment()
    cache = sandbox.BytecodeCache(str(tmp_path))
    bucket, name = _bucket(env, "one {{ x }}")
    cache.dump_bytecode(bucket)
    whole = (tmp_path / name).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]

    def half(self, f):  # a writer that dies half-way (disk full, killed)
        f.write(b"\x00" * 3)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(jinja2.bccache.Bucket, "write_bytecode", half)
    cache.dump_bytecode(_bucket(env, "two {{ x }}")[0])  # no exception: best effort
    assert (tmp_path / name).read_bytes() == whole  # the old file, never half a new one
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary file left


def test_a_damaged_or_unwritable_bytecode_cache_is_a_miss(tmp_path: Path):
    env = jinja2.Environment()
    (tmp_path / "__jinja2_key.cache").write_bytes(jinja2.bccache.bc_magic + b"\x80")  # cut off
    cache = sandbox.BytecodeCache(str(tmp_path))
    bucket = jinja2.bccache.Bucket(env, "key", "checksum")
    cache.load_bytecode(bucket)
    assert bucket.code is None
    gone = sandbox.BytecodeCache(str(tmp_path / "missing"))
    gone.dump_bytecode(_bucket(env, "x")[0])  # no exception
    assert not (tmp_path / "missing").exists()


# ---------------------------------------------------------------------------------------------
# The output folder


def _link_outside(project: Path) -> Path:
    outside = project.parent / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me\n")
    (project / "site").symlink_to(outside)
    return outside


def _dangling(project: Path) -> Path:
    (project / "site").symlink_to(project.parent / "nowhere")
    return project.parent


def _file(project: Path) -> Path:
    (project / "site").write_text("a file\n")
    return project.parent


def _foreign(project: Path) -> Path:
    (project / "site").mkdir()
    (project / "site" / "notes.txt").write_text("mine\n")
    return project.parent


def _marker_link(project: Path) -> Path:
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("mine\n")
    (project.parent / "m").write_text("x\n")
    (project / "site" / SITE_MARKER).symlink_to(project.parent / "m")
    return project.parent


def _linked_parent(project: Path) -> Path:
    outside = project.parent / "outside"
    (outside / "site").mkdir(parents=True)
    (outside / "site" / "precious.txt").write_text("keep me\n")
    (outside / "site" / SITE_MARKER).write_text("a site built elsewhere\n")
    (project / "out").symlink_to(outside)
    return outside


def _file_parent(project: Path) -> Path:
    (project / "out").write_text("a file\n")
    return project.parent


def _outside_folder(project: Path) -> Path:
    outside = project.parent / "outside"
    outside.mkdir()
    return outside


LINK = "is a symbolic link, which a build never follows"
FOREIGN = "is a folder that no build made (no .frontier-ledger-site in it), and a build never " \
    "replaces it; move it away, or choose another --site-dir"
REFUSALS = [
    ("site is a link to a folder outside", _link_outside, "site",
     f"site: {LINK} or replaces; remove the link, or choose another --site-dir"),
    ("site is a dangling link", _dangling, "site",
     f"site: {LINK} or replaces; remove the link, or choose another --site-dir"),
    ("site is a file", _file, "site", "site: is not a folder, and a build replaces only a site "
     "it built; move it away, or choose another --site-dir"),
    ("site is someone's folder", _foreign, "site", f"site: {FOREIGN}"),
    ("the marker is a link", _marker_link, "site", f"site: {FOREIGN}"),
    ("a folder on the way is a link", _linked_parent, "out/site",
     f"out: {LINK}; remove the link, or choose another --site-dir"),
    ("a folder on the way is a file", _file_parent, "out/site",
     "out: is not a folder; move it away, or choose another --site-dir"),
    ("the project itself", _file_parent, ".",
     ".: is the project itself, or holds it; choose another --site-dir"),
    ("the data", _file_parent, "data", f"data: {FOREIGN}"),
    ("an existing folder outside", _outside_folder, "{outside}", f"{{outside}}: {FOREIGN}"),
]


@pytest.mark.parametrize("make, site_dir, message", [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])
def test_the_build_never_replaces_what_it_did_not_make(project: Path, capsys, make, site_dir,
                                                        message):
    outside = make(project)
    site_dir = site_dir.format(outside=outside)
    everything = {p: (p.is_symlink(), p.read_bytes() if p.is_file() and not p.is_symlink()
                      else None) for p in sorted(project.parent.rglob("*"))}
    capsys.readouterr()
    assert build_site(project, Path(site_dir)) == 1
    assert capsys.readouterr().err == message.format(outside=outside) + "\n"
    after = {p: (p.is_symlink(), p.read_bytes() if p.is_file() and not p.is_symlink() else None)
             for p in sorted(project.parent.rglob("*"))}
    assert after == everything  # nothing touched, inside the project or out


def test_the_build_replaces_only_a_site_it_built(project: Path, tmp_path: Path):
    (project / "site").mkdir()  # an empty folder inside the project is taken
    assert build_site(project, Path("site")) == 0
    marker = project / "site" / SITE_MARKER
    assert marker.read_text() == ("Built by Frontier Ledger (./ledger build). A build replaces "
                                  "a folder only when this file is in it.\n")
    assert build_site(project, Path("site")) == 0  # a site it built is replaced
    outside = tmp_path / "published" / "site"
    assert build_site(project, outside) == 0  # a new folder outside the project
    (outside / "extra.txt").write_text("left by hand\n")
    assert build_site(project, outside) == 0  # replaced: it carries the marker
    assert not (outside / "extra.txt").exists()
    assert build_site(project, Path("sub/../site")) == 0
    assert sorted(p.name for p in project.iterdir() if "site" in p.name) == ["site", "site_src"]


def test_a_failed_build_leaves_no_temporary_folder(project: Path, capsys):
    assert build_site(project, Path("site")) == 0
    before = tree_digest(project / "site")
    f = project / "data/companies/acme-ai.yaml"
    f.write_text(f.read_text().replace("kind: ai-lab", "kind: nonsense"))
    assert build_site(project, Path("site")) == 1
    assert "build stopped; site/ was left as it was" in capsys.readouterr().err
    assert tree_digest(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site.")] == []


def _dead_pid() -> int:
    return int(Path("/proc/sys/kernel/pid_max").read_text()) + 1


def test_leftover_temporary_folders_are_removed_once_their_process_is_gone(project: Path):
    dead, alive = _dead_pid(), os.getppid()
    outside = project.parent / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me\n")
    names = {
        f".site.building-{dead}-abc123": "removed", f".site.old-{dead}-x_9": "removed",
        f".site.building-{dead}": "removed",  # as builds named them before
        f".site.building-{alive}-abc": "kept: its build may still run",
        f".other.building-{dead}-abc": "kept: not of this site",
    }
    for name in names:
        (project / name / "assets").mkdir(parents=True)
        (project / name / "index.html").write_text("half a site\n")
    (project / f".site.old-{dead}-link").symlink_to(outside)  # kept, and never followed
    assert build_site(project, Path("site")) == 0
    left = sorted(p.name for p in project.iterdir() if p.name.startswith(".s") or
                  p.name.startswith(".o"))
    assert left == sorted([n for n, fate in names.items() if fate.startswith("kept")] +
                          [f".site.old-{dead}-link"])
    assert (outside / "precious.txt").read_text() == "keep me\n"


def test_outside_the_project_only_marked_leftovers_are_removed(project: Path, tmp_path: Path):
    dead = _dead_pid()
    out = tmp_path / "published"
    out.mkdir()
    unmarked, marked = out / f".site.building-{dead}-a", out / f".site.old-{dead}-b"
    for folder in (unmarked, marked):
        folder.mkdir()
        (folder / "x.txt").write_text("x\n")
    (marked / SITE_MARKER).write_text("a replaced site\n")
    assert build_site(project, out / "site") == 0
    assert sorted(p.name for p in out.iterdir()) == [unmarked.name, "site"]


@pytest.mark.parametrize("path, ignored", [
    (".site.building-123-abc/index.html", True), (".site.old-7/index.html", True),
    ("docs/.site.building-1/x", True), ("site/index.html", True), (".venv/bin/python", True),
    (".cache/charts/x.svg", True), ("node_modules/x/y.js", True),
    ("data/companies/a.yaml", False), ("site_src/index.md", False),
])
def test_git_ignores_what_builds_and_ledger_make(tmp_path: Path, path: str, ignored: bool):
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy2(REPO / ".gitignore", root / ".gitignore")
    _git(root, "init", "-q")
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text("x\n")
    assert (_git(root, "status", "--porcelain", "--untracked-files=all", "--", path) == "") \
        == ignored


# ---------------------------------------------------------------------------------------------
# Concurrency


def _start_build(project: Path, site_dir: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(project), "build", "--site-dir",
         site_dir], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1780000000", **env})


def _cold(tmp_path: Path) -> dict[str, str]:
    """Nothing cached: a new cache home, and the charts in the project's own cache folder."""
    return {"LEDGER_CACHE_HOME": str(tmp_path / "cold-home"), "FL_CHART_CACHE": ""}


def test_three_cold_builds_at_once_all_succeed_with_the_same_site(project: Path, tmp_path):
    builds = [_start_build(project, f"site-{i}", **_cold(tmp_path)) for i in range(3)]
    results = [(b.wait(timeout=600), *b.communicate()) for b in builds]
    for code, out, err in results:
        assert code == 0, err
        assert out.startswith("built 13 pages into "), out
        assert set(err.splitlines()) <= {WAITING}, err
    sites = [tree_digest(project / f"site-{i}") for i in range(3)]
    assert sites[0] == sites[1] == sites[2]
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_three_builds_into_one_site_at_once_all_succeed(project: Path, tmp_path):
    builds = [_start_build(project, "site", **_cold(tmp_path)) for _ in range(3)]
    for b in builds:
        out, err = b.communicate(timeout=600)
        assert b.returncode == 0, err
    assert (project / "site" / SITE_MARKER).is_file()
    assert (project / "site" / "companies/acme-ai/index.html").is_file()
    assert sorted(p.name for p in project.iterdir() if "site" in p.name) == ["site", "site_src"]


def test_a_build_waits_for_another_build_of_the_same_project_and_says_so(project: Path):
    with build_lock(project):
        build = _start_build(project, "site")
        first = build.stderr.readline()  # blocks until the build says something
        assert first == WAITING + "\n"
        assert not (project / "site").exists()  # it waits: nothing built yet
    out, err = build.communicate(timeout=600)
    assert build.returncode == 0, err
    assert out.startswith("built 13 pages into ")


def test_builds_of_projects_sharing_one_chart_cache_at_once_all_succeed(tmp_path: Path):
    projects = [make_project(tmp_path / f"p{i}") for i in range(3)]
    env = {"LEDGER_CACHE_HOME": str(tmp_path / "home"), "FL_CHART_CACHE": str(tmp_path / "shared")}
    builds = [_start_build(p, "site", **env) for p in projects]
    for b in builds:
        out, err = b.communicate(timeout=600)
        assert b.returncode == 0, err
        assert WAITING not in err  # different projects: no lock between them
    assert not list((tmp_path / "shared").glob("*.spec.json"))


def test_every_cache_writes_a_file_whole_or_not_at_all(tmp_path: Path):
    """cachedir.write_atomically, which every cache uses: the file appears whole with the mode
    asked for, in a folder private to the user; when it cannot be written the answer is False,
    the old file stays and no temporary file is left behind."""
    target = tmp_path / "new" / "entry.bin"
    assert cachedir.write_atomically(target, b"first") is True
    assert target.read_bytes() == b"first"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert oct(target.parent.stat().st_mode & 0o777) == "0o700"
    assert cachedir.write_atomically(target, b"second", mode=0o444) is True
    assert (target.read_bytes(), oct(target.stat().st_mode & 0o777)) == (b"second", "0o444")
    (tmp_path / "blocked").write_text("a file where a folder would go")
    assert cachedir.write_atomically(tmp_path / "blocked" / "entry.bin", b"x") is False
    assert cachedir.write_atomically(tmp_path / "gone" / "entry.bin", b"x",
                                     make_folder=False) is False
    assert not (tmp_path / "gone").exists()
    (target.parent / "taken").mkdir()  # renaming over a folder fails, even for root
    (target.parent / "taken" / "inside").write_text("kept")
    assert cachedir.write_atomically(target.parent / "taken", b"third") is False
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["entry.bin", "taken"]
