"""Two engines: MkDocs and ProperDocs build the same pages (the generator meta aside); ProperDocs
builds and serves in an environment without the mkdocs package, and never imports it; and
``mkdocs serve`` run directly reloads under the pages' Content-Security-Policy."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generator import engine
from generator.engine_run import build_site
from support import REPO, make_project

pytestmark = pytest.mark.build

# What differs between the engines' pages, and nothing else: Material names the engine's version.
GENERATOR_META = re.compile(r'<meta name="generator" content="[^"]*">')


def normalised(html: str) -> str:
    return GENERATOR_META.sub('<meta name="generator" content="">', html)


def run_generator(python: str, *args: str, cwd: Path = REPO,
                  timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([python, "-m", "generator", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def test_properdocs_builds_the_pages_mkdocs_builds(tmp_path: Path, monkeypatch):
    """The shipped site with both engines: every file the same, each page byte for byte but for
    Material's generator meta."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert build_site(REPO, tmp_path / "mkdocs") == 0
    run = run_generator(sys.executable, "build", "--engine", "properdocs", "--site-dir",
                        str(tmp_path / "properdocs"))
    assert run.returncode == 0, run.stderr
    ours = {p.relative_to(tmp_path / "mkdocs").as_posix()
            for p in (tmp_path / "mkdocs").rglob("*") if p.is_file()}
    theirs = {p.relative_to(tmp_path / "properdocs").as_posix()
              for p in (tmp_path / "properdocs").rglob("*") if p.is_file()}
    assert ours == theirs
    differ = []
    for rel in sorted(ours):
        a = (tmp_path / "mkdocs" / rel).read_bytes()
        b = (tmp_path / "properdocs" / rel).read_bytes()
        if rel.endswith(".html"):
            a, b = normalised(a.decode()).encode(), normalised(b.decode()).encode()
            assert engine.is_finished(b.decode()), rel
        if a != b:
            differ.append(rel)
    assert differ == []
    page = (tmp_path / "properdocs/index.html").read_text(encoding="utf-8")
    assert GENERATOR_META.search(page).group(0) == (
        '<meta name="generator" content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.1">')


# ---------------------------------------------------------------------------------------------
# an environment without mkdocs


@pytest.fixture(scope="module")
def without_mkdocs(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A virtual environment holding everything of the project's but the mkdocs package: made
    with the interpreter's venv module (no download), its site-packages linking each entry of
    this environment's, mkdocs and its metadata left out, so that `import mkdocs` can only be
    answered by ProperDocs. Returns its python."""
    import sysconfig

    env = tmp_path_factory.mktemp("no-mkdocs") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True,
                   timeout=120)
    ours = Path(sysconfig.get_paths()["purelib"])
    theirs = next((env / "lib").glob("python3.*/site-packages"))
    for entry in ours.iterdir():
        if entry.name == "mkdocs" or re.fullmatch(r"mkdocs-[0-9.]+\.dist-info", entry.name):
            continue
        (theirs / entry.name).symlink_to(entry)
    python = str(env / "bin" / "python")
    probe = subprocess.run([python, "-c", "import importlib.util as u, importlib.metadata as m\n"
                            "print(u.find_spec('mkdocs'), u.find_spec('properdocs') is not None)"
                            ], capture_output=True, text=True, timeout=60)
    assert probe.stdout.split() == ["None", "True"], probe.stderr
    return python


# Run in that environment: a build with ProperDocs, then what was imported under the name
# mkdocs (only ProperDocs's modules, which answer Material's `import mkdocs.…`).
_BUILD_AND_REPORT = """
import json, sys
from generator.cli import main
code = main(["--root", sys.argv[1], "build", "--engine", "properdocs", "--site-dir", sys.argv[2]])
files = sorted({getattr(m, "__file__", None) or "" for name, m in sys.modules.items()
                if name == "mkdocs" or name.startswith("mkdocs.")})
print(json.dumps([code, files]))
"""


def test_properdocs_builds_without_mkdocs_and_never_imports_it(without_mkdocs: str,
                                                                tmp_path: Path):
    import json

    project = make_project(tmp_path / "proj")
    run = subprocess.run([without_mkdocs, "-c", _BUILD_AND_REPORT, str(project),
                          str(tmp_path / "site")], capture_output=True, text=True, timeout=600,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    code, files = json.loads(run.stdout.splitlines()[-1])
    assert code == 0, run.stderr
    assert files and all("/properdocs/" in f for f in files), files
    page = (tmp_path / "site/companies/acme-ai/index.html").read_text(encoding="utf-8")
    assert engine.is_finished(page)
    assert "mkdocs-ProperDocs 1.6.7" in page  # as Material names the engine


def test_mkdocs_is_not_an_engine_there(without_mkdocs: str, tmp_path: Path):
    project = make_project(tmp_path / "proj")
    run = run_generator(without_mkdocs, "--root", str(project), "build", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (1, (
        "--engine mkdocs: mkdocs is not installed (it is in requirements.lock: ./ledger sets it "
        "up), or build with --engine properdocs\n"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, limit: float = 120.0) -> tuple[int, str]:
    """GET ``url``, waiting (up to ``limit`` seconds) for the server to answer."""
    deadline = time.monotonic() + limit
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return r.status, r.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def served(command: list[str], cwd: Path, port: int) -> dict[str, str]:
    """Start a serve command, read its home page and its live-reload script, stop it."""
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        _, home = fetch(f"http://127.0.0.1:{port}/")
        _, script = fetch(f"http://127.0.0.1:{port}/.fl-livereload.js")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return {"home": home, "script": script}


def assert_reloads_under_the_policy(got: dict[str, str]) -> None:
    home = got["home"]
    assert engine.is_finished(home)
    tags = re.findall(r"<script\b[^>]*>", home)
    assert re.search(r'<script src="/\.fl-livereload\.js" data-epoch="\d+" '
                     r'data-request-id="\d+"></script></body>', home)
    assert "livereload(" not in home  # nothing of it inline, where the policy would block it
    assert len(tags) >= 2
    assert "var livereload = function(epoch, requestId)" in got["script"]


def test_mkdocs_serve_run_directly_reloads_under_the_policy(project: Path):
    """`mkdocs serve` itself (the plugin runs in it): the live-reload script arrives as a file of
    the site, which the pages' policy allows."""
    port = free_port()
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    assert_reloads_under_the_policy(served([mkdocs, "serve", "-a", f"127.0.0.1:{port}"],
                                           project, port))


def test_ledger_serve_with_properdocs_without_mkdocs(without_mkdocs: str, project: Path):
    port = free_port()
    assert_reloads_under_the_policy(served(
        [without_mkdocs, "-m", "generator", "--root", str(project), "serve", "--engine",
         "properdocs", "--addr", f"127.0.0.1:{port}"], project, port))


def test_the_theme_s_files_are_listed_without_walking_hidden_folders(project: Path):
    """The plugin lists the theme's folders without descending into hidden ones (Material's
    14,000 icons): the engine takes the same theme files as from jinja2's whole listing, with
    hidden folders and files in the project's overrides too."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    overrides = project / "overrides"
    (overrides / ".hidden/deeper").mkdir(parents=True)
    (overrides / ".hidden/deeper/x.css").write_text("a{}", encoding="utf-8")
    (overrides / "assets/.cache").mkdir(parents=True)
    (overrides / "assets/.cache/y.js").write_text("", encoding="utf-8")
    (overrides / "assets/.dotfile.css").write_text("", encoding="utf-8")
    (overrides / "assets/shown.css").write_text("b{}", encoding="utf-8")

    def theme_files(cfg) -> list[tuple[str, str]]:
        files = Files([])
        env = cfg.theme.get_env()
        files.add_files_from_theme(env, cfg)
        return [(f.src_uri, f.abs_src_path) for f in files]

    cfg = load_config(str(project / "mkdocs.yml"))
    cfg = cfg.plugins.on_config(cfg)  # as a build runs it first
    plain = load_config(str(project / "mkdocs.yml"))  # the engine's own listing
    ours, theirs = theme_files(cfg), theme_files(plain)
    assert "get_env" in cfg.theme.__dict__
    assert ours == theirs
    assert ("assets/shown.css", str(overrides / "assets/shown.css")) in ours
    assert "assets/images/favicon.png" in {uri for uri, _ in ours}  # Material's assets
    assert not any("/." in uri or uri.startswith(".") for uri, _ in ours)
