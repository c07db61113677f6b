"""The clean campaign facts mark repeated figures, so that group sums never double count."""

from __future__ import annotations

import pandas as pd

from zonestudy import dedup, io


def _facts():
    return io.load_clean("campaign_facts")


def test_every_distinct_fact_has_exactly_one_canonical_row():
    facts = _facts()
    per_fact = facts.groupby("distinct_fact_id")["is_canonical"].sum()
    assert (per_fact == 1).all()
    assert (facts.groupby("distinct_fact_id")["fact_id"].transform("size") == facts["n_sources"]).all()


def test_shanxi_2021_first_round_totals_count_once():
    facts = _facts()
    rows = facts[(facts["province"] == "山西省") & (facts["scope"] == "province")
                 & (facts["year"] == 2021) & (facts["round_no"] == 1)]
    # six figures (three lists × projects and investment), each printed by four sources
    assert len(rows) == 24 and rows["n_sources"].eq(4).all()
    canonical = rows[rows["is_canonical"]]
    assert len(canonical) == 6
    signed = canonical[(canonical["stage"] == "sign") & (canonical["measure"] == "projects")]
    assert signed["value_count"].sum() == 413
    assert rows.loc[(rows["stage"] == "sign") & (rows["measure"] == "projects"), "value_count"].sum() == 4 * 413


def test_group_sums_over_canonical_rows_match_the_distinct_values():
    facts = _facts()
    keys = ["province", "year", "round_no", "scope", "geography", "stage", "measure"]
    canonical = facts[facts["is_canonical"]]
    sums = canonical.groupby(keys, dropna=False)["value_count"].sum(min_count=1)
    distinct = (facts.drop_duplicates("distinct_fact_id")
                .groupby(keys, dropna=False)["value_count"].sum(min_count=1))
    pd.testing.assert_series_equal(sums, distinct)
    assert len(canonical) == facts["distinct_fact_id"].nunique()


def test_marks_are_recomputed_identically():
    facts = _facts()
    again = dedup.mark_distinct(facts.drop(columns=["distinct_fact_id", "is_canonical", "n_sources",
                                                    "source_ids_all"]))
    assert again["distinct_fact_id"].tolist() == facts["distinct_fact_id"].tolist()
