"""The value types of the data files: money, dates, ids, plain text and addresses.

Each type parses the exact text a contributor wrote and refuses anything ambiguous with a message
that shows the accepted notation. They are used as pydantic field types by :mod:`generator.model`;
the JSON Schema each one shows to editors is declared here too.

Money notation (documented in CONTRIBUTING.md)::

    [about | more than | at least | less than | up to] CUR NUMBER [scale]
    [about] CUR NUMBER [scale] to NUMBER [scale]        (a range, the smaller end first)

    (scale: thousand | million | billion | trillion)

    USD 65 billion          USD 1.25 billion        EUR 1.7 billion      SAR 32
    about USD 86 billion    more than USD 900 billion    up to USD 50 billion
    USD 27 billion to 29 billion

CUR is an ISO 4217 code in capitals, NUMBER has digits and at most one decimal point, and the
scale words are short-scale (a billion is 1,000,000,000). The value is kept as an exact decimal.
Fields that take one amount (money raised or committed, table cells) refuse a range
(:func:`one_amount`), and money paid in refuses an 'up to' amount too (:func:`paid_amount`).

Ranges (documented in CONTRIBUTING.md; anything beyond them is refused with a message, never
rounded and never an internal error):

* money: more than zero, whole cents at most (two decimals once the scale word is applied), and at
  most the currency's cap in :data:`CURRENCIES` (USD 20 trillion; a thousand times too big is the
  classic slip). Digits are counted before any arithmetic, so a 28-digit amount is refused like a
  3-digit one and never reaches Decimal's 28-digit precision;
* numbers in tables: integers and decimals from 0 to 10^15 (:data:`NUMBER_MAX`), decimals with at
  most six digits after the point; years from 1800 to 2200 (also in dates).

Text: names, titles and text cells refuse the Unicode categories Cf, Co, Cs, Zl and Zp, tag
characters, the Hangul fillers and U+034F; paragraphs refuse Co, Cs, Zl, Zp, tags and Cf except
the visible number signs of some scripts (see :func:`name_char_problem`). Any text quoted in a
report goes through :func:`generator.escape.shown`.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from .escape import HANGUL_FILLERS, shown

# ---------------------------------------------------------------------------------------------
# Money

CURRENCIES: dict[str, tuple[str, Decimal]] = {
    # code: (display prefix, largest plausible amount)
    "USD": ("US$", Decimal(20) * 10**12),
    "EUR": ("€", Decimal(20) * 10**12),
    "GBP": ("£", Decimal(20) * 10**12),
    "CHF": ("CHF ", Decimal(20) * 10**12),
    "SAR": ("SAR ", Decimal(80) * 10**12),
    "CNY": ("CN¥", Decimal(150) * 10**12),
    "HKD": ("HK$", Decimal(150) * 10**12),
    "JPY": ("¥", Decimal(3000) * 10**12),
    "KRW": ("₩", Decimal(30000) * 10**12),
    "INR": ("₹", Decimal(1700) * 10**12),
}
SCALES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
# What a qualifier says about the amount: 'about' it (approximate), above it (a lower bound:
# 'more than' excludes the amount, 'at least' includes it) or below it (an upper bound: 'less
# than' excludes it, 'up to' includes it). A range has both ends, and at most 'about'.
QUALIFIERS = ("about", "more than", "at least", "less than", "up to")
LOWER_BOUNDS = ("more than", "at least")
UPPER_BOUNDS = ("less than", "up to")
MONEY_EXAMPLE = "'USD 65 billion' (also 'about USD 86 billion', 'EUR 1.7 billion', 'USD 750 million')"
RANGE_EXAMPLE = "'USD 27 billion to 29 billion'"
_NUM = r"[0-9]+(?:\.[0-9]+)?"
_SCALE = r"thousand|million|billion|trillion"
_MONEY = re.compile(
    rf"(?:(?P<q>{'|'.join(QUALIFIERS)}) )?(?P<cur>[A-Z]{{3}}) (?P<num>{_NUM})"
    rf"(?: (?P<scale>{_SCALE}))?(?: to (?P<num2>{_NUM})(?: (?P<scale2>{_SCALE}))?)?\Z"
)
_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₩": "KRW", "₹": "INR"}


@dataclass(frozen=True, slots=True)
class Money:
    """An amount as a source gives it: exact, 'about' it, a bound ('more than', 'at least', 'less
    than', 'up to' it) or a range from ``amount`` to ``high`` (optionally 'about')."""

    amount: Decimal  # exact, in currency units (65000000000 for USD 65 billion); a range's low end
    currency: str
    qualifier: str = ""  # "" or one of QUALIFIERS
    high: Decimal | None = None  # a range's high end (above amount); None for one amount

    @property
    def is_range(self) -> bool:
        return self.high is not None

    @property
    def low_end(self) -> Decimal | None:
        """The least the amount can be, as the source says (None: not said, for an upper bound)."""
        return None if self.qualifier in UPPER_BOUNDS else self.amount

    @property
    def high_end(self) -> Decimal | None:
        """The most the amount can be, as the source says (None: not said, for a lower bound)."""
        if self.high is not None:
            return self.high
        return None if self.qualifier in LOWER_BOUNDS else self.amount

    @property
    def point(self) -> Decimal:
        """Where a chart draws the amount: the amount itself, or the middle of a range."""
        return self.amount if self.high is None else (self.amount + self.high) / 2

    def __str__(self) -> str:  # the canonical notation, as a contributor would write it
        num, word = _scaled(self.amount, 3)
        if self.high is not None:
            num2, word2 = _scaled(self.high, 3)
            if bool(word) != bool(word2):  # a scale word on both ends or neither
                (num, word), (num2, word2) = (_plain(self.amount), ""), (_plain(self.high), "")
        text = f"{self.currency} {num}{' ' + word if word else ''}"
        if self.high is not None:
            text += f" to {num2}{' ' + word2 if word2 else ''}"
        return f"{self.qualifier} {text}" if self.qualifier else text

    def exact(self) -> str:
        """The amount written out in full, as the check shows what it understood."""
        q = f"{self.qualifier} " if self.qualifier else ""
        upper = f" to {self.high:,}" if self.high is not None else ""
        return f"{q}{self.currency} {self.amount:,}{upper}"

    def display(self) -> str:
        """For readers: 'US$965 billion', 'about US$86 billion', '€1.7 billion', 'up to US$50
        billion', 'US$27–29 billion'."""
        prefix = CURRENCIES[self.currency][0]
        num, word = _scaled(self.amount, 6)
        if self.high is None:
            text = f"{prefix}{num}{' ' + word if word else ''}"
        else:
            num2, word2 = _scaled(self.high, 6)
            if word == word2:
                text = f"{prefix}{num}–{num2}{' ' + word if word else ''}"
            else:
                text = (f"{prefix}{num}{' ' + word if word else ''} to "
                        f"{prefix}{num2}{' ' + word2 if word2 else ''}")
        return f"{self.qualifier} {text}" if self.qualifier else text


def _scaled(amount: Decimal, smallest: int) -> tuple[str, str]:
    """An amount as a number and a scale word (the largest that fits, from 10^smallest on); below
    that, digits (with thousands separators for readers, smallest=6; plain for the notation)."""
    for word, exp in sorted(SCALES.items(), key=lambda kv: -kv[1]):
        unit = Decimal(10) ** exp
        if exp >= smallest and amount >= unit:
            return _plain(amount / unit), word
    if smallest == 3:
        return _plain(amount), ""
    return (f"{amount:,.0f}" if amount % 1 == 0 else f"{amount:,.2f}"), ""


def _plain(d: Decimal) -> str:
    s = f"{d:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def parse_money(value: Any) -> Money:
    if isinstance(value, Money):
        return value
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("money", "expected an amount of money such as {example}, got "
                                  "{got}", {"example": MONEY_EXAMPLE, "got": _kind(value)})
    if isinstance(value, (int, float)):
        raise PydanticCustomError(
            "money", "{value} is a bare number without a currency; write the amount as {example}",
            {"value": str(value), "example": MONEY_EXAMPLE})
    if not isinstance(value, str):
        raise PydanticCustomError("money", "expected an amount of money such as {example}, got "
                                  "{got}", {"example": MONEY_EXAMPLE, "got": _kind(value)})
    m = _MONEY.match(value)
    if not m:
        hint = _money_hint(value)
        raise PydanticCustomError("money", "{value} is not in the money notation{hint}; write it as "
                                  "{example}", {"value": _quoted(value), "hint": hint,
                                                "example": MONEY_EXAMPLE})
    cur = m.group("cur")
    if cur not in CURRENCIES:
        raise PydanticCustomError("money", "unknown currency {cur} in {value}; expected one of "
                                  "{known}", {"cur": repr(cur), "value": _quoted(value),
                                              "known": ", ".join(CURRENCIES)})
    q = m.group("q") or ""
    low = _amount(value, cur, m.group("num"), m.group("scale"))
    if m.group("num2") is None:
        return Money(low, cur, q)
    if q not in ("", "about"):
        first = f"{cur} {m.group('num')}" + (f" {m.group('scale')}" if m.group("scale") else "")
        raise PydanticCustomError("money", "{value} is a range with {q}; a range has two ends "
                                  "already, so its only qualifier is 'about': write the range "
                                  "without {q}, or one amount such as {one}",
                                  {"value": _quoted(value), "q": repr(q),
                                   "one": repr(f"{q} {first}")})
    if (m.group("scale") is None) != (m.group("scale2") is None):
        raise PydanticCustomError("money", "{value} has a scale word after one end of the range "
                                  "only; write it after both numbers, as in {example}",
                                  {"value": _quoted(value), "example": RANGE_EXAMPLE})
    high = _amount(value, cur, m.group("num2"), m.group("scale2"))
    if high <= low:
        same = high == low
        raise PydanticCustomError(
            "money", "{value} is not a range: " + (
                "both ends are {low}; write one amount" if same else
                "its low end ({low}) is above its high end ({high}); write the smaller amount "
                "first"), {"value": _quoted(value), "low": str(Money(low, cur)),
                           "high": str(Money(high, cur))})
    return Money(low, cur, q, high)


def _amount(value: str, cur: str, num: str, scale: str | None) -> Decimal:
    """One number of an amount with its scale word, exactly, within the currency's cap."""
    # The digits are counted before any arithmetic: Decimal works to 28 significant digits, so
    # 'USD 1234567890123456789012345678 billion' would be rounded, or fail, rather than refused.
    exp = SCALES.get(scale or "", 0)
    whole, _, frac = num.partition(".")
    whole, frac = whole.lstrip("0"), frac.rstrip("0")
    cap = CURRENCIES[cur][1]
    too_big = PydanticCustomError(
        "money", "{value} is more than {cap}, larger than any company or deal; check the "
        "scale word (a thousand times too big is a common slip)",
        {"value": _quoted(value), "cap": str(Money(cap, cur))})
    if len(whole) + exp > len(str(int(cap))):
        raise too_big
    if len(frac) > exp + 2:
        raise PydanticCustomError("money", "{value} has fractions of a cent; round it to whole "
                                  "cents", {"value": _quoted(value)})
    # at most 17 digits before the decimal point and 2 after it from here on: exact
    amount = Decimal(f"{whole or 0}.{frac or 0}").scaleb(exp)
    if amount <= 0:
        raise PydanticCustomError("money", "{value} is zero; an amount must be greater than zero "
                                  "(leave the field out when the amount is not known)",
                                  {"value": _quoted(value)})
    if amount > cap:
        raise too_big
    return amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount.normalize()


def _money_hint(value: str) -> str:
    v = value.strip()
    if v != value or "  " in v or "\n" in v:
        return " (use single spaces between the parts, and none at the start or end)"
    if re.search(r"[0-9] ?[-\u2013\u2014] ?[0-9]", v) or re.search(r"\bto [A-Z]{3} [0-9]", v) \
            or v.lower().startswith("between "):
        return (f" (write a range as {RANGE_EXAMPLE}: the currency once, then each number with "
                "its scale word, joined by 'to')")
    if re.search(r"(^|\s)[-\u2212]\s*[0-9]", v):
        return " (amounts cannot be negative)"
    for sym, code in sorted(_SYMBOLS.items(), key=lambda kv: -len(kv[0])):
        if sym in v:
            return f" (use the currency code {code} instead of the sign '{sym}')"
    if re.match(r"[a-z]{3} ", v):
        return f" (currency codes are written in capitals: '{v[:3].upper()}')"
    if re.search(r"\d,\d", v):
        return " (no thousands separators; use a scale word instead)"
    if re.search(r"\d\s*(bn|b|m|k|t|tn|mn|mm)\b", v, re.I):
        return " (abbreviations such as B, bn or M are ambiguous; write the scale word in full)"
    if re.search(r"[0-9][eE][-+]?[0-9]", v):
        return " (no exponents such as 1e9; use a scale word such as 'billion')"
    m = re.search(r"[0-9] ([A-Za-z]+)\Z", v)
    if m and m.group(1) not in SCALES:
        word = m.group(1).lower().rstrip("s")
        if word in SCALES:
            return f" (write the scale word as '{word}': lower case, singular)"
        return " (the scale word after the number is thousand, million, billion or trillion)"
    if re.fullmatch(r"[0-9.eE+_-]+", v):
        return " (a bare number has no currency)"
    if re.match(rf"(?:(?:{'|'.join(QUALIFIERS)}) )?[0-9]", v):
        return " (the currency code comes first)"
    for q in QUALIFIERS:
        if v.lower().startswith(q + " ") and not v.startswith(q + " "):
            return f" (write '{q}' in lower case)"
    if v.lower().startswith(("approximately", "approx", "~", "over", "around", "roughly",
                             "nearly", "almost", "under", "below", "above", "at most", ">", "<")):
        return (" (the qualifiers are 'about', 'more than', 'at least', 'less than' and "
                "'up to')")
    return ""


def one_amount(value: Any) -> Money:
    """An amount for a field that takes one figure (money raised or committed, a table cell): a
    range is refused."""
    m = parse_money(value)
    if m.is_range:
        raise PydanticCustomError(
            "money", "{value} is a range, but this field takes one amount; give the figure the "
                     "sources support (with 'about' or a bound such as 'at least' if need be), "
                     "and record a figure that other reports give as an alternative",
            {"value": _quoted(value)})
    return m


def paid_amount(value: Any) -> Money:
    """Money paid in: one amount, and never an 'up to' amount, which is a ceiling rather than a
    payment."""
    m = one_amount(value)
    if m.qualifier in UPPER_BOUNDS:
        raise PydanticCustomError(
            "money", "{value} is a ceiling, but this field is money paid in; put an 'up to' amount "
                     "in amount_committed (or committed, for one investor) and the part known to "
                     "be paid here", {"value": _quoted(value)})
    return m


parse_money.expected = "an amount such as 'USD 65 billion'"  # type: ignore[attr-defined]

def _money_pattern(qualifiers: tuple[str, ...], ranges: bool) -> str:
    """The notation as a JSON Schema pattern, for editors (the check says more)."""
    rng = f"(?: to {_NUM}(?: (?:{_SCALE}))?)?" if ranges else ""
    return (f"^(?:(?:{'|'.join(qualifiers)}) )?[A-Z]{{3}} {_NUM}(?: (?:{_SCALE}))?{rng}$")


def _money_schema(qualifiers: tuple[str, ...], ranges: bool, what: str,
                  examples: list[str]) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "pattern": _money_pattern(qualifiers, ranges),
                           "description": what, "examples": examples})


one_amount.expected = parse_money.expected  # type: ignore[attr-defined]
paid_amount.expected = parse_money.expected  # type: ignore[attr-defined]

MoneyField = Annotated[Money, BeforeValidator(parse_money), PlainSerializer(str, return_type=str),
                       _money_schema(QUALIFIERS, True,
                                     "An amount of money: [about|more than|at least|less than|up "
                                     "to] CURRENCY NUMBER [thousand|million|billion|trillion], or a "
                                     "range: [about] CURRENCY NUMBER [scale] to NUMBER [scale].",
                                     ["USD 65 billion", "about USD 86 billion",
                                      "more than USD 800 billion", "USD 27 billion to 29 billion"])]
# a field that takes one amount (money raised or committed): no range
OneMoneyField = Annotated[Money, BeforeValidator(one_amount), PlainSerializer(str, return_type=str),
                          _money_schema(QUALIFIERS, False,
                                        "One amount of money: [about|more than|at least|less "
                                        "than|up to] CURRENCY NUMBER [thousand|million|billion|"
                                        "trillion].", ["USD 65 billion", "up to USD 25 billion"])]
# money paid in: one amount, never a ceiling
PaidMoneyField = Annotated[Money, BeforeValidator(paid_amount), PlainSerializer(str, return_type=str),
                           _money_schema(("about",) + LOWER_BOUNDS, False,
                                         "Money paid in: [about|more than|at least] CURRENCY "
                                         "NUMBER [thousand|million|billion|trillion].",
                                         ["USD 5 billion", "about USD 10 billion"])]

# ---------------------------------------------------------------------------------------------
# Dates (ISO 8601 calendar dates, with reduced precision when the day or month is not known)

DATE_EXPECTED = "a date written YYYY-MM-DD (or YYYY-MM, or YYYY, when the day or month is not known)"
_DATE = re.compile(r"(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?\Z")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    year: int
    month: int = 0  # 0 when not known
    day: int = 0

    @property
    def order(self) -> tuple[int, int, int]:
        """A sort key that sorts as the date does, compared in C (dates compare in Python)."""
        return (self.year, self.month, self.day)

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def display(self) -> str:
        if self.day:
            return f"{self.day} {MONTHS[self.month - 1]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    @property
    def earliest(self) -> _dt.date:
        return _dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> _dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return _dt.date(self.year, month, day)


def parse_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise PydanticCustomError("date", "expected {expected}, got {got}",
                                  {"expected": DATE_EXPECTED, "got": _kind(value)})
    m = _DATE.match(value)
    if not m:
        hint = ""
        if value != value.strip():
            hint = " (remove the spaces around it)"
        elif re.fullmatch(r"[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{2,4}|[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}",
                          value):
            hint = " (day and month in this order are ambiguous)"
        elif re.fullmatch(r"[0-9]{2}-[0-9]{2}-[0-9]{2}", value):
            hint = " (the year takes four digits, and comes first)"
        elif re.fullmatch(r"[0-9]{4}[/.][0-9]{1,2}([/.][0-9]{1,2})?", value):
            hint = " (separate the parts with '-')"
        elif re.fullmatch(r"[0-9]{4}-[0-9]{1,2}(-[0-9]{1,2})?", value):
            hint = " (months and days take two digits)"
        elif re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]", value):
            hint = " (a date only, without a time)"
        raise PydanticCustomError("date", "{value} is not a date in the expected format{hint}; "
                                  "expected {expected}", {"value": _quoted(value), "hint": hint,
                                                          "expected": DATE_EXPECTED})
    y, mo, d = int(m.group("y")), int(m.group("m") or 0), int(m.group("d") or 0)
    if not 1800 <= y <= 2200:
        raise PydanticCustomError("date", "year {y} is out of range (1800 to 2200); expected "
                                  "{expected}", {"y": y, "expected": DATE_EXPECTED})
    if m.group("m") is not None and not 1 <= mo <= 12:
        raise PydanticCustomError("date", "{value} has month {mo}, which does not exist; expected "
                                  "{expected}", {"value": _quoted(value), "mo": mo,
                                                 "expected": DATE_EXPECTED})
    if m.group("d") is not None:
        last = calendar.monthrange(y, mo)[1]
        if not 1 <= d <= last:
            raise PydanticCustomError(
                "date", "{value} is not a real date ({month} {y} has {last} days); expected "
                "{expected}", {"value": _quoted(value), "month": MONTHS[mo - 1], "y": y,
                               "last": last, "expected": DATE_EXPECTED})
    return PartialDate(y, mo, d)


parse_date.expected = DATE_EXPECTED  # type: ignore[attr-defined]

def parse_published(value: Any) -> PartialDate | None:
    """A publication date, or the word 'undated' for a page that shows none (then None)."""
    if value == "undated":
        return None
    if value is None:
        raise PydanticCustomError("date", "expected {expected}, or the word undated when the "
                                  "source shows no date (then say so in note)",
                                  {"expected": DATE_EXPECTED})
    return parse_date(value)


parse_published.expected = (  # type: ignore[attr-defined]
    f"{DATE_EXPECTED}, or the word undated when the source shows no date")

PublishedField = Annotated[
    PartialDate | None,
    BeforeValidator(parse_published),
    PlainSerializer(lambda d: str(d) if d else "undated", return_type=str),
    WithJsonSchema({
        "anyOf": [{"type": "string", "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
                  {"type": "integer", "minimum": 1800, "maximum": 2200},
                  {"const": "undated"}],
        "description": "ISO 8601 date (YYYY-MM-DD, YYYY-MM, YYYY), or 'undated' when the source "
                       "shows no date.",
    }),
]

DAY_EXPECTED = "a day written YYYY-MM-DD, such as 2026-12-06"


def parse_day(value: Any) -> PartialDate:
    """A date with its day: when something was done, such as a record's last check."""
    d = parse_date(value)
    if not d.day:
        raise PydanticCustomError("date", "{value} is not a day; expected {expected}",
                                  {"value": _quoted(str(d)), "expected": DAY_EXPECTED})
    return d


parse_day.expected = DAY_EXPECTED  # type: ignore[attr-defined]

DayField = Annotated[
    PartialDate,
    BeforeValidator(parse_day),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                    "description": "ISO 8601 day: YYYY-MM-DD.", "examples": ["2026-12-06"]}),
]

DateField = Annotated[
    PartialDate,
    BeforeValidator(parse_date),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({
        "anyOf": [{"type": "string", "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
                  {"type": "integer", "minimum": 1800, "maximum": 2200}],
        "description": "ISO 8601 date: YYYY-MM-DD, or YYYY-MM / YYYY when less is known.",
        "examples": ["2026-05-28", "2021-05"],
    }),
]

# ---------------------------------------------------------------------------------------------
# Ids, text, addresses, numbers

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
SLUG_EXPECTED = "lower-case letters a-z, digits and single hyphens, such as 'series-h'"


def parse_slug(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)  # the reader only makes integers of digits written exactly so: '2024'
    if not isinstance(value, str):
        raise PydanticCustomError("id", "expected an id made of {expected}, got {got}",
                                  {"expected": SLUG_EXPECTED, "got": _kind(value)})
    if len(value) > 64:
        raise PydanticCustomError("id", "{value} is {n} characters long; an id has at most 64",
                                  {"value": _quoted(value), "n": len(value)})
    if not _SLUG.match(value):
        raise PydanticCustomError("id", "{value} is not a valid id; use {expected}",
                                  {"value": _quoted(value), "expected": SLUG_EXPECTED})
    return value


parse_slug.expected = f"an id made of {SLUG_EXPECTED}"  # type: ignore[attr-defined]

Slug = Annotated[str, BeforeValidator(parse_slug), WithJsonSchema(
    {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 64})]


# File names of contributor files (data files, articles, pages): one documented form, the id's.
FILE_NAME_RULE = ("lower-case ASCII letters a-z, digits and single hyphens, then the extension, "
                  "such as 'series-h{ext}'")


def file_name_problem(name: str, ext: str) -> str | None:
    """Why ``name`` is not a valid contributor file name ending in ``ext`` ('.yaml', '.md'), or
    None. The name in the message is shown escaped (see :func:`shown`)."""
    stem = name[: -len(ext)] if name.endswith(ext) else None
    if stem is not None and len(stem) <= 64 and _SLUG.match(stem):
        return None
    rule = FILE_NAME_RULE.format(ext=ext)
    return f"the file name {shown(name)} is not allowed; file names use {rule}"


def describe_char(ch: str) -> str:
    """'U+3164 (hangul filler)': a character named in a message (the name in lower case, or what
    kind of character it is when it has no name)."""
    name = unicodedata.name(ch, "")
    if not name:
        c, cat = ord(ch), unicodedata.category(ch)
        name = ("noncharacter" if 0xFDD0 <= c <= 0xFDEF or c & 0xFFFE == 0xFFFE else
                {"Cc": "control character", "Co": "private-use character",
                 "Cs": "surrogate"}.get(cat, "unassigned character"))
    return f"U+{ord(ch):04X} ({name.lower()})"


# What text fields refuse (documented in CONTRIBUTING.md, "Text"). Names, titles and the text
# cells of tables identify things and are shown in headings, links and charts: they refuse every
# character that is invisible or does not show as itself, whatever the script.
_NAME_CATEGORIES = frozenset({"Cf", "Co", "Cs", "Zl", "Zp"})
_NAME_EXTRA = frozenset(HANGUL_FILLERS + "\u034f")
_TAGS = range(0xE0000, 0xE0080)  # Cf where assigned; refused as a block
# Paragraphs (summaries, notes, descriptions, definitions) are prose, in any script: they refuse
# separators, private use, surrogates and format characters, except the format characters that
# are visible signs of a script (the Arabic, Syriac and Kaithi signs written over numbers). The
# Hangul fillers (which old Korean text composes syllables with) and the combining grapheme
# joiner (used in Hebrew) are accepted there.
_SCRIPT_SIGNS = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2"
                          "\U000110bd\U000110cd")


def _refused_in_name(ch: str) -> bool:
    return (unicodedata.category(ch) in _NAME_CATEGORIES or ch in _NAME_EXTRA or
            ord(ch) in _TAGS)


def _refused_in_paragraph(ch: str) -> bool:
    return (unicodedata.category(ch) in _NAME_CATEGORIES and ch not in _SCRIPT_SIGNS) or \
        ord(ch) in _TAGS


def name_char_problem(value: str) -> str | None:
    """Why ``value`` cannot be a name, a title or a text cell because of a character in it, or
    None."""
    if value.isascii():  # the common case; no ASCII character is refused here
        return None
    for i, ch in enumerate(value, 1):
        if _refused_in_name(ch):
            return (f"{shown(value) if len(value) <= 120 else 'the text'} contains "
                    f"{describe_char(ch)} at character {i}; names and titles may not contain "
                    "invisible, format, separator or private-use characters, so delete it")
    return None


def paragraph_char_problem(value: str) -> str | None:
    """Why ``value`` cannot be a paragraph because of a character in it, or None."""
    if value.isascii():
        return None
    for i, ch in enumerate(value, 1):
        if _refused_in_paragraph(ch):
            return (f"the text contains {describe_char(ch)} at character {i}; a paragraph may not "
                    "contain line or paragraph separators, private-use characters or invisible "
                    "format characters, so delete it")
    return None


def _text(max_len: int, multiline: bool, expected: str):
    def parse(value: Any) -> str:
        if value is None:
            raise PydanticCustomError("text", "has no value; write {expected} after the colon",
                                      {"expected": expected})
        if isinstance(value, bool) or isinstance(value, (list, dict)):
            raise PydanticCustomError("text", "expected {expected}, got {got}{hint}",
                                      {"expected": expected, "got": _kind(value),
                                       "hint": " (put it in quotes to keep it as text)"
                                       if isinstance(value, bool) else ""})
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            raise PydanticCustomError("text", "expected text")
        if value != value.strip():
            raise PydanticCustomError("text", "text has spaces or line breaks at the start or end; "
                                      "remove them")
        if not value:
            raise PydanticCustomError("text", "is empty; write {expected}", {"expected": expected})
        if not multiline and "\n" in value:
            raise PydanticCustomError("text", "must be a single line; remove the line breaks")
        if len(value) > max_len:
            raise PydanticCustomError("text", "is {n} characters long, over the limit of {max}; "
                                      "shorten it", {"n": len(value), "max": max_len})
        bad = (paragraph_char_problem if multiline else name_char_problem)(value)
        if bad:
            raise PydanticCustomError("text", "{problem}", {"problem": bad})
        return value

    parse.expected = expected  # type: ignore[attr-defined]  # read by load.expected_value
    return parse


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return _quoted(value)


def _quoted(value: Any, limit: int = 80) -> str:
    """repr() of a value for a message, cut short: one value can be as long as its file."""
    r = repr(value)
    if len(r) <= limit:
        return r
    n = len(value) if isinstance(value, str) else len(r)
    return f"{r[:limit - 24]}…{r[0] if isinstance(value, str) else ''} ({n:,} characters)"


Name = Annotated[str, BeforeValidator(_text(120, False, "a name (one line of text)")),
                 WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 120})]
Line = Annotated[str, BeforeValidator(_text(300, False, "one line of text")),
                 WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 300})]
Paragraph = Annotated[str, BeforeValidator(_text(2000, True, "a short paragraph of text")),
                      WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 2000})]

URL_EXPECTED = "a public web address starting with https://, such as 'https://www.example.com/page'"
_LOCAL_SUFFIXES = (".local", ".localhost", ".internal", ".invalid", ".test", ".example", ".lan",
                   ".home", ".corp", ".intranet", ".localdomain")
_HOST = re.compile(r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z")
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+\Z")


def parse_url(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("url", "expected {expected}, got {got}",
                                  {"expected": URL_EXPECTED, "got": _kind(value)})
    v = value
    if not _URL_CHARS.match(v):
        raise PydanticCustomError("url", "{value} contains spaces or characters that are not "
                                  "allowed in a web address; percent-encode them",
                                  {"value": _quoted(v)})
    try:
        parts = urlsplit(v)
    except ValueError:  # e.g. an unclosed [IPv6] address
        raise PydanticCustomError("url", "{value} is not a valid web address; expected {expected}",
                                  {"value": _quoted(v), "expected": URL_EXPECTED}) from None
    scheme = parts.scheme.lower()
    if scheme != "https":
        shown = scheme + ":" if scheme else "no scheme"
        raise PydanticCustomError("url", "{value} uses {shown}; expected {expected}",
                                  {"value": _quoted(v), "shown": shown, "expected": URL_EXPECTED})
    if not v.startswith("https://"):
        raise PydanticCustomError("url", "{value} must start with 'https://' (lower case, two "
                                  "slashes)", {"value": _quoted(v)})
    if parts.username or parts.password or "@" in parts.netloc:
        raise PydanticCustomError("url", "{value} contains a user name or password; remove them "
                                  "(expected {expected})", {"value": _quoted(v),
                                                            "expected": URL_EXPECTED})
    try:
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:  # e.g. a port that is not a number, or a broken [IPv6] address
        raise PydanticCustomError("url", "{value} is not a valid web address; expected {expected}",
                                  {"value": _quoted(v), "expected": URL_EXPECTED}) from None
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        ip = None
    if ip is not None:
        where = "a private or local network address" if not ip.is_global else "an IP address"
        raise PydanticCustomError("url", "{value} points at {where}, not a public host name; "
                                  "expected {expected}", {"value": _quoted(v), "where": where,
                                                          "expected": URL_EXPECTED})
    if host == "localhost" or host.endswith(_LOCAL_SUFFIXES):
        raise PydanticCustomError("url", "{value} points at this computer or a local network, not "
                                  "a public host; expected {expected}",
                                  {"value": _quoted(v), "expected": URL_EXPECTED})
    if not _HOST.match(host):
        raise PydanticCustomError("url", "{value} does not name a public host (such as "
                                  "www.example.com); expected {expected}",
                                  {"value": _quoted(v), "expected": URL_EXPECTED})
    if port is not None and port != 443:
        raise PydanticCustomError("url", "{value} names a port; use the plain https address",
                                  {"value": _quoted(v)})
    return v


parse_url.expected = URL_EXPECTED  # type: ignore[attr-defined]

Url = Annotated[str, BeforeValidator(parse_url), WithJsonSchema(
    {"type": "string", "format": "uri", "pattern": "^https://"})]

# Numbers in tables (integer and decimal columns), documented in CONTRIBUTING.md: from 0 to 10^15,
# at most six digits after the decimal point. In that range every figure is exact as a Decimal,
# becomes a float for a chart without overflow, and a ratio of two stays within Decimal's 28 digits.
NUMBER_MAX = 10**15
NUMBER_RANGE = "from 0 to 1,000,000,000,000,000 (10^15)"
DECIMAL_PLACES = 6
_DECIMAL = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?\Z")
_LONG_INT = re.compile(r"-?[1-9][0-9]{18,}\Z")  # what the reader leaves as text (over 18 digits)


def number_text(text: str) -> str:
    """A number as written, for a message; a very long one cut short ('123456789012… (5,000
    digits)')."""
    if len(text) <= 24:
        return text
    return f"{text[:12]}… ({sum(ch.isdigit() for ch in text):,} digits)"


def parse_decimal(value: Any) -> Decimal:
    """A number in a decimal column: digits with at most one decimal point, from 0 to
    ``NUMBER_MAX`` with at most ``DECIMAL_PLACES`` decimals, kept exact. YAML floats arrive as
    text, and 1e3, .inf and .nan are refused."""
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("number", "expected a number such as 3.35, got {got}",
                                  {"got": _kind(value)})
    text = str(value) if isinstance(value, int) else value
    m = _DECIMAL.match(text) if isinstance(text, str) else None
    if not m:
        raise PydanticCustomError("number", "{value} is not a plain decimal number; write digits "
                                  "with at most one decimal point, such as 3.35 (no units, "
                                  "exponents or thousands separators)", {"value": _quoted(value)})
    sign, whole, frac = m.group(1), m.group(2).lstrip("0"), m.group(3) or ""
    if sign or len(whole) > len(str(NUMBER_MAX)) or int(whole or 0) > NUMBER_MAX or \
            (int(whole or 0) == NUMBER_MAX and frac.strip("0")):
        raise PydanticCustomError("number", "{value} is out of range; expected a number {range}",
                                  {"value": number_text(text), "range": NUMBER_RANGE})
    if len(frac) > DECIMAL_PLACES:
        raise PydanticCustomError("number", "{value} has {n} digits after the decimal point; a "
                                  "number in a table has at most {max}, so round it",
                                  {"value": number_text(text), "n": f"{len(frac):,}",
                                   "max": DECIMAL_PLACES})
    return Decimal(text)


def parse_int(value: Any, unit: str = "units") -> int:
    """A number in an integer column: digits only, from 0 to ``NUMBER_MAX``."""
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value <= NUMBER_MAX:
            return value
        text = str(value)  # the reader makes integers of at most 18 digits
    elif isinstance(value, str) and _LONG_INT.match(value):
        text = value
    else:
        raise PydanticCustomError("integer", "expected a whole number of {unit} such as 700 "
                                  "(digits only: no leading zero, decimal point, unit or "
                                  "separator), got {got}", {"unit": unit, "got": _kind(value)})
    raise PydanticCustomError("integer", "{value} is out of range; expected a whole number of "
                              "{unit} {range}", {"value": number_text(text), "unit": unit,
                                                 "range": NUMBER_RANGE})
