"""The clean tables' Stata files and codebook: labels for every column, value labels, daily dates."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from zonestudy import codebook, io, paths, stata

CLEAN = paths.clean_dir()
TABLES = sorted(p.stem for p in CLEAN.glob("*.csv"))
SCHEMA = codebook.read_clean_schema()


def test_the_schema_describes_every_clean_column_with_its_type():
    assert TABLES
    problems = []
    for table in TABLES:
        frame = io.load_clean(table)
        for column in frame.columns:
            rows = SCHEMA[(SCHEMA["table"] == table) & (SCHEMA["column"] == column)]
            if rows.empty:
                problems.append(f"{table}.{column}: not in data/clean_schema.csv")
                continue
            row = rows.iloc[0]
            if not row["title"] or not row["description"] or not row["source"]:
                problems.append(f"{table}.{column}: title, description or source empty")
            if row["type"] != codebook.column_type(frame[column]):
                problems.append(f"{table}.{column}: schema says {row['type']}, "
                                f"the table holds {codebook.column_type(frame[column])}")
    stale = {(t, c) for t, c in zip(SCHEMA["table"], SCHEMA["column"])
             if t not in TABLES or c not in io.load_clean(t).columns}
    problems += [f"{t}.{c}: in data/clean_schema.csv but not in data/clean" for t, c in sorted(stale)]
    assert not problems, "\n".join(problems)


def test_codebook_lists_every_table_and_column():
    text = (CLEAN / "README.md").read_text(encoding="utf-8")
    assert "not described" not in text
    for table in TABLES:
        section = text.split(f"\n## {table}\n", 1)
        assert len(section) == 2, f"codebook has no section for {table}"
        body = section[1].split("\n## ", 1)[0]
        listed = re.findall(r"^\| `([^`]+)` \|", body, flags=re.M)
        assert listed == list(io.load_clean(table).columns), table


def test_codebook_is_what_the_generator_writes(tmp_path):
    for table in TABLES:
        (tmp_path / f"{table}.csv").write_bytes((CLEAN / f"{table}.csv").read_bytes())
        (tmp_path / f"{table}.dta").write_bytes(b"")
    codebook.write_codebook(tmp_path)
    assert (tmp_path / "README.md").read_bytes() == (CLEAN / "README.md").read_bytes()


@pytest.mark.parametrize("table", TABLES)
def test_every_dta_column_has_a_variable_label(table):
    path = CLEAN / f"{table}.dta"
    with pd.io.stata.StataReader(path) as reader:
        labels = reader.variable_labels()
        values = reader.value_labels()
        label = reader.data_label
        data = reader.read()
    assert list(labels) == list(io.load_clean(table).columns)
    unlabelled = [c for c, text in labels.items() if not text.strip()]
    assert not unlabelled, f"{table}.dta: no variable label for {unlabelled}"
    assert label.startswith(f"{table}; zonestudy ") and "cite" in label
    for column in data.columns:
        codes = codebook.value_codes(SCHEMA, table, column)
        if codes:
            assert [values[column][k] for k in sorted(values[column])] == codes, column


def test_dates_are_stata_daily_dates():
    path = CLEAN / "campaign_facts.dta"
    raw = path.read_bytes()
    assert b"%td" in raw and b"%tc" not in raw
    back = pd.read_stata(path, convert_categoricals=False)
    clean = io.load_clean("campaign_facts")
    assert (back["event_date"].dropna().dt.normalize() == back["event_date"].dropna()).all()
    assert back["event_date"].dropna().min() == clean["event_date"].dropna().min()


def test_coded_and_boolean_columns_are_labelled_integers(tmp_path):
    schema = pd.DataFrame([{"table": "t", "column": "stage", "type": "string", "unit": "",
                            "title": "Stage", "description": "d", "source": "s",
                            "codes": "sign|start|produce"}])
    frame = pd.DataFrame({"stage": ["produce", None, "sign"], "parsed": [True, False, True]})
    path = stata.write_dta(frame, tmp_path / "t.dta", table="t", schema=schema)
    codes = pd.read_stata(path, convert_categoricals=False)
    assert codes["stage"].tolist()[0] == 2 and codes["stage"].tolist()[2] == 0
    assert pd.isna(codes["stage"].tolist()[1])
    assert codes["parsed"].tolist() == [1, 0, 1]
    words = pd.read_stata(path)
    assert words["parsed"].tolist() == ["yes", "no", "yes"]
    # same input, same bytes
    again = stata.write_dta(frame, tmp_path / "u.dta", table="t", schema=schema)
    assert again.read_bytes() == path.read_bytes()


def test_a_value_outside_the_codes_is_refused(tmp_path):
    schema = pd.DataFrame([{"table": "t", "column": "stage", "type": "string", "unit": "",
                            "title": "Stage", "description": "d", "source": "s", "codes": "sign|start"}])
    with pytest.raises(ValueError, match="签约"):
        stata.write_dta(pd.DataFrame({"stage": ["sign", "签约"]}), tmp_path / "t.dta", table="t",
                        schema=schema)
