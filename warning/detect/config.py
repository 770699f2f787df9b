"""Detection settings: detector parameters, per-brand overrides, expected-spike windows.

The configuration is strict: an unknown key is an error (with a "did you mean"),
every value is checked against the detector's own parameter types and rules, and
all findings are reported at once, each at its place. The YAML file looks like::

    detector:              # any SeasonalStormDetector parameter
      threshold: 4.0
      tz: Europe/Berlin
    brands:                # per-brand overrides of the same parameters
      acme:
        holidays: DE
    expected_spikes:       # windows that raise the baseline instead of muting it
      - name: Spring campaign launch
        brand: acme        # optional: all brands when left out
        start: 2026-04-01T18:00:00+02:00
        end: 2026-04-01T22:00:00+02:00
        factor: 4          # expected volume × 4 inside the window (default 3)

>>> cfg = parse_config({"detector": {"threshold": 5}, "expected_spikes": [
...     {"start": "2026-04-01T18:00:00+02:00", "end": "2026-04-01T22:00:00+02:00", "brand": "acme"}]})
>>> det = cfg.detector_for("acme", freq="5min")
>>> det.threshold, det.expected_spikes[0].start.isoformat(), len(cfg.detector_for("other").expected_spikes)
(5, '2026-04-01T16:00:00+00:00', 0)
>>> parse_config({"detector": {"treshold": 5}})
Traceback (most recent call last):
...
warning.errors.ConfigError: detector.treshold: unknown key 'treshold' (did you mean 'threshold'?)
"""

from __future__ import annotations

import difflib
import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from warning.detect.seasonal import SeasonalStormDetector
from warning.detect.types import ExpectedSpike
from warning.errors import ConfigError, DetectorError

__all__ = ["DetectionConfig", "parse_config"]

Location = tuple[str | int, ...]
#: Turns a location and a message into one finding line (``file:line:col: message``).
Where = Callable[[Location, str], str]

_TOP = ("detector", "brands", "expected_spikes")
_SPIKE_KEYS = ("name", "brand", "start", "end", "factor")
_PARAM_IN_MESSAGE = re.compile(r"The '(\w+)' parameter")


def _dotted(loc: Location, message: str) -> str:
    return f"{'.'.join(str(p) for p in loc)}: {message}" if loc else message


@dataclass(frozen=True)
class DetectionConfig:
    """Validated detection settings; build a brand's detector with :meth:`detector_for`."""

    detector: Mapping[str, Any] = field(default_factory=dict)
    brands: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    expected_spikes: tuple[ExpectedSpike, ...] = ()

    def params_for(self, brand: str) -> dict[str, Any]:
        params = dict(self.detector)
        params.update(self.brands.get(brand, {}))
        params["expected_spikes"] = tuple(s for s in self.expected_spikes if s.applies_to(brand))
        return params

    def detector_for(self, brand: str, *, freq: str | None = None) -> SeasonalStormDetector:
        """A fresh detector for ``brand`` (``freq`` overrides the configured bucket length)."""
        params = self.params_for(brand)
        if freq is not None:
            params["freq"] = freq
        return SeasonalStormDetector(**params)


def parse_config(data: Any, where: Where = _dotted) -> DetectionConfig:
    """Validate plain data (as read from YAML) into a :class:`DetectionConfig`."""
    findings: list[str] = []
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([where((), "the configuration must be a mapping of settings")])
    _unknown(data, _TOP, (), where, findings)
    detector = _params(data.get("detector", {}), ("detector",), where, findings)
    brands: dict[str, dict[str, Any]] = {}
    raw_brands = data.get("brands", {})
    if not isinstance(raw_brands, dict):
        findings.append(where(("brands",), "must be a mapping of brand names to settings"))
    else:
        for name, params in raw_brands.items():
            brands[str(name)] = _params(params, ("brands", name), where, findings)
    spikes = _spikes(data.get("expected_spikes", []), where, findings)
    if not findings:
        for loc, params in [(("detector",), detector)] + [
            (("brands", b), {**detector, **p}) for b, p in brands.items()
        ]:
            try:
                SeasonalStormDetector(**params)._validate()
            except DetectorError as err:
                found = _PARAM_IN_MESSAGE.search(str(err))
                key = found.group(1) if found else None
                findings.append(where((*loc, key) if key else loc, str(err)))
    if findings:
        raise ConfigError(findings)
    return DetectionConfig(detector=detector, brands=brands, expected_spikes=spikes)


def _unknown(
    data: dict[str, Any], known: tuple[str, ...], loc: Location, where: Where, out: list[str]
) -> None:
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = (
                f" (did you mean {close[0]!r}?)" if close else f"; known keys: {', '.join(known)}"
            )
            out.append(where((*loc, key), f"unknown key {key!r}{hint}"))


def _params(raw: Any, loc: Location, where: Where, out: list[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        out.append(where(loc, "must be a mapping of detector parameters"))
        return {}
    signature = inspect.signature(SeasonalStormDetector.__init__).parameters
    known = tuple(n for n in signature if n not in ("self", "expected_spikes"))
    _unknown(raw, known, loc, where, out)
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            continue
        default = signature[key].default
        ok, converted = _typed(value, default)
        if ok:
            params[key] = converted
        else:
            kind = _kind(default)
            out.append(where((*loc, key), f"{key} must be {kind}; got {value!r}"))
    return params


def _kind(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, int):
        return "a whole number"
    if isinstance(default, tuple):
        return "a list of whole numbers"
    if default is None:
        return "text or null"
    return "text"


def _typed(value: Any, default: Any) -> tuple[bool, Any]:
    if isinstance(default, float):
        return isinstance(value, int | float) and not isinstance(value, bool), value
    if isinstance(default, int) and not isinstance(default, bool):
        return isinstance(value, int) and not isinstance(value, bool), value
    if isinstance(default, tuple):
        ok = isinstance(value, list) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        )
        return ok, tuple(value) if ok else value
    if default is None:
        return value is None or isinstance(value, str), value
    return isinstance(value, str), value


def _spikes(raw: Any, where: Where, out: list[str]) -> tuple[ExpectedSpike, ...]:
    if not isinstance(raw, list):
        out.append(where(("expected_spikes",), "must be a list of windows"))
        return ()
    spikes: list[ExpectedSpike] = []
    for i, item in enumerate(raw):
        loc: Location = ("expected_spikes", i)
        if not isinstance(item, dict):
            out.append(where(loc, "a window must be a mapping with start, end and factor"))
            continue
        _unknown(item, _SPIKE_KEYS, loc, where, out)
        start = _instant(item.get("start"), (*loc, "start"), where, out)
        end = _instant(item.get("end"), (*loc, "end"), where, out)
        factor = item.get("factor", 3.0)
        if not isinstance(factor, int | float) or isinstance(factor, bool) or factor <= 0:
            out.append(where((*loc, "factor"), f"factor must be a positive number; got {factor!r}"))
            continue
        brand, name = item.get("brand"), item.get("name", "")
        if brand is not None and not isinstance(brand, str):
            out.append(where((*loc, "brand"), f"brand must be text; got {brand!r}"))
            continue
        if start is None or end is None:
            continue
        if end <= start:
            out.append(
                where(
                    (*loc, "end"), f"end {end.isoformat()} must be after start {start.isoformat()}"
                )
            )
            continue
        spikes.append(ExpectedSpike(start, end, float(factor), brand, str(name)))
    return tuple(spikes)


def _instant(value: Any, loc: Location, where: Where, out: list[str]) -> datetime | None:
    if value is None:
        out.append(where(loc, f"{loc[-1]} is required (an ISO 8601 instant with an offset)"))
        return None
    try:
        instant = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        out.append(where(loc, f"{loc[-1]} must be an ISO 8601 instant; got {value!r}"))
        return None
    if instant.tzinfo is None or instant.utcoffset() is None:
        out.append(
            where(loc, f"{loc[-1]} {value!r} has no time zone; give an offset such as +02:00")
        )
        return None
    return instant.astimezone(UTC)
