"""new-company: a new company file from a commented template (``python -m generator new-company``).

``python -m generator new-company example-labs --name "Example Labs" --kind ai-lab`` writes
``data/companies/example-labs.yaml`` with the required fields filled in from the command line, a
``summary:`` left empty for the contributor to write, and commented examples of every other field.
The empty summary is deliberate: until it is written, ``./ledger check`` reports exactly that one
line, so a placeholder can never be published. With ``--summary "..."`` the file passes the check
as it is.

The first line is a ``yaml-language-server`` modeline, so editors with YAML support (VS Code with
the YAML extension, Neovim, Helix, JetBrains IDEs) check the file against
``schemas/companies.schema.json`` while it is typed.

It refuses an id that is not valid, an existing file, an unknown kind and a name the check would
refuse, and never overwrites anything (the file is opened with exclusive creation).
"""

from __future__ import annotations

import datetime as _dt
import json
import textwrap
import typing
from pathlib import Path

from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from . import model as m
from .suggest import suggest
from .problems import Problems
from .reader import parse_yaml
from .values import Name, Paragraph, parse_slug

KINDS = list(typing.get_args(m.CompanyKind))
EVENT_KINDS = list(typing.get_args(m.EventKind))
BASES = list(typing.get_args(m.ValuationBasis))
ROLES = list(typing.get_args(m.Role))
STATUSES = list(typing.get_args(m.Status))


class ScaffoldError(Exception):
    """Why the file was not created (one line, for the contributor)."""


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar that the project's strict reader reads back as exactly ``text``."""
    problems = Problems()
    doc = parse_yaml(f"v: {text}\n", "-", problems)
    if doc is not None and not problems.items and doc.data == {"v": text}:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _block(key: str, text: str) -> str:
    """A long single-line text as a folded block (``key: >-``), wrapped at 100 columns."""
    plain = _scalar(text)
    if len(key) + 2 + len(plain) <= 100 or plain != text or "  " in text:
        return f"{key}: {plain}"
    lines = textwrap.wrap(text, width=98, break_long_words=False, break_on_hyphens=False)
    return f"{key}: >-\n" + "\n".join("  " + ln for ln in lines)


def _wrapped_comment(text: str, indent: str = "") -> list[str]:
    """A comment wrapped at 100 columns; continuation lines are indented under the text."""
    lines = textwrap.wrap(text, width=98 - len(indent), break_long_words=False,
                          break_on_hyphens=False, subsequent_indent="  ")
    return [f"# {indent}{ln}" for ln in lines]


def _commented(block: str) -> str:
    return "\n".join(("# " + ln) if ln else "#" for ln in block.strip("\n").splitlines())


EXAMPLES = """\
events:
  - id: series-a
    date: 2024-05-14
    kind: primary-round
    round: Series A
    amount_raised: USD 100 million
    valuation: USD 1 billion
    valuation_basis: post-money
    investors:
      - name: Example Ventures
        role: lead
      - company: nvidia
    status: reported
    sources: [publisher-2024-05-14-topic]
    note: Anything a reader should know about this figure.
metrics:
  - date: 2025-06
    kind: run-rate-revenue
    value: about USD 500 million
    status: reported
    sources: [publisher-2025-06-01-topic]
relationships:
  - company: microsoft
    role: cloud-provider
    since: 2024-06
    amount_committed: USD 2 billion
    status: confirmed
    sources: [publisher-2024-06-01-topic]
"""


def render_template(company_id: str, name: str, kind: str, summary: str | None = None,
                    checked: _dt.date = _dt.date(2026, 1, 1)) -> str:
    """The text of a new company file (not written anywhere); ``checked``: its last_checked."""
    lines = [
        "# yaml-language-server: $schema=../../schemas/companies.schema.json",
        *_wrapped_comment(f"The profile of {name}. How to fill it in: CONTRIBUTING.md, "
                          "\"Add a company\"."),
        "# Lines starting with '#' are comments and are ignored. When you are done, run:",
        "#     ./ledger check",
        "",
        "# The file name without .yaml; never change it once the company is published.",
        f"id: {company_id}",
        f"name: {_scalar(name)}",
        *_wrapped_comment(f"One of: {', '.join(KINDS)}."),
        f"kind: {kind}",
        "# The day you last checked that this record is current (YYYY-MM-DD): set it again each",
        "# time you check it. The check notes records not checked for 90 days.",
        f"last_checked: {checked.isoformat()}",
        "",
        "# Optional facts: to use one, remove the '# ' in front of it and replace the example.",
        "# Dates are written YYYY-MM-DD, or YYYY-MM or YYYY when less is known.",
        "# founded: 2021-05",
        "# headquarters: San Francisco, California, US",
        "# website: https://www.example.com",
        "# ticker: 'NASDAQ: EXMP'",
        "",
    ]
    if summary is None:
        lines += [
            "# FILL IN: two or three plain sentences on what the company does and why it appears",
            "# here, written after 'summary: ' on the same line (the check fails until you do).",
            "summary:",
        ]
    else:
        lines += ["# Two or three plain sentences: what the company does, why it appears here.",
                  _block("summary", summary)]
    lines += [
        "",
        "# Funding rounds and other events, metrics (revenue) and relationships with other",
        "# companies go below. Every figure needs a status and at least one source (a file in",
        "# data/sources/). To start, remove the '# ' in front of the example lines you need and",
        "# replace the values.",
        *_wrapped_comment(f"event kinds: {', '.join(EVENT_KINDS)}", "  "),
        *_wrapped_comment(f"statuses: {', '.join(STATUSES)}", "  "),
        *_wrapped_comment("relationship roles (the other company's role towards this one): "
                          f"{', '.join(ROLES)}", "  "),
        "#   money: 'USD 65 billion', 'about USD 86 billion', 'EUR 1.7 billion',",
        "#     'up to USD 25 billion', 'more than USD 800 billion', 'USD 27 billion to 29 billion'",
        *_wrapped_comment(f"valuation bases: {', '.join(BASES)}", "  "),
        "#",
        _commented(EXAMPLES),
        "",
    ]
    return "\n".join(lines)


def new_company(root: Path, company_id: str, name: str, kind: str,
                summary: str | None = None, today: _dt.date | None = None) -> Path:
    """Create ``data/companies/<company_id>.yaml`` under ``root``; returns its path. Its
    last_checked is ``today`` (the clock's day by default: the record is new).

    Raises :class:`ScaffoldError` with a one-line reason when it refuses."""
    try:
        parse_slug(company_id)
    except PydanticCustomError as exc:
        raise ScaffoldError(exc.message()) from None
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind '{kind}'{suggest(kind, KINDS)} (one of: "
                            f"{', '.join(KINDS)})")
    for value, adapter, field in ((name, TypeAdapter(Name), "--name"),
                                  (summary, TypeAdapter(Paragraph), "--summary")):
        if value is None:
            continue
        try:
            adapter.validate_python(value)
        except ValidationError as exc:
            raise ScaffoldError(f"{field}: {exc.errors(include_url=False)[0]['msg']}")
    folder = root / "data" / "companies"
    if not folder.is_dir() or folder.is_symlink():
        raise ScaffoldError(f"{folder} is not a folder; run this in the project folder (the one "
                            "that holds data/)")
    target = folder / f"{company_id}.yaml"
    for other in (target, folder / f"{company_id}.yml", folder / f"{company_id}.YAML"):
        if other.exists() or other.is_symlink():
            raise ScaffoldError(f"data/companies/{other.name} already exists; edit that file "
                                "instead (nothing was changed)")
    checked = today or _dt.date.today()
    text = render_template(company_id, name, kind, summary, checked)
    _check_round_trip(text, company_id, name, kind, summary, checked)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        raise ScaffoldError(f"data/companies/{target.name} already exists; edit that file instead "
                            "(nothing was changed)") from None
    return target


def _check_round_trip(text: str, company_id: str, name: str, kind: str, summary: str | None,
                      checked: _dt.date) -> None:
    """The template must read back as exactly what was asked for (never a surprise in the file)."""
    problems = Problems()
    doc = parse_yaml(text, f"data/companies/{company_id}.yaml", problems)
    want = {"id": company_id, "name": name, "kind": kind, "last_checked": checked.isoformat(),
            "summary": summary}
    if doc is None or problems.items or doc.data != want:  # pragma: no cover - a bug if reached
        raise ScaffoldError("internal error: the new file would not read back as given; please "
                            "report this")
