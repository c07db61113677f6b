"""Structure and concentration: average size, count and weighted tables, shares, HHI, entropy, Gini.

Shares are validated, never renormalised: a share vector must be non-negative and sum to 1 within
``tol`` (default :data:`SHARE_TOL`).

References
----------
``docs/metrics_spec.md`` (the project's metric specification), sections cited in each
function's docstring.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import xlogy

from zonestudy.metrics._input import (
    SHARE_TOL,
    MAX_LISTED as _MAX_LISTED,
    align as _align,
    check_counts as _check_counts,
    check_finite as _check_finite,
    describe as _describe,
    is_scalar as _is_scalar,
    to_float_array as _to_float_array,
    flat as _flat,
    rowwise as _rowwise,
)

__all__ = [
    "SHARE_TOL",
    "average_size",
    "count_table",
    "weighted_table",
    "structure_shares",
    "hhi",
    "entropy",
    "gini",
]

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
