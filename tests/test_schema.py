"""The published JSON Schemas: in sync with the models, and true of real data files."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from generator.problems import Problems
from generator.reader import parse_yaml
from generator.schema import render_schemas

from support import MINI, REPO

import json


def test_schemas_in_repo_match_the_models():
    expected = render_schemas()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "schemas").glob("*.json")}
    assert on_disk == expected, "schemas/ is stale: run ./ledger schemas and commit the result"


def _data_files():
    for root in (REPO, MINI):
        for folder in ("companies", "sources", "tables"):
            for f in sorted((root / "data" / folder).glob("*.yaml")):
                yield pytest.param(folder, f, id=f"{root.name}/{folder}/{f.name}")


@pytest.mark.parametrize("folder, path", list(_data_files()))
def test_every_data_file_validates_against_its_schema(folder, path: Path):
    schema = json.loads(render_schemas()[f"{folder}.schema.json"])
    problems = Problems()
    doc = parse_yaml(path.read_text(encoding="utf-8"), str(path), problems)
    assert doc is not None, problems.report()
    jsonschema.Draft202012Validator(schema).validate(doc.data)


@pytest.mark.parametrize("folder, record, fragment", [
    ("sources", {"id": "x", "publisher": "P", "title": "T", "url": "https://a.org",
                 "published": "2020-01-01", "accessed": "2020-01-02", "titel": "typo"},
     "Additional properties are not allowed"),
    ("companies", {"id": "x", "name": "X", "kind": "ai-lab", "summary": "S",
                   "events": [{"id": "a", "date": "2020", "kind": "primary-round",
                               "amount_raised": "$5B", "status": "confirmed",
                               "sources": ["s"]}]},
     "is not valid under any of the given schemas"),
])
def test_schemas_underline_mistakes_an_editor_should_show(folder, record, fragment):
    schema = json.loads(render_schemas()[f"{folder}.schema.json"])
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(record))
    assert errors and any(fragment in e.message for e in errors)
