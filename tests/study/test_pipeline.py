"""Tests for zonestudy.study.pipeline: stage tables, flow ratios, sizes, published rates, count pairs.

Every expected number is computed by hand from the tiny frames below; reference cases come from
docs/metrics_spec.md §0 (Taiyuan) and §1.3 (临猗).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from zonestudy import figures, metrics
from zonestudy.study import pipeline as pl
from zonestudy.sources import split_ids

# --- fixtures -------------------------------------------------------------------------------------


def fact(fact_id, stage, value, *, measure="projects", source="S1", scope="province",
         geography="P", year=2021, round_no=1, **extra):
    """One campaign fact in the clean layout (only the columns the pipeline reads)."""
    row = {
        "fact_id": fact_id, "source_id": source, "scope": scope, "year": year,
        "round_no": round_no, "geography": geography, "stage": stage, "measure": measure,
        "breakdown": "none", "qualifier": "exact", "parsed": True,
        "overlaps_main_split": False,
        "value_count": value if measure == "projects" else np.nan,
        "value_cny": value if measure != "projects" else np.nan,
    }
    row.update(extra)
    return row


def frame(*rows):
    df = pd.DataFrame(list(rows))
    df["year"] = df["year"].astype("Int64")
    df["round_no"] = df["round_no"].astype("Int64")
    return df


@pytest.fixture
def facts():
    """Two rounds for province P, one for city C (values chosen for easy arithmetic)."""
    return frame(
        # round 2021-1: sign 40 (printed by two sources), start 30, produce 60; investment 80/60
        fact("F1", "sign", 40.0, source="S1"),
        fact("F2", "sign", 40.0, source="S2"),
        fact("F3", "start", 30.0, source="S1"),
        fact("F4", "produce", 60.0, source="S3"),
        fact("F5", "sign", 80e8, measure="investment", source="S1"),
        fact("F6", "start", 60e8, measure="investment", source="S4"),
        # round 2021-2: sign 10, start 20; produce not printed
        fact("F7", "sign", 10.0, round_no=2, source="S5"),
        fact("F8", "start", 20.0, round_no=2, source="S5"),
        # rows that must never enter a stage table
        fact("F9", "all", 100.0),                                    # total over the stages
        fact("F10", "sign", 4.0, breakdown="sector"),                # a split
        fact("F11", "sign", 3.0, overlaps_main_split=True),          # flagged subset
        fact("F12", "sign", np.nan, parsed=False),                   # not a single quantity
        fact("F13", "sign", 999.0, round_no=pd.NA),                  # no round number
        # a city
        fact("F14", "sign", 5.0, scope="city", geography="C", source="S6"),
        fact("F15", "start", 8.0, scope="city", geography="C", source="S6"),
        fact("F16", "sign", 10e8, measure="investment", scope="city", geography="C",
             source="S7"),
    )


# --- helpers --------------------------------------------------------------------------------------


# The id helpers (formerly collect_ids) are tested in tests/test_sources.py.


def test_round_label_languages():
    assert pl.round_label(2023, 4) == "2023-4"
    assert pl.round_label(2023, 4, "zh") == "2023年第4次"
    with pytest.raises(ValueError):
        pl.round_label(2023, 4, "fr")


def test_round_label_with_place():
    # formerly structure.round_labels ("Shuozhou 2023 R4"): one round label for every module
    assert pl.round_label(2023, 4, place="朔州市") == "Shuozhou 2023-4"
    assert pl.round_label(2023, 4, "zh", place="朔州市") == "朔州市 2023年第4次"
    assert pl.round_label(2021, 1, place="山西省") == "Shanxi 2021-1"
    with pytest.raises(ValueError):
        pl.round_label(2023, 4, "fr", place="朔州市")


# --- stage_table ----------------------------------------------------------------------------------


def test_stage_table_one_row_per_round_with_printed_values_only(facts):
    t = pl.stage_table(facts, "projects")
    assert list(t.index) == [(2021, 1, "P"), (2021, 2, "P")]
    assert t.loc[(2021, 1, "P"), ["sign", "start", "produce"]].tolist() == [40.0, 30.0, 60.0]
    # the 2021-2 produce list is not printed: it stays missing, nothing interpolated
    row = t.loc[(2021, 2, "P")]
    assert row["sign"] == 10.0 and row["start"] == 20.0 and np.isnan(row["produce"])
    assert row["not_printed"] == "produce"
    assert t.loc[(2021, 1, "P"), "not_printed"] == ""


def test_stage_table_counts_repeated_figures_once_and_keeps_all_ids(facts):
    t = pl.stage_table(facts, "projects")
    row = t.loc[(2021, 1, "P")]
    assert row["sign"] == 40.0  # printed twice, counted once
    assert row["sign_sources"] == "S1;S2"
    assert row["start_sources"] == "S1"
    assert row["produce_sources"] == "S3"
    assert row["fact_ids"] == "F1;F2;F3;F4"
    assert row["source_ids"] == "S1;S2;S3"


def test_stage_table_excludes_totals_splits_subsets_unparsed_and_unnumbered(facts):
    t = pl.stage_table(facts, "projects")
    used = split_ids(t["fact_ids"])
    for excluded in ["F9", "F10", "F11", "F12", "F13"]:
        assert excluded not in used


def test_stage_table_money_in_yuan_and_attrs(facts):
    t = pl.stage_table(facts, "investment")
    assert t.attrs == {"measure": "investment", "unit": "yuan"}
    assert t.loc[(2021, 1, "P"), ["sign", "start"]].tolist() == [80e8, 60e8]
    assert t.loc[(2021, 1, "P"), "not_printed"] == "produce"


def test_stage_table_scope_selection(facts):
    city = pl.stage_table(facts, "projects", "city")
    assert list(city.index) == [(2021, 1, "C")]
    both = pl.stage_table(facts, "projects", ("province", "city"))
    assert set(both["scope"]) == {"province", "city"}
    assert len(both) == 3


def test_stage_table_other_index(facts):
    t = pl.stage_table(facts, "projects", index=("geography",), scope="city")
    assert list(t.index) == ["C"]


def test_stage_table_flags_inexact_values():
    t = pl.stage_table(frame(fact("F1", "sign", 1700.0, qualifier="over"),
                             fact("F2", "start", 5.0)), "projects")
    assert t["inexact"].iloc[0] == "sign"


def test_stage_table_refuses_disagreeing_sources():
    clash = frame(fact("F1", "sign", 40.0, source="S1"), fact("F2", "sign", 41.0, source="S2"))
    with pytest.raises(ValueError, match="F1=40.*F2=41"):
        pl.stage_table(clash, "projects")


def test_stage_table_refuses_rates_and_shares(facts):
    with pytest.raises(ValueError, match="measure"):
        pl.stage_table(facts, "share_projects")


def test_stage_table_refuses_a_row_that_mixes_scopes():
    mixed = frame(fact("F1", "sign", 4.0, scope="province"), fact("F2", "start", 3.0, scope="city"))
    with pytest.raises(ValueError, match="mix scopes"):
        pl.stage_table(mixed, "projects", ("province", "city"))


def test_stage_table_names_missing_columns(facts):
    with pytest.raises(ValueError, match="overlaps_main_split"):
        pl.stage_table(facts.drop(columns="overlaps_main_split"), "projects")


def test_stage_table_empty_selection_keeps_columns(facts):
    t = pl.stage_table(facts, "projects", "zone")
    assert t.empty
    assert {"sign", "start", "produce", "source_ids"} <= set(t.columns)


# --- round_flow_ratios ----------------------------------------------------------------------------


def test_flow_ratios_by_hand(facts):
    r = pl.round_flow_ratios(pl.stage_table(facts, "projects"))
    assert list(r.index) == [
        (2021, 1, "P", "start/sign"), (2021, 1, "P", "produce/start"), (2021, 2, "P", "start/sign"),
    ]
    assert r["value"].tolist() == pytest.approx([30 / 40, 60 / 30, 20 / 10])
    assert r["numerator"].tolist() == [30, 60, 20]
    assert r["denominator"].tolist() == [40, 30, 10]
    assert set(r["kind"]) == {"flow"} and set(r["label"]) == {"flow ratio"}


def test_flow_ratios_may_exceed_one_and_match_metrics(facts):
    r = pl.round_flow_ratios(pl.stage_table(facts, "projects"))
    assert (r["value"] > 1).sum() == 2
    direct = metrics.flow_ratio(60, 30)["value"].iloc[0]
    assert r.loc[(2021, 1, "P", "produce/start"), "value"] == direct


def test_flow_ratio_sources_are_those_of_the_two_lists(facts):
    r = pl.round_flow_ratios(pl.stage_table(facts, "projects"))
    assert r.loc[(2021, 1, "P", "start/sign"), "source_ids"] == "S1;S2"
    assert r.loc[(2021, 1, "P", "produce/start"), "source_ids"] == "S1;S3"


def test_flow_ratios_refuse_money(facts):
    with pytest.raises(ValueError, match="project counts"):
        pl.round_flow_ratios(pl.stage_table(facts, "investment"))


def test_flow_ratios_of_a_table_without_pairs_is_empty():
    t = pl.stage_table(frame(fact("F1", "sign", 4.0)), "projects")
    r = pl.round_flow_ratios(t)
    assert r.empty and "flow" in r.index.names


# --- sizes_by_stage -------------------------------------------------------------------------------


def test_sizes_only_where_both_figures_are_printed(facts):
    s = pl.sizes_by_stage(facts)
    # P 2021-1: sign 80e8/40, start 60e8/30; produce has no investment; 2021-2 has no investment
    # C 2021-1: sign 10e8/5; start has no investment
    assert list(s.index) == [(2021, 1, "C", "sign"), (2021, 1, "P", "sign"),
                             (2021, 1, "P", "start")]
    assert (s["average_size_cny"] / 1e8).tolist() == pytest.approx([2.0, 2.0, 2.0])
    assert s["projects"].tolist() == [5.0, 40.0, 30.0]
    assert s["scope"].tolist() == ["city", "province", "province"]


def test_sizes_keep_sources_of_both_figures(facts):
    s = pl.sizes_by_stage(facts)
    assert s.loc[(2021, 1, "P", "start"), "source_ids"] == "S1;S4"
    assert s.loc[(2021, 1, "C", "sign"), "source_ids"] == "S6;S7"


def test_sizes_stage_order_is_the_pipeline_order():
    rows = frame(*[fact(f"N{i}", st, 10.0, source="S1") for i, st in enumerate(pl.STAGES)],
                 *[fact(f"I{i}", st, 5e8, measure="investment") for i, st in enumerate(pl.STAGES)])
    s = pl.sizes_by_stage(rows)
    assert list(s.index.get_level_values("stage")) == list(pl.STAGES)
    assert (s["average_size_cny"] == 5e7).all()


def test_sizes_empty_when_nothing_matches():
    s = pl.sizes_by_stage(frame(fact("F1", "sign", 4.0)))
    assert s.empty and "average_size_cny" in s.columns


# --- published_vs_flow ----------------------------------------------------------------------------


def published(**override):
    row = {"rate_id": "R1", "source_id": "TY", "geography": "太原市开发区", "period": "p",
           "rate_name": "开工率", "value_text": "58.82%", "value": 58.82,
           "cohort": "projects signed", "cohort_size": 68, "stage_reached": "started",
           "reached": 40, "from_list_total": 68, "to_list_total": 57, "notes": ""}
    row.update(override)
    return pd.DataFrame([row])


def test_taiyuan_rates_reproduce_as_cohort_rates_not_flow_ratios():
    rates = pd.concat([
        published(),
        published(rate_id="R2", rate_name="投产率", value_text="29.82%", value=29.82,
                  cohort_size=57, reached=17, from_list_total=57, to_list_total=41),
    ])
    t = pl.published_vs_flow(rates)
    assert t["numerator"].tolist() == [40, 17]
    assert t["candidates"].tolist() == ["40", "17"]
    assert (100 * t["cohort_rate"]).round(2).tolist() == [58.82, 29.82]
    assert t["cohort_reproduces"].all() and not t["flow_reproduces"].any()
    assert t["matches_transcribed"].all()
    assert (100 * t["flow_ratio"]).round(2).tolist() == [83.82, 71.93]
    assert t["gap_pts"].round(2).tolist() == [25.0, 42.11]
    low, high = metrics.proportion_ci(40, 68)
    assert t.loc["R1", "ci_low"] == pytest.approx(low)
    assert t.loc["R1", "ci_high"] == pytest.approx(high)


def test_published_rate_with_several_fitting_numerators_gets_none():
    # "47%" of 270 fits k = 126, 127, 128 when rounded (metrics_spec §1.2)
    t = pl.published_vs_flow(published(value_text="47%", value=47.0, cohort_size=270,
                                       reached=pd.NA, from_list_total=270, to_list_total=129))
    row = t.loc["R1"]
    assert row["decimals"] == 0
    assert row["candidates"] == "126;127;128"
    assert pd.isna(row["numerator"]) and np.isnan(row["cohort_rate"])
    assert not row["cohort_reproduces"] and not row["matches_transcribed"]


def test_published_rate_that_disagrees_with_transcribed_numerator_is_flagged():
    t = pl.published_vs_flow(published(reached=41))
    assert not t.loc["R1", "matches_transcribed"]


def test_published_rate_must_be_a_printed_percentage():
    with pytest.raises(ValueError, match="percentage"):
        pl.published_vs_flow(published(value_text="五成"))


# --- count_pair_rates -----------------------------------------------------------------------------


@pytest.fixture
def page():
    return pd.DataFrame({
        "fact_id": ["A1", "A2", "A3", "A4"], "source_id": ["K1", "K1", "K1", "K2"],
        "zone": ["Z", "Z", "W", "W"],
        "subject": ["key projects", "producing", "key projects", "new starts"],
        "value_count": [39.0, 2.0, 22.0, 13.0], "qualifier": "exact",
        "period": ["2024", "Aug", "Aug", "Aug"],
    })


def pairs(*rows):
    return pd.DataFrame([dict(zip(["zone", "numerator", "denominator", "kind", "population"], r))
                         for r in rows])


def test_cohort_pair_gets_wilson_interval(page):
    r = pl.count_pair_rates(page, pairs(("Z", "producing", "key projects", "cohort", "work list")))
    row = r.iloc[0]
    assert (row["numerator"], row["denominator"]) == (2, 39)
    assert (row["numerator_fact"], row["denominator_fact"]) == ("A2", "A1")
    assert row["value"] == pytest.approx(2 / 39)
    # metrics_spec §1.3: 95 % Wilson interval 1.4 %–16.9 %
    assert (round(100 * row["ci_low"], 1), round(100 * row["ci_high"], 1)) == (1.4, 16.9)
    assert row["source_ids"] == "K1" and row["population"] == "work list"


def test_neither_pair_forms_no_ratio(page):
    r = pl.count_pair_rates(page, pairs(("W", "new starts", "key projects", "none", "unrelated")))
    row = r.iloc[0]
    assert (row["numerator"], row["denominator"]) == (13, 22)
    assert np.isnan(row["value"]) and np.isnan(row["ci_low"])
    assert row["source_ids"] == "K1;K2"


def test_flow_pair_has_no_interval(page):
    r = pl.count_pair_rates(page, pairs(("W", "key projects", "new starts", "flow", "lists")))
    assert r["value"].iloc[0] == pytest.approx(22 / 13)
    assert np.isnan(r["ci_low"].iloc[0])


def test_cohort_pair_refuses_numerator_above_denominator(page):
    with pytest.raises(ValueError):
        pl.count_pair_rates(page, pairs(("W", "key projects", "new starts", "cohort", "x")))


def test_pair_subject_must_match_one_fact(page):
    with pytest.raises(ValueError, match="found 0"):
        pl.count_pair_rates(page, pairs(("Z", "signed", "key projects", "cohort", "x")))


def test_pair_kind_must_be_known(page):
    with pytest.raises(ValueError, match="kind"):
        pl.count_pair_rates(page, pairs(("Z", "producing", "key projects", "rate", "x")))


# --- figures --------------------------------------------------------------------------------------


LANGS = ["en"] + (["zh"] if figures.resolve_lang("zh") == "zh" else [])


@pytest.mark.parametrize("lang", LANGS)
def test_every_plot_saves_with_labelled_axes(facts, tmp_path, lang):
    counts = pl.stage_table(facts, "projects")
    money = pl.stage_table(facts, "investment")
    city = pl.stage_table(facts, "projects", "city")
    draws = {
        "fig01_t": lambda lg: pl.plot_stage_rounds(
            [counts, money], [(2021, 1), (2021, 2), (2021, 3)],
            ylabels=["projects", "investment"], scales=[1, 1e8], lang=lg),
        "fig02_t": lambda lg: pl.plot_stage_sizes(pl.sizes_by_stage(facts), lang=lg),
        "fig03_t": lambda lg: pl.plot_flow_ratios(pl.round_flow_ratios(counts),
                                                  pl.round_flow_ratios(city), lang=lg),
    }
    for name, draw in draws.items():
        with figures.paper_style(lang) as used:
            fig = draw(used)
            # save_figure refuses unlabelled axes and glyphs missing from the font
            figures.save_figure(fig, name, notebook="notebooks/03_test.ipynb", sources=["S1"],
                                directory=tmp_path, lang=used)
        plt.close(fig)


def test_stage_bars_leave_gaps_for_unprinted_stages(facts):
    counts = pl.stage_table(facts, "projects")
    fig = pl.plot_stage_rounds([counts], [(2021, 1), (2021, 2), (2021, 3)], ylabels=["projects"])
    ax = fig.axes[0]
    bars = [float(b.get_height()) for c in ax.containers for b in c]
    assert sorted(bars) == [10.0, 20.0, 30.0, 40.0, 60.0]
    # 2021-2's produce list is marked not printed; 2021-3, which no source prints, is a shaded gap
    assert sum(t.get_text() == "n.p." for t in ax.texts) == 1
    assert sum(t.get_text() == "no source" for t in ax.texts) == 1
    assert not any(t.get_text() == "×" for t in ax.texts)  # no mark that reads like a value
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2021-1", "2021-2", "2021-3"]
    plt.close(fig)


def test_stage_bars_need_one_place_per_table(facts):
    both = pl.stage_table(facts, "projects", ("province", "city"))
    with pytest.raises(ValueError, match="one place"):
        pl.plot_stage_rounds([both], [(2021, 1)], ylabels=["projects"])
    plt.close("all")


# save_in_languages moved to zonestudy.figures.save_figure_languages (tests/test_figures.py).


# --- one row selector for stage figures -------------------------------------------------------------


def _selector_facts():
    """One round, province P and city C: a sector row and a flagged subset that look like lists.

    The whole sign list is 40 projects / 80 亿元 (province) and 10 projects (city). F10 (a sector
    row, 4 projects) and F11 (a "subset of" row, 3 projects) must never be read as the sign list;
    F12 (an all-stage total) only when asked for.
    """
    rows = [
        fact("F1", "sign", 40.0), fact("F2", "start", 30.0), fact("F3", "produce", 20.0),
        fact("F5", "sign", 80e8, measure="investment"),
        fact("F10", "sign", 4.0, breakdown="sector", category="制造业"),
        fact("F11", "sign", 3.0, overlaps_main_split=True),
        fact("F13", "sign", 1e8, measure="investment", overlaps_main_split=True),
        fact("F12", "all", 90.0),
        fact("C1", "sign", 10.0, scope="city", geography="C"),
        fact("C2", "sign", 2.0, scope="city", geography="C", breakdown="sector", category="制造业"),
        fact("C3", "sign", 1.0, scope="city", geography="C", overlaps_main_split=True),
    ]
    out = frame(*rows)
    out["category"] = out.get("category")
    return out


def test_stage_rows_drops_splits_subsets_unparsed_and_totals():
    facts = _selector_facts()
    facts.loc[len(facts)] = {**facts.iloc[0].to_dict(), "fact_id": "F14", "parsed": False}
    kept = pl.stage_rows(facts)["fact_id"].tolist()
    assert kept == ["F1", "F2", "F3", "F5", "C1"]
    assert pl.stage_rows(facts, "projects", "province")["fact_id"].tolist() == ["F1", "F2", "F3"]
    assert pl.stage_rows(facts, ["investment"])["fact_id"].tolist() == ["F5"]
    assert "F12" in pl.stage_rows(facts, include_all=True)["fact_id"].tolist()
    with pytest.raises(ValueError, match="overlaps_main_split"):
        pl.stage_rows(facts.drop(columns="overlaps_main_split"))


def test_subset_and_sector_rows_are_never_a_whole_list_anywhere():
    """pipeline.stage_table, structure.stage_amounts_table and the peers comparisons read the same rows."""
    from zonestudy.study import peers, structure

    facts = _selector_facts()
    facts["province"], facts["province_en"], facts["campaign"] = "山西省", "Shanxi", "三个一批"
    facts["city"] = np.where(facts["scope"] == "city", facts["geography"], None)
    facts["round_label"] = "2021年第一次"
    # pipeline: sign = 40 (not 40 + 4 + 3), and the clash check is not tripped by F10/F11
    counts = pl.stage_table(facts, "projects", ["province", "city"])
    assert counts.loc[(2021, 1, "P"), "sign"] == 40.0
    assert counts.loc[(2021, 1, "C"), "sign"] == 10.0
    assert "F10" not in counts["fact_ids"].str.cat(sep=";")
    # structure: the same figures and average size 80 亿元 / 40 = 2 亿元
    st = structure.stage_amounts_table(facts).set_index(["geography", "stage"])
    assert st.loc[("P", "sign"), "projects"] == 40.0
    assert st.loc[("P", "sign"), "average_size_cny"] == pytest.approx(2e8)
    assert st.loc[("C", "sign"), "projects"] == 10.0
    assert not st["fact_ids"].str.contains("F10|F11|F13|C2|C3").any()
    # peers: city share 10 / 40, size 80 亿元 / 40; no all-stage row unless asked
    shares = peers.city_shares(facts, (2021, 1), "projects")
    assert shares["share_of_province"].tolist() == [pytest.approx(0.25)]
    sizes = peers.size_by_report(facts, scope="province")
    assert sizes["stage"].tolist() == ["sign"]
    assert sizes["average_size_cny"].tolist() == [pytest.approx(2e8)]
    assert not sizes["fact_ids"].str.contains("F10|F11|F13").any()
