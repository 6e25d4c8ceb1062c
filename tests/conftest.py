"""Shared fixtures: scratch projects in tmp_path, the golden-file update flag, the browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files under tests/golden/ from the current output")


@pytest.fixture
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden") or os.environ.get("UPDATE_GOLDEN"))


def make_project(dest: Path, source: Path = MINI) -> Path:
    """A complete scratch project: fixture data and pages, the repo's templates, config and assets."""
    shutil.copytree(source / "data", dest / "data")
    shutil.copytree(source / "site_src", dest / "site_src")
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copytree(REPO / "site_src" / "assets", dest / "site_src" / "assets")
    for extra in ("overrides",):
        if (REPO / extra).is_dir():
            shutil.copytree(REPO / extra, dest / extra)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A valid scratch copy of tests/fixtures/mini that a test may break."""
    return make_project(tmp_path / "project")
