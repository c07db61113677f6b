"""Tests for zonestudy.compare: chi-square on counts only, permutation test for weighted structures.

Reference numbers come from docs/metrics_spec.md §6.2–6.3.
"""

from __future__ import annotations

import math
import warnings
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from zonestudy import compare as c
from zonestudy import metrics as m


@pytest.fixture
def spec_counts():
    """metrics_spec §6.2: zone A (10, 6, 4) vs zone B (3, 5, 12) projects in three sectors."""
    return pd.DataFrame(
        {"coal": [10, 3], "chem": [6, 5], "food": [4, 12]},
        index=pd.Index(["A", "B"], name="zone"),
    )


@pytest.fixture
def illustration():
    """Project-level data matching metrics_spec §6.3: 8 vs 7 projects, counts (3,2,3)/(1,2,4),
    investment (45,7,4)/(2,11,42) 亿元. The split of each cell into projects is illustrative."""
    cells = {
        ("A", "s1"): [20, 15, 10],
        ("A", "s2"): [4, 3],
        ("A", "s3"): [2, 1, 1],
        ("B", "s1"): [2],
        ("B", "s2"): [6, 5],
        ("B", "s3"): [20, 10, 7, 5],
    }
    rows = [(z, s, v) for (z, s), vs in cells.items() for v in vs]
    df = pd.DataFrame(rows, columns=["zone", "sector", "investment_yi"])
    df["investment_cny"] = df["investment_yi"] * 1e8
    return df


# --- chi-square test of homogeneity ------------------------------------------------------------


def test_spec_chi_square_example(spec_counts):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # all expected counts ≥ 5.5: no warning
        res = c.share_homogeneity_test(spec_counts)
    assert round(res.statistic, 2) == 7.86
    assert res.dof == 2
    assert round(res.pvalue, 3) == 0.020
    assert res.min_expected == pytest.approx(5.5)
    assert res.n == 40
    assert res.correction is False
    assert list(res.expected.columns) == ["coal", "chem", "food"]
    assert res.expected.index.equals(spec_counts.index)
    assert res.expected.loc["A"].tolist() == pytest.approx([6.5, 5.5, 8.0])
    ref = stats.chi2_contingency(spec_counts.to_numpy(), correction=False)
    assert res.statistic == pytest.approx(ref.statistic)
    assert res.pvalue == pytest.approx(ref.pvalue)


def test_spec_chi_square_by_hand(spec_counts):
    obs = spec_counts.to_numpy(dtype=float)
    exp = obs.sum(axis=1, keepdims=True) * obs.sum(axis=0, keepdims=True) / obs.sum()
    x2 = ((obs - exp) ** 2 / exp).sum()
    res = c.share_homogeneity_test(spec_counts)
    assert res.statistic == pytest.approx(x2)
    assert res.pvalue == pytest.approx(stats.chi2.sf(x2, 2))


def test_count_table_passes(illustration):
    counts = m.count_table(illustration, "zone", "sector")
    with pytest.warns(c.SmallExpectedCountWarning, match="below 5"):
        res = c.share_homogeneity_test(counts)
    assert round(res.pvalue, 2) == 0.58  # metrics_spec §6.3: tiny counts, nothing to see
    assert res.n == 15


def test_no_warning_when_threshold_met(illustration):
    counts = m.count_table(illustration, "zone", "sector")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c.share_homogeneity_test(counts, min_expected=1.0)


def test_small_expected_count_warning_is_a_user_warning():
    assert issubclass(c.SmallExpectedCountWarning, UserWarning)


def test_weighted_table_refused_even_if_integer_valued(illustration):
    # (45, 7, 4) / (2, 11, 42) 亿元 — all whole numbers, yet amounts, not counts
    amounts = m.weighted_table(illustration, "zone", "sector", "investment_yi")
    assert (amounts.to_numpy() == np.round(amounts.to_numpy())).all()
    with pytest.raises(TypeError, match="not scale-invariant"):
        c.share_homogeneity_test(amounts)
    # converting the dtype does not launder the table: attrs travel with it
    as_int = amounts.astype("int64")
    assert as_int.attrs["weight"] == "investment_yi"
    with pytest.raises(TypeError, match="one 30亿元 project is one unit"):
        c.share_homogeneity_test(as_int)


def test_share_table_refused(illustration):
    shares = m.structure_shares(illustration, "zone", "sector")
    with pytest.raises(TypeError, match="shares"):
        c.share_homogeneity_test(shares)


def test_float_cells_refused(spec_counts):
    with pytest.raises(TypeError, match="non-integer cells"):
        c.share_homogeneity_test(spec_counts * 1.5)
    with pytest.raises(TypeError, match="astype"):
        c.share_homogeneity_test(spec_counts.astype(float))
    with pytest.raises(TypeError, match="not integer counts"):
        c.share_homogeneity_test(spec_counts.astype(str))
    with pytest.raises(TypeError):
        c.share_homogeneity_test(np.array([[4.5, 2.0], [3.0, 1.0]]))


def test_why_amounts_cannot_go_into_chi_square(illustration):
    """The motivation of the TypeError (metrics_spec §6.3): the p-value depends on the unit."""
    yi = m.weighted_table(illustration, "zone", "sector", "investment_yi").to_numpy()
    p_yi = stats.chi2_contingency(yi, correction=False).pvalue
    p_wan = stats.chi2_contingency(yi * 1e4, correction=False).pvalue
    p_counts = c.share_homogeneity_test(m.count_table(illustration, "zone", "sector"), min_expected=0).pvalue
    assert p_yi < 1e-14 and p_wan < p_yi and p_counts > 0.5
    scaled = stats.chi2_contingency(yi * 3, correction=False).statistic
    assert scaled == pytest.approx(3 * stats.chi2_contingency(yi, correction=False).statistic)


def test_invalid_counts(spec_counts):
    neg = spec_counts.copy()
    neg.loc["A", "coal"] = -1
    with pytest.raises(ValueError, match=r"negative cells: \('A', 'coal'\)"):
        c.share_homogeneity_test(neg)
    with pytest.raises(ValueError, match="missing"):
        c.share_homogeneity_test(spec_counts.astype("Int64").mask(spec_counts == 3))
    with pytest.raises(ValueError, match="empty"):
        c.share_homogeneity_test(pd.DataFrame())
    with pytest.raises(ValueError, match="at least 2 non-empty groups"):
        c.share_homogeneity_test(spec_counts.iloc[:1])


def test_empty_rows_and_columns_are_dropped_and_reported(spec_counts):
    padded = spec_counts.assign(textile=0)
    padded.loc["C"] = 0
    padded = padded.astype("int64")
    res = c.share_homogeneity_test(padded)
    assert res.dropped_rows == ("C",)
    assert res.dropped_columns == ("textile",)
    assert res.dof == 2
    assert res.statistic == pytest.approx(c.share_homogeneity_test(spec_counts).statistic)
    assert list(res.observed.columns) == ["coal", "chem", "food"]


def test_yates_correction_only_on_request():
    table = pd.DataFrame({"x": [12, 5], "y": [8, 15]})
    plain = c.share_homogeneity_test(table)
    yates = c.share_homogeneity_test(table, correction=True)
    assert plain.statistic == pytest.approx(stats.chi2_contingency(table, correction=False).statistic)
    assert yates.statistic == pytest.approx(stats.chi2_contingency(table, correction=True).statistic)
    assert yates.statistic < plain.statistic
    assert yates.correction is True and plain.correction is False


def test_result_repr_is_short(spec_counts):
    text = repr(c.share_homogeneity_test(spec_counts))
    assert "statistic=" in text and ", expected=" not in text and "observed=" not in text


# --- permutation test for weighted structures --------------------------------------------------


def test_spec_permutation_illustration(illustration):
    res = c.weighted_structure_test(illustration, "zone", "sector", "investment_cny")
    assert round(res.statistic, 2) == 1.53  # observed Krugman distance, metrics_spec §6.3
    assert res.exact and res.n_resamples == math.comb(15, 8)
    assert 0.01 < res.pvalue < 0.05  # spec: p ≈ 0.04 for its own split of the cells
    assert res.groups == ("A", "B") and res.n_projects == (8, 7)
    assert res.shares.loc["A"].tolist() == pytest.approx([45 / 56, 7 / 56, 4 / 56])
    assert res.weight == "investment_cny" and res.statistic_name == "krugman"


def test_permutation_test_is_unit_invariant(illustration):
    yuan = c.weighted_structure_test(illustration, "zone", "sector", "investment_cny")
    yi = c.weighted_structure_test(illustration, "zone", "sector", "investment_yi")
    assert yuan.pvalue == pytest.approx(yi.pvalue)
    assert yuan.statistic == pytest.approx(yi.statistic)


def test_exact_p_value_by_enumeration():
    df = pd.DataFrame(
        {
            "zone": ["A"] * 3 + ["B"] * 4,
            "sector": ["x", "x", "y", "y", "y", "x", "y"],
            "w": [5.0, 3.0, 1.0, 4.0, 2.0, 1.0, 2.0],
        }
    )
    onehot = pd.get_dummies(df["sector"]).to_numpy(dtype=float) * df["w"].to_numpy()[:, None]

    def krugman(idx_a):
        idx_b = [i for i in range(len(df)) if i not in idx_a]
        sa = onehot[list(idx_a)].sum(axis=0)
        sb = onehot[idx_b].sum(axis=0)
        return np.abs(sa / sa.sum() - sb / sb.sum()).sum()

    observed = krugman((0, 1, 2))
    null = np.array([krugman(idx) for idx in combinations(range(len(df)), 3)])
    expected_p = np.mean(null >= observed - 1e-12)
    res = c.weighted_structure_test(df, "zone", "sector", "w")
    assert res.exact
    assert res.statistic == pytest.approx(observed)
    assert res.pvalue == pytest.approx(expected_p)


def test_cosine_statistic_and_counts(illustration):
    cos = c.weighted_structure_test(illustration, "zone", "sector", "investment_cny", statistic="cosine")
    shares = m.structure_shares(illustration, "zone", "sector", weight="investment_cny")
    assert cos.statistic == pytest.approx(1 - m.similarity(shares.loc["A"], shares.loc["B"]))
    counts = c.weighted_structure_test(illustration, "zone", "sector", None)
    assert counts.weight is None
    assert counts.pvalue > 0.5


def test_random_permutations_are_reproducible():
    rng = np.random.default_rng(1)
    n = 60
    df = pd.DataFrame(
        {
            "zone": np.repeat(["A", "B"], n // 2),
            "sector": rng.choice(["coal", "chem", "food", "tech"], size=n),
            "investment_cny": rng.lognormal(18, 1.5, size=n),
        }
    )
    r1 = c.weighted_structure_test(df, "zone", "sector", "investment_cny", n_resamples=499, seed=7)
    r2 = c.weighted_structure_test(df, "zone", "sector", "investment_cny", n_resamples=499, seed=7)
    assert not r1.exact and r1.n_resamples == 499
    assert r1.pvalue == r2.pvalue
    assert (r1.null_distribution == r2.null_distribution).all()
    assert 1 / 500 <= r1.pvalue <= 1.0  # randomised p-values are never 0


def test_weighted_structure_test_validation(illustration):
    three = illustration.assign(zone=["A"] * 5 + ["B"] * 5 + ["C"] * 5)
    with pytest.raises(ValueError, match="exactly two groups"):
        c.weighted_structure_test(three, "zone", "sector", "investment_cny")
    zero = illustration.copy()
    zero.loc[0, "investment_cny"] = 0.0
    with pytest.raises(ValueError, match=r"strictly positive for the permutation test; rows \[0\]"):
        c.weighted_structure_test(zero, "zone", "sector", "investment_cny")
    with pytest.raises(ValueError, match="no column"):
        c.weighted_structure_test(illustration, "zone", "sector", "amount")
    with pytest.raises(ValueError, match="statistic"):
        c.weighted_structure_test(illustration, "zone", "sector", None, statistic="chi2")
    with pytest.raises(ValueError, match="n_resamples"):
        c.weighted_structure_test(illustration, "zone", "sector", None, n_resamples=0)


def test_public_api_is_declared():
    for name in c.__all__:
        assert hasattr(c, name), name
