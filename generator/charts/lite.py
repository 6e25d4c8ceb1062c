"""A stand-in for the part of Altair's API that the valuation timelines use, producing the same
Vega-Lite dicts without Altair's objects.

Building a company's spec with Altair took ~60 ms, more than rendering it, and there is one per
company. tests/test_charts.py checks that both give the same spec, for every timeline of the test
data and of the shipped data, and the golden files and the Vega-Lite schema check the result.

Altair writes a schema object's properties in alphabetical order (its signatures are), a mark's
``type`` first, and a chart's required parts before its other properties; so does this.
"""

from __future__ import annotations

import functools
from typing import Any

_TYPES = {"N": "nominal", "Q": "quantitative", "T": "temporal", "O": "ordinal"}


def _value(v: Any) -> Any:
    return v.to_dict() if hasattr(v, "to_dict") else v


def _props(props: dict[str, Any]) -> dict[str, Any]:
    """Properties as Altair writes them: in alphabetical order."""
    return {k: _value(props[k]) for k in sorted(props)}


class _Obj:
    """A schema object: keyword arguments as they are (None stays null)."""

    def __init__(self, **kwargs: Any):
        self.kwargs = kwargs

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        return _props(self.kwargs)


class _Channel(_Obj):
    def __init__(self, shorthand: str, **kwargs: Any):
        field_, _, kind = shorthand.partition(":")
        if kind not in _TYPES or not field_:
            raise ValueError(f"shorthand {shorthand!r} is not 'field:N|Q|T|O'")
        super().__init__(field=field_, type=_TYPES[kind], **kwargs)


class _Secondary(_Obj):
    """A second position channel (y2): a field without a type, as Altair writes it."""

    def __init__(self, shorthand: str, **kwargs: Any):
        super().__init__(field=shorthand.partition(":")[0], **kwargs)


class _Value:
    def __init__(self, value: Any):
        self.value = value

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        return {"value": self.value}


class _Chart:
    def __init__(self, data: Any = None, name: str | None = None):
        self.data, self.name = data, name
        self.mark: dict[str, Any] | None = None
        self.encoding: dict[str, Any] = {}

    def _copy(self) -> "_Chart":
        c = _Chart(self.data, self.name)
        c.mark, c.encoding = self.mark, dict(self.encoding)
        return c

    def _mark(self, kind: str, kwargs: dict[str, Any]) -> "_Chart":
        c = self._copy()
        c.mark = {"type": kind, **_props(kwargs)}  # the type first, as Altair writes a mark
        return c

    def mark_point(self, **kwargs: Any) -> "_Chart":
        return self._mark("point", kwargs)

    def mark_line(self, **kwargs: Any) -> "_Chart":
        return self._mark("line", kwargs)

    def mark_text(self, **kwargs: Any) -> "_Chart":
        return self._mark("text", kwargs)

    def mark_rule(self, **kwargs: Any) -> "_Chart":
        return self._mark("rule", kwargs)

    def encode(self, **channels: Any) -> "_Chart":
        c = self._copy()
        for k, v in channels.items():
            if isinstance(v, str):
                v = _Channel(v)
            c.encoding[k] = v
        return c

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.data is not None:
            out["data"] = _value(self.data)
        if self.mark is not None:
            out["mark"] = dict(self.mark)
        if self.encoding:
            out["encoding"] = _props(self.encoding)
        if self.name is not None:
            out["name"] = self.name
        return out


@functools.cache
def _schema_url() -> str:
    import altair as alt

    return alt.SCHEMA_URL


class Lite:
    """Altair's names, as far as the timelines use them (``Lite.Chart``, ``Lite.X``, …)."""

    Chart = _Chart
    X = Y = Shape = Size = Stroke = Fill = FillOpacity = Description = _Channel
    Y2 = _Secondary
    Scale = Axis = _Obj

    @staticmethod
    def value(v: Any) -> _Value:
        return _Value(v)

    @staticmethod
    def NamedData(name: str) -> _Obj:  # noqa: N802 - Altair's name
        return _Obj(name=name)

    @staticmethod
    def schema_url() -> str:
        """The Vega-Lite schema of the installed Altair (asked of Altair once, when needed)."""
        return _schema_url()

    @staticmethod
    def validate(spec: dict[str, Any]) -> None:
        """Check a finished spec against the Vega-Lite schema, as Altair checks each part when it
        builds with ``validate=True`` (imports Altair, which has the schema: only when asked)."""
        import altair as alt

        alt.TopLevelSpec.validate(spec)
