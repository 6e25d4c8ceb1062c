"""Numbers beyond their documented ranges, text that does not show as itself, file names outside
the one documented form, and what a report prints: input → the exact report.

Each table case copies the mini project, changes one thing, runs the check in-process and compares
every line of the report (as tests/test_bad_inputs.py does, whose helpers it uses). Below the
tables: the reader never raises on a scalar (hypothesis), article arithmetic stays in range, and
no line of a report, of ``check --explain`` or of the data-diff holds a raw control, format or
invisible character, whatever the file names, keys and values.
"""

from __future__ import annotations

import os
import re
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from support import REPO, run_cli
from generator import escape, reader, values
from generator.problems import Problem, Problems
from generator.render.api import Api, Figure
from generator.types import RenderError
from generator.values import Money
from support import A, B, C, MONEY_EX, S2, T, Case, case, rename, replace, steps, write

G = "data/glossary/post-money-valuation.yaml"
RANGE = "from 0 to 1,000,000,000,000,000 (10^15)"
NAME_RULE = ("names and titles may not contain invisible, format, separator or private-use "
             "characters, so delete it")
PARAGRAPH_RULE = ("a paragraph may not contain line or paragraph separators, private-use "
                  "characters or invisible format characters, so delete it")
FILE_RULE = ("file names use lower-case ASCII letters a-z, digits and single hyphens, then the "
             "extension, such as 'series-h.yaml'")
TOO_BIG = ("is more than USD 20 trillion, larger than any company or deal; check the scale word "
           "(a thousand times too big is a common slip)")

FIVE_THOUSAND = "9" * 5000


def money(text: str) -> str:
    """acme-ai's first amount_raised, rewritten."""
    return replace(C, "amount_raised: USD 100 million", f"amount_raised: {text}")


def tdp(text: str):
    return replace(T, "max_tdp_w: 700", f"max_tdp_w: {text}")


def bandwidth(text: str):
    return replace(T, "bandwidth_tb_per_s: 3.35", f"bandwidth_tb_per_s: {text}")


def year_column(value: str):
    """chips.yaml with a year column, and a value for it in the first row."""
    return steps(replace(T, "rows:\n", "  - id: launched\n    label: Launched\n    type: year\n"
                                       "    required: false\nrows:\n"),
                 replace(T, "max_tdp_w: 700,", f"max_tdp_w: 700, launched: {value},"))


# ---------------------------------------------------------------------------------------------
# 1. numbers

NUMBER_CASES = [
    case("money-28-digits-with-scale", money("USD 1234567890123456789012345678 billion"),
         f"{C}:13:20: events[0].amount_raised: 'USD 1234567890123456789012345678 billion' "
         f"{TOO_BIG}"),
    case("money-28-digits", money("USD 1234567890123456789012345678"),
         f"{C}:13:20: events[0].amount_raised: 'USD 1234567890123456789012345678' {TOO_BIG}"),
    case("money-5000-digits", money(f"USD {FIVE_THOUSAND} trillion"),
         f"{C}:13:20: events[0].amount_raised: 'USD {'9' * 51}…' (5,013 characters) {TOO_BIG}"),
    case("money-just-over-the-cap", money("USD 20000000000000.01"),
         f"{C}:13:20: events[0].amount_raised: 'USD 20000000000000.01' {TOO_BIG}"),
    case("money-fraction-of-a-cent-far-out", money("USD 1.0000000000000000000000000000001"),
         f"{C}:13:20: events[0].amount_raised: 'USD 1.0000000000000000000000000000001' has "
         "fractions of a cent; round it to whole cents"),
    case("money-fraction-of-a-cent", money("USD 0.001"),
         f"{C}:13:20: events[0].amount_raised: 'USD 0.001' has fractions of a cent; round it to "
         "whole cents"),
    case("money-many-zeros-is-zero", money("USD " + "0" * 3000),
         f"{C}:13:20: events[0].amount_raised: 'USD {'0' * 51}…' (3,004 characters) is zero; an "
         "amount must be greater than zero (leave the field out when the amount is not known)"),
    case("money-exponent-far-out", money("USD 1e400"),
         f"{C}:13:20: events[0].amount_raised: 'USD 1e400' is not in the money notation (no "
         f"exponents such as 1e9; use a scale word such as 'billion'); {MONEY_EX}"),
    case("integer-5000-digits", tdp(FIVE_THOUSAND),
         f"{T}:24:35: rows[0].values.max_tdp_w: 999999999999… (5,000 digits) is out of range; "
         f"expected a whole number of W {RANGE}"),
    case("integer-19-digits", tdp("1000000000000000000"),
         f"{T}:24:35: rows[0].values.max_tdp_w: 1000000000000000000 is out of range; expected a "
         f"whole number of W {RANGE}"),
    case("integer-just-over", tdp("1000000000000001"),
         f"{T}:24:35: rows[0].values.max_tdp_w: 1000000000000001 is out of range; expected a "
         f"whole number of W {RANGE}"),
    case("integer-negative", tdp("-5"),
         f"{T}:24:35: rows[0].values.max_tdp_w: -5 is out of range; expected a whole number of W "
         f"{RANGE}"),
    case("integer-negative-5000-digits", tdp("-" + FIVE_THOUSAND),
         f"{T}:24:35: rows[0].values.max_tdp_w: -99999999999… (5,000 digits) is out of range; "
         f"expected a whole number of W {RANGE}"),
    case("integer-quoted-long-digits", tdp(f"'{FIVE_THOUSAND}'"),
         f"{T}:24:35: rows[0].values.max_tdp_w: 999999999999… (5,000 digits) is out of range; "
         f"expected a whole number of W {RANGE}"),
    case("decimal-10^400", bandwidth("1" + "0" * 400),
         f"{T}:24:60: rows[0].values.bandwidth_tb_per_s: 100000000000… (401 digits) is out of "
         f"range; expected a number {RANGE}"),
    case("decimal-10^400-with-a-point", bandwidth("1" + "0" * 400 + ".5"),
         f"{T}:24:60: rows[0].values.bandwidth_tb_per_s: 100000000000… (402 digits) is out of "
         f"range; expected a number {RANGE}"),
    case("decimal-just-over", bandwidth("1000000000000000.000001"),
         f"{T}:24:60: rows[0].values.bandwidth_tb_per_s: 1000000000000000.000001 is out of range; "
         f"expected a number {RANGE}"),
    case("decimal-negative", bandwidth("-0.5"),
         f"{T}:24:60: rows[0].values.bandwidth_tb_per_s: -0.5 is out of range; expected a number "
         f"{RANGE}"),
    case("decimal-seven-places", bandwidth("3.3500001"),
         f"{T}:24:60: rows[0].values.bandwidth_tb_per_s: 3.3500001 has 7 digits after the decimal "
         "point; a number in a table has at most 6, so round it"),
    case("decimal-5000-places", bandwidth("0." + "3" * 5000),
         f"{T}:24:60: rows[0].values.bandwidth_tb_per_s: 0.3333333333… (5,001 digits) has 5,000 "
         "digits after the decimal point; a number in a table has at most 6, so round it"),
    case("year-5000-digits", year_column(FIVE_THOUSAND),
         f"{T}:28:50: rows[0].values.launched: expected a year from 1800 to 2200, such as 2019, "
         f"got '{'9' * 56}...'"),
    case("year-out-of-range", year_column("1799"),
         f"{T}:28:50: rows[0].values.launched: expected a year from 1800 to 2200, such as 2019, "
         "got 1799"),
    case("date-5000-digits", replace(B, "founded: 2001", f"founded: {FIVE_THOUSAND}"),
         f"{B}:4:10: founded: '{'9' * 55}…' (5,000 characters) is not a date in the expected format; expected a date written "
         "YYYY-MM-DD (or YYYY-MM, or YYYY, when the day or month is not known)"),
    case("name-5000-digits", replace(B, "name: BigCloud", f"name: {FIVE_THOUSAND}"),
         f"{B}:2:7: name: is 5000 characters long, over the limit of 120; shorten it"),
    case("id-5000-digits", replace(C, "  - id: series-b", f"  - id: {FIVE_THOUSAND}"),
         f"{C}:22:9: events[1].id: '{'9' * 55}…' (5,000 characters) is 5000 characters long; an "
         "id has at most 64"),
    case("sources-5000-digits", replace(C, "sources: [acme-news-2021]\n  - id: series-b",
                                        f"sources: {FIVE_THOUSAND}\n  - id: series-b"),
         f"{C}:21:14: events[0].sources: expected a list (one '- item' per line), got "
         f"'{'9' * 56}...'"),
]


# ---------------------------------------------------------------------------------------------
# 2. text

def name_case(label: str, char: str, description: str) -> Case:
    shown = escape.shown(f"Big{char}Cloud")
    return case(f"name-{label}", replace(B, "name: BigCloud", f'name: "Big{char}Cloud"'),
                f"{B}:2:7: name: {shown} contains {description} at character 4; {NAME_RULE}")


TEXT_CASES = [
    name_case("hangul-filler", "\u3164", "U+3164 (hangul filler)"),
    name_case("hangul-choseong-filler", "\u115f", "U+115F (hangul choseong filler)"),
    name_case("hangul-jungseong-filler", "\u1160", "U+1160 (hangul jungseong filler)"),
    name_case("halfwidth-hangul-filler", "\uffa0", "U+FFA0 (halfwidth hangul filler)"),
    name_case("tag-letter", "\U000e0041", "U+E0041 (tag latin capital letter a)"),
    name_case("language-tag", "\U000e0001", "U+E0001 (language tag)"),
    name_case("tag-block-unassigned", "\U000e0002", "U+E0002 (unassigned character)"),
    name_case("line-separator", "\u2028", "U+2028 (line separator)"),
    name_case("paragraph-separator", "\u2029", "U+2029 (paragraph separator)"),
    name_case("combining-grapheme-joiner", "\u034f", "U+034F (combining grapheme joiner)"),
    name_case("private-use", "\ue000", "U+E000 (private-use character)"),
    name_case("private-use-plane-16", "\U0010fffd", "U+10FFFD (private-use character)"),
    name_case("arabic-letter-mark", "\u061c", "U+061C (arabic letter mark)"),
    name_case("mongolian-vowel-separator", "\u180e", "U+180E (mongolian vowel separator)"),
    name_case("deprecated-format", "\u206a", "U+206A (inhibit symmetric swapping)"),
    name_case("arabic-number-sign", "\u0600", "U+0600 (arabic number sign)"),
    case("round-name", replace(C, "    round: Series A", '    round: "Series\\u3164A"'),
         f"{C}:12:12: events[0].round: 'Series\\u3164A' contains U+3164 (hangul filler) at "
         f"character 7; {NAME_RULE}"),
    case("investor-name", replace(C, "      - name: Angel Fund", '      - name: "Angel\\u2028Fund"'),
         f"{C}:19:15: events[0].investors[1].name: 'Angel\\u2028Fund' contains U+2028 (line "
         f"separator) at character 6; {NAME_RULE}"),
    case("source-title", replace(S2, "title: Acme AI's new round, reported",
                                 'title: "Acme AI\\U000E0020 round"'),
         f"{S2}:3:8: title: 'Acme AI\\U000e0020 round' contains U+E0020 (tag space) at character "
         f"8; {NAME_RULE}"),
    case("table-text-cell", replace(T, "chip: X1,", 'chip: "X\\u31641",'),
         f"{T}:24:20: rows[0].values.chip: 'X\\u31641' contains U+3164 (hangul filler) at "
         f"character 2; {NAME_RULE}"),
    case("table-column-label", replace(T, "    label: Maximum power", '    label: "Max\\u115fpower"'),
         f"{T}:9:12: columns[1].label: 'Max\\u115fpower' contains U+115F (hangul choseong filler) "
         f"at character 4; {NAME_RULE}"),
    case("glossary-term", replace(G, "term: Post-money valuation",
                                  'term: "Post-money\\u2029valuation"'),
         f"{G}:2:7: term: 'Post-money\\u2029valuation' contains U+2029 (paragraph separator) at "
         f"character 11; {NAME_RULE}"),
    case("article-title", replace(A, "title: A first article", 'title: "A first\\u3164article"'),
         f"{A}:2:8: title: 'A first\\u3164article' contains U+3164 (hangul filler) at character 8; "
         f"{NAME_RULE}"),
    case("summary-line-separator",
         replace(B, "summary: A fictional cloud provider used by the tests.",
                 'summary: "A fictional\\u2028cloud provider."'),
         f"{B}:5:10: summary: the text contains U+2028 (line separator) at character 12; "
         f"{PARAGRAPH_RULE}"),
    case("note-private-use", replace(C, "    note: Reported by one outlet.",
                                     '    note: "Reported by one \\ue000 outlet."'),
         f"{C}:32:11: events[1].note: the text contains U+E000 (private-use character) at "
         f"character 17; {PARAGRAPH_RULE}"),
    case("source-note-tag", replace(S2, "note: Address cited by another document;",
                                    "note: Address cited\U000E0041 by another document;"),
         f"{S2}:8:7: note: the text contains U+E0041 (tag latin capital letter a) at character 14; "
         f"{PARAGRAPH_RULE}"),
    case("definition-paragraph-separator",
         replace(G, "definition: The value of a company implied by a funding round, counting the "
                 "new money.", 'definition: "The\\u2029value of a company."'),
         f"{G}:3:13: definition: the text contains U+2029 (paragraph separator) at character 4; "
         f"{PARAGRAPH_RULE}"),
    case("article-description-format-char",
         replace(A, "description: An article that uses data-bound figures.",
                 'description: "An article\\u206a that uses data-bound figures."'),
         f"{A}:3:14: description: the text contains U+206A (inhibit symmetric swapping) at "
         f"character 11; {PARAGRAPH_RULE}"),
]

# Text in other scripts, and the few format characters prose needs, are accepted.
ACCEPTED_TEXT = [
    ("name-hebrew", B, "name: BigCloud", 'name: "\u05d1\u05d9\u05d2 \u05e7\u05dc\u05d0\u05d5\u05d3"'),
    ("name-arabic", B, "name: BigCloud", 'name: "\u0634\u0631\u0643\u0629 \u0627\u0644\u0633\u062d\u0627\u0628"'),
    ("name-korean", B, "name: BigCloud", 'name: "\ube45\ud074\ub77c\uc6b0\ub4dc"'),
    ("name-thai", B, "name: BigCloud", 'name: "\u0e1a\u0e34\u0e4a\u0e01\u0e04\u0e25\u0e32\u0e27\u0e14\u0e4c"'),
    ("name-emoji", B, "name: BigCloud", 'name: "BigCloud \u2601\ufe0f"'),
    ("name-no-break-space", B, "name: BigCloud", 'name: "Big\u00a0Cloud"'),
    ("name-combining-accent", B, "name: BigCloud", 'name: "Bigcloude\u0301"'),
    ("summary-arabic-number-sign", B, "summary: A fictional cloud provider used by the tests.",
     'summary: "Founded in \u0600\u0661\u0669\u0669\u0660 in Riyadh."'),
    ("summary-hangul-filler", B, "summary: A fictional cloud provider used by the tests.",
     'summary: "Old Korean \u1100\u1160 text."'),
    ("summary-hebrew-cgj", B, "summary: A fictional cloud provider used by the tests.",
     'summary: "\u05d9\u05b0\u05e8\u05d5\u05bc\u05e9\u05c1\u05b8\u05dc\u05b7\u034f\u05b4\u05dd."'),
    ("summary-tab", B, "summary: A fictional cloud provider used by the tests.",
     'summary: "A fictional\\tcloud provider."'),
]


# ---------------------------------------------------------------------------------------------
# 3. data file names

def named(name: str):
    """bigcloud.yaml renamed to ``name`` (in its folder)."""
    return rename(B, f"data/companies/{name}")


FILE_CASES = [
    case("file-capital", named("BigCloud.yaml"),
         f"data/companies/BigCloud.yaml: the file name 'BigCloud.yaml' is not allowed; {FILE_RULE}"
         "; rename it to data/companies/bigcloud.yaml, after the id it holds"),
    case("file-underscore", named("big_cloud.yaml"),
         f"data/companies/big_cloud.yaml: the file name 'big_cloud.yaml' is not allowed; "
         f"{FILE_RULE}; rename it to data/companies/bigcloud.yaml, after the id it holds"),
    case("file-space", named("big cloud.yaml"),
         f"data/companies/big cloud.yaml: the file name 'big cloud.yaml' is not allowed; "
         f"{FILE_RULE}; rename it to data/companies/bigcloud.yaml, after the id it holds"),
    case("file-double-hyphen", named("big--cloud.yaml"),
         f"data/companies/big--cloud.yaml: the file name 'big--cloud.yaml' is not allowed; "
         f"{FILE_RULE}; rename it to data/companies/bigcloud.yaml, after the id it holds"),
    case("file-leading-hyphen", named("-bigcloud.yaml"),
         f"data/companies/-bigcloud.yaml: the file name '-bigcloud.yaml' is not allowed; "
         f"{FILE_RULE}; rename it to data/companies/bigcloud.yaml, after the id it holds"),
    case("file-two-extensions", named("bigcloud.yaml.yaml"),
         f"data/companies/bigcloud.yaml.yaml: the file name 'bigcloud.yaml.yaml' is not allowed; "
         f"{FILE_RULE}; rename it to data/companies/bigcloud.yaml, after the id it holds"),
    case("file-accented", named("bigcl\u00f6ud.yaml"),
         f"data/companies/bigcl\u00f6ud.yaml: the file name 'bigcl\u00f6ud.yaml' is not allowed; "
         f"{FILE_RULE}; rename it to data/companies/bigcloud.yaml, after the id it holds"),
    case("file-cyrillic-look-alike", named("bigcl\u043eud.yaml"),
         f"data/companies/bigcl\u043eud.yaml: the file name 'bigcl\u043eud.yaml' is not allowed; "
         f"{FILE_RULE}; rename it to data/companies/bigcloud.yaml, after the id it holds"),
    case("file-bidi-override", named("bigcloud\u202egnp.yaml"),
         "data/companies/bigcloud\\u202egnp.yaml: the file name 'bigcloud\\u202egnp.yaml' is not "
         f"allowed; {FILE_RULE}; rename it to data/companies/bigcloud.yaml, after the id it holds"),
    case("file-escape-sequence", named("\x1b[2J.yaml"),
         "data/companies/\\x1b[2J.yaml: the file name '\\x1b[2J.yaml' is not allowed; "
         f"{FILE_RULE}; rename it to data/companies/bigcloud.yaml, after the id it holds"),
    case("file-hangul-filler", named("bigcloud\u3164.yaml"),
         "data/companies/bigcloud\\u3164.yaml: the file name 'bigcloud\\u3164.yaml' is not "
         f"allowed; {FILE_RULE}; rename it to data/companies/bigcloud.yaml, after the id it holds"),
    case("file-65-characters", named("b" * 65 + ".yaml"),
         f"data/companies/{'b' * 65}.yaml: the file name '{'b' * 65}.yaml' is not allowed; "
         f"{FILE_RULE}; rename it to data/companies/bigcloud.yaml, after the id it holds"),
    case("file-bad-name-bad-id", steps(named("BigCloud.yaml"),
                                       replace("data/companies/BigCloud.yaml", "id: bigcloud",
                                               "id: Big_Cloud")),
         f"data/companies/BigCloud.yaml: the file name 'BigCloud.yaml' is not allowed; "
         f"{FILE_RULE}",
         f"{C}:17:18: events[0].investors[0].company: unknown company 'bigcloud': there is no "
         "file data/companies/bigcloud.yaml",
         f"{C}:40:14: relationships[0].company: unknown company 'bigcloud': there is no file "
         "data/companies/bigcloud.yaml", count="3 errors in 2 files"),
    case("file-yml-keeps-its-message", named("bigcloud.yml"),
         "data/companies/bigcloud.yml: data files must end in '.yaml' (lower case, not '.yml'); "
         "rename it to data/companies/bigcloud.yaml"),
    case("file-yml-with-a-bad-name", named("BigCloud.YML"),
         f"data/companies/BigCloud.YML: the file name 'BigCloud.YML' is not allowed; {FILE_RULE}"),
    case("file-yml-with-an-escape", named("\x1b]0;pwned\x07.yml"),
         "data/companies/\\x1b]0;pwned\\x07.yml: the file name '\\x1b]0;pwned\\x07.yml' is not "
         f"allowed; {FILE_RULE}"),
    case("folder-with-an-escape", write("data/companies/\x1b[31mred/x.yaml", "id: x\n"),
         "data/companies/\\x1b[31mred: folders are not read here; put company files directly in "
         "data/companies/ as NAME.yaml"),
    case("other-file-with-an-escape", write("data/companies/\x1b[31m.txt", "x\n"),
         "data/companies/\\x1b[31m.txt: unexpected file; company files are YAML files named "
         "NAME.yaml in data/companies/ (other files do not belong in data/)"),
]


def test_case_ids_are_unique():
    ids = [c.id for c in NUMBER_CASES + TEXT_CASES + FILE_CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", NUMBER_CASES + TEXT_CASES + FILE_CASES, ids=lambda c: c.id)
def test_input_is_reported_exactly(case: Case, project: Path, check):
    case.mutate(project)
    run = check(project, *case.args)
    assert run.code == 1
    assert run.out == ""
    assert run.lines == [*case.expected, case.count]


@pytest.mark.parametrize("label, rel, old, new", ACCEPTED_TEXT, ids=[a[0] for a in ACCEPTED_TEXT])
def test_text_in_other_scripts_is_accepted(project: Path, check, label, rel, old, new):
    replace(rel, old, new)(project)
    run = check(project)
    assert run.code == 0, run.text
    assert run.lines[0] == "no problems found"


@pytest.mark.parametrize("rel, old, new", [
    (C, "amount_raised: USD 100 million", "amount_raised: USD 0.1000000000000000000000 billion"),
    (C, "amount_raised: USD 100 million", "amount_raised: USD 00000000000000000000000000100 million"),
    (T, "max_tdp_w: 700", "max_tdp_w: 1000000000000000"),
    (T, "bandwidth_tb_per_s: 3.35", "bandwidth_tb_per_s: 1000000000000000.000000"),
    (T, "bandwidth_tb_per_s: 3.35", "bandwidth_tb_per_s: 0.000001"),
    (T, "bandwidth_tb_per_s: 3.35", "bandwidth_tb_per_s: 0"),
], ids=["money-trailing-zeros", "money-leading-zeros", "integer-at-the-limit",
        "decimal-at-the-limit", "decimal-smallest-step", "decimal-zero"])
def test_numbers_at_the_edges_of_their_ranges_are_accepted(project: Path, check, rel, old, new):
    replace(rel, old, new)(project)
    run = check(project)
    assert run.code == 0, run.text


def test_a_build_with_10_to_the_400_stops_at_the_check_naming_the_cell(project: Path, capsys):
    """It used to pass the check and fail in a chart, blamed on other files."""
    bandwidth("1" + "0" * 400)(project)
    run = run_cli(capsys, project, "build")
    assert run.code == 1
    assert run.lines == [
        f"{T}:24:60: rows[0].values.bandwidth_tb_per_s: 100000000000… (401 digits) is out of "
        f"range; expected a number {RANGE}", "1 error in 1 file",
        "build stopped; site/ was left as it was"]
    assert not (project / "site").exists()


@pytest.mark.parametrize("text, amount", [
    ("USD 20 trillion", Decimal("20000000000000")),
    ("USD 19999999999999.99", Decimal("19999999999999.99")),
    ("KRW 30000 trillion", Decimal("30000000000000000")),
    ("USD 1.50000000000000000000000000 billion", Decimal("1500000000")),
    ("USD 0.01", Decimal("0.01")),
    ("USD 0.00001 billion", Decimal("10000")),
    ("USD 1.23456789012 thousand", None),
], ids=lambda v: v if isinstance(v, str) else None)
def test_money_edges(text: str, amount: Decimal | None):
    from pydantic_core import PydanticCustomError

    if amount is None:
        with pytest.raises(PydanticCustomError) as info:
            values.parse_money(text)
        assert info.value.message() == (f"{text!r} has fractions of a cent; round it to whole "
                                        "cents")
        return
    assert values.parse_money(text).amount == amount


# ---------------------------------------------------------------------------------------------
# the reader never raises on a scalar


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=st.text(min_size=0, max_size=40) | st.from_regex(r"-?[0-9]{1,6000}", fullmatch=True))
@example(text=FIVE_THOUSAND)
@example(text="-" + FIVE_THOUSAND)
@example(text="1" * 4301)
@example(text="0" * 5000)
@example(text="1e" + FIVE_THOUSAND)
def test_the_reader_never_raises_on_a_scalar(text: str):
    for written in (text, repr(text), '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'):
        problems = Problems()
        doc = reader.parse_yaml(f"v: {written}\n", "x.yaml", problems)  # never raises
        assert doc is not None or problems.items


@pytest.mark.parametrize("digits, kind", [(1, int), (18, int), (19, str), (4301, str),
                                          (50_000, str)])
def test_integers_of_more_than_18_digits_stay_the_text_written(digits: int, kind: type):
    for text in ("7" * digits, "-" + "7" * digits):
        doc = reader.parse_yaml(f"v: {text}\n", "x.yaml", Problems())
        assert type(doc.data["v"]) is kind
        if kind is str:
            assert doc.data["v"] == text
        else:
            assert doc.data["v"] == int(text)


# ---------------------------------------------------------------------------------------------
# article arithmetic stays in range


def fig(value) -> Figure:
    return Figure(value, ("s",), "confirmed")


USD = lambda n: fig(Money(Decimal(n), "USD"))  # noqa: E731


@pytest.mark.parametrize("call, message", [
    (lambda api: api.ratio(USD(3), USD(2), 7),
     "ratio(): the number of decimals must be a whole number from 0 to 6, not 7"),
    (lambda api: api.ratio(USD(3), USD(2), -1),
     "ratio(): the number of decimals must be a whole number from 0 to 6, not -1"),
    (lambda api: api.ratio(USD(3), USD(2), 10**400),
     "ratio(): the number of decimals must be a whole number from 0 to 6, not that"),
    (lambda api: api.growth(USD(3), USD(2), True),
     "growth(): the number of decimals must be a whole number from 0 to 6, not True"),
    (lambda api: api.per(USD(3), USD(2), "x", "2"),
     "per(): the number of decimals must be a whole number from 0 to 6, not '2'"),
    (lambda api: api.ratio(fig(10**15), fig(Decimal("0.000001"))),
     "ratio(): the result is larger than 10^18, beyond what a page shows; check the figures"),
    (lambda api: api.growth(fig(10**15), fig(Decimal("0.0001"))),
     "growth(): the result is larger than 10^18, beyond what a page shows; check the figures"),
    (lambda api: api.per(fig(10**15), fig(Decimal("0.000001")), "W"),
     "per(): the result is larger than 10^18, beyond what a page shows; check the figures"),
    (lambda api: api.ratio(10**400, USD(1)),
     "cannot compute with a number larger than 10^18; the numbers in the data are far smaller"),
    (lambda api: api.ratio(USD(1), -(10**19)),
     "cannot compute with a number larger than 10^18; the numbers in the data are far smaller"),
    (lambda api: api.ratio("x" * 1000, USD(1)),
     f"ratio(): cannot compute with '{'x' * 56}...; expected a figure holding an amount or "
     "number"),
    (lambda api: api.total(*[USD(10**16)] * 101),
     "total(): the result is larger than 10^18, beyond what a page shows; check the figures"),
    (lambda api: api.diff("a", USD(1)),
     "diff(): both figures must be amounts in the same currency"),
    (lambda api: api.total(1, 2),
     "total(): every figure must be an amount in one currency"),
    (lambda api: api.months(None, None),
     "months(): both figures must be dates with a month, such as fig('anthropic/series-h/date')"),
], ids=["digits-7", "digits-negative", "digits-huge", "digits-bool", "digits-text",
        "ratio-too-large", "growth-too-large", "per-too-large", "huge-input", "huge-negative-input",
        "long-text-input", "total-too-large", "diff-of-text", "total-of-numbers",
        "months-of-nothing"])
def test_article_arithmetic_stays_in_range(call, message: str):
    with pytest.raises(RenderError) as info:
        call(Api(None, None))
    assert str(info.value) == message


@pytest.mark.parametrize("call, text", [
    (lambda api: api.ratio(fig(10**15), fig(Decimal("0.001")), 6), "1000000000000000000.000000×"),
    (lambda api: api.ratio(USD(10), USD(3), 6), "3.333333×"),
    (lambda api: api.growth(USD(3), USD(2), 6), "+50.000000%"),
    (lambda api: api.per(fig(700), fig(Decimal("0.000001")), "W", 0), "700,000,000 W"),
    (lambda api: api.total(USD("30000000000000"), USD("30000000000000")), "US$60 trillion"),
], ids=["ratio-at-the-limit", "six-decimals", "growth-six-decimals", "per", "total-over-a-cap"])
def test_article_arithmetic_at_the_edges(call, text: str):
    assert call(Api(None, None)).text() == text


def test_an_article_asking_for_too_many_decimals_gets_a_located_problem(project: Path, check):
    replace(A, "Growth between rounds: {{ growth(", "Growth between rounds: {{ growth(digits=40, "
            "a=")(project)
    replace(A, 'fig("acme-ai/series-b/valuation"), fig(',
            'fig("acme-ai/series-b/valuation"), b=fig(')(project)
    run = check(project)
    assert run.lines == [f"{A}:8: growth(): the number of decimals must be a whole number from 0 "
                         "to 6, not 40", "1 error in 1 file"]


# ---------------------------------------------------------------------------------------------
# what a report prints

# Everything a terminal or a reader would not see as itself: C0 and C1 controls, format
# characters (bidi, zero-width, tags), private use, surrogates, line and paragraph separators,
# and the fillers that render as nothing.
def unseen(line: str) -> list[str]:
    return [f"U+{ord(ch):04X}" for ch in line
            if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")
            or ch in "\u115f\u1160\u3164\uffa0\u034f"]


HOSTILE = ["\x1b[2J\x1b[H", "\x1b]0;owned\x07", "\x9b31m", "\u202eexe.yaml", "\u2066x\u2069",
           "tag\U000e0041\U000e007f", "a\u2028b\u2029c", "\u3164", "\ue000", "\u200b", "\x00",
           "\x7f", "\r\rfake: line", "\u0085", "\ufeff", "\u034f", "\u061c"]


@pytest.mark.parametrize("hostile", HOSTILE, ids=[repr(h) for h in HOSTILE])
def test_no_report_line_holds_a_raw_control_or_format_character(project: Path, check,
                                                                 hostile: str):
    """The same hostile text as a file name (in a folder and at the top of data/), a sub-folder's
    name, an unexpected file's name, a YAML key (written as escapes), a value and a name: every
    line of the report is free of raw controls and format characters."""
    companies = project / "data/companies"
    for name in (f"{hostile}.yaml", f"{hostile}.yml", f"{hostile}.txt"):
        try:
            (companies / name).write_text("id: x\n", encoding="utf-8")
        except (OSError, ValueError):  # a NUL cannot be in a file name
            pass
    try:
        (companies / f"d{hostile}").mkdir()
        (project / f"data/{hostile}x").mkdir()
    except (OSError, ValueError):
        pass
    escaped = hostile.encode("unicode_escape").decode().replace('"', '\\"')
    replace(B, "name: BigCloud", f'name: "Big{escaped}Cloud"\n"k{escaped}": 1\n'
            f'founded: "{escaped}"')(project)
    replace(B, "founded: 2001\n", "")(project)
    run = check(project)
    assert run.code == 1
    for line in run.text.splitlines():
        assert not unseen(line), line


def test_a_file_name_that_is_not_utf8_is_shown_escaped(project: Path, check):
    os.rename(project / B, os.fsencode(project / "data/companies") + b"/big\xffcloud.yaml")
    run = check(project)
    assert run.lines == [
        "data/companies/big\\udcffcloud.yaml: the file name 'big\\udcffcloud.yaml' is not "
        f"allowed; {FILE_RULE}; rename it to data/companies/bigcloud.yaml, after the id it holds",
        "1 error in 1 file"]
    assert check(project).lines == run.lines  # as the check's kept answer (generator.checkcache)


@pytest.mark.parametrize("problem, line", [
    (Problem("data/companies/\x1b[2J.yaml", 3, 4, "name", "bad"),
     "data/companies/\\x1b[2J.yaml:3:4: name: bad"),
    (Problem("x.yaml", 1, 0, "na\nme", "a\rb"), "x.yaml:1: na\\nme: a\\rb"),
    (Problem("x.yaml", 0, 0, "k\u2028", "tag\U000e0041 \u3164 \u202e \x85 \t"),
     "x.yaml: k\\u2028: tag\\U000e0041 \\u3164 \\u202e \\x85 \\t"),
    (Problem("x.yaml", 2, 2, "", "already shown: 'a\\x1bb'", warning=True),
     "x.yaml:2:2: warning: already shown: 'a\\x1bb'"),
    (Problem("x.yaml", 2, 2, "", "€1.7 billion → ünïcödé 中文 עברית"),
     "x.yaml:2:2: €1.7 billion → ünïcödé 中文 עברית"),
], ids=["escape-in-path", "line-breaks", "format-characters", "no-double-escaping",
        "ordinary-text-untouched"])
def test_problem_format_escapes_what_does_not_show(problem: Problem, line: str):
    assert problem.format() == line


@pytest.mark.parametrize("text, expected", [
    ("acme", "'acme'"),
    ("\x1b[2J", "'\\x1b[2J'"),
    ("a\\x1b", "'a\\\\x1b'"),
    ("a\nb\tc", "'a\\nb\\tc'"),
    ("\u202eabc", "'\\u202eabc'"),
    ("\U000e0041", "'\\U000e0041'"),
    ("\udcff", "'\\udcff'"),
    ("\ufffe", "'\\ufffe'"),
    ("\U0001d173", "'\\U0001d173'"),
], ids=lambda v: repr(v))
def test_shown(text: str, expected: str):
    assert escape.shown(text) == expected


@pytest.mark.parametrize("char, described", [
    ("\x1b", "U+001B (control character)"),
    ("\u3164", "U+3164 (hangul filler)"),
    ("\ue000", "U+E000 (private-use character)"),
    ("\ud800", "U+D800 (surrogate)"),
    ("\ufdd0", "U+FDD0 (noncharacter)"),
    ("\U0001fffe", "U+1FFFE (noncharacter)"),
    ("\u0378", "U+0378 (unassigned character)"),
], ids=lambda v: repr(v))
def test_describe_char(char: str, described: str):
    assert values.describe_char(char) == described


def test_explain_lines_are_escaped(project: Path, check):
    replace(C, "    round: Series A\n", '    round: Series A\n    "x\\u2028\\U000e0041": '
            "USD 1 billion\n")(project)
    run = check(project, "--explain")
    assert (f"{C}:13:26: events[0].x\\u2028\\U000e0041: 'USD 1 billion' is read as "
            "USD 1,000,000,000") in run.lines
    for line in run.text.splitlines():
        assert not unseen(line), line


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
                    "-c", "commit.gpgsign=false", *args], cwd=root, env=env, check=True,
                   capture_output=True)


@pytest.mark.parametrize("markdown", [False, True], ids=["terminal", "job-summary"])
def test_the_data_diff_escapes_what_does_not_show(project: Path, capsys, markdown: bool):
    """Paragraphs accept a Hangul filler and U+034F (real text uses them) and a table's unit can
    hold a tab: the diff, printed to a terminal or a job summary, shows them as escapes."""
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    replace(B, "summary: A fictional cloud provider used by the tests.",
            'summary: "Old Korean \\u1100\\u1160 text, Hebrew \\u05b7\\u034f\\u05b4."')(project)
    replace(T, "    unit: W\n", '    unit: "W\\tatt"\n')(project)
    replace(T, "max_tdp_w: 1000", "max_tdp_w: 1200")(project)
    run = run_cli(capsys, project, "diff", "HEAD", *(["--markdown"] if markdown else []))
    assert run.code == 0, run.text
    assert "bigcloud: summary changed" in run.text
    assert "\\u1160" in run.text and "\\u034f" in run.text
    assert "from 1,000 W\\tatt to 1,200 W\\tatt" in run.text
    for line in run.text.splitlines():
        assert not unseen(line), line


# ---------------------------------------------------------------------------------------------
# the ranges are documented where each notation is


def section(title: str) -> str:
    """One section of CONTRIBUTING.md, up to the next heading."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert f"\n{title}\n" in text, title
    return re.split(r"\n#{1,4} ", text.split(f"\n{title}\n", 1)[1], maxsplit=1)[0]


def test_the_ranges_are_documented_with_the_values_the_code_enforces():
    money = section("### Money")
    for code, (_, cap) in values.CURRENCIES.items():
        assert str(Money(cap, code)) in money, code
    assert "whole cents" in money
    tables = section("### Numbers in tables")
    assert f"{values.NUMBER_MAX:,} (10^15)" in tables
    assert f"at most {values.DECIMAL_PLACES} digits after the decimal point" in tables
    assert "1800 to 2200" in tables and "1800 to 2200" in section("### Dates")
    functions = section("### The functions articles can use")
    assert f"0 to {Api.MAX_DIGITS}" in functions and Api.RESULT_MAX == 10**18
    assert "10^18" in functions
    text = section("### Text")
    for word in ("Cf", "Co", "Cs", "Zl", "Zp", "U+3164", "U+115F", "U+1160", "U+FFA0", "U+034F",
                 "U+E0000", "U+0600"):
        assert word in text, word
    assert "`.yaml`" in section("### Ids")
