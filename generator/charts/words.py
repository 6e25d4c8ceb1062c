"""How charts write figures in words: amounts in billions, ratios, lists, dates and the cells of
a chart's data table."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from ..markup import short_date
from ..values import CURRENCIES, Money, PartialDate


def bn(money: Money) -> float:
    """An amount in billions of its currency, for plotting (the tables keep the exact figure).
    The check caps every amount (values.CURRENCIES, at most 3·10^16), so this float is finite."""
    return float(money.amount / Decimal(10**9))


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


def rounded(mn: Money) -> str:
    """A sum shown to four significant figures: 'about US$138.3 billion'."""
    a = mn.amount
    if a <= 0:
        return mn.display()
    q = Decimal(10) ** (int(math.floor(math.log10(a))) - 3)
    r = (a / q).quantize(Decimal(1)) * q
    if r == a:
        return mn.display()
    return Money(r.normalize() if r != r.to_integral() else r.quantize(Decimal(1)), mn.currency,
                 mn.qualifier or "about").display()


def plain(d: Decimal) -> str:
    s = f"{d:f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def display(v: Any) -> str:
    """A cell of the chart's data table, as readers see it."""
    if v is None:
        return "—"
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
