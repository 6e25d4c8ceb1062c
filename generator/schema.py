"""JSON Schemas for editors, generated from the pydantic models (one per kind of data file).

``python -m generator schemas`` writes ``schemas/<kind>.schema.json``; a test fails when the files
differ from what the models generate, so the schemas cannot drift from the validation.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import model as m

BASE_URL = "https://frontier-ledger.github.io/frontier-ledger/schemas/"


def schema_for(folder: str) -> dict:
    cls = m.KINDS[folder]
    schema = cls.model_json_schema(mode="validation")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_URL}{folder}.schema.json",
        "title": f"Frontier Ledger {m.KIND_SINGULAR[folder]} file (data/{folder}/NAME.yaml)",
        **{k: v for k, v in schema.items() if k != "title"},
    }
    return schema


def render_schemas() -> dict[str, str]:
    return {f"{folder}.schema.json": json.dumps(schema_for(folder), indent=2, sort_keys=True,
                                                ensure_ascii=False) + "\n"
            for folder in m.KINDS}


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        p = out / name
        p.write_text(text, encoding="utf-8")
        written.append(p)
    return written
