"""The seven source-checked inconsistencies of the peer facts (note_corrections_peers.csv) and
Henan's round dates (round_dates_henan.csv): every note reaches the clean table, the overlap flag is
read from the checked notes, and no sum or share adds overlapping categories.

Each test cleans the real raw files (no notebook) and checks one case against the figures printed in
the source, quoted in the note's evidence.
"""

import pandas as pd
import pytest

from zonestudy import io
from zonestudy.study import peers, pipeline, structure, tables


@pytest.fixture(scope="module")
def facts():
    raw = io.load_family("campaign_facts")
    clean, _ = tables.clean_campaign_facts(
        raw, corrections=io.load_family("note_corrections"), round_dates=io.load_family("round_dates"),
        projects=io.load_family("campaign_projects"))
    return clean


@pytest.fixture(scope="module")
def sectors(facts):
    return structure.sector_table(facts, "projects")


def flag(facts, *ids):
    return facts.set_index("fact_id").loc[list(ids), "overlaps_main_split"].tolist()


def report(table, key):
    return table[table["report"] == key]


def test_every_checked_note_reaches_the_clean_table(facts):
    notes = io.load_raw("note_corrections_peers")
    on_facts = notes[notes["table"] == "campaign_facts"]
    clean = facts.set_index("fact_id")
    assert len(notes) == 22 and len(on_facts) == 21
    assert clean.loc[on_facts["record_id"], "checked_note"].tolist() == on_facts["new"].tolist()
    assert clean.loc[on_facts["record_id"], "checked_note_source_ids"].notna().all()
    assert "PC-P043" in set(io.load_family("sources")["source_id"])
    assert clean["checked_note"].notna().sum() == 21


def test_kaifeng_overlapping_sector_categories_are_not_added(facts, sectors):
    # 先进制造业 27 and 战略性新兴产业 15 of 34 start projects: 27 + 15 = 42 > 34
    assert flag(facts, "PC-F0024", "PC-F0025", "PC-F0026", "PC-F0027") == [True] * 4
    assert report(sectors, "PC-P003/city/开封市/start").empty
    rows = pipeline.stage_rows(facts[(facts["source_id"] == "PC-P003") & (facts["stage"] == "start")], "projects")
    assert rows["fact_id"].tolist() == ["PC-F0021"]


def test_jilin_split_above_its_total_gets_no_shares(facts, sectors):
    # 447 + 119 + 139 = 705 > 678: an inconsistency in the source, not an overlap; no rescaling
    assert flag(facts, "PC-F0995", "PC-F0997", "PC-F0999", "PC-F1001") == [False] * 4
    jilin = report(sectors, "PC-P081/province/吉林省/start")
    assert jilin["status"].unique().tolist() == ["exceeds_total"]
    assert jilin["total_count"].iloc[0] == 678 and jilin["sector_sum_count"].iloc[0] == 705
    assert jilin["share_of_total"].isna().all()


def test_jiangxi_two_totals_of_different_scope_stay_apart(facts, sectors):
    # P042: 1234 Q1 starts; P043: the annual list of 3558 (the 1234 are drawn from it)
    assert flag(facts, "PC-F0569", "PC-F0570") == [False, False]
    q1 = facts[(facts["province"] == "江西省") & facts["round_label"].isin(["2023年", "2023年一季度"])]
    totals = pipeline.stage_rows(q1, "projects", include_all=True)
    by_source = totals[totals["source_id"].isin(["PC-P042", "PC-P043"])].groupby("source_id")["value_count"]
    assert by_source.sum().to_dict() == {"PC-P042": 1234, "PC-P043": 3558}
    q1 = report(sectors, "PC-P042/province/江西省/start")
    assert set(q1["total_count"]) == {1234} and set(q1["status"]) == {"complete"}
    annual = report(sectors, "PC-P043/province/江西省/all")
    # the annual list's split is never set against the 1234 Q1 starts (P043 also prints the 2022
    # list, 3455, under the same report: no single total, so no shares at all)
    assert 1234 not in set(annual["total_count"]) and annual["share_of_total"].isna().all()


def test_henan_round_15_production_split_keeps_its_unlisted_remainder(facts, sectors):
    # five listed sectors: 683 of 1033 projects; 350 have no category in the source
    henan = report(sectors, "PC-P013/province/河南省/produce")
    assert henan["status"].unique().tolist() == ["remainder"]
    unlisted = henan[henan["sector_class"] == "unlisted"]
    assert unlisted["value_count"].tolist() == [350]
    assert henan["share_of_total"].sum() == pytest.approx(1.0)
    money = report(structure.sector_table(facts, "investment"), "PC-P013/province/河南省/produce")
    assert money.loc[money["sector_class"] == "unlisted", "value_cny"].iloc[0] == pytest.approx(2186.1e8)


def test_henan_round_8_new_projects_are_sign_plus_start_only(facts):
    # 新增项目1420个 = 651 signed + 769 started; the 907 producing projects are printed apart
    rows = facts[(facts["source_id"] == "PC-P008") & (facts["scope"] == "province")
                 & (facts["measure"] == "projects") & (facts["breakdown"] == "none")]
    by_stage = rows.set_index("stage")["value_count"]
    assert by_stage["all"] == by_stage["sign"] + by_stage["start"] == 1420
    assert by_stage["all"] != by_stage[["sign", "start", "produce"]].sum()
    assert "sign+start" in facts.set_index("fact_id").loc["PC-F0057", "checked_note"].replace(" ", "") \
        or "签约一批+开工一批" in facts.set_index("fact_id").loc["PC-F0057", "checked_note"].replace(" ", "")
    assert "all" not in set(pipeline.stage_rows(rows)["stage"])


def test_subset_rows_of_anhui_and_cangzhou_are_flagged_and_left_out(facts, sectors):
    assert flag(facts, "PC-F0505", "PC-F0506", "PC-F0507", "PC-F0508") == [True] * 4
    assert flag(facts, "PC-F0830", "PC-F0832", "PC-F0834") == [True] * 3
    used = set(";".join(sectors["fact_ids"]).split(";"))
    assert not used & {"PC-F0505", "PC-F0507", "PC-F0829", "PC-F0831", "PC-F0833"}
    shares = structure.sector_table(facts, "projects")
    assert not shares["printed_share"].isin([0.37, 0.485, 0.145]).any()


def test_anhui_started_count_is_not_a_second_list_total(facts):
    # 3212 listed, of which 2970 started: 开工率 92.5% = 2970/3212, not two totals of one list
    assert flag(facts, "PC-F0485", "PC-F0487") == [False, True]
    rows = pipeline.stage_rows(facts[facts["source_id"] == "PC-P037"], "projects", "cumulative")
    one = peers.collapse_duplicates(rows, ["source_id", "scope", "geography", "stage", "measure"])
    assert one["value"].tolist() == [3212]
    assert 2970 / 3212 == pytest.approx(0.925, abs=5e-4)


def test_overlaps_are_never_added_anywhere_in_the_sector_tables(facts):
    overlapping = set(facts.loc[facts["overlaps_main_split"], "fact_id"])
    for measure in ("projects", "investment"):
        used = set(";".join(structure.sector_table(facts, measure)["fact_ids"]).split(";"))
        assert not used & overlapping


def test_henan_rounds_12_and_15_are_dated_with_the_inferred_year_marked(facts):
    henan = facts[(facts["province"] == "河南省") & facts["round_label"].isin(["第十二期", "第十五期"])]
    dated = henan.groupby("round_label").agg(
        year=("year", "unique"), date=("event_date", "unique"), inferred=("year_inferred", "unique"),
        origin=("event_date_from", "unique"))
    assert dated.loc["第十二期", "year"].tolist() == [2024]
    assert dated.loc["第十五期", "year"].tolist() == [2025]
    assert [str(d)[:10] for d in dated.loc["第十二期", "date"]] == ["2024-04-03"]
    assert [str(d)[:10] for d in dated.loc["第十五期", "date"]] == ["2025-01-05"]
    assert dated.loc["第十二期", "inferred"].tolist() == [False]
    assert dated.loc["第十五期", "inferred"].tolist() == [True]
    assert set(henan["event_date_from"]) == {"round_dates_henan"}
    assert not facts.loc[facts["event_date_from"] == "fact", "year_inferred"].any()


def test_a_fact_that_prints_its_date_keeps_it():
    facts = pd.DataFrame({"province": "河南省", "campaign": "三个一批", "round_label": ["第十五期"],
                          "event_date": [pd.Timestamp("2025-01-06")]})
    dates = io.load_raw("round_dates_henan")
    out = tables.dated_rounds(facts, dates)
    assert str(out["event_date"].iloc[0])[:10] == "2025-01-06" and not out["year_inferred"].iloc[0]


def test_a_correction_of_an_unknown_fact_is_refused():
    notes = io.load_raw("note_corrections_peers").head(1).assign(record_id="PC-F9999")
    with pytest.raises(io.DataValidationError, match="PC-F9999"):
        tables.checked_notes(pd.DataFrame({"fact_id": ["PC-F0001"]}), notes)
