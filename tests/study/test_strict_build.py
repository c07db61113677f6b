"""The strict build: bad data stops it with file, row, column and value; acknowledging that row lets
it pass.

The variants of issue 13 — an unreadable value (约五十来个), an unknown city (某某市), a round label
that cannot be placed (2024年冬季批次), an undeclared CSV in data/raw, a sources file that exists but
is not declared — are checked on the cleaning step itself (fast); one test edits files in a copy of
data/raw, and one runs the whole build on a copy of the project.
"""

import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from zonestudy import checks, clean, io, paths
from zonestudy.study import quality, tables

ROOT = paths.project_root()


@pytest.fixture(scope="module")
def inputs():
    raw = io.load_family("campaign_facts")
    extra = {"corrections": io.load_family("note_corrections"), "round_dates": io.load_family("round_dates"),
             "projects": io.load_family("campaign_projects")}
    return raw, extra, quality.known_issues()


def step(raw, extra):
    """The campaign half of the cleaning step, as notebooks/02_clean.ipynb runs it."""
    _, report = tables.clean_campaign_facts(raw, **extra)
    parsed, _ = tables.with_transcribed_units(clean.parse_quantity(raw["value_text"], errors="coerce"), raw)
    none = pd.DataFrame(columns=["fact_id", "column", "value", "problem"])
    none_double = pd.DataFrame(columns=["fact_id", "value_text", "value", "unit", "parsed_value", "parsed_unit",
                                        "explanation"])
    return quality.cleaning_problems(raw, report, tables.double_entry(raw, parsed), none, none_double)


def edited(raw, fact_id, **values):
    out = raw.copy()
    for column, value in values.items():
        out.loc[out["fact_id"] == fact_id, column] = value
    return out


def acknowledgement(file, row, column, value):
    return pd.DataFrame([{"file": file, "row": row, "column": column, "value": value,
                          "reason": "checked against the source: printed so", "reviewed_by": "test",
                          "reviewed_on": pd.Timestamp("2026-12-01")}])


def city_row(raw):
    return raw.loc[(raw["resource"] == "campaign_facts_shanxi") & (raw["scope"] == "city"), "fact_id"].iloc[0]


def test_the_present_study_passes(inputs):
    raw, extra, known = inputs
    checked = quality.check_cleaning(step(raw, extra))
    assert checked["acknowledged"].all() and len(checked) > 0


@pytest.mark.parametrize("column, value, why", [
    ("value_text", "约五十来个", "not a single quantity"),
    ("geography", "某某市", "not a city known"),
    ("round_label", "2024年冬季批次", "round label that cannot be placed"),
])
def test_a_bad_value_stops_the_build_until_acknowledged(inputs, column, value, why):
    raw, extra, known = inputs
    fact = city_row(raw) if column == "geography" else "SX-F0001"
    problems = step(edited(raw, fact, **{column: value}), extra)
    with pytest.raises(checks.DataQualityError) as err:
        checks.enforce(problems, known)
    message = str(err.value)
    for part in ("campaign_facts_shanxi.csv", fact, column, value, why):
        assert part in message
    assert err.value.problems[["file", "row", "column", "value"]].values.tolist() == [
        ["campaign_facts_shanxi.csv", fact, column, value]]
    ok = checks.enforce(problems, pd.concat([known, acknowledgement("campaign_facts_shanxi.csv", fact, column, value)]))
    assert ok["acknowledged"].all()


def test_an_acknowledgement_covers_only_its_exact_value(inputs):
    raw, extra, known = inputs
    problems = step(edited(raw, "SX-F0001", value_text="约五十来个"), extra)
    with pytest.raises(checks.DataQualityError, match="约五十来个"):
        checks.enforce(problems, pd.concat([known, acknowledgement("campaign_facts_shanxi.csv", "SX-F0001",
                                                                   "value_text", "约五十个")]))


def test_county_level_and_unnamed_places_and_period_labels_do_not_stop_it(inputs):
    raw, extra, known = inputs
    fact = city_row(raw)
    for geography in ("某县", "太原市小店区", "我市 (city not named)"):
        checks.enforce(step(edited(raw, fact, geography=geography), extra), known)
    for label in ("2024年冬季", "2024年1-3月", "截至2024年底", "前三批"):
        checks.enforce(step(edited(raw, "SX-F0001", round_label=label), extra), known)


@pytest.fixture
def raw_copy(tmp_path):
    target = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", target)
    return target


def test_an_undeclared_csv_in_data_raw_stops_the_build(raw_copy):
    (raw_copy / "campaign_facts_winter.csv").write_text("fact_id\nX-1\n", encoding="utf-8")
    with pytest.raises(checks.DataQualityError) as err:
        quality.check_raw_folder(raw_copy)
    assert "campaign_facts_winter.csv" in str(err.value)
    assert "make add FILES=data/raw/campaign_facts_winter.csv" in str(err.value)
    known = pd.concat([quality.known_issues(raw_copy), acknowledgement("campaign_facts_winter.csv", "", "", "")])
    checks.enforce(checks.undeclared_files(raw_copy), known)


def test_a_sources_file_that_is_not_declared_gets_a_hint(raw_copy):
    (raw_copy / "sources_winter.csv").write_text(
        "source_id,family,url,title,outlet,pub_date,notes\nW-S1,shanxi_campaign,,,,,\n", encoding="utf-8")
    with pytest.raises(checks.DataQualityError) as err:
        quality.check_raw_folder(raw_copy)
    message = str(err.value)
    assert "sources_winter.csv" in message
    assert "a sources file that is not declared" in message and "resolve to nothing" in message
    io.add_files([raw_copy / "sources_winter.csv"], raw_dir=raw_copy)
    quality.check_raw_folder(raw_copy)


def test_files_edited_in_data_raw_stop_the_check_and_an_acknowledgement_in_known_issues_lets_it_pass(raw_copy):
    path = raw_copy / "campaign_facts_shanxi.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",233个,233,", ",约五十来个,233,", 1), encoding="utf-8")
    io.add_files([path], raw_dir=raw_copy)
    with pytest.raises(checks.DataQualityError, match=r"campaign_facts_shanxi\.csv +SX-F0001 +value_text +约五十来个"):
        quality.clean_and_check(raw_copy)
    known = raw_copy / "known_issues.csv"
    with known.open("a", encoding="utf-8") as f:
        f.write("campaign_facts_shanxi.csv,SX-F0001,value_text,约五十来个,checked: the source prints it so,test,2026-12-01\n")
    io.add_files([known], raw_dir=raw_copy)
    assert quality.clean_and_check(raw_copy)["acknowledged"].all()


@pytest.mark.slow
def test_the_build_exits_non_zero_and_names_the_row_without_writing_clean_tables(tmp_path):
    root = tmp_path / "study"
    root.mkdir()
    shutil.copy(ROOT / "zonestudy.toml", root)
    for folder in ("data", "notebooks", "figures"):
        shutil.copytree(ROOT / folder, root / folder)
    path = root / "data" / "raw" / "campaign_facts_shanxi.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",233个,233,", ",约五十来个,233,", 1), encoding="utf-8")
    env = {**os.environ, paths.ROOT_ENV_VAR: str(root)}
    added = subprocess.run([sys.executable, "-m", "zonestudy", "add", str(path)], cwd=root, env=env,
                           capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    before = (root / "data" / "clean" / "campaign_facts.csv").read_bytes()
    build = subprocess.run([sys.executable, "-m", "zonestudy.study", "build"], cwd=root, env=env,
                           capture_output=True, text=True, timeout=900)
    assert build.returncode != 0
    assert "02_clean.ipynb" in build.stderr and "DataQualityError" in build.stderr
    for part in ("campaign_facts_shanxi.csv", "SX-F0001", "value_text", "约五十来个"):
        assert part in build.stderr
    assert (root / "data" / "clean" / "campaign_facts.csv").read_bytes() == before
