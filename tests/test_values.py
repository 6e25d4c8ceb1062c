"""The value types on their own: money, dates, ids and web addresses; accepted forms and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st
from pydantic_core import PydanticCustomError

from generator.values import (
    CURRENCIES, Money, PartialDate, one_amount, paid_amount, parse_date, parse_decimal, parse_money,
    parse_slug, parse_url,
)

MONEY_EX = ("write it as 'USD 65 billion' (also 'about USD 86 billion', 'EUR 1.7 billion', "
            "'USD 750 million')")
DATE_EX = ("expected a date written YYYY-MM-DD (or YYYY-MM, or YYYY, when the day or month is not "
           "known)")
URL_EX = ("expected a public web address starting with https://, such as "
          "'https://www.example.com/page'")


def refusal(parse, value) -> str:
    with pytest.raises(PydanticCustomError) as info:
        parse(value)
    return info.value.message()


# ---------------------------------------------------------------------------------------------
# money


@pytest.mark.parametrize("text, amount, currency, qualifier", [
    ("USD 65 billion", Decimal("65000000000"), "USD", ""),
    ("USD 1.25 billion", Decimal("1250000000"), "USD", ""),
    ("USD 1.5 billion", Decimal("1500000000"), "USD", ""),
    ("USD 750 million", Decimal("750000000"), "USD", ""),
    ("USD 30 thousand", Decimal("30000"), "USD", ""),
    ("USD 0.1234 billion", Decimal("123400000"), "USD", ""),
    ("USD 1.23456789 billion", Decimal("1234567890"), "USD", ""),
    ("USD 2 trillion", Decimal("2000000000000"), "USD", ""),
    ("USD 20 trillion", Decimal("20000000000000"), "USD", ""),
    ("USD 12.34", Decimal("12.34"), "USD", ""),
    ("USD 1.2345 thousand", Decimal("1234.5"), "USD", ""),
    ("EUR 1.7 billion", Decimal("1700000000"), "EUR", ""),
    ("SAR 32", Decimal("32"), "SAR", ""),
    ("JPY 3000 trillion", Decimal("3000000000000000"), "JPY", ""),
    ("about USD 86 billion", Decimal("86000000000"), "USD", "about"),
    ("more than USD 900 billion", Decimal("900000000000"), "USD", "more than"),
    ("less than USD 1 million", Decimal("1000000"), "USD", "less than"),
    ("at least USD 30 billion", Decimal("30000000000"), "USD", "at least"),
    ("up to USD 50 billion", Decimal("50000000000"), "USD", "up to"),
])
def test_money_accepted(text: str, amount: Decimal, currency: str, qualifier: str):
    m = parse_money(text)
    assert m == Money(amount, currency, qualifier)
    assert m.amount == amount and type(m.amount) is Decimal
    assert parse_money(str(m)) == m  # the canonical notation reads back to the same amount


@pytest.mark.parametrize("value, message", [
    ("900B", "'900B' is not in the money notation (abbreviations such as B, bn or M are "
             f"ambiguous; write the scale word in full); {MONEY_EX}"),
    ("USD 5 bn", "'USD 5 bn' is not in the money notation (abbreviations such as B, bn or M are "
                 f"ambiguous; write the scale word in full); {MONEY_EX}"),
    ("$900,000,000", "'$900,000,000' is not in the money notation (use the currency code USD "
                     f"instead of the sign '$'); {MONEY_EX}"),
    ("US$ 100 million", "'US$ 100 million' is not in the money notation (use the currency code "
                        f"USD instead of the sign 'US$'); {MONEY_EX}"),
    ("€1.2bn", "'€1.2bn' is not in the money notation (use the currency code EUR instead of the "
               f"sign '€'); {MONEY_EX}"),
    ("USD 1,5 billion", "'USD 1,5 billion' is not in the money notation (no thousands "
                        f"separators; use a scale word instead); {MONEY_EX}"),
    ("1500000000.0", "'1500000000.0' is not in the money notation (a bare number has no "
                     f"currency); {MONEY_EX}"),
    (1500000000, "1500000000 is a bare number without a currency; write the amount as 'USD 65 "
                 "billion' (also 'about USD 86 billion', 'EUR 1.7 billion', 'USD 750 million')"),
    ("USD 1.5e9", "'USD 1.5e9' is not in the money notation (no exponents such as 1e9; use a "
                  f"scale word such as 'billion'); {MONEY_EX}"),
    ("100 million", "'100 million' is not in the money notation (the currency code comes first); "
                    f"{MONEY_EX}"),
    ("5 USD", "'5 USD' is not in the money notation (the scale word after the number is "
              f"thousand, million, billion or trillion); {MONEY_EX}"),
    ("usd 100 million", "'usd 100 million' is not in the money notation (currency codes are "
                        f"written in capitals: 'USD'); {MONEY_EX}"),
    ("XYZ 100 million", "unknown currency 'XYZ' in 'XYZ 100 million'; expected one of USD, EUR, "
                        "GBP, CHF, SAR, CNY, HKD, JPY, KRW, INR"),
    ("USD 100 Million", "'USD 100 Million' is not in the money notation (write the scale word as "
                        f"'million': lower case, singular); {MONEY_EX}"),
    ("USD 100 millions", "'USD 100 millions' is not in the money notation (write the scale word "
                         f"as 'million': lower case, singular); {MONEY_EX}"),
    ("USD  100 million", "'USD  100 million' is not in the money notation (use single spaces "
                         f"between the parts, and none at the start or end); {MONEY_EX}"),
    ("About USD 5 billion", "'About USD 5 billion' is not in the money notation (write 'about' "
                            f"in lower case); {MONEY_EX}"),
    ("approximately USD 5 billion", "'approximately USD 5 billion' is not in the money notation "
                                    "(the qualifiers are 'about', 'more than', 'at least', 'less "
                                    f"than' and 'up to'); {MONEY_EX}"),
    ("over USD 5 billion", "'over USD 5 billion' is not in the money notation (the qualifiers are "
                           "'about', 'more than', 'at least', 'less than' and 'up to'); "
                           f"{MONEY_EX}"),
    ("USD 29 billion to 27 billion", "'USD 29 billion to 27 billion' is not a range: its low end "
                                     "(USD 29 billion) is above its high end (USD 27 billion); "
                                     "write the smaller amount first"),
    ("USD 5 billion to 5 billion", "'USD 5 billion to 5 billion' is not a range: both ends are "
                                   "USD 5 billion; write one amount"),
    ("USD 27 to 29 billion", "'USD 27 to 29 billion' has a scale word after one end of the range "
                             "only; write it after both numbers, as in 'USD 27 billion to 29 "
                             "billion'"),
    ("more than USD 1 billion to 2 billion",
     "'more than USD 1 billion to 2 billion' is a range with 'more than'; a range has two ends "
     "already, so its only qualifier is 'about': write the range without 'more than', or one "
     "amount such as 'more than USD 1 billion'"),
    ("USD 27-29 billion", "'USD 27-29 billion' is not in the money notation (write a range as 'USD "
                          "27 billion to 29 billion': the currency once, then each number with its "
                          f"scale word, joined by 'to'); {MONEY_EX}"),
    ("USD 27 billion to USD 29 billion",
     "'USD 27 billion to USD 29 billion' is not in the money notation (write a range as 'USD 27 "
     "billion to 29 billion': the currency once, then each number with its scale word, joined by "
     f"'to'); {MONEY_EX}"),
    ("USD 27 billion to 29000 trillion",
     "'USD 27 billion to 29000 trillion' is more than USD 20 trillion, larger than any company or "
     "deal; check the scale word (a thousand times too big is a common slip)"),
    ("USD .5 billion", f"'USD .5 billion' is not in the money notation; {MONEY_EX}"),
    ("USD 0", "'USD 0' is zero; an amount must be greater than zero (leave the field out when "
              "the amount is not known)"),
    ("USD 0.0 billion", "'USD 0.0 billion' is zero; an amount must be greater than zero (leave "
                        "the field out when the amount is not known)"),
    ("USD -5 billion", "'USD -5 billion' is not in the money notation (amounts cannot be "
                       f"negative); {MONEY_EX}"),
    ("USD 25 trillion", "'USD 25 trillion' is more than USD 20 trillion, larger than any company "
                        "or deal; check the scale word (a thousand times too big is a common "
                        "slip)"),
    ("USD 965000 billion", "'USD 965000 billion' is more than USD 20 trillion, larger than any "
                           "company or deal; check the scale word (a thousand times too big is a "
                           "common slip)"),
    ("USD 1.234567 thousand", "'USD 1.234567 thousand' has fractions of a cent; round it to "
                              "whole cents"),
    (True, "expected an amount of money such as 'USD 65 billion' (also 'about USD 86 billion', "
           "'EUR 1.7 billion', 'USD 750 million'), got the boolean true"),
    (None, "expected an amount of money such as 'USD 65 billion' (also 'about USD 86 billion', "
           "'EUR 1.7 billion', 'USD 750 million'), got nothing (null)"),
    (["USD 1 billion"], "expected an amount of money such as 'USD 65 billion' (also 'about USD "
                        "86 billion', 'EUR 1.7 billion', 'USD 750 million'), got a list"),
], ids=repr)
def test_money_refused(value, message: str):
    assert refusal(parse_money, value) == message


@pytest.mark.parametrize("text, low, high, shown, notation, ends", [
    ("USD 27 billion to 29 billion", "27000000000", "29000000000", "US$27–29 billion",
     "USD 27 billion to 29 billion", ("27000000000", "29000000000")),
    ("about USD 27 billion to 29 billion", "27000000000", "29000000000", "about US$27–29 billion",
     "about USD 27 billion to 29 billion", ("27000000000", "29000000000")),
    ("USD 500 million to 1.2 billion", "500000000", "1200000000",
     "US$500 million to US$1.2 billion", "USD 500 million to 1.2 billion",
     ("500000000", "1200000000")),
    ("USD 1000 million to 2 billion", "1000000000", "2000000000", "US$1–2 billion",
     "USD 1 billion to 2 billion", ("1000000000", "2000000000")),
    ("SAR 27 to 32", "27", "32", "SAR 27–32", "SAR 27 to 32", ("27", "32")),
], ids=lambda v: v if isinstance(v, str) else None)
def test_money_ranges_keep_both_ends(text, low, high, shown, notation, ends):
    m = parse_money(text)
    assert (m.amount, m.high) == (Decimal(low), Decimal(high)) and m.is_range
    assert m.display() == shown and str(m) == notation
    assert (str(m.low_end), str(m.high_end)) == ends
    assert m.point == (Decimal(low) + Decimal(high)) / 2  # where a chart draws it
    assert parse_money(str(m)) == m


@pytest.mark.parametrize("text, low_end, high_end", [
    ("USD 5 billion", "5000000000", "5000000000"),
    ("about USD 5 billion", "5000000000", "5000000000"),
    ("more than USD 5 billion", "5000000000", None),
    ("at least USD 5 billion", "5000000000", None),
    ("less than USD 5 billion", None, "5000000000"),
    ("up to USD 5 billion", None, "5000000000"),
])
def test_bounds_state_only_the_ends_the_source_gives(text, low_end, high_end):
    m = parse_money(text)
    assert (m.low_end, m.high_end) == (low_end and Decimal(low_end), high_end and Decimal(high_end))


@pytest.mark.parametrize("parse, value, message", [
    (one_amount, "USD 1 billion to 2 billion",
     "'USD 1 billion to 2 billion' is a range, but this field takes one amount; give the figure "
     "the sources support (with 'about' or a bound such as 'at least' if need be), and record a "
     "figure that other reports give as an alternative"),
    (paid_amount, "USD 1 billion to 2 billion",
     "'USD 1 billion to 2 billion' is a range, but this field takes one amount; give the figure "
     "the sources support (with 'about' or a bound such as 'at least' if need be), and record a "
     "figure that other reports give as an alternative"),
    (paid_amount, "up to USD 5 billion",
     "'up to USD 5 billion' is a ceiling, but this field is money paid in; put an 'up to' amount "
     "in amount_committed (or committed, for one investor) and the part known to be paid here"),
    (paid_amount, "less than USD 5 billion",
     "'less than USD 5 billion' is a ceiling, but this field is money paid in; put an 'up to' "
     "amount in amount_committed (or committed, for one investor) and the part known to be paid "
     "here"),
], ids=["one-amount-range", "paid-range", "paid-up-to", "paid-less-than"])
def test_fields_that_take_one_amount_refuse_ranges_and_ceilings(parse, value, message):
    assert refusal(parse, value) == message


def test_money_shows_the_exact_amount_it_understood():
    assert parse_money("up to USD 50 billion").exact() == "up to USD 50,000,000,000"
    assert parse_money("up to USD 50 billion").display() == "up to US$50 billion"
    assert parse_money("USD 27 billion to 29 billion").exact() == \
        "USD 27,000,000,000 to 29,000,000,000"
    assert parse_money("USD 1.5 billion").exact() == "USD 1,500,000,000"
    assert parse_money("about USD 86 billion").exact() == "about USD 86,000,000,000"
    assert parse_money("USD 1.2345 thousand").exact() == "USD 1,234.5"
    assert parse_money("USD 65 billion").display() == "US$65 billion"
    assert parse_money("about EUR 1.7 billion").display() == "about €1.7 billion"


@given(st.sampled_from(sorted(CURRENCIES)),
       st.integers(min_value=1, max_value=10**13),
       st.sampled_from(["", "thousand", "million", "billion"]),
       st.sampled_from(["", "about", "more than", "at least", "less than", "up to"]))
def test_money_round_trips_through_its_notation(cur, digits, scale, qualifier):
    number = Decimal(digits).scaleb(-2)  # up to two decimals
    text = f"{qualifier + ' ' if qualifier else ''}{cur} {number}{' ' + scale if scale else ''}"
    try:
        m = parse_money(text)
    except PydanticCustomError as exc:  # only ever the plausibility cap or fractions of a cent
        assert "larger than any company" in exc.message() or \
            "fractions of a cent" in exc.message()
        return
    exp = {"": 0, "thousand": 3, "million": 6, "billion": 9}[scale]
    assert m.amount == number.scaleb(exp)
    assert parse_money(str(m)) == m


# ---------------------------------------------------------------------------------------------
# dates


@pytest.mark.parametrize("value, expected, shown", [
    ("2024", PartialDate(2024), "2024"),
    (2024, PartialDate(2024), "2024"),
    ("2024-02", PartialDate(2024, 2), "February 2024"),
    ("2024-02-29", PartialDate(2024, 2, 29), "29 February 2024"),
    ("1800-01-01", PartialDate(1800, 1, 1), "1 January 1800"),
    ("2200-12-31", PartialDate(2200, 12, 31), "31 December 2200"),
])
def test_dates_accepted(value, expected: PartialDate, shown: str):
    d = parse_date(value)
    assert d == expected
    assert d.display() == shown
    assert parse_date(str(d)) == d


def test_partial_dates_span_their_period():
    assert str(parse_date("2024-02").earliest) == "2024-02-01"
    assert str(parse_date("2024-02").latest) == "2024-02-29"
    assert str(parse_date("2023").latest) == "2023-12-31"
    assert parse_date("2023") < parse_date("2023-01") < parse_date("2023-01-01")


@pytest.mark.parametrize("value, message", [
    ("2024-02-30", f"'2024-02-30' is not a real date (February 2024 has 29 days); {DATE_EX}"),
    ("2023-02-29", f"'2023-02-29' is not a real date (February 2023 has 28 days); {DATE_EX}"),
    ("2024-04-31", f"'2024-04-31' is not a real date (April 2024 has 30 days); {DATE_EX}"),
    ("2024-01-00", f"'2024-01-00' is not a real date (January 2024 has 31 days); {DATE_EX}"),
    ("2024-13-01", f"'2024-13-01' has month 13, which does not exist; {DATE_EX}"),
    ("2024-00", f"'2024-00' has month 0, which does not exist; {DATE_EX}"),
    ("05/03/2024", "'05/03/2024' is not a date in the expected format (day and month in this "
                   f"order are ambiguous); {DATE_EX}"),
    ("05.03.2024", "'05.03.2024' is not a date in the expected format (day and month in this "
                   f"order are ambiguous); {DATE_EX}"),
    ("05-03-2024", "'05-03-2024' is not a date in the expected format (day and month in this "
                   f"order are ambiguous); {DATE_EX}"),
    ("24-05-01", "'24-05-01' is not a date in the expected format (the year takes four digits, "
                 f"and comes first); {DATE_EX}"),
    ("2024/05/01", f"'2024/05/01' is not a date in the expected format (separate the parts with "
                   f"'-'); {DATE_EX}"),
    ("2024-5-1", "'2024-5-1' is not a date in the expected format (months and days take two "
                 f"digits); {DATE_EX}"),
    ("2024-05-01T10:00", "'2024-05-01T10:00' is not a date in the expected format (a date only, "
                         f"without a time); {DATE_EX}"),
    (" 2024-05-01", "' 2024-05-01' is not a date in the expected format (remove the spaces "
                    f"around it); {DATE_EX}"),
    ("20240501", f"'20240501' is not a date in the expected format; {DATE_EX}"),
    ("May 2024", f"'May 2024' is not a date in the expected format; {DATE_EX}"),
    ("", f"'' is not a date in the expected format; {DATE_EX}"),
    ("1799", f"year 1799 is out of range (1800 to 2200); {DATE_EX}"),
    ("2201-01", f"year 2201 is out of range (1800 to 2200); {DATE_EX}"),
    (True, f"{DATE_EX}, got the boolean true"),
    (None, f"{DATE_EX}, got nothing (null)"),
], ids=repr)
def test_dates_refused(value, message: str):
    assert refusal(parse_date, value) == message


# ---------------------------------------------------------------------------------------------
# web addresses


@pytest.mark.parametrize("url", [
    "https://www.example.com/a?b=c#d",
    "https://acme.example.org/news/series-a",
    "https://xn--bcher-kva.example.org/",
    "https://example.com:443/",
    "https://example.com/%3Cscript%3E",
    "https://EXAMPLE.com/",
])
def test_urls_accepted(url: str):
    assert parse_url(url) == url  # kept exactly as written


@pytest.mark.parametrize("value, message", [
    ("http://example.com/", f"'http://example.com/' uses http:; {URL_EX}"),
    ("file:///etc/passwd", f"'file:///etc/passwd' uses file:; {URL_EX}"),
    ("javascript:alert(1)", f"'javascript:alert(1)' uses javascript:; {URL_EX}"),
    ("JavaScript:alert(1)", f"'JavaScript:alert(1)' uses javascript:; {URL_EX}"),
    ("data:text/html,hi", f"'data:text/html,hi' uses data:; {URL_EX}"),
    ("example.com/x", f"'example.com/x' uses no scheme; {URL_EX}"),
    ("//example.com/x", f"'//example.com/x' uses no scheme; {URL_EX}"),
    ("HTTPS://example.com/", "'HTTPS://example.com/' must start with 'https://' (lower case, two "
                             "slashes)"),
    ("https:/example.com", "'https:/example.com' must start with 'https://' (lower case, two "
                           "slashes)"),
    ("https://localhost/", "'https://localhost/' points at this computer or a local network, "
                           f"not a public host; {URL_EX}"),
    ("https://metadata.google.internal/", "'https://metadata.google.internal/' points at this "
                                          "computer or a local network, not a public host; "
                                          f"{URL_EX}"),
    ("https://10.1.2.3/", "'https://10.1.2.3/' points at a private or local network address, not "
                          f"a public host name; {URL_EX}"),
    ("https://172.16.0.1/", "'https://172.16.0.1/' points at a private or local network address, "
                            f"not a public host name; {URL_EX}"),
    ("https://169.254.169.254/latest", "'https://169.254.169.254/latest' points at a private or "
                                       f"local network address, not a public host name; {URL_EX}"),
    ("https://[::1]:8443/", "'https://[::1]:8443/' points at a private or local network address, "
                            f"not a public host name; {URL_EX}"),
    ("https://8.8.8.8/", f"'https://8.8.8.8/' points at an IP address, not a public host name; "
                         f"{URL_EX}"),
    ("https://2130706433/", "'https://2130706433/' does not name a public host (such as "
                            f"www.example.com); {URL_EX}"),
    ("https://0x7f.1/", f"'https://0x7f.1/' does not name a public host (such as "
                        f"www.example.com); {URL_EX}"),
    ("https://intranet/", f"'https://intranet/' does not name a public host (such as "
                          f"www.example.com); {URL_EX}"),
    ("https://", f"'https://' does not name a public host (such as www.example.com); {URL_EX}"),
    ("https://[::1", f"'https://[::1' is not a valid web address; {URL_EX}"),
    ("https://example.com:abc/", f"'https://example.com:abc/' is not a valid web address; "
                                 f"{URL_EX}"),
    ("https://example.com:8443/", "'https://example.com:8443/' names a port; use the plain https "
                                  "address"),
    ("https://user:pw@example.com/", "'https://user:pw@example.com/' contains a user name or "
                                     f"password; remove them ({URL_EX})"),
    ("https://example.com/a b", "'https://example.com/a b' contains spaces or characters that "
                                "are not allowed in a web address; percent-encode them"),
    ("https://example.com/?q=<script>", "'https://example.com/?q=<script>' contains spaces or "
                                        "characters that are not allowed in a web address; "
                                        "percent-encode them"),
    ("https://bücher.de/", "'https://bücher.de/' contains spaces or characters that are not "
                           "allowed in a web address; percent-encode them"),
    (None, f"{URL_EX}, got nothing (null)"),
    (5, f"{URL_EX}, got 5"),
], ids=repr)
def test_urls_refused(value, message: str):
    assert refusal(parse_url, value) == message


# ---------------------------------------------------------------------------------------------
# ids and plain numbers


@pytest.mark.parametrize("value, result", [("series-a", "series-a"), ("x1", "x1"), (2024, "2024"),
                                           ("a" * 64, "a" * 64)])
def test_ids_accepted(value, result: str):
    assert parse_slug(value) == result


@pytest.mark.parametrize("value, message", [
    ("Series-A", "'Series-A' is not a valid id; use lower-case letters a-z, digits and single "
                 "hyphens, such as 'series-h'"),
    ("series--a", "'series--a' is not a valid id; use lower-case letters a-z, digits and single "
                  "hyphens, such as 'series-h'"),
    ("series_a", "'series_a' is not a valid id; use lower-case letters a-z, digits and single "
                 "hyphens, such as 'series-h'"),
    ("-a", "'-a' is not a valid id; use lower-case letters a-z, digits and single hyphens, such "
           "as 'series-h'"),
    ("seri\u0435s-a", "'seri\u0435s-a' is not a valid id; use lower-case letters a-z, digits and "
                      "single hyphens, such as 'series-h'"),
    ("a" * 65, f"'{'a' * 65}' is 65 characters long; an id has at most 64"),
    (True, "expected an id made of lower-case letters a-z, digits and single hyphens, such as "
           "'series-h', got the boolean true"),
    (None, "expected an id made of lower-case letters a-z, digits and single hyphens, such as "
           "'series-h', got nothing (null)"),
], ids=repr)
def test_ids_refused(value, message: str):
    assert refusal(parse_slug, value) == message


@pytest.mark.parametrize("value, result", [("3.35", Decimal("3.35")), (8, Decimal(8)),
                                           ("0.1", Decimal("0.1"))])
def test_decimals_accepted_exactly(value, result: Decimal):
    assert parse_decimal(value) == result


@pytest.mark.parametrize("value", ["1e3", ".inf", ".nan", "1,000", "3.35 TB/s", "1_000", "0x10"])
def test_decimals_refused(value: str):
    assert refusal(parse_decimal, value) == (
        f"{value!r} is not a plain decimal number; write digits with at most one decimal point, "
        "such as 3.35 (no units, exponents or thousands separators)")


def test_a_released_document_finds_its_positions_again(tmp_path):
    """load() lets go of each checked file's values, positions and text (memory at thousands of
    files); a problem found later still gets the exact line and column, from the file."""
    from generator.problems import Problems
    from generator.reader import parse_yaml

    text = "id: acme\nevents:\n  - id: a\n    sources: [x, y]\n  - id: b\n    sources:\n      - z\n"
    path = tmp_path / "acme.yaml"
    path.write_text(text, encoding="utf-8")
    doc = parse_yaml(text, "data/companies/acme.yaml", Problems())
    before = {p: doc.where(p) for p in [(), ("id",), ("events", 1, "sources", 0),
                                        ("events", 0, "sources", 1), ("events", 9)]}
    keys = doc.where(("events", 1, "id"), key=True)
    data = doc.data
    doc.release(path, "data/companies/acme.yaml")
    assert doc.data is None and doc.positions == {}
    assert {p: doc.where(p) for p in before} == before
    assert before[("events", 1, "sources", 0)] == (7, 9)
    assert doc.where(("events", 1, "id"), key=True) == keys == (5, 5)
    assert doc.restored().data == data
    # a file that is gone by then: no positions, the problem is placed at the start
    gone = parse_yaml(text, "data/companies/acme.yaml", Problems())
    gone.release(tmp_path / "deleted.yaml", "data/companies/deleted.yaml")
    assert gone.where(("events", 1, "sources", 0)) == (1, 1)


@given(st.sampled_from(sorted(CURRENCIES)),
       st.integers(min_value=1, max_value=10**11), st.integers(min_value=1, max_value=10**11),
       st.sampled_from(["", "thousand", "million", "billion"]), st.sampled_from(["", "about"]))
def test_ranges_round_trip_and_keep_their_order(cur, a, b, scale, qualifier):
    low, high = sorted((Decimal(a).scaleb(-2), Decimal(b).scaleb(-2)))
    sc = f" {scale}" if scale else ""
    text = f"{qualifier + ' ' if qualifier else ''}{cur} {low}{sc} to {high}{sc}"
    try:
        m = parse_money(text)
    except PydanticCustomError as exc:  # equal ends, the cap, or fractions of a cent
        assert low == high or "larger than any company" in exc.message() or \
            "fractions of a cent" in exc.message()
        return
    assert m.amount < m.high
    assert parse_money(str(m)) == m



def test_a_date_s_order_sorts_as_the_dates_do():
    """Sorts key on ``PartialDate.order`` (a plain tuple, compared in C) instead of the date:
    the same order, a year before its months, a month before its days."""
    from generator.values import PartialDate

    dates = [PartialDate(2024, 3, 1), PartialDate(2024), PartialDate(2023, 12, 31),
             PartialDate(2024, 3), PartialDate(2024, 2, 29), PartialDate(2024, 3),
             PartialDate(2025, 1, 1), PartialDate(2024, 12)]
    by_order = sorted(dates, key=lambda d: d.order)
    assert by_order == sorted(dates)
    assert [str(d) for d in by_order] == ["2023-12-31", "2024", "2024-02-29", "2024-03",
                                          "2024-03", "2024-03-01", "2024-12", "2025-01-01"]
    assert PartialDate(2024, 3).order == (2024, 3, 0)
