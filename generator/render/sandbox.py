"""The sandbox templates and articles run in, and running one page's template in it: Jinja's
immutable sandbox with StrictUndefined, every value escaped for Markdown and HTML unless it is
Markup built by the generator, no clock and no chance (two builds of the same files are the same),
and for articles and hand-written pages every budget of :mod:`generator.limits`; each problem
located at the line of the page that caused it."""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import io
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup
from pydantic import BaseModel

from ..cachedir import write_atomically
from ..escape import md
from ..limits import (UNORDERED, Budget, BudgetEscapeFormatter, BudgetExceeded, BudgetFormatter,
                      Limits, budgeted_filters, check_nesting, check_tags, digits,
                      prepare, prepare_call, printf_size, unshowable)
from ..limits import concat as limits_concat
from ..limits import str_join as limits_str_join
from ..markdown_shapes import markdown_shapes
from ..markup import short_date, status_badge
from ..problems import Problems
from ..types import RenderError
from ..values import Money, PartialDate
from .api import Figure


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    if isinstance(value, (Money, PartialDate)):
        return md(value.display())
    return md(value)



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
    :func:`render_template` opens."""

    def __init__(self, *args: Any, limits: Limits | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._safe: dict[tuple[type, str], bool] = {}
        self.limits = limits
        self.budget: Budget | None = None  # the page being rendered (set by render_template)
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
    env.filters["md"] = md
    env.filters["status"] = status_badge
    env.filters["num"] = lambda v: md(Figure(v, (), "confirmed").text())
    env.filters["short"] = lambda d: md(short_date(d))
    env.filters["display"] = lambda v: md(v.display() if hasattr(v, "display") else v)
    if limits is not None:
        # the check reads an article's HTML in its source (check_article_markup); |safe would let
        # its code write HTML the check never sees
        env.filters["safe"] = _refused("|safe would let template code write raw HTML that the "
                                       "check never sees; write Markdown")
        env.filters.update(budgeted_filters(env.filters, env))
    return env


class BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's bytecode cache in a folder of the project's cache, best effort and safe to share
    between processes: each file is written whole under a temporary name and renamed into place
    (whatever the Jinja version does), so a concurrent build never reads half of one; a file that
    cannot be read or written is a miss, never a failed build."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a damaged entry is compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        out = io.BytesIO()
        try:
            bucket.write_bytecode(out)
        except OSError:
            return  # not cached: compiled again next time
        # into the folder Jinja was given only: a folder that has gone is not made again
        write_atomically(Path(self._get_cache_filename(bucket)), out.getvalue(),
                         make_folder=False)


def _bytecode_cache(root: Path, name: str) -> BytecodeCache | None:
    """The bytecode cache ``name`` of the project at ``root`` (generator.cachedir lists them), or
    None when its folder cannot be made (then every template is compiled, as without a cache)."""
    from ..cachedir import ensure, project_cache

    folder = ensure(project_cache(root)) and ensure(project_cache(root) / name)
    return BytecodeCache(str(folder)) if folder is not None else None


def bytecode_cache(root: Path) -> jinja2.BytecodeCache | None:
    """Compiled templates and articles, in the project's cache folder outside its tree (the
    bytecode is loaded with pickle and marshal, so never from where a pull request can put a
    file); jinja2 compares each one's source with what was compiled, so a changed template or
    article is compiled again. Written atomically; None (no cache) when it cannot be."""
    return _bytecode_cache(root, "jinja-pages")


def budgeted_bytecode_cache(root: Path, limits: Limits) -> jinja2.BytecodeCache | None:
    """Compiled articles and hand-written pages. Their compiled form depends on more than their
    text: the budgets' checks are written into it (limits.prepare, check_tags and check_nesting
    run while it is compiled) by the generator's code, for these limits; so the folder is named
    by both, and an article is compiled (and checked) again when either changes. A text that
    failed to compile is never stored, and jinja2 compares each one's source with what was
    compiled."""
    from ..pagecache import digest
    from ..recordcache import code_version

    return _bytecode_cache(root, f"jinja-budgeted-{digest(code_version(), repr(limits))[:16]}")


def theme_bytecode_cache(root: Path) -> BytecodeCache | None:
    """The theme's compiled templates (generator.plugin gives them to the engine's Jinja)."""
    return _bytecode_cache(root, "jinja-theme")



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


def render_template(env, name: str, origin: str, ctx: dict, problems: Problems,
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
    """Refuse Markdown that would convert slowly (see generator.markdown_shapes), each problem at
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


