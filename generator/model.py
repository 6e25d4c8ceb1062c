"""The data model: one pydantic model per kind of data file, and the records inside them.

One noun, one path: ``data/companies/acme.yaml`` is a :class:`Company`, rendered by
``templates/company.md.j2`` to ``companies/acme/``; ``data/sources/x.yaml`` is a :class:`Source`;
``data/tables/x.yaml`` is a :class:`Table`. The JSON Schemas in ``schemas/`` are generated from these
classes (``python -m generator schemas``) and a test keeps them in sync. Which folder holds which
model is registered in :mod:`generator.kinds`.

Rules that involve several fields of one record live here (model validators); rules that involve
several files (references, duplicates) live in :mod:`generator.load`.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from .bounds import Span
from .escape import shown
from .values import (DateField, DayField, Line, Money, MoneyField, Name, OneMoneyField,
                     PaidMoneyField, Paragraph, PartialDate, PublishedField, Slug, Url)

Status = Literal["confirmed", "reported", "rumored", "unverified"]
STATUS_MEANING = {
    "confirmed": "the company itself announced it, or its announcement was read",
    "reported": "named outlets reported it, citing people familiar; the company did not confirm it",
    "rumored": "talks, targets, or a single secondary source",
    "unverified": "widely repeated, but no source for it was read",
}

CompanyKind = Literal[
    "ai-lab", "cloud-provider", "chipmaker", "investor", "technology-company", "energy-company",
    "aerospace-company", "bank",
]
KIND_LABEL = {
    "ai-lab": "AI lab", "cloud-provider": "Cloud provider", "chipmaker": "Chipmaker",
    "investor": "Investor", "technology-company": "Technology company",
    "energy-company": "Energy company", "aerospace-company": "Aerospace company", "bank": "Bank",
}

EventKind = Literal[
    "primary-round", "tender-offer", "secondary-sale", "strategic-investment", "ipo",
    "market-value", "reported-talks", "declined-offer", "merger", "ipo-filing",
]
EVENT_KIND_LABEL = {
    "primary-round": "Primary round", "tender-offer": "Tender offer",
    "secondary-sale": "Secondary sale", "strategic-investment": "Strategic investment",
    "ipo": "IPO", "market-value": "Market value", "reported-talks": "Reported talks",
    "declined-offer": "Declined offer", "merger": "Merger", "ipo-filing": "IPO filing",
}

# What kind of price a valuation is. Each is shown with its basis wherever it appears, and only
# valuations of one basis are compared across companies.
ValuationBasis = Literal[
    "post-money", "pre-money", "not-stated", "secondary", "ipo", "market-value", "deal-value",
    "offer-declined", "target",
]
BASIS_LABEL = {  # basis: (short label, for tables and legends; words, for a sentence)
    "post-money": ("Post-money", "post-money valuation"),
    "pre-money": ("Pre-money", "pre-money valuation"),
    "not-stated": ("Not stated as pre- or post-money",
                   "valuation, not stated as pre-money or post-money"),
    "secondary": ("Implied by a share sale", "price implied by a sale of existing shares"),
    "ipo": ("At the IPO price", "valuation at the IPO price"),
    "market-value": ("Market capitalisation", "market value of the listed company"),
    "deal-value": ("Deal value", "value in a merger or acquisition"),
    "offer-declined": ("Offered, turned down", "value of an offer that was turned down"),
    "target": ("Talks or target", "value in talks or a target, not a deal"),
}
# The bases a valuation of each kind of event can have (an alternative report may differ, and
# says so).
BASES_BY_KIND: dict[str, tuple[str, ...]] = {
    "primary-round": ("post-money", "pre-money", "not-stated"),
    "strategic-investment": ("post-money", "pre-money", "not-stated"),
    "tender-offer": ("secondary",), "secondary-sale": ("secondary",), "ipo": ("ipo",),
    "market-value": ("market-value",), "merger": ("deal-value",),
    "declined-offer": ("offer-declined",), "reported-talks": ("target",), "ipo-filing": ("target",),
}
# The kinds of event that sell new shares: a pre-money valuation belongs to them alone.
NEW_SHARES = ("primary-round", "strategic-investment")

Role = Literal["investor", "cloud-provider", "chip-supplier", "compute-customer", "parent",
               "acquirer"]
ROLE_LABEL = {
    "investor": ("Investor", "Invests in"),
    "cloud-provider": ("Cloud or compute provider", "Provides cloud or compute to"),
    "chip-supplier": ("Chip supplier", "Supplies chips to"),
    "compute-customer": ("Compute customer", "Buys compute from"),
    "parent": ("Parent company", "Parent of"),
    "acquirer": ("Acquirer", "Acquired"),
}

InvestorRole = Literal["lead", "co-lead", "participant"]

Sources = Annotated[list[Slug], Field(min_length=1, description="Ids of records in data/sources/.")]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    # Memory: pydantic gives each model a set of the fields it was given (200-700 bytes);
    # 128,000 of them, 70 MB, at 5,000 companies. Read back from the records' cache, a record
    # shares one frozen set with every record given the same fields (records are frozen: the
    # set is never added to); a copy gets a set of its own, as model_copy(update=…) adds to it.
    def __setstate__(self, state: dict[Any, Any]) -> None:
        given = state.get("__pydantic_fields_set__")
        if given is not None:
            state = {**state, "__pydantic_fields_set__": _shared_fields(frozenset(given))}
        super().__setstate__(state)

    def __copy__(self) -> Any:
        m = super().__copy__()
        object.__setattr__(m, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        return m

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Any:
        m = super().__deepcopy__(memo)
        object.__setattr__(m, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        return m


@functools.cache
def _shared_fields(given: frozenset[str]) -> frozenset[str]:
    return given


class Sourced(Record):
    status: Status = Field(description="confirmed, reported, rumored or unverified")
    sources: Sources
    note: Paragraph | None = None


class Investor(Record):
    company: Slug | None = Field(None, description="Id of a company profile, when it has one.")
    name: Name | None = Field(None, description="Name, when the investor has no profile here.")
    role: InvestorRole = "participant"
    amount: PaidMoneyField | None = Field(
        None, description="What this investor paid in, when known.")
    committed: OneMoneyField | None = Field(
        None, description="What this investor committed ('up to', or on milestones), when known.")
    counted_in: Slug | None = Field(
        None, description="Id of another event of this company whose line for the same investor "
                          "holds this same money, so that it is counted once.")

    @model_validator(mode="after")
    def _one_identity(self) -> "Investor":
        if self.company is not None and self.name is not None:
            raise PydanticCustomError("investor", "give either company (the id of a company "
                                      "profile) or name (for an investor without a profile), not "
                                      "both", {"field": "name"})
        if self.company is None and self.name is None:
            raise PydanticCustomError("investor", "an investor needs company (the id of a company "
                                      "profile) or name (for an investor without a profile)")
        if self.counted_in is not None and self.amount is None and self.committed is None:
            raise PydanticCustomError("investor", "counted_in says that this investor's money is "
                                      "counted in another event, but this line gives no amount; "
                                      "remove counted_in, or give the amount",
                                      {"field": "counted_in"})
        if self.amount is not None and self.committed is not None and \
                self.amount.currency != self.committed.currency:
            raise PydanticCustomError("currency", "committed is in {cur}, but amount is in "
                                      "{first}; one investor's amounts are in one currency",
                                      {"field": "committed", "cur": self.committed.currency,
                                       "first": self.amount.currency})
        return self


class Alternative(Record):
    """Another report of one figure of an event: the figure it gives (in the field it is an
    alternative to), its own sources, and its basis when it is another kind of price."""

    amount_raised: PaidMoneyField | None = None
    amount_committed: OneMoneyField | None = None
    pre_money_valuation: MoneyField | None = None
    valuation: MoneyField | None = None
    valuation_basis: ValuationBasis | None = Field(
        None, description="When this report's valuation is another kind of price than the "
                          "event's (such as a secondary sale's price against a round's).")
    status: Status | None = Field(None, description="When it differs from the event's.")
    sources: Sources
    note: Paragraph | None = None

    FIELDS: ClassVar[tuple[str, ...]] = ("amount_raised", "amount_committed",
                                         "pre_money_valuation", "valuation")

    @property
    def field(self) -> str:
        return next(f for f in self.FIELDS if getattr(self, f) is not None)

    @property
    def value(self) -> Money:
        return getattr(self, self.field)

    @model_validator(mode="after")
    def _one_figure(self) -> "Alternative":
        given = [f for f in self.FIELDS if getattr(self, f) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "alternative", "an alternative gives exactly one figure, in the field it is an "
                "alternative to ({fields}); this one gives {n}",
                {"fields": ", ".join(self.FIELDS), "n": "none" if not given else
                 " and ".join(given)})
        if self.valuation_basis is not None and self.valuation is None:
            raise PydanticCustomError("alternative", "valuation_basis goes with a valuation; "
                                      "remove it", {"field": "valuation_basis"})
        return self


class Event(Sourced):
    id: Slug = Field(description="Unique within the company, e.g. 'series-h'.")
    date: DateField
    kind: EventKind
    round: Name | None = Field(None, description="The round's name, e.g. 'Series H'.")
    amount_raised: PaidMoneyField | None = Field(
        None, description="New money paid in (or sold, for tender offers and secondary sales).")
    amount_committed: OneMoneyField | None = Field(
        None, description="What was committed: an 'up to' amount, or money due later or tied to "
                          "milestones, including what was paid at once.")
    pre_money_valuation: MoneyField | None = Field(
        None, description="The value before the new money, when a round reports it besides its "
                          "post-money valuation.")
    valuation: MoneyField | None = Field(None, description="The price the event puts on the "
                                                           "whole company; its kind of price is "
                                                           "valuation_basis.")
    valuation_basis: ValuationBasis | None = Field(
        None, description="What kind of price the valuation is: post-money, pre-money, "
                          "not-stated, secondary, ipo, market-value, deal-value, offer-declined "
                          "or target.")
    investors: list[Investor] = Field(default_factory=list)
    counted_in: Slug | None = Field(
        None, description="Id of another event of this company whose amount already includes "
                          "this money (e.g. an investment counted inside a later round), so that "
                          "totals never count it twice.")
    paid_under: Slug | None = Field(
        None, description="Id of an earlier event of this company whose commitment this money "
                          "was paid under (a later tranche), so that the commitment's ceiling is "
                          "not extended by it.")
    alternatives: list[Alternative] = Field(
        default_factory=list, description="Figures other reports give, each with its sources.")
    status_confirmed: DateField | None = Field(
        None, description="For a pending matter (a filed but unpriced IPO, talks): the date of the "
                          "latest source that confirms its status as shown.")

    # fields of earlier versions of the data, and what became of them
    moved_fields: ClassVar[dict[str, str]] = {
        "post_money_valuation": "a valuation is now written 'valuation:' with its kind in "
                                "'valuation_basis:' (post-money, for a round's post-money "
                                "valuation)"}

    @model_validator(mode="after")
    def _coherent(self) -> "Event":
        # Errors of rules about several fields carry "field": the one the message points at.
        amounts = [(n, getattr(self, n)) for n in ("amount_raised", "amount_committed",
                                                  "pre_money_valuation", "valuation")]
        amounts = [(n, a) for n, a in amounts if a is not None]
        for name, a in amounts[1:]:
            first_name, first = amounts[0]
            if a.currency != first.currency:
                raise PydanticCustomError(
                    "currency", "{name} is in {cur}, but {first_name} is in {first_cur}; all amounts "
                    "of one event are in one currency (convert it, and say so in note)",
                    {"field": name, "name": name, "cur": a.currency, "first_name": first_name,
                     "first_cur": first.currency})
        self._check_basis()
        self._check_sizes()
        self._check_alternatives()
        self._check_status_confirmed()
        return self

    def _check_status_confirmed(self) -> None:
        if self.status_confirmed is not None and \
                self.status_confirmed.latest < self.date.earliest:
            raise PydanticCustomError("event", "status_confirmed ({c}) is before the event's date "
                                      "({d}); it is the date of the latest source that confirms "
                                      "the status, on or after the event",
                                      {"field": "status_confirmed", "c": str(self.status_confirmed),
                                       "d": str(self.date)})

    def _check_basis(self) -> None:
        basis, allowed = self.valuation_basis, BASES_BY_KIND[self.kind]
        if self.valuation is not None and basis is None:
            raise PydanticCustomError(
                "basis", "a valuation states its basis: add 'valuation_basis:' with {allowed} "
                "(for a {kind})", {"field": "valuation", "allowed": _either(allowed),
                                   "kind": self.kind})
        if basis is not None and self.valuation is None:
            raise PydanticCustomError("basis", "valuation_basis is given, but there is no "
                                      "valuation; add 'valuation:' or remove the basis",
                                      {"field": "valuation_basis"})
        if basis is not None and basis not in allowed:
            raise PydanticCustomError(
                "basis", "{basis} ({words}) does not fit a {kind}, whose valuation is {allowed}; "
                "a price of another kind of deal is an event of that kind",
                {"field": "valuation_basis", "basis": repr(basis),
                 "words": BASIS_LABEL[basis][1], "kind": self.kind,
                 "allowed": _either(allowed)})
        if self.pre_money_valuation is not None and self.kind not in NEW_SHARES:
            raise PydanticCustomError(
                "basis", "pre_money_valuation belongs to a round that sells new shares "
                "({kinds}); a {kind} has no money going in to come before",
                {"field": "pre_money_valuation", "kinds": " or ".join(NEW_SHARES),
                 "kind": self.kind})
        if basis == "pre-money" and self.pre_money_valuation is not None:
            raise PydanticCustomError(
                "basis", "valuation_basis is pre-money, and pre_money_valuation is given too; "
                "give the pre-money once (a round that reports both: the post-money in "
                "valuation, with valuation_basis: post-money)", {"field": "valuation_basis"})

    def _check_sizes(self) -> None:
        raised, committed, pre = self.amount_raised, self.amount_committed, self.pre_money_valuation
        post = self.valuation if self.valuation_basis == "post-money" else None
        if raised and post and _above(raised, post):
            raise PydanticCustomError(
                "valuation", "the post-money valuation ({post}) is below amount_raised ({raised}), "
                "but a company is worth at least the new money paid in; check the scale words "
                "(million, billion)", {"field": "valuation", "post": str(post),
                                        "raised": str(raised)})
        if pre and post and not (pre.qualifier or post.qualifier or pre.is_range or
                                 post.is_range) and pre.amount >= post.amount:
            raise PydanticCustomError("valuation", "pre_money_valuation ({pre}) must be below the "
                                      "post-money valuation ({post}); the post-money valuation is "
                                      "the pre-money plus the new money",
                                      {"field": "pre_money_valuation", "pre": str(pre),
                                       "post": str(post)})
        if raised and committed and _above(raised, committed):
            raise PydanticCustomError(
                "valuation", "amount_committed ({committed}) is below amount_raised ({raised}); "
                "a commitment includes what was paid at once, so check both",
                {"field": "amount_committed", "committed": str(committed), "raised": str(raised)})
        if self.paid_under is not None and raised is None:
            raise PydanticCustomError("paid", "paid_under names the commitment this money was "
                                      "paid under, but the event has no amount_raised; add it, or "
                                      "remove paid_under", {"field": "paid_under"})

    def _check_alternatives(self) -> None:
        for i, alt in enumerate(self.alternatives):
            f, value = alt.field, alt.value
            used = getattr(self, f)
            at = ("alternatives", i, f)
            if used is None:
                raise PydanticCustomError(
                    "alternative", "an alternative to {f}, but the event has no {f}; give the "
                    "figure used in {f}, and the figures other reports give as alternatives",
                    {"field": at, "f": f})
            if value.currency != used.currency:
                raise PydanticCustomError(
                    "currency", "this alternative is in {cur}, but {f} is in {used}; compare "
                    "figures in one currency", {"field": at, "cur": value.currency, "f": f,
                                                "used": used.currency})
            if value == used and alt.valuation_basis in (None, self.valuation_basis):
                raise PydanticCustomError(
                    "alternative", "{value} is the figure used in {f}; an alternative is a "
                    "figure another report gives that differs from it", {"field": at,
                                                                         "value": str(value),
                                                                         "f": f})

    def basis_words(self) -> str:
        """'post-money valuation', 'price implied by a sale of existing shares', …"""
        return BASIS_LABEL[self.valuation_basis][1] if self.valuation_basis else ""


def _above(a: Money, b: Money) -> bool:
    """Whether ``a`` is surely larger than ``b`` (their stated ends apart, neither approximate)."""
    sa, sb = Span.of(a), Span.of(b)
    return (not (sa.approx or sb.approx) and sa.shown_lo is not None and
            sb.shown_hi is not None and sa.shown_lo > sb.shown_hi)


def _either(items: tuple[str, ...]) -> str:
    quoted = [repr(x) for x in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


class Metric(Sourced):
    date: DateField
    kind: Literal["run-rate-revenue", "recognised-revenue"]
    value: MoneyField


class Relationship(Sourced):
    company: Slug = Field(description="The other company's id.")
    role: Role = Field(description="The other company's role towards this one.")
    since: DateField | None = None
    amount_committed: OneMoneyField | None = Field(
        None, description="Total committed, when known: for an investor, what it committed to "
                          "this company; for a supplier, what this company committed to spend "
                          "with it.")


class Company(Record):
    id: Slug = Field(description="Must equal the file name without .yaml.")
    name: Name
    kind: CompanyKind
    founded: DateField | None = None
    headquarters: Name | None = None
    website: Url | None = None
    summary: Paragraph
    ticker: Name | None = Field(None, description="Exchange and symbol if listed, e.g. 'NASDAQ: NVDA'.")
    last_checked: DayField = Field(description="The day (YYYY-MM-DD) an editor last checked that "
                                               "the record is current.")
    events: list[Event] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)


Tier = Literal["primary", "outlet", "secondary"]
TIER_MEANING = {
    "primary": "the company's own statement, a filing, an exchange notice, a paper or a vendor's "
               "documentation",
    "outlet": "a named news organisation's own page",
    "secondary": "a copy, a summary or an aggregator",
}
TIER_LABEL = {"primary": "Primary source", "outlet": "News outlet", "secondary": "Secondary source"}


class ReadVia(Record):
    """The page actually read, when it was a copy or a summary of the publication a source record
    names (on another site): its publisher, its own address and when it was read."""

    kind: Literal["copy", "summary"] = Field(
        "copy", description="copy: the publication's text republished; summary: a page that "
                            "summarises or aggregates it.")
    publisher: Name = Field(description="Who published the copy, e.g. 'Republic World'.")
    url: Url = Field(description="The exact address of the copy that was read.")
    published: DateField | None = Field(None, description="The copy's own date, when it shows "
                                                          "one.")
    accessed: DateField = Field(description="When the copy was read.")


class Source(Record):
    id: Slug = Field(description="Must equal the file name without .yaml.")
    publisher: Name = Field(description="The original outlet or author: who published it first.")
    title: Line
    url: Url | None = Field(None, description="The exact address of the publication itself. May "
                                              "be left out when read_via gives the page read, or "
                                              "with exact_url_unknown.")
    published: PublishedField = Field(description="Publication date, or 'undated'.")
    accessed: DateField | None = Field(None, description="When the page at url was read (with "
                                                         "read_via, its accessed instead).")
    tier: Tier = Field(description="primary (company statement, filing, exchange notice, paper, "
                                   "vendor documentation), outlet (a named news organisation's "
                                   "own page) or secondary (copy, summary, aggregator).")
    syndicated_from: Name | None = Field(
        None, description="For an outlet's page carrying another organisation's story under "
                          "licence (tier: outlet): that organisation, e.g. 'Reuters'.")
    read_via: ReadVia | None = Field(
        None, description="When the page read was a copy or summary on another site (then tier: "
                          "secondary).")
    url_verified: bool = Field(True, description="false when the exact address was cited by another "
                                                 "document and not read; say why in note.")
    exact_url_unknown: bool = Field(
        False, description="true when the exact address of the publication is not known (url is "
                           "then left out or is the publisher's home page, which is not linked); "
                           "say in note how the publication is known.")
    note: Paragraph | None = None

    @property
    def as_of(self) -> PartialDate:
        """The date the source speaks for: its publication date, or when it was read if undated."""
        return self.published or self.read_date

    @property
    def read_date(self) -> PartialDate:
        """When the page read (the publication's own, or its copy) was read."""
        return self.read_via.accessed if self.read_via is not None else self.accessed

    @property
    def published_text(self) -> str:
        return self.published.display() if self.published else "undated"

    @property
    def link(self) -> str | None:
        """The publication's own address, when readers may follow it (never a home page)."""
        return None if self.exact_url_unknown else self.url

    @property
    def first_hand(self) -> bool:
        """Whether this record is a primary document or an outlet's own page that was read."""
        return self.tier != "secondary" and self.link is not None and self.url_verified

    @model_validator(mode="after")
    def _rules(self) -> "Source":
        # one rule at a time, each pointing at the field to change (see validate.explain)
        for check in (_tier_and_copy, _address, _dates):
            check(self)
        return self


# One short word-like path segment, as in /news, /technology or /business-news: a section page.
_SECTION = re.compile(r"[a-z][a-z-]{0,19}")


def listing_page(url: str) -> str | None:
    """What a source address is when it names no single publication: 'home page' (an empty
    path) or 'section page' (one short word-like segment, such as /technology/), with no query
    naming a post (https://example.com/?p=123 is a post); None for the address of one page."""
    parts = urlsplit(url)
    if parts.query:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        return "home page"
    if len(segments) == 1 and _SECTION.fullmatch(segments[0]):
        return "section page"
    return None


def _problem(field: str, message: str, **values: Any) -> PydanticCustomError:
    return PydanticCustomError("source", message, {"field": field, **values})


def _tier_and_copy(s: Source) -> None:
    if s.read_via is not None and s.tier != "secondary":
        raise _problem("tier", "tier is {tier}, but the page read was a copy or summary "
                       "(read_via), which makes the record secondary; set 'tier: secondary', or "
                       "remove read_via if the publisher's own page was read", tier=s.tier)
    if s.syndicated_from is not None and s.tier != "outlet":
        raise _problem("syndicated_from", "syndicated_from names the organisation whose story "
                       "an outlet published under licence, so it needs 'tier: outlet'; a copy on "
                       "another site goes under read_via")
    if s.read_via is not None:
        kind = listing_page(s.read_via.url)
        if kind:
            raise PydanticCustomError("source", "{url} is a {kind}; a copy is given by the exact "
                                      "address of the page that was read",
                                      {"field": "read_via.url", "url": shown(s.read_via.url),
                                       "kind": kind})
        if s.read_via.url == s.url:
            raise PydanticCustomError("source", "the copy's address is url itself; a copy has an "
                                      "address of its own (if the publisher's own page was read, "
                                      "remove read_via)", {"field": "read_via.url"})


def _address(s: Source) -> None:
    if s.url is None and s.read_via is None and not s.exact_url_unknown:
        raise _problem("url", "url is missing; give the exact address of the publication, or, "
                       "if it is not known, add 'exact_url_unknown: true' and say in note how "
                       "the publication is known")
    kind = listing_page(s.url) if s.url else None
    if kind and not s.exact_url_unknown:
        raise _problem("url", "{url} is a {kind}, not the page of one article, announcement or "
                       "filing; give the exact address, or, if it is not known, add "
                       "'exact_url_unknown: true' and say in note how the publication is known",
                       url=shown(s.url), kind=kind)
    if s.exact_url_unknown and s.url and not kind:
        raise _problem("exact_url_unknown", "exact_url_unknown is true, but url is the address "
                       "of one page; remove one of them")
    if (s.exact_url_unknown or not s.url_verified) and not s.note:
        what = "exact_url_unknown is true" if s.exact_url_unknown else "url_verified is false"
        raise _problem("exact_url_unknown" if s.exact_url_unknown else "url_verified",
                       f"{what}, so add a note saying how the address is known")
    if not s.url_verified and s.url is None:
        raise _problem("url_verified", "url_verified is false, but there is no url to verify; "
                       "remove url_verified")


def _dates(s: Source) -> None:
    if s.published is None and not s.note:
        raise _problem("published", "an undated source needs a note saying how its date is "
                       "unknown")
    if s.read_via is not None and s.accessed is not None:
        raise _problem("accessed", "the page read was the copy under read_via: give when it was "
                       "read as read_via.accessed, and remove accessed")
    if s.read_via is None and s.accessed is None:
        raise _problem("accessed", "accessed is missing; give the date the page at url was read "
                       "(or, if a copy was read, describe it under read_via)")
    read, where = (s.read_via.accessed, "read_via.accessed") if s.read_via is not None else \
        (s.accessed, "accessed")
    if s.published is not None and read.latest < s.published.earliest:
        raise PydanticCustomError("source", "{where} ({a}) is before published ({p}); a page "
                                  "cannot be read before it is published, so check both dates",
                                  {"field": where, "where": where, "a": str(read), "p": str(s.published)})
    copy = s.read_via
    if copy is not None and copy.published is not None and \
            copy.accessed.latest < copy.published.earliest:
        raise PydanticCustomError("source", "read_via.accessed ({a}) is before "
                                  "read_via.published ({p}); check both dates",
                                  {"field": "read_via.accessed", "a": str(copy.accessed),
                                   "p": str(copy.published)})


ColumnType = Literal["text", "integer", "decimal", "money", "year"]


class Column(Record):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
    label: Name
    type: ColumnType
    unit: Name | None = Field(None, description="Unit for integer and decimal columns, e.g. 'W'.")
    currency: Literal["USD", "EUR"] | None = Field(None, description="Required for money columns.")
    required: bool = True

    @model_validator(mode="after")
    def _unit(self) -> "Column":
        if self.type == "money" and not self.currency:
            raise PydanticCustomError("column", "a money column needs a currency; add "
                                      "'currency: USD' (or EUR)", {"field": "type"})
        if self.type != "money" and self.currency:
            raise PydanticCustomError("column", "only money columns take a currency; remove it or "
                                      "set 'type: money'", {"field": "currency"})
        return self


class Row(Sourced):
    id: Slug
    label: Name
    company: Slug | None = Field(None, description="Id of a company profile, when it has one.")
    values: dict[str, Any] = Field(description="One entry per column id.")


class Table(Record):
    id: Slug = Field(description="Must equal the file name without .yaml.")
    title: Line
    description: Paragraph
    columns: list[Column] = Field(min_length=1)
    rows: list[Row] = Field(min_length=1)


class Term(Record):
    """A glossary entry: data/glossary/<id>.yaml, linked from articles with term('id')."""

    id: Slug = Field(description="Must equal the file name without .yaml.")
    term: Name = Field(description="The term as readers see it, e.g. 'Tender offer'.")
    definition: Paragraph = Field(description="Plain text, original wording, no figures.")
    see_also: list[Slug] = Field(default_factory=list, description="Ids of related terms.")
    sources: list[Slug] = Field(default_factory=list, description="Ids of records in "
                                                                  "data/sources/, if any.")
