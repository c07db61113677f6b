"""Metric functions for development-zone (开发区) project pipelines and investment structure.

The functions here are small and pure: they take scalars or pandas objects, validate them, and
return new objects. Nothing is read from disk and nothing is patched silently — invalid input
(negative counts, shares that do not sum to one, missing values, empty input) raises ``ValueError``
with a message naming the offending values.

Three kinds of "rate" are kept apart by name, because Chinese zone reporting uses the same word
(开工率, 投产率, …) for all three (metrics_spec §0):

* :func:`cohort_rate` — share of a cohort that reached a stage (≤ 1, with a binomial interval);
* :func:`flow_ratio` — events of one stage ÷ events of the previous stage in the same period
  (different projects; may exceed 1; no interval);
* :func:`plan_attainment` — actual ÷ planned target (may exceed 1; no interval).

Units: money is whatever the caller passes (the project's clean tables use yuan, columns such as
``investment_cny``); sizes come back in the same unit. Areas are converted explicitly between
``"m2"``, ``"mu"`` (亩), ``"ha"`` (公顷) and ``"km2"`` with the statutory 市制 factors.

References
----------
``docs/metrics_spec.md`` (the project's metric specification), sections cited in each
function's docstring.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from numbers import Integral, Real
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy.special import xlogy
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

__all__ = [
    "M2_PER_MU",
    "MU_PER_HA",
    "M2_PER_HA",
    "M2_PER_KM2",
    "AREA_UNITS",
    "CI_METHODS",
    "SHARE_TOL",
    "DiffCI",
    "cohort_rate",
    "flow_ratio",
    "plan_attainment",
    "proportion_ci",
    "diff_ci",
    "infer_cohort_numerator",
    "cohort_numerator_candidates",
    "reproduces",
    "average_size",
    "count_table",
    "weighted_table",
    "structure_shares",
    "hhi",
    "entropy",
    "similarity",
    "location_quotient",
    "gini",
    "convert_area",
    "per_area",
]

# --- constants --------------------------------------------------------------------------------

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

CI_METHODS: tuple[str, ...] = ("wilson", "beta", "jeffreys", "agresti_coull")
"""Interval methods accepted by :func:`proportion_ci` (the Wald interval is deliberately absent)."""

SHARE_TOL: float = 1e-6
"""Default absolute tolerance for a share vector's sum to differ from 1."""

AreaUnit = Literal["m2", "mu", "ha", "km2"]
CIMethod = Literal["wilson", "beta", "jeffreys", "agresti_coull"]

_MAX_LISTED = 10

# --- input handling (private) -----------------------------------------------------------------


def _is_scalar(x: Any) -> bool:
    return np.ndim(x) == 0 and not isinstance(x, (pd.Series, pd.DataFrame))


def _describe(index: pd.Index, values: np.ndarray, mask: np.ndarray) -> str:
    """List offending ``label=value`` pairs (at most ``_MAX_LISTED``)."""
    positions = np.flatnonzero(mask)
    parts = [f"{index[i]!r}={float(values[i]):g}" for i in positions[:_MAX_LISTED]]
    if len(positions) > _MAX_LISTED:
        parts.append(f"… ({len(positions) - _MAX_LISTED} more)")
    return ", ".join(parts)


def _flat(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=object).reshape(-1)


def _to_float_array(x: Any, name: str) -> np.ndarray:
    """Convert a 1-D numeric input to float; reject booleans, text and DataFrames.

    Missing values (None, NA, NaN) become NaN and are rejected later by the callers.
    """
    if isinstance(x, pd.DataFrame):
        raise TypeError(f"{name} must be a scalar, a Series or a 1-D array-like, not a DataFrame")
    dtype = getattr(x, "dtype", None)
    values = x.to_numpy(dtype=object) if isinstance(x, pd.Series) else _flat(x)
    if (dtype is not None and pd.api.types.is_bool_dtype(dtype)) or any(
        isinstance(v, (bool, np.bool_)) for v in values
    ):
        raise TypeError(f"{name} is boolean; sum the flags into counts first")
    text = [v for v in values if isinstance(v, (str, bytes))]
    if text:
        raise ValueError(
            f"{name} must be numeric, got text such as {text[0]!r}; parse printed figures first "
            "(zonestudy.clean)"
        )
    try:
        return np.array(
            [np.nan if v is None or v is pd.NA else float(v) for v in values], dtype=float
        )
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be numeric: {err}") from None


def _align(
    a: Any, b: Any, names: tuple[str, str]
) -> tuple[pd.Index, np.ndarray, np.ndarray, bool]:
    """Broadcast two inputs (scalars, Series or array-likes) to a common index.

    Returns the index, both inputs as float arrays, and whether both inputs were scalars.
    Two Series must carry the same labels (order may differ); nothing is dropped or filled.
    """
    a_scalar, b_scalar = _is_scalar(a), _is_scalar(b)
    if a_scalar and b_scalar:
        index = pd.RangeIndex(1)
        return index, _to_float_array([a], names[0]), _to_float_array([b], names[1]), True

    if isinstance(a, pd.Series) and isinstance(b, pd.Series):
        if not a.index.equals(b.index):
            only_a = a.index.difference(b.index)
            only_b = b.index.difference(a.index)
            if len(only_a) or len(only_b) or a.index.has_duplicates or b.index.has_duplicates:
                raise ValueError(
                    f"{names[0]} and {names[1]} have different index labels; "
                    f"only in {names[0]}: {list(only_a)[:_MAX_LISTED]}, "
                    f"only in {names[1]}: {list(only_b)[:_MAX_LISTED]}"
                )
            b = b.reindex(a.index)
        index = a.index
    elif isinstance(a, pd.Series):
        index = a.index
    elif isinstance(b, pd.Series):
        index = b.index
    else:
        index = pd.RangeIndex(len(_flat(b if a_scalar else a)))

    n = len(index)
    if n == 0:
        raise ValueError(f"{names[0]} and {names[1]} are empty")
    arrays = [
        np.repeat(_to_float_array([x], name), n) if _is_scalar(x) else _to_float_array(x, name)
        for x, name in zip((a, b), names)
    ]
    if len(arrays[0]) != len(arrays[1]):
        raise ValueError(
            f"{names[0]} and {names[1]} have different lengths "
            f"({len(arrays[0])} vs {len(arrays[1])})"
        )
    return index, arrays[0], arrays[1], False


def _check_finite(values: np.ndarray, index: pd.Index, name: str) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        raise ValueError(f"{name} has missing or infinite values: {_describe(index, values, bad)}")


def _check_counts(values: np.ndarray, index: pd.Index, name: str, *, positive: bool) -> None:
    """Counts must be finite whole numbers, ≥ 0 (or > 0 if ``positive``)."""
    _check_finite(values, index, name)
    bad = values != np.round(values)
    if bad.any():
        raise ValueError(f"{name} must be whole numbers (counts): {_describe(index, values, bad)}")
    bad = values <= 0 if positive else values < 0
    if bad.any():
        rule = "positive" if positive else "non-negative"
        raise ValueError(f"{name} must be {rule}: {_describe(index, values, bad)}")


def _check_reached(k: np.ndarray, n: np.ndarray, index: pd.Index, names: tuple[str, str]) -> None:
    _check_counts(k, index, names[0], positive=False)
    _check_counts(n, index, names[1], positive=True)
    bad = k > n
    if bad.any():
        pairs = ", ".join(
            f"{index[i]!r}: {k[i]:g} > {n[i]:g}" for i in np.flatnonzero(bad)[:_MAX_LISTED]
        )
        raise ValueError(
            f"{names[0]} exceeds {names[1]} ({pairs}); a cohort rate cannot exceed 1 — "
            "if the two counts refer to different projects, use flow_ratio or plan_attainment"
        )


def _check_alpha(alpha: float) -> None:
    if not isinstance(alpha, Real) or not 0.0 < float(alpha) < 1.0:
        raise ValueError(f"alpha must be a number strictly between 0 and 1, got {alpha!r}")


def _rate_frame(
    index: pd.Index,
    value: np.ndarray,
    numerator: np.ndarray,
    denominator: np.ndarray,
    kind: str,
    definition: str,
    *,
    integer_counts: bool,
) -> pd.DataFrame:
    count_dtype = "int64" if integer_counts else "float64"
    frame = pd.DataFrame(
        {
            "value": value.astype(float),
            "numerator": numerator.astype(count_dtype),
            "denominator": denominator.astype(count_dtype),
            "kind": kind,
        },
        index=index,
    )
    frame.attrs["definition"] = definition
    frame.attrs["kind"] = kind
    return frame


# --- 1. rates ---------------------------------------------------------------------------------


def proportion_ci(
    k: Any, n: Any, method: str = "wilson", alpha: float = 0.05
) -> tuple[Any, Any]:
    r"""Confidence interval for a binomial proportion k/n (never the Wald interval).

    A thin wrapper around :func:`statsmodels.stats.proportion.proportion_confint` that always
    passes an explicit ``method`` — statsmodels' default is the Wald ("normal") interval, which
    is unreliable for the small cohorts typical of zone reporting (it can extend below 0 and has
    zero width at k = 0).

    Wilson (score) interval, with :math:`\hat p = k/n` and :math:`z = \Phi^{-1}(1-\alpha/2)`:

    .. math::

        \frac{\hat p + z^2/2n}{1 + z^2/n} \pm
        \frac{z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    Parameters
    ----------
    k : int, Series or array-like
        Number of units that reached the stage (whole numbers, 0 ≤ k ≤ n).
    n : int, Series or array-like
        Cohort size (positive whole numbers). Two Series must share their labels.
    method : {"wilson", "beta", "jeffreys", "agresti_coull"}
        ``"beta"`` is Clopper–Pearson ("exact", conservative). ``"normal"``/``"wald"`` are
        rejected.
    alpha : float
        1 − confidence level (0.05 for a 95 % interval).

    Returns
    -------
    (low, high)
        Floats for scalar input, Series (named ``ci_low``/``ci_high``, same index) for Series
        input, NumPy arrays for other array-likes. Bounds are proportions in [0, 1].

    Raises
    ------
    ValueError
        For the Wald method, an unknown method, invalid alpha, or invalid counts (k > n,
        negative, non-integer, n = 0), naming the offending values.

    Notes
    -----
    Where a method's bound is mathematically 0 (k = 0) or 1 (k = n) it is returned exactly.
    For Wilson, Clopper–Pearson and Agresti–Coull this only removes floating-point noise; for
    Jeffreys it is the boundary modification recommended by Brown, Cai & DasGupta (2001, §4.1.2),
    so 0/12 gives (0, 0.185) as in metrics_spec §6.1 where statsmodels alone gives a lower
    bound of 4e-5.

    References
    ----------
    metrics_spec §6.1; Brown, Cai & DasGupta (2001), *Statistical Science* 16:101–133;
    https://www.statsmodels.org/stable/generated/statsmodels.stats.proportion.proportion_confint.html

    Examples
    --------
    临猗: 2 of 39 key projects built and producing.

    >>> low, high = proportion_ci(2, 39)
    >>> round(low, 4), round(high, 4)
    (0.0142, 0.1689)
    >>> [round(b, 3) for b in proportion_ci(0, 12, method="jeffreys")]
    [0.0, 0.185]
    """
    method_key = str(method).lower()
    if method_key in {"normal", "wald"}:
        raise ValueError(
            "the Wald ('normal') interval is not allowed: it is statsmodels' default but "
            "undercovers badly for small n and extreme proportions (zero width at k = 0, bounds "
            "outside [0, 1]); use 'wilson' (default), 'jeffreys', 'agresti_coull' or 'beta' "
            "(Clopper–Pearson) — see Brown, Cai & DasGupta (2001)"
        )
    if method_key not in CI_METHODS:
        raise ValueError(f"unknown interval method {method!r}; choose one of {CI_METHODS}")
    _check_alpha(alpha)
    index, kk, nn, scalar = _align(k, n, ("k", "n"))
    _check_reached(kk, nn, index, ("k", "n"))
    low, high = proportion_confint(kk, nn, alpha=float(alpha), method=method_key)
    low = np.clip(np.asarray(low, dtype=float), 0.0, 1.0)
    high = np.clip(np.asarray(high, dtype=float), 0.0, 1.0)
    low = np.where(kk == 0, 0.0, low)
    high = np.where(kk == nn, 1.0, high)
    if scalar:
        return float(low[0]), float(high[0])
    if isinstance(k, pd.Series) or isinstance(n, pd.Series):
        return (
            pd.Series(low, index=index, name="ci_low"),
            pd.Series(high, index=index, name="ci_high"),
        )
    return low, high


def cohort_rate(
    reached: Any, cohort_size: Any, *, ci: str | None = "wilson", alpha: float = 0.05
) -> pd.DataFrame:
    r"""Cohort (conversion) rate: share of a cohort of projects that has reached a stage.

    .. math::

        \text{rate}_C = \frac{\#\{p \in C : p \text{ reached stage } S \text{ by } t\}}{|C|}
        \in [0, 1]

    e.g. 开工率 = started projects of the signed cohort ÷ signed cohort size. Numerator and
    denominator are counts of the *same* projects, so the rate cannot exceed 1 and has a
    binomial interval. Terminated projects stay in the denominator.

    Parameters
    ----------
    reached : int, Series or array-like
        Projects of the cohort that reached the stage (whole numbers ≥ 0).
    cohort_size : int, Series or array-like
        Cohort size |C| (whole numbers > 0). A Series index (round, city, stage, …) is kept;
        two Series must carry the same labels.
    ci : {"wilson", "beta", "jeffreys", "agresti_coull"} or None
        Interval method passed to :func:`proportion_ci`; ``None`` or ``"none"`` leaves the
        interval columns empty (NaN).
    alpha : float
        1 − confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per element (a one-row frame for scalar input) with columns ``value``
        (proportion, 0–1), ``numerator``, ``denominator`` (int64), ``kind`` (``"cohort"``),
        ``ci_low``, ``ci_high``, ``ci_method``, ``alpha``. ``attrs["definition"]`` holds the
        definition string.

    Raises
    ------
    ValueError
        If reached > cohort_size, counts are negative, non-integer or missing, or
        cohort_size = 0; the message names the offending values and index labels.

    See Also
    --------
    flow_ratio : stage events ÷ previous-stage events in one period (may exceed 1).
    plan_attainment : actual ÷ planned (may exceed 1).
    infer_cohort_numerator : recover k from a published percentage.

    References
    ----------
    metrics_spec §0 (cohort vs flow vs plan) and §1.2–1.3; intervals §6.1. Taiyuan's published
    开工率 58.82 % = 40/68 and 投产率 29.82 % = 17/57 reproduce only as cohort rates
    (http://www.twtpybx.cn/system/2021/06/29/030345142.shtml, mirror of a Taiyuan news item).

    Examples
    --------
    >>> r = cohort_rate(40, 68)
    >>> round(100 * float(r["value"].iloc[0]), 2)
    58.82
    >>> r[["numerator", "denominator", "kind", "ci_method"]]
       numerator  denominator    kind ci_method
    0         40           68  cohort    wilson
    >>> reached = pd.Series({"开工率": 40, "投产率": 17})
    >>> cohort = pd.Series({"开工率": 68, "投产率": 57})
    >>> taiyuan = cohort_rate(reached, cohort)
    >>> (100 * taiyuan["value"]).round(2).to_dict()
    {'开工率': 58.82, '投产率': 29.82}
    """
    index, k, n, _ = _align(reached, cohort_size, ("reached", "cohort_size"))
    _check_reached(k, n, index, ("reached", "cohort_size"))
    frame = _rate_frame(
        index,
        k / n,
        k,
        n,
        "cohort",
        "cohort rate: reached ∩ cohort / cohort size (same projects; cannot exceed 1)",
        integer_counts=True,
    )
    if ci is None or str(ci).lower() == "none":
        _check_alpha(alpha)
        frame["ci_low"] = np.nan
        frame["ci_high"] = np.nan
        frame["ci_method"] = "none"
    else:
        low, high = proportion_ci(k, n, method=ci, alpha=alpha)
        frame["ci_low"] = low
        frame["ci_high"] = high
        frame["ci_method"] = str(ci).lower()
    frame["alpha"] = float(alpha)
    return frame


def flow_ratio(to_count: Any, from_count: Any) -> pd.DataFrame:
    r"""Flow ratio: projects reaching a stage in a period ÷ projects reaching the previous stage.

    .. math::

        \text{flow}_P = \frac{\#\{\text{projects reaching } S \text{ during } P\}}
                             {\#\{\text{projects reaching } S-1 \text{ during } P\}}

    e.g. projects on a 三个一批 round's 开工 list ÷ projects on the same round's 签约 list. The
    two sets are **different projects** (most projects started in a round were signed earlier),
    so the ratio describes the activity mix of the round, is not a conversion rate and may
    exceed 1. It has no confidence interval: the numerator is not a subset of the denominator,
    so it is not a binomial proportion.

    Parameters
    ----------
    to_count : int, Series or array-like
        Projects reaching stage S in the period (whole numbers ≥ 0).
    from_count : int, Series or array-like
        Projects reaching the previous stage in the same period (whole numbers > 0).

    Returns
    -------
    pandas.DataFrame
        Columns ``value`` (ratio, may exceed 1), ``numerator``, ``denominator`` (int64),
        ``kind`` (``"flow"``); ``attrs["definition"]`` holds the definition string.

    Raises
    ------
    ValueError
        For from_count = 0, negative, non-integer or missing counts.

    References
    ----------
    metrics_spec §0: Shanxi 2021 round 1 lists 413 signed / 268 started / 245 producing; the
    Taiyuan lists 68 / 57 / 41 give flow ratios 83.8 % and 71.9 %, far from the published
    cohort rates 58.82 % and 29.82 %.

    Examples
    --------
    >>> (100 * flow_ratio(57, 68)["value"]).round(2).tolist()
    [83.82]
    >>> flow_ratio(pd.Series({"2023-4": 225}), pd.Series({"2023-4": 233}))["kind"].tolist()
    ['flow']
    """
    index, k, n, _ = _align(to_count, from_count, ("to_count", "from_count"))
    _check_counts(k, index, "to_count", positive=False)
    _check_counts(n, index, "from_count", positive=True)
    return _rate_frame(
        index,
        k / n,
        k,
        n,
        "flow",
        "flow ratio: stage-S events in period / stage-(S-1) events in same period "
        "(different projects; may exceed 1; not a binomial proportion)",
        integer_counts=True,
    )


def plan_attainment(actual: Any, planned: Any) -> pd.DataFrame:
    r"""Plan attainment: actual ÷ planned target (计划开工, 开复工, 签约任务, …).

    .. math::

        \text{attainment} = \frac{\text{actual}}{\text{planned}}

    Works for counts (projects started ÷ projects scheduled to start) and for amounts (signed
    investment ÷ investment target, same unit). May exceed 1 (Panjin 2022: 609 started/resumed
    against a target of 600 = 101.5 %). No interval: the plan is an administrative target, not a
    cohort the actual projects are drawn from.

    Parameters
    ----------
    actual : float, Series or array-like
        Achieved count or amount (≥ 0).
    planned : float, Series or array-like
        Planned count or amount, in the same unit (> 0).

    Returns
    -------
    pandas.DataFrame
        Columns ``value`` (ratio), ``numerator`` (actual), ``denominator`` (planned) as floats,
        ``kind`` (``"plan"``); ``attrs["definition"]`` holds the definition string.

    Raises
    ------
    ValueError
        For planned ≤ 0, negative or missing values.

    References
    ----------
    metrics_spec §0, §1.2 (variant — plan attainment: 47/63 = 74.6 %), §1.7 (Panjin 609/600).

    Examples
    --------
    >>> (100 * plan_attainment(609, 600)["value"]).round(1).tolist()
    [101.5]
    >>> (100 * plan_attainment(177.7, 54)["value"]).round(0).tolist()
    [329.0]
    """
    index, a, p, _ = _align(actual, planned, ("actual", "planned"))
    _check_finite(a, index, "actual")
    _check_finite(p, index, "planned")
    if (a < 0).any():
        raise ValueError(f"actual must be non-negative: {_describe(index, a, a < 0)}")
    if (p <= 0).any():
        raise ValueError(f"planned must be positive: {_describe(index, p, p <= 0)}")
    return _rate_frame(
        index,
        a / p,
        a,
        p,
        "plan",
        "plan attainment: actual / planned target (may exceed 1)",
        integer_counts=False,
    )


class DiffCI(NamedTuple):
    """Difference of two proportions with its confidence interval (proportions, not points)."""

    diff: float
    low: float
    high: float


def diff_ci(k1: int, n1: int, k2: int, n2: int, alpha: float = 0.05) -> DiffCI:
    r"""Newcombe hybrid-score interval for the difference of two cohort rates p₁ − p₂.

    .. math::

        \hat d = k_1/n_1 - k_2/n_2, \quad
        [\hat d - \sqrt{(\hat p_1 - l_1)^2 + (u_2 - \hat p_2)^2},\;
         \hat d + \sqrt{(u_1 - \hat p_1)^2 + (\hat p_2 - l_2)^2}]

    where (l_i, u_i) are the Wilson intervals of each rate (Newcombe 1998, method 10).

    Parameters
    ----------
    k1, n1 : int
        Reached and cohort size of the first cohort.
    k2, n2 : int
        Reached and cohort size of the second cohort.
    alpha : float
        1 − confidence level.

    Returns
    -------
    DiffCI
        Named tuple ``(diff, low, high)`` of floats, as proportions (−1…1).

    References
    ----------
    metrics_spec §6.1; Newcombe (1998), *Statistics in Medicine* 17:873–890;
    https://www.statsmodels.org/stable/generated/statsmodels.stats.proportion.confint_proportions_2indep.html
    (``method="newcomb"``).

    Examples
    --------
    Taiyuan 40/68 vs Anqing 199/218 (descriptive only: the cohorts differ in age and in what
    counts as 开工):

    >>> d = diff_ci(40, 68, 199, 218)
    >>> [round(100 * x, 1) for x in d]
    [-32.5, -44.7, -20.7]
    """
    _check_alpha(alpha)
    for a, b, names in ((k1, n1, ("k1", "n1")), (k2, n2, ("k2", "n2"))):
        if not (_is_scalar(a) and _is_scalar(b)):
            raise TypeError("diff_ci takes scalar counts")
        index, kk, nn, _ = _align(a, b, names)
        _check_reached(kk, nn, index, names)
    low, high = confint_proportions_2indep(
        int(k1), int(n1), int(k2), int(n2), method="newcomb", compare="diff", alpha=float(alpha)
    )
    return DiffCI(float(k1 / n1 - k2 / n2), float(low), float(high))


def _exact_decimal(x: Any, name: str) -> Fraction:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (Real, Decimal, str)):
        raise TypeError(f"{name} must be a number, got {x!r}")
    try:
        dec = Decimal(str(x))
    except ArithmeticError:
        raise ValueError(f"{name} is not a number: {x!r}") from None
    if not dec.is_finite():
        raise ValueError(f"{name} must be finite, got {x!r}")
    return Fraction(dec)


def _round_half_up(x: Fraction, decimals: int) -> Fraction:
    scale = Fraction(10) ** decimals
    return Fraction(math.floor(x * scale + Fraction(1, 2))) / scale


def _truncate(x: Fraction, decimals: int) -> Fraction:
    scale = Fraction(10) ** decimals
    return Fraction(math.floor(x * scale)) / scale


def _check_published(published_pct: Any, decimals: int) -> Fraction:
    if not isinstance(decimals, Integral) or isinstance(decimals, bool) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer, got {decimals!r}")
    target = _exact_decimal(published_pct, "published_pct")
    if target < 0:
        raise ValueError(f"published_pct must be non-negative, got {published_pct!r}")
    if _truncate(target, decimals) != target:
        raise ValueError(
            f"published_pct {published_pct!r} has more than {decimals} decimals; "
            "pass the number of decimals it was printed with"
        )
    return target


def _check_denominator(denominator: Any) -> int:
    if not _is_scalar(denominator):
        raise TypeError("denominator must be a scalar count")
    n = _to_float_array([denominator], "denominator")
    _check_counts(n, pd.RangeIndex(1), "denominator", positive=True)
    return int(n[0])


def cohort_numerator_candidates(
    published_pct: float, denominator: int, decimals: int = 2
) -> pd.DataFrame:
    r"""All numerators k (0 ≤ k ≤ n) consistent with a published percentage, flagged by rule.

    A published rate p (in %, printed with ``decimals`` decimals) is consistent with k/n if

    * rounding (四舍五入, round half up): :math:`\mathrm{round}(100k/n,\ d) = p`, or
    * truncation: :math:`\lfloor 10^d \cdot 100k/n \rfloor / 10^d = p` — some published
      percentages are truncated, not rounded (metrics_spec §1.2: 129/270 printed as "47 %").

    Arithmetic is exact (rational numbers), so no floating-point ties are lost.

    Parameters
    ----------
    published_pct : float
        The published percentage, e.g. ``58.82`` for "58.82 %".
    denominator : int
        The cohort size n (> 0).
    decimals : int
        Decimals the percentage was printed with.

    Returns
    -------
    pandas.DataFrame
        One row per candidate k with columns ``k`` (int64), ``pct`` (exact 100k/n as float),
        ``by_rounding`` and ``by_truncation`` (bool). Empty if no k fits.

    References
    ----------
    metrics_spec §0 (Taiyuan), §1.2 (truncated publication), §8 item 9 (recompute and flag).

    Examples
    --------
    "47 %" of 270 projects: 129/270 = 47.78 % fits only if the figure was truncated.

    >>> cohort_numerator_candidates(47, 270, decimals=0)
         k        pct  by_rounding  by_truncation
    0  126  46.666667         True          False
    1  127  47.037037         True           True
    2  128  47.407407         True           True
    3  129  47.777778        False           True
    """
    target = _check_published(published_pct, decimals)
    n = _check_denominator(denominator)
    rows = []
    # only k with 100k/n within one printed unit of the target can match
    unit = Fraction(1, 10**decimals)
    k_lo = max(0, math.floor((target - unit) * n / 100))
    k_hi = min(n, math.ceil((target + unit) * n / 100))
    for k in range(k_lo, k_hi + 1):
        exact = Fraction(100 * k, n)
        by_round = _round_half_up(exact, decimals) == target
        by_trunc = _truncate(exact, decimals) == target
        if by_round or by_trunc:
            rows.append((k, float(exact), by_round, by_trunc))
    frame = pd.DataFrame(rows, columns=["k", "pct", "by_rounding", "by_truncation"])
    frame = frame.astype(
        {"k": "int64", "pct": "float64", "by_rounding": bool, "by_truncation": bool}
    )
    frame.attrs["definition"] = (
        f"k in 0..{n} with round_half_up(100k/{n}, {decimals}) or trunc(100k/{n}, {decimals}) "
        f"== {published_pct}"
    )
    return frame


def infer_cohort_numerator(
    published_pct: float,
    denominator: int,
    decimals: int = 2,
    *,
    rule: Literal["round", "truncate"] = "round",
) -> list[int]:
    r"""Numerators k that reproduce a published cohort rate with denominator n.

    Returns every integer k in 0..n with :math:`\mathrm{round}(100k/n,\ d) = p`
    (round half up, exact arithmetic), or with truncation instead of rounding when
    ``rule="truncate"``. Use :func:`cohort_numerator_candidates` to see both rules side by side
    with flags. An empty list means the published figure is not k/n for any k: the
    denominator is different, or the figure is not a cohort rate.

    Parameters
    ----------
    published_pct : float
        Published percentage, e.g. ``58.82``.
    denominator : int
        Cohort size n (> 0).
    decimals : int
        Decimals the percentage was printed with.
    rule : {"round", "truncate"}
        How the publisher went from 100k/n to the printed figure.

    Returns
    -------
    list of int
        Ascending candidate numerators.

    References
    ----------
    metrics_spec §0: Taiyuan's 58.82 % of 68 signed projects is 40/68; 29.82 % of 57 started
    projects is 17/57.

    Examples
    --------
    >>> infer_cohort_numerator(58.82, 68)
    [40]
    >>> infer_cohort_numerator(29.82, 57)
    [17]
    >>> infer_cohort_numerator(47, 270, decimals=0)
    [126, 127, 128]
    >>> infer_cohort_numerator(47, 270, decimals=0, rule="truncate")
    [127, 128, 129]
    """
    if rule not in ("round", "truncate"):
        raise ValueError(f"rule must be 'round' or 'truncate', got {rule!r}")
    table = cohort_numerator_candidates(published_pct, denominator, decimals)
    column = "by_rounding" if rule == "round" else "by_truncation"
    return [int(k) for k in table.loc[table[column], "k"]]


def reproduces(
    published_pct: float,
    numerator: float,
    denominator: float,
    decimals: int = 2,
    *,
    rule: Literal["round", "truncate"] = "round",
) -> bool:
    r"""Whether numerator/denominator, printed as a percentage, gives the published figure.

    .. math::

        \mathrm{round}(100 \cdot \text{numerator}/\text{denominator},\ d) = p

    (round half up, exact decimal arithmetic on the numbers as written; ``rule="truncate"``
    truncates instead). Works for any rate kind — cohort, flow or plan — since it only checks
    the arithmetic.

    Parameters
    ----------
    published_pct : float
        Published percentage.
    numerator, denominator : float
        Candidate components (numerator ≥ 0, denominator > 0).
    decimals : int
        Decimals the percentage was printed with.
    rule : {"round", "truncate"}
        Rounding rule of the publisher.

    Returns
    -------
    bool

    References
    ----------
    metrics_spec §8 item 9 (headline figures that do not reproduce from their components, e.g.
    Ordos "83 %" vs 64/76 = 84.2 %).

    Examples
    --------
    >>> reproduces(58.82, 40, 68), reproduces(58.82, 57, 68)
    (True, False)
    >>> reproduces(83, 64, 76, decimals=0)
    False
    """
    if rule not in ("round", "truncate"):
        raise ValueError(f"rule must be 'round' or 'truncate', got {rule!r}")
    target = _check_published(published_pct, decimals)
    num = _exact_decimal(numerator, "numerator")
    den = _exact_decimal(denominator, "denominator")
    if num < 0:
        raise ValueError(f"numerator must be non-negative, got {numerator!r}")
    if den <= 0:
        raise ValueError(f"denominator must be positive, got {denominator!r}")
    exact = 100 * num / den
    printed = _round_half_up(exact, decimals) if rule == "round" else _truncate(exact, decimals)
    return bool(printed == target)


# --- 2. sizes and structure -------------------------------------------------------------------


def average_size(investment: Any, projects: Any) -> Any:
    r"""Average investment per project.

    .. math::

        \bar I = \frac{\sum_p I_p}{N}

    Parameters
    ----------
    investment : float, Series or array-like
        Total investment of the group (≥ 0), in any money unit (the project uses yuan).
    projects : int, Series or array-like
        Number of projects N (positive whole numbers).

    Returns
    -------
    float, Series or ndarray
        Mean investment per project, in the unit of ``investment``; a Series (named
        ``average_size``) keeps the input index.

    References
    ----------
    metrics_spec §1.3 worked example (临猗: 39 key projects, 78.34 亿元, mean 2.01 亿元) and §4.6
    (运城经开区: 49 projects, 383.47 亿元, mean 7.8 亿元).

    Examples
    --------
    >>> round(average_size(78.34e8, 39) / 1e8, 2)  # yuan → 亿元
    2.01
    """
    index, inv, n, scalar = _align(investment, projects, ("investment", "projects"))
    _check_finite(inv, index, "investment")
    if (inv < 0).any():
        raise ValueError(f"investment must be non-negative: {_describe(index, inv, inv < 0)}")
    _check_counts(n, index, "projects", positive=True)
    out = inv / n
    if scalar:
        return float(out[0])
    if isinstance(investment, pd.Series) or isinstance(projects, pd.Series):
        return pd.Series(out, index=index, name="average_size")
    return out


def _as_list(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _group_table(
    df: pd.DataFrame,
    by: str | Sequence[str],
    category: str,
    weight: str | None,
    categories: Sequence[Any] | None,
) -> pd.DataFrame:
    """Rows = groups in ``by``, columns = full category list, cells = counts or weight sums."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a DataFrame, got {type(df).__name__}")
    keys = _as_list(by)
    needed = [*keys, category] + ([weight] if weight is not None else [])
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise ValueError(f"df has no column(s) {missing}; columns are {list(df.columns)}")
    if df.empty:
        raise ValueError("df is empty")
    for col in [*keys, category]:
        na = df[col].isna()
        if na.any():
            raise ValueError(
                f"column {col!r} has missing values in rows {list(df.index[na])[:_MAX_LISTED]}"
            )
    if categories is None:
        cat_col = df[category]
        if isinstance(cat_col.dtype, pd.CategoricalDtype):
            categories = list(cat_col.cat.categories)
        else:
            categories = sorted(pd.unique(cat_col))
    else:
        categories = list(categories)
        if len(set(categories)) != len(categories):
            raise ValueError("categories contains duplicates")
        unknown = sorted(set(pd.unique(df[category])) - set(categories), key=str)
        if unknown:
            raise ValueError(
                f"column {category!r} has values not in categories: {unknown[:_MAX_LISTED]}"
            )
    work = df[[*keys, category]].copy()
    if weight is None:
        work["_cell"] = 1
    else:
        w = _to_float_array(df[weight], weight)
        _check_finite(w, df.index, weight)
        if (w < 0).any():
            raise ValueError(
                f"weight {weight!r} must be non-negative: {_describe(df.index, w, w < 0)}"
            )
        work["_cell"] = w
    table = work.groupby([*keys, category], observed=True, sort=True)["_cell"].sum()
    table = table.unstack(category, fill_value=0)
    table = table.reindex(columns=pd.Index(categories, name=category), fill_value=0)
    table.columns = pd.Index(categories, name=category)
    if weight is None:
        table = table.astype("int64")
    else:
        table = table.astype("float64")
    table.attrs = {}
    return table


def count_table(
    df: pd.DataFrame,
    by: str | Sequence[str],
    category: str,
    categories: Sequence[Any] | None = None,
) -> pd.DataFrame:
    r"""Project counts by group × category — the input for a chi-square test of homogeneity.

    .. math::

        n_{gk} = \#\{p : \text{group}(p) = g,\ \text{category}(p) = k\}

    Parameters
    ----------
    df : pandas.DataFrame
        One row per project.
    by : str or sequence of str
        Grouping column(s) (zone, city, round, …); rows of the result.
    category : str
        Category column (sector, stage, size class, …); columns of the result.
    categories : sequence, optional
        Full category list (absent categories become zero columns). Defaults to the categories
        of a Categorical column, else the sorted values present. Values outside the list raise.

    Returns
    -------
    pandas.DataFrame
        int64 counts; ``attrs["weight"] = None`` and ``attrs["kind"] = "count"`` mark it as a
        count table for :func:`zonestudy.compare.share_homogeneity_test`.

    References
    ----------
    metrics_spec §6.2.

    Examples
    --------
    >>> projects = pd.DataFrame({"zone": ["A", "A", "B"], "sector": ["chem", "food", "chem"]})
    >>> table = count_table(projects, "zone", "sector", categories=["chem", "food", "coal"])
    >>> table  # doctest: +NORMALIZE_WHITESPACE
    sector  chem  food  coal
    zone
    A          1     1     0
    B          1     0     0
    """
    table = _group_table(df, by, category, None, categories)
    table.attrs["weight"] = None
    table.attrs["kind"] = "count"
    return table


def weighted_table(
    df: pd.DataFrame,
    by: str | Sequence[str],
    category: str,
    weight: str,
    categories: Sequence[Any] | None = None,
) -> pd.DataFrame:
    r"""Summed amounts (e.g. investment) by group × category.

    .. math::

        x_{gk} = \sum_{p:\ \text{group}(p) = g,\ \text{category}(p) = k} w_p

    Parameters
    ----------
    df : pandas.DataFrame
        One row per project.
    by : str or sequence of str
        Grouping column(s); rows of the result.
    category : str
        Category column; columns of the result.
    weight : str
        Amount column (non-negative, e.g. ``investment_cny``); the result is in its unit.
    categories : sequence, optional
        Full category list, as in :func:`count_table`.

    Returns
    -------
    pandas.DataFrame
        float64 sums; ``attrs["weight"]`` names the weight column and ``attrs["kind"] =
        "weighted"``, so :func:`zonestudy.compare.share_homogeneity_test` refuses it even when
        every amount happens to be a whole number (metrics_spec §6.3).

    References
    ----------
    metrics_spec §4 (notation x_ik), §6.3.

    Examples
    --------
    >>> projects = pd.DataFrame({"zone": ["A", "A", "B"], "sector": ["chem", "food", "chem"],
    ...                          "investment_cny": [3e8, 1e8, 2e8]})
    >>> t = weighted_table(projects, "zone", "sector", "investment_cny")
    >>> (t / 1e8).to_dict("index"), t.attrs["weight"]
    ({'A': {'chem': 3.0, 'food': 1.0}, 'B': {'chem': 2.0, 'food': 0.0}}, 'investment_cny')
    """
    if weight is None:
        raise ValueError("weighted_table needs a weight column; use count_table for counts")
    table = _group_table(df, by, category, weight, categories)
    table.attrs["weight"] = weight
    table.attrs["kind"] = "weighted"
    return table


def structure_shares(
    df: pd.DataFrame,
    by: str | Sequence[str],
    category: str,
    weight: str | None = None,
    categories: Sequence[Any] | None = None,
) -> pd.DataFrame:
    r"""Category shares within each group (count shares, or amount-weighted shares).

    .. math::

        s_{gk} = \frac{x_{gk}}{\sum_k x_{gk}}, \qquad
        x_{gk} = \#\{p \in g,\ k\} \text{ (counts) or } \sum_{p \in g,\ k} w_p \text{ (weighted)}

    Count shares answer "how many projects", weighted shares "where the money is"; the ten
    largest projects usually drive the weighted version. Compute both and say which.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per project.
    by : str or sequence of str
        Grouping column(s); rows of the result.
    category : str
        Category column; columns of the result.
    weight : str, optional
        Amount column (non-negative); ``None`` gives count shares.
    categories : sequence, optional
        Full category list (zeros filled). Fix it when comparing groups, since HHI, entropy and
        similarity depend on it.

    Returns
    -------
    pandas.DataFrame
        Shares (0–1, float64), each row summing to 1; ``attrs["weight"]`` (column name or
        None), ``attrs["kind"] = "shares"`` and ``attrs["definition"]``.

    Raises
    ------
    ValueError
        For missing columns or values, negative weights, categories outside ``categories``, or
        a group whose total weight is zero.

    References
    ----------
    metrics_spec §4 (notation s_ik) and the general pitfall at the end of §4.

    Examples
    --------
    >>> projects = pd.DataFrame({"zone": ["A", "A", "A", "B"],
    ...                          "sector": ["chem", "chem", "food", "food"],
    ...                          "investment_cny": [1e8, 1e8, 2e8, 5e7]})
    >>> structure_shares(projects, "zone", "sector")  # doctest: +NORMALIZE_WHITESPACE
    sector      chem      food
    zone
    A       0.666667  0.333333
    B       0.000000  1.000000
    >>> structure_shares(projects, "zone", "sector", weight="investment_cny").loc["A"].tolist()
    [0.5, 0.5]
    """
    table = _group_table(df, by, category, weight, categories)
    totals = table.sum(axis=1)
    empty = totals <= 0
    if empty.any():
        raise ValueError(
            f"groups with zero total {weight!r} have undefined shares: "
            f"{list(table.index[empty])[:_MAX_LISTED]}"
        )
    shares = table.div(totals, axis=0).astype("float64")
    shares.attrs = {
        "weight": weight,
        "kind": "shares",
        "definition": (
            "count shares: projects in category / projects in group"
            if weight is None
            else f"weighted shares: sum of {weight} in category / sum of {weight} in group"
        ),
    }
    return shares


def _share_vector(shares: Any, name: str, tol: float) -> pd.Series:
    """Validate a share vector: 1-D, non-empty, finite, non-negative, sums to 1 within tol."""
    if isinstance(shares, pd.DataFrame):
        raise TypeError(f"{name} must be 1-D here, got a DataFrame")
    if not isinstance(shares, pd.Series):
        if _is_scalar(shares):
            raise TypeError(f"{name} must be a Series or array-like of shares, got {shares!r}")
        shares = pd.Series(_flat(shares))
    values = _to_float_array(shares, name)
    if len(values) == 0:
        raise ValueError(f"{name} is empty")
    _check_finite(values, shares.index, name)
    if (values < 0).any():
        bad = _describe(shares.index, values, values < 0)
        raise ValueError(f"{name} has negative shares: {bad}")
    total = float(values.sum())
    if not abs(total - 1.0) <= tol:
        raise ValueError(
            f"{name} sums to {total!r}, not 1 (tol={tol:g}); pass shares (e.g. from "
            "structure_shares) or divide by the total explicitly — nothing is renormalised here"
        )
    return pd.Series(values, index=shares.index)


def _rowwise(func, shares: Any, name: str, tol: float, **kwargs: Any) -> Any:
    if isinstance(shares, pd.DataFrame):
        if shares.empty:
            raise ValueError(f"{name} is empty")
        out = [func(_share_vector(row, f"{name} row {label!r}", tol), **kwargs)
               for label, row in shares.iterrows()]
        return pd.Series(out, index=shares.index, name=func.__name__.strip("_"), dtype="float64")
    return func(_share_vector(shares, name, tol), **kwargs)


def _n_categories(s: pd.Series, n: int | None) -> int:
    if n is None:
        return len(s)
    if not isinstance(n, Integral) or n < len(s):
        raise ValueError(
            f"n (number of categories) must be an integer ≥ the {len(s)} shares given, got {n!r}"
        )
    return int(n)


def _hhi(s: pd.Series, normalized: bool, n: int | None) -> float:
    h = float(np.sum(s.to_numpy() ** 2))
    if not normalized:
        return h
    big_n = _n_categories(s, n)
    if big_n < 2:
        raise ValueError("normalised HHI needs at least 2 categories (1 − 1/N = 0)")
    return (h - 1 / big_n) / (1 - 1 / big_n)


def hhi(
    shares: Any, normalized: bool = False, *, n: int | None = None, tol: float = SHARE_TOL
) -> Any:
    r"""Herfindahl–Hirschman index of a share vector.

    .. math::

        H = \sum_k s_k^2 \in [1/N, 1], \qquad H^* = \frac{H - 1/N}{1 - 1/N} \in [0, 1]

    on the 0–1 scale (multiply by 10 000 for shares in percent). :math:`1/H` is the
    "equivalent number of equal-sized categories".

    Parameters
    ----------
    shares : Series, array-like or DataFrame
        Shares (0–1) summing to 1 within ``tol``. A DataFrame (e.g. from
        :func:`structure_shares`) is treated row by row.
    normalized : bool
        Return :math:`H^*`. N is the number of categories: include zero-share categories (fix
        the full category list), or pass ``n``.
    n : int, optional
        Number of categories N when ``shares`` omits zero categories.
    tol : float
        Absolute tolerance on the sum of shares (default 1e-6).

    Returns
    -------
    float, or Series (one value per row) for a DataFrame.

    References
    ----------
    metrics_spec §4.4; https://www.justice.gov/atr/merger-guidelines/applying-merger-guidelines/guideline-1 ;
    Cracau & Durán Lima (2016), https://doi.org/10.18461/ijfsd.v7i4.748 .

    Examples
    --------
    >>> round(hhi([0.5, 0.3, 0.2]), 4), round(hhi([0.5, 0.3, 0.2], normalized=True), 4)
    (0.38, 0.07)
    """
    return _rowwise(_hhi, shares, "shares", tol, normalized=normalized, n=n)


def _entropy(s: pd.Series, normalized: bool, n: int | None) -> float:
    e = float(-np.sum(xlogy(s.to_numpy(), s.to_numpy())))
    e = max(e, 0.0) + 0.0  # never return -0.0
    if not normalized:
        return e
    big_n = _n_categories(s, n)
    if big_n < 2:
        raise ValueError("normalised entropy needs at least 2 categories (ln N = 0)")
    return e / math.log(big_n)


def entropy(
    shares: Any, normalized: bool = False, *, n: int | None = None, tol: float = SHARE_TOL
) -> Any:
    r"""Shannon entropy of a share vector (natural logarithm), optionally as evenness.

    .. math::

        E = -\sum_k s_k \ln s_k \in [0, \ln N] \quad (0 \ln 0 = 0), \qquad
        E^* = E / \ln N \in [0, 1]

    E is in nats; :math:`E^*` is Shannon–Weaver / Pielou evenness, a diversity measure;
    Theil's redundancy is :math:`\ln N - E`.

    Parameters
    ----------
    shares : Series, array-like or DataFrame
        Shares summing to 1 within ``tol``; a DataFrame is treated row by row.
    normalized : bool
        Return evenness :math:`E/\ln N` (N = number of categories, including zeros, or ``n``).
    n : int, optional
        Number of categories N when zero categories are omitted.
    tol : float
        Absolute tolerance on the sum of shares.

    Returns
    -------
    float, or Series for a DataFrame.

    References
    ----------
    metrics_spec §4.5; https://support.implan.com/hc/en-us/articles/115009505687-The-Shannon-Weaver-Index-of-Economic-Diversity ;
    Attaran & Zwick (1989), https://doi.org/10.1108/EUM0000000000124 .

    Examples
    --------
    >>> round(entropy([0.5, 0.3, 0.2]), 3), round(entropy([0.5, 0.3, 0.2], normalized=True), 3)
    (1.03, 0.937)
    >>> entropy([1.0, 0.0])
    0.0
    """
    return _rowwise(_entropy, shares, "shares", tol, normalized=normalized, n=n)


def similarity(
    a: Any, b: Any, method: Literal["cosine", "krugman"] = "cosine", *, tol: float = SHARE_TOL
) -> float:
    r"""Similarity (cosine) or dissimilarity (Krugman) of two share vectors.

    The vectors are aligned on the union of their categories; a category missing from one
    vector counts as share 0 there. Both must already be shares (sum 1 within ``tol``);
    nothing is renormalised.

    * ``"cosine"`` — structural similarity coefficient (产业结构相似系数, UNIDO):

      .. math:: S_{ab} = \frac{\sum_k a_k b_k}{\sqrt{\sum_k a_k^2 \sum_k b_k^2}} \in [0, 1]

      (1 = identical structure, 0 = no common category).
    * ``"krugman"`` — Krugman specialisation (dissimilarity) index:

      .. math:: K_{ab} = \sum_k |a_k - b_k| \in [0, 2]

      (0 = identical, 2 = no common category). Some authors halve it to 0–1, the share of
      activity that would have to move; divide by 2 for that version.

    Parameters
    ----------
    a, b : Series or array-like
        Share vectors. Series are aligned on their labels; plain arrays positionally (and must
        then have equal length). Do not mix a Series with a plain array.
    method : {"cosine", "krugman"}
    tol : float
        Absolute tolerance on the sum of each vector.

    Returns
    -------
    float

    References
    ----------
    metrics_spec §4.1 (UNIDO cosine) and §4.2 (Krugman 1991, *Geography and Trade*, p. 76;
    http://fmwww.bc.edu/repec/bocode/k/ksi.hlp ;
    https://search.r-project.org/CRAN/refmans/EconGeo/html/krugman_index.html).

    Examples
    --------
    >>> a = pd.Series({"coal": 0.5, "chem": 0.3, "food": 0.2})
    >>> b = pd.Series({"coal": 0.2, "chem": 0.3, "food": 0.5})
    >>> round(similarity(a, b), 3), round(similarity(a, b, "krugman"), 2)
    (0.763, 0.6)
    >>> similarity(pd.Series({"coal": 1.0}), pd.Series({"food": 1.0}), "krugman")
    2.0
    """
    if method not in ("cosine", "krugman"):
        raise ValueError(f"method must be 'cosine' or 'krugman', got {method!r}")
    if isinstance(a, pd.Series) != isinstance(b, pd.Series):
        raise TypeError("pass both share vectors as Series (aligned on labels) or both as arrays")
    if not isinstance(a, pd.Series):
        if len(_flat(a)) != len(_flat(b)):
            raise ValueError("array share vectors must have equal length; use labelled Series")
    sa = _share_vector(a, "a", tol)
    sb = _share_vector(b, "b", tol)
    for s, name in ((sa, "a"), (sb, "b")):
        if s.index.has_duplicates:
            raise ValueError(f"{name} has duplicate category labels")
    union = sa.index.union(sb.index, sort=False)
    va = sa.reindex(union, fill_value=0.0).to_numpy()
    vb = sb.reindex(union, fill_value=0.0).to_numpy()
    if method == "krugman":
        return float(np.abs(va - vb).sum())
    value = float(va @ vb / math.sqrt(float(va @ va) * float(vb @ vb)))
    return min(max(value, 0.0), 1.0)


def location_quotient(shares: Any, reference: Any, *, tol: float = SHARE_TOL) -> Any:
    r"""Location quotient (区位熵) of regional shares against a reference economy.

    .. math::

        LQ_{ik} = \frac{s_{ik}}{s_{rk}} = \frac{x_{ik}/x_{i\cdot}}{x_{rk}/x_{r\cdot}}

    > 1: category k is over-represented in region i relative to the reference r. With project
    counts of 1–3 per category an LQ is noise; state the reference (and whether it contains
    the region).

    Parameters
    ----------
    shares : DataFrame or Series
        Regional shares, rows = regions, columns = categories (each row sums to 1), or one
        region as a Series.
    reference : Series
        Reference shares by category (sums to 1). Categories are aligned on the union; a
        category missing from a region has share 0 there.
    tol : float
        Absolute tolerance on sums of shares.

    Returns
    -------
    DataFrame or Series
        Location quotients (dimensionless), same shape as ``shares`` over the union of
        categories.

    Raises
    ------
    ValueError
        If the reference share of any category is zero (LQ undefined) or shares are invalid.

    References
    ----------
    metrics_spec §4.3; https://www.bea.gov/help/faq/478 ;
    https://support.implan.com/hc/en-us/articles/360051560773-Location-Quotient

    Examples
    --------
    >>> zone = pd.Series({"coal": 30, "chem": 50, "food": 20}) / 100
    >>> province = pd.Series({"coal": 200, "chem": 1000, "food": 800}) / 2000
    >>> location_quotient(zone, province).round(2).to_dict()
    {'coal': 3.0, 'chem': 1.0, 'food': 0.5}
    """
    if not isinstance(reference, pd.Series):
        raise TypeError("reference must be a Series of shares labelled by category")
    ref = _share_vector(reference, "reference", tol)
    if isinstance(shares, pd.Series):
        frame, single = shares.to_frame().T, True
    elif isinstance(shares, pd.DataFrame):
        frame, single = shares, False
    else:
        raise TypeError("shares must be a DataFrame (rows = regions) or a Series")
    if frame.empty:
        raise ValueError("shares is empty")
    rows = [_share_vector(row, f"shares row {label!r}", tol) for label, row in frame.iterrows()]
    union = pd.Index(frame.columns).union(ref.index, sort=False)
    ref_u = ref.reindex(union, fill_value=0.0)
    zero = ref_u <= 0
    if zero.any():
        raise ValueError(
            f"reference share is zero for {list(union[zero.to_numpy()])[:_MAX_LISTED]}; "
            "the location quotient is undefined there (drop or merge those categories)"
        )
    values = np.vstack([r.reindex(union, fill_value=0.0).to_numpy() for r in rows])
    out = pd.DataFrame(values / ref_u.to_numpy(), index=frame.index, columns=union)
    if single:
        return out.iloc[0].rename(shares.name)
    return out


def gini(values: Any, *, corrected: bool = False) -> float:
    r"""Gini coefficient of non-negative values (e.g. project sizes), mean-absolute-difference form.

    .. math::

        G = \frac{\sum_{i=1}^n \sum_{j=1}^n |y_i - y_j|}{2 n^2 \bar y}
          = \frac{2 \sum_i i\, y_{(i)}}{n \sum_i y_i} - \frac{n+1}{n}

    (y₍ᵢ₎ sorted ascending). G ∈ [0, (n−1)/n]: 0 when all values are equal, (n−1)/n when one
    project holds everything. ``corrected=True`` multiplies by n/(n−1) (the sample version,
    range 0–1); with n < 10 report both.

    Parameters
    ----------
    values : Series or array-like
        Non-negative finite values, not all zero. The unit does not matter (scale-invariant).
    corrected : bool
        Apply the n/(n−1) small-sample factor (needs n ≥ 2).

    Returns
    -------
    float

    References
    ----------
    metrics_spec §4.6; https://mathworld.wolfram.com/GiniCoefficient.html ;
    https://stats.stackexchange.com/questions/306040

    Examples
    --------
    >>> sizes_yi = [0.5, 1, 2, 3, 20]  # 亿元
    >>> round(gini(sizes_yi), 3), round(gini(sizes_yi, corrected=True), 3)
    (0.619, 0.774)
    >>> gini([0, 0, 0, 1])  # (n - 1)/n
    0.75
    """
    if _is_scalar(values) or isinstance(values, pd.DataFrame):
        raise TypeError("values must be a Series or 1-D array-like")
    series = values if isinstance(values, pd.Series) else pd.Series(_flat(values))
    y = _to_float_array(series, "values")
    if len(y) == 0:
        raise ValueError("values is empty")
    _check_finite(y, series.index, "values")
    if (y < 0).any():
        raise ValueError(f"values must be non-negative: {_describe(series.index, y, y < 0)}")
    total = float(y.sum())
    if total <= 0:
        raise ValueError("all values are zero; the Gini coefficient is undefined")
    n = len(y)
    ranks = np.arange(1, n + 1)
    g = float(2 * np.sum(ranks * np.sort(y)) / (n * total) - (n + 1) / n)
    g = min(max(g, 0.0), 1.0)
    if corrected:
        if n < 2:
            raise ValueError("the corrected Gini needs at least 2 values")
        g = g * n / (n - 1)
    return g


# --- 3. land ----------------------------------------------------------------------------------


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
