"""load: the data folder → a validated, cross-referenced :class:`Dataset`, every problem at once.

Stages, each collecting problems and carrying on where it safely can:

1. layout: which files exist, where they may be, what they may be called;
2. reading: bytes → text → strict YAML (:mod:`generator.reader`);
3. validation: each file against its model (:mod:`generator.model`), errors located by field path;
4. cross-references: ids, references between files, look-alike names, figures that do not add up.

Nothing here imports MkDocs or writes anything.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import os
import re
import stat
import types
import typing
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, BeforeValidator, ValidationError
from pydantic_core import PydanticCustomError

from . import model as m
from .problems import Problems
from .reader import Document, format_path, parse_yaml, read_file
from .site_paths import reserved_id_problem
from .values import (Money, file_name_problem, name_char_problem, parse_decimal, parse_int,
                     parse_money)

DATA_FOLDERS = tuple(m.KINDS)
MAX_FILES_PER_FOLDER = 20_000


@dataclass
class Dataset:
    root: Path
    companies: dict[str, m.Company] = field(default_factory=dict)
    sources: dict[str, m.Source] = field(default_factory=dict)
    tables: dict[str, m.Table] = field(default_factory=dict)
    glossary: dict[str, m.Term] = field(default_factory=dict)
    # project-relative path of the file each record came from, by (folder, id)
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    # ids (file names) of records whose file exists but was refused; references to them are not
    # reported again as unknown, since the file's own problem is already reported
    refused: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in m.KINDS})

    def origin(self, folder: str, record_id: str) -> str:
        return self.origins[(folder, record_id)]

    def where(self, rel: str, path: tuple) -> tuple[int, int]:
        doc = self.documents.get(rel)
        return doc.where(path) if doc else (0, 0)

    def citing(self) -> dict[str, list[str]]:
        """Source id → the records that cite it (for the sources page and unused checks)."""
        out: dict[str, list[str]] = {}
        for c in self.companies.values():
            for s in _company_sources(c):
                out.setdefault(s, []).append(c.id)
        for t in self.tables.values():
            for r in t.rows:
                for s in r.sources:
                    out.setdefault(s, []).append(t.id)
        for g in self.glossary.values():
            for s in g.sources:
                out.setdefault(s, []).append(f"glossary:{g.id}")
        return {k: sorted(set(v)) for k, v in out.items()}


def _company_sources(c: m.Company) -> Iterator[str]:
    for group in (c.events, c.metrics, c.relationships):
        for item in group:
            yield from item.sources


# ---------------------------------------------------------------------------------------------
# 1. layout


def _entries(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as it:
        return sorted(it, key=lambda e: e.name)


def find_files(root: Path, problems: Problems, refused: dict[str, set[str]] | None = None
               ) -> dict[str, list[tuple[Path, str]]]:
    """(absolute path, project-relative path) of each data file, by folder; layout problems noted.

    ``refused`` collects, by folder, the names of files that look like records but were refused
    (such as ``acme.yml``), so that references to them are not reported twice.
    """
    refused = refused if refused is not None else {k: set() for k in DATA_FOLDERS}
    data = root / "data"
    found: dict[str, list[tuple[Path, str]]] = {k: [] for k in DATA_FOLDERS}
    where = "data/companies/, data/sources/ or data/tables/ as NAME.yaml"
    if not data.is_dir() or data.is_symlink():
        problems.error("data", "the data folder is missing (or is a link); it holds " + where)
        return found
    for entry in _entries(data):
        rel = f"data/{entry.name}"
        if entry.name.startswith(".") or entry.name == "README.md":
            continue
        if entry.is_symlink():
            problems.error(rel, "is a symbolic link; links are never followed, so make it a real "
                           f"folder or file (data files go in {where})")
            continue
        if entry.name not in DATA_FOLDERS or not entry.is_dir(follow_symlinks=False):
            close = suggest(entry.name, DATA_FOLDERS)
            problems.error(rel, f"is not where data goes{close} Data files go in {where}"
                           if close else f"is not where data goes; data files go in {where}")
            continue
        entries = _entries(Path(entry.path))
        if len(entries) > MAX_FILES_PER_FOLDER:
            problems.error(rel, f"holds {len(entries):,} entries, over the limit of "
                           f"{MAX_FILES_PER_FOLDER:,}")
            continue
        for sub in entries:
            srel = f"{rel}/{sub.name}"
            if sub.name.startswith("."):
                continue
            stem, dot, ext = sub.name.rpartition(".")
            if sub.is_dir(follow_symlinks=False):
                problems.error(srel, f"folders are not read here; put {m.KIND_SINGULAR[entry.name]} "
                               f"files directly in {rel}/ as NAME.yaml")
                continue
            if not dot or ext != "yaml":
                if dot and ext.lower() in ("yml", "yaml"):
                    refused[entry.name].add(stem)
                    claimed = _claimed_id(Path(sub.path), srel)
                    if claimed:
                        refused[entry.name].add(claimed)
                    bad = file_name_problem(f"{stem}.yaml", ".yaml")
                    problems.error(srel, f"data files must end in '.yaml' (lower case, not "
                                   f"'.{ext}'); rename it to {rel}/{stem}.yaml" if bad is None
                                   else file_name_problem(sub.name, ".yaml"))
                else:
                    problems.error(srel, f"unexpected file; {m.KIND_SINGULAR[entry.name]} files "
                                   f"are YAML files named NAME.yaml in {rel}/ (other files do "
                                   "not belong in data/)")
                continue
            bad = file_name_problem(sub.name, ".yaml")
            if bad is not None:  # the one documented form: an id, then .yaml
                claimed = _claimed_id(Path(sub.path), srel)
                if claimed:  # references to it are not reported again as unknown
                    refused[entry.name].add(claimed)
                    if file_name_problem(f"{claimed}.yaml", ".yaml") is None:
                        bad += f"; rename it to {rel}/{claimed}.yaml, after the id it holds"
                problems.error(srel, bad)
                continue
            found[entry.name].append((Path(sub.path), srel))
    return found


def _claimed_id(path: Path, rel: str) -> str | None:
    """The id a refused file gives itself, read as any data file is (links are not followed);
    None when it cannot be read. Its own problems wait until it has a valid name."""
    text = read_file(path, rel, Problems())
    doc = parse_yaml(text, rel, Problems()) if text is not None else None
    if doc is None or not isinstance(doc.data, dict):
        return None
    rid = doc.data.get("id")
    return str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) else None


# ---------------------------------------------------------------------------------------------
# 3. validation


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


def _squash(s: str) -> str:
    return "".join(ch for ch in s.casefold() if ch.isalnum())


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio() if a and b else 0.0


def similarity(word: str, option: str) -> float:
    """How close a misspelt word is to a known option, 0..1.

    Plain difflib misses typos of one part of a long compound name ('valuaton' is only 0.57 like
    'post_money_valuation'), so the word is also compared, case and separators aside, with every run
    of the option's parts ('valuation', 'money_valuation', ...); such a partial match counts a little
    less than a whole one.
    """
    w, o = str(word).casefold(), str(option).casefold()
    best = max(_ratio(w, o), _ratio(_squash(w), _squash(o)))
    parts = [p for p in re.split(r"[_\-\s./]+", o) if p]
    if len(parts) > 1 and len(_squash(w)) >= 3:
        for i in range(len(parts)):
            for j in range(i + 1, len(parts) + 1):
                if j - i == len(parts):
                    continue
                r = _ratio(_squash(w), "".join(parts[i:j]))
                if r >= 0.8:
                    best = max(best, 0.9 * r)
    return best


def suggest(word: str, options: list[str] | set[str] | Any, *, cutoff: float = 0.6) -> str:
    """'; did you mean 'x'?' (or 'x' or 'y', when two are equally close), or '' if nothing is close."""
    scored = sorted(((similarity(word, o), str(o)) for o in set(options) if str(o) != str(word)),
                    key=lambda so: (-so[0], so[1]))
    if not scored or scored[0][0] < cutoff:
        return ""
    top = scored[0][0]
    close = [o for s, o in scored if s >= top - 0.02][:3]
    return "; did you mean " + " or ".join(f"'{o}'" for o in close) + "?"


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
    if ctx.get("field"):  # a rule about several fields names the one to point at
        loc = loc + (ctx["field"],)
    name = loc[-1] if loc and isinstance(loc[-1], str) else ""
    parent = model_at(root, loc[:-1])
    if typ == "extra_forbidden":
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


def _check_table(rel: str, doc: Document, table: m.Table, problems: Problems) -> m.Table:
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
    money = parse_money(value)
    if money.currency != col.currency:
        raise ValueError(f"{value!r} is in {money.currency}, but this column holds amounts in "
                         f"{col.currency}")
    return money


# ---------------------------------------------------------------------------------------------
# 4. cross-references

_CONFUSABLES = str.maketrans({
    # Cyrillic and Greek letters that look like Latin ones
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ո": "n", "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h",
    "О": "o", "Р": "p", "С": "c", "Т": "t", "Х": "x", "α": "a", "ο": "o", "ρ": "p", "ν": "v",
    "Α": "a", "Β": "b", "Ε": "e", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o", "Ρ": "p",
    "Τ": "t", "Χ": "x", "Υ": "y", "Ζ": "z", "0": "o", "1": "l", "I": "l",
})


_SAME_SHAPE = str.maketrans({"l": "i", "1": "i", "|": "i", "0": "o"})


def skeleton(name: str) -> str:
    """A key under which names that look alike collide (case, spaces, width, homoglyphs).

    'Acme AI', 'ACME ai', 'Acme  AI', 'Acme Al' and 'Аcme AI' (Cyrillic А) share one skeleton.
    """
    s = unicodedata.normalize("NFKC", name).translate(_CONFUSABLES)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.casefold().translate(_CONFUSABLES).translate(_SAME_SHAPE)
    return "".join(ch for ch in s if ch.isalnum())


def _cross_check(ds: Dataset, problems: Problems, today: _dt.date) -> None:
    def err(folder: str, rid: str, path: tuple, msg: str, *, warning: bool = False) -> None:
        rel = ds.origin(folder, rid)
        line, col = ds.where(rel, path)
        (problems.warn if warning else problems.error)(rel, msg, line=line, column=col,
                                                      field=format_path(path))

    def ref(folder: str, rid: str, path: tuple, target_kind: str, target: str) -> None:
        pool = ds.sources if target_kind == "sources" else ds.companies
        if target not in pool and target not in ds.refused[target_kind]:
            noun = m.KIND_SINGULAR[target_kind]
            err(folder, rid, path, f"unknown {noun} '{target}': there is no file "
                f"data/{target_kind}/{target}.yaml{suggest(target, pool)}")

    by_skeleton: dict[str, str] = {}
    for cid, c in ds.companies.items():
        key = skeleton(c.name)
        if key in by_skeleton:
            other = ds.companies[by_skeleton[key]]
            err("companies", cid, ("name",), f"'{c.name}' looks the same as '{other.name}' in "
                f"{ds.origin('companies', other.id)}; one company, one file")
        else:
            by_skeleton[key] = cid
        ids: dict[str, int] = {}
        for i, e in enumerate(c.events):
            if e.id in ids:
                rel = ds.origin("companies", cid)
                first, second = ds.where(rel, ("events", ids[e.id], "id"))[0], \
                    ds.where(rel, ("events", i, "id"))[0]
                err("companies", cid, ("events", i, "id"), f"event id '{e.id}' is used twice in "
                    f"this company (lines {first} and {second}); give each event its own id")
            ids.setdefault(e.id, i)
            for j, s in enumerate(e.sources):
                ref("companies", cid, ("events", i, "sources", j), "sources", s)
            for j, inv in enumerate(e.investors):
                if inv.company:
                    ref("companies", cid, ("events", i, "investors", j, "company"), "companies",
                        inv.company)
            if e.counted_in is not None:
                other_ids = [x.id for x in c.events if x.id != e.id]
                if e.counted_in not in other_ids:
                    err("companies", cid, ("events", i, "counted_in"), f"'{e.counted_in}' is not "
                        f"another event of this company{suggest(e.counted_in, other_ids)}")
            if e.date.earliest > today:
                err("companies", cid, ("events", i, "date"), f"{e.date} is in the future; events "
                    "record what already happened (talks and plans are events of their own, "
                    "dated when they were reported)")
            if c.founded and e.date.latest < c.founded.earliest:
                err("companies", cid, ("events", i, "date"), f"{e.date} is before the company was "
                    f"founded ({c.founded})")
            pre, raised, post = e.pre_money_valuation, e.amount_raised, e.post_money_valuation
            if pre and raised and post and not (pre.qualifier or raised.qualifier or
                                                post.qualifier):
                if pre.amount + raised.amount != post.amount:
                    err("companies", cid, ("events", i, "post_money_valuation"),
                        f"pre-money {pre} plus amount raised {raised} is "
                        f"{Money(pre.amount + raised.amount, pre.currency)}, not {post}; fix one "
                        "figure, or explain the difference in note and remove the pre-money",
                        warning=True)
        for i, mt in enumerate(c.metrics):
            for j, s in enumerate(mt.sources):
                ref("companies", cid, ("metrics", i, "sources", j), "sources", s)
            if mt.date.earliest > today:
                err("companies", cid, ("metrics", i, "date"), f"{mt.date} is in the future; a "
                    "metric is dated when the figure was reported")
        for i, r in enumerate(c.relationships):
            ref("companies", cid, ("relationships", i, "company"), "companies", r.company)
            if r.company == cid:
                err("companies", cid, ("relationships", i, "company"),
                    "a company cannot have a relationship with itself")
            for j, s in enumerate(r.sources):
                ref("companies", cid, ("relationships", i, "sources", j), "sources", s)
    for tid, t in ds.tables.items():
        for i, row in enumerate(t.rows):
            for j, s in enumerate(row.sources):
                ref("tables", tid, ("rows", i, "sources", j), "sources", s)
            if row.company:
                ref("tables", tid, ("rows", i, "company"), "companies", row.company)
    for sid, s in ds.sources.items():
        if s.published is not None and s.published.earliest > today:
            err("sources", sid, ("published",), f"{s.published} is in the future; give the date "
                "the source was published")
        if s.accessed.earliest > today:
            err("sources", sid, ("accessed",), f"{s.accessed} is in the future; give the date the "
                "source was read")
    terms: dict[str, str] = {}
    for gid, g in ds.glossary.items():
        key = skeleton(g.term)
        if key in terms:
            err("glossary", gid, ("term",), f"'{g.term}' is already defined in "
                f"{ds.origin('glossary', terms[key])}; one term, one file")
        terms.setdefault(key, gid)
        for j, other in enumerate(g.see_also):
            if other not in ds.glossary and other not in ds.refused["glossary"]:
                err("glossary", gid, ("see_also", j), f"unknown glossary term '{other}': there is "
                    f"no file data/glossary/{other}.yaml{suggest(other, ds.glossary)}")
        for j, s in enumerate(g.sources):
            ref("glossary", gid, ("sources", j), "sources", s)


def unused_sources(ds: Dataset, problems: Problems, cited_by_pages: set[str]) -> None:
    """Warn about source records nothing cites (data or articles). Skipped when any record was
    refused, since what it cites is unknown."""
    if any(ds.refused[k] for k in ds.refused if k != "sources"):
        return
    cited = set(ds.citing()) | cited_by_pages
    for sid in sorted(ds.sources):
        if sid not in cited:
            rel = ds.origin("sources", sid)
            line, col = ds.where(rel, ())
            problems.warn(rel, "this source is not cited by any company, table, glossary term or "
                          "article; cite it or delete the file", line=line, column=col)


# ---------------------------------------------------------------------------------------------


def load(root: Path, problems: Problems, *, today: _dt.date | None = None) -> Dataset:
    """Read and check every data file under ``root/data``. Inspect ``problems`` afterwards."""
    today = today or _dt.date.today()
    ds = Dataset(root=root)
    files = find_files(root, problems, ds.refused)
    for folder, entries in files.items():
        cls = m.KINDS[folder]
        target = getattr(ds, folder)
        for path, rel in entries:
            stem = path.name[: -len(".yaml")]
            ds.refused[folder].add(stem)  # until it is read and valid
            text = read_file(path, rel, problems)
            if text is None:
                continue
            doc = parse_yaml(text, rel, problems)
            if doc is None:
                continue
            ds.documents[rel] = doc
            record = validate(rel, doc, cls, problems)
            if record is None:
                continue
            if isinstance(record, m.Table):
                record = _check_table(rel, doc, record, problems)
            if record.id != stem:  # stem is a valid id: find_files refuses other names
                ds.refused[folder].add(record.id)
                line, col = doc.where(("id",))
                problems.error(rel, f"id '{record.id}' does not match the file name; rename the "
                               f"file to {record.id}.yaml or set id: {stem}",
                               line=line, column=col, field="id")
                continue
            reserved = reserved_id_problem(folder, record.id)
            if reserved:  # companies/index.md is the list of companies, not a profile
                line, col = doc.where(("id",))
                problems.error(rel, reserved, line=line, column=col, field="id")
                continue
            target[record.id] = record
            ds.origins[(folder, record.id)] = rel
            ds.refused[folder].discard(stem)
            doc.release(path, rel)  # checked: positions are found again if a problem needs one
    _cross_check(ds, problems, today)
    return ds


def sum_money(items: list[Money]) -> Money | None:
    if not items:
        return None
    cur = items[0].currency
    return Money(sum((i.amount for i in items), Decimal(0)), cur)
