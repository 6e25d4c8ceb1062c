"""Strict reading of contributor files: bytes → text → YAML → plain values with positions.

Contributor input is untrusted, so this module reads far less than YAML allows:

* files: regular files only (symbolic links and special files are refused, never followed);
  UTF-8 only, no byte-order mark; CRLF and lone CR accepted as line breaks; control, zero-width
  and bidirectional-override characters refused;
* size: a data file may be at most ``MAX_DATA_FILE_BYTES`` = 256 KiB (262,144 bytes; the largest
  real data file is a few KiB). The size is taken from the file system *before* anything is read
  or parsed, and at most that many bytes are ever read. Articles have their own cap, passed as
  ``max_bytes`` by the renderer;
* YAML: one document; no anchors, aliases, merge keys or tags; no duplicate keys; nesting at most
  ``MAX_DEPTH`` = 12 mappings and lists deep (real data needs 5), counted while the parser's event
  stream is read, so even a file of a million ``[`` is refused without recursion;
* scalars: a plain ``true``/``false`` is a boolean, ``null``/``~``/empty is null, a plain decimal
  integer of at most ``MAX_INT_DIGITS`` = 18 digits without a plus sign or leading zero (``0``,
  ``42``, ``-7``) is an integer, so that ``str(value)`` is always exactly what was written;
  *everything else is a string* (a 5,000-digit number too: the field says it is out of range).
  No scalar makes the reader raise. ``NO``, ``0755``,
  ``1:30``, ``1e3``, ``.inf`` and ``2024-05-01`` all stay exactly the text that was written, and the
  field that receives them decides whether that text is acceptable (YAML 1.1's silent coercions never
  happen).

The result is plain Python data plus a map from field paths to line/column, so that every later
error can point at the place in the file.
"""

from __future__ import annotations

import os
import re
import stat as _stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is faster; both produce the same events with marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .problems import Problems
from .values import describe_char

MAX_DATA_FILE_BYTES = 256 * 1024
MAX_DEPTH = 12

PathKey = tuple[str | int, ...]

# C0 controls except tab/LF/CR, DEL, C1 controls, zero-width and bidi controls, BOM, soft hyphen,
# and the non-characters U+FFFE and U+FFFF (which YAML and XML refuse).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff]"
)
# What a double-quoted scalar may not produce through escapes (\0, \x07, \u202e, \uffff), which
# decode() never sees: the same characters, and surrogates.
_ESCAPED_FORBIDDEN = re.compile(_FORBIDDEN.pattern[:-1] + "\ud800-\udfff]")
# No '+', no leading zeros, no '-0' (so that str() gives the exact text back), and at most
# MAX_INT_DIGITS digits: Python refuses to convert very long digit strings (ValueError past 4,300
# digits), and no field takes an integer anywhere near that long, so a longer one stays text and
# the field that receives it says what is wrong with it.
MAX_INT_DIGITS = 18
_INT = re.compile(r"(0|-?[1-9][0-9]{0,%d})\Z" % (MAX_INT_DIGITS - 1))


@dataclass
class Document:
    """A parsed file: plain data and where each part of it stands."""

    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)  # value positions
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    # set by release(): the file and name to read again when the values or positions are asked for
    _source: tuple[Path, str] | None = field(default=None, repr=False)

    def release(self, path: Path, rel: str) -> None:
        """Let go of the parsed values and the position of each (more than half the memory of a
        loaded dataset: thousands of files hold them all at once otherwise). They are only needed
        to report a problem, which is rare: :meth:`restored` reads and parses the file again then.
        Not even the text is kept: at 5,000 companies it was 100 MB. (A file changed in between,
        while serve watches it, gives the positions in its new text, which is what its editor
        shows; a file gone or no longer valid gives none, and a problem is placed at 1:1.)"""
        self.data, self.positions, self.key_positions = None, {}, {}
        self._source = (path, rel)

    def restored(self) -> "Document":
        """This document with its values and positions (read again after release())."""
        if self._source is not None:
            path, rel = self._source
            text = read_file(path, rel, Problems())
            again = parse_yaml(text, rel, Problems()) if text is not None else None
            if again is not None:
                self.data, self.positions, self.key_positions = (again.data, again.positions,
                                                                 again.key_positions)
            self._source = None
        return self

    def where(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """Line and column for a field path: the nearest known ancestor if the path is absent."""
        self.restored()
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
        problems.error(rel, "is a symbolic link; links are never followed, so commit the file "
                       "itself in its place")
        return None
    if not _stat.S_ISREG(st.st_mode):
        kind = "a folder" if _stat.S_ISDIR(st.st_mode) else "a named pipe" if \
            _stat.S_ISFIFO(st.st_mode) else "a socket" if _stat.S_ISSOCK(st.st_mode) else \
            "a device" if _stat.S_ISCHR(st.st_mode) or _stat.S_ISBLK(st.st_mode) else \
            "a special file"
        problems.error(rel, f"is {kind}, not a regular file; commit a plain text file here")
        return None
    if st.st_size > max_bytes:
        problems.error(rel, f"the file is {st.st_size:,} bytes, over the limit of {max_bytes:,} "
                       f"bytes ({max_bytes // 1024} KiB) for this kind of file; split it or "
                       "shorten it")
        return None
    try:
        # O_NOFOLLOW: a link swapped in after the check above is still not followed
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        problems.error(rel, f"cannot be read ({exc.strerror})")
        return None
    with os.fdopen(fd, "rb") as fh:
        if not _stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            problems.error(rel, "is not a regular file; commit a plain text file here")
            return None
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:  # it grew after the size check
        problems.error(rel, f"the file is over the limit of {max_bytes:,} bytes "
                       f"({max_bytes // 1024} KiB) for this kind of file; split it or shorten it")
        return None
    return decode(raw, rel, problems)


# what the loop of parse_yaml tells apart by exact type (libyaml's parser makes exactly these)
_END_EVENTS = frozenset({yaml.MappingEndEvent, yaml.SequenceEndEvent})
_NODE_EVENTS = frozenset({yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent})


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


def _char_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    if not 0 <= mark.line < len(lines):
        return ""
    line = lines[mark.line]
    return line[mark.column] if 0 <= mark.column < len(line) else ""


def _yaml_message(exc: yaml.MarkedYAMLError, text: str = "") -> tuple[str, tuple[int, int]]:
    """A parser error in plain words, and where to point: usually the parser's own position, but
    the opening quote or bracket for something left unclosed (the parser stops at the end)."""
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    pm, cm = exc.problem_mark, exc.context_mark
    at = _pos(pm) if pm is not None else _pos(cm) if cm is not None else (0, 0)
    ctx_line = cm.line + 1 if cm is not None else 0
    ch = _char_at(text, pm)
    if "\\t" in problem or "tab" in problem or ch == "\t":
        return "a tab character is used for indentation; indent with spaces", at
    if "quoted scalar" in context and cm is not None:
        return ("this quoted value is never closed; add the matching closing quote at the end of "
                f"the value (the parser reached line {at[0]} without finding it)"), _pos(cm)
    if "flow sequence" in context and cm is not None:
        return ("the list opened with '[' here is not closed; add ']' after the last item "
                f"(the parser reached line {at[0]} without finding it)"), _pos(cm)
    if "flow mapping" in context and cm is not None:
        return ("the mapping opened with '{' here is not closed; add '}' after the last field "
                f"(the parser reached line {at[0]} without finding it)"), _pos(cm)
    if "mapping values are not allowed" in problem:
        return ("a ': ' (colon and space) cannot appear here; if the value is text that contains "
                "': ', put the whole value in quotes, otherwise check this line's indentation"), at
    if "could not find expected ':'" in problem and cm is not None:
        return ("this line is not a 'name: value' line; add the ':' after the name, or check the "
                "indentation"), _pos(cm)
    if "did not find expected key" in problem:
        return (f"this line does not line up with the fields of the mapping that starts at line "
                f"{ctx_line}; check its indentation (and put text that starts with a quote in "
                "quotes as a whole)"), at
    if "expected '-' indicator" in problem:
        return (f"this line does not line up with the list that starts at line {ctx_line}; each "
                "list item starts with '- ' at the same indentation"), at
    if "<document start>" in problem or "<block end>" in problem:
        return ("this line is not indented like the lines above it; fields of one mapping start "
                "in the same column"), at
    if "cannot start any token" in problem and ch:
        return (f"a plain value cannot start with '{ch}'; put the whole value in quotes"), at
    if "tag" in problem:
        return "tags (values starting with '!') are not allowed; write a plain value", at
    msg = f"YAML syntax: {problem}"
    if context:
        msg += f" ({context}"
        if cm is not None and pm is not None and cm.line != pm.line:
            msg += f" at line {ctx_line}"
        msg += ")"
    return msg + "; check the indentation and quoting", at


def _show_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


class _Builder:
    """One document being built from the parser's events, with the position of every value, and
    every structural problem reported (the event loop stops at the first)."""

    def __init__(self, rel: str, problems: Problems, max_depth: int):
        self.doc = Document(None)
        self.rel, self.problems, self.max_depth = rel, problems, max_depth
        # containers being built: [container, path, pending key and its position or None]
        self.stack: list[list[Any]] = []
        self.documents = 0
        self.root_set = False

    def refuse(self, message: str, pos: tuple[int, int]) -> bool:
        self.problems.error(self.rel, message, line=pos[0], column=pos[1])
        return True

    def add_value(self, value: Any, pos: tuple[int, int]) -> PathKey | None:
        doc, stack = self.doc, self.stack
        if not stack:
            doc.data = value
            self.root_set = True
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
            self.problems.error(self.rel, f"key '{key}' is given twice in this mapping (lines "
                                f"{first} and {key_pos[0]}); keep only one", line=key_pos[0],
                                column=key_pos[1], field=format_path(p))
            return None
        container[key] = value
        doc.key_positions[p] = key_pos
        doc.positions[p] = pos
        return p

    def event(self, ev: Any) -> bool:
        """Take one event; True when the document cannot be read further."""
        cls = type(ev)
        if cls in _END_EVENTS:  # the most common events after scalars: nothing to check
            self.stack.pop()
            return False
        mark = ev.start_mark
        pos = (mark.line + 1, mark.column + 1)
        if cls not in _NODE_EVENTS:  # stream, document and alias events
            return self._other(ev, pos)
        anchor = getattr(ev, "anchor", None)
        if anchor is not None:
            return self.refuse(f"anchor '&{anchor}' is not allowed (anchors and aliases can hide "
                               "or multiply values); write each value out in full", pos)
        tag = getattr(ev, "tag", None)
        if tag is not None:
            return self.refuse(f"tag '{_show_tag(tag)}' is not allowed (tags can run code or "
                               "read other files); write a plain value without it", pos)
        is_key = bool(self.stack) and isinstance(self.stack[-1][0], dict) and \
            self.stack[-1][2] is None
        if isinstance(ev, yaml.ScalarEvent):
            return self._scalar(ev, pos, is_key)
        if is_key:
            return self.refuse("a mapping or list cannot be used as a field name; field names "
                               "are plain words such as 'name'", pos)
        if len(self.stack) >= self.max_depth:
            return self.refuse(f"lists and mappings are nested more than {self.max_depth} "
                               "levels deep, deeper than any data file needs; check the "
                               "indentation and brackets", pos)
        container: Any = {} if isinstance(ev, yaml.MappingStartEvent) else []
        p = self.add_value(container, pos)
        if p is None:  # duplicate key: keep parsing into a throwaway container
            p = ("<duplicate>",)
        self.stack.append([container, p, None])
        return False

    def _other(self, ev: Any, pos: tuple[int, int]) -> bool:
        if isinstance(ev, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                return self.refuse("the file holds more than one YAML document ('---'); keep one "
                                   "record per file", pos)
            return False
        if isinstance(ev, yaml.AliasEvent):
            return self.refuse(f"alias '*{ev.anchor}' is not allowed (anchors and aliases can "
                               "hide or multiply values); write the value out in full", pos)
        return False  # stream start and end, document end

    def _scalar(self, ev: Any, pos: tuple[int, int], is_key: bool) -> bool:
        bad = _ESCAPED_FORBIDDEN.search(ev.value) if ev.style == '"' else None
        if bad:
            return self.refuse(f"invisible or control character {describe_char(bad.group())}, "
                               "written as an escape sequence, is not allowed; delete it", pos)
        if is_key:
            key = ev.value
            if ev.implicit[0] and key == "<<":
                return self.refuse("merge keys ('<<') are not allowed; write the fields out in "
                                   "full", pos)
            self.stack[-1][2] = (key, pos)
            return False
        plain = ev.implicit[0] and ev.style in (None, "")
        self.add_value(resolve_plain(ev.value) if plain else ev.value, pos)
        return False


def parse_yaml(text: str, rel: str, problems: Problems, *, max_depth: int = MAX_DEPTH
               ) -> Document | None:
    """Parse one YAML document strictly; report every structural problem found."""
    before = len(problems.items)
    builder = _Builder(rel, problems, max_depth)
    try:
        loader = _Loader(text)
        try:
            while loader.check_event():
                if builder.event(loader.get_event()):
                    break
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        msg, (line, col) = _yaml_message(exc, text)
        problems.error(rel, msg, line=line, column=col)
    except yaml.YAMLError as exc:  # e.g. reader errors without marks
        problems.error(rel, f"YAML syntax: {exc}")
    if len(problems.items) > before:
        return None
    doc = builder.doc
    if not builder.root_set:
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
