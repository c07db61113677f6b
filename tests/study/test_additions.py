"""The Shanxi additions (24 facts, 3 sources): in data/raw with their sources, single named projects
in a project table, and Taiyuan's published rates resting on the page that prints them (SX-NS01)."""

import pandas as pd
import pytest

from zonestudy import io, paths
from zonestudy.study import pipeline, tables

ROOT = paths.project_root()
SHARED = next((p for p in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data")
               if (p / "shanxi_sangeyipi_additions_facts.csv").is_file()), None)


@pytest.fixture(scope="module")
def raw():
    return io.load_raw("campaign_facts_shanxi_additions")


@pytest.fixture(scope="module")
def clean_facts():
    facts, _ = tables.clean_campaign_facts(io.load_family("campaign_facts"),
                                           projects=io.load_family("campaign_projects"))
    return facts


@pytest.mark.skipif(SHARED is None, reason="transcription files (shared/data) not present")
def test_every_addition_is_in_data_raw_with_its_printed_value_and_source():
    original = pd.read_csv(SHARED / "shanxi_sangeyipi_additions_facts.csv", dtype=str, keep_default_na=False)
    shared_sources = pd.read_csv(SHARED / "shanxi_sangeyipi_additions_sources.csv", dtype=str,
                                 keep_default_na=False).set_index("source_id")
    ours = io.load_raw("campaign_facts_shanxi_additions").set_index("fact_id")
    sources = io.load_family("sources").set_index("source_id")
    projects = io.load_raw("campaign_projects_shanxi_additions").set_index("fact_id")
    assert len(ours) == len(original) == 24
    for _, row in original.iterrows():
        mine = ours.loc["SX-" + row["fact_id"]]
        assert mine["value_text"] == row["value_text"] and float(mine["value"]) == float(row["value"])
        assert mine["source_id"] == "SX-" + row["source_id"]
        if row["source_id"] in shared_sources.index:
            assert sources.loc[mine["source_id"], "url"] == shared_sources.loc[row["source_id"], "url"]
        if row["scope"] == "project":
            name = row["notes"].split("project=")[1].split(";")[0].strip()
            assert projects.loc["SX-" + row["fact_id"], "project_name"] == name
            assert "project=" not in mine["notes"]


def test_project_rows_have_a_name_and_id_and_nothing_else_does(clean_facts):
    mine = clean_facts[clean_facts["resource"] == "campaign_facts_shanxi_additions"]
    project = mine["scope"] == "project"
    assert project.sum() == 9 and mine.loc[project, "project_name"].notna().all()
    assert clean_facts.loc[clean_facts["scope"] != "project", ["project_id", "project_name"]].isna().all().all()
    assert mine.loc[project].groupby("project_id")["project_name"].nunique().eq(1).all()
    assert mine.loc[project, "project_id"].nunique() == 6


def test_a_project_without_a_name_is_refused(raw):
    with pytest.raises(io.DataValidationError, match="SX-N0016.*no row in a campaign_projects file"):
        tables.project_names(raw, io.load_raw("campaign_projects_shanxi_additions").iloc[1:])


def test_a_single_project_is_never_a_stage_list(clean_facts):
    rows = pipeline.stage_rows(clean_facts, ["investment", "projects"])
    assert "project" not in set(rows["scope"])


def test_published_rates_rest_on_the_page_that_prints_them(clean_facts):
    rates = io.load_raw("published_rates").set_index("rate_id")
    facts = clean_facts.set_index("fact_id")
    assert set(rates["source_id"]) == {"SX-NS01"}
    for rate_id, row in rates.iterrows():
        assert facts.loc[row["rate_fact_id"], "source_id"] == "SX-NS01"
        assert facts.loc[row["rate_fact_id"], "value_text"] == row["value_text"]
    for rate_id in ("TY-R1", "TY-R2"):
        assert facts.loc[rates.loc[rate_id, "denominator_fact_id"], "value_count"] == rates.loc[rate_id, "cohort_size"]
    # list totals: 68 signed, 57 on the start lists, 41 on the production lists
    assert [facts.loc[f, "value_count"] for f in ("SX-N0001", "SX-N0005", "SX-N0010")] == [68, 57, 41]
    assert rates.loc["TY-R1", ["from_list_total", "to_list_total"]].tolist() == [68, 57]
    assert rates.loc["TY-R2", ["from_list_total", "to_list_total"]].tolist() == [57, 41]


def test_count_rates_and_the_output_rate_are_each_reproduced(clean_facts):
    rates = io.load_raw("published_rates")
    counts = pipeline.published_vs_flow(rates)
    assert counts.index.tolist() == ["TY-R1", "TY-R2"] and counts["cohort_reproduces"].all()
    amounts = pipeline.published_amount_rates(rates, clean_facts)
    r3 = amounts.loc["TY-R3"]
    # 301.7 / 418.12 = 72.156 %; 301.7 printed to 0.1 allows up to 301.75 / 418.115 = 72.169 %
    assert r3["rate_name"] == "达效率" and bool(r3["reproduces"])
    assert r3["ratio_pct"] == pytest.approx(100 * 301.7 / 418.12)
    assert r3["ratio_low_pct"] < 72.165 <= r3["ratio_high_pct"]


def test_an_output_rate_outside_the_printed_rounding_does_not_reproduce(clean_facts):
    rates = io.load_raw("published_rates").assign(value_text="72.20%", value=72.20)
    assert not pipeline.published_amount_rates(rates, clean_facts).loc["TY-R3", "reproduces"]
