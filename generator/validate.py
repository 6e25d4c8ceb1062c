"""Validation of one data file against its model, with every pydantic error turned into a located
message in the contributor's words (what is expected, the closest known name), and the typing of a
table's cells by its columns."""

from __future__ import annotations

import typing
import types
from typing import Any

from pydantic import BaseModel, BeforeValidator, ValidationError
from pydantic_core import PydanticCustomError

from . import model as m
from .problems import Problems
from .reader import Document, format_path
from .suggest import suggest
from .values import name_char_problem, one_amount, parse_decimal, parse_int


def _unwrap(tp: Any) -> Any:
    """Strip Annotated, Optional and list wrappers down to the class (or Literal) inside."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        elif origin is list:
            tp = typing.get_args(tp)[0]
        else:
            return tp


def model_at(cls: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` (None if not a model)."""
    cur: Any = cls
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(cur, type) and issubclass(cur, BaseModel)):
            return None
        f = cur.model_fields.get(part)
        if f is None:
            return None
        cur = _unwrap(f.annotation)
    return cur if isinstance(cur, type) and issubclass(cur, BaseModel) else None


def _choices(cls: type[BaseModel] | None, name: str) -> list[str]:
    if cls is None or name not in cls.model_fields:
        return []
    tp = _unwrap(cls.model_fields[name].annotation)
    if typing.get_origin(tp) is typing.Literal:
        return [str(a) for a in typing.get_args(tp)]
    return []


def expected_value(cls: type[BaseModel] | None, name: str, *, top: bool = False) -> str:
    """What a field holds, in words, for 'add NAME: with ...' messages."""
    if cls is None or name not in cls.model_fields:
        return "a value"
    f = cls.model_fields[name]
    choices = _choices(cls, name)
    if choices:
        return "one of " + ", ".join(choices)
    if name == "id" and top:
        return "the file name without .yaml (lower-case letters, digits and hyphens)"
    if name == "sources":
        return "a list of source ids, such as [acme-news-2021] (file names in data/sources/ " \
            "without .yaml)"
    ann = f.annotation
    funcs = [x.func for x in f.metadata if isinstance(x, BeforeValidator)]
    if not funcs and typing.get_origin(ann) is list:
        inner = typing.get_args(ann)[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return f"a list of {name}, one '- ...' entry each"
    if typing.get_origin(ann) is dict:
        return "one 'column_id: value' line per column"
    for fn in funcs:
        if getattr(fn, "expected", None):
            return fn.expected
    if ann is bool:
        return "true or false"
    return f.description or "a value"


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "the boolean " + str(value).lower()
    r = repr(value)
    return r if len(r) <= 60 else r[:57] + "...'"


def explain(err: dict, root: type[BaseModel]) -> tuple[tuple, str, bool]:
    """A pydantic error → (location, message, point-at-key)."""
    loc, typ, value = tuple(err["loc"]), err["type"], err.get("input")
    ctx = err.get("ctx") or {}
    if ctx.get("field"):  # a rule about several fields names the one to point at, or its path
        field = ctx["field"]  # (a tuple, or dotted: "read_via.url")
        loc = loc + (tuple(field) if isinstance(field, (tuple, list)) else tuple(field.split(".")))
    name = loc[-1] if loc and isinstance(loc[-1], str) else ""
    parent = model_at(root, loc[:-1])
    if typ == "extra_forbidden":
        moved = getattr(parent, "moved_fields", {}).get(name) if parent else None
        if moved:
            return loc, f"'{name}' is no longer a field: {moved}", True
        known = list(parent.model_fields) if parent else []
        return loc, f"unknown field '{name}'{suggest(name, known)}" + (
            "" if suggest(name, known) else f" (known fields: {', '.join(known)})"), True
    if typ == "missing":
        expected = expected_value(parent, name, top=len(loc) == 1)
        return loc, f"required field '{name}' is missing; add '{name}:' with {expected}", True
    if typ == "literal_error":
        choices = _choices(parent, name) or [
            s.strip("'") for s in err.get("ctx", {}).get("expected", "").replace(" or ", ", ")
            .split(", ")]
        return loc, (f"{_short(value)} is not allowed, expected one of {', '.join(choices)}"
                     f"{suggest(value, choices) if isinstance(value, str) else ''}"), False
    if typ in ("list_type", "too_short"):
        if typ == "too_short":
            what = "source id, such as [acme-news-2021]" if name == "sources" else "entry"
            return loc, f"the list is empty; give at least one {what}", False
        if isinstance(value, (str, int)) and not isinstance(value, bool) and \
                len(str(value)) <= 60:
            return loc, (f"expected a list, got the single value {_short(value)}; write "
                         f"[{value}] (or one '- item' per line)"), False
        return loc, (f"expected a list (one '- item' per line), got {_short(value)}"), False
    if typ in ("model_type", "model_attributes_type", "dict_type"):
        return loc, f"expected a mapping of fields (name: value lines), got {_short(value)}", False
    if typ in ("bool_type", "bool_parsing"):
        if isinstance(value, str) and value in ("true", "false"):
            return loc, (f"{_short(value)} is in quotes, which makes it text; write {value} "
                         "without quotes"), False
        return loc, (f"{_short(value)} is not accepted here; write true or false (lower case, "
                     "without quotes)"), False
    if typ in ("string_type", "str_type"):
        return loc, f"expected text, got {_short(value)}", False
    if typ == "string_pattern_mismatch":
        return loc, (f"{_short(value)} is not valid here; use lower-case letters, digits and "
                     "underscores, starting with a letter"), False
    if typ in ("int_type", "int_parsing"):
        return loc, f"expected a whole number, got {_short(value)}", False
    # Our own value types raise PydanticCustomError with a message that is already complete.
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return loc, msg, False


def validate(rel: str, doc: Document, cls: type[BaseModel], problems: Problems) -> Any:
    if not isinstance(doc.data, dict):
        if doc.data is None:
            what = "the file is empty"
        elif isinstance(doc.data, list):
            what = "the file is a list ('- ...' lines)"
        else:
            what = f"the file holds only the value {_short(doc.data)}"
        problems.error(rel, f"{what}; expected 'name: value' lines (a mapping of fields) starting "
                       "with 'id:'", line=1, column=1)
        return None
    try:
        return cls.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc, msg, at_key = explain(err, cls)
            line, col = doc.where(loc, key=at_key)
            problems.error(rel, msg, line=line, column=col, field=format_path(loc))
        return None


def check_table(rel: str, doc: Document, table: m.Table, problems: Problems) -> m.Table:
    """Type each row's values by the table's columns; returns the table with typed values."""
    cols: dict[str, m.Column] = {}
    for i, c in enumerate(table.columns):
        if c.id in cols:
            first = doc.where(("columns", [x.id for x in table.columns].index(c.id), "id"))[0]
            line, col = doc.where(("columns", i, "id"))
            problems.error(rel, f"column id '{c.id}' is used twice (lines {first} and {line}); "
                           "give each column its own id", line=line, column=col,
                           field=f"columns[{i}].id")
            continue
        cols[c.id] = c
    if len(cols) != len(table.columns):
        return table  # the values cannot be typed until each column id is unique
    rows = []
    row_ids: dict[str, int] = {}
    for i, row in enumerate(table.rows):
        if row.id in row_ids:
            first = doc.where(("rows", row_ids[row.id], "id"))[0]
            line, col = doc.where(("rows", i, "id"))
            problems.error(rel, f"row id '{row.id}' is used twice in this table (lines {first} and "
                           f"{line}); give each row its own id", line=line, column=col,
                           field=f"rows[{i}].id")
        row_ids.setdefault(row.id, i)
        typed: dict[str, Any] = {}
        for key, value in row.values.items():
            path = ("rows", i, "values", key)
            if key not in cols:
                line, col = doc.where(path, key=True)
                problems.error(rel, f"unknown column '{key}'{suggest(key, cols)}", line=line,
                               column=col, field=format_path(path))
                continue
            try:
                typed[key] = _cell(cols[key], value)
            except (PydanticCustomError, ValueError) as exc:
                line, col = doc.where(path)
                msg = exc.message() if isinstance(exc, PydanticCustomError) else str(exc)
                problems.error(rel, msg, line=line, column=col, field=format_path(path))
        for c in table.columns:
            if c.required and c.id not in row.values:
                line, col = doc.where(("rows", i, "values"), key=True)
                problems.error(rel, f"column '{c.id}' is required; add '{c.id}:'", line=line,
                               column=col, field=format_path(("rows", i, "values")))
        rows.append(row.model_copy(update={"values": typed}))
    return table.model_copy(update={"rows": rows})


def _cell(col: m.Column, value: Any) -> Any:
    if value is None:
        if col.required:
            raise ValueError(f"column '{col.id}' is required; give a value")
        return None
    if col.type == "text":
        if not isinstance(value, str) or "\n" in value or not value.strip():
            raise ValueError(f"expected a single line of text, got {_short(value)}")
        bad = name_char_problem(value)  # a text cell names something, as a name does
        if bad:
            raise ValueError(bad)
        return value
    if col.type == "integer":
        return parse_int(value, col.unit or "units")
    if col.type == "decimal":
        return parse_decimal(value)
    if col.type == "year":
        if isinstance(value, int) and not isinstance(value, bool) and 1800 <= value <= 2200:
            return value
        raise ValueError(f"expected a year from 1800 to 2200, such as 2019, got {_short(value)}")
    money = one_amount(value)
    if money.currency != col.currency:
        raise ValueError(f"{value!r} is in {money.currency}, but this column holds amounts in "
                         f"{col.currency}")
    return money
