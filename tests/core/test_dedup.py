"""The duplicates rule: a figure printed by several sources is one fact, so group sums count it once."""

from __future__ import annotations

import pandas as pd
import pytest

from zonestudy import dedup


def _facts():
    # the 2021-1 province total of signed projects printed by four sources, one city figure,
    # and one conflicting copy (a different value) that must stay a separate fact
    return pd.DataFrame({
        "fact_id": ["F40", "F46", "F52", "F58", "F90", "F91"],
        "source_id": ["S002", "S009", "S022", "S004", "S010", "S011"],
        "province": "山西省", "campaign": "三个一批", "year": [2021] * 4 + [2022] * 2,
        "round_no": [1] * 6, "round_label": ["2021年第一期"] * 3 + ["第一期"] + ["2022年第一次"] * 2,
        "event_date": pd.NaT, "scope": ["province"] * 4 + ["city"] * 2,
        "geography": ["山西省"] * 4 + ["临汾市"] * 2, "stage": "sign", "breakdown": "none",
        "category": None, "measure": "projects", "value_count": [413.0] * 4 + [33.0, 34.0],
        "value_cny": None, "value_ratio": None, "qualifier": "exact"})


def test_copies_of_one_figure_are_one_fact():
    m = dedup.mark_distinct(_facts())
    province = m[m["scope"] == "province"]
    assert province["distinct_fact_id"].unique().tolist() == ["F40"]
    assert province["n_sources"].unique().tolist() == [4]
    assert province["source_ids_all"].iloc[0] == "S002;S004;S009;S022"
    assert province["is_canonical"].sum() == 1


def test_group_sums_over_canonical_rows_do_not_double_count():
    m = dedup.mark_distinct(_facts())
    naive = m.groupby("scope")["value_count"].sum()
    counted_once = dedup.canonical(m).groupby("scope")["value_count"].sum()
    assert naive["province"] == 4 * 413
    assert counted_once["province"] == 413


def test_disagreeing_copies_stay_separate_facts():
    m = dedup.mark_distinct(_facts()).set_index("fact_id")
    assert m.loc["F90", "distinct_fact_id"] == "F90" and m.loc["F91", "distinct_fact_id"] == "F91"
    assert m.loc[["F90", "F91"], "is_canonical"].all()


def test_repeated_fact_ids_are_refused():
    facts = _facts()
    facts.loc[1, "fact_id"] = "F40"
    with pytest.raises(ValueError, match="F40"):
        dedup.mark_distinct(facts)
