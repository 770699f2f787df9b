"""The estimator contract every detector follows (scikit-learn / river style).

* ``__init__`` only stores its keyword arguments, unchanged, as attributes;
* validation happens in :meth:`Estimator._validate`, called by ``fit`` (or lazily
  by the first online update);
* learned state ends in ``_``;
* :meth:`get_params`, :meth:`set_params` and :func:`clone` let notebooks sweep
  parameters (``sklearn.base.clone`` works on these objects too).

>>> class Smoother(Estimator):
...     def __init__(self, half_life: str = "1h", floor: float = 0.0) -> None:
...         self.half_life = half_life
...         self.floor = floor
>>> s = Smoother(floor=1.0)
>>> s.get_params()
{'floor': 1.0, 'half_life': '1h'}
>>> clone(s.set_params(half_life="2h"))
Smoother(floor=1.0, half_life='2h')
>>> parse_duration("90min", name="quiet_for", owner="Smoother") == parse_duration("1.5h")
True
"""

from __future__ import annotations

import inspect
from datetime import timedelta
from typing import Any, TypeVar

from warning.errors import DetectorError

__all__ = ["Estimator", "check_number", "clone", "duration_text", "parse_duration"]

E = TypeVar("E", bound="Estimator")


class Estimator:
    """Parameter handling shared by detectors and their parts."""

    @classmethod
    def _param_names(cls) -> list[str]:
        init = cls.__init__
        if init is object.__init__:
            return []
        signature = inspect.signature(init)
        return sorted(
            name
            for name, p in signature.parameters.items()
            if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters and their current values."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self: E, **params: Any) -> E:
        """Set constructor parameters; learned state is left as it is (refit to use them)."""
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise DetectorError(
                    f"The parameter {name!r} is not a parameter of {type(self).__name__}. "
                    f"Valid parameters: {', '.join(valid)}."
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {
            name: p.default
            for name, p in inspect.signature(type(self).__init__).parameters.items()
            if name != "self"
        }
        shown = [
            f"{name}={value!r}"
            for name, value in self.get_params().items()
            if not _same(value, defaults.get(name, inspect.Parameter.empty))
        ]
        return f"{type(self).__name__}({', '.join(shown)})"


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # pragma: no cover - exotic parameter types
        return a is b


def clone(estimator: E) -> E:
    """A new, unfitted estimator with the same parameters."""
    return type(estimator)(**estimator.get_params())


def parse_duration(value: str | timedelta, *, name: str = "duration", owner: str = "") -> timedelta:
    """A positive duration from ``"5min"``, ``"1h"``, ``"14D"`` or a ``timedelta``."""
    import pandas as pd

    where = f" of {owner}" if owner else ""
    try:
        delta = pd.Timedelta(value)
    except (ValueError, TypeError):
        delta = None
    if delta is None or pd.isna(delta) or delta <= pd.Timedelta(0):
        raise DetectorError(
            f"The {name!r} parameter{where} must be a positive duration such as '1h'. "
            f"Got {value!r} instead."
        )
    return timedelta(microseconds=delta.value // 1000)


def duration_text(value: str | timedelta) -> str:
    """A canonical short spelling of a duration: ``'5min'``, ``'1h'``, ``'90s'``.

    >>> duration_text("0 days 00:05:00"), duration_text("60min"), duration_text("1D")
    ('5min', '1h', '24h')
    """
    seconds = parse_duration(value).total_seconds()
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)}h"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)}min"
    return f"{seconds:g}s"


def check_number(
    value: Any,
    *,
    name: str,
    owner: str,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
) -> float:
    """``value`` as a float within ``[low, high]`` (``(low, high]`` if ``low_open``)."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value == value
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        bracket = "(" if low_open else "["
        raise DetectorError(
            f"The {name!r} parameter of {owner} must be a number in {bracket}{lo}, {hi}]. "
            f"Got {value!r} instead."
        )
    return float(value)
