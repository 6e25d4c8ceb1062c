"""A stand-in for the part of Altair's API that the chart kinds use, producing the same Vega-Lite
dicts, key for key and in the same order, without Altair's objects.

Building a company's spec with Altair took ~60 ms, more than rendering it, and there is one per
company; and importing Altair takes ~0.2 s, which every rebuild that rebuilt a comparison chart
paid. tests/test_charts.py checks that both give the same spec, for every chart of the test data,
of the shipped data and of a synthetic project, and the golden files and the Vega-Lite schema
check the result.

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
    """A second position channel (x2, y2): a field without a type, as Altair writes it."""

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

    def mark_bar(self, **kwargs: Any) -> "_Chart":
        return self._mark("bar", kwargs)

    def encode(self, **channels: Any) -> "_Chart":
        """Channels added to those the chart has (a chart encoded once can be marked twice)."""
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


class _Layer:
    """Charts layered over one dataset (``Lite.layer``), sized with :meth:`properties`, then
    faceted (the comparison charts of several panels): Altair writes ``layer`` first, then the
    other properties, ``data`` among them."""

    def __init__(self, charts: list[_Chart], props: dict[str, Any]):
        self.charts, self.props = charts, props

    def properties(self, **props: Any) -> "_Layer":
        return _Layer(self.charts, {**self.props, **props})

    def facet(self, row: _Channel, **props: Any) -> "_Facet":
        """One panel a value of ``row``: the data moves up to the facet, as Altair moves it."""
        rest = dict(self.props)
        data = rest.pop("data")
        return _Facet(data, row, _Layer(self.charts, rest), props)

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        return {"layer": [c.to_dict() for c in self.charts], **_props(self.props)}


class _Facet:
    """A layer repeated in rows: ``data``, ``facet`` and ``spec`` (Vega-Lite requires them, and
    Altair writes them first), then the other properties."""

    def __init__(self, data: Any, row: _Channel, spec: _Layer, props: dict[str, Any]):
        self.data, self.row, self.spec, self.props = data, row, spec, props

    def resolve_scale(self, **channels: str) -> "_Facet":
        return _Facet(self.data, self.row, self.spec,
                      {**self.props, "resolve": _Obj(scale=_Obj(**channels))})

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        return {"data": _value(self.data), "facet": {"row": self.row.to_dict()},
                "spec": self.spec.to_dict(), **_props(self.props)}


@functools.cache
def _schema_url() -> str:
    import altair as alt

    return alt.SCHEMA_URL


class Lite:
    """Altair's names, as far as the chart kinds use them (``Lite.Chart``, ``Lite.X``, …)."""

    Chart = _Chart
    X = Y = Row = Shape = Size = Stroke = StrokeOpacity = Fill = FillOpacity = Description = \
        _Channel
    X2 = Y2 = _Secondary
    Scale = Axis = Header = _Obj

    @staticmethod
    def value(v: Any) -> _Value:
        return _Value(v)

    @staticmethod
    def NamedData(name: str) -> _Obj:  # noqa: N802 - Altair's name
        return _Obj(name=name)

    @staticmethod
    def EncodingSortField(field: str, **kwargs: Any) -> _Obj:  # noqa: N802 - Altair's name
        return _Obj(field=field, **kwargs)

    @staticmethod
    def Step(step: float) -> _Obj:  # noqa: N802 - Altair's name
        return _Obj(step=step)

    @staticmethod
    def layer(*charts: _Chart, data: Any = None) -> _Layer:
        return _Layer(list(charts), {} if data is None else {"data": data})

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
