"""render: a :class:`~generator.load.Dataset` + templates + articles → a list of Markdown pages.

Pure: it reads ``templates/`` and ``site_src/`` and returns :class:`Page` objects; it never writes
into the source tree and never imports MkDocs. :func:`write_tree` writes the pages to a folder for
inspection (``python -m generator export DIR``).

Safety: every value that reaches a page through ``{{ … }}`` is escaped for *both* Markdown and HTML
(see :func:`md_escape`) unless it is :class:`~markupsafe.Markup` built by this module. Templates and
articles run in Jinja's immutable sandbox with ``StrictUndefined``.
"""

from __future__ import annotations

import bisect
import functools
import datetime as _dt
import json
import math
import os
import posixpath
import re
import sys
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any, Iterable

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape
from pydantic import BaseModel, Field, ValidationError

from . import model as m
from . import site_paths
from .crossref import unused_sources
from .dataset import Dataset
from .suggest import suggest
from .validate import explain, validate
from .problems import Problems
from .reader import parse_yaml, read_file
from .limits import (UNORDERED, Budget, BudgetEscapeFormatter, BudgetExceeded, BudgetFormatter,
                     Limits, budgeted_filters, check_nesting, check_tags, digits, markdown_shapes,
                     prepare, prepare_call, printf_size, unshowable)
from .limits import concat as limits_concat
from .limits import str_join as limits_str_join
from . import engine
from .escape import json_for_html, md, shown
from .facts import incoming_relations, latest_mark, parent_of, relations, valuation_marks, weakest
from .markup import cite_marks, current_page, link, on_page, rel, short_date, status_badge
from .types import FilePage, Page, PageState, RenderError  # noqa: F401 (FilePage: for callers)
from .values import MONTHS, DateField, Line, Money, Paragraph, PartialDate

MAX_ARTICLE_BYTES = 512 * 1024


md_escape = md  # the name templates and tests know


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    if isinstance(value, (Money, PartialDate)):
        return md_escape(value.display())
    return md_escape(value)


@dataclass(frozen=True)
class Figure:
    """A value from the data with its provenance; renders as the value plus its citations."""

    value: Any
    sources: tuple[str, ...]
    status: str
    label: str = ""
    unit: str = ""  # shown after a number ("700 W"); arithmetic uses the number alone

    def text(self) -> str:
        v = self.value
        if isinstance(v, (Money, PartialDate)):
            return v.display()
        if isinstance(v, Decimal):
            out = f"{v:,f}".rstrip("0").rstrip(".") if "." in f"{v:f}" else f"{v:,}"
        elif isinstance(v, int) and not isinstance(v, bool):
            out = f"{v:,}"
        else:
            out = str(v)
        return f"{out} {self.unit}" if self.unit else out

    def __html__(self) -> str:
        return str(md_escape(self.text()) + cite_marks(self.sources, self.status))

    def __str__(self) -> str:
        return self.text()

    @property
    def plain(self) -> Markup:
        """The value without citations (for a second mention in the same sentence)."""
        return md_escape(self.text())


# ---------------------------------------------------------------------------------------------
# The functions articles and templates call


class Api:
    """What data-bound prose can reach. Every unknown id raises RenderError with a suggestion."""

    def __init__(self, ds: Dataset):
        self.ds = ds

    # -- lookups
    def company_record(self, company_id: str) -> m.Company:
        c = self.ds.companies.get(company_id)
        if c is None:
            raise RenderError(f"unknown company '{company_id}'{suggest(company_id, self.ds.companies)}")
        return c

    def event_record(self, company_id: str, event_id: str) -> m.Event:
        c = self.company_record(company_id)
        e = c.event(event_id)
        if e is None:
            raise RenderError(f"company '{company_id}' has no event '{event_id}'"
                              f"{suggest(event_id, [x.id for x in c.events])}")
        return e

    def fig(self, path: str) -> Figure:
        """``fig('anthropic/series-h/post_money_valuation')``: one field of one event."""
        parts = str(path).split("/")
        if len(parts) != 3:
            raise RenderError(f"fig('{path}'): expected 'company/event/field', such as "
                              "'anthropic/series-h/post_money_valuation'")
        e = self.event_record(parts[0], parts[1])
        fields = ["date", "amount_raised", "amount_committed", "pre_money_valuation",
                  "post_money_valuation", "round"]
        if parts[2] not in fields:
            raise RenderError(f"fig('{path}'): unknown field '{parts[2]}'{suggest(parts[2], fields)}")
        value = getattr(e, parts[2])
        if value is None:
            raise RenderError(f"fig('{path}'): event '{parts[1]}' of '{parts[0]}' has no "
                              f"{parts[2]}")
        return Figure(value, tuple(e.sources), e.status, f"{parts[0]} {parts[1]} {parts[2]}")

    def metric(self, company_id: str, kind: str, date: str) -> Figure:
        c = self.company_record(company_id)
        for mt in c.metrics:
            if mt.kind == kind and str(mt.date) == str(date):
                return Figure(mt.value, tuple(mt.sources), mt.status)
        known = [f"{x.kind} {x.date}" for x in c.metrics]
        raise RenderError(f"company '{company_id}' has no {kind} metric dated {date}"
                          f"{suggest(f'{kind} {date}', known)}")

    def cell(self, table_id: str, row_id: str, column: str) -> Figure:
        t = self.ds.tables.get(table_id)
        if t is None:
            raise RenderError(f"unknown table '{table_id}'{suggest(table_id, self.ds.tables)}")
        row = next((r for r in t.rows if r.id == row_id), None)
        if row is None:
            raise RenderError(f"table '{table_id}' has no row '{row_id}'"
                              f"{suggest(row_id, [r.id for r in t.rows])}")
        cols = {c.id: c for c in t.columns}
        if column not in cols:
            raise RenderError(f"table '{table_id}' has no column '{column}'{suggest(column, cols)}")
        value = row.values.get(column)
        if value is None:
            raise RenderError(f"table '{table_id}', row '{row_id}' has no value for '{column}'")
        unit = cols[column].unit
        if cols[column].type == "year":
            value = str(value)
        return Figure(value, tuple(row.sources), row.status, unit=unit or "")

    # -- arithmetic on figures (results carry the union of sources and the weakest status)
    # Ranges (documented in CONTRIBUTING.md): numbers computed with, and results, are at most
    # 10^18 in size (every figure from the data is far below: amounts are capped per currency,
    # table numbers at 10^15), and digits run from 0 to 6. Within them Decimal's 28 digits hold
    # every result exactly enough, and nothing fails with a bare InvalidOperation.
    RESULT_MAX = Decimal(10) ** 18
    MAX_DIGITS = 6

    @classmethod
    def _num(cls, f: Any) -> Decimal:
        v = f.value if isinstance(f, Figure) else f
        if isinstance(v, Money):
            return v.amount
        if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
            if abs(v) > cls.RESULT_MAX:
                raise RenderError("cannot compute with a number larger than 10^18; the numbers in "
                                  "the data are far smaller")
            return Decimal(v)
        shown = repr(v) if len(repr(v)) <= 60 else f"{repr(v)[:57]}..."
        raise RenderError(f"cannot compute with {shown}; expected a figure holding an amount or "
                          "number")

    @classmethod
    def _digits(cls, name: str, digits: Any) -> Decimal:
        """The step to round a result of ``name()`` to: 1, 0.1, ... 0.000001."""
        if not isinstance(digits, int) or isinstance(digits, bool) or \
                not 0 <= digits <= cls.MAX_DIGITS:
            shown = repr(digits) if len(repr(digits)) <= 30 else "that"
            raise RenderError(f"{name}(): the number of decimals must be a whole number from 0 to "
                              f"{cls.MAX_DIGITS}, not {shown}")
        return Decimal(1).scaleb(-digits)

    @classmethod
    def _in_range(cls, name: str, result: Decimal) -> Decimal:
        if abs(result) > cls.RESULT_MAX:
            raise RenderError(f"{name}(): the result is larger than 10^18, beyond what a page "
                              "shows; check the figures")
        return result

    @staticmethod
    def _value(f: Any) -> Any:
        return f.value if isinstance(f, Figure) else None

    @staticmethod
    def _merge(*figs: Any) -> tuple[tuple[str, ...], str]:
        sources: list[str] = []
        statuses = []
        for f in figs:
            if isinstance(f, Figure):
                sources += [s for s in f.sources if s not in sources]
                statuses.append(f.status)
        return tuple(sources), weakest(statuses)

    def ratio(self, a: Figure, b: Figure, digits: int = 1) -> Figure:
        """a ÷ b, shown as '2.5×'."""
        step = self._digits("ratio", digits)
        den = self._num(b)
        if den == 0:
            raise RenderError("ratio(): division by zero")
        q = self._in_range("ratio", self._num(a) / den).quantize(step, rounding=ROUND_HALF_EVEN)
        return Figure(f"{q}×", *self._merge(a, b))

    def growth(self, a: Figure, b: Figure, digits: int = 0) -> Figure:
        """Change from b to a in per cent, shown as '154%'."""
        step = self._digits("growth", digits)
        den = self._num(b)
        if den == 0:
            raise RenderError("growth(): division by zero")
        pct = self._in_range("growth", (self._num(a) - den) / den * 100).quantize(
            step, rounding=ROUND_HALF_EVEN)
        return Figure(f"{pct:+}%".replace("+", "+" if pct > 0 else ""), *self._merge(a, b))

    def diff(self, a: Figure, b: Figure) -> Figure:
        """a − b for two amounts of the same currency."""
        va, vb = self._value(a), self._value(b)
        if not (isinstance(va, Money) and isinstance(vb, Money)) or va.currency != vb.currency:
            raise RenderError("diff(): both figures must be amounts in the same currency")
        d = self._in_range("diff", abs(va.amount - vb.amount))
        return Figure(Money(d, va.currency), *self._merge(a, b))

    def per(self, a: Figure, b: Figure, unit: str, digits: int = 1) -> Figure:
        """a ÷ b as a quantity with a unit: per(cell(fp8), cell(watts), "TFLOPS per watt")."""
        step = self._digits("per", digits)
        den = self._num(b)
        if den == 0:
            raise RenderError("per(): division by zero")
        q = self._in_range("per", self._num(a) / den).quantize(step, rounding=ROUND_HALF_EVEN)
        return Figure(q, *self._merge(a, b), unit=str(unit))

    def months(self, a: Figure, b: Figure) -> Figure:
        """Whole months between two dated figures (a after b), shown as '3 months'."""
        da, db = self._value(a), self._value(b)
        if not (isinstance(da, PartialDate) and isinstance(db, PartialDate)) or not (da.month and
                                                                                   db.month):
            raise RenderError("months(): both figures must be dates with a month, such as "
                              "fig('anthropic/series-h/date')")
        n = abs((da.year - db.year) * 12 + da.month - db.month)
        return Figure(f"{n} month{'s' if n != 1 else ''}", *self._merge(a, b))

    def total(self, *figs: Figure) -> Figure:
        vals = [self._value(f) for f in figs]
        if not vals or not all(isinstance(v, Money) for v in vals) or \
                len({v.currency for v in vals}) != 1:
            raise RenderError("total(): every figure must be an amount in one currency")
        amount = self._in_range("total", sum((v.amount for v in vals), Decimal(0)))
        return Figure(Money(amount, vals[0].currency), *self._merge(*figs))

    # -- links
    def link(self, company_id: str) -> Markup:
        c = self.company_record(company_id)
        return Markup(f"[{md_escape(c.name)}]({rel(f'companies/{c.id}.md')})")

    def cite(self, *source_ids: str) -> Markup:
        for s in source_ids:
            if s not in self.ds.sources:
                raise RenderError(f"unknown source '{s}'{suggest(s, self.ds.sources)}")
        return cite_marks(source_ids)

    def term(self, term_id: str, text: str | None = None) -> Markup:
        """A glossary term: linked to its entry the first time it appears on a page."""
        g = self.ds.glossary.get(term_id)
        if g is None:
            raise RenderError(f"unknown glossary term '{term_id}': there is no file "
                              f"data/glossary/{term_id}.yaml{suggest(term_id, self.ds.glossary)}")
        shown = md_escape(text if text is not None else g.term.lower()
                          if not g.term.isupper() and not g.term[:2].isupper() else g.term)
        state = current_page()
        if term_id in state.terms or state.path == "glossary.md":
            return shown
        state.terms.add(term_id)
        return Markup(f'[{shown}]({rel("glossary.md#term-" + term_id)}){{: .fl-term }}')

    def page_link(self, docs_path: str, text: str) -> Markup:
        return Markup(f"[{md_escape(text)}]({rel(docs_path)})")


# ---------------------------------------------------------------------------------------------
# Views for templates: computed facts about companies, kept out of the templates themselves


def investors_text(companies: dict[str, m.Company], e: m.Event) -> Markup:
    """The investors of an event, linked to their profiles, with their role when they led."""
    parts = []
    for inv in e.investors:
        if inv.company:
            c = companies[inv.company]
            parts.append(link(inv.name or c.name, f"companies/{c.id}.md"))
        else:
            parts.append(md_escape(inv.name))
        if inv.role != "participant":
            parts[-1] = Markup(f"{parts[-1]} ({inv.role})")
    return Markup(", ").join(parts)


# ---------------------------------------------------------------------------------------------
# Environment


class TemplateLoader(jinja2.BaseLoader):
    """templates/<name>, read as a regular file only: no links, nothing outside the folder."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get_source(self, environment, template):
        path = self.folder / template
        parts = Path(template).parts
        if ".." in parts or Path(template).is_absolute():
            raise jinja2.TemplateNotFound(template)
        p = self.folder
        for part in parts:
            p = p / part
            if p.is_symlink():
                raise RenderError(f"templates/{template} is a symbolic link; links are never "
                                  "followed")
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        source = path.read_text(encoding="utf-8")
        mtime = path.stat().st_mtime_ns

        def uptodate() -> bool:  # compiled once per render, not once per page
            try:
                return path.stat().st_mtime_ns == mtime and not path.is_symlink()
            except OSError:
                return False

        return source, str(path), uptodate


MAX_TEMPLATE_VALUE = 1_000_000  # characters or items one * or ** may produce in a template

# Attributes that read the clock or the machine's time zone: a page that used them would differ
# from one build of the same files to the next. (fromordinal and fromisoformat compute a date from
# their argument alone, and stay available.)
CLOCK_ATTRIBUTES = {
    "today": "reads the clock", "now": "reads the clock", "utcnow": "reads the clock",
    "fromtimestamp": "depends on the time zone of the machine that builds the site",
    "utcfromtimestamp": "turns a moment of the clock into a date",
    "timestamp": "depends on the time zone of the machine that builds the site",
    "astimezone": "depends on the time zone of the machine that builds the site",
}
_DATES = (_dt.date, _dt.time, _dt.tzinfo, _dt.timedelta)


def _refused(message: str) -> Any:
    """A function or filter of Jinja's that pages cannot use, in its place."""
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise jinja2.exceptions.SecurityError(message)
    return refused


def _by_chance(name: str, what: str) -> Any:
    """Jinja's ``random`` filter and ``lipsum`` global, replaced: a page that used them would
    differ from one build to the next."""
    return _refused(f"{name} {what}, so two builds of the same files would differ")


class PageSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, plus: a cap on what * and ** may build ('x' * 10**11 would
    otherwise exhaust memory); no clock and no chance (two builds of the same files are the same);
    and, with ``limits`` (articles and hand-written pages), every budget of
    :mod:`generator.limits`, held for each page by the :class:`~generator.limits.Budget` that
    :func:`_render_template` opens."""

    def __init__(self, *args: Any, limits: Limits | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._safe: dict[tuple[type, str], bool] = {}
        self.limits = limits
        self.budget: Budget | None = None  # the page being rendered (set by _render_template)
        self.globals["lipsum"] = _by_chance("lipsum", "makes up text by chance")
        self.filters["random"] = _by_chance("random", "picks by chance")
        if limits is None:
            self.intercepted_binops = frozenset(["*", "**"])
            return
        self.intercepted_binops = frozenset(["*", "**", "+", "-", "%", "/", "//"])
        # what prepared templates call, through ``environment.`` (see limits.prepare); plain
        # attributes, so that call() knows them by identity
        self.fl_loop = self._fl_loop
        self.fl_value = self._fl_value
        self.concat = self._fl_concat  # the text a macro or a block collected
        self.template_class = _PageTemplate
        self.code_generator_class = _PageCodeGenerator
        self._plain_finalize = self.finalize
        self.finalize = self._fl_finalize

    # -- reproducibility
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Jinja's answer depends on the object's type and the attribute's name only (the value is
        # not consulted), so it is worked out once per (type, name): a site of thousands of pages
        # asks it millions of times.
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value) and not (
                attr in CLOCK_ATTRIBUTES and (isinstance(obj, _DATES) or
                                              isinstance(obj, type) and issubclass(obj, _DATES))
            ) and not isinstance(value, (set, frozenset)) and not (
                # pydantic's own methods (model_dump_json(indent=10**9), model_rebuild(), …):
                # pages print fields of a record, never these
                self.limits is not None and isinstance(obj, BaseModel) and
                attr.startswith("model_"))
        return safe

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        reason = CLOCK_ATTRIBUTES.get(attribute)
        if reason and (isinstance(obj, _DATES) or isinstance(obj, type) and
                       issubclass(obj, _DATES)):
            return self.undefined(f"'{attribute}' {reason}, so two builds of the same files "
                                  "would differ", name=attribute, obj=obj,
                                  exc=jinja2.exceptions.SecurityError)
        if isinstance(getattr(obj, attribute, None), (set, frozenset)):
            return self.undefined(f"'{attribute}' holds an unordered set, whose order changes "
                                  "from one build to the next", name=attribute, obj=obj,
                                  exc=jinja2.exceptions.SecurityError)
        return super().unsafe_undefined(obj, attribute)

    # -- sizes and budgets
    def call_binop(self, context, operator, left, right):
        budget = self.budget
        if budget is not None:
            budget.tick()
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 100:
                raise jinja2.exceptions.SecurityError("exponent too large in a page")
            if budget is None:
                return left ** right
            if isinstance(left, int) and isinstance(right, int) and right > 0:
                budget.need_digits(digits(left) * right, "'**'")
            return budget.check(left ** right, "'**'")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, bytes, list, tuple)) and isinstance(n, int):
                    if budget is not None:
                        budget.need(budget.size(seq) * max(n, 0), "'*'")
                    elif len(seq) * max(n, 0) > MAX_TEMPLATE_VALUE:
                        raise jinja2.exceptions.SecurityError("repetition too large in a page")
            if budget is None:
                return left * right
            if type(left) is int and type(right) is int:
                budget.need_digits(digits(left) + digits(right) - 1, "'*'")
            return budget.check(left * right, "'*'")
        if operator == "+" and isinstance(left, (str, bytes, list, tuple)):
            budget.need(budget.size(left) + budget.size(right), "'+'")  # type: ignore[union-attr]
        elif operator == "%" and isinstance(left, str):
            for arg in right if isinstance(right, tuple) else (right,):
                why = unshowable(arg)
                if why:
                    raise BudgetExceeded(why)
            budget.need(printf_size(budget, left, right), "'%'")  # type: ignore[arg-type]
        out = self.binop_table[operator](left, right)
        if isinstance(out, (set, frozenset)):
            raise BudgetExceeded(UNORDERED)
        if isinstance(out, (int, Decimal)):  # 1 / Decimal('1e-9999') is a long number
            budget.check(out, f"'{operator}'")  # type: ignore[union-attr]
        return out

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        budget = __self.budget
        if budget is None:
            return super().call(__context, __obj, *args, **kwargs)
        if __obj is __self.fl_loop or __obj is __self.fl_value:  # (by identity: == may run code)
            return __obj(*args)
        budget.tick()
        args = prepare_call(budget, __obj, args, kwargs)
        if isinstance(__obj, (Macro, jinja2.runtime.LoopContext,
                              jinja2.runtime.BlockReference)):  # (a block can call itself too)
            if isinstance(__obj, jinja2.runtime.LoopContext) and args:  # a recursive loop
                args = (budget.loop(args[0]), *args[1:])
            budget.enter()
            try:
                out = super().call(__context, __obj, *args, **kwargs)
            finally:
                budget.leave()
        else:
            out = super().call(__context, __obj, *args, **kwargs)
        name = getattr(__obj, "__name__", None) or getattr(__obj, "name", None)
        return budget.check(out, f"'{name}'" if isinstance(name, str) else "a call")

    def wrap_str_format(self, value: Any) -> Any:
        plain = super().wrap_str_format(value)
        if plain is None or self.budget is None:
            return plain
        f_self, is_map = value.__self__, value.__name__ == "format_map"
        env = self

        def checked(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    return plain(*args, **kwargs)  # Jinja's own message
                args, kwargs = (), args[0]
            budget = env.budget
            formatter = (BudgetEscapeFormatter(env, budget, "'format'", escape=f_self.escape)
                         if isinstance(f_self, Markup) else
                         BudgetFormatter(env, budget, "'format'"))
            return type(f_self)(formatter.vformat(f_self, args, kwargs))

        return functools.update_wrapper(checked, value)

    def _parse(self, source: str, name: str | None, filename: str | None):
        if self.limits is None:
            return super()._parse(source, name, filename)
        check_tags(source, self.limits)
        # before the parser, which recurses once or more for each level of nesting
        # (the lexer's own tokens, without the look-ahead of a token stream: a token it cannot
        # read is then reported at its own line)
        tokens = self.lexer.wrap(self.lexer.tokeniter(source, name, filename), name, filename)
        check_nesting(((t.lineno, t.type, t.value) for t in tokens), self.limits)
        return prepare(super()._parse(source, name, filename), self.limits)

    def _fl_loop(self, iterable: Any) -> Any:
        return self.budget.loop(iterable) if self.budget is not None else iterable

    def _fl_value(self, value: Any) -> Any:
        return self.budget.check(value, "a literal") if self.budget is not None else value

    def _fl_concat(self, seq: Iterable[str]) -> str:
        return limits_concat(self.budget, seq) if self.budget is not None else "".join(seq)

    def _fl_finalize(self, value: Any) -> Any:
        budget = self.budget
        if budget is not None:
            why = unshowable(value)
            if why:
                raise BudgetExceeded(why)
            budget.tick()
        return self._plain_finalize(value)


class _PageCodeGenerator(CodeGenerator):
    """Jinja's code generator, marking the line where each run of a page's own text starts (Jinja
    marks only expressions and statements), so that a problem found in the output is reported at
    the line that wrote it."""

    def visit_Output(self, node: nodes.Output, frame: Any) -> None:
        if node.nodes and isinstance(node.nodes[0], nodes.TemplateData):
            self.newline(node.nodes[0])
        super().visit_Output(node, frame)

    def visit_Assign(self, node: nodes.Assign, frame: Any) -> None:
        self.newline(node)  # Jinja writes its check of a namespace before marking the line
        super().visit_Assign(node, frame)


class _PageTemplate(jinja2.Template):
    """A page's compiled template, with ``a ~ b`` joined under the page's budget."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):
        namespace["str_join"] = lambda seq: limits_str_join(environment.budget, seq) \
            if environment.budget is not None else "".join(map(str, seq))
        namespace["markup_join"] = lambda seq: limits_str_join(environment.budget, seq, True) \
            if environment.budget is not None else jinja2.runtime.markup_join(seq)
        return super()._from_namespace(environment, namespace, globals)


def make_env(loader: jinja2.BaseLoader, limits: Limits | None = None) -> PageSandbox:
    """The sandbox for templates (``limits`` None: code a maintainer reviewed) or for articles and
    hand-written pages (``limits``: every budget of :mod:`generator.limits`)."""
    env = PageSandbox(
        loader=loader, undefined=jinja2.StrictUndefined, finalize=_finalize, autoescape=False,
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, limits=limits,
    )
    env.filters["md"] = md_escape
    env.filters["status"] = status_badge
    env.filters["num"] = lambda v: md_escape(Figure(v, (), "confirmed").text())
    env.filters["short"] = lambda d: md_escape(short_date(d))
    env.filters["display"] = lambda v: md_escape(v.display()) if hasattr(v, "display") else md_escape(v)
    if limits is not None:
        # the check reads an article's HTML in its source (check_article_markup); |safe would let
        # its code write HTML the check never sees
        env.filters["safe"] = _refused("|safe would let template code write raw HTML that the "
                                       "check never sees; write Markdown")
        env.filters.update(budgeted_filters(env.filters, env))
    return env


def _bytecode_cache(root: Path) -> jinja2.BytecodeCache | None:
    """Compiled templates and articles, in the project's cache folder outside its tree (the
    bytecode is loaded with pickle and marshal, so never from where a pull request can put a
    file); jinja2 compares each one's source with what was compiled, so a changed template or
    article is compiled again. Written atomically; None (no cache) when it cannot be."""
    from .cachedir import bytecode_cache

    return bytecode_cache(root, "jinja-pages")


def _template_globals(ds: Dataset, api: Api) -> dict[str, Any]:
    return {
        "fig": api.fig, "metric": api.metric, "cell": api.cell, "ratio": api.ratio,
        "growth": api.growth, "diff": api.diff, "total": api.total, "months": api.months,
        "per": api.per, "link": api.link,
        "cite": api.cite, "term": api.term, "page_link": api.page_link, "company": api.company_record,
        "event": api.event_record, "chart": api.chart,
    }


def _error_line(exc: BaseException, name: str) -> int:
    """The template line an exception was raised from (Jinja rewrites tracebacks to show it)."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
        return exc.lineno
    line = 0
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in (name, f"<template:{name}>") or \
                tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _render_template(env, name: str, origin: str, ctx: dict, problems: Problems,
                     line_offset: int = 0) -> str | None:
    """One page's text, or None with its problems added. An environment with limits (articles and
    hand-written pages) renders under a fresh :class:`~generator.limits.Budget`, streaming its
    output so that the size is checked as it grows."""
    limits = getattr(env, "limits", None)
    env.budget = Budget(limits) if limits is not None else None
    try:
        tpl = env.get_template(name)
        if env.budget is None:
            return tpl.render(ctx)
        try:
            env.budget.tick()  # compiling counts too
        except BudgetExceeded as exc:
            exc.line = 1
            raise
        out, marks = _stream(env, tpl, ctx)
        return out if _check_markdown(env, tpl, name, origin, out, marks, problems,
                                      line_offset) else None
    except BudgetExceeded as exc:
        problems.error(origin, str(exc), line=(exc.line or _error_line(exc, name)) + line_offset)
    except jinja2.TemplateNotFound as exc:
        problems.error(origin, f"the template {exc.name} is missing from the templates folder")
    except jinja2.TemplateSyntaxError as exc:
        problems.error(origin, f"template syntax: {exc.message}", line=(exc.lineno or 0) + line_offset)
    except jinja2.UndefinedError as exc:
        problems.error(origin, f"{exc.message}; check the spelling, or see CONTRIBUTING.md for "
                       "the names articles can use", line=_error_line(exc, name) + line_offset)
    except jinja2.exceptions.SecurityError as exc:
        problems.error(origin, f"not allowed in a page: {exc}",
                       line=_error_line(exc, name) + line_offset)
    except RenderError as exc:
        problems.error(origin, str(exc), line=_error_line(exc, name) + line_offset)
    except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError) as exc:
        problems.error(origin, f"template error: {exc}", line=_error_line(exc, name) + line_offset)
    except jinja2.TemplateError as exc:
        problems.error(origin, f"template error: {exc.message or exc}",
                       line=_error_line(exc, name) + line_offset)
    except RecursionError as exc:  # the limits keep well below Python's; a last resort
        problems.error(origin, "the template code went too deep (macros calling macros, or values "
                       "inside values) for Python to follow",
                       line=_error_line(exc, name) + line_offset)
    except MemoryError as exc:  # likewise
        problems.error(origin, "the template code ran out of memory",
                       line=_error_line(exc, name) + line_offset)
    except Exception as exc:  # an article is untrusted code: whatever it raises is its problem
        if limits is None:
            raise
        problems.error(origin, f"template error: {type(exc).__name__}: {exc}",
                       line=_error_line(exc, name) + line_offset)
    finally:
        env.budget = None
    return None


def _stream(env: PageSandbox, tpl: jinja2.Template, ctx: dict) -> tuple[str, list[tuple[int, int]]]:
    """Render ``tpl`` piece by piece, counting the output against the page's budget (a page that
    would write gigabytes stops at the limit instead of filling memory). Returns the text, and
    where each piece starts in it with the line of generated code that wrote it."""
    budget = env.budget
    assert budget is not None
    gen = tpl.root_render_func(tpl.new_context(ctx))
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    at = 0
    while True:
        try:
            chunk = next(gen)
        except StopIteration:
            break
        except Exception:
            env.handle_exception()  # re-raised with the template's lines in its traceback
        frame = gen.gi_frame
        code_line = frame.f_lineno if frame else 0
        try:
            budget.wrote(len(chunk))
        except BudgetExceeded as exc:
            exc.line = tpl.get_corresponding_lineno(code_line)
            gen.close()
            raise
        marks.append((at, code_line))
        parts.append(chunk)
        at += len(chunk)
    return "".join(parts), marks


def _output_line(pos: int, out: str, marks: list[tuple[int, int]], tpl: jinja2.Template,
                 source: str, line_starts: list[int]) -> int:
    """The template line that wrote position ``pos`` of its output: the line of the piece that
    holds it, plus the lines before it within the piece when the piece is text of the template
    itself (the output of an expression counts as the expression's line)."""
    k = bisect.bisect_right(marks, (pos, sys.maxsize)) - 1
    if k < 0:
        return 1
    start, code_line = marks[k]
    line = tpl.get_corresponding_lineno(code_line)
    end = marks[k + 1][0] if k + 1 < len(marks) else len(out)
    head = out[start:min(end, start + 60)].split("\n")[0]
    at = line_starts[min(line, len(line_starts)) - 1]
    if head in source[at:at + 300 + len(head)]:  # the piece is the page's own text
        line += out.count("\n", start, pos)
    return line


def _check_markdown(env: PageSandbox, tpl: jinja2.Template, name: str, origin: str, out: str,
                    marks: list[tuple[int, int]], problems: Problems, line_offset: int) -> bool:
    """Refuse Markdown that would convert slowly (see limits.markdown_shapes), each problem at
    the line of the page that wrote it. True when there was none."""
    found = markdown_shapes(out, env.limits.markdown)  # type: ignore[union-attr]
    if not found:
        return True
    source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    line_starts = [0] + [m_.end() for m_ in re.finditer("\n", source)]
    for pos, message in found:
        problems.error(origin, message, line=_output_line(pos, out, marks, tpl, source,
                                                          line_starts) + line_offset)
    return False


# ---------------------------------------------------------------------------------------------
# Articles and hand-written pages


class PageMeta(BaseModel):
    model_config = {"extra": "forbid", "frozen": True, "strict": True}
    title: Line
    description: Paragraph
    published: DateField | None = Field(None, description="Articles: first publication date.")
    updated: DateField | None = None
    hide_toc: bool = False


_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)


def read_page_source(path: Path, rel_path: str, problems: Problems
                     ) -> tuple[PageMeta | None, str, int] | None:
    text = read_file(path, rel_path, problems, max_bytes=MAX_ARTICLE_BYTES)
    if text is None:
        return None
    fm = _FRONT.match(text)
    if not fm:
        problems.error(rel_path, "a page starts with front matter between '---' lines holding at "
                       "least title: and description:", line=1, column=1)
        return None
    # parsed with an empty first line in place of the opening '---', so that every position,
    # of values and of problems alike, is the line of the file
    doc = parse_yaml("\n" + fm.group(1), rel_path, problems)
    if doc is None:
        return None
    meta = validate(rel_path, doc, PageMeta, problems)
    body = text[fm.end():]
    offset = fm.group(0).count("\n")
    return meta, body, offset


# What an article may contain besides Markdown. Everything else is refused by the check (and
# would be stripped from the output by the sanitiser anyway).
ARTICLE_TAGS = {"abbr": {"title"}, "sup": set(), "sub": set(), "br": set(), "kbd": set(),
                "mark": set(), "details": {"markdown"}, "summary": set(), "small": set()}
SAFE_SCHEMES = ("https:", "http:", "mailto:")
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)(?![A-Za-z0-9-]*:)([^>]*)>?", re.S)
_ATTR = re.compile(r"([^\s=/>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_MD_LINK = re.compile(r"\]\(\s*<?([^\s>]*)|^[ \t]{0,3}\[[^\]]+\]:[ \t]*<?(\S+)|<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>",
                      re.M)
# A scheme broken by white space (java<newline>script:) that browsers would still honour.
_SPLIT_SCHEME = re.compile(r"\]\(\s*<?([A-Za-z][A-Za-z0-9+.-]*(?:\s+[A-Za-z0-9+.-]+)+\s*:)")
# Attribute lists, as Python-Markdown's attr_list extension reads them (its BASE_RE and its token
# scanner): ``{`` or ``{:``, spaces, then anything up to the last ``}`` of the line. The extension
# honours them at the end of a heading, table cell or definition term, on a line of their own at
# the end of a block, and right after an inline element (link, image, emphasis, code); the check
# looks at every ``{`` that could start one, wherever it stands, so it finds all of those.
_ATTR_LIST = re.compile(r"\{:?[ ]*([^}\n ][^\n]*)\}")
_ATTR_TOKENS = re.Scanner([
    (r'[^ =}]+=".*?"', lambda s, t: t),
    (r"[^ =}]+='.*?'", lambda s, t: t),
    (r"[^ =}]+=[^ =}]+", lambda s, t: t),
    (r"[^ =}]+", lambda s, t: t),
    (r" ", None),
])
_ID_OR_CLASS = re.compile(r"[#.][A-Za-z][A-Za-z0-9_-]*")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def _scheme_of(url: str) -> str:
    import html as _html

    u = _html.unescape(url)
    u = re.sub(r"[\x00-\x20\x7f]+", "", u).lower()
    m_ = re.match(r"([a-z][a-z0-9+.-]*):", u)
    return (m_.group(1) + ":") if m_ else ""


ATTR_LIST_WINDOW = 200  # characters of one attribute list that are read; a longer one is refused


# What may stand right before the ``{`` of an attribute list that the extension applies: white
# space (the end of a heading, table cell or definition term), the start of a line that is not the
# first of its block (a list on a line of its own), or the end of an inline element (a link or
# image, emphasis, code, an autolink). "\0" marks the end of template code or of a code span in the
# text the check reads (see check_article_markup): what template code prints can end an inline
# element, and a line of template code may vanish and join the lines around it.
_BEFORE_ATTR_LIST = frozenset(" \t\f\v)]*_`>\0")


def attribute_list_entries(text: str) -> list[tuple[str, int]]:
    """Every entry of every attribute list in ``text`` that the attr_list extension could apply,
    split as it splits them, with the position of the list's ``{``. Linear in the text: each
    list is read from its ``{`` to the last ``}`` of its line, at most ATTR_LIST_WINDOW characters
    (the last entry of a longer list is returned cut, ending in '…'). A ``{`` escaped with a
    backslash, or after a character that no attribute list follows (``body{``), is text."""
    out: list[tuple[str, int]] = []
    offset = 0
    follows = False  # the line before is not blank: this line continues its block
    for line in text.split("\n"):
        last = line.rfind("}")
        first = len(line) - len(line.lstrip(" \t"))
        for brace in re.finditer(r"\{", line[:max(last, 0)]):
            p = brace.start()
            if p == first and not follows:
                continue  # the start of a block: a list needs a line of the block before it
            if p and line[p - 1] not in _BEFORE_ATTR_LIST:
                continue
            j = p + 1 + line.startswith(":", p + 1)
            k = j
            while k < last and line[k] == " ":
                k += 1
            if k < last and line[k] != "}":
                start = k
            elif j > p + 1:
                start = p + 1  # '{:}': the colon itself is the list
            else:
                continue
            end = min(last, start + ATTR_LIST_WINDOW)
            tokens, rest = _ATTR_TOKENS.scan(line[start:end])
            if tokens and not rest and end < last:
                tokens[-1] += "…"
            out.extend((t, offset + p) for t in tokens)
        offset += len(line) + 1
        follows = bool(line.strip(" \t"))
    return out


def check_article_markup(body: str, origin: str, offset: int, problems: Problems) -> None:
    """Refuse raw HTML outside ARTICLE_TAGS, event handlers, styles, unsafe link schemes and
    attribute lists that set anything but classes and ids, with the line where each stands."""
    code = _JINJA.sub(lambda m_: re.sub(r"[^\n]", " ", m_.group(0)), body)  # template code: not text
    ends = [m_.end() - 1 for m_ in _JINJA.finditer(body)]  # (what it prints may end a link)

    breaks = [m_.start() for m_ in re.finditer("\n", code)]

    def line_of(pos: int) -> int:  # (a search, not a count: an article may have many problems)
        return bisect.bisect_left(breaks, pos) + 1 + offset

    in_fence = False
    fence_spans = []
    pos = 0
    for ln in code.split("\n"):
        if re.match(r"\s{0,3}(```|~~~)", ln):
            in_fence = not in_fence
            fence_spans.append((pos, pos + len(ln)))
        elif in_fence:
            fence_spans.append((pos, pos + len(ln)))
        pos += len(ln) + 1
    text = list(code)
    for a, b in fence_spans:  # code blocks are shown, not run: skip them
        text[a:b] = " " * (b - a)
    code = "".join(text)
    ends += [m_.end() - 1 for m_ in re.finditer(r"`[^`\n]*`", code)]
    code = re.sub(r"`[^`\n]*`", lambda m_: " " * len(m_.group(0)), code)  # inline code likewise

    for m_ in _TAG.finditer(code):
        closing, tag, rest = m_.group(1), m_.group(2).lower(), m_.group(3)
        if tag not in ARTICLE_TAGS:
            problems.error(origin, f"raw HTML <{tag}> is not allowed in articles; write Markdown "
                           f"(allowed tags: {', '.join(sorted(ARTICLE_TAGS))})",
                           line=line_of(m_.start()))
            continue
        if closing:
            continue
        for am in _ATTR.finditer(rest):
            name = am.group(1).lower()
            if name in ("/",):
                continue
            if name.startswith("on") or name not in ARTICLE_TAGS[tag]:
                problems.error(origin, f"attribute '{name}' is not allowed on <{tag}> in articles",
                               line=line_of(m_.start()))
    for m_ in _MD_LINK.finditer(code):
        url = next(g for g in m_.groups() if g is not None)
        while url.count(")") > url.count("("):
            url = url[:-1]
        scheme = _scheme_of(url)
        if scheme and scheme not in SAFE_SCHEMES:
            problems.error(origin, f"link address '{url[:60]}' uses {scheme}, which is not allowed; "
                           "links go to https:// addresses or to other pages of this site",
                           line=line_of(m_.start()))
    for m_ in _SPLIT_SCHEME.finditer(code):
        scheme = _scheme_of(m_.group(1))
        if scheme and scheme not in SAFE_SCHEMES:
            problems.error(origin, f"link address {m_.group(1)!r} uses {scheme} split by white "
                           "space, which is not allowed; links go to https:// addresses or to "
                           "other pages of this site", line=line_of(m_.start()))
    marked = list(code)
    for i in ends:
        if marked[i] == " ":
            marked[i] = "\0"
    lines_told: set[int] = set()
    for token, pos in attribute_list_entries("".join(marked)):
        line = line_of(pos)
        if not _ID_OR_CLASS.fullmatch(token) and line not in lines_told:
            lines_told.add(line)  # the first entry refused on a line is enough to act on
            problems.error(origin, f"attribute list entry {shown(token)} is not allowed; attribute "
                           "lists in articles may set only .classes and #ids", line=line)
    for i, ln in enumerate(code.split("\n")):
        if re.match(r"\s*(-{2,}8<-{2,}|;--8<--)", ln):
            problems.error(origin, "snippet includes are not enabled; pages cannot include files",
                           line=i + 1 + offset)


def reading_minutes(markdown_text: str) -> int:
    # a chart's SVG (its axis and mark labels) is not read as text: it is left out, so that the
    # count is the same whether the page holds the SVG or a reference to it (see charts.Registry)
    text = re.sub(r"<svg\b.*?</svg>", " ", markdown_text, flags=re.S)
    words = len(re.findall(r"[A-Za-z0-9$€£%][^\s]*", re.sub(r"<[^>]+>", " ", text)))
    return max(1, math.ceil(words / 230))


# ---------------------------------------------------------------------------------------------


def _front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter for MkDocs. Title and description are entity-escaped: the theme pastes
    ``page.meta.title`` into HTML without escaping, so the text must already be inert."""
    lines = ["---"]
    for k, v in meta.items():
        if v is None:
            continue
        if k in ("title", "description"):
            v = str(md_escape(v))
        lines.append(f"{k}: {json.dumps(v, ensure_ascii=False)}")
    lines.append("---\n")
    return "\n".join(lines)


def json_ld(data: dict[str, Any]) -> str:
    """JSON for a <script type="application/ld+json"> block that no data can break out of."""
    return json_for_html(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def company_json_ld(c: m.Company) -> str:
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Organization",
                            "name": c.name, "description": c.summary}
    if c.website:
        data["url"] = c.website
    if c.founded:
        data["foundingDate"] = str(c.founded)
    if c.headquarters:
        data["location"] = c.headquarters
    return json_ld(data)


def article_json_ld(meta: "PageMeta") -> str:
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Article",
                            "headline": meta.title, "description": meta.description,
                            "publisher": {"@type": "Organization", "name": "Frontier Ledger"}}
    if meta.published:
        data["datePublished"] = str(meta.published)
        data["dateModified"] = str(meta.updated or meta.published)
    return json_ld(data)


def _meta_line(fm: dict[str, Any]) -> str:
    """The dates line under a page's title: published, updated, reading time, data as of."""
    bits = []
    if fm.get("published"):
        bits.append(f"Published {_display_iso(fm['published'])}")
    if fm.get("updated"):
        bits.append(f"updated {_display_iso(fm['updated'])}")
    if fm.get("reading_minutes"):
        bits.append(f"{fm['reading_minutes']} min read")
    if fm.get("data_as_of"):
        bits.append(f"data as of {fm['data_as_of']}")
    if not bits:
        return ""
    text = " · ".join(bits)
    return f'<p class="fl-meta">{md_escape(text[0].upper() + text[1:])}</p>\n'


def _display_iso(iso: str) -> str:
    from .values import parse_date

    return parse_date(iso).display()


def _with_meta_line(body: str, line: str) -> str:
    """Insert the dates line after the page's first heading (or at the top)."""
    if not line:
        return body
    m_ = re.search(r"^# .*\n", body, re.M)
    if not m_:
        return line + "\n" + body
    return body[: m_.end()] + "\n" + line + body[m_.end():]


def _sources_footer(ds: Dataset, where: dict[str, str]) -> tuple[str, str]:
    """The numbered sources list of the page being rendered, and its 'data as of' date.
    ``where``: source id → the page of the sources list that holds its record."""
    state = current_page()
    if not state.sources:
        return "", ""
    items = []
    latest = max(ds.sources[s].as_of for s in state.sources)
    for n, sid in enumerate(state.sources, 1):
        s = ds.sources[sid]
        items.append(
            f'{n}. <span id="fl-src-{n}"></span>{md_escape(s.publisher)}, '
            f'<a href="{md_escape(s.url)}" rel="noopener">{md_escape(s.title)}</a>, '
            f"{md_escape(s.published_text)}. "
            f'[About this source]({rel(where[sid] + "#src-" + sid)}){{: .fl-srcref }}')
    # left out of the search index (Material's data-search-exclude): a search for a publisher
    # should find the sources page, not the end of every page that cites it
    html = ('\n\n<div class="fl-sources" data-search-exclude="footer" markdown>\n\n'
            '## Sources for this page {: data-search-exclude="footer" }\n\n' +
            "\n".join(items) + "\n\n</div>\n")
    return html, latest.display()


# ---------------------------------------------------------------------------------------------
# Long lists: the sources page and the companies index are split into pages of this many entries
# (the blog plugin of Material does the same for posts). The shipped data fits on one page of each,
# which is then exactly as before; at 5,000 companies one sources page of 20,000 entries was 7 MB
# and the largest memory peak of the build, and no reader could use it on a phone.
SOURCES_PER_PAGE = 500
COMPANIES_PER_PAGE = 250


@dataclass(frozen=True)
class Pager:
    """One page of a long list: the items it shows and the way to the other pages."""

    number: int  # 1-based
    paths: tuple[str, ...]  # docs path of every page of the list, in order
    ranges: tuple[str, ...]  # what every page holds, "Acme AI – Beta Labs"
    start: int  # 0-based position of this page's first item in the whole list
    items: tuple
    total: int  # items in the whole list

    @property
    def path(self) -> str:
        return self.paths[self.number - 1]


def paginate(items: list, per_page: int, first: str, folder: str,
             span: Any = lambda a, b: _span(str(a), str(b))) -> list[Pager]:
    """``items`` in pages of ``per_page``: the first at ``first`` ("sources.md"), the others at
    ``folder/page/N.md`` ("sources/page/2.md" → /sources/page/2/), as the blog plugin does."""
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
    paths = (first,) + tuple(f"{folder}/page/{k}.md" for k in range(2, len(chunks) + 1))
    ranges = tuple(span(ch[0], ch[-1]) if ch else "" for ch in chunks)
    return [Pager(k + 1, paths, ranges, k * per_page, tuple(ch), len(items))
            for k, ch in enumerate(chunks)]


def _span(first: str, last: str) -> str:
    return first if first == last else f"{first} – {last}"


def _source_span(a: m.Source, b: m.Source) -> str:
    """"Bloomberg – Reuters", or "Reuters (2024–2026)" for a page of one publisher's records."""
    if a.publisher != b.publisher:
        return f"{a.publisher} – {b.publisher}"
    years = sorted({a.as_of.year, b.as_of.year})
    return f"{a.publisher} ({'–'.join(map(str, years))})"


def _steps(pager: Pager) -> str:
    steps = []
    if pager.number > 1:
        steps.append(f"[← Previous page]({rel(pager.paths[pager.number - 2])})")
    if pager.number < len(pager.paths):
        steps.append(f"[Next page →]({rel(pager.paths[pager.number])})")
    return " · ".join(steps)


def pager_nav(pager: Pager, noun: str) -> Markup:
    """Where this page sits in its list, the next and previous pages, and every page by the range
    of its entries, folded away so that a phone shows the list itself first (nothing when the list
    fits on one page). Markdown inside the HTML, so that MkDocs checks the links."""
    if len(pager.paths) == 1:
        return Markup("")
    n = len(pager.paths)
    items = []
    for k, (path, held) in enumerate(zip(pager.paths, pager.ranges), 1):
        text = md_escape(held)
        items.append(f'<li><strong aria-current="page">{text}</strong></li>' if k == pager.number
                     else f'<li markdown="span">[{text}]({rel(path)})</li>')
    shown = f"{pager.start + 1:,}–{pager.start + len(pager.items):,}"
    return Markup(
        f'<nav class="fl-pager" aria-label="Pages of the list of {noun}" markdown>\n\n'
        f"{noun.capitalize()} {shown} of {pager.total:,}: page {pager.number} of {n}. "
        f"{_steps(pager)}\n\n"
        f'<details class="fl-pager__all" markdown="1">\n<summary>All {n} pages</summary>\n'
        f'<ol class="fl-pager__pages" markdown="1">\n' + "\n".join(items) +
        "\n</ol>\n</details>\n</nav>\n")


def pager_steps(pager: Pager, noun: str) -> Markup:
    """Previous and next page links, for the end of a page of a long list."""
    if len(pager.paths) == 1:
        return Markup("")
    return Markup(f'<nav class="fl-pager fl-pager--steps" aria-label="More {noun}" markdown>\n'
                  + _steps(pager) + "\n</nav>\n")


# The check renders the company profiles in two processes from this many companies on (half the
# check's time is rendering them; at 1,000 companies it saves about a second of five).
PARALLEL_CHECK_MIN = 200


def _can_fork() -> bool:
    # Linux only: forking is safe in this process (no threads, no JS engine: charts are not
    # rendered in a check) and cheap; elsewhere the check stays in one process
    return sys.platform == "linux" and hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


def _in_two_processes(items: list, work: Any, problems: Problems, pages: list,
                      cited: set[str]) -> None:
    """``work(items)`` as if in this process, with the second half done by a forked child that
    sends back its problems, pages and citations; they are added in the order one process
    would have made them. If the child fails, its half is done here."""
    import pickle

    mid = len(items) // 2
    n_problems, n_pages = len(problems.items), len(pages)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its half, then its results down the pipe, and nothing else
        code = 1
        try:
            os.close(read_end)
            work(items[mid:])
            with os.fdopen(write_end, "wb") as out:
                pickle.dump((problems.items[n_problems:], pages[n_pages:], cited), out,
                            protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
    os.close(write_end)
    got = os.fdopen(read_end, "rb")
    try:
        work(items[:mid])
        payload = got.read()  # the child waits on a full pipe until this reads it
    finally:
        # closed before waiting: if this half raised, a child blocked on the full pipe gets a
        # broken pipe and exits instead of waiting for a reader for ever
        got.close()
        _, status = os.waitpid(pid, 0)
    if status == 0 and payload:
        theirs, their_pages, their_cited = pickle.loads(payload)  # from our own child only
        problems.items.extend(theirs)
        pages.extend(their_pages)
        cited.update(their_cited)
    else:
        work(items[mid:])


def _numbered(title: str, pager: Pager) -> str:
    n = len(pager.paths)
    return title if n == 1 else f"{title}, page {pager.number} of {n}"


# The valuations page lists every valuation mark of every company while they fit on a page a reader
# can use (the shipped data has 66); past this many, each profile lists its own and the downloads
# hold them all. A list of thousands of rows helped no reader, and at 1,000 companies it made that
# one page 5 MB, the largest memory peak of the build.
EVERY_MARK_LIMIT = 400


def render(ds: Dataset, root: Path, problems: Problems, *, site_src: str = "site_src",
           templates: str = "templates", site_url: str | None = None,
           check_only: bool = False, limits: Limits = Limits(), store: Any = None,
           chart_workers: int | None = None, validate_specs: bool = False) -> "Rendered":
    """Every Markdown page of the site. Problems are added to ``problems``; pages with problems
    are left out, so callers must check ``problems`` before publishing anything. ``limits``: the
    budget of each article's and hand-written page's template code (the same in check, build and
    serve, which all come here).

    ``check_only``: the charts are known from the data but neither built nor rendered, and the
    downloads are not made. Otherwise charts are rendered in the background (see
    charts.pipeline): pages hold a placeholder for each chart's SVG, and chart downloads are
    :class:`FilePage` objects; Rendered.complete() waits for them."""
    from .charts import ChartStore, Charts

    if store is None and not check_only:
        store = ChartStore(_chart_cache_dir(root))
    charts = Charts(ds, problems, store=store, render=not check_only, workers=chart_workers,
                    validate=validate_specs)
    api = Api(ds)
    api.chart = charts.place  # type: ignore[attr-defined]
    tpl_dir = root / templates
    env = make_env(TemplateLoader(tpl_dir))
    env.bytecode_cache = _bytecode_cache(root)
    globals_ = _template_globals(ds, api)
    env.globals.update(globals_)
    incoming = incoming_relations(ds.companies)
    env.globals.update({
        "ds": ds, "m": m, "rel": rel, "valuation_marks": valuation_marks, "latest_mark": latest_mark,
        "relations": lambda c: relations(ds.companies, c, incoming),
        "investors_text": lambda e: investors_text(ds.companies, e),
        "parent_of": lambda c: parent_of(ds.companies, c),
        "cite_marks": cite_marks, "status_badge": status_badge,
        "every_mark_limit": EVERY_MARK_LIMIT, "pager_nav": pager_nav, "pager_steps": pager_steps,
        # (name.lower(): the order of Jinja's sort filter, which the template used before)
        "latest_marks": lambda: [(c, e) for c in sorted(ds.companies.values(),
                                                        key=lambda c: c.name.lower())
                                 if not parent_of(ds.companies, c) and (e := latest_mark(c))],
        "all_marks": lambda: sorted(((c, e) for c in ds.companies.values()
                                     for e in valuation_marks(c)),
                                    key=lambda ce: (ce[1].date, ce[0].name.casefold())),
    })
    pages: list[Page] = []
    # The newest source record: "data as of" on the pages about the data as a whole.
    newest_source = (max(s.as_of for s in ds.sources.values()).display()
                     if ds.sources else None)
    cited: set[str] = set()
    source_pagers = paginate(sorted(ds.sources.values(), key=lambda s: (s.publisher.casefold(),
                                                                        s.as_of, s.id)),
                             SOURCES_PER_PAGE, "sources.md", "sources", _source_span)
    source_page = {s.id: pg.path for pg in source_pagers for s in pg.items}
    if True:  # (indentation kept for the move)
        def emit(path: str, template: str, origin: str, meta: dict, **ctx: Any) -> None:
            state = PageState(path)
            with on_page(state):
                body = _render_template(env, template, f"{templates}/{template}", ctx, problems)
                if body is None:
                    return
                footer, as_of = _sources_footer(ds, source_page)
                cited.update(state.sources)
            meta = {**meta, "data_as_of": as_of or meta.get("data_as_of"), "edit_path": origin}
            body = _with_meta_line(body, _meta_line(meta))
            pages.append(Page(path, (_front_matter(meta) + body + footer).encode("utf-8"), origin))

        def profiles(companies: list[m.Company]) -> None:
            for c in companies:
                emit(f"companies/{c.id}.md", "company.md.j2", ds.origin("companies", c.id),
                     {"title": c.name, "description": c.summary, "page_kind": "company",
                      "jsonld": company_json_ld(c), "search": {"boost": 4}}, c=c)

        companies = sorted(ds.companies.values(), key=lambda c: c.id)
        if check_only and len(companies) >= PARALLEL_CHECK_MIN and _can_fork():
            profiles(companies[:1])  # the template is compiled (and cached) before the fork
            _in_two_processes(companies[1:], profiles, problems, pages, cited)
        else:
            profiles(companies)
        by_name = sorted(ds.companies.values(), key=lambda c: c.name.casefold())
        for pg in paginate(by_name, COMPANIES_PER_PAGE, "companies/index.md", "companies",
                           lambda a, b: _span(a.name, b.name)):
            emit(pg.path, "companies.md.j2", "data/companies",
                 {"title": _numbered("Companies", pg), "description": "Every company profiled, "
                  "with its latest valuation mark and where it comes from.", "page_kind": "index"},
                 companies=pg.items, pager=pg)
        emit("valuations.md", "valuations.md.j2", "data/companies",
             {"title": "Valuations compared", "description": "Post-money valuation marks across "
              "companies, with status and sources.", "page_kind": "index"})
        for t in sorted(ds.tables.values(), key=lambda t: t.id):
            emit(f"tables/{t.id}.md", "table.md.j2", ds.origin("tables", t.id),
                 {"title": t.title, "description": t.description, "page_kind": "table"}, t=t)
        emit("glossary.md", "glossary.md.j2", "data/glossary",
             {"title": "Glossary", "description": "The terms of private funding, public "
              "listings and AI hardware used on this site, in plain words.",
              "page_kind": "index"},
             terms=sorted(ds.glossary.values(), key=lambda g: g.term.casefold()))
        citing = {sid: [ds.kind(folder).cited_as(ds.records[folder][rid]) for folder, rid in refs
                        if ds.kind(folder).cited_as is not None]
                  for sid, refs in ds.citing().items()}
        for pg in source_pagers:
            emit(pg.path, "sources.md.j2", "data/sources",
                 {"title": _numbered("Sources", pg), "description": "Every source behind the "
                  "figures on this site: publisher, title, address and dates.",
                  "page_kind": "sources", "data_as_of": newest_source},
                 sources=pg.items, pager=pg, citing=citing)

        hand: dict[str, list[Page]] = {}
        articles = _render_site_src(ds, root, site_src, env, globals_, problems, pages, cited,
                                    source_page, hand, limits)
        emit("articles/index.md", "articles.md.j2", f"{site_src}/articles",
             {"title": "Articles", "description": "Explainers on frontier AI valuations and the "
              "infrastructure behind them.", "page_kind": "index"}, articles=articles)
        from .downloads import atom_feed, dataset_files, download_paths

        # the check leaves out the downloads (about a second for a thousand companies): only the
        # data page's list of their sizes uses them
        files = dataset_files(ds) if not check_only else dict.fromkeys(
            download_paths(ds.kinds), b"")
        csv_files = [{"name": Markup(f.name), "path": Markup(f.path),
                      "description": Markup(f.description)} for k in ds.kinds for f in k.csv_files]
        emit("data.md", "data.md.j2", "data",
             {"title": "Download the data", "description": "Every company, event and source "
              "behind this site, as CSV and JSON files at stable addresses.", "page_kind": "data",
              "data_as_of": newest_source,
              "jsonld": json_ld({
                  "@context": "https://schema.org", "@type": "Dataset",
                  "name": "Frontier Ledger: frontier AI valuations",
                  "description": "Companies, funding and valuation events with status and "
                                 "sources, and the source records themselves.",
                  "distribution": [{"@type": "DataDownload", "contentUrl": path,
                                    "encodingFormat": "text/csv" if path.endswith(".csv")
                                    else "application/json"} for path in files]})},
             files={p: len(b) for p, b in files.items()}, csv_files=csv_files)
        pages.extend(Page(p, b, "data") for p, b in files.items())
        if site_url:
            pages.append(Page("feed.xml", atom_feed(articles, site_url), f"{site_src}/articles"))
        pages.extend(charts.assets())
        _claim_addresses(pages, hand, site_src, problems)
        charts.release()
        if not problems.errors:
            unused_sources(ds, problems, cited)
        else:
            charts.abandon()  # nothing will be published: no chart need be rendered
    return Rendered(pages, charts)


def _chart_cache_dir(root: Path) -> Path:
    from .cachedir import project_cache

    # FL_CHART_CACHE moves the cache, e.g. to share one between the scratch projects of a test run
    override = os.environ.get("FL_CHART_CACHE")
    return Path(override) if override else project_cache(root) / "charts"


@dataclass
class Rendered:
    """What render made: the pages and files, and the charts, whose rendering may still be going
    on (a build waits for it once MkDocs has converted the pages, see mkdocs_glue)."""

    pages: list
    charts: Any

    def complete(self) -> list:
        """Wait for the charts, and put each chart's SVG into the Markdown pages in place of its
        placeholder (export and tests; a build puts them into the finished HTML instead). The
        charts that could not be rendered are added to the render's problems."""
        self.charts.finish()
        out = []
        for p in self.pages:
            if isinstance(p, Page) and p.path.endswith(".md") and "fl-svg-chart-" in p.text:
                text = engine.place_charts(p.text, self.charts.inline_svg)
                p = Page(p.path, text.encode("utf-8"), p.origin)
            out.append(p)
        return out


def _render_site_src(ds: Dataset, root: Path, site_src: str, tpl_env, globals_: dict,
                     problems: Problems, pages: list[Page], cited: set[str],
                     source_page: dict[str, str], hand: dict[str, list[Page]],
                     limits: Limits = Limits()) -> list[dict]:
    """Hand-written pages and articles: front matter checked, Jinja run in the sandbox. ``hand``
    receives every page found, by its docs path, with the page rendered from it (if any);
    ``limits``: the budget of each page's template code."""
    src = root / site_src
    articles: list[dict] = []
    bodies: dict[str, str] = {}
    # compiled anew each time, never from a cache: the compiled form carries the budget's checks
    env = make_env(jinja2.FunctionLoader(lambda name: (bodies[name], name, lambda: True)), limits)
    env.globals.update(globals_)
    for path in sorted(_markdown_files(src, site_src, problems)):
        rel_doc = path.relative_to(src).as_posix()
        origin = f"{site_src}/{rel_doc}"
        mine = hand.setdefault(rel_doc, [])
        got = read_page_source(path, origin, problems)
        if got is None:
            continue
        meta, body, offset = got
        if meta is None:
            continue
        is_article = rel_doc.startswith("articles/")
        if is_article and meta.published is None:
            problems.error(origin, "articles need 'published:' in their front matter (YYYY-MM-DD)",
                           line=2, column=1)
            continue
        before = len(problems.items)
        check_article_markup(body, origin, offset, problems)
        if len(problems.items) > before:
            continue
        state = PageState(rel_doc)
        with on_page(state):
            bodies[origin] = body
            out = _render_template(env, origin, origin, {}, problems, line_offset=offset)
            if out is None:
                continue
            footer, as_of = _sources_footer(ds, source_page)
            cited.update(state.sources)
        fm = {
            "title": meta.title, "description": meta.description,
            "published": str(meta.published) if meta.published else None,
            "updated": str(meta.updated) if meta.updated else None,
            "data_as_of": as_of or None, "edit_path": origin,
            "page_kind": "article" if is_article else "page",
            "reading_minutes": reading_minutes(out) if is_article else None,
            "hide": ["toc"] if meta.hide_toc else None,
            "jsonld": article_json_ld(meta) if is_article else None,
        }
        text = _front_matter(fm)
        out = _with_meta_line(out, _meta_line(fm))  # pages that cite sources show "data as of"
        pages.append(Page(rel_doc, (text + out + footer).encode("utf-8"), origin))
        mine.append(pages[-1])
        if is_article and rel_doc != "articles/index.md":
            articles.append({"path": rel_doc, "meta": meta, "minutes": fm["reading_minutes"]})
    articles.sort(key=lambda a: (a["meta"].published, a["meta"].title), reverse=True)
    return articles


def _markdown_files(src: Path, site_src: str, problems: Problems) -> list[Path]:
    """The Markdown pages under site_src. Every other entry is judged by the rules of
    :mod:`generator.site_paths` (MkDocs would publish it as it is): assets of the listed types in
    site_src/assets/ pass; any other file, a link, a special file, a name not of the documented
    form or a name the site keeps for itself is refused with its path. Links are never followed;
    hidden entries (``.name``, which MkDocs never publishes) are looked at for links only."""
    out: list[Path] = []
    if src.is_symlink():
        problems.error(site_src, "is a symbolic link; links are never followed")
        return out
    if not src.is_dir():
        problems.error(site_src, "the folder of articles and pages is missing")
        return out
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        base = Path(dirpath)
        folder = base.relative_to(src).parts
        here = "/".join((site_src, *folder))
        hidden = any(site_paths.ignored(part) for part in folder)
        for d in sorted(dirnames):
            judged = not (hidden or site_paths.ignored(d))
            bad = site_paths.entry_problem(folder, d, is_dir=True) if judged else None
            if (base / d).is_symlink():
                problems.error(f"{here}/{d}", "is a symbolic link; links are never followed")
            elif bad is not None:
                problems.error(f"{here}/{d}", bad)
            else:
                continue
            dirnames.remove(d)  # not entered
        for f in sorted(filenames):
            p = base / f
            judged = not (hidden or site_paths.ignored(f))
            bad = site_paths.entry_problem(folder, f, is_dir=False) if judged else None
            if judged and bad is None and folder[:1] != (site_paths.ASSETS,):
                out.append(p)  # a page: links and special files are refused by read_file
            elif p.is_symlink():
                problems.error(f"{here}/{f}", "is a symbolic link; links are never followed")
            elif not p.is_file():
                problems.error(f"{here}/{f}", "is not a regular file; commit a plain file here")
            elif bad is not None:
                problems.error(f"{here}/{f}", bad)
    return out


def _claim_addresses(pages: list[Page], hand: dict[str, list[Page]], site_src: str,
                     problems: Problems) -> None:
    """Generated pages own their addresses: a hand-written page (``hand``: each page of site_src
    found, by its docs path, with what was rendered of it) published at the address of a
    generated page, or of another hand-written page, is refused and left out. The generated
    addresses are those of the pages rendered, so that a new kind of page is covered as soon as
    it exists."""
    mine = {id(p) for got in hand.values() for p in got}
    generated: dict[str, Page] = {}
    for p in pages:
        if id(p) not in mine:
            generated.setdefault(site_paths.address(p.path), p)
    taken: dict[str, str] = {}
    refused: set[int] = set()
    for rel_doc in sorted(hand):
        where = site_paths.address(rel_doc)
        shown_at = f"{where}" if where else "the home page"
        origin = f"{site_src}/{rel_doc}"
        if where in generated:
            problems.error(origin, f"{shown_at} is the address of a page the site generates "
                           f"(from {generated[where].origin}); a hand-written page cannot take "
                           "its place; give this file another name")
        elif where in taken:
            problems.error(origin, f"is published at {shown_at}, as {taken[where]} is; one "
                           "address, one page: rename one of them")
        else:
            taken[where] = origin
            continue
        refused.update(id(p) for p in hand[rel_doc])
    if refused:
        pages[:] = [p for p in pages if id(p) not in refused]


def write_tree(pages: list[Page], out: Path) -> None:
    """Write the generated files to a folder, for inspection (never into the source tree)."""
    for p in pages:
        target = out / p.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(p.content, bytes):
            target.write_bytes(p.content)
        else:
            target.write_text(p.content, encoding="utf-8")
