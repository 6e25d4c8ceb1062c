#!/usr/bin/env python3
"""Data and code kept apart: is a pull request data, code, or both? (Python standard library only.)

An allowlist. A changed path is *data* only when it is a plain file (mode 100644, or absent on one
side: added or deleted) at

- ``data/**/*.yaml``, or
- ``site_src/**/*.md`` outside ``site_src/assets/``,

with no part of the path starting with a dot. Everything else is *code*, whatever its path looks
like: a symbolic link (mode 120000) or a submodule (160000) even under data/, an executable file,
``.venv/``, ``.cache/``, ``site``, ``package.json``, ``package-lock.json``, an ``.html``, ``.js``
or ``.svg`` under site_src/, a stylesheet under site_src/assets/, dotfiles, and any path this
script has never heard of. A data pull request is checked, tested and built by the pull-request
workflow; a code pull request needs a maintainer's review (.github/CODEOWNERS); a pull request that
is both fails here, naming its code files, so that the code is reviewed on its own.

Run by .github/workflows/pr-scope.yml from the base branch's checkout, on the pull request's
commits fetched as git objects (never checked out, never run):

    python3 .github/scripts/pr_scope.py BASE HEAD      # git diff --raw BASE...HEAD, here
    python3 .github/scripts/pr_scope.py --raw FILE     # that diff, with -z, from FILE ('-': stdin)

Writes a one-line count and the verdict to stdout, a ``::error file=...::`` annotation for each
code file of a mixed pull request, and a Markdown report to --summary (default:
$GITHUB_STEP_SUMMARY). Exit status: 0 data only, code only or nothing; 1 data and code; 2 the
change could not be read.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass

DATA = "data"
CODE = "code"
ABSENT = "000000"  # the side of an added or deleted file where it does not exist
PLAIN = "100644"  # a regular, non-executable file; 100755, 120000 (link), 160000 (submodule): code
LISTED = 100  # code files listed in the summary at most (the annotations name every one)


def classify_path(path: str) -> str:
    """DATA or CODE for a path alone (the file's mode is judged by :class:`Change`)."""
    parts = path.split("/")
    if any(not p or p.startswith(".") for p in parts):
        return CODE  # dotfiles and dot-folders anywhere (.github, .venv, .cache, data/.x.yaml)
    if visible(path) != path.replace("\\", "\\\\"):
        return CODE  # a name with characters that do not show (or bytes that are not UTF-8)
    if len(parts) >= 2 and parts[0] == "data" and parts[-1].endswith(".yaml"):
        return DATA
    if len(parts) >= 2 and parts[0] == "site_src" and parts[1] != "assets" and \
            parts[-1].endswith(".md"):
        return DATA
    return CODE


@dataclass(frozen=True)
class Change:
    """One line of ``git diff --raw``: the modes on both sides, the status letter and the path."""

    old_mode: str
    new_mode: str
    status: str
    path: str

    @property
    def kind(self) -> str:
        if not {self.old_mode, self.new_mode} <= {ABSENT, PLAIN}:
            return CODE  # a link, a submodule or an executable, whatever its path
        return classify_path(self.path)


class RawError(ValueError):
    """``git diff --raw -z`` output that is not in its format."""


_META = re.compile(r":(?P<old>[0-7]{6}) (?P<new>[0-7]{6}) [0-9a-f]+ [0-9a-f]+ "
                   r"(?P<status>[A-Z])[0-9]*")


def parse_raw(raw: bytes) -> list[Change]:
    """``git diff --raw -z --no-renames`` output → changes. Paths are bytes in git; any that are
    not UTF-8 keep their bytes as surrogate escapes (and are code: see :func:`classify_path`)."""
    fields = raw.split(b"\0")
    if fields and fields[-1] == b"":
        fields.pop()
    changes = []
    i = 0
    while i < len(fields):
        meta = fields[i].decode("ascii", "replace")
        m = _META.fullmatch(meta)
        if not m or i + 1 >= len(fields):
            raise RawError(f"not a line of git diff --raw -z: {visible(meta)}")
        if m.group("status") in "RC":
            raise RawError("a rename or copy; compare with --no-renames")
        path = fields[i + 1].decode("utf-8", "surrogateescape")
        changes.append(Change(m.group("old"), m.group("new"), m.group("status"), path))
        i += 2
    return changes


def visible(text: str) -> str:
    """``text`` with every character a reader would not see as itself written as an escape:
    control and format characters (bidi, zero-width), separators, surrogates (bytes that were not
    UTF-8), private use and the Hangul fillers."""
    out = []
    for c in text.replace("\\", "\\\\"):
        if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") or \
                c in "\u115f\u1160\u3164\uffa0\u034f":
            n = ord(c)
            out.append(f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000
                       else f"\\U{n:08x}")
        else:
            out.append(c)
    return "".join(out)


def md_code(text: str) -> str:
    """``text`` (made visible) as a Markdown code span, whatever backticks it holds."""
    text = visible(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _command_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(text: str) -> str:
    return _command_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Verdict:
    kind: str  # "data", "code", "mixed" or "empty"
    status: int
    stdout: list[str]
    summary: str


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def judge(changes: list[Change]) -> Verdict:
    """The verdict on one pull request's changes."""
    data = [c.path for c in changes if c.kind == DATA]
    code = sorted(c.path for c in changes if c.kind == CODE)
    count = (f"{_plural(len(changes), 'file', 'files')} changed: "
             f"{_plural(len(data), 'data or article file', 'data or article files')}, "
             f"{_plural(len(code), 'code or configuration file', 'code or configuration files')}.")
    listed = [f"- {md_code(p)}" for p in code[:LISTED]]
    if len(code) > LISTED:
        listed.append(f"- … and {len(code) - LISTED} more")
    if data and code:
        summary = "\n".join([
            "### This pull request changes data and also code or configuration", "",
            "Please split it: one pull request for data and articles (`data/**/*.yaml`, "
            "`site_src/**/*.md` outside `site_src/assets/`), another for these files, which a "
            "maintainer reviews on their own:", "", *listed, ""])
        errors = [f"::error file={_command_property(p)}::"
                  + _command_data(f"a data pull request also changes {visible(p)} (code or "
                                  "configuration); split it into two pull requests")
                  for p in code]
        return Verdict("mixed", 1, [count, "This pull request mixes data and code.", *errors],
                       summary)
    if code:
        summary = "\n".join([
            "### A code pull request", "",
            f"It changes code or configuration ({_plural(len(code), 'file', 'files')}), "
            "so it needs a maintainer's review:", "", *listed, ""])
        return Verdict("code", 0, [count, "A code pull request: it needs a maintainer's review."],
                       summary)
    if data:
        summary = "\n".join([
            "### A data pull request", "",
            f"It changes only data and articles ({_plural(len(data), 'file', 'files')} under "
            "`data/**/*.yaml` and `site_src/**/*.md`); the check, the tests and the build decide.",
            ""])
        return Verdict("data", 0, [count, "A data pull request: only data and articles."],
                       summary)
    return Verdict("empty", 0, [count, "This pull request changes no file."],
                   "### This pull request changes no file\n")


def git_raw(base: str, head: str) -> bytes:
    """The changes of ``head`` since it left ``base`` (three dots: from their merge base), as
    ``git diff --raw -z``; reads trees only: nothing is checked out, no file content is read."""
    return subprocess.run(
        ["git", "diff", "--raw", "-z", "--no-renames", "--no-ext-diff", "--no-textconv",
         "--ignore-submodules=none", f"{base}...{head}", "--"],
        check=True, capture_output=True).stdout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("base", nargs="?", help="the base branch's commit (HEAD in the workflow)")
    ap.add_argument("head", nargs="?", help="the pull request's head commit")
    ap.add_argument("--raw", help="read `git diff --raw -z --no-renames` output from this file "
                    "('-': stdin) instead of running git")
    ap.add_argument("--summary", default=os.environ.get("GITHUB_STEP_SUMMARY"),
                    help="append the Markdown report to this file (default: $GITHUB_STEP_SUMMARY)")
    args = ap.parse_args(argv)
    try:
        if args.raw is not None:
            if args.raw == "-":
                raw = sys.stdin.buffer.read()
            else:
                with open(args.raw, "rb") as f:
                    raw = f.read()
        elif args.base and args.head:
            raw = git_raw(args.base, args.head)
        else:
            ap.error("give BASE and HEAD, or --raw FILE")
        changes = parse_raw(raw)
    except subprocess.CalledProcessError as exc:
        why = visible(exc.stderr.decode("utf-8", "replace").strip().replace("\n", " / "))
        print(f"::error::could not compare the pull request with its base: {_command_data(why)}")
        return 2
    except (OSError, RawError) as exc:
        print(f"::error::could not read the changes: {_command_data(visible(str(exc)))}")
        return 2
    verdict = judge(changes)
    for line in verdict.stdout:
        print(line)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as f:
            f.write(verdict.summary)
    return verdict.status


if __name__ == "__main__":
    sys.exit(main())
