"""The fixtures: a fresh scratch project, the check run on it, golden files, caches of the test
run's own, the shipped site served as GitHub Pages serves it, and Chromium. (Helpers the test
modules share are in support.py.)"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# tools/ is not installed with the package: the tests take it (and support.py) from the project
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from support import REPO, make_project, require_chromium, run_cli  # noqa: E402


@pytest.fixture
def project(tmp_path):
    """A fresh, valid scratch project (the check passes on it)."""
    return make_project(tmp_path / "proj")


@pytest.fixture
def check(capsys: pytest.CaptureFixture[str]):
    """check(root, *extra_args) → Run of ``check`` on root."""

    def _check(root, *extra: str):
        return run_cli(capsys, root, "check", *extra)

    return _check


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the current output instead of comparing")


@pytest.hookimpl(trylast=True)  # after the tmp_path plugin has made its folder
def pytest_configure(config: pytest.Config) -> None:
    # Hypothesis keeps its example database and caches in the working folder (.hypothesis/)
    # unless told otherwise: the test run's own temporary folder instead, never the project's tree.
    from hypothesis import settings
    from hypothesis.configuration import set_hypothesis_home_dir
    from hypothesis.database import DirectoryBasedExampleDatabase

    folder = config._tmp_path_factory.getbasetemp() / "hypothesis"  # type: ignore[attr-defined]
    set_hypothesis_home_dir(folder)
    settings.register_profile("ledger", database=DirectoryBasedExampleDatabase(str(folder)))
    settings.load_profile("ledger")


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


@pytest.fixture(autouse=True)
def _collector_sees_everything():
    """A command run in-process (the CLI's build, check and serve) moves what it made out of
    the cyclic collector's sight, as its own process may (generator.collector); the tests run
    hundreds of commands in one process, so each test ends with everything back in sight."""
    import gc

    yield
    gc.unfreeze()


@pytest.fixture(scope="session")
def served_site():
    """The shipped site, built for and served from http://127.0.0.1:PORT/frontier-ledger/ as
    GitHub Pages serves it (gzip, its own 404 page); built once for every browser test module."""
    from tools.budget import served_build

    with served_build(REPO) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Playwright driving Debian's executable), one per test module."""
    require_chromium()
    from tools.budget import chromium

    with chromium() as b:
        yield b
