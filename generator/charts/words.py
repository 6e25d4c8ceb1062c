"""How charts write figures in words: amounts in billions, ratios, lists, dates and the cells of
a chart's data table."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Any

from ..markup import short_date
from ..values import CURRENCIES, LOWER_BOUNDS, UPPER_BOUNDS, Money, PartialDate


def bn(value: Money | Decimal) -> float:
    """An amount in billions of its currency, for plotting (the tables keep the exact figure): a
    number as it is, an amount where a chart draws it (a range at its middle). The check caps
    every amount (values.CURRENCIES, at most 3·10^16), so this float is finite."""
    point = value.point if isinstance(value, Money) else value
    return float(point / Decimal(10**9))


def cur_label(currency: str) -> str:
    return CURRENCIES[currency][0].strip()


def month_year(d: PartialDate) -> str:
    return short_date(PartialDate(d.year, d.month))


def iso(d: PartialDate) -> str:
    return d.earliest.isoformat()


def num(x: float | Decimal | int, digits: int = 2) -> str:
    """1234.5 → '1,234.5'; trailing zeros dropped."""
    q = f"{float(x):,.{digits}f}"
    return q.rstrip("0").rstrip(".") if "." in q else q


def times(a: float, b: float) -> str:
    """How many times a is b: '2.9 times', '235 times'."""
    r = a / b
    return f"{num(r, 1 if r < 10 else 0)} times"


def list_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def status_phrase(status: str) -> str:
    return "" if status == "confirmed" else f", {status}"


def _four(a: Decimal, rounding: str = ROUND_HALF_EVEN) -> Decimal:
    """A positive number to four significant figures."""
    q = Decimal(10) ** (int(math.floor(math.log10(a))) - 3)
    r = (a / q).quantize(Decimal(1), rounding=rounding) * q
    return r.normalize() if r != r.to_integral() else r.quantize(Decimal(1))


def rounded(mn: Money) -> str:
    """A sum shown to four significant figures: 'about US$138.3 billion' (a range, each end)."""
    a = mn.amount
    if a <= 0:
        return mn.display()
    # a bound or a range is rounded outward, so that it stays true
    high = _four(mn.high, ROUND_CEILING) if mn.high is not None else None
    r = _four(a, ROUND_FLOOR if mn.qualifier in LOWER_BOUNDS or high is not None else
              ROUND_CEILING if mn.qualifier in UPPER_BOUNDS else ROUND_HALF_EVEN)
    if r == a and (high is None or high == mn.high):
        return mn.display()
    return Money(r, mn.currency, mn.qualifier or "about", high).display()


def plain(d: Decimal) -> str:
    s = f"{d:f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def display(v: Any, kind: str = "text") -> str:
    """A cell of the chart's data table, as readers see it (a year without a separator)."""
    if v is None:
        return "—"
    if kind == "year":
        return str(v)
    if isinstance(v, Money):
        return v.display()
    if isinstance(v, PartialDate):
        return short_date(v)
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, float, Decimal)):
        return num(v, 2)
    return str(v)


def csv_value(v: Any) -> str:
    """A cell of the chart's CSV download, before the formula guard."""
    if v is None:
        return ""
    if isinstance(v, PartialDate):
        return str(v)
    if isinstance(v, Decimal):
        return plain(v)
    if isinstance(v, float):
        return num(v, 4).replace(",", "")
    return str(v)
