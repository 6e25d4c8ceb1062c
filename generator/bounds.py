"""What a figure says about a number, and arithmetic that keeps it: an exact value, an
approximate one ('about'), a lower bound ('more than', 'at least'), an upper bound ('less than',
'up to') or a range. A computed figure says no more than its figures do: a ratio of a range is a
range, more-than ÷ exact is more-than, exact ÷ more-than is less-than, and a result bounded on
neither side is refused with the reason.

A :class:`Span` holds both ends of the interval a figure stands for. An end the source did not
state is still known to arithmetic where it follows from the figure being an amount of money
(more than zero), but it is never shown: 'up to US$25 billion' less US$5 billion is 'up to US$20
billion'. Results are rounded outward (a lower end down, an upper end up), so that a bound stays
true once rounded; an exact or approximate result is rounded half to even.

Pure arithmetic on Decimals; no markup.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Callable

from .values import LOWER_BOUNDS, UPPER_BOUNDS, Money


class Unbounded(ValueError):
    """A result that no stated figure bounds (more-than ÷ more-than, up-to + more-than)."""


ZERO = Decimal(0)


@dataclass(frozen=True)
class Span:
    """The interval a figure stands for. ``lo``/``hi``: its ends (None: unbounded that way);
    ``lo_stated``/``hi_stated``: whether the figures state that end (an end that only follows
    from an amount being positive is used, never shown); ``*_open``: the end itself excluded
    ('more than', 'less than'); ``approx``: 'about'."""

    lo: Decimal | None
    hi: Decimal | None
    lo_stated: bool = True
    hi_stated: bool = True
    lo_open: bool = False
    hi_open: bool = False
    approx: bool = False

    @classmethod
    def exact(cls, value: Decimal | int) -> "Span":
        return cls(Decimal(value), Decimal(value))

    @classmethod
    def of(cls, money: Money) -> "Span":
        """The interval an amount of money stands for."""
        a, q = money.amount, money.qualifier
        if money.high is not None:
            return cls(a, money.high, approx=q == "about")
        if q in LOWER_BOUNDS:
            return cls(a, None, hi_stated=False, lo_open=q == "more than")
        if q in UPPER_BOUNDS:  # an amount is more than zero: that end is known, not stated
            return cls(ZERO, a, lo_stated=False, lo_open=True, hi_open=q == "less than")
        return cls(a, a, approx=q == "about")

    # -- what it says
    @property
    def shown_lo(self) -> Decimal | None:
        return self.lo if self.lo_stated else None

    @property
    def shown_hi(self) -> Decimal | None:
        return self.hi if self.hi_stated else None

    def check_bounded(self, what: str) -> None:
        if self.shown_lo is None and self.shown_hi is None:
            raise Unbounded(f"{what} is bounded on neither side: one figure is a lower bound "
                            "and the other an upper bound (or both bound the same side), so "
                            "nothing true can be said of the result")

    # -- arithmetic
    def __add__(self, other: "Span") -> "Span":
        return Span(_add(self.lo, other.lo), _add(self.hi, other.hi),
                    self.lo_stated and other.lo_stated, self.hi_stated and other.hi_stated,
                    self.lo_open or other.lo_open, self.hi_open or other.hi_open,
                    self.approx or other.approx)

    def __sub__(self, other: "Span") -> "Span":
        return Span(_add(self.lo, _neg(other.hi)), _add(self.hi, _neg(other.lo)),
                    self.lo_stated and other.hi_stated and other.hi is not None,
                    self.hi_stated and other.lo_stated and other.lo is not None,
                    self.lo_open or other.hi_open, self.hi_open or other.lo_open,
                    self.approx or other.approx)

    def left_after(self, other: "Span") -> "Span":
        """What is left of this (the larger) once ``other`` is taken away: a difference known not
        to be negative, so a lower end below zero says nothing and is not stated."""
        d = self - other
        if d.lo is None or d.lo < 0:
            return replace(d, lo=ZERO, lo_stated=False, lo_open=True)
        return d

    def __truediv__(self, other: "Span") -> "Span":
        """Both positive (amounts, numbers of a table); a zero divisor is refused by the caller."""
        lo = ZERO if other.hi is None or self.lo is None else self.lo / other.hi
        hi = None if self.hi is None or other.lo is None or other.lo == 0 else self.hi / other.lo
        return Span(lo, hi, self.lo_stated and other.hi is not None and other.hi_stated,
                    hi is not None and self.hi_stated and other.lo_stated,
                    self.lo_open or other.hi_open, self.hi_open or other.lo_open,
                    self.approx or other.approx)

    def map(self, f: Callable[[Decimal], Decimal]) -> "Span":
        """The span through an increasing function (a ratio → its growth in per cent)."""
        return replace(self, lo=None if self.lo is None else f(self.lo),
                       hi=None if self.hi is None else f(self.hi))

    # -- as readers see it
    def rounded(self, step: Decimal) -> "Span":
        """Each stated end rounded to ``step``: outward for the ends of a bound or range, half to
        even for one value."""
        lo, hi = self.shown_lo, self.shown_hi
        if lo is not None and hi is not None and lo == hi:
            v = lo.quantize(step, rounding=ROUND_HALF_EVEN)
            return replace(self, lo=v, hi=v)
        return replace(self, lo=None if lo is None else lo.quantize(step, rounding=ROUND_FLOOR),
                       hi=None if hi is None else hi.quantize(step, rounding=ROUND_CEILING),
                       lo_stated=lo is not None, hi_stated=hi is not None)

    def words(self, text: Callable[[Decimal], str], unit: str = "", *,
              upper_closed: str = "at most", signed: bool = False) -> str:
        """'2.5×', 'about 2.5×', '9.9–10.6×', 'more than 4.0×', 'less than 20.6×' (``text``
        writes a number, ``unit`` follows it once; ``signed``: a range of signed numbers is
        written '+190% to +210%'). Call :meth:`check_bounded` first."""
        lo, hi = self.shown_lo, self.shown_hi
        about = "about " if self.approx else ""
        if lo is not None and hi is not None:
            if lo == hi:
                return f"{about}{text(lo)}{unit}"
            if signed:
                return f"{about}{text(lo)}{unit} to {text(hi)}{unit}"
            return f"{about}{text(lo)}–{text(hi)}{unit}"
        if lo is not None:
            return f"{'more than' if self.lo_open else 'at least'} {about}{text(lo)}{unit}"
        assert hi is not None
        return f"{'less than' if self.hi_open else upper_closed} {about}{text(hi)}{unit}"

    def money(self, currency: str) -> Money:
        """The span as an amount in the money notation (its stated ends)."""
        lo, hi = self.shown_lo, self.shown_hi
        about = "about" if self.approx else ""
        if lo is not None and hi is not None:
            if lo == hi:
                return Money(lo, currency, about)
            return Money(lo, currency, about, hi)
        if lo is not None:
            return Money(lo, currency, "more than" if self.lo_open else "at least")
        assert hi is not None
        return Money(hi, currency, "less than" if self.hi_open else "up to")

    def ends(self) -> tuple[Decimal | None, Decimal | None]:
        return self.shown_lo, self.shown_hi


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a + b


def _neg(a: Decimal | None) -> Decimal | None:
    return None if a is None else -a


def total(amounts: list[Money]) -> Money:
    """The sum of amounts in one currency, with what their qualifiers allow (Unbounded when a
    lower and an upper bound meet)."""
    span = Span.exact(0)
    for a in amounts:
        span = span + Span.of(a)
    span.check_bounded("the total")
    return span.money(amounts[0].currency)
