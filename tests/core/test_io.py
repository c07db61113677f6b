"""Validation of data/raw against datapackage.json, on copies edited in a temporary folder."""

import json
import shutil

import pandas as pd
import pytest

from zonestudy import io, paths


@pytest.fixture()
def raw_copy(tmp_path):
    target = tmp_path / "raw"
    shutil.copytree(paths.raw_dir(), target)
    return target


def edit_line(path, line_no, old, new):
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line_no - 1], lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def problems_of(excinfo):
    return excinfo.value.problems


@pytest.mark.parametrize("name", io.resource_names())
def test_every_declared_resource_loads(name):
    frame = io.load_raw(name)
    assert len(frame) > 0


def test_every_file_in_data_raw_is_declared():
    declared = {r["path"] for r in io.read_datapackage()["resources"]}
    on_disk = {p.name for p in paths.raw_dir().glob("*.csv")}
    assert on_disk == declared


def test_types_are_applied():
    facts = io.load_raw("campaign_facts_shanxi")
    assert facts["value"].dtype == "float64"
    assert pd.api.types.is_datetime64_any_dtype(facts["event_date"])
    etdz = io.load_raw("zones_national_etdz")
    assert str(etdz["approval_year"].dtype) == "Int64"
    assert facts.attrs["units"] == {}
    rates = io.load_raw("published_rates")
    assert rates.attrs["units"]["value"] == "%"


def test_wrong_type_names_file_row_column_and_value(raw_copy):
    edit_line(raw_copy / "campaign_facts_shanxi.csv", 2, ",233,", ",233个,")
    with pytest.raises(io.DataValidationError) as excinfo:
        io.load_raw("campaign_facts_shanxi", raw_dir=raw_copy)
    typed = [p for p in problems_of(excinfo) if p.column == "value" and "not a number" in p.message]
    assert typed == [io.Problem("campaign_facts_shanxi.csv", 2, "value", "233个", typed[0].message)]
    assert "campaign_facts_shanxi.csv, row 2, column 'value': value '233个'" in str(excinfo.value)


def test_value_outside_allowed_set(raw_copy):
    edit_line(raw_copy / "campaign_facts_shanxi.csv", 3, ",start,", ",started,")
    with pytest.raises(io.DataValidationError) as excinfo:
        io.load_raw("campaign_facts_shanxi", raw_dir=raw_copy)
    assert any(p.row == 3 and p.column == "stage" and p.value == "started" for p in problems_of(excinfo))


def test_unknown_source_id(raw_copy):
    edit_line(raw_copy / "campaign_facts_peers.csv", 5, "PC-P001", "PC-P999")
    with pytest.raises(io.DataValidationError) as excinfo:
        io.load_raw("campaign_facts_peers", raw_dir=raw_copy)
    hit = [p for p in problems_of(excinfo) if p.column == "source_id" and "resolves to nothing" in p.message]
    assert [(p.file, p.row, p.value) for p in hit] == [("campaign_facts_peers.csv", 5, "PC-P999")]


def test_unknown_source_id_in_a_list(raw_copy):
    edit_line(raw_copy / "zones_shanxi.csv", 3, "REG-ETDZ-LIST", "REG-NOWHERE")
    with pytest.raises(io.DataValidationError) as excinfo:
        io.load_raw("zones_shanxi", raw_dir=raw_copy)
    assert any(p.row == 3 and p.column == "source_ids" and p.value == "REG-NOWHERE" for p in problems_of(excinfo))


def test_duplicate_id(raw_copy):
    edit_line(raw_copy / "article_facts.csv", 3, "KX-A002", "KX-A001")
    with pytest.raises(io.DataValidationError) as excinfo:
        io.load_raw("article_facts", raw_dir=raw_copy)
    dup = [p for p in problems_of(excinfo) if p.column == "fact_id" and "duplicate" in p.message]
    assert dup and dup[0].row == 3 and dup[0].value == "KX-A001" and "first on row 2" in dup[0].message


def test_changed_bytes_name_row_and_column(raw_copy):
    edit_line(raw_copy / "campaign_facts_shanxi.csv", 2, "233个", "234个")
    with pytest.raises(io.DataValidationError) as excinfo:
        io.load_raw("campaign_facts_shanxi", raw_dir=raw_copy)
    [problem] = problems_of(excinfo)
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "campaign_facts_shanxi.csv", 2, "value_text", "234个")
    assert "bytes changed" in problem.message


def test_missing_and_extra_columns(raw_copy):
    path = raw_copy / "published_rates.csv"
    text = path.read_text(encoding="utf-8").replace("rate_id,source_id", "rate_key,source_id", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(io.DataValidationError) as excinfo:
        io.load_raw("published_rates", raw_dir=raw_copy)
    found = {(p.row, p.column, p.message) for p in problems_of(excinfo) if p.row == 1}
    assert (1, "rate_id", "declared column is missing from the header") in found
    assert (1, "rate_key", "column is not declared in the schema") in found


def test_missing_required_value(raw_copy):
    edit_line(raw_copy / "campaign_facts_shanxi.csv", 4, "2023-12-01,province,山西省,", "2023-12-01,province,,")
    with pytest.raises(io.DataValidationError) as excinfo:
        io.load_raw("campaign_facts_shanxi", raw_dir=raw_copy)
    assert any(p.row == 4 and p.column == "geography" and "required" in p.message for p in problems_of(excinfo))


def test_not_utf8(raw_copy):
    path = raw_copy / "sources.csv"
    path.write_bytes(path.read_bytes().replace("科学导报".encode("utf-8"), "科学导报".encode("gb18030"), 1))
    with pytest.raises(io.DataValidationError) as excinfo:
        io.load_raw("sources", raw_dir=raw_copy)
    assert any("UTF-8" in p.message and p.row and p.row > 1 for p in problems_of(excinfo))


def test_unknown_resource_name():
    with pytest.raises(KeyError, match="no resource 'nope'"):
        io.load_raw("nope")


def test_new_campaign_file_is_picked_up_by_its_family(raw_copy):
    new = raw_copy / "campaign_facts_extra.csv"
    header = (raw_copy / "campaign_facts_shanxi.csv").read_text(encoding="utf-8").split("\n")[0]
    new.write_text(
        header + "\nXT-F0001,SX-S001,山西省,三个一批 (全省开发区),2025年第一次,2025-03-01,province,山西省,"
        "sign,none,,projects,300个,300,个,exact,test row\n",
        encoding="utf-8",
    )
    descriptor = json.loads((raw_copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append(
        io.describe_resource(new, schema="schemas/campaign_facts.json", family="campaign_facts")
    )
    (raw_copy / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    facts = io.load_family("campaign_facts", raw_dir=raw_copy)
    assert "campaign_facts_extra" in set(facts["resource"])
    assert facts.loc[facts["fact_id"] == "XT-F0001", "value"].item() == 300


def test_family_ids_must_not_collide(raw_copy):
    new = raw_copy / "campaign_facts_extra.csv"
    lines = (raw_copy / "campaign_facts_shanxi.csv").read_text(encoding="utf-8").split("\n")
    new.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    descriptor = json.loads((raw_copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append(
        io.describe_resource(new, schema="schemas/campaign_facts.json", family="campaign_facts")
    )
    (raw_copy / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(io.DataValidationError, match="SX-F0001"):
        io.load_family("campaign_facts", raw_dir=raw_copy)


def test_write_clean_is_byte_identical(tmp_path):
    frame = pd.DataFrame({"fact_id": ["A", "B"], "value_cny": [1.5e8, None], "city": ["大同市", None],
                          "event_date": pd.to_datetime(["2024-08-19", None]), "round_no": pd.array([1, None], dtype="Int64")})
    first = [p.read_bytes() for p in io.write_clean(frame, "demo", clean_dir=tmp_path)]
    second = [p.read_bytes() for p in io.write_clean(frame, "demo", clean_dir=tmp_path)]
    assert first == second
    back = io.load_clean("demo", clean_dir=tmp_path)
    assert back["city"].iloc[0] == "大同市" and back["value_cny"].iloc[0] == 1.5e8
    stata = pd.read_stata(tmp_path / "demo.dta")
    assert list(stata.columns) == list(frame.columns)
    assert stata["city"].iloc[0] == "大同市"


def test_write_clean_rejects_bad_names(tmp_path):
    with pytest.raises(ValueError, match="lowercase"):
        io.write_clean(pd.DataFrame({"a": [1]}), "Bad Name", clean_dir=tmp_path)


def test_new_round_with_its_own_sources_file(raw_copy):
    header = (raw_copy / "campaign_facts_shanxi.csv").read_text(encoding="utf-8").split("\n")[0]
    (raw_copy / "sources_extra.csv").write_text(
        "source_id,family,url,title,outlet,pub_date,notes\n"
        "XT-S001,shanxi_campaign,https://example.org/round,,example outlet,2025-03-02,test source\n",
        encoding="utf-8")
    (raw_copy / "campaign_facts_extra.csv").write_text(
        header + "\nXT-F0001,XT-S001,山西省,三个一批 (全省开发区),2025年第一次,2025-03-01,province,山西省,"
        "sign,none,,projects,300个,300,个,exact,test row\n", encoding="utf-8")
    descriptor = json.loads((raw_copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] += [
        io.describe_resource(raw_copy / "sources_extra.csv", schema="schemas/sources.json", family="sources"),
        io.describe_resource(raw_copy / "campaign_facts_extra.csv", schema="schemas/campaign_facts.json",
                             family="campaign_facts"),
    ]
    (raw_copy / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    facts = io.load_family("campaign_facts", raw_dir=raw_copy)
    assert facts.loc[facts["fact_id"] == "XT-F0001", "source_id"].item() == "XT-S001"
    sources = io.load_family("sources", raw_dir=raw_copy)
    assert {"sources", "sources_extra"} == set(sources["resource"])
    # a source id in neither sources file still resolves to nothing
    path = raw_copy / "campaign_facts_extra.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("XT-S001", "XT-S002"), encoding="utf-8")
    with pytest.raises(io.DataValidationError, match="resolves to nothing in sources.csv or sources_extra.csv"):
        io.load_family("campaign_facts", raw_dir=raw_copy)
