"""``python -m zonestudy add``: validate new or edited raw files and write their datapackage.json entries."""

import json
import shutil
import subprocess
import sys

import pytest
from frictionless import validate

from zonestudy import io, paths

SOURCES_HEADER = "source_id,family,url,title,outlet,pub_date,notes\n"
SOURCE_ROW = "XT-S001,shanxi_campaign,https://example.org/round,,example outlet,2025-03-02,test source\n"
FACT_ROW = ("XT-F0001,XT-S001,山西省,三个一批 (全省开发区),2025年第一次,2025-03-01,province,山西省,"
            "sign,none,,projects,300个,300,个,exact,test row\n")


@pytest.fixture()
def raw(tmp_path):
    target = tmp_path / "raw"
    shutil.copytree(paths.raw_dir(), target)
    return target


def facts_header(raw):
    return (raw / "campaign_facts_shanxi.csv").read_text(encoding="utf-8").split("\n")[0] + "\n"


def new_round(raw, fact_rows=FACT_ROW, source_rows=SOURCE_ROW):
    (raw / "sources_2025q1.csv").write_text(SOURCES_HEADER + source_rows, encoding="utf-8")
    (raw / "campaign_facts_2025q1.csv").write_text(facts_header(raw) + fact_rows, encoding="utf-8")
    return [raw / "campaign_facts_2025q1.csv", raw / "sources_2025q1.csv"]


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "zonestudy", *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def test_add_declares_a_new_round_that_standard_tools_accept(raw):
    done = io.add_files(new_round(raw), raw_dir=raw)
    assert len(done) == 2
    descriptor = json.loads((raw / io.DATAPACKAGE).read_text(encoding="utf-8"))
    entry = next(r for r in descriptor["resources"] if r["name"] == "campaign_facts_2025q1")
    for key in ("title", "description", "licenses", "dialect", "schema", "bytes", "hash"):
        assert entry[key], key
    assert entry["schema"] == "schemas/campaign_facts.json"
    assert entry["zonestudy"]["family"] == "campaign_facts" and entry["zonestudy"]["rows"] == 1
    assert set(entry["zonestudy"]["columnDigests"]) == set(facts_header(raw).strip().split(","))
    sources = next(r for r in descriptor["resources"] if r["name"] == "sources")
    assert sources["path"][0] == "sources.csv" and sources["path"][-1] == "sources_2025q1.csv"
    facts = io.load_family("campaign_facts", raw_dir=raw)
    assert facts.loc[facts["fact_id"] == "XT-F0001", "value"].item() == 300
    io.validate_raw(raw)
    assert {"campaign_facts_2025q1.csv", "sources_2025q1.csv"} <= set(io.declared_files(raw))
    report = validate(str(raw / io.DATAPACKAGE))
    assert report.valid, report.flatten(["rowNumber", "type", "note"])[:10]


def test_running_add_again_changes_nothing_and_after_an_edit_refreshes(raw):
    files = new_round(raw)
    io.add_files(files, raw_dir=raw)
    once = (raw / io.DATAPACKAGE).read_bytes()
    io.add_files(files, raw_dir=raw)
    assert (raw / io.DATAPACKAGE).read_bytes() == once
    path = files[0]
    path.write_text(path.read_text(encoding="utf-8").replace("300个,300", "310个,310"), encoding="utf-8")
    with pytest.raises(io.DataValidationError, match="python -m zonestudy add data/raw/campaign_facts_2025q1.csv"):
        io.load_raw("campaign_facts_2025q1", raw_dir=raw)
    [line] = io.add_files([path], raw_dir=raw)
    assert line.startswith("refreshed")
    assert io.load_raw("campaign_facts_2025q1", raw_dir=raw)["value"].tolist() == [310]


def test_add_refuses_with_file_row_column_and_value_and_writes_nothing(raw):
    bad = FACT_ROW.replace(",300个,300,", ",300个,三百,").replace(",sign,", ",signed,")
    files = new_round(raw, fact_rows=FACT_ROW.replace("XT-F0001", "XT-F0000") + bad)
    before = {p.name: p.read_bytes() for p in [raw / io.DATAPACKAGE, *files]}
    with pytest.raises(io.DataValidationError) as excinfo:
        io.add_files(files, raw_dir=raw)
    found = {(p.file, p.row, p.column, p.value) for p in excinfo.value.problems}
    assert ("campaign_facts_2025q1.csv", 3, "value", "三百") in found
    assert ("campaign_facts_2025q1.csv", 3, "stage", "signed") in found
    assert {p.name: p.read_bytes() for p in [raw / io.DATAPACKAGE, *files]} == before


def test_a_duplicate_id_is_reported_once(raw):
    files = new_round(raw, fact_rows=FACT_ROW + FACT_ROW.replace("test row", "again"))
    with pytest.raises(io.DataValidationError) as excinfo:
        io.add_files(files, raw_dir=raw)
    [problem] = excinfo.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "campaign_facts_2025q1.csv", 3, "fact_id", "XT-F0001")
    assert "first on row 2" in problem.message


def test_an_id_used_in_another_file_names_that_file_and_row(raw):
    first_fact = (raw / "campaign_facts_shanxi.csv").read_text(encoding="utf-8").split("\n")[1].split(",")[0]
    files = new_round(raw, fact_rows=FACT_ROW.replace("XT-F0001", first_fact))
    with pytest.raises(io.DataValidationError) as excinfo:
        io.add_files(files, raw_dir=raw)
    [problem] = excinfo.value.problems
    assert (problem.file, problem.row, problem.value) == ("campaign_facts_2025q1.csv", 2, first_fact)
    assert "campaign_facts_shanxi.csv, row 2" in problem.message


def test_a_source_id_used_in_another_sources_file(raw):
    files = new_round(raw, source_rows=SOURCE_ROW.replace("XT-S001", "SX-S001"))
    with pytest.raises(io.DataValidationError) as excinfo:
        io.add_files(files, raw_dir=raw)
    problems = [p for p in excinfo.value.problems if p.file == "sources_2025q1.csv"]
    assert [(p.row, p.value) for p in problems] == [(2, "SX-S001")]
    assert "sources.csv, row" in problems[0].message


def test_add_fills_the_schema_defaults(raw):
    files = new_round(raw, fact_rows=FACT_ROW.replace(",sign,none,,", ",sign,,,"))
    [facts_line, _] = io.add_files(files, raw_dir=raw)
    assert "breakdown: 1 cell(s) set to 'none'" in facts_line
    assert io.load_raw("campaign_facts_2025q1", raw_dir=raw)["breakdown"].tolist() == ["none"]


def test_add_refuses_files_outside_data_raw_and_unknown_families(raw, tmp_path):
    outside = tmp_path / "campaign_facts_x.csv"
    outside.write_text(facts_header(raw) + FACT_ROW, encoding="utf-8")
    with pytest.raises(io.DataValidationError, match="copy the file into"):
        io.add_files([outside], raw_dir=raw)
    odd = raw / "mystery.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(io.DataValidationError, match="cannot tell its family"):
        io.add_files([odd], raw_dir=raw)


def test_command_line_add_uses_only_the_core_library(raw):
    files = new_round(raw)
    probe = ("import sys, runpy; sys.argv = ['zonestudy', 'add', *sys.argv[1:]];"
             "import zonestudy.__main__ as m; rc = m.main(sys.argv[1:]);"
             "study = {'pipeline', 'structure', 'peers', 'findings', 'tables', 'coverage', 'build', 'study'};"
             "bad = sorted(n for n in sys.modules if n.startswith('zonestudy.') and n.split('.')[1] in study);"
             "print('STUDY', bad); sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", probe, *map(str, files), "--raw-dir", str(raw)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "STUDY []" in done.stdout and "updated datapackage.json" in done.stdout


def test_command_line_refusal_exits_1_with_the_problems(raw):
    files = new_round(raw, fact_rows=FACT_ROW.replace("XT-S001", "XT-S999"))
    done = run_cli("add", *files, "--raw-dir", raw)
    assert done.returncode == 1
    assert "nothing added" in done.stderr and "campaign_facts_2025q1.csv, row 2, column 'source_id'" in done.stderr
    assert "'XT-S999'" in done.stderr


def test_a_source_in_an_undeclared_sources_file_gets_a_hint(raw):
    facts, sources = new_round(raw)
    with pytest.raises(io.DataValidationError) as excinfo:
        io.add_files([facts], raw_dir=raw)
    [problem] = excinfo.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "source_id", "XT-S001")
    assert "sources_2025q1.csv not searched: not declared" in problem.message
    assert "python -m zonestudy add data/raw/sources_2025q1.csv" in problem.message
