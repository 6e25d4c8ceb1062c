"""JSON Schemas for editors, generated from the models of the data kinds (one per kind of file).

``python -m generator schemas`` writes ``schemas/<folder>.schema.json``; a test fails when the
files differ from what the models generate, so the schemas cannot drift from the validation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from .kinds import DATA_KINDS, DataKind

BASE_URL = "https://frontier-ledger.github.io/frontier-ledger/schemas/"


def schema_for(kind: DataKind) -> dict:
    schema = kind.model.model_json_schema(mode="validation")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_URL}{kind.folder}.schema.json",
        "title": f"Frontier Ledger {kind.singular} file (data/{kind.folder}/NAME.yaml)",
        **{k: v for k, v in schema.items() if k != "title"},
    }
    return schema


def render_schemas(kinds: Iterable[DataKind] = DATA_KINDS) -> dict[str, str]:
    return {f"{kind.folder}.schema.json": json.dumps(schema_for(kind), indent=2, sort_keys=True,
                                                     ensure_ascii=False) + "\n"
            for kind in kinds}


def write_schemas(out: Path, kinds: Iterable[DataKind] = DATA_KINDS) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas(kinds).items():
        p = out / name
        p.write_text(text, encoding="utf-8")
        written.append(p)
    return written
