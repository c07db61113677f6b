"""Tests for comparing the structure of projects across zones, cities or rounds.

Two tests, for two kinds of table (metrics_spec §6.2–6.3):

* :func:`share_homogeneity_test` — Pearson chi-square test of homogeneity on a table of
  **project counts** (build it with :func:`zonestudy.metrics.count_table`). It refuses
  investment-weighted tables: Pearson's statistic is not scale-invariant, so the same shares in
  亿元 or 万元 give arbitrarily different p-values.
* :func:`weighted_structure_test` — permutation test on **project-level** data that reshuffles
  projects between two groups; the valid test for investment-weighted structures (and a
  small-sample alternative for count structures).

References
----------
``docs/metrics_spec.md`` §6.2 and §6.3.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from zonestudy.metrics import structure_shares

__all__ = [
    "SmallExpectedCountWarning",
    "HomogeneityResult",
    "PermutationResult",
    "share_homogeneity_test",
    "weighted_structure_test",
]


class SmallExpectedCountWarning(UserWarning):
    """Some expected cell counts of a chi-square test are below the chosen minimum.

    The chi-square approximation to the p-value is then unreliable: merge sparse categories,
    or use :func:`weighted_structure_test` with ``weight=None`` on project-level data.
    """


@dataclass(frozen=True, eq=False)
class HomogeneityResult:
    """Result of :func:`share_homogeneity_test`.

    Attributes
    ----------
    statistic : float
        Pearson's chi-square statistic.
    pvalue : float
        p-value from the chi-square distribution with ``dof`` degrees of freedom.
    dof : int
        Degrees of freedom (R − 1)(C − 1) of the tested table (after dropping empty rows and
        columns).
    n : int
        Total number of projects in the table.
    min_expected : float
        Smallest expected cell count under homogeneity.
    expected : pandas.DataFrame
        Expected counts under homogeneity (same labels as the tested table).
    observed : pandas.DataFrame
        The tested table (after dropping empty rows and columns).
    dropped_rows, dropped_columns : tuple
        Labels of all-zero groups and categories removed before testing.
    correction : bool
        Whether Yates' continuity correction was applied (only ever for 1 degree of freedom).
    """

    statistic: float
    pvalue: float
    dof: int
    n: int
    min_expected: float
    expected: pd.DataFrame = field(repr=False)
    observed: pd.DataFrame = field(repr=False)
    dropped_rows: tuple = ()
    dropped_columns: tuple = ()
    correction: bool = False


@dataclass(frozen=True, eq=False)
class PermutationResult:
    """Result of :func:`weighted_structure_test`.

    Attributes
    ----------
    statistic : float
        Observed distance between the two groups' share vectors.
    pvalue : float
        Share of permutations (including the observed labelling) with a distance at least as
        large; exact when ``exact`` is True.
    statistic_name : str
        ``"krugman"`` (Σ|a − b|, 0–2) or ``"cosine"`` (1 − cosine similarity, 0–1).
    weight : str or None
        Weight column (None = count shares).
    groups : tuple
        The two group labels, in the row order of ``shares``.
    n_projects : tuple of int
        Projects per group.
    n_resamples : int
        Number of permutations evaluated (all distinct ones if ``exact``).
    exact : bool
        True if every distinct reassignment of projects was enumerated.
    shares : pandas.DataFrame
        Observed shares, rows = groups, columns = categories.
    null_distribution : numpy.ndarray
        Statistic under each permutation.
    """

    statistic: float
    pvalue: float
    statistic_name: str
    weight: str | None
    groups: tuple
    n_projects: tuple
    n_resamples: int
    exact: bool
    shares: pd.DataFrame = field(repr=False)
    null_distribution: np.ndarray = field(repr=False)


_NOT_COUNTS = (
    "share_homogeneity_test needs a table of project counts. Pearson's chi-square statistic "
    "assumes each cell counts independent units and is not scale-invariant: multiplying every "
    "cell by c multiplies the statistic by c, so the same investment shares expressed in 亿元, "
    "万元 or 元 give arbitrarily different p-values — one 30亿元 project is one unit, not 30 "
    "(metrics_spec §6.3). Build counts with zonestudy.metrics.count_table, or test weighted "
    "structures with weighted_structure_test on project-level data."
)


def _validated_counts(counts: Any) -> pd.DataFrame:
    if isinstance(counts, pd.DataFrame):
        attrs = counts.attrs
        if attrs.get("weight") is not None or attrs.get("kind") in {"weighted", "shares"}:
            raise TypeError(
                f"the table is marked as {attrs.get('kind') or 'weighted'} "
                f"(attrs['weight']={attrs.get('weight')!r}); integer-valued amounts cannot be told "
                f"apart from counts by their dtype, so such tables are refused. {_NOT_COUNTS}"
            )
        table = counts
    else:
        table = pd.DataFrame(np.asarray(counts))
    if table.empty:
        raise ValueError("the count table is empty")
    for col in table.columns:
        dtype = table[col].dtype
        if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_integer_dtype(dtype):
            if pd.api.types.is_float_dtype(dtype):
                values = table[col].to_numpy(dtype=float, na_value=np.nan)
                finite = values[np.isfinite(values)]
                if np.all(finite == np.round(finite)):
                    raise TypeError(
                        f"column {col!r} has float dtype. If these are project counts, check "
                        "and convert them explicitly with .astype('int64'). " + _NOT_COUNTS
                    )
                raise TypeError(f"column {col!r} has non-integer cells. " + _NOT_COUNTS)
            raise TypeError(f"column {col!r} has dtype {dtype}, not integer counts. " + _NOT_COUNTS)
    if table.isna().to_numpy().any():
        raise ValueError("the count table has missing cells")
    values = table.to_numpy(dtype="int64")
    if (values < 0).any():
        rows, cols = np.nonzero(values < 0)
        cells = [f"({table.index[r]!r}, {table.columns[c]!r})" for r, c in zip(rows, cols)]
        raise ValueError(f"counts must be non-negative; negative cells: {', '.join(cells[:10])}")
    return pd.DataFrame(values, index=table.index, columns=table.columns)


def share_homogeneity_test(
    counts: pd.DataFrame, *, min_expected: float = 5.0, correction: bool = False
) -> HomogeneityResult:
    r"""Chi-square test that several groups share the same category distribution (counts only).

    Pearson's statistic on an R × C table of project counts :math:`O_{gk}` (rows = groups such
    as zones, columns = categories such as sectors):

    .. math::

        E_{gk} = \frac{O_{g\cdot}\, O_{\cdot k}}{O_{\cdot\cdot}}, \qquad
        X^2 = \sum_{g,k} \frac{(O_{gk} - E_{gk})^2}{E_{gk}}
        \sim \chi^2_{(R-1)(C-1)}

    Parameters
    ----------
    counts : pandas.DataFrame
        Integer project counts (e.g. from :func:`zonestudy.metrics.count_table`). Refused with
        ``TypeError``: float or other non-integer columns, and any table whose
        ``attrs["weight"]`` is set or whose ``attrs["kind"]`` is ``"weighted"``/``"shares"``
        (as produced by :func:`zonestudy.metrics.weighted_table` and
        :func:`zonestudy.metrics.structure_shares`). Amounts that happen to be whole numbers
        (e.g. investment in whole 亿元) cannot be detected from the dtype — that is what the
        ``attrs`` marker is for; do not feed amounts built by other means.
    min_expected : float
        Warn with :class:`SmallExpectedCountWarning` if any expected count is below this
        (rule of thumb: 5).
    correction : bool
        Yates' continuity correction, passed to :func:`scipy.stats.chi2_contingency`, which
        applies it only when dof = 1. Off by default so that 2 × 2 and larger tables are
        computed the same way and results match the plain Pearson statistic of metrics_spec
        §6.2.

    Returns
    -------
    HomogeneityResult
        ``statistic``, ``pvalue``, ``dof``, ``n``, ``min_expected``, ``expected`` (DataFrame),
        ``observed``, ``dropped_rows``, ``dropped_columns``, ``correction``.

    Raises
    ------
    TypeError
        For weighted, share or non-integer tables (see above).
    ValueError
        For negative or missing counts, or fewer than 2 non-empty rows or columns.

    Notes
    -----
    All-zero rows (groups without projects) and all-zero columns (categories no group has)
    carry no information and make expected counts zero; they are dropped before testing and
    listed in ``dropped_rows``/``dropped_columns``, and ``dof`` refers to the reduced table.

    The projects are typically a census, not a sample; the p-value then speaks about the
    propensities that generated the projects (a super-population view), as for the intervals
    of :func:`zonestudy.metrics.proportion_ci`.

    References
    ----------
    metrics_spec §6.2 (worked example) and §6.3 (why amounts cannot be tested this way);
    https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.chi2_contingency.html

    Examples
    --------
    Zone A has (10, 6, 4) projects in three sectors, zone B (3, 5, 12):

    >>> table = pd.DataFrame({"coal": [10, 3], "chem": [6, 5], "food": [4, 12]},
    ...                      index=pd.Index(["A", "B"], name="zone"))
    >>> res = share_homogeneity_test(table)
    >>> round(res.statistic, 2), res.dof, round(res.pvalue, 3), res.min_expected
    (7.86, 2, 0.02, 5.5)
    """
    table = _validated_counts(counts)
    if not (isinstance(min_expected, (int, float)) and min_expected >= 0):
        raise ValueError(f"min_expected must be a non-negative number, got {min_expected!r}")
    zero_rows = table.index[(table.sum(axis=1) == 0).to_numpy()]
    zero_cols = table.columns[(table.sum(axis=0) == 0).to_numpy()]
    table = table.drop(index=zero_rows, columns=zero_cols)
    if table.shape[0] < 2 or table.shape[1] < 2:
        raise ValueError(
            f"need at least 2 non-empty groups and 2 non-empty categories, got a "
            f"{table.shape[0]} × {table.shape[1]} table after dropping empty rows "
            f"{list(zero_rows)} and columns {list(zero_cols)}"
        )
    result = stats.chi2_contingency(table.to_numpy(), correction=bool(correction))
    expected = pd.DataFrame(result.expected_freq, index=table.index, columns=table.columns)
    smallest = float(expected.to_numpy().min())
    if smallest < min_expected:
        n_small = int((expected.to_numpy() < min_expected).sum())
        warnings.warn(
            f"{n_small} of {expected.size} expected counts are below {min_expected:g} "
            f"(smallest {smallest:.3g}); the chi-square p-value is unreliable — merge sparse "
            "categories or use weighted_structure_test(..., weight=None) on project-level data",
            SmallExpectedCountWarning,
            stacklevel=2,
        )
    return HomogeneityResult(
        statistic=float(result.statistic),
        pvalue=float(result.pvalue),
        dof=int(result.dof),
        n=int(table.to_numpy().sum()),
        min_expected=smallest,
        expected=expected,
        observed=table,
        dropped_rows=tuple(zero_rows),
        dropped_columns=tuple(zero_cols),
        correction=bool(correction) and int(result.dof) == 1,
    )


def weighted_structure_test(
    df: pd.DataFrame,
    group: str,
    category: str,
    weight: str | None,
    statistic: Literal["krugman", "cosine"] = "krugman",
    n_resamples: int = 9999,
    seed: int | None = 0,
) -> PermutationResult:
    r"""Permutation test that two groups of projects have the same (weighted) category structure.

    Statistic on the weighted shares :math:`s_{gk} = \sum_{p \in g, k} w_p / \sum_{p \in g} w_p`
    of the two groups a and b:

    .. math::

        K = \sum_k |s_{ak} - s_{bk}| \quad (\text{"krugman"}), \qquad
        D = 1 - \frac{\sum_k s_{ak} s_{bk}}{\lVert s_a \rVert \lVert s_b \rVert}
        \quad (\text{"cosine"})

    The null distribution comes from reassigning the projects (with their category and
    weight) to the two groups at random, keeping the group sizes; the p-value is the share of
    reassignments with a distance at least as large as observed (one-sided: larger = more
    different). Because the unit of resampling is the project, a 30 亿元 project counts once,
    and the result does not depend on the money unit — this is the valid test for
    investment-weighted structures, where chi-square is not (metrics_spec §6.3).

    It needs **project-level data** (one row per project); a table of summed amounts cannot be
    tested. With ``weight=None`` the shares are count shares, giving a small-sample
    alternative to :func:`share_homogeneity_test`.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per project.
    group : str
        Column with exactly two distinct groups (filter the frame to the pair to compare).
    category : str
        Category column (sector, size class, …).
    weight : str or None
        Amount column (strictly positive, e.g. ``investment_cny``), or None for counts.
    statistic : {"krugman", "cosine"}
        Distance between the two share vectors.
    n_resamples : int
        Random reassignments; if the number of distinct reassignments C(n, n_a) is not
        larger, all are enumerated and the test is exact.
    seed : int or None
        Seed of the random generator, for reproducible p-values.

    Returns
    -------
    PermutationResult
        ``statistic``, ``pvalue``, ``statistic_name``, ``weight``, ``groups``, ``n_projects``,
        ``n_resamples``, ``exact``, ``shares`` (DataFrame), ``null_distribution``.

    Raises
    ------
    ValueError
        If ``group`` does not have exactly two groups, columns or values are missing, or
        weights are not strictly positive.

    References
    ----------
    metrics_spec §6.3 (permutation over projects with the Krugman distance; illustration 8 vs 7
    projects, observed K = 1.53); metrics_spec §4.1–4.2 for the distances;
    https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.permutation_test.html

    Examples
    --------
    >>> projects = pd.DataFrame({
    ...     "zone": ["A"] * 4 + ["B"] * 4,
    ...     "sector": ["coal", "coal", "coal", "chem", "chem", "chem", "chem", "coal"],
    ...     "investment_cny": [5e8, 4e8, 3e8, 1e8, 6e8, 2e8, 2e8, 1e8]})
    >>> res = weighted_structure_test(projects, "zone", "sector", "investment_cny")
    >>> round(res.statistic, 3), res.exact, res.n_resamples, round(res.pvalue, 3)
    (1.664, True, 70, 0.057)
    """
    if statistic not in ("krugman", "cosine"):
        raise ValueError(f"statistic must be 'krugman' or 'cosine', got {statistic!r}")
    if not isinstance(n_resamples, (int, np.integer)) or n_resamples < 1:
        raise ValueError(f"n_resamples must be a positive integer, got {n_resamples!r}")
    if not isinstance(df, pd.DataFrame):
        raise TypeError("weighted_structure_test needs project-level data as a DataFrame")
    needed = [group, category] + ([weight] if weight is not None else [])
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise ValueError(f"df has no column(s) {missing}; columns are {list(df.columns)}")
    labels = pd.unique(df[group].dropna())
    if df[group].isna().any() or len(labels) != 2:
        raise ValueError(
            f"column {group!r} must hold exactly two groups without missing values, found "
            f"{list(labels)[:10]}; filter the frame to the pair you want to compare"
        )
    # Shares of the observed groups (also validates categories and weights).
    shares = structure_shares(df, group, category, weight=weight)
    if weight is not None:
        w = df[weight].to_numpy(dtype=float)
        if (w <= 0).any():
            bad = list(df.index[w <= 0])[:10]
            raise ValueError(
                f"weights must be strictly positive for the permutation test; rows {bad} are not"
            )
    else:
        w = np.ones(len(df))
    categories = list(shares.columns)
    codes = pd.Categorical(df[category], categories=categories).codes
    onehot = np.zeros((len(df), len(categories)))
    onehot[np.arange(len(df)), codes] = w
    is_first = (df[group] == shares.index[0]).to_numpy()
    first, second = np.flatnonzero(is_first), np.flatnonzero(~is_first)

    def distance(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
        x = np.moveaxis(np.asarray(x), axis, -1).astype(np.intp)
        y = np.moveaxis(np.asarray(y), axis, -1).astype(np.intp)
        sx = onehot[x].sum(axis=-2)
        sy = onehot[y].sum(axis=-2)
        sx = sx / sx.sum(axis=-1, keepdims=True)
        sy = sy / sy.sum(axis=-1, keepdims=True)
        if statistic == "krugman":
            return np.abs(sx - sy).sum(axis=-1)
        cos = (sx * sy).sum(axis=-1) / np.sqrt((sx**2).sum(axis=-1) * (sy**2).sum(axis=-1))
        return 1.0 - np.clip(cos, 0.0, 1.0)

    batch = max(1, int(4_000_000 // (len(df) * len(categories))))
    res = stats.permutation_test(
        (first, second),
        distance,
        permutation_type="independent",
        vectorized=True,
        n_resamples=int(n_resamples),
        batch=batch,
        alternative="greater",
        rng=np.random.default_rng(seed),
    )
    n_distinct = math.comb(len(df), len(first))
    exact = int(n_resamples) >= n_distinct
    return PermutationResult(
        statistic=float(res.statistic),
        pvalue=float(res.pvalue),
        statistic_name=statistic,
        weight=weight,
        groups=tuple(shares.index),
        n_projects=(len(first), len(second)),
        n_resamples=len(res.null_distribution),
        exact=exact,
        shares=shares,
        null_distribution=np.asarray(res.null_distribution),
    )
