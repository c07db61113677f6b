"""Corrupted copies of data/raw: the loader refuses each with a message naming what is wrong."""

import hashlib
import json
import math
import shutil

import pandas as pd
import pytest
from hypothesis import given, strategies as st

from zonestudy import io, paths


@pytest.fixture()
def raw(tmp_path):
    target = tmp_path / "raw"
    shutil.copytree(paths.raw_dir(), target)
    return target


def descriptor_of(raw):
    return json.loads((raw / io.DATAPACKAGE).read_text(encoding="utf-8"))


def save(raw, descriptor):
    (raw / io.DATAPACKAGE).write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def entry(descriptor, name):
    return next(r for r in descriptor["resources"] if r["name"] == name)


def refused(call):
    with pytest.raises(io.DataValidationError) as excinfo:
        call()
    return excinfo.value


# --- paths must stay inside the data folder ---------------------------------------------------

@pytest.mark.parametrize("bad_path", ["/etc/passwd", "../outside.csv", "sub/../../outside.csv",
                                      "https://example.org/published_rates.csv"])
def test_paths_outside_the_folder_are_refused(raw, bad_path):
    outside = raw.parent / "outside.csv"
    shutil.copy(raw / "published_rates.csv", outside)
    descriptor = descriptor_of(raw)
    entry(descriptor, "published_rates")["path"] = bad_path
    save(raw, descriptor)
    err = refused(lambda: io.load_raw("published_rates", raw_dir=raw))
    [problem] = err.problems
    assert problem.file == io.DATAPACKAGE and problem.value == bad_path
    assert "'published_rates'" in problem.message


def test_a_symlink_out_of_the_folder_is_refused_even_when_the_hash_matches(raw):
    outside = raw.parent / "elsewhere.csv"
    shutil.move(raw / "published_rates.csv", outside)
    (raw / "published_rates.csv").symlink_to(outside)
    err = refused(lambda: io.load_raw("published_rates", raw_dir=raw))
    assert any("resolves outside" in p.message and "symbolic link" in p.message for p in err.problems)


def test_a_schema_outside_the_folder_is_refused(raw):
    descriptor = descriptor_of(raw)
    entry(descriptor, "campaign_facts_shanxi")["schema"] = "../campaign_facts.json"
    save(raw, descriptor)
    err = refused(lambda: io.read_datapackage(raw))
    assert [(p.file, p.column, p.value) for p in err.problems] == [
        (io.DATAPACKAGE, "schema", "../campaign_facts.json")]


# --- broken descriptors -------------------------------------------------------------------------

def test_invalid_json_names_the_file_and_line(raw):
    (raw / io.DATAPACKAGE).write_text('{"resources": [\n  {"name": "x",}\n]}', encoding="utf-8")
    err = refused(lambda: io.load_raw("sources", raw_dir=raw))
    [problem] = err.problems
    assert problem.file == io.DATAPACKAGE and problem.row == 2
    assert "not valid JSON" in problem.message and "trailing comma" in problem.message


def test_trailing_comma_in_the_resource_list(raw):
    text = (raw / io.DATAPACKAGE).read_text(encoding="utf-8").rstrip()
    assert text.endswith("]\n}")
    (raw / io.DATAPACKAGE).write_text(text[: -len("]\n}")].rstrip() + ",\n]\n}\n", encoding="utf-8")
    err = refused(lambda: io.resource_names(raw_dir=raw))
    assert "trailing comma" in str(err) and io.DATAPACKAGE in str(err)


@pytest.mark.parametrize("text", ["", "   \n", "[]", '{"resources": []}', '{"name": "x"}'])
def test_empty_or_shapeless_descriptor(raw, text):
    (raw / io.DATAPACKAGE).write_text(text, encoding="utf-8")
    err = refused(lambda: io.read_datapackage(raw))
    assert all(p.file == io.DATAPACKAGE for p in err.problems)


def test_missing_descriptor(raw):
    (raw / io.DATAPACKAGE).unlink()
    err = refused(lambda: io.read_datapackage(raw))
    assert err.problems[0].file == io.DATAPACKAGE and "missing" in err.problems[0].message


@pytest.mark.parametrize("key, why", [("path", "has no 'path'"), ("schema", "has no 'schema'"),
                                      ("name", "needs a 'name'")])
def test_resource_without_a_required_key(raw, key, why):
    descriptor = descriptor_of(raw)
    del entry(descriptor, "published_rates")[key]
    save(raw, descriptor)
    err = refused(lambda: io.read_datapackage(raw))
    [problem] = err.problems
    assert problem.file == io.DATAPACKAGE and why in problem.message
    assert "published_rates" in problem.message or "resource number" in problem.message


def test_broken_schema_file_names_the_schema_and_the_resource(raw):
    (raw / "schemas" / "sources.json").write_text('{"fields": [}', encoding="utf-8")
    err = refused(lambda: io.read_datapackage(raw))
    [problem] = err.problems
    assert problem.file == "schemas/sources.json" and "'sources'" in problem.message


def test_duplicate_resource_name(raw):
    descriptor = descriptor_of(raw)
    descriptor["resources"].append(dict(entry(descriptor, "published_rates")))
    save(raw, descriptor)
    err = refused(lambda: io.read_datapackage(raw))
    assert any(p.value == "published_rates" and "more than once" in p.message for p in err.problems)


# --- files changed behind the descriptor ------------------------------------------------------

def test_a_file_cut_at_a_line_boundary_fails_even_with_its_hash_updated(raw):
    path = raw / "campaign_facts_shanxi.csv"
    lines = path.read_bytes().split(b"\n")
    cut = b"\n".join(lines[:100]) + b"\n"
    path.write_bytes(cut)
    descriptor = descriptor_of(raw)
    resource = entry(descriptor, "campaign_facts_shanxi")
    resource["hash"] = "sha256:" + hashlib.sha256(cut).hexdigest()
    resource["bytes"] = len(cut)
    save(raw, descriptor)
    err = refused(lambda: io.load_raw("campaign_facts_shanxi", raw_dir=raw))
    assert any("99 data rows, 180 declared" in p.message and "cut short" in p.message for p in err.problems)


def test_crlf_line_endings_are_named(raw):
    path = raw / "published_rates.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    err = refused(lambda: io.load_raw("published_rates", raw_dir=raw))
    assert any(p.row == 1 and "CRLF" in p.message for p in err.problems)
    assert "rows changed: []" not in str(err)


def test_missing_final_newline_is_named(raw):
    path = raw / "published_rates.csv"
    text = path.read_bytes().rstrip(b"\n")
    path.write_bytes(text)
    last = text.count(b"\n") + 1  # the file's last line
    err = refused(lambda: io.load_raw("published_rates", raw_dir=raw))
    assert any("no newline at the end of the file" in p.message and p.row == last for p in err.problems)


def test_hash_error_after_an_edit_says_how_to_refresh(raw):
    path = raw / "campaign_facts_shanxi.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("233个", "234个", 1), encoding="utf-8")
    err = refused(lambda: io.load_raw("campaign_facts_shanxi", raw_dir=raw))
    [problem] = err.problems
    assert (problem.row, problem.column, problem.value) == (2, "value_text", "234个")
    assert "python -m zonestudy add data/raw/campaign_facts_shanxi.csv" in problem.message


def test_a_missing_declared_file(raw):
    (raw / "published_rates.csv").unlink()
    err = refused(lambda: io.load_raw("published_rates", raw_dir=raw))
    assert err.problems[0].file == "published_rates.csv" and "missing" in err.problems[0].message


def test_a_duplicate_id_is_reported_once(raw):
    path = raw / "article_facts.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("KX-A002,", "KX-A001,", 1), encoding="utf-8")
    err = refused(lambda: io.load_raw("article_facts", raw_dir=raw))
    dup = [p for p in err.problems if "duplicate" in p.message]
    assert [(p.row, p.column, p.value) for p in dup] == [(3, "fact_id", "KX-A001")]
    assert "first on row 2" in dup[0].message


def test_a_zone_without_any_source_link(raw):
    path = raw / "zones_shanxi_sources.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    kept = [line for line in lines if not line.startswith("太原经济技术开发区,")]
    assert len(kept) == len(lines) - 1
    path.write_text("\n".join(kept), encoding="utf-8")
    io.add_files([path], raw_dir=raw)
    err = refused(lambda: io.load_raw("zones_shanxi", raw_dir=raw))
    assert [(p.file, p.row, p.column) for p in err.problems] == [("zones_shanxi.csv", 3, "source_ids")]


def test_validate_raw_names_undeclared_files(raw):
    shutil.copy(raw / "published_rates.csv", raw / "published_rates_copy.csv")
    err = refused(lambda: io.validate_raw(raw))
    assert [(p.file, "not declared" in p.message) for p in err.problems] == [("published_rates_copy.csv", True)]


def test_validate_raw_passes_on_the_project_data():
    counts = io.validate_raw()
    assert counts["campaign_facts_shanxi"] == 180 and counts["zones_shanxi_sources"] > counts["zones_shanxi"]


# --- clean numbers are written without loss ---------------------------------------------------

@given(st.floats(allow_nan=False, allow_infinity=False))
def test_format_float_round_trips(value):
    assert float(io.format_float(value)) == value


def test_write_clean_keeps_every_digit(tmp_path):
    values = [1234567890100.0, 0.1 + 0.2, 1 / 3, 150000000.0, 233.0, math.nan]
    io.write_clean(pd.DataFrame({"x_cny": values, "k": list("abcdef")}), "demo", clean_dir=tmp_path, stata=False)
    text = (tmp_path / "demo.csv").read_text(encoding="utf-8")
    assert text == ("x_cny,k\n1234567890100,a\n0.30000000000000004,b\n0.3333333333333333,c\n150000000,d\n"
                    "233,e\n,f\n")
    back = io.load_clean("demo", clean_dir=tmp_path)["x_cny"].tolist()
    assert back[:5] == values[:5] and math.isnan(back[5])


def test_clean_datapackage_is_deterministic_and_lists_every_table(tmp_path):
    frame = pd.DataFrame({"a": ["x", None], "n": pd.array([1, None], dtype="Int64"), "v": [1.5, None],
                          "d": pd.to_datetime(["2024-01-02", None]), "b": [True, False]})
    io.write_clean(frame, "second", clean_dir=tmp_path, stata=False)
    io.write_clean(frame, "first", clean_dir=tmp_path, stata=False)
    once = (tmp_path / io.DATAPACKAGE).read_bytes()
    io.write_clean(frame, "first", clean_dir=tmp_path, stata=False)
    io.write_clean(frame, "second", clean_dir=tmp_path, stata=False)
    assert (tmp_path / io.DATAPACKAGE).read_bytes() == once
    descriptor = json.loads(once)
    assert [r["name"] for r in descriptor["resources"]] == ["first", "second"]
    types = {f["name"]: f["type"] for f in descriptor["resources"][0]["schema"]["fields"]}
    assert types == {"a": "string", "n": "integer", "v": "number", "d": "date", "b": "boolean"}
    from frictionless import validate

    assert validate(str(tmp_path / io.DATAPACKAGE)).valid
