"""Shared helpers: a scratch project built from tests/fixtures/mini, and a way to run the CLI on it."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"


def make_project(dest: Path, source: Path = MINI) -> Path:
    """A complete scratch project: the fixture's data/ and site_src/, plus the repo's templates/,
    theme overrides, stylesheets and mkdocs.yml, so that it also builds."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "data", dest / "data")
    shutil.copytree(source / "site_src", dest / "site_src")
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copytree(REPO / "site_src" / "assets", dest / "site_src" / "assets", dirs_exist_ok=True)
    if (REPO / "overrides").is_dir():
        shutil.copytree(REPO / "overrides", dest / "overrides")
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err

    @property
    def lines(self) -> list[str]:
        """Every printed line, stdout then stderr (a failed check prints its report to stderr)."""
        return [ln for ln in self.text.splitlines() if ln.strip()]


def run_cli(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> Run:
    """``python -m generator --root ROOT ARGS`` in-process; any exception counts as a traceback."""
    from generator.cli import main

    capsys.readouterr()  # drop anything printed before
    try:
        code = main(["--root", str(root), *args])
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException as exc:  # noqa: BLE001 - the point is that this must never happen
        captured = capsys.readouterr()
        pytest.fail(f"the command raised {type(exc).__name__}: {exc}\n(a Traceback would be shown)"
                    f"\nstdout:\n{captured.out}\nstderr:\n{captured.err}")
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, valid scratch project (the check passes on it)."""
    return make_project(tmp_path / "proj")


@pytest.fixture
def check(capsys: pytest.CaptureFixture[str]):
    """check(root, *extra_args) → Run of ``check`` on root."""

    def _check(root: Path, *extra: str) -> Run:
        return run_cli(capsys, root, "check", *extra)

    return _check


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the current output instead of comparing")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden") or os.environ.get("UPDATE_GOLDEN"))


@pytest.fixture(autouse=True, scope="session")
def _shared_chart_cache(tmp_path_factory: pytest.TempPathFactory):
    """One chart render cache for the whole run (charts are cached by content hash), so scratch
    projects do not each render the same charts again; and nothing is written into them. The
    projects' cache folders (compiled templates, the build lock; generator.cachedir) live in a
    folder of the run too, not among the user's own."""
    from generator.cachedir import node_modules

    mp = pytest.MonkeyPatch()
    mp.setenv("FL_CHART_CACHE", str(tmp_path_factory.mktemp("chart-cache")))
    # the Node tools stay where ./ledger installed them, for this project
    mp.setenv("LEDGER_NODE_MODULES", str(node_modules(REPO)))
    mp.setenv("LEDGER_CACHE_HOME", str(tmp_path_factory.mktemp("cache-home")))
    yield
    mp.undo()


def require(what: str, ok: bool, hint: str) -> None:
    """A tool some tests need (Chromium, axe-core): when it is missing the test fails in CI, where
    nothing may be skipped, and is skipped elsewhere."""
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI ({hint})")
    pytest.skip(f"no {what} here: {hint}")


def require_chromium() -> str:
    """The path of Debian's Chromium (generator.budget finds it), or fail/skip as require() does."""
    from generator.budget import chromium_executable

    exe = chromium_executable()
    require("Chromium", exe is not None, "install Debian's 'chromium' or set CHROMIUM")
    return exe


@pytest.fixture(scope="session")
def served_site():
    """The shipped site, built for and served from http://127.0.0.1:PORT/frontier-ledger/ as
    GitHub Pages serves it (gzip, its own 404 page); built once for every browser test module."""
    from generator.budget import served_build

    with served_build(REPO) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Playwright driving Debian's executable), one per test module."""
    require_chromium()
    from generator.budget import chromium

    with chromium() as b:
        yield b
