"""The LaTeX table writer: headers, cells, notes, long and wide tables (small hand-made tables)."""

from __future__ import annotations

import pandas as pd
import pytest

from zonestudy import latex


def test_booleans_are_words_not_python_literals():
    df = pd.DataFrame({"stage": ["sign", "start"], "ok": [True, False]})
    en = latex.table_to_latex(df, name="tab01_x")
    assert "sign & yes \\\\" in en and "start & no \\\\" in en
    zh = latex.table_to_latex(df, name="tab01_x", lang="zh")
    assert "sign & 是 \\\\" in zh and "start & 否 \\\\" in zh
    assert "True" not in en and "False" not in en


def test_source_columns_go_to_the_note():
    df = pd.DataFrame({"year": [2021], "source_ids": ["SX-S002;SX-S004"]})
    tex = latex.table_to_latex(df, name="tab01_x", sources=["SX-S004", "SX-S002", "SX-S004"])
    assert "SX-S002;SX-S004" not in tex
    assert "Sources (ids in data/raw/sources.csv): SX-S002, SX-S004." in tex
    assert "The CSV file also has the column Source ids." in tex


def test_headers_come_from_the_header_table_with_units_and_formats():
    headers = pd.DataFrame({
        "column": ["amount", "amount"], "table": ["", "tab02_y"], "en": ["Amount", "Money"],
        "zh": ["金额", "钱"], "unit": ["亿元", "yuan"], "format": ["%.1f", "%d"], "in_tex": ["yes", "yes"]})
    df = pd.DataFrame({"amount": [12.345]})
    general = latex.table_to_latex(df, name="tab01_x", headers=headers)
    assert "Amount\\\\(亿元)" in general and "12.3 \\\\" in general
    specific = latex.table_to_latex(df, name="tab02_y", headers=headers, lang="zh")
    assert "钱\\\\(yuan)" in specific and "12 \\\\" in specific
    # the caller's format wins over the header table's
    called = latex.table_to_latex(df, name="tab01_x", headers=headers, float_format={"amount": "%.3f"})
    assert "12.345 \\\\" in called


def test_columns_without_a_header_entry_are_readable():
    df = pd.DataFrame({"land_area (km2)": [1.5]})
    tex = latex.table_to_latex(df, name="tab01_x")
    assert "Land\\\\area\\\\(km2)" in tex  # stacked to the width of the numbers


def test_long_tables_break_across_pages():
    df = pd.DataFrame({"year": range(2000, 2000 + latex.LONG_TABLE_ROWS + 1)})
    tex = latex.table_to_latex(df, name="tab01_x", caption="Years.")
    assert "\\begin{longtable}" in tex and "\\endhead" in tex
    assert "\\caption{Years.} \\label{tab:tab01_x}" in tex
    assert "\\caption[]{(continued)}" in tex
    short = latex.table_to_latex(df.head(3), name="tab01_x", caption="Years.")
    assert "\\begin{table}[htbp]" in short and "longtable" not in short


def test_long_text_wraps_in_a_paragraph_column():
    df = pd.DataFrame({"named_partners": ["建信天然; 中信建投; 深圳黑岩中盛 (深圳); 兴业银行太原分行"]})
    tex = latex.table_to_latex(df, name="tab01_x")
    assert "p{" in tex.split("\\toprule")[0]


def test_wide_tables_go_landscape_then_split_into_panels_repeating_keys():
    wide = pd.DataFrame({"place": ["太原市"], **{f"share_{i}": [0.5] for i in range(40)}})
    tex = latex.table_to_latex(wide, name="tab01_x", caption="Shares.", sources=["SX-S001"])
    assert tex.count("\\begin{landscape}") == 1
    panels = tex.count("\\begin{longtable}")
    assert panels >= 2
    # every panel starts with the key column
    assert tex.count("太原市 & ") == panels
    # one table number: later panels have unnumbered captions and give the counter back
    assert tex.count("\\label{tab:tab01_x}") == 1
    assert tex.count("\\addtocounter{table}{-1}") == panels - 1
    assert f"Panel A of {panels}." in tex
    # the note comes once, after the last panel
    assert tex.count("Sources (ids") == 1 and tex.rindex("Sources (ids") > tex.rindex("\\begin{longtable}")
    medium = pd.DataFrame({"place": ["太原市"], **{f"share_{i}": [0.5] for i in range(16)}})
    medium_tex = latex.table_to_latex(medium, name="tab01_x")
    assert "\\begin{landscape}" in medium_tex and medium_tex.count("\\begin{longtable}") == 1


def test_width_estimates():
    assert latex._text_em("签约") == 2.0
    assert latex._text_em("2021") == 2.0
    assert latex._breakable_units("投资 total_sum") == ["投", "资", "total_sum"]
    assert latex._wrap_words(["Flow", "ratio", "start"], 6.0) == ["Flow ratio", "start"]


def test_header_table_is_checked(tmp_path):
    bad = pd.DataFrame({"column": ["a"], "table": [""], "en": ["A"], "zh": ["甲"], "unit": [""],
                        "format": [""], "in_tex": ["maybe"]})
    with pytest.raises(ValueError, match="maybe"):
        latex.read_table_headers(bad)
    twice = pd.concat([bad.assign(in_tex="yes")] * 2)
    with pytest.raises(ValueError, match="repeats"):
        latex.read_table_headers(twice)
    with pytest.raises(ValueError, match="lacks"):
        latex.read_table_headers(bad.drop(columns="zh"))


def test_a_table_needs_a_printed_column():
    with pytest.raises(ValueError, match="no column"):
        latex.table_to_latex(pd.DataFrame({"source_id": ["SX-S001"]}), name="tab01_x")
