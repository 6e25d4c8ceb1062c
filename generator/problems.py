"""Located problems: one line each, collected, never a traceback.

Every check in the project reports through :class:`Problems`. A problem names a file (relative to the
project), a line and column where known, a field path where known, what is wrong and what is expected::

    data/companies/acme.yaml:12:5: events[2].post_money_valuation: 'USD 9OO billion' is not an amount,
    expected an amount such as 'USD 965 billion'

Warnings are problems that a strict run (the default for check and build) treats as errors.
Notices inform and never fail a run, strict or not (a record not checked for a while): they are
printed with the problems, and the count line says that they do not fail it.

A formatted problem never holds a raw control, line-break, format or invisible character: they are
written as escapes (:func:`generator.escape.escape_unseen`), in the path, the field and the message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Iterable

from .escape import escape_unseen


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # project-relative, POSIX separators
    line: int = 0  # 1-based; 0 when unknown
    column: int = 0  # 1-based; 0 when unknown
    field: str = ""  # dotted / indexed field path, e.g. events[2].post_money_valuation
    message: str = ""
    warning: bool = False
    notice: bool = False  # informs; never fails a run

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        parts = [where]
        if self.warning:
            parts.append("warning")
        elif self.notice:
            parts.append("notice")
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        # One problem, one line, and nothing a terminal would act on: any part can quote a
        # contributor (a file name such as '\x1b[2J.yaml', a key such as "na\nme"), so every
        # control, line break, format or invisible character is shown as an escape.
        return escape_unseen(": ".join(parts))


@dataclass
class Problems:
    """A collector. Code adds to it and carries on, so that one run reports everything."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path: str | PurePosixPath, message: str, *, line: int = 0, column: int = 0,
              field: str = "") -> None:
        self.items.append(Problem(str(path), line, column, field, message, False))

    def warn(self, path: str | PurePosixPath, message: str, *, line: int = 0, column: int = 0,
             field: str = "") -> None:
        self.items.append(Problem(str(path), line, column, field, message, True))

    def notify(self, path: str | PurePosixPath, message: str, *, line: int = 0, column: int = 0,
               field: str = "") -> None:
        """A notice: printed with the problems, never failing the run."""
        self.items.append(Problem(str(path), line, column, field, message, False, True))

    def extend(self, other: Iterable[Problem]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not (p.warning or p.notice)]

    @property
    def notices(self) -> list[Problem]:
        return [p for p in self.items if p.notice]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.warning]

    def failed(self, strict: bool) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Problem]:
        # Stable order: by file, then position; duplicates (same problem found twice) dropped.
        return sorted(set(self.items))

    def report(self) -> str:
        """All problems, one a line, then a count line."""
        lines = [p.format() for p in self.sorted()]
        lines.append(self.summary())
        return "\n".join(lines)

    def summary(self) -> str:
        probs = self.sorted()
        n_notice = sum(1 for p in probs if p.notice)
        n_warn = sum(1 for p in probs if p.warning)
        n_err = len(probs) - n_warn - n_notice
        files = len({p.path for p in probs})
        if not probs:
            return "no problems found"
        bits = []
        if n_err:
            bits.append(f"{n_err} error{'s' if n_err != 1 else ''}")
        if n_warn:
            bits.append(f"{n_warn} warning{'s' if n_warn != 1 else ''}")
        if n_notice:
            bits.append(f"{n_notice} notice{'s' if n_notice != 1 else ''}")
        counted = (", ".join(bits[:-1]) + " and " + bits[-1]) if len(bits) > 1 else bits[0]
        line = f"{counted} in {files} file{'s' if files != 1 else ''}"
        if n_notice:
            line += ("; notices inform and do not fail the check" if n_err or n_warn else
                     "; no problems found (notices inform and do not fail the check)")
        return line
