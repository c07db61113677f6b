"""The findings of notebook 06 are recomputed from data/clean; a stale number fails."""

import re
import shutil

import nbformat
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from zonestudy import figures, io, paths
from zonestudy.study import findings

ROOT = paths.project_root()
NOTEBOOK = ROOT / "notebooks" / "06_findings.ipynb"


@pytest.fixture(scope="module")
def results():
    return findings.compute_findings()


def committed_markdown() -> str:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown")
            if text and text.startswith("**1."):
                return text
    raise AssertionError("notebook 06 has no rendered findings")


def test_committed_findings_match_a_recomputation_from_data_clean(results):
    assert findings.render_markdown(results) == committed_markdown()


def test_every_number_in_the_text_is_a_computed_value(results):
    for finding in results:
        assert findings.template_digits(finding) == [], finding.key
        placeholders = set(re.findall(r"\{([a-z_0-9]+)", finding.template + finding.caveat))
        assert placeholders <= set(finding.values), finding.key


def test_six_to_ten_findings_each_with_exhibits_sources_and_caveat(results):
    assert 6 <= len(results) <= 10
    catalogue = set(figures.read_catalogue()["name"])
    known_sources = set(io.load_family("sources")["source_id"])
    for finding in results:
        assert finding.exhibits and set(finding.exhibits) <= catalogue, finding.key
        assert finding.sources and set(finding.sources) <= known_sources, finding.key
        assert finding.caveat, finding.key


def test_values_table_lists_every_value(results):
    table = findings.findings_table(results)
    assert len(table) == sum(len(f.values) for f in results)


def value(results, key, name):
    return next(f for f in results if f.key == key).values[name]


def test_key_numbers_against_direct_computations(results):
    clean = paths.clean_dir()
    rates = pd.read_csv(clean / "published_rates.csv").set_index("rate_name")
    assert round(100 * 40 / 68, 2) == rates.loc["开工率", "value"]
    assert round(100 * value(results, "cohort_vs_flow", "start_published"), 2) == rates.loc["开工率", "value"]
    assert value(results, "cohort_vs_flow", "start_k") == 40 and value(results, "cohort_vs_flow", "produce_k") == 17
    assert value(results, "cohort_vs_flow", "start_flow") == pytest.approx(57 / 68)
    low, high = proportion_confint(2, 39, method="wilson")
    assert (value(results, "linyi_small_counts", "low"), value(results, "linyi_small_counts", "high")) == pytest.approx((low, high))
    zones = pd.read_csv(clean / "zones.csv")
    shanxi = zones["province"] == "山西省"
    assert value(results, "national_registries", "etdz") == int((shanxi & zones["national_etdz"]).sum())
    assert value(results, "national_registries", "etdz_total") == int(zones["national_etdz"].sum())
    assert value(results, "national_registries", "hitech") == int((shanxi & zones["national_hitech"]).sum())
    projects = pd.read_csv(clean / "article_projects.csv")
    yuncheng = projects[(projects["zone"] == "运城经开区") & (projects["stage"] == "签约")]
    assert value(results, "yuncheng_projects", "total") == pytest.approx(yuncheng["investment_cny"].sum() / 1e8)


def test_a_changed_clean_table_changes_the_findings(tmp_path):
    clean = tmp_path / "clean"
    shutil.copytree(paths.clean_dir(), clean)
    zones = pd.read_csv(clean / "zones.csv")
    first_shanxi_etdz = zones.index[(zones["province"] == "山西省") & zones["national_etdz"]][0]
    zones.drop(index=first_shanxi_etdz).to_csv(clean / "zones.csv", index=False)
    assert findings.render_markdown(findings.compute_findings(clean)) != committed_markdown()
