"""Tests for zonestudy.study.structure: stage shares, sector splits and mapping, named projects, funds.

Fixtures are tiny hand-made frames; the expected numbers are worked out by hand in the comments.
Two tests read the project's clean tables (every printed sector name is mapped; the 阳泉 fund).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from zonestudy import compare, figures, io, metrics
from zonestudy.study import structure as st

# --- fixtures -----------------------------------------------------------------------------------


def _stage_facts(rows):
    """campaign_facts-like rows from (geography, round_no, stage, measure, value, source_id)."""
    records = []
    for i, (geo, rnd, stage, measure, value, source) in enumerate(rows):
        records.append({
            "scope": "city", "year": 2023, "round_no": rnd, "geography": geo, "stage": stage,
            "measure": measure,
            "value_count": value if measure == "projects" else np.nan,
            "value_cny": value if measure != "projects" else np.nan,
            "parsed": True, "breakdown": "none", "overlaps_main_split": False,
            "source_id": source, "fact_id": f"F{i:02d}"})
    return pd.DataFrame.from_records(records)


@pytest.fixture
def city_round():
    # 晋城-like city: 19/17/12 projects, 57.11/43.55/52.23 亿元, printed total 48 projects;
    # 阳泉-like city: sign and start only (no production list printed).
    return _stage_facts([
        ("A市", 4, "sign", "projects", 19, "S1"),
        ("A市", 4, "start", "projects", 17, "S1"),
        ("A市", 4, "produce", "projects", 12, "S1"),
        ("A市", 4, "sign", "investment", 57.11e8, "S1"),
        ("A市", 4, "start", "investment", 43.55e8, "S1"),
        ("A市", 4, "produce", "investment", 52.23e8, "S1"),
        ("A市", 4, "all", "projects", 48, "S1"),
        ("B市", 4, "sign", "projects", 15, "S1"),
        ("B市", 4, "start", "projects", 55, "S1"),
        ("B市", 4, "sign", "investment", 59.91e8, "S1"),
        ("B市", 4, "start", "investment", 100.4e8, "S1"),
    ])


def _sector_facts(rows, *, source="P1", stage="start"):
    """campaign_facts-like rows from (breakdown, category, measure, value_text, value, extra)."""
    records = []
    for i, (breakdown, category, measure, text, value, extra) in enumerate(rows):
        record = {
            "source_id": source, "scope": "province", "geography": "A省", "stage": stage,
            "breakdown": breakdown, "category": category, "measure": measure,
            "value_text": text, "qualifier": "exact", "value_count": np.nan, "value_cny": np.nan,
            "value_ratio": np.nan, "overlaps_main_split": False, "parsed": True,
            "fact_id": f"{source}-F{i:02d}", "province": "A省", "province_en": "A", "city": None,
            "round_label": "2023年"}
        column = {"projects": "value_count", "investment": "value_cny"}.get(measure, "value_ratio")
        record[column] = value
        record.update(extra)
        records.append(record)
    return pd.DataFrame.from_records(records)


# --- stage structure ------------------------------------------------------------------------------


def test_stage_table_average_size_is_investment_over_projects(city_round):
    t = st.stage_amounts_table(city_round)
    a = t[t["geography"] == "A市"]
    a = a.set_index(a["stage"].astype(str))
    # 57.11 亿元 / 19 = 3.0058 亿元; 52.23 / 12 = 4.3525 亿元
    assert a.loc["sign", "average_size_cny"] == pytest.approx(57.11e8 / 19)
    assert a.loc["produce", "average_size_cny"] == pytest.approx(4.3525e8)
    assert list(a.index) == ["sign", "start", "produce"]  # the all-stage row is not a stage
    b = t[t["geography"] == "B市"]
    assert len(b) == 2  # no row is invented for the missing production list


def test_stage_table_merges_identical_reports_and_keeps_sources():
    facts = _stage_facts([
        ("山西省", 1, "sign", "projects", 413, "S002"),
        ("山西省", 1, "sign", "projects", 413, "S009"),
        ("山西省", 1, "sign", "investment", 2800e8, "S004"),
    ])
    t = st.stage_amounts_table(facts)
    assert len(t) == 1
    assert t.loc[0, "projects"] == 413
    assert t.loc[0, "source_ids"] == "S002;S004;S009"
    assert t.loc[0, "fact_ids"] == "F00;F01;F02"


def test_stage_table_refuses_conflicting_figures():
    facts = _stage_facts([("山西省", 1, "sign", "projects", 413, "S1"),
                          ("山西省", 1, "sign", "projects", 414, "S2")])
    with pytest.raises(ValueError, match="conflicting"):
        st.stage_amounts_table(facts)


def test_stage_table_refuses_missing_keys():
    facts = _stage_facts([("山西省", None, "sign", "projects", 10, "S1")])
    with pytest.raises(ValueError, match="missing"):
        st.stage_amounts_table(facts)


def test_stage_shares_sum_to_one_and_leave_incomplete_groups_empty(city_round):
    s = st.stage_shares(city_round, "projects").set_index("geography")
    # A: 19, 17, 12 of 48
    assert s.loc["A市", ["sign", "start", "produce"]].tolist() == pytest.approx(
        [19 / 48, 17 / 48, 12 / 48])
    assert s.loc["A市", ["sign", "start", "produce"]].sum() == pytest.approx(1.0)
    assert s.loc["A市", "total_projects"] == 48
    assert s.loc["A市", "missing"] == ""
    # B: the production list is not printed -> no shares, and the gap is named, not filled
    assert s.loc["B市", ["sign", "start", "produce"]].isna().all()
    assert math.isnan(s.loc["B市", "total_projects"])
    assert s.loc["B市", "missing"] == "produce"
    assert s.loc["B市", "stages_printed"] == "sign, start"


def test_stage_shares_weighted_by_investment(city_round):
    s = st.stage_shares(city_round, "investment").set_index("geography")
    total = 57.11 + 43.55 + 52.23  # 152.89 亿元
    assert s.loc["A市", "sign"] == pytest.approx(57.11 / total)
    assert s.loc["A市", "total_investment_cny"] == pytest.approx(total * 1e8)


def test_stage_shares_rejects_unknown_measure(city_round):
    with pytest.raises(ValueError, match="measure"):
        st.stage_shares(city_round, "land")


def test_stage_total_check_compares_printed_total_with_sum(city_round):
    c = st.stage_total_check(city_round)
    assert len(c) == 1  # only A has a printed all-stage total
    row = c.iloc[0]
    assert (row["printed_total"], row["stage_sum"], row["gap"]) == (48, 48, 0)


def test_stage_summary_marks_groups_without_investment(city_round):
    extra = _stage_facts([("C市", 4, s, "projects", n, "S2")
                          for s, n in [("sign", 2), ("start", 2), ("produce", 2)]])
    summary = st.stage_summary(pd.concat([city_round, extra], ignore_index=True))
    c = summary.set_index("geography").loc["C市"]
    assert c["projects_sign"] == pytest.approx(1 / 3)
    assert c["investment_missing"] == "sign, start, produce"
    assert summary.set_index("geography").loc["B市", "investment_missing"] == "produce"


# round_labels is now zonestudy.study.pipeline.round_label(..., place=...) (tests/test_pipeline.py);
# source_ids is zonestudy.sources.split_ids (tests/test_sources.py).


# --- sector mapping -----------------------------------------------------------------------------


def test_harmonise_sector_scalar_series_and_missing():
    assert st.harmonise_sector("先进制造业") == "industry"
    assert st.harmonise_sector(" 第一产业 ") == "agriculture"
    out = st.harmonise_sector(pd.Series(["社会民生", None, st.REMAINDER], index=[5, 6, 7]))
    assert out.tolist() == ["social", None, "unlisted"]
    assert list(out.index) == [5, 6, 7]


def test_harmonise_sector_unknown_names():
    with pytest.raises(ValueError, match="飞行汽车"):
        st.harmonise_sector(["基础设施", "飞行汽车"])
    assert st.harmonise_sector(["飞行汽车"], unknown="other").tolist() == ["other"]
    with pytest.raises(ValueError):
        st.harmonise_sector("基础设施", unknown="ignore")


def test_mapping_is_well_formed():
    names = [name for name, _, _ in st._SECTOR_ROWS]
    assert len(names) == len(set(names)), "a printed name is mapped twice"
    assert set(st.SECTOR_MAP.values()) <= set(st.SECTOR_CLASSES) - {"unlisted"}
    assert "other" in st.SECTOR_CLASSES and "unlisted" in st.SECTOR_CLASSES
    assert st.SECTOR_CLASS_ORDER[-1] == "unlisted"
    table = st.sector_mapping()
    assert len(table) == len(st.SECTOR_MAP)
    assert table["class_en"].notna().all() and table["class_zh"].notna().all()


def test_every_sector_name_in_the_data_is_mapped():
    facts = io.load_clean("campaign_facts")
    article = io.load_clean("article_facts")
    names = set(facts.loc[facts["breakdown"] == "sector", "category"].dropna())
    names |= set(article["industry"].dropna())
    names |= set(io.load_clean("article_projects")["industry"].dropna())
    assert names, "no sector names found"
    unmapped = sorted(n for n in names if n not in st.SECTOR_MAP)
    assert unmapped == []
    # and the function agrees
    assert st.harmonise_sector(pd.Series(sorted(names))).notna().all()


# --- printed resolution and sector tables --------------------------------------------------------


@pytest.mark.parametrize("text, value, expected", [
    ("计划总投资1.33万亿元", 1.33e12, 1e10),
    ("总投资7 362.1 亿元", 7362.1e8, 1e7),
    ("628.1 billion yuan", 628.1e9, 1e8),
    ("到位资金657465万元", 657465e4, 1e4),
    ("1363个", 1363, 1.0),
])
def test_printed_resolution(text, value, expected):
    assert st.printed_resolution(text, value) == pytest.approx(expected)


@pytest.mark.parametrize("text, value", [("两个", 2.0), (None, 5.0), ("5亿元", float("nan"))])
def test_printed_resolution_unknown(text, value):
    assert math.isnan(st.printed_resolution(text, value))


def test_sector_table_remainder_row_makes_shares_of_the_total():
    facts = _sector_facts([
        ("none", None, "projects", "100个", 100, {}),
        ("sector", "制造业项目", "projects", "60个", 60, {}),
        ("sector", "基础设施项目", "projects", "30个", 30, {}),
        ("sector", "新能源汽车项目", "projects", "20个", 20, {"overlaps_main_split": True}),
        ("sector", "制造业项目", "share_projects", "占60%", 0.6, {}),
    ])
    t = st.sector_table(facts, "projects")
    assert t.attrs["value"] == "value_count"
    assert t["category"].tolist() == ["制造业项目", "基础设施项目", st.REMAINDER]  # subset excluded
    assert t["value_count"].tolist() == [60, 30, 10]
    assert t["share_of_total"].sum() == pytest.approx(1.0)
    assert set(t["status"]) == {"remainder"}
    assert t.loc[0, "printed_share"] == 0.6
    assert t.loc[0, ["total_count", "sector_sum_count", "gap_count"]].tolist() == [100, 90, 10]
    assert t.loc[2, "sector_class"] == "unlisted"
    no_rest = st.sector_table(facts, "projects", remainder=False)
    assert len(no_rest) == 2 and no_rest["share_of_total"].sum() == pytest.approx(0.9)


def test_sector_table_rounding_of_printed_amounts():
    # total 1.33万亿元 (resolution 100亿) against 8689 + 4627 = 13316 亿元: gap -16 亿元,
    # tolerance (100 + 1 + 1) / 2 = 51 亿元 -> rounding, shares of the printed total
    facts = _sector_facts([
        ("none", None, "investment", "计划总投资1.33万亿元", 1.33e12, {}),
        ("sector", "产业类项目", "investment", "8689亿元", 8689e8, {}),
        ("sector", "重大基础设施", "investment", "4627亿元", 4627e8, {}),
    ])
    t = st.sector_table(facts, "investment")
    assert set(t["status"]) == {"rounding"}
    assert t.loc[0, "gap_cny"] == pytest.approx(-16e8)
    assert t.loc[0, "tol_cny"] == pytest.approx(51e8)
    assert t["share_of_total"].sum() == pytest.approx(13316 / 13300)


def test_sector_table_gap_beyond_rounding_is_a_remainder():
    # 193.86 against 131 + 12.6 + 49.41 = 193.01: gap 0.85 > tolerance (0.01 + 1 + 0.1 + 0.01) / 2
    facts = _sector_facts([
        ("none", None, "investment", "总投资193.86亿元", 193.86e8, {}),
        ("sector", "产业类项目", "investment", "总投资131亿元", 131e8, {}),
        ("sector", "基础设施类项目", "investment", "总投资12.6亿元", 12.6e8, {}),
        ("sector", "公共服务类项目", "investment", "总投资49.41亿元", 49.41e8, {}),
    ])
    t = st.sector_table(facts, "investment")
    assert set(t["status"]) == {"remainder"}
    assert t.loc[t["category"] == st.REMAINDER, "value_cny"].iloc[0] == pytest.approx(0.85e8)
    assert t["tol_cny"].iloc[0] == pytest.approx(0.56e8)


@pytest.mark.parametrize("rows, status", [
    # overlapping categories: 27 + 15 > 34
    ([("none", None, "projects", "34个", 34, {}), ("sector", "先进制造业", "projects", "27个", 27, {}),
      ("sector", "战略性新兴产业", "projects", "15个", 15, {})], "exceeds_total"),
    # total printed as a bound (超2400亿元): the gap is neither a remainder nor an excess
    ([("none", None, "investment", "总投资超2400亿元", 2400e8, {"qualifier": "over"}),
      ("sector", "产业项目", "investment", "1972亿元", 1972e8, {}),
      ("sector", "基础设施项目", "investment", "477亿元", 477e8, {})], "approximate"),
    ([("sector", "产业项目", "projects", "5个", 5, {})], "no_total"),
    ([("none", None, "projects", "3558个", 3558, {}), ("none", None, "projects", "3455个", 3455, {}),
      ("sector", "产业项目", "projects", "1624个", 1624, {})], "several_totals"),
])
def test_sector_table_statuses_without_shares(rows, status):
    measure = rows[-1][2]
    t = st.sector_table(_sector_facts(rows), measure)
    assert set(t["status"]) == {status}
    assert t["share_of_total"].isna().all()
    assert st.REMAINDER not in set(t["category"])


def test_sector_table_complete_split_and_report_key():
    facts = _sector_facts([
        ("none", None, "projects", "769个", 769, {}),
        ("sector", "先进制造业", "projects", "327个", 327, {}),
        ("sector", "其他", "projects", "442个", 442, {}),
    ], source="PC-P008")
    t = st.sector_table(facts, "projects")
    assert set(t["status"]) == {"complete"}
    assert t["report"].iloc[0] == "PC-P008/province/A省/start"
    assert t["share_of_total"].sum() == pytest.approx(1.0)


def test_sector_table_refuses_unmapped_names_and_bad_measure():
    facts = _sector_facts([("sector", "飞行汽车", "projects", "5个", 5, {})])
    with pytest.raises(ValueError, match="飞行汽车"):
        st.sector_table(facts, "projects")
    with pytest.raises(ValueError, match="measure"):
        st.sector_table(facts, "annual_output")


def test_sector_table_empty_when_no_sector_rows():
    facts = _sector_facts([("none", None, "projects", "5个", 5, {})])
    t = st.sector_table(facts, "projects")
    assert t.empty and "share_of_total" in t.columns


def test_sector_shares_rows_sum_to_one_and_feed_similarity():
    a = _sector_facts([
        ("none", None, "projects", "100个", 100, {}),
        ("sector", "制造业项目", "projects", "60个", 60, {}),
        ("sector", "先进制造业", "projects", "10个", 10, {}),
        ("sector", "基础设施项目", "projects", "30个", 30, {}),
    ], source="P1")
    b = _sector_facts([
        ("none", None, "projects", "50个", 50, {}),
        ("sector", "产业项目", "projects", "25个", 25, {}),
    ], source="P2")
    c = _sector_facts([("sector", "产业项目", "projects", "5个", 5, {})], source="P3")
    t = st.sector_table(pd.concat([a, b, c], ignore_index=True), "projects")
    s = st.sector_shares(t)
    assert list(s.columns) == list(st.SECTOR_CLASS_ORDER)
    assert list(s.index) == ["P1/province/A省/start", "P2/province/A省/start"]  # P3: no total
    assert s.sum(axis=1).tolist() == pytest.approx([1.0, 1.0])
    # P1: industry 70 (two printed categories), infrastructure 30; P2: industry 25, unlisted 25
    assert s.iloc[0][["industry", "infrastructure"]].tolist() == pytest.approx([0.7, 0.3])
    assert s.iloc[1][["industry", "unlisted"]].tolist() == pytest.approx([0.5, 0.5])
    # cosine: (0.7*0.5) / sqrt((0.49+0.09) * (0.25+0.25))
    expected = 0.35 / math.sqrt(0.58 * 0.5)
    assert metrics.similarity(s.iloc[0], s.iloc[1]) == pytest.approx(expected)
    printed = st.sector_shares(t, by="category")
    assert printed.loc["P1/province/A省/start", "制造业项目"] == pytest.approx(0.6)


@pytest.fixture
def four_reports():
    """Report A: 10 projects = 6 industry + 3 infrastructure + 1 social, plus an overlapping subset
    row; report B: 8 projects = 4 industry + 4 environment; report C: 5 of 9 listed; report D: a
    three-sector split. Investment for A: 5e9 + 4e9 + 1e9 of 1e10."""
    a = _sector_facts([
        ("none", None, "projects", "10个", 10, {}),
        ("sector", "先进制造业", "projects", "6个", 6, {}),
        ("sector", "重大基础设施", "projects", "3个", 3, {}),
        ("sector", "社会民生", "projects", "1个", 1, {}),
        ("sector", "战略性新兴产业", "projects", "4个", 4, {"overlaps_main_split": True}),
        ("none", None, "investment", "100亿元", 1e10, {}),
        ("sector", "先进制造业", "investment", "50亿元", 5e9, {}),
        ("sector", "重大基础设施", "investment", "40亿元", 4e9, {}),
        ("sector", "社会民生", "investment", "10亿元", 1e9, {}),
    ], source="PA")
    b = _sector_facts([
        ("none", None, "projects", "8个", 8, {}),
        ("sector", "产业项目", "projects", "4个", 4, {}),
        ("sector", "生态环保项目", "projects", "4个", 4, {}),
    ], source="PB")
    c = _sector_facts([
        ("none", None, "projects", "9个", 9, {}),
        ("sector", "产业项目", "projects", "5个", 5, {}),
    ], source="PC")
    d = _sector_facts([
        ("none", None, "projects", "3个", 3, {}),
        ("sector", "第二产业", "projects", "3个", 3, {}),
    ], source="PD")
    return pd.concat([a, b, c, d], ignore_index=True)


def test_sector_table_of_several_reports(four_reports):
    # formerly peers.sector_splits: overlapping rows are left out, incomplete splits keep their
    # remainder, and the three-sector split is now classified (第二产业 -> industry)
    t = st.sector_table(four_reports, "projects")
    status = t.drop_duplicates("report").set_index("source_id")["status"]
    assert status.to_dict() == {"PA": "complete", "PB": "complete", "PC": "remainder",
                                "PD": "complete"}
    assert "战略性新兴产业" not in set(t["category"])
    counts = t.pivot_table(index="source_id", columns="sector_class", values="value_count",
                           aggfunc="sum", fill_value=0)
    assert counts.loc["PA", ["industry", "infrastructure", "social"]].tolist() == [6, 3, 1]
    assert counts.loc["PB", ["industry", "environment"]].tolist() == [4, 4]
    assert counts.loc["PC", ["industry", "unlisted"]].tolist() == [5, 4]
    # cosine of (6,3,1,0)/10 and (4,0,0,4)/8 = 0.3 / sqrt(0.46 * 0.5)
    shares = st.sector_shares(t, statuses=("complete",))
    cos = metrics.similarity(shares.loc["PA/province/A省/start"], shares.loc["PB/province/A省/start"])
    assert cos == pytest.approx(0.3 / math.sqrt(0.46 * 0.5))


def test_sector_counts_feed_chi_square_and_amounts_are_refused(four_reports):
    t = st.sector_table(four_reports, "projects")
    listed = t[t["source_id"].isin(["PA", "PB"])]
    counts = listed.pivot_table(index="report", columns="sector_class", values="value_count",
                                aggfunc="sum", fill_value=0).astype("int64")
    counts.attrs.update(kind="count", weight=None)
    result = compare.share_homogeneity_test(counts, min_expected=0)
    assert result.n == 18
    money = st.sector_table(four_reports, "investment")
    assert money.loc[money["category"] == "先进制造业", "value_cny"].iloc[0] == 5e9
    weighted = metrics.weighted_table(money, "report", "sector_class", "value_cny")
    assert weighted.attrs["kind"] == "weighted"
    with pytest.raises(TypeError, match="weighted"):
        compare.share_homogeneity_test(weighted)


def test_sector_shares_needs_a_usable_report():
    t = st.sector_table(_sector_facts([("sector", "产业项目", "projects", "5个", 5, {})]),
                        "projects")
    with pytest.raises(ValueError, match="status"):
        st.sector_shares(t)


def test_report_labels():
    t = pd.DataFrame({"report": ["r1", "r2", "r3"], "source_id": ["P1", "P2", "P3"],
                      "scope": ["province", "city", "city"],
                      "province": ["河南省", "河南省", "(not named)"],
                      "province_en": ["Henan", "Henan", None], "city": [None, "洛阳市", None],
                      "stage": ["produce", "start", "start"]})
    labels = st.report_labels(t)
    assert labels.to_dict() == {"r1": "Henan · P1 · In production",
                                "r2": "Luoyang (Henan) · P2 · Started",
                                "r3": "Unnamed city · P3 · Started"}
    assert st.report_labels(t, "zh")["r2"] == "洛阳市(河南省) · P2 · 开工"


# --- named projects -----------------------------------------------------------------------------


def test_origin_province():
    out = st.origin_province(pd.Series(["安徽", "深圳市", None, "北京", "山西"], index=list("abcde")))
    assert out.tolist() == ["安徽省", "广东省", None, "北京市", "山西省"]
    assert list(out.index) == list("abcde")
    with pytest.raises(ValueError, match="台资"):
        st.origin_province(["台资"])


def test_project_summary_counts_sums_and_shares():
    p = pd.DataFrame({"fact_id": ["a", "b", "c", "d"], "zone": ["Y", "Y", "Y", "T"],
                      "industry": ["新能源", "新能源", None, "新能源"],
                      "investment_cny": [35e8, 13e8, 2.5e8, 5.2e8]})
    s = st.project_summary(p, ["zone", "industry"])
    # Y 新能源: 2 projects, 48 亿元 of 55.7 亿元
    first = s.iloc[0]
    assert (first["zone"], first["industry"], first["projects"]) == ("Y", "新能源", 2)
    assert first["investment_cny"] == pytest.approx(48e8)
    assert first["share_of_investment"] == pytest.approx(48 / 55.7)
    assert s["share_of_investment"].sum() == pytest.approx(1.0)
    assert "not printed" in set(s["industry"])
    assert s.loc[s["industry"] == "not printed", "fact_ids"].iloc[0] == "c"


# --- fund partners ------------------------------------------------------------------------------


@pytest.fixture
def fund_facts():
    return pd.DataFrame({
        "article_section": ["F"] * 6 + ["other"],
        "fact_id": ["A1", "A2", "A3", "A4", "A5", "A6", "A7"],
        "subject": ["母基金总规模", "签约投融资公司数", "签约投融资公司（列举）", "签约投融资公司（列举）",
                    "签约公司数", "签约公司（列举）", "签约公司数"],
        "entity": ["基金", "开源公司", "甲资本", "深圳乙", "管委会", "北京丙", "x"],
        "entity_origin": [None, None, None, "深圳", None, "北京", None],
        "value_cny": [3e9, None, None, None, None, None, None],
        "value_count": [None, 22, None, None, 10, None, 99],
    })


def test_fund_partners_counts_kinds_and_named(fund_facts):
    fp = st.fund_partners(fund_facts, "F")
    assert fp.fund_cny == 3e9 and fp.fund_fact_id == "A1"
    kinds = fp.kinds.set_index("kind")
    assert kinds["partners"].to_dict() == {"投融资公司": 22, "公司": 10}  # other section ignored
    assert kinds.loc["投融资公司", "named"] == 2
    assert kinds.loc["投融资公司", "counterparty"] == "开源公司"
    assert kinds.loc["投融资公司", "kind_en"] == "investment and financing companies"
    assert kinds.loc["公司", "named_partners"] == "北京丙"
    origins = fp.named["origin_province"]
    assert origins.isna().tolist() == [True, False, False]
    assert origins.iloc[1:].tolist() == ["广东省", "北京市"]


def test_fund_partners_requires_size_and_counts(fund_facts):
    with pytest.raises(ValueError, match="fund size"):
        st.fund_partners(fund_facts.iloc[1:], "F")
    with pytest.raises(ValueError, match="partner counts"):
        st.fund_partners(fund_facts.iloc[[0]], "F")


def test_fund_partners_on_the_page():
    fp = st.fund_partners(io.load_clean("article_facts"), "阳泉高新区母基金")
    assert fp.kinds.set_index("kind")["partners"].to_dict() == {"投融资公司": 22, "金融机构": 14,
                                                               "公司": 10}
    assert fp.kinds["partners"].sum() == 46  # the 46 counterparties of metrics_spec §1.1
    assert fp.fund_cny == pytest.approx(30e8)
    assert len(fp.named) == 8


# --- figures ------------------------------------------------------------------------------------


def test_plot_stage_shares_draws_complete_rows_and_notes_missing():
    s = pd.DataFrame({"sign": [0.5, np.nan, np.nan], "start": [0.3, np.nan, np.nan],
                      "produce": [0.2, np.nan, np.nan],
                      "missing": ["", "produce", "sign, start, produce"]})
    ax = st.plot_stage_shares(s, Figure(layout="constrained").subplots(), labels=["A", "B", "C"])
    texts = [t.get_text() for t in ax.texts]
    assert "(not printed: In production)" in texts and "(not printed)" in texts
    assert len(ax.patches) == 3
    with pytest.raises(ValueError):
        st.plot_stage_shares(s, Figure().subplots(), labels=["A"])


def test_plot_stage_amounts_marks_missing_stage():
    t = pd.DataFrame({"g": ["A", "A"], "stage": ["sign", "start"],
                      "investment_cny": [5e9, 2e9], "average_size_cny": [5e8, 1e8]})
    axes = st.plot_stage_amounts(t, Figure(layout="constrained").subplots(1, 2),
                                 labels={("A",): "A"}, by=["g"])
    assert sum(t.get_text().strip() == "not printed" for t in axes[0].texts) == 1
    assert [p.get_width() for p in axes[0].patches] == pytest.approx([50.0, 20.0])


def test_plot_sector_shares_and_named_projects():
    fig = Figure(layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    shares = pd.DataFrame({"industry": [0.6, 1.0], "unlisted": [0.4, 0.0]},
                          index=pd.Index(["r1", "r2"], name="report"))
    st.plot_sector_shares(shares, ax1, labels={"r1": "R1", "r2": "R2"}, lang="en")
    assert [p.get_width() for p in ax1.patches] == pytest.approx([0.6, 1.0, 0.4, 0.0])
    summary = pd.DataFrame({"zone": ["Z", "W"], "industry": ["a", "a"], "projects": [2, 1],
                            "investment_cny": [3e8, 1e8]})
    st.plot_named_projects(summary, ax2, category="industry", stack="zone",
                           category_labels={"a": "A"}, stack_labels={"Z": "Z", "W": "W"})
    assert [t.get_text() for t in ax2.texts] == ["n = 3"]
    assert ax2.patches[-1].get_x() + ax2.patches[-1].get_width() == pytest.approx(4.0)


def test_figures_of_notebook_04_save_with_labelled_axes(city_round, four_reports, tmp_path):
    projects = pd.DataFrame({"fact_id": ["a", "b", "c"],
                             "zone": ["运城经开区", "运城经开区", "甘亭工业园区"],
                             "industry": ["新能源", "新材料", "新能源"],
                             "origin_province": ["广东省", None, "山西省"],
                             "investment_cny": [5e8, 1e8, 2e8]})
    sector = {m: st.sector_table(four_reports, m) for m in ("projects", "investment")}
    draws = {
        "fig01_t": lambda lg: st.stage_shares_figure(st.stage_summary(city_round), lg),
        "fig02_t": lambda lg: st.stage_amounts_figure(st.stage_amounts_table(city_round), lg),
        "fig03_t": lambda lg: st.named_projects_figure(
            st.project_summary(projects, ["zone", "industry"]),
            st.project_summary(projects, ["zone", "origin_province"]), lg),
        "fig04_t": lambda lg: st.sector_shares_figure(sector, lg),
    }
    for name, draw in draws.items():
        # every language available here; save_figure refuses unlabelled axes and missing glyphs
        fig = figures.save_figure_languages(draw, name, notebook="notebooks/04_test.ipynb",
                                            sources=["S1"], directory=tmp_path)
        plt.close(fig)
    saved = set(figures.read_catalogue(tmp_path)["name"])
    assert {n for n in saved if not n.endswith("_zh")} == set(draws)


def test_stage_figures_label_rows_with_the_round_label(city_round):
    fig = st.stage_shares_figure(st.stage_summary(city_round))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["A 2023-4", "B 2023-4"]
    plt.close(fig)
    fig = st.stage_amounts_figure(st.stage_amounts_table(city_round), "zh")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "A市 2023年第4次", "B市 2023年第4次"]
    plt.close(fig)


def test_sector_shares_figure_notes_reports_without_shares(four_reports):
    sector = {m: st.sector_table(four_reports, m) for m in ("projects", "investment")}
    fig = st.sector_shares_figure(sector, no_shares={"en": "(none)", "zh": "(无)"})
    rows = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(rows) == 4  # PC's remainder split has shares too
    assert [t.get_text() for t in fig.axes[1].texts] == ["(not printed)"] * 3
    plt.close(fig)


def test_sector_report_table_one_row_per_report_and_measure():
    # projects: 60 + 30 of 100 → remainder 10 (shares 0.6 / 0.3 / 0.1);
    # investment: 70 + 40 亿元 > 100 亿元 → exceeds the total, no shares
    facts = pd.concat([
        _sector_facts([("none", None, "projects", "100个", 100, {}),
                       ("sector", "制造业", "projects", "60个", 60, {}),
                       ("sector", "基础设施", "projects", "30个", 30, {})]),
        _sector_facts([("none", None, "investment", "100亿元", 100e8, {}),
                       ("sector", "制造业", "investment", "70亿元", 70e8, {}),
                       ("sector", "基础设施", "investment", "40亿元", 40e8, {})], source="P2"),
    ], ignore_index=True)
    tables = {m: st.sector_table(facts, m) for m in ("projects", "investment")}
    t = st.sector_report_table(tables).set_index("measure")
    assert list(t["unit"]) == ["projects", "CNY"]
    assert t.loc["projects", ["printed_total", "listed_sum", "gap"]].tolist() == [100, 90, 10]
    assert t.loc["projects", ["industry", "infrastructure", "unlisted"]].tolist() == pytest.approx(
        [0.6, 0.3, 0.1])
    assert t.loc["investment", "status"] == "exceeds_total"
    assert t.loc["investment", list(st.SECTOR_CLASS_ORDER)].isna().all()
    with pytest.raises(ValueError):
        st.sector_report_table({})
