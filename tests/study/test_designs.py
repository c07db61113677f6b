"""Tests for the size designs, the rates table, the province series and the paper tables.

Tiny fixtures with hand-computed answers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from zonestudy.study import designs, paper_tables, rates as rates_table, series


def _sizes(rows):
    return pd.DataFrame(rows, columns=["place_round", "stage", "size_yi"]).assign(
        province="山西省", place=lambda d: d["place_round"], event="e", year=2023, level="city",
        source_ids="S1")


# three place-rounds: sign/produce sizes (4, 1), (2, 1), (1, 2)
SIZES = _sizes([("a", "sign", 4.0), ("a", "produce", 1.0), ("b", "sign", 2.0), ("b", "produce", 1.0),
                ("c", "sign", 1.0), ("c", "produce", 2.0)])


def test_sign_test_counts_and_exact_p():
    t = designs.sign_tests(designs.paired_sizes(SIZES), [("sign", "produce")]).iloc[0]
    # 2 of 3 larger; two-sided exact binomial p = 1 (P(X>=2) = 4/8, doubled)
    assert (t["n_pairs"], t["first_larger"], t["ties"]) == (3, 2, 0)
    assert t["p_sign"] == pytest.approx(1.0)
    assert t["median_ratio"] == pytest.approx(2.0)


def test_fe_coefficient_is_the_mean_within_log_difference():
    res = designs.fe_regression(SIZES)
    # log(4) + log(2) + log(1/2) over 3 = log(4) / 3
    coef = res.params["C(stage, Treatment('produce'))[T.sign]"]
    assert coef == pytest.approx(math.log(4) / 3)


def test_randomization_p_enumerates_all_swaps():
    p = designs.randomization_pvalues(SIZES)
    # differences d = (log 4, log 2, -log 2); of the 8 sign flips, |mean| >= log(4)/3 for
    # (+,+,-), (-,-,+), (+,+,+), (-,-,-), (+,-,+), (-,+,-): 6 of 8
    assert p["stage[sign]"] == pytest.approx(6 / 8)


def test_like_for_like_keeps_years_and_levels():
    facts = pd.DataFrame({
        "province": ["山西省"] * 2 + ["河南省"] * 2, "province_en": ["Shanxi"] * 2 + ["Henan"] * 2,
        "campaign": ["三个一批 (全省开发区)"] * 2 + ["三个一批"] * 2, "scope": "province",
        "city": None, "geography": ["山西省"] * 2 + ["河南省"] * 2,
        "year": pd.array([2021, 2021, pd.NA, pd.NA], dtype="Int64"),
        "round_no": pd.array([1, 1, pd.NA, pd.NA], dtype="Int64"),
        "round_label": ["2021年第一期"] * 2 + ["第十五期"] * 2, "stage": "sign", "breakdown": "none",
        "measure": ["projects", "investment"] * 2, "value_count": [413.0, np.nan, 610.0, np.nan],
        "value_cny": [np.nan, 2800e8, np.nan, 4395e8], "qualifier": "exact", "parsed": True,
        "overlaps_main_split": False, "fact_id": ["F1", "F2", "F3", "F4"],
        "source_id": ["S1", "S1", "P1", "P1"], "event_date": pd.NaT})
    dates = pd.DataFrame({"round_label": ["第十五期"], "event_date": ["2025-01-05"]})
    row = designs.like_for_like(facts, round_dates=dates).iloc[0]
    assert (row["level"], row["stage"]) == ("province", "sign")
    assert row["median_shanxi"] == pytest.approx(2800 / 413)
    assert row["median_henan"] == pytest.approx(4395 / 610)
    assert row["years_henan"] == "2025 (inferred)"


def test_rates_table_cohort_with_printed_numerator_and_pair():
    facts = pd.DataFrame({
        "fact_id": ["F1", "F2", "F3", "F4", "F5"], "source_id": "P1", "province": "内蒙古自治区",
        "round_label": "2019年1-9月", "geography": "东胜区", "category": None,
        "stage": ["all", "start", "start", "start", "start"],
        "measure": ["projects", "projects", "rate", "projects", "rate"],
        "dimension": ["count", "count", "ratio", "count", "ratio"],
        "value_text": ["10项", "开复工8项", "开复工率80%", "6个新开工项目中,3个项目已开工建设", "开工率达51%"],
        "value_count": [10.0, 8.0, np.nan, np.nan, np.nan], "value_cny": np.nan,
        "value_ratio": [np.nan, np.nan, 0.8, np.nan, 0.51], "qualifier": "exact", "notes": ""})
    t = rates_table.rates_table(facts).set_index("rate_id")
    assert t.loc["F3", "verdict"] == "cohort rate k/n (k printed)"      # 8/10 = 80 %
    assert t.loc["F3", "evidence"] == "decisive"                          # chance 1/100
    assert t.loc["F4", "rate_word"] == "k of n printed"                  # 3 of 6
    assert t.loc["F4", "pct"] == pytest.approx(50.0)
    assert t.loc["F5", "verdict"] == "not reproduced by the printed figures"  # 3/6, 8/10 ≠ 51 %


def test_series_bounds_from_a_printed_share():
    facts = pd.DataFrame({
        "fact_id": ["F1", "F2"], "source_id": "S3", "province": "山西省", "round_label": None,
        "year": pd.array([pd.NA, pd.NA], dtype="Int64"), "round_no": pd.array([pd.NA, pd.NA], dtype="Int64"),
        "scope": "cumulative", "geography": "片区", "stage": "sign", "measure": ["projects", "other"],
        "breakdown": "none", "qualifier": "exact", "parsed": True, "overlaps_main_split": False,
        "value_text": ["132个", "12%"], "value_count": [132.0, np.nan], "value_cny": np.nan,
        "value_ratio": [np.nan, 0.12],
        "notes": ["running total across the 3 期 (2020-02-28, 06-06 and 08-08)",
                  "sign-stage project count as a share of the province total; 3 期 of 2020"]})
    row = series.province_series(facts).iloc[0]
    # 132 / 0.125 = 1056 (excluded), 132 / 0.115 = 1147.8
    assert (row["total_low"], row["total_high"]) == (1057.0, 1147.0)
    assert row["year"] == 2020 and row["rounds"] == 3
    assert row["kind"] == "derived: from a printed share"


def test_coverage_matrix_marks_rounds_no_source_covers():
    facts = pd.DataFrame({"province": "山西省", "year": 2023, "round_no": [3, 3], "scope": "city",
                          "city": "忻州市", "geography": "忻州市", "stage": ["sign", "sign"],
                          "measure": ["projects", "investment"]})
    m = paper_tables.coverage_matrix(facts, ["忻州市"])
    assert list(m.columns) == ["2023-1", "2023-2", "2023-3"]
    assert m.loc["忻州市", "2023-3"] == "P1 I1" and m.loc["忻州市", "2023-1"] == ""
