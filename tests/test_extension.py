"""A kind of data file, a kind of page and a kind of chart added the documented way
(tests/fixtures/extension/kinds.py: a model and one DataKind, a template and one PageKind, a
module and one ChartKind), passed to a run in its Settings, never by changing the generator's
registries: each shows up in the check, the pages, the diff, the downloads, the JSON Schemas and
the charts, and the project without them is as it was."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.charts import CHART_KINDS, build_all
from generator.charts.cache import code_digest
from generator.datadiff import diff, format_result
from generator.downloads import dataset_files
from generator.kinds import DATA_KINDS
from generator.load import load
from generator.mkdocs_glue import build_site
from generator.problems import Problems
from generator.render.pages import PAGE_KINDS
from generator.schema import render_schemas
from generator.settings import Kinds, Settings
from support import EXTENSION, render_pages

MODULE = "fl_extension_kinds"


@pytest.fixture(scope="module")
def ext():
    """The fixture's kinds module, imported once under a name of its own."""
    spec = importlib.util.spec_from_file_location(MODULE, EXTENSION / "kinds.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[MODULE]


@pytest.fixture
def root(project: Path) -> Path:
    """The mini project with the fixture's people, their source and their template."""
    shutil.copytree(EXTENSION / "data", project / "data", dirs_exist_ok=True)
    shutil.copy2(EXTENSION / "templates/people.md.j2", project / "templates/people.md.j2")
    return project


def settings(root: Path, ext, **values) -> Settings:
    kinds = Kinds(data=DATA_KINDS + (ext.PEOPLE,), pages=PAGE_KINDS + (ext.PEOPLE_PAGE,),
                  charts=CHART_KINDS + (ext.PEOPLE_COUNT,))
    return Settings.for_project(root, kinds=kinds, **values)


def test_the_registries_are_not_changed_by_the_extension(ext):
    assert "people" not in [k.folder for k in DATA_KINDS]
    assert "people" not in [k.name for k in PAGE_KINDS]
    assert "people-count" not in [k.name for k in CHART_KINDS]


def test_without_its_kinds_the_people_folder_is_not_data(root):
    problems = Problems()
    load(root, problems)
    assert [p.format() for p in problems.sorted()] == [
        "data/people: is not where data goes; data files go in data/companies/, data/tables/, "
        "data/sources/ or data/glossary/ as NAME.yaml"]


def test_the_check_loads_validates_and_cross_checks_the_new_kind(root, ext):
    problems = Problems()
    ds = load(root, problems, kinds=settings(root, ext).kinds.data)
    assert problems.report() == "no problems found"
    assert sorted(ds.records["people"]) == ["ada", "bo"]
    assert ds.citing()["people-2024"] == [("people", "bo")]
    (root / "data/people/bo.yaml").write_text(
        "id: bo\nname: Bo Example\ncompany: acme-a\nsources: [people-2024]\nrole: cto\n")
    problems = Problems()
    load(root, problems, kinds=settings(root, ext).kinds.data)
    assert [p.format() for p in problems.sorted()] == [
        "data/people/bo.yaml:5:1: role: unknown field 'role' (known fields: id, name, company, "
        "sources)"]
    (root / "data/people/bo.yaml").write_text(
        "id: bo\nname: Bo Example\ncompany: acme-a\nsources: [people-2024]\n")
    problems = Problems()
    load(root, problems, kinds=settings(root, ext).kinds.data)
    assert [p.format() for p in problems.sorted()] == [
        "data/people/bo.yaml:3:10: company: unknown company 'acme-a': there is no file "
        "data/companies/acme-a.yaml; did you mean 'acme-ai'?"]


def test_the_new_page_kind_is_rendered_with_its_chart_and_its_people_cite_sources(root, ext):
    problems, pages = render_pages(root, settings(root, ext))
    assert problems.report() == "no problems found"  # people-2024 is cited: by a person
    people = pages["people.md"]
    assert 'page_kind: "people"' in people and 'edit_path: "data/people"' in people
    assert '<figure class="fl-chart" id="chart-people-count" markdown>' in people
    assert "<svg" in people
    assert '<div class="fl-person" id="person-bo" markdown>' in people
    assert "**Bo Example**, at [Acme AI](companies/acme-ai.md)" in people
    # the sources page links the person who cites a source, as it links a company
    assert "Cited by: [Bo Example](people.md#person-bo)." in pages["sources.md"]
    # the downloads: the new CSV, and the people in the JSON, listed on the data page
    rows = list(csv.reader(io.StringIO(pages["downloads/people.csv"].decode())))
    assert rows == [["id", "name", "company", "sources"],
                    ["ada", "Ada Example", "acme-ai", "acme-news-2021"],
                    ["bo", "Bo Example", "acme-ai", "people-2024"]]
    data = json.loads(pages["downloads/frontier-ledger.json"])
    assert [p["id"] for p in data["people"]] == ["ada", "bo"]
    assert "| [people.csv](downloads/people.csv) | One row per person: id, name, company, " \
           "sources. |" in pages["data.md"]
    # and the chart's downloads
    assert pages["charts/people-count.csv"].decode().splitlines()[0] == "company,people,sources"


def test_the_new_chart_kind_is_known_to_the_check_built_and_cached_by_its_own_code(root, ext):
    kinds = settings(root, ext).kinds
    ds = load(root, Problems(), kinds=kinds.data)
    charts = {c.id: c for c in build_all(ds, kinds.charts)}
    assert charts["people-count"].rows[0]["people"] == 2
    assert charts["people-count"].sources == ["acme-news-2021", "people-2024"]
    digest = code_digest(MODULE)
    assert code_digest(MODULE, read_source=lambda name: b"# edited\n" if name == MODULE else
                       _source(name)) != digest
    assert code_digest(MODULE, read_source=lambda name: b"# edited\n"
                       if name == "generator.charts.largest_ipos" else _source(name)) == digest


def _source(name: str) -> bytes:
    from generator.charts.cache import _read_source

    return _read_source(name)


def test_the_json_schemas_include_the_new_kind(ext):
    schemas = render_schemas(DATA_KINDS + (ext.PEOPLE,))
    schema = json.loads(schemas["people.schema.json"])
    assert schema["title"] == "Frontier Ledger person file (data/people/NAME.yaml)"
    assert sorted(schema["properties"]) == ["company", "id", "name", "sources"]


def test_the_diff_describes_the_new_kind(root, ext):
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.com",
                        "-c", "commit.gpgsign=false", *args], cwd=root, env=env, check=True,
                       capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    (root / "data/people/bo.yaml").write_text(
        "id: bo\nname: Bo Exemplar\ncompany: acme-ai\nsources: [people-2024]\n")
    (root / "data/people/ada.yaml").unlink()
    result = diff(root, "HEAD", settings(root, ext, check=True))
    assert format_result(result, "HEAD").splitlines() == [
        "removed person 'ada'",
        "person 'bo': name changed from 'Bo Example' to 'Bo Exemplar'",
    ]


def test_the_site_builds_with_the_new_kinds(root, ext):
    assert build_site(root, Path("site"), settings=settings(root, ext)) == 0
    html = (root / "site/people/index.html").read_text(encoding="utf-8")
    assert "Bo Example" in html and 'class="fl-chart__svg"' in html and "<svg" in html
    assert (root / "site/downloads/people.csv").is_file()
    assert (root / "site/charts/people-count.svg").is_file()
    files = dataset_files(load(root, Problems(), kinds=settings(root, ext).kinds.data))
    assert "downloads/people.csv" in files
