"""Values computed from one record (a company's valuation marks, its investor lines, its money
totals), computed once for as long as that record object is the one the data holds.

A build asks for the same company's marks from many places: its profile, the indexes that list
it, every comparison chart that draws it, the downloads. Each asked again computed them again
(11 % of a serve rebuild at 1,000 companies). A :class:`Derived` holds them by record object:
records are frozen, and a file that changes is read into a new record, so a value held for a
record object is the value that record gives. serve keeps one across its rebuilds (the records
of files not written since are the same objects, generator.recordcache), so a rebuild after one
edit computes the edited company's values only; a build or a check has one of its own.

A function computed this way is declared with :func:`per_record`; it is computed through the
:class:`Derived` in use (:func:`using`, which the render sets for its run), and plainly when
none is. What it returns is shared by every caller, so it returns what no caller can change
(tuples) or what callers only read.
"""

from __future__ import annotations

import contextlib
import functools
from contextvars import ContextVar
from typing import Any, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")


class Derived:
    """Values computed from records, by record object and function."""

    def __init__(self) -> None:
        # id of the record → (the record, {function name: value}); the record is held, so its
        # id names no other object while the entry lives
        self._by_id: dict[int, tuple[Any, dict[str, Any]]] = {}

    def of(self, record: Any, name: str, compute: Callable[[Any], T]) -> T:
        """``compute(record)``, computed once for this record object under ``name``."""
        entry = self._by_id.get(id(record))
        if entry is None or entry[0] is not record:
            entry = self._by_id[id(record)] = (record, {})
        values = entry[1]
        if name not in values:
            values[name] = compute(record)
        return values[name]

    def held(self, record: Any) -> dict[str, Any]:
        """The values held for this record object, by function name."""
        entry = self._by_id.get(id(record))
        return dict(entry[1]) if entry is not None and entry[0] is record else {}

    def keep(self, records: Iterable[Any]) -> None:
        """Let go of the values of every record but these (the records of the data now)."""
        ids = {id(r) for r in records}
        for key in [k for k in self._by_id if k not in ids]:
            del self._by_id[key]

    def __len__(self) -> int:
        return len(self._by_id)


_current: ContextVar[Derived | None] = ContextVar("derived", default=None)


@contextlib.contextmanager
def using(derived: Derived) -> Iterator[Derived]:
    """Functions declared with :func:`per_record` compute through ``derived`` in this block."""
    token = _current.set(derived)
    try:
        yield derived
    finally:
        _current.reset(token)


def per_record(fn: Callable[[Any], T]) -> Callable[[Any], T]:
    """``fn(record)``, computed once per record object while a :class:`Derived` is in use."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(record: Any) -> T:
        derived = _current.get()
        if derived is None:
            return fn(record)
        return derived.of(record, name, fn)

    return wrapper
