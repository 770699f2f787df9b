"""Conformance suite: every estimator follows the scikit-learn / river contract."""

from __future__ import annotations

import inspect

import pytest
from sklearn.base import clone as sk_clone

from warning.detect import (
    ChangePointSearch,
    Estimator,
    SeasonalBaseline,
    SeasonalStormDetector,
    clone,
)
from warning.errors import DetectorError

ESTIMATORS: list[type[Estimator]] = [SeasonalStormDetector, SeasonalBaseline, ChangePointSearch]


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_init_only_stores_parameters(cls: type[Estimator]) -> None:
    est = cls()
    names = [n for n in inspect.signature(cls.__init__).parameters if n != "self"]
    assert sorted(vars(est)) == sorted(names)
    assert not [k for k in vars(est) if k.endswith("_")]


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_get_set_params_and_clone(cls: type[Estimator]) -> None:
    est = cls()
    params = est.get_params()
    assert set(params) == set(vars(est))
    name = sorted(params)[0]
    est.set_params(**{name: params[name]})
    copy = clone(est)
    assert copy is not est
    assert copy.get_params() == est.get_params()
    assert sk_clone(est).get_params() == est.get_params()
    with pytest.raises(DetectorError, match="is not a parameter of"):
        est.set_params(no_such_thing=1)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_public_classes_have_doctest_examples(cls: type[Estimator]) -> None:
    module = inspect.getmodule(cls)
    assert module is not None and ">>>" in (module.__doc__ or "") + (cls.__doc__ or "")


def test_fit_learns_state_with_trailing_underscore_and_clone_drops_it() -> None:
    det = SeasonalStormDetector().fit()
    learned = [k for k in vars(det) if k.endswith("_") and not k.startswith("_")]
    assert "baseline_" in learned and "state_" in learned
    assert not any(k.endswith("_") for k in vars(clone(det)))


def test_repr_shows_changed_parameters_only() -> None:
    assert repr(SeasonalStormDetector(threshold=5.0)) == "SeasonalStormDetector(threshold=5.0)"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"threshold": -1},
            "The 'threshold' parameter of SeasonalStormDetector must be a number in (0, inf]. Got -1 instead.",
        ),
        (
            {"freq": "soon"},
            "The 'freq' parameter of SeasonalStormDetector must be a positive duration such as '1h'. Got 'soon' instead.",
        ),
        (
            {"guard_p": 2.0},
            "The 'guard_p' parameter of SeasonalStormDetector must be a number in (0, 1]. Got 2.0 instead.",
        ),
        (
            {"min_size": 0},
            "The 'min_size' parameter of SeasonalStormDetector must be an integer >= 1. Got 0 instead.",
        ),
        (
            {"tz": "Mars/Olympus"},
            "The 'tz' parameter must be an IANA time zone such as 'Europe/Berlin'. Got 'Mars/Olympus' instead.",
        ),
        (
            {"holidays": "XX"},
            "The 'holidays' parameter must be a country code known to the holidays package",
        ),
        (
            {"min_ratio": 0.5},
            "The 'min_ratio' parameter of SeasonalStormDetector must be a number in [1, inf]. Got 0.5 instead.",
        ),
    ],
)
def test_validation_messages_name_parameter_rule_and_value(
    params: dict[str, object], message: str
) -> None:
    det = SeasonalStormDetector(**params)  # type: ignore[arg-type]
    with pytest.raises(DetectorError) as err:
        det.fit()
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)
