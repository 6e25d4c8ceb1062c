"""Properties of the check over arbitrary input (hypothesis), and the documented limits.

Whatever a contributor's file holds (arbitrary bytes, text that looks like YAML, any Unicode in any
text field), ``python -m generator check`` returns 0 or 1, never raises, never hangs, and prints
only located problem lines (``path[:line[:column]]: ...``) and the count line (or, when all is
well, the count and the "checked in" line). Runs are reproducible (``derandomize``) and modest in
size.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from support import REPO, make_project
from generator import load as load_module
from generator import model as m
from generator import reader
from generator.render import site_src as site_src_module
from generator.cli import main

B = "data/companies/bigcloud.yaml"
C = "data/companies/acme-ai.yaml"
S2 = "data/sources/daily-2023.yaml"
T = "data/tables/chips.yaml"
G = "data/glossary/post-money-valuation.yaml"
A = "site_src/articles/first.md"

LOCATED = re.compile(r"(?:data|site_src|templates)(?:/[^/:\n]+)*(?::[1-9]\d*(?::[1-9]\d*)?)?: "
                     r"(?:warning: )?\S.*")
COUNT = re.compile(r"no problems found|(?:[1-9]\d* errors?(?: and [1-9]\d* warnings?)?|"
                   r"[1-9]\d* warnings?) in [1-9]\d* files?")
CHECKED = re.compile(r"checked in \d+\.\d\d s; \d+ pages would be built"
                     r"( \(nothing it reads has changed since it was last checked\))?")

SETTINGS = settings(max_examples=150, deadline=2000, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])
HANG_SECONDS = 20  # a hard stop per example, on top of hypothesis's deadline


class Hung(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int):
    def alarm(signum, frame):
        raise Hung(f"the check ran for more than {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def run_check(root: Path) -> tuple[int, list[str]]:
    """The check, in-process; every printed line (stdout, then stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with time_limit(HANG_SECONDS), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        code = main(["--root", str(root), "check"])
    return code, (out.getvalue() + err.getvalue()).splitlines()


def assert_well_formed(code: int, lines: list[str]) -> None:
    assert code in (0, 1), (code, lines)
    assert lines, "the check printed nothing"
    *problems, last = [ln for ln in lines if not CHECKED.fullmatch(ln)]
    for ln in problems:
        assert LOCATED.fullmatch(ln), f"not a located problem line: {ln!r}"
    assert COUNT.fullmatch(last), f"not a count line: {last!r}"
    assert (code == 0) == (last == "no problems found"), lines
    if code == 0:
        assert CHECKED.fullmatch(lines[-1]), lines


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("properties") / "proj")
    code, lines = run_check(root)  # also warms up imports and caches before any deadline
    assert code == 0, lines
    return root


class Restore:
    """Write one file of the scratch project for one example, then put the original back."""

    def __init__(self, root: Path, rel: str):
        self.path = root / rel
        self.original = self.path.read_bytes()

    def __enter__(self):
        return self.path

    def __exit__(self, *exc):
        self.path.write_bytes(self.original)


# ---------------------------------------------------------------------------------------------
# arbitrary bytes


@SETTINGS
@given(raw=st.binary(max_size=2000), target=st.sampled_from([B, S2, T, G, A]))
@example(raw=b"\xef\xbb\xbfid: bigcloud\n", target=B)
@example(raw=b"\xff\xfe\x00\x00", target=B)
@example(raw=b"id: big\x00cloud\n", target=B)
@example(raw=b"[" * 1500, target=T)
@example(raw=b"- " * 900, target=G)
@example(raw=b"a: &a [*a]\n", target=B)
@example(raw=b"---\ntitle: x\n---\n\x85", target=A)
def test_arbitrary_bytes_give_located_problems(scratch: Path, raw: bytes, target: str):
    with Restore(scratch, target) as path:
        path.write_bytes(raw)
        code, lines = run_check(scratch)
    assert_well_formed(code, lines)


# ---------------------------------------------------------------------------------------------
# text that looks like YAML: a grammar of YAML tokens, the model's keys, indentation and quotes

KEYS = sorted({name for cls in (m.Company, m.Event, m.Investor,
                                m.Metric, m.Relationship,
                                m.Source, m.Table, m.Column,
                                m.Row, m.Term)
               for name in cls.model_fields} | {"valuaton", "Name", "<<", "? a", "id "})
SCALARS = ["bigcloud", "BigCloud", "cloud-provider", "ai-lab", "confirmed", "USD 65 billion",
           "about USD 1.5 billion", "30B", "2021-05", "2024-02-30", "2001", "0755", "1:30", "1e3",
           ".inf", "NO", "yes", "true", "false", "null", "~", "", "700", "-0", "3.35",
           "https://acme.example.org/x", "javascript:alert(1)", "<img src=x onerror=alert(1)>",
           "[acme-news-2021]", "[a, b", "{a: b}", "{chip: X1, max_tdp_w: 700}", "'quoted'",
           "'unclosed", '"double"', '"esc \\u202e \\0 \\x07 \\N"', '"unclosed', "|", ">-", "&a",
           "*a", "&a x", "!!python/object/apply:os.system ['id']", "!include x", "!!str 1",
           "# comment", "@x", "`x`", "%", "-", "- x", "? x", ": x", "{{ fig('x') }}", "é",
           "\u202e", "\t", "a: b", "x #y"]
STRUCTURAL = ["---", "...", "%YAML 1.1", "%TAG ! tag:x,2000:", "- ", "-", "? ", ": ", "#", "",
              "[", "]", "{", "}", ","]


@st.composite
def yamlish(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 30))):
        indent = draw(st.sampled_from(["", "  ", "    ", "      ", " ", "\t", "   ", "  - ",
                                       "- ", "    - "]))
        kind = draw(st.integers(0, 9))
        if kind <= 5:
            key = draw(st.sampled_from(KEYS))
            sep = draw(st.sampled_from([": ", ":", " : ", ":  "]))
            value = draw(st.sampled_from(SCALARS) | st.text(max_size=12))
            line = f"{indent}{key}{sep}{value}"
        elif kind <= 7:
            line = indent + draw(st.sampled_from(SCALARS))
        else:
            line = indent + draw(st.sampled_from(STRUCTURAL))
        lines.append(line)
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return ending.join(lines) + draw(st.sampled_from(["", ending]))


@SETTINGS
@given(text=yamlish(), target=st.sampled_from([B, C, S2, T, G]))
@example(text="id: bigcloud\nname: \"Big\\0Cloud\"\nkind: cloud-provider\nsummary: x\n", target=B)
@example(text="id: bigcloud\n\"na\\nme\": x\n", target=B)
@example(text="id: bigcloud\nname: x\nkind: cloud-provider\nsummary: x\n? |\n  a\n  b\n: c\n",
         target=B)
def test_yaml_like_text_gives_a_dataset_or_located_problems(scratch: Path, text: str,
                                                           target: str):
    with Restore(scratch, target) as path:
        path.write_text(text, encoding="utf-8", newline="")
        code, lines = run_check(scratch)
    assert_well_formed(code, lines)


# ---------------------------------------------------------------------------------------------
# any Unicode in the text fields, written in each of YAML's ways of writing text

TEXT_FIELDS = [
    (B, "name: BigCloud", "name"),
    (B, "summary: A fictional cloud provider used by the tests.", "summary"),
    (C, "headquarters: Springfield, US", "headquarters"),
    (C, "    round: Series A", "round"),
    (C, "    note: Reported by one outlet.", "note"),
    (C, "      - name: Angel Fund", "- name"),
    (S2, "publisher: The Daily Example", "publisher"),
    (S2, "title: Acme AI's new round, reported", "title"),
    (S2, "note: Address cited by another document; the page itself was not read.", "note"),
    (T, "title: Two chips compared", "title"),
    (T, "    label: Maximum power", "label"),
    (G, "term: Post-money valuation", "term"),
    (G, "definition: The value of a company implied by a funding round, counting the new money.",
     "definition"),
    (A, "title: A first article", "title"),
    (A, "description: An article that uses data-bound figures.", "description"),
]


def as_yaml(text: str, style: str, indent: str) -> str:
    if style == "plain":
        return text
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return json.dumps(text, ensure_ascii=False)
    if style == "double-escaped":
        return json.dumps(text, ensure_ascii=True)
    pad = indent + "    "
    return "|-\n" + "\n".join(pad + ln for ln in text.split("\n"))  # literal block


@SETTINGS
@given(text=st.text(max_size=300), field=st.sampled_from(TEXT_FIELDS),
       style=st.sampled_from(["plain", "single", "double", "double-escaped", "block"]))
@example(text="Big\x00Cloud", field=TEXT_FIELDS[0], style="double-escaped")
@example(text="Big\u202eCloud", field=TEXT_FIELDS[0], style="double-escaped")
@example(text="Big\uffffCloud", field=TEXT_FIELDS[3], style="double-escaped")
@example(text="a\nb", field=TEXT_FIELDS[5], style="double")
@example(text="</script><script>alert(1)</script>", field=TEXT_FIELDS[13], style="double")
@example(text="x" * 300, field=TEXT_FIELDS[0], style="plain")
def test_any_unicode_in_a_text_field_gives_a_dataset_or_located_problems(
        scratch: Path, text: str, field: tuple[str, str, str], style: str):
    rel, line, key = field
    indent = line[: len(line) - len(line.lstrip())]
    with Restore(scratch, rel) as path:
        original = path.read_text(encoding="utf-8")
        assert original.count(line + "\n") == 1
        path.write_text(original.replace(line + "\n", f"{indent}{key}: "
                                         f"{as_yaml(text, style, indent)}\n"),
                        encoding="utf-8", newline="")
        code, lines = run_check(scratch)
    assert_well_formed(code, lines)


def test_any_unicode_in_an_article_body_gives_located_problems(scratch: Path):
    # most bodies are accepted, and then every page is rendered: fewer examples keep this modest
    @settings(SETTINGS, max_examples=75)
    @given(text=st.text(max_size=400))
    def check_body(text: str):
        with Restore(scratch, A) as path:
            path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n",
                            encoding="utf-8", newline="")
            code, lines = run_check(scratch)
        assert_well_formed(code, lines)

    check_body()


@pytest.mark.parametrize("escape, shown", [
    ("\\0", "U+0000 (control character)"),
    ("\\x07", "U+0007 (control character)"),
    ("\\e", "U+001B (control character)"),
    ("\\N", "U+0085 (control character)"),
    ("\\_", "U+00A0 (no-break space)"),
    ("\\u200b", "U+200B (zero width space)"),
    ("\\u202e", "U+202E (right-to-left override)"),
    ("\\ufeff", "U+FEFF (zero width no-break space)"),
    ("\\uffff", "U+FFFF (noncharacter)"),
], ids=lambda v: v if v.startswith("\\") else None)
def test_characters_written_as_escapes_are_refused_like_the_characters(project: Path, check,
                                                                      escape: str, shown: str):
    """Row 7 through the back door: a double-quoted YAML string makes any character from an
    escape, which the check of the file's raw text never sees (a NUL that reached a chart's SVG
    used to abort the whole build)."""
    p = project / B
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace("name: BigCloud", f'name: "Big{escape}Cloud"'), encoding="utf-8")
    run = check(project)
    if escape == "\\_":  # a no-break space is ordinary text
        assert run.code == 0, run.text
        return
    assert run.lines == [f"{B}:2:7: invisible or control character {shown}, written as an escape "
                         "sequence, is not allowed; delete it", "1 error in 1 file"]


# ---------------------------------------------------------------------------------------------
# the build, where text reaches the chart renderer (native code: a crash there ends the process)

# (private use, line separators and other characters that do not show as themselves are refused
# in names since; see test_numbers_and_text.py)
UNUSUAL = ["\u0378\u0379 unassigned", "\ufdd0 non-character", "\U0001fffe plane 1", "a\u00a0b",
           "x\u0301\u0301\u0301\u0301", "\U0001d54f math", "\ufdfa ligature",
           "\u0e01\u0e34\u0e4a\u0e4a\u0e4a thai", "\u05d0\u05d1\u05d2 abc", "\ufffd replacement",
           "]]>&lt;&amp;&#0;", "t\tab", "\U0001f600 emoji", "a" + "\u0300" * 100]


@pytest.mark.build
def test_unusual_unicode_in_chart_labels_builds(project: Path):
    """Names that reach the charts (companies, investors, rounds), each an unusual piece of
    Unicode that the check accepts: the build succeeds (and does not crash the renderer)."""
    from generator.mkdocs_glue import build_site
    from support import set_text, steps

    assert all(n.strip() == n and len(n) <= 120 for n in UNUSUAL)
    extra = "".join(f"  - id: e{i}\n    date: 2022-0{1 + i % 9}\n    kind: primary-round\n"
                    f"    round: {json.dumps(n, ensure_ascii=False)}\n"
                    f"    amount_raised: USD {i + 1} million\n"
                    f"    valuation: USD {i + 2} billion\n    valuation_basis: post-money\n"
                    "    investors:\n"
                    f"      - name: {json.dumps(n[::-1].strip(), ensure_ascii=False)}\n"
                    "    status: confirmed\n"
                    "    sources: [acme-news-2021]\n" for i, n in enumerate(UNUSUAL))
    steps(set_text(C, "name: Acme AI", "name", UNUSUAL[0]),
          set_text(B, "name: BigCloud", "name", UNUSUAL[-1]))(project)
    p = project / C
    p.write_text(p.read_text(encoding="utf-8").replace("metrics:\n", extra + "metrics:\n"),
                 encoding="utf-8")
    assert build_site(project, Path("site")) == 0


@pytest.mark.build
def test_a_nul_written_as_an_escape_never_reaches_the_chart_renderer(project: Path):
    """A NUL in a company name used to reach vl-convert, whose panic aborted the whole process;
    run in a child process, so that a crash is a failure here and not the end of the test run."""
    import subprocess
    import sys

    p = project / B
    p.write_text(p.read_text(encoding="utf-8").replace("name: BigCloud", 'name: "Big\\0Cloud"'),
                 encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "generator", "--root", str(project), "build"],
                         capture_output=True, text=True, timeout=300, cwd=REPO)
    assert run.returncode == 1, run.stderr
    assert run.stderr.splitlines()[:2] == [
        f"{B}:2:7: invisible or control character U+0000 (control character), written as an "
        "escape sequence, is not allowed; delete it", "1 error in 1 file"]


# ---------------------------------------------------------------------------------------------
# the limits: documented in CONTRIBUTING.md, and enforced


def limits_section() -> str:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "### Limits" in guide, "CONTRIBUTING.md has no Limits section"
    return guide.split("### Limits", 1)[1].split("\n## ", 1)[0]


def test_the_limits_are_documented_with_the_values_the_code_enforces():
    text = limits_section()
    assert f"{reader.MAX_DATA_FILE_BYTES // 1024} KiB" in text
    assert f"{reader.MAX_DATA_FILE_BYTES:,} bytes" in text
    assert f"{site_src_module.MAX_ARTICLE_BYTES // 1024} KiB" in text
    assert f"{reader.MAX_DEPTH} levels" in text
    assert f"{load_module.MAX_FILES_PER_FOLDER:,}" in text
    for n in (64, 120, 300, "2,000"):
        assert f"{n} characters" in text, n


def test_the_article_size_limit_is_enforced(project: Path, check):
    p = project / A
    p.write_text(p.read_text(encoding="utf-8") + "x" * site_src_module.MAX_ARTICLE_BYTES,
                 encoding="utf-8")
    size = p.stat().st_size
    run = check(project)
    assert run.lines == [f"{A}: the file is {size:,} bytes, over the limit of 524,288 bytes "
                         "(512 KiB) for this kind of file; split it or shorten it",
                         "1 error in 1 file"]


def test_the_files_per_folder_limit_is_enforced(project: Path, check, monkeypatch):
    monkeypatch.setattr(load_module, "MAX_FILES_PER_FOLDER", 1)
    run = check(project)
    assert run.code == 1
    assert run.lines[0] == "data/companies: holds 2 entries, over the limit of 1"


def test_the_nesting_limit_is_exact():
    """Twelve levels (a mapping and eleven lists) are read; a thirteenth is refused by the reader
    itself, wherever it is written."""
    from generator.problems import Problems

    depth = reader.MAX_DEPTH
    problems = Problems()
    ok = "a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"
    assert reader.parse_yaml(ok, "x.yaml", problems) is not None, problems.report()
    deep = "a: " + "[" * depth + "]" * depth + "\n"
    assert reader.parse_yaml(deep, "x.yaml", problems) is None
    assert [p.format() for p in problems.items] == [
        f"x.yaml:1:{3 + depth}: lists and mappings are nested more than {depth} levels deep, "
        "deeper than any data file needs; check the indentation and brackets"]
