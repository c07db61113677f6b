"""The clean schema codes every qualifier the parser gives (zonestudy.clean.QUALIFIERS), ``vague``
included, so a figure such as 数十亿元 gets a Stata value label instead of stopping the build."""

from __future__ import annotations

import pandas as pd
import pytest

from zonestudy import clean, codebook, paths, stata

SCHEMA = codebook.read_clean_schema()
QUALIFIER_COLUMNS = [(t, c) for t, c in zip(SCHEMA["table"], SCHEMA["column"]) if c == "qualifier"]
# Stata codes 0-7 as released in 0.1.0; vague is appended, so no published code changes meaning
RELEASED = ["exact", "over", "approx", "nearly", "at_least", "at_most", "under", "range"]


def test_both_fact_tables_have_a_coded_qualifier():
    assert QUALIFIER_COLUMNS == [("article_facts", "qualifier"), ("campaign_facts", "qualifier")]


@pytest.mark.parametrize(("table", "column"), QUALIFIER_COLUMNS)
def test_qualifier_codes_are_the_parsers_with_released_codes_kept(table, column):
    codes = codebook.value_codes(SCHEMA, table, column)
    assert sorted(codes) == sorted(clean.QUALIFIERS)
    assert codes[:len(RELEASED)] == RELEASED
    assert codes[len(RELEASED):] == ["vague"]


@pytest.mark.parametrize("table", ["article_facts", "campaign_facts"])
def test_a_vague_figure_is_a_labelled_code(table, tmp_path):
    parsed = clean.parse_quantity(pd.Series(["数十亿元", "约3亿元", "十几个"]))
    assert parsed["qualifier"].tolist() == ["vague", "approx", "vague"]
    path = stata.write_dta(parsed[["qualifier"]], tmp_path / "t.dta", table=table, schema=SCHEMA)
    with pd.io.stata.StataReader(path) as reader:
        labels = reader.value_labels()["qualifier"]
    assert labels[8] == "vague"
    assert pd.read_stata(path, convert_categoricals=False)["qualifier"].tolist() == [8, 2, 8]
    assert pd.read_stata(path)["qualifier"].tolist() == ["vague", "approx", "vague"]


def test_the_codebook_lists_vague_for_both_tables():
    text = (paths.clean_dir() / "README.md").read_text(encoding="utf-8")
    assert text.count("7 = range, 8 = vague |") == 2
