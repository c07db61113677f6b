"""Builders of the clean tables, on tiny frames."""

import numpy as np
import pandas as pd
import pytest

from zonestudy import clean, io, zones
from zonestudy.study import tables


def facts(**columns):
    base = {"fact_id": ["F1"], "source_id": ["S1"], "resource": ["r"], "province": ["山西省"],
            "campaign": ["三个一批"], "round_label": ["2023年第四次"], "event_date": [pd.Timestamp("2023-12-01")],
            "scope": ["province"], "geography": ["山西省"], "stage": ["sign"], "breakdown": ["none"],
            "category": [pd.NA], "measure": ["projects"], "value_text": ["233个"], "value": [233.0],
            "unit": ["个"], "qualifier": ["exact"], "notes": [pd.NA]}
    base.update(columns)
    n = max(len(v) for v in base.values())
    return pd.DataFrame({k: (v * n if len(v) == 1 else v) for k, v in base.items()})


def test_units_go_to_unit_named_columns():
    frame = facts(fact_id=["F1", "F2", "F3"], value_text=["233个", "92.04亿元", "开工率83%"],
                  value=[233.0, 92.04, 83.0], unit=["个", "亿元", "%"])
    out, report = tables.clean_campaign_facts(frame)
    assert out["value_count"].tolist()[0] == 233
    assert out["value_cny"].tolist()[1] == pytest.approx(9.204e9)
    assert out["value_ratio"].tolist()[2] == pytest.approx(0.83)
    assert out.loc[0, ["year", "round_no"]].tolist() == [2023, 4]
    assert report.empty


def test_bare_numbers_take_the_transcribed_unit_only_when_equal():
    frame = facts(fact_id=["F1", "F2"], value_text=["263", "263"], value=[263.0, 264.0],
                  unit=["projects", "projects"])
    out, _ = tables.clean_campaign_facts(frame)
    assert out["unit_from_transcription"].tolist() == [True, False]
    assert out.loc[0, "value_count"] == 263 and pd.isna(out.loc[1, "value_count"])


def test_unparsed_text_and_round_are_reported_not_dropped():
    frame = facts(fact_id=["F1", "F2"], value_text=["131个计划新开工项目有112个实现开工", "5个"],
                  round_label=["2022年以来五次", "第十五期"], value=[112.0, 5.0])
    out, report = tables.clean_campaign_facts(frame)
    assert len(out) == 2 and out["parsed"].tolist() == [False, True]
    assert set(zip(report["fact_id"], report["column"])) == {("F1", "value_text"), ("F1", "round_label")}


def test_overlapping_rows_are_flagged_from_the_notes():
    frame = facts(fact_id=["F1", "F2"], notes=["alternative grouping of the same projects", pd.NA])
    out, _ = tables.clean_campaign_facts(frame)
    assert out["overlaps_main_split"].tolist() == [True, False]


def test_double_entry_finds_and_explains_scale_slips():
    frame = facts(fact_id=["F1", "F2", "F3"], value_text=["92.04亿元", "92.04亿元", "总投资1.8万亿元"],
                  value=[92.04, 920400.0, 1.8], unit=["亿元", "亿元", "other"])
    parsed = clean.parse_quantity(frame["value_text"])
    report = tables.double_entry(frame, parsed)
    assert report["fact_id"].tolist() == ["F2", "F3"]
    assert "×0.0001" in report.loc[0, "explanation"]
    assert "'other'" in report.loc[1, "explanation"]


def test_article_projects_and_zone_matching():
    registry = zones.example_registry()
    raw = io.load_raw("article_facts")
    subset = raw[raw["fact_id"].isin(["KX-A001", "KX-A088", "KX-A042", "KX-A130"])].reset_index(drop=True)
    article, report, repairs = tables.clean_article_facts(subset, zones.load_registry())
    assert repairs["fact_id"].tolist() == ["KX-A042"]
    assert article.loc[article["fact_id"] == "KX-A042", "value_degc"].item() == 2050
    projects = tables.article_projects(article)
    assert projects.set_index("fact_id")["investment_cny"].to_dict() == {"KX-A088": 1.2e9, "KX-A130": 5.2e8}
    assert projects.set_index("fact_id").loc["KX-A088", "zone_id"] == "yuncheng_etdz"
    assert pd.isna(projects.set_index("fact_id").loc["KX-A130", "zone_id"])
    assert "ambiguous" in report.loc[report["fact_id"] == "KX-A130", "problem"].item()
    assert len(registry) > 0
