"""limits: what one page's template code may cost (time, loop iterations, nested calls, output, the
size of any one value), and the checks that hold an article to it inside Jinja's sandbox.

Articles are untrusted code: a pull request can put ``{% for %}`` loops, recursive macros and huge
strings in one. :class:`Limits` are the settings (passed in, never global); :class:`Budget` is one
page's running account against them; :func:`prepare` rewrites an article's parsed template so that
every loop, literal and concatenation is counted and checked; :func:`budgeted_filters` and the
sandbox's ``call``/``call_binop`` (render.sandbox.PageSandbox) check sizes *before* a value is built
wherever the size can be predicted (``'x' * n``, ``center(n)``, ``join``, ``'%9999s'``,
``'{:9999}'``), so that memory never balloons. Every overrun raises :class:`BudgetExceeded`, which
render reports as a located problem. Nothing here uses signals or threads: ``./ledger serve`` renders off the main
thread, and the checks must give the same answer everywhere.

The defaults, and why (measured on the shipped articles, the largest 16.5 KB with 112 template
tags, rendered with their charts inline: each renders in at most 25 ms, compiling included, runs
at most 24 loop iterations, calls macros at most 1 deep, writes at most 59,000 characters, and
builds no value over 30,000 characters, a chart's figure):

- ``seconds = 5``: two hundred times the slowest shipped article, and still short enough that a
  hostile page cannot hold up a build or a pull request's checks for long.
- ``iterations = 1,000,000``: four orders of magnitude over real use; about a second of work.
- ``depth = 50``: macro calls inside one another, and lists inside one another; real use is 1 or 2,
  and 50 stays far from Python's own recursion limit in every caller (check, build, serve).
- ``output = 1 MiB`` of Markdown per page: seventeen times the largest shipped page, twice the
  largest article file allowed (512 KiB).
- ``value = 1,000,000`` characters or items in any one value (a string, a list, a joined text):
  thirty times the largest real one, and a few megabytes of memory at most.
- ``digits = 4,300`` in any one number: Python's own limit for writing an int out; turning a
  Decimal of a million digits into an int took 22 s (its time grows with the square).
- ``tags = 5,000`` template tags in one page (the shipped pages have at most 112): compiling is
  the one step no deadline can interrupt, and 500 KB of tags took Jinja and Python 15 s.
- ``blocks = 10`` statements (``{% for %}``, ``{% if %}``, ``{% macro %}`` …) inside one another
  (Python compiles at most 20 nested loops), and ``nesting = 20`` levels of brackets, unary
  operators or conditional expressions inside one tag, and ``levels = 100`` levels of the parsed
  page in all (``1 + 1 + 1 …`` is a level for each ``+``), so that compiling a page never
  recurses deeper than Python allows (tried with a third of Python's recursion limit already
  used: 112 levels still compiled). The shipped pages have at most 3, 2 and 7.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import string
import time
import types
from collections.abc import MappingView
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable

import jinja2
from jinja2 import nodes
from jinja2.runtime import Macro
from jinja2.utils import Namespace, _PassArg
from jinja2.visitor import NodeTransformer
from markupsafe import EscapeFormatter, Markup
from pydantic import BaseModel

from .markdown_shapes import MarkdownLimits, written


@dataclass(frozen=True)
class Limits:
    """The budget of one page's template code. Tests pass small numbers; see the module's
    docstring for the defaults and the measurements behind them."""

    seconds: float = 5.0  # wall-clock time to render one page, compiling included
    iterations: int = 1_000_000  # loop iterations, all loops of the page together
    depth: int = 50  # macro calls inside one another; lists inside one another
    output: int = 1_048_576  # characters of Markdown one page's template code writes
    value: int = 1_000_000  # characters or items of any one value the code builds
    digits: int = 4_300  # digits of any one number it builds, written out in full
    tags: int = 5_000  # {{ … }} and {% … %} in one page (compiling them takes time, unchecked)
    blocks: int = 10  # statements inside one another
    nesting: int = 20  # brackets, unary operators and conditionals inside one another in a tag
    levels: int = 100  # levels of the parsed page: statements, operators, filters in one another
    markdown: MarkdownLimits = MarkdownLimits()  # what the Markdown the code wrote may hold
    # where time comes from: a test may pass a fake clock; compared by nobody
    clock: Callable[[], float] = field(default=time.monotonic, compare=False, repr=False)


class BudgetExceeded(Exception):
    """A page's code went over one of its limits. ``line`` is the page's line when it is known
    without a traceback (compile-time checks); otherwise the traceback tells it."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line




def digits(number: int | Decimal) -> int:
    """How many digits ``number`` takes written out in full (for an int, within one)."""
    if isinstance(number, Decimal):
        if not number.is_finite():
            return 3
        sign, figures, exponent = number.as_tuple()
        return len(figures) + exponent if exponent >= 0 else max(len(figures), -exponent) + 1
    return number.bit_length() * 30103 // 100000 + 1


def number_message(what: str, limits: Limits) -> str:
    return (f"{what} would build a number of more than {written(limits.digits)} digits (the limit for "
            "one number in a page)")


def value_message(what: str, limits: Limits) -> str:
    return (f"{what} would build a value of more than {written(limits.value)} characters or items "
            f"(the limit for one value in a page)")


# ---------------------------------------------------------------------------------------------
# One page's account


class Budget:
    """One page's running account: a deadline, counters, and the sizes of the values it built
    (remembered by identity: the sandbox is immutable, so a list's size never changes)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.clock = limits.clock
        self.deadline = self.clock() + limits.seconds
        self.iterations = 0
        self.depth = 0
        self.output = 0
        self._sizes: dict[int, tuple[Any, int, int]] = {}  # id → (value, size, nesting)

    # -- time and counters
    def tick(self) -> None:
        if self.clock() > self.deadline:
            raise BudgetExceeded(f"the template code ran longer than {written(self.limits.seconds)} "
                                 "seconds (the limit for one page); make its loops shorter")

    def loop(self, iterable: Any) -> "Counted":
        """``{% for x in iterable %}``: every item pulled counts, and looks at the clock."""
        if isinstance(iterable, (set, frozenset)):
            raise BudgetExceeded(UNORDERED)
        return Counted(self, iterable)

    def count(self) -> None:
        self.iterations += 1
        if self.iterations > self.limits.iterations:
            raise BudgetExceeded(f"the template code's loops ran more than "
                                 f"{written(self.limits.iterations)} times (the limit for one page)")
        self.tick()

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.limits.depth:
            raise BudgetExceeded(f"macro calls nested more than {written(self.limits.depth)} deep (the "
                                 "limit for one page); does a macro call itself without end?")

    def leave(self) -> None:
        self.depth -= 1

    def wrote(self, n: int) -> None:
        self.output += n
        if self.output > self.limits.output:
            raise BudgetExceeded(f"the page's template code wrote more than "
                                 f"{written(self.limits.output)} characters (the limit for one page)")

    # -- sizes
    def need(self, size: int, what: str) -> None:
        """Refuse to build a value of ``size`` characters or items."""
        if size > self.limits.value:
            raise BudgetExceeded(value_message(what, self.limits))

    def check(self, value: Any, what: str = "the template code") -> Any:
        """``value``, once its size and nesting are within the limits."""
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and \
                digits(value) > self.limits.digits:
            # (Python itself writes out no int of more than 4,300 digits; a larger one, or a
            # Decimal turned into one, costs time growing with the square of its length)
            raise BudgetExceeded(number_message(what, self.limits))
        size, depth = self.measure(value)
        if depth > self.limits.depth:
            raise BudgetExceeded(f"{what} built a value with lists inside one another more than "
                                 f"{written(self.limits.depth)} deep (the limit for one page)")
        if size > self.limits.value:
            raise BudgetExceeded(value_message(what, self.limits))
        if isinstance(value, (set, frozenset)):
            raise BudgetExceeded(UNORDERED)
        return value

    def need_digits(self, n: int, what: str) -> None:
        """Refuse to build a number of ``n`` digits."""
        if n > self.limits.digits:
            raise BudgetExceeded(number_message(what, self.limits))

    def size(self, value: Any) -> int:
        return self.measure(value)[0]

    def measure(self, value: Any, _level: int = 0) -> tuple[int, int]:
        """About how many characters ``str(value)`` takes, and how deeply it nests. Containers
        count every item, however often the same one is repeated: that is what printing or
        joining them would make."""
        if isinstance(value, str):  # Markup too
            return len(value), 0
        if value is None or isinstance(value, (bool, float)):
            return 8, 0
        if isinstance(value, (int, Decimal)):
            return digits(value) + 1, 0
        if isinstance(value, (bytes, bytearray)):
            return len(value), 0
        if isinstance(value, range):
            return 24, 0
        if isinstance(value, Namespace):  # mutable: never remembered
            return self.measure(dict(value._Namespace__attrs), _level)  # type: ignore[attr-defined]
        if isinstance(value, (list, tuple, set, frozenset, dict)) or \
                isinstance(value, BaseModel) or dataclasses.is_dataclass(value) and \
                not isinstance(value, type):
            known = self._sizes.get(id(value))
            if known is not None and known[0] is value:
                return known[1], known[2]
            if _level > self.limits.depth:
                return 0, _level  # deeper than allowed: refused by check() on the depth
            total, depth, items = 2, 0, 0
            for item in _parts(value):
                s, d = self.measure(item, _level + 1)
                total += s + 2
                depth = max(depth, d + 1)
                items += 1
                if total > self.limits.value:
                    break  # too big already; the exact size does not matter
            if items >= 64 or total > self.limits.value:
                # remembered (and kept alive, so that its id stays its own) when measuring it
                # again would cost: a loop making a million small lists keeps none of them
                self._sizes[id(value)] = (value, total, depth)
            return total, depth
        return 40, 0


UNORDERED = ("an unordered set is not allowed in a page: its order changes from one build to the "
             "next; sort it first")


def _parts(value: Any) -> Iterable[Any]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield v
    elif isinstance(value, BaseModel):
        yield from value.__dict__.values()
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield getattr(value, f.name, None)
    else:
        yield from value


class Counted:
    """An iterable in a ``{% for %}``: each item counts against the page's loop budget. Its length
    is the iterable's, so that ``loop.length`` need not consume it."""

    __slots__ = ("_budget", "_source", "_it")

    def __init__(self, budget: Budget, source: Any):
        self._budget, self._source, self._it = budget, source, iter(source)

    def __iter__(self) -> "Counted":
        return self

    def __next__(self) -> Any:
        item = next(self._it)
        self._budget.count()
        return item

    def __len__(self) -> int:
        return len(self._source)


# ---------------------------------------------------------------------------------------------
# What may be shown: text that would differ between two builds of the same files is refused


def unshowable(value: Any) -> str | None:
    """Why ``str(value)`` must not reach a page, or None. A function, a generator or an object
    without a text of its own prints its memory address, which changes from build to build."""
    if isinstance(value, (str, int, float, Decimal, type, Macro, range, jinja2.Undefined)) or \
            value is None:
        return None  # (an undefined value raises its own error when shown)
    if isinstance(value, (set, frozenset)):
        return UNORDERED
    if isinstance(value, types.GeneratorType) or hasattr(type(value), "__next__"):
        return ("an unfinished sequence (what map, select or reverse give) is not allowed in a "
                "page: it would show its memory address, which changes from one build to the next; "
                "add |list or |join")
    if callable(value) and not isinstance(value, (BaseModel,)):
        return ("a function is not allowed in a page: it would show its memory address, which "
                "changes from one build to the next; call it with ()")
    if isinstance(value, Namespace):  # shown with what it holds
        value = dict(value._Namespace__attrs)  # type: ignore[attr-defined]
    if isinstance(value, (list, tuple, MappingView)):
        for item in value:
            why = unshowable(item)
            if why:
                return why
        return None
    if isinstance(value, dict):
        for item in _parts(value):
            why = unshowable(item)
            if why:
                return why
        return None
    cls = type(value)
    if cls.__str__ is object.__str__ and cls.__repr__ is object.__repr__:
        return (f"an object of type {cls.__name__} is not allowed in a page: it would show its "
                "memory address, which changes from one build to the next")
    return None


# ---------------------------------------------------------------------------------------------
# Predicted sizes


_PRINTF = re.compile(r"%(?:\(([^)]*)\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)", re.S)


def printf_size(budget: Budget, fmt: str, args: Any) -> int:
    """About how long ``fmt % args`` would be, from its widths and precisions."""
    positional = args if isinstance(args, tuple) else (args,)
    i, total = 0, len(fmt)
    for m_ in _PRINTF.finditer(fmt):
        key, width, precision, conv = m_.groups()
        if conv == "%":
            continue
        for part in (width, precision):
            if part == "*":
                w = positional[i] if i < len(positional) else 0
                i += 1
                total += abs(w) if isinstance(w, int) else 0
            elif part:
                total += int(part) if len(part) < 20 else 10 ** 20
        if key is not None and isinstance(args, dict):
            total += budget.size(args.get(key))
        else:
            total += budget.size(positional[i] if i < len(positional) else "")
            i += 1
        if total > budget.limits.value:
            break
    return total


_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?[a-zA-Z%]?\Z", re.S)


class BudgetFormatter(string.Formatter):
    """The sandbox's str.format with every field's width and precision within the budget."""

    def __init__(self, env: Any, budget: Budget, what: str, **kwargs: Any):
        super().__init__(**kwargs)
        self._env, self._budget, self._what, self._total = env, budget, what, 0

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self._total = len(format_string)
        return super().vformat(format_string, args, kwargs)

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        from jinja2.sandbox import formatter_field_name_split

        first, rest = formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, i in rest:
            obj = self._env.getattr(obj, i) if is_attr else self._env.getitem(obj, i)
        return obj, first

    def format_field(self, value: Any, format_spec: str) -> Any:
        why = unshowable(value)
        if why:
            raise BudgetExceeded(why)
        m_ = _SPEC.match(format_spec)
        size = self._budget.size(value)
        if m_:
            for part in m_.groups():
                if part:
                    size += int(part) if len(part) < 20 else 10 ** 20
        elif format_spec:  # a date's or another object's own format: as long as the spec at most
            size += len(format_spec) * 8
        self._total += size
        self._budget.need(self._total, self._what)
        self._budget.tick()
        return super().format_field(value, format_spec)


class BudgetEscapeFormatter(BudgetFormatter, EscapeFormatter):
    """The same for Markup's format: what it inserts is escaped, as Jinja's sandbox does."""


def call_size(budget: Budget, obj: Any, args: tuple, kwargs: dict) -> tuple[int, str] | None:
    """The size of what a call of a str (or bytes, or int) method would build, when it can be
    larger than its inputs; None for every other call."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if isinstance(owner, (str, bytes, bytearray)):
        what = f"'{name}'"
        try:
            if name in ("center", "ljust", "rjust", "zfill"):
                width = args[0] if args else kwargs.get("width", 0)
                return (max(len(owner), width) if isinstance(width, int) else 0), what
            if name == "expandtabs":
                tab = args[0] if args else kwargs.get("tabsize", 8)
                tabs = owner.count("\t" if isinstance(owner, str) else b"\t")
                return len(owner) + tabs * max(tab, 0) if isinstance(tab, int) else 0, what
            if name == "replace" and len(args) >= 2:
                return replace_size(owner, args[0], args[1], args[2] if len(args) > 2 else
                                    kwargs.get("count", -1)), what
            if name == "translate" and args and isinstance(args[0], dict):
                longest = max((budget.size(v) for v in args[0].values()), default=1)
                return len(owner) * max(longest, 1), what
        except TypeError:
            return None  # the call itself will say what is wrong with its arguments
    if isinstance(owner, int) and name == "to_bytes":
        length = args[0] if args else kwargs.get("length", 1)
        return (length if isinstance(length, int) else 0), "'to_bytes'"
    return None


def replace_size(s: Any, old: Any, new: Any, count: Any) -> int:
    if not (isinstance(s, (str, bytes)) and type(old) is type(new) and isinstance(old, type(s))):
        return 0
    times = s.count(old) if old else len(s) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(s) + times * max(len(new) - len(old), 0)


def join_size(budget: Budget, items: list, sep: Any) -> int:
    total = budget.size(sep) * max(len(items) - 1, 0)
    for item in items:
        why = unshowable(item)
        if why:
            raise BudgetExceeded(why)
        total += budget.size(item)
        if total > budget.limits.value:
            break
    return total


# ---------------------------------------------------------------------------------------------
# Filters: the ones that can build more than they were given are predicted; every result checked

# filters whose value becomes text: it must be showable (and its size is what it is)
TEXT_FILTERS = frozenset({
    "capitalize", "center", "e", "escape", "forceescape", "format", "indent", "lower", "md",
    "pprint", "replace", "safe", "string", "striptags", "title", "trim", "truncate", "upper",
    "urlencode", "urlize", "wordcount", "wordwrap", "display", "num", "short", "tojson",
})


def _predict(name: str, budget: Budget, a: inspect.BoundArguments) -> int | None:
    p = a.arguments
    if name == "center":
        w = p.get("width", 80)
        return max(budget.size(p["value"]), w) if isinstance(w, int) else None
    if name == "indent":
        s, w = str(p["s"]) if isinstance(p["s"], str) else "", p.get("width", 4)
        per_line = w if isinstance(w, int) else len(w) if isinstance(w, str) else 0
        return len(s) + (s.count("\n") + 1) * max(per_line, 0)
    if name == "format":
        args = p.get("kwargs") or p.get("args", ())
        return printf_size(budget, str(p["value"]), args) if isinstance(p["value"], str) else None
    if name == "wordwrap":
        s, w = p["s"], p.get("width", 79)
        wrap = p.get("wrapstring") or "\n"
        if not isinstance(s, str) or not isinstance(w, int) or not isinstance(wrap, str):
            return None
        return len(s) + len(wrap) * (len(s) // max(w, 1) + s.count("\n") + 1)
    if name == "truncate":
        end = p.get("end", "...")
        return budget.size(p["s"]) + (len(end) if isinstance(end, str) else 0)
    if name == "batch":
        n = p["linecount"]
        return n if isinstance(n, int) and p.get("fill_with") is not None else None
    if name == "slice":
        n = p["slices"]
        return n if isinstance(n, int) else None
    if name == "replace":
        return replace_size(p["s"], p["old"], p["new"], p.get("count"))
    if name == "tojson":
        indent = p.get("indent") or 0
        size, depth = budget.measure(p["value"])
        return size * (1 + (indent if isinstance(indent, int) else 0) * (depth + 1))
    return None


PREDICTED = frozenset({"center", "indent", "format", "wordwrap", "truncate", "batch", "slice",
                       "replace", "tojson"})


def budgeted_filters(filters: dict[str, Callable], env: Any) -> dict[str, Callable]:
    """Every filter, checked: the clock first, then (for the amplifiers) the predicted size,
    then the size of what it returned. ``env.budget`` is the page's :class:`Budget`."""
    out = {}
    for name, f in filters.items():
        out[name] = _budgeted(name, f, env)
    return out


def _budgeted(name: str, f: Callable, env: Any) -> Callable:
    # the context, eval context or environment Jinja passes first; the signature is the one of
    # the function behind an async variant (which takes that argument only when it does)
    skip = 1 if _PassArg.from_obj(f) is not None else 0
    inner = inspect.unwrap(f)
    try:
        sig = inspect.signature(inner)
        first = 1 if _PassArg.from_obj(inner) is not None else 0
        sig = sig.replace(parameters=list(sig.parameters.values())[first:])
    except (TypeError, ValueError):
        sig = None
    what = f"the filter '{name}'"

    def checked(*args: Any, **kwargs: Any) -> Any:
        budget: Budget | None = env.budget
        if budget is None:
            return f(*args, **kwargs)
        budget.tick()
        if name in TEXT_FILTERS and len(args) > skip:
            why = unshowable(args[skip])
            if why:
                raise BudgetExceeded(why)
        if name in PREDICTED and sig is not None:
            try:
                bound = sig.bind(*args[skip:], **kwargs)
            except TypeError:
                bound = None  # the filter itself says what is wrong
            if bound is not None:
                size = _predict(name, budget, bound)
                if size is not None:
                    budget.need(size, what)
        if name == "join" and len(args) > skip:
            return _join(budget, f, args, kwargs, skip, what)
        if name == "sum" and len(args) > skip:
            return _sum(budget, f, args, kwargs, skip, what)
        return budget.check(f(*args, **kwargs), what)

    functools_wraps(checked, f)
    return checked


def functools_wraps(wrapper: Callable, f: Callable) -> None:
    # the pass_context/pass_environment marks travel with the wrapper (Jinja reads them)
    for attr in ("__name__", "__doc__", "jinja_pass_arg"):
        if hasattr(f, attr):
            setattr(wrapper, attr, getattr(f, attr))


def _join(budget: Budget, f: Callable, args: tuple, kwargs: dict, skip: int, what: str) -> Any:
    items = list(args[skip])
    bound = dict(zip(("d", "attribute"), args[skip + 1:]), **kwargs)
    if bound.get("attribute") is None:
        budget.need(join_size(budget, items, bound.get("d", "")), what)
    else:  # the items' attributes are within the items: the list's size bounds them
        budget.need(budget.size(bound.get("d", "")) * max(len(items) - 1, 0) +
                    sum(budget.size(x) for x in items), what)
    out = f(*args[:skip], items, *args[skip + 1:], **kwargs)
    return budget.check(out, what)


def _sum(budget: Budget, f: Callable, args: tuple, kwargs: dict, skip: int, what: str) -> Any:
    # sum(start=[]) adds lists one at a time: quadratic, in one uninterruptible call. The same
    # list is made by chaining them, in time that grows with the result only.
    bound = dict(zip(("attribute", "start"), args[skip + 1:]), **kwargs)
    start = bound.get("start", 0)
    if isinstance(start, (list, tuple)) and bound.get("attribute") is None:
        items = list(args[skip])
        if all(type(x) is type(start) for x in items):
            budget.need(sum(len(x) for x in items) + len(start), what)
            out = list(start)
            for x in items:
                out.extend(x)
            return budget.check(type(start)(out), what)
    return budget.check(f(*args, **kwargs), what)


# ---------------------------------------------------------------------------------------------
# The page's parsed template, checked and rewritten before it is compiled

_BLOCK_NODES = (nodes.For, nodes.If, nodes.Macro, nodes.CallBlock, nodes.FilterBlock, nodes.With,
                nodes.Block, nodes.AssignBlock, nodes.ScopedEvalContextModifier)
_OPENERS = {"lparen", "lbracket", "lbrace"}
_CLOSERS = {"rparen", "rbracket", "rbrace"}
_NO_FILES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


_TAG_START = re.compile(r"\{[{%]")


def check_tags(source: str, limits: Limits) -> None:
    """Refuse a page with more than ``limits.tags`` tags: Jinja and Python compile a page in one
    go, where no deadline is looked at, in time that grows with the number of its tags."""
    for n, m_ in enumerate(_TAG_START.finditer(source), 1):
        if n > limits.tags:
            raise BudgetExceeded(f"more than {written(limits.tags)} template tags ({{{{ … }}}} and "
                                 "{% … %}) in one page (the limit for one page); split the page",
                                 line=source.count("\n", 0, m_.start()) + 1)


def check_nesting(tokens: Iterable[tuple[int, str, str]], limits: Limits) -> None:
    """Refuse a tag whose brackets, unary operators or conditionals nest deeper than
    ``limits.nesting``: Jinja's parser recurses once (or more) for each of them."""
    depth = 0
    unary = 0
    conditionals = 0
    lineno = 1
    tokens = iter(tokens)
    while True:
        try:
            lineno, kind, value = next(tokens)
        except StopIteration:
            return
        except ValueError:  # Python would not read the number: more than 4,300 digits
            raise BudgetExceeded(f"a number of more than {written(limits.digits)} digits is written "
                                 "in the template code (the limit for one number in a page)",
                                 line=lineno) from None
        if kind in ("variable_begin", "block_begin"):
            depth = unary = conditionals = 0
            continue
        if kind in _OPENERS:
            depth += 1
        elif kind in _CLOSERS:
            depth = max(depth - 1, 0)
        if kind in ("sub", "add") or kind == "name" and value == "not":
            unary += 1
        elif kind != "whitespace":
            unary = 0
        if kind == "name" and value == "if":
            conditionals += 1
        if max(depth, unary, conditionals) > limits.nesting:
            raise BudgetExceeded(f"template code nested more than {written(limits.nesting)} levels "
                                 "deep in one tag (brackets, signs, 'not' or 'if'); split it "
                                 "with {% set %}", line=lineno)


def prepare(tree: nodes.Template, limits: Limits) -> nodes.Template:
    """Check the nesting of a parsed page and rewrite it so that its loops, literals and
    concatenations report to the page's budget (through ``environment.fl_*``, see
    render.sandbox.PageSandbox). Refuses ``{% include %}`` and its kin: a page uses no other file."""
    # one walk without recursion: nesting depth of statements and of the tree itself
    stack: list[tuple[nodes.Node, int, int]] = [(tree, 0, 0)]
    while stack:
        node, blocks, level = stack.pop()
        if isinstance(node, _NO_FILES):
            tag = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from",
                   nodes.Extends: "extends"}[type(node)]
            raise BudgetExceeded(f"{{% {tag} %}} is not available in a page: a page cannot use "
                                 "other files", line=node.lineno)
        if isinstance(node, _BLOCK_NODES):
            blocks += 1
            if blocks > limits.blocks:
                raise BudgetExceeded(f"template code nested more than {written(limits.blocks)} "
                                     "blocks deep ({% for %}, {% if %}, {% macro %} …)",
                                     line=node.lineno)
        if level > limits.levels:
            raise BudgetExceeded(f"template code more than {written(limits.levels)} levels deep (a "
                                 "long chain of operators or filters counts a level for each); "
                                 "split it with {% set %}", line=node.lineno)
        for child in node.iter_child_nodes():
            stack.append((child, blocks, level + 1))
    _Rewrite().visit(tree)
    return tree


def _wrap(name: str, node: nodes.Expr) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(name, lineno=node.lineno), [node], [], None, None,
                      lineno=node.lineno)


class _Rewrite(NodeTransformer):
    """Loops count their items; list, tuple and dict literals are measured when built."""

    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        node.iter = _wrap("fl_loop", node.iter)
        return node

    def _literal(self, node: nodes.Expr) -> nodes.Node:
        self.generic_visit(node)
        if getattr(node, "ctx", "load") != "load":
            return node
        return _wrap("fl_value", node)

    visit_List = visit_Tuple = visit_Dict = _literal


def str_join(budget: Budget, seq: Iterable[Any], markup: bool = False) -> str:
    """``a ~ b ~ c``: each part must be showable, and the whole within the value limit."""
    parts = list(seq)
    total = 0
    for part in parts:
        why = unshowable(part)
        if why:
            raise BudgetExceeded(why)
        total += budget.size(part)
        budget.need(total, "'~'")
    budget.tick()
    if markup and any(hasattr(p, "__html__") for p in parts):
        return Markup("").join(parts)
    return "".join(map(str, parts))


def concat(budget: Budget, seq: Iterable[str]) -> str:
    """The text a macro, a ``{% set %}`` block or a ``{% filter %}`` block collected."""
    parts = seq if isinstance(seq, list) else list(seq)
    total = 0
    for part in parts:
        total += len(part)
        if total > budget.limits.value:
            raise BudgetExceeded(value_message("a macro or a {% set %} block", budget.limits))
    budget.tick()
    return "".join(parts)


def prepare_call(budget: Budget, obj: Any, args: tuple, kwargs: dict) -> tuple:
    """The arguments of a call from a page, once what it would build is known to be within the
    budget (``sep.join(items)`` gets its items as a list, counted once)."""
    owner = getattr(obj, "__self__", None)
    if isinstance(owner, (str, bytes)) and getattr(obj, "__name__", "") == "join" and args:
        items = list(args[0])
        budget.need(join_size(budget, items, owner), "'join'")
        return (items, *args[1:])
    predicted = call_size(budget, obj, args, kwargs)
    if predicted is not None:
        budget.need(*predicted)
    return args
