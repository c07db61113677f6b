"""zonestudy.checks: problem tables, acknowledgements, undeclared files."""

import json

import pandas as pd
import pytest

from zonestudy import checks

PROBLEM = {"file": "a.csv", "row": "F1", "column": "value_text", "value": "约五十来个", "why": "not a quantity"}


def known(**changes):
    row = {"file": "a.csv", "row": "F1", "column": "value_text", "value": "约五十来个", "reason": "printed so"}
    return pd.DataFrame([{**row, **changes}])


def test_an_unacknowledged_problem_raises_with_a_table_naming_it():
    with pytest.raises(checks.DataQualityError) as err:
        checks.enforce(checks.problem_table([PROBLEM]), None)
    header, line = str(err.value).splitlines()[1:3]
    assert header.split() == ["file", "row", "column", "value", "why"]
    assert line.split()[:4] == ["a.csv", "F1", "value_text", "约五十来个"]


@pytest.mark.parametrize("field", ["file", "row", "column", "value"])
def test_an_acknowledgement_must_match_every_key(field):
    with pytest.raises(checks.DataQualityError):
        checks.enforce(checks.problem_table([PROBLEM]), known(**{field: "other"}))


def test_an_acknowledgement_needs_a_reason():
    with pytest.raises(ValueError, match="gives no reason"):
        checks.enforce(checks.problem_table([PROBLEM]), known(reason=" "))


def test_stale_acknowledgements_are_listed():
    marked = checks.enforce(checks.problem_table([]), known())
    assert marked.empty and marked.attrs["stale"]["row"].tolist() == ["F1"]


def test_long_tables_are_cut_with_a_count():
    many = checks.problem_table([{**PROBLEM, "row": f"F{i}"} for i in range(40)])
    text = checks.format_problems(many, max_rows=5)
    assert text.splitlines()[-1] == "… and 35 more" and len(text.splitlines()) == 7


def test_undeclared_files_and_allowed_ones(tmp_path):
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [
        {"name": "facts", "path": "facts.csv", "schema": "schemas/facts.json", "zonestudy": {"family": "facts"}},
        {"name": "sources", "path": ["sources.csv", "sources_b.csv"], "schema": {"fields": []},
         "zonestudy": {"family": "sources"}}]}), encoding="utf-8")
    (tmp_path / "schemas").mkdir()
    for name in ("facts.csv", "sources.csv", "sources_b.csv", "schemas/facts.json", "README.md", ".gitkeep",
                 "facts_new.csv", "notes.txt", "schemas/old.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = checks.undeclared_files(tmp_path).set_index("file")["why"]
    assert sorted(found.index) == ["facts_new.csv", "notes.txt", "schemas/old.json"]
    assert "make add FILES=data/raw/facts_new.csv" in found["facts_new.csv"]
