"""Metrics on hostile input (issue 11): a right value or a clear error, never a silent wrong value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zonestudy import metrics as m


# --- counts too large to hold exactly --------------------------------------------------------


def test_cohort_rate_refuses_counts_that_would_wrap():
    with pytest.raises(ValueError, match=r"reached is too large .* 2\*\*53"):
        m.cohort_rate(10**20, 10**20)
    with pytest.raises(ValueError, match="cohort_size is too large"):
        m.cohort_rate(1, 10**17)


def test_cohort_rate_keeps_the_largest_exact_counts():
    rate = m.cohort_rate(2**53, 2**53, ci=None)
    assert rate["numerator"].iloc[0] == 2**53 and rate["denominator"].iloc[0] == 2**53
    assert rate["value"].iloc[0] == 1.0


# --- Gini of huge values ---------------------------------------------------------------------


def test_gini_of_huge_values_is_scaled_not_nan():
    assert m.gini([1e308, 1e308]) == 0.0
    assert m.gini([1e308, 0.0]) == 0.5
    assert m.gini([1.5e308, 1.5e308, 0.0]) == pytest.approx(m.gini([1.0, 1.0, 0.0]))
    assert m.gini([1e308, 1e308], corrected=True) == 0.0


def test_gini_of_ordinary_values_is_unchanged():
    sizes = [0.5, 1, 2, 3, 20]
    n, y = len(sizes), np.sort(np.asarray(sizes, dtype=float))
    by_formula = 2 * np.sum(np.arange(1, n + 1) * y) / (n * y.sum()) - (n + 1) / n
    assert m.gini(sizes) == float(by_formula)


# --- labels that differ only in type ---------------------------------------------------------


def test_similarity_refuses_labels_of_different_kinds():
    with pytest.raises(ValueError, match=r"mix kinds: 1 \(number\) in a; '1' \(text\) in b"):
        m.similarity(pd.Series({1: 1.0}), pd.Series({"1": 1.0}))
    with pytest.raises(ValueError, match="mix kinds"):
        m.similarity(pd.Series({1: 0.5, "coal": 0.5}), pd.Series({1: 0.5, "coal": 0.5}))
    # numbers of different types are one kind, and align
    assert m.similarity(pd.Series({1: 1.0}), pd.Series({np.int64(1): 1.0})) == 1.0


def test_location_quotient_refuses_labels_of_different_kinds():
    with pytest.raises(ValueError, match="mix kinds"):
        m.location_quotient(pd.Series({1: 0.5, 2: 0.5}), pd.Series({"1": 0.5, "2": 0.5}))


# --- duplicate category labels: one rule for every share measure -----------------------------


@pytest.mark.parametrize("func", [m.hhi, m.entropy])
def test_share_measures_refuse_duplicate_labels(func):
    doubled = pd.Series([0.3, 0.2, 0.5], index=["coal", "coal", "chem"])
    with pytest.raises(ValueError, match=r"shares has duplicate category labels \['coal'\]"):
        func(doubled)
    frame = pd.DataFrame([[0.3, 0.2, 0.5]], columns=["coal", "coal", "chem"])
    with pytest.raises(ValueError, match="row 0 has duplicate category labels"):
        func(frame)


def test_similarity_and_location_quotient_use_the_same_rule():
    doubled = pd.Series([0.3, 0.2, 0.5], index=["coal", "coal", "chem"])
    other = pd.Series({"coal": 0.5, "chem": 0.5})
    with pytest.raises(ValueError, match=r"a has duplicate category labels \['coal'\]"):
        m.similarity(doubled, other)
    with pytest.raises(ValueError, match=r"reference has duplicate category labels"):
        m.location_quotient(other, doubled)


def test_aggregated_shares_are_accepted():
    doubled = pd.Series([0.3, 0.2, 0.5], index=["coal", "coal", "chem"])
    assert m.hhi(doubled.groupby(level=0).sum()) == pytest.approx(0.5)


# --- proportion_ci keeps the shape of its input ----------------------------------------------


def test_proportion_ci_keeps_a_2d_shape():
    k = np.array([[0, 2], [5, 10]])
    n = np.array([[10, 10], [10, 10]])
    low, high = m.proportion_ci(k, n)
    assert low.shape == high.shape == (2, 2)
    flat_low, flat_high = m.proportion_ci(k.ravel(), n.ravel())
    np.testing.assert_array_equal(low, flat_low.reshape(2, 2))
    np.testing.assert_array_equal(high, flat_high.reshape(2, 2))
    low, _ = m.proportion_ci(k, 10)  # a scalar with an array
    assert low.shape == (2, 2) and low[0, 0] == 0.0


def test_proportion_ci_refuses_arrays_of_different_shapes():
    with pytest.raises(ValueError, match=r"different shapes \(2, 2\) and \(4,\)"):
        m.proportion_ci(np.ones((2, 2), dtype=int), np.full(4, 10))
