"""Stata writer and codebook on tiny tables, inside and outside a clone."""

import pandas as pd

from zonestudy import codebook, io, paths, stata

SCHEMA = pd.DataFrame([
    {"table": "facts", "column": "stage", "type": "string", "unit": "", "title": "Stage",
     "description": "Pipeline stage.", "source": "raw: facts.stage", "codes": "sign|start"},
    {"table": "facts", "column": "value_cny", "type": "number", "unit": "yuan", "title": "Value",
     "description": "Amount.", "source": "derived: parse", "codes": ""},
])


def test_outside_a_clone_every_column_is_labelled_with_its_name(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.ROOT_ENV_VAR, str(tmp_path / "nowhere"))
    assert codebook.read_clean_schema().empty
    path = stata.write_dta(pd.DataFrame({"value_cny": [1.0]}), tmp_path / "t.dta", table="t")
    with pd.io.stata.StataReader(path) as reader:
        assert reader.variable_labels() == {"value_cny": "value cny"}


def test_codebook_lists_columns_with_units_codes_and_flags_undescribed_ones(tmp_path):
    frame = pd.DataFrame({"stage": ["sign", "start"], "value_cny": [1e8, 2e8], "extra": [1, 2]})
    frame.to_csv(tmp_path / "facts.csv", index=False)
    text = codebook.write_codebook(tmp_path, SCHEMA).read_text(encoding="utf-8")
    assert "| [`facts`](#facts) | 2 | 3 | [facts.csv](facts.csv) |" in text
    assert "| `stage` | string |  | Stage | Pipeline stage. | raw: facts.stage | 0 = sign, 1 = start |" in text
    assert "| `value_cny` | number | yuan | Value (yuan) | Amount. | derived: parse |  |" in text
    assert "| `extra` | integer |  | extra | *not described in data/clean_schema.csv* |  |  |" in text


def test_write_clean_writes_labelled_stata_and_the_codebook(tmp_path):
    written = io.write_clean(pd.DataFrame({"flag": [True, False]}), "tiny", clean_dir=tmp_path)
    assert [p.name for p in written] == ["tiny.csv", "tiny.dta"]
    assert (tmp_path / "README.md").is_file()
    assert pd.read_stata(tmp_path / "tiny.dta")["flag"].tolist() == ["yes", "no"]
