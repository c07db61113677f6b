"""Tests for zonestudy.metrics: rates, intervals, published-rate helpers, structure, land units.

Reference numbers come from docs/metrics_spec.md (section given in each test).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from itertools import product

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from zonestudy import metrics as m

# --- reference cases: Taiyuan (metrics_spec §0) ------------------------------------------------


def test_taiyuan_published_rates_reproduce_as_cohort_rates():
    started = m.cohort_rate(40, 68)
    producing = m.cohort_rate(17, 57)
    assert round(100 * float(started["value"].iloc[0]), 2) == 58.82
    assert round(100 * float(producing["value"].iloc[0]), 2) == 29.82
    assert m.reproduces(58.82, 40, 68)
    assert m.reproduces(29.82, 17, 57)


def test_taiyuan_flow_ratios_differ_from_published_rates():
    flows = m.flow_ratio(pd.Series({"开工": 57, "投产": 41}), pd.Series({"开工": 68, "投产": 57}))
    pct = (100 * flows["value"]).round(2)
    assert pct.to_dict() == {"开工": 83.82, "投产": 71.93}
    assert not m.reproduces(58.82, 57, 68)
    assert not m.reproduces(29.82, 41, 57)
    # the naive flow ratios are 25 and 42 points away from the published rates
    assert pct["开工"] - 58.82 == pytest.approx(25.0, abs=0.01)
    assert pct["投产"] - 29.82 == pytest.approx(42.11, abs=0.01)


def test_infer_cohort_numerator_taiyuan():
    assert m.infer_cohort_numerator(58.82, 68) == [40]
    assert m.infer_cohort_numerator(29.82, 57) == [17]


def test_infer_cohort_numerator_other_published_cases():
    # Anqing 91.28 % of 218 (metrics_spec §1.2); Qingyang 82.14 % of 56; Weinan 99.65 % of 292
    assert m.infer_cohort_numerator(91.28, 218) == [199]
    assert m.infer_cohort_numerator(82.14, 56) == [46]
    # Weinan 履约率 99.65 % = 291/292 = 99.657… (§1.5) fits only as a truncated figure
    assert m.infer_cohort_numerator(99.65, 292) == []
    assert m.infer_cohort_numerator(99.65, 292, rule="truncate") == [291]
    # a figure no k/n reproduces
    assert m.infer_cohort_numerator(58.83, 68) == []


def test_truncated_publication_is_flagged():
    # 129/270 = 47.8 % published as "47 %" (metrics_spec §1.2)
    table = m.cohort_numerator_candidates(47, 270, decimals=0)
    row = table.set_index("k").loc[129]
    assert not row["by_rounding"] and row["by_truncation"]
    assert 129 not in m.infer_cohort_numerator(47, 270, decimals=0)
    assert 129 in m.infer_cohort_numerator(47, 270, decimals=0, rule="truncate")
    assert m.reproduces(47, 129, 270, decimals=0, rule="truncate")
    assert not m.reproduces(47, 129, 270, decimals=0)
    assert table["k"].dtype == "int64"


def test_round_half_up_not_bankers_rounding():
    # 1/8 = 12.5 %: 四舍五入 gives 13, Python's round() would give 12
    assert m.reproduces(13, 1, 8, decimals=0)
    assert not m.reproduces(12, 1, 8, decimals=0)
    assert m.infer_cohort_numerator(13, 8, decimals=0) == [1]


def test_published_rate_helpers_validate():
    with pytest.raises(ValueError, match="more than 1 decimals"):
        m.infer_cohort_numerator(58.82, 68, decimals=1)
    with pytest.raises(ValueError, match="positive"):
        m.infer_cohort_numerator(50, 0)
    with pytest.raises(ValueError, match="rule"):
        m.infer_cohort_numerator(50, 10, rule="ceil")
    with pytest.raises(ValueError, match="denominator must be positive"):
        m.reproduces(50, 1, 0)
    with pytest.raises(TypeError):
        m.infer_cohort_numerator(58.82, [68])


def test_reproduces_plan_attainment_and_amounts():
    assert m.reproduces(101.5, 609, 600, decimals=1)  # Panjin (metrics_spec §1.7)
    assert not m.reproduces(83, 64, 76, decimals=0)  # Ordos headline does not reproduce
    assert m.reproduces(84, 64, 76, decimals=0)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=1, max_value=400), data=st.data(), decimals=st.integers(0, 3))
def test_infer_cohort_numerator_contains_true_k(n, data, decimals):
    k = data.draw(st.integers(min_value=0, max_value=n))
    exact = Decimal(100 * k) / Decimal(n)
    published = float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    found = m.infer_cohort_numerator(published, n, decimals)
    assert k in found
    assert all(m.reproduces(published, kk, n, decimals) for kk in found)


# --- cohort rates ------------------------------------------------------------------------------


def test_cohort_rate_columns_and_attrs():
    r = m.cohort_rate(40, 68)
    assert list(r.columns) == [
        "value", "numerator", "denominator", "kind", "ci_low", "ci_high", "ci_method", "alpha",
    ]
    assert len(r) == 1
    assert r["numerator"].dtype == "int64" and r["denominator"].dtype == "int64"
    assert r["kind"].iloc[0] == "cohort"
    assert r["ci_method"].iloc[0] == "wilson"
    assert r["alpha"].iloc[0] == 0.05
    assert "cohort" in r.attrs["definition"]
    assert r["ci_low"].iloc[0] <= r["value"].iloc[0] <= r["ci_high"].iloc[0]


def test_cohort_rate_keeps_series_index_and_aligns_labels():
    idx = pd.MultiIndex.from_tuples([("2021-1", "太原"), ("2021-1", "大同")], names=["round", "city"])
    k = pd.Series([40, 3], index=idx)
    n = pd.Series([10, 68], index=idx[::-1])  # same labels, other order
    r = m.cohort_rate(k, n)
    assert r.index.equals(idx)
    assert r.loc[("2021-1", "太原"), "denominator"] == 68
    assert r.loc[("2021-1", "大同"), "value"] == pytest.approx(0.3)


def test_cohort_rate_broadcasts_scalar_and_accepts_arrays():
    r = m.cohort_rate([2, 17, 40], 68)
    assert list(r.index) == [0, 1, 2]
    assert (r["denominator"] == 68).all()
    r2 = m.cohort_rate(np.array([1.0, 2.0]), [4, 4])  # integer-valued floats are counts
    assert r2["numerator"].tolist() == [1, 2]


def test_cohort_rate_without_interval():
    r = m.cohort_rate(3, 4, ci=None)
    assert r["ci_low"].isna().all() and r["ci_method"].iloc[0] == "none"


@pytest.mark.parametrize(
    ("reached", "size", "message"),
    [
        (pd.Series({"太原": 70}), pd.Series({"太原": 68}), r"'太原': 70 > 68"),
        (pd.Series({"晋中": -1}), 10, r"non-negative: '晋中'=-1"),
        (pd.Series({"运城": 2.5}), 10, r"whole numbers.*'运城'=2.5"),
        (1, 0, "positive"),
        (pd.Series({"临汾": np.nan}), 10, r"missing.*'临汾'"),
        (1, 10.5, "whole numbers"),
    ],
)
def test_cohort_rate_rejects_invalid_counts(reached, size, message):
    with pytest.raises(ValueError, match=message):
        m.cohort_rate(reached, size)


def test_cohort_rate_rejects_misaligned_and_odd_input():
    with pytest.raises(ValueError, match="only in reached"):
        m.cohort_rate(pd.Series({"a": 1}), pd.Series({"b": 2}))
    with pytest.raises(ValueError, match="lengths"):
        m.cohort_rate([1, 2], [3, 4, 5])
    with pytest.raises(ValueError, match="empty"):
        m.cohort_rate([], [])
    with pytest.raises(TypeError, match="boolean"):
        m.cohort_rate(pd.Series([True, False]), 5)
    with pytest.raises(ValueError, match="numeric"):
        m.cohort_rate("40", 68)
    with pytest.raises(ValueError, match="Wald"):
        m.cohort_rate(1, 2, ci="normal")
    with pytest.raises(ValueError, match="alpha"):
        m.cohort_rate(1, 2, alpha=1.5)


def test_flow_ratio_can_exceed_one_and_has_no_interval():
    r = m.flow_ratio(268, 245)
    assert r["value"].iloc[0] > 1
    assert list(r.columns) == ["value", "numerator", "denominator", "kind"]
    assert r["kind"].iloc[0] == "flow"
    assert "not a binomial proportion" in r.attrs["definition"]
    with pytest.raises(ValueError, match="from_count must be positive"):
        m.flow_ratio(3, 0)
    with pytest.raises(ValueError, match="to_count must be non-negative"):
        m.flow_ratio(-3, 5)


def test_plan_attainment():
    r = m.plan_attainment(pd.Series({"盘锦": 609.0}), pd.Series({"盘锦": 600.0}))
    assert r.loc["盘锦", "value"] == pytest.approx(1.015)
    assert r["kind"].iloc[0] == "plan"
    assert list(r.columns) == ["value", "numerator", "denominator", "kind"]
    assert "planned" in r.attrs["definition"]
    with pytest.raises(ValueError, match="planned must be positive"):
        m.plan_attainment(1, 0)
    with pytest.raises(ValueError, match="actual must be non-negative"):
        m.plan_attainment(-1, 3)


# --- intervals ---------------------------------------------------------------------------------


def test_linyi_wilson_interval():
    # 临猗: 2 of 39 producing; spec table 1.4–16.9 % (metrics_spec §1.3, §6.1)
    low, high = m.proportion_ci(2, 39)
    assert isinstance(low, float) and isinstance(high, float)
    assert low == pytest.approx(0.0142, abs=5e-5)
    assert high == pytest.approx(0.1689, abs=5e-5)
    assert (round(100 * low, 1), round(100 * high, 1)) == (1.4, 16.9)


def test_zero_of_twelve_wilson_upper():
    low, high = m.proportion_ci(0, 12)
    assert low == 0.0
    assert round(high, 3) == 0.242


# metrics_spec §6.1 table, percent with one decimal
SPEC_TABLE = {
    # the spec prints Jeffreys 2/39 as 1.1–15.5 %; the exact upper bound is 15.449 % (Beta(2.5, 37.5)
    # 97.5 % quantile, checked by hand below), so 15.5 is a double-rounding slip in the spec
    (2, 39): {"wilson": (1.4, 16.9), "beta": (0.6, 17.3), "jeffreys": (1.1, 15.4)},
    (17, 57): {"wilson": (19.5, 42.7), "beta": (18.4, 43.4), "jeffreys": (19.2, 42.5)},
    (40, 68): {"wilson": (47.0, 69.7), "beta": (46.2, 70.6), "jeffreys": (47.0, 70.0)},
    (0, 12): {"wilson": (0.0, 24.2), "beta": (0.0, 26.5), "jeffreys": (0.0, 18.5)},
}


@pytest.mark.parametrize(
    ("k", "n", "method"),
    [(k, n, meth) for (k, n), row in SPEC_TABLE.items() for meth in row],
)
def test_intervals_match_spec_table(k, n, method):
    low, high = m.proportion_ci(k, n, method=method)
    assert (round(100 * low, 1), round(100 * high, 1)) == SPEC_TABLE[(k, n)][method]


STATSMODELS_CASES = [
    (2, 39, "wilson"),
    (17, 57, "beta"),
    (40, 68, "jeffreys"),
    (5, 12, "agresti_coull"),
    (199, 218, "wilson"),
    (1, 3, "beta"),
    (30, 31, "jeffreys"),
    (7, 100, "agresti_coull"),
]


@pytest.mark.parametrize(("k", "n", "method"), STATSMODELS_CASES)
def test_intervals_equal_statsmodels(k, n, method):
    expected = proportion_confint(k, n, alpha=0.05, method=method)
    assert m.proportion_ci(k, n, method=method) == pytest.approx(expected, rel=1e-12)
    expected90 = proportion_confint(k, n, alpha=0.10, method=method)
    assert m.proportion_ci(k, n, method=method, alpha=0.10) == pytest.approx(expected90, rel=1e-12)


@pytest.mark.parametrize(("k", "n"), [(2, 39), (17, 57), (40, 68), (0, 12), (12, 12), (1, 3)])
def test_wilson_and_clopper_pearson_equal_scipy(k, n):
    res = stats.binomtest(k, n)
    wilson = res.proportion_ci(confidence_level=0.95, method="wilson")
    exact = res.proportion_ci(confidence_level=0.95, method="exact")
    assert m.proportion_ci(k, n, "wilson") == pytest.approx((wilson.low, wilson.high), abs=1e-10)
    assert m.proportion_ci(k, n, "beta") == pytest.approx((exact.low, exact.high), abs=1e-10)


@pytest.mark.parametrize(("k", "n"), [(2, 39), (17, 57), (0, 12), (12, 12)])
def test_wilson_jeffreys_agresti_coull_by_hand(k, n):
    z = stats.norm.ppf(0.975)
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert m.proportion_ci(k, n, "wilson") == pytest.approx((centre - half, centre + half), abs=1e-12)

    # Jeffreys: Beta(k + 1/2, n − k + 1/2) quantiles, bound set to 0 / 1 at k = 0 / n
    low = 0.0 if k == 0 else stats.beta.ppf(0.025, k + 0.5, n - k + 0.5)
    high = 1.0 if k == n else stats.beta.ppf(0.975, k + 0.5, n - k + 0.5)
    assert m.proportion_ci(k, n, "jeffreys") == pytest.approx((low, high), abs=1e-12)

    n_t = n + z**2
    p_t = (k + z**2 / 2) / n_t
    half_ac = z * math.sqrt(p_t * (1 - p_t) / n_t)
    expected = (max(p_t - half_ac, 0.0), min(p_t + half_ac, 1.0))
    assert m.proportion_ci(k, n, "agresti_coull") == pytest.approx(expected, abs=1e-12)


def test_proportion_ci_series_and_arrays():
    k = pd.Series({"太原开工": 40, "太原投产": 17, "临猗": 2})
    n = pd.Series({"太原开工": 68, "太原投产": 57, "临猗": 39})
    low, high = m.proportion_ci(k, n)
    assert isinstance(low, pd.Series) and low.index.equals(k.index)
    assert low["临猗"] == pytest.approx(0.0142, abs=5e-5)
    arr_low, arr_high = m.proportion_ci([2, 17], [39, 57], method="beta")
    assert isinstance(arr_low, np.ndarray)
    assert arr_high[1] == pytest.approx(0.434, abs=5e-4)


@pytest.mark.parametrize("method", ["normal", "wald", "Wald"])
def test_wald_is_rejected(method):
    with pytest.raises(ValueError, match="Wald"):
        m.proportion_ci(2, 39, method=method)


def test_unknown_method_rejected():
    with pytest.raises(ValueError, match="unknown interval method"):
        m.proportion_ci(2, 39, method="binomial")


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 500), data=st.data(), method=st.sampled_from(m.CI_METHODS))
def test_interval_contains_estimate_and_stays_in_unit_interval(n, data, method):
    k = data.draw(st.integers(0, n))
    low, high = m.proportion_ci(k, n, method=method)
    assert 0.0 <= low <= k / n <= high <= 1.0


def test_diff_ci_newcombe():
    # Taiyuan 40/68 vs Anqing 199/218 (metrics_spec §6.1): −32.5 pts, 95 % CI (−44.7, −20.7)
    d = m.diff_ci(40, 68, 199, 218)
    assert isinstance(d, m.DiffCI)
    assert [round(100 * x, 1) for x in d] == [-32.5, -44.7, -20.7]
    low, high = confint_proportions_2indep(40, 68, 199, 218, method="newcomb", compare="diff")
    assert (d.low, d.high) == pytest.approx((low, high), rel=1e-12)
    with pytest.raises(ValueError, match="exceeds"):
        m.diff_ci(70, 68, 1, 2)


def test_diff_ci_newcombe_by_hand():
    # Newcombe (1998) method 10 from the two Wilson intervals
    k1, n1, k2, n2 = 17, 57, 2, 39
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = m.proportion_ci(k1, n1)
    l2, u2 = m.proportion_ci(k2, n2)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    assert tuple(m.diff_ci(k1, n1, k2, n2)) == pytest.approx((d, low, high), abs=1e-10)


# --- sizes -------------------------------------------------------------------------------------


def test_average_size():
    assert m.average_size(78.34e8, 39) == pytest.approx(2.0087e8, rel=1e-4)  # 临猗
    s = m.average_size(pd.Series({"运城经开区": 383.47e8}), pd.Series({"运城经开区": 49}))
    assert s.name == "average_size"
    assert s["运城经开区"] / 1e8 == pytest.approx(7.826, abs=1e-3)
    with pytest.raises(ValueError, match="projects must be positive"):
        m.average_size(1e8, 0)
    with pytest.raises(ValueError, match="whole numbers"):
        m.average_size(1e8, 2.5)
    with pytest.raises(ValueError, match="investment must be non-negative"):
        m.average_size(-1.0, 2)


# --- structure tables --------------------------------------------------------------------------


@pytest.fixture
def projects():
    return pd.DataFrame(
        {
            "zone": ["A", "A", "A", "B", "B", "C"],
            "sector": ["coal", "chem", "chem", "food", "chem", "coal"],
            "investment_cny": [3e9, 1e9, 1e9, 5e8, 5e8, 2e8],
        }
    )


def test_structure_shares_counts(projects):
    shares = m.structure_shares(projects, "zone", "sector", categories=["coal", "chem", "food", "textile"])
    assert list(shares.columns) == ["coal", "chem", "food", "textile"]
    assert shares.sum(axis=1).tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert shares.loc["A"].tolist() == pytest.approx([1 / 3, 2 / 3, 0, 0])
    assert (shares["textile"] == 0).all()
    assert shares.attrs["weight"] is None and shares.attrs["kind"] == "shares"


def test_structure_shares_weighted(projects):
    shares = m.structure_shares(projects, "zone", "sector", weight="investment_cny")
    assert shares.loc["A", "coal"] == pytest.approx(0.6)
    assert shares.loc["B"].tolist() == pytest.approx([0.5, 0.0, 0.5])  # chem, coal, food
    assert shares.attrs["weight"] == "investment_cny"


def test_structure_shares_multiple_keys_and_categorical(projects):
    df = projects.assign(
        round=["r1", "r1", "r2", "r1", "r1", "r2"],
        sector=pd.Categorical(projects["sector"], categories=["coal", "chem", "food", "textile"]),
    )
    shares = m.structure_shares(df, ["zone", "round"], "sector")
    assert list(shares.columns) == ["coal", "chem", "food", "textile"]
    assert shares.loc[("A", "r1")].tolist() == pytest.approx([0.5, 0.5, 0, 0])


def test_structure_shares_rejects_bad_input(projects):
    with pytest.raises(ValueError, match="not in categories"):
        m.structure_shares(projects, "zone", "sector", categories=["coal", "chem"])
    with pytest.raises(ValueError, match="must be non-negative"):
        m.structure_shares(projects.assign(investment_cny=-1.0), "zone", "sector", weight="investment_cny")
    bad = projects.copy()
    bad.loc[2, "investment_cny"] = np.nan
    with pytest.raises(ValueError, match="missing"):
        m.structure_shares(bad, "zone", "sector", weight="investment_cny")
    with pytest.raises(ValueError, match="zero total"):
        m.structure_shares(projects.assign(investment_cny=0.0), "zone", "sector", weight="investment_cny")
    with pytest.raises(ValueError, match="no column"):
        m.structure_shares(projects, "city", "sector")
    with pytest.raises(ValueError, match="empty"):
        m.structure_shares(projects.iloc[:0], "zone", "sector")
    nan_sector = projects.astype({"sector": object})
    nan_sector.loc[0, "sector"] = None
    with pytest.raises(ValueError, match="missing values"):
        m.structure_shares(nan_sector, "zone", "sector")


def test_count_and_weighted_tables(projects):
    counts = m.count_table(projects, "zone", "sector")
    assert (counts.dtypes == "int64").all()
    assert counts.attrs == {"weight": None, "kind": "count"}
    assert counts.loc["A", "chem"] == 2
    amounts = m.weighted_table(projects, "zone", "sector", "investment_cny")
    assert amounts.attrs == {"weight": "investment_cny", "kind": "weighted"}
    assert amounts.loc["A", "coal"] == 3e9
    assert amounts.to_numpy().sum() == pytest.approx(projects["investment_cny"].sum())


# --- concentration, diversity, similarity ------------------------------------------------------

ABC = [0.5, 0.3, 0.2]


def test_hhi_by_hand():
    assert m.hhi(ABC) == pytest.approx(0.25 + 0.09 + 0.04)
    assert m.hhi(ABC, normalized=True) == pytest.approx((0.38 - 1 / 3) / (1 - 1 / 3))
    assert 1 / m.hhi(ABC) == pytest.approx(2.63, abs=0.005)  # metrics_spec §4.4
    assert m.hhi([1.0]) == 1.0
    assert m.hhi([0.25] * 4) == pytest.approx(0.25)
    assert m.hhi([0.25] * 4, normalized=True) == pytest.approx(0.0)
    assert m.hhi([1.0, 0, 0], normalized=True) == pytest.approx(1.0)
    # N fixed to a full list of 5 categories when zeros are omitted
    assert m.hhi(ABC, normalized=True, n=5) == pytest.approx((0.38 - 0.2) / 0.8)
    assert m.hhi(ABC + [0.0, 0.0], normalized=True) == pytest.approx((0.38 - 0.2) / 0.8)


def test_entropy_by_hand():
    e = -(0.5 * math.log(0.5) + 0.3 * math.log(0.3) + 0.2 * math.log(0.2))
    assert m.entropy(ABC) == pytest.approx(e)
    assert m.entropy(ABC, normalized=True) == pytest.approx(e / math.log(3))
    assert round(m.entropy(ABC), 3) == 1.030 and round(math.log(3) - e, 3) == 0.069  # §4.5
    assert m.entropy([0.25] * 4) == pytest.approx(math.log(4))
    assert m.entropy([0.25] * 4, normalized=True) == pytest.approx(1.0)
    assert m.entropy([0.5, 0.5, 0.0]) == pytest.approx(math.log(2))  # 0 ln 0 = 0
    assert m.entropy([1.0]) == 0.0


def test_concentration_on_share_frames():
    shares = pd.DataFrame({"coal": [0.5, 1.0], "chem": [0.5, 0.0]}, index=["A", "B"])
    h = m.hhi(shares)
    assert isinstance(h, pd.Series) and h.to_dict() == pytest.approx({"A": 0.5, "B": 1.0})
    e = m.entropy(shares, normalized=True)
    assert e.to_dict() == pytest.approx({"A": 1.0, "B": 0.0})


@pytest.mark.parametrize("func", [m.hhi, m.entropy])
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([0.5, 0.3], "sums to"),
        ([0.5, 0.6, -0.1], "negative"),
        ([0.5, np.nan, 0.5], "missing"),
        ([], "empty"),
        (pd.DataFrame({"a": [0.5], "b": [0.4]}), "row 0 sums to"),
    ],
)
def test_share_validation(func, bad, message):
    with pytest.raises(ValueError, match=message):
        func(bad)


def test_share_tolerance():
    slightly_off = [0.5, 0.3, 0.2 + 5e-7]
    assert m.hhi(slightly_off) == pytest.approx(0.38)
    with pytest.raises(ValueError, match="sums to"):
        m.hhi([0.5, 0.3, 0.2 + 5e-6])
    assert m.hhi([0.5, 0.3, 0.2 + 5e-6], tol=1e-5) == pytest.approx(0.38, abs=1e-5)
    with pytest.raises(ValueError, match="at least 2 categories"):
        m.hhi([1.0], normalized=True)
    with pytest.raises(ValueError, match="number of categories"):
        m.hhi(ABC, normalized=True, n=2)


def test_similarity_by_hand():
    a = pd.Series({"coal": 0.5, "chem": 0.3, "food": 0.2})
    b = pd.Series({"food": 0.5, "chem": 0.3, "coal": 0.2})  # labels in another order
    cos = (0.5 * 0.2 + 0.3 * 0.3 + 0.2 * 0.5) / (0.38)
    assert m.similarity(a, b) == pytest.approx(cos)
    assert round(m.similarity(a, b), 3) == 0.763  # metrics_spec §4.1
    assert m.similarity(a, b, "krugman") == pytest.approx(0.6)  # metrics_spec §4.2
    assert m.similarity(a, a) == pytest.approx(1.0)
    assert m.similarity(a, a, "krugman") == 0.0


def test_similarity_aligns_on_union():
    a = pd.Series({"coal": 0.6, "chem": 0.4})
    b = pd.Series({"chem": 0.4, "food": 0.6})
    assert m.similarity(a, b, "krugman") == pytest.approx(0.6 + 0.0 + 0.6)
    assert m.similarity(a, b) == pytest.approx(0.16 / 0.52)
    disjoint = m.similarity(pd.Series({"x": 1.0}), pd.Series({"y": 1.0}), "krugman")
    assert disjoint == 2.0
    assert m.similarity(pd.Series({"x": 1.0}), pd.Series({"y": 1.0})) == 0.0


def test_similarity_validation():
    a = pd.Series({"coal": 0.6, "chem": 0.4})
    with pytest.raises(ValueError, match="b sums to"):
        m.similarity(a, pd.Series({"coal": 60, "chem": 40}))
    with pytest.raises(TypeError, match="both"):
        m.similarity(a, [0.6, 0.4])
    with pytest.raises(ValueError, match="method"):
        m.similarity(a, a, "euclid")
    with pytest.raises(ValueError, match="equal length"):
        m.similarity([0.5, 0.5], [1 / 3] * 3)
    assert m.similarity([0.5, 0.5], [1.0, 0.0], "krugman") == pytest.approx(1.0)


share_vectors = st.lists(st.floats(0, 10, allow_nan=False), min_size=1, max_size=8).filter(
    lambda xs: sum(xs) > 1e-3
)


@settings(max_examples=150, deadline=None)
@given(x=share_vectors, y=share_vectors)
def test_similarity_properties(x, y):
    a = pd.Series(x, index=[f"s{i}" for i in range(len(x))]) / sum(x)
    b = pd.Series(y, index=[f"s{i}" for i in range(len(y))]) / sum(y)
    k = m.similarity(a, b, "krugman")
    c = m.similarity(a, b)
    assert 0.0 <= k <= 2.0 + 1e-12
    assert 0.0 <= c <= 1.0
    assert k == pytest.approx(m.similarity(b, a, "krugman"))
    assert 1 / len(a) - 1e-9 <= m.hhi(a) <= 1.0 + 1e-12
    assert 0.0 <= m.entropy(a) <= math.log(len(a)) + 1e-9


def test_location_quotient_spec_example():
    zone = pd.Series({"coal": 30, "chem": 50, "food": 20}) / 100
    province = pd.Series({"coal": 200, "chem": 1000, "food": 800}) / 2000
    assert m.location_quotient(zone, province).to_dict() == pytest.approx(
        {"coal": 3.0, "chem": 1.0, "food": 0.5}
    )
    frame = pd.DataFrame([zone, province], index=["zone", "province"])
    lq = m.location_quotient(frame, province)
    assert lq.loc["province"].tolist() == pytest.approx([1.0, 1.0, 1.0])
    # a category absent from a region gets LQ 0
    lq2 = m.location_quotient(pd.Series({"coal": 1.0}), province)
    assert lq2.to_dict() == pytest.approx({"coal": 10.0, "chem": 0.0, "food": 0.0})


def test_location_quotient_rejects_zero_reference():
    ref = pd.Series({"coal": 1.0, "chem": 0.0})
    with pytest.raises(ValueError, match="reference share is zero for \\['chem'\\]"):
        m.location_quotient(pd.Series({"coal": 0.5, "chem": 0.5}), ref)
    with pytest.raises(ValueError, match="reference share is zero for \\['food'\\]"):
        m.location_quotient(pd.Series({"coal": 0.5, "food": 0.5}), pd.Series({"coal": 1.0}))
    with pytest.raises(TypeError):
        m.location_quotient(pd.Series({"coal": 1.0}), [1.0])


# --- Gini --------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 5, 10, 49])
def test_gini_one_project_holds_everything(n):
    values = [0.0] * (n - 1) + [1.0]
    assert m.gini(values) == pytest.approx((n - 1) / n)
    if n > 1:
        assert m.gini(values, corrected=True) == pytest.approx(1.0)


def test_gini_reference_values():
    assert m.gini([3.0, 3.0, 3.0]) == 0.0
    sizes = [0.5, 1, 2, 3, 20]  # metrics_spec §4.6
    assert round(m.gini(sizes), 3) == 0.619
    assert round(m.gini(sizes, corrected=True), 3) == 0.774
    # scale invariance: 亿元 vs yuan
    assert m.gini(pd.Series(sizes) * 1e8) == pytest.approx(m.gini(sizes))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=30).filter(lambda v: sum(v) > 0))
def test_gini_equals_mean_absolute_difference(values):
    y = np.array(values)
    mad = np.abs(y[:, None] - y[None, :]).sum() / (2 * len(y) ** 2 * y.mean())
    assert m.gini(values) == pytest.approx(mad, abs=1e-9)


def test_gini_validation():
    with pytest.raises(ValueError, match="non-negative"):
        m.gini([1.0, -1.0])
    with pytest.raises(ValueError, match="all values are zero"):
        m.gini([0.0, 0.0])
    with pytest.raises(ValueError, match="empty"):
        m.gini([])
    with pytest.raises(ValueError, match="missing"):
        m.gini([1.0, np.nan])
    with pytest.raises(ValueError, match="at least 2"):
        m.gini([1.0], corrected=True)


# --- land units --------------------------------------------------------------------------------


def test_area_constants():
    assert m.M2_PER_MU == pytest.approx(666.6667, abs=1e-4)
    assert m.MU_PER_HA * m.M2_PER_MU == pytest.approx(m.M2_PER_HA)
    assert m.convert_area(1, "km2", "ha") == pytest.approx(100)
    assert m.convert_area(1, "km2", "mu") == pytest.approx(1500)
    assert m.convert_area(15, "mu", "ha") == pytest.approx(1.0)


@pytest.mark.parametrize(("a", "b"), list(product(m.AREA_UNITS, repeat=2)))
def test_convert_area_round_trip(a, b):
    assert m.convert_area(m.convert_area(123.4, a, b), b, a) == pytest.approx(123.4)


def test_convert_area_types():
    s = pd.Series([50.0, 15.0], index=["p1", "p2"], name="area_mu")
    out = m.convert_area(s, "mu", "ha")
    assert out.name == "area_mu" and out.index.equals(s.index)
    assert out.tolist() == pytest.approx([50 / 15, 1.0])
    assert isinstance(m.convert_area(np.array([1.0]), "ha", "m2"), np.ndarray)
    with pytest.raises(ValueError, match="from_unit"):
        m.convert_area(1, "acre", "m2")
    with pytest.raises(ValueError, match="missing"):
        m.convert_area([1.0, np.nan], "m2", "mu")


def test_per_area_factor_15_and_worked_example():
    # metrics_spec §2.1: 1.5 亿元 on 50 亩 → 300 万元/亩 = 4 500 万元/公顷
    assert m.per_area(1.5e8, 50, area_unit="mu", out_unit="mu") == pytest.approx(300e4)
    assert m.per_area(1.5e8, 50, area_unit="mu", out_unit="ha") == pytest.approx(4500e4)
    site_m2 = m.convert_area(50, "mu", "m2")
    assert m.per_area(1.5e8, site_m2, area_unit="m2", out_unit="mu") == pytest.approx(300e4)
    per_mu = m.per_area(1.0, 1.0, area_unit="ha", out_unit="mu")
    per_ha = m.per_area(1.0, 1.0, area_unit="ha", out_unit="ha")
    assert per_ha / per_mu == pytest.approx(15.0)
    # tax 600 万元 → 12 万元/亩
    assert m.per_area(600e4, 50, area_unit="mu", out_unit="mu") == pytest.approx(12e4)


def test_per_area_series_and_validation():
    amount = pd.Series({"p1": 1.5e8, "p2": 3e8})
    area = pd.Series({"p2": 100.0, "p1": 50.0})
    out = m.per_area(amount, area, area_unit="mu", out_unit="mu")
    assert out.name == "per_mu" and out.to_dict() == pytest.approx({"p1": 3e6, "p2": 3e6})
    with pytest.raises(TypeError):
        m.per_area(1.0, 1.0)  # units are required keywords
    with pytest.raises(ValueError, match="area must be positive"):
        m.per_area(1.0, 0.0, area_unit="mu", out_unit="mu")
    with pytest.raises(ValueError, match="out_unit"):
        m.per_area(1.0, 1.0, area_unit="mu", out_unit="亩")


def test_public_api_is_declared():
    for name in m.__all__:
        assert hasattr(m, name), name
