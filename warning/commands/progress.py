"""Progress bars for the long commands (replay of a folder, evaluate, model train).

Bars go to stderr through tqdm, so stdout stays clean for ``--json`` and pipes. They
appear when stderr is a terminal; ``SHITSTORM_PROGRESS=1`` forces them on (a CI log,
``nohup``), ``SHITSTORM_PROGRESS=0`` turns them off.

>>> with bar(range(3), desc="demo", unit="x", env={"SHITSTORM_PROGRESS": "0"}) as b:
...     sum(b)
3
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from tqdm import tqdm

__all__ = ["bar", "enabled"]

_T = TypeVar("_T")
_ON = {"1", "true", "yes", "on"}
_OFF = {"0", "false", "no", "off"}


def enabled(env: Mapping[str, str] | None = None) -> bool | None:
    """True/False when ``SHITSTORM_PROGRESS`` decides, None to let tqdm ask the terminal."""
    value = (os.environ if env is None else env).get("SHITSTORM_PROGRESS", "").strip().lower()
    if value in _ON:
        return True
    if value in _OFF:
        return False
    return None


def bar(
    iterable: Iterable[_T] | None = None,
    *,
    desc: str,
    unit: str,
    total: int | None = None,
    env: Mapping[str, str] | None = None,
) -> tqdm[Any]:
    """A tqdm bar on stderr that disappears when done (``leave=False``).

    Write lines while it runs with ``bar.write(text)``, so they do not tear the bar.
    """
    flag = enabled(env)
    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=unit,
        file=sys.stderr,
        disable=None if flag is None else not flag,
        leave=False,
        dynamic_ncols=True,
    )
