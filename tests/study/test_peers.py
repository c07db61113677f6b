"""Tests for zonestudy.study.peers on tiny hand-computed fixtures shaped like the clean campaign facts."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from zonestudy.study import peers


def fact(fact_id, *, province="山西省", province_en="Shanxi", campaign="三个一批 (全省开发区)",
         scope="province", city=None, geography=None, year=2023, round_no=4, round_label="2023年第四次",
         stage="sign", breakdown="none", category=None, measure="projects", count=None, cny=None,
         qualifier="exact", source="S1", overlaps=False, parsed=True):
    """One campaign fact with the clean table's columns."""
    return {
        "fact_id": fact_id, "source_id": source, "province": province, "province_en": province_en,
        "campaign": campaign, "round_label": round_label, "year": year, "round_no": round_no,
        "scope": scope, "geography": geography or (city if scope == "city" else province), "city": city,
        "stage": stage, "breakdown": breakdown, "category": category, "measure": measure,
        "value_count": np.nan if count is None else float(count),
        "value_cny": np.nan if cny is None else float(cny), "qualifier": qualifier,
        "overlaps_main_split": overlaps, "parsed": parsed,
    }


def frame(rows):
    out = pd.DataFrame(rows)
    out["year"] = out["year"].astype("Int64")
    out["round_no"] = out["round_no"].astype("Int64")
    return out


@pytest.fixture
def round4():
    """A round with province counts 100/80/50 and two cities; one city prints investment too.

    Datong 20/16/10, Yangquan 30/24 (no produce count). Yangquan's sign row is printed twice
    (two sources, same value). A measure-"other" row and an all-stage row must be ignored.
    """
    rows = [
        fact("F1", stage="sign", count=100), fact("F2", stage="start", count=80),
        fact("F3", stage="produce", count=50),
        fact("F4", scope="city", city="大同市", stage="sign", count=20),
        fact("F5", scope="city", city="大同市", stage="start", count=16),
        fact("F6", scope="city", city="大同市", stage="produce", count=10),
        fact("F7", scope="city", city="阳泉市", stage="sign", count=30),
        fact("F8", scope="city", city="阳泉市", stage="sign", count=30, source="S2"),
        fact("F9", scope="city", city="阳泉市", stage="start", count=24),
        fact("F10", scope="city", city="阳泉市", stage="sign", measure="investment", cny=6e9),
        fact("F11", scope="city", city="大同市", stage="sign", measure="investment", cny=2e9),
        fact("F12", scope="city", city="忻州市", stage="sign", measure="other", count=10),
        fact("F13", scope="city", city="大同市", stage="all", count=46),
    ]
    return frame(rows)


# --- ids and keys --------------------------------------------------------------------------------


# split_ids / join_ids moved to zonestudy.sources (tests/test_sources.py).


def test_report_keys_use_city_and_year_round():
    facts = frame([fact("F1", scope="city", city="大同市"),
                   fact("F2", year=None, round_no=None, round_label="第十五期"),
                   fact("F3", year=None, round_no=None, round_label=None)])
    keyed = peers.with_report_keys(facts)
    assert keyed["place"].tolist() == ["大同市", "山西省", "山西省"]
    assert keyed["event"].tolist() == ["2023-4", "第十五期", "(no label)"]


def test_collapse_duplicates_merges_equal_copies_and_keeps_ids(round4):
    rows = round4[(round4["city"] == "阳泉市") & (round4["measure"] == "projects")]
    out = peers.collapse_duplicates(rows, ["city", "stage"])
    sign = out[out["stage"] == "sign"].iloc[0]
    assert sign["value"] == 30 and sign["n_copies"] == 2
    assert sign["fact_ids"] == "F7;F8" and sign["source_ids"] == "S1;S2"


def test_collapse_duplicates_refuses_conflicting_values():
    rows = frame([fact("F1", count=10), fact("F2", count=12)])
    with pytest.raises(ValueError, match="different values"):
        peers.collapse_duplicates(rows, ["stage"])


# --- labels --------------------------------------------------------------------------------------


@pytest.mark.parametrize("label, year, round_no, expected", [
    ("2023年第四次", 2023, 4, "2023 round 4"),
    ("第四期", 2022, 4, "round 4 (2022)"),
    ("2021年第一期", 2021, 1, "2021 round 1"),
    ("2023年第二批", 2023, 2, "2023 batch 2"),
    ("第十五期", None, None, "round 15"),
    ("前六期 (第一期至第六期)", None, None, "rounds 1–6"),
    ("2020年第四季度", None, None, "2020 Q4"),
    ("2023年秋季", None, None, "2023 autumn"),
    ("2022年上半年", None, None, "2022 H1"),
    ("2022年1-6月", None, None, "2022 Jan–Jun"),
    ("全省开发区2020年“三个一批”活动启动暨项目集中签约仪式", None, None, "2020 launch event"),
    ("This year (2021)", None, None, "This year (2021)"),
    ("截至3月底", None, None, "unlabelled report"),
])
def test_event_label_english(label, year, round_no, expected):
    assert peers.event_label(label, year, round_no) == expected


def test_event_label_never_returns_chinese_in_english():
    for label in ["日前", "第二批 (year not printed)", "我市"]:
        text = peers.event_label(label)
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_event_label_chinese():
    assert peers.event_label("2023年第四次", 2023, 4, "zh") == "2023年第4次"
    assert peers.event_label("二季度 (year not printed)", lang="zh") == "二季度"
    with pytest.raises(ValueError):
        peers.event_label("x", lang="fr")


def test_campaign_kind_and_groups():
    assert peers.campaign_kind("三个一批") == "campaign round"
    assert peers.campaign_kind("重大项目集中开竣工") == "concentrated event"
    assert peers.campaign_kind("省市县三级重大项目协同联动开工") == "concentrated event"
    assert peers.campaign_kind("省级层面重点推进大中型建设项目 (年度清单)") == "list or period total"
    assert peers.campaign_kind(None) == "list or period total"
    row = {"province": "湖北省", "province_en": "Hubei", "scope": "province", "kind": "concentrated event"}
    assert peers.comparison_group(row) == "Hubei" and peers.comparison_group(row, "zh") == "湖北省"


# --- 1. cities -----------------------------------------------------------------------------------


def test_city_shares_hand_computed(round4):
    out = peers.city_shares(round4, (2023, 4))
    sign = out[out["stage"] == "sign"].set_index("city")
    # Datong 20/100, Yangquan 30/100; among the two: 20/50 and 30/50
    assert sign.loc["大同市", "share_of_province"] == pytest.approx(0.2)
    assert sign.loc["阳泉市", "share_of_province"] == pytest.approx(0.3)
    assert sign.loc["大同市", "share_of_reported"] == pytest.approx(0.4)
    assert "忻州市" not in sign.index  # measure "other" is not a count of the stage
    produce = out[out["stage"] == "produce"]
    assert produce["city"].tolist() == ["大同市"]
    assert produce["share_of_reported"].iloc[0] == pytest.approx(1.0)
    assert produce["share_of_province"].iloc[0] == pytest.approx(0.2)
    assert set(out["stage"]) == {"sign", "start", "produce"}  # the all-stage row is not a stage
    assert out.loc[out["city"] == "阳泉市", "source_ids"].iloc[0] == "S1;S2"
    assert out["stage"].tolist() == ["sign", "sign", "start", "start", "produce"]


def test_city_shares_without_province_total(round4):
    out = peers.city_shares(round4, (2023, 4), "investment").set_index("city")
    assert out["share_of_province"].isna().all()
    assert out.loc["阳泉市", "share_of_reported"] == pytest.approx(0.75)
    assert out.loc["阳泉市", "investment_cny"] == 6e9
    with pytest.raises(ValueError):
        peers.city_shares(round4, (2023, 4), "annual_output")


def test_city_concentration_hand_computed(round4):
    conc = peers.city_concentration(peers.city_shares(round4, (2023, 4)))
    # sign: shares 0.4, 0.6 -> H = 0.52, H* = (0.52 - 0.5) / 0.5 = 0.04, N_eq = 1/0.52
    assert conc.loc["sign", "hhi"] == pytest.approx(0.52)
    assert conc.loc["sign", "hhi_normalised"] == pytest.approx(0.04)
    assert conc.loc["sign", "equivalent_cities"] == pytest.approx(1 / 0.52)
    assert conc.loc["sign", "itemised"] == pytest.approx(0.5)
    assert conc.loc["produce", "n_cities"] == 1 and math.isnan(conc.loc["produce", "hhi_normalised"])
    assert list(conc.index) == ["sign", "start", "produce"]


# --- 2. structure --------------------------------------------------------------------------------


def test_stage_mix_needs_all_three_stages(round4):
    mix = peers.stage_mix(round4, scope="city")
    assert mix["place"].tolist() == ["大同市"]  # Yangquan has no produce count
    row = mix.iloc[0]
    assert (row["sign"], row["start"], row["produce"], row["total"]) == (20, 16, 10, 46)
    assert row["printed_total"] == 46
    assert row["share_sign"] == pytest.approx(20 / 46)
    province = peers.stage_mix(round4)
    assert province[["sign", "start", "produce"]].iloc[0].tolist() == [100, 80, 50]
    assert pd.isna(province["printed_total"].iloc[0])


def test_similarity_matrix_hand_computed():
    shares = pd.DataFrame({"a": [1.0, 0.0, 0.5], "b": [0.0, 1.0, 0.5]}, index=["x", "y", "z"])
    cos = peers.similarity_matrix(shares)
    kru = peers.similarity_matrix(shares, "krugman")
    assert cos.loc["x", "y"] == pytest.approx(0.0)
    assert cos.loc["x", "z"] == pytest.approx(1 / math.sqrt(2))
    assert kru.loc["x", "y"] == pytest.approx(2.0) and kru.loc["x", "z"] == pytest.approx(1.0)
    assert np.allclose(np.diag(cos), 1.0) and np.allclose(np.diag(kru), 0.0)
    assert (cos.to_numpy() == cos.to_numpy().T).all()
    with pytest.raises(ValueError):
        peers.similarity_matrix(pd.DataFrame({"a": [1.0, 1.0]}, index=["x", "x"]))


def test_matrix_pairs():
    m = pd.DataFrame([[0.0, 2.0], [2.0, 0.0]], index=["a", "b"], columns=["a", "b"])
    assert peers.matrix_pairs(m).to_dict() == {("a", "b"): 2.0}


def test_size_by_report_and_pooling(round4):
    sizes = peers.size_by_report(round4, scope="city")
    assert sizes["place"].tolist() == ["大同市", "阳泉市"]
    # Datong 2e9 / 20 = 1e8 yuan; Yangquan 6e9 / 30 = 2e8 yuan (duplicate sign count collapsed)
    assert sizes["average_size_cny"].tolist() == pytest.approx([1e8, 2e8])
    pooled = peers.size_by_report(round4, scope="city", pool_places=True)
    assert len(pooled) == 1
    assert pooled["average_size_cny"].iloc[0] == pytest.approx(8e9 / 50)
    assert pooled["n_places"].iloc[0] == 2 and pooled["places"].iloc[0] == "大同市;阳泉市"
    assert pooled["fact_ids"].iloc[0] == "F10;F11;F4;F7;F8"


def test_size_by_report_marks_lower_bounds():
    facts = frame([fact("F1", stage="start", count=259),
                   fact("F2", stage="start", measure="investment", cny=2.7e11, qualifier="over")])
    out = peers.size_by_report(facts)
    assert out["qualifier"].iloc[0] == "over"
    assert out["average_size_cny"].iloc[0] == pytest.approx(2.7e11 / 259)


# Sector harmonisation is zonestudy.study.structure's (SECTOR_MAP, sector_table, sector_shares); its tests,
# including the exclusion of overlapping rows and the chi-square on counts only, are in
# tests/test_structure.py.


def test_count_table_from_and_homogeneity_table():
    mix = pd.DataFrame({"label": ["A", "B"], "coal": [10, 3], "chem": [6, 5], "food": [4, 12]})
    table = peers.count_table_from(mix, ["coal", "chem", "food"], index="label")
    assert table.attrs["kind"] == "count" and table.dtypes.eq("int64").all()
    out = peers.homogeneity_table({"spec": table, "small": table // 3})
    # metrics_spec §6.2: X2 = 7.86 on 2 df, p = 0.020, smallest expected count 5.5
    assert out.loc["spec", "chi2"] == pytest.approx(7.86, abs=0.005)
    assert out.loc["spec", "dof"] == 2 and out.loc["spec", "cells_below_min"] == 0
    assert out.loc["small", "cells_below_min"] > 0
    with pytest.raises(ValueError):
        peers.count_table_from(pd.DataFrame({"a": [1.5]}), ["a"])


# --- 3. registries -------------------------------------------------------------------------------


def test_province_counts_ranks_and_ties():
    reg = pd.DataFrame({
        "province": ["山西省", "山西省", "山西省", "江苏省", "江苏省", "江苏省", "河南省", "河南省"],
        "province_en": ["Shanxi"] * 3 + ["Jiangsu"] * 3 + ["Henan"] * 2,
        "national_etdz": [True, True, False, True, True, True, True, True],
        "national_hitech": [True, False, False, True, False, False, False, True],
        "source_ids": ["E; W-1", "E", "S", "E", "E", "E; H", "E", "H"],
    })
    out = peers.province_counts(reg)
    assert out.index.tolist() == ["江苏省", "河南省", "山西省"]
    assert out.loc["山西省", ["etdz", "hitech", "rank_etdz", "rank_hitech"]].tolist() == [2, 1, 2, 1]
    assert out.loc["山西省", "tied_etdz"] == 1 and out.loc["山西省", "tied_hitech"] == 2
    assert out.loc["山西省", "source_ids"] == "E;W-1"  # the provincial zone's source is not counted


def test_rankings_with_province_two_checks():
    from zonestudy.zones import example_registry

    reg = example_registry()
    shanxi_zone = reg[reg["province"] == "山西省"].iloc[0]
    ranks = pd.DataFrame({"year": [2021, 2021], "rank": ["1", "2"],
                          "zone_name": ["苏州工业园区", shanxi_zone["zone_name"]],
                          "province": ["江苏", "江苏"], "source_ids": ["W-1", "W-1"]})
    out = peers.rankings_with_province(ranks, reg)
    assert out["province_full"].tolist() == ["江苏省", "江苏省"]
    assert out["zone_province"].iloc[1] == "山西省"  # the name says Shanxi though the printed province does not


# --- figures -------------------------------------------------------------------------------------


def test_plots_label_every_axis(round4, tmp_path):
    from zonestudy import figures

    shares = peers.city_shares(round4, (2023, 4))
    mix = peers.stage_mix(round4).assign(label="Shanxi 2023-4")
    sizes = peers.size_by_report(round4, scope="city").assign(group="Shanxi")
    counts = pd.DataFrame({"province_en": ["Shanxi", "Henan"], "etdz": [4, 9], "hitech": [2, 8]},
                          index=["山西省", "河南省"])
    matrix = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["a", "b"], columns=["a", "b"])
    drawn = [peers.plot_city_shares(shares), peers.plot_stage_mix(mix, "label"),
             peers.plot_size_comparison(sizes, "group"), peers.plot_province_counts(counts),
             peers.plot_similarity({"cosine": matrix, "krugman": 1 - matrix})]
    for i, fig in enumerate(drawn):
        figures.save_figure(fig, f"fig9{i}_test", notebook="notebooks/05_comparisons.ipynb",
                            sources=["S1"], directory=tmp_path)
        plt.close(fig)
    assert len(list(tmp_path.glob("*.png"))) == len(drawn)


# save_bilingual moved to zonestudy.figures.save_figure_languages (tests/test_figures.py).


# --- focus round, size comparison, mix similarity ------------------------------------------------------


def test_focus_round_needs_a_province_count_and_breaks_ties_by_latest():
    rows = [
        # 2023-3: province count, cities A, B
        fact("A1", round_no=3, count=100), fact("A2", round_no=3, scope="city", city="大同市", count=10),
        fact("A3", round_no=3, scope="city", city="阳泉市", count=20),
        # 2023-4: province count, cities A, C (tie with 2023-3 → 2023-4); a subset row for a third
        fact("B1", count=90), fact("B2", scope="city", city="大同市", count=10),
        fact("B3", scope="city", city="晋城市", count=5),
        fact("B4", scope="city", city="长治市", count=2, overlaps=True),
        fact("B5", scope="city", city="朔州市", count=7, stage="all"),
        fact("B6", scope="city", city="吕梁市", cny=7e8, measure="investment"),
        # 2024-1: three cities, no province count
        *[fact(f"C{i}", year=2024, round_no=1, scope="city", city=c, count=1)
          for i, c in enumerate(["大同市", "阳泉市", "晋城市"])],
        # another province with more cities
        *[fact(f"D{i}", province="河南省", province_en="Henan", scope="city", city=c, count=1)
          for i, c in enumerate(["郑州市", "洛阳市", "开封市", "新乡市"])],
        fact("D9", province="河南省", province_en="Henan", count=9),
    ]
    facts = frame(rows)
    assert peers.focus_round(facts) == (2023, 4)
    assert peers.focus_round(facts, "河南省") == (2023, 4)
    with pytest.raises(ValueError, match="no numbered round"):
        peers.focus_round(facts, "湖南省")


def test_size_comparison_keeps_per_stage_lists_only_and_orders_groups():
    rows = [
        # Shanxi province round: sign 10 projects, 50 亿元 → 5 亿元
        fact("S1", count=10), fact("S2", measure="investment", cny=50e8),
        # its all-stage total (must not enter): 30 projects, 300 亿元
        fact("S3", stage="all", count=30), fact("S4", stage="all", measure="investment", cny=300e8),
        # an annual cumulative total (must not enter)
        fact("S5", scope="cumulative", year=None, round_no=None, round_label="This year (2021)", count=1000),
        fact("S6", scope="cumulative", year=None, round_no=None, round_label="This year (2021)",
             measure="investment", cny=5000e8),
        # two Shanxi cities: 4 + 6 projects, 8 + 32 亿元 → pooled 4 亿元
        fact("S7", scope="city", city="大同市", count=4), fact("S8", scope="city", city="大同市",
                                                              measure="investment", cny=8e8),
        fact("S9", scope="city", city="阳泉市", count=6), fact("S10", scope="city", city="阳泉市",
                                                               measure="investment", cny=32e8),
        # Henan round: start 20 projects, 200 亿元 → 10 亿元
        fact("H1", province="河南省", province_en="Henan", campaign="三个一批", stage="start", count=20,
             round_label="第四期"),
        fact("H2", province="河南省", province_en="Henan", campaign="三个一批", stage="start",
             measure="investment", cny=200e8, round_label="第四期"),
    ]
    out = peers.size_comparison(frame(rows))
    assert out["group_en"].tolist() == ["Shanxi, province", "Shanxi, reporting cities (pooled)",
                                        "Henan, campaign rounds"]
    assert out["size_yi"].tolist() == pytest.approx([5.0, 4.0, 10.0])
    assert set(out["stage"]) <= {"sign", "start", "produce"}
    assert not out["fact_ids"].str.contains("S3|S4|S5|S6").any()


def test_mix_similarity_hand_computed():
    mix = pd.DataFrame({"lbl": ["A", "B"], "share_sign": [1.0, 0.0], "share_start": [0.0, 1.0],
                        "share_produce": [0.0, 0.0]})
    m = peers.mix_similarity(mix, "lbl")
    assert list(m) == ["cosine", "krugman"]
    assert m["cosine"].loc["A", "B"] == pytest.approx(0.0)
    assert m["krugman"].loc["A", "B"] == pytest.approx(2.0)
    assert m["krugman"].loc["A", "A"] == pytest.approx(0.0)


def test_count_table_from_refuses_amounts_even_when_whole_numbers():
    amounts = pd.DataFrame({"sign_cny": [3e9, 1e9], "start_cny": [2e9, 5e8]}, index=["A", "B"])
    with pytest.raises(TypeError, match="amounts or shares"):
        peers.count_table_from(amounts, ["sign_cny", "start_cny"])
    weighted = pd.DataFrame({"sign": [30, 10], "start": [20, 5]}, index=["A", "B"])
    weighted.attrs["weight"] = "investment_cny"
    with pytest.raises(TypeError, match="amounts or shares"):
        peers.count_table_from(weighted, ["sign", "start"])
