"""The findings of notebook 06 read their values from the exhibit tables they cite; a stale or
mistyped number fails here."""

from __future__ import annotations

import math
import re
import shutil

import nbformat
import pandas as pd
import pytest

from zonestudy import figures, io, paths
from zonestudy.study import findings

ROOT = paths.project_root()
NOTEBOOK = ROOT / "notebooks" / "06_findings.ipynb"
TABLES = paths.figures_dir() / "tables"


@pytest.fixture(scope="module")
def results():
    return findings.compute_findings()


@pytest.fixture(scope="module")
def note():
    return findings.descriptive_note()


def committed_markdown() -> str:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown")
            if text and text.startswith("**1."):
                return text
    raise AssertionError("notebook 06 has no rendered findings")


def _read_cell(cell: findings.Cell):
    """Read one exhibit cell independently of the findings module."""
    frame = pd.read_csv(TABLES / f"{cell.table}.csv", keep_default_na=False, na_values=[""])
    mask = pd.Series(True, index=frame.index)
    for col, value in cell.where:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            mask &= pd.to_numeric(frame[col], errors="coerce") == float(value)
        else:
            mask &= frame[col].astype(str) == str(value)
    rows = frame[mask]
    if cell.how == "count":
        return len(rows)
    if cell.how == "min":
        return rows[cell.column].min()
    if cell.how == "max":
        return rows[cell.column].max()
    assert len(rows) == 1, (cell, len(rows))
    return rows[cell.column].iloc[0]


def _same(a, b) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    if isinstance(a, (bool,)) or isinstance(b, (bool,)):
        return bool(a) == bool(b)
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)


def test_committed_findings_match_the_exhibit_tables(results, note):
    assert findings.render_markdown(results, note) == committed_markdown()


def test_every_stated_value_is_the_cell_of_the_table_it_cites(results, note):
    checked = 0
    for finding in [*results, note]:
        for name, cell in finding.cells.items():
            assert _same(finding.values[name], _read_cell(cell)), (finding.key, name, cell)
            assert cell.table in finding.exhibits, (finding.key, cell)
            checked += 1
    assert checked >= 60


def test_every_number_in_the_text_is_a_placeholder(results, note):
    for finding in [*results, note]:
        assert findings.template_digits(finding) == [], finding.key
        placeholders = set(re.findall(r"\{([a-z_0-9]+)", finding.template + finding.caveat))
        assert placeholders <= set(finding.values), finding.key


def test_the_values_appear_in_the_rendered_text(results):
    # spot checks: the formatted cell values are in the text a reader sees
    by_key = {f.key: f for f in results}
    sizes = by_key["sizes_by_stage"]
    assert f"{sizes.values['sp_larger']} of {sizes.values['sp_n']}" in sizes.text()
    assert f"p = {sizes.values['sp_p']:.2f}" in sizes.text()
    taiyuan = by_key["taiyuan_cohort_rates"]
    assert f"{taiyuan.values['start_pct']:.2f}%" in taiyuan.text()


def test_five_to_eight_findings_each_with_design_exhibits_sources_and_caveat(results):
    assert 5 <= len(results) <= 8
    catalogue = set(figures.read_catalogue()["name"])
    known_sources = set(io.load_family("sources")["source_id"])
    for finding in results:
        assert finding.design and finding.caveat, finding.key
        assert finding.exhibits and set(finding.exhibits) <= catalogue, finding.key
        assert finding.sources and set(finding.sources) <= known_sources, finding.key


def test_hand_checked_numbers(results):
    by_key = {f.key: f.values for f in results}
    assert (by_key["taiyuan_cohort_rates"]["start_k"], by_key["taiyuan_cohort_rates"]["start_n"]) == (40, 68)
    assert (by_key["taiyuan_cohort_rates"]["produce_k"], by_key["taiyuan_cohort_rates"]["produce_n"]) == (17, 57)
    assert by_key["taiyuan_cohort_rates"]["start_smaller"] == "10/17; 20/34; 30/51"
    # signed larger than producing in 6 of 9 place-rounds: two-sided exact sign test 260/512
    assert (by_key["sizes_by_stage"]["sp_larger"], by_key["sizes_by_stage"]["sp_n"]) == (6, 9)
    assert by_key["sizes_by_stage"]["sp_p"] == pytest.approx(260 / 512)
    # six printed cities: HHI floor 1/6
    assert by_key["city_lists"]["floor"] == pytest.approx(1 / 6)
    assert by_key["city_lists"]["n_cities"] == 6


def test_no_finding_repeats_the_false_year_caveat(results, note):
    for finding in [*results, note]:
        assert "prints no year" not in finding.caveat_text() + finding.text()
    assert "prints no year" not in committed_markdown()


def test_a_changed_exhibit_changes_the_findings(tmp_path):
    tables = tmp_path / "tables"
    shutil.copytree(TABLES, tables)
    path = tables / "tab17_stage_sign_tests.csv"
    frame = pd.read_csv(path)
    frame.loc[0, "first_larger"] = frame.loc[0, "first_larger"] + 1
    frame.to_csv(path, index=False)
    assert (findings.render_markdown(findings.compute_findings(tables), findings.descriptive_note(tables))
            != committed_markdown())
