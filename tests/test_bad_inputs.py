"""Every row of docs' bad-inputs list (sections 1-30), and more: input → the exact report.

Each case copies the mini project, changes one thing, runs ``python -m generator check`` in-process
and compares the whole report: every problem line (``path:line:col: field: message``) and the count
line. The numbers in the case ids are the rows of /work/shared/bad-inputs.md.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support import (A, B, C, MONEY_EX, REPO, S1, S2, T, URL_EX, Case, Mutation, case, rename,
                     replace, steps, write)
from generator import reader
from generator.load import load
from generator.suggest import suggest
from generator.problems import Problems

DATE_EX = ("expected a date written YYYY-MM-DD (or YYYY-MM, or YYYY, when the day or month is not "
           "known)")
WHERE = "data/companies/, data/tables/, data/sources/ or data/glossary/ as NAME.yaml"
NOT_MAPPING = "expected 'name: value' lines (a mapping of fields) starting with 'id:'"

# ---------------------------------------------------------------------------------------------
# mutations of the scratch project


def remove(rel: str) -> Mutation:
    return lambda root: (root / rel).unlink()


def symlink_out_of_tree(rel: str) -> Mutation:
    """Replace rel by a link to a file outside the project that holds a secret and valid YAML."""
    def run(root: Path) -> None:
        outside = root.parent / "outside.yaml"
        outside.write_text((root / rel).read_text(encoding="utf-8").replace(
            "summary: A fictional", "summary: SECRET-OUTSIDE A fictional"), encoding="utf-8")
        (root / rel).unlink()
        (root / rel).symlink_to(outside)
    return run


def fifo(rel: str) -> Mutation:
    return lambda root: os.mkfifo(root / rel)


def sparse(rel: str, size: int) -> Mutation:
    def run(root: Path) -> None:
        with open(root / rel, "wb") as fh:
            fh.write(b"id: bigcloud\n")
            fh.truncate(size)
    return run


def bigcloud(extra: str = "", **fields: str) -> str:
    """bigcloud.yaml's text with some fields replaced; extra lines appended (then last_checked,
    as in the fixture, so that the extra lines keep their numbers)."""
    base = {"id": "bigcloud", "name": "BigCloud", "kind": "cloud-provider", "founded": "2001",
            "summary": "A fictional cloud provider used by the tests."}
    base.update(fields)
    checked = base.pop("last_checked", "2026-11-24")
    return "".join(f"{k}: {v}\n" for k, v in base.items()) + extra + (
        f"last_checked: {checked}\n" if checked is not None else "")


def company(stem: str, name: str) -> Mutation:
    return write(f"data/companies/{stem}.yaml",
                 f"id: {stem}\nname: {name}\nkind: ai-lab\nsummary: Another company.\n"
                 "last_checked: 2026-11-24\n")


ORIGINAL_B = (REPO / "tests/fixtures/mini" / B).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# the table


CASES = [
    # -- Files and encoding ------------------------------------------------------------------
    case("01-latin1-byte", write(B, bigcloud(name="BigCl\xe9oud").encode("latin-1")),
         f"{B}:2:12: byte 0xE9 is not valid UTF-8; save the file as UTF-8 (it looks like another "
         "encoding, such as Latin-1)"),
    case("01-latin1-byte-in-article",
         lambda root: (root / A).write_bytes((root / A).read_bytes().replace(
             b"# A first article", b"# A caf\xe9 article")),
         f"{A}:6:8: byte 0xE9 is not valid UTF-8; save the file as UTF-8 (it looks like another "
         "encoding, such as Latin-1)"),
    case("02-byte-order-mark", write(B, b"\xef\xbb\xbf" + ORIGINAL_B.encode()),
         f"{B}:1:1: the file starts with a byte-order mark (BOM); save it as UTF-8 without a BOM"),
    case("02-bom-inside-a-name", replace(B, "name: BigCloud", "name: Big\ufeffCloud"),
         f"{B}:2:10: invisible or control character U+FEFF (zero width no-break space) is not "
         "allowed; delete it"),
    case("03-crlf-lines-still-located",
         lambda root: (root / C).write_bytes((root / C).read_bytes().replace(b"\n", b"\r\n")
                                             .replace(b"status: reported", b"status: reportd")),
         f"{C}:30:13: events[1].status: 'reportd' is not allowed, expected one of confirmed, "
         "reported, rumored, unverified; did you mean 'reported'?"),
    case("04-tab-indent-top-level", write(B, bigcloud("events:\n\t- id: a\n")),
         f"{B}:7:1: a tab character is used for indentation; indent with spaces"),
    case("04-tab-indent-nested", replace(C, "    date: 2021-05", "\tdate: 2021-05"),
         f"{C}:10:1: a tab character is used for indentation; indent with spaces"),
    case("05-multi-megabyte-file", write(B, bigcloud("# " + "x" * 3_000_000 + "\n")),
         f"{B}: the file is 3,000,146 bytes, over the limit of 262,144 bytes (256 KiB) for this "
         "kind of file; split it or shorten it"),
    case("05-huge-sparse-file-never-read", sparse(B, 64 * 1024 * 1024),
         f"{B}: the file is 67,108,864 bytes, over the limit of 262,144 bytes (256 KiB) for this "
         "kind of file; split it or shorten it"),
    case("06-deep-flow-nesting", write(B, bigcloud("x: " + "[" * 100_000 + "]" * 100_000 + "\n")),
         f"{B}:6:15: lists and mappings are nested more than 12 levels deep, deeper than any data "
         "file needs; check the indentation and brackets"),
    case("06-deep-block-nesting",
         write(B, bigcloud("".join(" " * i + f"k{i}:\n" for i in range(300)))),
         f"{B}:18:13: lists and mappings are nested more than 12 levels deep, deeper than any data "
         "file needs; check the indentation and brackets"),
    case("07-control-character-in-name", replace(B, "name: BigCloud", "name: Big\x07Cloud"),
         f"{B}:2:10: invisible or control character U+0007 (control character) is not allowed; "
         "delete it"),
    case("07-zero-width-space-in-id", replace(B, "id: bigcloud", "id: big\u200bcloud"),
         f"{B}:1:8: invisible or control character U+200B (zero width space) is not allowed; "
         "delete it"),
    case("07-bidi-override-in-name", replace(B, "name: BigCloud", "name: Big\u202eCloud"),
         f"{B}:2:10: invisible or control character U+202E (right-to-left override) is not "
         "allowed; delete it"),
    case("07-bidi-isolate-in-event-id", replace(C, "  - id: series-b", "  - id: series\u2066-b"),
         f"{C}:22:15: invisible or control character U+2066 (left-to-right isolate) is not "
         "allowed; delete it"),
    case("07-bidi-override-in-article", replace(A, "# A first article", "# A first \u202earticle"),
         f"{A}:6:11: invisible or control character U+202E (right-to-left override) is not "
         "allowed; delete it"),
    case("08-symlink-to-outside-file", symlink_out_of_tree(B),
         f"{B}: is a symbolic link; links are never followed, so commit the file itself in its "
         "place"),
    case("08-symlink-to-etc-passwd", steps(remove(B), lambda r: (r / B).symlink_to("/etc/passwd")),
         f"{B}: is a symbolic link; links are never followed, so commit the file itself in its "
         "place"),
    case("08-symlinked-data-folder",
         steps(lambda r: shutil.move(r / "data/tables", r.parent / "tables"),
               lambda r: (r / "data/tables").symlink_to(r.parent / "tables")),
         f"data/tables: is a symbolic link; links are never followed, so make it a real folder or "
         f"file (data files go in {WHERE})"),
    case("08-named-pipe", fifo("data/companies/pipe.yaml"),
         "data/companies/pipe.yaml: is a named pipe, not a regular file; commit a plain text file "
         "here"),
    case("08-symlinked-article",
         lambda r: (r / "site_src/articles/evil.md").symlink_to("/etc/passwd"),
         "site_src/articles/evil.md: is a symbolic link; links are never followed, so commit the "
         "file itself in its place"),
    case("09-yml-extension", rename(B, "data/companies/bigcloud.yml"),
         "data/companies/bigcloud.yml: data files must end in '.yaml' (lower case, not '.yml'); "
         "rename it to data/companies/bigcloud.yaml"),
    case("09-upper-case-YAML-extension", rename(B, "data/companies/bigcloud.YAML"),
         "data/companies/bigcloud.YAML: data files must end in '.yaml' (lower case, not '.YAML'); "
         "rename it to data/companies/bigcloud.yaml"),
    case("09-other-extension", write("data/companies/notes.txt", "hello\n"),
         "data/companies/notes.txt: unexpected file; company files are YAML files named NAME.yaml "
         "in data/companies/ (other files do not belong in data/)"),
    case("09-misspelt-folder", write("data/company/openai.yaml", "id: openai\n"),
         "data/company: is not where data goes; did you mean 'companies'? Data files go in "
         f"{WHERE}"),
    case("09-file-directly-in-data", write("data/openai.yaml", "id: openai\n"),
         f"data/openai.yaml: is not where data goes; data files go in {WHERE}"),
    case("09-sub-folder", write("data/companies/labs/openai.yaml", "id: openai\n"),
         "data/companies/labs: folders are not read here; put company files directly in "
         "data/companies/ as NAME.yaml"),

    # -- YAML itself ---------------------------------------------------------------------------
    case("10-unclosed-double-quote", replace(B, "name: BigCloud", 'name: "BigCloud'),
         f"{B}:2:7: this quoted value is never closed; add the matching closing quote at the end "
         "of the value (the parser reached line 7 without finding it)"),
    case("10-unclosed-single-quote", replace(B, "name: BigCloud", "name: 'BigCloud"),
         f"{B}:2:7: this quoted value is never closed; add the matching closing quote at the end "
         "of the value (the parser reached line 7 without finding it)"),
    case("10-unclosed-bracket", replace(C, "sources: [acme-news-2021]\n  - id: series-b",
                                        "sources: [acme-news-2021\n  - id: series-b"),
         f"{C}:21:14: the list opened with '[' here is not closed; add ']' after the last item "
         "(the parser reached line 22 without finding it)"),
    case("10-colon-in-plain-value", replace(B, "name: BigCloud", "name: Big: Cloud"),
         f"{B}:2:10: a ': ' (colon and space) cannot appear here; if the value is text that "
         "contains ': ', put the whole value in quotes, otherwise check this line's indentation"),
    case("10-over-indented-field", replace(B, "kind: cloud-provider", "  kind: cloud-provider"),
         f"{B}:3:7: a ': ' (colon and space) cannot appear here; if the value is text that "
         "contains ': ', put the whole value in quotes, otherwise check this line's indentation"),
    case("10-under-indented-field", replace(C, "    round: Series A", "   round: Series A"),
         f"{C}:12:4: this line does not line up with the list that starts at line 9; each list "
         "item starts with '- ' at the same indentation"),
    case("10-line-without-colon", replace(B, "kind: cloud-provider", "cloud-provider"),
         f"{B}:3:1: this line is not a 'name: value' line; add the ':' after the name, or check "
         "the indentation"),
    case("10-value-starting-with-at-sign", replace(B, "name: BigCloud", "name: @BigCloud"),
         f"{B}:2:7: a plain value cannot start with '@'; put the whole value in quotes"),
    case("11-duplicate-top-level-key", replace(B, "kind: cloud-provider",
                                               "kind: cloud-provider\nname: Big Cloud"),
         f"{B}:4:1: name: key 'name' is given twice in this mapping (lines 2 and 4); keep only "
         "one"),
    case("11-duplicate-nested-key", replace(C, "    round: Series A\n",
                                            "    round: Series A\n    round: Series AA\n"),
         f"{C}:13:5: events[0].round: key 'round' is given twice in this mapping (lines 12 and "
         "13); keep only one"),
    case("12-anchor", replace(C, "    round: Series A\n", "    round: &r Series A\n"),
         f"{C}:12:12: anchor '&r' is not allowed (anchors and aliases can hide or multiply "
         "values); write each value out in full"),
    case("12-alias", replace(B, "summary: A fictional cloud provider used by the tests.",
                             "summary: *s"),
         f"{B}:5:10: alias '*s' is not allowed (anchors and aliases can hide or multiply values); "
         "write the value out in full"),
    case("12-merge-key", replace(C, "  - id: series-b\n", "  - <<: {status: confirmed}\n"
                                                          "    id: series-b\n"),
         f"{C}:22:5: merge keys ('<<') are not allowed; write the fields out in full"),
    case("12-alias-bomb", write(B, "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a]\n"
                                   "c: &c [*b, *b, *b, *b]\nd: [*c, *c, *c, *c]\n"),
         f"{B}:1:4: anchor '&a' is not allowed (anchors and aliases can hide or multiply values); "
         "write each value out in full"),
    case("13-python-object-tag",
         replace(B, "name: BigCloud", "name: !!python/object/apply:os.system ['echo hi']"),
         f"{B}:2:7: tag '!!python/object/apply:os.system' is not allowed (tags can run code or "
         "read other files); write a plain value without it"),
    case("13-include-tag", replace(B, "summary: A fictional cloud provider used by the tests.",
                                   "summary: !include ../../.git/config"),
         f"{B}:5:10: tag '!include' is not allowed (tags can run code or read other files); write "
         "a plain value without it"),
    case("13-str-tag", replace(B, "founded: 2001", "founded: !!str 2001"),
         f"{B}:4:10: tag '!!str' is not allowed (tags can run code or read other files); write a "
         "plain value without it"),
    case("14-two-documents", write(B, ORIGINAL_B + "---\nid: other\n"),
         f"{B}:7:1: the file holds more than one YAML document ('---'); keep one record per file"),
    case("14-explicit-documents", write(B, "---\n" + ORIGINAL_B + "...\n---\nid: other\n"),
         f"{B}:9:1: the file holds more than one YAML document ('---'); keep one record per file"),
    case("15-NO-in-a-boolean", replace(S2, "url_verified: false", "url_verified: NO"),
         f"{S2}:7:15: url_verified: 'NO' is not accepted here; write true or false (lower case, "
         "without quotes)"),
    case("15-yes-in-a-boolean", replace(T, "    required: false", "    required: yes"),
         f"{T}:20:15: columns[3].required: 'yes' is not accepted here; write true or false (lower "
         "case, without quotes)"),
    case("15-quoted-false", replace(S2, "url_verified: false", "url_verified: 'false'"),
         f"{S2}:7:15: url_verified: 'false' is in quotes, which makes it text; write false without "
         "quotes"),
    case("15-NO-in-a-status", replace(C, "status: confirmed\n    sources: [acme-news-2021]\n  -",
                                      "status: NO\n    sources: [acme-news-2021]\n  -"),
         f"{C}:20:13: events[0].status: 'NO' is not allowed, expected one of confirmed, reported, "
         "rumored, unverified"),
    case("15-true-as-a-name", replace(B, "name: BigCloud", "name: true"),
         f"{B}:2:7: name: expected a name (one line of text), got the boolean true (put it in "
         "quotes to keep it as text)"),
    case("15-octal-0755", replace(T, "max_tdp_w: 700", "max_tdp_w: 0755"),
         f"{T}:24:35: rows[0].values.max_tdp_w: expected a whole number of W such as 700 (digits "
         "only: no leading zero, decimal point, unit or separator), got '0755'"),
    case("15-sexagesimal-1:30", replace(T, "max_tdp_w: 700", "max_tdp_w: 1:30"),
         f"{T}:24:35: rows[0].values.max_tdp_w: expected a whole number of W such as 700 (digits "
         "only: no leading zero, decimal point, unit or separator), got '1:30'"),
    case("15-float-in-integer-column", replace(T, "max_tdp_w: 700", "max_tdp_w: 700.0"),
         f"{T}:24:35: rows[0].values.max_tdp_w: expected a whole number of W such as 700 (digits "
         "only: no leading zero, decimal point, unit or separator), got '700.0'"),
    case("15-nan", replace(T, "max_tdp_w: 700", "max_tdp_w: .nan"),
         f"{T}:24:35: rows[0].values.max_tdp_w: expected a whole number of W such as 700 (digits "
         "only: no leading zero, decimal point, unit or separator), got '.nan'"),
    case("15-exponent-1e3", replace(T, "bandwidth_tb_per_s: 3.35", "bandwidth_tb_per_s: 1e3"),
         f"{T}:24:60: rows[0].values.bandwidth_tb_per_s: '1e3' is not a plain decimal number; "
         "write digits with at most one decimal point, such as 3.35 (no units, exponents or "
         "thousands separators)"),
    case("15-infinity", replace(T, "bandwidth_tb_per_s: 3.35", "bandwidth_tb_per_s: .inf"),
         f"{T}:24:60: rows[0].values.bandwidth_tb_per_s: '.inf' is not a plain decimal number; "
         "write digits with at most one decimal point, such as 3.35 (no units, exponents or "
         "thousands separators)"),
    case("15-time-as-year", replace(B, "founded: 2001", "founded: 20:01"),
         f"{B}:4:10: founded: '20:01' is not a date in the expected format; {DATE_EX}"),
    case("15-exponent-as-money", replace(C, "amount_raised: USD 100 million",
                                         "amount_raised: 1e9"),
         f"{C}:13:20: events[0].amount_raised: '1e9' is not in the money notation (no exponents "
         f"such as 1e9; use a scale word such as 'billion'); {MONEY_EX}"),
    case("16-february-30", replace(C, "date: 2023-02-01", "date: 2024-02-30"),
         f"{C}:23:11: events[1].date: '2024-02-30' is not a real date (February 2024 has 29 days); "
         f"{DATE_EX}"),
    case("16-month-13", replace(C, "date: 2023-02-01", "date: 2023-13-01"),
         f"{C}:23:11: events[1].date: '2023-13-01' has month 13, which does not exist; {DATE_EX}"),
    case("16-day-month-order", replace(C, "date: 2023-02-01", "date: 05/03/2023"),
         f"{C}:23:11: events[1].date: '05/03/2023' is not a date in the expected format (day and "
         f"month in this order are ambiguous); {DATE_EX}"),
    case("16-single-digits", replace(C, "date: 2023-02-01", "date: 2023-2-1"),
         f"{C}:23:11: events[1].date: '2023-2-1' is not a date in the expected format (months and "
         f"days take two digits); {DATE_EX}"),
    case("16-date-with-time", replace(C, "date: 2023-02-01", "date: 2023-02-01T10:00:00"),
         f"{C}:23:11: events[1].date: '2023-02-01T10:00:00' is not a date in the expected format "
         f"(a date only, without a time); {DATE_EX}"),
    case("16-date-in-words", replace(C, "date: 2023-02-01", "date: 1 February 2023"),
         f"{C}:23:11: events[1].date: '1 February 2023' is not a date in the expected format; "
         f"{DATE_EX}"),
    case("16-year-out-of-range", replace(B, "founded: 2001", "founded: 201"),
         f"{B}:4:10: founded: '201' is not a date in the expected format; {DATE_EX}"),

    # -- Values, units and meaning -------------------------------------------------------------
    *[case(f"17-money-{label}", replace(C, "amount_raised: USD 100 million",
                                        f"amount_raised: {text}"),
           f"{C}:13:20: events[0].amount_raised: {message}")
      for label, text, message in [
          ("900B", "900B", "'900B' is not in the money notation (abbreviations such as B, bn or M "
                           f"are ambiguous; write the scale word in full); {MONEY_EX}"),
          ("dollar-sign-and-commas", "$900,000,000",
           "'$900,000,000' is not in the money notation (use the currency code USD instead of the "
           f"sign '$'); {MONEY_EX}"),
          ("euro-sign-and-bn", "€1.2bn", "'€1.2bn' is not in the money notation (use the currency "
                                         f"code EUR instead of the sign '€'); {MONEY_EX}"),
          ("code-and-B", "USD 900B", "'USD 900B' is not in the money notation (abbreviations such "
                                     f"as B, bn or M are ambiguous; write the scale word in full); "
                                     f"{MONEY_EX}"),
          ("thousands-separators", "USD 100,000,000",
           "'USD 100,000,000' is not in the money notation (no thousands separators; use a scale "
           f"word instead); {MONEY_EX}"),
          ("float", "100000000.0", "'100000000.0' is not in the money notation (a bare number has "
                                   f"no currency); {MONEY_EX}"),
          ("whole-number", "100000000",
           "100000000 is a bare number without a currency; write the amount as 'USD 65 billion' "
           "(also 'about USD 86 billion', 'EUR 1.7 billion', 'USD 750 million')"),
          ("exponent-after-code", "USD 1e8", "'USD 1e8' is not in the money notation (no "
                                             "exponents such as 1e9; use a scale word such as "
                                             f"'billion'); {MONEY_EX}"),
          ("capital-scale", "USD 100 Million", "'USD 100 Million' is not in the money notation "
                                               "(write the scale word as 'million': lower case, "
                                               f"singular); {MONEY_EX}"),
          ("plural-scale", "USD 100 millions", "'USD 100 millions' is not in the money notation "
                                               "(write the scale word as 'million': lower case, "
                                               f"singular); {MONEY_EX}"),
          ("double-space", "USD  100 million", "'USD  100 million' is not in the money notation "
                                               "(use single spaces between the parts, and none at "
                                               f"the start or end); {MONEY_EX}"),
          ("approximately", "approximately USD 100 million",
           "'approximately USD 100 million' is not in the money notation (the qualifiers are "
           "'about', 'more than', 'at least', 'less than' and 'up to'); " + MONEY_EX),
      ]],
    case("17-fractions-of-a-cent", replace(C, "amount_raised: USD 100 million",
                                           "amount_raised: USD 1.234567 thousand"),
         f"{C}:13:20: events[0].amount_raised: 'USD 1.234567 thousand' has fractions of a cent; "
         "round it to whole cents"),
    case("18-currency-missing", replace(C, "amount_raised: USD 100 million",
                                        "amount_raised: 100 million"),
         f"{C}:13:20: events[0].amount_raised: '100 million' is not in the money notation (the "
         f"currency code comes first); {MONEY_EX}"),
    case("18-currency-lower-case", replace(C, "amount_raised: USD 100 million",
                                           "amount_raised: usd 100 million"),
         f"{C}:13:20: events[0].amount_raised: 'usd 100 million' is not in the money notation "
         f"(currency codes are written in capitals: 'USD'); {MONEY_EX}"),
    case("18-currency-unknown", replace(C, "amount_raised: USD 100 million",
                                        "amount_raised: XYZ 100 million"),
         f"{C}:13:20: events[0].amount_raised: unknown currency 'XYZ' in 'XYZ 100 million'; "
         "expected one of USD, EUR, GBP, CHF, SAR, CNY, HKD, JPY, KRW, INR"),
    case("18-euro-in-a-dollar-column", replace(T, "price: USD 30 thousand",
                                               "price: EUR 30 thousand"),
         f"{T}:29:71: rows[1].values.price: 'EUR 30 thousand' is in EUR, but this column holds "
         "amounts in USD"),
    case("18-euro-valuation-for-a-dollar-round",
         replace(C, "valuation: USD 1 billion", "valuation: EUR 1 billion"),
         f"{C}:14:16: events[0].valuation: valuation is in EUR, but "
         "amount_raised is in USD; all amounts of one event are in one currency (convert it, and "
         "say so in note)"),
    case("19-zero", replace(C, "amount_raised: USD 100 million", "amount_raised: USD 0"),
         f"{C}:13:20: events[0].amount_raised: 'USD 0' is zero; an amount must be greater than zero "
         "(leave the field out when the amount is not known)"),
    case("19-negative", replace(C, "amount_raised: USD 100 million",
                                "amount_raised: USD -5 billion"),
         f"{C}:13:20: events[0].amount_raised: 'USD -5 billion' is not in the money notation "
         f"(amounts cannot be negative); {MONEY_EX}"),
    case("19-absurdly-large", replace(C, "valuation: USD 10 billion",
                                      "valuation: USD 10000 trillion"),
         f"{C}:28:16: events[1].valuation: 'USD 10000 trillion' is more than USD 20 "
         "trillion, larger than any company or deal; check the scale word (a thousand times too "
         "big is a common slip)"),
    case("19-a-thousand-times-too-big", replace(C, "amount_raised: USD 100 million",
                                                "amount_raised: USD 100 billion"),
         f"{C}:14:16: events[0].valuation: the post-money valuation (USD 1 billion) is "
         "below amount_raised (USD 100 billion), but a company is worth at least the new money "
         "paid in; check the scale words (million, billion)"),
    case("20-string-instead-of-list", replace(C, "sources: [acme-news-2021]\n  - id: series-b",
                                              "sources: acme-news-2021\n  - id: series-b"),
         f"{C}:21:14: events[0].sources: expected a list, got the single value 'acme-news-2021'; "
         "write [acme-news-2021] (or one '- item' per line)"),
    case("20-boolean-amount", replace(C, "      - name: Angel Fund",
                                      "      - name: Angel Fund\n        amount: true"),
         f"{C}:20:17: events[0].investors[1].amount: expected an amount of money such as 'USD 65 "
         "billion' (also 'about USD 86 billion', 'EUR 1.7 billion', 'USD 750 million'), got the "
         "boolean true"),
    case("20-list-as-a-name", replace(B, "name: BigCloud", "name: [Big, Cloud]"),
         f"{B}:2:7: name: expected a name (one line of text), got a list"),
    case("20-mapping-instead-of-list",
         write(B, bigcloud("events:\n  id: series-a\n  date: 2021\n")),
         f"{B}:7:3: events: expected a list (one '- item' per line), got a mapping"),
    case("20-text-instead-of-mapping", write(B, bigcloud("events:\n  - series-a\n")),
         f"{B}:7:5: events[0]: expected a mapping of fields (name: value lines), got 'series-a'"),
    case("20-empty-value", replace(B, "name: BigCloud", "name:"),
         f"{B}:2:6: name: has no value; write a name (one line of text) after the colon"),
    case("21-event-in-the-future", replace(C, "date: 2023-02-01", "date: 2099-02-01"),
         f"{C}:23:11: events[1].date: 2099-02-01 is in the future; events record what already "
         "happened (talks and plans are events of their own, dated when they were reported)"),
    case("21-metric-in-the-future", replace(C, "  - date: 2023-06", "  - date: 2099-06"),
         f"{C}:34:11: metrics[0].date: 2099-06 is in the future; a metric is dated when the "
         "figure was reported"),
    case("21-source-published-in-the-future",
         replace(S1, "published: 2021-05-04\naccessed: 2026-11-24",
                 "published: 2099-05-04\naccessed: 2099-05-05"),
         f"{S1}:5:12: published: 2099-05-04 is in the future; give the date the source was "
         "published",
         f"{S1}:6:11: accessed: 2099-05-05 is in the future; give the date the source was read",
         count="2 errors in 1 file"),
    case("21-round-before-founding", replace(C, "date: 2021-05", "date: 2019-05"),
         f"{C}:10:11: events[0].date: 2019-05 is before the company was founded (2020-03)"),
    case("21-read-before-published", replace(S1, "accessed: 2026-11-24", "accessed: 2020-01-01"),
         f"{S1}:6:11: accessed: accessed (2020-01-01) is before published (2021-05-04); a page "
         "cannot be read before it is published, so check both dates"),
    case("22-valuaton", replace(C, "    valuation: USD 1 billion",
                                "    valuaton: USD 1 billion"),
         f"{C}:14:5: events[0].valuaton: unknown field 'valuaton'; did you mean "
         "'valuation'?"),
    case("22-camel-case-key", replace(C, "    valuation: USD 1 billion",
                                      "    preMoneyValuation: USD 1 billion"),
         f"{C}:14:5: events[0].preMoneyValuation: unknown field 'preMoneyValuation'; did you "
         "mean 'pre_money_valuation'?"),
    case("22-half-a-key", replace(C, "amount_raised: USD 100 million",
                                  "amount: USD 100 million"),
         f"{C}:13:5: events[0].amount: unknown field 'amount'; did you mean 'amount_committed' or "
         "'amount_raised'?"),
    case("22-misspelt-required-key", replace(B, "summary:", "summery:"),
         f"{B}:1:1: summary: required field 'summary' is missing; add 'summary:' with a short "
         "paragraph of text",
         f"{B}:5:1: summery: unknown field 'summery'; did you mean 'summary'?",
         count="2 errors in 1 file"),
    case("22-unknown-key-nothing-close", replace(B, "name: BigCloud", "name: BigCloud\ntags: [ai]"),
         f"{B}:3:1: tags: unknown field 'tags' (known fields: id, name, kind, founded, "
         "headquarters, website, summary, ticker, last_checked, events, metrics, relationships)"),
    case("23-missing-summary",
         replace(B, "summary: A fictional cloud provider used by the tests.\n", ""),
         f"{B}:1:1: summary: required field 'summary' is missing; add 'summary:' with a short "
         "paragraph of text"),
    case("23-missing-event-status", replace(C, "    status: reported\n", ""),
         f"{C}:22:5: events[1].status: required field 'status' is missing; add 'status:' with one "
         "of confirmed, reported, rumored, unverified"),
    case("23-missing-event-date", replace(C, "    date: 2021-05\n", ""),
         f"{C}:9:5: events[0].date: required field 'date' is missing; add 'date:' with a date "
         "written YYYY-MM-DD (or YYYY-MM, or YYYY, when the day or month is not known)"),
    case("23-missing-id", replace(B, "id: bigcloud\n", ""),
         f"{B}:1:1: id: required field 'id' is missing; add 'id:' with the file name without "
         ".yaml (lower-case letters, digits and hyphens)"),
    case("24-valuation-below-raise", replace(C, "amount_raised: USD 1.5 billion",
                                             "amount_raised: USD 15 billion"),
         f"{C}:28:16: events[1].valuation: the post-money valuation (USD 10 billion) is "
         "below amount_raised (USD 15 billion), but a company is worth at least the new money "
         "paid in; check the scale words (million, billion)"),
    case("24-pre-money-not-below-post", replace(C, "pre_money_valuation: USD 8.5 billion",
                                                "pre_money_valuation: USD 10 billion"),
         f"{C}:27:26: events[1].pre_money_valuation: pre_money_valuation (USD 10 billion) must be "
         "below the post-money valuation (USD 10 billion); the post-money valuation is the pre-money "
         "plus the new money"),
    case("24-pre-plus-raise-is-not-post", replace(C, "pre_money_valuation: USD 8.5 billion",
                                                  "pre_money_valuation: USD 8 billion"),
         f"{C}:28:16: warning: events[1].valuation: pre-money USD 8 billion plus amount "
         "raised USD 1.5 billion is USD 9.5 billion, not USD 10 billion; fix one figure, or explain "
         "the difference in note and remove the pre-money",
         count="1 warning in 1 file"),

    # -- Identity and references ---------------------------------------------------------------
    case("25-look-alike-name-cyrillic", company("acme-ai-2", "\u0410cme AI"),
         f"{C}:2:7: name: 'Acme AI' looks the same as '\u0410cme AI' in "
         "data/companies/acme-ai-2.yaml; one company, one file"),
    case("25-look-alike-name-case", company("acme-ai-2", "ACME ai"),
         f"{C}:2:7: name: 'Acme AI' looks the same as 'ACME ai' in data/companies/acme-ai-2.yaml; "
         "one company, one file"),
    case("25-look-alike-name-spaces", company("acme-ai-2", "Acme  AI"),
         f"{C}:2:7: name: 'Acme AI' looks the same as 'Acme  AI' in "
         "data/companies/acme-ai-2.yaml; one company, one file"),
    case("25-look-alike-name-l-for-I", company("acme-ai-2", "Acme Al"),
         f"{C}:2:7: name: 'Acme AI' looks the same as 'Acme Al' in data/companies/acme-ai-2.yaml; "
         "one company, one file"),
    case("25-duplicate-event-id", replace(C, "  - id: series-b", "  - id: series-a"),
         f"{C}:22:9: events[1].id: event id 'series-a' is used twice in this company (lines 9 and "
         "22); give each event its own id"),
    case("25-duplicate-row-id", replace(T, "  - id: x2", "  - id: x1"),
         f"{T}:27:9: rows[1].id: row id 'x1' is used twice in this table (lines 22 and 27); give "
         "each row its own id"),
    case("25-duplicate-column-id", replace(T, "  - id: price", "  - id: chip"),
         f"{T}:16:9: columns[3].id: column id 'chip' is used twice (lines 5 and 16); give each "
         "column its own id"),
    case("25-look-alike-letter-in-id", replace(C, "  - id: series-b", "  - id: seri\u0435s-b"),
         f"{C}:22:9: events[1].id: 'seri\u0435s-b' is not a valid id; use lower-case letters a-z, "
         "digits and single hyphens, such as 'series-h'"),
    case("25-upper-case-id", replace(C, "  - id: series-b", "  - id: Series-B"),
         f"{C}:22:9: events[1].id: 'Series-B' is not a valid id; use lower-case letters a-z, "
         "digits and single hyphens, such as 'series-h'"),
    case("26-id-does-not-match-file-name", replace(B, "id: bigcloud", "id: big-cloud"),
         f"{B}:1:5: id: id 'big-cloud' does not match the file name; rename the file to "
         "big-cloud.yaml or set id: bigcloud"),
    case("26-file-name-not-an-id", rename(B, "data/companies/Big_Cloud.yaml"),
         "data/companies/Big_Cloud.yaml: the file name 'Big_Cloud.yaml' is not allowed; file "
         "names use lower-case ASCII letters a-z, digits and single hyphens, then the extension, "
         "such as 'series-h.yaml'; rename it to data/companies/bigcloud.yaml, after the id it "
         "holds"),
    case("27-unknown-company", replace(C, "      - company: bigcloud", "      - company: bigcloude"),
         f"{C}:17:18: events[0].investors[0].company: unknown company 'bigcloude': there is no "
         "file data/companies/bigcloude.yaml; did you mean 'bigcloud'?"),
    case("27-anthropc", steps(company("anthropic", "Anthropic"),
                              replace(C, "      - company: bigcloud", "      - company: anthropc")),
         f"{C}:17:18: events[0].investors[0].company: unknown company 'anthropc': there is no "
         "file data/companies/anthropc.yaml; did you mean 'anthropic'?"),
    case("27-unknown-source", replace(C, "sources: [acme-news-2021]\n  - id: series-b",
                                      "sources: [acme-news-2012]\n  - id: series-b"),
         f"{C}:21:15: events[0].sources[0]: unknown source 'acme-news-2012': there is no file "
         "data/sources/acme-news-2012.yaml; did you mean 'acme-news-2021'?"),
    case("27-unknown-company-in-table", replace(T, "    label: X1\n",
                                                "    label: X1\n    company: acme\n"),
         f"{T}:24:14: rows[0].company: unknown company 'acme': there is no file "
         "data/companies/acme.yaml; did you mean 'acme-ai'?"),
    case("27-unknown-chart-in-article", replace(A, 'cell("chips", "x2", "max_tdp_w")',
                                                'cell("chipz", "x2", "max_tdp_w")'),
         f"{A}:8: unknown table 'chipz'; did you mean 'chips'?"),
    case("28-removed-source-still-cited", remove(S1),
         f"{C}:21:15: events[0].sources[0]: unknown source 'acme-news-2021': there is no file "
         "data/sources/acme-news-2021.yaml",
         f"{C}:31:15: events[1].sources[0]: unknown source 'acme-news-2021': there is no file "
         "data/sources/acme-news-2021.yaml",
         f"{C}:45:15: relationships[0].sources[0]: unknown source 'acme-news-2021': there is no "
         "file data/sources/acme-news-2021.yaml",
         f"{T}:26:15: rows[0].sources[0]: unknown source 'acme-news-2021': there is no file "
         "data/sources/acme-news-2021.yaml",
         count="4 errors in 2 files"),
    case("28-removed-company-still-referenced", remove(B),
         f"{C}:17:18: events[0].investors[0].company: unknown company 'bigcloud': there is no file "
         "data/companies/bigcloud.yaml",
         f"{C}:40:14: relationships[0].company: unknown company 'bigcloud': there is no file "
         "data/companies/bigcloud.yaml",
         count="2 errors in 1 file"),
    case("29-figure-without-sources", replace(C, "    sources: [acme-news-2021]\n  - id: series-b",
                                              "  - id: series-b"),
         f"{C}:9:5: events[0].sources: required field 'sources' is missing; add 'sources:' with a "
         "list of source ids, such as [acme-news-2021] (file names in data/sources/ without "
         ".yaml)"),
    case("29-figure-with-empty-sources", replace(C, "sources: [acme-news-2021]\n  - id: series-b",
                                                 "sources: []\n  - id: series-b"),
         f"{C}:21:14: events[0].sources: the list is empty; give at least one source id, such as "
         "[acme-news-2021]"),
    case("29-source-with-only-an-id", write(S1, "id: acme-news-2021\n"),
         f"{S1}:1:1: published: required field 'published' is missing; add 'published:' with "
         f"{DATE_EX[9:]}, or the word undated when the source shows no date",
         f"{S1}:1:1: publisher: required field 'publisher' is missing; add 'publisher:' with a "
         "name (one line of text)",
         f"{S1}:1:1: tier: required field 'tier' is missing; add 'tier:' with one of primary, "
         "outlet, secondary",
         f"{S1}:1:1: title: required field 'title' is missing; add 'title:' with one line of text",
         count="4 errors in 1 file"),
    case("29-source-with-empty-title", replace(S1, "title: Acme AI raises its Series A", "title: ''"),
         f"{S1}:3:8: title: is empty; write one line of text"),
    *[case(f"30-url-{label}", replace(S1, "url: https://acme.example.org/news/series-a",
                                      f"url: {url}"),
           f"{S1}:4:6: url: '{url}' {message}")
      for label, url, message in [
          ("http", "http://acme.example.org/x", f"uses http:; {URL_EX}"),
          ("file", "file:///etc/passwd", f"uses file:; {URL_EX}"),
          ("ftp", "ftp://acme.example.org/x", f"uses ftp:; {URL_EX}"),
          ("javascript", "javascript:alert(1)", f"uses javascript:; {URL_EX}"),
          ("no-scheme", "acme.example.org/x", f"uses no scheme; {URL_EX}"),
          ("upper-case-scheme", "HTTPS://acme.example.org/", "must start with 'https://' (lower "
                                                             "case, two slashes)"),
          ("localhost", "https://localhost/x", "points at this computer or a local network, not a "
                                               f"public host; {URL_EX}"),
          ("dot-local", "https://printer.local/", "points at this computer or a local network, not "
                                                  f"a public host; {URL_EX}"),
          ("private-ip-10", "https://10.0.0.1/x", "points at a private or local network address, "
                                                  f"not a public host name; {URL_EX}"),
          ("private-ip-192", "https://192.168.1.1/", "points at a private or local network "
                                                     f"address, not a public host name; {URL_EX}"),
          ("loopback-ipv6", "https://[::1]/", "points at a private or local network address, not "
                                              f"a public host name; {URL_EX}"),
          ("loopback-with-port", "https://127.0.0.1:8080/", "points at a private or local network "
                                                            "address, not a public host name; "
                                                            f"{URL_EX}"),
          ("public-ip", "https://8.8.8.8/", f"points at an IP address, not a public host name; "
                                            f"{URL_EX}"),
          ("single-label-host", "https://intranet/x", "does not name a public host (such as "
                                                      f"www.example.com); {URL_EX}"),
          ("credentials", "https://user:pw@acme.example.org/", "contains a user name or password; "
                                                               f"remove them ({URL_EX})"),
          ("port", "https://acme.example.org:8443/", "names a port; use the plain https address"),
          ("space", "https://acme.example.org/a b", "contains spaces or characters that are not "
                                                    "allowed in a web address; percent-encode "
                                                    "them"),
      ]],
    case("30-company-website-http", replace(C, "website: https://acme.example.com",
                                            "website: http://acme.example.com"),
         f"{C}:6:10: website: 'http://acme.example.com' uses http:; {URL_EX}"),

    # -- More of our own -----------------------------------------------------------------------
    case("x-empty-file", write(B, ""),
         f"{B}:1:1: the file is empty; {NOT_MAPPING}"),
    case("x-comments-only", write(B, "# to do\n"),
         f"{B}:1:1: the file is empty; {NOT_MAPPING}"),
    case("x-top-level-list", write(B, "- id: bigcloud\n- name: BigCloud\n"),
         f"{B}:1:1: the file is a list ('- ...' lines); {NOT_MAPPING}"),
    case("x-top-level-text", write(B, "bigcloud\n"),
         f"{B}:1:1: the file holds only the value 'bigcloud'; {NOT_MAPPING}"),
    case("x-unknown-status-suggested", replace(C, "status: reported", "status: confimed"),
         f"{C}:30:13: events[1].status: 'confimed' is not allowed, expected one of confirmed, "
         "reported, rumored, unverified; did you mean 'confirmed'?"),
    case("x-unknown-kind-suggested", replace(C, "kind: ai-lab", "kind: ai lab"),
         f"{C}:3:7: kind: 'ai lab' is not allowed, expected one of ai-lab, cloud-provider, "
         "chipmaker, investor, technology-company, energy-company, aerospace-company, bank; did "
         "you mean 'ai-lab'?"),
    case("x-investor-with-company-and-name", replace(C, "      - name: Angel Fund",
                                                     "      - name: Angel Fund\n"
                                                     "        company: bigcloud"),
         f"{C}:19:15: events[0].investors[1].name: give either company (the id of a company "
         "profile) or name (for an investor without a profile), not both"),
    case("x-investor-with-neither", replace(C, "      - name: Angel Fund",
                                            "      - role: participant"),
         f"{C}:19:9: events[0].investors[1]: an investor needs company (the id of a company "
         "profile) or name (for an investor without a profile)"),
    case("x-unverified-address-without-note",
         replace(S2, "note: Address cited by another document; the page itself was not read.\n",
                 ""),
         f"{S2}:7:15: url_verified: url_verified is false, so add a note saying how the address "
         "is known"),
    case("x-money-column-without-currency", replace(T, "    currency: USD\n", ""),
         f"{T}:18:11: columns[3].type: a money column needs a currency; add 'currency: USD' (or "
         "EUR)"),
    case("x-unknown-column-suggested", replace(T, "price: USD 30 thousand",
                                               "prize: USD 30 thousand"),
         f"{T}:29:64: rows[1].values.prize: unknown column 'prize'; did you mean 'price'?"),
    case("x-required-column-missing", replace(T, "max_tdp_w: 700, ", ""),
         f"{T}:24:5: rows[0].values: column 'max_tdp_w' is required; add 'max_tdp_w:'"),
    case("x-uncited-source-is-a-warning-that-fails",
         write("data/sources/extra.yaml", "id: extra\npublisher: X\ntitle: Y\n"
                                          "url: https://x.example.org/2020/a\npublished: 2020-01-01\n"
                                          "accessed: 2026-01-01\ntier: outlet\n"),
         "data/sources/extra.yaml:1:1: warning: this source is not cited by any company, table, glossary term or article; "
         "cite it or delete the file",
         count="1 warning in 1 file"),
    case("x-relationship-with-itself", replace(C, "  - company: bigcloud\n    role: cloud-provider",
                                               "  - company: acme-ai\n    role: cloud-provider"),
         f"{C}:40:14: relationships[0].company: a company cannot have a relationship with itself"),
    case("x-spaces-around-text", replace(B, "name: BigCloud", "name: ' BigCloud'"),
         f"{B}:2:7: name: text has spaces or line breaks at the start or end; remove them"),
    case("x-mapping-as-key", replace(B, "name: BigCloud", "? [a]\n: b\nname: BigCloud"),
         f"{B}:2:3: a mapping or list cannot be used as a field name; field names are plain words "
         "such as 'name'"),
    case("x-very-long-name", replace(B, "name: BigCloud", "name: " + "B" * 121),
         f"{B}:2:7: name: is 121 characters long, over the limit of 120; shorten it"),
    case("x-problems-in-several-files",
         steps(replace(B, "kind: cloud-provider", "kind: cloud"),
               replace(T, "max_tdp_w: 700", "max_tdp_w: 700 W")),
         f"{B}:3:7: kind: 'cloud' is not allowed, expected one of ai-lab, cloud-provider, "
         "chipmaker, investor, technology-company, energy-company, aerospace-company, bank; did "
         "you mean 'cloud-provider'?",
         f"{T}:24:35: rows[0].values.max_tdp_w: expected a whole number of W such as 700 (digits "
         "only: no leading zero, decimal point, unit or separator), got '700 W'",
         count="2 errors in 2 files"),
    case("x-broken-file-does-not-cascade", write(B, bigcloud(kind="cloud-providr")),
         f"{B}:3:7: kind: 'cloud-providr' is not allowed, expected one of ai-lab, cloud-provider, "
         "chipmaker, investor, technology-company, energy-company, aerospace-company, bank; did "
         "you mean 'cloud-provider'?"),
]


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_is_reported_exactly(case: Case, project: Path, check):
    case.mutate(project)
    run = check(project, *case.args)
    assert "Traceback" not in run.text
    assert "SECRET-OUTSIDE" not in run.text
    assert run.code == 1
    assert run.out == ""  # a failed check reports on stderr only
    assert run.lines == [*case.expected, case.count]


# ---------------------------------------------------------------------------------------------
# inputs that are accepted, and properties behind the table


@pytest.mark.parametrize("ending", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_crlf_and_cr_line_endings_are_plain_line_breaks(project: Path, check, ending: bytes):
    for rel in (C, B, S1, T):
        (project / rel).write_bytes((project / rel).read_bytes().replace(b"\n", ending))
    run = check(project)
    assert run.code == 0, run.text
    assert run.lines[0] == "no problems found"
    ds = load(project, Problems())
    assert ds.companies["acme-ai"].name == "Acme AI"
    assert ds.companies["acme-ai"].summary == "A fictional AI lab used by the tests."


def test_mixed_line_endings_are_accepted(project: Path, check):
    raw = (project / C).read_bytes().split(b"\n")
    mixed = b"".join(line + (b"\r\n" if i % 2 else b"\n") for i, line in enumerate(raw[:-1]))
    (project / C).write_bytes(mixed)
    run = check(project)
    assert run.code == 0, run.text


def test_pre_plus_raise_mismatch_passes_lenient_check(project: Path, check):
    replace(C, "pre_money_valuation: USD 8.5 billion", "pre_money_valuation: USD 8 billion")(project)
    strict = check(project)
    assert strict.code == 1
    lenient = check(project, "--lenient")
    assert lenient.code == 0
    assert lenient.lines[:2] == [
        f"{C}:28:16: warning: events[1].valuation: pre-money USD 8 billion plus amount "
        "raised USD 1.5 billion is USD 9.5 billion, not USD 10 billion; fix one figure, or explain "
        "the difference in note and remove the pre-money",
        "1 warning in 1 file"]


@pytest.mark.parametrize("text, value", [
    ("NO", "NO"), ("yes", "yes"), ("on", "on"), ("True", "True"), ("0755", "0755"),
    ("0o17", "0o17"), ("0x1F", "0x1F"), ("1:30", "1:30"), ("1e3", "1e3"), ("1.5", "1.5"),
    (".inf", ".inf"), ("-.inf", "-.inf"), (".nan", ".nan"), ("2024-05-01", "2024-05-01"),
    ("1_000", "1_000"), ("'true'", "true"), ('"12"', "12"), ("+5", "+5"), ("-0", "-0"),
    ("007", "007"),
    ("true", True), ("false", False), ("~", None), ("null", None), ("", None), ("0", 0),
    ("12", 12), ("-3", -3),
], ids=lambda v: repr(v))
def test_yaml_1_1_coercions_never_happen(text: str, value):
    problems = Problems()
    doc = reader.parse_yaml(f"v: {text}\n", "x.yaml", problems)
    assert not problems.items
    assert doc is not None and doc.data == {"v": value}
    assert type(doc.data["v"]) is type(value)


def test_size_cap_is_documented_and_checked_before_parsing(project: Path, check, monkeypatch):
    assert "256 KiB" in reader.__doc__ and reader.MAX_DATA_FILE_BYTES == 256 * 1024
    parsed: list[str] = []
    real = reader.parse_yaml

    def spy(text, rel, problems, **kw):
        parsed.append(rel)
        return real(text, rel, problems, **kw)

    monkeypatch.setattr("generator.load.parse_yaml", spy)
    write(B, bigcloud("# " + "x" * (reader.MAX_DATA_FILE_BYTES + 1) + "\n"))(project)
    run = check(project)
    assert run.code == 1
    assert B not in parsed
    assert C in parsed


def test_symlinked_file_is_never_opened(project: Path, check, monkeypatch):
    symlink_out_of_tree(B)(project)
    opened: list[str] = []
    real_open = os.open

    def spy(path, *a, **kw):
        opened.append(str(path))
        return real_open(path, *a, **kw)

    monkeypatch.setattr(os, "open", spy)
    run = check(project)
    assert run.code == 1
    assert not any("outside.yaml" in p or p.endswith("bigcloud.yaml") for p in opened)


def test_a_billion_laughs_is_refused_quickly(project: Path, check):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    write(B, "\n".join(lines) + "\n")(project)
    run = check(project)
    assert run.code == 1
    assert run.lines[0].startswith(f"{B}:1:5: anchor '&a0' is not allowed")


@pytest.mark.parametrize("word, options, expected", [
    ("valuaton", ["pre_money_valuation", "post_money_valuation", "amount_raised", "date"],
     "; did you mean 'post_money_valuation' or 'pre_money_valuation'?"),
    ("anthropc", ["anthropic", "openai", "bigcloud"], "; did you mean 'anthropic'?"),
    ("confimed", ["confirmed", "reported", "rumored", "unverified"], "; did you mean 'confirmed'?"),
    ("Status", ["status", "sources"], "; did you mean 'status'?"),
    ("raised", ["amount_raised", "amount_committed"], "; did you mean 'amount_raised'?"),
    ("acme-news-2012", ["acme-news-2021", "daily-2023"], "; did you mean 'acme-news-2021'?"),
    ("tags", ["id", "name", "kind", "summary", "events"], ""),
    ("x", ["xai", "x-corp"], ""),
], ids=lambda v: v if isinstance(v, str) else None)
def test_suggest(word: str, options: list[str], expected: str):
    assert suggest(word, options) == expected


def test_explain_shows_the_exact_amount_understood(project: Path, check):
    run = check(project, "--explain")
    assert run.code == 0, run.text
    assert (f"{C}:26:20: events[1].amount_raised: 'USD 1.5 billion' is read as "
            "USD 1,500,000,000") in run.lines
    assert (f"{C}:36:12: metrics[0].value: 'about USD 500 million' is read as "
            "about USD 500,000,000") in run.lines
    assert f"{T}:29:71: rows[1].values.price: 'USD 30 thousand' is read as USD 30,000" in run.lines


def test_explain_shows_amounts_with_decimals_exactly(project: Path, check):
    replace(C, "amount_raised: USD 100 million", "amount_raised: USD 0.1234 billion")(project)
    replace(C, "valuation: USD 1 billion",
            "valuation: USD 1.23456789 billion")(project)
    run = check(project, "--explain")
    assert f"{C}:13:20: events[0].amount_raised: 'USD 0.1234 billion' is read as " \
           "USD 123,400,000" in run.lines
    assert f"{C}:14:16: events[0].valuation: 'USD 1.23456789 billion' is read as " \
           "USD 1,234,567,890" in run.lines


def test_a_valid_scratch_project_passes(project: Path, check):
    run = check(project)
    assert run.code == 0
    assert run.lines[0] == "no problems found"


def test_shipped_data_is_valid(capsys):
    from support import run_cli

    run = run_cli(capsys, REPO, "check")
    assert "Traceback" not in run.text
    assert run.lines[0] == "no problems found", run.text
    assert run.code == 0
