"""Tests for zonestudy.forensics: which definition reproduces a printed rate, and chance matches.

Hand-computed cases: Taiyuan's 开工率 58.82 % = 40/68 (= 10/17 = 20/34 = 30/51), 投产率 29.82 % =
17/57 and 达效率 72.17 % (301.7 / 418.12 亿元 of output, at the edge of their printed precision);
Henan's 2020 开工率 100.6 % beside 492 starts (a plan of 489) and 竣工率 104 % beside 159 (153).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zonestudy import forensics as f

TAIYUAN_LISTS = {"signed": (68, "list"), "started": (57, "list"), "producing": (41, "list")}


def _print2(k: int, n: int) -> Decimal:
    return (Decimal(100 * k) / Decimal(n)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- numerators and denominators --------------------------------------------------------------


def test_taiyuan_start_rate_numerator_is_40_of_68():
    assert f.numerator_candidates(58.82, 2, 68) == [40]


def test_taiyuan_start_rate_also_fits_the_reduced_fractions():
    # 40/68 = 10/17 = 0.588235…; 9/17 = 52.94 %, 11/17 = 64.71 %: no other k with n <= 68
    assert f.cohort_solutions(58.82, 2, n_max=68) == [(10, 17), (20, 34), (30, 51), (40, 68)]


def test_taiyuan_production_rate_numerator_is_17_of_57():
    # 17/57 = 29.8245… -> 29.82; 16/57 = 28.07, 18/57 = 31.58
    assert f.numerator_candidates(29.82, 2, 57) == [17]
    assert f.cohort_solutions(29.82, 2, n_max=57) == [(17, 57)]


def test_whole_percent_admits_several_numerators():
    # 47 % of 270: 126/270 = 46.67, 127 = 47.04, 128 = 47.41, 129 = 47.78 (rounds to 48)
    assert f.numerator_candidates(47, 0, 270) == [126, 127, 128]
    assert f.numerator_candidates(47, 0, 270, rule="truncate") == [127, 128, 129]


def test_rate_above_100_has_an_implied_plan():
    # 492/489 = 1.00613 -> 100.6 %; 492/488 = 100.82, 492/490 = 100.41
    assert f.denominator_candidates(100.6, 1, 492) == [489]
    # 159/153 = 1.0392 -> 104 %; 159/152 = 104.6 -> 105, 159/154 = 103.2 -> 103
    assert f.denominator_candidates(104, 0, 159) == [153]


def test_open_bin_at_least():
    # 福建: 1282 of 1797 signed projects started = 71.34 %, printed "70%以上"
    assert f.ratio_reproduces(70, 0, 1282, 1797, qualifier="over")
    assert not f.ratio_reproduces(70, 0, 1282, 1797)  # 71 % if read as exact
    lo, hi = f.printed_bin(70, 0, qualifier="over")
    assert lo == Fraction(139, 2) and hi is None


# --- printed precision of the components -------------------------------------------------------


def test_output_weighted_ratio_reproduces_only_within_component_precision():
    # point value 301.7 / 418.12 = 72.157 % prints as 72.16, not 72.17 ...
    assert not f.ratio_reproduces(72.17, 2, Decimal("301.7"), Decimal("418.12"))
    # ... but 301.75 / 418.115 = 72.1692 %, so within the printed precision it reaches the bin
    assert f.ratio_reproduces(72.17, 2, 301.7, 418.12, 1, 2)
    lo, hi = f.ratio_interval(301.7, 418.12, 1, 2)
    assert lo == Fraction(30165, 100) * 100 / Fraction(418125, 1000)
    assert hi == Fraction(30175, 100) * 100 / Fraction(418115, 1000)


def test_flow_ratios_do_not_reproduce_the_taiyuan_rates():
    # 57/68 = 83.82 %, 41/57 = 71.93 %
    assert not f.ratio_reproduces(58.82, 2, 57, 68)
    assert not f.ratio_reproduces(29.82, 2, 41, 57)


def test_tens_precision():
    # "近3成": 30 % to the nearest ten points, "nearly": below 35 %
    assert f.printed_bin(30, -1, qualifier="nearly") == (None, Fraction(35))
    assert f.numerator_candidates(30, -1, 10, qualifier="nearly") == [0, 1, 2, 3]
    assert f.component_interval(14800, -2) == (Fraction(14750), Fraction(14850))


def test_printed_decimals_counts_trailing_zeros():
    assert f.printed_decimals("开工率达到87.50%") == 2
    assert f.printed_decimals("竣工率104%") == 0


# --- chance matches ---------------------------------------------------------------------------


def test_chance_cohort_for_n_68():
    # k/68 for k = 0..68 are 69 distinct two-decimal values (steps of 1.47 points);
    # the two-decimal grid on [0, 100] has 10 001 points
    assert f.chance_cohort(2, 68) == pytest.approx(69 / 10001)


def test_chance_cohort_saturates_for_coarse_printing():
    # with whole percentages every value 0..100 is hit by some k/200
    assert f.chance_cohort(0, 200) == 1.0
    # k/3 prints as 0, 33, 67, 100: 4 of 101 whole percentages
    assert f.chance_cohort(0, 3) == pytest.approx(4 / 101)


def test_chance_cohort_range_for_58_82():
    # of n = 1..100, only 17, 34, 51, 68, 85 admit a k
    assert f.chance_cohort_range(58.82, 2, range(1, 101)) == pytest.approx(5 / 100)


def test_chance_ratio_formula():
    assert f.chance_ratio(2) == pytest.approx(0.0001)
    assert f.chance_ratio(1, width=0.4) == pytest.approx(0.5 / 100)
    assert f.chance_ratio(0, tries=3) == pytest.approx(1 - 0.99**3)


# --- the report -------------------------------------------------------------------------------


def test_explain_rate_taiyuan_start():
    t = f.explain_rate(58.82, 2, TAIYUAN_LISTS)
    hits = t[t["reproduces"]]
    assert hits["definition"].tolist() == ["cohort rate k/n (k not printed)"]
    assert hits["denominator"].tolist() == ["signed"]
    assert hits["candidates"].tolist() == ["40"]
    flows = t[t["definition"].str.startswith("ratio of stage counts")]
    assert len(flows) == 6 and not flows["reproduces"].any()


def test_explain_rate_taiyuan_达效率_is_output_weighted():
    comps = {**TAIYUAN_LISTS, "actual output": (301.7, "output", 1),
             "expected output": (418.12, "output_expected", 2)}
    t = f.explain_rate(72.17, 2, comps)
    hits = t[t["reproduces"]]
    assert hits["definition"].tolist() == ["output-weighted ratio"]
    row = hits.iloc[0]
    assert row["value_pct"] == pytest.approx(100 * 301.7 / 418.12)
    # chance: bin 0.01 plus the ratio's own width, over 100 points
    assert row["chance"] == pytest.approx((0.01 + row["high_pct"] - row["low_pct"]) / 100)


def test_explain_rate_k_printed_cohort():
    # 西安: 198 new starts planned, 123 started, printed 开工率为62% (123/198 = 62.12 %)
    t = f.explain_rate(62, 0, {"planned": (198, "planned"), "started": (123, "reached")})
    row = t[(t["numerator"] == "started") & (t["denominator"] == "planned")].iloc[0]
    assert row["definition"] == "plan attainment (projects)"
    assert bool(row["reproduces"])


def test_explain_rate_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown component roles"):
        f.explain_rate(50, 0, {"x": (3, "signed")})
    with pytest.raises(ValueError, match="whole numbers"):
        f.explain_rate(50, 0, {"x": (3.5, "list")})
    with pytest.raises(ValueError, match="more than 1 decimals"):
        f.printed_bin(58.82, 1)
    with pytest.raises(ValueError, match="must be an integer"):
        f.printed_bin(58.82, 1.5)
    with pytest.raises(ValueError, match="non-negative"):
        f.component_interval(-1)


# --- properties -------------------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=2000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))))
def test_true_numerator_is_always_a_candidate(kn):
    k, n = kn
    assert k in f.numerator_candidates(_print2(k, n), 2, n)


@given(st.integers(min_value=1, max_value=5000), st.integers(min_value=1, max_value=5000))
def test_true_denominator_is_always_a_candidate(k, n):
    p = _print2(k, n)
    if p > 0:
        assert n in f.denominator_candidates(p, 2, k)
