"""Strict reading of contributor files: bytes → text → YAML → plain values with positions.

Contributor input is untrusted, so this module reads far less than YAML allows:

* files: UTF-8 only, no byte-order mark, a size cap (checked before reading), CRLF accepted;
  control, zero-width and bidirectional-override characters refused;
* YAML: one document; no anchors, aliases, merge keys or tags; no duplicate keys; a nesting cap;
* scalars: a plain ``true``/``false`` is a boolean, ``null``/``~``/empty is null, a plain decimal
  integer without a leading zero is an integer; *everything else is a string*. ``NO``, ``0755``,
  ``1:30``, ``1e3``, ``.inf`` and ``2024-05-01`` all stay exactly the text that was written, and the
  field that receives them decides whether that text is acceptable (YAML 1.1's silent coercions never
  happen).

The result is plain Python data plus a map from field paths to line/column, so that every later
error can point at the place in the file.
"""

from __future__ import annotations

import re
import stat as _stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is faster; both produce the same events with marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .problems import Problems

MAX_DATA_FILE_BYTES = 256 * 1024
MAX_DEPTH = 12

PathKey = tuple[str | int, ...]

# C0 controls except tab/LF/CR, DEL, C1 controls, zero-width and bidi controls, BOM, soft hyphen.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")


@dataclass
class Document:
    """A parsed file: plain data and where each part of it stands."""

    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)  # value positions
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """Line and column for a field path: the nearest known ancestor if the path is absent."""
        table = self.key_positions if key else self.positions
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if key and p in self.positions:
                return self.positions[p]
            if not key and p in self.key_positions:
                return self.key_positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))


def describe_char(ch: str) -> str:
    name = unicodedata.name(ch, "control character")
    return f"U+{ord(ch):04X} ({name.lower()})"


def decode(raw: bytes, rel: str, problems: Problems) -> str | None:
    """Bytes to text: UTF-8 without BOM; line endings normalised; forbidden characters refused."""
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.error(rel, "the file starts with a byte-order mark (BOM); save it as UTF-8 without "
                       "a BOM", line=1, column=1)
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        problems.error(rel, f"byte 0x{raw[exc.start]:02X} is not valid UTF-8; save the file as "
                       "UTF-8 (it looks like another encoding, such as Latin-1)", line=line, column=col)
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = False
    for m in _FORBIDDEN.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        problems.error(rel, f"invisible or control character {describe_char(m.group())} is not "
                       "allowed; delete it", line=line, column=col)
        bad = True
    return None if bad else text


def read_file(path: Path, rel: str, problems: Problems, *, max_bytes: int = MAX_DATA_FILE_BYTES
              ) -> str | None:
    """Read a contributor file as text, refusing links, special files and oversized files."""
    try:
        st = path.lstat()
    except OSError as exc:
        problems.error(rel, f"cannot be read ({exc.strerror})")
        return None
    if _stat.S_ISLNK(st.st_mode):
        problems.error(rel, "is a symbolic link; links are never followed, commit a regular file")
        return None
    if not _stat.S_ISREG(st.st_mode):
        problems.error(rel, "is not a regular file")
        return None
    if st.st_size > max_bytes:
        problems.error(rel, f"is {st.st_size:,} bytes, over the limit of {max_bytes:,} bytes for "
                       "this kind of file; split it or shorten it")
        return None
    with open(path, "rb") as fh:
        raw = fh.read(max_bytes + 1)
    return decode(raw, rel, problems)


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def resolve_plain(text: str) -> Any:
    """A plain (unquoted) scalar's value under this project's strict rules."""
    if text in ("", "~", "null"):
        return None
    if text == "true":
        return True
    if text == "false":
        return False
    if _INT.match(text):
        return int(text)
    return text


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "invalid YAML"
    if "\\t" in problem or "tab" in problem:
        return "a tab character is used for indentation; indent with spaces"
    msg = f"YAML syntax: {problem}"
    if exc.context:
        msg += f" ({exc.context}"
        if exc.context_mark is not None and exc.problem_mark is not None and \
                exc.context_mark.line != exc.problem_mark.line:
            msg += f" at line {exc.context_mark.line + 1}"
        msg += ")"
    return msg


def parse_yaml(text: str, rel: str, problems: Problems, *, max_depth: int = MAX_DEPTH
               ) -> Document | None:
    """Parse one YAML document strictly; report every structural problem found."""
    doc = Document(None)
    before = len(problems.items)
    # Stack of containers being built: (container, path, pending_key_or_None, key_text_positions)
    stack: list[list[Any]] = []
    documents = 0
    root_set = False

    def add_value(value: Any, pos: tuple[int, int]) -> PathKey | None:
        nonlocal root_set
        if not stack:
            doc.data = value
            root_set = True
            doc.positions[()] = pos
            return ()
        top = stack[-1]
        container, path = top[0], top[1]
        if isinstance(container, list):
            p = path + (len(container),)
            container.append(value)
            doc.positions[p] = pos
            return p
        # mapping: either this is a key, or the value for the pending key
        if top[2] is None:
            raise AssertionError("value without key")  # handled by caller
        key, key_pos = top[2]
        top[2] = None
        p = path + (key,)
        if key in container:
            first = doc.key_positions[p][0]
            problems.error(rel, f"key '{key}' is given twice in this mapping (lines {first} and "
                           f"{key_pos[0]}); keep only one", line=key_pos[0], column=key_pos[1],
                           field=format_path(p))
            return None
        container[key] = value
        doc.key_positions[p] = key_pos
        doc.positions[p] = pos
        return p

    try:
        loader = _Loader(text)
        try:
            while loader.check_event():
                ev = loader.get_event()
                pos = _pos(ev.start_mark)
                if isinstance(ev, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        problems.error(rel, "the file holds more than one YAML document ('---'); "
                                       "keep one record per file", line=pos[0], column=pos[1])
                        break
                    continue
                if isinstance(ev, (yaml.StreamStartEvent, yaml.StreamEndEvent,
                                   yaml.DocumentEndEvent)):
                    continue
                if isinstance(ev, yaml.AliasEvent):
                    problems.error(rel, f"alias '*{ev.anchor}' is not allowed; write the value out "
                                   "in full", line=pos[0], column=pos[1])
                    break
                anchor = getattr(ev, "anchor", None)
                if anchor is not None:
                    problems.error(rel, f"anchor '&{anchor}' is not allowed; write values out in "
                                   "full", line=pos[0], column=pos[1])
                    break
                tag = getattr(ev, "tag", None)
                if tag is not None:
                    problems.error(rel, f"tag '{tag}' is not allowed; only plain values are read",
                                   line=pos[0], column=pos[1])
                    break
                is_key = bool(stack) and isinstance(stack[-1][0], dict) and stack[-1][2] is None
                if isinstance(ev, yaml.ScalarEvent):
                    if is_key:
                        key = ev.value
                        if ev.implicit[0] and key == "<<":
                            problems.error(rel, "merge keys ('<<') are not allowed; write the "
                                           "fields out in full", line=pos[0], column=pos[1])
                            break
                        stack[-1][2] = (key, pos)
                        continue
                    plain = ev.implicit[0] and ev.style in (None, "")
                    value = resolve_plain(ev.value) if plain else ev.value
                    add_value(value, pos)
                    continue
                if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    if is_key:
                        problems.error(rel, "a mapping or list cannot be used as a key",
                                       line=pos[0], column=pos[1])
                        break
                    if len(stack) >= max_depth:
                        problems.error(rel, f"nesting is deeper than {max_depth} levels; data "
                                       "files are never that deep", line=pos[0], column=pos[1])
                        break
                    container: Any = {} if isinstance(ev, yaml.MappingStartEvent) else []
                    p = add_value(container, pos)
                    if p is None:  # duplicate key: keep parsing into a throwaway container
                        p = ("<duplicate>",)
                    stack.append([container, p, None])
                    continue
                if isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    stack.pop()
                    continue
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark is not None else (0, 0)
        problems.error(rel, _yaml_message(exc), line=line, column=col)
    except yaml.YAMLError as exc:  # e.g. reader errors without marks
        problems.error(rel, f"YAML syntax: {exc}")
    if len(problems.items) > before:
        return None
    if not root_set:
        doc.data = None
    return doc


def format_path(path: PathKey) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
