"""Area units: conversions between m², 亩 (mu), hectares (公顷) and km², and amounts per area.

The 市制 factors are statutory: 1 亩 = 10 000/15 m², 1 公顷 = 15 亩 = 10 000 m².
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from zonestudy.metrics._input import (
    align as _align,
    check_finite as _check_finite,
    describe as _describe,
    is_scalar as _is_scalar,
    to_float_array as _to_float_array,
    flat as _flat,
)

__all__ = [
    "M2_PER_MU",
    "MU_PER_HA",
    "M2_PER_HA",
    "M2_PER_KM2",
    "AREA_UNITS",
    "AreaUnit",
    "convert_area",
    "per_area",
]

M2_PER_MU: float = 10_000 / 15
"""Square metres per 亩 (statutory 市制 definition: 1 亩 = 10 000/15 m² ≈ 666.67 m²)."""

MU_PER_HA: float = 15.0
"""亩 per hectare (公顷): 1 ha = 10 000 m² = 15 亩."""

M2_PER_HA: float = 10_000.0
"""Square metres per hectare."""

M2_PER_KM2: float = 1_000_000.0
"""Square metres per square kilometre (1 km² = 100 ha = 1 500 亩)."""

AREA_UNITS: dict[str, float] = {
    "m2": 1.0,
    "mu": M2_PER_MU,
    "ha": M2_PER_HA,
    "km2": M2_PER_KM2,
}
"""Area units understood by :func:`convert_area` and :func:`per_area`, as square metres per unit."""

AreaUnit = Literal["m2", "mu", "ha", "km2"]


def _unit_factor(unit: str, name: str) -> float:
    if unit not in AREA_UNITS:
        raise ValueError(f"{name} must be one of {list(AREA_UNITS)}, got {unit!r}")
    return AREA_UNITS[unit]


def _numeric_like(x: Any, name: str) -> tuple[Any, np.ndarray, pd.Index]:
    if isinstance(x, pd.DataFrame):
        raise TypeError(f"{name} must be a scalar, Series or 1-D array-like")
    if _is_scalar(x):
        arr = _to_float_array([x], name)
        return x, arr, pd.RangeIndex(1)
    series = x if isinstance(x, pd.Series) else pd.Series(_flat(x))
    arr = _to_float_array(series, name)
    if len(arr) == 0:
        raise ValueError(f"{name} is empty")
    return x, arr, series.index


def convert_area(value: Any, from_unit: AreaUnit, to_unit: AreaUnit) -> Any:
    r"""Convert areas between m², 亩 (mu), hectares (公顷) and km².

    .. math::

        v_{\text{to}} = v_{\text{from}} \cdot
        \frac{\text{m}^2 \text{ per from\_unit}}{\text{m}^2 \text{ per to\_unit}}

    with 1 亩 = 10 000/15 m², 1 ha = 15 亩 = 10 000 m², 1 km² = 100 ha = 1 500 亩.

    Parameters
    ----------
    value : float, Series or array-like
        Areas in ``from_unit`` (finite).
    from_unit, to_unit : {"m2", "mu", "ha", "km2"}

    Returns
    -------
    float, Series (same index and name) or ndarray, in ``to_unit``.

    Notes
    -----
    This converts *areas*. A per-area *intensity* converts the other way: 万元/亩 × 15 =
    万元/公顷 — use :func:`per_area` with ``out_unit`` rather than converting by hand.

    References
    ----------
    metrics_spec conventions (statutory 市制 conversions) and §2.1 pitfalls.

    Examples
    --------
    >>> round(convert_area(50, "mu", "m2"), 2)
    33333.33
    >>> convert_area(1, "ha", "mu"), convert_area(1, "km2", "mu")
    (15.0, 1500.0)
    """
    f_from = _unit_factor(from_unit, "from_unit")
    f_to = _unit_factor(to_unit, "to_unit")
    original, arr, index = _numeric_like(value, "value")
    _check_finite(arr, index, "value")
    out = arr * (f_from / f_to)
    if _is_scalar(original):
        return float(out[0])
    if isinstance(original, pd.Series):
        return pd.Series(out, index=original.index, name=original.name)
    return out


def per_area(amount: Any, area: Any, *, area_unit: AreaUnit, out_unit: AreaUnit) -> Any:
    r"""Amount per unit of land: 投资强度, 产出强度, 亩均税收, 亩均增加值, ….

    .. math::

        \text{intensity} = \frac{\text{amount}}{\text{area expressed in out\_unit}}

    The money unit is unchanged: yuan in → yuan per ``out_unit``. Both units are required
    keywords, because 万元/公顷 vs 万元/亩 (a factor of 15) is the most frequent unit error in
    land-efficiency figures.

    Parameters
    ----------
    amount : float, Series or array-like
        Investment, output, tax, value added, … (finite; any money unit).
    area : float, Series or array-like
        Site area (> 0) in ``area_unit``. Series are aligned as in :func:`cohort_rate`.
    area_unit : {"m2", "mu", "ha", "km2"}
        Unit of ``area``.
    out_unit : {"m2", "mu", "ha", "km2"}
        Land unit of the result ("mu" for 亩均 figures, "ha" for the national 万元/公顷
        standard).

    Returns
    -------
    float, Series (named ``per_<out_unit>``) or ndarray.

    References
    ----------
    metrics_spec §2.1 (工业项目建设用地控制指标: 投资强度 = fixed-asset investment / site area,
    万元/公顷 in the standard, 万元/亩 locally) and its worked example.

    Examples
    --------
    Worked example of metrics_spec §2.1: 1.5 亿元 on a 50 亩 site.

    >>> per_area(1.5e8, 50, area_unit="mu", out_unit="mu") / 1e4  # 万元/亩
    300.0
    >>> per_area(1.5e8, 50, area_unit="mu", out_unit="ha") / 1e4  # 万元/公顷
    4500.0
    """
    f_area = _unit_factor(area_unit, "area_unit")
    f_out = _unit_factor(out_unit, "out_unit")
    index, amt, ar, scalar = _align(amount, area, ("amount", "area"))
    _check_finite(amt, index, "amount")
    _check_finite(ar, index, "area")
    if (ar <= 0).any():
        raise ValueError(f"area must be positive: {_describe(index, ar, ar <= 0)}")
    out = amt / (ar * (f_area / f_out))
    if scalar:
        return float(out[0])
    if isinstance(amount, pd.Series) or isinstance(area, pd.Series):
        return pd.Series(out, index=index, name=f"per_{out_unit}")
    return out
