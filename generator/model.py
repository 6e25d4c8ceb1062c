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

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from .values import DateField, Line, MoneyField, Name, Paragraph, PartialDate, PublishedField, Slug, Url

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
    "reported-talks", "declined-offer", "merger", "ipo-filing",
]
EVENT_KIND_LABEL = {
    "primary-round": "Primary round", "tender-offer": "Tender offer",
    "secondary-sale": "Secondary sale", "strategic-investment": "Strategic investment",
    "ipo": "IPO", "reported-talks": "Reported talks", "declined-offer": "Declined offer",
    "merger": "Merger", "ipo-filing": "IPO filing",
}

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


class Sourced(Record):
    status: Status = Field(description="confirmed, reported, rumored or unverified")
    sources: Sources
    note: Paragraph | None = None


class Investor(Record):
    company: Slug | None = Field(None, description="Id of a company profile, when it has one.")
    name: Name | None = Field(None, description="Name, when the investor has no profile here.")
    role: InvestorRole = "participant"
    amount: MoneyField | None = Field(None, description="What this investor put in, when known.")

    @model_validator(mode="after")
    def _one_identity(self) -> "Investor":
        if self.company is not None and self.name is not None:
            raise PydanticCustomError("investor", "give either company (the id of a company "
                                      "profile) or name (for an investor without a profile), not "
                                      "both", {"field": "name"})
        if self.company is None and self.name is None:
            raise PydanticCustomError("investor", "an investor needs company (the id of a company "
                                      "profile) or name (for an investor without a profile)")
        return self


class Event(Sourced):
    id: Slug = Field(description="Unique within the company, e.g. 'series-h'.")
    date: DateField
    kind: EventKind
    round: Name | None = Field(None, description="The round's name, e.g. 'Series H'.")
    amount_raised: MoneyField | None = Field(
        None, description="New money paid in (or sold, for tender offers and secondary sales).")
    amount_committed: MoneyField | None = Field(
        None, description="An 'up to' commitment, including money tied to milestones.")
    pre_money_valuation: MoneyField | None = None
    post_money_valuation: MoneyField | None = None
    investors: list[Investor] = Field(default_factory=list)
    counted_in: Slug | None = Field(
        None, description="Id of another event of this company whose amount already includes "
                          "this money (e.g. an investment counted inside a later round), so that "
                          "totals never count it twice.")

    @model_validator(mode="after")
    def _coherent(self) -> "Event":
        # Errors of rules about several fields carry "field": the one the message points at.
        raised, pre, post = self.amount_raised, self.pre_money_valuation, self.post_money_valuation
        amounts = [(n, getattr(self, n)) for n in ("amount_raised", "amount_committed",
                                                  "pre_money_valuation", "post_money_valuation")]
        amounts = [(n, a) for n, a in amounts if a is not None]
        for name, a in amounts[1:]:
            first_name, first = amounts[0]
            if a.currency != first.currency:
                raise PydanticCustomError(
                    "currency", "{name} is in {cur}, but {first_name} is in {first_cur}; all amounts "
                    "of one event are in one currency (convert it, and say so in note)",
                    {"field": name, "name": name, "cur": a.currency, "first_name": first_name,
                     "first_cur": first.currency})
        if raised and post and not raised.qualifier and raised.amount > post.amount:
            raise PydanticCustomError(
                "valuation", "post_money_valuation ({post}) is below amount_raised ({raised}), but a "
                "company is worth at least the new money paid in; check the scale words (million, "
                "billion)", {"field": "post_money_valuation", "post": str(post),
                             "raised": str(raised)})
        if pre and post and pre.amount >= post.amount and not (pre.qualifier or post.qualifier):
            raise PydanticCustomError("valuation", "pre_money_valuation ({pre}) must be below "
                                      "post_money_valuation ({post}); the post-money valuation is "
                                      "the pre-money plus the new money",
                                      {"field": "pre_money_valuation", "pre": str(pre),
                                       "post": str(post)})
        return self


class Metric(Sourced):
    date: DateField
    kind: Literal["run-rate-revenue", "recognised-revenue"]
    value: MoneyField


class Relationship(Sourced):
    company: Slug = Field(description="The other company's id.")
    role: Role = Field(description="The other company's role towards this one.")
    since: DateField | None = None
    amount_committed: MoneyField | None = Field(None, description="Total committed, when known.")


class Company(Record):
    id: Slug = Field(description="Must equal the file name without .yaml.")
    name: Name
    kind: CompanyKind
    founded: DateField | None = None
    headquarters: Name | None = None
    website: Url | None = None
    summary: Paragraph
    ticker: Name | None = Field(None, description="Exchange and symbol if listed, e.g. 'NASDAQ: NVDA'.")
    events: list[Event] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)


class Source(Record):
    id: Slug = Field(description="Must equal the file name without .yaml.")
    publisher: Name
    title: Line
    url: Url
    published: PublishedField = Field(description="Publication date, or 'undated'.")
    accessed: DateField
    url_verified: bool = Field(True, description="false when the exact address was cited by another "
                                                 "document and not read; say why in note.")
    note: Paragraph | None = None

    @property
    def as_of(self) -> PartialDate:
        """The date the source speaks for: its publication date, or when it was read if undated."""
        return self.published or self.accessed

    @property
    def published_text(self) -> str:
        return self.published.display() if self.published else "undated"

    @model_validator(mode="after")
    def _note_when_unverified(self) -> "Source":
        if not self.url_verified and not self.note:
            raise PydanticCustomError("source", "url_verified is false, so add a note saying how "
                                      "the address is known", {"field": "url_verified"})
        if self.published is None and not self.note:
            raise PydanticCustomError("source", "an undated source needs a note saying how its "
                                      "date is unknown", {"field": "published"})
        if self.published is not None and self.accessed.latest < self.published.earliest:
            raise PydanticCustomError("source", "accessed ({a}) is before published ({p}); a page "
                                      "cannot be read before it is published, so check both dates",
                                      {"field": "accessed", "a": str(self.accessed),
                                       "p": str(self.published)})
        return self


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
