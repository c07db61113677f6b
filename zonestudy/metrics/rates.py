"""Rates: cohort rates with intervals, flow ratios, plan attainment, and numerator inference.

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
from decimal import Decimal
from fractions import Fraction
from numbers import Integral, Real
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from zonestudy.metrics._input import (
    MAX_LISTED as _MAX_LISTED,
    align as _align,
    check_alpha as _check_alpha,
    check_counts as _check_counts,
    check_finite as _check_finite,
    describe as _describe,
    is_scalar as _is_scalar,
    to_float_array as _to_float_array,
)

__all__ = [
    "CI_METHODS",
    "DiffCI",
    "cohort_rate",
    "flow_ratio",
    "plan_attainment",
    "proportion_ci",
    "diff_ci",
    "infer_cohort_numerator",
    "cohort_numerator_candidates",
    "reproduces",
]

CI_METHODS: tuple[str, ...] = ("wilson", "beta", "jeffreys", "agresti_coull")
"""Interval methods accepted by :func:`proportion_ci` (the Wald interval is deliberately absent)."""

CIMethod = Literal["wilson", "beta", "jeffreys", "agresti_coull"]


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
